//! What is typed while a draft waits for it: a time, a sum, hours, a code, a message or a
//! note, the name and the priority; each refused with an example when wrong.

use teloxide::types::Message;

use super::super::super::context::{Ctx, answering};
use super::super::super::error::{BotError, BotResult, HandlerResult};
use super::super::super::out::Out;
use super::super::super::state::BotDialogue;
use super::super::describe;
use super::{Awaiting, Draft, Stage, ask_msg, save_state, show};
use crate::app::Actor;
use crate::domain::order::CancelWhy;
use crate::domain::rules::{
    Condition, Policy, Rule, Step, Trigger, parse_hours, parse_name, parse_priority,
    parse_time_of_day,
};
use crate::domain::{Money, Permission, TgChatId};
use crate::i18n::msg;

/// A sum as typed: rubles, with kopecks after a comma or a point.
pub(super) fn parse_sum(text: &str) -> Option<Money> {
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
        Awaiting::CancelNote => {
            let note = text.trim();
            if note.is_empty() || note.chars().count() > 500 {
                return bad("rules-bad-note");
            }
            d.steps.push(Step::Cancel {
                why: CancelWhy::Other,
                note: note.to_owned(),
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
                    return super::super::card(out, actor, id, None).await;
                }
                Err(why) => return Err(BotError::User(super::super::invalid(why))),
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
}
