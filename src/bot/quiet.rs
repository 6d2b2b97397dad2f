//! `/quiet` (F7): quiet hours for this chat. In a group its company's owners and admins set
//! them; in a private chat each person sets their own. Between two times of day alerts of
//! the chosen kinds wait, then come as one digest; failures and key problems never wait.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageId};

use super::codec;
use super::context::{Ctx, answering};
use super::error::{BotError, BotResult, HandlerResult, Notice, OrSay, Press};
use super::keyboards::{button, plain};
use super::names;
use super::out::Out;
use super::state::{BotDialogue, State};
use crate::app::Actor;
use crate::domain::alerts::{EventKind, QuietHours};
use crate::domain::{Permission, TgChatId};
use crate::i18n::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    /// Type the hours.
    Span,
    Kind(EventKind),
    Off,
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Span => "qh:s".to_owned(),
            Cb::Kind(k) => format!("qh:k:{}", k.code()),
            Cb::Off => "qh:x".to_owned(),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["qh", "s"] => Some(Cb::Span),
            ["qh", "k", k] => k.parse().ok().map(Cb::Kind),
            ["qh", "x"] => Some(Cb::Off),
            _ => None,
        }
    }
}

fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn screen(out: &Out, q: Option<&QuietHours>) -> (String, InlineKeyboardMarkup) {
    let Some(q) = q else {
        let kb = vec![vec![button(out, msg("quiet-set-button"), Cb::Span.data())]];
        return (out.t(&msg("quiet-off")), InlineKeyboardMarkup::new(kb));
    };
    let kinds: Vec<String> = q.kinds.iter().map(|k| out.t(&names::event(*k))).collect();
    let text = out.t(&msg("quiet-on")
        .arg("from", hhmm(q.from))
        .arg("to", hhmm(q.to))
        .arg(
            "kinds",
            if kinds.is_empty() {
                out.t(&msg("quiet-no-kinds"))
            } else {
                kinds.join(", ")
            },
        ));
    let mut kb: Vec<Vec<InlineKeyboardButton>> = QuietHours::HOLDABLE
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|k| {
                    let mark = if q.kinds.contains(k) { "✅" } else { "▫️" };
                    plain(
                        format!("{mark} {}", out.t(&names::event(*k))),
                        Cb::Kind(*k).data(),
                    )
                })
                .collect()
        })
        .collect();
    kb.push(vec![
        button(out, msg("quiet-change-button"), Cb::Span.data()),
        button(out, msg("quiet-off-button"), Cb::Off.data()),
    ]);
    (text, InlineKeyboardMarkup::new(kb))
}

/// The chat whose quiet hours a person in `ctx` sets: this group, or their own chat.
fn chat_of(ctx: &Ctx, actor: Actor) -> TgChatId {
    if ctx.private {
        TgChatId(actor.user.0)
    } else {
        ctx.chat
    }
}

fn acting(ctx: &Ctx) -> Result<Actor, BotError> {
    let permission = if ctx.private {
        Permission::ViewData
    } else {
        Permission::ManageSettings
    };
    ctx.acting(permission)
}

/// `/quiet`.
pub async fn show(out: &Out, ctx: &Ctx, edit: Option<MessageId>) -> BotResult {
    let actor = acting(ctx)?;
    let q = out
        .svc
        .alerts()
        .quiet_hours(actor, chat_of(ctx, actor))
        .await
        .or_say("no-permission")?;
    let (text, kb) = screen(out, q.as_ref());
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = acting(ctx)?;
    let chat = chat_of(ctx, actor);
    match cb {
        Cb::Span => {
            out.svc
                .alerts()
                .quiet_hours(actor, chat)
                .await
                .or_say("no-permission")?;
            dialogue
                .update(State::QuietSpan {
                    workspace: actor.workspace.0,
                    chat: chat.0,
                })
                .await?;
            out.say(msg("quiet-ask")).await?;
        }
        Cb::Kind(k) => {
            let q = out
                .svc
                .alerts()
                .toggle_quiet_kind(actor, chat, k)
                .await
                .or_say("button-stale")?;
            let (text, kb) = screen(out, Some(&q));
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::Off => {
            out.svc
                .alerts()
                .quiet_off(actor, chat)
                .await
                .or_say("no-permission")?;
            let (text, kb) = screen(out, None);
            out.edit(message, text, Some(kb)).await?;
            return Ok(Notice::Toast(msg("quiet-turned-off")));
        }
    }
    Ok(Notice::None)
}

/// The hours typed after "Set quiet hours".
pub async fn span_message(
    bot: teloxide::Bot,
    svc: std::sync::Arc<crate::app::Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, chat): (i64, i64),
) -> HandlerResult {
    let permission = if ctx.private {
        Permission::ViewData
    } else {
        Permission::ManageSettings
    };
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        permission,
        async |out, actor| {
            let Some(span) = QuietHours::parse_span(message.text().unwrap_or_default()) else {
                return Err(BotError::User(msg("quiet-bad-span")));
            };
            let q = out
                .svc
                .alerts()
                .set_quiet_span(actor, TgChatId(chat), span)
                .await
                .or_say("no-permission")?;
            dialogue.exit().await?;
            let (text, kb) = screen(out, Some(&q));
            out.send_text(text, Some(kb)).await?;
            Ok(())
        },
    )
    .await
}
