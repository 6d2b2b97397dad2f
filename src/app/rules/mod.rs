//! Automation rules (F8): owners and admins make them from templates or step by step; an
//! event that happens (in the transaction that found it) queues the first step of every
//! active rule whose conditions hold, deduplicated by rule, order, event and step. The
//! steps run in the one job queue (`run.rs`); people see and steer them in `/queue`
//! (`queue.rs`).

pub mod queue;
pub mod run;

use serde::{Deserialize, Serialize};

use super::{Actor, AppError, AppResult, audit_by};
use crate::domain::order::Order;
use crate::domain::rules::{Condition, Facts, Rule, Step, Template, Trigger};
use crate::domain::{
    AuditAction, AuditNote, CabinetId, OrderId, Permission, TgChatId, WorkspaceId,
};
use crate::storage::rules;

/// What a queued step carries: which rule, about what, for which event, which step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepPayload {
    pub rule: i64,
    pub order: Option<OrderId>,
    pub cabinet: Option<CabinetId>,
    /// The event, as it dedupes: `created`, `status:packed`, `daily:2026-12-07`, ….
    pub event: String,
    pub step: usize,
}

impl crate::app::jobs::Payload for StepPayload {
    const KIND: crate::app::jobs::JobKind = crate::app::jobs::JobKind::Rule;

    /// One run of one step: the same event never runs a rule's step twice.
    fn dedupe(&self) -> String {
        let order = self.order.map_or_else(|| "-".to_owned(), |o| o.to_string());
        format!("rule:{}:{order}:{}:{}", self.rule, self.event, self.step)
    }
}

/// Why a rule was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    NoSteps,
    /// A step names a chat that is not one of the company's groups.
    ForeignChat,
    /// A step names an address that is not one of the company's confirmed ones.
    ForeignEmail,
    /// A step works on an order, and the event carries none.
    NeedsOrder,
    /// A condition names a cabinet that is not one of the company's.
    ForeignCabinet,
}

/// A linked group a rule may send to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupChoice {
    pub chat: TgChatId,
    pub title: String,
}

/// What an event carries about an order.
pub fn order_facts(o: &Order, now: i64, assembled: bool) -> Facts {
    Facts {
        cabinet: Some(o.cabinet),
        marketplace: Some(o.marketplace),
        scheme: Some(o.scheme),
        status: Some(o.unified),
        sum: Some(o.total),
        codes: o.items.iter().map(|i| i.vendor_code.clone()).collect(),
        placed_at: Some(o.created_at),
        assembled,
        now,
    }
}

