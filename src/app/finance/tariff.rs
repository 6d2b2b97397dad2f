//! WB's expected money of an order before its report row comes: the sale at the order's
//! prices and the commission of each item's category from WB's tariff (`kgvpMarketplace`).
//! An order whose goods' category the catalogue does not know, or WB names no rate for,
//! stays without a forecast rather than with a made-up one.

use std::collections::HashMap;

use super::FORECAST_WINDOW_DAYS;
use crate::app::AppResult;
use crate::domain::finance::{Kind, Line};
use crate::domain::ids::OrderId;
use crate::domain::{Cabinet, Money};
use crate::marketplaces::{Error as MpError, MarketplaceApi};
use crate::storage::finance::{self as fin, Keyed};

/// Orders a run forecasts by tariff (no request per order: one for the tariffs).
const ORDERS_PER_RUN: i64 = 5_000;

/// The label WB's commission line is kept under (WB's own word for its fee).
pub const COMMISSION_LABEL: &str = "Комиссия WB по тарифу категории";

/// The expected lines of an order of these items ((unit price, quantity, category)), or
/// `None` when an item's category has no rate.
pub fn expected_lines(
    order: OrderId,
    items: &[(Money, i64, Option<String>)],
    rates: &HashMap<String, i64>,
    at: i64,
) -> Option<Vec<Keyed>> {
    let mut sale = 0i64;
    let mut fee = 0i64;
    for (price, qty, category) in items {
        let bp = rates.get(&category.as_deref()?.to_lowercase())?;
        let sum = price.0 * qty;
        sale += sum;
        // Kopecks, rounded half away from zero.
        fee += (sum * bp + 5_000) / 10_000;
    }
    if items.is_empty() {
        return None;
    }
    // Keys are unique within a cabinet: the order's id in each.
    let line = |part: &str, kind, label: &str, amount| Keyed {
        key: format!("tariff:{}:{part}", order.0),
        line: Line {
            kind,
            label: label.to_owned(),
            amount: Money(amount),
            at,
        },
    };
    Some(vec![
        line("sale", Kind::Sale, "Продажа", sale),
        line("fee", Kind::Commission, COMMISSION_LABEL, -fee),
    ])
}

impl crate::app::rooms::Finance<'_> {
    /// WB: the orders nothing is kept of yet, expected from the commission tariff (read
    /// once a run, and only when there is an order to forecast).
    pub(super) async fn expect_by_tariff(
        &self,
        c: &Cabinet,
        client: &crate::marketplaces::client::Client,
    ) -> AppResult<usize> {
        let now = self.now();
        let since = now - FORECAST_WINDOW_DAYS * 86_400;
        let orders = fin::to_forecast(&self.db, c.id, since, ORDERS_PER_RUN).await?;
        if orders.is_empty() {
            return Ok(0);
        }
        // The tariffs are a forecast's only source: a key that may not read them, or their
        // once-a-minute limit spent, leaves the forecast for a later run and the report
        // (what settles) is read all the same.
        let rates: HashMap<String, i64> = match client.commission_rates().await {
            Ok(r) => r
                .into_iter()
                .map(|r| (r.category.to_lowercase(), r.bp))
                .collect(),
            Err(e @ (MpError::Forbidden { .. } | MpError::RateLimited { .. })) => {
                tracing::info!(cabinet = c.id.0, error = %e, "WB's commission tariffs not read this run");
                return Ok(0);
            }
            Err(e) => return Err(e.into()),
        };
        let ids: Vec<OrderId> = orders.iter().map(|(o, _)| *o).collect();
        let mut items: HashMap<OrderId, Vec<(Money, i64, Option<String>)>> = HashMap::new();
        for batch in ids.chunks(500) {
            for (order, price, qty, category) in
                fin::items_with_category(&self.db, c.id, batch).await?
            {
                items.entry(order).or_default().push((price, qty, category));
            }
        }
        let mut n = 0;
        let mut tx = self.db.begin().await?;
        for order in ids {
            let Some(lines) = items
                .get(&order)
                .and_then(|i| expected_lines(order, i, &rates, now))
            else {
                continue;
            };
            super::keep_expected(&mut tx, c, order, &lines, now).await?;
            n += 1;
            if n % 200 == 0 {
                tx.commit().await?;
                tx = self.db.begin().await?;
            }
        }
        tx.commit().await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forecast_takes_each_items_category_rate_or_none_at_all() {
        let rates: HashMap<String, i64> = [("кружки".to_owned(), 2_400)].into();
        let mug = |q| (Money(129_950), q, Some("Кружки".to_owned()));
        let o = OrderId(7);
        let lines = expected_lines(o, &[mug(2)], &rates, 0).expect("a rate");
        assert_eq!(lines[0].key, "tariff:7:sale");
        assert_eq!(lines[0].line.amount, Money(259_900));
        // 24% of 2599.00 = 623.76
        assert_eq!(lines[1].line.amount, Money(-62_376));
        assert_eq!(lines[1].line.kind, Kind::Commission);
        let unknown = (Money(10_000), 1, Some("Чайники".to_owned()));
        assert!(expected_lines(o, &[mug(1), unknown], &rates, 0).is_none());
        assert!(expected_lines(o, &[(Money(1), 1, None)], &rates, 0).is_none());
        assert!(expected_lines(o, &[], &rates, 0).is_none());
    }
}
