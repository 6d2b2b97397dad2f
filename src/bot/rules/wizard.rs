//! A new rule in three steps, each from buttons: the event, the conditions (all must
//! hold), the actions in order; numbers, times, codes and message texts are typed where
//! needed and refused with an example when wrong. Then its name and priority. The draft
//! lives in the dialogue, so a restart keeps it.

use serde::{Deserialize, Serialize};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageId};

use super::super::context::{Ctx, answering};
use super::super::error::{BotError, BotResult, HandlerResult, Notice, Press};
use super::super::keyboards::{button, cancel_row, plain};
use super::super::names;
use super::super::out::Out;
use super::super::state::{BotDialogue, State};
use super::describe;
use crate::app::Actor;
use crate::domain::order::Action;
use crate::domain::rules::{
    Condition, Policy, Rule, Step, Trigger, parse_hours, parse_name, parse_priority,
    parse_time_of_day,
};
use crate::domain::{Marketplace, Money, Permission, Scheme, TgChatId, UnifiedStatus};
use crate::i18n::msg;

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

/// The wizard's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Start,
    Event(Trigger),
    EventStatus(UnifiedStatus),
    Cond(&'static str),
    CondMarket(Marketplace),
    CondScheme(Scheme),
    CondStatus(UnifiedStatus),
    ClearConds,
    ToSteps,
    Act(&'static str),
    ActStatus(UnifiedStatus),
    ActChat(&'static str, i64),
    ClearSteps,
    Save,
}

const CONDS: [&str; 8] = [
    "marketplace",
    "scheme",
    "status",
    "sum-above",
    "sum-below",
    "older",
    "sku",
    "assembled",
];

const ACTS: [&str; 9] = [
    "set-status",
    "confirm",
    "assemble",
    "ship",
    "labels",
    "notify-chat",
    "notify-admins",
    "notify-email",
    "wait",
];

fn cond_label(k: &str) -> &'static str {
    match k {
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
        "labels" => "rules-act-labels",
        "notify-chat" => "rules-act-notify-chat",
        "notify-admins" => "rules-act-notify-admins",
        "notify-email" => "rules-act-notify-email",
        _ => "rules-act-wait",
    }
}

fn known(list: &[&'static str], s: &str) -> Option<&'static str> {
    list.iter().copied().find(|k| *k == s)
}

impl Cb {
    pub fn code(&self) -> String {
        match self {
            Cb::Start => "s".into(),
            Cb::Event(t) => format!("e:{}", t.code()),
            Cb::EventStatus(u) => format!("es:{}", u.code()),
            Cb::Cond(k) => format!("c:{k}"),
            Cb::CondMarket(m) => format!("cm:{}", m.code()),
            Cb::CondScheme(s) => format!("cs:{}", s.code()),
            Cb::CondStatus(u) => format!("cu:{}", u.code()),
            Cb::ClearConds => "cx".into(),
            Cb::ToSteps => "n".into(),
            Cb::Act(k) => format!("a:{k}"),
            Cb::ActStatus(u) => format!("au:{}", u.code()),
            Cb::ActChat(k, chat) => format!("ac:{k}:{chat}"),
            Cb::ClearSteps => "ax".into(),
            Cb::Save => "w".into(),
        }
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["s"] => Some(Cb::Start),
            ["e", t] => Trigger::from_code(t).map(Cb::Event),
            ["es", u] => u.parse().ok().map(Cb::EventStatus),
            ["c", k] => known(&CONDS, k).map(Cb::Cond),
            ["cm", m] => m.parse().ok().map(Cb::CondMarket),
            ["cs", s] => s.parse().ok().map(Cb::CondScheme),
            ["cu", u] => u.parse().ok().map(Cb::CondStatus),
            ["cx"] => Some(Cb::ClearConds),
            ["n"] => Some(Cb::ToSteps),
            ["a", k] => known(&ACTS, k).map(Cb::Act),
            ["au", u] => u.parse().ok().map(Cb::ActStatus),
            ["ac", k, chat] => Some(Cb::ActChat(known(&ACTS, k)?, chat.parse().ok()?)),
            ["ax"] => Some(Cb::ClearSteps),
            ["w"] => Some(Cb::Save),
            _ => None,
        }
    }

    fn data(self) -> String {
        super::Cb::Wizard(self).data()
    }
}

fn rows(buttons: Vec<InlineKeyboardButton>, per_row: usize) -> Vec<Vec<InlineKeyboardButton>> {
    buttons.chunks(per_row).map(<[_]>::to_vec).collect()
}

fn statuses(out: &Out, data: impl Fn(UnifiedStatus) -> String) -> Vec<Vec<InlineKeyboardButton>> {
    let b = UnifiedStatus::ALL
        .into_iter()
        .map(|u| plain(out.t(&names::unified(u)), data(u)))
        .collect();
    rows(b, 3)
}

/// The screen a draft is on.
fn screen(
    out: &Out,
    d: &Draft,
    groups: &[crate::app::rules::GroupChoice],
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
                    .map(|c| format!("• {}", describe::condition(out, c)))
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
                    .map(|(i, s)| format!("{}. {}", i + 1, describe::step(out, s, groups)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            format!("{}\n{list}", out.t(&msg("rules-step-actions")))
        }
    };
    kb.push(cancel_row(out));
    (text, InlineKeyboardMarkup::new(kb))
}

async fn save_state(dialogue: &BotDialogue, actor: Actor, draft: Draft) -> Result<(), BotError> {
    dialogue
        .update(State::RuleDraft {
            workspace: actor.workspace.0,
            draft,
        })
        .await?;
    Ok(())
}

async fn show(out: &Out, actor: Actor, d: &Draft, edit: Option<MessageId>) -> BotResult {
    let groups = out.svc.rules().groups(actor).await?;
    let mail = out.svc.emails().available();
    let (text, kb) = screen(out, d, &groups, mail);
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

/// Asks for something typed, leaving the screen as it is.
async fn ask(
    out: &Out,
    dialogue: &BotDialogue,
    actor: Actor,
    mut d: Draft,
    what: Awaiting,
) -> Press {
    d.awaiting = Some(what);
    save_state(dialogue, actor, d).await?;
    out.say(ask_msg(what)).await?;
    Ok(Notice::None)
}

fn ask_msg(what: Awaiting) -> crate::i18n::Msg {
    msg(match what {
        Awaiting::Time => "rules-ask-time",
        Awaiting::SumAbove | Awaiting::SumBelow => "rules-ask-sum",
        Awaiting::OlderThan => "rules-ask-hours",
        Awaiting::Sku => "rules-ask-sku",
        Awaiting::Text(_) | Awaiting::MailText(_) => "rules-ask-text",
        Awaiting::WaitHours => "rules-ask-wait",
        Awaiting::Name => "rules-ask-name",
        Awaiting::Priority => "rules-ask-priority-new",
    })
}

/// A choice screen in place of the wizard's message: the question, the choices, Cancel.
async fn choose(
    out: &Out,
    message: MessageId,
    question: &'static str,
    mut kb: Vec<Vec<InlineKeyboardButton>>,
) -> Press {
    kb.push(cancel_row(out));
    out.edit(
        message,
        out.t(&msg(question)),
        Some(InlineKeyboardMarkup::new(kb)),
    )
    .await?;
    Ok(Notice::None)
}

pub async fn on_press(
    out: &Out,
    actor: Actor,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    if cb == Cb::Start {
        let d = Draft::default();
        save_state(dialogue, actor, d.clone()).await?;
        show(out, actor, &d, Some(message)).await?;
        return Ok(Notice::None);
    }
    let mut d = match dialogue.get().await? {
        Some(State::RuleDraft { workspace, draft }) if workspace == actor.workspace.0 => draft,
        _ => return Ok(Notice::Alert(msg("rules-draft-gone"))),
    };
    d.awaiting = None;
    match cb {
        Cb::Start => {}
        Cb::Event(Trigger::StatusReached { .. }) => {
            let kb = statuses(out, |u| Cb::EventStatus(u).data());
            return choose(out, message, "rules-ask-status", kb).await;
        }
        Cb::Event(Trigger::Daily { .. }) => {
            return ask(out, dialogue, actor, d, Awaiting::Time).await;
        }
        Cb::Event(t) => {
            d.trigger = Some(t);
            d.stage = if t.about_order() {
                Stage::Conditions
            } else {
                Stage::Steps
            };
        }
        Cb::EventStatus(status) => {
            d.trigger = Some(Trigger::StatusReached { status });
            d.stage = Stage::Conditions;
        }
        Cb::Cond("marketplace") => {
            let b = Marketplace::ALL
                .into_iter()
                .map(|m| button(out, names::marketplace(m), Cb::CondMarket(m).data()))
                .collect();
            return choose(out, message, "rules-ask-marketplace", rows(b, 3)).await;
        }
        Cb::Cond("scheme") => {
            let kb = vec![vec![
                plain("FBS", Cb::CondScheme(Scheme::Fbs).data()),
                plain("FBO", Cb::CondScheme(Scheme::Fbo).data()),
            ]];
            return choose(out, message, "rules-ask-scheme", kb).await;
        }
        Cb::Cond("status") => {
            let kb = statuses(out, |u| Cb::CondStatus(u).data());
            return choose(out, message, "rules-ask-status", kb).await;
        }
        Cb::Cond("sum-above") => return ask(out, dialogue, actor, d, Awaiting::SumAbove).await,
        Cb::Cond("sum-below") => return ask(out, dialogue, actor, d, Awaiting::SumBelow).await,
        Cb::Cond("older") => return ask(out, dialogue, actor, d, Awaiting::OlderThan).await,
        Cb::Cond("sku") => return ask(out, dialogue, actor, d, Awaiting::Sku).await,
        Cb::Cond(_) => {
            if !d.conditions.contains(&Condition::Assembled) {
                d.conditions.push(Condition::Assembled);
            }
        }
        Cb::CondMarket(marketplace) => d.conditions.push(Condition::Marketplace { marketplace }),
        Cb::CondScheme(scheme) => d.conditions.push(Condition::Scheme { scheme }),
        Cb::CondStatus(status) => d.conditions.push(Condition::Status { status }),
        Cb::ClearConds => d.conditions.clear(),
        Cb::ToSteps => d.stage = Stage::Steps,
        Cb::Act("set-status") => {
            let kb = statuses(out, |u| Cb::ActStatus(u).data());
            return choose(out, message, "rules-ask-status", kb).await;
        }
        Cb::Act(kind @ ("confirm" | "assemble" | "ship")) => {
            let action = match kind {
                "confirm" => Action::Confirm,
                "assemble" => Action::Assemble,
                _ => Action::Ship,
            };
            d.steps.push(Step::Push { action });
        }
        Cb::Act(kind @ ("labels" | "notify-chat")) => {
            let groups = out.svc.rules().groups(actor).await?;
            if groups.is_empty() {
                return Ok(Notice::Alert(msg("rules-need-group")));
            }
            let kb = groups
                .iter()
                .map(|g| vec![plain(g.title.clone(), Cb::ActChat(kind, g.chat.0).data())])
                .collect();
            return choose(out, message, "rules-ask-group", kb).await;
        }
        Cb::Act("notify-admins") => {
            return ask(out, dialogue, actor, d, Awaiting::Text(None)).await;
        }
        Cb::Act("notify-email") => {
            let kb: Vec<Vec<InlineKeyboardButton>> = out
                .svc
                .emails()
                .list(actor)
                .await?
                .into_iter()
                .filter(|e| e.confirmed)
                .map(|e| vec![plain(e.address, Cb::ActChat("notify-email", e.id).data())])
                .collect();
            if kb.is_empty() {
                return Ok(Notice::Alert(msg("rules-need-email")));
            }
            return choose(out, message, "rules-ask-email", kb).await;
        }
        Cb::Act(_) => return ask(out, dialogue, actor, d, Awaiting::WaitHours).await,
        Cb::ActStatus(status) => d.steps.push(Step::SetStatus { status }),
        Cb::ActChat("labels", chat) => d.steps.push(Step::Labels {
            chat: TgChatId(chat),
        }),
        Cb::ActChat("notify-email", email) => {
            return ask(out, dialogue, actor, d, Awaiting::MailText(email)).await;
        }
        Cb::ActChat(_, chat) => {
            return ask(out, dialogue, actor, d, Awaiting::Text(Some(chat))).await;
        }
        Cb::ClearSteps => d.steps.clear(),
        Cb::Save => {
            if d.steps.is_empty() {
                return Ok(Notice::Alert(msg("rules-no-steps")));
            }
            return ask(out, dialogue, actor, d, Awaiting::Name).await;
        }
    }
    save_state(dialogue, actor, d.clone()).await?;
    show(out, actor, &d, Some(message)).await?;
    Ok(Notice::None)
}

/// A sum as typed: rubles, with kopecks after a comma or a point.
fn parse_sum(text: &str) -> Option<Money> {
    let t: String = text
        .trim()
        .trim_end_matches('₽')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rub: i64 = whole.parse().ok().filter(|r| *r <= 100_000_000)?;
    let kop: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(Money(rub * 100 + kop))
}

/// What is typed while a draft waits for it.
pub async fn draft_message(
    bot: teloxide::Bot,
    svc: std::sync::Arc<crate::app::Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, draft): (i64, Draft),
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManageSettings,
        async |out, actor| {
            typed(
                out,
                actor,
                &dialogue,
                draft,
                message.text().unwrap_or_default(),
            )
            .await
        },
    )
    .await
}

async fn typed(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    mut d: Draft,
    text: &str,
) -> BotResult {
    let bad = |id: &'static str| Err(BotError::User(msg(id)));
    let Some(what) = d.awaiting else {
        return bad("rules-use-buttons");
    };
    match what {
        Awaiting::Time => {
            let Some(minute) = parse_time_of_day(text) else {
                return bad("rules-bad-time");
            };
            d.trigger = Some(Trigger::Daily { minute });
            d.stage = Stage::Steps;
        }
        Awaiting::SumAbove | Awaiting::SumBelow => {
            let Some(sum) = parse_sum(text) else {
                return bad("rules-bad-sum");
            };
            d.conditions.push(if what == Awaiting::SumAbove {
                Condition::SumAbove { sum }
            } else {
                Condition::SumBelow { sum }
            });
        }
        Awaiting::OlderThan => {
            let Some(hours) = parse_hours(text) else {
                return bad("rules-bad-hours");
            };
            d.conditions.push(Condition::OlderThan { hours });
        }
        Awaiting::Sku => {
            let code = text.trim();
            if code.is_empty() || code.chars().count() > 64 || code.contains(char::is_whitespace) {
                return bad("rules-bad-sku");
            }
            d.conditions.push(Condition::Sku {
                code: code.to_owned(),
            });
        }
        Awaiting::Text(chat) => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > 1000 {
                return bad("rules-bad-text");
            }
            d.steps.push(match chat {
                Some(chat) => Step::NotifyChat {
                    chat: TgChatId(chat),
                    text: text.to_owned(),
                },
                None => Step::NotifyRoles {
                    roles: describe::ADMINS.to_vec(),
                    text: text.to_owned(),
                },
            });
        }
        Awaiting::MailText(email) => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > 1000 {
                return bad("rules-bad-text");
            }
            let address = out
                .svc
                .emails()
                .get(actor, email)
                .await
                .map(|e| e.address)
                .map_err(|_| BotError::User(msg("rules-foreign-email")))?;
            d.steps.push(Step::NotifyEmail {
                email,
                address,
                text: text.to_owned(),
            });
        }
        Awaiting::WaitHours => {
            let Some(hours) = parse_hours(text) else {
                return bad("rules-bad-hours");
            };
            d.steps.push(Step::Wait { secs: hours * 3600 });
        }
        Awaiting::Name => {
            let Some(name) = parse_name(text) else {
                return bad("rules-bad-name");
            };
            d.name = Some(name);
            d.awaiting = Some(Awaiting::Priority);
            save_state(dialogue, actor, d).await?;
            out.say(ask_msg(Awaiting::Priority)).await?;
            return Ok(());
        }
        Awaiting::Priority => {
            let Some(priority) = parse_priority(text) else {
                return bad("rules-bad-priority");
            };
            let (Some(trigger), Some(name)) = (d.trigger, d.name.clone()) else {
                dialogue.exit().await?;
                return bad("rules-draft-gone");
            };
            let rule = Rule {
                id: 0,
                name,
                active: true,
                priority,
                trigger,
                conditions: d.conditions.clone(),
                steps: d.steps.clone(),
                policy: Policy::default(),
                template: None,
                fails_in_row: 0,
            };
            match out.svc.rules().create(actor, &rule).await? {
                Ok(id) => {
                    dialogue.exit().await?;
                    out.say(msg("rules-created").arg("name", rule.name.clone()))
                        .await?;
                    return super::card(out, actor, id, None).await;
                }
                Err(why) => return Err(BotError::User(super::invalid(why))),
            }
        }
    }
    d.awaiting = None;
    save_state(dialogue, actor, d.clone()).await?;
    show(out, actor, &d, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_read_as_typed() {
        assert_eq!(parse_sum("1 500"), Some(Money(150_000)));
        assert_eq!(parse_sum("1500,5"), Some(Money(150_050)));
        assert_eq!(parse_sum("99.99 ₽"), Some(Money(9_999)));
        assert_eq!(parse_sum("abc"), None);
        assert_eq!(parse_sum("-5"), None);
        assert_eq!(parse_sum("1.234"), None);
    }

    #[test]
    fn every_button_reads_back() {
        let all = [
            Cb::Start,
            Cb::Event(Trigger::OrderCreated),
            Cb::EventStatus(UnifiedStatus::Packed),
            Cb::Cond("sum-above"),
            Cb::CondMarket(Marketplace::Ozon),
            Cb::CondScheme(Scheme::Fbs),
            Cb::CondStatus(UnifiedStatus::New),
            Cb::ClearConds,
            Cb::ToSteps,
            Cb::Act("labels"),
            Cb::ActStatus(UnifiedStatus::Shipped),
            Cb::ActChat("notify-chat", -100_123),
            Cb::ClearSteps,
            Cb::Save,
        ];
        for cb in all {
            let code = cb.code();
            let parts: Vec<&str> = code.split(':').collect();
            assert_eq!(Cb::parse(&parts), Some(cb), "{code}");
            assert!(cb.data().len() <= crate::bot::codec::MAX_LEN);
        }
    }
}
