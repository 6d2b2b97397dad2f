//! Finance per order (F10): reading what each marketplace accrued on a cabinet's orders
//! (Ozon's accruals by posting, YM's order statistics, WB's detailed report as a feed),
//! keeping it by order, and recording the payout N days after each order.

pub mod report;
pub mod summary;
mod tariff;

use std::collections::HashMap;

use super::{AppError, AppResult};
use crate::domain::finance::{Basis, Line};
use crate::domain::ids::OrderId;
use crate::domain::{Cabinet, CabinetId, Marketplace};
use crate::marketplaces::{Accrual, Error as MpError, MarketplaceApi};
use crate::storage::cabinets;
use crate::storage::finance::{self as fin, Keyed};

/// How far back orders are read for their accruals.
const SETTLE_WINDOW_DAYS: i64 = 90;
/// How far back orders without any money get a forecast.
const FORECAST_WINDOW_DAYS: i64 = SETTLE_WINDOW_DAYS;
/// How long after an order is first settled its accruals are read again (corrections).
const CORRECTIONS_DAYS: i64 = 14;
/// Orders read per run of a cabinet (Ozon: 200 a request).
const ORDERS_PER_RUN: i64 = 10_000;
/// Pages of a feed read per run (WB: one a minute).
const FEED_PAGES_PER_RUN: usize = 5;
/// Orders whose forecast is read per run (one request each).
const FORECASTS_PER_RUN: i64 = 200;
/// Payouts recorded per run.
const PAYOUTS_PER_RUN: i64 = 5_000;

/// What one reading of a cabinet's finance did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Read {
    /// Orders whose money changed.
    pub orders: usize,
    /// Payouts recorded N days after their order.
    pub paid: usize,
    /// Payouts a later accrual corrected.
    pub corrected: usize,
    /// The cabinet's key may not read finance.
    pub refused: bool,
}

impl Read {
    /// After an order's settled lines changed: its money summed again, a payout shown
    /// before corrected (and the correction kept), and both counted.
    async fn changed(
        &mut self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        c: &Cabinet,
        order: OrderId,
        now: i64,
    ) -> AppResult<()> {
        fin::refresh(tx, c.workspace, c.id, order, now).await?;
        self.corrected += usize::from(fin::correct_paid(tx, order, now).await?.is_some());
        self.orders += 1;
        Ok(())
    }
}

/// The day an accrual was made, as unix seconds (its start, UTC); `fallback` when untold.
fn day_of(date: Option<&str>, fallback: i64) -> i64 {
    date.and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(fallback, |t| t.and_utc().timestamp())
}

/// Keeps an order's forecast (its expected lines, whole) and sums its money again.
async fn keep_expected(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    c: &Cabinet,
    order: OrderId,
    lines: &[Keyed],
    now: i64,
) -> AppResult<()> {
    fin::replace(tx, c.workspace, c.id, order, Basis::Expected, lines, now).await?;
    fin::refresh(tx, c.workspace, c.id, order, now).await?;
    Ok(())
}

fn keyed(a: &Accrual, now: i64) -> Keyed {
    Keyed {
        key: a.key.clone(),
        line: Line {
            kind: a.class,
            label: a.kind.clone(),
            amount: a.amount,
            at: day_of(a.date.as_deref(), now),
        },
    }
}

