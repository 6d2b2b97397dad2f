//! Orders through the job queue: the scheduler imports each cabinet's orders from the
//! sandboxes once, records changes with their history, moves cursors only after storing,
//! follows the retry policy, and two schedulers on one database run each job once.

use mpbot::domain::{Lang, Marketplace, Role};

use crate::harness::TestApp;

async fn seeded() -> (TestApp, mpbot::domain::WorkspaceId) {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    for m in Marketplace::ALL {
        app.seed_cabinet(ws, m, &format!("{m:?}"), true, 0).await;
    }
    (app, ws)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_are_imported_once_and_their_changes_recorded() {
    let (app, _) = seeded().await;
    let report = app.h.app.run_scheduler_once().await.expect("a pass");
    assert_eq!(report.jobs.failed, 0, "{report:?}");
    let first = app.count("SELECT COUNT(*) FROM orders").await;
    assert!(
        first >= 12,
        "every cabinet brought its recent orders: {first}"
    );
    for m in ["ozon", "wb", "ym"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM orders WHERE marketplace = '{m}'"
            ))
            .await;
        assert!(n > 0, "{m}: no orders");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders WHERE unified = 'none'")
            .await,
        0,
        "every sandbox status maps by default"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM order_history").await,
        first,
        "one history entry per order, from the import"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sync_cursors").await,
        6,
        "per cabinet (FBS) a cursor and the time of its last sweep"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cabinets WHERE last_sync_at IS NULL")
            .await,
        0
    );

    // Nothing is due again until the period has passed; then re-reading changes nothing.
    let again = app.h.app.run_scheduler_once().await.expect("a pass");
    assert_eq!(again.jobs.ran, 0);
    app.clock.advance(chrono::Duration::seconds(61));
    let again = app.h.app.run_scheduler_once().await.expect("a pass");
    assert_eq!(again.jobs.ran, 3);
    assert!(again.jobs.new_orders.is_empty(), "{again:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, first);

    // New orders arrive and old ones move on as time passes: each is one row, each move
    // one more history entry.
    let placed = app.sandboxes.ozon.place_order();
    app.sandboxes.wb.place_order();
    app.sandboxes.ym.place_order();
    app.clock.advance(chrono::Duration::hours(25));
    let later = app.h.app.run_scheduler_once().await.expect("a pass");
    assert!(later.jobs.new_orders.len() >= 3, "{later:?}");
    assert!(!later.jobs.changed_orders.is_empty(), "{later:?}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM orders WHERE external_id = '{placed}'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM (SELECT cabinet_id, external_id FROM orders GROUP BY cabinet_id, external_id HAVING COUNT(*) > 1) d")
            .await,
        0,
        "never two rows of one order"
    );
    assert!(
        app.count("SELECT COUNT(*) FROM order_history WHERE source = 'marketplace'")
            .await
            >= later.jobs.changed_orders.len() as i64
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM order_items WHERE quantity < 1 OR price < 0")
            .await,
        0
    );
    app.finish().await;
}

