//! Price lists (F6): the current prices as XLSX, one row per SKU with its cost, minimum
//! price and "do not upload" flag and a column group per cabinet; such a file read back
//! (columns found by their headers in Russian or English, numbers as Excel stores them or
//! people type them) into a preview of the changes, the largest jumps first.

use crate::domain::ids::SkuId;
use std::collections::HashMap;

use super::book::{Book, Planned, Refusal, Target};
use super::change::{PricePayload, RuleRow};
use crate::app::uploads::preview::{Preview, Reason, Rejected, cell, column};
use crate::app::uploads::skus::{NAMING, SkuIndex};
use crate::app::{Actor, AppResult};
use crate::domain::price::{self, Input, InputError};
use crate::domain::sheet::{Col, header_kind};
use crate::domain::{Cabinet, CabinetId, Marketplace, Money, Permission};
use crate::render::sheets::{self, SheetOut, Value};
use crate::storage::catalogue as cat;

/// The largest changes a preview lists.
const SAMPLE: usize = 10;

/// What a price list's column holds, beyond the SKU and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PriceCol {
    Cost,
    Guard,
    NoUpload,
    /// A cabinet's price the buyer pays.
    Price(usize),
    /// A cabinet's discount.
    Discount(usize),
}

fn words(h: &str) -> String {
    let h: String = h
        .trim()
        .to_lowercase()
        .replace('ё', "е")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    h.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cabinet's column a header names: its price (`true`) or discount, and the cabinet's
/// name as written.
fn cabinet_col(header: &str) -> Option<(&str, bool)> {
    let (left, right) = header.rsplit_once(['·', '|', ':'])?;
    match words(right).as_str() {
        "цена" | "price" | "цена после скидки" | "price after discount" => {
            Some((left.trim(), true))
        }
        "скидка" | "discount" | "скидка %" | "discount %" => Some((left.trim(), false)),
        _ => None,
    }
}

/// The column a price list's header names; cabinets by their index in `cabinets`.
fn price_col(header: &str, cabinets: &[Cabinet]) -> Option<PriceCol> {
    if let Some((name, price)) = cabinet_col(header) {
        let name = name.to_lowercase();
        let i = cabinets
            .iter()
            .position(|c| c.name.trim().to_lowercase() == name)?;
        return Some(if price {
            PriceCol::Price(i)
        } else {
            PriceCol::Discount(i)
        });
    }
    if header.contains(['·', '|']) {
        return None;
    }
    match words(header).as_str() {
        "себестоимость" | "cost" | "cost price" | "закупочная цена" | "закупка" => {
            Some(PriceCol::Cost)
        }
        "мин цена" | "минимальная цена" | "min price" | "minimum price" | "min" => {
            Some(PriceCol::Guard)
        }
        "не загружать" | "не выгружать" | "do not upload" | "dont upload" | "skip" => {
            Some(PriceCol::NoUpload)
        }
        _ => None,
    }
}

/// A price list's header among the first rows: a SKU column and a price of a known cabinet.
pub fn find_price_header(
    rows: &[Vec<String>],
    cabinets: &[Cabinet],
) -> Option<(usize, HashMap<Col, usize>)> {
    rows.iter().enumerate().take(10).find_map(|(i, row)| {
        let mut cols = HashMap::new();
        for (j, c) in row.iter().enumerate() {
            if let Some(k) = header_kind(c) {
                cols.entry(k).or_insert(j);
            }
        }
        let priced = row
            .iter()
            .any(|c| matches!(price_col(c, cabinets), Some(PriceCol::Price(_))));
        let named = cols.contains_key(&Col::Sku) || cols.contains_key(&Col::Barcode);
        (named && priced).then_some((i, cols))
    })
}

/// A "do not upload" cell: yes, да, 1, x, + are set.
fn flag(v: &str) -> bool {
    matches!(
        words(v).as_str(),
        "да" | "yes" | "y" | "1" | "true" | "x" | "х" | "истина"
    ) || matches!(v.trim(), "+" | "✓" | "✔")
}

/// A discount cell: "15", "15%", or Excel's 0.15 of a cell formatted as percent.
fn discount_cell(v: &str) -> Result<i64, InputError> {
    match price::parse_discount(v) {
        Err(InputError::TooPrecise) => {
            let f: f64 = v.trim().parse().map_err(|_| InputError::TooPrecise)?;
            let d = (f * 100.0).round();
            if f > 0.0 && f < 1.0 && (f * 100.0 - d).abs() < 1e-6 {
                if d as i64 > price::MAX_DISCOUNT {
                    return Err(InputError::PercentOutOfRange);
                }
                Ok(d as i64)
            } else {
                Err(InputError::TooPrecise)
            }
        }
        r => r,
    }
}

fn optional(v: &str) -> Result<Option<Money>, InputError> {
    if v.is_empty() {
        Ok(None)
    } else {
        price::parse_cell(v).map(Some)
    }
}

/// The words of a price list's header in one language.
#[derive(Debug, Clone)]
pub struct ListWords {
    pub sku: String,
    pub name: String,
    pub cost: String,
    pub guard: String,
    pub no_upload: String,
    pub price: String,
    pub discount: String,
    pub yes: String,
    /// The column naming the cabinets whose price shown is a confirmed change on its way.
    pub waiting: String,
}

impl crate::app::rooms::Prices<'_> {
    /// The current prices as XLSX.
    pub async fn prices_xlsx(&self, actor: Actor, w: ListWords) -> AppResult<Vec<u8>> {
        actor.require(Permission::ViewFinance)?;
        let book = Book::read(&self.db, actor.workspace).await?;
        let skus = cat::skus(&self.db, actor.workspace).await?;
        let mut header = vec![
            w.sku.clone(),
            w.name.clone(),
            w.cost.clone(),
            w.guard.clone(),
            w.no_upload.clone(),
        ];
        for c in &book.cabinets {
            header.push(format!("{} · {}", c.name, w.price));
            header.push(format!("{} · {}", c.name, w.discount));
        }
        header.push(w.waiting.clone());
        let rub = |m: Money| Value::Number(m.0 as f64 / 100.0);
        let rows = skus
            .into_iter()
            .map(|s| {
                let rule = book.rules.get(&s.id).copied().unwrap_or_default();
                let mut row = vec![
                    Value::Text(s.code.clone()),
                    Value::Text(s.name.clone()),
                    rule.cost.map_or(Value::Empty, rub),
                    rule.min_guard.map_or(Value::Empty, rub),
                    if rule.no_upload {
                        Value::Text(w.yes.clone())
                    } else {
                        Value::Empty
                    },
                ];
                let mut waiting = Vec::new();
                for c in &book.cabinets {
                    match book.current(s.id, c.id) {
                        Some(p) => {
                            row.push(rub(p.after_discount));
                            row.push(Value::Number(p.discount_percent as f64));
                            if book.waiting(s.id, c.id) {
                                waiting.push(c.name.clone());
                            }
                        }
                        None => row.extend([Value::Empty, Value::Empty]),
                    }
                }
                row.push(if waiting.is_empty() {
                    Value::Empty
                } else {
                    Value::Text(waiting.join(", "))
                });
                row
            })
            .collect();
        let sheet = SheetOut {
            name: w.price.clone(),
            header,
            rows,
        };
        Ok(crate::render::blocking(move || sheets::write_xlsx(&[sheet])).await?)
    }

    /// Reads a price list's rows into a preview and the payload to confirm.
    pub(crate) async fn read_price_list(
        &self,
        actor: Actor,
        header: &[String],
        data: &[sheets::Row],
        preview: &mut Preview,
    ) -> AppResult<PricePayload> {
        let ws = actor.workspace;
        let mut book = Book::read(&self.db, ws).await?;
        // A row's SKU as a stock list finds it: by code, barcode or vendor code.
        let skus = SkuIndex::new(cat::skus(&self.db, ws).await?);
        let naming: Vec<usize> = NAMING
            .iter()
            .filter_map(|k| header.iter().position(|h| header_kind(h) == Some(*k)))
            .collect();
        let sku_col = naming.first().copied();
        // A column named twice counts once, the first (as Excel users read left to right).
        let mut cols: Vec<(usize, PriceCol)> = Vec::new();
        for (j, h) in header.iter().enumerate() {
            match price_col(h, &book.cabinets) {
                Some(k) if !cols.iter().any(|(_, c)| *c == k) => cols.push((j, k)),
                Some(_) => {}
                None if cabinet_col(h).is_some() => {
                    preview.unknown_columns.push(h.trim().to_owned());
                }
                None => {}
            }
        }
        let find = |k: PriceCol| cols.iter().find(|(_, c)| *c == k).map(|(j, _)| *j);
        let (cost_col, guard_col, flag_col) = (
            find(PriceCol::Cost),
            find(PriceCol::Guard),
            find(PriceCol::NoUpload),
        );
        let priced: Vec<(usize, usize, Option<usize>)> = cols
            .iter()
            .filter_map(|(j, k)| match k {
                PriceCol::Price(i) => Some((*i, *j, find(PriceCol::Discount(*i)))),
                _ => None,
            })
            .collect();
        let mut out = PricePayload {
            source: "file".into(),
            ..Default::default()
        };
        let mut seen: HashMap<SkuId, usize> = HashMap::new();
        // The first row to change a WB card's price, and the price it asks.
        let mut cards: HashMap<(CabinetId, String), (usize, i64, i64)> = HashMap::new();
        for r in data {
            let c = &r.cells;
            if c.iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let reject = |j: Option<usize>, reason: Reason| Rejected {
                row: r.number,
                column: j.map(|j| column(header, j)).unwrap_or_default(),
                value: cell(c, j).chars().take(40).collect(),
                reason,
            };
            let Some(sku) = skus.in_row(c, naming.iter().copied()) else {
                preview.rejected.push(reject(sku_col, Reason::UnknownSku));
                continue;
            };
            if let Some(first) = seen.insert(sku.id, r.number) {
                preview.rejected.push(reject(sku_col, Reason::Twice(first)));
                continue;
            }
            let old = book.rules.get(&sku.id).copied().unwrap_or_default();
            let mut rule = old;
            let mut bad = None;
            for (j, slot) in [(cost_col, &mut rule.cost), (guard_col, &mut rule.min_guard)] {
                if j.is_some() {
                    match optional(cell(c, j)) {
                        Ok(v) => *slot = v,
                        Err(e) => bad = bad.or(Some((j, e))),
                    }
                }
            }
            if let Some((j, e)) = bad {
                preview
                    .rejected
                    .push(reject(j, Reason::Price(Refusal::Input(e))));
                continue;
            }
            if flag_col.is_some() {
                rule.no_upload = flag(cell(c, flag_col));
            }
            if rule != old {
                out.rules.push(RuleRow {
                    sku: sku.id,
                    cost: rule.cost.map(|m| m.0),
                    min_guard: rule.min_guard.map(|m| m.0),
                    no_upload: rule.no_upload,
                });
                book.rules.insert(sku.id, rule);
            }
            if rule.no_upload {
                preview.skipped.push(sku.code.clone());
                continue;
            }
            for (i, pj, dj) in &priced {
                let v = cell(c, Some(*pj));
                if v.is_empty() {
                    continue;
                }
                let cabinet = &book.cabinets[*i];
                // A discount that is none is refused in its own column.
                let discount = match cell(c, *dj) {
                    "" => None,
                    d => match discount_cell(d) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            preview
                                .rejected
                                .push(reject(*dj, Reason::Price(Refusal::Input(e))));
                            continue;
                        }
                    },
                };
                let target = if v.trim_end().ends_with('%') {
                    // "-10%" changes the price the marketplace shows now, as in the chat.
                    Input::parse(v).and_then(|change| {
                        match (discount, book.current(sku.id, cabinet.id)) {
                            (Some(d), Some(now)) => change
                                .apply(now.after_discount)
                                .map(|after| Target::Row(after, Some(d))),
                            _ => Ok(Target::Price(change)),
                        }
                    })
                } else {
                    price::parse_cell(v).map(|after| Target::Row(after, discount))
                };
                let planned = target
                    .map_err(Refusal::Input)
                    .and_then(|t| book.plan(sku, cabinet, t))
                    .and_then(|p| {
                        // The sizes of a WB card share one price: the first row to change it
                        // sets it, a later row asking another is refused. A row that changes
                        // nothing claims nothing (the list names every size's old price).
                        if p.unchanged() || cabinet.marketplace != Marketplace::Wildberries {
                            return Ok(p);
                        }
                        let mine: Vec<(CabinetId, String)> = book
                            .cards_of(sku.id, cabinet.id)
                            .into_iter()
                            .map(|k| (cabinet.id, k.to_owned()))
                            .collect();
                        let clash = mine
                            .iter()
                            .filter_map(|k| cards.get(k))
                            .find(|f| (f.1, f.2) != (p.new_after, p.new_before));
                        if let Some(first) = clash {
                            return Err(Refusal::SameCard(first.0));
                        }
                        for k in mine {
                            cards
                                .entry(k)
                                .or_insert((r.number, p.new_after, p.new_before));
                        }
                        Ok(p)
                    });
                match planned {
                    Ok(p) if p.unchanged() => preview.unchanged += 1,
                    Ok(p) => out.changes.push(Planned { row: r.number, ..p }),
                    Err(e) => preview.rejected.push(reject(Some(*pj), Reason::Price(e))),
                }
            }
        }
        preview.changes = out.changes.len();
        preview.rules = out.rules.len();
        preview.threshold = book.threshold;
        out.jumps = out
            .changes
            .iter()
            .filter(|p| p.jump.abs() > book.threshold)
            .count();
        preview.jumps = out.jumps;
        preview.rounded = out.changes.iter().filter(|p| p.asked.is_some()).count();
        let mut sample = out.changes.clone();
        sample.sort_by_key(|p| std::cmp::Reverse(p.jump.abs()));
        sample.truncate(SAMPLE);
        preview.price_sample = sample;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_discounts_as_people_write_them() {
        assert!(flag("Да") && flag("yes") && flag("1") && flag("+") && flag("x"));
        assert!(!flag("") && !flag("нет") && !flag("0"));
        assert_eq!(discount_cell("15"), Ok(15));
        assert_eq!(discount_cell("0.15"), Ok(15));
        assert_eq!(discount_cell("15%"), Ok(15));
        assert_eq!(discount_cell("1.5"), Err(InputError::TooPrecise));
        assert_eq!(discount_cell("0.96"), Err(InputError::PercentOutOfRange));
    }
}
