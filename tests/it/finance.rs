//! Finance per order (F10) against the sandboxes: orders live their lives on the shared
//! clock, the marketplaces accrue them days after delivery, and the finance job keeps what
//! they accrued, to the kopeck; the payout shows N days after each order; an order
//! cancelled after assembly still carries its charge and is listed as a loss; goods with
//! no cost are named.

use mpbot::app::Actor;
use mpbot::app::finance::report::Period;
use mpbot::domain::{Lang, Marketplace, Role, TgUserId};

use crate::harness::TestApp;

/// Days pass one at a time (the sandboxes move an order one step per tick), a scheduler
/// pass each day.
async fn days(app: &TestApp, n: i64) {
    for _ in 0..n {
        app.clock.advance(chrono::Duration::days(1));
        app.pass().await;
    }
    app.settle().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ozon_accruals_are_kept_to_the_kopeck_and_the_payout_shows_after_thirty_days() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    let cabinet = app
        .seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    sqlx::query("UPDATE cabinets SET scheme = 'both' WHERE id = $1")
        .bind(cabinet.0)
        .execute(app.db.pool())
        .await
        .expect("scheme");
    app.pass().await;
    app.settle().await;
    // The buyer cancels the posting that was assembled and waits to be handed over: Ozon
    // charges the logistics all the same.
    let assembled = app
        .db
        .scalar_text("SELECT external_id FROM orders WHERE status = 'awaiting_deliver'")
        .await
        .expect("query")
        .expect("an assembled posting");
    assert!(app.sandboxes.ozon.cancel_as_buyer(&assembled));
    // Orders a day long: the FBO ones deliver themselves.
    for _ in 0..3 {
        app.sandboxes.ozon.place_order();
    }
    days(&app, 10).await;

    let anna = Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    };
    let ended: Vec<(String, String)> = sqlx::query_as(
        "SELECT external_id, unified FROM orders WHERE unified IN ('delivered', 'cancelled') ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("orders");
    assert!(
        ended.iter().filter(|(_, u)| u == "delivered").count() >= 2,
        "{ended:?}"
    );
    for (external, unified) in &ended {
        let accrued = app
            .sandboxes
            .ozon
            .accrued_total(external)
            .expect("a posting");
        let kept = app
            .db
            .scalar_text(&format!(
                "SELECT m.payout FROM order_money m JOIN orders o ON o.id = m.order_id \
                 WHERE o.external_id = '{external}' AND m.basis = 'settled'"
            ))
            .await
            .expect("query");
        if accrued == 0 {
            assert_eq!(kept, None, "{external} ({unified}) accrued nothing");
        } else {
            assert_eq!(
                kept,
                Some(accrued.to_string()),
                "{external} ({unified}): what Ozon accrued, to the kopeck"
            );
        }
    }
    let sum = app
        .h
        .app
        .svc
        .finance()
        .finance_summary(anna, Period::Days30, None)
        .await
        .expect("a summary");
    let number = app
        .db
        .scalar_text(&format!(
            "SELECT number FROM orders WHERE external_id = '{assembled}'"
        ))
        .await
        .expect("query")
        .expect("the cancelled order");
    assert!(
        sum.losses
            .iter()
            .any(|(n, cost)| *n == number && cost.0 > 0),
        "the cancelled order is a loss: {:?}",
        sum.losses
    );
    assert!(sum.figures.revenue.0 > 0 && sum.figures.commission.0 > 0);
    assert_eq!(
        sum.figures.payout.0,
        sum.figures.revenue.0
            - sum.figures.commission.0
            - sum.figures.logistics.0
            - sum.figures.other.0
    );
    assert!(
        !sum.missing_cost.is_empty(),
        "goods without a cost are named"
    );
    assert!(sum.charges.keys().any(|k| k.contains("Вознаграждение")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM order_money WHERE paid IS NOT NULL")
            .await,
        0,
        "no payout before thirty days"
    );

    // A reading of the same accruals again changes nothing.
    let lines = app.count("SELECT COUNT(*) FROM finance_lines").await;
    app.h
        .app
        .svc
        .finance()
        .read_finance(cabinet)
        .await
        .expect("read");
    assert_eq!(app.count("SELECT COUNT(*) FROM finance_lines").await, lines);

    days(&app, 25).await;
    let settled = app
        .count("SELECT COUNT(*) FROM order_money WHERE basis = 'settled'")
        .await;
    assert!(settled >= 3, "{settled}");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM order_money WHERE basis = 'settled' AND paid = payout AND paid_basis = 'settled'"
        )
        .await,
        settled,
        "thirty days after each order its payout shows"
    );
    app.finish().await;
}
