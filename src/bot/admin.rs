//! Admin commands (F14): `/settings` (name, time zone, default language), `/subscribe`
//! in a group and `/groups` in private (alert groups), `/api` (the API catalogue and its
//! overrides) and `/audit` (who changed what).

use std::collections::HashMap;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::cabinets::marketplace_name;
use super::context::Ctx;
use super::keyboards::{self, button, lang_name};
use super::out::Out;
use super::{BotDialogue, HandlerError, State};
use crate::app::admin::{OverrideError, parse_override};
use crate::app::{Actor, AppError, Services};
use crate::domain::alerts::Subscription;
use crate::domain::alerts::format_local;
use crate::domain::callback::Callback;
use crate::domain::{
    ApiField, AuditAction, CabinetId, EventKind, Lang, Marketplace, Permission, TgChatId, Zone,
};
use crate::i18n::{Msg, msg};
use crate::marketplaces::endpoints::{self as ep, Endpoint, Family};

type Reply = super::PressReply;

/// `/settings`: the overview with its actions.
pub async fn show_settings(
    out: &Out,
    actor: Actor,
    edit: Option<MessageId>,
) -> Result<(), HandlerError> {
    let Some(ws) = crate::storage::workspaces::get(&out.svc.db, actor.workspace).await? else {
        return Ok(());
    };
    let text = out.t(&msg("settings-overview")
        .arg("workspace", ws.name)
        .arg("timezone", ws.time_zone)
        .arg("language", lang_name(out, ws.default_lang)));
    let kb = InlineKeyboardMarkup::new(vec![
        vec![button(
            out,
            msg("settings-rename-button"),
            Callback::RenameWorkspace,
        )],
        vec![
            button(out, msg("settings-timezone-button"), Callback::TimeZoneMenu),
            button(
                out,
                msg("settings-language-button"),
                Callback::DefaultLangMenu,
            ),
        ],
    ]);
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

fn event_name(e: EventKind) -> Msg {
    msg(match e {
        EventKind::NewOrder => "event-new-order",
        EventKind::Cancellation => "event-cancellation",
        EventKind::LowStock => "event-low-stock",
        EventKind::ShipDeadline => "event-ship-deadline",
        EventKind::SyncFailure => "event-sync-failure",
        EventKind::KeyProblem => "event-key-problem",
        EventKind::DailySummary => "event-daily-summary",
    })
}

fn mark(on: bool) -> &'static str {
    if on { "✅" } else { "▫️" }
}

