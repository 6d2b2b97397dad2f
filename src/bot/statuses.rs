//! `/statuses` (F3): the marketplace statuses the company's orders were seen in and the
//! unified status each maps to, unmapped ones first; a tap opens a status, a second tap
//! maps it (or puts back the default). An alert about an unmapped status carries the same
//! one-tap choice. Owners and admins only.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotResult, Notice, OrSay, Press};
use super::keyboards::button;
use super::names;
use super::out::Out;
use crate::app::Actor;
use crate::app::statuses::{Remapped, StatusRow};
use crate::domain::Permission;
use crate::domain::order::UnifiedStatus;
use crate::i18n::msg;

/// Statuses to a page.
const PAGE: usize = 8;

/// What a status can be mapped to (a mapping to "no status" would mean nothing).
const TARGETS: [UnifiedStatus; 9] = [
    UnifiedStatus::New,
    UnifiedStatus::Confirmed,
    UnifiedStatus::Packed,
    UnifiedStatus::LabelReceived,
    UnifiedStatus::Shipped,
    UnifiedStatus::Delivered,
    UnifiedStatus::Cancelled,
    UnifiedStatus::Returned,
    UnifiedStatus::Disputed,
];

/// The buttons of `/statuses` and of unmapped-status alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    /// A page of the table.
    List(i64),
    /// One status, to map, from a page.
    Pick(i64, i64),
    /// Map a status (`None`: back to its default), then show the page.
    Set(i64, Option<UnifiedStatus>, i64),
    /// Map a status from its alert.
    FromAlert(i64, UnifiedStatus),
}

fn unified_code(u: Option<UnifiedStatus>) -> String {
    u.map_or_else(|| "-".to_owned(), |u| u.code().to_owned())
}

fn parse_unified(s: &str) -> Option<Option<UnifiedStatus>> {
    match s {
        "-" => Some(None),
        s => s.parse().ok().map(Some),
    }
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::List(p) => format!("st:l:{p}"),
            Cb::Pick(id, p) => format!("st:k:{id}:{p}"),
            Cb::Set(id, u, p) => format!("st:m:{id}:{}:{p}", unified_code(u)),
            Cb::FromAlert(id, u) => format!("st:a:{id}:{}", u.code()),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let page = |s: &str| s.parse::<i64>().ok().map(|p| p.clamp(0, 1_000));
        match parts {
            ["st", "l", p] => Some(Cb::List(page(p)?)),
            ["st", "k", id, p] => Some(Cb::Pick(codec::id(id)?, page(p)?)),
            ["st", "m", id, u, p] => Some(Cb::Set(codec::id(id)?, parse_unified(u)?, page(p)?)),
            ["st", "a", id, u] => Some(Cb::FromAlert(codec::id(id)?, parse_unified(u)??)),
            _ => None,
        }
    }
}

/// How one status reads: `Ozon · awaiting_packaging → Confirmed`.
fn row_label(out: &Out, r: &StatusRow) -> String {
    format!(
        "{} · {}",
        out.t(&names::marketplace(r.key.marketplace)),
        r.key.label()
    )
}

fn row_line(out: &Out, r: &StatusRow) -> String {
    let id = match (r.unified(), r.own.is_some()) {
        (UnifiedStatus::NoStatus, _) => "statuses-line-unmapped",
        (_, true) => "statuses-line-own",
        (_, false) => "statuses-line",
    };
    out.t(&msg(id)
        .arg("status", row_label(out, r))
        .arg("unified", out.t(&names::unified(r.unified())))
        .arg("orders", r.orders))
}

