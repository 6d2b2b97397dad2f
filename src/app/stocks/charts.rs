//! Stock charts as use cases: a SKU's level per warehouse over 14, 30 or 90 days rebuilt
//! from its recorded changes, with its sales; and the warehouse's top SKUs by stock and by
//! days of stock left. Times are shifted into the workspace's zone before drawing; PNGs are
//! drawn off the async runtime.

use crate::domain::ids::SkuId;
use std::collections::HashMap;

use super::VELOCITY_DAYS;
use super::book::Book;
use crate::app::{Actor, AppError, AppResult};
use crate::domain::Permission;
use crate::domain::stock::days_left;
use crate::render::charts::{self, Bar, LevelChart, Series};
use crate::storage::catalogue as cat;
use crate::storage::stocks;

/// The windows a SKU chart offers.
pub const WINDOWS: [i64; 3] = [14, 30, 90];

/// Words a chart carries, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartWords {
    pub title: String,
    pub sales: String,
    pub units: String,
}

/// Bars shown per panel of the warehouse chart.
pub const TOP: usize = 15;

impl crate::app::rooms::Stocks<'_> {
    /// A SKU's stock chart over `days`; `None` when it has no history to draw (its stock
    /// was never set).
    pub async fn stock_chart(
        &self,
        actor: Actor,
        sku: SkuId,
        days: i64,
        words: ChartWords,
    ) -> AppResult<Option<Vec<u8>>> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let s = cat::sku(&self.db, ws, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        let days = if WINDOWS.contains(&days) { days } else { 30 };
        let now = self.now();
        let from = now - days * 86_400;
        let current = stocks::levels_of(&self.db, ws, s.id).await?;
        let moves = stocks::moves(&self.db, ws, s.id, from).await?;
        let known_before = stocks::stores_known_before(&self.db, ws, s.id, from).await?;
        if current.is_empty() && moves.is_empty() {
            return Ok(None);
        }
        let zone = self.zone_of(actor.workspace).await?;
        let local = |t: i64| t + zone.offset_secs(t);
        let stores = self.stores_of(ws).await?;
        let mut series = Vec::new();
        for store in &stores {
            let mine: Vec<_> = moves.iter().filter(|m| m.store == store.id).collect();
            let now_level = current
                .iter()
                .find(|(st, _)| *st == store.id)
                .map(|(_, q)| *q);
            if mine.is_empty() && now_level.is_none() {
                continue;
            }
            // What it held at the start: before the first change in the window, or what
            // it holds now when nothing changed since. A level first recorded inside the
            // window starts there: before it the level was unknown, not zero.
            let mut points = match mine.first() {
                Some(first) if !known_before.contains(&store.id) && first.before == 0 => Vec::new(),
                Some(first) => vec![(local(from), first.before)],
                None => vec![(local(from), now_level.unwrap_or(0))],
            };
            points.extend(mine.iter().map(|m| (local(m.at), m.after)));
            series.push(Series {
                name: store.name.clone(),
                points,
            });
        }
        let book = Book::read_for(&self.db, ws, &[s.id], &[]).await?;
        let lines = stocks::sold_lines(&self.db, ws, from).await?;
        let finder = book.finder(&self.db, ws, &lines).await?;
        let mut by_day: HashMap<i64, i64> = HashMap::new();
        for line in lines {
            let Some(p) = finder.find(&line) else {
                continue;
            };
            if !book.sku_of.get(&p).is_some_and(|v| v.contains(&s.id)) {
                continue;
            }
            let at: i64 = line.number.parse().unwrap_or(now);
            let day = local(at).div_euclid(86_400) * 86_400 + 43_200;
            *by_day.entry(day).or_default() += line.quantity;
        }
        let mut sales: Vec<(i64, i64)> = by_day.into_iter().collect();
        sales.sort_unstable();
        let chart = LevelChart {
            title: words.title,
            from: local(from),
            to: local(now),
            series,
            sales,
            sales_label: words.sales,
            y_label: words.units,
        };
        Ok(Some(
            crate::render::blocking(move || charts::levels(&chart)).await?,
        ))
    }

    /// The warehouse chart: the top SKUs by stock and the fewest days of stock left; `None`
    /// when no stock is set.
    pub async fn warehouse_chart(
        &self,
        actor: Actor,
        [title, by_stock, by_days, empty]: [String; 4],
    ) -> AppResult<Option<Vec<u8>>> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let book = Book::read(&self.db, ws).await?;
        if book.levels.is_empty() {
            return Ok(None);
        }
        let sold = self
            .sold_since(ws, &book, self.now() - VELOCITY_DAYS * 86_400)
            .await?;
        let mut stock: Vec<(i64, &str)> = book
            .levels
            .keys()
            .filter_map(|id| {
                book.skus
                    .get(id)
                    .map(|s| (book.on_hand(*id), s.code.as_str()))
            })
            .collect();
        stock.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let left: Vec<Bar> = stock
            .iter()
            .take(TOP)
            .map(|(q, code)| Bar {
                label: (*code).to_owned(),
                value: *q as f64,
            })
            .collect();
        let mut days: Vec<(i64, &str)> = book
            .levels
            .keys()
            .filter_map(|id| {
                let s = book.skus.get(id)?;
                let available = (book.on_hand(*id) - book.reserved(*id)).max(0);
                days_left(available, sold.get(id).copied().unwrap_or(0), VELOCITY_DAYS)
                    .map(|d| (d, s.code.as_str()))
            })
            .collect();
        days.sort();
        let right: Vec<Bar> = days
            .iter()
            .take(TOP)
            .map(|(d, code)| Bar {
                label: (*code).to_owned(),
                value: *d as f64,
            })
            .collect();
        Ok(Some(
            crate::render::blocking(move || {
                charts::bars(&title, (&by_stock, &left), (&by_days, &right), &empty)
            })
            .await?,
        ))
    }
}
