//! Orders in chat (F3): the list and the card a member may see, and the actions its status
//! and their role allow. An action is a one-off job keyed by the order, the version the
//! card showed and the action, so a double tap, two people pressing at once, or a press on
//! a card whose order has since changed never sends twice; while one action on an order
//! waits for its retry, no other is taken. It runs at once and, when the marketplace did
//! not answer, again by the retry policy: a retry first checks the order is still as the
//! card showed, and a run after one that may have sent asks the marketplace first.

use crate::domain::ids::OrderId;
use serde::{Deserialize, Serialize};

use super::jobs::{JobError, JobKind, LEASE_SECS, Payload as _};
use super::{Actor, AppError, AppResult};
use crate::domain::alerts::Alert;
use crate::domain::order::{Action, Order, Period, UnifiedStatus, minutes_left};
use crate::domain::retry::RetryPolicy;
use crate::domain::{CabinetId, Permission, Scheme, TgUserId, WorkspaceId, Zone};
use crate::marketplaces::{CancelReason, MarketplaceApi, OrderAction, OrderItem};
use crate::storage::cabinets;
use crate::storage::jobs;
use crate::storage::orders::{self, Filter, HistoryEntry, Page};

/// Orders per page of the list.
pub const PAGE: i64 = 10;

/// What a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSpec {
    pub period: Period,
    pub unified: Option<UnifiedStatus>,
    pub scheme: Option<Scheme>,
    pub cabinet: Option<CabinetId>,
    /// The warehouse's "to assemble": open orders awaiting assembly, nearest deadline first.
    pub to_assemble: bool,
    pub page: i64,
}

/// An order's card: the order, its history, what may be done to it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub order: Order,
    pub history: Vec<HistoryEntry>,
    pub actions: Vec<Action>,
    pub zone: Zone,
    pub now: i64,
    /// Whether the caller may see prices and sums (never the warehouse).
    pub money: bool,
    /// Whether the annulment window is over (cancelling from the card is refused).
    pub annulment_over: bool,
    /// Who on the warehouse has it, and whether that is the caller.
    pub holder: Option<(String, bool)>,
    /// Whether the caller may print its label now.
    pub label: bool,
    /// Whether the caller may take it to pack.
    pub claimable: bool,
    /// The rules "Run now" may start on it (id, name).
    pub run_now: Vec<(i64, String)>,
    /// What the marketplace accrued on it, for those who may see money.
    pub finance: Option<super::finance::CardMoney>,
}

impl Card {
    pub fn minutes_left(&self) -> Option<i64> {
        self.order
            .ship_by
            .filter(|_| self.order.unified.is_open())
            .map(|t| minutes_left(t, self.now))
    }
}

/// What pressing an action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requested {
    /// Sent to the marketplace and done.
    Done(Card),
    /// Not done yet: the marketplace did not answer; it is tried again by the retry policy.
    Pending { error: String },
    /// The marketplace refused it: why, in a person's terms (its own words are logged).
    Refused { why: crate::domain::Rejection },
    /// The card was out of date: the order changed since (nothing was sent).
    Stale(Card),
    /// Pressed again while the first press is still being sent.
    AlreadyPending,
}

/// What an action job carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    order: OrderId,
    /// The order's version when the action was pressed.
    #[serde(default)]
    version: i64,
    action: Action,
    reason: Option<String>,
    /// The words a cancellation's reason needs (a rule's note for Ozon's "other").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    actor: i64,
}

impl crate::app::jobs::Payload for Payload {
    const KIND: JobKind = JobKind::OrderAction;

    /// One press of one action on one version of the order.
    fn dedupe(&self) -> String {
        format!(
            "action:{}:{}:{}",
            self.order,
            self.version,
            self.action.code()
        )
    }
}

/// Why an action may not be pressed.
pub fn refusal_of(card: &Card, action: Action) -> Option<AppError> {
    if card.actions.contains(&action) {
        return None;
    }
    if action == Action::Cancel && card.annulment_over {
        return Some(AppError::TooLate);
    }
    Some(AppError::Forbidden)
}

