//! The Wildberries client: one token (`Authorization` header) across several API hosts,
//! scopes read from the token itself, FBS orders with supplies and stickers, stocks by
//! size id (`chrtId`), prices through WB's asynchronous upload task.

mod tariffs;
pub mod wire;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use base64::Engine;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::endpoints::{self as ep, Catalogue, Endpoint};
use super::http::{Http, Request, decode};
use super::{
    Accrual, CancelReason, Error, FboStock, FileFormat, ItemOutcome, LabelFile, Labels,
    MarketplaceApi, Missing, Order, OrderAction, OrderBatch, OrderCursor, OrderItem, PriceInfo,
    PriceUpdate, Product, ProductRef, Result, Secret, StickerSize, StockLevel, StockUpdate,
    Verification, Warehouse,
};
use crate::clock::SharedClock;
use crate::domain::{Marketplace, Money, Scheme};

const MAX_PAGES: usize = 100_000;

/// WB token categories: bit position and our name.
pub const SCOPES: &[(u32, &str)] = &[
    (1, "content"),
    (2, "analytics"),
    (3, "prices"),
    (4, "marketplace"),
    (5, "statistics"),
    (6, "promotion"),
    (7, "feedbacks"),
    (8, "recommendations"),
    (9, "chat"),
    (10, "supplies"),
    (11, "returns"),
    (12, "documents"),
];
/// Bit 30: the token may only read.
pub const READ_ONLY_BIT: u32 = 30;
/// The categories the product needs.
pub const NEEDED_SCOPES: &[&str] = &["content", "prices", "marketplace", "statistics"];

/// Reads a WB token's claims (the JWT payload; the signature is WB's business).
pub fn claims(token: &str) -> Option<wire::Claims> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The scope names a bitmask grants.
pub fn scope_names(mask: u64) -> Vec<&'static str> {
    SCOPES
        .iter()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, n)| *n)
        .collect()
}

/// Maps WB's error answers.
pub fn map_error(status: u16, body: &[u8]) -> Error {
    let e: wire::ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let message = [&e.detail, &e.message, &e.error_text, &e.title]
        .into_iter()
        .find(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| String::from_utf8_lossy(body).chars().take(200).collect());
    match status {
        401 if message.contains("scope") => Error::Forbidden { message },
        401 => Error::Unauthorized { message },
        403 => Error::Forbidden { message },
        _ => Error::Api {
            status,
            code: if e.code.is_empty() { e.title } else { e.code },
            message,
            endpoint: "",
        },
    }
}

/// A short, stable id of a token for rate-limit buckets (FNV-1a), so the token itself is
/// never used as a key.
fn fingerprint(token: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in token.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("wb-{h:016x}")
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// One Wildberries cabinet.
pub struct WbClient {
    http: Http,
    catalogue: Arc<Catalogue>,
    token: Secret,
    cabinet: String,
    clock: SharedClock,
    sticker: StickerSize,
    /// Rows per page of the FBO stocks report.
    fbo_page: u64,
}

/// A supply (a batch of FBS orders handed over together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supply {
    pub id: String,
    pub name: String,
    pub done: bool,
}

/// How long after an upload its task is first looked at, the longest wait between looks,
/// and how many looks before its prices are left to the read-back.
const PRICE_POLL_FIRST: std::time::Duration = std::time::Duration::from_millis(500);
const PRICE_POLL_MAX: std::time::Duration = std::time::Duration::from_secs(8);
const PRICE_POLLS: usize = 12;

impl WbClient {
    pub fn new(
        http: Http,
        catalogue: Arc<Catalogue>,
        token: Secret,
        clock: SharedClock,
    ) -> WbClient {
        let cabinet = fingerprint(token.expose());
        WbClient {
            http,
            catalogue,
            token,
            cabinet,
            clock,
            sticker: StickerSize::default(),
            fbo_page: ep::WB_FBO_STOCKS.batch_max.unwrap_or(250_000) as u64,
        }
    }

    /// Stickers of this size from now on.
    pub fn with_sticker_size(mut self, size: StickerSize) -> WbClient {
        self.sticker = size;
        self
    }

    /// Reads the FBO stocks report in pages of `rows` (at most the API's 250 000) instead
    /// of the largest page WB allows.
    pub fn with_fbo_page(mut self, rows: u64) -> WbClient {
        self.fbo_page = rows.clamp(1, self.fbo_page);
        self
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        vec![("authorization", self.token.expose().to_owned())]
    }

    fn url(
        &self,
        endpoint: &Endpoint,
        params: &[(&str, &str)],
        query: &[(&str, String)],
    ) -> Result<reqwest::Url> {
        let mut url = self.catalogue.url(endpoint, params)?;
        if !query.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in query {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }

    async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &'static Endpoint,
        params: &[(&str, &str)],
        query: &[(&str, String)],
        body: Option<&impl Serialize>,
    ) -> Result<T> {
        let url = self.url(endpoint, params, query)?;
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.http
            .json(
                Request::new(endpoint, url, &self.cabinet, self.headers(), body),
                map_error,
            )
            .await
    }

