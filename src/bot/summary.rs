//! The daily and weekly summary (F7, F10) as a chat reads it: the day's (or week's)
//! orders, cancellations and returns, best sellers, and where money may be shown the
//! revenue, charges, payout, profit, payouts recorded and losses; with the chart of the
//! last days (money, or orders where money is hidden), in one message.

use teloxide::RequestError;

use super::names;
use super::out::Out;
use crate::app::alerts::AlertView;
use crate::domain::Money;
use crate::domain::alerts::Alert;
use crate::domain::finance::{DayFigures, SummaryFacts};
use crate::i18n::msg;
use crate::notify::Delivered;
use crate::render::days::{DayChart, DaySeries};

/// The most Telegram shows under a picture.
const CAPTION_CHARS: usize = 1024;

fn rub(out: &Out, m: Money) -> String {
    names::money(out.lang, m)
}

/// A margin in basis points as a percent with one decimal.
pub fn percent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let bp = bp.abs();
    format!("{sign}{}.{}%", bp / 100, (bp % 100) / 10)
}

/// The summary's text in the reader's words; `None` for another alert.
pub fn text(out: &Out, v: &AlertView) -> Option<String> {
    let Alert::Summary {
        weekly,
        from,
        to,
        facts,
    } = &v.alert
    else {
        return None;
    };
    let f: &SummaryFacts = facts;
    let zone = v.zone;
    let title = if *weekly {
        msg("summary-weekly-title")
            .arg("from", zone.date(*from))
            .arg("to", zone.date(to - 1))
    } else {
        msg("summary-daily-title").arg("day", zone.date(*from))
    };
    let mut lines = vec![out.t(&title)];
    lines.push(
        out.t(&msg("summary-orders")
            .arg("orders", f.orders)
            .arg("cancelled", f.cancelled)
            .arg("returned", f.returned)),
    );
    if v.money {
        lines.push(out.t(&msg("summary-revenue").arg("sum", rub(out, f.revenue))));
        lines.push(out.t(&msg("summary-charges").arg("sum", rub(out, f.charges))));
        lines.push(
            out.t(&msg("summary-payout")
                .arg("sum", rub(out, f.payout))
                .arg("settled", f.settled)
                .arg("orders", f.orders)),
        );
        let margin = f.margin_bp.map_or_else(|| "—".to_owned(), percent);
        lines.push(
            out.t(&msg("summary-profit")
                .arg("sum", rub(out, f.profit))
                .arg("margin", margin)),
        );
        if f.paid_orders > 0 {
            lines.push(
                out.t(&msg("summary-paid")
                    .arg("count", f.paid_orders)
                    .arg("sum", rub(out, f.paid))),
            );
        }
        if let Some((orders, revenue)) = f.before {
            lines.push(
                out.t(&msg("summary-week-before")
                    .arg("orders", orders)
                    .arg("sum", rub(out, revenue))),
            );
        }
    } else if let Some((orders, _)) = f.before {
        lines.push(out.t(&msg("summary-week-before-count").arg("orders", orders)));
    }
    if !f.top.is_empty() {
        lines.push(out.t(&msg("summary-top")));
        for (i, t) in f.top.iter().enumerate() {
            let name: String = t.name.chars().take(40).collect();
            let mut line = format!(
                "{}. {} · {name} — {}",
                i + 1,
                t.code,
                out.t(&msg("summary-units").arg("count", t.units))
            );
            if v.money {
                line.push_str(&format!(", {}", rub(out, t.revenue)));
            }
            lines.push(line);
        }
    }
    if v.money && f.losses > 0 {
        lines.push(
            out.t(&msg("summary-losses")
                .arg("count", f.losses)
                .arg("sum", rub(out, f.lost))),
        );
    }
    if v.money && !f.missing_cost.is_empty() {
        let mut skus = f
            .missing_cost
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if f.missing_cost.len() > 5 {
            skus.push_str(" …");
        }
        lines.push(
            out.t(&msg("summary-no-cost")
                .arg("count", f.missing_cost.len())
                .arg("skus", skus)),
        );
    }
    Some(lines.join("\n"))
}

/// Roubles as a chart reads them.
fn roubles(m: Money) -> f64 {
    m.0 as f64 / 100.0
}

/// The chart of the summary's days: money where it may be shown, orders where not.
pub fn chart(
    out: &Out,
    zone: crate::domain::Zone,
    days: &[DayFigures],
    money: bool,
    title: String,
) -> DayChart {
    let list = days;
    // The chart labels local days: each start as the local clock reads it.
    let days = list
        .iter()
        .map(|d| d.day + zone.offset_secs(d.day))
        .collect();
    let series = |id: &'static str, values: Vec<f64>| DaySeries {
        name: out.t(&msg(id)),
        values,
    };
    if money {
        DayChart {
            title,
            days,
            bars: vec![
                series(
                    "chart-revenue",
                    list.iter().map(|d| roubles(d.revenue)).collect(),
                ),
                series(
                    "chart-charges",
                    list.iter().map(|d| roubles(d.charges)).collect(),
                ),
            ],
            line: Some(series(
                "chart-profit",
                list.iter().map(|d| roubles(d.profit)).collect(),
            )),
            y_label: "₽".to_owned(),
        }
    } else {
        DayChart {
            title,
            days,
            bars: vec![
                series(
                    "chart-orders",
                    list.iter().map(|d| d.orders as f64).collect(),
                ),
                series(
                    "chart-cancelled",
                    list.iter().map(|d| d.cancelled as f64).collect(),
                ),
            ],
            line: None,
            y_label: out.t(&msg("chart-orders-unit")),
        }
    }
}

/// Renders a chart off the runtime.
pub async fn render(chart: DayChart) -> Result<Vec<u8>, crate::render::RenderError> {
    crate::render::blocking(move || crate::render::days::by_day(&chart)).await
}

/// Sends the summary: the chart with the text under it, in one message (the text alone
/// when it is longer than a caption, or the chart would not draw).
pub async fn send(out: &Out, v: &AlertView) -> Result<Delivered, RequestError> {
    let (Some(text), Alert::Summary { facts, weekly, .. }) = (text(out, v), &v.alert) else {
        return Ok(Delivered::Nothing);
    };
    let title = out.t(&msg(if *weekly {
        "chart-summary-week"
    } else {
        "chart-summary-days"
    })
    .arg("days", facts.days.len()));
    let png = match render(chart(out, v.zone, &facts.days, v.money, title)).await {
        Ok(png) => Some(png),
        Err(e) => {
            tracing::error!(error = %e, "the summary's chart did not draw");
            None
        }
    };
    let sent = match png {
        Some(png) if text.chars().count() <= CAPTION_CHARS => {
            let name = format!("{}.png", out.t(&msg("chart-summary-file")));
            out.send_photo(&name, &png, Some(text)).await?
        }
        _ => out.send_text(text, None).await?,
    };
    Ok(match sent {
        Some(m) => Delivered::Sent(Some(m.id)),
        None => Delivered::ChatGone,
    })
}
