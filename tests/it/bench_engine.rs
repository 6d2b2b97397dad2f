//! A benchmark (ignored by default; it prints figures and asserts nothing): how many jobs
//! the queue claims and finishes a second with 10 000 due, as the runner takes them (one
//! at a time under a lease), with one worker and with two sharing the database. Run it on
//! SQLite, and on PostgreSQL with `TEST_DATABASE_URL` set.
//!
//! `cargo test --release --test it -- --ignored bench_job_queue --nocapture`

use std::time::Instant;

use mpbot::domain::{Lang, Role};
use mpbot::storage::jobs::{self, Outcome};

use crate::harness::TestApp;

const DUE: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a benchmark: prints figures"]
async fn bench_job_queue() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    let now = app.clock_now();
    println!(
        "\njob queue on {:?}: {DUE} due one-off jobs, claimed one at a time and finished",
        app.db.backend()
    );
    for workers in [1usize, 2] {
        let mut tx = app.db.begin().await.expect("tx");
        for n in 0..DUE {
            jobs::add_once(
                &mut *tx,
                ws,
                None,
                "sync-now",
                &format!("bench:{workers}:{n}"),
                "{}",
                now,
            )
            .await
            .expect("queued");
        }
        tx.commit().await.expect("commit");
        let started = Instant::now();
        let tasks: Vec<_> = (0..workers)
            .map(|w| {
                let db = app.db.clone();
                tokio::spawn(async move {
                    let name = format!("bench-worker-{w}");
                    let mut done = 0usize;
                    loop {
                        let Some(job) = jobs::claim(&db, &name, now, now + 30, 1)
                            .await
                            .expect("claim")
                            .pop()
                        else {
                            return done;
                        };
                        let finished =
                            jobs::finish(&db, job.id, &name, &Outcome::Done { next: None }, now)
                                .await
                                .expect("finish");
                        done += usize::from(finished);
                    }
                })
            })
            .collect();
        let mut done = 0;
        for t in tasks {
            done += t.await.expect("worker");
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "  {workers} worker(s): {done} jobs in {secs:.2} s = {:.0} a second (each claimed once: {})",
            done as f64 / secs,
            done == DUE
        );
    }
    app.finish().await;
}
