//! The API catalogue: every request the product makes, declared once with its
//! marketplace, API family (host), method, path, rate-limit group and batch maximum.
//! Base URLs come from the environment (so tests and the console point the real clients at
//! the sandboxes); host, path or version of any entry can be overridden at run time from
//! the database (F9).

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Duration;

use super::error::{Error, Result};
use crate::domain::Marketplace;
use crate::ratelimit::Limit;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub fn as_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// An API host of a marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Ozon,
    WbMarketplace,
    WbContent,
    WbPrices,
    WbStatistics,
    WbAnalytics,
    WbCommon,
    WbFinance,
    WbSupplies,
    Ym,
    NovaPoshta,
}

impl Family {
    pub const ALL: [Family; 11] = [
        Family::Ozon,
        Family::WbMarketplace,
        Family::WbContent,
        Family::WbPrices,
        Family::WbStatistics,
        Family::WbAnalytics,
        Family::WbCommon,
        Family::WbFinance,
        Family::WbSupplies,
        Family::Ym,
        Family::NovaPoshta,
    ];

    /// The name used by `mpbot sandbox` and in `MPBOT_WB_<FAMILY>_URL`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Ozon => "ozon",
            Family::WbMarketplace => "wb-marketplace",
            Family::WbContent => "wb-content",
            Family::WbPrices => "wb-prices",
            Family::WbStatistics => "wb-statistics",
            Family::WbAnalytics => "wb-analytics",
            Family::WbCommon => "wb-common",
            Family::WbFinance => "wb-finance",
            Family::WbSupplies => "wb-supplies",
            Family::Ym => "ym",
            Family::NovaPoshta => "novaposhta",
        }
    }

    /// The environment variable that overrides the base URL.
    pub fn env_var(self) -> String {
        match self {
            Family::Ozon => "MPBOT_OZON_URL".into(),
            Family::Ym => "MPBOT_YM_URL".into(),
            Family::NovaPoshta => "MPBOT_NOVAPOSHTA_URL".into(),
            wb => format!(
                "MPBOT_WB_{}_URL",
                wb.name().trim_start_matches("wb-").to_ascii_uppercase()
            ),
        }
    }

    /// The real host.
    pub fn default_url(self) -> &'static str {
        match self {
            Family::Ozon => "https://api-seller.ozon.ru/",
            Family::WbMarketplace => "https://marketplace-api.wildberries.ru/",
            Family::WbContent => "https://content-api.wildberries.ru/",
            Family::WbPrices => "https://discounts-prices-api.wildberries.ru/",
            Family::WbStatistics => "https://statistics-api.wildberries.ru/",
            Family::WbAnalytics => "https://seller-analytics-api.wildberries.ru/",
            Family::WbCommon => "https://common-api.wildberries.ru/",
            Family::WbFinance => "https://finance-api.wildberries.ru/",
            Family::WbSupplies => "https://supplies-api.wildberries.ru/",
            Family::Ym => "https://api.partner.market.yandex.ru/",
            Family::NovaPoshta => "https://api.novaposhta.ua/",
        }
    }

    /// The hosts a workspace may point this family's requests at: the marketplace's own
    /// API domains, with their documented sandbox hosts. `*.x` is any subdomain of `x`.
    /// Any other host is the operator's to set, for the whole deployment.
    pub fn official_hosts(self) -> &'static [&'static str] {
        match self {
            Family::Ozon => &["api-seller.ozon.ru"],
            Family::Ym => &["api.partner.market.yandex.ru"],
            Family::NovaPoshta => &["api.novaposhta.ua"],
            _ => &["*.wildberries.ru", "*.wb.ru"],
        }
    }

    /// Whether `url` is an https address on one of [`Family::official_hosts`], on the
    /// standard port and without credentials in it.
    pub fn is_official(self, url: &reqwest::Url) -> bool {
        // `domain()` is `None` for an IP address: no address is official.
        let Some(host) = url.domain() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        url.scheme() == "https"
            && url.port().is_none_or(|p| p == 443)
            && url.username().is_empty()
            && url.password().is_none()
            && self
                .official_hosts()
                .iter()
                .any(|d| match d.strip_prefix("*.") {
                    Some(parent) => host
                        .strip_suffix(parent)
                        .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
                    None => host == *d,
                })
    }

    pub fn marketplace(self) -> Option<Marketplace> {
        match self {
            Family::Ozon => Some(Marketplace::Ozon),
            Family::Ym => Some(Marketplace::YandexMarket),
            Family::NovaPoshta => None,
            _ => Some(Marketplace::Wildberries),
        }
    }
}

/// A rate-limit group: endpoints that share one bucket per cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateGroup {
    pub name: &'static str,
    pub limit: Limit,
}

const fn group(name: &'static str, n: u32, period_secs: u64, burst: u32) -> RateGroup {
    RateGroup {
        name,
        limit: Limit::per(n, Duration::from_secs(period_secs), burst),
    }
}

/// Ozon: at most 50 requests per second per Client-Id on all methods.
pub const OZON_ALL: RateGroup = group("ozon", 50, 1, 50);
/// Ozon `/v2/products/stocks`: 80 requests per minute.
pub const OZON_STOCKS: RateGroup = group("ozon-stocks", 80, 60, 80);

