//! WB supplies (F4): a WB FBS order is assembled into a supply, and the supply is handed
//! over as a whole. The warehouse lists a cabinet's supplies with their order counts,
//! creates one, adds new orders to it, closes and hands it over, and gets its QR code and
//! one PDF of its labels followed by the QR code. Each step uses WB's current method and
//! is safe against a double tap: creating is keyed by cabinet and minute, adding an order
//! already in the supply and handing over a supply already handed over change nothing.

use super::labels::{LabelsQueued, Selection};
use super::{Actor, AppError, AppResult};
use crate::domain::ids::OrderId;
use crate::domain::order::{Order, UnifiedStatus};
use crate::domain::{Cabinet, CabinetId, Marketplace, Permission, Scheme, TgChatId};
use crate::marketplaces::StickerSize;
use crate::marketplaces::wb::WbClient;
use crate::storage::{labels, orders};

/// Supplies a list shows per cabinet (the newest).
pub const SHOWN: usize = 8;
/// New orders offered to add at once.
pub const OFFERED: i64 = 20;

/// A supply as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyView {
    pub id: String,
    pub name: String,
    pub done: bool,
    /// Our orders in it (numbers), as WB lists them.
    pub orders: Vec<Order>,
    /// Orders WB lists that we have not imported.
    pub unknown: usize,
}

/// A WB cabinet's supplies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CabinetSupplies {
    pub cabinet: Cabinet,
    pub sticker: StickerSize,
    pub supplies: Vec<SupplyView>,
    /// WB did not answer for this cabinet just now.
    pub unavailable: bool,
}

