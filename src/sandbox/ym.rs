//! The Yandex Market sandbox: the Partner API methods our client uses, with YM's paths,
//! the `Api-Key` header, `{"status","errors"}` bodies, 420 for exceeded limits, one
//! business with two campaigns (an FBS shop and an FBY shop), orders that move
//! `PROCESSING/STARTED → READY_TO_SHIP → SHIPPED → DELIVERY → DELIVERED`, labels as PDF,
//! stocks and prices stored at business level, and FBY stock on Market's warehouses for the
//! FBY campaign (the shared rule of `fbo.rs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::common::{
    Buckets, Emulator, Incoming, Recorder, Reply, Rng, ean13, label_pdf, product_name, serve,
    window,
};
use super::fbo;
use crate::clock::SharedClock;

/// The demo credentials the sandbox accepts.
pub const DEMO_API_KEY: &str = "ACMA:sandboxYmKey0123456789abcdef:7d2c9e41";
pub const DEMO_BUSINESS_ID: i64 = 7_001_234;
/// The two campaigns (shops) of the demo business: FBS and FBY.
pub const DEMO_CAMPAIGNS: [(i64, &str, &str); 2] = [
    (21_001_001, "romashka-fbs", "FBS"),
    (21_001_002, "romashka-fby", "FBY"),
];

/// How to seed the sandbox (shared by every sandbox).
pub use super::SeedOptions as Seed;

#[derive(Debug, Clone)]
struct Offer {
    offer_id: String,
    name: String,
    barcode: String,
    market_sku: i64,
    price: f64,
    discount_base: Option<f64>,
    updated: i64,
}

#[derive(Debug, Clone)]
struct Order {
    id: i64,
    campaign: i64,
    program: &'static str,
    status: &'static str,
    substatus: &'static str,
    created: i64,
    updated: i64,
    items: Vec<(usize, i64)>,
}

struct State {
    rng: Rng,
    orders_per_hour: u32,
    last_tick: i64,
    pending_orders: f64,
    warehouses: Vec<(i64, &'static str)>,
    offers: Vec<Offer>,
    stocks: BTreeMap<(i64, String), i64>,
    /// Offer positions by offer id.
    offer_index: HashMap<String, usize>,
    orders: Vec<Order>,
    next_order: i64,
    buckets: Buckets,
}

pub struct YmSandbox {
    clock: SharedClock,
    state: Mutex<State>,
    recorder: Recorder,
}

fn ts(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn date(secs: i64) -> String {
    ts(secs)[..10].to_owned()
}

fn parse_time(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp())
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::Json {
        status,
        body: json!({"status": "ERROR", "errors": [{"code": code, "message": message}]}),
        retry_after: None,
    }
}

fn ok(result: Value) -> Reply {
    Reply::ok(json!({"status": "OK", "result": result}))
}

fn paging(next: Option<usize>) -> Value {
    match next {
        Some(n) => json!({"nextPageToken": format!("p{n}")}),
        None => json!({}),
    }
}

fn page_params(req: &Incoming, max: usize) -> Result<(usize, usize), Reply> {
    let limit = match req.query("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=max).contains(l))
            .ok_or_else(|| error(400, "BAD_REQUEST", &format!("limit must be 1..{max}")))?,
        None => max,
    };
    let start = match req.query("pageToken") {
        Some(t) => t
            .strip_prefix('p')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| error(400, "BAD_REQUEST", "invalid pageToken"))?,
        None => 0,
    };
    Ok((start, limit))
}

