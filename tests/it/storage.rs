//! Storage: migrations in step on both backends, the dialogue storage, repositories.

use std::sync::Arc;

use mpbot::bot::State;
use mpbot::bot::state::SettingsStep;
use mpbot::clock::{ManualClock, SharedClock};
use mpbot::domain::{InviteCode, Role, TgUserId};
use mpbot::storage::dialogues::DialogueStore;
use mpbot::storage::{Db, invites, members, users, workspaces};

use crate::harness::{TestDb, start_time};

#[test]
fn both_backends_have_the_same_migration_versions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let list = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
            .expect("migrations dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = list("sqlite");
    assert_eq!(
        sqlite,
        list("postgres"),
        "migrations/sqlite and migrations/postgres differ"
    );
    let embedded: Vec<String> = Db::embedded_versions()
        .iter()
        .map(|(v, d)| format!("{v:04}_{d}.sql"))
        .collect();
    assert_eq!(
        sqlite, embedded,
        "every migration file must be embedded, in order"
    );
}

/// A migrated database; keep the `TestDb` alive as long as the `Db`.
async fn fresh() -> (Db, TestDb) {
    let t = TestDb::new().await;
    let db = Db::connect(&t.url).await.expect("connect");
    db.migrate().await.expect("migrate");
    (db, t)
}

/// Upgrading to per-person dialogues and groups that hide sums changes nothing a company
/// had: its groups keep showing sums (only groups linked from now on start hidden), and
/// private dialogues stay where they were.
#[tokio::test]
async fn the_group_safety_upgrade_keeps_what_companies_had() {
    let t = TestDb::new().await;
    let db = Db::connect(&t.url).await.expect("connect");
    db.migrate_to(10).await.expect("the older schema");
    for sql in [
        "INSERT INTO chats (chat_id, workspace_id, kind, title, active, created_at, updated_at) VALUES (-5, NULL, 'supergroup', 'Склад', 1, 0, 0)",
        "INSERT INTO chats (chat_id, workspace_id, kind, title, active, created_at, updated_at) VALUES (1001, NULL, 'private', '', 1, 0, 0)",
        "INSERT INTO dialogue_states (chat_id, state, updated_at) VALUES (1001, '\"StockFind\"', 7)",
        "INSERT INTO dialogue_states (chat_id, state, updated_at) VALUES (-5, '\"StockFind\"', 7)",
    ] {
        sqlx::query(sql).execute(db.pool()).await.expect("seeded");
    }
    db.migrate().await.expect("upgraded");
    let q = |sql: &'static str| {
        let db = db.clone();
        async move { db.scalar_text(sql).await.expect("query") }
    };
    assert_eq!(
        q("SELECT show_money FROM chats WHERE chat_id = -5").await,
        Some("1".into())
    );
    assert_eq!(
        q("SELECT show_money FROM chats WHERE chat_id = 1001").await,
        Some("0".into())
    );
    assert_eq!(
        q("SELECT user_id FROM dialogue_states WHERE chat_id = 1001").await,
        Some("1001".into())
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM dialogue_states").await,
        Some("1".into())
    );
    db.close().await;
}

#[tokio::test]
async fn migrations_apply_twice_without_harm() {
    let (db, _t) = fresh().await;
    db.migrate().await.expect("second run is a no-op");
    assert_eq!(
        db.scalar_text("SELECT COUNT(*) FROM workspaces")
            .await
            .expect("query"),
        Some("0".into())
    );
}

