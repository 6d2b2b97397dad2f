//! How button data is written: a version prefix, then a feature's own short code, at most
//! 64 bytes (Telegram's limit). Buttons from another version are recognised as stale
//! instead of being misread. Each feature encodes and decodes its own codes with these
//! helpers; `callbacks.rs` routes a decoded press to its feature.

/// The version written in front of every callback payload.
pub const VERSION: &str = "1";

/// Telegram's limit on `callback_data`, in bytes.
pub const MAX_LEN: usize = 64;

/// The data of the Cancel button every dialogue shows.
pub fn cancel() -> String {
    data("x")
}

/// A full payload from a feature's code (`c:o:5` → `1:c:o:5`).
pub fn data(code: impl AsRef<str>) -> String {
    format!("{VERSION}:{}", code.as_ref())
}

/// The parts of a payload of this version (`1:c:o:5` → `["c", "o", "5"]`).
pub fn parts(data: &str) -> Option<Vec<&str>> {
    let body = data.strip_prefix(VERSION)?.strip_prefix(':')?;
    Some(body.split(':').collect())
}

/// An id in a payload.
pub fn id<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.parse().ok()
}

/// A flag in a payload: `0` or `1`.
pub fn flag(s: &str) -> Option<bool> {
    match s {
        "0" => Some(false),
        "1" => Some(true),
        _ => None,
    }
}

/// A flag as written.
pub fn bit(b: bool) -> u8 {
    u8::from(b)
}
