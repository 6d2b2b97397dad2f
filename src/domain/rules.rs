//! Automation rules (F8), as the seeds have them: when an event happens and every condition
//! holds, a rule's actions run in order, each tried by the rule's failure policy (a main
//! mode, then a reserve mode, then the alternative rule). Pure: what matches, what a step
//! is, how a policy retries; storing and running them is the app's.

use serde::{Deserialize, Serialize};

use super::order::{Action, CancelWhy, UnifiedStatus};
use super::retry::RetryPolicy;
use super::{CabinetId, Marketplace, Money, Role, Scheme, TgChatId};

/// What a rule waits for: a closed list, each with what it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "kebab-case")]
pub enum Trigger {
    /// An order seen for the first time.
    OrderCreated,
    /// An order reached a unified status (from the marketplace or by an action).
    StatusReached { status: UnifiedStatus },
    /// An order was cancelled by the buyer or the marketplace.
    OrderCancelled,
    /// An open order's ship-by deadline came near.
    DeadlineNear,
    /// An order's label was read.
    LabelReady,
    /// A SKU's published stock fell below its threshold.
    StockBelow,
    /// A cabinet's confirmed price changes were applied.
    PriceApplied,
    /// A cabinet's key stopped working.
    KeyProblem,
    /// Every day at this minute of the day, in the workspace's zone.
    Daily { minute: i64 },
    /// "Run now" pressed on an order's card.
    Button,
}

impl Trigger {
    /// Every kind, in the order a person picks from (statuses and times are asked next).
    pub const KINDS: [Trigger; 10] = [
        Trigger::OrderCreated,
        Trigger::StatusReached {
            status: UnifiedStatus::Packed,
        },
        Trigger::OrderCancelled,
        Trigger::DeadlineNear,
        Trigger::LabelReady,
        Trigger::StockBelow,
        Trigger::PriceApplied,
        Trigger::KeyProblem,
        Trigger::Daily { minute: 9 * 60 },
        Trigger::Button,
    ];

    /// The kind's name (stored, and in buttons): never renamed.
    pub const fn code(self) -> &'static str {
        match self {
            Trigger::OrderCreated => "order-created",
            Trigger::StatusReached { .. } => "status",
            Trigger::OrderCancelled => "cancelled",
            Trigger::DeadlineNear => "deadline",
            Trigger::LabelReady => "label",
            Trigger::StockBelow => "low-stock",
            Trigger::PriceApplied => "price",
            Trigger::KeyProblem => "key",
            Trigger::Daily { .. } => "daily",
            Trigger::Button => "button",
        }
    }

    pub fn from_code(code: &str) -> Option<Trigger> {
        Trigger::KINDS.into_iter().find(|t| t.code() == code)
    }

    /// Whether what it carries is an order (its conditions and order actions apply).
    pub const fn about_order(self) -> bool {
        matches!(
            self,
            Trigger::OrderCreated
                | Trigger::StatusReached { .. }
                | Trigger::OrderCancelled
                | Trigger::DeadlineNear
                | Trigger::LabelReady
                | Trigger::Button
        )
    }
}

/// One condition; a rule runs only when all of its conditions hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "if", rename_all = "kebab-case")]
pub enum Condition {
    Cabinet {
        cabinet: CabinetId,
    },
    Marketplace {
        marketplace: Marketplace,
    },
    Scheme {
        scheme: Scheme,
    },
    Status {
        status: UnifiedStatus,
    },
    SumAbove {
        sum: Money,
    },
    SumBelow {
        sum: Money,
    },
    /// An item's vendor code (SKU code) is this one.
    Sku {
        code: String,
    },
    /// The order was placed more than this many hours ago.
    OlderThan {
        hours: i64,
    },
    /// The order had been assembled before it was cancelled.
    Assembled,
}

