//! A workspace's prices as one book: its live cabinets, the products each SKU is sold as
//! there, what each marketplace last showed, each SKU's rules; and a new price planned
//! against it the way each marketplace takes prices.

use crate::domain::ids::{ProductId, SkuId};
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::domain::price::{self, Input, InputError, Plan};
use crate::domain::{Cabinet, CabinetId, Marketplace, Money, WorkspaceId};
use crate::storage::catalogue::{self as cat, ProductRow};
use crate::storage::price_changes;
use crate::storage::prices::{self, PriceRow, Rule};
use crate::storage::{Db, cabinets};

/// What is asked of a SKU's price on a cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A new price the buyer pays, or a change of it; the discount stays.
    Price(Input),
    /// A new discount on the same price before it.
    Discount(i64),
    /// A price list's row: the price the buyer pays and, when given, the discount.
    Row(Money, Option<i64>),
}

/// Why a price cannot be planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Input(InputError),
    /// Under the SKU's minimum-price guard.
    BelowGuard(Money),
    /// No price read from this cabinet yet, so there is nothing to change relatively.
    NoPrice,
    /// The SKU is not sold on this cabinet.
    NotSold,
    /// The SKU is sold as a size of the same WB card as the SKU of that earlier row of the
    /// list, which asks another price: a card's sizes share one.
    SameCard(usize),
}

/// A change planned for a SKU on one cabinet (every product it is sold as there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    /// The row of a price list (0 from chat).
    pub row: usize,
    pub sku: SkuId,
    pub code: String,
    pub cabinet: i64,
    pub cabinet_name: String,
    pub marketplace: Marketplace,
    pub products: Vec<ProductId>,
    pub old_after: Option<i64>,
    pub old_before: Option<i64>,
    pub new_after: i64,
    pub new_before: i64,
    pub discount: i64,
    /// The change of the price the buyer pays, in percent (0 with no old price).
    pub jump: i64,
    /// The cost, when known.
    pub cost: Option<i64>,
    /// The price asked, when the marketplace will hold another (WB counts the price
    /// before discount in whole roubles, so the price after it moves by some kopecks).
    #[serde(default)]
    pub asked: Option<i64>,
}

impl Planned {
    /// Whether it changes nothing the marketplace shows.
    pub fn unchanged(&self) -> bool {
        self.old_after == Some(self.new_after) && self.old_before == Some(self.new_before)
    }

    /// The margin over the cost: amount and percent of the price.
    pub fn margin(&self) -> Option<(Money, i64)> {
        self.cost
            .map(|c| price::margin(Money(self.new_after), Money(c)))
    }
}

/// The book.
pub struct Book {
    pub cabinets: Vec<Cabinet>,
    /// The products each SKU is sold as, per cabinet (one per marketplace card).
    pub sold: HashMap<SkuId, Vec<(CabinetId, ProductRow)>>,
    /// Each product's price as the company sees it (see [`shown`]).
    pub prices: HashMap<ProductId, PriceRow>,
    /// Products whose price shown is a confirmed change still on its way.
    pub in_flight: HashSet<ProductId>,
    pub rules: HashMap<SkuId, Rule>,
    pub threshold: i64,
}

/// Each product's price as the company sees it: the last reading from its marketplace, or
/// the change someone confirmed that is still on its way (those products are returned
/// too). A price list exported then shows what was confirmed, and a change planned after
/// it starts from it, so sending the list back unchanged undoes nothing.
pub async fn shown(
    db: &Db,
    ws: WorkspaceId,
) -> crate::storage::Result<(HashMap<ProductId, PriceRow>, HashSet<ProductId>)> {
    let prices = prices::of_workspace(db, ws).await?;
    let changes = price_changes::in_flight(db, ws).await?;
    Ok(with_in_flight(prices, changes))
}

/// [`shown`] for these products only.
pub async fn shown_of(
    db: &Db,
    ws: WorkspaceId,
    products: &[ProductId],
) -> crate::storage::Result<(HashMap<ProductId, PriceRow>, HashSet<ProductId>)> {
    let prices = prices::of_products(db, ws, products).await?;
    let changes = price_changes::in_flight_of(db, ws, products).await?;
    Ok(with_in_flight(prices, changes))
}

