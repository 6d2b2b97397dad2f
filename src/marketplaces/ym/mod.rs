//! The Yandex Market client: `Api-Key` header, one business with its campaigns (shops),
//! orders of every model through the business-level listing, statuses in batches of 30,
//! labels as PDF, stocks and prices at business level.

mod finance;
pub mod wire;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::endpoints::{self as ep, Catalogue, Endpoint};
use super::http::{Http, Request};
use super::{
    Accrual, CancelReason, Error, FboStock, FileFormat, ItemOutcome, LabelFile, Labels,
    MarketplaceApi, Order, OrderAction, OrderBatch, OrderCursor, OrderItem, PriceInfo, PriceUpdate,
    Product, ProductRef, Result, Secret, StockLevel, StockUpdate, Verification, Warehouse,
};
use crate::domain::{Marketplace, Money, Scheme};

const MAX_PAGES: usize = 100_000;

/// Maps YM's error answers: `{"status": "ERROR", "errors": [{"code", "message"}]}`.
pub fn map_error(status: u16, body: &[u8]) -> Error {
    let e: wire::ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let first = e
        .errors
        .unwrap_or_default()
        .into_iter()
        .next()
        .unwrap_or_default();
    let message = if first.message.is_empty() {
        String::from_utf8_lossy(body).chars().take(200).collect()
    } else {
        first.message
    };
    match status {
        401 => Error::Unauthorized { message },
        403 => Error::Forbidden { message },
        _ => Error::Api {
            status,
            code: first.code,
            message,
            endpoint: "",
        },
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc())
        })
}

pub use crate::domain::cabinet::Campaign;

/// One Yandex Market business (cabinet) with its campaigns.
pub struct YmClient {
    http: Http,
    catalogue: Arc<Catalogue>,
    api_key: Secret,
    business_id: i64,
    cabinet: String,
    /// The business's campaigns, read once.
    campaigns: Mutex<Option<Vec<Campaign>>>,
}

