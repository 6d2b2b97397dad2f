//! Team use cases: changing a member's role and removing a member. An admin manages
//! only the roles it may grant; owners are managed by owners; the last owner stays.

use super::{Actor, AppError, AppResult, Services};
use crate::domain::AuditAction;
use crate::domain::{Permission, Role, TgUserId};
use crate::storage::members;

impl Services {
    /// A member of the actor's workspace that the actor may manage.
    pub async fn manageable_member(
        &self,
        actor: Actor,
        target: TgUserId,
    ) -> AppResult<members::Member> {
        actor.require(Permission::ManageTeam)?;
        let m = members::get(&self.db, actor.workspace, target)
            .await?
            .ok_or(AppError::NotFound)?;
        if m.user == actor.user {
            return Err(AppError::Forbidden);
        }
        if !actor.role.may_manage(m.role) {
            return Err(AppError::Forbidden);
        }
        Ok(m)
    }

    pub async fn set_member_role(
        &self,
        actor: Actor,
        target: TgUserId,
        role: Role,
    ) -> AppResult<members::Member> {
        let m = self.manageable_member(actor, target).await?;
        if !actor.role.assignable().contains(&role) {
            return Err(AppError::Forbidden);
        }
        if m.role == role {
            return Ok(m);
        }
        let now = self.clock.unix();
        let mut tx = self.db.pool().begin().await?;
        if m.role == Role::Owner && members::count_owners(&mut tx, actor.workspace).await? <= 1 {
            return Err(AppError::LastOwner);
        }
        members::set_role(&mut *tx, actor.workspace, target, role).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::MemberRole,
            &format!("{}: {} → {}", m.first_name, m.role.code(), role.code()),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(members::Member { role, ..m })
    }

    pub async fn remove_member(
        &self,
        actor: Actor,
        target: TgUserId,
    ) -> AppResult<members::Member> {
        let m = self.manageable_member(actor, target).await?;
        let now = self.clock.unix();
        let mut tx = self.db.pool().begin().await?;
        if m.role == Role::Owner && members::count_owners(&mut tx, actor.workspace).await? <= 1 {
            return Err(AppError::LastOwner);
        }
        members::remove(&mut tx, actor.workspace, target).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::MemberRemoved,
            &format!("{} ({})", m.first_name, m.role.code()),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }
}