impl crate::app::rooms::Rules<'_> {
    /// The company's rules, the first to run first.
    pub async fn list(&self, actor: Actor) -> AppResult<Vec<Rule>> {
        actor.require(Permission::ManageSettings)?;
        Ok(rules::list(&self.db, actor.workspace).await?)
    }

    pub async fn rule(&self, actor: Actor, id: i64) -> AppResult<Rule> {
        actor.require(Permission::ManageSettings)?;
        rules::get(&self.db, actor.workspace, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The company's groups, for a step that sends to one.
    pub async fn groups(&self, actor: Actor) -> AppResult<Vec<GroupChoice>> {
        actor.require(Permission::ManageSettings)?;
        Ok(crate::storage::chats::groups_of(&self.db, actor.workspace)
            .await?
            .into_iter()
            .filter(|c| c.active)
            .map(|c| GroupChoice {
                chat: c.id,
                title: c.title,
            })
            .collect())
    }

    /// Whether a rule may be kept as it is.
    pub async fn check(&self, actor: Actor, rule: &Rule) -> AppResult<Result<(), Invalid>> {
        if rule.steps.is_empty() {
            return Ok(Err(Invalid::NoSteps));
        }
        if !rule.trigger.about_order() && rule.steps.iter().any(Step::needs_order) {
            return Ok(Err(Invalid::NeedsOrder));
        }
        let groups = self.groups(actor).await?;
        let ours = |chat: TgChatId| groups.iter().any(|g| g.chat == chat);
        if rule.steps.iter().filter_map(Step::chat).any(|c| !ours(c)) {
            return Ok(Err(Invalid::ForeignChat));
        }
        for c in &rule.conditions {
            if let Condition::Cabinet { cabinet } = c
                && crate::storage::cabinets::get(&self.db, actor.workspace, *cabinet)
                    .await?
                    .is_none()
            {
                return Ok(Err(Invalid::ForeignCabinet));
            }
        }
        let addresses = crate::storage::emails::list(&self.db, actor.workspace).await?;
        for s in &rule.steps {
            if let Step::NotifyEmail { email, .. } = s
                && !addresses.iter().any(|a| a.id == *email && a.confirmed)
            {
                return Ok(Err(Invalid::ForeignEmail));
            }
        }
        Ok(Ok(()))
    }

    /// Keeps a new rule (checked), active as it says; returns its id.
    pub async fn create(&self, actor: Actor, rule: &Rule) -> AppResult<Result<i64, Invalid>> {
        actor.require(Permission::ManageSettings)?;
        if let Err(why) = self.check(actor, rule).await? {
            return Ok(Err(why));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let id = rules::insert(&mut *tx, actor.workspace, rule, actor.user, now).await?;
        let note = AuditNote::Name {
            name: rule.name.clone(),
        };
        audit_by(&mut *tx, actor, AuditAction::RulesChanged, &note, now).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// A template turned on: a rule of its own, in the company's words.
    pub async fn from_template(
        &self,
        actor: Actor,
        template: Template,
        (name, text): (String, String),
        chat: Option<TgChatId>,
    ) -> AppResult<Result<i64, Invalid>> {
        self.create(actor, &template.rule(name, text, chat)).await
    }

    /// Pauses or resumes a rule (a resumed rule's failures in a row are forgotten).
    pub async fn set_active(&self, actor: Actor, id: i64, active: bool) -> AppResult<Rule> {
        let rule = self.rule(actor, id).await?;
        let now = self.now();
        rules::set_active(&self.db, actor.workspace, id, active, now).await?;
        self.audit_rule(actor, &rule).await?;
        self.rule(actor, id).await
    }

    /// Writes a changed rule (checked).
    pub async fn update(&self, actor: Actor, rule: &Rule) -> AppResult<Result<(), Invalid>> {
        self.rule(actor, rule.id).await?;
        if let Err(why) = self.check(actor, rule).await? {
            return Ok(Err(why));
        }
        if !rules::update(&self.db, actor.workspace, rule, self.now()).await? {
            return Err(AppError::NotFound);
        }
        self.audit_rule(actor, rule).await?;
        Ok(Ok(()))
    }

    pub async fn delete(&self, actor: Actor, id: i64) -> AppResult<Rule> {
        let rule = self.rule(actor, id).await?;
        if !rules::delete(&self.db, actor.workspace, id, self.now()).await? {
            return Err(AppError::NotFound);
        }
        self.audit_rule(actor, &rule).await?;
        Ok(rule)
    }

    async fn audit_rule(&self, actor: Actor, rule: &Rule) -> AppResult<()> {
        let note = AuditNote::Name {
            name: rule.name.clone(),
        };
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::RulesChanged,
            &note,
            self.now(),
        )
        .await
    }

    /// Queues the first step of every active rule of `ws` that `trigger` with these facts
    /// matches, inside the transaction that found the event; returns how many.
    pub(crate) async fn fire_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        ws: WorkspaceId,
        trigger: Trigger,
        facts: &Facts,
        (order, event): (Option<OrderId>, &str),
    ) -> AppResult<u64> {
        let mut queued = 0;
        for rule in rules::active_for(&mut **tx, ws, trigger.code()).await? {
            if !rule.matches(trigger, facts) {
                continue;
            }
            let p = StepPayload {
                rule: rule.id,
                order,
                cabinet: facts.cabinet,
                event: event.to_owned(),
                step: 0,
            };
            if self.queue_step(tx, ws, &p, self.now(), &rule).await? {
                queued += 1;
            }
        }
        if queued > 0 {
            self.wake_scheduler();
        }
        Ok(queued)
    }

    /// An order's event, in its own transaction.
    pub async fn fire_for_order(
        &self,
        order: &Order,
        trigger: Trigger,
        event: &str,
        assembled: bool,
    ) -> AppResult<u64> {
        let facts = order_facts(order, self.now(), assembled);
        let mut tx = self.db.begin().await?;
        let n = self
            .fire_in(
                &mut tx,
                order.workspace,
                trigger,
                &facts,
                (Some(order.id), event),
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// An event about a cabinet or the company (a key problem, prices applied, low stock).
    pub async fn fire_for_workspace(
        &self,
        ws: WorkspaceId,
        cabinet: Option<CabinetId>,
        trigger: Trigger,
        event: &str,
    ) -> AppResult<u64> {
        let facts = Facts {
            cabinet,
            now: self.now(),
            ..Facts::default()
        };
        let mut tx = self.db.begin().await?;
        let n = self
            .fire_in(&mut tx, ws, trigger, &facts, (None, event))
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The rules an order's "Run now" may start: the active button rules whose conditions
    /// hold for it.
    pub async fn button_rules(&self, actor: Actor, order: &Order) -> AppResult<Vec<Rule>> {
        actor.require(Permission::ManageOrders)?;
        let facts = order_facts(order, self.now(), false);
        Ok(
            rules::active_for(self.db.pool(), actor.workspace, Trigger::Button.code())
                .await?
                .into_iter()
                .filter(|r| r.matches(Trigger::Button, &facts))
                .collect(),
        )
    }

    /// "Run now" on an order: the rule's first step is queued at once (one run per press
    /// of the card's version: a double tap runs it once).
    pub async fn run_on_order(&self, actor: Actor, order: OrderId, rule: i64) -> AppResult<bool> {
        actor.require(Permission::ManageOrders)?;
        let o = crate::storage::orders::get(&self.db, actor.workspace, order)
            .await?
            .ok_or(AppError::NotFound)?;
        let r = rules::get(&self.db, actor.workspace, rule)
            .await?
            .filter(|r| r.active && r.trigger == Trigger::Button)
            .ok_or(AppError::NotFound)?;
        let p = StepPayload {
            rule: r.id,
            order: Some(o.id),
            cabinet: Some(o.cabinet),
            event: format!("button:{}", o.version),
            step: 0,
        };
        let mut tx = self.db.begin().await?;
        let queued = self
            .queue_step(&mut tx, actor.workspace, &p, self.now(), &r)
            .await?;
        tx.commit().await?;
        self.wake_scheduler();
        Ok(queued)
    }

    /// Queues every daily rule whose time has come today in its company's zone and has
    /// not run today (the maintenance does this each minute).
    pub async fn fire_daily(&self) -> AppResult<u64> {
        let now = self.now();
        let mut queued = 0;
        for (ws, rule) in rules::daily(&self.db).await? {
            let Trigger::Daily { minute } = rule.trigger else {
                continue;
            };
            let zone = self.zone_of(ws).await?;
            if zone.minute_of_day(now) < minute {
                continue;
            }
            let facts = Facts {
                now,
                ..Facts::default()
            };
            if !rule.matches(rule.trigger, &facts) {
                continue;
            }
            let p = StepPayload {
                rule: rule.id,
                order: None,
                cabinet: None,
                event: format!("daily:{}", zone.date(now)),
                step: 0,
            };
            let mut tx = self.db.begin().await?;
            if self.queue_step(&mut tx, ws, &p, now, &rule).await? {
                queued += 1;
            }
            tx.commit().await?;
        }
        Ok(queued)
    }

    /// Queues one step of a rule, due at `at`.
    pub(crate) async fn queue_step(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        ws: WorkspaceId,
        p: &StepPayload,
        at: i64,
        _rule: &Rule,
    ) -> AppResult<bool> {
        use crate::app::jobs::Payload as _;
        Ok(rules::add_step(
            &mut **tx,
            ws,
            p.cabinet,
            p.rule,
            p.order,
            &p.dedupe(),
            &p.encode(),
            at,
        )
        .await?)
    }
}
