//! Automation rules and their steps in the queue. A rule's step is a row of `jobs` (kind
//! `rule`) naming its rule and order, so the one engine claims, leases and retries it; the
//! queue a person sees is read from there.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result};
use crate::domain::rules::{Policy, Rule, Trigger};
use crate::domain::{CabinetId, OrderId, TgUserId, WorkspaceId};

/// The job kind of a rule's step (`app::jobs::JobKind::Rule`).
pub const KIND: &str = "rule";

const COLUMNS: &str =
    "id, name, active, priority, trigger_json, conditions, steps, policy, template, fails_in_row";

fn from_row(r: &AnyRow) -> Result<Rule> {
    let trigger: String = r.try_get("trigger_json")?;
    let conditions: String = r.try_get("conditions")?;
    let steps: String = r.try_get("steps")?;
    let policy: String = r.try_get("policy")?;
    Ok(Rule {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        active: r.try_get::<i64, _>("active")? != 0,
        priority: r.try_get("priority")?,
        // A trigger of a later release reads as the button: it never fires by itself.
        trigger: serde_json::from_str(&trigger).unwrap_or(Trigger::Button),
        conditions: serde_json::from_str(&conditions).unwrap_or_default(),
        steps: serde_json::from_str(&steps).unwrap_or_default(),
        policy: serde_json::from_str::<Policy>(&policy).unwrap_or_default(),
        template: r.try_get("template")?,
        fails_in_row: r.try_get("fails_in_row")?,
    })
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub async fn insert<'e, E>(
    exec: E,
    ws: WorkspaceId,
    rule: &Rule,
    by: TgUserId,
    now: i64,
) -> Result<i64>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "INSERT INTO rules (workspace_id, name, active, priority, event, trigger_json, conditions, steps, policy, template, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(ws.0)
    .bind(&rule.name)
    .bind(i64::from(rule.active))
    .bind(rule.priority)
    .bind(rule.trigger.code())
    .bind(json(&rule.trigger))
    .bind(json(&rule.conditions))
    .bind(json(&rule.steps))
    .bind(json(&rule.policy))
    .bind(rule.template.as_deref())
    .bind(by.0)
    .bind(now)
    .fetch_one(exec)
    .await?;
    Ok(row.try_get("id")?)
}

/// Writes a rule's name, priority, trigger, conditions, steps and policy.
pub async fn update(db: &Db, ws: WorkspaceId, rule: &Rule, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE rules SET name = $1, priority = $2, event = $3, trigger_json = $4, conditions = $5, \
         steps = $6, policy = $7, updated_at = $8 WHERE id = $9 AND workspace_id = $10",
    )
    .bind(&rule.name)
    .bind(rule.priority)
    .bind(rule.trigger.code())
    .bind(json(&rule.trigger))
    .bind(json(&rule.conditions))
    .bind(json(&rule.steps))
    .bind(json(&rule.policy))
    .bind(now)
    .bind(rule.id)
    .bind(ws.0)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// Turns a rule on (its failures in a row forgotten) or off.
pub async fn set_active(db: &Db, ws: WorkspaceId, id: i64, active: bool, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE rules SET active = $1, fails_in_row = 0, updated_at = $2 WHERE id = $3 AND workspace_id = $4",
    )
    .bind(i64::from(active))
    .bind(now)
    .bind(id)
    .bind(ws.0)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// Deletes a rule; its steps still waiting end as skipped.
pub async fn delete(db: &Db, ws: WorkspaceId, id: i64, now: i64) -> Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE jobs SET state = 'skipped', updated_at = $1 WHERE workspace_id = $2 AND kind = $3 \
         AND rule_id = $4 AND state = 'ready' AND (lease_until IS NULL OR lease_until < $1)",
    )
    .bind(now)
    .bind(ws.0)
    .bind(KIND)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let gone = sqlx::query("DELETE FROM rules WHERE id = $1 AND workspace_id = $2")
        .bind(id)
        .bind(ws.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone > 0)
}

pub async fn get(db: &Db, ws: WorkspaceId, id: i64) -> Result<Option<Rule>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rules WHERE id = $1 AND workspace_id = $2"
    )))
    .bind(id)
    .bind(ws.0)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A workspace's rules, the first to run first.
pub async fn list(db: &Db, ws: WorkspaceId) -> Result<Vec<Rule>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rules WHERE workspace_id = $1 ORDER BY priority DESC, id"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// A workspace's active rules for one kind of event, the first to run first.
pub async fn active_for<'e, E>(exec: E, ws: WorkspaceId, event: &str) -> Result<Vec<Rule>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rules WHERE workspace_id = $1 AND active = 1 AND event = $2 \
         ORDER BY priority DESC, id"
    )))
    .bind(ws.0)
    .bind(event)
    .fetch_all(exec)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Whether a workspace has any rule on.
pub async fn any_active<'e, E>(exec: E, ws: WorkspaceId) -> Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query("SELECT 1 AS one FROM rules WHERE workspace_id = $1 AND active = 1 LIMIT 1")
            .bind(ws.0)
            .fetch_optional(exec)
            .await?
            .is_some(),
    )
}

/// Every workspace's active daily rules.
pub async fn daily(db: &Db) -> Result<Vec<(WorkspaceId, Rule)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT workspace_id, {COLUMNS} FROM rules WHERE active = 1 AND event = 'daily'"
    )))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((WorkspaceId(r.try_get("workspace_id")?), from_row(r)?)))
        .collect()
}