impl crate::app::rooms::Supplies<'_> {
    async fn wb_cabinet(&self, actor: Actor, id: CabinetId) -> AppResult<(Cabinet, WbClient)> {
        actor.require(Permission::AssembleOrders)?;
        let c = self.cabinets().cabinet(actor, id).await?;
        if c.marketplace != Marketplace::Wildberries {
            return Err(AppError::NotFound);
        }
        let wb = self
            .cabinets()
            .client_for(&c)
            .await?
            .into_wb()
            .ok_or(AppError::NotFound)?;
        Ok((c, wb))
    }

    async fn view_of(
        &self,
        actor: Actor,
        c: &Cabinet,
        wb: &WbClient,
        s: crate::marketplaces::wb::Supply,
    ) -> AppResult<SupplyView> {
        let ids: Vec<String> = wb
            .supply_orders(&s.id)
            .await?
            .iter()
            .map(i64::to_string)
            .collect();
        let known = orders::by_external(&self.db, actor.workspace, c.id, &ids).await?;
        Ok(SupplyView {
            unknown: ids.len().saturating_sub(known.len()),
            orders: known,
            id: s.id,
            name: s.name,
            done: s.done,
        })
    }

    /// Every WB cabinet's newest supplies, open first.
    pub async fn list(&self, actor: Actor) -> AppResult<Vec<CabinetSupplies>> {
        actor.require(Permission::AssembleOrders)?;
        let mut out = Vec::new();
        for c in self.cabinets().list(actor).await? {
            if c.marketplace != Marketplace::Wildberries || !c.enabled {
                continue;
            }
            let sticker = StickerSize::parse(&labels::label_size(&self.db, c.id).await?);
            // One cabinet WB does not answer for does not hide the others.
            let supplies = match self.cabinet_supplies(actor, &c).await {
                Ok(list) => Some(list),
                Err(AppError::Storage(e)) => return Err(AppError::Storage(e)),
                Err(e) => {
                    tracing::warn!(cabinet = c.id.0, error = %e, "listing WB supplies failed");
                    None
                }
            };
            out.push(CabinetSupplies {
                sticker,
                cabinet: c,
                supplies: supplies.clone().unwrap_or_default(),
                unavailable: supplies.is_none(),
            });
        }
        Ok(out)
    }

    async fn cabinet_supplies(&self, actor: Actor, c: &Cabinet) -> AppResult<Vec<SupplyView>> {
        let (c, wb) = self.wb_cabinet(actor, c.id).await?;
        let mut list = wb.supplies().await?;
        list.reverse();
        list.sort_by_key(|s| s.done);
        let mut supplies = Vec::new();
        for s in list.into_iter().take(SHOWN) {
            supplies.push(self.view_of(actor, &c, &wb, s).await?);
        }
        Ok(supplies)
    }

    /// One supply of a WB cabinet.
    pub async fn supply(
        &self,
        actor: Actor,
        cabinet: CabinetId,
        supply: &str,
    ) -> AppResult<SupplyView> {
        let (c, wb) = self.wb_cabinet(actor, cabinet).await?;
        let s = wb
            .supplies()
            .await?
            .into_iter()
            .find(|s| s.id == supply)
            .ok_or(AppError::NotFound)?;
        self.view_of(actor, &c, &wb, s).await
    }

    /// Creates a supply named by the local time; a second press within the minute gets
    /// the same supply.
    pub async fn create_supply(&self, actor: Actor, cabinet: CabinetId) -> AppResult<String> {
        let (c, wb) = self.wb_cabinet(actor, cabinet).await?;
        let zone = self.zone_of(actor.workspace).await?;
        let now = self.now();
        let name = format!("mpbot {}", zone.format(now));
        // The first press holds the minute's key; a second waits for its supply.
        let key = format!("supply-create:{}:{}", c.id.0, now / 60);
        if labels::first_press(&self.db, &key, now).await? {
            return Ok(wb.create_supply(&name).await?);
        }
        for _ in 0..20 {
            if let Some(s) = wb
                .supplies()
                .await?
                .into_iter()
                .rev()
                .find(|s| !s.done && s.name == name)
            {
                return Ok(s.id);
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        Err(AppError::NotFound)
    }

    /// The cabinet's new FBS orders that can go into a supply, oldest deadline first.
    pub async fn supply_candidates(
        &self,
        actor: Actor,
        cabinet: CabinetId,
    ) -> AppResult<Vec<Order>> {
        actor.require(Permission::AssembleOrders)?;
        self.cabinets().cabinet(actor, cabinet).await?;
        let filter = orders::Filter {
            from: 0,
            to: i64::MAX,
            unified: Some(UnifiedStatus::New),
            scheme: Some(Scheme::Fbs),
            cabinet: Some(cabinet),
            to_assemble: false,
        };
        // The nearest deadlines first, out of the newest few hundred.
        let mut list = orders::page(&self.db, actor.workspace, &filter, 0, 10 * OFFERED)
            .await?
            .orders;
        list.sort_by_key(|o| o.ship_by.unwrap_or(i64::MAX));
        list.truncate(OFFERED as usize);
        Ok(list)
    }

    /// Adds orders to an open supply (they go on assembly); returns how many were added.
    pub async fn add_to_supply(
        &self,
        actor: Actor,
        cabinet: CabinetId,
        supply: &str,
        ids: &[OrderId],
    ) -> AppResult<usize> {
        let (c, wb) = self.wb_cabinet(actor, cabinet).await?;
        let mut picked = Vec::new();
        for id in ids {
            let o = orders::get(&self.db, actor.workspace, *id)
                .await?
                .ok_or(AppError::NotFound)?;
            if o.cabinet != c.id {
                return Err(AppError::NotFound);
            }
            if o.unified == UnifiedStatus::New {
                picked.push(o);
            }
        }
        if picked.is_empty() {
            return Ok(0);
        }
        let wb_ids: Vec<i64> = picked
            .iter()
            .filter_map(|o| o.external_id.parse().ok())
            .collect();
        wb.add_to_supply(supply, &wb_ids).await?;
        let now = self.now();
        for o in &picked {
            let mut tx = self.db.begin().await?;
            orders::apply_action(
                &mut tx,
                o.id,
                o.version,
                "confirm",
                "waiting",
                UnifiedStatus::Confirmed,
                Some(actor.user),
                now,
            )
            .await?;
            tx.commit().await?;
        }
        Ok(picked.len())
    }

    /// Closes a supply and hands it over; its orders are read back from WB.
    pub async fn deliver_supply(
        &self,
        actor: Actor,
        cabinet: CabinetId,
        supply: &str,
    ) -> AppResult<()> {
        let (c, wb) = self.wb_cabinet(actor, cabinet).await?;
        if let Some(s) = wb.supplies().await?.into_iter().find(|s| s.id == supply)
            && s.done
        {
            return Ok(()); // handed over already (a second press)
        }
        wb.deliver_supply(supply).await?;
        // WB lists no changes by time: the next import looks at the whole window again.
        orders::forget_cursor(&self.db, c.id, "orders-fbs-sweep").await?;
        if let Err(e) = self.orders().import_orders(c.id).await {
            tracing::warn!(error = %e, "re-reading orders after handing over a supply failed");
        }
        Ok(())
    }

    /// A supply's QR code: its barcode text and PNG.
    pub async fn supply_qr(
        &self,
        actor: Actor,
        cabinet: CabinetId,
        supply: &str,
    ) -> AppResult<(String, Vec<u8>)> {
        let (_, wb) = self.wb_cabinet(actor, cabinet).await?;
        Ok(wb.supply_barcode(supply).await?)
    }

    /// The labels of a supply's orders and then its QR code, as one PDF to `chat`.
    pub async fn supply_labels(
        &self,
        actor: Actor,
        chat: TgChatId,
        cabinet: CabinetId,
        supply: &str,
    ) -> AppResult<LabelsQueued> {
        let view = self.supply(actor, cabinet, supply).await?;
        let ids: Vec<OrderId> = view.orders.iter().map(|o| o.id).collect();
        if ids.is_empty() {
            return Ok(LabelsQueued::Nothing);
        }
        // A handed-over supply's file ends with its QR code (WB gives it only then).
        let qr = view.done.then(|| (cabinet, supply.to_owned()));
        self.labels()
            .request_labels_with(actor, chat, Selection::Orders(ids), qr)
            .await
    }

    /// Sets a WB cabinet's sticker size.
    pub async fn set_sticker_size(
        &self,
        actor: Actor,
        cabinet: CabinetId,
        size: StickerSize,
    ) -> AppResult<()> {
        actor.require(Permission::ManageCabinets)?;
        let c = self.cabinets().cabinet(actor, cabinet).await?;
        if c.marketplace != Marketplace::Wildberries {
            return Err(AppError::NotFound);
        }
        labels::set_label_size(&self.db, actor.workspace, c.id, size.code(), self.now()).await?;
        // Stickers kept in the old size are read again in the new one.
        labels::forget_labels_of(&self.db, actor.workspace, c.id).await?;
        Ok(())
    }
}
