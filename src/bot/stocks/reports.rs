//! The stock reports: a SKU's chart (14, 30 or 90 days), the warehouse chart,
//! reconciliation with the marketplaces, and the SKUs running low.

use crate::domain::ids::SkuId;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use super::{Cb, title};
use crate::app::Actor;
use crate::app::stocks::charts::{ChartWords, WINDOWS};
use crate::bot::error::{BotError, BotResult, OrSay};
use crate::bot::keyboards::{button, plain};
use crate::bot::out::Out;
use crate::domain::Permission;
use crate::i18n::msg;

/// SKUs listed by `/lowstock`, at most.
const LOW_SHOWN: usize = 30;

/// A SKU's stock chart, with buttons for the other windows.
pub async fn chart(out: &Out, actor: Actor, sku: SkuId, days: i64) -> BotResult {
    let s = out
        .svc
        .catalogue()
        .sku(actor, sku)
        .await
        .or_say("stock-sku-gone")?;
    let words = ChartWords {
        title: out.t(&msg("chart-title").arg("sku", title(&s)).arg("days", days)),
        sales: out.t(&msg("chart-sales")),
        units: out.t(&msg("chart-units")),
    };
    let Some(png) = out
        .svc
        .stocks()
        .stock_chart(actor, sku, days, words)
        .await?
    else {
        return Err(BotError::User(
            msg("chart-no-history").arg("sku", title(&s)),
        ));
    };
    let kb = InlineKeyboardMarkup::new(vec![
        WINDOWS
            .into_iter()
            .map(|d| {
                button(
                    out,
                    msg("chart-days-button").arg("days", d),
                    Cb::Chart(sku, d).data(),
                )
            })
            .collect::<Vec<_>>(),
    ]);
    out.send_photo_with(
        &format!("stock-{}.png", s.code),
        &png,
        Some(out.t(&msg("chart-caption").arg("sku", title(&s)).arg("days", days))),
        Some(kb),
    )
    .await?;
    Ok(())
}

/// `/chart SKU [days]` or `/chart warehouse`.
pub async fn chart_command(out: &Out, actor: Actor, args: &str) -> BotResult {
    let a = args.trim();
    let lower = a.to_lowercase();
    if ["warehouse", "склад", "stock", "остатки"].contains(&lower.as_str()) {
        let png = out
            .svc
            .stocks()
            .warehouse_chart(
                actor,
                [
                    out.t(&msg("chart-warehouse-title")),
                    out.t(&msg("chart-by-stock")),
                    out.t(&msg("chart-by-days")),
                    out.t(&msg("chart-no-sales")),
                ],
            )
            .await?;
        let Some(png) = png else {
            return Err(BotError::User(msg("chart-warehouse-empty")));
        };
        out.send_photo(
            "warehouse.png",
            &png,
            Some(out.t(&msg("chart-warehouse-title"))),
        )
        .await?;
        return Ok(());
    }
    if a.is_empty() {
        return Err(BotError::User(msg("chart-usage")));
    }
    // A window may follow the SKU: `/chart KR-1 90`.
    let (code, days) = match a.rsplit_once(' ') {
        Some((c, d)) if d.parse::<i64>().is_ok_and(|d| WINDOWS.contains(&d)) => {
            (c.trim(), d.parse().unwrap_or(30))
        }
        // A number after the SKU is a period, just not one offered (unless the whole text
        // names a SKU: "Кружка 300").
        Some((c, d))
            if !c.trim().is_empty()
                && d.parse::<i64>().is_ok()
                && out.svc.catalogue().find_sku(actor, a).await?.is_none() =>
        {
            let offered: Vec<String> = WINDOWS.iter().map(i64::to_string).collect();
            return Err(BotError::User(
                msg("chart-bad-period")
                    .arg("days", d.chars().take(10).collect::<String>())
                    .arg("offered", offered.join(", ")),
            ));
        }
        _ => (a, 30),
    };
    let Some(s) = out.svc.catalogue().find_sku(actor, code).await? else {
        return Err(BotError::User(
            msg("stock-unknown-sku")
                .arg("query", code.chars().take(40).collect::<String>())
                .arg("command", "/chart"),
        ));
    };
    chart(out, actor, s.id, days).await
}

