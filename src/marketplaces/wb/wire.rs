//! Wildberries API wire types (serde), per the 2026-08 specs.

use serde::{Deserialize, Serialize};

/// WB's error bodies come in several shapes; every field is optional.
#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct ErrorBody {
    pub title: String,
    pub detail: String,
    pub code: String,
    pub message: String,
    pub error_text: String,
}

/// The claims of a WB API token (a JWT) that matter to us.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Claims {
    /// Scope bitmask: bit N set = category N allowed.
    pub s: u64,
    pub exp: i64,
    pub sid: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SellerInfo {
    pub name: String,
    pub sid: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct WarehouseWire {
    pub id: i64,
    pub name: String,
    pub is_deleting: bool,
}

#[derive(Debug, Serialize)]
pub struct CardsRequest {
    pub settings: CardsSettings,
}

#[derive(Debug, Serialize)]
pub struct CardsSettings {
    pub cursor: CardsCursor,
    pub filter: CardsFilter,
}

#[derive(Debug, Serialize, Deserialize, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct CardsCursor {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(rename = "nmID", skip_serializing_if = "Option::is_none")]
    pub nm_id: Option<i64>,
    #[serde(skip_serializing)]
    pub total: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardsFilter {
    pub with_photo: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CardsResponse {
    pub cards: Vec<Card>,
    pub cursor: CardsCursor,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Card {
    #[serde(rename = "nmID")]
    pub nm_id: i64,
    pub vendor_code: String,
    pub title: String,
    pub subject_name: String,
    pub sizes: Vec<CardSize>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct CardSize {
    #[serde(rename = "chrtID")]
    pub chrt_id: i64,
    pub tech_size: String,
    pub skus: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct OrdersResponse {
    pub next: i64,
    pub orders: Vec<OrderWire>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderWire {
    pub id: i64,
    pub rid: String,
    pub created_at: String,
    pub warehouse_id: i64,
    pub nm_id: i64,
    pub chrt_id: i64,
    pub article: String,
    /// Kopecks.
    pub price: i64,
    pub supply_id: String,
    pub skus: Vec<String>,
    /// For oversized goods: the date WB asks them delivered to its sorting centre by.
    pub seller_date: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OrderIds<'a> {
    pub orders: &'a [i64],
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatusesResponse {
    pub orders: Vec<OrderStatus>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderStatus {
    pub id: i64,
    pub supplier_status: String,
    pub wb_status: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StickersResponse {
    pub stickers: Vec<Sticker>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Sticker {
    pub order_id: i64,
    pub part_a: String,
    pub part_b: String,
    pub barcode: String,
    pub file: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SuppliesResponse {
    pub next: i64,
    pub supplies: Vec<SupplyWire>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SupplyWire {
    pub id: String,
    pub name: String,
    pub done: bool,
}

#[derive(Debug, Serialize)]
pub struct SupplyName<'a> {
    pub name: &'a str,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CreatedId {
    pub id: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct SupplyOrderIds {
    pub order_ids: Vec<i64>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SupplyBarcode {
    pub barcode: String,
    pub file: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChrtIds<'a> {
    pub chrt_ids: &'a [i64],
}

#[derive(Debug, Serialize, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct StockWire {
    pub chrt_id: i64,
    pub amount: i64,
}

#[derive(Debug, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Stocks {
    pub stocks: Vec<StockWire>,
}

/// One entry of a 409 answer to a stock update.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StockError {
    pub code: String,
    pub message: String,
    pub data: Option<Vec<StockErrorItem>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct StockErrorItem {
    pub chrt_id: i64,
    pub sku: String,
    pub amount: i64,
}

#[derive(Debug, Serialize)]
pub struct PriceTask {
    pub data: Vec<PriceTaskItem>,
}

#[derive(Debug, Serialize)]
pub struct PriceTaskItem {
    #[serde(rename = "nmID")]
    pub nm_id: i64,
    /// Whole roubles.
    pub price: i64,
    /// Percent.
    pub discount: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskCreated {
    pub data: Option<TaskId>,
    pub error: bool,
    pub error_text: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskId {
    pub id: i64,
    pub already_exists: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskState {
    pub data: Option<TaskStateData>,
    pub error: bool,
    pub error_text: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskStateData {
    #[serde(rename = "uploadID")]
    pub upload_id: i64,
    pub status: i64,
    pub over_all_goods_number: i64,
    pub success_goods_number: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TaskGoods {
    pub data: Option<TaskGoodsData>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskGoodsData {
    pub history_goods: Vec<TaskGood>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskGood {
    #[serde(rename = "nmID")]
    pub nm_id: i64,
    pub vendor_code: String,
    pub status: i64,
    pub error_text: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct GoodsList {
    pub data: GoodsListData,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct GoodsListData {
    pub list_goods: Vec<Good>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Good {
    #[serde(rename = "nmID")]
    pub nm_id: i64,
    pub vendor_code: String,
    pub sizes: Vec<GoodSize>,
    pub discount: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct GoodSize {
    #[serde(rename = "sizeID")]
    pub size_id: i64,
    pub price: i64,
    pub discounted_price: f64,
    pub club_discounted_price: f64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct StatOrder {
    pub date: String,
    pub last_change_date: String,
    pub warehouse_name: String,
    pub warehouse_type: String,
    pub supplier_article: String,
    pub nm_id: i64,
    pub barcode: String,
    pub subject: String,
    pub price_with_disc: f64,
    pub is_cancel: bool,
    pub g_number: String,
    pub srid: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailedRequest {
    pub date_from: String,
    pub date_to: String,
    pub limit: i64,
    pub rrd_id: i64,
    pub period: &'static str,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct ReportRow {
    pub rrd_id: i64,
    /// The assembly task (0 on rows not about an order: storage, deductions).
    pub order_id: i64,
    pub srid: String,
    /// Продажа, Возврат, or empty on a service row.
    pub doc_type_name: String,
    pub seller_oper_name: String,
    pub retail_amount: String,
    pub for_pay: String,
    pub delivery_service: String,
    pub rebill_logistic_cost: String,
    pub penalty: String,
    pub additional_payment: String,
    pub rr_date: String,
    /// The account's charges (on rows not about an order): storage, deductions, acceptance.
    pub paid_storage: String,
    pub deduction: String,
    pub paid_acceptance: String,
}

/// `/api/analytics/v1/stocks-report/wb-warehouses`: every size on every WB warehouse, paged
/// by `limit` (at most 250 000) and `offset`.
#[derive(Debug, Serialize)]
pub struct FboStocksRequest {
    pub limit: u64,
    pub offset: u64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FboStocksResponse {
    pub data: FboStocksData,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FboStocksData {
    pub items: Vec<FboStockRow>,
}

/// One size of a card on one WB warehouse.
#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct FboStockRow {
    pub nm_id: i64,
    pub chrt_id: i64,
    pub warehouse_id: i64,
    pub warehouse_name: String,
    /// Available to buyers (can be put in a basket).
    pub quantity: i64,
    pub in_way_to_client: i64,
    pub in_way_from_client: i64,
}
