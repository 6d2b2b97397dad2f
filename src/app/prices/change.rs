//! Changing prices (F6): one SKU's new price or discount on the cabinets chosen, planned
//! into a preview; a preview of a price list the same way; confirming either queues every
//! change for the push (a jump above the workspace's threshold asks once more first) and
//! keeps the SKUs' rules a price list carries.

use crate::domain::ids::{ProductId, SkuId};
use serde::{Deserialize, Serialize};

use super::book::{Book, Planned, Refusal, Target};
use crate::app::jobs::Payload as _;
use crate::app::uploads::preview::{Applied, Kind, claim, store_upload};
use crate::app::{Actor, AppError, AppResult};
use crate::domain::{AuditAction, Cabinet, CabinetId, Money, Permission, TgChatId};
use crate::storage::catalogue::{self as cat, Sku};
use crate::storage::jobs;
use crate::storage::price_changes::{self, NewChange, Origin};
use crate::storage::prices::{self, PriceRow, Rule};

/// A SKU's rules as a price list sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub sku: SkuId,
    pub cost: Option<i64>,
    pub min_guard: Option<i64>,
    pub no_upload: bool,
}

/// What a confirmed preview of prices holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PricePayload {
    /// chat or file.
    pub source: String,
    pub changes: Vec<Planned>,
    #[serde(default)]
    pub rules: Vec<RuleRow>,
    /// Changes above the jump threshold.
    pub jumps: usize,
}

/// Where a SKU may get a new price.
#[derive(Debug, Clone)]
pub struct Targets {
    pub sku: Sku,
    /// Cabinets it is sold on, with the price last read there.
    pub on: Vec<(Cabinet, Option<PriceRow>)>,
    /// Live cabinets it is not sold on.
    pub not_sold: Vec<String>,
    pub rule: Rule,
}

/// One SKU's change, planned.
#[derive(Debug, Clone)]
pub struct OnePreview {
    /// The stored preview to confirm; 0 when nothing would change.
    pub id: i64,
    pub sku: Sku,
    pub lines: Vec<Planned>,
    /// Cabinets refused, with why.
    pub refused: Vec<(String, Refusal)>,
    pub threshold: i64,
}

