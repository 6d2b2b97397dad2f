//! The alert outbox: an event is raised once (its dedupe key is unique), in the transaction
//! that found it, and fanned out at once into one delivery per chat that should hear of it:
//! the active groups subscribed to its kind (and its cabinet), or the owners and admins in
//! private for what only they handle, and the members who chose that kind for their private
//! chat. Deliveries are claimed under a lease and marked sent,
//! so each alert reaches each chat at most once.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Db, Result};
use crate::domain::alerts::Alert;
use crate::domain::{CabinetId, TgChatId, WorkspaceId};

/// Raises an alert for one chat only (what that chat asked for); a second raise of the
/// same dedupe key does nothing. Returns whether it was raised now.
/// The dedupe keys raised that start with `prefix` (alerts of one subject told before).
pub async fn told_with_prefix(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    prefix: &str,
) -> Result<Vec<String>> {
    let like = format!("{}%", prefix.replace(['%', '_'], ""));
    let rows = sqlx::query("SELECT dedupe FROM outbox WHERE dedupe LIKE $1")
        .bind(like)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<String, _>("dedupe")?))
        .collect()
}

/// Whether an alert with this key was raised already (read before working out one).
pub async fn was_raised(db: &super::Db, dedupe: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 AS one FROM outbox WHERE dedupe = $1")
        .bind(dedupe)
        .fetch_optional(db.pool())
        .await?
        .is_some())
}

