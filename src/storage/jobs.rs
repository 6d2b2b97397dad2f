//! The job queue: periodic jobs (one per cabinet and kind) and one-off jobs (one per dedupe
//! key), claimed with a lease so a crash, a restart or a second process never loses or
//! doubles one. PostgreSQL claims with `FOR UPDATE SKIP LOCKED`; SQLite's single-statement
//! update is atomic under its write lock.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Db, Result};
use crate::domain::{CabinetId, WorkspaceId};

/// A job as claimed by a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub workspace: WorkspaceId,
    pub cabinet: Option<CabinetId>,
    pub kind: String,
    pub dedupe: String,
    pub payload: String,
    /// Seconds between runs; `None` for a one-off job.
    pub period_secs: Option<i64>,
    /// Failures in a row before this run.
    pub failures: i64,
    /// Times the job was claimed, this run included: above one, an earlier run may have
    /// done its work before it was cut short.
    pub runs: i64,
    pub reported: bool,
}

const RETURNING: &str = "RETURNING id, workspace_id, cabinet_id, kind, dedupe, payload, period_secs, failures, runs, reported";

fn from_row(r: &AnyRow) -> Result<Job> {
    Ok(Job {
        id: r.try_get("id")?,
        workspace: WorkspaceId(r.try_get("workspace_id")?),
        cabinet: r.try_get::<Option<i64>, _>("cabinet_id")?.map(CabinetId),
        kind: r.try_get("kind")?,
        dedupe: r.try_get("dedupe")?,
        payload: r.try_get("payload")?,
        period_secs: r.try_get("period_secs")?,
        failures: r.try_get("failures")?,
        runs: r.try_get("runs")?,
        reported: r.try_get::<i64, _>("reported")? != 0,
    })
}

/// Makes sure every enabled live cabinet has its periodic job of `kind`, due at once when
/// new, every `period_column` seconds of its workspace; returns how many were created.
pub async fn ensure_periodic(db: &Db, kind: &str, period_column: &str, now: i64) -> Result<u64> {
    let created = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO jobs (workspace_id, cabinet_id, kind, dedupe, payload, period_secs, due_at, created_at, updated_at) \
         SELECT c.workspace_id, c.id, $1, $1 || ':' || CAST(c.id AS TEXT), '{{}}', w.{period_column}, $2, $2, $2 \
         FROM cabinets c JOIN workspaces w ON w.id = c.workspace_id \
         WHERE c.enabled = 1 AND c.archived_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.dedupe = $1 || ':' || CAST(c.id AS TEXT)) \
         ON CONFLICT (dedupe) DO NOTHING"
    )))
    .bind(kind)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected();
    // A workspace's setting applies to its jobs from their next run on; rows already right
    // are left alone (an idle pass writes nothing).
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET period_secs = (SELECT w.{period_column} FROM workspaces w WHERE w.id = jobs.workspace_id) \
         WHERE kind = $1 AND period_secs IS NOT NULL \
         AND period_secs <> (SELECT w.{period_column} FROM workspaces w WHERE w.id = jobs.workspace_id)"
    )))
    .bind(kind)
    .execute(db.pool())
    .await?;
    Ok(created)
}

/// Adds a one-off job; a job with the same dedupe key already queued (or done) stays the
/// only one. Returns whether it was added.
pub async fn add_once<'e, E>(
    exec: E,
    ws: WorkspaceId,
    cabinet: Option<CabinetId>,
    kind: &str,
    dedupe: &str,
    payload: &str,
    due_at: i64,
) -> Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let added = sqlx::query(
        "INSERT INTO jobs (workspace_id, cabinet_id, kind, dedupe, payload, period_secs, due_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $6, $6) ON CONFLICT (dedupe) DO NOTHING",
    )
    .bind(ws.0)
    .bind(cabinet.map(|c| c.0))
    .bind(kind)
    .bind(dedupe)
    .bind(payload)
    .bind(due_at)
    .execute(exec)
    .await?
    .rows_affected();
    Ok(added > 0)
}

/// Brings a waiting job with this key forward to `at` (a later ask that cannot wait for it).
pub async fn hasten<'e, E>(exec: E, dedupe: &str, at: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE jobs SET due_at = $2 WHERE dedupe = $1 AND due_at > $2")
        .bind(dedupe)
        .bind(at)
        .execute(exec)
        .await?;
    Ok(())
}

/// Frees a one-off job's dedupe key once it has run, so the same ask may be queued again.
pub async fn release_key<'e, E>(exec: E, id: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE jobs SET dedupe = dedupe || ':' || CAST(id AS TEXT) WHERE id = $1")
        .bind(id)
        .execute(exec)
        .await?;
    Ok(())
}