/// The group's subscription as text: events, then cabinets.
async fn describe_subscription(
    out: &Out,
    actor: Actor,
    s: &Subscription,
) -> Result<String, HandlerError> {
    let events = if s.events.is_empty() {
        out.t(&msg("subscribe-no-events"))
    } else {
        s.events
            .iter()
            .map(|e| out.t(&event_name(*e)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cabinets = if s.cabinets.is_empty() {
        out.t(&msg("subscribe-all-cabinets"))
    } else {
        let all = out.svc.cabinets(actor).await?;
        all.iter()
            .filter(|c| s.cabinets.contains(&c.id))
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(out.t(&msg("subscription-summary")
        .arg("events", events)
        .arg("cabinets", cabinets)))
}

async fn subscription_keyboard(
    out: &Out,
    actor: Actor,
    s: &Subscription,
) -> Result<InlineKeyboardMarkup, HandlerError> {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = EventKind::ALL
        .into_iter()
        .map(|e| {
            vec![InlineKeyboardButton::callback(
                format!("{} {}", mark(s.events.contains(&e)), out.t(&event_name(e))),
                Callback::GroupEvent(e).encode(),
            )]
        })
        .collect();
    rows.push(vec![InlineKeyboardButton::callback(
        format!(
            "{} {}",
            mark(s.cabinets.is_empty()),
            out.t(&msg("subscribe-all-cabinets"))
        ),
        Callback::GroupCabinet(0).encode(),
    )]);
    for c in out.svc.cabinets(actor).await? {
        rows.push(vec![InlineKeyboardButton::callback(
            format!(
                "{} {} · {}",
                mark(s.cabinets.contains(&c.id)),
                out.t(&marketplace_name(c.marketplace)),
                c.name
            ),
            Callback::GroupCabinet(c.id.0).encode(),
        )]);
    }
    rows.push(vec![button(
        out,
        msg("subscribe-done-button"),
        Callback::GroupDone,
    )]);
    Ok(InlineKeyboardMarkup::new(rows))
}

/// `/subscribe` in a group: links the group when an owner or admin asks and it is not
/// linked yet, then shows the subscription with toggles.
pub async fn subscribe(out: &Out, ctx: &Ctx, message: &Message) -> Result<(), HandlerError> {
    if ctx.private {
        out.say(msg("subscribe-in-group")).await?;
        return Ok(());
    }
    use crate::app::groups::GroupOpened;
    let chat = TgChatId(message.chat.id.0);
    let kind = if message.chat.is_supergroup() {
        "supergroup"
    } else {
        "group"
    };
    let title = message.chat.title().unwrap_or_default().to_owned();
    let (actor, s) = match out.svc.open_group(ctx.user_id, chat, kind, &title).await? {
        GroupOpened::Open {
            actor,
            subscription,
        } => (actor, subscription),
        GroupOpened::NotLinked => {
            out.say(msg("group-not-linked")).await?;
            return Ok(());
        }
        GroupOpened::NotMember => {
            out.say(msg("group-not-member")).await?;
            return Ok(());
        }
        GroupOpened::Forbidden => {
            out.say(msg("no-permission")).await?;
            return Ok(());
        }
    };
    show_subscription(out, actor, &message.chat, &s, None, false).await
}

/// `/groups` in private: every group of the workspace with its subscription.
pub async fn groups(out: &Out, actor: Actor) -> Result<(), HandlerError> {
    let list = out.svc.groups(actor).await?;
    if list.is_empty() {
        out.say(msg("groups-empty")).await?;
        return Ok(());
    }
    let mut text = out.t(&msg("groups-title").arg("count", list.len()));
    for g in &list {
        let state = if g.chat.active {
            msg("groups-active")
        } else {
            msg("groups-inactive")
        };
        text.push_str(&format!(
            "\n\n«{}» — {}\n{}",
            g.chat.title,
            out.t(&state),
            describe_subscription(out, actor, &g.subscription).await?
        ));
    }
    text.push_str("\n\n");
    text.push_str(&out.t(&msg("groups-hint")));
    let rows = list
        .iter()
        .map(|g| {
            vec![button(
                out,
                msg("groups-release-button").arg("group", g.chat.title.clone()),
                Callback::GroupRelease(g.chat.id.0),
            )]
        })
        .collect::<Vec<_>>();
    out.send_text(text, Some(InlineKeyboardMarkup::new(rows)))
        .await?;
    Ok(())
}

/// The families shown in `/api`, in order.
const API_GROUPS: [Option<Marketplace>; 4] = [
    Some(Marketplace::Ozon),
    Some(Marketplace::Wildberries),
    Some(Marketplace::YandexMarket),
    None,
];

fn api_group_name(out: &Out, g: Option<Marketplace>) -> String {
    match g {
        Some(m) => out.t(&marketplace_name(m)),
        None => out.t(&msg("api-novaposhta")),
    }
}

fn entries_of(g: Option<Marketplace>) -> Vec<&'static Endpoint> {
    let mut v: Vec<&'static Endpoint> = ep::ALL
        .iter()
        .copied()
        .filter(|e| e.family.marketplace() == g && (g.is_some() || e.family == Family::NovaPoshta))
        .collect();
    v.sort_by_key(|e| e.name);
    v
}

/// `/api` with no argument: pick a marketplace; with an endpoint name: its card.
pub async fn api(out: &Out, actor: Actor, args: &str) -> Result<(), HandlerError> {
    actor_require(actor)?;
    let name = args.trim();
    if name.is_empty() {
        let rows = API_GROUPS
            .iter()
            .enumerate()
            .map(|(i, g)| {
                vec![InlineKeyboardButton::callback(
                    api_group_name(out, *g),
                    Callback::ApiFamily(u8::try_from(i).unwrap_or_default()).encode(),
                )]
            })
            .collect::<Vec<_>>();
        out.send_text(
            out.t(&msg("api-title").arg("count", ep::ALL.len())),
            Some(InlineKeyboardMarkup::new(rows)),
        )
        .await?;
        return Ok(());
    }
    match ep::ALL.iter().find(|e| e.name.eq_ignore_ascii_case(name)) {
        Some(e) => api_card(out, actor, e, None).await,
        None => {
            let shown: String = name.chars().take(40).collect();
            out.say(msg("api-unknown").arg("name", shown)).await?;
            Ok(())
        }
    }
}

fn actor_require(actor: Actor) -> Result<(), HandlerError> {
    actor.require(Permission::ManageSettings)?;
    Ok(())
}

/// What an entry resolves to now for the actor's cabinets: base URL and path, the
/// deployment's and the workspace's overrides applied.
async fn effective(out: &Out, actor: Actor, e: &Endpoint) -> Result<String, HandlerError> {
    let catalogue = out.svc.catalogue_for(actor.workspace).await?;
    let o = catalogue.override_of(e.name);
    let o = o.as_ref();
    let base = o
        .and_then(|o| o.host.clone())
        .or_else(|| catalogue.base(e.family).map(|u| u.to_string()))
        .unwrap_or_default();
    let mut path = o
        .and_then(|o| o.path.clone())
        .unwrap_or_else(|| e.path.to_owned());
    if let Some(v) = o.and_then(|o| o.version.clone()) {
        path = ep::replace_version(&path, &v);
    }
    Ok(format!("{}{}", base.trim_end_matches('/'), path))
}

async fn api_card(
    out: &Out,
    actor: Actor,
    e: &'static Endpoint,
    edit: Option<MessageId>,
) -> Result<(), HandlerError> {
    let o = out.svc.api_override(actor, e).await?;
    let url = effective(out, actor, e).await?;
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
            Callback::ApiEdit(e.name, ApiField::Host),
        ),
        button(
            out,
            msg("api-path-button"),
            Callback::ApiEdit(e.name, ApiField::Path),
        ),
        button(
            out,
            msg("api-version-button"),
            Callback::ApiEdit(e.name, ApiField::Version),
        ),
    ]];
    if o.is_some() {
        rows.push(vec![button(
            out,
            msg("api-reset-button"),
            Callback::ApiReset(e.name),
        )]);
    }
    let kb = InlineKeyboardMarkup::new(rows);
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

/// The message naming an audit action in `/audit`.
pub fn audit_action_name(a: AuditAction) -> Msg {
    msg(match a {
        AuditAction::WorkspaceCreated => "audit-workspace-created",
        AuditAction::WorkspaceRenamed => "audit-workspace-renamed",
        AuditAction::WorkspaceTimeZone => "audit-workspace-time-zone",
        AuditAction::WorkspaceLanguage => "audit-workspace-language",
        AuditAction::MemberJoined => "audit-member-joined",
        AuditAction::MemberRole => "audit-member-role",
        AuditAction::MemberRemoved => "audit-member-removed",
        AuditAction::InviteCreated => "audit-invite-created",
        AuditAction::GroupLinked => "audit-group-linked",
        AuditAction::GroupUnlinked => "audit-group-unlinked",
        AuditAction::GroupSubscribed => "audit-group-subscribed",
        AuditAction::GroupUnsubscribed => "audit-group-unsubscribed",
        AuditAction::GroupCabinets => "audit-group-cabinets",
        AuditAction::CabinetAdded => "audit-cabinet-added",
        AuditAction::CabinetRenamed => "audit-cabinet-renamed",
        AuditAction::CabinetEnabled => "audit-cabinet-enabled",
        AuditAction::CabinetDisabled => "audit-cabinet-disabled",
        AuditAction::CabinetMain => "audit-cabinet-main",
        AuditAction::CabinetKeyReplaced => "audit-cabinet-key-replaced",
        AuditAction::CabinetArchived => "audit-cabinet-archived",
        AuditAction::CabinetDeleted => "audit-cabinet-deleted",
        AuditAction::ApiOverride => "audit-api-override",
        AuditAction::ApiReset => "audit-api-reset",
    })
}

/// An entry's details with role, event and language codes in the reader's language.
fn render_details(out: &Out, action: &str, details: &str) -> String {
    let role = |code: &str| {
        code.parse::<crate::domain::Role>()
            .map(|r| out.t(&keyboards::role_name(r)))
            .unwrap_or_else(|_| code.to_owned())
    };
    match action {
        "member.joined" | "invite.created" => role(details),
        "member.role" => match details.rsplit_once(": ") {
            Some((who, change)) => {
                let roles: Vec<String> = change.split(" → ").map(role).collect();
                format!("{who}: {}", roles.join(" → "))
            }
            None => details.to_owned(),
        },
        "member.removed" => match details.strip_suffix(')').and_then(|d| d.rsplit_once(" (")) {
            Some((who, r)) => format!("{who} ({})", role(r)),
            None => details.to_owned(),
        },
        "group.subscribed" | "group.unsubscribed" => match details.rsplit_once(": ") {
            Some((group, code)) => match code.parse::<EventKind>() {
                Ok(e) => format!("{group}: {}", out.t(&event_name(e))),
                Err(_) => details.to_owned(),
            },
            None => details.to_owned(),
        },
        "workspace.language" => details
            .parse::<Lang>()
            .map(|l| lang_name(out, l))
            .unwrap_or_else(|_| details.to_owned()),
        _ => details.to_owned(),
    }
}

/// `/audit`: the latest entries, newest first.
pub async fn audit(out: &Out, actor: Actor) -> Result<(), HandlerError> {
    let entries = out.svc.audit(actor, 20).await?;
    if entries.is_empty() {
        out.say(msg("audit-empty")).await?;
        return Ok(());
    }
    let tz = super::cabinets::time_zone(out, actor).await?;
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut text = out.t(&msg("audit-title").arg("count", entries.len()));
    for e in &entries {
        let who = match e.actor {
            Some(u) => {
                if let std::collections::hash_map::Entry::Vacant(v) = names.entry(u.0) {
                    let name = crate::storage::users::get(&out.svc.db, u)
                        .await?
                        .map(|x| x.first_name)
                        .unwrap_or_else(|| u.0.to_string());
                    v.insert(name);
                }
                names.get(&u.0).cloned().unwrap_or_default()
            }
            None => out.t(&msg("audit-system")),
        };
        let action = e
            .action
            .parse::<AuditAction>()
            .map(|a| out.t(&audit_action_name(a)))
            .unwrap_or_else(|_| e.action.clone());
        text.push_str(&format!(
            "\n{} · {who}: {action} {}",
            format_local(e.at, &tz),
            render_details(out, &e.action, &e.details)
        ));
    }
    out.send_text(text, None).await?;
    Ok(())
}

fn refused(e: AppError) -> Reply {
    super::refusal(e, "button-stale")
}

/// Button presses of settings, groups and the API catalogue.
pub async fn on_callback(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    cb: Callback,
) -> Reply {
    let Some(actor) = ctx
        .actor()
        .filter(|a| a.role.can(Permission::ManageSettings))
    else {
        return Ok((Some(msg("no-permission")), true));
    };
    let chat = TgChatId(message.chat.id.0);
    match cb {
        Callback::TimeZoneMenu => {
            let now = out.svc.clock.unix();
            let rows = crate::domain::time::OFFERED
                .iter()
                .map(|z| {
                    let offset = Zone::or_default(z).offset_label(now);
                    vec![InlineKeyboardButton::callback(
                        format!("{z} ({offset})"),
                        Callback::SetTimeZone(z).encode(),
                    )]
                })
                .collect::<Vec<_>>();
            out.edit(
                message.id,
                out.t(&msg("settings-choose-timezone")),
                Some(InlineKeyboardMarkup::new(rows)),
            )
            .await?;
            Ok((None, false))
        }
        Callback::SetTimeZone(zone) => {
            if let Err(e) = out.svc.set_time_zone(actor, zone).await {
                return refused(e);
            }
            show_settings(out, actor, Some(message.id)).await?;
            Ok((
                Some(msg("settings-timezone-set").arg("timezone", zone)),
                false,
            ))
        }
        Callback::DefaultLangMenu => {
            let rows: Vec<Vec<InlineKeyboardButton>> = vec![
                Lang::ALL
                    .into_iter()
                    .map(|l| {
                        InlineKeyboardButton::callback(
                            lang_name(out, l),
                            Callback::SetDefaultLang(l).encode(),
                        )
                    })
                    .collect(),
            ];
            out.edit(
                message.id,
                out.t(&msg("settings-choose-language")),
                Some(InlineKeyboardMarkup::new(rows)),
            )
            .await?;
            Ok((None, false))
        }
        Callback::SetDefaultLang(l) => {
            if let Err(e) = out.svc.set_default_lang(actor, l).await {
                return refused(e);
            }
            show_settings(out, actor, Some(message.id)).await?;
            Ok((
                Some(msg("settings-language-set").arg("language", lang_name(out, l))),
                false,
            ))
        }
        Callback::GroupEvent(e) => match out.svc.toggle_group_event(actor, chat, e).await {
            Ok(s) => {
                show_subscription(out, actor, &message.chat, &s, Some(message.id), false).await?;
                Ok((None, false))
            }
            Err(e) => refused(e),
        },
        Callback::GroupCabinet(id) => {
            let cabinet = (id != 0).then_some(CabinetId(id));
            match out.svc.toggle_group_cabinet(actor, chat, cabinet).await {
                Ok(s) => {
                    show_subscription(out, actor, &message.chat, &s, Some(message.id), false)
                        .await?;
                    Ok((None, false))
                }
                Err(AppError::NotFound) => Ok((Some(msg("cabinet-not-found")), true)),
                Err(e) => refused(e),
            }
        }
        Callback::GroupDone => match out.svc.group_subscription(actor, chat).await {
            Ok(s) => {
                show_subscription(out, actor, &message.chat, &s, Some(message.id), true).await?;
                Ok((None, false))
            }
            Err(e) => refused(e),
        },
        Callback::GroupRelease(id) => match out.svc.group(actor, TgChatId(id)).await {
            Ok(g) => {
                let kb = InlineKeyboardMarkup::new(vec![
                    vec![button(
                        out,
                        msg("groups-release-confirm-button"),
                        Callback::GroupReleaseConfirm(id),
                    )],
                    keyboards::cancel_row(out),
                ]);
                out.edit(
                    message.id,
                    out.t(&msg("groups-release-confirm").arg("group", g.title)),
                    Some(kb),
                )
                .await?;
                Ok((None, false))
            }
            Err(e) => refused(e),
        },
        Callback::GroupReleaseConfirm(id) => match out.svc.release_group(actor, TgChatId(id)).await
        {
            Ok(g) => {
                out.edit(
                    message.id,
                    out.t(&msg("groups-released").arg("group", g.title)),
                    None,
                )
                .await?;
                Ok((None, false))
            }
            Err(e) => refused(e),
        },
        Callback::ApiFamily(i) => {
            let Some(group) = API_GROUPS.get(usize::from(i)) else {
                return Ok((Some(msg("button-stale")), true));
            };
            let overrides = crate::storage::api_overrides::of(&out.svc.db, actor.workspace).await?;
            let mut text =
                out.t(&msg("api-family-title").arg("marketplace", api_group_name(out, *group)));
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
            out.edit(message.id, text, None).await?;
            Ok((None, false))
        }
        Callback::ApiEdit(name, field) => {
            if !ctx.private {
                return Ok((Some(msg("cabinets-private-only")), true));
            }
            out.drop_buttons(message.id).await;
            dialogue
                .update(State::ApiValue {
                    workspace: actor.workspace.0,
                    entry: name.to_owned(),
                    field,
                })
                .await?;
            let Some(entry) = ep::ALL.iter().copied().find(|e| e.name == name) else {
                return Ok((Some(msg("button-stale")), true));
            };
            let ask = match field {
                ApiField::Host => msg("api-ask-host")
                    .arg("hosts", entry.family.official_hosts().join(", "))
                    .arg("example", entry.family.default_url().trim_end_matches('/')),
                ApiField::Path => msg("api-ask-path"),
                ApiField::Version => msg("api-ask-version"),
            };
            out.send_text(out.t(&ask.arg("name", name)), Some(keyboards::cancel(out)))
                .await?;
            Ok((None, false))
        }
        Callback::ApiReset(name) => {
            let Some(e) = ep::ALL.iter().copied().find(|e| e.name == name) else {
                return Ok((Some(msg("button-stale")), true));
            };
            let had = match out.svc.reset_api_override(actor, e).await {
                Ok(h) => h,
                Err(e) => return refused(e),
            };
            api_card(out, actor, e, Some(message.id)).await?;
            let notice = if had {
                msg("api-reset-done")
            } else {
                msg("api-reset-none")
            };
            Ok((Some(notice.arg("name", name)), false))
        }
        _ => Ok((Some(msg("button-stale")), true)),
    }
}

/// A group's subscription: with its toggles while choosing, without them once `done`.
async fn show_subscription(
    out: &Out,
    actor: Actor,
    chat: &teloxide::types::Chat,
    s: &Subscription,
    edit: Option<MessageId>,
    done: bool,
) -> Result<(), HandlerError> {
    let head = if done {
        msg("subscribe-saved")
    } else {
        msg("subscribe-title")
    };
    let title = chat.title().unwrap_or_default().to_owned();
    let text = format!(
        "{}\n\n{}",
        out.t(&head.arg("group", title)),
        describe_subscription(out, actor, s).await?
    );
    let kb = if done {
        None
    } else {
        Some(subscription_keyboard(out, actor, s).await?)
    };
    out.show(edit, text, kb).await?;
    Ok(())
}

/// A message while an API override value is awaited.
pub async fn api_value_message(
    bot: Bot,
    svc: Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, entry, field): (i64, String, ApiField),
) -> super::HandlerResult {
    let out = Out::new(bot, svc, message.chat.id, ctx.lang);
    super::handlers::guarded(&out, async {
        let actor = ctx
            .actor()
            .filter(|a| a.workspace.0 == workspace && a.role.can(Permission::ManageSettings));
        let (Some(actor), Some(e)) = (actor, ep::ALL.iter().copied().find(|e| e.name == entry))
        else {
            dialogue.exit().await?;
            out.say(msg("no-permission")).await?;
            return Ok(());
        };
        let Some(text) = message.text() else {
            out.send_text(out.t(&msg("api-need-text")), Some(keyboards::cancel(&out)))
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
                        .arg("marketplace", api_group_name(&out, e.family.marketplace()))
                        .arg("hosts", e.family.official_hosts().join(", ")),
                    OverrideError::BadPath => msg("api-bad-path").arg("path", e.path),
                    OverrideError::BadVersion => msg("api-bad-version"),
                };
                out.send_text(out.t(&m), Some(keyboards::cancel(&out)))
                    .await?;
                return Ok(());
            }
        };
        out.svc.set_api_override(actor, e, field, &value).await?;
        dialogue.exit().await?;
        out.say(
            msg("api-override-set")
                .arg("name", e.name)
                .arg("url", effective(&out, actor, e).await?),
        )
        .await?;
        Ok(())
    })
    .await
}
