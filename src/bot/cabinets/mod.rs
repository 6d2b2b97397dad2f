//! `/cabinets` (F1): the list with each cabinet's health, a cabinet's card with its actions
//! (rename, enable or disable, make main, replace the key, delete), and the connect
//! dialogue (`connect/`). Every press is re-checked against the caller's role and workspace.

pub mod connect;
mod naming;
mod view;

use crate::bot::context::answering;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

use super::codec;
use super::context::Ctx;
use super::error::{HandlerError, HandlerResult, Notice, OrSay, Press};
use super::keyboards::{self, button};
use super::out::Out;
use super::state::{BotDialogue, State};
use crate::app::Services;
use crate::app::cabinets::DeleteMode;
use crate::domain::{CabinetId, Permission, WorkspaceName};
use crate::i18n::msg;

pub use view::list as show_list;

/// The buttons of `/cabinets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    List,
    Add,
    Open(CabinetId),
    Rename(CabinetId),
    Enable(CabinetId, bool),
    Main(CabinetId),
    ReplaceKey(CabinetId),
    Delete(CabinetId),
    /// Delete for good; `true` keeps the cabinet's data.
    ConfirmDelete(CabinetId, bool),
    /// The items the marketplace refused at the last stock push.
    Refused(CabinetId),
    /// A step of the connect dialogue.
    Connect(connect::Cb),
}

impl Cb {
    pub fn data(self) -> String {
        let code = match self {
            Cb::List => "c:ls".to_owned(),
            Cb::Add => "c:add".to_owned(),
            Cb::Open(id) => format!("c:o:{}", id.0),
            Cb::Rename(id) => format!("c:rn:{}", id.0),
            Cb::Enable(id, on) => format!("c:en:{}:{}", id.0, codec::bit(on)),
            Cb::Main(id) => format!("c:mn:{}", id.0),
            Cb::ReplaceKey(id) => format!("c:k:{}", id.0),
            Cb::Delete(id) => format!("c:d:{}", id.0),
            Cb::ConfirmDelete(id, keep) => format!("c:dd:{}:{}", id.0, codec::bit(keep)),
            Cb::Refused(id) => format!("c:rf:{}", id.0),
            Cb::Connect(c) => return c.data(),
        };
        codec::data(code)
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let cab = |s: &str| codec::id(s).map(CabinetId);
        match parts {
            ["k", ..] => connect::Cb::parse(parts).map(Cb::Connect),
            ["c", "ls"] => Some(Cb::List),
            ["c", "add"] => Some(Cb::Add),
            ["c", "o", c] => cab(c).map(Cb::Open),
            ["c", "rn", c] => cab(c).map(Cb::Rename),
            ["c", "en", c, on] => Some(Cb::Enable(cab(c)?, codec::flag(on)?)),
            ["c", "mn", c] => cab(c).map(Cb::Main),
            ["c", "rf", c] => cab(c).map(Cb::Refused),
            ["c", "k", c] => cab(c).map(Cb::ReplaceKey),
            ["c", "d", c] => cab(c).map(Cb::Delete),
            ["c", "dd", c, keep] => Some(Cb::ConfirmDelete(cab(c)?, codec::flag(keep)?)),
            _ => None,
        }
    }
}

/// The cabinets' branch of the handler tree: the connect and rename dialogues.
pub fn messages() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .branch(dptree::case![State::Connect(connect)].endpoint(connect::on_message))
        .branch(dptree::case![State::RenameCabinet { workspace, cabinet }].endpoint(rename_message))
}

