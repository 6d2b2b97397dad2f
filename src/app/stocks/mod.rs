//! Stocks (F5) as use cases: our warehouses, a SKU's levels changed in chat or counted on
//! the shelf (each change recorded with who, when and why), a SKU's card, the SKUs below
//! their low-stock threshold with days of stock left, and the alerts for low stock and for
//! open orders on all marketplaces together wanting more than there is.

pub mod book;
pub mod charts;
pub mod fbo;
pub mod push;
pub mod reconcile;
pub mod warehouses;

use crate::domain::ids::{SkuId, StoreId};
use std::collections::HashMap;

pub use book::{Book, Hold};
pub use push::{Planned, Pushed};

use super::{Actor, AppError, AppResult};
use crate::domain::alerts::Alert;
use crate::domain::stock::{Change, days_left};
use crate::domain::{AuditAction, AuditNote, Permission, WorkspaceId};
use crate::i18n::msg;
use crate::storage::catalogue::{self as cat, Sku};
use crate::storage::stocks::{self, Move, Store};
use crate::storage::workspaces;

/// The sales window of days-of-stock.
pub const VELOCITY_DAYS: i64 = 14;

/// Where a stock change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Chat,
    File,
    Count,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Chat => "chat",
            Source::File => "file",
            Source::Count => "count",
        }
    }
}

/// A stock change as done: the level before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    pub before: i64,
    pub after: i64,
}

/// Why a stock change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// It would take the level below zero: what there is now.
    BelowZero(i64),
}

/// A SKU with everything the card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockCard {
    pub sku: Sku,
    /// (store, quantity); stores without a level are left out.
    pub levels: Vec<(Store, i64)>,
    pub reserved: i64,
    pub holds: Vec<Hold>,
    pub threshold: i64,
    pub sold: i64,
    pub days_left: Option<i64>,
    /// Whether any level was ever set.
    pub tracked: bool,
}

impl StockCard {
    pub fn on_hand(&self) -> i64 {
        self.levels.iter().map(|(_, q)| *q).sum()
    }

    /// What there is to sell: on hand less what open orders hold.
    pub fn available(&self) -> i64 {
        (self.on_hand() - self.reserved).max(0)
    }
}

/// A SKU below its threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Low {
    pub sku: Sku,
    pub available: i64,
    pub threshold: i64,
    pub days_left: Option<i64>,
}

