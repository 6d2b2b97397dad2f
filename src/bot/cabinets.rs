//! `/cabinets` (F1): the list with a health line per cabinet, the connect dialogue (the
//! marketplace, its credentials checked live, a YM campaign, the scheme, a name, main or
//! not, then Save), and each cabinet's card: rename, enable or disable, make main,
//! replace the key, delete. Messages holding a key are deleted as soon as they are read;
//! the dialogue keeps credentials only sealed.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::context::Ctx;
use super::keyboards::{self, button, cancel_row};
use super::out::Out;
use super::{BotDialogue, HandlerError, State};
use crate::app::cabinets::{Connect, DeleteMode, KeyCheck, Verified, draft_context};
use crate::app::{Actor, AppError, Services};
use crate::domain::Cabinet;
use crate::domain::alerts::format_local;
use crate::domain::cabinet::{HealthError, KeyInputError, KeyProblem, clean_client_id, clean_key};
use crate::domain::callback::Callback;
use crate::domain::{
    CabinetId, Credentials, Marketplace, Permission, SchemeChoice, WorkspaceName,
    WorkspaceNameError,
};
use crate::i18n::{Msg, msg};

/// How early the health line warns that a key expires.
const KEY_WARNING_SECS: i64 = 14 * 86_400;

/// Where the connect dialogue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    AwaitMarketplace,
    AwaitClientId,
    AwaitKey,
    /// The marketplace did not answer; waiting for "Try again".
    AwaitRetry,
    AwaitCampaign,
    AwaitScheme,
    AwaitName,
    AwaitMain,
    AwaitConfirm,
}

/// The connect dialogue's state. Credentials are held sealed, never in the clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub workspace: i64,
    /// The cabinet whose key is being replaced; `None` when connecting a new one.
    #[serde(default)]
    pub replace: Option<i64>,
    pub step: Step,
    #[serde(default)]
    pub marketplace: Option<Marketplace>,
    #[serde(default)]
    pub client_id: Option<String>,
    /// `Credentials` sealed under the chat's draft context.
    #[serde(default)]
    pub sealed: Option<String>,
    #[serde(default)]
    pub verified: Option<Verified>,
    /// The chosen YM campaign: id and shop name.
    #[serde(default)]
    pub campaign: Option<(String, String)>,
    #[serde(default)]
    pub scheme: Option<SchemeChoice>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub main: Option<bool>,
}

/// The first credential a marketplace asks for: Ozon's Client-Id, else the key.
fn credential_step(m: Marketplace) -> Step {
    if m == Marketplace::Ozon {
        Step::AwaitClientId
    } else {
        Step::AwaitKey
    }
}

impl Draft {
    fn new(workspace: i64) -> Draft {
        Draft {
            workspace,
            replace: None,
            step: Step::AwaitMarketplace,
            marketplace: None,
            client_id: None,
            sealed: None,
            verified: None,
            campaign: None,
            scheme: None,
            name: None,
            main: None,
        }
    }
}

type Reply = super::PressReply;

pub fn marketplace_name(m: Marketplace) -> Msg {
    msg(match m {
        Marketplace::Ozon => "marketplace-ozon",
        Marketplace::Wildberries => "marketplace-wb",
        Marketplace::YandexMarket => "marketplace-ym",
    })
}

pub fn scheme_name(s: SchemeChoice) -> Msg {
    msg(match s {
        SchemeChoice::Fbs => "scheme-fbs",
        SchemeChoice::Fbo => "scheme-fbo",
        SchemeChoice::Both => "scheme-both",
    })
}

fn key_problem(p: KeyProblem) -> Msg {
    msg(match p {
        KeyProblem::Wrong => "cabinet-error-key-wrong",
        KeyProblem::Refused => "cabinet-error-key-refused",
        KeyProblem::Scopes => "cabinet-error-key-scopes",
        KeyProblem::ReadOnly => "cabinet-error-key-read-only",
        KeyProblem::Roles => "cabinet-error-key-roles",
        KeyProblem::NoCampaigns => "cabinet-error-key-no-campaigns",
        KeyProblem::Unreadable => "cabinet-error-key-unreadable",
    })
}

fn yes_no(b: bool) -> Msg {
    msg(if b { "word-yes" } else { "word-no" })
}

/// The actor when they still may manage cabinets of `workspace`.
fn manager(ctx: &Ctx, workspace: i64) -> Option<Actor> {
    ctx.actor()
        .filter(|a| a.workspace.0 == workspace && a.role.can(Permission::ManageCabinets))
}

/// The actor's workspace time zone, for showing times.
pub(super) async fn time_zone(out: &Out, actor: Actor) -> Result<String, HandlerError> {
    Ok(
        crate::storage::workspaces::get(&out.svc.db, actor.workspace)
            .await?
            .map(|w| w.time_zone)
            .unwrap_or_default(),
    )
}

