//! What every marketplace sandbox shares: the exchange log the contract tests validate,
//! fault knobs (latency, error rate, malformed bodies, queued failures, a revoked key),
//! a deterministic random source and data generator, a token bucket for the sandbox's
//! own rate limits, and a small PDF writer for labels.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

/// One request and its answer, as seen on the wire.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub request: Option<Value>,
    pub status: u16,
    pub response: Option<Value>,
    /// The answer was a fault injected on purpose (a queued failure, a random error or a
    /// corrupted body), so it is not expected to follow the spec.
    pub injected: bool,
}

/// Fault knobs, settable from tests and from `POST /__admin/faults`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added to every answer.
    pub latency_ms: u64,
    /// Share of requests (0..1) answered with 500.
    pub error_rate: f64,
    /// Share of requests (0..1) answered with 429 (Retry-After: 1), as a marketplace's
    /// rate limiter does under load.
    pub throttle_rate: f64,
    /// The next N successful answers get one field of the wrong type.
    pub malformed_next: u32,
    /// Statuses to answer the next requests with, in order (429 carries Retry-After: 1).
    pub fail_next: VecDeque<u16>,
    /// The key was revoked: every call is refused as the marketplace refuses it.
    pub revoked: bool,
    /// The next N requests are carried out, but their answers are lost on the way back
    /// (a 502 arrives instead): the client cannot tell whether they took effect.
    pub lose_answer_next: u32,
}

/// A deterministic random source (SplitMix64), so a seed always makes the same data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A number in 0..1.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const NOUNS: &[&str] = &[
    "Кружка",
    "Футболка",
    "Рюкзак",
    "Термос",
    "Подушка",
    "Лампа",
    "Сковорода",
    "Плед",
    "Зонт",
    "Блокнот",
    "Кроссовки",
    "Шарф",
    "Чайник",
    "Органайзер",
    "Коврик",
    "Ланчбокс",
];
const ADJECTIVES: &[&str] = &[
    "керамическая",
    "хлопковая",
    "городской",
    "стальной",
    "ортопедическая",
    "настольная",
    "чугунная",
    "флисовый",
    "складной",
    "в клетку",
    "беговые",
    "вязаный",
    "электрический",
    "дорожный",
    "для йоги",
    "детский",
];
const COLOURS: &[&str] = &[
    "белый",
    "чёрный",
    "синий",
    "зелёный",
    "бежевый",
    "красный",
    "серый",
];

/// Goods a test lists on a marketplace: the same barcode on several marketplaces is the
/// same goods sold there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goods {
    pub vendor_code: String,
    pub name: String,
    pub barcode: String,
}

/// A page of `items`, each written out by `out` only once it is on the page: reading
/// 100 000 offers 500 at a time writes each once, not once a page.
pub fn window<T, U>(
    items: Vec<T>,
    start: usize,
    limit: usize,
    out: impl FnMut(T) -> U,
) -> (Vec<U>, Option<usize>) {
    let total = items.len();
    let page: Vec<U> = items.into_iter().skip(start).take(limit).map(out).collect();
    let next = start + page.len();
    (page, (next < total).then_some(next))
}

/// A Cyrillic product name.
pub fn product_name(rng: &mut Rng) -> String {
    format!(
        "{} {}, {}",
        rng.pick(NOUNS),
        rng.pick(ADJECTIVES),
        rng.pick(COLOURS)
    )
}

/// A valid EAN-13 barcode starting with the Russian prefix 46.
pub fn ean13(rng: &mut Rng) -> String {
    let mut digits: Vec<u32> = vec![4, 6];
    for _ in 0..10 {
        digits.push(rng.below(10) as u32);
    }
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

/// A token bucket for the sandbox's own limits (wall-clock time).
#[derive(Debug, Default)]
pub struct Buckets {
    buckets: HashMap<String, (f64, Instant)>,
}

impl Buckets {
    /// Takes one token of `key` (`burst` tokens, one more every `interval`); `Err(wait)`
    /// when empty.
    pub fn take(
        &mut self,
        key: &str,
        burst: u32,
        interval: Duration,
        cost: f64,
    ) -> Result<(), Duration> {
        let now = Instant::now();
        let (tokens, at) = self
            .buckets
            .entry(key.to_owned())
            .or_insert((f64::from(burst), now));
        let earned = now.duration_since(*at).as_secs_f64() / interval.as_secs_f64().max(1e-9);
        *tokens = (*tokens + earned).min(f64::from(burst));
        *at = now;
        if *tokens >= cost {
            *tokens -= cost;
            Ok(())
        } else {
            Err(interval.mul_f64(cost - *tokens))
        }
    }
}

/// Replaces every integer field of the first object found inside an array with a string,
/// to play a marketplace that changed a field's type; returns the path of the first one.
/// (The client then fails on whichever of those fields it reads first.)
pub fn corrupt(v: &mut Value) -> Option<String> {
    fn walk(v: &mut Value, path: String, in_array: bool) -> Option<String> {
        match v {
            Value::Object(m) if in_array && m.values().any(|x| x.is_i64()) => {
                let mut first = None;
                for (k, child) in m.iter_mut() {
                    if child.is_i64() {
                        *child = Value::String("not-a-number".into());
                        first.get_or_insert_with(|| format!("{path}.{k}"));
                    }
                }
                first
            }
            Value::Object(m) => {
                for (k, child) in m.iter_mut() {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    if let Some(found) = walk(child, p, in_array) {
                        return Some(found);
                    }
                }
                None
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    if let Some(found) = walk(child, format!("{path}[{i}]"), true) {
                        return Some(found);
                    }
                }
                None
            }
            _ => None,
        }
    }
    walk(v, String::new(), false)
}

