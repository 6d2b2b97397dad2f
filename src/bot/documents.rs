//! Asking for labels and lists from any feature's buttons: the request goes to the job
//! queue (the files come to this chat), lists are made and sent at once.

use super::error::{BotError, Notice, Press};
use super::out::Out;
use crate::app::Actor;
use crate::app::labels::{LabelsQueued, Selection};
use crate::app::lists::{ListKind, Words};
use crate::domain::TgChatId;
use crate::i18n::msg;

/// Labels for a selection, to come to this chat.
pub async fn ask_labels(out: &Out, actor: Actor, sel: Selection) -> Press {
    let queued = out
        .svc
        .labels()
        .request_labels(actor, TgChatId(out.chat.0), sel)
        .await?;
    told(queued)
}

/// What the presser hears of a batch asked for.
pub fn told(queued: LabelsQueued) -> Press {
    match queued {
        LabelsQueued::Queued { orders } => {
            Ok(Notice::Toast(msg("labels-queued").arg("count", orders)))
        }
        LabelsQueued::AlreadyPending => Ok(Notice::Toast(msg("labels-already"))),
        LabelsQueued::Nothing => Err(BotError::User(msg("labels-nothing"))),
    }
}

/// The words of a list in this chat's language.
fn words(out: &Out, kind: ListKind, orders: usize, company: &str, date: &str) -> Words {
    let t = |id: &'static str| out.t(&msg(id));
    Words {
        title: t(match kind {
            ListKind::Pick => "list-pick-title",
            ListKind::Packing => "list-packing-title",
        }),
        subtitle: out.t(&msg("list-subtitle")
            .arg("date", date.to_owned())
            .arg("company", company.to_owned())
            .arg("count", orders)),
        sku: t("list-sku"),
        name: t("list-name"),
        location: t("list-location"),
        barcode: t("list-barcode"),
        quantity: t("list-quantity"),
        order: t("list-order"),
        total: t("list-total"),
    }
}

/// A pick or packing list of what is to assemble, sent to this chat.
pub async fn send_list(out: &Out, actor: Actor, kind: ListKind) -> Press {
    let company = out.svc.workspace_name(actor.workspace).await?;
    // The company's day, as `dd.mm.yyyy`.
    let date = out
        .svc
        .labels()
        .today(actor.workspace)
        .await?
        .split('-')
        .rev()
        .collect::<Vec<_>>()
        .join(".");
    let made = out
        .svc
        .labels()
        .assembly_list(actor, kind, |n| words(out, kind, n, &company, &date))
        .await?;
    let Some(made) = made else {
        return Err(BotError::User(msg("list-nothing")));
    };
    let caption = out.t(&msg(match kind {
        ListKind::Pick => "list-pick-caption",
        ListKind::Packing => "list-packing-caption",
    })
    .arg("count", made.orders));
    out.send_document(&made.name, &made.pdf, Some(caption), None)
        .await?;
    Ok(Notice::None)
}
