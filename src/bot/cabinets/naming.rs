//! Cabinet names typed in a chat: one line, not too long, not another cabinet's.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

use crate::app::Actor;
use crate::bot::error::BotResult;
use crate::bot::out::Out;
use crate::domain::{CabinetId, WorkspaceName, WorkspaceNameError};
use crate::i18n::{Msg, msg};

fn problem(e: WorkspaceNameError) -> Msg {
    match e {
        WorkspaceNameError::Empty => msg("cabinet-name-empty"),
        WorkspaceNameError::TooLong => {
            msg("cabinet-name-too-long").arg("max", WorkspaceName::MAX_CHARS)
        }
        WorkspaceNameError::MultiLine => msg("cabinet-name-one-line"),
    }
}

/// Whether another live cabinet of the actor's company has this name (any case).
pub async fn taken(
    out: &Out,
    actor: Actor,
    name: &str,
    except: Option<CabinetId>,
) -> BotResult<bool> {
    Ok(out.svc.cabinets().list(actor).await?.iter().any(|c| {
        Some(c.id) != except && crate::domain::name_key(&c.name) == crate::domain::name_key(name)
    }))
}

/// A cabinet name from a message. When it is not one, says why (with `kb` under the
/// answer) and returns `None`.
pub async fn read(
    out: &Out,
    actor: Actor,
    message: &Message,
    except: Option<CabinetId>,
    kb: InlineKeyboardMarkup,
) -> BotResult<Option<String>> {
    let refusal = match message.text().map(WorkspaceName::parse) {
        None => msg("connect-name-need-text"),
        Some(Err(e)) => problem(e),
        Some(Ok(n)) => {
            let name = n.as_str().to_owned();
            if !taken(out, actor, &name, except).await? {
                return Ok(Some(name));
            }
            msg("connect-name-taken").arg("name", name)
        }
    };
    out.send_text(out.t(&refusal), Some(kb)).await?;
    Ok(None)
}
