//! Unified statuses (F3): the statuses a workspace's orders were seen in, what each maps
//! to (the workspace's own mapping over the default), and changing a mapping, which moves
//! the orders in that status at once (a "no status" order that becomes open is told as
//! new; one that becomes cancelled as a cancellation).

use super::orders::{status_key, unify};
use super::{Actor, AppError, AppResult, audit_by};
use crate::domain::alerts::Alert;
use crate::domain::order::{StatusKey, UnifiedStatus, default_mapping};
use crate::domain::{AuditAction, Permission};
use crate::storage::{orders, statuses};

/// One status of the workspace's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    pub id: i64,
    pub key: StatusKey,
    /// The workspace's own mapping, if it has one.
    pub own: Option<UnifiedStatus>,
    /// What ships for it, if anything.
    pub default: Option<UnifiedStatus>,
    /// How many orders are in it now.
    pub orders: i64,
}

impl StatusRow {
    /// What orders in this status get.
    pub fn unified(&self) -> UnifiedStatus {
        self.own.or(self.default).unwrap_or(UnifiedStatus::NoStatus)
    }
}

/// What changing a mapping did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remapped {
    pub key: StatusKey,
    pub unified: UnifiedStatus,
    /// Orders whose unified status moved.
    pub moved: usize,
}

impl crate::app::rooms::Statuses<'_> {
    /// The statuses the actor's workspace has seen, unmapped ones first.
    pub async fn status_table(&self, actor: Actor) -> AppResult<Vec<StatusRow>> {
        actor.require(Permission::ManageSettings)?;
        let seen = statuses::seen_all(&self.db, actor.workspace).await?;
        let counts = statuses::order_counts(&self.db, actor.workspace).await?;
        let counts = statuses::fold_counts(counts, |k| {
            status_key(k.marketplace, &k.status, &k.substatus)
        });
        let own = {
            let mut tx = self.db.begin().await?;
            let own = orders::mappings(&mut tx, actor.workspace).await?;
            tx.commit().await?;
            own
        };
        let mut rows: Vec<StatusRow> = seen
            .into_iter()
            .map(|(id, key)| StatusRow {
                id,
                own: own.get(&key).copied(),
                default: default_mapping(&key),
                orders: counts.get(&key).copied().unwrap_or(0),
                key,
            })
            .collect();
        rows.sort_by_key(|r| (r.unified() != UnifiedStatus::NoStatus, r.key.clone()));
        Ok(rows)
    }

    /// One status of the table.
    pub async fn status_row(&self, actor: Actor, id: i64) -> AppResult<StatusRow> {
        self.status_table(actor)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Maps a seen status to `unified` (or back to its default with `None`) and moves the
    /// orders in it, in one transaction.
    pub async fn map_status(
        &self,
        actor: Actor,
        id: i64,
        unified: Option<UnifiedStatus>,
    ) -> AppResult<Remapped> {
        actor.require(Permission::ManageSettings)?;
        let key = statuses::key(&self.db, actor.workspace, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.now();
        let ws = actor.workspace;
        let mut tx = self.db.begin().await?;
        statuses::set_mapping(&mut tx, ws, &key, unified).await?;
        let own = orders::mappings(&mut tx, ws).await?;
        let to = unify(&own, &key).unwrap_or(UnifiedStatus::NoStatus);
        let mut moved = 0;
        for o in statuses::orders_in(&mut tx, ws, key.marketplace, &key.status).await? {
            if status_key(key.marketplace, &o.status, &o.substatus) != key {
                continue;
            }
            if to == o.unified {
                continue;
            }
            statuses::remap(&mut tx, &o, to, actor.user, now).await?;
            moved += 1;
            let alert = if o.unified == UnifiedStatus::NoStatus && to.is_open() {
                Some(Alert::NewOrder { order: o.id })
            } else if to == UnifiedStatus::Cancelled && o.unified != UnifiedStatus::Cancelled {
                Some(Alert::Cancelled {
                    order: o.id,
                    assembled: o.unified.is_assembled(),
                })
            } else {
                None
            };
            if let Some(alert) = alert {
                self.alerts()
                    .raise_in(&mut tx, ws, Some(o.cabinet), &alert)
                    .await?;
            }
        }
        let detail = crate::domain::AuditNote::Status {
            marketplace: key.marketplace,
            status: key.label(),
            unified,
        };
        audit_by(&mut *tx, actor, AuditAction::StatusMapped, &detail, now).await?;
        tx.commit().await?;
        Ok(Remapped {
            key,
            unified: to,
            moved,
        })
    }
}
