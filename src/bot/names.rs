//! Localized names of domain values, shared by every feature's views.

use crate::domain::cabinet::KeyProblem;
use crate::domain::{EventKind, Lang, Marketplace, Role, SchemeChoice};
use crate::i18n::{Msg, msg};

use super::out::Out;

pub fn role(role: Role) -> Msg {
    msg(match role {
        Role::Owner => "role-owner",
        Role::Admin => "role-admin",
        Role::Manager => "role-manager",
        Role::Warehouse => "role-warehouse",
        Role::Viewer => "role-viewer",
    })
}

pub fn marketplace(m: Marketplace) -> Msg {
    msg(match m {
        Marketplace::Ozon => "marketplace-ozon",
        Marketplace::Wildberries => "marketplace-wb",
        Marketplace::YandexMarket => "marketplace-ym",
    })
}

pub fn scheme(s: SchemeChoice) -> Msg {
    msg(match s {
        SchemeChoice::Fbs => "scheme-fbs",
        SchemeChoice::Fbo => "scheme-fbo",
        SchemeChoice::Both => "scheme-both",
    })
}

pub fn event(e: EventKind) -> Msg {
    msg(match e {
        EventKind::NewOrder => "event-new-order",
        EventKind::Cancellation => "event-cancellation",
        EventKind::LowStock => "event-low-stock",
        EventKind::ShipDeadline => "event-ship-deadline",
        EventKind::SyncFailure => "event-sync-failure",
        EventKind::KeyProblem => "event-key-problem",
        EventKind::DailySummary => "event-daily-summary",
        EventKind::LabelReady => "event-label-ready",
        EventKind::PriceChanged => "event-price-changed",
    })
}

pub fn key_problem(p: KeyProblem) -> Msg {
    msg(match p {
        KeyProblem::Wrong => "cabinet-error-key-wrong",
        KeyProblem::Refused => "cabinet-error-key-refused",
        KeyProblem::Scopes => "cabinet-error-key-scopes",
        KeyProblem::ReadOnly => "cabinet-error-key-read-only",
        KeyProblem::Roles => "cabinet-error-key-roles",
        KeyProblem::NoCampaigns => "cabinet-error-key-no-campaigns",
        KeyProblem::Unreadable => "cabinet-error-key-unreadable",
        KeyProblem::Expired => "cabinet-error-key-expired",
    })
}

pub fn yes_no(b: bool) -> Msg {
    msg(if b { "word-yes" } else { "word-no" })
}

/// A language's name in that language.
pub fn lang(out: &Out, l: Lang) -> String {
    out.in_lang(l, &msg("lang-name"))
}

pub fn unified(u: crate::domain::UnifiedStatus) -> Msg {
    use crate::domain::UnifiedStatus as U;
    msg(match u {
        U::New => "status-new",
        U::Confirmed => "status-confirmed",
        U::Packed => "status-packed",
        U::LabelReceived => "status-label",
        U::Shipped => "status-shipped",
        U::Delivered => "status-delivered",
        U::Cancelled => "status-cancelled",
        U::Returned => "status-returned",
        U::Disputed => "status-disputed",
        U::NoStatus => "status-none",
    })
}

/// What a finished action did, as its notice says.
pub fn done(a: crate::domain::order::Action) -> Msg {
    use crate::domain::order::Action as A;
    msg(match a {
        A::Confirm => "done-confirm",
        A::Assemble => "done-assemble",
        A::Ship => "done-ship",
        A::Cancel => "done-cancel",
    })
}

/// A second tap's answer: the first one did it.
pub fn done_by_first_tap(a: crate::domain::order::Action) -> Msg {
    msg("order-done-first-tap").arg("action", a.code())
}

pub fn action(a: crate::domain::order::Action) -> Msg {
    use crate::domain::order::Action as A;
    msg(match a {
        A::Confirm => "action-confirm",
        A::Assemble => "action-assemble",
        A::Ship => "action-ship",
        A::Cancel => "action-cancel",
    })
}

