//! Admin overrides of the API catalogue: one row per endpoint name.

use std::collections::HashMap;

use sqlx::Row;

use super::{Db, Result};
use crate::domain::{ApiOverride as Override, TgUserId};

/// Every override, by endpoint name.
pub async fn all(db: &Db) -> Result<HashMap<String, Override>> {
    let rows = sqlx::query("SELECT name, host, path, version FROM api_overrides")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("name")?,
                Override {
                    host: r.try_get("host")?,
                    path: r.try_get("path")?,
                    version: r.try_get("version")?,
                },
            ))
        })
        .collect()
}

/// Sets (or replaces) the override of one endpoint.
pub async fn set(db: &Db, name: &str, o: &Override, by: Option<TgUserId>, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_overrides (name, host, path, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (name) DO UPDATE SET host = excluded.host, path = excluded.path, version = excluded.version, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(name)
    .bind(o.host.as_deref())
    .bind(o.path.as_deref())
    .bind(o.version.as_deref())
    .bind(by.map(|u| u.0))
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Removes the override of one endpoint; returns whether there was one.
pub async fn clear(db: &Db, name: &str) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM api_overrides WHERE name = $1")
        .bind(name)
        .execute(db.pool())
        .await?
        .rows_affected()
        > 0)
}
