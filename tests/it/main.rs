//! The one integration-test binary: a shared harness and one module per area.

mod alerts;
mod bench;
mod bench_engine;
mod bench_idle;
mod bench_labels;
mod bench_orders;
mod bench_prices;
mod bench_process;
mod bench_stocks;
mod bot;
mod botapi;
mod cli;
mod crash;
mod digest;
mod harness;
mod hostile;
mod killed;
mod labels;
mod layers;
mod locales;
mod novaposhta;
mod openapi;
mod orders;

mod ozon;
mod prices;
mod rules;
mod scenario;
mod secrets;
mod stocks;
mod storage;
mod strangers;
mod telegram;
mod transcripts;
mod wb;
mod ym;
