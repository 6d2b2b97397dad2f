//! Invites: single-use codes that add a user to a workspace with a role.

use sqlx::Row;

use super::{Result, parse_col};
use crate::domain::{InviteCode, Role, TgUserId, WorkspaceId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub workspace: WorkspaceId,
    pub role: Role,
}

pub async fn create<'e, E>(
    exec: E,
    code: &InviteCode,
    ws: WorkspaceId,
    role: Role,
    by: TgUserId,
    now: i64,
    expires_at: i64,
) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO invites (code, workspace_id, role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(code.as_str())
    .bind(ws.0)
    .bind(role.code())
    .bind(by.0)
    .bind(now)
    .bind(expires_at)
    .execute(exec)
    .await?;
    Ok(())
}

/// Marks a valid, unused, unexpired invite as used by `user` and returns it; `None` when
/// there is no such invite (the update is atomic, so a code works only once).
pub async fn redeem<'e, E>(
    exec: E,
    code: &InviteCode,
    user: TgUserId,
    now: i64,
) -> Result<Option<Invite>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "UPDATE invites SET used_by = $1, used_at = $2 \
         WHERE code = $3 AND used_by IS NULL AND expires_at > $2 RETURNING workspace_id, role",
    )
    .bind(user.0)
    .bind(now)
    .bind(code.as_str())
    .fetch_optional(exec)
    .await?;
    row.map(|r| {
        Ok(Invite {
            workspace: WorkspaceId(r.try_get("workspace_id")?),
            role: parse_col(&r, "role")?,
        })
    })
    .transpose()
}

/// The workspace of an invite `user` has already used (a second tap on their own link).
pub async fn used_by(
    db: &super::Db,
    code: &InviteCode,
    user: TgUserId,
) -> Result<Option<WorkspaceId>> {
    let row = sqlx::query("SELECT workspace_id FROM invites WHERE code = $1 AND used_by = $2")
        .bind(code.as_str())
        .bind(user.0)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| Ok(WorkspaceId(r.try_get("workspace_id")?)))
        .transpose()
}