pub async fn raise_to(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    chat: TgChatId,
    alert: &Alert,
    dedupe: &str,
    now: i64,
) -> Result<bool> {
    let Some(id) = insert(tx, ws, None, alert, dedupe, now).await? else {
        return Ok(false);
    };
    sqlx::query(
        "INSERT INTO deliveries (outbox_id, chat_id, state, due_at) VALUES ($1, $2, 'pending', $3)",
    )
    .bind(id)
    .bind(chat.0)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Raises an alert to one confirmed address (a rule's message), once for its key.
pub async fn raise_to_email(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    email: i64,
    alert: &Alert,
    dedupe: &str,
    now: i64,
) -> Result<bool> {
    let Some(id) = insert(tx, ws, None, alert, dedupe, now).await? else {
        return Ok(false);
    };
    Ok(sqlx::query(
        "INSERT INTO mail_deliveries (outbox_id, email_id, due_at) \
         SELECT $1, e.id, $2 FROM emails e WHERE e.id = $3 AND e.workspace_id = $4 \
         AND e.confirmed_at IS NOT NULL",
    )
    .bind(id)
    .bind(now)
    .bind(email)
    .bind(ws.0)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// Keeps an alert once for its dedupe key; returns its id, or `None` when it was raised
/// before (its deliveries are the caller's to add).
pub(crate) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    cabinet: Option<CabinetId>,
    alert: &Alert,
    dedupe: &str,
    now: i64,
) -> Result<Option<i64>> {
    if raised_before(tx, dedupe).await? {
        return Ok(None);
    }
    let payload = serde_json::to_string(alert).unwrap_or_default();
    let row = sqlx::query(
        "INSERT INTO outbox (workspace_id, cabinet_id, kind, dedupe, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe) DO NOTHING RETURNING id",
    )
    .bind(ws.0)
    .bind(cabinet.map(|c| c.0))
    .bind(alert.code())
    .bind(dedupe)
    .bind(payload)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| r.try_get("id")).transpose().map_err(Into::into)
}

/// Whether an alert with this dedupe key was raised already. Read before inserting: an
/// insert that meets the key would still dirty a page on SQLite, and alerts are raised
/// again on every pass that still sees their cause.
async fn raised_before(tx: &mut sqlx::Transaction<'_, sqlx::Any>, dedupe: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 AS one FROM outbox WHERE dedupe = $1")
        .bind(dedupe)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

/// Raises an alert; a second raise of the same dedupe key does nothing. Returns how many
/// chats it goes to (0 when it was raised before).
pub async fn raise(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    cabinet: Option<CabinetId>,
    alert: &Alert,
    dedupe: &str,
    now: i64,
) -> Result<u64> {
    let Some(id) = insert(tx, ws, cabinet, alert, dedupe, now).await? else {
        return Ok(0);
    };
    let fanned = match (alert.event(), cabinet) {
        (Some(event), Some(cabinet)) => sqlx::query(
            "INSERT INTO deliveries (outbox_id, chat_id, state, due_at) \
             SELECT $1, c.chat_id, 'pending', $2 FROM chats c \
             WHERE c.workspace_id = $3 AND c.kind <> 'private' AND c.active = 1 \
             AND EXISTS (SELECT 1 FROM group_events e WHERE e.chat_id = c.chat_id AND e.event = $4) \
             AND (NOT EXISTS (SELECT 1 FROM group_cabinets g WHERE g.chat_id = c.chat_id) \
                  OR EXISTS (SELECT 1 FROM group_cabinets g WHERE g.chat_id = c.chat_id AND g.cabinet_id = $5))",
        )
        .bind(id)
        .bind(now)
        .bind(ws.0)
        .bind(event.code())
        .bind(cabinet.0),
        (Some(event), None) => sqlx::query(
            "INSERT INTO deliveries (outbox_id, chat_id, state, due_at) \
             SELECT $1, c.chat_id, 'pending', $2 FROM chats c \
             WHERE c.workspace_id = $3 AND c.kind <> 'private' AND c.active = 1 \
             AND EXISTS (SELECT 1 FROM group_events e WHERE e.chat_id = c.chat_id AND e.event = $4)",
        )
        .bind(id)
        .bind(now)
        .bind(ws.0)
        .bind(event.code()),
        (None, _) => sqlx::query(
            "INSERT INTO deliveries (outbox_id, chat_id, state, due_at) \
             SELECT $1, m.user_id, 'pending', $2 FROM members m \
             JOIN chats c ON c.chat_id = m.user_id AND c.active = 1 \
             WHERE m.workspace_id = $3 AND m.role IN ('owner', 'admin')",
        )
        .bind(id)
        .bind(now)
        .bind(ws.0),
    };
    let mut fanned = fanned.execute(&mut **tx).await?.rows_affected();
    if let Some(event) = alert.event() {
        // Members who want this kind in their private chat too.
        fanned += sqlx::query(
            "INSERT INTO deliveries (outbox_id, chat_id, state, due_at) \
             SELECT $1, p.user_id, 'pending', $2 FROM personal_alerts p \
             JOIN members m ON m.workspace_id = p.workspace_id AND m.user_id = p.user_id \
             WHERE p.workspace_id = $3 AND p.event = $4 \
             AND NOT EXISTS (SELECT 1 FROM chats c WHERE c.chat_id = p.user_id AND c.active = 0)",
        )
        .bind(id)
        .bind(now)
        .bind(ws.0)
        .bind(event.code())
        .execute(&mut **tx)
        .await?
        .rows_affected();
        // Confirmed addresses that hear this kind.
        fanned += super::emails::fan_out(tx, ws, id, event, now).await?;
    }
    Ok(fanned)
}

/// Takes these chats off an alert's deliveries (they hear of it another way).
pub async fn spare(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    dedupe: &str,
    chats: &[TgChatId],
) -> Result<()> {
    for c in chats {
        sqlx::query(
            "DELETE FROM deliveries WHERE chat_id = $2 AND state = 'pending' \
             AND outbox_id = (SELECT id FROM outbox WHERE dedupe = $1)",
        )
        .bind(dedupe)
        .bind(c.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A delivery claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub chat: TgChatId,
    pub workspace: WorkspaceId,
    pub cabinet: Option<CabinetId>,
    pub alert: Option<Alert>,
    pub created_at: i64,
    pub attempts: i64,
    /// It waited out the chat's quiet hours: told in their digest.
    pub held: bool,
}

fn from_row(r: &AnyRow) -> Result<Delivery> {
    let payload: String = r.try_get("payload")?;
    Ok(Delivery {
        id: r.try_get("id")?,
        chat: TgChatId(r.try_get("chat_id")?),
        workspace: WorkspaceId(r.try_get("workspace_id")?),
        cabinet: r.try_get::<Option<i64>, _>("cabinet_id")?.map(CabinetId),
        alert: serde_json::from_str(&payload).ok(),
        created_at: r.try_get("created_at")?,
        attempts: r.try_get("attempts")?,
        held: r.try_get::<i64, _>("held")? != 0,
    })
}

/// What a sender that stopped left behind, once its lease ran out: sends cut short (still
/// `sending`) are never sent again; deliveries it claimed and never tried go back to wait.
/// Returns how many of each.
pub async fn recover(db: &Db, now: i64) -> Result<(u64, u64)> {
    let in_doubt = sqlx::query(
        "UPDATE deliveries SET state = 'unknown', lease_until = NULL, lease_owner = NULL \
         WHERE state = 'sending' AND lease_until < $1",
    )
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected();
    let back = sqlx::query(
        "UPDATE deliveries SET state = 'pending', lease_until = NULL, lease_owner = NULL \
         WHERE state = 'claimed' AND lease_until < $1",
    )
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok((in_doubt, back))
}

/// Claims up to `limit` deliveries due at `now` for `owner` until `lease_until`, oldest
/// first. A claimed delivery is not yet being sent: [`sending`] marks it right before.
pub async fn claim(
    db: &Db,
    owner: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<Delivery>> {
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let claimed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE deliveries SET state = 'claimed', lease_owner = $1, lease_until = $2 \
         WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND due_at <= $3 \
         ORDER BY id LIMIT $4{lock}) RETURNING id"
    )))
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let ids: Vec<i64> = claimed
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for part in ids.chunks(500) {
        // `attempts` as this try's number: the try about to be made counts.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT d.id, d.chat_id, d.attempts + 1 AS attempts, d.held, o.workspace_id, \
             o.cabinet_id, o.payload, o.created_at \
             FROM deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.id IN ({})",
            super::id_list(part)
        )))
        .fetch_all(db.pool())
        .await?;
        for row in &rows {
            out.push(from_row(row)?);
        }
    }
    out.sort_by_key(|d| d.id);
    Ok(out)
}

