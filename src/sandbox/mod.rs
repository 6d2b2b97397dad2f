//! Loopback HTTP doubles with the real wire formats, used by the tests, `mpbot sandbox`
//! and `mpbot console`.

pub mod harness;
pub mod telegram;