/// A one-page-per-label PDF with the given lines of ASCII text on each page (58x40 mm).
pub fn label_pdf(pages: &[Vec<String>]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let n = pages.len().max(1);
    // 1: catalog, 2: pages, 3: font, then page + content pairs.
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + i * 2)).collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for i in 0..n {
        let lines = pages.get(i).cloned().unwrap_or_default();
        let mut content = String::from("BT /F1 9 Tf 8 96 Td 11 TL\n");
        for line in lines {
            let safe: String = line
                .chars()
                .filter(|c| c.is_ascii() && !"()\\".contains(*c))
                .collect();
            content.push_str(&format!("({safe}) Tj T*\n"));
        }
        content.push_str("ET");
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 164 113] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 5 + i * 2));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_and_barcodes_are_valid() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(product_name(&mut a), product_name(&mut b));
        let code = ean13(&mut a);
        assert_eq!(code.len(), 13);
        let d: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
        let sum: u32 = d[..12]
            .iter()
            .enumerate()
            .map(|(i, x)| if i % 2 == 0 { *x } else { x * 3 })
            .sum();
        assert_eq!((10 - sum % 10) % 10, d[12]);
    }

    #[test]
    fn corrupt_names_the_field_it_broke() {
        let mut v = serde_json::json!({"cursor": "", "items": [{"name": "a", "id": 5}]});
        assert_eq!(corrupt(&mut v).as_deref(), Some("items[0].id"));
        assert_eq!(v["items"][0]["id"], "not-a-number");
    }

    #[test]
    fn labels_are_pdf_files() {
        let pdf = label_pdf(&[vec!["12345-0001-1".into()], vec!["12345-0002-1".into()]]);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 2") && text.contains("(12345-0002-1) Tj"));
    }
}

/// A request as a sandbox sees it.
#[derive(Debug)]
pub struct Incoming {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`{}` when empty).
    pub fn json(&self) -> Result<Value, String> {
        if self.body.is_empty() {
            return Ok(Value::Object(serde_json::Map::new()));
        }
        serde_json::from_slice(&self.body).map_err(|e| e.to_string())
    }
}

/// What a sandbox answers.
#[derive(Debug, Clone)]
pub enum Reply {
    Json {
        status: u16,
        body: Value,
        retry_after: Option<u64>,
    },
    Bytes {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    Empty {
        status: u16,
    },
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply::Json {
            status: 200,
            body,
            retry_after: None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Reply::Json { status, .. } | Reply::Bytes { status, .. } | Reply::Empty { status } => {
                *status
            }
        }
    }
}

/// One marketplace emulator behind the shared server.
pub trait Emulator: Send + Sync + 'static {
    /// Answers one request (auth, rate limits and business rules included).
    fn handle(&self, req: &Incoming) -> Reply;
    /// The marketplace's error answer for `status` with `message`.
    fn error(&self, status: u16, message: &str) -> Reply;
    fn recorder(&self) -> &Recorder;
    /// `POST /__admin/orders`: a new order now, as a buyer would place it; its id.
    fn place(&self, _body: &Value) -> Option<String> {
        None
    }
    /// `POST /__admin/orders/{id}/cancel`: the buyer cancels; whether it was cancelled.
    fn cancel_as_buyer(&self, _id: &str) -> bool {
        false
    }
    /// `POST /__admin/orders/{id}/status` `{"status": "…"}`: the marketplace reports the
    /// order in a status its spec does not list; whether the order exists.
    fn report_unlisted(&self, _id: &str, _status: &str) -> bool {
        false
    }
}