impl crate::app::rooms::Finance<'_> {
    /// Reads a cabinet's new and changed accruals and records the payouts that fell due.
    /// A key that may not read finance is logged and left: nothing else on the cabinet
    /// depends on it.
    pub async fn read_finance(&self, cabinet: CabinetId) -> AppResult<Read> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(Read::default());
        };
        if !c.enabled {
            return Ok(Read::default());
        }
        let client = self.cabinets().client_for(&c).await?;
        let read = async {
            // Settled first: an order the marketplace has settled needs no forecast.
            let mut read = match c.marketplace {
                Marketplace::Wildberries => self.read_feed(&c, &client).await?,
                Marketplace::Ozon | Marketplace::YandexMarket => {
                    self.read_by_order(&c, &client).await?
                }
            };
            read.orders += self.read_forecasts(&c, &client).await?;
            AppResult::Ok(read)
        }
        .await;
        let mut read = match read {
            Ok(r) => r,
            Err(AppError::Marketplace(MpError::Forbidden { .. } | MpError::Unsupported(_))) => {
                tracing::info!(cabinet = c.id.0, "this key may not read finance");
                Read {
                    refused: true,
                    ..Read::default()
                }
            }
            Err(e) => return Err(e),
        };
        fin::set_refused(&self.db, c.id, read.refused.then(|| self.now())).await?;
        fin::void_forecasts(&self.db, c.id).await?;
        read.paid = self.record_payouts(&c).await?;
        Ok(read)
    }

    /// The marketplace's forecast of new orders' money (Ozon's financial data of each
    /// posting, the Market's commissions billed at creation; WB's from its commission
    /// tariff), for the orders nothing is kept of yet.
    async fn read_forecasts(
        &self,
        c: &Cabinet,
        client: &crate::marketplaces::client::Client,
    ) -> AppResult<usize> {
        if c.marketplace == Marketplace::Wildberries {
            return self.expect_by_tariff(c, client).await;
        }
        let now = self.now();
        let orders = fin::to_forecast(
            &self.db,
            c.id,
            now - FORECAST_WINDOW_DAYS * 86_400,
            FORECASTS_PER_RUN,
        )
        .await?;
        let mut n = 0;
        for (order, external) in orders {
            let lines = match client.forecast(&external).await {
                Ok(l) => l,
                Err(MpError::Api { status: 404, .. }) => continue, // gone since
                Err(e) => return Err(e.into()),
            };
            if lines.is_empty() {
                continue;
            }
            let lines: Vec<Keyed> = lines.iter().map(|a| keyed(a, now)).collect();
            let mut tx = self.db.begin().await?;
            keep_expected(&mut tx, c, order, &lines, now).await?;
            tx.commit().await?;
            n += 1;
        }
        Ok(n)
    }

    /// Ozon and YM: every ended order of the window not settled long ago, its accruals in
    /// full (each answer is the whole of an order's).
    async fn read_by_order(
        &self,
        c: &Cabinet,
        client: &crate::marketplaces::client::Client,
    ) -> AppResult<Read> {
        let now = self.now();
        let orders = fin::to_settle(
            &self.db,
            c.id,
            now - SETTLE_WINDOW_DAYS * 86_400,
            now - CORRECTIONS_DAYS * 86_400,
            ORDERS_PER_RUN,
        )
        .await?;
        let mut read = Read::default();
        for batch in orders.chunks(200) {
            let ids: Vec<String> = batch.iter().map(|(_, e)| e.clone()).collect();
            let accruals = client.accruals(&ids).await?;
            let mut by_order: HashMap<&str, Vec<Keyed>> = HashMap::new();
            for a in &accruals {
                by_order
                    .entry(a.order_id.as_str())
                    .or_default()
                    .push(keyed(a, now));
            }
            let mut tx = self.db.begin().await?;
            for (order, external) in batch {
                let Some(lines) = by_order.get(external.as_str()) else {
                    continue; // nothing accrued yet
                };
                let before = fin::lines_in(&mut tx, *order, Basis::Settled).await?;
                if same_lines(&before, lines) {
                    continue;
                }
                fin::replace(
                    &mut tx,
                    c.workspace,
                    c.id,
                    *order,
                    Basis::Settled,
                    lines,
                    now,
                )
                .await?;
                read.changed(&mut tx, c, *order, now).await?;
            }
            tx.commit().await?;
        }
        Ok(read)
    }

    /// WB: the detailed report from where the last reading stopped, a page at a time; each
    /// page's lines and the cursor after it are kept in one transaction.
    async fn read_feed(
        &self,
        c: &Cabinet,
        client: &crate::marketplaces::client::Client,
    ) -> AppResult<Read> {
        let now = self.now();
        let mut cursor = fin::cursor(&self.db, c.id).await?;
        let mut read = Read::default();
        for _ in 0..FEED_PAGES_PER_RUN {
            let page = match client.finance_feed(cursor.as_deref()).await {
                Ok(p) => p,
                // The report's turn (once a minute) has not come: the next run reads on.
                Err(MpError::RateLimited { .. }) => break,
                Err(e) => return Err(e.into()),
            };
            let ids: Vec<String> = {
                let mut ids: Vec<String> = page
                    .lines
                    .iter()
                    .flat_map(|a| std::iter::once(a.order_id.clone()).chain(a.rid.clone()))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            };
            let known = fin::orders_by_ids(&self.db, c.id, &ids).await?;
            let mut find: HashMap<&str, OrderId> = HashMap::new();
            for (id, external, alt) in &known {
                find.insert(external.as_str(), *id);
                if let Some(a) = alt {
                    find.insert(a.as_str(), *id);
                }
            }
            let mut by_order: HashMap<OrderId, Vec<Keyed>> = HashMap::new();
            // The account's own charges (storage, deductions): kept apart, not spread.
            let account: Vec<Keyed> = page
                .lines
                .iter()
                .filter(|a| a.order_id.is_empty())
                .map(|a| keyed(a, now))
                .collect();
            for a in page.lines.iter().filter(|a| !a.order_id.is_empty()) {
                let order = find
                    .get(a.order_id.as_str())
                    .or_else(|| a.rid.as_deref().and_then(|r| find.get(r)));
                if let Some(o) = order {
                    by_order.entry(*o).or_default().push(keyed(a, now));
                }
            }
            let mut tx = self.db.begin().await?;
            crate::storage::summaries::add_account_charges(
                &mut tx,
                c.workspace,
                c.id,
                &account,
                now,
            )
            .await?;
            for (order, lines) in &by_order {
                let added = fin::add(
                    &mut tx,
                    c.workspace,
                    c.id,
                    *order,
                    Basis::Settled,
                    lines,
                    now,
                )
                .await?;
                if added == 0 {
                    continue;
                }
                read.changed(&mut tx, c, *order, now).await?;
            }
            let at = page.next.as_deref().unwrap_or(&page.resume);
            fin::set_cursor(&mut tx, c.id, at, now).await?;
            tx.commit().await?;
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Ok(read)
    }

    /// The payout of every order of the cabinet that came N days ago or earlier and shows
    /// none yet: the settled one when the marketplace has settled, else the expected one.
    async fn record_payouts(&self, c: &Cabinet) -> AppResult<usize> {
        let now = self.now();
        let due = fin::due_for_payout(&self.db, c.id, now, PAYOUTS_PER_RUN).await?;
        for m in &due {
            fin::set_paid(&self.db, m.order, m.figures.payout, m.basis, now).await?;
        }
        Ok(due.len())
    }
}

