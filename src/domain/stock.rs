//! Stock rules (F5), pure: the formula that turns our stock into what a marketplace shows
//! (the seed's SKIF options), a stock change as typed in chat, and days of stock left.

use serde::{Deserialize, Serialize};

/// How the stock a marketplace warehouse shows is computed from ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Formula {
    /// Our warehouses to sum; empty sums them all.
    #[serde(default)]
    pub stores: Vec<super::StoreId>,
    /// Take off what open orders hold.
    #[serde(default = "yes")]
    pub reserve: bool,
    /// Always keep this many back.
    #[serde(default)]
    pub buffer: i64,
    /// Show zero when what is left is below this.
    #[serde(default)]
    pub zero_below: i64,
    /// Never show more than this.
    #[serde(default)]
    pub cap: Option<i64>,
}

fn yes() -> bool {
    true
}

impl Default for Formula {
    fn default() -> Self {
        Formula {
            stores: Vec::new(),
            reserve: true,
            buffer: 0,
            zero_below: 0,
            cap: None,
        }
    }
}

impl Formula {
    /// Whether a store's stock counts.
    pub fn counts(&self, store: super::StoreId) -> bool {
        self.stores.is_empty() || self.stores.contains(&store)
    }

    /// What to show for a SKU with `levels` (store, quantity) of ours and `reserved` held
    /// by open orders: never negative.
    pub fn apply(&self, levels: &[(super::StoreId, i64)], reserved: i64) -> i64 {
        let sum: i64 = levels
            .iter()
            .filter(|(s, _)| self.counts(*s))
            .map(|(_, q)| (*q).max(0))
            .sum();
        let mut v = sum - if self.reserve { reserved.max(0) } else { 0 } - self.buffer.max(0);
        if v < self.zero_below {
            v = 0;
        }
        if let Some(cap) = self.cap {
            v = v.min(cap.max(0));
        }
        v.max(0)
    }
}

/// One change to a formula, as a button makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Count one of our warehouses in, or leave it out.
    Store(super::StoreId),
    Reserve(bool),
    Buffer(i64),
    ZeroBelow(i64),
    Cap(Option<i64>),
}

/// The safety buffers offered, in units.
pub const BUFFERS: [i64; 6] = [0, 1, 2, 3, 5, 10];
/// The thresholds under which zero is shown.
pub const ZERO_BELOW: [i64; 6] = [0, 1, 2, 3, 5, 10];
/// The caps offered (besides none).
pub const CAPS: [i64; 6] = [1, 5, 10, 20, 50, 100];

impl Part {
    /// Whether the value is one of those offered.
    pub fn offered(self) -> bool {
        match self {
            Part::Store(_) | Part::Reserve(_) | Part::Cap(None) => true,
            Part::Buffer(n) => BUFFERS.contains(&n),
            Part::ZeroBelow(n) => ZERO_BELOW.contains(&n),
            Part::Cap(Some(n)) => CAPS.contains(&n),
        }
    }
}

impl Formula {
    /// The formula with one part changed, among our warehouses `all`; `None` when it
    /// would count none of them. Counting every warehouse is kept as "all", so one added
    /// later counts too.
    pub fn with(&self, part: Part, all: &[super::StoreId]) -> Option<Formula> {
        let mut f = self.clone();
        match part {
            Part::Store(id) => {
                let mut chosen: Vec<super::StoreId> =
                    all.iter().copied().filter(|s| f.counts(*s)).collect();
                if let Some(i) = chosen.iter().position(|s| *s == id) {
                    chosen.remove(i);
                } else if all.contains(&id) {
                    chosen.push(id);
                }
                if chosen.is_empty() {
                    return None;
                }
                chosen.sort_unstable();
                f.stores = if all.iter().all(|s| chosen.contains(s)) {
                    Vec::new()
                } else {
                    chosen
                };
            }
            Part::Reserve(on) => f.reserve = on,
            Part::Buffer(n) => f.buffer = n.max(0),
            Part::ZeroBelow(n) => f.zero_below = n.max(0),
            Part::Cap(c) => f.cap = c.map(|n| n.max(0)),
        }
        Some(f)
    }
}

/// What a stock change typed in chat does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Set(i64),
    Add(i64),
    Subtract(i64),
}

/// Why a typed stock change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeError {
    NotANumber,
    Negative,
    TooLarge,
}

/// The most units one stock level may hold.
pub const MAX_QUANTITY: i64 = 10_000_000;

