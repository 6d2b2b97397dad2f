//! Cabinets: ids, schemes, credentials and the rules for what a user pastes as a key.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Marketplace, Scheme, UnknownValue, WorkspaceId};

/// A cabinet id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct CabinetId(pub i64);

/// A seller account on one marketplace (its credentials stay sealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cabinet {
    pub id: CabinetId,
    pub workspace: WorkspaceId,
    pub marketplace: Marketplace,
    pub name: String,
    pub scheme: SchemeChoice,
    pub is_main: bool,
    pub enabled: bool,
    /// Ozon Client-Id, WB seller id, YM business id.
    pub account: Option<String>,
    /// The YM campaign (shop) and its name.
    pub shop: Option<String>,
    pub shop_name: Option<String>,
    /// Sealed credentials (`secrets::Vault`), never plaintext.
    pub credentials: Option<String>,
    pub key_expires_at: Option<i64>,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
}

/// A Yandex Market campaign (shop) an Api-Key reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: i64,
    /// The shop's domain or name.
    pub domain: String,
    /// FBS, FBY or DBS.
    pub placement: String,
    pub business_id: i64,
    pub business_name: String,
    /// Whether the API may be used for it.
    pub available: bool,
}

/// Which order flows a cabinet works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SchemeChoice {
    Fbs,
    Fbo,
    Both,
}

impl SchemeChoice {
    pub const ALL: [SchemeChoice; 3] = [SchemeChoice::Fbs, SchemeChoice::Fbo, SchemeChoice::Both];

    pub fn code(self) -> &'static str {
        match self {
            SchemeChoice::Fbs => "fbs",
            SchemeChoice::Fbo => "fbo",
            SchemeChoice::Both => "both",
        }
    }

    /// Whether orders of `scheme` belong to a cabinet working this way (DBS counts as
    /// the seller's own flow, like FBS).
    pub fn covers(self, scheme: Scheme) -> bool {
        match (self, scheme) {
            (SchemeChoice::Both, _) => true,
            (SchemeChoice::Fbs, s) => s != Scheme::Fbo,
            (SchemeChoice::Fbo, s) => s == Scheme::Fbo,
        }
    }
}

impl FromStr for SchemeChoice {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SchemeChoice::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// Why a stored key stopped working, as a cabinet's health records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyProblem {
    /// The marketplace no longer knows the key.
    Wrong,
    /// The key is known but access is refused.
    Refused,
    /// A WB token lost categories we need.
    Scopes,
    /// A WB token became read-only.
    ReadOnly,
    /// An Ozon key lost roles we need.
    Roles,
    /// A YM key no longer reaches the cabinet's shop.
    NoCampaigns,
    /// The stored key does not open with the loaded master key.
    Unreadable,
    /// The key's lifetime is over (a WB token lives 180 days).
    Expired,
}

impl KeyProblem {
    pub const ALL: [KeyProblem; 8] = [
        KeyProblem::Wrong,
        KeyProblem::Refused,
        KeyProblem::Scopes,
        KeyProblem::ReadOnly,
        KeyProblem::Roles,
        KeyProblem::NoCampaigns,
        KeyProblem::Unreadable,
        KeyProblem::Expired,
    ];

    /// Whether a sync that works with the same key shows the problem is gone (the key was
    /// refused outright, not short of a scope or a role).
    pub fn disproved_by_a_working_sync(self) -> bool {
        matches!(self, KeyProblem::Wrong | KeyProblem::Refused)
    }

    /// The stored code; every code starts with `key-`, which tells key problems from other
    /// errors in a cabinet's health.
    pub fn code(self) -> &'static str {
        match self {
            KeyProblem::Wrong => "key-wrong",
            KeyProblem::Refused => "key-refused",
            KeyProblem::Scopes => "key-scopes",
            KeyProblem::ReadOnly => "key-read-only",
            KeyProblem::Roles => "key-roles",
            KeyProblem::NoCampaigns => "key-no-campaigns",
            KeyProblem::Unreadable => "key-unreadable",
            KeyProblem::Expired => "key-expired",
        }
    }
}

