//! Contract tests: the Yandex Market client against the YM sandbox, every exchange
//! checked against YM's official (multi-file) spec.

use std::sync::Arc;
use std::time::Duration;

use mpbot::clock::{ManualClock, SharedClock};
use mpbot::domain::{Money, Scheme};
use mpbot::marketplaces::endpoints::{Catalogue, Family};
use mpbot::marketplaces::http::{Http, RetryPolicy};
use mpbot::marketplaces::ym::YmClient;
use mpbot::marketplaces::{
    Error, Labels, MarketplaceApi, OrderAction, OrderCursor, PriceUpdate, ProductRef, Secret,
    StockUpdate,
};
use mpbot::sandbox::ym::{DEMO_API_KEY, DEMO_BUSINESS_ID, Seed, YmSandbox};

use crate::harness::start_time;
use crate::openapi::{Spec, check_exchanges};

struct Ym {
    sandbox: Arc<YmSandbox>,
    client: YmClient,
    clock: ManualClock,
    catalogue: Arc<Catalogue>,
}

fn http() -> Http {
    Http::new(RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(20),
        max_delay: Duration::from_secs(5),
    })
}

async fn ym(products: usize) -> Ym {
    let clock = ManualClock::new(start_time());
    let shared: SharedClock = Arc::new(clock.clone());
    let sandbox = YmSandbox::new(
        shared,
        Seed {
            seed: 5,
            products,
            orders_per_hour: 3,
        },
    );
    let url = sandbox.start().await.expect("starts");
    let catalogue = Arc::new(Catalogue::with_bases(&[(
        Family::Ym,
        reqwest::Url::parse(&url).expect("url"),
    )]));
    let client = YmClient::new(
        http(),
        catalogue.clone(),
        Secret::new(DEMO_API_KEY),
        DEMO_BUSINESS_ID,
    );
    Ym {
        sandbox,
        client,
        clock,
        catalogue,
    }
}

impl Ym {
    fn check_spec(&self) -> usize {
        check_exchanges(Spec::ym(), &self.sandbox.recorder().exchanges())
    }

