//! Pick lists and packing lists as A4 PDFs with genpdf: Cyrillic from an embedded subset
//! of DejaVu Sans (no system font needed, a one-page list stays small), and barcodes drawn
//! as vector bars (EAN-13 when the code is one, Code 128 otherwise) that scanners read.

use genpdf::elements::{Break, FrameCellDecorator, Paragraph, TableLayout};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::Style;
use genpdf::{Element, Mm, Position, RenderResult, Size};

use super::{RenderError, Result};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold-subset.ttf");

/// One bar module: one PDF point (0.353 mm), within EAN-13's allowed magnification, and
/// exactly the width of the line genpdf strokes.
const MODULE_MM: f64 = 25.4 / 72.0;
/// Bar height.
const BAR_MM: f64 = 12.0;
/// Light margin either side, in modules.
const QUIET: usize = 11;

/// The words of a list, in the reader's language.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub title: String,
    /// Under the title: the date, the company, how many orders.
    pub subtitle: String,
    pub sku: String,
    pub name: String,
    pub location: String,
    pub barcode: String,
    pub quantity: String,
    /// Before each order's number on a packing list.
    pub order: String,
    /// The total line.
    pub total: String,
}

/// A line of a pick list: one SKU summed over the orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickLine {
    pub sku: String,
    pub name: String,
    pub location: String,
    pub barcode: Option<String>,
    pub quantity: i64,
}

/// An order on a packing list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackOrder {
    /// The order's number and what to know about it (cabinet, deadline).
    pub heading: String,
    pub lines: Vec<PickLine>,
}

fn family() -> Result<FontFamily<FontData>> {
    let font =
        |b: &[u8]| FontData::new(b.to_vec(), None).map_err(|e| RenderError::Pdf(e.to_string()));
    Ok(FontFamily {
        regular: font(REGULAR)?,
        bold: font(BOLD)?,
        italic: font(REGULAR)?,
        bold_italic: font(BOLD)?,
    })
}

fn document(words: &Words) -> Result<genpdf::Document> {
    let mut doc = genpdf::Document::new(family()?);
    // genpdf writes the title as is: keep it ASCII.
    doc.set_title("mpbot list");
    doc.set_minimal_conformance();
    doc.set_font_size(10);
    let mut deco = genpdf::SimplePageDecorator::new();
    deco.set_margins(12);
    doc.set_page_decorator(deco);
    doc.push(
        Paragraph::default()
            .styled_string(words.title.clone(), Style::new().bold().with_font_size(16)),
    );
    doc.push(Paragraph::new(words.subtitle.clone()));
    doc.push(Break::new(1));
    Ok(doc)
}

fn table(words: &Words, lines: &[PickLine], location: bool) -> Result<TableLayout> {
    let widths = if location {
        vec![3, 6, 3, 6, 2]
    } else {
        vec![3, 7, 7, 2]
    };
    let mut t = TableLayout::new(widths);
    t.set_cell_decorator(FrameCellDecorator::new(true, true, false));
    let bold = Style::new().bold();
    let mut head = t.row();
    head = head
        .element(cell(&words.sku, bold))
        .element(cell(&words.name, bold));
    if location {
        head = head.element(cell(&words.location, bold));
    }
    head.element(cell(&words.barcode, bold))
        .element(cell(&words.quantity, bold))
        .push()
        .map_err(|e| RenderError::Pdf(e.to_string()))?;
    for l in lines {
        let mut row = t.row();
        row = row
            .element(cell(&l.sku, Style::new()))
            .element(cell(&l.name, Style::new()));
        if location {
            row = row.element(cell(&l.location, Style::new()));
        }
        let row = match l.barcode.as_deref().and_then(Barcode::new) {
            Some(b) => row.element(b.padded(1)),
            None => row.element(cell(l.barcode.as_deref().unwrap_or("—"), Style::new())),
        };
        row.element(cell(
            &l.quantity.to_string(),
            Style::new().bold().with_font_size(12),
        ))
        .push()
        .map_err(|e| RenderError::Pdf(e.to_string()))?;
    }
    Ok(t)
}

fn cell(s: &str, style: Style) -> impl Element + use<> {
    Paragraph::default()
        .styled_string(s.to_owned(), style)
        .padded(1)
}

fn finish(doc: genpdf::Document) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    doc.render(&mut out)
        .map_err(|e| RenderError::Pdf(e.to_string()))?;
    // genpdf leaves the fonts uncompressed: squeeze every stream once.
    let mut pdf = lopdf::Document::load_mem(&out).map_err(|e| RenderError::Pdf(e.to_string()))?;
    pdf.compress();
    let mut small = Vec::new();
    pdf.save_to(&mut small)
        .map_err(|e| RenderError::Pdf(e.to_string()))?;
    Ok(small)
}

