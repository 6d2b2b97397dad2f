//! A period's money (F10): orders, revenue, charges by kind, payouts and profit, per cabinet
//! and in all; the orders the marketplace has not settled yet; the losses (orders that earn
//! nothing and still carry a charge); the goods whose cost nobody told.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::app::{Actor, AppResult};
use crate::domain::finance::{Basis, DayFigures, Figures, ItemCost, TopSku, profit, stands};
use crate::domain::ids::OrderId;
use crate::domain::{Money, Permission};
use crate::storage::finance as fin;

/// A period a seller asks for, in the company's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Today,
    Yesterday,
    /// The last 7 days, today included.
    Week,
    /// The last 30 days, today included.
    Days30,
    /// This calendar month so far.
    Month,
}

impl Period {
    pub const ALL: [Period; 5] = [
        Period::Today,
        Period::Yesterday,
        Period::Week,
        Period::Days30,
        Period::Month,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Period::Today => "today",
            Period::Yesterday => "yesterday",
            Period::Week => "7d",
            Period::Days30 => "30d",
            Period::Month => "month",
        }
    }

    pub fn parse(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.code() == code)
    }

    /// `[from, to)` in unix seconds, in `zone`, at `now`.
    pub fn span(self, zone: crate::domain::Zone, now: i64) -> (i64, i64) {
        use chrono::{Datelike, Duration};
        let today = zone
            .local_day(now)
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        let start = |d: chrono::NaiveDate| zone.day_start(d).unwrap_or(now);
        let tomorrow = start(today + Duration::days(1));
        match self {
            Period::Today => (start(today), tomorrow),
            Period::Yesterday => (start(today - Duration::days(1)), start(today)),
            Period::Week => (start(today - Duration::days(6)), tomorrow),
            Period::Days30 => (start(today - Duration::days(29)), tomorrow),
            Period::Month => (start(today.with_day(1).unwrap_or(today)), tomorrow),
        }
    }
}

/// One order's money in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    pub order: OrderId,
    pub number: String,
    pub cabinet: String,
    pub created_at: i64,
    pub unified: String,
    pub total: Money,
    /// `None` when the marketplace has told nothing yet.
    pub basis: Option<Basis>,
    pub figures: Figures,
    pub profit: Option<Money>,
    pub paid: Option<(Money, Basis)>,
}

/// A period's sums.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The company's zone the period was cut in.
    pub zone: crate::domain::Zone,
    pub from: i64,
    pub to: i64,
    pub orders: usize,
    /// Summed over the orders with money kept.
    pub figures: Figures,
    /// Of which settled by the marketplace.
    pub settled: usize,
    /// Payout less the cost of goods sold (goods without a cost left out, and named).
    pub profit: Money,
    /// Profit over revenue, basis points.
    pub margin_bp: Option<i64>,
    /// Payouts recorded N days after their orders.
    pub paid: Money,
    /// Charges by the marketplace's own names, summed (positive: charged).
    pub charges: BTreeMap<String, Money>,
    /// Per cabinet: its name and sums.
    pub cabinets: Vec<(String, Figures)>,
    /// Ended orders the marketplace has not settled yet (numbers).
    pub unsettled: Vec<String>,
    /// Orders that earn nothing and carry a charge: (number, what they cost).
    pub losses: Vec<(String, Money)>,
    /// Vendor codes sold without a cost.
    pub missing_cost: Vec<String>,
    /// Every order, for the sheet.
    pub lines: Vec<OrderLine>,
    /// The best sellers by revenue (orders not cancelled), at most [`TOP_SKUS`].
    pub top: Vec<TopSku>,
    /// Each local day of the period, for the chart.
    pub days: Vec<DayFigures>,
    /// Cabinets whose key was refused finance at its last reading.
    pub refused: Vec<String>,
    /// What the marketplaces charged the account itself in the period (WB's storage,
    /// deductions), by name, positive when charged: never part of an order's money.
    pub account: BTreeMap<String, Money>,
}

/// Best sellers a summary names.
pub const TOP_SKUS: usize = 5;

/// The local days of `[from, to)` in `zone`, each with its start.
fn days_of(zone: crate::domain::Zone, from: i64, to: i64) -> Vec<DayFigures> {
    let mut days = Vec::new();
    let Some(mut d) = zone.local_day(from) else {
        return days;
    };
    while let Some(start) = zone.day_start(d) {
        if start >= to || days.len() > 400 {
            break;
        }
        days.push(DayFigures {
            day: start,
            ..DayFigures::default()
        });
        d = d.succ_opt().unwrap_or(d);
    }
    days
}

