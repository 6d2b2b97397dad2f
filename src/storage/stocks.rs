//! Stock: our warehouses (stores), each SKU's level in each, every change of a level with
//! who, when and why, each cabinet's formulas, what each marketplace last accepted, and
//! what it reports back.

use crate::domain::ids::{OrderId, ProductId, SkuId, StoreId};
use std::collections::HashMap;

use sqlx::Row;

use super::{Db, Result};
use crate::domain::stock::Formula;
pub use crate::domain::stock::Store;
use crate::domain::{CabinetId, TgUserId, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// The workspace's warehouses, oldest first.
pub async fn stores(db: &Db, ws: WorkspaceId) -> Result<Vec<Store>> {
    let rows = sqlx::query("SELECT id, name FROM stores WHERE workspace_id = $1 ORDER BY id")
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Store {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

/// Adds a warehouse of ours (a name already there is that one); returns its id.
pub async fn add_store(db: &Db, ws: WorkspaceId, name: &str, now: i64) -> Result<StoreId> {
    sqlx::query(
        "INSERT INTO stores (workspace_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (workspace_id, name) DO NOTHING",
    )
    .bind(ws.0)
    .bind(name)
    .bind(now)
    .execute(db.pool())
    .await?;
    let row = sqlx::query("SELECT id FROM stores WHERE workspace_id = $1 AND name = $2")
        .bind(ws.0)
        .bind(name)
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("id")?)
}

/// Every stock level of the workspace: SKU → (store, quantity).
pub async fn levels(db: &Db, ws: WorkspaceId) -> Result<HashMap<SkuId, Vec<(StoreId, i64)>>> {
    let rows = sqlx::query("SELECT sku_id, store_id, quantity FROM stock WHERE workspace_id = $1")
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
    let mut out: HashMap<SkuId, Vec<(StoreId, i64)>> = HashMap::new();
    for r in rows {
        out.entry(r.try_get("sku_id")?)
            .or_default()
            .push((r.try_get("store_id")?, r.try_get("quantity")?));
    }
    Ok(out)
}

/// One SKU's levels: (store, quantity).
pub async fn levels_of(db: &Db, ws: WorkspaceId, sku: SkuId) -> Result<Vec<(StoreId, i64)>> {
    let rows = sqlx::query(
        "SELECT store_id, quantity FROM stock WHERE workspace_id = $1 AND sku_id = $2 ORDER BY store_id",
    )
    .bind(ws.0)
    .bind(sku)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("store_id")?, r.try_get("quantity")?)))
        .collect()
}

/// One SKU's level in one store, inside the caller's transaction (`None`: never set).
pub async fn level(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    sku: SkuId,
    store: StoreId,
) -> Result<Option<i64>> {
    Ok(sqlx::query(
        "SELECT quantity FROM stock WHERE sku_id = $1 AND store_id = $2 AND workspace_id = $3",
    )
    .bind(sku)
    .bind(store)
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.try_get("quantity"))
    .transpose()?)
}

/// A change of a level as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move<'a> {
    pub sku: SkuId,
    pub store: StoreId,
    pub after: i64,
    pub user: Option<TgUserId>,
    /// chat, file, count
    pub source: &'a str,
    pub reason: &'a str,
}

/// Sets a level inside the caller's transaction and records the change; returns the level
/// before (`None` when none was set). Setting the same level records nothing.
pub async fn set_level(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    m: &Move<'_>,
    now: i64,
) -> Result<Option<i64>> {
    let before = level(tx, ws, m.sku, m.store).await?;
    if before == Some(m.after) {
        return Ok(before);
    }
    super::stock_marks::mark_skus(tx, ws, &[m.sku]).await?;
    sqlx::query(
        "INSERT INTO stock (sku_id, store_id, workspace_id, quantity, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sku_id, store_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
    )
    .bind(m.sku)
    .bind(m.store)
    .bind(ws.0)
    .bind(m.after)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO stock_moves (workspace_id, sku_id, store_id, user_id, source, reason, before_qty, after_qty, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(ws.0)
    .bind(m.sku)
    .bind(m.store)
    .bind(m.user.map(|u| u.0))
    .bind(m.source)
    .bind(m.reason)
    .bind(before.unwrap_or(0))
    .bind(m.after)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(before)
}

/// A recorded change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRow {
    pub store: StoreId,
    pub user: Option<TgUserId>,
    pub source: String,
    pub reason: String,
    pub before: i64,
    pub after: i64,
    pub at: i64,
}

