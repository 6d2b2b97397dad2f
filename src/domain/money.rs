//! Money as integer kopecks, parsed from user input ("1 299,50") and from marketplace
//! wire values (decimal strings and JSON numbers).

use std::fmt;

/// An amount in kopecks (1/100 of a rouble or of the cabinet's currency).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Money(pub i64);

/// Why a text is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("empty amount")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooPrecise,
    #[error("amount out of range")]
    OutOfRange,
    #[error("negative amount")]
    Negative,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_rubles(r: i64) -> Money {
        Money(r * 100)
    }

    pub fn kopecks(self) -> i64 {
        self.0
    }

    /// Parses a decimal amount: spaces (also non-breaking) group thousands, `,` or `.`
    /// separates kopecks, at most two decimals; negative amounts are refused.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        if !grouped_by_thousands(input) {
            return Err(MoneyError::NotANumber);
        }
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
            .collect();
        let cleaned = cleaned.trim_end_matches(['₽', 'р', '.']);
        // "4,269.00" as English writes it: commas group thousands before a decimal point.
        let cleaned = match cleaned.rsplit_once('.') {
            Some((whole, frac)) if whole.contains(',') && thousands(whole) => {
                format!("{}.{frac}", whole.replace(',', ""))
            }
            _ => cleaned.replace(',', "."),
        };
        if cleaned.is_empty() {
            return Err(MoneyError::Empty);
        }
        if cleaned.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(MoneyError::NotANumber);
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::OutOfRange)?
        };
        let frac_k: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| MoneyError::NotANumber)? * 10,
            _ => frac.parse().map_err(|_| MoneyError::NotANumber)?,
        };
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac_k))
            .map(Money)
            .ok_or(MoneyError::OutOfRange)
    }

    /// Reads a marketplace decimal ("1299.5", "1299.50", "1299"); rounds half away from
    /// zero past two decimals, as the marketplaces' own reports do.
    pub fn from_wire_str(s: &str) -> Option<Money> {
        let s = s.trim();
        let negative = s.starts_with('-');
        let body = s.trim_start_matches(['-', '+']);
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let mut digits = frac.bytes().map(|b| i64::from(b - b'0'));
        let d1 = digits.next().unwrap_or(0);
        let d2 = digits.next().unwrap_or(0);
        let round_up = digits.next().is_some_and(|d| d >= 5);
        let k = whole.checked_mul(100)? + d1 * 10 + d2 + i64::from(round_up);
        Some(Money(if negative { -k } else { k }))
    }

    /// Reads a JSON number amount in roubles.
    pub fn from_wire_f64(v: f64) -> Option<Money> {
        if !v.is_finite() || v.abs() > 9.0e15 {
            return None;
        }
        Some(Money((v * 100.0).round() as i64))
    }

    /// The decimal form marketplaces accept: "1299.50", "1299" when whole.
    pub fn to_wire(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        if a.is_multiple_of(100) {
            format!("{sign}{}", a / 100)
        } else {
            format!("{sign}{}.{:02}", a / 100, a % 100)
        }
    }

    /// The discount from `self` (before) to `after`, in whole percent rounded half up;
    /// 0 when there is no price before.
    pub fn discount_percent(self, after: Money) -> i64 {
        if self.0 > 0 {
            ((self.0 - after.0) * 100 + self.0 / 2) / self.0
        } else {
            0
        }
    }

    /// Whole roubles, rounded half up (for APIs that take integer prices).
    pub fn rubles_rounded(self) -> i64 {
        (self.0 + 50).div_euclid(100)
    }
}

impl Money {
    /// The amount written the way a reader of `lang` expects: "1 299,50" in Russian,
    /// "1,299.50" in English.
    pub fn localized(self, lang: super::Lang) -> String {
        match lang {
            super::Lang::Ru => self.to_string(),
            super::Lang::En => self.to_string().replace(',', ".").replace('\u{a0}', ","),
        }
    }
}

impl fmt::Display for Money {
    /// "1 299,50" — the Russian way, with a thin grouping space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let whole = (a / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped},{:02}", a % 100)
    }
}