/// Answers the admin endpoints that act as a buyer; `None` for any other request.
fn buyer_admin<E: Emulator>(emu: &E, incoming: &Incoming) -> Option<axum::response::Response> {
    use axum::response::IntoResponse;
    if incoming.method != "POST" {
        return None;
    }
    let parts: Vec<&str> = incoming.path.trim_matches('/').split('/').collect();
    let body: Value = serde_json::from_slice(&incoming.body).unwrap_or(Value::Null);
    Some(match parts.as_slice() {
        ["__admin", "orders"] => match emu.place(&body) {
            Some(id) => axum::Json(serde_json::json!({ "id": id })).into_response(),
            None => (
                axum::http::StatusCode::NOT_FOUND,
                "this host takes no orders",
            )
                .into_response(),
        },
        ["__admin", "orders", id, "cancel"] => {
            if emu.cancel_as_buyer(id) {
                axum::http::StatusCode::NO_CONTENT.into_response()
            } else {
                (
                    axum::http::StatusCode::CONFLICT,
                    "the order cannot be cancelled",
                )
                    .into_response()
            }
        }
        ["__admin", "orders", id, "status"] => {
            let status = body["status"].as_str().unwrap_or_default().trim();
            if status.is_empty() || status.len() > 64 {
                (
                    axum::http::StatusCode::BAD_REQUEST,
                    "status: 1 to 64 characters",
                )
                    .into_response()
            } else if emu.report_unlisted(id, status) {
                axum::http::StatusCode::NO_CONTENT.into_response()
            } else {
                (axum::http::StatusCode::NOT_FOUND, "no such order here").into_response()
            }
        }
        _ => return None,
    })
}

/// Faults and the exchange log of one sandbox.
#[derive(Debug)]
pub struct Recorder {
    pub faults: std::sync::Mutex<Faults>,
    pub exchanges: std::sync::Mutex<Vec<Exchange>>,
    rng: std::sync::Mutex<Rng>,
}

impl Recorder {
    pub fn new(seed: u64) -> Recorder {
        Recorder {
            faults: Default::default(),
            exchanges: Default::default(),
            rng: std::sync::Mutex::new(Rng::new(seed ^ 0xFA17)),
        }
    }

    pub fn faults(&self) -> std::sync::MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many exchanges so far match `f`, without copying them (a benchmark's pages
    /// may hold a hundred thousand rows).
    pub fn count(&self, f: impl Fn(&Exchange) -> bool) -> usize {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|e| f(e))
            .count()
    }

    pub fn revoked(&self) -> bool {
        self.faults().revoked
    }
}

async fn serve_one<E: Emulator>(
    emu: std::sync::Arc<E>,
    req: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (percent_decode(k), percent_decode(v))
                })
                .collect()
        })
        .unwrap_or_default();
    let headers = req.headers().clone();
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let incoming = Incoming {
        method,
        path,
        query,
        headers,
        body,
    };

    if let Some(answer) = buyer_admin(&*emu, &incoming) {
        return answer;
    }
    if incoming.path == "/__admin/faults" && incoming.method == "POST" {
        return match serde_json::from_slice::<Faults>(&incoming.body) {
            Ok(f) => {
                *emu.recorder().faults() = f;
                axum::http::StatusCode::NO_CONTENT.into_response()
            }
            Err(e) => (axum::http::StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        };
    }

    let (latency, injected, malformed, lost) = {
        let rec = emu.recorder();
        let mut f = rec.faults();
        let roll = rec.rng.lock().map(|mut r| r.unit()).unwrap_or(1.0);
        let injected = f
            .fail_next
            .pop_front()
            .or((roll < f.error_rate).then_some(500))
            .or((roll >= f.error_rate && roll < f.error_rate + f.throttle_rate).then_some(429));
        let malformed = injected.is_none() && f.malformed_next > 0;
        if malformed {
            f.malformed_next -= 1;
        }
        let lost = injected.is_none() && !malformed && f.lose_answer_next > 0;
        if lost {
            f.lose_answer_next -= 1;
        }
        (f.latency_ms, injected, malformed, lost)
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let mut reply = match injected {
        Some(429) => match emu.error(429, "Too many requests") {
            Reply::Json { status, body, .. } => Reply::Json {
                status,
                body,
                retry_after: Some(1),
            },
            other => other,
        },
        Some(status) => emu.error(status, "Internal error"),
        None if lost => {
            // Carried out; the answer never reaches the client.
            let _ = emu.handle(&incoming);
            emu.error(502, "Bad gateway")
        }
        None => emu.handle(&incoming),
    };
    if malformed && let Reply::Json { body, .. } = &mut reply {
        corrupt(body);
    }
    let request = serde_json::from_slice(&incoming.body).ok();
    let response = match &reply {
        Reply::Json { body, .. } => Some(body.clone()),
        _ => None,
    };
    emu.recorder()
        .exchanges
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Exchange {
            method: incoming.method.clone(),
            path: incoming.path.clone(),
            query: incoming.query.clone(),
            request,
            status: reply.status(),
            response,
            injected: malformed || lost || injected.is_some(),
        });
    match reply {
        Reply::Json {
            status,
            body,
            retry_after,
        } => {
            let mut resp = (code(status), axum::Json(body)).into_response();
            if let Some(s) = retry_after
                && let Ok(v) = axum::http::HeaderValue::from_str(&s.to_string())
            {
                resp.headers_mut().insert("retry-after", v.clone());
                resp.headers_mut().insert("x-ratelimit-retry", v);
            }
            resp
        }
        Reply::Bytes {
            status,
            content_type,
            body,
        } => (
            code(status),
            [(axum::http::header::CONTENT_TYPE, content_type)],
            body,
        )
            .into_response(),
        Reply::Empty { status } => code(status).into_response(),
    }
}

