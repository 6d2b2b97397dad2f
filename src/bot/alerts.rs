//! How alerts read in a chat: a new order with its items, total and deadline; a
//! cancellation, and "put the items back" when it came after assembly; a status nobody
//! mapped; a failing sync; a broken key; and one digest for many alerts at once.

use teloxide::RequestError;
use teloxide::types::InlineKeyboardMarkup;

use super::names;
use super::orders::alert_keyboard;
use super::out::Out;
use crate::app::alerts::{AlertView, Subject};
use crate::domain::alerts::{Alert, LabelFailure};
use crate::domain::order::Order;
use crate::domain::{Scheme, Zone};
use crate::i18n::{Msg, msg};
pub use crate::notify::Delivered;

pub use super::names::items;

fn deadline(out: &Out, o: &Order, zone: Zone) -> String {
    match o.ship_by {
        Some(t) => out.t(&msg("order-ship-by").arg("time", zone.format(t))),
        None => out.t(&msg("order-items").arg("count", o.items.len())),
    }
}

fn total(out: &Out, o: &Order) -> String {
    names::money(out.lang, o.total)
}

/// The message of one alert; `None` when what it was about is gone.
fn text(out: &Out, v: &AlertView) -> Option<String> {
    if matches!(
        v.alert,
        Alert::RuleNotice { .. } | Alert::RuleFailed { .. } | Alert::RulePaused { .. }
    ) {
        return super::rules::alert_text(out, v);
    }
    if matches!(v.alert, Alert::Summary { .. }) {
        return super::summary::text(out, v);
    }
    let market = |m| out.t(&names::marketplace(m));
    let m: Msg = match (&v.alert, &v.subject) {
        (Alert::NewOrder { .. }, Subject::Order(o)) if o.scheme == Scheme::Fbo => {
            msg("alert-new-order-fbo")
                .arg("number", o.number.clone())
                .arg("marketplace", market(o.marketplace))
                .arg("cabinet", o.cabinet_name.clone())
                .arg("items", items(o))
                .arg(
                    "summary",
                    if v.money {
                        total(out, o)
                    } else {
                        String::new()
                    },
                )
        }
        (Alert::NewOrder { .. }, Subject::Order(o)) => {
            let deadline = deadline(out, o, v.zone);
            let summary = if v.money {
                format!("{} · {deadline}", total(out, o))
            } else {
                deadline
            };
            msg("alert-new-order")
                .arg("number", o.number.clone())
                .arg("marketplace", market(o.marketplace))
                .arg("cabinet", o.cabinet_name.clone())
                .arg("items", items(o))
                .arg("summary", summary)
        }
        (
            Alert::Cancelled {
                assembled: true, ..
            },
            Subject::Order(o),
        ) => msg("alert-put-back")
            .arg("number", o.number.clone())
            .arg("marketplace", market(o.marketplace))
            .arg("cabinet", o.cabinet_name.clone())
            .arg("items", items(o)),
        (Alert::Cancelled { .. }, Subject::Order(o)) => {
            let reason = o
                .cancel_reason
                .as_ref()
                .map(|r| out.t(&msg("alert-reason").arg("reason", r.clone())))
                .unwrap_or_default();
            msg("alert-cancelled")
                .arg("number", o.number.clone())
                .arg("marketplace", market(o.marketplace))
                .arg("cabinet", o.cabinet_name.clone())
                .arg("reason", reason)
        }
        (Alert::UnmappedStatus { .. }, Subject::Status(key, _)) => msg("alert-unmapped")
            .arg("marketplace", market(key.marketplace))
            .arg("status", key.label()),
        (Alert::SyncFailing { failure, .. }, Subject::Cabinet(c)) => {
            let mut text = out.t(&msg("alert-sync-failing")
                .arg("cabinet", c.name.clone())
                .arg("marketplace", market(c.marketplace)));
            if let Some(f) = failure {
                text.push('\n');
                text.push_str(&names::failure(out, f, &market(c.marketplace)));
            }
            return Some(text);
        }
        (Alert::KeyProblem { problem, .. }, Subject::Cabinet(c)) => {
            let problem = problem
                .parse()
                .map(|p| out.t(&names::key_problem(p)))
                .unwrap_or_else(|_| problem.clone());
            msg("alert-key-problem")
                .arg("cabinet", c.name.clone())
                .arg("marketplace", market(c.marketplace))
                .arg("problem", problem)
        }
        (
            Alert::KeyExpiring {
                days, expires_at, ..
            },
            Subject::Cabinet(c),
        ) => msg("alert-key-expiring")
            .arg("cabinet", c.name.clone())
            .arg("marketplace", market(c.marketplace))
            .arg("days", *days)
            .arg("date", v.zone.format(*expires_at)),
        (Alert::ActionFailed { action, .. }, Subject::Order(o)) => {
            let action = action
                .parse()
                .map(|a| out.t(&names::action(a)))
                .unwrap_or_else(|_| action.clone());
            msg("alert-action-failed")
                .arg("action", action)
                .arg("number", o.number.clone())
                .arg("marketplace", market(o.marketplace))
                .arg("cabinet", o.cabinet_name.clone())
        }
        (Alert::DeadlineNear { .. }, Subject::Order(o)) if o.unified.is_open() => {
            msg("alert-deadline")
                .arg("number", o.number.clone())
                .arg("marketplace", market(o.marketplace))
                .arg("cabinet", o.cabinet_name.clone())
                .arg("items", items(o))
                .arg("deadline", deadline(out, o, v.zone))
                .arg(
                    "left",
                    super::orders::left(out, o, out.svc.clock.unix())
                        .trim_start_matches(" · ")
                        .to_owned(),
                )
        }
        (
            Alert::LowStock {
                stock,
                threshold,
                days_left,
                ..
            },
            Subject::Sku(s),
        ) => msg("alert-low-stock")
            .arg("sku", format!("{} · {}", s.code, s.name))
            .arg("count", *stock)
            .arg("threshold", *threshold)
            .arg(
                "days",
                days_left
                    .map(|d| out.t(&msg("lowstock-days").arg("days", d)))
                    .unwrap_or_default(),
            ),
        (
            Alert::Oversell {
                stock,
                ordered,
                orders,
                ..
            },
            Subject::Sku(s),
        ) => msg("alert-oversell")
            .arg("sku", format!("{} · {}", s.code, s.name))
            .arg("stock", *stock)
            .arg("ordered", *ordered)
            .arg("orders", orders.join(", ")),
        (
            Alert::CatalogueReport {
                skus,
                products,
                linked,
                by_barcode,
                by_vendor_code,
                unlinked,
                ambiguous,
                failed,
            },
            _,
        ) => {
            let mut text = out.t(&msg("alert-catalogue-report")
                .arg("skus", *skus)
                .arg("products", *products)
                .arg("linked", *linked)
                .arg("barcode", *by_barcode)
                .arg("vendor", *by_vendor_code)
                .arg("unlinked", *unlinked)
                .arg("ambiguous", *ambiguous));
            if !failed.is_empty() {
                text.push('\n');
                text.push_str(
                    &out.t(&msg("sync-failed-cabinets").arg("cabinets", failed.join(", "))),
                );
            }
            return Some(text);
        }
        (
            Alert::FinanceRead {
                orders,
                paid,
                failed,
                refused,
            },
            _,
        ) => {
            let mut text = out.t(&msg("alert-finance-read")
                .arg("orders", *orders)
                .arg("paid", *paid));
            if !refused.is_empty() {
                text.push('\n');
                text.push_str(
                    &out.t(&msg("finance-key-refused").arg("cabinets", refused.join(", "))),
                );
            }
            if !failed.is_empty() {
                text.push('\n');
                text.push_str(
                    &out.t(&msg("sync-failed-cabinets").arg("cabinets", failed.join(", "))),
                );
            }
            return Some(text);
        }
        (Alert::OrdersImported { new, moved, failed }, _) => {
            let mut text = out.t(&msg("alert-orders-imported")
                .arg("new", *new)
                .arg("moved", *moved));
            if !failed.is_empty() {
                text.push('\n');
                text.push_str(
                    &out.t(&msg("sync-failed-cabinets").arg("cabinets", failed.join(", "))),
                );
            }
            return Some(text);
        }
        (
            Alert::StocksPushed {
                pushed,
                refused,
                failed,
            },
            _,
        ) => {
            let mut text = if *pushed == 0 && *refused == 0 {
                out.t(&msg("alert-stocks-unchanged"))
            } else {
                out.t(&msg("alert-stocks-pushed")
                    .arg("pushed", *pushed)
                    .arg("refused", *refused))
            };
            if !failed.is_empty() {
                text.push('\n');
                text.push_str(
                    &out.t(&msg("sync-failed-cabinets").arg("cabinets", failed.join(", "))),
                );
            }
            return Some(text);
        }
        (
            Alert::PricesApplied {
                cabinet,
                applied,
                pending,
                waiting,
                wait_until,
                rejected,
                rejected_count,
            },
            _,
        ) => {
            let mut text = vec![
                out.t(&msg("alert-prices")
                    .arg("cabinet", cabinet.clone())
                    .arg("applied", *applied)
                    .arg("rejected", *rejected_count)
                    .arg("pending", *pending)),
            ];
            for (code, reason) in rejected {
                let reason = match reason.as_str() {
                    crate::app::prices::push::CABINET_OFF => {
                        out.t(&msg("price-reason-cabinet-off"))
                    }
                    crate::app::prices::push::UNREACHABLE => {
                        out.t(&msg("price-reason-unreachable"))
                    }
                    crate::app::prices::push::SAME_CARD => out.t(&msg("price-reason-same-card")),
                    r => r.chars().take(200).collect(),
                };
                text.push(format!("• {code}: {reason}"));
            }
            if *rejected_count > rejected.len() as i64 {
                text.push(format!("• … {}", *rejected_count - rejected.len() as i64));
            }
            if *pending > 0 {
                text.push(out.t(&msg("alert-prices-pending")));
            }
            if *waiting > 0 {
                text.push(
                    out.t(&msg("alert-prices-waiting").arg("count", *waiting).arg(
                        "time",
                        wait_until.map(|t| v.zone.format(t)).unwrap_or_default(),
                    )),
                );
            }
            return Some(text.join("\n"));
        }
        (
            Alert::PricesChanged {
                applied,
                rejected,
                pending,
                by,
                changes,
                ..
            },
            Subject::Cabinet(c),
        ) => {
            let mut text = vec![
                out.t(&msg("alert-prices-changed")
                    .arg("cabinet", c.name.clone())
                    .arg("marketplace", market(c.marketplace))
                    .arg("applied", *applied)
                    .arg("rejected", *rejected)
                    .arg("pending", *pending)
                    .arg("who", by.join(", "))),
            ];
            // The prices themselves only where sums may be shown.
            if v.money {
                let total = applied + pending;
                for m in changes {
                    let new = names::money(out.lang, crate::domain::Money(m.new));
                    text.push(match m.old {
                        Some(old) => format!(
                            "• {}: {} → {new}",
                            m.sku,
                            names::money(out.lang, crate::domain::Money(old))
                        ),
                        None => format!("• {}: → {new}", m.sku),
                    });
                }
                if total > changes.len() as i64 && !changes.is_empty() {
                    text.push(format!("• … {}", total - changes.len() as i64));
                }
            }
            return Some(text.join("\n"));
        }
        _ => return None,
    };
    Some(out.t(&m).trim_end().to_owned())
}

