//! `/rules` (F8): the company's automation rules with ✅/⏸ and their priority, the seed's
//! templates turned on with one tap, a new rule in three steps (`wizard.rs`), a rule's
//! card with pause, resume, priority, alternative and delete. Owners and admins only;
//! every change is audited. The rules' own messages render here too.

pub mod describe;
pub mod wizard;

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageId};

use super::codec;
use super::context::{Ctx, answering};
use super::error::{BotError, BotResult, HandlerResult, Notice, OrSay, Press};
use super::keyboards::{button, plain};
use super::out::Out;
use super::state::{BotDialogue, State};
use crate::app::Actor;
use crate::app::alerts::{AlertView, Subject};
use crate::app::rules::Invalid;
use crate::domain::alerts::Alert;
use crate::domain::rules::{Rule, Template, parse_priority};
use crate::domain::{Permission, TgChatId};
use crate::i18n::msg;

/// The buttons of `/rules` (the wizard's are [`wizard::Cb`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cb {
    List,
    Open(i64),
    /// Pause (`false`) or resume (`true`).
    Toggle(i64, bool),
    /// Type a new priority.
    Priority(i64),
    /// Choose the alternative rule; `SetAlt(id, 0)` clears it.
    Alt(i64),
    SetAlt(i64, i64),
    Delete(i64),
    DeleteYes(i64),
    /// Turn a template on (a chat chosen next where it needs one).
    Template(Template),
    TemplateChat(Template, i64),
    Wizard(wizard::Cb),
    /// "Run now" on an order's card: a button rule's first step, queued at once.
    RunOn(crate::domain::OrderId, i64),
}

