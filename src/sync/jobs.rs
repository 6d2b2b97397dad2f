//! Running the job queue: every job due now is claimed under this process's lease, run,
//! and its end recorded by the retry policy, until nothing is due.

use crate::app::Services;
use crate::app::jobs::{Fault, Finished, JobError, ORDER_ACTION, ORDERS};
use crate::app::orders::Imported;
use crate::domain::CabinetId;
use crate::domain::ids::OrderId;
use crate::domain::retry::RetryPolicy;
use crate::storage::jobs::Job;

/// Jobs claimed at once: one, so a job waiting behind a slow one stays free for another
/// process, and a crash holds at most the job it was running.
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

/// Runs every job due now.
pub async fn run_jobs(svc: &Services) -> Result<JobsReport, crate::app::AppError> {
    let mut report = JobsReport::default();
    svc.jobs().ensure_sync_jobs().await?;
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
            let failure = result.as_ref().err().and_then(|e| e.why.clone());
            let fault = result.as_ref().err().map(|e| e.fault);
            match svc
                .jobs()
                .finish_job(&job, result, RetryPolicy::default())
                .await?
            {
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
                    if job.kind == ORDER_ACTION {
                        svc.orders().raise_action_failed(&job).await?;
                    }
                    if job.kind == crate::app::prices::PRICE_PUSH
                        && let Err(e) = svc.prices().give_up_price_push(&job).await
                    {
                        tracing::warn!(job = job.id, error = %e.message, "giving up a price push failed");
                    }
                    if job.kind == crate::app::labels::LABELS {
                        svc.labels().raise_labels_failed(&job).await?;
                    }
                }
            }
        }
    }
}

async fn run_one(svc: &Services, job: &Job, report: &mut JobsReport) -> Result<(), JobError> {
    match (job.kind.as_str(), job.cabinet) {
        (ORDERS, Some(cabinet)) => {
            let Imported {
                created, changed, ..
            } = svc.orders().import_orders(cabinet).await?;
            report.new_orders.extend(created);
            report
                .changed_orders
                .extend(changed.into_iter().map(|(id, _, _)| id));
            Ok(())
        }
        (ORDER_ACTION, _) => svc.orders().perform_action(job).await.map(|_| ()),
        (crate::app::catalogue::CATALOGUE, Some(cabinet)) => {
            svc.catalogue().import_catalogue(cabinet).await?;
            Ok(())
        }
        (crate::app::stocks::STOCKS, Some(cabinet)) => {
            svc.stocks().push_stocks(cabinet).await?;
            Ok(())
        }
        (crate::app::prices::PRICES, Some(cabinet)) => {
            svc.prices().read_prices(cabinet).await?;
            Ok(())
        }
        (crate::app::stocks::fbo::FBO, Some(cabinet)) => {
            svc.stocks().read_fbo(cabinet).await?;
            Ok(())
        }
        (crate::app::prices::PRICE_PUSH, Some(_)) => svc.prices().perform_price_push(job).await,
        (crate::app::catalogue::SYNC_NOW, _) => svc.catalogue().perform_sync_now(job).await,
        (crate::app::labels::LABELS, _) => svc.labels().perform_labels(job).await,
        (crate::app::labels::LABEL_PUSH, _) => svc.labels().perform_label_push(job).await,
        (kind, _) => Err(JobError {
            message: format!("no runner for jobs of kind {kind:?}"),
            fault: crate::app::jobs::Fault::Permanent,
            why: None,
        }),
    }
}
