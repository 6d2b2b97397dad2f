//! `/team`: members and roles; for owners and admins a card per member to change the
//! role or remove them. Every press is re-checked against the database.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::context::Ctx;
use super::keyboards::{self, button};
use super::out::Out;
use super::{HandlerError, menu};
use crate::app::{Actor, AppError};
use crate::domain::Member;
use crate::domain::callback::Callback;
use crate::domain::{Lang, Permission, TgUserId};
use crate::i18n::{Msg, msg};

fn display(m: &Member) -> String {
    match &m.username {
        Some(u) => format!("{} (@{u})", m.first_name),
        None => m.first_name.clone(),
    }
}

/// The member list; managers of the team get a button per member they may manage.
pub async fn show(
    out: &Out,
    ctx: &Ctx,
    actor: Actor,
    edit: Option<MessageId>,
) -> Result<(), HandlerError> {
    let team = out.svc.team(actor).await?;
    let mut text = out.t(&msg("team-title")
        .arg("workspace", ctx.workspace_name.clone().unwrap_or_default())
        .arg("count", team.len()));
    text.push('\n');
    for m in &team {
        let line = msg("team-member")
            .arg("name", display(m))
            .arg("role", out.t(&keyboards::role_name(m.role)));
        text.push('\n');
        text.push_str(&out.t(&line));
    }
    let mut rows = Vec::new();
    if actor.role.can(Permission::ManageTeam) {
        for m in &team {
            if m.user != actor.user && actor.role.may_manage(m.role) {
                rows.push(vec![InlineKeyboardButton::callback(
                    format!("{} — {}", display(m), out.t(&keyboards::role_name(m.role))),
                    Callback::Member(m.user).encode(),
                )]);
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

fn refused(e: AppError) -> super::PressReply {
    super::refusal(e, "member-not-found")
}

/// Tells a member what happened to them, in their language, and updates their menu.
async fn tell_member(
    out: &Out,
    member: TgUserId,
    note: impl FnOnce(&Out) -> Msg,
    role: Option<crate::domain::Role>,
) {
    let lang = match crate::storage::users::get(&out.svc.db, member).await {
        Ok(Some(u)) => u.effective_lang(),
        _ => Lang::default(),
    };
    let theirs = Out::new(out.bot.clone(), out.svc.clone(), ChatId(member.0), lang);
    if let Err(e) = theirs.say(note(&theirs)).await {
        tracing::warn!(error = %e, "could not tell a member about a change");
    }
    menu::set_for_chat(&out.bot, &out.svc.i18n, ChatId(member.0), lang, role).await;
}

/// Button presses of `/team`.
pub async fn on_callback(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    cb: Callback,
) -> Result<(Option<Msg>, bool), HandlerError> {
    let Some(actor) = ctx.actor() else {
        return Ok((Some(msg("no-permission")), true));
    };
    match cb {
        Callback::Team => {
            show(out, ctx, actor, Some(message.id)).await?;
            Ok((None, false))
        }
        Callback::Member(user) => {
            let m = match out.svc.manageable_member(actor, user).await {
                Ok(m) => m,
                Err(e) => return refused(e),
            };
            let mut rows: Vec<Vec<InlineKeyboardButton>> = actor
                .role
                .assignable()
                .iter()
                .copied()
                .filter(|r| *r != m.role)
                .map(|r| {
                    vec![button(
                        out,
                        msg("member-make").arg("role", out.t(&keyboards::role_name(r))),
                        Callback::MemberRole(user, r),
                    )]
                })
                .collect();
            rows.push(vec![button(
                out,
                msg("member-remove-button"),
                Callback::RemoveMember(user),
            )]);
            rows.push(vec![button(out, msg("button-back"), Callback::Team)]);
            let text = msg("member-card")
                .arg("name", display(&m))
                .arg("role", out.t(&keyboards::role_name(m.role)));
            out.edit(
                message.id,
                out.t(&text),
                Some(InlineKeyboardMarkup::new(rows)),
            )
            .await?;
            Ok((None, false))
        }
        Callback::MemberRole(user, role) => {
            match out.svc.set_member_role(actor, user, role).await {
                Ok(m) => {
                    let role_name = out.t(&keyboards::role_name(role));
                    out.edit(
                        message.id,
                        out.t(&msg("member-role-changed")
                            .arg("name", display(&m))
                            .arg("role", role_name)),
                        None,
                    )
                    .await?;
                    let workspace = ctx.workspace_name.clone().unwrap_or_default();
                    let note = |o: &Out| {
                        msg("member-your-role")
                            .arg("workspace", workspace)
                            .arg("role", o.t(&keyboards::role_name(role)))
                    };
                    tell_member(out, user, note, Some(role)).await;
                    Ok((None, false))
                }
                Err(e) => refused(e),
            }
        }
        Callback::RemoveMember(user) => {
            let m = match out.svc.manageable_member(actor, user).await {
                Ok(m) => m,
                Err(e) => return refused(e),
            };
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("member-remove-confirm-button"),
                    Callback::ConfirmRemove(user),
                )],
                vec![button(out, msg("button-back"), Callback::Member(user))],
            ]);
            out.edit(
                message.id,
                out.t(&msg("member-remove-confirm").arg("name", display(&m))),
                Some(kb),
            )
            .await?;
            Ok((None, false))
        }
        Callback::ConfirmRemove(user) => match out.svc.remove_member(actor, user).await {
            Ok(m) => {
                out.edit(
                    message.id,
                    out.t(&msg("member-removed").arg("name", display(&m))),
                    None,
                )
                .await?;
                let workspace = ctx.workspace_name.clone().unwrap_or_default();
                let note = |_: &Out| msg("member-you-were-removed").arg("workspace", workspace);
                tell_member(out, user, note, None).await;
                Ok((None, false))
            }
            Err(e) => refused(e),
        },
        _ => Ok((Some(msg("button-stale")), true)),
    }
}
