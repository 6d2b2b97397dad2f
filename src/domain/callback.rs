//! Callback data carried by inline buttons: one typed enum, encoded compactly (at most 64
//! bytes, Telegram's limit) with a version prefix so buttons from older releases are
//! recognised as stale instead of being misread.

use super::{Lang, Role};

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
}

impl Callback {
    pub fn encode(self) -> String {
        let body = match self {
            Callback::SetLang(lang) => format!("l:{}", lang.code()),
            Callback::RenameWorkspace => "s:rn".to_owned(),
            Callback::Invite(role) => format!("i:{}", role.code()),
            Callback::Cancel => "x".to_owned(),
        };
        format!("{VERSION}:{body}")
    }

    /// Decodes a payload; `None` for anything from another version or unknown.
    pub fn decode(data: &str) -> Option<Callback> {
        let body = data.strip_prefix(VERSION)?.strip_prefix(':')?;
        let (kind, arg) = body.split_once(':').unwrap_or((body, ""));
        match (kind, arg) {
            ("l", lang) => lang.parse().ok().map(Callback::SetLang),
            ("s", "rn") => Some(Callback::RenameWorkspace),
            ("i", role) => role.parse().ok().map(Callback::Invite),
            ("x", "") => Some(Callback::Cancel),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Callback> {
        let mut v = vec![Callback::RenameWorkspace, Callback::Cancel];
        v.extend(Lang::ALL.map(Callback::SetLang));
        v.extend(Role::ALL.map(Callback::Invite));
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
        for data in ["", "0:l:ru", "1:l:de", "1:zz", "l:ru", "1:x:extra", "2:x"] {
            assert_eq!(Callback::decode(data), None, "{data}");
        }
    }
}
