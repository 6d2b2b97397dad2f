//! Prices (F6): what each marketplace shows for each product of a cabinet, as last read
//! back, replaced by each reading.

use crate::domain::ids::{ProductId, SkuId};
use sqlx::Row;

use super::{Db, Result};
use crate::domain::{CabinetId, Money, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// A product's price on its marketplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    pub product: ProductId,
    pub cabinet: CabinetId,
    /// Before the seller's discount.
    pub price: Money,
    pub after_discount: Money,
    pub discount_percent: i64,
    pub min_price: Option<Money>,
    pub promo_price: Option<Money>,
    pub currency: String,
    pub read_at: i64,
}

/// Replaces a cabinet's prices with those read now.
pub async fn put_prices(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    rows: &[PriceRow],
) -> Result<()> {
    sqlx::query("DELETE FROM prices WHERE cabinet_id = $1")
        .bind(cabinet.0)
        .execute(&mut **tx)
        .await?;
    // Ten parameters a row, 50 rows a statement: SQLite finds each parameter by a walk
    // through the statement's list, so a few hundred a statement cost least.
    for chunk in rows.chunks(50) {
        let sql = format!(
            "INSERT INTO prices (product_id, workspace_id, cabinet_id, price, after_discount, discount_percent, \
             min_price, promo_price, currency, read_at) VALUES {} ON CONFLICT (product_id) DO NOTHING",
            super::values_list(chunk.len(), 10, 1)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(r.product)
                .bind(ws.0)
                .bind(cabinet.0)
                .bind(r.price.0)
                .bind(r.after_discount.0)
                .bind(r.discount_percent)
                .bind(r.min_price.map(|m| m.0))
                .bind(r.promo_price.map(|m| m.0))
                .bind(&r.currency)
                .bind(r.read_at);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The prices of the products a SKU is sold as.
pub async fn of_sku(db: &Db, ws: WorkspaceId, sku: SkuId) -> Result<Vec<PriceRow>> {
    let rows = sqlx::query(
        "SELECT p.product_id, p.cabinet_id, p.price, p.after_discount, p.discount_percent, p.min_price, \
         p.promo_price, p.currency, p.read_at FROM sku_links l JOIN prices p ON p.product_id = l.product_id \
         WHERE l.sku_id = $1 AND p.workspace_id = $2 ORDER BY p.cabinet_id, p.product_id",
    )
    .bind(sku)
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(row_from).collect()
}

/// A SKU's own price rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rule {
    pub cost: Option<Money>,
    /// The lowest price the buyer may pay on any cabinet.
    pub min_guard: Option<Money>,
    /// Price lists leave this SKU alone.
    pub no_upload: bool,
}

/// Every SKU's rules in a workspace.
pub async fn rules(db: &Db, ws: WorkspaceId) -> Result<std::collections::HashMap<SkuId, Rule>> {
    let rows = sqlx::query(
        "SELECT sku_id, cost, min_guard, no_upload FROM price_rules WHERE workspace_id = $1",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("sku_id")?, rule_from(r)?)))
        .collect()
}

/// One SKU's rules (none set: the default).
pub async fn rule(db: &Db, ws: WorkspaceId, sku: SkuId) -> Result<Rule> {
    let row = sqlx::query(
        "SELECT cost, min_guard, no_upload FROM price_rules WHERE workspace_id = $1 AND sku_id = $2",
    )
    .bind(ws.0)
    .bind(sku)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(r) => rule_from(&r)?,
        None => Rule::default(),
    })
}

fn rule_from(r: &sqlx::any::AnyRow) -> Result<Rule> {
    Ok(Rule {
        cost: r.try_get::<Option<i64>, _>("cost")?.map(Money),
        min_guard: r.try_get::<Option<i64>, _>("min_guard")?.map(Money),
        no_upload: r.try_get::<i64, _>("no_upload")? != 0,
    })
}

