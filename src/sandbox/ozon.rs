//! The Ozon Seller API sandbox: a stateful emulator of the methods our client uses, with
//! Ozon's paths, `Client-Id`/`Api-Key` auth, request checks, error bodies
//! (`{"code","message","details"}`), rate limits (50 rps per Client-Id, stocks 80/min,
//! the same product-warehouse pair once per 30 s) and postings that move through Ozon's
//! FBS statuses when the client acts and by themselves as the clock moves. FBO stock on
//! Ozon's warehouses follows the shared rule of `fbo.rs`.

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
pub const DEMO_CLIENT_ID: &str = "100500";
pub const DEMO_API_KEY: &str = "0b7f3e2a-5c1d-4e8b-9a6f-ozonsandbox01";

/// How to seed the sandbox (shared by every sandbox).
pub use super::SeedOptions as Seed;

const PATHS: &[&str] = &[
    "/v1/roles",
    "/v2/warehouse/list",
    "/v3/product/list",
    "/v3/product/info/list",
    "/v4/posting/fbs/list",
    "/v3/posting/fbs/get",
    "/v3/posting/fbo/list",
    "/v4/posting/fbs/ship",
    "/v2/posting/fbs/cancel",
    "/v2/posting/fbs/cancel-reason/list",
    "/v3/posting/fbs/package-label/create",
    "/v2/posting/fbs/package-label/get",
    "/v2/product/info/stocks-by-warehouse/fbs",
    "/v2/products/stocks",
    "/v5/product/info/prices",
    "/v1/product/import/prices",
    "/v1/finance/accrual/postings",
    "/v1/finance/accrual/types",
    "/v1/analytics/stocks",
];

/// Seller cancellation reasons (`type_id` "seller" may be used by the seller).
const CANCEL_REASONS: &[(i64, &str, &str, bool)] = &[
    (352, "Товар закончился на складе продавца", "seller", true),
    (400, "Остался только бракованный товар", "seller", true),
    (401, "Отмена из арбитража", "seller", false),
    (402, "Другое (вина продавца)", "seller", true),
    (665, "Покупатель не забрал заказ", "buyer", false),
];

#[derive(Debug, Clone)]
struct Warehouse {
    id: i64,
    name: String,
    is_rfbs: bool,
}

#[derive(Debug, Clone)]
struct Product {
    product_id: i64,
    offer_id: String,
    sku: i64,
    name: String,
    barcodes: Vec<String>,
    category_id: i64,
    price: i64,
    old_price: i64,
    min_price: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Fbs,
    Fbo,
}

#[derive(Debug, Clone)]
struct Posting {
    posting_number: String,
    order_id: i64,
    order_number: String,
    scheme: Scheme,
    status: &'static str,
    substatus: &'static str,
    created: i64,
    changed: i64,
    ship_by: i64,
    warehouse_id: i64,
    items: Vec<(usize, i64)>,
    cancel: Option<(i64, String, &'static str)>,
    assembled_at: Option<i64>,
    /// A status the published spec does not list, reported instead of `status` (how a
    /// marketplace introducing a new status looks to a client).
    unlisted: Option<String>,
}

impl Posting {
    /// The status as the API reports it.
    fn reported(&self) -> &str {
        self.unlisted.as_deref().unwrap_or(self.status)
    }
}

#[derive(Debug, Clone)]
struct LabelTask {
    id: i64,
    postings: Vec<String>,
    created: i64,
    /// Times it was asked for: Ozon answers "in progress" at least once.
    polls: u32,
}

struct State {
    rng: Rng,
    orders_per_hour: u32,
    last_tick: i64,
    pending_orders: f64,
    warehouses: Vec<Warehouse>,
    products: Vec<Product>,
    stocks: BTreeMap<(i64, i64), i64>,
    postings: Vec<Posting>,
    tasks: Vec<LabelTask>,
    next_order: i64,
    next_task: i64,
    /// When each product and warehouse pair was last set (the sandbox clock).
    stock_touched: HashMap<(i64, i64), i64>,
    /// When each product's price was updated (the sandbox clock): Ozon takes at most 10 an hour.
    price_touched: HashMap<i64, Vec<i64>>,
    /// Product positions by offer_id and by product_id.
    by_offer: HashMap<String, usize>,
    by_id: HashMap<i64, usize>,
    buckets: Buckets,
    /// Methods the key lacks (to emulate a key with too few roles).
    missing_methods: Vec<String>,
    expires_at: i64,
}

/// A running Ozon sandbox.
pub struct OzonSandbox {
    clock: SharedClock,
    state: Mutex<State>,
    recorder: Recorder,
    base_url: Mutex<String>,
}

fn ts(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_ts(v: &Value) -> Option<i64> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.timestamp())
}

fn money(k: i64) -> String {
    if k % 100 == 0 {
        format!("{}", k / 100)
    } else {
        format!("{}.{:02}", k / 100, k % 100)
    }
}

