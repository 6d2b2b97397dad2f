//! Prices in chat (F6): `/price SKU` shows a SKU's prices on every cabinet where it is
//! sold, as each marketplace last reported them, with its cost, minimum price and latest
//! changes; its buttons change the price (see [`change`]) or read the prices again now.
//! `/prices` sends the price list as XLSX; the list sent back is read by the file upload.

pub mod change;

use crate::domain::ids::SkuId;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, Notice, OrSay, Press};
use super::keyboards::button;
use super::names;
use super::out::Out;
use super::skus;
use super::state::BotDialogue;
use crate::app::Actor;
use crate::app::prices::list::ListWords;
use crate::domain::{Money, Permission, Zone};
use crate::i18n::msg;

/// The buttons of the price screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Card(SkuId),
    /// Read every cabinet's prices now, then show the SKU again.
    Read(SkuId),
    /// Choose the cabinets to change a SKU's price on: a bit per cabinet it is sold on.
    Pick(SkuId, u64),
    /// Ask for the new price (or, with `true`, the discount) on the cabinets chosen.
    Ask(SkuId, u64, bool),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Card(s) => format!("pr:c:{s}"),
            Cb::Read(s) => format!("pr:r:{s}"),
            Cb::Pick(s, m) => format!("pr:p:{s}:{m}"),
            Cb::Ask(s, m, d) => format!("pr:i:{s}:{m}:{}", if d { "d" } else { "p" }),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["pr", "c", s] => codec::id(s).map(Cb::Card),
            ["pr", "r", s] => codec::id(s).map(Cb::Read),
            ["pr", "p", s, m] => Some(Cb::Pick(codec::id(s)?, m.parse().ok()?)),
            ["pr", "i", s, m, d] => Some(Cb::Ask(
                codec::id(s)?,
                m.parse().ok()?,
                match *d {
                    "d" => true,
                    "p" => false,
                    _ => return None,
                },
            )),
            _ => None,
        }
    }
}

/// `/price SKU`: by code, barcode or part of the name.
pub async fn command(out: &Out, actor: Actor, args: &str) -> BotResult {
    let q = args.trim();
    if q.is_empty() {
        return Err(BotError::User(msg("price-usage")));
    }
    match skus::pick(out, actor, q, "/price", |id| Cb::Card(id).data()).await? {
        Some(id) => card(out, actor, id, None).await,
        None => Ok(()),
    }
}

/// `/prices`: the price list as XLSX.
pub async fn list(out: &Out, actor: Actor) -> BotResult {
    let t = |id: &'static str| out.t(&msg(id));
    let words = ListWords {
        sku: t("sheet-col-code"),
        name: t("sheet-col-name"),
        cost: t("price-col-cost"),
        guard: t("price-col-guard"),
        no_upload: t("price-col-no-upload"),
        price: t("price-col-price"),
        discount: t("price-col-discount"),
        yes: t("price-col-yes"),
        waiting: t("price-col-waiting"),
    };
    let bytes = out.svc.prices().prices_xlsx(actor, words).await?;
    out.send_document(
        &format!("{}.xlsx", t("price-list-file")),
        &bytes,
        // Only those who may change prices are asked to send the list back.
        Some(t(if actor.role.can(Permission::ManagePrices) {
            "price-list-caption"
        } else {
            "price-list-caption-view"
        })),
        None,
    )
    .await?;
    Ok(())
}

