//! Alerts (F7) as use cases: raising an event into the outbox (once per dedupe key, in the
//! transaction that found it), and what the sender needs to tell each chat: the deliveries
//! due, what each is about, the chat's language and zone, and its Telegram budget.

use crate::domain::ids::{OrderId, SkuId};
use std::collections::HashMap;

use super::AppResult;
use crate::domain::alerts::Alert;
use crate::domain::catalogue::Sku;
use crate::domain::order::{Order, StatusKey};
use crate::domain::{
    Cabinet, CabinetId, EventKind, Lang, Permission, TgChatId, TgUserId, WorkspaceId, Zone,
};
use crate::storage::outbox::{self, Delivery, Sent};
use crate::storage::{cabinets, chats, members, orders, personal, statuses, users, workspaces};

/// How long a claimed delivery is its sender's without a word from it: a sender renews
/// its claims before each message, so past this its process has stopped and another takes
/// them.
pub const DELIVERY_LEASE_SECS: i64 = 30;

/// How one chat reads one workspace's alerts.
struct Reader {
    lang: Lang,
    zone: Zone,
    money: bool,
}

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
    Sku(Sku),
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

/// The "chat" an alert mailed to an address is read as (no Telegram chat has id 0).
const MAIL_CHAT: TgChatId = TgChatId(0);

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
        Alert::FinanceRead { .. } => format!("finance-read:{}:{now}", ws.0),
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
        // Raised with their own keys (`raise_to`): one per rule step and chat.
        Alert::RuleNotice { rule, .. } => format!("rule-notice:{rule}:{now}"),
        Alert::RuleFailed { rule, .. } => format!("rule-failed:{rule}:{now}"),
        Alert::RulePaused { rule, .. } => format!("rule-paused:{rule}:{now}"),
        // Raised per chat with a key of its own (`app::finance::summary`).
        Alert::Summary { weekly, from, .. } => format!("summary:{}:{weekly}:{from}:{now}", ws.0),
    }
}

/// The start of an oversell alert's dedupe key: its SKU and day.
pub fn oversell_prefix(sku: SkuId, now: i64) -> String {
    format!("oversell:{sku}:{}:", now.div_euclid(86_400))
}