impl YmSandbox {
    pub fn new(clock: SharedClock, seed: Seed) -> Arc<YmSandbox> {
        let now = clock.unix();
        let mut rng = Rng::new(seed.seed);
        let warehouses = vec![
            (55_001, "Склад Ромашка Москва"),
            (55_002, "Склад Ромашка Казань"),
            (55_003, "Склад Ромашка Екатеринбург"),
        ];
        let mut offers = Vec::new();
        let mut stocks = BTreeMap::new();
        for i in 0..seed.products {
            let price = (rng.below(4000) + 400) as f64;
            let offer_id = format!("YM-{:05}", i + 1);
            for (w, _) in &warehouses {
                stocks.insert((*w, offer_id.clone()), rng.below(30) as i64);
            }
            offers.push(Offer {
                offer_id,
                name: product_name(&mut rng),
                barcode: ean13(&mut rng),
                market_sku: 100_256_000_000 + i as i64,
                price,
                discount_base: (rng.below(2) == 0).then_some(price * 1.25),
                updated: now - 86_400,
            });
        }
        let offer_index = offers
            .iter()
            .enumerate()
            .map(|(i, o)| (o.offer_id.clone(), i))
            .collect();
        let mut st = State {
            rng,
            orders_per_hour: seed.orders_per_hour,
            last_tick: now,
            pending_orders: 0.0,
            warehouses,
            offers,
            stocks,
            offer_index,
            orders: Vec::new(),
            next_order: 51_000_000,
            buckets: Buckets::default(),
        };
        for (age, status, sub) in [
            (60, "DELIVERED", "DELIVERY_SERVICE_DELIVERED"),
            (20, "PROCESSING", "READY_TO_SHIP"),
            (3, "PROCESSING", "STARTED"),
            (1, "PROCESSING", "STARTED"),
        ] {
            st.new_order(now - age * 3600, DEMO_CAMPAIGNS[0].0, "FBS");
            if let Some(o) = st.orders.last_mut() {
                o.status = status;
                o.substatus = sub;
            }
        }
        st.new_order(now - 10 * 3600, DEMO_CAMPAIGNS[1].0, "FBY");
        Arc::new(YmSandbox {
            clock,
            state: Mutex::new(st),
            recorder: Recorder::new(seed.seed),
        })
    }

    pub async fn start(self: &Arc<Self>) -> std::io::Result<String> {
        serve(self.clone()).await
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every offer as the client refers to it, and the warehouse ids (benchmarks).
    pub fn catalogue(&self) -> (Vec<crate::marketplaces::ProductRef>, Vec<String>) {
        let st = self.lock();
        let refs = st
            .offers
            .iter()
            .map(|o| crate::marketplaces::ProductRef {
                id: o.offer_id.clone(),
                vendor_code: o.offer_id.clone(),
                sku: None,
            })
            .collect();
        (
            refs,
            st.warehouses.iter().map(|(w, _)| w.to_string()).collect(),
        )
    }

    /// Lists more goods as offers (with no stock yet).
    pub fn list_goods(&self, goods: &[super::common::Goods]) {
        let now = self.clock.unix();
        let mut st = self.lock();
        for g in goods {
            let i = st.offers.len() as i64;
            let at = st.offers.len();
            st.offer_index.insert(g.vendor_code.clone(), at);
            st.offers.push(Offer {
                offer_id: g.vendor_code.clone(),
                name: g.name.clone(),
                barcode: g.barcode.clone(),
                market_sku: 100_256_000_000 + i,
                price: 1_000.0,
                discount_base: None,
                updated: now - 3_600,
            });
        }
    }

    /// A new FBS order now; returns its id.
    /// What the Market has settled on an order by now, in kopecks (+ to the seller): its
    /// payment less its fees.
    pub fn accrued_total(&self, id: i64) -> i64 {
        let now = self.clock.unix();
        let mut st = self.lock();
        st.tick(now);
        let Some(o) = st.orders.iter().find(|o| o.id == id).cloned() else {
            return 0;
        };
        st.settled(&o, now).map_or(0, |(paid, fees)| {
            let k = |r: f64| (r * 100.0).round() as i64;
            k(paid) - fees.iter().map(|(_, a)| k(*a)).sum::<i64>()
        })
    }

    pub fn place_order(&self) -> i64 {
        let now = self.clock.unix();
        self.lock().new_order(now, DEMO_CAMPAIGNS[0].0, "FBS")
    }

    /// The buyer cancels an order still in processing; returns whether it was cancelled.
    pub fn cancel_as_buyer(&self, id: i64) -> bool {
        let now = self.clock.unix();
        let mut st = self.lock();
        match st.orders.iter_mut().find(|o| o.id == id) {
            Some(o) if o.status == "PROCESSING" => {
                o.status = "CANCELLED";
                o.substatus = "USER_CHANGED_MIND";
                o.updated = now;
                true
            }
            _ => false,
        }
    }

    /// "STATUS/SUBSTATUS" of an order.
    pub fn order_status(&self, id: i64) -> Option<String> {
        self.lock()
            .orders
            .iter()
            .find(|o| o.id == id)
            .map(|o| format!("{}/{}", o.status, o.substatus))
    }

    pub fn stock(&self, warehouse: i64, offer_id: &str) -> Option<i64> {
        self.lock()
            .stocks
            .get(&(warehouse, offer_id.to_owned()))
            .copied()
    }

    /// (price, discount base) of an offer.
    pub fn price(&self, offer_id: &str) -> Option<(f64, Option<f64>)> {
        self.lock()
            .offers
            .iter()
            .find(|o| o.offer_id == offer_id)
            .map(|o| (o.price, o.discount_base))
    }

    fn limit(&self, path: &str, cost: f64) -> Result<(), Reply> {
        let (name, burst, interval): (&str, u32, Duration) =
            if path.ends_with("/offers/stocks/update") {
                ("stocks-update", 50, Duration::from_millis(1200))
            } else if path.ends_with("/offer-prices/updates") {
                ("prices-update", 10_000, Duration::from_millis(6))
            } else if path.ends_with("/offer-mappings") {
                ("mappings", 100, Duration::from_millis(600))
            } else if path == "/v2/warehouses" {
                ("fby-warehouses", 100, Duration::from_secs(36))
            } else if path.starts_with("/v2/campaigns/") && path.ends_with("/offers/stocks") {
                // 100 000 offers a minute, counted by the offers of the answer.
                ("fby-stocks", 100_000, Duration::from_micros(600))
            } else if path.ends_with("/warehouses") {
                ("warehouses", 100, Duration::from_secs(36))
            } else {
                ("default", 10_000, Duration::from_millis(360))
            };
        self.lock().buckets.take(name, burst, interval, cost).map_err(|wait| Reply::Json {
            status: 420,
            body: json!({"status": "ERROR", "errors": [{"code": "HIT_RATE_LIMIT", "message": "Hit rate limit of the resource"}]}),
            retry_after: Some(wait.as_secs().max(1)),
        })
    }
}

impl State {
    fn new_order(&mut self, at: i64, campaign: i64, program: &'static str) -> i64 {
        self.next_order += 1;
        let n = 1 + self.rng.below(2) as usize;
        let mut items: Vec<(usize, i64)> = Vec::new();
        for _ in 0..n {
            let idx = self.rng.below(self.offers.len().max(1) as u64) as usize;
            if !items.iter().any(|(i, _)| *i == idx) {
                items.push((idx, 1 + self.rng.below(2) as i64));
            }
        }
        let (status, substatus) = if program == "FBY" {
            ("DELIVERY", "DELIVERY_SERVICE_RECEIVED")
        } else {
            ("PROCESSING", "STARTED")
        };
        self.orders.push(Order {
            id: self.next_order,
            campaign,
            program,
            status,
            substatus,
            created: at,
            updated: at,
            items,
        });
        self.next_order
    }

