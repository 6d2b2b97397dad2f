//! Orders (F3): importing new and changed FBS and FBO orders of a cabinet, idempotently
//! (one row per marketplace order), each status mapped to a unified one by the workspace's
//! mappings over the defaults; the cursor moves only in the transaction that stored what
//! was read. New orders, cancellations and unmapped statuses are raised as alerts in that
//! same transaction, so each is told once.

use crate::domain::ids::OrderId;
use std::collections::HashMap;

use super::{AppError, AppResult};
use crate::domain::alerts::Alert;
use crate::domain::cabinet::KeyProblem;
use crate::domain::order::{StatusKey, UnifiedStatus, default_mapping, fbo_client_name};
use crate::domain::{CabinetId, Marketplace, Money, Scheme, WorkspaceId};
use crate::marketplaces::{MarketplaceApi, Order, OrderCursor};
use crate::storage::orders::{self, ItemRow, OrderRow, Upserted};
use crate::storage::{cabinets, statuses};

/// How far back the first import of a cabinet looks.
pub const FIRST_IMPORT_SECS: i64 = 3 * 86_400;
/// Each import re-reads this much before its cursor, so a change the marketplace reports
/// late is not missed (re-reading is harmless: the rows stay one per order).
pub const OVERLAP_SECS: i64 = 300;

/// How often orders seen before are looked at again where a marketplace cannot list
/// changes by time (WB): between sweeps a poll costs one request, for new orders.
pub const SWEEP_SECS: i64 = 300;
/// With nothing new, an import's cursor is moved only this far at least: the next poll
/// reads a little more than it must, and an idle process does not write every minute.
pub const CURSOR_STEP_SECS: i64 = 600;
/// The cabinet's "synced at" is stamped again after this long (at once when it clears a
/// failure), so a sync every minute is not a write every minute.
pub const SYNC_STAMP_SECS: i64 = 300;
/// A key found refused that syncs again is checked again at most this often.
pub const KEY_RECHECK_AFTER_SYNC_SECS: i64 = 600;

/// What one import of a cabinet found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Orders seen for the first time.
    pub created: Vec<OrderId>,
    /// Orders whose status moved: (order, unified before, unified now).
    pub changed: Vec<(OrderId, UnifiedStatus, UnifiedStatus)>,
    /// Marketplace statuses nobody mapped, met in this import.
    pub unmapped: Vec<StatusKey>,
}

/// An order's status and substatus as the marketplace reports them: WB reports
/// `supplierStatus/wbStatus` and YM `STATUS/SUBSTATUS` in one field.
pub fn status_of(o: &Order) -> (String, String) {
    match o.status.split_once('/') {
        Some((s, sub)) => (s.to_owned(), sub.to_owned()),
        None => (o.status.clone(), o.substatus.clone().unwrap_or_default()),
    }
}

/// The key a marketplace status is mapped by: Ozon maps by status alone.
pub fn status_key(marketplace: Marketplace, status: &str, substatus: &str) -> StatusKey {
    match marketplace {
        Marketplace::Ozon => StatusKey::new(marketplace, status, ""),
        _ => StatusKey::new(marketplace, status, substatus),
    }
}

/// The unified status of a key: the workspace's mapping of exactly it, then of its status
/// with any substatus, then the default.
pub fn unify(own: &HashMap<StatusKey, UnifiedStatus>, key: &StatusKey) -> Option<UnifiedStatus> {
    own.get(key)
        .or_else(|| own.get(&key.any_substatus()))
        .copied()
        .or_else(|| default_mapping(key))
}

fn kind_of(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Fbo => "orders-fbo",
        Scheme::Fbs | Scheme::Dbs => "orders-fbs",
    }
}

