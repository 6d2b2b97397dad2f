//! Finance per order (F10): what the marketplace accrued for an order, sorted into a few
//! kinds a seller reads (the sale, refunds, the marketplace's commission, logistics,
//! penalties, everything else), and what is left: the payout, and the profit once the
//! cost of the goods is known. Amounts are kopecks (exact), signed as the money moves:
//! positive to the seller, negative charged.

use super::Money;

/// What an accrual line is, to a seller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The goods sold (positive).
    Sale,
    /// Money given back to the buyer on a return (negative).
    Refund,
    /// The marketplace's fee for the sale (and acquiring, which it bills as one).
    Commission,
    /// Delivery to the buyer and back, and moving goods between warehouses.
    Logistics,
    /// Fines.
    Penalty,
    /// Any other charge or payment tied to the order.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Sale,
        Kind::Refund,
        Kind::Commission,
        Kind::Logistics,
        Kind::Penalty,
        Kind::Other,
    ];

    /// As stored (never renamed).
    pub const fn code(self) -> &'static str {
        match self {
            Kind::Sale => "sale",
            Kind::Refund => "refund",
            Kind::Commission => "commission",
            Kind::Logistics => "logistics",
            Kind::Penalty => "penalty",
            Kind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Kind {
        Kind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .unwrap_or(Kind::Other)
    }

    /// Sorts an accrual type by the name the marketplace gives it (Ozon's directory of
    /// accrual types, YM's commission types): the words every marketplace uses for a sale,
    /// a return, its fee, delivery and fines.
    pub fn of_name(name: &str) -> Kind {
        let n = name.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
        if has(&["штраф", "penalt", "fine"]) {
            Kind::Penalty
        } else if has(&[
            "логист",
            "доставк",
            "магистрал",
            "последняя миля",
            "logistic",
            "delivery",
            "sorting",
            "сортировк",
        ]) {
            Kind::Logistics
        } else if has(&[
            "вознагражд",
            "комисс",
            "эквайр",
            "commission",
            "fee",
            "acquiring",
            "agency",
            "payment_transfer",
        ]) {
            Kind::Commission
        } else if has(&["возврат", "refund", "return"]) {
            Kind::Refund
        } else if has(&["выручк", "продаж", "sale", "payment", "реализац"]) {
            Kind::Sale
        } else {
            Kind::Other
        }
    }
}

/// Whose figures: the marketplace's forecast when the order came, or what it accrued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    Expected,
    Settled,
}

impl Basis {
    pub const fn code(self) -> &'static str {
        match self {
            Basis::Expected => "expected",
            Basis::Settled => "settled",
        }
    }

    pub fn parse(code: &str) -> Basis {
        if code == "expected" {
            Basis::Expected
        } else {
            Basis::Settled
        }
    }
}

/// One accrual on an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: Kind,
    /// The marketplace's own name of the accrual type.
    pub label: String,
    /// Signed: positive to the seller.
    pub amount: Money,
    /// When it was accrued (unix seconds, the day's start).
    pub at: i64,
}

/// An order's money, summed by kind. Charges are shown positive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Sales less refunds.
    pub revenue: Money,
    pub commission: Money,
    pub logistics: Money,
    /// Penalties and every other charge, less other payments.
    pub other: Money,
    /// What the marketplace pays: the sum of every line.
    pub payout: Money,
}

impl Figures {
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a Line>) -> Figures {
        let mut f = Figures::default();
        for l in lines {
            let a = l.amount.0;
            match l.kind {
                Kind::Sale | Kind::Refund => f.revenue.0 += a,
                Kind::Commission => f.commission.0 -= a,
                Kind::Logistics => f.logistics.0 -= a,
                Kind::Penalty | Kind::Other => f.other.0 -= a,
            }
            f.payout.0 += a;
        }
        f
    }

    /// Adds another order's figures (a period's total).
    pub fn add(&mut self, o: &Figures) {
        self.revenue.0 += o.revenue.0;
        self.commission.0 += o.commission.0;
        self.logistics.0 += o.logistics.0;
        self.other.0 += o.other.0;
        self.payout.0 += o.payout.0;
    }

    /// Whether the marketplace charged something without a sale to set against it.
    pub fn is_loss(&self) -> bool {
        self.payout.0 < 0
    }
}

/// An item's cost, as the price module knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCost {
    pub vendor_code: String,
    pub quantity: i64,
    /// One unit's cost; `None` when nobody told it.
    pub cost: Option<Money>,
}

/// What an order earned once the goods are paid for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profit {
    /// Payout less the cost of the goods whose cost is known.
    pub profit: Money,
    /// Profit over revenue, in basis points; `None` without revenue.
    pub margin_bp: Option<i64>,
    /// Items without a cost (counted as unknown, never as zero).
    pub missing: Vec<String>,
}