/// One cabinet's health: state, last sync, last error, key expiry.
fn health(out: &Out, c: &Cabinet, tz: &str) -> String {
    let mut lines = Vec::new();
    let state = if !c.enabled {
        msg("cabinet-state-disabled")
    } else if c.last_error.is_some() {
        msg("cabinet-state-error")
    } else {
        msg("cabinet-state-ok")
    };
    let main = if c.is_main {
        format!(" · {}", out.t(&msg("cabinet-main-mark")))
    } else {
        String::new()
    };
    let scheme = match c.scheme {
        SchemeChoice::Fbs => "FBS",
        SchemeChoice::Fbo => "FBO",
        SchemeChoice::Both => "FBS+FBO",
    };
    lines.push(
        out.t(&msg("cabinet-line")
            .arg("state", out.t(&state))
            .arg("marketplace", out.t(&marketplace_name(c.marketplace)))
            .arg("name", c.name.clone())
            .arg("scheme", scheme)
            .arg("main", main)),
    );
    let sync = match c.last_sync_at {
        Some(t) => msg("cabinet-synced").arg("time", format_local(t, tz)),
        None => msg("cabinet-never-synced"),
    };
    lines.push(format!("   {}", out.t(&sync)));
    if let (Some(e), Some(at)) = (&c.last_error, c.last_error_at) {
        let text = match HealthError::parse(e) {
            HealthError::Key(p) => out.t(&key_problem(p)),
            HealthError::Api { status } => {
                out.t(&msg("cabinet-error-api").arg("status", status.to_string()))
            }
            HealthError::Other(s) => s,
        };
        let err = msg("cabinet-last-error")
            .arg("time", format_local(at, tz))
            .arg("error", text);
        lines.push(format!("   {}", out.t(&err)));
    }
    if let Some(exp) = c.key_expires_at {
        let left = exp - out.svc.clock.unix();
        let m = if left <= 0 {
            msg("cabinet-key-expired").arg("date", format_local(exp, tz))
        } else if left < KEY_WARNING_SECS {
            msg("cabinet-key-expires-soon")
                .arg("date", format_local(exp, tz))
                .arg("days", left.div_euclid(86_400) + 1)
        } else {
            msg("cabinet-key-expires").arg("date", format_local(exp, tz))
        };
        lines.push(format!("   {}", out.t(&m)));
    }
    lines.join("\n")
}

/// `/cabinets`, or the "All cabinets" button (edits `edit` in place).
pub async fn show_list(
    out: &Out,
    actor: Actor,
    edit: Option<MessageId>,
) -> Result<(), HandlerError> {
    let list = out.svc.cabinets(actor).await?;
    let tz = time_zone(out, actor).await?;
    let mut text = if list.is_empty() {
        out.t(&msg("cabinets-empty"))
    } else {
        out.t(&msg("cabinets-title").arg("count", list.len()))
    };
    for c in &list {
        text.push_str("\n\n");
        text.push_str(&health(out, c, &tz));
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = list
        .iter()
        .map(|c| {
            vec![InlineKeyboardButton::callback(
                format!("{} · {}", out.t(&marketplace_name(c.marketplace)), c.name),
                Callback::OpenCabinet(c.id).encode(),
            )]
        })
        .collect();
    if actor.role.can(Permission::ManageCabinets) {
        rows.push(vec![button(
            out,
            msg("cabinets-add-button"),
            Callback::AddCabinet,
        )]);
    } else if list.is_empty() {
        text.push_str("\n\n");
        text.push_str(&out.t(&msg("cabinets-ask-admin")));
    }
    let kb = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    out.show(edit, text, kb).await?;
    Ok(())
}

fn card_keyboard(out: &Out, c: &Cabinet, manage: bool) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    if manage {
        rows.push(vec![
            button(
                out,
                msg("cabinet-rename-button"),
                Callback::RenameCabinet(c.id),
            ),
            if c.enabled {
                button(
                    out,
                    msg("cabinet-disable-button"),
                    Callback::EnableCabinet(c.id, false),
                )
            } else {
                button(
                    out,
                    msg("cabinet-enable-button"),
                    Callback::EnableCabinet(c.id, true),
                )
            },
        ]);
        let mut second = Vec::new();
        if !c.is_main {
            second.push(button(
                out,
                msg("cabinet-main-button"),
                Callback::MainCabinet(c.id),
            ));
        }
        second.push(button(
            out,
            msg("cabinet-key-button"),
            Callback::ReplaceKey(c.id),
        ));
        rows.push(second);
        rows.push(vec![button(
            out,
            msg("cabinet-delete-button"),
            Callback::DeleteCabinet(c.id),
        )]);
    }
    rows.push(vec![button(
        out,
        msg("cabinets-back-button"),
        Callback::Cabinets,
    )]);
    InlineKeyboardMarkup::new(rows)
}

