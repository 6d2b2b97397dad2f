//! The Wildberries sandbox: one emulator state served on one loopback port per API host
//! (marketplace, content, prices, statistics, analytics, finance, common), with WB's paths, the
//! `Authorization` token (a JWT whose scope bits are checked per host), WB's error bodies,
//! token-bucket limits, FBS orders that move `new → confirm → complete` through supplies,
//! stocks by `chrtId`, the asynchronous price upload task, and the FBO stocks report on WB
//! warehouses (analytics host, the shared rule of `fbo.rs`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::common::{
    Buckets, Emulator, Incoming, Recorder, Reply, Rng, barcode_png, barcode_svg, ean13,
    product_name, serve,
};
use super::fbo;
use crate::clock::SharedClock;
use crate::marketplaces::endpoints::Family;

/// WB hosts the sandbox serves.
pub const FAMILIES: &[Family] = &[
    Family::WbMarketplace,
    Family::WbContent,
    Family::WbPrices,
    Family::WbStatistics,
    Family::WbAnalytics,
    Family::WbFinance,
    Family::WbCommon,
];

/// Scope bits (see the token categories): content 1, prices 3, marketplace 4, statistics 5.
const ALL_SCOPES: u64 =
    (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 10);
const SOME_SCOPES: u64 = (1 << 1) | (1 << 4);

fn b64url(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

/// A sandbox token with these scope bits (unsigned: the sandbox does not check signatures).
pub fn token(scopes: u64, n: u32) -> String {
    let header = json!({"alg": "ES256", "kid": "20250101v1", "typ": "JWT"});
    let claims = json!({"ent": 1, "exp": 1_924_992_000, "id": format!("0198c5a4-5b1e-7a11-9c3e-00000000000{n}"), "iid": 45_123_456,
                        "oid": 1_234_567, "s": scopes, "sid": "5f1d7a3c-2b9e-4c8d-a1f0-9e8d7c6b5a41", "t": false, "uid": 45_123_456});
    format!(
        "{}.{}.sandbox-signature-{n}",
        b64url(&header),
        b64url(&claims)
    )
}

/// The demo token with every category the product needs.
pub fn demo_token_full() -> String {
    token(ALL_SCOPES, 1)
}

/// A demo token with only the content and marketplace categories.
pub fn demo_token_partial() -> String {
    token(SOME_SCOPES, 2)
}

/// How to seed the sandbox (shared by every sandbox).
pub use super::SeedOptions as Seed;

#[derive(Debug, Clone)]
struct Size {
    chrt_id: i64,
    tech_size: &'static str,
    barcode: String,
}

#[derive(Debug, Clone)]
struct Card {
    nm_id: i64,
    vendor_code: String,
    title: String,
    subject: &'static str,
    sizes: Vec<Size>,
    updated: i64,
    /// Whole roubles before discount, discount in percent.
    price: i64,
    discount: i64,
}

#[derive(Debug, Clone)]
struct Order {
    id: i64,
    rid: String,
    created: i64,
    changed: i64,
    warehouse_id: i64,
    card: usize,
    size: usize,
    supplier_status: &'static str,
    wb_status: &'static str,
    supply: Option<String>,
}

#[derive(Debug, Clone)]
struct Supply {
    id: String,
    name: String,
    created: i64,
    closed: Option<i64>,
    orders: Vec<i64>,
}

#[derive(Debug, Clone)]
struct PriceTask {
    id: i64,
    at: i64,
    status: i64,
    goods: Vec<(usize, i64, i64, Option<String>)>,
    /// WB processes an upload a moment after taking it: until then it sits in the buffer
    /// (status 1), the history knows nothing of it and the prices are the old ones.
    ready: std::time::Instant,
    processed: bool,
}

/// How long an upload stays in the buffer.
const PROCESSING: std::time::Duration = std::time::Duration::from_millis(300);

impl State {
    /// Applies the uploads whose processing is over.
    fn process_tasks(&mut self) {
        let now = std::time::Instant::now();
        let mut done = Vec::new();
        for t in self
            .tasks
            .iter_mut()
            .filter(|t| !t.processed && t.ready <= now)
        {
            t.processed = true;
            done.extend(
                t.goods
                    .iter()
                    .filter(|g| g.3.is_none())
                    .map(|g| (g.0, g.1, g.2)),
            );
        }
        for (card, price, discount) in done {
            self.cards[card].price = price;
            self.cards[card].discount = discount;
        }
    }
}

struct State {
    rng: Rng,
    orders_per_hour: u32,
    last_tick: i64,
    pending_orders: f64,
    warehouses: Vec<(i64, &'static str)>,
    cards: Vec<Card>,
    stocks: BTreeMap<(i64, i64), i64>,
    /// Barcode of each size, and card position of each nmID.
    chrt_barcode: HashMap<i64, String>,
    card_of_nm: HashMap<i64, usize>,
    orders: Vec<Order>,
    supplies: Vec<Supply>,
    tasks: Vec<PriceTask>,
    next_order: i64,
    next_supply: i64,
    next_task: i64,
    buckets: Buckets,
    /// The detailed report's rows as WB has made them so far, in rrdId order.
    report: Vec<ReportRow>,
    /// Orders the buyer sent back: (order id, when).
    returns: Vec<(i64, i64)>,
    /// The rows made: (order position, document).
    reported: HashSet<(usize, &'static str)>,
    /// When the account began: its paid storage is reported a week at a time from here.
    opened: i64,
    /// Weeks of paid storage reported so far.
    storage_weeks: i64,
}

/// One row of the detailed report, fixed when WB makes it.
#[derive(Debug, Clone)]
struct ReportRow {
    rrd_id: i64,
    /// The order's index; [`NO_ORDER`] on a row of the account's (paid storage).
    order: usize,
    /// Продажа or Возврат.
    doc: &'static str,
    day: i64,
    retail: i64,
    commission: i64,
    logistics: i64,
}

/// The order index of a report row not about an order.
const NO_ORDER: usize = usize::MAX;
/// Paid storage WB charges the account each week, in kopecks (a row of its own).
pub const WEEKLY_STORAGE: i64 = 15_000;

/// Days after a sale (or a return) before it is in WB's detailed report.
pub const REPORT_DAYS: i64 = 3;
/// WB's fee in the sandbox's categories, percent.
const WB_PERCENT: i64 = 24;
/// Logistics to the buyer, and back on a return, in kopecks.
const WB_LOGISTICS: i64 = 5_500;

/// The WB sandbox state, shared by its hosts.
pub struct WbSandbox {
    clock: SharedClock,
    state: Mutex<State>,
    recorder: Recorder,
    tokens: Vec<(String, u64)>,
}

/// One WB host: routes only that host's paths.
pub struct WbHost {
    family: Family,
    sandbox: Arc<WbSandbox>,
}

fn ts(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn date(secs: i64) -> String {
    ts(secs)[..10].to_owned()
}

/// WB's statistics dates: Moscow local time without an offset.
fn msk(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs + 3 * 3600, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn parse_time(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp())
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|n| n.and_utc().timestamp() - 3 * 3600)
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc().timestamp())
        })
}

/// WB's `{code, message, data}` error.
fn err(status: u16, code: &str, message: &str) -> Reply {
    Reply::Json {
        status,
        body: json!({"code": code, "message": message, "data": {}}),
        retry_after: None,
    }
}

/// The prices API's `{data, error, errorText}` error.
fn price_err(status: u16, text: &str) -> Reply {
    Reply::Json {
        status,
        body: json!({"data": {}, "error": true, "errorText": text}),
        retry_after: None,
    }
}