/// WB marketplace API (orders, supplies, stickers, warehouses, stocks): 300/min, burst 20.
pub const WB_MARKETPLACE: RateGroup = group("wb-marketplace", 300, 60, 20);
/// WB order cancellation: 100/min, burst 20.
pub const WB_CANCEL: RateGroup = group("wb-cancel", 100, 60, 20);
/// WB content (cards): 100/min, burst 5.
pub const WB_CONTENT: RateGroup = group("wb-content", 100, 60, 5);
/// WB prices and discounts: 10 per 6 s, burst 5.
pub const WB_PRICES: RateGroup = group("wb-prices", 10, 6, 5);
/// WB statistics (orders/sales feeds): 1/min, burst 10.
pub const WB_STATISTICS: RateGroup = group("wb-statistics", 1, 60, 10);
/// WB finance reports: 1/min, burst 2.
pub const WB_FINANCE: RateGroup = group("wb-finance", 1, 60, 2);
/// WB commission tariffs: 1/min, burst 2.
pub const WB_TARIFFS: RateGroup = group("wb-tariffs", 1, 60, 2);
/// WB common API (seller info): 1/min, burst 10.
pub const WB_COMMON: RateGroup = group("wb-common", 1, 60, 10);
/// WB FBO stocks report (`/api/analytics/v1/stocks-report/wb-warehouses`): 3/min, one
/// every 20 s, burst 1.
pub const WB_STOCKS_REPORT: RateGroup = group("wb-stocks-report", 3, 60, 1);
/// WB `/ping`: 3 per 30 s.
pub const WB_PING: RateGroup = group("wb-ping", 3, 30, 3);

/// YM limits, from each method's `x-resource-limit-config`.
pub const YM_CAMPAIGNS: RateGroup = group("ym-campaigns", 1000, 3600, 1000);
pub const YM_ORDERS: RateGroup = group("ym-orders", 10_000, 3600, 10_000);
pub const YM_STATUS: RateGroup = group("ym-status", 10_000, 3600, 10_000);
pub const YM_LABELS: RateGroup = group("ym-labels", 10_000, 3600, 10_000);
pub const YM_STOCKS_UPDATE: RateGroup = group("ym-stocks-update", 50, 60, 50);
pub const YM_STOCKS_READ: RateGroup = group("ym-stocks-read", 500, 60, 500);
/// Counted by offers in the request.
pub const YM_PRICES_UPDATE: RateGroup = group("ym-prices-update", 10_000, 60, 10_000);
/// Counted by offers in the answer.
pub const YM_PRICES_READ: RateGroup = group("ym-prices-read", 5_000, 60, 5_000);
pub const YM_MAPPINGS: RateGroup = group("ym-mappings", 100, 60, 100);
pub const YM_WAREHOUSES: RateGroup = group("ym-warehouses", 100, 3600, 100);
pub const YM_STATS: RateGroup = group("ym-stats", 10_000, 3600, 10_000);
/// FBY stocks (`POST /v2/campaigns/{c}/offers/stocks`): 100 000 offers a minute, counted by
/// the offers in the answer (a request costs its page size).
pub const YM_FBY_STOCKS: RateGroup = group("ym-fby-stocks", 100_000, 60, 100_000);
/// Market's fulfilment warehouses (`GET /v2/warehouses`): 100 an hour.
pub const YM_FBY_WAREHOUSES: RateGroup = group("ym-fby-warehouses", 100, 3600, 100);

/// Nova Poshta publishes no request rate; stay polite: 5 per second.
pub const NOVAPOSHTA: RateGroup = group("novaposhta", 5, 1, 5);

/// One request the product makes.
#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub name: &'static str,
    pub family: Family,
    pub method: Method,
    pub path: &'static str,
    pub group: RateGroup,
    /// The most items one request may carry.
    pub batch_max: Option<usize>,
    /// Whether sending it again after a timeout or a 5xx is harmless.
    pub repeat: Repeat,
}

impl Endpoint {
    /// The limit every method of the marketplace shares besides the endpoint's own, where
    /// there is one: Ozon counts all methods of a Client-Id together (50 a second), so a
    /// burst of stock updates must stay under both.
    pub fn shared_group(&self) -> Option<RateGroup> {
        (self.family == Family::Ozon && self.group.name != OZON_ALL.name).then_some(OZON_ALL)
    }
}

/// Whether a request may be repeated blindly when its answer is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Reads, and absolute sets of stock or price: a second time changes nothing more.
    Safe,
    /// Creating, shipping, cancelling: a second time may do it twice. After an ambiguous
    /// failure the client re-reads the marketplace's state before it decides.
    Unsafe,
}

macro_rules! endpoint {
    ($id:ident, $name:literal, $family:ident, $method:ident, $path:literal, $group:expr, $batch:expr, $repeat:ident) => {
        pub static $id: Endpoint = Endpoint {
            name: $name,
            family: Family::$family,
            method: Method::$method,
            path: $path,
            group: $group,
            batch_max: $batch,
            repeat: Repeat::$repeat,
        };
    };
}

