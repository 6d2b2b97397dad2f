//! The catalogue: our SKUs with their barcodes, the marketplace products each import saw,
//! the links between them (and the pairs a person unlinked, never linked again by
//! themselves), and each cabinet's warehouses.

use crate::domain::ids::{ProductId, SkuId};
use std::collections::{HashMap, HashSet};

use sqlx::Row;
use sqlx::any::AnyRow;

use super::rows_with_shared;
use super::{Db, Result};
pub use crate::domain::catalogue::{ProductRow, Sku};
use crate::domain::stock::Formula;
use crate::domain::{CabinetId, WorkspaceId};
use crate::marketplaces::{Product, Warehouse};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// A SKU to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewSku {
    pub code: String,
    pub name: String,
    pub vendor_code: String,
    pub barcodes: Vec<String>,
    pub weight_g: Option<i64>,
}

fn split(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

pub(super) fn product_from(r: &AnyRow) -> Result<ProductRow> {
    Ok(ProductRow {
        id: r.try_get("id")?,
        cabinet: CabinetId(r.try_get("cabinet_id")?),
        external_id: r.try_get("external_id")?,
        sku: r.try_get("sku")?,
        vendor_code: r.try_get("vendor_code")?,
        name: r.try_get("name")?,
        barcodes: split(&r.try_get::<String, _>("barcodes")?),
    })
}

pub(super) const PRODUCT_COLS: &str =
    "id, cabinet_id, external_id, sku, vendor_code, name, barcodes";

/// Writes what an import of a cabinet listed; products it no longer lists are marked gone.
/// Only what differs from what is stored is written (a daily import of an unchanged
/// catalogue writes nothing), and a change asks for a full stock push. Returns how many
/// products the cabinet lists now.
pub async fn put_products(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    products: &[Product],
    now: i64,
) -> Result<usize> {
    // One row per product key (the last reading wins).
    let mut keys = HashSet::new();
    let mut unique: Vec<&Product> = products
        .iter()
        .rev()
        .filter(|p| keys.insert((p.id.as_str(), p.sku.as_deref().unwrap_or(""))))
        .collect();
    unique.reverse();
    let stored = sqlx::query(
        "SELECT id, external_id, sku, vendor_code, name, category, barcodes, gone_at \
         FROM mp_products WHERE cabinet_id = $1",
    )
    .bind(cabinet.0)
    .fetch_all(&mut **tx)
    .await?;
    type Row = (String, String, Option<String>, String, bool);
    let mut before: HashMap<(String, String), (i64, Row)> = HashMap::new();
    for r in &stored {
        before.insert(
            (r.try_get("external_id")?, r.try_get("sku")?),
            (
                r.try_get("id")?,
                (
                    r.try_get("vendor_code")?,
                    r.try_get("name")?,
                    r.try_get("category")?,
                    r.try_get("barcodes")?,
                    r.try_get::<Option<i64>, _>("gone_at")?.is_some(),
                ),
            ),
        );
    }
    let barcodes_of = |p: &Product| -> String {
        p.barcodes
            .iter()
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let changed: Vec<&Product> = unique
        .iter()
        .copied()
        .filter(|p| {
            let key = (p.id.clone(), p.sku.clone().unwrap_or_default());
            let now_row: Row = (
                p.vendor_code.clone(),
                p.name.clone(),
                p.category.clone(),
                barcodes_of(p),
                false,
            );
            before.get(&key).is_none_or(|(_, row)| *row != now_row)
        })
        .collect();
    for chunk in changed.chunks(100) {
        let sql = format!(
            "INSERT INTO mp_products (workspace_id, cabinet_id, seen_at, external_id, sku, vendor_code, name, category, barcodes) \
             VALUES {} \
             ON CONFLICT (cabinet_id, external_id, sku) DO UPDATE SET vendor_code = excluded.vendor_code, \
             name = excluded.name, category = excluded.category, barcodes = excluded.barcodes, \
             seen_at = excluded.seen_at, gone_at = NULL",
            rows_with_shared(chunk.len(), 3, 6)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ws.0)
            .bind(cabinet.0)
            .bind(now);
        for p in chunk {
            q = q
                .bind(&p.id)
                .bind(p.sku.as_deref().unwrap_or(""))
                .bind(&p.vendor_code)
                .bind(&p.name)
                .bind(p.category.as_deref())
                .bind(barcodes_of(p));
        }
        q.execute(&mut **tx).await?;
    }
    // Stored, still listed as such, and no longer read: gone now.
    let listed: HashSet<(String, String)> = unique
        .iter()
        .map(|p| (p.id.clone(), p.sku.clone().unwrap_or_default()))
        .collect();
    let gone: Vec<i64> = before
        .iter()
        .filter(|(key, (_, row))| !row.4 && !listed.contains(*key))
        .map(|(_, (id, _))| *id)
        .collect();
    for part in gone.chunks(500) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE mp_products SET gone_at = $1 WHERE cabinet_id = $2 AND id IN ({})",
            super::id_list(part)
        )))
        .bind(now)
        .bind(cabinet.0)
        .execute(&mut **tx)
        .await?;
    }
    if !changed.is_empty() || !gone.is_empty() {
        // Products came, went or changed: the next push reads them all.
        super::stock_marks::full_push_due(&mut **tx, cabinet).await?;
    }
    Ok(unique.len())
}