impl YmClient {
    /// Every campaign the key reaches, of any business (the key's first check, before a
    /// business is known: create the client with business 0).
    pub async fn all_campaigns(&self) -> Result<Vec<Campaign>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut q = vec![("limit", "100".to_owned())];
            if let Some(t) = &token {
                q.push(("pageToken", t.clone()));
            }
            let page: wire::CampaignsResponse = self
                .call(&ep::YM_CAMPAIGNS_EP, &[], &q, None::<&()>, 1)
                .await?;
            out.extend(page.campaigns.into_iter().map(|c| Campaign {
                id: c.id,
                domain: c.domain,
                placement: c.placement_type,
                business_id: c.business.id,
                business_name: c.business.name,
                available: c.api_availability == "AVAILABLE",
            }));
            match page.paging.next_page_token {
                Some(t) if !t.is_empty() && Some(&t) != token.as_ref() => token = Some(t),
                _ => break,
            }
        }
        Ok(out)
    }

    pub fn new(
        http: Http,
        catalogue: Arc<Catalogue>,
        api_key: Secret,
        business_id: i64,
    ) -> YmClient {
        YmClient {
            http,
            catalogue,
            api_key,
            business_id,
            cabinet: format!("ym-{business_id}"),
            campaigns: Mutex::new(None),
        }
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        vec![("api-key", self.api_key.expose().to_owned())]
    }

    async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &'static Endpoint,
        params: &[(&str, &str)],
        query: &[(&str, String)],
        body: Option<&impl Serialize>,
        cost: u32,
    ) -> Result<T> {
        let mut url = self.catalogue.url(endpoint, params)?;
        if !query.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in query {
                q.append_pair(k, v);
            }
        }
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        let mut req = Request::new(endpoint, url, &self.cabinet, self.headers(), body);
        req.cost = cost.max(1);
        self.http.json(req, map_error).await
    }

    fn business(&self) -> String {
        self.business_id.to_string()
    }

    /// The business's campaigns: (id, shop name), read once.
    pub async fn campaigns(&self) -> Result<Vec<(i64, String)>> {
        Ok(self
            .own_campaigns()
            .await?
            .into_iter()
            .map(|c| (c.id, c.domain))
            .collect())
    }

    /// The business's campaigns with their models, read once.
    async fn own_campaigns(&self) -> Result<Vec<Campaign>> {
        if let Some(c) = self
            .campaigns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return Ok(c);
        }
        let out: Vec<Campaign> = self
            .all_campaigns()
            .await?
            .into_iter()
            .filter(|c| c.business_id == self.business_id)
            .collect();
        *self.campaigns.lock().unwrap_or_else(|e| e.into_inner()) = Some(out.clone());
        Ok(out)
    }

    /// Names of Market's fulfilment warehouses a campaign works with, by id.
    async fn fby_warehouse_names(&self, campaign: i64) -> Result<HashMap<i64, String>> {
        let page: wire::Wrapped<wire::FulfillmentWarehouses> = self
            .call(
                &ep::YM_FBY_WAREHOUSES_EP,
                &[],
                &[("campaignId", campaign.to_string())],
                None::<&()>,
                1,
            )
            .await?;
        Ok(page
            .result
            .warehouses
            .into_iter()
            .map(|w| (w.id, w.name))
            .collect())
    }

    /// Reads a business-level listing paged by `pageToken`.
    async fn paged<T: DeserializeOwned + Default, B: Serialize>(
        &self,
        endpoint: &'static Endpoint,
        limit: usize,
        body: &B,
        mut take: impl FnMut(T) -> Option<String>,
    ) -> Result<()> {
        let mut token: Option<String> = None;
        let mut seen = HashSet::new();
        let business = self.business();
        for _ in 0..MAX_PAGES {
            let mut q = vec![("limit", limit.to_string())];
            if let Some(t) = &token {
                q.push(("pageToken", t.clone()));
            }
            let page: T = self
                .call(endpoint, &[("businessId", &business)], &q, Some(body), 1)
                .await?;
            match take(page) {
                Some(t) if !t.is_empty() && seen.insert(t.clone()) => token = Some(t),
                _ => break,
            }
        }
        Ok(())
    }

    async fn list_orders(
        &self,
        program: &'static str,
        order_ids: &[i64],
        dates: Option<wire::OrderDates>,
    ) -> Result<Vec<wire::OrderWire>> {
        let mut out = Vec::new();
        let req = wire::OrdersRequest {
            order_ids,
            program_types: vec![program],
            dates,
        };
        self.paged(&ep::YM_ORDERS_EP, 50, &req, |page: wire::OrdersResponse| {
            out.extend(page.orders);
            page.paging.next_page_token
        })
        .await?;
        Ok(out)
    }

    async fn set_status(
        &self,
        campaign: &str,
        order: i64,
        status: &'static str,
        substatus: &'static str,
    ) -> Result<()> {
        let req = &wire::StatusUpdate {
            orders: vec![wire::StatusItem {
                id: order,
                status,
                substatus,
            }],
        };
        let update = move || async move {
            self.call::<wire::Wrapped<wire::StatusResult>>(
                &ep::YM_STATUS_EP,
                &[("campaignId", campaign)],
                &[],
                Some(req),
                1,
            )
            .await
            .map(Some)
        };
        // Setting a status twice is not harmless (a second SHIPPED is refused, a second
        // cancel may hit a later state): after a lost answer, the order tells.
        let updated = move || async move {
            let now = self.list_orders("FBS", &[order], None).await?;
            Ok(now
                .iter()
                .any(|o| o.order_id == order && o.status == status && o.substatus == substatus)
                .then_some(None))
        };
        let Some(resp) = self.http.once(update, updated).await? else {
            return Ok(());
        };
        match resp.result.orders.into_iter().find(|o| o.id == order) {
            Some(o) if o.update_status == "OK" => Ok(()),
            Some(o) => Err(Error::Api {
                status: 200,
                code: "STATUS_NOT_UPDATED".into(),
                message: o.error_details.unwrap_or_default(),
                endpoint: "",
            }),
            None => Err(Error::Api {
                status: 200,
                code: "STATUS_NOT_UPDATED".into(),
                message: format!("order {order} not in the answer"),
                endpoint: "",
            }),
        }
    }
}