impl crate::app::rooms::Orders<'_> {
    /// Imports what changed in a cabinet's orders since the last import; a disabled or
    /// archived cabinet imports nothing.
    /// Items a marketplace names only by their vendor code (WB) take the product's name
    /// from the catalogue, read for those items only.
    async fn name_items(
        &self,
        c: &crate::domain::Cabinet,
        orders: &mut [crate::marketplaces::Order],
    ) -> AppResult<()> {
        let unnamed = |i: &crate::marketplaces::OrderItem| {
            i.name.trim().is_empty() || i.name.trim() == i.vendor_code.trim()
        };
        let mut skus = Vec::new();
        let mut codes = Vec::new();
        for i in orders.iter().flat_map(|o| &o.items).filter(|i| unnamed(i)) {
            skus.push(i.sku.clone());
            codes.push(i.vendor_code.clone());
        }
        if skus.is_empty() {
            return Ok(());
        }
        skus.sort();
        skus.dedup();
        codes.sort();
        codes.dedup();
        let (by_sku, by_code) =
            crate::storage::catalogue::names_for(&self.db, c.id, &skus, &codes).await?;
        for i in orders.iter_mut().flat_map(|o| o.items.iter_mut()) {
            if unnamed(i)
                && let Some(name) = by_sku.get(&i.sku).or_else(|| by_code.get(&i.vendor_code))
            {
                i.name = name.clone();
            }
        }
        Ok(())
    }

    /// The rule events an imported order raises: created, a status reached, cancelled.
    async fn fire_rules(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        row: &orders::OrderRow<'_>,
        upserted: &Upserted,
    ) -> AppResult<()> {
        use crate::domain::rules::Trigger;
        let (id, before) = match upserted {
            Upserted::Created { id } => (*id, None),
            Upserted::Changed { id, before } if *before != row.unified => (*id, Some(*before)),
            _ => return Ok(()),
        };
        let facts = crate::domain::rules::Facts {
            cabinet: Some(row.cabinet),
            marketplace: Some(row.marketplace),
            scheme: Some(row.scheme),
            status: Some(row.unified),
            sum: Some(row.total),
            codes: row.items.iter().map(|i| i.vendor_code.to_owned()).collect(),
            placed_at: Some(row.created_at),
            assembled: before.is_some_and(UnifiedStatus::is_assembled),
            now: self.now(),
        };
        let ws = row.workspace;
        let unified = row.unified;
        let mut events = Vec::new();
        if before.is_none() && (unified.is_open() || unified == UnifiedStatus::NoStatus) {
            events.push((Trigger::OrderCreated, "created".to_owned()));
        }
        if before.is_some() || unified.is_open() || unified == UnifiedStatus::NoStatus {
            let status = Trigger::StatusReached { status: unified };
            events.push((status, format!("status:{}", unified.code())));
        }
        if unified == UnifiedStatus::Cancelled && before.is_some() {
            events.push((Trigger::OrderCancelled, "cancelled".to_owned()));
        }
        for (trigger, event) in events {
            self.rules()
                .fire_in(tx, ws, trigger, &facts, (Some(id), &event))
                .await?;
        }
        Ok(())
    }

    pub async fn import_orders(&self, cabinet: CabinetId) -> AppResult<Imported> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            return Ok(Imported::default());
        };
        if !c.enabled {
            return Ok(Imported::default());
        }
        let client = self.cabinets().client_for(&c).await?;
        let mut out = Imported::default();
        for scheme in [Scheme::Fbs, Scheme::Fbo] {
            if !c.scheme.covers(scheme) {
                continue;
            }
            let kind = kind_of(scheme);
            let now = self.clock.now();
            let sweep_kind = format!("{kind}-sweep");
            let (at, since, sweep) = {
                let mut tx = self.db.begin().await?;
                let at = orders::cursor(&mut tx, c.id, kind).await?;
                let swept = orders::cursor(&mut tx, c.id, &sweep_kind).await?;
                tx.commit().await?;
                let since = at
                    .map(|t| t - OVERLAP_SECS)
                    .unwrap_or(now.timestamp() - FIRST_IMPORT_SECS);
                let sweep = swept.is_none_or(|t| now.timestamp() - t >= SWEEP_SECS);
                (at, since, sweep)
            };
            let cursor = OrderCursor {
                changed_since: chrono::DateTime::from_timestamp(since, 0).unwrap_or(now),
                now,
                sweep,
            };
            let mut batch = client
                .orders(scheme, cursor)
                .await
                .map_err(AppError::from)?;
            self.name_items(&c, &mut batch.orders).await?;
            let mut tx = self.db.begin().await?;
            let own = orders::mappings(&mut tx, c.workspace).await?;
            // Rules are looked for only where the company has any on.
            let rules_on = crate::storage::rules::any_active(&mut *tx, c.workspace).await?;
            let client_id = match scheme {
                Scheme::Fbo => Some(
                    orders::fbo_client(
                        &mut tx,
                        c.workspace,
                        c.marketplace,
                        fbo_client_name(c.marketplace),
                    )
                    .await?,
                ),
                _ => None,
            };
            let stamp = self.clock.unix();
            let mut seen = std::collections::HashSet::new();
            for o in &batch.orders {
                let (status, substatus) = status_of(o);
                let key = status_key(c.marketplace, &status, &substatus);
                if seen.insert(key.clone()) {
                    statuses::seen(&mut tx, c.workspace, &key, stamp).await?;
                }
                let unified = match unify(&own, &key) {
                    Some(u) => u,
                    None => {
                        if !out.unmapped.contains(&key) {
                            out.unmapped.push(key.clone());
                        }
                        UnifiedStatus::NoStatus
                    }
                };
                let reported = (status.as_str(), substatus.as_str());
                let row = order_row(
                    c.workspace,
                    c.id,
                    c.marketplace,
                    o,
                    reported,
                    unified,
                    client_id,
                );
                let upserted = orders::upsert(&mut tx, &row, stamp).await?;
                if rules_on {
                    self.fire_rules(&mut tx, &row, &upserted).await?;
                }
                let alert = match upserted {
                    Upserted::Created { id } => {
                        out.created.push(id);
                        unified.is_open().then_some(Alert::NewOrder { order: id })
                    }
                    Upserted::Changed { id, before } => {
                        out.changed.push((id, before, unified));
                        // Shipped, delivered or cancelled: nobody holds it any more.
                        if !unified.is_open() {
                            crate::storage::labels::end_claim(&mut tx, id).await?;
                        }
                        if unified == UnifiedStatus::Packed
                            && !matches!(
                                before,
                                UnifiedStatus::Packed | UnifiedStatus::LabelReceived
                            )
                        {
                            self.labels()
                                .queue_label_push(&mut tx, c.workspace, c.id, id, c.marketplace)
                                .await?;
                        }
                        if before == UnifiedStatus::NoStatus && unified.is_open() {
                            // First seen in a status nobody mapped: told now (once).
                            Some(Alert::NewOrder { order: id })
                        } else if unified == UnifiedStatus::Cancelled
                            && before != UnifiedStatus::Cancelled
                        {
                            Some(Alert::Cancelled {
                                order: id,
                                assembled: before.is_assembled(),
                            })
                        } else {
                            None
                        }
                    }
                    Upserted::Unchanged { .. } => None,
                };
                if let Some(alert) = alert {
                    self.alerts()
                        .raise_in(&mut tx, c.workspace, Some(c.id), &alert)
                        .await?;
                }
            }
            for key in &out.unmapped {
                let alert = Alert::UnmappedStatus {
                    marketplace: key.marketplace,
                    status: key.status.clone(),
                    substatus: key.substatus.clone(),
                };
                self.alerts()
                    .raise_in(&mut tx, c.workspace, None, &alert)
                    .await?;
            }
            let next = batch.next.timestamp();
            if !batch.orders.is_empty() || at.is_none_or(|a| next - a >= CURSOR_STEP_SECS) {
                orders::set_cursor(&mut tx, c.id, kind, next).await?;
            }
            if sweep {
                orders::set_cursor(&mut tx, c.id, &sweep_kind, now.timestamp()).await?;
            }
            let failed = c
                .last_error
                .as_deref()
                .is_some_and(|e| e.starts_with("sync-failed"));
            if failed || c.last_sync_at.is_none_or(|t| stamp - t >= SYNC_STAMP_SECS) {
                cabinets::record_sync(&mut *tx, c.id, stamp).await?;
            }
            // A key we found refused works again: it is checked again (not more often than
            // every few minutes, should the check still disagree).
            if c.last_error
                .as_deref()
                .and_then(|e| e.parse::<KeyProblem>().ok())
                .is_some_and(KeyProblem::disproved_by_a_working_sync)
            {
                cabinets::check_key_now(&mut *tx, c.id, stamp - KEY_RECHECK_AFTER_SYNC_SECS)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(out)
    }
}