impl OzonSandbox {
    /// Builds a seeded sandbox (not yet serving).
    pub fn new(clock: SharedClock, seed: Seed) -> Arc<OzonSandbox> {
        let now = clock.unix();
        let mut rng = Rng::new(seed.seed);
        let warehouses = vec![
            Warehouse {
                id: 1_020_000_011_001,
                name: "Склад Москва (FBS)".into(),
                is_rfbs: false,
            },
            Warehouse {
                id: 1_020_000_011_002,
                name: "Склад Казань (FBS)".into(),
                is_rfbs: false,
            },
            Warehouse {
                id: 1_020_000_011_003,
                name: "Склад Екатеринбург (rFBS)".into(),
                is_rfbs: true,
            },
        ];
        let mut products = Vec::with_capacity(seed.products);
        let mut stocks = BTreeMap::new();
        for i in 0..seed.products {
            let price =
                (rng.below(5000) as i64 + 300) * 100 + if rng.below(3) == 0 { 50 } else { 0 };
            let p = Product {
                product_id: 180_000_000 + i as i64,
                offer_id: format!("ART-{:05}", i + 1),
                sku: 1_500_000_000 + (i as i64) * 7,
                name: product_name(&mut rng),
                barcodes: vec![ean13(&mut rng)],
                category_id: 17_028_900 + rng.below(20) as i64,
                price,
                old_price: price + price / 5,
                min_price: price * 8 / 10,
            };
            for w in &warehouses {
                stocks.insert((p.product_id, w.id), rng.below(60) as i64);
            }
            products.push(p);
        }
        let by_offer = products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.offer_id.clone(), i))
            .collect();
        let by_id = products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.product_id, i))
            .collect();
        let mut state = State {
            rng,
            orders_per_hour: seed.orders_per_hour,
            last_tick: now,
            pending_orders: 0.0,
            warehouses,
            products,
            stocks,
            postings: Vec::new(),
            tasks: Vec::new(),
            next_order: 37_852_100,
            next_task: 5_000_000,
            stock_touched: HashMap::new(),
            price_touched: HashMap::new(),
            by_offer,
            by_id,
            buckets: Buckets::default(),
            missing_methods: Vec::new(),
            expires_at: now + 180 * 86_400,
        };
        // A few recent orders in every status, so a fresh cabinet has something to show.
        for (age_h, status) in [
            (30, "delivered"),
            (26, "delivering"),
            (20, "awaiting_deliver"),
            (3, "awaiting_packaging"),
            (1, "awaiting_packaging"),
        ] {
            state.new_posting(now - age_h * 3600, Scheme::Fbs);
            if let Some(p) = state.postings.last_mut() {
                p.status = status;
                if status != "awaiting_packaging" {
                    p.assembled_at = Some(p.created + 3600);
                }
            }
        }
        state.new_posting(now - 5 * 3600, Scheme::Fbo);
        Arc::new(OzonSandbox {
            clock,
            state: Mutex::new(state),
            recorder: Recorder::new(seed.seed),
            base_url: Mutex::new(String::new()),
        })
    }

    /// Starts serving on loopback; returns the base URL.
    pub async fn start(self: &Arc<Self>) -> std::io::Result<String> {
        let url = serve(self.clone()).await?;
        *self.base_url.lock().unwrap_or_else(|e| e.into_inner()) = url.clone();
        Ok(url)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// Every product as the client refers to it, and the FBS warehouse ids (benchmarks).
    pub fn catalogue(&self) -> (Vec<crate::marketplaces::ProductRef>, Vec<String>) {
        let st = self.lock();
        let refs = st
            .products
            .iter()
            .map(|p| crate::marketplaces::ProductRef {
                id: p.product_id.to_string(),
                vendor_code: p.offer_id.clone(),
                sku: None,
            })
            .collect();
        (
            refs,
            st.warehouses.iter().map(|w| w.id.to_string()).collect(),
        )
    }

    /// A buyer orders `quantity` of one offer now (FBS); returns the posting number.
    pub fn place_order_for(&self, offer_id: &str, quantity: i64) -> Option<String> {
        let now = self.clock.unix();
        let mut st = self.lock();
        let idx = *st.by_offer.get(offer_id)?;
        let number = st.new_posting(now, Scheme::Fbs);
        if let Some(p) = st.postings.last_mut() {
            p.items = vec![(idx, quantity)];
        }
        Some(number)
    }

    /// Lists more goods (with no stock yet); returns their offer ids.
    pub fn list_goods(&self, goods: &[super::common::Goods]) -> Vec<String> {
        let mut st = self.lock();
        let mut out = Vec::new();
        for g in goods {
            let i = st.products.len() as i64;
            let p = Product {
                product_id: 180_000_000 + i,
                offer_id: g.vendor_code.clone(),
                sku: 1_500_000_000 + i * 7,
                name: g.name.clone(),
                barcodes: vec![g.barcode.clone()],
                category_id: 17_028_900,
                price: 100_000,
                old_price: 120_000,
                min_price: 80_000,
            };
            let idx = st.products.len();
            st.by_offer.insert(p.offer_id.clone(), idx);
            st.by_id.insert(p.product_id, idx);
            out.push(p.offer_id.clone());
            st.products.push(p);
        }
        out
    }

    /// Makes the key lack access to these methods (paths).
    pub fn restrict_key(&self, missing: &[&str]) {
        self.lock().missing_methods = missing.iter().map(|s| (*s).to_owned()).collect();
    }

    /// Stock of an offer in a warehouse, as stored.
    pub fn stock(&self, offer_id: &str, warehouse_id: i64) -> Option<i64> {
        let st = self.lock();
        let p = st.products.iter().find(|p| p.offer_id == offer_id)?;
        st.stocks.get(&(p.product_id, warehouse_id)).copied()
    }

    /// Price (kopecks) of an offer, as stored: (price, old_price).
    pub fn price(&self, offer_id: &str) -> Option<(i64, i64)> {
        let st = self.lock();
        st.products
            .iter()
            .find(|p| p.offer_id == offer_id)
            .map(|p| (p.price, p.old_price))
    }

    /// Status of a posting.
    pub fn posting_status(&self, posting_number: &str) -> Option<String> {
        self.lock()
            .postings
            .iter()
            .find(|p| p.posting_number == posting_number)
            .map(|p| p.status.to_owned())
    }

    /// What Ozon has accrued on a posting by now, in kopecks (+ to the seller): what a
    /// client reading its accruals must come to.
    pub fn accrued_total(&self, posting_number: &str) -> Option<i64> {
        let now = self.clock.unix();
        let mut st = self.lock();
        st.tick(now);
        let p = st
            .postings
            .iter()
            .find(|p| p.posting_number == posting_number)?
            .clone();
        Some(st.accrued(&p, now).iter().map(|a| a.1).sum())
    }

    /// For benchmarks: `n` FBS postings made at `at` and delivered the same moment (their
    /// accruals due [`ACCRUAL_DAYS`] later); returns each number with its total in kopecks.
    pub fn delivered_postings(&self, n: usize, at: i64) -> Vec<(String, i64)> {
        let mut st = self.lock();
        (0..n)
            .map(|_| {
                let number = st.new_posting(at, Scheme::Fbs);
                let p = st.postings.last_mut().expect("just made");
                p.status = "delivered";
                p.substatus = "";
                let items = p.items.clone();
                let total = items
                    .iter()
                    .map(|(idx, q)| st.products[*idx].price * q)
                    .sum();
                (number, total)
            })
            .collect()
    }

    /// Creates a new FBS posting now (as a buyer would); returns its number.
    pub fn place_order(&self) -> String {
        let now = self.clock.unix();
        let mut st = self.lock();
        st.new_posting(now, Scheme::Fbs)
    }

    /// The buyer cancels a posting (as they may until it is handed over); returns whether
    /// it was cancelled.
    pub fn cancel_as_buyer(&self, posting_number: &str) -> bool {
        let now = self.clock.unix();
        let mut st = self.lock();
        let Some(p) = st
            .postings
            .iter_mut()
            .find(|p| p.posting_number == posting_number)
        else {
            return false;
        };
        if matches!(p.status, "cancelled" | "delivered" | "delivering") {
            return false;
        }
        p.status = "cancelled";
        p.substatus = "posting_canceled";
        p.changed = now;
        p.cancel = Some((665, "Покупатель отменил заказ".into(), "Клиент"));
        true
    }

    /// The marketplace starts reporting a posting in a status its spec does not list (or,
    /// with `None`, in its own again); returns whether the posting exists.
    pub fn report_unlisted(&self, posting_number: &str, status: Option<&str>) -> bool {
        let now = self.clock.unix();
        let mut st = self.lock();
        let Some(p) = st
            .postings
            .iter_mut()
            .find(|p| p.posting_number == posting_number)
        else {
            return false;
        };
        p.unlisted = status.map(str::to_owned);
        p.changed = now;
        true
    }

    /// Number of postings.
    pub fn postings_count(&self) -> usize {
        self.lock().postings.len()
    }

    fn auth(&self, req: &Incoming) -> Option<Reply> {
        let client = req.header("client-id").unwrap_or_default();
        let key = req.header("api-key").unwrap_or_default();
        if client != DEMO_CLIENT_ID || key != DEMO_API_KEY {
            return Some(self.error(401, "Invalid Api-Key, please check the key and try again"));
        }
        if self.recorder.revoked() {
            return Some(self.error(
                403,
                "Api-key is deactivated, use another one or generate a new one",
            ));
        }
        let st = self.lock();
        if st.missing_methods.contains(&req.path) {
            return Some(self.error(403, "Api-Key is missing a required role for a method"));
        }
        None
    }

    fn rate_limit(&self, req: &Incoming) -> Option<Reply> {
        let mut st = self.lock();
        let client = req.header("client-id").unwrap_or_default().to_owned();
        let all = st
            .buckets
            .take(&format!("{client}:all"), 50, Duration::from_millis(20), 1.0);
        let stocks = if req.path == "/v2/products/stocks" {
            st.buckets.take(
                &format!("{client}:stocks"),
                80,
                Duration::from_millis(750),
                1.0,
            )
        } else {
            Ok(())
        };
        match all.and(stocks) {
            Ok(()) => None,
            Err(wait) => Some(Reply::Json {
                status: 429,
                body: json!({"code": 8, "message": "You have reached request rate limit per second", "details": []}),
                retry_after: Some(wait.as_secs().max(1)),
            }),
        }
    }
}