fn to_order(o: wire::OrderWire, scheme: Scheme) -> Order {
    Order {
        id: o.order_id.to_string(),
        number: o.order_id.to_string(),
        shop: Some(o.campaign_id.to_string()),
        alt_id: None,
        scheme,
        status: format!("{}/{}", o.status, o.substatus),
        substatus: Some(o.substatus.clone()),
        created_at: parse_time(&o.creation_date).unwrap_or_default(),
        ship_by: o
            .delivery
            .as_ref()
            .and_then(|d| d.shipment.as_ref())
            .and_then(|s| parse_time(&s.shipment_date)),
        warehouse_id: o.delivery.as_ref().and_then(|d| d.warehouse_id.clone()),
        items: o
            .items
            .iter()
            .map(|i| OrderItem {
                sku: i.offer_id.clone(),
                vendor_code: i.offer_id.clone(),
                name: i.offer_name.clone(),
                quantity: i.count,
                price: i
                    .prices
                    .as_ref()
                    .and_then(|p| p.payment.as_ref())
                    .and_then(|a| Money::from_wire_f64(a.value))
                    .unwrap_or_default(),
                // YM's order items carry no barcodes: the catalogue tells them.
                barcode: None,
            })
            .collect(),
        cancel_reason: None,
    }
}

/// YM refuses a whole batch with a 400; every item of it carries that error. Other
/// failures abort the call.
fn batch_error(result: Result<serde_json::Value>) -> Result<Option<String>> {
    match result {
        Ok(_) => Ok(None),
        Err(Error::Api {
            status: 400,
            message,
            code,
            ..
        }) => Ok(Some(format!("{code}: {message}"))),
        Err(e) => Err(e),
    }
}

fn ids(list: &[String]) -> Result<Vec<i64>> {
    list.iter()
        .map(|s| {
            s.parse()
                .map_err(|_| Error::Invalid(format!("YM order id {s:?} is not a number")))
        })
        .collect()
}

fn rubles(m: Money) -> f64 {
    m.0 as f64 / 100.0
}

impl MarketplaceApi for YmClient {
    fn marketplace(&self) -> Marketplace {
        Marketplace::YandexMarket
    }

    /// Lists the campaigns the key reaches: of its business once the cabinet has one, of
    /// every business while connecting (business 0).
    async fn verify(&self) -> Result<Verification> {
        let mut shops = Vec::new();
        let mut problems = Vec::new();
        let mut account_name = None;
        for c in self
            .all_campaigns()
            .await?
            .into_iter()
            .filter(|c| self.business_id == 0 || c.business_id == self.business_id)
        {
            if !c.available {
                problems.push(format!("campaign {} ({}): API unavailable", c.id, c.domain));
                continue;
            }
            account_name = Some(c.business_name.clone()).filter(|n| !n.is_empty());
            shops.push(c);
        }
        if shops.is_empty() {
            problems.push(format!(
                "the key reaches no campaign of business {}",
                self.business_id
            ));
        }
        Ok(Verification {
            ok: problems.is_empty(),
            problems,
            expires_at: None,
            scopes: Vec::new(),
            account: (self.business_id != 0).then(|| self.business()),
            account_name,
            shops: Some(shops),
            missing: None,
            read_only: false,
        })
    }

    async fn warehouses(&self) -> Result<Vec<Warehouse>> {
        let mut out = Vec::new();
        self.paged(
            &ep::YM_WAREHOUSES_EP,
            30,
            &serde_json::json!({}),
            |page: wire::Wrapped<wire::WarehousesResult>| {
                out.extend(page.result.warehouses.into_iter().map(|w| Warehouse {
                    id: w.id.to_string(),
                    active: w.models.iter().any(|m| m.api_availability == "AVAILABLE"),
                    name: w.name,
                    marketplace_owned: false,
                }));
                page.result.paging.next_page_token
            },
        )
        .await?;
        Ok(out)
    }

