//! Marketplace statuses a workspace has seen, its own mappings of them to unified ones,
//! and the orders a changed mapping moves.

use crate::domain::ids::OrderId;
use std::collections::HashMap;

use sqlx::Row;

use super::{Db, Result, parse_col};
use crate::domain::order::{StatusKey, UnifiedStatus};
use crate::domain::{Marketplace, TgUserId, WorkspaceId};

/// Records that a workspace's orders were seen in a status (once).
pub async fn seen(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    key: &StatusKey,
    now: i64,
) -> Result<()> {
    // Read first: meeting the key in an insert would still write on SQLite.
    let known = sqlx::query(
        "SELECT 1 AS one FROM status_keys WHERE workspace_id = $1 AND marketplace = $2 \
         AND status = $3 AND substatus = $4",
    )
    .bind(ws.0)
    .bind(key.marketplace.code())
    .bind(&key.status)
    .bind(&key.substatus)
    .fetch_optional(&mut **tx)
    .await?;
    if known.is_some() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO status_keys (workspace_id, marketplace, status, substatus, first_seen) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id, marketplace, status, substatus) DO NOTHING",
    )
    .bind(ws.0)
    .bind(key.marketplace.code())
    .bind(&key.status)
    .bind(&key.substatus)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The id a seen status is named by in buttons.
pub async fn id_of(db: &Db, ws: WorkspaceId, key: &StatusKey) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT id FROM status_keys WHERE workspace_id = $1 AND marketplace = $2 \
         AND status = $3 AND substatus = $4",
    )
    .bind(ws.0)
    .bind(key.marketplace.code())
    .bind(&key.status)
    .bind(&key.substatus)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| r.try_get("id")).transpose().map_err(Into::into)
}

/// A seen status of the workspace, by its id.
pub async fn key(db: &Db, ws: WorkspaceId, id: i64) -> Result<Option<StatusKey>> {
    let row = sqlx::query(
        "SELECT marketplace, status, substatus FROM status_keys WHERE workspace_id = $1 AND id = $2",
    )
    .bind(ws.0)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(StatusKey {
            marketplace: parse_col(&r, "marketplace")?,
            status: r.try_get("status")?,
            substatus: r.try_get("substatus")?,
        })
    })
    .transpose()
}

/// Every status the workspace has seen, with its id, in marketplace and name order.
pub async fn seen_all(db: &Db, ws: WorkspaceId) -> Result<Vec<(i64, StatusKey)>> {
    let rows = sqlx::query(
        "SELECT id, marketplace, status, substatus FROM status_keys WHERE workspace_id = $1 \
         ORDER BY marketplace, status, substatus",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                StatusKey {
                    marketplace: parse_col(r, "marketplace")?,
                    status: r.try_get("status")?,
                    substatus: r.try_get("substatus")?,
                },
            ))
        })
        .collect()
}

/// How many of the workspace's orders are in each marketplace status and substatus now.
pub async fn order_counts(db: &Db, ws: WorkspaceId) -> Result<Vec<(StatusKey, i64)>> {
    let rows = sqlx::query(
        "SELECT marketplace, status, substatus, COUNT(*) AS n FROM orders WHERE workspace_id = $1 \
         GROUP BY marketplace, status, substatus",
    )
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                StatusKey {
                    marketplace: parse_col(r, "marketplace")?,
                    status: r.try_get("status")?,
                    substatus: r.try_get("substatus")?,
                },
                r.try_get("n")?,
            ))
        })
        .collect()
}

/// Sets (or, with `None`, removes) the workspace's own mapping of a status.
pub async fn set_mapping(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    key: &StatusKey,
    unified: Option<UnifiedStatus>,
) -> Result<()> {
    match unified {
        Some(u) => sqlx::query(
            "INSERT INTO status_mappings (workspace_id, marketplace, status, substatus, unified) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (workspace_id, marketplace, status, substatus) DO UPDATE SET unified = excluded.unified",
        )
        .bind(ws.0)
        .bind(key.marketplace.code())
        .bind(&key.status)
        .bind(&key.substatus)
        .bind(u.code()),
        None => sqlx::query(
            "DELETE FROM status_mappings WHERE workspace_id = $1 AND marketplace = $2 \
             AND status = $3 AND substatus = $4",
        )
        .bind(ws.0)
        .bind(key.marketplace.code())
        .bind(&key.status)
        .bind(&key.substatus),
    }
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An order a mapping may move: its id, marketplace status and unified status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub id: OrderId,
    pub cabinet: crate::domain::CabinetId,
    pub status: String,
    pub substatus: String,
    pub unified: UnifiedStatus,
}

/// The workspace's orders of a marketplace in a status (any substatus), locked for update
/// on PostgreSQL by the transaction's writes that follow.
pub async fn orders_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    marketplace: Marketplace,
    status: &str,
) -> Result<Vec<Mapped>> {
    let rows = sqlx::query(
        "SELECT id, cabinet_id, status, substatus, unified FROM orders \
         WHERE workspace_id = $1 AND marketplace = $2 AND status = $3 ORDER BY id",
    )
    .bind(ws.0)
    .bind(marketplace.code())
    .bind(status)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Mapped {
                id: r.try_get("id")?,
                cabinet: crate::domain::CabinetId(r.try_get("cabinet_id")?),
                status: r.try_get("status")?,
                substatus: r.try_get("substatus")?,
                unified: parse_col(r, "unified")?,
            })
        })
        .collect()
}

/// Moves an order to the unified status a changed mapping gives it, with a history entry.
pub async fn remap(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    order: &Mapped,
    unified: UnifiedStatus,
    actor: TgUserId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE orders SET unified = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(unified.code())
    .bind(now)
    .bind(order.id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO order_history (order_id, at, status, substatus, unified, source, actor_user_id) \
         VALUES ($1, $2, $3, $4, $5, 'mapping', $6)",
    )
    .bind(order.id)
    .bind(now)
    .bind(&order.status)
    .bind(&order.substatus)
    .bind(unified.code())
    .bind(actor.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Counts by key folded into the keys mappings name (see `fold`).
pub fn fold_counts(
    counts: Vec<(StatusKey, i64)>,
    fold: impl Fn(&StatusKey) -> StatusKey,
) -> HashMap<StatusKey, i64> {
    let mut out = HashMap::new();
    for (k, n) in counts {
        *out.entry(fold(&k)).or_insert(0) += n;
    }
    out
}
