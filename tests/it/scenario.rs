//! A day of FBS orders end to end, through the Telegram double and the sandboxes only:
//! a buyer orders on each marketplace and the team's group hears once of each; the
//! warehouse takes the first step from each alert and the sandbox shows it; a buyer
//! cancels after assembly and the group is told once to put the items back. Run twice,
//! once with a restart in the middle, and again with the sandboxes failing a third of the
//! calls and going down for a while: nothing is lost, nothing happens twice.

use mpbot::domain::{EventKind, Lang, Marketplace, Role, TgChatId};
use mpbot::sandbox::common::{Exchange, Faults};
use mpbot::sandbox::telegram::{Event, SimChat, SimUser};

use mpbot::i18n::msg;

use crate::harness::{TestApp, render};

const GROUP: i64 = -100_900;

/// A company with a cabinet on each marketplace, a warehouse worker and a group
/// subscribed to new orders and cancellations; what the sandboxes start with is imported.
async fn company() -> (TestApp, SimUser) {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace(
            "Acme",
            &[(1001, "Anna", Role::Owner), (2002, "Olga", Role::Warehouse)],
            Lang::Ru,
        )
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
    app.pass().await;
    app.settle().await;
    (app, TestApp::user(2002, "Olga", Lang::Ru))
}

/// The messages the group got: (message id, text, button labels).
fn group_messages(events: &[Event]) -> Vec<(i64, String, Vec<String>)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Message {
                chat_id,
                message_id,
                text,
                buttons,
                ..
            } if *chat_id == GROUP => Some((
                *message_id,
                text.clone(),
                buttons.iter().flatten().map(|b| b.label.clone()).collect(),
            )),
            _ => None,
        })
        .collect()
}

