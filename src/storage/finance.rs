//! Finance per order (F10): the accrual lines the marketplaces made on each order, the
//! order's money summed from them, the payout shown N days after the order with every later
//! correction, and where a cabinet's finance feed was read to.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result};
use crate::domain::finance::{Basis, Figures, Kind, Line};
use crate::domain::ids::OrderId;
use crate::domain::{CabinetId, Money, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// A line to keep, with the key that makes reading it again harmless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    pub key: String,
    pub line: Line,
}

/// Replaces an order's lines of one basis with a full reading of them (Ozon's accruals of
/// a posting, YM's statistics of an order: each answer is the whole of it).
pub async fn replace(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    order: OrderId,
    basis: Basis,
    lines: &[Keyed],
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM finance_lines WHERE order_id = $1 AND basis = $2")
        .bind(order.0)
        .bind(basis.code())
        .execute(&mut **tx)
        .await?;
    add(tx, ws, cabinet, order, basis, lines, now).await?;
    Ok(())
}

/// Adds lines read from a feed (WB's report rows): a key read before adds nothing.
/// Returns how many were new.
pub async fn add(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    order: OrderId,
    basis: Basis,
    lines: &[Keyed],
    now: i64,
) -> Result<u64> {
    let mut added = 0;
    for k in lines {
        added += sqlx::query(
            "INSERT INTO finance_lines (workspace_id, cabinet_id, order_id, basis, kind, label, amount, at, line_key, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (cabinet_id, line_key) DO NOTHING",
        )
        .bind(ws.0)
        .bind(cabinet.0)
        .bind(order.0)
        .bind(basis.code())
        .bind(k.line.kind.code())
        .bind(&k.line.label)
        .bind(k.line.amount.0)
        .bind(k.line.at)
        .bind(&k.key)
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(added)
}

fn line_from(r: &AnyRow) -> Result<Line> {
    Ok(Line {
        kind: Kind::parse(&r.try_get::<String, _>("kind")?),
        label: r.try_get("label")?,
        amount: Money(r.try_get("amount")?),
        at: r.try_get("at")?,
    })
}

/// An order's lines of one basis as kept, in the order they were read.
pub async fn lines_in(tx: &mut Tx<'_>, order: OrderId, basis: Basis) -> Result<Vec<Line>> {
    let rows = sqlx::query(
        "SELECT kind, label, amount, at FROM finance_lines WHERE order_id = $1 AND basis = $2 ORDER BY id",
    )
    .bind(order.0)
    .bind(basis.code())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(line_from).collect()
}

/// An order's money as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderMoney {
    pub order: OrderId,
    pub basis: Basis,
    pub figures: Figures,
    /// When the first settled line was kept.
    pub settled_at: Option<i64>,
    /// The payout shown N days after the order, and on what it stood.
    pub paid: Option<(Money, Basis, i64)>,
}

fn money_from(r: &AnyRow) -> Result<OrderMoney> {
    let paid = match (
        r.try_get::<Option<i64>, _>("paid")?,
        r.try_get::<Option<String>, _>("paid_basis")?,
        r.try_get::<Option<i64>, _>("paid_at")?,
    ) {
        (Some(p), Some(b), Some(at)) => Some((Money(p), Basis::parse(&b), at)),
        _ => None,
    };
    Ok(OrderMoney {
        order: OrderId(r.try_get("order_id")?),
        basis: Basis::parse(&r.try_get::<String, _>("basis")?),
        figures: Figures {
            revenue: Money(r.try_get("revenue")?),
            commission: Money(r.try_get("commission")?),
            logistics: Money(r.try_get("logistics")?),
            other: Money(r.try_get("other")?),
            payout: Money(r.try_get("payout")?),
        },
        settled_at: r.try_get("settled_at")?,
        paid,
    })
}

const MONEY_COLS: &str = "m.order_id, m.basis, m.revenue, m.commission, m.logistics, m.other, m.payout, \
     m.settled_at, m.paid, m.paid_basis, m.paid_at";

/// An order's money, when any was kept.
pub async fn money(db: &Db, ws: WorkspaceId, order: OrderId) -> Result<Option<OrderMoney>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {MONEY_COLS} FROM order_money m WHERE m.workspace_id = $1 AND m.order_id = $2"
    )))
    .bind(ws.0)
    .bind(order.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(money_from).transpose()
}

