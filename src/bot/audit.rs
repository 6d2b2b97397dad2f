//! `/audit` (F14): who changed what in the company, newest first, in the company's time
//! zone, with role, event and language codes in the reader's language.

use super::error::BotResult;
use super::names;
use super::out::Out;
use crate::app::Actor;
use crate::domain::{ApiField, AuditAction, AuditNote, EventKind, Lang, WatchSetting, Zone};
use crate::i18n::{Msg, msg};

/// How many entries `/audit` shows.
const SHOWN: i64 = 20;

/// The message naming an audit action in `/audit`.
pub fn action_name(a: AuditAction) -> Msg {
    msg(match a {
        AuditAction::WorkspaceCreated => "audit-workspace-created",
        AuditAction::WorkspaceRenamed => "audit-workspace-renamed",
        AuditAction::WorkspaceTimeZone => "audit-workspace-time-zone",
        AuditAction::WorkspaceLanguage => "audit-workspace-language",
        AuditAction::MemberJoined => "audit-member-joined",
        AuditAction::MemberRole => "audit-member-role",
        AuditAction::MemberRemoved => "audit-member-removed",
        AuditAction::InviteCreated => "audit-invite-created",
        AuditAction::GroupLinked => "audit-group-linked",
        AuditAction::GroupUnlinked => "audit-group-unlinked",
        AuditAction::GroupMoney => "audit-group-money",
        AuditAction::GroupSummaryHour => "audit-group-summary-hour",
        AuditAction::GroupSubscribed => "audit-group-subscribed",
        AuditAction::GroupUnsubscribed => "audit-group-unsubscribed",
        AuditAction::GroupCabinets => "audit-group-cabinets",
        AuditAction::CabinetAdded => "audit-cabinet-added",
        AuditAction::CabinetRenamed => "audit-cabinet-renamed",
        AuditAction::CabinetEnabled => "audit-cabinet-enabled",
        AuditAction::CabinetDisabled => "audit-cabinet-disabled",
        AuditAction::CabinetMain => "audit-cabinet-main",
        AuditAction::CabinetKeyReplaced => "audit-cabinet-key-replaced",
        AuditAction::CabinetArchived => "audit-cabinet-archived",
        AuditAction::CabinetDeleted => "audit-cabinet-deleted",
        AuditAction::ApiOverride => "audit-api-override",
        AuditAction::ApiReset => "audit-api-reset",
        AuditAction::StatusMapped => "audit-status-mapped",
        AuditAction::WorkspaceOrders => "audit-workspace-orders",
        AuditAction::CatalogueChanged => "audit-catalogue-changed",
        AuditAction::PricesChanged => "audit-prices-changed",
        AuditAction::WarehousesChanged => "audit-warehouses-changed",
        AuditAction::RulesChanged => "audit-rules-changed",
        AuditAction::QueueChanged => "audit-queue-changed",
        AuditAction::EmailsChanged => "audit-emails-changed",
        AuditAction::StockChanged => "audit-stock-changed",
    })
}

