//! Contract tests: the Ozon client against the Ozon sandbox, every exchange checked
//! against Ozon's official spec.

use std::sync::Arc;
use std::time::Duration;

use mpbot::clock::{ManualClock, SharedClock};
use mpbot::domain::{Money, Scheme};
use mpbot::marketplaces::endpoints::{Catalogue, Family};
use mpbot::marketplaces::http::{Http, RetryPolicy};
use mpbot::marketplaces::ozon::OzonClient;
use mpbot::marketplaces::{
    Error, Labels, MarketplaceApi, OrderAction, OrderCursor, PriceUpdate, ProductRef, Secret,
    StockUpdate,
};
use mpbot::sandbox::ozon::{DEMO_API_KEY, DEMO_CLIENT_ID, OzonSandbox, Seed};

use crate::harness::start_time;
use crate::openapi::Spec;

struct Ozon {
    sandbox: Arc<OzonSandbox>,
    client: OzonClient,
    clock: ManualClock,
    catalogue: Arc<Catalogue>,
}

fn fast_retries() -> Http {
    Http::new(RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(20),
        max_delay: Duration::from_secs(5),
    })
}

async fn ozon(products: usize) -> Ozon {
    let clock = ManualClock::new(start_time());
    let shared: SharedClock = Arc::new(clock.clone());
    let sandbox = OzonSandbox::new(
        shared,
        Seed {
            seed: 42,
            products,
            orders_per_hour: 4,
        },
    );
    let url = sandbox.start().await.expect("sandbox starts");
    let catalogue = Arc::new(Catalogue::with_bases(&[(
        Family::Ozon,
        reqwest::Url::parse(&url).expect("url"),
    )]));
    let client = OzonClient::new(
        fast_retries(),
        catalogue.clone(),
        DEMO_CLIENT_ID,
        Secret::new(DEMO_API_KEY),
    );
    Ozon {
        sandbox,
        client,
        clock,
        catalogue,
    }
}

impl Ozon {
    fn client_with_key(&self, key: &str) -> OzonClient {
        OzonClient::new(
            fast_retries(),
            self.catalogue.clone(),
            DEMO_CLIENT_ID,
            Secret::new(key),
        )
    }

    /// Every request and response so far conforms to the spec.
    fn check_spec(&self) -> usize {
        crate::openapi::check_exchanges(Spec::ozon(), &self.sandbox.recorder().exchanges())
    }

    fn calls_to(&self, path: &str) -> usize {
        self.sandbox
            .recorder()
            .exchanges()
            .iter()
            .filter(|e| e.path == path)
            .count()
    }
}