async fn show_card(
    out: &Out,
    actor: Actor,
    c: &Cabinet,
    id: MessageId,
) -> Result<(), HandlerError> {
    let tz = time_zone(out, actor).await?;
    let mut text = health(out, c, &tz);
    let mut details = Vec::new();
    if let Some(a) = &c.account {
        details.push(out.t(&msg("cabinet-account").arg("account", a.clone())));
    }
    if let (Some(shop), Some(name)) = (&c.shop, &c.shop_name) {
        details.push(
            out.t(&msg("cabinet-shop")
                .arg("shop", shop.clone())
                .arg("name", name.clone())),
        );
    }
    details.push(out.t(&msg("cabinet-scheme").arg("scheme", out.t(&scheme_name(c.scheme)))));
    text.push_str("\n\n");
    text.push_str(&details.join("\n"));
    let manage = actor.role.can(Permission::ManageCabinets);
    out.edit(id, text, Some(card_keyboard(out, c, manage)))
        .await?;
    Ok(())
}

/// What the user must send for the current step.
fn ask(out: &Out, draft: &Draft) -> (String, InlineKeyboardMarkup) {
    let m = match (draft.step, draft.marketplace) {
        (Step::AwaitClientId, _) => msg("connect-ask-client-id"),
        (Step::AwaitKey, Some(Marketplace::Ozon)) => msg("connect-ask-key-ozon"),
        (Step::AwaitKey, Some(Marketplace::Wildberries)) => msg("connect-ask-key-wb"),
        (Step::AwaitKey, _) => msg("connect-ask-key-ym"),
        _ => msg("connect-use-buttons"),
    };
    (out.t(&m), keyboards::cancel(out))
}

fn market_keyboard(out: &Out) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Marketplace::ALL
        .into_iter()
        .map(|m| vec![button(out, marketplace_name(m), Callback::ConnectMarket(m))])
        .collect();
    rows.push(cancel_row(out));
    InlineKeyboardMarkup::new(rows)
}

fn suggested_name(out: &Out, draft: &Draft) -> String {
    let verified = draft.verified.clone().unwrap_or_default();
    let market = market_label(out, draft);
    let raw = match (&draft.campaign, &verified.account_name, &verified.account) {
        (Some((_, shop)), _, _) => shop.clone(),
        (None, Some(name), _) => format!("{market} {name}"),
        (None, None, Some(account)) => format!("{market} {account}"),
        _ => market,
    };
    let cut: String = raw.chars().take(WorkspaceName::MAX_CHARS).collect();
    WorkspaceName::parse(&cut)
        .map(|n| n.as_str().to_owned())
        .unwrap_or(cut)
}

/// The suggested name and Cancel.
fn name_keyboard(out: &Out, draft: &Draft) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![
        vec![button(
            out,
            msg("connect-use-name-button").arg("name", suggested_name(out, draft)),
            Callback::ConnectSuggestedName,
        )],
        cancel_row(out),
    ])
}

/// Sends the question of the draft's current step (after a choice or a checked key).
async fn prompt(out: &Out, draft: &Draft, lead: Option<String>) -> Result<(), HandlerError> {
    let (body, kb) = match draft.step {
        Step::AwaitCampaign => {
            let campaigns = draft
                .verified
                .as_ref()
                .map(|v| v.campaigns.clone())
                .unwrap_or_default();
            let mut rows: Vec<Vec<InlineKeyboardButton>> = campaigns
                .iter()
                .enumerate()
                .take(usize::from(u8::MAX))
                .map(|(i, c)| {
                    vec![InlineKeyboardButton::callback(
                        format!("{} · {} ({})", c.domain, c.placement, c.id),
                        Callback::ConnectCampaign(u8::try_from(i).unwrap_or(u8::MAX)).encode(),
                    )]
                })
                .collect();
            rows.push(cancel_row(out));
            (
                out.t(&msg("connect-choose-campaign").arg("count", campaigns.len())),
                InlineKeyboardMarkup::new(rows),
            )
        }
        Step::AwaitScheme => {
            let mut rows: Vec<Vec<InlineKeyboardButton>> = SchemeChoice::ALL
                .into_iter()
                .map(|s| vec![button(out, scheme_name(s), Callback::ConnectScheme(s))])
                .collect();
            rows.push(cancel_row(out));
            (
                out.t(&msg("connect-ask-scheme")),
                InlineKeyboardMarkup::new(rows),
            )
        }
        Step::AwaitName => (
            out.t(&msg("connect-ask-name")
                .arg("name", suggested_name(out, draft))
                .arg("max", WorkspaceName::MAX_CHARS)),
            name_keyboard(out, draft),
        ),
        Step::AwaitMain => {
            let market = market_label(out, draft);
            let rows = vec![
                vec![
                    button(out, msg("connect-main-yes"), Callback::ConnectMain(true)),
                    button(out, msg("connect-main-no"), Callback::ConnectMain(false)),
                ],
                cancel_row(out),
            ];
            (
                out.t(&msg("connect-ask-main").arg("marketplace", market)),
                InlineKeyboardMarkup::new(rows),
            )
        }
        Step::AwaitConfirm => {
            let market = market_label(out, draft);
            let verified = draft.verified.clone().unwrap_or_default();
            let account = match &draft.campaign {
                Some((id, shop)) => {
                    format!("{} · {shop} ({id})", verified.account.unwrap_or_default())
                }
                None => verified.account.unwrap_or_default(),
            };
            let text = msg("connect-summary")
                .arg("marketplace", market)
                .arg("name", draft.name.clone().unwrap_or_default())
                .arg("account", account)
                .arg(
                    "scheme",
                    out.t(&scheme_name(draft.scheme.unwrap_or(SchemeChoice::Fbs))),
                )
                .arg("main", out.t(&yes_no(draft.main.unwrap_or(true))));
            let rows = vec![
                vec![button(
                    out,
                    msg("connect-save-button"),
                    Callback::ConnectSave,
                )],
                cancel_row(out),
            ];
            (out.t(&text), InlineKeyboardMarkup::new(rows))
        }
        _ => ask(out, draft),
    };
    let text = match lead {
        Some(l) => format!("{l}\n\n{body}"),
        None => body,
    };
    out.send_text(text, Some(kb)).await?;
    Ok(())
}

