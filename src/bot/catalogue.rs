//! `/catalogue` and `/sync` (F2): where the catalogue stands (SKUs, products, how they are
//! linked), the products nobody linked and those that fit several SKUs, SKUs made in one
//! tap from the unlinked products, a product linked by hand after a search, and links
//! undone. `/sync catalogue` and `/sync stocks` run the cabinets now and report here.

use crate::bot::context::answering;
use crate::domain::ids::{ProductId, SkuId};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, HandlerResult, Notice, OrSay, Press};
use super::keyboards::{self, button, plain};
use super::names;
use super::out::Out;
use super::state::{BotDialogue, State};
use crate::app::catalogue::{LinkReport, SyncWhat};
use crate::app::{Actor, AppError, Services};
use crate::domain::catalogue::ProductRow;
use crate::domain::{Permission, TgChatId};
use crate::i18n::msg;

/// Products on one page of a list.
const PAGE: usize = 10;

/// The buttons of the catalogue screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Summary,
    Unlinked(usize),
    Ambiguous(usize),
    Product(ProductId),
    Link(ProductId, SkuId),
    Create,
    CreateYes,
    Sync(SyncWhat),
    Export,
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Summary => "ct:s".to_owned(),
            Cb::Unlinked(p) => format!("ct:u:{p}"),
            Cb::Ambiguous(p) => format!("ct:a:{p}"),
            Cb::Product(p) => format!("ct:p:{p}"),
            Cb::Link(p, s) => format!("ct:l:{p}:{s}"),
            Cb::Export => "ct:e".to_owned(),
            Cb::Create => "ct:n".to_owned(),
            Cb::CreateYes => "ct:ny".to_owned(),
            Cb::Sync(SyncWhat::Catalogue) => "ct:y:c".to_owned(),
            Cb::Sync(SyncWhat::Stocks) => "ct:y:s".to_owned(),
            Cb::Sync(SyncWhat::Orders) => "ct:y:o".to_owned(),
            Cb::Sync(SyncWhat::Finance) => "ct:y:f".to_owned(),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let page = |s: &str| s.parse::<usize>().ok().filter(|p| *p < 10_000);
        Some(match parts {
            ["ct", "s"] => Cb::Summary,
            ["ct", "u", p] => Cb::Unlinked(page(p)?),
            ["ct", "a", p] => Cb::Ambiguous(page(p)?),
            ["ct", "p", p] => Cb::Product(codec::id(p)?),
            ["ct", "l", p, s] => Cb::Link(codec::id(p)?, codec::id(s)?),
            ["ct", "e"] => Cb::Export,
            ["ct", "n"] => Cb::Create,
            ["ct", "ny"] => Cb::CreateYes,
            ["ct", "y", "c"] => Cb::Sync(SyncWhat::Catalogue),
            ["ct", "y", "s"] => Cb::Sync(SyncWhat::Stocks),
            ["ct", "y", "o"] => Cb::Sync(SyncWhat::Orders),
            ["ct", "y", "f"] => Cb::Sync(SyncWhat::Finance),
            _ => return None,
        })
    }
}

fn summary_text(out: &Out, r: &LinkReport) -> String {
    out.t(&msg("catalogue-summary")
        .arg("skus", r.skus)
        .arg("products", r.products)
        .arg("linked", r.linked())
        .arg("barcode", r.by_barcode)
        .arg("vendor", r.by_vendor_code)
        .arg("manual", r.by_hand)
        .arg("created", r.created)
        .arg("unlinked", r.unlinked.len())
        .arg("ambiguous", r.ambiguous.len()))
}

/// The button under a catalogue report.
pub fn report_buttons(out: &Out) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![button(
        out,
        msg("catalogue-open-button"),
        Cb::Summary.data(),
    )]])
}

