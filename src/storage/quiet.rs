//! Quiet hours per chat (F7).

use sqlx::Row;

use super::{Db, Result};
use crate::domain::alerts::{EventKind, QuietHours};
use crate::domain::{TgChatId, WorkspaceId};

pub async fn get(db: &Db, chat: TgChatId) -> Result<Option<QuietHours>> {
    let row =
        sqlx::query("SELECT from_minute, to_minute, kinds FROM quiet_hours WHERE chat_id = $1")
            .bind(chat.0)
            .fetch_optional(db.pool())
            .await?;
    let Some(r) = row else { return Ok(None) };
    let kinds: String = r.try_get("kinds")?;
    let codes: Vec<String> = serde_json::from_str(&kinds).unwrap_or_default();
    Ok(Some(QuietHours {
        from: r.try_get("from_minute")?,
        to: r.try_get("to_minute")?,
        kinds: codes
            .iter()
            .filter_map(|c| c.parse::<EventKind>().ok())
            .collect(),
    }))
}

pub async fn set(db: &Db, chat: TgChatId, ws: WorkspaceId, q: &QuietHours, now: i64) -> Result<()> {
    let codes: Vec<&str> = q.kinds.iter().map(|k| k.code()).collect();
    let kinds = serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO quiet_hours (chat_id, workspace_id, from_minute, to_minute, kinds, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (chat_id) DO UPDATE SET workspace_id = $2, \
         from_minute = $3, to_minute = $4, kinds = $5, updated_at = $6",
    )
    .bind(chat.0)
    .bind(ws.0)
    .bind(q.from)
    .bind(q.to)
    .bind(kinds)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn remove(db: &Db, chat: TgChatId) -> Result<()> {
    sqlx::query("DELETE FROM quiet_hours WHERE chat_id = $1")
        .bind(chat.0)
        .execute(db.pool())
        .await?;
    Ok(())
}