impl Condition {
    /// The kind's name, for buttons.
    pub const fn code(&self) -> &'static str {
        match self {
            Condition::Cabinet { .. } => "cabinet",
            Condition::Marketplace { .. } => "marketplace",
            Condition::Scheme { .. } => "scheme",
            Condition::Status { .. } => "status",
            Condition::SumAbove { .. } => "sum-above",
            Condition::SumBelow { .. } => "sum-below",
            Condition::Sku { .. } => "sku",
            Condition::OlderThan { .. } => "older",
            Condition::Assembled => "assembled",
        }
    }

    /// Whether it holds for what happened; a condition on something the event does not
    /// carry does not hold.
    pub fn holds(&self, f: &Facts) -> bool {
        match self {
            Condition::Cabinet { cabinet } => f.cabinet == Some(*cabinet),
            Condition::Marketplace { marketplace } => f.marketplace == Some(*marketplace),
            Condition::Scheme { scheme } => f.scheme == Some(*scheme),
            Condition::Status { status } => f.status == Some(*status),
            Condition::SumAbove { sum } => f.sum.is_some_and(|s| s > *sum),
            Condition::SumBelow { sum } => f.sum.is_some_and(|s| s < *sum),
            Condition::Sku { code } => f.codes.iter().any(|c| c.eq_ignore_ascii_case(code)),
            Condition::OlderThan { hours } => f
                .placed_at
                .is_some_and(|at| f.now - at > hours.saturating_mul(3600)),
            Condition::Assembled => f.assembled,
        }
    }
}

/// One action of a rule. Each is safe to run again: a step that finds its work done
/// (the status already set, the order already confirmed, the message already raised)
/// succeeds without doing it twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case")]
pub enum Step {
    /// Set the order's unified status here (not on the marketplace).
    SetStatus { status: UnifiedStatus },
    /// Send an action to the marketplace (confirm, assemble, ship).
    Push { action: Action },
    /// Read the order's label and send it to a chat.
    Labels { chat: TgChatId },
    /// A message to a chat, from a template that may name the order's fields.
    NotifyChat { chat: TgChatId, text: String },
    /// A message to every member with one of these roles, in their private chat.
    NotifyRoles { roles: Vec<Role>, text: String },
    /// Wait before the next step.
    Wait { secs: i64 },
    /// A message to one of the company's confirmed e-mail addresses (named for display).
    NotifyEmail {
        email: i64,
        address: String,
        text: String,
    },
    /// Cancel the order on the marketplace, for this reason (`note` tells an `Other` one).
    Cancel {
        why: CancelWhy,
        #[serde(default)]
        note: String,
    },
    /// Hold the order's units off the stock we publish (`true`, whatever its status until
    /// it is handed over or ends), or stop holding them though it is open (`false`).
    Hold { on: bool },
}

impl Step {
    pub const fn code(&self) -> &'static str {
        match self {
            Step::SetStatus { .. } => "set-status",
            Step::Push { .. } => "push",
            Step::Labels { .. } => "labels",
            Step::NotifyChat { .. } => "notify-chat",
            Step::NotifyRoles { .. } => "notify-roles",
            Step::Wait { .. } => "wait",
            Step::NotifyEmail { .. } => "notify-email",
            Step::Cancel { .. } => "cancel",
            Step::Hold { on: true } => "reserve",
            Step::Hold { on: false } => "release",
        }
    }

    /// Whether it needs an order to work on.
    pub const fn needs_order(&self) -> bool {
        matches!(
            self,
            Step::SetStatus { .. }
                | Step::Push { .. }
                | Step::Labels { .. }
                | Step::Cancel { .. }
                | Step::Hold { .. }
        )
    }

    /// The chat it tells, if it tells one.
    pub fn chat(&self) -> Option<TgChatId> {
        match self {
            Step::Labels { chat } | Step::NotifyChat { chat, .. } => Some(*chat),
            _ => None,
        }
    }
}

/// How a rule's failing step is tried again, and what happens when it cannot be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    pub main_tries: i64,
    pub main_every_secs: i64,
    pub reserve_tries: i64,
    pub reserve_every_secs: i64,
    /// The rule run for the same event when a step fails for good.
    pub alternative: Option<i64>,
    /// Failures for good in a row after which the rule pauses itself.
    pub pause_after: i64,
}

impl Default for Policy {
    /// The seed's: 5 tries a minute apart, then 100 tries ten minutes apart; paused after
    /// three failures in a row.
    fn default() -> Policy {
        Policy {
            main_tries: 5,
            main_every_secs: 60,
            reserve_tries: 100,
            reserve_every_secs: 600,
            alternative: None,
            pause_after: 3,
        }
    }
}

impl Policy {
    pub fn retry(&self) -> RetryPolicy {
        RetryPolicy {
            main_tries: self.main_tries,
            main_every_secs: self.main_every_secs,
            fallback_tries: self.reserve_tries,
            fallback_every_secs: self.reserve_every_secs,
        }
    }

