//! mpbot: marketplace operations (Ozon, Wildberries, Yandex Market) from Telegram.
#![recursion_limit = "512"]

pub mod app;
pub mod bot;
pub mod clock;
pub mod config;
pub mod console;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod marketplaces;
pub mod notify;
pub mod ratelimit;
pub mod render;
pub mod sandbox;
pub mod secrets;
pub mod startup;
pub mod storage;
pub mod sync;
