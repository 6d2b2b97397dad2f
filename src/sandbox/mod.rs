//! Loopback HTTP doubles with the real wire formats, used by the tests, `mpbot sandbox`
//! and `mpbot console`.

pub mod common;
pub mod harness;
pub mod novaposhta;
pub mod ozon;
pub mod telegram;
pub mod wb;
pub mod ym;
