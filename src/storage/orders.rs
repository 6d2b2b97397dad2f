//! Orders imported from the marketplaces: one row per marketplace order (keyed by cabinet
//! and external id), its items, the history of its status, the cursor of each import, the
//! workspace's own status mappings and the generic client of FBO orders.

use crate::domain::ids::OrderId;
use std::collections::HashMap;

use sqlx::Row;

use super::{Db, Result, parse_col};
pub use crate::domain::order::{HistoryEntry, OrderPage as Page};
use crate::domain::order::{Order, OrderLine, StatusKey, UnifiedStatus};
use crate::domain::{CabinetId, Marketplace, Money, Scheme, TgUserId, WorkspaceId};

/// A line of an order as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow<'a> {
    pub product: &'a str,
    pub vendor_code: &'a str,
    pub name: &'a str,
    pub quantity: i64,
    pub price: Money,
    pub barcode: Option<&'a str>,
}

/// An order as the import writes it.
#[derive(Debug, Clone)]
pub struct OrderRow<'a> {
    pub workspace: WorkspaceId,
    pub cabinet: CabinetId,
    pub marketplace: Marketplace,
    pub scheme: Scheme,
    pub external_id: &'a str,
    pub number: &'a str,
    pub shop: Option<&'a str>,
    pub alt_id: Option<&'a str>,
    pub status: &'a str,
    pub substatus: &'a str,
    pub unified: UnifiedStatus,
    pub total: Money,
    pub created_at: i64,
    pub ship_by: Option<i64>,
    pub warehouse_id: Option<&'a str>,
    pub cancel_reason: Option<&'a str>,
    pub client: Option<i64>,
    pub items: Vec<ItemRow<'a>>,
}

/// What writing an order did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upserted {
    /// Seen for the first time.
    Created { id: OrderId },
    /// Known, and its status moved: from `before` (the unified status it had).
    Changed { id: OrderId, before: UnifiedStatus },
    /// Known, nothing we keep changed.
    Unchanged { id: OrderId },
}

/// Where a status change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// First seen by the import.
    Import,
    /// Changed on the marketplace.
    Marketplace,
    /// Our own action.
    Action,
    /// A mapping changed the unified status.
    Mapping,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Import => "import",
            Source::Marketplace => "marketplace",
            Source::Action => "action",
            Source::Mapping => "mapping",
        }
    }
}