fn order_row<'a>(
    ws: WorkspaceId,
    cabinet: CabinetId,
    marketplace: Marketplace,
    o: &'a Order,
    (status, substatus): (&'a str, &'a str),
    unified: UnifiedStatus,
    client: Option<i64>,
) -> OrderRow<'a> {
    let total = o
        .items
        .iter()
        .map(|i| i.price.0.saturating_mul(i.quantity))
        .fold(0i64, i64::saturating_add);
    OrderRow {
        workspace: ws,
        cabinet,
        marketplace,
        scheme: o.scheme,
        external_id: &o.id,
        number: &o.number,
        shop: o.shop.as_deref(),
        alt_id: o.alt_id.as_deref(),
        status,
        substatus,
        unified,
        total: Money(total),
        created_at: o.created_at.timestamp(),
        ship_by: o.ship_by.map(|t| t.timestamp()),
        warehouse_id: o.warehouse_id.as_deref(),
        cancel_reason: o.cancel_reason.as_deref(),
        client,
        items: o
            .items
            .iter()
            .map(|i| ItemRow {
                product: &i.sku,
                vendor_code: &i.vendor_code,
                name: &i.name,
                quantity: i.quantity,
                price: i.price,
                barcode: i.barcode.as_deref(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(status: &str, substatus: Option<&str>) -> Order {
        Order {
            id: "1".into(),
            number: "1".into(),
            shop: None,
            alt_id: None,
            scheme: Scheme::Fbs,
            status: status.into(),
            substatus: substatus.map(str::to_owned),
            created_at: chrono::DateTime::from_timestamp(0, 0).unwrap_or_default(),
            ship_by: None,
            warehouse_id: None,
            items: Vec::new(),
            cancel_reason: None,
        }
    }

    #[test]
    fn statuses_are_split_and_keyed_per_marketplace() {
        let s = |o: Order| status_of(&o);
        assert_eq!(
            s(order("new/waiting", None)),
            ("new".into(), "waiting".into())
        );
        assert_eq!(
            s(order("PROCESSING/STARTED", Some("STARTED"))),
            ("PROCESSING".into(), "STARTED".into())
        );
        let (status, sub) = s(order("delivering", Some("posting_in_carriage")));
        assert_eq!(sub, "posting_in_carriage", "Ozon's substatus is kept");
        let key = status_key(Marketplace::Ozon, &status, &sub);
        assert_eq!(key.substatus, "", "but Ozon maps by status alone");
        let key = status_key(Marketplace::Wildberries, "new", "waiting");
        assert_eq!(key.substatus, "waiting");
    }

    #[test]
    fn a_workspace_mapping_wins_over_the_default() {
        let key = StatusKey::new(Marketplace::Ozon, "awaiting_deliver", "");
        let mut own = HashMap::new();
        assert_eq!(unify(&own, &key), Some(UnifiedStatus::Packed));
        own.insert(key.clone(), UnifiedStatus::LabelReceived);
        assert_eq!(unify(&own, &key), Some(UnifiedStatus::LabelReceived));
        let odd = StatusKey::new(Marketplace::YandexMarket, "PROCESSING", "ODD");
        assert_eq!(unify(&own, &odd), None);
        own.insert(odd.any_substatus(), UnifiedStatus::Confirmed);
        assert_eq!(unify(&own, &odd), Some(UnifiedStatus::Confirmed));
    }
}
