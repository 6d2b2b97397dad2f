//! Alert groups (F7): the bot added to or removed from a group, `/subscribe` in a group
//! (which events, which cabinets), and `/groups` in private (every group of the company,
//! and letting one go).

use std::sync::Arc;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{Chat as TgChat, ChatMemberUpdated, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotResult, HandlerError, HandlerResult, Notice, OrSay, Press};
use super::keyboards::{button, cancel_row, plain};
use super::names;
use super::out::{Out, guarded};
use crate::app::groups::{GroupAdded, GroupOpened};
use crate::app::{Actor, Services};
use crate::domain::alerts::Subscription;
use crate::domain::{CabinetId, EventKind, Permission, TgChatId, TgUserId};
use crate::i18n::msg;

/// The buttons of `/subscribe` and `/groups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    /// Toggle an event kind for this group.
    Event(EventKind),
    /// Toggle a cabinet for this group; 0 means all cabinets.
    Cabinet(i64),
    Done,
    /// Let a group go, and confirm it (in private, from `/groups`).
    Release(i64),
    ConfirmRelease(i64),
    /// Show sums and prices in a group's alerts (`true`) or hide them (from `/groups`).
    Money(i64, bool),
    /// The daily summary's hour: minutes after local midnight.
    Hour(i64),
}

/// The hours a group may hear the daily summary at.
pub const SUMMARY_HOURS: [i64; 8] = [7, 8, 9, 10, 12, 15, 18, 21];

fn clock(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Event(e) => format!("g:e:{}", e.code()),
            Cb::Cabinet(id) => format!("g:c:{id}"),
            Cb::Done => "g:ok".to_owned(),
            Cb::Release(chat) => format!("g:r:{chat}"),
            Cb::ConfirmRelease(chat) => format!("g:rr:{chat}"),
            Cb::Money(chat, on) => format!("g:m:{chat}:{}", u8::from(on)),
            Cb::Hour(minute) => format!("g:h:{minute}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["g", "e", e] => e.parse().ok().map(Cb::Event),
            ["g", "c", c] => codec::id(c).map(Cb::Cabinet),
            ["g", "ok"] => Some(Cb::Done),
            ["g", "r", c] => codec::id(c).map(Cb::Release),
            ["g", "rr", c] => codec::id(c).map(Cb::ConfirmRelease),
            ["g", "m", c, "1"] => codec::id(c).map(|c| Cb::Money(c, true)),
            ["g", "m", c, "0"] => codec::id(c).map(|c| Cb::Money(c, false)),
            ["g", "h", m] => m
                .parse()
                .ok()
                .filter(|m| SUMMARY_HOURS.iter().any(|h| h * 60 == *m))
                .map(Cb::Hour),
            _ => None,
        }
    }
}

fn mark(on: bool) -> &'static str {
    if on { "✅" } else { "▫️" }
}

/// A group chat's kind as stored.
fn kind(chat: &TgChat) -> &'static str {
    if chat.is_supergroup() {
        "supergroup"
    } else {
        "group"
    }
}

