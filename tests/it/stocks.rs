//! Catalogue and stocks end to end, against the sandboxes over loopback: 1 000 products on
//! three marketplaces are imported and 800 of them linked to our SKUs by barcode, the rest
//! reported; stock set for 50 SKUs goes out as exactly those items in the fewest requests
//! each API allows, and the sandboxes hold what the formula gives; a second sync sends no
//! stock request at all; an order on one marketplace lowers what every marketplace shows;
//! nothing meets a 429.

use std::collections::HashMap;

use mpbot::app::Actor;
use mpbot::app::stocks::Source;
use mpbot::domain::ProductId;
use mpbot::domain::stock::Change;
use mpbot::domain::{Lang, Marketplace, Role, TgUserId, WorkspaceId};
use mpbot::sandbox::common::{Exchange, Goods};
use mpbot::storage::catalogue::NewSku;

use crate::harness::TestApp;

fn actor(ws: WorkspaceId) -> Actor {
    Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    }
}

fn barcode(i: usize) -> String {
    format!("2{:012}", 7_000_000 + i)
}

fn goods(vendor: String, name: &str, barcode: String) -> Goods {
    Goods {
        vendor_code: vendor,
        name: name.to_owned(),
        barcode,
    }
}

/// Stock writes a sandbox received: (requests, items).
fn stock_writes(ex: &[Exchange], path: &str) -> (usize, usize) {
    let writes: Vec<&Exchange> = ex
        .iter()
        .filter(|e| e.method != "GET" && e.path.contains(path) && e.path.contains("stocks"))
        .collect();
    let items = writes
        .iter()
        .map(|e| {
            e.request
                .as_ref()
                .and_then(|r| {
                    r.get("stocks")
                        .or_else(|| r.get("skuItems"))
                        .and_then(|v| v.as_array())
                        .map(Vec::len)
                })
                .unwrap_or(0)
        })
        .sum();
    (writes.len(), items)
}

