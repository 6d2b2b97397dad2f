//! Two real `mpbot run` processes on one database, as a deployment with a standby would
//! run: a thousand due jobs with the marketplace answering in 2 s are shared between them,
//! each job's request answered once, while new orders are told once; one process is killed
//! mid-batch and the other finishes its jobs after the lease. And the two together keep one
//! cabinet under the marketplace's limits (no 429).

use std::time::{Duration, Instant};

use mpbot::domain::Marketplace;
use mpbot::sandbox::telegram::SimUser;

use crate::harness::seed_cabinet;
use crate::killed::{Stage, kill, order_number, wait_for};

const JOBS: usize = 1000;
const LANES: usize = 40;
const LATENCY_MS: u64 = 2000;
const FBO_PATH: &str = "/v1/analytics/stocks";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Every periodic job of every cabinet named "Ozon <n>", due in a day: none runs until the
/// test makes the FBO reads due.
async fn park_jobs(stage: &Stage) {
    let (now, later) = (now(), now() + 86_400);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO jobs (workspace_id, cabinet_id, kind, dedupe, payload, period_secs, due_at, created_at, updated_at) \
         SELECT c.workspace_id, c.id, k.kind, k.kind || ':' || CAST(c.id AS TEXT), '{{}}', 86400, {later}, {now}, {now} \
         FROM cabinets c CROSS JOIN (SELECT 'orders' AS kind UNION ALL SELECT 'catalogue' UNION ALL \
         SELECT 'stocks' UNION ALL SELECT 'fbo' UNION ALL SELECT 'prices') k \
         WHERE c.name LIKE 'Ozon %'"
    )))
    .execute(stage.db.pool())
    .await
    .expect("jobs parked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bots_share_a_thousand_jobs_once_and_take_over_a_killed_ones() {
    let mut stage = Stage::new(5, 0).await;
    stage.env.push(("MPBOT_LANES", LANES.to_string()));
    let anna = SimUser::new(1001, "Anna", "en");
    let ws = mpbot::domain::WorkspaceId(1);
    for nth in 1..=JOBS {
        seed_cabinet(
            &stage.db,
            &stage.test_db.vault,
            ws,
            Marketplace::Ozon,
            &format!("Ozon {nth}"),
            (now(), false, nth),
        )
        .await;
    }
    sqlx::query("UPDATE cabinets SET scheme = 'both' WHERE name LIKE 'Ozon %'")
        .execute(stage.db.pool())
        .await
        .expect("FBO too");
    park_jobs(&stage).await;
    let first = stage.spawn();
    stage.link_group(&anna).await;
    let main_ready = wait_for(Duration::from_secs(60), || async {
        stage
            .number("SELECT COUNT(*) FROM jobs WHERE cabinet_id = 1 AND (runs = 0 OR lease_owner IS NOT NULL)")
            .await
            == 0
    })
    .await;
    assert!(
        main_ready,
        "the main cabinet's first jobs ran: {}",
        stage.log_tail()
    );
    let second = stage.spawn();
    tokio::time::sleep(Duration::from_secs(3)).await;

    // A thousand FBO reads fall due at once; every Ozon answer takes 2 s.
    stage.sandboxes.ozon.recorder().faults().latency_ms = LATENCY_MS;
    let fbo_requests = || {
        stage
            .sandboxes
            .ozon
            .recorder()
            .exchanges()
            .iter()
            .filter(|x| x.path == FBO_PATH && x.status != 429)
            .count()
    };
    let before = fbo_requests();
    let before_all = stage.sandboxes.ozon.recorder().exchanges().len();
    let started = Instant::now();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET due_at = {} WHERE kind = 'fbo' AND cabinet_id <> 1",
        now()
    )))
    .execute(stage.db.pool())
    .await
    .expect("due");

    // Orders arrive meanwhile; the first bot dies halfway through the batch.
    let mut placed = Vec::new();
    let mut first = Some(first);
    let mut killed_at = None;
    let fbo_due = format!(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'fbo' AND cabinet_id <> 1 \
         AND (due_at < {} OR lease_owner IS NOT NULL)",
        now() + 3600
    );
    let done = wait_for(Duration::from_secs(400), || {
        if placed.len() < 10 && started.elapsed() >= Duration::from_secs(3 * placed.len() as u64)
        {
            placed.push(stage.sandboxes.ozon.place_order());
        }
        if first.is_some() && fbo_requests() - before >= JOBS / 2 {
            kill(first.take().expect("running"));
            killed_at = Some(Instant::now());
        }
        let placed = placed.clone();
        let stage = &stage;
        let fbo_due = &fbo_due;
        async move {
            let imported = stage.imported().await;
            let pending = stage
                .number("SELECT COUNT(*) FROM deliveries WHERE state IN ('pending', 'claimed', 'sending')")
                .await;
            placed.len() == 10
                && placed.iter().all(|p| imported.contains_key(p))
                && pending == 0
                && stage.number(fbo_due).await == 0
        }
    })
    .await;
    let took = started.elapsed();
    let after_kill = killed_at.map(|k| k.elapsed());
    kill(second);
    if let Some(first) = first {
        kill(first);
    }
    assert!(
        done,
        "both bots together finished the batch: {}",
        stage.log_tail()
    );
    assert!(after_kill.is_some(), "the first bot was killed mid-batch");

    // Each job ran once, but those the killed bot was running, which ran again.
    let twice = stage
        .number("SELECT COUNT(*) FROM jobs WHERE kind = 'fbo' AND cabinet_id <> 1 AND runs > 1")
        .await;
    let twice = usize::try_from(twice).unwrap_or_default();
    assert!(
        (1..=LANES).contains(&twice),
        "only the jobs in flight at the kill ran twice: {twice}"
    );
    let sent = fbo_requests() - before;
    assert!(
        (JOBS..=JOBS + twice).contains(&sent),
        "each job's request reached the marketplace once ({sent} for {JOBS} jobs, {twice} cut short)"
    );
    let throttled = stage
        .sandboxes
        .ozon
        .recorder()
        .exchanges()
        .iter()
        .filter(|x| x.status == 429 && !x.injected)
        .count();

    // Every new order told once (only a message cut short by the kill may be in doubt).
    let texts = stage.group_texts();
    let in_doubt = stage
        .number("SELECT COUNT(*) FROM deliveries WHERE state = 'unknown'")
        .await;
    let mut missing = 0;
    for posting in &placed {
        let told = texts
            .iter()
            .filter(|t| t.contains(order_number(posting)))
            .count();
        assert!(told <= 1, "{posting} was told {told} times: {texts:#?}");
        missing += usize::from(told == 0);
    }
    assert!(
        i64::try_from(missing).unwrap_or(i64::MAX) <= in_doubt && in_doubt <= 1,
        "{missing} new-order alerts missing, {in_doubt} in doubt: {texts:#?}"
    );
    let after_kill = after_kill.unwrap_or_default().as_secs_f64();
    // Requests per FBO read (the product list, then the stock), the main cabinet's few
    // imports in the same count.
    let per_job = (stage.sandboxes.ozon.recorder().exchanges().len() - before_all) as f64
        / (JOBS + twice) as f64;
    println!(
        "two bots, {LANES} lanes each, {JOBS} jobs at {} s a request: all done in {:.1} s \
         ({:.1} jobs/s; bound with both bots at {per_job:.2} requests a job: {:.1} jobs/s); the survivor finished {after_kill:.1} s \
         after the kill (the lease is 30 s); {twice} jobs cut short ran twice; {throttled} answered 429 \
         (the sandbox has one Ozon account, so all {JOBS} cabinets share its 50 requests a second \
         from two processes; one cabinet's limits across processes are the next test's)",
        LATENCY_MS / 1000,
        took.as_secs_f64(),
        JOBS as f64 / took.as_secs_f64(),
        (2 * LANES) as f64 / (per_job * LATENCY_MS as f64 / 1000.0),
    );
}

