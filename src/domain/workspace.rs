//! Companies and the people in them: a workspace, its members with their roles, and the
//! Telegram users behind them.

use super::{Lang, Role, TgUserId, WorkspaceId};

/// One company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    /// An IANA zone name (see [`super::Zone`]).
    pub time_zone: String,
    /// The language of group chats and of members who never chose one.
    pub default_lang: Lang,
    pub created_at: i64,
    /// How its orders and stocks are watched.
    pub watch: Watch,
}

/// How a company's orders and stocks are watched: how often orders are imported, how long
/// after it was placed an order may be cancelled from its card, how early a deadline is
/// alerted, how often stock is published, and below what a SKU's stock is low when the SKU
/// has no threshold of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    pub poll_secs: i64,
    pub annul_hours: i64,
    pub deadline_hours: i64,
    pub stocks_secs: i64,
    /// 0: no low-stock alerts unless a SKU sets its own threshold.
    pub low_stock: i64,
    /// Seconds between finance readings of each cabinet.
    pub finance_secs: i64,
    /// Days after an order its payout is shown.
    pub payout_days: i64,
}

impl Watch {
    pub fn get(&self, s: WatchSetting) -> i64 {
        match s {
            WatchSetting::Poll => self.poll_secs,
            WatchSetting::Annul => self.annul_hours,
            WatchSetting::Deadline => self.deadline_hours,
            WatchSetting::Stocks => self.stocks_secs,
            WatchSetting::LowStock => self.low_stock,
            WatchSetting::Finance => self.finance_secs,
            WatchSetting::Payout => self.payout_days,
        }
    }
}

/// One of the watch settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WatchSetting {
    /// Seconds between imports of each cabinet's orders.
    Poll,
    /// Hours after it was placed an order may be cancelled from its card.
    Annul,
    /// Hours before the ship-by deadline an open order is alerted.
    Deadline,
    /// Seconds between stock publications of each cabinet.
    Stocks,
    /// The default low-stock threshold, in units.
    LowStock,
    /// Seconds between finance readings of each cabinet.
    Finance,
    /// Days after an order its payout is shown (the Ozon module's N days).
    Payout,
}

/// Which part of `/settings` a watch setting belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingSection {
    Orders,
    Stocks,
    Finance,
}

impl WatchSetting {
    pub const ALL: [WatchSetting; 7] = [
        WatchSetting::Poll,
        WatchSetting::Annul,
        WatchSetting::Deadline,
        WatchSetting::Stocks,
        WatchSetting::LowStock,
        WatchSetting::Finance,
        WatchSetting::Payout,
    ];

    /// The part of `/settings` it is changed in.
    pub fn section(self) -> SettingSection {
        match self {
            WatchSetting::Poll | WatchSetting::Annul | WatchSetting::Deadline => {
                SettingSection::Orders
            }
            WatchSetting::Stocks | WatchSetting::LowStock => SettingSection::Stocks,
            WatchSetting::Finance | WatchSetting::Payout => SettingSection::Finance,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            WatchSetting::Poll => "poll",
            WatchSetting::Annul => "annul",
            WatchSetting::Deadline => "deadline",
            WatchSetting::Stocks => "stocks",
            WatchSetting::LowStock => "low",
            WatchSetting::Finance => "finance",
            WatchSetting::Payout => "payout",
        }
    }

    /// The values offered (seconds for the intervals, units for the threshold, hours
    /// otherwise); nothing else is taken.
    pub fn choices(self) -> &'static [i64] {
        match self {
            WatchSetting::Poll => &[10, 30, 60, 120, 300],
            WatchSetting::Annul => &[2, 6, 12, 24, 48, 72],
            WatchSetting::Deadline => &[1, 2, 3, 6, 12, 24],
            WatchSetting::Stocks => &[60, 120, 300, 600, 900, 1800, 3600],
            WatchSetting::LowStock => &[0, 1, 2, 3, 5, 10, 20, 50],
            WatchSetting::Finance => &[1800, 3600, 7200, 21_600, 86_400],
            WatchSetting::Payout => &[7, 14, 21, 30, 45, 60],
        }
    }
}

impl std::str::FromStr for WatchSetting {
    type Err = super::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WatchSetting::ALL
            .into_iter()
            .find(|o| o.code() == s)
            .ok_or_else(|| super::UnknownValue(s.to_owned()))
    }
}

/// A user's role in a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub workspace: WorkspaceId,
    pub user: TgUserId,
    pub role: Role,
    pub first_name: String,
    pub username: Option<String>,
}

impl Member {
    /// The name shown in lists: first name and @username when there is one.
    pub fn display(&self) -> String {
        match &self.username {
            Some(u) => format!("{} (@{u})", self.first_name),
            None => self.first_name.clone(),
        }
    }
}

/// A Telegram user as we know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: TgUserId,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
    /// The language the user chose with /lang, if any.
    pub lang: Option<Lang>,
    pub current_workspace: Option<WorkspaceId>,
}

impl User {
    /// The language to talk in: the chosen one, else Telegram's, else Russian.
    pub fn effective_lang(&self) -> Lang {
        self.lang
            .unwrap_or_else(|| Lang::from_telegram(self.language_code.as_deref()))
    }
}

/// What Telegram tells us about a user on each update.
#[derive(Debug, Clone)]
pub struct Profile<'a> {
    pub id: TgUserId,
    pub first_name: &'a str,
    pub username: Option<&'a str>,
    pub language_code: Option<&'a str>,
}

/// A chat the bot talks in: a private chat or a group, with the company it belongs to and
/// whether the bot may write there (a group's alerts go there only while it is active).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    pub id: super::TgChatId,
    pub workspace: Option<WorkspaceId>,
    pub kind: String,
    pub title: String,
    pub active: bool,
    /// A group's alerts show sums and prices (its company's owner or admin allowed it).
    pub show_money: bool,
}

/// Whose dialogue: a chat, and in a group the person in it (in a private chat, the chat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DialogueKey {
    pub chat: i64,
    pub user: i64,
}

impl DialogueKey {
    /// The key of `user` writing in `chat`.
    pub fn of(chat: i64, user: i64, private: bool) -> DialogueKey {
        DialogueKey {
            chat,
            user: if private { chat } else { user },
        }
    }
}