fn too_many(ex: &[Exchange]) -> usize {
    ex.iter().filter(|e| e.status == 429).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_products_link_and_only_changed_stock_is_pushed() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let svc = &app.h.app.svc;
    let anna = actor(ws);

    // Our nomenclature: 400 SKUs, each with its own barcode, and ten pairs of SKUs that
    // share a vendor code (a product with that vendor code fits both).
    for i in 1..=400 {
        let new = NewSku {
            code: format!("SKU-{i:04}"),
            name: format!("Товар {i}"),
            vendor_code: format!("V-{i:04}"),
            barcodes: vec![barcode(i)],
            weight_g: None,
        };
        svc.catalogue()
            .create_sku(anna, &new)
            .await
            .expect("creates")
            .expect("new");
    }
    for i in 1..=10 {
        for half in ["A", "B"] {
            let new = NewSku {
                code: format!("TWIN-{i}-{half}"),
                name: format!("Близнец {i}"),
                vendor_code: format!("TWIN-{i}"),
                barcodes: vec![],
                weight_g: None,
            };
            svc.catalogue()
                .create_sku(anna, &new)
                .await
                .expect("creates");
        }
    }

    // On the marketplaces: Ozon sells SKUs 1..=300, WB 101..=350, YM 151..=400 (800
    // products with our barcodes), each under its own vendor code; ten WB and ten YM
    // products carry a twin vendor code and a barcode of nobody's; the rest up to 1 000
    // are the sandboxes' own products and a few new ones, none of them ours.
    let sb = &app.sandboxes;
    let seeded =
        sb.ozon.catalogue().0.len() + sb.wb.catalogue().0.len() + sb.ym.catalogue().0.len();
    let ozon: Vec<Goods> = (1..=300)
        .map(|i| goods(format!("OZ-{i:04}"), "Товар Ozon", barcode(i)))
        .collect();
    sb.ozon.list_goods(&ozon);
    let mut wb: Vec<Goods> = (101..=350)
        .map(|i| goods(format!("WB-{i:04}"), "Товар WB", barcode(i)))
        .collect();
    let mut ym: Vec<Goods> = (151..=400)
        .map(|i| goods(format!("YM-{i:04}"), "Товар YM", barcode(i)))
        .collect();
    for i in 1..=10 {
        wb.push(goods(format!("TWIN-{i}"), "Близнец", barcode(5_000 + i)));
        ym.push(goods(format!("TWIN-{i}"), "Близнец", barcode(6_000 + i)));
    }
    let new_ones = 1000 - seeded - 800 - 20;
    for i in 0..new_ones {
        ym.push(goods(format!("NEW-{i:03}"), "Новинка", barcode(8_000 + i)));
    }
    sb.wb.list_goods(&wb);
    sb.ym.list_goods(&ym);

    let mut cabinets = HashMap::new();
    for m in Marketplace::ALL {
        cabinets.insert(m, app.seed_cabinet(ws, m, &format!("{m:?}"), true, 0).await);
    }
    // The first pass imports orders and the catalogue, and links.
    app.pass().await;
    app.settle().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mp_products WHERE gone_at IS NULL")
            .await,
        1000,
        "every product of the three cabinets, paged to the end"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sku_links WHERE how = 'barcode'")
            .await,
        800
    );
    let report = svc
        .catalogue()
        .catalogue_report(anna)
        .await
        .expect("report");
    assert_eq!(report.products, 1000);
    assert_eq!(report.by_barcode, 800);
    assert_eq!(
        report.ambiguous.len(),
        20,
        "each twin product fits two SKUs"
    );
    assert!(
        report
            .ambiguous
            .iter()
            .all(|(p, codes)| codes.len() == 2 && p.vendor_code.starts_with("TWIN-"))
    );
    assert_eq!(report.unlinked.len(), 180);

    // A vendor code links what has no barcode of ours.
    let lone = report.unlinked[0].clone();
    svc.catalogue()
        .create_sku(
            anna,
            &NewSku {
                code: "LONE".into(),
                name: "Одиночка".into(),
                vendor_code: lone.vendor_code.clone(),
                barcodes: vec![],
                weight_g: None,
            },
        )
        .await
        .expect("creates");
    let again = svc
        .catalogue()
        .catalogue_report(anna)
        .await
        .expect("report");
    assert_eq!(again.by_vendor_code, 1);
    assert_eq!(again.linked_now, 1);
    assert_eq!(again.unlinked.len(), report.unlinked.len() - 1);

    // Stock for 50 SKUs: 131..=180 sell on Ozon and WB, 151..=180 on YM too.
    let store = svc.stocks().stores(anna).await.expect("stores")[0].id;
    let mut expected = HashMap::new();
    for i in 131..=180usize {
        let sku = svc
            .catalogue()
            .find_sku(anna, &format!("SKU-{i:04}"))
            .await
            .expect("finds")
            .expect("exists");
        let qty = 10 + i as i64 % 7;
        svc.stocks()
            .change_stock(anna, sku.id, store, Change::Set(qty), "", Source::Chat)
            .await
            .expect("changes")
            .expect("allowed");
        expected.insert(i, qty);
    }
    let before = (
        sb.ozon.recorder().exchanges().len(),
        sb.wb.recorder().exchanges().len(),
        sb.ym.recorder().exchanges().len(),
    );
    app.pass().await;
    let ozon_ex = sb.ozon.recorder().exchanges()[before.0..].to_vec();
    let wb_ex = sb.wb.recorder().exchanges()[before.1..].to_vec();
    let ym_ex = sb.ym.recorder().exchanges()[before.2..].to_vec();
    let (ozon_warehouses, wb_warehouses, ym_warehouses) = (
        sb.ozon.catalogue().1,
        sb.wb.catalogue().1,
        sb.ym.catalogue().1,
    );
    // Exactly the items of those SKUs, in the fewest requests: Ozon takes 100 items a
    // request, WB 1 000 per warehouse, YM 2 000.
    let ozon_items = 50 * ozon_warehouses.len();
    let wb_items = 50 * wb_warehouses.len();
    let ym_items = 30 * ym_warehouses.len();
    assert_eq!(
        stock_writes(&ozon_ex, "/v2/products/stocks"),
        (ozon_items.div_ceil(100), ozon_items)
    );
    assert_eq!(
        stock_writes(&wb_ex, "/api/v3/stocks/"),
        (wb_warehouses.len(), wb_items)
    );
    assert_eq!(stock_writes(&ym_ex, "/offers/stocks/update"), (1, ym_items));
    for (&i, &qty) in &expected {
        for w in &ozon_warehouses {
            let w: i64 = w.parse().expect("id");
            assert_eq!(
                sb.ozon.stock(&format!("OZ-{i:04}"), w),
                Some(qty),
                "ozon {i}"
            );
        }
        if i >= 151 {
            for w in &ym_warehouses {
                let w: i64 = w.parse().expect("id");
                assert_eq!(sb.ym.stock(w, &format!("YM-{i:04}")), Some(qty), "ym {i}");
            }
        }
    }
    assert_eq!(too_many(&ozon_ex) + too_many(&wb_ex) + too_many(&ym_ex), 0);

    // Nothing changed: no stock request at all.
    let before = (
        sb.ozon.recorder().exchanges().len(),
        sb.wb.recorder().exchanges().len(),
        sb.ym.recorder().exchanges().len(),
    );
    app.pass().await;
    assert_eq!(
        stock_writes(
            &sb.ozon.recorder().exchanges()[before.0..],
            "/v2/products/stocks"
        )
        .0,
        0
    );
    assert_eq!(
        stock_writes(&sb.wb.recorder().exchanges()[before.1..], "/api/v3/stocks/").0,
        0
    );
    assert_eq!(
        stock_writes(
            &sb.ym.recorder().exchanges()[before.2..],
            "/offers/stocks/update"
        )
        .0,
        0
    );

    // A buyer orders 3 of SKU 160 on Ozon: the next push lowers it by 3 on Ozon, WB and
    // YM alike, and only it.
    let posting = sb.ozon.place_order_for("OZ-0160", 3).expect("ordered");
    let before_ozon = sb.ozon.recorder().exchanges().len();
    app.pass().await;
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM orders WHERE external_id = '{posting}'"
        ))
        .await
            == 1
    );
    let qty = expected[&160] - 3;
    for w in &ozon_warehouses {
        let w: i64 = w.parse().expect("id");
        assert_eq!(sb.ozon.stock("OZ-0160", w), Some(qty));
    }
    for w in &ym_warehouses {
        let w: i64 = w.parse().expect("id");
        assert_eq!(sb.ym.stock(w, "YM-0160"), Some(qty));
    }
    let wb_chrt: i64 = app
        .count("SELECT sku FROM mp_products WHERE vendor_code = 'WB-0160'")
        .await;
    for w in &wb_warehouses {
        let w: i64 = w.parse().expect("id");
        assert_eq!(sb.wb.stock(w, wb_chrt), Some(qty));
    }
    assert_eq!(
        stock_writes(
            &sb.ozon.recorder().exchanges()[before_ozon..],
            "/v2/products/stocks"
        ),
        (1, ozon_warehouses.len())
    );
    // Two open orders together want more of SKU 131 than the shelf holds: the orders at
    // risk are named, once.
    let shelf = expected[&131];
    sb.ozon
        .place_order_for("OZ-0131", shelf - 1)
        .expect("ordered");
    sb.ozon.place_order_for("OZ-0131", 2).expect("ordered");
    app.pass().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'oversell'")
            .await,
        1
    );
    // Another order elsewhere and another pass tell nothing new of it; one more order for
    // it (more units short) is told once more.
    sb.ozon.place_order_for("OZ-0160", 1).expect("ordered");
    app.pass().await;
    app.pass().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'oversell'")
            .await,
        1,
        "the same risk is told once a day"
    );
    sb.ozon.place_order_for("OZ-0131", 1).expect("ordered");
    app.pass().await;
    app.pass().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'oversell'")
            .await,
        2,
        "a worse risk is told"
    );
    let planned = svc
        .stocks()
        .planned_stocks(cabinets[&Marketplace::Ozon])
        .await
        .expect("planned");
    assert!(planned.iter().all(|p| p.published == Some(p.amount)));
    app.finish().await;
}

