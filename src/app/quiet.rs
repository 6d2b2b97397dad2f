//! Quiet hours (F7) as use cases: a group's are set by its company's owners and admins, a
//! person's by that person; the sender asks which alerts of a chat wait, and holds them.

use super::{Actor, AppError, AppResult};
use crate::domain::alerts::{EventKind, QuietHours};
use crate::domain::{Permission, TgChatId};
use crate::storage::{chats, outbox, quiet};

impl crate::app::rooms::Alerts<'_> {
    /// Whether `actor` may set the quiet hours of `chat`: their own private chat, or a
    /// group of their company if they may change its settings.
    async fn may_quiet(&self, actor: Actor, chat: TgChatId) -> AppResult<()> {
        if chat.0 == actor.user.0 {
            return Ok(());
        }
        actor.require(Permission::ManageSettings)?;
        match chats::get(&self.db, chat).await? {
            Some(c) if c.workspace == Some(actor.workspace) => Ok(()),
            _ => Err(AppError::NotFound),
        }
    }

    pub async fn quiet_hours(&self, actor: Actor, chat: TgChatId) -> AppResult<Option<QuietHours>> {
        self.may_quiet(actor, chat).await?;
        Ok(quiet::get(&self.db, chat).await?)
    }

    /// Sets the span (the kinds held stay; every holdable kind the first time).
    pub async fn set_quiet_span(
        &self,
        actor: Actor,
        chat: TgChatId,
        (from, to): (i64, i64),
    ) -> AppResult<QuietHours> {
        self.may_quiet(actor, chat).await?;
        let kinds = quiet::get(&self.db, chat)
            .await?
            .map_or_else(|| QuietHours::HOLDABLE.to_vec(), |q| q.kinds);
        let q = QuietHours { from, to, kinds };
        quiet::set(&self.db, chat, actor.workspace, &q, self.now()).await?;
        Ok(q)
    }

    /// Holds one more kind, or one less.
    pub async fn toggle_quiet_kind(
        &self,
        actor: Actor,
        chat: TgChatId,
        kind: EventKind,
    ) -> AppResult<QuietHours> {
        self.may_quiet(actor, chat).await?;
        let Some(mut q) = quiet::get(&self.db, chat).await? else {
            return Err(AppError::NotFound);
        };
        if !QuietHours::HOLDABLE.contains(&kind) {
            return Ok(q);
        }
        match q.kinds.iter().position(|k| *k == kind) {
            Some(i) => {
                q.kinds.remove(i);
            }
            None => q.kinds.push(kind),
        }
        quiet::set(&self.db, chat, actor.workspace, &q, self.now()).await?;
        Ok(q)
    }

    pub async fn quiet_off(&self, actor: Actor, chat: TgChatId) -> AppResult<()> {
        self.may_quiet(actor, chat).await?;
        Ok(quiet::remove(&self.db, chat).await?)
    }

    /// A chat's quiet hours, for the sender.
    pub async fn quiet_of(&self, chat: TgChatId) -> AppResult<Option<QuietHours>> {
        Ok(quiet::get(&self.db, chat).await?)
    }

    /// Holds a claimed delivery until its chat's quiet hours end.
    pub async fn hold_delivery(&self, id: i64, until: i64) -> AppResult<()> {
        Ok(outbox::hold(&self.db, id, until).await?)
    }
}
