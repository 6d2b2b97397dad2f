//! Alert groups (F7): linking a group chat to a company, what it receives, and letting it
//! go. A group belongs to the company that linked it until that company lets it go: the
//! bot added back by someone else stays that company's group, paused, and nobody else can
//! link it or receive its alerts; after the company releases it (subscriptions deleted),
//! any company's owner or admin may link it.

use super::{Actor, AppError, AppResult};
use crate::domain::alerts::Subscription;
use crate::domain::workspace::Chat;
use crate::domain::{AuditAction, AuditNote, CabinetId, EventKind, Permission, TgChatId, TgUserId};
use crate::storage::{cabinets, chats, groups, members};

/// A group of the workspace with what it receives.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub chat: Chat,
    pub subscription: Subscription,
}

/// What adding the bot to a group did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupAdded {
    /// The group was free and is now the adder's company's.
    Linked { workspace: String },
    /// It was the adder's company's already: back, with its subscriptions.
    Back { workspace: String },
    /// Free, and the adder may not link groups: it stays free.
    NotLinked,
    /// It belongs to a company that has not let it go, and the adder may not configure
    /// it there: it stays that company's, its alerts paused until an owner or admin of
    /// that company sends /subscribe in it.
    Paused,
}

/// What /subscribe in a group finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupOpened {
    /// The caller configures it (linked now if it was free, resumed if paused).
    Open {
        actor: Actor,
        subscription: Subscription,
    },
    /// Free, and the caller may not link it.
    NotLinked,
    /// Another company's group, or the caller is no member of its company.
    NotMember,
    /// A member of the group's company without the right to configure groups.
    Forbidden,
}

