//! Hostile input from anyone who can write to the bot: spreadsheets made to be huge once
//! laid out (a sparse sheet, a ZIP bomb, an ODS repeat count) are refused within a memory
//! budget and the bot keeps answering; API path overrides made to send the keys elsewhere
//! are refused when typed and can never change where a request goes.

use std::io::Write;
use std::process::Command;

use mpbot::domain::Lang;
use mpbot::render::sheets::{Excess, ReadError, SheetOut, Value, read_table, write_xlsx};
use mpbot::sandbox::telegram::SimChat;

use crate::harness::{TestApp, render, texts};

/// A real XLSX (as rust_xlsxwriter writes it) whose first sheet is replaced by `sheet`,
/// written in `chunks` (so a sheet of gigabytes never sits in memory).
fn xlsx_with_sheet(sheet: &mut dyn FnMut(&mut dyn Write)) -> Vec<u8> {
    let base = write_xlsx(&[SheetOut {
        name: "List".into(),
        header: vec!["SKU".into(), "Quantity".into()],
        rows: vec![vec![Value::Text("A-1".into()), Value::Number(1.0)]],
    }])
    .expect("writes");
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(base)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let file = src.by_index(i).expect("entry");
        let name = file.name().expect("name").to_string();
        if name == "xl/worksheets/sheet1.xml" {
            drop(file);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1))
                .large_file(true);
            out.start_file(name, options).expect("start");
            sheet(&mut out);
        } else {
            out.raw_copy_file(file).expect("copy");
        }
    }
    out.finish().expect("finish").into_inner()
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#;

/// The 1.6 KB file that stopped the bot: only A1 and `last` hold a value.
pub fn sparse_xlsx(last: &str) -> Vec<u8> {
    let row: String = last.chars().filter(char::is_ascii_digit).collect();
    xlsx_with_sheet(&mut |w| {
        write!(
            w,
            r#"{SHEET_HEAD}<dimension ref="A1:{last}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>SKU</t></is></c></row><row r="{row}"><c r="{last}"><v>1</v></c></row></sheetData></worksheet>"#
        )
        .expect("write");
    })
}

/// A ZIP of a few megabytes whose sheet inflates to `mb` megabytes of rows.
fn zip_bomb(mb: usize) -> Vec<u8> {
    xlsx_with_sheet(&mut |w| {
        write!(w, "{SHEET_HEAD}<sheetData>").expect("write");
        let row = r#"<row><c t="inlineStr"><is><t>0000000000000000000000000000000000000000000000000000000000000000</t></is></c></row>"#;
        let chunk = row.repeat(1024 * 1024 / row.len());
        for _ in 0..mb {
            w.write_all(chunk.as_bytes()).expect("write");
        }
        write!(w, "</sheetData></worksheet>").expect("write");
    })
}

/// An ODS of a few kilobytes whose repeat counts ask for `rows` rows of `cols` values.
pub fn ods_repeat(rows: u64, cols: u64) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="List"><table:table-row><table:table-cell office:value-type="string"><text:p>SKU</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Quantity</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="{rows}"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="{cols}"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).expect("start");
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    out.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("start");
    out.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
        .expect("write");
    out.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .expect("start");
    out.write_all(content.as_bytes()).expect("write");
    out.finish().expect("finish").into_inner()
}

/// The process's peak resident memory so far, in MB.
fn peak_mb() -> f64 {
    crate::bench_stocks::peak_rss_mb()
}

const CHILD_FILE: &str = "MPBOT_HOSTILE_FILE";

/// Run by [`hostile_spreadsheets_are_refused_within_the_memory_budget`] in a process of its
/// own: reads the file it is given and prints what came of it and the memory it took.
#[test]
#[ignore = "run by its parent test in a process of its own"]
fn read_one_file_in_a_process_of_its_own() {
    let Ok(path) = std::env::var(CHILD_FILE) else {
        return;
    };
    let bytes = std::fs::read(&path).expect("the file");
    let idle = peak_mb();
    let result = read_table(&bytes);
    let peak = peak_mb();
    let outcome = match result {
        Ok(rows) => format!("read {} rows", rows.len()),
        Err(e) => format!("{e:?}"),
    };
    println!("OUTCOME={outcome}");
    println!("ABOVE_IDLE_MB={:.0}", peak - idle);
}

