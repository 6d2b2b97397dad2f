//! The connect dialogue: the marketplace, its credentials checked live (Ozon: Client-Id,
//! then Api-Key), a YM campaign, the scheme, a name, main or not, then Save; the same
//! dialogue replaces a cabinet's key. A message holding a key is deleted as soon as it is
//! read, and the dialogue keeps credentials only sealed.

mod key;
mod view;

use teloxide::prelude::*;
use teloxide::types::MessageId;

use self::key::{account_known, check, manager};
use self::view::{ask, ask_again, go, market_keyboard, name_keyboard, suggested_name, with_note};
use super::naming;
use crate::app::cabinets::NewConnection;
use crate::app::{Actor, AppError, Services};
use crate::bot::codec;
use crate::bot::context::Ctx;
use crate::bot::error::{BotError, BotResult, HandlerResult, Notice, Press};
use crate::bot::out::{Out, guarded};
use crate::bot::state::connect::{
    Account, Connect, SealedKey, Shop, Step, Target, credential_step,
};
use crate::bot::state::{BotDialogue, State};
use crate::domain::cabinet::{KeyInputError, clean_client_id, clean_key, looks_like_key};
use crate::domain::{CabinetId, Credentials, Marketplace, SchemeChoice};
use crate::i18n::{Msg, msg};

/// The buttons of the connect dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Market(Marketplace),
    /// A YM campaign, by its place in the checked key's list.
    Campaign(u8),
    Scheme(SchemeChoice),
    SuggestedName,
    Main(bool),
    Save,
    Retry,
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Market(m) => format!("k:m:{}", m.code()),
            Cb::Campaign(i) => format!("k:c:{i}"),
            Cb::Scheme(s) => format!("k:s:{}", s.code()),
            Cb::SuggestedName => "k:n".to_owned(),
            Cb::Main(b) => format!("k:mn:{}", codec::bit(b)),
            Cb::Save => "k:save".to_owned(),
            Cb::Retry => "k:retry".to_owned(),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["k", "m", m] => m.parse().ok().map(Cb::Market),
            ["k", "c", i] => i.parse().ok().map(Cb::Campaign),
            ["k", "s", s] => s.parse().ok().map(Cb::Scheme),
            ["k", "n"] => Some(Cb::SuggestedName),
            ["k", "mn", b] => codec::flag(b).map(Cb::Main),
            ["k", "save"] => Some(Cb::Save),
            ["k", "retry"] => Some(Cb::Retry),
            _ => None,
        }
    }
}

/// "Add a cabinet": the marketplace comes first.
pub async fn start(out: &Out, actor: Actor, message: MessageId, dialogue: &BotDialogue) -> Press {
    out.drop_buttons(message).await;
    let target = Target {
        workspace: actor.workspace.0,
        replace: None,
    };
    dialogue
        .update(State::Connect(Connect {
            target,
            step: Step::AwaitMarketplace,
        }))
        .await?;
    out.send_text(
        out.t(&msg("connect-choose-market")),
        Some(market_keyboard(out)),
    )
    .await?;
    Ok(Notice::None)
}

/// "Replace the key" of a cabinet: its marketplace's credentials are asked for.
pub async fn start_replace(
    out: &Out,
    actor: Actor,
    message: MessageId,
    dialogue: &BotDialogue,
    cabinet: CabinetId,
) -> Press {
    let c = match out.svc.cabinets().cabinet(actor, cabinet).await {
        Err(AppError::NotFound) => return Ok(Notice::Alert(msg("cabinet-not-found"))),
        other => other?,
    };
    out.drop_buttons(message).await;
    let target = Target {
        workspace: actor.workspace.0,
        replace: Some(cabinet.0),
    };
    let step = credential_step(c.marketplace);
    let (text, kb) = ask(out, &step);
    dialogue
        .update(State::Connect(Connect { target, step }))
        .await?;
    let lead = out.t(&msg("cabinet-replace-intro").arg("name", c.name));
    out.send_text(format!("{lead}\n\n{text}"), Some(kb)).await?;
    Ok(Notice::None)
}

/// The connect dialogue the chat is in, if any.
async fn current(dialogue: &BotDialogue) -> BotResult<Option<Connect>> {
    Ok(match dialogue.get().await? {
        Some(State::Connect(c)) => Some(c),
        _ => None,
    })
}