/// A SKU's changes since `since`, oldest first.
/// The warehouses of ours where a SKU's level was recorded before `at`.
pub async fn stores_known_before(
    db: &Db,
    ws: WorkspaceId,
    sku: SkuId,
    at: i64,
) -> Result<std::collections::HashSet<StoreId>> {
    let rows = sqlx::query(
        "SELECT DISTINCT store_id FROM stock_moves WHERE workspace_id = $1 AND sku_id = $2 AND at < $3",
    )
    .bind(ws.0)
    .bind(sku)
    .bind(at)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<StoreId, _>("store_id")?))
        .collect()
}

pub async fn moves(db: &Db, ws: WorkspaceId, sku: SkuId, since: i64) -> Result<Vec<MoveRow>> {
    let rows = sqlx::query(
        "SELECT store_id, user_id, source, reason, before_qty, after_qty, at FROM stock_moves \
         WHERE workspace_id = $1 AND sku_id = $2 AND at >= $3 ORDER BY at, id",
    )
    .bind(ws.0)
    .bind(sku)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MoveRow {
                store: r.try_get("store_id")?,
                user: r.try_get::<Option<i64>, _>("user_id")?.map(TgUserId),
                source: r.try_get("source")?,
                reason: r.try_get("reason")?,
                before: r.try_get("before_qty")?,
                after: r.try_get("after_qty")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// A cabinet's formulas by warehouse ('' for the whole cabinet).
pub async fn rules(db: &Db, cabinet: CabinetId) -> Result<HashMap<String, Formula>> {
    let rows = sqlx::query("SELECT warehouse_id, formula FROM stock_rules WHERE cabinet_id = $1")
        .bind(cabinet.0)
        .fetch_all(db.pool())
        .await?;
    let mut out = HashMap::new();
    for r in rows {
        let f: String = r.try_get("formula")?;
        if let Ok(f) = serde_json::from_str(&f) {
            out.insert(r.try_get("warehouse_id")?, f);
        }
    }
    Ok(out)
}

/// Sets the formula of a cabinet's warehouse ('' for the whole cabinet).
pub async fn set_rule(
    db: &Db,
    ws: WorkspaceId,
    cabinet: CabinetId,
    warehouse: &str,
    f: &Formula,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock_rules (cabinet_id, warehouse_id, workspace_id, formula) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (cabinet_id, warehouse_id) DO UPDATE SET formula = excluded.formula",
    )
    .bind(cabinet.0)
    .bind(warehouse)
    .bind(ws.0)
    .bind(serde_json::to_string(f).unwrap_or_default())
    .execute(db.pool())
    .await?;
    super::stock_marks::full_push_due(db.pool(), cabinet).await
}

/// What a cabinet's marketplace last accepted: (product, warehouse) → amount.
pub async fn published(db: &Db, cabinet: CabinetId) -> Result<HashMap<(ProductId, String), i64>> {
    let rows = sqlx::query(
        "SELECT product_id, warehouse_id, amount FROM stock_published WHERE cabinet_id = $1 AND amount IS NOT NULL",
    )
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        out.insert(
            (r.try_get("product_id")?, r.try_get("warehouse_id")?),
            r.try_get("amount")?,
        );
    }
    Ok(out)
}

/// The items of a cabinet refused at their last push: (product, warehouse).
pub async fn refused_keys(db: &Db, cabinet: CabinetId) -> Result<Vec<(ProductId, String)>> {
    let rows = sqlx::query(
        "SELECT product_id, warehouse_id FROM stock_published WHERE cabinet_id = $1 AND error IS NOT NULL",
    )
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("product_id")?, r.try_get("warehouse_id")?)))
        .collect()
}

