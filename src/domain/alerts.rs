//! What alert groups subscribe to, and local times in a workspace's zone.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::UnknownValue;

/// What a group is subscribed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscription {
    pub events: Vec<EventKind>,
    /// Empty means every cabinet of the workspace.
    pub cabinets: Vec<super::CabinetId>,
}

/// A kind of event a group chat can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum EventKind {
    NewOrder,
    Cancellation,
    LowStock,
    ShipDeadline,
    SyncFailure,
    KeyProblem,
    DailySummary,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::NewOrder,
        EventKind::Cancellation,
        EventKind::LowStock,
        EventKind::ShipDeadline,
        EventKind::SyncFailure,
        EventKind::KeyProblem,
        EventKind::DailySummary,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::NewOrder => "new-order",
            EventKind::Cancellation => "cancellation",
            EventKind::LowStock => "low-stock",
            EventKind::ShipDeadline => "ship-deadline",
            EventKind::SyncFailure => "sync-failure",
            EventKind::KeyProblem => "key-problem",
            EventKind::DailySummary => "daily-summary",
        }
    }
}

impl FromStr for EventKind {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|e| e.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// `dd.mm.yyyy hh:mm` of a unix time in a zone named by its IANA name (Moscow for a
/// name the tz database does not know).
pub fn format_local(unix: i64, zone: &str) -> String {
    super::time::Zone::or_default(zone).format(unix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_kinds_round_trip() {
        for e in EventKind::ALL {
            assert_eq!(e.code().parse::<EventKind>(), Ok(e));
        }
    }

    #[test]
    fn local_times_use_the_zone_offset() {
        // 2026-11-23 09:00 UTC
        assert_eq!(
            format_local(1_795_424_400, "Europe/Moscow"),
            "23.11.2026 12:00"
        );
        assert_eq!(
            format_local(1_795_424_400, "Asia/Vladivostok"),
            "23.11.2026 19:00"
        );
        assert_eq!(
            format_local(1_795_424_400, "Mars/Olympus"),
            "23.11.2026 12:00"
        );
    }
}
