//! What alert groups subscribe to, and the time zones a workspace can work in.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::UnknownValue;

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

/// Time zones offered in settings: IANA name and UTC offset in minutes. These zones keep
/// one offset all year (no daylight saving since 2014-2016), so the offset is exact.
pub const TIME_ZONES: [(&str, i32); 14] = [
    ("Europe/Kaliningrad", 120),
    ("Europe/Moscow", 180),
    ("Europe/Samara", 240),
    ("Asia/Yekaterinburg", 300),
    ("Asia/Omsk", 360),
    ("Asia/Novosibirsk", 420),
    ("Asia/Krasnoyarsk", 420),
    ("Asia/Irkutsk", 480),
    ("Asia/Yakutsk", 540),
    ("Asia/Vladivostok", 600),
    ("Asia/Magadan", 660),
    ("Asia/Kamchatka", 720),
    ("Europe/Minsk", 180),
    ("Asia/Almaty", 300),
];

/// The UTC offset of a zone we offer, in minutes; Moscow for anything else.
pub fn utc_offset_minutes(zone: &str) -> i32 {
    TIME_ZONES
        .iter()
        .find(|(z, _)| *z == zone)
        .map(|(_, m)| *m)
        .unwrap_or(180)
}

/// `dd.mm.yyyy hh:mm` of a unix time in a zone.
pub fn format_local(unix: i64, zone: &str) -> String {
    let offset = chrono::FixedOffset::east_opt(utc_offset_minutes(zone) * 60);
    match (offset, chrono::DateTime::from_timestamp(unix, 0)) {
        (Some(offset), Some(t)) => t
            .with_timezone(&offset)
            .format("%d.%m.%Y %H:%M")
            .to_string(),
        _ => String::from("—"),
    }
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
