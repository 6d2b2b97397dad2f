//! Prices end to end (F6): the price list exported through the bot, 100 prices edited in
//! the XLSX with a spreadsheet library, sent back, previewed with the right counts,
//! confirmed (the large jump asks twice), pushed by the scheduler to the three sandboxes
//! in the fewest requests, read back and reported per cabinet, WB's price quarantine
//! refusal included; and a push cut short by a restart resumes.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use mpbot::app::Actor;
use mpbot::domain::{CabinetId, Lang, Marketplace, Money, Role, TgUserId, WorkspaceId};
use mpbot::i18n::msg;
use mpbot::sandbox::common::Goods;
use mpbot::sandbox::telegram::{Event, SimChat};
use mpbot::storage::catalogue::{self as cat, NewSku};

use crate::harness::{TestApp, render, texts};

const GOODS: usize = 120;

fn goods() -> Vec<Goods> {
    (1..=GOODS)
        .map(|i| Goods {
            vendor_code: format!("PR-{i:04}"),
            name: format!("Чайник {i}"),
            barcode: format!("2{:012}", 300_000_000 + i),
        })
        .collect()
}

struct World {
    app: TestApp,
    ws: WorkspaceId,
    cabinets: HashMap<Marketplace, CabinetId>,
}

/// A workspace selling the same 120 goods on Ozon, WB and YM, its catalogue imported and
/// linked, its prices read.
async fn world() -> World {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let g = goods();
    let sb = &app.sandboxes;
    sb.ozon.list_goods(&g);
    sb.wb.list_goods(&g);
    sb.ym.list_goods(&g);
    let mut cabinets = HashMap::new();
    for (i, (m, name)) in [
        (Marketplace::Ozon, "Озон"),
        (Marketplace::Wildberries, "ВБ"),
        (Marketplace::YandexMarket, "Маркет"),
    ]
    .into_iter()
    .enumerate()
    {
        cabinets.insert(m, app.seed_cabinet(ws, m, name, i == 0, 0).await);
    }
    let svc = &app.h.app.svc;
    let mut tx = app.db.begin().await.expect("tx");
    let list: Vec<NewSku> = g
        .iter()
        .map(|g| NewSku {
            code: g.vendor_code.clone(),
            name: g.name.clone(),
            vendor_code: g.vendor_code.clone(),
            barcodes: vec![g.barcode.clone()],
            weight_g: None,
        })
        .collect();
    cat::create_skus(&mut tx, ws, &list, app.clock_now())
        .await
        .expect("skus");
    tx.commit().await.expect("commit");
    for c in cabinets.values() {
        svc.catalogue()
            .import_catalogue(*c)
            .await
            .expect("catalogue");
    }
    svc.catalogue().autolink(ws).await.expect("links");
    for c in cabinets.values() {
        svc.prices().read_prices(*c).await.expect("prices");
    }
    World { app, ws, cabinets }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The new price (roubles) each edited (SKU, column) gets.
type Edits = HashMap<(String, String), String>;

/// Rewrites the exported list with `edits` applied, through a spreadsheet library.
fn edit(bytes: &[u8], edits: &Edits, flags: &[&str]) -> Vec<u8> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("a sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let header = rows[0].clone();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    for (i, row) in rows.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let (r, c) = (i as u32, j as u16);
            let v = if i == 0 {
                v.clone()
            } else if header[j] == "Не загружать" && flags.contains(&row[0].as_str()) {
                "да".to_owned()
            } else {
                edits
                    .get(&(row[0].clone(), header[j].clone()))
                    .cloned()
                    .unwrap_or_else(|| v.clone())
            };
            // Numbers stay numbers, as Excel keeps them.
            match v.parse::<f64>() {
                Ok(f) if i > 0 => ws.write_number(r, c, f).map(|_| ()),
                _ => ws.write_string(r, c, &v).map(|_| ()),
            }
            .expect("cell");
        }
    }
    out.save_to_buffer().expect("xlsx")
}

fn document(events: &[Event]) -> Vec<u8> {
    events
        .iter()
        .find_map(|e| match e {
            Event::Message {
                document: Some(d), ..
            } => Some(d.bytes.clone()),
            _ => None,
        })
        .expect("a document")
}