fn problem(status: u16, title: &str, detail: &str) -> Value {
    let status_text = match status {
        401 => "Unauthorized",
        429 => "Too Many Requests",
        _ => "Error",
    };
    json!({"title": title, "detail": detail, "code": "07e4668e-sandbox", "requestId": "0f3c9d2e7a1b4c5d8e6f",
           "origin": "s2s-api-auth-sandbox", "status": status, "statusText": status_text, "timestamp": ts(Utc::now().timestamp())})
}

const SUBJECTS: &[&str] = &["Футболки", "Кружки", "Рюкзаки", "Пледы", "Кроссовки"];
const SIZES: &[&str] = &["S", "M", "L"];

impl WbSandbox {
    pub fn new(clock: SharedClock, seed: Seed) -> Arc<WbSandbox> {
        let now = clock.unix();
        let mut rng = Rng::new(seed.seed);
        let warehouses = vec![
            (1_001_001, "Склад продавца Москва"),
            (1_001_002, "Склад продавца Новосибирск"),
            (1_001_003, "Склад продавца Екатеринбург"),
        ];
        let mut cards = Vec::new();
        let mut stocks = BTreeMap::new();
        let mut chrt = 300_000_000i64;
        for i in 0..seed.products {
            let sized = rng.below(2) == 0;
            let sizes: Vec<Size> = if sized { SIZES.to_vec() } else { vec!["0"] }
                .into_iter()
                .map(|s| {
                    chrt += 1;
                    Size {
                        chrt_id: chrt,
                        tech_size: s,
                        barcode: ean13(&mut rng),
                    }
                })
                .collect();
            for s in &sizes {
                for (w, _) in &warehouses {
                    stocks.insert((*w, s.chrt_id), rng.below(40) as i64);
                }
            }
            cards.push(Card {
                nm_id: 150_000_000 + i as i64 * 3,
                vendor_code: format!("WB-ART-{:04}", i + 1),
                title: product_name(&mut rng),
                subject: SUBJECTS[rng.below(SUBJECTS.len() as u64) as usize],
                sizes,
                updated: now - 86_400 + i as i64,
                price: 500 + rng.below(4000) as i64,
                discount: [0, 10, 25, 30][rng.below(4) as usize],
            });
        }
        let chrt_barcode = cards
            .iter()
            .flat_map(|c| &c.sizes)
            .map(|s| (s.chrt_id, s.barcode.clone()))
            .collect();
        let card_of_nm = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.nm_id, i))
            .collect();
        let mut st = State {
            rng,
            orders_per_hour: seed.orders_per_hour,
            last_tick: now,
            pending_orders: 0.0,
            warehouses,
            cards,
            stocks,
            chrt_barcode,
            card_of_nm,
            orders: Vec::new(),
            supplies: Vec::new(),
            tasks: Vec::new(),
            next_order: 4_100_000_000,
            next_supply: 10_000_000,
            next_task: 7_700_000,
            report: Vec::new(),
            returns: Vec::new(),
            reported: HashSet::new(),
            opened: now,
            storage_weeks: 0,
            buckets: Buckets::default(),
        };
        for age in [50, 30, 4, 2, 1] {
            st.new_order(now - age * 3600);
        }
        // The oldest two were already sold through a delivered supply.
        st.next_supply += 1;
        let supply_id = format!("WB-GI-{}", st.next_supply);
        let sold: Vec<i64> = st.orders.iter().take(2).map(|o| o.id).collect();
        for o in st.orders.iter_mut().take(2) {
            o.supplier_status = "complete";
            o.wb_status = "sold";
            o.supply = Some(supply_id.clone());
            o.changed = now - 3600;
        }
        st.supplies.push(Supply {
            id: supply_id,
            name: "Поставка 1".into(),
            created: now - 48 * 3600,
            closed: Some(now - 40 * 3600),
            orders: sold,
        });
        let tokens = vec![
            (demo_token_full(), ALL_SCOPES),
            (demo_token_partial(), SOME_SCOPES),
        ];
        Arc::new(WbSandbox {
            clock,
            state: Mutex::new(st),
            recorder: Recorder::new(seed.seed),
            tokens,
        })
    }

    /// Starts one listener per WB host; returns (family, base URL) pairs.
    pub async fn start(self: &Arc<Self>) -> std::io::Result<Vec<(Family, String)>> {
        let mut out = Vec::new();
        for f in FAMILIES {
            let url = serve(Arc::new(WbHost {
                family: *f,
                sandbox: self.clone(),
            }))
            .await?;
            out.push((*f, url));
        }
        Ok(out)
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every size as the client refers to it, and the seller's warehouse ids (benchmarks).
    pub fn catalogue(&self) -> (Vec<crate::marketplaces::ProductRef>, Vec<String>) {
        let st = self.lock();
        let refs = st
            .cards
            .iter()
            .flat_map(|c| {
                c.sizes.iter().map(|s| crate::marketplaces::ProductRef {
                    id: c.nm_id.to_string(),
                    vendor_code: c.vendor_code.clone(),
                    sku: Some(s.chrt_id.to_string()),
                })
            })
            .collect();
        (
            refs,
            st.warehouses.iter().map(|(w, _)| w.to_string()).collect(),
        )
    }

    /// Lists more goods as one-size cards (with no stock yet); returns their chrtIds.
    pub fn list_goods(&self, goods: &[super::common::Goods]) -> Vec<i64> {
        let now = self.clock.unix();
        let mut st = self.lock();
        let mut out = Vec::new();
        let mut chrt = st
            .cards
            .iter()
            .flat_map(|c| c.sizes.iter().map(|s| s.chrt_id))
            .max()
            .unwrap_or(300_000_000);
        for g in goods {
            chrt += 1;
            let i = st.cards.len() as i64;
            let nm_id = 150_000_000 + i * 3;
            st.chrt_barcode.insert(chrt, g.barcode.clone());
            let at = st.cards.len();
            st.card_of_nm.insert(nm_id, at);
            st.cards.push(Card {
                nm_id,
                vendor_code: g.vendor_code.clone(),
                title: g.name.clone(),
                subject: SUBJECTS[0],
                sizes: vec![Size {
                    chrt_id: chrt,
                    tech_size: "0",
                    barcode: g.barcode.clone(),
                }],
                updated: now - 3_600 + i,
                price: 1_000,
                discount: 0,
            });
            out.push(chrt);
        }
        out
    }

    /// A new FBS order now; returns its id.
    pub fn place_order(&self) -> i64 {
        let now = self.clock.unix();
        self.lock().new_order(now)
    }

    /// For benchmarks: `n` orders made at `at` and sold the same moment (in the report
    /// [`REPORT_DAYS`] later); returns each id with its rid.
    pub fn sold_orders(&self, n: usize, at: i64) -> Vec<(i64, String)> {
        let mut st = self.lock();
        (0..n)
            .map(|_| {
                let id = st.new_order(at);
                let o = st
                    .orders
                    .iter_mut()
                    .rev()
                    .find(|o| o.id == id)
                    .expect("just made");
                o.supplier_status = "complete";
                o.wb_status = "sold";
                o.changed = at;
                (id, o.rid.clone())
            })
            .collect()
    }

    /// The buyer sends a sold order back; returns whether it was sold.
    pub fn return_as_buyer(&self, id: i64) -> bool {
        let now = self.clock.unix();
        let mut st = self.lock();
        let sold = st
            .orders
            .iter()
            .any(|o| o.id == id && o.wb_status == "sold");
        if sold && !st.returns.iter().any(|(o, _)| *o == id) {
            st.returns.push((id, now));
        }
        sold
    }

    /// What WB's report says it pays for an order by now, in kopecks: what it pays for the
    /// sale, less what it takes back on a return, less logistics each way.
    pub fn accrued_total(&self, id: i64) -> i64 {
        let now = self.clock.unix();
        let mut st = self.lock();
        st.tick(now);
        st.make_report(now);
        st.report
            .iter()
            .filter(|r| st.orders.get(r.order).is_some_and(|o| o.id == id))
            .map(|r| {
                let pay = r.retail - r.commission;
                (if r.doc == "Возврат" { -pay } else { pay }) - r.logistics
            })
            .sum()
    }

    /// The buyer cancels an order not yet handed over; returns whether it was cancelled.
    pub fn cancel_as_buyer(&self, id: i64) -> bool {
        let now = self.clock.unix();
        let mut st = self.lock();
        match st.orders.iter_mut().find(|o| o.id == id) {
            Some(o) if matches!(o.supplier_status, "new" | "confirm") => {
                o.wb_status = "canceled_by_client";
                o.changed = now;
                true
            }
            _ => false,
        }
    }

    /// (supplierStatus, wbStatus, supply) of an order.
    pub fn order_status(&self, id: i64) -> Option<(String, String, Option<String>)> {
        self.lock().orders.iter().find(|o| o.id == id).map(|o| {
            (
                o.supplier_status.into(),
                o.wb_status.into(),
                o.supply.clone(),
            )
        })
    }

    /// Stock of a size in a warehouse.
    pub fn stock(&self, warehouse: i64, chrt_id: i64) -> Option<i64> {
        self.lock().stocks.get(&(warehouse, chrt_id)).copied()
    }

    /// (price in roubles, discount %) of a card.
    pub fn price(&self, nm_id: i64) -> Option<(i64, i64)> {
        let mut st = self.lock();
        st.process_tasks();
        st.cards
            .iter()
            .find(|c| c.nm_id == nm_id)
            .map(|c| (c.price, c.discount))
    }

    fn scope_of(family: Family) -> Option<u32> {
        match family {
            Family::WbMarketplace => Some(4),
            Family::WbContent => Some(1),
            Family::WbPrices => Some(3),
            Family::WbAnalytics => Some(2),
            Family::WbStatistics | Family::WbFinance => Some(5),
            _ => None,
        }
    }

    fn auth(&self, family: Family, req: &Incoming) -> Result<String, Reply> {
        let given = req
            .header("authorization")
            .unwrap_or_default()
            .trim_start_matches("Bearer ")
            .to_owned();
        let Some((_, scopes)) = self.tokens.iter().find(|(t, _)| *t == given) else {
            let body = problem(
                401,
                "unauthorized",
                "token problem; token is malformed or unknown",
            );
            return Err(Reply::Json {
                status: 401,
                body,
                retry_after: None,
            });
        };
        if self.recorder.revoked() {
            let body = problem(401, "unauthorized", "token problem; token withdrawn");
            return Err(Reply::Json {
                status: 401,
                body,
                retry_after: None,
            });
        }
        if req.path != "/ping"
            && let Some(bit) = Self::scope_of(family)
            && scopes & (1 << bit) == 0
        {
            let body = problem(
                401,
                "unauthorized",
                "token scope not allowed for this API route",
            );
            return Err(Reply::Json {
                status: 401,
                body,
                retry_after: None,
            });
        }
        Ok(given)
    }

    fn limit(&self, family: Family, token: &str, path: &str) -> Result<(), Reply> {
        let (name, burst, interval) = match family {
            Family::WbMarketplace if path.ends_with("/cancel") => {
                ("cancel", 20, Duration::from_millis(600))
            }
            Family::WbMarketplace => ("marketplace", 20, Duration::from_millis(200)),
            Family::WbContent => ("content", 5, Duration::from_millis(600)),
            Family::WbPrices => ("prices", 5, Duration::from_millis(600)),
            Family::WbStatistics => ("statistics", 10, Duration::from_secs(60)),
            Family::WbFinance => ("finance", 2, Duration::from_secs(60)),
            // The FBO stocks report: 3 a minute, one every 20 s, burst 1.
            Family::WbAnalytics => ("analytics-stocks", 1, Duration::from_secs(20)),
            // Commission tariffs: one a minute, burst 2.
            Family::WbCommon if path.contains("/tariffs/") => {
                ("tariffs", 2, Duration::from_secs(60))
            }
            _ => ("common", 10, Duration::from_secs(6)),
        };
        let key = format!("{}:{name}", &token[token.len().saturating_sub(12)..]);
        self.lock()
            .buckets
            .take(&key, burst, interval, 1.0)
            .map_err(|wait| Reply::Json {
                status: 429,
                body: problem(429, "too many requests", "limited by sandbox token bucket"),
                retry_after: Some(wait.as_secs().max(1)),
            })
    }
}

