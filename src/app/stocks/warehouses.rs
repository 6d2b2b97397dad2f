//! Warehouses (F5): ours, added and renamed, with what they hold; the warehouses each
//! cabinet ships from with the formula that turns our stock into what they show, or a
//! SKU's own formula; and the marketplaces' own (FBO) warehouses with what they report.

use crate::domain::ids::{SkuId, StoreId};
use std::collections::HashMap;

use crate::app::{Actor, AppError, AppResult, audit_by};
use crate::domain::stock::{Formula, Part};
use crate::domain::{AuditAction, AuditNote, CabinetId, Marketplace, Permission, WorkspaceName};
use crate::marketplaces::Warehouse;
use crate::storage::stocks::{self, Store};
use crate::storage::warehouses::{self as wh, FboTotal};
use crate::storage::{cabinets, catalogue as cat};

/// One of our warehouses with what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLine {
    pub store: Store,
    /// SKUs with units there.
    pub skus: i64,
    pub units: i64,
}

/// A warehouse a cabinet ships from, with the formula of what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLine {
    pub warehouse: Warehouse,
    pub formula: Formula,
    /// Set for this warehouse rather than taken from the cabinet's.
    pub own: bool,
}

/// A cabinet's warehouses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CabinetWarehouses {
    pub id: CabinetId,
    pub name: String,
    pub marketplace: Marketplace,
    pub shipping: Vec<RuleLine>,
    /// The marketplace's own warehouses, as last read back.
    pub fbo: Vec<FboTotal>,
}

/// Every warehouse of the company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub stores: Vec<StoreLine>,
    pub cabinets: Vec<CabinetWarehouses>,
}

/// What a formula belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A warehouse a cabinet ships from.
    Warehouse {
        cabinet: CabinetId,
        warehouse: String,
    },
    /// One SKU, wherever it is sold.
    Sku(SkuId),
}

/// A formula as its screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaView {
    /// The warehouse's (with its cabinet) or the SKU's name.
    pub title: String,
    pub formula: Formula,
    /// Set here rather than inherited (from the cabinet, or for a SKU from each warehouse).
    pub own: bool,
    pub stores: Vec<Store>,
}

/// Why a warehouse name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRefused {
    Taken,
}