fn bad(message: &str) -> Reply {
    Reply::Json {
        status: 400,
        body: json!({"code": 3, "message": message, "details": []}),
        retry_after: None,
    }
}

fn not_found(message: &str) -> Reply {
    Reply::Json {
        status: 404,
        body: json!({"code": 5, "message": message, "details": []}),
        retry_after: None,
    }
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn str_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    x.as_str()
                        .map(str::to_owned)
                        .or_else(|| x.as_i64().map(|n| n.to_string()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a cursor of the form "c<index>"; anything else is a bad request.
fn read_cursor(body: &Value) -> Result<usize, Reply> {
    match body["cursor"].as_str().unwrap_or_default() {
        "" => Ok(0),
        c => c
            .strip_prefix('c')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| bad("invalid cursor")),
    }
}

impl State {
    fn new_posting(&mut self, at: i64, scheme: Scheme) -> String {
        self.next_order += 1;
        let order_number = format!("{}-{:04}", self.next_order, self.rng.below(10_000));
        let posting_number = format!("{order_number}-1");
        let lines = 1 + self.rng.below(2) as usize;
        let mut items = Vec::new();
        for _ in 0..lines {
            if self.products.is_empty() {
                break;
            }
            let idx = self.rng.below(self.products.len() as u64) as usize;
            if !items.iter().any(|(i, _)| *i == idx) {
                items.push((idx, 1 + self.rng.below(2) as i64));
            }
        }
        let warehouse_id = match scheme {
            Scheme::Fbs => self.warehouses[self.rng.below(2) as usize].id,
            Scheme::Fbo => 15_431_806_189_000,
        };
        self.postings.push(Posting {
            posting_number: posting_number.clone(),
            order_id: self.next_order * 10 + 7,
            order_number,
            scheme,
            status: if scheme == Scheme::Fbo {
                "awaiting_deliver"
            } else {
                "awaiting_packaging"
            },
            substatus: if scheme == Scheme::Fbo {
                ""
            } else {
                "posting_created"
            },
            created: at,
            changed: at,
            ship_by: at + 36 * 3600,
            warehouse_id,
            items,
            cancel: None,
            assembled_at: None,
            unlisted: None,
        });
        posting_number
    }

    /// Moves the world to `now`: new orders at the configured rate, deliveries, buyer
    /// cancellations.
    fn tick(&mut self, now: i64) {
        if now <= self.last_tick {
            return;
        }
        let elapsed = now - self.last_tick;
        self.pending_orders += elapsed as f64 * f64::from(self.orders_per_hour) / 3600.0;
        let start = self.last_tick;
        let count = self.pending_orders.floor() as i64;
        self.pending_orders -= count as f64;
        for i in 0..count {
            let at = start + elapsed * (i + 1) / (count + 1);
            let scheme = if self.rng.below(5) == 0 {
                Scheme::Fbo
            } else {
                Scheme::Fbs
            };
            self.new_posting(at, scheme);
        }
        let hours = elapsed as f64 / 3600.0;
        for i in 0..self.postings.len() {
            let roll = self.rng.unit();
            let p = &mut self.postings[i];
            let since_assembly = p.assembled_at.map(|a| now - a).unwrap_or(0);
            let (status, substatus): (&'static str, &'static str) = match p.status {
                "awaiting_packaging" if p.scheme == Scheme::Fbs && roll < 0.02 * hours => {
                    p.cancel = Some((665, "Покупатель отменил заказ".into(), "Клиент"));
                    ("cancelled", "posting_canceled")
                }
                "awaiting_deliver" if p.scheme == Scheme::Fbs && since_assembly > 86_400 => {
                    ("delivering", "posting_in_carriage")
                }
                "awaiting_deliver" if p.scheme == Scheme::Fbo && now - p.created > 86_400 => {
                    ("delivering", "")
                }
                "delivering" if now - p.changed > 2 * 86_400 => (
                    "delivered",
                    if p.scheme == Scheme::Fbs {
                        "posting_received"
                    } else {
                        ""
                    },
                ),
                _ => continue,
            };
            p.status = status;
            p.substatus = substatus;
            p.changed = now;
        }
        self.last_tick = now;
    }

    fn product_by_any(&self, offer_id: Option<&str>, product_id: Option<i64>) -> Option<&Product> {
        let idx = product_id
            .and_then(|id| self.by_id.get(&id))
            .or_else(|| offer_id.and_then(|o| self.by_offer.get(o)));
        idx.and_then(|i| self.products.get(*i)).filter(|p| {
            product_id.is_some_and(|id| id == p.product_id)
                || offer_id.is_some_and(|o| o == p.offer_id)
        })
    }

    fn posting_json(&self, p: &Posting, with_financial: bool) -> Value {
        let products: Vec<Value> = p
            .items
            .iter()
            .map(|(idx, qty)| {
                let pr = &self.products[*idx];
                // v4 listings give the price as an amount object; v3 get as a string.
                let price = if with_financial { json!(money(pr.price)) } else { json!({"amount": money(pr.price), "currency": "RUB"}) };
                let mut item = json!({"sku": pr.sku, "offer_id": pr.offer_id, "name": pr.name, "quantity": qty, "price": price});
                if with_financial {
                    item["currency_code"] = json!("RUB");
                }
                item
            })
            .collect();
        let mut v = json!({
            "posting_number": p.posting_number,
            "order_id": p.order_id,
            "order_number": p.order_number,
            "status": p.reported(),
            "substatus": p.substatus,
            "in_process_at": ts(p.created),
            "shipment_date": ts(p.ship_by),
            "products": products,
            "delivery_method": {"id": 21_321_684_811_000_i64, "name": "Ozon Логистика самостоятельно", "warehouse_id": p.warehouse_id,
                                "warehouse": "Склад", "tpl_provider": "Ozon Логистика", "tpl_provider_id": 24},
            "tracking_number": "",
            "is_express": false,
        });
        if let Some((id, reason, initiator)) = &p.cancel {
            v["cancellation"] = json!({"cancel_reason_id": id, "cancel_reason": reason, "cancellation_type": "seller",
                                       "cancelled_after_ship": false, "affect_cancellation_rating": *initiator == "Продавец",
                                       "cancellation_initiator": initiator});
        }
        if with_financial {
            // Ozon's forecast when the order came: its fee by the product's category, and
            // what it pays for the line.
            let products: Vec<Value> = p
                .items
                .iter()
                .map(|(idx, qty)| {
                    let pr = &self.products[*idx];
                    let sale = pr.price * qty;
                    let percent = category_percent(pr.category_id);
                    let fee = sale * percent / 100;
                    json!({"product_id": pr.sku, "quantity": qty, "price": pr.price as f64 / 100.0,
                           "old_price": pr.old_price as f64 / 100.0, "customer_price": pr.price as f64 / 100.0,
                           "commission_amount": fee as f64 / 100.0, "commission_percent": percent,
                           "payout": (sale - fee) as f64 / 100.0, "currency_code": "RUB",
                           "commissions_currency_code": "RUB", "customer_currency_code": "RUB",
                           "actions": [], "total_discount_value": 0.0, "total_discount_percent": 0.0})
                })
                .collect();
            v["financial_data"] =
                json!({"cluster_from": "Москва", "cluster_to": "Москва", "products": products});
        }
        v
    }

    fn fbo_json(&self, p: &Posting) -> Value {
        let products: Vec<Value> = p
            .items
            .iter()
            .map(|(idx, qty)| {
                let pr = &self.products[*idx];
                json!({"sku": pr.sku, "offer_id": pr.offer_id, "name": pr.name, "quantity": qty,
                       "price": {"amount": money(pr.price), "currency": "RUB"}})
            })
            .collect();
        json!({
            "posting_number": p.posting_number,
            "order_id": p.order_id,
            "order_number": p.order_number,
            "status": p.reported(),
            "substatus": p.substatus,
            "created_at": ts(p.created),
            "in_process_at": ts(p.created),
            "products": products,
            "analytics_data": {"warehouse_id": p.warehouse_id, "warehouse_name": "ХОРУГВИНО_РФЦ", "city": "Москва",
                               "delivery_type": "Courier", "is_premium": false, "is_legal": false, "payment_type_group_name": "Карты оплаты"},
        })
    }
}

impl Emulator for OzonSandbox {
    fn place(&self, body: &Value) -> Option<String> {
        let scheme = match body["scheme"].as_str() {
            Some("fbo") => Scheme::Fbo,
            _ => Scheme::Fbs,
        };
        let now = self.clock.unix();
        Some(self.lock().new_posting(now, scheme))
    }

    fn cancel_as_buyer(&self, id: &str) -> bool {
        OzonSandbox::cancel_as_buyer(self, id)
    }

    fn report_unlisted(&self, id: &str, status: &str) -> bool {
        OzonSandbox::report_unlisted(self, id, Some(status))
    }

    fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    fn error(&self, status: u16, message: &str) -> Reply {
        let code = match status {
            400 => 3,
            401 => 16,
            403 => 7,
            404 => 5,
            429 => 8,
            _ => 13,
        };
        Reply::Json {
            status,
            body: json!({"code": code, "message": message, "details": []}),
            retry_after: None,
        }
    }

    fn handle(&self, req: &Incoming) -> Reply {
        if req.method == "GET" && req.path.starts_with("/files/labels/") {
            return self.label_file(&req.path);
        }
        if req.method != "POST" || !PATHS.contains(&req.path.as_str()) {
            return self.error(404, "method is not allowed");
        }
        if let Some(r) = self.auth(req) {
            return r;
        }
        if let Some(r) = self.rate_limit(req) {
            return r;
        }
        let body = match req.json() {
            Ok(Value::Object(m)) => Value::Object(m),
            Ok(_) | Err(_) => return bad("invalid request payload"),
        };
        let now = self.clock.unix();
        let mut st = self.lock();
        st.tick(now);
        let result = match req.path.as_str() {
            "/v1/roles" => Ok(self.roles(&st)),
            "/v2/warehouse/list" => warehouses(&st, &body),
            "/v3/product/list" => product_list(&st, &body),
            "/v3/product/info/list" => product_info(&st, &body),
            "/v4/posting/fbs/list" => fbs_list(&st, &body),
            "/v3/posting/fbs/get" => fbs_get(&st, &body),
            "/v3/posting/fbo/list" => fbo_list(&st, &body),
            "/v4/posting/fbs/ship" => ship(&mut st, &body, now),
            "/v2/posting/fbs/cancel" => cancel(&mut st, &body, now),
            "/v2/posting/fbs/cancel-reason/list" => Ok(cancel_reasons()),
            "/v3/posting/fbs/package-label/create" => label_create(&mut st, &body, now),
            "/v2/posting/fbs/package-label/get" => self.label_get(&mut st, &body, now),
            "/v2/product/info/stocks-by-warehouse/fbs" => stocks_read(&st, &body),
            "/v2/products/stocks" => stocks_update(&mut st, &body, now),
            "/v5/product/info/prices" => prices_read(&st, &body),
            "/v1/product/import/prices" => prices_update(&mut st, &body, now),
            "/v1/finance/accrual/postings" => accruals(&st, &body, now),
            "/v1/finance/accrual/types" => Ok(accrual_types()),
            "/v1/analytics/stocks" => fbo_stocks(&st, &body),
            _ => Err(self.error(404, "method is not allowed")),
        };
        result.unwrap_or_else(|r| r)
    }
}

impl OzonSandbox {
    fn roles(&self, st: &State) -> Reply {
        let methods: Vec<&str> = PATHS
            .iter()
            .copied()
            .filter(|p| !st.missing_methods.iter().any(|m| m == p))
            .collect();
        Reply::ok(
            json!({"expires_at": ts(st.expires_at), "roles": [{"name": "Admin", "methods": methods}]}),
        )
    }

    fn label_get(&self, st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
        let id = int(&body["task_id"]).ok_or_else(|| bad("task_id is required"))?;
        let task = st
            .tasks
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(|| not_found("task not found"))?;
        // Ready two seconds on, or at the second time of asking (a test's clock stands still).
        let ready = task.polls >= 1 || now - task.created >= 2;
        task.polls += 1;
        let base = self.base_url.lock().map(|u| u.clone()).unwrap_or_default();
        let (code, file_url) = if ready {
            ("completed", format!("{base}files/labels/{id}.pdf"))
        } else {
            ("in_progress", String::new())
        };
        Ok(Reply::ok(json!({
            "status": {"code": code, "postings_count": task.postings.len(), "printed_postings_count": if ready { task.postings.len() } else { 0 },
                       "unprinted_postings": []},
            "file_url": file_url,
        })))
    }

    fn label_file(&self, path: &str) -> Reply {
        let id: Option<i64> = path
            .trim_start_matches("/files/labels/")
            .trim_end_matches(".pdf")
            .parse()
            .ok();
        let st = self.lock();
        match id.and_then(|id| st.tasks.iter().find(|t| t.id == id)) {
            Some(task) => {
                let pages: Vec<Vec<String>> = task
                    .postings
                    .iter()
                    .map(|p| vec!["OZON".into(), p.clone(), format!("task {}", task.id)])
                    .collect();
                Reply::Bytes {
                    status: 200,
                    content_type: "application/pdf",
                    body: label_pdf(&pages),
                }
            }
            None => Reply::Empty { status: 404 },
        }
    }
}

fn warehouses(st: &State, body: &Value) -> Result<Reply, Reply> {
    let limit = int(&body["limit"]).ok_or_else(|| bad("limit is required"))?;
    if !(1..=200).contains(&limit) {
        return Err(bad("limit must be between 1 and 200"));
    }
    let start = read_cursor(body)?;
    let page: Vec<Value> = st
        .warehouses
        .iter()
        .skip(start)
        .take(limit as usize)
        .map(|w| {
            json!({"warehouse_id": w.id, "name": w.name, "status": "created", "is_rfbs": w.is_rfbs,
                        "is_express": false, "is_kgt": false, "has_entrusted_acceptance": false})
        })
        .collect();
    let next = start + page.len();
    let has_next = next < st.warehouses.len();
    Ok(Reply::ok(
        json!({"warehouses": page, "cursor": if has_next { format!("c{next}") } else { String::new() }, "has_next": has_next}),
    ))
}

fn product_list(st: &State, body: &Value) -> Result<Reply, Reply> {
    let limit = int(&body["limit"]).unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(bad("limit must be between 1 and 1000"));
    }
    let after: i64 = body["last_id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| bad("invalid last_id")))
        .transpose()?
        .unwrap_or(0);
    let items: Vec<(usize, &Product)> = st
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| p.product_id > after)
        .take(limit as usize)
        .collect();
    let last_id = items
        .last()
        .map(|(_, p)| p.product_id.to_string())
        .unwrap_or_default();
    let items: Vec<Value> = items
        .iter()
        .map(|(i, p)| json!({"product_id": p.product_id, "offer_id": p.offer_id, "sku": p.sku, "archived": false,
                             "has_fbo_stocks": !fbo::stock_at(*i).is_empty(), "has_fbs_stocks": true,
                             "is_discounted": false, "quants": []}))
        .collect();
    Ok(Reply::ok(
        json!({"result": {"items": items, "last_id": last_id, "total": st.products.len()}}),
    ))
}

fn product_info(st: &State, body: &Value) -> Result<Reply, Reply> {
    let ids = str_list(&body["product_id"]);
    let offers = str_list(&body["offer_id"]);
    let skus = str_list(&body["sku"]);
    if ids.len() + offers.len() + skus.len() > 1000 {
        return Err(bad("too many identifiers: at most 1000"));
    }
    let items: Vec<Value> = st
        .products
        .iter()
        .filter(|p| ids.contains(&p.product_id.to_string()) || offers.contains(&p.offer_id) || skus.contains(&p.sku.to_string()))
        .map(|p| {
            json!({"id": p.product_id, "offer_id": p.offer_id, "sku": p.sku, "name": p.name, "barcodes": p.barcodes,
                   "description_category_id": p.category_id, "currency_code": "RUB", "price": money(p.price),
                   "old_price": money(p.old_price), "min_price": money(p.min_price), "is_archived": false})
        })
        .collect();
    Ok(Reply::ok(json!({"items": items})))
}

fn period(
    filter: &Value,
    from: &str,
    to: &str,
    required: bool,
) -> Result<Option<(i64, i64)>, Reply> {
    match (parse_ts(&filter[from]), parse_ts(&filter[to])) {
        (Some(a), Some(b)) => {
            if b - a > 366 * 86_400 {
                return Err(bad("PERIOD_IS_TOO_LONG"));
            }
            Ok(Some((a, b)))
        }
        (None, None) if !required => Ok(None),
        _ => Err(bad(&format!("filter.{from} and filter.{to} are required"))),
    }
}

fn page_limit(body: &Value, max: i64) -> Result<usize, Reply> {
    let limit = int(&body["limit"]).ok_or_else(|| bad("limit is required"))?;
    if !(1..=max).contains(&limit) {
        return Err(bad(&format!("limit must be between 1 and {max}")));
    }
    Ok(limit as usize)
}

fn paged(items: Vec<Value>, start: usize, limit: usize, key: &str) -> Reply {
    let (page, next) = window(items, start, limit, |v| v);
    let mut body = json!({"cursor": cursor(next), "has_next": next.is_some()});
    body[key] = Value::Array(page);
    Reply::ok(body)
}

/// The cursor of the page after, or "" after the last.
fn cursor(next: Option<usize>) -> String {
    next.map(|n| format!("c{n}")).unwrap_or_default()
}

fn fbs_list(st: &State, body: &Value) -> Result<Reply, Reply> {
    let filter = &body["filter"];
    let (since, to) = period(filter, "since", "to", true)?.unwrap_or_default();
    let changed = period(&filter["last_changed_status_date"], "from", "to", false)?;
    let limit = page_limit(body, 100)?;
    let start = read_cursor(body)?;
    let statuses = str_list(&filter["statuses"]);
    let mut list: Vec<&Posting> = st
        .postings
        .iter()
        .filter(|p| p.scheme == Scheme::Fbs && p.created >= since && p.created <= to)
        .filter(|p| changed.is_none_or(|(a, b)| p.changed >= a && p.changed <= b))
        .filter(|p| statuses.is_empty() || statuses.iter().any(|s| s == p.reported()))
        .collect();
    list.sort_by_key(|p| (p.created, p.posting_number.clone()));
    if body["sort_dir"].as_str() == Some("DESC") {
        list.reverse();
    }
    let items = list.iter().map(|p| st.posting_json(p, false)).collect();
    Ok(paged(items, start, limit, "postings"))
}

fn fbs_get(st: &State, body: &Value) -> Result<Reply, Reply> {
    let number = body["posting_number"]
        .as_str()
        .ok_or_else(|| bad("posting_number is required"))?;
    let p = st
        .postings
        .iter()
        .find(|p| p.posting_number == number && p.scheme == Scheme::Fbs)
        .ok_or_else(|| not_found("posting not found"))?;
    let mut v = st.posting_json(p, true);
    if body["with"]["financial_data"].as_bool() != Some(true)
        && let Some(o) = v.as_object_mut()
    {
        o.remove("financial_data");
    }
    Ok(Reply::ok(json!({"result": v})))
}

fn fbo_list(st: &State, body: &Value) -> Result<Reply, Reply> {
    let (since, to) = period(&body["filter"], "since", "to", true)?.unwrap_or_default();
    let limit = page_limit(body, 100)?;
    let start = read_cursor(body)?;
    let mut list: Vec<&Posting> = st
        .postings
        .iter()
        .filter(|p| p.scheme == Scheme::Fbo && p.created >= since && p.created <= to)
        .collect();
    list.sort_by_key(|p| (p.created, p.posting_number.clone()));
    if body["sort_dir"].as_str() == Some("DESC") {
        list.reverse();
    }
    let items = list.iter().map(|p| st.fbo_json(p)).collect();
    Ok(paged(items, start, limit, "postings"))
}

fn find_fbs<'a>(st: &'a mut State, body: &Value) -> Result<&'a mut Posting, Reply> {
    let number = body["posting_number"]
        .as_str()
        .ok_or_else(|| bad("posting_number is required"))?
        .to_owned();
    st.postings
        .iter_mut()
        .find(|p| p.posting_number == number && p.scheme == Scheme::Fbs)
        .ok_or_else(|| not_found("POSTING_NOT_FOUND"))
}

