//! The scheduler: periodic jobs run from one `run_due(now)` so tests can drive it without
//! sleeping. For now it expires dialogues left unfinished for a day and checks each
//! cabinet's key live once a day, recording the result in the cabinet's health.

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
}

/// Keys checked live per scheduler pass, so a pass stays short.
pub const KEY_CHECKS_PER_PASS: i64 = 20;

/// Runs every job that is due at the services' clock: expires dialogues left for a day
/// and checks each cabinet's key once a day.
pub async fn run_due(svc: &Services) -> Result<Report, crate::storage::StorageError> {
    let cutoff = svc.clock.unix() - DIALOGUE_TTL_SECS;
    let expired = match svc.expire_dialogues(cutoff).await {
        Ok(chats) => chats,
        Err(crate::app::AppError::Storage(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "expiring dialogues failed");
            Vec::new()
        }
    };
    let broken = match svc.check_stored_keys(KEY_CHECKS_PER_PASS).await {
        Ok(b) => b,
        Err(crate::app::AppError::Storage(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "key checks failed");
            Vec::new()
        }
    };
    Ok(Report {
        expired_dialogues: expired,
        broken_keys: broken.into_iter().map(|c| c.id).collect(),
    })
}

/// The background loop: one pass per `period` until the task is aborted.
pub async fn run_forever<F, Fut>(svc: Arc<Services>, period: Duration, on_report: F)
where
    F: Fn(Report) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match run_due(&svc).await {
            Ok(report) => on_report(report).await,
            Err(e) => tracing::error!(error = %e, "scheduler pass failed"),
        }
    }
}