/// Sums an order's lines into its money row: the settled lines when there are any, else
/// the expected ones. Returns the row as it now stands.
pub async fn refresh(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    order: OrderId,
    now: i64,
) -> Result<Option<Figures>> {
    let rows =
        sqlx::query("SELECT basis, kind, label, amount, at FROM finance_lines WHERE order_id = $1")
            .bind(order.0)
            .fetch_all(&mut **tx)
            .await?;
    let mut settled = Vec::new();
    let mut expected = Vec::new();
    for r in &rows {
        let line = line_from(r)?;
        match Basis::parse(&r.try_get::<String, _>("basis")?) {
            Basis::Settled => settled.push(line),
            Basis::Expected => expected.push(line),
        }
    }
    let (basis, lines) = match (settled.is_empty(), expected.is_empty()) {
        (false, _) => (Basis::Settled, settled),
        (true, false) => (Basis::Expected, expected),
        (true, true) => return Ok(None),
    };
    let f = Figures::of(&lines);
    sqlx::query(
        "INSERT INTO order_money (order_id, workspace_id, cabinet_id, basis, revenue, commission, logistics, other, payout, settled_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (order_id) DO UPDATE SET basis = excluded.basis, revenue = excluded.revenue, \
         commission = excluded.commission, logistics = excluded.logistics, other = excluded.other, \
         payout = excluded.payout, settled_at = COALESCE(order_money.settled_at, excluded.settled_at), \
         updated_at = excluded.updated_at",
    )
    .bind(order.0)
    .bind(ws.0)
    .bind(cabinet.0)
    .bind(basis.code())
    .bind(f.revenue.0)
    .bind(f.commission.0)
    .bind(f.logistics.0)
    .bind(f.other.0)
    .bind(f.payout.0)
    .bind((basis == Basis::Settled).then_some(now))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(Some(f))
}

/// Orders of a cabinet that came the workspace's payout delay ago or earlier and show no
/// payout yet, with their money: the payout is recorded for them now.
pub async fn due_for_payout(
    db: &Db,
    cabinet: CabinetId,
    now: i64,
    limit: i64,
) -> Result<Vec<OrderMoney>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {MONEY_COLS} FROM order_money m JOIN orders o ON o.id = m.order_id \
         JOIN workspaces w ON w.id = o.workspace_id \
         WHERE m.cabinet_id = $1 AND m.paid IS NULL AND o.created_at <= $2 - w.payout_days * 86400 \
         ORDER BY m.order_id LIMIT $3"
    )))
    .bind(cabinet.0)
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(money_from).collect()
}