fn cursor(from: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> OrderCursor {
    OrderCursor {
        changed_since: from,
        now,
        sweep: true,
    }
}

#[tokio::test]
async fn verify_reports_key_expiry_and_missing_roles() {
    let o = ozon(5).await;
    let v = o.client.verify().await.expect("verifies");
    assert!(v.ok, "{v:?}");
    assert!(v.expires_at.is_some());
    o.sandbox
        .restrict_key(&["/v2/products/stocks", "/v1/product/import/prices"]);
    let v = o.client.verify().await.expect("verifies");
    assert!(!v.ok);
    assert_eq!(
        v.problems,
        vec![
            "missing access to /v2/products/stocks",
            "missing access to /v1/product/import/prices"
        ]
    );
    assert!(matches!(o.client.update_stocks(&[]).await, Ok(v) if v.is_empty()));
    o.check_spec();
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_not_retried() {
    let o = ozon(5).await;
    let wrong = o.client_with_key("not-the-key");
    assert!(matches!(
        wrong.warehouses().await,
        Err(Error::Unauthorized { .. })
    ));
    assert_eq!(o.calls_to("/v2/warehouse/list"), 1, "401 is never retried");
    o.sandbox.recorder().faults().revoked = true;
    match o.client.warehouses().await {
        Err(Error::Unauthorized { message }) => assert!(message.contains("deactivated")),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    o.check_spec();
}

#[tokio::test]
async fn warehouses_and_the_whole_catalogue_are_read() {
    let o = ozon(1_250).await;
    let w = o.client.warehouses().await.expect("warehouses");
    assert_eq!(w.len(), 3);
    assert!(w.iter().all(|w| w.active && !w.name.is_empty()));
    let products = o.client.products().await.expect("products");
    assert_eq!(products.len(), 1_250);
    assert_eq!(
        o.calls_to("/v3/product/list"),
        3,
        "two full pages and an empty one end the listing"
    );
    assert_eq!(
        o.calls_to("/v3/product/info/list"),
        2,
        "details in batches of 1000"
    );
    let p = &products[0];
    assert!(p.vendor_code.starts_with("ART-") && p.barcodes[0].len() == 13 && p.sku.is_some());
    assert!(
        p.name.chars().any(|c| ('а'..='я').contains(&c)),
        "Cyrillic names: {}",
        p.name
    );
    o.check_spec();
}

#[tokio::test]
async fn orders_move_through_the_fbs_flow() {
    let o = ozon(30).await;
    let t0 = start_time();
    let batch = o
        .client
        .orders(Scheme::Fbs, cursor(t0 - chrono::Duration::days(3), t0))
        .await
        .expect("orders");
    assert_eq!(batch.orders.len(), 5);
    let new: Vec<_> = batch
        .orders
        .iter()
        .filter(|o| o.status == "awaiting_packaging")
        .collect();
    assert_eq!(new.len(), 2);
    let order = new[0].clone();
    assert!(order.ship_by.is_some() && order.items.iter().all(|i| i.price.0 > 0 && i.quantity > 0));

    // Confirm is Ozon's default; assembling moves it on.
    o.client
        .act(&order, &OrderAction::Confirm)
        .await
        .expect("confirm");
    o.client
        .act(&order, &OrderAction::Assemble)
        .await
        .expect("assemble");
    assert_eq!(
        o.sandbox.posting_status(&order.id).as_deref(),
        Some("awaiting_deliver")
    );
    // Assembling twice is refused by Ozon, and reported.
    assert!(matches!(
        o.client.act(&order, &OrderAction::Assemble).await,
        Err(Error::Api { status: 400, .. })
    ));

    let reasons = o.client.cancel_reasons(&new[1].id).await.expect("reasons");
    assert!(reasons.iter().any(|r| r.id == "352"));
    let cancel = OrderAction::Cancel {
        reason_id: "352".into(),
        message: None,
    };
    o.client.act(new[1], &cancel).await.expect("cancel");
    assert_eq!(
        o.sandbox.posting_status(&new[1].id).as_deref(),
        Some("cancelled")
    );

    // Only what changed since the cursor comes back; new orders arrive with the clock.
    o.clock.advance(chrono::Duration::hours(2));
    let t1 = t0 + chrono::Duration::hours(2);
    let changed = o
        .client
        .orders(Scheme::Fbs, cursor(t0 - chrono::Duration::minutes(1), t1))
        .await
        .expect("changed");
    let ids: Vec<&str> = changed.orders.iter().map(|o| o.id.as_str()).collect();
    assert!(
        ids.contains(&order.id.as_str()) && ids.contains(&new[1].id.as_str()),
        "{ids:?}"
    );
    assert!(
        changed.orders.iter().any(|o| o.created_at > t0),
        "new orders arrived: {ids:?}"
    );
    assert_eq!(changed.next, t1);
    o.check_spec();
}

#[tokio::test]
async fn many_orders_are_read_page_by_page() {
    let o = ozon(30).await;
    let t0 = start_time();
    for _ in 0..230 {
        o.sandbox.place_order();
    }
    let batch = o
        .client
        .orders(Scheme::Fbs, cursor(t0 - chrono::Duration::days(3), t0))
        .await
        .expect("orders");
    assert_eq!(batch.orders.len(), 235);
    assert_eq!(o.calls_to("/v4/posting/fbs/list"), 3, "limit 100 per page");
    let fbo = o
        .client
        .orders(Scheme::Fbo, cursor(t0 - chrono::Duration::days(3), t0))
        .await
        .expect("fbo");
    assert_eq!(fbo.orders.len(), 1);
    assert_eq!(fbo.orders[0].scheme, Scheme::Fbo);
    o.check_spec();
}

#[tokio::test]
async fn labels_are_prepared_then_fetched_as_pdf() {
    let o = ozon(30).await;
    let t0 = start_time();
    let batch = o
        .client
        .orders(Scheme::Fbs, cursor(t0 - chrono::Duration::days(3), t0))
        .await
        .expect("orders");
    let ready: Vec<String> = batch
        .orders
        .iter()
        .filter(|o| o.status == "awaiting_deliver")
        .map(|o| o.id.clone())
        .collect();
    let waiting: Vec<String> = batch
        .orders
        .iter()
        .filter(|o| o.status == "awaiting_packaging")
        .map(|o| o.id.clone())
        .collect();
    // Postings not yet assembled are refused by Ozon.
    assert!(
        matches!(o.client.request_labels(&waiting).await, Err(Error::Api { message, .. }) if message.contains("aren't ready"))
    );
    let Labels::Pending(token) = o.client.request_labels(&ready).await.expect("task") else {
        panic!("Ozon labels are asynchronous")
    };
    assert!(matches!(
        o.client.poll_labels(&token).await.expect("poll"),
        Labels::Pending(_)
    ));
    o.clock.advance(chrono::Duration::seconds(5));
    match o.client.poll_labels(&token).await.expect("poll") {
        Labels::Ready { files, failed } => {
            assert_eq!(files.len(), 1);
            assert!(files[0].bytes.starts_with(b"%PDF"));
            assert!(failed.is_empty());
        }
        other => panic!("expected labels, got {other:?}"),
    }
    o.check_spec();
}

#[tokio::test]
async fn stocks_are_pushed_in_batches_of_100_with_per_item_errors() {
    let o = ozon(250).await;
    let products = o.client.products().await.expect("products");
    let wh = "1020000011001";
    let mut updates: Vec<StockUpdate> = products
        .iter()
        .map(|p| StockUpdate {
            warehouse_id: wh.into(),
            product: ProductRef {
                id: p.id.clone(),
                vendor_code: p.vendor_code.clone(),
                sku: None,
            },
            amount: 7,
        })
        .collect();
    updates.push(StockUpdate {
        warehouse_id: wh.into(),
        product: ProductRef {
            id: "999".into(),
            vendor_code: "NOPE".into(),
            sku: None,
        },
        amount: 1,
    });
    let out = o.client.update_stocks(&updates).await.expect("pushed");
    assert_eq!(
        o.calls_to("/v2/products/stocks"),
        3,
        "251 pairs at 100 per request"
    );
    assert_eq!(out.len(), 251);
    let failed: Vec<_> = out.iter().filter(|r| r.error.is_some()).collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("PRODUCT_IS_NOT_CREATED"))
    );
    assert_eq!(o.sandbox.stock("ART-00001", 1_020_000_011_001), Some(7));

    // The same pair again within 30 s is refused item by item.
    let again = o.client.update_stocks(&updates[..1]).await.expect("pushed");
    assert!(
        again[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("TOO_MANY_REQUESTS"))
    );
    let levels = o
        .client
        .stocks(wh, &[updates[0].product.clone()])
        .await
        .expect("read back");
    assert_eq!(levels.len(), 1);
    assert_eq!(levels[0].present, 7);
    o.check_spec();
}

#[tokio::test]
async fn prices_are_written_and_read_back() {
    let o = ozon(20).await;
    let prices = o.client.prices().await.expect("prices");
    assert_eq!(prices.len(), 20);
    assert!(
        prices
            .iter()
            .all(|p| p.price >= p.price_after_discount && p.discount_percent >= 0)
    );
    assert!(
        prices
            .iter()
            .any(|p| p.promo_price.is_some_and(|m| m < p.price_after_discount)),
        "some take part in actions"
    );
    let target = prices[0].product.clone();
    let update = PriceUpdate {
        product: target.clone(),
        price: Money::parse("1 299,50").expect("money"),
        old_price: Some(Money::from_rubles(1500)),
        min_price: None,
    };
    let bad = PriceUpdate {
        product: target.clone(),
        price: Money::from_rubles(2000),
        old_price: Some(Money::from_rubles(1000)),
        min_price: None,
    };
    let out = o
        .client
        .update_prices(&[update, bad])
        .await
        .expect("written");
    assert_eq!(out[0].error, None);
    assert!(
        out[1]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("INVALID_OLD_PRICE"))
    );
    assert_eq!(
        o.sandbox.price(&target.vendor_code),
        Some((129_950, 150_000))
    );
    let back = o.client.prices().await.expect("prices");
    let p = back
        .iter()
        .find(|p| p.product == target)
        .expect("the product");
    assert_eq!(
        (p.price_after_discount, p.price, p.discount_percent),
        (Money(129_950), Money(150_000), 13)
    );
    o.check_spec();
}

