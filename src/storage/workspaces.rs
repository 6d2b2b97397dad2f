//! Workspaces: one company each, owning members, chats and (later) cabinets.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result};
use crate::domain::workspace::Workspace;
use crate::domain::{Lang, WorkspaceId};

fn from_row(row: &AnyRow) -> Result<Workspace> {
    Ok(Workspace {
        id: WorkspaceId(row.try_get("id")?),
        name: row.try_get("name")?,
        time_zone: row.try_get("time_zone")?,
        default_lang: super::parse_col(row, "default_lang")?,
        created_at: row.try_get("created_at")?,
        watch: crate::domain::Watch {
            poll_secs: row.try_get("orders_every_secs")?,
            annul_hours: row.try_get("annul_hours")?,
            deadline_hours: row.try_get("deadline_hours")?,
            stocks_secs: row.try_get("stocks_every_secs")?,
            low_stock: row.try_get("low_stock_default")?,
            finance_secs: row.try_get("finance_every_secs")?,
            payout_days: row.try_get("payout_days")?,
        },
    })
}

/// Takes the workspace's row lock for the rest of the transaction, so changes that must
/// see each other (the last owner) run one after another, on PostgreSQL (a row lock) and
/// SQLite (a write as the first statement takes the database's write lock) alike.
pub async fn lock(tx: &mut sqlx::Transaction<'_, sqlx::Any>, ws: WorkspaceId) -> Result<()> {
    sqlx::query("UPDATE workspaces SET name = name WHERE id = $1")
        .bind(ws.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn create<'e, E>(exec: E, name: &str, now: i64) -> Result<WorkspaceId>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let id: i64 =
        sqlx::query("INSERT INTO workspaces (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(now)
            .fetch_one(exec)
            .await?
            .try_get("id")?;
    Ok(WorkspaceId(id))
}

pub async fn get(db: &Db, id: WorkspaceId) -> Result<Option<Workspace>> {
    let row = sqlx::query(
        "SELECT id, name, time_zone, default_lang, created_at, orders_every_secs, annul_hours, deadline_hours, stocks_every_secs, low_stock_default, finance_every_secs, payout_days FROM workspaces WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn rename<'e, E>(exec: E, id: WorkspaceId, name: &str) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE workspaces SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}

pub async fn set_time_zone<'e, E>(exec: E, id: WorkspaceId, tz: &str) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE workspaces SET time_zone = $1 WHERE id = $2")
        .bind(tz)
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}

pub async fn set_default_lang<'e, E>(exec: E, id: WorkspaceId, lang: Lang) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE workspaces SET default_lang = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}

/// Sets one of a workspace's order settings.
pub async fn set_watch_setting<'e, E>(
    exec: E,
    id: WorkspaceId,
    setting: crate::domain::WatchSetting,
    value: i64,
) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    use crate::domain::WatchSetting;
    let sql = match setting {
        WatchSetting::Poll => "UPDATE workspaces SET orders_every_secs = $1 WHERE id = $2",
        WatchSetting::Annul => "UPDATE workspaces SET annul_hours = $1 WHERE id = $2",
        WatchSetting::Deadline => "UPDATE workspaces SET deadline_hours = $1 WHERE id = $2",
        WatchSetting::Stocks => "UPDATE workspaces SET stocks_every_secs = $1 WHERE id = $2",
        WatchSetting::LowStock => "UPDATE workspaces SET low_stock_default = $1 WHERE id = $2",
        WatchSetting::Finance => "UPDATE workspaces SET finance_every_secs = $1 WHERE id = $2",
        WatchSetting::Payout => "UPDATE workspaces SET payout_days = $1 WHERE id = $2",
    };
    sqlx::query(sql)
        .bind(value)
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}
