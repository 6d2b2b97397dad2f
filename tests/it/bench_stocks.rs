//! A benchmark (ignored by default; it prints figures and asserts no timing): stock
//! publishing for N SKUs on three cabinets (Ozon, WB, YM), each SKU sold on all three, with
//! the sandboxes enforcing their published rate limits. The first full push and a
//! steady-state push where 1% of the levels changed: requests made next to the minimum the
//! batch sizes allow, wall time next to the rate-limit bound, 429s met, and the process's
//! peak memory; "in calls" is the part of a push spent waiting for the marketplace, the
//! rest is our own reading and planning (a 1% push reads only what changed). Then a 90-day
//! stock chart: render time and PNG bytes; `bench_stock_chart` times a one-SKU chart at
//! 5 000 and at 20 000 SKUs (it reads that SKU, not the catalogue: the goal is the same
//! time).
//!
//! `MPBOT_BENCH_SKUS=100000 cargo test --release --test it -- --ignored bench_stock_push --nocapture`
//! (at 100 000 SKUs Ozon's 80 stock requests a minute make the first push take about 40
//! minutes: that is the bound, printed beside it).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use mpbot::app::Actor;
use mpbot::domain::{Lang, Marketplace, Role, TgUserId};
use mpbot::marketplaces::Product;
use mpbot::marketplaces::endpoints::{self as ep, Endpoint};
use mpbot::sandbox::common::{Exchange, Goods};
use mpbot::storage::catalogue::{self as cat, NewSku};
use mpbot::storage::stocks::{self, Move};

use crate::harness::TestApp;

