//! Use cases called by the bot and the scheduler. Each checks the caller's role in the
//! workspace, does its work in one transaction and writes the audit log.

pub mod admin;
pub mod cabinets;
pub mod groups;
pub mod team;

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::domain::{
    AuditAction, InviteCode, Lang, Member, Permission, Profile, Role, TgChatId, TgUserId,
    WorkspaceId, WorkspaceName,
};
use crate::i18n::I18n;
use crate::storage::{self, Db, StorageError, audit, chats, invites, members, users, workspaces};

/// How long an invite stays valid.
pub const INVITE_TTL_SECS: i64 = 24 * 3600;

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("the caller is not a member of this workspace")]
    NotMember,
    #[error("the invite is unknown, used or expired")]
    InviteInvalid,
    /// What the caller named does not exist in their workspace.
    #[error("not found in this workspace")]
    NotFound,
    /// The same account is already connected as the named cabinet.
    #[error("already connected")]
    Duplicate(String),
    #[error("a workspace keeps at least one owner")]
    LastOwner,
    #[error(transparent)]
    Vault(#[from] crate::secrets::VaultError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Storage(StorageError::Db(e))
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Shared services every use case and handler may need.
pub struct Services {
    pub db: Db,
    pub clock: SharedClock,
    pub i18n: Arc<I18n>,
    /// Where each marketplace request goes (env base URLs + admin overrides).
    pub catalogue: Arc<crate::marketplaces::endpoints::Catalogue>,
    /// Seals and opens marketplace credentials.
    pub vault: Arc<crate::secrets::Vault>,
    /// The HTTP layer for interactive key checks: few, quick retries, since a user waits.
    pub verify_http: crate::marketplaces::http::Http,
    /// The HTTP layer for the scheduler's work: the default retry policy.
    pub sync_http: crate::marketplaces::http::Http,
}

/// A member acting in a workspace: who, where, and with what role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: TgUserId,
    pub workspace: WorkspaceId,
    pub role: Role,
}

impl Actor {
    pub fn require(&self, p: Permission) -> AppResult<()> {
        if self.role.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

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

/// Writes what `actor` did to their workspace's audit log.
pub(crate) async fn audit_by<'e, E>(
    exec: E,
    actor: Actor,
    action: AuditAction,
    details: &str,
    now: i64,
) -> AppResult<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    audit::record(
        exec,
        Some(actor.workspace),
        Some(actor.user),
        action,
        details,
        now,
    )
    .await?;
    Ok(())
}

impl Services {
    fn now(&self) -> i64 {
        self.clock.unix()
    }

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
            let mut tx = self.db.pool().begin().await?;
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
                role.code(),
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
        let mut tx = self.db.pool().begin().await?;
        let ws = workspaces::create(&mut *tx, default_name, now).await?;
        members::add(&mut *tx, ws, user.id, Role::Owner, now).await?;
        users::set_current_workspace(&mut *tx, user.id, ws).await?;
        audit::record(
            &mut *tx,
            Some(ws),
            Some(user.id),
            AuditAction::WorkspaceCreated,
            default_name,
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

    pub(crate) async fn workspace_name(&self, ws: WorkspaceId) -> AppResult<String> {
        Ok(workspaces::get(&self.db, ws)
            .await?
            .map(|w| w.name)
            .unwrap_or_default())
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

    /// Stores the user's interface language.
    pub async fn set_lang(&self, profile: &Profile<'_>, lang: Lang) -> AppResult<()> {
        users::upsert_seen(&self.db, profile, self.now()).await?;
        users::set_lang(&self.db, profile.id, lang).await?;
        Ok(())
    }

    /// Renames the actor's workspace.
    pub async fn rename_workspace(&self, actor: Actor, name: &WorkspaceName) -> AppResult<()> {
        actor.require(Permission::ManageSettings)?;
        let now = self.now();
        let mut tx = self.db.pool().begin().await?;
        workspaces::rename(&mut *tx, actor.workspace, name.as_str()).await?;
        audit_by(
            &mut *tx,
            actor,
            AuditAction::WorkspaceRenamed,
            name.as_str(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a single-use invite for `role`, valid for a week.
    pub async fn create_invite(
        &self,
        actor: Actor,
        role: Role,
        code: &InviteCode,
    ) -> AppResult<i64> {
        actor.require(Permission::ManageTeam)?;
        if !actor.role.grantable().contains(&role) {
            return Err(AppError::Forbidden);
        }
        let now = self.now();
        let expires = now + INVITE_TTL_SECS;
        let mut tx = self.db.pool().begin().await?;
        invites::create(
            &mut *tx,
            code,
            actor.workspace,
            role,
            actor.user,
            now,
            expires,
        )
        .await?;
        audit_by(
            &mut *tx,
            actor,
            AuditAction::InviteCreated,
            role.code(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(expires)
    }

    /// The members of the actor's workspace.
    pub async fn team(&self, actor: Actor) -> AppResult<Vec<Member>> {
        actor.require(Permission::ViewData)?;
        Ok(members::list(&self.db, actor.workspace).await?)
    }

    /// The bot can no longer write to `chat` (blocked or removed).
    pub async fn chat_gone(&self, chat: TgChatId) -> AppResult<()> {
        if storage::chats::get(&self.db, chat).await?.is_some() {
            chats::set_active(&self.db, chat, false, self.now()).await?;
        }
        Ok(())
    }
}
