//! Price changes (F6): every change someone confirmed, kept as the history (who, when,
//! old → new, from where, what the marketplace applied) and worked as the push queue: a
//! row stays queued until its marketplace has answered, so a restart sends it again.

use crate::domain::ids::{ProductId, SkuId};
use std::collections::HashMap;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, Result};
use crate::domain::{CabinetId, Money, TgUserId, WorkspaceId};

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

pub use crate::domain::price::ChangeState as State;

/// A change to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    pub cabinet: CabinetId,
    pub product: ProductId,
    pub sku: Option<SkuId>,
    pub old_price: Option<Money>,
    pub old_before: Option<Money>,
    pub new_price: Money,
    pub new_before: Money,
    pub discount: i64,
}

/// A change as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub cabinet: CabinetId,
    pub product: ProductId,
    pub sku: Option<SkuId>,
    pub batch: i64,
    pub user: Option<TgUserId>,
    pub chat: i64,
    pub source: String,
    pub old_price: Option<Money>,
    pub new_price: Money,
    pub new_before: Money,
    pub discount: i64,
    pub state: State,
    pub not_before: i64,
    pub sent_at: Option<i64>,
    pub applied_price: Option<Money>,
    pub error: Option<String>,
    pub created_at: i64,
}

const COLS: &str = "id, cabinet_id, product_id, sku_id, batch, user_id, chat_id, source, old_price, new_price, \
     new_before, discount_percent, state, not_before, sent_at, applied_price, error, created_at";

fn change_from(r: &AnyRow) -> Result<Change> {
    Ok(Change {
        id: r.try_get("id")?,
        cabinet: CabinetId(r.try_get("cabinet_id")?),
        product: r.try_get("product_id")?,
        sku: r.try_get("sku_id")?,
        batch: r.try_get("batch")?,
        user: r.try_get::<Option<i64>, _>("user_id")?.map(TgUserId),
        chat: r.try_get("chat_id")?,
        source: r.try_get("source")?,
        old_price: r.try_get::<Option<i64>, _>("old_price")?.map(Money),
        new_price: Money(r.try_get("new_price")?),
        new_before: Money(r.try_get("new_before")?),
        discount: r.try_get("discount_percent")?,
        state: State::of(&r.try_get::<String, _>("state")?),
        not_before: r.try_get("not_before")?,
        sent_at: r.try_get("sent_at")?,
        applied_price: r.try_get::<Option<i64>, _>("applied_price")?.map(Money),
        error: r.try_get("error")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Who confirmed a batch of changes and where its report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    pub batch: i64,
    pub user: TgUserId,
    pub chat: i64,
    pub source: &'a str,
}

/// Queues changes of one confirmation.
pub async fn queue(
    tx: &mut Tx<'_>,
    ws: WorkspaceId,
    origin: Origin<'_>,
    changes: &[NewChange],
    now: i64,
) -> Result<()> {
    // Six parameters shared, eight a row: 60 rows a statement (a few hundred parameters
    // cost SQLite least, as it walks a list to find each).
    for chunk in changes.chunks(60) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = 7 + i * 8;
                format!(
                    "($1, ${b}, ${}, ${}, $2, $3, $4, $5, ${}, ${}, ${}, ${}, ${}, 'queued', $6, $6)",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO price_changes (workspace_id, cabinet_id, product_id, sku_id, batch, user_id, chat_id, source, \
             old_price, old_before, new_price, new_before, discount_percent, state, not_before, created_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ws.0)
            .bind(origin.batch)
            .bind(origin.user.0)
            .bind(origin.chat)
            .bind(origin.source)
            .bind(now);
        for c in chunk {
            q = q
                .bind(c.cabinet.0)
                .bind(c.product)
                .bind(c.sku)
                .bind(c.old_price.map(|m| m.0))
                .bind(c.old_before.map(|m| m.0))
                .bind(c.new_price.0)
                .bind(c.new_before.0)
                .bind(c.discount);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A cabinet's queued changes, oldest first.
pub async fn queued(db: &Db, cabinet: CabinetId) -> Result<Vec<Change>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM price_changes WHERE cabinet_id = $1 AND state = 'queued' ORDER BY id"
    )))
    .bind(cabinet.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(change_from).collect()
}

/// When each product of a cabinet was sent a price since `since`.
pub async fn sent_since(db: &Db, cabinet: CabinetId, since: i64) -> Result<Vec<(ProductId, i64)>> {
    let rows = sqlx::query(
        "SELECT product_id, sent_at FROM price_changes WHERE cabinet_id = $1 AND sent_at IS NOT NULL AND sent_at > $2 \
         AND (error IS NULL OR error NOT LIKE 'mpbot:%')",
    )
    .bind(cabinet.0)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("product_id")?, r.try_get("sent_at")?)))
        .collect()
}

/// What one push run learnt of a cabinet's changes, kept in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run<'a> {
    /// Queued changes a later change of the same product replaced.
    pub replaced: Vec<i64>,
    /// Queued changes held back until a time (Ozon's hourly limit).
    pub deferred: Vec<(i64, i64)>,
    /// Changes refused, with the reason.
    pub refused: Vec<(i64, &'a str)>,
    /// Changes accepted and read back as asked.
    pub applied: Vec<i64>,
    /// Changes accepted that the marketplace does not show yet.
    pub pending: Vec<i64>,
    /// The products of the accepted changes: their earlier changes still waiting for the
    /// marketplace are overtaken.
    pub overtaking: Vec<ProductId>,
}

/// Ids a statement names at most (written into it as a list of integers).
const IDS: usize = 500;

