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
    )
    .await
    .expect("the right key starts");
    right.stop().await;
    db.close().await;
}

/// Every button there is, pressed by a viewer of a company and by the owner of another
/// (with data naming the first company's cabinet and owner), changes nothing of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_or_a_stranger_pressing_every_button_changes_nothing() {
    use mpbot::domain::callback::Callback;
    use mpbot::domain::{
        ApiField, CabinetId, EventKind, Marketplace, Role, SchemeChoice, TgUserId,
    };

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
        ] {
            facts.push(app.db.scalar_text(sql).await.expect(sql));
        }
        facts
    };
    let before = snapshot().await;
    let owner = TgUserId(2002);
    let mut presses = vec![
        Callback::RenameWorkspace,
        Callback::TimeZoneMenu,
        Callback::SetTimeZone("Asia/Omsk"),
        Callback::DefaultLangMenu,
        Callback::SetDefaultLang(Lang::En),
        Callback::Cabinets,
        Callback::AddCabinet,
        Callback::OpenCabinet(cabinet),
        Callback::ConnectCampaign(0),
        Callback::ConnectSuggestedName,
        Callback::ConnectMain(true),
        Callback::ConnectSave,
        Callback::ConnectRetry,
        Callback::RenameCabinet(cabinet),
        Callback::EnableCabinet(cabinet, false),
        Callback::MainCabinet(cabinet),
        Callback::ReplaceKey(cabinet),
        Callback::DeleteCabinet(cabinet),
        Callback::ConfirmDelete(cabinet, true),
        Callback::ConfirmDelete(cabinet, false),
        Callback::ConfirmDelete(CabinetId(cabinet.0 + 1), false),
        Callback::Team,
        Callback::Member(owner),
        Callback::MemberRole(owner, Role::Viewer),
        Callback::MemberRole(TgUserId(1001), Role::Owner),
        Callback::RemoveMember(owner),
        Callback::ConfirmRemove(owner),
        Callback::GroupCabinet(cabinet.0),
        Callback::GroupCabinet(0),
        Callback::GroupDone,
        Callback::GroupRelease(group.0),
        Callback::GroupReleaseConfirm(group.0),
        Callback::ApiFamily(0),
        Callback::Cancel,
    ];
    presses.extend(Role::ALL.map(Callback::Invite));
    presses.extend(Marketplace::ALL.map(Callback::ConnectMarket));
    presses.extend(SchemeChoice::ALL.map(Callback::ConnectScheme));
    presses.extend(EventKind::ALL.map(Callback::GroupEvent));
    for f in [ApiField::Host, ApiField::Path, ApiField::Version] {
        presses.push(Callback::ApiEdit("ozon.roles", f));
    }
    presses.push(Callback::ApiReset("ozon.roles"));

    for user in [
        TestApp::user(1001, "Anna", Lang::Ru),
        TestApp::user(3003, "Oleg", Lang::Ru),
    ] {
        for cb in &presses {
            let data = cb.encode();
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
            assert_eq!(
                snapshot().await,
                before,
                "{data} pressed by {} changed something",
                user.id
            );
        }
    }
    // The viewer never entered a dialogue.
    assert_eq!(
        app.db
            .scalar_text("SELECT COUNT(*) FROM dialogue_states WHERE chat_id = 1001")
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
        let (first, second) = tokio::join!(
            svc.set_member_role(actor(a), TgUserId(b), Role::Admin),
            svc.set_member_role(actor(b), TgUserId(a), Role::Admin),
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
