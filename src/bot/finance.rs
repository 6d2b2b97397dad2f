//! `/finance` (F10): a period's money, per cabinet and in all — orders, revenue, the
//! marketplaces' charges by their own names, payouts and profit with its margin; the orders
//! not settled yet; the losses; goods sold without a cost; every order's figures as a
//! sheet. Owners, admins and managers only; asked in a group, it answers in private.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotResult, Press};
use super::keyboards::{button, plain};
use super::names;
use super::out::Out;
use super::summary::percent;
use crate::app::Actor;
use crate::app::finance::report::{Period, Summary};
use crate::domain::finance::Basis;
use crate::domain::{CabinetId, Money, Permission};
use crate::i18n::{Msg, msg};

/// What the screen shows: a period, and one cabinet or all (0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub period: Period,
    pub cabinet: i64,
}

impl Default for View {
    fn default() -> View {
        View {
            period: Period::Week,
            cabinet: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Show(View),
    Sheet(View),
    Chart(View),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Show(v) => format!("fn:s:{}:{}", v.period.code(), v.cabinet),
            Cb::Sheet(v) => format!("fn:x:{}:{}", v.period.code(), v.cabinet),
            Cb::Chart(v) => format!("fn:c:{}:{}", v.period.code(), v.cabinet),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let view = |p: &str, c: &str| {
            Some(View {
                period: Period::parse(p)?,
                cabinet: c.parse().ok().filter(|c: &i64| *c >= 0)?,
            })
        };
        match parts {
            ["fn", "s", p, c] => view(p, c).map(Cb::Show),
            ["fn", "x", p, c] => view(p, c).map(Cb::Sheet),
            ["fn", "c", p, c] => view(p, c).map(Cb::Chart),
            _ => None,
        }
    }
}

/// The period `/finance` was asked for in words (`/finance today`, `/finance вчера`),
/// the week when none; `None` for words that name no period.
pub fn view_of(args: &str) -> Option<View> {
    let period = match args.trim().to_lowercase().as_str() {
        "" | "7" | "7d" | "week" | "неделя" | "7 дней" => Period::Week,
        "today" | "сегодня" => Period::Today,
        "yesterday" | "вчера" => Period::Yesterday,
        "30" | "30d" | "month30" | "30 дней" => Period::Days30,
        "month" | "месяц" => Period::Month,
        _ => return None,
    };
    Some(View { period, cabinet: 0 })
}

fn period_name(p: Period) -> Msg {
    msg(match p {
        Period::Today => "finance-period-today",
        Period::Yesterday => "finance-period-yesterday",
        Period::Week => "finance-period-7d",
        Period::Days30 => "finance-period-30d",
        Period::Month => "finance-period-month",
    })
}

fn rub(out: &Out, m: Money) -> String {
    names::money(out.lang, m)
}

/// Names at most `n` of a list, then how many more.
fn some(out: &Out, list: &[String], n: usize) -> String {
    let mut s = list.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if list.len() > n {
        s.push_str(&out.t(&msg("finance-and-more").arg("count", list.len() - n)));
    }
    s
}

fn text(out: &Out, s: &Summary, view: View, zone: crate::domain::Zone) -> String {
    let mut lines = vec![
        out.t(&msg("finance-title")
            .arg("period", out.t(&period_name(view.period)))
            .arg("from", zone.date(s.from))
            .arg("to", zone.date(s.to - 1))),
    ];
    if !s.refused.is_empty() {
        lines.push(out.t(&msg("finance-key-refused").arg("cabinets", s.refused.join(", "))));
    }
    if s.orders == 0 {
        lines.push(out.t(&msg("finance-empty")));
        return lines.join("\n");
    }
    lines.push(
        out.t(&msg("finance-orders")
            .arg("orders", s.orders as i64)
            .arg("settled", s.settled as i64)),
    );
    let f = &s.figures;
    lines.push(out.t(&msg("finance-revenue").arg("sum", rub(out, f.revenue))));
    lines.push(out.t(&msg("finance-commission").arg("sum", rub(out, f.commission))));
    lines.push(out.t(&msg("finance-logistics").arg("sum", rub(out, f.logistics))));
    lines.push(out.t(&msg("finance-other").arg("sum", rub(out, f.other))));
    lines.push(out.t(&msg("finance-payout").arg("sum", rub(out, f.payout))));
    if s.paid.0 != 0 {
        lines.push(out.t(&msg("finance-paid").arg("sum", rub(out, s.paid))));
    }
    let margin = s.margin_bp.map_or_else(|| "—".to_owned(), percent);
    lines.push(
        out.t(&msg("finance-profit")
            .arg("sum", rub(out, s.profit))
            .arg("margin", margin)),
    );
    if !s.charges.is_empty() {
        lines.push(String::new());
        lines.push(out.t(&msg("finance-charges")));
        let mut charges: Vec<(&String, &Money)> = s.charges.iter().collect();
        charges.sort_by_key(|(_, m)| -m.0);
        for (name, sum) in charges.into_iter().take(8) {
            lines.push(format!("  · {name}: {}", rub(out, *sum)));
        }
    }
    if s.cabinets.len() > 1 {
        lines.push(String::new());
        for (name, c) in &s.cabinets {
            lines.push(
                out.t(&msg("finance-cabinet-line")
                    .arg("cabinet", name.clone())
                    .arg("revenue", rub(out, c.revenue))
                    .arg("payout", rub(out, c.payout))),
            );
        }
    }
    if !s.account.is_empty() {
        let list: Vec<String> = s
            .account
            .iter()
            .map(|(name, sum)| format!("{name} {}", rub(out, *sum)))
            .collect();
        lines.push(String::new());
        lines.push(out.t(&msg("finance-account").arg("charges", list.join(", "))));
    }
    if !s.unsettled.is_empty() {
        lines.push(String::new());
        lines.push(
            out.t(&msg("finance-unsettled")
                .arg("count", s.unsettled.len() as i64)
                .arg("orders", some(out, &s.unsettled, 5))),
        );
    }
    if !s.losses.is_empty() {
        let named: Vec<String> = s
            .losses
            .iter()
            .map(|(n, m)| format!("{n} (−{})", rub(out, *m)))
            .collect();
        lines.push(
            out.t(&msg("finance-losses")
                .arg("count", s.losses.len() as i64)
                .arg("orders", some(out, &named, 5))),
        );
    }
    if !s.missing_cost.is_empty() {
        lines.push(
            out.t(&msg("finance-no-cost")
                .arg("count", s.missing_cost.len() as i64)
                .arg("skus", some(out, &s.missing_cost, 5))),
        );
    }
    lines.join("\n")
}

fn keyboard(out: &Out, view: View, cabinets: &[(CabinetId, String)]) -> InlineKeyboardMarkup {
    let mark = |on: bool, label: String| if on { format!("✅ {label}") } else { label };
    let periods: Vec<InlineKeyboardButton> = Period::ALL
        .into_iter()
        .map(|p| {
            plain(
                mark(p == view.period, out.t(&period_name(p))),
                Cb::Show(View { period: p, ..view }).data(),
            )
        })
        .collect();
    let mut rows = vec![periods[..3].to_vec(), periods[3..].to_vec()];
    if cabinets.len() > 1 {
        let mut row = vec![plain(
            mark(view.cabinet == 0, out.t(&msg("finance-all-cabinets"))),
            Cb::Show(View { cabinet: 0, ..view }).data(),
        )];
        for (id, name) in cabinets {
            row.push(plain(
                mark(view.cabinet == id.0, name.clone()),
                Cb::Show(View {
                    cabinet: id.0,
                    ..view
                })
                .data(),
            ));
            if row.len() == 3 {
                rows.push(std::mem::take(&mut row));
            }
        }
        if !row.is_empty() {
            rows.push(row);
        }
    }
    rows.push(vec![
        button(out, msg("finance-chart-button"), Cb::Chart(view).data()),
        button(out, msg("finance-sheet-button"), Cb::Sheet(view).data()),
    ]);
    InlineKeyboardMarkup::new(rows)
}

async fn summary(
    out: &Out,
    actor: Actor,
    view: View,
) -> BotResult<(Summary, Vec<(CabinetId, String)>)> {
    let cabinets: Vec<(CabinetId, String)> = out
        .svc
        .cabinets()
        .list(actor)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let cabinet = cabinets
        .iter()
        .find(|(id, _)| id.0 == view.cabinet)
        .map(|(id, _)| *id);
    let s = out
        .svc
        .finance()
        .finance_summary(actor, view.period, cabinet)
        .await?;
    Ok((s, cabinets))
}

/// `/finance`, or a period or cabinet pressed.
pub async fn show(out: &Out, actor: Actor, view: View, edit: Option<MessageId>) -> BotResult {
    let (s, cabinets) = summary(out, actor, view).await?;
    // A cabinet deleted since the button was drawn: all of them.
    let view = View {
        cabinet: if cabinets.iter().any(|(id, _)| id.0 == view.cabinet) {
            view.cabinet
        } else {
            0
        },
        ..view
    };
    out.show(
        edit,
        text(out, &s, view, s.zone),
        Some(keyboard(out, view, &cabinets)),
    )
    .await?;
    Ok(())
}

/// Every order of the view as a sheet.
async fn sheet(out: &Out, actor: Actor, view: View) -> BotResult {
    use crate::render::sheets::{SheetOut, Value, write_xlsx};
    let (s, _) = summary(out, actor, view).await?;
    let zone = s.zone;
    let header = [
        "finance-col-date",
        "finance-col-order",
        "finance-col-cabinet",
        "finance-col-status",
        "finance-col-total",
        "finance-col-basis",
        "finance-col-revenue",
        "finance-col-commission",
        "finance-col-logistics",
        "finance-col-other",
        "finance-col-payout",
        "finance-col-profit",
        "finance-col-paid",
    ]
    .iter()
    .map(|id| out.t(&msg(id)))
    .collect();
    let rub = |m: Money| Value::Number(m.0 as f64 / 100.0);
    let basis = |b: Option<Basis>| {
        Value::Text(out.t(&msg(match b {
            Some(Basis::Settled) => "finance-basis-settled",
            Some(Basis::Expected) => "finance-basis-expected",
            None => "finance-basis-none",
        })))
    };
    let rows = s
        .lines
        .iter()
        .map(|l| {
            let status = l
                .unified
                .parse::<crate::domain::order::UnifiedStatus>()
                .map_or_else(|_| l.unified.clone(), |u| out.t(&names::unified(u)));
            vec![
                Value::Text(zone.format(l.created_at)),
                Value::Text(l.number.clone()),
                Value::Text(l.cabinet.clone()),
                Value::Text(status),
                rub(l.total),
                basis(l.basis),
                rub(l.figures.revenue),
                rub(l.figures.commission),
                rub(l.figures.logistics),
                rub(l.figures.other),
                rub(l.figures.payout),
                l.profit.map_or(Value::Empty, rub),
                l.paid.map_or(Value::Empty, |(m, _)| rub(m)),
            ]
        })
        .collect();
    let bytes = write_xlsx(&[SheetOut {
        name: out.t(&msg("finance-sheet-name")),
        header,
        rows,
    }])
    .map_err(crate::app::AppError::from)?;
    let name = format!(
        "{}-{}.xlsx",
        out.t(&msg("finance-sheet-file")),
        zone.date(s.from)
    );
    out.send_document(&name, &bytes, Some(out.t(&period_name(view.period))), None)
        .await?;
    Ok(())
}

/// The view's revenue, charges and profit by day as a picture.
async fn chart(out: &Out, actor: Actor, view: View) -> BotResult {
    let (s, _) = summary(out, actor, view).await?;
    let title = out.t(&msg("finance-chart-title").arg("period", out.t(&period_name(view.period))));
    let png = super::summary::render(super::summary::chart(out, s.zone, &s.days, true, title))
        .await
        .map_err(crate::app::AppError::from)?;
    let name = format!(
        "{}-{}.png",
        out.t(&msg("finance-chart-file")),
        s.zone.date(s.from)
    );
    out.send_photo(&name, &png, Some(out.t(&period_name(view.period))))
        .await?;
    Ok(())
}

pub async fn on_press(out: &Out, ctx: &Ctx, message: MessageId, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ViewFinance)?;
    match cb {
        Cb::Show(view) => show(out, actor, view, Some(message)).await?,
        Cb::Sheet(view) => sheet(out, actor, view).await?,
        Cb::Chart(view) => chart(out, actor, view).await?,
    }
    Ok(super::error::Notice::None)
}