/// The group's subscription as text: events, then cabinets.
async fn describe(out: &Out, actor: Actor, s: &Subscription) -> BotResult<String> {
    let events = if s.events.is_empty() {
        out.t(&msg("subscribe-no-events"))
    } else {
        s.events
            .iter()
            .map(|e| out.t(&names::event(*e)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cabinets = if s.cabinets.is_empty() {
        out.t(&msg("subscribe-all-cabinets"))
    } else {
        out.svc
            .cabinets()
            .list(actor)
            .await?
            .iter()
            .filter(|c| s.cabinets.contains(&c.id))
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = out.t(&msg("subscription-summary")
        .arg("events", events)
        .arg("cabinets", cabinets));
    if s.events.contains(&EventKind::DailySummary) {
        text.push('\n');
        text.push_str(&out.t(&msg("subscribe-summary-at").arg("time", clock(s.summary_minute))));
    }
    Ok(text)
}

async fn toggles(out: &Out, actor: Actor, s: &Subscription) -> BotResult<InlineKeyboardMarkup> {
    let mut rows = Vec::new();
    for e in EventKind::OFFERED {
        let label = format!(
            "{} {}",
            mark(s.events.contains(&e)),
            out.t(&names::event(e))
        );
        rows.push(vec![plain(label, Cb::Event(e).data())]);
        // The summary's hour, under it while it is on.
        if e == EventKind::DailySummary && s.events.contains(&e) {
            let hours: Vec<_> = SUMMARY_HOURS
                .iter()
                .map(|h| {
                    let label = if s.summary_minute == h * 60 {
                        format!("🕘 {}", clock(h * 60))
                    } else {
                        clock(h * 60)
                    };
                    plain(label, Cb::Hour(h * 60).data())
                })
                .collect();
            rows.extend(hours.chunks(4).map(<[_]>::to_vec));
        }
    }
    let all = format!(
        "{} {}",
        mark(s.cabinets.is_empty()),
        out.t(&msg("subscribe-all-cabinets"))
    );
    rows.push(vec![plain(all, Cb::Cabinet(0).data())]);
    for c in out.svc.cabinets().list(actor).await? {
        let label = format!(
            "{} {} · {}",
            mark(s.cabinets.contains(&c.id)),
            out.t(&names::marketplace(c.marketplace)),
            c.name
        );
        rows.push(vec![plain(label, Cb::Cabinet(c.id.0).data())]);
    }
    rows.push(vec![button(
        out,
        msg("subscribe-done-button"),
        Cb::Done.data(),
    )]);
    Ok(InlineKeyboardMarkup::new(rows))
}

/// A group's subscription: with its toggles while choosing, without them once `done`.
async fn show(
    out: &Out,
    actor: Actor,
    chat: &TgChat,
    s: &Subscription,
    edit: Option<MessageId>,
    done: bool,
) -> BotResult {
    let head = if done {
        msg("subscribe-saved")
    } else {
        msg("subscribe-title")
    };
    let title = chat.title().unwrap_or_default().to_owned();
    let text = format!(
        "{}\n\n{}",
        out.t(&head.arg("group", title)),
        describe(out, actor, s).await?
    );
    let kb = if done {
        None
    } else {
        Some(toggles(out, actor, s).await?)
    };
    out.show(edit, text, kb).await?;
    Ok(())
}

/// `/subscribe` in a group: an owner or admin of its company (or of the caller's company,
/// for a group nobody linked yet) chooses what it receives.
pub async fn subscribe(out: &Out, ctx: &Ctx, message: &Message) -> BotResult {
    if ctx.private {
        out.say(msg("subscribe-in-group")).await?;
        return Ok(());
    }
    let chat = TgChatId(message.chat.id.0);
    let title = message.chat.title().unwrap_or_default().to_owned();
    let opened = out
        .svc
        .groups()
        .open_group(ctx.user_id, chat, kind(&message.chat), &title)
        .await?;
    let (actor, s) = match opened {
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
    show(out, actor, &message.chat, &s, None, false).await
}

/// `/groups` in private: every group of the company with its subscription and whether its
/// alerts show sums, with buttons to change that and to let each go.
pub async fn list(out: &Out, actor: Actor) -> BotResult {
    let list = out.svc.groups().list(actor).await?;
    if list.is_empty() {
        out.say(msg("groups-empty")).await?;
        return Ok(());
    }
    let (text, kb) = groups_screen(out, actor, &list).await?;
    out.send_text(text, Some(kb)).await?;
    Ok(())
}

async fn groups_screen(
    out: &Out,
    actor: Actor,
    list: &[crate::app::groups::GroupView],
) -> BotResult<(String, InlineKeyboardMarkup)> {
    let mut text = out.t(&msg("groups-title").arg("count", list.len()));
    for g in list {
        let state = if g.chat.active {
            msg("groups-active")
        } else {
            msg("groups-inactive")
        };
        let money = if g.chat.show_money {
            msg("groups-money-shown")
        } else {
            msg("groups-money-hidden")
        };
        text.push_str(&format!(
            "\n\n«{}» — {}\n{}\n{}",
            g.chat.title,
            out.t(&state),
            out.t(&money),
            describe(out, actor, &g.subscription).await?
        ));
    }
    text.push_str("\n\n");
    text.push_str(&out.t(&msg("groups-hint")));
    let mut rows = Vec::new();
    for g in list {
        let title = g.chat.title.clone();
        let money = if g.chat.show_money {
            msg("groups-money-hide-button")
        } else {
            msg("groups-money-show-button")
        };
        rows.push(vec![button(
            out,
            money.arg("group", title.clone()),
            Cb::Money(g.chat.id.0, !g.chat.show_money).data(),
        )]);
        let label = msg("groups-release-button").arg("group", title);
        rows.push(vec![button(out, label, Cb::Release(g.chat.id.0).data())]);
    }
    Ok((text, InlineKeyboardMarkup::new(rows)))
}

/// The buttons of `/subscribe` and `/groups`.
pub async fn on_press(out: &Out, ctx: &Ctx, message: &Message, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ManageSettings)?;
    let chat = TgChatId(message.chat.id.0);
    match cb {
        Cb::Event(e) => {
            let s = out.svc.groups().toggle_group_event(actor, chat, e).await?;
            show(out, actor, &message.chat, &s, Some(message.id), false).await?;
            Ok(Notice::None)
        }
        Cb::Cabinet(id) => {
            let cabinet = (id != 0).then_some(CabinetId(id));
            let s = out
                .svc
                .groups()
                .toggle_group_cabinet(actor, chat, cabinet)
                .await
                .or_say("cabinet-not-found")?;
            show(out, actor, &message.chat, &s, Some(message.id), false).await?;
            Ok(Notice::None)
        }
        Cb::Hour(minute) => {
            let s = out
                .svc
                .groups()
                .set_group_summary_minute(actor, chat, minute)
                .await?;
            show(out, actor, &message.chat, &s, Some(message.id), false).await?;
            Ok(Notice::None)
        }
        Cb::Done => {
            let s = out.svc.groups().group_subscription(actor, chat).await?;
            show(out, actor, &message.chat, &s, Some(message.id), true).await?;
            Ok(Notice::None)
        }
        Cb::Release(id) => {
            let g = out.svc.groups().group(actor, TgChatId(id)).await?;
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("groups-release-confirm-button"),
                    Cb::ConfirmRelease(id).data(),
                )],
                cancel_row(out),
            ]);
            let text = msg("groups-release-confirm").arg("group", g.title);
            out.edit(message.id, out.t(&text), Some(kb)).await?;
            Ok(Notice::None)
        }
        Cb::Money(id, on) => {
            out.svc
                .groups()
                .set_group_money(actor, TgChatId(id), on)
                .await?;
            let list = out.svc.groups().list(actor).await?;
            let (text, kb) = groups_screen(out, actor, &list).await?;
            out.edit(message.id, text, Some(kb)).await?;
            Ok(Notice::None)
        }
        Cb::ConfirmRelease(id) => {
            let g = out.svc.groups().release_group(actor, TgChatId(id)).await?;
            let text = msg("groups-released").arg("group", g.title);
            out.edit(message.id, out.t(&text), None).await?;
            Ok(Notice::None)
        }
    }
}

