//! `/supplies` (F4): WB supplies per cabinet with their order counts; a supply's card adds
//! new orders (one tap each, or all), closes and hands it over after a confirmation, and
//! sends its QR code, or one PDF of its labels followed by the QR code. Each WB cabinet's
//! sticker size is switched here too.

use crate::domain::ids::OrderId;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, Notice, OrSay, Press};
use super::keyboards::{button, plain};
use super::out::Out;
use crate::app::Actor;
use crate::app::supplies::SupplyView;
use crate::domain::{CabinetId, Permission, TgChatId};
use crate::i18n::msg;
use crate::marketplaces::StickerSize;

/// The buttons of the supplies screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cb {
    List,
    Create(i64),
    Size(i64, StickerSize),
    Open(i64, String),
    Add(i64, String),
    AddOne(i64, String, OrderId),
    AddAll(i64, String),
    Close(i64, String),
    CloseYes(i64, String),
    Qr(i64, String),
    Labels(i64, String),
}

/// A WB supply id as it may appear in a button (`WB-GI-1234567`).
fn supply_id(s: &str) -> Option<String> {
    (!s.is_empty() && s.len() <= 32 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| s.to_owned())
}

impl Cb {
    pub fn data(&self) -> String {
        codec::data(match self {
            Cb::List => "sp:l".to_owned(),
            Cb::Create(c) => format!("sp:n:{c}"),
            Cb::Size(c, s) => format!("sp:z:{c}:{}", s.code()),
            Cb::Open(c, s) => format!("sp:o:{c}:{s}"),
            Cb::Add(c, s) => format!("sp:a:{c}:{s}"),
            Cb::AddOne(c, s, o) => format!("sp:a1:{c}:{s}:{o}"),
            Cb::AddAll(c, s) => format!("sp:aa:{c}:{s}"),
            Cb::Close(c, s) => format!("sp:x:{c}:{s}"),
            Cb::CloseYes(c, s) => format!("sp:xy:{c}:{s}"),
            Cb::Qr(c, s) => format!("sp:q:{c}:{s}"),
            Cb::Labels(c, s) => format!("sp:lb:{c}:{s}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let c = |s: &str| codec::id(s);
        Some(match parts {
            ["sp", "l"] => Cb::List,
            ["sp", "n", cab] => Cb::Create(c(cab)?),
            ["sp", "z", cab, size] => Cb::Size(
                c(cab)?,
                StickerSize::ALL.into_iter().find(|s| s.code() == *size)?,
            ),
            ["sp", "o", cab, s] => Cb::Open(c(cab)?, supply_id(s)?),
            ["sp", "a", cab, s] => Cb::Add(c(cab)?, supply_id(s)?),
            ["sp", "a1", cab, s, o] => Cb::AddOne(c(cab)?, supply_id(s)?, codec::id(o)?),
            ["sp", "aa", cab, s] => Cb::AddAll(c(cab)?, supply_id(s)?),
            ["sp", "x", cab, s] => Cb::Close(c(cab)?, supply_id(s)?),
            ["sp", "xy", cab, s] => Cb::CloseYes(c(cab)?, supply_id(s)?),
            ["sp", "q", cab, s] => Cb::Qr(c(cab)?, supply_id(s)?),
            ["sp", "lb", cab, s] => Cb::Labels(c(cab)?, supply_id(s)?),
            _ => return None,
        })
    }
}

fn size_label(s: StickerSize) -> String {
    let (w, h) = s.mm();
    format!("{w}×{h}")
}

fn count(v: &SupplyView) -> usize {
    v.orders.len() + v.unknown
}

/// `/supplies`, or its list button: every WB cabinet's newest supplies.
pub async fn show(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let all = out.svc.supplies().list(actor).await?;
    if all.is_empty() {
        return Err(BotError::User(msg("supplies-no-wb")));
    }
    let mut lines = vec![out.t(&msg("supplies-title"))];
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for cs in &all {
        let cab = cs.cabinet.id.0;
        lines.push(String::new());
        lines.push(
            out.t(&msg("supplies-cabinet")
                .arg("cabinet", cs.cabinet.name.clone())
                .arg("size", size_label(cs.sticker))),
        );
        if cs.unavailable {
            lines.push(out.t(&msg("supplies-unavailable")));
        } else if cs.supplies.is_empty() {
            lines.push(out.t(&msg("supplies-none")));
        }
        for s in &cs.supplies {
            let line = if s.done {
                msg("supply-line-done")
            } else {
                msg("supply-line-open")
            };
            let text = out.t(&line.arg("name", s.name.clone()).arg("count", count(s)));
            lines.push(text.clone());
            rows.push(vec![plain(text, Cb::Open(cab, s.id.clone()).data())]);
        }
        let other = match cs.sticker {
            StickerSize::Large => StickerSize::Small,
            StickerSize::Small => StickerSize::Large,
        };
        let mut tools = vec![button(
            out,
            msg("supply-new-button"),
            Cb::Create(cab).data(),
        )];
        if actor.role.can(Permission::ManageCabinets) {
            tools.push(button(
                out,
                msg("supply-size-button").arg("size", size_label(other)),
                Cb::Size(cab, other).data(),
            ));
        }
        rows.push(tools);
    }
    out.show(
        edit,
        lines.join("\n"),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

/// A supply's card: its orders and what can be done with it.
async fn card(
    out: &Out,
    actor: Actor,
    cabinet: i64,
    supply: &str,
    edit: Option<MessageId>,
) -> BotResult {
    let v = out
        .svc
        .supplies()
        .supply(actor, CabinetId(cabinet), supply)
        .await
        .or_say("supply-gone")?;
    let state = out.t(&msg(if v.done {
        "supply-state-done"
    } else {
        "supply-state-open"
    }));
    let mut lines = vec![
        out.t(&msg("supply-card")
            .arg("name", v.name.clone())
            .arg("id", v.id.clone())
            .arg("state", state)
            .arg("count", count(&v))),
    ];
    for o in v.orders.iter().take(30) {
        let items = o
            .items
            .iter()
            .map(|i| format!("{} × {}", i.name, i.quantity))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(format!("• {} · {items}", o.number));
    }
    if v.orders.len() > 30 {
        lines.push(format!("• … {}", v.orders.len() - 30));
    }
    let id = || v.id.clone();
    let mut rows = Vec::new();
    if !v.done {
        rows.push(vec![button(
            out,
            msg("supply-add-button"),
            Cb::Add(cabinet, id()).data(),
        )]);
    }
    // WB gives the QR code once the supply is handed over: then the courier's PDF (the
    // labels and the QR code) and the QR code alone; before, the labels alone.
    if !v.orders.is_empty() {
        let label = if v.done {
            "supply-labels-button"
        } else {
            "supply-labels-only-button"
        };
        rows.push(vec![button(
            out,
            msg(label),
            Cb::Labels(cabinet, id()).data(),
        )]);
    }
    if v.done {
        rows.push(vec![button(
            out,
            msg("supply-qr-button"),
            Cb::Qr(cabinet, id()).data(),
        )]);
    }
    if !v.done && count(&v) > 0 {
        rows.push(vec![button(
            out,
            msg("supply-close-button"),
            Cb::Close(cabinet, id()).data(),
        )]);
    }
    rows.push(vec![button(out, msg("button-back"), Cb::List.data())]);
    out.show(
        edit,
        lines.join("\n"),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

/// New orders to add to a supply, one button each.
async fn candidates(out: &Out, actor: Actor, cabinet: i64, supply: &str, edit: MessageId) -> Press {
    let list = out
        .svc
        .supplies()
        .supply_candidates(actor, CabinetId(cabinet))
        .await?;
    if list.is_empty() {
        return Err(BotError::User(msg("supply-add-none")));
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = list
        .iter()
        .map(|o| {
            let first = o.items.first().map(|i| i.name.as_str()).unwrap_or_default();
            let label: String = format!("➕ {} · {first}", o.number)
                .chars()
                .take(60)
                .collect();
            vec![plain(
                label,
                Cb::AddOne(cabinet, supply.to_owned(), o.id).data(),
            )]
        })
        .collect();
    if list.len() > 1 {
        rows.push(vec![button(
            out,
            msg("supply-add-all").arg("count", list.len()),
            Cb::AddAll(cabinet, supply.to_owned()).data(),
        )]);
    }
    rows.push(vec![button(
        out,
        msg("button-back"),
        Cb::Open(cabinet, supply.to_owned()).data(),
    )]);
    out.edit(
        edit,
        out.t(&msg("supply-add-title")),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(Notice::None)
}

/// The supplies screens' buttons.
pub async fn on_press(out: &Out, ctx: &Ctx, message: MessageId, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::AssembleOrders)?;
    match cb {
        Cb::List => show(out, actor, Some(message)).await?,
        Cb::Create(cab) => {
            let id = out
                .svc
                .supplies()
                .create_supply(actor, CabinetId(cab))
                .await
                .or_say("supply-gone")?;
            card(out, actor, cab, &id, Some(message)).await?;
            return Ok(Notice::Toast(msg("supply-created")));
        }
        Cb::Size(cab, size) => {
            out.svc
                .supplies()
                .set_sticker_size(actor, CabinetId(cab), size)
                .await
                .or_say("supply-gone")?;
            show(out, actor, Some(message)).await?;
            return Ok(Notice::Toast(
                msg("supply-size-set").arg("size", size_label(size)),
            ));
        }
        Cb::Open(cab, s) => card(out, actor, cab, &s, Some(message)).await?,
        Cb::Add(cab, s) => return candidates(out, actor, cab, &s, message).await,
        Cb::AddOne(cab, s, order) => {
            let n = out
                .svc
                .supplies()
                .add_to_supply(actor, CabinetId(cab), &s, &[order])
                .await
                .or_say("supply-gone")?;
            card(out, actor, cab, &s, Some(message)).await?;
            return Ok(Notice::Toast(msg("supply-added").arg("count", n)));
        }
        Cb::AddAll(cab, s) => {
            let ids: Vec<OrderId> = out
                .svc
                .supplies()
                .supply_candidates(actor, CabinetId(cab))
                .await?
                .iter()
                .map(|o| o.id)
                .collect();
            let n = out
                .svc
                .supplies()
                .add_to_supply(actor, CabinetId(cab), &s, &ids)
                .await
                .or_say("supply-gone")?;
            card(out, actor, cab, &s, Some(message)).await?;
            return Ok(Notice::Toast(msg("supply-added").arg("count", n)));
        }
        Cb::Close(cab, s) => {
            let v = out
                .svc
                .supplies()
                .supply(actor, CabinetId(cab), &s)
                .await
                .or_say("supply-gone")?;
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("supply-close-yes"),
                    Cb::CloseYes(cab, s.clone()).data(),
                )],
                vec![button(
                    out,
                    msg("button-back"),
                    Cb::Open(cab, s.clone()).data(),
                )],
            ]);
            let text = out.t(&msg("supply-close-confirm")
                .arg("count", count(&v))
                .arg("name", v.name));
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::CloseYes(cab, s) => {
            out.svc
                .supplies()
                .deliver_supply(actor, CabinetId(cab), &s)
                .await
                .or_say("supply-gone")?;
            card(out, actor, cab, &s, Some(message)).await?;
            return Ok(Notice::Toast(msg("supply-closed")));
        }
        Cb::Qr(cab, s) => {
            let (text, png) = out
                .svc
                .supplies()
                .supply_qr(actor, CabinetId(cab), &s)
                .await
                .or_say("supply-gone")?;
            // WB's barcode text is usually the id itself: say it once.
            let barcode = if text == s {
                String::new()
            } else {
                format!(" · {text}")
            };
            let caption = out.t(&msg("supply-qr-caption")
                .arg("id", s.clone())
                .arg("barcode", barcode));
            out.send_photo(&format!("supply-{s}.png"), &png, Some(caption))
                .await?;
        }
        Cb::Labels(cab, s) => {
            let queued = out
                .svc
                .supplies()
                .supply_labels(actor, TgChatId(out.chat.0), CabinetId(cab), &s)
                .await
                .or_say("supply-gone")?;
            return super::documents::told(queued);
        }
    }
    Ok(Notice::None)
}