impl crate::app::rooms::Orders<'_> {
    /// A page of the actor's orders.
    pub async fn orders_page(&self, actor: Actor, spec: ListSpec) -> AppResult<(Page, Zone)> {
        actor.require(Permission::ViewData)?;
        let zone = self.zone_of(actor.workspace).await?;
        let (from, to) = spec.period.range(zone, self.now());
        let to_assemble = spec.to_assemble || actor.role == crate::domain::Role::Warehouse;
        let filter = Filter {
            from: if to_assemble { 0 } else { from },
            to: if to_assemble { i64::MAX } else { to },
            unified: spec.unified,
            scheme: spec.scheme,
            cabinet: spec.cabinet,
            to_assemble,
        };
        let page = orders::page(&self.db, actor.workspace, &filter, spec.page * PAGE, PAGE).await?;
        Ok((page, zone))
    }

    /// An order's card as the actor sees it.
    pub async fn order_card(&self, actor: Actor, id: OrderId) -> AppResult<Card> {
        actor.require(Permission::ViewData)?;
        let order = orders::get(&self.db, actor.workspace, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.card_of(actor, order).await
    }

    /// The order a seller names by its number.
    pub async fn find_order(&self, actor: Actor, number: &str) -> AppResult<Card> {
        actor.require(Permission::ViewData)?;
        let order = orders::find(&self.db, actor.workspace, number.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        self.card_of(actor, order).await
    }

    async fn card_of(&self, actor: Actor, order: Order) -> AppResult<Card> {
        let now = self.now();
        let annul = orders::annul_hours(&self.db, actor.workspace).await?;
        let annulment_over = now - order.created_at > annul * 3600;
        let actions = Action::ALL
            .into_iter()
            .filter(|a| a.applies(order.marketplace, order.scheme, order.unified))
            .filter(|a| actor.role.can(a.permission()))
            .filter(|a| *a != Action::Cancel || !annulment_over)
            .collect();
        let held = if order.unified.is_open() {
            crate::storage::labels::claim_of(&self.db, actor.workspace, order.id).await?
        } else {
            None
        };
        let holder = match held {
            Some(c) => Some((
                self.session()
                    .user_name(c.user)
                    .await?
                    .unwrap_or_else(|| c.user.0.to_string()),
                c.user == actor.user,
            )),
            None => None,
        };
        let packs = actor.role.can(Permission::AssembleOrders);
        let run_now = if actor.role.can(Permission::ManageOrders) {
            self.rules()
                .button_rules(actor, &order)
                .await?
                .into_iter()
                .map(|r| (r.id, r.name))
                .collect()
        } else {
            Vec::new()
        };
        let money = actor.role.can(Permission::ViewFinance);
        let finance = match money {
            true => self.finance().card_money(actor.workspace, &order).await?,
            false => None,
        };
        Ok(Card {
            run_now,
            finance,
            label: packs && super::labels::labellable(&order),
            claimable: packs && order.unified.is_open() && order.scheme != Scheme::Fbo,
            holder,
            history: orders::history_of(&self.db, order.id).await?,
            zone: self.zone_of(actor.workspace).await?,
            money,
            order,
            actions,
            now,
            annulment_over,
        })
    }

    /// The reasons the marketplace offers for cancelling this order (may be none).
    pub async fn cancel_reasons(&self, actor: Actor, id: OrderId) -> AppResult<Vec<CancelReason>> {
        let card = self.order_card(actor, id).await?;
        if let Some(e) = refusal_of(&card, Action::Cancel) {
            return Err(e);
        }
        let cabinet = cabinets::live(&self.db, card.order.cabinet)
            .await?
            .ok_or(AppError::NotFound)?;
        let client = self.cabinets().client_for(&cabinet).await?;
        match client.cancel_reasons(&card.order.external_id).await {
            Ok(r) => Ok(r),
            Err(crate::marketplaces::Error::Unsupported(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// Presses an action on the card of `id` that showed `version`: queued once, then run
    /// at once.
    pub async fn request_action(
        &self,
        actor: Actor,
        id: OrderId,
        version: i64,
        action: Action,
        reason: Option<String>,
    ) -> AppResult<Requested> {
        let card = self.order_card(actor, id).await?;
        if card.order.version != version {
            return Ok(Requested::Stale(card));
        }
        if let Some(e) = refusal_of(&card, action) {
            return Err(e);
        }
        let payload = Payload {
            order: id,
            version,
            action,
            reason,
            message: None,
            actor: actor.user.0,
        };
        let dedupe = payload.dedupe();
        // Another action on this order is still waiting for its retry: that one first.
        if let Some(other) = jobs::open_with_prefix(
            &self.db,
            JobKind::OrderAction.code(),
            &format!("action:{id}:"),
        )
        .await?
            && other != dedupe
        {
            return Ok(Requested::AlreadyPending);
        }
        let now = self.now();
        // Pressed again after it failed for good: it is tried afresh.
        jobs::reopen_failed(&self.db, &dedupe, &payload.encode(), now).await?;
        let added = crate::app::jobs::queue(
            self.db.pool(),
            actor.workspace,
            Some(card.order.cabinet),
            &payload,
            now,
        )
        .await?;
        let claimed =
            jobs::claim_one(&self.db, &dedupe, &self.worker, now, now + LEASE_SECS).await?;
        let Some(job) = claimed else {
            // Someone pressed it first: that press is being sent or was.
            return Ok(if added {
                Requested::AlreadyPending
            } else {
                match jobs::state_of(&self.db, &dedupe).await?.as_deref() {
                    Some("done") => Requested::Stale(self.order_card(actor, id).await?),
                    _ => Requested::AlreadyPending,
                }
            });
        };
        let result = self.jobs().holding(&job, self.perform_action(&job)).await;
        let finished = self
            .jobs()
            .finish_job(&job, result.clone().map(|_| ()), RetryPolicy::default())
            .await?;
        Ok(match (result, finished) {
            (Ok(()), _) => Requested::Done(self.order_card(actor, id).await?),
            (Err(e), super::jobs::Finished::Retrying { .. }) => {
                Requested::Pending { error: e.message }
            }
            (Err(e), _) => {
                // The marketplace knows better than the card: read its word back at once.
                if let Err(import) = self.import_orders(card.order.cabinet).await {
                    tracing::warn!(error = %import, "re-reading orders after a refusal failed");
                }
                tracing::warn!(order = id.0, error = %e.message, "the marketplace refused an order action");
                Requested::Refused {
                    why: e.why.map_or(crate::domain::Rejection::Refused, |f| f.why),
                }
            }
        })
    }

    /// Runs an action job: sends the action to the marketplace and records what it did.
    pub async fn perform_action(&self, job: &jobs::Job) -> Result<(), JobError> {
        let p = Payload::of(job)?;
        self.send_action(job.workspace, job.runs, &p).await
    }

    /// A rule's step: sends `action` for an order at `version` as the system (no person),
    /// unless the order already is where the action would take it. `runs` above one means
    /// an earlier run may have sent it: the marketplace is asked first.
    pub(crate) async fn act_for_rule(
        &self,
        ws: WorkspaceId,
        runs: i64,
        order: &crate::domain::order::Order,
        action: Action,
        cancel: Option<(crate::domain::order::CancelWhy, &str)>,
    ) -> Result<(), JobError> {
        if order.unified == action.result() {
            return Ok(());
        }
        if !action.applies(order.marketplace, order.scheme, order.unified) {
            return Err(JobError {
                message: format!(
                    "{} does not apply to an order that is {}",
                    action.code(),
                    order.unified.code()
                ),
                fault: crate::app::jobs::Fault::Permanent,
                why: None,
            });
        }
        let (reason, message) = match cancel {
            Some((why, note)) => {
                let (id, message) =
                    crate::marketplaces::cancel_reason(order.marketplace, why, note);
                (Some(id), message)
            }
            None => (None, None),
        };
        let p = Payload {
            order: order.id,
            version: order.version,
            action,
            reason,
            message,
            actor: 0,
        };
        self.send_action(ws, runs, &p).await
    }

    async fn send_action(&self, ws: WorkspaceId, runs: i64, p: &Payload) -> Result<(), JobError> {
        let order = orders::get(&self.db, ws, p.order)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| JobError {
                message: "the order is gone".into(),
                fault: crate::app::jobs::Fault::Permanent,
                why: None,
            })?;
        if order.version != p.version && p.version != 0 {
            // The order moved since the press (the import saw the marketplace change it).
            if order.unified == p.action.result() {
                return Ok(()); // what was asked is what happened
            }
            if !p
                .action
                .applies(order.marketplace, order.scheme, order.unified)
            {
                return Err(JobError {
                    message: format!("the order is {} now", order.unified.code()),
                    fault: crate::app::jobs::Fault::Permanent,
                    why: None,
                });
            }
        }
        let cabinet = cabinets::live(&self.db, order.cabinet)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| JobError {
                message: "the cabinet is gone".into(),
                fault: crate::app::jobs::Fault::Permanent,
                why: None,
            })?;
        // A run after one that may have sent it asks the marketplace before sending again.
        let client = if runs > 1 {
            self.cabinets()
                .client_with(&cabinet, self.sync_http.resuming())
                .await?
        } else {
            self.cabinets().client_for(&cabinet).await?
        };
        let wire = crate::marketplaces::Order {
            id: order.external_id.clone(),
            number: order.number.clone(),
            shop: order.shop.clone(),
            alt_id: order.alt_id.clone(),
            scheme: order.scheme,
            status: order.status.clone(),
            substatus: Some(order.substatus.clone()).filter(|s| !s.is_empty()),
            created_at: chrono::DateTime::from_timestamp(order.created_at, 0).unwrap_or_default(),
            ship_by: order
                .ship_by
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0)),
            warehouse_id: None,
            items: order
                .items
                .iter()
                .map(|i| OrderItem {
                    sku: i.product.clone(),
                    vendor_code: i.vendor_code.clone(),
                    name: i.name.clone(),
                    quantity: i.quantity,
                    price: i.price,
                    barcode: i.barcode.clone(),
                })
                .collect(),
            cancel_reason: None,
        };
        let act = match p.action {
            Action::Confirm => OrderAction::Confirm,
            Action::Assemble => OrderAction::Assemble,
            Action::Ship => OrderAction::Ship,
            Action::Cancel => OrderAction::Cancel {
                reason_id: p.reason.clone().unwrap_or_default(),
                message: p.message.clone(),
            },
        };
        client.act(&wire, &act).await.map_err(AppError::from)?;
        let (status, substatus) = p.action.expected_status(order.marketplace);
        let mut tx = self.db.begin().await.map_err(AppError::from)?;
        let moved = orders::apply_action(
            &mut tx,
            order.id,
            order.version,
            status,
            substatus,
            p.action.result(),
            Some(TgUserId(p.actor)).filter(|a| a.0 != 0),
            self.now(),
        )
        .await
        .map_err(AppError::from)?;
        // Whoever did the step holds the order now; once it has left, nobody does.
        if p.action.result().is_open() && p.actor == 0 {
            // A rule did it: whoever held the order still does.
        } else if p.action.result().is_open() {
            crate::storage::labels::pass_claim(&mut tx, order.id, TgUserId(p.actor), self.now())
                .await
                .map_err(AppError::from)?;
        } else {
            crate::storage::labels::end_claim(&mut tx, order.id)
                .await
                .map_err(AppError::from)?;
        }
        if p.action.result() == UnifiedStatus::Packed {
            self.labels()
                .queue_label_push(
                    &mut tx,
                    order.workspace,
                    order.cabinet,
                    order.id,
                    order.marketplace,
                )
                .await?;
        }
        if moved {
            let mut after = order.clone();
            after.unified = p.action.result();
            let facts = crate::app::rules::order_facts(&after, self.now(), false);
            let status = after.unified;
            self.rules()
                .fire_in(
                    &mut tx,
                    order.workspace,
                    crate::domain::rules::Trigger::StatusReached { status },
                    &facts,
                    (Some(order.id), &format!("status:{}", status.code())),
                )
                .await?;
        }
        tx.commit().await.map_err(AppError::from)?;
        Ok(())
    }

    /// Tells owners and admins an action that failed for good.
    pub async fn raise_action_failed(&self, job: &jobs::Job) -> AppResult<()> {
        let Ok(p) = Payload::of(job) else {
            return Ok(());
        };
        let alert = Alert::ActionFailed {
            order: p.order,
            action: p.action.code().to_owned(),
        };
        self.alerts()
            .raise(job.workspace, job.cabinet, &alert)
            .await?;
        Ok(())
    }
}