    /// A call answered with 204 and no body.
    async fn call_empty(
        &self,
        endpoint: &'static Endpoint,
        params: &[(&str, &str)],
        body: Option<&impl Serialize>,
    ) -> Result<()> {
        let url = self.url(endpoint, params, &[])?;
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.http
            .send(
                Request::new(endpoint, url, &self.cabinet, self.headers(), body),
                map_error,
            )
            .await
            .map(|_| ())
    }

    /// The seller-side status (`new`, `confirm`, `complete`, `cancel`) of each order.
    async fn supplier_statuses(&self, order_ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut out = HashMap::new();
        for batch in order_ids.chunks(ep::WB_ORDERS_STATUS.batch_max.unwrap_or(1000)) {
            let s: wire::StatusesResponse = self
                .call(
                    &ep::WB_ORDERS_STATUS,
                    &[],
                    &[],
                    Some(&wire::OrderIds { orders: batch }),
                )
                .await?;
            out.extend(s.orders.into_iter().map(|o| (o.id, o.supplier_status)));
        }
        Ok(out)
    }

    /// Whether every order of `ids` has the seller-side status `status`.
    async fn all_have_status(&self, ids: &[i64], status: &str) -> Result<Option<()>> {
        let now = self.supplier_statuses(ids).await?;
        Ok(ids
            .iter()
            .all(|id| now.get(id).is_some_and(|s| s == status))
            .then_some(()))
    }

    /// Creates a supply and returns its id (`WB-GI-...`). Creating twice would leave an
    /// empty second supply: after a lost answer, an open supply of that name is the one.
    pub async fn create_supply(&self, name: &str) -> Result<String> {
        let create = move || async move {
            let created: wire::CreatedId = self
                .call(
                    &ep::WB_SUPPLY_CREATE,
                    &[],
                    &[],
                    Some(&wire::SupplyName { name }),
                )
                .await?;
            Ok(created.id)
        };
        let created = move || async move {
            Ok(self
                .supplies()
                .await?
                .into_iter()
                .rev()
                .find(|s| !s.done && s.name == name)
                .map(|s| s.id))
        };
        self.http.once(create, created).await
    }

    /// Every supply, paged to the end.
    pub async fn supplies(&self) -> Result<Vec<Supply>> {
        let mut out = Vec::new();
        let mut next = 0i64;
        for _ in 0..MAX_PAGES {
            let page: wire::SuppliesResponse = self
                .call(
                    &ep::WB_SUPPLIES,
                    &[],
                    &[("limit", "1000".into()), ("next", next.to_string())],
                    None::<&()>,
                )
                .await?;
            let empty = page.supplies.is_empty();
            out.extend(page.supplies.into_iter().map(|s| Supply {
                id: s.id,
                name: s.name,
                done: s.done,
            }));
            if empty || page.next == next || page.next == 0 {
                break;
            }
            next = page.next;
        }
        Ok(out)
    }

    /// Adds orders to a supply (puts them on assembly), at most 100 per request.
    pub async fn add_to_supply(&self, supply_id: &str, order_ids: &[i64]) -> Result<()> {
        for batch in order_ids.chunks(ep::WB_SUPPLY_ADD.batch_max.unwrap_or(100)) {
            let add = move || async move {
                self.call_empty(
                    &ep::WB_SUPPLY_ADD,
                    &[("supplyId", supply_id)],
                    Some(&wire::OrderIds { orders: batch }),
                )
                .await
            };
            let added = move || async move { self.all_have_status(batch, "confirm").await };
            self.http.once(add, added).await?;
        }
        Ok(())
    }

    /// Closes a supply and hands it over: its orders become `complete`.
    pub async fn deliver_supply(&self, supply_id: &str) -> Result<()> {
        let deliver = move || async move {
            self.call_empty(
                &ep::WB_SUPPLY_DELIVER,
                &[("supplyId", supply_id)],
                None::<&()>,
            )
            .await
        };
        let delivered = move || async move {
            Ok(self
                .supplies()
                .await?
                .iter()
                .any(|s| s.id == supply_id && s.done)
                .then_some(()))
        };
        self.http.once(deliver, delivered).await
    }

    /// The orders in a supply.
    pub async fn supply_orders(&self, supply_id: &str) -> Result<Vec<i64>> {
        let ids: wire::SupplyOrderIds = self
            .call(
                &ep::WB_SUPPLY_ORDER_IDS,
                &[("supplyId", supply_id)],
                &[],
                None::<&()>,
            )
            .await?;
        Ok(ids.order_ids)
    }

    /// The supply's QR code as PNG, with its barcode text.
    pub async fn supply_barcode(&self, supply_id: &str) -> Result<(String, Vec<u8>)> {
        let b: wire::SupplyBarcode = self
            .call(
                &ep::WB_SUPPLY_BARCODE,
                &[("supplyId", supply_id)],
                &[("type", "png".into())],
                None::<&()>,
            )
            .await?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(&b.file)
            .map_err(|_| Error::Decode {
                endpoint: ep::WB_SUPPLY_BARCODE.name.into(),
                path: "file".into(),
                message: "not base64".into(),
            })?;
        Ok((b.barcode, png))
    }

