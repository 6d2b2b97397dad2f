//! Alerts through the outbox: what the order import finds reaches the subscribed group
//! once (many at once as one digest), a cancellation after assembly says to put the items
//! back, a restart in the middle doubles nothing, and chats that blocked the bot get none.

use std::sync::Arc;
use std::time::Duration;

use mpbot::domain::{EventKind, Lang, Marketplace, Role, TgChatId};
use mpbot::marketplaces::http::{Http, RetryPolicy};
use mpbot::marketplaces::ozon::OzonClient;
use mpbot::marketplaces::{MarketplaceApi, OrderAction, OrderCursor};
use mpbot::sandbox::ozon::{DEMO_API_KEY, DEMO_CLIENT_ID};
use mpbot::sandbox::telegram::Event;

use crate::harness::{TestApp, render};

const GROUP: i64 = -100_700;

/// A company with a cabinet on every marketplace and a group subscribed to new orders and
/// cancellations.
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
    for e in [EventKind::NewOrder, EventKind::Cancellation] {
        mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), e)
            .await
            .expect("subscribed");
    }
    app
}

/// Texts the group got since the last call.
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

/// Texts other than new-order alerts.
fn not_new(texts: Vec<String>) -> Vec<String> {
    texts.into_iter().filter(|t| !t.starts_with("🆕")).collect()
}

async fn pass(app: &TestApp) -> mpbot::sync::Report {
    app.clock.advance(chrono::Duration::seconds(61));
    app.h.app.run_scheduler_once().await.expect("a pass")
}

fn ozon(app: &TestApp) -> OzonClient {
    let catalogue = Arc::new(app.sandboxes.catalogue());
    let http = Http::new(RetryPolicy {
        max_attempts: 2,
        base: Duration::from_millis(10),
        max_delay: Duration::from_secs(1),
    });
    OzonClient::new(
        http,
        catalogue,
        DEMO_CLIENT_ID,
        mpbot::marketplaces::Secret::new(DEMO_API_KEY),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_orders_and_cancellations_reach_the_group_once() {
    let app = company().await;
    group_texts(&app).await;
    let first = app.h.app.run_scheduler_once().await.expect("a pass");
    let open = app
        .count(
            "SELECT COUNT(*) FROM orders WHERE unified IN ('new', 'confirmed', 'packed', 'label')",
        )
        .await;
    assert!(open >= 6, "the sandboxes start with open orders: {open}");
    let texts = group_texts(&app).await;
    assert_eq!(
        texts.len(),
        1,
        "many at once arrive as one digest: {texts:?}"
    );
    let digest = render(Lang::Ru, &mpbot::i18n::msg("alert-digest"));
    assert!(texts[0].starts_with(&digest), "{}", texts[0]);
    assert_eq!(first.alerts.digested as i64, open);
    // It names every order it counts (up to what one message holds, then how many more).
    let cap = mpbot::bot::alerts::DIGEST_NAMED as i64;
    let numbers: Vec<String> = {
        let rows = sqlx::query("SELECT number FROM orders")
            .fetch_all(app.db.pool())
            .await
            .expect("numbers");
        rows.iter()
            .map(|r| sqlx::Row::try_get::<String, _>(r, "number").expect("number"))
            .collect()
    };
    let named = numbers
        .iter()
        .filter(|n| texts[0].contains(n.as_str()))
        .count();
    assert_eq!(named as i64, open.min(cap), "{}", texts[0]);
    if open > cap {
        let more = render(
            Lang::Ru,
            &mpbot::i18n::msg("alert-group-more")
                .arg("count", open - cap)
                .arg("command", "/orders"),
        );
        assert!(texts[0].contains(&more), "{}", texts[0]);
    }

    // One new order on each marketplace: one alert each, naming it.
    let posting = app.sandboxes.ozon.place_order();
    let wb = app.sandboxes.wb.place_order();
    let ym = app.sandboxes.ym.place_order();
    pass(&app).await;
    let texts = group_texts(&app).await;
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts.iter().all(|t| t.starts_with("🆕")), "{texts:?}");
    let order_number = posting
        .rsplit_once('-')
        .map_or(posting.as_str(), |(n, _)| n);
    assert!(texts.iter().any(|t| t.contains(order_number)), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains(&ym.to_string())));

    // Nothing new: nothing is said again.
    pass(&app).await;
    assert!(group_texts(&app).await.is_empty());

    // The buyer cancels the new WB order: one cancellation, seen by the next sweep of
    // WB's orders (WB cannot list changes by time).
    assert!(app.sandboxes.wb.cancel_as_buyer(wb));
    app.clock
        .advance(chrono::Duration::seconds(mpbot::app::orders::SWEEP_SECS));
    pass(&app).await;
    let texts = group_texts(&app).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].starts_with('❌'), "{}", texts[0]);

    // The Ozon order is assembled, then cancelled: put the items back, once, even across a
    // restart.
    let client = ozon(&app);
    let now = chrono::DateTime::from_timestamp(app.clock_now(), 0).expect("now");
    let listed = client
        .orders(
            mpbot::domain::Scheme::Fbs,
            OrderCursor {
                changed_since: now - chrono::Duration::hours(1),
                now,
                sweep: true,
            },
        )
        .await
        .expect("orders");
    let order = listed
        .orders
        .into_iter()
        .find(|o| o.id == posting)
        .expect("the new posting");
    client
        .act(&order, &OrderAction::Assemble)
        .await
        .expect("assembled");
    pass(&app).await;
    assert!(
        group_texts(&app).await.is_empty(),
        "packing is not an alert"
    );
    assert!(app.sandboxes.ozon.cancel_as_buyer(&posting));
    // A restart in the middle: the cancellation is imported and told once.
    let app = app.restart().await;
    pass(&app).await;
    // (The sandboxes take orders of their own as time passes; those are not counted.)
    let texts = not_new(group_texts(&app).await);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].starts_with("↩️"), "{}", texts[0]);
    assert!(texts[0].contains('•'), "it names the items: {}", texts[0]);
    let app = app.restart().await;
    pass(&app).await;
    pass(&app).await;
    assert!(
        not_new(group_texts(&app).await).is_empty(),
        "nothing is told twice"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM deliveries WHERE state NOT IN ('sent', 'digested')")
            .await,
        0
    );
    app.finish().await;
}

