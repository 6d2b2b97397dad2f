//! Labels (F4) as use cases. A batch (one order, everything packed without a label, a WB
//! supply, or orders picked on a list) is a one-off job for the chat that asked: each
//! order's label comes once from its marketplace (Ozon's async task polled until ready,
//! WB's stickers in the cabinet's size turned into PDF pages, YM's PDF) and is kept; the
//! pages are merged in the order of the list into files under Telegram's limit, which go
//! to the chat through the outbox with the orders that got none and why. Packed orders
//! with a label become "label received". An order that becomes packed also has its label
//! pushed to the warehouse groups that want it.

use crate::domain::ids::OrderId;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::jobs::{JobError, JobKind, Payload};
use super::{Actor, AppError, AppResult};
use crate::domain::alerts::Alert;
use crate::domain::order::{Order, UnifiedStatus};
use crate::domain::{CabinetId, Marketplace, Permission, Scheme, TgChatId, TgUserId, WorkspaceId};
use crate::marketplaces::{FileFormat, LabelFile, Labels, MarketplaceApi, StickerSize};
use crate::render::labels as pdf;
use crate::storage::{cabinets, jobs, labels, orders, outbox};

/// A batch of labels for a chat.
mod fetch;

pub use fetch::Fetched;
use fetch::failure;

/// Most orders one batch takes.
pub const MAX_BATCH: usize = 1000;
/// How often a pending Ozon label task is asked again, and how many times within a run.
const POLL_EVERY: Duration = Duration::from_secs(1);
const POLLS: u32 = 20;
/// Ozon makes a label 45–60 s after assembly: the push waits that long.
const OZON_LABEL_DELAY_SECS: i64 = 60;
/// A second press within this long after the labels were made is the same press.
const DOUBLE_TAP_SECS: i64 = 5;
/// Most orders of a refused batch asked for one by one (each is a request of its own).
const ONE_BY_ONE_MAX: usize = 20;
/// Runs a batch waits for labels still being made before it sends what is ready.
const PENDING_RUNS: i64 = 4;
/// Files made for a chat are kept this long.
const DOCUMENTS_KEPT_SECS: i64 = 2 * 86_400;

/// What labels are asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selection {
    /// These orders, in this order.
    Orders(Vec<OrderId>),
    /// Every open FBS order packed and without a label yet.
    Unlabelled,
}

/// What asking for labels did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelsQueued {
    /// Being made: the file comes to the chat.
    Queued { orders: usize },
    /// The same batch is still being made.
    AlreadyPending,
    /// Nothing in the selection can have a label.
    Nothing,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Batch {
    orders: Vec<OrderId>,
    chat: i64,
    actor: i64,
    /// A WB supply whose QR code ends the file: (cabinet, supply).
    #[serde(default)]
    qr: Option<(i64, String)>,
    /// How many batches of the same orders this chat had before (a reprint is the next).
    #[serde(default)]
    nth: i64,
}

impl Batch {
    /// The key of every batch of these orders (and QR code) for this chat.
    fn prefix(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.orders.hash(&mut h);
        self.qr.hash(&mut h);
        format!("labels:{}:{:x}:", self.chat, h.finish())
    }
}

impl Payload for Batch {
    const KIND: JobKind = JobKind::Labels;

    fn dedupe(&self) -> String {
        format!("{}{}", self.prefix(), self.nth)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Push {
    order: OrderId,
}

impl Payload for Push {
    const KIND: JobKind = JobKind::LabelPush;

    /// One push per order, ever: a label is sent to the groups once.
    fn dedupe(&self) -> String {
        format!("label-push:{}", self.order)
    }
}

/// Whether an order in this state can have a label.
pub fn labellable(o: &Order) -> bool {
    o.scheme != Scheme::Fbo
        && match o.marketplace {
            Marketplace::Ozon => matches!(
                o.unified,
                UnifiedStatus::Packed | UnifiedStatus::LabelReceived
            ),
            Marketplace::Wildberries | Marketplace::YandexMarket => matches!(
                o.unified,
                UnifiedStatus::Confirmed | UnifiedStatus::Packed | UnifiedStatus::LabelReceived
            ),
        }
}

/// A file name part from a cabinet's name: letters and digits, the rest as dashes.
pub fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() { "cabinet".into() } else { s }
}

impl crate::app::rooms::Labels<'_> {
    /// The orders a selection names, in its order, as the actor may label them.
    async fn selected(&self, actor: Actor, sel: &Selection) -> AppResult<Vec<Order>> {
        let ids = match sel {
            Selection::Orders(ids) => ids.clone(),
            Selection::Unlabelled => orders::unlabelled(&self.db, actor.workspace).await?,
        };
        let mut out = Vec::new();
        for id in ids.into_iter().take(MAX_BATCH) {
            if let Some(o) = orders::get(&self.db, actor.workspace, id).await?
                && !out.iter().any(|x: &Order| x.id == o.id)
            {
                out.push(o);
            }
        }
        Ok(out)
    }

