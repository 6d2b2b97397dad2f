//! How cabinets look: the health line of each (state, marketplace, name, scheme, main, last
//! sync, last error, key expiry), the list and one cabinet's card.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::Cb;
use crate::app::Actor;
use crate::bot::error::BotResult;
use crate::bot::keyboards::{button, plain};
use crate::bot::names;
use crate::bot::out::Out;
use crate::domain::cabinet::HealthError;
use crate::domain::{Cabinet, Permission, SchemeChoice, Zone};
use crate::i18n::msg;

/// How early the health line warns that a key expires.
const KEY_WARNING_SECS: i64 = 14 * 86_400;

/// One cabinet's health: state, last sync, last error, key expiry.
fn health(out: &Out, c: &Cabinet, zone: Zone) -> String {
    let mut lines = Vec::new();
    let state = if !c.enabled {
        msg("cabinet-state-disabled")
    } else if c.last_error.is_some() {
        msg("cabinet-state-error")
    } else {
        msg("cabinet-state-ok")
    };
    let main = if c.is_main {
        format!(" · {}", out.t(&msg("cabinet-main-mark")))
    } else {
        String::new()
    };
    let scheme = match c.scheme {
        SchemeChoice::Fbs => "FBS",
        SchemeChoice::Fbo => "FBO",
        SchemeChoice::Both => "FBS+FBO",
    };
    lines.push(
        out.t(&msg("cabinet-line")
            .arg("state", out.t(&state))
            .arg("marketplace", out.t(&names::marketplace(c.marketplace)))
            .arg("name", c.name.clone())
            .arg("scheme", scheme)
            .arg("main", main)),
    );
    let sync = match c.last_sync_at {
        Some(t) => msg("cabinet-synced").arg("time", zone.format(t)),
        None => msg("cabinet-never-synced"),
    };
    lines.push(format!("   {}", out.t(&sync)));
    if let (Some(e), Some(at)) = (&c.last_error, c.last_error_at) {
        let text = match HealthError::parse(e) {
            HealthError::Key(p) => out.t(&names::key_problem(p)),
            HealthError::Api { status } => {
                out.t(&msg("cabinet-error-api").arg("status", status.to_string()))
            }
            HealthError::SyncFailed(None) => out.t(&msg("cabinet-error-sync")),
            HealthError::SyncFailed(Some(f)) => {
                let market = out.t(&names::marketplace(c.marketplace));
                format!(
                    "{}: {}",
                    out.t(&msg("cabinet-error-sync")),
                    names::failure(out, &f, &market)
                )
            }
            HealthError::Other(s) => s,
        };
        let err = msg("cabinet-last-error")
            .arg("time", zone.format(at))
            .arg("error", text);
        lines.push(format!("   {}", out.t(&err)));
    }
    if let Some(exp) = c.key_expires_at {
        let left = exp - out.svc.clock.unix();
        let m = if left <= 0 {
            msg("cabinet-key-expired").arg("date", zone.format(exp))
        } else if left < KEY_WARNING_SECS {
            msg("cabinet-key-expires-soon")
                .arg("date", zone.format(exp))
                .arg("days", left.div_euclid(86_400) + 1)
        } else {
            msg("cabinet-key-expires").arg("date", zone.format(exp))
        };
        lines.push(format!("   {}", out.t(&m)));
    }
    lines.join("\n")
}

/// The actor's company time zone.
async fn zone(out: &Out, actor: Actor) -> BotResult<Zone> {
    Ok(Zone::or_default(
        &out.svc.settings().workspace(actor).await?.time_zone,
    ))
}