/// A run of the rule ended well: its failures in a row are forgotten.
pub async fn succeeded(db: &Db, id: i64) -> Result<()> {
    sqlx::query("UPDATE rules SET fails_in_row = 0 WHERE id = $1 AND fails_in_row <> 0")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A run of the rule failed for good: counted, and the rule paused at `limit` failures in
/// a row. Returns whether this failure paused it.
pub async fn failed(db: &Db, id: i64, limit: i64, now: i64) -> Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE rules SET fails_in_row = fails_in_row + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let paused = sqlx::query(
        "UPDATE rules SET active = 0, updated_at = $1 WHERE id = $2 AND active = 1 AND fails_in_row >= $3",
    )
    .bind(now)
    .bind(id)
    .bind(limit.max(1))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(paused > 0)
}

/// Queues a rule's step; the same dedupe key queued before stays the only one.
#[allow(clippy::too_many_arguments)]
pub async fn add_step<'e, E>(
    exec: E,
    ws: WorkspaceId,
    cabinet: Option<CabinetId>,
    rule: i64,
    order: Option<OrderId>,
    dedupe: &str,
    payload: &str,
    due_at: i64,
) -> Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query(
        "INSERT INTO jobs (workspace_id, cabinet_id, kind, dedupe, payload, period_secs, due_at, created_at, updated_at, rule_id, order_id) \
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $6, $6, $7, $8) ON CONFLICT (dedupe) DO NOTHING",
    )
    .bind(ws.0)
    .bind(cabinet.map(|c| c.0))
    .bind(KIND)
    .bind(dedupe)
    .bind(payload)
    .bind(due_at)
    .bind(rule)
    .bind(order.map(i64::from))
    .execute(exec)
    .await?
    .rows_affected()
        > 0)
}

/// One step in the queue, as a person sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub rule: Option<i64>,
    pub rule_name: Option<String>,
    pub order: Option<OrderId>,
    pub number: Option<String>,
    pub payload: String,
    /// `ready`, `done`, `failed` or `skipped`.
    pub state: String,
    pub running: bool,
    pub failures: i64,
    pub due_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ITEM: &str = "SELECT j.id, j.rule_id, r.name AS rule_name, j.order_id, o.number, j.payload, j.state, \
     j.lease_until, j.failures, j.due_at, j.last_error, j.created_at, j.updated_at \
     FROM jobs j LEFT JOIN rules r ON r.id = j.rule_id LEFT JOIN orders o ON o.id = j.order_id";

fn item_from(r: &AnyRow, now: i64) -> Result<Item> {
    Ok(Item {
        id: r.try_get("id")?,
        rule: r.try_get("rule_id")?,
        rule_name: r.try_get("rule_name")?,
        order: r.try_get::<Option<i64>, _>("order_id")?.map(OrderId),
        number: r.try_get("number")?,
        payload: r.try_get("payload")?,
        state: r.try_get("state")?,
        running: r
            .try_get::<Option<i64>, _>("lease_until")?
            .is_some_and(|t| t >= now),
        failures: r.try_get("failures")?,
        due_at: r.try_get("due_at")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Steps still to run or finished since `since` (ended ones only from then), newest
/// first, at most `limit`.
pub async fn items(
    db: &Db,
    ws: WorkspaceId,
    since: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<Item>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEM} WHERE j.workspace_id = $1 AND j.kind = $2 AND (j.state = 'ready' OR j.updated_at >= $3) \
         ORDER BY j.id DESC LIMIT $4"
    )))
    .bind(ws.0)
    .bind(KIND)
    .bind(since)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| item_from(r, now)).collect()
}

pub async fn item(db: &Db, ws: WorkspaceId, id: i64, now: i64) -> Result<Option<Item>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEM} WHERE j.id = $1 AND j.workspace_id = $2 AND j.kind = $3"
    )))
    .bind(id)
    .bind(ws.0)
    .bind(KIND)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(|r| item_from(r, now)).transpose()
}

/// Makes a waiting or failed step due now (a failed one gets one more try); nothing for a
/// step running or ended otherwise. Returns whether it did.
pub async fn retry_now(db: &Db, ws: WorkspaceId, id: i64, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE jobs SET state = 'ready', due_at = $1, reported = 0, updated_at = $1 \
         WHERE id = $2 AND workspace_id = $3 AND kind = $4 AND state IN ('ready', 'failed') \
         AND (lease_until IS NULL OR lease_until < $1)",
    )
    .bind(now)
    .bind(id)
    .bind(ws.0)
    .bind(KIND)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// Ends a waiting or failed step without running it; nothing for one running or done.
pub async fn skip(db: &Db, ws: WorkspaceId, id: i64, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE jobs SET state = 'skipped', lease_owner = NULL, lease_until = NULL, updated_at = $1 \
         WHERE id = $2 AND workspace_id = $3 AND kind = $4 AND state IN ('ready', 'failed') \
         AND (lease_until IS NULL OR lease_until < $1)",
    )
    .bind(now)
    .bind(id)
    .bind(ws.0)
    .bind(KIND)
    .execute(db.pool())
    .await?
    .rows_affected()
        > 0)
}

/// Skipped steps finished before `before`, removed a batch at a time.
pub async fn forget_skipped(db: &Db, before: i64, limit: i64) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE kind = $1 AND state = 'skipped' \
         AND updated_at < $2 LIMIT $3)",
    )
    .bind(KIND)
    .bind(before)
    .bind(limit)
    .execute(db.pool())
    .await?
    .rows_affected())
}