/// Forgets the forecasts of a cabinet's orders that ended unsold and that the marketplace
/// has settled nothing of (`domain::finance::stands`): no payout is recorded on them, no
/// card shows them. A payout already shown stays. Returns how many orders lost theirs.
pub async fn void_forecasts(db: &Db, cabinet: CabinetId) -> Result<u64> {
    let void = "SELECT m.order_id FROM order_money m JOIN orders o ON o.id = m.order_id \
                WHERE m.cabinet_id = $1 AND m.basis = 'expected' AND m.paid IS NULL \
                AND o.unified IN ('cancelled', 'returned')";
    let mut tx = db.begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM finance_lines WHERE cabinet_id = $1 AND basis = 'expected' AND order_id IN ({void})"
    )))
    .bind(cabinet.0)
    .execute(&mut *tx)
    .await?;
    let n = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM order_money WHERE order_id IN ({void})"
    )))
    .bind(cabinet.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// Records the payout shown for an order.
pub async fn set_paid(db: &Db, order: OrderId, paid: Money, basis: Basis, at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE order_money SET paid = $1, paid_basis = $2, paid_at = $3 WHERE order_id = $4",
    )
    .bind(paid.0)
    .bind(basis.code())
    .bind(at)
    .bind(order.0)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// After an order's lines changed: a payout shown before that no longer matches the money
/// is corrected, and the correction kept. Returns the correction (before, after).
pub async fn correct_paid(
    tx: &mut Tx<'_>,
    order: OrderId,
    now: i64,
) -> Result<Option<(Money, Money)>> {
    let row = sqlx::query(
        "SELECT paid, paid_basis, payout, basis FROM order_money WHERE order_id = $1 AND paid IS NOT NULL",
    )
    .bind(order.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let (paid, paid_basis, payout, basis): (i64, String, i64, String) = (
        r.try_get("paid")?,
        r.try_get("paid_basis")?,
        r.try_get("payout")?,
        r.try_get("basis")?,
    );
    if paid == payout && paid_basis == basis {
        return Ok(None);
    }
    sqlx::query("UPDATE order_money SET paid = $1, paid_basis = $2 WHERE order_id = $3")
        .bind(payout)
        .bind(&basis)
        .bind(order.0)
        .execute(&mut **tx)
        .await?;
    if paid != payout {
        sqlx::query(
            "INSERT INTO payout_corrections (order_id, at, before_amount, after_amount) VALUES ($1, $2, $3, $4)",
        )
        .bind(order.0)
        .bind(now)
        .bind(paid)
        .bind(payout)
        .execute(&mut **tx)
        .await?;
    }
    Ok((paid != payout).then_some((Money(paid), Money(payout))))
}

/// The corrections of an order's payout, oldest first: (when, before, after).
pub async fn corrections(db: &Db, order: OrderId) -> Result<Vec<(i64, Money, Money)>> {
    let rows = sqlx::query(
        "SELECT at, before_amount, after_amount FROM payout_corrections WHERE order_id = $1 ORDER BY at",
    )
    .bind(order.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("at")?,
                Money(r.try_get("before_amount")?),
                Money(r.try_get("after_amount")?),
            ))
        })
        .collect()
}

/// (order, external id) of rows selecting `id` and `external_id`.
fn order_ids_of(rows: &[AnyRow]) -> Result<Vec<(OrderId, String)>> {
    rows.iter()
        .map(|r| Ok((OrderId(r.try_get("id")?), r.try_get("external_id")?)))
        .collect()
}

/// Orders of a cabinet whose accruals are worth reading now: ended (delivered, cancelled,
/// returned) since `since`, and not settled longer ago than `settled_before` (corrections
/// come in the weeks after). Returns (order, external id): those not settled yet first
/// (a run's limit never starves them behind re-reads), then the longest settled.
pub async fn to_settle(
    db: &Db,
    cabinet: CabinetId,
    since: i64,
    settled_before: i64,
    limit: i64,
) -> Result<Vec<(OrderId, String)>> {
    let rows = sqlx::query(
        "SELECT o.id, o.external_id FROM orders o LEFT JOIN order_money m ON m.order_id = o.id \
         WHERE o.cabinet_id = $1 AND o.created_at >= $2 \
         AND o.unified IN ('delivered', 'cancelled', 'returned') \
         AND (m.settled_at IS NULL OR m.settled_at >= $3) \
         ORDER BY CASE WHEN m.settled_at IS NULL THEN 0 ELSE 1 END, m.settled_at, o.id LIMIT $4",
    )
    .bind(cabinet.0)
    .bind(since)
    .bind(settled_before)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    order_ids_of(&rows)
}

/// A cabinet's FBS orders since `since` with no money kept yet (neither the forecast nor
/// what was accrued), newest first: the marketplace's forecast is read for them.
pub async fn to_forecast(
    db: &Db,
    cabinet: CabinetId,
    since: i64,
    limit: i64,
) -> Result<Vec<(OrderId, String)>> {
    let rows = sqlx::query(
        "SELECT o.id, o.external_id FROM orders o LEFT JOIN order_money m ON m.order_id = o.id \
         WHERE o.cabinet_id = $1 AND o.created_at >= $2 AND o.scheme = 'fbs' AND m.order_id IS NULL \
         AND o.unified NOT IN ('delivered', 'cancelled', 'returned') ORDER BY o.id DESC LIMIT $3",
    )
    .bind(cabinet.0)
    .bind(since)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    order_ids_of(&rows)
}

