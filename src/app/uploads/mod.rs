//! Files people send (F2, F5, F6): a stock list, a nomenclature or a price list, XLSX or
//! CSV, its columns found by their headers in Russian or English and in any order, read
//! into a preview that names every refused row and column; confirming applies it once (a
//! price list through the prices' own confirmation). The nomenclature is also written back
//! as XLSX.

use crate::domain::ids::{SkuId, StoreId};
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Actor, AppError, AppResult};
use crate::domain::sheet::{Col, find_header, parse_count};
use crate::domain::{AuditAction, Permission};
use crate::render::sheets::{self, ReadError, SheetOut, Value};
use crate::storage::catalogue::{self as cat, NewSku};
use crate::storage::stocks::{self, Move};

pub mod preview;
pub(crate) mod skus;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Payload {
    #[serde(default)]
    stock: Vec<StockRow>,
    #[serde(default)]
    skus: Vec<SkuRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SkuRow {
    code: String,
    name: String,
    vendor_code: String,
    barcodes: Vec<String>,
    weight_g: Option<i64>,
    exists: bool,
}

pub use crate::render::sheets::Excess;
pub use preview::{Applied, Kind, MAX_ROWS, NotAList, Preview, Reason, Rejected, StockRow};
use preview::{cell, claim, column, store_upload};
use skus::{NAMING, SkuIndex};

/// Uploads being read at once (one: see `read_upload`).
static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

impl crate::app::rooms::Uploads<'_> {
    /// Remembers the message a preview was shown in (so `/cancel` can close it there).
    pub async fn preview_shown(
        &self,
        actor: Actor,
        id: i64,
        chat: crate::domain::TgChatId,
        message: i64,
    ) -> AppResult<()> {
        Ok(
            crate::storage::uploads::shown_in(&self.db, actor.workspace, id, chat.0, message)
                .await?,
        )
    }

    /// Cancels a preview (its Cancel button); whether it was still open.
    pub async fn drop_preview(&self, actor: Actor, id: i64) -> AppResult<bool> {
        Ok(
            crate::storage::uploads::drop(&self.db, actor.workspace, actor.user, id, self.now())
                .await?,
        )
    }

    /// Cancels every open preview the actor was shown in `chat` (`/cancel`); the messages
    /// they were shown in.
    pub async fn drop_open_previews(
        &self,
        actor: Actor,
        chat: crate::domain::TgChatId,
    ) -> AppResult<Vec<i64>> {
        Ok(crate::storage::uploads::drop_open_in(
            &self.db,
            actor.workspace,
            actor.user,
            chat.0,
            self.now(),
        )
        .await?)
    }