/// The products the workspace's cabinets list now.
pub async fn products(db: &Db, ws: WorkspaceId) -> Result<Vec<ProductRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_COLS} FROM mp_products WHERE workspace_id = $1 AND gone_at IS NULL ORDER BY id"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(product_from).collect()
}

/// The products one cabinet lists now.
pub async fn products_of(db: &Db, cabinet: CabinetId) -> Result<Vec<ProductRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_COLS} FROM mp_products WHERE cabinet_id = $1 AND gone_at IS NULL ORDER BY id"
    )))
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(product_from).collect()
}

/// The names a cabinet's products carry, for the marketplace SKUs and vendor codes given
/// (an order names what was bought by them only): `sku → name` and `vendor code → name`.
pub async fn names_for(
    db: &Db,
    cabinet: CabinetId,
    skus: &[String],
    vendor_codes: &[String],
) -> Result<(HashMap<String, String>, HashMap<String, String>)> {
    let mut by_sku = HashMap::new();
    let mut by_vendor = HashMap::new();
    for (column, keys, out) in [
        ("sku", skus, &mut by_sku),
        ("vendor_code", vendor_codes, &mut by_vendor),
    ] {
        for chunk in keys.chunks(200) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT {column} AS k, name FROM mp_products WHERE cabinet_id = $1 AND gone_at IS NULL \
                 AND name <> '' AND {column} IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(cabinet.0);
            for k in chunk {
                q = q.bind(k);
            }
            for r in q.fetch_all(db.pool()).await? {
                out.insert(r.try_get::<String, _>("k")?, r.try_get("name")?);
            }
        }
    }
    Ok((by_sku, by_vendor))
}

/// One product of the workspace.
pub async fn product(db: &Db, ws: WorkspaceId, id: ProductId) -> Result<Option<ProductRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_COLS} FROM mp_products WHERE id = $1 AND workspace_id = $2 AND gone_at IS NULL"
    )))
    .bind(id)
    .bind(ws.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(product_from).transpose()
}

/// Products of the workspace whose name, vendor code or barcode contains `q`.
pub async fn search_products(
    db: &Db,
    ws: WorkspaceId,
    q: &str,
    limit: i64,
) -> Result<Vec<ProductRow>> {
    let like = format!("%{}%", q.to_lowercase());
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_COLS} FROM mp_products WHERE workspace_id = $1 AND gone_at IS NULL \
         AND (LOWER(name) LIKE $2 OR LOWER(vendor_code) LIKE $2 OR barcodes LIKE $2) ORDER BY id LIMIT $3"
    )))
    .bind(ws.0)
    .bind(like)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(product_from).collect()
}