impl FromStr for KeyProblem {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KeyProblem::ALL
            .into_iter()
            .find(|p| p.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// A cabinet's last error as its health records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthError {
    /// The key stopped working (`key-...`).
    Key(KeyProblem),
    /// The marketplace refused the check request itself (`api-<status>`): not the key but
    /// the API, such as a path that no longer exists or an override pointing nowhere.
    Api { status: u16 },
    /// The last order or stock sync failed (`sync-failed`, and how when known:
    /// `sync-failed:<failure>`); the next one that works clears it.
    SyncFailed(Option<super::Failure>),
    /// Anything else, as recorded.
    Other(String),
}

impl HealthError {
    /// The prefixes of errors a key check records (and a working key clears).
    pub const KEY_CHECK_PREFIXES: [&'static str; 2] = ["key-", "api-"];

    pub fn code(&self) -> String {
        match self {
            HealthError::Key(p) => p.code().to_owned(),
            HealthError::Api { status } => format!("api-{status}"),
            HealthError::SyncFailed(None) => "sync-failed".to_owned(),
            HealthError::SyncFailed(Some(f)) => format!("sync-failed:{}", f.code()),
            HealthError::Other(s) => s.clone(),
        }
    }

    pub fn parse(code: &str) -> HealthError {
        if let Ok(p) = code.parse::<KeyProblem>() {
            return HealthError::Key(p);
        }
        if code == "sync-failed" {
            return HealthError::SyncFailed(None);
        }
        if let Some(rest) = code.strip_prefix("sync-failed:") {
            return HealthError::SyncFailed(super::Failure::parse(rest));
        }
        match code.strip_prefix("api-").and_then(|s| s.parse().ok()) {
            Some(status) => HealthError::Api { status },
            None => HealthError::Other(code.to_owned()),
        }
    }
}

/// What a cabinet signs its requests with. Sealed at rest; `Debug` shows nothing secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// Ozon's Client-Id (not secret, but kept with the key it belongs to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Ozon Api-Key, WB token or YM Api-Key.
    pub key: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("key", &"***")
            .finish()
    }
}

/// Why pasted text is not a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyInputError {
    Empty,
    TooShort,
    TooLong,
    /// Spaces or other characters no key has.
    BadCharacters,
}

/// The shortest and longest key we accept.
pub const KEY_MIN: usize = 8;
pub const KEY_MAX: usize = 4096;

/// Cleans a pasted key: surrounding spaces and quotes and every line break or space go
/// (messengers wrap long tokens); what is left must look like a key.
pub fn clean_key(input: &str) -> Result<String, KeyInputError> {
    const QUOTES: &[char] = &['"', '\'', '`', '«', '»', '“', '”', '„'];
    let trimmed = input
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || QUOTES.contains(&c));
    let key: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    if key.is_empty() {
        return Err(KeyInputError::Empty);
    }
    if !key.chars().all(|c| c.is_ascii_graphic()) || key.contains(QUOTES) {
        return Err(KeyInputError::BadCharacters);
    }
    if key.len() < KEY_MIN {
        return Err(KeyInputError::TooShort);
    }
    if key.len() > KEY_MAX {
        return Err(KeyInputError::TooLong);
    }
    Ok(key)
}

/// Whether pasted text is probably a key rather than a name, a number or a sentence: one
/// long token of letters and digits (a key may only be wrapped across lines), not a link.
pub fn looks_like_key(text: &str) -> bool {
    if text.trim().contains([' ', '\t']) || text.contains("://") {
        return false;
    }
    let Ok(k) = clean_key(text) else {
        return false;
    };
    k.len() >= 20
        && k.bytes().any(|b| b.is_ascii_digit())
        && k.bytes().any(|b| b.is_ascii_alphabetic())
}