#[tokio::test]
async fn dialogue_storage_round_trips_and_resets_unreadable_state() {
    use mpbot::storage::dialogues::DialogueKey;
    let (db, _t) = fresh().await;
    let clock: SharedClock = Arc::new(ManualClock::new(start_time()));
    let storage = DialogueStore::<State>::new(db.clone(), clock);
    let chat = DialogueKey::of(42, 42, true);
    assert_eq!(storage.get(chat).await.expect("get"), None);
    let state = State::Settings(SettingsStep::AwaitWorkspaceName { workspace: 3 });
    storage.update(chat, state.clone()).await.expect("update");
    assert_eq!(storage.get(chat).await.expect("get"), Some(state.clone()));
    // In a group, each person's dialogue is their own.
    let (anna, olga) = (
        DialogueKey::of(-100, 1, false),
        DialogueKey::of(-100, 2, false),
    );
    storage.update(anna, state.clone()).await.expect("update");
    assert_eq!(storage.get(olga).await.expect("get"), None);
    storage.remove(olga).await.expect("remove");
    assert_eq!(storage.get(anna).await.expect("get"), Some(state));
    storage.remove(anna).await.expect("remove");
    // The idle state is stored as no row at all.
    storage.update(chat, State::Idle).await.expect("overwrite");
    assert_eq!(storage.get(chat).await.expect("get"), None);
    storage
        .update(
            chat,
            State::Settings(SettingsStep::AwaitWorkspaceName { workspace: 4 }),
        )
        .await
        .expect("update");
    storage.remove(chat).await.expect("remove");
    assert_eq!(storage.get(chat).await.expect("get"), None);

    sqlx::query(
        "INSERT INTO dialogue_states (chat_id, user_id, state, updated_at) VALUES (43, 43, 'not json', 0)",
    )
    .execute(db.pool())
    .await
    .expect("seed");
    let key = DialogueKey::of(43, 43, true);
    assert_eq!(
        storage.get(key).await.expect("unreadable is not an error"),
        Some(State::Unreadable),
        "an unreadable state is read as such, so the bot can say it was reset"
    );
    assert_eq!(
        storage.get(key).await.expect("get"),
        None,
        "and it is reported once: the row is gone"
    );
    assert_eq!(
        db.scalar_text("SELECT COUNT(*) FROM dialogue_states")
            .await
            .expect("q"),
        Some("0".into())
    );
}