fn ship(st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let packages = body["packages"]
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad("packages are required"))?
        .clone();
    let mut shipped: HashMap<i64, i64> = HashMap::new();
    for pkg in &packages {
        for item in pkg["products"].as_array().into_iter().flatten() {
            let id =
                int(&item["product_id"]).ok_or_else(|| bad("products.product_id is required"))?;
            let qty = int(&item["quantity"]).ok_or_else(|| bad("products.quantity is required"))?;
            *shipped.entry(id).or_default() += qty;
        }
    }
    let skus: HashMap<i64, i64> = {
        let p = find_fbs(st, body)?;
        p.items.iter().map(|(idx, q)| (*idx as i64, *q)).collect()
    };
    let expected: HashMap<i64, i64> = skus
        .iter()
        .map(|(idx, q)| (st.products[*idx as usize].sku, *q))
        .collect();
    let p = find_fbs(st, body)?;
    if p.status != "awaiting_packaging" {
        return Err(bad("POSTING_ALREADY_SHIPPED"));
    }
    if shipped != expected {
        return Err(bad("PRODUCTS_IN_PACKAGES_DO_NOT_MATCH_POSTING"));
    }
    p.status = "awaiting_deliver";
    p.substatus = "posting_awaiting_passport_data";
    p.changed = now;
    p.assembled_at = Some(now);
    let number = p.posting_number.clone();
    Ok(Reply::ok(
        json!({"result": [number], "additional_data": []}),
    ))
}