    fn calls_to(&self, suffix: &str) -> usize {
        self.sandbox
            .recorder()
            .exchanges()
            .iter()
            .filter(|e| e.path.ends_with(suffix))
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
async fn verify_lists_campaigns_and_the_business() {
    let y = ym(3).await;
    let v = y.client.verify().await.expect("verifies");
    assert!(v.ok, "{v:?}");
    assert_eq!(v.shops.as_ref().map(Vec::len), Some(2));
    assert_eq!(v.account.as_deref(), Some("7001234"));
    // While connecting, the business is not known yet: every campaign the key reaches.
    let connecting = YmClient::new(http(), y.catalogue.clone(), Secret::new(DEMO_API_KEY), 0);
    let v = connecting.verify().await.expect("verifies");
    assert_eq!(v.shops.as_ref().map(Vec::len), Some(2));
    assert_eq!(v.account, None);
    let other = YmClient::new(http(), y.catalogue.clone(), Secret::new(DEMO_API_KEY), 1);
    let v = other.verify().await.expect("verifies");
    assert!(!v.ok && v.problems[0].contains("no campaign"));
    let wrong = YmClient::new(
        http(),
        y.catalogue.clone(),
        Secret::new("nope"),
        DEMO_BUSINESS_ID,
    );
    assert!(matches!(
        wrong.warehouses().await,
        Err(Error::Unauthorized { .. })
    ));
    y.check_spec();
}

#[tokio::test]
async fn the_catalogue_and_warehouses_are_read_to_the_end() {
    let y = ym(230).await;
    let products = y.client.products().await.expect("offers");
    assert_eq!(products.len(), 230);
    assert_eq!(y.calls_to("/offer-mappings"), 3, "100 per page");
    assert!(
        products
            .iter()
            .all(|p| p.sku.is_some() && p.barcodes.len() == 1)
    );
    assert_eq!(y.client.warehouses().await.expect("warehouses").len(), 3);
    y.check_spec();
}

#[tokio::test]
async fn an_order_is_confirmed_packed_labelled_and_shipped() {
    let y = ym(20).await;
    let batch = y
        .client
        .orders(Scheme::Fbs, since(3))
        .await
        .expect("orders");
    assert_eq!(batch.orders.len(), 4);
    let started: Vec<_> = batch
        .orders
        .iter()
        .filter(|o| o.status == "PROCESSING/STARTED")
        .cloned()
        .collect();
    assert_eq!(started.len(), 2);
    let order = &started[0];
    assert!(order.shop.is_some() && order.ship_by.is_some());
    y.client
        .act(order, &OrderAction::Confirm)
        .await
        .expect("confirm");
    y.client
        .act(order, &OrderAction::Assemble)
        .await
        .expect("packed");
    let id: i64 = order.id.parse().expect("id");
    assert_eq!(
        y.sandbox.order_status(id).as_deref(),
        Some("PROCESSING/READY_TO_SHIP")
    );
    match y
        .client
        .request_labels(std::slice::from_ref(&order.id))
        .await
        .expect("labels")
    {
        Labels::Ready { files, failed } => {
            assert_eq!(files.len(), 1);
            assert!(files[0].bytes.starts_with(b"%PDF") && failed.is_empty());
        }
        other => panic!("{other:?}"),
    }
    y.client
        .act(order, &OrderAction::Ship)
        .await
        .expect("shipped");
    assert!(
        matches!(y.client.act(order, &OrderAction::Confirm).await, Err(Error::Api { code, .. }) if code == "STATUS_NOT_UPDATED")
    );
    let cancel = OrderAction::Cancel {
        reason_id: "SHOP_FAILED".into(),
        message: None,
    };
    y.client.act(&started[1], &cancel).await.expect("cancelled");
    assert_eq!(
        y.sandbox
            .order_status(started[1].id.parse().expect("id"))
            .as_deref(),
        Some("CANCELLED/SHOP_FAILED")
    );

    y.clock.advance(chrono::Duration::hours(13));
    let later = OrderCursor {
        changed_since: start_time(),
        now: start_time() + chrono::Duration::hours(13),
        sweep: true,
    };
    let batch = y.client.orders(Scheme::Fbs, later).await.expect("orders");
    let shipped = batch
        .orders
        .iter()
        .find(|o| o.id == order.id)
        .expect("changed");
    assert!(
        shipped.status.starts_with("DELIVERY/"),
        "{}",
        shipped.status
    );
    let fby = y.client.orders(Scheme::Fbo, since(3)).await.expect("fby");
    assert_eq!(fby.orders.len(), 1);
    y.check_spec();
}

#[tokio::test]
async fn orders_are_paged_by_50() {
    let y = ym(10).await;
    for _ in 0..120 {
        y.sandbox.place_order();
    }
    let batch = y
        .client
        .orders(Scheme::Fbs, since(3))
        .await
        .expect("orders");
    assert_eq!(batch.orders.len(), 124);
    assert_eq!(y.calls_to("/businesses/7001234/orders"), 3);
    y.check_spec();
}

#[tokio::test]
async fn stocks_and_prices_are_written_in_batches() {
    let y = ym(600).await;
    let products = y.client.products().await.expect("offers");
    let updates: Vec<StockUpdate> = products
        .iter()
        .map(|p| StockUpdate {
            warehouse_id: "55001".into(),
            product: ProductRef {
                id: p.id.clone(),
                vendor_code: p.vendor_code.clone(),
                sku: None,
            },
            amount: 9,
        })
        .collect();
    let out = y.client.update_stocks(&updates).await.expect("stocks");
    assert!(out.iter().all(|o| o.error.is_none()));
    assert_eq!(y.sandbox.stock(55_001, "YM-00001"), Some(9));
    let back = y
        .client
        .stocks(
            "55001",
            &updates[..3]
                .iter()
                .map(|u| u.product.clone())
                .collect::<Vec<_>>(),
        )
        .await
        .expect("read");
    assert_eq!(back.len(), 3);
    assert!(back.iter().all(|s| s.present == 9));

    let prices: Vec<PriceUpdate> = products
        .iter()
        .map(|p| PriceUpdate {
            product: ProductRef {
                id: p.id.clone(),
                vendor_code: p.vendor_code.clone(),
                sku: None,
            },
            price: Money::parse("999,90").expect("m"),
            old_price: Some(Money::from_rubles(1200)),
            min_price: None,
        })
        .collect();
    let out = y.client.update_prices(&prices).await.expect("prices");
    assert_eq!(
        y.calls_to("/offer-prices/updates"),
        2,
        "600 offers at 500 per request"
    );
    assert!(out.iter().all(|o| o.error.is_none()));
    assert_eq!(y.sandbox.price("YM-00001"), Some((999.9, Some(1200.0))));
    let read = y.client.prices().await.expect("read");
    let p = read
        .iter()
        .find(|p| p.product.vendor_code == "YM-00001")
        .expect("listed");
    assert_eq!(
        (p.price_after_discount, p.price, p.discount_percent),
        (Money(99_990), Money(120_000), 17)
    );

    // A bad item refuses its whole batch, and every item of it says so.
    let ghost = PriceUpdate {
        product: ProductRef {
            id: "X".into(),
            vendor_code: "GHOST".into(),
            sku: None,
        },
        price: Money::from_rubles(10),
        old_price: None,
        min_price: None,
    };
    let out = y.client.update_prices(&[ghost]).await.expect("answered");
    assert!(
        out[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("OFFER_NOT_FOUND"))
    );
    y.check_spec();
}

#[tokio::test]
async fn commissions_come_from_order_stats() {
    let y = ym(10).await;
    let batch = y
        .client
        .orders(Scheme::Fbs, since(5))
        .await
        .expect("orders");
    let delivered: Vec<String> = batch
        .orders
        .iter()
        .filter(|o| o.status.starts_with("DELIVERED"))
        .map(|o| o.id.clone())
        .collect();
    assert_eq!(delivered.len(), 1);
    let acc = y.client.accruals(&delivered).await.expect("accruals");
    use mpbot::domain::finance::Kind;
    assert!(
        acc.iter()
            .any(|a| a.kind == "PAYMENT" && a.class == Kind::Sale && a.amount.0 > 0)
    );
    assert!(
        acc.iter()
            .any(|a| a.kind == "FEE" && a.class == Kind::Commission && a.amount.0 < 0)
    );
    assert!(
        acc.iter()
            .any(|a| a.kind == "DELIVERY_TO_CUSTOMER" && a.class == Kind::Logistics)
    );
    // An order still on its way: billed at creation, not settled. Its commissions are its
    // forecast, with the sale at the items' prices; a settled order has none.
    let open = batch
        .orders
        .iter()
        .find(|o| o.status.starts_with("PROCESSING"))
        .expect("an open order");
    let settled = y
        .client
        .accruals(std::slice::from_ref(&open.id))
        .await
        .expect("accruals");
    assert!(settled.is_empty(), "{settled:?}");
    let expected = y.client.forecast(&open.id).await.expect("forecast");
    let sale: i64 = expected
        .iter()
        .filter(|a| a.class == Kind::Sale)
        .map(|a| a.amount.0)
        .sum();
    let total: i64 = open.items.iter().map(|i| i.price.0 * i.quantity).sum();
    assert_eq!(sale, total, "the sale at the items' prices");
    assert!(expected.iter().any(|a| a.kind == "FEE" && a.amount.0 < 0));
    assert!(
        y.client
            .forecast(&delivered[0])
            .await
            .expect("forecast")
            .is_empty()
    );
    y.check_spec();
}

#[tokio::test]
async fn a_420_is_waited_out_and_faults_are_reported() {
    let y = ym(3).await;
    y.sandbox.recorder().faults().fail_next.push_back(420);
    assert_eq!(y.client.warehouses().await.expect("after retry").len(), 3);
    y.sandbox
        .recorder()
        .faults()
        .fail_next
        .extend([500, 500, 500]);
    assert!(matches!(
        y.client.warehouses().await,
        Err(Error::Api { status: 500, .. })
    ));
    y.sandbox.recorder().faults().malformed_next = 1;
    assert!(
        matches!(y.client.warehouses().await, Err(Error::Decode { path, .. }) if path == "result.warehouses[0].id")
    );
    y.sandbox.recorder().faults().revoked = true;
    assert!(matches!(
        y.client.warehouses().await,
        Err(Error::Forbidden { .. })
    ));
    y.check_spec();
}

/// Our YM rate groups carry the limits the spec publishes per method.
#[test]
fn ym_rate_limits_match_the_spec() {
    use mpbot::marketplaces::endpoints as ep;
    for e in ep::ALL.iter().filter(|e| e.family == Family::Ym) {
        let op = Spec::ym()
            .entry(e.name)
            .unwrap_or_else(|| panic!("{} is not in the digest", e.name));
        let cfg = &op["limits"]["none"];
        let amount = cfg["amount"].as_f64().expect("amount");
        let unit = match cfg["period"].as_str() {
            Some("hours") => 3600.0,
            Some("minutes") => 60.0,
            other => panic!("{}: period {other:?}", e.path),
        };
        let period = unit * cfg["period-duration"].as_f64().unwrap_or(1.0);
        let ours = e.group.limit.interval.as_secs_f64();
        let theirs = period / amount;
        assert!(
            (ours - theirs).abs() / theirs < 0.01,
            "{}: we pace one per {ours}s, the spec allows one per {theirs}s",
            e.name
        );
    }
}

/// A status change is not safe to repeat: after a lost answer, the order is re-read and
/// the change is not sent again.
#[tokio::test]
async fn a_status_change_is_never_sent_twice() {
    let y = ym(20).await;
    let batch = y
        .client
        .orders(Scheme::Fbs, since(3))
        .await
        .expect("orders");
    let started: Vec<_> = batch
        .orders
        .iter()
        .filter(|o| o.status == "PROCESSING/STARTED")
        .cloned()
        .collect();
    y.sandbox.recorder().faults().lose_answer_next = 1;
    y.client
        .act(&started[0], &OrderAction::Assemble)
        .await
        .expect("the re-read shows it packed");
    assert_eq!(y.calls_to("/orders/status-update"), 1);
    let id: i64 = started[0].id.parse().expect("id");
    assert_eq!(
        y.sandbox.order_status(id).as_deref(),
        Some("PROCESSING/READY_TO_SHIP")
    );
    // A 500 before YM acted: the re-read shows no change, so it is sent once more.
    y.sandbox.recorder().faults().fail_next.push_back(500);
    let cancel = OrderAction::Cancel {
        reason_id: "SHOP_FAILED".into(),
        message: None,
    };
    y.client.act(&started[1], &cancel).await.expect("cancelled");
    assert_eq!(y.calls_to("/orders/status-update"), 3);
    y.check_spec();
}

/// FBY stock comes from the FBY campaign's `offers/stocks`, 100 offers a page, with the
/// warehouse names from `GET /v2/warehouses`; the FBS campaign is not asked. The sandbox's
/// rule, per offer `i` (YM-{i+1}): none when `i % 3 == 2`, else `10 + i % 50` AVAILABLE and
/// `i % 4` FREEZE in Софьино (even `i`) or Томилино (odd `i`), and 3 + 1 more in
/// Ростов-на-Дону when `i % 6 == 0`.
#[tokio::test]
async fn fby_stocks_are_read_page_by_page_from_the_fby_campaign() {
    let y = ym(250).await;
    let stocks = y.client.fbo_stocks().await.expect("FBY stocks");
    let fby = format!(
        "/v2/campaigns/{}/offers/stocks",
        mpbot::sandbox::ym::DEMO_CAMPAIGNS[1].0
    );
    let fbs = format!(
        "/v2/campaigns/{}/offers/stocks",
        mpbot::sandbox::ym::DEMO_CAMPAIGNS[0].0
    );
    let offers_with_stock = (0..250).filter(|i| i % 3 != 2).count();
    assert_eq!(offers_with_stock, 167);
    assert_eq!(y.calls_to(&fby), 2, "167 offers at 100 per page");
    assert_eq!(y.calls_to(&fbs), 0);
    assert_eq!(y.calls_to("/v2/warehouses"), 1);
    let expected = offers_with_stock + (0..250).filter(|i| i % 6 == 0).count();
    assert_eq!(stocks.len(), expected);
    let of = |offer: &str| -> Vec<_> {
        let mut v: Vec<_> = stocks
            .iter()
            .filter(|s| s.product.vendor_code == offer)
            .map(|s| {
                (
                    s.warehouse_id.as_str(),
                    s.warehouse_name.as_str(),
                    s.present,
                    s.reserved,
                )
            })
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(
        of("YM-00001"),
        vec![("145", "Софьино", 10, 0), ("147", "Ростов-на-Дону", 3, 1)]
    );
    assert_eq!(of("YM-00002"), vec![("171", "Томилино", 11, 1)]);
    assert!(of("YM-00003").is_empty());
    assert_eq!(
        of("YM-00250"),
        vec![("171", "Томилино", 59, 1)],
        "the second page is read too"
    );
    assert!(
        stocks
            .iter()
            .all(|s| s.product.id == s.product.vendor_code && s.product.sku.is_none())
    );
    y.check_spec();
}
