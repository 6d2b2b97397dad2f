//! What the audit log records: one typed action per change a use case makes.

use std::str::FromStr;

use super::UnknownValue;

/// One entry of the audit log as stored (the action as its code, so entries written by a
/// later release still show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: Option<super::TgUserId>,
    pub action: String,
    pub details: String,
    pub at: i64,
}

/// A change written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    WorkspaceCreated,
    WorkspaceRenamed,
    WorkspaceTimeZone,
    WorkspaceLanguage,
    MemberJoined,
    MemberRole,
    MemberRemoved,
    InviteCreated,
    GroupLinked,
    GroupUnlinked,
    GroupSubscribed,
    GroupUnsubscribed,
    GroupCabinets,
    /// A group's alerts show sums, or no longer do.
    GroupMoney,
    CabinetAdded,
    CabinetRenamed,
    CabinetEnabled,
    CabinetDisabled,
    CabinetMain,
    CabinetKeyReplaced,
    CabinetArchived,
    CabinetDeleted,
    ApiOverride,
    ApiReset,
    StatusMapped,
    WorkspaceOrders,
    CatalogueChanged,
    /// Prices or price rules confirmed for the marketplaces.
    PricesChanged,
    StockChanged,
    WarehousesChanged,
}

impl AuditAction {
    pub const ALL: [AuditAction; 30] = [
        AuditAction::WorkspaceCreated,
        AuditAction::WorkspaceRenamed,
        AuditAction::WorkspaceTimeZone,
        AuditAction::WorkspaceLanguage,
        AuditAction::MemberJoined,
        AuditAction::MemberRole,
        AuditAction::MemberRemoved,
        AuditAction::InviteCreated,
        AuditAction::GroupLinked,
        AuditAction::GroupUnlinked,
        AuditAction::GroupSubscribed,
        AuditAction::GroupUnsubscribed,
        AuditAction::GroupCabinets,
        AuditAction::GroupMoney,
        AuditAction::CabinetAdded,
        AuditAction::CabinetRenamed,
        AuditAction::CabinetEnabled,
        AuditAction::CabinetDisabled,
        AuditAction::CabinetMain,
        AuditAction::CabinetKeyReplaced,
        AuditAction::CabinetArchived,
        AuditAction::CabinetDeleted,
        AuditAction::ApiOverride,
        AuditAction::ApiReset,
        AuditAction::StatusMapped,
        AuditAction::WorkspaceOrders,
        AuditAction::CatalogueChanged,
        AuditAction::PricesChanged,
        AuditAction::StockChanged,
        AuditAction::WarehousesChanged,
    ];

    /// The stored code; stored entries keep decoding, so a code never changes.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::WorkspaceCreated => "workspace.created",
            AuditAction::WorkspaceRenamed => "workspace.renamed",
            AuditAction::WorkspaceTimeZone => "workspace.time-zone",
            AuditAction::WorkspaceLanguage => "workspace.language",
            AuditAction::MemberJoined => "member.joined",
            AuditAction::MemberRole => "member.role",
            AuditAction::MemberRemoved => "member.removed",
            AuditAction::InviteCreated => "invite.created",
            AuditAction::GroupLinked => "group.linked",
            AuditAction::GroupUnlinked => "group.unlinked",
            AuditAction::GroupSubscribed => "group.subscribed",
            AuditAction::GroupUnsubscribed => "group.unsubscribed",
            AuditAction::GroupCabinets => "group.cabinets",
            AuditAction::GroupMoney => "group.money",
            AuditAction::CabinetAdded => "cabinet.added",
            AuditAction::CabinetRenamed => "cabinet.renamed",
            AuditAction::CabinetEnabled => "cabinet.enabled",
            AuditAction::CabinetDisabled => "cabinet.disabled",
            AuditAction::CabinetMain => "cabinet.main",
            AuditAction::CabinetKeyReplaced => "cabinet.key-replaced",
            AuditAction::CabinetArchived => "cabinet.archived",
            AuditAction::CabinetDeleted => "cabinet.deleted",
            AuditAction::ApiOverride => "api.override",
            AuditAction::ApiReset => "api.reset",
            AuditAction::StatusMapped => "status.mapped",
            AuditAction::WorkspaceOrders => "workspace.orders",
            AuditAction::CatalogueChanged => "catalogue.changed",
            AuditAction::PricesChanged => "prices.changed",
            AuditAction::StockChanged => "stock.changed",
            AuditAction::WarehousesChanged => "warehouses.changed",
        }
    }
}

impl FromStr for AuditAction {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_actions_round_trip_through_their_codes() {
        let mut codes = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert!(codes.insert(a.code()), "{} twice", a.code());
            assert_eq!(a.code().parse::<AuditAction>(), Ok(a));
        }
    }
}