/// `/catalogue`, or its back button.
pub async fn show(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let r = out.svc.catalogue().catalogue_report(actor).await?;
    let mut text = summary_text(out, &r);
    if r.products == 0 {
        text.push_str("\n\n");
        text.push_str(&out.t(&msg("catalogue-empty")));
    }
    let mut rows = Vec::new();
    if !r.unlinked.is_empty() {
        rows.push(vec![button(
            out,
            msg("catalogue-unlinked-button").arg("count", r.unlinked.len()),
            Cb::Unlinked(0).data(),
        )]);
    }
    if !r.ambiguous.is_empty() {
        rows.push(vec![button(
            out,
            msg("catalogue-ambiguous-button").arg("count", r.ambiguous.len()),
            Cb::Ambiguous(0).data(),
        )]);
    }
    if !r.unlinked.is_empty() && actor.role.can(Permission::ManagePrices) {
        rows.push(vec![button(
            out,
            msg("catalogue-create-button").arg("count", r.unlinked.len()),
            Cb::Create.data(),
        )]);
    }
    if r.skus > 0 {
        rows.push(vec![button(
            out,
            msg("catalogue-export-button"),
            Cb::Export.data(),
        )]);
    }
    if actor.role.can(Permission::ManageOrders) {
        rows.push(vec![button(
            out,
            msg("sync-catalogue-button"),
            Cb::Sync(SyncWhat::Catalogue).data(),
        )]);
    }
    let kb = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    out.show(edit, text, kb).await?;
    Ok(())
}

fn product_line(out: &Out, p: &ProductRow, cabinet: &str) -> String {
    let _ = out;
    let name: String = p.name.chars().take(40).collect();
    format!("{} · {} · {name}", cabinet, p.vendor_code)
}

