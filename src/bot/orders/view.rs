//! How orders look: a list line (cabinet, number, items, sum, status, time left to ship),
//! the list with its totals, filters and pages, and an order's card with its items,
//! deadline, statuses and history. The warehouse never sees prices or sums.

use crate::domain::ids::OrderId;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::{Cb, ListState};
use crate::app::order_actions::{Card, PAGE};
use crate::bot::keyboards::{button, plain};
use crate::bot::names;
use crate::bot::out::Out;
use crate::domain::order::{Action, Order, Period, UnifiedStatus, minutes_left};
use crate::domain::order::{HistoryEntry, OrderPage as Page};
use crate::domain::{Cabinet, Scheme, Zone};
use crate::i18n::msg;

/// "3 h 20 min" / "40 min".
fn duration(out: &Out, minutes: i64) -> String {
    let m = minutes.abs();
    if m >= 60 {
        out.t(&msg("order-hm").arg("h", m / 60).arg("m", m % 60))
    } else {
        out.t(&msg("order-m").arg("m", m))
    }
}

/// " · ⏳ 3 h 20 min left" for an open order with a deadline, else nothing.
/// " · 3 h 20 min left" (or overdue) for an open order with a deadline; empty otherwise.
pub fn left(out: &Out, o: &Order, now: i64) -> String {
    match o.ship_by.filter(|_| o.unified.is_open()) {
        Some(t) => {
            let mins = minutes_left(t, now);
            let m = if mins >= 0 {
                msg("order-left")
            } else {
                msg("order-overdue")
            };
            format!(" · {}", out.t(&m.arg("time", duration(out, mins))))
        }
        None => String::new(),
    }
}

fn money(out: &Out, sum: crate::domain::Money) -> String {
    names::money(out.lang, sum)
}

fn items_count(out: &Out, o: &Order) -> String {
    let n: i64 = o.items.iter().map(|i| i.quantity).sum();
    out.t(&msg("order-items").arg("count", n))
}

fn scheme_label(s: Scheme) -> &'static str {
    match s {
        Scheme::Fbs => "FBS",
        Scheme::Fbo => "FBO",
        Scheme::Dbs => "DBS",
    }
}