/// `/reconcile`: ours against what each cabinet reports, the differences listed and sent
/// as XLSX, with a button to push ours.
pub async fn reconcile(out: &Out, actor: Actor) -> BotResult {
    let d = out.svc.stocks().reconcile(actor).await?;
    let mut lines = vec![
        out.t(&msg("reconcile-title")
            .arg("checked", d.checked as i64)
            .arg("count", d.differences.len() as i64)),
    ];
    for x in d.differences.iter().take(15) {
        let theirs = x
            .theirs
            .map_or_else(|| out.t(&msg("reconcile-missing")), |t| t.to_string());
        lines.push(
            out.t(&msg("reconcile-line")
                .arg("cabinet", x.cabinet.clone())
                .arg("vendor", x.vendor_code.clone())
                .arg("warehouse", x.warehouse_name.clone())
                .arg("ours", x.ours)
                .arg("theirs", theirs)),
        );
    }
    if d.differences.len() > 15 {
        lines.push(format!("• … {}", d.differences.len() - 15));
    }
    if !d.failed.is_empty() {
        lines.push(out.t(&msg("sync-failed-cabinets").arg("cabinets", d.failed.join(", "))));
    }
    if d.checked == 0 {
        lines.push(out.t(&msg("reconcile-nothing")));
    }
    let kb = (!d.differences.is_empty() && actor.role.can(Permission::ManageOrders)).then(|| {
        InlineKeyboardMarkup::new(vec![vec![button(
            out,
            msg("reconcile-push-button").arg("count", d.differences.len() as i64),
            Cb::PushOurs.data(),
        )]])
    });
    out.send_text(lines.join("\n"), kb).await?;
    if !d.differences.is_empty() {
        let header = [
            "reconcile-col-cabinet",
            "reconcile-col-vendor",
            "reconcile-col-warehouse",
            "reconcile-col-ours",
            "reconcile-col-theirs",
        ]
        .map(|id| out.t(&msg(id)))
        .to_vec();
        let bytes = out
            .svc
            .stocks()
            .differences_xlsx(&d, out.t(&msg("reconcile-sheet")), header)
            .await?;
        let caption =
            out.t(&msg("reconcile-file-caption").arg("count", d.differences.len() as i64));
        out.send_document(
            &format!("{}.xlsx", out.t(&msg("reconcile-sheet"))),
            &bytes,
            Some(caption),
            None,
        )
        .await?;
    }
    Ok(())
}

/// `/lowstock`, or its refresh button.
pub async fn low(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let list = out.svc.stocks().low_stock(actor).await?;
    if list.is_empty() {
        out.show(edit, out.t(&msg("lowstock-none")), None).await?;
        return Ok(());
    }
    let mut lines = vec![out.t(&msg("lowstock-title").arg("count", list.len()))];
    let mut rows = Vec::new();
    for l in list.iter().take(LOW_SHOWN) {
        let days = match l.days_left {
            Some(d) => out.t(&msg("lowstock-days").arg("days", d)),
            None => String::new(),
        };
        lines.push(
            out.t(&msg("lowstock-line")
                .arg("sku", title(&l.sku))
                .arg("count", l.available)
                .arg("threshold", l.threshold)
                .arg("days", days)),
        );
        rows.push(vec![plain(
            title(&l.sku).chars().take(60).collect::<String>(),
            Cb::Card(l.sku.id).data(),
        )]);
    }
    if list.len() > LOW_SHOWN {
        lines.push(format!("• … {}", list.len() - LOW_SHOWN));
    }
    rows.push(vec![button(out, msg("lowstock-refresh"), Cb::Low.data())]);
    out.show(
        edit,
        lines.join("\n"),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}
