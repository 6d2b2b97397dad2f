//! Marketplace clients behind one trait in domain terms. Vendor wire types stay inside
//! their `ozon/`, `wb/`, `ym/` modules; the shared HTTP layer, the rate limiter and the API
//! catalogue live beside this file.

pub mod client;
pub mod endpoints;
pub mod error;
pub mod http;
pub mod novaposhta;
pub mod ozon;
pub mod wb;
pub mod ym;

use std::fmt;
use std::future::Future;

use chrono::{DateTime, Utc};

pub use error::{Error, Result};

use crate::domain::{Marketplace, Money, Scheme};

/// A key or token: never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// What a live check of a cabinet's keys found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// The key works for everything we need.
    pub ok: bool,
    /// What the key cannot do that we need, in words (for logs and tests).
    pub problems: Vec<String>,
    /// When the key stops working, if the marketplace says.
    pub expires_at: Option<DateTime<Utc>>,
    /// Scopes or roles the key has.
    pub scopes: Vec<String>,
    /// The account the key belongs to: Ozon Client-Id, WB seller id, YM business id (once
    /// the business is known).
    pub account: Option<String>,
    /// The seller's name as the marketplace knows it (suggests a cabinet name).
    pub account_name: Option<String>,
    /// Shops the key reaches with API access, where a cabinet is one shop (YM campaigns);
    /// `None` where the marketplace has no such choice.
    pub shops: Option<Vec<crate::domain::cabinet::Campaign>>,
    /// What the key lacks that we need.
    pub missing: Option<Missing>,
    /// The token may only read (WB).
    pub read_only: bool,
}

/// What a key lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Token categories (WB scope names).
    Scopes(Vec<String>),
    /// Methods its roles do not reach (Ozon paths).
    Methods(Vec<String>),
}

/// A warehouse of a cabinet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warehouse {
    pub id: String,
    pub name: String,
    pub active: bool,
    /// The marketplace's own warehouse (FBO) rather than the seller's.
    pub marketplace_owned: bool,
}

/// A marketplace product card (one size for WB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// product_id (Ozon), nmID (WB), offerId (YM).
    pub id: String,
    /// offer_id (Ozon), vendorCode (WB), offerId (YM).
    pub vendor_code: String,
    /// Ozon SKU, WB size id (`chrtId`), YM marketSku.
    pub sku: Option<String>,
    pub barcodes: Vec<String>,
    pub name: String,
    pub category: Option<String>,
}

/// Identifies a product in stock and price calls.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProductRef {
    pub id: String,
    pub vendor_code: String,
    /// WB `chrtId`; YM and Ozon leave it empty.
    pub sku: Option<String>,
}

impl From<&crate::domain::catalogue::ProductRow> for ProductRef {
    /// How the marketplace client names a product we keep.
    fn from(p: &crate::domain::catalogue::ProductRow) -> ProductRef {
        ProductRef {
            id: p.external_id.clone(),
            vendor_code: p.vendor_code.clone(),
            sku: Some(p.sku.clone()).filter(|s| !s.is_empty()),
        }
    }
}

/// A line of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItem {
    pub sku: String,
    pub vendor_code: String,
    pub name: String,
    pub quantity: i64,
    /// Price of one unit.
    pub price: Money,
    /// The item's barcode when the order carries it (WB).
    pub barcode: Option<String>,
}

/// An order (Ozon posting, WB assembly task, YM order) as the marketplace reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: String,
    pub number: String,
    /// The shop the order belongs to when a cabinet has several (YM campaign id).
    pub shop: Option<String>,
    /// A second id the marketplace knows the order by (WB rid).
    pub alt_id: Option<String>,
    pub scheme: Scheme,
    /// The marketplace's own status (mapped to unified statuses elsewhere).
    pub status: String,
    pub substatus: Option<String>,
    pub created_at: DateTime<Utc>,
    pub ship_by: Option<DateTime<Utc>>,
    pub warehouse_id: Option<String>,
    pub items: Vec<OrderItem>,
    pub cancel_reason: Option<String>,
}

/// Where an order listing continues from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderCursor {
    /// Orders created or changed at or after this moment.
    pub changed_since: DateTime<Utc>,
    /// The moment of the request (the upper bound).
    pub now: DateTime<Utc>,
    /// Also look again at orders seen before, where the marketplace cannot list changes
    /// by time (WB: its date window and the statuses in it). Without it WB's listing is
    /// its new orders alone, one request.
    pub sweep: bool,
}