/// Forgets the refusals of items no longer published (unlinked, not published, their
/// warehouse gone), in one statement per warehouse and 500 products.
pub async fn clear_refusals(
    tx: &mut Tx<'_>,
    cabinet: CabinetId,
    items: &[(ProductId, String)],
) -> Result<()> {
    let mut by_warehouse: HashMap<&str, Vec<ProductId>> = HashMap::new();
    for (product, warehouse) in items {
        by_warehouse.entry(warehouse).or_default().push(*product);
    }
    for (warehouse, products) in by_warehouse {
        for part in products.chunks(500) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE stock_published SET error = NULL, error_at = NULL \
                 WHERE cabinet_id = $1 AND warehouse_id = $2 AND product_id IN ({})",
                super::id_list(part)
            )))
            .bind(cabinet.0)
            .bind(warehouse)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Forgets what was last published for an item on every cabinet of the workspace, so the
/// next push sends it whatever it was.
pub async fn forget_published(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    product: ProductId,
    warehouse: &str,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM stock_published WHERE product_id = $1 AND warehouse_id = $2 AND workspace_id = $3",
    )
    .bind(product)
    .bind(warehouse)
    .bind(ws.0)
    .execute(&mut **tx)
    .await?;
    super::stock_marks::full_push_due_all(&mut **tx, ws).await
}