fn cancel(st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let reason =
        int(&body["cancel_reason_id"]).ok_or_else(|| bad("cancel_reason_id is required"))?;
    let Some((id, title, _, available)) = CANCEL_REASONS.iter().find(|r| r.0 == reason) else {
        return Err(bad("CANCEL_REASON_NOT_FOUND"));
    };
    if !available {
        return Err(bad("CANCEL_REASON_NOT_AVAILABLE"));
    }
    let message = body["cancel_reason_message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if *id == 402 && message.trim().is_empty() {
        return Err(bad("cancel_reason_message is required for reason 402"));
    }
    let p = find_fbs(st, body)?;
    if matches!(p.status, "cancelled" | "delivered" | "delivering") {
        return Err(bad("POSTING_CANNOT_BE_CANCELLED"));
    }
    p.status = "cancelled";
    p.substatus = "posting_canceled";
    p.changed = now;
    p.cancel = Some((
        *id,
        if message.is_empty() {
            (*title).to_owned()
        } else {
            message
        },
        "Продавец",
    ));
    Ok(Reply::ok(json!({"result": true})))
}

fn cancel_reasons() -> Reply {
    let result: Vec<Value> = CANCEL_REASONS
        .iter()
        .map(|(id, title, type_id, available)| json!({"id": id, "title": title, "type_id": type_id, "is_available_for_cancellation": available}))
        .collect();
    Reply::ok(json!({"result": result}))
}