/// Whether digits written apart by spaces group thousands: "1 299,50" and "12 345 678"
/// do, "12 99" or "1 2999" do not (they are two numbers, or a typo, not a price).
fn grouped_by_thousands(input: &str) -> bool {
    let mut tokens: Vec<&str> = input
        .split([' ', '\u{a0}', '\u{202f}'])
        .filter(|t| !t.is_empty())
        .collect();
    // A currency written apart ("1 299 ₽") and a sign apart ("- 5") are no groups.
    if tokens.len() > 1
        && tokens
            .last()
            .is_some_and(|t| !t.starts_with(|c: char| c.is_ascii_digit()))
    {
        tokens.pop();
    }
    if tokens.len() > 1 && tokens[0].chars().all(|c| matches!(c, '-' | '+' | '−')) {
        tokens.remove(0);
    }
    if tokens.len() < 2 {
        return true;
    }
    let lead = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let first = tokens[0].trim_start_matches(['-', '+', '−']);
    let last = tokens.len() - 1;
    (1..=3).contains(&first.len())
        && lead(first) == first.len()
        && tokens[1..]
            .iter()
            .enumerate()
            .all(|(i, t)| lead(t) == 3 && (i + 1 == last || t.len() == 3))
}

/// Whether "1,299" or "12,345,678" groups whole roubles by thousands with commas.
fn thousands(whole: &str) -> bool {
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_per_language() {
        use crate::domain::Lang;
        assert_eq!(Money(2_089_870).localized(Lang::Ru), "20\u{a0}898,70");
        assert_eq!(Money(2_089_870).localized(Lang::En), "20,898.70");
        assert_eq!(Money(-5).localized(Lang::En), "-0.05");
    }

    #[test]
    fn user_amounts_parse_in_russian_notation() {
        assert_eq!(Money::parse("1 299,50"), Ok(Money(129_950)));
        assert_eq!(Money::parse("1299.5"), Ok(Money(129_950)));
        assert_eq!(Money::parse("1\u{a0}299"), Ok(Money(129_900)));
        assert_eq!(Money::parse("12 345 678,50"), Ok(Money(1_234_567_850)));
        assert_eq!(Money::parse("12 99"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1 299 ₽"), Ok(Money(129_900)));
        assert_eq!(Money::parse("0,99"), Ok(Money(99)));
        assert_eq!(Money::parse(",5"), Ok(Money(50)));
        assert_eq!(Money::parse("12,345"), Err(MoneyError::TooPrecise));
        // English writing, as the bot shows amounts in English.
        assert_eq!(Money::parse("4,269.00"), Ok(Money(426_900)));
        assert_eq!(Money::parse("12,345,678.5"), Ok(Money(1_234_567_850)));
        assert_eq!(Money::parse("1,2.5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1,2345.5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("  "), Err(MoneyError::Empty));
        assert_eq!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::OutOfRange)
        );
    }

    #[test]
    fn wire_amounts_round_trip() {
        assert_eq!(Money::from_wire_str("1299.50"), Some(Money(129_950)));
        assert_eq!(Money::from_wire_str("1299"), Some(Money(129_900)));
        assert_eq!(Money::from_wire_str("0.005"), Some(Money(1)));
        assert_eq!(Money::from_wire_str("-12.3"), Some(Money(-1230)));
        assert_eq!(Money::from_wire_str("1e3"), None);
        assert_eq!(Money::from_wire_f64(1299.5), Some(Money(129_950)));
        assert_eq!(Money::from_wire_f64(0.1 + 0.2), Some(Money(30)));
        assert_eq!(Money(129_950).to_wire(), "1299.50");
        assert_eq!(Money(129_900).to_wire(), "1299");
        assert_eq!(Money(129_950).rubles_rounded(), 1300);
        assert_eq!(Money(150_000).discount_percent(Money(129_950)), 13);
        assert_eq!(Money(120_000).discount_percent(Money(99_990)), 17);
        assert_eq!(Money(0).discount_percent(Money(0)), 0);
        assert_eq!(Money(129_949).rubles_rounded(), 1299);
        assert_eq!(Money(129_950).to_string(), "1\u{a0}299,50");
    }
}