/// A sum in roubles as a reader of `lang` writes it.
pub fn money(lang: crate::domain::Lang, sum: crate::domain::Money) -> String {
    format!("{} ₽", sum.localized(lang))
}

/// Why a typed or listed price is refused.
pub fn price_refusal(out: &Out, r: &crate::app::prices::Refusal) -> String {
    use crate::app::prices::Refusal;
    use crate::domain::price::InputError as E;
    let m = match r {
        Refusal::Input(E::NotANumber) => msg("price-bad-number"),
        Refusal::Input(E::Zero) => msg("price-bad-zero"),
        Refusal::Input(E::Negative) => msg("price-bad-negative"),
        Refusal::Input(E::TooPrecise) => msg("price-bad-precise"),
        Refusal::Input(E::TooLarge) => msg("price-bad-large"),
        Refusal::Input(E::TooSmall) => msg("price-bad-small"),
        Refusal::Input(E::PercentOutOfRange) => msg("price-bad-percent"),
        Refusal::BelowGuard(g) => msg("price-below-guard").arg("guard", money(out.lang, *g)),
        Refusal::NoPrice => msg("price-no-current"),
        Refusal::NotSold => msg("price-not-sold"),
        Refusal::SameCard(row) => msg("price-same-card").arg("row", *row as i64),
    };
    out.t(&m)
}

/// One planned change: `Cabinet: 1 000 ₽ → 1 100 ₽ (+10%)`, the price before discount and
/// the margin when the cost is known.
pub fn price_change(out: &Out, p: &crate::app::prices::Planned) -> String {
    use crate::domain::Money;
    let m = |k: i64| money(out.lang, Money(k));
    let mut line = match p.old_after {
        Some(old) => out.t(&msg("price-change-line")
            .arg("cabinet", p.cabinet_name.clone())
            .arg("old", m(old))
            .arg("new", m(p.new_after))
            // A typographic minus, as the discount is written.
            .arg("jump", format!("{:+}", p.jump).replace('-', "−"))),
        None => out.t(&msg("price-change-first")
            .arg("cabinet", p.cabinet_name.clone())
            .arg("new", m(p.new_after))),
    };
    if p.discount > 0 {
        line.push_str(
            &out.t(&msg("price-before-discount")
                .arg("price", m(p.new_before))
                .arg("discount", p.discount)),
        );
    }
    if let Some(asked) = p.asked {
        line.push_str(
            &out.t(&msg("price-whole-roubles")
                .arg("asked", m(asked))
                .arg("new", m(p.new_after))),
        );
    }
    if let Some((margin, pct)) = p.margin() {
        // A loss is written with a typographic minus and said to be one.
        let id = if margin.0 < 0 {
            "price-margin-loss"
        } else {
            "price-margin"
        };
        line.push_str(
            &out.t(&msg(id)
                .arg("margin", money(out.lang, margin).replace('-', "−"))
                .arg("percent", pct.to_string().replace('-', "−"))),
        );
    }
    line
}

/// A watch setting's value as people say it: "30 s", "2 min", "24 h", "5 pcs", "off".
pub fn setting_value(out: &Out, s: crate::domain::WatchSetting, v: i64) -> String {
    use crate::domain::WatchSetting;
    let m = match s {
        WatchSetting::Finance if v % 3600 == 0 => msg("settings-hours").arg("n", v / 3600),
        WatchSetting::Poll | WatchSetting::Stocks | WatchSetting::Finance if v % 60 == 0 => {
            msg("settings-minutes").arg("n", v / 60)
        }
        WatchSetting::Poll | WatchSetting::Stocks | WatchSetting::Finance => {
            msg("settings-seconds").arg("n", v)
        }
        WatchSetting::Payout => msg("settings-days").arg("n", v),
        WatchSetting::Annul | WatchSetting::Deadline => msg("settings-hours").arg("n", v),
        WatchSetting::LowStock if v == 0 => msg("settings-low-off"),
        WatchSetting::LowStock => msg("settings-units").arg("n", v),
    };
    out.t(&m)
}

