//! Telegram users as we know them: profile, chosen language, current workspace.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result, StorageError};
use crate::domain::workspace::{Profile, User};
use crate::domain::{Lang, TgUserId, WorkspaceId};

fn from_row(row: &AnyRow) -> Result<User> {
    let lang: Option<String> = row.try_get("lang")?;
    let lang = lang
        .map(|l| {
            l.parse::<Lang>().map_err(|_| StorageError::Corrupt {
                column: "users.lang",
                value: l,
            })
        })
        .transpose()?;
    Ok(User {
        id: TgUserId(row.try_get("user_id")?),
        first_name: row.try_get("first_name")?,
        username: row.try_get("username")?,
        language_code: row.try_get("language_code")?,
        lang,
        current_workspace: row
            .try_get::<Option<i64>, _>("current_workspace_id")?
            .map(WorkspaceId),
    })
}

const COLUMNS: &str = "user_id, first_name, username, language_code, lang, current_workspace_id";

/// Records the profile seen on an update, returning the stored user.
pub async fn upsert_seen(db: &Db, p: &Profile<'_>, now: i64) -> Result<User> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO users (user_id, first_name, username, language_code, created_at, seen_at) \
         VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (user_id) DO UPDATE SET first_name = excluded.first_name, \
         username = excluded.username, language_code = excluded.language_code, seen_at = excluded.seen_at \
         RETURNING {COLUMNS}"
    )))
    .bind(p.id.0)
    .bind(p.first_name)
    .bind(p.username)
    .bind(p.language_code)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    from_row(&row)
}

pub async fn get(db: &Db, id: TgUserId) -> Result<Option<User>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE user_id = $1"
    )))
    .bind(id.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn set_lang(db: &Db, id: TgUserId, lang: Lang) -> Result<()> {
    sqlx::query("UPDATE users SET lang = $1 WHERE user_id = $2")
        .bind(lang.code())
        .bind(id.0)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn set_current_workspace<'e, E>(exec: E, id: TgUserId, ws: WorkspaceId) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE users SET current_workspace_id = $1 WHERE user_id = $2")
        .bind(ws.0)
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}