endpoint!(
    OZON_ROLES,
    "ozon.roles",
    Ozon,
    Post,
    "/v1/roles",
    OZON_ALL,
    None,
    Safe
);
endpoint!(
    OZON_WAREHOUSES,
    "ozon.warehouses",
    Ozon,
    Post,
    "/v2/warehouse/list",
    OZON_ALL,
    Some(200),
    Safe
);
endpoint!(
    OZON_PRODUCT_LIST,
    "ozon.product-list",
    Ozon,
    Post,
    "/v3/product/list",
    OZON_ALL,
    Some(1000),
    Safe
);
endpoint!(
    OZON_PRODUCT_INFO,
    "ozon.product-info",
    Ozon,
    Post,
    "/v3/product/info/list",
    OZON_ALL,
    Some(1000),
    Safe
);
endpoint!(
    OZON_FBS_LIST,
    "ozon.fbs-list",
    Ozon,
    Post,
    "/v4/posting/fbs/list",
    OZON_ALL,
    Some(100),
    Safe
);
endpoint!(
    OZON_FBS_GET,
    "ozon.fbs-get",
    Ozon,
    Post,
    "/v3/posting/fbs/get",
    OZON_ALL,
    None,
    Safe
);
endpoint!(
    OZON_FBO_LIST,
    "ozon.fbo-list",
    Ozon,
    Post,
    "/v3/posting/fbo/list",
    OZON_ALL,
    Some(100),
    Safe
);
endpoint!(
    OZON_FBS_SHIP,
    "ozon.fbs-ship",
    Ozon,
    Post,
    "/v4/posting/fbs/ship",
    OZON_ALL,
    None,
    Unsafe
);
endpoint!(
    OZON_FBS_CANCEL,
    "ozon.fbs-cancel",
    Ozon,
    Post,
    "/v2/posting/fbs/cancel",
    OZON_ALL,
    None,
    Unsafe
);
endpoint!(
    OZON_CANCEL_REASONS,
    "ozon.cancel-reasons",
    Ozon,
    Post,
    "/v2/posting/fbs/cancel-reason/list",
    OZON_ALL,
    None,
    Safe
);
endpoint!(
    OZON_LABEL_CREATE,
    "ozon.label-create",
    Ozon,
    Post,
    "/v3/posting/fbs/package-label/create",
    OZON_ALL,
    Some(100),
    Unsafe
);
endpoint!(
    OZON_LABEL_GET,
    "ozon.label-get",
    Ozon,
    Post,
    "/v2/posting/fbs/package-label/get",
    OZON_ALL,
    None,
    Safe
);
endpoint!(
    OZON_LABEL_FILE,
    "ozon.label-file",
    Ozon,
    Get,
    "/",
    OZON_ALL,
    None,
    Safe
);
endpoint!(
    OZON_STOCKS_READ,
    "ozon.stocks-read",
    Ozon,
    Post,
    "/v2/product/info/stocks-by-warehouse/fbs",
    OZON_ALL,
    Some(1000),
    Safe
);
endpoint!(
    OZON_STOCKS_UPDATE,
    "ozon.stocks-update",
    Ozon,
    Post,
    "/v2/products/stocks",
    OZON_STOCKS,
    Some(100),
    Safe
);
endpoint!(
    OZON_PRICES_READ,
    "ozon.prices-read",
    Ozon,
    Post,
    "/v5/product/info/prices",
    OZON_ALL,
    Some(1000),
    Safe
);
endpoint!(
    OZON_PRICES_UPDATE,
    "ozon.prices-update",
    Ozon,
    Post,
    "/v1/product/import/prices",
    OZON_ALL,
    Some(1000),
    Safe
);
endpoint!(
    OZON_ACCRUALS,
    "ozon.accruals",
    Ozon,
    Post,
    "/v1/finance/accrual/postings",
    OZON_ALL,
    Some(200),
    Safe
);
endpoint!(
    OZON_ACCRUAL_TYPES,
    "ozon.accrual-types",
    Ozon,
    Post,
    "/v1/finance/accrual/types",
    OZON_ALL,
    None,
    Safe
);

endpoint!(
    OZON_FBO_STOCKS,
    "ozon.fbo-stocks",
    Ozon,
    Post,
    "/v1/analytics/stocks",
    OZON_ALL,
    Some(100),
    Safe
);