/// Orders of a cabinet by their marketplace ids (and WB's rid), for matching a feed's rows.
pub async fn orders_by_ids(
    db: &Db,
    cabinet: CabinetId,
    ids: &[String],
) -> Result<Vec<(OrderId, String, Option<String>)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let marks = (0..chunk.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT id, external_id, alt_id FROM orders WHERE cabinet_id = $1 \
             AND (external_id IN ({marks}) OR alt_id IN ({marks}))"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(cabinet.0);
        for id in chunk {
            q = q.bind(id);
        }
        for r in q.fetch_all(db.pool()).await? {
            out.push((
                OrderId(r.try_get("id")?),
                r.try_get("external_id")?,
                r.try_get("alt_id")?,
            ));
        }
    }
    Ok(out)
}

/// Where a cabinet's finance feed was read to.
pub async fn cursor(db: &Db, cabinet: CabinetId) -> Result<Option<String>> {
    let row = sqlx::query("SELECT cursor FROM finance_cursors WHERE cabinet_id = $1")
        .bind(cabinet.0)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| r.try_get("cursor"))
        .transpose()
        .map_err(Into::into)
}

/// Moves a cabinet's finance cursor, in the transaction that kept what was read.
pub async fn set_cursor(tx: &mut Tx<'_>, cabinet: CabinetId, cursor: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO finance_cursors (cabinet_id, cursor, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (cabinet_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
    )
    .bind(cabinet.0)
    .bind(cursor)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One order of a period, with its money when any is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodOrder {
    pub order: OrderId,
    pub cabinet: CabinetId,
    pub cabinet_name: String,
    pub number: String,
    pub unified: String,
    pub total: Money,
    pub created_at: i64,
    pub money: Option<OrderMoney>,
}

/// The orders of a workspace (one cabinet, or all) that came in `[from, to)`, with their
/// money.
pub async fn period(
    db: &Db,
    ws: WorkspaceId,
    cabinets: &[CabinetId],
    from: i64,
    to: i64,
) -> Result<Vec<PeriodOrder>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT o.id AS oid, o.cabinet_id, c.name AS cabinet_name, o.number, o.unified, o.total, o.created_at, \
         m.order_id AS money_of, {MONEY_COLS} FROM orders o JOIN cabinets c ON c.id = o.cabinet_id \
         LEFT JOIN order_money m ON m.order_id = o.id \
         WHERE o.workspace_id = $1 AND o.created_at >= $2 AND o.created_at < $3{} \
         ORDER BY o.created_at, o.id",
        in_cabinets(cabinets)
    )))
    .bind(ws.0)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let money = match r.try_get::<Option<i64>, _>("money_of")? {
                Some(_) => Some(money_from(r)?),
                None => None,
            };
            Ok(PeriodOrder {
                order: OrderId(r.try_get("oid")?),
                cabinet: CabinetId(r.try_get("cabinet_id")?),
                cabinet_name: r.try_get("cabinet_name")?,
                number: r.try_get("number")?,
                unified: r.try_get("unified")?,
                total: Money(r.try_get("total")?),
                created_at: r.try_get("created_at")?,
                money,
            })
        })
        .collect()
}

/// `AND o.cabinet_id IN (…)` for a list of cabinets (ids are integers), or nothing for
/// all of them.
pub(super) fn in_cabinets(cabinets: &[CabinetId]) -> String {
    in_cabinets_of("o", cabinets)
}

/// The same filter on the table named `alias`.
pub(super) fn in_cabinets_of(alias: &str, cabinets: &[CabinetId]) -> String {
    if cabinets.is_empty() {
        return String::new();
    }
    let ids: Vec<String> = cabinets.iter().map(|c| c.0.to_string()).collect();
    format!(" AND {alias}.cabinet_id IN ({})", ids.join(", "))
}

/// Rows of `label` and a summed `total` (signed as money moves) as charges by name,
/// positive when charged.
pub(super) fn charged_by_label(rows: &[AnyRow]) -> Result<Vec<(String, Money)>> {
    rows.iter()
        .map(|r| {
            let total: i64 = r.try_get("total")?;
            Ok((r.try_get("label")?, Money(-total)))
        })
        .collect()
}

/// One item of an order of a period, with its SKU's cost when the price module knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodItem {
    pub order: OrderId,
    pub vendor_code: String,
    pub name: String,
    pub quantity: i64,
    /// A unit's price in the order.
    pub price: Money,
    pub cost: Option<Money>,
}

