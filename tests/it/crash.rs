//! A process that dies mid-work: what it claimed is taken up by another within the lease
//! (30 s, not ten minutes), what it had not tried yet is not lost, and only the message it
//! was sending at the moment of death is in doubt (never sent twice).

use mpbot::domain::{EventKind, Lang, Marketplace, Role, TgChatId};
use mpbot::sandbox::telegram::Event;
use mpbot::storage::{jobs, outbox};

use crate::harness::TestApp;

const GROUP: i64 = -100_900;

/// A company with an Ozon cabinet and a group hearing of new orders.
async fn company() -> TestApp {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    app.h.double.add_bot_to_group(&anna, GROUP, "Warehouse");
    app.settle().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::NewOrder)
        .await
        .expect("subscribed");
    // The first import and its alerts, out of the way.
    app.h.app.run_scheduler_once().await.expect("a pass");
    app.settle().await;
    app
}

/// The order number an alert names: an Ozon posting without its shipment suffix.
fn order_number(posting: &str) -> String {
    posting
        .rsplit_once('-')
        .map_or(posting, |(order, _)| order)
        .to_owned()
}

async fn group_texts(app: &TestApp) -> Vec<String> {
    app.settle()
        .await
        .into_iter()
        .filter_map(|e| match e {
            Event::Message { chat_id, text, .. } if chat_id == GROUP => Some(text),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_that_dies_leaves_only_the_message_in_flight_in_doubt() {
    let app = company().await;
    let numbers: Vec<String> = (0..4)
        .map(|_| order_number(&app.sandboxes.ozon.place_order()))
        .collect();
    // A pass imports them and raises their alerts; another process claims them all and
    // dies while sending the first.
    app.clock.advance(chrono::Duration::seconds(61));
    app.h.app.svc.jobs().make_jobs_due().await.expect("due");
    mpbot::sync::run_due(&app.h.app.svc).await.expect("a pass");
    let now = app.h.app.svc.clock.unix();
    let claimed = outbox::claim(&app.db, "dead-process", now, now + 30, 500)
        .await
        .expect("claimed");
    assert_eq!(claimed.len(), 4, "{claimed:?}");
    let in_flight = outbox::sending(&app.db, "dead-process", &[claimed[0].id], now + 30)
        .await
        .expect("marked");
    assert_eq!(in_flight, vec![claimed[0].id]);

    // While its lease runs, a live sender leaves its claims alone.
    app.clock.advance(chrono::Duration::seconds(10));
    app.h.app.run_scheduler_once().await.expect("a pass");
    assert!(
        group_texts(&app).await.is_empty(),
        "nothing taken from a live lease"
    );

    // Its lease ran out: what it never tried goes out once; the one in flight is not
    // sent again.
    app.clock.advance(chrono::Duration::seconds(25));
    let report = app.h.app.run_scheduler_once().await.expect("a pass");
    assert_eq!(report.alerts.sent, 3, "{:?}", report.alerts);
    let texts = group_texts(&app).await;
    assert_eq!(texts.len(), 3, "{texts:?}");
    for n in &numbers[1..] {
        assert_eq!(
            texts.iter().filter(|t| t.contains(n.as_str())).count(),
            1,
            "{n} told once: {texts:?}"
        );
    }
    assert!(!texts.iter().any(|t| t.contains(numbers[0].as_str())));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM deliveries WHERE state = 'unknown'")
            .await,
        1,
        "the message in flight is in doubt"
    );
    for _ in 0..2 {
        app.clock.advance(chrono::Duration::seconds(61));
        app.h.app.run_scheduler_once().await.expect("a pass");
    }
    assert!(group_texts(&app).await.is_empty(), "nothing is told twice");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_a_dead_process_held_is_taken_up_within_the_lease() {
    let app = company().await;
    // Every job is due; a process claims them all and dies.
    app.clock.advance(chrono::Duration::seconds(61));
    app.h.app.svc.jobs().make_jobs_due().await.expect("due");
    let now = app.h.app.svc.clock.unix();
    let lease = mpbot::app::jobs::LEASE_SECS;
    let held = jobs::claim(&app.db, "dead-process", now, now + lease, 1000)
        .await
        .expect("claimed");
    assert!(!held.is_empty());
    let posting = app.sandboxes.ozon.place_order();
    let number = order_number(&posting);

    // A live process leaves them while the lease runs...
    app.clock.advance(chrono::Duration::seconds(lease - 5));
    let report = app.h.app.run_scheduler_once().await.expect("a pass");
    assert!(report.jobs.new_orders.is_empty(), "{:?}", report.jobs);
    assert!(group_texts(&app).await.is_empty());
    // ...and takes them up as soon as it has run out, not ten minutes later.
    app.clock.advance(chrono::Duration::seconds(6));
    let report = app.h.app.run_scheduler_once().await.expect("a pass");
    assert_eq!(report.jobs.new_orders.len(), 1, "{:?}", report.jobs);
    let texts = group_texts(&app).await;
    assert_eq!(
        texts.iter().filter(|t| t.contains(number.as_str())).count(),
        1,
        "{texts:?}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM orders WHERE external_id = '{posting}'"
        ))
        .await,
        1,
        "imported once"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_lease_is_renewed_only_by_its_holder() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    jobs::add_once(app.db.pool(), ws, None, "sync-now", "k:1", "{}", 0)
        .await
        .expect("added");
    let job = jobs::claim(&app.db, "a", 10, 40, 1)
        .await
        .expect("claimed")
        .pop()
        .expect("one");
    assert!(
        jobs::renew(&app.db, job.id, "a", 70)
            .await
            .expect("renewed")
    );
    assert!(
        !jobs::renew(&app.db, job.id, "b", 100)
            .await
            .expect("not ours")
    );
    // Renewed: another worker cannot claim it before the new end.
    assert!(
        jobs::claim(&app.db, "b", 50, 80, 1)
            .await
            .expect("claim")
            .is_empty()
    );
    app.finish().await;
}

#[tokio::test]
async fn the_maintenance_runs_in_one_process_at_a_time() {
    let app = TestApp::start().await;
    let one = app.h.app.svc.clone();
    let two = app.second_process();
    let first = one.jobs().maintenance(|| async {}).await.expect("q");
    let second = two.jobs().maintenance(|| async {}).await.expect("q");
    assert!(first.is_some() && second.is_none(), "once across processes");
    // Due again after its pace, for whichever process comes first.
    app.clock.advance(chrono::Duration::seconds(
        mpbot::app::jobs::MAINTENANCE_EVERY_SECS,
    ));
    assert!(
        two.jobs()
            .maintenance(|| async {})
            .await
            .expect("q")
            .is_some()
    );
    assert!(
        one.jobs()
            .maintenance(|| async {})
            .await
            .expect("q")
            .is_none()
    );
    app.finish().await;
}

#[tokio::test]
async fn finished_work_is_removed_after_the_days_kept() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    let now = app.h.app.svc.clock.unix();
    let day = 86_400;
    let kept = app.h.app.svc.keep_finished_secs;
    assert_eq!(
        kept,
        14 * day,
        "14 days unless the deployment says otherwise"
    );
    for (key, state, at) in [
        ("old-done", "done", now - kept - day),
        ("old-failed", "failed", now - kept - day),
        ("old-waiting", "ready", now - kept - day),
        ("new-done", "done", now - day),
    ] {
        jobs::add_once(app.db.pool(), ws, None, "sync-now", key, "{}", at)
            .await
            .expect("added");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE jobs SET state = '{state}', updated_at = {at} WHERE dedupe = '{key}'"
        )))
        .execute(app.db.pool())
        .await
        .expect("aged");
    }
    for (key, state, at) in [
        ("told-old", "sent", now - kept - day),
        ("waiting-old", "pending", now - kept - day),
        ("told-new", "sent", now - day),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO outbox (workspace_id, kind, dedupe, payload, created_at) \
                 VALUES ({}, 'new-order', '{key}', '{{}}', {at})",
            ws.0
        )))
        .execute(app.db.pool())
        .await
        .expect("raised");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO deliveries (outbox_id, chat_id, state, due_at) \
                 SELECT id, 1, '{state}', {at} FROM outbox WHERE dedupe = '{key}'"
        )))
        .execute(app.db.pool())
        .await
        .expect("delivered");
    }
    let (jobs_gone, alerts_gone) = app.h.app.svc.jobs().forget_finished().await.expect("q");
    assert_eq!((jobs_gone, alerts_gone), (2, 1));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE dedupe IN ('old-waiting', 'new-done')")
            .await,
        2,
        "what waits, and what finished lately, stay"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM deliveries").await,
        2,
        "an alert's deliveries go with it"
    );
    app.finish().await;
}