fn label_create(st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let numbers = str_list(&body["posting_numbers"]);
    if numbers.is_empty() {
        return Err(bad("posting_numbers are required"));
    }
    if numbers.len() > 100 {
        return Err(bad("too many postings: at most 100"));
    }
    for n in &numbers {
        let p = st
            .postings
            .iter()
            .find(|p| p.posting_number == *n && p.scheme == Scheme::Fbs)
            .ok_or_else(|| not_found("POSTING_NOT_FOUND"))?;
        // Labels exist only for assembled postings, 45 s or more after assembly.
        let settled = p.assembled_at.is_some_and(|a| now - a >= 45);
        if p.status != "awaiting_deliver" || !settled {
            return Err(bad("The next postings aren't ready"));
        }
    }
    st.next_task += 1;
    let id = st.next_task;
    st.tasks.push(LabelTask {
        id,
        postings: numbers,
        created: now,
        polls: 0,
    });
    Ok(Reply::ok(
        json!({"tasks": [{"task_id": id, "task_type": "big_label"}]}),
    ))
}

fn stocks_read(st: &State, body: &Value) -> Result<Reply, Reply> {
    let limit = page_limit(body, 1000)?;
    let start = read_cursor(body)?;
    let offers = str_list(&body["offer_id"]);
    let skus = str_list(&body["sku"]);
    if offers.len() > 1000 || skus.len() > 1000 {
        return Err(bad("at most 1000 offer_id or sku"));
    }
    let mut rows = Vec::new();
    for p in st.products.iter().filter(|p| {
        (offers.is_empty() && skus.is_empty())
            || offers.contains(&p.offer_id)
            || skus.contains(&p.sku.to_string())
    }) {
        for w in &st.warehouses {
            let present = st.stocks.get(&(p.product_id, w.id)).copied().unwrap_or(0);
            let reserved = st
                .postings
                .iter()
                .filter(|o| o.warehouse_id == w.id && o.status == "awaiting_packaging")
                .flat_map(|o| o.items.iter())
                .filter(|(idx, _)| st.products[*idx].product_id == p.product_id)
                .map(|(_, q)| q)
                .sum::<i64>()
                .min(present);
            rows.push(json!({"sku": p.sku, "offer_id": p.offer_id, "product_id": p.product_id, "warehouse_id": w.id,
                             "warehouse_name": w.name, "present": present, "reserved": reserved, "free_stock": present - reserved}));
        }
    }
    Ok(paged(rows, start, limit, "products"))
}

