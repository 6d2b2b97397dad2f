//! Finding a SKU from what a user typed, for every screen that opens one: its code or a
//! barcode names it, else part of its name is searched; several finds are offered as
//! buttons, none is answered with what was asked.

use crate::domain::ids::SkuId;
use teloxide::types::InlineKeyboardMarkup;

use super::error::{BotError, BotResult};
use super::keyboards::plain;
use super::out::Out;
use crate::app::Actor;
use crate::domain::catalogue::Sku;
use crate::i18n::msg;

/// A SKU as lists name it: its code and name.
pub fn title(s: &Sku) -> String {
    format!("{} · {}", s.code, s.name)
}

/// The SKU `q` names or a search finds alone; when several are found they are sent as
/// buttons carrying `open(id)` and `None` comes back. None found names `command` to try
/// again with.
pub async fn pick(
    out: &Out,
    actor: Actor,
    q: &str,
    command: &str,
    open: impl Fn(SkuId) -> String,
) -> BotResult<Option<SkuId>> {
    if let Some(s) = out.svc.catalogue().find_sku(actor, q).await? {
        return Ok(Some(s.id));
    }
    let found = if q.chars().count() >= 2 {
        out.svc.catalogue().search_skus(actor, q).await?
    } else {
        Vec::new()
    };
    match found.as_slice() {
        [] => Err(BotError::User(
            msg("stock-unknown-sku")
                .arg("query", q.chars().take(40).collect::<String>())
                .arg("command", command.to_owned()),
        )),
        [one] => Ok(Some(one.id)),
        many => {
            let rows = many
                .iter()
                .map(|s| {
                    vec![plain(
                        title(s).chars().take(60).collect::<String>(),
                        open(s.id),
                    )]
                })
                .collect::<Vec<_>>();
            out.send_text(
                out.t(&msg("stock-found").arg("count", many.len())),
                Some(InlineKeyboardMarkup::new(rows)),
            )
            .await?;
            Ok(None)
        }
    }
}
