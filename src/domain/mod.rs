//! Pure domain types and rules: roles and permissions, languages, ids. No I/O here.

pub mod alerts;
pub mod audit;
pub mod cabinet;
pub mod catalogue;
pub mod finance;
pub mod ids;
pub mod money;
pub mod order;
pub mod price;
pub mod retry;
pub mod rules;
pub mod sheet;
pub mod stock;
pub mod time;
pub mod workspace;

pub use alerts::EventKind;
pub use audit::{AuditAction, AuditNote};
pub use cabinet::{Cabinet, CabinetId, Credentials, SchemeChoice};
pub use ids::{OrderId, ProductId, SkuId, StoreId};
pub use money::Money;
pub use order::UnifiedStatus;
pub use time::Zone;
pub use workspace::{Member, Profile, User, Watch, WatchSetting, Workspace};

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A dialogue state kept between updates, and what to resume from when a stored one can no
/// longer be read (a later release renamed what it was).
pub trait StoredState {
    fn unreadable() -> Self;
}

/// A workspace (one company) id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkspaceId(pub i64);

/// A Telegram user id as we store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TgUserId(pub i64);

/// A Telegram chat id (private chats share the user's id, groups are negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TgChatId(pub i64);

/// The interface language of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Picks our language from Telegram's `language_code` (`ru`, `en-GB`, ...); anything
    /// we do not speak falls back to Russian, the product's home language.
    pub fn from_telegram(code: Option<&str>) -> Lang {
        match code.map(|c| c.split(['-', '_']).next().unwrap_or(c).to_ascii_lowercase()) {
            Some(c) if c == "en" => Lang::En,
            _ => Lang::Ru,
        }
    }
}

impl FromStr for Lang {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ru" => Ok(Lang::Ru),
            "en" => Ok(Lang::En),
            other => Err(UnknownValue(other.to_owned())),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A value read from storage or input that names no known variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

/// A marketplace we work with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Marketplace {
    Ozon,
    Wildberries,
    YandexMarket,
}

impl Marketplace {
    pub const ALL: [Marketplace; 3] = [
        Marketplace::Ozon,
        Marketplace::Wildberries,
        Marketplace::YandexMarket,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Marketplace::Ozon => "ozon",
            Marketplace::Wildberries => "wb",
            Marketplace::YandexMarket => "ym",
        }
    }
}

impl FromStr for Marketplace {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Marketplace::ALL
            .into_iter()
            .find(|m| m.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// Who stores, assembles and delivers an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scheme {
    /// The seller stores and assembles; the marketplace delivers.
    Fbs,
    /// The marketplace stores and ships.
    Fbo,
    /// The seller stores, assembles and delivers.
    Dbs,
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Scheme::Fbs, Scheme::Fbo, Scheme::Dbs];

    pub fn code(self) -> &'static str {
        match self {
            Scheme::Fbs => "fbs",
            Scheme::Fbo => "fbo",
            Scheme::Dbs => "dbs",
        }
    }
}

impl FromStr for Scheme {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|x| x.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// An admin's override of one API catalogue entry (F9).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiOverride {
    /// A base URL replacing the family's host (`https://api-seller.ozon.ru/`).
    pub host: Option<String>,
    /// A whole new path.
    pub path: Option<String>,
    /// A new version segment (`v5`) replacing the first `vN` segment of the path.
    pub version: Option<String>,
}

/// Which part of an endpoint an override changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ApiField {
    Host,
    Path,
    Version,
}

impl ApiField {
    pub fn code(self) -> &'static str {
        match self {
            ApiField::Host => "h",
            ApiField::Path => "p",
            ApiField::Version => "v",
        }
    }

    pub fn from_code(s: &str) -> Option<ApiField> {
        [ApiField::Host, ApiField::Path, ApiField::Version]
            .into_iter()
            .find(|f| f.code() == s)
    }
}