/// A link of a product to a SKU, and how it was made (barcode, vendor-code, manual,
/// created).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub product: ProductId,
    pub sku: SkuId,
    pub how: String,
}

/// Every link of the workspace.
pub async fn links(db: &Db, ws: WorkspaceId) -> Result<Vec<Link>> {
    let rows = sqlx::query("SELECT product_id, sku_id, how FROM sku_links WHERE workspace_id = $1")
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
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

/// The pairs a person unlinked.
pub async fn refused(db: &Db, ws: WorkspaceId) -> Result<HashSet<(ProductId, SkuId)>> {
    let rows = sqlx::query(
        "SELECT u.product_id, u.sku_id FROM sku_unlinked u JOIN skus s ON s.id = u.sku_id WHERE s.workspace_id = $1",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("product_id")?, r.try_get("sku_id")?)))
        .collect()
}

/// Links a product to a SKU (once).
pub async fn link(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    sku: SkuId,
    product: ProductId,
    how: &str,
    now: i64,
) -> Result<bool> {
    sqlx::query("DELETE FROM sku_unlinked WHERE sku_id = $1 AND product_id = $2")
        .bind(sku)
        .bind(product)
        .execute(&mut **tx)
        .await?;
    let n = sqlx::query(
        "INSERT INTO sku_links (workspace_id, sku_id, product_id, how, linked_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (product_id, sku_id) DO NOTHING",
    )
    .bind(ws.0)
    .bind(sku)
    .bind(product)
    .bind(how)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n > 0 {
        super::stock_marks::mark_skus(tx, ws, &[sku]).await?;
    }
    Ok(n > 0)
}

/// Unlinks a product from a SKU and remembers it was a person's choice.
pub async fn unlink(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    sku: SkuId,
    product: ProductId,
) -> Result<bool> {
    let n = sqlx::query(
        "DELETE FROM sku_links WHERE workspace_id = $1 AND sku_id = $2 AND product_id = $3",
    )
    .bind(ws.0)
    .bind(sku)
    .bind(product)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n > 0 {
        super::stock_marks::mark_skus(tx, ws, &[sku]).await?;
    }
    sqlx::query(
        "INSERT INTO sku_unlinked (sku_id, product_id) VALUES ($1, $2) ON CONFLICT (product_id, sku_id) DO NOTHING",
    )
    .bind(sku)
    .bind(product)
    .execute(&mut **tx)
    .await?;
    Ok(n > 0)
}

fn sku_from(r: &AnyRow) -> Result<Sku> {
    let formula: Option<String> = r.try_get("formula")?;
    Ok(Sku {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        vendor_code: r.try_get("vendor_code")?,
        barcodes: Vec::new(),
        weight_g: r.try_get("weight_g")?,
        low_stock: r.try_get("low_stock")?,
        publish: r.try_get::<i64, _>("publish")? != 0,
        formula: formula.and_then(|f| serde_json::from_str(&f).ok()),
    })
}

const SKU_COLS: &str = "id, code, name, vendor_code, weight_g, low_stock, publish, formula";

/// Every SKU of the workspace with its barcodes, by code.
pub async fn skus(db: &Db, ws: WorkspaceId) -> Result<Vec<Sku>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SKU_COLS} FROM skus WHERE workspace_id = $1 ORDER BY code"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<Sku> = rows.iter().map(sku_from).collect::<Result<_>>()?;
    let codes = sqlx::query(
        "SELECT sku_id, barcode FROM sku_barcodes WHERE workspace_id = $1 ORDER BY barcode",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    let mut by: std::collections::HashMap<SkuId, Vec<String>> = Default::default();
    for r in codes {
        by.entry(r.try_get("sku_id")?)
            .or_default()
            .push(r.try_get("barcode")?);
    }
    for s in &mut out {
        s.barcodes = by.remove(&s.id).unwrap_or_default();
    }
    Ok(out)
}

