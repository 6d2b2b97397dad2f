//! A group may hold people outside the company: what shows money is answered in private,
//! a press from outside the company or with data its message does not carry changes
//! nothing, strangers are answered once in a while, nothing goes to a chat before the
//! `retry_after` Telegram asked for, and replies keep Telegram's pace in a flood.

use std::time::Duration;

use mpbot::bot::callbacks::Callback;
use mpbot::domain::{EventKind, Lang, Marketplace, Role, TgChatId};
use mpbot::i18n::msg;
use mpbot::sandbox::telegram::{Event, Fault, SimChat};

use crate::harness::{TestApp, render, texts};

const GROUP: i64 = -100_777;
const BOT: &str = "mpbot_sandbox_bot";

fn group() -> SimChat {
    SimChat::Group {
        id: GROUP,
        title: "Склад".into(),
    }
}

/// A company (owner Anna, warehouse Olga) with an Ozon cabinet and its group, which
/// hears of new orders.
async fn company(lang: Lang) -> TestApp {
    let app = TestApp::start().await;
    let ws = app
        .seed_workspace(
            "Acme",
            &[(1001, "Anna", Role::Owner), (2002, "Olga", Role::Warehouse)],
            lang,
        )
        .await;
    app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
        .await;
    let anna = TestApp::user(1001, "Anna", lang);
    app.h.double.add_bot_to_group(&anna, GROUP, "Склад");
    app.settle().await;
    mpbot::storage::groups::toggle_event(&app.db, TgChatId(GROUP), EventKind::NewOrder)
        .await
        .expect("subscribed");
    app
}

fn in_chat(events: &[Event], chat: i64) -> Vec<String> {
    let mine: Vec<Event> = events
        .iter()
        .filter(|e| e.chat_id() == chat)
        .cloned()
        .collect();
    texts(&mine)
}

#[tokio::test]
async fn money_asked_in_a_group_is_answered_in_private() {
    for lang in [Lang::Ru, Lang::En] {
        let app = company(lang).await;
        let anna = TestApp::user(1001, "Anna", lang);
        // No private chat with the bot yet: the group is told how to start one.
        app.h
            .double
            .send_text(&anna, &group(), &format!("/orders@{BOT}"));
        let events = app.settle().await;
        let said = in_chat(&events, GROUP).join("\n");
        let start = render(
            lang,
            &msg("money-in-private-start")
                .arg("name", "Anna")
                .arg("bot", BOT),
        );
        assert!(said.contains(&start), "{said}");
        assert!(!said.contains('₽'), "{said}");

        app.send(&anna, "/start").await;
        for command in ["/orders", "/prices", "/price ART-00002"] {
            let (name, args) = command.split_once(' ').unwrap_or((command, ""));
            app.h
                .double
                .send_text(&anna, &group(), &format!("{name}@{BOT} {args}"));
            let events = app.settle().await;
            let in_group = in_chat(&events, GROUP).join("\n");
            let note = render(lang, &msg("money-in-private-note").arg("name", "Anna"));
            assert_eq!(
                in_group, note,
                "{command}: the group hears only where it went"
            );
            let private = in_chat(&events, 1001);
            let head = render(lang, &msg("money-in-private-head").arg("group", "Склад"));
            assert_eq!(private.first(), Some(&head), "{command}: {private:?}");
            assert!(
                private.len() >= 2,
                "{command}: the answer follows: {private:?}"
            );
        }
        // What shows no money (the warehouse's list to assemble) stays in the group.
        let olga = TestApp::user(2002, "Olga", lang);
        app.h
            .double
            .send_text(&olga, &group(), &format!("/orders@{BOT}"));
        let events = app.settle().await;
        assert!(!in_chat(&events, GROUP).is_empty());
        assert!(in_chat(&events, 2002).is_empty());
        app.finish().await;
    }
}

#[tokio::test]
async fn a_press_from_outside_the_company_or_for_another_message_changes_nothing() {
    let app = company(Lang::En).await;
    app.sandboxes.ozon.place_order();
    app.pass().await;
    app.settle().await;
    let (alert, buttons) = app
        .h
        .double
        .latest_with_buttons(GROUP)
        .expect("the new-order alert");
    let real = buttons[0][0].data.clone().expect("callback data");
    let stranger = TestApp::user(8008, "Eve", Lang::En);
    let olga = TestApp::user(2002, "Olga", Lang::En);
    let lang = Callback::Start(mpbot::bot::start::Cb::SetLang(Lang::En)).data();
    let presses = [
        (&stranger, "1:x".to_owned()),
        (&stranger, real.clone()),
        (&stranger, lang.clone()),
        (&olga, "1:x".to_owned()),
        (&olga, lang),
    ];
    for (who, data) in presses {
        app.h
            .double
            .press_data(who, GROUP, alert, &data)
            .expect("pressed");
        let events = app.settle().await;
        let changed: Vec<&Event> = events
            .iter()
            .filter(|e| !matches!(e, Event::CallbackAnswer { .. }))
            .collect();
        assert!(
            changed.is_empty(),
            "{} pressing {data:?} changed: {changed:?}",
            who.id
        );
        let expected = if who.id == 8008 {
            render(Lang::En, &msg("not-a-member"))
        } else {
            render(Lang::En, &msg("button-stale"))
        };
        assert_eq!(
            texts(&events),
            vec![expected],
            "{} pressing {data:?}",
            who.id
        );
    }
    let (_, still) = app.h.double.latest_with_buttons(GROUP).expect("the alert");
    assert_eq!(still, buttons, "the alert keeps its buttons");
    app.finish().await;
}