/// A member's role in a workspace, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Role {
    Owner,
    Admin,
    Manager,
    Warehouse,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Manager,
        Role::Warehouse,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Warehouse => "warehouse",
            Role::Viewer => "viewer",
        }
    }

    /// Whether this role may do what `permission` guards.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            UseBot | ViewData => true,
            DeleteWorkspace | ManageOwners => self == Owner,
            ManageTeam | ManageSettings | ManageCabinets => matches!(self, Owner | Admin),
            ManageOrders | ManagePrices => matches!(self, Owner | Admin | Manager),
            // A viewer reads everything, money included; the warehouse sees no money.
            ViewFinance => self != Warehouse,
            AssembleOrders | CountStock => matches!(self, Owner | Admin | Manager | Warehouse),
        }
    }

    /// Roles this role may give a team member: owners give any, others what they may grant.
    pub fn assignable(self) -> &'static [Role] {
        if self.can(Permission::ManageOwners) {
            &Role::ALL
        } else {
            self.grantable()
        }
    }

    /// Whether this role may change or remove a member who has role `target`.
    pub fn may_manage(self, target: Role) -> bool {
        self.can(Permission::ManageTeam) && self.assignable().contains(&target)
    }

    /// Roles this role may hand out when inviting someone.
    pub fn grantable(self) -> &'static [Role] {
        match self {
            Role::Owner => &[Role::Admin, Role::Manager, Role::Warehouse, Role::Viewer],
            Role::Admin => &[Role::Manager, Role::Warehouse, Role::Viewer],
            _ => &[],
        }
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a handler needs the caller to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    UseBot,
    ViewData,
    DeleteWorkspace,
    ManageOwners,
    ManageTeam,
    ManageSettings,
    ManageCabinets,
    ManageOrders,
    ManagePrices,
    ViewFinance,
    AssembleOrders,
    CountStock,
}

/// A workspace name as typed by a user: trimmed, 1..=64 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceName(String);

/// Why a workspace name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceNameError {
    Empty,
    TooLong,
    MultiLine,
}

/// Characters that show nothing: zero-width spaces and joiners, direction marks, the
/// word joiner, soft hyphens, the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
    )
}

/// A name as typed, made plain: what shows nothing dropped, every kind of space (the
/// no-break ones too) one plain space, none at the ends.
pub fn plain_name(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars().filter(|c| !invisible(*c)) {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end().to_owned()
}

/// What two names are compared by: plain, case ignored, and a Cyrillic letter that looks
/// like a Latin one counted as it ("Mаin" with a Cyrillic "а" is "Main").
pub fn name_key(name: &str) -> String {
    plain_name(name)
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'а' => 'a',
            'в' => 'b',
            'е' | 'ё' => 'e',
            'к' => 'k',
            'м' => 'm',
            'н' => 'h',
            'о' => 'o',
            'р' => 'p',
            'с' => 'c',
            'т' => 't',
            'у' => 'y',
            'х' => 'x',
            'і' => 'i',
            'ј' => 'j',
            'ѕ' => 's',
            other => other,
        })
        .collect()
}

impl WorkspaceName {
    pub const MAX_CHARS: usize = 64;

