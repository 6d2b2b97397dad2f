//! The budget an upload is read within. A spreadsheet is small on the wire and can be huge
//! once laid out: a 1.6 KB XLSX naming A1 and XFD1048576 asks for 17 billion cells, a 3 MB
//! ZIP inflates to gigabytes, an ODS repeat count or an XLS dimension record asks for a
//! million rows in a few bytes. Each is measured here, cheaply and before the reader that
//! would allocate for it runs, and refused with what exceeded the budget.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::ReadError;

/// What a ZIP may unpack to in all (counted as it is inflated, not as it declares).
pub const MAX_UNPACKED: u64 = 128 * 1024 * 1024;
/// What one part of a ZIP may unpack to (a shared-strings table is held whole).
pub const MAX_PART: u64 = 64 * 1024 * 1024;
/// Parts of a ZIP: a workbook has a few dozen.
pub const MAX_PARTS: usize = 1_000;
/// Columns a list may use: wide enough for hundreds of cabinets' prices and discounts.
pub const MAX_COLUMNS: u32 = 1_000;
/// Cells (rows × columns as laid out) one file may hold: a 200 000-row list of 20 columns.
pub const MAX_CELLS: u64 = 4_000_000;
/// Cells a workbook laid out whole by calamine (XLS, ODS) may span, every sheet counted:
/// each takes 32 bytes there before it is read.
pub const MAX_DENSE_CELLS: u64 = 2_000_000;

/// What made a file too large, with the limit it passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excess {
    /// Its ZIP unpacks to more than `limit_mb` megabytes (or has too many parts).
    Unpacked { limit_mb: u64 },
    /// It has a value in `column` (as Excel names it), past the `limit`-th column.
    Columns { column: String, limit: u32 },
    /// Its sheets span more than `limit` cells (rows × columns).
    Cells { limit: u64 },
}

/// The kind of workbook a ZIP holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Xlsx,
    Ods,
}

/// Excel's name of a 0-based column: 0 → A, 25 → Z, 26 → AA, 16383 → XFD.
pub fn column_name(mut c: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

fn too_wide(column: u32) -> ReadError {
    ReadError::TooLarge(Excess::Columns {
        column: column_name(column),
        limit: MAX_COLUMNS,
    })
}

/// Cells laid out so far, against [`MAX_CELLS`].
#[derive(Debug, Default)]
pub(super) struct Cells(u64);

impl Cells {
    /// A row grows from `from` to `to` cells to hold a value in column `column`.
    pub(super) fn widen(&mut self, from: usize, to: usize, column: u32) -> Result<(), ReadError> {
        if column >= MAX_COLUMNS {
            return Err(too_wide(column));
        }
        self.0 += to.saturating_sub(from) as u64;
        if self.0 > MAX_CELLS {
            return Err(ReadError::TooLarge(Excess::Cells { limit: MAX_CELLS }));
        }
        Ok(())
    }
}

fn unpacked() -> ReadError {
    ReadError::TooLarge(Excess::Unpacked {
        limit_mb: MAX_UNPACKED / (1024 * 1024),
    })
}

/// Inflates every part of a ZIP into nothing, counting the bytes (a part's declared size
/// may lie), and names the workbook it holds.
pub fn check_zip(bytes: &[u8]) -> Result<Container, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
    if zip.len() > MAX_PARTS {
        return Err(unpacked());
    }
    let mut total = 0u64;
    let mut kind = None;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| ReadError::NotATable)?;
        match part.name().map_err(|_| ReadError::NotATable)?.as_ref() {
            "xl/workbook.xml" => kind = Some(Container::Xlsx),
            "content.xml" if kind.is_none() => kind = Some(Container::Ods),
            _ => {}
        }
        if part.size() > MAX_PART {
            return Err(unpacked());
        }
        let read = std::io::copy(&mut (&mut part).take(MAX_PART + 1), &mut std::io::sink())
            .map_err(|_| ReadError::NotATable)?;
        total += read;
        if read > MAX_PART || total > MAX_UNPACKED {
            return Err(unpacked());
        }
    }
    kind.ok_or(ReadError::NotATable)
}

fn attr_number(e: &BytesStart<'_>, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn has_attr(e: &BytesStart<'_>, name: &str) -> bool {
    e.attributes().flatten().any(|a| a.key.as_ref() == name)
}