/// The button labels a message in the group has now.
fn labels_of(app: &TestApp, message_id: i64) -> Vec<String> {
    let m = app
        .h
        .double
        .message(GROUP, message_id)
        .expect("the message");
    m["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row.as_array())
        .flatten()
        .filter_map(|b| b["text"].as_str().map(str::to_owned))
        .collect()
}

/// Presses a button of a group message twice before the bot answers: the message becomes
/// the order's card, or — when the marketplace failed the first try (flaky sandboxes) —
/// the presser is told it is being tried again and the queue finishes it. Returns whether
/// the card was shown.
async fn double_tap(app: &TestApp, who: &SimUser, message_id: i64, index: usize) -> bool {
    for _ in 0..2 {
        app.h
            .double
            .press(who, GROUP, message_id, index)
            .expect("the button");
    }
    let answered = app.settle().await;
    let card = answered
        .iter()
        .any(|e| matches!(e, Event::Edited { chat_id, .. } if *chat_id == GROUP));
    let retried = answered.iter().any(|e| {
        matches!(
            e,
            Event::CallbackAnswer {
                show_alert: true,
                ..
            }
        )
    });
    assert!(card || retried, "the message became the card: {answered:?}");
    card
}

/// How many calls to a path ending in `path_end` carried `needle` in their body and were
/// answered (not an injected fault).
fn applied(exchanges: &[Exchange], path_end: &str, needle: &str) -> usize {
    exchanges
        .iter()
        .filter(|e| e.path.ends_with(path_end) && !e.injected && e.status < 300)
        .filter(|e| {
            e.request
                .as_ref()
                .is_some_and(|r| r.to_string().contains(needle))
        })
        .count()
}

/// One round of the scenario; with `restart` the bot restarts between the presses and
/// the cancellation. Passes run until the work is through (more when the sandboxes fail).
async fn round(app: TestApp, olga: &SimUser, restart: bool, passes: usize) -> TestApp {
    let posting = app.sandboxes.ozon.place_order();
    let wb = app.sandboxes.wb.place_order();
    let ym = app.sandboxes.ym.place_order();
    let mut events = Vec::new();
    for _ in 0..passes {
        app.pass().await;
        events.extend(app.settle().await);
    }
    // The sandboxes also take orders of their own as time passes; these are ours.
    let ozon_number = posting.rsplit_once('-').map_or(posting.as_str(), |p| p.0);
    let ours = [ozon_number.to_owned(), wb.to_string(), ym.to_string()];
    let alerts: Vec<_> = group_messages(&events)
        .into_iter()
        .filter(|a| ours.iter().any(|n| a.1.contains(n.as_str())))
        .collect();
    for number in &ours {
        assert_eq!(
            alerts
                .iter()
                .filter(|a| a.1.contains(number.as_str()))
                .count(),
            1,
            "one alert for {number}: {alerts:?}"
        );
    }
    // From each alert the seller confirms what needs confirming and the warehouse
    // assembles; a double tap sends once.
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let confirm = render(Lang::Ru, &msg("action-confirm"));
    let assemble = render(Lang::Ru, &msg("action-assemble"));
    for (message_id, text, buttons) in &alerts {
        assert_eq!(
            buttons.len(),
            3,
            "open, one step and take: {text} {buttons:?}"
        );
        assert_eq!(buttons[2], render(Lang::Ru, &msg("claim-take-button")));
        if buttons[1] == confirm && !double_tap(&app, &anna, *message_id, 2).await {
            // Being tried again: the queue sends it; the alert keeps its buttons.
            continue;
        }
        let labels = labels_of(&app, *message_id);
        let at = labels
            .iter()
            .position(|l| *l == assemble)
            .unwrap_or_else(|| panic!("assemble on {text}: {labels:?}"));
        double_tap(&app, olga, *message_id, at + 1).await;
    }
    // Actions whose answer was lost are finished by the queue.
    for _ in 0..passes {
        app.pass().await;
        app.settle().await;
    }
    assert_eq!(
        app.sandboxes.ozon.posting_status(&posting).as_deref(),
        Some("awaiting_deliver"),
        "Ozon shows the posting assembled"
    );
    let (supplier, _, supply) = app.sandboxes.wb.order_status(wb).expect("the WB order");
    assert_eq!(supplier, "confirm", "WB shows the order confirmed");
    assert!(supply.is_some(), "in a supply");
    let ym_status = app.sandboxes.ym.order_status(ym).expect("the YM order");
    assert_ne!(
        ym_status, "PROCESSING/STARTED",
        "YM shows the order moved on"
    );
    let ozon_ex = app.sandboxes.ozon.recorder().exchanges();
    assert_eq!(applied(&ozon_ex, "/fbs/ship", &posting), 1, "shipped once");
    let wb_ex = app.sandboxes.wb.recorder().exchanges();
    let into_supply: Vec<&Exchange> = wb_ex
        .iter()
        .filter(|e| e.path.contains("/supplies/") && e.path.ends_with("/orders"))
        .filter(|e| !e.injected && e.status < 300)
        .filter(|e| {
            e.request
                .as_ref()
                .is_some_and(|r| r.to_string().contains(&wb.to_string()))
        })
        .collect();
    assert_eq!(into_supply.len(), 1, "added to a supply once");
    let ym_ex = app.sandboxes.ym.recorder().exchanges();
    assert_eq!(
        applied(&ym_ex, "/orders/status-update", &ym.to_string()),
        1,
        "YM status sent once"
    );

    let app = if restart { app.restart().await } else { app };
    // The buyer cancels the assembled Ozon order: put the items back, once.
    assert!(app.sandboxes.ozon.cancel_as_buyer(&posting));
    let mut events = Vec::new();
    for _ in 0..passes + 1 {
        app.pass().await;
        events.extend(app.settle().await);
    }
    let told: Vec<_> = group_messages(&events)
        .into_iter()
        .filter(|m| m.1.starts_with("↩️") || m.1.contains(ozon_number))
        .collect();
    assert_eq!(told.len(), 1, "put back once: {told:?}");
    assert!(told[0].1.starts_with("↩️"), "{}", told[0].1);
    assert!(told[0].1.contains(ozon_number), "{}", told[0].1);
    app
}

/// Nothing in the database is there twice.
async fn nothing_doubled(app: &TestApp) {
    for (what, sql) in [
        (
            "orders",
            "SELECT COUNT(*) FROM (SELECT cabinet_id, external_id FROM orders \
             GROUP BY cabinet_id, external_id HAVING COUNT(*) > 1) d",
        ),
        (
            "deliveries",
            "SELECT COUNT(*) FROM (SELECT outbox_id, chat_id FROM deliveries \
             GROUP BY outbox_id, chat_id HAVING COUNT(*) > 1) d",
        ),
        (
            "actions",
            "SELECT COUNT(*) FROM (SELECT order_id, unified FROM order_history WHERE source = 'action' \
             GROUP BY order_id, unified HAVING COUNT(*) > 1) d",
        ),
        (
            "undelivered alerts",
            "SELECT COUNT(*) FROM deliveries WHERE state NOT IN ('sent', 'digested')",
        ),
        (
            "jobs left over",
            "SELECT COUNT(*) FROM jobs WHERE period_secs IS NULL AND state <> 'done'",
        ),
    ] {
        assert_eq!(app.count(sql).await, 0, "{what}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_of_orders_runs_from_the_group_twice_and_across_a_restart() {
    let (app, olga) = company().await;
    let app = round(app, &olga, false, 1).await;
    let app = round(app, &olga, true, 1).await;
    nothing_doubled(&app).await;
    // The warehouse's own view has nothing left waiting from these rounds.
    app.h.double.send_text(&olga, &SimChat::Private, "/orders");
    let list = app.settle().await;
    assert!(!list.is_empty());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_sandboxes_lose_nothing_and_double_nothing() {
    let (app, olga) = company().await;
    let flaky = Faults {
        error_rate: 0.2,
        throttle_rate: 0.1,
        ..Faults::default()
    };
    for rec in [
        app.sandboxes.ozon.recorder(),
        app.sandboxes.wb.recorder(),
        app.sandboxes.ym.recorder(),
    ] {
        *rec.faults() = flaky.clone();
    }
    let app = round(app, &olga, false, 3).await;
    // An outage: every marketplace answers 500 for five seconds of the shared clock; the
    // pass in it fails, the retry policy brings the work back after it.
    let down = Faults {
        error_rate: 1.0,
        ..Faults::default()
    };
    for rec in [
        app.sandboxes.ozon.recorder(),
        app.sandboxes.wb.recorder(),
        app.sandboxes.ym.recorder(),
    ] {
        *rec.faults() = down.clone();
    }
    let posting = app.sandboxes.ozon.place_order();
    app.h.app.svc.jobs().make_jobs_due().await.expect("due");
    app.h.app.run_scheduler_once().await.expect("a pass");
    app.clock.advance(chrono::Duration::seconds(5));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM orders WHERE external_id = '{posting}'"
        ))
        .await,
        0,
        "nothing comes through an outage"
    );
    for rec in [
        app.sandboxes.ozon.recorder(),
        app.sandboxes.wb.recorder(),
        app.sandboxes.ym.recorder(),
    ] {
        *rec.faults() = flaky.clone();
    }
    let mut told = Vec::new();
    for _ in 0..6 {
        app.pass().await;
        told.extend(group_messages(&app.settle().await));
    }
    let ozon_number = posting.rsplit_once('-').map_or(posting.as_str(), |p| p.0);
    assert_eq!(
        told.iter().filter(|m| m.1.contains(ozon_number)).count(),
        1,
        "the order placed in the outage is told once after it: {told:?}"
    );
    let app = round(app, &olga, true, 3).await;
    nothing_doubled(&app).await;
    app.finish().await;
}
