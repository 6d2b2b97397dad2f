//! `/count`: an inventory in one of our warehouses: a barcode (or SKU code) scanned or
//! typed, then its counted number, again and again until `/cancel`.

use crate::bot::context::answering;
use crate::domain::ids::{SkuId, StoreId};
use teloxide::prelude::*;

use super::{change_error, title};
use crate::app::stocks::{Changed, Source};
use crate::app::{Actor, Services};
use crate::bot::context::Ctx;
use crate::bot::error::{BotError, BotResult, HandlerResult, OrSay};
use crate::bot::keyboards;
use crate::bot::out::Out;
use crate::bot::state::{BotDialogue, State};
use crate::domain::Permission;
use crate::domain::stock::{Change, Mode};
use crate::i18n::msg;

/// `/count`: an inventory in our first warehouse.
pub async fn count(out: &Out, actor: Actor, dialogue: &BotDialogue) -> BotResult {
    let stores = out.svc.stocks().stores(actor).await?;
    let Some(store) = stores.first() else {
        return Ok(());
    };
    dialogue
        .update(State::Counting {
            workspace: actor.workspace.0,
            store: store.id,
            sku: None,
        })
        .await
        .map_err(BotError::Internal)?;
    out.send_text(
        out.t(&msg("count-start").arg("store", store.name.clone())),
        Some(keyboards::cancel(out)),
    )
    .await?;
    Ok(())
}

/// A message during an inventory: a barcode (or SKU code), then its counted number.
pub async fn count_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, store, sku): (i64, StoreId, Option<SkuId>),
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
            let text = message.text().unwrap_or_default().trim().to_owned();
            let kb = Some(keyboards::cancel(out));
            match sku {
                None => {
                    let Some(s) = out.svc.catalogue().find_sku(actor, &text).await? else {
                        return Err(BotError::User(
                            msg("count-unknown")
                                .arg("code", text.chars().take(40).collect::<String>()),
                        ));
                    };
                    let card = out.svc.stocks().stock_card(actor, s.id).await?;
                    let now = card
                        .levels
                        .iter()
                        .find(|(w, _)| w.id == store)
                        .map_or(0, |(_, q)| *q);
                    dialogue
                        .update(State::Counting {
                            workspace,
                            store,
                            sku: Some(s.id),
                        })
                        .await?;
                    out.send_text(
                        out.t(&msg("count-ask").arg("sku", title(&s)).arg("count", now)),
                        kb,
                    )
                    .await?;
                }
                Some(id) => {
                    let change = Change::parse(&text, Some(Mode::Set))
                        .map_err(|e| BotError::User(change_error(e)))?;
                    let reason = out.t(&msg("count-reason"));
                    let done = out
                        .svc
                        .stocks()
                        .change_stock(actor, id, store, change, &reason, Source::Count)
                        .await
                        .or_say("stock-sku-gone")?;
                    dialogue
                        .update(State::Counting {
                            workspace,
                            store,
                            sku: None,
                        })
                        .await?;
                    if let Ok(Changed { before, after }) = done {
                        out.send_text(
                            out.t(&msg("count-saved").arg("before", before).arg("after", after)),
                            kb,
                        )
                        .await?;
                    }
                }
            }
            Ok(())
        },
    )
    .await
}