/// What one listing returned and where the next one continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBatch {
    pub orders: Vec<Order>,
    pub next: DateTime<Utc>,
}

/// What the seller does to an FBS order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderAction {
    /// Accept the order and put it on assembly.
    Confirm,
    /// Packed: ready to be handed over.
    Assemble,
    /// Handed over to the marketplace or carrier.
    Ship,
    Cancel {
        reason_id: String,
        message: Option<String>,
    },
}

/// The reason id and message of a cancellation a rule asks for, in the marketplace's
/// words: Ozon's reasons 352 (the goods ran out on the seller's shelf) and 402 (another
/// reason of the seller's, which needs a message); Market's SHOP_FAILED; Wildberries takes
/// no reason.
pub fn cancel_reason(
    m: Marketplace,
    why: crate::domain::order::CancelWhy,
    note: &str,
) -> (String, Option<String>) {
    use crate::domain::order::CancelWhy;
    let (reason_id, message) = match (m, why) {
        (Marketplace::Ozon, CancelWhy::OutOfStock) => ("352", None),
        (Marketplace::Ozon, CancelWhy::Other) => ("402", Some(note.trim().to_owned())),
        (Marketplace::YandexMarket, _) => ("SHOP_FAILED", None),
        (Marketplace::Wildberries, _) => ("", None),
    };
    (reason_id.to_owned(), message)
}

/// A cancellation reason offered by the marketplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelReason {
    pub id: String,
    pub title: String,
}

/// A file format of labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Pdf,
    Png,
    Svg,
}

/// A WB sticker's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StickerSize {
    /// 58 × 40 mm.
    #[default]
    Large,
    /// 40 × 30 mm.
    Small,
}

impl StickerSize {
    pub const ALL: [StickerSize; 2] = [StickerSize::Large, StickerSize::Small];

    /// Width and height in millimetres.
    pub fn mm(self) -> (u32, u32) {
        match self {
            StickerSize::Large => (58, 40),
            StickerSize::Small => (40, 30),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StickerSize::Large => "58x40",
            StickerSize::Small => "40x30",
        }
    }

    /// The size a stored code names (the large one for anything else).
    pub fn parse(code: &str) -> StickerSize {
        StickerSize::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }
}

/// A label file for one or more orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelFile {
    pub orders: Vec<String>,
    pub format: FileFormat,
    pub bytes: Vec<u8>,
}

/// Labels are either ready or being prepared by the marketplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labels {
    Ready {
        files: Vec<LabelFile>,
        failed: Vec<(String, String)>,
    },
    /// Ask again later with this token.
    Pending(String),
}

/// Stock of a product in a warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    pub warehouse_id: String,
    pub product: ProductRef,
    pub present: i64,
    pub reserved: i64,
}

/// Stock a marketplace holds of a seller's goods in one of its own warehouses (Ozon FBO,
/// WB FBW, YM FBY), as it reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FboStock {
    pub warehouse_id: String,
    pub warehouse_name: String,
    /// What identifies the product: vendor_code = Ozon offer_id / WB vendorCode
    /// (supplierArticle) / YM offerId; sku = Ozon SKU / WB chrtId (or nmId where no size id
    /// is given) / YM marketSku, when the answer has it; id = product id when known else "".
    pub product: ProductRef,
    /// Units available for sale there.
    pub present: i64,
    /// Units reserved or on their way to buyers.
    pub reserved: i64,
}

/// A stock to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockUpdate {
    pub warehouse_id: String,
    pub product: ProductRef,
    pub amount: i64,
}

/// A price as the marketplace shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceInfo {
    pub product: ProductRef,
    /// The price before discount.
    pub price: Money,
    /// The price the buyer pays (after the seller's discount).
    pub price_after_discount: Money,
    pub discount_percent: i64,
    pub min_price: Option<Money>,
    /// The price under a promotion the seller takes part in (Ozon's price with the
    /// seller's actions, WB Club price), when it differs.
    pub promo_price: Option<Money>,
}

/// A price to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceUpdate {
    pub product: ProductRef,
    /// The price the buyer pays.
    pub price: Money,
    /// The crossed-out price before discount; `None` keeps no discount.
    pub old_price: Option<Money>,
    pub min_price: Option<Money>,
}

