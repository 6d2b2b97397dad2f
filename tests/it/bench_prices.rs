//! Benchmarks of prices (ignored by default; they print figures and assert no timing).
//!
//! `bench_price_list`: a 30 000-row price list (XLSX, three cabinets' columns, every price
//! changed) read into its preview through the app: time and the process's peak memory.
//!
//! `bench_price_push`: N confirmed price changes per cabinet (Ozon, WB, YM) pushed by the
//! price-push job through the real clients into the sandboxes, which enforce the published
//! rate limits, then read back: update requests next to the minimum the batch sizes allow,
//! time next to the rate-limit bound (YM's is counted in offers: 10 000 a minute).
//!
//! `MPBOT_BENCH_SKUS=100000 cargo test --release --test it -- --ignored bench_price --nocapture`

use std::collections::HashMap;
use std::time::Instant;

use mpbot::app::Actor;
use mpbot::domain::{CabinetId, Lang, Marketplace, Money, Role, TgUserId, WorkspaceId};
use mpbot::marketplaces::endpoints as ep;
use mpbot::render::sheets::{SheetOut, Value, write_xlsx};
use mpbot::storage::catalogue as cat;
use mpbot::storage::jobs::Job;
use mpbot::storage::price_changes::{self, NewChange, Origin};

use crate::bench_stocks::{bound, peak_rss_mb, skus, sold_everywhere};
use crate::harness::TestApp;

