//! Labels and lists end to end, through the Telegram double and the sandboxes: labels for
//! orders from the three marketplaces arrive as one PDF with each sandbox's own label on
//! its page, in the order asked; a batch where one marketplace fails still brings the
//! rest; a pick list carries the Cyrillic names and barcodes a scanner reads back; an
//! order that becomes packed has its label pushed to the warehouse group, where the first
//! to press "I take it" is named and a second is told who has it.

use lopdf::{Document, Object};
use mpbot::domain::order::{Action, UnifiedStatus};
use mpbot::domain::{EventKind, Lang, Marketplace, OrderId, Role, TgChatId};
use mpbot::i18n::msg;
use mpbot::sandbox::telegram::Event;

use crate::harness::{TestApp, render};

const GROUP: i64 = -100_700;

async fn company() -> (TestApp, mpbot::domain::WorkspaceId) {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace(
            "Acme",
            &[
                (1001, "Anna", Role::Owner),
                (2002, "Olga", Role::Warehouse),
                (2003, "Ivan", Role::Warehouse),
                (3003, "Vera", Role::Viewer),
            ],
            Lang::Ru,
        )
        .await;
    for m in Marketplace::ALL {
        app.seed_cabinet(ws, m, &format!("{m:?}"), true, 0).await;
    }
    app.pass().await;
    app.settle().await;
    (app, ws)
}

fn actor(ws: mpbot::domain::WorkspaceId, user: i64, role: Role) -> mpbot::app::Actor {
    mpbot::app::Actor {
        user: mpbot::domain::TgUserId(user),
        workspace: ws,
        role,
    }
}

/// Our id of the order a sandbox placed.
async fn order_id(app: &TestApp, number: &str) -> OrderId {
    OrderId(
        app.count(&format!(
            "SELECT id FROM orders WHERE external_id = '{number}' OR number = '{number}'"
        ))
        .await,
    )
}

/// Takes an order through its first steps until it is packed.
async fn pack(app: &TestApp, ws: mpbot::domain::WorkspaceId, id: OrderId) {
    let anna = actor(ws, 1001, Role::Owner);
    for _ in 0..3 {
        let card = app
            .h
            .app
            .svc
            .orders()
            .order_card(anna, id)
            .await
            .expect("card");
        if card.order.unified == UnifiedStatus::Packed {
            return;
        }
        let step = [Action::Confirm, Action::Assemble]
            .into_iter()
            .find(|a| card.actions.contains(a))
            .unwrap_or_else(|| panic!("no step for {:?}", card.order.unified));
        app.h
            .app
            .svc
            .orders()
            .request_action(anna, id, card.order.version, step, None)
            .await
            .expect("the step");
    }
}

