//! Order benchmarks (ignored by default; they print figures next to their bounds and
//! assert nothing): the requests an idle poll costs per cabinet, the time from a buyer's
//! order in a sandbox to its alert in the Telegram double at 60 s and 5 s poll intervals,
//! and the import throughput for many cabinets with many orders each.
//!
//! `cargo test --release --test it -- --ignored bench_orders --nocapture`
//! (`MPBOT_BENCH_CABINETS` and `MPBOT_BENCH_ORDERS` size the import, 100 × 1 000 by default)

use std::time::{Duration, Instant};

use mpbot::domain::{EventKind, Lang, Marketplace, Role, TgChatId};
use mpbot::sandbox::telegram::Event;

use crate::harness::TestApp;

const GROUP: i64 = -100_950;

/// The scheduler's own period in `mpbot run` (a pass every 5 s picks what is due).
const SCHEDULER_TICK: i64 = 5;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A company with a cabinet on each marketplace and a group told of new orders; what the
/// sandboxes start with is imported and told.
async fn company() -> TestApp {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    for m in Marketplace::ALL {
        app.seed_cabinet(ws, m, &format!("{m:?}"), true, 0).await;
    }
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.h.double.add_bot_to_group(&anna, GROUP, "Склад");
    app.settle().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::NewOrder)
        .await
        .expect("subscribed");
    app.h.app.run_scheduler_once().await.expect("first pass");
    app.settle().await;
    app
}

fn requests(app: &TestApp) -> [usize; 3] {
    [
        app.sandboxes.ozon.recorder().exchanges().len(),
        app.sandboxes.wb.recorder().exchanges().len(),
        app.sandboxes.ym.recorder().exchanges().len(),
    ]
}

/// An idle poll: every import due, nothing new on any marketplace.
async fn idle_poll() {
    let app = company().await;
    let before = requests(&app);
    let polls = 5;
    for _ in 0..polls {
        app.h.app.svc.jobs().make_jobs_due().await.expect("due");
        app.h.app.run_scheduler_once().await.expect("a pass");
    }
    let after = requests(&app);
    // A sweep (where a marketplace cannot list changes by time) is due again.
    sqlx::query("DELETE FROM sync_cursors WHERE kind LIKE '%-sweep'")
        .execute(app.db.pool())
        .await
        .expect("sweep due");
    app.h.app.svc.jobs().make_jobs_due().await.expect("due");
    app.h.app.run_scheduler_once().await.expect("a pass");
    let swept = requests(&app);
    println!("\nidle poll (nothing new), requests per cabinet and poll:");
    println!(
        "{:<7} {:>9} {:>7} {:>16}",
        "market", "requests", "bound", "with a sweep"
    );
    for (i, m) in ["ozon", "wb", "ym"].into_iter().enumerate() {
        let per = (after[i] - before[i]) as f64 / f64::from(polls);
        println!("{m:<7} {per:>9.1} {:>7} {:>16}", 1, swept[i] - after[i]);
    }
    println!(
        "(a sweep looks again at orders seen before, every {} s, where the API lists no changes by time)",
        mpbot::app::orders::SWEEP_SECS
    );
    app.finish().await;
}

/// Seconds of the shared clock from a buyer's order to its alert in the group, with the
/// company polling every `every` seconds and the scheduler ticking every 5 s; orders come
/// at evenly spread moments of the interval. Also the wall time of the passes that found
/// and told them.
async fn latency(every: i64, samples: i64) {
    let app = company().await;
    sqlx::query("UPDATE workspaces SET orders_every_secs = $1")
        .bind(every)
        .execute(app.db.pool())
        .await
        .expect("interval");
    // The schedule starts over on the new interval.
    app.h.app.svc.jobs().make_jobs_due().await.expect("due");
    app.h.app.run_scheduler_once().await.expect("a pass");
    app.settle().await;
    let mut waits = Vec::new();
    let mut work = Duration::ZERO;
    for k in 0..samples {
        // Spread the buyer's moment over the interval, the scheduler ticking meanwhile.
        let offset = every * k / samples;
        for _ in 0..offset / SCHEDULER_TICK {
            app.clock.advance(chrono::Duration::seconds(SCHEDULER_TICK));
            app.h.app.run_scheduler_once().await.expect("a pass");
        }
        app.clock
            .advance(chrono::Duration::seconds(offset % SCHEDULER_TICK));
        app.settle().await;
        let number = app.sandboxes.ozon.place_order();
        let number = number
            .rsplit_once('-')
            .map_or(number.clone(), |p| p.0.to_owned());
        let placed = app.clock_now();
        let mut told = None;
        for _ in 0..(2 * every / SCHEDULER_TICK + 2) {
            app.clock.advance(chrono::Duration::seconds(SCHEDULER_TICK));
            // The pass imports, raises and sends: the alert is in the double when it ends.
            let t = Instant::now();
            app.h.app.run_scheduler_once().await.expect("a pass");
            work += t.elapsed();
            let events = app.settle().await;
            let seen = events.iter().any(|e| {
                matches!(e, Event::Message { chat_id, text, .. }
                    if *chat_id == GROUP && text.contains(&number))
            });
            if seen {
                told = Some(app.clock_now() - placed);
                break;
            }
        }
        match told {
            Some(w) => waits.push(w),
            None => println!("  an order placed at +{offset} s was not told"),
        }
    }
    waits.sort_unstable();
    let mean = waits.iter().sum::<i64>() as f64 / waits.len() as f64;
    println!(
        "poll every {every:>2} s: order → alert mean {mean:>5.1} s, worst {:>3} s \
         (bound: interval + tick = {} s); wall time of the passes {:.1} ms each",
        waits.last().copied().unwrap_or_default(),
        every + SCHEDULER_TICK,
        work.as_secs_f64() * 1000.0 / waits.len().max(1) as f64
    );
    app.finish().await;
}

/// `cabinets` Ozon cabinets on one account with `orders` new orders: one scheduler pass
/// imports them all.
async fn throughput(cabinets: usize, orders: usize) {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Bulk", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    for n in 0..cabinets {
        app.seed_cabinet(ws, Marketplace::Ozon, &format!("Ozon {n}"), n == 0, n)
            .await;
    }
    for _ in 0..orders {
        app.sandboxes.ozon.place_order();
    }
    let before = app.sandboxes.ozon.recorder().exchanges().len();
    let t = Instant::now();
    let report = app.h.app.run_scheduler_once().await.expect("a pass");
    let took = t.elapsed();
    let stored = app.count("SELECT COUNT(*) FROM orders").await;
    let calls = app.sandboxes.ozon.recorder().exchanges().len() - before;
    println!(
        "\nimport: {cabinets} cabinets × {} orders = {stored} orders in {:.1} s → {:.0} orders/s \
         ({calls} requests, {} jobs, {} failed)",
        stored / cabinets.max(1) as i64,
        took.as_secs_f64(),
        stored as f64 / took.as_secs_f64(),
        report.jobs.ran,
        report.jobs.failed
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures"]
async fn bench_orders() {
    idle_poll().await;
    println!("\nfrom a buyer's order to the group's alert (shared clock):");
    latency(60, 12).await;
    latency(5, 12).await;
    throughput(
        env_or("MPBOT_BENCH_CABINETS", 100),
        env_or("MPBOT_BENCH_ORDERS", 1_000),
    )
    .await;
}