    /// Reads a file someone sent into a preview (kept until they confirm it).
    pub async fn read_upload(
        &self,
        actor: Actor,
        name: &str,
        bytes: Vec<u8>,
    ) -> AppResult<Result<Preview, NotAList>> {
        actor.require(Permission::ViewData)?;
        // One file is read at a time: each is read within its budget, and the budgets of
        // many files sent at once must not add up.
        let permit = READING
            .acquire()
            .await
            .map_err(|e| AppError::Render(crate::render::RenderError::Xlsx(e.to_string())))?;
        let rows = tokio::task::spawn_blocking(move || sheets::read_table(&bytes))
            .await
            .map_err(|e| AppError::Render(crate::render::RenderError::Xlsx(e.to_string())))?;
        drop(permit);
        let rows = match rows {
            Ok(r) => r,
            Err(ReadError::NotATable) => return Ok(Err(NotAList::Unreadable)),
            Err(ReadError::Empty) => return Ok(Err(NotAList::Empty)),
            Err(ReadError::TooLarge(e)) => return Ok(Err(NotAList::TooLarge(e))),
        };
        let texts: Vec<Vec<String>> = rows.iter().take(10).map(|r| r.cells.clone()).collect();
        let stock_sets: &[&[Col]] = &[
            &[Col::Sku, Col::Quantity],
            &[Col::Barcode, Col::Quantity],
            &[Col::VendorCode, Col::Quantity],
        ];
        let cabinets = crate::storage::cabinets::list(&self.db, actor.workspace).await?;
        let (kind, at, cols) = if let Some((i, cols)) = find_header(&texts, stock_sets) {
            (Kind::Stock, i, cols)
        } else if let Some((i, cols)) =
            crate::app::prices::list::find_price_header(&texts, &cabinets)
        {
            (Kind::Prices, i, cols)
        } else if let Some((i, cols)) = find_header(&texts, &[&[Col::Sku, Col::Name]]) {
            (Kind::Nomenclature, i, cols)
        } else {
            return Ok(Err(NotAList::NoHeader {
                row: rows[0].number,
                found: rows[0]
                    .cells
                    .iter()
                    .filter(|c| !c.trim().is_empty())
                    .take(6)
                    .map(|c| c.trim().chars().take(30).collect())
                    .collect(),
            }));
        };
        match kind {
            Kind::Stock => actor.require(Permission::CountStock)?,
            Kind::Nomenclature | Kind::Prices => actor.require(Permission::ManagePrices)?,
        }
        let header = rows[at].cells.clone();
        let data = &rows[at + 1..];
        if data.len() > MAX_ROWS {
            return Ok(Err(NotAList::TooLong { rows: data.len() }));
        }
        let mut preview = Preview {
            id: 0,
            kind,
            name: name.chars().take(100).collect(),
            rows: data.len(),
            changes: 0,
            unchanged: 0,
            rejected: Vec::new(),
            sample: Vec::new(),
            created: 0,
            updated: 0,
            price_sample: Vec::new(),
            skipped: Vec::new(),
            unknown_columns: Vec::new(),
            jumps: 0,
            rounded: 0,
            threshold: 0,
            rules: 0,
        };
        if kind == Kind::Prices {
            let payload = self
                .prices()
                .read_price_list(actor, &header, data, &mut preview)
                .await?;
            preview.id = store_upload(self, actor, kind.code(), &preview.name, &payload).await?;
            return Ok(Ok(preview));
        }
        let payload = match kind {
            Kind::Stock => {
                self.read_stock(actor, &header, &cols, data, &mut preview)
                    .await?
            }
            Kind::Nomenclature | Kind::Prices => {
                self.read_skus(actor, &header, &cols, data, &mut preview)
                    .await?
            }
        };
        preview.id = store_upload(self, actor, kind.code(), &preview.name, &payload).await?;
        Ok(Ok(preview))
    }

    async fn read_stock(
        &self,
        actor: Actor,
        header: &[String],
        cols: &HashMap<Col, usize>,
        data: &[sheets::Row],
        preview: &mut Preview,
    ) -> AppResult<Payload> {
        let ws = actor.workspace;
        let skus = SkuIndex::new(cat::skus(&self.db, ws).await?);
        let stores = self.stocks().stores(actor).await?;
        let levels = stocks::levels(&self.db, ws).await?;
        let main = stores[0].clone();
        let mut seen: HashMap<(SkuId, StoreId), usize> = HashMap::new();
        let mut out = Payload::default();
        let id_col = NAMING.iter().find_map(|k| cols.get(k)).copied();
        let qty_col = cols.get(&Col::Quantity).copied();
        let store_col = cols.get(&Col::Store).copied();
        for r in data {
            let c = &r.cells;
            let reject = |j: Option<usize>, reason: Reason| Rejected {
                row: r.number,
                column: j.map(|j| column(header, j)).unwrap_or_default(),
                value: cell(c, j).chars().take(40).collect(),
                reason,
            };
            // The SKU by any of the columns that name it.
            let found = skus.in_row(c, NAMING.iter().filter_map(|k| cols.get(k).copied()));
            let Some(sku) = found else {
                preview.rejected.push(reject(id_col, Reason::UnknownSku));
                continue;
            };
            let after = match parse_count(cell(c, qty_col)) {
                Ok(n) => n,
                Err(e) => {
                    preview.rejected.push(reject(qty_col, Reason::Count(e)));
                    continue;
                }
            };
            let store = match cell(c, store_col) {
                "" => main.clone(),
                name => match stores
                    .iter()
                    .find(|s| s.name.to_lowercase() == name.to_lowercase())
                {
                    Some(s) => s.clone(),
                    None => {
                        preview
                            .rejected
                            .push(reject(store_col, Reason::UnknownStore));
                        continue;
                    }
                },
            };
            if let Some(first) = seen.insert((sku.id, store.id), r.number) {
                preview.rejected.push(reject(id_col, Reason::Twice(first)));
                continue;
            }
            let before = levels
                .get(&sku.id)
                .and_then(|l| l.iter().find(|(s, _)| *s == store.id).map(|(_, q)| *q));
            if before == Some(after) {
                preview.unchanged += 1;
                continue;
            }
            out.stock.push(StockRow {
                row: r.number,
                sku: sku.id,
                code: sku.code.clone(),
                store: store.id,
                store_name: store.name.clone(),
                before: before.unwrap_or(0),
                after,
            });
        }
        preview.changes = out.stock.len();
        let mut sample = out.stock.clone();
        // The largest changes first.
        sample.sort_by_key(|s| std::cmp::Reverse((s.after - s.before).abs()));
        sample.truncate(10);
        preview.sample = sample;
        Ok(out)
    }