/// What an entry says, in the reader's language.
fn render_note(out: &Out, note: &AuditNote) -> String {
    let t = |m: Msg| out.t(&m);
    let quoted = |s: &str| format!("«{s}»");
    match note {
        AuditNote::Name { name } => quoted(name),
        AuditNote::Renamed { from, to } => format!("«{from}» → «{to}»"),
        AuditNote::CabinetAdded { marketplace, name } => {
            format!("{} {}", t(names::marketplace(*marketplace)), quoted(name))
        }
        AuditNote::Role { role } => t(names::role(*role)),
        AuditNote::RoleChanged { member, from, to } => format!(
            "{member}: {} → {}",
            t(names::role(*from)),
            t(names::role(*to))
        ),
        AuditNote::MemberRemoved { member, role } => {
            format!("{member} ({})", t(names::role(*role)))
        }
        AuditNote::GroupEvent { group, event } => {
            format!("{}: {}", quoted(group), t(names::event(*event)))
        }
        AuditNote::GroupCabinet { group, cabinet } => format!(
            "{}: {}",
            quoted(group),
            cabinet
                .as_deref()
                .map(quoted)
                .unwrap_or_else(|| t(msg("subscribe-all-cabinets")))
        ),
        AuditNote::GroupSummaryHour { group, at } => format!("{}: {at}", quoted(group)),
        AuditNote::GroupMoney { group, on } => t(msg(if *on {
            "audit-note-money-on"
        } else {
            "audit-note-money-off"
        })
        .arg("group", group.clone())),
        AuditNote::Api {
            endpoint,
            field,
            value,
        } => {
            let field = t(msg(match field {
                ApiField::Host => "api-host-button",
                ApiField::Path => "api-path-button",
                ApiField::Version => "api-version-button",
            }));
            format!("{endpoint}: {field} = {value}")
        }
        AuditNote::Status {
            marketplace,
            status,
            unified,
        } => {
            let to = match unified {
                Some(u) => t(names::unified(*u)),
                None => t(msg("audit-note-status-default")),
            };
            format!("{} «{status}» → {to}", t(names::marketplace(*marketplace)))
        }
        AuditNote::Setting { setting, value } => match setting.parse::<WatchSetting>() {
            Ok(s) => format!(
                "{}: {}",
                t(names::setting_name(s)),
                names::setting_value(out, s, *value)
            ),
            Err(_) => format!("{setting}: {value}"),
        },
        AuditNote::TimeZone { zone } => zone.clone(),
        AuditNote::Language { lang } => names::lang(out, *lang),
        AuditNote::Stock {
            sku,
            before,
            after,
            reason,
        } => {
            let m = if reason.trim().is_empty() {
                msg("audit-note-stock")
            } else {
                msg("audit-note-stock-why").arg("reason", reason.clone())
            };
            t(m.arg("sku", sku.clone())
                .arg("before", *before)
                .arg("after", *after))
        }
        AuditNote::Publish { sku, on } => t(msg(if *on {
            "audit-note-publish-on"
        } else {
            "audit-note-publish-off"
        })
        .arg("sku", sku.clone())),
        AuditNote::SkusMade { count } => t(msg("audit-note-skus-made").arg("count", *count)),
        AuditNote::Link {
            product,
            sku,
            linked,
        } => t(msg(if *linked {
            "audit-note-linked"
        } else {
            "audit-note-unlinked"
        })
        .arg("product", product.clone())
        .arg("sku", sku.clone())),
        AuditNote::Upload { file, rows } => t(msg("audit-note-upload")
            .arg("file", file.clone())
            .arg("rows", *rows)),
        AuditNote::Prices {
            source,
            prices,
            rules,
        } => t(msg(if source == "file" {
            "audit-note-prices-file"
        } else {
            "audit-note-prices-chat"
        })
        .arg("prices", *prices)
        .arg("rules", *rules)),
        AuditNote::Formula {
            title,
            formula,
            stores,
        } => match formula {
            Some(f) => format!("{title}: {}", names::formula(out, f, stores)),
            None => t(msg("audit-note-formula-reset").arg("title", title.clone())),
        },
    }
}

/// An entry's details in the reader's language: a note as a sentence; the plain text an
/// older release wrote with its role, event and language codes named.
fn render_details(out: &Out, action: &str, details: &str) -> String {
    if let Some(note) = AuditNote::from_stored(details) {
        return render_note(out, &note);
    }
    let role = |code: &str| {
        code.parse::<crate::domain::Role>()
            .map(|r| out.t(&names::role(r)))
            .unwrap_or_else(|_| code.to_owned())
    };
    match action {
        "member.joined" | "invite.created" => role(details),
        "member.role" => match details.rsplit_once(": ") {
            Some((who, change)) => {
                let roles: Vec<String> = change.split(" → ").map(role).collect();
                format!("{who}: {}", roles.join(" → "))
            }
            None => details.to_owned(),
        },
        "member.removed" => match details.strip_suffix(')').and_then(|d| d.rsplit_once(" (")) {
            Some((who, r)) => format!("{who} ({})", role(r)),
            None => details.to_owned(),
        },
        "group.subscribed" | "group.unsubscribed" => match details.rsplit_once(": ") {
            Some((group, code)) => match code.parse::<EventKind>() {
                Ok(e) => format!("{group}: {}", out.t(&names::event(e))),
                Err(_) => details.to_owned(),
            },
            None => details.to_owned(),
        },
        "workspace.language" => details
            .parse::<Lang>()
            .map(|l| names::lang(out, l))
            .unwrap_or_else(|_| details.to_owned()),
        _ => details.to_owned(),
    }
}

/// `/audit`: the latest entries, newest first.
pub async fn show(out: &Out, actor: Actor) -> BotResult {
    let lines = out.svc.audit().list(actor, SHOWN).await?;
    if lines.is_empty() {
        out.say(msg("audit-empty")).await?;
        return Ok(());
    }
    let zone = Zone::or_default(&out.svc.settings().workspace(actor).await?.time_zone);
    let mut text = out.t(&msg("audit-title").arg("count", lines.len()));
    for line in &lines {
        let e = &line.entry;
        let who = line
            .actor_name
            .clone()
            .unwrap_or_else(|| out.t(&msg("audit-system")));
        let action = e
            .action
            .parse::<AuditAction>()
            .map(|a| out.t(&action_name(a)))
            .unwrap_or_else(|_| e.action.clone());
        text.push_str(&format!(
            "\n{} · {who}: {action} {}",
            zone.format(e.at),
            render_details(out, &e.action, &e.details)
        ));
    }
    out.send_text(text, None).await?;
    Ok(())
}
