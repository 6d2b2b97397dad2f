//! Callback data carried by inline buttons: one typed enum, encoded compactly (at most 64
//! bytes, Telegram's limit) with a version prefix so buttons from older releases are
//! recognised as stale instead of being misread.

use super::{CabinetId, EventKind, Lang, Marketplace, Role, SchemeChoice, TgUserId};

/// The version written in front of every callback payload.
pub const VERSION: &str = "1";

/// Telegram's limit on `callback_data`, in bytes.
pub const MAX_LEN: usize = 64;

/// What a button press asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callback {
    /// Switch the interface language.
    SetLang(Lang),
    /// Start renaming the workspace (settings).
    RenameWorkspace,
    /// Create an invite for this role.
    Invite(Role),
    /// Leave the current dialogue.
    Cancel,
    /// Settings: choose the time zone / the default language.
    TimeZoneMenu,
    SetTimeZone(&'static str),
    DefaultLangMenu,
    SetDefaultLang(Lang),
    /// The cabinet list / add a cabinet / one cabinet's card.
    Cabinets,
    AddCabinet,
    OpenCabinet(CabinetId),
    /// Steps of the connect dialogue.
    ConnectMarket(Marketplace),
    ConnectCampaign(u8),
    ConnectScheme(SchemeChoice),
    ConnectSuggestedName,
    ConnectMain(bool),
    ConnectSave,
    ConnectRetry,
    /// Cabinet card actions.
    RenameCabinet(CabinetId),
    EnableCabinet(CabinetId, bool),
    MainCabinet(CabinetId),
    ReplaceKey(CabinetId),
    DeleteCabinet(CabinetId),
    ConfirmDelete(CabinetId, bool),
    /// Team: a member's card, a new role, removal and its confirmation, the list.
    Team,
    Member(TgUserId),
    MemberRole(TgUserId, Role),
    RemoveMember(TgUserId),
    ConfirmRemove(TgUserId),
    /// Alert group subscriptions: toggle an event, a cabinet (0 = all), finish.
    GroupEvent(EventKind),
    GroupCabinet(i64),
    GroupDone,
    /// Alert groups in private: let a group go, and confirm it.
    GroupRelease(i64),
    GroupReleaseConfirm(i64),
    /// API catalogue: a marketplace's entries, edit a field of an entry, reset it.
    ApiFamily(u8),
    ApiEdit(&'static str, super::ApiField),
    ApiReset(&'static str),
}

impl Callback {
    pub fn encode(self) -> String {
        let body = match self {
            Callback::SetLang(lang) => format!("l:{}", lang.code()),
            Callback::RenameWorkspace => "s:rn".to_owned(),
            Callback::Invite(role) => format!("i:{}", role.code()),
            Callback::Cancel => "x".to_owned(),
            Callback::TimeZoneMenu => "s:tz".to_owned(),
            Callback::SetTimeZone(zone) => format!("s:tz:{zone}"),
            Callback::DefaultLangMenu => "s:dl".to_owned(),
            Callback::SetDefaultLang(l) => format!("s:dl:{}", l.code()),
            Callback::Cabinets => "c:ls".to_owned(),
            Callback::AddCabinet => "c:add".to_owned(),
            Callback::OpenCabinet(id) => format!("c:o:{}", id.0),
            Callback::ConnectMarket(m) => format!("k:m:{}", m.code()),
            Callback::ConnectCampaign(i) => format!("k:c:{i}"),
            Callback::ConnectScheme(s) => format!("k:s:{}", s.code()),
            Callback::ConnectSuggestedName => "k:n".to_owned(),
            Callback::ConnectMain(b) => format!("k:mn:{}", u8::from(b)),
            Callback::ConnectSave => "k:save".to_owned(),
            Callback::ConnectRetry => "k:retry".to_owned(),
            Callback::RenameCabinet(id) => format!("c:rn:{}", id.0),
            Callback::EnableCabinet(id, on) => format!("c:en:{}:{}", id.0, u8::from(on)),
            Callback::MainCabinet(id) => format!("c:mn:{}", id.0),
            Callback::ReplaceKey(id) => format!("c:k:{}", id.0),
            Callback::DeleteCabinet(id) => format!("c:d:{}", id.0),
            Callback::ConfirmDelete(id, keep) => format!("c:dd:{}:{}", id.0, u8::from(keep)),
            Callback::Team => "t:ls".to_owned(),
            Callback::Member(u) => format!("t:o:{}", u.0),
            Callback::MemberRole(u, r) => format!("t:r:{}:{}", u.0, r.code()),
            Callback::RemoveMember(u) => format!("t:x:{}", u.0),
            Callback::ConfirmRemove(u) => format!("t:xx:{}", u.0),
            Callback::GroupEvent(e) => format!("g:e:{}", e.code()),
            Callback::GroupCabinet(id) => format!("g:c:{id}"),
            Callback::GroupDone => "g:ok".to_owned(),
            Callback::GroupRelease(chat) => format!("g:r:{chat}"),
            Callback::GroupReleaseConfirm(chat) => format!("g:rr:{chat}"),
            Callback::ApiFamily(i) => format!("a:f:{i}"),
            Callback::ApiEdit(name, f) => format!("a:e:{}:{name}", f.code()),
            Callback::ApiReset(name) => format!("a:r:{name}"),
        };
        format!("{VERSION}:{body}")
    }

    /// Decodes a payload; `None` for anything from another version or unknown.
    pub fn decode(data: &str) -> Option<Callback> {
        let body = data.strip_prefix(VERSION)?.strip_prefix(':')?;
        let parts: Vec<&str> = body.split(':').collect();
        let id = |s: &str| s.parse::<i64>().ok();
        let cab = |s: &str| id(s).map(CabinetId);
        let user = |s: &str| id(s).map(TgUserId);
        let flag = |s: &str| match s {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        match parts.as_slice() {
            ["l", lang] => lang.parse().ok().map(Callback::SetLang),
            ["s", "rn"] => Some(Callback::RenameWorkspace),
            ["s", "tz"] => Some(Callback::TimeZoneMenu),
            // Zones by name (an index from an older list would name another zone).
            ["s", "tz", zone] => super::time::OFFERED
                .iter()
                .find(|z| *z == zone)
                .map(|z| Callback::SetTimeZone(z)),
            ["s", "dl"] => Some(Callback::DefaultLangMenu),
            ["s", "dl", l] => l.parse().ok().map(Callback::SetDefaultLang),
            ["i", role] => role.parse().ok().map(Callback::Invite),
            ["x"] => Some(Callback::Cancel),
            ["c", "ls"] => Some(Callback::Cabinets),
            ["c", "add"] => Some(Callback::AddCabinet),
            ["c", "o", c] => cab(c).map(Callback::OpenCabinet),
            ["c", "rn", c] => cab(c).map(Callback::RenameCabinet),
            ["c", "en", c, on] => Some(Callback::EnableCabinet(cab(c)?, flag(on)?)),
            ["c", "mn", c] => cab(c).map(Callback::MainCabinet),
            ["c", "k", c] => cab(c).map(Callback::ReplaceKey),
            ["c", "d", c] => cab(c).map(Callback::DeleteCabinet),
            ["c", "dd", c, keep] => Some(Callback::ConfirmDelete(cab(c)?, flag(keep)?)),
            ["k", "m", m] => m.parse().ok().map(Callback::ConnectMarket),
            ["k", "c", i] => i.parse().ok().map(Callback::ConnectCampaign),
            ["k", "s", s] => s.parse().ok().map(Callback::ConnectScheme),
            ["k", "n"] => Some(Callback::ConnectSuggestedName),
            ["k", "mn", b] => flag(b).map(Callback::ConnectMain),
            ["k", "save"] => Some(Callback::ConnectSave),
            ["k", "retry"] => Some(Callback::ConnectRetry),
            ["t", "ls"] => Some(Callback::Team),
            ["t", "o", u] => user(u).map(Callback::Member),
            ["t", "r", u, r] => Some(Callback::MemberRole(user(u)?, r.parse().ok()?)),
            ["t", "x", u] => user(u).map(Callback::RemoveMember),
            ["t", "xx", u] => user(u).map(Callback::ConfirmRemove),
            ["g", "e", e] => e.parse().ok().map(Callback::GroupEvent),
            ["g", "c", c] => id(c).map(Callback::GroupCabinet),
            ["g", "ok"] => Some(Callback::GroupDone),
            ["g", "r", c] => id(c).map(Callback::GroupRelease),
            ["g", "rr", c] => id(c).map(Callback::GroupReleaseConfirm),
            ["a", "f", i] => i.parse().ok().map(Callback::ApiFamily),
            ["a", "e", f, name] => Some(Callback::ApiEdit(
                endpoint_name(name)?,
                super::ApiField::from_code(f)?,
            )),
            ["a", "r", name] => endpoint_name(name).map(Callback::ApiReset),
            _ => None,
        }
    }
}

/// The catalogue's own name for an endpoint named in callback data.
fn endpoint_name(name: &str) -> Option<&'static str> {
    crate::marketplaces::endpoints::ALL
        .iter()
        .map(|e| e.name)
        .find(|n| *n == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ApiField;

    fn all() -> Vec<Callback> {
        let big = CabinetId(i64::MAX);
        let user = TgUserId(i64::MAX);
        let mut v = vec![
            Callback::RenameWorkspace,
            Callback::Cancel,
            Callback::TimeZoneMenu,
            Callback::SetTimeZone("Asia/Vladivostok"),
            Callback::DefaultLangMenu,
            Callback::Cabinets,
            Callback::AddCabinet,
            Callback::OpenCabinet(big),
            Callback::ConnectCampaign(19),
            Callback::ConnectSuggestedName,
            Callback::ConnectMain(true),
            Callback::ConnectMain(false),
            Callback::ConnectSave,
            Callback::ConnectRetry,
            Callback::RenameCabinet(big),
            Callback::EnableCabinet(big, false),
            Callback::MainCabinet(big),
            Callback::ReplaceKey(big),
            Callback::DeleteCabinet(big),
            Callback::ConfirmDelete(big, true),
            Callback::Team,
            Callback::Member(user),
            Callback::RemoveMember(user),
            Callback::ConfirmRemove(user),
            Callback::GroupCabinet(0),
            Callback::GroupCabinet(i64::MAX),
            Callback::GroupDone,
            Callback::GroupRelease(-1_001_234_567_890),
            Callback::GroupReleaseConfirm(i64::MIN),
            Callback::ApiFamily(3),
        ];
        v.extend(crate::domain::time::OFFERED.map(Callback::SetTimeZone));
        v.extend(Lang::ALL.map(Callback::SetLang));
        v.extend(Lang::ALL.map(Callback::SetDefaultLang));
        v.extend(Role::ALL.map(Callback::Invite));
        v.extend(Role::ALL.map(|r| Callback::MemberRole(user, r)));
        v.extend(Marketplace::ALL.map(Callback::ConnectMarket));
        v.extend(SchemeChoice::ALL.map(Callback::ConnectScheme));
        v.extend(EventKind::ALL.map(Callback::GroupEvent));
        for e in crate::marketplaces::endpoints::ALL {
            v.push(Callback::ApiReset(e.name));
            for f in [ApiField::Host, ApiField::Path, ApiField::Version] {
                v.push(Callback::ApiEdit(e.name, f));
            }
        }
        v
    }

    #[test]
    fn every_callback_round_trips_within_telegram_limit() {
        for cb in all() {
            let data = cb.encode();
            assert!(data.len() <= MAX_LEN, "{data} is too long");
            assert_eq!(Callback::decode(&data), Some(cb), "{data}");
        }
    }

    #[test]
    fn foreign_and_old_payloads_are_rejected() {
        for data in [
            "",
            "0:l:ru",
            "1:l:de",
            "1:zz",
            "l:ru",
            "1:x:extra",
            "2:x",
            "1:c:o:abc",
            "1:c:en:5:2",
            "1:a:r:no.such.endpoint",
            "1:t:r:5:boss",
            "1:s:tz:13",
            "1:s:tz:Mars/Olympus",
        ] {
            assert_eq!(Callback::decode(data), None, "{data}");
        }
    }
}
