//! `/price SKU` (F6): a SKU's prices on every cabinet where it is sold, as each marketplace
//! last reported them: before and after the seller's discount, the marketplace's minimum
//! and promo price.

use teloxide::types::MessageId;

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, Notice, OrSay, Press};
use super::names;
use super::out::Out;
use super::skus;
use crate::app::Actor;
use crate::domain::{Permission, Zone};
use crate::i18n::msg;

/// The buttons of the price screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Card(i64),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Card(s) => format!("pr:c:{s}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["pr", "c", s] => codec::id(s).map(Cb::Card),
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
    match skus::pick(out, actor, q, |id| Cb::Card(id).data()).await? {
        Some(id) => card(out, actor, id, None).await,
        None => Ok(()),
    }
}

/// A SKU's prices, per cabinet.
pub async fn card(out: &Out, actor: Actor, sku: i64, edit: Option<MessageId>) -> BotResult {
    let (s, lines) = out
        .svc
        .prices_of(actor, sku)
        .await
        .or_say("stock-sku-gone")?;
    let zone = Zone::or_default(&out.svc.workspace(actor).await?.time_zone);
    let money = |m| names::money(out.lang, m);
    let mut text = vec![format!("💰 {}", skus::title(&s))];
    if lines.is_empty() {
        text.push(out.t(&msg("price-none")));
    }
    for l in &lines {
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
    if let Some(at) = lines.iter().map(|l| l.price.read_at).max() {
        text.push(out.t(&msg("price-read-at").arg("time", zone.format(at))));
    }
    out.show(edit, text.join("\n"), None).await?;
    Ok(())
}

/// A press opens the price card as a message of its own (the stock card it came from
/// stays).
pub async fn on_press(out: &Out, ctx: &Ctx, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    match cb {
        Cb::Card(s) => card(out, actor, s, None).await?,
    }
    Ok(Notice::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_round_trip() {
        let data = Cb::Card(7).data();
        let parts = codec::parts(&data).expect("parts");
        assert_eq!(Cb::parse(&parts), Some(Cb::Card(7)));
        assert_eq!(Cb::parse(&["pr", "c", "x"]), None);
    }
}
