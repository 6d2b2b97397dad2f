//! `/queue` as use cases: where the rules' steps stand (waiting, running, retrying in the
//! main or the reserve mode, failed, skipped, done today), and Retry, Skip and Run now on
//! one of them. Managers may steer the queue; owners and admins too.

use std::collections::HashMap;

use super::StepPayload;
use crate::app::{Actor, AppError, AppResult, audit_by};
use crate::domain::rules::{Mode, Policy, Rule};
use crate::domain::{AuditAction, AuditNote, Permission};
use crate::storage::rules::{self, Item};

/// Steps listed at most.
const LISTED: i64 = 500;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Waiting,
    Running,
    Retrying,
    Reserve,
    Failed,
    Skipped,
    Done,
}

/// One step as `/queue` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub item: Item,
    pub standing: Standing,
    /// The step's kind (`Step::code`), when its rule still has it.
    pub step: Option<&'static str>,
    pub step_no: usize,
    /// Tries its policy allows in all.
    pub tries: i64,
}

/// Counts by standing (done: today).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub waiting: usize,
    pub running: usize,
    pub retrying: usize,
    pub reserve: usize,
    pub failed: usize,
    pub skipped: usize,
    pub done: usize,
}

/// What a press on a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steered {
    Done,
    /// It is running now: nothing was changed.
    Running,
    /// It has ended (done or skipped): nothing was changed.
    Ended,
}

fn standing(item: &Item, policy: &Policy) -> Standing {
    match item.state.as_str() {
        "done" => Standing::Done,
        "failed" => Standing::Failed,
        "skipped" => Standing::Skipped,
        _ if item.running => Standing::Running,
        _ => match policy.mode(item.failures) {
            Mode::First => Standing::Waiting,
            Mode::Main => Standing::Retrying,
            Mode::Reserve => Standing::Reserve,
        },
    }
}

impl crate::app::rooms::Rules<'_> {
    /// The company's time zone, for the queue's times.
    pub async fn zone(&self, actor: Actor) -> AppResult<crate::domain::Zone> {
        actor.require(Permission::ManageOrders)?;
        self.zone_of(actor.workspace).await
    }

    async fn entries(&self, actor: Actor) -> AppResult<Vec<Entry>> {
        actor.require(Permission::ManageOrders)?;
        let ws = actor.workspace;
        let now = self.now();
        let zone = self.zone_of(ws).await?;
        let since = zone
            .local_day(now)
            .and_then(|d| zone.day_start(d))
            .unwrap_or(now - 86_400);
        let by_id: HashMap<i64, Rule> = rules::list(&self.db, ws)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let items = rules::items(&self.db, ws, since, now, LISTED).await?;
        Ok(items.into_iter().map(|item| entry(item, &by_id)).collect())
    }

    /// Counts by standing and the steps a person may act on (failed, retrying, waiting),
    /// the newest first.
    pub async fn queue(&self, actor: Actor) -> AppResult<(Counts, Vec<Entry>)> {
        let all = self.entries(actor).await?;
        let mut c = Counts::default();
        for e in &all {
            match e.standing {
                Standing::Waiting => c.waiting += 1,
                Standing::Running => c.running += 1,
                Standing::Retrying => c.retrying += 1,
                Standing::Reserve => c.reserve += 1,
                Standing::Failed => c.failed += 1,
                Standing::Skipped => c.skipped += 1,
                Standing::Done => c.done += 1,
            }
        }
        let rank = |s: Standing| match s {
            Standing::Failed => 0,
            Standing::Reserve => 1,
            Standing::Retrying => 2,
            Standing::Running => 3,
            _ => 4,
        };
        let mut open: Vec<Entry> = all
            .into_iter()
            .filter(|e| !matches!(e.standing, Standing::Done | Standing::Skipped))
            .collect();
        open.sort_by_key(|e| (rank(e.standing), -e.item.id));
        Ok((c, open))
    }

    /// One step, with everything about it.
    pub async fn queue_entry(&self, actor: Actor, id: i64) -> AppResult<Entry> {
        actor.require(Permission::ManageOrders)?;
        let item = rules::item(&self.db, actor.workspace, id, self.now())
            .await?
            .ok_or(AppError::NotFound)?;
        let by_id: HashMap<i64, Rule> = rules::list(&self.db, actor.workspace)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        Ok(entry(item, &by_id))
    }

    /// Retry (a failed or retrying step) or Run now (a waiting one): due at once.
    pub async fn retry_step(&self, actor: Actor, id: i64) -> AppResult<Steered> {
        let e = self.queue_entry(actor, id).await?;
        match e.standing {
            Standing::Running => return Ok(Steered::Running),
            Standing::Done | Standing::Skipped => return Ok(Steered::Ended),
            _ => {}
        }
        if !rules::retry_now(&self.db, actor.workspace, id, self.now()).await? {
            return Ok(Steered::Running);
        }
        self.audit_step(actor, &e).await?;
        self.wake_scheduler();
        Ok(Steered::Done)
    }

    /// Skip: the step ends without running, and its rule goes no further for this event.
    pub async fn skip_step(&self, actor: Actor, id: i64) -> AppResult<Steered> {
        let e = self.queue_entry(actor, id).await?;
        match e.standing {
            Standing::Running => return Ok(Steered::Running),
            Standing::Done | Standing::Skipped => return Ok(Steered::Ended),
            _ => {}
        }
        if !rules::skip(&self.db, actor.workspace, id, self.now()).await? {
            return Ok(Steered::Running);
        }
        self.audit_step(actor, &e).await?;
        Ok(Steered::Done)
    }

    async fn audit_step(&self, actor: Actor, e: &Entry) -> AppResult<()> {
        let name = match (&e.item.rule_name, &e.item.number) {
            (Some(r), Some(n)) => format!("{r} · {n}"),
            (Some(r), None) => r.clone(),
            _ => format!("#{}", e.item.id),
        };
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::QueueChanged,
            &AuditNote::Name { name },
            self.now(),
        )
        .await
    }
}

fn entry(item: Item, rules: &HashMap<i64, Rule>) -> Entry {
    let rule = item.rule.and_then(|id| rules.get(&id));
    let policy = rule.map(|r| r.policy).unwrap_or_default();
    let step_no = serde_json::from_str::<StepPayload>(&item.payload)
        .map(|p| p.step)
        .unwrap_or_default();
    let step = rule.and_then(|r| r.steps.get(step_no)).map(|s| s.code());
    Entry {
        standing: standing(&item, &policy),
        step,
        step_no,
        tries: 1 + policy.main_tries + policy.reserve_tries,
        item,
    }
}
