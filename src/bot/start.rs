//! The session: `/start` (a new workspace, a returning member, an invite), `/help` per role
//! and per chat, `/lang`, `/cancel` and the Cancel button, and everything said outside any
//! dialogue (unknown text, stickers, a key pasted where none was asked for).

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, Me, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotResult, HandlerResult, Notice, Press};
use super::menu;
use super::names;
use super::out::{Out, guarded};
use super::state::{BotDialogue, State};
use crate::app::{Actor, Services, StartOutcome};
use crate::domain::cabinet::looks_like_key;
use crate::domain::{Command, InviteCode, Lang, Role, WorkspaceName};
use crate::i18n::msg;

/// The session's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    /// Switch the interface language.
    SetLang(Lang),
    /// Leave the current dialogue.
    Cancel,
}

impl Cb {
    pub fn data(self) -> String {
        match self {
            Cb::SetLang(lang) => codec::data(format!("l:{}", lang.code())),
            Cb::Cancel => codec::cancel(),
        }
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["l", lang] => lang.parse().ok().map(Cb::SetLang),
            ["x"] => Some(Cb::Cancel),
            _ => None,
        }
    }
}

/// The language picker: one button per language, labelled in that language.
fn languages(out: &Out) -> InlineKeyboardMarkup {
    let row = Lang::ALL
        .into_iter()
        .map(|l| {
            let mark = if l == out.lang { "✓ " } else { "" };
            let label = format!("{mark}{}", names::lang(out, l));
            InlineKeyboardButton::callback(label, Cb::SetLang(l).data())
        })
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(vec![row])
}

/// `/start`: in a group it says whose group it is; in private it greets, creates a
/// workspace or joins one by invite.
pub async fn start(out: &Out, ctx: &Ctx, dialogue: &BotDialogue, args: &str) -> BotResult {
    if !ctx.private {
        let m = match &ctx.workspace_name {
            Some(ws) => msg("group-start-linked").arg("workspace", ws.clone()),
            None => msg("group-start-unlinked"),
        };
        out.say(m).await?;
        return Ok(());
    }
    let invite = if args.is_empty() {
        None
    } else {
        match InviteCode::parse(args) {
            Some(code) => Some(code),
            None => {
                out.say(msg("start-invite-invalid")).await?;
                return Ok(());
            }
        }
    };
    let default_name = out.t(&msg("start-default-workspace").arg("name", ctx.first_name.clone()));
    let default_name = WorkspaceName::parse(&default_name)
        .map(|n| n.as_str().to_owned())
        .unwrap_or(default_name);
    let outcome = out
        .svc
        .session()
        .start(&ctx.profile(), invite.as_ref(), &default_name)
        .await?;
    dialogue.exit().await?;
    let workspace = match &outcome {
        StartOutcome::Created { workspace, .. }
        | StartOutcome::Returning { workspace, .. }
        | StartOutcome::Joined { workspace, .. } => *workspace,
    };
    let (m, role) = match outcome {
        StartOutcome::Created { name, .. } => (
            msg("start-welcome-new")
                .arg("name", ctx.first_name.clone())
                .arg("workspace", name),
            Role::Owner,
        ),
        StartOutcome::Returning { name, role, .. } => (
            msg("start-welcome-back")
                .arg("name", ctx.first_name.clone())
                .arg("workspace", name)
                .arg("role", out.t(&names::role(role))),
            role,
        ),
        StartOutcome::Joined { name, role, .. } => (
            msg("start-joined")
                .arg("workspace", name)
                .arg("role", out.t(&names::role(role))),
            role,
        ),
    };
    out.say(m).await?;
    menu::set_for_chat(&out.bot, &out.svc.i18n, out.chat, out.lang, Some(role)).await;
    if role == Role::Warehouse {
        // The warehouse's day starts with what is to assemble.
        let actor = Actor {
            user: ctx.user_id,
            workspace,
            role,
        };
        super::orders::show(out, actor, Default::default(), None).await?;
    }
    Ok(())
}

