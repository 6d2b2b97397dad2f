//! `/team` and `/invite`: members and roles; for owners and admins a card per member to
//! change the role or remove them, and one-time invite links. Every press is re-checked
//! against the database.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, Notice, OrSay, Press};
use super::keyboards::{button, cancel_row, plain};
use super::menu;
use super::names;
use super::out::Out;
use crate::app::{Actor, INVITE_TTL_SECS};
use crate::domain::{InviteCode, Permission, Role, TgUserId};
use crate::i18n::{Msg, msg};

/// The buttons of `/team` and `/invite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    /// Create an invite for this role.
    Invite(Role),
    /// The member list.
    List,
    Member(TgUserId),
    SetRole(TgUserId, Role),
    Remove(TgUserId),
    ConfirmRemove(TgUserId),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Invite(role) => format!("i:{}", role.code()),
            Cb::List => "t:ls".to_owned(),
            Cb::Member(u) => format!("t:o:{}", u.0),
            Cb::SetRole(u, r) => format!("t:r:{}:{}", u.0, r.code()),
            Cb::Remove(u) => format!("t:x:{}", u.0),
            Cb::ConfirmRemove(u) => format!("t:xx:{}", u.0),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let user = |s: &str| codec::id(s).map(TgUserId);
        match parts {
            ["i", role] => role.parse().ok().map(Cb::Invite),
            ["t", "ls"] => Some(Cb::List),
            ["t", "o", u] => user(u).map(Cb::Member),
            ["t", "r", u, r] => Some(Cb::SetRole(user(u)?, r.parse().ok()?)),
            ["t", "x", u] => user(u).map(Cb::Remove),
            ["t", "xx", u] => user(u).map(Cb::ConfirmRemove),
            _ => None,
        }
    }
}

/// The member list; managers of the team get a button per member they may manage.
pub async fn show(out: &Out, ctx: &Ctx, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let team = out.svc.team().list(actor).await?;
    let mut text = out.t(&msg("team-title")
        .arg("workspace", ctx.workspace_name.clone().unwrap_or_default())
        .arg("count", team.len()));
    text.push('\n');
    for m in &team {
        let line = msg("team-member")
            .arg("name", m.display())
            .arg("role", out.t(&names::role(m.role)));
        text.push('\n');
        text.push_str(&out.t(&line));
    }
    let mut rows = Vec::new();
    if actor.role.can(Permission::ManageTeam) {
        for m in &team {
            if m.user != actor.user && actor.role.may_manage(m.role) {
                let label = format!("{} — {}", m.display(), out.t(&names::role(m.role)));
                rows.push(vec![plain(label, Cb::Member(m.user).data())]);
            }
        }
        text.push_str("\n\n");
        if rows.is_empty() {
            text.push_str(&out.t(&msg("team-invite-hint")));
        } else {
            text.push_str(&out.t(&msg("team-manage-hint")));
        }
    }
    let kb = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    out.show(edit, text, kb).await?;
    Ok(())
}

