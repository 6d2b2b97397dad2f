//! Button presses: the data decoded once into the one [`Callback`] (each feature's own
//! enum nested in it), stale buttons answered as such, each press routed to its feature by
//! an exhaustive match, and the presser always answered.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::MaybeInaccessibleMessage;

use super::context::Ctx;
use super::error::{BotError, HandlerResult, Notice, Press};
use super::out::Out;
use super::state::BotDialogue;
use super::{
    api, cabinets, catalogue, codec, emails, finance, groups, labels, my_alerts, orders, prices,
    queue, quiet, rules, settings, start, statuses, stocks, supplies, team, uploads,
};
use crate::app::Services;
use crate::i18n::msg;

/// What a button press asks for, by feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Start(start::Cb),
    Settings(settings::Cb),
    Team(team::Cb),
    Cabinets(cabinets::Cb),
    Groups(groups::Cb),
    Api(api::Cb),
    Orders(orders::Cb),
    Statuses(statuses::Cb),
    MyAlerts(my_alerts::Cb),
    Labels(labels::Cb),
    Supplies(supplies::Cb),
    Catalogue(catalogue::Cb),
    Stocks(stocks::Cb),
    Warehouses(stocks::warehouses::Cb),
    Prices(prices::Cb),
    Uploads(uploads::Cb),
    Rules(rules::Cb),
    Queue(queue::Cb),
    Quiet(quiet::Cb),
    Emails(emails::Cb),
    Finance(finance::Cb),
}

impl Callback {
    /// The data a button carries.
    pub fn data(&self) -> String {
        match self {
            Callback::Start(c) => c.data(),
            Callback::Settings(c) => c.data(),
            Callback::Team(c) => c.data(),
            Callback::Cabinets(c) => c.data(),
            Callback::Groups(c) => c.data(),
            Callback::Api(c) => c.data(),
            Callback::Orders(c) => c.data(),
            Callback::Statuses(c) => c.data(),
            Callback::MyAlerts(c) => c.data(),
            Callback::Labels(c) => c.data(),
            Callback::Supplies(c) => c.data(),
            Callback::Catalogue(c) => c.data(),
            Callback::Stocks(c) => c.data(),
            Callback::Warehouses(c) => c.data(),
            Callback::Prices(c) => c.data(),
            Callback::Uploads(c) => c.data(),
            Callback::Rules(c) => c.data(),
            Callback::Queue(c) => c.data(),
            Callback::Quiet(c) => c.data(),
            Callback::Emails(c) => c.data(),
            Callback::Finance(c) => c.data(),
        }
    }

    /// Decodes a payload; `None` for anything from another version or unknown.
    pub fn decode(data: &str) -> Option<Callback> {
        let parts = codec::parts(data)?;
        match parts.first().copied()? {
            "l" | "x" => start::Cb::parse(&parts).map(Callback::Start),
            "s" => settings::Cb::parse(&parts).map(Callback::Settings),
            "i" | "t" => team::Cb::parse(&parts).map(Callback::Team),
            "c" | "k" => cabinets::Cb::parse(&parts).map(Callback::Cabinets),
            "g" => groups::Cb::parse(&parts).map(Callback::Groups),
            "a" => api::Cb::parse(&parts).map(Callback::Api),
            "o" => orders::Cb::parse(&parts).map(Callback::Orders),
            "st" => statuses::Cb::parse(&parts).map(Callback::Statuses),
            "pa" => my_alerts::Cb::parse(&parts).map(Callback::MyAlerts),
            "lb" => labels::Cb::parse(&parts).map(Callback::Labels),
            "sp" => supplies::Cb::parse(&parts).map(Callback::Supplies),
            "ct" => catalogue::Cb::parse(&parts).map(Callback::Catalogue),
            "sk" => stocks::Cb::parse(&parts).map(Callback::Stocks),
            "wh" => stocks::warehouses::Cb::parse(&parts).map(Callback::Warehouses),
            "pr" => prices::Cb::parse(&parts).map(Callback::Prices),
            "up" => uploads::Cb::parse(&parts).map(Callback::Uploads),
            "ru" => rules::Cb::parse(&parts).map(Callback::Rules),
            "q" => queue::Cb::parse(&parts).map(Callback::Queue),
            "qh" => quiet::Cb::parse(&parts).map(Callback::Quiet),
            "em" => emails::Cb::parse(&parts).map(Callback::Emails),
            "fn" => finance::Cb::parse(&parts).map(Callback::Finance),
            _ => None,
        }
    }
}

