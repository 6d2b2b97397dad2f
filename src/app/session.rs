//! Who is writing and where: `/start` (a new workspace, a returning member, an invite),
//! the caller of each update, the interface language, and chats the bot can no longer
//! reach.

use super::{AppError, AppResult};
use crate::domain::{
    AuditAction, InviteCode, Lang, Member, Profile, Role, TgChatId, TgUserId, WorkspaceId,
};
use crate::storage::{audit, chats, dialogues, invites, members, users, workspaces};

/// What `/start` did for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartOutcome {
    /// A new workspace was created with the user as owner.
    Created {
        workspace: WorkspaceId,
        name: String,
    },
    /// The user already belongs to a workspace.
    Returning {
        workspace: WorkspaceId,
        name: String,
        role: Role,
    },
    /// The user joined a workspace through an invite.
    Joined {
        workspace: WorkspaceId,
        name: String,
        role: Role,
    },
}

/// Who sends an update, as the bot needs to know them: reading it writes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The language to answer in: chosen with /lang, else Telegram's.
    pub lang: Lang,
    /// Whether the user has sent /start before.
    pub known: bool,
    /// The membership they act through in this chat.
    pub member: Option<Member>,
    pub workspace_name: Option<String>,
    /// In a group: whether a company linked it (then a caller without `member` is
    /// someone outside that company).
    pub group_linked: bool,
}

