//! E-mail addresses per workspace and the deliveries to them.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Db, Result};
use crate::domain::alerts::{Alert, EventKind};
use crate::domain::{TgUserId, WorkspaceId};

/// An address as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub id: i64,
    pub workspace: WorkspaceId,
    pub address: String,
    pub confirmed: bool,
    pub code_hash: Option<String>,
    pub code_expires_at: Option<i64>,
    pub tries: i64,
    pub events: Vec<EventKind>,
}

const COLUMNS: &str =
    "id, workspace_id, address, confirmed_at, code_hash, code_expires_at, tries, events";

fn from_row(r: &AnyRow) -> Result<Email> {
    let events: String = r.try_get("events")?;
    Ok(Email {
        id: r.try_get("id")?,
        workspace: WorkspaceId(r.try_get("workspace_id")?),
        address: r.try_get("address")?,
        confirmed: r.try_get::<Option<i64>, _>("confirmed_at")?.is_some(),
        code_hash: r.try_get("code_hash")?,
        code_expires_at: r.try_get("code_expires_at")?,
        tries: r.try_get("tries")?,
        events: events
            .split(',')
            .filter_map(|c| c.parse::<EventKind>().ok())
            .collect(),
    })
}

pub async fn list(db: &Db, ws: WorkspaceId) -> Result<Vec<Email>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM emails WHERE workspace_id = $1 ORDER BY address"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(db: &Db, ws: WorkspaceId, id: i64) -> Result<Option<Email>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM emails WHERE id = $1 AND workspace_id = $2"
    )))
    .bind(id)
    .bind(ws.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Adds an address waiting for `code_hash`, or gives a waiting one a new code; an address
/// already confirmed is left as it is. Returns its id and whether it was confirmed.
pub async fn add_waiting(
    db: &Db,
    ws: WorkspaceId,
    address: &str,
    (code_hash, expires_at): (&str, i64),
    by: TgUserId,
    now: i64,
) -> Result<(i64, bool)> {
    sqlx::query(
        "INSERT INTO emails (workspace_id, address, code_hash, code_expires_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, address) DO UPDATE \
         SET code_hash = $3, code_expires_at = $4, tries = 0 WHERE emails.confirmed_at IS NULL",
    )
    .bind(ws.0)
    .bind(address)
    .bind(code_hash)
    .bind(expires_at)
    .bind(by.0)
    .bind(now)
    .execute(db.pool())
    .await?;
    let row =
        sqlx::query("SELECT id, confirmed_at FROM emails WHERE workspace_id = $1 AND address = $2")
            .bind(ws.0)
            .bind(address)
            .fetch_one(db.pool())
            .await?;
    Ok((
        row.try_get("id")?,
        row.try_get::<Option<i64>, _>("confirmed_at")?.is_some(),
    ))
}

/// Counts a wrong code.
pub async fn count_try(db: &Db, id: i64) -> Result<()> {
    sqlx::query("UPDATE emails SET tries = tries + 1 WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Confirms an address (its code spent).
pub async fn confirm(db: &Db, id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE emails SET confirmed_at = $1, code_hash = NULL, code_expires_at = NULL, tries = 0 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn set_events(db: &Db, id: i64, events: &[EventKind]) -> Result<()> {
    let codes: String = events.iter().map(|e| format!("{},", e.code())).collect();
    sqlx::query("UPDATE emails SET events = $1 WHERE id = $2")
        .bind(format!(",{codes}"))
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, ws: WorkspaceId, id: i64) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM emails WHERE id = $1 AND workspace_id = $2")
            .bind(id)
            .bind(ws.0)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
    )
}

/// Delivers an alert raised as `outbox` to every confirmed address of the workspace that
/// hears its kind.
pub async fn fan_out(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    outbox: i64,
    event: EventKind,
    now: i64,
) -> Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO mail_deliveries (outbox_id, email_id, due_at) \
         SELECT $1, e.id, $2 FROM emails e WHERE e.workspace_id = $3 \
         AND e.confirmed_at IS NOT NULL AND e.events LIKE $4",
    )
    .bind(outbox)
    .bind(now)
    .bind(ws.0)
    .bind(format!("%,{},%", event.code()))
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// One mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailDelivery {
    pub id: i64,
    pub workspace: WorkspaceId,
    pub address: String,
    pub alert: Option<Alert>,
    pub attempts: i64,
}

/// Claims the next mail due, marking it `sending` under `owner`'s lease: a mail is sent
/// one at a time, so a crash leaves at most it in doubt. What a dead sender left in
/// `sending` becomes `unknown` first (never sent twice).
pub async fn claim_one(
    db: &Db,
    owner: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<MailDelivery>> {
    sqlx::query(
        "UPDATE mail_deliveries SET state = 'unknown', lease_owner = NULL \
         WHERE state = 'sending' AND lease_until < $1",
    )
    .bind(now)
    .execute(db.pool())
    .await?;
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE mail_deliveries SET state = 'sending', lease_owner = $1, lease_until = $2, \
         attempts = attempts + 1 WHERE id IN (SELECT id FROM mail_deliveries \
         WHERE state = 'pending' AND due_at <= $3 ORDER BY id LIMIT 1{lock}) RETURNING id"
    )))
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let r = sqlx::query(
        "SELECT d.id, d.attempts, o.workspace_id, o.payload, e.address FROM mail_deliveries d \
         JOIN outbox o ON o.id = d.outbox_id JOIN emails e ON e.id = d.email_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    let payload: String = r.try_get("payload")?;
    Ok(Some(MailDelivery {
        id,
        workspace: WorkspaceId(r.try_get("workspace_id")?),
        address: r.try_get("address")?,
        alert: serde_json::from_str(&payload).ok(),
        attempts: r.try_get("attempts")?,
    }))
}

/// How a mail ended: sent, failed for good, or back to wait until `retry_at`.
pub async fn finish(db: &Db, id: i64, outcome: Option<i64>, sent: bool, now: i64) -> Result<()> {
    let q = match (sent, outcome) {
        (true, _) => sqlx::query(
            "UPDATE mail_deliveries SET state = 'sent', sent_at = $1, lease_owner = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(id),
        (false, Some(at)) => sqlx::query(
            "UPDATE mail_deliveries SET state = 'pending', due_at = $1, lease_owner = NULL WHERE id = $2",
        )
        .bind(at)
        .bind(id),
        (false, None) => sqlx::query(
            "UPDATE mail_deliveries SET state = 'failed', lease_owner = NULL WHERE id = $1",
        )
        .bind(id),
    };
    q.execute(db.pool()).await?;
    Ok(())
}
