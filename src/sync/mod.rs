//! The scheduler: everything due runs from one `run_due` at the services' clock, so tests
//! drive it without sleeping: dialogues left unfinished for a day expire, each cabinet's
//! key is checked live once a day, and the job queue (`jobs.rs`: order imports per cabinet,
//! one-off actions) runs every job that is due.
//!
//! The queue is our own rather than apalis or a graphile_worker-style crate: apalis keeps a
//! storage per backend, each with its own schema and its own pool, and neither it nor the
//! others can add a job inside the `sqlx::Any` transaction that found the work on both
//! SQLite and PostgreSQL (an imported order and the action it asks for commit together or
//! not at all). Our queue is one table both backends share, claimed one job at a time
//! under a renewed lease. A cabinet's marketplace limits hold across processes by a lease
//! on the cabinet (a claim skips a cabinet another worker runs a job of), not by a bucket
//! in the database, which would cost a write per marketplace request.

pub mod jobs;

use std::sync::Arc;
use std::time::Duration;

use crate::app::Services;

/// Dialogues untouched for this long are reset.
pub const DIALOGUE_TTL_SECS: i64 = 24 * 3600;

/// What a scheduler pass did, for callers that report it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Chats whose unfinished dialogue expired.
    pub expired_dialogues: Vec<i64>,
    /// Cabinets whose key stopped working in this pass.
    pub broken_keys: Vec<crate::domain::CabinetId>,
    /// What the job queue did.
    pub jobs: jobs::JobsReport,
    /// Orders whose ship-by deadline came near in this pass.
    pub deadlines: u64,
    /// What the alert sender delivered after the pass.
    pub alerts: crate::notify::Report,
}

/// Keys checked live per maintenance run, so a run stays short.
pub const KEY_CHECKS_PER_PASS: i64 = 20;

/// Runs every job that is due at the services' clock, then the maintenance if it is this
/// process's turn (at most every [`MAINTENANCE_EVERY_SECS`] across all processes): expires
/// dialogues left for a day, checks each cabinet's key once a day (and at once after a
/// refusal), tells deadlines that came near, raises the daily summaries whose hour came,
/// and removes finished work kept long enough.
///
/// [`MAINTENANCE_EVERY_SECS`]: crate::app::jobs::MAINTENANCE_EVERY_SECS
pub async fn run_due(svc: &Services) -> Result<Report, crate::storage::StorageError> {
    let jobs = match jobs::run_jobs(svc).await {
        Ok(r) => r,
        Err(crate::app::AppError::Storage(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "the job queue failed");
            jobs::JobsReport::default()
        }
    };
    let upkeep = match svc.jobs().maintenance(|| maintain(svc)).await {
        Ok(Some(done)) => done?,
        Ok(None) => Upkeep::default(),
        Err(crate::app::AppError::Storage(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "claiming the maintenance failed");
            Upkeep::default()
        }
    };
    Ok(Report {
        expired_dialogues: upkeep.expired,
        broken_keys: upkeep.broken,
        jobs,
        deadlines: upkeep.deadlines,
        alerts: Default::default(),
    })
}

/// What the maintenance did.
#[derive(Default)]
struct Upkeep {
    expired: Vec<i64>,
    broken: Vec<crate::domain::CabinetId>,
    deadlines: u64,
}

async fn maintain(svc: &Services) -> Result<Upkeep, crate::storage::StorageError> {
    use crate::app::AppError;
    let cutoff = svc.clock.unix() - DIALOGUE_TTL_SECS;
    let expired = match svc.session().expire_dialogues(cutoff).await {
        Ok(chats) => chats,
        Err(AppError::Storage(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "expiring dialogues failed");
            Vec::new()
        }
    };
    let broken = match svc.cabinets().check_stored_keys(KEY_CHECKS_PER_PASS).await {
        Ok(b) => b,
        Err(AppError::Storage(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "key checks failed");
            Vec::new()
        }
    };
    if let Err(e) = svc.cabinets().check_key_expiry().await {
        match e {
            AppError::Storage(e) => return Err(e),
            e => tracing::error!(error = %e, "key expiry check failed"),
        }
    }
    let deadlines = match svc.alerts().raise_deadlines().await {
        Ok(n) => n,
        Err(AppError::Storage(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "deadline alerts failed");
            0
        }
    };
    match svc.finance().raise_summaries().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(summaries = n, "daily summaries raised"),
        Err(AppError::Storage(e)) => return Err(e),
        Err(e) => tracing::error!(error = %e, "daily summaries failed"),
    }
    for c in &broken {
        let event = format!("key:{}", svc.clock.unix().div_euclid(86_400));
        let trigger = crate::domain::rules::Trigger::KeyProblem;
        if let Err(e) = svc
            .rules()
            .fire_for_workspace(c.workspace, Some(c.id), trigger, &event)
            .await
        {
            tracing::error!(error = %e, "key problem rules failed");
        }
    }
    if let Err(e) = svc.rules().fire_daily().await {
        match e {
            AppError::Storage(e) => return Err(e),
            e => tracing::error!(error = %e, "daily rules failed"),
        }
    }
    match svc.jobs().forget_finished().await {
        Ok((0, 0)) => {}
        Ok((jobs, alerts)) => tracing::info!(jobs, alerts, "removed finished work"),
        Err(AppError::Storage(e)) => return Err(e),
        Err(e) => tracing::error!(error = %e, "removing finished work failed"),
    }
    Ok(Upkeep {
        expired,
        broken: broken.into_iter().map(|c| c.id).collect(),
        deadlines,
    })
}

/// How long to sleep before the next pass: until the next job is due (an order import
/// runs on its second, not at the next tick), at least a second (a job due but held by
/// another process is not polled for), at most `period`.
async fn next_pass(svc: &Services, period: Duration) -> Duration {
    let floor = Duration::from_secs(1).min(period);
    match svc.jobs().next_due_in().await {
        Ok(Some(secs)) => {
            Duration::from_secs(u64::try_from(secs).unwrap_or(0)).clamp(floor, period)
        }
        Ok(None) => period,
        Err(e) => {
            tracing::warn!(error = %e, "reading when the next job is due failed");
            period
        }
    }
}

/// The background loop: one pass per `period` until `stop` turns true. A pass in flight
/// finishes first (its jobs keep their leases until then); a process killed mid-pass loses
/// nothing either: the leases run out and the next pass takes the jobs again.
pub async fn run_forever<F, Fut>(
    svc: Arc<Services>,
    period: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
    on_report: F,
) where
    F: Fn(Report) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut wait = Duration::ZERO;
    loop {
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = svc.woken() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        match run_due(&svc).await {
            Ok(report) => on_report(report).await,
            Err(e) => tracing::error!(error = %e, "scheduler pass failed"),
        }
        wait = next_pass(&svc, period).await;
    }
}
