//! Prices as people type them and as each marketplace takes them, pure: a new price or a
//! relative change read from Russian or English writing, a discount, the price before and
//! after the seller's discount a marketplace will show (WB counts the price before discount
//! in whole roubles), the change in percent and the margin over the cost.

use super::Marketplace;
use super::money::{Money, MoneyError};

/// The highest price we publish: 10 000 000 ₽.
pub const MAX_PRICE: Money = Money(1_000_000_000);
/// A relative change may cut a price by less than 100% and raise it by at most 1000%.
const MAX_RAISE_BP: i64 = 100_000;
/// The highest discount we set.
pub const MAX_DISCOUNT: i64 = 95;

/// What someone typed as a new price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The price the buyer pays.
    Set(Money),
    /// A change of the current price, in hundredths of a percent: "-10%" is -1000.
    Change(i64),
}

/// Why a typed price is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    NotANumber,
    Zero,
    Negative,
    TooPrecise,
    TooLarge,
    /// Above zero but under 1 ₽: no marketplace sells at that, and Excel turns a typed
    /// "+5%" into 0.05.
    TooSmall,
    /// A relative change of -100% or less, or above +1000%.
    PercentOutOfRange,
}

impl Input {
    /// Reads "1 299,50", "1299.5", "1 299 ₽", "1299 руб", "-10%", "+5 %".
    pub fn parse(text: &str) -> Result<Input, InputError> {
        let t = text.trim();
        if let Some(body) = t.strip_suffix('%') {
            let body = body.trim();
            let (sign, digits) = if let Some(r) = body.strip_prefix('+') {
                (1, r)
            } else if let Some(r) = body.strip_prefix(['-', '−']) {
                (-1, r)
            } else {
                return Err(InputError::NotANumber);
            };
            let m = Money::parse(digits.trim()).map_err(money_error)?;
            let bp = m.0 * sign;
            if bp == 0 {
                return Err(InputError::Zero);
            }
            if bp <= -10_000 || bp > MAX_RAISE_BP {
                return Err(InputError::PercentOutOfRange);
            }
            return Ok(Input::Change(bp));
        }
        let lower = t.to_lowercase();
        let body = [
            "рублей",
            "рубля",
            "рубль",
            "руб.",
            "руб",
            "rub.",
            "rub",
            "rur",
            "р.",
            "р",
        ]
        .iter()
        .find_map(|s| lower.strip_suffix(s))
        .unwrap_or(&lower);
        let body = body.trim().trim_start_matches('+');
        if body.starts_with('−') {
            return Err(InputError::Negative);
        }
        let m = Money::parse(body).map_err(money_error)?;
        check(m).map(Input::Set)
    }

    /// The new price from the current one.
    pub fn apply(self, current: Money) -> Result<Money, InputError> {
        match self {
            Input::Set(m) => Ok(m),
            Input::Change(bp) => {
                let v = i128::from(current.0) * i128::from(10_000 + bp);
                let k = (v + 5_000) / 10_000;
                check(Money(i64::try_from(k).map_err(|_| InputError::TooLarge)?))
            }
        }
    }
}

fn money_error(e: MoneyError) -> InputError {
    match e {
        MoneyError::Empty | MoneyError::NotANumber => InputError::NotANumber,
        MoneyError::TooPrecise => InputError::TooPrecise,
        MoneyError::OutOfRange => InputError::TooLarge,
        MoneyError::Negative => InputError::Negative,
    }
}

/// A price we may publish: above zero, at most [`MAX_PRICE`].
pub fn check(m: Money) -> Result<Money, InputError> {
    if m.0 == 0 {
        Err(InputError::Zero)
    } else if m.0 < 0 {
        Err(InputError::Negative)
    } else if m > MAX_PRICE {
        Err(InputError::TooLarge)
    } else if m.0 < 100 {
        Err(InputError::TooSmall)
    } else {
        Ok(m)
    }
}

/// Reads a discount: "15", "15%", "0".
pub fn parse_discount(text: &str) -> Result<i64, InputError> {
    let t = text.trim().trim_end_matches('%').trim();
    if t.starts_with('-') || t.starts_with('−') {
        return Err(InputError::Negative);
    }
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(if t.contains([',', '.']) {
            InputError::TooPrecise
        } else {
            InputError::NotANumber
        });
    }
    let d: i64 = t.parse().map_err(|_| InputError::TooLarge)?;
    if d > MAX_DISCOUNT {
        return Err(InputError::PercentOutOfRange);
    }
    Ok(d)
}