#[tokio::test]
async fn strangers_are_answered_once_and_alerts_wait_for_retry_after() {
    let app = company(Lang::Ru).await;
    let stranger = TestApp::user(8008, "Eve", Lang::Ru);
    for _ in 0..52 {
        app.h
            .double
            .send_text(&stranger, &group(), &format!("/orders@{BOT}"));
    }
    let events = app.settle().await;
    assert_eq!(
        in_chat(&events, GROUP),
        vec![render(Lang::Ru, &msg("group-not-member"))],
        "52 commands from a stranger, one answer"
    );
    // Telegram asks for two minutes of quiet in the group (a reply hit its limit): the
    // new-order alert raised meanwhile waits instead of being sent into the limit.
    app.h
        .double
        .fail_next("sendMessage", Fault::RetryAfter(120));
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.h
        .double
        .send_text(&anna, &group(), &format!("/help@{BOT}"));
    app.settle().await;
    let before = app.h.double.calls().len();
    app.sandboxes.ozon.place_order();
    app.pass().await;
    app.settle().await;
    let to_group = app
        .h
        .double
        .calls()
        .iter()
        .skip(before)
        .filter(|c| {
            c.method.eq_ignore_ascii_case("sendMessage")
                && c.params.get("chat_id").and_then(|v| v.as_i64()) == Some(GROUP)
        })
        .count();
    assert_eq!(to_group, 0, "nothing went to the group before retry_after");
    let later = app
        .count(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE chat_id = {GROUP} AND state = 'pending' AND due_at >= {}",
            app.clock_now() + 100
        ))
        .await;
    assert!(later >= 1, "the alerts wait for their turn");
    let sent = app
        .count(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE chat_id = {GROUP} AND state <> 'pending'"
        ))
        .await;
    assert_eq!(sent, 0, "none was sent or given up");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_answered_at_telegrams_pace_and_nothing_is_lost() {
    let app = TestApp::start_paced().await;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    app.send(&anna, "/start").await;
    let replies = |app: &TestApp| {
        app.h
            .double
            .events()
            .iter()
            .filter(|e| matches!(e, Event::Message { chat_id: 1001, .. }))
            .count()
    };
    let first = replies(&app);
    let flood = 30;
    for _ in 0..flood {
        app.h.double.send_text(&anna, &SimChat::Private, "/help");
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let early = replies(&app) - first;
    // A burst of ten at most (less what /start took), then about one a second.
    assert!(early <= 10 + 4, "{early} replies in the first 3 s");
    app.h
        .wait_idle(Duration::from_secs(90))
        .await
        .expect("the flood is worked off");
    assert_eq!(replies(&app) - first, flood, "every message answered");
    app.finish().await;
}

#[tokio::test]
async fn a_new_groups_alerts_show_sums_only_once_allowed() {
    let app = company(Lang::Ru).await;
    app.sandboxes.ozon.place_order();
    app.pass().await;
    let said = in_chat(&app.settle().await, GROUP);
    assert!(!said.is_empty(), "the group heard of the new order");
    assert!(
        said.iter().all(|t| !t.contains('₽')),
        "no sums in a group linked now: {said:?}"
    );
    let anna = mpbot::app::Actor {
        user: mpbot::domain::TgUserId(1001),
        workspace: mpbot::domain::WorkspaceId(1),
        role: Role::Owner,
    };
    let olga = mpbot::app::Actor {
        role: Role::Warehouse,
        user: mpbot::domain::TgUserId(2002),
        ..anna
    };
    assert!(
        app.h
            .app
            .svc
            .groups()
            .set_group_money(olga, TgChatId(GROUP), true)
            .await
            .is_err(),
        "only an owner or admin may allow it"
    );
    app.h
        .app
        .svc
        .groups()
        .set_group_money(anna, TgChatId(GROUP), true)
        .await
        .expect("allowed");
    app.sandboxes.ozon.place_order();
    app.pass().await;
    let said = in_chat(&app.settle().await, GROUP);
    assert!(said.iter().any(|t| t.contains('₽')), "{said:?}");
    app.finish().await;
}