/// An order's money as its card shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardMoney {
    pub money: fin::OrderMoney,
    pub profit: crate::domain::finance::Profit,
    /// The company's payout delay.
    pub days: i64,
    /// Corrections of the payout shown: (when, before, after).
    pub corrections: Vec<(i64, crate::domain::Money, crate::domain::Money)>,
}

impl crate::app::rooms::Finance<'_> {
    /// An order's money for its card; `None` when the marketplace has told nothing yet.
    /// Only for those who may see money (the caller checks the role).
    pub async fn card_money(
        &self,
        ws: crate::domain::WorkspaceId,
        order: &crate::domain::order::Order,
    ) -> AppResult<Option<CardMoney>> {
        let Some(money) = fin::money(&self.db, ws, order.id).await? else {
            return Ok(None);
        };
        let items: Vec<crate::domain::finance::ItemCost> =
            fin::period_items(&self.db, ws, order.created_at, order.created_at + 1)
                .await?
                .into_iter()
                .filter(|i| i.order == order.id)
                .map(|i| crate::domain::finance::ItemCost {
                    vendor_code: i.vendor_code,
                    quantity: i.quantity,
                    cost: i.cost,
                })
                .collect();
        Ok(Some(CardMoney {
            profit: crate::domain::finance::profit(&money.figures, &items),
            days: fin::payout_days(&self.db, ws).await?,
            corrections: fin::corrections(&self.db, order.id).await?,
            money,
        }))
    }
}

/// Whether a reading is what is kept already (the same lines in the same order).
fn same_lines(kept: &[Line], read: &[Keyed]) -> bool {
    kept.len() == read.len()
        && kept.iter().zip(read).all(|(k, r)| {
            k.amount == r.line.amount && k.kind == r.line.kind && k.label == r.line.label
        })
}
