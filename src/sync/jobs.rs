//! Running the job queue: every job due now is claimed under this process's lease, run,
//! and its end recorded by the retry policy, until nothing is due. A process runs
//! `Services::lanes` jobs at once, each on a cabinet no other job is running on.

use crate::app::Services;
use crate::app::jobs::{Fault, Finished, JobError, JobKind};
use crate::app::orders::Imported;
use crate::domain::CabinetId;
use crate::domain::ids::OrderId;
use crate::domain::retry::RetryPolicy;
use crate::storage::jobs::Job;

/// Jobs a lane claims at once: one, so a job waiting behind a slow one stays free for
/// another lane or process, and a crash holds at most the jobs its lanes were running.
const BATCH: i64 = 1;

/// What running the queue did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobsReport {
    pub ran: usize,
    pub failed: usize,
    /// Orders imported for the first time, and orders whose status moved.
    pub new_orders: Vec<OrderId>,
    pub changed_orders: Vec<OrderId>,
    /// Cabinets whose sync has now failed through the whole main retry mode.
    pub failing_cabinets: Vec<CabinetId>,
}

impl JobsReport {
    fn add(&mut self, other: JobsReport) {
        self.ran += other.ran;
        self.failed += other.failed;
        self.new_orders.extend(other.new_orders);
        self.changed_orders.extend(other.changed_orders);
        self.failing_cabinets.extend(other.failing_cabinets);
    }
}

/// Runs every job due now, `svc.lanes` at a time.
pub async fn run_jobs(svc: &Services) -> Result<JobsReport, crate::app::AppError> {
    svc.jobs().ensure_sync_jobs().await?;
    let lanes = futures::future::join_all((0..svc.lanes.max(1)).map(|_| lane(svc))).await;
    let mut report = JobsReport::default();
    for lane in lanes {
        report.add(lane?);
    }
    Ok(report)
}

/// One lane: claims and runs one job after another until none is due.
async fn lane(svc: &Services) -> Result<JobsReport, crate::app::AppError> {
    let mut report = JobsReport::default();
    loop {
        let jobs = svc.jobs().claim_jobs(BATCH).await?;
        if jobs.is_empty() {
            return Ok(report);
        }
        for job in jobs {
            let result = svc
                .jobs()
                .holding(&job, run_one(svc, &job, &mut report))
                .await;
            if let Err(e) = &result {
                tracing::warn!(job = job.id, kind = %job.kind, error = %e.message, "a job failed");
            }
            report.ran += 1;
            // What the job raised goes out now, not after the whole pass.
            svc.wake_sender();
            let failure = result.as_ref().err().and_then(|e| e.why.clone());
            let fault = result.as_ref().err().map(|e| e.fault);
            let policy = match JobKind::parse(&job.kind) {
                Some(JobKind::Rule) => svc.rules().policy_of(&job).await?,
                _ => RetryPolicy::default(),
            };
            match svc.jobs().finish_job(&job, result, policy).await? {
                Finished::Done | Finished::LeaseLost => {}
                Finished::Retrying { report: first } => {
                    report.failed += 1;
                    if first && let Some(c) = job.cabinet {
                        svc.jobs().mark_sync_failing(c, failure.as_ref()).await?;
                        svc.alerts().raise_sync_failing(c, failure).await?;
                        report.failing_cabinets.push(c);
                    } else if fault == Some(Fault::Key)
                        && let Some(c) = job.cabinet
                    {
                        // No retry can help: the card says why at once, and the live key
                        // check the refusal made due tells the owners.
                        svc.jobs().mark_sync_failing(c, failure.as_ref()).await?;
                    }
                }
                Finished::Failed => {
                    report.failed += 1;
                    match JobKind::parse(&job.kind) {
                        Some(JobKind::OrderAction) => {
                            svc.orders().raise_action_failed(&job).await?;
                        }
                        Some(JobKind::PricePush) => {
                            if let Err(e) = svc.prices().give_up_price_push(&job).await {
                                tracing::warn!(job = job.id, error = %e.message, "giving up a price push failed");
                            }
                        }
                        Some(JobKind::Labels) => svc.labels().raise_labels_failed(&job).await?,
                        Some(JobKind::Rule) => svc.rules().step_failed(&job).await?,
                        _ => {}
                    }
                }
            }
        }
    }
}

async fn run_one(svc: &Services, job: &Job, report: &mut JobsReport) -> Result<(), JobError> {
    let Some(kind) = JobKind::parse(&job.kind) else {
        return Err(permanent(format!(
            "no runner for jobs of kind {:?}",
            job.kind
        )));
    };
    let cabinet = || {
        job.cabinet
            .ok_or_else(|| permanent(format!("a {} job without its cabinet", kind.code())))
    };
    match kind {
        JobKind::Orders => {
            let Imported {
                created, changed, ..
            } = svc.orders().import_orders(cabinet()?).await?;
            report.new_orders.extend(created);
            report
                .changed_orders
                .extend(changed.into_iter().map(|(id, _, _)| id));
            Ok(())
        }
        JobKind::Catalogue => {
            svc.catalogue().import_catalogue(cabinet()?).await?;
            Ok(())
        }
        JobKind::Stocks => {
            svc.stocks().push_stocks(cabinet()?).await?;
            Ok(())
        }
        JobKind::Fbo => {
            svc.stocks().read_fbo(cabinet()?).await?;
            Ok(())
        }
        JobKind::Prices => {
            svc.prices().read_prices(cabinet()?).await?;
            Ok(())
        }
        JobKind::OrderAction => svc.orders().perform_action(job).await.map(|_| ()),
        JobKind::PricePush => {
            cabinet()?;
            svc.prices().perform_price_push(job).await
        }
        JobKind::SyncNow => svc.catalogue().perform_sync_now(job).await,
        JobKind::Labels => svc.labels().perform_labels(job).await,
        JobKind::LabelPush => svc.labels().perform_label_push(job).await,
        JobKind::Rule => svc.rules().perform_step(job).await,
        JobKind::Finance => {
            svc.finance().read_finance(cabinet()?).await?;
            Ok(())
        }
    }
}

fn permanent(message: String) -> JobError {
    JobError {
        message,
        fault: Fault::Permanent,
        why: None,
    }
}
