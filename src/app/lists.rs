//! Pick lists and packing lists (F4) for what is to assemble: items summed by SKU with
//! where they ship from and their barcode, or each order with its items. Barcodes the
//! orders do not carry are read from the cabinet's catalogue once and kept on the lines;
//! rendering runs off the async runtime.

use std::collections::HashMap;

use super::{Actor, AppResult};
use crate::domain::order::Order;
use crate::domain::{CabinetId, Permission};
use crate::marketplaces::MarketplaceApi;
use crate::storage::{cabinets, orders};

pub use crate::render::lists::{PackOrder, PickLine, Words};

/// Most orders a list takes.
pub const MAX_ORDERS: i64 = 500;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Pick,
    Packing,
}

/// A made list: its file name, the PDF, and how many orders it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeList {
    pub name: String,
    pub pdf: Vec<u8>,
    pub orders: usize,
}

impl crate::app::rooms::Labels<'_> {
    /// What is to assemble now, nearest deadline first, with barcodes and warehouses.
    async fn assembly_lines(
        &self,
        actor: Actor,
    ) -> AppResult<(Vec<Order>, HashMap<(CabinetId, String), String>)> {
        let filter = orders::Filter {
            from: 0,
            to: i64::MAX,
            unified: None,
            scheme: None,
            cabinet: None,
            to_assemble: true,
        };
        let mut list = orders::page(&self.db, actor.workspace, &filter, 0, MAX_ORDERS)
            .await?
            .orders;
        let mut places = HashMap::new();
        let mut seen = Vec::new();
        for cabinet in list.iter().map(|o| o.cabinet).collect::<Vec<_>>() {
            if seen.contains(&cabinet) {
                continue;
            }
            seen.push(cabinet);
            let Some(c) = cabinets::live(&self.db, cabinet).await? else {
                continue;
            };
            let Ok(client) = self.cabinets().client_for(&c).await else {
                continue;
            };
            if let Ok(ws) = client.warehouses().await {
                for w in ws {
                    places.insert((cabinet, w.id.clone()), w.name.clone());
                }
            }
            let missing = list
                .iter()
                .filter(|o| o.cabinet == cabinet)
                .any(|o| o.items.iter().any(|i| i.barcode.is_none()));
            if !missing {
                continue;
            }
            // The catalogue tells the barcodes the orders do not carry.
            let Ok(products) = client.products().await else {
                continue;
            };
            let by_code: HashMap<&str, &str> = products
                .iter()
                .filter_map(|p| Some((p.vendor_code.as_str(), p.barcodes.first()?.as_str())))
                .collect();
            for o in list.iter_mut().filter(|o| o.cabinet == cabinet) {
                for (line, i) in o.items.iter_mut().enumerate() {
                    if i.barcode.is_none()
                        && let Some(b) = by_code.get(i.vendor_code.as_str())
                    {
                        i.barcode = Some((*b).to_owned());
                        orders::set_barcode(&self.db, o.id, line, b).await?;
                    }
                }
            }
        }
        Ok((list, places))
    }

    /// A pick list or a packing list of what is to assemble; `None` when nothing is.
    /// `words` are asked for once the number of orders is known.
    pub async fn assembly_list(
        &self,
        actor: Actor,
        kind: ListKind,
        words: impl FnOnce(usize) -> Words,
    ) -> AppResult<Option<MadeList>> {
        actor.require(Permission::AssembleOrders)?;
        let (list, places) = self.assembly_lines(actor).await?;
        if list.is_empty() {
            return Ok(None);
        }
        let place = |o: &Order| {
            o.warehouse_id
                .as_ref()
                .map(|w| {
                    places
                        .get(&(o.cabinet, w.clone()))
                        .cloned()
                        .unwrap_or_else(|| w.clone())
                })
                .unwrap_or_else(|| o.cabinet_name.clone())
        };
        let date = self.today(actor.workspace).await?;
        let n = list.len();
        let words = words(n);
        let (name, pdf) = match kind {
            ListKind::Pick => {
                let mut lines: Vec<PickLine> = Vec::new();
                for o in &list {
                    let at = place(o);
                    for i in &o.items {
                        match lines.iter_mut().find(|l| l.sku == i.vendor_code) {
                            Some(l) => {
                                l.quantity += i.quantity;
                                if !l.location.split(", ").any(|p| p == at) {
                                    l.location = format!("{}, {at}", l.location);
                                }
                                if l.barcode.is_none() {
                                    l.barcode = i.barcode.clone();
                                }
                            }
                            None => lines.push(PickLine {
                                sku: i.vendor_code.clone(),
                                name: i.name.clone(),
                                location: at.clone(),
                                barcode: i.barcode.clone(),
                                quantity: i.quantity,
                            }),
                        }
                    }
                }
                lines.sort_by(|a, b| a.location.cmp(&b.location).then(a.sku.cmp(&b.sku)));
                let pdf = crate::render::blocking(move || {
                    crate::render::lists::pick_list(&words, &lines)
                })
                .await?;
                (format!("pick-list-{date}.pdf"), pdf)
            }
            ListKind::Packing => {
                let orders: Vec<PackOrder> = list
                    .iter()
                    .map(|o| PackOrder {
                        heading: format!("{} · {} · {}", o.number, o.cabinet_name, place(o)),
                        lines: o
                            .items
                            .iter()
                            .map(|i| PickLine {
                                sku: i.vendor_code.clone(),
                                name: i.name.clone(),
                                location: String::new(),
                                barcode: i.barcode.clone(),
                                quantity: i.quantity,
                            })
                            .collect(),
                    })
                    .collect();
                let pdf = crate::render::blocking(move || {
                    crate::render::lists::packing_list(&words, &orders)
                })
                .await?;
                (format!("packing-list-{date}.pdf"), pdf)
            }
        };
        Ok(Some(MadeList {
            name,
            pdf,
            orders: n,
        }))
    }
}