/// The result of one item of a batch write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemOutcome {
    /// The item's key (vendor code, and warehouse for stocks).
    pub key: String,
    pub error: Option<String>,
}

/// A marketplace's commission for a category of goods on the seller's own warehouse
/// (WB: a subject and its `kgvpMarketplace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionRate {
    /// The category's name as the catalogue names it.
    pub category: String,
    /// Percent of the sale, in basis points.
    pub bp: i64,
}

/// A charge or payment tied to an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accrual {
    /// The order's id at the marketplace (Ozon posting, WB assembly task, YM order).
    pub order_id: String,
    /// A second id the order is known by (WB's rid, `srid` in its reports).
    pub rid: Option<String>,
    /// Unique among the cabinet's accruals: reading it again adds nothing.
    pub key: String,
    /// The marketplace's own name of the accrual type.
    pub kind: String,
    /// What it is to a seller.
    pub class: crate::domain::finance::Kind,
    /// Positive: paid to the seller; negative: charged.
    pub amount: Money,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// A page of a cabinet's finance feed (WB's detailed report), and where the next one
/// starts; `next` is `None` when the feed has nothing more now (read it again later from
/// `resume`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FinanceFeed {
    pub lines: Vec<Accrual>,
    pub next: Option<String>,
    pub resume: String,
}

/// What every marketplace client does, in domain terms.
pub trait MarketplaceApi: Send + Sync {
    fn marketplace(&self) -> Marketplace;
    fn verify(&self) -> impl Future<Output = Result<Verification>> + Send;
    fn warehouses(&self) -> impl Future<Output = Result<Vec<Warehouse>>> + Send;
    /// Every product, paged to the end.
    fn products(&self) -> impl Future<Output = Result<Vec<Product>>> + Send;
    /// Orders of `scheme` created or changed since the cursor, paged to the end.
    fn orders(
        &self,
        scheme: Scheme,
        cursor: OrderCursor,
    ) -> impl Future<Output = Result<OrderBatch>> + Send;
    fn cancel_reasons(
        &self,
        order_id: &str,
    ) -> impl Future<Output = Result<Vec<CancelReason>>> + Send;
    fn act(&self, order: &Order, action: &OrderAction) -> impl Future<Output = Result<()>> + Send;
    fn request_labels(&self, order_ids: &[String]) -> impl Future<Output = Result<Labels>> + Send;
    fn poll_labels(&self, token: &str) -> impl Future<Output = Result<Labels>> + Send;
    fn stocks(
        &self,
        warehouse_id: &str,
        products: &[ProductRef],
    ) -> impl Future<Output = Result<Vec<StockLevel>>> + Send;
    /// Publishes stocks in batches as large as the API allows; per-item errors come back.
    fn update_stocks(
        &self,
        updates: &[StockUpdate],
    ) -> impl Future<Output = Result<Vec<ItemOutcome>>> + Send;
    /// Every FBO stock of the cabinet, paged to the end.
    fn fbo_stocks(&self) -> impl Future<Output = Result<Vec<FboStock>>> + Send;
    fn prices(&self) -> impl Future<Output = Result<Vec<PriceInfo>>> + Send;
    fn update_prices(
        &self,
        updates: &[PriceUpdate],
    ) -> impl Future<Output = Result<Vec<ItemOutcome>>> + Send;
    /// Every accrual on these orders, each answer the whole of an order's (Ozon, YM).
    fn accruals(&self, order_ids: &[String]) -> impl Future<Output = Result<Vec<Accrual>>> + Send;
    /// The marketplace's forecast of an order's money when it came (Ozon's financial data
    /// of a posting): lines like accruals, expected rather than settled.
    fn forecast(&self, order_id: &str) -> impl Future<Output = Result<Vec<Accrual>>> + Send;
    /// A page of the cabinet's finance feed from `cursor` (WB, whose report is read by its
    /// row cursor and not by order).
    fn finance_feed(
        &self,
        cursor: Option<&str>,
    ) -> impl Future<Output = Result<FinanceFeed>> + Send;
    /// The commission of each category on the seller's warehouse (WB's tariffs), for the
    /// money expected of an order before the report tells it.
    fn commission_rates(&self) -> impl Future<Output = Result<Vec<CommissionRate>>> + Send;
}
