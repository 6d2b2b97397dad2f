//! Alerts (F7) as use cases: raising an event into the outbox (once per dedupe key, in the
//! transaction that found it), and what the sender needs to tell each chat: the deliveries
//! due, what each is about, the chat's language and zone, and its Telegram budget.

use super::{AppResult, Services};
use crate::domain::alerts::Alert;
use crate::domain::order::{Order, StatusKey};
use crate::domain::{
    Cabinet, CabinetId, EventKind, Lang, Permission, TgChatId, TgUserId, WorkspaceId, Zone,
};
use crate::storage::outbox::{self, Delivery, Sent};
use crate::storage::{cabinets, chats, members, orders, personal, statuses, users, workspaces};

/// How long a claimed delivery is the sender's.
pub const DELIVERY_LEASE_SECS: i64 = 120;

/// What an alert is about, read when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Order(Order),
    Cabinet(Cabinet),
    /// A status and the id it is mapped by (`None` if the workspace forgot it).
    Status(StatusKey, Option<i64>),
    /// What it was about no longer exists (a cabinet deleted with its data).
    Gone,
    /// Only the files it carries, or what the alert itself says.
    Files,
    /// A SKU of ours (low stock, oversell).
    Sku(crate::storage::catalogue::Sku),
}

/// One delivery as the sender renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertView {
    pub delivery: Delivery,
    pub alert: Alert,
    pub subject: Subject,
    pub lang: Lang,
    pub zone: Zone,
    /// Whether sums may be shown: in groups, and to members whose role sees money.
    pub money: bool,
    /// The files it carries (labels).
    pub files: Vec<crate::storage::labels::Document>,
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
        Alert::SyncFailing { cabinet, .. } => format!("sync-failing:{cabinet}:{now}"),
        Alert::KeyProblem { cabinet, problem } => {
            format!("key:{cabinet}:{problem}:{}", now.div_euclid(86_400))
        }
        // Once per warning (7, 3, 1 days before) of one key (a new key warns anew).
        Alert::KeyExpiring {
            cabinet,
            days,
            expires_at,
        } => {
            let step = [1, 3, 7].into_iter().find(|d| days <= d).unwrap_or(7);
            format!("key-expiring:{cabinet}:{expires_at}:{step}")
        }
        Alert::ActionFailed { order, action } => format!("action-failed:{order}:{action}:{now}"),
        Alert::DeadlineNear { order, ship_by } => format!("deadline:{order}:{ship_by}"),
        Alert::LabelReady { order, .. } => format!("label-ready:{order}"),
        Alert::Labels {
            documents, part, ..
        } => format!(
            "labels:{}:{part}:{now}",
            documents.first().copied().unwrap_or_default()
        ),
        Alert::CatalogueReport { .. } => format!("catalogue-report:{}:{now}", ws.0),
        Alert::StocksPushed { .. } => format!("stocks-pushed:{}:{now}", ws.0),
        Alert::OrdersImported { .. } => format!("orders-imported:{}:{now}", ws.0),
        Alert::PricesApplied { cabinet, .. } => format!("prices-applied:{}:{cabinet}:{now}", ws.0),
        Alert::PricesChanged { cabinet, .. } => format!("prices-changed:{cabinet}:{now}"),
        Alert::LowStock { sku, .. } => format!("low-stock:{sku}:{}", now.div_euclid(86_400)),
        Alert::Oversell {
            sku,
            stock,
            ordered,
            orders,
        } => format!(
            "{}{}:{}",
            oversell_prefix(*sku, now),
            ordered - stock,
            orders.len()
        ),
    }
}

/// The start of an oversell alert's dedupe key: its SKU and day.
pub fn oversell_prefix(sku: i64, now: i64) -> String {
    format!("oversell:{sku}:{}:", now.div_euclid(86_400))
}

impl Services {
    /// Whether an oversell risk is worse than any told today for its SKU: more units short,
    /// or more orders at risk. The same risk is told once a day.
    pub(crate) async fn oversell_worse(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        sku: i64,
        short: i64,
        orders: usize,
    ) -> AppResult<bool> {
        let prefix = oversell_prefix(sku, self.now());
        let told = outbox::told_with_prefix(tx, &prefix).await?;
        let worst = told
            .iter()
            .filter_map(|k| {
                let (s, n) = k.strip_prefix(&prefix)?.split_once(':')?;
                Some((s.parse::<i64>().ok()?, n.parse::<usize>().ok()?))
            })
            .fold(None, |acc: Option<(i64, usize)>, (s, n)| {
                Some(acc.map_or((s, n), |(a, b)| (a.max(s), b.max(n))))
            });
        Ok(worst.is_none_or(|(s, n)| short > s || orders > n))
    }

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
        let mut tx = self.db.begin().await?;
        let n = self.raise_in(&mut tx, ws, cabinet, alert).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Raises "sync keeps failing" for a cabinet.
    pub async fn raise_sync_failing(
        &self,
        cabinet: CabinetId,
        failure: Option<crate::domain::Failure>,
    ) -> AppResult<()> {
        if let Some(c) = cabinets::live(&self.db, cabinet).await? {
            let alert = Alert::SyncFailing {
                cabinet: cabinet.0,
                failure,
            };
            self.raise(c.workspace, Some(cabinet), &alert).await?;
        }
        Ok(())
    }