/// Keeps what a push run learnt: a statement per few hundred changes instead of one each,
/// so a 100 000-change push is not spent in round trips to the database.
pub async fn record_run(tx: &mut Tx<'_>, run: &Run<'_>, now: i64) -> Result<()> {
    // One statement per few hundred ids: `$1` is `at`, `$2` the text when there is one.
    async fn each<T: Copy + Into<i64>>(
        tx: &mut Tx<'_>,
        ids: &[T],
        sql: &str,
        at: i64,
        text: Option<&str>,
    ) -> Result<()> {
        for chunk in ids.chunks(IDS) {
            let sql = sql.replace("{ids}", &super::id_list(chunk));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at);
            if let Some(t) = text {
                q = q.bind(t);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }
    each(
        tx,
        &run.replaced,
        "UPDATE price_changes SET state = 'superseded', checked_at = $1 WHERE id IN ({ids})",
        now,
        None,
    )
    .await?;
    let mut by_time: HashMap<i64, Vec<i64>> = HashMap::new();
    for (id, at) in &run.deferred {
        by_time.entry(*at).or_default().push(*id);
    }
    for (at, ids) in by_time {
        each(
            tx,
            &ids,
            "UPDATE price_changes SET not_before = $1 WHERE state = 'queued' AND id IN ({ids})",
            at,
            None,
        )
        .await?;
    }
    // Before this run's own changes leave the queue, so they are not caught themselves.
    each(
        tx,
        &run.overtaking,
        "UPDATE price_changes SET state = 'superseded', checked_at = $1 \
         WHERE state IN ('sent', 'pending') AND product_id IN ({ids})",
        now,
        None,
    )
    .await?;
    let mut by_reason: HashMap<&str, Vec<i64>> = HashMap::new();
    for (id, reason) in &run.refused {
        by_reason.entry(reason).or_default().push(*id);
    }
    for (reason, ids) in by_reason {
        each(
            tx,
            &ids,
            "UPDATE price_changes SET state = 'rejected', sent_at = $1, checked_at = $1, error = $2 \
             WHERE id IN ({ids})",
            now,
            Some(reason),
        )
        .await?;
    }
    each(
        tx,
        &run.applied,
        "UPDATE price_changes SET state = 'applied', sent_at = $1, checked_at = $1, error = NULL, \
         applied_price = new_price WHERE id IN ({ids})",
        now,
        None,
    )
    .await?;
    each(
        tx,
        &run.pending,
        "UPDATE price_changes SET state = 'pending', sent_at = $1, checked_at = $1, error = NULL, \
         applied_price = COALESCE((SELECT p.after_discount FROM prices p \
         WHERE p.product_id = price_changes.product_id), applied_price) WHERE id IN ({ids})",
        now,
        None,
    )
    .await?;
    Ok(())
}

/// When a cabinet's earliest queued change may go, if any is queued.
pub async fn next_due(tx: &mut Tx<'_>, cabinet: CabinetId) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT MIN(not_before) AS at FROM price_changes WHERE cabinet_id = $1 AND state = 'queued'",
    )
    .bind(cabinet.0)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get::<Option<i64>, _>("at")?)
}

/// Changes still waiting for the marketplace to show them, now shown as asked: applied.
pub async fn settle_pending(tx: &mut Tx<'_>, cabinet: CabinetId, now: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE price_changes SET state = 'applied', checked_at = $2, \
         applied_price = (SELECT p.after_discount FROM prices p WHERE p.product_id = price_changes.product_id) \
         WHERE cabinet_id = $1 AND state IN ('sent', 'pending') AND new_price = \
         (SELECT p.after_discount FROM prices p WHERE p.product_id = price_changes.product_id)",
    )
    .bind(cabinet.0)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// A SKU's latest changes, newest first.
pub async fn of_sku(db: &Db, ws: WorkspaceId, sku: SkuId, limit: i64) -> Result<Vec<Change>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM price_changes WHERE workspace_id = $1 AND sku_id = $2 ORDER BY id DESC LIMIT $3"
    )))
    .bind(ws.0)
    .bind(sku)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(change_from).collect()
}

/// The products a confirmation later than `batch` changed (a later preview, confirmed
/// first).
pub async fn changed_after(
    db: &Db,
    ws: WorkspaceId,
    batch: i64,
) -> Result<std::collections::HashSet<ProductId>> {
    let rows = sqlx::query(
        "SELECT DISTINCT product_id FROM price_changes WHERE workspace_id = $1 AND batch > $2",
    )
    .bind(ws.0)
    .bind(batch)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| r.try_get::<ProductId, _>("product_id").map_err(Into::into))
        .collect()
}

/// A workspace's confirmed changes still on their way (queued, sent, or accepted while
/// the marketplace shows another price), oldest first.
pub async fn in_flight(db: &Db, ws: WorkspaceId) -> Result<Vec<Change>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM price_changes WHERE workspace_id = $1 \
         AND state IN ('queued', 'sent', 'pending') ORDER BY id"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(change_from).collect()
}

/// The changes on their way for these products, oldest first.
pub async fn in_flight_of(db: &Db, ws: WorkspaceId, products: &[ProductId]) -> Result<Vec<Change>> {
    let sql = format!(
        "SELECT {COLS} FROM price_changes WHERE workspace_id = $1 \
         AND state IN ('queued', 'sent', 'pending') AND product_id IN ({{ids}})"
    );
    let rows = super::rows_for_ids(db, &sql, ws.0, products).await?;
    let mut out = rows.iter().map(change_from).collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// Every change of a workspace (tests and the history read them).
pub async fn all(db: &Db, ws: WorkspaceId) -> Result<Vec<Change>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM price_changes WHERE workspace_id = $1 ORDER BY id"
    )))
    .bind(ws.0)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(change_from).collect()
}