    /// Polls a price upload until WB has processed it: its history status (3 done, 4
    /// cancelled, 5 some goods refused, 6 all refused), or `None` when it is still in the
    /// buffer after the polls we allow (its prices are then read back as pending).
    async fn processed(&self, id: i64, uploaded: std::time::Instant) -> Result<Option<i64>> {
        let q = [("uploadID", id.to_string())];
        let mut wait = PRICE_POLL_FIRST;
        for _ in 0..PRICE_POLLS {
            // WB needs a moment after an upload; asking sooner only spends the rate limit.
            if let Some(left) = PRICE_POLL_FIRST.checked_sub(uploaded.elapsed()) {
                tokio::time::sleep(left).await;
            }
            let state: wire::TaskState =
                self.call(&ep::WB_PRICES_TASK, &[], &q, None::<&()>).await?;
            if let Some(d) = state.data.filter(|d| d.status >= 3) {
                return Ok(Some(d.status));
            }
            if wait == PRICE_POLL_FIRST {
                // Once: the upload should be in the buffer, being processed.
                let buffer: wire::TaskState = self
                    .call(&ep::WB_PRICES_BUFFER, &[], &q, None::<&()>)
                    .await?;
                if buffer.data.is_none_or(|d| d.status != 1) {
                    tracing::debug!(upload = id, "WB price upload not in the buffer yet");
                }
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(PRICE_POLL_MAX);
        }
        Ok(None)
    }

    /// The newest open supply, or a new one.
    async fn open_supply(&self) -> Result<String> {
        if let Some(s) = self.supplies().await?.into_iter().rev().find(|s| !s.done) {
            return Ok(s.id);
        }
        let name = format!("mpbot {}", self.clock.now().format("%Y-%m-%d"));
        self.create_supply(&name).await
    }

    async fn fbs_orders(&self, cursor: OrderCursor) -> Result<Vec<Order>> {
        // WB lists by creation date within 30 days; statuses come from a second call. A
        // steady poll asks for new orders only; a sweep looks at the whole window again.
        let from = (cursor.changed_since - Duration::days(3)).max(cursor.now - Duration::days(30));
        let mut wires: BTreeMap<i64, wire::OrderWire> = BTreeMap::new();
        let mut next = 0i64;
        for _ in 0..if cursor.sweep { MAX_PAGES } else { 0 } {
            let q = [
                ("limit", "1000".to_owned()),
                ("next", next.to_string()),
                ("dateFrom", from.timestamp().to_string()),
                ("dateTo", cursor.now.timestamp().to_string()),
            ];
            let page: wire::OrdersResponse =
                self.call(&ep::WB_ORDERS, &[], &q, None::<&()>).await?;
            let empty = page.orders.is_empty();
            let full = page.orders.len() >= 1000;
            wires.extend(page.orders.into_iter().map(|o| (o.id, o)));
            if empty || !full || page.next == next || page.next == 0 {
                break;
            }
            next = page.next;
        }
        let fresh: wire::OrdersResponse =
            self.call(&ep::WB_ORDERS_NEW, &[], &[], None::<&()>).await?;
        wires.extend(fresh.orders.into_iter().map(|o| (o.id, o)));
        // New orders are new; the others' statuses are asked for in a sweep.
        let ids: Vec<i64> = if cursor.sweep {
            wires.keys().copied().collect()
        } else {
            Vec::new()
        };
        let mut statuses = HashMap::new();
        for batch in ids.chunks(ep::WB_ORDERS_STATUS.batch_max.unwrap_or(1000)) {
            let s: wire::StatusesResponse = self
                .call(
                    &ep::WB_ORDERS_STATUS,
                    &[],
                    &[],
                    Some(&wire::OrderIds { orders: batch }),
                )
                .await?;
            statuses.extend(
                s.orders
                    .into_iter()
                    .map(|o| (o.id, format!("{}/{}", o.supplier_status, o.wb_status))),
            );
        }
        Ok(wires
            .into_values()
            .map(|o| Order {
                id: o.id.to_string(),
                number: o.id.to_string(),
                shop: None,
                alt_id: Some(o.rid.clone()).filter(|r| !r.is_empty()),
                scheme: Scheme::Fbs,
                status: statuses
                    .get(&o.id)
                    .cloned()
                    .unwrap_or_else(|| "new/waiting".into()),
                substatus: None,
                created_at: parse_time(&o.created_at).unwrap_or_default(),
                // WB names a date to ship by only for oversized goods (`sellerDate`).
                ship_by: o.seller_date.as_deref().and_then(parse_time),
                warehouse_id: Some(o.warehouse_id.to_string()),
                items: vec![OrderItem {
                    sku: o.chrt_id.to_string(),
                    vendor_code: o.article.clone(),
                    name: o.article.clone(),
                    quantity: 1,
                    price: Money(o.price),
                    barcode: o.skus.first().cloned(),
                }],
                cancel_reason: None,
            })
            .collect())
    }

    async fn fbo_orders(&self, cursor: OrderCursor) -> Result<Vec<Order>> {
        let mut out = Vec::new();
        let mut from = rfc3339(cursor.changed_since);
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let rows: Vec<wire::StatOrder> = self
                .call(
                    &ep::WB_FBO_ORDERS,
                    &[],
                    &[("dateFrom", from.clone()), ("flag", "0".into())],
                    None::<&()>,
                )
                .await?;
            let full = rows.len() >= 80_000;
            let last = rows.last().map(|r| r.last_change_date.clone());
            for r in rows {
                if r.warehouse_type != "Склад WB" || !seen.insert(r.srid.clone()) {
                    continue;
                }
                out.push(Order {
                    id: r.srid.clone(),
                    number: r.g_number.clone(),
                    shop: None,
                    alt_id: Some(r.srid.clone()).filter(|r| !r.is_empty()),
                    scheme: Scheme::Fbo,
                    status: if r.is_cancel {
                        "cancelled".into()
                    } else {
                        "ordered".into()
                    },
                    substatus: None,
                    created_at: parse_time(&r.date).unwrap_or_default(),
                    ship_by: None,
                    warehouse_id: Some(r.warehouse_name.clone()),
                    items: vec![OrderItem {
                        sku: r.nm_id.to_string(),
                        vendor_code: r.supplier_article.clone(),
                        name: r.subject.clone(),
                        quantity: 1,
                        price: Money::from_wire_f64(r.price_with_disc).unwrap_or_default(),
                        barcode: None,
                    }],
                    cancel_reason: None,
                });
            }
            match last {
                Some(l) if full && l != from => from = l,
                _ => break,
            }
        }
        Ok(out)
    }
}

