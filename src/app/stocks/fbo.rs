//! FBO stock read back (F5): what each marketplace holds of the seller's goods in its own
//! warehouses (Ozon FBO, WB FBW, YM FBY), read on a schedule, matched to the cabinet's
//! products and kept per warehouse, replacing the last reading.

use crate::domain::ids::ProductId;
use std::collections::{BTreeMap, HashMap};

use crate::app::{AppError, AppResult};
use crate::domain::{CabinetId, Scheme};
use crate::marketplaces::{Error as MpError, FboStock, MarketplaceApi, Warehouse};
use crate::storage::cabinets;
use crate::storage::catalogue::{self as cat, ProductRow};
use crate::storage::warehouses::{self as wh, FboRow};

/// Finds the product an FBO line is: by the marketplace's SKU or size id, then by vendor
/// code, then by product id.
fn matcher(products: &[ProductRow]) -> impl Fn(&FboStock) -> Option<ProductId> + '_ {
    let mut by_sku = HashMap::new();
    // A vendor code or product id several products share (the sizes of a WB card) names
    // none of them.
    let mut by_vendor: HashMap<String, Option<ProductId>> = HashMap::new();
    let mut by_id: HashMap<&str, Option<ProductId>> = HashMap::new();
    for p in products {
        if !p.sku.is_empty() {
            by_sku.entry(p.sku.as_str()).or_insert(p.id);
        }
        if !p.vendor_code.is_empty() {
            by_vendor
                .entry(p.vendor_code.to_lowercase())
                .and_modify(|v| *v = None)
                .or_insert(Some(p.id));
        }
        if !p.external_id.is_empty() {
            by_id
                .entry(p.external_id.as_str())
                .and_modify(|v| *v = None)
                .or_insert(Some(p.id));
        }
    }
    move |s: &FboStock| {
        let sku = s.product.sku.as_deref().filter(|k| !k.is_empty());
        if let Some(id) = sku.and_then(|k| by_sku.get(k)) {
            return Some(*id);
        }
        let vendor = s.product.vendor_code.to_lowercase();
        (!vendor.is_empty())
            .then(|| by_vendor.get(&vendor).copied().flatten())
            .flatten()
            .or_else(|| by_id.get(s.product.id.as_str()).copied().flatten())
    }
}

impl crate::app::rooms::Stocks<'_> {
    /// Reads what a cabinet's marketplace holds in its own warehouses and keeps it; returns
    /// how many products it holds somewhere. A cabinet that sells from its own warehouse
    /// only, or whose key may not read this, is left alone.
    pub async fn read_fbo(&self, cabinet: CabinetId) -> AppResult<usize> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(0);
        };
        if !c.enabled || !c.scheme.covers(Scheme::Fbo) {
            self.forget_fbo(&c).await?;
            return Ok(0);
        }
        let client = self.cabinets().client_for(&c).await?;
        let read = match client.fbo_stocks().await {
            Ok(r) => r,
            Err(MpError::Forbidden { .. } | MpError::Unsupported(_)) => {
                tracing::info!(cabinet = c.id.0, "this key may not read FBO stock");
                self.forget_fbo(&c).await?;
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
            match find(s) {
                Some(product) => {
                    warehouses
                        .entry(s.warehouse_id.clone())
                        .or_insert_with(|| s.warehouse_name.clone());
                    rows.push(FboRow {
                        product,
                        warehouse: s.warehouse_id.clone(),
                        present: s.present.max(0),
                        reserved: s.reserved.max(0),
                    });
                }
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

    /// Forgets what a cabinet's marketplace held in its own warehouses: it is no longer
    /// read (disabled, FBS only, a key that may not).
    async fn forget_fbo(&self, c: &crate::domain::Cabinet) -> AppResult<()> {
        let mut tx = self.db.begin().await?;
        wh::put_fbo(&mut tx, c.workspace, c.id, &[], self.now()).await?;
        cat::put_warehouses(&mut tx, c.workspace, c.id, true, &[]).await?;
        tx.commit().await?;
        Ok(())
    }
}