/// The buttons of `/cabinets`: viewing for every member, changing for owners and admins in
/// a private chat.
pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    let id = message.id;
    match cb {
        Cb::List => {
            view::list(out, actor, Some(id)).await?;
            return Ok(Notice::None);
        }
        Cb::Open(cabinet) => {
            let c = out
                .svc
                .cabinets()
                .cabinet(actor, cabinet)
                .await
                .or_say("cabinet-not-found")?;
            view::card(out, actor, &c, id).await?;
            return Ok(Notice::None);
        }
        Cb::Refused(cabinet) => {
            let c = out
                .svc
                .cabinets()
                .cabinet(actor, cabinet)
                .await
                .or_say("cabinet-not-found")?;
            view::refused(out, actor, &c, id).await?;
            return Ok(Notice::None);
        }
        _ => {}
    }
    if !actor.role.can(Permission::ManageCabinets) {
        return Ok(Notice::Alert(msg("no-permission")));
    }
    if !ctx.private {
        return Ok(Notice::Alert(msg("cabinets-private-only")));
    }
    match cb {
        Cb::List | Cb::Open(_) | Cb::Refused(_) => Ok(Notice::None),
        Cb::Add => connect::start(out, actor, id, dialogue).await,
        Cb::Connect(step) => connect::on_press(out, ctx, actor, id, dialogue, step).await,
        Cb::ReplaceKey(cabinet) => connect::start_replace(out, actor, id, dialogue, cabinet).await,
        Cb::Rename(cabinet) => {
            let c = out
                .svc
                .cabinets()
                .cabinet(actor, cabinet)
                .await
                .or_say("cabinet-not-found")?;
            out.drop_buttons(id).await;
            dialogue
                .update(State::RenameCabinet {
                    workspace: actor.workspace.0,
                    cabinet: cabinet.0,
                })
                .await?;
            let ask = msg("cabinet-ask-name")
                .arg("name", c.name)
                .arg("max", WorkspaceName::MAX_CHARS);
            out.send_text(out.t(&ask), Some(keyboards::cancel(out)))
                .await?;
            Ok(Notice::None)
        }
        Cb::Enable(cabinet, on) => {
            let c = out
                .svc
                .cabinets()
                .set_cabinet_enabled(actor, cabinet, on)
                .await
                .or_say("cabinet-not-found")?;
            view::card(out, actor, &c, id).await?;
            let notice = if on {
                msg("cabinet-enabled")
            } else {
                msg("cabinet-disabled")
            };
            Ok(Notice::Toast(notice))
        }
        Cb::Main(cabinet) => {
            let c = out
                .svc
                .cabinets()
                .make_main_cabinet(actor, cabinet)
                .await
                .or_say("cabinet-not-found")?;
            view::card(out, actor, &c, id).await?;
            Ok(Notice::Toast(msg("cabinet-now-main")))
        }
        Cb::Delete(cabinet) => {
            let c = out
                .svc
                .cabinets()
                .cabinet(actor, cabinet)
                .await
                .or_say("cabinet-not-found")?;
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("cabinet-delete-keep"),
                    Cb::ConfirmDelete(cabinet, true).data(),
                )],
                vec![button(
                    out,
                    msg("cabinet-delete-purge"),
                    Cb::ConfirmDelete(cabinet, false).data(),
                )],
                vec![button(out, msg("button-back"), Cb::Open(cabinet).data())],
            ]);
            let text = msg("cabinet-delete-confirm").arg("name", c.name);
            out.edit(id, out.t(&text), Some(kb)).await?;
            Ok(Notice::None)
        }
        Cb::ConfirmDelete(cabinet, keep) => {
            let mode = if keep {
                DeleteMode::KeepData
            } else {
                DeleteMode::RemoveData
            };
            let c = out
                .svc
                .cabinets()
                .delete_cabinet(actor, cabinet, mode)
                .await
                .or_say("cabinet-not-found")?;
            let m = if keep {
                msg("cabinet-deleted-kept")
            } else {
                msg("cabinet-deleted-purged")
            };
            out.edit(id, out.t(&m.arg("name", c.name)), None).await?;
            Ok(Notice::None)
        }
    }
}

/// A message while renaming a cabinet.
async fn rename_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, cabinet): (i64, i64),
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManageCabinets,
        async |out, actor| {
            let id = CabinetId(cabinet);
            let kb = keyboards::cancel(out);
            let Some(name) = naming::read(out, actor, &message, Some(id), kb).await? else {
                return Ok(());
            };
            let renamed = out.svc.cabinets().rename_cabinet(actor, id, &name).await;
            dialogue.exit().await?;
            renamed.or_say("cabinet-not-found")?;
            out.say(msg("cabinet-renamed").arg("name", name)).await?;
            Ok(())
        },
    )
    .await
}
