//! Label and list benchmarks (ignored by default; they print figures next to their bounds
//! and assert nothing): 500 labels merged into the files Telegram takes (half WB stickers
//! turned from PNG into pages, half marketplace PDFs), and a one-page pick list.
//!
//! `cargo test --release --test it -- --ignored bench_labels --nocapture`

use std::time::Instant;

use mpbot::render::labels::{FILE_BUDGET, TELEGRAM_MAX_BYTES, merge_within, page_count, png_page};
use mpbot::render::lists::{PickLine, Words, pick_list};
use mpbot::sandbox::common::{barcode_png, label_pdf};

#[test]
#[ignore = "a benchmark: run with --ignored bench_labels --nocapture"]
fn bench_labels() {
    let started = Instant::now();
    let pages: Vec<Vec<u8>> = (0..500)
        .map(|i| {
            if i % 2 == 0 {
                png_page(&barcode_png(&format!("*41000{i:05}")), 58.0, 40.0).expect("sticker")
            } else {
                label_pdf(&[vec![
                    "OZON".into(),
                    format!("37852{i:03}-0001-1"),
                    "task 1".into(),
                ]])
            }
        })
        .collect();
    let converted = started.elapsed();
    let started = Instant::now();
    let files = merge_within(&pages, FILE_BUDGET).expect("merged");
    let merged = started.elapsed();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let total: usize = files.iter().map(|f| page_count(f).unwrap_or(0)).sum();
    println!(
        "500 labels: {} file(s), {total} pages, {bytes} bytes ({:.1} KB a label), largest {} bytes \
         (Telegram's limit {TELEGRAM_MAX_BYTES}); 250 stickers PNG→PDF in {:.0} ms, merge in {:.0} ms",
        files.len(),
        bytes as f64 / 500.0 / 1024.0,
        files.iter().map(Vec::len).max().unwrap_or(0),
        converted.as_secs_f64() * 1000.0,
        merged.as_secs_f64() * 1000.0,
    );
    let words = Words {
        title: "Лист подбора".into(),
        subtitle: "01.12.2026 · ООО «Ромашка» · 12 заказов".into(),
        sku: "Артикул".into(),
        name: "Товар".into(),
        location: "Откуда отгрузка".into(),
        barcode: "Штрихкод".into(),
        quantity: "Кол-во".into(),
        order: "Заказ".into(),
        total: "Всего единиц:".into(),
    };
    let lines: Vec<PickLine> = (0..12)
        .map(|i| PickLine {
            sku: format!("ART-{i:05}"),
            name: format!("Подушка хлопковая, зелёный, размер {i}"),
            location: "Склад Казань (FBS)".into(),
            barcode: Some(format!("46{i:010}")),
            quantity: i + 1,
        })
        .collect();
    let started = Instant::now();
    let pdf = pick_list(&words, &lines).expect("pick list");
    let took = started.elapsed();
    println!(
        "one-page pick list (12 SKUs, EAN-13): {} bytes (aim under {} bytes), {} page(s), rendered in {:.0} ms",
        pdf.len(),
        200 * 1024,
        page_count(&pdf).unwrap_or(0),
        took.as_secs_f64() * 1000.0
    );
}