/// A watch setting's name (its button in `/settings`).
pub fn setting_name(s: crate::domain::WatchSetting) -> crate::i18n::Msg {
    use crate::domain::WatchSetting;
    msg(match s {
        WatchSetting::Poll => "settings-poll-button",
        WatchSetting::Annul => "settings-annul-button",
        WatchSetting::Deadline => "settings-deadline-button",
        WatchSetting::Stocks => "settings-stocks-button",
        WatchSetting::LowStock => "settings-low-button",
        WatchSetting::Finance => "settings-finance-button",
        WatchSetting::Payout => "settings-payout-button",
    })
}

/// A stock formula in words: which of ours are summed (`counted` names them; none is all),
/// what is taken off, the floor and the cap.
pub fn formula(out: &Out, f: &crate::domain::stock::Formula, counted: &[String]) -> String {
    let mut parts = vec![if f.stores.is_empty() {
        out.t(&msg("formula-all-stores"))
    } else {
        counted.join(" + ")
    }];
    if f.reserve {
        parts.push(out.t(&msg("formula-less-orders")));
    }
    if f.buffer > 0 {
        parts.push(out.t(&msg("formula-less-buffer").arg("n", f.buffer)));
    }
    if f.zero_below > 0 {
        parts.push(out.t(&msg("formula-zero-below").arg("n", f.zero_below)));
    }
    if let Some(c) = f.cap {
        parts.push(out.t(&msg("formula-cap").arg("n", c)));
    }
    parts.join(" · ")
}

/// How a request to a marketplace fails, in words: which request answered which status,
/// what that means, and where to look when the request itself seems gone.
pub fn failure(out: &Out, f: &crate::domain::Failure, marketplace: &str) -> String {
    use crate::domain::Rejection as R;
    let meaning = msg(match f.why {
        R::NotFound => "failure-not-found",
        R::Refused => "failure-refused",
        R::Key => "failure-key",
        R::Limit => "failure-limit",
        R::Unavailable => "failure-unavailable",
        R::Unsupported => "failure-unsupported",
        R::Unexpected => "failure-unexpected",
    })
    .arg("marketplace", marketplace.to_owned());
    let mut text = match (&f.request, f.status) {
        (Some(r), Some(s)) => out.t(&msg("failure-request-status")
            .arg("request", r.clone())
            .arg("status", i64::from(s))),
        (Some(r), None) => out.t(&msg("failure-request").arg("request", r.clone())),
        (None, Some(s)) => out.t(&msg("failure-status").arg("status", i64::from(s))),
        (None, None) => String::new(),
    };
    if !text.is_empty() {
        text.push_str(" — ");
    }
    text.push_str(&out.t(&meaning));
    if let (true, Some(r)) = (f.request_gone(), &f.request) {
        text.push(' ');
        text.push_str(&out.t(&msg("failure-see-api").arg("request", r.clone())));
    }
    text
}

/// What a marketplace's refusal of an order step means, in words (takes `marketplace`).
pub fn rejection(why: crate::domain::Rejection) -> Msg {
    use crate::domain::Rejection as R;
    msg(match why {
        R::NotFound => "order-refused-not-found",
        R::Refused => "order-refused",
        R::Key => "order-refused-key",
        R::Limit => "order-refused-limit",
        R::Unavailable => "order-refused-unavailable",
        R::Unsupported => "order-refused-unsupported",
        R::Unexpected => "order-refused-unexpected",
    })
}

/// The items of an order, one line each.
pub fn items(o: &crate::domain::order::Order) -> String {
    o.items
        .iter()
        .map(|i| format!("• {} × {}", i.name, i.quantity))
        .collect::<Vec<_>>()
        .join("\n")
}
