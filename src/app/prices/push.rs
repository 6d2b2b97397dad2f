//! Pushing confirmed prices (F6): a cabinet's queued changes go out in the batches its
//! marketplace's client cuts (each API's maximum, within its rate limits), a later change
//! of a product replacing an earlier one still queued; Ozon's limit of 10 updates per
//! product an hour holds the rest queued until their hour comes round. The prices are read
//! back and each change marked applied, rejected with the marketplace's reason, or still
//! pending; every confirmation's chat hears how its changes went. A row stays queued until
//! its marketplace answered, so a restart sends it again (the same price twice is harmless).

use crate::domain::ids::{ProductId, SkuId};
use std::collections::HashMap;

use crate::app::AppError;
use crate::app::jobs::{JobError, JobKind};
use crate::domain::alerts::{Alert, PriceMove};
use crate::domain::{CabinetId, Marketplace, Money, TgChatId};
use crate::marketplaces::{MarketplaceApi, PriceUpdate};
use crate::storage::catalogue as cat;
use crate::storage::jobs::{self, Job};
use crate::storage::outbox;
use crate::storage::price_changes::{self, Change};

/// Ozon takes at most this many price updates of one product an hour.
pub const OZON_PER_HOUR: usize = 10;
/// Our own reasons, told in the chat's language.
pub const CABINET_OFF: &str = "mpbot:cabinet-off";
pub const UNREACHABLE: &str = "mpbot:unreachable";
pub const SAME_CARD: &str = "mpbot:same-card";
/// Refusals named in a report, at most.
const NAMED: usize = 10;
/// Changes named in a group's alert, at most.
const MOVES: usize = 5;

/// A run of a cabinet's price push: its queued changes are what it sends.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PushRun {
    /// (Rows of an older release carry none: the job's own cabinet is the one.)
    #[serde(default)]
    pub cabinet: i64,
}

impl crate::app::jobs::Payload for PushRun {
    const KIND: JobKind = JobKind::PricePush;

    /// One waiting run per cabinet: a later confirmation brings it forward instead.
    fn dedupe(&self) -> String {
        format!("{}:{}", JobKind::PricePush.code(), self.cabinet)
    }
}

/// How far a change moves the price, in basis points of the old one (0 when unknown).
fn jump(r: &Change) -> i64 {
    match r.old_price {
        Some(old) if old.0 > 0 => ((r.new_price.0 - old.0).abs() * 10_000) / old.0,
        _ => 0,
    }
}

/// How one confirmation's changes went on a cabinet in one run.
#[derive(Debug, Default)]
struct Tally {
    chat: i64,
    applied: i64,
    pending: i64,
    waiting: i64,
    wait_until: Option<i64>,
    rejected: Vec<(String, String)>,
    rejected_count: i64,
}