/// `GET /api/v1/tariffs/commission`: every subject the sandbox sells (at its fee on the
/// seller's warehouse) and a few it does not, with their parent categories.
fn commissions(locale: Option<&str>) -> Result<Reply, Reply> {
    if !matches!(locale, None | Some("ru" | "en" | "zh")) {
        return Err(Reply::Json {
            status: 400,
            body: problem(
                400,
                "Bad Request",
                "parameter \"locale\" in query has an error: value is not one of the allowed values [\"ru\",\"en\",\"zh\"]",
            ),
            retry_after: None,
        });
    }
    let fbs = WB_PERCENT as f64;
    let mut report: Vec<Value> = SUBJECTS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"kgvpBooking": fbs - 1.0, "kgvpMarketplace": fbs, "kgvpPickup": fbs - 1.0, "kgvpSupplier": fbs - 2.5,
                   "kgvpSupplierExpress": 3.0, "paidStorageKgvp": fbs - 1.5, "parentID": 700 + i as i64,
                   "parentName": "Товары для дома", "subjectID": 105 + i as i64, "subjectName": name})
        })
        .collect();
    report.push(json!({"kgvpBooking": 14.5, "kgvpMarketplace": 15.5, "kgvpPickup": 14.5, "kgvpSupplier": 12.5,
                       "kgvpSupplierExpress": 3.0, "paidStorageKgvp": 15.5, "parentID": 657,
                       "parentName": "Бытовая техника", "subjectID": 6461, "subjectName": "Оборудование зуботехническое"}));
    Ok(Reply::ok(json!({"report": report})))
}

