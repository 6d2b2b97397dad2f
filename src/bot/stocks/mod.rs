//! `/stock`, `/lowstock` and `/count` (F5): a SKU's card (its levels, what open orders
//! hold, what is left to sell, days of stock, where it is sold), a level set, added to or
//! taken from with a reason, the SKUs below their threshold, and an inventory: scan or type
//! a barcode, then the counted number, again and again.

use crate::domain::ids::{ProductId, SkuId, StoreId};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, Notice, OrSay, Press};
use super::keyboards::{self, button, plain};
use super::names;
use super::out::Out;
use super::skus;
pub(super) use super::skus::title;
use super::state::{BotDialogue, State};
use crate::app::Actor;
use crate::app::stocks::charts::WINDOWS;
use crate::domain::Permission;
use crate::domain::stock::Mode;
use crate::i18n::{Msg, msg};

mod count;
mod dialogue;
mod reports;
pub mod warehouses;

pub use count::{count, count_message};
pub(super) use dialogue::change_error;
pub use dialogue::{amount_message, find_message, store_message, threshold_message};
pub use reports::{chart, chart_command, low, reconcile};

/// The buttons of the stock screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Card(SkuId),
    /// Set, add or subtract, in one of our warehouses (0: choose).
    Change(SkuId, Mode, Option<StoreId>),
    Low,
    /// A SKU's links to marketplace products.
    Links(SkuId),
    /// Undo the link of a SKU to a product.
    Unlink(SkuId, ProductId),
    /// A SKU's stock chart over so many days.
    Chart(SkuId, i64),
    /// Push ours where the marketplaces disagree.
    PushOurs,
    /// Publish a SKU to the marketplaces, or not.
    Publish(SkuId, bool),
    /// Ask for a SKU's low-stock threshold.
    Threshold(SkuId),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Card(s) => format!("sk:c:{s}"),
            Cb::Change(s, m, w) => format!("sk:m:{s}:{}:{}", m.code(), w.map_or(0, |w| w.0)),
            Cb::Low => "sk:l".to_owned(),
            Cb::Links(s) => format!("sk:k:{s}"),
            Cb::Unlink(s, p) => format!("sk:x:{s}:{p}"),
            Cb::Chart(s, d) => format!("sk:g:{s}:{d}"),
            Cb::PushOurs => "sk:rp".to_owned(),
            Cb::Publish(s, on) => format!("sk:p:{s}:{}", codec::bit(on)),
            Cb::Threshold(s) => format!("sk:t:{s}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        Some(match parts {
            ["sk", "c", s] => Cb::Card(codec::id(s)?),
            ["sk", "m", s, m, w] => Cb::Change(
                codec::id(s)?,
                Mode::parse(m)?,
                codec::id::<i64>(w).map(|w| (w != 0).then_some(StoreId(w)))?,
            ),
            ["sk", "l"] => Cb::Low,
            ["sk", "rp"] => Cb::PushOurs,
            ["sk", "p", s, on] => Cb::Publish(codec::id(s)?, codec::flag(on)?),
            ["sk", "t", s] => Cb::Threshold(codec::id(s)?),
            ["sk", "k", s] => Cb::Links(codec::id(s)?),
            ["sk", "x", s, p] => Cb::Unlink(codec::id(s)?, codec::id(p)?),
            ["sk", "g", s, d] => {
                Cb::Chart(codec::id(s)?, codec::id(d).filter(|d| WINDOWS.contains(d))?)
            }
            _ => return None,
        })
    }
}

/// The button under a stock alert.
/// A button opening a SKU's card, named by its code (a line of a grouped alert).
pub fn card_button(sku: SkuId, code: &str) -> teloxide::types::InlineKeyboardButton {
    let code: String = code.chars().take(40).collect();
    teloxide::types::InlineKeyboardButton::callback(format!("📦 {code}"), Cb::Card(sku).data())
}