impl Change {
    /// `12` sets, `+3` adds, `-2` subtracts (a minus with a mode already chosen is a
    /// negative count, refused); spaces between digits are allowed.
    pub fn parse(input: &str, mode: Option<Mode>) -> Result<Change, ChangeError> {
        let t = input.trim();
        // Two lines are two numbers, and spaces only group thousands ("1 000"): "12\n13"
        // or "12 13" is no count.
        if t.contains(['\n', '\r']) || !grouped(t) {
            return Err(ChangeError::NotANumber);
        }
        let s: String = t
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        let (sign, digits) = match s.chars().next() {
            Some('+') => (Some('+'), &s[1..]),
            Some('-') | Some('−') => {
                (Some('-'), &s[s.chars().next().map_or(1, char::len_utf8)..])
            }
            _ => (None, s.as_str()),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ChangeError::NotANumber);
        }
        let n: i64 = digits.parse().map_err(|_| ChangeError::TooLarge)?;
        if n > MAX_QUANTITY {
            return Err(ChangeError::TooLarge);
        }
        match (mode, sign) {
            (Some(_), Some('-')) => Err(ChangeError::Negative),
            (Some(Mode::Set), _) | (None, None) => Ok(Change::Set(n)),
            (Some(Mode::Add), _) | (None, Some('+')) => Ok(Change::Add(n)),
            (Some(Mode::Subtract), _) | (None, Some(_)) => Ok(Change::Subtract(n)),
        }
    }

    /// The level after the change; `None` when it would go below zero.
    pub fn apply(self, before: i64) -> Option<i64> {
        let after = match self {
            Change::Set(n) => n,
            Change::Add(n) => before.saturating_add(n),
            Change::Subtract(n) => before - n,
        };
        (0..=MAX_QUANTITY).contains(&after).then_some(after)
    }
}

/// How a chat change is meant, chosen by a button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    Set,
    Add,
    Subtract,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Set, Mode::Add, Mode::Subtract];

    pub fn code(self) -> &'static str {
        match self {
            Mode::Set => "set",
            Mode::Add => "add",
            Mode::Subtract => "sub",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.code() == s)
    }
}