    async fn products(&self) -> Result<Vec<Product>> {
        let mut out = Vec::new();
        self.paged(
            &ep::YM_MAPPINGS_EP,
            100,
            &serde_json::json!({}),
            |page: wire::Wrapped<wire::MappingsResult>| {
                out.extend(page.result.offer_mappings.into_iter().map(|m| {
                    Product {
                        id: m.offer.offer_id.clone(),
                        vendor_code: m.offer.offer_id,
                        sku: m
                            .mapping
                            .as_ref()
                            .and_then(|x| x.market_sku)
                            .map(|s| s.to_string()),
                        barcodes: m.offer.barcodes,
                        name: m.offer.name,
                        category: Some(m.offer.category).filter(|c| !c.is_empty()),
                    }
                }));
                page.result.paging.next_page_token
            },
        )
        .await?;
        Ok(out)
    }

    async fn orders(&self, scheme: Scheme, cursor: OrderCursor) -> Result<OrderBatch> {
        let program = match scheme {
            Scheme::Fbs => "FBS",
            Scheme::Fbo => "FBY",
            Scheme::Dbs => "DBS",
        };
        // At most 30 days per request.
        let from = cursor.changed_since.max(cursor.now - Duration::days(30));
        let dates = wire::OrderDates {
            update_date_from: rfc3339(from),
            update_date_to: rfc3339(cursor.now),
        };
        let orders = self.list_orders(program, &[], Some(dates)).await?;
        Ok(OrderBatch {
            orders: orders.into_iter().map(|o| to_order(o, scheme)).collect(),
            next: cursor.now,
        })
    }

    async fn cancel_reasons(&self, _order_id: &str) -> Result<Vec<CancelReason>> {
        Ok(vec![CancelReason {
            id: "SHOP_FAILED".into(),
            title: "Магазин не может выполнить заказ".into(),
        }])
    }

    async fn act(&self, order: &Order, action: &OrderAction) -> Result<()> {
        let id = ids(std::slice::from_ref(&order.id))?[0];
        let campaign = order
            .shop
            .as_deref()
            .ok_or_else(|| Error::Invalid(format!("YM order {} has no campaign", order.id)))?;
        match action {
            OrderAction::Confirm => self.set_status(campaign, id, "PROCESSING", "STARTED").await,
            OrderAction::Assemble => {
                self.set_status(campaign, id, "PROCESSING", "READY_TO_SHIP")
                    .await
            }
            OrderAction::Ship => self.set_status(campaign, id, "PROCESSING", "SHIPPED").await,
            OrderAction::Cancel { .. } => {
                self.set_status(campaign, id, "CANCELLED", "SHOP_FAILED")
                    .await
            }
        }
    }

    async fn request_labels(&self, order_ids: &[String]) -> Result<Labels> {
        let wanted = ids(order_ids)?;
        let mut campaign_of = HashMap::new();
        for batch in wanted.chunks(50) {
            for o in self.list_orders("FBS", batch, None).await? {
                campaign_of.insert(o.order_id, o.campaign_id);
            }
        }
        let mut files = Vec::new();
        let mut failed = Vec::new();
        for id in wanted {
            let Some(campaign) = campaign_of.get(&id) else {
                failed.push((id.to_string(), "order not found".to_owned()));
                continue;
            };
            let (c, o) = (campaign.to_string(), id.to_string());
            let mut url = self
                .catalogue
                .url(&ep::YM_LABEL_EP, &[("campaignId", &c), ("orderId", &o)])?;
            url.query_pairs_mut().append_pair("format", "A7");
            match self
                .http
                .send(
                    Request::new(&ep::YM_LABEL_EP, url, &self.cabinet, self.headers(), None),
                    map_error,
                )
                .await
            {
                Ok(resp) if resp.body.starts_with(b"%PDF") => files.push(LabelFile {
                    orders: vec![o],
                    format: FileFormat::Pdf,
                    bytes: resp.body,
                }),
                Ok(_) => failed.push((o, "the answer is not a PDF".into())),
                Err(Error::Api { message, .. }) => failed.push((o, message)),
                Err(e) => return Err(e),
            }
        }
        Ok(Labels::Ready { files, failed })
    }

    async fn poll_labels(&self, _token: &str) -> Result<Labels> {
        Err(Error::Unsupported(
            "pending YM labels (labels are immediate)",
        ))
    }