fn order_id(id: &str) -> Result<i64> {
    id.parse()
        .map_err(|_| Error::Invalid(format!("WB order id {id:?} is not a number")))
}

fn chrt_id(p: &ProductRef) -> Result<i64> {
    p.sku
        .as_deref()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::Invalid(format!("{} has no WB size id (chrtId)", p.vendor_code)))
}

fn key(p: &ProductRef, warehouse: &str) -> String {
    format!("{}@{warehouse}", p.vendor_code)
}

impl MarketplaceApi for WbClient {
    fn marketplace(&self) -> Marketplace {
        Marketplace::Wildberries
    }

    async fn verify(&self) -> Result<Verification> {
        let claims = claims(self.token.expose()).ok_or_else(|| Error::Unauthorized {
            message: "not a WB API token".into(),
        })?;
        let _: serde_json::Value = self.call(&ep::WB_PING_EP, &[], &[], None::<&()>).await?;
        let info: wire::SellerInfo = self
            .call(&ep::WB_SELLER_INFO, &[], &[], None::<&()>)
            .await?;
        let scopes = scope_names(claims.s);
        let missing: Vec<String> = NEEDED_SCOPES
            .iter()
            .filter(|n| !scopes.contains(n))
            .map(|n| (*n).to_owned())
            .collect();
        let mut problems: Vec<String> = missing
            .iter()
            .map(|n| format!("token lacks the {n} category"))
            .collect();
        let read_only = claims.s & (1 << READ_ONLY_BIT) != 0;
        if read_only {
            problems.push("token is read-only".into());
        }
        Ok(Verification {
            ok: problems.is_empty(),
            problems,
            expires_at: DateTime::from_timestamp(claims.exp, 0).filter(|_| claims.exp > 0),
            scopes: scopes.into_iter().map(str::to_owned).collect(),
            account: Some(info.sid).filter(|s| !s.is_empty()),
            account_name: Some(info.name).filter(|s| !s.trim().is_empty()),
            shops: None,
            missing: (!missing.is_empty()).then_some(Missing::Scopes(missing)),
            read_only,
        })
    }

    async fn warehouses(&self) -> Result<Vec<Warehouse>> {
        let list: Vec<wire::WarehouseWire> =
            self.call(&ep::WB_WAREHOUSES, &[], &[], None::<&()>).await?;
        Ok(list
            .into_iter()
            .map(|w| Warehouse {
                id: w.id.to_string(),
                name: w.name,
                active: !w.is_deleting,
                marketplace_owned: false,
            })
            .collect())
    }