    fn tick(&mut self, now: i64) {
        if now <= self.last_tick {
            return;
        }
        let elapsed = now - self.last_tick;
        self.pending_orders += elapsed as f64 * f64::from(self.orders_per_hour) / 3600.0;
        let count = self.pending_orders.floor() as i64;
        self.pending_orders -= count as f64;
        for i in 0..count {
            self.new_order(
                self.last_tick + elapsed * (i + 1) / (count + 1),
                DEMO_CAMPAIGNS[0].0,
                "FBS",
            );
        }
        for o in &mut self.orders {
            let next = match (o.status, o.substatus) {
                ("PROCESSING", "SHIPPED") if now - o.updated > 12 * 3600 => {
                    ("DELIVERY", "DELIVERY_SERVICE_RECEIVED")
                }
                ("DELIVERY", _) if now - o.updated > 2 * 86_400 => {
                    ("DELIVERED", "DELIVERY_SERVICE_DELIVERED")
                }
                _ => continue,
            };
            (o.status, o.substatus) = next;
            o.updated = now;
        }
        self.last_tick = now;
    }

    fn order_json(&self, o: &Order) -> Value {
        let items: Vec<Value> = o
            .items
            .iter()
            .enumerate()
            .map(|(n, (idx, count))| {
                let of = &self.offers[*idx];
                json!({"id": o.id * 10 + n as i64, "offerId": of.offer_id, "offerName": of.name, "count": count,
                       "prices": {"payment": {"value": of.price, "currencyId": "RUR"}}})
            })
            .collect();
        let partner = if o.program == "FBY" {
            "YANDEX_MARKET"
        } else {
            "SHOP"
        };
        let mut delivery = json!({"type": "DELIVERY", "serviceName": "Доставка Маркета", "deliveryServiceId": 1_005_111,
                                  "deliveryPartnerType": partner, "dates": {"fromDate": date(o.created + 2 * 86_400)},
                                  "shipment": {"shipmentDate": date(o.created + 86_400)}});
        if o.program == "FBS" {
            delivery["warehouseId"] = json!(self.warehouses[0].0.to_string());
        }
        json!({"orderId": o.id, "campaignId": o.campaign, "programType": o.program, "status": o.status, "substatus": o.substatus,
               "creationDate": ts(o.created), "updateDate": ts(o.updated), "paymentType": "PREPAID", "paymentMethod": "YANDEX",
               "fake": false, "items": items, "delivery": delivery})
    }
}

impl Emulator for YmSandbox {
    fn place(&self, body: &Value) -> Option<String> {
        let (campaign, program) = match body["scheme"].as_str() {
            Some("fbo") => (DEMO_CAMPAIGNS[1].0, "FBY"),
            _ => (DEMO_CAMPAIGNS[0].0, "FBS"),
        };
        let now = self.clock.unix();
        Some(self.lock().new_order(now, campaign, program).to_string())
    }