/// The buttons of a new order's alert: open its card, and the first step the warehouse
/// takes (confirm or assemble); whoever presses acts by their own role. An unmapped
/// status's alert offers the unified statuses to map it to.
fn buttons(out: &Out, v: &AlertView) -> Option<InlineKeyboardMarkup> {
    match (&v.alert, &v.subject) {
        (
            Alert::NewOrder { .. } | Alert::DeadlineNear { .. } | Alert::Cancelled { .. },
            Subject::Order(o),
        ) => Some(alert_keyboard(out, o)),
        (Alert::UnmappedStatus { .. }, Subject::Status(_, Some(id))) => {
            Some(super::statuses::alert_buttons(out, *id))
        }
        (Alert::LowStock { sku, .. } | Alert::Oversell { sku, .. }, Subject::Sku(_)) => {
            Some(super::stocks::alert_buttons(out, *sku))
        }
        (Alert::CatalogueReport { .. }, _) => Some(super::catalogue::report_buttons(out)),
        _ => None,
    }
}

/// Sends one alert to its chat.
pub async fn send(out: &Out, v: &AlertView) -> Result<Delivered, RequestError> {
    match &v.alert {
        Alert::LabelReady { .. } => return send_label(out, v).await,
        Alert::Summary { .. } => return super::summary::send(out, v).await,
        Alert::Labels {
            printed,
            failed,
            part,
            parts,
            ..
        } => return send_labels(out, v, *printed, failed, (*part, *parts)).await,
        _ => {}
    }
    let Some(text) = text(out, v) else {
        return Ok(Delivered::Nothing);
    };
    Ok(match out.send_text(text, buttons(out, v)).await? {
        Some(m) => Delivered::Sent(Some(m.id)),
        None => Delivered::ChatGone,
    })
}

