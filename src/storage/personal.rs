//! Personal alerts: the kinds of events a member also wants in their private chat.

use sqlx::Row;

use super::{Db, Result};
use crate::domain::{EventKind, TgUserId, WorkspaceId};

/// The kinds a member chose, in their order.
pub async fn events(db: &Db, ws: WorkspaceId, user: TgUserId) -> Result<Vec<EventKind>> {
    let rows =
        sqlx::query("SELECT event FROM personal_alerts WHERE workspace_id = $1 AND user_id = $2")
            .bind(ws.0)
            .bind(user.0)
            .fetch_all(db.pool())
            .await?;
    let mut events: Vec<EventKind> = rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>("event").ok())
        .filter_map(|e| e.parse().ok())
        .collect();
    events.sort();
    Ok(events)
}

/// Turns one kind on or off for a member.
pub async fn set(
    db: &Db,
    ws: WorkspaceId,
    user: TgUserId,
    event: EventKind,
    on: bool,
) -> Result<()> {
    if on {
        sqlx::query(
            "INSERT INTO personal_alerts (workspace_id, user_id, event) VALUES ($1, $2, $3) \
             ON CONFLICT (workspace_id, user_id, event) DO NOTHING",
        )
        .bind(ws.0)
        .bind(user.0)
        .bind(event.code())
        .execute(db.pool())
        .await?;
    } else {
        sqlx::query(
            "DELETE FROM personal_alerts WHERE workspace_id = $1 AND user_id = $2 AND event = $3",
        )
        .bind(ws.0)
        .bind(user.0)
        .bind(event.code())
        .execute(db.pool())
        .await?;
    }
    Ok(())
}
