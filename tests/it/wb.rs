//! Contract tests: the Wildberries client against the WB sandbox, every exchange checked
//! against WB's official specs.

use std::sync::Arc;
use std::time::Duration;

use mpbot::clock::{ManualClock, SharedClock};
use mpbot::domain::{Money, Scheme};
use mpbot::marketplaces::endpoints::Catalogue;
use mpbot::marketplaces::http::{Http, RetryPolicy};
use mpbot::marketplaces::wb::WbClient;
use mpbot::marketplaces::{
    Error, Labels, MarketplaceApi, OrderAction, OrderCursor, PriceUpdate, ProductRef, Secret,
    StockUpdate,
};
use mpbot::sandbox::wb::{Seed, WbSandbox, demo_token_full, demo_token_partial};

use crate::harness::start_time;
use crate::openapi::{Spec, check_exchanges};

struct Wb {
    sandbox: Arc<WbSandbox>,
    client: WbClient,
    clock: ManualClock,
    catalogue: Arc<Catalogue>,
    urls: Vec<(mpbot::marketplaces::endpoints::Family, String)>,
}

fn http() -> Http {
    Http::new(RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(20),
        max_delay: Duration::from_secs(5),
    })
}

async fn wb(products: usize) -> Wb {
    let clock = ManualClock::new(start_time());
    let shared: SharedClock = Arc::new(clock.clone());
    let sandbox = WbSandbox::new(
        shared.clone(),
        Seed {
            seed: 9,
            products,
            orders_per_hour: 4,
        },
    );
    let urls = sandbox.start().await.expect("sandbox starts");
    let bases: Vec<_> = urls
        .iter()
        .map(|(f, u)| (*f, reqwest::Url::parse(u).expect("url")))
        .collect();
    let catalogue = Arc::new(Catalogue::with_bases(&bases));
    let client = WbClient::new(
        http(),
        catalogue.clone(),
        Secret::new(demo_token_full()),
        shared,
    );
    Wb {
        sandbox,
        client,
        clock,
        catalogue,
        urls,
    }
}

impl Wb {
    fn with_token(&self, token: String) -> WbClient {
        WbClient::new(
            http(),
            self.catalogue.clone(),
            Secret::new(token),
            Arc::new(self.clock.clone()),
        )
    }

    fn check_spec(&self) -> usize {
        check_exchanges(Spec::wb(), &self.sandbox.recorder().exchanges())
    }

    fn sandbox_url(&self, f: mpbot::marketplaces::endpoints::Family) -> String {
        self.urls
            .iter()
            .find(|(x, _)| *x == f)
            .map(|(_, u)| u.clone())
            .expect("a host")
    }

    fn calls_to(&self, method: &str, path_prefix: &str) -> usize {
        self.sandbox
            .recorder()
            .exchanges()
            .iter()
            .filter(|e| e.method == method && e.path.starts_with(path_prefix))
            .count()
    }
}

fn since(days: i64) -> OrderCursor {
    OrderCursor {
        changed_since: start_time() - chrono::Duration::days(days),
        now: start_time(),
        sweep: true,
    }
}

#[tokio::test]
async fn verify_reads_the_token_scopes() {
    let w = wb(3).await;
    let v = w.client.verify().await.expect("verifies");
    assert!(v.ok, "{v:?}");
    assert!(v.scopes.contains(&"marketplace".to_owned()) && v.expires_at.is_some());
    let partial = w.with_token(demo_token_partial());
    let v = partial.verify().await.expect("verifies");
    assert!(!v.ok);
    assert_eq!(
        v.problems,
        vec![
            "token lacks the prices category",
            "token lacks the statistics category"
        ]
    );
    // The partial token is refused where it lacks the category, as WB does.
    assert!(matches!(
        partial.prices().await,
        Err(Error::Forbidden { .. })
    ));
    let wrong = w.with_token("not.a-token".into());
    assert!(matches!(
        wrong.warehouses().await,
        Err(Error::Unauthorized { .. })
    ));
    assert_eq!(
        w.calls_to("GET", "/api/v3/warehouses"),
        1,
        "401 is not retried"
    );
    w.check_spec();
}