/// A page of the unlinked or the ambiguous products.
async fn list(out: &Out, actor: Actor, ambiguous: bool, page: usize, edit: MessageId) -> BotResult {
    let r = out.svc.catalogue().catalogue_report(actor).await?;
    let cabinets = out.svc.cabinets().list(actor).await?;
    let name_of = |p: &ProductRow| {
        cabinets
            .iter()
            .find(|c| c.id == p.cabinet)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let items: Vec<(ProductRow, String)> = if ambiguous {
        r.ambiguous
            .iter()
            .map(|(p, codes)| (p.clone(), codes.join(", ")))
            .collect()
    } else {
        r.unlinked
            .iter()
            .map(|p| (p.clone(), String::new()))
            .collect()
    };
    let pages = items.len().div_ceil(PAGE).max(1);
    let page = page.min(pages - 1);
    let title = if ambiguous {
        msg("catalogue-ambiguous-title")
    } else {
        msg("catalogue-unlinked-title")
    };
    let mut lines = vec![out.t(&title.arg("count", items.len()))];
    if items.is_empty() {
        lines.push(out.t(&msg("catalogue-list-empty")));
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for (p, codes) in items.iter().skip(page * PAGE).take(PAGE) {
        let mut line = product_line(out, p, &name_of(p));
        if !codes.is_empty() {
            line.push_str(&format!(" → {codes}"));
        }
        lines.push(format!("• {line}"));
        rows.push(vec![plain(
            product_line(out, p, &name_of(p)),
            Cb::Product(p.id).data(),
        )]);
    }
    let mut nav = Vec::new();
    let at = |n| {
        if ambiguous {
            Cb::Ambiguous(n)
        } else {
            Cb::Unlinked(n)
        }
    };
    if page > 0 {
        nav.push(plain("◀️", at(page - 1).data()));
    }
    if page + 1 < pages {
        nav.push(plain("▶️", at(page + 1).data()));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    rows.push(vec![button(
        out,
        msg("catalogue-back-button"),
        Cb::Summary.data(),
    )]);
    out.edit(
        edit,
        lines.join("\n"),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

/// A product's screen: what it is, and "type part of a SKU's name or its barcode".
async fn product(
    out: &Out,
    actor: Actor,
    dialogue: &BotDialogue,
    id: ProductId,
    edit: MessageId,
) -> BotResult {
    let l = out
        .svc
        .catalogue()
        .product(actor, id)
        .await
        .or_say("catalogue-product-gone")?;
    let p = &l.product;
    let mut text = out.t(&msg("catalogue-product")
        .arg(
            "marketplace",
            out.t(&names::marketplace(l.cabinet.marketplace)),
        )
        .arg("cabinet", l.cabinet.name.clone())
        .arg("vendor", p.vendor_code.clone())
        .arg("name", p.name.clone())
        .arg("barcodes", barcodes(out, &p.barcodes)));
    let mut kb = None;
    if actor.role.can(Permission::ManagePrices) {
        text.push_str("\n\n");
        text.push_str(&out.t(&msg("catalogue-link-ask")));
        dialogue
            .update(State::LinkFind {
                workspace: actor.workspace.0,
                product: id,
            })
            .await
            .map_err(BotError::Internal)?;
        kb = Some(keyboards::cancel(out));
    }
    out.edit(edit, text, kb).await?;
    Ok(())
}

fn barcodes(out: &Out, list: &[String]) -> String {
    if list.is_empty() {
        out.t(&msg("catalogue-no-barcodes"))
    } else {
        list.join(", ")
    }
}

/// Sends the nomenclature as XLSX.
pub async fn send_nomenclature(out: &Out, actor: Actor) -> BotResult {
    let words = [
        out.t(&msg("sheet-col-code")),
        out.t(&msg("sheet-col-name")),
        out.t(&msg("sheet-col-barcodes")),
        out.t(&msg("sheet-col-vendor")),
        out.t(&msg("sheet-col-weight")),
    ];
    let bytes = out.svc.uploads().nomenclature_xlsx(actor, words).await?;
    out.send_document(
        &format!("{}.xlsx", out.t(&msg("sheet-nomenclature-file"))),
        &bytes,
        Some(out.t(&msg("sheet-nomenclature-caption"))),
        None,
    )
    .await?;
    Ok(())
}

/// `/sync catalogue`, `/sync stocks`, or their buttons.
pub async fn sync(out: &Out, actor: Actor, what: Option<SyncWhat>) -> BotResult {
    let Some(what) = what else {
        let mut rows = vec![
            vec![button(
                out,
                msg("sync-catalogue-button"),
                Cb::Sync(SyncWhat::Catalogue).data(),
            )],
            vec![button(
                out,
                msg("sync-stocks-button"),
                Cb::Sync(SyncWhat::Stocks).data(),
            )],
            vec![button(
                out,
                msg("sync-orders-button"),
                Cb::Sync(SyncWhat::Orders).data(),
            )],
        ];
        if actor.role.can(crate::domain::Permission::ViewFinance) {
            rows.push(vec![button(
                out,
                msg("sync-finance-button"),
                Cb::Sync(SyncWhat::Finance).data(),
            )]);
        }
        let kb = InlineKeyboardMarkup::new(rows);
        out.send_text(out.t(&msg("sync-usage")), Some(kb)).await?;
        return Ok(());
    };
    match out
        .svc
        .catalogue()
        .sync_now(actor, what, TgChatId(out.chat.0))
        .await
    {
        Ok(queued) => {
            let id = match (what, queued) {
                (_, false) => "sync-already",
                (SyncWhat::Catalogue, true) => "sync-catalogue-queued",
                (SyncWhat::Stocks, true) => "sync-stocks-queued",
                (SyncWhat::Orders, true) => "sync-orders-queued",
                (SyncWhat::Finance, true) => "sync-finance-queued",
            };
            out.say(msg(id)).await?;
            Ok(())
        }
        Err(AppError::NotFound) => Err(BotError::User(msg("sync-no-cabinets"))),
        Err(e) => Err(e.into()),
    }
}

/// What `/sync` was asked to do, in Russian or English.
pub fn sync_what(args: &str) -> Option<SyncWhat> {
    let a = args.trim().to_lowercase();
    match a.as_str() {
        "catalogue" | "catalog" | "products" | "каталог" | "товары" => {
            Some(SyncWhat::Catalogue)
        }
        "stocks" | "stock" | "остатки" | "остаток" => Some(SyncWhat::Stocks),
        "orders" | "order" | "заказы" | "заказ" => Some(SyncWhat::Orders),
        "finance" | "money" | "финансы" | "деньги" => Some(SyncWhat::Finance),
        _ => None,
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
    let id = message.id;
    match cb {
        Cb::Summary => show(out, actor, Some(id)).await?,
        Cb::Unlinked(p) => list(out, actor, false, p, id).await?,
        Cb::Ambiguous(p) => list(out, actor, true, p, id).await?,
        Cb::Product(p) => product(out, actor, dialogue, p, id).await?,
        Cb::Link(p, s) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            out.svc
                .catalogue()
                .link_product(actor, s, p)
                .await
                .or_say("catalogue-product-gone")?;
            dialogue.exit().await.map_err(BotError::Internal)?;
            let sku = out
                .svc
                .catalogue()
                .sku(actor, s)
                .await
                .or_say("catalogue-product-gone")?;
            let product = out
                .svc
                .catalogue()
                .product(actor, p)
                .await
                .or_say("catalogue-product-gone")?;
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("catalogue-links-button"),
                    super::stocks::Cb::Links(s).data(),
                )],
                vec![button(
                    out,
                    msg("catalogue-back-button"),
                    Cb::Summary.data(),
                )],
            ]);
            out.edit(
                id,
                out.t(&msg("catalogue-linked-to")
                    .arg("vendor", product.product.vendor_code.clone())
                    .arg("code", sku.code.clone())),
                Some(kb),
            )
            .await?;
            return Ok(Notice::Toast(msg("catalogue-linked")));
        }
        Cb::Export => send_nomenclature(out, actor).await?,
        Cb::Create => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            let r = out.svc.catalogue().catalogue_report(actor).await?;
            if r.unlinked.is_empty() {
                show(out, actor, Some(id)).await?;
                return Ok(Notice::Toast(msg("catalogue-nothing-unlinked")));
            }
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("catalogue-create-yes"),
                    Cb::CreateYes.data(),
                )],
                vec![button(
                    out,
                    msg("catalogue-back-button"),
                    Cb::Summary.data(),
                )],
            ]);
            out.edit(
                id,
                out.t(&msg("catalogue-create-confirm").arg("count", r.unlinked.len())),
                Some(kb),
            )
            .await?;
        }
        Cb::CreateYes => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            let made = out.svc.catalogue().skus_from_unlinked(actor).await?;
            show(out, actor, Some(id)).await?;
            return Ok(Notice::Alert(msg("catalogue-created").arg("count", made)));
        }
        Cb::Sync(what) => {
            let actor = ctx.acting(Permission::ManageOrders)?;
            sync(out, actor, Some(what)).await?;
        }
    }
    Ok(Notice::None)
}

/// A message while a product waits to be linked: the search, and the SKUs found.
pub async fn link_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, product): (i64, ProductId),
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
            let q = message.text().unwrap_or_default().trim().to_owned();
            if q.chars().count() < 2 {
                return Err(BotError::User(msg("search-too-short")));
            }
            let found = out.svc.catalogue().search_skus(actor, &q).await?;
            if found.is_empty() {
                out.send_text(
                    out.t(&msg("search-nothing").arg("query", q)),
                    Some(keyboards::cancel(out)),
                )
                .await?;
                return Ok(());
            }
            let mut rows: Vec<Vec<InlineKeyboardButton>> = found
                .iter()
                .map(|s| {
                    let name: String = s.name.chars().take(40).collect();
                    vec![plain(
                        format!("{} · {name}", s.code),
                        Cb::Link(product, s.id).data(),
                    )]
                })
                .collect();
            rows.push(keyboards::cancel_row(out));
            out.send_text(
                out.t(&msg("catalogue-link-choose")),
                Some(InlineKeyboardMarkup::new(rows)),
            )
            .await?;
            Ok(())
        },
    )
    .await
}