/// The list: totals, filters, one line per order; with its buttons.
/// `holders` names who on the warehouse took each order.
#[allow(clippy::too_many_arguments)]
pub fn list(
    out: &Out,
    state: ListState,
    page: &Page,
    zone_now: (Zone, i64),
    cabinets: &[Cabinet],
    money_shown: bool,
    assemble: bool,
    holders: &std::collections::HashMap<OrderId, String>,
) -> (String, InlineKeyboardMarkup) {
    let (_, now) = zone_now;
    let mut text = if assemble {
        out.t(&msg("orders-title-assemble").arg("count", page.count))
    } else {
        let sum = if money_shown {
            money(out, page.sum)
        } else {
            String::from("—")
        };
        let mut title = out.t(&msg("orders-title")
            .arg("period", out.t(&msg(period_id(state.period))))
            .arg("count", page.count)
            .arg("sum", sum));
        if money_shown && page.lost.0 > 0 {
            title.push_str(&out.t(&msg("orders-title-lost").arg("sum", money(out, page.lost))));
        }
        title
    };
    if !assemble {
        let all = out.t(&msg("orders-all"));
        let status = state
            .unified
            .map(|u| out.t(&names::unified(u)))
            .unwrap_or_else(|| all.clone());
        let scheme = state
            .scheme
            .map(|s| scheme_label(s).to_owned())
            .unwrap_or_else(|| all.clone());
        let cabinet = cabinets
            .iter()
            .find(|c| c.id.0 == state.cabinet)
            .map(|c| c.name.clone())
            .unwrap_or(all);
        text.push('\n');
        text.push_str(
            &out.t(&msg("orders-filters")
                .arg("status", status)
                .arg("scheme", scheme)
                .arg("cabinet", cabinet)),
        );
    }
    text.push('\n');
    if page.orders.is_empty() {
        text.push('\n');
        text.push_str(&out.t(&msg("orders-empty")));
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for (i, o) in page.orders.iter().enumerate() {
        let n = state.page * PAGE + i64::try_from(i).unwrap_or_default() + 1;
        let base = if assemble {
            msg("orders-line-assemble")
        } else {
            msg("orders-line")
                .arg(
                    "sum",
                    if money_shown {
                        money(out, o.total)
                    } else {
                        "—".into()
                    },
                )
                .arg("status", out.t(&names::unified(o.unified)))
        };
        let line = base
            .arg("n", n)
            .arg("marketplace", out.t(&names::marketplace(o.marketplace)))
            .arg("cabinet", o.cabinet_name.clone())
            .arg("number", o.number.clone())
            .arg("items", items_count(out, o))
            .arg("left", left(out, o, now));
        text.push('\n');
        text.push_str(&out.t(&line));
        if let Some(name) = holders.get(&o.id) {
            text.push_str(" · ");
            text.push_str(&out.t(&msg("claim-line").arg("name", name.clone())));
        }
        let mut row = vec![plain(
            format!("{n}. {}", o.number),
            Cb::Open(o.id, state).data(),
        )];
        if assemble && Action::Assemble.applies(o.marketplace, o.scheme, o.unified) {
            let label = msg("orders-assemble-button").arg("number", o.number.clone());
            row.push(button(
                out,
                label,
                Cb::Act(o.id, o.version, Action::Assemble, state).data(),
            ));
        }
        rows.push(row);
    }
    if !assemble {
        rows.push(
            Period::ALL
                .into_iter()
                .map(|p| {
                    let mark = if p == state.period { "✓ " } else { "" };
                    let label = format!("{mark}{}", out.t(&msg(period_id(p))));
                    plain(
                        label,
                        Cb::List(ListState {
                            period: p,
                            page: 0,
                            ..state
                        })
                        .data(),
                    )
                })
                .collect(),
        );
        rows.push(vec![
            button(
                out,
                msg("orders-status-button"),
                Cb::StatusMenu(state).data(),
            ),
            button(
                out,
                msg("orders-scheme-button"),
                Cb::SchemeMenu(state).data(),
            ),
            button(
                out,
                msg("orders-cabinet-button"),
                Cb::CabinetMenu(state).data(),
            ),
        ]);
    }
    let pages = (page.count + PAGE - 1) / PAGE;
    if pages > 1 {
        let mut nav = Vec::new();
        if state.page > 0 {
            nav.push(button(
                out,
                msg("orders-prev"),
                Cb::List(ListState {
                    page: state.page - 1,
                    ..state
                })
                .data(),
            ));
        }
        nav.push(plain(
            format!("{}/{pages}", state.page + 1),
            Cb::List(state).data(),
        ));
        if state.page + 1 < pages {
            nav.push(button(
                out,
                msg("orders-next"),
                Cb::List(ListState {
                    page: state.page + 1,
                    ..state
                })
                .data(),
            ));
        }
        rows.push(nav);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

fn period_id(p: Period) -> &'static str {
    match p {
        Period::Today => "period-d",
        Period::Yesterday => "period-y",
        Period::Week => "period-w",
        Period::Month => "period-m",
    }
}

/// The filter menus: every choice, and "All".
pub fn status_menu(out: &Out, state: ListState) -> (String, InlineKeyboardMarkup) {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = UnifiedStatus::ALL
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|u| {
                    let next = ListState {
                        unified: Some(*u),
                        page: 0,
                        ..state
                    };
                    button(out, names::unified(*u), Cb::List(next).data())
                })
                .collect()
        })
        .collect();
    let all = ListState {
        unified: None,
        page: 0,
        ..state
    };
    rows.push(vec![button(
        out,
        msg("orders-all-button"),
        Cb::List(all).data(),
    )]);
    (
        out.t(&msg("orders-choose-status")),
        InlineKeyboardMarkup::new(rows),
    )
}

