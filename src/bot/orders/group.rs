//! Order buttons pressed in a group (on an alert): the alert stays the group's, in the
//! group's words. Open sends the card to the presser in private (money by their role); a
//! step taken from the alert adds who did what to it and offers the next step. Whoever
//! presses acts by their own role.

use crate::domain::ids::OrderId;
use teloxide::types::{ChatId, InlineKeyboardMarkup, Message};

use super::{Cb, ListState, show_card};
use crate::app::Actor;
use crate::app::claims::Holder;
use crate::app::order_actions::Requested;
use crate::bot::error::{BotError, BotResult, Notice, OrSay, Press};
use crate::bot::keyboards::button;
use crate::bot::names;
use crate::bot::out::Out;
use crate::domain::order::{Action, Order};
use crate::i18n::msg;

/// An alert's buttons for an order: open it, the next step the warehouse takes, and
/// "I take it" while the order is open.
/// A button opening an order's card, named by its number (a line of a grouped alert).
pub fn open_button(_out: &Out, o: &Order) -> teloxide::types::InlineKeyboardButton {
    teloxide::types::InlineKeyboardButton::callback(
        format!("📦 {}", o.number),
        Cb::Open(o.id, ListState::default()).data(),
    )
}

pub fn alert_keyboard(out: &Out, o: &Order) -> InlineKeyboardMarkup {
    keyboard(out, o, false)
}

fn keyboard(out: &Out, o: &Order, held: bool) -> InlineKeyboardMarkup {
    let back = ListState::default();
    let mut row = vec![button(
        out,
        msg("order-open-button"),
        Cb::Open(o.id, back).data(),
    )];
    if let Some(next) = [Action::Confirm, Action::Assemble, Action::Ship]
        .into_iter()
        .find(|a| a.applies(o.marketplace, o.scheme, o.unified))
    {
        row.push(button(
            out,
            names::action(next),
            Cb::Act(o.id, o.version, next, back).data(),
        ));
    }
    let mut rows = vec![row];
    if o.unified.is_open() && o.scheme != crate::domain::Scheme::Fbo {
        rows.push(vec![if held {
            button(out, msg("claim-release-button"), Cb::Release(o.id).data())
        } else {
            button(out, msg("claim-take-button"), Cb::Take(o.id).data())
        }]);
    }
    InlineKeyboardMarkup::new(rows)
}

/// What the presser hears about who has an order.
pub fn holder_notice(h: &Holder) -> Notice {
    match (h.mine, h.taken_now) {
        (true, true) => Notice::Toast(msg("claim-taken")),
        (true, false) => Notice::Toast(msg("claim-yours")),
        (false, _) => Notice::Alert(msg("claim-theirs").arg("name", h.name.clone())),
    }
}

/// An alert's words: its text, or a file's caption.
async fn edit_body(
    out: &Out,
    alert: &Message,
    body: String,
    kb: InlineKeyboardMarkup,
) -> BotResult {
    if alert.text().is_some() {
        out.edit(alert.id, body, Some(kb)).await?;
    } else {
        // Telegram's limit on a caption: the newest lines (who did what) are kept.
        let chars = body.chars().count();
        let body: String = body
            .chars()
            .skip(chars.saturating_sub(CAPTION_MAX))
            .collect();
        out.edit_caption(alert.id, body, Some(kb)).await?;
    }
    Ok(())
}

/// Telegram's limit on a caption, in characters.
const CAPTION_MAX: usize = 1024;

/// "I take it" on an alert: the first to press is named on it; a second press is told who
/// has it.
pub async fn take(out: &Out, actor: Actor, alert: &Message, id: OrderId) -> Press {
    let holder = out
        .svc
        .orders()
        .claim_order(actor, id)
        .await
        .or_say("order-gone")?;
    if !holder.taken_now {
        return Ok(holder_notice(&holder));
    }
    let card = super::card_or_gone(out, actor, id).await?;
    let body = alert.text().or(alert.caption()).unwrap_or_default();
    let line = out.t(&msg("claim-line").arg("name", holder.name.clone()));
    edit_body(
        out,
        alert,
        format!("{body}\n{line}"),
        keyboard(out, &card.order, true),
    )
    .await?;
    Ok(holder_notice(&holder))
}