/// Tells what was wrong (after the note, if any) and asks for the step's input again.
async fn ask_again(
    out: &Out,
    draft: &Draft,
    note: Option<&Msg>,
    problem: &Msg,
) -> Result<(), HandlerError> {
    let (again, kb) = ask(out, draft);
    let text = format!("{}\n\n{again}", with_note(out, note, problem));
    out.send_text(text, Some(kb)).await?;
    Ok(())
}

/// The draft's credentials, opened from their sealed form.
fn draft_credentials(out: &Out, draft: &Draft) -> Result<Credentials, HandlerError> {
    let sealed = draft.sealed.as_deref().unwrap_or_default();
    Ok(out
        .svc
        .vault
        .open_json(sealed, &draft_context(out.chat.0))?)
}

/// The draft's marketplace, localized.
fn market_label(out: &Out, draft: &Draft) -> String {
    draft
        .marketplace
        .map(|m| out.t(&marketplace_name(m)))
        .unwrap_or_default()
}

/// Deletes a message that held (or may hold) a key; the note telling the user so, or
/// asking them to delete it themselves.
pub(super) async fn delete_key_message(out: &Out, id: MessageId, deleted: Msg) -> Msg {
    if out.delete(id).await {
        deleted
    } else {
        msg("connect-key-not-deleted")
    }
}

fn with_note(out: &Out, note: Option<&Msg>, m: &Msg) -> String {
    match note {
        Some(n) => format!("{}\n\n{}", out.t(n), out.t(m)),
        None => out.t(m),
    }
}

