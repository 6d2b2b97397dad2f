//! The SKUs a list's rows name: by our code, a barcode, or a vendor code, as stock lists and
//! price lists both read them.

use std::collections::HashMap;

use crate::domain::sheet::Col;
use crate::storage::catalogue::Sku;

/// The columns that may name a row's SKU, in the order they are tried.
pub(crate) const NAMING: [Col; 3] = [Col::Sku, Col::Barcode, Col::VendorCode];

/// A workspace's SKUs looked up as a list names them.
pub(crate) struct SkuIndex {
    skus: Vec<Sku>,
    by_code: HashMap<String, usize>,
    by_barcode: HashMap<String, usize>,
    /// A vendor code two SKUs share names neither.
    by_vendor: HashMap<String, Option<usize>>,
}

impl SkuIndex {
    pub(crate) fn new(skus: Vec<Sku>) -> SkuIndex {
        let mut by_code = HashMap::new();
        let mut by_barcode = HashMap::new();
        let mut by_vendor: HashMap<String, Option<usize>> = HashMap::new();
        for (i, s) in skus.iter().enumerate() {
            by_code.insert(s.code.to_lowercase(), i);
            for b in &s.barcodes {
                by_barcode.insert(b.clone(), i);
            }
            if !s.vendor_code.is_empty() {
                by_vendor
                    .entry(s.vendor_code.to_lowercase())
                    .and_modify(|v| *v = None)
                    .or_insert(Some(i));
            }
        }
        SkuIndex {
            skus,
            by_code,
            by_barcode,
            by_vendor,
        }
    }

    /// The SKU a cell names: our code (any case), else a barcode, else a vendor code only
    /// one SKU has.
    pub(crate) fn find(&self, v: &str) -> Option<&Sku> {
        let v = v.trim();
        self.by_code
            .get(&v.to_lowercase())
            .or_else(|| self.by_barcode.get(v))
            .copied()
            .or_else(|| self.by_vendor.get(&v.to_lowercase()).copied().flatten())
            .map(|i| &self.skus[i])
    }

    /// The SKU a row names in the first of `columns` (cell indexes) that finds one.
    pub(crate) fn in_row(
        &self,
        cells: &[String],
        columns: impl IntoIterator<Item = usize>,
    ) -> Option<&Sku> {
        columns.into_iter().find_map(|j| {
            Some(super::preview::cell(cells, Some(j)))
                .filter(|v| !v.is_empty())
                .and_then(|v| self.find(v))
        })
    }
}
