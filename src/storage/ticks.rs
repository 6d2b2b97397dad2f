//! Process-wide periodic work (the maintenance the scheduler does for every workspace),
//! claimed under a lease like a job: whichever process claims a tick runs it, the others
//! skip it until it is due again.

use super::{Db, Result};

/// Claims the tick `name` for `worker` if it is due at `now` and nobody holds it: it is
/// then due again at `next` and held until `lease_until`. Returns whether it was claimed.
pub async fn claim(
    db: &Db,
    name: &str,
    worker: &str,
    now: i64,
    lease_until: i64,
    next: i64,
) -> Result<bool> {
    sqlx::query(
        "INSERT INTO ticks (name, due_at) SELECT $1, 0 \
         WHERE NOT EXISTS (SELECT 1 FROM ticks WHERE name = $1)",
    )
    .bind(name)
    .execute(db.pool())
    .await?;
    Ok(sqlx::query(
        "UPDATE ticks SET lease_owner = $2, lease_until = $3, due_at = $4 \
         WHERE name = $1 AND due_at <= $5 AND (lease_until IS NULL OR lease_until <= $5)",
    )
    .bind(name)
    .bind(worker)
    .bind(lease_until)
    .bind(next)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// Extends `worker`'s lease on a tick it is running; returns whether it still held it.
pub async fn renew(db: &Db, name: &str, worker: &str, lease_until: i64) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE ticks SET lease_until = $3 WHERE name = $1 AND lease_owner = $2")
            .bind(name)
            .bind(worker)
            .bind(lease_until)
            .execute(db.pool())
            .await?
            .rows_affected()
            > 0,
    )
}
