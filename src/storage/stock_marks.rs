//! What changed since each cabinet's last stock push. Whatever can change the amount a
//! SKU's products should show (its levels, its options, its links, the open orders that
//! hold it) marks the SKU for every cabinet of the workspace, in the transaction that
//! changed it; whatever changes a whole cabinet (its formulas, warehouses or products)
//! asks for a full push. A push reads only the marked SKUs and clears the marks it read.

use crate::domain::ids::{OrderId, SkuId};
use std::collections::HashMap;

use sqlx::Row;

use super::{Db, Result};
use crate::domain::{CabinetId, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

const UPSERT: &str = "ON CONFLICT (cabinet_id, sku_id) DO UPDATE SET mark = stock_marks.mark + 1";

/// Marks SKUs of the workspace for each of its cabinets.
pub async fn mark_skus(tx: &mut Tx<'_>, ws: WorkspaceId, skus: &[SkuId]) -> Result<()> {
    let mut skus = skus.to_vec();
    skus.sort_unstable();
    skus.dedup();
    for part in skus.chunks(500) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO stock_marks (cabinet_id, sku_id, mark) \
             SELECT c.id, k.id, 1 FROM cabinets c JOIN skus k ON k.workspace_id = c.workspace_id \
             WHERE c.workspace_id = $1 AND c.archived_at IS NULL AND k.id IN ({}) {UPSERT}",
            super::id_list(part)
        )))
        .bind(ws.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Marks the SKUs an order's lines hold (its products by marketplace id or vendor code,
/// and the SKUs linked to them), for each cabinet of its workspace.
pub async fn mark_order(tx: &mut Tx<'_>, order: OrderId) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO stock_marks (cabinet_id, sku_id, mark) \
         SELECT DISTINCT c.id, l.sku_id, 1 FROM orders o \
         JOIN order_items i ON i.order_id = o.id \
         JOIN mp_products p ON p.cabinet_id = o.cabinet_id \
              AND (p.sku = i.product OR p.external_id = i.product OR p.vendor_code = i.vendor_code) \
         JOIN sku_links l ON l.product_id = p.id \
         JOIN cabinets c ON c.workspace_id = o.workspace_id AND c.archived_at IS NULL \
         WHERE o.id = $1 {UPSERT}"
    )))
    .bind(order)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A cabinet's marks: SKU → mark.
pub async fn marks(db: &Db, cabinet: CabinetId) -> Result<HashMap<SkuId, i64>> {
    let rows = sqlx::query("SELECT sku_id, mark FROM stock_marks WHERE cabinet_id = $1")
        .bind(cabinet.0)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("sku_id")?, r.try_get("mark")?)))
        .collect()
}

/// Clears the marks a push read; a SKU marked again meanwhile keeps its mark.
pub async fn clear(tx: &mut Tx<'_>, cabinet: CabinetId, read: &HashMap<SkuId, i64>) -> Result<()> {
    let mut by_mark: HashMap<i64, Vec<SkuId>> = HashMap::new();
    for (sku, mark) in read {
        by_mark.entry(*mark).or_default().push(*sku);
    }
    for (mark, skus) in by_mark {
        for part in skus.chunks(500) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM stock_marks WHERE cabinet_id = $1 AND mark = $2 AND sku_id IN ({})",
                super::id_list(part)
            )))
            .bind(cabinet.0)
            .bind(mark)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Asks for a full push of a cabinet.
pub async fn full_push_due<'e, E>(exec: E, cabinet: CabinetId) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "UPDATE cabinets SET stock_full_at = NULL WHERE id = $1 AND stock_full_at IS NOT NULL",
    )
    .bind(cabinet.0)
    .execute(exec)
    .await?;
    Ok(())
}

/// Asks for a full push of every cabinet of a workspace.
pub async fn full_push_due_all<'e, E>(exec: E, ws: WorkspaceId) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "UPDATE cabinets SET stock_full_at = NULL WHERE workspace_id = $1 AND stock_full_at IS NOT NULL",
    )
    .bind(ws.0)
    .execute(exec)
    .await?;
    Ok(())
}

/// When a cabinet's last full push ran (`None`: one is due).
pub async fn full_at(db: &Db, cabinet: CabinetId) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT stock_full_at FROM cabinets WHERE id = $1")
        .bind(cabinet.0)
        .fetch_optional(db.pool())
        .await?;
    Ok(row
        .map(|r| r.try_get("stock_full_at"))
        .transpose()?
        .flatten())
}

/// Records a full push.
pub async fn pushed_full(tx: &mut Tx<'_>, cabinet: CabinetId, now: i64) -> Result<()> {
    sqlx::query("UPDATE cabinets SET stock_full_at = $1 WHERE id = $2")
        .bind(now)
        .bind(cabinet.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
