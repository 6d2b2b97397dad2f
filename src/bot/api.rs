//! `/api` (F9): the API catalogue by marketplace, one request's card with its effective
//! URL, and the dialogue that overrides its host, path or version, or resets it.

use crate::bot::context::answering;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, HandlerError, HandlerResult, Notice, Press};
use super::keyboards::{self, button, plain};
use super::names;
use super::out::Out;
use super::state::{BotDialogue, State};
use crate::app::api::{self as catalogue, Endpoint, Family, OverrideError, parse_override};
use crate::app::{Actor, Services};
use crate::domain::{ApiField, Marketplace, Permission};
use crate::i18n::msg;

/// The buttons of `/api`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    /// One marketplace's entries (by its place in [`GROUPS`]).
    Family(u8),
    /// Override a field of an entry.
    Edit(&'static str, ApiField),
    /// Remove an entry's override.
    Reset(&'static str),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Family(i) => format!("a:f:{i}"),
            Cb::Edit(name, f) => format!("a:e:{}:{name}", f.code()),
            Cb::Reset(name) => format!("a:r:{name}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let name = |n: &str| catalogue::entry(n).map(|e| e.name);
        match parts {
            ["a", "f", i] => i.parse().ok().map(Cb::Family),
            ["a", "e", f, n] => Some(Cb::Edit(name(n)?, ApiField::from_code(f)?)),
            ["a", "r", n] => name(n).map(Cb::Reset),
            _ => None,
        }
    }
}

/// The families shown in `/api`, in order; `None` is Nova Poshta.
const GROUPS: [Option<Marketplace>; 4] = [
    Some(Marketplace::Ozon),
    Some(Marketplace::Wildberries),
    Some(Marketplace::YandexMarket),
    None,
];

fn group_name(out: &Out, g: Option<Marketplace>) -> String {
    match g {
        Some(m) => out.t(&names::marketplace(m)),
        None => out.t(&msg("api-novaposhta")),
    }
}

fn entries_of(g: Option<Marketplace>) -> Vec<&'static Endpoint> {
    let mut v: Vec<&'static Endpoint> = catalogue::entries()
        .iter()
        .copied()
        .filter(|e| e.family.marketplace() == g && (g.is_some() || e.family == Family::NovaPoshta))
        .collect();
    v.sort_by_key(|e| e.name);
    v
}

/// `/api` with no argument: pick a marketplace; with an endpoint name: its card.
pub async fn show(out: &Out, actor: Actor, args: &str) -> BotResult {
    actor.require(Permission::ManageSettings)?;
    let name = args.trim();
    if name.is_empty() {
        let rows = GROUPS.iter().enumerate().map(|(i, g)| {
            let i = u8::try_from(i).unwrap_or_default();
            plain(group_name(out, *g), Cb::Family(i).data())
        });
        let text = out.t(&msg("api-title").arg("count", catalogue::entries().len()));
        out.send_text(text, Some(keyboards::column(rows))).await?;
        return Ok(());
    }
    match catalogue::entries()
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(name))
    {
        Some(e) => card(out, actor, e, None).await,
        None => {
            let shown: String = name.chars().take(40).collect();
            Err(BotError::User(msg("api-unknown").arg("name", shown)))
        }
    }
}

/// One entry: its method, path and effective URL, the company's override, and its actions.
async fn card(out: &Out, actor: Actor, e: &'static Endpoint, edit: Option<MessageId>) -> BotResult {
    let o = out.svc.api().api_override(actor, e).await?;
    let url = out.svc.api().effective_url(actor, e).await?;
    let mut text = out.t(&msg("api-entry")
        .arg("name", e.name)
        .arg("method", e.method.as_str())
        .arg("path", e.path)
        .arg("url", url));
    if let Some(o) = &o {
        let none = || "—".to_owned();
        text.push('\n');
        text.push_str(
            &out.t(&msg("api-entry-override")
                .arg("host", o.host.clone().unwrap_or_else(none))
                .arg("path", o.path.clone().unwrap_or_else(none))
                .arg("version", o.version.clone().unwrap_or_else(none))),
        );
    }
    let mut rows = vec![vec![
        button(
            out,
            msg("api-host-button"),
            Cb::Edit(e.name, ApiField::Host).data(),
        ),
        button(
            out,
            msg("api-path-button"),
            Cb::Edit(e.name, ApiField::Path).data(),
        ),
        button(
            out,
            msg("api-version-button"),
            Cb::Edit(e.name, ApiField::Version).data(),
        ),
    ]];
    if o.is_some() {
        rows.push(vec![button(
            out,
            msg("api-reset-button"),
            Cb::Reset(e.name).data(),
        )]);
    }
    out.show(edit, text, Some(InlineKeyboardMarkup::new(rows)))
        .await?;
    Ok(())
}