/// Requests to a path among a sandbox's exchanges since `from`.
fn requests(ex: &[mpbot::sandbox::common::Exchange], path: &str) -> usize {
    ex.iter().filter(|e| e.path.contains(path)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_list_goes_out_and_comes_back_as_applied() {
    let World { app, ws, cabinets } = world().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let svc = &app.h.app.svc;
    let sb = &app.sandboxes;

    // 1. The price list, through the bot.
    let events = app.send(&anna, "/prices").await;
    let file = document(&events);
    let exported = mpbot::render::sheets::read_table(&file).expect("a table");
    assert_eq!(
        exported[0].cells[..5],
        [
            "Артикул",
            "Наименование",
            "Себестоимость",
            "Мин. цена",
            "Не загружать"
        ]
        .map(String::from)
    );
    assert!(exported[0].cells.contains(&"ВБ · Цена".to_owned()));

    // 2. 100 prices edited: 34 on Ozon, 33 on WB (one cut to a quarter: WB's quarantine
    // refuses it), 33 on YM; a SKU marked "do not upload" with a price edited; a price
    // that is no number.
    let mut edits: Edits = HashMap::new();
    let mut want: HashMap<(Marketplace, String), i64> = HashMap::new();
    for i in 1..=100usize {
        let code = format!("PR-{i:04}");
        let (m, col) = match i {
            1..=34 => (Marketplace::Ozon, "Озон · Цена"),
            35..=67 => (Marketplace::Wildberries, "ВБ · Цена"),
            _ => (Marketplace::YandexMarket, "Маркет · Цена"),
        };
        let rub = if i == 50 { 250 } else { 1000 + i as i64 };
        edits.insert((code.clone(), col.to_owned()), rub.to_string());
        want.insert((m, code), rub * 100);
    }
    edits.insert(("PR-0101".into(), "Озон · Цена".into()), "1500".into());
    edits.insert(("PR-0102".into(), "Маркет · Цена".into()), "дорого".into());
    let edited = edit(&file, &edits, &["PR-0101"]);

    // 3. Sent back: the preview counts what changes.
    app.h
        .double
        .send_document(&anna, &SimChat::Private, "цены.xlsx", edited);
    let events = app.settle().await;
    let preview = texts(&events).join("\n");
    let counts = render(
        Lang::Ru,
        &msg("upload-prices-preview")
            .arg("name", "цены.xlsx")
            .arg("rows", GOODS as i64)
            .arg("changes", 100i64)
            // Every other price of the 120 SKUs on 3 cabinets, but the skipped and refused.
            .arg("unchanged", (GOODS * 3 - 100 - 3 - 1) as i64)
            .arg("rejected", 1i64),
    );
    assert!(preview.contains(&counts), "{preview}");
    assert!(
        preview.contains("PR-0050"),
        "the largest jump first: {preview}"
    );
    assert!(
        preview.contains("PR-0101"),
        "the skipped SKU listed: {preview}"
    );
    assert!(
        preview.contains("«Маркет · Цена»"),
        "the refused cell named: {preview}"
    );

    // 4. Apply: the 75% cut asks once more, then every change is queued once.
    let events = app.press(&anna, 1).await;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::CallbackAnswer { text: Some(t), .. } if t.contains("75"))),
        "{events:?}"
    );
    app.press(&anna, 1).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM price_changes").await, 100);
    let before: HashMap<Marketplace, usize> = [
        (Marketplace::Ozon, sb.ozon.recorder().exchanges().len()),
        (Marketplace::Wildberries, sb.wb.recorder().exchanges().len()),
        (
            Marketplace::YandexMarket,
            sb.ym.recorder().exchanges().len(),
        ),
    ]
    .into();
    app.pass().await;
    let events = app.settle().await;

    // The sandboxes hold exactly the new prices (the discounts kept), in one request each.
    for ((m, code), kopecks) in &want {
        let after = match m {
            Marketplace::Ozon => sb.ozon.price(code).map(|p| p.0),
            Marketplace::Wildberries => {
                let nm = cat::products_of(&app.db, cabinets[m])
                    .await
                    .expect("products")
                    .into_iter()
                    .find(|p| &p.vendor_code == code)
                    .map(|p| p.external_id.parse::<i64>().expect("nm"))
                    .expect("the card");
                sb.wb.price(nm).map(|(rub, d)| rub * (100 - d))
            }
            Marketplace::YandexMarket => sb.ym.price(code).map(|p| (p.0 * 100.0).round() as i64),
        };
        if code == "PR-0050" {
            assert_eq!(after, Some(100_000), "WB kept the price it quarantined");
        } else {
            assert_eq!(after, Some(*kopecks), "{m:?} {code}");
        }
    }
    assert_eq!(
        sb.ozon.price("PR-0101").map(|p| p.0),
        Some(100_000),
        "not uploaded"
    );
    let ozon = &sb.ozon.recorder().exchanges()[before[&Marketplace::Ozon]..];
    let wb = &sb.wb.recorder().exchanges()[before[&Marketplace::Wildberries]..];
    let ym = &sb.ym.recorder().exchanges()[before[&Marketplace::YandexMarket]..];
    assert_eq!(requests(ozon, "/v1/product/import/prices"), 1);
    assert_eq!(requests(wb, "/api/v2/upload/task"), 1);
    assert_eq!(requests(ym, "/offer-prices/updates"), 1);

    // 5. The read-back report, per cabinet.
    let reports = texts(&events).join("\n");
    for (cabinet, applied, rejected) in [("Озон", 34i64, 0i64), ("ВБ", 32, 1), ("Маркет", 33, 0)]
    {
        let line = render(
            Lang::Ru,
            &msg("alert-prices")
                .arg("cabinet", cabinet)
                .arg("applied", applied)
                .arg("rejected", rejected)
                .arg("pending", 0i64),
        );
        assert!(reports.contains(&line), "{line} in {reports}");
    }
    assert!(
        reports.contains("PR-0050: ") && reports.contains("quarantine"),
        "{reports}"
    );
    let states = mpbot::storage::price_changes::all(&app.db, ws)
        .await
        .expect("changes");
    assert_eq!(
        states
            .iter()
            .filter(|c| c.state == mpbot::storage::price_changes::State::Applied)
            .count(),
        99
    );
    // The card tells the history.
    let sku = cat::find_sku(&app.db, ws, "PR-0001")
        .await
        .expect("find")
        .expect("sku");
    let card = svc
        .prices()
        .prices_of(owner(ws), sku.id)
        .await
        .expect("card");
    assert_eq!(card.history.len(), 1);
    assert_eq!(card.history[0].applied_price, Some(Money(100_100)));
    app.finish().await;
}