pub fn alert_buttons(out: &Out, sku: SkuId) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![button(
        out,
        msg("stock-card-button"),
        Cb::Card(sku).data(),
    )]])
}

/// A SKU's card.
pub async fn card(out: &Out, actor: Actor, sku: SkuId, edit: Option<MessageId>) -> BotResult {
    let c = out
        .svc
        .stocks()
        .stock_card(actor, sku)
        .await
        .or_say("stock-sku-gone")?;
    let links = out.svc.catalogue().links_of(actor, sku).await?;
    let mut lines = vec![
        format!("📦 {}", title(&c.sku)),
        out.t(&msg("stock-card-barcodes").arg("barcodes", barcodes(out, &c.sku.barcodes))),
    ];
    if c.tracked {
        for (store, q) in &c.levels {
            lines.push(format!("• {}: {q}", store.name));
        }
    } else {
        lines.push(out.t(&msg("stock-card-untracked")));
    }
    if c.reserved > 0 {
        let numbers: Vec<String> = c.holds.iter().take(10).map(|h| h.number.clone()).collect();
        lines.push(
            out.t(&msg("stock-card-held")
                .arg("count", c.reserved)
                .arg("orders", numbers.join(", "))),
        );
    }
    lines.push(out.t(&if c.threshold > 0 {
        msg("stock-card-available")
            .arg("count", c.available())
            .arg("threshold", c.threshold)
    } else {
        msg("stock-card-available-unwatched").arg("count", c.available())
    }));
    lines.push(match c.days_left {
        Some(d) => out.t(&msg("stock-card-velocity")
            .arg("sold", c.sold)
            .arg("days", d)),
        None => out.t(&msg("stock-card-no-sales")),
    });
    if !c.sku.publish {
        lines.push(out.t(&msg("stock-card-not-published")));
    } else if let Some(f) = &c.sku.formula {
        let stores: Vec<_> = c.levels.iter().map(|(s, _)| s.clone()).collect();
        let stores = if f.stores.is_empty() {
            stores
        } else {
            out.svc.stocks().stores(actor).await?
        };
        lines.push(out.t(
            &msg("stock-card-own-formula").arg("formula", warehouses::describe(out, f, &stores)),
        ));
    }
    for (cabinet, warehouse, units) in out
        .svc
        .stocks()
        .fbo_of_sku(actor, sku)
        .await?
        .iter()
        .take(8)
    {
        lines.push(
            out.t(&msg("stock-card-fbo")
                .arg("cabinet", cabinet.clone())
                .arg("warehouse", warehouse.clone())
                .arg("count", *units)),
        );
    }
    if links.is_empty() {
        lines.push(out.t(&msg("stock-card-not-sold")));
    } else {
        lines.push(out.t(&msg("stock-card-sold-as")));
        for l in links.iter().take(10) {
            lines.push(format!(
                "• {} · {} · {}",
                out.t(&names::marketplace(l.cabinet.marketplace)),
                l.cabinet.name,
                l.product.vendor_code
            ));
        }
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if actor.role.can(Permission::CountStock) {
        rows.push(
            Mode::ALL
                .into_iter()
                .map(|m| button(out, mode_label(m), Cb::Change(sku, m, None).data()))
                .collect(),
        );
    }
    let mut row = vec![
        button(out, msg("catalogue-links-button"), Cb::Links(sku).data()),
        button(out, msg("chart-button"), Cb::Chart(sku, 30).data()),
    ];
    // Prices only for those who may see them (the warehouse does not).
    if actor.role.can(Permission::ViewFinance) {
        row.push(button(
            out,
            msg("price-button"),
            crate::bot::prices::Cb::Card(sku).data(),
        ));
    }
    rows.push(row);
    if actor.role.can(Permission::ManagePrices) {
        let publish = if c.sku.publish {
            button(
                out,
                msg("stock-unpublish-button"),
                Cb::Publish(sku, false).data(),
            )
        } else {
            button(
                out,
                msg("stock-publish-button"),
                Cb::Publish(sku, true).data(),
            )
        };
        rows.push(vec![
            publish,
            button(
                out,
                msg("stock-threshold-button"),
                Cb::Threshold(sku).data(),
            ),
        ]);
        rows.push(vec![button(
            out,
            msg("stock-formula-button"),
            warehouses::Cb::Formula(crate::app::stocks::warehouses::Target::Sku(sku)).data(),
        )]);
    }
    out.show(
        edit,
        lines.join("\n"),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

fn barcodes(out: &Out, list: &[String]) -> String {
    if list.is_empty() {
        out.t(&msg("catalogue-no-barcodes"))
    } else {
        list.join(", ")
    }
}

fn mode_label(m: Mode) -> Msg {
    msg(match m {
        Mode::Set => "stock-set-button",
        Mode::Add => "stock-add-button",
        Mode::Subtract => "stock-subtract-button",
    })
}

/// A SKU's links, each with a button that undoes it.
pub async fn links(out: &Out, actor: Actor, sku: SkuId, edit: Option<MessageId>) -> BotResult {
    let s = out
        .svc
        .catalogue()
        .sku(actor, sku)
        .await
        .or_say("stock-sku-gone")?;
    let list = out.svc.catalogue().links_of(actor, sku).await?;
    let mut lines = vec![
        out.t(&msg("catalogue-links-title")
            .arg("code", s.code.clone())
            .arg("count", list.len())),
    ];
    let mut rows = Vec::new();
    for l in &list {
        let line = format!(
            "{} · {} · {} · {}",
            out.t(&names::marketplace(l.cabinet.marketplace)),
            l.cabinet.name,
            l.product.vendor_code,
            l.product.name.chars().take(40).collect::<String>()
        );
        lines.push(format!("• {line}"));
        if actor.role.can(Permission::ManagePrices) {
            rows.push(vec![button(
                out,
                msg("catalogue-unlink-button").arg("vendor", l.product.vendor_code.clone()),
                Cb::Unlink(sku, l.product.id).data(),
            )]);
        }
    }
    rows.push(vec![button(
        out,
        msg("stock-card-button"),
        Cb::Card(sku).data(),
    )]);
    out.show(
        edit,
        lines.join("\n"),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

/// `/stock`: a SKU by code or barcode, a search, or "type part of the name".
pub async fn command(out: &Out, actor: Actor, dialogue: &BotDialogue, args: &str) -> BotResult {
    let q = args.trim();
    if q.is_empty() {
        start_find(out, actor, dialogue).await?;
        return Ok(());
    }
    find(out, actor, q).await
}

async fn start_find(out: &Out, actor: Actor, dialogue: &BotDialogue) -> BotResult {
    dialogue
        .update(State::StockFind {
            workspace: actor.workspace.0,
        })
        .await
        .map_err(BotError::Internal)?;
    out.send_text(out.t(&msg("stock-find-ask")), Some(keyboards::cancel(out)))
        .await?;
    Ok(())
}

/// Shows the SKU `q` names, or the SKUs a search finds.
async fn find(out: &Out, actor: Actor, q: &str) -> BotResult {
    match skus::pick(out, actor, q, "/stock", |id| Cb::Card(id).data()).await? {
        Some(id) => card(out, actor, id, None).await,
        None => Ok(()),
    }
}

pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    match cb {
        Cb::Card(s) => card(out, actor, s, None).await?,
        Cb::Low => low(out, actor, Some(message.id)).await?,
        Cb::Links(s) => links(out, actor, s, Some(message.id)).await?,
        Cb::Chart(s, days) => chart(out, actor, s, days).await?,
        Cb::Publish(s, on) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            out.svc
                .stocks()
                .set_publish(actor, s, on)
                .await
                .or_say("stock-sku-gone")?;
            card(out, actor, s, Some(message.id)).await?;
            return Ok(Notice::Toast(msg(if on {
                "stock-published"
            } else {
                "stock-unpublished"
            })));
        }
        Cb::Threshold(s) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            let sku = out
                .svc
                .catalogue()
                .sku(actor, s)
                .await
                .or_say("stock-sku-gone")?;
            dialogue
                .update(State::StockThreshold {
                    workspace: actor.workspace.0,
                    sku: s,
                })
                .await
                .map_err(BotError::Internal)?;
            out.send_text(
                out.t(&msg("stock-threshold-ask").arg("sku", title(&sku))),
                Some(keyboards::cancel(out)),
            )
            .await?;
        }
        Cb::PushOurs => {
            let actor = ctx.acting(Permission::ManageOrders)?;
            let n = out
                .svc
                .stocks()
                .push_differences(actor, crate::domain::TgChatId(out.chat.0))
                .await?;
            out.drop_buttons(message.id).await;
            let m = if n == 0 {
                msg("reconcile-none")
            } else {
                msg("reconcile-pushing").arg("count", n as i64)
            };
            out.say(m).await?;
        }
        Cb::Unlink(s, p) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            out.svc
                .catalogue()
                .unlink_product(actor, s, p)
                .await
                .or_say("catalogue-product-gone")?;
            links(out, actor, s, Some(message.id)).await?;
            return Ok(Notice::Toast(msg("catalogue-unlinked")));
        }
        Cb::Change(s, mode, store) => {
            let actor = ctx.acting(Permission::CountStock)?;
            let sku = out
                .svc
                .catalogue()
                .sku(actor, s)
                .await
                .or_say("stock-sku-gone")?;
            let stores = out.svc.stocks().stores(actor).await?;
            let store = match (store, stores.as_slice()) {
                (None, [only]) => only.clone(),
                (None, many) => {
                    let mut rows = many
                        .iter()
                        .map(|w| {
                            vec![plain(
                                w.name.clone(),
                                Cb::Change(s, mode, Some(w.id)).data(),
                            )]
                        })
                        .collect::<Vec<_>>();
                    rows.push(crate::bot::keyboards::cancel_row(out));
                    // What is typed now is told to press a warehouse, not "not understood".
                    dialogue
                        .update(State::StockStore {
                            workspace: actor.workspace.0,
                            sku: s,
                            mode,
                        })
                        .await
                        .map_err(BotError::Internal)?;
                    out.send_text(
                        out.t(&msg("stock-choose-store")),
                        Some(InlineKeyboardMarkup::new(rows)),
                    )
                    .await?;
                    return Ok(Notice::None);
                }
                (Some(id), list) => list
                    .iter()
                    .find(|w| w.id == id)
                    .cloned()
                    .ok_or(BotError::User(msg("button-stale")))?,
            };
            dialogue
                .update(State::StockAmount {
                    workspace: actor.workspace.0,
                    sku: s,
                    store: store.id,
                    mode,
                })
                .await
                .map_err(BotError::Internal)?;
            let ask = match mode {
                Mode::Set => "stock-ask-set",
                Mode::Add => "stock-ask-add",
                Mode::Subtract => "stock-ask-subtract",
            };
            out.send_text(
                out.t(&msg(ask)
                    .arg("sku", title(&sku))
                    .arg("store", store.name.clone())),
                Some(keyboards::cancel(out)),
            )
            .await?;
        }
    }
    Ok(Notice::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_round_trip() {
        for cb in [
            Cb::Card(SkuId(7)),
            Cb::Change(SkuId(7), Mode::Subtract, Some(StoreId(3))),
            Cb::Change(SkuId(7), Mode::Set, None),
            Cb::Low,
        ] {
            let data = cb.data();
            let parts = codec::parts(&data).expect("parts");
            assert_eq!(Cb::parse(&parts), Some(cb));
        }
    }
}