#[tokio::test]
async fn accruals_follow_delivered_postings() {
    let o = ozon(20).await;
    let t0 = start_time();
    let batch = o
        .client
        .orders(Scheme::Fbs, cursor(t0 - chrono::Duration::days(3), t0))
        .await
        .expect("orders");
    let delivered = batch
        .orders
        .iter()
        .find(|o| o.status == "delivered")
        .expect("a delivered posting");
    // Nothing is accrued until days after delivery.
    let none = o
        .client
        .accruals(std::slice::from_ref(&delivered.id))
        .await
        .expect("accruals");
    assert!(none.is_empty(), "{none:?}");
    o.clock
        .advance(chrono::Duration::days(mpbot::sandbox::ozon::ACCRUAL_DAYS));
    let accruals = o
        .client
        .accruals(std::slice::from_ref(&delivered.id))
        .await
        .expect("accruals");
    let sale: i64 = delivered.items.iter().map(|i| i.price.0 * i.quantity).sum();
    let total: i64 = accruals.iter().map(|a| a.amount.0).sum();
    assert!(accruals.iter().any(|a| a.amount.0 == sale), "{accruals:?}");
    assert!(
        total < sale && total > 0,
        "commission and logistics are charged: {accruals:?}"
    );
    // Each is named from Ozon's directory and sorted for a seller.
    use mpbot::domain::finance::Kind;
    assert!(
        accruals
            .iter()
            .any(|a| a.class == Kind::Commission && a.kind.contains("Вознаграждение"))
    );
    assert!(accruals.iter().any(|a| a.class == Kind::Logistics));
    // The forecast when the order came: the sale and Ozon's fee for it.
    let waiting = batch
        .orders
        .iter()
        .find(|o| o.status == "awaiting_packaging")
        .expect("a new posting");
    let forecast = o.client.forecast(&waiting.id).await.expect("forecast");
    let sale: i64 = waiting.items.iter().map(|i| i.price.0 * i.quantity).sum();
    assert_eq!(
        forecast
            .iter()
            .filter(|a| a.class == Kind::Sale)
            .map(|a| a.amount.0)
            .sum::<i64>(),
        sale
    );
    assert!(
        forecast
            .iter()
            .any(|a| a.class == Kind::Commission && a.amount.0 < 0)
    );
    o.check_spec();
}

