//! Finance per order (F10) against the sandboxes: orders live their lives on the shared
//! clock, the marketplaces accrue them days after delivery, and the finance job keeps what
//! they accrued, to the kopeck; the payout shows N days after each order; an order
//! cancelled after assembly still carries its charge and is listed as a loss; goods with
//! no cost are named.

use mpbot::app::Actor;
use mpbot::app::finance::report::Period;
use mpbot::domain::{Lang, Marketplace, Role, TgUserId};

use crate::harness::TestApp;

/// Days pass one at a time, the sandboxes living each (a marketplace moves an order one
/// step a day at most), then the scheduler makes one pass.
async fn days(app: &TestApp, n: i64) {
    for _ in 0..n {
        app.clock.advance(chrono::Duration::days(1));
        let sb = &app.sandboxes;
        sb.ozon.accrued_total("");
        sb.wb.accrued_total(0);
        sb.ym.accrued_total(0);
    }
    app.pass().await;
    app.settle().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accruals_are_kept_to_the_kopeck_on_all_three_and_the_payout_shows_after_thirty_days() {
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
    let wb = app
        .seed_cabinet(ws, Marketplace::Wildberries, "WB", false, 0)
        .await;
    app.seed_cabinet(ws, Marketplace::YandexMarket, "Market", false, 0)
        .await;
    // Days pass by the hundred here: the work finance does not need waits for days, so
    // the marketplaces' real-time limits on it (WB's reports once a minute) are not met.
    sqlx::query(
        "UPDATE workspaces SET catalogue_every_secs = 864000, stocks_every_secs = 864000, \
         prices_every_secs = 864000, fbo_every_secs = 864000",
    )
    .execute(app.db.pool())
    .await
    .expect("periods");
    app.pass().await;
    app.settle().await;
    // Ozon's forecast of the orders waiting to be packed: its fee by category.
    let expected = app
        .count("SELECT COUNT(*) FROM order_money WHERE basis = 'expected' AND commission > 0 AND payout > 0")
        .await;
    assert!(
        expected >= 2,
        "Ozon's forecast is kept for new orders: {expected}"
    );
    // A WB buyer sends a sold order back: WB reverses the sale and charges the logistics.
    let returned: String = app
        .db
        .scalar_text(&format!(
            "SELECT MIN(external_id) FROM orders WHERE cabinet_id = {} AND unified = 'delivered'",
            wb.0
        ))
        .await
        .expect("query")
        .expect("a sold WB order");
    assert!(
        app.sandboxes
            .wb
            .return_as_buyer(returned.parse().expect("a WB id"))
    );
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

    // Each marketplace's expected money came before its settled: Ozon's forecast by
    // posting, the Market's commissions billed at creation, WB's commission tariff of the
    // card's category.
    for m in ["ozon", "wb", "ym"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(DISTINCT l.order_id) FROM finance_lines l JOIN orders o ON o.id = l.order_id \
                 WHERE l.basis = 'expected' AND l.kind = 'commission' AND o.marketplace = '{m}'"
            ))
            .await;
        assert!(n > 0, "{m}: orders with an expected commission");
    }
    let wb_fee = app
        .count(
            "SELECT COUNT(*) FROM finance_lines l JOIN orders o ON o.id = l.order_id \
             WHERE l.basis = 'expected' AND o.marketplace = 'wb' AND l.kind = 'commission' \
             AND ABS(-l.amount * 100 - (SELECT SUM(i.price * i.quantity) * 24 FROM order_items i \
               WHERE i.order_id = o.id)) <= 50",
        )
        .await;
    assert!(
        wb_fee > 0,
        "WB's expected fee is its tariff of 24%, rounded to the kopeck"
    );
    let anna = Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    };
    let ended: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT marketplace, external_id, unified FROM orders WHERE unified IN ('delivered', 'cancelled') ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("orders");
    for m in ["ozon", "wb", "ym"] {
        assert!(
            ended.iter().any(|(mp, _, u)| mp == m && u == "delivered"),
            "{m}: {ended:?}"
        );
    }
    for (market, external, unified) in &ended {
        let sb = &app.sandboxes;
        let accrued = match market.as_str() {
            "ozon" => sb.ozon.accrued_total(external).expect("a posting"),
            "wb" => sb.wb.accrued_total(external.parse().expect("an id")),
            _ => sb.ym.accrued_total(external.parse().expect("an id")),
        };
        let kept = app
            .db
            .scalar_text(&format!(
                "SELECT m.payout FROM order_money m JOIN orders o ON o.id = m.order_id \
                 WHERE o.external_id = '{external}' AND m.basis = 'settled'"
            ))
            .await
            .expect("query");
        if accrued == 0 {
            assert_eq!(
                kept, None,
                "{market} {external} ({unified}) accrued nothing"
            );
        } else {
            assert_eq!(
                kept,
                Some(accrued.to_string()),
                "{market} {external} ({unified}): what the marketplace accrued, to the kopeck"
            );
        }
    }
    let returned_number = app
        .db
        .scalar_text(&format!(
            "SELECT number FROM orders WHERE cabinet_id = {} AND external_id = '{returned}'",
            wb.0
        ))
        .await
        .expect("query")
        .expect("the returned order");
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
    for n in [&number, &returned_number] {
        assert!(
            sum.losses.iter().any(|(l, cost)| l == n && cost.0 > 0),
            "{n}, cancelled after assembly or returned, is a loss: {:?}",
            sum.losses
        );
    }
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
    // A forecast of an order that ended unsold is forgotten: no money, and later no payout.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM order_money m JOIN orders o ON o.id = m.order_id \
             WHERE m.basis = 'expected' AND o.unified IN ('cancelled', 'returned')"
        )
        .await,
        0
    );
    // WB's paid storage is the account's: kept apart, a week at a time, never an order's.
    assert_eq!(
        sum.account.get("Хранение").map(|m| m.0),
        Some(mpbot::sandbox::wb::WEEKLY_STORAGE),
        "{:?}",
        sum.account
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM finance_lines WHERE label = 'Хранение'")
            .await,
        0,
        "storage is spread over no order"
    );
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
    let month_ago = app.clock_now() - 30 * 86_400;
    let old_settled = app
        .count(&format!(
            "SELECT COUNT(*) FROM order_money m JOIN orders o ON o.id = m.order_id \
             WHERE m.basis = 'settled' AND o.created_at <= {month_ago}"
        ))
        .await;
    assert!(old_settled >= 3, "{old_settled}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM order_money m JOIN orders o ON o.id = m.order_id \
             WHERE m.basis = 'settled' AND o.created_at <= {month_ago} \
             AND m.paid = m.payout AND m.paid_basis = 'settled'"
        ))
        .await,
        old_settled,
        "thirty days after each order its payout shows"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM order_money m JOIN orders o ON o.id = m.order_id \
             WHERE m.paid IS NOT NULL AND o.created_at > {month_ago}"
        ))
        .await,
        0,
        "not before"
    );
    // Orders never settled show the forecast, marked as such.
    assert!(
        app.count(
            "SELECT COUNT(*) FROM order_money WHERE basis = 'expected' AND paid = payout AND paid_basis = 'expected'"
        )
        .await
            >= 1
    );
    app.finish().await;
}
