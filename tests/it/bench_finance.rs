//! Finance benchmark (ignored by default; it prints figures next to their bounds and
//! asserts nothing): a cabinet's finance read to the end for `MPBOT_BENCH_FIN_ORDERS`
//! settled orders (100 000 by default) on Ozon and on WB, through the real clients into
//! the sandboxes under the published limits. Ozon's accruals go 200 postings a request, so
//! the minimum is ⌈orders / 200⌉ at 50 requests a second; WB's detailed report goes
//! 100 000 rows a page until a short page or 204, once a minute with a burst of two. Peak memory is the
//! whole process's (the sandboxes and their recorders included).
//!
//! `cargo test --release --test it -- --ignored bench_finance --nocapture`

use std::time::{Duration, Instant};

use mpbot::domain::{CabinetId, Lang, Marketplace, Role, WorkspaceId};
use mpbot::marketplaces::endpoints as ep;

use crate::bench_stocks::{bound, peak_rss_mb};
use crate::harness::TestApp;

fn orders_wanted() -> usize {
    std::env::var("MPBOT_BENCH_FIN_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Keeps the orders the cabinet's marketplace has, as an import would have (the import
/// is benchmarked elsewhere): (external id, number, alt id, total).
async fn keep_orders(
    app: &TestApp,
    ws: WorkspaceId,
    cabinet: CabinetId,
    market: &str,
    at: i64,
    orders: &[(String, String, Option<String>, i64)],
) {
    for chunk in orders.chunks(500) {
        let mut tx = app.db.begin().await.expect("tx");
        for (external, number, alt, total) in chunk {
            sqlx::query(
                "INSERT INTO orders (workspace_id, cabinet_id, marketplace, scheme, external_id, number, alt_id, \
                 status, unified, total, created_at, imported_at, updated_at) \
                 VALUES ($1, $2, $3, 'fbs', $4, $5, $6, 'delivered', 'delivered', $7, $8, $8, $8)",
            )
            .bind(ws.0)
            .bind(cabinet.0)
            .bind(market)
            .bind(external)
            .bind(number)
            .bind(alt.clone())
            .bind(*total)
            .bind(at)
            .execute(&mut *tx)
            .await
            .expect("an order");
        }
        tx.commit().await.expect("commit");
    }
}

/// Reads a cabinet's finance until all `n` orders are settled (or a reading changes
/// nothing); returns the readings, the orders settled and the time. (A later reading looks
/// at the orders settled within two weeks again, for corrections: that is the hourly
/// cost, not the first reading's.)
async fn read_to_the_end(app: &TestApp, cabinet: CabinetId, n: usize) -> (usize, usize, Duration) {
    let started = Instant::now();
    let mut runs = 0;
    loop {
        let r = app
            .h
            .app
            .svc
            .finance()
            .read_finance(cabinet)
            .await
            .expect("a reading");
        runs += 1;
        let settled = usize::try_from(
            app.count(&format!(
                "SELECT COUNT(*) FROM order_money WHERE cabinet_id = {} AND basis = 'settled'",
                cabinet.0
            ))
            .await,
        )
        .unwrap_or(0);
        if settled >= n || r.orders == 0 || runs > 1_000 {
            return (runs, settled, started.elapsed());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: prints figures, asserts nothing"]
async fn bench_finance() {
    let n = orders_wanted();
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let ozon = app
        .seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    let wb = app
        .seed_cabinet(ws, Marketplace::Wildberries, "WB", true, 0)
        .await;
    let at = mpbot::clock::Clock::unix(&app.clock) - 86_400;
    let made = Instant::now();
    let postings = app.sandboxes.ozon.delivered_postings(n, at);
    let sold = app.sandboxes.wb.sold_orders(n, at);
    let ozon_orders: Vec<_> = postings
        .iter()
        .map(|(p, total)| (p.clone(), p.clone(), None, *total))
        .collect();
    keep_orders(&app, ws, ozon, "ozon", at, &ozon_orders).await;
    let wb_orders: Vec<_> = sold
        .iter()
        .map(|(id, rid)| (id.to_string(), rid.clone(), Some(rid.clone()), 0))
        .collect();
    keep_orders(&app, ws, wb, "wb", at, &wb_orders).await;
    drop((postings, sold, ozon_orders, wb_orders));
    println!(
        "\n{n} settled orders per cabinet made and kept in {:.1}s; peak RSS {:.0} MB",
        made.elapsed().as_secs_f64(),
        peak_rss_mb()
    );
    // The marketplaces settle days after delivery.
    let days = mpbot::sandbox::ozon::ACCRUAL_DAYS.max(mpbot::sandbox::wb::REPORT_DAYS) + 1;
    app.clock.advance(chrono::Duration::days(days));

    println!(
        "{:<6} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>8}",
        "market",
        "orders",
        "settled",
        "readings",
        "requests",
        "minimum",
        "took",
        "bound",
        "peak MB"
    );
    for (market, cabinet, endpoint, minimum) in [
        ("ozon", ozon, &ep::OZON_ACCRUALS, n.div_ceil(200)),
        // Pages of 100 000 rows (a row per sale); a short page ends the feed, a full one
        // asks once more for the 204.
        ("wb", wb, &ep::WB_FINANCE_DETAILED, n / 100_000 + 1),
    ] {
        let recorder = match market {
            "ozon" => app.sandboxes.ozon.recorder(),
            _ => app.sandboxes.wb.recorder(),
        };
        let ours =
            |e: &mpbot::sandbox::common::Exchange| e.path == endpoint.path && e.status != 429;
        let before = recorder.count(ours);
        let (runs, settled, took) = read_to_the_end(&app, cabinet, n).await;
        let requests = recorder.count(ours) - before;
        println!(
            "{:<6} {:>8} {:>9} {:>9} {:>9} {:>9} {:>8.1}s {:>9.1}s {:>8.0}",
            market,
            n,
            settled,
            runs,
            requests,
            minimum,
            took.as_secs_f64(),
            bound(endpoint, requests).as_secs_f64(),
            peak_rss_mb()
        );
    }
    let kept = app
        .count("SELECT COUNT(*) FROM order_money WHERE basis = 'settled'")
        .await;
    println!("orders with settled money kept: {kept} of {}", 2 * n);
}