fn code(status: u16) -> axum::http::StatusCode {
    axum::http::StatusCode::from_u16(status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
}

/// Decodes `%XX` and `+` in a query component.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or(())
                {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Serves an emulator on a free loopback port; returns its base URL.
pub async fn serve<E: Emulator>(emu: std::sync::Arc<E>) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let app = axum::Router::new()
        .fallback(move |req: axum::extract::Request| serve_one(emu.clone(), req))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024));
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "sandbox stopped");
        }
    });
    Ok(format!("http://{addr}/"))
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A grayscale PNG drawing `text` as a bar pattern (one bar per bit), for stickers and
/// supply QR codes. Uncompressed (stored) deflate keeps the encoder tiny.
pub fn barcode_png(text: &str) -> Vec<u8> {
    let bits: Vec<bool> = text
        .bytes()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect();
    let width = (bits.len() * 2 + 20).max(40) as u32;
    let height = 60u32;
    let row: Vec<u8> = std::iter::once(0) // filter: none
        .chain((0..width).map(|x| {
            let bit = (x as usize)
                .checked_sub(10)
                .map(|i| i / 2)
                .and_then(|i| bits.get(i))
                .copied()
                .unwrap_or(false);
            if bit { 0 } else { 255 }
        }))
        .collect();
    let raw: Vec<u8> = row
        .iter()
        .copied()
        .cycle()
        .take(row.len() * height as usize)
        .collect();
    let mut zlib = vec![0x78, 0x01];
    for (i, chunk) in raw.chunks(65_535).enumerate() {
        let last = (i + 1) * 65_535 >= raw.len();
        zlib.push(u8::from(last));
        let len = chunk.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for x in &raw {
        a = (a + u32::from(*x)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(data);
        png.extend_from_slice(&c);
        png.extend_from_slice(&crc32(&c).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}

#[cfg(test)]
mod png_tests {
    #[test]
    fn the_png_has_a_valid_signature_and_crc() {
        let png = super::barcode_png("WB-GI-1");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // IHDR's CRC covers "IHDR" + 13 bytes of data.
        let crc = u32::from_be_bytes([png[29], png[30], png[31], png[32]]);
        assert_eq!(crc, super::crc32(&png[12..29]));
        assert!(
            png.ends_with(&[0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]),
            "IEND with its fixed CRC"
        );
    }
}

/// An SVG drawing `text` as bars (one per bit) with the text underneath.
pub fn barcode_svg(text: &str) -> Vec<u8> {
    let bits: Vec<bool> = text
        .bytes()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect();
    let width = bits.len() * 2 + 20;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"80\" viewBox=\"0 0 {width} 80\">"
    );
    svg.push_str(&format!(
        "<rect width=\"{width}\" height=\"80\" fill=\"white\"/>"
    ));
    for (i, _) in bits.iter().enumerate().filter(|(_, b)| **b) {
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"5\" width=\"2\" height=\"55\" fill=\"black\"/>",
            10 + i * 2
        ));
    }
    let safe: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "*-".contains(*c))
        .collect();
    svg.push_str(&format!(
        "<text x=\"10\" y=\"75\" font-family=\"monospace\" font-size=\"12\">{safe}</text></svg>"
    ));
    svg.into_bytes()
}
