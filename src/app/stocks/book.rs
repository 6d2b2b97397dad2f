//! The stock book of a workspace: each SKU, the products it is sold as, its levels, and
//! what open orders on every marketplace hold of it (an order on one marketplace holds the
//! goods the others must no longer show). Read whole for a full push or a list of every
//! SKU, or for a few SKUs (a chart, a card, a push of what changed): then it holds those
//! SKUs, the SKUs sold together with them, and the products they are sold as.

use crate::domain::ids::{OrderId, ProductId, SkuId, StoreId};
use std::collections::HashMap;

use crate::domain::stock::Formula;
use crate::domain::{CabinetId, WorkspaceId};
use crate::storage::book;
use crate::storage::catalogue::{self as cat, ProductRow, Sku};
use crate::storage::stocks::{self, OpenLine};
use crate::storage::{Db, Result};

/// An open order holding some of a SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub order: OrderId,
    pub number: String,
    pub quantity: i64,
}

#[derive(Debug, Default)]
pub struct Book {
    pub skus: HashMap<SkuId, Sku>,
    pub products: Vec<ProductRow>,
    /// Product → the SKUs it sells.
    pub sku_of: HashMap<ProductId, Vec<SkuId>>,
    pub levels: HashMap<SkuId, Vec<(StoreId, i64)>>,
    pub holds: HashMap<SkuId, Vec<Hold>>,
    /// Whether it holds every product of the workspace (else only those of its SKUs).
    pub complete: bool,
}

/// Finds the product an order line sells: by the marketplace's product id (Ozon SKU, WB
/// size or card, YM offer), then by vendor code.
pub struct Finder {
    by_id: HashMap<(CabinetId, String), ProductId>,
    by_vendor: HashMap<(CabinetId, String), ProductId>,
}

impl Finder {
    pub fn new(products: &[ProductRow]) -> Finder {
        let mut by_id = HashMap::new();
        let mut by_vendor = HashMap::new();
        for p in products {
            if !p.sku.is_empty() {
                by_id.insert((p.cabinet, p.sku.clone()), p.id);
            }
            by_id
                .entry((p.cabinet, p.external_id.clone()))
                .or_insert(p.id);
            by_vendor
                .entry((p.cabinet, p.vendor_code.to_lowercase()))
                .or_insert(p.id);
        }
        Finder { by_id, by_vendor }
    }

    pub fn find(&self, l: &OpenLine) -> Option<ProductId> {
        self.by_id
            .get(&(l.cabinet, l.product.clone()))
            .or_else(|| {
                self.by_vendor
                    .get(&(l.cabinet, l.vendor_code.to_lowercase()))
            })
            .copied()
    }
}

/// Product → the SKUs it sells, in id order.
fn by_product(links: Vec<cat::Link>) -> HashMap<ProductId, Vec<SkuId>> {
    let mut sku_of: HashMap<ProductId, Vec<SkuId>> = HashMap::new();
    for l in links {
        sku_of.entry(l.product).or_default().push(l.sku);
    }
    for v in sku_of.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    sku_of
}

impl Book {
    pub async fn read(db: &Db, ws: WorkspaceId) -> Result<Book> {
        let skus = cat::skus(db, ws)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let products = cat::products(db, ws).await?;
        let mut book = Book {
            skus,
            products,
            sku_of: by_product(cat::links(db, ws).await?),
            levels: stocks::levels(db, ws).await?,
            holds: HashMap::new(),
            complete: true,
        };
        book.hold(db, ws).await?;
        Ok(book)
    }

    /// The book of a few SKUs: those, every SKU sold together with them in one product (a
    /// kit's parts), the products they are sold as, their levels and what open orders
    /// hold of them. `products` adds products whose SKUs to read too.
    pub async fn read_for(
        db: &Db,
        ws: WorkspaceId,
        skus: &[SkuId],
        products: &[ProductId],
    ) -> Result<Book> {
        let mut asked = skus.to_vec();
        asked.extend(
            book::links_of_products(db, ws, products)
                .await?
                .into_iter()
                .map(|l| l.sku),
        );
        asked.sort_unstable();
        asked.dedup();
        // The products sold as the asked SKUs, and all the SKUs those products sell.
        let sold_as: Vec<ProductId> = book::links_of_skus(db, ws, &asked)
            .await?
            .into_iter()
            .map(|l| l.product)
            .collect();
        let mut all: Vec<SkuId> = book::links_of_products(db, ws, &sold_as)
            .await?
            .into_iter()
            .map(|l| l.sku)
            .chain(asked.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        // Every link of those SKUs: what any order of them holds or sold is theirs.
        let links = book::links_of_skus(db, ws, &all).await?;
        let mut book = Book {
            skus: cat::skus_by_ids(db, ws, &all)
                .await?
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
            products: book::products_by_ids(db, ws, &sold_as).await?,
            sku_of: by_product(links),
            levels: book::levels_of_skus(db, ws, &all).await?,
            holds: HashMap::new(),
            complete: false,
        };
        book.hold(db, ws).await?;
        Ok(book)
    }

    /// What open orders hold of the book's SKUs.
    async fn hold(&mut self, db: &Db, ws: WorkspaceId) -> Result<()> {
        let lines = stocks::open_lines(db, ws).await?;
        let finder = self.finder(db, ws, &lines).await?;
        let mut holds: HashMap<SkuId, Vec<Hold>> = HashMap::new();
        for line in lines {
            let Some(p) = finder.find(&line) else {
                continue;
            };
            for s in self.sku_of.get(&p).into_iter().flatten() {
                holds.entry(*s).or_default().push(Hold {
                    order: line.order,
                    number: line.number.clone(),
                    quantity: line.quantity,
                });
            }
        }
        self.holds = holds;
        Ok(())
    }

    /// A finder for these order lines: from the book's products when it holds them all,
    /// else from the products the lines name.
    pub async fn finder(&self, db: &Db, ws: WorkspaceId, lines: &[OpenLine]) -> Result<Finder> {
        if self.complete {
            return Ok(Finder::new(&self.products));
        }
        Ok(Finder::new(&book::products_named(db, ws, lines).await?))
    }

    /// Units open orders hold of a SKU.
    pub fn reserved(&self, sku: SkuId) -> i64 {
        self.holds
            .get(&sku)
            .map(|h| h.iter().map(|x| x.quantity).sum())
            .unwrap_or(0)
    }

    /// Units of a SKU on our shelves, every store.
    pub fn on_hand(&self, sku: SkuId) -> i64 {
        self.levels
            .get(&sku)
            .map(|l| l.iter().map(|(_, q)| (*q).max(0)).sum())
            .unwrap_or(0)
    }

    /// What a product should show in a warehouse under `formula` (the SKU's own formula
    /// wins): a kit shows as many as its scarcest part allows. `None` when it is not
    /// ours to publish: unlinked, a SKU marked "do not publish", or no stock ever set.
    pub fn amount(&self, product: ProductId, formula: &Formula) -> Option<i64> {
        let skus = self.sku_of.get(&product)?;
        let mut out: Option<i64> = None;
        for id in skus {
            let s = self.skus.get(id)?;
            if !s.publish {
                return None;
            }
            let levels = self.levels.get(id)?;
            let f = s.formula.as_ref().unwrap_or(formula);
            let v = f.apply(levels, self.reserved(*id));
            out = Some(out.map_or(v, |o| o.min(v)));
        }
        out
    }
}