    /// Asks for the labels of a selection, to come to `chat`.
    pub async fn request_labels(
        &self,
        actor: Actor,
        chat: TgChatId,
        sel: Selection,
    ) -> AppResult<LabelsQueued> {
        self.request_labels_with(actor, chat, sel, None).await
    }

    /// Labels of a selection, and a WB supply's QR code after them.
    pub(crate) async fn request_labels_with(
        &self,
        actor: Actor,
        chat: TgChatId,
        sel: Selection,
        qr: Option<(CabinetId, String)>,
    ) -> AppResult<LabelsQueued> {
        actor.require(Permission::AssembleOrders)?;
        let list: Vec<OrderId> = self
            .selected(actor, &sel)
            .await?
            .into_iter()
            // A handed-over supply's orders keep their stickers (WB prints them then too).
            .filter(|o| {
                labellable(o)
                    || (qr.is_some()
                        && o.marketplace == Marketplace::Wildberries
                        && o.unified == UnifiedStatus::Shipped)
            })
            .map(|o| o.id)
            .collect();
        if list.is_empty() {
            return Ok(LabelsQueued::Nothing);
        }
        let mut batch = Batch {
            orders: list,
            chat: chat.0,
            actor: actor.user.0,
            qr: qr.map(|(c, s)| (c.0, s)),
            nth: 0,
        };
        let key = batch.prefix();
        let now = self.now();
        // Being made, or made a moment ago (a double tap on kept labels): one file.
        if jobs::open_with_prefix(&self.db, JobKind::Labels.code(), &key)
            .await?
            .is_some()
            || jobs::finished_since(
                &self.db,
                JobKind::Labels.code(),
                &key,
                now - DOUBLE_TAP_SECS,
            )
            .await?
        {
            return Ok(LabelsQueued::AlreadyPending);
        }
        // Two presses at once count the same and make one job; a later reprint is the next.
        batch.nth = jobs::count_with_prefix(&self.db, JobKind::Labels.code(), &key).await?;
        super::jobs::queue(self.db.pool(), actor.workspace, None, &batch, now).await?;
        self.wake_scheduler();
        Ok(LabelsQueued::Queued {
            orders: batch.orders.len(),
        })
    }

