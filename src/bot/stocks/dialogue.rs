//! The stock dialogues' messages: a SKU's count with its reason, its low-stock threshold,
//! and what `/stock` looks for.

use crate::bot::context::answering;
use crate::domain::ids::{SkuId, StoreId};
use teloxide::prelude::*;

use super::{card, find};
use crate::app::Services;
use crate::app::stocks::{Changed, Refused, Source};
use crate::bot::context::Ctx;
use crate::bot::error::{BotError, HandlerResult, OrSay};
use crate::bot::out::{Out, guarded};
use crate::bot::state::BotDialogue;
use crate::domain::Permission;
use crate::domain::stock::{Change, ChangeError, Mode};
use crate::i18n::{Msg, msg};

/// The refusal of a typed count.
pub fn change_error(e: ChangeError) -> Msg {
    match e {
        ChangeError::NotANumber => msg("stock-not-a-number"),
        ChangeError::Negative => msg("stock-negative"),
        ChangeError::TooLarge => msg("stock-too-large"),
    }
}

/// A count and the reason after it: `12`, `+3 from the supplier`, `1 200 inventory`.
fn split_reason(text: &str) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || c.is_whitespace() || "+-−".contains(*c)))
        .map_or(text.len(), |(i, _)| i);
    if end > 0 && end < text.len() && !text[..end].ends_with(char::is_whitespace) {
        // `2.5`, `12abc`: one word that is not a count.
        return (text.trim(), "");
    }
    (text[..end].trim(), text[end..].trim())
}

/// Text while a warehouse is to be chosen: the buttons are the answer.
pub async fn store_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
) -> HandlerResult {
    let out = Out::new(bot, svc, message.chat.id, ctx.lang);
    guarded(&out, async {
        out.say(msg("stock-choose-store-hint")).await?;
        Ok(())
    })
    .await
}

/// A message while a count is awaited for a SKU.
pub async fn amount_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, sku, store, mode): (i64, SkuId, StoreId, Mode),
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::CountStock,
        async |out, actor| {
            let text = message.text().unwrap_or_default();
            let (number, reason) = split_reason(text);
            let change =
                Change::parse(number, Some(mode)).map_err(|e| BotError::User(change_error(e)))?;
            let done = out
                .svc
                .stocks()
                .change_stock(actor, sku, store, change, reason, Source::Chat)
                .await
                .or_say("stock-sku-gone");
            let done = match done {
                Ok(d) => d,
                Err(e) => {
                    dialogue.exit().await?;
                    return Err(e);
                }
            };
            match done {
                Err(Refused::BelowZero(now)) => {
                    Err(BotError::User(msg("stock-below-zero").arg("count", now)))
                }
                Ok(Changed { before, after }) => {
                    dialogue.exit().await?;
                    let reason = if reason.is_empty() {
                        String::new()
                    } else {
                        format!(" ({reason})")
                    };
                    out.say(
                        msg("stock-changed")
                            .arg("before", before)
                            .arg("after", after)
                            .arg("reason", reason),
                    )
                    .await?;
                    card(out, actor, sku, None).await
                }
            }
        },
    )
    .await
}

/// A message while a SKU's low-stock threshold is awaited: a number, or `-` for the
/// company's default.
pub async fn threshold_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, sku): (i64, SkuId),
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManagePrices,
        async |out, actor| {
            let text = message.text().unwrap_or_default().trim();
            let value = if text == "-" {
                None
            } else {
                match Change::parse(text, Some(Mode::Set)) {
                    Ok(Change::Set(n)) => Some(n),
                    Ok(_) => return Err(BotError::User(msg("stock-not-a-number"))),
                    Err(e) => return Err(BotError::User(change_error(e))),
                }
            };
            out.svc
                .stocks()
                .set_threshold(actor, sku, value)
                .await
                .or_say("stock-sku-gone")?;
            dialogue.exit().await?;
            out.say(match value {
                Some(n) => msg("stock-threshold-set").arg("count", n),
                None => msg("stock-threshold-default"),
            })
            .await?;
            card(out, actor, sku, None).await
        },
    )
    .await
}

/// A message while `/stock` waits for what to look for.
pub async fn find_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    workspace: i64,
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ViewData,
        async |out, actor| {
            let q = message.text().unwrap_or_default().trim().to_owned();
            if q.is_empty() {
                return Err(BotError::User(msg("stock-find-ask")));
            }
            find(out, actor, &q).await?;
            dialogue.exit().await?;
            Ok(())
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_follows_the_count() {
        assert_eq!(split_reason("12"), ("12", ""));
        assert_eq!(split_reason("+3 от поставщика"), ("+3", "от поставщика"));
        assert_eq!(split_reason("1 200 inventory"), ("1 200", "inventory"));
        assert_eq!(split_reason("abc"), ("", "abc"));
        assert_eq!(split_reason("-5"), ("-5", ""));
        assert_eq!(split_reason("2.5"), ("2.5", ""));
        assert_eq!(split_reason("12abc"), ("12abc", ""));
    }
}
