//! Changing one SKU's price (F6): choose the cabinets it is sold on (all at first), type
//! the new price, a relative change ("-10%") or the discount, and see per cabinet old →
//! new with the change in percent, the price after the discount and the margin; the
//! preview's Apply queues the push (a jump above the threshold asks once more), and the
//! marketplaces' answers come to this chat.

use crate::bot::context::answering;
use crate::domain::ids::SkuId;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use super::super::context::Ctx;
use super::super::error::{BotError, BotResult, HandlerResult, OrSay};
use super::super::keyboards::{button, cancel_row, plain};
use super::super::names;
use super::super::out::Out;
use super::super::skus;
use super::super::state::{BotDialogue, State};
use super::super::uploads::Cb as UploadCb;
use super::{Cb, short};
use crate::app::prices::{Refusal, Target};
use crate::app::{Actor, Services};
use crate::domain::Permission;
use crate::domain::price::{Input, parse_discount};
use crate::i18n::msg;

/// The cabinets a mask chooses among those a SKU is sold on.
fn chosen(mask: u64, i: usize) -> bool {
    i < 64 && mask & (1 << i) != 0
}

/// The cabinet chooser: a toggle per cabinet the SKU is sold on, those it is not sold on
/// named, then what to type.
pub async fn pick(out: &Out, actor: Actor, sku: SkuId, mask: u64, edit: MessageId) -> BotResult {
    let t = out
        .svc
        .prices()
        .price_targets(actor, sku)
        .await
        .or_say("stock-sku-gone")?;
    let mut text = vec![out.t(&msg("price-pick").arg("sku", skus::title(&t.sku)))];
    let mut rows = Vec::new();
    // A button carries a bit per cabinet: the first 64 it is sold on.
    for (i, (c, p)) in t.on.iter().enumerate().take(64) {
        let on = chosen(mask, i);
        let price = short(out, p.as_ref().map(|p| p.after_discount));
        rows.push(vec![plain(
            format!("{} {} · {price}", if on { "✅" } else { "▫️" }, c.name),
            Cb::Pick(sku, mask ^ (1 << i)).data(),
        )]);
    }
    if !t.not_sold.is_empty() {
        text.push(out.t(&msg("price-not-sold-on").arg("cabinets", t.not_sold.join(", "))));
    }
    let any = (0..t.on.len()).any(|i| chosen(mask, i));
    if any {
        rows.push(vec![
            button(
                out,
                msg("price-ask-button"),
                Cb::Ask(sku, mask, false).data(),
            ),
            button(
                out,
                msg("price-discount-button"),
                Cb::Ask(sku, mask, true).data(),
            ),
        ]);
    } else {
        text.push(out.t(&msg("price-pick-none")));
    }
    rows.push(cancel_row(out));
    out.show(
        Some(edit),
        text.join("\n"),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

/// Asks for the new price or discount on the cabinets chosen.
pub async fn ask(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    sku: SkuId,
    mask: u64,
    discount: bool,
) -> BotResult {
    let t = out
        .svc
        .prices()
        .price_targets(actor, sku)
        .await
        .or_say("stock-sku-gone")?;
    let cabinets: Vec<i64> =
        t.on.iter()
            .enumerate()
            .filter(|(i, _)| chosen(mask, *i))
            .map(|(_, (c, _))| c.id.0)
            .collect();
    if cabinets.is_empty() {
        return Err(BotError::User(msg("price-pick-none")));
    }
    let names: Vec<String> =
        t.on.iter()
            .filter(|(c, _)| cabinets.contains(&c.id.0))
            .map(|(c, _)| c.name.clone())
            .collect();
    dialogue
        .update(State::PriceInput {
            workspace: actor.workspace.0,
            sku,
            cabinets,
            discount,
        })
        .await
        .map_err(BotError::Internal)?;
    let ask = if discount {
        "price-ask-discount"
    } else {
        "price-ask"
    };
    out.send_text(
        out.t(&msg(ask)
            .arg("sku", skus::title(&t.sku))
            .arg("cabinets", names.join(", "))),
        Some(super::super::keyboards::cancel(out)),
    )
    .await?;
    Ok(())
}

/// The new price (or discount) typed.
pub async fn price_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, sku, cabinets, discount): (i64, SkuId, Vec<i64>, bool),
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManagePrices,
        async |out, actor| {
            let text = message.text().unwrap_or_default().trim();
            let target = if discount {
                parse_discount(text).map(Target::Discount)
            } else {
                Input::parse(text).map(Target::Price)
            };
            let target = match target {
                Ok(t) => t,
                Err(e) => {
                    // A discount that is none is said as a discount, not as a price.
                    let why = if discount {
                        out.t(&msg("price-bad-discount"))
                    } else {
                        names::price_refusal(out, &Refusal::Input(e))
                    };
                    let example = if discount {
                        "price-example-discount"
                    } else {
                        "price-example"
                    };
                    out.send_text(format!("{why}\n{}", out.t(&msg(example))), None)
                        .await?;
                    return Ok(());
                }
            };
            let ids: Vec<crate::domain::CabinetId> = cabinets
                .iter()
                .map(|c| crate::domain::CabinetId(*c))
                .collect();
            let p = out
                .svc
                .prices()
                .preview_price(actor, sku, &ids, target)
                .await
                .or_say("stock-sku-gone")?;
            let mut lines = vec![out.t(&msg("price-preview").arg("sku", skus::title(&p.sku)))];
            for l in &p.lines {
                lines.push(format!("• {}", names::price_change(out, l)));
            }
            for (c, r) in &p.refused {
                lines.push(format!("⛔ {c}: {}", names::price_refusal(out, r)));
            }
            if !p.refused.is_empty() {
                // Nothing goes out while a cabinet refuses: type another price, or /cancel.
                lines.push(out.t(&msg("price-refused-retry")));
                out.send_text(lines.join("\n"), None).await?;
                return Ok(());
            }
            dialogue.exit().await?;
            if p.id == 0 {
                lines.push(out.t(&msg("price-unchanged")));
                out.send_text(lines.join("\n"), None).await?;
                return Ok(());
            }
            let jumps = p
                .lines
                .iter()
                .filter(|l| l.jump.abs() > p.threshold)
                .count();
            if jumps > 0 {
                lines.push(
                    out.t(&msg("price-jumps")
                        .arg("count", jumps as i64)
                        .arg("threshold", p.threshold)),
                );
            }
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("price-apply-button"),
                    UploadCb::Apply(p.id).data(),
                )],
                vec![button(
                    out,
                    msg("button-cancel"),
                    UploadCb::Drop(p.id).data(),
                )],
            ]);
            if let Some(m) = out.send_text(lines.join("\n"), Some(kb)).await? {
                let chat = crate::domain::TgChatId(out.chat.0);
                out.svc
                    .uploads()
                    .preview_shown(actor, p.id, chat, i64::from(m.id.0))
                    .await?;
            }
            Ok(())
        },
    )
    .await
}