/// `/invite`: one button per role the inviter may grant.
pub async fn invite(out: &Out, actor: Actor) -> BotResult {
    let rows = actor
        .role
        .grantable()
        .iter()
        .map(|r| vec![button(out, names::role(*r), Cb::Invite(*r).data())])
        .chain(std::iter::once(cancel_row(out)))
        .collect::<Vec<_>>();
    out.send_text(
        out.t(&msg("invite-choose-role")),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

/// Tells a member what happened to them, in their language, and updates their menu.
async fn tell_member(
    out: &Out,
    member: TgUserId,
    note: impl FnOnce(&Out) -> Msg,
    role: Option<Role>,
) {
    let lang = out
        .svc
        .session()
        .user_lang(member)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let theirs = out.to_chat(ChatId(member.0), lang);
    if let Err(e) = theirs.say(note(&theirs)).await {
        tracing::warn!(error = %e, "could not tell a member about a change");
    }
    menu::set_for_chat(&out.bot, &out.svc.i18n, ChatId(member.0), lang, role).await;
}

/// The buttons of `/team` and `/invite`.
pub async fn on_press(out: &Out, ctx: &Ctx, message: MessageId, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    match cb {
        Cb::Invite(role) => {
            let mut code_bytes = [0u8; InviteCode::LEN];
            getrandom::fill(&mut code_bytes)
                .map_err(|e| BotError::Internal(format!("no randomness: {e}").into()))?;
            let code = InviteCode::from_random(code_bytes);
            out.svc.team().create_invite(actor, role, &code).await?;
            let me = out.bot.get_me().await?;
            let link = format!("https://t.me/{}?start={}", me.username(), code.as_str());
            let text = msg("invite-created")
                .arg("role", out.t(&names::role(role)))
                .arg("link", link)
                .arg("code", code.as_str().to_owned())
                .arg("hours", INVITE_TTL_SECS / 3600);
            out.edit(message, out.t(&text), None).await?;
            Ok(Notice::None)
        }
        Cb::List => {
            show(out, ctx, actor, Some(message)).await?;
            Ok(Notice::None)
        }
        Cb::Member(user) => {
            let m = out
                .svc
                .team()
                .manageable_member(actor, user)
                .await
                .or_say("member-not-found")?;
            let mut rows: Vec<Vec<InlineKeyboardButton>> = actor
                .role
                .assignable()
                .iter()
                .copied()
                .filter(|r| *r != m.role)
                .map(|r| {
                    let label = msg("member-make").arg("role", out.t(&names::role(r)));
                    vec![button(out, label, Cb::SetRole(user, r).data())]
                })
                .collect();
            rows.push(vec![button(
                out,
                msg("member-remove-button"),
                Cb::Remove(user).data(),
            )]);
            rows.push(vec![button(out, msg("button-back"), Cb::List.data())]);
            let text = msg("member-card")
                .arg("name", m.display())
                .arg("role", out.t(&names::role(m.role)));
            out.edit(message, out.t(&text), Some(InlineKeyboardMarkup::new(rows)))
                .await?;
            Ok(Notice::None)
        }
        Cb::SetRole(user, role) => {
            let m = out
                .svc
                .team()
                .set_member_role(actor, user, role)
                .await
                .or_say("member-not-found")?;
            let text = msg("member-role-changed")
                .arg("name", m.display())
                .arg("role", out.t(&names::role(role)));
            out.edit(message, out.t(&text), None).await?;
            let workspace = ctx.workspace_name.clone().unwrap_or_default();
            let note = |o: &Out| {
                msg("member-your-role")
                    .arg("workspace", workspace)
                    .arg("role", o.t(&names::role(role)))
            };
            tell_member(out, user, note, Some(role)).await;
            Ok(Notice::None)
        }
        Cb::Remove(user) => {
            let m = out
                .svc
                .team()
                .manageable_member(actor, user)
                .await
                .or_say("member-not-found")?;
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("member-remove-confirm-button"),
                    Cb::ConfirmRemove(user).data(),
                )],
                vec![button(out, msg("button-back"), Cb::Member(user).data())],
            ]);
            let text = msg("member-remove-confirm").arg("name", m.display());
            out.edit(message, out.t(&text), Some(kb)).await?;
            Ok(Notice::None)
        }
        Cb::ConfirmRemove(user) => {
            let m = out
                .svc
                .team()
                .remove_member(actor, user)
                .await
                .or_say("member-not-found")?;
            out.edit(
                message,
                out.t(&msg("member-removed").arg("name", m.display())),
                None,
            )
            .await?;
            let workspace = ctx.workspace_name.clone().unwrap_or_default();
            let note = |_: &Out| msg("member-you-were-removed").arg("workspace", workspace);
            tell_member(out, user, note, None).await;
            Ok(Notice::None)
        }
    }
}