#[tokio::test]
async fn faults_are_retried_or_reported() {
    let o = ozon(5).await;
    // 429 with Retry-After: waited out, then answered.
    o.sandbox.recorder().faults().fail_next.push_back(429);
    let started = std::time::Instant::now();
    assert_eq!(o.client.warehouses().await.expect("after retry").len(), 3);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was honoured"
    );
    assert_eq!(o.calls_to("/v2/warehouse/list"), 2);

    // 5xx: retried up to the policy, then reported.
    o.sandbox
        .recorder()
        .faults()
        .fail_next
        .extend([500, 500, 500]);
    assert!(matches!(
        o.client.warehouses().await,
        Err(Error::Api { status: 500, .. })
    ));
    assert_eq!(o.calls_to("/v2/warehouse/list"), 5);
    o.sandbox.recorder().faults().fail_next.extend([503]);
    assert_eq!(o.client.warehouses().await.expect("recovers").len(), 3);

    // A changed field type is a decode error that names the field.
    o.sandbox.recorder().faults().malformed_next = 1;
    match o.client.warehouses().await {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "warehouses[0].warehouse_id"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // A 400 is not retried.
    let before = o.calls_to("/v2/posting/fbs/cancel");
    let bogus = mpbot::marketplaces::Order {
        id: "0-0-1".into(),
        number: "0-0".into(),
        shop: None,
        alt_id: None,
        scheme: Scheme::Fbs,
        status: String::new(),
        substatus: None,
        created_at: start_time(),
        ship_by: None,
        warehouse_id: None,
        items: vec![],
        cancel_reason: None,
    };
    let cancel = OrderAction::Cancel {
        reason_id: "999".into(),
        message: None,
    };
    assert!(matches!(
        o.client.act(&bogus, &cancel).await,
        Err(Error::Api { status: 400, .. })
    ));
    assert_eq!(o.calls_to("/v2/posting/fbs/cancel"), before + 1);
    let _ = o.check_spec();
}