#[test]
fn hostile_spreadsheets_are_refused_within_the_memory_budget() {
    let dir = tempfile::tempdir().expect("dir");
    let started = std::time::Instant::now();
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "sparse A1 + XFD1048576",
            sparse_xlsx("XFD1048576"),
            "Columns",
        ),
        ("sparse A1 + XFD2000", sparse_xlsx("XFD2000"), "Columns"),
        ("ZIP bomb, a 1 GB sheet", zip_bomb(1024), "Unpacked"),
        (
            "ODS, 1 048 575 rows of 16 384 values",
            ods_repeat(1_048_575, 16_384),
            "Columns",
        ),
        (
            "ODS, 1 048 575 rows of 900 values",
            ods_repeat(1_048_575, 900),
            "Cells",
        ),
    ];
    let made = started.elapsed();
    for (name, bytes, excess) in files {
        let path = dir.path().join("file");
        std::fs::write(&path, &bytes).expect("write");
        let out = Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                "--exact",
                "hostile::read_one_file_in_a_process_of_its_own",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_FILE, &path)
            .output()
            .expect("the child runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {stdout}");
        let field = |key: &str| {
            stdout
                .lines()
                .find_map(|l| l.split_once(key).map(|(_, v)| v.trim().to_owned()))
                .unwrap_or_else(|| panic!("{name}: no {key} in {stdout}"))
        };
        let outcome = field("OUTCOME=");
        let above: f64 = field("ABOVE_IDLE_MB=").parse().expect("a number");
        println!(
            "{name}: {} KB sent, {outcome}, peak {above:.0} MB above idle (bound 200 MB)",
            bytes.len() / 1024
        );
        assert!(
            outcome.starts_with("TooLarge") && outcome.contains(excess),
            "{name}: {outcome}"
        );
        assert!(above < 200.0, "{name}: {above} MB above idle");
    }
    println!("(files made in {made:.1?})");
}

#[test]
fn what_a_file_exceeds_is_named() {
    assert_eq!(
        read_table(&sparse_xlsx("XFD1048576")),
        Err(ReadError::TooLarge(Excess::Columns {
            column: "XFD".into(),
            limit: 1_000
        }))
    );
    // A sheet as wide as a list can be is read, rows as far down as Excel goes.
    let rows = read_table(&sparse_xlsx("ALK1048576")).expect("reads");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].number, 1_048_576);
    assert_eq!(rows[1].cells.len(), 999);
    assert_eq!(
        read_table(&ods_repeat(3_000, 900)),
        Err(ReadError::TooLarge(Excess::Cells { limit: 2_000_000 }))
    );
    let small = read_table(&ods_repeat(3, 2)).expect("reads");
    assert_eq!(small.len(), 4);
    assert_eq!(small[3].cells, vec!["1", "1"]);
}