pub(crate) fn skus() -> usize {
    std::env::var("MPBOT_BENCH_SKUS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

pub(crate) fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The least time `requests` take under the endpoint's bucket (its burst is free).
pub(crate) fn bound(e: &Endpoint, requests: usize) -> Duration {
    let over = requests.saturating_sub(e.group.limit.burst as usize);
    e.group.limit.interval * over as u32
}

fn writes(ex: &[Exchange], path: &str) -> (usize, usize) {
    let w: Vec<&Exchange> = ex
        .iter()
        .filter(|e| e.method != "GET" && e.path.contains(path))
        .collect();
    (w.len(), w.iter().filter(|e| e.status == 429).count())
}

/// `n` goods listed on the three sandboxes, a cabinet of each marketplace, the SKUs and the
/// catalogue (products, warehouses) as an import would leave them: reading 100 000 WB
/// cards through the API alone takes ten minutes of its rate limit; that is the import's
/// bench, not these.
pub(crate) async fn sold_everywhere(
    app: &TestApp,
    ws: mpbot::domain::WorkspaceId,
    n: usize,
) -> HashMap<Marketplace, mpbot::domain::CabinetId> {
    let sb = &app.sandboxes;
    let goods: Vec<Goods> = (1..=n)
        .map(|i| Goods {
            vendor_code: format!("B-{i:06}"),
            name: format!("Товар {i}"),
            barcode: format!("2{:012}", 100_000_000 + i),
        })
        .collect();
    sb.ozon.list_goods(&goods);
    sb.wb.list_goods(&goods);
    sb.ym.list_goods(&goods);
    let mut cabinets = HashMap::new();
    for m in Marketplace::ALL {
        cabinets.insert(m, app.seed_cabinet(ws, m, &format!("{m:?}"), true, 0).await);
    }
    let now = app.clock_now();
    let mut tx = app.db.begin().await.expect("tx");
    let list: Vec<NewSku> = goods
        .iter()
        .map(|g| NewSku {
            code: g.vendor_code.clone(),
            name: g.name.clone(),
            vendor_code: g.vendor_code.clone(),
            barcodes: vec![g.barcode.clone()],
            weight_g: None,
        })
        .collect();
    cat::create_skus(&mut tx, ws, &list, now)
        .await
        .expect("skus");
    let barcode_of: HashMap<&str, &str> = goods
        .iter()
        .map(|g| (g.vendor_code.as_str(), g.barcode.as_str()))
        .collect();
    for (m, (refs, warehouses)) in [
        (Marketplace::Ozon, sb.ozon.catalogue()),
        (Marketplace::Wildberries, sb.wb.catalogue()),
        (Marketplace::YandexMarket, sb.ym.catalogue()),
    ] {
        let products: Vec<Product> = refs
            .into_iter()
            .filter(|r| barcode_of.contains_key(r.vendor_code.as_str()))
            .map(|r| Product {
                barcodes: vec![barcode_of[r.vendor_code.as_str()].to_owned()],
                name: r.vendor_code.clone(),
                category: None,
                id: r.id,
                vendor_code: r.vendor_code,
                sku: r.sku,
            })
            .collect();
        cat::put_products(&mut tx, ws, cabinets[&m], &products, now)
            .await
            .expect("products");
        let list: Vec<mpbot::marketplaces::Warehouse> = warehouses
            .into_iter()
            .map(|id| mpbot::marketplaces::Warehouse {
                name: id.clone(),
                id,
                active: true,
                marketplace_owned: false,
            })
            .collect();
        cat::put_warehouses(&mut tx, ws, cabinets[&m], false, &list)
            .await
            .expect("warehouses");
    }
    tx.commit().await.expect("commit");
    cabinets
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures, takes as long as the rate limits make it"]
async fn bench_stock_push() {
    let n = skus();
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Bench", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let anna = Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    };
    let svc = &app.h.app.svc;
    let sb = &app.sandboxes;
    let started = Instant::now();
    let cabinets = sold_everywhere(&app, ws, n).await;
    let now = app.clock_now();
    let report = svc.catalogue().autolink(ws).await.expect("links");
    let store = svc.stocks().stores(anna).await.expect("stores")[0].id;
    let ids: Vec<mpbot::domain::SkuId> = cat::skus(&app.db, ws)
        .await
        .expect("skus")
        .into_iter()
        .map(|s| s.id)
        .collect();
    let set = |k: i64| {
        let ids = ids.clone();
        let db = app.db.clone();
        async move {
            let moves: Vec<Move<'_>> = ids
                .iter()
                .enumerate()
                .filter(|(i, _)| k == 0 || i % 100 == 0)
                .map(|(i, id)| Move {
                    sku: *id,
                    store,
                    after: 10 + (i as i64 + k) % 50,
                    user: None,
                    source: "file",
                    reason: "bench",
                })
                .collect();
            let mut tx = db.begin().await.expect("tx");
            stocks::set_levels(&mut tx, ws, &moves, now)
                .await
                .expect("levels");
            tx.commit().await.expect("commit");
        }
    };
    set(0).await;
    println!(
        "\n{n} SKUs × 3 cabinets ready in {:.1}s ({} linked by barcode), peak RSS {:.0} MB",
        started.elapsed().as_secs_f64(),
        report.by_barcode,
        peak_rss_mb()
    );
    println!(
        "{:<6} {:<7} {:>8} {:>9} {:>9} {:>6} {:>10} {:>10} {:>10} {:>8}",
        "market",
        "push",
        "items",
        "requests",
        "minimum",
        "429s",
        "took",
        "in calls",
        "bound",
        "peak MB"
    );
    for (label, k) in [("full", 0i64), ("1%", 1)] {
        if k > 0 {
            set(k).await;
        }
        for (m, e, path, per_warehouse) in [
            (
                Marketplace::Ozon,
                &ep::OZON_STOCKS_UPDATE,
                "/v2/products/stocks",
                false,
            ),
            (
                Marketplace::Wildberries,
                &ep::WB_STOCKS_UPDATE,
                "/api/v3/stocks/",
                true,
            ),
            (
                Marketplace::YandexMarket,
                &ep::YM_STOCKS_UPDATE_EP,
                "/offers/stocks/update",
                false,
            ),
        ] {
            let recorder = match m {
                Marketplace::Ozon => sb.ozon.recorder(),
                Marketplace::Wildberries => sb.wb.recorder(),
                Marketplace::YandexMarket => sb.ym.recorder(),
            };
            let before = recorder.exchanges().len();
            let warehouses = cat::warehouses(&app.db, cabinets[&m])
                .await
                .expect("w")
                .len();
            let t = Instant::now();
            let pushed = svc
                .stocks()
                .push_stocks(cabinets[&m])
                .await
                .expect("pushed");
            let took = t.elapsed();
            let (requests, limited) = writes(&recorder.exchanges()[before..], path);
            let items = pushed.pushed + pushed.refused;
            let batch = e.batch_max.unwrap_or(1);
            let minimum = if per_warehouse {
                warehouses * (items / warehouses.max(1)).div_ceil(batch)
            } else {
                items.div_ceil(batch)
            };
            println!(
                "{:<6} {:<7} {:>8} {:>9} {:>9} {:>6} {:>9.2}s {:>9.2}s {:>9.1}s {:>8.0}",
                format!("{m:?}").chars().take(6).collect::<String>(),
                label,
                items,
                requests,
                minimum,
                limited,
                took.as_secs_f64(),
                pushed.requests.as_secs_f64(),
                bound(e, minimum).as_secs_f64(),
                peak_rss_mb()
            );
        }
    }
    // A 90-day chart of one SKU that changed every day.
    let sku = ids[0];
    for d in 0..90 {
        let mut tx = app.db.begin().await.expect("tx");
        let m = Move {
            sku,
            store,
            after: 20 + (d * 7) % 30,
            user: None,
            source: "chat",
            reason: "",
        };
        stocks::set_level(&mut tx, ws, &m, now - (90 - d) * 86_400)
            .await
            .expect("level");
        tx.commit().await.expect("commit");
    }
    let words = mpbot::app::stocks::charts::ChartWords {
        title: "B-000001 · Товар 1: остаток за 90 дн.".into(),
        sales: "Продажи".into(),
        units: "шт.".into(),
    };
    let t = Instant::now();
    let png = svc
        .stocks()
        .stock_chart(anna, sku, 90, words)
        .await
        .expect("chart")
        .expect("a history");
    println!(
        "90-day chart: {:.0} ms, {} bytes PNG",
        t.elapsed().as_secs_f64() * 1e3,
        png.len()
    );
    app.finish().await;
}

/// A one-SKU chart at two catalogue sizes: it reads that SKU's levels, moves and sales, not
/// the catalogue, so the time should not grow with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures"]
async fn bench_stock_chart() {
    println!("\none-SKU 90-day chart (goal: the same time at any catalogue size):");
    for n in [5_000usize, 20_000] {
        let app = TestApp::start().await;
        let ws = app
            .seed_workspace("Bench", &[(1001, "Anna", Role::Owner)], Lang::Ru)
            .await;
        let anna = Actor {
            user: TgUserId(1001),
            workspace: ws,
            role: Role::Owner,
        };
        let svc = &app.h.app.svc;
        sold_everywhere(&app, ws, n).await;
        svc.catalogue().autolink(ws).await.expect("links");
        let store = svc.stocks().stores(anna).await.expect("stores")[0].id;
        let now = app.clock_now();
        let sku = cat::find_sku(&app.db, ws, "B-000001")
            .await
            .expect("finds")
            .expect("exists")
            .id;
        for d in 0..90 {
            let mut tx = app.db.begin().await.expect("tx");
            let m = Move {
                sku,
                store,
                after: 20 + (d * 7) % 30,
                user: None,
                source: "chat",
                reason: "",
            };
            stocks::set_level(&mut tx, ws, &m, now - (90 - d) * 86_400)
                .await
                .expect("level");
            tx.commit().await.expect("commit");
        }
        let mut times = Vec::new();
        for _ in 0..5 {
            let words = mpbot::app::stocks::charts::ChartWords {
                title: "B-000001".into(),
                sales: "Продажи".into(),
                units: "шт.".into(),
            };
            let t = Instant::now();
            svc.stocks()
                .stock_chart(anna, sku, 90, words)
                .await
                .expect("chart")
                .expect("a history");
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{n:>6} SKUs: median {:.0} ms (of 5; before this wave: 157 ms at 5 000, 569 ms at 20 000 in release)",
            times[2]
        );
        app.finish().await;
    }
}