/// A failed import stores nothing and leaves its cursor where it was; the job is retried
/// by the policy and reported once it has failed through the main mode.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_import_keeps_its_cursor_and_follows_the_retry_policy() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let cabinet = app
        .seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    app.sandboxes.ozon.recorder().faults().malformed_next = 1;
    let report = app.h.app.run_scheduler_once().await.expect("a pass");
    assert_eq!(report.jobs.failed, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM sync_cursors").await, 0);
    assert_eq!(
        app.count("SELECT failures FROM jobs WHERE kind = 'orders'")
            .await,
        1
    );
    // Retried a minute later, not before.
    app.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(
        app.h
            .app
            .run_scheduler_once()
            .await
            .expect("a pass")
            .jobs
            .ran,
        0
    );
    // A revoked key is not tried again every minute: no retry can help. The key is
    // checked live at once, and the cabinet's health says what it found.
    app.sandboxes.ozon.recorder().faults().revoked = true;
    app.clock.advance(chrono::Duration::seconds(60));
    let r = app.h.app.run_scheduler_once().await.expect("a pass");
    assert!(r.jobs.failed >= 1, "{:?}", r.jobs);
    assert!(r.jobs.failing_cabinets.is_empty(), "{:?}", r.jobs);
    assert_eq!(r.broken_keys, vec![cabinet], "the key was checked at once");
    let health = app
        .db
        .scalar_text("SELECT last_error FROM cabinets")
        .await
        .expect("q")
        .unwrap_or_default();
    assert_eq!(
        health, "key-wrong",
        "the cabinet's health says what the live check found"
    );
    app.clock.advance(chrono::Duration::seconds(60));
    let r = app.h.app.run_scheduler_once().await.expect("a pass");
    assert_eq!(r.jobs.ran, 0, "a key refusal waits the fallback pace");
    app.sandboxes.ozon.recorder().faults().revoked = false;
    app.clock.advance(chrono::Duration::seconds(600));
    let r = app.h.app.run_scheduler_once().await.expect("a pass");
    // The orders import, and the catalogue import that failed beside it.
    assert_eq!((r.jobs.ran, r.jobs.failed), (2, 0));
    assert!(app.count("SELECT COUNT(*) FROM orders").await > 0);
    // The sync works again: the key is checked again at the next pass, which clears it.
    let r = app.h.app.run_scheduler_once().await.expect("a pass");
    assert!(r.broken_keys.is_empty(), "{r:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cabinets WHERE last_error IS NULL")
            .await,
        1,
        "and a sync that works clears it"
    );
    assert_eq!(
        app.count("SELECT failures + reported FROM jobs WHERE kind = 'orders'")
            .await,
        0,
        "a run that works resets the count"
    );
    app.finish().await;
}

/// Two schedulers on one database (two processes sharing PostgreSQL, or SQLite) claim
/// each due job once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_on_one_database_run_each_job_once() {
    let (app, ws) = seeded().await;
    for n in 1..=6 {
        app.seed_cabinet(ws, Marketplace::Ozon, &format!("Ozon {n}"), false, n)
            .await;
    }
    let other = app.second_process();
    let svc = app.h.app.svc.clone();
    let (a, b) = tokio::join!(
        mpbot::sync::jobs::run_jobs(&svc),
        mpbot::sync::jobs::run_jobs(&other)
    );
    let (a, b) = (a.expect("first"), b.expect("second"));
    // Nine cabinets, each with its orders import, catalogue import, stock push, FBO
    // read-back, price read-back and finance reading.
    assert_eq!(a.ran + b.ran, 54, "{a:?} / {b:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'orders' AND lease_owner IS NULL")
            .await,
        9
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM order_history").await,
        app.count("SELECT COUNT(*) FROM orders").await,
        "no order was imported twice"
    );
    app.finish().await;
}

/// While one action on an order waits for its retry no other is taken; the retry asks the
/// marketplace before sending again and sends once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_action_at_a_time_and_its_retry_sends_once() {
    use mpbot::app::Actor;
    use mpbot::app::order_actions::Requested;
    use mpbot::domain::TgUserId;
    use mpbot::domain::order::Action;

    let (app, ws) = seeded().await;
    app.h.app.run_scheduler_once().await.expect("a pass");
    let svc = app.h.app.svc.clone();
    let anna = Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    };
    let posting = app.sandboxes.ozon.place_order();
    app.clock.advance(chrono::Duration::seconds(61));
    app.h.app.run_scheduler_once().await.expect("a pass");
    let id = mpbot::domain::OrderId(
        app.count(&format!(
            "SELECT id FROM orders WHERE external_id = '{posting}'"
        ))
        .await,
    );
    let version_sql = format!("SELECT version FROM orders WHERE id = {id}");
    // Ozon does not answer: the assembly waits for its retry.
    app.sandboxes.ozon.recorder().faults().fail_next = std::iter::repeat_n(503, 40).collect();
    let v = app.count(&version_sql).await;
    let first = svc
        .orders()
        .request_action(anna, id, v, Action::Assemble, None)
        .await
        .expect("pressed");
    assert!(matches!(first, Requested::Pending { .. }), "{first:?}");
    // A cancel pressed meanwhile is not taken.
    let second = svc
        .orders()
        .request_action(anna, id, v, Action::Cancel, Some("352".into()))
        .await
        .expect("pressed");
    assert_eq!(second, Requested::AlreadyPending);
    // Ozon is back; the retry runs once and assembles it.
    app.sandboxes.ozon.recorder().faults().fail_next.clear();
    app.clock.advance(chrono::Duration::seconds(61));
    let report = app.h.app.run_scheduler_once().await.expect("a pass");
    assert!(report.jobs.ran >= 1, "{report:?}");
    assert_eq!(
        app.sandboxes.ozon.posting_status(&posting).as_deref(),
        Some("awaiting_deliver")
    );
    let ships = app
        .sandboxes
        .ozon
        .recorder()
        .exchanges()
        .iter()
        .filter(|e| e.path.ends_with("/fbs/ship") && !e.injected && e.status < 300)
        .count();
    assert_eq!(ships, 1, "assembled once");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM order_history WHERE order_id = {id} AND source = 'action'"
        ))
        .await,
        1
    );
    // Assembled: the card offers it no more, and a press is refused.
    let again = svc
        .orders()
        .request_action(
            anna,
            id,
            app.count(&version_sql).await,
            Action::Assemble,
            None,
        )
        .await;
    assert!(again.is_err(), "packed already: {again:?}");
    app.finish().await;
}

