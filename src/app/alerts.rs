//! Alerts (F7) as use cases: raising an event into the outbox (once per dedupe key, in the
//! transaction that found it), and what the sender needs to tell each chat: the deliveries
//! due, what each is about, the chat's language and zone, and its Telegram budget.

use super::{AppResult, Services};
use crate::domain::alerts::Alert;
use crate::domain::order::{Order, StatusKey};
use crate::domain::{Cabinet, CabinetId, Lang, TgChatId, TgUserId, WorkspaceId, Zone};
use crate::storage::outbox::{self, Delivery, Sent};
use crate::storage::{cabinets, orders, users, workspaces};

/// How long a claimed delivery is the sender's.
pub const DELIVERY_LEASE_SECS: i64 = 120;

/// What an alert is about, read when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Order(Order),
    Cabinet(Cabinet),
    Status(StatusKey),
    /// What it was about no longer exists (a cabinet deleted with its data).
    Gone,
}

/// One delivery as the sender renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertView {
    pub delivery: Delivery,
    pub alert: Alert,
    pub subject: Subject,
    pub lang: Lang,
    pub zone: Zone,
}

/// The dedupe key of an alert: one alert per order event, per unmapped status of a
/// workspace, per failing streak, per key problem and day.
pub fn dedupe_of(ws: WorkspaceId, alert: &Alert, now: i64) -> String {
    match alert {
        Alert::NewOrder { order } => format!("new-order:{order}"),
        Alert::Cancelled { order, .. } => format!("cancelled:{order}"),
        Alert::UnmappedStatus {
            marketplace,
            status,
            substatus,
        } => format!(
            "unmapped:{}:{}:{status}:{substatus}",
            ws.0,
            marketplace.code()
        ),
        Alert::SyncFailing { cabinet } => format!("sync-failing:{cabinet}:{now}"),
        Alert::KeyProblem { cabinet, problem } => {
            format!("key:{cabinet}:{problem}:{}", now.div_euclid(86_400))
        }
        Alert::ActionFailed { order, action } => format!("action-failed:{order}:{action}:{now}"),
    }
}

impl Services {
    /// Raises an alert inside a transaction that found it.
    pub(crate) async fn raise_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        ws: WorkspaceId,
        cabinet: Option<CabinetId>,
        alert: &Alert,
    ) -> AppResult<u64> {
        let now = self.now();
        let dedupe = dedupe_of(ws, alert, now);
        Ok(outbox::raise(tx, ws, cabinet, alert, &dedupe, now).await?)
    }

    /// Raises an alert on its own.
    pub async fn raise(
        &self,
        ws: WorkspaceId,
        cabinet: Option<CabinetId>,
        alert: &Alert,
    ) -> AppResult<u64> {
        let mut tx = self.db.pool().begin().await?;
        let n = self.raise_in(&mut tx, ws, cabinet, alert).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Raises "sync keeps failing" for a cabinet.
    pub async fn raise_sync_failing(&self, cabinet: CabinetId) -> AppResult<()> {
        if let Some(c) = cabinets::live(&self.db, cabinet).await? {
            let alert = Alert::SyncFailing { cabinet: cabinet.0 };
            self.raise(c.workspace, Some(cabinet), &alert).await?;
        }
        Ok(())
    }

    /// The deliveries due now, claimed for this sender (a send a crash cut short is never
    /// repeated).
    pub async fn due_deliveries(&self, limit: i64) -> AppResult<Vec<Delivery>> {
        let now = self.now();
        outbox::give_up_interrupted(&self.db, now).await?;
        Ok(outbox::claim(&self.db, now, now + DELIVERY_LEASE_SECS, limit).await?)
    }

    /// What a delivery is about, in the words of its chat.
    pub async fn alert_view(&self, d: &Delivery) -> AppResult<Option<AlertView>> {
        let Some(alert) = d.alert.clone() else {
            return Ok(None);
        };
        let ws = workspaces::get(&self.db, d.workspace).await?;
        let zone = Zone::or_default(ws.as_ref().map_or("", |w| w.time_zone.as_str()));
        let default_lang = ws.map(|w| w.default_lang).unwrap_or_default();
        let lang = if d.chat.0 > 0 {
            users::get(&self.db, TgUserId(d.chat.0))
                .await?
                .map(|u| u.effective_lang())
                .unwrap_or(default_lang)
        } else {
            default_lang
        };
        let subject = match &alert {
            Alert::NewOrder { order }
            | Alert::Cancelled { order, .. }
            | Alert::ActionFailed { order, .. } => {
                match orders::get(&self.db, d.workspace, *order).await? {
                    Some(o) => Subject::Order(o),
                    None => Subject::Gone,
                }
            }
            Alert::SyncFailing { cabinet } | Alert::KeyProblem { cabinet, .. } => {
                match cabinets::live(&self.db, CabinetId(*cabinet)).await? {
                    Some(c) => Subject::Cabinet(c),
                    None => Subject::Gone,
                }
            }
            Alert::UnmappedStatus {
                marketplace,
                status,
                substatus,
            } => Subject::Status(StatusKey::new(*marketplace, status, substatus)),
        };
        Ok(Some(AlertView {
            delivery: d.clone(),
            alert,
            subject,
            lang,
            zone,
        }))
    }

    /// Records how a delivery ended.
    pub async fn finish_delivery(&self, id: i64, how: Sent) -> AppResult<()> {
        Ok(outbox::finish(&self.db, id, how, self.now()).await?)
    }

    /// How many alerts a chat got in the last minute, and when the first of them went.
    pub async fn chat_budget(&self, chat: TgChatId) -> AppResult<(i64, Option<i64>)> {
        Ok(outbox::sent_since(&self.db, chat, self.now() - 60).await?)
    }
}
