//! The endpoints of the handler tree: commands, free text, dialogue steps, button
//! presses and the bot's own membership in chats. Each builds its reply from locales and
//! reports internal failures to the user with a reference id.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, MaybeInaccessibleMessage, Me};

use super::context::Ctx;
use super::out::Out;
use super::{BotDialogue, HandlerError, HandlerResult, SettingsStep, State, keyboards, menu};
use crate::app::{AppError, Services, StartOutcome};
use crate::domain::callback::Callback;
use crate::domain::{
    Command, InviteCode, ParsedCommand, Permission, TgChatId, TgUserId, WorkspaceName,
    WorkspaceNameError,
};
use crate::i18n::{Msg, msg};
use crate::storage::dialogues::DbStorage;

/// Runs an endpoint body and turns an internal failure into a reply with a reference.
pub async fn guarded<F>(out: &Out, body: F) -> HandlerResult
where
    F: std::future::Future<Output = Result<(), HandlerError>>,
{
    if let Err(e) = body.await {
        out.internal(&*e).await;
    }
    Ok(())
}

/// Tells a chat once that its unreadable dialogue state was reset.
async fn report_reset(out: &Out, storage: &DbStorage<State>) -> Result<(), HandlerError> {
    if storage.take_reset(out.chat) {
        out.say(msg("dialogue-reset")).await?;
    }
    Ok(())
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn command(
    bot: Bot,
    svc: Arc<Services>,
    storage: Arc<DbStorage<State>>,
    ctx: Ctx,
    msg: Message,
    dialogue: BotDialogue,
    cmd: ParsedCommand,
    me: Me,
) -> HandlerResult {
    let out = Out::new(bot, svc.clone(), msg.chat.id, ctx.lang);
    guarded(&out, async {
        report_reset(&out, &storage).await?;
        run_command(&out, &ctx, &dialogue, &cmd, &me, &msg).await
    })
    .await
}

async fn run_command(
    out: &Out,
    ctx: &Ctx,
    dialogue: &BotDialogue,
    cmd: &ParsedCommand,
    me: &Me,
    message: &Message,
) -> Result<(), HandlerError> {
    let Some(command) = cmd.command() else {
        out.say(msg("unknown-command").arg("command", format!("/{}", shorten(&cmd.name, 32))))
            .await?;
        return Ok(());
    };
    if command == Command::Subscribe {
        // In a group not linked yet, an owner or admin links it by subscribing.
        return super::admin::subscribe(out, ctx, message).await;
    }
    let role = ctx.member.as_ref().map(|m| m.role);
    let allowed = match role {
        Some(r) => r.can(command.permission()),
        None => command.permission() == Permission::UseBot,
    };
    if !allowed {
        let m = match (role, ctx.private) {
            (Some(_), _) => msg("no-permission"),
            (None, true) => msg("need-start"),
            (None, false) => msg("group-not-member"),
        };
        out.say(m).await?;
        return Ok(());
    }
    match command {
        Command::Start if !ctx.private => {
            let m = match &ctx.workspace_name {
                Some(ws) => msg("group-start-linked").arg("workspace", ws.clone()),
                None => msg("group-start-unlinked"),
            };
            out.say(m).await?;
        }
        Command::Start => start(out, ctx, dialogue, &cmd.args).await?,
        Command::Help if !ctx.private => {
            let mut text = out.t(&msg("help-group-title"));
            text.push('\n');
            for c in menu::GROUP_COMMANDS {
                text.push_str(&format!(
                    "\n/{} — {}",
                    c.name(),
                    out.t(&menu::description(c))
                ));
            }
            text.push_str("\n\n");
            text.push_str(&out.t(&msg("help-group-private").arg("bot", me.username().to_owned())));
            out.send_text(text, None).await?;
        }
        Command::Help => {
            let mut text = out.t(&msg("help-title"));
            text.push('\n');
            for c in Command::for_role(role) {
                text.push_str(&format!(
                    "\n/{} — {}",
                    c.name(),
                    out.t(&menu::description(c))
                ));
            }
            if role.is_none() {
                text.push_str("\n\n");
                text.push_str(&out.t(&msg("help-start-hint")));
            }
            out.send_text(text, None).await?;
        }
        Command::Lang => {
            out.send_text(out.t(&msg("lang-choose")), Some(keyboards::languages(out)))
                .await?;
        }
        Command::Cancel => {
            let state = dialogue.get().await?.unwrap_or_default();
            if state == State::Idle {
                out.say(msg("cancel-nothing")).await?;
            } else {
                dialogue.exit().await?;
                out.say(msg("cancel-done")).await?;
            }
        }
        Command::Settings
        | Command::Invite
        | Command::Cabinets
        | Command::Groups
        | Command::Api
        | Command::Audit
            if !ctx.private =>
        {
            out.say(msg("private-only").arg("bot", me.username().to_owned()))
                .await?;
        }
        Command::Subscribe => {}
        Command::Settings
        | Command::Team
        | Command::Cabinets
        | Command::Groups
        | Command::Api
        | Command::Audit => {
            let Some(actor) = ctx.actor() else {
                return Ok(());
            };
            match command {
                Command::Settings => super::admin::show_settings(out, actor, None).await?,
                Command::Team => super::team::show(out, ctx, actor, None).await?,
                Command::Cabinets => super::cabinets::show_list(out, actor, None).await?,
                Command::Groups => super::admin::groups(out, actor).await?,
                Command::Api => super::admin::api(out, actor, &cmd.args).await?,
                _ => super::admin::audit(out, actor).await?,
            }
        }
        Command::Invite => {
            let Some(actor) = ctx.actor() else {
                return Ok(());
            };
            let roles = actor.role.grantable();
            out.send_text(
                out.t(&msg("invite-choose-role")),
                Some(keyboards::invite_roles(out, roles)),
            )
            .await?;
        }
    }
    Ok(())
}

async fn start(
    out: &Out,
    ctx: &Ctx,
    dialogue: &BotDialogue,
    args: &str,
) -> Result<(), HandlerError> {
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
    let outcome = match out
        .svc
        .start(&ctx.profile(), invite.as_ref(), &default_name)
        .await
    {
        Err(AppError::InviteInvalid) => {
            out.say(msg("start-invite-invalid")).await?;
            return Ok(());
        }
        other => other?,
    };
    dialogue.exit().await?;
    let (m, role) = match outcome {
        StartOutcome::Created { name, .. } => (
            msg("start-welcome-new")
                .arg("name", ctx.first_name.clone())
                .arg("workspace", name),
            crate::domain::Role::Owner,
        ),
        StartOutcome::Returning { name, role, .. } => (
            msg("start-welcome-back")
                .arg("name", ctx.first_name.clone())
                .arg("workspace", name)
                .arg("role", out.t(&keyboards::role_name(role))),
            role,
        ),
        StartOutcome::Joined { name, role, .. } => (
            msg("start-joined")
                .arg("workspace", name)
                .arg("role", out.t(&keyboards::role_name(role))),
            role,
        ),
    };
    out.say(m).await?;
    menu::set_for_chat(&out.bot, &out.svc.i18n, out.chat, out.lang, Some(role)).await;
    Ok(())
}

pub async fn idle_message(
    bot: Bot,
    svc: Arc<Services>,
    storage: Arc<DbStorage<State>>,
    ctx: Ctx,
    msg: Message,
) -> HandlerResult {
    let out = Out::new(bot.clone(), svc, msg.chat.id, ctx.lang);
    guarded(&out, async {
        report_reset(&out, &storage).await?;
        if !ctx.private {
            // In groups the bot answers only what is addressed to it.
            let to_us = msg
                .reply_to_message()
                .and_then(|r| r.from.as_ref())
                .is_some_and(|u| u.is_bot);
            if to_us {
                out.say(self::msg("group-unknown-text")).await?;
            }
            return Ok(());
        }
        if msg.text().is_some_and(super::cabinets::looks_like_key) {
            // A key pasted out of any dialogue must not stay in the chat either.
            let m =
                super::cabinets::delete_key_message(&out, msg.id, self::msg("idle-key-deleted"))
                    .await;
            out.say(m).await?;
            return Ok(());
        }
        let reply = if msg.text().is_some() {
            if ctx.member.is_some() {
                self::msg("unknown-text")
            } else {
                self::msg("unknown-text-new")
            }
        } else if msg.document().is_some() {
            self::msg("document-unexpected")
        } else {
            self::msg("unsupported-message")
        };
        out.say(reply).await?;
        Ok(())
    })
    .await
}

pub async fn settings_step(
    bot: Bot,
    svc: Arc<Services>,
    ctx: Ctx,
    msg: Message,
    dialogue: BotDialogue,
    step: SettingsStep,
) -> HandlerResult {
    let out = Out::new(bot, svc, msg.chat.id, ctx.lang);
    guarded(&out, async {
        let SettingsStep::AwaitWorkspaceName { workspace } = step;
        let actor = ctx
            .actor()
            .filter(|a| a.workspace.0 == workspace && a.role.can(Permission::ManageSettings));
        let Some(actor) = actor else {
            dialogue.exit().await?;
            out.say(self::msg("no-permission")).await?;
            return Ok(());
        };
        let Some(text) = msg.text() else {
            out.say(self::msg("settings-name-need-text")).await?;
            return Ok(());
        };
        let name = match WorkspaceName::parse(text) {
            Ok(n) => n,
            Err(e) => {
                let m = match e {
                    WorkspaceNameError::Empty => self::msg("settings-name-empty"),
                    WorkspaceNameError::TooLong => {
                        self::msg("settings-name-too-long").arg("max", WorkspaceName::MAX_CHARS)
                    }
                    WorkspaceNameError::MultiLine => self::msg("settings-name-one-line"),
                };
                out.send_text(out.t(&m), Some(keyboards::cancel(&out)))
                    .await?;
                return Ok(());
            }
        };
        out.svc.rename_workspace(actor, &name).await?;
        dialogue.exit().await?;
        out.say(self::msg("settings-renamed").arg("workspace", name.as_str().to_owned()))
            .await?;
        Ok(())
    })
    .await
}

pub async fn callback(
    bot: Bot,
    svc: Arc<Services>,
    ctx: Ctx,
    q: CallbackQuery,
    dialogue: BotDialogue,
) -> HandlerResult {
    let out = Out::new(bot, svc, ChatId(ctx.chat.0), ctx.lang);
    let message = match &q.message {
        Some(MaybeInaccessibleMessage::Regular(m)) => Some(m.as_ref().clone()),
        _ => None,
    };
    let decoded = q.data.as_deref().and_then(Callback::decode);
    let (Some(cb), Some(message)) = (decoded, message) else {
        out.answer(&q, Some(msg("button-stale")), true).await;
        if let Some(MaybeInaccessibleMessage::Regular(m)) = &q.message {
            out.drop_buttons(m.id).await;
        }
        return Ok(());
    };
    let result = run_callback(&out, &ctx, &message, &dialogue, cb).await;
    match result {
        Ok((notice, alert)) => out.answer(&q, notice, alert).await,
        Err(e) => {
            out.answer(&q, None, false).await;
            out.internal(&*e).await;
        }
    }
    Ok(())
}

/// Handles a decoded press; returns the notice to show the presser.
async fn run_callback(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    cb: Callback,
) -> Result<(Option<Msg>, bool), HandlerError> {
    match cb {
        Callback::SetLang(lang) => {
            out.svc.set_lang(&ctx.profile(), lang).await?;
            let out = Out {
                lang,
                ..out.clone()
            };
            out.edit(message.id, out.t(&msg("lang-changed")), None)
                .await?;
            if ctx.private {
                let role = ctx.member.as_ref().map(|m| m.role);
                menu::set_for_chat(&out.bot, &out.svc.i18n, out.chat, lang, role).await;
            }
            Ok((None, false))
        }
        Callback::RenameWorkspace => {
            let Some(actor) = ctx
                .actor()
                .filter(|a| a.role.can(Permission::ManageSettings))
            else {
                return Ok((Some(msg("no-permission")), true));
            };
            if !ctx.private {
                return Ok((Some(msg("button-stale")), true));
            }
            out.drop_buttons(message.id).await;
            dialogue
                .update(State::Settings(SettingsStep::AwaitWorkspaceName {
                    workspace: actor.workspace.0,
                }))
                .await?;
            let ask = msg("settings-ask-name").arg("max", WorkspaceName::MAX_CHARS);
            out.send_text(out.t(&ask), Some(keyboards::cancel(out)))
                .await?;
            Ok((None, false))
        }
        Callback::Invite(role) => {
            let Some(actor) = ctx.actor() else {
                return Ok((Some(msg("no-permission")), true));
            };
            let mut code_bytes = [0u8; InviteCode::LEN];
            getrandom::fill(&mut code_bytes).map_err(|e| format!("no randomness: {e}"))?;
            let code = InviteCode::from_random(code_bytes);
            match out.svc.create_invite(actor, role, &code).await {
                Err(AppError::Forbidden) => return Ok((Some(msg("no-permission")), true)),
                other => other?,
            };
            let me = out.bot.get_me().await?;
            let link = format!("https://t.me/{}?start={}", me.username(), code.as_str());
            let text = msg("invite-created")
                .arg("role", out.t(&keyboards::role_name(role)))
                .arg("link", link)
                .arg("code", code.as_str().to_owned())
                .arg("hours", crate::app::INVITE_TTL_SECS / 3600);
            out.edit(message.id, out.t(&text), None).await?;
            Ok((None, false))
        }
        Callback::Cabinets
        | Callback::AddCabinet
        | Callback::OpenCabinet(_)
        | Callback::ConnectMarket(_)
        | Callback::ConnectCampaign(_)
        | Callback::ConnectScheme(_)
        | Callback::ConnectSuggestedName
        | Callback::ConnectMain(_)
        | Callback::ConnectSave
        | Callback::ConnectRetry
        | Callback::RenameCabinet(_)
        | Callback::EnableCabinet(..)
        | Callback::MainCabinet(_)
        | Callback::ReplaceKey(_)
        | Callback::DeleteCabinet(_)
        | Callback::ConfirmDelete(..) => {
            super::cabinets::on_callback(out, ctx, message, dialogue, cb).await
        }
        Callback::Team
        | Callback::Member(_)
        | Callback::MemberRole(..)
        | Callback::RemoveMember(_)
        | Callback::ConfirmRemove(_) => super::team::on_callback(out, ctx, message, cb).await,
        Callback::TimeZoneMenu
        | Callback::SetTimeZone(_)
        | Callback::DefaultLangMenu
        | Callback::SetDefaultLang(_)
        | Callback::GroupEvent(_)
        | Callback::GroupCabinet(_)
        | Callback::GroupDone
        | Callback::GroupRelease(_)
        | Callback::GroupReleaseConfirm(_)
        | Callback::ApiFamily(_)
        | Callback::ApiEdit(..)
        | Callback::ApiReset(_) => super::admin::on_callback(out, ctx, message, dialogue, cb).await,
        Callback::Cancel => {
            let state = dialogue.get().await?.unwrap_or_default();
            if state == State::Idle {
                out.drop_buttons(message.id).await;
                return Ok((Some(msg("cancel-nothing")), false));
            }
            dialogue.exit().await?;
            out.edit(message.id, out.t(&msg("cancel-done")), None)
                .await?;
            Ok((None, false))
        }
    }
}

pub async fn my_chat_member(bot: Bot, svc: Arc<Services>, upd: ChatMemberUpdated) -> HandlerResult {
    let chat = TgChatId(upd.chat.id.0);
    let lang = {
        let by = TgUserId(i64::try_from(upd.from.id.0).unwrap_or_default());
        let chosen = crate::storage::users::get(&svc.db, by)
            .await
            .ok()
            .flatten()
            .and_then(|u| u.lang);
        chosen.unwrap_or_else(|| {
            crate::domain::Lang::from_telegram(upd.from.language_code.as_deref())
        })
    };
    let out = Out::new(bot, svc.clone(), upd.chat.id, lang);
    guarded(&out, async {
        if !upd.new_chat_member.is_present() {
            svc.chat_gone(chat).await?;
            return Ok(());
        }
        if upd.chat.is_private() || upd.old_chat_member.is_present() {
            return Ok(());
        }
        let by = TgUserId(i64::try_from(upd.from.id.0)?);
        let kind = if upd.chat.is_supergroup() {
            "supergroup"
        } else {
            "group"
        };
        let title = upd.chat.title().unwrap_or_default().to_owned();
        use crate::app::groups::GroupAdded;
        let reply = match svc.bot_added_to_group(by, chat, kind, &title).await? {
            GroupAdded::Linked { workspace } | GroupAdded::Back { workspace } => {
                msg("group-linked").arg("workspace", workspace)
            }
            GroupAdded::NotLinked => msg("group-not-linked"),
            GroupAdded::Paused => msg("group-paused"),
        };
        out.say(reply).await?;
        Ok(())
    })
    .await
}