/// Marks the deliveries one message is about to carry as being sent, if `owner` still
/// holds them, and keeps its other claims for another lease. Returns those marked: only
/// they may go (another sender took the rest after our lease ran out).
pub async fn sending(db: &Db, owner: &str, ids: &[i64], lease_until: i64) -> Result<Vec<i64>> {
    let mut marked = Vec::with_capacity(ids.len());
    for part in ids.chunks(500) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, lease_until = $1 \
             WHERE id IN ({}) AND state = 'claimed' AND lease_owner = $2 RETURNING id",
            super::id_list(part)
        )))
        .bind(lease_until)
        .bind(owner)
        .fetch_all(db.pool())
        .await?;
        for r in &rows {
            marked.push(r.try_get("id")?);
        }
    }
    sqlx::query(
        "UPDATE deliveries SET lease_until = $1 WHERE state = 'claimed' AND lease_owner = $2",
    )
    .bind(lease_until)
    .bind(owner)
    .execute(db.pool())
    .await?;
    Ok(marked)
}

/// How a delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Delivered as this message.
    Sent {
        message_id: Option<i64>,
    },
    /// Told within a digest message instead.
    Digested {
        message_id: Option<i64>,
    },
    /// Not sent now; tried again at `due_at`.
    Later {
        due_at: i64,
    },
    /// Given up (the chat is gone, or every try failed).
    Skipped,
    Failed,
    /// The send may or may not have reached the chat (the answer was lost): never again.
    Unknown,
}