#[tokio::test]
async fn an_invite_works_once_and_not_after_expiry() {
    let (db, _t) = fresh().await;
    let now = 1_000_000;
    let ws = workspaces::create(db.pool(), "Acme", now)
        .await
        .expect("ws");
    let p = mpbot::domain::Profile {
        id: TgUserId(1),
        first_name: "Anna",
        username: None,
        language_code: None,
    };
    users::upsert_seen(&db, &p, now).await.expect("user");
    members::add(db.pool(), ws, TgUserId(1), Role::Owner, now)
        .await
        .expect("member");
    let code = InviteCode::from_random([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    invites::create(
        db.pool(),
        &code,
        ws,
        Role::Manager,
        TgUserId(1),
        now,
        now + 100,
    )
    .await
    .expect("invite");
    let first = invites::redeem(db.pool(), &code, TgUserId(2), now + 1)
        .await
        .expect("redeem");
    assert_eq!(first.map(|i| i.role), Some(Role::Manager));
    assert_eq!(
        invites::redeem(db.pool(), &code, TgUserId(3), now + 2)
            .await
            .expect("redeem"),
        None
    );

    let late = InviteCode::from_random([9; 10]);
    invites::create(
        db.pool(),
        &late,
        ws,
        Role::Viewer,
        TgUserId(1),
        now,
        now + 100,
    )
    .await
    .expect("invite");
    assert_eq!(
        invites::redeem(db.pool(), &late, TgUserId(4), now + 100)
            .await
            .expect("redeem"),
        None
    );
}

#[tokio::test]
async fn members_are_listed_by_role_and_users_keep_their_language() {
    let (db, _t) = fresh().await;
    let ws = workspaces::create(db.pool(), "Склад №1", 5)
        .await
        .expect("ws");
    for (id, name, role) in [
        (1, "Вера", Role::Viewer),
        (2, "Анна", Role::Owner),
        (3, "Борис", Role::Manager),
    ] {
        let p = mpbot::domain::Profile {
            id: TgUserId(id),
            first_name: name,
            username: None,
            language_code: Some("en"),
        };
        users::upsert_seen(&db, &p, 5).await.expect("user");
        members::add(db.pool(), ws, TgUserId(id), role, 5)
            .await
            .expect("member");
    }
    let roles: Vec<Role> = members::list(&db, ws)
        .await
        .expect("list")
        .iter()
        .map(|m| m.role)
        .collect();
    assert_eq!(roles, vec![Role::Owner, Role::Manager, Role::Viewer]);
    let u = users::get(&db, TgUserId(1))
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(u.effective_lang(), mpbot::domain::Lang::En);
    users::set_lang(&db, TgUserId(1), mpbot::domain::Lang::Ru)
        .await
        .expect("set");
    let u = users::get(&db, TgUserId(1))
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(u.effective_lang(), mpbot::domain::Lang::Ru);
    assert_eq!(
        workspaces::get(&db, ws).await.expect("get").map(|w| w.name),
        Some("Склад №1".into())
    );
}

/// Guards the CI setup: with `TEST_DATABASE_URL` set the suite really runs on PostgreSQL.
#[tokio::test]
async fn the_suite_runs_on_the_backend_it_was_asked_for() {
    let (db, _t) = fresh().await;
    let want = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        mpbot::storage::Backend::Postgres
    } else {
        mpbot::storage::Backend::Sqlite
    };
    assert_eq!(db.backend(), want);
    if want == mpbot::storage::Backend::Sqlite {
        let mode = db.scalar_text("PRAGMA journal_mode").await.expect("pragma");
        assert_eq!(mode.as_deref(), Some("wal"), "SQLite runs in WAL mode");
        let timeout = db.scalar_text("PRAGMA busy_timeout").await.expect("pragma");
        assert_eq!(timeout.as_deref(), Some("5000"));
    }
}

#[tokio::test]
async fn api_overrides_are_stored_and_change_the_catalogue() {
    use mpbot::marketplaces::endpoints::{self as ep, Catalogue, Override};
    use mpbot::storage::api_overrides;
    let (db, _t) = fresh().await;
    let o = Override {
        version: Some("v5".into()),
        ..Override::default()
    };
    api_overrides::set(
        &db,
        api_overrides::DEPLOYMENT,
        ep::OZON_FBS_LIST.name,
        &o,
        Some(TgUserId(1)),
        10,
    )
    .await
    .expect("set");
    let o2 = Override {
        host: Some("http://127.0.0.1:1".into()),
        ..Override::default()
    };
    api_overrides::set(
        &db,
        api_overrides::DEPLOYMENT,
        ep::OZON_ROLES.name,
        &o2,
        None,
        11,
    )
    .await
    .expect("set");
    api_overrides::set(
        &db,
        api_overrides::DEPLOYMENT,
        ep::OZON_ROLES.name,
        &Override {
            path: Some("/v9/roles".into()),
            ..o2
        },
        None,
        12,
    )
    .await
    .expect("replace");
    let all = api_overrides::of(&db, api_overrides::DEPLOYMENT)
        .await
        .expect("all");
    assert_eq!(all.len(), 2);
    let c = Catalogue::from_lookup(|_| None).expect("catalogue");
    c.set_overrides(all);
    assert_eq!(
        c.url(&ep::OZON_FBS_LIST, &[]).expect("url").path(),
        "/v5/posting/fbs/list"
    );
    assert_eq!(
        c.url(&ep::OZON_ROLES, &[]).expect("url").as_str(),
        "http://127.0.0.1:1/v9/roles"
    );
    // A workspace's own override goes on top of the deployment's, field by field, and
    // only for that workspace.
    let ws = mpbot::domain::WorkspaceId(7);
    let mine = Override {
        version: Some("v2".into()),
        ..Override::default()
    };
    api_overrides::set(&db, ws, ep::OZON_ROLES.name, &mine, None, 13)
        .await
        .expect("set");
    let scoped = c.scoped(api_overrides::of(&db, ws).await.expect("of"));
    assert_eq!(
        scoped.url(&ep::OZON_ROLES, &[]).expect("url").as_str(),
        "http://127.0.0.1:1/v2/roles"
    );
    let other = c.scoped(
        api_overrides::of(&db, mpbot::domain::WorkspaceId(8))
            .await
            .expect("of"),
    );
    assert_eq!(
        other.url(&ep::OZON_ROLES, &[]).expect("url").as_str(),
        "http://127.0.0.1:1/v9/roles"
    );
    assert!(
        api_overrides::clear(&db, api_overrides::DEPLOYMENT, ep::OZON_ROLES.name)
            .await
            .expect("clear")
    );
    assert!(
        !api_overrides::clear(&db, api_overrides::DEPLOYMENT, ep::OZON_ROLES.name)
            .await
            .expect("clear")
    );
}

#[tokio::test]
async fn one_live_cabinet_per_account_even_when_saves_race() {
    use mpbot::domain::{Marketplace, SchemeChoice};
    use mpbot::storage::cabinets::{self, NewCabinet};
    let (db, _t) = fresh().await;
    let ws = workspaces::create(db.pool(), "Acme", 1).await.expect("ws");
    let new = |name: &'static str, shop: Option<&'static str>| NewCabinet {
        workspace: ws,
        marketplace: Marketplace::YandexMarket,
        name,
        scheme: SchemeChoice::Fbs,
        is_main: false,
        account: Some("7001234"),
        shop,
        shop_name: None,
        credentials: "v1.x.y",
        key_expires_at: None,
        created_by: TgUserId(1),
    };
    let first = cabinets::insert(db.pool(), &new("A", Some("1")), 1)
        .await
        .expect("first");
    // Another shop of the same business is another cabinet.
    cabinets::insert(db.pool(), &new("B", Some("2")), 1)
        .await
        .expect("second shop");
    let again = cabinets::insert(db.pool(), &new("C", Some("1")), 1).await;
    match again {
        Err(mpbot::storage::StorageError::Db(sqlx::Error::Database(e))) => {
            assert!(e.is_unique_violation(), "{e}");
        }
        other => panic!("a second live cabinet of one account was stored: {other:?}"),
    }
    // Once archived, the account can be connected again.
    cabinets::archive(db.pool(), first, 2)
        .await
        .expect("archive");
    cabinets::insert(db.pool(), &new("D", Some("1")), 3)
        .await
        .expect("reconnect");
    db.close().await;
}

/// The migrations every release so far shipped, with their SHA-256: a database that applied
/// one refuses to start when its text changes (sqlx checks each migration's checksum), so a
/// released migration is never edited, only followed by a new one. A new migration is
/// pinned here when it is released.
const RELEASED_MIGRATIONS: &[(&str, &str)] = &[
    (
        "sqlite/0001_foundation.sql",
        "a5998ebf975936b698b2bc1d479f54fbdce8b7818f0ad01af6296c406f464ced",
    ),
    (
        "sqlite/0002_api_overrides.sql",
        "7b6d1b0f022d8a1dd0c3426eb1f001b0af25cdd7f555bb8a63249a88736295d3",
    ),
    (
        "sqlite/0003_cabinets.sql",
        "1fd0b446088f7ffbbb686cf0b8b78beed41c1f007cda09483f59942db56e935f",
    ),
    (
        "sqlite/0004_workspace_api_overrides.sql",
        "66aa423b63b2635634640f2a09b39f0eecd95da67ee65393eadae6bea5b14cea",
    ),
    (
        "sqlite/0005_jobs_orders.sql",
        "32687903a10b9cf41568638782962933522d03ce833afedeb7f577bc248a6544",
    ),
    (
        "sqlite/0006_labels.sql",
        "3fe0f6f0adaf41513da1a7ec1cfdc744189a4e4ce78ebaae40fedb17f7db26c1",
    ),
    (
        "sqlite/0007_catalogue.sql",
        "ef188baa239e222ff3cbde63fc3e9196fc1ab898c340121337c6440394aa0411",
    ),
    (
        "sqlite/0008_fbo.sql",
        "ac9e873906890ba500c37dd80b622c536cfd377d279685a50f376b3797c99d53",
    ),
    (
        "sqlite/0009_prices.sql",
        "ae7bee0028333686c952a2b76350e6adb0a70732807acc4fdecbfad7c05ecac6",
    ),
    (
        "sqlite/0010_price_changes.sql",
        "678b4fba93d72d52ac6a375334727eaa88c8aad8e322346f1512c214760ff727",
    ),
    (
        "sqlite/0011_group_safety.sql",
        "3207ea5155e2b8b50f2734f660302bcd1ddec18a0d61dfc6d1acd8ed8bfc64d2",
    ),
    (
        "sqlite/0012_hot_paths.sql",
        "d9f2969b3fc5a4b9d344b15c4b3ac4268732749f76b13771477da509d7fe8c1b",
    ),
    (
        "sqlite/0013_preview_messages.sql",
        "fd9076b94496b971f43e39f583e37ceef1724e9fb78b70a572df9172d919943a",
    ),
    (
        "sqlite/0014_stock_marks.sql",
        "928ade126110a998481aa0674b127bdd3184ca59783c07bfa1267065630dc125",
    ),
    (
        "sqlite/0015_engine.sql",
        "d868460f331ab111514c1becc6759230f4354d76e136d673c5d2204d7fb7d22d",
    ),
    (
        "sqlite/0016_rules.sql",
        "3ea6ee1d0c2a082d831dc7b919dc93eda530d8afa96b2c0a2032524e7b11ea94",
    ),
    (
        "sqlite/0017_quiet_hours.sql",
        "42b0d3c2f9894d1837f0f09dba621fc242e6b53492cb7cf3b4b0b9f9abba8d9d",
    ),
    (
        "sqlite/0018_email.sql",
        "e79e600634bf30e4c8fbcc7a6b0b5665beba628a78180c679f62abfc1149d93f",
    ),
    (
        "sqlite/0019_engine.sql",
        "3a972661ef66bc014b5b48e067e37364c0109badc2f1a3d5fa8b31f34074d5d1",
    ),
    (
        "sqlite/0020_finance.sql",
        "1d6f4d024a6e50a92d0414367ba3430759028de1a1744218924fcd5016a4f0dc",
    ),
    (
        "sqlite/0021_summary.sql",
        "64de76c21913fe0531edad76d9ae3be1e785c739fa62d5bb7e5e9aca64a30aa2",
    ),
    (
        "postgres/0001_foundation.sql",
        "8f5cfe42d441f86033fada103244a7f78b95eb86c5a229b084827c532032a17c",
    ),
    (
        "postgres/0002_api_overrides.sql",
        "7b6d1b0f022d8a1dd0c3426eb1f001b0af25cdd7f555bb8a63249a88736295d3",
    ),
    (
        "postgres/0003_cabinets.sql",
        "91621bf71e5ff7fd22502c9be1dee8e614fca567e73e6ea24b0bd413f8025c85",
    ),
    (
        "postgres/0004_workspace_api_overrides.sql",
        "bc65ff642d7c9ef9c2af3cb59c7b71e22291175c7ed79f4e8fec63c5b60504ba",
    ),
    (
        "postgres/0005_jobs_orders.sql",
        "2c23360169de11f84cfe4a0574bf2cba7315052e8aab9edac92e2654e3373989",
    ),
    (
        "postgres/0006_labels.sql",
        "85f1d5f238fbbc507e5939fd0e1045bff02193c1483f77fdd7ce1dd91ff1932f",
    ),
    (
        "postgres/0007_catalogue.sql",
        "66f2a53c7a49bbc0eec0c87ca1c61221865b699974674facd4bde18246d06bad",
    ),
    (
        "postgres/0008_fbo.sql",
        "ac9e873906890ba500c37dd80b622c536cfd377d279685a50f376b3797c99d53",
    ),
    (
        "postgres/0009_prices.sql",
        "ae7bee0028333686c952a2b76350e6adb0a70732807acc4fdecbfad7c05ecac6",
    ),
    (
        "postgres/0010_price_changes.sql",
        "5fd952fd8f8e279fae50a0a902cb639ce4734a44e3ba17610d6ef49f008aab82",
    ),
    (
        "postgres/0011_group_safety.sql",
        "3207ea5155e2b8b50f2734f660302bcd1ddec18a0d61dfc6d1acd8ed8bfc64d2",
    ),
    (
        "postgres/0012_hot_paths.sql",
        "d9f2969b3fc5a4b9d344b15c4b3ac4268732749f76b13771477da509d7fe8c1b",
    ),
    (
        "postgres/0013_preview_messages.sql",
        "fd9076b94496b971f43e39f583e37ceef1724e9fb78b70a572df9172d919943a",
    ),
    (
        "postgres/0014_stock_marks.sql",
        "928ade126110a998481aa0674b127bdd3184ca59783c07bfa1267065630dc125",
    ),
    (
        "postgres/0015_engine.sql",
        "d868460f331ab111514c1becc6759230f4354d76e136d673c5d2204d7fb7d22d",
    ),
    (
        "postgres/0016_rules.sql",
        "ef65ac7a386ea6334e59c0cc5041467a66d63ab0041a4d07903dd21771cc16ad",
    ),
    (
        "postgres/0017_quiet_hours.sql",
        "42b0d3c2f9894d1837f0f09dba621fc242e6b53492cb7cf3b4b0b9f9abba8d9d",
    ),
    (
        "postgres/0018_email.sql",
        "2a79c4445581f88f69e79770374923c907cdf6156274fc55a3836980a4e8ca70",
    ),
    (
        "postgres/0019_engine.sql",
        "6c1571438aad737d4b57d7cf6737496cf6fd21a6049c8d74cbb06d72be11fc11",
    ),
    (
        "postgres/0020_finance.sql",
        "115f31bc77dc7c2fd6b13f3979b24c04cc145dc6506eace62e5aab568830c8fe",
    ),
    (
        "postgres/0021_summary.sql",
        "2f845ea9da8cf8e587bf5d4efcfb2c53e2accf5a13bdbe279985ef67992ed141",
    ),
];

#[test]
fn released_migrations_are_never_edited() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for (file, pinned) in RELEASED_MIGRATIONS {
        let text = std::fs::read(dir.join(file)).expect("a released migration is kept");
        let digest = ring::digest::digest(&ring::digest::SHA256, &text);
        let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            &hex, pinned,
            "{file} was edited after its release: add a new migration instead"
        );
    }
    // Every migration the app embeds is pinned, in both dialects.
    for (version, description) in Db::embedded_versions() {
        for dialect in ["sqlite", "postgres"] {
            let file = format!("{dialect}/{version:04}_{description}.sql");
            assert!(
                RELEASED_MIGRATIONS.iter().any(|(f, _)| *f == file),
                "{file} is not pinned in RELEASED_MIGRATIONS"
            );
        }
    }
}