impl crate::app::rooms::Session<'_> {
    /// `/start` in a private chat: records the user and the chat, then greets them in
    /// their workspace, creates one with them as owner, or joins them by invite.
    pub async fn start(
        &self,
        profile: &Profile<'_>,
        invite: Option<&InviteCode>,
        default_name: &str,
    ) -> AppResult<StartOutcome> {
        let now = self.now();
        let user = users::upsert_seen(&self.db, profile, now).await?;
        let own_chat = TgChatId(profile.id.0);
        chats::record(&self.db, own_chat, "private", profile.first_name, now).await?;
        // Their /start means the bot may write to them again.
        chats::set_active(&self.db, own_chat, true, now).await?;
        if let Some(code) = invite {
            // Their own link tapped again: greet them back in that workspace.
            if let Some(ws) = invites::used_by(&self.db, code, user.id).await?
                && let Some(m) = members::get(&self.db, ws, user.id).await?
            {
                users::set_current_workspace(self.db.pool(), user.id, ws).await?;
                return Ok(StartOutcome::Returning {
                    workspace: ws,
                    name: self.workspace_name(ws).await?,
                    role: m.role,
                });
            }
            let mut tx = self.db.begin().await?;
            let invite = invites::redeem(&mut *tx, code, user.id, now)
                .await?
                .ok_or(AppError::InviteInvalid)?;
            // An owner cannot be demoted by accepting an invite to their own workspace.
            let existing = members::get(&self.db, invite.workspace, user.id).await?;
            let role = match existing {
                Some(m) if m.role < invite.role => m.role,
                _ => invite.role,
            };
            members::add(&mut *tx, invite.workspace, user.id, role, now).await?;
            users::set_current_workspace(&mut *tx, user.id, invite.workspace).await?;
            audit::record(
                &mut *tx,
                Some(invite.workspace),
                Some(user.id),
                AuditAction::MemberJoined,
                &crate::domain::AuditNote::Role { role }.to_stored(),
                now,
            )
            .await?;
            tx.commit().await?;
            chats::set_workspace(&self.db, TgChatId(user.id.0), invite.workspace, now).await?;
            let name = self.workspace_name(invite.workspace).await?;
            return Ok(StartOutcome::Joined {
                workspace: invite.workspace,
                name,
                role,
            });
        }
        if let Some(member) = self.current_membership(user.id).await? {
            let name = self.workspace_name(member.workspace).await?;
            return Ok(StartOutcome::Returning {
                workspace: member.workspace,
                name,
                role: member.role,
            });
        }
        let mut tx = self.db.begin().await?;
        let ws = workspaces::create(&mut *tx, default_name, now).await?;
        // The company speaks its founder's language until they choose otherwise.
        let lang = users::get(&self.db, user.id)
            .await?
            .and_then(|u| u.lang)
            .unwrap_or_else(|| Lang::from_telegram(user.language_code.as_deref()));
        workspaces::set_default_lang(&mut *tx, ws, lang).await?;
        members::add(&mut *tx, ws, user.id, Role::Owner, now).await?;
        users::set_current_workspace(&mut *tx, user.id, ws).await?;
        audit::record(
            &mut *tx,
            Some(ws),
            Some(user.id),
            AuditAction::WorkspaceCreated,
            &crate::domain::AuditNote::Name {
                name: default_name.to_owned(),
            }
            .to_stored(),
            now,
        )
        .await?;
        tx.commit().await?;
        chats::set_workspace(&self.db, TgChatId(user.id.0), ws, now).await?;
        Ok(StartOutcome::Created {
            workspace: ws,
            name: default_name.to_owned(),
        })
    }

    /// The membership a user acts through: their current workspace, else their oldest.
    pub async fn current_membership(&self, user: TgUserId) -> AppResult<Option<Member>> {
        let Some(u) = users::get(&self.db, user).await? else {
            return Ok(None);
        };
        if let Some(ws) = u.current_workspace
            && let Some(m) = members::get(&self.db, ws, user).await?
        {
            return Ok(Some(m));
        }
        Ok(members::of_user(&self.db, user).await?.into_iter().next())
    }

    /// Who sends an update in `chat`: in a private chat they act through their current
    /// membership; in a group, through their membership in the group's company.
    pub async fn caller(
        &self,
        user: TgUserId,
        language_code: Option<&str>,
        chat: TgChatId,
        private: bool,
    ) -> AppResult<Caller> {
        let stored = users::get(&self.db, user).await?;
        let lang = stored
            .as_ref()
            .and_then(|u| u.lang)
            .unwrap_or_else(|| Lang::from_telegram(language_code));
        let mut group_linked = false;
        let member = if private {
            self.current_membership(user).await?
        } else {
            match chats::get(&self.db, chat).await?.and_then(|c| c.workspace) {
                Some(ws) => {
                    group_linked = true;
                    members::get(&self.db, ws, user).await?
                }
                None => None,
            }
        };
        let workspace_name = match &member {
            Some(m) => workspaces::get(&self.db, m.workspace)
                .await?
                .map(|w| w.name),
            None => None,
        };
        Ok(Caller {
            lang,
            known: stored.is_some(),
            member,
            workspace_name,
            group_linked,
        })
    }

    /// A user's first name, as shown in histories.
    pub async fn user_name(&self, user: TgUserId) -> AppResult<Option<String>> {
        Ok(users::get(&self.db, user).await?.map(|u| u.first_name))
    }

    /// The language to write to a user in: the one they chose, else their Telegram's.
    pub async fn user_lang(&self, user: TgUserId) -> AppResult<Option<Lang>> {
        Ok(users::get(&self.db, user)
            .await?
            .map(|u| u.effective_lang()))
    }

    /// Stores the user's interface language.
    pub async fn set_lang(&self, profile: &Profile<'_>, lang: Lang) -> AppResult<()> {
        users::upsert_seen(&self.db, profile, self.now()).await?;
        users::set_lang(&self.db, profile.id, lang).await?;
        Ok(())
    }

    /// The bot can no longer write to `chat` (blocked or removed).
    pub async fn chat_gone(&self, chat: TgChatId) -> AppResult<()> {
        let now = self.now();
        if chats::get(&self.db, chat).await?.is_none() {
            if chat.0 <= 0 {
                return Ok(());
            }
            // A private chat never recorded (the user only pressed buttons): remember it
            // is gone, so personal alerts stop going there.
            chats::record(&self.db, chat, "private", "", now).await?;
        }
        chats::set_active(&self.db, chat, false, now).await?;
        Ok(())
    }

    /// Forgets dialogues left untouched since `cutoff`; returns their chats.
    pub async fn expire_dialogues(&self, cutoff: i64) -> AppResult<Vec<i64>> {
        Ok(dialogues::expire_older_than(&self.db, cutoff)
            .await?
            .into_iter()
            .map(|(key, _)| key.chat)
            .collect::<std::collections::BTreeSet<i64>>()
            .into_iter()
            .collect())
    }
}