/// The cells calamine would lay out for an ODS, repeat counts expanded as it expands them:
/// per table, the rows from its first to its last with a value, times its widest row up
/// to that row's last value. Trailing empty rows and columns (LibreOffice writes a million
/// of them) cost nothing, there as here.
pub fn check_ods(bytes: &[u8]) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
    let content = zip
        .by_name("content.xml")
        .map_err(|_| ReadError::NotATable)?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content.take(MAX_PART)));
    xml.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut total = 0u64;
    // Per table: rows seen (expanded), the span of rows with values, the widest row.
    let (mut rows, mut first, mut last, mut widest) = (0u64, None::<u64>, 0u64, 0u64);
    // Per row: its repeat count, the columns seen (expanded), its last value's end.
    let (mut row_repeat, mut col, mut row_width) = (1u64, 0u64, 0u64);
    let mut in_row = false;
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|_| ReadError::NotATable)?;
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(end) => {
                match end.name().as_ref() {
                    "table:table-row" if in_row => {
                        in_row = false;
                        if row_width > 0 {
                            first.get_or_insert(rows);
                            last = rows + row_repeat;
                            widest = widest.max(row_width);
                        }
                        rows += row_repeat;
                    }
                    "table:table" => {
                        if let Some(f) = first {
                            total = total.saturating_add((last - f).saturating_mul(widest));
                        }
                        (rows, first, last, widest) = (0, None, 0, 0);
                    }
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.name().as_ref() {
                "table:table-row" => {
                    row_repeat = attr_number(e, "table:number-rows-repeated");
                    (col, row_width) = (0, 0);
                    in_row = !empty;
                    if empty {
                        rows += row_repeat;
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if in_row => {
                    let repeat = attr_number(e, "table:number-columns-repeated");
                    let valued =
                        !empty || has_attr(e, "office:value-type") || has_attr(e, "table:formula");
                    col = col.saturating_add(repeat);
                    if valued {
                        row_width = col;
                        if row_width > u64::from(MAX_COLUMNS) {
                            return Err(too_wide(MAX_COLUMNS));
                        }
                    }
                }
                _ => {}
            }
        }
        if total > MAX_DENSE_CELLS {
            return Err(ReadError::TooLarge(Excess::Cells {
                limit: MAX_DENSE_CELLS,
            }));
        }
        buf.clear();
    }
    Ok(())
}

/// The cells calamine would lay out for an XLS: per sheet, the larger of the dimension
/// it declares (calamine reserves that much) and the box its cell records span.
pub fn check_xls(bytes: &[u8]) -> Result<(), ReadError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))
        .ok_or(ReadError::NotATable)?;
    let mut stream = Vec::new();
    file.open_stream(name)
        .map_err(|_| ReadError::NotATable)?
        .take(MAX_PART)
        .read_to_end(&mut stream)
        .map_err(|_| ReadError::NotATable)?;
    let mut total = 0u64;
    let mut sheet = SheetBox::default();
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = &stream[at + 4..(at + 4 + len).min(stream.len())];
        at += 4 + len;
        let u16_at = |i: usize| -> Option<u32> {
            Some(u32::from(u16::from_le_bytes([
                *data.get(i)?,
                *data.get(i + 1)?,
            ])))
        };
        let u32_at = |i: usize| -> Option<u32> {
            Some(u32::from_le_bytes([
                *data.get(i)?,
                *data.get(i + 1)?,
                *data.get(i + 2)?,
                *data.get(i + 3)?,
            ]))
        };
        match typ {
            // BOF and EOF: a sheet (or the workbook globals) begins or ends.
            0x0809 | 0x000A => {
                total = total.saturating_add(sheet.area());
                sheet = SheetBox::default();
            }
            // Dimensions: BIFF8 rows as u32, older ones as u16, columns as u16; ends are
            // exclusive.
            0x0200 => {
                let (r0, r1, c0, c1) = if data.len() >= 14 {
                    (u32_at(0), u32_at(4), u16_at(8), u16_at(10))
                } else {
                    (u16_at(0), u16_at(2), u16_at(4), u16_at(6))
                };
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (r0, r1, c0, c1) {
                    sheet.declared = u64::from(r1.saturating_sub(r0))
                        .saturating_mul(u64::from(c1.saturating_sub(c0)));
                    if c1 > MAX_COLUMNS {
                        return Err(too_wide(c1 - 1));
                    }
                }
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: one cell each.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(0), u16_at(2)) {
                    sheet.cell(r, c);
                }
            }
            // MulRk: a row's run of cells, its last column at the end.
            0x00BD if data.len() >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) = (u16_at(0), u16_at(2), u16_at(len - 2)) {
                    sheet.cell(r, c0);
                    sheet.cell(r, c1);
                }
            }
            _ => {}
        }
        if sheet.max_col.is_some_and(|c| c >= MAX_COLUMNS) {
            return Err(too_wide(sheet.max_col.unwrap_or_default()));
        }
        if total.saturating_add(sheet.area()) > MAX_DENSE_CELLS {
            return Err(ReadError::TooLarge(Excess::Cells {
                limit: MAX_DENSE_CELLS,
            }));
        }
    }
    Ok(())
}