pub fn scheme_menu(out: &Out, state: ListState) -> (String, InlineKeyboardMarkup) {
    let mut row: Vec<InlineKeyboardButton> = Scheme::ALL
        .into_iter()
        .map(|s| {
            let next = ListState {
                scheme: Some(s),
                page: 0,
                ..state
            };
            plain(scheme_label(s), Cb::List(next).data())
        })
        .collect();
    let all = ListState {
        scheme: None,
        page: 0,
        ..state
    };
    row.push(button(out, msg("orders-all-button"), Cb::List(all).data()));
    (
        out.t(&msg("orders-choose-scheme")),
        InlineKeyboardMarkup::new(vec![row]),
    )
}

pub fn cabinet_menu(
    out: &Out,
    state: ListState,
    cabinets: &[Cabinet],
) -> (String, InlineKeyboardMarkup) {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = cabinets
        .iter()
        .map(|c| {
            let next = ListState {
                cabinet: c.id.0,
                page: 0,
                ..state
            };
            let label = format!("{} · {}", out.t(&names::marketplace(c.marketplace)), c.name);
            vec![plain(label, Cb::List(next).data())]
        })
        .collect();
    let all = ListState {
        cabinet: 0,
        page: 0,
        ..state
    };
    rows.push(vec![button(
        out,
        msg("orders-all-button"),
        Cb::List(all).data(),
    )]);
    (
        out.t(&msg("orders-choose-cabinet")),
        InlineKeyboardMarkup::new(rows),
    )
}

fn history_line(out: &Out, h: &HistoryEntry, zone: Zone, who: Option<&str>) -> String {
    let who = match (h.source.as_str(), who) {
        ("action", Some(name)) => name.to_owned(),
        ("import", _) => out.t(&msg("history-import")),
        ("mapping", _) => out.t(&msg("history-mapping")),
        _ => out.t(&msg("history-marketplace")),
    };
    out.t(&msg("order-history-line")
        .arg("time", zone.format(h.at))
        .arg("unified", out.t(&names::unified(h.unified)))
        .arg("who", who))
}

/// The marketplace's own status as shown: `status / substatus`.
fn raw_status(o: &Order) -> String {
    if o.substatus.is_empty() {
        o.status.clone()
    } else {
        format!("{} / {}", o.status, o.substatus)
    }
}

/// What the marketplace accrued on the order, for those who see money: expected or settled
/// figures, the payout and the profit, the payout shown N days after the order and its
/// corrections.
fn finance_lines(out: &Out, c: &Card) -> Vec<String> {
    use crate::domain::finance::Basis;
    let basis = |b: Basis| {
        out.t(&msg(match b {
            Basis::Settled => "finance-basis-settled",
            Basis::Expected => "finance-basis-expected",
        }))
    };
    let Some(f) = &c.finance else {
        return match c.order.unified {
            UnifiedStatus::Delivered | UnifiedStatus::Cancelled | UnifiedStatus::Returned => {
                vec![out.t(&msg("order-money-none"))]
            }
            _ => Vec::new(),
        };
    };
    let fig = &f.money.figures;
    let mut lines = vec![
        out.t(&msg("order-money-title").arg("basis", basis(f.money.basis))),
        out.t(&msg("order-money-line")
            .arg("revenue", money(out, fig.revenue))
            .arg("commission", money(out, fig.commission))
            .arg("logistics", money(out, fig.logistics))
            .arg("other", money(out, fig.other))),
        out.t(&msg("order-money-payout")
            .arg("payout", money(out, fig.payout))
            .arg("profit", money(out, f.profit.profit))),
    ];
    if !f.profit.missing.is_empty() {
        lines.push(out.t(&msg("order-money-no-cost").arg("skus", f.profit.missing.join(", "))));
    }
    if let Some((sum, b, _)) = f.money.paid {
        lines.push(
            out.t(&msg("order-money-paid")
                .arg("days", f.days)
                .arg("sum", money(out, sum))
                .arg("basis", basis(b))),
        );
    }
    for (at, before, after) in &f.corrections {
        lines.push(
            out.t(&msg("order-money-corrected")
                .arg("date", c.zone.date(*at))
                .arg("before", money(out, *before))
                .arg("after", money(out, *after))),
        );
    }
    lines
}