endpoint!(
    WB_PING_EP,
    "wb.ping",
    WbMarketplace,
    Get,
    "/ping",
    WB_PING,
    None,
    Safe
);
endpoint!(
    WB_SELLER_INFO,
    "wb.seller-info",
    WbCommon,
    Get,
    "/api/v1/seller-info",
    WB_COMMON,
    None,
    Safe
);
endpoint!(
    WB_COMMISSIONS,
    "wb.tariffs-commission",
    WbCommon,
    Get,
    "/api/v1/tariffs/commission",
    WB_TARIFFS,
    None,
    Safe
);
endpoint!(
    WB_WAREHOUSES,
    "wb.warehouses",
    WbMarketplace,
    Get,
    "/api/v3/warehouses",
    WB_MARKETPLACE,
    None,
    Safe
);
endpoint!(
    WB_CARDS,
    "wb.cards",
    WbContent,
    Post,
    "/content/v2/get/cards/list",
    WB_CONTENT,
    Some(100),
    Safe
);
endpoint!(
    WB_ORDERS_NEW,
    "wb.orders-new",
    WbMarketplace,
    Get,
    "/api/v3/orders/new",
    WB_MARKETPLACE,
    None,
    Safe
);
endpoint!(
    WB_ORDERS,
    "wb.orders",
    WbMarketplace,
    Get,
    "/api/v3/orders",
    WB_MARKETPLACE,
    Some(1000),
    Safe
);
endpoint!(
    WB_ORDERS_STATUS,
    "wb.orders-status",
    WbMarketplace,
    Post,
    "/api/v3/orders/status",
    WB_MARKETPLACE,
    Some(1000),
    Safe
);
endpoint!(
    WB_ORDER_CANCEL,
    "wb.order-cancel",
    WbMarketplace,
    Patch,
    "/api/v3/orders/{orderId}/cancel",
    WB_CANCEL,
    None,
    Unsafe
);
endpoint!(
    WB_STICKERS,
    "wb.stickers",
    WbMarketplace,
    Post,
    "/api/v3/orders/stickers",
    WB_MARKETPLACE,
    Some(100),
    Safe
);
endpoint!(
    WB_SUPPLIES,
    "wb.supplies",
    WbMarketplace,
    Get,
    "/api/v3/supplies",
    WB_MARKETPLACE,
    Some(1000),
    Safe
);
endpoint!(
    WB_SUPPLY_CREATE,
    "wb.supply-create",
    WbMarketplace,
    Post,
    "/api/v3/supplies",
    WB_MARKETPLACE,
    None,
    Unsafe
);
endpoint!(
    WB_SUPPLY_ADD,
    "wb.supply-add",
    WbMarketplace,
    Patch,
    "/api/marketplace/v3/supplies/{supplyId}/orders",
    WB_MARKETPLACE,
    Some(100),
    Unsafe
);
endpoint!(
    WB_SUPPLY_DELIVER,
    "wb.supply-deliver",
    WbMarketplace,
    Patch,
    "/api/v3/supplies/{supplyId}/deliver",
    WB_MARKETPLACE,
    None,
    Unsafe
);
endpoint!(
    WB_SUPPLY_ORDER_IDS,
    "wb.supply-order-ids",
    WbMarketplace,
    Get,
    "/api/marketplace/v3/supplies/{supplyId}/order-ids",
    WB_MARKETPLACE,
    None,
    Safe
);
endpoint!(
    WB_SUPPLY_BARCODE,
    "wb.supply-barcode",
    WbMarketplace,
    Get,
    "/api/v3/supplies/{supplyId}/barcode",
    WB_MARKETPLACE,
    None,
    Safe
);
endpoint!(
    WB_STOCKS_READ,
    "wb.stocks-read",
    WbMarketplace,
    Post,
    "/api/v3/stocks/{warehouseId}",
    WB_MARKETPLACE,
    Some(1000),
    Safe
);
endpoint!(
    WB_STOCKS_UPDATE,
    "wb.stocks-update",
    WbMarketplace,
    Put,
    "/api/v3/stocks/{warehouseId}",
    WB_MARKETPLACE,
    Some(1000),
    Safe
);
endpoint!(
    WB_PRICES_UPLOAD,
    "wb.prices-upload",
    WbPrices,
    Post,
    "/api/v2/upload/task",
    WB_PRICES,
    Some(1000),
    Safe
);
endpoint!(
    WB_PRICES_TASK,
    "wb.prices-task",
    WbPrices,
    Get,
    "/api/v2/history/tasks",
    WB_PRICES,
    None,
    Safe
);
endpoint!(
    WB_PRICES_BUFFER,
    "wb.prices-buffer",
    WbPrices,
    Get,
    "/api/v2/buffer/tasks",
    WB_PRICES,
    None,
    Safe
);
endpoint!(
    WB_PRICES_TASK_GOODS,
    "wb.prices-task-goods",
    WbPrices,
    Get,
    "/api/v2/history/goods/task",
    WB_PRICES,
    Some(1000),
    Safe
);
endpoint!(
    WB_PRICES_LIST,
    "wb.prices-list",
    WbPrices,
    Get,
    "/api/v2/list/goods/filter",
    WB_PRICES,
    Some(1000),
    Safe
);
endpoint!(
    WB_FBO_ORDERS,
    "wb.fbo-orders",
    WbStatistics,
    Get,
    "/api/v1/supplier/orders",
    WB_STATISTICS,
    None,
    Safe
);
endpoint!(
    WB_FBO_STOCKS,
    "wb.fbo-stocks",
    WbAnalytics,
    Post,
    "/api/analytics/v1/stocks-report/wb-warehouses",
    WB_STOCKS_REPORT,
    Some(250_000),
    Safe
);
endpoint!(
    WB_FINANCE_DETAILED,
    "wb.finance-detailed",
    WbFinance,
    Post,
    "/api/finance/v1/sales-reports/detailed",
    WB_FINANCE,
    Some(100_000),
    Safe
);

endpoint!(
    YM_CAMPAIGNS_EP,
    "ym.campaigns",
    Ym,
    Get,
    "/v2/campaigns",
    YM_CAMPAIGNS,
    Some(100),
    Safe
);
endpoint!(
    YM_WAREHOUSES_EP,
    "ym.warehouses",
    Ym,
    Post,
    "/v3/businesses/{businessId}/warehouses",
    YM_WAREHOUSES,
    Some(30),
    Safe
);
endpoint!(
    YM_MAPPINGS_EP,
    "ym.offer-mappings",
    Ym,
    Post,
    "/v2/businesses/{businessId}/offer-mappings",
    YM_MAPPINGS,
    Some(100),
    Safe
);
endpoint!(
    YM_ORDERS_EP,
    "ym.orders",
    Ym,
    Post,
    "/v1/businesses/{businessId}/orders",
    YM_ORDERS,
    Some(50),
    Safe
);
endpoint!(
    YM_STATUS_EP,
    "ym.status-update",
    Ym,
    Post,
    "/v2/campaigns/{campaignId}/orders/status-update",
    YM_STATUS,
    Some(30),
    Unsafe
);
endpoint!(
    YM_LABEL_EP,
    "ym.label",
    Ym,
    Get,
    "/v2/campaigns/{campaignId}/orders/{orderId}/delivery/labels",
    YM_LABELS,
    None,
    Safe
);
endpoint!(
    YM_STOCKS_UPDATE_EP,
    "ym.stocks-update",
    Ym,
    Post,
    "/v3/businesses/{businessId}/offers/stocks/update",
    YM_STOCKS_UPDATE,
    Some(2000),
    Safe
);
endpoint!(
    YM_STOCKS_READ_EP,
    "ym.stocks-read",
    Ym,
    Post,
    "/v3/businesses/{businessId}/offers/stocks",
    YM_STOCKS_READ,
    Some(500),
    Safe
);
endpoint!(
    YM_PRICES_UPDATE_EP,
    "ym.prices-update",
    Ym,
    Post,
    "/v2/businesses/{businessId}/offer-prices/updates",
    YM_PRICES_UPDATE,
    Some(500),
    Safe
);
endpoint!(
    YM_PRICES_READ_EP,
    "ym.prices-read",
    Ym,
    Post,
    "/v2/businesses/{businessId}/offer-prices",
    YM_PRICES_READ,
    Some(500),
    Safe
);
endpoint!(
    YM_STATS_EP,
    "ym.stats-orders",
    Ym,
    Post,
    "/v2/campaigns/{campaignId}/stats/orders",
    YM_STATS,
    Some(200),
    Safe
);
endpoint!(
    YM_FBY_STOCKS_EP,
    "ym.fby-stocks",
    Ym,
    Post,
    "/v2/campaigns/{campaignId}/offers/stocks",
    YM_FBY_STOCKS,
    Some(100),
    Safe
);
endpoint!(
    YM_FBY_WAREHOUSES_EP,
    "ym.fby-warehouses",
    Ym,
    Get,
    "/v2/warehouses",
    YM_FBY_WAREHOUSES,
    None,
    Safe
);

