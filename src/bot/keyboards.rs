//! Inline keyboards, built from typed callbacks and localized labels.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::domain::callback::Callback;
use crate::domain::{Lang, Role};
use crate::i18n::msg;

use super::out::Out;

/// A button with a localized label.
pub fn button(out: &Out, label: crate::i18n::Msg, cb: Callback) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(out.t(&label), cb.encode())
}

/// A language's name in that language.
pub fn lang_name(out: &Out, l: Lang) -> String {
    out.svc.i18n.render(l, &msg("lang-name"))
}

/// The language picker: one button per language, labelled in that language.
pub fn languages(out: &Out) -> InlineKeyboardMarkup {
    let row = Lang::ALL
        .into_iter()
        .map(|l| {
            let label = lang_name(out, l);
            let mark = if l == out.lang { "✓ " } else { "" };
            InlineKeyboardButton::callback(format!("{mark}{label}"), Callback::SetLang(l).encode())
        })
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(vec![row])
}

/// The row with a Cancel button that ends every dialogue keyboard.
pub fn cancel_row(out: &Out) -> Vec<InlineKeyboardButton> {
    vec![button(out, msg("button-cancel"), Callback::Cancel)]
}

/// A single Cancel button for dialogues.
pub fn cancel(out: &Out) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![cancel_row(out)])
}

/// One button per role the inviter may grant.
pub fn invite_roles(out: &Out, roles: &[Role]) -> InlineKeyboardMarkup {
    let rows = roles
        .iter()
        .map(|r| vec![button(out, role_name(*r), Callback::Invite(*r))])
        .chain(std::iter::once(cancel_row(out)))
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(rows)
}

/// The localized name of a role.
pub fn role_name(role: Role) -> crate::i18n::Msg {
    msg(match role {
        Role::Owner => "role-owner",
        Role::Admin => "role-admin",
        Role::Manager => "role-manager",
        Role::Warehouse => "role-warehouse",
        Role::Viewer => "role-viewer",
    })
}