/// `/cabinets`, or the "All cabinets" button (edits `edit` in place).
pub async fn list(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let list = out.svc.cabinets().list(actor).await?;
    let zone = zone(out, actor).await?;
    let mut text = if list.is_empty() {
        out.t(&msg("cabinets-empty"))
    } else {
        out.t(&msg("cabinets-title").arg("count", list.len()))
    };
    for c in &list {
        text.push_str("\n\n");
        text.push_str(&health(out, c, zone));
        if let Some(line) = refused_line(out, actor, c).await? {
            text.push('\n');
            text.push_str(&line);
        }
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = list
        .iter()
        .map(|c| {
            let label = format!("{} · {}", out.t(&names::marketplace(c.marketplace)), c.name);
            vec![plain(label, Cb::Open(c.id).data())]
        })
        .collect();
    if actor.role.can(Permission::ManageCabinets) {
        rows.push(vec![button(
            out,
            msg("cabinets-add-button"),
            Cb::Add.data(),
        )]);
    } else if list.is_empty() {
        text.push_str("\n\n");
        text.push_str(&out.t(&msg("cabinets-ask-admin")));
    }
    let kb = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    out.show(edit, text, kb).await?;
    Ok(())
}

/// How many items the marketplace refused at the last stock push, when any.
async fn refused_line(out: &Out, actor: Actor, c: &Cabinet) -> BotResult<Option<String>> {
    let (total, _) = out.svc.stocks().stock_refusals(actor, c.id, 0).await?;
    Ok((total > 0).then(|| {
        format!(
            "   {}",
            out.t(&msg("cabinet-stock-refused").arg("count", total))
        )
    }))
}

/// The items the marketplace refused at the last stock push, with what it said.
pub async fn refused(out: &Out, actor: Actor, c: &Cabinet, id: MessageId) -> BotResult {
    let zone = zone(out, actor).await?;
    let (total, list) = out.svc.stocks().stock_refusals(actor, c.id, 20).await?;
    let mut lines = vec![
        out.t(&msg("cabinet-refused-title")
            .arg("cabinet", c.name.clone())
            .arg("count", total)),
    ];
    for r in &list {
        lines.push(
            out.t(&msg("cabinet-refused-line")
                .arg("vendor", r.vendor_code.clone())
                .arg("warehouse", r.warehouse.clone())
                .arg("error", r.error.chars().take(120).collect::<String>())
                .arg("time", zone.format(r.at))),
        );
    }
    if total > list.len() as i64 {
        lines.push(out.t(&msg("cabinet-refused-more").arg("count", total - list.len() as i64)));
    }
    if total == 0 {
        lines.push(out.t(&msg("cabinet-refused-none")));
    }
    let kb = InlineKeyboardMarkup::new(vec![vec![button(
        out,
        msg("button-back"),
        Cb::Open(c.id).data(),
    )]]);
    out.edit(id, lines.join("\n"), Some(kb)).await?;
    Ok(())
}

fn card_keyboard(out: &Out, c: &Cabinet, manage: bool, refused: bool) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    if refused {
        rows.push(vec![button(
            out,
            msg("cabinet-refused-button"),
            Cb::Refused(c.id).data(),
        )]);
    }
    if manage {
        let (label, on) = if c.enabled {
            (msg("cabinet-disable-button"), false)
        } else {
            (msg("cabinet-enable-button"), true)
        };
        rows.push(vec![
            button(out, msg("cabinet-rename-button"), Cb::Rename(c.id).data()),
            button(out, label, Cb::Enable(c.id, on).data()),
        ]);
        let mut second = Vec::new();
        if !c.is_main {
            second.push(button(
                out,
                msg("cabinet-main-button"),
                Cb::Main(c.id).data(),
            ));
        }
        second.push(button(
            out,
            msg("cabinet-key-button"),
            Cb::ReplaceKey(c.id).data(),
        ));
        rows.push(second);
        rows.push(vec![button(
            out,
            msg("cabinet-delete-button"),
            Cb::Delete(c.id).data(),
        )]);
    }
    rows.push(vec![button(
        out,
        msg("cabinets-back-button"),
        Cb::List.data(),
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// One cabinet's card, edited into message `id`.
pub async fn card(out: &Out, actor: Actor, c: &Cabinet, id: MessageId) -> BotResult {
    let zone = zone(out, actor).await?;
    let mut text = health(out, c, zone);
    let refused = refused_line(out, actor, c).await?;
    if let Some(line) = &refused {
        text.push('\n');
        text.push_str(line);
    }
    let mut details = Vec::new();
    if let Some(a) = &c.account {
        details.push(out.t(&msg("cabinet-account").arg("account", a.clone())));
    }
    if let (Some(shop), Some(name)) = (&c.shop, &c.shop_name) {
        details.push(
            out.t(&msg("cabinet-shop")
                .arg("shop", shop.clone())
                .arg("name", name.clone())),
        );
    }
    details.push(out.t(&msg("cabinet-scheme").arg("scheme", out.t(&names::scheme(c.scheme)))));
    text.push_str("\n\n");
    text.push_str(&details.join("\n"));
    let manage = actor.role.can(Permission::ManageCabinets);
    out.edit(
        id,
        text,
        Some(card_keyboard(out, c, manage, refused.is_some())),
    )
    .await?;
    Ok(())
}
