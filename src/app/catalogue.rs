//! The catalogue (F2) as use cases: each cabinet's products read to the end (on a schedule
//! and on demand), linked to our SKUs by barcode and then by vendor code, a report of
//! what stayed unlinked or matched several SKUs, SKUs made in one tap from the unlinked
//! products (the same goods on several marketplaces become one SKU), and links made and
//! undone by hand.

use crate::domain::ids::{ProductId, SkuId};
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Actor, AppError, AppResult};
use crate::domain::alerts::Alert;
use crate::domain::catalogue::{self, Index, Match};
use crate::domain::{
    AuditAction, AuditNote, Cabinet, CabinetId, Permission, TgChatId, WorkspaceId,
};
use crate::marketplaces::MarketplaceApi;
use crate::storage::catalogue::{self as cat, NewSku, ProductRow, Sku};
use crate::storage::{cabinets, jobs, outbox};

use super::jobs::JobKind;

/// Products listed in a report, at most.
pub const REPORT_LIST: usize = 30;

/// Where the catalogue stands: counts, and the products a person has to look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkReport {
    pub skus: usize,
    pub products: usize,
    pub by_barcode: usize,
    pub by_vendor_code: usize,
    pub by_hand: usize,
    /// Linked to a SKU made from them.
    pub created: usize,
    /// Products linked by this pass.
    pub linked_now: usize,
    pub unlinked: Vec<ProductRow>,
    /// Products that fit several SKUs, with the codes of those SKUs.
    pub ambiguous: Vec<(ProductRow, Vec<String>)>,
}

impl LinkReport {
    pub fn linked(&self) -> usize {
        self.by_barcode + self.by_vendor_code + self.by_hand + self.created
    }
}

/// What a sync someone asked for should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyncWhat {
    Catalogue,
    Stocks,
    Orders,
    Finance,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SyncPayload {
    pub what: SyncWhat,
    pub chat: i64,
    /// When it was asked for: a push the schedule made meanwhile counts too.
    #[serde(default)]
    pub at: i64,
    /// The company that asked (a chat's asks in two companies are two jobs).
    #[serde(default)]
    pub workspace: i64,
}

impl super::jobs::Payload for SyncPayload {
    const KIND: JobKind = JobKind::SyncNow;

    /// One waiting at a time per chat and kind: the key is free again once it has run.
    fn dedupe(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            JobKind::SyncNow.code(),
            self.workspace,
            self.chat,
            match self.what {
                SyncWhat::Catalogue => "catalogue",
                SyncWhat::Stocks => "stocks",
                SyncWhat::Orders => "orders",
                SyncWhat::Finance => "finance",
            }
        )
    }
}

/// A SKU with what it is linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub product: ProductRow,
    pub cabinet: Cabinet,
}

