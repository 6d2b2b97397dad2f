//! Workspace settings (F14): the company's name, time zone and default language.

use super::{Actor, AppError, AppResult, audit_by};
use crate::domain::{
    AuditAction, AuditNote, Lang, Permission, WatchSetting, Workspace, WorkspaceName, Zone,
};
use crate::storage::workspaces;

impl crate::app::rooms::Settings<'_> {
    /// The actor's workspace.
    pub async fn workspace(&self, actor: Actor) -> AppResult<Workspace> {
        actor.require(Permission::ViewData)?;
        workspaces::get(&self.db, actor.workspace)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Renames the actor's workspace.
    pub async fn rename_workspace(&self, actor: Actor, name: &WorkspaceName) -> AppResult<()> {
        actor.require(Permission::ManageSettings)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        workspaces::rename(&mut *tx, actor.workspace, name.as_str()).await?;
        audit_by(
            &mut *tx,
            actor,
            AuditAction::WorkspaceRenamed,
            &AuditNote::Name {
                name: name.as_str().to_owned(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_time_zone(&self, actor: Actor, zone: &str) -> AppResult<()> {
        actor.require(Permission::ManageSettings)?;
        let Some(zone) = Zone::parse(zone) else {
            return Err(AppError::NotFound);
        };
        let zone = zone.name();
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        workspaces::set_time_zone(&mut *tx, actor.workspace, zone).await?;
        let note = AuditNote::TimeZone {
            zone: zone.to_owned(),
        };
        super::audit_by(&mut *tx, actor, AuditAction::WorkspaceTimeZone, &note, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets one of the company's watch settings to one of its offered values.
    pub async fn set_watch_setting(
        &self,
        actor: Actor,
        setting: WatchSetting,
        value: i64,
    ) -> AppResult<()> {
        actor.require(Permission::ManageSettings)?;
        if !setting.choices().contains(&value) {
            return Err(AppError::NotFound);
        }
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        workspaces::set_watch_setting(&mut *tx, actor.workspace, setting, value).await?;
        let job = match setting {
            WatchSetting::Poll => Some(super::jobs::JobKind::Orders.code()),
            WatchSetting::Stocks => Some(super::jobs::JobKind::Stocks.code()),
            WatchSetting::Finance => Some(super::jobs::JobKind::Finance.code()),
            _ => None,
        };
        if let Some(kind) = job {
            crate::storage::jobs::reschedule(&mut *tx, actor.workspace, kind, value, now).await?;
        }
        let note = AuditNote::Setting {
            setting: setting.code().to_owned(),
            value,
        };
        super::audit_by(&mut *tx, actor, AuditAction::WorkspaceOrders, &note, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_default_lang(&self, actor: Actor, lang: Lang) -> AppResult<()> {
        actor.require(Permission::ManageSettings)?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        workspaces::set_default_lang(&mut *tx, actor.workspace, lang).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::WorkspaceLanguage,
            &AuditNote::Language { lang },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
