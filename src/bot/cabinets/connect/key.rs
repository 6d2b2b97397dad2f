//! Checking a key live and what follows from the account it belongs to: a YM shop to
//! choose, a key that replaces a cabinet's, an account already connected, or the scheme.

use teloxide::types::InlineKeyboardMarkup;

use super::Cb;
use super::view::{self, ask_again, go, with_note};
use crate::app::cabinets::{KeyCheck, Verified};
use crate::app::{Actor, AppError};
use crate::bot::context::Ctx;
use crate::bot::error::{BotError, BotResult};
use crate::bot::keyboards::{button, cancel_row};
use crate::bot::names;
use crate::bot::out::Out;
use crate::bot::state::connect::{
    Account, CheckedKey, Connect, SealedKey, Step, Target, credential_step,
};
use crate::bot::state::{BotDialogue, State};
use crate::domain::{CabinetId, Marketplace, Permission};
use crate::i18n::{Msg, msg};

/// The actor when they still may manage cabinets of `workspace`.
pub(super) fn manager(ctx: &Ctx, workspace: i64) -> Option<Actor> {
    ctx.acting_in(workspace, Permission::ManageCabinets).ok()
}

/// Checks a sealed key live and moves the dialogue on.
pub(super) async fn check(
    out: &Out,
    ctx: &Ctx,
    dialogue: &BotDialogue,
    target: Target,
    key: SealedKey,
    note: Option<Msg>,
) -> BotResult {
    let Some(actor) = manager(ctx, target.workspace) else {
        dialogue.exit().await?;
        return Err(BotError::User(msg("no-permission")));
    };
    let market = key.marketplace;
    let creds = out.svc.cabinets().open_draft(out.chat.0, &key.sealed)?;
    let check = out
        .svc
        .cabinets()
        .check_key(actor.workspace, market, &creds)
        .await?;
    let market_name = out.t(&names::marketplace(market));
    let refusal = match check {
        KeyCheck::Ok(verified) => {
            let key = CheckedKey { key, verified };
            if market != Marketplace::YandexMarket {
                let account = Account { key, shop: None };
                return account_known(out, actor, dialogue, target, account, note).await;
            }
            // A YM key reaches shops: which one is this cabinet?
            let lead = with_note(out, note.as_ref(), &msg("connect-key-ok"));
            return go(
                out,
                dialogue,
                target,
                Step::AwaitCampaign { key },
                Some(lead),
            )
            .await;
        }
        KeyCheck::Unreachable | KeyCheck::ApiProblem(_) => {
            let m = match check {
                KeyCheck::ApiProblem(status) => msg("connect-api-problem")
                    .arg("marketplace", market_name)
                    .arg("status", status.to_string()),
                _ => msg("connect-unreachable").arg("marketplace", market_name),
            };
            dialogue
                .update(State::Connect(Connect {
                    target,
                    step: Step::AwaitRetry { key },
                }))
                .await?;
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(out, msg("connect-retry-button"), Cb::Retry.data())],
                cancel_row(out),
            ]);
            out.send_text(with_note(out, note.as_ref(), &m), Some(kb))
                .await?;
            return Ok(());
        }
        KeyCheck::Refused(r) => view::refusal(out, market, r),
    };
    // A refused key: nothing is kept; ask again (Ozon: from the Client-Id, since either
    // half of the pair may be wrong).
    let step = credential_step(market);
    dialogue
        .update(State::Connect(Connect {
            target,
            step: step.clone(),
        }))
        .await?;
    ask_again(out, &step, note.as_ref(), &refusal).await
}

/// The account is known (and the YM campaign chosen): replace a key, refuse a second
/// connection of the same account, or go on to the scheme.
pub(super) async fn account_known(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    target: Target,
    mut account: Account,
    note: Option<Msg>,
) -> BotResult {
    if let Some(shop) = &account.shop {
        // A YM cabinet is a business; its campaign is the shop.
        let business = account
            .key
            .verified
            .campaigns
            .iter()
            .find(|c| c.id.to_string() == shop.id)
            .map(|c| c.business_id.to_string());
        account.key.verified = Verified {
            account: business,
            ..account.key.verified.clone()
        };
    }
    let market = account.marketplace();
    let id = account.key.verified.account.clone();
    let shop = account.shop.clone();
    if let Some(replace) = target.replace {
        return replace_key(out, actor, dialogue, CabinetId(replace), &account, note).await;
    }
    let existing = out
        .svc
        .cabinets()
        .connected_as(
            actor,
            market,
            id.as_deref(),
            shop.as_ref().map(|s| s.id.as_str()),
        )
        .await?;
    if let Some(existing) = existing {
        dialogue.exit().await?;
        let m = msg("connect-duplicate").arg("name", existing.name);
        out.send_text(with_note(out, note.as_ref(), &m), None)
            .await?;
        return Ok(());
    }
    let lead = match &account.shop {
        Some(_) => None,
        None => Some(with_note(out, note.as_ref(), &msg("connect-key-ok"))),
    };
    go(out, dialogue, target, Step::AwaitScheme { account }, lead).await
}

/// A checked key replaces a cabinet's, when it is the same account (and shop).
async fn replace_key(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    cabinet: CabinetId,
    account: &Account,
    note: Option<Msg>,
) -> BotResult {
    let c = match out.svc.cabinets().cabinet(actor, cabinet).await {
        Err(AppError::NotFound) => {
            dialogue.exit().await?;
            return Err(BotError::User(msg("cabinet-not-found")));
        }
        other => other?,
    };
    let verified = &account.key.verified;
    let same_account = match (&c.account, &verified.account) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let same_shop = match (&c.shop, &account.shop) {
        (Some(a), Some(b)) => *a == b.id,
        _ => true,
    };
    dialogue.exit().await?;
    if !same_account || !same_shop {
        let m = msg("connect-replace-other-account").arg("name", c.name.clone());
        out.send_text(with_note(out, note.as_ref(), &m), None)
            .await?;
        return Ok(());
    }
    let creds = out
        .svc
        .cabinets()
        .open_draft(out.chat.0, &account.key.key.sealed)?;
    let shop = account
        .shop
        .as_ref()
        .map(|s| (s.id.as_str(), s.name.as_str()));
    out.svc
        .cabinets()
        .replace_credentials(actor, cabinet, &creds, verified, shop)
        .await?;
    let m = msg("cabinet-key-replaced").arg("name", c.name);
    out.send_text(with_note(out, note.as_ref(), &m), None)
        .await?;
    Ok(())
}