/// Orders a digest names, at most: every order it stands for (a digest replaces their own
/// alerts, so each is named), within one Telegram message.
pub const DIGEST_NAMED: usize = 60;

/// Lines a grouped alert lists, at most; the rest are counted with the command that lists
/// them.
pub const GROUP_LINES: usize = 20;
/// Buttons a grouped alert carries, at most (one per line, the first lines).
pub const GROUP_BUTTONS: usize = 8;

/// One line of a grouped alert, with the button that opens what it is about.
fn group_line(
    out: &Out,
    v: &AlertView,
) -> Option<(String, Option<teloxide::types::InlineKeyboardButton>)> {
    let market = |m| out.t(&names::marketplace(m));
    match (&v.alert, &v.subject) {
        (Alert::DeadlineNear { .. }, Subject::Order(o)) if o.unified.is_open() => {
            let left = super::orders::left(out, o, out.svc.clock.unix());
            Some((
                format!(
                    "• {} · {} “{}”{left}",
                    o.number,
                    market(o.marketplace),
                    o.cabinet_name
                ),
                Some(super::orders::open_button(out, o)),
            ))
        }
        (
            Alert::LowStock {
                stock,
                threshold,
                days_left,
                ..
            },
            Subject::Sku(s),
        ) => Some((
            out.t(&msg("alert-low-stock-line")
                .arg("sku", format!("{} · {}", s.code, s.name))
                .arg("count", *stock)
                .arg("threshold", *threshold)
                .arg(
                    "days",
                    days_left
                        .map(|d| out.t(&msg("lowstock-days").arg("days", d)))
                        .unwrap_or_default(),
                )),
            Some(super::stocks::card_button(s.id, &s.code)),
        )),
        (
            Alert::Oversell {
                stock,
                ordered,
                orders,
                ..
            },
            Subject::Sku(s),
        ) => Some((
            out.t(&msg("alert-oversell-line")
                .arg("sku", format!("{} · {}", s.code, s.name))
                .arg("stock", *stock)
                .arg("ordered", *ordered)
                .arg("orders", orders.join(", "))),
            Some(super::stocks::card_button(s.id, &s.code)),
        )),
        _ => text(out, v).map(|t| (t, None)),
    }
}

