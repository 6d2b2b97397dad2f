//! A rule's stock and cancel actions end to end through the Ozon sandbox, each run by
//! "Run now" on an order: releasing an open order's units puts them back into the stock we
//! publish, holding keeps them out, and a cancellation reaches Ozon with the reason the
//! rule names (352 "ran out", or 402 with the rule's words). A rule naming another
//! company's cabinet is refused.

use mpbot::app::Actor;
use mpbot::app::rules::Invalid;
use mpbot::domain::order::CancelWhy;
use mpbot::domain::rules::{Condition, Policy, Rule, Step, Trigger};
use mpbot::domain::{CabinetId, Lang, Marketplace, OrderId, Role, TgUserId, WorkspaceId};

use crate::harness::TestApp;

fn rule(name: &str, cabinet: CabinetId, steps: Vec<Step>) -> Rule {
    Rule {
        id: 0,
        name: name.to_owned(),
        active: true,
        priority: 50,
        trigger: Trigger::Button,
        conditions: vec![Condition::Cabinet { cabinet }],
        steps,
        policy: Policy::default(),
        template: None,
        fails_in_row: 0,
    }
}

async fn units_held(app: &TestApp, ws: WorkspaceId, order: OrderId) -> usize {
    mpbot::storage::stocks::open_lines(&app.db, ws)
        .await
        .expect("lines")
        .iter()
        .filter(|l| l.order == order)
        .count()
}

/// Places an order on Ozon and imports it.
async fn new_order(app: &TestApp) -> (String, OrderId) {
    let posting = app.sandboxes.ozon.place_order();
    app.clock.advance(chrono::Duration::seconds(120));
    app.pass().await;
    let id = OrderId(
        app.count(&format!(
            "SELECT id FROM orders WHERE external_id = '{posting}'"
        ))
        .await,
    );
    assert!(id.0 > 0, "{posting} was imported");
    (posting, id)
}

/// Runs `rule` on `order` now, and the steps it queued.
async fn run_now(app: &TestApp, actor: Actor, order: OrderId, rule: i64) {
    let svc = &app.h.app.svc;
    assert!(
        svc.rules()
            .run_on_order(actor, order, rule)
            .await
            .expect("ran")
    );
    for _ in 0..3 {
        app.h.app.run_scheduler_once().await.expect("a pass");
    }
}

fn cancels(app: &TestApp, posting: &str) -> Vec<serde_json::Value> {
    app.sandboxes
        .ozon
        .recorder()
        .exchanges()
        .into_iter()
        .filter(|x| x.path == "/v2/posting/fbs/cancel" && x.status == 200)
        .filter_map(|x| x.request)
        .filter(|r| r["posting_number"].as_str() == Some(posting))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_releases_and_holds_stock_and_cancels_with_a_reason() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    let cabinet = app
        .seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    app.pass().await;
    let actor = Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    };
    let svc = &app.h.app.svc;
    let create = |r: Rule| async move {
        svc.rules()
            .create(actor, &r)
            .await
            .expect("created")
            .expect("valid")
    };

    // Released: a new order's units are back in what we publish.
    let (first, order) = new_order(&app).await;
    assert!(units_held(&app, ws, order).await > 0, "a new order holds");
    let release = create(rule("release", cabinet, vec![Step::Hold { on: false }])).await;
    run_now(&app, actor, order, release).await;
    assert_eq!(units_held(&app, ws, order).await, 0, "released");

    // Held again, then cancelled because the goods ran out: Ozon hears reason 352, and a
    // cancelled order holds nothing whatever the rule said.
    let hold_and_cancel = create(rule(
        "out of stock",
        cabinet,
        vec![
            Step::Hold { on: true },
            Step::Cancel {
                why: CancelWhy::OutOfStock,
                note: String::new(),
            },
        ],
    ))
    .await;
    run_now(&app, actor, order, hold_and_cancel).await;
    let sent = cancels(&app, &first);
    assert_eq!(sent.len(), 1, "cancelled once: {sent:?}");
    assert_eq!(sent[0]["cancel_reason_id"], 352);
    assert_eq!(
        app.sandboxes.ozon.posting_status(&first).as_deref(),
        Some("cancelled")
    );
    assert_eq!(
        units_held(&app, ws, order).await,
        0,
        "cancelled holds nothing"
    );

    // Another reason, in the rule's words: 402 with the message.
    let (second, order) = new_order(&app).await;
    let other = create(rule(
        "asked by phone",
        cabinet,
        vec![Step::Cancel {
            why: CancelWhy::Other,
            note: "the buyer asked by phone".into(),
        }],
    ))
    .await;
    run_now(&app, actor, order, other).await;
    let sent = cancels(&app, &second);
    let errors = app
        .db
        .scalar_text("SELECT MAX(last_error) FROM jobs WHERE kind = 'rule'")
        .await
        .expect("errors");
    assert_eq!(sent.len(), 1, "cancelled once: {sent:?} {errors:?}");
    assert_eq!(sent[0]["cancel_reason_id"], 402);
    assert_eq!(sent[0]["cancel_reason_message"], "the buyer asked by phone");

    // Run again: the order is cancelled already, nothing is sent twice.
    run_now(&app, actor, order, other).await;
    assert_eq!(cancels(&app, &second).len(), 1);

    // A condition on a cabinet that is not the company's is refused.
    let foreign = rule("foreign", CabinetId(9_999), vec![Step::Hold { on: true }]);
    assert_eq!(
        svc.rules().create(actor, &foreign).await.expect("checked"),
        Err(Invalid::ForeignCabinet)
    );
    app.finish().await;
}