    async fn products(&self) -> Result<Vec<Product>> {
        let limit = ep::WB_CARDS.batch_max.unwrap_or(100) as i64;
        let mut out = Vec::new();
        let mut cursor = wire::CardsCursor {
            limit: Some(limit),
            ..Default::default()
        };
        for _ in 0..MAX_PAGES {
            let req = wire::CardsRequest {
                settings: wire::CardsSettings {
                    cursor: cursor.clone(),
                    filter: wire::CardsFilter { with_photo: -1 },
                },
            };
            let page: wire::CardsResponse = self.call(&ep::WB_CARDS, &[], &[], Some(&req)).await?;
            for card in page.cards {
                for size in card.sizes {
                    out.push(Product {
                        id: card.nm_id.to_string(),
                        vendor_code: card.vendor_code.clone(),
                        sku: Some(size.chrt_id.to_string()),
                        barcodes: size.skus,
                        name: if size.tech_size.is_empty() || size.tech_size == "0" {
                            card.title.clone()
                        } else {
                            format!("{} ({})", card.title, size.tech_size)
                        },
                        category: Some(card.subject_name.clone()).filter(|s| !s.is_empty()),
                    });
                }
            }
            if page.cursor.total < limit {
                break;
            }
            cursor = wire::CardsCursor {
                limit: Some(limit),
                updated_at: page.cursor.updated_at,
                nm_id: page.cursor.nm_id,
                total: 0,
            };
        }
        Ok(out)
    }

    async fn orders(&self, scheme: Scheme, cursor: OrderCursor) -> Result<OrderBatch> {
        let orders = match scheme {
            Scheme::Fbs => self.fbs_orders(cursor).await?,
            Scheme::Fbo => self.fbo_orders(cursor).await?,
            Scheme::Dbs => return Err(Error::Unsupported("WB DBS order listing")),
        };
        Ok(OrderBatch {
            orders,
            next: cursor.now,
        })
    }

    async fn cancel_reasons(&self, _order_id: &str) -> Result<Vec<CancelReason>> {
        // WB cancels FBS orders without a reason.
        Ok(Vec::new())
    }

    async fn act(&self, order: &Order, action: &OrderAction) -> Result<()> {
        let id = order_id(&order.id)?;
        match action {
            OrderAction::Confirm => {
                let supply = self.open_supply().await?;
                self.add_to_supply(&supply, &[id]).await
            }
            // Packing is physical at WB; the order stays `confirm` until its supply is delivered.
            OrderAction::Assemble => Ok(()),
            OrderAction::Ship => Err(Error::Unsupported(
                "shipping one WB order: deliver its supply",
            )),
            OrderAction::Cancel { .. } => {
                let cancel = move || async move {
                    self.call_empty(&ep::WB_ORDER_CANCEL, &[("orderId", &order.id)], None::<&()>)
                        .await
                };
                let cancelled = move || async move { self.all_have_status(&[id], "cancel").await };
                self.http.once(cancel, cancelled).await
            }
        }
    }

