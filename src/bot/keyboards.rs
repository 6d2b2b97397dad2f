//! Inline keyboards: buttons with localized labels over a feature's encoded data.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::i18n::{Msg, msg};

use super::codec;
use super::out::Out;

/// A button with a localized label.
pub fn button(out: &Out, label: Msg, data: String) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(out.t(&label), data)
}

/// A button whose label is already text (a name, a number).
pub fn plain(label: impl Into<String>, data: String) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label.into(), data)
}

/// The row with a Cancel button that ends every dialogue keyboard.
/// The data of "back to /settings" (`settings::Cb::Back`), for the screens `/settings`
/// opens (e-mail) without their importing it back.
pub const SETTINGS_BACK: &str = "s:bk";

/// "Back" to the `/settings` overview.
pub fn back_to_settings(out: &Out) -> InlineKeyboardButton {
    button(
        out,
        crate::i18n::msg("button-back"),
        super::codec::data(SETTINGS_BACK),
    )
}

pub fn cancel_row(out: &Out) -> Vec<InlineKeyboardButton> {
    vec![button(out, msg("button-cancel"), codec::cancel())]
}

/// A single Cancel button for dialogues.
pub fn cancel(out: &Out) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![cancel_row(out)])
}

/// One button per row.
pub fn column(rows: impl IntoIterator<Item = InlineKeyboardButton>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.into_iter().map(|b| vec![b]).collect::<Vec<_>>())
}