    /// Where a step that failed `failures` times in a row stands.
    pub fn mode(&self, failures: i64) -> Mode {
        if failures == 0 {
            Mode::First
        } else if failures <= self.main_tries {
            Mode::Main
        } else {
            Mode::Reserve
        }
    }
}

/// Where a waiting step stands in its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Not tried yet.
    First,
    /// Failed; tried again by the main mode.
    Main,
    /// The main mode used up; tried by the reserve mode.
    Reserve,
}

/// A rule as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: i64,
    pub name: String,
    pub active: bool,
    /// 0..=99; 99 runs first.
    pub priority: i64,
    pub trigger: Trigger,
    pub conditions: Vec<Condition>,
    pub steps: Vec<Step>,
    pub policy: Policy,
    /// The template it was made from (`01`..`04`), if any.
    pub template: Option<String>,
    /// Failures for good in a row.
    pub fails_in_row: i64,
}

impl Rule {
    /// Whether it runs for this event.
    pub fn matches(&self, trigger: Trigger, facts: &Facts) -> bool {
        self.active && self.trigger == trigger && self.conditions.iter().all(|c| c.holds(facts))
    }

    /// The chat that hears of its failures: the first chat one of its steps tells.
    pub fn chat(&self) -> Option<TgChatId> {
        self.steps.iter().find_map(Step::chat)
    }
}

/// What an event carries that conditions look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub cabinet: Option<CabinetId>,
    pub marketplace: Option<Marketplace>,
    pub scheme: Option<Scheme>,
    pub status: Option<UnifiedStatus>,
    pub sum: Option<Money>,
    /// The vendor codes of its items.
    pub codes: Vec<String>,
    pub placed_at: Option<i64>,
    pub assembled: bool,
    pub now: i64,
}

/// A priority as typed: a whole number 0..=99.
pub fn parse_priority(text: &str) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| (0..=99).contains(p))
}

/// Hours as typed: a whole number 1..=8760 (a year).
pub fn parse_hours(text: &str) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|h| (1..=8760).contains(h))
}

/// A time of day as typed, `HH:MM`: minutes after midnight.
pub fn parse_time_of_day(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m) = (h.trim().parse::<i64>().ok()?, m.trim().parse::<i64>().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m) && m.to_string().len() <= 2).then_some(h * 60 + m)
}

/// A rule name as typed: 1..=64 characters on one line.
pub fn parse_name(text: &str) -> Option<String> {
    let name = super::plain_name(text);
    (!name.is_empty() && name.chars().count() <= 64 && !text.trim().contains('\n')).then_some(name)
}

/// The templates a company turns on with one tap (the seed's 01–04), each off until then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// A new order is confirmed on the marketplace.
    ConfirmNew,
    /// Packed: its label is read and sent to the warehouse group.
    LabelsToWarehouse,
    /// Cancelled after assembly: the warehouse is told to put the items back.
    PutBack,
    /// A status nobody mapped: the owners and admins are told.
    UnknownStatus,
}