async fn with_barcodes(db: &Db, mut s: Sku) -> Result<Sku> {
    let rows = sqlx::query("SELECT barcode FROM sku_barcodes WHERE sku_id = $1 ORDER BY barcode")
        .bind(s.id)
        .fetch_all(db.pool())
        .await?;
    s.barcodes = rows
        .iter()
        .map(|r| r.try_get("barcode"))
        .collect::<std::result::Result<_, _>>()?;
    Ok(s)
}

/// One SKU of the workspace.
pub async fn sku(db: &Db, ws: WorkspaceId, id: SkuId) -> Result<Option<Sku>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SKU_COLS} FROM skus WHERE id = $1 AND workspace_id = $2"
    )))
    .bind(id)
    .bind(ws.0)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => Ok(Some(with_barcodes(db, sku_from(&r)?).await?)),
        None => Ok(None),
    }
}

/// SKUs of the workspace by id, with their barcodes; ids of another workspace find
/// nothing.
pub async fn skus_by_ids(db: &Db, ws: WorkspaceId, ids: &[SkuId]) -> Result<Vec<Sku>> {
    let mut out = Vec::new();
    for part in ids.chunks(500) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SKU_COLS} FROM skus WHERE workspace_id = $1 AND id IN ({}) ORDER BY code",
            super::id_list(part)
        )))
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
        let mut found: Vec<Sku> = rows.iter().map(sku_from).collect::<Result<_>>()?;
        if found.is_empty() {
            continue;
        }
        let ids: Vec<SkuId> = found.iter().map(|s| s.id).collect();
        let codes = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT sku_id, barcode FROM sku_barcodes WHERE sku_id IN ({}) ORDER BY barcode",
            super::id_list(&ids)
        )))
        .fetch_all(db.pool())
        .await?;
        let mut by: HashMap<SkuId, Vec<String>> = HashMap::new();
        for r in codes {
            by.entry(r.try_get("sku_id")?)
                .or_default()
                .push(r.try_get("barcode")?);
        }
        for s in &mut found {
            s.barcodes = by.remove(&s.id).unwrap_or_default();
        }
        out.extend(found);
    }
    Ok(out)
}

/// The SKU with this code (case-insensitive) or barcode.
pub async fn find_sku(db: &Db, ws: WorkspaceId, code: &str) -> Result<Option<Sku>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SKU_COLS} FROM skus WHERE workspace_id = $1 AND (LOWER(code) = $2 \
         OR id IN (SELECT sku_id FROM sku_barcodes WHERE workspace_id = $1 AND barcode = $3)) ORDER BY id LIMIT 1"
    )))
    .bind(ws.0)
    .bind(code.trim().to_lowercase())
    .bind(code.trim())
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => Ok(Some(with_barcodes(db, sku_from(&r)?).await?)),
        None => Ok(None),
    }
}

/// SKUs whose code, name or barcode contains `q`.
pub async fn search_skus(db: &Db, ws: WorkspaceId, q: &str, limit: i64) -> Result<Vec<Sku>> {
    let like = format!("%{}%", q.trim().to_lowercase());
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SKU_COLS} FROM skus WHERE workspace_id = $1 AND (LOWER(code) LIKE $2 OR LOWER(name) LIKE $2 \
         OR LOWER(vendor_code) LIKE $2 OR id IN (SELECT sku_id FROM sku_barcodes WHERE workspace_id = $1 AND barcode LIKE $2)) \
         ORDER BY code LIMIT $3"
    )))
    .bind(ws.0)
    .bind(like)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(sku_from).collect()
}

/// Every SKU code of the workspace, lower-cased.
pub async fn codes(db: &Db, ws: WorkspaceId) -> Result<HashSet<String>> {
    let rows = sqlx::query("SELECT code FROM skus WHERE workspace_id = $1")
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<String, _>("code")?.to_lowercase()))
        .collect()
}

