//! Previews of uploads (stock lists, nomenclatures, price lists and prices typed in chat):
//! kept until their owner applies or cancels them, each applied at most once.

use sqlx::Row;

use super::{Db, Result};
use crate::domain::{TgUserId, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

/// A kept preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub payload: String,
    pub applied: bool,
    pub dropped: bool,
}

/// Keeps a preview; its id.
pub async fn insert(
    db: &Db,
    ws: WorkspaceId,
    user: TgUserId,
    kind: &str,
    name: &str,
    payload: &str,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO uploads (workspace_id, user_id, kind, name, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ws.0)
    .bind(user.0)
    .bind(kind)
    .bind(name)
    .bind(payload)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("id")?)
}

/// One of a user's previews in their workspace.
pub async fn get(db: &Db, ws: WorkspaceId, user: TgUserId, id: i64) -> Result<Option<Upload>> {
    let row = sqlx::query(
        "SELECT id, kind, name, payload, applied_at, dropped_at FROM uploads \
         WHERE id = $1 AND workspace_id = $2 AND user_id = $3",
    )
    .bind(id)
    .bind(ws.0)
    .bind(user.0)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Upload {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            name: r.try_get("name")?,
            payload: r.try_get("payload")?,
            applied: r.try_get::<Option<i64>, _>("applied_at")?.is_some(),
            dropped: r.try_get::<Option<i64>, _>("dropped_at")?.is_some(),
        })
    })
    .transpose()
}

/// Marks a preview applied, once: whether this call was the one (not applied or cancelled
/// before).
pub async fn claim(tx: &mut Tx<'_>, id: i64, now: i64) -> Result<bool> {
    let first = sqlx::query(
        "UPDATE uploads SET applied_at = $2 WHERE id = $1 AND applied_at IS NULL AND dropped_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(first > 0)
}

/// Remembers where a preview was shown.
pub async fn shown_in(db: &Db, ws: WorkspaceId, id: i64, chat: i64, message: i64) -> Result<()> {
    sqlx::query(
        "UPDATE uploads SET chat_id = $1, message_id = $2 WHERE id = $3 AND workspace_id = $4",
    )
    .bind(chat)
    .bind(message)
    .bind(id)
    .bind(ws.0)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Cancels one of a user's open previews; whether it was open.
pub async fn drop(db: &Db, ws: WorkspaceId, user: TgUserId, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE uploads SET dropped_at = $1 WHERE id = $2 AND workspace_id = $3 AND user_id = $4 \
         AND applied_at IS NULL AND dropped_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(ws.0)
    .bind(user.0)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Cancels every open preview a user was shown in `chat`; the messages they were shown in.
pub async fn drop_open_in(
    db: &Db,
    ws: WorkspaceId,
    user: TgUserId,
    chat: i64,
    now: i64,
) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "UPDATE uploads SET dropped_at = $1 WHERE workspace_id = $2 AND user_id = $3 AND chat_id = $4 \
         AND applied_at IS NULL AND dropped_at IS NULL RETURNING message_id",
    )
    .bind(now)
    .bind(ws.0)
    .bind(user.0)
    .bind(chat)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<Option<i64>, _>("message_id")?))
        .filter_map(|m: Result<Option<i64>>| m.transpose())
        .collect()
}