impl crate::app::rooms::Stocks<'_> {
    /// The workspace's warehouses; the first use makes the main one.
    pub async fn stores(&self, actor: Actor) -> AppResult<Vec<Store>> {
        actor.require(Permission::ViewData)?;
        self.stores_of(actor.workspace).await
    }

    async fn stores_of(&self, ws: WorkspaceId) -> AppResult<Vec<Store>> {
        let list = stocks::stores(&self.db, ws).await?;
        if !list.is_empty() {
            return Ok(list);
        }
        let lang = workspaces::get(&self.db, ws)
            .await?
            .map(|w| w.default_lang)
            .unwrap_or_default();
        let name = self.i18n.render(lang, &msg("store-main-name"));
        stocks::add_store(&self.db, ws, &name, self.now()).await?;
        Ok(stocks::stores(&self.db, ws).await?)
    }

    /// Changes a SKU's level in one of our warehouses; recorded with who and why.
    pub async fn change_stock(
        &self,
        actor: Actor,
        sku: SkuId,
        store: StoreId,
        change: Change,
        reason: &str,
        source: Source,
    ) -> AppResult<Result<Changed, Refused>> {
        actor.require(Permission::CountStock)?;
        let ws = actor.workspace;
        let s = cat::sku(&self.db, ws, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self.stores_of(ws).await?.iter().any(|x| x.id == store) {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let before = stocks::level(&mut tx, ws, s.id, store).await?.unwrap_or(0);
        let Some(after) = change.apply(before) else {
            return Ok(Err(Refused::BelowZero(before)));
        };
        let reason: String = reason.trim().chars().take(200).collect();
        let m = Move {
            sku: s.id,
            store,
            after,
            user: Some(actor.user),
            source: source.code(),
            reason: &reason,
        };
        stocks::set_level(&mut tx, ws, &m, now).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::StockChanged,
            &AuditNote::Stock {
                sku: s.code.clone(),
                before,
                after,
                reason: reason.to_string(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        let book = Book::read_for(&self.db, ws, &[s.id], &[]).await?;
        self.stock_alerts(ws, &book, Some(s.id)).await?;
        Ok(Ok(Changed { before, after }))
    }

    /// Publishes a SKU to the marketplaces, or stops (its stock is then left as it is there).
    pub async fn set_publish(&self, actor: Actor, sku: SkuId, publish: bool) -> AppResult<()> {
        actor.require(Permission::ManagePrices)?;
        let s = cat::sku(&self.db, actor.workspace, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        cat::set_sku_options(
            &self.db,
            actor.workspace,
            s.id,
            s.low_stock,
            publish,
            s.formula.as_ref(),
            self.now(),
        )
        .await?;
        super::audit_by(
            self.db.pool(),
            actor,
            AuditAction::CatalogueChanged,
            &AuditNote::Publish {
                sku: s.code.clone(),
                on: publish,
            },
            self.now(),
        )
        .await
    }

    /// Sets a SKU's low-stock threshold; `None` takes the company's default, 0 turns its
    /// alerts off.
    pub async fn set_threshold(
        &self,
        actor: Actor,
        sku: SkuId,
        threshold: Option<i64>,
    ) -> AppResult<()> {
        actor.require(Permission::ManagePrices)?;
        let s = cat::sku(&self.db, actor.workspace, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        cat::set_sku_options(
            &self.db,
            actor.workspace,
            s.id,
            threshold,
            s.publish,
            s.formula.as_ref(),
            self.now(),
        )
        .await?;
        let book = Book::read_for(&self.db, actor.workspace, &[s.id], &[]).await?;
        self.stock_alerts(actor.workspace, &book, Some(s.id)).await
    }

    /// Units of each SKU sold (ordered and not cancelled) since `since`.
    async fn sold_since(
        &self,
        ws: WorkspaceId,
        book: &Book,
        since: i64,
    ) -> AppResult<HashMap<SkuId, i64>> {
        let lines = stocks::sold_lines(&self.db, ws, since).await?;
        let finder = book.finder(&self.db, ws, &lines).await?;
        let mut out: HashMap<SkuId, i64> = HashMap::new();
        for line in lines {
            let Some(p) = finder.find(&line) else {
                continue;
            };
            for s in book.sku_of.get(&p).into_iter().flatten() {
                *out.entry(*s).or_default() += line.quantity;
            }
        }
        Ok(out)
    }

    async fn default_threshold(&self, ws: WorkspaceId) -> AppResult<i64> {
        Ok(workspaces::get(&self.db, ws)
            .await?
            .map_or(0, |w| w.watch.low_stock))
    }

    /// A SKU's card.
    pub async fn stock_card(&self, actor: Actor, sku: SkuId) -> AppResult<StockCard> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let s = cat::sku(&self.db, ws, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        let stores = self.stores_of(ws).await?;
        let raw = stocks::levels_of(&self.db, ws, sku).await?;
        let levels = raw
            .iter()
            .filter_map(|(st, q)| stores.iter().find(|x| x.id == *st).map(|x| (x.clone(), *q)))
            .collect();
        let book = Book::read_for(&self.db, ws, &[sku], &[]).await?;
        let sold = self
            .sold_since(ws, &book, self.now() - VELOCITY_DAYS * 86_400)
            .await?
            .get(&sku)
            .copied()
            .unwrap_or(0);
        let threshold = s.low_stock.unwrap_or(self.default_threshold(ws).await?);
        let mut card = StockCard {
            holds: book.holds.get(&sku).cloned().unwrap_or_default(),
            reserved: book.reserved(sku),
            sku: s,
            levels,
            threshold,
            sold,
            days_left: None,
            tracked: !raw.is_empty(),
        };
        card.days_left = days_left(card.available(), sold, VELOCITY_DAYS);
        Ok(card)
    }

    /// The SKUs whose stock to sell is below their threshold now, scarcest first.
    pub async fn low_stock(&self, actor: Actor) -> AppResult<Vec<Low>> {
        actor.require(Permission::ViewData)?;
        let book = Book::read(&self.db, actor.workspace).await?;
        self.lows(actor.workspace, &book, None).await
    }

    async fn lows(&self, ws: WorkspaceId, book: &Book, only: Option<SkuId>) -> AppResult<Vec<Low>> {
        let default = self.default_threshold(ws).await?;
        let sold = self
            .sold_since(ws, book, self.now() - VELOCITY_DAYS * 86_400)
            .await?;
        let mut out: Vec<Low> = book
            .skus
            .values()
            .filter(|s| only.is_none_or(|o| o == s.id))
            .filter(|s| book.levels.contains_key(&s.id))
            .filter_map(|s| {
                let threshold = s.low_stock.unwrap_or(default);
                let available = (book.on_hand(s.id) - book.reserved(s.id)).max(0);
                (threshold > 0 && available < threshold).then(|| Low {
                    sku: s.clone(),
                    available,
                    threshold,
                    days_left: days_left(
                        available,
                        sold.get(&s.id).copied().unwrap_or(0),
                        VELOCITY_DAYS,
                    ),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            (a.available, a.days_left, &a.sku.code).cmp(&(b.available, b.days_left, &b.sku.code))
        });
        Ok(out)
    }

    /// Raises low-stock alerts (once a day per SKU) and oversell alerts (open orders on all
    /// marketplaces together wanting more than is on the shelf), for one SKU or all.
    pub(crate) async fn stock_alerts(
        &self,
        ws: WorkspaceId,
        book: &Book,
        only: Option<SkuId>,
    ) -> AppResult<()> {
        let lows = self.lows(ws, book, only).await?;
        let mut tx = self.db.begin().await?;
        for l in lows {
            let alert = Alert::LowStock {
                sku: l.sku.id,
                stock: l.available,
                threshold: l.threshold,
                days_left: l.days_left,
            };
            if self.alerts().raise_in(&mut tx, ws, None, &alert).await? > 0 {
                let facts = crate::domain::rules::Facts {
                    codes: vec![l.sku.code.clone()],
                    now: self.now(),
                    ..Default::default()
                };
                let event = format!("low-stock:{}:{}", l.sku.id, self.now().div_euclid(86_400));
                self.rules()
                    .fire_in(
                        &mut tx,
                        ws,
                        crate::domain::rules::Trigger::StockBelow,
                        &facts,
                        (None, &event),
                    )
                    .await?;
            }
        }
        for (sku, holds) in &book.holds {
            if only.is_some_and(|o| o != *sku) || !book.levels.contains_key(sku) {
                continue;
            }
            let ordered: i64 = holds.iter().map(|h| h.quantity).sum();
            let stock = book.on_hand(*sku);
            if ordered > stock {
                let mut orders: Vec<String> = holds.iter().map(|h| h.number.clone()).collect();
                orders.dedup();
                if !self
                    .alerts()
                    .oversell_worse(&mut tx, *sku, ordered - stock, orders.len())
                    .await?
                {
                    continue;
                }
                let alert = Alert::Oversell {
                    sku: *sku,
                    stock,
                    ordered,
                    orders,
                };
                self.alerts().raise_in(&mut tx, ws, None, &alert).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