    /// A name as typed: one line, made plain (see [`plain_name`]), something visible in
    /// it, at most [`Self::MAX_CHARS`] characters.
    pub fn parse(input: &str) -> Result<Self, WorkspaceNameError> {
        if input.trim().contains(['\n', '\r']) {
            return Err(WorkspaceNameError::MultiLine);
        }
        let plain = plain_name(input);
        if plain.is_empty() {
            return Err(WorkspaceNameError::Empty);
        }
        if plain.chars().count() > Self::MAX_CHARS {
            return Err(WorkspaceNameError::TooLong);
        }
        Ok(WorkspaceName(plain))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The commands the bot understands, with the permission each needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Start,
    Help,
    Lang,
    Cancel,
    Orders,
    Order,
    Labels,
    Supplies,
    Stock,
    LowStock,
    Count,
    Chart,
    Reconcile,
    Warehouses,
    Price,
    Prices,
    Catalogue,
    Sync,
    Cabinets,
    Team,
    Invite,
    Groups,
    Subscribe,
    Alerts,
    Settings,
    Statuses,
    Api,
    Audit,
    Rules,
    Queue,
    Quiet,
    Finance,
}

impl Command {
    pub const ALL: [Command; 32] = [
        Command::Start,
        Command::Help,
        Command::Lang,
        Command::Cancel,
        Command::Orders,
        Command::Order,
        Command::Labels,
        Command::Supplies,
        Command::Stock,
        Command::LowStock,
        Command::Count,
        Command::Chart,
        Command::Reconcile,
        Command::Warehouses,
        Command::Price,
        Command::Prices,
        Command::Finance,
        Command::Catalogue,
        Command::Sync,
        Command::Cabinets,
        Command::Team,
        Command::Invite,
        Command::Groups,
        Command::Subscribe,
        Command::Alerts,
        Command::Settings,
        Command::Statuses,
        Command::Api,
        Command::Audit,
        Command::Rules,
        Command::Queue,
        Command::Quiet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Help => "help",
            Command::Lang => "lang",
            Command::Cancel => "cancel",
            Command::Orders => "orders",
            Command::Order => "order",
            Command::Labels => "labels",
            Command::Supplies => "supplies",
            Command::Stock => "stock",
            Command::LowStock => "lowstock",
            Command::Count => "count",
            Command::Chart => "chart",
            Command::Reconcile => "reconcile",
            Command::Warehouses => "warehouses",
            Command::Price => "price",
            Command::Prices => "prices",
            Command::Catalogue => "catalogue",
            Command::Sync => "sync",
            Command::Cabinets => "cabinets",
            Command::Team => "team",
            Command::Invite => "invite",
            Command::Groups => "groups",
            Command::Subscribe => "subscribe",
            Command::Alerts => "alerts",
            Command::Settings => "settings",
            Command::Statuses => "statuses",
            Command::Api => "api",
            Command::Audit => "audit",
            Command::Rules => "rules",
            Command::Queue => "queue",
            Command::Quiet => "quiet",
            Command::Finance => "finance",
        }
    }

    pub fn permission(self) -> Permission {
        match self {
            Command::Start | Command::Help | Command::Lang | Command::Cancel => Permission::UseBot,
            Command::Orders
            | Command::Order
            | Command::Alerts
            | Command::Cabinets
            | Command::Team
            | Command::Stock
            | Command::LowStock
            | Command::Chart
            | Command::Reconcile
            | Command::Warehouses
            | Command::Catalogue
            | Command::Quiet => Permission::ViewData,
            // The warehouse sees no money.
            Command::Price | Command::Prices | Command::Finance => Permission::ViewFinance,
            Command::Labels | Command::Supplies => Permission::AssembleOrders,
            Command::Count => Permission::CountStock,
            Command::Sync | Command::Queue => Permission::ManageOrders,
            Command::Invite => Permission::ManageTeam,
            Command::Groups
            | Command::Subscribe
            | Command::Settings
            | Command::Statuses
            | Command::Api
            | Command::Audit
            | Command::Rules => Permission::ManageSettings,
        }
    }

    /// The commands a role may use, in menu order.
    pub fn for_role(role: Option<Role>) -> Vec<Command> {
        Command::ALL
            .into_iter()
            .filter(|c| match role {
                Some(r) => r.can(c.permission()),
                None => c.permission() == Permission::UseBot,
            })
            .collect()
    }
}

/// A message text parsed as a bot command: `/name@bot args`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommand {
    /// The command name, lower-cased, without the slash and the bot mention.
    pub name: String,
    /// The bot mentioned after `@`, if any.
    pub mention: Option<String>,
    /// The rest of the line after the command, trimmed.
    pub args: String,
}

impl ParsedCommand {
    /// Parses `text` when it starts with `/`; returns `None` for ordinary text.
    pub fn parse(text: &str) -> Option<ParsedCommand> {
        let rest = text.trim_start().strip_prefix('/')?;
        let (head, args) = match rest.find(char::is_whitespace) {
            Some(i) => (&rest[..i], rest[i..].trim()),
            None => (rest, ""),
        };
        if head.is_empty() {
            return None;
        }
        let (name, mention) = match head.split_once('@') {
            Some((n, m)) => (n, Some(m.to_owned())),
            None => (head, None),
        };
        Some(ParsedCommand {
            name: name.to_lowercase(),
            mention,
            args: args.to_owned(),
        })
    }