/// "Let it go" on an alert: only the one who has it can; the alert is free again.
pub async fn release(out: &Out, actor: Actor, alert: &Message, id: OrderId) -> Press {
    if let Some(other) = out.svc.orders().release_order(actor, id).await? {
        return Ok(Notice::Alert(msg("claim-theirs").arg("name", other.name)));
    }
    let card = super::card_or_gone(out, actor, id).await?;
    let body = alert.text().or(alert.caption()).unwrap_or_default();
    // Telegram gives the names as they were written: drop the line that named who took it.
    let mine = out.t(&msg("claim-line").arg("name", actor_name(out, actor).await));
    let kept: Vec<&str> = body.lines().filter(|l| l.trim() != mine.trim()).collect();
    edit_body(
        out,
        alert,
        kept.join("\n"),
        keyboard(out, &card.order, false),
    )
    .await?;
    Ok(Notice::Toast(msg("claim-released")))
}

async fn actor_name(out: &Out, actor: Actor) -> String {
    out.svc
        .session()
        .user_name(actor.user)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| actor.user.0.to_string())
}

/// Open from a group: the card goes to the presser's private chat.
pub async fn open(out: &Out, actor: Actor, id: OrderId, name: &str) -> Press {
    let card = super::card_or_gone(out, actor, id).await?;
    let private = Out::new(
        out.bot.clone(),
        out.svc.clone(),
        ChatId(actor.user.0),
        out.lang,
    );
    // The bot may not write first to someone who never started it.
    let shown = show_card(&private, &card, ListState::default(), None)
        .await
        .unwrap_or(false);
    if shown {
        Ok(Notice::Toast(msg("order-sent-private")))
    } else {
        Err(BotError::User(
            msg("order-start-private").arg("name", name.to_owned()),
        ))
    }
}

/// A step pressed on an alert: the alert says who did it and offers the next step.
pub async fn act(
    out: &Out,
    actor: Actor,
    alert: &Message,
    (id, version, action): (OrderId, i64, Action),
    who: &str,
) -> Press {
    if !actor.role.can(action.permission()) {
        return Err(BotError::User(msg("no-permission")));
    }
    if action == Action::Cancel {
        return Err(BotError::User(msg("order-cancel-in-private")));
    }
    let market = |o: &Order| out.t(&names::marketplace(o.marketplace));
    let requested = out
        .svc
        .orders()
        .request_action(actor, id, version, action, None)
        .await?;
    let action_name = out.t(&names::action(action));
    let (card, notice) = match requested {
        Requested::Done(card) => {
            let text = alert.text().or(alert.caption()).unwrap_or_default();
            let line = out.t(&msg("order-alert-done")
                .arg("action", action_name.clone())
                .arg("who", who.to_owned()));
            edit_body(
                out,
                alert,
                format!("{text}\n{line}"),
                alert_keyboard(out, &card.order),
            )
            .await?;
            return Ok(Notice::Toast(names::done(action)));
        }
        Requested::Pending { .. } => {
            let card = out.svc.orders().order_card(actor, id).await?;
            let m = msg("order-pending").arg("marketplace", market(&card.order));
            (card, Notice::Alert(m))
        }
        Requested::Refused { why } => {
            let card = out.svc.orders().order_card(actor, id).await?;
            let m = names::rejection(why).arg("marketplace", market(&card.order));
            (card, Notice::Alert(m))
        }
        Requested::Stale(card) => {
            let status = out.t(&names::unified(card.order.unified));
            (
                card,
                Notice::Alert(msg("order-stale").arg("status", status)),
            )
        }
        Requested::AlreadyPending => return Ok(Notice::Toast(msg("order-already"))),
    };
    // The alert's buttons follow the order as it is now.
    out.edit_buttons(alert.id, Some(alert_keyboard(out, &card.order)))
        .await;
    Ok(notice)
}