/// Many alerts of one kind for one chat as one message: a line each (up to
/// [`GROUP_LINES`], then how many more and the command that lists them), a button each for
/// the first [`GROUP_BUTTONS`].
pub async fn send_group(out: &Out, views: &[AlertView]) -> Result<Delivered, RequestError> {
    let Some(first) = views.first() else {
        return Ok(Delivered::Nothing);
    };
    let lines: Vec<(String, Option<teloxide::types::InlineKeyboardButton>)> =
        views.iter().filter_map(|v| group_line(out, v)).collect();
    if lines.is_empty() {
        return Ok(Delivered::Nothing);
    }
    let n = lines.len();
    let (title, rest) = match &first.alert {
        Alert::DeadlineNear { .. } => (Some(msg("alert-deadlines").arg("count", n)), "/orders"),
        Alert::LowStock { .. } => (Some(msg("alert-low-stocks").arg("count", n)), "/lowstock"),
        Alert::Oversell { .. } => (Some(msg("alert-oversells").arg("count", n)), "/lowstock"),
        _ => (None, ""),
    };
    let mut text = title.map(|t| out.t(&t)).unwrap_or_default();
    // Price reports are whole messages of their own, told one after another.
    let sep = if text.is_empty() { "\n\n" } else { "\n" };
    for (i, (line, _)) in lines.iter().take(GROUP_LINES).enumerate() {
        if !(text.is_empty() && i == 0) {
            text.push_str(sep);
        }
        text.push_str(line);
    }
    if n > GROUP_LINES {
        text.push('\n');
        text.push_str(
            &out.t(&msg("alert-group-more")
                .arg("count", n - GROUP_LINES)
                .arg("command", rest)),
        );
    }
    let buttons: Vec<_> = lines
        .into_iter()
        .filter_map(|(_, b)| b)
        .take(GROUP_BUTTONS)
        .collect();
    let kb = (!buttons.is_empty())
        .then(|| InlineKeyboardMarkup::new(buttons.chunks(2).map(<[_]>::to_vec)));
    Ok(match out.send_text(text, kb).await? {
        Some(m) => Delivered::Sent(Some(m.id)),
        None => Delivered::ChatGone,
    })
}