impl crate::app::rooms::Stocks<'_> {
    /// Every warehouse of the company: ours, and each cabinet's.
    pub async fn warehouses_overview(&self, actor: Actor) -> AppResult<Overview> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let mut totals: HashMap<StoreId, (i64, i64)> = HashMap::new();
        for levels in stocks::levels(&self.db, ws).await?.values() {
            for (store, q) in levels {
                let t = totals.entry(*store).or_default();
                if *q > 0 {
                    t.0 += 1;
                    t.1 += q;
                }
            }
        }
        let stores = self
            .stores_of(ws)
            .await?
            .into_iter()
            .map(|s| {
                let (skus, units) = totals.get(&s.id).copied().unwrap_or_default();
                StoreLine {
                    store: s,
                    skus,
                    units,
                }
            })
            .collect();
        let mut out = Vec::new();
        for c in cabinets::list(&self.db, ws).await? {
            let rules = stocks::rules(&self.db, c.id).await?;
            let fallback = rules.get("").cloned().unwrap_or_default();
            let shipping = cat::warehouses(&self.db, c.id)
                .await?
                .into_iter()
                .filter(|w| !w.marketplace_owned)
                .map(|w| RuleLine {
                    formula: rules.get(&w.id).unwrap_or(&fallback).clone(),
                    own: rules.contains_key(&w.id),
                    warehouse: w,
                })
                .collect();
            out.push(CabinetWarehouses {
                id: c.id,
                name: c.name,
                marketplace: c.marketplace,
                shipping,
                fbo: wh::fbo_totals(&self.db, c.id).await?,
            });
        }
        Ok(Overview {
            stores,
            cabinets: out,
        })
    }

    /// Adds one of our warehouses.
    pub async fn add_store(
        &self,
        actor: Actor,
        name: &WorkspaceName,
    ) -> AppResult<Result<Store, NameRefused>> {
        actor.require(Permission::ManagePrices)?;
        let ws = actor.workspace;
        self.stores_of(ws).await?;
        if wh::store_name_taken(&self.db, ws, name.as_str(), None).await? {
            return Ok(Err(NameRefused::Taken));
        }
        let id = stocks::add_store(&self.db, ws, name.as_str(), self.now()).await?;
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::WarehousesChanged,
            &AuditNote::Name {
                name: name.as_str().to_owned(),
            },
            self.now(),
        )
        .await?;
        Ok(Ok(Store {
            id,
            name: name.as_str().to_owned(),
        }))
    }

    /// Renames one of our warehouses.
    pub async fn rename_store(
        &self,
        actor: Actor,
        store: StoreId,
        name: &WorkspaceName,
    ) -> AppResult<Result<(), NameRefused>> {
        actor.require(Permission::ManagePrices)?;
        let ws = actor.workspace;
        let old = self.store(actor, store).await?;
        if wh::store_name_taken(&self.db, ws, name.as_str(), Some(store)).await? {
            return Ok(Err(NameRefused::Taken));
        }
        if !wh::rename_store(&self.db, ws, store, name.as_str()).await? {
            return Err(AppError::NotFound);
        }
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::WarehousesChanged,
            &AuditNote::Renamed {
                from: old.name.clone(),
                to: name.as_str().to_owned(),
            },
            self.now(),
        )
        .await?;
        Ok(Ok(()))
    }

    /// What the marketplaces hold of a SKU in their own warehouses: (cabinet, warehouse,
    /// units), most first.
    pub async fn fbo_of_sku(
        &self,
        actor: Actor,
        sku: SkuId,
    ) -> AppResult<Vec<(String, String, i64)>> {
        actor.require(Permission::ViewData)?;
        let names: HashMap<CabinetId, String> = cabinets::list(&self.db, actor.workspace)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        Ok(wh::fbo_of_sku(&self.db, actor.workspace, sku)
            .await?
            .into_iter()
            .filter_map(|(c, w, n)| names.get(&c).map(|name| (name.clone(), w, n)))
            .collect())
    }

    /// One of our warehouses, by id.
    pub async fn store(&self, actor: Actor, store: StoreId) -> AppResult<Store> {
        actor.require(Permission::ViewData)?;
        self.stores_of(actor.workspace)
            .await?
            .into_iter()
            .find(|s| s.id == store)
            .ok_or(AppError::NotFound)
    }

    /// A warehouse's or a SKU's formula.
    pub async fn formula(&self, actor: Actor, target: &Target) -> AppResult<FormulaView> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let stores = self.stores_of(ws).await?;
        match target {
            Target::Warehouse { cabinet, warehouse } => {
                let c = cabinets::get(&self.db, ws, *cabinet)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let w = cat::warehouses(&self.db, c.id)
                    .await?
                    .into_iter()
                    .find(|w| &w.id == warehouse && !w.marketplace_owned)
                    .ok_or(AppError::NotFound)?;
                let rules = stocks::rules(&self.db, c.id).await?;
                let own = rules.get(warehouse).cloned();
                Ok(FormulaView {
                    title: format!("{} · {}", c.name, w.name),
                    own: own.is_some(),
                    formula: own.or_else(|| rules.get("").cloned()).unwrap_or_default(),
                    stores,
                })
            }
            Target::Sku(id) => {
                let s = cat::sku(&self.db, ws, *id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                Ok(FormulaView {
                    title: format!("{} · {}", s.code, s.name),
                    own: s.formula.is_some(),
                    formula: s.formula.unwrap_or_default(),
                    stores,
                })
            }
        }
    }

    /// Changes one part of a formula, making it the target's own; `None` when the change
    /// would count none of our warehouses (nothing is changed then).
    pub async fn change_formula(
        &self,
        actor: Actor,
        target: &Target,
        part: Part,
    ) -> AppResult<Option<Formula>> {
        actor.require(Permission::ManagePrices)?;
        if !part.offered() {
            return Err(AppError::NotFound);
        }
        let view = self.formula(actor, target).await?;
        let all: Vec<StoreId> = view.stores.iter().map(|s| s.id).collect();
        let Some(f) = view.formula.with(part, &all) else {
            return Ok(None);
        };
        self.put_formula(actor, target, Some(&f), &view).await?;
        Ok(Some(f))
    }

    /// Takes a warehouse's formula back to its cabinet's, a SKU's back to each warehouse's.
    pub async fn reset_formula(&self, actor: Actor, target: &Target) -> AppResult<()> {
        actor.require(Permission::ManagePrices)?;
        let view = self.formula(actor, target).await?;
        self.put_formula(actor, target, None, &view).await
    }

    async fn put_formula(
        &self,
        actor: Actor,
        target: &Target,
        f: Option<&Formula>,
        view: &FormulaView,
    ) -> AppResult<()> {
        let ws = actor.workspace;
        match (target, f) {
            (Target::Warehouse { cabinet, warehouse }, Some(f)) => {
                stocks::set_rule(&self.db, ws, *cabinet, warehouse, f).await?
            }
            (Target::Warehouse { cabinet, warehouse }, None) => {
                wh::clear_rule(&self.db, *cabinet, warehouse).await?
            }
            (Target::Sku(id), f) => {
                let s = cat::sku(&self.db, ws, *id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                cat::set_sku_options(&self.db, ws, s.id, s.low_stock, s.publish, f, self.now())
                    .await?;
            }
        }
        let detail = AuditNote::Formula {
            title: view.title.clone(),
            formula: f.cloned(),
            stores: f
                .map(|f| {
                    view.stores
                        .iter()
                        .filter(|s| f.counts(s.id))
                        .map(|s| s.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
        };
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::WarehousesChanged,
            &detail,
            self.now(),
        )
        .await
    }
}