/// Creates a SKU with its barcodes; `None` when its code is taken.
pub async fn create_sku(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    s: &NewSku,
    now: i64,
) -> Result<Option<SkuId>> {
    let row = sqlx::query(
        "INSERT INTO skus (workspace_id, code, name, vendor_code, weight_g, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (workspace_id, code) DO NOTHING RETURNING id",
    )
    .bind(ws.0)
    .bind(&s.code)
    .bind(&s.name)
    .bind(&s.vendor_code)
    .bind(s.weight_g)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: SkuId = row.try_get("id")?;
    put_barcodes(tx, ws, id, &s.barcodes).await?;
    Ok(Some(id))
}

/// Updates a SKU's fields from a file (by code); returns its id, or `None` if unknown.
pub async fn update_sku(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    s: &NewSku,
    now: i64,
) -> Result<Option<SkuId>> {
    let row = sqlx::query(
        "UPDATE skus SET name = $3, vendor_code = $4, weight_g = $5, updated_at = $6 \
         WHERE workspace_id = $1 AND LOWER(code) = LOWER($2) RETURNING id",
    )
    .bind(ws.0)
    .bind(&s.code)
    .bind(&s.name)
    .bind(&s.vendor_code)
    .bind(s.weight_g)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: SkuId = row.try_get("id")?;
    sqlx::query("DELETE FROM sku_barcodes WHERE sku_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    put_barcodes(tx, ws, id, &s.barcodes).await?;
    Ok(Some(id))
}

async fn put_barcodes(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    sku: SkuId,
    barcodes: &[String],
) -> Result<()> {
    for b in barcodes {
        let b = b.trim();
        if b.is_empty() {
            continue;
        }
        sqlx::query(
            "INSERT INTO sku_barcodes (workspace_id, sku_id, barcode) VALUES ($1, $2, $3) ON CONFLICT (sku_id, barcode) DO NOTHING",
        )
        .bind(ws.0)
        .bind(sku)
        .bind(b)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Sets a SKU's low-stock threshold, its "do not publish" flag or its own formula.
pub async fn set_sku_options(
    db: &Db,
    ws: WorkspaceId,
    sku: SkuId,
    low_stock: Option<i64>,
    publish: bool,
    formula: Option<&Formula>,
    now: i64,
) -> Result<bool> {
    let formula = formula.map(|f| serde_json::to_string(f).unwrap_or_default());
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE skus SET low_stock = $3, publish = $4, formula = $5, updated_at = $6 WHERE id = $1 AND workspace_id = $2",
    )
    .bind(sku)
    .bind(ws.0)
    .bind(low_stock)
    .bind(i64::from(publish))
    .bind(formula)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    super::stock_marks::mark_skus(&mut tx, ws, &[sku]).await?;
    tx.commit().await?;
    Ok(n > 0)
}

/// Keeps a cabinet's warehouses as the marketplace lists them now: its own (FBO) ones when
/// `fbo`, the seller's otherwise (each list replaces only its kind).
pub async fn put_warehouses(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    fbo: bool,
    list: &[Warehouse],
) -> Result<()> {
    // Only what differs is written, so an unchanged list writes nothing.
    let stored = sqlx::query(
        "SELECT warehouse_id, name, active, fbo FROM mp_warehouses WHERE cabinet_id = $1",
    )
    .bind(cabinet.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut before: HashMap<String, (String, bool, bool)> = HashMap::new();
    for r in &stored {
        before.insert(
            r.try_get("warehouse_id")?,
            (
                r.try_get("name")?,
                r.try_get::<i64, _>("active")? != 0,
                r.try_get::<i64, _>("fbo")? != 0,
            ),
        );
    }
    let listed: Vec<&Warehouse> = list.iter().filter(|w| w.marketplace_owned == fbo).collect();
    let ids: HashSet<&str> = listed.iter().map(|w| w.id.as_str()).collect();
    let off: Vec<&String> = before
        .iter()
        .filter(|(id, (_, active, kind))| *kind == fbo && *active && !ids.contains(id.as_str()))
        .map(|(id, _)| id)
        .collect();
    let mut changed = !off.is_empty();
    for id in off {
        sqlx::query(
            "UPDATE mp_warehouses SET active = 0 WHERE cabinet_id = $1 AND warehouse_id = $2",
        )
        .bind(cabinet.0)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    for w in listed {
        let same = before.get(&w.id).is_some_and(|(name, active, kind)| {
            *kind != fbo || (*name == w.name && *active == w.active)
        });
        if same {
            continue;
        }
        changed = true;
        sqlx::query(
            "INSERT INTO mp_warehouses (cabinet_id, warehouse_id, workspace_id, name, active, fbo) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (cabinet_id, warehouse_id) DO UPDATE SET name = excluded.name, active = excluded.active \
             WHERE mp_warehouses.fbo = excluded.fbo",
        )
        .bind(cabinet.0)
        .bind(&w.id)
        .bind(ws.0)
        .bind(&w.name)
        .bind(i64::from(w.active))
        .bind(i64::from(w.marketplace_owned))
        .execute(&mut **tx)
        .await?;
    }
    if changed && !fbo {
        // The warehouses stock is pushed to: the next push reads everything.
        super::stock_marks::full_push_due(&mut **tx, cabinet).await?;
    }
    Ok(())
}

/// A cabinet's warehouses as last listed (active ones).
pub async fn warehouses(db: &Db, cabinet: CabinetId) -> Result<Vec<Warehouse>> {
    let rows = sqlx::query(
        "SELECT warehouse_id, name, active, fbo FROM mp_warehouses WHERE cabinet_id = $1 AND active = 1 ORDER BY warehouse_id",
    )
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Warehouse {
                id: r.try_get("warehouse_id")?,
                name: r.try_get("name")?,
                active: r.try_get::<i64, _>("active")? != 0,
                marketplace_owned: r.try_get::<i64, _>("fbo")? != 0,
            })
        })
        .collect()
}

/// Creates many SKUs at once (a file's new rows), codes already taken left alone; returns
/// how many were created.
pub async fn create_skus(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    list: &[NewSku],
    now: i64,
) -> Result<usize> {
    let mut made = 0;
    for chunk in list.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 5;
                format!(
                    "($1, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO skus (workspace_id, code, name, vendor_code, weight_g, created_at, updated_at) VALUES {} \
             ON CONFLICT (workspace_id, code) DO NOTHING RETURNING id, code",
            values.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ws.0);
        for s in chunk {
            q = q
                .bind(&s.code)
                .bind(&s.name)
                .bind(&s.vendor_code)
                .bind(s.weight_g)
                .bind(now);
        }
        let rows = q.fetch_all(&mut **tx).await?;
        made += rows.len();
        let ids: std::collections::HashMap<String, i64> = rows
            .iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("id")?)))
            .collect::<Result<_>>()?;
        let pairs: Vec<(i64, &str)> = chunk
            .iter()
            .filter_map(|s| ids.get(&s.code).map(|id| (*id, s)))
            .flat_map(|(id, s)| {
                s.barcodes
                    .iter()
                    .map(|b| b.trim())
                    .filter(|b| !b.is_empty())
                    .map(move |b| (id, b))
            })
            .collect();
        for part in pairs.chunks(250) {
            let values: Vec<String> = (0..part.len())
                .map(|i| format!("($1, ${}, ${})", i * 2 + 2, i * 2 + 3))
                .collect();
            let sql = format!(
                "INSERT INTO sku_barcodes (workspace_id, sku_id, barcode) VALUES {} ON CONFLICT (sku_id, barcode) DO NOTHING",
                values.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ws.0);
            for (id, b) in part {
                q = q.bind(*id).bind(*b);
            }
            q.execute(&mut **tx).await?;
        }
    }
    Ok(made)
}