/// Between full pushes only what changed is read and sent: a kit's product follows its
/// scarcest part when that part changes, a SKU nobody touched is not sent, and a change
/// made behind the bot's back (straight in the database) reaches the marketplace with the
/// next full push, an hour on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_between_full_ones_sends_what_changed_and_kits_follow_their_parts() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let svc = &app.h.app.svc;
    let anna = actor(ws);
    let sb = &app.sandboxes;
    for (code, i) in [("KIT-A", 1), ("KIT-B", 2), ("LONE", 3)] {
        svc.catalogue()
            .create_sku(
                anna,
                &NewSku {
                    code: code.into(),
                    name: code.into(),
                    vendor_code: code.into(),
                    barcodes: vec![barcode(9_000 + i)],
                    weight_g: None,
                },
            )
            .await
            .expect("creates")
            .expect("new");
    }
    sb.ozon.list_goods(&[
        goods("OZ-KIT".into(), "Набор", barcode(9_001)),
        goods("OZ-LONE".into(), "Одиночка", barcode(9_003)),
    ]);
    app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    app.pass().await;
    let sku = |code: &'static str| async move {
        svc.catalogue()
            .find_sku(anna, code)
            .await
            .expect("finds")
            .expect("exists")
            .id
    };
    let (a, b, lone) = (sku("KIT-A").await, sku("KIT-B").await, sku("LONE").await);
    // The kit's product sells A and B together.
    let kit = ProductId(
        app.count("SELECT id FROM mp_products WHERE vendor_code = 'OZ-KIT'")
            .await,
    );
    assert!(
        svc.catalogue()
            .link_product(anna, b, kit)
            .await
            .expect("links")
    );
    let store = svc.stocks().stores(anna).await.expect("stores")[0].id;
    for (s, qty) in [(a, 10), (b, 3), (lone, 5)] {
        svc.stocks()
            .change_stock(anna, s, store, Change::Set(qty), "", Source::Chat)
            .await
            .expect("changes")
            .expect("allowed");
    }
    app.pass().await;
    let warehouses: Vec<i64> = sb
        .ozon
        .catalogue()
        .1
        .iter()
        .map(|w| w.parse().expect("id"))
        .collect();
    let shows = |vendor: &str| {
        warehouses
            .iter()
            .map(|w| sb.ozon.stock(vendor, *w))
            .collect::<Vec<_>>()
    };
    assert!(
        shows("OZ-KIT").iter().all(|q| *q == Some(3)),
        "the scarcer part"
    );
    assert!(shows("OZ-LONE").iter().all(|q| *q == Some(5)));

    // Part B grows: the kit follows (now A is the scarcer part, 10 > 7), the lone SKU is
    // not sent again.
    svc.stocks()
        .change_stock(anna, b, store, Change::Set(7), "", Source::Chat)
        .await
        .expect("changes")
        .expect("allowed");
    let before = sb.ozon.recorder().exchanges().len();
    app.pass().await;
    assert_eq!(
        stock_writes(
            &sb.ozon.recorder().exchanges()[before..],
            "/v2/products/stocks"
        ),
        (1, warehouses.len()),
        "only the kit's items"
    );
    assert!(shows("OZ-KIT").iter().all(|q| *q == Some(7)));

    // Behind the bot's back: nothing marks it, so the next pushes leave it; the full push
    // an hour after the last one sends it.
    sqlx::query("UPDATE stock SET quantity = 1 WHERE sku_id = $1")
        .bind(lone)
        .execute(app.db.pool())
        .await
        .expect("edited");
    app.pass().await;
    assert!(shows("OZ-LONE").iter().all(|q| *q == Some(5)));
    app.clock.advance(chrono::Duration::seconds(
        mpbot::app::stocks::push::FULL_PUSH_SECS,
    ));
    app.pass().await;
    assert!(shows("OZ-LONE").iter().all(|q| *q == Some(1)));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stock_marks").await,
        0,
        "every mark read was cleared"
    );
    app.finish().await;
}