/// The bot's own membership in chats: its branch of the handler tree.
pub fn membership() -> UpdateHandler<HandlerError> {
    Update::filter_my_chat_member().endpoint(my_chat_member)
}

/// The bot was added to or removed from a chat (or blocked in a private one).
async fn my_chat_member(bot: Bot, svc: Arc<Services>, upd: ChatMemberUpdated) -> HandlerResult {
    let chat = TgChatId(upd.chat.id.0);
    let by = TgUserId(i64::try_from(upd.from.id.0).unwrap_or_default());
    let lang = svc
        .session()
        .user_lang(by)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| crate::domain::Lang::from_telegram(upd.from.language_code.as_deref()));
    let out = Out::new(bot, svc.clone(), upd.chat.id, lang);
    guarded(&out, async {
        if !upd.new_chat_member.is_present() {
            svc.session().chat_gone(chat).await?;
            return Ok(());
        }
        if upd.chat.is_private() || upd.old_chat_member.is_present() {
            return Ok(());
        }
        let title = upd.chat.title().unwrap_or_default().to_owned();
        let reply = match svc
            .groups()
            .bot_added_to_group(by, chat, kind(&upd.chat), &title)
            .await?
        {
            GroupAdded::Linked { workspace } | GroupAdded::Back { workspace } => {
                msg("group-linked").arg("workspace", workspace)
            }
            GroupAdded::NotLinked => msg("group-not-linked"),
            GroupAdded::Paused => msg("group-paused"),
        };
        out.say(reply).await?;
        Ok(())
    })
    .await
}
