//! The one place that picks a client by marketplace: [`Client::new`] builds the right one
//! for a cabinet's credentials, and [`Client`] is used through [`MarketplaceApi`] only, so no
//! use case matches on the marketplace again.

use std::sync::Arc;

use super::endpoints::Catalogue;
use super::http::Http;
use super::ozon::OzonClient;
use super::wb::WbClient;
use super::ym::YmClient;
use super::{
    Accrual, CancelReason, FboStock, Labels, MarketplaceApi, Order, OrderAction, OrderBatch,
    OrderCursor, PriceInfo, PriceUpdate, Product, ProductRef, Result, Secret, StockLevel,
    StockUpdate, Verification, Warehouse,
};
use crate::clock::SharedClock;
use crate::domain::{Credentials, Marketplace, Scheme};

/// A marketplace client behind the trait.
pub enum Client {
    Ozon(OzonClient),
    Wb(WbClient),
    Ym(YmClient),
}

/// What a client is built from besides the credentials.
pub struct Wiring {
    pub http: Http,
    pub catalogue: Arc<Catalogue>,
    pub clock: SharedClock,
}

impl Client {
    /// The client of `marketplace` signing with `creds`. `account` is the cabinet's account
    /// (the YM business; `None` while a key is being checked before one is chosen).
    pub fn new(
        marketplace: Marketplace,
        wiring: Wiring,
        creds: &Credentials,
        account: Option<&str>,
    ) -> Client {
        let key = Secret::new(creds.key.clone());
        let Wiring {
            http,
            catalogue,
            clock,
        } = wiring;
        match marketplace {
            Marketplace::Ozon => {
                let client_id = creds.client_id.clone().unwrap_or_default();
                Client::Ozon(OzonClient::new(http, catalogue, &client_id, key))
            }
            Marketplace::Wildberries => Client::Wb(WbClient::new(http, catalogue, key, clock)),
            Marketplace::YandexMarket => {
                let business = account.and_then(|a| a.parse().ok()).unwrap_or(0);
                Client::Ym(YmClient::new(http, catalogue, key, business))
            }
        }
    }
}

impl Client {
    /// WB stickers of this size; other marketplaces have one label format.
    pub fn with_sticker_size(self, size: super::StickerSize) -> Client {
        match self {
            Client::Wb(c) => Client::Wb(c.with_sticker_size(size)),
            other => other,
        }
    }

    /// This client as WB's, for what only WB has.
    pub fn into_wb(self) -> Option<WbClient> {
        match self {
            Client::Wb(c) => Some(c),
            _ => None,
        }
    }
}

/// Calls the same method on whichever client this is.
macro_rules! each {
    ($self:ident, $c:ident => $call:expr) => {
        match $self {
            Client::Ozon($c) => $call,
            Client::Wb($c) => $call,
            Client::Ym($c) => $call,
        }
    };
}

impl MarketplaceApi for Client {
    fn marketplace(&self) -> Marketplace {
        each!(self, c => c.marketplace())
    }

    async fn verify(&self) -> Result<Verification> {
        each!(self, c => c.verify().await)
    }

    async fn warehouses(&self) -> Result<Vec<Warehouse>> {
        each!(self, c => c.warehouses().await)
    }

    async fn products(&self) -> Result<Vec<Product>> {
        each!(self, c => c.products().await)
    }

    async fn orders(&self, scheme: Scheme, cursor: OrderCursor) -> Result<OrderBatch> {
        each!(self, c => c.orders(scheme, cursor).await)
    }

    async fn cancel_reasons(&self, order_id: &str) -> Result<Vec<CancelReason>> {
        each!(self, c => c.cancel_reasons(order_id).await)
    }

    async fn act(&self, order: &Order, action: &OrderAction) -> Result<()> {
        each!(self, c => c.act(order, action).await)
    }

    async fn request_labels(&self, order_ids: &[String]) -> Result<Labels> {
        each!(self, c => c.request_labels(order_ids).await)
    }

    async fn poll_labels(&self, token: &str) -> Result<Labels> {
        each!(self, c => c.poll_labels(token).await)
    }

    async fn stocks(&self, warehouse_id: &str, products: &[ProductRef]) -> Result<Vec<StockLevel>> {
        each!(self, c => c.stocks(warehouse_id, products).await)
    }

    async fn update_stocks(&self, updates: &[StockUpdate]) -> Result<Vec<super::ItemOutcome>> {
        each!(self, c => c.update_stocks(updates).await)
    }

    async fn fbo_stocks(&self) -> Result<Vec<FboStock>> {
        each!(self, c => c.fbo_stocks().await)
    }

    async fn prices(&self) -> Result<Vec<PriceInfo>> {
        each!(self, c => c.prices().await)
    }

    async fn update_prices(&self, updates: &[PriceUpdate]) -> Result<Vec<super::ItemOutcome>> {
        each!(self, c => c.update_prices(updates).await)
    }

    async fn accruals(&self, order_ids: &[String]) -> Result<Vec<Accrual>> {
        each!(self, c => c.accruals(order_ids).await)
    }

    async fn forecast(&self, order_id: &str) -> Result<Vec<Accrual>> {
        each!(self, c => c.forecast(order_id).await)
    }

    async fn finance_feed(&self, cursor: Option<&str>) -> Result<super::FinanceFeed> {
        each!(self, c => c.finance_feed(cursor).await)
    }

    async fn commission_rates(&self) -> Result<Vec<super::CommissionRate>> {
        each!(self, c => c.commission_rates().await)
    }
}