/// A group that blocked the bot gets nothing and is marked inactive; what was raised for it
/// is not retried forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_group_gets_nothing_and_its_deliveries_stop() {
    let app = company().await;
    app.h.app.run_scheduler_once().await.expect("a pass");
    group_texts(&app).await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.h.double.remove_bot_from_group(&anna, GROUP, "Склад");
    app.settle().await;
    app.sandboxes.ozon.place_order();
    pass(&app).await;
    assert!(group_texts(&app).await.is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'")
            .await,
        0,
        "an inactive group is not given new deliveries"
    );
    app.finish().await;
}

/// Open orders whose ship-by deadline comes within the company's warning hours are told
/// once per deadline, with the step to take; shipped or cancelled ones are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn near_deadlines_are_told_once() {
    let app = company().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::ShipDeadline)
        .await
        .expect("subscribed");
    app.h.app.run_scheduler_once().await.expect("a pass");
    group_texts(&app).await;
    // Nothing is within the default 3 hours yet.
    let report = pass(&app).await;
    assert_eq!(report.deadlines, 0);
    sqlx::query("UPDATE workspaces SET deadline_hours = 48")
        .execute(app.db.pool())
        .await
        .expect("setting");
    let report = pass(&app).await;
    let now = app.clock_now();
    let near = app
        .count(&format!(
            "SELECT COUNT(*) FROM orders WHERE unified IN ('new', 'confirmed', 'packed', 'label') \
             AND scheme <> 'fbo' AND ship_by > {now} AND ship_by <= {now} + 48 * 3600"
        ))
        .await;
    assert!(
        near > 0,
        "the sandboxes start with open FBS orders due within two days"
    );
    assert_eq!(report.deadlines as i64, near);
    let texts = group_texts(&app).await;
    // One pass, one message for the group listing every order whose deadline is near.
    assert_eq!(texts.len(), 1, "{texts:?}");
    let title = render(
        Lang::Ru,
        &mpbot::i18n::msg("alert-deadlines").arg("count", near),
    );
    assert!(texts[0].starts_with(&title), "{texts:?}");
    let (_, buttons) = app
        .h
        .double
        .latest_with_buttons(GROUP)
        .expect("its buttons");
    let count: usize = buttons.iter().map(Vec::len).sum();
    assert_eq!(
        count,
        (near as usize).min(8),
        "a button per order, eight at most"
    );
    assert_eq!(pass(&app).await.deadlines, 0, "told once");
    assert!(group_texts(&app).await.is_empty());
    app.finish().await;
}

/// Texts about keys (the orders that days bring are left out).
fn keys(texts: Vec<String>) -> Vec<String> {
    not_new(texts)
        .into_iter()
        .filter(|t| !t.starts_with("📬") && !t.starts_with("❌") && !t.starts_with("↩"))
        .collect()
}