pub async fn finish(db: &Db, id: i64, how: Sent, now: i64) -> Result<()> {
    let q = match how {
        Sent::Sent { message_id } | Sent::Digested { message_id } => {
            let state = if matches!(how, Sent::Sent { .. }) {
                "sent"
            } else {
                "digested"
            };
            sqlx::query(
                "UPDATE deliveries SET state = $1, sent_at = $2, message_id = $3, lease_until = NULL, \
                 lease_owner = NULL WHERE id = $4",
            )
            .bind(state)
            .bind(now)
            .bind(message_id)
            .bind(id)
        }
        Sent::Later { due_at } => sqlx::query(
            "UPDATE deliveries SET state = 'pending', due_at = $1, lease_until = NULL, lease_owner = NULL \
             WHERE id = $2",
        )
        .bind(due_at)
        .bind(id),
        Sent::Skipped => sqlx::query(
            "UPDATE deliveries SET state = 'skipped', lease_until = NULL, lease_owner = NULL WHERE id = $1",
        )
        .bind(id),
        Sent::Failed => sqlx::query(
            "UPDATE deliveries SET state = 'failed', lease_until = NULL, lease_owner = NULL WHERE id = $1",
        )
        .bind(id),
        Sent::Unknown => sqlx::query(
            "UPDATE deliveries SET state = 'unknown', lease_until = NULL, lease_owner = NULL WHERE id = $1",
        )
        .bind(id),
    };
    q.execute(db.pool()).await?;
    Ok(())
}

/// Holds a claimed delivery until `until` (the end of its chat's quiet hours), to be told
/// in their digest.
pub async fn hold(db: &Db, id: i64, until: i64) -> Result<()> {
    sqlx::query(
        "UPDATE deliveries SET state = 'pending', due_at = $1, held = 1, lease_until = NULL, \
         lease_owner = NULL WHERE id = $2",
    )
    .bind(until)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// How many alerts a chat was sent since `since` (its Telegram budget), and when the oldest
/// of them went.
pub async fn sent_since(db: &Db, chat: TgChatId, since: i64) -> Result<(i64, Option<i64>)> {
    // A digest is one message for many deliveries: messages are counted, not deliveries.
    let row = sqlx::query(
        "SELECT COUNT(DISTINCT COALESCE(message_id, -id)) AS n, MIN(sent_at) AS first FROM deliveries \
         WHERE chat_id = $1 AND state IN ('sent', 'digested') AND sent_at >= $2",
    )
    .bind(chat.0)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("n")?, row.try_get("first")?))
}

/// Deliveries claimed but not attempted (a pass cut short by an error) go back to wait.
pub async fn unclaim(db: &Db, owner: &str, ids: &[i64]) -> Result<()> {
    for part in ids.chunks(500) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE deliveries SET state = 'pending', lease_until = NULL, lease_owner = NULL \
             WHERE id IN ({}) AND state = 'claimed' AND lease_owner = $1",
            super::id_list(part)
        )))
        .bind(owner)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// Deliveries to a chat still waiting are dropped (the group left the company).
pub async fn drop_pending_for<'e, E>(exec: E, chat: TgChatId) -> Result<u64>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query(
        "UPDATE deliveries SET state = 'skipped', lease_until = NULL \
         WHERE chat_id = $1 AND state = 'pending'",
    )
    .bind(chat.0)
    .execute(exec)
    .await?
    .rows_affected())
}

/// Removes up to `limit` alerts raised before `before` with their deliveries, once none of
/// them is still waiting or being sent; returns how many alerts.
pub async fn forget_finished(db: &Db, before: i64, limit: i64) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o WHERE o.created_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.outbox_id = o.id \
         AND d.state IN ('pending', 'claimed', 'sending')) ORDER BY o.created_at LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(db.pool())
    .await?
    .rows_affected())
}
