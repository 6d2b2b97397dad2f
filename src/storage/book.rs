//! The reads of a stock book for a few SKUs: their links, products and levels, and the
//! products order lines name. A chart, a card or a push of what changed reads these
//! instead of the whole catalogue.

use crate::domain::ids::{ProductId, SkuId, StoreId};
use std::collections::HashMap;

use sqlx::Row;

use super::catalogue::{Link, PRODUCT_COLS, ProductRow, product_from};
use super::stocks::OpenLine;
use super::{Db, Result};
use crate::domain::WorkspaceId;

fn links_from(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Link>> {
    rows.iter()
        .map(|r| {
            Ok(Link {
                product: r.try_get("product_id")?,
                sku: r.try_get("sku_id")?,
                how: r.try_get("how")?,
            })
        })
        .collect()
}

/// The links of these SKUs.
pub async fn links_of_skus(db: &Db, ws: WorkspaceId, skus: &[SkuId]) -> Result<Vec<Link>> {
    let rows = super::rows_for_ids(
        db,
        "SELECT product_id, sku_id, how FROM sku_links WHERE workspace_id = $1 AND sku_id IN ({ids})",
        ws.0,
        skus,
    )
    .await?;
    links_from(&rows)
}

/// The links of these products.
pub async fn links_of_products(
    db: &Db,
    ws: WorkspaceId,
    products: &[ProductId],
) -> Result<Vec<Link>> {
    let rows = super::rows_for_ids(
        db,
        "SELECT product_id, sku_id, how FROM sku_links WHERE workspace_id = $1 AND product_id IN ({ids})",
        ws.0,
        products,
    )
    .await?;
    links_from(&rows)
}

/// Products the cabinets list now, by id, in id order.
pub async fn products_by_ids(
    db: &Db,
    ws: WorkspaceId,
    ids: &[ProductId],
) -> Result<Vec<ProductRow>> {
    let sql = format!(
        "SELECT {PRODUCT_COLS} FROM mp_products WHERE workspace_id = $1 AND gone_at IS NULL \
         AND id IN ({{ids}})"
    );
    let rows = super::rows_for_ids(db, &sql, ws.0, ids).await?;
    let mut out = rows.iter().map(product_from).collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|p| p.id);
    Ok(out)
}

/// Every product order lines may name: in the line's cabinet, by the marketplace's id
/// (its SKU or product id) or by vendor code (as written, in lower and in upper case), in
/// id order, so a finder built from them finds for these lines what one built from the
/// whole catalogue finds.
pub async fn products_named(
    db: &Db,
    ws: WorkspaceId,
    lines: &[OpenLine],
) -> Result<Vec<ProductRow>> {
    let mut ids: HashMap<i64, Vec<String>> = HashMap::new();
    let mut codes: HashMap<i64, Vec<String>> = HashMap::new();
    for l in lines {
        if !l.product.is_empty() {
            ids.entry(l.cabinet.0).or_default().push(l.product.clone());
        }
        if !l.vendor_code.is_empty() {
            let c = codes.entry(l.cabinet.0).or_default();
            c.push(l.vendor_code.clone());
            c.push(l.vendor_code.to_lowercase());
            c.push(l.vendor_code.to_uppercase());
        }
    }
    let mut found: HashMap<ProductId, ProductRow> = HashMap::new();
    for (column, by_cabinet) in [
        ("external_id", &ids),
        ("sku", &ids),
        ("vendor_code", &codes),
    ] {
        for (cabinet, list) in by_cabinet {
            let mut list = list.clone();
            list.sort_unstable();
            list.dedup();
            for part in list.chunks(300) {
                let holes: Vec<String> = (0..part.len()).map(|i| format!("${}", i + 3)).collect();
                let sql = format!(
                    "SELECT {PRODUCT_COLS} FROM mp_products WHERE workspace_id = $1 AND cabinet_id = $2 \
                     AND gone_at IS NULL AND {column} IN ({})",
                    holes.join(", ")
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(ws.0)
                    .bind(*cabinet);
                for v in part {
                    q = q.bind(v.as_str());
                }
                for r in &q.fetch_all(db.pool()).await? {
                    let p = product_from(r)?;
                    found.insert(p.id, p);
                }
            }
        }
    }
    let mut out: Vec<ProductRow> = found.into_values().collect();
    out.sort_by_key(|p| p.id);
    Ok(out)
}

/// The levels of these SKUs: SKU → (store, quantity).
pub async fn levels_of_skus(
    db: &Db,
    ws: WorkspaceId,
    skus: &[SkuId],
) -> Result<HashMap<SkuId, Vec<(StoreId, i64)>>> {
    let rows = super::rows_for_ids(
        db,
        "SELECT sku_id, store_id, quantity FROM stock WHERE workspace_id = $1 AND sku_id IN ({ids})",
        ws.0,
        skus,
    )
    .await?;
    let mut out: HashMap<SkuId, Vec<(StoreId, i64)>> = HashMap::new();
    for r in rows {
        out.entry(r.try_get("sku_id")?)
            .or_default()
            .push((r.try_get("store_id")?, r.try_get("quantity")?));
    }
    Ok(out)
}

/// What a cabinet's marketplace last accepted for these products: (product, warehouse) →
/// amount.
pub async fn published_of(
    db: &Db,
    cabinet: crate::domain::CabinetId,
    products: &[ProductId],
) -> Result<HashMap<(ProductId, String), i64>> {
    let rows = super::rows_for_ids(
        db,
        "SELECT product_id, warehouse_id, amount FROM stock_published WHERE cabinet_id = $1 \
         AND amount IS NOT NULL AND product_id IN ({ids})",
        cabinet.0,
        products,
    )
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
