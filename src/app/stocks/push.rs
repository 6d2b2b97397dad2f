//! Publishing stock: what each product of a cabinet should show in each of its warehouses
//! by the formula, compared with what the marketplace last accepted, and only the
//! differences pushed (in the API's largest batches, under its rate limit). Each item's
//! answer is kept: accepted amounts become the new baseline, refusals show in the
//! cabinet's health and are tried again next time.

use crate::domain::ids::{ProductId, SkuId};
use std::collections::{HashMap, VecDeque};

use super::book::Book;
use crate::app::AppResult;
use crate::domain::CabinetId;
use crate::domain::stock::Formula;
use crate::marketplaces::{MarketplaceApi, StockUpdate};
use crate::storage::stock_marks;
use crate::storage::stocks::{self, Refusal};
use crate::storage::{cabinets, catalogue as cat};

/// A cabinet's stock is pushed in full this often at least; in between only what changed.
pub const FULL_PUSH_SECS: i64 = 3600;

/// One product in one warehouse: what we would show and what the marketplace has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub product: ProductId,
    pub vendor_code: String,
    pub warehouse: String,
    pub amount: i64,
    /// What the marketplace last accepted.
    pub published: Option<i64>,
}

/// An item a marketplace refused, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedItem {
    pub vendor_code: String,
    /// The warehouse's name (its id when it is no longer listed).
    pub warehouse: String,
    /// What the marketplace said.
    pub error: String,
    pub at: i64,
}

/// What one push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pushed {
    /// Items the marketplace accepted.
    pub pushed: usize,
    /// Items it refused.
    pub refused: usize,
    /// The time spent waiting for the marketplace (its requests and rate limit); the rest
    /// of a push is our own reading and planning.
    pub requests: std::time::Duration,
}

