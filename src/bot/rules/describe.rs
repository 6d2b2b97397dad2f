//! How a rule reads: its event, conditions, actions and failure policy in the chat's
//! language, and a message template filled with an order's fields.

use super::super::names;
use super::super::out::Out;
use crate::app::Actor;
use crate::app::rules::GroupChoice;
use crate::domain::order::{Action, CancelWhy, Order};
use crate::domain::rules::{Condition, Rule, Step, Trigger};
use crate::domain::{CabinetId, Role, TgChatId};
use crate::i18n::{Msg, msg};

/// The company's groups and cabinets, so a rule names them rather than their numbers.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub groups: Vec<GroupChoice>,
    pub cabinets: Vec<(CabinetId, String)>,
}

impl Known {
    pub async fn load(out: &Out, actor: Actor) -> crate::app::AppResult<Known> {
        Ok(Known {
            groups: out.svc.rules().groups(actor).await?,
            cabinets: out
                .svc
                .cabinets()
                .list(actor)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
        })
    }
}

pub fn trigger(out: &Out, t: Trigger) -> String {
    match t {
        Trigger::StatusReached { status } => {
            out.t(&msg("rules-event-status").arg("status", out.t(&names::unified(status))))
        }
        Trigger::Daily { minute } => out
            .t(&msg("rules-event-daily")
                .arg("time", format!("{:02}:{:02}", minute / 60, minute % 60))),
        other => out.t(&trigger_kind(other)),
    }
}

/// The name of an event's kind (a button).
pub fn trigger_kind(t: Trigger) -> Msg {
    msg(match t {
        Trigger::OrderCreated => "rules-event-created",
        Trigger::StatusReached { .. } => "rules-event-status-kind",
        Trigger::OrderCancelled => "rules-event-cancelled",
        Trigger::DeadlineNear => "rules-event-deadline",
        Trigger::LabelReady => "rules-event-label",
        Trigger::StockBelow => "rules-event-low-stock",
        Trigger::PriceApplied => "rules-event-price",
        Trigger::KeyProblem => "rules-event-key",
        Trigger::Daily { .. } => "rules-event-daily-kind",
        Trigger::Button => "rules-event-button",
    })
}

pub fn condition(out: &Out, c: &Condition, known: &Known) -> String {
    match c {
        Condition::Cabinet { cabinet } => {
            let name = known
                .cabinets
                .iter()
                .find(|(id, _)| id == cabinet)
                .map_or_else(|| format!("#{}", cabinet.0), |(_, n)| n.clone());
            out.t(&msg("rules-if-cabinet").arg("name", name))
        }
        Condition::Marketplace { marketplace } => out.t(&msg("rules-if-marketplace")
            .arg("marketplace", out.t(&names::marketplace(*marketplace)))),
        Condition::Scheme { scheme } => {
            out.t(&msg("rules-if-scheme").arg("scheme", scheme.code().to_uppercase()))
        }
        Condition::Status { status } => {
            out.t(&msg("rules-if-status").arg("status", out.t(&names::unified(*status))))
        }
        Condition::SumAbove { sum } => {
            out.t(&msg("rules-if-sum-above").arg("sum", names::money(out.lang, *sum)))
        }
        Condition::SumBelow { sum } => {
            out.t(&msg("rules-if-sum-below").arg("sum", names::money(out.lang, *sum)))
        }
        Condition::Sku { code } => out.t(&msg("rules-if-sku").arg("code", code.clone())),
        Condition::OlderThan { hours } => out.t(&msg("rules-if-older").arg("hours", *hours)),
        Condition::Assembled => out.t(&msg("rules-if-assembled")),
    }
}

pub fn action(out: &Out, a: Action) -> String {
    out.t(&msg(match a {
        Action::Confirm => "rules-do-confirm",
        Action::Assemble => "rules-do-assemble",
        Action::Ship => "rules-do-ship",
        Action::Cancel => "rules-do-cancel",
    }))
}

fn chat_name(chat: TgChatId, groups: &[GroupChoice]) -> String {
    groups
        .iter()
        .find(|g| g.chat == chat)
        .map_or_else(|| chat.0.to_string(), |g| g.title.clone())
}