/// One XLS sheet's extent: its declared dimension and the box of its cells.
#[derive(Debug, Default)]
struct SheetBox {
    declared: u64,
    min_row: Option<u32>,
    max_row: u32,
    min_col: Option<u32>,
    max_col: Option<u32>,
}

impl SheetBox {
    fn cell(&mut self, r: u32, c: u32) {
        self.min_row = Some(self.min_row.map_or(r, |m| m.min(r)));
        self.max_row = self.max_row.max(r);
        self.min_col = Some(self.min_col.map_or(c, |m| m.min(c)));
        self.max_col = Some(self.max_col.map_or(c, |m| m.max(c)));
    }

    fn area(&self) -> u64 {
        let spanned = match (self.min_row, self.min_col, self.max_col) {
            (Some(r0), Some(c0), Some(c1)) => {
                u64::from(self.max_row - r0 + 1) * u64::from(c1 - c0 + 1)
            }
            _ => 0,
        };
        spanned.max(self.declared)
    }
}

/// The widest record of a CSV text (quoted separators and line ends are not counted), as
/// the CSV reader would split it, checked before it is split.
pub fn check_csv(text: &str, separator: u8) -> Result<(), ReadError> {
    let (mut quoted, mut fields, mut total) = (false, 1u64, 0u64);
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                total += fields;
                fields = 1;
            }
            s if s == separator && !quoted => {
                fields += 1;
                if fields > u64::from(MAX_COLUMNS) {
                    return Err(too_wide(MAX_COLUMNS));
                }
            }
            _ => {}
        }
        if total > MAX_CELLS {
            return Err(ReadError::TooLarge(Excess::Cells { limit: MAX_CELLS }));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(999), "ALL");
        assert_eq!(column_name(16_383), "XFD");
    }

    /// An XLS compound file whose workbook stream holds these BIFF records.
    fn xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        use std::io::Write;
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("creates");
        {
            let mut stream = file.create_stream("/Workbook").expect("stream");
            for (typ, data) in records {
                stream.write_all(&typ.to_le_bytes()).expect("write");
                stream
                    .write_all(&(data.len() as u16).to_le_bytes())
                    .expect("write");
                stream.write_all(data).expect("write");
            }
        }
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    fn dimensions(rows: u32, cols: u16) -> (u16, Vec<u8>) {
        let mut d = Vec::new();
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&rows.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&cols.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        (0x0200, d)
    }

    fn number(row: u16, col: u16) -> (u16, Vec<u8>) {
        let mut d = Vec::new();
        d.extend_from_slice(&row.to_le_bytes());
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        (0x0203, d)
    }

    #[test]
    fn an_xls_declaring_or_spanning_too_much_is_refused() {
        let bof = (0x0809, vec![0; 16]);
        let eof = (0x000A, Vec::new());
        let small = xls(&[
            bof.clone(),
            dimensions(2, 2),
            number(0, 0),
            number(1, 1),
            eof.clone(),
        ]);
        assert_eq!(check_xls(&small), Ok(()));
        // The dimension record alone asks calamine for every cell of the sheet.
        let declared = xls(&[
            bof.clone(),
            dimensions(65_536, 256),
            number(0, 0),
            eof.clone(),
        ]);
        assert_eq!(
            check_xls(&declared),
            Err(ReadError::TooLarge(Excess::Cells {
                limit: MAX_DENSE_CELLS
            }))
        );
        // Two cells far apart span the same, whatever the dimension says.
        let spanned = xls(&[
            bof.clone(),
            dimensions(1, 1),
            number(0, 0),
            number(65_535, 200),
            eof.clone(),
        ]);
        assert!(matches!(
            check_xls(&spanned),
            Err(ReadError::TooLarge(Excess::Cells { .. }))
        ));
        // Sheets add up: calamine lays every one of them out.
        let mut many = Vec::new();
        for _ in 0..3 {
            many.extend([bof.clone(), dimensions(10_000, 100), eof.clone()]);
        }
        assert!(matches!(
            check_xls(&xls(&many)),
            Err(ReadError::TooLarge(Excess::Cells { .. }))
        ));
        assert_eq!(check_xls(b"not a compound file"), Err(ReadError::NotATable));
    }

    #[test]
    fn a_csv_too_wide_or_too_long_is_refused_before_it_is_split() {
        assert!(check_csv("a;b;\"c;d\"\n1;2;3\n", b';').is_ok());
        let wide = ";".repeat(2_000);
        assert_eq!(
            check_csv(&wide, b';'),
            Err(ReadError::TooLarge(Excess::Columns {
                column: "ALM".into(),
                limit: MAX_COLUMNS
            }))
        );
        // Separators inside quotes are text, not columns.
        let quoted = format!("\"{wide}\"\n");
        assert!(check_csv(&quoted, b';').is_ok());
    }
}
