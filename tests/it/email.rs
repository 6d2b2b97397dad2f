//! E-mail for alerts (F7) against an SMTP server on loopback, in both languages: an owner
//! adds an address in /settings (a wrong address refused), the code sent to it confirms
//! it (a wrong code refused with the tries left), the address hears new orders without
//! sums, and a rule's message goes to it.

use mpbot::domain::{Lang, Marketplace, Role};
use mpbot::i18n::msg;

use crate::harness::{TestApp, render, texts};

async fn press_label(
    app: &TestApp,
    user: &mpbot::sandbox::telegram::SimUser,
    needle: &str,
) -> Vec<String> {
    let (id, rows) = app
        .h
        .double
        .latest_with_buttons(user.id)
        .expect("a message with buttons");
    let flat: Vec<_> = rows.iter().flatten().collect();
    let index = flat
        .iter()
        .position(|b| b.label.contains(needle))
        .unwrap_or_else(|| panic!("no button {needle:?} in {flat:?}"));
    app.h
        .double
        .press(user, user.id, id, index + 1)
        .expect("pressed");
    texts(&app.settle().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_confirmed_by_its_code_hears_alerts_and_rules() {
    for lang in [Lang::Ru, Lang::En] {
        let app = TestApp::start_with_mail().await;
        let smtp = app.smtp.clone().expect("smtp");
        let ws = app
            .seed_workspace("Acme", &[(1001, "Anna", Role::Owner)], lang)
            .await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE workspaces SET default_lang = '{}'",
            lang.code()
        )))
        .execute(app.db.pool())
        .await
        .expect("lang");
        app.seed_cabinet(ws, Marketplace::Ozon, "Ozon", true, 0)
            .await;
        app.pass().await;
        app.settle().await;
        let anna = TestApp::user(1001, "Anna", lang);
        let say = |id: &'static str| render(lang, &msg(id));

        app.send(&anna, "/settings").await;
        press_label(&app, &anna, &say("emails-button")).await;
        let asked = press_label(&app, &anna, &say("emails-add-button")).await;
        assert!(
            asked.iter().any(|t| t == &say("emails-ask-address")),
            "{asked:?}"
        );
        let bad = texts(&app.send(&anna, "ops at example").await);
        assert!(
            bad.iter().any(|t| t == &say("emails-bad-address")),
            "{bad:?}"
        );
        assert!(
            smtp.mails().is_empty(),
            "nothing is sent to a wrong address"
        );

        let sent = texts(&app.send(&anna, "Ops@Example.com").await);
        let code_sent = render(
            lang,
            &msg("emails-code-sent").arg("address", "ops@example.com"),
        );
        assert!(sent.iter().any(|t| t == &code_sent), "{sent:?}");
        let mails = smtp.mails();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to, vec!["ops@example.com".to_owned()]);
        let body = mails[0].text();
        let code: String = body
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a six-digit code")
            .to_owned();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let refused = texts(&app.send(&anna, wrong).await);
        let left = render(lang, &msg("emails-wrong-code").arg("left", 4i64));
        assert!(refused.iter().any(|t| t == &left), "{refused:?}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM emails WHERE confirmed_at IS NOT NULL")
                .await,
            0
        );
        let confirmed = texts(&app.send(&anna, &code).await);
        let yes = render(
            lang,
            &msg("emails-confirmed").arg("address", "ops@example.com"),
        );
        assert!(confirmed.iter().any(|t| t == &yes), "{confirmed:?}");

        // It hears new orders (no sums: an address is outside the chat's rules).
        let new_orders = render(
            lang,
            &mpbot::bot::names::event(mpbot::domain::EventKind::NewOrder),
        );
        press_label(&app, &anna, &new_orders).await;
        let posting = app.sandboxes.ozon.place_order();
        app.pass().await;
        app.settle().await;
        let number = posting
            .rsplit_once('-')
            .map_or(posting.as_str(), |(o, _)| o);
        let alert = smtp
            .mails()
            .into_iter()
            .find(|m| m.text().contains(number))
            .expect("the new order is mailed");
        assert!(!alert.text().contains('₽'), "{}", alert.text());

        // A rule made in the wizard sends its message to the address.
        app.send(&anna, "/rules").await;
        press_label(&app, &anna, &say("rules-new-button")).await;
        press_label(&app, &anna, &say("rules-event-created")).await;
        press_label(&app, &anna, &say("rules-next-button")).await;
        let asked = press_label(&app, &anna, &say("rules-act-notify-email")).await;
        assert!(
            asked.iter().any(|t| t == &say("rules-ask-email")),
            "{asked:?}"
        );
        press_label(&app, &anna, "ops@example.com").await;
        app.send(&anna, "Order {number} came in").await;
        press_label(&app, &anna, &say("rules-save-button")).await;
        app.send(&anna, "Mail the office").await;
        app.send(&anna, "50").await;
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM rules WHERE active = 1 AND steps LIKE '%notify-email%ops@example.com%'"
            )
            .await,
            1,
            "the rule mails the address"
        );
        let second = app.sandboxes.ozon.place_order();
        app.pass().await;
        app.pass().await;
        app.settle().await;
        let number = second.rsplit_once('-').map_or(second.as_str(), |(o, _)| o);
        let told: Vec<_> = smtp
            .mails()
            .into_iter()
            .filter(|m| m.text().contains(&format!("Order {number} came in")))
            .collect();
        assert_eq!(told.len(), 1, "the rule's mail, once");
        app.finish().await;
    }
}