    async fn request_labels(&self, order_ids: &[String]) -> Result<Labels> {
        let ids = order_ids
            .iter()
            .map(|s| order_id(s))
            .collect::<Result<Vec<_>>>()?;
        let mut files = Vec::new();
        let mut printed = HashSet::new();
        for batch in ids.chunks(ep::WB_STICKERS.batch_max.unwrap_or(100)) {
            let (w, h) = self.sticker.mm();
            let q = [
                ("type", "png".to_owned()),
                ("width", w.to_string()),
                ("height", h.to_string()),
            ];
            let resp: wire::StickersResponse = self
                .call(
                    &ep::WB_STICKERS,
                    &[],
                    &q,
                    Some(&wire::OrderIds { orders: batch }),
                )
                .await?;
            for s in resp.stickers {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&s.file)
                    .map_err(|_| Error::Decode {
                        endpoint: ep::WB_STICKERS.name.into(),
                        path: "stickers[].file".into(),
                        message: "not base64".into(),
                    })?;
                printed.insert(s.order_id);
                files.push(LabelFile {
                    orders: vec![s.order_id.to_string()],
                    format: FileFormat::Png,
                    bytes,
                });
            }
        }
        let failed = ids
            .iter()
            .filter(|id| !printed.contains(id))
            .map(|id| {
                (
                    id.to_string(),
                    "not on assembly: add the order to a supply first".to_owned(),
                )
            })
            .collect();
        Ok(Labels::Ready { files, failed })
    }

    async fn poll_labels(&self, _token: &str) -> Result<Labels> {
        Err(Error::Unsupported(
            "pending WB labels (stickers are immediate)",
        ))
    }

    async fn stocks(&self, warehouse_id: &str, products: &[ProductRef]) -> Result<Vec<StockLevel>> {
        let by_chrt: HashMap<i64, &ProductRef> = products
            .iter()
            .map(|p| Ok((chrt_id(p)?, p)))
            .collect::<Result<_>>()?;
        let ids: Vec<i64> = by_chrt.keys().copied().collect();
        let mut out = Vec::new();
        for batch in ids.chunks(ep::WB_STOCKS_READ.batch_max.unwrap_or(1000)) {
            let resp: wire::Stocks = self
                .call(
                    &ep::WB_STOCKS_READ,
                    &[("warehouseId", warehouse_id)],
                    &[],
                    Some(&wire::ChrtIds { chrt_ids: batch }),
                )
                .await?;
            out.extend(resp.stocks.into_iter().filter_map(|s| {
                by_chrt.get(&s.chrt_id).map(|p| StockLevel {
                    warehouse_id: warehouse_id.to_owned(),
                    product: (*p).clone(),
                    present: s.amount,
                    reserved: 0,
                })
            }));
        }
        Ok(out)
    }

    async fn update_stocks(&self, updates: &[StockUpdate]) -> Result<Vec<ItemOutcome>> {
        let mut by_warehouse: BTreeMap<&str, Vec<&StockUpdate>> = BTreeMap::new();
        for u in updates {
            by_warehouse
                .entry(u.warehouse_id.as_str())
                .or_default()
                .push(u);
        }
        let mut out = Vec::with_capacity(updates.len());
        for (warehouse, items) in by_warehouse {
            for batch in items.chunks(ep::WB_STOCKS_UPDATE.batch_max.unwrap_or(1000)) {
                let stocks = batch
                    .iter()
                    .map(|u| {
                        Ok(wire::StockWire {
                            chrt_id: chrt_id(&u.product)?,
                            amount: u.amount.clamp(0, 100_000),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let url = self.url(&ep::WB_STOCKS_UPDATE, &[("warehouseId", warehouse)], &[])?;
                let body = serde_json::to_vec(&wire::Stocks { stocks })
                    .map_err(|e| Error::Invalid(e.to_string()))?;
                let mut req = Request::new(
                    &ep::WB_STOCKS_UPDATE,
                    url,
                    &self.cabinet,
                    self.headers(),
                    Some(body),
                );
                req.accept = &[409];
                let resp = self.http.send(req, map_error).await?;
                let mut failed: HashMap<i64, String> = HashMap::new();
                if resp.status == 409 {
                    let errors: Vec<wire::StockError> =
                        decode(ep::WB_STOCKS_UPDATE.name, &resp.body)?;
                    for e in errors {
                        for item in e.data.unwrap_or_default() {
                            failed.insert(item.chrt_id, format!("{}: {}", e.code, e.message));
                        }
                    }
                }
                for u in batch {
                    let error = chrt_id(&u.product)
                        .ok()
                        .and_then(|c| failed.get(&c).cloned());
                    out.push(ItemOutcome {
                        key: key(&u.product, warehouse),
                        error,
                    });
                }
            }
        }
        Ok(out)
    }

    /// FBO stock from the stocks report on WB warehouses (refreshed every 30 minutes), read
    /// without filters in pages of up to 250 000 rows (one row per size and warehouse), so a
    /// cabinet costs one request where the limit (3 a minute) allows little more. The
    /// report names cards by nmId only: the vendor codes come from the cards.
    async fn fbo_stocks(&self) -> Result<Vec<FboStock>> {
        let vendor_of: HashMap<String, String> = self
            .products()
            .await?
            .into_iter()
            .map(|p| (p.id, p.vendor_code))
            .collect();
        let mut out = Vec::new();
        let mut offset = 0;
        for _ in 0..MAX_PAGES {
            let req = wire::FboStocksRequest {
                limit: self.fbo_page,
                offset,
            };
            let page: wire::FboStocksResponse =
                self.call(&ep::WB_FBO_STOCKS, &[], &[], Some(&req)).await?;
            let rows = page.data.items.len() as u64;
            out.extend(page.data.items.into_iter().map(|r| {
                let id = r.nm_id.to_string();
                let sku = if r.chrt_id != 0 { r.chrt_id } else { r.nm_id };
                FboStock {
                    warehouse_id: r.warehouse_id.to_string(),
                    warehouse_name: r.warehouse_name,
                    product: ProductRef {
                        vendor_code: vendor_of.get(&id).cloned().unwrap_or_default(),
                        id,
                        sku: Some(sku.to_string()),
                    },
                    present: r.quantity,
                    reserved: r.in_way_to_client,
                }
            }));
            if rows < self.fbo_page {
                break;
            }
            offset += rows;
        }
        Ok(out)
    }

    async fn prices(&self) -> Result<Vec<PriceInfo>> {
        let limit = ep::WB_PRICES_LIST.batch_max.unwrap_or(1000);
        let mut out = Vec::new();
        for page_no in 0..MAX_PAGES {
            let q = [
                ("limit", limit.to_string()),
                ("offset", (page_no * limit).to_string()),
            ];
            let page: wire::GoodsList =
                self.call(&ep::WB_PRICES_LIST, &[], &q, None::<&()>).await?;
            let n = page.data.list_goods.len();
            out.extend(page.data.list_goods.into_iter().map(|g| {
                let size = g.sizes.first();
                let price = Money::from_rubles(size.map_or(0, |s| s.price));
                let after = size
                    .and_then(|s| Money::from_wire_f64(s.discounted_price))
                    .unwrap_or(price);
                PriceInfo {
                    product: ProductRef {
                        id: g.nm_id.to_string(),
                        vendor_code: g.vendor_code,
                        sku: None,
                    },
                    price,
                    price_after_discount: after,
                    discount_percent: g.discount,
                    min_price: None,
                    promo_price: size
                        .and_then(|s| Money::from_wire_f64(s.club_discounted_price))
                        .filter(|m| m.0 > 0 && *m != after),
                }
            }));
            if n < limit {
                break;
            }
        }
        Ok(out)
    }

    async fn update_prices(&self, updates: &[PriceUpdate]) -> Result<Vec<ItemOutcome>> {
        // Every batch is uploaded first, then each task polled until WB has processed it:
        // by then the earlier ones are usually done, so most need a single look.
        let mut tasks = Vec::new();
        for batch in updates.chunks(ep::WB_PRICES_UPLOAD.batch_max.unwrap_or(1000)) {
            let data = batch
                .iter()
                .map(|u| {
                    let nm_id = u
                        .product
                        .id
                        .parse()
                        .map_err(|_| Error::Invalid(format!("WB nmID {:?}", u.product.id)))?;
                    // WB takes the price before discount (whole roubles) and a discount in percent.
                    let before = u.old_price.filter(|o| o.0 > u.price.0).unwrap_or(u.price);
                    let discount = before.discount_percent(u.price);
                    Ok(wire::PriceTaskItem {
                        nm_id,
                        price: before.rubles_rounded(),
                        discount,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let created: wire::TaskCreated = self
                .call(
                    &ep::WB_PRICES_UPLOAD,
                    &[],
                    &[],
                    Some(&wire::PriceTask { data }),
                )
                .await?;
            let task = created
                .data
                .filter(|_| !created.error)
                .ok_or_else(|| Error::Api {
                    status: 200,
                    code: "upload_task".into(),
                    message: created.error_text.clone(),
                    endpoint: "",
                })?;
            tasks.push((batch, task.id, std::time::Instant::now()));
        }
        let mut out = Vec::with_capacity(updates.len());
        for (batch, id, uploaded) in tasks {
            let status = self.processed(id, uploaded).await?;
            let mut errors: HashMap<i64, String> = HashMap::new();
            if status == Some(5) || status == Some(6) {
                let mut offset = 0;
                loop {
                    let q = [
                        ("uploadID", id.to_string()),
                        ("limit", "1000".into()),
                        ("offset", offset.to_string()),
                    ];
                    let goods: wire::TaskGoods = self
                        .call(&ep::WB_PRICES_TASK_GOODS, &[], &q, None::<&()>)
                        .await?;
                    let list = goods.data.map(|d| d.history_goods).unwrap_or_default();
                    let n = list.len();
                    for g in list {
                        let text = g.error_text.unwrap_or_default();
                        if g.status == 3 || !text.is_empty() {
                            let e = if text.is_empty() {
                                "WB refused the price".to_owned()
                            } else {
                                text
                            };
                            errors.insert(g.nm_id, e);
                        }
                    }
                    offset += n;
                    if n < 1000 {
                        break;
                    }
                }
            }
            for u in batch {
                let nm: i64 = u.product.id.parse().unwrap_or_default();
                let error = errors
                    .get(&nm)
                    .cloned()
                    .or_else(|| (status == Some(4)).then(|| "WB cancelled the upload".to_owned()));
                out.push(ItemOutcome {
                    key: u.product.vendor_code.clone(),
                    error,
                });
            }
        }
        Ok(out)
    }

    async fn accruals(&self, _order_ids: &[String]) -> Result<Vec<Accrual>> {
        Err(Error::Unsupported(
            "WB accruals by order (its report is read as a feed)",
        ))
    }

    async fn forecast(&self, _order_id: &str) -> Result<Vec<Accrual>> {
        Err(Error::Unsupported("a forecast of an order's money on WB"))
    }

    async fn commission_rates(&self) -> Result<Vec<super::CommissionRate>> {
        self.rates().await
    }

    async fn finance_feed(&self, cursor: Option<&str>) -> Result<super::FinanceFeed> {
        let now = self.clock.now();
        // The cursor: the report's first day and the last row read.
        let (date_from, rrd_id) = cursor
            .and_then(|c| c.split_once('|'))
            .and_then(|(d, r)| Some((d.to_owned(), r.parse::<i64>().ok()?)))
            .unwrap_or_else(|| {
                let from = (now - Duration::days(FINANCE_FIRST_DAYS)).format("%Y-%m-%d");
                (from.to_string(), 0)
            });
        let req = wire::DetailedRequest {
            date_from: date_from.clone(),
            date_to: now.format("%Y-%m-%d").to_string(),
            limit: ep::WB_FINANCE_DETAILED.batch_max.unwrap_or(100_000) as i64,
            rrd_id,
            period: "daily",
        };
        let url = self.url(&ep::WB_FINANCE_DETAILED, &[], &[])?;
        let body = serde_json::to_vec(&req).map_err(|e| Error::Invalid(e.to_string()))?;
        // WB allows this report once a minute: a read whose turn has not come is left to
        // the next run rather than holding a lane for the minute.
        let mut request = Request::new(
            &ep::WB_FINANCE_DETAILED,
            url,
            &self.cabinet,
            self.headers(),
            Some(body),
        );
        request.no_wait = true;
        let resp = self.http.send(request, map_error).await?;
        let resume = format!("{date_from}|{rrd_id}");
        if resp.status == 204 || resp.body.is_empty() {
            return Ok(super::FinanceFeed {
                lines: Vec::new(),
                next: None,
                resume,
            });
        }
        let rows: Vec<wire::ReportRow> = decode(ep::WB_FINANCE_DETAILED.name, &resp.body)?;
        let mut lines = Vec::new();
        let mut last = rrd_id;
        for r in &rows {
            last = last.max(r.rrd_id);
            lines.extend(report_lines(r)?);
        }
        // Rows come in rrdId order over a window that may slide: the window starts a month
        // before the last row's day, so a late correction of an older day is still read.
        let next_from = rows
            .last()
            .and_then(|r| chrono::NaiveDate::parse_from_str(r.rr_date.get(..10)?, "%Y-%m-%d").ok())
            .map(|d| (d - Duration::days(30)).format("%Y-%m-%d").to_string())
            .filter(|d| d.as_str() > date_from.as_str())
            .unwrap_or(date_from);
        let next = format!("{next_from}|{last}");
        let full = rows.len() as i64 >= req.limit;
        Ok(super::FinanceFeed {
            lines,
            next: full.then(|| next.clone()),
            resume: next,
        })
    }
}

/// How far back a cabinet's first reading of the WB report goes.
const FINANCE_FIRST_DAYS: i64 = 90;

/// The lines of one row of WB's detailed report: for a sale (a return reverses each), the
/// retail amount, the commission WB kept (retail less what it pays for it), and any
/// logistics, penalty or extra payment on the row. Rows not about an order (storage,
/// deductions, acceptance) are the account's: lines with no order id, kept apart.
fn report_lines(r: &wire::ReportRow) -> Result<Vec<Accrual>> {
    use crate::domain::finance::Kind;
    let amount = |field: &'static str, s: &str| {
        if s.is_empty() {
            return Ok(Money::ZERO);
        }
        Money::from_wire_str(s).ok_or_else(|| Error::Decode {
            endpoint: ep::WB_FINANCE_DETAILED.name.into(),
            path: format!("[].{field}"),
            message: format!("{s:?} is not an amount"),
        })
    };
    let sign = match r.doc_type_name.as_str() {
        "Продажа" => 1,
        "Возврат" => -1,
        _ => 0,
    };
    let retail = amount("retailAmount", &r.retail_amount)?.0;
    let for_pay = amount("forPay", &r.for_pay)?.0;
    let date = Some(r.rr_date.chars().take(10).collect::<String>()).filter(|d| !d.is_empty());
    let mut out = Vec::new();
    if r.order_id == 0 {
        for (part, field, label, value) in [
            ("storage", "paidStorage", "Хранение", &r.paid_storage),
            ("deduction", "deduction", "Удержания", &r.deduction),
            (
                "acceptance",
                "paidAcceptance",
                "Операции на приёмке",
                &r.paid_acceptance,
            ),
        ] {
            let charged = amount(field, value)?.0;
            if charged != 0 {
                out.push(Accrual {
                    order_id: String::new(),
                    rid: None,
                    key: format!("{}:{part}", r.rrd_id),
                    kind: label.to_owned(),
                    class: Kind::Other,
                    amount: Money(-charged),
                    date: date.clone(),
                });
            }
        }
        return Ok(out);
    }
    let mut push = |part: &str, kind: &str, class: Kind, value: i64| {
        if value != 0 {
            out.push(Accrual {
                order_id: r.order_id.to_string(),
                rid: Some(r.srid.clone()).filter(|s| !s.is_empty()),
                key: format!("{}:{part}", r.rrd_id),
                kind: kind.to_owned(),
                class,
                amount: Money(value),
                date: date.clone(),
            });
        }
    };
    let oper = if r.seller_oper_name.is_empty() {
        r.doc_type_name.as_str()
    } else {
        r.seller_oper_name.as_str()
    };
    if sign != 0 {
        let class = if sign > 0 { Kind::Sale } else { Kind::Refund };
        push("sale", oper, class, sign * retail);
        push(
            "commission",
            "Вознаграждение WB",
            Kind::Commission,
            sign * (for_pay - retail),
        );
    }
    let logistics = amount("deliveryService", &r.delivery_service)?.0
        + amount("rebillLogisticCost", &r.rebill_logistic_cost)?.0;
    push("logistics", "Логистика", Kind::Logistics, -logistics);
    push(
        "penalty",
        "Штраф",
        Kind::Penalty,
        -amount("penalty", &r.penalty)?.0,
    );
    push(
        "extra",
        "Доплата",
        Kind::Other,
        amount("additionalPayment", &r.additional_payment)?.0,
    );
    Ok(out)
}