#[tokio::test]
async fn cards_are_read_page_by_page_with_sizes() {
    let w = wb(230).await;
    let products = w.client.products().await.expect("cards");
    let cards: std::collections::HashSet<&str> = products.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(cards.len(), 230);
    assert!(
        products.len() > 230,
        "sized cards give one product per size"
    );
    assert_eq!(
        w.calls_to("POST", "/content/v2/get/cards/list"),
        3,
        "100 cards per page"
    );
    assert!(
        products
            .iter()
            .all(|p| p.sku.is_some() && p.barcodes.len() == 1)
    );
    let wh = w.client.warehouses().await.expect("warehouses");
    assert_eq!(wh.len(), 3);
    w.check_spec();
}

#[tokio::test]
async fn an_order_goes_through_a_supply_to_completion() {
    let w = wb(10).await;
    let batch = w
        .client
        .orders(Scheme::Fbs, since(3))
        .await
        .expect("orders");
    assert_eq!(batch.orders.len(), 5);
    let new: Vec<_> = batch
        .orders
        .iter()
        .filter(|o| o.status == "new/waiting")
        .cloned()
        .collect();
    assert_eq!(new.len(), 3);
    assert!(new[0].items[0].price.0 > 0);

    // Stickers exist only for orders on assembly.
    let labels = w
        .client
        .request_labels(&[new[0].id.clone()])
        .await
        .expect("stickers");
    assert!(
        matches!(&labels, Labels::Ready { files, failed } if files.is_empty() && failed.len() == 1)
    );

    w.client
        .act(&new[0], &OrderAction::Confirm)
        .await
        .expect("confirm");
    w.client
        .act(&new[1], &OrderAction::Confirm)
        .await
        .expect("confirm");
    let (status, _, supply) = w
        .sandbox
        .order_status(new[0].id.parse().expect("id"))
        .expect("order");
    assert_eq!(status, "confirm");
    let supply = supply.expect("in a supply");
    assert_eq!(
        w.sandbox
            .order_status(new[1].id.parse().expect("id"))
            .and_then(|s| s.2),
        Some(supply.clone()),
        "one open supply"
    );
    assert_eq!(
        w.calls_to("POST", "/api/v3/supplies"),
        1,
        "the supply is created once"
    );

    match w
        .client
        .request_labels(&[new[0].id.clone(), new[1].id.clone()])
        .await
        .expect("stickers")
    {
        Labels::Ready { files, failed } => {
            assert_eq!(files.len(), 2);
            assert!(failed.is_empty());
            assert!(files[0].bytes.starts_with(b"\x89PNG"));
        }
        other => panic!("{other:?}"),
    }
    // WB gives a supply's QR code once it is handed over.
    assert!(w.client.supply_barcode(&supply).await.is_err());
    w.client.deliver_supply(&supply).await.expect("delivered");
    let (code, png) = w.client.supply_barcode(&supply).await.expect("qr");
    assert_eq!(code, supply);
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!(
        w.sandbox
            .order_status(new[0].id.parse().expect("id"))
            .map(|s| s.0),
        Some("complete".into())
    );
    assert!(
        matches!(
            w.client.deliver_supply(&supply).await,
            Err(Error::Api { status: 409, .. })
        ),
        "a supply is delivered once"
    );

    w.client
        .act(
            &new[2],
            &OrderAction::Cancel {
                reason_id: String::new(),
                message: None,
            },
        )
        .await
        .expect("cancel");
    assert_eq!(
        w.sandbox
            .order_status(new[2].id.parse().expect("id"))
            .map(|s| s.0),
        Some("cancel".into())
    );

    w.clock.advance(chrono::Duration::hours(25));
    let later = OrderCursor {
        changed_since: start_time(),
        now: start_time() + chrono::Duration::hours(25),
        sweep: true,
    };
    let batch = w.client.orders(Scheme::Fbs, later).await.expect("orders");
    let done = batch
        .orders
        .iter()
        .find(|o| o.id == new[0].id)
        .expect("still listed");
    assert_eq!(done.status, "complete/sold");
    w.check_spec();
}