/// FBO stock by SKU (`/v1/analytics/stocks`), by the shared rule over catalogue positions.
fn fbo_stocks(st: &State, body: &Value) -> Result<Reply, Reply> {
    let goods: Vec<fbo::OzonGood<'_>> = st
        .products
        .iter()
        .map(|p| fbo::OzonGood {
            sku: p.sku,
            offer_id: &p.offer_id,
            name: &p.name,
        })
        .collect();
    fbo::ozon_stocks(&goods, body)
        .map(Reply::ok)
        .map_err(|m| bad(&m))
}

fn stocks_update(st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let items = body["stocks"]
        .as_array()
        .ok_or_else(|| bad("stocks are required"))?
        .clone();
    if items.is_empty() || items.len() > 100 {
        return Err(bad(
            "stocks: from 1 to 100 product-warehouse pairs per request",
        ));
    }
    let mut result = Vec::new();
    for item in items {
        let offer = item["offer_id"].as_str().filter(|s| !s.is_empty());
        let pid = int(&item["product_id"]).filter(|n| *n != 0);
        let wh = int(&item["warehouse_id"]).unwrap_or(0);
        let stock = int(&item["stock"]);
        let product = st
            .product_by_any(offer, pid)
            .map(|p| (p.product_id, p.offer_id.clone()));
        let mut errors = Vec::new();
        match (&product, st.warehouses.iter().any(|w| w.id == wh), stock) {
            (None, _, _) => errors
                .push(json!({"code": "PRODUCT_IS_NOT_CREATED", "message": "product not found"})),
            (_, false, _) => errors
                .push(json!({"code": "WAREHOUSE_NOT_FOUND", "message": "warehouse not found"})),
            (_, _, None) => {
                errors.push(json!({"code": "INVALID_STOCK", "message": "stock is required"}))
            }
            (_, _, Some(s)) if s < 0 => errors
                .push(json!({"code": "INVALID_STOCK", "message": "stock must not be negative"})),
            (Some((id, _)), true, Some(s)) => {
                let key = (*id, wh);
                let too_soon = st.stock_touched.get(&key).is_some_and(|t| now - *t < 30);
                if too_soon {
                    errors.push(json!({"code": "TOO_MANY_REQUESTS", "message": "the same product and warehouse may be updated once per 30 seconds"}));
                } else {
                    st.stock_touched.insert(key, now);
                    st.stocks.insert(key, s);
                }
            }
        }
        let (id, offer_id) =
            product.unwrap_or((pid.unwrap_or(0), offer.unwrap_or_default().to_owned()));
        result.push(json!({"offer_id": offer_id, "product_id": id, "warehouse_id": wh, "updated": errors.is_empty(), "errors": errors}));
    }
    Ok(Reply::ok(json!({"result": result})))
}

fn prices_read(st: &State, body: &Value) -> Result<Reply, Reply> {
    if !body["filter"].is_object() {
        return Err(bad("filter is required"));
    }
    let limit = page_limit(body, 1000)?;
    let start = read_cursor(body)?;
    let offers = str_list(&body["filter"]["offer_id"]);
    let ids = str_list(&body["filter"]["product_id"]);
    // The page is cut before it is written out: a read of 100 000 products is 100 pages.
    let matching: Vec<&Product> = st
        .products
        .iter()
        .filter(|p| {
            (offers.is_empty() && ids.is_empty())
                || offers.contains(&p.offer_id)
                || ids.contains(&p.product_id.to_string())
        })
        .collect();
    let total = matching.len();
    let (page, next) = window(matching, start, limit, |p| {
        json!({"offer_id": p.offer_id, "product_id": p.product_id, "acquiring": 1.5, "volume_weight": 0.4,
                   "price": {"price": p.price as f64 / 100.0, "old_price": p.old_price as f64 / 100.0, "min_price": p.min_price as f64 / 100.0,
                             "marketing_seller_price": if p.product_id % 3 == 0 { (p.price * 95 / 100) as f64 / 100.0 } else { p.price as f64 / 100.0 }, "retail_price": 0.0, "vat": 0.2, "currency_code": "RUB",
                             "auto_action_enabled": false, "net_price": 0.0},
                   "commissions": {"sales_percent_fbs": 15.0, "sales_percent_fbo": 13.0}})
    });
    Ok(Reply::ok(
        json!({"items": page, "cursor": cursor(next), "total": total}),
    ))
}

/// Price updates of one product Ozon takes an hour.
const PRICE_UPDATES_PER_HOUR: usize = 10;

