//! `/audit` (F14): who changed what in the company, newest first, in the company's time
//! zone, with role, event and language codes in the reader's language.

use super::error::BotResult;
use super::names;
use super::out::Out;
use crate::app::Actor;
use crate::domain::{AuditAction, EventKind, Lang, Zone};
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
        AuditAction::StockChanged => "audit-stock-changed",
    })
}

/// An entry's details with role, event and language codes in the reader's language.
fn render_details(out: &Out, action: &str, details: &str) -> String {
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
    let lines = out.svc.audit(actor, SHOWN).await?;
    if lines.is_empty() {
        out.say(msg("audit-empty")).await?;
        return Ok(());
    }
    let zone = Zone::or_default(&out.svc.workspace(actor).await?.time_zone);
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