    /// Raises "the deadline is near" for every open order whose ship-by time is within its
    /// workspace's warning hours; returns how many were raised for the first time.
    pub async fn raise_deadlines(&self) -> AppResult<u64> {
        let now = self.now();
        let mut raised = 0;
        for near in orders::near_deadline(&self.db, now).await? {
            let alert = Alert::DeadlineNear {
                order: near.order,
                ship_by: near.ship_by,
            };
            if self
                .raise(near.workspace, Some(near.cabinet), &alert)
                .await?
                > 0
            {
                raised += 1;
            }
        }
        Ok(raised)
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
        // Only to a group still the company's, or a person still on its team.
        let still_ours = if d.chat.0 > 0 {
            members::get(&self.db, d.workspace, TgUserId(d.chat.0))
                .await?
                .is_some()
        } else {
            chats::get(&self.db, d.chat)
                .await?
                .is_some_and(|c| c.workspace == Some(d.workspace))
        };
        if !still_ours {
            return Ok(None);
        }
        let ws = workspaces::get(&self.db, d.workspace).await?;
        let zone = Zone::or_default(ws.as_ref().map_or("", |w| w.time_zone.as_str()));
        let default_lang = ws.map(|w| w.default_lang).unwrap_or_default();
        let (lang, money) = if d.chat.0 > 0 {
            let user = TgUserId(d.chat.0);
            let lang = users::get(&self.db, user)
                .await?
                .map(|u| u.effective_lang())
                .unwrap_or(default_lang);
            let money = members::get(&self.db, d.workspace, user)
                .await?
                .is_some_and(|m| m.role.can(Permission::ViewFinance));
            (lang, money)
        } else {
            // A group may hold people outside the company: sums only where allowed.
            let allowed = chats::get(&self.db, d.chat)
                .await?
                .is_some_and(|c| c.show_money);
            (default_lang, allowed)
        };
        let subject = match &alert {
            Alert::NewOrder { order }
            | Alert::Cancelled { order, .. }
            | Alert::ActionFailed { order, .. }
            | Alert::DeadlineNear { order, .. }
            | Alert::LabelReady { order, .. } => {
                match orders::get(&self.db, d.workspace, *order).await? {
                    Some(o) => Subject::Order(o),
                    None => Subject::Gone,
                }
            }
            Alert::SyncFailing { cabinet, .. }
            | Alert::KeyProblem { cabinet, .. }
            | Alert::KeyExpiring { cabinet, .. }
            | Alert::PricesChanged { cabinet, .. } => {
                match cabinets::live(&self.db, CabinetId(*cabinet)).await? {
                    Some(c) => Subject::Cabinet(c),
                    None => Subject::Gone,
                }
            }
            Alert::UnmappedStatus {
                marketplace,
                status,
                substatus,
            } => {
                let key = StatusKey::new(*marketplace, status, substatus);
                let id = statuses::id_of(&self.db, d.workspace, &key).await?;
                Subject::Status(key, id)
            }
            Alert::Labels { .. }
            | Alert::CatalogueReport { .. }
            | Alert::OrdersImported { .. }
            | Alert::StocksPushed { .. }
            | Alert::PricesApplied { .. } => Subject::Files,
            Alert::LowStock { sku, .. } | Alert::Oversell { sku, .. } => {
                match crate::storage::catalogue::sku(&self.db, d.workspace, *sku).await? {
                    Some(s) => Subject::Sku(s),
                    None => Subject::Gone,
                }
            }
        };
        let ids: &[i64] = match &alert {
            Alert::LabelReady { document, .. } => std::slice::from_ref(document),
            Alert::Labels { documents, .. } => documents,
            _ => &[],
        };
        let mut files = Vec::new();
        for id in ids {
            if let Some(f) = crate::storage::labels::document(&self.db, d.workspace, *id).await? {
                files.push(f);
            }
        }
        Ok(Some(AlertView {
            delivery: d.clone(),
            alert,
            subject,
            lang,
            zone,
            money,
            files,
        }))
    }

    /// Deliveries claimed but not tried go back to wait.
    pub async fn unclaim_deliveries(&self, ids: &[i64]) -> AppResult<()> {
        Ok(outbox::unclaim(&self.db, ids).await?)
    }

    /// Records how a delivery ended.
    pub async fn finish_delivery(&self, id: i64, how: Sent) -> AppResult<()> {
        Ok(outbox::finish(&self.db, id, how, self.now()).await?)
    }

    /// The kinds of alerts the actor also gets in their private chat.
    pub async fn my_alerts(&self, actor: super::Actor) -> AppResult<Vec<EventKind>> {
        actor.require(Permission::ViewData)?;
        Ok(personal::events(&self.db, actor.workspace, actor.user).await?)
    }

    /// Turns one kind of personal alert on or off (a second tap of the same button sets
    /// the same again).
    pub async fn set_my_alert(
        &self,
        actor: super::Actor,
        event: EventKind,
        on: bool,
    ) -> AppResult<()> {
        actor.require(Permission::ViewData)?;
        // The member writes from their private chat: it is reachable again.
        let own = TgChatId(actor.user.0);
        if chats::get(&self.db, own).await?.is_some_and(|c| !c.active) {
            chats::set_active(&self.db, own, true, self.now()).await?;
        }
        Ok(personal::set(&self.db, actor.workspace, actor.user, event, on).await?)
    }

    /// How many alerts a chat got in the last minute, and when the first of them went.
    pub async fn chat_budget(&self, chat: TgChatId) -> AppResult<(i64, Option<i64>)> {
        Ok(outbox::sent_since(&self.db, chat, self.now() - 60).await?)
    }
}