    async fn stocks(&self, warehouse_id: &str, products: &[ProductRef]) -> Result<Vec<StockLevel>> {
        let wh: i64 = warehouse_id
            .parse()
            .map_err(|_| Error::Invalid(format!("YM warehouse {warehouse_id:?}")))?;
        let by_offer: HashMap<&str, &ProductRef> = products
            .iter()
            .map(|p| (p.vendor_code.as_str(), p))
            .collect();
        let offers: Vec<String> = products.iter().map(|p| p.vendor_code.clone()).collect();
        let mut out = Vec::new();
        for batch in offers.chunks(ep::YM_STOCKS_READ_EP.batch_max.unwrap_or(500)) {
            let req = wire::StocksRead {
                partner_warehouse_id: wh,
                offer_ids: batch,
            };
            self.paged(
                &ep::YM_STOCKS_READ_EP,
                100,
                &req,
                |page: wire::Wrapped<wire::StocksResult>| {
                    for o in page.result.offers {
                        let Some(p) = by_offer.get(o.offer_id.as_str()) else {
                            continue;
                        };
                        let count = |k: &str| {
                            o.stocks
                                .iter()
                                .filter(|s| s.kind == k)
                                .map(|s| s.count)
                                .sum::<i64>()
                        };
                        out.push(StockLevel {
                            warehouse_id: warehouse_id.to_owned(),
                            product: (*p).clone(),
                            present: count("FIT"),
                            reserved: count("FREEZE"),
                        });
                    }
                    page.result.paging.next_page_token
                },
            )
            .await?;
        }
        Ok(out)
    }

