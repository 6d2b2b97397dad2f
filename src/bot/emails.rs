//! E-mail for alerts (F7), from `/settings` when the deployment names an SMTP server: the
//! company's addresses, one added and confirmed by the code sent to it, the alert kinds
//! each hears, one removed. Owners and admins.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageId};

use super::codec;
use super::context::{Ctx, answering};
use super::error::{BotError, BotResult, HandlerResult, Notice, OrSay, Press};
use super::keyboards::{button, cancel, plain};
use super::names;
use super::out::Out;
use super::state::{BotDialogue, State};
use crate::app::Actor;
use crate::app::emails::Email;
use crate::app::emails::{Added, Confirmed};
use crate::domain::Permission;
use crate::domain::alerts::EventKind;
use crate::i18n::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    List,
    Add,
    Open(i64),
    Event(i64, EventKind),
    Delete(i64),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::List => "em:l".to_owned(),
            Cb::Add => "em:a".to_owned(),
            Cb::Open(id) => format!("em:o:{id}"),
            Cb::Event(id, k) => format!("em:e:{id}:{}", k.code()),
            Cb::Delete(id) => format!("em:d:{id}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["em", "l"] => Some(Cb::List),
            ["em", "a"] => Some(Cb::Add),
            ["em", "o", id] => Some(Cb::Open(codec::id(id)?)),
            ["em", "e", id, k] => Some(Cb::Event(codec::id(id)?, k.parse().ok()?)),
            ["em", "d", id] => Some(Cb::Delete(codec::id(id)?)),
            _ => None,
        }
    }
}

fn line(out: &Out, e: &Email) -> String {
    if !e.confirmed {
        return out.t(&msg("emails-line-waiting").arg("address", e.address.clone()));
    }
    let kinds: Vec<String> = e.events.iter().map(|k| out.t(&names::event(*k))).collect();
    out.t(&msg("emails-line").arg("address", e.address.clone()).arg(
        "kinds",
        if kinds.is_empty() {
            out.t(&msg("quiet-no-kinds"))
        } else {
            kinds.join(", ")
        },
    ))
}

/// The company's addresses.
pub async fn show(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let list = out.svc.emails().list(actor).await?;
    let mut lines = vec![out.t(&msg("emails-title"))];
    if list.is_empty() {
        lines.push(out.t(&msg("emails-empty")));
    }
    let mut kb: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for e in &list {
        lines.push(line(out, e));
        kb.push(vec![plain(e.address.clone(), Cb::Open(e.id).data())]);
    }
    kb.push(vec![button(out, msg("emails-add-button"), Cb::Add.data())]);
    kb.push(vec![super::keyboards::back_to_settings(out)]);
    out.show(edit, lines.join("\n"), Some(InlineKeyboardMarkup::new(kb)))
        .await?;
    Ok(())
}

fn address_screen(out: &Out, e: &Email) -> (String, InlineKeyboardMarkup) {
    let mut kb: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if e.confirmed {
        kb.extend(EventKind::OFFERED.chunks(2).map(|pair| {
            pair.iter()
                .map(|k| {
                    let mark = if e.events.contains(k) {
                        "✅"
                    } else {
                        "▫️"
                    };
                    plain(
                        format!("{mark} {}", out.t(&names::event(*k))),
                        Cb::Event(e.id, *k).data(),
                    )
                })
                .collect()
        }));
    }
    kb.push(vec![
        button(out, msg("emails-delete-button"), Cb::Delete(e.id).data()),
        button(out, msg("button-back"), Cb::List.data()),
    ]);
    (line(out, e), InlineKeyboardMarkup::new(kb))
}

pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = ctx.acting(Permission::ManageSettings)?;
    if !out.svc.emails().available() {
        return Ok(Notice::Alert(msg("button-stale")));
    }
    match cb {
        Cb::List => show(out, actor, Some(message)).await?,
        Cb::Add => {
            dialogue
                .update(State::EmailAddress {
                    workspace: actor.workspace.0,
                })
                .await?;
            out.send_text(out.t(&msg("emails-ask-address")), Some(cancel(out)))
                .await?;
        }
        Cb::Open(id) => {
            let e = out
                .svc
                .emails()
                .get(actor, id)
                .await
                .or_say("emails-gone")?;
            let (text, kb) = address_screen(out, &e);
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::Event(id, k) => {
            let e = out
                .svc
                .emails()
                .toggle_event(actor, id, k)
                .await
                .or_say("emails-gone")?;
            let (text, kb) = address_screen(out, &e);
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::Delete(id) => {
            let e = out
                .svc
                .emails()
                .delete(actor, id)
                .await
                .or_say("emails-gone")?;
            show(out, actor, Some(message)).await?;
            return Ok(Notice::Toast(
                msg("emails-deleted").arg("address", e.address),
            ));
        }
    }
    Ok(Notice::None)
}

/// The address typed after "Add an address": a code goes to it.
pub async fn address_message(
    bot: teloxide::Bot,
    svc: std::sync::Arc<crate::app::Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    workspace: i64,
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManageSettings,
        async |out, actor| {
            let Some(address) = crate::mail::parse_address(message.text().unwrap_or_default())
            else {
                return Err(BotError::User(msg("emails-bad-address")));
            };
            let subject = out.t(&msg("emails-code-subject"));
            let body = out.t(&msg("emails-code-body").arg("code", "{code}"));
            match out
                .svc
                .emails()
                .add(actor, &address, (&subject, &body))
                .await?
            {
                Added::CodeSent { id } => {
                    dialogue
                        .update(State::EmailCode {
                            workspace,
                            email: id,
                        })
                        .await?;
                    out.send_text(
                        out.t(&msg("emails-code-sent").arg("address", address)),
                        Some(cancel(out)),
                    )
                    .await?;
                }
                Added::Known { .. } => {
                    dialogue.exit().await?;
                    out.say(msg("emails-known").arg("address", address)).await?;
                    show(out, actor, None).await?;
                }
                Added::NotSent(_) => {
                    dialogue.exit().await?;
                    out.say(msg("emails-not-sent").arg("address", address))
                        .await?;
                }
            }
            Ok(())
        },
    )
    .await
}

/// The code typed back.
pub async fn code_message(
    bot: teloxide::Bot,
    svc: std::sync::Arc<crate::app::Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, email): (i64, i64),
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManageSettings,
        async |out, actor| {
            let code = message.text().unwrap_or_default();
            match out
                .svc
                .emails()
                .confirm(actor, email, code)
                .await
                .or_say("emails-gone")?
            {
                Confirmed::Yes => {
                    dialogue.exit().await?;
                    let e = out.svc.emails().get(actor, email).await?;
                    out.say(msg("emails-confirmed").arg("address", e.address.clone()))
                        .await?;
                    let (text, kb) = address_screen(out, &e);
                    out.send_text(text, Some(kb)).await?;
                }
                Confirmed::Wrong { left } => {
                    return Err(BotError::User(msg("emails-wrong-code").arg("left", left)));
                }
                Confirmed::Spent => {
                    dialogue.exit().await?;
                    out.say(msg("emails-code-spent")).await?;
                }
            }
            Ok(())
        },
    )
    .await
}