/// A cell of a price list: as Excel stores a number (a float, maybe one ulp off two
/// decimals) or as people type it.
pub fn parse_cell(text: &str) -> Result<Money, InputError> {
    match Money::parse(text) {
        Ok(m) => check(m),
        Err(MoneyError::TooPrecise) => {
            let f: f64 = text.trim().parse().map_err(|_| InputError::TooPrecise)?;
            let k = (f * 100.0).round();
            if (f * 100.0 - k).abs() < 1e-6 {
                check(Money(k as i64))
            } else {
                Err(InputError::TooPrecise)
            }
        }
        Err(e) => Err(money_error(e)),
    }
}

/// A price as a marketplace will show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Before the seller's discount.
    pub before: Money,
    /// What the buyer pays.
    pub after: Money,
    pub discount: i64,
}

impl Plan {
    /// A new price the buyer pays, keeping the discount: the price before it follows.
    /// WB counts the price before discount in whole roubles, so its price after may be a
    /// few kopecks off what was asked.
    pub fn keep_discount(m: Marketplace, after: Money, discount: i64) -> Plan {
        let d = discount.clamp(0, MAX_DISCOUNT);
        let before = if d == 0 {
            after
        } else {
            Money((after.0 * 100 + (100 - d) / 2) / (100 - d))
        };
        match m {
            Marketplace::Wildberries => Plan::wb(before, d),
            _ => Plan {
                before,
                after,
                discount: d,
            },
        }
    }

    /// A new discount on the same price before it.
    pub fn new_discount(m: Marketplace, before: Money, discount: i64) -> Plan {
        let d = discount.clamp(0, MAX_DISCOUNT);
        match m {
            Marketplace::Wildberries => Plan::wb(before, d),
            _ => Plan {
                before,
                after: Money((before.0 * (100 - d) + 50) / 100),
                discount: d,
            },
        }
    }

    fn wb(before: Money, d: i64) -> Plan {
        let rub = before.rubles_rounded().max(1);
        Plan {
            before: Money::from_rubles(rub),
            after: Money(rub * (100 - d)),
            discount: d,
        }
    }

    /// The crossed-out price to send, when there is a discount.
    pub fn old_price(self) -> Option<Money> {
        (self.before > self.after).then_some(self.before)
    }
}

/// The change from `old` to `new` in whole percent, rounded half away from zero.
pub fn jump_percent(old: Money, new: Money) -> i64 {
    if old.0 <= 0 {
        return 0;
    }
    let d = (new.0 - old.0) * 100;
    if d >= 0 {
        (d + old.0 / 2) / old.0
    } else {
        -((-d + old.0 / 2) / old.0)
    }
}

/// The margin of a price over its cost: the amount and its share of the price in percent.
pub fn margin(price: Money, cost: Money) -> (Money, i64) {
    let m = Money(price.0 - cost.0);
    let pct = if price.0 > 0 {
        let v = m.0 * 100;
        if v >= 0 {
            (v + price.0 / 2) / price.0
        } else {
            -((-v + price.0 / 2) / price.0)
        }
    } else {
        0
    };
    (m, pct)
}

/// Where a confirmed price change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeState {
    /// Waiting to go out (maybe not before `not_before`).
    Queued,
    /// Accepted by the marketplace, not read back yet.
    Sent,
    /// Read back as asked.
    Applied,
    /// Refused by the marketplace, with its reason.
    Rejected,
    /// Accepted, but the marketplace still shows another price.
    Pending,
    /// A later change of the same product replaced it before it went out.
    Superseded,
}