/// Names of WB token categories, localized.
fn scope_list(out: &Out, scopes: &[String]) -> String {
    scopes
        .iter()
        .map(|s| {
            let id = match s.as_str() {
                "content" => "wb-scope-content",
                "prices" => "wb-scope-prices",
                "marketplace" => "wb-scope-marketplace",
                "statistics" => "wb-scope-statistics",
                _ => return s.clone(),
            };
            out.t(&msg(id))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the draft's sealed credentials live and moves the dialogue on.
async fn verify_and_continue(
    out: &Out,
    ctx: &Ctx,
    dialogue: &BotDialogue,
    mut draft: Draft,
    note: Option<Msg>,
) -> Result<(), HandlerError> {
    let Some(actor) = manager(ctx, draft.workspace) else {
        dialogue.exit().await?;
        out.say(msg("no-permission")).await?;
        return Ok(());
    };
    let Some(market) = draft.marketplace.filter(|_| draft.sealed.is_some()) else {
        dialogue.exit().await?;
        out.say(msg("cancel-done")).await?;
        return Ok(());
    };
    let creds = draft_credentials(out, &draft)?;
    let check = out.svc.check_key(actor.workspace, market, &creds).await?;
    let retry_kb = |out: &Out| {
        InlineKeyboardMarkup::new(vec![
            vec![button(
                out,
                msg("connect-retry-button"),
                Callback::ConnectRetry,
            )],
            cancel_row(out),
        ])
    };
    let refusal = match check {
        KeyCheck::Ok(v) => {
            draft.verified = Some(v);
            if market != Marketplace::YandexMarket {
                return account_known(out, actor, dialogue, draft, note).await;
            }
            // A YM key reaches shops: which one is this cabinet?
            draft.step = Step::AwaitCampaign;
            dialogue.update(State::Connect(draft.clone())).await?;
            let lead = with_note(out, note.as_ref(), &msg("connect-key-ok"));
            return prompt(out, &draft, Some(lead)).await;
        }
        KeyCheck::Unreachable | KeyCheck::ApiProblem(_) => {
            draft.step = Step::AwaitRetry;
            dialogue.update(State::Connect(draft)).await?;
            let name = out.t(&marketplace_name(market));
            let m = match check {
                KeyCheck::ApiProblem(status) => msg("connect-api-problem")
                    .arg("marketplace", name)
                    .arg("status", status.to_string()),
                _ => msg("connect-unreachable").arg("marketplace", name),
            };
            out.send_text(with_note(out, note.as_ref(), &m), Some(retry_kb(out)))
                .await?;
            return Ok(());
        }
        KeyCheck::Wrong => match market {
            Marketplace::Ozon => msg("connect-wrong-ozon"),
            Marketplace::Wildberries => msg("connect-wrong-wb"),
            Marketplace::YandexMarket => msg("connect-wrong-ym"),
        },
        KeyCheck::Refused => msg("connect-refused"),
        KeyCheck::MissingScopes(s) => msg("connect-wb-scopes").arg("missing", scope_list(out, &s)),
        KeyCheck::ReadOnly => msg("connect-wb-read-only"),
        KeyCheck::MissingMethods(m) => msg("connect-ozon-roles").arg("count", m.len()).arg(
            "methods",
            m.into_iter().take(5).collect::<Vec<_>>().join(", "),
        ),
        KeyCheck::NoCampaigns => msg("connect-ym-no-campaigns"),
    };
    // A refused key: nothing is kept; ask again (Ozon: from the Client-Id, since either
    // half of the pair may be wrong).
    draft.sealed = None;
    draft.step = credential_step(market);
    dialogue.update(State::Connect(draft.clone())).await?;
    ask_again(out, &draft, note.as_ref(), &refusal).await
}

/// The account is known (and the YM campaign chosen): replace a key, refuse a second
/// connection of the same account, or go on to the scheme.
async fn account_known(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    mut draft: Draft,
    note: Option<Msg>,
) -> Result<(), HandlerError> {
    let market = draft.marketplace.unwrap_or(Marketplace::Ozon);
    let verified = draft.verified.clone().unwrap_or_default();
    let mut account = verified.account.clone();
    if let Some((shop, _)) = &draft.campaign {
        // A YM cabinet is a business; its campaign is the shop.
        account = verified
            .campaigns
            .iter()
            .find(|c| c.id.to_string() == *shop)
            .map(|c| c.business_id.to_string());
        draft.verified = Some(Verified {
            account: account.clone(),
            ..verified.clone()
        });
    }
    let shop = draft.campaign.clone();
    if let Some(id) = draft.replace {
        let cabinet = match out.svc.cabinet(actor, CabinetId(id)).await {
            Ok(c) => c,
            Err(AppError::NotFound) => {
                dialogue.exit().await?;
                out.say(msg("cabinet-not-found")).await?;
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        let same_account = match (&cabinet.account, &account) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let same_shop = match (&cabinet.shop, &shop) {
            (Some(a), Some((b, _))) => a == b,
            _ => true,
        };
        if !same_account || !same_shop {
            dialogue.exit().await?;
            let m = msg("connect-replace-other-account").arg("name", cabinet.name.clone());
            out.send_text(with_note(out, note.as_ref(), &m), None)
                .await?;
            return Ok(());
        }
        let creds = draft_credentials(out, &draft)?;
        let verified = draft.verified.clone().unwrap_or_default();
        out.svc
            .replace_credentials(
                actor,
                CabinetId(id),
                &creds,
                &verified,
                shop.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            )
            .await?;
        dialogue.exit().await?;
        let m = msg("cabinet-key-replaced").arg("name", cabinet.name);
        out.send_text(with_note(out, note.as_ref(), &m), None)
            .await?;
        return Ok(());
    }
    if let Some(existing) = out
        .svc
        .connected_as(
            actor,
            market,
            account.as_deref(),
            shop.as_ref().map(|s| s.0.as_str()),
        )
        .await?
    {
        dialogue.exit().await?;
        let m = msg("connect-duplicate").arg("name", existing.name);
        out.send_text(with_note(out, note.as_ref(), &m), None)
            .await?;
        return Ok(());
    }
    draft.step = Step::AwaitScheme;
    dialogue.update(State::Connect(draft.clone())).await?;
    let lead = if draft.campaign.is_some() {
        None
    } else {
        Some(with_note(out, note.as_ref(), &msg("connect-key-ok")))
    };
    prompt(out, &draft, lead).await
}

/// After the name: ask about "main" when the marketplace has other cabinets.
async fn after_name(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    mut draft: Draft,
) -> Result<(), HandlerError> {
    let market = draft.marketplace.unwrap_or(Marketplace::Ozon);
    let others = out
        .svc
        .cabinets(actor)
        .await?
        .iter()
        .any(|c| c.marketplace == market);
    if others {
        draft.step = Step::AwaitMain;
    } else {
        draft.main = Some(true);
        draft.step = Step::AwaitConfirm;
    }
    dialogue.update(State::Connect(draft.clone())).await?;
    prompt(out, &draft, None).await
}

/// A message while connecting: the Client-Id, the key, or the cabinet's name.
pub async fn connect_message(
    bot: Bot,
    svc: Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    draft: Draft,
) -> super::HandlerResult {
    let out = Out::new(bot, svc, message.chat.id, ctx.lang);
    super::handlers::guarded(&out, async {
        let Some(actor) = manager(&ctx, draft.workspace) else {
            dialogue.exit().await?;
            out.say(msg("no-permission")).await?;
            return Ok(());
        };
        let mut draft = draft;
        match draft.step {
            Step::AwaitClientId => {
                let Some(id) = message.text().and_then(clean_client_id) else {
                    let note = delete_if_key(&out, &message).await;
                    let m = msg("connect-client-id-invalid");
                    return ask_again(&out, &draft, note.as_ref(), &m).await;
                };
                draft.client_id = Some(id);
                draft.step = Step::AwaitKey;
                dialogue.update(State::Connect(draft.clone())).await?;
                let (text, kb) = ask(&out, &draft);
                out.send_text(text, Some(kb)).await?;
            }
            Step::AwaitKey => {
                // Whatever was sent here may hold a key: delete it before anything else.
                let note = delete_key_message(&out, message.id, msg("connect-key-deleted")).await;
                let Some(text) = message.text() else {
                    let m = msg("connect-key-need-text");
                    return ask_again(&out, &draft, Some(&note), &m).await;
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
                        return ask_again(&out, &draft, Some(&note), &m).await;
                    }
                };
                let creds = Credentials {
                    client_id: draft.client_id.clone(),
                    key,
                };
                draft.sealed = Some(
                    out.svc
                        .vault
                        .seal_json(&creds, &draft_context(out.chat.0))?,
                );
                verify_and_continue(&out, &ctx, &dialogue, draft, Some(note)).await?;
            }
            Step::AwaitName => {
                let kb = name_keyboard(&out, &draft);
                let Some(name) = read_name(&out, actor, &message, None, kb).await? else {
                    return Ok(());
                };
                draft.name = Some(name);
                after_name(&out, actor, &dialogue, draft).await?;
            }
            _ => {
                let note = delete_if_key(&out, &message).await;
                let m = msg("connect-use-buttons");
                out.send_text(with_note(&out, note.as_ref(), &m), None)
                    .await?;
            }
        }
        Ok(())
    })
    .await
}

/// Deletes a message sent at a step that expects no key when it looks like one (a long
/// single token of letters and digits); returns the note telling so.
async fn delete_if_key(out: &Out, message: &Message) -> Option<Msg> {
    if !looks_like_key(message.text()?) {
        return None;
    }
    Some(delete_key_message(out, message.id, msg("connect-key-deleted")).await)
}

/// Whether pasted text is probably a key rather than a name or a number.
pub fn looks_like_key(text: &str) -> bool {
    // Words separated by spaces are a sentence; a key may only be wrapped across lines.
    // ...and a link is a link.
    if text.trim().contains([' ', '\t']) || text.contains("://") {
        return false;
    }
    let Ok(k) = clean_key(text) else {
        return false;
    };
    k.len() >= 20
        && k.bytes().any(|b| b.is_ascii_digit())
        && k.bytes().any(|b| b.is_ascii_alphabetic())
}

/// A cabinet name from a message: one line, not too long, not another cabinet's. When it
/// is not, says why (with `kb` under the answer) and returns `None`.
async fn read_name(
    out: &Out,
    actor: Actor,
    message: &Message,
    except: Option<CabinetId>,
    kb: InlineKeyboardMarkup,
) -> Result<Option<String>, HandlerError> {
    let problem = match message.text().map(WorkspaceName::parse) {
        None => msg("connect-name-need-text"),
        Some(Err(e)) => name_error(e),
        Some(Ok(n)) => {
            let name = n.as_str().to_owned();
            if !name_taken(out, actor, &name, except).await? {
                return Ok(Some(name));
            }
            msg("connect-name-taken").arg("name", name)
        }
    };
    out.send_text(out.t(&problem), Some(kb)).await?;
    Ok(None)
}

fn name_error(e: WorkspaceNameError) -> Msg {
    match e {
        WorkspaceNameError::Empty => msg("cabinet-name-empty"),
        WorkspaceNameError::TooLong => {
            msg("cabinet-name-too-long").arg("max", WorkspaceName::MAX_CHARS)
        }
        WorkspaceNameError::MultiLine => msg("cabinet-name-one-line"),
    }
}

async fn name_taken(
    out: &Out,
    actor: Actor,
    name: &str,
    except: Option<CabinetId>,
) -> Result<bool, HandlerError> {
    Ok(out
        .svc
        .cabinets(actor)
        .await?
        .iter()
        .any(|c| Some(c.id) != except && c.name.to_lowercase() == name.to_lowercase()))
}

/// A message while renaming a cabinet.
pub async fn rename_message(
    bot: Bot,
    svc: Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, cabinet): (i64, i64),
) -> super::HandlerResult {
    let out = Out::new(bot, svc, message.chat.id, ctx.lang);
    super::handlers::guarded(&out, async {
        let Some(actor) = manager(&ctx, workspace) else {
            dialogue.exit().await?;
            out.say(msg("no-permission")).await?;
            return Ok(());
        };
        let id = CabinetId(cabinet);
        let kb = keyboards::cancel(&out);
        let Some(name) = read_name(&out, actor, &message, Some(id), kb).await? else {
            return Ok(());
        };
        match out.svc.rename_cabinet(actor, id, &name).await {
            Err(AppError::NotFound) => {
                dialogue.exit().await?;
                out.say(msg("cabinet-not-found")).await?;
                return Ok(());
            }
            other => other?,
        }
        dialogue.exit().await?;
        out.say(msg("cabinet-renamed").arg("name", name)).await?;
        Ok(())
    })
    .await
}

/// The connect draft, if the chat is at `step` of it.
async fn draft_at(dialogue: &BotDialogue, steps: &[Step]) -> Result<Option<Draft>, HandlerError> {
    Ok(match dialogue.get().await? {
        Some(State::Connect(d)) if steps.contains(&d.step) => Some(d),
        _ => None,
    })
}

fn stale() -> (Option<Msg>, bool) {
    (Some(msg("button-stale")), true)
}

fn refused(e: AppError) -> Reply {
    super::refusal(e, "cabinet-not-found")
}

/// Button presses of `/cabinets` and the connect dialogue.
pub async fn on_callback(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    cb: Callback,
) -> Reply {
    let Some(actor) = ctx.actor() else {
        return Ok((Some(msg("no-permission")), true));
    };
    let manage = actor.role.can(Permission::ManageCabinets);
    match cb {
        Callback::Cabinets => {
            show_list(out, actor, Some(message.id)).await?;
            Ok((None, false))
        }
        Callback::OpenCabinet(id) => match out.svc.cabinet(actor, id).await {
            Ok(c) => {
                show_card(out, actor, &c, message.id).await?;
                Ok((None, false))
            }
            Err(e) => refused(e),
        },
        _ if !manage => Ok((Some(msg("no-permission")), true)),
        _ if !ctx.private => Ok((Some(msg("cabinets-private-only")), true)),
        Callback::AddCabinet => {
            out.drop_buttons(message.id).await;
            dialogue
                .update(State::Connect(Draft::new(actor.workspace.0)))
                .await?;
            out.send_text(
                out.t(&msg("connect-choose-market")),
                Some(market_keyboard(out)),
            )
            .await?;
            Ok((None, false))
        }
        Callback::ConnectMarket(m) => {
            let Some(mut draft) = draft_at(dialogue, &[Step::AwaitMarketplace]).await? else {
                return Ok(stale());
            };
            out.drop_buttons(message.id).await;
            draft.marketplace = Some(m);
            draft.step = credential_step(m);
            dialogue.update(State::Connect(draft.clone())).await?;
            let (text, kb) = ask(out, &draft);
            out.send_text(text, Some(kb)).await?;
            Ok((None, false))
        }
        Callback::ConnectRetry => {
            let Some(draft) = draft_at(dialogue, &[Step::AwaitRetry]).await? else {
                return Ok(stale());
            };
            out.drop_buttons(message.id).await;
            verify_and_continue(out, ctx, dialogue, draft, None).await?;
            Ok((None, false))
        }
        Callback::ConnectCampaign(i) => {
            let Some(mut draft) = draft_at(dialogue, &[Step::AwaitCampaign]).await? else {
                return Ok(stale());
            };
            let chosen = draft
                .verified
                .as_ref()
                .and_then(|v| v.campaigns.get(usize::from(i)).cloned());
            let Some(c) = chosen else {
                return Ok(stale());
            };
            out.drop_buttons(message.id).await;
            draft.campaign = Some((c.id.to_string(), c.domain.clone()));
            account_known(out, actor, dialogue, draft, None).await?;
            Ok((None, false))
        }
        Callback::ConnectScheme(s) => {
            let Some(mut draft) = draft_at(dialogue, &[Step::AwaitScheme]).await? else {
                return Ok(stale());
            };
            out.drop_buttons(message.id).await;
            draft.scheme = Some(s);
            draft.step = Step::AwaitName;
            dialogue.update(State::Connect(draft.clone())).await?;
            prompt(out, &draft, None).await?;
            Ok((None, false))
        }
        Callback::ConnectSuggestedName => {
            let Some(mut draft) = draft_at(dialogue, &[Step::AwaitName]).await? else {
                return Ok(stale());
            };
            let name = suggested_name(out, &draft);
            if name_taken(out, actor, &name, None).await? {
                return Ok((Some(msg("connect-name-taken").arg("name", name)), true));
            }
            out.drop_buttons(message.id).await;
            draft.name = Some(name);
            after_name(out, actor, dialogue, draft).await?;
            Ok((None, false))
        }
        Callback::ConnectMain(main) => {
            let Some(mut draft) = draft_at(dialogue, &[Step::AwaitMain]).await? else {
                return Ok(stale());
            };
            out.drop_buttons(message.id).await;
            draft.main = Some(main);
            draft.step = Step::AwaitConfirm;
            dialogue.update(State::Connect(draft.clone())).await?;
            prompt(out, &draft, None).await?;
            Ok((None, false))
        }
        Callback::ConnectSave => {
            let Some(draft) = draft_at(dialogue, &[Step::AwaitConfirm]).await? else {
                return Ok((Some(msg("connect-nothing-to-save")), false));
            };
            if draft.workspace != actor.workspace.0 {
                dialogue.exit().await?;
                return Ok((Some(msg("no-permission")), true));
            }
            let creds = draft_credentials(out, &draft)?;
            let verified = draft.verified.clone().unwrap_or_default();
            let name = draft.name.clone().unwrap_or_default();
            let c = Connect {
                marketplace: draft.marketplace.unwrap_or(Marketplace::Ozon),
                name: &name,
                scheme: draft.scheme.unwrap_or(SchemeChoice::Fbs),
                main: draft.main.unwrap_or(true),
                account: verified.account.as_deref(),
                shop: draft
                    .campaign
                    .as_ref()
                    .map(|(a, b)| (a.as_str(), b.as_str())),
                credentials: &creds,
                expires_at: verified.expires_at,
            };
            let saved = out.svc.add_cabinet(actor, &c).await;
            dialogue.exit().await?;
            let text = match saved {
                Ok(_) => msg("cabinet-saved").arg("name", name),
                Err(AppError::Duplicate(existing)) => {
                    msg("connect-duplicate").arg("name", existing)
                }
                Err(e) => return refused(e),
            };
            out.edit(message.id, out.t(&text), None).await?;
            Ok((None, false))
        }
        Callback::RenameCabinet(id) => {
            let c = match out.svc.cabinet(actor, id).await {
                Ok(c) => c,
                Err(e) => return refused(e),
            };
            out.drop_buttons(message.id).await;
            dialogue
                .update(State::RenameCabinet {
                    workspace: actor.workspace.0,
                    cabinet: id.0,
                })
                .await?;
            let ask = msg("cabinet-ask-name")
                .arg("name", c.name)
                .arg("max", WorkspaceName::MAX_CHARS);
            out.send_text(out.t(&ask), Some(keyboards::cancel(out)))
                .await?;
            Ok((None, false))
        }
        Callback::EnableCabinet(id, on) => match out.svc.set_cabinet_enabled(actor, id, on).await {
            Ok(c) => {
                show_card(out, actor, &c, message.id).await?;
                let notice = if on {
                    msg("cabinet-enabled")
                } else {
                    msg("cabinet-disabled")
                };
                Ok((Some(notice), false))
            }
            Err(e) => refused(e),
        },
        Callback::MainCabinet(id) => match out.svc.make_main_cabinet(actor, id).await {
            Ok(c) => {
                show_card(out, actor, &c, message.id).await?;
                Ok((Some(msg("cabinet-now-main")), false))
            }
            Err(e) => refused(e),
        },
        Callback::ReplaceKey(id) => {
            let c = match out.svc.cabinet(actor, id).await {
                Ok(c) => c,
                Err(e) => return refused(e),
            };
            out.drop_buttons(message.id).await;
            let mut draft = Draft::new(actor.workspace.0);
            draft.replace = Some(id.0);
            draft.marketplace = Some(c.marketplace);
            draft.step = credential_step(c.marketplace);
            dialogue.update(State::Connect(draft.clone())).await?;
            let (text, kb) = ask(out, &draft);
            let lead = out.t(&msg("cabinet-replace-intro").arg("name", c.name));
            out.send_text(format!("{lead}\n\n{text}"), Some(kb)).await?;
            Ok((None, false))
        }
        Callback::DeleteCabinet(id) => {
            let c = match out.svc.cabinet(actor, id).await {
                Ok(c) => c,
                Err(e) => return refused(e),
            };
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("cabinet-delete-keep"),
                    Callback::ConfirmDelete(id, true),
                )],
                vec![button(
                    out,
                    msg("cabinet-delete-purge"),
                    Callback::ConfirmDelete(id, false),
                )],
                vec![button(out, msg("button-back"), Callback::OpenCabinet(id))],
            ]);
            out.edit(
                message.id,
                out.t(&msg("cabinet-delete-confirm").arg("name", c.name)),
                Some(kb),
            )
            .await?;
            Ok((None, false))
        }
        Callback::ConfirmDelete(id, keep) => {
            let mode = if keep {
                DeleteMode::KeepData
            } else {
                DeleteMode::RemoveData
            };
            match out.svc.delete_cabinet(actor, id, mode).await {
                Ok(c) => {
                    let m = if keep {
                        msg("cabinet-deleted-kept")
                    } else {
                        msg("cabinet-deleted-purged")
                    };
                    out.edit(message.id, out.t(&m.arg("name", c.name)), None)
                        .await?;
                    Ok((None, false))
                }
                Err(e) => refused(e),
            }
        }
        _ => Ok(stale()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_told_from_names_numbers_and_sentences() {
        assert!(looks_like_key("0b7f3e2a-5c1d-4e8b-9a6f-ozonsandbox01"));
        assert!(looks_like_key("eyJhbGciOiJFUzI1NiJ9.eyJzIjoxfQ\n.sig-123"));
        assert!(!looks_like_key("100500"));
        assert!(!looks_like_key("Основной Ozon"));
        assert!(!looks_like_key("please connect my shop 2024 now"));
        assert!(!looks_like_key("abcdefghijklmnopqrstuvwxyz"));
        assert!(!looks_like_key("https://www.ozon.ru/product/1234567890"));
    }
}