/// `/statuses` (or a page button).
pub async fn show(out: &Out, actor: Actor, page: i64, edit: Option<MessageId>) -> BotResult {
    let rows = out.svc.statuses().status_table(actor).await?;
    let (text, kb) = list(out, &rows, page);
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

fn list(out: &Out, rows: &[StatusRow], page: i64) -> (String, InlineKeyboardMarkup) {
    let pages = rows.len().div_ceil(PAGE).max(1);
    let page = usize::try_from(page).unwrap_or(0).min(pages - 1);
    let unmapped = rows
        .iter()
        .filter(|r| r.unified() == UnifiedStatus::NoStatus)
        .count();
    let mut lines = vec![
        out.t(&msg("statuses-title")
            .arg("count", rows.len())
            .arg("unmapped", unmapped)),
    ];
    if rows.is_empty() {
        lines.push(out.t(&msg("statuses-empty")));
    }
    let shown = rows.iter().skip(page * PAGE).take(PAGE);
    let mut kb: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    let back_page = i64::try_from(page).unwrap_or(0);
    for r in shown {
        lines.push(row_line(out, r));
        let label: String = row_label(out, r).chars().take(48).collect();
        kb.push(vec![InlineKeyboardButton::callback(
            label,
            Cb::Pick(r.id, back_page).data(),
        )]);
    }
    if pages > 1 {
        lines.push(
            out.t(&msg("statuses-page")
                .arg("page", page + 1)
                .arg("pages", pages)),
        );
        let mut nav = Vec::new();
        if page > 0 {
            nav.push(button(
                out,
                msg("orders-prev"),
                Cb::List(back_page - 1).data(),
            ));
        }
        if page + 1 < pages {
            nav.push(button(
                out,
                msg("orders-next"),
                Cb::List(back_page + 1).data(),
            ));
        }
        kb.push(nav);
    }
    if !rows.is_empty() {
        lines.push(String::new());
        lines.push(out.t(&msg("statuses-hint")));
    }
    (lines.join("\n"), InlineKeyboardMarkup::new(kb))
}

/// The choice of unified statuses for one status, `current` marked.
fn targets(
    out: &Out,
    current: UnifiedStatus,
    data: impl Fn(UnifiedStatus) -> String,
) -> Vec<Vec<InlineKeyboardButton>> {
    TARGETS
        .chunks(3)
        .map(|chunk| {
            chunk
                .iter()
                .map(|u| {
                    let name = out.t(&names::unified(*u));
                    let label = if *u == current {
                        format!("• {name}")
                    } else {
                        name
                    };
                    InlineKeyboardButton::callback(label, data(*u))
                })
                .collect()
        })
        .collect()
}

fn picker(out: &Out, r: &StatusRow, page: i64) -> (String, InlineKeyboardMarkup) {
    let default = r
        .default
        .map(|u| out.t(&names::unified(u)))
        .unwrap_or_else(|| out.t(&names::unified(UnifiedStatus::NoStatus)));
    let text = out.t(&msg(if r.own.is_some() {
        "statuses-pick-own"
    } else {
        "statuses-pick"
    })
    .arg("status", row_label(out, r))
    .arg("unified", out.t(&names::unified(r.unified())))
    .arg("default", default.clone())
    .arg("orders", r.orders));
    let mut kb = targets(out, r.unified(), |u| Cb::Set(r.id, Some(u), page).data());
    if r.own.is_some() {
        kb.push(vec![button(
            out,
            msg("statuses-default-button").arg("default", default),
            Cb::Set(r.id, None, page).data(),
        )]);
    }
    kb.push(vec![button(out, msg("button-back"), Cb::List(page).data())]);
    (text, InlineKeyboardMarkup::new(kb))
}

/// The one-tap choice an unmapped-status alert carries.
pub fn alert_buttons(out: &Out, id: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(targets(out, UnifiedStatus::NoStatus, |u| {
        Cb::FromAlert(id, u).data()
    }))
}

fn mapped(out: &Out, r: &Remapped) -> String {
    out.t(&msg("statuses-mapped")
        .arg(
            "status",
            format!(
                "{} · {}",
                out.t(&names::marketplace(r.key.marketplace)),
                r.key.label()
            ),
        )
        .arg("unified", out.t(&names::unified(r.unified)))
        .arg("orders", r.moved))
}

pub async fn on_press(out: &Out, ctx: &Ctx, message: MessageId, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ManageSettings)?;
    match cb {
        Cb::List(page) => show(out, actor, page, Some(message)).await?,
        Cb::Pick(id, page) => {
            let row = out
                .svc
                .statuses()
                .status_row(actor, id)
                .await
                .or_say("button-stale")?;
            let (text, kb) = picker(out, &row, page);
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::Set(id, unified, page) => {
            let done = out
                .svc
                .statuses()
                .map_status(actor, id, unified)
                .await
                .or_say("button-stale")?;
            show(out, actor, page, Some(message)).await?;
            return Ok(Notice::Toast(
                msg("statuses-mapped-toast").arg("unified", out.t(&names::unified(done.unified))),
            ));
        }
        Cb::FromAlert(id, unified) => {
            let done = out
                .svc
                .statuses()
                .map_status(actor, id, Some(unified))
                .await
                .or_say("button-stale")?;
            out.edit(message, mapped(out, &done), None).await?;
        }
    }
    Ok(Notice::None)
}