impl Cb {
    pub fn data(&self) -> String {
        codec::data(match self {
            Cb::List => "ru:l".to_owned(),
            Cb::Open(id) => format!("ru:o:{id}"),
            Cb::Toggle(id, on) => format!("ru:t:{id}:{}", codec::bit(*on)),
            Cb::Priority(id) => format!("ru:p:{id}"),
            Cb::Alt(id) => format!("ru:a:{id}"),
            Cb::SetAlt(id, alt) => format!("ru:b:{id}:{alt}"),
            Cb::Delete(id) => format!("ru:d:{id}"),
            Cb::DeleteYes(id) => format!("ru:y:{id}"),
            Cb::Template(t) => format!("ru:m:{}", t.code()),
            Cb::TemplateChat(t, chat) => format!("ru:g:{}:{chat}", t.code()),
            Cb::Wizard(w) => format!("ru:w:{}", w.code()),
            Cb::RunOn(order, rule) => format!("ru:r:{order}:{rule}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["ru", "l"] => Some(Cb::List),
            ["ru", "o", id] => Some(Cb::Open(codec::id(id)?)),
            ["ru", "t", id, on] => Some(Cb::Toggle(codec::id(id)?, codec::flag(on)?)),
            ["ru", "p", id] => Some(Cb::Priority(codec::id(id)?)),
            ["ru", "a", id] => Some(Cb::Alt(codec::id(id)?)),
            ["ru", "b", id, alt] => Some(Cb::SetAlt(codec::id(id)?, codec::id(alt)?)),
            ["ru", "d", id] => Some(Cb::Delete(codec::id(id)?)),
            ["ru", "y", id] => Some(Cb::DeleteYes(codec::id(id)?)),
            ["ru", "m", t] => Some(Cb::Template(Template::from_code(t)?)),
            ["ru", "g", t, chat] => {
                Some(Cb::TemplateChat(Template::from_code(t)?, codec::id(chat)?))
            }
            ["ru", "w", rest @ ..] => wizard::Cb::parse(rest).map(Cb::Wizard),
            ["ru", "r", order, rule] => Some(Cb::RunOn(codec::id(order)?, codec::id(rule)?)),
            _ => None,
        }
    }
}

fn mark(r: &Rule) -> &'static str {
    if r.active { "✅" } else { "⏸" }
}

/// `/rules` (or Back): the rules, first to run first, and the templates not used yet.
pub async fn show(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let rules = out.svc.rules().list(actor).await?;
    let mut lines = vec![out.t(&msg("rules-title").arg("count", rules.len()))];
    if rules.is_empty() {
        lines.push(out.t(&msg("rules-empty")));
    }
    let mut kb: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for r in &rules {
        lines.push(format!(
            "{} {} · {} — {}",
            mark(r),
            r.priority,
            r.name,
            describe::summary(out, r)
        ));
        let label: String = format!("{} {}", mark(r), r.name).chars().take(48).collect();
        kb.push(vec![plain(label, Cb::Open(r.id).data())]);
    }
    let used: Vec<&str> = rules.iter().filter_map(|r| r.template.as_deref()).collect();
    for t in Template::ALL {
        if !used.contains(&t.code()) {
            kb.push(vec![button(
                out,
                msg("rules-template-button")
                    .arg("code", t.code())
                    .arg("name", out.t(&template_name(t))),
                Cb::Template(t).data(),
            )]);
        }
    }
    kb.push(vec![button(
        out,
        msg("rules-new-button"),
        Cb::Wizard(wizard::Cb::Start).data(),
    )]);
    out.show(edit, lines.join("\n"), Some(InlineKeyboardMarkup::new(kb)))
        .await?;
    Ok(())
}

fn template_name(t: Template) -> crate::i18n::Msg {
    msg(match t {
        Template::ConfirmNew => "rules-template-01",
        Template::LabelsToWarehouse => "rules-template-02",
        Template::PutBack => "rules-template-03",
        Template::UnknownStatus => "rules-template-04",
    })
}

fn template_text(t: Template) -> Option<crate::i18n::Msg> {
    match t {
        Template::PutBack => Some(msg("rules-template-03-text")),
        Template::UnknownStatus => Some(msg("rules-template-04-text")),
        Template::ConfirmNew | Template::LabelsToWarehouse => None,
    }
}

/// A rule's card.
pub async fn card(out: &Out, actor: Actor, id: i64, edit: Option<MessageId>) -> BotResult {
    let rule = out.svc.rules().rule(actor, id).await.or_say("rules-gone")?;
    let all = out.svc.rules().list(actor).await?;
    let known = describe::Known::load(out, actor).await?;
    let text = describe::card(out, &rule, &all, &known);
    let toggle = if rule.active {
        button(out, msg("rules-pause-button"), Cb::Toggle(id, false).data())
    } else {
        button(out, msg("rules-resume-button"), Cb::Toggle(id, true).data())
    };
    let kb = InlineKeyboardMarkup::new(vec![
        vec![
            toggle,
            button(out, msg("rules-priority-button"), Cb::Priority(id).data()),
        ],
        vec![
            button(out, msg("rules-alt-button"), Cb::Alt(id).data()),
            button(out, msg("rules-delete-button"), Cb::Delete(id).data()),
        ],
        vec![button(out, msg("button-back"), Cb::List.data())],
    ]);
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

pub fn invalid(why: Invalid) -> crate::i18n::Msg {
    msg(match why {
        Invalid::NoSteps => "rules-no-steps",
        Invalid::ForeignChat => "rules-foreign-chat",
        Invalid::ForeignEmail => "rules-foreign-email",
        Invalid::ForeignCabinet => "rules-foreign-cabinet",
        Invalid::NeedsOrder => "rules-needs-order",
    })
}

async fn turn_on(
    out: &Out,
    actor: Actor,
    message: MessageId,
    t: Template,
    chat: Option<TgChatId>,
) -> Press {
    let name = out.t(&template_name(t));
    let text = template_text(t).map(|m| out.t(&m)).unwrap_or_default();
    match out
        .svc
        .rules()
        .from_template(actor, t, (name, text), chat)
        .await?
    {
        Ok(id) => {
            card(out, actor, id, Some(message)).await?;
            Ok(Notice::Toast(msg("rules-template-on")))
        }
        Err(why) => Ok(Notice::Alert(invalid(why))),
    }
}

pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    if let Cb::RunOn(order, rule) = cb {
        let actor = ctx.acting(Permission::ManageOrders)?;
        let queued = out
            .svc
            .rules()
            .run_on_order(actor, order, rule)
            .await
            .or_say("rules-gone")?;
        return Ok(Notice::Toast(msg(if queued {
            "rules-run-queued"
        } else {
            "rules-run-already"
        })));
    }
    let actor = ctx.acting(Permission::ManageSettings)?;
    match cb {
        Cb::RunOn(..) => {}
        Cb::List => show(out, actor, Some(message)).await?,
        Cb::Open(id) => card(out, actor, id, Some(message)).await?,
        Cb::Toggle(id, on) => {
            out.svc
                .rules()
                .set_active(actor, id, on)
                .await
                .or_say("rules-gone")?;
            card(out, actor, id, Some(message)).await?;
            return Ok(Notice::Toast(msg(if on {
                "rules-resumed"
            } else {
                "rules-paused"
            })));
        }
        Cb::Priority(id) => {
            let rule = out.svc.rules().rule(actor, id).await.or_say("rules-gone")?;
            dialogue
                .update(State::RulePriority {
                    workspace: actor.workspace.0,
                    rule: id,
                })
                .await?;
            out.say(msg("rules-ask-priority").arg("name", rule.name))
                .await?;
        }
        Cb::Alt(id) => {
            let rule = out.svc.rules().rule(actor, id).await.or_say("rules-gone")?;
            let others = out.svc.rules().list(actor).await?;
            let mut kb: Vec<Vec<InlineKeyboardButton>> = others
                .iter()
                .filter(|r| r.id != id)
                .map(|r| vec![plain(r.name.clone(), Cb::SetAlt(id, r.id).data())])
                .collect();
            kb.push(vec![button(
                out,
                msg("rules-alt-none"),
                Cb::SetAlt(id, 0).data(),
            )]);
            kb.push(vec![button(out, msg("button-back"), Cb::Open(id).data())]);
            out.edit(
                message,
                out.t(&msg("rules-alt-ask").arg("name", rule.name)),
                Some(InlineKeyboardMarkup::new(kb)),
            )
            .await?;
        }
        Cb::SetAlt(id, alt) => {
            let mut rule = out.svc.rules().rule(actor, id).await.or_say("rules-gone")?;
            rule.policy.alternative = (alt != 0 && alt != id).then_some(alt);
            if let Err(why) = out.svc.rules().update(actor, &rule).await? {
                return Ok(Notice::Alert(invalid(why)));
            }
            card(out, actor, id, Some(message)).await?;
        }
        Cb::Delete(id) => {
            let rule = out.svc.rules().rule(actor, id).await.or_say("rules-gone")?;
            let kb = InlineKeyboardMarkup::new(vec![vec![
                button(out, msg("rules-delete-yes"), Cb::DeleteYes(id).data()),
                button(out, msg("button-back"), Cb::Open(id).data()),
            ]]);
            out.edit(
                message,
                out.t(&msg("rules-delete-ask").arg("name", rule.name)),
                Some(kb),
            )
            .await?;
        }
        Cb::DeleteYes(id) => {
            let rule = out
                .svc
                .rules()
                .delete(actor, id)
                .await
                .or_say("rules-gone")?;
            show(out, actor, Some(message)).await?;
            return Ok(Notice::Toast(msg("rules-deleted").arg("name", rule.name)));
        }
        Cb::Template(t) if t.needs_chat() => {
            let groups = out.svc.rules().groups(actor).await?;
            if groups.is_empty() {
                return Ok(Notice::Alert(msg("rules-need-group")));
            }
            let mut kb: Vec<Vec<InlineKeyboardButton>> = groups
                .iter()
                .map(|g| vec![plain(g.title.clone(), Cb::TemplateChat(t, g.chat.0).data())])
                .collect();
            kb.push(vec![button(out, msg("button-back"), Cb::List.data())]);
            out.edit(
                message,
                out.t(&msg("rules-template-chat").arg("name", out.t(&template_name(t)))),
                Some(InlineKeyboardMarkup::new(kb)),
            )
            .await?;
        }
        Cb::Template(t) => return turn_on(out, actor, message, t, None).await,
        Cb::TemplateChat(t, chat) => {
            return turn_on(out, actor, message, t, Some(TgChatId(chat))).await;
        }
        Cb::Wizard(w) => return wizard::on_press(out, actor, message, dialogue, w).await,
    }
    Ok(Notice::None)
}

/// A priority typed for a rule.
pub async fn priority_message(
    bot: teloxide::Bot,
    svc: std::sync::Arc<crate::app::Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, rule): (i64, i64),
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
            let text = message.text().unwrap_or_default();
            let Some(priority) = parse_priority(text) else {
                return Err(BotError::User(msg("rules-bad-priority")));
            };
            let mut r = out
                .svc
                .rules()
                .rule(actor, rule)
                .await
                .or_say("rules-gone")?;
            r.priority = priority;
            dialogue.exit().await?;
            if let Err(why) = out.svc.rules().update(actor, &r).await? {
                return Err(BotError::User(invalid(why)));
            }
            card(out, actor, rule, None).await
        },
    )
    .await
}

/// A rule's message, failure or pause, as its chat reads it.
pub fn alert_text(out: &Out, v: &AlertView) -> Option<String> {
    let order = match &v.subject {
        Subject::Order(o) => Some(o),
        Subject::Gone => return None,
        _ => None,
    };
    Some(match &v.alert {
        Alert::RuleNotice { name, text, .. } => out.t(&msg("rules-notice")
            .arg("name", name.clone())
            .arg("text", describe::fill(out, text, order, v.money))),
        Alert::RuleFailed {
            name, step, error, ..
        } => out.t(&msg("rules-failed")
            .arg("name", name.clone())
            .arg("step", out.t(&describe::step_kind(step)))
            .arg(
                "number",
                order.map_or_else(|| "—".to_owned(), |o| o.number.clone()),
            )
            .arg("error", error.chars().take(200).collect::<String>())),
        Alert::RulePaused { name, fails, .. } => out.t(&msg("rules-paused-alert")
            .arg("name", name.clone())
            .arg("count", *fails)),
        _ => return None,
    })
}