impl crate::app::rooms::Prices<'_> {
    /// The cabinets a SKU is sold on (to choose from) and those it is not.
    pub async fn price_targets(&self, actor: Actor, sku: SkuId) -> AppResult<Targets> {
        actor.require(Permission::ManagePrices)?;
        let s = cat::sku(&self.db, actor.workspace, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        let book = Book::read_for(&self.db, actor.workspace, &[s.id]).await?;
        let on: Vec<(Cabinet, Option<PriceRow>)> = book
            .cabinets_of(s.id)
            .into_iter()
            .map(|c| (c.clone(), book.current(s.id, c.id).cloned()))
            .collect();
        let not_sold = book
            .cabinets
            .iter()
            .filter(|c| !on.iter().any(|(o, _)| o.id == c.id))
            .map(|c| c.name.clone())
            .collect();
        Ok(Targets {
            rule: book.rules.get(&s.id).copied().unwrap_or_default(),
            sku: s,
            on,
            not_sold,
        })
    }

    /// Plans a SKU's new price on `cabinets` (all it is sold on when empty) and keeps the
    /// preview to confirm.
    pub async fn preview_price(
        &self,
        actor: Actor,
        sku: SkuId,
        cabinets: &[CabinetId],
        target: Target,
    ) -> AppResult<OnePreview> {
        actor.require(Permission::ManagePrices)?;
        let s = cat::sku(&self.db, actor.workspace, sku)
            .await?
            .ok_or(AppError::NotFound)?;
        let book = Book::read_for(&self.db, actor.workspace, &[s.id]).await?;
        let chosen: Vec<&Cabinet> = if cabinets.is_empty() {
            book.cabinets_of(s.id)
        } else {
            book.cabinets
                .iter()
                .filter(|c| cabinets.contains(&c.id))
                .collect()
        };
        let mut lines = Vec::new();
        let mut refused = Vec::new();
        for c in chosen {
            match book.plan(&s, c, target) {
                Ok(p) => lines.push(p),
                Err(r) => refused.push((c.name.clone(), r)),
            }
        }
        let changes: Vec<Planned> = lines.iter().filter(|l| !l.unchanged()).cloned().collect();
        let id = if changes.is_empty() || !refused.is_empty() {
            0
        } else {
            let payload = PricePayload {
                source: "chat".into(),
                jumps: changes
                    .iter()
                    .filter(|l| l.jump.abs() > book.threshold)
                    .count(),
                changes,
                rules: Vec::new(),
            };
            store_upload(self, actor, Kind::Prices.code(), &s.code, &payload).await?
        };
        Ok(OnePreview {
            id,
            sku: s,
            lines,
            refused,
            threshold: book.threshold,
        })
    }

    /// Confirms a preview of prices: queues its changes for the push, once. Jumps above
    /// the threshold wait for `confirmed` (a preview applied before needs no confirmation
    /// to say so).
    pub(crate) async fn apply_price_upload(
        &self,
        actor: Actor,
        id: i64,
        payload: &str,
        chat: TgChatId,
        confirmed: bool,
    ) -> AppResult<Applied> {
        actor.require(Permission::ManagePrices)?;
        let p: PricePayload = serde_json::from_str(payload).unwrap_or_default();
        if p.jumps > 0 && !confirmed {
            return Ok(Applied::Confirm {
                jumps: p.jumps,
                largest: p.changes.iter().map(|c| c.jump.abs()).max().unwrap_or(0),
            });
        }
        let ws = actor.workspace;
        let now = self.now();
        // Only the products the preview names are read.
        let mut named: Vec<ProductId> = p
            .changes
            .iter()
            .flat_map(|c| c.products.iter().copied())
            .collect();
        named.sort_unstable();
        named.dedup();
        let live: std::collections::HashSet<ProductId> =
            crate::storage::book::products_by_ids(&self.db, ws, &named)
                .await?
                .into_iter()
                .map(|x| x.id)
                .collect();
        // The preview's "old → new" must still be what is shown and what was asked last:
        // confirming an older preview after a newer one would undo the newer silently.
        let later = price_changes::changed_after(&self.db, ws, id).await?;
        let (shown, _) = super::book::shown_of(&self.db, ws, &named).await?;
        let stale = p.changes.iter().any(|c| {
            // The price the preview showed is its first product's with one read.
            let now = c.products.iter().find_map(|x| shown.get(x));
            c.products.iter().any(|x| later.contains(x))
                || matches!((now, c.old_after), (Some(now), Some(old)) if now.after_discount.0 != old)
        });
        let mut tx = self.db.begin().await?;
        if !claim(&mut tx, id, now).await? {
            return Ok(Applied::Already);
        }
        if stale {
            tx.commit().await?;
            return Ok(Applied::Stale);
        }
        let mut queued = Vec::new();
        for c in &p.changes {
            for product in c.products.iter().filter(|x| live.contains(x)) {
                queued.push(NewChange {
                    cabinet: CabinetId(c.cabinet),
                    product: *product,
                    sku: Some(c.sku),
                    old_price: c.old_after.map(Money),
                    old_before: c.old_before.map(Money),
                    new_price: Money(c.new_after),
                    new_before: Money(c.new_before),
                    discount: c.discount,
                });
            }
        }
        let origin = Origin {
            batch: id,
            user: actor.user,
            chat: chat.0,
            source: &p.source,
        };
        price_changes::queue(&mut tx, ws, origin, &queued, now).await?;
        let rules: Vec<(SkuId, Rule)> = p
            .rules
            .iter()
            .map(|r| {
                (
                    r.sku,
                    Rule {
                        cost: r.cost.map(Money),
                        min_guard: r.min_guard.map(Money),
                        no_upload: r.no_upload,
                    },
                )
            })
            .collect();
        prices::put_rules(&mut tx, ws, &rules, now).await?;
        let mut cabinets: Vec<i64> = p.changes.iter().map(|c| c.cabinet).collect();
        cabinets.sort_unstable();
        cabinets.dedup();
        for c in &cabinets {
            let run = super::push::PushRun { cabinet: *c };
            // A push already waiting (held back by Ozon's hourly limit) is brought
            // forward; one running now queues another run for what it did not see.
            if !crate::app::jobs::queue(&mut *tx, ws, Some(CabinetId(*c)), &run, now).await? {
                jobs::hasten(&mut *tx, &run.dedupe(), now).await?;
            }
        }
        crate::app::audit_by(
            &mut *tx,
            actor,
            AuditAction::PricesChanged,
            &crate::domain::AuditNote::Prices {
                source: p.source.clone(),
                prices: i64::try_from(p.changes.len()).unwrap_or(i64::MAX),
                rules: i64::try_from(rules.len()).unwrap_or(i64::MAX),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.wake_scheduler();
        Ok(if p.changes.is_empty() {
            Applied::Done(rules.len())
        } else {
            Applied::Queued(p.changes.len())
        })
    }
}
