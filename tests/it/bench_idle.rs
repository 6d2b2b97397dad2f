//! A benchmark (ignored by default; it prints figures and asserts nothing): what an idle
//! process with three cabinets writes to its SQLite database per minute, nothing new on
//! any marketplace and nobody writing. The scheduler runs a pass every 5 s as `mpbot run`
//! does; the bytes are the WAL frames (page plus frame header) its transactions append,
//! counted each simulated minute after a truncating checkpoint. The sandboxes place a few
//! orders an hour, so some minutes have something new to store.
//!
//! `cargo test --release --test it -- --ignored bench_idle_writes --nocapture`

use mpbot::domain::{Lang, Marketplace, Role};

use crate::harness::TestApp;

/// The scheduler's own period in `mpbot run`.
const TICK: i64 = 5;
const MINUTES: usize = 10;

async fn wal_frames(app: &TestApp, mode: &str) -> i64 {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA wal_checkpoint({mode})"
    )))
    .fetch_one(app.db.pool())
    .await
    .expect("checkpoint");
    sqlx::Row::try_get::<i64, _>(&row, 1).expect("frames")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures"]
async fn bench_idle_writes() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        println!("idle writes are measured on SQLite; unset TEST_DATABASE_URL");
        return;
    }
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    for m in Marketplace::ALL {
        app.seed_cabinet(ws, m, &format!("{m:?}"), true, 0).await;
    }
    // The first passes import what the sandboxes hold; then nothing changes.
    for _ in 0..24 {
        app.clock.advance(chrono::Duration::seconds(TICK));
        app.h.app.run_scheduler_once().await.expect("a pass");
    }
    app.settle().await;
    let page: i64 = app.count("PRAGMA page_size").await;
    println!("\nidle, three cabinets, a pass every {TICK} s (WAL bytes written per minute):");
    let mut all = Vec::new();
    if std::env::var("MPBOT_BENCH_TRACE").is_ok() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("sqlx::query=debug")
            .try_init();
    }
    let mut quiet = Vec::new();
    for minute in 1..=MINUTES {
        let orders_before = app.count("SELECT COUNT(*) FROM orders").await;
        wal_frames(&app, "TRUNCATE").await;
        let mut ran = 0;
        for _ in 0..(60 / TICK) {
            app.clock.advance(chrono::Duration::seconds(TICK));
            if std::env::var("MPBOT_BENCH_PASSES").is_ok() {
                let f = wal_frames(&app, "PASSIVE").await;
                wal_frames(&app, "TRUNCATE").await;
                println!("  pass: {f} frames");
            }
            ran += app
                .h
                .app
                .run_scheduler_once()
                .await
                .expect("a pass")
                .jobs
                .ran;
        }
        let frames = wal_frames(&app, "PASSIVE").await;
        let bytes = frames * (page + 24);
        all.push(bytes);
        let new = app.count("SELECT COUNT(*) FROM orders").await - orders_before;
        if new == 0 {
            quiet.push(bytes);
        }
        println!(
            "minute {minute:>2}: {ran:>3} jobs ran, {new} new orders, {frames:>5} pages, {bytes:>9} bytes"
        );
    }
    let mean = all.iter().sum::<i64>() / all.len() as i64;
    let calm = quiet.iter().sum::<i64>() / quiet.len().max(1) as i64;
    println!(
        "mean {mean} bytes a minute ({:.1} MB a day) with the sandboxes' 6 orders an hour each; \
         {calm} bytes in a minute with nothing new (before this wave: 650-750 KB a minute)",
        mean as f64 * 1440.0 / 1e6
    );
    app.finish().await;
}