/// A pick list: every SKU once, with its location, barcode and the quantity to pick.
pub fn pick_list(words: &Words, lines: &[PickLine]) -> Result<Vec<u8>> {
    if lines.is_empty() {
        return Err(RenderError::Empty);
    }
    let mut doc = document(words)?;
    doc.push(table(words, lines, true)?);
    doc.push(Break::new(1));
    let units: i64 = lines.iter().map(|l| l.quantity).sum();
    doc.push(
        Paragraph::default().styled_string(format!("{} {units}", words.total), Style::new().bold()),
    );
    finish(doc)
}

/// A packing list: each order with its items and their barcodes.
pub fn packing_list(words: &Words, orders: &[PackOrder]) -> Result<Vec<u8>> {
    if orders.is_empty() {
        return Err(RenderError::Empty);
    }
    let mut doc = document(words)?;
    for o in orders {
        doc.push(Paragraph::default().styled_string(
            format!("{} {}", words.order, o.heading),
            Style::new().bold().with_font_size(12),
        ));
        doc.push(Break::new(0.4));
        doc.push(table(words, &o.lines, false)?);
        doc.push(Break::new(1));
    }
    finish(doc)
}

fn mm(v: Mm) -> f64 {
    printpdf::Mm::from(v).0
}

/// A barcode drawn as bars of whole modules, its text beneath.
pub struct Barcode {
    bars: Vec<u8>,
    text: String,
}

impl Barcode {
    /// EAN-13 for 13 digits with a right check digit (12 digits get theirs), Code 128 for
    /// any other printable ASCII; `None` for what neither encodes.
    pub fn new(code: &str) -> Option<Barcode> {
        let code = code.trim();
        let digits = code.chars().all(|c| c.is_ascii_digit());
        let bars = if digits && (code.len() == 12 || code.len() == 13) {
            barcoders::sym::ean13::EAN13::new(code)
                .ok()
                .map(|b| b.encode())
        } else {
            None
        };
        let bars = match bars {
            Some(b) => b,
            None if !code.is_empty() && code.chars().all(|c| c.is_ascii_graphic() || c == ' ') => {
                barcoders::sym::code128::Code128::new(format!("Ɓ{code}"))
                    .ok()?
                    .encode()
            }
            None => return None,
        };
        Some(Barcode {
            bars,
            text: code.to_owned(),
        })
    }

    fn width_mm(&self) -> f64 {
        (self.bars.len() + 2 * QUIET) as f64 * MODULE_MM
    }
}

impl Element for Barcode {
    fn render(
        &mut self,
        context: &genpdf::Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> std::result::Result<RenderResult, genpdf::error::Error> {
        let text = Style::new().with_font_size(7);
        let text_h = mm(text.line_height(&context.font_cache));
        let height = BAR_MM + 1.0 + text_h;
        if mm(area.size().height) < height {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        // Too narrow a column gets narrower bars rather than a clipped code.
        let room = mm(area.size().width);
        let scale = (room / self.width_mm()).min(1.0);
        let module = MODULE_MM * scale;
        for (i, bar) in self.bars.iter().enumerate() {
            if *bar == 1 {
                let x = (QUIET + i) as f64 * module + module / 2.0;
                area.draw_line(
                    vec![
                        Position::new(Mm::from(x), Mm::from(0.0)),
                        Position::new(Mm::from(x), Mm::from(BAR_MM)),
                    ],
                    style,
                );
            }
        }
        area.print_str(
            &context.font_cache,
            Position::new(Mm::from(QUIET as f64 * module), Mm::from(BAR_MM + 0.5)),
            text,
            &self.text,
        )?;
        Ok(RenderResult {
            size: Size::new(Mm::from(self.width_mm() * scale), Mm::from(height)),
            has_more: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words {
        Words {
            title: "Лист подбора".into(),
            subtitle: "01.12.2026 · 2 заказа".into(),
            sku: "Артикул".into(),
            name: "Товар".into(),
            location: "Склад".into(),
            barcode: "Штрихкод".into(),
            quantity: "Кол-во".into(),
            order: "Заказ".into(),
            total: "Всего единиц:".into(),
        }
    }

    #[test]
    fn a_one_page_pick_list_is_small_and_names_its_items() {
        let lines = vec![
            PickLine {
                sku: "TSHIRT-01".into(),
                name: "Футболка хлопковая".into(),
                location: "Склад Москва".into(),
                barcode: Some("4601234567893".into()),
                quantity: 3,
            },
            PickLine {
                sku: "MUG-7".into(),
                name: "Кружка «Утро»".into(),
                location: "Склад Москва".into(),
                barcode: Some("MUG-7-XL".into()),
                quantity: 1,
            },
        ];
        let pdf = pick_list(&words(), &lines).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.len() < 200 * 1024, "{} bytes", pdf.len());
        assert!(super::super::labels::page_count(&pdf).expect("pages") == 1);
    }

    #[test]
    fn barcodes_pick_their_symbology() {
        assert!(Barcode::new("4601234567893").is_some_and(|b| b.bars.len() == 95));
        // A wrong check digit is still a code: Code 128 carries it as it is.
        assert!(Barcode::new("4601234567890").is_some_and(|b| b.bars.len() != 95));
        assert!(Barcode::new("").is_none());
        assert!(Barcode::new("Ёлка").is_none());
    }
}
