//! End-to-end behaviour that transcripts cannot express: restarts, invites with their
//! random codes, group membership changes, menus per role.

use mpbot::domain::Lang;
use mpbot::sandbox::telegram::Event;

use crate::harness::{TestApp, render, texts};

#[tokio::test]
async fn a_dialogue_survives_a_restart() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.send(&anna, "/start").await;
    app.send(&anna, "/settings").await;
    app.press(&anna, 1).await;
    let clock = app.clock.clone();
    let test_db = app.finish().await;

    let app = TestApp::start_on(test_db, clock).await;
    let events = app.send(&anna, "Склад на Ленина").await;
    let want = render(
        Lang::Ru,
        &mpbot::i18n::msg("settings-renamed").arg("workspace", "Склад на Ленина"),
    );
    assert_eq!(texts(&events), vec![want]);
    assert_eq!(
        app.db
            .scalar_text("SELECT name FROM workspaces")
            .await
            .expect("q"),
        Some("Склад на Ленина".into())
    );
    app.finish().await;
}

fn invite_code(events: &[Event]) -> String {
    let text = texts(events).join("\n");
    let start = text.find("?start=").expect("an invite link") + 7;
    text[start..start + 10].to_owned()
}

#[tokio::test]
async fn an_invite_adds_a_member_with_its_role_once() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    app.send(&anna, "/start").await;
    let events = app.send(&anna, "/invite").await;
    let labels: Vec<String> = match &events[..] {
        [Event::Message { buttons, .. }] => {
            buttons.iter().flatten().map(|b| b.label.clone()).collect()
        }
        other => panic!("expected the role picker, got {other:?}"),
    };
    assert_eq!(
        labels,
        vec!["admin", "manager", "warehouse", "viewer", "Cancel"]
    );
    let events = app.press(&anna, 2).await;
    let code = invite_code(&events);

    let boris = TestApp::user(2002, "Boris", Lang::En);
    let events = app.send(&boris, &format!("/start {code}")).await;
    let want = render(
        Lang::En,
        &mpbot::i18n::msg("start-joined")
            .arg("workspace", "Anna's company")
            .arg("role", "manager"),
    );
    assert_eq!(texts(&events), vec![want]);
    assert_eq!(app.count("SELECT COUNT(*) FROM members").await, 2);
    assert_eq!(
        app.db
            .scalar_text("SELECT role FROM members WHERE user_id = 2002")
            .await
            .expect("q"),
        Some("manager".into())
    );

    // Boris's menu now matches a manager: no /settings, no /invite.
    let menus = app.h.double.commands();
    let boris_menu = menus
        .iter()
        .find(|(scope, _, _)| scope["chat_id"].as_i64() == Some(2002))
        .map(|(_, _, c)| c.to_string())
        .expect("a menu for Boris");
    assert!(
        boris_menu.contains("\"team\"")
            && !boris_menu.contains("\"settings\"")
            && !boris_menu.contains("\"invite\"")
            && !boris_menu.contains("\"subscribe\"")
    );

    // The code works once.
    let vera = TestApp::user(3003, "Vera", Lang::En);
    let events = app.send(&vera, &format!("/start {code}")).await;
    assert_eq!(
        texts(&events),
        vec![render(Lang::En, &mpbot::i18n::msg("start-invite-invalid"))]
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM members").await, 2);
    app.finish().await;
}

#[tokio::test]
async fn an_expired_invite_is_refused() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.send(&anna, "/start").await;
    app.send(&anna, "/invite").await;
    let code = invite_code(&app.press(&anna, 4).await);
    app.clock.advance(chrono::Duration::days(8));
    let boris = TestApp::user(2002, "Boris", Lang::Ru);
    let events = app.send(&boris, &format!("/start {code}")).await;
    assert_eq!(
        texts(&events),
        vec![render(Lang::Ru, &mpbot::i18n::msg("start-invite-invalid"))]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members WHERE user_id = 2002")
            .await,
        0
    );
    app.finish().await;
}

#[tokio::test]
async fn an_admin_cannot_hand_out_admin_and_a_forged_press_is_refused() {
    let app = TestApp::start().await;
    app.seed_workspace(
        "Acme",
        &[(1001, "Anna", mpbot::domain::Role::Admin)],
        Lang::En,
    )
    .await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    let events = app.send(&anna, "/invite").await;
    let labels: Vec<String> = match &events[..] {
        [Event::Message { buttons, .. }] => {
            buttons.iter().flatten().map(|b| b.label.clone()).collect()
        }
        other => panic!("expected the role picker, got {other:?}"),
    };
    assert_eq!(labels, vec!["manager", "warehouse", "viewer", "Cancel"]);
    // A crafted button asking for an admin invite is re-authorised server-side.
    let forged = app
        .h
        .double
        .plant_bot_message(&anna, "…", &[("admin", "1:i:admin")]);
    app.h.double.press(&anna, 1001, forged, 1).expect("press");
    let events = app.settle().await;
    assert_eq!(
        texts(&events),
        vec![render(Lang::En, &mpbot::i18n::msg("no-permission"))]
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM invites").await, 0);
    app.finish().await;
}

#[tokio::test]
async fn removing_the_bot_from_a_group_marks_it_inactive() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.send(&anna, "/start").await;
    app.h.double.add_bot_to_group(&anna, -100_777, "Склад");
    app.settle().await;
    assert_eq!(
        app.count("SELECT active FROM chats WHERE chat_id = -100777")
            .await,
        1
    );
    app.h.double.remove_bot_from_group(&anna, -100_777, "Склад");
    let events = app.settle().await;
    assert!(texts(&events).is_empty());
    assert_eq!(
        app.count("SELECT active FROM chats WHERE chat_id = -100777")
            .await,
        0
    );
    app.finish().await;
}