impl crate::app::rooms::Stocks<'_> {
    /// What every product of a cabinet should show in each of its own warehouses.
    pub async fn planned_stocks(&self, cabinet: CabinetId) -> AppResult<Vec<Planned>> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(Vec::new());
        };
        let book = Book::read(&self.db, c.workspace).await?;
        self.plan(&book, cabinet).await
    }

    pub(crate) async fn plan(&self, book: &Book, cabinet: CabinetId) -> AppResult<Vec<Planned>> {
        let warehouses: Vec<String> = cat::warehouses(&self.db, cabinet)
            .await?
            .into_iter()
            .filter(|w| !w.marketplace_owned)
            .map(|w| w.id)
            .collect();
        let rules = stocks::rules(&self.db, cabinet).await?;
        let published = if book.complete {
            stocks::published(&self.db, cabinet).await?
        } else {
            let mine: Vec<ProductId> = book
                .products
                .iter()
                .filter(|p| p.cabinet == cabinet)
                .map(|p| p.id)
                .collect();
            crate::storage::book::published_of(&self.db, cabinet, &mine).await?
        };
        let fallback = rules.get("").cloned().unwrap_or_default();
        let formula_of = |w: &str| -> &Formula { rules.get(w).unwrap_or(&fallback) };
        let mut out = Vec::new();
        for p in book.products.iter().filter(|p| p.cabinet == cabinet) {
            for w in &warehouses {
                let Some(amount) = book.amount(p.id, formula_of(w)) else {
                    continue;
                };
                out.push(Planned {
                    product: p.id,
                    vendor_code: p.vendor_code.clone(),
                    warehouse: w.clone(),
                    amount,
                    published: published.get(&(p.id, w.clone())).copied(),
                });
            }
        }
        Ok(out)
    }

    /// Pushes what changed since the last accepted push of a cabinet's stock.
    pub async fn push_stocks(&self, cabinet: CabinetId) -> AppResult<Pushed> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(Pushed::default());
        };
        if !c.enabled {
            return Ok(Pushed::default());
        }
        let now = self.now();
        let marks = stock_marks::marks(&self.db, cabinet).await?;
        let refused = stocks::refused_keys(&self.db, cabinet).await?;
        let full = stock_marks::full_at(&self.db, cabinet)
            .await?
            .is_none_or(|t| now - t >= FULL_PUSH_SECS);
        if !full && marks.is_empty() && refused.is_empty() {
            return Ok(Pushed::default());
        }
        // What changed since the last push (and what was refused, to try again), or
        // everything when a full push is due.
        let book = if full {
            Book::read(&self.db, c.workspace).await?
        } else {
            let skus: Vec<SkuId> = marks.keys().copied().collect();
            let products: Vec<ProductId> = refused.iter().map(|(p, _)| *p).collect();
            Book::read_for(&self.db, c.workspace, &skus, &products).await?
        };
        let plan = self.plan(&book, cabinet).await?;
        let refs: HashMap<ProductId, crate::marketplaces::ProductRef> = book
            .products
            .iter()
            .filter(|p| p.cabinet == cabinet)
            .map(|p| (p.id, crate::marketplaces::ProductRef::from(p)))
            .collect();
        let changed: Vec<&Planned> = plan
            .iter()
            .filter(|p| p.published != Some(p.amount))
            .collect();
        let planned: std::collections::HashSet<(ProductId, &str)> = plan
            .iter()
            .map(|p| (p.product, p.warehouse.as_str()))
            .collect();
        let gone: Vec<(ProductId, String)> = refused
            .into_iter()
            .filter(|(p, w)| !planned.contains(&(*p, w.as_str())))
            .collect();
        let mut report = Pushed::default();
        if !changed.is_empty() {
            let updates: Vec<StockUpdate> = changed
                .iter()
                .filter_map(|p| {
                    refs.get(&p.product).map(|r| StockUpdate {
                        warehouse_id: p.warehouse.clone(),
                        product: r.clone(),
                        amount: p.amount,
                    })
                })
                .collect();
            let client = self.cabinets().client_for(&c).await?;
            let asked = std::time::Instant::now();
            let outcomes = client.update_stocks(&updates).await?;
            report.requests = asked.elapsed();
            // Answers come by key (vendor code @ warehouse); sizes of one WB card share it,
            // in the order they were sent.
            let mut by_key: HashMap<String, VecDeque<Option<String>>> = HashMap::new();
            for o in outcomes {
                by_key.entry(o.key).or_default().push_back(o.error);
            }
            let mut answers = Vec::with_capacity(changed.len());
            for p in changed {
                let key = format!("{}@{}", p.vendor_code, p.warehouse);
                let answer = by_key.get_mut(&key).and_then(VecDeque::pop_front);
                let result = match answer {
                    Some(None) => Ok(p.amount),
                    Some(Some(e)) => Err(e),
                    None => Err("no answer for this item".to_owned()),
                };
                if result.is_ok() {
                    report.pushed += 1;
                } else {
                    report.refused += 1;
                }
                answers.push((p.product, p.warehouse.as_str(), result));
            }
            let items: Vec<(ProductId, &str, Result<i64, &str>)> = answers
                .iter()
                .map(|(p, w, r)| (*p, *w, r.as_ref().map(|a| *a).map_err(String::as_str)))
                .collect();
            let mut tx = self.db.begin().await?;
            stocks::record_pushes(&mut tx, c.workspace, cabinet, &items, now).await?;
            tx.commit().await?;
        }
        let mut tx = self.db.begin().await?;
        stocks::clear_refusals(&mut tx, cabinet, &gone).await?;
        stock_marks::clear(&mut tx, cabinet, &marks).await?;
        if full {
            stock_marks::pushed_full(&mut tx, cabinet, now).await?;
        }
        tx.commit().await?;
        self.stock_alerts(c.workspace, &book, None).await?;
        Ok(report)
    }

    /// A cabinet's items the marketplace refused at their last push, newest first: how
    /// many, and the first `limit` with the product's vendor code and the warehouse's name.
    pub async fn stock_refusals(
        &self,
        actor: crate::app::Actor,
        cabinet: CabinetId,
        limit: i64,
    ) -> AppResult<(i64, Vec<RefusedItem>)> {
        actor.require(crate::domain::Permission::ViewData)?;
        let c = cabinets::get(&self.db, actor.workspace, cabinet)
            .await?
            .ok_or(crate::app::AppError::NotFound)?;
        let (total, list) = stocks::refusals(&self.db, c.id, limit).await?;
        if list.is_empty() {
            return Ok((total, Vec::new()));
        }
        let names: HashMap<String, String> = cat::warehouses(&self.db, c.id)
            .await?
            .into_iter()
            .map(|w| (w.id, w.name))
            .collect();
        let mut out = Vec::new();
        for Refusal {
            product,
            warehouse,
            error,
            at,
        } in list
        {
            let vendor_code = cat::product(&self.db, actor.workspace, product)
                .await?
                .map(|p| p.vendor_code)
                .unwrap_or_default();
            out.push(RefusedItem {
                vendor_code,
                warehouse: names.get(&warehouse).cloned().unwrap_or(warehouse),
                error,
                at,
            });
        }
        Ok((total, out))
    }
}