pub fn step(out: &Out, s: &Step, known: &Known) -> String {
    let groups = &known.groups;
    match s {
        Step::SetStatus { status } => {
            out.t(&msg("rules-do-set-status").arg("status", out.t(&names::unified(*status))))
        }
        Step::Push { action: a } => action(out, *a),
        Step::Labels { chat } => {
            out.t(&msg("rules-do-labels").arg("chat", chat_name(*chat, groups)))
        }
        Step::NotifyChat { chat, text } => out.t(&msg("rules-do-notify-chat")
            .arg("chat", chat_name(*chat, groups))
            .arg("text", text.clone())),
        Step::NotifyRoles { roles, text } => out.t(&msg("rules-do-notify-roles")
            .arg(
                "roles",
                roles
                    .iter()
                    .map(|r| out.t(&names::role(*r)))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .arg("text", text.clone())),
        Step::Wait { secs } => out.t(&msg("rules-do-wait").arg("hours", secs / 3600)),
        Step::NotifyEmail { address, text, .. } => out.t(&msg("rules-do-notify-email")
            .arg("address", address.clone())
            .arg("text", text.clone())),
        Step::Cancel { why: w, note } => {
            let why = match w {
                CancelWhy::OutOfStock => out.t(&why(*w)),
                CancelWhy::Other => note.clone(),
            };
            out.t(&msg("rules-do-cancel-why").arg("why", why))
        }
        Step::Hold { on: true } => out.t(&msg("rules-do-reserve")),
        Step::Hold { on: false } => out.t(&msg("rules-do-release")),
    }
}

/// A cancellation's reason, as its button names it.
pub fn why(w: CancelWhy) -> Msg {
    msg(match w {
        CancelWhy::OutOfStock => "rules-why-out-of-stock",
        CancelWhy::Other => "rules-why-other",
    })
}

/// The name of a step's kind, by its code (what a failure names).
pub fn step_kind(code: &str) -> Msg {
    msg(match code {
        "set-status" => "rules-kind-set-status",
        "push" | "cancel" => "rules-kind-push",
        "reserve" | "release" => "rules-kind-hold",
        "labels" => "rules-kind-labels",
        "notify-chat" | "notify-roles" | "notify-email" => "rules-kind-notify",
        "wait" => "rules-kind-wait",
        _ => "rules-kind-other",
    })
}

/// One line: the event and what it does.
pub fn summary(out: &Out, r: &Rule) -> String {
    let steps: Vec<String> = r
        .steps
        .iter()
        .map(|s| step(out, s, &Known::default()))
        .collect();
    format!("{} → {}", trigger(out, r.trigger), steps.join("; "))
}

/// The whole card.
pub fn card(out: &Out, r: &Rule, all: &[Rule], known: &Known) -> String {
    let mut lines = vec![
        out.t(&msg(if r.active {
            "rules-card-active"
        } else {
            "rules-card-paused"
        })
        .arg("name", r.name.clone())
        .arg("priority", r.priority)),
    ];
    lines.push(out.t(&msg("rules-card-when").arg("event", trigger(out, r.trigger))));
    if r.conditions.is_empty() {
        lines.push(out.t(&msg("rules-card-if-none")));
    } else {
        let conds: Vec<String> = r
            .conditions
            .iter()
            .map(|c| condition(out, c, known))
            .collect();
        lines.push(out.t(&msg("rules-card-if").arg("conditions", conds.join("; "))));
    }
    lines.push(out.t(&msg("rules-card-then")));
    for (i, s) in r.steps.iter().enumerate() {
        lines.push(format!("{}. {}", i + 1, step(out, s, known)));
    }
    let p = &r.policy;
    let alternative = p
        .alternative
        .and_then(|a| all.iter().find(|x| x.id == a))
        .map_or_else(|| out.t(&msg("rules-alt-none")), |a| a.name.clone());
    lines.push(
        out.t(&msg("rules-card-policy")
            .arg("main", p.main_tries)
            .arg("main_every", p.main_every_secs)
            .arg("reserve", p.reserve_tries)
            .arg("reserve_every", p.reserve_every_secs / 60)
            .arg("alternative", alternative)
            .arg("pause", p.pause_after)),
    );
    if r.fails_in_row > 0 {
        lines.push(out.t(&msg("rules-card-fails").arg("count", r.fails_in_row)));
    }
    lines.join("\n")
}

/// A message template with the order's fields filled in: `{number}`, `{marketplace}`,
/// `{cabinet}`, `{status}`, `{items}`, `{sum}` (only where sums may be shown).
pub fn fill(out: &Out, text: &str, order: Option<&Order>, money: bool) -> String {
    let Some(o) = order else {
        return text.to_owned();
    };
    let sum = if money {
        names::money(out.lang, o.total)
    } else {
        "—".to_owned()
    };
    text.replace("{number}", &o.number)
        .replace("{marketplace}", &out.t(&names::marketplace(o.marketplace)))
        .replace("{cabinet}", &o.cabinet_name)
        .replace("{status}", &out.t(&names::unified(o.unified)))
        .replace("{items}", &names::items(o))
        .replace("{sum}", &sum)
}

/// The roles a "tell the owners and admins" step names.
pub const ADMINS: [Role; 2] = [Role::Owner, Role::Admin];
