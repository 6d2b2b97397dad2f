//! Settings from the environment, validated once at start. The bot token is kept out of
//! `Debug` output and error messages.

use std::fmt;

/// Environment variables we read.
pub const TOKEN_VAR: &str = "MPBOT_TELEGRAM_TOKEN";
pub const TOKEN_VAR_ALT: &str = "TELOXIDE_TOKEN";
pub const API_URL_VAR: &str = "MPBOT_TELEGRAM_API_URL";
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";
/// How many days finished jobs and told alerts are kept.
pub const KEEP_DAYS_VAR: &str = "MPBOT_KEEP_DAYS";
/// How many background jobs one process runs at once (each on its own cabinet).
pub const LANES_VAR: &str = "MPBOT_LANES";
/// The database used when `DATABASE_URL` is not set: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://mpbot.db";

/// A bot token; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(String);

impl BotToken {
    /// Accepts `<bot id>:<secret>` as issued by @BotFather.
    pub fn parse(raw: &str) -> Option<BotToken> {
        let raw = raw.trim();
        let (id, secret) = raw.split_once(':')?;
        let id_ok = !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit());
        let secret_ok = secret.len() >= 30
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        (id_ok && secret_ok).then(|| BotToken(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BotToken(***)")
    }
}

/// A configuration problem, reported as one line naming the variable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(
        "{TOKEN_VAR} is not set: put the token from @BotFather there (TELOXIDE_TOKEN is accepted too)"
    )]
    MissingToken,
    #[error("{0} is malformed: expected <bot id>:<secret> as issued by @BotFather")]
    MalformedToken(&'static str),
    #[error("{API_URL_VAR} is not a valid http(s) URL")]
    BadApiUrl,
    #[error("{KEEP_DAYS_VAR} is not a whole number of days from 1 to 3650")]
    BadKeepDays,
    #[error("{LANES_VAR} is not a whole number from 1 to 64")]
    BadLanes,
}

/// What `mpbot run` needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub token: BotToken,
    pub api_url: Option<reqwest::Url>,
    pub database_url: String,
    /// Days finished jobs and told alerts are kept before they are removed.
    pub keep_days: i64,
    /// Background jobs run at once by this process.
    pub lanes: usize,
}

impl Config {
    /// Reads the configuration through `get` (the process environment in production).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let (var, raw) = match get(TOKEN_VAR).filter(|v| !v.trim().is_empty()) {
            Some(v) => (TOKEN_VAR, v),
            None => match get(TOKEN_VAR_ALT).filter(|v| !v.trim().is_empty()) {
                Some(v) => (TOKEN_VAR_ALT, v),
                None => return Err(ConfigError::MissingToken),
            },
        };
        let token = BotToken::parse(&raw).ok_or(ConfigError::MalformedToken(var))?;
        let api_url = match get(API_URL_VAR).filter(|v| !v.trim().is_empty()) {
            Some(u) => Some(parse_api_url(&u)?),
            None => None,
        };
        let database_url = get(DATABASE_URL_VAR)
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let number = |var: &str, default: i64, range: std::ops::RangeInclusive<i64>| match get(var)
            .filter(|v| !v.trim().is_empty())
        {
            None => Some(default),
            Some(v) => v.trim().parse::<i64>().ok().filter(|d| range.contains(d)),
        };
        let keep_days = number(KEEP_DAYS_VAR, crate::app::KEEP_DAYS, 1..=3650)
            .ok_or(ConfigError::BadKeepDays)?;
        let lanes = number(LANES_VAR, crate::app::LANES as i64, 1..=64)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or(ConfigError::BadLanes)?;
        Ok(Config {
            token,
            api_url,
            database_url,
            keep_days,
            lanes,
        })
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }
}

/// Parses a Bot API base URL; a trailing slash is added so paths join under it.
pub fn parse_api_url(raw: &str) -> Result<reqwest::Url, ConfigError> {
    let raw = raw.trim();
    let with_slash = if raw.ends_with('/') {
        raw.to_owned()
    } else {
        format!("{raw}/")
    };
    let url = reqwest::Url::parse(&with_slash).map_err(|_| ConfigError::BadApiUrl)?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(url)
    } else {
        Err(ConfigError::BadApiUrl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        move |k| owned.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    const GOOD: &str = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh";

    #[test]
    fn token_is_required_and_checked() {
        assert_eq!(
            Config::from_lookup(env(&[])).err(),
            Some(ConfigError::MissingToken)
        );
        assert_eq!(
            Config::from_lookup(env(&[(TOKEN_VAR, "nonsense")])).err(),
            Some(ConfigError::MalformedToken(TOKEN_VAR))
        );
        assert_eq!(
            Config::from_lookup(env(&[(TOKEN_VAR_ALT, "1:short")])).err(),
            Some(ConfigError::MalformedToken(TOKEN_VAR_ALT))
        );
        let c = Config::from_lookup(env(&[(TOKEN_VAR_ALT, GOOD)])).expect("valid");
        assert_eq!(c.token.expose(), GOOD);
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
    }

    #[test]
    fn token_never_shows_in_debug_or_errors() {
        let c = Config::from_lookup(env(&[(TOKEN_VAR, GOOD)])).expect("valid");
        assert!(!format!("{c:?}").contains("ABCDEFG"));
        let e = Config::from_lookup(env(&[(TOKEN_VAR, "12:zzqqxx-short")])).expect_err("malformed");
        assert!(!e.to_string().contains("zzqqxx"));
    }

    #[test]
    fn api_url_gets_a_trailing_slash() {
        let c = Config::from_lookup(env(&[
            (TOKEN_VAR, GOOD),
            (API_URL_VAR, "http://127.0.0.1:9/"),
        ]))
        .expect("valid");
        assert_eq!(
            c.api_url.map(|u| u.to_string()),
            Some("http://127.0.0.1:9/".into())
        );
        assert_eq!(
            parse_api_url("http://h:1").map(|u| u.to_string()),
            Ok("http://h:1/".into())
        );
        assert_eq!(parse_api_url("ftp://x").err(), Some(ConfigError::BadApiUrl));
    }

    #[test]
    fn finished_work_is_kept_14_days_unless_told() {
        let c = Config::from_lookup(env(&[(TOKEN_VAR, GOOD)])).expect("valid");
        assert_eq!(c.keep_days, 14);
        let c =
            Config::from_lookup(env(&[(TOKEN_VAR, GOOD), (KEEP_DAYS_VAR, " 30 ")])).expect("valid");
        assert_eq!(c.keep_days, 30);
        for bad in ["0", "-1", "two weeks", "4000"] {
            assert_eq!(
                Config::from_lookup(env(&[(TOKEN_VAR, GOOD), (KEEP_DAYS_VAR, bad)])).err(),
                Some(ConfigError::BadKeepDays),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_process_runs_a_few_jobs_at_once_unless_told() {
        let c = Config::from_lookup(env(&[(TOKEN_VAR, GOOD)])).expect("valid");
        assert_eq!(c.lanes, crate::app::LANES);
        let c = Config::from_lookup(env(&[(TOKEN_VAR, GOOD), (LANES_VAR, "32")])).expect("valid");
        assert_eq!(c.lanes, 32);
        for bad in ["0", "65", "many", "-2"] {
            assert_eq!(
                Config::from_lookup(env(&[(TOKEN_VAR, GOOD), (LANES_VAR, bad)])).err(),
                Some(ConfigError::BadLanes),
                "{bad}"
            );
        }
    }
}
