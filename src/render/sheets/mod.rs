//! Spreadsheets: a table read from whatever people send (XLSX, XLS, ODS through calamine;
//! CSV in UTF-8 or cp1251, with `;`, `,` or tabs), and XLSX written with rust_xlsxwriter.
//!
//! Anyone may send a file, so every upload is read within a budget ([`budget`]): what a
//! ZIP unpacks to is counted as it is inflated, the extent of an XLS or ODS sheet (its
//! declared dimension and its cells, ODS repeat counts expanded) is measured before
//! calamine lays it out, and an XLSX sheet is streamed cell by cell. What exceeds the
//! budget is refused with [`ReadError::TooLarge`] before anything large is allocated.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader};

use super::{RenderError, Result};

pub mod budget;

pub use budget::Excess;
use budget::{Cells, Container};

/// A row as read: its number as the sheet shows it (1-based) and its cells as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

/// Why a file is not a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Neither a spreadsheet nor text (a PDF, a picture).
    NotATable,
    /// A spreadsheet with no cells.
    Empty,
    /// More than the bot reads from one file: refused before it was laid out.
    TooLarge(Excess),
}

/// The rows of the first sheet of a file, empty rows left out.
pub fn read_table(bytes: &[u8]) -> std::result::Result<Vec<Row>, ReadError> {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let rows = if zip {
        match budget::check_zip(bytes)? {
            Container::Xlsx => read_xlsx(bytes)?,
            Container::Ods => {
                budget::check_ods(bytes)?;
                let book =
                    calamine::Ods::new(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
                read_dense(book)?
            }
        }
    } else if ole {
        budget::check_xls(bytes)?;
        let book = calamine::Xls::new(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
        read_dense(book)?
    } else {
        read_csv(bytes)?
    };
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(rows)
}

fn float_text(f: f64) -> String {
    // Whole numbers as Excel stores them (12.0) read as 12; barcodes stored as numbers
    // keep every digit.
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn cell_ref_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// The first sheet of an XLSX, streamed cell by cell: only cells with a value are kept,
/// each row as wide as its last value, within the cell budget.
fn read_xlsx(bytes: &[u8]) -> std::result::Result<Vec<Row>, ReadError> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(ReadError::Empty);
    };
    let mut reader = book
        .worksheet_cells_reader(&first)
        .map_err(|_| ReadError::NotATable)?;
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    let mut cells = Cells::default();
    while let Some(cell) = reader.next_cell().map_err(|_| ReadError::NotATable)? {
        let value = cell_ref_text(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        let row = rows.entry(r).or_default();
        let width = c as usize + 1;
        if row.len() < width {
            cells.widen(row.len(), width, c)?;
            row.resize(width, String::new());
        }
        row[c as usize] = value;
    }
    Ok(rows
        .into_iter()
        .map(|(r, cells)| Row {
            number: r as usize + 1,
            cells,
        })
        .collect())
}

/// The first sheet of a workbook calamine lays out whole (XLS, ODS), once its extent was
/// checked against the budget.
fn read_dense<RS, R>(mut book: R) -> std::result::Result<Vec<Row>, ReadError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(_)) => return Err(ReadError::NotATable),
        None => return Err(ReadError::Empty),
    };
    drop(book);
    let (top, left) = range.start().unwrap_or((0, 0));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            // Each row as wide as its last value, as the XLSX reader keeps them.
            let used = r
                .iter()
                .rposition(|d| !matches!(d, Data::Empty))
                .map_or(0, |p| p + 1);
            let mut cells = vec![String::new(); if used > 0 { left as usize } else { 0 }];
            cells.extend(r[..used].iter().map(cell_text));
            Row {
                number: top as usize + i + 1,
                cells,
            }
        })
        .collect())
}

/// Text as UTF-8 (a byte-order mark dropped) or, failing that, as cp1251.
fn decode(bytes: &[u8]) -> std::result::Result<String, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let (s, _, bad) = encoding_rs::WINDOWS_1251.decode(bytes);
            if bad {
                return Err(ReadError::NotATable);
            }
            s.into_owned()
        }
    };
    // Binary files decode too: text has no control characters but line ends and tabs.
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if control > 0 {
        return Err(ReadError::NotATable);
    }
    Ok(text)
}