async fn history(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    order: OrderId,
    o: &OrderRow<'_>,
    source: Source,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO order_history (order_id, at, status, substatus, unified, source, actor_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(order)
    .bind(now)
    .bind(o.status)
    .bind(o.substatus)
    .bind(o.unified.code())
    .bind(source.code())
    .bind(actor.map(|a| a.0))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes an order as the marketplace reports it now: inserts it the first time, updates
/// it (and records the change) when its status moved; never a second row.
pub async fn upsert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    o: &OrderRow<'_>,
    now: i64,
) -> Result<Upserted> {
    // Read first: an order already stored (most of what a poll reads) costs no write;
    // inserting into a conflict would dirty a page on SQLite even though nothing changes.
    let select = || {
        sqlx::query(
            "SELECT id, status, substatus, unified, ship_by, cancel_reason FROM orders \
             WHERE cabinet_id = $1 AND external_id = $2",
        )
        .bind(o.cabinet.0)
        .bind(o.external_id)
    };
    let row = match select().fetch_optional(&mut **tx).await? {
        Some(row) => row,
        None => {
            let inserted = sqlx::query(
                "INSERT INTO orders (workspace_id, cabinet_id, marketplace, scheme, external_id, number, shop, \
                 status, substatus, unified, total, created_at, ship_by, warehouse_id, cancel_reason, client_id, \
                 imported_at, updated_at, alt_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18) \
                 ON CONFLICT (cabinet_id, external_id) DO NOTHING RETURNING id",
            )
            .bind(o.workspace.0)
            .bind(o.cabinet.0)
            .bind(o.marketplace.code())
            .bind(o.scheme.code())
            .bind(o.external_id)
            .bind(o.number)
            .bind(o.shop)
            .bind(o.status)
            .bind(o.substatus)
            .bind(o.unified.code())
            .bind(o.total.0)
            .bind(o.created_at)
            .bind(o.ship_by)
            .bind(o.warehouse_id)
            .bind(o.cancel_reason)
            .bind(o.client)
            .bind(now)
            .bind(o.alt_id)
            .fetch_optional(&mut **tx)
            .await?;
            if let Some(row) = inserted {
                let id: OrderId = row.try_get("id")?;
                for (line, item) in o.items.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO order_items (order_id, line, product, vendor_code, name, quantity, price, barcode) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(i64::try_from(line).unwrap_or(i64::MAX))
                    .bind(item.product)
                    .bind(item.vendor_code)
                    .bind(item.name)
                    .bind(item.quantity)
                    .bind(item.price.0)
                    .bind(item.barcode)
                    .execute(&mut **tx)
                    .await?;
                }
                history(tx, id, o, Source::Import, None, now).await?;
                if o.unified.is_open() {
                    super::stock_marks::mark_order(tx, id).await?;
                }
                return Ok(Upserted::Created { id });
            }
            // Another process stored it meanwhile.
            select().fetch_one(&mut **tx).await?
        }
    };
    let id: OrderId = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    let substatus: String = row.try_get("substatus")?;
    let before: UnifiedStatus = super::parse_col(&row, "unified")?;
    let ship_by: Option<i64> = row.try_get("ship_by")?;
    let reason: Option<String> = row.try_get("cancel_reason")?;
    let moved = status != o.status || substatus != o.substatus;
    // A printed label is ours to know: the marketplace still says "packed".
    let mut o = o.clone();
    if before == UnifiedStatus::LabelReceived && o.unified == UnifiedStatus::Packed {
        o.unified = UnifiedStatus::LabelReceived;
    }
    // A deadline one list named (WB names it among new orders only) is kept when a later
    // reading names none.
    if o.ship_by.is_none() {
        o.ship_by = ship_by;
    }
    let o = &o;
    // Same marketplace status, another unified one: a mapping changed while this import
    // read the old ones.
    let remapped = !moved && before != o.unified;
    if !moved && !remapped && ship_by == o.ship_by && reason.as_deref() == o.cancel_reason {
        return Ok(Upserted::Unchanged { id });
    }
    sqlx::query(
        "UPDATE orders SET status = $1, substatus = $2, unified = $3, ship_by = $4, cancel_reason = $5, \
         version = version + 1, updated_at = $6 WHERE id = $7",
    )
    .bind(o.status)
    .bind(o.substatus)
    .bind(o.unified.code())
    .bind(o.ship_by)
    .bind(o.cancel_reason)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if before.is_open() != o.unified.is_open() {
        super::stock_marks::mark_order(tx, id).await?;
    }
    if remapped {
        history(tx, id, o, Source::Mapping, None, now).await?;
        return Ok(Upserted::Changed { id, before });
    }
    if !moved {
        return Ok(Upserted::Unchanged { id });
    }
    history(tx, id, o, Source::Marketplace, None, now).await?;
    Ok(Upserted::Changed { id, before })
}

/// Where an import of `kind` stopped last time.
pub async fn cursor(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    cabinet: CabinetId,
    kind: &str,
) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT at FROM sync_cursors WHERE cabinet_id = $1 AND kind = $2")
        .bind(cabinet.0)
        .bind(kind)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| r.try_get("at")).transpose().map_err(Into::into)
}

/// Moves an import's cursor, in the transaction that stored what it read.
pub async fn set_cursor(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    cabinet: CabinetId,
    kind: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_cursors (cabinet_id, kind, at) VALUES ($1, $2, $3) \
         ON CONFLICT (cabinet_id, kind) DO UPDATE SET at = excluded.at",
    )
    .bind(cabinet.0)
    .bind(kind)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A workspace's own status mappings.
pub async fn mappings(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
) -> Result<HashMap<StatusKey, UnifiedStatus>> {
    let rows = sqlx::query(
        "SELECT marketplace, status, substatus, unified FROM status_mappings WHERE workspace_id = $1",
    )
    .bind(ws.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        let marketplace: Marketplace = super::parse_col(&r, "marketplace")?;
        let unified: UnifiedStatus = super::parse_col(&r, "unified")?;
        let key = StatusKey {
            marketplace,
            status: r.try_get("status")?,
            substatus: r.try_get("substatus")?,
        };
        out.insert(key, unified);
    }
    Ok(out)
}

/// The generic client FBO orders of a marketplace belong to in a workspace (created once).
pub async fn fbo_client(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    marketplace: Marketplace,
    name: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO clients (workspace_id, marketplace, name) VALUES ($1, $2, $3) \
         ON CONFLICT (workspace_id, marketplace) DO NOTHING",
    )
    .bind(ws.0)
    .bind(marketplace.code())
    .bind(name)
    .execute(&mut **tx)
    .await?;
    Ok(
        sqlx::query("SELECT id FROM clients WHERE workspace_id = $1 AND marketplace = $2")
            .bind(ws.0)
            .bind(marketplace.code())
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?,
    )
}