/// The profit of an order: its payout less cost × quantity of each item. Goods that came
/// back (no revenue left) cost nothing: they are on the shelf again.
pub fn profit(f: &Figures, items: &[ItemCost]) -> Profit {
    let sold = f.revenue.0 > 0;
    let mut cost = 0i64;
    let mut missing = Vec::new();
    if sold {
        for i in items {
            match i.cost {
                Some(c) => cost += c.0 * i.quantity,
                None => missing.push(i.vendor_code.clone()),
            }
        }
    }
    let profit = Money(f.payout.0 - cost);
    let margin_bp = (f.revenue.0 > 0).then(|| profit.0 * 10_000 / f.revenue.0);
    Profit {
        profit,
        margin_bp,
        missing,
    }
}

/// Whether an order's figures of this basis stand: a forecast is of a sale, so an order
/// that ended unsold (cancelled, returned) has none until the marketplace settles it.
/// (`storage::finance::void_forecasts` applies the same rule to what is kept.)
pub fn stands(basis: Basis, unified: &str) -> bool {
    basis == Basis::Settled || !matches!(unified, "cancelled" | "returned")
}

/// One day of a summary: its orders and money, for the chart.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DayFigures {
    /// The day's local start (unix seconds).
    pub day: i64,
    pub orders: i64,
    pub cancelled: i64,
    pub revenue: Money,
    /// Commission, logistics and other charges, positive when charged.
    pub charges: Money,
    pub profit: Money,
}

/// A SKU among a summary's best sellers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TopSku {
    pub code: String,
    pub name: String,
    pub units: i64,
    pub revenue: Money,
}

/// What a daily or weekly summary tells, as it stood when it was raised (sums are shown
/// only where money may be).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SummaryFacts {
    pub orders: i64,
    pub cancelled: i64,
    pub returned: i64,
    /// Of the orders, those the marketplace has settled.
    pub settled: i64,
    pub revenue: Money,
    pub charges: Money,
    pub payout: Money,
    pub profit: Money,
    /// Profit over revenue, basis points.
    pub margin_bp: Option<i64>,
    /// Payouts recorded in the span (N days after their orders): how many, how much.
    pub paid_orders: i64,
    pub paid: Money,
    /// The best sellers by revenue, at most five.
    pub top: Vec<TopSku>,
    /// Orders that earn nothing and carry a charge: how many, what they cost.
    pub losses: i64,
    pub lost: Money,
    /// Vendor codes sold without a cost (profit leaves them out).
    pub missing_cost: Vec<String>,
    /// The days the chart shows, oldest first (the span's last day last).
    pub days: Vec<DayFigures>,
    /// A week's summary: the week before's orders and revenue.
    pub before: Option<(i64, Money)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: Kind, rub: i64) -> Line {
        Line {
            kind,
            label: String::new(),
            amount: Money(rub * 100),
            at: 0,
        }
    }

    #[test]
    fn figures_sum_each_kind_and_the_payout_is_every_line() {
        let f = Figures::of(&[
            line(Kind::Sale, 1000),
            line(Kind::Commission, -150),
            line(Kind::Logistics, -76),
            line(Kind::Penalty, -10),
        ]);
        assert_eq!(f.revenue, Money(100_000));
        assert_eq!(f.commission, Money(15_000));
        assert_eq!(f.logistics, Money(7_600));
        assert_eq!(f.other, Money(1_000));
        assert_eq!(f.payout, Money(76_400));
        assert!(!f.is_loss());
        assert!(Figures::of(&[line(Kind::Logistics, -76)]).is_loss());
    }

    #[test]
    fn an_item_without_a_cost_is_named_not_counted_as_zero() {
        let f = Figures::of(&[line(Kind::Sale, 1000), line(Kind::Commission, -200)]);
        let p = profit(
            &f,
            &[
                ItemCost {
                    vendor_code: "A".into(),
                    quantity: 2,
                    cost: Some(Money(20_000)),
                },
                ItemCost {
                    vendor_code: "B".into(),
                    quantity: 1,
                    cost: None,
                },
            ],
        );
        assert_eq!(p.profit, Money(40_000));
        assert_eq!(p.margin_bp, Some(4_000));
        assert_eq!(p.missing, vec!["B".to_owned()]);
    }

    #[test]
    fn accrual_names_sort_into_kinds() {
        assert_eq!(Kind::of_name("Выручка"), Kind::Sale);
        assert_eq!(
            Kind::of_name("Вознаграждение Ozon за продажу"),
            Kind::Commission
        );
        assert_eq!(Kind::of_name("Логистика"), Kind::Logistics);
        assert_eq!(Kind::of_name("Обратная логистика"), Kind::Logistics);
        assert_eq!(Kind::of_name("Возврат выручки"), Kind::Refund);
        assert_eq!(Kind::of_name("DELIVERY_TO_CUSTOMER"), Kind::Logistics);
        assert_eq!(Kind::of_name("FEE"), Kind::Commission);
        assert_eq!(Kind::of_name("Штраф за отмену"), Kind::Penalty);
        assert_eq!(Kind::of_name("Хранение"), Kind::Other);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.code()), k);
        }
    }
}
