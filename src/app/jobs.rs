//! The job queue as use cases: the periodic jobs every enabled cabinet has, claiming due
//! jobs under a lease, and recording how a run ended by the retry policy (main mode, then
//! fallback mode; a one-off job then fails for good, a periodic one keeps its fallback pace).

use super::AppResult;
use crate::domain::retry::{Next, RetryPolicy};
use crate::storage::jobs::{self, Job, Outcome};
use crate::storage::{rate_buckets, ticks};

/// The maintenance tick: key checks, deadlines, dialogue expiry, removing finished work.
const MAINTENANCE: &str = "maintenance";
/// How often the maintenance runs (by whichever process claims it).
pub const MAINTENANCE_EVERY_SECS: i64 = 60;
/// Finished jobs and alerts removed per maintenance run.
const FORGET_BATCH: i64 = 1000;

/// Runs `work`, calling `renew` every third of a lease until it ends.
async fn renewing<F, R>(work: F, mut renew: impl FnMut() -> R) -> F::Output
where
    F: std::future::Future,
    R: std::future::Future<Output = ()>,
{
    let every = std::time::Duration::from_secs(u64::try_from(LEASE_SECS / 3).unwrap_or(10));
    let mut work = std::pin::pin!(work);
    loop {
        tokio::select! {
            out = &mut work => return out,
            () = tokio::time::sleep(every) => renew().await,
        }
    }
}

/// Every kind of background work, in one place: its name in the queue, and for the kinds
/// every cabinet runs on a period, the workspace setting that sets it. The runner matches
/// them exhaustively, so a new kind is added here and the compiler names what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// The periodic import of a cabinet's orders.
    Orders,
    /// The periodic catalogue import of a cabinet.
    Catalogue,
    /// The periodic stock push of a cabinet.
    Stocks,
    /// The periodic read-back of what a cabinet's marketplace holds in its own warehouses.
    Fbo,
    /// The periodic read-back of a cabinet's prices.
    Prices,
    /// One action on an order, pressed on its card.
    OrderAction,
    /// A sync someone asked for in chat: every cabinet now, then a report to that chat.
    SyncNow,
    /// The push of a cabinet's queued price changes.
    PricePush,
    /// A batch of labels for a chat.
    Labels,
    /// One order's label, pushed to the warehouse groups when it becomes packed.
    LabelPush,
    /// One step of an automation rule, for one event.
    Rule,
    /// The periodic reading of a cabinet's accruals (F10).
    Finance,
}

impl JobKind {
    pub const ALL: [JobKind; 12] = [
        JobKind::Orders,
        JobKind::Catalogue,
        JobKind::Stocks,
        JobKind::Fbo,
        JobKind::Prices,
        JobKind::OrderAction,
        JobKind::SyncNow,
        JobKind::PricePush,
        JobKind::Labels,
        JobKind::LabelPush,
        JobKind::Rule,
        JobKind::Finance,
    ];

    /// Its name in the queue (stored: never renamed).
    pub const fn code(self) -> &'static str {
        match self {
            JobKind::Orders => "orders",
            JobKind::Catalogue => "catalogue",
            JobKind::Stocks => "stocks",
            JobKind::Fbo => "fbo",
            JobKind::Prices => "prices",
            JobKind::OrderAction => "order-action",
            JobKind::SyncNow => "sync-now",
            JobKind::PricePush => "price-push",
            JobKind::Labels => "labels",
            JobKind::LabelPush => "label-push",
            JobKind::Rule => crate::storage::rules::KIND,
            JobKind::Finance => "finance",
        }
    }

    pub fn parse(code: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// For a kind every enabled cabinet runs on a period: the workspace column holding it.
    pub const fn period_column(self) -> Option<&'static str> {
        match self {
            JobKind::Orders => Some("orders_every_secs"),
            JobKind::Catalogue => Some("catalogue_every_secs"),
            JobKind::Stocks => Some("stocks_every_secs"),
            JobKind::Fbo => Some("fbo_every_secs"),
            JobKind::Prices => Some("prices_every_secs"),
            JobKind::Finance => Some("finance_every_secs"),
            JobKind::OrderAction
            | JobKind::SyncNow
            | JobKind::PricePush
            | JobKind::Labels
            | JobKind::LabelPush
            | JobKind::Rule => None,
        }
    }
}

/// How long a claimed job is its worker's without a word from it. A worker renews the
/// lease every third of it while the job runs, so a job is never taken from a live worker,
/// and a stopped worker's job is taken up by another within this.
pub const LEASE_SECS: i64 = 30;