impl crate::app::rooms::Prices<'_> {
    /// Runs a cabinet's price push.
    pub async fn perform_price_push(&self, job: &Job) -> Result<(), JobError> {
        let Some(cabinet) = job.cabinet else {
            return Ok(());
        };
        self.push_prices(job, cabinet, None).await
    }

    /// A push that failed through all its tries: its queued changes are refused as
    /// unreachable and their chats told.
    pub async fn give_up_price_push(&self, job: &Job) -> Result<(), JobError> {
        let Some(cabinet) = job.cabinet else {
            return Ok(());
        };
        self.push_prices(job, cabinet, Some(UNREACHABLE)).await
    }

    async fn push_prices(
        &self,
        job: &Job,
        cabinet: CabinetId,
        refuse_all: Option<&str>,
    ) -> Result<(), JobError> {
        let now = self.now();
        let live = crate::storage::cabinets::live(&self.db, cabinet)
            .await
            .map_err(AppError::from)?
            .filter(|c| c.enabled);
        let refuse_all = refuse_all.or(live.is_none().then_some(CABINET_OFF));
        let rows = price_changes::queued(&self.db, cabinet)
            .await
            .map_err(AppError::from)?;
        // The latest change of each product goes; earlier ones are replaced.
        let mut latest: HashMap<ProductId, i64> = HashMap::new();
        for r in &rows {
            latest.insert(r.product, r.id);
        }
        let (mut rows, replaced): (Vec<Change>, Vec<Change>) =
            rows.into_iter().partition(|r| latest[&r.product] == r.id);
        let mut deferred = Vec::new();
        if refuse_all.is_none() && live.as_ref().map(|c| c.marketplace) == Some(Marketplace::Ozon) {
            let mut sent: HashMap<ProductId, Vec<i64>> = HashMap::new();
            for (p, at) in price_changes::sent_since(&self.db, cabinet, now - 3600)
                .await
                .map_err(AppError::from)?
            {
                sent.entry(p).or_default().push(at);
            }
            for r in rows.iter_mut() {
                let Some(times) = sent.get_mut(&r.product) else {
                    continue;
                };
                if times.len() >= OZON_PER_HOUR {
                    times.sort_unstable();
                    let at = times[times.len() - OZON_PER_HOUR] + 3600;
                    if r.not_before <= now {
                        deferred.push(r.id);
                    }
                    r.not_before = r.not_before.max(at);
                }
            }
        }
        let (ready, waiting): (Vec<Change>, Vec<Change>) =
            rows.into_iter().partition(|r| r.not_before <= now);
        // What each ready change got: Ok(shown price after) or Err(reason).
        let mut answers: HashMap<i64, Result<(), String>> = HashMap::new();
        if let Some(reason) = refuse_all {
            for r in &ready {
                answers.insert(r.id, Err(reason.to_owned()));
            }
        } else if let Some(c) = &live
            && !ready.is_empty()
        {
            let products: HashMap<ProductId, cat::ProductRow> = cat::products_of(&self.db, cabinet)
                .await
                .map_err(AppError::from)?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
            let mut updates: Vec<PriceUpdate> = Vec::new();
            // A WB card's sizes share one price: two different prices for one card in one
            // run cannot both be right, so the later is refused.
            let mut seen: HashMap<String, (Money, Money)> = HashMap::new();
            for r in &ready {
                let Some(p) = products.get(&r.product) else {
                    answers.insert(r.id, Err(CABINET_OFF.to_owned()));
                    continue;
                };
                match seen.get(&p.external_id) {
                    None => {
                        seen.insert(p.external_id.clone(), (r.new_price, r.new_before));
                        updates.push(PriceUpdate {
                            product: crate::marketplaces::ProductRef::from(p),
                            price: r.new_price,
                            old_price: (r.new_before > r.new_price).then_some(r.new_before),
                            min_price: None,
                        });
                    }
                    Some(v) if *v != (r.new_price, r.new_before) => {
                        answers.insert(r.id, Err(SAME_CARD.to_owned()));
                    }
                    Some(_) => {}
                }
            }
            let client = self.cabinets().client_for(c).await?;
            match client.update_prices(&updates).await {
                Ok(outcomes) => {
                    let errors: HashMap<String, Option<String>> = outcomes
                        .into_iter()
                        .map(|o| (o.key.to_lowercase(), o.error))
                        .collect();
                    for r in &ready {
                        if answers.contains_key(&r.id) {
                            continue;
                        }
                        let key = products
                            .get(&r.product)
                            .map(|p| p.vendor_code.to_lowercase())
                            .unwrap_or_default();
                        let e = errors.get(&key).cloned().flatten();
                        answers.insert(r.id, e.map_or(Ok(()), Err));
                    }
                }
                Err(e) => {
                    let je = JobError::from(AppError::from(e));
                    if je.fault.retried() {
                        return Err(je);
                    }
                    for r in &ready {
                        answers
                            .entry(r.id)
                            .or_insert_with(|| Err(je.message.clone()));
                    }
                }
            }
        }
        // Read back what the marketplace shows now.
        let accepted: Vec<&Change> = ready
            .iter()
            .filter(|r| matches!(answers.get(&r.id), Some(Ok(()))))
            .collect();
        let shown: HashMap<ProductId, Money> = if accepted.is_empty() {
            HashMap::new()
        } else {
            match self.read_prices(cabinet).await {
                Ok(_) => {}
                Err(e) => tracing::warn!(cabinet = cabinet.0, error = %e, "price read-back failed"),
            }
            crate::storage::prices::of_cabinet(&self.db, cabinet)
                .await
                .map_err(AppError::from)?
                .into_iter()
                .map(|(p, row)| (p, row.after_discount))
                .collect()
        };
        // The few changes a group hears of by name: the largest moves accepted.
        let mut moves: Vec<&Change> = ready
            .iter()
            .filter(|r| matches!(answers.get(&r.id), Some(Ok(()))))
            .collect();
        moves.sort_by_key(|r| std::cmp::Reverse(jump(r)));
        moves.truncate(MOVES);
        // The SKU codes the reports name: those moves, and the refusals each chat hears of.
        let mut named: Vec<SkuId> = moves.iter().filter_map(|r| r.sku).collect();
        let mut per_batch: HashMap<i64, usize> = HashMap::new();
        for r in &ready {
            if matches!(answers.get(&r.id), Some(Err(_))) {
                let n = per_batch.entry(r.batch).or_default();
                if *n < NAMED {
                    *n += 1;
                    named.extend(r.sku);
                }
            }
        }
        let mut codes: HashMap<SkuId, String> = HashMap::new();
        for id in named {
            if let std::collections::hash_map::Entry::Vacant(slot) = codes.entry(id)
                && let Some(s) = cat::sku(&self.db, job.workspace, id)
                    .await
                    .map_err(AppError::from)?
            {
                slot.insert(s.code);
            }
        }
        let mut tallies: HashMap<i64, Tally> = HashMap::new();
        let now = self.now();
        // Everything this run learnt is kept at once, with the reports: a run cut short
        // leaves its changes queued, and sending the same prices again is harmless.
        let mut tx = self.db.begin().await.map_err(AppError::from)?;
        let mut run = price_changes::Run {
            replaced: replaced.iter().map(|r| r.id).collect(),
            deferred: waiting.iter().map(|r| (r.id, r.not_before)).collect(),
            ..Default::default()
        };
        for r in &ready {
            let t = tallies.entry(r.batch).or_default();
            t.chat = r.chat;
            match answers.get(&r.id) {
                Some(Ok(())) => {
                    run.overtaking.push(r.product);
                    if shown.get(&r.product) == Some(&r.new_price) {
                        t.applied += 1;
                        run.applied.push(r.id);
                    } else {
                        t.pending += 1;
                        run.pending.push(r.id);
                    }
                }
                Some(Err(e)) => {
                    run.refused.push((r.id, e.as_str()));
                    t.rejected_count += 1;
                    if t.rejected.len() < NAMED {
                        let code = r
                            .sku
                            .and_then(|s| codes.get(&s).cloned())
                            .unwrap_or_default();
                        t.rejected.push((code, e.clone()));
                    }
                }
                None => {}
            }
        }
        price_changes::record_run(&mut tx, &run, now)
            .await
            .map_err(AppError::from)?;
        for r in waiting.iter() {
            // Told once: when the run that held it back also sent others of its batch, or
            // when it was first held back.
            if tallies.contains_key(&r.batch) || deferred.contains(&r.id) {
                let t = tallies.entry(r.batch).or_default();
                t.chat = r.chat;
                t.waiting += 1;
                t.wait_until = Some(t.wait_until.map_or(r.not_before, |w| w.max(r.not_before)));
            }
        }
        let changes = moves
            .iter()
            .map(|r| PriceMove {
                sku: r
                    .sku
                    .and_then(|s| codes.get(&s).cloned())
                    .unwrap_or_default(),
                old: r.old_price.map(|m| m.0),
                new: r.new_price.0,
            })
            .collect();
        self.tell_followers(&mut tx, job, cabinet, &ready, &run, changes)
            .await?;
        let name = live.as_ref().map(|c| c.name.clone()).unwrap_or_default();
        for (batch, t) in tallies {
            let alert = Alert::PricesApplied {
                cabinet: name.clone(),
                applied: t.applied,
                pending: t.pending,
                waiting: t.waiting,
                wait_until: t.wait_until,
                rejected: t.rejected,
                rejected_count: t.rejected_count,
            };
            outbox::raise_to(
                &mut tx,
                job.workspace,
                TgChatId(t.chat),
                &alert,
                &format!("prices:{batch}:{}:{}", cabinet.0, job.id),
                now,
            )
            .await
            .map_err(AppError::from)?;
        }
        jobs::release_key(&mut *tx, job.id)
            .await
            .map_err(AppError::from)?;
        // What is still queued (held back, or confirmed while this run went) gets its run.
        if let Some(next) = price_changes::next_due(&mut tx, cabinet)
            .await
            .map_err(AppError::from)?
        {
            crate::app::jobs::queue(
                &mut *tx,
                job.workspace,
                Some(cabinet),
                &PushRun { cabinet: cabinet.0 },
                next,
            )
            .await?;
        }
        tx.commit().await.map_err(AppError::from)?;
        Ok(())
    }

    /// Tells the groups and members who follow price changes how this run went on the
    /// cabinet, apart from the chats that confirmed (they get their own report).
    async fn tell_followers(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        job: &Job,
        cabinet: CabinetId,
        ready: &[Change],
        run: &price_changes::Run<'_>,
        changes: Vec<PriceMove>,
    ) -> Result<(), JobError> {
        // Every ready change got its answer in this run.
        let Some(first) = ready.iter().map(|r| r.id).min() else {
            return Ok(());
        };
        let mut by = Vec::new();
        let mut chats = Vec::new();
        for r in ready {
            if !chats.contains(&TgChatId(r.chat)) {
                chats.push(TgChatId(r.chat));
            }
            let Some(u) = r.user else { continue };
            let name = crate::storage::users::get(&self.db, u)
                .await
                .map_err(AppError::from)?
                .map(|x| x.first_name)
                .unwrap_or_else(|| u.0.to_string());
            if !by.contains(&name) {
                by.push(name);
            }
        }
        let alert = Alert::PricesChanged {
            cabinet: cabinet.0,
            applied: run.applied.len() as i64,
            rejected: run.refused.len() as i64,
            pending: run.pending.len() as i64,
            by,
            changes,
        };
        let dedupe = format!("prices-changed:{}:{first}", cabinet.0);
        outbox::raise(
            tx,
            job.workspace,
            Some(cabinet),
            &alert,
            &dedupe,
            self.now(),
        )
        .await
        .map_err(AppError::from)?;
        outbox::spare(tx, &dedupe, &chats)
            .await
            .map_err(AppError::from)?;
        let facts = crate::domain::rules::Facts {
            cabinet: Some(cabinet),
            now: self.now(),
            ..Default::default()
        };
        self.rules()
            .fire_in(
                tx,
                job.workspace,
                crate::domain::rules::Trigger::PriceApplied,
                &facts,
                (None, &dedupe),
            )
            .await?;
        Ok(())
    }
}
