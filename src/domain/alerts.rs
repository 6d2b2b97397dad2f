//! Alerts: what can happen that someone should hear of, which groups subscribe to which
//! kinds, and local times in a workspace's zone.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{CabinetId, Marketplace, OrderId, SkuId, UnknownValue};

/// Something that happened that chats should be told, as the outbox stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Alert {
    /// An order seen for the first time, open.
    NewOrder { order: OrderId },
    /// An open order cancelled by the buyer or the marketplace; `assembled` when its items
    /// were already taken off the shelf (they go back).
    Cancelled { order: OrderId, assembled: bool },
    /// A marketplace status nobody mapped to a unified one (told to owners and admins).
    UnmappedStatus {
        marketplace: Marketplace,
        status: String,
        substatus: String,
    },
    /// A cabinet's sync has failed through the whole main retry mode.
    SyncFailing {
        cabinet: i64,
        /// How it fails, when known (alerts of older releases have none).
        #[serde(default)]
        failure: Option<super::Failure>,
    },
    /// The daily key check found a cabinet's key not working (a `KeyProblem` code).
    KeyProblem { cabinet: i64, problem: String },
    /// An action on an order failed after every retry (an `Action` code).
    ActionFailed { order: OrderId, action: String },
    /// An open order's ship-by deadline is near (told once per deadline).
    DeadlineNear { order: OrderId, ship_by: i64 },
    /// An order's label, ready: the file goes to the warehouse groups.
    LabelReady { order: OrderId, document: i64 },
    /// Labels someone asked for, to the chat they asked in: the merged files, and the
    /// orders that got none and why.
    /// Each file is an alert of its own (so a failed send never repeats a file that went),
    /// and what got no label is one more, without a file.
    Labels {
        documents: Vec<i64>,
        printed: i64,
        failed: Vec<LabelFailure>,
        /// This file's number among `parts` files (0 for the alert without a file).
        #[serde(default)]
        part: i64,
        #[serde(default)]
        parts: i64,
    },
    /// A catalogue sync someone asked for, to their chat: where the catalogue stands.
    CatalogueReport {
        skus: i64,
        products: i64,
        linked: i64,
        by_barcode: i64,
        by_vendor_code: i64,
        unlinked: i64,
        ambiguous: i64,
        /// Cabinets whose import failed.
        failed: Vec<String>,
    },
    /// A cabinet's key expires in `days` days (at `expires_at`): told 7, 3 and 1 days
    /// before, with the key problems.
    KeyExpiring {
        cabinet: i64,
        days: i64,
        expires_at: i64,
    },
    /// An order import someone asked for, to their chat: orders seen for the first time,
    /// orders whose status moved.
    OrdersImported {
        new: i64,
        moved: i64,
        failed: Vec<String>,
    },
    /// A finance reading someone asked for, to their chat: orders whose money changed,
    /// payouts recorded, cabinets whose key may not read finance.
    FinanceRead {
        orders: i64,
        paid: i64,
        failed: Vec<String>,
        #[serde(default)]
        refused: Vec<String>,
    },
    /// A stock push someone asked for, to their chat.
    StocksPushed {
        pushed: i64,
        refused: i64,
        failed: Vec<String>,
    },
    /// How a confirmation's price changes went on one cabinet, to the chat that confirmed:
    /// applied as read back, still pending, held back by the marketplace's limit until
    /// `wait_until`, refused (SKU code and reason, the first few of `rejected_count`).
    PricesApplied {
        cabinet: String,
        applied: i64,
        pending: i64,
        waiting: i64,
        wait_until: Option<i64>,
        rejected: Vec<(String, String)>,
        rejected_count: i64,
    },
    /// A push of confirmed prices on a cabinet, to the groups (and members) following price
    /// changes: how many were applied, refused, still waiting for the marketplace; who
    /// confirmed them; the first few as SKU code, old and new price (kopecks).
    PricesChanged {
        cabinet: i64,
        applied: i64,
        rejected: i64,
        pending: i64,
        by: Vec<String>,
        changes: Vec<PriceMove>,
    },
    /// The stock we publish for a SKU fell below its threshold (once a day per SKU).
    LowStock {
        sku: SkuId,
        stock: i64,
        threshold: i64,
        /// Days the stock lasts at the last 14 days' sales.
        days_left: Option<i64>,
    },
    /// Open orders on all marketplaces together want more of a SKU than there is.
    Oversell {
        sku: SkuId,
        stock: i64,
        ordered: i64,
        /// The orders at risk (numbers), newest last.
        orders: Vec<String>,
    },
    /// A rule's message, from its template, to the chat or members it names.
    RuleNotice {
        rule: i64,
        name: String,
        order: Option<OrderId>,
        text: String,
    },
    /// A rule's step failed for good (after its main and reserve modes, or at once when
    /// trying again cannot help): told once, to the rule's chat.
    RuleFailed {
        rule: i64,
        name: String,
        order: Option<OrderId>,
        /// The step's kind (`Step::code`).
        step: String,
        error: String,
    },
    /// A rule failed for good so many times in a row that it paused itself.
    RulePaused { rule: i64, name: String, fails: i64 },
    /// Yesterday's (or, on Mondays, last week's) orders and money, to a chat that follows
    /// the daily summary, at its hour: `[from, to)` in the company's zone.
    Summary {
        weekly: bool,
        from: i64,
        to: i64,
        facts: Box<super::finance::SummaryFacts>,
    },
}