/// How a failed run may go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// It may pass by itself (a timeout, a 5xx, a rate limit): tried again by the retry
    /// policy, never sooner than `after` seconds when the server asked for a wait.
    Transient { after: Option<i64> },
    /// The marketplace said no, or the work cannot be done: trying again cannot help.
    Permanent,
    /// The cabinet's key does not work (401) or may not do this (403): not tried again;
    /// the key is checked live at once, which marks the cabinet and tells the owners.
    Key,
}

impl Fault {
    /// Whether the retry policy tries again.
    pub fn retried(self) -> bool {
        matches!(self, Fault::Transient { .. })
    }
}

/// Why a run of a job failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    pub fault: Fault,
    /// Why the marketplace said no, when it did: what a person is told instead of its
    /// raw words (those go to the log).
    pub why: Option<crate::domain::Failure>,
}

impl JobError {
    pub fn retry(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            fault: Fault::Transient { after: None },
            why: None,
        }
    }
}

impl From<super::AppError> for JobError {
    fn from(e: super::AppError) -> JobError {
        use crate::marketplaces::Error as Mp;
        let fault = match &e {
            super::AppError::Marketplace(m) => match m {
                Mp::Unauthorized { .. } | Mp::Forbidden { .. } => Fault::Key,
                Mp::RateLimited { retry_after } => Fault::Transient {
                    after: retry_after.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
                },
                Mp::Api {
                    status: 400..=499, ..
                }
                | Mp::Invalid(_)
                | Mp::Unsupported(_) => Fault::Permanent,
                Mp::Api { .. } | Mp::Decode { .. } | Mp::Transport { .. } => {
                    Fault::Transient { after: None }
                }
            },
            // Making the file again makes the same file.
            super::AppError::Render(_) => Fault::Permanent,
            _ => Fault::Transient { after: None },
        };
        let why = match &e {
            super::AppError::Marketplace(m) => Some(crate::domain::Failure {
                why: m.rejection(),
                request: m.endpoint().map(str::to_owned),
                status: m.status(),
            }),
            _ => None,
        };
        JobError {
            message: e.to_string(),
            fault,
            why,
        }
    }
}

/// What a one-off job carries. Each kind of one-off work has one payload type, which names
/// its kind and the key that keeps two asks for the same work one job (`ON CONFLICT
/// (dedupe)`); a job is queued and read back only through it, so the runner never meets a
/// payload of another kind's shape.
pub trait Payload: serde::Serialize + serde::de::DeserializeOwned {
    const KIND: JobKind;

    /// The key that keeps the work one job.
    fn dedupe(&self) -> String;

    /// As stored in the queue.
    fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a claimed job's payload: a job of another kind, or one that does not read
    /// (a row from a release that wrote another shape), fails for good.
    fn of(job: &Job) -> Result<Self, JobError> {
        let permanent = |message: String| JobError {
            message,
            fault: Fault::Permanent,
            why: None,
        };
        if job.kind != Self::KIND.code() {
            return Err(permanent(format!(
                "a {} job read as {}",
                job.kind,
                Self::KIND.code()
            )));
        }
        serde_json::from_str(&job.payload)
            .map_err(|e| permanent(format!("a {} job that does not read: {e}", job.kind)))
    }
}

/// Queues a one-off job due at `due_at`, in the transaction that found the work when
/// `exec` is one; returns whether it was added (the same key queued before stays the only
/// one).
pub async fn queue<'e, E, P>(
    exec: E,
    ws: crate::domain::WorkspaceId,
    cabinet: Option<crate::domain::CabinetId>,
    p: &P,
    due_at: i64,
) -> AppResult<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
    P: Payload,
{
    Ok(jobs::add_once(
        exec,
        ws,
        cabinet,
        P::KIND.code(),
        &p.dedupe(),
        &p.encode(),
        due_at,
    )
    .await?)
}

/// How a run ended, once recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    Done,
    /// Failed this time; it will be tried again. `report` is set the first time a periodic
    /// job has failed through the whole main mode.
    Retrying {
        report: bool,
    },
    /// A one-off job that failed through all its tries.
    Failed,
    /// Another worker holds the job now (our lease ran out): nothing was recorded.
    LeaseLost,
}

