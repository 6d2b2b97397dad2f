//! Prices (F6) as use cases: what each cabinet's marketplace shows for each product, read
//! back on a schedule and kept per product (every size of a WB card gets its card's price),
//! and a SKU's prices wherever it is sold.

use std::collections::HashMap;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::{CabinetId, Marketplace, Permission};
use crate::marketplaces::MarketplaceApi;
use crate::storage::cabinets;
use crate::storage::catalogue::{self as cat, Sku};
use crate::storage::prices::{self, PriceRow};

pub use super::jobs::PRICES;

/// A SKU's price on one cabinet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceLine {
    pub cabinet: String,
    pub marketplace: Marketplace,
    pub vendor_code: String,
    pub price: PriceRow,
}

impl Services {
    /// Reads every price a cabinet's marketplace shows and keeps those of products in the
    /// catalogue; returns how many products got one.
    pub async fn read_prices(&self, cabinet: CabinetId) -> AppResult<usize> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(0);
        };
        if !c.enabled {
            return Ok(0);
        }
        let client = self.client_for(&c).await?;
        let read = client.prices().await?;
        let products = cat::products_of(&self.db, c.id).await?;
        let mut by_id: HashMap<&str, Vec<i64>> = HashMap::new();
        let mut by_vendor: HashMap<String, Vec<i64>> = HashMap::new();
        for p in &products {
            by_id.entry(p.external_id.as_str()).or_default().push(p.id);
            by_vendor
                .entry(p.vendor_code.to_lowercase())
                .or_default()
                .push(p.id);
        }
        let now = self.now();
        let mut rows = Vec::new();
        for i in read {
            let ids = by_id
                .get(i.product.id.as_str())
                .or_else(|| by_vendor.get(&i.product.vendor_code.to_lowercase()));
            for id in ids.into_iter().flatten() {
                rows.push(PriceRow {
                    product: *id,
                    cabinet: c.id,
                    price: i.price,
                    after_discount: i.price_after_discount,
                    discount_percent: i.discount_percent,
                    min_price: i.min_price,
                    promo_price: i.promo_price,
                    currency: "RUB".to_owned(),
                    read_at: now,
                });
            }
        }
        let mut tx = self.db.begin().await?;
        prices::put_prices(&mut tx, c.workspace, c.id, &rows).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// A SKU and its prices on every cabinet where it is sold.
    pub async fn prices_of(&self, actor: Actor, sku: i64) -> AppResult<(Sku, Vec<PriceLine>)> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let s = cat::sku(&self.db, ws, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        let names: HashMap<CabinetId, (String, Marketplace)> = cabinets::list(&self.db, ws)
            .await?
            .into_iter()
            .map(|c| (c.id, (c.name, c.marketplace)))
            .collect();
        let mut out = Vec::new();
        for p in prices::of_sku(&self.db, ws, s.id).await? {
            let Some((name, marketplace)) = names.get(&p.cabinet) else {
                continue;
            };
            let vendor_code = cat::product(&self.db, ws, p.product)
                .await?
                .map(|x| x.vendor_code)
                .unwrap_or_default();
            out.push(PriceLine {
                cabinet: name.clone(),
                marketplace: *marketplace,
                vendor_code,
                price: p,
            });
        }
        Ok((s, out))
    }
}