fn stale() -> Press {
    Ok(Notice::Alert(msg("button-stale")))
}

/// A button of the connect dialogue: it counts only at the step that showed it.
pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    actor: Actor,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let Some(Connect { target, step }) = current(dialogue).await? else {
        return match cb {
            Cb::Save => Ok(Notice::Toast(msg("connect-nothing-to-save"))),
            _ => stale(),
        };
    };
    match (cb, step) {
        (Cb::Market(m), Step::AwaitMarketplace) => {
            out.drop_buttons(message).await;
            let step = credential_step(m);
            let (text, kb) = ask(out, &step);
            dialogue
                .update(State::Connect(Connect { target, step }))
                .await?;
            out.send_text(text, Some(kb)).await?;
        }
        (Cb::Retry, Step::AwaitRetry { key }) => {
            out.drop_buttons(message).await;
            check(out, ctx, dialogue, target, key, None).await?;
        }
        (Cb::Campaign(i), Step::AwaitCampaign { key }) => {
            let Some(c) = key.verified.campaigns.get(usize::from(i)).cloned() else {
                return stale();
            };
            out.drop_buttons(message).await;
            let shop = Shop {
                id: c.id.to_string(),
                name: c.domain.clone(),
            };
            let account = Account {
                key,
                shop: Some(shop),
            };
            account_known(out, actor, dialogue, target, account, None).await?;
        }
        (Cb::Scheme(scheme), Step::AwaitScheme { account }) => {
            out.drop_buttons(message).await;
            go(
                out,
                dialogue,
                target,
                Step::AwaitName { account, scheme },
                None,
            )
            .await?;
        }
        (Cb::SuggestedName, Step::AwaitName { account, scheme }) => {
            let name = suggested_name(out, &account);
            if naming::taken(out, actor, &name, None).await? {
                return Ok(Notice::Alert(msg("connect-name-taken").arg("name", name)));
            }
            out.drop_buttons(message).await;
            after_name(out, actor, dialogue, target, account, scheme, name).await?;
        }
        (
            Cb::Main(main),
            Step::AwaitMain {
                account,
                scheme,
                name,
            },
        ) => {
            out.drop_buttons(message).await;
            let step = Step::AwaitConfirm {
                account,
                scheme,
                name,
                main,
            };
            go(out, dialogue, target, step, None).await?;
        }
        (
            Cb::Save,
            Step::AwaitConfirm {
                account,
                scheme,
                name,
                main,
            },
        ) => {
            return save(
                out, actor, message, dialogue, target, account, scheme, name, main,
            )
            .await;
        }
        (Cb::Save, _) => return Ok(Notice::Toast(msg("connect-nothing-to-save"))),
        (
            Cb::Market(_)
            | Cb::Retry
            | Cb::Campaign(_)
            | Cb::Scheme(_)
            | Cb::SuggestedName
            | Cb::Main(_),
            _,
        ) => return stale(),
    }
    Ok(Notice::None)
}

/// Saves the cabinet the dialogue collected.
#[allow(clippy::too_many_arguments)]
async fn save(
    out: &Out,
    actor: Actor,
    message: MessageId,
    dialogue: &BotDialogue,
    target: Target,
    account: Account,
    scheme: SchemeChoice,
    name: String,
    main: bool,
) -> Press {
    if target.workspace != actor.workspace.0 {
        dialogue.exit().await?;
        return Ok(Notice::Alert(msg("no-permission")));
    }
    let creds = out
        .svc
        .cabinets()
        .open_draft(out.chat.0, &account.key.key.sealed)
        .map_err(BotError::from)?;
    let verified = &account.key.verified;
    let c = NewConnection {
        marketplace: account.marketplace(),
        name: &name,
        scheme,
        main,
        account: verified.account.as_deref(),
        shop: account
            .shop
            .as_ref()
            .map(|s| (s.id.as_str(), s.name.as_str())),
        credentials: &creds,
        expires_at: verified.expires_at,
    };
    let saved = out.svc.cabinets().add_cabinet(actor, &c).await;
    dialogue.exit().await?;
    let text = match saved {
        Ok(_) => msg("cabinet-saved").arg("name", name),
        Err(AppError::Duplicate(existing)) => msg("connect-duplicate").arg("name", existing),
        Err(e) => return Err(e.into()),
    };
    out.edit(message, out.t(&text), None).await?;
    Ok(Notice::None)
}

