//! Prices (F6) as use cases: what each cabinet's marketplace shows for each product, read
//! back on a schedule and kept per product (every size of a WB card gets its card's price),
//! and a SKU's prices wherever it is sold.

pub mod book;
pub mod change;
pub mod list;
pub mod push;

use crate::domain::ids::{ProductId, SkuId};
use std::collections::HashMap;

use super::{Actor, AppError, AppResult};
use crate::domain::{CabinetId, Marketplace, Permission};
use crate::marketplaces::MarketplaceApi;
use crate::storage::cabinets;
use crate::storage::catalogue::{self as cat, Sku};
use crate::storage::price_changes;
use crate::storage::prices::{self, PriceRow};

pub use book::{Planned, Refusal, Target};
pub use change::{OnePreview, Targets};

/// Changes a price card lists.
const HISTORY: usize = 5;

/// A SKU's prices, rules and latest changes.
#[derive(Debug, Clone)]
pub struct PriceCard {
    pub sku: Sku,
    pub lines: Vec<PriceLine>,
    pub rule: prices::Rule,
    pub history: Vec<HistoryLine>,
}

/// A change of a SKU's price on a cabinet: who, when, old → new, what came of it.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub batch: i64,
    pub cabinet_id: CabinetId,
    pub cabinet: String,
    pub created_at: i64,
    pub old_price: Option<crate::domain::Money>,
    pub new_price: crate::domain::Money,
    pub applied_price: Option<crate::domain::Money>,
    pub state: price_changes::State,
    pub error: Option<String>,
    pub who: String,
}

/// What reading a SKU's prices now came to: prices read, cabinets that did not answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadNow {
    pub read: usize,
    pub failed: Vec<String>,
}

/// A SKU's price on one cabinet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceLine {
    pub cabinet: String,
    pub marketplace: Marketplace,
    pub vendor_code: String,
    pub price: PriceRow,
}

impl crate::app::rooms::Prices<'_> {
    /// Reads every price a cabinet's marketplace shows and keeps those of products in the
    /// catalogue; returns how many products got one.
    pub async fn read_prices(&self, cabinet: CabinetId) -> AppResult<usize> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(0);
        };
        if !c.enabled {
            return Ok(0);
        }
        let client = self.cabinets().client_for(&c).await?;
        let read = client.prices().await?;
        let products = cat::products_of(&self.db, c.id).await?;
        let mut by_id: HashMap<&str, Vec<ProductId>> = HashMap::new();
        let mut by_vendor: HashMap<String, Vec<ProductId>> = HashMap::new();
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
        // Changes the marketplace was still processing, now shown as asked.
        crate::storage::price_changes::settle_pending(&mut tx, c.id, now).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Reads now the prices of every cabinet a SKU is sold on. A cabinet whose marketplace
    /// refuses or does not answer is named in the result; the others are read all the same.
    pub async fn read_prices_now(&self, actor: Actor, sku: SkuId) -> AppResult<ReadNow> {
        actor.require(Permission::ViewFinance)?;
        let s = cat::sku(&self.db, actor.workspace, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        // The cabinets it is sold on, each once, from its links (not the whole price book).
        let mut on: Vec<crate::domain::Cabinet> = Vec::new();
        for l in self.catalogue().links_of(actor, s.id).await? {
            if l.cabinet.enabled && !on.iter().any(|c| c.id == l.cabinet.id) {
                on.push(l.cabinet);
            }
        }
        let mut done = ReadNow::default();
        for c in &on {
            match self.read_prices(c.id).await {
                Ok(n) => done.read += n,
                // A marketplace that fails, or a key that cannot be opened: this cabinet only.
                Err(e @ (AppError::Marketplace(_) | AppError::Vault(_))) => {
                    tracing::warn!(cabinet = c.id.0, error = %e, "prices not read");
                    done.failed.push(c.name.clone());
                }
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    /// A SKU, its prices on every cabinet where it is sold, its rules and latest changes.
    pub async fn prices_of(&self, actor: Actor, sku: SkuId) -> AppResult<PriceCard> {
        actor.require(Permission::ViewFinance)?;
        let ws = actor.workspace;
        let s = cat::sku(&self.db, ws, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        let names: HashMap<CabinetId, (String, Marketplace)> = cabinets::list(&self.db, ws)
            .await?
            .into_iter()
            .map(|c| (c.id, (c.name, c.marketplace)))
            .collect();
        let mut lines = Vec::new();
        for p in prices::of_sku(&self.db, ws, s.id).await? {
            let Some((name, marketplace)) = names.get(&p.cabinet) else {
                continue;
            };
            let vendor_code = cat::product(&self.db, ws, p.product)
                .await?
                .map(|x| x.vendor_code)
                .unwrap_or_default();
            lines.push(PriceLine {
                cabinet: name.clone(),
                marketplace: *marketplace,
                vendor_code,
                price: p,
            });
        }
        let mut history: Vec<HistoryLine> = Vec::new();
        let mut people: HashMap<i64, String> = HashMap::new();
        for c in price_changes::of_sku(&self.db, ws, s.id, 20).await? {
            // One line per confirmation and cabinet (a WB card's sizes are one change).
            if history.len() >= HISTORY
                || history
                    .iter()
                    .any(|h| h.batch == c.batch && h.cabinet_id == c.cabinet)
            {
                continue;
            }
            let who = match c.user {
                Some(u) => {
                    if let std::collections::hash_map::Entry::Vacant(slot) = people.entry(u.0) {
                        let name = crate::storage::users::get(&self.db, u)
                            .await?
                            .map(|x| x.first_name)
                            .unwrap_or_else(|| u.0.to_string());
                        slot.insert(name);
                    }
                    people[&u.0].clone()
                }
                None => String::new(),
            };
            history.push(HistoryLine {
                batch: c.batch,
                cabinet_id: c.cabinet,
                cabinet: names
                    .get(&c.cabinet)
                    .map(|n| n.0.clone())
                    .unwrap_or_default(),
                created_at: c.created_at,
                old_price: c.old_price,
                new_price: c.new_price,
                applied_price: c.applied_price,
                state: c.state,
                error: c.error,
                who,
            });
        }
        Ok(PriceCard {
            rule: prices::rule(&self.db, ws, s.id).await?,
            sku: s,
            lines,
            history,
        })
    }
}
