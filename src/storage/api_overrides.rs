//! Overrides of the API catalogue: one row per workspace and endpoint name. Workspace 0
//! holds the deployment-wide ones (set by the operator in the database); a workspace's own
//! rows (set by its admins with `/api`) apply to its cabinets only.

use std::collections::HashMap;

use sqlx::Row;

use super::{Db, Result};
use crate::domain::{ApiOverride as Override, TgUserId, WorkspaceId};

/// The deployment-wide workspace id.
pub const DEPLOYMENT: WorkspaceId = WorkspaceId(0);

/// The overrides of one workspace (or of the deployment), by endpoint name.
pub async fn of(db: &Db, ws: WorkspaceId) -> Result<HashMap<String, Override>> {
    let rows =
        sqlx::query("SELECT name, host, path, version FROM api_overrides WHERE workspace_id = $1")
            .bind(ws.0)
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("name")?,
                Override {
                    host: r.try_get("host")?,
                    path: r.try_get("path")?,
                    version: r.try_get("version")?,
                },
            ))
        })
        .collect()
}

/// Sets (or replaces) a workspace's override of one endpoint.
pub async fn set(
    db: &Db,
    ws: WorkspaceId,
    name: &str,
    o: &Override,
    by: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_overrides (workspace_id, name, host, path, version, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (workspace_id, name) DO UPDATE SET host = excluded.host, path = excluded.path, \
         version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(ws.0)
    .bind(name)
    .bind(o.host.as_deref())
    .bind(o.path.as_deref())
    .bind(o.version.as_deref())
    .bind(by.map(|u| u.0))
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Removes a workspace's override of one endpoint; returns whether there was one.
pub async fn clear(db: &Db, ws: WorkspaceId, name: &str) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM api_overrides WHERE workspace_id = $1 AND name = $2")
            .bind(ws.0)
            .bind(name)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
    )
}
