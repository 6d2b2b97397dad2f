//! `/alerts`: the kinds of alerts a member also wants here, in their private chat, on top
//! of what their company's groups get. Any member chooses their own; the sums in them show
//! only to roles that see money.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotResult, Notice, Press};
use super::names;
use super::out::Out;
use crate::app::Actor;
use crate::domain::{EventKind, Permission};
use crate::i18n::msg;

/// One kind turned on (`true`) or off: the button carries what it sets, so a double tap
/// sets the same twice instead of undoing itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cb(pub EventKind, pub bool);

impl Cb {
    pub fn data(self) -> String {
        codec::data(format!("pa:{}:{}", self.0.code(), u8::from(self.1)))
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["pa", e, on] => Some(Cb(e.parse().ok()?, codec::flag(on)?)),
            _ => None,
        }
    }
}

fn view(out: &Out, on: &[EventKind]) -> (String, InlineKeyboardMarkup) {
    let chosen = if on.is_empty() {
        out.t(&msg("my-alerts-none"))
    } else {
        on.iter()
            .map(|e| out.t(&names::event(*e)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = out.t(&msg("my-alerts-title").arg("events", chosen));
    let rows = EventKind::OFFERED
        .into_iter()
        .map(|e| {
            let is_on = on.contains(&e);
            let mark = if is_on { "✅" } else { "▫️" };
            let label = format!("{mark} {}", out.t(&names::event(e)));
            vec![InlineKeyboardButton::callback(label, Cb(e, !is_on).data())]
        })
        .collect::<Vec<_>>();
    (text, InlineKeyboardMarkup::new(rows))
}

/// `/alerts`.
pub async fn show(out: &Out, actor: Actor) -> BotResult {
    let on = out.svc.alerts().my_alerts(actor).await?;
    let (text, kb) = view(out, &on);
    out.show(None, text, Some(kb)).await?;
    Ok(())
}

pub async fn on_press(out: &Out, ctx: &Ctx, message: MessageId, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    let Cb(event, now_on) = cb;
    out.svc.alerts().set_my_alert(actor, event, now_on).await?;
    let on = out.svc.alerts().my_alerts(actor).await?;
    let (text, kb) = view(out, &on);
    out.edit(message, text, Some(kb)).await?;
    let id = if now_on {
        "my-alerts-on"
    } else {
        "my-alerts-off"
    };
    Ok(Notice::Toast(
        msg(id).arg("event", out.t(&names::event(cb.0))),
    ))
}