#[tokio::test]
async fn labels_wait_45_seconds_after_assembly() {
    let o = ozon(10).await;
    let t0 = start_time();
    let batch = o
        .client
        .orders(Scheme::Fbs, cursor(t0 - chrono::Duration::days(3), t0))
        .await
        .expect("orders");
    let order = batch
        .orders
        .iter()
        .find(|o| o.status == "awaiting_packaging")
        .expect("a new posting")
        .clone();
    o.client
        .act(&order, &OrderAction::Assemble)
        .await
        .expect("assembled");
    let ids = vec![order.id.clone()];
    assert!(
        matches!(o.client.request_labels(&ids).await, Err(Error::Api { message, .. }) if message.contains("aren't ready"))
    );
    o.clock.advance(chrono::Duration::seconds(50));
    assert!(matches!(
        o.client.request_labels(&ids).await.expect("task"),
        Labels::Pending(_)
    ));
    o.check_spec();
}

/// Assembling and cancelling are not safe to repeat: a lost answer is followed by a re-read
/// of the posting, which shows it done, so the call is not made twice; a 5xx that did not
/// take effect is made again only after the re-read shows nothing happened.
#[tokio::test]
async fn unsafe_actions_are_never_sent_twice() {
    let o = ozon(30).await;
    let t0 = start_time();
    let batch = o
        .client
        .orders(Scheme::Fbs, cursor(t0 - chrono::Duration::days(3), t0))
        .await
        .expect("orders");
    let new: Vec<_> = batch
        .orders
        .iter()
        .filter(|o| o.status == "awaiting_packaging")
        .cloned()
        .collect();
    o.sandbox.recorder().faults().lose_answer_next = 1;
    o.client
        .act(&new[0], &OrderAction::Assemble)
        .await
        .expect("the re-read shows it assembled");
    assert_eq!(o.calls_to("/v4/posting/fbs/ship"), 1, "shipped once");
    assert_eq!(
        o.sandbox.posting_status(&new[0].id).as_deref(),
        Some("awaiting_deliver")
    );

    // A 503 before Ozon acted: the re-read shows nothing happened, so it is sent again.
    o.sandbox.recorder().faults().fail_next.push_back(503);
    let cancel = OrderAction::Cancel {
        reason_id: "352".into(),
        message: None,
    };
    o.client.act(&new[1], &cancel).await.expect("cancelled");
    assert_eq!(o.calls_to("/v2/posting/fbs/cancel"), 2);
    assert_eq!(
        o.sandbox.posting_status(&new[1].id).as_deref(),
        Some("cancelled")
    );

    // Label tasks cannot be re-read: an ambiguous failure is reported, not repeated.
    o.clock.advance(chrono::Duration::seconds(50));
    o.sandbox.recorder().faults().fail_next.push_back(500);
    let ids = vec![new[0].id.clone()];
    assert!(matches!(
        o.client.request_labels(&ids).await,
        Err(Error::Api { status: 500, .. })
    ));
    assert_eq!(o.calls_to("/v3/posting/fbs/package-label/create"), 1);
    o.check_spec();
}

