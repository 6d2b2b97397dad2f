//! `/queue` (F8): where the rules' steps stand (waiting, running, retrying, in the reserve
//! mode, failed, skipped, done today), the failed and retrying ones first with their order,
//! rule and step, tries, next try and last error, and Retry (or Run now), Skip and
//! Details on each. Owners, admins and managers; a press on a step that is running or has
//! ended changes nothing and says so.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotResult, Notice, OrSay, Press};
use super::keyboards::{button, plain};
use super::out::Out;
use crate::app::Actor;
use crate::app::rules::queue::{Entry, Standing, Steered};
use crate::domain::Permission;
use crate::i18n::msg;

/// Steps listed with buttons, at most.
const SHOWN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    List,
    Open(i64),
    Retry(i64),
    Skip(i64),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::List => "q:l".to_owned(),
            Cb::Open(id) => format!("q:o:{id}"),
            Cb::Retry(id) => format!("q:r:{id}"),
            Cb::Skip(id) => format!("q:s:{id}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["q", "l"] => Some(Cb::List),
            ["q", "o", id] => Some(Cb::Open(codec::id(id)?)),
            ["q", "r", id] => Some(Cb::Retry(codec::id(id)?)),
            ["q", "s", id] => Some(Cb::Skip(codec::id(id)?)),
            _ => None,
        }
    }
}

fn icon(s: Standing) -> &'static str {
    match s {
        Standing::Waiting => "⏳",
        Standing::Running => "⚙️",
        Standing::Retrying => "🔁",
        Standing::Reserve => "🕰",
        Standing::Failed => "❌",
        Standing::Skipped => "⏭",
        Standing::Done => "✅",
    }
}

fn what(out: &Out, e: &Entry) -> String {
    let rule = e
        .item
        .rule_name
        .clone()
        .unwrap_or_else(|| out.t(&msg("queue-rule-gone")));
    let step = e
        .step
        .map(|s| out.t(&super::rules::describe::step_kind(s)))
        .unwrap_or_default();
    let order = e.item.number.clone().unwrap_or_else(|| "—".to_owned());
    format!("«{rule}» · {step} · {order}")
}

fn line(out: &Out, e: &Entry, zone: crate::domain::Zone) -> String {
    let error: String = e
        .item
        .last_error
        .as_deref()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect();
    let state = match e.standing {
        Standing::Waiting => out.t(&msg("queue-waiting").arg("time", zone.format(e.item.due_at))),
        Standing::Running => out.t(&msg("queue-running")),
        Standing::Retrying | Standing::Reserve => out.t(&msg(if e.standing == Standing::Reserve {
            "queue-reserve"
        } else {
            "queue-retrying"
        })
        .arg("tries", e.item.failures)
        .arg("of", e.tries)
        .arg("time", zone.format(e.item.due_at))
        .arg("error", error)),
        Standing::Failed => out.t(&msg("queue-failed")
            .arg("tries", e.item.failures)
            .arg("error", error)),
        Standing::Skipped => out.t(&msg("queue-skipped")),
        Standing::Done => out.t(&msg("queue-done")),
    };
    format!("{} {} — {state}", icon(e.standing), what(out, e))
}

async fn zone(out: &Out, actor: Actor) -> crate::domain::Zone {
    out.svc.rules().zone(actor).await.unwrap_or_default()
}

/// `/queue` (or Back).
pub async fn show(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let (c, open) = out.svc.rules().queue(actor).await?;
    let zone = zone(out, actor).await;
    let mut lines = vec![
        out.t(&msg("queue-title")
            .arg("waiting", c.waiting)
            .arg("running", c.running)
            .arg("retrying", c.retrying)
            .arg("reserve", c.reserve)
            .arg("failed", c.failed)
            .arg("skipped", c.skipped)
            .arg("done", c.done)),
    ];
    if open.is_empty() {
        lines.push(out.t(&msg("queue-empty")));
    }
    let mut kb: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for e in open.iter().take(SHOWN) {
        lines.push(line(out, e, zone));
        let number = e
            .item
            .number
            .clone()
            .unwrap_or_else(|| format!("#{}", e.item.id));
        let mut row = Vec::new();
        match e.standing {
            Standing::Waiting => row.push(button(
                out,
                msg("queue-run-now"),
                Cb::Retry(e.item.id).data(),
            )),
            Standing::Retrying | Standing::Reserve | Standing::Failed => {
                row.push(button(out, msg("queue-retry"), Cb::Retry(e.item.id).data()));
            }
            _ => {}
        }
        if e.standing != Standing::Running {
            row.push(button(out, msg("queue-skip"), Cb::Skip(e.item.id).data()));
        }
        row.push(plain(format!("ℹ️ {number}"), Cb::Open(e.item.id).data()));
        kb.push(row);
    }
    if open.len() > SHOWN {
        lines.push(out.t(&msg("queue-more").arg("count", open.len() - SHOWN)));
    }
    kb.push(vec![button(out, msg("queue-refresh"), Cb::List.data())]);
    out.show(edit, lines.join("\n"), Some(InlineKeyboardMarkup::new(kb)))
        .await?;
    Ok(())
}

async fn details(out: &Out, actor: Actor, id: i64, edit: MessageId) -> BotResult {
    let e = out
        .svc
        .rules()
        .queue_entry(actor, id)
        .await
        .or_say("queue-gone")?;
    let zone = zone(out, actor).await;
    let text = out.t(&msg("queue-details")
        .arg("what", what(out, &e))
        .arg("state", line(out, &e, zone))
        .arg("step", e.step_no + 1)
        .arg("created", zone.format(e.item.created_at))
        .arg("updated", zone.format(e.item.updated_at))
        .arg(
            "error",
            e.item.last_error.clone().unwrap_or_else(|| "—".to_owned()),
        ));
    let mut row = Vec::new();
    if matches!(
        e.standing,
        Standing::Waiting | Standing::Retrying | Standing::Reserve | Standing::Failed
    ) {
        let label = if e.standing == Standing::Waiting {
            "queue-run-now"
        } else {
            "queue-retry"
        };
        row.push(button(out, msg(label), Cb::Retry(id).data()));
        row.push(button(out, msg("queue-skip"), Cb::Skip(id).data()));
    }
    row.push(button(out, msg("button-back"), Cb::List.data()));
    out.edit(edit, text, Some(InlineKeyboardMarkup::new(vec![row])))
        .await?;
    Ok(())
}

fn steered(s: Steered, done: &'static str) -> Notice {
    match s {
        Steered::Done => Notice::Toast(msg(done)),
        Steered::Running => Notice::Alert(msg("queue-is-running")),
        Steered::Ended => Notice::Alert(msg("queue-has-ended")),
    }
}

pub async fn on_press(out: &Out, ctx: &Ctx, message: MessageId, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ManageOrders)?;
    match cb {
        Cb::List => show(out, actor, Some(message)).await?,
        Cb::Open(id) => details(out, actor, id, message).await?,
        Cb::Retry(id) => {
            let s = out
                .svc
                .rules()
                .retry_step(actor, id)
                .await
                .or_say("queue-gone")?;
            show(out, actor, Some(message)).await?;
            return Ok(steered(s, "queue-retried"));
        }
        Cb::Skip(id) => {
            let s = out
                .svc
                .rules()
                .skip_step(actor, id)
                .await
                .or_say("queue-gone")?;
            show(out, actor, Some(message)).await?;
            return Ok(steered(s, "queue-skipped-toast"));
        }
    }
    Ok(Notice::None)
}