const ORDER_COLUMNS: &str = "o.id, o.workspace_id, o.cabinet_id, c.name AS cabinet_name, o.marketplace, o.scheme, \
     o.external_id, o.number, o.shop, o.alt_id, o.status, o.substatus, o.unified, o.total, o.created_at, o.ship_by, \
     o.warehouse_id, o.cancel_reason, o.version";

fn order_from_row(r: &sqlx::any::AnyRow) -> Result<Order> {
    Ok(Order {
        id: r.try_get("id")?,
        workspace: WorkspaceId(r.try_get("workspace_id")?),
        cabinet: CabinetId(r.try_get("cabinet_id")?),
        cabinet_name: r.try_get("cabinet_name")?,
        marketplace: parse_col(r, "marketplace")?,
        scheme: parse_col(r, "scheme")?,
        external_id: r.try_get("external_id")?,
        number: r.try_get("number")?,
        shop: r.try_get("shop")?,
        alt_id: r.try_get("alt_id")?,
        status: r.try_get("status")?,
        substatus: r.try_get("substatus")?,
        unified: parse_col(r, "unified")?,
        total: Money(r.try_get("total")?),
        created_at: r.try_get("created_at")?,
        ship_by: r.try_get("ship_by")?,
        warehouse_id: r.try_get("warehouse_id")?,
        cancel_reason: r.try_get("cancel_reason")?,
        version: r.try_get("version")?,
        items: Vec::new(),
    })
}

async fn with_items(db: &Db, mut o: Order) -> Result<Order> {
    let rows = sqlx::query(
        "SELECT product, vendor_code, name, quantity, price, barcode FROM order_items WHERE order_id = $1 ORDER BY line",
    )
    .bind(o.id)
    .fetch_all(db.pool())
    .await?;
    o.items = rows
        .iter()
        .map(|r| {
            Ok(OrderLine {
                product: r.try_get("product")?,
                vendor_code: r.try_get("vendor_code")?,
                name: r.try_get("name")?,
                quantity: r.try_get("quantity")?,
                price: Money(r.try_get("price")?),
                barcode: r.try_get("barcode")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(o)
}

/// One order of a workspace, with its items; another workspace's id finds nothing.
pub async fn get(db: &Db, ws: WorkspaceId, id: OrderId) -> Result<Option<Order>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN cabinets c ON c.id = o.cabinet_id \
         WHERE o.workspace_id = $1 AND o.id = $2"
    )))
    .bind(ws.0)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => Ok(Some(with_items(db, order_from_row(&r)?).await?)),
        None => Ok(None),
    }
}

/// Orders of a workspace by id, with their items, in three statements per 500; ids of
/// another workspace find nothing.
pub async fn get_many(
    db: &Db,
    ws: WorkspaceId,
    ids: &[OrderId],
) -> Result<HashMap<OrderId, Order>> {
    let mut out = HashMap::new();
    for part in ids.chunks(500) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ORDER_COLUMNS} FROM orders o JOIN cabinets c ON c.id = o.cabinet_id \
             WHERE o.workspace_id = $1 AND o.id IN ({})",
            super::id_list(part)
        )))
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
        for r in &rows {
            let o = order_from_row(r)?;
            out.insert(o.id, o);
        }
        let found: Vec<OrderId> = part
            .iter()
            .copied()
            .filter(|i| out.contains_key(i))
            .collect();
        if found.is_empty() {
            continue;
        }
        let items = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT order_id, product, vendor_code, name, quantity, price, barcode FROM order_items \
             WHERE order_id IN ({}) ORDER BY order_id, line",
            super::id_list(&found)
        )))
        .fetch_all(db.pool())
        .await?;
        for r in &items {
            let id: OrderId = r.try_get("order_id")?;
            if let Some(o) = out.get_mut(&id) {
                o.items.push(OrderLine {
                    product: r.try_get("product")?,
                    vendor_code: r.try_get("vendor_code")?,
                    name: r.try_get("name")?,
                    quantity: r.try_get("quantity")?,
                    price: Money(r.try_get("price")?),
                    barcode: r.try_get("barcode")?,
                });
            }
        }
    }
    Ok(out)
}

/// Which orders a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Created in [from, to).
    pub from: i64,
    pub to: i64,
    pub unified: Option<UnifiedStatus>,
    pub scheme: Option<Scheme>,
    pub cabinet: Option<CabinetId>,
    /// Only orders awaiting assembly, the nearest deadline first (the warehouse's view).
    pub to_assemble: bool,
}

