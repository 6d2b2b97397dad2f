//! Alert groups: which event kinds a group chat receives, for which cabinets.

use sqlx::Row;

use super::{Db, Result};
use crate::domain::alerts::Subscription;
use crate::domain::{CabinetId, EventKind, TgChatId};

pub async fn subscription(db: &Db, chat: TgChatId) -> Result<Subscription> {
    let events = sqlx::query("SELECT event FROM group_events WHERE chat_id = $1")
        .bind(chat.0)
        .fetch_all(db.pool())
        .await?;
    let mut events: Vec<EventKind> = events
        .iter()
        .filter_map(|r| r.try_get::<String, _>("event").ok())
        .filter_map(|e| e.parse().ok())
        .collect();
    events.sort();
    let cabinets = sqlx::query(
        "SELECT g.cabinet_id FROM group_cabinets g JOIN cabinets c ON c.id = g.cabinet_id \
         WHERE g.chat_id = $1 AND c.archived_at IS NULL ORDER BY g.cabinet_id",
    )
    .bind(chat.0)
    .fetch_all(db.pool())
    .await?;
    let cabinets = cabinets
        .iter()
        .map(|r| r.try_get::<i64, _>("cabinet_id").map(CabinetId))
        .collect::<std::result::Result<_, _>>()?;
    let minute = sqlx::query("SELECT summary_minute FROM chats WHERE chat_id = $1")
        .bind(chat.0)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.try_get::<i64, _>("summary_minute"))
        .transpose()?
        .unwrap_or(super::summaries::DEFAULT_MINUTE);
    Ok(Subscription {
        events,
        cabinets,
        summary_minute: minute,
    })
}

/// A group follows the daily summary from now: the next hour to come is its first.
pub async fn summary_from(db: &Db, chat: TgChatId, now: i64) -> Result<()> {
    sqlx::query("UPDATE chats SET summary_from = $1 WHERE chat_id = $2")
        .bind(now)
        .bind(chat.0)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The hour (minutes after local midnight) a group hears the daily summary.
pub async fn set_summary_minute(db: &Db, chat: TgChatId, minute: i64) -> Result<()> {
    sqlx::query("UPDATE chats SET summary_minute = $1 WHERE chat_id = $2")
        .bind(minute)
        .bind(chat.0)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Forgets everything a group was subscribed to.
pub async fn clear(tx: &mut sqlx::Transaction<'_, sqlx::Any>, chat: TgChatId) -> Result<()> {
    sqlx::query("DELETE FROM group_events WHERE chat_id = $1")
        .bind(chat.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM group_cabinets WHERE chat_id = $1")
        .bind(chat.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Turns one event kind on or off; returns whether it is now on.
pub async fn toggle_event(db: &Db, chat: TgChatId, event: EventKind) -> Result<bool> {
    let removed = sqlx::query("DELETE FROM group_events WHERE chat_id = $1 AND event = $2")
        .bind(chat.0)
        .bind(event.code())
        .execute(db.pool())
        .await?
        .rows_affected();
    if removed > 0 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO group_events (chat_id, event) VALUES ($1, $2)")
        .bind(chat.0)
        .bind(event.code())
        .execute(db.pool())
        .await?;
    Ok(true)
}

/// Turns one cabinet on or off; `None` clears the list (all cabinets).
pub async fn toggle_cabinet(db: &Db, chat: TgChatId, cabinet: Option<CabinetId>) -> Result<()> {
    let Some(id) = cabinet else {
        sqlx::query("DELETE FROM group_cabinets WHERE chat_id = $1")
            .bind(chat.0)
            .execute(db.pool())
            .await?;
        return Ok(());
    };
    let removed = sqlx::query("DELETE FROM group_cabinets WHERE chat_id = $1 AND cabinet_id = $2")
        .bind(chat.0)
        .bind(id.0)
        .execute(db.pool())
        .await?
        .rows_affected();
    if removed == 0 {
        sqlx::query("INSERT INTO group_cabinets (chat_id, cabinet_id) VALUES ($1, $2)")
            .bind(chat.0)
            .bind(id.0)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}