/// An Ozon Client-Id: digits only.
pub fn clean_client_id(input: &str) -> Option<String> {
    let id = input
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '«' | '»'));
    let ok = !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_keys_lose_quotes_spaces_and_line_breaks() {
        assert_eq!(
            clean_key("  \"abc-123-XYZ\"\n").as_deref(),
            Ok("abc-123-XYZ")
        );
        assert_eq!(clean_key("«abcd\nefgh»").as_deref(), Ok("abcdefgh"));
        assert_eq!(
            clean_key("eyJhbGci.\r\n eyJzdWIi.sig").as_deref(),
            Ok("eyJhbGci.eyJzdWIi.sig")
        );
        assert_eq!(clean_key("  "), Err(KeyInputError::Empty));
        assert_eq!(clean_key("abc"), Err(KeyInputError::TooShort));
        assert_eq!(
            clean_key("ключ-ключ-ключ"),
            Err(KeyInputError::BadCharacters)
        );
        assert_eq!(
            clean_key(&"a".repeat(KEY_MAX + 1)),
            Err(KeyInputError::TooLong)
        );
    }

    #[test]
    fn keys_are_told_from_names_numbers_and_sentences() {
        assert!(looks_like_key("0b7f3e2a-5c1d-4e8b-9a6f-ozonsandbox01"));
        assert!(looks_like_key("eyJhbGciOiJFUzI1NiJ9.eyJzIjoxfQ\n.sig-123"));
        assert!(!looks_like_key("100500"));
        assert!(!looks_like_key("Основной Ozon"));
        assert!(!looks_like_key("please connect my shop 2024 now"));
        assert!(!looks_like_key("abcdefghijklmnopqrstuvwxyz"));
        assert!(!looks_like_key("https://www.ozon.ru/product/1234567890"));
    }

    #[test]
    fn client_ids_are_digits() {
        assert_eq!(clean_client_id(" 100500 ").as_deref(), Some("100500"));
        assert_eq!(clean_client_id("\"42\"").as_deref(), Some("42"));
        assert_eq!(clean_client_id("12a"), None);
        assert_eq!(clean_client_id(""), None);
    }

    #[test]
    fn credentials_never_show_the_key_in_debug() {
        let c = Credentials {
            client_id: Some("1".into()),
            key: "very-secret".into(),
        };
        assert!(!format!("{c:?}").contains("very-secret"));
    }

    #[test]
    fn key_problems_round_trip_and_share_their_prefix() {
        for p in KeyProblem::ALL {
            assert!(p.code().starts_with("key-"), "{}", p.code());
            assert_eq!(p.code().parse::<KeyProblem>(), Ok(p));
        }
        assert!("sync-failed".parse::<KeyProblem>().is_err());
    }

    #[test]
    fn health_errors_round_trip_through_their_codes() {
        for e in [
            HealthError::Key(KeyProblem::Roles),
            HealthError::Api { status: 404 },
            HealthError::SyncFailed(None),
            HealthError::SyncFailed(Some(super::super::Failure {
                why: super::super::Rejection::NotFound,
                request: Some("ozon.fbs-list".into()),
                status: Some(404),
            })),
            HealthError::Other("something else".into()),
        ] {
            assert_eq!(HealthError::parse(&e.code()), e);
        }
        assert_eq!(
            HealthError::parse("api-x"),
            HealthError::Other("api-x".into())
        );
    }

    #[test]
    fn schemes_cover_their_orders() {
        assert!(SchemeChoice::Fbs.covers(Scheme::Dbs));
        assert!(!SchemeChoice::Fbs.covers(Scheme::Fbo));
        assert!(SchemeChoice::Both.covers(Scheme::Fbo));
        for s in SchemeChoice::ALL {
            assert_eq!(s.code().parse::<SchemeChoice>(), Ok(s));
        }
    }
}