fn filter_sql(f: &Filter) -> (String, Vec<i64>, Vec<String>) {
    // Integer binds go first ($2..), text binds after them; $1 is the workspace.
    let mut ints = vec![f.from, f.to];
    let mut texts = Vec::new();
    let mut sql = String::from("o.workspace_id = $1 AND o.created_at >= $2 AND o.created_at < $3");
    if let Some(c) = f.cabinet {
        ints.push(c.0);
        sql.push_str(&format!(" AND o.cabinet_id = ${}", ints.len() + 1));
    }
    let base = ints.len() + 1;
    if let Some(u) = f.unified {
        texts.push(u.code().to_owned());
        sql.push_str(&format!(" AND o.unified = ${}", base + texts.len()));
    }
    if let Some(s) = f.scheme {
        texts.push(s.code().to_owned());
        sql.push_str(&format!(" AND o.scheme = ${}", base + texts.len()));
    }
    if f.to_assemble {
        sql.push_str(" AND o.unified = 'confirmed' AND o.scheme <> 'fbo'");
    }
    (sql, ints, texts)
}

/// A page of a workspace's orders: newest first, or the nearest deadline first for the
/// warehouse's view.
pub async fn page(db: &Db, ws: WorkspaceId, f: &Filter, offset: i64, limit: i64) -> Result<Page> {
    let (cond, ints, texts) = filter_sql(f);
    let bind_all = |sql: String| {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ws.0);
        for i in &ints {
            q = q.bind(*i);
        }
        for t in &texts {
            q = q.bind(t.clone());
        }
        q
    };
    let totals = bind_all(format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN o.unified IN ('cancelled', 'returned') \
         THEN 0 ELSE o.total END), 0) AS BIGINT) AS s, \
         CAST(COALESCE(SUM(CASE WHEN o.unified IN ('cancelled', 'returned') \
         THEN o.total ELSE 0 END), 0) AS BIGINT) AS l FROM orders o WHERE {cond}"
    ))
    .fetch_one(db.pool())
    .await?;
    let count: i64 = totals.try_get("n")?;
    let sum: i64 = totals.try_get("s")?;
    let lost: i64 = totals.try_get("l")?;
    let order = if f.to_assemble {
        "COALESCE(o.ship_by, 9223372036854775807), o.id"
    } else {
        "o.created_at DESC, o.id DESC"
    };
    let n = ints.len() + texts.len() + 2;
    let rows = bind_all(format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN cabinets c ON c.id = o.cabinet_id \
         WHERE {cond} ORDER BY {order} LIMIT ${} OFFSET ${}",
        n,
        n + 1
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for r in &rows {
        orders.push(with_items(db, order_from_row(r)?).await?);
    }
    Ok(Page {
        orders,
        count,
        sum: Money(sum),
        lost: Money(lost),
    })
}

/// Orders of a workspace first imported at or after `since`, and orders whose status
/// moved since then (not counting the new ones).
pub async fn imported_since(db: &Db, ws: WorkspaceId, since: i64) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN imported_at >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS n, \
         CAST(COALESCE(SUM(CASE WHEN imported_at < $2 AND updated_at >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS m \
         FROM orders WHERE workspace_id = $1 AND (imported_at >= $2 OR updated_at >= $2)",
    )
    .bind(ws.0)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("n")?, row.try_get("m")?))
}

/// An order of a workspace found by what a seller types: its number or external id.
pub async fn find(db: &Db, ws: WorkspaceId, number: &str) -> Result<Option<Order>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN cabinets c ON c.id = o.cabinet_id \
         WHERE o.workspace_id = $1 AND (o.number = $2 OR o.external_id = $2) ORDER BY o.id LIMIT 1"
    )))
    .bind(ws.0)
    .bind(number)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => Ok(Some(with_items(db, order_from_row(&r)?).await?)),
        None => Ok(None),
    }
}

/// An order's history, oldest first.
pub async fn history_of(db: &Db, order: OrderId) -> Result<Vec<HistoryEntry>> {
    let rows = sqlx::query(
        "SELECT at, status, substatus, unified, source, actor_user_id FROM order_history \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: r.try_get("at")?,
                status: r.try_get("status")?,
                substatus: r.try_get("substatus")?,
                unified: parse_col(r, "unified")?,
                source: r.try_get("source")?,
                actor: r.try_get::<Option<i64>, _>("actor_user_id")?.map(TgUserId),
            })
        })
        .collect()
}

