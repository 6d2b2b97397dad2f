//! `/labels` (F4): the warehouse's printing desk. Without arguments it offers labels for
//! everything packed without one, and the pick and packing lists of what is to assemble;
//! with order numbers it prints those orders' labels, in the order typed.

use teloxide::types::{InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::documents::{ask_labels, send_list};
use super::error::{BotError, BotResult, Notice, Press};
use super::keyboards::button;
use super::out::Out;
use crate::app::Actor;
use crate::app::labels::Selection;
use crate::app::lists::ListKind;
use crate::domain::Permission;
use crate::i18n::msg;

/// Most numbers one `/labels` line takes.
const MAX_NUMBERS: usize = 100;

/// The buttons of the printing desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Unlabelled,
    Pick,
    Packing,
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Unlabelled => "lb:u",
            Cb::Pick => "lb:p",
            Cb::Packing => "lb:k",
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["lb", "u"] => Some(Cb::Unlabelled),
            ["lb", "p"] => Some(Cb::Pick),
            ["lb", "k"] => Some(Cb::Packing),
            _ => None,
        }
    }
}

fn desk(out: &Out) -> (String, InlineKeyboardMarkup) {
    let kb = InlineKeyboardMarkup::new(vec![
        vec![button(
            out,
            msg("labels-unlabelled-button"),
            Cb::Unlabelled.data(),
        )],
        vec![button(out, msg("list-pick-button"), Cb::Pick.data())],
        vec![button(out, msg("list-packing-button"), Cb::Packing.data())],
    ]);
    (out.t(&msg("labels-desk")), kb)
}

/// `/labels [numbers]`.
pub async fn command(out: &Out, actor: Actor, args: &str) -> BotResult {
    let numbers: Vec<&str> = args
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .collect();
    if numbers.is_empty() {
        let (text, kb) = desk(out);
        out.send_text(text, Some(kb)).await?;
        return Ok(());
    }
    if numbers.len() > MAX_NUMBERS {
        return Err(BotError::User(
            msg("labels-too-many").arg("max", MAX_NUMBERS),
        ));
    }
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for n in numbers {
        match out.svc.orders().find_order(actor, n).await {
            Ok(card) => ids.push(card.order.id),
            Err(crate::app::AppError::NotFound) => {
                unknown.push(n.chars().take(40).collect::<String>())
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !unknown.is_empty() {
        out.say(msg("labels-unknown").arg("numbers", unknown.join(", ")))
            .await?;
    }
    if ids.is_empty() {
        return Ok(());
    }
    let notice = match ask_labels(out, actor, Selection::Orders(ids)).await {
        Ok(Notice::Toast(m) | Notice::Alert(m)) => m,
        Ok(Notice::None) => return Ok(()),
        Err(BotError::User(m)) => m,
        Err(e) => return Err(e),
    };
    out.say(notice).await?;
    Ok(())
}

/// The desk's buttons.
pub async fn on_press(out: &Out, ctx: &Ctx, _message: MessageId, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::AssembleOrders)?;
    match cb {
        Cb::Unlabelled => ask_labels(out, actor, Selection::Unlabelled).await,
        Cb::Pick => send_list(out, actor, ListKind::Pick).await,
        Cb::Packing => send_list(out, actor, ListKind::Packing).await,
    }
}
