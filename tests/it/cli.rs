//! The `mpbot` binary: configuration errors, `run` over real long polling against the
//! Telegram double, `migrate`, and the `console` script from the README.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use mpbot::clock::SystemClock;
use mpbot::sandbox::telegram::{DEFAULT_TOKEN, Event, SimChat, SimUser, TelegramDouble};
use mpbot::storage::Db;

use crate::harness::TestDb;

fn mpbot() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mpbot"));
    for var in [
        "MPBOT_TELEGRAM_TOKEN",
        "TELOXIDE_TOKEN",
        "MPBOT_TELEGRAM_API_URL",
        "DATABASE_URL",
        "MPBOT_LOG",
    ] {
        c.env_remove(var);
    }
    c
}

#[test]
fn a_missing_or_malformed_token_is_a_one_line_error_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("dir");
    let out = mpbot()
        .arg("run")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("MPBOT_TELEGRAM_TOKEN"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let out = mpbot()
        .env("TELOXIDE_TOKEN", "not-a-token")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("TELOXIDE_TOKEN") && !err.contains("not-a-token"),
        "{err}"
    );
    assert!(
        !dir.path().join("mpbot.db").exists(),
        "nothing is created on a config error"
    );
}

/// Every command has help of its own: a non-empty summary in `--help` and in its own
/// `--help`, different from every other command's.
#[test]
fn help_documents_every_command() {
    let out = mpbot().arg("--help").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let commands = ["run", "migrate", "rotate-key", "sandbox", "console"];
    let mut summaries = Vec::new();
    for cmd in commands {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(cmd))
            .unwrap_or_else(|| panic!("--help lacks {cmd}: {text}"));
        let summary = line.trim_start()[cmd.len()..].trim().to_owned();
        assert!(
            !summary.is_empty(),
            "{cmd} has no summary in --help: {text}"
        );
        let own = mpbot().args([cmd, "--help"]).output().expect("runs");
        let own = String::from_utf8_lossy(&own.stdout).into_owned();
        let first = own.lines().next().unwrap_or_default().trim().to_owned();
        assert!(
            !first.is_empty() && !first.starts_with("Usage"),
            "`{cmd} --help` starts without a description: {own}"
        );
        summaries.push((cmd, summary, first));
    }
    for (i, (a, sa, fa)) in summaries.iter().enumerate() {
        for (b, sb, fb) in &summaries[i + 1..] {
            assert_ne!(sa, sb, "{a} and {b} share their summary");
            assert_ne!(fa, fb, "{a} and {b} share their help");
        }
    }
    let console = &summaries
        .iter()
        .find(|s| s.0 == "console")
        .expect("console")
        .2;
    assert!(console.contains("terminal"), "{console}");
    let sandbox = &summaries
        .iter()
        .find(|s| s.0 == "sandbox")
        .expect("sandbox")
        .2;
    assert!(sandbox.contains("sandboxes"), "{sandbox}");
}

