//! The catalogue (F2), pure: how a marketplace product finds its SKU of ours (barcode
//! first, then vendor code), and how unlinked products group into new SKUs (the same goods
//! on several marketplaces share a barcode or a vendor code and become one SKU).

use std::collections::{BTreeSet, HashMap};

use super::SkuId;

/// What a product is matched by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub barcodes: Vec<String>,
    pub vendor_code: String,
}

/// How a product matched our SKUs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    Barcode(SkuId),
    VendorCode(SkuId),
    /// More than one SKU fits: left for a person to choose.
    Ambiguous(Vec<SkuId>),
    None,
}

/// A vendor code as compared: trimmed, case-insensitive.
pub fn norm(code: &str) -> String {
    code.trim().to_lowercase()
}

/// Our SKUs by barcode and by vendor code.
#[derive(Debug, Default)]
pub struct Index {
    by_barcode: HashMap<String, BTreeSet<SkuId>>,
    by_vendor: HashMap<String, BTreeSet<SkuId>>,
}

impl Index {
    pub fn add(&mut self, sku: SkuId, keys: &Keys) {
        for b in &keys.barcodes {
            let b = b.trim();
            if !b.is_empty() {
                self.by_barcode.entry(b.to_owned()).or_default().insert(sku);
            }
        }
        let v = norm(&keys.vendor_code);
        if !v.is_empty() {
            self.by_vendor.entry(v).or_default().insert(sku);
        }
    }

    /// The SKU a product belongs to: one SKU by barcode, else one by vendor code.
    pub fn find(&self, keys: &Keys) -> Match {
        let by_barcode: BTreeSet<SkuId> = keys
            .barcodes
            .iter()
            .filter_map(|b| self.by_barcode.get(b.trim()))
            .flatten()
            .copied()
            .collect();
        match (by_barcode.len(), by_barcode.first()) {
            (1, Some(&id)) => return Match::Barcode(id),
            (0, _) => {}
            _ => return Match::Ambiguous(by_barcode.into_iter().collect()),
        }
        match self.by_vendor.get(&norm(&keys.vendor_code)) {
            None => Match::None,
            Some(set) => match (set.len(), set.first()) {
                (0, _) | (_, None) => Match::None,
                (1, Some(&id)) => Match::VendorCode(id),
                _ => Match::Ambiguous(set.iter().copied().collect()),
            },
        }
    }
}

/// Groups products (by index into `keys`) that are the same goods: those sharing a barcode,
/// and those with no barcode sharing a vendor code. Groups come in the order of their first
/// product.
pub fn group(keys: &[Keys]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let mut names: Vec<String> = k
            .barcodes
            .iter()
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
            .map(|b| format!("b:{b}"))
            .collect();
        if names.is_empty() && !norm(&k.vendor_code).is_empty() {
            names.push(format!("v:{}", norm(&k.vendor_code)));
        }
        for n in names {
            match first.get(&n) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    first.insert(n, i);
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut at: HashMap<usize, usize> = HashMap::new();
    for i in 0..keys.len() {
        let r = root(&mut parent, i);
        match at.get(&r) {
            Some(&g) => groups[g].push(i),
            None => {
                at.insert(r, groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// A SKU code made from a vendor code: kept as is when free, else with `-2`, `-3`, ...
pub fn free_code(wanted: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let base: String = wanted.trim().chars().take(60).collect();
    let base = if base.is_empty() {
        "SKU".to_owned()
    } else {
        base
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(barcodes: &[&str], vendor: &str) -> Keys {
        Keys {
            barcodes: barcodes.iter().map(|s| (*s).to_owned()).collect(),
            vendor_code: vendor.to_owned(),
        }
    }

    #[test]
    fn barcode_first_then_vendor_code() {
        let mut ix = Index::default();
        ix.add(SkuId(1), &k(&["4600000000011"], "ART-1"));
        ix.add(SkuId(2), &k(&["4600000000028"], "ART-2"));
        ix.add(SkuId(3), &k(&[], "art-2"));
        assert_eq!(
            ix.find(&k(&["4600000000011"], "X")),
            Match::Barcode(SkuId(1))
        );
        // The barcode wins over a vendor code that names another SKU.
        assert_eq!(
            ix.find(&k(&["4600000000028"], "ART-1")),
            Match::Barcode(SkuId(2))
        );
        assert_eq!(ix.find(&k(&[], " Art-1 ")), Match::VendorCode(SkuId(1)));
        assert_eq!(
            ix.find(&k(&[], "ART-2")),
            Match::Ambiguous(vec![SkuId(2), SkuId(3)])
        );
        assert_eq!(
            ix.find(&k(&["4600000000011", "4600000000028"], "")),
            Match::Ambiguous(vec![SkuId(1), SkuId(2)])
        );
        assert_eq!(ix.find(&k(&["1"], "none")), Match::None);
    }

    #[test]
    fn the_same_goods_on_several_marketplaces_group_into_one() {
        let keys = [
            k(&["4600000000011"], "ART-1"),
            k(&["4600000000028"], "ART-2"),
            k(&["4600000000011", "4600000000035"], "WB-1"),
            k(&["4600000000035"], "YM-1"),
            k(&[], "ART-9"),
            k(&[], "art-9"),
        ];
        assert_eq!(group(&keys), vec![vec![0, 2, 3], vec![1], vec![4, 5]]);
    }

    #[test]
    fn codes_stay_unique() {
        let taken = |c: &str| c == "ART-1" || c == "ART-1-2";
        assert_eq!(free_code("ART-1", &taken), "ART-1-3");
        assert_eq!(free_code("ART-5", &taken), "ART-5");
        assert_eq!(free_code("  ", &taken), "SKU");
    }
}

/// A SKU of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sku {
    pub id: SkuId,
    pub code: String,
    pub name: String,
    pub vendor_code: String,
    pub barcodes: Vec<String>,
    pub weight_g: Option<i64>,
    pub low_stock: Option<i64>,
    pub publish: bool,
    pub formula: Option<super::stock::Formula>,
}

/// A marketplace product as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRow {
    pub id: super::ProductId,
    pub cabinet: super::CabinetId,
    pub external_id: String,
    pub sku: String,
    pub vendor_code: String,
    pub name: String,
    pub barcodes: Vec<String>,
}

impl ProductRow {
    pub fn keys(&self) -> Keys {
        Keys {
            barcodes: self.barcodes.clone(),
            vendor_code: self.vendor_code.clone(),
        }
    }
}