    /// Runs a batch: reads what labels are missing, merges, and sends the files.
    pub async fn perform_labels(&self, job: &jobs::Job) -> Result<(), JobError> {
        let b = Batch::of(job)?;
        let now = self.now();
        labels::purge_documents(&self.db, now - DOCUMENTS_KEPT_SECS)
            .await
            .map_err(AppError::from)?;
        let mut list = Vec::new();
        for id in &b.orders {
            if let Some(o) = orders::get(&self.db, job.workspace, *id)
                .await
                .map_err(AppError::from)?
            {
                list.push(o);
            }
        }
        let mut fetched = self.fetch_labels(job.workspace, &list).await?;
        if !fetched.pending.is_empty() {
            if job.failures < PENDING_RUNS {
                // What was read is kept; the next run asks only for the rest.
                return Err(JobError::retry(format!(
                    "{} labels still being made",
                    fetched.pending.len()
                )));
            }
            // Long enough: what is ready goes now, the rest is told as not ready yet.
            for id in std::mem::take(&mut fetched.pending) {
                if let Some(o) = list.iter().find(|o| o.id == id) {
                    fetched.failed.push(failure(o, "not-ready", ""));
                }
            }
        }
        // The orders that got a label, in the order of the list.
        let labelled: Vec<&Order> = list
            .iter()
            .filter(|o| fetched.pdfs.contains_key(&o.id))
            .collect();
        let mut pages: Vec<Vec<u8>> = labelled
            .iter()
            .filter_map(|o| fetched.pdfs.get(&o.id).cloned())
            .collect();
        if let Some((cabinet, supply)) = &b.qr {
            // The QR code ends the file when WB gives it (once the supply is handed over).
            match self.supply_qr_page(CabinetId(*cabinet), supply).await {
                Ok(page) => pages.push(page),
                Err(e) => tracing::warn!(error = %e.message, "a supply's QR code did not come"),
            }
        }
        let files = if pages.is_empty() {
            Vec::new()
        } else {
            let budget = pdf::FILE_BUDGET;
            crate::render::blocking(move || pdf::merge_within(&pages, budget))
                .await
                .map_err(AppError::from)?
        };
        let cabinet = {
            let mut names: Vec<&str> = labelled.iter().map(|o| o.cabinet_name.as_str()).collect();
            names.dedup();
            match names.as_slice() {
                [one] => slug(one),
                _ => "all".to_owned(),
            }
        };
        let date = self.today(job.workspace).await?;
        let mut documents = Vec::new();
        for (n, bytes) in files.iter().enumerate() {
            let name = format!("labels-{cabinet}-{date}-{}.pdf", n + 1);
            documents.push(
                labels::put_document(&self.db, job.workspace, &name, bytes, now)
                    .await
                    .map_err(AppError::from)?,
            );
        }
        self.mark_labelled(&labelled, Some(TgUserId(b.actor)))
            .await?;
        let printed = i64::try_from(labelled.len()).unwrap_or(i64::MAX);
        let parts = i64::try_from(documents.len()).unwrap_or(i64::MAX);
        let mut alerts: Vec<(String, Alert)> = documents
            .iter()
            .enumerate()
            .map(|(n, doc)| {
                let part = i64::try_from(n).unwrap_or(i64::MAX) + 1;
                let alert = Alert::Labels {
                    documents: vec![*doc],
                    printed,
                    failed: Vec::new(),
                    part,
                    parts,
                };
                (format!("labels:{}:{part}", job.dedupe), alert)
            })
            .collect();
        if !fetched.failed.is_empty() || documents.is_empty() {
            let alert = Alert::Labels {
                documents: Vec::new(),
                printed,
                failed: fetched.failed,
                part: 0,
                parts,
            };
            alerts.push((format!("labels:{}:failed", job.dedupe), alert));
        }
        let mut tx = self.db.begin().await.map_err(AppError::from)?;
        for (dedupe, alert) in &alerts {
            outbox::raise_to(&mut tx, job.workspace, TgChatId(b.chat), alert, dedupe, now)
                .await
                .map_err(AppError::from)?;
        }
        tx.commit().await.map_err(AppError::from)?;
        Ok(())
    }