impl crate::app::rooms::Jobs<'_> {
    /// Records in a cabinet's health that its sync keeps failing.
    pub async fn mark_sync_failing(
        &self,
        cabinet: crate::domain::CabinetId,
        failure: Option<&crate::domain::Failure>,
    ) -> AppResult<()> {
        Ok(
            crate::storage::cabinets::record_sync_failure(&self.db, cabinet, failure, self.now())
                .await?,
        )
    }

    /// Makes every waiting job due now (`mpbot console`'s `:run`).
    pub async fn make_jobs_due(&self) -> AppResult<u64> {
        Ok(jobs::make_all_due(&self.db, self.now()).await?)
    }

    /// How long until the next waiting job is due, in seconds (0 when one is due now).
    pub async fn next_due_in(&self) -> AppResult<Option<i64>> {
        Ok(jobs::next_due(&self.db)
            .await?
            .map(|at| (at - self.now()).max(0)))
    }

    /// How many jobs are being run now, by this process or another.
    pub async fn jobs_in_flight(&self) -> AppResult<i64> {
        Ok(jobs::in_flight(&self.db, self.now()).await?)
    }

    /// Makes sure every enabled cabinet has its periodic jobs.
    pub async fn ensure_sync_jobs(&self) -> AppResult<u64> {
        let now = self.now();
        let mut n = 0;
        for kind in JobKind::ALL {
            if let Some(column) = kind.period_column() {
                n += jobs::ensure_periodic(&self.db, kind.code(), column, now).await?;
            }
        }
        Ok(n)
    }

    /// Runs `work` for a claimed job, renewing the job's lease every third of it until the
    /// work ends: a slow job stays ours, and a job whose worker died is free again soon.
    /// A job on a cabinet starts from the rate-limit buckets the previous job on it left,
    /// in whichever process that ran, and leaves its own for the next.
    pub async fn holding<F: std::future::Future>(&self, job: &Job, work: F) -> F::Output {
        let Some(cabinet) = job.cabinet else {
            return self.renewed(job, work).await;
        };
        let given = rate_buckets::levels(&self.db, cabinet)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(job = job.id, error = %e, "reading a cabinet's rate buckets failed");
                Vec::new()
            });
        let handover = crate::ratelimit::Handover::new(given);
        let out = self.renewed(job, handover.run(work)).await;
        if let Err(e) = rate_buckets::keep(&self.db, cabinet, &handover.left()).await {
            tracing::warn!(job = job.id, error = %e, "keeping a cabinet's rate buckets failed");
        }
        out
    }

    async fn renewed<F: std::future::Future>(&self, job: &Job, work: F) -> F::Output {
        renewing(work, || {
            let until = self.now() + LEASE_SECS;
            let (db, worker, id) = (&self.db, &self.worker, job.id);
            async move {
                match jobs::renew(db, id, worker, until).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(job = id, "a running job's lease was lost"),
                    Err(e) => tracing::warn!(job = id, error = %e, "renewing a job's lease failed"),
                }
            }
        })
        .await
    }

    /// Runs the maintenance every workspace needs (`work`) if it is due and no other
    /// process runs it now, under a lease renewed while it runs; `None` when it was not
    /// this process's turn.
    pub async fn maintenance<F: std::future::Future>(
        &self,
        work: impl FnOnce() -> F,
    ) -> AppResult<Option<F::Output>> {
        let now = self.now();
        let mine = ticks::claim(
            &self.db,
            MAINTENANCE,
            &self.worker,
            now,
            now + LEASE_SECS,
            now + MAINTENANCE_EVERY_SECS,
        )
        .await?;
        if !mine {
            return Ok(None);
        }
        Ok(Some(
            renewing(work(), || {
                let until = self.now() + LEASE_SECS;
                let (db, worker) = (&self.db, &self.worker);
                async move {
                    if let Err(e) = ticks::renew(db, MAINTENANCE, worker, until).await {
                        tracing::warn!(error = %e, "renewing the maintenance lease failed");
                    }
                }
            })
            .await,
        ))
    }

    /// Removes jobs that finished and alerts that were told longer ago than the deployment
    /// keeps them, a batch at a time; returns how many of each.
    pub async fn forget_finished(&self) -> AppResult<(u64, u64)> {
        let before = self.now() - self.keep_finished_secs;
        let jobs = jobs::forget_finished(&self.db, before, FORGET_BATCH).await?;
        let skipped = crate::storage::rules::forget_skipped(&self.db, before, FORGET_BATCH).await?;
        let alerts =
            crate::storage::outbox::forget_finished(&self.db, before, FORGET_BATCH).await?;
        Ok((jobs + skipped, alerts))
    }

    /// Claims up to `limit` jobs due now for this process.
    pub async fn claim_jobs(&self, limit: i64) -> AppResult<Vec<Job>> {
        let now = self.now();
        Ok(jobs::claim(&self.db, &self.worker, now, now + LEASE_SECS, limit).await?)
    }

    /// Records how a run of `job` ended.
    pub async fn finish_job(
        &self,
        job: &Job,
        result: Result<(), JobError>,
        policy: RetryPolicy,
    ) -> AppResult<Finished> {
        let now = self.now();
        let (outcome, finished) = match result {
            Ok(()) => (
                Outcome::Done {
                    next: job.period_secs.map(|p| now + p.max(1)),
                },
                Finished::Done,
            ),
            Err(JobError {
                message: error,
                fault,
                ..
            }) => {
                let failures = job.failures + 1;
                let next = match fault {
                    Fault::Transient { after } => match policy.after(failures) {
                        Next::RetryIn(s) => Next::RetryIn(s.max(after.unwrap_or(0))),
                        Next::GiveUp => Next::GiveUp,
                    },
                    Fault::Permanent | Fault::Key => Next::GiveUp,
                };
                if let (Fault::Key, Some(cabinet)) = (fault, job.cabinet) {
                    crate::storage::cabinets::check_key_now(self.db.pool(), cabinet, now).await?;
                }
                match (next, job.period_secs) {
                    (Next::GiveUp, None) => (Outcome::Failed { failures, error }, Finished::Failed),
                    (next, period) => {
                        let wait = match next {
                            Next::RetryIn(s) => s,
                            Next::GiveUp => policy.fallback_every_secs,
                        };
                        let wait = match period {
                            // A periodic job never waits longer than its fallback pace.
                            Some(_) => wait.min(policy.fallback_every_secs),
                            None => wait,
                        };
                        let report =
                            period.is_some() && !job.reported && policy.main_exhausted(failures);
                        let outcome = Outcome::Retry {
                            retry_at: now + wait,
                            failures,
                            error,
                            reported: job.reported || report,
                        };
                        (outcome, Finished::Retrying { report })
                    }
                }
            }
        };
        if !jobs::finish(&self.db, job.id, &self.worker, &outcome, now).await? {
            return Ok(Finished::LeaseLost);
        }
        Ok(finished)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marketplaces::Error as Mp;

    fn fault(e: Mp) -> Fault {
        JobError::from(super::super::AppError::Marketplace(e)).fault
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Probe {
        n: i64,
    }

    impl Payload for Probe {
        const KIND: JobKind = JobKind::LabelPush;
        fn dedupe(&self) -> String {
            format!("probe:{}", self.n)
        }
    }

    fn job(kind: JobKind, payload: &str) -> Job {
        Job {
            id: 1,
            workspace: crate::domain::WorkspaceId(1),
            cabinet: None,
            kind: kind.code().to_owned(),
            dedupe: String::new(),
            payload: payload.to_owned(),
            period_secs: None,
            failures: 0,
            runs: 1,
            reported: false,
        }
    }

    #[test]
    fn a_payload_reads_back_only_from_a_job_of_its_kind() {
        let p = Probe { n: 7 };
        assert_eq!(Probe::of(&job(JobKind::LabelPush, &p.encode())), Ok(p));
        let other = Probe::of(&job(JobKind::Labels, r#"{"n":7}"#)).expect_err("another kind");
        assert_eq!(other.fault, Fault::Permanent);
        let garbled = Probe::of(&job(JobKind::LabelPush, "{")).expect_err("garbled");
        assert_eq!(garbled.fault, Fault::Permanent);
    }

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.code()), Some(k));
        }
        assert_eq!(JobKind::parse("nothing"), None);
    }

    #[test]
    fn a_failure_is_typed_by_what_trying_again_can_do() {
        let api = |status| Mp::Api {
            status,
            code: String::new(),
            message: String::new(),
            endpoint: "ozon.fbs-list",
        };
        assert_eq!(
            fault(Mp::Unauthorized {
                message: "x".into()
            }),
            Fault::Key
        );
        assert_eq!(
            fault(Mp::Forbidden {
                message: "x".into()
            }),
            Fault::Key
        );
        assert_eq!(
            fault(Mp::RateLimited {
                retry_after: Some(std::time::Duration::from_secs(90))
            }),
            Fault::Transient { after: Some(90) }
        );
        assert_eq!(fault(api(404)), Fault::Permanent);
        assert_eq!(fault(api(503)), Fault::Transient { after: None });
        assert_eq!(
            fault(Mp::Transport {
                message: "timeout".into(),
                maybe_sent: true
            }),
            Fault::Transient { after: None }
        );
        assert!(Fault::Transient { after: None }.retried());
        assert!(!Fault::Key.retried() && !Fault::Permanent.retried());
    }
}