/// A SKU's prices, per cabinet.
pub async fn card(out: &Out, actor: Actor, sku: SkuId, edit: Option<MessageId>) -> BotResult {
    let card = out
        .svc
        .prices()
        .prices_of(actor, sku)
        .await
        .or_say("stock-sku-gone")?;
    let zone = Zone::or_default(&out.svc.settings().workspace(actor).await?.time_zone);
    let money = |m| names::money(out.lang, m);
    let mut text = vec![format!("💰 {}", skus::title(&card.sku))];
    if card.lines.is_empty() {
        text.push(out.t(&msg("price-none")));
    }
    for l in &card.lines {
        let p = &l.price;
        let mut line = out.t(&msg("price-line")
            .arg("marketplace", out.t(&names::marketplace(l.marketplace)))
            .arg("cabinet", l.cabinet.clone())
            .arg("vendor", l.vendor_code.clone())
            .arg("price", money(p.after_discount)));
        if p.price != p.after_discount {
            line.push_str(
                &out.t(&msg("price-before-discount")
                    .arg("price", money(p.price))
                    .arg("discount", p.discount_percent)),
            );
        }
        if let Some(m) = p.min_price {
            line.push_str(&out.t(&msg("price-min").arg("price", money(m))));
        }
        if let Some(m) = p.promo_price {
            line.push_str(&out.t(&msg("price-promo").arg("price", money(m))));
        }
        text.push(line);
    }
    if let Some(at) = card.lines.iter().map(|l| l.price.read_at).max() {
        text.push(out.t(&msg("price-read-at").arg("time", zone.format(at))));
    }
    if let Some(c) = card.rule.cost {
        text.push(out.t(&msg("price-cost").arg("price", money(c))));
    }
    if let Some(g) = card.rule.min_guard {
        text.push(out.t(&msg("price-guard").arg("price", money(g))));
    }
    if card.rule.no_upload {
        text.push(out.t(&msg("price-no-upload")));
    }
    if !card.history.is_empty() {
        text.push(out.t(&msg("price-history")));
        for h in &card.history {
            let state = out.t(&msg(match h.state {
                crate::domain::price::ChangeState::Queued => "price-state-queued",
                crate::domain::price::ChangeState::Sent
                | crate::domain::price::ChangeState::Pending => "price-state-pending",
                crate::domain::price::ChangeState::Applied => "price-state-applied",
                crate::domain::price::ChangeState::Rejected => "price-state-rejected",
                crate::domain::price::ChangeState::Superseded => "price-state-superseded",
            }));
            text.push(
                out.t(&msg("price-history-line")
                    .arg("time", zone.format(h.created_at))
                    .arg("cabinet", h.cabinet.clone())
                    .arg("old", h.old_price.map_or_else(|| "—".to_owned(), money))
                    .arg("new", money(h.new_price))
                    .arg("who", h.who.clone())
                    .arg("state", state)),
            );
        }
    }
    let mut rows = Vec::new();
    if actor.role.can(Permission::ManagePrices) && !card.lines.is_empty() {
        rows.push(vec![button(
            out,
            msg("price-change-button"),
            Cb::Pick(sku, u64::MAX).data(),
        )]);
    }
    rows.push(vec![button(
        out,
        msg("price-read-button"),
        Cb::Read(sku).data(),
    )]);
    out.show(edit, text.join("\n"), Some(InlineKeyboardMarkup::new(rows)))
        .await?;
    Ok(())
}

/// A press on a price screen; every one re-checks the presser's role.
pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = ctx.acting(Permission::ViewFinance)?;
    match cb {
        // The card opens as a message of its own (the stock card it came from stays).
        Cb::Card(s) => card(out, actor, s, None).await?,
        Cb::Read(s) => {
            let read = out.svc.prices().read_prices_now(actor, s).await?;
            card(out, actor, s, Some(message)).await?;
            let done = msg("price-read-done").arg("count", read.read as i64);
            return Ok(if read.failed.is_empty() {
                Notice::Toast(done)
            } else {
                Notice::Alert(
                    msg("price-read-failed")
                        .arg("count", read.read as i64)
                        .arg("cabinets", short_list(&read.failed)),
                )
            });
        }
        Cb::Pick(s, mask) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            change::pick(out, actor, s, mask, message).await?;
        }
        Cb::Ask(s, mask, discount) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            change::ask(out, actor, dialogue, s, mask, discount).await?;
        }
    }
    Ok(Notice::None)
}

/// Names for a pop-up alert, which Telegram cuts at 200 characters: as many as fit in
/// 90, then how many more.
fn short_list(names: &[String]) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        let more = names.len() - i;
        if i > 0 && out.chars().count() + n.chars().count() > 90 {
            return format!("{out} +{more}");
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.extend(n.chars().take(64));
    }
    out
}

/// What the money of a chosen cabinet reads as.
fn short(out: &Out, m: Option<Money>) -> String {
    m.map_or_else(|| "—".to_owned(), |m| names::money(out.lang, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_cabinets_fits_an_alert() {
        let names: Vec<String> = (1..=6)
            .map(|i| format!("Кабинет номер {i} с длинным именем"))
            .collect();
        let short = short_list(&names);
        assert!(short.chars().count() <= 130, "{short}");
        assert!(
            short.starts_with("Кабинет номер 1") && short.ends_with(" +4"),
            "{short}"
        );
        assert_eq!(short_list(&names[..1]), names[0]);
    }

    #[test]
    fn buttons_round_trip() {
        for cb in [
            Cb::Card(SkuId(7)),
            Cb::Read(SkuId(7)),
            Cb::Pick(SkuId(7), u64::MAX),
            Cb::Ask(SkuId(7), 5, true),
            Cb::Ask(SkuId(7), 1, false),
        ] {
            let data = cb.data();
            let parts = codec::parts(&data).expect("parts");
            assert_eq!(Cb::parse(&parts), Some(cb));
        }
        assert_eq!(Cb::parse(&["pr", "c", "x"]), None);
        assert_eq!(Cb::parse(&["pr", "i", "1", "1", "z"]), None);
    }
}
