//! Automation rules end to end, through the Telegram double and the Ozon sandbox: the
//! seed's template "packed → request the label → send it to the warehouse group" turned on
//! in `/rules`; an order assembled; the label PDF reaches the group once. With the sandbox
//! failing the label call, `/queue` shows the step retrying, then in the reserve mode;
//! Retry runs it now; Skip ends another; a third that fails through every try tells the
//! group once and runs the alternative rule. Nothing is sent twice.

use std::collections::VecDeque;

use mpbot::domain::{Lang, Marketplace, OrderId, Role};
use mpbot::sandbox::telegram::{Event, SimUser};

use crate::harness::{TestApp, texts};

const GROUP: i64 = -100_444;

/// Presses the button whose label contains `needle` on the newest message with buttons in
/// `chat`.
async fn press_label(app: &TestApp, user: &SimUser, chat: i64, needle: &str) -> Vec<Event> {
    let (id, rows) = app
        .h
        .double
        .latest_with_buttons(chat)
        .expect("a message with buttons");
    let flat: Vec<_> = rows.iter().flatten().collect();
    let index = flat
        .iter()
        .position(|b| b.label.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no button with {needle:?}: {:?}",
                flat.iter().map(|b| &b.label).collect::<Vec<_>>()
            )
        });
    app.h
        .double
        .press(user, chat, id, index + 1)
        .expect("pressed");
    app.settle().await
}

/// A pass of the scheduler `secs` later, running only what is due then (the periodic
/// imports are a day apart here, so only the rules' steps are).
async fn later(app: &TestApp, secs: i64) {
    app.clock.advance(chrono::Duration::seconds(secs));
    app.h.app.run_scheduler_once().await.expect("a pass");
}

/// The order number of an Ozon posting (without its shipment suffix).
fn order_number(posting: &str) -> &str {
    posting.rsplit_once('-').map_or(posting, |(o, _)| o)
}

/// Label files the group received for an order.
fn labels_in_group(events: &[Event], number: &str) -> usize {
    events
        .iter()
        .filter(|e| match e {
            Event::Message {
                chat_id,
                document: Some(d),
                ..
            } => *chat_id == GROUP && d.name.contains(order_number(number)),
            _ => false,
        })
        .count()
}

async fn assemble(app: &TestApp, anna_ws: mpbot::domain::WorkspaceId, posting: &str) -> OrderId {
    let id = OrderId(
        app.count(&format!(
            "SELECT id FROM orders WHERE external_id = '{posting}'"
        ))
        .await,
    );
    let actor = mpbot::app::Actor {
        user: mpbot::domain::TgUserId(1001),
        workspace: anna_ws,
        role: Role::Owner,
    };
    let svc = &app.h.app.svc;
    let card = svc.orders().order_card(actor, id).await.expect("card");
    svc.orders()
        .request_action(
            actor,
            id,
            card.order.version,
            mpbot::domain::order::Action::Assemble,
            None,
        )
        .await
        .expect("assembled");
    id
}