impl ChangeState {
    pub fn code(self) -> &'static str {
        match self {
            ChangeState::Queued => "queued",
            ChangeState::Sent => "sent",
            ChangeState::Applied => "applied",
            ChangeState::Rejected => "rejected",
            ChangeState::Pending => "pending",
            ChangeState::Superseded => "superseded",
        }
    }

    pub(crate) fn of(code: &str) -> ChangeState {
        match code {
            "sent" => ChangeState::Sent,
            "applied" => ChangeState::Applied,
            "rejected" => ChangeState::Rejected,
            "pending" => ChangeState::Pending,
            "superseded" => ChangeState::Superseded,
            _ => ChangeState::Queued,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_prices_in_either_writing() {
        assert_eq!(Input::parse("1 299,50"), Ok(Input::Set(Money(129_950))));
        assert_eq!(Input::parse("1299.5"), Ok(Input::Set(Money(129_950))));
        assert_eq!(Input::parse("1 299 ₽"), Ok(Input::Set(Money(129_900))));
        assert_eq!(Input::parse("1299 руб."), Ok(Input::Set(Money(129_900))));
        assert_eq!(Input::parse("1 299 рублей"), Ok(Input::Set(Money(129_900))));
        assert_eq!(Input::parse("1299р"), Ok(Input::Set(Money(129_900))));
        assert_eq!(Input::parse("1299 RUB"), Ok(Input::Set(Money(129_900))));
        assert_eq!(Input::parse("12 345 678"), Err(InputError::TooLarge));
        assert_eq!(Input::parse("-10%"), Ok(Input::Change(-1000)));
        assert_eq!(Input::parse("+5 %"), Ok(Input::Change(500)));
        assert_eq!(Input::parse("+2,5%"), Ok(Input::Change(250)));
    }

    #[test]
    fn refused_prices_say_why() {
        assert_eq!(Input::parse("abc"), Err(InputError::NotANumber));
        assert_eq!(Input::parse("0"), Err(InputError::Zero));
        assert_eq!(Input::parse("-5"), Err(InputError::Negative));
        assert_eq!(Input::parse("1e9"), Err(InputError::NotANumber));
        assert_eq!(Input::parse("12,5,0"), Err(InputError::NotANumber));
        // Spaces group thousands; "12 99" is two numbers or a typo, not 1299.
        assert_eq!(Input::parse("12 99"), Err(InputError::NotANumber));
        assert_eq!(Input::parse("1 2999"), Err(InputError::NotANumber));
        assert_eq!(Input::parse("1299 50"), Err(InputError::NotANumber));
        assert_eq!(Input::parse("- 5"), Err(InputError::Negative));
        assert_eq!(Input::parse("10.999"), Err(InputError::TooPrecise));
        assert_eq!(Input::parse("10000001"), Err(InputError::TooLarge));
        assert_eq!(
            Input::parse("99999999999999999999"),
            Err(InputError::TooLarge)
        );
        assert_eq!(Input::parse("10%"), Err(InputError::NotANumber));
        assert_eq!(Input::parse("-100%"), Err(InputError::PercentOutOfRange));
        assert_eq!(Input::parse("+1001%"), Err(InputError::PercentOutOfRange));
        assert_eq!(Input::parse("+0%"), Err(InputError::Zero));
        assert_eq!(Input::parse(""), Err(InputError::NotANumber));
        // Under a rouble: what Excel keeps of a typed "+5%".
        assert_eq!(parse_cell("0.05"), Err(InputError::TooSmall));
        assert_eq!(Input::parse("0,99"), Err(InputError::TooSmall));
        assert_eq!(Input::parse("1"), Ok(Input::Set(Money(100))));
    }

    #[test]
    fn relative_changes_round_to_kopecks() {
        assert_eq!(
            Input::Change(-1000).apply(Money(100_000)),
            Ok(Money(90_000))
        );
        assert_eq!(Input::Change(333).apply(Money(99_99)), Ok(Money(10_332)));
        assert_eq!(
            Input::Change(100_000).apply(MAX_PRICE),
            Err(InputError::TooLarge)
        );
    }

    #[test]
    fn discounts_and_cells() {
        assert_eq!(parse_discount("15%"), Ok(15));
        assert_eq!(parse_discount("0"), Ok(0));
        assert_eq!(parse_discount("96"), Err(InputError::PercentOutOfRange));
        assert_eq!(parse_discount("-1"), Err(InputError::Negative));
        assert_eq!(parse_discount("1,5"), Err(InputError::TooPrecise));
        assert_eq!(parse_cell("1299.4999999999998"), Ok(Money(129_950)));
        assert_eq!(parse_cell("1299"), Ok(Money(129_900)));
        assert_eq!(parse_cell("12.345"), Err(InputError::TooPrecise));
        assert_eq!(parse_cell("0"), Err(InputError::Zero));
    }

    #[test]
    fn plans_keep_the_discount_each_marketplace_way() {
        let p = Plan::keep_discount(Marketplace::Ozon, Money(90_000), 10);
        assert_eq!(
            (p.before, p.after, p.discount),
            (Money(100_000), Money(90_000), 10)
        );
        assert_eq!(p.old_price(), Some(Money(100_000)));
        let p = Plan::keep_discount(Marketplace::Ozon, Money(90_000), 0);
        assert_eq!(p.old_price(), None);
        // WB: whole roubles before discount.
        let p = Plan::keep_discount(Marketplace::Wildberries, Money(129_950), 30);
        assert_eq!(p.before, Money(185_600));
        assert_eq!(p.after, Money(129_920));
        let p = Plan::new_discount(Marketplace::YandexMarket, Money(100_000), 15);
        assert_eq!(p.after, Money(85_000));
    }

    #[test]
    fn jumps_and_margins() {
        assert_eq!(jump_percent(Money(100_000), Money(400_000)), 300);
        assert_eq!(jump_percent(Money(100_000), Money(90_000)), -10);
        assert_eq!(jump_percent(Money(0), Money(90_000)), 0);
        assert_eq!(margin(Money(100_000), Money(65_000)), (Money(35_000), 35));
        assert_eq!(
            margin(Money(100_000), Money(120_000)),
            (Money(-20_000), -20)
        );
    }
}
