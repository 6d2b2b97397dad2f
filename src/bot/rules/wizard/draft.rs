//! A rule being made, as the dialogue keeps it (so a restart keeps it too). Only domain
//! types: the dialogue's state names it without reaching into the wizard's screens.

use serde::{Deserialize, Serialize};

use crate::domain::rules::{Condition, Step, Trigger};

/// Where a draft is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    #[default]
    Event,
    Conditions,
    Steps,
}

/// What the next typed message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Awaiting {
    Time,
    SumAbove,
    SumBelow,
    OlderThan,
    Sku,
    /// A message's text, for a group (`Some`) or the owners and admins (`None`).
    Text(Option<i64>),
    /// A message's text for a confirmed e-mail address.
    MailText(i64),
    WaitHours,
    /// The words of a cancellation for another reason.
    CancelNote,
    Name,
    Priority,
}

/// A rule being made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub stage: Stage,
    pub trigger: Option<Trigger>,
    pub conditions: Vec<Condition>,
    pub steps: Vec<Step>,
    pub name: Option<String>,
    pub awaiting: Option<Awaiting>,
}