/// An order's card: what it is, where it is, what may be done.
pub fn card(
    out: &Out,
    c: &Card,
    names_of: &dyn Fn(&HistoryEntry) -> Option<String>,
    back: ListState,
) -> (String, InlineKeyboardMarkup) {
    let o = &c.order;
    let mut lines = vec![
        out.t(&msg("order-title")
            .arg("marketplace", out.t(&names::marketplace(o.marketplace)))
            .arg("cabinet", o.cabinet_name.clone())
            .arg("number", o.number.clone())),
    ];
    if o.external_id != o.number {
        lines.push(out.t(&msg("order-external").arg("id", o.external_id.clone())));
    }
    if let Some(alt) = &o.alt_id {
        lines.push(out.t(&msg("order-alt-id").arg("id", alt.clone())));
    }
    lines.push(
        out.t(&msg("order-status")
            .arg("unified", out.t(&names::unified(o.unified)))
            .arg("status", raw_status(o))),
    );
    if let Some(t) = o.ship_by {
        lines.push(
            out.t(&msg("order-deadline")
                .arg("time", c.zone.format(t))
                .arg("left", left(out, o, c.now))),
        );
    }
    lines.push(String::new());
    lines.push(out.t(&msg("order-items-title")));
    for i in &o.items {
        let line = if c.money {
            msg("order-item-price").arg("price", money(out, i.price))
        } else {
            msg("order-item")
        };
        lines.push(out.t(&line.arg("name", i.name.clone()).arg("quantity", i.quantity)));
    }
    if c.money {
        lines.push(out.t(&msg("order-total").arg("sum", money(out, o.total))));
        lines.extend(finance_lines(out, c));
    }
    if let Some((name, _)) = &c.holder {
        lines.push(out.t(&msg("claim-line").arg("name", name.clone())));
    }
    if !c.history.is_empty() {
        lines.push(String::new());
        lines.push(out.t(&msg("order-history")));
        for h in c.history.iter().rev().take(8).rev() {
            lines.push(history_line(out, h, c.zone, names_of(h).as_deref()));
        }
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = c
        .actions
        .iter()
        .map(|a| {
            let cb = match a {
                Action::Cancel => Cb::Cancel(o.id, o.version),
                other => Cb::Act(o.id, o.version, *other, back),
            };
            vec![button(out, names::action(*a), cb.data())]
        })
        .collect();
    let mut tools = Vec::new();
    if c.label {
        tools.push(button(
            out,
            msg("labels-one-button"),
            Cb::Label(o.id).data(),
        ));
    }
    match &c.holder {
        Some((_, true)) => tools.push(button(
            out,
            msg("claim-release-button"),
            Cb::Release(o.id).data(),
        )),
        None if c.claimable => {
            tools.push(button(out, msg("claim-take-button"), Cb::Take(o.id).data()))
        }
        _ => {}
    }
    if !tools.is_empty() {
        rows.push(tools);
    }
    for (rule, name) in c.run_now.iter().take(3) {
        rows.push(vec![button(
            out,
            msg("rules-run-button").arg("name", name.clone()),
            crate::bot::rules::Cb::RunOn(o.id, *rule).data(),
        )]);
    }
    rows.push(vec![
        button(
            out,
            msg("order-refresh-button"),
            Cb::Open(o.id, back).data(),
        ),
        button(out, msg("order-back-button"), Cb::List(back).data()),
    ]);
    (lines.join("\n"), InlineKeyboardMarkup::new(rows))
}
