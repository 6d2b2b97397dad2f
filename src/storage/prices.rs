//! Prices (F6): what each marketplace shows for each product of a cabinet, as last read
//! back, replaced by each reading.

use sqlx::Row;

use super::{Db, Result};
use crate::domain::{CabinetId, Money, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// A product's price on its marketplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    pub product: i64,
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
    for r in rows {
        sqlx::query(
            "INSERT INTO prices (product_id, workspace_id, cabinet_id, price, after_discount, discount_percent, \
             min_price, promo_price, currency, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (product_id) DO NOTHING",
        )
        .bind(r.product)
        .bind(ws.0)
        .bind(cabinet.0)
        .bind(r.price.0)
        .bind(r.after_discount.0)
        .bind(r.discount_percent)
        .bind(r.min_price.map(|m| m.0))
        .bind(r.promo_price.map(|m| m.0))
        .bind(&r.currency)
        .bind(r.read_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The prices of the products a SKU is sold as.
pub async fn of_sku(db: &Db, ws: WorkspaceId, sku: i64) -> Result<Vec<PriceRow>> {
    let rows = sqlx::query(
        "SELECT p.product_id, p.cabinet_id, p.price, p.after_discount, p.discount_percent, p.min_price, \
         p.promo_price, p.currency, p.read_at FROM sku_links l JOIN prices p ON p.product_id = l.product_id \
         WHERE l.sku_id = $1 AND p.workspace_id = $2 ORDER BY p.cabinet_id, p.product_id",
    )
    .bind(sku)
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
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
        })
        .collect()
}
