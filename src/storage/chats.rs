//! Chats the bot talks in: private chats and groups, with their workspace and whether
//! the bot can still write there.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result};
use crate::domain::workspace::Chat;
use crate::domain::{TgChatId, WorkspaceId};

fn from_row(row: &AnyRow) -> Result<Chat> {
    Ok(Chat {
        id: TgChatId(row.try_get("chat_id")?),
        workspace: row
            .try_get::<Option<i64>, _>("workspace_id")?
            .map(WorkspaceId),
        kind: row.try_get("kind")?,
        title: row.try_get("title")?,
        active: row.try_get::<i64, _>("active")? != 0,
        show_money: row.try_get::<i64, _>("show_money")? != 0,
    })
}

/// Records a chat seen on an update: creates it (active, linked to nobody) or refreshes
/// its kind and title. Which company it belongs to and whether alerts go there are changed
/// only on purpose, by [`link_if_free`], [`release`] and [`set_active`].
pub async fn record(db: &Db, id: TgChatId, kind: &str, title: &str, now: i64) -> Result<Chat> {
    let row = sqlx::query(
        "INSERT INTO chats (chat_id, workspace_id, kind, title, active, created_at, updated_at) \
         VALUES ($1, NULL, $2, $3, 1, $4, $4) \
         ON CONFLICT (chat_id) DO UPDATE SET kind = excluded.kind, title = excluded.title, \
         updated_at = excluded.updated_at \
         RETURNING chat_id, workspace_id, kind, title, active, show_money",
    )
    .bind(id.0)
    .bind(kind)
    .bind(title)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    from_row(&row)
}

/// Links a chat to `ws` if no company has it; returns whether it is now `ws`'s.
pub async fn link_if_free<'e, E>(exec: E, id: TgChatId, ws: WorkspaceId, now: i64) -> Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE chats SET workspace_id = $1, updated_at = $2 \
         WHERE chat_id = $3 AND (workspace_id IS NULL OR workspace_id = $1)",
    )
    .bind(ws.0)
    .bind(now)
    .bind(id.0)
    .execute(exec)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Lets a group go: it belongs to no company any more. Only `ws`, its company, may.
pub async fn release<'e, E>(exec: E, id: TgChatId, ws: WorkspaceId, now: i64) -> Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE chats SET workspace_id = NULL, updated_at = $1 WHERE chat_id = $2 AND workspace_id = $3",
    )
    .bind(now)
    .bind(id.0)
    .bind(ws.0)
    .execute(exec)
    .await?
    .rows_affected();
    Ok(done > 0)
}

pub async fn get(db: &Db, id: TgChatId) -> Result<Option<Chat>> {
    let row = sqlx::query(
        "SELECT chat_id, workspace_id, kind, title, active, show_money FROM chats WHERE chat_id = $1",
    )
    .bind(id.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Marks a chat as one the bot can no longer write to (blocked, removed from group).
pub async fn set_active(db: &Db, id: TgChatId, active: bool, now: i64) -> Result<()> {
    sqlx::query("UPDATE chats SET active = $1, updated_at = $2 WHERE chat_id = $3")
        .bind(i64::from(active))
        .bind(now)
        .bind(id.0)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Whether a group of `ws` shows sums and prices in its alerts; whether it is `ws`'s.
pub async fn set_show_money(
    db: &Db,
    id: TgChatId,
    ws: WorkspaceId,
    on: bool,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE chats SET show_money = $1, updated_at = $2 WHERE chat_id = $3 AND workspace_id = $4",
    )
    .bind(i64::from(on))
    .bind(now)
    .bind(id.0)
    .bind(ws.0)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Sets the workspace of a private chat (the user's current one).
pub async fn set_workspace(db: &Db, id: TgChatId, ws: WorkspaceId, now: i64) -> Result<()> {
    sqlx::query("UPDATE chats SET workspace_id = $1, updated_at = $2 WHERE chat_id = $3")
        .bind(ws.0)
        .bind(now)
        .bind(id.0)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The group chats of a workspace.
pub async fn groups_of(db: &Db, ws: WorkspaceId) -> Result<Vec<Chat>> {
    let rows = sqlx::query(
        "SELECT chat_id, workspace_id, kind, title, active, show_money FROM chats \
         WHERE workspace_id = $1 AND kind <> 'private' ORDER BY title, chat_id",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}