    async fn read_skus(
        &self,
        actor: Actor,
        header: &[String],
        cols: &HashMap<Col, usize>,
        data: &[sheets::Row],
        preview: &mut Preview,
    ) -> AppResult<Payload> {
        let existing: HashMap<String, cat::Sku> = cat::skus(&self.db, actor.workspace)
            .await?
            .into_iter()
            .map(|s| (s.code.to_lowercase(), s))
            .collect();
        let get = |k: Col| cols.get(&k).copied();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Payload::default();
        for r in data {
            let c = &r.cells;
            let reject = |j: Option<usize>, reason: Reason| Rejected {
                row: r.number,
                column: j.map(|j| column(header, j)).unwrap_or_default(),
                value: cell(c, j).chars().take(40).collect(),
                reason,
            };
            let code: String = cell(c, get(Col::Sku)).chars().take(64).collect();
            if code.is_empty() {
                preview
                    .rejected
                    .push(reject(get(Col::Sku), Reason::UnknownSku));
                continue;
            }
            let name: String = cell(c, get(Col::Name)).chars().take(200).collect();
            if name.is_empty() {
                preview
                    .rejected
                    .push(reject(get(Col::Name), Reason::NoName));
                continue;
            }
            let weight_g = match cell(c, get(Col::Weight)) {
                "" => None,
                w => match parse_count(w) {
                    Ok(n) => Some(n),
                    Err(e) => {
                        preview
                            .rejected
                            .push(reject(get(Col::Weight), Reason::Count(e)));
                        continue;
                    }
                },
            };
            if let Some(first) = seen.insert(code.to_lowercase(), r.number) {
                preview
                    .rejected
                    .push(reject(get(Col::Sku), Reason::Twice(first)));
                continue;
            }
            let barcodes: Vec<String> = cell(c, get(Col::Barcode))
                .split([',', ';', ' '])
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(str::to_owned)
                .collect();
            let row = SkuRow {
                vendor_code: cell(c, get(Col::VendorCode)).to_owned(),
                exists: false,
                code,
                name,
                barcodes,
                weight_g,
            };
            match existing.get(&row.code.to_lowercase()) {
                Some(s)
                    if s.name == row.name
                        && s.vendor_code == row.vendor_code
                        && s.weight_g == row.weight_g
                        && {
                            let mut a = s.barcodes.clone();
                            let mut b = row.barcodes.clone();
                            a.sort();
                            b.sort();
                            a == b
                        } =>
                {
                    preview.unchanged += 1;
                }
                Some(_) => {
                    preview.updated += 1;
                    out.skus.push(SkuRow {
                        exists: true,
                        ..row
                    });
                }
                None => {
                    preview.created += 1;
                    out.skus.push(row);
                }
            }
        }
        preview.changes = out.skus.len();
        Ok(out)
    }