/// `n` goods sold on the three sandboxes, their SKUs linked, their prices read.
async fn world(n: usize) -> (TestApp, WorkspaceId, HashMap<Marketplace, CabinetId>) {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Bench", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let cabinets = sold_everywhere(&app, ws, n).await;
    let svc = &app.h.app.svc;
    svc.catalogue().autolink(ws).await.expect("links");
    for c in cabinets.values() {
        svc.prices().read_prices(*c).await.expect("prices");
    }
    (app, ws, cabinets)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures"]
async fn bench_price_list() {
    let rows = 30_000;
    let (app, ws, _) = world(rows).await;
    let anna = Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    };
    let mut header = vec!["Артикул".to_owned(), "Себестоимость".to_owned()];
    for m in Marketplace::ALL {
        header.push(format!("{m:?} · Цена"));
        header.push(format!("{m:?} · Скидка, %"));
    }
    let sheet = SheetOut {
        name: "Цены".into(),
        header,
        rows: (1..=rows)
            .map(|i| {
                let mut r = vec![
                    Value::Text(format!("B-{i:06}")),
                    Value::Number(400.0 + (i % 100) as f64),
                ];
                for _ in Marketplace::ALL {
                    r.push(Value::Number(1100.0 + (i % 50) as f64 + 0.5));
                    r.push(Value::Number(10.0));
                }
                r
            })
            .collect(),
    };
    let bytes = write_xlsx(&[sheet]).expect("xlsx");
    let size = bytes.len();
    let before = peak_rss_mb();
    let t = Instant::now();
    let preview = app
        .h
        .app
        .svc
        .uploads()
        .read_upload(anna, "цены.xlsx", bytes)
        .await
        .expect("read")
        .expect("a price list");
    let took = t.elapsed();
    println!(
        "\nprice list: {rows} rows × 3 cabinets, {:.1} MB XLSX: {} changes, {} refused, read and previewed in {:.2}s; peak RSS {:.0} MB (before {:.0} MB)",
        size as f64 / 1e6,
        preview.changes,
        preview.rejected.len(),
        took.as_secs_f64(),
        peak_rss_mb(),
        before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: prints figures, takes as long as the rate limits make it"]
async fn bench_price_push() {
    let n = skus();
    let (app, ws, cabinets) = world(n).await;
    let svc = &app.h.app.svc;
    let sb = &app.sandboxes;
    let now = app.clock_now();
    println!(
        "\n{n} price changes per cabinet, peak RSS {:.0} MB before the push",
        peak_rss_mb()
    );
    println!(
        "{:<6} {:>8} {:>9} {:>9} {:>9} {:>10} {:>10} {:>8}",
        "market", "changes", "applied", "requests", "minimum", "took", "bound", "peak MB"
    );
    for (m, e, path) in [
        (
            Marketplace::Ozon,
            &ep::OZON_PRICES_UPDATE,
            "/v1/product/import/prices",
        ),
        (
            Marketplace::Wildberries,
            &ep::WB_PRICES_UPLOAD,
            "/api/v2/upload/task",
        ),
        (
            Marketplace::YandexMarket,
            &ep::YM_PRICES_UPDATE_EP,
            "/offer-prices/updates",
        ),
    ] {
        let cabinet = cabinets[&m];
        let products = cat::products_of(&app.db, cabinet).await.expect("products");
        let changes: Vec<NewChange> = products
            .iter()
            .filter(|p| p.vendor_code.starts_with("B-"))
            .map(|p| NewChange {
                cabinet,
                product: p.id,
                sku: None,
                old_price: None,
                old_before: None,
                new_price: Money(123_400),
                new_before: Money(123_400),
                discount: 0,
            })
            .collect();
        let mut tx = app.db.begin().await.expect("tx");
        price_changes::queue(
            &mut tx,
            ws,
            Origin {
                batch: 1,
                user: TgUserId(1001),
                chat: 1001,
                source: "file",
            },
            &changes,
            now,
        )
        .await
        .expect("queued");
        tx.commit().await.expect("commit");
        let recorder = match m {
            Marketplace::Ozon => sb.ozon.recorder(),
            Marketplace::Wildberries => sb.wb.recorder(),
            Marketplace::YandexMarket => sb.ym.recorder(),
        };
        let before = recorder.exchanges().len();
        let job = Job {
            id: 0,
            workspace: ws,
            cabinet: Some(cabinet),
            kind: mpbot::app::jobs::JobKind::PricePush.code().into(),
            dedupe: String::new(),
            payload: "{}".into(),
            period_secs: None,
            failures: 0,
            runs: 1,
            reported: false,
        };
        let t = Instant::now();
        svc.prices().perform_price_push(&job).await.expect("pushed");
        let took = t.elapsed();
        let exchanges = recorder.exchanges();
        let requests = exchanges[before..]
            .iter()
            .filter(|x| x.method == "POST" && x.path.contains(path))
            .count();
        // Every call of the push, the task polls and the read-back included.
        let mut calls: std::collections::BTreeMap<String, usize> = Default::default();
        for x in &exchanges[before..] {
            *calls.entry(format!("{} {}", x.method, x.path)).or_default() += 1;
        }
        let all: usize = calls.values().sum();
        let applied = price_changes::all(&app.db, ws)
            .await
            .expect("changes")
            .into_iter()
            .filter(|c| c.cabinet == cabinet && c.state == price_changes::State::Applied)
            .count();
        let minimum = changes.len().div_ceil(e.batch_max.unwrap_or(1));
        // YM's limit counts offers; Ozon's counts its update requests; every call of WB's
        // push (uploads, task polls, the read-back) is in its one price group.
        let bound = match m {
            Marketplace::YandexMarket => bound(e, changes.len()),
            Marketplace::Wildberries => bound(e, all),
            _ => bound(e, requests),
        };
        println!(
            "{:<6} {:>8} {:>9} {:>9} {:>9} {:>9.1}s {:>9.1}s {:>8.0}",
            format!("{m:?}").chars().take(6).collect::<String>(),
            changes.len(),
            applied,
            requests,
            minimum,
            took.as_secs_f64(),
            bound.as_secs_f64(),
            peak_rss_mb()
        );
        let calls: Vec<String> = calls.iter().map(|(k, v)| format!("{k} ×{v}")).collect();
        println!("       {all} calls: {}", calls.join(", "));
    }
}