#[tokio::test]
async fn many_orders_are_read_page_by_page_and_fbo_comes_from_statistics() {
    let w = wb(10).await;
    for _ in 0..1_200 {
        w.sandbox.place_order();
    }
    let batch = w
        .client
        .orders(Scheme::Fbs, since(3))
        .await
        .expect("orders");
    assert_eq!(batch.orders.len(), 1_205);
    assert_eq!(
        w.calls_to("GET", "/api/v3/orders"),
        3,
        "two pages (the second not full, so the last) and the new orders"
    );
    assert_eq!(
        w.calls_to("POST", "/api/v3/orders/status"),
        2,
        "statuses in batches of 1000"
    );
    let fbo = w.client.orders(Scheme::Fbo, since(3)).await.expect("fbo");
    assert_eq!(fbo.orders.len(), 3);
    assert!(
        fbo.orders
            .iter()
            .all(|o| o.scheme == Scheme::Fbo && o.items[0].price.0 > 0)
    );
    w.check_spec();
}

#[tokio::test]
async fn stocks_go_by_size_in_batches_of_1000_with_per_item_errors() {
    let w = wb(800).await;
    let products = w.client.products().await.expect("cards");
    let wh = "1001001";
    let mut updates: Vec<StockUpdate> = products
        .iter()
        .map(|p| StockUpdate {
            warehouse_id: wh.into(),
            product: ProductRef {
                id: p.id.clone(),
                vendor_code: p.vendor_code.clone(),
                sku: p.sku.clone(),
            },
            amount: 5,
        })
        .collect();
    let n = updates.len();
    assert!(n > 1000);
    updates.push(StockUpdate {
        warehouse_id: wh.into(),
        product: ProductRef {
            id: "1".into(),
            vendor_code: "GHOST".into(),
            sku: Some("42".into()),
        },
        amount: 1,
    });
    let out = w.client.update_stocks(&updates).await.expect("pushed");
    assert_eq!(
        w.calls_to("PUT", "/api/v3/stocks/"),
        n.div_ceil(1000).max((n + 1).div_ceil(1000))
    );
    assert_eq!(out.len(), n + 1);
    let failed: Vec<_> = out.iter().filter(|o| o.error.is_some()).collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].key.starts_with("GHOST")
            && failed[0]
                .error
                .as_deref()
                .is_some_and(|e| e.contains("NotFound"))
    );
    let chrt: i64 = products[0]
        .sku
        .as_deref()
        .and_then(|s| s.parse().ok())
        .expect("chrt");
    assert_eq!(w.sandbox.stock(1_001_001, chrt), Some(5));
    let back = w
        .client
        .stocks(wh, &[updates[0].product.clone()])
        .await
        .expect("read");
    assert_eq!(back[0].present, 5);
    w.check_spec();
}

#[tokio::test]
async fn prices_go_through_the_upload_task() {
    let w = wb(12).await;
    let prices = w.client.prices().await.expect("prices");
    assert_eq!(prices.len(), 12);
    assert!(
        prices
            .iter()
            .any(|p| p.promo_price.is_some_and(|m| m < p.price_after_discount)),
        "WB Club prices come back"
    );
    let a = prices[0].product.clone();
    let b = prices[1].product.clone();
    let ok = PriceUpdate {
        product: a.clone(),
        price: Money::from_rubles(900),
        old_price: Some(Money::from_rubles(1200)),
        min_price: None,
    };
    // A price three times lower than now goes to WB's price quarantine.
    let crash = PriceUpdate {
        product: b.clone(),
        price: Money::from_rubles(1),
        old_price: None,
        min_price: None,
    };
    let out = w
        .client
        .update_prices(&[ok, crash])
        .await
        .expect("uploaded");
    assert_eq!(out[0].error, None);
    assert!(
        out[1]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("quarantine")),
        "{out:?}"
    );
    assert_eq!(w.sandbox.price(a.id.parse().expect("nm")), Some((1200, 25)));
    let back = w.client.prices().await.expect("prices");
    let p = back.iter().find(|p| p.product.id == a.id).expect("listed");
    assert_eq!(
        (p.price, p.price_after_discount, p.discount_percent),
        (Money::from_rubles(1200), Money::from_rubles(900), 25)
    );
    w.check_spec();
}

