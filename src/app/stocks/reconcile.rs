//! Reconciliation (F5): what each cabinet reports holding in each of its warehouses, read
//! back and kept, against what we publish; the differences listed, sent as XLSX, and
//! pushed again on request (the marketplace's value is forgotten, so the next push sends
//! ours whatever we last sent).

use crate::domain::ids::ProductId;
use std::collections::HashMap;

use super::book::Book;
use crate::app::{Actor, AppError, AppResult};
use crate::domain::{CabinetId, Permission};
use crate::marketplaces::MarketplaceApi;
use crate::render::sheets::{self, SheetOut, Value};
use crate::storage::catalogue::{self as cat, ProductRow};
use crate::storage::{cabinets, stocks};

/// One product in one warehouse where the marketplace and we disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub cabinet: String,
    pub cabinet_id: CabinetId,
    pub product: ProductId,
    pub vendor_code: String,
    /// The marketplace's warehouse id, and its name as the marketplace lists it.
    pub warehouse: String,
    pub warehouse_name: String,
    pub ours: i64,
    /// What the marketplace holds (`None`: it does not list the item there).
    pub theirs: Option<i64>,
}

/// What a reconciliation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Items compared.
    pub checked: usize,
    pub differences: Vec<Difference>,
    /// Cabinets that did not answer.
    pub failed: Vec<String>,
}

impl crate::app::rooms::Stocks<'_> {
    /// Reads back what every cabinet holds and compares it with what we publish.
    pub async fn reconcile(&self, actor: Actor) -> AppResult<Reconciled> {
        actor.require(Permission::ViewData)?;
        let ws = actor.workspace;
        let book = Book::read(&self.db, ws).await?;
        let mut out = Reconciled::default();
        for c in cabinets::list(&self.db, ws)
            .await?
            .into_iter()
            .filter(|c| c.enabled)
        {
            let plan = self.plan(&book, c.id).await?;
            if plan.is_empty() {
                continue;
            }
            let products: HashMap<ProductId, &ProductRow> = book
                .products
                .iter()
                .filter(|p| p.cabinet == c.id)
                .map(|p| (p.id, p))
                .collect();
            let names: HashMap<String, String> = cat::warehouses(&self.db, c.id)
                .await?
                .into_iter()
                .map(|w| (w.id, w.name))
                .collect();
            let read = self.read_back(&c, &plan, &products).await;
            let reported = match read {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(cabinet = c.id.0, error = %e, "stock read-back failed");
                    out.failed.push(c.name.clone());
                    continue;
                }
            };
            for p in &plan {
                out.checked += 1;
                let theirs = reported.get(&(p.product, p.warehouse.clone())).copied();
                if theirs != Some(p.amount) {
                    out.differences.push(Difference {
                        cabinet: c.name.clone(),
                        cabinet_id: c.id,
                        product: p.product,
                        vendor_code: p.vendor_code.clone(),
                        warehouse: p.warehouse.clone(),
                        warehouse_name: names
                            .get(&p.warehouse)
                            .filter(|n| !n.trim().is_empty())
                            .cloned()
                            .unwrap_or_else(|| p.warehouse.clone()),
                        ours: p.amount,
                        theirs,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Reads a cabinet's stock in each warehouse we publish to, and keeps it.
    async fn read_back(
        &self,
        c: &crate::domain::Cabinet,
        plan: &[super::Planned],
        products: &HashMap<ProductId, &ProductRow>,
    ) -> AppResult<HashMap<(ProductId, String), i64>> {
        let client = self.cabinets().client_for(c).await?;
        let mut by_warehouse: HashMap<&str, Vec<ProductId>> = HashMap::new();
        for p in plan {
            by_warehouse
                .entry(&p.warehouse)
                .or_default()
                .push(p.product);
        }
        let mut out = HashMap::new();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        for (w, ids) in by_warehouse {
            let refs: Vec<_> = ids
                .iter()
                .filter_map(|id| {
                    products
                        .get(id)
                        .map(|p| crate::marketplaces::ProductRef::from(*p))
                })
                .collect();
            let find = |vendor: &str, sku: Option<&str>| {
                ids.iter().copied().find(|id| {
                    products.get(id).is_some_and(|p| match sku {
                        Some(s) if !p.sku.is_empty() => p.sku == s,
                        _ => p.vendor_code.eq_ignore_ascii_case(vendor),
                    })
                })
            };
            for level in client.stocks(w, &refs).await? {
                let Some(id) = find(&level.product.vendor_code, level.product.sku.as_deref())
                else {
                    continue;
                };
                stocks::put_reported(
                    &mut tx,
                    c.workspace,
                    c.id,
                    id,
                    w,
                    level.present,
                    level.reserved,
                    now,
                )
                .await?;
                out.insert((id, w.to_owned()), level.present);
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The differences as XLSX, headers in the reader's words.
    pub async fn differences_xlsx(
        &self,
        d: &Reconciled,
        name: String,
        header: Vec<String>,
    ) -> AppResult<Vec<u8>> {
        let rows = d
            .differences
            .iter()
            .map(|x| {
                vec![
                    Value::Text(x.cabinet.clone()),
                    Value::Text(x.vendor_code.clone()),
                    Value::Text(x.warehouse_name.clone()),
                    Value::Number(x.ours as f64),
                    x.theirs.map_or(Value::Empty, |t| Value::Number(t as f64)),
                ]
            })
            .collect();
        let sheet = SheetOut { name, header, rows };
        Ok(crate::render::blocking(move || sheets::write_xlsx(&[sheet])).await?)
    }

    /// Pushes ours again where the marketplaces disagree: their last accepted value is
    /// forgotten for those items and a push is queued; returns how many items.
    pub async fn push_differences(
        &self,
        actor: Actor,
        chat: crate::domain::TgChatId,
    ) -> AppResult<usize> {
        actor.require(Permission::ManageOrders)?;
        let d = self.reconcile(actor).await?;
        if d.differences.is_empty() {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        for x in &d.differences {
            // Only the caller's own cabinets and products: both re-read in their workspace.
            if cat::product(&self.db, actor.workspace, x.product)
                .await?
                .is_none()
            {
                return Err(AppError::NotFound);
            }
            crate::storage::stocks::forget_published(
                &mut tx,
                actor.workspace,
                x.product,
                &x.warehouse,
            )
            .await?;
        }
        tx.commit().await?;
        self.catalogue()
            .sync_now(actor, crate::app::catalogue::SyncWhat::Stocks, chat)
            .await?;
        Ok(d.differences.len())
    }
}