/// After the name: ask about "main" when the marketplace has other cabinets.
async fn after_name(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    target: Target,
    account: Account,
    scheme: SchemeChoice,
    name: String,
) -> BotResult {
    let market = account.marketplace();
    let others = out
        .svc
        .cabinets()
        .list(actor)
        .await?
        .iter()
        .any(|c| c.marketplace == market);
    let step = if others {
        Step::AwaitMain {
            account,
            scheme,
            name,
        }
    } else {
        Step::AwaitConfirm {
            account,
            scheme,
            name,
            main: true,
        }
    };
    go(out, dialogue, target, step, None).await
}

/// Deletes a message sent at a step that expects no key when it looks like one; returns
/// the note telling so.
async fn delete_if_key(out: &Out, message: &Message) -> Option<Msg> {
    if !looks_like_key(message.text()?) {
        return None;
    }
    Some(
        out.delete_secret(message.id, msg("connect-key-deleted"))
            .await,
    )
}

/// A message while connecting: the Client-Id, the key, or the cabinet's name.
pub async fn on_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    connect: Connect,
) -> HandlerResult {
    let out = Out::new(bot, svc, message.chat.id, ctx.lang);
    guarded(&out, on_text(&out, &ctx, &message, &dialogue, connect)).await
}

async fn on_text(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    Connect { target, step }: Connect,
) -> BotResult {
    let Some(actor) = manager(ctx, target.workspace) else {
        // Whatever was sent may hold a key: it does not stay in the chat.
        if matches!(step, Step::AwaitKey { .. }) {
            out.delete_secret(message.id, msg("connect-key-deleted"))
                .await;
        }
        dialogue.exit().await?;
        return Err(BotError::User(msg("no-permission")));
    };
    match step {
        Step::AwaitClientId => {
            let Some(id) = message.text().and_then(clean_client_id) else {
                let note = delete_if_key(out, message).await;
                let m = msg("connect-client-id-invalid");
                return ask_again(out, &Step::AwaitClientId, note.as_ref(), &m).await;
            };
            let step = Step::AwaitKey {
                marketplace: Marketplace::Ozon,
                client_id: Some(id),
            };
            let (text, kb) = ask(out, &step);
            dialogue
                .update(State::Connect(Connect { target, step }))
                .await?;
            out.send_text(text, Some(kb)).await?;
            Ok(())
        }
        Step::AwaitKey {
            marketplace,
            client_id,
        } => {
            // Whatever was sent here may hold a key: delete it before anything else.
            let note = out
                .delete_secret(message.id, msg("connect-key-deleted"))
                .await;
            let step = Step::AwaitKey {
                marketplace,
                client_id: client_id.clone(),
            };
            let Some(text) = message.text() else {
                let m = msg("connect-key-need-text");
                return ask_again(out, &step, Some(&note), &m).await;
            };
            let key = match clean_key(text) {
                Ok(k) => k,
                Err(e) => {
                    let m = match e {
                        KeyInputError::Empty => msg("connect-key-empty"),
                        KeyInputError::TooShort => msg("connect-key-too-short"),
                        KeyInputError::TooLong => msg("connect-key-too-long"),
                        KeyInputError::BadCharacters => msg("connect-key-bad-characters"),
                    };
                    return ask_again(out, &step, Some(&note), &m).await;
                }
            };
            let creds = Credentials { client_id, key };
            let sealed = out.svc.cabinets().seal_draft(out.chat.0, &creds)?;
            let key = SealedKey {
                marketplace,
                sealed,
            };
            check(out, ctx, dialogue, target, key, Some(note)).await
        }
        Step::AwaitName { account, scheme } => {
            let kb = name_keyboard(out, &account);
            let Some(name) = naming::read(out, actor, message, None, kb).await? else {
                return Ok(());
            };
            after_name(out, actor, dialogue, target, account, scheme, name).await
        }
        Step::AwaitMarketplace
        | Step::AwaitRetry { .. }
        | Step::AwaitCampaign { .. }
        | Step::AwaitScheme { .. }
        | Step::AwaitMain { .. }
        | Step::AwaitConfirm { .. } => {
            let note = delete_if_key(out, message).await;
            let m = msg("connect-use-buttons");
            out.send_text(with_note(out, note.as_ref(), &m), None)
                .await?;
            Ok(())
        }
    }
}