    async fn update_stocks(&self, updates: &[StockUpdate]) -> Result<Vec<ItemOutcome>> {
        let mut out = Vec::with_capacity(updates.len());
        let business = self.business();
        for batch in updates.chunks(ep::YM_STOCKS_UPDATE_EP.batch_max.unwrap_or(2000)) {
            let sku_items = batch
                .iter()
                .map(|u| {
                    let wh = u.warehouse_id.parse().map_err(|_| {
                        Error::Invalid(format!("YM warehouse {:?}", u.warehouse_id))
                    })?;
                    Ok(wire::SkuItem {
                        sku: u.product.vendor_code.clone(),
                        partner_warehouse_id: wh,
                        count: u.amount.max(0),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let result: Result<serde_json::Value> = self
                .call(
                    &ep::YM_STOCKS_UPDATE_EP,
                    &[("businessId", &business)],
                    &[],
                    Some(&wire::StocksUpdate { sku_items }),
                    1,
                )
                .await;
            let error = batch_error(result)?;
            out.extend(batch.iter().map(|u| ItemOutcome {
                key: format!("{}@{}", u.product.vendor_code, u.warehouse_id),
                error: error.clone(),
            }));
        }
        Ok(out)
    }

    /// FBY stock from `POST /v2/campaigns/{campaignId}/offers/stocks` (the method YM names
    /// for FBY and LaaS; the business-level `/v3/.../offers/stocks` covers only the seller's
    /// own warehouses) on each FBY campaign of the business, paged by `pageToken`, 100
    /// offers a page; warehouse names from `GET /v2/warehouses`. `present` is AVAILABLE,
    /// `reserved` FREEZE (FIT counts both). The answer carries no marketSku.
    async fn fbo_stocks(&self) -> Result<Vec<FboStock>> {
        let limit = ep::YM_FBY_STOCKS_EP.batch_max.unwrap_or(100);
        let mut out = Vec::new();
        for campaign in self
            .own_campaigns()
            .await?
            .into_iter()
            .filter(|c| c.placement == "FBY")
        {
            let c = campaign.id.to_string();
            let mut rows: Vec<(i64, wire::OfferStocks)> = Vec::new();
            let mut token: Option<String> = None;
            let mut seen = HashSet::new();
            for _ in 0..MAX_PAGES {
                let mut q = vec![("limit", limit.to_string())];
                if let Some(t) = &token {
                    q.push(("pageToken", t.clone()));
                }
                let page: wire::Wrapped<wire::FbyStocksResult> = self
                    .call(
                        &ep::YM_FBY_STOCKS_EP,
                        &[("campaignId", &c)],
                        &q,
                        Some(&wire::FbyStocksRequest::default()),
                        u32::try_from(limit).unwrap_or(u32::MAX),
                    )
                    .await?;
                for w in page.result.warehouses {
                    rows.extend(w.offers.into_iter().map(|o| (w.warehouse_id, o)));
                }
                match page.result.paging.next_page_token {
                    Some(t) if !t.is_empty() && seen.insert(t.clone()) => token = Some(t),
                    _ => break,
                }
            }
            if rows.is_empty() {
                continue;
            }
            let names = self.fby_warehouse_names(campaign.id).await?;
            out.extend(rows.into_iter().map(|(wh, o)| {
                let count = |k: &str| {
                    o.stocks
                        .iter()
                        .filter(|s| s.kind == k)
                        .map(|s| s.count)
                        .sum::<i64>()
                };
                FboStock {
                    warehouse_id: wh.to_string(),
                    warehouse_name: names.get(&wh).cloned().unwrap_or_default(),
                    product: ProductRef {
                        id: o.offer_id.clone(),
                        vendor_code: o.offer_id.clone(),
                        sku: None,
                    },
                    present: count("AVAILABLE"),
                    reserved: count("FREEZE"),
                }
            }));
        }
        Ok(out)
    }

    async fn prices(&self) -> Result<Vec<PriceInfo>> {
        let mut out = Vec::new();
        self.paged(
            &ep::YM_PRICES_READ_EP,
            500,
            &serde_json::json!({}),
            |page: wire::Wrapped<wire::PricesResult>| {
                out.extend(page.result.offers.into_iter().map(|o| {
                    let value = o.price.as_ref().map_or(0.0, |p| p.value);
                    let base = o
                        .price
                        .as_ref()
                        .and_then(|p| p.discount_base)
                        .filter(|b| *b > value)
                        .unwrap_or(value);
                    let after = Money::from_wire_f64(value).unwrap_or_default();
                    let before = Money::from_wire_f64(base).unwrap_or(after);
                    let discount = before.discount_percent(after);
                    PriceInfo {
                        product: ProductRef {
                            id: o.offer_id.clone(),
                            vendor_code: o.offer_id,
                            sku: None,
                        },
                        price: before,
                        price_after_discount: after,
                        discount_percent: discount,
                        min_price: None,
                        promo_price: None,
                    }
                }));
                page.result.paging.next_page_token
            },
        )
        .await?;
        Ok(out)
    }

    async fn update_prices(&self, updates: &[PriceUpdate]) -> Result<Vec<ItemOutcome>> {
        let mut out = Vec::with_capacity(updates.len());
        let business = self.business();
        for batch in updates.chunks(ep::YM_PRICES_UPDATE_EP.batch_max.unwrap_or(500)) {
            let offers: Vec<wire::PriceOffer> = batch
                .iter()
                .map(|u| wire::PriceOffer {
                    offer_id: u.product.vendor_code.clone(),
                    price: wire::PriceWrite {
                        value: rubles(u.price),
                        currency_id: "RUR",
                        discount_base: u.old_price.filter(|o| o.0 > u.price.0).map(rubles),
                    },
                })
                .collect();
            let cost = u32::try_from(offers.len()).unwrap_or(u32::MAX);
            let result: Result<serde_json::Value> = self
                .call(
                    &ep::YM_PRICES_UPDATE_EP,
                    &[("businessId", &business)],
                    &[],
                    Some(&wire::PricesUpdate { offers }),
                    cost,
                )
                .await;
            let error = batch_error(result)?;
            out.extend(batch.iter().map(|u| ItemOutcome {
                key: u.product.vendor_code.clone(),
                error: error.clone(),
            }));
        }
        Ok(out)
    }

    async fn forecast(&self, order_id: &str) -> Result<Vec<Accrual>> {
        self.expected(order_id).await
    }

    async fn finance_feed(&self, _cursor: Option<&str>) -> Result<super::FinanceFeed> {
        Err(Error::Unsupported(
            "a finance feed on Yandex Market (statistics are read by order)",
        ))
    }

    async fn accruals(&self, order_ids: &[String]) -> Result<Vec<Accrual>> {
        self.settled(order_ids).await
    }

    async fn commission_rates(&self) -> Result<Vec<super::CommissionRate>> {
        Err(Error::Unsupported(
            "commission tariffs on Yandex Market (each order's statistics carry its own)",
        ))
    }
}