    fn cancel_as_buyer(&self, id: &str) -> bool {
        id.parse()
            .is_ok_and(|id| YmSandbox::cancel_as_buyer(self, id))
    }

    fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    fn error(&self, status: u16, message: &str) -> Reply {
        let code = match status {
            420 | 429 => "HIT_RATE_LIMIT",
            401 => "UNAUTHORIZED",
            _ => "INTERNAL_ERROR",
        };
        let status = if status == 429 { 420 } else { status };
        error(status, code, message)
    }

    fn handle(&self, req: &Incoming) -> Reply {
        if req.header("api-key") != Some(DEMO_API_KEY) {
            return error(401, "UNAUTHORIZED", "Api-Key is missing or invalid");
        }
        if self.recorder.revoked() {
            return error(403, "FORBIDDEN", "Access denied: the Api-Key was revoked");
        }
        let body = if req.body.is_empty() {
            json!({})
        } else {
            match req.json() {
                Ok(v) => v,
                Err(_) => return error(400, "BAD_REQUEST", "Request body is not valid JSON"),
            }
        };
        let cost = if req.path.ends_with("/offer-prices/updates") {
            body["offers"].as_array().map_or(1, Vec::len) as f64
        } else if req.path.starts_with("/v2/campaigns/") && req.path.ends_with("/offers/stocks") {
            // At most a page of offers comes back.
            req.query("limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(50.0)
        } else {
            1.0
        };
        if let Err(r) = self.limit(&req.path, cost.max(1.0)) {
            return r;
        }
        let now = self.clock.unix();
        let mut st = self.lock();
        st.tick(now);
        let segs: Vec<&str> = req.path.trim_matches('/').split('/').collect();
        let business = DEMO_BUSINESS_ID.to_string();
        let campaign_ok = |c: &str| DEMO_CAMPAIGNS.iter().any(|(id, _, _)| id.to_string() == c);
        let result = match (req.method.as_str(), segs.as_slice()) {
            ("GET", ["v2", "campaigns"]) => {
                let list: Vec<Value> = DEMO_CAMPAIGNS
                    .iter()
                    .map(|(id, domain, placement)| json!({"id": id, "domain": domain, "clientId": 90_001, "placementType": placement,
                                                         "apiAvailability": "AVAILABLE", "business": {"id": DEMO_BUSINESS_ID, "name": "ООО «Ромашка»"}}))
                    .collect();
                Ok(Reply::ok(json!({"campaigns": list, "pager": {"total": list.len(), "from": 1, "to": list.len(), "currentPage": 1, "pagesCount": 1, "pageSize": 100}, "paging": {}})))
            }
            (_, ["v1" | "v2" | "v3", "businesses", b, ..]) if *b != business => Err(error(403, "FORBIDDEN", "Access denied to this business")),
            (_, ["v2", "campaigns", c, ..]) if !campaign_ok(c) => Err(error(403, "FORBIDDEN", "Access denied to this campaign")),
            ("POST", ["v3", "businesses", _, "warehouses"]) => page_params(req, 30).map(|(start, limit)| {
                let all: Vec<Value> = st
                    .warehouses
                    .iter()
                    .map(|(id, name)| json!({"id": id, "name": name, "models": [{"placementType": "FBS", "apiAvailability": "AVAILABLE"}]}))
                    .collect();
                let (page, next) = window(all, start, limit, |v| v);
                ok(json!({"warehouses": page, "paging": paging(next)}))
            }),
            ("POST", ["v2", "businesses", _, "offer-mappings"]) => page_params(req, 100).map(|(start, limit)| {
                let all: Vec<&Offer> = st.offers.iter().collect();
                let (page, next) = window(all, start, limit, |o| json!({"offer": {"offerId": o.offer_id, "name": o.name, "category": "Товары для дома", "barcodes": [o.barcode], "vendor": "Ромашка"},
                                    "mapping": {"marketSku": o.market_sku, "marketSkuName": o.name, "marketCategoryId": 90_401, "marketCategoryName": "Товары для дома"}}));
                ok(json!({"offerMappings": page, "paging": paging(next)}))
            }),
            ("POST", ["v1", "businesses", _, "orders"]) => orders(&st, req, &body, now),
            ("POST", ["v2", "campaigns", c, "orders", "status-update"]) => status_update(&mut st, c, &body, now),
            ("GET", ["v2", "campaigns", c, "orders", id, "delivery", "labels"]) => label(&st, c, id, req),
            ("POST", ["v3", "businesses", _, "offers", "stocks", "update"]) => stocks_update(&mut st, &body),
            ("POST", ["v3", "businesses", _, "offers", "stocks"]) => stocks_read(&st, req, &body),
            ("POST", ["v2", "businesses", _, "offer-prices", "updates"]) => prices_update(&mut st, &body, now),
            ("POST", ["v2", "businesses", _, "offer-prices"]) => page_params(req, 500).map(|(start, limit)| {
                let all: Vec<&Offer> = st.offers.iter().collect();
                let (page, next) = window(all, start, limit, |o| {
                        let mut price = json!({"value": o.price, "currencyId": "RUR", "updatedAt": ts(o.updated)});
                        if let Some(b) = o.discount_base {
                            price["discountBase"] = json!(b);
                        }
                        json!({"offerId": o.offer_id, "price": price})
                    });
                ok(json!({"offers": page, "paging": paging(next)}))
            }),
            ("POST", ["v2", "campaigns", c, "stats", "orders"]) => stats(&st, c, req, &body, now),
            ("POST", ["v2", "campaigns", c, "offers", "stocks"]) => fby_stocks(&st, c, req, &body),
            ("GET", ["v2", "warehouses"]) => match req.query("campaignId") {
                None => Ok(ok(fbo::ym_warehouses(true))),
                Some(c) if campaign_ok(c) => Ok(ok(fbo::ym_warehouses(is_fby(c)))),
                Some(_) => Err(error(403, "FORBIDDEN", "Access denied to this campaign")),
            },
            _ => Err(error(404, "NOT_FOUND", "Resource not found")),
        };
        result.unwrap_or_else(|r| r)
    }
}

fn orders(st: &State, req: &Incoming, body: &Value, now: i64) -> Result<Reply, Reply> {
    let (start, limit) = page_params(req, 50)?;
    let ids: Vec<i64> = body["orderIds"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    if ids.len() > 50 {
        return Err(error(400, "BAD_REQUEST", "orderIds: at most 50"));
    }
    let programs: Vec<&str> = body["programTypes"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let from = body["dates"]["updateDateFrom"]
        .as_str()
        .and_then(parse_time);
    let to = body["dates"]["updateDateTo"]
        .as_str()
        .and_then(parse_time)
        .unwrap_or(now);
    if let Some(f) = from
        && to - f > 30 * 86_400
    {
        return Err(error(
            400,
            "BAD_REQUEST",
            "The period may not exceed 30 days",
        ));
    }
    let list: Vec<&Order> = st
        .orders
        .iter()
        .filter(|o| ids.is_empty() || ids.contains(&o.id))
        .filter(|o| programs.is_empty() || programs.contains(&o.program))
        .filter(|o| from.is_none_or(|f| o.updated >= f && o.updated <= to))
        .collect();
    let (page, next) = window(list, start, limit, |o| st.order_json(o));
    Ok(Reply::ok(json!({"orders": page, "paging": paging(next)})))
}

fn status_update(st: &mut State, campaign: &str, body: &Value, now: i64) -> Result<Reply, Reply> {
    let items = body["orders"]
        .as_array()
        .ok_or_else(|| error(400, "BAD_REQUEST", "orders are required"))?
        .clone();
    if items.is_empty() || items.len() > 30 {
        return Err(error(400, "BAD_REQUEST", "orders: from 1 to 30"));
    }
    let campaign: i64 = campaign.parse().unwrap_or_default();
    let mut result = Vec::new();
    for item in items {
        let id = item["id"]
            .as_i64()
            .ok_or_else(|| error(400, "BAD_REQUEST", "id is required"))?;
        let want = (
            item["status"].as_str().unwrap_or_default(),
            item["substatus"].as_str().unwrap_or_default(),
        );
        let Some(o) = st
            .orders
            .iter_mut()
            .find(|o| o.id == id && o.campaign == campaign)
        else {
            result.push(
                json!({"id": id, "updateStatus": "ERROR", "errorDetails": "Order not found"}),
            );
            continue;
        };
        let allowed = matches!(
            (o.status, o.substatus, want),
            (
                "PROCESSING",
                "STARTED",
                ("PROCESSING", "STARTED" | "READY_TO_SHIP")
            ) | (
                "PROCESSING",
                "READY_TO_SHIP",
                ("PROCESSING", "SHIPPED" | "READY_TO_SHIP")
            ) | (
                "PROCESSING",
                "STARTED" | "READY_TO_SHIP",
                ("CANCELLED", "SHOP_FAILED")
            )
        );
        if !allowed {
            result.push(json!({"id": id, "status": o.status, "substatus": o.substatus, "updateStatus": "ERROR",
                               "errorDetails": format!("Status {}/{} can not be changed to {}/{}", o.status, o.substatus, want.0, want.1)}));
            continue;
        }
        let known = ["PROCESSING", "CANCELLED"]
            .iter()
            .find(|s| **s == want.0)
            .copied()
            .unwrap_or("PROCESSING");
        let sub = ["STARTED", "READY_TO_SHIP", "SHIPPED", "SHOP_FAILED"]
            .iter()
            .find(|s| **s == want.1)
            .copied()
            .unwrap_or("STARTED");
        o.status = known;
        o.substatus = sub;
        o.updated = now;
        result.push(
            json!({"id": id, "status": o.status, "substatus": o.substatus, "updateStatus": "OK"}),
        );
    }
    Ok(ok(json!({"orders": result})))
}

fn label(st: &State, campaign: &str, id: &str, req: &Incoming) -> Result<Reply, Reply> {
    if let Some(f) = req.query("format")
        && !["A9_HORIZONTALLY", "A9", "A7", "A4"].contains(&f)
    {
        return Err(error(400, "BAD_REQUEST", "Unknown label format"));
    }
    let id: i64 = id
        .parse()
        .map_err(|_| error(400, "BAD_REQUEST", "orderId must be a number"))?;
    let o = st
        .orders
        .iter()
        .find(|o| o.id == id && o.campaign.to_string() == campaign)
        .ok_or_else(|| error(404, "NOT_FOUND", "Order not found"))?;
    if o.status != "PROCESSING" {
        return Err(error(
            400,
            "BAD_REQUEST",
            "Labels are available only for orders in PROCESSING",
        ));
    }
    let pdf = label_pdf(&[vec![
        "YANDEX MARKET".into(),
        format!("order {}", o.id),
        format!("campaign {}", o.campaign),
    ]]);
    Ok(Reply::Bytes {
        status: 200,
        content_type: "application/pdf",
        body: pdf,
    })
}

fn stocks_update(st: &mut State, body: &Value) -> Result<Reply, Reply> {
    let items = body["skuItems"]
        .as_array()
        .ok_or_else(|| error(400, "BAD_REQUEST", "skuItems are required"))?
        .clone();
    if items.is_empty() || items.len() > 2000 {
        return Err(error(400, "BAD_REQUEST", "skuItems: from 1 to 2000"));
    }
    let mut unknown = Vec::new();
    let mut updates = Vec::new();
    for i in &items {
        let sku = i["sku"].as_str().unwrap_or_default().to_owned();
        let wh = i["partnerWarehouseId"].as_i64().unwrap_or_default();
        let count = i["count"].as_i64().unwrap_or(-1);
        if !(0..=2_000_000_000).contains(&count) {
            return Err(error(
                400,
                "BAD_REQUEST",
                &format!("count of {sku} is out of range"),
            ));
        }
        if !st.offer_index.contains_key(&sku) || !st.warehouses.iter().any(|(w, _)| *w == wh) {
            unknown.push(sku);
        } else {
            updates.push(((wh, sku), count));
        }
    }
    if !unknown.is_empty() {
        // YM refuses the whole request and names the offers it does not know.
        return Err(error(
            400,
            "OFFER_NOT_FOUND",
            &format!("Unknown offers or warehouses: {}", unknown.join(", ")),
        ));
    }
    st.stocks.extend(updates);
    Ok(Reply::ok(json!({"status": "OK"})))
}

fn stocks_read(st: &State, req: &Incoming, body: &Value) -> Result<Reply, Reply> {
    let (start, limit) = page_params(req, 100)?;
    let wh = body["partnerWarehouseId"]
        .as_i64()
        .ok_or_else(|| error(400, "BAD_REQUEST", "partnerWarehouseId is required"))?;
    let wanted: Vec<&str> = body["offerIds"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if wanted.len() > 500 {
        return Err(error(400, "BAD_REQUEST", "offerIds: at most 500"));
    }
    let reserved: HashMap<&str, i64> = st
        .orders
        .iter()
        .filter(|o| o.status == "PROCESSING")
        .flat_map(|o| o.items.iter())
        .fold(HashMap::new(), |mut m, (idx, c)| {
            *m.entry(st.offers[*idx].offer_id.as_str()).or_default() += c;
            m
        });
    let list: Vec<(&Offer, i64)> = st
        .offers
        .iter()
        .filter(|o| wanted.is_empty() || wanted.contains(&o.offer_id.as_str()))
        .filter_map(|o| st.stocks.get(&(wh, o.offer_id.clone())).map(|n| (o, *n)))
        .collect();
    let (page, next) = window(list, start, limit, |(o, n)| {
        let freeze = reserved
            .get(o.offer_id.as_str())
            .copied()
            .unwrap_or(0)
            .min(n);
        json!({"offerId": o.offer_id, "updatedAt": ts(o.updated), "stocks": [
            {"type": "FIT", "count": n}, {"type": "FREEZE", "count": freeze}, {"type": "AVAILABLE", "count": n - freeze}]})
    });
    Ok(ok(
        json!({"partnerWarehouseId": wh, "offers": page, "paging": paging(next)}),
    ))
}

/// Whether a campaign of the demo business works with Market's warehouses (FBY).
fn is_fby(campaign: &str) -> bool {
    DEMO_CAMPAIGNS
        .iter()
        .any(|(id, _, placement)| id.to_string() == campaign && *placement == "FBY")
}

/// Stocks of a campaign (`POST /v2/campaigns/{c}/offers/stocks`): on the FBY campaign, its
/// offers on Market's warehouses by the shared rule of `fbo.rs`; the FBS shop has no
/// warehouse groups, so nothing here.
fn fby_stocks(st: &State, campaign: &str, req: &Incoming, body: &Value) -> Result<Reply, Reply> {
    let offers: Vec<&str> = if is_fby(campaign) {
        st.offers.iter().map(|o| o.offer_id.as_str()).collect()
    } else {
        Vec::new()
    };
    fbo::ym_stocks(&offers, req, body)
        .map(ok)
        .map_err(|m| error(400, "BAD_REQUEST", &m))
}

fn prices_update(st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let items = body["offers"]
        .as_array()
        .ok_or_else(|| error(400, "BAD_REQUEST", "offers are required"))?
        .clone();
    if items.is_empty() || items.len() > 500 {
        return Err(error(400, "BAD_REQUEST", "offers: from 1 to 500"));
    }
    for i in &items {
        let id = i["offerId"].as_str().unwrap_or_default();
        let value = i["price"]["value"].as_f64().unwrap_or(0.0);
        if value <= 0.0 {
            return Err(error(
                400,
                "INVALID_PRICE",
                &format!("price of {id} must be positive"),
            ));
        }
        if i["price"]["discountBase"]
            .as_f64()
            .is_some_and(|b| b <= value)
        {
            return Err(error(
                400,
                "INVALID_DISCOUNT_BASE",
                &format!("discountBase of {id} must exceed the price"),
            ));
        }
        if !st.offer_index.contains_key(id) {
            return Err(error(
                400,
                "OFFER_NOT_FOUND",
                &format!("Unknown offer {id}"),
            ));
        }
    }
    for i in items {
        let id = i["offerId"].as_str().unwrap_or_default();
        if let Some(o) = st
            .offer_index
            .get(id)
            .copied()
            .and_then(|i| st.offers.get_mut(i))
        {
            o.price = i["price"]["value"].as_f64().unwrap_or(o.price);
            o.discount_base = i["price"]["discountBase"].as_f64();
            o.updated = now;
        }
    }
    Ok(Reply::ok(json!({"status": "OK"})))
}

/// Days after delivery before the Market's statistics carry an order's payment and fees.
pub const SETTLE_DAYS: i64 = 2;
/// The Market's fee, percent of the buyer's price, and its delivery charge in roubles.
const YM_FEE_PERCENT: f64 = 12.0;
const YM_DELIVERY: f64 = 99.0;

impl State {
    /// The fees the Market bills an order when it is created, in roubles (none for an
    /// order cancelled before delivery).
    fn fees(&self, o: &Order) -> Vec<(&'static str, f64)> {
        if o.status == "CANCELLED" {
            return Vec::new();
        }
        let total: f64 = o
            .items
            .iter()
            .map(|(idx, c)| self.offers[*idx].price * *c as f64)
            .sum();
        let fee = (total * YM_FEE_PERCENT).round() / 100.0;
        vec![("FEE", fee), ("DELIVERY_TO_CUSTOMER", YM_DELIVERY)]
    }

    /// (payment, fees) the Market has settled on an order by `now`, in roubles; `None`
    /// until it is delivered and settled.
    fn settled(&self, o: &Order, now: i64) -> Option<(f64, Vec<(&'static str, f64)>)> {
        if o.status != "DELIVERED" || now < o.updated + SETTLE_DAYS * 86_400 {
            return None;
        }
        let total: f64 = o
            .items
            .iter()
            .map(|(idx, c)| self.offers[*idx].price * *c as f64)
            .sum();
        Some((total, self.fees(o)))
    }
}

fn stats(
    st: &State,
    campaign: &str,
    req: &Incoming,
    body: &Value,
    now: i64,
) -> Result<Reply, Reply> {
    let (start, limit) = page_params(req, 200)?;
    let wanted: Vec<i64> = body["orders"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let list: Vec<Value> = st
        .orders
        .iter()
        .filter(|o| o.campaign.to_string() == campaign && (wanted.is_empty() || wanted.contains(&o.id)))
        .map(|o| {
            let total: f64 = o.items.iter().map(|(idx, c)| st.offers[*idx].price * *c as f64).sum();
            let delivered = o.status == "DELIVERED";
            let items: Vec<Value> = o
                .items
                .iter()
                .map(|(idx, c)| {
                    let of = &st.offers[*idx];
                    json!({"offerName": of.name, "marketSku": of.market_sku, "shopSku": of.offer_id, "count": c,
                           "prices": [{"type": "BUYER", "costPerItem": of.price, "total": of.price * *c as f64}]})
                })
                .collect();
            let settled = st.settled(o, now);
            let payments: Vec<Value> = match &settled {
                Some(_) => vec![json!({"id": format!("pay-{}", o.id), "date": date(o.updated + SETTLE_DAYS * 86_400),
                                       "type": "PAYMENT", "source": "MARKETPLACE", "total": total})],
                None => vec![],
            };
            // Billed at creation, settled with the payment.
            let commissions: Vec<Value> = settled
                .map_or_else(|| st.fees(o), |(_, fees)| fees)
                .into_iter()
                .map(|(t, a)| json!({"type": t, "actual": a}))
                .collect();
            json!({"id": o.id, "creationDate": date(o.created), "statusUpdateDate": ts(o.updated),
                   "status": if delivered { "DELIVERED" } else { "PROCESSING" }, "paymentType": "PREPAID", "fake": false,
                   "items": items, "payments": payments, "commissions": commissions, "currency": "RUR"})
        })
        .collect();
    let (page, next) = window(list, start, limit, |v| v);
    Ok(ok(json!({"orders": page, "paging": paging(next)})))
}