fn documents(events: &[Event], chat: i64) -> Vec<(String, Vec<u8>, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Message {
                chat_id,
                document: Some(d),
                text,
                ..
            } if *chat_id == chat => Some((d.name.clone(), d.bytes.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

fn page_text(doc: &Document, page: u32) -> String {
    doc.extract_text(&[page]).unwrap_or_default()
}

/// The pixels of the one picture on a page.
fn page_picture(doc: &Document, page: lopdf::ObjectId) -> Vec<u8> {
    let dict = doc.get_dictionary(page).expect("page");
    let resources = match dict.get(b"Resources").expect("resources") {
        Object::Reference(r) => doc.get_dictionary(*r).expect("resources"),
        Object::Dictionary(d) => d,
        other => panic!("resources {other:?}"),
    };
    let xobjects = resources
        .get(b"XObject")
        .and_then(Object::as_dict)
        .expect("pictures");
    let (_, image) = xobjects.iter().next().expect("one picture");
    let stream = doc
        .get_object(image.as_reference().expect("ref"))
        .and_then(Object::as_stream)
        .expect("stream");
    stream.decompressed_content().expect("pixels")
}

#[tokio::test]
async fn labels_from_three_marketplaces_arrive_as_one_pdf_page_by_page() {
    let (app, ws) = company().await;
    let posting = app.sandboxes.ozon.place_order();
    let wb = app.sandboxes.wb.place_order();
    let ym = app.sandboxes.ym.place_order();
    app.pass().await;
    let ids = [
        order_id(&app, &posting).await,
        order_id(&app, &wb.to_string()).await,
        order_id(&app, &ym.to_string()).await,
    ];
    for id in ids {
        pack(&app, ws, id).await;
    }
    // Ozon makes labels 45 s and more after assembly.
    app.pass().await;
    app.settle().await;
    let olga = TestApp::user(2002, "Olga", Lang::Ru);
    let numbers: Vec<String> = {
        let mut v = Vec::new();
        for id in ids {
            let o = app
                .h
                .app
                .svc
                .orders()
                .order_card(actor(ws, 2002, Role::Warehouse), id)
                .await
                .expect("card")
                .order;
            v.push(o.number);
        }
        v
    };
    let asked = app
        .send(&olga, &format!("/labels {}", numbers.join(" ")))
        .await;
    let queued = render(Lang::Ru, &msg("labels-queued").arg("count", 3usize));
    assert!(crate::harness::texts(&asked).contains(&queued), "{asked:?}");
    app.pass().await;
    let events = app.settle().await;
    let files = documents(&events, olga.id);
    assert_eq!(files.len(), 1, "one file: {events:?}");
    let (name, bytes, _) = &files[0];
    let date = mpbot::domain::Zone::default().date(app.clock_now());
    assert_eq!(name, &format!("labels-all-{date}-1.pdf"));
    let doc = Document::load_mem(bytes).expect("a PDF");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 3, "a page per order");
    // Page 1 is Ozon's label of that posting, page 2 WB's sticker of that order as its
    // sandbox drew it, page 3 YM's label of that order.
    assert!(
        page_text(&doc, 1).contains(&posting),
        "{}",
        page_text(&doc, 1)
    );
    let sticker = mpbot::sandbox::common::barcode_png(&format!("*{wb}"));
    let (_, _, _, pixels) = mpbot::render::labels::decode_png(&sticker).expect("png");
    assert_eq!(page_picture(&doc, pages[&2]), pixels, "WB's own sticker");
    assert!(
        page_text(&doc, 3).contains(&format!("order {ym}")),
        "{}",
        page_text(&doc, 3)
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders WHERE unified = 'label'")
            .await,
        3,
        "the orders got their labels"
    );
    // Asked again, the labels come from what was kept: no second request to WB.
    let before = app.sandboxes.wb.recorder().exchanges().len();
    app.send(&olga, &format!("/labels {}", numbers[1])).await;
    app.pass().await;
    let again = documents(&app.settle().await, olga.id);
    assert_eq!(again.len(), 1);
    let stickers = app.sandboxes.wb.recorder().exchanges()[before..]
        .iter()
        .filter(|e| e.path.ends_with("/stickers"))
        .count();
    assert_eq!(stickers, 0, "kept labels are not asked for again");
    app.finish().await;
}

#[tokio::test]
async fn a_batch_where_one_marketplace_fails_brings_the_rest() {
    let (app, ws) = company().await;
    let posting = app.sandboxes.ozon.place_order();
    let wb = app.sandboxes.wb.place_order();
    app.pass().await;
    let ozon_id = order_id(&app, &posting).await;
    let wb_id = order_id(&app, &wb.to_string()).await;
    pack(&app, ws, ozon_id).await;
    pack(&app, ws, wb_id).await;
    app.pass().await;
    app.settle().await;
    app.sandboxes.wb.recorder().faults().revoked = true;
    let olga = TestApp::user(2002, "Olga", Lang::En);
    app.send(&olga, "/start").await;
    let queued = app
        .h
        .app
        .svc
        .labels()
        .request_labels(
            actor(ws, 2002, Role::Warehouse),
            TgChatId(olga.id),
            mpbot::app::labels::Selection::Orders(vec![wb_id, ozon_id]),
        )
        .await
        .expect("queued");
    assert_eq!(
        queued,
        mpbot::app::labels::LabelsQueued::Queued { orders: 2 }
    );
    app.pass().await;
    let events = app.settle().await;
    let files = documents(&events, olga.id);
    let job = app
        .db
        .scalar_text(
            "SELECT state || ' ' || COALESCE(last_error, '') FROM jobs WHERE kind = 'labels'",
        )
        .await
        .expect("job");
    assert_eq!(files.len(), 1, "{job:?} {events:?}");
    let doc = Document::load_mem(&files[0].1).expect("pdf");
    assert_eq!(doc.get_pages().len(), 1, "Ozon's label is there");
    assert!(page_text(&doc, 1).contains(&posting));
    let text = crate::harness::texts(&events).join("\n");
    assert!(
        text.contains(&wb.to_string()),
        "the WB order is named: {text}"
    );
    app.sandboxes.wb.recorder().faults().revoked = false;
    app.finish().await;
}

/// The text of a PDF as a reader would copy it: lopdf maps each glyph back to its
/// character through the font's ToUnicode table.
fn pdf_text(pdf: &[u8]) -> String {
    let doc = Document::load_mem(pdf).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("its text");
    // lopdf puts a space after every text run; read words as a person would.
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a scanner reads off the printed pages: each page rendered at 300 dpi by hayro,
/// then scanned for barcodes by rxing.
fn pdf_barcodes(pdf: &[u8]) -> Vec<String> {
    use hayro::hayro_interpret::InterpreterSettings;
    let pdf = hayro::hayro_syntax::Pdf::new(pdf.to_vec()).expect("hayro reads the PDF");
    let cache = hayro::RenderCache::new();
    let scale = 300.0 / 72.0;
    let mut found = Vec::new();
    for page in pdf.pages().iter() {
        let pixmap = hayro::render(
            page,
            &cache,
            &InterpreterSettings::default(),
            &hayro::RenderSettings::default(),
            &hayro::PixmapSettings {
                x_scale: scale,
                y_scale: scale,
                bg_color: hayro::vello_cpu::color::palette::css::WHITE,
            },
        );
        let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
        let luma: Vec<u8> = pixmap
            .data_as_u8_slice()
            .chunks_exact(4)
            .map(|p| {
                let y = u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114;
                (y / 1000) as u8
            })
            .collect();
        if let Ok(results) = rxing::helpers::detect_multiple_in_luma(luma, width, height) {
            found.extend(results.iter().map(|r| r.getText().to_owned()));
        }
    }
    found
}

#[tokio::test]
async fn a_pick_list_reads_back_its_cyrillic_names_and_barcodes() {
    let (app, ws) = company().await;
    let wb = app.sandboxes.wb.place_order();
    let posting = app.sandboxes.ozon.place_order();
    app.pass().await;
    // WB's order waits for assembly once confirmed; Ozon's does from the start.
    let anna = actor(ws, 1001, Role::Owner);
    let wb_id = order_id(&app, &wb.to_string()).await;
    let card = app
        .h
        .app
        .svc
        .orders()
        .order_card(anna, wb_id)
        .await
        .expect("card");
    app.h
        .app
        .svc
        .orders()
        .request_action(anna, wb_id, card.order.version, Action::Confirm, None)
        .await
        .expect("confirmed");
    let ozon_id = order_id(&app, &posting).await;
    let orders: Vec<mpbot::domain::order::Order> = {
        let mut v = Vec::new();
        for id in [wb_id, ozon_id] {
            v.push(
                app.h
                    .app
                    .svc
                    .orders()
                    .order_card(anna, id)
                    .await
                    .expect("card")
                    .order,
            );
        }
        v
    };
    let olga = TestApp::user(2002, "Olga", Lang::Ru);
    app.send(&olga, "/labels").await;
    let pick = render(Lang::Ru, &msg("list-pick-button"));
    let (message, buttons) = app.h.double.latest_with_buttons(olga.id).expect("the desk");
    let index = buttons
        .iter()
        .flatten()
        .position(|b| b.label == pick)
        .expect("pick list button")
        + 1;
    app.h
        .double
        .press(&olga, olga.id, message, index)
        .expect("pressed");
    let events = app.settle().await;
    let files = documents(&events, olga.id);
    assert_eq!(files.len(), 1, "{events:?}");
    let (name, pdf, _) = &files[0];
    assert!(name.starts_with("pick-list-"), "{name}");
    assert!(pdf.len() < 200 * 1024, "{} bytes", pdf.len());
    let text = pdf_text(pdf);
    for o in &orders {
        for i in &o.items {
            let first_word = i.name.split_whitespace().next().unwrap_or_default();
            assert!(text.contains(first_word), "{first_word} in {text}");
        }
    }
    assert!(text.contains("Лист подбора"), "{text}");
    let decoded = pdf_barcodes(pdf);
    // The list read the barcodes the orders did not carry from the catalogues.
    let mut barcodes = Vec::new();
    for id in [wb_id, ozon_id] {
        let o = app
            .h
            .app
            .svc
            .orders()
            .order_card(anna, id)
            .await
            .expect("card")
            .order;
        barcodes.extend(o.items.iter().filter_map(|i| i.barcode.clone()));
    }
    assert!(
        barcodes.len() >= 2,
        "every item has its barcode: {barcodes:?}"
    );
    for b in &barcodes {
        assert!(
            decoded.contains(b),
            "{b} decoded from the page: {decoded:?}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn a_packed_order_pushes_its_label_to_the_warehouse_group_and_one_takes_it() {
    let (app, ws) = company().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.h.double.add_bot_to_group(&anna, GROUP, "Склад");
    app.settle().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::LabelReady)
        .await
        .expect("subscribed");
    let ym = app.sandboxes.ym.place_order();
    app.pass().await;
    let id = order_id(&app, &ym.to_string()).await;
    pack(&app, ws, id).await;
    app.pass().await;
    let events = app.settle().await;
    let pushed = documents(&events, GROUP);
    assert_eq!(pushed.len(), 1, "the label went to the group: {events:?}");
    assert!(pushed[0].2.contains(&ym.to_string()), "{}", pushed[0].2);
    app.pass().await;
    assert!(documents(&app.settle().await, GROUP).is_empty(), "once");
    let (message, buttons) = app.h.double.latest_with_buttons(GROUP).expect("buttons");
    let take = render(Lang::Ru, &msg("claim-take-button"));
    let index = buttons
        .iter()
        .flatten()
        .position(|b| b.label == take)
        .expect("I take it")
        + 1;
    let olga = TestApp::user(2002, "Olga", Lang::Ru);
    let ivan = TestApp::user(2003, "Ivan", Lang::Ru);
    app.h
        .double
        .press(&olga, GROUP, message, index)
        .expect("olga");
    let took = app.settle().await;
    let caption = app.h.double.message(GROUP, message).expect("message")["caption"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let line = render(Lang::Ru, &msg("claim-line").arg("name", "Olga"));
    assert!(caption.contains(&line), "{caption} {took:?}");
    app.h
        .double
        .press(&ivan, GROUP, message, index)
        .expect("ivan");
    let answered = app.settle().await;
    let theirs = render(Lang::Ru, &msg("claim-theirs").arg("name", "Olga"));
    assert!(
        answered.iter().any(|e| matches!(e, Event::CallbackAnswer { text: Some(t), show_alert: true, .. } if *t == theirs)),
        "{answered:?}"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_wb_supply_is_made_filled_labelled_with_its_qr_and_handed_over_once() {
    let (app, ws) = company().await;
    let first = app.sandboxes.wb.place_order();
    let second = app.sandboxes.wb.place_order();
    app.pass().await;
    let olga = actor(ws, 2002, Role::Warehouse);
    let svc = &app.h.app.svc;
    let wb_cabinet = {
        let id = order_id(&app, &first.to_string()).await;
        svc.orders()
            .order_card(olga, id)
            .await
            .expect("card")
            .order
            .cabinet
    };
    // Two presses within the minute make one supply.
    let supply = svc
        .supplies()
        .create_supply(olga, wb_cabinet)
        .await
        .expect("created");
    let again = svc
        .supplies()
        .create_supply(olga, wb_cabinet)
        .await
        .expect("same");
    assert_eq!(supply, again);
    let ids = [
        order_id(&app, &first.to_string()).await,
        order_id(&app, &second.to_string()).await,
    ];
    assert_eq!(
        svc.supplies()
            .add_to_supply(olga, wb_cabinet, &supply, &ids)
            .await
            .expect("added"),
        2
    );
    // A second tap adds nothing: the orders are on assembly already.
    assert_eq!(
        svc.supplies()
            .add_to_supply(olga, wb_cabinet, &supply, &ids)
            .await
            .expect("again"),
        0
    );
    for n in [first, second] {
        let (status, _, in_supply) = app.sandboxes.wb.order_status(n).expect("order");
        assert_eq!(status, "confirm");
        assert_eq!(in_supply.as_deref(), Some(supply.as_str()));
    }
    let view = svc
        .supplies()
        .supply(olga, wb_cabinet, &supply)
        .await
        .expect("view");
    assert_eq!(view.orders.len(), 2);
    // Handed over once; a second press changes nothing.
    svc.supplies()
        .deliver_supply(olga, wb_cabinet, &supply)
        .await
        .expect("handed over");
    svc.supplies()
        .deliver_supply(olga, wb_cabinet, &supply)
        .await
        .expect("again");
    let delivers = app
        .sandboxes
        .wb
        .recorder()
        .exchanges()
        .iter()
        .filter(|e| e.path.ends_with("/deliver") && e.status < 300)
        .count();
    assert_eq!(delivers, 1);
    // The courier's file: the supply's labels and then its QR code, as one PDF.
    let olga_chat = TestApp::user(2002, "Olga", Lang::Ru);
    app.send(&olga_chat, "/start").await;
    svc.supplies()
        .supply_labels(olga, TgChatId(olga_chat.id), wb_cabinet, &supply)
        .await
        .expect("queued");
    app.pass().await;
    let files = documents(&app.settle().await, olga_chat.id);
    assert_eq!(files.len(), 1);
    let doc = Document::load_mem(&files[0].1).expect("pdf");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 3, "two labels, then the QR code");
    let qr = mpbot::sandbox::common::barcode_png(&supply);
    let (_, _, _, pixels) = mpbot::render::labels::decode_png(&qr).expect("png");
    assert_eq!(
        page_picture(&doc, pages[&3]),
        pixels,
        "the supply's QR code last"
    );
    let (status, _, _) = app.sandboxes.wb.order_status(first).expect("order");
    assert_eq!(status, "complete");
    let shipped = app
        .count(&format!(
            "SELECT COUNT(*) FROM orders WHERE unified = 'shipped' AND id IN ({}, {})",
            ids[0], ids[1]
        ))
        .await;
    assert_eq!(shipped, 2, "the import read the handover back");
    app.finish().await;
}

/// A label asked for right after assembly, before Ozon has made it: the batch waits and
/// asks again, and the file comes to the chat that asked; nothing says it failed.
#[tokio::test]
async fn a_label_asked_before_ozon_made_it_comes_to_the_chat_that_asked() {
    let (app, ws) = company().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.send(&anna, "/start").await;
    let posting = app.sandboxes.ozon.place_order();
    app.pass().await;
    let id = order_id(&app, &posting).await;
    pack(&app, ws, id).await;
    // The steps go to Ozon now, without a minute passing.
    app.h.app.svc.jobs().make_jobs_due().await.expect("due");
    app.h.app.run_scheduler_once().await.expect("a pass");
    app.settle().await;
    assert_eq!(
        app.sandboxes.ozon.posting_status(&posting).as_deref(),
        Some("awaiting_deliver")
    );
    // Asked at once: Ozon answers that the posting's label is not ready.
    let owner = actor(ws, 1001, Role::Owner);
    app.h
        .app
        .svc
        .labels()
        .request_labels(
            owner,
            TgChatId(1001),
            mpbot::app::labels::Selection::Orders(vec![id]),
        )
        .await
        .expect("queued");
    app.h.app.svc.jobs().make_jobs_due().await.expect("due");
    app.h.app.run_scheduler_once().await.expect("a pass");
    let events = app.settle().await;
    let none = render(Lang::Ru, &msg("labels-none"));
    assert!(
        crate::harness::texts(&events)
            .iter()
            .all(|t| !t.contains(&none)),
        "{events:?}"
    );
    assert!(documents(&events, 1001).is_empty());
    // A minute on, the label is there and comes to the chat that asked.
    app.pass().await;
    let events = app.settle().await;
    let files = documents(&events, 1001);
    assert_eq!(files.len(), 1, "{events:?}");
    assert!(files[0].1.starts_with(b"%PDF"));
    app.finish().await;
}

/// Who holds an order follows the work: a hold passes to whoever packs it, and ends once
/// the order has left (shipped); a list never shows a hold on a shipped order.
#[tokio::test]
async fn a_hold_follows_the_work_and_ends_when_the_order_leaves() {
    let (app, ws) = company().await;
    let ym = app.sandboxes.ym.place_order();
    app.pass().await;
    let id = order_id(&app, &ym.to_string()).await;
    let svc = &app.h.app.svc;
    let olga = actor(ws, 2002, Role::Warehouse);
    let ivan = actor(ws, 2003, Role::Warehouse);
    let anna = actor(ws, 1001, Role::Owner);
    let held = svc.orders().claim_order(olga, id).await.expect("taken");
    assert!(held.mine && held.taken_now);
    pack(&app, ws, id).await;
    // Packed by Anna's steps: the hold is Anna's now, not Olga's any more.
    let card = svc.orders().order_card(ivan, id).await.expect("card");
    assert_eq!(card.holder.as_ref().map(|h| h.0.as_str()), Some("Anna"));
    let step = svc
        .orders()
        .request_action(anna, id, card.order.version, Action::Ship, None)
        .await
        .expect("shipped");
    assert!(
        matches!(step, mpbot::app::order_actions::Requested::Done(_)),
        "{step:?}"
    );
    let card = svc.orders().order_card(olga, id).await.expect("card");
    assert_eq!(card.holder, None, "nobody holds a shipped order");
    assert!(
        svc.orders()
            .holders(olga, &[id])
            .await
            .expect("holders")
            .is_empty()
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM claims").await, 0);
    app.finish().await;
}