endpoint!(
    NP_TRACKING,
    "novaposhta.tracking",
    NovaPoshta,
    Post,
    "/v2.0/json/",
    NOVAPOSHTA,
    Some(100),
    Safe
);

/// Every endpoint, for the catalogue listing and override checks.
pub static ALL: &[&Endpoint] = &[
    &NP_TRACKING,
    &YM_CAMPAIGNS_EP,
    &YM_WAREHOUSES_EP,
    &YM_MAPPINGS_EP,
    &YM_ORDERS_EP,
    &YM_STATUS_EP,
    &YM_LABEL_EP,
    &YM_STOCKS_UPDATE_EP,
    &YM_STOCKS_READ_EP,
    &YM_PRICES_UPDATE_EP,
    &YM_PRICES_READ_EP,
    &YM_STATS_EP,
    &YM_FBY_STOCKS_EP,
    &YM_FBY_WAREHOUSES_EP,
    &WB_PING_EP,
    &WB_SELLER_INFO,
    &WB_WAREHOUSES,
    &WB_CARDS,
    &WB_ORDERS_NEW,
    &WB_ORDERS,
    &WB_ORDERS_STATUS,
    &WB_ORDER_CANCEL,
    &WB_STICKERS,
    &WB_SUPPLIES,
    &WB_SUPPLY_CREATE,
    &WB_SUPPLY_ADD,
    &WB_SUPPLY_DELIVER,
    &WB_SUPPLY_ORDER_IDS,
    &WB_SUPPLY_BARCODE,
    &WB_STOCKS_READ,
    &WB_STOCKS_UPDATE,
    &WB_PRICES_UPLOAD,
    &WB_PRICES_TASK,
    &WB_PRICES_BUFFER,
    &WB_PRICES_TASK_GOODS,
    &WB_PRICES_LIST,
    &WB_FBO_ORDERS,
    &WB_FINANCE_DETAILED,
    &WB_COMMISSIONS,
    &WB_FBO_STOCKS,
    &OZON_ROLES,
    &OZON_WAREHOUSES,
    &OZON_PRODUCT_LIST,
    &OZON_PRODUCT_INFO,
    &OZON_FBS_LIST,
    &OZON_FBS_GET,
    &OZON_FBO_LIST,
    &OZON_FBS_SHIP,
    &OZON_FBS_CANCEL,
    &OZON_CANCEL_REASONS,
    &OZON_LABEL_CREATE,
    &OZON_LABEL_GET,
    &OZON_LABEL_FILE,
    &OZON_STOCKS_READ,
    &OZON_STOCKS_UPDATE,
    &OZON_PRICES_READ,
    &OZON_PRICES_UPDATE,
    &OZON_ACCRUALS,
    &OZON_ACCRUAL_TYPES,
    &OZON_FBO_STOCKS,
];

pub use crate::domain::ApiOverride as Override;

/// Base URLs and overrides: turns an endpoint into the URL to call.
#[derive(Debug)]
pub struct Catalogue {
    bases: HashMap<Family, reqwest::Url>,
    overrides: RwLock<HashMap<String, Override>>,
}