/// `/help`: in a group what works there; in private the commands of the caller's role.
pub async fn help(out: &Out, ctx: &Ctx, me: &Me) -> BotResult {
    let line = |c: Command| format!("\n/{} — {}", c.name(), out.t(&menu::description(c)));
    let mut text;
    if ctx.private {
        let role = ctx.member.as_ref().map(|m| m.role);
        text = out.t(&msg("help-title"));
        text.push('\n');
        for c in Command::for_role(role) {
            text.push_str(&line(c));
        }
        if role.is_none() {
            text.push_str("\n\n");
            text.push_str(&out.t(&msg("help-start-hint")));
        }
    } else {
        text = out.t(&msg("help-group-title"));
        text.push('\n');
        for c in menu::GROUP_COMMANDS {
            text.push_str(&line(c));
        }
        text.push_str("\n\n");
        text.push_str(&out.t(&msg("help-group-private").arg("bot", me.username().to_owned())));
    }
    out.send_text(text, None).await?;
    Ok(())
}

/// `/lang`: the language picker.
pub async fn lang(out: &Out) -> BotResult {
    out.send_text(out.t(&msg("lang-choose")), Some(languages(out)))
        .await?;
    Ok(())
}

/// `/cancel`: leaves the current dialogue.
/// `/cancel`: leaves the dialogue; `closed` says a preview on screen was closed with it.
pub async fn cancel(out: &Out, dialogue: &BotDialogue, closed: bool) -> BotResult {
    let state = dialogue.get().await?.unwrap_or_default();
    if state == State::Idle && closed {
        out.say(msg("upload-dropped")).await?;
    } else if state == State::Idle {
        out.say(msg("cancel-nothing")).await?;
    } else if matches!(state, State::Counting { .. }) {
        // What was counted is kept: the inventory just ends.
        dialogue.exit().await?;
        out.say(msg("count-finished")).await?;
    } else {
        dialogue.exit().await?;
        out.say(msg("cancel-done")).await?;
    }
    Ok(())
}

/// The session's buttons: a language, or Cancel.
pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    match cb {
        Cb::SetLang(lang) => {
            out.svc.session().set_lang(&ctx.profile(), lang).await?;
            let out = out.with_lang(lang);
            out.edit(message, out.t(&msg("lang-changed")), None).await?;
            if ctx.private {
                let role = ctx.member.as_ref().map(|m| m.role);
                menu::set_for_chat(&out.bot, &out.svc.i18n, out.chat, lang, role).await;
            }
            Ok(Notice::None)
        }
        Cb::Cancel => {
            let state = dialogue.get().await?.unwrap_or_default();
            if state == State::Idle {
                // A screen without a question behind it (a choice of cabinets, a stale
                // keyboard): its buttons go, nothing else changes.
                out.drop_buttons(message).await;
                return Ok(Notice::Toast(msg("cancel-closed")));
            }
            dialogue.exit().await?;
            out.edit(message, out.t(&msg("cancel-done")), None).await?;
            Ok(Notice::None)
        }
    }
}

/// A message outside any dialogue.
pub async fn idle_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
) -> HandlerResult {
    let out = Out::new(bot, svc, message.chat.id, ctx.lang);
    guarded(&out, async {
        if !ctx.private {
            // In groups the bot answers only what is addressed to it.
            let to_us = message
                .reply_to_message()
                .and_then(|r| r.from.as_ref())
                .is_some_and(|u| u.is_bot);
            // Someone outside the group's company is answered once in a while only.
            if to_us && !ctx.hushed(&out.svc) {
                out.say(msg("group-unknown-text")).await?;
            }
            return Ok(());
        }
        if message.text().is_some_and(looks_like_key) {
            // A key pasted out of any dialogue must not stay in the chat either.
            let m = out.delete_secret(message.id, msg("idle-key-deleted")).await;
            out.say(m).await?;
            return Ok(());
        }
        let reply = if message.text().is_some() {
            if ctx.member.is_some() {
                msg("unknown-text")
            } else {
                msg("unknown-text-new")
            }
        } else if message.document().is_some() {
            msg("document-unexpected")
        } else {
            msg("unsupported-message")
        };
        out.say(reply).await?;
        Ok(())
    })
    .await
}

/// A stored state no release can read: the chat is told once, the dialogue is reset, and
/// the update goes on as if the chat were idle.
pub async fn reset_unreadable(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    dialogue: BotDialogue,
    state: State,
) -> State {
    if state != State::Unreadable {
        return state;
    }
    let out = Out::new(bot, svc, ChatId(ctx.chat.0), ctx.lang);
    let _ = guarded(&out, async {
        dialogue.exit().await?;
        out.say(msg("dialogue-reset")).await?;
        Ok(())
    })
    .await;
    State::Idle
}
