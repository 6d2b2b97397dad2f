//! A benchmark of a real `mpbot run` (ignored by default; it prints figures and asserts
//! nothing): how long a new order takes to reach the warehouse group as an alert with
//! orders read every 10 s (the goal: the poll plus a second), and what an idle process
//! costs: CPU seconds and bytes written a minute, read from /proc.
//!
//! `cargo test --release --test it -- --ignored bench_new_order_latency --nocapture`

use std::time::{Duration, Instant};

use mpbot::sandbox::telegram::SimUser;

use crate::killed::{Stage, kill, order_number};

const POLL: i64 = 10;
const ORDERS: usize = 12;

/// CPU ticks (user + system) and bytes written so far by a process.
fn usage(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    let written = io
        .lines()
        .find_map(|l| l.strip_prefix("write_bytes:"))
        .and_then(|v| v.trim().parse().ok())?;
    Some((ticks, written))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures"]
async fn bench_new_order_latency() {
    let stage = Stage::new(POLL, 0).await;
    let anna = SimUser::new(1001, "Anna", "en");
    let child = stage.first_bot(&anna).await;
    let pid = child.id();
    println!(
        "\nnew order → group alert, orders read every {POLL} s, on {:?}",
        stage.db.backend()
    );
    let mut delays = Vec::new();
    for n in 0..ORDERS {
        // Orders come at every phase of the poll.
        let phase = Duration::from_millis((n as u64 * 2_300) % (POLL as u64 * 1_000));
        tokio::time::sleep(phase).await;
        let posting = stage.sandboxes.ozon.place_order();
        let placed = Instant::now();
        let number = order_number(&posting).to_owned();
        while placed.elapsed() < Duration::from_secs(60) {
            if stage.group_texts().iter().any(|t| t.contains(&number)) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        delays.push(placed.elapsed().as_secs_f64());
    }
    delays.sort_by(f64::total_cmp);
    println!(
        "  {ORDERS} orders: median {:.2} s, max {:.2} s (bound: the {POLL} s poll + 1 s = {} s)",
        delays[delays.len() / 2],
        delays[delays.len() - 1],
        POLL + 1
    );
    // Idle: nothing arrives for a minute.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let before = usage(pid);
    tokio::time::sleep(Duration::from_secs(60)).await;
    let after = usage(pid);
    if let (Some((t0, w0)), Some((t1, w1))) = (before, after) {
        let hz = 100.0; // USER_HZ on Linux
        println!(
            "  idle a minute (orders read every {POLL} s): {:.2} CPU s ({:.2}% of a core), {:.1} KB written",
            (t1 - t0) as f64 / hz,
            (t1 - t0) as f64 / hz / 60.0 * 100.0,
            (w1.saturating_sub(w0)) as f64 / 1024.0
        );
    }
    kill(child);
}
