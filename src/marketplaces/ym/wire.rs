//! Yandex Market Partner API wire types (serde).

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ErrorBody {
    pub status: String,
    pub errors: Option<Vec<ApiError>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Paging {
    pub next_page_token: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CampaignsResponse {
    pub campaigns: Vec<Campaign>,
    pub paging: Paging,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Campaign {
    pub id: i64,
    pub domain: String,
    pub business: Business,
    pub placement_type: String,
    pub api_availability: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Business {
    pub id: i64,
    pub name: String,
}

/// `{"status": "OK", "result": {...}}`.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Wrapped<T> {
    pub status: String,
    pub result: T,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct WarehousesResult {
    pub warehouses: Vec<WarehouseWire>,
    pub paging: Paging,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct WarehouseWire {
    pub id: i64,
    pub name: String,
    pub models: Vec<WarehouseModel>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct WarehouseModel {
    pub placement_type: String,
    pub api_availability: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct MappingsResult {
    pub offer_mappings: Vec<OfferMapping>,
    pub paging: Paging,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct OfferMapping {
    pub offer: Offer,
    pub mapping: Option<Mapping>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Offer {
    pub offer_id: String,
    pub name: String,
    pub category: String,
    pub barcodes: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Mapping {
    pub market_sku: Option<i64>,
    pub market_category_name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrdersRequest<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub order_ids: &'a [i64],
    pub program_types: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates: Option<OrderDates>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDates {
    pub update_date_from: String,
    pub update_date_to: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct OrdersResponse {
    pub orders: Vec<OrderWire>,
    pub paging: Paging,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderWire {
    pub order_id: i64,
    pub campaign_id: i64,
    pub program_type: String,
    pub status: String,
    pub substatus: String,
    pub creation_date: String,
    pub items: Vec<OrderItemWire>,
    pub delivery: Option<Delivery>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderItemWire {
    pub offer_id: String,
    pub offer_name: String,
    pub count: i64,
    pub prices: Option<ItemPrices>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ItemPrices {
    pub payment: Option<Amount>,
}

#[derive(Debug, Serialize, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Amount {
    pub value: f64,
    pub currency_id: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Delivery {
    pub warehouse_id: Option<String>,
    pub shipment: Option<Shipment>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Shipment {
    pub shipment_date: String,
}

#[derive(Debug, Serialize)]
pub struct StatusUpdate {
    pub orders: Vec<StatusItem>,
}

#[derive(Debug, Serialize)]
pub struct StatusItem {
    pub id: i64,
    pub status: &'static str,
    pub substatus: &'static str,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatusResult {
    pub orders: Vec<StatusResultItem>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct StatusResultItem {
    pub id: i64,
    pub update_status: String,
    pub error_details: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StocksUpdate {
    pub sku_items: Vec<SkuItem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuItem {
    pub sku: String,
    pub partner_warehouse_id: i64,
    pub count: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StocksRead<'a> {
    pub partner_warehouse_id: i64,
    pub offer_ids: &'a [String],
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StocksResult {
    pub offers: Vec<OfferStocks>,
    pub paging: Paging,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct OfferStocks {
    pub offer_id: String,
    pub stocks: Vec<StockWire>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StockWire {
    #[serde(rename = "type")]
    pub kind: String,
    pub count: i64,
}

#[derive(Debug, Serialize)]
pub struct PricesUpdate {
    pub offers: Vec<PriceOffer>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceOffer {
    pub offer_id: String,
    pub price: PriceWrite,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceWrite {
    pub value: f64,
    pub currency_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_base: Option<f64>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PricesResult {
    pub offers: Vec<PriceRead>,
    pub paging: Paging,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct PriceRead {
    pub offer_id: String,
    pub price: Option<PriceValue>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct PriceValue {
    pub value: f64,
    pub discount_base: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct StatsRequest<'a> {
    pub orders: &'a [i64],
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatsResult {
    pub orders: Vec<StatsOrder>,
    pub paging: Paging,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct StatsOrder {
    pub id: i64,
    pub creation_date: String,
    pub status_update_date: String,
    pub items: Vec<StatsItem>,
    pub payments: Vec<Payment>,
    pub commissions: Vec<Commission>,
}

/// An item of a statistics order: its prices (the buyer's and the discounts the Market
/// pays for).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatsItem {
    pub prices: Option<Vec<StatsPrice>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatsPrice {
    #[serde(rename = "type")]
    pub kind: String,
    pub total: f64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Payment {
    #[serde(rename = "type")]
    pub kind: String,
    pub total: f64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Commission {
    #[serde(rename = "type")]
    pub kind: String,
    pub actual: f64,
}

/// `POST /v2/campaigns/{campaignId}/offers/stocks` with no filters: every offer of the
/// campaign (not archived), paged by `pageToken` and `limit` (at most 100).
#[derive(Debug, Serialize, Default)]
pub struct FbyStocksRequest {}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FbyStocksResult {
    pub warehouses: Vec<FbyWarehouseStocks>,
    pub paging: Paging,
}

/// A Market warehouse and the offers it holds.
#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct FbyWarehouseStocks {
    pub warehouse_id: i64,
    pub offers: Vec<OfferStocks>,
}

/// `GET /v2/warehouses`: Market's fulfilment warehouses.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FulfillmentWarehouses {
    pub warehouses: Vec<FulfillmentWarehouse>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FulfillmentWarehouse {
    pub id: i64,
    pub name: String,
}