/// The buttons of `/api`.
pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = ctx.acting(Permission::ManageSettings)?;
    match cb {
        Cb::Family(i) => {
            let Some(group) = GROUPS.get(usize::from(i)) else {
                return Ok(Notice::Alert(msg("button-stale")));
            };
            let overrides = out.svc.api().api_overrides(actor).await?;
            let mut text =
                out.t(&msg("api-family-title").arg("marketplace", group_name(out, *group)));
            for e in entries_of(*group) {
                let changed = if overrides.contains_key(e.name) {
                    " ✏️"
                } else {
                    ""
                };
                text.push_str(&format!(
                    "\n{} — {} {}{changed}",
                    e.name,
                    e.method.as_str(),
                    e.path
                ));
            }
            text.push_str("\n\n");
            text.push_str(&out.t(&msg("api-family-hint")));
            out.edit(message, text, None).await?;
            Ok(Notice::None)
        }
        Cb::Edit(name, field) => {
            if !ctx.private {
                return Ok(Notice::Alert(msg("cabinets-private-only")));
            }
            let Some(entry) = catalogue::entry(name) else {
                return Ok(Notice::Alert(msg("button-stale")));
            };
            out.drop_buttons(message).await;
            dialogue
                .update(State::ApiValue {
                    workspace: actor.workspace.0,
                    entry: name.to_owned(),
                    field,
                })
                .await?;
            let ask = match field {
                ApiField::Host => msg("api-ask-host")
                    .arg("hosts", entry.family.official_hosts().join(", "))
                    .arg("example", entry.family.default_url().trim_end_matches('/')),
                ApiField::Path => msg("api-ask-path"),
                ApiField::Version => msg("api-ask-version"),
            };
            out.send_text(out.t(&ask.arg("name", name)), Some(keyboards::cancel(out)))
                .await?;
            Ok(Notice::None)
        }
        Cb::Reset(name) => {
            let Some(e) = catalogue::entry(name) else {
                return Ok(Notice::Alert(msg("button-stale")));
            };
            let had = out.svc.api().reset_api_override(actor, e).await?;
            card(out, actor, e, Some(message)).await?;
            let notice = if had {
                msg("api-reset-done")
            } else {
                msg("api-reset-none")
            };
            Ok(Notice::Toast(notice.arg("name", name)))
        }
    }
}

/// The override dialogue's branch of the handler tree.
pub fn messages() -> UpdateHandler<HandlerError> {
    dptree::case![State::ApiValue {
        workspace,
        entry,
        field
    }]
    .endpoint(value_message)
}

/// A message while an override value is awaited.
async fn value_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, entry, field): (i64, String, ApiField),
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
            let Some(e) = catalogue::entry(&entry) else {
                dialogue.exit().await?;
                return Err(BotError::User(msg("button-stale")));
            };
            let Some(text) = message.text() else {
                out.send_text(out.t(&msg("api-need-text")), Some(keyboards::cancel(out)))
                    .await?;
                return Ok(());
            };
            let value = match parse_override(e, field, text) {
                Ok(v) => v,
                Err(err) => {
                    let m = match err {
                        OverrideError::BadHost => msg("api-bad-host"),
                        OverrideError::NotHttps => msg("api-host-not-https"),
                        OverrideError::ForeignHost => msg("api-host-foreign")
                            .arg("marketplace", group_name(out, e.family.marketplace()))
                            .arg("hosts", e.family.official_hosts().join(", ")),
                        OverrideError::BadPath => msg("api-bad-path").arg("path", e.path),
                        OverrideError::BadVersion => msg("api-bad-version"),
                    };
                    out.send_text(out.t(&m), Some(keyboards::cancel(out)))
                        .await?;
                    return Ok(());
                }
            };
            out.svc
                .api()
                .set_api_override(actor, e, field, &value)
                .await?;
            dialogue.exit().await?;
            let url = out.svc.api().effective_url(actor, e).await?;
            out.say(msg("api-override-set").arg("name", e.name).arg("url", url))
                .await?;
            Ok(())
        },
    )
    .await
}