/// The separator of the first line: the most frequent of `;`, `,` and tab.
fn separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|s| first.bytes().filter(|b| b == s).count())
        .filter(|s| first.bytes().any(|b| b == *s))
        .unwrap_or(b',')
}

fn read_csv(bytes: &[u8]) -> std::result::Result<Vec<Row>, ReadError> {
    let text = decode(bytes)?;
    let separator = separator(&text);
    budget::check_csv(&text, separator)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = Cells::default();
    // Line numbers from byte offsets, blank lines counted (a record's offset may point
    // at the blank lines before it).
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut counted = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => return Err(ReadError::NotATable),
        }
        let width = record.len();
        let last = u32::try_from(width.saturating_sub(1)).unwrap_or(u32::MAX);
        cells.widen(0, width, last)?;
        let mut at = record
            .position()
            .map_or(counted, |p| p.byte() as usize)
            .min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        line += bytes[counted.min(at)..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted = at;
        rows.push(Row {
            number: line,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(rows)
}

/// A sheet to write: its name, the header row, and the rows (numbers stay numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetOut {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Empty,
}

/// An XLSX file with one worksheet per sheet, bold frozen headers and fitted columns.
pub fn write_xlsx(sheets: &[SheetOut]) -> Result<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| RenderError::Xlsx(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for s in sheets {
        let ws = book.add_worksheet();
        let name: String = s
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        ws.set_name(if name.is_empty() { "Sheet" } else { &name })
            .map_err(err)?;
        for (j, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, j as u16, h, &bold)
                .map_err(err)?;
        }
        for (i, row) in s.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (j, v) in row.iter().enumerate() {
                let c = j as u16;
                match v {
                    Value::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    Value::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                    Value::Empty => Ok(()),
                }
                .map_err(err)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        for (j, h) in s.header.iter().enumerate() {
            let widest = s
                .rows
                .iter()
                .take(500)
                .filter_map(|r| match r.get(j) {
                    Some(Value::Text(t)) => Some(t.chars().count()),
                    Some(Value::Number(n)) => Some(n.to_string().len()),
                    _ => None,
                })
                .max()
                .unwrap_or(0)
                .max(h.chars().count());
            ws.set_column_width(j as u16, (widest.min(60) + 2) as f64)
                .map_err(err)?;
        }
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_cp1251_with_semicolons() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("Артикул;Остаток\nКР-1;12\n\nКР-2;3\n");
        let rows = read_table(&bytes).expect("reads");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cells, vec!["Артикул", "Остаток"]);
        assert_eq!(rows[2].number, 4, "numbered as the file shows them");
        assert_eq!(rows[2].cells, vec!["КР-2", "3"]);
    }

    #[test]
    fn csv_in_utf8_with_commas_and_quotes() {
        let rows = read_table("\u{feff}sku,qty,name\nA-1,5,\"Кружка, белая\"\n".as_bytes())
            .expect("reads");
        assert_eq!(rows[1].cells, vec!["A-1", "5", "Кружка, белая"]);
    }

    #[test]
    fn what_is_not_a_table_is_told() {
        assert_eq!(
            read_table(b"%PDF-1.4\n\x00\x01\x02binary"),
            Err(ReadError::NotATable)
        );
        assert_eq!(read_table(b"PK\x03\x04garbage"), Err(ReadError::NotATable));
        assert_eq!(read_table(b"\n\n"), Err(ReadError::Empty));
    }

    #[test]
    fn xlsx_round_trips() {
        let bytes = write_xlsx(&[SheetOut {
            name: "Остатки".into(),
            header: vec!["Артикул".into(), "Остаток".into()],
            rows: vec![
                vec![Value::Text("КР-1".into()), Value::Number(12.0)],
                vec![Value::Text("КР-2".into()), Value::Empty],
            ],
        }])
        .expect("writes");
        let rows = read_table(&bytes).expect("reads");
        assert_eq!(rows[0].cells, vec!["Артикул", "Остаток"]);
        assert_eq!(rows[1].cells, vec!["КР-1", "12"]);
        assert_eq!(rows[2].number, 3);
    }
}