/// A marketplace host that answers with a redirect does not get the key sent on: the
/// client never follows redirects, so the keys reach only hosts we chose.
#[tokio::test]
async fn a_redirect_is_not_followed() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let elsewhere = axum::Router::new().fallback(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { "{}" }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let target = format!("http://{}/v1/roles", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, elsewhere).await });
    let redirecting = axum::Router::new().fallback(move || {
        let to = target.clone();
        async move {
            (
                axum::http::StatusCode::TEMPORARY_REDIRECT,
                [("location", to)],
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}/", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, redirecting).await });
    let catalogue = Arc::new(Catalogue::with_bases(&[(
        Family::Ozon,
        reqwest::Url::parse(&base).expect("url"),
    )]));
    let client = OzonClient::new(
        fast_retries(),
        catalogue,
        DEMO_CLIENT_ID,
        Secret::new(DEMO_API_KEY),
    );
    assert!(matches!(
        client.verify().await,
        Err(Error::Api { status: 307, .. })
    ));
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing reached the other host"
    );
}

/// FBO stock comes from `/v1/analytics/stocks`, which wants SKUs (at most 100): the client
/// takes them from the product list and asks 100 at a time. The sandbox's rule: product
/// `i` (ART-{i+1}) has none when `i % 3 == 2`, else `10 + i % 50` in Хоругвино (even `i`) or
/// Софьино (odd `i`), and 3 more in Ногинск when `i % 6 == 0`.
#[tokio::test]
async fn fbo_stocks_are_read_by_sku_100_at_a_time() {
    let o = ozon(250).await;
    let stocks = o.client.fbo_stocks().await.expect("FBO stocks");
    assert_eq!(
        o.calls_to("/v1/analytics/stocks"),
        3,
        "250 SKUs at 100 per request"
    );
    let expected =
        (0..250).filter(|i| i % 3 != 2).count() + (0..250).filter(|i| i % 6 == 0).count();
    assert_eq!(stocks.len(), expected);
    let of = |offer: &str| -> Vec<_> {
        let mut v: Vec<_> = stocks
            .iter()
            .filter(|s| s.product.vendor_code == offer)
            .map(|s| (s.warehouse_name.as_str(), s.present, s.reserved))
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(
        of("ART-00001"),
        vec![("Ногинск", 3, 0), ("Хоругвино", 10, 0)]
    );
    assert_eq!(of("ART-00002"), vec![("Софьино", 11, 0)]);
    assert!(of("ART-00003").is_empty());
    assert_eq!(
        of("ART-00151"),
        vec![("Ногинск", 3, 0), ("Хоругвино", 10, 0)],
        "the second batch of SKUs is read too"
    );
    assert_eq!(of("ART-00250"), vec![("Софьино", 59, 0)]);
    let first = stocks
        .iter()
        .find(|s| s.product.vendor_code == "ART-00001" && s.warehouse_name == "Хоругвино")
        .expect("ART-00001 in Хоругвино");
    assert_eq!(first.warehouse_id, "15431806189000");
    assert_eq!(
        first.product,
        ProductRef {
            id: "180000000".into(),
            vendor_code: "ART-00001".into(),
            sku: Some("1500000000".into()),
        }
    );
    o.check_spec();

    // The sandbox refuses what Ozon refuses.
    let base = o.catalogue.base(Family::Ozon).expect("base").clone();
    let http = reqwest::Client::new();
    let skus: Vec<String> = (0..101)
        .map(|i| (1_500_000_000 + i * 7).to_string())
        .collect();
    for (body, why) in [
        (serde_json::json!({}), "skus is required"),
        (serde_json::json!({"skus": []}), "at least one SKU"),
        (serde_json::json!({"skus": skus}), "at most 100 SKUs"),
        (
            serde_json::json!({"skus": ["1500000000"], "cluster_ids": ["4"], "macrolocal_cluster_ids": ["4"]}),
            "one kind of cluster filter",
        ),
    ] {
        let r = http
            .post(base.join("v1/analytics/stocks").expect("url"))
            .header("Client-Id", DEMO_CLIENT_ID)
            .header("Api-Key", DEMO_API_KEY)
            .json(&body)
            .send()
            .await
            .expect("answers");
        assert_eq!(r.status().as_u16(), 400, "{why}");
        let e: serde_json::Value = r.json().await.expect("json");
        assert_eq!(e["code"], 3, "{why}: {e}");
    }
}
