//! Claiming work (F4): someone on the warehouse takes an order to pack; the first to take
//! it has it until they let it go, and everyone else is told who has it.

use crate::domain::ids::OrderId;
use std::collections::HashMap;

use super::{Actor, AppError, AppResult};
use crate::domain::{Permission, TgUserId};
use crate::storage::{labels, orders};

/// Who has an order after a press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub user: TgUserId,
    pub name: String,
    /// The presser has it.
    pub mine: bool,
    /// The press took it (it was free).
    pub taken_now: bool,
}

impl crate::app::rooms::Orders<'_> {
    async fn holder(&self, user: TgUserId, actor: Actor, taken_now: bool) -> AppResult<Holder> {
        Ok(Holder {
            user,
            name: self
                .session()
                .user_name(user)
                .await?
                .unwrap_or_else(|| user.0.to_string()),
            mine: user == actor.user,
            taken_now,
        })
    }

    /// Takes an order to pack, unless someone has it.
    pub async fn claim_order(&self, actor: Actor, order: OrderId) -> AppResult<Holder> {
        actor.require(Permission::AssembleOrders)?;
        let o = orders::get(&self.db, actor.workspace, order)
            .await?
            .ok_or(AppError::NotFound)?;
        let before = labels::claim_of(&self.db, actor.workspace, o.id).await?;
        if let Some(c) = before {
            return self.holder(c.user, actor, false).await;
        }
        if !o.unified.is_open() {
            return Err(AppError::TooLate);
        }
        let now = labels::claim(&self.db, actor.workspace, o.id, actor.user, self.now()).await?;
        self.holder(now.user, actor, now.user == actor.user).await
    }

    /// Lets an order go; `Err(Forbidden)` if someone else has it. Returns whether it was held.
    pub async fn release_order(&self, actor: Actor, order: OrderId) -> AppResult<Option<Holder>> {
        actor.require(Permission::AssembleOrders)?;
        if labels::release(&self.db, actor.workspace, order, actor.user).await? {
            return Ok(None);
        }
        match labels::claim_of(&self.db, actor.workspace, order).await? {
            Some(c) => Ok(Some(self.holder(c.user, actor, false).await?)),
            None => Ok(None),
        }
    }

    /// Who has each of these orders, by name.
    pub async fn holders(
        &self,
        actor: Actor,
        list: &[OrderId],
    ) -> AppResult<HashMap<OrderId, String>> {
        actor.require(Permission::ViewData)?;
        let mut out = HashMap::new();
        for (order, c) in labels::claims_of(&self.db, actor.workspace, list).await? {
            let name = self
                .session()
                .user_name(c.user)
                .await?
                .unwrap_or_else(|| c.user.0.to_string());
            out.insert(order, name);
        }
        Ok(out)
    }
}