/// A key that expires soon is told with the key problems a week, three days and a day
/// before, once each; once expired the cabinet is red and its key problem told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_expiring_is_told_before_and_an_expired_one_turns_the_cabinet_red() {
    let app = company().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::KeyProblem)
        .await
        .expect("subscribed");
    pass(&app).await;
    group_texts(&app).await;
    let day = 86_400;
    let expires = app.clock_now() + 6 * day + 3_600;
    // (The daily live check is kept away: the sandbox's token itself lives 180 days.)
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cabinets SET key_expires_at = {expires}, key_checked_at = {} WHERE marketplace = 'wb'",
        expires + 30 * day
    )))
    .execute(app.db.pool())
    .await
    .expect("expiry set");
    let expiring = |days: i64| {
        render(
            Lang::Ru,
            &mpbot::i18n::msg("alert-key-expiring")
                .arg("cabinet", "Wildberries")
                .arg("marketplace", "Wildberries")
                .arg("days", days)
                .arg("date", ""),
        )
        .chars()
        .take(40)
        .collect::<String>()
    };
    pass(&app).await;
    let said = keys(group_texts(&app).await);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with(&expiring(7)), "{said:?}");
    pass(&app).await;
    assert!(keys(group_texts(&app).await).is_empty(), "told once");
    for (to, left) in [(4 * day, 3), (5 * day + 4_200, 1)] {
        let since = app.clock_now() - (expires - 6 * day - 3_600);
        app.clock.advance(chrono::Duration::seconds(to - since));
        pass(&app).await;
        let said = keys(group_texts(&app).await);
        assert_eq!(said.len(), 1, "{left}: {said:?}");
        assert!(said[0].starts_with(&expiring(left)), "{left}: {said:?}");
    }
    app.clock.advance(chrono::Duration::seconds(2 * day));
    pass(&app).await;
    let said = keys(group_texts(&app).await);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(
        app.db
            .scalar_text("SELECT last_error FROM cabinets WHERE marketplace = 'wb'")
            .await
            .expect("query"),
        Some("key-expired".into())
    );
    pass(&app).await;
    assert!(keys(group_texts(&app).await).is_empty(), "told once");
    app.finish().await;
}

/// A sync that keeps failing is told with the request that fails, its status and what it
/// means, and points to /api when the request itself seems gone; the cabinet card says
/// the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_sync_names_its_request_status_and_meaning() {
    let app = company().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::SyncFailure)
        .await
        .expect("subscribed");
    pass(&app).await;
    group_texts(&app).await;
    // A path that no longer exists at Ozon: every order import answers 404.
    let o = mpbot::marketplaces::endpoints::Override {
        path: Some("/v9/posting/fbs/list".into()),
        ..Default::default()
    };
    mpbot::storage::api_overrides::set(
        &app.db,
        mpbot::domain::WorkspaceId(1),
        "ozon.fbs-list",
        &o,
        None,
        1,
    )
    .await
    .expect("stored");
    let mut said = Vec::new();
    for _ in 0..8 {
        app.h.app.svc.jobs().make_jobs_due().await.expect("due");
        pass(&app).await;
        said.extend(
            group_texts(&app)
                .await
                .into_iter()
                .filter(|t| t.starts_with("⚠️")),
        );
    }
    assert_eq!(said.len(), 1, "{said:?}");
    let told = &said[0];
    for part in ["ozon.fbs-list", "404", "/api ozon.fbs-list"] {
        assert!(told.contains(part), "{part} in {told}");
    }
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let card = crate::harness::texts(&app.send(&anna, "/cabinets").await).join("\n");
    assert!(
        card.contains("ozon.fbs-list") && card.contains("404"),
        "{card}"
    );
    app.finish().await;
}

/// Telegram answers 500 after it took an alert: the message may have gone, so it is never
/// sent again, neither at once nor by a later pass. A 429 (nothing taken) is tried again
/// once its wait has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_telegram_may_have_taken_is_never_sent_twice() {
    let app = company().await;
    app.h.app.run_scheduler_once().await.expect("a pass");
    group_texts(&app).await;
    app.h.double.fail_next(
        "sendMessage",
        mpbot::sandbox::telegram::Fault::ServerErrorAfter,
    );
    app.sandboxes.ozon.place_order();
    let report = pass(&app).await;
    assert_eq!(report.alerts.failed, 1, "{:?}", report.alerts);
    let texts = group_texts(&app).await;
    assert_eq!(texts.len(), 1, "Telegram took it once: {texts:?}");
    for _ in 0..3 {
        pass(&app).await;
    }
    assert!(
        group_texts(&app).await.is_empty(),
        "and it was not sent again"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM deliveries WHERE state = 'unknown'")
            .await,
        1
    );

    // A 429 surely took nothing: tried again once its wait has passed, told once.
    app.h.double.fail_next(
        "sendMessage",
        mpbot::sandbox::telegram::Fault::RetryAfter(1),
    );
    app.sandboxes.wb.place_order();
    let report = pass(&app).await;
    assert_eq!(report.alerts.postponed, 1, "{:?}", report.alerts);
    assert!(group_texts(&app).await.is_empty());
    // Telegram's pause is kept in real time.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    pass(&app).await;
    assert_eq!(group_texts(&app).await.len(), 1);
    app.finish().await;
}
