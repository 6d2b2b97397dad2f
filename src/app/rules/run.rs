//! Running a rule's step from the queue: the step is done (each kind safe to run again),
//! the next one queued before this one is recorded as done, and a step that fails for good
//! tells the rule's chat once, starts the alternative rule and may pause the rule.

use super::StepPayload;
use crate::app::AppResult;
use crate::app::jobs::{Fault, JobError};
use crate::domain::alerts::Alert;
use crate::domain::order::Action;
use crate::domain::retry::RetryPolicy;
use crate::domain::rules::{Policy, Rule, Step};
use crate::domain::{Role, TgChatId, TgUserId, WorkspaceId};
use crate::storage::jobs::Job;
use crate::storage::{members, outbox, rules};

fn permanent(message: impl Into<String>) -> JobError {
    JobError {
        message: message.into(),
        fault: Fault::Permanent,
        why: None,
    }
}

fn payload_of(job: &Job) -> Result<StepPayload, JobError> {
    <StepPayload as crate::app::jobs::Payload>::of(job)
}

impl crate::app::rooms::Rules<'_> {
    /// How a step of this job is tried again: its rule's policy (the seed's default when
    /// the rule is gone).
    pub async fn policy_of(&self, job: &Job) -> AppResult<RetryPolicy> {
        let Ok(p) = payload_of(job) else {
            return Ok(Policy::default().retry());
        };
        Ok(rules::get(&self.db, job.workspace, p.rule)
            .await?
            .map(|r| r.policy)
            .unwrap_or_default()
            .retry())
    }

    /// Runs one step of a rule, then queues the next.
    pub async fn perform_step(&self, job: &Job) -> Result<(), JobError> {
        let p = payload_of(job)?;
        let Some(rule) = rules::get(&self.db, job.workspace, p.rule)
            .await
            .map_err(crate::app::AppError::from)?
        else {
            return Ok(()); // deleted since: nothing is left to do
        };
        let Some(step) = rule.steps.get(p.step) else {
            return Ok(());
        };
        let order = match p.order {
            Some(id) => crate::storage::orders::get(&self.db, job.workspace, id)
                .await
                .map_err(crate::app::AppError::from)?,
            None => None,
        };
        if step.needs_order() && order.is_none() {
            return Err(permanent("the order is gone"));
        }
        let ws = job.workspace;
        let key = job.dedupe.clone();
        match (step, &order) {
            (Step::SetStatus { status }, Some(o)) => {
                self.set_status(ws, o, *status).await?;
            }
            (Step::Push { action }, Some(o)) => {
                self.orders()
                    .act_for_rule(ws, job.runs, o, *action, None)
                    .await?;
            }
            (Step::Cancel { why, note }, Some(o)) => {
                let cancel = Some((*why, note.as_str()));
                self.orders()
                    .act_for_rule(ws, job.runs, o, Action::Cancel, cancel)
                    .await?;
            }
            (Step::Hold { on }, Some(o)) => {
                let mut tx = self.db.begin().await.map_err(crate::app::AppError::from)?;
                crate::storage::stocks::set_hold(&mut tx, ws, o.id, *on)
                    .await
                    .map_err(crate::app::AppError::from)?;
                tx.commit().await.map_err(crate::app::AppError::from)?;
            }
            (Step::Labels { chat }, Some(o)) => {
                if !o.unified.is_open() {
                    return Err(permanent(format!("the order is {} now", o.unified.code())));
                }
                let document = self.labels().label_document(ws, o).await?;
                let alert = Alert::LabelReady {
                    order: o.id,
                    document,
                };
                self.tell(ws, *chat, &alert, &format!("{key}:label"))
                    .await?;
            }
            (Step::NotifyChat { chat, text }, _) => {
                let alert = notice(&rule, &p, text);
                self.tell(ws, *chat, &alert, &format!("{key}:note")).await?;
            }
            (Step::NotifyRoles { roles, text }, _) => {
                let alert = notice(&rule, &p, text);
                for user in self.members_with(ws, roles).await? {
                    let dedupe = format!("{key}:note:{}", user.0);
                    self.tell(ws, TgChatId(user.0), &alert, &dedupe).await?;
                }
            }
            (Step::NotifyEmail { email, text, .. }, _) => {
                let alert = notice(&rule, &p, text);
                let now = self.now();
                let mut tx = self.db.begin().await.map_err(crate::app::AppError::from)?;
                crate::storage::outbox::raise_to_email(
                    &mut tx,
                    ws,
                    *email,
                    &alert,
                    &format!("{key}:mail"),
                    now,
                )
                .await
                .map_err(crate::app::AppError::from)?;
                tx.commit().await.map_err(crate::app::AppError::from)?;
            }
            (Step::Wait { .. }, _) => {}
            (
                Step::SetStatus { .. }
                | Step::Push { .. }
                | Step::Labels { .. }
                | Step::Cancel { .. }
                | Step::Hold { .. },
                None,
            ) => {}
        }
        // The next step is queued before this one is recorded as done: a crash in between
        // runs this one again (it is safe to), never loses the next.
        let wait = match step {
            Step::Wait { secs } => *secs,
            _ => 0,
        };
        if p.step + 1 < rule.steps.len() {
            let next = StepPayload {
                step: p.step + 1,
                ..p.clone()
            };
            let mut tx = self.db.begin().await.map_err(crate::app::AppError::from)?;
            self.queue_step(&mut tx, ws, &next, self.now() + wait, &rule)
                .await?;
            tx.commit().await.map_err(crate::app::AppError::from)?;
        } else {
            rules::succeeded(&self.db, rule.id)
                .await
                .map_err(crate::app::AppError::from)?;
        }
        Ok(())
    }

    /// A rule set an order's status here; the status reached is an event in its turn.
    async fn set_status(
        &self,
        ws: WorkspaceId,
        o: &crate::domain::order::Order,
        status: crate::domain::UnifiedStatus,
    ) -> Result<(), JobError> {
        if o.unified == status {
            return Ok(());
        }
        let now = self.now();
        let mut tx = self.db.begin().await.map_err(crate::app::AppError::from)?;
        let moved = crate::storage::orders::apply_action(
            &mut tx,
            o.id,
            o.version,
            &o.status,
            &o.substatus,
            status,
            None,
            now,
        )
        .await
        .map_err(crate::app::AppError::from)?;
        if !moved {
            // The import moved it meanwhile: tried again on what it is now.
            return Err(JobError::retry(
                "the order changed while its status was set",
            ));
        }
        let mut after = o.clone();
        after.unified = status;
        let facts = super::order_facts(&after, now, false);
        self.fire_in(
            &mut tx,
            ws,
            crate::domain::rules::Trigger::StatusReached { status },
            &facts,
            (Some(o.id), &format!("status:{}", status.code())),
        )
        .await?;
        tx.commit().await.map_err(crate::app::AppError::from)?;
        Ok(())
    }

    async fn members_with(&self, ws: WorkspaceId, roles: &[Role]) -> AppResult<Vec<TgUserId>> {
        Ok(members::list(&self.db, ws)
            .await?
            .into_iter()
            .filter(|m| roles.contains(&m.role))
            .map(|m| m.user)
            .collect())
    }

    /// Raises an alert to one chat, once for its key.
    async fn tell(
        &self,
        ws: WorkspaceId,
        chat: TgChatId,
        alert: &Alert,
        dedupe: &str,
    ) -> AppResult<()> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        outbox::raise_to(&mut tx, ws, chat, alert, dedupe, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A step failed for good: its rule's chat (or its owners and admins) hears it once,
    /// the alternative rule runs for the same event, and the rule pauses itself after
    /// too many failures in a row, telling the owners and admins.
    pub async fn step_failed(&self, job: &Job) -> AppResult<()> {
        let Ok(p) = payload_of(job) else {
            return Ok(());
        };
        let ws = job.workspace;
        let Some(rule) = rules::get(&self.db, ws, p.rule).await? else {
            return Ok(());
        };
        let step = rule.steps.get(p.step).map_or("", Step::code).to_owned();
        let alert = Alert::RuleFailed {
            rule: rule.id,
            name: rule.name.clone(),
            order: p.order,
            step,
            error: crate::storage::jobs::last_error(&self.db, &job.dedupe)
                .await?
                .unwrap_or_default(),
        };
        let key = format!("rule-failed:{}", job.id);
        self.tell_rule_chat(ws, &rule, &alert, &key).await?;
        if let Some(alt) = rule.policy.alternative
            && let Some(alternative) = rules::get(&self.db, ws, alt).await?
            && alternative.id != rule.id
        {
            let first = StepPayload {
                rule: alternative.id,
                order: p.order,
                cabinet: p.cabinet,
                event: format!("alt:{}", job.id),
                step: 0,
            };
            let mut tx = self.db.begin().await?;
            self.queue_step(&mut tx, ws, &first, self.now(), &alternative)
                .await?;
            tx.commit().await?;
            self.wake_scheduler();
        }
        if rules::failed(&self.db, rule.id, rule.policy.pause_after, self.now()).await? {
            let alert = Alert::RulePaused {
                rule: rule.id,
                name: rule.name.clone(),
                fails: rule.fails_in_row + 1,
            };
            let key = format!("rule-paused:{}", job.id);
            for user in self.members_with(ws, &[Role::Owner, Role::Admin]).await? {
                self.tell(ws, TgChatId(user.0), &alert, &format!("{key}:{}", user.0))
                    .await?;
            }
        }
        self.wake_sender();
        Ok(())
    }

    async fn tell_rule_chat(
        &self,
        ws: WorkspaceId,
        rule: &Rule,
        alert: &Alert,
        key: &str,
    ) -> AppResult<()> {
        match rule.chat() {
            Some(chat) => self.tell(ws, chat, alert, key).await,
            None => {
                for user in self.members_with(ws, &[Role::Owner, Role::Admin]).await? {
                    self.tell(ws, TgChatId(user.0), alert, &format!("{key}:{}", user.0))
                        .await?;
                }
                Ok(())
            }
        }
    }
}

fn notice(rule: &Rule, p: &StepPayload, text: &str) -> Alert {
    Alert::RuleNotice {
        rule: rule.id,
        name: rule.name.clone(),
        order: p.order,
        text: text.to_owned(),
    }
}
