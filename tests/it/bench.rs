//! A benchmark (ignored by default; it prints figures and asserts no timing): a full stock
//! push and a full price push for N SKUs over 3 warehouses per marketplace, against the
//! sandboxes with their published rate limits. For each: the requests made next to the
//! minimum `ceil(items / batch max)`, and the time taken next to the rate-limit bound.
//!
//! `MPBOT_BENCH_SKUS=100000 cargo test --release --test it -- --ignored bench --nocapture`

use std::sync::Arc;
use std::time::{Duration, Instant};

use mpbot::clock::{ManualClock, SharedClock};
use mpbot::domain::Money;
use mpbot::marketplaces::endpoints::{self as ep, Catalogue, Endpoint, Family};
use mpbot::marketplaces::http::{Http, RetryPolicy};
use mpbot::marketplaces::ozon::OzonClient;
use mpbot::marketplaces::wb::WbClient;
use mpbot::marketplaces::ym::YmClient;
use mpbot::marketplaces::{
    ItemOutcome, MarketplaceApi, PriceUpdate, ProductRef, Secret, StockUpdate,
};
use mpbot::sandbox::common::Exchange;
use mpbot::sandbox::{ozon, wb, ym};

use crate::harness::start_time;

fn skus() -> usize {
    std::env::var("MPBOT_BENCH_SKUS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// The least time `requests` calls (each costing `cost`) can take under a token bucket.
fn bound(e: &Endpoint, requests: usize, cost_per_request: f64) -> Duration {
    let tokens = requests as f64 * cost_per_request;
    let over = (tokens - f64::from(e.group.limit.burst)).max(0.0);
    e.group.limit.interval.mul_f64(over)
}

struct Row {
    marketplace: &'static str,
    operation: &'static str,
    items: usize,
    requests: usize,
    minimum: usize,
    took: Duration,
    bound: Duration,
    failed: usize,
}

impl Row {
    /// One push through `e`: the fewest requests its batch maximum allows, and the time
    /// the rate limit takes for them plus `extra` requests, each costing `cost`.
    #[allow(clippy::too_many_arguments)]
    fn of(
        marketplace: &'static str,
        operation: &'static str,
        out: &[ItemOutcome],
        requests: usize,
        e: &Endpoint,
        extra: usize,
        cost: f64,
        took: Duration,
    ) -> Row {
        let minimum = out.len().div_ceil(e.batch_max.unwrap_or(1));
        Row {
            marketplace,
            operation,
            items: out.len(),
            requests,
            minimum,
            took,
            bound: bound(e, minimum + extra, cost),
            failed: out.iter().filter(|o| o.error.is_some()).count(),
        }
    }
}

fn print(rows: &[Row]) {
    println!(
        "\n{:<6} {:<7} {:>8} {:>9} {:>9} {:>10} {:>10} {:>7}",
        "market", "push", "items", "requests", "minimum", "took", "bound", "errors"
    );
    for r in rows {
        println!(
            "{:<6} {:<7} {:>8} {:>9} {:>9} {:>9.1}s {:>9.1}s {:>7}",
            r.marketplace,
            r.operation,
            r.items,
            r.requests,
            r.minimum,
            r.took.as_secs_f64(),
            r.bound.as_secs_f64(),
            r.failed
        );
    }
}

fn count(ex: &[Exchange], path_end: &str) -> usize {
    ex.iter()
        .filter(|e| e.path.ends_with(path_end) && e.method != "GET")
        .count()
}

fn http() -> Http {
    Http::new(RetryPolicy {
        max_attempts: 5,
        base: Duration::from_millis(100),
        max_delay: Duration::from_secs(60),
    })
}

fn stock_updates(refs: &[ProductRef], warehouses: &[String], n: usize) -> Vec<StockUpdate> {
    warehouses
        .iter()
        .take(3)
        .flat_map(|w| {
            refs.iter().take(n).map(move |p| StockUpdate {
                warehouse_id: w.clone(),
                product: p.clone(),
                amount: 11,
            })
        })
        .collect()
}

fn price_updates(refs: &[ProductRef], n: usize) -> Vec<PriceUpdate> {
    refs.iter()
        .take(n)
        .map(|p| PriceUpdate {
            product: p.clone(),
            price: Money::from_rubles(5_000),
            old_price: Some(Money::from_rubles(6_250)),
            min_price: None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures, takes minutes at 100 000 SKUs"]
async fn bench_full_stock_and_price_push() {
    let n = skus();
    let clock: SharedClock = Arc::new(ManualClock::new(start_time()));
    let mut rows = Vec::new();

    // Ozon.
    let started = Instant::now();
    let sandbox = ozon::OzonSandbox::new(
        clock.clone(),
        ozon::Seed {
            seed: 1,
            products: n,
            orders_per_hour: 0,
        },
    );
    let url = sandbox.start().await.expect("starts");
    println!(
        "ozon sandbox with {n} products ready in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let catalogue = Arc::new(Catalogue::with_bases(&[(
        Family::Ozon,
        reqwest::Url::parse(&url).expect("url"),
    )]));
    let client = OzonClient::new(
        http(),
        catalogue,
        ozon::DEMO_CLIENT_ID,
        Secret::new(ozon::DEMO_API_KEY),
    );
    let (refs, warehouses) = sandbox.catalogue();
    for (op, e) in [
        ("stocks", &ep::OZON_STOCKS_UPDATE),
        ("prices", &ep::OZON_PRICES_UPDATE),
    ] {
        let t = Instant::now();
        let out = if op == "stocks" {
            client
                .update_stocks(&stock_updates(&refs, &warehouses, n))
                .await
        } else {
            client.update_prices(&price_updates(&refs, n)).await
        }
        .expect("pushed");
        let took = t.elapsed();
        let requests = count(&sandbox.recorder().exchanges(), e.path);
        rows.push(Row::of("ozon", op, &out, requests, e, 0, 1.0, took));
    }

    // Wildberries: SKUs are sizes (chrtId).
    let sandbox = wb::WbSandbox::new(
        clock.clone(),
        wb::Seed {
            seed: 2,
            products: n.div_ceil(2),
            orders_per_hour: 0,
        },
    );
    let urls = sandbox.start().await.expect("starts");
    let bases: Vec<_> = urls
        .into_iter()
        .map(|(f, u)| (f, reqwest::Url::parse(&u).expect("url")))
        .collect();
    let client = WbClient::new(
        http(),
        Arc::new(Catalogue::with_bases(&bases)),
        Secret::new(wb::demo_token_full()),
        clock.clone(),
    );
    let (refs, warehouses) = sandbox.catalogue();
    let t = Instant::now();
    let out = client
        .update_stocks(&stock_updates(&refs, &warehouses, n))
        .await
        .expect("pushed");
    let requests = sandbox
        .recorder()
        .exchanges()
        .iter()
        .filter(|e| e.method == "PUT")
        .count();
    let took = t.elapsed();
    rows.push(Row::of(
        "wb",
        "stocks",
        &out,
        requests,
        &ep::WB_STOCKS_UPDATE,
        0,
        1.0,
        took,
    ));
    // WB prices are per card (nmID), not per size.
    let mut cards = refs.clone();
    cards.dedup_by(|a, b| a.id == b.id);
    let t = Instant::now();
    let out = client
        .update_prices(&price_updates(&cards, n))
        .await
        .expect("pushed");
    let took = t.elapsed();
    let requests = count(&sandbox.recorder().exchanges(), "/api/v2/upload/task");
    let status_checks = sandbox
        .recorder()
        .exchanges()
        .iter()
        .filter(|e| e.path.starts_with("/api/v2/history"))
        .count();
    println!("wb price upload also read {status_checks} task statuses");
    let e = &ep::WB_PRICES_UPLOAD;
    rows.push(Row::of(
        "wb",
        "prices",
        &out,
        requests,
        e,
        status_checks,
        1.0,
        took,
    ));

    // Yandex Market.
    let sandbox = ym::YmSandbox::new(
        clock.clone(),
        ym::Seed {
            seed: 3,
            products: n,
            orders_per_hour: 0,
        },
    );
    let url = sandbox.start().await.expect("starts");
    let catalogue = Arc::new(Catalogue::with_bases(&[(
        Family::Ym,
        reqwest::Url::parse(&url).expect("url"),
    )]));
    let client = YmClient::new(
        http(),
        catalogue,
        Secret::new(ym::DEMO_API_KEY),
        ym::DEMO_BUSINESS_ID,
    );
    let (refs, warehouses) = sandbox.catalogue();
    let t = Instant::now();
    let out = client
        .update_stocks(&stock_updates(&refs, &warehouses, n))
        .await
        .expect("pushed");
    let took = t.elapsed();
    let requests = count(&sandbox.recorder().exchanges(), "/offers/stocks/update");
    let e = &ep::YM_STOCKS_UPDATE_EP;
    rows.push(Row::of("ym", "stocks", &out, requests, e, 0, 1.0, took));
    let t = Instant::now();
    let out = client
        .update_prices(&price_updates(&refs, n))
        .await
        .expect("pushed");
    let took = t.elapsed();
    let requests = count(&sandbox.recorder().exchanges(), "/offer-prices/updates");
    // YM counts this method by offers: each request costs its offer count.
    let e = &ep::YM_PRICES_UPDATE_EP;
    rows.push(Row::of("ym", "prices", &out, requests, e, 0, 500.0, took));

    print(&rows);
}

/// Sealing and opening credentials: how long a cabinet's key costs at rest, and what a
/// full `rotate-key` of many cabinets would spend in the cipher alone.
#[test]
#[ignore = "a benchmark: prints figures"]
fn bench_sealing_credentials() {
    use mpbot::domain::Credentials;
    use mpbot::secrets::{MasterKey, Vault};
    let n = 100_000;
    let creds = Credentials {
        client_id: Some("100500".into()),
        key: mpbot::sandbox::wb::demo_token_full(),
    };
    let vault = Vault::ephemeral().expect("vault");
    let started = std::time::Instant::now();
    let sealed: Vec<String> = (0..n)
        .map(|i| {
            vault
                .seal_json(&creds, &format!("cabinet:{}", i % 100))
                .expect("seals")
        })
        .collect();
    let seal = started.elapsed();
    let started = std::time::Instant::now();
    for (i, s) in sealed.iter().enumerate() {
        let c: Credentials = vault
            .open_json(s, &format!("cabinet:{}", i % 100))
            .expect("opens");
        assert_eq!(c.key.len(), creds.key.len());
    }
    let open = started.elapsed();
    let rotated = vault.with_sealing_key(MasterKey::generate().expect("key"));
    let started = std::time::Instant::now();
    for (i, s) in sealed.iter().enumerate() {
        rotated
            .reseal_all(s, &format!("cabinet:{}", i % 100))
            .expect("reseals");
    }
    let reseal = started.elapsed();
    let size = sealed.iter().map(String::len).sum::<usize>() / n;
    println!(
        "{n} credentials ({} B plaintext key, {size} B sealed): seal {:.2} µs, open {:.2} µs, re-seal {:.2} µs each",
        creds.key.len(),
        seal.as_secs_f64() * 1e6 / n as f64,
        open.as_secs_f64() * 1e6 / n as f64,
        reseal.as_secs_f64() * 1e6 / n as f64,
    );
}