impl State {
    fn new_order(&mut self, at: i64) -> i64 {
        self.next_order += 1;
        let card = self.rng.below(self.cards.len().max(1) as u64) as usize;
        let size = self
            .rng
            .below(self.cards.get(card).map_or(1, |c| c.sizes.len()) as u64)
            as usize;
        let warehouse_id = self.warehouses[self.rng.below(self.warehouses.len() as u64) as usize].0;
        let rid = format!(
            "{}.{}.0.{}",
            self.rng.next_u64() % 1_000_000_000,
            self.next_order % 100_000,
            self.rng.below(10)
        );
        self.orders.push(Order {
            id: self.next_order,
            rid,
            created: at,
            changed: at,
            warehouse_id,
            card,
            size,
            supplier_status: "new",
            wb_status: "waiting",
            supply: None,
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
            self.new_order(self.last_tick + elapsed * (i + 1) / (count + 1));
        }
        let hours = elapsed as f64 / 3600.0;
        for i in 0..self.orders.len() {
            let roll = self.rng.unit();
            let o = &mut self.orders[i];
            let next = match (o.supplier_status, o.wb_status) {
                ("new", "waiting") if roll < 0.02 * hours => ("cancel", "canceled_by_client"),
                ("complete", "sorted") if now - o.changed > 86_400 => ("complete", "sold"),
                _ => continue,
            };
            (o.supplier_status, o.wb_status) = next;
            o.changed = now;
        }
        self.last_tick = now;
    }

    fn price_after(&self, c: &Card) -> f64 {
        (c.price * (100 - c.discount)) as f64 / 100.0
    }

    fn order_json(&self, o: &Order, with_supply: bool) -> Value {
        let c = &self.cards[o.card];
        let s = &c.sizes[o.size];
        let price = (self.price_after(c) * 100.0).round() as i64;
        let mut v = json!({
            "id": o.id, "rid": o.rid, "orderUid": format!("{}_{}", o.id, o.created), "createdAt": ts(o.created),
            "warehouseId": o.warehouse_id, "officeId": 2_071, "offices": ["Москва"], "nmId": c.nm_id, "chrtId": s.chrt_id,
            "article": c.vendor_code, "colorCode": "", "skus": [s.barcode], "price": price, "convertedPrice": price,
            "currencyCode": 643, "convertedCurrencyCode": 643, "cargoType": 1, "crossBorderType": 0, "deliveryType": "fbs",
            "isZeroOrder": false, "comment": "", "options": {"isB2B": false},
        });
        // Every fourth card is oversized.
        if c.nm_id % 4 == 0 {
            v["cargoType"] = json!(2);
        }
        if with_supply {
            v["supplyId"] = json!(o.supply.clone().unwrap_or_default());
        }
        v
    }
}

fn int(v: Option<&str>) -> Option<i64> {
    v.and_then(|s| s.parse().ok())
}

fn ids(v: &Value, max: usize) -> Result<Vec<i64>, Reply> {
    let list = v
        .as_array()
        .ok_or_else(|| err(400, "IncorrectRequestBody", "Incorrect required body"))?;
    if list.len() > max {
        return Err(err(
            400,
            "IncorrectRequestBody",
            &format!("at most {max} items"),
        ));
    }
    list.iter()
        .map(|x| {
            x.as_i64()
                .ok_or_else(|| err(400, "IncorrectRequestBody", "ids must be integers"))
        })
        .collect()
}

impl Emulator for WbHost {
    fn place(&self, _body: &Value) -> Option<String> {
        (self.family == Family::WbMarketplace).then(|| self.sandbox.place_order().to_string())
    }

    fn cancel_as_buyer(&self, id: &str) -> bool {
        self.family == Family::WbMarketplace
            && id.parse().is_ok_and(|id| self.sandbox.cancel_as_buyer(id))
    }

    fn recorder(&self) -> &Recorder {
        &self.sandbox.recorder
    }

    fn error(&self, status: u16, message: &str) -> Reply {
        match status {
            401 | 429 => Reply::Json {
                status,
                body: problem(status, &message.to_lowercase(), message),
                retry_after: None,
            },
            _ => err(status, "InternalServerError", message),
        }
    }