#[tokio::test]
async fn a_hostile_file_is_refused_in_words_and_the_bot_keeps_answering() {
    let app = TestApp::start().await;
    for (id, lang) in [(1001, Lang::Ru), (1002, Lang::En)] {
        let user = TestApp::user(id, "Anna", lang);
        app.send(&user, "/start").await;
        app.h.double.send_document(
            &user,
            &SimChat::Private,
            "list.xlsx",
            sparse_xlsx("XFD1048576"),
        );
        let said = texts(&app.settle().await).join("\n");
        let expected = render(
            lang,
            &mpbot::i18n::msg("upload-too-wide")
                .arg("column", "XFD")
                .arg("limit", 1_000i64),
        );
        assert!(said.contains(&expected), "{said}");
        app.h.double.send_document(
            &user,
            &SimChat::Private,
            "list.ods",
            ods_repeat(1_048_575, 900),
        );
        let said = texts(&app.settle().await).join("\n");
        let expected = render(
            lang,
            &mpbot::i18n::msg("upload-too-many-cells").arg("limit", 2_000_000i64),
        );
        assert!(said.contains(&expected), "{said}");
        let help = texts(&app.send(&user, "/help").await).join("\n");
        assert!(!help.is_empty(), "the bot still answers");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads").await, 0);
    app.finish().await;
}

/// A path override written into the database by hand (or before paths were checked) with
/// every form that once sent the keys to another host: the imports go on against the
/// marketplace, and a listener on that host hears nothing.
#[tokio::test]
async fn no_stored_path_can_send_a_cabinets_keys_elsewhere() {
    use mpbot::domain::{Marketplace, Role};
    use mpbot::marketplaces::endpoints::Override;
    use tokio::io::AsyncReadExt;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a listener");
    let port = listener.local_addr().expect("addr").port();
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let ear = heard.clone();
    let listening = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            ear.lock()
                .expect("lock")
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    });

    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    app.seed_cabinet(ws, Marketplace::Wildberries, "WB", false, 0)
        .await;
    app.seed_cabinet(ws, Marketplace::YandexMarket, "YM", false, 0)
        .await;
    let forms = [
        format!("/http://127.0.0.1:{port}/x"),
        format!("/HTTP://127.0.0.1:{port}/x"),
        format!("//127.0.0.1:{port}/x"),
        format!("/\\\\127.0.0.1:{port}/x"),
        format!("/%2F%2F127.0.0.1:{port}/x"),
    ];
    for (i, name) in ["ozon.fbs-list", "wb.orders-new", "ym.orders"]
        .into_iter()
        .enumerate()
    {
        let o = Override {
            path: Some(forms[i].clone()),
            version: (i == 0).then(|| format!("v4/../../@127.0.0.1:{port}")),
            ..Override::default()
        };
        mpbot::storage::api_overrides::set(&app.db, ws, name, &o, None, 1)
            .await
            .expect("stored");
    }
    let asked = |paths: Vec<String>, needle: &str| paths.iter().any(|p| p.contains(needle));
    for _ in 0..3 {
        app.pass().await;
        app.settle().await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    listening.abort();
    assert!(
        heard.lock().expect("lock").is_empty(),
        "a request left for another host: {:?}",
        heard.lock().expect("lock")
    );
    let paths = |ex: Vec<mpbot::sandbox::common::Exchange>| -> Vec<String> {
        ex.into_iter().map(|e| e.path).collect()
    };
    assert!(asked(
        paths(app.sandboxes.ozon.recorder().exchanges()),
        "/v4/posting/fbs/list"
    ));
    assert!(asked(
        paths(app.sandboxes.wb.recorder().exchanges()),
        "/api/v3/orders/new"
    ));
    assert!(asked(
        paths(app.sandboxes.ym.recorder().exchanges()),
        "/orders"
    ));
    app.finish().await;
}

/// An operator's base URL may carry a user name and password; a company never sees them.
#[tokio::test]
async fn the_api_card_never_shows_the_operators_credentials() {
    use mpbot::domain::Role;
    use mpbot::marketplaces::endpoints::Override;

    let app = TestApp::start().await;
    app.seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::En)
        .await;
    let o = Override {
        host: Some("http://opuser:opS3cret@127.0.0.1:9/".into()),
        ..Override::default()
    };
    mpbot::storage::api_overrides::set(
        &app.db,
        mpbot::storage::api_overrides::DEPLOYMENT,
        "ozon.roles",
        &o,
        None,
        1,
    )
    .await
    .expect("stored");
    let app = app.restart().await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    let card = texts(&app.send(&anna, "/api ozon.roles").await).join("\n");
    assert!(card.contains("http://127.0.0.1:9/v1/roles"), "{card}");
    assert!(
        !card.contains("opS3cret") && !card.contains("opuser"),
        "{card}"
    );
    app.finish().await;
}

/// A list longer than the bot takes is told so, with the limit, not that it has no rows.
#[tokio::test]
async fn a_list_too_long_is_said_to_be_too_long() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    app.send(&anna, "/start").await;
    let rows = mpbot::app::uploads::MAX_ROWS + 1;
    let mut csv = String::from("SKU;Quantity\n");
    for i in 0..rows {
        csv.push_str(&format!("A-{i};1\n"));
    }
    app.h
        .double
        .send_document(&anna, &SimChat::Private, "stock.csv", csv.into_bytes());
    let said = texts(&app.settle().await).join("\n");
    let expected = render(
        Lang::En,
        &mpbot::i18n::msg("upload-too-long")
            .arg("rows", rows as i64)
            .arg("limit", mpbot::app::uploads::MAX_ROWS as i64),
    );
    assert!(said.contains(&expected), "{said}");
    app.finish().await;
}