/// How pushed items ended: accepted (the amount) or refused (the reason; what the
/// marketplace holds is then unknown, so the item goes again next time). Written 100 at a
/// time; an item named twice keeps its last answer.
pub async fn record_pushes(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    items: &[(ProductId, &str, std::result::Result<i64, &str>)],
    now: i64,
) -> Result<()> {
    let mut last: HashMap<(ProductId, &str), std::result::Result<i64, &str>> = HashMap::new();
    let mut order = Vec::new();
    for (product, warehouse, result) in items {
        if last.insert((*product, *warehouse), *result).is_none() {
            order.push((*product, *warehouse));
        }
    }
    let accepted: Vec<(ProductId, &str, i64)> = order
        .iter()
        .filter_map(|k| last[k].ok().map(|a| (k.0, k.1, a)))
        .collect();
    let refused: Vec<(ProductId, &str, &str)> = order
        .iter()
        .filter_map(|k| last[k].err().map(|e| (k.0, k.1, e)))
        .collect();
    for chunk in accepted.chunks(100) {
        let sql = format!(
            "INSERT INTO stock_published (workspace_id, cabinet_id, pushed_at, product_id, warehouse_id, amount) \
             VALUES {} ON CONFLICT (product_id, warehouse_id) DO UPDATE SET \
             amount = excluded.amount, pushed_at = excluded.pushed_at, error = NULL, error_at = NULL",
            super::rows_with_shared(chunk.len(), 3, 3)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ws.0)
            .bind(cabinet.0)
            .bind(now);
        for (product, warehouse, amount) in chunk {
            q = q.bind(*product).bind(*warehouse).bind(*amount);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in refused.chunks(100) {
        let sql = format!(
            "INSERT INTO stock_published (workspace_id, cabinet_id, error_at, product_id, warehouse_id, error) \
             VALUES {} ON CONFLICT (product_id, warehouse_id) DO UPDATE SET \
             amount = NULL, error = excluded.error, error_at = excluded.error_at",
            super::rows_with_shared(chunk.len(), 3, 3)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ws.0)
            .bind(cabinet.0)
            .bind(now);
        for (product, warehouse, error) in chunk {
            q = q.bind(*product).bind(*warehouse).bind(*error);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// An item the marketplace refused: product, warehouse, what it said, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub product: ProductId,
    pub warehouse: String,
    pub error: String,
    pub at: i64,
}

/// A cabinet's refused items, newest first.
pub async fn refusals(db: &Db, cabinet: CabinetId, limit: i64) -> Result<(i64, Vec<Refusal>)> {
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM stock_published WHERE cabinet_id = $1 AND error IS NOT NULL",
    )
    .bind(cabinet.0)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(
        "SELECT product_id, warehouse_id, error, error_at FROM stock_published WHERE cabinet_id = $1 \
         AND error IS NOT NULL ORDER BY error_at DESC, product_id LIMIT $2",
    )
    .bind(cabinet.0)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(Refusal {
                product: r.try_get("product_id")?,
                warehouse: r.try_get("warehouse_id")?,
                error: r.try_get("error")?,
                at: r.try_get("error_at")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((total, list))
}

/// Keeps what a marketplace reports it holds for a product in a warehouse.
#[allow(clippy::too_many_arguments)]
pub async fn put_reported(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    product: ProductId,
    warehouse: &str,
    present: i64,
    reserved: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO mp_stocks (product_id, warehouse_id, workspace_id, cabinet_id, present, reserved, read_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (product_id, warehouse_id) DO UPDATE SET \
         present = excluded.present, reserved = excluded.reserved, read_at = excluded.read_at",
    )
    .bind(product)
    .bind(warehouse)
    .bind(ws.0)
    .bind(cabinet.0)
    .bind(present)
    .bind(reserved)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a cabinet's marketplace reported: (product, warehouse) → (present, reserved).
pub async fn reported(
    db: &Db,
    cabinet: CabinetId,
) -> Result<HashMap<(ProductId, String), (i64, i64)>> {
    let rows = sqlx::query(
        "SELECT product_id, warehouse_id, present, reserved FROM mp_stocks WHERE cabinet_id = $1",
    )
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        out.insert(
            (r.try_get("product_id")?, r.try_get("warehouse_id")?),
            (r.try_get("present")?, r.try_get("reserved")?),
        );
    }
    Ok(out)
}

/// An order line still to ship from our shelf: (cabinet, product, vendor code, quantity,
/// order id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLine {
    pub cabinet: CabinetId,
    pub order: OrderId,
    pub number: String,
    pub product: String,
    pub vendor_code: String,
    pub quantity: i64,
}

/// The lines of the workspace's FBS and DBS orders that hold stock: open ones (not yet
/// handed over), unless a rule released them, and those a rule holds until they are
/// handed over or end.
pub async fn open_lines(db: &Db, ws: WorkspaceId) -> Result<Vec<OpenLine>> {
    let rows = sqlx::query(
        "SELECT o.cabinet_id, o.id, o.number, i.product, i.vendor_code, i.quantity FROM orders o \
         JOIN order_items i ON i.order_id = o.id WHERE o.workspace_id = $1 AND o.scheme <> 'fbo' \
         AND ((o.hold IS NULL AND o.unified IN ('new', 'confirmed', 'packed', 'label')) \
         OR (o.hold = 1 AND o.unified NOT IN ('shipped', 'delivered', 'cancelled', 'returned'))) \
         ORDER BY o.id, i.line",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OpenLine {
                cabinet: CabinetId(r.try_get("cabinet_id")?),
                order: r.try_get("id")?,
                number: r.try_get("number")?,
                product: r.try_get("product")?,
                vendor_code: r.try_get("vendor_code")?,
                quantity: r.try_get("quantity")?,
            })
        })
        .collect()
}

/// Sets a rule's hold on an order's units: held whatever its status until it is handed
/// over or ends (`true`), or not held though open (`false`); when it changes, the order's
/// SKUs are marked for the next stock push. Returns whether it changed.
pub async fn set_hold(tx: &mut Tx<'_>, ws: WorkspaceId, order: OrderId, on: bool) -> Result<bool> {
    let changed = sqlx::query(
        "UPDATE orders SET hold = $1 WHERE id = $2 AND workspace_id = $3 \
         AND (hold IS NULL OR hold <> $1)",
    )
    .bind(i64::from(on))
    .bind(order)
    .bind(ws.0)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0;
    if changed {
        super::stock_marks::mark_order(tx, order).await?;
    }
    Ok(changed)
}

/// The lines of orders placed since `since` and not cancelled or returned, any scheme
/// (sales, for days of stock and charts); `number` carries the order's time.
pub async fn sold_lines(db: &Db, ws: WorkspaceId, since: i64) -> Result<Vec<OpenLine>> {
    let rows = sqlx::query(
        "SELECT o.cabinet_id, o.id, o.created_at, i.product, i.vendor_code, i.quantity FROM orders o \
         JOIN order_items i ON i.order_id = o.id WHERE o.workspace_id = $1 AND o.created_at >= $2 \
         AND o.unified NOT IN ('cancelled', 'returned') ORDER BY o.created_at, o.id, i.line",
    )
    .bind(ws.0)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OpenLine {
                cabinet: CabinetId(r.try_get("cabinet_id")?),
                order: r.try_get("id")?,
                number: r.try_get::<i64, _>("created_at")?.to_string(),
                product: r.try_get("product")?,
                vendor_code: r.try_get("vendor_code")?,
                quantity: r.try_get("quantity")?,
            })
        })
        .collect()
}

