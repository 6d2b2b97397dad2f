//! Cabinets: one seller account on one marketplace, with its sealed credentials. Every
//! read takes the workspace, so a cabinet id from another workspace finds nothing.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result, parse_col};
use crate::domain::cabinet::{Cabinet, HealthError, KeyProblem};
use crate::domain::{CabinetId, Marketplace, SchemeChoice, TgUserId, WorkspaceId};

/// What a new cabinet is made of.
#[derive(Debug, Clone)]
pub struct NewCabinet<'a> {
    pub workspace: WorkspaceId,
    pub marketplace: Marketplace,
    pub name: &'a str,
    pub scheme: SchemeChoice,
    pub is_main: bool,
    pub account: Option<&'a str>,
    pub shop: Option<&'a str>,
    pub shop_name: Option<&'a str>,
    pub credentials: &'a str,
    pub key_expires_at: Option<i64>,
    pub created_by: TgUserId,
}

const COLUMNS: &str = "id, workspace_id, marketplace, name, scheme, is_main, enabled, account, shop, \
                       shop_name, credentials, key_expires_at, last_sync_at, last_error, last_error_at";

fn from_row(row: &AnyRow) -> Result<Cabinet> {
    Ok(Cabinet {
        id: CabinetId(row.try_get("id")?),
        workspace: WorkspaceId(row.try_get("workspace_id")?),
        marketplace: parse_col(row, "marketplace")?,
        name: row.try_get("name")?,
        scheme: parse_col(row, "scheme")?,
        is_main: row.try_get::<i64, _>("is_main")? != 0,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        account: row.try_get("account")?,
        shop: row.try_get("shop")?,
        shop_name: row.try_get("shop_name")?,
        credentials: row.try_get("credentials")?,
        key_expires_at: row.try_get("key_expires_at")?,
        last_sync_at: row.try_get("last_sync_at")?,
        last_error: row.try_get("last_error")?,
        last_error_at: row.try_get("last_error_at")?,
    })
}

pub async fn insert<'e, E>(exec: E, c: &NewCabinet<'_>, now: i64) -> Result<CabinetId>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let id: i64 = sqlx::query(
        "INSERT INTO cabinets (workspace_id, marketplace, name, scheme, is_main, enabled, account, shop, \
         shop_name, credentials, key_expires_at, key_checked_at, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $12, $11, $12, $12) RETURNING id",
    )
    .bind(c.workspace.0)
    .bind(c.marketplace.code())
    .bind(c.name)
    .bind(c.scheme.code())
    .bind(i64::from(c.is_main))
    .bind(c.account)
    .bind(c.shop)
    .bind(c.shop_name)
    .bind(c.credentials)
    .bind(c.key_expires_at)
    .bind(c.created_by.0)
    .bind(now)
    .fetch_one(exec)
    .await?
    .try_get("id")?;
    Ok(CabinetId(id))
}

/// A live (not archived) cabinet of the workspace.
pub async fn get(db: &Db, ws: WorkspaceId, id: CabinetId) -> Result<Option<Cabinet>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cabinets WHERE workspace_id = $1 AND id = $2 AND archived_at IS NULL"
    )))
    .bind(ws.0)
    .bind(id.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A live cabinet by id, whatever its workspace (the scheduler's view).
pub async fn live(db: &Db, id: CabinetId) -> Result<Option<Cabinet>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cabinets WHERE id = $1 AND archived_at IS NULL"
    )))
    .bind(id.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Records a sync that worked: its time, and an earlier sync failure cleared.
pub async fn record_sync<'e, E>(exec: E, id: CabinetId, now: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "UPDATE cabinets SET last_sync_at = $1, \
         last_error_at = CASE WHEN last_error LIKE 'sync-failed%' THEN NULL ELSE last_error_at END, \
         last_error = CASE WHEN last_error LIKE 'sync-failed%' THEN NULL ELSE last_error END WHERE id = $2",
    )
    .bind(now)
    .bind(id.0)
    .execute(exec)
    .await?;
    Ok(())
}