#[tokio::test]
async fn migrate_applies_the_schema() {
    let t = TestDb::new().await;
    let mut cmd = mpbot();
    cmd.arg("migrate").env("DATABASE_URL", &t.url);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("joins")
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = Db::connect(&t.url).await.expect("connect");
    assert_eq!(
        db.scalar_text("SELECT COUNT(*) FROM workspaces")
            .await
            .expect("table exists"),
        Some("0".into())
    );
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_answers_start_over_long_polling_and_rejects_a_wrong_token() {
    let double = TelegramDouble::start(DEFAULT_TOKEN, Arc::new(SystemClock), None)
        .await
        .expect("double");
    let dir = tempfile::tempdir().expect("dir");

    // A token the Bot API does not accept is a clear error, not a hang.
    let mut cmd = mpbot();
    cmd.env(
        "MPBOT_TELEGRAM_TOKEN",
        "7000000001:wrong-token-aaaaaaaaaaaaaaaaaaaaaaaaa",
    )
    .env("MPBOT_TELEGRAM_API_URL", double.url())
    .current_dir(dir.path());
    let wrong = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("joins")
        .expect("runs");
    assert!(!wrong.status.success());
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        err.contains("rejected the bot token") && !err.contains("wrong-token"),
        "{err}"
    );

    // With the right token and no DATABASE_URL, it creates mpbot.db and answers /start.
    let mut child = mpbot()
        .env("MPBOT_TELEGRAM_TOKEN", DEFAULT_TOKEN)
        .env("MPBOT_TELEGRAM_API_URL", double.url())
        .current_dir(dir.path())
        .env("MPBOT_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let anna = SimUser::new(1001, "Anna", "en");
    double.send_text(&anna, &SimChat::Private, "/start");
    let mut greeting = None;
    for _ in 0..300 {
        if let Some(Event::Message { text, .. }) = double
            .events()
            .into_iter()
            .find(|e| matches!(e, Event::Message { .. }))
        {
            greeting = Some(text);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.kill().expect("kill");
    let logged = child.wait_with_output().expect("stops");
    let log = String::from_utf8_lossy(&logged.stderr);
    assert!(log.contains("starting"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "no colour codes when stderr is not a terminal: {log:?}"
    );
    let greeting = greeting.expect("the bot answered /start");
    assert!(greeting.starts_with("Hello, Anna!"), "{greeting}");
    assert!(dir.path().join("mpbot.db").exists());
    let polls = double
        .calls()
        .iter()
        .filter(|c| c.method.eq_ignore_ascii_case("getWebhookInfo"))
        .count();
    assert!(polls >= 1, "long polling starts by checking the webhook");
}

#[test]
fn the_console_runs_the_readme_script_in_both_languages() {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = mpbot()
        .args(["console", "--out"])
        .arg(dir.path().join("out"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"/start\n/help\n/lang\n#2\n/help\n")
        .expect("write");
    let out = child.wait_with_output().expect("finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("ozon http://127.0.0.1:"),
        "the sandboxes come first: {text}"
    );
    assert!(text.contains("demo credentials:"));
    let greeting = text.find("bot> Здравствуйте, Анна!").expect("greeting");
    let help_ru = text.find("bot> Что я умею:").expect("help in Russian");
    let buttons = text.find("  [2] English").expect("language buttons");
    let help_en = text.find("bot> What I can do:").expect("help in English");
    assert!(
        greeting < help_ru && help_ru < buttons && buttons < help_en,
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_prints_every_family_and_the_demo_credentials() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mpbot"))
        .args(["sandbox", "--products", "5"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawns");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut out = Vec::new();
    while let Ok(Ok(Some(line))) =
        tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await
    {
        let done = line.starts_with("  novaposhta apiKey");
        out.push(line);
        if done {
            break;
        }
    }
    let names: Vec<&str> = out
        .iter()
        .take_while(|l| !l.starts_with("demo credentials"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        vec![
            "ozon",
            "wb-marketplace",
            "wb-content",
            "wb-prices",
            "wb-statistics",
            "wb-analytics",
            "wb-finance",
            "wb-common",
            "ym",
            "novaposhta"
        ]
    );
    let text = out.join("\n");
    assert!(
        text.contains(mpbot::sandbox::ozon::DEMO_API_KEY)
            && text.contains("ym Api-Key")
            && text.contains("wb token (all categories) "),
        "{text}"
    );
    // The printed URL really serves the marketplace.
    let ozon = out[0].split_whitespace().nth(1).expect("url").to_owned();
    let resp = reqwest::Client::new()
        .post(format!("{ozon}/v1/roles"))
        .header("Client-Id", mpbot::sandbox::ozon::DEMO_CLIENT_ID)
        .header("Api-Key", mpbot::sandbox::ozon::DEMO_API_KEY)
        .body("{}")
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.status().as_u16(), 200);
    child.kill().await.expect("stops");
}

/// `mpbot run` left alone for longer than a long poll still answers at once: its HTTP
/// client waits for each poll to its end, so it never polls again while Telegram still
/// holds the last one (the double refuses that with 409, as Telegram does) and never
/// backs off. What teloxide logs (through the `log` crate) reaches our log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_still_answers_at_once_after_a_quiet_spell() {
    use mpbot::sandbox::telegram::Fault;

    let double = TelegramDouble::start(DEFAULT_TOKEN, Arc::new(SystemClock), None)
        .await
        .expect("double");
    let dir = tempfile::tempdir().expect("dir");
    let mut child = mpbot()
        .env("MPBOT_TELEGRAM_TOKEN", DEFAULT_TOKEN)
        .env("MPBOT_TELEGRAM_API_URL", double.url())
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let anna = SimUser::new(1001, "Anna", "en");
    let replies = |double: &TelegramDouble| {
        double
            .events()
            .into_iter()
            .filter(|e| matches!(e, Event::Message { .. }))
            .count()
    };
    // The first answer, then a poll that fails on Telegram's side: teloxide says so.
    double.fail_next("getUpdates", Fault::ServerError);
    double.send_text(&anna, &SimChat::Private, "/start");
    for _ in 0..300 {
        if replies(&double) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(replies(&double), 1, "the bot answered /start");
    // Quiet for longer than one 30 s long poll and teloxide's own 17 s client timeout.
    tokio::time::sleep(Duration::from_secs(40)).await;
    let asked = std::time::Instant::now();
    double.send_text(&anna, &SimChat::Private, "/help");
    while replies(&double) < 2 && asked.elapsed() < Duration::from_secs(90) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let waited = asked.elapsed();
    child.kill().expect("kill");
    let logged = child.wait_with_output().expect("stops");
    let log = String::from_utf8_lossy(&logged.stderr);
    assert!(
        waited < Duration::from_secs(1),
        "/help after a quiet spell was answered after {waited:?}"
    );
    assert_eq!(
        double.poll_conflicts(),
        0,
        "no getUpdates overlapped another"
    );
    assert!(log.contains("getting updates failed"), "{log}");
}

/// `mpbot run` on a database file that is not what it should be says so at once and
/// starts nothing: a missing or empty file where the company's key shows a database was,
/// a file that is no SQLite database, a damaged one, one another program holds locked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_says_at_once_what_is_wrong_with_the_database_file() {
    use sqlx::{Connection, Executor};

    let run = |dir: &std::path::Path| {
        let mut cmd = mpbot();
        cmd.env("MPBOT_TELEGRAM_TOKEN", DEFAULT_TOKEN)
            .env("MPBOT_TELEGRAM_API_URL", "http://127.0.0.1:9")
            .env_remove("MPBOT_NEW_DATABASE")
            .env_remove("MPBOT_SECRET_KEY")
            .current_dir(dir);
        let started = std::time::Instant::now();
        let out = cmd.output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        (out.status.code(), err, started.elapsed())
    };
    let check = |(code, err, took): (Option<i32>, String, Duration), says: &str| {
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains(says), "{says:?} in {err}");
        assert!(took < Duration::from_secs(10), "said after {took:?}: {err}");
    };

    // The key file beside it shows a database lived here.
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("mpbot.key"), "a key\n").expect("key");
    check(run(dir.path()), "mpbot.db is missing, but mpbot.key");
    assert!(!dir.path().join("mpbot.db").exists(), "nothing was created");
    std::fs::write(dir.path().join("mpbot.db"), b"").expect("empty");
    check(run(dir.path()), "mpbot.db is empty, but mpbot.key");
    std::fs::write(dir.path().join("mpbot.db"), vec![0x42u8; 4096]).expect("garbage");
    check(run(dir.path()), "is not a SQLite database");

    // A real database, then damaged, then locked by another program.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("mpbot.db");
    let url = Db::sqlite_url(&path);
    let db = Db::connect(&url).await.expect("created");
    db.migrate().await.expect("migrated");
    db.close().await;
    let mut conn = sqlx::sqlite::SqliteConnection::connect(&format!("{url}?mode=rw"))
        .await
        .expect("another program opens it");
    conn.execute("BEGIN EXCLUSIVE").await.expect("and holds it");
    check(run(dir.path()), "is locked by another program");
    conn.execute("ROLLBACK").await.expect("lets go");
    conn.close().await.expect("closes");
    let mut bytes = std::fs::read(&path).expect("read");
    for b in bytes.iter_mut().skip(100).take(3000) {
        *b = 0xA5;
    }
    std::fs::write(&path, bytes).expect("damaged");
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("mpbot.db{side}")));
    }
    check(run(dir.path()), "is damaged");
}

/// A database file deleted while the bot runs stops it with a clear log line, instead of
/// writing on into a file nobody will find again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_stops_when_its_database_file_is_deleted() {
    let double = TelegramDouble::start(DEFAULT_TOKEN, Arc::new(SystemClock), None)
        .await
        .expect("double");
    let dir = tempfile::tempdir().expect("dir");
    let mut child = mpbot()
        .env("MPBOT_TELEGRAM_TOKEN", DEFAULT_TOKEN)
        .env("MPBOT_TELEGRAM_API_URL", double.url())
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let anna = SimUser::new(1001, "Anna", "en");
    double.send_text(&anna, &SimChat::Private, "/start");
    for _ in 0..300 {
        if double
            .events()
            .iter()
            .any(|e| matches!(e, Event::Message { .. }))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::remove_file(dir.path().join("mpbot.db")).expect("deleted");
    let deleted = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        assert!(
            deleted.elapsed() < Duration::from_secs(30),
            "the bot ran on without its database"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let log =
        String::from_utf8_lossy(&child.wait_with_output().expect("output").stderr).to_string();
    assert_eq!(status.code(), Some(3), "{log}");
    assert!(
        log.contains("database file was deleted or replaced"),
        "{log}"
    );
}