fn with_in_flight(
    mut prices: HashMap<ProductId, PriceRow>,
    changes: Vec<price_changes::Change>,
) -> (HashMap<ProductId, PriceRow>, HashSet<ProductId>) {
    let mut in_flight = HashSet::new();
    for c in changes {
        let row = prices.entry(c.product).or_insert_with(|| PriceRow {
            product: c.product,
            cabinet: c.cabinet,
            price: c.new_before,
            after_discount: c.new_price,
            discount_percent: c.discount,
            min_price: None,
            promo_price: None,
            currency: "RUB".into(),
            read_at: 0,
        });
        row.price = c.new_before;
        row.after_discount = c.new_price;
        row.discount_percent = c.discount;
        in_flight.insert(c.product);
    }
    (prices, in_flight)
}

/// The workspace's cabinets that are on.
async fn live_cabinets(db: &Db, ws: WorkspaceId) -> crate::storage::Result<Vec<Cabinet>> {
    Ok(cabinets::list(db, ws)
        .await?
        .into_iter()
        .filter(|c| c.enabled)
        .collect())
}

/// The products each SKU is sold as on the live cabinets; a WB card's sizes share one
/// price, so a card is named once.
fn sold(
    cabinets: &[Cabinet],
    products: Vec<ProductRow>,
    mut links: Vec<cat::Link>,
) -> HashMap<SkuId, Vec<(CabinetId, ProductRow)>> {
    let live: HashSet<CabinetId> = cabinets.iter().map(|c| c.id).collect();
    let products: HashMap<ProductId, ProductRow> = products
        .into_iter()
        .filter(|p| live.contains(&p.cabinet))
        .map(|p| (p.id, p))
        .collect();
    let mut sold: HashMap<SkuId, Vec<(CabinetId, ProductRow)>> = HashMap::new();
    let mut cards: HashSet<(SkuId, CabinetId, String)> = HashSet::new();
    links.sort_by_key(|l| (l.sku, l.product));
    for l in links {
        let Some(p) = products.get(&l.product) else {
            continue;
        };
        if cards.insert((l.sku, p.cabinet, p.external_id.clone())) {
            sold.entry(l.sku).or_default().push((p.cabinet, p.clone()));
        }
    }
    sold
}

impl Book {
    /// Whether the price a SKU shows on a cabinet is a confirmed change on its way.
    pub fn waiting(&self, sku: SkuId, cabinet: CabinetId) -> bool {
        self.sold
            .get(&sku)
            .into_iter()
            .flatten()
            .filter(|(c, _)| *c == cabinet)
            .find(|(_, p)| self.prices.contains_key(&p.id))
            .is_some_and(|(_, p)| self.in_flight.contains(&p.id))
    }

    pub async fn read(db: &Db, ws: WorkspaceId) -> crate::storage::Result<Book> {
        let cabinets = live_cabinets(db, ws).await?;
        let products = cat::products(db, ws).await?;
        let links = cat::links(db, ws).await?;
        let (prices, in_flight) = shown(db, ws).await?;
        Ok(Book {
            sold: sold(&cabinets, products, links),
            cabinets,
            prices,
            in_flight,
            rules: prices::rules(db, ws).await?,
            threshold: prices::jump_threshold(db, ws).await?,
        })
    }

    /// The book of a few SKUs: the products they are sold as, their prices and rules.
    pub async fn read_for(
        db: &Db,
        ws: WorkspaceId,
        skus: &[SkuId],
    ) -> crate::storage::Result<Book> {
        let cabinets = live_cabinets(db, ws).await?;
        let links = crate::storage::book::links_of_skus(db, ws, skus).await?;
        let mut ids: Vec<ProductId> = links.iter().map(|l| l.product).collect();
        ids.sort_unstable();
        ids.dedup();
        let products = crate::storage::book::products_by_ids(db, ws, &ids).await?;
        let (prices, in_flight) = shown_of(db, ws, &ids).await?;
        Ok(Book {
            sold: sold(&cabinets, products, links),
            cabinets,
            prices,
            in_flight,
            rules: prices::rules_of(db, ws, skus).await?,
            threshold: prices::jump_threshold(db, ws).await?,
        })
    }