#[tokio::test]
async fn default_menus_are_set_per_language_at_start() {
    let app = TestApp::start().await;
    let menus = app.h.double.commands();
    let default_ru = menus
        .iter()
        .find(|(s, l, _)| s["type"] == "default" && l.is_none())
        .expect("a default menu");
    let default_en = menus
        .iter()
        .find(|(s, l, _)| s["type"] == "default" && l.as_deref() == Some("en"))
        .expect("an English menu");
    assert!(default_ru.2.to_string().contains("сменить язык"));
    assert!(default_en.2.to_string().contains("change language"));
    assert!(
        !default_en.2.to_string().contains("settings"),
        "strangers see only the basic commands"
    );
    // Groups get what is done in groups: /subscribe, in both languages.
    for lang in [None, Some("en")] {
        let group = menus
            .iter()
            .find(|(s, l, _)| s["type"] == "all_group_chats" && l.as_deref() == lang)
            .expect("a group menu");
        let text = group.2.to_string();
        assert!(
            text.contains("\"subscribe\"") && !text.contains("\"cabinets\""),
            "{text}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn the_app_talks_to_the_sandboxes_and_applies_api_overrides_at_start() {
    use mpbot::marketplaces::endpoints::{self as ep, Family, Override};
    let app = TestApp::start().await;
    let ozon = app
        .sandboxes
        .urls
        .iter()
        .find(|(f, _)| *f == Family::Ozon)
        .map(|(_, u)| u.clone())
        .expect("ozon sandbox");
    let url = app
        .h
        .app
        .svc
        .catalogue
        .url(&ep::OZON_ROLES, &[])
        .expect("url");
    assert_eq!(url.as_str(), format!("{ozon}v1/roles"));
    // An override stored by an admin takes effect at the next start.
    let o = Override {
        version: Some("v2".into()),
        ..Override::default()
    };
    mpbot::storage::api_overrides::set(
        &app.db,
        mpbot::storage::api_overrides::DEPLOYMENT,
        ep::OZON_ROLES.name,
        &o,
        None,
        1,
    )
    .await
    .expect("stored");
    let (clock, test_db) = (app.clock.clone(), app.finish().await);
    let app = TestApp::start_on(test_db, clock).await;
    assert_eq!(
        app.h
            .app
            .svc
            .catalogue
            .url(&ep::OZON_ROLES, &[])
            .expect("url")
            .path(),
        "/v2/roles"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_database_failure_is_answered_with_a_reference_not_silence() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    app.send(&anna, "/start").await;
    // The database goes away under the running bot.
    app.db.close().await;
    let events = app.send(&anna, "/help").await;
    let text = texts(&events).join("\n");
    assert!(
        text.starts_with("Something went wrong and nothing was saved"),
        "{text}"
    );
    assert!(text.contains("report code "), "{text}");
    app.h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_master_key_that_opens_no_stored_key_stops_the_start() {
    use std::sync::Arc;

    use mpbot::clock::SharedClock;
    use mpbot::domain::{Marketplace, Role};
    use mpbot::marketplaces::endpoints::Catalogue;
    use mpbot::sandbox::harness::Harness;
    use mpbot::startup::StartError;

    let app = TestApp::start().await;
    let ws = app
        .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], Lang::Ru)
        .await;
    app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    let clock: SharedClock = Arc::new(app.clock.clone());
    let test_db = app.finish().await;
    let db = mpbot::storage::Db::connect(&test_db.url).await.expect("db");
    let catalogue = Arc::new(Catalogue::from_lookup(|_| None).expect("catalogue"));
    let wrong = Arc::new(mpbot::secrets::Vault::ephemeral().expect("vault"));
    let refused = Harness::start(
        db.clone(),
        clock.clone(),
        None,
        None,
        catalogue.clone(),
        wrong.clone(),
        (mpbot::ratelimit::TelegramLimits::LOOSE, None),
    )
    .await;
    match refused {
        Err(e @ StartError::WrongMasterKey { .. }) => {
            let text = e.to_string();
            assert!(text.contains(wrong.key_id()) && text.contains(test_db.vault.key_id()));
        }
        Err(other) => panic!("expected a wrong master key, got {other}"),
        Ok(h) => {
            h.stop().await;
            panic!("started with a master key that opens nothing");
        }
    }
    let right = Harness::start(
        db.clone(),
        clock,
        None,
        None,
        catalogue,
        test_db.vault.clone(),
        (mpbot::ratelimit::TelegramLimits::LOOSE, None),
    )
    .await
    .expect("the right key starts");
    right.stop().await;
    db.close().await;
}

use mpbot::bot::callbacks::Callback;
use mpbot::bot::{
    api, cabinets, catalogue, emails, finance, groups, labels, my_alerts, orders, queue, quiet,
    rules, settings, start, statuses, stocks, supplies, team, uploads,
};

/// A name per kind of press. The match has no wildcard: a new kind of button does not
/// compile here until it is named, and `every_kind_of_press_has_a_sample` fails until a
/// sample of it is pressed by the sweep below.
fn kind(cb: &Callback) -> &'static str {
    use cabinets::connect::Cb as K;
    use stocks::warehouses::Cb as W;
    match cb {
        Callback::Start(start::Cb::SetLang(_)) => "lang",
        Callback::Start(start::Cb::Cancel) => "cancel",
        Callback::Settings(c) => match c {
            settings::Cb::Rename => "settings.rename",
            settings::Cb::TimeZoneMenu => "settings.zones",
            settings::Cb::SetTimeZone(_) => "settings.zone",
            settings::Cb::DefaultLangMenu => "settings.langs",
            settings::Cb::SetDefaultLang(_) => "settings.lang",
            settings::Cb::OrderMenu(_) => "settings.orders",
            settings::Cb::SetOrder(..) => "settings.order",
            settings::Cb::Back => "settings.back",
        },
        Callback::Team(c) => match c {
            team::Cb::Invite(_) => "team.invite",
            team::Cb::List => "team.list",
            team::Cb::Member(_) => "team.member",
            team::Cb::SetRole(..) => "team.role",
            team::Cb::Remove(_) => "team.remove",
            team::Cb::ConfirmRemove(_) => "team.remove!",
        },
        Callback::Cabinets(c) => match c {
            cabinets::Cb::List => "cabinets.list",
            cabinets::Cb::Add => "cabinets.add",
            cabinets::Cb::Open(_) => "cabinets.open",
            cabinets::Cb::Rename(_) => "cabinets.rename",
            cabinets::Cb::Enable(..) => "cabinets.enable",
            cabinets::Cb::Main(_) => "cabinets.main",
            cabinets::Cb::ReplaceKey(_) => "cabinets.key",
            cabinets::Cb::Delete(_) => "cabinets.delete",
            cabinets::Cb::ConfirmDelete(..) => "cabinets.delete!",
            cabinets::Cb::Refused(_) => "cabinets.refused",
            cabinets::Cb::Connect(k) => match k {
                K::Market(_) => "connect.market",
                K::Campaign(_) => "connect.campaign",
                K::Scheme(_) => "connect.scheme",
                K::SuggestedName => "connect.name",
                K::Main(_) => "connect.main",
                K::Save => "connect.save",
                K::Retry => "connect.retry",
            },
        },
        Callback::Groups(c) => match c {
            groups::Cb::Event(_) => "groups.event",
            groups::Cb::Cabinet(_) => "groups.cabinet",
            groups::Cb::Done => "groups.done",
            groups::Cb::Release(_) => "groups.release",
            groups::Cb::ConfirmRelease(_) => "groups.release!",
            groups::Cb::Money(..) => "groups.money",
            groups::Cb::Hour(_) => "groups.hour",
        },
        Callback::Api(c) => match c {
            api::Cb::Family(_) => "api.family",
            api::Cb::Edit(..) => "api.edit",
            api::Cb::Reset(_) => "api.reset",
        },
        Callback::Orders(c) => match c {
            orders::Cb::List(_) => "orders.list",
            orders::Cb::StatusMenu(_) => "orders.statuses",
            orders::Cb::SchemeMenu(_) => "orders.schemes",
            orders::Cb::CabinetMenu(_) => "orders.cabinets",
            orders::Cb::Open(..) => "orders.open",
            orders::Cb::Act(..) => "orders.act",
            orders::Cb::Cancel(..) => "orders.cancel",
            orders::Cb::CancelWith(..) => "orders.cancel!",
            orders::Cb::Label(_) => "orders.label",
            orders::Cb::Take(_) => "orders.take",
            orders::Cb::Release(_) => "orders.release",
        },
        Callback::Statuses(c) => match c {
            statuses::Cb::List(_) => "statuses.list",
            statuses::Cb::Pick(..) => "statuses.pick",
            statuses::Cb::Set(..) => "statuses.set",
            statuses::Cb::FromAlert(..) => "statuses.alert",
        },
        Callback::MyAlerts(_) => "my-alerts",
        Callback::Labels(c) => match c {
            labels::Cb::Unlabelled => "labels.unlabelled",
            labels::Cb::Pick => "labels.pick",
            labels::Cb::Packing => "labels.packing",
        },
        Callback::Supplies(c) => match c {
            supplies::Cb::List => "supplies.list",
            supplies::Cb::Create(_) => "supplies.create",
            supplies::Cb::Size(..) => "supplies.size",
            supplies::Cb::Open(..) => "supplies.open",
            supplies::Cb::Add(..) => "supplies.add",
            supplies::Cb::AddOne(..) => "supplies.add1",
            supplies::Cb::AddAll(..) => "supplies.addall",
            supplies::Cb::Close(..) => "supplies.close",
            supplies::Cb::CloseYes(..) => "supplies.close!",
            supplies::Cb::Qr(..) => "supplies.qr",
            supplies::Cb::Labels(..) => "supplies.labels",
        },
        Callback::Catalogue(c) => match c {
            catalogue::Cb::Summary => "catalogue.summary",
            catalogue::Cb::Unlinked(_) => "catalogue.unlinked",
            catalogue::Cb::Ambiguous(_) => "catalogue.ambiguous",
            catalogue::Cb::Product(_) => "catalogue.product",
            catalogue::Cb::Link(..) => "catalogue.link",
            catalogue::Cb::Export => "catalogue.export",
            catalogue::Cb::Create => "catalogue.create",
            catalogue::Cb::CreateYes => "catalogue.create!",
            catalogue::Cb::Sync(_) => "catalogue.sync",
        },
        Callback::Stocks(c) => match c {
            stocks::Cb::Card(_) => "stocks.card",
            stocks::Cb::Change(..) => "stocks.change",
            stocks::Cb::Low => "stocks.low",
            stocks::Cb::Links(_) => "stocks.links",
            stocks::Cb::Unlink(..) => "stocks.unlink",
            stocks::Cb::Chart(..) => "stocks.chart",
            stocks::Cb::PushOurs => "stocks.push-ours",
            stocks::Cb::Publish(..) => "stocks.publish",
            stocks::Cb::Threshold(_) => "stocks.threshold",
        },
        Callback::Warehouses(c) => match c {
            W::Overview => "warehouses.overview",
            W::AddStore => "warehouses.add",
            W::RenameStore(_) => "warehouses.rename",
            W::Formula(_) => "warehouses.formula",
            W::Menu(..) => "warehouses.menu",
            W::Set(..) => "warehouses.set",
            W::Reset(_) => "warehouses.reset",
        },
        Callback::Prices(c) => match c {
            mpbot::bot::prices::Cb::Card(_) => "prices.card",
            mpbot::bot::prices::Cb::Read(_) => "prices.read",
            mpbot::bot::prices::Cb::Pick(..) => "prices.pick",
            mpbot::bot::prices::Cb::Ask(..) => "prices.ask",
        },
        Callback::Uploads(c) => match c {
            uploads::Cb::Apply(_) => "uploads.apply",
            uploads::Cb::Confirm(_) => "uploads.confirm",
            uploads::Cb::Drop(_) => "uploads.drop",
        },
        Callback::Rules(c) => match c {
            rules::Cb::List => "rules.list",
            rules::Cb::Open(_) => "rules.open",
            rules::Cb::Toggle(..) => "rules.toggle",
            rules::Cb::Priority(_) => "rules.priority",
            rules::Cb::Alt(_) => "rules.alt",
            rules::Cb::SetAlt(..) => "rules.set-alt",
            rules::Cb::Delete(_) => "rules.delete",
            rules::Cb::DeleteYes(_) => "rules.delete!",
            rules::Cb::Template(_) => "rules.template",
            rules::Cb::TemplateChat(..) => "rules.template-chat",
            rules::Cb::Wizard(_) => "rules.wizard",
            rules::Cb::RunOn(..) => "rules.run",
        },
        Callback::Emails(c) => match c {
            emails::Cb::List => "emails.list",
            emails::Cb::Add => "emails.add",
            emails::Cb::Open(_) => "emails.open",
            emails::Cb::Event(..) => "emails.event",
            emails::Cb::Delete(_) => "emails.delete",
        },
        Callback::Finance(c) => match c {
            finance::Cb::Show(_) => "finance.show",
            finance::Cb::Sheet(_) => "finance.sheet",
            finance::Cb::Chart(_) => "finance.chart",
        },
        Callback::Quiet(c) => match c {
            quiet::Cb::Span => "quiet.span",
            quiet::Cb::Kind(_) => "quiet.kind",
            quiet::Cb::Off => "quiet.off",
        },
        Callback::Queue(c) => match c {
            queue::Cb::List => "queue.list",
            queue::Cb::Open(_) => "queue.open",
            queue::Cb::Retry(_) => "queue.retry",
            queue::Cb::Skip(_) => "queue.skip",
        },
    }
}

/// Every kind of press there is.
const KINDS: [&str; 132] = [
    "lang",
    "cancel",
    "settings.rename",
    "settings.zones",
    "settings.zone",
    "settings.langs",
    "settings.lang",
    "settings.orders",
    "settings.order",
    "team.invite",
    "team.list",
    "team.member",
    "team.role",
    "team.remove",
    "team.remove!",
    "cabinets.list",
    "cabinets.add",
    "cabinets.open",
    "cabinets.rename",
    "cabinets.enable",
    "cabinets.main",
    "cabinets.key",
    "cabinets.delete",
    "cabinets.delete!",
    "cabinets.refused",
    "connect.market",
    "connect.campaign",
    "connect.scheme",
    "connect.name",
    "connect.main",
    "connect.save",
    "connect.retry",
    "groups.event",
    "groups.cabinet",
    "groups.done",
    "groups.release",
    "groups.release!",
    "groups.money",
    "groups.hour",
    "settings.back",
    "api.family",
    "api.edit",
    "api.reset",
    "orders.list",
    "orders.statuses",
    "orders.schemes",
    "orders.cabinets",
    "orders.open",
    "orders.act",
    "orders.cancel",
    "orders.cancel!",
    "orders.label",
    "orders.take",
    "orders.release",
    "statuses.list",
    "statuses.pick",
    "statuses.set",
    "statuses.alert",
    "my-alerts",
    "labels.unlabelled",
    "labels.pick",
    "labels.packing",
    "supplies.list",
    "supplies.create",
    "supplies.size",
    "supplies.open",
    "supplies.add",
    "supplies.add1",
    "supplies.addall",
    "supplies.close",
    "supplies.close!",
    "supplies.qr",
    "supplies.labels",
    "catalogue.summary",
    "catalogue.unlinked",
    "catalogue.ambiguous",
    "catalogue.product",
    "catalogue.link",
    "catalogue.export",
    "catalogue.create",
    "catalogue.create!",
    "catalogue.sync",
    "stocks.card",
    "stocks.change",
    "stocks.low",
    "stocks.links",
    "stocks.unlink",
    "stocks.chart",
    "stocks.push-ours",
    "stocks.publish",
    "stocks.threshold",
    "warehouses.overview",
    "warehouses.add",
    "warehouses.rename",
    "warehouses.formula",
    "warehouses.menu",
    "warehouses.set",
    "warehouses.reset",
    "prices.card",
    "prices.read",
    "prices.pick",
    "prices.ask",
    "uploads.apply",
    "uploads.confirm",
    "uploads.drop",
    "rules.list",
    "rules.open",
    "rules.toggle",
    "rules.priority",
    "rules.alt",
    "rules.set-alt",
    "rules.delete",
    "rules.delete!",
    "rules.template",
    "rules.template-chat",
    "rules.wizard",
    "queue.list",
    "queue.open",
    "queue.retry",
    "queue.skip",
    "rules.run",
    "quiet.span",
    "quiet.kind",
    "quiet.off",
    "emails.list",
    "emails.add",
    "emails.open",
    "emails.event",
    "emails.delete",
    "finance.show",
    "finance.sheet",
    "finance.chart",
];

/// Samples of every press, naming this cabinet, member and group.
fn samples(
    cabinet: mpbot::domain::CabinetId,
    member: mpbot::domain::TgUserId,
    group: mpbot::domain::TgChatId,
) -> Vec<Callback> {
    use cabinets::connect::Cb as K;
    use mpbot::domain::{ApiField, CabinetId, EventKind, Marketplace, Role, SchemeChoice};
    let mut v = vec![
        Callback::Start(start::Cb::Cancel),
        Callback::Settings(settings::Cb::Rename),
        Callback::Settings(settings::Cb::TimeZoneMenu),
        Callback::Settings(settings::Cb::DefaultLangMenu),
        Callback::Team(team::Cb::List),
        Callback::Team(team::Cb::Member(member)),
        Callback::Team(team::Cb::Remove(member)),
        Callback::Team(team::Cb::ConfirmRemove(member)),
        Callback::Cabinets(cabinets::Cb::List),
        Callback::Cabinets(cabinets::Cb::Add),
        Callback::Cabinets(cabinets::Cb::Open(cabinet)),
        Callback::Cabinets(cabinets::Cb::Rename(cabinet)),
        Callback::Cabinets(cabinets::Cb::Enable(cabinet, false)),
        Callback::Cabinets(cabinets::Cb::Main(cabinet)),
        Callback::Cabinets(cabinets::Cb::ReplaceKey(cabinet)),
        Callback::Cabinets(cabinets::Cb::Delete(cabinet)),
        Callback::Cabinets(cabinets::Cb::ConfirmDelete(cabinet, true)),
        Callback::Cabinets(cabinets::Cb::ConfirmDelete(cabinet, false)),
        Callback::Cabinets(cabinets::Cb::ConfirmDelete(CabinetId(cabinet.0 + 1), false)),
        Callback::Cabinets(cabinets::Cb::Connect(K::Campaign(0))),
        Callback::Cabinets(cabinets::Cb::Connect(K::SuggestedName)),
        Callback::Cabinets(cabinets::Cb::Connect(K::Main(true))),
        Callback::Cabinets(cabinets::Cb::Connect(K::Save)),
        Callback::Cabinets(cabinets::Cb::Connect(K::Retry)),
        Callback::Groups(groups::Cb::Cabinet(cabinet.0)),
        Callback::Groups(groups::Cb::Cabinet(0)),
        Callback::Groups(groups::Cb::Done),
        Callback::Groups(groups::Cb::Release(group.0)),
        Callback::Settings(settings::Cb::Back),
        Callback::Groups(groups::Cb::Money(group.0, true)),
        Callback::Groups(groups::Cb::Hour(600)),
        Callback::Groups(groups::Cb::ConfirmRelease(group.0)),
        Callback::Api(api::Cb::Family(0)),
        Callback::Api(api::Cb::Family(3)),
        Callback::Api(api::Cb::Reset("ozon.roles")),
    ];
    v.extend(Lang::ALL.map(|l| Callback::Start(start::Cb::SetLang(l))));
    v.extend(Lang::ALL.map(|l| Callback::Settings(settings::Cb::SetDefaultLang(l))));
    for s in mpbot::domain::WatchSetting::ALL {
        v.push(Callback::Settings(settings::Cb::OrderMenu(s)));
        for value in s.choices() {
            v.push(Callback::Settings(settings::Cb::SetOrder(s, *value)));
        }
    }
    v.extend(
        mpbot::domain::time::OFFERED.map(|z| Callback::Settings(settings::Cb::SetTimeZone(z))),
    );
    v.extend(Role::ALL.map(|r| Callback::Team(team::Cb::Invite(r))));
    v.extend(Role::ALL.map(|r| Callback::Team(team::Cb::SetRole(member, r))));
    v.extend(Marketplace::ALL.map(|m| Callback::Cabinets(cabinets::Cb::Connect(K::Market(m)))));
    v.extend(SchemeChoice::ALL.map(|s| Callback::Cabinets(cabinets::Cb::Connect(K::Scheme(s)))));
    v.extend(EventKind::ALL.map(|e| Callback::Groups(groups::Cb::Event(e))));
    for f in [ApiField::Host, ApiField::Path, ApiField::Version] {
        v.push(Callback::Api(api::Cb::Edit("ozon.roles", f)));
    }
    let list = orders::ListState {
        period: mpbot::domain::order::Period::Week,
        unified: Some(mpbot::domain::UnifiedStatus::LabelReceived),
        scheme: Some(mpbot::domain::Scheme::Fbo),
        cabinet: cabinet.0,
        page: 3,
    };
    v.extend([
        Callback::Orders(orders::Cb::List(list)),
        Callback::Orders(orders::Cb::List(orders::ListState::default())),
        Callback::Orders(orders::Cb::StatusMenu(list)),
        Callback::Orders(orders::Cb::SchemeMenu(list)),
        Callback::Orders(orders::Cb::CabinetMenu(list)),
        Callback::Orders(orders::Cb::Open(mpbot::domain::OrderId(1), list)),
        Callback::Orders(orders::Cb::Cancel(mpbot::domain::OrderId(1), 1)),
        Callback::Orders(orders::Cb::CancelWith(mpbot::domain::OrderId(1), 1, 352)),
        Callback::Orders(orders::Cb::Label(mpbot::domain::OrderId(1))),
        Callback::Orders(orders::Cb::Take(mpbot::domain::OrderId(1))),
        Callback::Orders(orders::Cb::Release(mpbot::domain::OrderId(1))),
        Callback::Labels(labels::Cb::Unlabelled),
        Callback::Labels(labels::Cb::Pick),
        Callback::Labels(labels::Cb::Packing),
        Callback::Supplies(supplies::Cb::List),
        Callback::Supplies(supplies::Cb::Create(cabinet.0)),
        Callback::Supplies(supplies::Cb::Size(
            cabinet.0,
            mpbot::marketplaces::StickerSize::Small,
        )),
    ]);
    for s in ["WB-GI-1", "WB-GI-999999999"] {
        let s = s.to_owned();
        v.extend([
            Callback::Supplies(supplies::Cb::Open(cabinet.0, s.clone())),
            Callback::Supplies(supplies::Cb::Add(cabinet.0, s.clone())),
            Callback::Supplies(supplies::Cb::AddOne(
                cabinet.0,
                s.clone(),
                mpbot::domain::OrderId(1),
            )),
            Callback::Supplies(supplies::Cb::AddAll(cabinet.0, s.clone())),
            Callback::Supplies(supplies::Cb::Close(cabinet.0, s.clone())),
            Callback::Supplies(supplies::Cb::CloseYes(cabinet.0, s.clone())),
            Callback::Supplies(supplies::Cb::Qr(cabinet.0, s.clone())),
            Callback::Supplies(supplies::Cb::Labels(cabinet.0, s)),
        ]);
    }
    for a in mpbot::domain::order::Action::ALL {
        v.push(Callback::Orders(orders::Cb::Act(
            mpbot::domain::OrderId(1),
            1,
            a,
            list,
        )));
    }
    v.extend([
        Callback::Catalogue(catalogue::Cb::Summary),
        Callback::Catalogue(catalogue::Cb::Unlinked(0)),
        Callback::Catalogue(catalogue::Cb::Ambiguous(3)),
        Callback::Catalogue(catalogue::Cb::Product(mpbot::domain::ProductId(1))),
        Callback::Catalogue(catalogue::Cb::Link(
            mpbot::domain::ProductId(1),
            mpbot::domain::SkuId(1),
        )),
        Callback::Catalogue(catalogue::Cb::Export),
        Callback::Stocks(stocks::Cb::Links(mpbot::domain::SkuId(1))),
        Callback::Stocks(stocks::Cb::Unlink(
            mpbot::domain::SkuId(1),
            mpbot::domain::ProductId(1),
        )),
        Callback::Stocks(stocks::Cb::Chart(mpbot::domain::SkuId(1), 90)),
        Callback::Stocks(stocks::Cb::PushOurs),
        Callback::Stocks(stocks::Cb::Publish(mpbot::domain::SkuId(1), false)),
        Callback::Stocks(stocks::Cb::Publish(mpbot::domain::SkuId(1), true)),
        Callback::Stocks(stocks::Cb::Threshold(mpbot::domain::SkuId(1))),
        Callback::Uploads(uploads::Cb::Apply(1)),
        Callback::Uploads(uploads::Cb::Drop(1)),
        Callback::Uploads(uploads::Cb::Confirm(1)),
        Callback::Catalogue(catalogue::Cb::Create),
        Callback::Catalogue(catalogue::Cb::CreateYes),
        Callback::Catalogue(catalogue::Cb::Sync(
            mpbot::app::catalogue::SyncWhat::Catalogue,
        )),
        Callback::Catalogue(catalogue::Cb::Sync(mpbot::app::catalogue::SyncWhat::Stocks)),
        Callback::Catalogue(catalogue::Cb::Sync(
            mpbot::app::catalogue::SyncWhat::Finance,
        )),
        Callback::Stocks(stocks::Cb::Card(mpbot::domain::SkuId(1))),
        Callback::Stocks(stocks::Cb::Low),
        Callback::Cabinets(cabinets::Cb::Refused(cabinet)),
        Callback::Prices(mpbot::bot::prices::Cb::Card(mpbot::domain::SkuId(1))),
        Callback::Prices(mpbot::bot::prices::Cb::Card(mpbot::domain::SkuId(999_999))),
        Callback::Prices(mpbot::bot::prices::Cb::Read(mpbot::domain::SkuId(1))),
        Callback::Prices(mpbot::bot::prices::Cb::Pick(
            mpbot::domain::SkuId(1),
            u64::MAX,
        )),
        Callback::Prices(mpbot::bot::prices::Cb::Pick(
            mpbot::domain::SkuId(999_999),
            1,
        )),
        Callback::Prices(mpbot::bot::prices::Cb::Ask(
            mpbot::domain::SkuId(1),
            u64::MAX,
            false,
        )),
        Callback::Prices(mpbot::bot::prices::Cb::Ask(
            mpbot::domain::SkuId(1),
            1,
            true,
        )),
    ]);
    {
        use mpbot::app::stocks::warehouses::Target;
        use mpbot::domain::stock::Part;
        use stocks::warehouses::{Cb as W, Knob};
        let targets = [
            Target::Sku(mpbot::domain::SkuId(1)),
            Target::Sku(mpbot::domain::SkuId(999_999)),
            Target::Warehouse {
                cabinet,
                warehouse: "1020000000000000".into(),
            },
        ];
        v.extend([
            Callback::Warehouses(W::Overview),
            Callback::Warehouses(W::AddStore),
            Callback::Warehouses(W::RenameStore(mpbot::domain::StoreId(1))),
            Callback::Warehouses(W::RenameStore(mpbot::domain::StoreId(999_999))),
        ]);
        for t in targets {
            v.extend([
                Callback::Warehouses(W::Formula(t.clone())),
                Callback::Warehouses(W::Reset(t.clone())),
            ]);
            for k in [Knob::Buffer, Knob::ZeroBelow, Knob::Cap] {
                v.push(Callback::Warehouses(W::Menu(t.clone(), k)));
            }
            for p in [
                Part::Store(mpbot::domain::StoreId(1)),
                Part::Reserve(false),
                Part::Buffer(2),
                Part::ZeroBelow(3),
                Part::Cap(None),
                Part::Cap(Some(50)),
            ] {
                v.push(Callback::Warehouses(W::Set(t.clone(), p)));
            }
        }
    }
    v.extend(
        mpbot::domain::stock::Mode::ALL
            .map(|m| Callback::Stocks(stocks::Cb::Change(mpbot::domain::SkuId(1), m, None))),
    );
    let unified = mpbot::domain::UnifiedStatus::ALL;
    v.extend([
        Callback::Statuses(statuses::Cb::List(2)),
        Callback::Statuses(statuses::Cb::Pick(1, 0)),
        Callback::Statuses(statuses::Cb::Set(1, None, 0)),
    ]);
    v.extend(unified.map(|u| Callback::Statuses(statuses::Cb::Set(1, Some(u), 1))));
    v.extend(unified.map(|u| Callback::Statuses(statuses::Cb::FromAlert(1, u))));
    v.extend(EventKind::ALL.map(|e| Callback::MyAlerts(my_alerts::Cb(e, true))));
    v.extend(EventKind::ALL.map(|e| Callback::MyAlerts(my_alerts::Cb(e, false))));
    {
        use mpbot::domain::rules::{Template, Trigger};
        use rules::wizard::Cb as Z;
        v.extend([
            Callback::Rules(rules::Cb::List),
            Callback::Rules(rules::Cb::Open(1)),
            Callback::Rules(rules::Cb::Toggle(1, false)),
            Callback::Rules(rules::Cb::Toggle(1, true)),
            Callback::Rules(rules::Cb::Priority(1)),
            Callback::Rules(rules::Cb::Alt(1)),
            Callback::Rules(rules::Cb::SetAlt(1, 2)),
            Callback::Rules(rules::Cb::SetAlt(1, 0)),
            Callback::Rules(rules::Cb::Delete(1)),
            Callback::Rules(rules::Cb::DeleteYes(1)),
            Callback::Queue(queue::Cb::List),
            Callback::Queue(queue::Cb::Open(1)),
            Callback::Queue(queue::Cb::Retry(1)),
            Callback::Queue(queue::Cb::Skip(1)),
            Callback::Rules(rules::Cb::RunOn(mpbot::domain::OrderId(1), 1)),
            Callback::Quiet(quiet::Cb::Span),
            Callback::Quiet(quiet::Cb::Off),
            Callback::Emails(emails::Cb::List),
            Callback::Emails(emails::Cb::Add),
            Callback::Emails(emails::Cb::Open(1)),
            Callback::Emails(emails::Cb::Event(1, EventKind::NewOrder)),
            Callback::Emails(emails::Cb::Delete(1)),
            Callback::Finance(finance::Cb::Show(finance::View::default())),
            Callback::Finance(finance::Cb::Sheet(finance::View::default())),
            Callback::Finance(finance::Cb::Chart(finance::View::default())),
        ]);
        v.extend(EventKind::ALL.map(|k| Callback::Quiet(quiet::Cb::Kind(k))));
        for t in Template::ALL {
            v.push(Callback::Rules(rules::Cb::Template(t)));
            v.push(Callback::Rules(rules::Cb::TemplateChat(t, group.0)));
        }
        v.extend(
            [
                Z::Start,
                Z::Event(Trigger::OrderCreated),
                Z::Event(Trigger::Daily { minute: 540 }),
                Z::EventStatus(mpbot::domain::UnifiedStatus::Packed),
                Z::Cond("marketplace"),
                Z::Cond("sum-above"),
                Z::Cond("assembled"),
                Z::CondMarket(Marketplace::Ozon),
                Z::CondScheme(mpbot::domain::Scheme::Fbs),
                Z::CondStatus(mpbot::domain::UnifiedStatus::New),
                Z::ClearConds,
                Z::ToSteps,
                Z::Act("labels"),
                Z::Act("notify-admins"),
                Z::Act("wait"),
                Z::ActStatus(mpbot::domain::UnifiedStatus::Shipped),
                Z::ActChat("labels", group.0),
                Z::ActChat("notify-chat", group.0),
                Z::ActChat("notify-email", 1),
                Z::ClearSteps,
                Z::Save,
            ]
            .map(|z| Callback::Rules(rules::Cb::Wizard(z))),
        );
    }
    v
}

#[test]
fn every_kind_of_press_has_a_sample() {
    use mpbot::domain::{CabinetId, TgChatId, TgUserId};
    let seen: std::collections::BTreeSet<&str> = samples(CabinetId(1), TgUserId(2), TgChatId(-3))
        .iter()
        .map(kind)
        .collect();
    let all: std::collections::BTreeSet<&str> = KINDS.into_iter().collect();
    assert_eq!(seen, all);
}

/// Every press round-trips through its data within Telegram's 64 bytes, and the data of
/// every endpoint in the catalogue fits too.
#[test]
fn every_press_round_trips_within_telegram_limit() {
    use mpbot::domain::{ApiField, CabinetId, TgChatId, TgUserId};
    let mut all = samples(
        CabinetId(i64::MAX - 1),
        TgUserId(i64::MAX),
        TgChatId(i64::MIN),
    );
    for e in mpbot::app::api::entries() {
        all.push(Callback::Api(api::Cb::Reset(e.name)));
        for f in [ApiField::Host, ApiField::Path, ApiField::Version] {
            all.push(Callback::Api(api::Cb::Edit(e.name, f)));
        }
    }
    for cb in all {
        let data = cb.data();
        assert!(
            data.len() <= mpbot::bot::codec::MAX_LEN,
            "{data} is too long"
        );
        assert_eq!(Callback::decode(&data), Some(cb), "{data}");
    }
    // The codes are those of the previous release, so buttons in chats keep working.
    assert_eq!(
        Callback::Cabinets(cabinets::Cb::Open(CabinetId(5))).data(),
        "1:c:o:5"
    );
    assert_eq!(
        Callback::Cabinets(cabinets::Cb::Connect(cabinets::connect::Cb::Save)).data(),
        "1:k:save"
    );
    assert_eq!(Callback::Start(start::Cb::Cancel).data(), "1:x");
    assert_eq!(
        Callback::Team(team::Cb::SetRole(TgUserId(5), mpbot::domain::Role::Viewer)).data(),
        "1:t:r:5:viewer"
    );
}

#[test]
fn foreign_and_old_payloads_are_rejected() {
    for data in [
        "",
        "0:l:ru",
        "1:l:de",
        "1:zz",
        "l:ru",
        "1:x:extra",
        "2:x",
        "1:c:o:abc",
        "1:c:en:5:2",
        "1:a:r:no.such.endpoint",
        "1:t:r:5:boss",
        "1:s:tz:13",
        "1:s:tz:Mars/Olympus",
        "1:s:o:poll:7",
        "1:s:o:tea",
        "1:k:mn:2",
    ] {
        assert_eq!(Callback::decode(data), None, "{data}");
    }
}

/// Every button there is, pressed by a viewer of a company and by the owner of another
/// (with data naming the first company's cabinet and owner), changes nothing of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_or_a_stranger_pressing_every_button_changes_nothing() {
    use mpbot::domain::{Marketplace, Role, TgUserId};

    let app = TestApp::start().await;
    let ws = app
        .seed_workspace(
            "Acme",
            &[(2002, "Olga", Role::Owner), (1001, "Anna", Role::Viewer)],
            Lang::Ru,
        )
        .await;
    let cabinet = app
        .seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    app.seed_workspace("Other", &[(3003, "Oleg", Role::Owner)], Lang::Ru)
        .await;
    assert_eq!(ws.0, 1);
    let group = mpbot::domain::TgChatId(-100_500);
    mpbot::storage::chats::record(&app.db, group, "supergroup", "Склад", app.clock_now())
        .await
        .expect("group");
    assert!(
        mpbot::storage::chats::link_if_free(app.db.pool(), group, ws, app.clock_now())
            .await
            .expect("linked")
    );
    let snapshot = || async {
        let mut facts = Vec::new();
        for sql in [
            "SELECT COUNT(*) FROM cabinets WHERE archived_at IS NULL AND enabled = 1 AND is_main = 1 AND name = 'Ozon'",
            "SELECT COUNT(*) FROM cabinets",
            "SELECT role FROM members WHERE user_id = 2002",
            "SELECT role FROM members WHERE user_id = 1001",
            "SELECT COUNT(*) FROM members WHERE workspace_id = 1",
            "SELECT name || time_zone || default_lang FROM workspaces WHERE id = 1",
            "SELECT COUNT(*) FROM api_overrides WHERE workspace_id = 1",
            "SELECT COUNT(*) FROM group_events",
            "SELECT COUNT(*) FROM chats WHERE workspace_id = 1 AND kind = 'supergroup'",
            "SELECT COUNT(*) FROM group_cabinets",
            "SELECT COUNT(*) FROM invites WHERE workspace_id = 1",
            "SELECT COUNT(*) FROM audit_log WHERE workspace_id = 1",
            "SELECT COUNT(*) FROM rules WHERE workspace_id = 1",
            "SELECT COUNT(*) FROM jobs WHERE workspace_id = 1 AND kind = 'rule'",
            "SELECT COUNT(*) FROM quiet_hours",
            "SELECT COUNT(*) FROM emails",
        ] {
            facts.push(app.db.scalar_text(sql).await.expect(sql));
        }
        facts
    };
    let before = snapshot().await;
    let owner = TgUserId(2002);
    let presses = samples(cabinet, owner, group);

    for user in [
        TestApp::user(1001, "Anna", Lang::Ru),
        TestApp::user(3003, "Oleg", Lang::Ru),
    ] {
        for cb in &presses {
            let data = cb.data();
            let id = app
                .h
                .double
                .plant_bot_message(&user, "…", &[("button", data.as_str())]);
            app.h
                .double
                .press(&user, user.id, id, 1)
                .expect("the button exists");
            let events = app.settle().await;
            assert!(!events.is_empty(), "{data}: a press is always answered");
            let internal = render(
                Lang::Ru,
                &mpbot::i18n::msg("error-internal").arg("reference", "#"),
            );
            let internal = internal.split('#').next().unwrap_or_default().to_owned();
            assert!(
                texts(&events).iter().all(|t| !t.contains(&internal)),
                "{data} pressed by {}: a refusal is told as such, never as an internal error: {events:?}",
                user.id
            );
            assert_eq!(
                snapshot().await,
                before,
                "{data} pressed by {} changed something",
                user.id
            );
        }
    }
    // The viewer never entered a dialogue but her own quiet hours' (which she may set).
    assert_eq!(
        app.db
            .scalar_text(
                "SELECT COUNT(*) FROM dialogue_states WHERE chat_id = 1001 AND state NOT LIKE '%QuietSpan%'"
            )
            .await
            .expect("q")
            .as_deref(),
        Some("0")
    );
    app.finish().await;
}

