//! A new rule in three steps, each from buttons: the event, the conditions (all must
//! hold), the actions in order; numbers, times, codes and message texts are typed where
//! needed and refused with an example when wrong. Then its name and priority. The draft
//! lives in the dialogue, so a restart keeps it.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::super::error::{BotError, BotResult, Notice, Press};
use super::super::keyboards::{button, cancel_row, plain};
use super::super::names;
use super::super::out::Out;
use super::super::state::{BotDialogue, State};
use super::describe::{self, Known};
use crate::app::Actor;
use crate::domain::order::{Action, CancelWhy};
use crate::domain::rules::{Condition, Step, Trigger};
use crate::domain::{CabinetId, Marketplace, Scheme, TgChatId, UnifiedStatus};
use crate::i18n::msg;

pub mod draft;
mod screen;
mod typed;

pub use draft::{Awaiting, Draft, Stage};

use screen::{ACTS, CONDS, known, rows, screen, statuses};
pub use typed::draft_message;

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
    CondCabinet(i64),
    ClearConds,
    ToSteps,
    Act(&'static str),
    ActStatus(UnifiedStatus),
    ActChat(&'static str, i64),
    ActCancel(CancelWhy),
    ClearSteps,
    Save,
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
            Cb::CondCabinet(c) => format!("cc:{c}"),
            Cb::ClearConds => "cx".into(),
            Cb::ToSteps => "n".into(),
            Cb::Act(k) => format!("a:{k}"),
            Cb::ActStatus(u) => format!("au:{}", u.code()),
            Cb::ActChat(k, chat) => format!("ac:{k}:{chat}"),
            Cb::ActCancel(why) => format!("aw:{}", why.code()),
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
            ["cc", c] => c.parse().ok().map(Cb::CondCabinet),
            ["cx"] => Some(Cb::ClearConds),
            ["n"] => Some(Cb::ToSteps),
            ["a", k] => known(&ACTS, k).map(Cb::Act),
            ["au", u] => u.parse().ok().map(Cb::ActStatus),
            ["ac", k, chat] => Some(Cb::ActChat(known(&ACTS, k)?, chat.parse().ok()?)),
            ["aw", why] => CancelWhy::from_code(why).map(Cb::ActCancel),
            ["ax"] => Some(Cb::ClearSteps),
            ["w"] => Some(Cb::Save),
            _ => None,
        }
    }

    fn data(self) -> String {
        super::Cb::Wizard(self).data()
    }
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
    let known = Known::load(out, actor).await?;
    let mail = out.svc.emails().available();
    let (text, kb) = screen(out, d, &known, mail);
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
        Awaiting::CancelNote => "rules-ask-cancel-note",
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
        Cb::Cond("cabinet") => {
            let kb = out
                .svc
                .cabinets()
                .list(actor)
                .await?
                .into_iter()
                .map(|c| vec![plain(c.name, Cb::CondCabinet(c.id.0).data())])
                .collect();
            return choose(out, message, "rules-ask-cabinet", kb).await;
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
        Cb::CondCabinet(id) => {
            // The list was this company's when shown; a press is checked again.
            let cabinet = out.svc.cabinets().cabinet(actor, CabinetId(id)).await?;
            let cond = Condition::Cabinet {
                cabinet: cabinet.id,
            };
            if !d.conditions.contains(&cond) {
                d.conditions.push(cond);
            }
        }
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
        Cb::Act("cancel") => {
            let kb = CancelWhy::ALL
                .into_iter()
                .map(|w| vec![button(out, describe::why(w), Cb::ActCancel(w).data())])
                .collect();
            return choose(out, message, "rules-ask-cancel-why", kb).await;
        }
        Cb::Act(kind @ ("reserve" | "release")) => d.steps.push(Step::Hold {
            on: kind == "reserve",
        }),
        Cb::ActCancel(CancelWhy::Other) => {
            return ask(out, dialogue, actor, d, Awaiting::CancelNote).await;
        }
        Cb::ActCancel(why) => d.steps.push(Step::Cancel {
            why,
            note: String::new(),
        }),
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

#[cfg(test)]
mod tests {
    use super::*;

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
            Cb::CondCabinet(12),
            Cb::ClearConds,
            Cb::ToSteps,
            Cb::Act("labels"),
            Cb::ActStatus(UnifiedStatus::Shipped),
            Cb::ActChat("notify-chat", -100_123),
            Cb::ActCancel(CancelWhy::OutOfStock),
            Cb::ActCancel(CancelWhy::Other),
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
