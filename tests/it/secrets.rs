//! Secrets end to end: a seller connects one cabinet of each marketplace in `mpbot
//! console`, invites a warehouse worker and sets up an alert group; afterwards neither
//! the database file nor the log holds a key, and `mpbot rotate-key` re-seals them all.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use mpbot::app::cabinets::cabinet_context;
use mpbot::domain::{Credentials, WorkspaceId};
use mpbot::sandbox::{ozon, wb, ym};
use mpbot::storage::Db;

fn mpbot() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mpbot"));
    for var in [
        "DATABASE_URL",
        mpbot::secrets::KEY_VAR,
        mpbot::secrets::NEW_KEY_VAR,
    ] {
        c.env_remove(var);
    }
    c
}

fn keys() -> Vec<String> {
    vec![
        ozon::DEMO_API_KEY.to_owned(),
        wb::demo_token_full(),
        ym::DEMO_API_KEY.to_owned(),
        // Distinctive pieces, in case a key were split or re-encoded.
        "ozonsandbox01".to_owned(),
        "sandboxYmKey0123456789abcdef".to_owned(),
        "sandbox-signature-1".to_owned(),
    ]
}

fn raw_database(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["c.db", "c.db-wal", "c.db-shm"] {
        if let Ok(mut f) = std::fs::File::open(dir.join(name)) {
            f.read_to_end(&mut all).expect("reads");
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_connects_every_marketplace_in_the_console_and_no_key_is_stored_or_logged() {
    let dir = tempfile::tempdir().expect("dir");
    let db_path = dir.path().join("c.db");
    let mut child = mpbot()
        .args(["console", "--lang", "en", "--db"])
        .arg(&db_path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .env("MPBOT_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    let stderr = child.stderr.take().expect("stderr");
    let log = std::thread::spawn(move || {
        let mut s = String::new();
        BufReader::new(stderr).read_to_string(&mut s).map(|_| s)
    });
    let script = format!(
        "/start\n/cabinets\n#1\n#1\n100500\n  \"{ozon}\"\n#3\n#1\n#1\n\
         /cabinets\n#2\n#2\n{wb}\n#1\n#1\n#1\n\
         /cabinets\n#3\n#3\n{ym}\n#1\n#1\n#1\n#1\n\
         /cabinets\n/invite\n#3\n",
        ozon = ozon::DEMO_API_KEY,
        wb = wb::demo_token_full(),
        ym = ym::DEMO_API_KEY,
    );
    stdin.write_all(script.as_bytes()).expect("writes");
    stdin.flush().expect("flush");
    // Wait for the invite link, then let the warehouse worker use it.
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut transcript = String::new();
    let code = loop {
        let mut line = String::new();
        let n = out.read_line(&mut line).expect("reads");
        assert!(n > 0, "the console ended before the invite:\n{transcript}");
        transcript.push_str(&line);
        if let Some(rest) = line.split("?start=").nth(1) {
            break rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>();
        }
    };
    let rest = format!(
        ":as 2002\n/start {code}\n:as 1001\n:group\n/subscribe\n#1\n#2\n#14\n:private\n/groups\n"
    );
    stdin.write_all(rest.as_bytes()).expect("writes");
    drop(stdin);
    out.read_to_string(&mut transcript).expect("reads the rest");
    let status = child.wait().expect("finishes");
    let log = log.join().expect("log thread").expect("log text");
    assert!(status.success(), "{log}");

    let banner = transcript.find("bot> ").expect("the bot spoke");
    let chat = &transcript[banner..];
    for (what, needle) in [
        ("Ozon", "Cabinets: 1"),
        ("WB", "Cabinets: 2"),
        ("YM", "Cabinets: 3"),
        ("deletion", "(deleted message"),
        ("invite", "You joined"),
        ("group", "Saved: “"),
        ("groups", "Alert groups: 1"),
    ] {
        assert!(
            chat.contains(needle),
            "{what}: {needle:?} missing in\n{chat}"
        );
    }
    assert_eq!(
        chat.matches("I deleted your message with the key").count(),
        3,
        "{chat}"
    );
    assert_eq!(chat.matches("is connected").count(), 3, "{chat}");

    // No key in the chat, the log or any byte of the database.
    let raw = raw_database(dir.path());
    assert!(!raw.is_empty());
    for k in keys() {
        assert!(!chat.contains(&k), "the chat echoed a key");
        assert!(!log.contains(&k), "the log holds a key: {k}");
        assert!(
            !contains(&raw, &k),
            "the database holds a key in the clear: {k}"
        );
    }
    assert!(
        !log.contains(mpbot::sandbox::telegram::DEFAULT_TOKEN),
        "the log holds the bot token"
    );

    // The key file was generated beside the database, owner-only, and its key is not logged.
    let key_file = dir.path().join(mpbot::secrets::KEY_FILE_NAME);
    let master = std::fs::read_to_string(&key_file).expect("key file");
    assert!(!log.contains(master.trim()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let url = Db::sqlite_url(&db_path);
    let db = Db::connect(&url).await.expect("db");
    assert_eq!(
        db.scalar_text("SELECT COUNT(*) FROM cabinets")
            .await
            .expect("q")
            .as_deref(),
        Some("3")
    );
    assert_eq!(
        db.scalar_text("SELECT role FROM members WHERE user_id = 2002")
            .await
            .expect("q")
            .as_deref(),
        Some("warehouse")
    );
    assert_eq!(
        db.scalar_text("SELECT COUNT(*) FROM group_events")
            .await
            .expect("q")
            .as_deref(),
        Some("2")
    );
    let (before, _) = mpbot::secrets::load(None, &url).expect("vault");
    db.close().await;

    // Rotation re-seals all three under a new key file; the old key opens nothing.
    let rotated = mpbot()
        .arg("rotate-key")
        .env("DATABASE_URL", &url)
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&rotated.stdout);
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    assert!(said.contains("re-sealed 3 secret(s)"), "{said}");
    let new_master = std::fs::read_to_string(&key_file).expect("key file");
    assert_ne!(new_master, master);
    assert!(!said.contains(new_master.trim()) && !said.contains(master.trim()));
    assert!(!mpbot::secrets::pending_file(&key_file).exists());

    let db = Db::connect(&url).await.expect("db");
    let (after, _) = mpbot::secrets::load(None, &url).expect("vault");
    let rows = mpbot::storage::cabinets::all_sealed(db.pool())
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3);
    let mut opened: Vec<String> = Vec::new();
    for (_, ws, sealed) in &rows {
        assert!(sealed.starts_with(&format!("v1.{}.", after.key_id())));
        assert!(before.open(sealed, &cabinet_context(*ws)).is_err());
        let c: Credentials = after
            .open_json(sealed, &cabinet_context(*ws))
            .expect("opens");
        // Bound to its workspace: the same value does not open as another's.
        assert!(
            after
                .open(sealed, &cabinet_context(WorkspaceId(ws.0 + 1)))
                .is_err()
        );
        opened.push(c.key);
    }
    opened.sort();
    let mut expected = keys()[..3].to_vec();
    expected.sort();
    assert_eq!(opened, expected);
    db.close().await;
}

#[tokio::test]
async fn rotating_keys_from_the_environment_needs_the_new_key() {
    let dir = tempfile::tempdir().expect("dir");
    let url = Db::sqlite_url(&dir.path().join("c.db"));
    let db = Db::connect(&url).await.expect("db");
    db.migrate().await.expect("migrates");
    let old = mpbot::secrets::MasterKey::generate().expect("key");
    let new = mpbot::secrets::MasterKey::generate().expect("key");
    let refused =
        mpbot::app::cabinets::rotate_master_key(&db, &url, Some(&old.to_base64()), None).await;
    assert!(matches!(
        refused,
        Err(mpbot::app::cabinets::RotateError::NeedNewKey)
    ));
    let done = mpbot::app::cabinets::rotate_master_key(
        &db,
        &url,
        Some(&old.to_base64()),
        Some(&new.to_base64()),
    )
    .await
    .expect("rotates");
    assert_eq!(done.new_key, new.id());
    assert_eq!(done.file, None);
    // Without a key file, there is nothing to rotate.
    let missing = mpbot::app::cabinets::rotate_master_key(&db, &url, None, None).await;
    assert!(matches!(
        missing,
        Err(mpbot::app::cabinets::RotateError::NoKeyFile(_))
    ));
    db.close().await;
}