fn prices_update(st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let items = body["prices"]
        .as_array()
        .ok_or_else(|| bad("prices are required"))?
        .clone();
    if items.is_empty() || items.len() > 1000 {
        return Err(bad("prices: from 1 to 1000 items per request"));
    }
    let mut result = Vec::new();
    for item in items {
        let offer = item["offer_id"].as_str().filter(|s| !s.is_empty());
        let pid = int(&item["product_id"]).filter(|n| *n != 0);
        let parse = |v: &Value| {
            v.as_str()
                .and_then(crate::domain::Money::from_wire_str)
                .map(|m| m.kopecks())
        };
        let price = parse(&item["price"]);
        let old = match &item["old_price"] {
            Value::Null => None,
            v => Some(parse(v)),
        };
        let min = match &item["min_price"] {
            Value::Null => None,
            v => Some(parse(v)),
        };
        let mut errors = Vec::new();
        let found = st.product_by_any(offer, pid).map(|p| p.product_id);
        match (found, price) {
            (None, _) => {
                errors.push(json!({"code": "PRODUCT_NOT_FOUND", "message": "product not found"}))
            }
            (_, None) => {
                errors.push(json!({"code": "INVALID_PRICE", "message": "price is not a number"}))
            }
            (_, Some(p)) if p <= 0 => {
                errors.push(json!({"code": "INVALID_PRICE", "message": "price must be positive"}))
            }
            (Some(id), Some(p)) => {
                let touched = st.price_touched.entry(id).or_default();
                touched.retain(|t| *t > now - 3600);
                if touched.len() >= PRICE_UPDATES_PER_HOUR {
                    errors.push(json!({"code": "TOO_MANY_REQUESTS", "message": "the price of a product may be updated at most 10 times an hour"}));
                } else if matches!(old, Some(None)) || matches!(min, Some(None)) {
                    errors.push(json!({"code": "INVALID_PRICE", "message": "old_price or min_price is not a number"}));
                } else if let Some(Some(o)) = old
                    && o != 0
                    && o <= p
                {
                    errors.push(json!({"code": "INVALID_OLD_PRICE", "message": "old_price must be greater than price"}));
                } else if let Some(prod) = st
                    .by_id
                    .get(&id)
                    .copied()
                    .and_then(|i| st.products.get_mut(i))
                {
                    st.price_touched.entry(id).or_default().push(now);
                    prod.price = p;
                    if let Some(Some(o)) = old {
                        prod.old_price = if o == 0 { p } else { o };
                    }
                    if let Some(Some(m)) = min {
                        prod.min_price = m;
                    }
                }
            }
        }
        let product = st.product_by_any(offer, pid);
        result.push(
            json!({"offer_id": product.map(|p| p.offer_id.clone()).unwrap_or_default(),
                           "product_id": product.map(|p| p.product_id).unwrap_or(0),
                           "updated": errors.is_empty(), "errors": errors}),
        );
    }
    Ok(Reply::ok(json!({"result": result})))
}

/// Ozon's directory of accrual types, as far as the sandbox accrues them.
const ACCRUAL_TYPES: [(i64, &str); 5] = [
    (1, "Выручка"),
    (2, "Вознаграждение Ozon за продажу"),
    (3, "Логистика"),
    (4, "Эквайринг"),
    (5, "Обратная логистика"),
];

/// Days after delivery (or a cancellation after assembly) before Ozon accrues a posting.
pub const ACCRUAL_DAYS: i64 = 3;

/// Ozon's fee for a sale in a category, in percent (the sandbox's categories: 12, 15, 18).
fn category_percent(category_id: i64) -> i64 {
    12 + (category_id % 3) * 3
}

impl State {
    /// What Ozon has accrued on a posting by `now`: (type id, kopecks, sku, quantity) per
    /// item. A delivered posting is accrued its sale, the category's fee, acquiring and
    /// logistics three days after delivery; a posting cancelled after assembly is charged
    /// the logistics there and back.
    fn accrued(&self, p: &Posting, now: i64) -> Vec<(i64, i64, i64, i64)> {
        let mut out = Vec::new();
        let due = p.changed + ACCRUAL_DAYS * 86_400;
        if now < due {
            return out;
        }
        for (idx, qty) in &p.items {
            let pr = &self.products[*idx];
            let sale = pr.price * qty;
            if p.status == "delivered" {
                out.push((1, sale, pr.sku, *qty));
                out.push((
                    2,
                    -(sale * category_percent(pr.category_id) / 100),
                    pr.sku,
                    *qty,
                ));
                out.push((4, -(sale * 15 / 1000), pr.sku, *qty));
                out.push((3, -7_600, pr.sku, *qty));
            } else if p.status == "cancelled" && p.assembled_at.is_some() {
                out.push((3, -7_600, pr.sku, *qty));
                out.push((5, -5_000, pr.sku, *qty));
            }
        }
        out
    }
}

fn accrual_types() -> Reply {
    let list: Vec<Value> = ACCRUAL_TYPES
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name, "description": name}))
        .collect();
    Reply::ok(json!({"accrual_types": list}))
}

fn accruals(st: &State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let numbers = str_list(&body["posting_numbers"]);
    if numbers.is_empty() || numbers.len() > 200 {
        return Err(bad("posting_numbers: from 1 to 200"));
    }
    let mut out = Vec::new();
    let wanted: std::collections::HashSet<&str> = numbers.iter().map(String::as_str).collect();
    let found: std::collections::HashMap<&str, &Posting> = st
        .postings
        .iter()
        .filter(|p| wanted.contains(p.posting_number.as_str()))
        .map(|p| (p.posting_number.as_str(), p))
        .collect();
    for n in &numbers {
        let Some(p) = found.get(n.as_str()).copied() else {
            continue;
        };
        let date = ts(p.changed + ACCRUAL_DAYS * 86_400)[..10].to_owned();
        let list: Vec<Value> = st
            .accrued(p, now)
            .into_iter()
            .map(|(type_id, amount, sku, qty)| {
                let signed = if amount < 0 {
                    format!("-{}", money(-amount))
                } else {
                    money(amount)
                };
                let price = st
                    .products
                    .iter()
                    .find(|x| x.sku == sku)
                    .map_or(0, |x| x.price);
                json!({"type_id": type_id, "accrued": {"amount": signed, "currency": "RUB"},
                       "accrual_date": date, "sku": sku, "quantity": qty,
                       "seller_price": {"amount": money(price), "currency": "RUB"}})
            })
            .collect();
        out.push(json!({"posting_number": p.posting_number, "accruals": list}));
    }
    Ok(Reply::ok(json!({"posting_accruals": out})))
}
