//! Ids of the things a workspace keeps. Each is its own type, so a SKU id cannot be passed
//! where a product, an order or a store is meant. They serialize as the bare number, so
//! stored dialogues, alerts and formulas read the same as before they had types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// One of our SKUs (a row of the catalogue).
    SkuId
);
id_type!(
    /// A marketplace product as we keep it (one per cabinet and listing).
    ProductId
);
id_type!(
    /// An order as we keep it.
    OrderId
);
id_type!(
    /// One of our warehouses.
    StoreId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_write_as_bare_numbers() {
        assert_eq!(serde_json::to_string(&SkuId(7)).expect("encodes"), "7");
        assert_eq!(
            serde_json::from_str::<StoreId>("12").expect("decodes"),
            StoreId(12)
        );
        assert_eq!("42".parse::<OrderId>(), Ok(OrderId(42)));
        assert!("x".parse::<ProductId>().is_err());
        assert_eq!(i64::from(SkuId(3)), 3);
    }
}