    fn handle(&self, req: &Incoming) -> Reply {
        let sb = &self.sandbox;
        let token = match sb.auth(self.family, req) {
            Ok(t) => t,
            Err(r) => return r,
        };
        if let Err(r) = sb.limit(self.family, &token, &req.path) {
            return r;
        }
        let now = sb.clock.unix();
        let body = if req.method == "GET" || req.body.is_empty() {
            Value::Null
        } else {
            match req.json() {
                Ok(v) => v,
                Err(_) => return err(400, "IncorrectRequestBody", "Incorrect required body"),
            }
        };
        let mut st = sb.lock();
        st.tick(now);
        st.process_tasks();
        let segs: Vec<&str> = req.path.trim_matches('/').split('/').collect();
        let m = req.method.as_str();
        let result = match (self.family, m, segs.as_slice()) {
            (_, "GET", ["ping"]) => Ok(Reply::ok(json!({"TS": ts(now), "Status": "OK"}))),
            (Family::WbCommon, "GET", ["api", "v1", "seller-info"]) => Ok(Reply::ok(
                json!({"name": "ИП Петрова Анна Сергеевна", "sid": "5f1d7a3c-2b9e-4c8d-a1f0-9e8d7c6b5a41", "tin": "771234567890", "tradeMark": "Ромашка"}),
            )),
            (Family::WbCommon, "GET", ["api", "v1", "tariffs", "commission"]) => {
                commissions(req.query("locale"))
            }
            (Family::WbMarketplace, "GET", ["api", "v3", "warehouses"]) => Ok(Reply::ok(Value::Array(
                st.warehouses
                    .iter()
                    .map(|(id, name)| json!({"id": id, "name": name, "officeId": 2_071, "cargoType": 1, "deliveryType": 1, "isDeleting": false, "isProcessing": false}))
                    .collect(),
            ))),
            (Family::WbMarketplace, "GET", ["api", "v3", "orders", "new"]) => {
                let list: Vec<Value> = st.orders.iter().filter(|o| o.supplier_status == "new" && o.wb_status == "waiting").map(|o| {
                    let mut v = st.order_json(o, false);
                    // An oversized order names the date to bring it to WB's sorting centre
                    // by (only in the new orders' list, as the spec has it).
                    if v["cargoType"] == json!(2) {
                        v["sellerDate"] = json!(ts(o.created + 2 * 86_400));
                    }
                    v["requiredMeta"] = json!([]);
                    v["optionalMeta"] = json!([]);
                    v["isPickupPointShipmentAllowed"] = json!(false);
                    v
                }).collect();
                Ok(Reply::ok(json!({"orders": list})))
            }
            (Family::WbMarketplace, "GET", ["api", "v3", "orders"]) => orders_list(&st, req, now),
            (Family::WbMarketplace, "POST", ["api", "v3", "orders", "status"]) => statuses(&st, &body),
            (Family::WbMarketplace, "PATCH", ["api", "v3", "orders", id, "cancel"]) => cancel(&mut st, id, now),
            (Family::WbMarketplace, "POST", ["api", "v3", "orders", "stickers"]) => stickers(&st, req, &body),
            (Family::WbMarketplace, "POST", ["api", "v3", "supplies"]) => {
                st.next_supply += 1;
                let id = format!("WB-GI-{}", st.next_supply);
                let name = body["name"].as_str().unwrap_or_default().to_owned();
                st.supplies.push(Supply { id: id.clone(), name, created: now, closed: None, orders: Vec::new() });
                Ok(Reply::Json { status: 201, body: json!({"id": id}), retry_after: None })
            }
            (Family::WbMarketplace, "GET", ["api", "v3", "supplies"]) => supplies(&st, req),
            (Family::WbMarketplace, "PATCH", ["api", "marketplace", "v3", "supplies", id, "orders"]) => add_to_supply(&mut st, id, &body, now),
            (Family::WbMarketplace, "PATCH", ["api", "v3", "supplies", id, "deliver"]) => deliver(&mut st, id, now),
            (Family::WbMarketplace, "GET", ["api", "marketplace", "v3", "supplies", id, "order-ids"]) => st
                .supplies
                .iter()
                .find(|s| s.id == *id)
                .map(|s| Reply::ok(json!({"orderIds": s.orders})))
                .ok_or_else(|| err(404, "NotFound", "Не найдено")),
            (Family::WbMarketplace, "GET", ["api", "v3", "supplies", id, "barcode"]) => {
                if !matches!(req.query("type"), Some("svg" | "zplv" | "zplh" | "png")) {
                    Err(err(400, "IncorrectParameter", "type must be svg, zplv, zplh or png"))
                } else if !st.supplies.iter().any(|s| s.id == *id) {
                    Err(err(404, "NotFound", "Не найдено"))
                } else if st.supplies.iter().any(|s| s.id == *id && s.closed.is_none()) {
                    // WB gives a supply's QR code once it is handed over.
                    Err(err(409, "FailedToGetSupplyBarcode", "Поставка ещё не передана в доставку"))
                } else {
                    let file = base64::engine::general_purpose::STANDARD.encode(barcode_png(id));
                    Ok(Reply::ok(json!({"barcode": id, "file": file})))
                }
            }
            (Family::WbMarketplace, "POST", ["api", "v3", "stocks", wh]) => stocks_read(&st, wh, &body),
            (Family::WbMarketplace, "PUT", ["api", "v3", "stocks", wh]) => stocks_write(&mut st, wh, &body),
            (Family::WbContent, "POST", ["content", "v2", "get", "cards", "list"]) => cards(&st, &body),
            (Family::WbPrices, "POST", ["api", "v2", "upload", "task"]) => upload_prices(&mut st, &body, now),
            (Family::WbPrices, "GET", ["api", "v2", "history", "tasks"]) | (Family::WbPrices, "GET", ["api", "v2", "buffer", "tasks"]) => {
                let buffer = segs[2] == "buffer";
                task_state(&st, req, buffer)
            }
            (Family::WbPrices, "GET", ["api", "v2", "history", "goods", "task"]) => task_goods(&st, req),
            (Family::WbPrices, "GET", ["api", "v2", "list", "goods", "filter"]) => goods(&st, req),
            (Family::WbStatistics, "GET", ["api", "v1", "supplier", "orders"]) => stat_orders(&st, req),
            (Family::WbFinance, "POST", ["api", "finance", "v1", "sales-reports", "detailed"]) => {
                st.make_report(now);
                detailed(&st, &body)
            }
            (Family::WbAnalytics, "POST", ["api", "analytics", "v1", "stocks-report", "wb-warehouses"]) => fbo_stocks(&st, &body),
            _ => Err(Reply::Json { status: 404, body: json!({"code": "NotFound", "message": "Not Found", "data": {}}), retry_after: None }),
        };
        result.unwrap_or_else(|r| r)
    }
}

fn orders_list(st: &State, req: &Incoming, now: i64) -> Result<Reply, Reply> {
    let limit = int(req.query("limit"))
        .filter(|l| (1..=1000).contains(l))
        .ok_or_else(|| err(400, "IncorrectParameter", "limit must be 1..1000"))?;
    let next =
        int(req.query("next")).ok_or_else(|| err(400, "IncorrectParameter", "next is required"))?;
    let from = int(req.query("dateFrom")).unwrap_or(now - 30 * 86_400);
    let to = int(req.query("dateTo")).unwrap_or(now);
    if to - from > 30 * 86_400 {
        return Err(err(
            400,
            "IncorrectParameter",
            "the period may not exceed 30 days",
        ));
    }
    let page: Vec<&Order> = st
        .orders
        .iter()
        .filter(|o| o.created >= from && o.created <= to && o.id > next)
        .take(limit as usize)
        .collect();
    let new_next = page.last().map_or(next, |o| o.id);
    let orders: Vec<Value> = page.iter().map(|o| st.order_json(o, true)).collect();
    Ok(Reply::ok(json!({"next": new_next, "orders": orders})))
}

fn statuses(st: &State, body: &Value) -> Result<Reply, Reply> {
    let wanted = ids(&body["orders"], 1000)?;
    let list: Vec<Value> = st
        .orders
        .iter()
        .filter(|o| wanted.contains(&o.id))
        .map(|o| {
            json!({"id": o.id, "supplierStatus": o.supplier_status, "wbStatus": o.wb_status,
                        "isCancellable": matches!(o.supplier_status, "new" | "confirm")})
        })
        .collect();
    Ok(Reply::ok(json!({"orders": list})))
}

fn cancel(st: &mut State, id: &str, now: i64) -> Result<Reply, Reply> {
    let id: i64 = id
        .parse()
        .map_err(|_| err(400, "IncorrectParameter", "orderId must be an integer"))?;
    let o = st
        .orders
        .iter_mut()
        .find(|o| o.id == id)
        .ok_or_else(|| err(404, "NotFound", "Не найдено"))?;
    if !matches!(o.supplier_status, "new" | "confirm") {
        return Err(err(409, "StatusMismatch", "Несоответствие статусов"));
    }
    o.supplier_status = "cancel";
    o.wb_status = "canceled";
    o.changed = now;
    Ok(Reply::Empty { status: 204 })
}

fn stickers(st: &State, req: &Incoming, body: &Value) -> Result<Reply, Reply> {
    let ok_type = matches!(req.query("type"), Some("svg" | "zplv" | "zplh" | "png"));
    let ok_size = matches!(
        (req.query("width"), req.query("height")),
        (Some("58"), Some("40")) | (Some("40"), Some("30"))
    );
    if !ok_type || !ok_size {
        return Err(err(
            400,
            "IncorrectParameter",
            "type, width and height are required",
        ));
    }
    let wanted = ids(&body["orders"], 100)?;
    let svg = req.query("type") == Some("svg");
    let stickers: Vec<Value> = st
        .orders
        .iter()
        .filter(|o| wanted.contains(&o.id) && matches!(o.supplier_status, "confirm" | "complete"))
        .map(|o| {
            let part_a = (o.id / 10_000).to_string();
            let part_b = format!("{:04}", o.id % 10_000);
            let code = format!("*{}", o.id);
            let bytes = if svg { barcode_svg(&code) } else { barcode_png(&code) };
            let file = base64::engine::general_purpose::STANDARD.encode(bytes);
            json!({"orderId": o.id, "partA": part_a, "partB": part_b, "barcode": format!("*{}", o.id), "file": file})
        })
        .collect();
    Ok(Reply::ok(json!({"stickers": stickers})))
}

fn supplies(st: &State, req: &Incoming) -> Result<Reply, Reply> {
    let limit = int(req.query("limit"))
        .filter(|l| (1..=1000).contains(l))
        .ok_or_else(|| err(400, "IncorrectParameter", "limit must be 1..1000"))?;
    let next =
        int(req.query("next")).ok_or_else(|| err(400, "IncorrectParameter", "next is required"))?;
    let page: Vec<(usize, &Supply)> = st
        .supplies
        .iter()
        .enumerate()
        .skip(next as usize)
        .take(limit as usize)
        .collect();
    let new_next = page.last().map_or(next, |(i, _)| *i as i64 + 1);
    let list: Vec<Value> = page
        .iter()
        .map(|(_, s)| json!({"id": s.id, "name": s.name, "done": s.closed.is_some(), "createdAt": ts(s.created),
                             "closedAt": s.closed.map(ts), "scanDt": null, "cargoType": 0, "isB2b": false,
                             "isPickupPointShipmentAllowed": false, "crossBorderType": 0}))
        .collect();
    Ok(Reply::ok(json!({"next": new_next, "supplies": list})))
}

fn add_to_supply(st: &mut State, id: &str, body: &Value, now: i64) -> Result<Reply, Reply> {
    let wanted = ids(&body["orders"], 100)?;
    if wanted.is_empty() {
        return Err(err(400, "IncorrectRequestBody", "orders are required"));
    }
    let supply = st
        .supplies
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| err(404, "NotFound", "Не найдено"))?;
    if st.supplies[supply].closed.is_some() {
        return Err(err(409, "SupplyIsDone", "Поставка уже передана в доставку"));
    }
    for oid in &wanted {
        let o = st
            .orders
            .iter()
            .find(|o| o.id == *oid)
            .ok_or_else(|| err(404, "NotFound", "Не найдено"))?;
        if o.supplier_status != "new"
            && !(o.supplier_status == "confirm" && o.supply.as_deref() == Some(id))
        {
            return Err(err(409, "StatusMismatch", "Несоответствие статусов"));
        }
    }
    for o in st.orders.iter_mut().filter(|o| wanted.contains(&o.id)) {
        o.supplier_status = "confirm";
        o.supply = Some(id.to_owned());
        o.changed = now;
    }
    let s = &mut st.supplies[supply];
    for oid in wanted {
        if !s.orders.contains(&oid) {
            s.orders.push(oid);
        }
    }
    Ok(Reply::Empty { status: 204 })
}