/// One price a push changed, as a group hears of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceMove {
    pub sku: String,
    pub old: Option<i64>,
    pub new: i64,
}

/// An order that got no label, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelFailure {
    pub order: OrderId,
    pub number: String,
    /// `not-ready`, `refused`, `key`, `unavailable` or `gone`.
    pub reason: String,
    /// What the marketplace said, as it said it.
    #[serde(default)]
    pub detail: String,
}

impl Alert {
    /// Whether alerts of this kind that one pass raised for one chat are told as one
    /// message.
    pub fn groups(&self) -> bool {
        matches!(
            self,
            Alert::DeadlineNear { .. }
                | Alert::LowStock { .. }
                | Alert::Oversell { .. }
                | Alert::PricesApplied { .. }
                | Alert::PricesChanged { .. }
        )
    }

    /// The kind of event groups subscribe to; `None` for what only owners and admins hear
    /// (an unmapped status, an action that failed for good).
    pub fn event(&self) -> Option<EventKind> {
        match self {
            Alert::NewOrder { .. } => Some(EventKind::NewOrder),
            Alert::Cancelled { .. } => Some(EventKind::Cancellation),
            Alert::UnmappedStatus { .. } => None,
            Alert::SyncFailing { .. } => Some(EventKind::SyncFailure),
            Alert::KeyProblem { .. } | Alert::KeyExpiring { .. } => Some(EventKind::KeyProblem),
            // The seller's to handle: owners and admins hear of it in private.
            Alert::ActionFailed { .. } => None,
            Alert::DeadlineNear { .. } => Some(EventKind::ShipDeadline),
            Alert::LabelReady { .. } => Some(EventKind::LabelReady),
            // Told to the chat that asked, only.
            Alert::Labels { .. }
            | Alert::CatalogueReport { .. }
            | Alert::OrdersImported { .. }
            | Alert::FinanceRead { .. }
            | Alert::StocksPushed { .. }
            | Alert::PricesApplied { .. } => None,
            Alert::LowStock { .. } | Alert::Oversell { .. } => Some(EventKind::LowStock),
            Alert::PricesChanged { .. } => Some(EventKind::PriceChanged),
            // A rule names its own chats.
            Alert::RuleNotice { .. } | Alert::RuleFailed { .. } | Alert::RulePaused { .. } => None,
            // Raised per chat, at the hour each chose.
            Alert::Summary { .. } => Some(EventKind::DailySummary),
        }
    }