/// Parses a base URL, adding the trailing slash paths join under.
pub fn parse_base(raw: &str) -> Option<reqwest::Url> {
    let raw = raw.trim();
    let s = if raw.ends_with('/') {
        raw.to_owned()
    } else {
        format!("{raw}/")
    };
    reqwest::Url::parse(&s)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

impl Catalogue {
    /// Real hosts, replaced by whatever `lookup` (the environment) names.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Catalogue> {
        let mut bases = HashMap::new();
        for f in Family::ALL {
            let raw = lookup(&f.env_var())
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| f.default_url().to_owned());
            let url = parse_base(&raw)
                .ok_or_else(|| Error::Invalid(format!("{} is not an http(s) URL", f.env_var())))?;
            bases.insert(f, url);
        }
        Ok(Catalogue {
            bases,
            overrides: RwLock::new(HashMap::new()),
        })
    }

    pub fn from_env() -> Result<Catalogue> {
        Catalogue::from_lookup(|k| std::env::var(k).ok())
    }

    /// Points families at given base URLs (the sandboxes).
    pub fn with_bases(bases: &[(Family, reqwest::Url)]) -> Catalogue {
        let mut c = Catalogue::from_lookup(|_| None).unwrap_or_else(|_| Catalogue {
            bases: HashMap::new(),
            overrides: RwLock::new(HashMap::new()),
        });
        for (f, u) in bases {
            c.bases.insert(*f, u.clone());
        }
        c
    }

    pub fn base(&self, f: Family) -> Option<&reqwest::Url> {
        self.bases.get(&f)
    }

    /// Replaces all overrides (loaded from the database).
    pub fn set_overrides(&self, list: HashMap<String, Override>) {
        *self.overrides.write().unwrap_or_else(|e| e.into_inner()) = list;
    }

    /// The override in force for an endpoint, if any.
    pub fn override_of(&self, name: &str) -> Option<Override> {
        self.overrides
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }

    /// This catalogue as one workspace sees it: its own overrides on top of the
    /// deployment's, field by field.
    pub fn scoped(&self, own: HashMap<String, Override>) -> Catalogue {
        let mut merged = self
            .overrides
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for (name, mut o) in own {
            // A workspace may not send its requests to a host outside the marketplace's own
            // domains (a row written before that rule, or by hand): such a host is ignored.
            let family = ALL.iter().find(|e| e.name == name).map(|e| e.family);
            if let Some(h) = &o.host {
                let official =
                    family.is_some_and(|f| parse_base(h).is_some_and(|u| f.is_official(&u)));
                if !official {
                    tracing::warn!(endpoint = %name, "ignoring a workspace override to a host outside the marketplace's domains");
                    o.host = None;
                }
            }
            if o.path.as_deref().is_some_and(|p| !valid_path(p)) {
                tracing::warn!(endpoint = %name, "ignoring a workspace path override that is not a plain path");
                o.path = None;
            }
            if o.version.as_deref().is_some_and(|v| !valid_version(v)) {
                tracing::warn!(endpoint = %name, "ignoring a workspace version override that is not vN");
                o.version = None;
            }
            let entry = merged.entry(name).or_default();
            entry.host = o.host.or(entry.host.take());
            entry.path = o.path.or(entry.path.take());
            entry.version = o.version.or(entry.version.take());
        }
        Catalogue {
            bases: self.bases.clone(),
            overrides: RwLock::new(merged),
        }
    }

    /// The URL of `ep` with `{param}` placeholders filled (each value percent-encoded).
    ///
    /// The URL is built by appending the path to the base's own path, then parsed back and
    /// held to the base: same scheme, host and port, no user info of its own, and the path
    /// exactly as written. No override, version or placeholder value can send a request
    /// (and the keys in its headers) anywhere else.
    pub fn url(&self, ep: &Endpoint, params: &[(&str, &str)]) -> Result<reqwest::Url> {
        let ov = self
            .overrides
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(ep.name)
            .cloned()
            .unwrap_or_default();
        let base =
            match &ov.host {
                Some(h) => parse_base(h).ok_or_else(|| {
                    Error::Invalid(format!("override host of {} is not a URL", ep.name))
                })?,
                None => self.bases.get(&ep.family).cloned().ok_or_else(|| {
                    Error::Invalid(format!("no base URL for {}", ep.family.name()))
                })?,
            };
        let mut path = ov.path.clone().unwrap_or_else(|| ep.path.to_owned());
        if let Some(v) = &ov.version {
            if !valid_version(v) {
                return Err(Error::Invalid(format!("{}: bad version override", ep.name)));
            }
            path = replace_version(&path, v);
        }
        if !valid_path(&path) {
            return Err(Error::Invalid(format!(
                "{}: refused path override",
                ep.name
            )));
        }
        for (k, v) in params {
            path = path.replace(&format!("{{{k}}}"), &percent_encode(v));
        }
        if path.contains('{') {
            return Err(Error::Invalid(format!(
                "{}: unfilled path parameter in {path}",
                ep.name
            )));
        }
        within_base(&base, &path)
            .ok_or_else(|| Error::Invalid(format!("{}: the URL leaves its base", ep.name)))
    }
}

/// Every byte but the unreserved ones (RFC 3986) percent-encoded: a value filled into a
/// path can never add a segment, a query or an authority.
fn percent_encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `path` appended to `base`'s path, if the result keeps `base`'s scheme, host and port,
/// carries no user info `base` does not, and its path is exactly the one written (nothing
/// normalised away: no `..`, no backslash read as a slash, no second authority).
pub fn within_base(base: &reqwest::Url, path: &str) -> Option<reqwest::Url> {
    let prefix = base.path().trim_end_matches('/');
    let want = format!("{prefix}/{}", path.trim_start_matches('/'));
    let mut raw = base.clone();
    raw.set_query(None);
    raw.set_fragment(None);
    let origin = raw.as_str().len() - raw.path().len();
    let url = reqwest::Url::parse(&format!("{}{want}", &raw.as_str()[..origin])).ok()?;
    let same = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.username() == base.username()
        && url.password() == base.password()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.path() == want;
    same.then_some(url)
}