/// Anna, the owner.
fn owner(ws: WorkspaceId) -> Actor {
    Actor {
        user: TgUserId(1001),
        workspace: ws,
        role: Role::Owner,
    }
}

/// Confirms a new price for a SKU on one cabinet, as the chat would; how many cabinets the
/// preview planned.
async fn confirm(
    app: &TestApp,
    ws: WorkspaceId,
    code: &str,
    cabinet: CabinetId,
    kopecks: i64,
) -> usize {
    let svc = &app.h.app.svc;
    let sku = cat::find_sku(&app.db, ws, code)
        .await
        .expect("find")
        .expect("sku");
    let target =
        mpbot::app::prices::Target::Price(mpbot::domain::price::Input::Set(Money(kopecks)));
    let p = svc
        .prices()
        .preview_price(owner(ws), sku.id, &[cabinet], target)
        .await
        .expect("preview");
    svc.uploads()
        .apply_upload(owner(ws), p.id, mpbot::domain::TgChatId(1001), false)
        .await
        .expect("apply");
    p.lines.len()
}

async fn in_state(app: &TestApp, state: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM price_changes WHERE state = '{state}'"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_cut_short_resumes_after_a_restart_and_ozon_hourly_limit_holds() {
    let World { app, ws, cabinets } = world().await;
    // Anna has talked to the bot, so it may write to her.
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let card = texts(&app.send(&anna, "/price PR-0001").await).join("\n");
    assert!(card.contains("Озон · PR-0001"), "{card}");
    let ozon = cabinets[&Marketplace::Ozon];
    // Ozon answers 503 for a while: the push fails and stays queued.
    app.sandboxes.ozon.recorder().faults().fail_next = std::iter::repeat_n(503, 40).collect();
    assert_eq!(confirm(&app, ws, "PR-0001", ozon, 100_500).await, 1);
    app.pass().await;
    assert_eq!(in_state(&app, "queued").await, 1);
    app.sandboxes.ozon.recorder().faults().fail_next.clear();
    let app = app.restart().await;
    app.pass().await;
    app.settle().await;
    assert_eq!(
        app.sandboxes.ozon.price("PR-0001").map(|p| p.0),
        Some(100_500)
    );
    assert_eq!(in_state(&app, "applied").await, 1);

    // Eleven more changes within the hour: ten go, the eleventh waits for its hour and
    // goes then, nothing lost.
    for k in 1..=11 {
        confirm(&app, ws, "PR-0001", ozon, 100_500 + k * 100).await;
        app.pass().await;
    }
    let events = app.settle().await;
    let waiting = texts(&events).join("\n");
    assert!(waiting.contains("ждут лимита Ozon"), "{waiting}");
    // The tenth waited, and the eleventh replaced it before its hour came.
    assert_eq!(in_state(&app, "queued").await, 1);
    assert_eq!(in_state(&app, "superseded").await, 1);
    assert_eq!(
        app.sandboxes.ozon.price("PR-0001").map(|p| p.0),
        Some(101_400)
    );
    // Another product confirmed meanwhile goes at once, not at the held one's hour.
    confirm(&app, ws, "PR-0002", ozon, 100_900).await;
    app.pass().await;
    app.settle().await;
    assert_eq!(
        app.sandboxes.ozon.price("PR-0002").map(|p| p.0),
        Some(100_900)
    );
    assert_eq!(in_state(&app, "queued").await, 1);
    app.clock.advance(chrono::Duration::minutes(61));
    app.pass().await;
    app.settle().await;
    assert_eq!(
        app.sandboxes.ozon.price("PR-0001").map(|p| p.0),
        Some(101_600)
    );
    assert_eq!(in_state(&app, "queued").await, 0);
    app.finish().await;
}