fn deliver(st: &mut State, id: &str, now: i64) -> Result<Reply, Reply> {
    let s = st
        .supplies
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or_else(|| err(404, "NotFound", "Не найдено"))?;
    if s.closed.is_some() {
        return Err(err(409, "SupplyIsDone", "Поставка уже передана в доставку"));
    }
    if s.orders.is_empty() {
        return Err(err(409, "SupplyHasNoOrders", "В поставке нет заказов"));
    }
    s.closed = Some(now);
    let list = s.orders.clone();
    for o in st
        .orders
        .iter_mut()
        .filter(|o| list.contains(&o.id) && o.supplier_status == "confirm")
    {
        o.supplier_status = "complete";
        o.wb_status = "sorted";
        o.changed = now;
    }
    Ok(Reply::Empty { status: 204 })
}

fn warehouse(st: &State, wh: &str) -> Result<i64, Reply> {
    let id: i64 = wh
        .parse()
        .map_err(|_| err(400, "IncorrectParameter", "warehouseId must be an integer"))?;
    if st.warehouses.iter().any(|(w, _)| *w == id) {
        Ok(id)
    } else {
        Err(err(404, "NotFound", "Не найдено"))
    }
}

fn stocks_read(st: &State, wh: &str, body: &Value) -> Result<Reply, Reply> {
    let wh = warehouse(st, wh)?;
    let wanted = ids(&body["chrtIds"], 1000)?;
    let list: Vec<Value> = wanted
        .iter()
        .filter_map(|c| {
            st.stocks
                .get(&(wh, *c))
                .map(|a| json!({"chrtId": c, "amount": a}))
        })
        .collect();
    Ok(Reply::ok(json!({"stocks": list})))
}

fn stocks_write(st: &mut State, wh: &str, body: &Value) -> Result<Reply, Reply> {
    let wh = warehouse(st, wh)?;
    let items = body["stocks"]
        .as_array()
        .ok_or_else(|| err(400, "IncorrectRequestBody", "Incorrect required body"))?
        .clone();
    if items.is_empty() || items.len() > 1000 {
        return Err(err(
            400,
            "IncorrectRequestBody",
            "stocks: from 1 to 1000 items",
        ));
    }
    let mut not_found = Vec::new();
    let mut too_big = Vec::new();
    for item in &items {
        // Unknown field names are not validated: such an item changes nothing.
        let (Some(chrt), Some(amount)) = (item["chrtId"].as_i64(), item["amount"].as_i64()) else {
            continue;
        };
        let known = st.chrt_barcode.get(&chrt).cloned();
        match known {
            None => not_found.push(json!({"chrtId": chrt, "amount": amount, "sku": ""})),
            Some(sku) if !(0..=100_000).contains(&amount) => {
                too_big.push(json!({"chrtId": chrt, "amount": amount, "sku": sku}))
            }
            Some(_) => {
                st.stocks.insert((wh, chrt), amount);
            }
        }
    }
    if not_found.is_empty() && too_big.is_empty() {
        return Ok(Reply::Empty { status: 204 });
    }
    let mut errors = Vec::new();
    if !not_found.is_empty() {
        errors.push(json!({"code": "NotFound", "message": "Not found", "data": not_found}));
    }
    if !too_big.is_empty() {
        errors.push(json!({"code": "UploadDataLimit", "message": "Upload limit exceeded.", "data": too_big}));
    }
    Ok(Reply::Json {
        status: 409,
        body: Value::Array(errors),
        retry_after: None,
    })
}

fn cards(st: &State, body: &Value) -> Result<Reply, Reply> {
    let cursor = &body["settings"]["cursor"];
    let limit = cursor["limit"].as_i64().filter(|l| (1..=100).contains(l)).ok_or_else(|| {
        Reply::Json { status: 400, body: json!({"data": {}, "error": true, "errorText": "cursor.limit must be 1..100", "additionalErrors": {}}), retry_after: None }
    })?;
    let after = (
        cursor["updatedAt"].as_str().and_then(parse_time),
        cursor["nmID"].as_i64(),
    );
    let page: Vec<&Card> = st
        .cards
        .iter()
        .filter(|c| match after {
            (Some(u), Some(n)) => (c.updated, c.nm_id) > (u, n),
            _ => true,
        })
        .take(limit as usize)
        .collect();
    let list: Vec<Value> = page
        .iter()
        .map(|c| {
            let sizes: Vec<Value> = c.sizes.iter().map(|s| json!({"chrtID": s.chrt_id, "techSize": s.tech_size, "wbSize": "", "skus": [s.barcode]})).collect();
            json!({"nmID": c.nm_id, "imtID": c.nm_id + 1, "nmUUID": format!("0198c5a4-0000-7000-8000-{:012}", c.nm_id), "subjectID": 105,
                   "subjectName": c.subject, "vendorCode": c.vendor_code, "brand": "Ромашка", "title": c.title, "description": "",
                   "needKiz": false, "kizMarked": false, "photos": [], "video": "",
                   "dimensions": {"length": 30, "width": 20, "height": 10, "weightBrutto": 0.5, "isValid": true},
                   "characteristics": [], "sizes": sizes, "tags": [], "createdAt": ts(c.updated - 86_400), "updatedAt": ts(c.updated)})
        })
        .collect();
    let last = page.last();
    Ok(Reply::ok(
        json!({"cards": list, "cursor": {"updatedAt": last.map(|c| ts(c.updated)).unwrap_or_default(),
                                                  "nmID": last.map_or(0, |c| c.nm_id), "total": page.len()}}),
    ))
}

fn upload_prices(st: &mut State, body: &Value, now: i64) -> Result<Reply, Reply> {
    let items = body["data"]
        .as_array()
        .ok_or_else(|| price_err(400, "data is required"))?
        .clone();
    if items.is_empty() || items.len() > 1000 {
        return Err(price_err(400, "data: from 1 to 1000 goods"));
    }
    let mut goods = Vec::new();
    for item in &items {
        let nm = item["nmID"]
            .as_i64()
            .ok_or_else(|| price_err(400, "nmID is required"))?;
        let Some(card) = st.card_of_nm.get(&nm).copied() else {
            return Err(price_err(400, &format!("nmID {nm} not found")));
        };
        let price = item["price"].as_i64().unwrap_or(st.cards[card].price);
        let discount = item["discount"].as_i64().unwrap_or(st.cards[card].discount);
        let old_after = st.price_after(&st.cards[card]);
        let new_after = (price * (100 - discount.clamp(0, 99))) as f64 / 100.0;
        let error = if price <= 0 {
            Some("The price must be positive".to_owned())
        } else if !(0..=99).contains(&discount) {
            Some("The discount must be from 0 to 99".to_owned())
        } else if new_after * 3.0 <= old_after {
            Some("The new price is at least 3 times lower than the old one: the goods are in price quarantine".to_owned())
        } else {
            None
        };
        goods.push((card, price, discount, error));
    }
    let failed = goods.iter().filter(|g| g.3.is_some()).count();
    let status = if failed == 0 {
        3
    } else if failed == goods.len() {
        6
    } else {
        5
    };
    st.next_task += 1;
    let id = st.next_task;
    st.tasks.push(PriceTask {
        id,
        at: now,
        status,
        goods,
        ready: std::time::Instant::now() + PROCESSING,
        processed: false,
    });
    Ok(Reply::ok(
        json!({"data": {"id": id, "alreadyExists": false}, "error": false, "errorText": ""}),
    ))
}

fn find_task<'a>(st: &'a State, req: &Incoming) -> Result<&'a PriceTask, Reply> {
    let id = int(req.query("uploadID")).ok_or_else(|| price_err(400, "uploadID is required"))?;
    st.tasks
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| price_err(400, "Task not found"))
}