/// Whether a path (as the catalogue holds it, or as a company overrides it) is a plain one:
/// it starts with `/`, its segments are letters, digits, `-`, `_`, `.`, `~` and whole
/// `{placeholders}`, none is empty (but a trailing one), `.` or `..`, and it is at most
/// 200 bytes. Anything else (`//host`, `/http://…`, `\\`, `%2F`, `?`, `#`, `@`, `:`) is refused.
pub fn valid_path(p: &str) -> bool {
    let Some(rest) = p.strip_prefix('/') else {
        return false;
    };
    if p.len() > 200 {
        return false;
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    segments.iter().enumerate().all(|(i, seg)| {
        if seg.is_empty() {
            return i == last;
        }
        if *seg == "." || *seg == ".." {
            return false;
        }
        let mut in_placeholder = false;
        seg.chars().all(|c| match c {
            '{' if !in_placeholder => {
                in_placeholder = true;
                true
            }
            '}' if in_placeholder => {
                in_placeholder = false;
                true
            }
            c if c.is_ascii_alphanumeric() || "-_.~".contains(c) => true,
            _ => false,
        }) && !in_placeholder
    })
}

/// Whether a version override is `v` and one to four digits.
pub fn valid_version(v: &str) -> bool {
    v.len() >= 2 && v.len() <= 5 && v.starts_with('v') && v[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A URL as it may be shown to a company: without the user name and password an
/// operator's base URL may carry.
pub fn shown(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => url.split_once('@').map_or(url, |(_, r)| r).to_owned(),
    }
}

/// Replaces the first `vN` path segment with `version`.
pub fn replace_version(path: &str, version: &str) -> String {
    let mut done = false;
    path.split('/')
        .map(|seg| {
            let is_version = seg.len() > 1
                && seg.starts_with('v')
                && seg[1..].bytes().all(|b| b.is_ascii_digit());
            if is_version && !done {
                done = true;
                version.to_owned()
            } else {
                seg.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_declared_once() {
        let mut names: Vec<_> = ALL.iter().map(|e| e.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate endpoint names");
    }

    #[test]
    fn base_urls_come_from_the_environment() {
        let c = Catalogue::from_lookup(|k| {
            (k == "MPBOT_WB_MARKETPLACE_URL").then(|| "http://127.0.0.1:9".into())
        })
        .expect("valid");
        assert_eq!(
            c.base(Family::WbMarketplace).map(|u| u.as_str()),
            Some("http://127.0.0.1:9/")
        );
        assert_eq!(
            c.base(Family::Ozon).map(|u| u.as_str()),
            Some("https://api-seller.ozon.ru/")
        );
        assert_eq!(Family::WbStatistics.env_var(), "MPBOT_WB_STATISTICS_URL");
        assert!(
            Catalogue::from_lookup(|k| (k == "MPBOT_OZON_URL").then(|| "ftp://x".into())).is_err()
        );
    }

    #[test]
    fn overrides_change_host_path_or_version() {
        let c = Catalogue::from_lookup(|_| None).expect("valid");
        assert_eq!(
            c.url(&OZON_FBS_LIST, &[]).expect("url").as_str(),
            "https://api-seller.ozon.ru/v4/posting/fbs/list"
        );
        let mut o = HashMap::new();
        o.insert(
            "ozon.fbs-list".to_owned(),
            Override {
                version: Some("v5".into()),
                ..Override::default()
            },
        );
        o.insert(
            "ozon.roles".to_owned(),
            Override {
                host: Some("http://proxy:8080".into()),
                path: Some("/v2/roles".into()),
                ..Override::default()
            },
        );
        c.set_overrides(o);
        assert_eq!(
            c.url(&OZON_FBS_LIST, &[]).expect("url").as_str(),
            "https://api-seller.ozon.ru/v5/posting/fbs/list"
        );
        assert_eq!(
            c.url(&OZON_ROLES, &[]).expect("url").as_str(),
            "http://proxy:8080/v2/roles"
        );
    }

    #[test]
    fn only_the_marketplaces_own_https_hosts_are_official() {
        let ok = |f: Family, u: &str| f.is_official(&parse_base(u).expect("a URL"));
        assert!(ok(Family::Ozon, "https://api-seller.ozon.ru"));
        assert!(ok(Family::Ozon, "https://API-SELLER.ozon.ru:443/"));
        assert!(!ok(Family::Ozon, "http://api-seller.ozon.ru"));
        assert!(!ok(Family::Ozon, "https://api-seller.ozon.ru:8443"));
        assert!(!ok(Family::Ozon, "https://user:pw@api-seller.ozon.ru"));
        assert!(!ok(Family::Ozon, "https://evil.example/api-seller.ozon.ru"));
        assert!(ok(
            Family::WbMarketplace,
            "https://marketplace-api-sandbox.wildberries.ru"
        ));
        assert!(ok(Family::WbContent, "https://static-basket-03.wb.ru"));
        assert!(!ok(Family::WbContent, "https://wildberries.ru"));
        assert!(!ok(Family::WbContent, "https://evilwildberries.ru"));
        assert!(!ok(
            Family::WbContent,
            "https://wildberries.ru.evil.example"
        ));
        assert!(!ok(Family::WbContent, "https://api-seller.ozon.ru"));
        assert!(ok(Family::Ym, "https://api.partner.market.yandex.ru/"));
        assert!(!ok(Family::Ym, "https://127.0.0.1"));
        assert!(!ok(Family::NovaPoshta, "https://[::1]"));
        assert!(ok(Family::NovaPoshta, "https://api.novaposhta.ua"));
    }

    #[test]
    fn a_workspace_cannot_point_a_request_outside_the_marketplace() {
        let c = Catalogue::from_lookup(|_| None).expect("valid");
        let mut own = HashMap::new();
        own.insert(
            "ozon.roles".to_owned(),
            Override {
                host: Some("http://127.0.0.1:19999".into()),
                version: Some("v2".into()),
                ..Override::default()
            },
        );
        own.insert(
            "wb.ping".to_owned(),
            Override {
                host: Some("https://marketplace-api-sandbox.wildberries.ru".into()),
                ..Override::default()
            },
        );
        let scoped = c.scoped(own);
        assert_eq!(
            scoped.url(&OZON_ROLES, &[]).expect("url").as_str(),
            "https://api-seller.ozon.ru/v2/roles"
        );
        assert_eq!(
            scoped.url(&WB_PING_EP, &[]).expect("url").as_str(),
            "https://marketplace-api-sandbox.wildberries.ru/ping"
        );
    }

    /// Every form a path override was seen to leak keys with, and their encodings.
    const HOSTILE_PATHS: &[&str] = &[
        "/http://127.0.0.1:18499/v4/posting/fbs/list",
        "/HTTP://127.0.0.1:18499/v4/posting/fbs/list",
        "/https:/127.0.0.1:18499/v4",
        "//127.0.0.1:18499/v4/posting/fbs/list",
        "/\\\\127.0.0.1:18499/v4/posting/fbs/list",
        "/\\127.0.0.1/x",
        "/%2F%2F127.0.0.1:18499/v4",
        "/http%3A%2F%2F127.0.0.1%3A18499/v4",
        "/%68ttp://127.0.0.1:18499/v4",
        "/v4/../../x",
        "/v4/%2e%2e/x",
        "/v4/./x",
        "/user@127.0.0.1/v4",
        "/v4/posting?x=1",
        "/v4/posting#x",
        "/v4/ posting",
        "/v4/{a",
        "/v4//posting",
        "v4/posting",
        "",
    ];

    #[test]
    fn no_path_can_change_where_a_request_goes() {
        for p in HOSTILE_PATHS {
            assert!(!valid_path(p), "{p:?} must be refused");
        }
        for e in ALL {
            assert!(
                valid_path(e.path),
                "the catalogue's own {} is plain",
                e.name
            );
        }
        // The deployment's overrides are the operator's, but even there a path cannot leave
        // the base: the URL is refused, not sent elsewhere.
        let c = Catalogue::from_lookup(|_| None).expect("valid");
        for p in HOSTILE_PATHS {
            let mut o = HashMap::new();
            o.insert(
                OZON_FBS_LIST.name.to_owned(),
                Override {
                    path: Some((*p).to_owned()),
                    ..Override::default()
                },
            );
            c.set_overrides(o);
            assert!(c.url(&OZON_FBS_LIST, &[]).is_err(), "{p:?} built a URL");
        }
        // A workspace's row written by hand is ignored: the default path is used.
        let c = Catalogue::from_lookup(|_| None).expect("valid");
        for p in HOSTILE_PATHS {
            let mut own = HashMap::new();
            own.insert(
                OZON_FBS_LIST.name.to_owned(),
                Override {
                    path: Some((*p).to_owned()),
                    version: Some("v4/../../@127.0.0.1".into()),
                    ..Override::default()
                },
            );
            let url = c.scoped(own).url(&OZON_FBS_LIST, &[]).expect("the default");
            assert_eq!(
                url.as_str(),
                "https://api-seller.ozon.ru/v4/posting/fbs/list"
            );
        }
    }

    #[test]
    fn a_base_with_a_path_keeps_it_and_its_origin() {
        let base = parse_base("http://127.0.0.1:9/prefix").expect("base");
        assert_eq!(
            within_base(&base, "/v1/roles")
                .map(|u| u.to_string())
                .as_deref(),
            Some("http://127.0.0.1:9/prefix/v1/roles")
        );
        for p in ["/../v1", "/\\\\evil/x", "/%2e%2e/x", "/a/../../b"] {
            assert!(within_base(&base, p).is_none(), "{p:?}");
        }
        // Placeholder values are encoded whole: they never add a segment or an authority.
        static EP: Endpoint = Endpoint {
            name: "t2",
            family: Family::Ym,
            method: Method::Get,
            path: "/v2/campaigns/{c}/orders",
            group: OZON_ALL,
            batch_max: None,
            repeat: Repeat::Safe,
        };
        let c = Catalogue::from_lookup(|_| None).expect("valid");
        for v in ["../../x", "//evil:1/", "http://evil/", "\\\\evil", "%2F"] {
            let url = c.url(&EP, &[("c", v)]).expect("url");
            assert_eq!(url.host_str(), Some("api.partner.market.yandex.ru"), "{v}");
            assert_eq!(url.path_segments().map(Iterator::count), Some(4), "{v}");
        }
    }

    #[test]
    fn a_url_shown_to_a_company_has_no_user_info() {
        assert_eq!(
            shown("http://opuser:opS3cret@127.0.0.1:9/api/"),
            "http://127.0.0.1:9/api/"
        );
        assert_eq!(
            shown("https://api-seller.ozon.ru/"),
            "https://api-seller.ozon.ru/"
        );
    }

    #[test]
    fn path_parameters_are_encoded() {
        static EP: Endpoint = Endpoint {
            name: "t",
            family: Family::Ym,
            method: Method::Get,
            path: "/v2/campaigns/{c}/orders/{o}",
            group: OZON_ALL,
            batch_max: None,
            repeat: Repeat::Safe,
        };
        let c = Catalogue::from_lookup(|_| None).expect("valid");
        assert_eq!(
            c.url(&EP, &[("c", "12"), ("o", "a/b")])
                .expect("url")
                .path(),
            "/v2/campaigns/12/orders/a%2Fb"
        );
        assert!(c.url(&EP, &[("c", "12")]).is_err());
    }
}
