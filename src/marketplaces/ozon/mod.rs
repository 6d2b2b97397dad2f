//! The Ozon Seller API client: `Client-Id` + `Api-Key` headers, JSON POSTs, cursor paging
//! read to the end, batches split at each method's maximum.

pub mod wire;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::endpoints::{self as ep, Catalogue, Endpoint};
use super::http::{Http, Request, decode};
use super::{
    Accrual, CancelReason, Error, FboStock, FileFormat, ItemOutcome, LabelFile, Labels,
    MarketplaceApi, Missing, Order, OrderAction, OrderBatch, OrderCursor, OrderItem, PriceInfo,
    PriceUpdate, Product, ProductRef, Result, Secret, StockLevel, StockUpdate, Verification,
    Warehouse,
};
use crate::domain::{Marketplace, Money, Scheme};

/// Ozon's cancel reason "other", which needs a free-text message.
const OZON_OTHER_REASON: i64 = 402;

/// The most pages any listing reads before it stops (a guard against a cursor loop).
const MAX_PAGES: usize = 100_000;

/// One Ozon cabinet.
pub struct OzonClient {
    http: Http,
    catalogue: Arc<Catalogue>,
    client_id: String,
    api_key: Secret,
}

/// Maps Ozon's error answers: the body is `{"code", "message", "details"}`.
pub fn map_error(status: u16, body: &[u8]) -> Error {
    let e: wire::ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let message = if e.message.is_empty() {
        String::from_utf8_lossy(body).chars().take(200).collect()
    } else {
        e.message
    };
    match status {
        401 => Error::Unauthorized { message },
        403 if message.contains("deactivated") || message.contains("Invalid Api-Key") => {
            Error::Unauthorized { message }
        }
        403 => Error::Forbidden { message },
        _ => Error::Api {
            status,
            code: e.code.to_string(),
            message,
            endpoint: "",
        },
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_time(s: &Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn chunks<'a, T>(items: &'a [T], ep: &Endpoint) -> impl Iterator<Item = &'a [T]> {
    items.chunks(ep.batch_max.unwrap_or(items.len().max(1)).max(1))
}

impl OzonClient {
    pub fn new(
        http: Http,
        catalogue: Arc<Catalogue>,
        client_id: &str,
        api_key: Secret,
    ) -> OzonClient {
        OzonClient {
            http,
            catalogue,
            client_id: client_id.to_owned(),
            api_key,
        }
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        vec![
            ("client-id", self.client_id.clone()),
            ("api-key", self.api_key.expose().to_owned()),
        ]
    }

    async fn post<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        endpoint: &'static Endpoint,
        body: &Req,
    ) -> Result<Resp> {
        let url = self.catalogue.url(endpoint, &[])?;
        let body = serde_json::to_vec(body).map_err(|e| Error::Invalid(e.to_string()))?;
        let req = Request::new(endpoint, url, &self.client_id, self.headers(), Some(body));
        self.http.json(req, map_error).await
    }

    /// Every product of the cabinet as `/v3/product/list` names it, paged by `last_id`.
    async fn product_list(&self) -> Result<Vec<wire::ProductListItem>> {
        let mut out = Vec::new();
        let mut last_id = String::new();
        for _ in 0..MAX_PAGES {
            let req = wire::ProductListRequest {
                filter: wire::VisibilityFilter { visibility: "ALL" },
                last_id: &last_id,
                limit: 1000,
            };
            let page: wire::ProductListResponse = self.post(&ep::OZON_PRODUCT_LIST, &req).await?;
            let empty = page.result.items.is_empty();
            out.extend(page.result.items);
            if empty || page.result.last_id.is_empty() || page.result.last_id == last_id {
                break;
            }
            last_id = page.result.last_id;
        }
        Ok(out)
    }

    /// One FBS posting as Ozon has it now.
    async fn posting(&self, number: &str) -> Result<wire::PostingState> {
        let check = wire::FbsGetRequest {
            posting_number: number,
        };
        let got: wire::FbsGetResponse = self.post(&ep::OZON_FBS_GET, &check).await?;
        Ok(got.result)
    }

    /// Reads cursor-paged postings to the end.
    async fn postings(&self, scheme: Scheme, cursor: OrderCursor) -> Result<Vec<wire::Posting>> {
        let mut out = Vec::new();
        let mut page_cursor = String::new();
        let mut seen = HashSet::new();
        // The creation window may span at most a year.
        let created_from =
            (cursor.changed_since - Duration::days(30)).max(cursor.now - Duration::days(364));
        for _ in 0..MAX_PAGES {
            let page: wire::PostingListResponse = match scheme {
                Scheme::Fbo => {
                    let req = wire::FboListRequest {
                        cursor: &page_cursor,
                        filter: wire::FboFilter {
                            since: rfc3339(cursor.changed_since),
                            to: rfc3339(cursor.now),
                        },
                        limit: 100,
                        sort_dir: "ASC",
                    };
                    self.post(&ep::OZON_FBO_LIST, &req).await?
                }
                _ => {
                    let req = wire::FbsListRequest {
                        cursor: &page_cursor,
                        filter: wire::FbsFilter {
                            since: rfc3339(created_from),
                            to: rfc3339(cursor.now),
                            last_changed_status_date: wire::Period {
                                from: rfc3339(cursor.changed_since),
                                to: rfc3339(cursor.now),
                            },
                        },
                        limit: 100,
                        sort_dir: "ASC",
                    };
                    self.post(&ep::OZON_FBS_LIST, &req).await?
                }
            };
            let empty = page.postings.is_empty();
            out.extend(page.postings);
            if !page.has_next
                || empty
                || page.cursor.is_empty()
                || !seen.insert(page.cursor.clone())
            {
                break;
            }
            page_cursor = page.cursor;
        }
        Ok(out)
    }
}