    /// The stored kind.
    pub fn code(&self) -> &'static str {
        match self {
            Alert::NewOrder { .. } => "new-order",
            Alert::Cancelled { .. } => "cancelled",
            Alert::UnmappedStatus { .. } => "unmapped-status",
            Alert::SyncFailing { .. } => "sync-failing",
            Alert::KeyProblem { .. } => "key-problem",
            Alert::KeyExpiring { .. } => "key-expiring",
            Alert::ActionFailed { .. } => "action-failed",
            Alert::DeadlineNear { .. } => "deadline-near",
            Alert::LabelReady { .. } => "label-ready",
            Alert::Labels { .. } => "labels",
            Alert::CatalogueReport { .. } => "catalogue-report",
            Alert::StocksPushed { .. } => "stocks-pushed",
            Alert::OrdersImported { .. } => "orders-imported",
            Alert::FinanceRead { .. } => "finance-read",
            Alert::PricesApplied { .. } => "prices-applied",
            Alert::LowStock { .. } => "low-stock",
            Alert::Oversell { .. } => "oversell",
            Alert::PricesChanged { .. } => "prices-changed",
            Alert::RuleNotice { .. } => "rule-notice",
            Alert::RuleFailed { .. } => "rule-failed",
            Alert::RulePaused { .. } => "rule-paused",
            Alert::Summary { weekly: false, .. } => "daily-summary",
            Alert::Summary { weekly: true, .. } => "weekly-summary",
        }
    }

    /// The cabinet it is about, when it is about one (groups may follow some cabinets only).
    pub fn cabinet(&self, order_cabinet: Option<CabinetId>) -> Option<CabinetId> {
        match self {
            Alert::NewOrder { .. }
            | Alert::Cancelled { .. }
            | Alert::ActionFailed { .. }
            | Alert::DeadlineNear { .. }
            | Alert::LabelReady { .. } => order_cabinet,
            Alert::SyncFailing { cabinet, .. }
            | Alert::KeyProblem { cabinet, .. }
            | Alert::KeyExpiring { cabinet, .. }
            | Alert::PricesChanged { cabinet, .. } => Some(CabinetId(*cabinet)),
            Alert::UnmappedStatus { .. }
            | Alert::Labels { .. }
            | Alert::CatalogueReport { .. }
            | Alert::OrdersImported { .. }
            | Alert::FinanceRead { .. }
            | Alert::StocksPushed { .. }
            | Alert::PricesApplied { .. }
            | Alert::LowStock { .. }
            | Alert::Oversell { .. }
            | Alert::RuleNotice { .. }
            | Alert::RuleFailed { .. }
            | Alert::RulePaused { .. }
            | Alert::Summary { .. } => None,
        }
    }
}

/// What a group is subscribed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscription {
    pub events: Vec<EventKind>,
    /// Empty means every cabinet of the workspace.
    pub cabinets: Vec<super::CabinetId>,
    /// When the daily summary comes: minutes after local midnight.
    pub summary_minute: i64,
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
    LabelReady,
    PriceChanged,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::NewOrder,
        EventKind::Cancellation,
        EventKind::LowStock,
        EventKind::ShipDeadline,
        EventKind::SyncFailure,
        EventKind::KeyProblem,
        EventKind::DailySummary,
        EventKind::LabelReady,
        EventKind::PriceChanged,
    ];

    /// The kinds a chat can choose.
    pub const OFFERED: [EventKind; 9] = EventKind::ALL;

    pub fn code(self) -> &'static str {
        match self {
            EventKind::NewOrder => "new-order",
            EventKind::Cancellation => "cancellation",
            EventKind::LowStock => "low-stock",
            EventKind::ShipDeadline => "ship-deadline",
            EventKind::SyncFailure => "sync-failure",
            EventKind::KeyProblem => "key-problem",
            EventKind::DailySummary => "daily-summary",
            EventKind::LabelReady => "label-ready",
            EventKind::PriceChanged => "price-changed",
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

#[cfg(test)]
mod price_alert_tests {
    use super::*;

    #[test]
    fn a_price_report_keeps_its_stored_form() {
        let a = Alert::PricesApplied {
            cabinet: "ВБ".into(),
            applied: 3,
            pending: 1,
            waiting: 0,
            wait_until: None,
            rejected: vec![("PR-1".into(), "quarantine".into())],
            rejected_count: 1,
        };
        let s = serde_json::to_string(&a).expect("json");
        let back: Alert = serde_json::from_str(&s).expect(&s);
        assert_eq!(back, a);
    }
}

/// A chat's quiet hours: between two times of day (the workspace's zone) alerts of the
/// chosen kinds wait, and come as one digest when the quiet hours end. Failures and key
/// problems are never held, whatever was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietHours {
    /// Minutes after local midnight; `from > to` spans midnight (22:00–08:00).
    pub from: i64,
    pub to: i64,
    pub kinds: Vec<EventKind>,
}