/// Sets many levels at once inside the caller's transaction (a file applied), recording
/// each change; levels already at their value record nothing. Returns how many changed.
pub async fn set_levels(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    moves: &[Move<'_>],
    now: i64,
) -> Result<usize> {
    let mut changed = 0;
    for chunk in moves.chunks(300) {
        let skus: Vec<SkuId> = chunk.iter().map(|m| m.sku).collect();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT sku_id, store_id, quantity FROM stock WHERE workspace_id = $1 AND sku_id IN ({})",
            super::id_list(&skus)
        )))
        .bind(ws.0)
        .fetch_all(&mut **tx)
        .await?;
        let mut before: HashMap<(SkuId, StoreId), i64> = HashMap::new();
        for r in rows {
            before.insert(
                (r.try_get("sku_id")?, r.try_get("store_id")?),
                r.try_get("quantity")?,
            );
        }
        let todo: Vec<(&Move<'_>, i64)> = chunk
            .iter()
            .filter_map(|m| {
                let b = before.get(&(m.sku, m.store)).copied();
                (b != Some(m.after)).then_some((m, b.unwrap_or(0)))
            })
            .collect();
        if todo.is_empty() {
            continue;
        }
        changed += todo.len();
        let marked: Vec<SkuId> = todo.iter().map(|(m, _)| m.sku).collect();
        super::stock_marks::mark_skus(tx, ws, &marked).await?;
        let values: Vec<String> = (0..todo.len())
            .map(|i| format!("(${}, ${}, $1, ${}, $2)", i * 3 + 3, i * 3 + 4, i * 3 + 5))
            .collect();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO stock (sku_id, store_id, workspace_id, quantity, updated_at) VALUES {} \
             ON CONFLICT (sku_id, store_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
            values.join(", ")
        )))
        .bind(ws.0)
        .bind(now);
        for (m, _) in &todo {
            q = q.bind(m.sku).bind(m.store).bind(m.after);
        }
        q.execute(&mut **tx).await?;
        let values: Vec<String> = (0..todo.len())
            .map(|i| {
                let b = i * 7 + 3;
                format!(
                    "($1, ${}, ${}, ${}, ${}, ${}, ${}, ${}, $2)",
                    b,
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO stock_moves (workspace_id, sku_id, store_id, user_id, source, reason, before_qty, after_qty, at) VALUES {}",
            values.join(", ")
        )))
        .bind(ws.0)
        .bind(now);
        for (m, b) in &todo {
            q = q
                .bind(m.sku)
                .bind(m.store)
                .bind(m.user.map(|u| u.0))
                .bind(m.source)
                .bind(m.reason)
                .bind(*b)
                .bind(m.after);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(changed)
}

/// Items of a workspace the marketplaces accepted, and refused, since `since`.
pub async fn pushed_since(db: &Db, ws: WorkspaceId, since: i64) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(CASE WHEN pushed_at >= $2 AND error IS NULL THEN 1 ELSE 0 END), 0) AS ok, \
         COALESCE(SUM(CASE WHEN error_at >= $2 AND error IS NOT NULL THEN 1 ELSE 0 END), 0) AS bad \
         FROM stock_published WHERE workspace_id = $1",
    )
    .bind(ws.0)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("ok")?, row.try_get("bad")?))
}
