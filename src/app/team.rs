//! Team use cases: invites, the member list, changing a member's role and removing a
//! member. An admin manages only the roles it may grant; owners are managed by owners;
//! the last owner stays, even when two owners change each other at the same moment.

use super::{Actor, AppError, AppResult};
use crate::domain::{AuditAction, AuditNote, InviteCode, Member, Permission, Role, TgUserId};
use crate::storage::{invites, members, workspaces};

/// How long an invite stays valid.
pub const INVITE_TTL_SECS: i64 = 24 * 3600;

/// Who may change `target`, judged on roles read now: the actor is still a member who may
/// manage the team, the target is another member whose role the actor may manage.
fn check_manageable(actor: &Member, target: Option<Member>) -> AppResult<Member> {
    if !actor.role.can(Permission::ManageTeam) {
        return Err(AppError::Forbidden);
    }
    let m = target.ok_or(AppError::NotFound)?;
    if m.user == actor.user || !actor.role.may_manage(m.role) {
        return Err(AppError::Forbidden);
    }
    Ok(m)
}

impl crate::app::rooms::Team<'_> {
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
        let mut tx = self.db.begin().await?;
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
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::InviteCreated,
            &AuditNote::Role { role },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(expires)
    }

    /// The members of the actor's workspace.
    pub async fn list(&self, actor: Actor) -> AppResult<Vec<Member>> {
        actor.require(Permission::ViewData)?;
        Ok(members::list(&self.db, actor.workspace).await?)
    }

    /// A member of the actor's workspace that the actor may manage.
    pub async fn manageable_member(&self, actor: Actor, target: TgUserId) -> AppResult<Member> {
        actor.require(Permission::ManageTeam)?;
        let me = members::get(&self.db, actor.workspace, actor.user)
            .await?
            .ok_or(AppError::NotMember)?;
        check_manageable(&me, members::get(&self.db, actor.workspace, target).await?)
    }

    /// Starts a team change: locks the workspace, then re-reads both roles, so two owners
    /// demoting each other at the same moment run one after the other and the second sees
    /// the first's change.
    async fn begin_team_change(
        &self,
        actor: Actor,
        target: TgUserId,
    ) -> AppResult<(sqlx::Transaction<'static, sqlx::Any>, Member, Member)> {
        actor.require(Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        workspaces::lock(&mut tx, actor.workspace).await?;
        let me = members::get_in(&mut tx, actor.workspace, actor.user)
            .await?
            .ok_or(AppError::NotMember)?;
        let m = check_manageable(
            &me,
            members::get_in(&mut tx, actor.workspace, target).await?,
        )?;
        Ok((tx, me, m))
    }

    pub async fn set_member_role(
        &self,
        actor: Actor,
        target: TgUserId,
        role: Role,
    ) -> AppResult<Member> {
        let (mut tx, me, m) = self.begin_team_change(actor, target).await?;
        if !me.role.assignable().contains(&role) {
            return Err(AppError::Forbidden);
        }
        if m.role == role {
            return Ok(m);
        }
        if m.role == Role::Owner && members::count_owners(&mut tx, actor.workspace).await? <= 1 {
            return Err(AppError::LastOwner);
        }
        let now = self.clock.unix();
        members::set_role(&mut *tx, actor.workspace, target, role).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::MemberRole,
            &AuditNote::RoleChanged {
                member: m.first_name.clone(),
                from: m.role,
                to: role,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Member { role, ..m })
    }

    pub async fn remove_member(&self, actor: Actor, target: TgUserId) -> AppResult<Member> {
        let (mut tx, _, m) = self.begin_team_change(actor, target).await?;
        if m.role == Role::Owner && members::count_owners(&mut tx, actor.workspace).await? <= 1 {
            return Err(AppError::LastOwner);
        }
        let now = self.clock.unix();
        members::remove(&mut tx, actor.workspace, target).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::MemberRemoved,
            &AuditNote::MemberRemoved {
                member: m.first_name.clone(),
                role: m.role,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }
}