/// Sends one message telling many alerts at once, counted by kind.
pub async fn send_digest(out: &Out, views: &[AlertView]) -> Result<Delivered, RequestError> {
    let count = |f: &dyn Fn(&Alert) -> bool| views.iter().filter(|v| f(&v.alert)).count();
    let new = count(&|a| matches!(a, Alert::NewOrder { .. }));
    let cancelled = count(&|a| {
        matches!(
            a,
            Alert::Cancelled {
                assembled: false,
                ..
            }
        )
    });
    let put_back = count(&|a| {
        matches!(
            a,
            Alert::Cancelled {
                assembled: true,
                ..
            }
        )
    });
    let other = views.len() - new - cancelled - put_back;
    let mut text = out.t(&msg("alert-digest"));
    for (n, id) in [
        (new, "alert-digest-new"),
        (cancelled, "alert-digest-cancelled"),
        (put_back, "alert-digest-put-back"),
        (other, "alert-digest-other"),
    ] {
        if n > 0 {
            text.push_str("\n• ");
            text.push_str(&out.t(&msg(id).arg("count", n)));
        }
    }
    // The orders it counts, by name: the first ones, then how many more.
    let named: Vec<String> = views
        .iter()
        .filter_map(|v| match &v.subject {
            Subject::Order(o) => Some(format!(
                "{} · {} “{}”",
                o.number,
                out.t(&names::marketplace(o.marketplace)),
                o.cabinet_name
            )),
            _ => None,
        })
        .collect();
    if !named.is_empty() {
        text.push('\n');
        for line in named.iter().take(DIGEST_NAMED) {
            text.push('\n');
            text.push_str(line);
        }
        if named.len() > DIGEST_NAMED {
            text.push('\n');
            text.push_str(
                &out.t(&msg("alert-group-more")
                    .arg("count", named.len() - DIGEST_NAMED)
                    .arg("command", "/orders")),
            );
        }
    }
    Ok(match out.send_text(text, None).await? {
        Some(m) => Delivered::Sent(Some(m.id)),
        None => Delivered::ChatGone,
    })
}

fn delivered(m: Option<teloxide::types::Message>) -> Delivered {
    match m {
        Some(m) => Delivered::Sent(Some(m.id)),
        None => Delivered::ChatGone,
    }
}

/// An order's label, ready: the file, what it is for, and "I take it".
async fn send_label(out: &Out, v: &AlertView) -> Result<Delivered, RequestError> {
    let (Subject::Order(o), Some(file)) = (&v.subject, v.files.first()) else {
        return Ok(Delivered::Nothing);
    };
    if !o.unified.is_open() {
        return Ok(Delivered::Nothing); // shipped or cancelled meanwhile
    }
    let caption = out.t(&msg("alert-label-ready")
        .arg("number", o.number.clone())
        .arg("marketplace", out.t(&names::marketplace(o.marketplace)))
        .arg("cabinet", o.cabinet_name.clone())
        .arg("items", items(o)));
    let caption: String = caption.chars().take(1000).collect();
    let m = out
        .send_document(
            &file.name,
            &file.bytes,
            Some(caption),
            Some(alert_keyboard(out, o)),
        )
        .await?;
    Ok(delivered(m))
}