/// A seller keeps a SKU per size; WB keeps one price per card. A price list asking two
/// prices for the sizes of one card refuses the later row and names the row it clashes
/// with; a size left as it was claims nothing; what is accepted goes out as the card's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sizes_of_one_wb_card_share_one_price() {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let svc = &app.h.app.svc;
    let wb = app
        .seed_cabinet(ws, Marketplace::Wildberries, "ВБ", true, 0)
        .await;
    svc.catalogue()
        .import_catalogue(wb)
        .await
        .expect("catalogue");
    let products = cat::products_of(&app.db, wb).await.expect("products");
    let card = products
        .iter()
        .map(|p| &p.external_id)
        .find(|id| products.iter().filter(|p| &p.external_id == *id).count() >= 3)
        .expect("a card of three sizes or more in the seeded sandbox")
        .clone();
    let sizes: Vec<_> = products.iter().filter(|p| p.external_id == card).collect();
    let list: Vec<NewSku> = sizes
        .iter()
        .enumerate()
        .map(|(i, p)| NewSku {
            code: format!("TS-{}", i + 1),
            name: p.name.clone(),
            vendor_code: format!("TS-{}", i + 1),
            barcodes: p.barcodes.clone(),
            weight_g: None,
        })
        .collect();
    let mut tx = app.db.begin().await.expect("tx");
    cat::create_skus(&mut tx, ws, &list, app.clock_now())
        .await
        .expect("skus");
    tx.commit().await.expect("commit");
    svc.catalogue().autolink(ws).await.expect("links");
    svc.prices().read_prices(wb).await.expect("prices");
    let now = mpbot::storage::prices::of_workspace(&app.db, ws)
        .await
        .expect("prices")[&sizes[0].id]
        .after_discount
        .0;
    let shown = now / 100;

    // The first size as it is (the list names every size's price), the second 10% up, the
    // third 15% up: it asks another price for the card the second changed.
    assert_eq!(sizes.len(), 3, "the sandbox's cards have sizes S, M, L");
    // The first size named by its barcode, as /price finds a SKU too.
    let csv = format!(
        "Артикул;ВБ · Цена\n{};{},{:02}\nTS-2;{}\nTS-3;{}\n",
        sizes[0].barcodes[0],
        now / 100,
        now % 100,
        shown * 110 / 100,
        shown * 115 / 100
    );
    app.h
        .double
        .send_document(&anna, &SimChat::Private, "цены.csv", csv.into_bytes());
    let preview = texts(&app.settle().await).join("\n");
    let counts = render(
        Lang::Ru,
        &msg("upload-prices-preview")
            .arg("name", "цены.csv")
            .arg("rows", 3i64)
            .arg("changes", 1i64)
            .arg("unchanged", 1i64)
            .arg("rejected", 1i64),
    );
    assert!(preview.contains(&counts), "{preview}");
    let clash = render(Lang::Ru, &msg("price-same-card").arg("row", 3i64));
    assert!(preview.contains(&clash), "{clash} in {preview}");

    // Confirmed and pushed: one price for the card, in one upload.
    app.press(&anna, 1).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM price_changes").await, 1);
    let before = app.sandboxes.wb.recorder().exchanges().len();
    app.pass().await;
    app.settle().await;
    let uploads = &app.sandboxes.wb.recorder().exchanges()[before..];
    assert_eq!(requests(uploads, "/api/v2/upload/task"), 1);
    assert_eq!(in_state(&app, "applied").await, 1);
    let nm: i64 = card.parse().expect("nmID");
    let (rub, discount) = app.sandboxes.wb.price(nm).expect("the card");
    let after = rub * (100 - discount);
    let asked = shown * 110;
    assert!(
        (after - asked).abs() <= 100,
        "the card shows {after} kopecks after its discount, {asked} asked"
    );
    app.finish().await;
}