fn task_state(st: &State, req: &Incoming, buffer: bool) -> Result<Reply, Reply> {
    let t = find_task(st, req)?;
    // The buffer knows an upload while it is processed, the history once it is.
    if buffer == t.processed {
        return Ok(Reply::ok(
            json!({"data": null, "error": false, "errorText": ""}),
        ));
    }
    let status = if buffer { 1 } else { t.status };
    let ok = if buffer {
        0
    } else {
        t.goods.iter().filter(|g| g.3.is_none()).count()
    };
    Ok(Reply::ok(
        json!({"data": {"uploadID": t.id, "status": status, "uploadDate": ts(t.at), "activationDate": ts(t.at),
                                  "overAllGoodsNumber": t.goods.len(), "successGoodsNumber": ok},
                        "error": false, "errorText": ""}),
    ))
}

fn task_goods(st: &State, req: &Incoming) -> Result<Reply, Reply> {
    let t = find_task(st, req)?;
    if !t.processed {
        return Ok(Reply::ok(json!({"data": null})));
    }
    let limit = int(req.query("limit"))
        .filter(|l| (1..=1000).contains(l))
        .ok_or_else(|| price_err(400, "limit must be 1..1000"))? as usize;
    let offset = int(req.query("offset")).unwrap_or(0).max(0) as usize;
    let list: Vec<Value> = t
        .goods
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(card, price, discount, error)| {
            let c = &st.cards[*card];
            json!({"nmID": c.nm_id, "vendorCode": c.vendor_code, "sizeID": c.sizes[0].chrt_id, "techSizeName": c.sizes[0].tech_size,
                   "price": price, "currencyIsoCode4217": "RUB", "discount": discount, "clubDiscount": 0,
                   "status": if error.is_some() { 3 } else { 2 }, "errorText": error.clone().unwrap_or_default()})
        })
        .collect();
    Ok(Reply::ok(
        json!({"data": {"uploadID": t.id, "historyGoods": list}}),
    ))
}

fn goods(st: &State, req: &Incoming) -> Result<Reply, Reply> {
    let limit = int(req.query("limit"))
        .filter(|l| (1..=1000).contains(l))
        .ok_or_else(|| price_err(400, "limit must be 1..1000"))? as usize;
    let offset = int(req.query("offset")).unwrap_or(0).max(0) as usize;
    let filter = int(req.query("filterNmID"));
    let list: Vec<Value> = st
        .cards
        .iter()
        .filter(|c| filter.is_none_or(|f| f == c.nm_id))
        .skip(offset)
        .take(limit)
        .map(|c| {
            let after = st.price_after(c);
            // Every other card takes part in WB Club with 3% off.
            let club_discount = if c.nm_id % 2 == 0 { 3 } else { 0 };
            let club = (after * f64::from(100 - club_discount)).round() / 100.0;
            let sizes: Vec<Value> = c
                .sizes
                .iter()
                .map(|s| json!({"sizeID": s.chrt_id, "price": c.price, "discountedPrice": after, "clubDiscountedPrice": club, "techSizeName": s.tech_size}))
                .collect();
            json!({"nmID": c.nm_id, "vendorCode": c.vendor_code, "sizes": sizes, "currencyIsoCode4217": "RUB", "discount": c.discount,
                   "clubDiscount": club_discount, "editableSizePrice": false, "isBadTurnover": false})
        })
        .collect();
    Ok(Reply::ok(
        json!({"data": {"listGoods": list}, "error": false, "errorText": ""}),
    ))
}

fn stat_orders(st: &State, req: &Incoming) -> Result<Reply, Reply> {
    let from = req
        .query("dateFrom")
        .and_then(parse_time)
        .ok_or_else(|| Reply::Json {
            status: 400,
            body: json!({"errors": ["dateFrom: invalid date"]}),
            retry_after: None,
        })?;
    let mut rows = Vec::new();
    for o in st.orders.iter().filter(|o| o.changed >= from) {
        let c = &st.cards[o.card];
        let s = &c.sizes[o.size];
        rows.push(json!({
            "date": msk(o.created), "lastChangeDate": msk(o.changed), "warehouseName": "Склад продавца", "warehouseType": "Склад продавца",
            "countryName": "Россия", "oblastOkrugName": "Центральный федеральный округ", "regionName": "Москва",
            "supplierArticle": c.vendor_code, "nmId": c.nm_id, "barcode": s.barcode, "category": "Товары", "subject": c.subject,
            "brand": "Ромашка", "techSize": s.tech_size, "incomeID": 0, "isSupply": false, "isRealization": true,
            "totalPrice": c.price, "discountPercent": c.discount, "spp": 0, "finishedPrice": st.price_after(c),
            "priceWithDisc": st.price_after(c), "isCancel": o.supplier_status == "cancel",
            "cancelDate": if o.supplier_status == "cancel" { msk(o.changed) } else { "0001-01-01T00:00:00".into() },
            "sticker": o.id.to_string(), "gNumber": format!("{}", 90_000_000_000i64 + o.id % 1_000_000), "srid": o.rid,
        }));
    }
    // FBO (FBW) orders: the marketplace's own warehouses, a few per card.
    for (i, c) in st.cards.iter().enumerate().take(3) {
        let at = st.last_tick - (i as i64 + 1) * 5 * 3600;
        if at < from {
            continue;
        }
        rows.push(json!({
            "date": msk(at), "lastChangeDate": msk(at), "warehouseName": "Коледино", "warehouseType": "Склад WB",
            "countryName": "Россия", "oblastOkrugName": "Приволжский федеральный округ", "regionName": "Татарстан",
            "supplierArticle": c.vendor_code, "nmId": c.nm_id, "barcode": c.sizes[0].barcode, "category": "Товары", "subject": c.subject,
            "brand": "Ромашка", "techSize": c.sizes[0].tech_size, "incomeID": 31_337, "isSupply": false, "isRealization": true,
            "totalPrice": c.price, "discountPercent": c.discount, "spp": 5, "finishedPrice": st.price_after(c),
            "priceWithDisc": st.price_after(c), "isCancel": false, "cancelDate": "0001-01-01T00:00:00",
            "sticker": "", "gNumber": format!("{}", 80_000_000_000i64 + i as i64), "srid": format!("fbw.{}.{}", c.nm_id, i),
        }));
    }
    rows.sort_by(|a, b| {
        a["lastChangeDate"]
            .as_str()
            .cmp(&b["lastChangeDate"].as_str())
    });
    rows.truncate(80_000);
    Ok(Reply::ok(Value::Array(rows)))
}

/// The FBO stocks report on WB warehouses, by the shared rule over card positions.
fn fbo_stocks(st: &State, body: &Value) -> Result<Reply, Reply> {
    let goods: Vec<fbo::WbGood> = st
        .cards
        .iter()
        .map(|c| fbo::WbGood {
            nm_id: c.nm_id,
            chrt_ids: c.sizes.iter().map(|s| s.chrt_id).collect(),
        })
        .collect();
    fbo::wb_stocks(&goods, body).map(Reply::ok).map_err(|detail| Reply::Json {
        status: 400,
        body: json!({"title": "Invalid request body", "detail": detail, "requestId": "0f3c9d2e7a1b4c5d8e6f",
                     "origin": "analytic-open-api"}),
        retry_after: None,
    })
}

fn money(k: i64) -> String {
    format!("{}.{:02}", k / 100, k % 100)
}