/// The endpoint of every button press.
pub async fn on_press(
    bot: Bot,
    svc: Arc<Services>,
    ctx: Ctx,
    q: CallbackQuery,
    dialogue: BotDialogue,
) -> HandlerResult {
    let out = Out::new(bot, svc, ChatId(ctx.chat.0), ctx.lang);
    let message = match &q.message {
        Some(MaybeInaccessibleMessage::Regular(m)) => Some(m.as_ref().clone()),
        _ => None,
    };
    // Someone outside the company that linked the group changes nothing in it, whatever
    // they press.
    if ctx.outsider() {
        out.answer(&q, Some(msg("not-a-member")), true).await;
        return Ok(());
    }
    // A press counts only for a button its message carries: data sent for another message
    // (a forged press, another screen's button) is stale there and changes nothing.
    let carried = match (&message, q.data.as_deref()) {
        (Some(m), Some(data)) => carries(m, data),
        _ => false,
    };
    let decoded = q.data.as_deref().and_then(Callback::decode);
    let (Some(cb), Some(message), true) = (decoded, message, carried) else {
        out.answer(&q, Some(msg("button-stale")), true).await;
        // A real button of an older release is cleared away; a forged one leaves the
        // message as it was.
        if carried && let Some(MaybeInaccessibleMessage::Regular(m)) = &q.message {
            out.drop_buttons(m.id).await;
        }
        return Ok(());
    };
    let out = out.pressing(&message);
    match route(&out, &ctx, &message, &dialogue, cb).await {
        // A refresh that found nothing new says so instead of a silent press.
        Ok(Notice::None) if out.left_unchanged() => {
            out.answer(&q, Some(msg("nothing-changed")), false).await
        }
        Ok(Notice::None) => out.answer(&q, None, false).await,
        Ok(Notice::Toast(m)) => out.answer(&q, Some(m), false).await,
        Ok(Notice::Alert(m)) | Err(BotError::User(m)) => out.answer(&q, Some(m), true).await,
        Err(BotError::Internal(e)) => {
            out.answer(&q, None, false).await;
            out.internal(&*e).await;
        }
    }
    Ok(())
}

/// Whether a message carries a button with this callback data.
fn carries(message: &Message, data: &str) -> bool {
    message.reply_markup().is_some_and(|kb| {
        kb.inline_keyboard.iter().flatten().any(|b| {
            matches!(&b.kind, teloxide::types::InlineKeyboardButtonKind::CallbackData(d) if d == data)
        })
    })
}

async fn route(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    cb: Callback,
) -> Press {
    match cb {
        Callback::Start(c) => start::on_press(out, ctx, message.id, dialogue, c).await,
        Callback::Settings(c) => settings::on_press(out, ctx, message.id, dialogue, c).await,
        Callback::Team(c) => team::on_press(out, ctx, message.id, c).await,
        Callback::Cabinets(c) => cabinets::on_press(out, ctx, message, dialogue, c).await,
        Callback::Groups(c) => groups::on_press(out, ctx, message, c).await,
        Callback::Api(c) => api::on_press(out, ctx, message.id, dialogue, c).await,
        Callback::Orders(c) => orders::on_press(out, ctx, message, c).await,
        Callback::Statuses(c) => statuses::on_press(out, ctx, message.id, c).await,
        Callback::MyAlerts(c) => my_alerts::on_press(out, ctx, message.id, c).await,
        Callback::Labels(c) => labels::on_press(out, ctx, message.id, c).await,
        Callback::Supplies(c) => supplies::on_press(out, ctx, message.id, c).await,
        Callback::Catalogue(c) => catalogue::on_press(out, ctx, message, dialogue, c).await,
        Callback::Stocks(c) => stocks::on_press(out, ctx, message, dialogue, c).await,
        Callback::Warehouses(c) => {
            stocks::warehouses::on_press(out, ctx, message, dialogue, c).await
        }
        Callback::Uploads(c) => uploads::on_press(out, ctx, message, c).await,
        Callback::Prices(c) => prices::on_press(out, ctx, message.id, dialogue, c).await,
        Callback::Rules(c) => rules::on_press(out, ctx, message.id, dialogue, c).await,
        Callback::Queue(c) => queue::on_press(out, ctx, message.id, c).await,
        Callback::Quiet(c) => quiet::on_press(out, ctx, message.id, dialogue, c).await,
        Callback::Finance(c) => finance::on_press(out, ctx, message.id, c).await,
        Callback::Emails(c) => emails::on_press(out, ctx, message.id, dialogue, c).await,
    }
}