/// Records that syncing keeps failing, and how when known (a key problem, already
/// recorded, stays).
pub async fn record_sync_failure(
    db: &Db,
    id: CabinetId,
    failure: Option<&crate::domain::Failure>,
    now: i64,
) -> Result<()> {
    let code = HealthError::SyncFailed(failure.cloned()).code();
    sqlx::query(
        "UPDATE cabinets SET last_error = $3, last_error_at = $1 \
         WHERE id = $2 AND (last_error IS NULL OR last_error LIKE 'sync-failed%')",
    )
    .bind(now)
    .bind(id.0)
    .bind(code)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The live cabinets of a workspace, by marketplace, main first, then by name.
pub async fn list(db: &Db, ws: WorkspaceId) -> Result<Vec<Cabinet>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cabinets WHERE workspace_id = $1 AND archived_at IS NULL \
         ORDER BY marketplace, is_main DESC, name, id"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Every row holding credentials, archived or not (key rotation).
pub async fn all_sealed<'e, E>(exec: E) -> Result<Vec<(CabinetId, WorkspaceId, String)>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT id, workspace_id, credentials FROM cabinets WHERE credentials IS NOT NULL ORDER BY id",
    )
    .fetch_all(exec)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                CabinetId(r.try_get("id")?),
                WorkspaceId(r.try_get("workspace_id")?),
                r.try_get("credentials")?,
            ))
        })
        .collect()
}

pub async fn set_credentials<'e, E>(
    exec: E,
    id: CabinetId,
    sealed: &str,
    account: Option<&str>,
    shop: Option<(&str, &str)>,
    expires_at: Option<i64>,
    now: i64,
) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "UPDATE cabinets SET credentials = $1, account = COALESCE($2, account), shop = COALESCE($3, shop), \
         shop_name = COALESCE($4, shop_name), key_expires_at = $5, key_checked_at = $6, last_error = NULL, \
         last_error_at = NULL, updated_at = $6 WHERE id = $7",
    )
    .bind(sealed)
    .bind(account)
    .bind(shop.map(|s| s.0))
    .bind(shop.map(|s| s.1))
    .bind(expires_at)
    .bind(now)
    .bind(id.0)
    .execute(exec)
    .await?;
    Ok(())
}

/// The most recently connected sealed credentials, with their workspace (a start-up check
/// that the master key fits).
pub async fn newest_sealed(db: &Db) -> Result<Option<(WorkspaceId, String)>> {
    let row = sqlx::query(
        "SELECT workspace_id, credentials FROM cabinets WHERE credentials IS NOT NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok((
            WorkspaceId(r.try_get("workspace_id")?),
            r.try_get("credentials")?,
        ))
    })
    .transpose()
}

/// Re-sealed credentials from a key rotation.
pub async fn replace_sealed<'e, E>(exec: E, id: CabinetId, sealed: &str) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE cabinets SET credentials = $1 WHERE id = $2")
        .bind(sealed)
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}

pub async fn rename<'e, E>(exec: E, id: CabinetId, name: &str, now: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE cabinets SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now)
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}

pub async fn set_enabled<'e, E>(exec: E, id: CabinetId, enabled: bool, now: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    // Turned back on, its stock is pushed in full: what changed while it was off is not
    // all marked.
    sqlx::query(
        "UPDATE cabinets SET enabled = $1, updated_at = $2, \
         stock_full_at = CASE WHEN $1 = 1 THEN NULL ELSE stock_full_at END WHERE id = $3",
    )
    .bind(i64::from(enabled))
    .bind(now)
    .bind(id.0)
    .execute(exec)
    .await?;
    Ok(())
}

/// Makes `id` the only main cabinet of its marketplace in its workspace.
pub async fn make_main(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    marketplace: Marketplace,
    id: CabinetId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE cabinets SET is_main = CASE WHEN id = $1 THEN 1 ELSE 0 END, updated_at = $2 \
         WHERE workspace_id = $3 AND marketplace = $4 AND archived_at IS NULL",
    )
    .bind(id.0)
    .bind(now)
    .bind(ws.0)
    .bind(marketplace.code())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes the oldest other live cabinet of the marketplace the main one (when the main
/// one goes); does nothing when there is none.
pub async fn promote_next_main(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    marketplace: Marketplace,
    gone: CabinetId,
    now: i64,
) -> Result<()> {
    let next = sqlx::query(
        "SELECT id FROM cabinets WHERE workspace_id = $1 AND marketplace = $2 \
         AND archived_at IS NULL AND id <> $3 ORDER BY id LIMIT 1",
    )
    .bind(ws.0)
    .bind(marketplace.code())
    .bind(gone.0)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = next {
        let next = CabinetId(row.try_get("id")?);
        make_main(tx, ws, marketplace, next, now).await?;
    }
    Ok(())
}

/// Archives a cabinet: its credentials are wiped, its data stays for history.
pub async fn archive<'e, E>(exec: E, id: CabinetId, now: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "UPDATE cabinets SET credentials = NULL, enabled = 0, is_main = 0, archived_at = $1, updated_at = $1 \
         WHERE id = $2",
    )
    .bind(now)
    .bind(id.0)
    .execute(exec)
    .await?;
    Ok(())
}

