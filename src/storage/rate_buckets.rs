//! A cabinet's rate-limit buckets as the last job on it left them. Jobs of one cabinet run
//! one at a time across every process (the claim skips a cabinet a job is running on), so
//! handing the buckets from one job to the next keeps the marketplace's limits whichever
//! process runs it: a read when a job starts and a write when it ends, not one per request.

use sqlx::Row;

use super::{Db, Result};
use crate::domain::CabinetId;
use crate::ratelimit::Level;

/// The buckets the last job on `cabinet` left.
pub async fn levels(db: &Db, cabinet: CabinetId) -> Result<Vec<Level>> {
    let rows = sqlx::query("SELECT grp, tokens, at_ms FROM rate_buckets WHERE cabinet_id = $1")
        .bind(cabinet.0)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Level {
                group: r.try_get("grp")?,
                tokens: r.try_get("tokens")?,
                at_ms: r.try_get("at_ms")?,
            })
        })
        .collect()
}

/// Keeps the buckets a job on `cabinet` leaves.
pub async fn keep(db: &Db, cabinet: CabinetId, levels: &[Level]) -> Result<()> {
    for l in levels {
        sqlx::query(
            "INSERT INTO rate_buckets (cabinet_id, grp, tokens, at_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cabinet_id, grp) DO UPDATE SET tokens = excluded.tokens, at_ms = excluded.at_ms \
             WHERE rate_buckets.at_ms <= excluded.at_ms",
        )
        .bind(cabinet.0)
        .bind(&l.group)
        .bind(l.tokens)
        .bind(l.at_ms)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}