impl crate::app::rooms::Groups<'_> {
    /// A group chat of the actor's workspace that the actor may configure.
    async fn own_group(&self, actor: Actor, chat: TgChatId) -> AppResult<Chat> {
        actor.require(Permission::ManageSettings)?;
        chats::get(&self.db, chat)
            .await?
            .filter(|c| c.workspace == Some(actor.workspace) && c.kind != "private")
            .ok_or(AppError::NotFound)
    }

    /// The caller's membership in `ws` when it may configure groups there.
    async fn group_manager(
        &self,
        ws: crate::domain::WorkspaceId,
        user: TgUserId,
    ) -> AppResult<Option<Actor>> {
        Ok(members::get(&self.db, ws, user)
            .await?
            .filter(|m| m.role.can(Permission::ManageSettings))
            .map(|m| Actor {
                user,
                workspace: ws,
                role: m.role,
            }))
    }

    /// Links a free group to the actor's workspace (in one transaction with its audit entry);
    /// returns whether it is theirs now.
    async fn link_group(&self, actor: Actor, chat: &Chat) -> AppResult<bool> {
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        if !chats::link_if_free(&mut *tx, chat.id, actor.workspace, now).await? {
            return Ok(false);
        }
        let note = AuditNote::Name {
            name: chat.title.clone(),
        };
        super::audit_by(&mut *tx, actor, AuditAction::GroupLinked, &note, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The bot was added to a group by `by`.
    pub async fn bot_added_to_group(
        &self,
        by: TgUserId,
        chat: TgChatId,
        kind: &str,
        title: &str,
    ) -> AppResult<GroupAdded> {
        let now = self.clock.unix();
        let c = chats::record(&self.db, chat, kind, title, now).await?;
        if let Some(ws) = c.workspace {
            let back = self.group_manager(ws, by).await?.is_some();
            chats::set_active(&self.db, chat, back, now).await?;
            return Ok(if back {
                GroupAdded::Back {
                    workspace: self.workspace_name(ws).await?,
                }
            } else {
                GroupAdded::Paused
            });
        }
        chats::set_active(&self.db, chat, true, now).await?;
        let adder = match self.session().current_membership(by).await? {
            Some(m) => self.group_manager(m.workspace, by).await?,
            None => None,
        };
        match adder {
            Some(actor) if self.link_group(actor, &c).await? => Ok(GroupAdded::Linked {
                workspace: self.workspace_name(actor.workspace).await?,
            }),
            _ => Ok(GroupAdded::NotLinked),
        }
    }

    /// `/subscribe` in a group by `user`: opens its subscription for an owner or admin of
    /// its company, linking a free group first and resuming a paused one.
    pub async fn open_group(
        &self,
        user: TgUserId,
        chat: TgChatId,
        kind: &str,
        title: &str,
    ) -> AppResult<GroupOpened> {
        let now = self.clock.unix();
        let c = chats::record(&self.db, chat, kind, title, now).await?;
        let actor = match c.workspace {
            Some(ws) => match members::get(&self.db, ws, user).await? {
                None => return Ok(GroupOpened::NotMember),
                Some(m) if !m.role.can(Permission::ManageSettings) => {
                    return Ok(GroupOpened::Forbidden);
                }
                Some(m) => Actor {
                    user,
                    workspace: ws,
                    role: m.role,
                },
            },
            None => {
                let adder = match self.session().current_membership(user).await? {
                    Some(m) => self.group_manager(m.workspace, user).await?,
                    None => None,
                };
                match adder {
                    Some(actor) if self.link_group(actor, &c).await? => actor,
                    _ => return Ok(GroupOpened::NotLinked),
                }
            }
        };
        if !c.active {
            chats::set_active(&self.db, chat, true, now).await?;
        }
        Ok(GroupOpened::Open {
            actor,
            subscription: groups::subscription(&self.db, chat).await?,
        })
    }

    /// Lets a group of the actor's company go: its subscriptions are deleted and any
    /// company's owner or admin may link it afterwards.
    pub async fn release_group(&self, actor: Actor, chat: TgChatId) -> AppResult<Chat> {
        let group = self.own_group(actor, chat).await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        if !chats::release(&mut *tx, chat, actor.workspace, now).await? {
            return Err(AppError::NotFound);
        }
        groups::clear(&mut tx, chat).await?;
        // What was still to be told there is this company's: it stays unsaid.
        crate::storage::outbox::drop_pending_for(&mut *tx, chat).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::GroupUnlinked,
            &AuditNote::Name {
                name: group.title.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(group)
    }

    /// Whether a group's alerts show sums and prices (a group may hold people outside the
    /// company); returns the group as it is now.
    pub async fn set_group_money(&self, actor: Actor, chat: TgChatId, on: bool) -> AppResult<Chat> {
        let group = self.own_group(actor, chat).await?;
        let now = self.clock.unix();
        if !chats::set_show_money(&self.db, chat, actor.workspace, on, now).await? {
            return Err(AppError::NotFound);
        }
        let note = AuditNote::GroupMoney {
            group: group.title.clone(),
            on,
        };
        super::audit_by(self.db.pool(), actor, AuditAction::GroupMoney, &note, now).await?;
        Ok(Chat {
            show_money: on,
            ..group
        })
    }

    /// When a group hears the daily summary: minutes after local midnight (0..1440).
    pub async fn set_group_summary_minute(
        &self,
        actor: Actor,
        chat: TgChatId,
        minute: i64,
    ) -> AppResult<Subscription> {
        if !(0..24 * 60).contains(&minute) {
            return Err(AppError::NotFound);
        }
        let group = self.own_group(actor, chat).await?;
        groups::set_summary_minute(&self.db, chat, minute).await?;
        let note = AuditNote::GroupSummaryHour {
            group: group.title.clone(),
            at: format!("{:02}:{:02}", minute / 60, minute % 60),
        };
        let now = self.clock.unix();
        super::audit_by(
            self.db.pool(),
            actor,
            AuditAction::GroupSummaryHour,
            &note,
            now,
        )
        .await?;
        Ok(groups::subscription(&self.db, chat).await?)
    }

    /// One group of the actor's workspace.
    pub async fn group(&self, actor: Actor, chat: TgChatId) -> AppResult<Chat> {
        self.own_group(actor, chat).await
    }
    pub async fn group_subscription(
        &self,
        actor: Actor,
        chat: TgChatId,
    ) -> AppResult<Subscription> {
        self.own_group(actor, chat).await?;
        Ok(groups::subscription(&self.db, chat).await?)
    }

    pub async fn toggle_group_event(
        &self,
        actor: Actor,
        chat: TgChatId,
        event: EventKind,
    ) -> AppResult<Subscription> {
        let group = self.own_group(actor, chat).await?;
        let on = groups::toggle_event(&self.db, chat, event).await?;
        if on && event == EventKind::DailySummary {
            groups::summary_from(&self.db, chat, self.clock.unix()).await?;
        }
        let action = if on {
            AuditAction::GroupSubscribed
        } else {
            AuditAction::GroupUnsubscribed
        };
        super::audit_by(
            self.db.pool(),
            actor,
            action,
            &AuditNote::GroupEvent {
                group: group.title.clone(),
                event,
            },
            self.clock.unix(),
        )
        .await?;
        Ok(groups::subscription(&self.db, chat).await?)
    }

    /// Turns a cabinet on or off for the group; `None` means all cabinets.
    pub async fn toggle_group_cabinet(
        &self,
        actor: Actor,
        chat: TgChatId,
        cabinet: Option<CabinetId>,
    ) -> AppResult<Subscription> {
        let group = self.own_group(actor, chat).await?;
        let name = match cabinet {
            Some(id) => {
                cabinets::get(&self.db, actor.workspace, id)
                    .await?
                    .ok_or(AppError::NotFound)?
                    .name
            }
            None => String::new(),
        };
        groups::toggle_cabinet(&self.db, chat, cabinet).await?;
        super::audit_by(
            self.db.pool(),
            actor,
            AuditAction::GroupCabinets,
            &AuditNote::GroupCabinet {
                group: group.title.clone(),
                cabinet: Some(name).filter(|n| !n.is_empty()),
            },
            self.clock.unix(),
        )
        .await?;
        Ok(groups::subscription(&self.db, chat).await?)
    }

    /// The workspace's group chats with their subscriptions.
    pub async fn list(&self, actor: Actor) -> AppResult<Vec<GroupView>> {
        actor.require(Permission::ManageSettings)?;
        let mut out = Vec::new();
        for chat in chats::groups_of(&self.db, actor.workspace).await? {
            let subscription = groups::subscription(&self.db, chat.id).await?;
            out.push(GroupView { chat, subscription });
        }
        Ok(out)
    }
}