impl State {
    /// Makes the report rows that are due by `now`: a sale three days after the order was
    /// sold, a return three days after the buyer sent it back (WB reverses the sale and
    /// charges the logistics back).
    fn make_report(&mut self, now: i64) {
        let due = now - REPORT_DAYS * 86_400;
        let mut made: Vec<(usize, &'static str, i64)> = Vec::new();
        let returns: HashMap<i64, i64> = self.returns.iter().copied().collect();
        for (i, o) in self.orders.iter().enumerate() {
            let back = returns.get(&o.id).copied();
            let sold = o.wb_status == "sold" || back.is_some();
            if sold && o.changed <= due && !self.reported.contains(&(i, "Продажа")) {
                made.push((i, "Продажа", o.changed));
            }
            if let Some(at) = back
                && at <= due
                && !self.reported.contains(&(i, "Возврат"))
            {
                made.push((i, "Возврат", at));
            }
        }
        // Each week of paid storage, once it is due like any row.
        while self.opened + (self.storage_weeks + 1) * 7 * 86_400 <= due {
            self.storage_weeks += 1;
            made.push((
                NO_ORDER,
                "Хранение",
                self.opened + self.storage_weeks * 7 * 86_400,
            ));
        }
        made.sort_by_key(|m| (m.2, m.0));
        for (i, doc, day) in made {
            if i == NO_ORDER {
                let rrd_id = 1_000_000 + self.report.len() as i64;
                self.report.push(ReportRow {
                    rrd_id,
                    order: NO_ORDER,
                    doc,
                    day,
                    retail: 0,
                    commission: 0,
                    logistics: WEEKLY_STORAGE,
                });
                continue;
            }
            let o = &self.orders[i];
            let c = &self.cards[o.card];
            let retail = (self.price_after(c) * 100.0).round() as i64;
            let sale = self
                .report
                .iter()
                .find(|r| r.order == i && r.doc == "Продажа");
            let (retail, commission) = match (doc, sale) {
                ("Возврат", Some(s)) => (s.retail, s.commission),
                _ => (retail, retail * WB_PERCENT / 100),
            };
            let rrd_id = 1_000_000 + self.report.len() as i64;
            self.reported.insert((i, doc));
            self.report.push(ReportRow {
                rrd_id,
                order: i,
                doc,
                day,
                retail,
                commission,
                logistics: WB_LOGISTICS,
            });
        }
    }
}

fn detailed(st: &State, body: &Value) -> Result<Reply, Reply> {
    let bad = |d: &str| Reply::Json {
        status: 400,
        body: json!({"status": 400, "title": "Bad Request", "detail": d, "requestId": "sandbox", "origin": "finance"}),
        retry_after: None,
    };
    let from = body["dateFrom"]
        .as_str()
        .and_then(parse_time)
        .ok_or_else(|| bad("dateFrom is required"))?;
    let to = body["dateTo"]
        .as_str()
        .and_then(parse_time)
        .ok_or_else(|| bad("dateTo is required"))?
        + 86_399;
    let limit = body["limit"].as_i64().unwrap_or(100_000).clamp(1, 100_000) as usize;
    let after = body["rrdId"].as_i64().unwrap_or(0);
    let mut rows = Vec::new();
    for r in &st.report {
        if r.rrd_id <= after || r.day < from || r.day > to {
            continue;
        }
        // The account's own row (a week of paid storage) has every field of a row, none
        // of an order's: drawn on the first order, then emptied.
        let storage = r.order == NO_ORDER;
        let Some(o) = st.orders.get(if storage { 0 } else { r.order }) else {
            continue;
        };
        let c = &st.cards[o.card];
        let s = &c.sizes[o.size];
        let for_pay = r.retail - r.commission;
        rows.push(json!({
            "reportId": 310_000_001, "dateFrom": date(from), "dateTo": date(to), "createDate": date(r.day), "currency": "RUB",
            "reportType": 1, "rrdId": r.rrd_id, "giId": 0, "dlvPrc": 1.0, "fixTariffDateFrom": date(from), "fixTariffDateTo": date(to),
            "subjectName": c.subject, "nmId": c.nm_id, "brandName": "Ромашка", "vendorCode": c.vendor_code, "title": c.title,
            "techSize": s.tech_size, "sku": s.barcode, "docTypeName": r.doc, "quantity": 1, "retailPrice": money(c.price * 100),
            "retailAmount": money(r.retail), "salePercent": c.discount, "commissionPercent": WB_PERCENT as f64, "officeName": "Коледино",
            "sellerOperName": r.doc, "orderDt": ts(o.created), "saleDt": ts(r.day), "rrDate": date(r.day),
            "shkId": o.id, "retailPriceWithDisc": money(r.retail), "deliveryAmount": i64::from(r.doc == "Продажа"),
            "returnAmount": i64::from(r.doc == "Возврат"),
            "deliveryService": money(r.logistics), "giBoxTypeName": "Без коробов", "productDiscountForReport": c.discount as f64,
            "sellerPromo": "0", "spp": 0.0, "kvwBase": WB_PERCENT as f64, "kvw": WB_PERCENT as f64, "supRatingUp": 0.0, "isKgvpV2": 0.0,
            "ppvzSalesCommission": money(r.commission), "forPay": money(for_pay), "ppvzReward": "0.00",
            "acquiringFee": "0.00", "acquiringPercent": 0.0, "paymentProcessing": "", "acquiringBank": "", "vw": money(r.commission),
            "vwNds": "0.00", "ppvzOfficeName": "Коледино", "ppvzOfficeId": 2_071, "ppvzSupplierName": "ИП Петрова Анна Сергеевна",
            "ppvzSupplierInn": "771234567890", "declarationNumber": "", "bonusTypeName": "", "stickerId": o.id.to_string(),
            "country": "Россия", "srvDbs": false, "penalty": "0.00", "additionalPayment": "0.00", "rebillLogisticCost": "0.00",
            "rebillLogisticOrg": "", "paidStorage": "0.00", "deduction": "0.00", "paidAcceptance": "0.00", "orderId": o.id,
            "kiz": "", "isB2b": false, "trbxId": "", "installmentCofinancingAmount": "0.00", "wibesDiscountPercent": 0,
            "cashbackAmount": "0.00", "cashbackDiscount": "0.00", "cashbackCommissionChange": "0.00", "paymentSchedule": "",
            "deliveryMethod": "FBS", "sellerPromoId": 0, "sellerPromoDiscount": 0.0, "loyaltyId": 0, "loyaltyDiscount": 0.0,
            "uuidPromocode": "", "salePricePromocodeDiscountPrc": 0.0, "articleSubstitution": "", "salePriceAffiliatedDiscountPrc": 0.0,
            "agencyVat": 0.0, "salePriceWholesaleDiscountPrc": 0.0, "b2bCustomerTin": "", "paidWithSocialCertificate": false,
            "orderUid": format!("{}_{}", o.id, o.created), "srid": o.rid,
        }));
        if storage && let Some(Value::Object(row)) = rows.last_mut() {
            for (k, v) in [
                ("docTypeName", json!("")),
                ("sellerOperName", json!(r.doc)),
                ("quantity", json!(0)),
                ("retailPrice", json!("0.00")),
                ("retailAmount", json!("0.00")),
                ("retailPriceWithDisc", json!("0.00")),
                ("forPay", json!("0.00")),
                ("deliveryService", json!("0.00")),
                ("deliveryAmount", json!(0)),
                ("returnAmount", json!(0)),
                ("ppvzSalesCommission", json!("0.00")),
                ("vw", json!("0.00")),
                ("paidStorage", json!(money(r.logistics))),
                ("orderId", json!(0)),
                ("srid", json!("")),
                ("nmId", json!(0)),
                ("shkId", json!(0)),
                ("sku", json!("")),
                ("vendorCode", json!("")),
                ("subjectName", json!("")),
                ("title", json!("")),
                ("techSize", json!("")),
                ("stickerId", json!("")),
                ("orderUid", json!("")),
                ("saleDt", json!(ts(r.day))),
                ("orderDt", json!(ts(r.day))),
            ] {
                row.insert(k.to_owned(), v);
            }
        }
        if rows.len() >= limit {
            break;
        }
    }
    if rows.is_empty() {
        return Ok(Reply::Empty { status: 204 });
    }
    Ok(Reply::ok(Value::Array(rows)))
}