/// Both bots run a Wildberries cabinet's work every few seconds; the FBO stock report
/// allows one call in 20 s. Whichever bot takes the cabinet starts from the buckets the
/// other left, so Wildberries refuses nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bots_keep_one_cabinets_limits_together() {
    let stage = Stage::new(86_400, 0).await;
    let anna = SimUser::new(1001, "Anna", "en");
    let first = stage.first_bot(&anna).await;
    let ws = mpbot::domain::WorkspaceId(1);
    seed_cabinet(
        &stage.db,
        &stage.test_db.vault,
        ws,
        Marketplace::Wildberries,
        "WB",
        (now(), false, 0),
    )
    .await;
    sqlx::query(
        "UPDATE workspaces SET orders_every_secs = 3, stocks_every_secs = 3, \
         prices_every_secs = 3, fbo_every_secs = 3",
    )
    .execute(stage.db.pool())
    .await
    .expect("often");
    sqlx::query("UPDATE cabinets SET scheme = 'both' WHERE name = 'WB'")
        .execute(stage.db.pool())
        .await
        .expect("FBO too");
    let second = stage.spawn();
    tokio::time::sleep(Duration::from_secs(70)).await;
    kill(first);
    kill(second);
    let exchanges = stage.sandboxes.wb.recorder().exchanges();
    let reports = exchanges
        .iter()
        .filter(|x| x.path.contains("stocks-report") && x.status == 200)
        .count();
    let throttled: Vec<_> = exchanges
        .iter()
        .filter(|x| x.status == 429 && !x.injected)
        .map(|x| x.path.clone())
        .collect();
    println!(
        "two bots on one Wildberries cabinet for 70 s: {} requests, {reports} FBO reports \
         (bound: one in 20 s), {} refused for their rate",
        exchanges.len(),
        throttled.len()
    );
    assert!(
        reports >= 3,
        "the FBO report was read: {}",
        stage.log_tail()
    );
    assert!(
        throttled.is_empty(),
        "requests refused for their rate: {throttled:?}"
    );
}