impl crate::app::rooms::Alerts<'_> {
    /// Whether an oversell risk is worse than any told today for its SKU: more units short,
    /// or more orders at risk. The same risk is told once a day.
    pub(crate) async fn oversell_worse(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        sku: SkuId,
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
                if let Some(o) = orders::get(&self.db, near.workspace, near.order).await? {
                    let trigger = crate::domain::rules::Trigger::DeadlineNear;
                    let event = format!("deadline:{}", near.ship_by);
                    self.rules()
                        .fire_for_order(&o, trigger, &event, false)
                        .await?;
                }
            }
        }
        Ok(raised)
    }

    /// The deliveries due now, claimed for this sender. What a stopped sender left behind
    /// is taken back first: its untried claims wait again, a send it cut short is never
    /// repeated.
    pub async fn due_deliveries(&self, limit: i64) -> AppResult<Vec<Delivery>> {
        let now = self.now();
        let (in_doubt, back) = outbox::recover(&self.db, now).await?;
        if in_doubt > 0 || back > 0 {
            tracing::warn!(
                in_doubt,
                back,
                "a stopped sender left deliveries: those in flight are not sent again, the rest wait again"
            );
        }
        Ok(outbox::claim(
            &self.db,
            &self.worker,
            now,
            now + DELIVERY_LEASE_SECS,
            limit,
        )
        .await?)
    }

    /// Marks the deliveries one message carries as being sent, if this sender still holds
    /// them; returns those it does (only they may go).
    pub async fn sending(&self, ids: &[i64]) -> AppResult<Vec<i64>> {
        let lease = self.now() + DELIVERY_LEASE_SECS;
        Ok(outbox::sending(&self.db, &self.worker, ids, lease).await?)
    }

    /// What each delivery for one chat is about, in the words of that chat: the chat's
    /// standing, language, zone and money rule read once per workspace, the orders and
    /// SKUs the alerts name read together. Deliveries with nothing to tell (their chat no
    /// longer the company's, no alert) come back apart, to be skipped.
    pub async fn alert_views(
        &self,
        chat: TgChatId,
        list: Vec<Delivery>,
    ) -> AppResult<(Vec<AlertView>, Vec<Delivery>)> {
        let mut readers: HashMap<WorkspaceId, Option<Reader>> = HashMap::new();
        for d in &list {
            if let std::collections::hash_map::Entry::Vacant(e) = readers.entry(d.workspace) {
                e.insert(self.reader(chat, d.workspace).await?);
            }
        }
        let mut order_ids: HashMap<WorkspaceId, Vec<OrderId>> = HashMap::new();
        let mut sku_ids: HashMap<WorkspaceId, Vec<SkuId>> = HashMap::new();
        for d in &list {
            match &d.alert {
                Some(
                    Alert::NewOrder { order }
                    | Alert::Cancelled { order, .. }
                    | Alert::ActionFailed { order, .. }
                    | Alert::DeadlineNear { order, .. }
                    | Alert::LabelReady { order, .. }
                    | Alert::RuleNotice {
                        order: Some(order), ..
                    }
                    | Alert::RuleFailed {
                        order: Some(order), ..
                    },
                ) => order_ids.entry(d.workspace).or_default().push(*order),
                Some(Alert::LowStock { sku, .. } | Alert::Oversell { sku, .. }) => {
                    sku_ids.entry(d.workspace).or_default().push(*sku)
                }
                _ => {}
            }
        }
        let mut found_orders: HashMap<(WorkspaceId, OrderId), Order> = HashMap::new();
        for (ws, ids) in order_ids {
            for (id, o) in orders::get_many(&self.db, ws, &ids).await? {
                found_orders.insert((ws, id), o);
            }
        }
        let mut found_skus: HashMap<(WorkspaceId, SkuId), Sku> = HashMap::new();
        for (ws, ids) in sku_ids {
            for s in crate::storage::catalogue::skus_by_ids(&self.db, ws, &ids).await? {
                found_skus.insert((ws, s.id), s);
            }
        }
        let mut cabinets_seen: HashMap<i64, Option<Cabinet>> = HashMap::new();
        let mut views = Vec::new();
        let mut skipped = Vec::new();
        for d in list {
            let (Some(alert), Some(Some(reader))) = (d.alert.clone(), readers.get(&d.workspace))
            else {
                skipped.push(d);
                continue;
            };
            let ws = d.workspace;
            let subject = match &alert {
                Alert::NewOrder { order }
                | Alert::Cancelled { order, .. }
                | Alert::ActionFailed { order, .. }
                | Alert::DeadlineNear { order, .. }
                | Alert::LabelReady { order, .. }
                | Alert::RuleNotice {
                    order: Some(order), ..
                }
                | Alert::RuleFailed {
                    order: Some(order), ..
                } => found_orders
                    .get(&(ws, *order))
                    .cloned()
                    .map_or(Subject::Gone, Subject::Order),
                Alert::SyncFailing { cabinet, .. }
                | Alert::KeyProblem { cabinet, .. }
                | Alert::KeyExpiring { cabinet, .. }
                | Alert::PricesChanged { cabinet, .. } => {
                    if !cabinets_seen.contains_key(cabinet) {
                        let c = cabinets::live(&self.db, CabinetId(*cabinet)).await?;
                        cabinets_seen.insert(*cabinet, c);
                    }
                    cabinets_seen[cabinet]
                        .clone()
                        .map_or(Subject::Gone, Subject::Cabinet)
                }
                Alert::UnmappedStatus {
                    marketplace,
                    status,
                    substatus,
                } => {
                    let key = StatusKey::new(*marketplace, status, substatus);
                    let id = statuses::id_of(&self.db, ws, &key).await?;
                    Subject::Status(key, id)
                }
                Alert::Labels { .. }
                | Alert::Summary { .. }
                | Alert::CatalogueReport { .. }
                | Alert::OrdersImported { .. }
                | Alert::FinanceRead { .. }
                | Alert::StocksPushed { .. }
                | Alert::PricesApplied { .. }
                | Alert::RuleNotice { order: None, .. }
                | Alert::RuleFailed { order: None, .. }
                | Alert::RulePaused { .. } => Subject::Files,
                Alert::LowStock { sku, .. } | Alert::Oversell { sku, .. } => found_skus
                    .get(&(ws, *sku))
                    .cloned()
                    .map_or(Subject::Gone, Subject::Sku),
            };
            let ids: &[i64] = match &alert {
                Alert::LabelReady { document, .. } => std::slice::from_ref(document),
                Alert::Labels { documents, .. } => documents,
                _ => &[],
            };
            let mut files = Vec::new();
            for id in ids {
                if let Some(f) = crate::storage::labels::document(&self.db, ws, *id).await? {
                    files.push(f);
                }
            }
            views.push(AlertView {
                delivery: d,
                alert,
                subject,
                lang: reader.lang,
                zone: reader.zone,
                money: reader.money,
                files,
            });
        }
        Ok((views, skipped))
    }

    /// What an alert mailed to one of the workspace's addresses is about: read in the
    /// company's language and zone, without sums (an address is outside the chat's rules).
    pub async fn mail_view(&self, ws: WorkspaceId, alert: Alert) -> AppResult<Option<AlertView>> {
        let d = Delivery {
            id: 0,
            chat: TgChatId(0),
            workspace: ws,
            cabinet: None,
            alert: Some(alert),
            created_at: self.now(),
            attempts: 1,
            held: false,
        };
        let (mut views, _) = self.alert_views(MAIL_CHAT, vec![d]).await?;
        Ok(views.pop())
    }

    /// How a chat reads a workspace's alerts; `None` when it may no longer get them (a
    /// group no longer the company's, a person no longer on its team).
    async fn reader(&self, chat: TgChatId, ws: WorkspaceId) -> AppResult<Option<Reader>> {
        let w = workspaces::get(&self.db, ws).await?;
        let zone = Zone::or_default(w.as_ref().map_or("", |w| w.time_zone.as_str()));
        let default_lang = w.map(|w| w.default_lang).unwrap_or_default();
        if chat == MAIL_CHAT {
            return Ok(Some(Reader {
                lang: default_lang,
                zone,
                money: false,
            }));
        }
        if chat.0 > 0 {
            let user = TgUserId(chat.0);
            let Some(member) = members::get(&self.db, ws, user).await? else {
                return Ok(None);
            };
            let lang = users::get(&self.db, user)
                .await?
                .map(|u| u.effective_lang())
                .unwrap_or(default_lang);
            Ok(Some(Reader {
                lang,
                zone,
                money: member.role.can(Permission::ViewFinance),
            }))
        } else {
            // A group may hold people outside the company: sums only where allowed.
            let Some(c) = chats::get(&self.db, chat)
                .await?
                .filter(|c| c.workspace == Some(ws))
            else {
                return Ok(None);
            };
            Ok(Some(Reader {
                lang: default_lang,
                zone,
                money: c.show_money,
            }))
        }
    }

    /// Deliveries claimed but not tried go back to wait.
    pub async fn unclaim_deliveries(&self, ids: &[i64]) -> AppResult<()> {
        Ok(outbox::unclaim(&self.db, &self.worker, ids).await?)
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