/// Whether spaces in a count only group its thousands: "1 000" and "12 345,00" do,
/// "12 13" does not; a sign may stand apart ("+ 5").
pub fn grouped(t: &str) -> bool {
    let mut parts: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 && matches!(parts[0], "+" | "-" | "−") {
        parts.remove(0);
    }
    let Some((first, rest)) = parts.split_first() else {
        return true;
    };
    if rest.is_empty() {
        return true;
    }
    let first = first.trim_start_matches(['+', '-', '−']);
    let last = rest.len() - 1;
    (1..=3).contains(&first.chars().count())
        && rest.iter().enumerate().all(|(i, p)| {
            // The last group may carry the decimals: "1 000,00".
            let p = if i == last {
                p.split([',', '.']).next().unwrap_or(p)
            } else {
                p
            };
            p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Days the stock lasts at `sold` units over `days` days; `None` when nothing sold.
pub fn days_left(stock: i64, sold: i64, days: i64) -> Option<i64> {
    if sold <= 0 || days <= 0 {
        return None;
    }
    Some(stock.max(0) * days / sold)
}

/// Whether `code` is a barcode we can look up: 8 to 14 digits.
pub fn is_barcode(code: &str) -> bool {
    (8..=14).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit())
}

/// One of our warehouses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub id: super::StoreId,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::StoreId;

    #[test]
    fn the_formula_sums_chosen_stores_less_reserve_and_buffer() {
        let f = Formula {
            stores: vec![StoreId(1), StoreId(2)],
            reserve: true,
            buffer: 2,
            zero_below: 3,
            cap: Some(50),
        };
        assert_eq!(
            f.apply(&[(StoreId(1), 10), (StoreId(2), 5), (StoreId(3), 100)], 4),
            9
        );
        // Below the threshold: zero.
        assert_eq!(f.apply(&[(StoreId(1), 6)], 2), 0);
        // Capped.
        assert_eq!(f.apply(&[(StoreId(1), 500)], 0), 50);
        // Never negative, negative levels count as none.
        assert_eq!(f.apply(&[(StoreId(1), -5)], 10), 0);
        let all = Formula::default();
        assert_eq!(all.apply(&[(StoreId(1), 10), (StoreId(9), 5)], 3), 12);
        let no_reserve = Formula {
            reserve: false,
            ..Formula::default()
        };
        assert_eq!(no_reserve.apply(&[(StoreId(1), 10)], 3), 10);
    }

    #[test]
    fn a_count_is_one_number_its_thousands_grouped() {
        assert_eq!(Change::parse("12", None), Ok(Change::Set(12)));
        assert_eq!(Change::parse("1 000", None), Ok(Change::Set(1000)));
        assert_eq!(Change::parse("+ 5", None), Ok(Change::Add(5)));
        assert_eq!(
            Change::parse("12 345", Some(Mode::Add)),
            Ok(Change::Add(12_345))
        );
        for two in ["12\n13", "12 13", "1 2", "12\r\n3", "1 0000"] {
            assert_eq!(
                Change::parse(two, None),
                Err(ChangeError::NotANumber),
                "{two:?}"
            );
        }
    }

    #[test]
    fn a_stored_formula_keeps_its_form() {
        let f: Formula = serde_json::from_str("{}").expect("decodes");
        assert_eq!(f, Formula::default());
        let json = serde_json::to_string(&Formula {
            stores: vec![StoreId(3)],
            reserve: false,
            buffer: 1,
            zero_below: 2,
            cap: Some(9),
        })
        .expect("encodes");
        assert_eq!(
            json,
            r#"{"stores":[3],"reserve":false,"buffer":1,"zero_below":2,"cap":9}"#
        );
    }

    #[test]
    fn a_formula_changes_one_part_at_a_time() {
        let all = [StoreId(1), StoreId(2), StoreId(3)];
        let f = Formula::default();
        let without_2 = f.with(Part::Store(StoreId(2)), &all).expect("two remain");
        assert_eq!(without_2.stores, vec![StoreId(1), StoreId(3)]);
        let only_1 = without_2
            .with(Part::Store(StoreId(3)), &all)
            .expect("one remains");
        assert_eq!(only_1.stores, vec![StoreId(1)]);
        // The last one may not go: nothing would be counted.
        assert_eq!(only_1.with(Part::Store(StoreId(1)), &all), None);
        // Back to every warehouse: kept as "all".
        let back = only_1
            .with(Part::Store(StoreId(2)), &all)
            .and_then(|f| f.with(Part::Store(StoreId(3)), &all))
            .expect("all");
        assert!(back.stores.is_empty());
        // A warehouse that is not ours changes nothing.
        assert_eq!(f.with(Part::Store(StoreId(9)), &all), Some(f.clone()));
        let f = f
            .with(Part::Buffer(3), &all)
            .and_then(|f| f.with(Part::Cap(Some(20)), &all))
            .and_then(|f| f.with(Part::Reserve(false), &all))
            .expect("set");
        assert_eq!((f.buffer, f.cap, f.reserve), (3, Some(20), false));
        assert!(Part::Buffer(5).offered());
        assert!(!Part::Buffer(7).offered());
        assert!(!Part::Cap(Some(0)).offered());
    }

    #[test]
    fn typed_changes_parse_and_refuse() {
        assert_eq!(Change::parse("12", None), Ok(Change::Set(12)));
        assert_eq!(Change::parse(" 1 200 ", None), Ok(Change::Set(1200)));
        assert_eq!(Change::parse("+3", None), Ok(Change::Add(3)));
        assert_eq!(Change::parse("-2", None), Ok(Change::Subtract(2)));
        assert_eq!(Change::parse("5", Some(Mode::Add)), Ok(Change::Add(5)));
        assert_eq!(
            Change::parse("5", Some(Mode::Subtract)),
            Ok(Change::Subtract(5))
        );
        assert_eq!(
            Change::parse("-5", Some(Mode::Set)),
            Err(ChangeError::Negative)
        );
        assert_eq!(Change::parse("abc", None), Err(ChangeError::NotANumber));
        assert_eq!(Change::parse("2.5", None), Err(ChangeError::NotANumber));
        assert_eq!(Change::parse("", None), Err(ChangeError::NotANumber));
        assert_eq!(Change::parse("+", None), Err(ChangeError::NotANumber));
        assert_eq!(
            Change::parse("99999999999999999999", None),
            Err(ChangeError::TooLarge)
        );
        assert_eq!(Change::Subtract(5).apply(3), None);
        assert_eq!(Change::Add(5).apply(3), Some(8));
        assert_eq!(Change::Set(0).apply(3), Some(0));
    }

    #[test]
    fn days_of_stock_follow_velocity() {
        assert_eq!(days_left(10, 14, 14), Some(10));
        assert_eq!(days_left(10, 0, 14), None);
        assert_eq!(days_left(3, 28, 14), Some(1));
        assert!(is_barcode("4600000000017"));
        assert!(!is_barcode("ART-1"));
    }
}
