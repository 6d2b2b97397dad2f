//! What a draft's screen shows: the event, condition or action buttons of its stage, and
//! what it holds so far.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::super::super::keyboards::{button, cancel_row, plain};
use super::super::super::names;
use super::super::super::out::Out;
use super::super::describe::{self, Known};
use super::{Cb, Draft, Stage};
use crate::domain::UnifiedStatus;
use crate::domain::rules::Trigger;
use crate::i18n::msg;

pub(super) const CONDS: [&str; 9] = [
    "cabinet",
    "marketplace",
    "scheme",
    "status",
    "sum-above",
    "sum-below",
    "older",
    "sku",
    "assembled",
];

pub(super) const ACTS: [&str; 12] = [
    "set-status",
    "confirm",
    "assemble",
    "ship",
    "cancel",
    "reserve",
    "release",
    "labels",
    "notify-chat",
    "notify-admins",
    "notify-email",
    "wait",
];

fn cond_label(k: &str) -> &'static str {
    match k {
        "cabinet" => "rules-cond-cabinet",
        "marketplace" => "rules-cond-marketplace",
        "scheme" => "rules-cond-scheme",
        "status" => "rules-cond-status",
        "sum-above" => "rules-cond-sum-above",
        "sum-below" => "rules-cond-sum-below",
        "older" => "rules-cond-older",
        "sku" => "rules-cond-sku",
        _ => "rules-cond-assembled",
    }
}

fn act_label(k: &str) -> &'static str {
    match k {
        "set-status" => "rules-act-set-status",
        "confirm" => "rules-act-confirm",
        "assemble" => "rules-act-assemble",
        "ship" => "rules-act-ship",
        "cancel" => "rules-act-cancel",
        "reserve" => "rules-act-reserve",
        "release" => "rules-act-release",
        "labels" => "rules-act-labels",
        "notify-chat" => "rules-act-notify-chat",
        "notify-admins" => "rules-act-notify-admins",
        "notify-email" => "rules-act-notify-email",
        _ => "rules-act-wait",
    }
}

pub(super) fn known(list: &[&'static str], s: &str) -> Option<&'static str> {
    list.iter().copied().find(|k| *k == s)
}

pub(super) fn rows(
    buttons: Vec<InlineKeyboardButton>,
    per_row: usize,
) -> Vec<Vec<InlineKeyboardButton>> {
    buttons.chunks(per_row).map(<[_]>::to_vec).collect()
}

pub(super) fn statuses(
    out: &Out,
    data: impl Fn(UnifiedStatus) -> String,
) -> Vec<Vec<InlineKeyboardButton>> {
    let b = UnifiedStatus::ALL
        .into_iter()
        .map(|u| plain(out.t(&names::unified(u)), data(u)))
        .collect();
    rows(b, 3)
}

/// The screen a draft is on.
pub(super) fn screen(
    out: &Out,
    d: &Draft,
    known: &Known,
    mail: bool,
) -> (String, InlineKeyboardMarkup) {
    let mut kb: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    let text = match d.stage {
        Stage::Event => {
            let b = Trigger::KINDS
                .into_iter()
                .map(|t| button(out, describe::trigger_kind(t), Cb::Event(t).data()))
                .collect();
            kb.extend(rows(b, 2));
            out.t(&msg("rules-step-event"))
        }
        Stage::Conditions => {
            // "Was assembled" only means something for a cancellation.
            let cancelled = d.trigger == Some(Trigger::OrderCancelled);
            let b = CONDS
                .into_iter()
                .filter(|k| *k != "assembled" || cancelled)
                .map(|k| button(out, msg(cond_label(k)), Cb::Cond(k).data()))
                .collect();
            kb.extend(rows(b, 2));
            kb.push(vec![
                button(out, msg("rules-clear-button"), Cb::ClearConds.data()),
                button(out, msg("rules-next-button"), Cb::ToSteps.data()),
            ]);
            let list = if d.conditions.is_empty() {
                out.t(&msg("rules-card-if-none"))
            } else {
                d.conditions
                    .iter()
                    .map(|c| format!("• {}", describe::condition(out, c, known)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let head = out.t(&msg("rules-step-conditions").arg(
                "event",
                d.trigger
                    .map(|t| describe::trigger(out, t))
                    .unwrap_or_default(),
            ));
            format!("{head}\n{list}")
        }
        Stage::Steps => {
            let about_order = d.trigger.is_some_and(Trigger::about_order);
            let b = ACTS
                .into_iter()
                .filter(|k| {
                    about_order
                        || matches!(
                            *k,
                            "notify-chat" | "notify-admins" | "notify-email" | "wait"
                        )
                })
                .filter(|k| *k != "notify-email" || mail)
                .map(|k| button(out, msg(act_label(k)), Cb::Act(k).data()))
                .collect();
            kb.extend(rows(b, 2));
            kb.push(vec![
                button(out, msg("rules-clear-button"), Cb::ClearSteps.data()),
                button(out, msg("rules-save-button"), Cb::Save.data()),
            ]);
            let list = if d.steps.is_empty() {
                out.t(&msg("rules-steps-none"))
            } else {
                d.steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!("{}. {}", i + 1, describe::step(out, s, known)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            format!("{}\n{list}", out.t(&msg("rules-step-actions")))
        }
    };
    kb.push(cancel_row(out));
    (text, InlineKeyboardMarkup::new(kb))
}