impl QuietHours {
    /// The kinds quiet hours may hold, and the ones chosen when they are first set.
    pub const HOLDABLE: [EventKind; 6] = [
        EventKind::NewOrder,
        EventKind::Cancellation,
        EventKind::LowStock,
        EventKind::ShipDeadline,
        EventKind::LabelReady,
        EventKind::PriceChanged,
    ];

    /// When the quiet hours around `now` end (a unix time), if `now` falls in them.
    pub fn quiet_until(&self, zone: super::Zone, now: i64) -> Option<i64> {
        if self.from == self.to {
            return None;
        }
        let minute = zone.minute_of_day(now);
        let inside = if self.from < self.to {
            (self.from..self.to).contains(&minute)
        } else {
            minute >= self.from || minute < self.to
        };
        if !inside {
            return None;
        }
        let left = (self.to - minute).rem_euclid(24 * 60);
        Some(now - now.rem_euclid(60) + left * 60)
    }

    /// Whether this alert waits for the end of the quiet hours.
    pub fn holds(&self, alert: &Alert) -> bool {
        alert
            .event()
            .is_some_and(|k| QuietHours::HOLDABLE.contains(&k) && self.kinds.contains(&k))
    }

    /// `HH:MM–HH:MM` as typed (a hyphen, an en dash or a space between; `22-8` too).
    pub fn parse_span(text: &str) -> Option<(i64, i64)> {
        let t = text.trim().replace(['–', '—'], "-");
        let (a, b) = t.split_once('-').or_else(|| t.split_once(' '))?;
        let time = |s: &str| -> Option<i64> {
            let s = s.trim();
            let (h, m) = s.split_once(':').unwrap_or((s, "00"));
            let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
            ((0..24).contains(&h) && (0..60).contains(&m) && !s.is_empty()).then_some(h * 60 + m)
        };
        let (from, to) = (time(a)?, time(b)?);
        (from != to).then_some((from, to))
    }
}

#[cfg(test)]
mod quiet_tests {
    use super::*;
    use crate::domain::{OrderId, Zone};

    #[test]
    fn quiet_hours_span_midnight_and_end_on_time() {
        let q = QuietHours {
            from: 22 * 60,
            to: 8 * 60,
            kinds: vec![EventKind::NewOrder],
        };
        let utc = Zone::or_default("UTC");
        let day = 1_795_000_000 - 1_795_000_000 % 86_400; // a midnight UTC
        assert_eq!(q.quiet_until(utc, day + 23 * 3600), Some(day + 32 * 3600));
        assert_eq!(
            q.quiet_until(utc, day + 3 * 3600 + 30),
            Some(day + 8 * 3600)
        );
        assert_eq!(q.quiet_until(utc, day + 12 * 3600), None);
        assert_eq!(q.quiet_until(utc, day + 8 * 3600), None);
        let new = Alert::NewOrder { order: OrderId(1) };
        assert!(q.holds(&new));
        let key = Alert::KeyProblem {
            cabinet: 1,
            problem: "x".into(),
        };
        let all = QuietHours {
            kinds: EventKind::ALL.to_vec(),
            ..q.clone()
        };
        assert!(!all.holds(&key), "key problems are never held");
        assert!(!q.holds(&Alert::Cancelled {
            order: OrderId(1),
            assembled: false
        }));
    }

    #[test]
    fn spans_are_read_as_typed() {
        assert_eq!(QuietHours::parse_span("22:00-08:00"), Some((1320, 480)));
        assert_eq!(QuietHours::parse_span("22–8"), Some((1320, 480)));
        assert_eq!(QuietHours::parse_span("23:30 07:15"), Some((1410, 435)));
        assert_eq!(QuietHours::parse_span("25:00-08:00"), None);
        assert_eq!(QuietHours::parse_span("night"), None);
        assert_eq!(QuietHours::parse_span("8-8"), None);
    }
}
