//! The audit log (F14): who changed what in a company.

use std::collections::HashMap;

use super::{Actor, AppResult};
use crate::domain::Permission;
use crate::domain::audit::AuditEntry;
use crate::storage::{audit, users};

/// An audit entry with the name of who made it (`None` for the system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    pub entry: AuditEntry,
    pub actor_name: Option<String>,
}

impl crate::app::rooms::Audit<'_> {
    /// The newest audit entries of the actor's workspace, with the names of their actors.
    pub async fn list(&self, actor: Actor, limit: i64) -> AppResult<Vec<AuditLine>> {
        actor.require(Permission::ManageSettings)?;
        let entries = audit::recent(&self.db, actor.workspace, limit).await?;
        let mut names: HashMap<i64, String> = HashMap::new();
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let actor_name = match entry.actor {
                Some(u) => {
                    if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(u.0) {
                        let name = users::get(&self.db, u)
                            .await?
                            .map(|x| x.first_name)
                            .unwrap_or_else(|| u.0.to_string());
                        slot.insert(name);
                    }
                    names.get(&u.0).cloned()
                }
                None => None,
            };
            out.push(AuditLine { entry, actor_name });
        }
        Ok(out)
    }
}