/// Claims up to `limit` jobs due at `now` for `worker` until `lease_until`, none of them on
/// a cabinet a job is running on (another process's, or another lane's of this one). A job
/// of a whole workspace (labels for several cabinets, a rule's message) and the jobs of
/// that workspace's cabinets wait for each other: labels read while an import of the same
/// orders runs would race it for their status.
pub async fn claim(
    db: &Db,
    worker: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<Job>> {
    // A cabinet whose job is running waits: one job at a time talks to a cabinet, so its
    // marketplace's limits hold (the buckets travel with the cabinet, see `rate_buckets`).
    // PostgreSQL claims one at a time under a lock held to the commit: two claims made
    // together would each see the other's cabinet as free (a row lock guards only the row).
    let mut tx = db.begin().await?;
    let lock = match db.backend() {
        Backend::Postgres => {
            sqlx::query("SELECT pg_advisory_xact_lock(7240231)")
                .execute(&mut *tx)
                .await?;
            " FOR UPDATE SKIP LOCKED"
        }
        Backend::Sqlite => "",
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET lease_owner = $1, lease_until = $2, updated_at = $3, runs = runs + 1 \
         WHERE id IN (SELECT j.id FROM jobs j WHERE j.state = 'ready' AND j.due_at <= $3 \
         AND (j.lease_until IS NULL OR j.lease_until < $3) \
         AND NOT EXISTS (SELECT 1 FROM jobs o WHERE o.state = 'ready' AND o.lease_until >= $3 \
         AND (o.cabinet_id = j.cabinet_id OR (o.workspace_id = j.workspace_id \
         AND (j.cabinet_id IS NULL OR o.cabinet_id IS NULL)))) \
         ORDER BY j.due_at, j.id LIMIT $4{lock}) {RETURNING}"
    )))
    .bind(worker)
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut jobs: Vec<Job> = rows.iter().map(from_row).collect::<Result<_>>()?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// Claims the one job with this dedupe key when it is due and free (an action pressed just
/// now runs at once, still under a lease).
pub async fn claim_one(
    db: &Db,
    dedupe: &str,
    worker: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<Job>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET lease_owner = $1, lease_until = $2, updated_at = $3, runs = runs + 1 \
         WHERE dedupe = $4 AND state = 'ready' AND due_at <= $3 \
         AND (lease_until IS NULL OR lease_until < $3) {RETURNING}"
    )))
    .bind(worker)
    .bind(lease_until)
    .bind(now)
    .bind(dedupe)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Extends `worker`'s lease on a job it is running; returns whether it still held it.
pub async fn renew(db: &Db, job: i64, worker: &str, lease_until: i64) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3")
            .bind(lease_until)
            .bind(job)
            .bind(worker)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
    )
}

/// The last error of the job with this dedupe key.
pub async fn last_error(db: &Db, dedupe: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT last_error FROM jobs WHERE dedupe = $1")
        .bind(dedupe)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.and_then(|r| r.try_get("last_error").ok()).flatten())
}

/// How a run of a job ended, as the queue records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: a periodic job runs again at `next`, a one-off job is finished.
    Done { next: Option<i64> },
    /// Failed this time: tried again at `retry_at` with `failures` in a row; `reported`
    /// once the failure was reported.
    Retry {
        retry_at: i64,
        failures: i64,
        error: String,
        reported: bool,
    },
    /// Failed for good (a one-off job past its retries).
    Failed { failures: i64, error: String },
}

/// Records how a run ended, if `worker` still holds the job's lease; returns whether it did.
pub async fn finish(db: &Db, job: i64, worker: &str, outcome: &Outcome, now: i64) -> Result<bool> {
    let q = match outcome {
        Outcome::Done { next: Some(next) } => sqlx::query(
            "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, due_at = $1, failures = 0, \
             reported = 0, last_error = NULL, updated_at = $2 WHERE id = $3 AND lease_owner = $4",
        )
        .bind(*next)
        .bind(now)
        .bind(job)
        .bind(worker),
        Outcome::Done { next: None } => sqlx::query(
            "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, state = 'done', failures = 0, \
             last_error = NULL, updated_at = $1 WHERE id = $2 AND lease_owner = $3",
        )
        .bind(now)
        .bind(job)
        .bind(worker),
        Outcome::Retry {
            retry_at,
            failures,
            error,
            reported,
        } => sqlx::query(
            "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, due_at = $1, failures = $2, \
             last_error = $3, reported = $4, updated_at = $5 WHERE id = $6 AND lease_owner = $7",
        )
        .bind(*retry_at)
        .bind(*failures)
        .bind(error.clone())
        .bind(i64::from(*reported))
        .bind(now)
        .bind(job)
        .bind(worker),
        Outcome::Failed { failures, error } => sqlx::query(
            "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, state = 'failed', failures = $1, \
             last_error = $2, reported = 1, updated_at = $3 WHERE id = $4 AND lease_owner = $5",
        )
        .bind(*failures)
        .bind(error.clone())
        .bind(now)
        .bind(job)
        .bind(worker),
    };
    Ok(q.execute(db.pool()).await?.rows_affected() > 0)
}