    /// The known command this names, if any.
    pub fn command(&self) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == self.name)
    }
}

/// An invite code: 10 characters from an unambiguous alphabet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteCode(String);

impl InviteCode {
    pub const ALPHABET: &'static [u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    pub const LEN: usize = 10;

    /// Builds a code from random bytes (one character per byte).
    pub fn from_random(bytes: [u8; Self::LEN]) -> InviteCode {
        let s = bytes
            .iter()
            .map(|b| Self::ALPHABET[usize::from(*b) % Self::ALPHABET.len()] as char)
            .collect();
        InviteCode(s)
    }

    /// Accepts what a user pasted after `/start`; anything else is not a code.
    pub fn parse(input: &str) -> Option<InviteCode> {
        let s = input.trim();
        let ok = s.len() == Self::LEN && s.bytes().all(|b| Self::ALPHABET.contains(&b));
        ok.then(|| InviteCode(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_telegram_code_and_defaults_to_russian() {
        assert_eq!(Lang::from_telegram(Some("en-GB")), Lang::En);
        assert_eq!(Lang::from_telegram(Some("EN")), Lang::En);
        assert_eq!(Lang::from_telegram(Some("ru")), Lang::Ru);
        assert_eq!(Lang::from_telegram(Some("de")), Lang::Ru);
        assert_eq!(Lang::from_telegram(None), Lang::Ru);
    }

    #[test]
    fn permissions_follow_the_role_table() {
        assert!(Role::Owner.can(Permission::DeleteWorkspace));
        assert!(!Role::Admin.can(Permission::DeleteWorkspace));
        assert!(Role::Admin.can(Permission::ManageCabinets));
        assert!(!Role::Manager.can(Permission::ManageCabinets));
        assert!(Role::Manager.can(Permission::ManagePrices));
        assert!(!Role::Warehouse.can(Permission::ManagePrices));
        assert!(!Role::Warehouse.can(Permission::ViewFinance));
        assert!(Role::Warehouse.can(Permission::AssembleOrders));
        assert!(!Role::Viewer.can(Permission::AssembleOrders));
        assert!(Role::Viewer.can(Permission::ViewData));
    }

    #[test]
    fn owners_manage_everyone_admins_only_the_roles_they_grant() {
        assert!(Role::Owner.may_manage(Role::Owner));
        assert!(Role::Owner.may_manage(Role::Admin));
        assert!(!Role::Admin.may_manage(Role::Owner));
        assert!(!Role::Admin.may_manage(Role::Admin));
        assert!(Role::Admin.may_manage(Role::Warehouse));
        assert!(!Role::Manager.may_manage(Role::Viewer));
        assert_eq!(Role::Owner.assignable(), &Role::ALL);
        assert_eq!(Role::Admin.assignable(), Role::Admin.grantable());
        assert!(Role::Viewer.assignable().is_empty());
    }

    #[test]
    fn roles_round_trip_through_their_codes() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn commands_parse_with_mentions_and_arguments() {
        let c = ParsedCommand::parse("/Start@mpbot  abc ").expect("a command");
        assert_eq!(c.name, "start");
        assert_eq!(c.mention.as_deref(), Some("mpbot"));
        assert_eq!(c.args, "abc");
        assert_eq!(c.command(), Some(Command::Start));
        assert_eq!(ParsedCommand::parse("hello"), None);
        assert_eq!(ParsedCommand::parse("/"), None);
        assert_eq!(
            ParsedCommand::parse("/nope").and_then(|c| c.command()),
            None
        );
    }

    #[test]
    fn menus_differ_by_role() {
        assert!(Command::for_role(Some(Role::Owner)).contains(&Command::Invite));
        assert!(!Command::for_role(Some(Role::Viewer)).contains(&Command::Settings));
        assert_eq!(
            Command::for_role(None),
            vec![
                Command::Start,
                Command::Help,
                Command::Lang,
                Command::Cancel
            ]
        );
    }

    #[test]
    fn names_are_made_plain_and_look_alikes_are_one() {
        assert_eq!(
            plain_name("  Main\u{a0}\u{200b}warehouse\u{feff} "),
            "Main warehouse"
        );
        assert_eq!(
            WorkspaceName::parse("\u{200b}\u{200d}\u{2060}"),
            Err(WorkspaceNameError::Empty),
            "a name of invisible characters is no name"
        );
        assert_eq!(
            WorkspaceName::parse("Склад\u{202f}Химки").map(|n| n.0),
            Ok("Склад Химки".to_owned())
        );
        assert_eq!(name_key("Mаin warehouse"), name_key("main  Warehouse"));
        assert_eq!(name_key("Main\u{a0}warehouse"), name_key("Main warehouse"));
        assert_ne!(name_key("Склад 1"), name_key("Склад 2"));
    }

    #[test]
    fn workspace_names_are_checked() {
        assert_eq!(
            WorkspaceName::parse("  ООО Ромашка ").map(|n| n.0),
            Ok("ООО Ромашка".into())
        );
        assert_eq!(WorkspaceName::parse("   "), Err(WorkspaceNameError::Empty));
        assert_eq!(
            WorkspaceName::parse("a\nb"),
            Err(WorkspaceNameError::MultiLine)
        );
        assert_eq!(
            WorkspaceName::parse(&"я".repeat(65)),
            Err(WorkspaceNameError::TooLong)
        );
        assert!(WorkspaceName::parse(&"я".repeat(64)).is_ok());
    }

    #[test]
    fn invite_codes_parse_only_their_alphabet() {
        let code = InviteCode::from_random([7; InviteCode::LEN]);
        assert_eq!(InviteCode::parse(code.as_str()), Some(code));
        assert_eq!(InviteCode::parse("short"), None);
        assert_eq!(InviteCode::parse("ABCDEFGHJK"), None);
    }
}

/// Why a marketplace did not do what was asked, as a person is told it (its own words go
/// to the log, not to the chat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rejection {
    /// It does not know the order or item (gone, cancelled, another cabinet's).
    NotFound,
    /// It refused the step as asked (the order's state does not allow it, a value it
    /// does not take).
    Refused,
    /// The key may not do this, or no longer works.
    Key,
    /// Too many requests: it asked us to wait.
    Limit,
    /// It did not answer, or answered with an error of its own.
    Unavailable,
    /// This marketplace has no such operation.
    Unsupported,
    /// Its answer did not read.
    Unexpected,
}

impl Rejection {
    pub const ALL: [Rejection; 7] = [
        Rejection::NotFound,
        Rejection::Refused,
        Rejection::Key,
        Rejection::Limit,
        Rejection::Unavailable,
        Rejection::Unsupported,
        Rejection::Unexpected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rejection::NotFound => "not-found",
            Rejection::Refused => "refused",
            Rejection::Key => "key",
            Rejection::Limit => "limit",
            Rejection::Unavailable => "unavailable",
            Rejection::Unsupported => "unsupported",
            Rejection::Unexpected => "unexpected",
        }
    }

    pub fn parse(code: &str) -> Option<Rejection> {
        Rejection::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Why a request to a marketplace failed, as a person is told it: what it meant, and
/// which request (its catalogue name) answered with which HTTP status, when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub why: Rejection,
    #[serde(default)]
    pub request: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
}

impl Failure {
    /// As a cabinet's health keeps it: `why:status:request` (status 0 when unknown).
    pub fn code(&self) -> String {
        format!(
            "{}:{}:{}",
            self.why.code(),
            self.status.unwrap_or(0),
            self.request.as_deref().unwrap_or("")
        )
    }

    pub fn parse(code: &str) -> Option<Failure> {
        let mut parts = code.splitn(3, ':');
        let why = Rejection::parse(parts.next()?)?;
        let status = parts.next()?.parse::<u16>().ok().filter(|s| *s > 0);
        let request = parts.next().filter(|r| !r.is_empty()).map(str::to_owned);
        Some(Failure {
            why,
            request,
            status,
        })
    }

    /// Whether the request itself seems gone (404 or 410): an `/api` path to look at.
    pub fn request_gone(&self) -> bool {
        matches!(self.status, Some(404 | 410))
    }
}
