//! Spreadsheets people send, pure: which column is which by its header (Russian or
//! English, any order), where the header row is, a column's letter, and counts as people
//! type them or Excel stores them.

use std::collections::HashMap;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    /// Our SKU code.
    Sku,
    VendorCode,
    Barcode,
    Quantity,
    Store,
    Name,
    Weight,
    Reason,
}

/// The column a header names; `None` for a header we do not use.
pub fn header_kind(header: &str) -> Option<Col> {
    let h: String = header
        .trim()
        .to_lowercase()
        .replace('ё', "е")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
    let kind = match h.as_str() {
        "артикул"
        | "sku"
        | "код"
        | "code"
        | "код товара"
        | "артикул товара"
        | "sku code"
        | "наш артикул"
        | "item"
        | "item code"
        | "арт" => Col::Sku,
        "артикул продавца"
        | "артикул поставщика"
        | "vendor code"
        | "vendorcode"
        | "offer id"
        | "offer_id"
        | "offerid"
        | "seller sku" => Col::VendorCode,
        "штрихкод" | "штрих код" | "штрихкоды" | "шк" | "barcode" | "barcodes" | "ean"
        | "ean13" | "ean 13" | "gtin" => Col::Barcode,
        "остаток"
        | "остатки"
        | "количество"
        | "кол во"
        | "колво"
        | "в наличии"
        | "наличие"
        | "qty"
        | "quantity"
        | "stock"
        | "count"
        | "amount"
        | "on hand" => Col::Quantity,
        "склад" | "warehouse" | "store" | "location" => Col::Store,
        "наименование"
        | "название"
        | "товар"
        | "наименование товара"
        | "name"
        | "product"
        | "title"
        | "product name" => Col::Name,
        "вес" | "вес г" | "вес гр" | "weight" | "weight g" | "weight gr" => Col::Weight,
        "причина" | "комментарий" | "reason" | "comment" | "note" => Col::Reason,
        _ => return None,
    };
    Some(kind)
}

/// The header row among the first rows of a sheet: the first row naming every column of
/// one of `wanted` sets; its index and the column of each kind it names.
pub fn find_header(
    rows: &[Vec<String>],
    wanted: &[&[Col]],
) -> Option<(usize, HashMap<Col, usize>)> {
    for (i, row) in rows.iter().enumerate().take(10) {
        let mut cols = HashMap::new();
        for (j, cell) in row.iter().enumerate() {
            if let Some(k) = header_kind(cell) {
                cols.entry(k).or_insert(j);
            }
        }
        if wanted
            .iter()
            .any(|set| set.iter().all(|k| cols.contains_key(k)))
        {
            return Some((i, cols));
        }
    }
    None
}

/// A column's letter as a spreadsheet shows it: 0 → A, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Why a count in a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    Negative,
    TooLarge,
}

/// A count as a cell holds it: `12`, `1 200`, `12,0` or `12.00` (Excel's whole numbers).
pub fn parse_count(cell: &str) -> Result<i64, CountError> {
    // A cell of two lines or two numbers ("12 13") is no count; spaces group thousands.
    if cell.trim().contains(['\n', '\r']) || !super::stock::grouped(cell.trim()) {
        return Err(CountError::NotANumber);
    }
    let s: String = cell
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    if s.is_empty() {
        return Err(CountError::Empty);
    }
    let (negative, s) = match s.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let whole = match s.split_once([',', '.']) {
        Some((w, frac)) if !frac.is_empty() && frac.chars().all(|c| c == '0') => w,
        Some(_) => return Err(CountError::NotANumber),
        None => s,
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
        return Err(CountError::NotANumber);
    }
    if negative {
        return Err(CountError::Negative);
    }
    let n: i64 = whole.parse().map_err(|_| CountError::TooLarge)?;
    if n > super::stock::MAX_QUANTITY {
        return Err(CountError::TooLarge);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn headers_are_known_in_both_languages_and_any_order() {
        assert_eq!(header_kind(" Артикул "), Some(Col::Sku));
        assert_eq!(header_kind("Кол-во"), Some(Col::Quantity));
        assert_eq!(header_kind("Штрих-код"), Some(Col::Barcode));
        assert_eq!(header_kind("Quantity"), Some(Col::Quantity));
        assert_eq!(header_kind("Вес, г"), Some(Col::Weight));
        assert_eq!(header_kind("Цена"), None);
        let rows = vec![
            row(&["Остатки на 01.12"]),
            row(&[]),
            row(&["Склад", "Остаток", "Штрихкод"]),
        ];
        let (i, cols) = find_header(
            &rows,
            &[&[Col::Sku, Col::Quantity], &[Col::Barcode, Col::Quantity]],
        )
        .expect("found");
        assert_eq!(i, 2);
        assert_eq!(cols[&Col::Barcode], 2);
        assert_eq!(cols[&Col::Store], 0);
        assert!(find_header(&[row(&["Товар", "Цена"])], &[&[Col::Sku, Col::Quantity]]).is_none());
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(2), "C");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn counts_as_typed_or_stored() {
        assert_eq!(parse_count("12"), Ok(12));
        assert_eq!(parse_count("1 200"), Ok(1200));
        assert_eq!(parse_count("12,0"), Ok(12));
        assert_eq!(parse_count("7.00"), Ok(7));
        assert_eq!(parse_count("2,5"), Err(CountError::NotANumber));
        assert_eq!(parse_count("много"), Err(CountError::NotANumber));
        assert_eq!(parse_count("-3"), Err(CountError::Negative));
        assert_eq!(parse_count(""), Err(CountError::Empty));
        assert_eq!(parse_count("99999999999"), Err(CountError::TooLarge));
    }
}
