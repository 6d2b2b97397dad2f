//! The Telegram double and the Bot API spec: what the bot sends is in the spec, the double
//! speaks the wire format (multipart uploads, files, errors), and faults are survived.

use mpbot::domain::Lang;
use mpbot::sandbox::telegram::{Event, Fault, SimChat};
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::InputFile;

use crate::botapi::check_call;
use crate::harness::{TestApp, texts};

/// Drives every kind of interaction the foundation has, then checks every recorded call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_the_bot_makes_is_in_the_bot_api_spec() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.send(&anna, "/start").await;
    app.send(&anna, "/lang").await;
    app.press(&anna, 2).await;
    app.send(&anna, "/settings").await;
    app.press(&anna, 1).await;
    app.press(&anna, 1).await; // cancel
    app.send(&anna, "/invite").await;
    app.press(&anna, 2).await;
    app.h.double.send_sticker(&anna, &SimChat::Private);
    app.h.double.add_bot_to_group(&anna, -100_500, "Склад");
    app.settle().await;
    let calls = app.h.double.calls();
    let methods: std::collections::BTreeSet<String> = calls
        .iter()
        .map(|c| c.method.to_ascii_lowercase())
        .collect();
    for m in [
        "getme",
        "setmycommands",
        "sendmessage",
        "editmessagetext",
        "editmessagereplymarkup",
        "answercallbackquery",
    ] {
        assert!(
            methods.contains(m),
            "the scenario should exercise {m}; saw {methods:?}"
        );
    }
    for c in &calls {
        check_call(&c.method, &c.params).unwrap_or_else(|e| panic!("{e}"));
    }
    app.finish().await;
}

#[tokio::test]
async fn the_double_speaks_the_wire_format() {
    let app = TestApp::start().await;
    let double = &app.h.double;
    let anna = TestApp::user(1001, "Anna", Lang::En);
    double.send_text(&anna, &SimChat::Private, "/start");
    app.settle().await;

    let bot = app.h.app.bot.clone();
    // A multipart upload lands as a document with its bytes.
    let pdf = b"%PDF-1.4 test".to_vec();
    let sent = bot
        .send_document(
            ChatId(1001),
            InputFile::memory(pdf.clone()).file_name("labels.pdf"),
        )
        .caption("Этикетки")
        .await
        .expect("document sent");
    assert!(sent.document().is_some());
    let events = app.settle().await;
    assert!(
        matches!(&events[..], [Event::Message { document: Some(d), text, .. }] if d.bytes == pdf && d.name == "labels.pdf" && text == "Этикетки")
    );

    // Photos, chat actions and menu removal speak the same format.
    let png = vec![0x89, b'P', b'N', b'G', 1, 2, 3];
    bot.send_photo(
        ChatId(1001),
        InputFile::memory(png.clone()).file_name("chart.png"),
    )
    .await
    .expect("photo sent");
    bot.send_chat_action(ChatId(1001), teloxide::types::ChatAction::UploadDocument)
        .await
        .expect("chat action");
    bot.delete_my_commands().await.expect("menu removed");
    let events = app.settle().await;
    assert!(matches!(&events[..], [Event::Message { photo: Some(p), .. }] if p.bytes == png));

    // A file the user sent can be fetched back through getFile and the file URL.
    let sent_by_user = double.send_document(
        &anna,
        &SimChat::Private,
        "prices.csv",
        "sku;price\n1;100\n".into(),
    );
    app.settle().await;
    let stored = double
        .message(1001, sent_by_user)
        .expect("the user's message is kept");
    let file_id = stored["document"]["file_id"]
        .as_str()
        .expect("a file id")
        .to_owned();
    let file = bot
        .get_file(teloxide::types::FileId(file_id))
        .await
        .expect("getFile");
    let mut buf = Vec::new();
    bot.download_file(&file.path, &mut buf)
        .await
        .expect("download");
    assert_eq!(buf, b"sku;price\n1;100\n");

    // Deleting works once; a second delete is Telegram's 400.
    let id = sent.id;
    bot.delete_message(ChatId(1001), id).await.expect("delete");
    assert!(bot.delete_message(ChatId(1001), id).await.is_err());
    // Empty text and unknown chats are refused as Telegram does.
    assert!(bot.send_message(ChatId(1001), " ").await.is_err());
    assert!(bot.send_message(ChatId(999_999), "hi").await.is_err());

    // A wrong token is 401, an unknown method 404.
    let wrong = mpbot::startup::make_bot(
        &mpbot::config::BotToken::parse("1:wrong-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .expect("shape"),
        Some(mpbot::config::parse_api_url(&double.url()).expect("url")),
        std::time::Duration::from_secs(5),
    );
    assert!(wrong.get_me().await.is_err());
    app.finish().await;
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_and_the_reply_arrives_once() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.h.double.fail_next("sendMessage", Fault::RetryAfter(1));
    let events = app.send(&anna, "/start").await;
    assert_eq!(texts(&events).len(), 1, "exactly one greeting: {events:?}");
    let attempts = app
        .h
        .double
        .calls()
        .iter()
        .filter(|c| c.method.eq_ignore_ascii_case("sendMessage"))
        .count();
    assert_eq!(attempts, 2, "one refused attempt and one delivered");
    assert_eq!(app.count("SELECT COUNT(*) FROM workspaces").await, 1);
    app.finish().await;
}

#[tokio::test]
async fn a_5xx_is_retried() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.h.double.fail_next("sendMessage", Fault::ServerError);
    let events = app.send(&anna, "/help").await;
    assert_eq!(texts(&events).len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn a_blocked_bot_marks_the_chat_inactive_and_keeps_going() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", Lang::Ru);
    app.send(&anna, "/start").await;
    assert_eq!(
        app.count("SELECT active FROM chats WHERE chat_id = 1001")
            .await,
        1
    );
    app.h.double.fail_next("sendMessage", Fault::Blocked);
    let events = app.send(&anna, "/help").await;
    assert!(texts(&events).is_empty());
    assert_eq!(
        app.count("SELECT active FROM chats WHERE chat_id = 1001")
            .await,
        0
    );
    // Writing again reactivates the chat on /start.
    app.send(&anna, "/start").await;
    assert_eq!(
        app.count("SELECT active FROM chats WHERE chat_id = 1001")
            .await,
        1
    );
    app.h.double.block_bot(&anna);
    app.settle().await;
    assert_eq!(
        app.count("SELECT active FROM chats WHERE chat_id = 1001")
            .await,
        0
    );
    app.finish().await;
}

/// Left idle for several long polls (5 s each here), the bot still answers within a
/// second, and never polls while its last poll is held.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_several_quiet_polls_the_bot_answers_at_once() {
    let app = TestApp::start().await;
    let anna = TestApp::user(1001, "Anna", mpbot::domain::Lang::En);
    app.send(&anna, "/start").await;
    tokio::time::sleep(std::time::Duration::from_secs(16)).await;
    let asked = std::time::Instant::now();
    let answer = app.send(&anna, "/help").await;
    assert!(!answer.is_empty());
    assert!(
        asked.elapsed() < std::time::Duration::from_secs(1),
        "answered after {:?}",
        asked.elapsed()
    );
    assert_eq!(app.h.double.poll_conflicts(), 0);
    app.finish().await;
}