    /// Applies a preview once; a second tap applies nothing. Prices report to `chat`;
    /// large price jumps wait for `confirmed`.
    pub async fn apply_upload(
        &self,
        actor: Actor,
        id: i64,
        chat: crate::domain::TgChatId,
        confirmed: bool,
    ) -> AppResult<Applied> {
        actor.require(Permission::ViewData)?;
        let up = crate::storage::uploads::get(&self.db, actor.workspace, actor.user, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if up.dropped {
            return Ok(Applied::Dropped);
        }
        let (kind, name, raw) = (up.kind, up.name, up.payload);
        if kind == Kind::Prices.code() {
            return self
                .prices()
                .apply_price_upload(actor, id, &raw, chat, confirmed || up.applied)
                .await;
        }
        let payload: Payload = serde_json::from_str(&raw).unwrap_or_default();
        match kind.as_str() {
            "stock" => actor.require(Permission::CountStock)?,
            _ => actor.require(Permission::ManagePrices)?,
        }
        let now = self.now();
        let ws = actor.workspace;
        let live: std::collections::HashSet<SkuId> = if payload.stock.is_empty() {
            Default::default()
        } else {
            cat::skus(&self.db, ws)
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect()
        };
        let mut tx = self.db.begin().await?;
        if !claim(&mut tx, id, now).await? {
            return Ok(Applied::Already);
        }
        // A SKU deleted since the preview is skipped.
        let moves: Vec<Move<'_>> = payload
            .stock
            .iter()
            .filter(|s| live.contains(&s.sku))
            .map(|s| Move {
                sku: s.sku,
                store: s.store,
                after: s.after,
                user: Some(actor.user),
                source: super::stocks::Source::File.code(),
                reason: &name,
            })
            .collect();
        let mut done = moves.len();
        stocks::set_levels(&mut tx, ws, &moves, now).await?;
        let mut fresh = Vec::new();
        for s in &payload.skus {
            let new = NewSku {
                code: s.code.clone(),
                name: s.name.clone(),
                vendor_code: s.vendor_code.clone(),
                barcodes: s.barcodes.clone(),
                weight_g: s.weight_g,
            };
            if s.exists && cat::update_sku(&mut tx, ws, &new, now).await?.is_some() {
                done += 1;
            } else {
                fresh.push(new);
            }
        }
        done += cat::create_skus(&mut tx, ws, &fresh, now).await?;
        let action = if payload.skus.is_empty() {
            AuditAction::StockChanged
        } else {
            AuditAction::CatalogueChanged
        };
        super::audit_by(
            &mut *tx,
            actor,
            action,
            &crate::domain::AuditNote::Upload {
                file: name.clone(),
                rows: i64::try_from(done).unwrap_or(i64::MAX),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        if !payload.stock.is_empty() {
            let book = super::stocks::Book::read(&self.db, ws).await?;
            self.stocks().stock_alerts(ws, &book, None).await?;
        } else {
            self.catalogue().autolink(ws).await?;
        }
        Ok(Applied::Done(done))
    }

    /// The nomenclature as XLSX, with headers in `words` (code, name, barcodes, vendor
    /// code, weight) so the file reads back in.
    pub async fn nomenclature_xlsx(&self, actor: Actor, words: [String; 5]) -> AppResult<Vec<u8>> {
        actor.require(Permission::ViewData)?;
        let skus = cat::skus(&self.db, actor.workspace).await?;
        let rows = skus
            .into_iter()
            .map(|s| {
                vec![
                    Value::Text(s.code),
                    Value::Text(s.name),
                    Value::Text(s.barcodes.join(", ")),
                    Value::Text(s.vendor_code),
                    s.weight_g.map_or(Value::Empty, |w| Value::Number(w as f64)),
                ]
            })
            .collect();
        let sheet = SheetOut {
            name: words[1].clone(),
            header: words.to_vec(),
            rows,
        };
        Ok(crate::render::blocking(move || sheets::write_xlsx(&[sheet])).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_name_their_letter_and_header() {
        let h = vec!["Артикул".to_owned(), " ".to_owned(), "Остаток".to_owned()];
        assert_eq!(column(&h, 2), "C «Остаток»");
        assert_eq!(column(&h, 1), "B");
        assert_eq!(column(&h, 5), "F");
    }
}
