//! What the connect dialogue shows: the question of each step with its buttons, the
//! suggested cabinet name, and a refused key's reason.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::Cb;
use crate::app::cabinets::KeyRefusal;
use crate::bot::error::BotResult;
use crate::bot::keyboards::{self, button, cancel_row, plain};
use crate::bot::names;
use crate::bot::out::Out;
use crate::bot::state::connect::{Account, Connect, Step, Target};
use crate::bot::state::{BotDialogue, State};
use crate::domain::{Marketplace, SchemeChoice, WorkspaceName};
use crate::i18n::{Msg, msg};

pub fn with_note(out: &Out, note: Option<&Msg>, m: &Msg) -> String {
    match note {
        Some(n) => format!("{}\n\n{}", out.t(n), out.t(m)),
        None => out.t(m),
    }
}

/// What the user must send at a step that awaits text.
pub fn ask(out: &Out, step: &Step) -> (String, InlineKeyboardMarkup) {
    let m = match step {
        Step::AwaitClientId => msg("connect-ask-client-id"),
        Step::AwaitKey {
            marketplace: Marketplace::Ozon,
            ..
        } => msg("connect-ask-key-ozon"),
        Step::AwaitKey {
            marketplace: Marketplace::Wildberries,
            ..
        } => msg("connect-ask-key-wb"),
        Step::AwaitKey {
            marketplace: Marketplace::YandexMarket,
            ..
        } => msg("connect-ask-key-ym"),
        _ => msg("connect-use-buttons"),
    };
    (out.t(&m), keyboards::cancel(out))
}

/// Says what was wrong (after the note, if any) and asks for the step's input again.
pub async fn ask_again(out: &Out, step: &Step, note: Option<&Msg>, problem: &Msg) -> BotResult {
    let (again, kb) = ask(out, step);
    let text = format!("{}\n\n{again}", with_note(out, note, problem));
    out.send_text(text, Some(kb)).await?;
    Ok(())
}

pub fn market_keyboard(out: &Out) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Marketplace::ALL
        .into_iter()
        .map(|m| vec![button(out, names::marketplace(m), Cb::Market(m).data())])
        .collect();
    rows.push(cancel_row(out));
    InlineKeyboardMarkup::new(rows)
}

/// The name suggested for the cabinet: the YM shop's, else the seller's, else the account.
pub fn suggested_name(out: &Out, account: &Account) -> String {
    let market = out.t(&names::marketplace(account.marketplace()));
    let v = &account.key.verified;
    let raw = match (&account.shop, &v.account_name, &v.account) {
        (Some(shop), _, _) => shop.name.clone(),
        (None, Some(name), _) => format!("{market} {name}"),
        (None, None, Some(id)) => format!("{market} {id}"),
        (None, None, None) => market,
    };
    let cut: String = raw.chars().take(WorkspaceName::MAX_CHARS).collect();
    WorkspaceName::parse(&cut)
        .map(|n| n.as_str().to_owned())
        .unwrap_or(cut)
}

/// The suggested name and Cancel.
pub fn name_keyboard(out: &Out, account: &Account) -> InlineKeyboardMarkup {
    let label = msg("connect-use-name-button").arg("name", suggested_name(out, account));
    InlineKeyboardMarkup::new(vec![
        vec![button(out, label, Cb::SuggestedName.data())],
        cancel_row(out),
    ])
}

/// The question of a step that awaits a button (and, at the name, text).
pub fn question(out: &Out, step: &Step) -> (String, InlineKeyboardMarkup) {
    let with_cancel = |mut rows: Vec<Vec<InlineKeyboardButton>>| {
        rows.push(cancel_row(out));
        InlineKeyboardMarkup::new(rows)
    };
    match step {
        Step::AwaitCampaign { key } => {
            let campaigns = &key.verified.campaigns;
            let rows = campaigns
                .iter()
                .enumerate()
                .take(usize::from(u8::MAX))
                .map(|(i, c)| {
                    let label = format!("{} · {} ({})", c.domain, c.placement, c.id);
                    let i = u8::try_from(i).unwrap_or(u8::MAX);
                    vec![plain(label, Cb::Campaign(i).data())]
                })
                .collect();
            let text = msg("connect-choose-campaign").arg("count", campaigns.len());
            (out.t(&text), with_cancel(rows))
        }
        Step::AwaitScheme { .. } => {
            let rows = SchemeChoice::ALL
                .into_iter()
                .map(|s| vec![button(out, names::scheme(s), Cb::Scheme(s).data())])
                .collect();
            (out.t(&msg("connect-ask-scheme")), with_cancel(rows))
        }
        Step::AwaitName { account, .. } => {
            let text = msg("connect-ask-name")
                .arg("name", suggested_name(out, account))
                .arg("max", WorkspaceName::MAX_CHARS);
            (out.t(&text), name_keyboard(out, account))
        }
        Step::AwaitMain { account, .. } => {
            let market = out.t(&names::marketplace(account.marketplace()));
            let rows = vec![vec![
                button(out, msg("connect-main-yes"), Cb::Main(true).data()),
                button(out, msg("connect-main-no"), Cb::Main(false).data()),
            ]];
            let text = msg("connect-ask-main").arg("marketplace", market);
            (out.t(&text), with_cancel(rows))
        }
        Step::AwaitConfirm {
            account,
            scheme,
            name,
            main,
        } => {
            let market = out.t(&names::marketplace(account.marketplace()));
            let id = account.key.verified.account.clone().unwrap_or_default();
            let shown = match &account.shop {
                Some(shop) => format!("{id} · {} ({})", shop.name, shop.id),
                None => id,
            };
            let text = msg("connect-summary")
                .arg("marketplace", market)
                .arg("name", name.clone())
                .arg("account", shown)
                .arg("scheme", out.t(&names::scheme(*scheme)))
                .arg("main", out.t(&names::yes_no(*main)));
            let rows = vec![vec![button(
                out,
                msg("connect-save-button"),
                Cb::Save.data(),
            )]];
            (out.t(&text), with_cancel(rows))
        }
        other => ask(out, other),
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

/// Why a key is refused, in words.
pub fn refusal(out: &Out, market: Marketplace, r: KeyRefusal) -> Msg {
    match r {
        KeyRefusal::Wrong => match market {
            Marketplace::Ozon => msg("connect-wrong-ozon"),
            Marketplace::Wildberries => msg("connect-wrong-wb"),
            Marketplace::YandexMarket => msg("connect-wrong-ym"),
        },
        KeyRefusal::Denied => msg("connect-refused"),
        KeyRefusal::MissingScopes(s) => {
            msg("connect-wb-scopes").arg("missing", scope_list(out, &s))
        }
        KeyRefusal::ReadOnly => msg("connect-wb-read-only"),
        KeyRefusal::MissingMethods(m) => msg("connect-ozon-roles").arg("count", m.len()).arg(
            "methods",
            m.into_iter().take(5).collect::<Vec<_>>().join(", "),
        ),
        KeyRefusal::NoCampaigns => msg("connect-ym-no-campaigns"),
    }
}

/// Moves the dialogue to `step` and asks its question, after `lead` if any.
pub async fn go(
    out: &Out,
    dialogue: &BotDialogue,
    target: Target,
    step: Step,
    lead: Option<String>,
) -> BotResult {
    let (body, kb) = question(out, &step);
    dialogue
        .update(State::Connect(Connect { target, step }))
        .await?;
    let text = match lead {
        Some(l) => format!("{l}\n\n{body}"),
        None => body,
    };
    out.send_text(text, Some(kb)).await?;
    Ok(())
}