    /// Tells the chat a batch of labels that could not be made at all.
    pub async fn raise_labels_failed(&self, job: &jobs::Job) -> AppResult<()> {
        let Ok(b) = Batch::of(job) else {
            return Ok(());
        };
        let mut failed = Vec::new();
        for id in &b.orders {
            if let Some(o) = orders::get(&self.db, job.workspace, *id).await? {
                failed.push(failure(&o, "unavailable", ""));
            }
        }
        let alert = Alert::Labels {
            documents: Vec::new(),
            printed: 0,
            failed,
            part: 0,
            parts: 0,
        };
        let mut tx = self.db.begin().await?;
        outbox::raise_to(
            &mut tx,
            job.workspace,
            TgChatId(b.chat),
            &alert,
            &format!("labels:{}:failed", job.dedupe),
            self.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A WB supply's QR code as a page of the cabinet's sticker size.
    async fn supply_qr_page(&self, cabinet: CabinetId, supply: &str) -> Result<Vec<u8>, JobError> {
        let c = cabinets::live(&self.db, cabinet)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| JobError {
                message: "the cabinet is gone".into(),
                fault: crate::app::jobs::Fault::Permanent,
                why: None,
            })?;
        let wb = self
            .cabinets()
            .client_for(&c)
            .await?
            .into_wb()
            .ok_or_else(|| JobError {
                message: "supplies are WB's".into(),
                fault: crate::app::jobs::Fault::Permanent,
                why: None,
            })?;
        let (_, png) = wb.supply_barcode(supply).await.map_err(AppError::from)?;
        let size = StickerSize::parse(
            &labels::label_size(&self.db, cabinet)
                .await
                .map_err(AppError::from)?,
        );
        let (w, h) = size.mm();
        Ok(pdf::png_page(&png, w as f32, h as f32).map_err(AppError::from)?)
    }

    /// Packed orders with a label become "label received".
    async fn mark_labelled(&self, list: &[&Order], actor: Option<TgUserId>) -> AppResult<()> {
        let now = self.now();
        for o in list.iter().filter(|o| o.unified == UnifiedStatus::Packed) {
            let mut tx = self.db.begin().await?;
            orders::apply_action(
                &mut tx,
                o.id,
                o.version,
                &o.status,
                &o.substatus,
                UnifiedStatus::LabelReceived,
                actor,
                now,
            )
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Today's date in the workspace's zone, as `YYYY-MM-DD`.
    pub(crate) async fn today(&self, ws: WorkspaceId) -> AppResult<String> {
        Ok(self.zone_of(ws).await?.date(self.now()))
    }

    /// Queues an order's label for the warehouse groups, if any group wants labels.
    pub(crate) async fn queue_label_push(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        ws: WorkspaceId,
        cabinet: CabinetId,
        order: OrderId,
        marketplace: Marketplace,
    ) -> AppResult<()> {
        if !labels::wants_labels(tx, ws).await? {
            return Ok(());
        }
        let delay = if marketplace == Marketplace::Ozon {
            OZON_LABEL_DELAY_SECS
        } else {
            0
        };
        super::jobs::queue(
            &mut **tx,
            ws,
            Some(cabinet),
            &Push { order },
            self.now() + delay,
        )
        .await?;
        Ok(())
    }

    /// Reads an open order's label and keeps it as a document, marking the order labelled;
    /// a label not made yet (Ozon makes it a while after assembly) is tried again.
    pub(crate) async fn label_document(
        &self,
        ws: WorkspaceId,
        o: &crate::domain::order::Order,
    ) -> Result<i64, JobError> {
        let fetched = self.fetch_labels(ws, std::slice::from_ref(o)).await?;
        let Some(page) = fetched.pdfs.get(&o.id) else {
            let why = fetched
                .failed
                .first()
                .map(|f| format!("{}: {}", f.reason, f.detail))
                .unwrap_or_else(|| "the label is still being made".into());
            return Err(JobError::retry(why));
        };
        let now = self.now();
        let date = self.today(ws).await?;
        let name = format!(
            "labels-{}-{date}-{}.pdf",
            slug(&o.cabinet_name),
            slug(&o.number)
        );
        let document = labels::put_document(&self.db, ws, &name, page, now)
            .await
            .map_err(AppError::from)?;
        self.mark_labelled(&[o], None).await?;
        let trigger = crate::domain::rules::Trigger::LabelReady;
        self.rules()
            .fire_for_order(o, trigger, "label", false)
            .await?;
        Ok(document)
    }

    /// Runs a push: reads the order's label and raises it for the groups.
    pub async fn perform_label_push(&self, job: &jobs::Job) -> Result<(), JobError> {
        let p = Push::of(job)?;
        let Some(o) = orders::get(&self.db, job.workspace, p.order)
            .await
            .map_err(AppError::from)?
        else {
            return Ok(());
        };
        if !o.unified.is_open() || !labellable(&o) {
            return Ok(()); // it moved on (shipped, cancelled) before its label was read
        }
        let document = self.label_document(job.workspace, &o).await?;
        self.alerts()
            .raise(
                job.workspace,
                Some(o.cabinet),
                &Alert::LabelReady {
                    order: o.id,
                    document,
                },
            )
            .await?;
        Ok(())
    }
}
