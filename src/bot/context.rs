//! The per-update context, built once near the root of the handler tree: who is writing,
//! in which chat, in which language, as which member of which workspace. Building it
//! writes nothing, so bad input leaves the database untouched.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{Me, User as TgUser};

use super::error::{BotError, BotResult};
use super::state::State;
use crate::app::{Actor, Services};
use crate::domain::{
    Lang, Member, ParsedCommand, Permission, Profile, TgChatId, TgUserId, WorkspaceId,
};
use crate::i18n::msg;

/// How long (seconds) someone outside a group's company goes unanswered after being
/// answered once.
pub const OUTSIDER_QUIET: i64 = 600;

/// Everything a handler needs to know about the caller.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user_id: TgUserId,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
    pub lang: Lang,
    pub chat: TgChatId,
    pub private: bool,
    /// Whether the user is known (has sent /start before).
    pub known: bool,
    /// The membership the caller acts through in this chat.
    pub member: Option<Member>,
    pub workspace_name: Option<String>,
    /// In a group: whether a company linked it.
    pub group_linked: bool,
}

impl Ctx {
    /// Reads the caller's context; when the database fails, the chat is told (with a
    /// reference to the log) instead of being left without an answer.
    async fn build(
        bot: Bot,
        svc: &Arc<Services>,
        from: &TgUser,
        chat_id: ChatId,
        private: bool,
    ) -> Option<Ctx> {
        let user_id = TgUserId(i64::try_from(from.id.0).ok()?);
        let chat = TgChatId(chat_id.0);
        let code = from.language_code.as_deref();
        match svc.session().caller(user_id, code, chat, private).await {
            Ok(caller) => Some(Ctx {
                user_id,
                first_name: from.first_name.clone(),
                username: from.username.clone(),
                language_code: from.language_code.clone(),
                lang: caller.lang,
                chat,
                private,
                known: caller.known,
                member: caller.member,
                workspace_name: caller.workspace_name,
                group_linked: caller.group_linked,
            }),
            Err(e) => {
                super::out::Out::new(bot, svc.clone(), chat_id, Lang::from_telegram(code))
                    .internal(&e)
                    .await;
                None
            }
        }
    }

    pub async fn for_message(bot: Bot, svc: Arc<Services>, msg: Message) -> Option<Ctx> {
        let from = msg.from.as_ref()?;
        if from.is_bot {
            return None;
        }
        Ctx::build(bot, &svc, from, msg.chat.id, msg.chat.is_private()).await
    }

    pub async fn for_callback(bot: Bot, svc: Arc<Services>, q: CallbackQuery) -> Option<Ctx> {
        let chat = q.message.as_ref().map(|m| m.chat())?;
        Ctx::build(bot, &svc, &q.from, chat.id, chat.is_private()).await
    }

    /// Whose dialogue this update belongs to: the chat's in private, the person's own in
    /// a group.
    pub fn dialogue_key(&self) -> crate::domain::workspace::DialogueKey {
        crate::domain::workspace::DialogueKey::of(self.chat.0, self.user_id.0, self.private)
    }

    /// Someone in a company's group who is not on its team: they may read what the group
    /// shows, never change it.
    pub fn outsider(&self) -> bool {
        !self.private && self.group_linked && self.member.is_none()
    }

    /// Whether to leave the caller unanswered: someone outside the group's company who was
    /// answered in the last [`OUTSIDER_QUIET`] seconds (their messages would spend the
    /// group's Telegram budget). Answering them now is recorded.
    pub fn hushed(&self, svc: &Services) -> bool {
        self.outsider()
            && !svc.telegram.may_refuse(
                self.chat.0,
                self.user_id.0,
                svc.clock.unix(),
                OUTSIDER_QUIET,
            )
    }

    /// The caller as an actor of their workspace, if they are a member.
    pub fn actor(&self) -> Option<Actor> {
        self.member.as_ref().map(|m| Actor {
            user: self.user_id,
            workspace: m.workspace,
            role: m.role,
        })
    }

    pub fn workspace(&self) -> Option<WorkspaceId> {
        self.member.as_ref().map(|m| m.workspace)
    }

    /// The caller as an actor allowed to do what `p` guards; a refusal they are told
    /// otherwise.
    pub fn acting(&self, p: Permission) -> BotResult<Actor> {
        if self.member.is_none() && !self.private {
            // Someone in a company's group who is not on its team.
            return Err(BotError::User(msg("not-a-member")));
        }
        self.actor()
            .filter(|a| a.role.can(p))
            .ok_or_else(|| BotError::User(msg("no-permission")))
    }

    /// The caller as an actor allowed `p` in `workspace`, where a dialogue began: a member
    /// who changed company or lost the role since is refused.
    pub fn acting_in(&self, workspace: i64, p: Permission) -> BotResult<Actor> {
        self.acting(p)?
            .in_workspace(workspace)
            .ok_or_else(|| BotError::User(msg("no-permission")))
    }

    pub fn profile(&self) -> Profile<'_> {
        Profile {
            id: self.user_id,
            first_name: &self.first_name,
            username: self.username.as_deref(),
            language_code: self.language_code.as_deref(),
        }
    }
}

/// A message that is a command addressed to us (a mention of another bot is not ours).
/// While an API path is awaited, a text like `/v2/roles` is the path, not a command.
pub fn command_of(msg: Message, me: Me, state: State) -> Option<ParsedCommand> {
    let parsed = ParsedCommand::parse(msg.text()?)?;
    let awaits_path = matches!(
        state,
        State::ApiValue {
            field: crate::domain::ApiField::Path,
            ..
        }
    );
    if awaits_path && parsed.command().is_none() {
        return None;
    }
    match &parsed.mention {
        Some(m) if !m.eq_ignore_ascii_case(me.username()) => None,
        _ => Some(parsed),
    }
}

/// Answers a message sent inside a dialogue: in the chat's language, as the caller acting
/// in the dialogue's workspace with `permission`, re-checked now (a role taken away since
/// the dialogue began, or another workspace, ends the dialogue with "no permission").
/// Whatever `body` fails with is said in the chat.
#[allow(clippy::too_many_arguments)]
pub async fn answering(
    bot: teloxide::Bot,
    svc: std::sync::Arc<crate::app::Services>,
    ctx: &Ctx,
    message: &teloxide::types::Message,
    dialogue: &crate::bot::state::BotDialogue,
    workspace: i64,
    permission: Permission,
    body: impl AsyncFnOnce(&crate::bot::out::Out, Actor) -> BotResult,
) -> crate::bot::error::HandlerResult {
    let out = crate::bot::out::Out::new(bot, svc, message.chat.id, ctx.lang);
    crate::bot::out::guarded(&out, async {
        let Ok(actor) = ctx.acting_in(workspace, permission) else {
            dialogue.exit().await?;
            return Err(BotError::User(msg("no-permission")));
        };
        body(&out, actor).await
    })
    .await
}