/// Run as `mpbot run` runs (the scheduler and the alert sender as tasks of their own,
/// nobody driving the passes): a new order's alert reaches the group once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_bot_sends_what_a_job_raised_at_once() {
    let app = TestApp::start_running(std::time::Duration::from_millis(300)).await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    app.h.double.add_bot_to_group(&anna, GROUP, "Warehouse");
    app.settle().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::NewOrder)
        .await
        .expect("subscribed");
    let number = order_number(&app.sandboxes.ozon.place_order());
    // The cabinet's import is due at once: the running scheduler takes it.
    app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    let started = std::time::Instant::now();
    let mut told = Vec::new();
    while started.elapsed() < std::time::Duration::from_secs(20) {
        told.extend(group_texts(&app).await);
        if told.iter().any(|t| t.contains(number.as_str())) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        told.iter().filter(|t| t.contains(number.as_str())).count(),
        1,
        "told once, by the running bot: {told:?}"
    );
    app.finish().await;
}

/// While one process runs a job of a cabinet, another leaves that cabinet's other jobs:
/// the marketplace's limits, kept per process, hold with two processes on one queue.
#[tokio::test]
async fn a_cabinet_is_talked_to_by_one_process_at_a_time() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    let a = app.seed_cabinet(ws, Marketplace::Ozon, "A", true, 0).await;
    let b = app
        .seed_cabinet(ws, Marketplace::Wildberries, "B", false, 0)
        .await;
    for (cabinet, key, due) in [(a, "a:1", 1), (a, "a:2", 2), (b, "b:1", 3)] {
        jobs::add_once(app.db.pool(), ws, Some(cabinet), "sync-now", key, "{}", due)
            .await
            .expect("queued");
    }
    let first = jobs::claim(&app.db, "one", 10, 40, 1).await.expect("claim");
    assert_eq!(
        first.iter().map(|j| j.dedupe.as_str()).collect::<Vec<_>>(),
        ["a:1"]
    );
    let other = jobs::claim(&app.db, "two", 10, 40, 10)
        .await
        .expect("claim");
    assert_eq!(
        other.iter().map(|j| j.dedupe.as_str()).collect::<Vec<_>>(),
        ["b:1"],
        "cabinet A is busy in the first process"
    );
    let done = jobs::Outcome::Done { next: None };
    assert!(
        jobs::finish(&app.db, first[0].id, "one", &done, 11)
            .await
            .expect("finish")
    );
    let then = jobs::claim(&app.db, "two", 11, 41, 10)
        .await
        .expect("claim");
    assert_eq!(
        then.iter().map(|j| j.dedupe.as_str()).collect::<Vec<_>>(),
        ["a:2"]
    );
    app.finish().await;
}
