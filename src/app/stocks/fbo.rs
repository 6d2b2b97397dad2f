//! FBO stock read back (F5): what each marketplace holds of the seller's goods in its own
//! warehouses (Ozon FBO, WB FBW, YM FBY), read on a schedule, matched to the cabinet's
//! products and kept per warehouse, replacing the last reading.

use std::collections::{BTreeMap, HashMap};

use crate::app::{AppError, AppResult, Services};
use crate::domain::{CabinetId, Scheme};
use crate::marketplaces::{Error as MpError, FboStock, MarketplaceApi, Warehouse};
use crate::storage::cabinets;
use crate::storage::catalogue::{self as cat, ProductRow};
use crate::storage::warehouses::{self as wh, FboRow};

pub use crate::app::jobs::FBO;

/// Finds the product an FBO line is: by the marketplace's SKU or size id, then by vendor
/// code, then by product id.
fn matcher(products: &[ProductRow]) -> impl Fn(&FboStock) -> Option<i64> + '_ {
    let mut by_sku = HashMap::new();
    let mut by_vendor = HashMap::new();
    let mut by_id = HashMap::new();
    for p in products {
        if !p.sku.is_empty() {
            by_sku.entry(p.sku.as_str()).or_insert(p.id);
        }
        by_vendor
            .entry(p.vendor_code.to_lowercase())
            .or_insert(p.id);
        by_id.entry(p.external_id.as_str()).or_insert(p.id);
    }
    move |s: &FboStock| {
        s.product
            .sku
            .as_deref()
            .and_then(|k| by_sku.get(k))
            .or_else(|| by_vendor.get(&s.product.vendor_code.to_lowercase()))
            .or_else(|| by_id.get(s.product.id.as_str()))
            .copied()
    }
}

impl Services {
    /// Reads what a cabinet's marketplace holds in its own warehouses and keeps it; returns
    /// how many products it holds somewhere. A cabinet that sells from its own warehouse
    /// only, or whose key may not read this, is left alone.
    pub async fn read_fbo(&self, cabinet: CabinetId) -> AppResult<usize> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(0);
        };
        if !c.enabled || !c.scheme.covers(Scheme::Fbo) {
            return Ok(0);
        }
        let client = self.client_for(&c).await?;
        let read = match client.fbo_stocks().await {
            Ok(r) => r,
            Err(MpError::Forbidden { .. } | MpError::Unsupported(_)) => {
                tracing::info!(cabinet = c.id.0, "this key may not read FBO stock");
                return Ok(0);
            }
            Err(e) => return Err(AppError::Marketplace(e)),
        };
        let products = cat::products_of(&self.db, c.id).await?;
        let find = matcher(&products);
        let mut warehouses: BTreeMap<String, String> = BTreeMap::new();
        let mut rows = Vec::new();
        let mut unknown = 0usize;
        for s in &read {
            warehouses
                .entry(s.warehouse_id.clone())
                .or_insert_with(|| s.warehouse_name.clone());
            match find(s) {
                Some(product) => rows.push(FboRow {
                    product,
                    warehouse: s.warehouse_id.clone(),
                    present: s.present.max(0),
                    reserved: s.reserved.max(0),
                }),
                None => unknown += 1,
            }
        }
        if unknown > 0 {
            tracing::info!(
                cabinet = c.id.0,
                unknown,
                "FBO lines of products not in the catalogue yet"
            );
        }
        let list: Vec<Warehouse> = warehouses
            .into_iter()
            .map(|(id, name)| Warehouse {
                id,
                name,
                active: true,
                marketplace_owned: true,
            })
            .collect();
        let held = rows
            .iter()
            .map(|r| r.product)
            .collect::<std::collections::HashSet<_>>()
            .len();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        cat::put_warehouses(&mut tx, c.workspace, c.id, true, &list).await?;
        wh::put_fbo(&mut tx, c.workspace, c.id, &rows, now).await?;
        tx.commit().await?;
        Ok(held)
    }
}
