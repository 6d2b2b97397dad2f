//! Warehouses: ours renamed, a marketplace warehouse's formula taken back to the cabinet's,
//! and the stock the marketplaces report in their own (FBO) warehouses, kept as last read.

use crate::domain::ids::{ProductId, SkuId, StoreId};
use sqlx::Row;

use super::{Db, Result};
use crate::domain::{CabinetId, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// Whether another of the workspace's warehouses than `except` has this name (case aside).
pub async fn store_name_taken(
    db: &Db,
    ws: WorkspaceId,
    name: &str,
    except: Option<StoreId>,
) -> Result<bool> {
    let rows = sqlx::query("SELECT id, name FROM stores WHERE workspace_id = $1")
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
    // Names that only look different (a no-break space, a Cyrillic "а") are the same.
    let wanted = crate::domain::name_key(name);
    for r in rows {
        let id: StoreId = r.try_get("id")?;
        let n: String = r.try_get("name")?;
        if Some(id) != except && crate::domain::name_key(&n) == wanted {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Renames one of our warehouses; false when it is not the workspace's.
pub async fn rename_store(db: &Db, ws: WorkspaceId, id: StoreId, name: &str) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE stores SET name = $1 WHERE id = $2 AND workspace_id = $3")
            .bind(name)
            .bind(id)
            .bind(ws.0)
            .execute(db.pool())
            .await?
            .rows_affected()
            == 1,
    )
}

/// Takes a warehouse's formula back to the cabinet's.
pub async fn clear_rule(db: &Db, cabinet: CabinetId, warehouse: &str) -> Result<()> {
    sqlx::query("DELETE FROM stock_rules WHERE cabinet_id = $1 AND warehouse_id = $2")
        .bind(cabinet.0)
        .bind(warehouse)
        .execute(db.pool())
        .await?;
    super::stock_marks::full_push_due(db.pool(), cabinet).await
}

/// What a marketplace holds of a product in one of its own warehouses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FboRow {
    pub product: ProductId,
    pub warehouse: String,
    pub present: i64,
    pub reserved: i64,
}

/// Replaces what a cabinet's FBO warehouses hold with what was read now: what is no
/// longer reported goes.
pub async fn put_fbo(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    rows: &[FboRow],
    now: i64,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM mp_stocks WHERE cabinet_id = $1 AND warehouse_id IN \
         (SELECT warehouse_id FROM mp_warehouses WHERE cabinet_id = $1 AND fbo = 1)",
    )
    .bind(cabinet.0)
    .execute(&mut **tx)
    .await?;
    // Rows of one product in one warehouse add up (sizes, lots), summed here so each
    // statement names a key once.
    type Key<'a> = (ProductId, &'a str);
    let mut sums: Vec<(Key<'_>, (i64, i64))> = Vec::new();
    let mut at: std::collections::HashMap<Key<'_>, usize> = std::collections::HashMap::new();
    for r in rows {
        let key = (r.product, r.warehouse.as_str());
        match at.get(&key) {
            Some(&i) => {
                sums[i].1.0 += r.present;
                sums[i].1.1 += r.reserved;
            }
            None => {
                at.insert(key, sums.len());
                sums.push((key, (r.present, r.reserved)));
            }
        }
    }
    for chunk in sums.chunks(100) {
        let sql = format!(
            "INSERT INTO mp_stocks (workspace_id, cabinet_id, read_at, product_id, warehouse_id, present, reserved) \
             VALUES {} ON CONFLICT (product_id, warehouse_id) DO UPDATE SET \
             present = mp_stocks.present + excluded.present, reserved = mp_stocks.reserved + excluded.reserved, \
             read_at = excluded.read_at",
            super::rows_with_shared(chunk.len(), 3, 4)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ws.0)
            .bind(cabinet.0)
            .bind(now);
        for ((product, warehouse), (present, reserved)) in chunk {
            q = q
                .bind(*product)
                .bind(*warehouse)
                .bind(*present)
                .bind(*reserved);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// One FBO warehouse of a cabinet as last read: how many products it holds, their units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FboTotal {
    pub warehouse: String,
    pub name: String,
    pub products: i64,
    pub present: i64,
    pub reserved: i64,
    pub read_at: i64,
}

/// A cabinet's FBO warehouses with what they hold, most units first.
pub async fn fbo_totals(db: &Db, cabinet: CabinetId) -> Result<Vec<FboTotal>> {
    let rows = sqlx::query(
        "SELECT w.warehouse_id, w.name, COUNT(s.product_id) AS products, \
         CAST(COALESCE(SUM(s.present), 0) AS BIGINT) AS present, CAST(COALESCE(SUM(s.reserved), 0) AS BIGINT) AS reserved, \
         COALESCE(MAX(s.read_at), 0) AS read_at \
         FROM mp_warehouses w LEFT JOIN mp_stocks s ON s.cabinet_id = w.cabinet_id AND s.warehouse_id = w.warehouse_id \
         WHERE w.cabinet_id = $1 AND w.fbo = 1 AND w.active = 1 \
         GROUP BY w.warehouse_id, w.name ORDER BY present DESC, w.name",
    )
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FboTotal {
                warehouse: r.try_get("warehouse_id")?,
                name: r.try_get("name")?,
                products: r.try_get("products")?,
                present: r.try_get("present")?,
                reserved: r.try_get("reserved")?,
                read_at: r.try_get("read_at")?,
            })
        })
        .collect()
}

/// What the marketplaces hold of a SKU in their own warehouses: (cabinet, warehouse name,
/// units), most first.
pub async fn fbo_of_sku(
    db: &Db,
    ws: WorkspaceId,
    sku: SkuId,
) -> Result<Vec<(CabinetId, String, i64)>> {
    let rows = sqlx::query(
        "SELECT s.cabinet_id, w.name, CAST(SUM(s.present) AS BIGINT) AS present FROM sku_links l \
         JOIN mp_stocks s ON s.product_id = l.product_id \
         JOIN mp_warehouses w ON w.cabinet_id = s.cabinet_id AND w.warehouse_id = s.warehouse_id \
         WHERE l.sku_id = $1 AND s.workspace_id = $2 AND w.fbo = 1 AND w.active = 1 \
         GROUP BY s.cabinet_id, w.name ORDER BY present DESC, w.name",
    )
    .bind(sku)
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                CabinetId(r.try_get("cabinet_id")?),
                r.try_get("name")?,
                r.try_get("present")?,
            ))
        })
        .collect()
}