/// Records what our own action did to an order, when it is still at `version` (an import
/// that saw it change meanwhile wins: the marketplace's word is newer); returns whether it
/// was.
#[allow(clippy::too_many_arguments)]
pub async fn apply_action(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    order: OrderId,
    version: i64,
    status: &str,
    substatus: &str,
    unified: UnifiedStatus,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<bool> {
    let moved = sqlx::query(
        "UPDATE orders SET status = $1, substatus = $2, unified = $3, version = version + 1, \
         updated_at = $4 WHERE id = $5 AND version = $6",
    )
    .bind(status)
    .bind(substatus)
    .bind(unified.code())
    .bind(now)
    .bind(order)
    .bind(version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved == 0 {
        return Ok(false);
    }
    if !unified.is_open() {
        super::stock_marks::mark_order(tx, order).await?;
    }
    sqlx::query(
        "INSERT INTO order_history (order_id, at, status, substatus, unified, source, actor_user_id) \
         VALUES ($1, $2, $3, $4, $5, 'action', $6)",
    )
    .bind(order)
    .bind(now)
    .bind(status)
    .bind(substatus)
    .bind(unified.code())
    .bind(actor.map(|a| a.0))
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// The hours after it was placed an order may be cancelled from its card.
pub async fn annul_hours(db: &Db, ws: WorkspaceId) -> Result<i64> {
    Ok(
        sqlx::query("SELECT annul_hours FROM workspaces WHERE id = $1")
            .bind(ws.0)
            .fetch_one(db.pool())
            .await?
            .try_get("annul_hours")?,
    )
}

/// An open order whose ship-by deadline is near.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearDeadline {
    pub order: OrderId,
    pub workspace: WorkspaceId,
    pub cabinet: CabinetId,
    pub ship_by: i64,
}

/// Open FBS orders whose deadline is still ahead but within their workspace's warning
/// hours, oldest deadline first.
pub async fn near_deadline(db: &Db, now: i64) -> Result<Vec<NearDeadline>> {
    let rows = sqlx::query(
        "SELECT o.id, o.workspace_id, o.cabinet_id, o.ship_by FROM orders o \
         JOIN workspaces w ON w.id = o.workspace_id \
         WHERE o.unified IN ('new', 'confirmed', 'packed', 'label') AND o.scheme <> 'fbo' \
         AND o.ship_by IS NOT NULL AND o.ship_by > $1 AND o.ship_by <= $1 + w.deadline_hours * 3600 \
         ORDER BY o.ship_by, o.id",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(NearDeadline {
                order: r.try_get("id")?,
                workspace: WorkspaceId(r.try_get("workspace_id")?),
                cabinet: CabinetId(r.try_get("cabinet_id")?),
                ship_by: r.try_get("ship_by")?,
            })
        })
        .collect()
}

/// A workspace's open FBS orders packed and without a label yet, nearest deadline first.
pub async fn unlabelled(db: &Db, ws: WorkspaceId) -> Result<Vec<OrderId>> {
    let rows = sqlx::query(
        "SELECT o.id FROM orders o WHERE o.workspace_id = $1 AND o.unified = 'packed' AND o.scheme <> 'fbo' \
         AND NOT EXISTS (SELECT 1 FROM label_files l WHERE l.order_id = o.id) \
         ORDER BY COALESCE(o.ship_by, 9223372036854775807), o.id LIMIT 1000",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Keeps a line's barcode, read from the catalogue.
pub async fn set_barcode(db: &Db, order: OrderId, line: usize, barcode: &str) -> Result<()> {
    sqlx::query("UPDATE order_items SET barcode = $1 WHERE order_id = $2 AND line = $3")
        .bind(barcode)
        .bind(order)
        .bind(i64::try_from(line).unwrap_or(i64::MAX))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A cabinet's orders the marketplace knows by these ids (in no particular order).
pub async fn by_external(
    db: &Db,
    ws: WorkspaceId,
    cabinet: CabinetId,
    ids: &[String],
) -> Result<Vec<Order>> {
    let mut out = Vec::new();
    for id in ids {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ORDER_COLUMNS} FROM orders o JOIN cabinets c ON c.id = o.cabinet_id \
             WHERE o.workspace_id = $1 AND o.cabinet_id = $2 AND o.external_id = $3"
        )))
        .bind(ws.0)
        .bind(cabinet.0)
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
        if let Some(r) = row {
            out.push(with_items(db, order_from_row(&r)?).await?);
        }
    }
    Ok(out)
}

/// Forgets where an import stopped, so the next one reads its whole window again.
pub async fn forget_cursor(db: &Db, cabinet: CabinetId, kind: &str) -> Result<()> {
    sqlx::query("DELETE FROM sync_cursors WHERE cabinet_id = $1 AND kind = $2")
        .bind(cabinet.0)
        .bind(kind)
        .execute(db.pool())
        .await?;
    Ok(())
}
