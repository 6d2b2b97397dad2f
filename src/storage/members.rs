//! Members: a user's role in a workspace.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result, parse_col};
use crate::domain::workspace::Member;
use crate::domain::{Role, TgUserId, WorkspaceId};

fn from_row(row: &AnyRow) -> Result<Member> {
    Ok(Member {
        workspace: WorkspaceId(row.try_get("workspace_id")?),
        user: TgUserId(row.try_get("user_id")?),
        role: parse_col(row, "role")?,
        first_name: row.try_get("first_name")?,
        username: row.try_get("username")?,
    })
}

const SELECT: &str = "SELECT m.workspace_id, m.user_id, m.role, u.first_name, u.username \
                      FROM members m JOIN users u ON u.user_id = m.user_id";

pub async fn add<'e, E>(
    exec: E,
    ws: WorkspaceId,
    user: TgUserId,
    role: Role,
    now: i64,
) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO members (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(ws.0)
    .bind(user.0)
    .bind(role.code())
    .bind(now)
    .execute(exec)
    .await?;
    Ok(())
}

pub async fn get(db: &Db, ws: WorkspaceId, user: TgUserId) -> Result<Option<Member>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.workspace_id = $1 AND m.user_id = $2"
    )))
    .bind(ws.0)
    .bind(user.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A member, read inside a transaction (after the workspace's lock).
pub async fn get_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    user: TgUserId,
) -> Result<Option<Member>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.workspace_id = $1 AND m.user_id = $2"
    )))
    .bind(ws.0)
    .bind(user.0)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The memberships of a user, oldest first.
pub async fn of_user(db: &Db, user: TgUserId) -> Result<Vec<Member>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.user_id = $1 ORDER BY m.created_at, m.workspace_id"
    )))
    .bind(user.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The members of a workspace, by role then name.
pub async fn list(db: &Db, ws: WorkspaceId) -> Result<Vec<Member>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.workspace_id = $1 ORDER BY m.created_at, m.user_id"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    let mut members: Vec<Member> = rows.iter().map(from_row).collect::<Result<_>>()?;
    members.sort_by_key(|m| m.role);
    Ok(members)
}

/// Changes a member's role.
pub async fn set_role<'e, E>(exec: E, ws: WorkspaceId, user: TgUserId, role: Role) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE members SET role = $1 WHERE workspace_id = $2 AND user_id = $3")
        .bind(role.code())
        .bind(ws.0)
        .bind(user.0)
        .execute(exec)
        .await?;
    Ok(())
}

/// Removes a member; their current workspace is cleared when it was this one.
pub async fn remove(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    user: TgUserId,
) -> Result<()> {
    sqlx::query("DELETE FROM members WHERE workspace_id = $1 AND user_id = $2")
        .bind(ws.0)
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE users SET current_workspace_id = NULL WHERE user_id = $1 AND current_workspace_id = $2",
    )
    .bind(user.0)
    .bind(ws.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many owners a workspace has, read inside the transaction that changes them.
pub async fn count_owners(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
) -> Result<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) AS n FROM members WHERE workspace_id = $1 AND role = 'owner'")
            .bind(ws.0)
            .fetch_one(&mut **tx)
            .await?
            .try_get("n")?,
    )
}