impl crate::app::rooms::Finance<'_> {
    /// A period's money for one cabinet or all. Owners, admins and managers only.
    pub async fn finance_summary(
        &self,
        actor: Actor,
        period: Period,
        cabinet: Option<crate::domain::CabinetId>,
    ) -> AppResult<Summary> {
        actor.require(Permission::ViewFinance)?;
        let zone = self.zone_of(actor.workspace).await?;
        let (from, to) = period.span(zone, self.now());
        let cabinets: Vec<crate::domain::CabinetId> = cabinet.into_iter().collect();
        let mut s = self
            .summarize(actor.workspace, zone, (from, to), &cabinets)
            .await?;
        s.refused = fin::refused(&self.db, actor.workspace).await?;
        Ok(s)
    }

    /// The money of the orders of some cabinets (all when none) that came in `[from, to)`.
    pub(crate) async fn summarize(
        &self,
        ws: crate::domain::WorkspaceId,
        zone: crate::domain::Zone,
        (from, to): (i64, i64),
        only: &[crate::domain::CabinetId],
    ) -> AppResult<Summary> {
        let orders = fin::period(&self.db, ws, only, from, to).await?;
        let mut items: HashMap<OrderId, Vec<fin::PeriodItem>> = HashMap::new();
        for i in fin::period_items(&self.db, ws, from, to).await? {
            items.entry(i.order).or_default().push(i);
        }
        let charges = fin::period_charges(&self.db, ws, only, from, to).await?;
        let account =
            crate::storage::summaries::account_charges(&self.db, ws, only, from, to).await?;
        let mut s = Summary {
            zone,
            from,
            to,
            orders: orders.len(),
            charges: charges.into_iter().collect(),
            days: days_of(zone, from, to),
            account: account.into_iter().collect(),
            ..Summary::default()
        };
        let mut top: HashMap<String, TopSku> = HashMap::new();
        let mut cabinets: BTreeMap<String, Figures> = BTreeMap::new();
        let mut missing = BTreeSet::new();
        for o in &orders {
            let ended = matches!(o.unified.as_str(), "delivered" | "cancelled" | "returned");
            let mut line = OrderLine {
                order: o.order,
                number: o.number.clone(),
                cabinet: o.cabinet_name.clone(),
                created_at: o.created_at,
                unified: o.unified.clone(),
                total: o.total,
                basis: None,
                figures: Figures::default(),
                profit: None,
                paid: None,
            };
            // Until the next reading forgets it, the forecast of an order that ended unsold
            // counts nothing.
            let money = o.money.as_ref().map(|m| {
                let mut m = m.clone();
                if !stands(m.basis, &o.unified) {
                    m.figures = Figures::default();
                }
                m
            });
            match &money {
                Some(m) => {
                    s.figures.add(&m.figures);
                    cabinets
                        .entry(o.cabinet_name.clone())
                        .or_default()
                        .add(&m.figures);
                    if m.basis == Basis::Settled {
                        s.settled += 1;
                    } else if ended {
                        s.unsettled.push(o.number.clone());
                    }
                    if let Some((paid, basis, _)) = m.paid {
                        s.paid.0 += paid.0;
                        line.paid = Some((paid, basis));
                    }
                    let costs: Vec<ItemCost> = items
                        .get(&o.order)
                        .into_iter()
                        .flatten()
                        .map(|i| ItemCost {
                            vendor_code: i.vendor_code.clone(),
                            quantity: i.quantity,
                            cost: i.cost,
                        })
                        .collect();
                    let p = profit(&m.figures, &costs);
                    missing.extend(p.missing.iter().cloned());
                    s.profit.0 += p.profit.0;
                    if m.figures.is_loss() {
                        s.losses
                            .push((o.number.clone(), Money(-m.figures.payout.0)));
                    }
                    line.basis = Some(m.basis);
                    line.figures = m.figures;
                    line.profit = Some(p.profit);
                }
                None if ended => s.unsettled.push(o.number.clone()),
                None => {}
            }
            let day = s.days.iter().rposition(|d| d.day <= o.created_at);
            if let Some(d) = day.and_then(|i| s.days.get_mut(i)) {
                d.orders += 1;
                if o.unified == "cancelled" {
                    d.cancelled += 1;
                }
                d.revenue.0 += line.figures.revenue.0;
                d.charges.0 +=
                    line.figures.commission.0 + line.figures.logistics.0 + line.figures.other.0;
                d.profit.0 += line.profit.map_or(0, |p| p.0);
            }
            if o.unified != "cancelled" {
                for i in items.get(&o.order).into_iter().flatten() {
                    let t = top.entry(i.vendor_code.clone()).or_insert_with(|| TopSku {
                        code: i.vendor_code.clone(),
                        name: i.name.clone(),
                        units: 0,
                        revenue: Money::ZERO,
                    });
                    t.units += i.quantity;
                    t.revenue.0 += i.price.0 * i.quantity;
                }
            }
            s.lines.push(line);
        }
        let mut top: Vec<TopSku> = top.into_values().collect();
        top.sort_by(|a, b| {
            b.revenue
                .cmp(&a.revenue)
                .then(b.units.cmp(&a.units))
                .then(a.code.cmp(&b.code))
        });
        top.truncate(TOP_SKUS);
        s.top = top;
        s.margin_bp = (s.figures.revenue.0 > 0).then(|| s.profit.0 * 10_000 / s.figures.revenue.0);
        s.cabinets = cabinets.into_iter().collect();
        s.missing_cost = missing.into_iter().collect();
        Ok(s)
    }
}