/// Why an order got no label, in the chat's words.
fn failure_reason(out: &Out, f: &LabelFailure) -> String {
    let id = match f.reason.as_str() {
        "not-ready" => "labels-reason-not-ready",
        "unavailable" => "labels-reason-unavailable",
        "gone" => "labels-reason-gone",
        "key" => "labels-reason-key",
        "not-on-supply" => "labels-reason-not-on-supply",
        _ => "labels-reason-refused",
    };
    let mut s = out.t(&msg(id));
    if !f.detail.is_empty() && !matches!(f.reason.as_str(), "not-ready" | "key") {
        let detail: String = f.detail.chars().take(120).collect();
        s.push_str(&format!(" ({detail})"));
    }
    s
}

/// Labels someone asked for: one file (of `parts`), or what got none and why.
async fn send_labels(
    out: &Out,
    v: &AlertView,
    printed: i64,
    failed: &[LabelFailure],
    (part, parts): (i64, i64),
) -> Result<Delivered, RequestError> {
    if let Some(f) = v.files.first() {
        let caption = if parts > 1 {
            out.t(&msg("labels-part").arg("part", part).arg("parts", parts))
        } else {
            out.t(&msg("labels-done").arg("count", printed))
        };
        let m = out
            .send_document(&f.name, &f.bytes, Some(caption), None)
            .await?;
        return Ok(delivered(m));
    }
    if part > 0 {
        return Ok(Delivered::Nothing); // the file is gone (kept two days)
    }
    let mut text = if parts == 0 {
        out.t(&msg("labels-none"))
    } else if parts > 1 {
        out.t(&msg("labels-done").arg("count", printed))
    } else {
        String::new()
    };
    if !failed.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&out.t(&msg("labels-failed").arg("count", failed.len())));
        for f in failed.iter().take(50) {
            text.push_str(&format!("\n• {}: {}", f.number, failure_reason(out, f)));
        }
        if failed.len() > 50 {
            text.push_str(&format!("\n• … {}", failed.len() - 50));
        }
    }
    Ok(match out.send_text(text, None).await? {
        Some(m) => Delivered::Sent(Some(m.id)),
        None => Delivered::ChatGone,
    })
}

/// The Telegram front's side of the alert sender: renders each alert with this module
/// and sends it once (no retry layer: a message Telegram may have taken is never sent
/// again).
pub struct Teller {
    bot: teloxide::Bot,
    svc: std::sync::Arc<crate::app::Services>,
}

impl Teller {
    pub fn new(bot: teloxide::Bot, svc: std::sync::Arc<crate::app::Services>) -> Teller {
        Teller { bot, svc }
    }

    fn out(&self, chat: crate::domain::TgChatId, lang: crate::domain::Lang) -> Out {
        Out::new(
            self.bot.clone(),
            self.svc.clone(),
            teloxide::types::ChatId(chat.0),
            lang,
        )
        .once()
    }
}

impl crate::notify::Teller for Teller {
    fn plain(&self, v: &AlertView) -> Option<String> {
        text(&self.out(crate::domain::TgChatId(0), v.lang), v)
    }

    async fn one(
        &self,
        chat: crate::domain::TgChatId,
        v: &AlertView,
    ) -> Result<Delivered, RequestError> {
        send(&self.out(chat, v.lang), v).await
    }

    async fn group(
        &self,
        chat: crate::domain::TgChatId,
        lang: crate::domain::Lang,
        views: &[AlertView],
    ) -> Result<Delivered, RequestError> {
        send_group(&self.out(chat, lang), views).await
    }

    async fn digest(
        &self,
        chat: crate::domain::TgChatId,
        lang: crate::domain::Lang,
        views: &[AlertView],
    ) -> Result<Delivered, RequestError> {
        send_digest(&self.out(chat, lang), views).await
    }
}