/// Removes a cabinet and, through the foreign keys, everything that belongs to it.
pub async fn delete<'e, E>(exec: E, id: CabinetId) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("DELETE FROM cabinets WHERE id = $1")
        .bind(id.0)
        .execute(exec)
        .await?;
    Ok(())
}

/// Live cabinets whose key was last checked at or before `before`, least recent first.
pub async fn due_key_checks(db: &Db, before: i64, limit: i64) -> Result<Vec<Cabinet>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cabinets WHERE archived_at IS NULL AND enabled = 1 AND credentials IS NOT NULL \
         AND (key_checked_at IS NULL OR key_checked_at <= $1) ORDER BY COALESCE(key_checked_at, 0), id LIMIT $2"
    )))
    .bind(before)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Makes a cabinet's key due for a live check at the next maintenance, unless it was
/// checked at `checked_before` or later (a job met a 401 or 403, or a key found refused
/// syncs again).
pub async fn check_key_now<'e, E>(exec: E, cabinet: CabinetId, checked_before: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE cabinets SET key_checked_at = NULL WHERE id = $1 AND key_checked_at < $2")
        .bind(cabinet.0)
        .bind(checked_before)
        .execute(exec)
        .await?;
    Ok(())
}

/// Live, enabled cabinets whose key expires by `before` (expired ones included).
pub async fn keys_expiring(db: &Db, before: i64) -> Result<Vec<Cabinet>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cabinets WHERE archived_at IS NULL AND enabled = 1 \
         AND key_expires_at IS NOT NULL AND key_expires_at <= $1 ORDER BY id"
    )))
    .bind(before)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// What a scheduled key check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHealth {
    /// The key works; the marketplace's expiry if it told one.
    Good { expires_at: Option<i64> },
    /// The key no longer works: recorded as the cabinet's last error.
    Bad(KeyProblem),
    /// The marketplace refused the check request itself with this status (an API problem,
    /// not the key's): recorded as the cabinet's last error.
    ApiProblem { status: u16 },
    /// The marketplace did not answer: check again at `retry_at`.
    Unknown { retry_at: i64 },
}

/// Records a scheduled key check. A working key clears an earlier key-check error.
pub async fn record_key_check(db: &Db, id: CabinetId, health: KeyHealth, now: i64) -> Result<()> {
    let failed = match health {
        KeyHealth::Good { expires_at } => {
            sqlx::query(
                "UPDATE cabinets SET key_checked_at = $1, key_expires_at = COALESCE($2, key_expires_at), \
                 last_error = CASE WHEN last_error LIKE 'key-%' OR last_error LIKE 'api-%' THEN NULL ELSE last_error END, \
                 last_error_at = CASE WHEN last_error LIKE 'key-%' OR last_error LIKE 'api-%' THEN NULL ELSE last_error_at END WHERE id = $3",
            )
            .bind(now)
            .bind(expires_at)
            .bind(id.0)
            .execute(db.pool())
            .await?;
            return Ok(());
        }
        KeyHealth::Unknown { retry_at } => {
            sqlx::query("UPDATE cabinets SET key_checked_at = $1 WHERE id = $2")
                .bind(retry_at)
                .bind(id.0)
                .execute(db.pool())
                .await?;
            return Ok(());
        }
        KeyHealth::Bad(p) => HealthError::Key(p),
        KeyHealth::ApiProblem { status } => HealthError::Api { status },
    };
    sqlx::query(
        "UPDATE cabinets SET key_checked_at = $1, last_error = $2, last_error_at = $1 WHERE id = $3",
    )
    .bind(now)
    .bind(failed.code())
    .bind(id.0)
    .execute(db.pool())
    .await?;
    Ok(())
}