impl crate::app::rooms::Catalogue<'_> {
    /// Reads a cabinet's warehouses and every product, keeps them, and links what can be
    /// linked; returns how many products the cabinet lists.
    pub async fn import_catalogue(&self, cabinet: CabinetId) -> AppResult<usize> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(0);
        };
        if !c.enabled {
            return Ok(0);
        }
        let client = self.cabinets().client_for(&c).await?;
        let warehouses = client.warehouses().await?;
        let products = client.products().await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        cat::put_warehouses(&mut tx, c.workspace, c.id, false, &warehouses).await?;
        let n = cat::put_products(&mut tx, c.workspace, c.id, &products, now).await?;
        tx.commit().await?;
        self.autolink(c.workspace).await?;
        Ok(n)
    }

    /// Links every unlinked product that fits exactly one SKU (barcode first, then vendor
    /// code), never a pair a person unlinked; reports where the catalogue stands.
    pub async fn autolink(&self, ws: WorkspaceId) -> AppResult<LinkReport> {
        let skus = cat::skus(&self.db, ws).await?;
        let products = cat::products(&self.db, ws).await?;
        let links = cat::links(&self.db, ws).await?;
        let refused = cat::refused(&self.db, ws).await?;
        let mut index = Index::default();
        for s in &skus {
            index.add(
                s.id,
                &catalogue::Keys {
                    barcodes: s.barcodes.clone(),
                    vendor_code: s.vendor_code.clone(),
                },
            );
        }
        let code_of: HashMap<SkuId, &str> = skus.iter().map(|s| (s.id, s.code.as_str())).collect();
        // How each product is linked: a product linked to several SKUs counts by hand
        // unless all its links agree.
        let mut hows: HashMap<ProductId, &str> = HashMap::new();
        for l in &links {
            hows.entry(l.product)
                .and_modify(|h| {
                    if *h != l.how {
                        *h = "manual";
                    }
                })
                .or_insert(&l.how);
        }
        let mut report = LinkReport {
            skus: skus.len(),
            products: products.len(),
            ..LinkReport::default()
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        for p in products {
            if let Some(how) = hows.get(&p.id) {
                match *how {
                    "barcode" => report.by_barcode += 1,
                    "vendor-code" => report.by_vendor_code += 1,
                    "created" => report.created += 1,
                    _ => report.by_hand += 1,
                }
                continue;
            }
            match index.find(&p.keys()) {
                Match::Barcode(s) if !refused.contains(&(p.id, s)) => {
                    cat::link(&mut tx, ws, s, p.id, "barcode", now).await?;
                    report.by_barcode += 1;
                    report.linked_now += 1;
                }
                Match::VendorCode(s) if !refused.contains(&(p.id, s)) => {
                    cat::link(&mut tx, ws, s, p.id, "vendor-code", now).await?;
                    report.by_vendor_code += 1;
                    report.linked_now += 1;
                }
                Match::Ambiguous(ids) => {
                    let codes = ids
                        .iter()
                        .filter_map(|i| code_of.get(i).map(|c| (*c).to_owned()))
                        .collect();
                    report.ambiguous.push((p, codes));
                }
                _ => report.unlinked.push(p),
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Where the workspace's catalogue stands (links what it can on the way).
    pub async fn catalogue_report(&self, actor: Actor) -> AppResult<LinkReport> {
        actor.require(Permission::ViewData)?;
        self.autolink(actor.workspace).await
    }

    /// Makes one SKU for each group of unlinked products that are the same goods (sharing
    /// a barcode, or a vendor code where they have none) and links them; returns how many
    /// SKUs were made. Products that fit several SKUs are left for a person.
    pub async fn skus_from_unlinked(&self, actor: Actor) -> AppResult<usize> {
        actor.require(Permission::ManagePrices)?;
        let ws = actor.workspace;
        let report = self.autolink(ws).await?;
        let unlinked = report.unlinked;
        if unlinked.is_empty() {
            return Ok(0);
        }
        let keys: Vec<catalogue::Keys> = unlinked.iter().map(ProductRow::keys).collect();
        let mut taken = cat::codes(&self.db, ws).await?;
        let now = self.now();
        let mut made = 0;
        let mut tx = self.db.begin().await?;
        for g in catalogue::group(&keys) {
            let first = &unlinked[g[0]];
            let code =
                catalogue::free_code(&first.vendor_code, &|c| taken.contains(&c.to_lowercase()));
            taken.insert(code.to_lowercase());
            let mut barcodes: Vec<String> = Vec::new();
            for i in &g {
                for b in &unlinked[*i].barcodes {
                    if !barcodes.contains(b) {
                        barcodes.push(b.clone());
                    }
                }
            }
            let new = NewSku {
                code,
                name: first.name.clone(),
                vendor_code: first.vendor_code.clone(),
                barcodes,
                weight_g: None,
            };
            let Some(id) = cat::create_sku(&mut tx, ws, &new, now).await? else {
                continue;
            };
            made += 1;
            for i in &g {
                cat::link(&mut tx, ws, id, unlinked[*i].id, "created", now).await?;
            }
        }
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::CatalogueChanged,
            &AuditNote::SkusMade {
                count: i64::try_from(made).unwrap_or(i64::MAX),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(made)
    }

    /// Links a product to a SKU by hand.
    pub async fn link_product(
        &self,
        actor: Actor,
        sku: SkuId,
        product: ProductId,
    ) -> AppResult<bool> {
        self.relink(actor, sku, product, true).await
    }

    /// Undoes a link; it is not made again by itself.
    pub async fn unlink_product(
        &self,
        actor: Actor,
        sku: SkuId,
        product: ProductId,
    ) -> AppResult<bool> {
        self.relink(actor, sku, product, false).await
    }

    /// Links or unlinks a SKU and a product, both re-read in the caller's workspace.
    async fn relink(
        &self,
        actor: Actor,
        sku: SkuId,
        product: ProductId,
        link: bool,
    ) -> AppResult<bool> {
        actor.require(Permission::ManagePrices)?;
        let ws = actor.workspace;
        let s = cat::sku(&self.db, ws, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        let p = cat::product(&self.db, ws, product)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (changed, details) = if link {
            let made = cat::link(&mut tx, ws, s.id, p.id, "manual", now).await?;
            (made, true)
        } else {
            let done = cat::unlink(&mut tx, ws, s.id, p.id).await?;
            (done, false)
        };
        let details = AuditNote::Link {
            product: p.vendor_code.clone(),
            sku: s.code.clone(),
            linked: details,
        };
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::CatalogueChanged,
            &details,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Creates one SKU (a file's row, a test's seed); `None` when its code is taken.
    pub async fn create_sku(&self, actor: Actor, new: &NewSku) -> AppResult<Option<SkuId>> {
        actor.require(Permission::ManagePrices)?;
        let mut tx = self.db.begin().await?;
        let id = cat::create_sku(&mut tx, actor.workspace, new, self.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A SKU by code or barcode.
    pub async fn find_sku(&self, actor: Actor, code: &str) -> AppResult<Option<Sku>> {
        actor.require(Permission::ViewData)?;
        Ok(cat::find_sku(&self.db, actor.workspace, code).await?)
    }

    /// A SKU by id, in the caller's workspace.
    pub async fn sku(&self, actor: Actor, id: SkuId) -> AppResult<Sku> {
        actor.require(Permission::ViewData)?;
        cat::sku(&self.db, actor.workspace, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// SKUs whose code, name or barcode contains what was typed.
    pub async fn search_skus(&self, actor: Actor, q: &str) -> AppResult<Vec<Sku>> {
        actor.require(Permission::ViewData)?;
        Ok(cat::search_skus(&self.db, actor.workspace, q, 10).await?)
    }

    /// A marketplace product of the caller's workspace with its cabinet.
    pub async fn product(&self, actor: Actor, id: ProductId) -> AppResult<Linked> {
        actor.require(Permission::ViewData)?;
        let product = cat::product(&self.db, actor.workspace, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let cabinet = cabinets::get(&self.db, actor.workspace, product.cabinet)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Linked { product, cabinet })
    }

    /// The products a SKU is linked to, with their cabinets.
    pub async fn links_of(&self, actor: Actor, sku: SkuId) -> AppResult<Vec<Linked>> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let ids: HashSet<ProductId> = cat::links(&self.db, ws)
            .await?
            .into_iter()
            .filter(|l| l.sku == sku)
            .map(|l| l.product)
            .collect();
        let cabs: HashMap<CabinetId, Cabinet> = cabinets::list(&self.db, ws)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        Ok(cat::products(&self.db, ws)
            .await?
            .into_iter()
            .filter(|p| ids.contains(&p.id))
            .filter_map(|p| {
                cabs.get(&p.cabinet).map(|c| Linked {
                    cabinet: c.clone(),
                    product: p,
                })
            })
            .collect())
    }

    /// Queues a sync of every cabinet now, with a report to `chat` when it ends; a second
    /// ask while one waits is the same one. Returns whether a new one was queued, or
    /// `NotFound` when the workspace has no cabinet.
    pub async fn sync_now(&self, actor: Actor, what: SyncWhat, chat: TgChatId) -> AppResult<bool> {
        actor.require(Permission::ManageOrders)?;
        if what == SyncWhat::Finance {
            actor.require(Permission::ViewFinance)?;
        }
        let live: Vec<Cabinet> = cabinets::list(&self.db, actor.workspace)
            .await?
            .into_iter()
            .filter(|c| c.enabled)
            .collect();
        if live.is_empty() {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        let payload = SyncPayload {
            what,
            chat: chat.0,
            at: now,
            workspace: actor.workspace.0,
        };
        // One waiting at a time: the key is free again once the job has run.
        let queued =
            super::jobs::queue(self.db.pool(), actor.workspace, None, &payload, now).await?;
        self.wake_scheduler();
        Ok(queued)
    }

    /// Runs a sync someone asked for, and tells their chat how it went.
    pub async fn perform_sync_now(&self, job: &jobs::Job) -> Result<(), super::jobs::JobError> {
        let p = <SyncPayload as super::jobs::Payload>::of(job)?;
        let ws = job.workspace;
        let mut failed = Vec::new();
        let list = cabinets::list(&self.db, ws).await.map_err(AppError::from)?;
        let alert = match p.what {
            SyncWhat::Catalogue => {
                for c in list.iter().filter(|c| c.enabled) {
                    if let Err(e) = self.import_catalogue(c.id).await {
                        tracing::warn!(cabinet = c.id.0, error = %e, "catalogue import failed");
                        failed.push(c.name.clone());
                    }
                }
                let r = self.autolink(ws).await?;
                Alert::CatalogueReport {
                    skus: r.skus as i64,
                    products: r.products as i64,
                    linked: r.linked() as i64,
                    by_barcode: r.by_barcode as i64,
                    by_vendor_code: r.by_vendor_code as i64,
                    unlinked: r.unlinked.len() as i64,
                    ambiguous: r.ambiguous.len() as i64,
                    failed,
                }
            }
            SyncWhat::Orders => {
                for c in list.iter().filter(|c| c.enabled) {
                    if let Err(e) = self.orders().import_orders(c.id).await {
                        tracing::warn!(cabinet = c.id.0, error = %e, "order import failed");
                        failed.push(c.name.clone());
                    }
                }
                // Whatever came in since the ask, by this run or the schedule's.
                let (new, moved) = crate::storage::orders::imported_since(&self.db, ws, p.at)
                    .await
                    .map_err(AppError::from)?;
                Alert::OrdersImported { new, moved, failed }
            }
            SyncWhat::Finance => {
                let (mut orders, mut paid, mut refused) = (0, 0, Vec::new());
                for c in list.iter().filter(|c| c.enabled) {
                    match self.finance().read_finance(c.id).await {
                        Ok(r) => {
                            orders += r.orders as i64;
                            paid += r.paid as i64;
                            if r.refused {
                                refused.push(c.name.clone());
                            }
                        }
                        Err(e) => {
                            tracing::warn!(cabinet = c.id.0, error = %e, "finance reading failed");
                            failed.push(c.name.clone());
                        }
                    }
                }
                Alert::FinanceRead {
                    orders,
                    paid,
                    failed,
                    refused,
                }
            }
            SyncWhat::Stocks => {
                for c in list.iter().filter(|c| c.enabled) {
                    match self.stocks().push_stocks(c.id).await {
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(cabinet = c.id.0, error = %e, "stock push failed");
                            failed.push(c.name.clone());
                        }
                    }
                }
                // Whatever went out since the ask, by this run or the schedule's.
                let (pushed, refused) = crate::storage::stocks::pushed_since(&self.db, ws, p.at)
                    .await
                    .map_err(AppError::from)?;
                Alert::StocksPushed {
                    pushed,
                    refused,
                    failed,
                }
            }
        };
        let now = self.now();
        let mut tx = self.db.begin().await.map_err(AppError::from)?;
        outbox::raise_to(
            &mut tx,
            ws,
            TgChatId(p.chat),
            &alert,
            &format!("{}:{}", job.dedupe, job.id),
            now,
        )
        .await
        .map_err(AppError::from)?;
        // The same ask may be queued again from now on.
        jobs::release_key(&mut *tx, job.id)
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        Ok(())
    }
}