/// Every item of the orders that came in `[from, to)`.
pub async fn period_items(db: &Db, ws: WorkspaceId, from: i64, to: i64) -> Result<Vec<PeriodItem>> {
    let rows = sqlx::query(
        "SELECT i.order_id, i.vendor_code, i.name, i.quantity, i.price, \
         COALESCE((SELECT MIN(r.cost) FROM mp_products p JOIN sku_links l ON l.product_id = p.id \
           JOIN price_rules r ON r.sku_id = l.sku_id \
           WHERE p.cabinet_id = o.cabinet_id AND LOWER(p.vendor_code) = LOWER(i.vendor_code)), \
          (SELECT MIN(r.cost) FROM skus s JOIN price_rules r ON r.sku_id = s.id \
           WHERE s.workspace_id = o.workspace_id AND LOWER(s.code) = LOWER(i.vendor_code))) AS cost \
         FROM order_items i JOIN orders o ON o.id = i.order_id \
         WHERE o.workspace_id = $1 AND o.created_at >= $2 AND o.created_at < $3 ORDER BY i.order_id, i.line",
    )
    .bind(ws.0)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PeriodItem {
                order: OrderId(r.try_get("order_id")?),
                vendor_code: r.try_get("vendor_code")?,
                name: r.try_get("name")?,
                quantity: r.try_get("quantity")?,
                price: Money(r.try_get("price")?),
                cost: r.try_get::<Option<i64>, _>("cost")?.map(Money),
            })
        })
        .collect()
}

/// A workspace's payout delay in days.
pub async fn payout_days(db: &Db, ws: WorkspaceId) -> Result<i64> {
    let row = sqlx::query("SELECT payout_days FROM workspaces WHERE id = $1")
        .bind(ws.0)
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("payout_days")?)
}

/// A period's charges by the marketplace's own names (positive: charged), from the lines
/// each order's money stands on.
pub async fn period_charges(
    db: &Db,
    ws: WorkspaceId,
    cabinets: &[CabinetId],
    from: i64,
    to: i64,
) -> Result<Vec<(String, Money)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT l.label, CAST(SUM(l.amount) AS BIGINT) AS total FROM finance_lines l \
         JOIN order_money m ON m.order_id = l.order_id AND m.basis = l.basis \
         JOIN orders o ON o.id = l.order_id \
         WHERE o.workspace_id = $1 AND o.created_at >= $2 AND o.created_at < $3{} \
         AND l.kind NOT IN ('sale', 'refund') GROUP BY l.label ORDER BY l.label",
        in_cabinets(cabinets)
    )))
    .bind(ws.0)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    charged_by_label(&rows)
}

/// The items of these orders of a cabinet with the category its catalogue gives each
/// (by vendor code): (order, unit price, quantity, category).
pub async fn items_with_category(
    db: &Db,
    cabinet: CabinetId,
    orders: &[OrderId],
) -> Result<Vec<(OrderId, Money, i64, Option<String>)>> {
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = orders.iter().map(|o| o.0.to_string()).collect();
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT i.order_id, i.price, i.quantity, \
         (SELECT MIN(p.category) FROM mp_products p WHERE p.cabinet_id = o.cabinet_id \
           AND LOWER(p.vendor_code) = LOWER(i.vendor_code) AND p.gone_at IS NULL) AS category \
         FROM order_items i JOIN orders o ON o.id = i.order_id \
         WHERE o.cabinet_id = $1 AND i.order_id IN ({}) ORDER BY i.order_id, i.line",
        ids.join(", ")
    )))
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                OrderId(r.try_get("order_id")?),
                Money(r.try_get("price")?),
                r.try_get("quantity")?,
                r.try_get("category")?,
            ))
        })
        .collect()
}

/// Notes whether a cabinet's key was refused finance at its last reading.
pub async fn set_refused(db: &Db, cabinet: CabinetId, at: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE cabinets SET finance_refused_at = $1 WHERE id = $2")
        .bind(at)
        .bind(cabinet.0)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The names of a workspace's live cabinets whose key was refused finance last time.
pub async fn refused(db: &Db, ws: WorkspaceId) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT name FROM cabinets WHERE workspace_id = $1 AND archived_at IS NULL \
         AND enabled = 1 AND finance_refused_at IS NOT NULL ORDER BY name",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("name")?)).collect()
}