/// Makes every ready job due at `now`.
pub async fn make_all_due(db: &Db, now: i64) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE jobs SET due_at = $1 WHERE state = 'ready' AND due_at > $1")
            .bind(now)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

/// The state of the job with this dedupe key, if any (`ready`, `done`, `failed`).
pub async fn state_of(db: &Db, dedupe: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT state FROM jobs WHERE dedupe = $1")
        .bind(dedupe)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| r.try_get("state"))
        .transpose()
        .map_err(Into::into)
}

/// A workspace's periodic jobs of `kind` run every `period` seconds from now on: one due
/// later than a period from now is brought forward.
pub async fn reschedule<'e, E>(
    exec: E,
    ws: WorkspaceId,
    kind: &str,
    period: i64,
    now: i64,
) -> Result<u64>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query(
        "UPDATE jobs SET period_secs = $1, \
         due_at = CASE WHEN due_at > $2 THEN $2 ELSE due_at END \
         WHERE workspace_id = $3 AND kind = $4 AND period_secs IS NOT NULL",
    )
    .bind(period)
    .bind(now + period)
    .bind(ws.0)
    .bind(kind)
    .execute(exec)
    .await?
    .rows_affected())
}

/// The dedupe key of a job of `kind` still to run whose key starts with `prefix` (digits,
/// letters and colons only: no LIKE wildcards), such as an action on an order waiting for
/// its retry.
pub async fn open_with_prefix(db: &Db, kind: &str, prefix: &str) -> Result<Option<String>> {
    debug_assert!(
        prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-')
    );
    let row = sqlx::query(
        "SELECT dedupe FROM jobs WHERE kind = $1 AND state = 'ready' AND dedupe LIKE $2 \
         ORDER BY id LIMIT 1",
    )
    .bind(kind)
    .bind(format!("{prefix}%"))
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| r.try_get("dedupe"))
        .transpose()
        .map_err(Into::into)
}

/// A one-off job that failed for good is made due again with a new payload (a person
/// pressed it again); returns whether it was.
pub async fn reopen_failed(db: &Db, dedupe: &str, payload: &str, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE jobs SET state = 'ready', failures = 0, reported = 0, payload = $1, due_at = $2, \
         lease_owner = NULL, lease_until = NULL, updated_at = $2 \
         WHERE dedupe = $3 AND state = 'failed' AND period_secs IS NULL",
    )
    .bind(payload)
    .bind(now)
    .bind(dedupe)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// How many jobs a worker holds now (claimed and still running).
pub async fn in_flight(db: &Db, now: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM jobs WHERE state = 'ready' AND lease_until IS NOT NULL AND lease_until >= $1",
    )
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("n")?)
}

/// How many jobs of `kind` there ever were whose dedupe key starts with `prefix`.
pub async fn count_with_prefix(db: &Db, kind: &str, prefix: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM jobs WHERE kind = $1 AND dedupe LIKE $2")
        .bind(kind)
        .bind(format!("{prefix}%"))
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("n")?)
}

/// Whether a job of `kind` whose key starts with `prefix` finished at `since` or later.
pub async fn finished_since(db: &Db, kind: &str, prefix: &str, since: i64) -> Result<bool> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM jobs WHERE kind = $1 AND dedupe LIKE $2 AND state = 'done' AND updated_at >= $3 LIMIT 1",
    )
    .bind(kind)
    .bind(format!("{prefix}%"))
    .bind(since)
    .fetch_optional(db.pool())
    .await?
    .is_some())
}

/// Removes up to `limit` jobs that finished (done or failed for good) before `before`;
/// returns how many.
pub async fn forget_finished(db: &Db, before: i64, limit: i64) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN ('done', 'failed') \
         AND updated_at < $1 LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(db.pool())
    .await?
    .rows_affected())
}

/// When the next waiting job is due (its `due_at`), if any waits.
pub async fn next_due(db: &Db) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT MIN(due_at) AS due FROM jobs WHERE state = 'ready'")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("due")?)
}