fn to_order(p: wire::Posting, scheme: Scheme) -> Order {
    let warehouse = p
        .delivery_method
        .as_ref()
        .map(|d| d.warehouse_id)
        .or(p.analytics_data.as_ref().map(|a| a.warehouse_id))
        .filter(|w| *w != 0);
    Order {
        id: p.posting_number.clone(),
        number: p.order_number.clone(),
        shop: None,
        alt_id: None,
        scheme,
        status: p.status.clone(),
        substatus: Some(p.substatus.clone()).filter(|s| !s.is_empty()),
        created_at: parse_time(&p.in_process_at)
            .or(parse_time(&p.created_at))
            .unwrap_or_default(),
        ship_by: parse_time(&p.shipment_date),
        warehouse_id: warehouse.map(|w| w.to_string()),
        items: p
            .products
            .iter()
            .map(|i| OrderItem {
                sku: i.sku.to_string(),
                vendor_code: i.offer_id.clone(),
                name: i.name.clone(),
                quantity: i.quantity,
                price: Money::from_wire_str(&i.price.amount).unwrap_or_default(),
                // Ozon's postings carry no item barcodes: the catalogue tells them.
                barcode: None,
            })
            .collect(),
        cancel_reason: p
            .cancellation
            .map(|c| c.cancel_reason)
            .filter(|r| !r.is_empty()),
    }
}

