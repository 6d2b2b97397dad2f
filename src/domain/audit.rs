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
    /// The hour a group hears the daily summary.
    GroupSummaryHour,
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
    /// A rule made, changed, paused, resumed or deleted.
    RulesChanged,
    /// A queued rule step retried, skipped or run now by a person.
    QueueChanged,
    /// An e-mail address confirmed, removed, or what it hears changed.
    EmailsChanged,
}

impl AuditAction {
    pub const ALL: [AuditAction; 34] = [
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
        AuditAction::GroupSummaryHour,
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
        AuditAction::RulesChanged,
        AuditAction::QueueChanged,
        AuditAction::EmailsChanged,
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
            AuditAction::GroupSummaryHour => "group.summary-hour",
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
            AuditAction::RulesChanged => "rules.changed",
            AuditAction::QueueChanged => "queue.changed",
            AuditAction::EmailsChanged => "emails.changed",
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

/// What an audit entry says besides its action, as data: each is told as a sentence in
/// the reader's language. Stored as JSON in the entry's details; entries written before
/// it hold plain text, shown as it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "k", rename_all = "kebab-case")]
pub enum AuditNote {
    /// A thing named as the company named it (a cabinet, a group, a warehouse, an API
    /// request, the company).
    Name {
        name: String,
    },
    Renamed {
        from: String,
        to: String,
    },
    CabinetAdded {
        marketplace: super::Marketplace,
        name: String,
    },
    /// An invite's role, or the role someone joined with.
    Role {
        role: super::Role,
    },
    RoleChanged {
        member: String,
        from: super::Role,
        to: super::Role,
    },
    MemberRemoved {
        member: String,
        role: super::Role,
    },
    GroupEvent {
        group: String,
        event: super::EventKind,
    },
    /// A group's cabinets: `cabinet` toggled, or every cabinet when `None`.
    GroupCabinet {
        group: String,
        cabinet: Option<String>,
    },
    GroupMoney {
        group: String,
        on: bool,
    },
    /// The daily summary's hour, as `HH:MM`.
    GroupSummaryHour {
        group: String,
        at: String,
    },
    Api {
        endpoint: String,
        field: super::ApiField,
        value: String,
    },
    Status {
        marketplace: super::Marketplace,
        status: String,
        /// `None`: back to the default mapping.
        unified: Option<super::order::UnifiedStatus>,
    },
    /// A workspace setting (its code) set to a value.
    Setting {
        setting: String,
        value: i64,
    },
    TimeZone {
        zone: String,
    },
    Language {
        lang: super::Lang,
    },
    Stock {
        sku: String,
        before: i64,
        after: i64,
        reason: String,
    },
    Publish {
        sku: String,
        on: bool,
    },
    SkusMade {
        count: i64,
    },
    Link {
        product: String,
        sku: String,
        linked: bool,
    },
    Upload {
        file: String,
        rows: i64,
    },
    Prices {
        /// `chat` or `file`.
        source: String,
        prices: i64,
        rules: i64,
    },
    /// A stock formula set (`None`: back to the one it follows) for a warehouse or a SKU.
    Formula {
        title: String,
        formula: Option<super::stock::Formula>,
        /// The names of our warehouses it sums.
        stores: Vec<String>,
    },
}

impl AuditNote {
    /// As stored.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// An entry's details as stored: a note, or `None` for plain text of an older release.
    pub fn from_stored(details: &str) -> Option<AuditNote> {
        details
            .starts_with("{\"k\":")
            .then(|| serde_json::from_str(details).ok())
            .flatten()
    }
}