    /// The cabinets a SKU is sold on, in the cabinets' order.
    pub fn cabinets_of(&self, sku: SkuId) -> Vec<&Cabinet> {
        let on: HashSet<CabinetId> = self
            .sold
            .get(&sku)
            .map(|v| v.iter().map(|(c, _)| *c).collect())
            .unwrap_or_default();
        self.cabinets
            .iter()
            .filter(|c| on.contains(&c.id))
            .collect()
    }

    /// The marketplace cards (external ids) a SKU is sold as on a cabinet.
    pub fn cards_of(&self, sku: SkuId, cabinet: CabinetId) -> Vec<&str> {
        self.sold
            .get(&sku)
            .into_iter()
            .flatten()
            .filter(|(c, _)| *c == cabinet)
            .map(|(_, p)| p.external_id.as_str())
            .collect()
    }

    /// The price a SKU shows on a cabinet (its first product with one read).
    pub fn current(&self, sku: SkuId, cabinet: CabinetId) -> Option<&PriceRow> {
        self.sold
            .get(&sku)?
            .iter()
            .filter(|(c, _)| *c == cabinet)
            .find_map(|(_, p)| self.prices.get(&p.id))
    }

    /// Plans a SKU's new price on a cabinet.
    pub fn plan(
        &self,
        sku: &cat::Sku,
        cabinet: &Cabinet,
        target: Target,
    ) -> Result<Planned, Refusal> {
        let products: Vec<ProductId> = self
            .sold
            .get(&sku.id)
            .into_iter()
            .flatten()
            .filter(|(c, _)| *c == cabinet.id)
            .map(|(_, p)| p.id)
            .collect();
        if products.is_empty() {
            return Err(Refusal::NotSold);
        }
        let now = self.current(sku.id, cabinet.id);
        let m = cabinet.marketplace;
        let keep = now.map_or(0, |p| p.discount_percent);
        let (plan, asked) = match target {
            Target::Price(Input::Set(after)) => (Plan::keep_discount(m, after, keep), Some(after)),
            Target::Price(change @ Input::Change(_)) => {
                let old = now.ok_or(Refusal::NoPrice)?;
                let after = change.apply(old.after_discount).map_err(Refusal::Input)?;
                (Plan::keep_discount(m, after, keep), Some(after))
            }
            Target::Discount(d) => {
                let old = now.ok_or(Refusal::NoPrice)?;
                (Plan::new_discount(m, old.price, d), None)
            }
            Target::Row(after, d) => (
                Plan::keep_discount(m, after, d.unwrap_or(keep)),
                Some(after),
            ),
        };
        // The same price and discount as shown: the price before stays as the marketplace
        // has it (a whole-percent discount does not give it back exactly).
        let plan = match now {
            Some(p) if p.after_discount == plan.after && p.discount_percent == plan.discount => {
                Plan {
                    before: p.price,
                    ..plan
                }
            }
            _ => plan,
        };
        price::check(plan.after).map_err(Refusal::Input)?;
        let rule = self.rules.get(&sku.id).copied().unwrap_or_default();
        if let Some(g) = rule.min_guard
            && plan.after < g
        {
            return Err(Refusal::BelowGuard(g));
        }
        Ok(Planned {
            row: 0,
            sku: sku.id,
            code: sku.code.clone(),
            cabinet: cabinet.id.0,
            cabinet_name: cabinet.name.clone(),
            marketplace: m,
            products,
            old_after: now.map(|p| p.after_discount.0),
            old_before: now.map(|p| p.price.0),
            new_after: plan.after.0,
            new_before: plan.before.0,
            discount: plan.discount,
            jump: now.map_or(0, |p| price::jump_percent(p.after_discount, plan.after)),
            cost: rule.cost.map(|c| c.0),
            asked: asked.filter(|a| *a != plan.after).map(|a| a.0),
        })
    }
}
