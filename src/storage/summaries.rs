//! The daily summary's side of storage: who hears it (groups that follow it, at their
//! hour, for their cabinets; members who want it in private; confirmed addresses), and the
//! day's figures orders alone do not hold (status moves, payouts recorded).

use sqlx::Row;

use super::{Db, Result};
use crate::domain::{CabinetId, EventKind, Money, TgChatId, WorkspaceId};

/// The hour a chat that has not chosen one hears the summary: 09:00.
pub const DEFAULT_MINUTE: i64 = 9 * 60;

/// Where a summary goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum To {
    Chat(TgChatId),
    Email(i64),
}

/// One chat or address that hears the daily summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub workspace: WorkspaceId,
    pub to: To,
    /// Minutes after local midnight.
    pub minute: i64,
    /// The cabinets it follows; empty for all.
    pub cabinets: Vec<CabinetId>,
    /// When it began to follow the summary: an hour before this is not its.
    pub since: i64,
}

/// Everyone who hears the daily summary now.
pub async fn recipients(db: &Db) -> Result<Vec<Recipient>> {
    let event = EventKind::DailySummary.code();
    let groups = sqlx::query(
        "SELECT c.chat_id, c.workspace_id, c.summary_minute, c.summary_from FROM chats c \
         JOIN group_events e ON e.chat_id = c.chat_id AND e.event = $1 \
         WHERE c.kind <> 'private' AND c.active = 1 AND c.workspace_id IS NOT NULL \
         ORDER BY c.chat_id",
    )
    .bind(event)
    .fetch_all(db.pool())
    .await?;
    let followed = sqlx::query(
        "SELECT g.chat_id, g.cabinet_id FROM group_cabinets g \
         JOIN group_events e ON e.chat_id = g.chat_id AND e.event = $1 \
         JOIN cabinets c ON c.id = g.cabinet_id WHERE c.archived_at IS NULL",
    )
    .bind(event)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in &groups {
        let chat: i64 = r.try_get("chat_id")?;
        let mut cabinets = Vec::new();
        for f in &followed {
            if f.try_get::<i64, _>("chat_id")? == chat {
                cabinets.push(CabinetId(f.try_get("cabinet_id")?));
            }
        }
        out.push(Recipient {
            workspace: WorkspaceId(r.try_get("workspace_id")?),
            to: To::Chat(TgChatId(chat)),
            minute: r.try_get("summary_minute")?,
            cabinets,
            since: r.try_get("summary_from")?,
        });
    }
    let members = sqlx::query(
        "SELECT p.user_id, p.workspace_id FROM personal_alerts p \
         JOIN members m ON m.workspace_id = p.workspace_id AND m.user_id = p.user_id \
         WHERE p.event = $1 \
         AND NOT EXISTS (SELECT 1 FROM chats c WHERE c.chat_id = p.user_id AND c.active = 0) \
         ORDER BY p.user_id",
    )
    .bind(event)
    .fetch_all(db.pool())
    .await?;
    for r in &members {
        out.push(Recipient {
            workspace: WorkspaceId(r.try_get("workspace_id")?),
            to: To::Chat(TgChatId(r.try_get("user_id")?)),
            minute: DEFAULT_MINUTE,
            cabinets: Vec::new(),
            since: 0,
        });
    }
    let mails = sqlx::query(
        "SELECT id, workspace_id FROM emails WHERE confirmed_at IS NOT NULL AND events LIKE $1 \
         ORDER BY id",
    )
    .bind(format!("%,{event},%"))
    .fetch_all(db.pool())
    .await?;
    for r in &mails {
        out.push(Recipient {
            workspace: WorkspaceId(r.try_get("workspace_id")?),
            to: To::Email(r.try_get("id")?),
            minute: DEFAULT_MINUTE,
            cabinets: Vec::new(),
            since: 0,
        });
    }
    Ok(out)
}

/// Orders of a workspace (of some cabinets) that moved to cancelled and to returned in
/// `[from, to)`, whenever they came in.
pub async fn moved_to_ended(
    db: &Db,
    ws: WorkspaceId,
    cabinets: &[CabinetId],
    from: i64,
    to: i64,
) -> Result<(i64, i64)> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT h.unified, COUNT(DISTINCT h.order_id) AS n FROM order_history h \
         JOIN orders o ON o.id = h.order_id \
         WHERE o.workspace_id = $1 AND h.at >= $2 AND h.at < $3 \
         AND h.unified IN ('cancelled', 'returned'){} GROUP BY h.unified",
        super::finance::in_cabinets(cabinets)
    )))
    .bind(ws.0)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    let (mut cancelled, mut returned) = (0, 0);
    for r in &rows {
        let n: i64 = r.try_get("n")?;
        match r.try_get::<String, _>("unified")?.as_str() {
            "cancelled" => cancelled = n,
            _ => returned = n,
        }
    }
    Ok((cancelled, returned))
}

/// Payouts recorded in `[from, to)` (N days after their orders): how many, how much.
pub async fn paid_between(
    db: &Db,
    ws: WorkspaceId,
    cabinets: &[CabinetId],
    from: i64,
    to: i64,
) -> Result<(i64, Money)> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(m.paid), 0) AS BIGINT) AS total \
         FROM order_money m JOIN orders o ON o.id = m.order_id \
         WHERE o.workspace_id = $1 AND m.paid_at >= $2 AND m.paid_at < $3 \
         AND m.paid IS NOT NULL{}",
        super::finance::in_cabinets(cabinets)
    )))
    .bind(ws.0)
    .bind(from)
    .bind(to)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("n")?, Money(row.try_get("total")?)))
}

/// Keeps the account's charges read from a feed (a key read before adds nothing).
pub async fn add_account_charges(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ws: WorkspaceId,
    cabinet: CabinetId,
    lines: &[super::finance::Keyed],
    now: i64,
) -> Result<u64> {
    let mut added = 0;
    for k in lines {
        added += sqlx::query(
            "INSERT INTO account_charges (workspace_id, cabinet_id, label, amount, at, line_key, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (cabinet_id, line_key) DO NOTHING",
        )
        .bind(ws.0)
        .bind(cabinet.0)
        .bind(&k.line.label)
        .bind(k.line.amount.0)
        .bind(k.line.at)
        .bind(&k.key)
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(added)
}

/// The account's charges made in `[from, to)` by their names (positive: charged).
pub async fn account_charges(
    db: &Db,
    ws: WorkspaceId,
    cabinets: &[CabinetId],
    from: i64,
    to: i64,
) -> Result<Vec<(String, Money)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT a.label, CAST(SUM(a.amount) AS BIGINT) AS total FROM account_charges a \
         WHERE a.workspace_id = $1 AND a.at >= $2 AND a.at < $3{} GROUP BY a.label ORDER BY a.label",
        super::finance::in_cabinets_of("a", cabinets)
    )))
    .bind(ws.0)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    super::finance::charged_by_label(&rows)
}