fn outcomes(results: Vec<wire::UpdateResult>, with_warehouse: bool) -> Vec<ItemOutcome> {
    results
        .into_iter()
        .map(|r| {
            let key = if with_warehouse {
                format!("{}@{}", r.offer_id, r.warehouse_id)
            } else {
                r.offer_id.clone()
            };
            let error = if r.updated && r.errors.is_empty() {
                None
            } else {
                Some(
                    r.errors
                        .iter()
                        .map(|e| format!("{}: {}", e.code, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                )
                .filter(|s| !s.is_empty())
                .or(Some("not updated".into()))
            };
            ItemOutcome { key, error }
        })
        .collect()
}

fn product_id(p: &ProductRef) -> Result<i64> {
    p.id.parse()
        .map_err(|_| Error::Invalid(format!("Ozon product_id {:?} is not a number", p.id)))
}

impl MarketplaceApi for OzonClient {
    fn marketplace(&self) -> Marketplace {
        Marketplace::Ozon
    }

    async fn verify(&self) -> Result<Verification> {
        let roles: wire::RolesResponse = self.post(&ep::OZON_ROLES, &serde_json::json!({})).await?;
        let granted: HashSet<&str> = roles
            .roles
            .iter()
            .flat_map(|r| r.methods.iter().map(String::as_str))
            .collect();
        // FBO stock is read when the key may (an FBS-only seller's key often may not): a key
        // without it is still a good key.
        let needed = ep::ALL.iter().filter(|e| {
            e.family == ep::Family::Ozon
                && e.name != ep::OZON_LABEL_FILE.name
                && e.name != ep::OZON_ROLES.name
                && e.name != ep::OZON_FBO_STOCKS.name
        });
        let missing: Vec<String> = needed
            .filter(|e| !granted.contains(e.path))
            .map(|e| e.path.to_owned())
            .collect();
        let account = Some(self.client_id.clone());
        let problems: Vec<String> = missing
            .iter()
            .map(|p| format!("missing access to {p}"))
            .collect();
        Ok(Verification {
            ok: problems.is_empty(),
            problems,
            expires_at: parse_time(&roles.expires_at),
            scopes: roles.roles.iter().map(|r| r.name.clone()).collect(),
            account,
            account_name: None,
            shops: None,
            missing: (!missing.is_empty()).then_some(Missing::Methods(missing)),
            read_only: false,
        })
    }

    async fn warehouses(&self) -> Result<Vec<Warehouse>> {
        let mut out = Vec::new();
        let mut cursor = String::new();
        for _ in 0..MAX_PAGES {
            let page: wire::WarehouseListResponse = self
                .post(
                    &ep::OZON_WAREHOUSES,
                    &wire::CursorLimit {
                        limit: 200,
                        cursor: &cursor,
                    },
                )
                .await?;
            let empty = page.warehouses.is_empty();
            out.extend(page.warehouses.into_iter().map(|w| Warehouse {
                id: w.warehouse_id.to_string(),
                name: w.name,
                active: w.status != "disabled" && w.status != "blocked",
                marketplace_owned: false,
            }));
            if !page.has_next || empty || page.cursor == cursor {
                break;
            }
            cursor = page.cursor;
        }
        Ok(out)
    }

    async fn products(&self) -> Result<Vec<Product>> {
        let ids: Vec<i64> = self
            .product_list()
            .await?
            .into_iter()
            .map(|i| i.product_id)
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for batch in chunks(&ids, &ep::OZON_PRODUCT_INFO) {
            let req = wire::ProductInfoRequest {
                product_id: batch.iter().map(i64::to_string).collect(),
            };
            let info: wire::ProductInfoResponse = self.post(&ep::OZON_PRODUCT_INFO, &req).await?;
            out.extend(info.items.into_iter().map(|p| Product {
                id: p.id.to_string(),
                vendor_code: p.offer_id,
                sku: Some(p.sku.to_string()).filter(|s| s != "0"),
                barcodes: p.barcodes,
                name: p.name,
                category: Some(p.description_category_id.to_string()).filter(|s| s != "0"),
            }));
        }
        Ok(out)
    }

    async fn orders(&self, scheme: Scheme, cursor: OrderCursor) -> Result<OrderBatch> {
        if scheme == Scheme::Dbs {
            return Err(Error::Unsupported("Ozon rFBS order listing"));
        }
        let postings = self.postings(scheme, cursor).await?;
        Ok(OrderBatch {
            orders: postings.into_iter().map(|p| to_order(p, scheme)).collect(),
            next: cursor.now,
        })
    }

    async fn cancel_reasons(&self, _order_id: &str) -> Result<Vec<CancelReason>> {
        let list: wire::CancelReasonList = self
            .post(&ep::OZON_CANCEL_REASONS, &serde_json::json!({}))
            .await?;
        Ok(list
            .result
            .into_iter()
            .filter(|r| r.is_available_for_cancellation && r.type_id == "seller")
            // "Other" (402) needs a free-text explanation, which a button cannot carry.
            .filter(|r| r.id != OZON_OTHER_REASON)
            .map(|r| CancelReason {
                id: r.id.to_string(),
                title: r.title,
            })
            .collect())
    }

    async fn act(&self, order: &Order, action: &OrderAction) -> Result<()> {
        match action {
            // Ozon puts every FBS posting on assembly (awaiting_packaging) by itself.
            OrderAction::Confirm => Ok(()),
            OrderAction::Assemble => {
                let products = order
                    .items
                    .iter()
                    .map(|i| {
                        Ok(wire::ShipProduct {
                            product_id: i
                                .sku
                                .parse()
                                .map_err(|_| Error::Invalid(format!("SKU {:?}", i.sku)))?,
                            quantity: i.quantity,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let req = &wire::ShipRequest {
                    packages: vec![wire::ShipPackage { products }],
                    posting_number: &order.id,
                };
                let failed = |message: String| Error::Api {
                    status: 200,
                    code: "ship_failed".into(),
                    message,
                    endpoint: "",
                };
                let ship = move || async move {
                    let resp: wire::ShipResponse = self.post(&ep::OZON_FBS_SHIP, req).await?;
                    if resp
                        .result
                        .iter()
                        .any(|p| *p == order.id || p.starts_with(&order.id))
                    {
                        Ok(())
                    } else {
                        Err(failed(format!("posting {} was not assembled", order.id)))
                    }
                };
                // Shipping twice is not harmless: after a lost answer, the posting tells.
                let assembled = move || async move {
                    let p = self.posting(&order.id).await?;
                    Ok(
                        (p.status != "awaiting_packaging" && p.substatus != "ship_failed")
                            .then_some(()),
                    )
                };
                self.http.once(ship, assembled).await?;
                // A 200 is not proof: Ozon asks to re-read the posting and retry on `ship_failed`.
                let got = self.posting(&order.id).await?;
                if got.substatus == "ship_failed" || got.status == "awaiting_packaging" {
                    return Err(failed(format!(
                        "posting {} is {}/{}",
                        order.id, got.status, got.substatus
                    )));
                }
                Ok(())
            }
            OrderAction::Ship => Err(Error::Unsupported("handing Ozon postings over (acts)")),
            OrderAction::Cancel { reason_id, message } => {
                let id: i64 = reason_id
                    .parse()
                    .map_err(|_| Error::Invalid(format!("cancel reason {reason_id:?}")))?;
                let req = &wire::CancelRequest {
                    cancel_reason_id: id,
                    cancel_reason_message: message.as_deref(),
                    posting_number: &order.id,
                };
                let cancel = move || async move {
                    let resp: wire::BoolResult = self.post(&ep::OZON_FBS_CANCEL, req).await?;
                    if resp.result {
                        Ok(())
                    } else {
                        Err(Error::Api {
                            status: 200,
                            code: "not_cancelled".into(),
                            message: order.id.clone(),
                            endpoint: "",
                        })
                    }
                };
                let cancelled = move || async move {
                    Ok((self.posting(&order.id).await?.status == "cancelled").then_some(()))
                };
                self.http.once(cancel, cancelled).await
            }
        }
    }

    async fn request_labels(&self, order_ids: &[String]) -> Result<Labels> {
        let mut tasks = Vec::new();
        for batch in chunks(order_ids, &ep::OZON_LABEL_CREATE) {
            let resp: wire::LabelCreateResponse = self
                .post(
                    &ep::OZON_LABEL_CREATE,
                    &wire::LabelCreateRequest {
                        posting_numbers: batch,
                    },
                )
                .await?;
            // The token names each task's postings, so the file's pages can be told apart.
            let postings = batch.join("|");
            tasks.extend(
                resp.tasks
                    .into_iter()
                    .map(|t| format!("{}={postings}", t.task_id)),
            );
        }
        if tasks.is_empty() {
            return Err(Error::Api {
                status: 200,
                code: "no_tasks".into(),
                message: "Ozon created no label task".into(),
                endpoint: "",
            });
        }
        Ok(Labels::Pending(tasks.join(",")))
    }

    async fn poll_labels(&self, token: &str) -> Result<Labels> {
        let mut files = Vec::new();
        let mut failed = Vec::new();
        for task in token.split(',').filter(|t| !t.is_empty()) {
            let (task, postings) = task.split_once('=').unwrap_or((task, ""));
            let postings: Vec<&str> = postings.split('|').filter(|p| !p.is_empty()).collect();
            let task_id: i64 = task
                .parse()
                .map_err(|_| Error::Invalid(format!("label task {task:?}")))?;
            let resp: wire::LabelGetResponse = self
                .post(&ep::OZON_LABEL_GET, &wire::LabelGetRequest { task_id })
                .await?;
            match resp.status.code.as_str() {
                "completed" => {
                    let unprinted: Vec<(String, String)> = resp
                        .status
                        .unprinted_postings
                        .into_iter()
                        .map(|u| (u.posting_number, u.message))
                        .collect();
                    let printed: Vec<String> = postings
                        .iter()
                        .filter(|p| !unprinted.iter().any(|(u, _)| u == *p))
                        .map(|p| (*p).to_owned())
                        .collect();
                    failed.extend(unprinted);
                    let url = reqwest::Url::parse(&resp.file_url).map_err(|_| Error::Decode {
                        endpoint: ep::OZON_LABEL_GET.name.into(),
                        path: "file_url".into(),
                        message: "not a URL".into(),
                    })?;
                    let bytes = self
                        .http
                        .download(url, &ep::OZON_LABEL_FILE, &self.client_id, map_error)
                        .await?;
                    if !bytes.starts_with(b"%PDF") {
                        return Err(Error::Decode {
                            endpoint: ep::OZON_LABEL_FILE.name.into(),
                            path: "(file)".into(),
                            message: "not a PDF".into(),
                        });
                    }
                    files.push(LabelFile {
                        orders: printed,
                        format: FileFormat::Pdf,
                        bytes,
                    });
                }
                "error" => {
                    let message = resp
                        .error
                        .map(|e| e.message)
                        .unwrap_or_else(|| "label task failed".into());
                    return Err(Error::Api {
                        status: 200,
                        code: "label_error".into(),
                        message,
                        endpoint: "",
                    });
                }
                _ => return Ok(Labels::Pending(token.to_owned())),
            }
        }
        Ok(Labels::Ready { files, failed })
    }

    async fn stocks(&self, warehouse_id: &str, products: &[ProductRef]) -> Result<Vec<StockLevel>> {
        let offers: Vec<String> = products.iter().map(|p| p.vendor_code.clone()).collect();
        let mut out = Vec::new();
        for batch in chunks(&offers, &ep::OZON_STOCKS_READ) {
            let mut cursor = String::new();
            let mut seen = HashSet::new();
            for _ in 0..MAX_PAGES {
                let req = wire::StocksReadRequest {
                    cursor: &cursor,
                    limit: 1000,
                    offer_id: batch.to_vec(),
                };
                let page: wire::StocksReadResponse = self.post(&ep::OZON_STOCKS_READ, &req).await?;
                let empty = page.products.is_empty();
                out.extend(
                    page.products
                        .into_iter()
                        .filter(|s| s.warehouse_id.to_string() == warehouse_id)
                        .map(|s| StockLevel {
                            warehouse_id: s.warehouse_id.to_string(),
                            product: ProductRef {
                                id: s.product_id.to_string(),
                                vendor_code: s.offer_id,
                                sku: None,
                            },
                            present: s.present,
                            reserved: s.reserved,
                        }),
                );
                if !page.has_next || empty || !seen.insert(page.cursor.clone()) {
                    break;
                }
                cursor = page.cursor;
            }
        }
        Ok(out)
    }

    async fn update_stocks(&self, updates: &[StockUpdate]) -> Result<Vec<ItemOutcome>> {
        let mut out = Vec::with_capacity(updates.len());
        for batch in chunks(updates, &ep::OZON_STOCKS_UPDATE) {
            let stocks = batch
                .iter()
                .map(|u| {
                    let warehouse_id = u
                        .warehouse_id
                        .parse()
                        .map_err(|_| Error::Invalid(format!("warehouse {:?}", u.warehouse_id)))?;
                    Ok(wire::StockItem {
                        offer_id: u.product.vendor_code.clone(),
                        product_id: product_id(&u.product)?,
                        stock: u.amount.max(0),
                        warehouse_id,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let resp: wire::UpdateResults = self
                .post(
                    &ep::OZON_STOCKS_UPDATE,
                    &wire::StocksUpdateRequest { stocks },
                )
                .await?;
            out.extend(outcomes(resp.result, true));
        }
        Ok(out)
    }

    /// FBO stock from `/v1/analytics/stocks`, the method the Ozon docs name for stock on
    /// Ozon's warehouses ("FBO → Управление остатками", real time since 17 Aug 2026): one row
    /// per SKU and warehouse, with the warehouse's name. It takes at most 100 SKUs and has
    /// no paging, so the SKUs come from the product list and go 100 at a time. The older
    /// `/v2/analytics/stock_on_warehouses` (lists everything without SKUs) is marked for
    /// shutdown in favour of this one. Its answer has no reservation figure, so `reserved`
    /// is 0; `present` is «Доступно к продаже».
    async fn fbo_stocks(&self) -> Result<Vec<FboStock>> {
        let mut product_of = HashMap::new();
        for p in self.product_list().await? {
            if p.sku != 0 {
                product_of.insert(p.sku, p.product_id);
            }
        }
        let mut skus: Vec<i64> = product_of.keys().copied().collect();
        skus.sort_unstable();
        let mut out = Vec::new();
        for batch in chunks(&skus, &ep::OZON_FBO_STOCKS) {
            let req = wire::FboStocksRequest {
                skus: batch.iter().map(i64::to_string).collect(),
            };
            let resp: wire::FboStocksResponse = self.post(&ep::OZON_FBO_STOCKS, &req).await?;
            out.extend(resp.items.into_iter().map(|i| {
                FboStock {
                    warehouse_id: i.warehouse_id.to_string(),
                    warehouse_name: i.warehouse_name,
                    product: ProductRef {
                        id: product_of
                            .get(&i.sku)
                            .map(i64::to_string)
                            .unwrap_or_default(),
                        vendor_code: i.offer_id,
                        sku: Some(i.sku.to_string()),
                    },
                    present: i.available_stock_count,
                    reserved: 0,
                }
            }));
        }
        Ok(out)
    }

    async fn prices(&self) -> Result<Vec<PriceInfo>> {
        let mut out = Vec::new();
        let mut cursor = String::new();
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let req = wire::PricesReadRequest {
                cursor: &cursor,
                filter: wire::VisibilityFilter { visibility: "ALL" },
                limit: 1000,
            };
            let page: wire::PricesReadResponse = self.post(&ep::OZON_PRICES_READ, &req).await?;
            let empty = page.items.is_empty();
            out.extend(page.items.into_iter().map(|i| {
                let after = Money::from_wire_f64(i.price.price).unwrap_or_default();
                let before = Money::from_wire_f64(i.price.old_price)
                    .filter(|m| m.0 > after.0)
                    .unwrap_or(after);
                let discount = before.discount_percent(after);
                PriceInfo {
                    product: ProductRef {
                        id: i.product_id.to_string(),
                        vendor_code: i.offer_id,
                        sku: None,
                    },
                    price: before,
                    price_after_discount: after,
                    discount_percent: discount,
                    min_price: Money::from_wire_f64(i.price.min_price).filter(|m| m.0 > 0),
                    promo_price: Money::from_wire_f64(i.price.marketing_seller_price)
                        .filter(|m| m.0 > 0 && *m != after),
                }
            }));
            if empty || page.cursor.is_empty() || !seen.insert(page.cursor.clone()) {
                break;
            }
            cursor = page.cursor;
        }
        Ok(out)
    }

    async fn update_prices(&self, updates: &[PriceUpdate]) -> Result<Vec<ItemOutcome>> {
        let mut out = Vec::with_capacity(updates.len());
        for batch in chunks(updates, &ep::OZON_PRICES_UPDATE) {
            let prices = batch
                .iter()
                .map(|u| {
                    Ok(wire::PriceWrite {
                        offer_id: u.product.vendor_code.clone(),
                        product_id: product_id(&u.product)?,
                        price: u.price.to_wire(),
                        old_price: u.old_price.map_or_else(|| "0".to_owned(), Money::to_wire),
                        min_price: u.min_price.map(Money::to_wire),
                        currency_code: "RUB",
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let resp: wire::UpdateResults = self
                .post(
                    &ep::OZON_PRICES_UPDATE,
                    &wire::PricesUpdateRequest { prices },
                )
                .await?;
            out.extend(outcomes(resp.result, false));
        }
        Ok(out)
    }

    async fn accruals(&self, order_ids: &[String]) -> Result<Vec<Accrual>> {
        if order_ids.is_empty() {
            return Ok(Vec::new());
        }
        // The directory names each type: what a seller reads, and how it is sorted.
        let types: wire::AccrualTypesResponse = self
            .post(&ep::OZON_ACCRUAL_TYPES, &serde_json::json!({}))
            .await?;
        let names: std::collections::HashMap<i64, String> = types
            .accrual_types
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let mut out = Vec::new();
        for batch in chunks(order_ids, &ep::OZON_ACCRUALS) {
            let resp: wire::AccrualsResponse = self
                .post(
                    &ep::OZON_ACCRUALS,
                    &wire::AccrualsRequest {
                        posting_numbers: batch,
                    },
                )
                .await?;
            for p in resp.posting_accruals {
                for (i, a) in p.accruals.into_iter().enumerate() {
                    let amount =
                        Money::from_wire_str(&a.accrued.amount).ok_or_else(|| Error::Decode {
                            endpoint: ep::OZON_ACCRUALS.name.into(),
                            path: "posting_accruals[].accruals[].accrued.amount".into(),
                            message: format!("{:?} is not an amount", a.accrued.amount),
                        })?;
                    let name = names
                        .get(&a.type_id)
                        .cloned()
                        .unwrap_or_else(|| format!("type {}", a.type_id));
                    out.push(Accrual {
                        order_id: p.posting_number.clone(),
                        rid: None,
                        key: format!("{}:{i}", p.posting_number),
                        class: crate::domain::finance::Kind::of_name(&name),
                        kind: name,
                        amount,
                        date: Some(a.accrual_date).filter(|d| !d.is_empty()),
                    });
                }
            }
        }
        Ok(out)
    }

    async fn finance_feed(&self, _cursor: Option<&str>) -> Result<super::FinanceFeed> {
        Err(Error::Unsupported(
            "a finance feed on Ozon (accruals are read by posting)",
        ))
    }

    async fn commission_rates(&self) -> Result<Vec<super::CommissionRate>> {
        Err(Error::Unsupported(
            "commission tariffs on Ozon (each posting's forecast carries its own)",
        ))
    }

    async fn forecast(&self, order_id: &str) -> Result<Vec<Accrual>> {
        use crate::domain::finance::Kind;
        let got: wire::FbsGetFinancialResponse = self
            .post(
                &ep::OZON_FBS_GET,
                &wire::FbsGetFinancialRequest {
                    posting_number: order_id,
                    with: wire::FinancialWith {
                        financial_data: true,
                    },
                },
            )
            .await?;
        let mut out = Vec::new();
        for (i, p) in got.result.financial_data.products.iter().enumerate() {
            let amount = |v: f64, path: &str| {
                Money::from_wire_f64(v).ok_or_else(|| Error::Decode {
                    endpoint: ep::OZON_FBS_GET.name.into(),
                    path: format!("result.financial_data.products[].{path}"),
                    message: format!("{v} is not an amount"),
                })
            };
            let commission = amount(p.commission_amount, "commission_amount")?;
            let payout = amount(p.payout, "payout")?;
            let line = |part: &str, kind: &str, class: Kind, m: Money| Accrual {
                order_id: order_id.to_owned(),
                rid: None,
                key: format!("{order_id}:forecast:{i}:{part}"),
                kind: kind.to_owned(),
                class,
                amount: m,
                date: None,
            };
            // What the buyer's price comes to before Ozon's fee, and the fee.
            out.push(line(
                "sale",
                "Выручка",
                Kind::Sale,
                Money(payout.0 + commission.0),
            ));
            out.push(line(
                "commission",
                "Вознаграждение Ozon за продажу",
                Kind::Commission,
                Money(-commission.0),
            ));
        }
        Ok(out)
    }
}

/// Decodes an Ozon answer outside the client (tests, the sandbox's own checks).
pub fn decode_json<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T> {
    decode(endpoint, body)
}
