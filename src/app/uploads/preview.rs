//! What reading a file someone sent gives: its kind, the preview kept until it is
//! confirmed (changes, unchanged, refused rows with their column and reason), and what
//! confirming did. Shared by every kind of list (stock, nomenclature, prices).

use crate::domain::ids::{SkuId, StoreId};
use serde::{Deserialize, Serialize};

use crate::app::{Actor, AppResult, Services};
use crate::domain::sheet::{CountError, column_letter};

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Stock,
    Nomenclature,
    Prices,
}

impl Kind {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::Stock => "stock",
            Kind::Nomenclature => "nomenclature",
            Kind::Prices => "prices",
        }
    }
}

/// Why a row was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Count(CountError),
    UnknownSku,
    UnknownStore,
    /// The same SKU (and warehouse) on an earlier row.
    Twice(usize),
    NoName,
    /// A price refused (not a price, under the guard, not sold there).
    Price(crate::app::prices::book::Refusal),
}

/// A refused row: where, what it held, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub row: usize,
    /// The column's letter and header: `C «Остаток»`.
    pub column: String,
    pub value: String,
    pub reason: Reason,
}

/// A level a stock list changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockRow {
    pub row: usize,
    pub sku: SkuId,
    pub code: String,
    pub store: StoreId,
    pub store_name: String,
    pub before: i64,
    pub after: i64,
}

/// A file read, waiting for confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub id: i64,
    pub kind: Kind,
    pub name: String,
    /// Data rows read (the header not counted).
    pub rows: usize,
    pub changes: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejected>,
    /// The first changes of a stock list.
    pub sample: Vec<StockRow>,
    /// A nomenclature's new SKUs and changed ones.
    pub created: usize,
    pub updated: usize,
    /// A price list's largest changes, its SKUs marked "do not upload", its changes above
    /// the workspace's jump threshold (and that threshold), its SKUs' rules changed.
    pub price_sample: Vec<crate::app::prices::book::Planned>,
    pub skipped: Vec<String>,
    /// A price list's columns that look like a cabinet's price or discount but name no
    /// cabinet of the company (a typo, a cabinet renamed or deleted): left unread.
    pub unknown_columns: Vec<String>,
    pub jumps: usize,
    /// Changes whose price the marketplace will hold a few kopecks off what was asked.
    pub rounded: usize,
    pub threshold: i64,
    pub rules: usize,
}

/// Why a file is not something we read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAList {
    /// Not a spreadsheet or CSV at all.
    Unreadable,
    Empty,
    /// No header row of a stock list or a nomenclature: the first row and what it held.
    NoHeader {
        row: usize,
        found: Vec<String>,
    },
    /// More than the bot reads from one file; nothing of it was laid out.
    TooLarge(crate::render::sheets::Excess),
    /// More data rows than one list may have.
    TooLong {
        rows: usize,
    },
}

/// What confirming a preview did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Applied now: this many changes.
    Done(usize),
    /// Prices confirmed now: this many go to the marketplaces, whose answers come later.
    Queued(usize),
    /// Applied before (a second tap): nothing now.
    Already,
    /// Prices changing by more than the workspace's threshold: confirm once more.
    Confirm { jumps: usize, largest: i64 },
    /// Prices previewed from what has changed since (a later preview confirmed first, or
    /// the marketplace showing another price now): nothing is sent, the preview is closed.
    Stale,
    /// The preview was cancelled: nothing was done.
    Dropped,
}

/// Keeps a preview until its owner confirms it; its id.
pub(crate) async fn store_upload<T: Serialize>(
    svc: &Services,
    actor: Actor,
    kind: &str,
    name: &str,
    payload: &T,
) -> AppResult<i64> {
    let json = serde_json::to_string(payload).unwrap_or_default();
    Ok(crate::storage::uploads::insert(
        &svc.db,
        actor.workspace,
        actor.user,
        kind,
        name,
        &json,
        svc.now(),
    )
    .await?)
}

/// The most data rows a file may have.
pub const MAX_ROWS: usize = 200_000;

pub(crate) fn column(header: &[String], j: usize) -> String {
    let name = header.get(j).map(|h| h.trim()).unwrap_or_default();
    if name.is_empty() {
        column_letter(j)
    } else {
        format!("{} «{name}»", column_letter(j))
    }
}

pub(crate) fn cell(cells: &[String], j: Option<usize>) -> &str {
    j.and_then(|j| cells.get(j)).map(|s| s.trim()).unwrap_or("")
}

/// Marks a preview applied, once: whether this call was the one.
pub(crate) async fn claim(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    now: i64,
) -> AppResult<bool> {
    Ok(crate::storage::uploads::claim(tx, id, now).await?)
}