fn fail_label_calls(app: &TestApp, n: usize) {
    app.sandboxes.ozon.recorder().faults().fail_next = VecDeque::from(vec![500; n]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn packed_orders_get_their_label_in_the_warehouse_group_by_a_rule() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    sqlx::query(
        "UPDATE workspaces SET default_lang = 'en', orders_every_secs = 86400, catalogue_every_secs = 86400, \
         stocks_every_secs = 86400, prices_every_secs = 86400, fbo_every_secs = 86400, \
         finance_every_secs = 86400",
    )
    .execute(app.db.pool())
    .await
    .expect("periods");
    let anna = TestApp::user(1001, "Anna", Lang::En);
    app.h.double.add_bot_to_group(&anna, GROUP, "Warehouse");
    app.settle().await;
    app.pass().await;
    app.settle().await;

    // The owner turns the seed's template 02 on, for the warehouse group.
    app.send(&anna, "/rules").await;
    press_label(&app, &anna, anna.id, "02").await;
    let on = press_label(&app, &anna, anna.id, "Warehouse").await;
    assert!(
        texts(&on)
            .iter()
            .any(|t| t.contains("Packed: labels to the warehouse group")),
        "{on:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM rules WHERE active = 1")
            .await,
        1
    );

    // An order is assembled: its label reaches the group once.
    let first = app.sandboxes.ozon.place_order();
    app.pass().await;
    app.settle().await;
    assemble(&app, ws, &first).await;
    let mut seen = Vec::new();
    for _ in 0..5 {
        later(&app, 61).await;
        seen.extend(app.settle().await);
    }
    assert_eq!(labels_in_group(&seen, &first), 1, "{seen:?}");

    // The label call fails: the step retries in the main mode, then the reserve mode.
    let second = app.sandboxes.ozon.place_order();
    app.pass().await;
    app.settle().await;
    assemble(&app, ws, &second).await;
    fail_label_calls(&app, 7);
    later(&app, 1).await;
    let queue = texts(&app.send(&anna, "/queue").await).join("\n");
    assert!(queue.contains("🔁 retrying 1"), "{queue}");
    for _ in 0..5 {
        later(&app, 61).await;
    }
    let queue = texts(&app.send(&anna, "/queue").await).join("\n");
    assert!(
        queue.contains("🕰 reserve mode 1") && queue.contains("reserve mode, failed 6 of 106"),
        "{queue}"
    );
    // Retry runs it now (one fault is left: it fails once more), then again: it passes.
    press_label(&app, &anna, anna.id, "Retry").await;
    later(&app, 1).await;
    press_label(&app, &anna, anna.id, "Refresh").await;
    let retried = press_label(&app, &anna, anna.id, "Retry").await;
    assert!(
        texts(&retried).iter().any(|t| t.contains("It runs now")),
        "{retried:?}"
    );
    later(&app, 1).await;
    let events = app.settle().await;
    assert_eq!(labels_in_group(&events, &second), 1, "{events:?}");
    // Retry on a step that is done changes nothing and says so.
    let done_id = app
        .count("SELECT MAX(id) FROM jobs WHERE kind = 'rule' AND state = 'done'")
        .await;
    let actor = mpbot::app::Actor {
        user: mpbot::domain::TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    };
    assert_eq!(
        app.h
            .app
            .svc
            .rules()
            .retry_step(actor, done_id)
            .await
            .expect("steered"),
        mpbot::app::rules::queue::Steered::Ended
    );

    // Skip ends a failing step: it is not tried again.
    let third = app.sandboxes.ozon.place_order();
    app.pass().await;
    app.settle().await;
    assemble(&app, ws, &third).await;
    fail_label_calls(&app, 50);
    later(&app, 1).await;
    app.send(&anna, "/queue").await;
    let skipped = press_label(&app, &anna, anna.id, "Skip").await;
    assert!(
        texts(&skipped).iter().any(|t| t.contains("⏭ skipped 1")),
        "{skipped:?}"
    );
    let calls = app.sandboxes.ozon.recorder().exchanges().len();
    for _ in 0..3 {
        later(&app, 601).await;
    }
    assert_eq!(
        app.sandboxes.ozon.recorder().exchanges().len(),
        calls,
        "a skipped step is not tried again"
    );

    // An alternative rule, made in three steps, runs when the step fails for good.
    app.send(&anna, "/rules").await;
    press_label(&app, &anna, anna.id, "New rule").await;
    press_label(&app, &anna, anna.id, "Run now").await;
    press_label(&app, &anna, anna.id, "Next").await;
    press_label(&app, &anna, anna.id, "owners, admins").await;
    app.send(
        &anna,
        "No label for {number}: print it from the marketplace",
    )
    .await;
    press_label(&app, &anna, anna.id, "Save").await;
    app.send(&anna, "Label by hand").await;
    app.send(&anna, "10").await;
    app.send(&anna, "/rules").await;
    press_label(&app, &anna, anna.id, "Packed: labels").await;
    press_label(&app, &anna, anna.id, "Alternative").await;
    let card = press_label(&app, &anna, anna.id, "Label by hand").await;
    assert!(
        texts(&card)
            .iter()
            .any(|t| t.contains("the alternative: Label by hand")),
        "{card:?}"
    );
    fail_label_calls(&app, 0);
    let fourth = app.sandboxes.ozon.place_order();
    app.pass().await;
    app.settle().await;
    assemble(&app, ws, &fourth).await;
    fail_label_calls(&app, 200);
    let mut told = Vec::new();
    later(&app, 1).await;
    for _ in 0..5 {
        later(&app, 61).await;
    }
    for _ in 0..101 {
        later(&app, 601).await;
    }
    told.extend(app.settle().await);
    later(&app, 1).await;
    told.extend(app.settle().await);
    let number = order_number(&fourth);
    let in_group: Vec<String> = told
        .iter()
        .filter_map(|e| match e {
            Event::Message { chat_id, text, .. } if *chat_id == GROUP => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        in_group
            .iter()
            .filter(|t| t.contains("could not send the label"))
            .count(),
        1,
        "the group hears of the failure once: {in_group:?}"
    );
    let to_anna: Vec<String> = told
        .iter()
        .filter_map(|e| match e {
            Event::Message { chat_id, text, .. } if *chat_id == anna.id => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        to_anna
            .iter()
            .filter(|t| t.contains(&format!("No label for {number}")))
            .count(),
        1,
        "the alternative ran once: {to_anna:?}"
    );
    // Nothing was sent twice: one label file per order that got one.
    let all = app.h.double.events();
    assert_eq!(labels_in_group(&all, &first), 1);
    assert_eq!(labels_in_group(&all, &second), 1);
    assert_eq!(labels_in_group(&all, &third), 0);
    assert_eq!(labels_in_group(&all, &fourth), 0);
    app.finish().await;
}