/// Sets SKUs' rules (the SKUs belong to `ws`).
pub async fn put_rules(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    rules: &[(SkuId, Rule)],
    now: i64,
) -> Result<()> {
    // Only the workspace's own SKUs, read once; one row per SKU (the last rule wins).
    let asked: Vec<SkuId> = rules.iter().map(|(s, _)| *s).collect();
    let mut own = std::collections::HashSet::new();
    for part in asked.chunks(500) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM skus WHERE workspace_id = $1 AND id IN ({})",
            super::id_list(part)
        )))
        .bind(ws.0)
        .fetch_all(&mut **tx)
        .await?;
        for r in rows {
            own.insert(r.try_get::<SkuId, _>("id")?);
        }
    }
    let mut last: std::collections::HashMap<SkuId, &Rule> = std::collections::HashMap::new();
    let mut order = Vec::new();
    for (sku, r) in rules.iter().filter(|(s, _)| own.contains(s)) {
        if last.insert(*sku, r).is_none() {
            order.push(*sku);
        }
    }
    for chunk in order.chunks(100) {
        let sql = format!(
            "INSERT INTO price_rules (workspace_id, updated_at, sku_id, cost, min_guard, no_upload) VALUES {} \
             ON CONFLICT (sku_id) DO UPDATE SET cost = excluded.cost, min_guard = excluded.min_guard, \
             no_upload = excluded.no_upload, updated_at = excluded.updated_at",
            super::rows_with_shared(chunk.len(), 2, 4)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ws.0).bind(now);
        for sku in chunk {
            let r = last[sku];
            q = q
                .bind(*sku)
                .bind(r.cost.map(|m| m.0))
                .bind(r.min_guard.map(|m| m.0))
                .bind(i64::from(r.no_upload));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Every price of a workspace's cabinets, by product.
pub async fn of_workspace(
    db: &Db,
    ws: WorkspaceId,
) -> Result<std::collections::HashMap<ProductId, PriceRow>> {
    let rows = sqlx::query(
        "SELECT product_id, cabinet_id, price, after_discount, discount_percent, min_price, promo_price, currency, \
         read_at FROM prices WHERE workspace_id = $1",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    by_product(&rows)
}

/// The prices of these products of a workspace, by product.
pub async fn of_products(
    db: &Db,
    ws: WorkspaceId,
    products: &[ProductId],
) -> Result<std::collections::HashMap<ProductId, PriceRow>> {
    let rows = super::rows_for_ids(
        db,
        "SELECT product_id, cabinet_id, price, after_discount, discount_percent, min_price, promo_price, currency, \
         read_at FROM prices WHERE workspace_id = $1 AND product_id IN ({ids})",
        ws.0,
        products,
    )
    .await?;
    by_product(&rows)
}

/// The rules of these SKUs (those with none set are left out).
pub async fn rules_of(
    db: &Db,
    ws: WorkspaceId,
    skus: &[SkuId],
) -> Result<std::collections::HashMap<SkuId, Rule>> {
    let rows = super::rows_for_ids(
        db,
        "SELECT sku_id, cost, min_guard, no_upload FROM price_rules WHERE workspace_id = $1 AND sku_id IN ({ids})",
        ws.0,
        skus,
    )
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("sku_id")?, rule_from(r)?)))
        .collect()
}

/// A cabinet's prices, by product.
pub async fn of_cabinet(
    db: &Db,
    cabinet: CabinetId,
) -> Result<std::collections::HashMap<ProductId, PriceRow>> {
    let rows = sqlx::query(
        "SELECT product_id, cabinet_id, price, after_discount, discount_percent, min_price, promo_price, currency, \
         read_at FROM prices WHERE cabinet_id = $1",
    )
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    by_product(&rows)
}

fn by_product(
    rows: &[sqlx::any::AnyRow],
) -> Result<std::collections::HashMap<ProductId, PriceRow>> {
    rows.iter()
        .map(|r| {
            let p = row_from(r)?;
            Ok((p.product, p))
        })
        .collect()
}

fn row_from(r: &sqlx::any::AnyRow) -> Result<PriceRow> {
    Ok(PriceRow {
        product: r.try_get("product_id")?,
        cabinet: CabinetId(r.try_get("cabinet_id")?),
        price: Money(r.try_get("price")?),
        after_discount: Money(r.try_get("after_discount")?),
        discount_percent: r.try_get("discount_percent")?,
        min_price: r.try_get::<Option<i64>, _>("min_price")?.map(Money),
        promo_price: r.try_get::<Option<i64>, _>("promo_price")?.map(Money),
        currency: r.try_get("currency")?,
        read_at: r.try_get("read_at")?,
    })
}

/// The change in percent above which a price needs a second confirmation.
pub async fn jump_threshold(db: &Db, ws: WorkspaceId) -> Result<i64> {
    let row = sqlx::query("SELECT price_jump_percent FROM workspaces WHERE id = $1")
        .bind(ws.0)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => r.try_get("price_jump_percent")?,
        None => 20,
    })
}