impl Template {
    pub const ALL: [Template; 4] = [
        Template::ConfirmNew,
        Template::LabelsToWarehouse,
        Template::PutBack,
        Template::UnknownStatus,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Template::ConfirmNew => "01",
            Template::LabelsToWarehouse => "02",
            Template::PutBack => "03",
            Template::UnknownStatus => "04",
        }
    }

    pub fn from_code(code: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether turning it on needs a chat (the warehouse group).
    pub const fn needs_chat(self) -> bool {
        matches!(self, Template::LabelsToWarehouse | Template::PutBack)
    }

    /// The rule it makes, with its name and message in the company's words, sent to
    /// `chat` where it needs one.
    pub fn rule(self, name: String, text: String, chat: Option<TgChatId>) -> Rule {
        let chat = chat.unwrap_or(TgChatId(0));
        let (trigger, conditions, steps, priority) = match self {
            Template::ConfirmNew => (
                Trigger::OrderCreated,
                vec![Condition::Scheme {
                    scheme: Scheme::Fbs,
                }],
                vec![Step::Push {
                    action: Action::Confirm,
                }],
                90,
            ),
            Template::LabelsToWarehouse => (
                Trigger::StatusReached {
                    status: UnifiedStatus::Packed,
                },
                vec![],
                vec![Step::Labels { chat }],
                80,
            ),
            Template::PutBack => (
                Trigger::OrderCancelled,
                vec![Condition::Assembled],
                vec![Step::NotifyChat { chat, text }],
                70,
            ),
            Template::UnknownStatus => (
                Trigger::StatusReached {
                    status: UnifiedStatus::NoStatus,
                },
                vec![],
                vec![Step::NotifyRoles {
                    roles: vec![Role::Owner, Role::Admin],
                    text,
                }],
                60,
            ),
        };
        Rule {
            id: 0,
            name,
            active: true,
            priority,
            trigger,
            conditions,
            steps,
            policy: Policy::default(),
            template: Some(self.code().to_owned()),
            fails_in_row: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order_facts() -> Facts {
        Facts {
            cabinet: Some(CabinetId(3)),
            marketplace: Some(Marketplace::Ozon),
            scheme: Some(Scheme::Fbs),
            status: Some(UnifiedStatus::Packed),
            sum: Some(Money(150_000)),
            codes: vec!["KR-0001".into()],
            placed_at: Some(1_000),
            assembled: false,
            now: 1_000 + 5 * 3600,
        }
    }

    #[test]
    fn every_condition_must_hold() {
        let f = order_facts();
        let mut rule = Template::LabelsToWarehouse.rule("x".into(), String::new(), None);
        let packed = Trigger::StatusReached {
            status: UnifiedStatus::Packed,
        };
        assert!(rule.matches(packed, &f));
        assert!(!rule.matches(Trigger::OrderCreated, &f));
        rule.conditions = vec![
            Condition::Marketplace {
                marketplace: Marketplace::Ozon,
            },
            Condition::SumAbove { sum: Money(1_000) },
            Condition::Sku {
                code: "kr-0001".into(),
            },
            Condition::OlderThan { hours: 4 },
        ];
        assert!(rule.matches(packed, &f));
        rule.conditions.push(Condition::OlderThan { hours: 6 });
        assert!(!rule.matches(packed, &f));
        rule.conditions = vec![Condition::SumBelow { sum: Money(100) }];
        assert!(!rule.matches(packed, &f));
        rule.conditions = vec![Condition::Assembled];
        assert!(!rule.matches(packed, &f));
        // What the event does not carry does not hold.
        rule.conditions = vec![Condition::Cabinet {
            cabinet: CabinetId(3),
        }];
        assert!(!rule.matches(packed, &Facts::default()));
        rule.active = false;
        assert!(!rule.matches(packed, &f));
    }

    #[test]
    fn the_policy_is_the_seeds() {
        let p = Policy::default();
        assert_eq!((p.main_tries, p.main_every_secs), (5, 60));
        assert_eq!((p.reserve_tries, p.reserve_every_secs), (100, 600));
        assert_eq!(p.mode(0), Mode::First);
        assert_eq!(p.mode(5), Mode::Main);
        assert_eq!(p.mode(6), Mode::Reserve);
    }

    #[test]
    fn numbers_are_read_strictly() {
        assert_eq!(parse_priority(" 99 "), Some(99));
        assert_eq!(parse_priority("120"), None);
        assert_eq!(parse_priority("abc"), None);
        assert_eq!(parse_priority("-1"), None);
        assert_eq!(parse_hours("48"), Some(48));
        assert_eq!(parse_hours("0"), None);
        assert_eq!(parse_time_of_day("09:30"), Some(570));
        assert_eq!(parse_time_of_day("24:00"), None);
        assert_eq!(parse_time_of_day("9"), None);
        assert_eq!(parse_name("  Labels  "), Some("Labels".into()));
        assert_eq!(parse_name("   "), None);
    }

    #[test]
    fn rules_read_back_from_what_is_stored() {
        for t in Template::ALL {
            let r = t.rule("n".into(), "t".into(), Some(TgChatId(-5)));
            let steps = serde_json::to_string(&r.steps).expect("steps");
            let back: Vec<Step> = serde_json::from_str(&steps).expect("read");
            assert_eq!(back, r.steps);
            let trigger = serde_json::to_string(&r.trigger).expect("trigger");
            assert_eq!(
                serde_json::from_str::<Trigger>(&trigger).expect("read"),
                r.trigger
            );
            assert_eq!(Template::from_code(t.code()), Some(t));
        }
        for k in Trigger::KINDS {
            assert_eq!(
                Trigger::from_code(k.code()).map(Trigger::code),
                Some(k.code())
            );
        }
    }
}