/// A check confirmed after a later one, or after the marketplace's price moved, would undo
/// what came since without a word: it is closed and sends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_check_never_undoes_a_newer_price() {
    use mpbot::app::uploads::Applied;
    let World { app, ws, cabinets } = world().await;
    let svc = &app.h.app.svc;
    let ozon = cabinets[&Marketplace::Ozon];
    let sku = cat::find_sku(&app.db, ws, "PR-0001")
        .await
        .expect("find")
        .expect("sku");
    let chat = mpbot::domain::TgChatId(1001);
    let at = |rub: i64| {
        mpbot::app::prices::Target::Price(mpbot::domain::price::Input::Set(Money(rub * 100)))
    };
    let first = svc
        .prices()
        .preview_price(owner(ws), sku.id, &[ozon], at(1100))
        .await
        .expect("first check");
    let second = svc
        .prices()
        .preview_price(owner(ws), sku.id, &[ozon], at(1050))
        .await
        .expect("second check");
    let applied = svc
        .uploads()
        .apply_upload(owner(ws), second.id, chat, false)
        .await;
    assert!(matches!(applied, Ok(Applied::Queued(1))), "{applied:?}");
    let applied = svc
        .uploads()
        .apply_upload(owner(ws), first.id, chat, false)
        .await;
    assert!(matches!(applied, Ok(Applied::Stale)), "{applied:?}");
    let again = svc
        .uploads()
        .apply_upload(owner(ws), first.id, chat, true)
        .await;
    assert!(matches!(again, Ok(Applied::Already)), "{again:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM price_changes").await, 1);

    // A check made while the confirmed price is on its way starts from it (1 050 → 1 020)
    // and still holds once the marketplace shows it.
    let third = svc
        .prices()
        .preview_price(owner(ws), sku.id, &[ozon], at(1020))
        .await
        .expect("third check");
    assert_eq!(third.lines[0].old_after, Some(105_000));
    app.pass().await;
    app.settle().await;
    assert_eq!(
        app.sandboxes.ozon.price("PR-0001").map(|p| p.0),
        Some(105_000)
    );
    // A check made now, overtaken by the third before it is confirmed, sends nothing.
    let fourth = svc
        .prices()
        .preview_price(owner(ws), sku.id, &[ozon], at(990))
        .await
        .expect("fourth check");
    let applied = svc
        .uploads()
        .apply_upload(owner(ws), third.id, chat, false)
        .await;
    assert!(matches!(applied, Ok(Applied::Queued(1))), "{applied:?}");
    let applied = svc
        .uploads()
        .apply_upload(owner(ws), fourth.id, chat, false)
        .await;
    assert!(matches!(applied, Ok(Applied::Stale)), "{applied:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM price_changes").await, 2);
    app.pass().await;
    app.settle().await;
    assert_eq!(
        app.sandboxes.ozon.price("PR-0001").map(|p| p.0),
        Some(102_000)
    );
    app.finish().await;
}

