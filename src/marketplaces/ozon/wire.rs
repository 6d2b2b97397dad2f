//! Ozon Seller API wire types (serde), as the spec defines them. Responses are tolerant:
//! optional fields default, unknown statuses stay strings.

use serde::{Deserialize, Serialize};

/// Ozon's error body (gRPC-gateway style).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ErrorBody {
    pub code: i64,
    pub message: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RolesResponse {
    pub expires_at: Option<String>,
    pub roles: Vec<KeyRole>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct KeyRole {
    pub name: String,
    pub methods: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CursorLimit<'a> {
    pub limit: i64,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub cursor: &'a str,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct WarehouseListResponse {
    pub warehouses: Vec<WarehouseWire>,
    pub cursor: String,
    pub has_next: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct WarehouseWire {
    pub warehouse_id: i64,
    pub name: String,
    pub status: String,
    pub is_rfbs: bool,
}

#[derive(Debug, Serialize)]
pub struct ProductListRequest<'a> {
    pub filter: VisibilityFilter,
    pub last_id: &'a str,
    pub limit: i64,
}

#[derive(Debug, Serialize)]
pub struct VisibilityFilter {
    pub visibility: &'static str,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ProductListResponse {
    pub result: ProductListResult,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ProductListResult {
    pub items: Vec<ProductListItem>,
    pub last_id: String,
    pub total: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ProductListItem {
    pub product_id: i64,
    pub offer_id: String,
    /// 0 while Ozon has given the product no SKU yet.
    pub sku: i64,
}

#[derive(Debug, Serialize)]
pub struct ProductInfoRequest {
    /// `string:int64` in the spec.
    pub product_id: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ProductInfoResponse {
    pub items: Vec<ProductInfo>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ProductInfo {
    pub id: i64,
    pub offer_id: String,
    pub sku: i64,
    pub name: String,
    pub barcodes: Vec<String>,
    pub description_category_id: i64,
}

#[derive(Debug, Serialize)]
pub struct FbsListRequest<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    pub cursor: &'a str,
    pub filter: FbsFilter,
    pub limit: i64,
    pub sort_dir: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FbsFilter {
    pub since: String,
    pub to: String,
    pub last_changed_status_date: Period,
}

#[derive(Debug, Serialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Serialize)]
pub struct FboListRequest<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    pub cursor: &'a str,
    pub filter: FboFilter,
    pub limit: i64,
    pub sort_dir: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FboFilter {
    pub since: String,
    pub to: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PostingListResponse {
    pub postings: Vec<Posting>,
    pub cursor: String,
    pub has_next: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Posting {
    pub posting_number: String,
    pub order_id: i64,
    pub order_number: String,
    pub status: String,
    pub substatus: String,
    pub in_process_at: Option<String>,
    pub created_at: Option<String>,
    pub shipment_date: Option<String>,
    pub delivery_method: Option<DeliveryMethod>,
    pub analytics_data: Option<AnalyticsData>,
    pub products: Vec<PostingProduct>,
    pub cancellation: Option<Cancellation>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DeliveryMethod {
    pub warehouse_id: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AnalyticsData {
    pub warehouse_id: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PostingProduct {
    pub sku: i64,
    pub offer_id: String,
    pub name: String,
    pub quantity: i64,
    pub price: WireAmount,
}

/// `{"amount": "1299.50", "currency": "RUB"}`.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct WireAmount {
    pub amount: String,
    pub currency: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Cancellation {
    pub cancel_reason: String,
}

#[derive(Debug, Serialize)]
pub struct ShipRequest<'a> {
    pub packages: Vec<ShipPackage>,
    pub posting_number: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ShipPackage {
    pub products: Vec<ShipProduct>,
}

#[derive(Debug, Serialize)]
pub struct ShipProduct {
    pub product_id: i64,
    pub quantity: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ShipResponse {
    pub result: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FbsGetRequest<'a> {
    pub posting_number: &'a str,
}

/// `/v3/posting/fbs/get` with its financial data.
#[derive(Debug, Serialize)]
pub struct FbsGetFinancialRequest<'a> {
    pub posting_number: &'a str,
    pub with: FinancialWith,
}

#[derive(Debug, Serialize)]
pub struct FinancialWith {
    pub financial_data: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FbsGetFinancialResponse {
    pub result: PostingFinancial,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PostingFinancial {
    pub posting_number: String,
    pub financial_data: FinancialData,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FinancialData {
    pub products: Vec<FinancialProduct>,
}

/// One product's forecast: Ozon's fee for it and what it pays the seller.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FinancialProduct {
    pub product_id: i64,
    pub commission_amount: f64,
    pub payout: f64,
    pub quantity: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FbsGetResponse {
    pub result: PostingState,
}

/// The part of `/v3/posting/fbs/get` we read (its products differ in shape from v4's).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PostingState {
    pub status: String,
    pub substatus: String,
}

#[derive(Debug, Serialize)]
pub struct CancelRequest<'a> {
    pub cancel_reason_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_reason_message: Option<&'a str>,
    pub posting_number: &'a str,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct BoolResult {
    pub result: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CancelReasonList {
    pub result: Vec<CancelReasonWire>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CancelReasonWire {
    pub id: i64,
    pub title: String,
    pub type_id: String,
    pub is_available_for_cancellation: bool,
}

#[derive(Debug, Serialize)]
pub struct LabelCreateRequest<'a> {
    pub posting_numbers: &'a [String],
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LabelCreateResponse {
    pub tasks: Vec<LabelTask>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LabelTask {
    pub task_id: i64,
    pub task_type: String,
}

#[derive(Debug, Serialize)]
pub struct LabelGetRequest {
    pub task_id: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LabelGetResponse {
    pub status: LabelStatus,
    pub file_url: String,
    pub error: Option<ErrorBody>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LabelStatus {
    pub code: String,
    pub postings_count: i64,
    pub printed_postings_count: i64,
    pub unprinted_postings: Vec<Unprinted>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Unprinted {
    pub posting_number: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct StocksReadRequest<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    pub cursor: &'a str,
    pub limit: i64,
    pub offer_id: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StocksReadResponse {
    pub cursor: String,
    pub has_next: bool,
    pub products: Vec<WarehouseStock>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct WarehouseStock {
    pub warehouse_id: i64,
    pub offer_id: String,
    pub product_id: i64,
    pub present: i64,
    pub reserved: i64,
}

#[derive(Debug, Serialize)]
pub struct StocksUpdateRequest {
    pub stocks: Vec<StockItem>,
}

#[derive(Debug, Serialize)]
pub struct StockItem {
    pub offer_id: String,
    pub product_id: i64,
    pub stock: i64,
    pub warehouse_id: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct UpdateResults {
    pub result: Vec<UpdateResult>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct UpdateResult {
    pub offer_id: String,
    pub product_id: i64,
    pub warehouse_id: i64,
    pub updated: bool,
    pub errors: Vec<ItemError>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ItemError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct PricesReadRequest<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    pub cursor: &'a str,
    pub filter: VisibilityFilter,
    pub limit: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PricesReadResponse {
    pub cursor: String,
    pub items: Vec<PriceItem>,
    pub total: i64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PriceItem {
    pub offer_id: String,
    pub product_id: i64,
    pub price: PriceBlock,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PriceBlock {
    pub price: f64,
    pub old_price: f64,
    pub min_price: f64,
    pub marketing_seller_price: f64,
    pub currency_code: String,
}

#[derive(Debug, Serialize)]
pub struct PricesUpdateRequest {
    pub prices: Vec<PriceWrite>,
}

#[derive(Debug, Serialize)]
pub struct PriceWrite {
    pub offer_id: String,
    pub product_id: i64,
    pub price: String,
    /// "0" resets the crossed-out price.
    pub old_price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_price: Option<String>,
    pub currency_code: &'static str,
}

#[derive(Debug, Serialize)]
pub struct AccrualsRequest<'a> {
    pub posting_numbers: &'a [String],
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AccrualsResponse {
    pub posting_accruals: Vec<PostingAccruals>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PostingAccruals {
    pub posting_number: String,
    pub accruals: Vec<AccrualWire>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AccrualWire {
    pub type_id: i64,
    pub accrued: WireAmount,
    pub accrual_date: String,
}

/// `/v1/finance/accrual/types`: the directory of accrual types.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AccrualTypesResponse {
    pub accrual_types: Vec<AccrualType>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AccrualType {
    pub id: i64,
    pub name: String,
}

/// `/v1/analytics/stocks`: `skus` is required, at most 100 (`string:int64`).
#[derive(Debug, Serialize)]
pub struct FboStocksRequest {
    pub skus: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FboStocksResponse {
    pub items: Vec<FboStockItem>,
}

/// One SKU in one Ozon warehouse.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FboStockItem {
    pub sku: i64,
    pub offer_id: String,
    pub warehouse_id: i64,
    pub warehouse_name: String,
    /// «Доступно к продаже».
    pub available_stock_count: i64,
}