#[tokio::test]
async fn commission_tariffs_name_each_subject_the_cards_have() {
    let w = wb(2).await;
    let rates = w.client.commission_rates().await.expect("tariffs");
    let cards = w.client.products().await.expect("cards");
    assert!(!cards.is_empty());
    for p in &cards {
        let subject = p.category.as_deref().expect("a card names its subject");
        let rate = rates.iter().find(|r| r.category == subject);
        assert_eq!(
            rate.map(|r| r.bp),
            Some(2_400),
            "{subject}: 24% on the seller's warehouse"
        );
    }
    // Once a minute, a burst of two: the third read in a minute is refused by our own
    // limiter, never sent.
    w.client
        .commission_rates()
        .await
        .expect("the burst's second");
    assert!(matches!(
        w.client.commission_rates().await,
        Err(mpbot::marketplaces::Error::RateLimited { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accruals_come_from_the_finance_report() {
    let w = wb(10).await;
    let batch = w
        .client
        .orders(Scheme::Fbs, since(3))
        .await
        .expect("orders");
    let sold: Vec<String> = batch
        .orders
        .iter()
        .filter(|o| o.status == "complete/sold")
        .map(|o| o.id.clone())
        .collect();
    assert_eq!(sold.len(), 2);
    use mpbot::domain::finance::Kind;
    // Nothing is in the report until days after the sale.
    let early = w.client.finance_feed(None).await.expect("feed");
    assert!(early.lines.is_empty() && early.next.is_none(), "{early:?}");
    w.clock
        .advance(chrono::Duration::days(mpbot::sandbox::wb::REPORT_DAYS));
    // WB allows the report once a minute (a burst of two): the third read in a minute is
    // refused by our own limiter at once, never sent.
    let feed = w.client.finance_feed(None).await.expect("feed");
    let ours: Vec<_> = feed
        .lines
        .iter()
        .filter(|a| sold.contains(&a.order_id))
        .collect();
    assert_eq!(
        ours.len(),
        6,
        "sale, commission and logistics per sale: {ours:?}"
    );
    assert!(
        ours.iter()
            .any(|a| a.class == Kind::Commission && a.amount.0 < 0)
    );
    assert!(ours.iter().any(|a| a.class == Kind::Sale && a.amount.0 > 0));
    assert!(ours.iter().all(|a| a.rid.is_some()));
    assert!(feed.next.is_none(), "the report was read to its end");
    assert!(matches!(
        w.client.finance_feed(Some(&feed.resume)).await,
        Err(Error::RateLimited { .. })
    ));
    w.check_spec();
}

#[tokio::test]
async fn faults_are_retried_or_reported() {
    let w = wb(3).await;
    w.sandbox.recorder().faults().fail_next.push_back(429);
    assert_eq!(w.client.warehouses().await.expect("after retry").len(), 3);
    w.sandbox
        .recorder()
        .faults()
        .fail_next
        .extend([502, 502, 502]);
    assert!(matches!(
        w.client.warehouses().await,
        Err(Error::Api { status: 502, .. })
    ));
    w.sandbox.recorder().faults().malformed_next = 1;
    match w.client.warehouses().await {
        Err(Error::Decode { path, .. }) => {
            assert_eq!(path, "[0].id", "the first field the client reads")
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    w.sandbox.recorder().faults().revoked = true;
    assert!(matches!(
        w.client.warehouses().await,
        Err(Error::Unauthorized { .. })
    ));
    w.check_spec();
}

#[tokio::test]
async fn the_sandbox_enforces_its_own_limits_and_takes_faults_over_http() {
    let w = wb(3).await;
    let prices = w.sandbox_url(mpbot::marketplaces::endpoints::Family::WbPrices);
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let r = http
            .get(format!("{prices}api/v2/list/goods/filter?limit=10"))
            .header("Authorization", demo_token_full())
            .send()
            .await
            .expect("answers");
        let retry = r.headers().get("x-ratelimit-retry").is_some();
        statuses.push((r.status().as_u16(), retry));
    }
    assert!(
        statuses[..5].iter().all(|(s, _)| *s == 200),
        "a burst of 5 passes: {statuses:?}"
    );
    assert!(
        statuses[5..].iter().any(|(s, retry)| *s == 429 && *retry),
        "then 429 with X-Ratelimit-Retry: {statuses:?}"
    );

    // Fault knobs over the admin endpoint.
    let market = w.sandbox_url(mpbot::marketplaces::endpoints::Family::WbMarketplace);
    let r = http
        .post(format!("{market}__admin/faults"))
        .body(r#"{"fail_next": [503], "latency_ms": 50}"#)
        .send()
        .await
        .expect("answers");
    assert_eq!(r.status().as_u16(), 204);
    let started = std::time::Instant::now();
    assert_eq!(w.client.warehouses().await.expect("retried").len(), 3);
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "latency applies to each attempt"
    );
    let bad = http
        .post(format!("{market}__admin/faults"))
        .body(r#"{"nonsense": 1}"#)
        .send()
        .await
        .expect("answers");
    assert_eq!(bad.status().as_u16(), 400);

    // Stickers come as SVG when asked.
    let order = w.sandbox.place_order();
    w.client
        .add_to_supply(
            &w.client.create_supply("svg").await.expect("supply"),
            &[order],
        )
        .await
        .expect("added");
    let r = http
        .post(format!(
            "{market}api/v3/orders/stickers?type=svg&width=58&height=40"
        ))
        .header("Authorization", demo_token_full())
        .body(format!(r#"{{"orders": [{order}]}}"#))
        .send()
        .await
        .expect("answers");
    let body: serde_json::Value = r.json().await.expect("json");
    use base64::Engine;
    let svg = base64::engine::general_purpose::STANDARD
        .decode(body["stickers"][0]["file"].as_str().expect("file"))
        .expect("base64");
    assert!(svg.starts_with(b"<svg"));
    w.check_spec();
}

/// Creating a supply, adding orders to it, delivering it and cancelling an order are not
/// safe to repeat: each answer is lost once, and the client re-reads supplies and order
/// statuses instead of sending the request again.
#[tokio::test]
async fn unsafe_calls_are_never_sent_twice() {
    let w = wb(10).await;
    let batch = w
        .client
        .orders(Scheme::Fbs, since(3))
        .await
        .expect("orders");
    let new: Vec<_> = batch
        .orders
        .iter()
        .filter(|o| o.status == "new/waiting")
        .cloned()
        .collect();
    let lose = || w.sandbox.recorder().faults().lose_answer_next = 1;

    lose();
    let supply = w
        .client
        .create_supply("mpbot 2026-11-23")
        .await
        .expect("the re-read finds the new supply");
    assert_eq!(w.calls_to("POST", "/api/v3/supplies"), 1, "created once");
    let open = w.client.supplies().await.expect("supplies");
    assert_eq!(open.iter().filter(|s| !s.done).count(), 1, "{open:?}");
    assert_eq!(open.iter().find(|s| !s.done).map(|s| &s.id), Some(&supply));

    lose();
    let ids: Vec<i64> = new[..2].iter().map(|o| o.id.parse().expect("id")).collect();
    w.client
        .add_to_supply(&supply, &ids)
        .await
        .expect("the statuses show them added");
    assert_eq!(
        w.calls_to("PATCH", "/api/marketplace/v3/supplies/"),
        1,
        "added once"
    );

    lose();
    w.client
        .deliver_supply(&supply)
        .await
        .expect("the supply list shows it delivered");
    assert_eq!(
        w.calls_to("PATCH", &format!("/api/v3/supplies/{supply}/deliver")),
        1
    );

    lose();
    let cancel = OrderAction::Cancel {
        reason_id: String::new(),
        message: None,
    };
    w.client.act(&new[2], &cancel).await.expect("cancelled");
    assert_eq!(
        w.calls_to("PATCH", &format!("/api/v3/orders/{}/cancel", new[2].id)),
        1
    );
    assert_eq!(
        w.sandbox
            .order_status(new[2].id.parse().expect("id"))
            .map(|s| s.0),
        Some("cancel".into())
    );

    // A stock write is an absolute set: a lost answer is simply sent again.
    let stocks_before = w.calls_to("PUT", "/api/v3/stocks/");
    let warehouse = w.client.warehouses().await.expect("warehouses")[0]
        .id
        .clone();
    let product = w.client.products().await.expect("cards")[0].clone();
    let update = mpbot::marketplaces::StockUpdate {
        warehouse_id: warehouse,
        product: mpbot::marketplaces::ProductRef {
            id: product.id.clone(),
            vendor_code: product.vendor_code.clone(),
            sku: product.sku.clone(),
        },
        amount: 7,
    };
    lose();
    w.client.update_stocks(&[update]).await.expect("written");
    assert_eq!(w.calls_to("PUT", "/api/v3/stocks/"), stocks_before + 2);
    w.check_spec();
}

/// FBO stock comes from the stocks report on WB warehouses, paged by offset, with vendor
/// codes from the cards. The sandbox's rule, per card `i` (WB-ART-{i+1}), for every size:
/// none when `i % 3 == 2`, else `10 + i % 50` available and `i % 4` on the way to buyers in
/// Коледино (even `i`) or Электросталь (odd `i`), and 3 + 1 more in Тула when `i % 6 == 0`.
/// The report allows 3 requests a minute, one every 20 s: the second page waits for it.
#[tokio::test]
async fn fbo_stocks_come_from_the_report_page_by_page() {
    let w = wb(12).await;
    let products = w.client.products().await.expect("cards");
    let sizes = |nm: &str| products.iter().filter(|p| p.id == nm).count();
    let nm = |i: usize| (150_000_000 + i * 3).to_string();
    let lines = |i: usize| usize::from(i % 3 != 2) + usize::from(i.is_multiple_of(6));
    let total: usize = (0..12).map(|i| lines(i) * sizes(&nm(i))).sum();
    let page = total / 2 + 1;
    let client = w.with_token(demo_token_full()).with_fbo_page(page as u64);
    let started = std::time::Instant::now();
    let stocks = client.fbo_stocks().await.expect("FBO stocks");
    assert_eq!(
        w.calls_to("POST", "/api/analytics/v1/stocks-report/wb-warehouses"),
        2,
        "a full page, then a short one that ends it"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(20),
        "the second page waited for the report's rate limit"
    );
    assert_eq!(stocks.len(), total);
    let first_card: Vec<_> = stocks.iter().filter(|s| s.product.id == nm(0)).collect();
    assert_eq!(first_card.len(), 2 * sizes(&nm(0)));
    for s in &first_card {
        assert_eq!(s.product.vendor_code, "WB-ART-0001");
        let size = products
            .iter()
            .find(|p| p.id == nm(0) && p.sku == s.product.sku)
            .expect("the row names a size of the card");
        assert_eq!(size.vendor_code, "WB-ART-0001");
        let want = match s.warehouse_name.as_str() {
            "Коледино" => ("507", 10, 0),
            "Тула" => ("206348", 3, 1),
            other => panic!("WB-ART-0001 in {other}"),
        };
        assert_eq!((s.warehouse_id.as_str(), s.present, s.reserved), want);
    }
    let second: Vec<_> = stocks.iter().filter(|s| s.product.id == nm(1)).collect();
    assert!(
        !second.is_empty()
            && second.iter().all(|s| s.warehouse_name == "Электросталь"
                && s.present == 11
                && s.reserved == 1
                && s.product.vendor_code == "WB-ART-0002")
    );
    assert!(stocks.iter().all(|s| s.product.id != nm(2)));
    w.check_spec();

    // A third request within 20 s is refused with WB's 429.
    let analytics = w.sandbox_url(mpbot::marketplaces::endpoints::Family::WbAnalytics);
    let r = reqwest::Client::new()
        .post(format!(
            "{analytics}api/analytics/v1/stocks-report/wb-warehouses"
        ))
        .header("Authorization", demo_token_full())
        .json(&serde_json::json!({"limit": 10, "offset": 0}))
        .send()
        .await
        .expect("answers");
    assert_eq!(r.status().as_u16(), 429);
    // A token without the analytics category cannot read it.
    assert!(matches!(
        w.with_token(demo_token_partial()).fbo_stocks().await,
        Err(Error::Forbidden { .. })
    ));
    w.check_spec();
}