/// The last-owner rule holds under concurrency: two owners demoting each other at the same
/// moment leave exactly one owner (the second change sees the first), on either database.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    use mpbot::app::{Actor, AppError};
    use mpbot::domain::{Role, TgUserId, WorkspaceId};
    let app = TestApp::start().await;
    let svc = app.h.app.svc.clone();
    for round in 0..8i64 {
        let (a, b) = (10_000 + round * 2, 10_001 + round * 2);
        let ws: WorkspaceId = app
            .seed_workspace(
                &format!("Duo {round}"),
                &[(a, "A", Role::Owner), (b, "B", Role::Owner)],
                Lang::Ru,
            )
            .await;
        let actor = |u: i64| Actor {
            user: TgUserId(u),
            workspace: ws,
            role: Role::Owner,
        };
        let team = svc.team();
        let (first, second) = tokio::join!(
            team.set_member_role(actor(a), TgUserId(b), Role::Admin),
            team.set_member_role(actor(b), TgUserId(a), Role::Admin),
        );
        let owners = app
            .count(&format!(
                "SELECT COUNT(*) FROM members WHERE workspace_id = {} AND role = 'owner'",
                ws.0
            ))
            .await;
        assert_eq!(owners, 1, "round {round}: {first:?} / {second:?}");
        let refused = [&first, &second]
            .iter()
            .filter(|r| matches!(r, Err(AppError::LastOwner | AppError::Forbidden)))
            .count();
        assert_eq!(refused, 1, "round {round}: {first:?} / {second:?}");
    }
    app.finish().await;
}