/// A price list exported while a confirmed price is on its way shows that price, marked,
/// and sent back unchanged changes nothing, before the push and after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_list_sent_back_unchanged_never_undoes_a_confirmed_price() {
    let World { app, ws, cabinets } = world().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let ozon = cabinets[&Marketplace::Ozon];
    confirm(&app, ws, "PR-0001", ozon, 110_000).await;
    let file = document(&app.send(&anna, "/prices").await);
    let rows = mpbot::render::sheets::read_table(&file).expect("a table");
    let header = &rows[0].cells;
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r.cells.first().map(String::as_str) == Some("PR-0001"))
        .expect("the SKU's row");
    assert_eq!(row.cells[col("Озон · Цена")], "1100", "the confirmed price");
    assert_eq!(row.cells[col("Подтверждено, ещё в пути на")], "Озон");
    let preview_of = |events: Vec<Event>| crate::harness::texts(&events).join("\n");
    for when in ["before the push", "after it"] {
        app.h
            .double
            .send_document(&anna, &SimChat::Private, "цены.xlsx", file.clone());
        let said = preview_of(app.settle().await);
        assert!(said.contains("Изменений цен: 0"), "{when}: {said}");
        app.pass().await;
        app.settle().await;
    }
    assert_eq!(
        app.sandboxes.ozon.price("PR-0001").map(|p| p.0),
        Some(110_000)
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM price_changes").await, 1);
    app.finish().await;
}

/// WB keeps the price before discount in whole roubles: a price it cannot hold exactly is
/// previewed as what it will hold, with why, before anyone applies it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wb_price_it_cannot_hold_is_said_before_apply() {
    let World { app, ws, cabinets } = world().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    let wb = cabinets[&Marketplace::Wildberries];
    let file = document(&app.send(&anna, "/prices").await);
    let mut edits: Edits = HashMap::new();
    edits.insert(("PR-0005".into(), "ВБ · Цена".into()), "1 299,50".into());
    app.h.double.send_document(
        &anna,
        &SimChat::Private,
        "цены.xlsx",
        edit(&file, &edits, &[]),
    );
    let preview = texts(&app.settle().await).join("\n");
    assert!(
        preview.contains(&render(
            Lang::Ru,
            &msg("upload-prices-rounded").arg("count", 1i64)
        )),
        "{preview}"
    );
    // What the chat shows for one SKU: the price asked and the one WB will hold.
    let sku = cat::find_sku(&app.db, ws, "PR-0005")
        .await
        .expect("find")
        .expect("sku");
    let target =
        mpbot::app::prices::Target::Price(mpbot::domain::price::Input::Set(Money(129_950)));
    let p = app
        .h
        .app
        .svc
        .prices()
        .preview_price(owner(ws), sku.id, &[wb], target)
        .await
        .expect("preview");
    let line = &p.lines[0];
    assert_eq!(line.asked, Some(129_950));
    assert_ne!(line.new_after, 129_950);
    assert_eq!(
        line.new_before % 100,
        0,
        "whole roubles before the discount"
    );
    app.finish().await;
}

/// One confirmed change of a SKU's price on three cabinets is one message to the chat
/// that confirmed it and one to the group that follows prices, not one per cabinet each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_confirmed_on_several_cabinets_is_one_message_per_chat() {
    const GROUP: i64 = -100_900;
    let World { app, ws, .. } = world().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.send(&anna, "/start").await;
    app.h.double.add_bot_to_group(&anna, GROUP, "Менеджеры");
    app.settle().await;
    mpbot::storage::groups::toggle_event(
        &app.db,
        mpbot::domain::TgChatId(GROUP),
        mpbot::domain::EventKind::PriceChanged,
    )
    .await
    .expect("subscribed");
    let sku = cat::find_sku(&app.db, ws, "PR-0007")
        .await
        .expect("find")
        .expect("sku");
    let target =
        mpbot::app::prices::Target::Price(mpbot::domain::price::Input::Set(Money(123_400)));
    let p = app
        .h
        .app
        .svc
        .prices()
        .preview_price(owner(ws), sku.id, &[], target)
        .await
        .expect("preview");
    assert_eq!(p.lines.len(), 3, "sold on three cabinets");
    app.h
        .app
        .svc
        .uploads()
        .apply_upload(owner(ws), p.id, mpbot::domain::TgChatId(1001), true)
        .await
        .expect("confirmed");
    app.settle().await;
    let mut private = 0;
    let mut group = 0;
    for _ in 0..4 {
        app.pass().await;
        for e in app.settle().await {
            if let Event::Message { chat_id, .. } = e {
                match chat_id {
                    1001 => private += 1,
                    GROUP => group += 1,
                    _ => {}
                }
            }
        }
    }
    assert_eq!(private, 1, "one message to the chat that confirmed");
    assert_eq!(group, 1, "one message to the group that follows prices");
    app.finish().await;
}