/// WB names what was bought only by its vendor code: the item takes the product's name
/// from the catalogue; an oversized order's date to reach WB's sorting centre is its
/// ship-by, shown on the card.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wb_items_carry_their_names_and_oversized_orders_a_ship_by() {
    let (app, _ws) = seeded().await;
    let wb = mpbot::domain::CabinetId(2);
    app.h
        .app
        .svc
        .catalogue()
        .import_catalogue(wb)
        .await
        .expect("catalogue");
    for _ in 0..12 {
        app.sandboxes.wb.place_order();
    }
    app.pass().await;
    app.settle().await;
    let wb_items =
        "FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.marketplace = 'wb'";
    assert!(app.count(&format!("SELECT COUNT(*) {wb_items}")).await >= 12);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) {wb_items} AND i.name = i.vendor_code"
        ))
        .await,
        0,
        "every WB item is named as the catalogue names it"
    );
    let oversized = app
        .count("SELECT COUNT(*) FROM orders WHERE marketplace = 'wb' AND ship_by IS NOT NULL")
        .await;
    assert!(oversized > 0, "an oversized WB order has a ship-by");
    let number = app
        .db
        .scalar_text(
            "SELECT number FROM orders WHERE marketplace = 'wb' AND ship_by IS NOT NULL LIMIT 1",
        )
        .await
        .expect("query")
        .expect("a number");
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let card =
        crate::harness::texts(&app.send(&anna, &format!("/order {number}")).await).join("\n");
    let deadline_word = crate::harness::render(
        Lang::Ru,
        &mpbot::i18n::msg("order-deadline")
            .arg("time", "")
            .arg("left", ""),
    );
    let head: String = deadline_word.chars().take(6).collect();
    assert!(card.contains(&head), "{card}");
    app.finish().await;
}

/// A list's total says what it is: what the orders sold for, and apart from it what the
/// cancelled and returned ones would have brought (a list of cancelled orders is not
/// "0.00" above rows with prices).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_orders_total_names_what_was_sold_and_what_was_cancelled() {
    for lang in [Lang::Ru, Lang::En] {
        let (app, _ws) = seeded().await;
        app.pass().await;
        let posting = app.sandboxes.ozon.place_order();
        app.pass().await;
        assert!(app.sandboxes.ozon.cancel_as_buyer(&posting));
        app.pass().await;
        app.settle().await;
        let lost = app
            .count(&format!(
                "SELECT total FROM orders WHERE external_id = '{posting}' AND unified = 'cancelled'"
            ))
            .await;
        assert!(lost > 0, "the cancelled order has its price");
        let anna = TestApp::user(1001, "Anna", lang);
        app.send(&anna, "/lang").await;
        app.press(&anna, if lang == Lang::Ru { 1 } else { 2 }).await;
        let list = crate::harness::texts(&app.send(&anna, "/orders").await).join("\n");
        let money = mpbot::bot::names::money(lang, mpbot::domain::Money(lost));
        let line = crate::harness::render(
            lang,
            &mpbot::i18n::msg("orders-title-lost").arg("sum", money),
        );
        assert!(list.contains(&line), "{list}");
        app.finish().await;
    }
}
