//! The audit log: who changed what, per workspace.

use sqlx::Row;

use super::{Db, Result};
use crate::domain::audit::AuditEntry as Entry;
use crate::domain::{AuditAction, TgUserId, WorkspaceId};

pub async fn record<'e, E>(
    exec: E,
    ws: Option<WorkspaceId>,
    actor: Option<TgUserId>,
    action: AuditAction,
    details: &str,
    now: i64,
) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (workspace_id, actor_user_id, action, details, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(ws.map(|w| w.0))
    .bind(actor.map(|a| a.0))
    .bind(action.code())
    .bind(details)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(())
}

/// The newest entries of a workspace, newest first.
pub async fn recent(db: &Db, ws: WorkspaceId, limit: i64) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT actor_user_id, action, details, created_at FROM audit_log WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(ws.0)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                actor: r.try_get::<Option<i64>, _>("actor_user_id")?.map(TgUserId),
                action: r.try_get("action")?,
                details: r.try_get("details")?,
                at: r.try_get("created_at")?,
            })
        })
        .collect()
}
