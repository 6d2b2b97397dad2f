//! Labels and what the warehouse does with them: each order's label as a one-page PDF
//! (fetched once), files made for a chat until their alert is sent, who took an order to
//! pack, and each WB cabinet's sticker size.

use crate::domain::ids::OrderId;
use sqlx::Row;

use super::{Db, Result};
use crate::domain::{CabinetId, TgUserId, WorkspaceId};

/// The stored labels of these orders, as (order, PDF), in no particular order.
pub async fn labels_of(
    db: &Db,
    ws: WorkspaceId,
    orders: &[OrderId],
) -> Result<Vec<(OrderId, Vec<u8>)>> {
    let mut out = Vec::new();
    for chunk in orders.chunks(500) {
        let list = super::id_list(chunk);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT order_id, pdf FROM label_files WHERE workspace_id = $1 AND order_id IN ({list})"
        )))
        .bind(ws.0)
        .fetch_all(db.pool())
        .await?;
        for r in rows {
            out.push((r.try_get("order_id")?, r.try_get("pdf")?));
        }
    }
    Ok(out)
}

/// Keeps an order's label.
pub async fn put_label(
    db: &Db,
    ws: WorkspaceId,
    order: OrderId,
    pdf: &[u8],
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO label_files (order_id, workspace_id, pdf, fetched_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (order_id) DO UPDATE SET pdf = excluded.pdf, fetched_at = excluded.fetched_at",
    )
    .bind(order)
    .bind(ws.0)
    .bind(pdf.to_vec())
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A file kept for a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Keeps a file; returns its id.
pub async fn put_document(
    db: &Db,
    ws: WorkspaceId,
    name: &str,
    bytes: &[u8],
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO documents (workspace_id, name, bytes, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(ws.0)
    .bind(name)
    .bind(bytes.to_vec())
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("id")?)
}

/// A kept file of the workspace.
pub async fn document(db: &Db, ws: WorkspaceId, id: i64) -> Result<Option<Document>> {
    let row =
        sqlx::query("SELECT id, name, bytes FROM documents WHERE id = $1 AND workspace_id = $2")
            .bind(id)
            .bind(ws.0)
            .fetch_optional(db.pool())
            .await?;
    row.map(|r| {
        Ok(Document {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            bytes: r.try_get("bytes")?,
        })
    })
    .transpose()
}

/// Forgets files made before `before` (their alerts are long sent).
pub async fn purge_documents(db: &Db, before: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM documents WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?
        .rows_affected())
}

/// Who took an order, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub user: TgUserId,
    pub at: i64,
}

/// Takes an order for `user` unless someone has it; returns who has it now.
pub async fn claim(
    db: &Db,
    ws: WorkspaceId,
    order: OrderId,
    user: TgUserId,
    now: i64,
) -> Result<Claim> {
    sqlx::query(
        "INSERT INTO claims (order_id, workspace_id, user_id, claimed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order)
    .bind(ws.0)
    .bind(user.0)
    .bind(now)
    .execute(db.pool())
    .await?;
    claim_of(db, ws, order)
        .await?
        .ok_or(super::StorageError::Corrupt {
            column: "claims.order_id",
            value: order.to_string(),
        })
}

/// Ends whoever's hold on an order (it left the warehouse's hands: shipped, cancelled).
pub async fn end_claim(tx: &mut sqlx::Transaction<'_, sqlx::Any>, order: OrderId) -> Result<()> {
    sqlx::query("DELETE FROM claims WHERE order_id = $1")
        .bind(order)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Hands a held order to `user` (who did its next step): the hold follows the work.
pub async fn pass_claim(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    order: OrderId,
    user: TgUserId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE claims SET user_id = $1, claimed_at = $2 WHERE order_id = $3 AND user_id <> $1",
    )
    .bind(user.0)
    .bind(now)
    .bind(order)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Lets an order go, if `user` has it; returns whether it was theirs.
pub async fn release(db: &Db, ws: WorkspaceId, order: OrderId, user: TgUserId) -> Result<bool> {
    Ok(
        sqlx::query(
            "DELETE FROM claims WHERE order_id = $1 AND workspace_id = $2 AND user_id = $3",
        )
        .bind(order)
        .bind(ws.0)
        .bind(user.0)
        .execute(db.pool())
        .await?
        .rows_affected()
            > 0,
    )
}

/// Who has an order.
pub async fn claim_of(db: &Db, ws: WorkspaceId, order: OrderId) -> Result<Option<Claim>> {
    let row = sqlx::query(
        "SELECT user_id, claimed_at FROM claims WHERE order_id = $1 AND workspace_id = $2",
    )
    .bind(order)
    .bind(ws.0)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Claim {
            user: TgUserId(r.try_get("user_id")?),
            at: r.try_get("claimed_at")?,
        })
    })
    .transpose()
}

/// Who has each of these orders.
pub async fn claims_of(
    db: &Db,
    ws: WorkspaceId,
    orders: &[OrderId],
) -> Result<Vec<(OrderId, Claim)>> {
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::id_list(orders);
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT c.order_id, c.user_id, c.claimed_at FROM claims c JOIN orders o ON o.id = c.order_id \
         WHERE c.workspace_id = $1 AND c.order_id IN ({list}) \
         AND o.unified IN ('new', 'confirmed', 'packed', 'label')"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("order_id")?,
                Claim {
                    user: TgUserId(r.try_get("user_id")?),
                    at: r.try_get("claimed_at")?,
                },
            ))
        })
        .collect()
}

/// A cabinet's WB sticker size (`58x40` or `40x30`).
pub async fn label_size(db: &Db, cabinet: CabinetId) -> Result<String> {
    let row = sqlx::query("SELECT label_size FROM cabinets WHERE id = $1")
        .bind(cabinet.0)
        .fetch_optional(db.pool())
        .await?;
    Ok(row
        .map(|r| r.try_get("label_size"))
        .transpose()?
        .unwrap_or_else(|| "58x40".to_owned()))
}

/// Sets a cabinet's sticker size.
pub async fn set_label_size(
    db: &Db,
    ws: WorkspaceId,
    cabinet: CabinetId,
    size: &str,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE cabinets SET label_size = $1, updated_at = $2 WHERE id = $3 AND workspace_id = $4",
    )
    .bind(size)
    .bind(now)
    .bind(cabinet.0)
    .bind(ws.0)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// Whether any active group of the workspace wants labels pushed.
pub async fn wants_labels(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
) -> Result<bool> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM chats c JOIN group_events e ON e.chat_id = c.chat_id \
         WHERE c.workspace_id = $1 AND c.active = 1 AND c.kind <> 'private' AND e.event = 'label-ready' LIMIT 1",
    )
    .bind(ws.0)
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// Whether this is the first press with `key` (a second one finds it taken).
pub async fn first_press(db: &Db, key: &str, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO once_keys (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// Forgets the kept labels of a cabinet's orders (its sticker size changed).
pub async fn forget_labels_of(db: &Db, ws: WorkspaceId, cabinet: CabinetId) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM label_files WHERE workspace_id = $1 AND order_id IN (SELECT id FROM orders WHERE cabinet_id = $2)",
    )
    .bind(ws.0)
    .bind(cabinet.0)
    .execute(db.pool())
    .await?
    .rows_affected())
}
