//! `TestApp`: the real app against the Telegram double on loopback, with a fresh database
//! per test (SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set),
//! a manual clock, and every Bot API call checked against the official spec.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::TimeZone;
use mpbot::clock::{ManualClock, SharedClock};
use mpbot::domain::{Lang, Role, TgUserId, WorkspaceId};
use mpbot::ratelimit::TelegramLimits;
use mpbot::sandbox::harness::Harness;
use mpbot::sandbox::telegram::{Event, SimChat, SimUser, Validator};
use mpbot::sandbox::{Sandboxes, SeedOptions};
use mpbot::storage::{Db, members, users, workspaces};

pub fn spec_validator() -> Validator {
    Arc::new(|m: &str, p: &serde_json::Map<String, serde_json::Value>| {
        crate::botapi::check_call(m, p)
    })
}

/// A fresh master key and the vault sealing with it.
fn new_vault() -> (Arc<mpbot::secrets::Vault>, String) {
    let key = mpbot::secrets::MasterKey::generate().expect("a random master key");
    let text = key.to_base64();
    (Arc::new(mpbot::secrets::Vault::new(key)), text)
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh database for one test.
pub struct TestDb {
    pub url: String,
    /// The master key the app seals credentials with (kept across restarts).
    pub vault: Arc<mpbot::secrets::Vault>,
    /// That key in base64, as `MPBOT_SECRET_KEY` gives it to a spawned `mpbot run`.
    pub key: String,
    _dir: Option<tempfile::TempDir>,
    /// On PostgreSQL: the server's admin URL and this test's database, dropped with it.
    pg: Option<(String, String)>,
}

impl Drop for TestDb {
    /// A PostgreSQL database goes when its test ends (a full run makes hundreds; kept,
    /// they fill a CI machine's disk). Dropped on a thread of its own: the test's runtime
    /// may be the one dropping us.
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.pg.take() else {
            return;
        };
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the test database");
            rt.block_on(async move {
                if let Ok(admin) = Db::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(admin.pool())
                    .await;
                    admin.close().await;
                }
            });
        });
        let _ = dropped.join();
    }
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!(
                    "mpbot_t_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let admin = Db::connect(&admin_url)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(admin.pool())
                    .await
                    .expect("create test database");
                admin.close().await;
                let (vault, key) = new_vault();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin_url);
                TestDb {
                    url: format!("{base}/{name}"),
                    vault,
                    key,
                    _dir: None,
                    pg: Some((admin_url.clone(), name)),
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = Db::sqlite_url(&dir.path().join("test.db"));
                let (vault, key) = new_vault();
                TestDb {
                    url,
                    vault,
                    key,
                    _dir: Some(dir),
                    pg: None,
                }
            }
        }
    }
}

/// The clock tests start at: Monday 2026-11-23 09:00 UTC.
pub fn start_time() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("valid time")
}

/// The real app, the double and a database, for one test.
pub struct TestApp {
    pub h: Harness,
    pub db: Db,
    pub clock: ManualClock,
    pub test_db: TestDb,
    /// The marketplace sandboxes the app is pointed at.
    pub sandboxes: Sandboxes,
    /// The SMTP server e-mail goes to, when the test asked for one.
    pub smtp: Option<mpbot::sandbox::smtp::SmtpSandbox>,
    cursor: Mutex<usize>,
}

pub const IDLE: Duration = Duration::from_secs(20);

impl TestApp {
    pub async fn start() -> TestApp {
        let test_db = TestDb::new().await;
        TestApp::start_on(test_db, ManualClock::new(start_time())).await
    }

    /// Starts the app keeping Telegram's own pace (the other tests replay long
    /// conversations in one chat and keep only the overall limit).
    pub async fn start_paced() -> TestApp {
        let test_db = TestDb::new().await;
        TestApp::start_with(
            test_db,
            ManualClock::new(start_time()),
            TelegramLimits::TELEGRAM,
        )
        .await
    }

    /// Starts the app on an existing database (a restart).
    pub async fn start_on(test_db: TestDb, clock: ManualClock) -> TestApp {
        TestApp::start_with(test_db, clock, TelegramLimits::LOOSE).await
    }

    /// Starts the app with its scheduler and alert sender running on their own, a pass
    /// every `period`, as `mpbot run` does.
    pub async fn start_running(period: Duration) -> TestApp {
        let test_db = TestDb::new().await;
        TestApp::start_full(
            test_db,
            ManualClock::new(start_time()),
            TelegramLimits::LOOSE,
            Some(period),
        )
        .await
    }

    async fn start_with(test_db: TestDb, clock: ManualClock, limits: TelegramLimits) -> TestApp {
        TestApp::start_full(test_db, clock, limits, None).await
    }

    /// Starts the app with an SMTP server on loopback (the deployment names one).
    pub async fn start_with_mail() -> TestApp {
        let test_db = TestDb::new().await;
        let smtp = mpbot::sandbox::smtp::SmtpSandbox::start()
            .await
            .expect("smtp sandbox");
        TestApp::start_inner(
            test_db,
            ManualClock::new(start_time()),
            TelegramLimits::LOOSE,
            None,
            Some(smtp),
        )
        .await
    }

    async fn start_full(
        test_db: TestDb,
        clock: ManualClock,
        limits: TelegramLimits,
        scheduler: Option<Duration>,
    ) -> TestApp {
        TestApp::start_inner(test_db, clock, limits, scheduler, None).await
    }

    async fn start_inner(
        test_db: TestDb,
        clock: ManualClock,
        limits: TelegramLimits,
        scheduler: Option<Duration>,
        smtp: Option<mpbot::sandbox::smtp::SmtpSandbox>,
    ) -> TestApp {
        let mailer = smtp.as_ref().map(|s| {
            Arc::new(mpbot::mail::Mailer::new(&s.url, "mpbot@example.com").expect("mailer"))
        });
        let db = Db::connect(&test_db.url)
            .await
            .expect("connect test database");
        let shared: SharedClock = Arc::new(clock.clone());
        let sandboxes = Sandboxes::start(shared.clone(), SeedOptions::default())
            .await
            .expect("sandboxes start");
        let catalogue = Arc::new(sandboxes.catalogue());
        let h = Harness::start(
            db.clone(),
            shared,
            Some(spec_validator()),
            scheduler,
            catalogue,
            test_db.vault.clone(),
            (limits, mailer),
        )
        .await
        .expect("app starts");
        TestApp {
            h,
            db,
            clock,
            test_db,
            sandboxes,
            smtp,
            cursor: Mutex::new(0),
        }
    }

    /// Restarts the app (a new process) on the same database, against the same Telegram
    /// double and sandboxes.
    pub async fn restart(self) -> TestApp {
        let TestApp {
            h,
            db,
            clock,
            test_db,
            sandboxes,
            smtp,
            cursor,
        } = self;
        let shared: SharedClock = Arc::new(clock.clone());
        let catalogue = Arc::new(sandboxes.catalogue());
        let h = h
            .restart(db.clone(), shared, catalogue, test_db.vault.clone())
            .await
            .expect("the app restarts");
        TestApp {
            h,
            db,
            clock,
            test_db,
            sandboxes,
            smtp,
            cursor,
        }
    }

    /// A second process on the same database, clock, sandboxes and master key (its own
    /// worker name, so its leases are its own).
    pub fn second_process(&self) -> mpbot::app::Services {
        mpbot::app::Services::new(
            self.db.clone(),
            Arc::new(self.clock.clone()),
            Arc::new(mpbot::i18n::I18n::load().expect("locales")),
            Arc::new(self.sandboxes.catalogue()),
            self.test_db.vault.clone(),
        )
    }

    pub fn user(id: i64, name: &str, lang: Lang) -> SimUser {
        SimUser::new(id, name, lang.code())
    }

    /// One scheduler pass a minute on, with every job due, as a minute of the scheduler
    /// would do.
    pub async fn pass(&self) {
        self.clock.advance(chrono::Duration::seconds(61));
        self.h
            .app
            .svc
            .jobs()
            .make_jobs_due()
            .await
            .expect("jobs due");
        self.h.app.run_scheduler_once().await.expect("a pass");
    }

    /// Waits until the bot is idle and returns what it did since the last call.
    pub async fn settle(&self) -> Vec<Event> {
        self.h.wait_idle(IDLE).await.expect("bot becomes idle");
        let mut cursor = self.cursor.lock().expect("cursor");
        let (events, next) = self.h.double.events_since(*cursor);
        *cursor = next;
        events
    }

    pub async fn send(&self, user: &SimUser, text: &str) -> Vec<Event> {
        self.h.double.send_text(user, &SimChat::Private, text);
        self.settle().await
    }

    /// Presses button `index` of the newest message with buttons in the user's chat.
    pub async fn press(&self, user: &SimUser, index: usize) -> Vec<Event> {
        let (message_id, _) = self
            .h
            .double
            .latest_with_buttons(user.id)
            .expect("a message with buttons");
        self.h
            .double
            .press(user, user.id, message_id, index)
            .expect("button exists");
        self.settle().await
    }

    /// Seeds a workspace with members (user id, first name, role) whose Telegram clients
    /// speak `lang`, as if each had sent /start; returns its id.
    pub async fn seed_workspace(
        &self,
        name: &str,
        people: &[(i64, &str, Role)],
        lang: Lang,
    ) -> WorkspaceId {
        seed_workspace(&self.db, self.clock_now(), name, people, lang).await
    }

    /// Connects a cabinet directly in the database with the sandbox's demo credentials,
    /// sealed as the app seals them; returns its id.
    pub async fn seed_cabinet(
        &self,
        ws: WorkspaceId,
        market: mpbot::domain::Marketplace,
        name: &str,
        main: bool,
        nth: usize,
    ) -> mpbot::domain::CabinetId {
        let at = (self.clock_now(), main, nth);
        seed_cabinet(&self.db, &self.test_db.vault, ws, market, name, at).await
    }

    pub fn clock_now(&self) -> i64 {
        use mpbot::clock::Clock;
        self.clock.unix()
    }

    /// A single number from the database.
    pub async fn count(&self, sql: &str) -> i64 {
        self.db
            .scalar_text(sql)
            .await
            .expect("query")
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    }

    /// Stops the app, failing the test if the bot sent anything the spec does not allow.
    pub async fn finish(self) -> TestDb {
        let violations = self.h.double.violations();
        self.h.stop().await;
        self.db.close().await;
        assert!(
            violations.is_empty(),
            "Bot API calls outside the spec: {violations:#?}"
        );
        self.test_db
    }
}

/// The text of every message-like event, for assertions.
pub fn texts(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Message { text, .. } => Some(text.clone()),
            Event::Edited { text: Some(t), .. } => Some(t.clone()),
            Event::CallbackAnswer { text: Some(t), .. } => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// Renders a message id the way the bot would for `lang`.
pub fn render(lang: Lang, m: &mpbot::i18n::Msg) -> String {
    static I18N: OnceLock<mpbot::i18n::I18n> = OnceLock::new();
    I18N.get_or_init(|| mpbot::i18n::I18n::load().expect("locales load"))
        .try_render(lang, m)
        .expect("renders")
}

/// Seeds a workspace with members (user id, first name, role) whose Telegram clients
/// speak `lang`, as if each had sent /start; returns its id.
pub async fn seed_workspace(
    db: &Db,
    now: i64,
    name: &str,
    people: &[(i64, &str, Role)],
    lang: Lang,
) -> WorkspaceId {
    let ws = workspaces::create(db.pool(), name, now)
        .await
        .expect("workspace");
    for (id, first_name, role) in people {
        let profile = mpbot::domain::Profile {
            id: TgUserId(*id),
            first_name,
            username: None,
            language_code: Some(lang.code()),
        };
        users::upsert_seen(db, &profile, now).await.expect("user");
        members::add(db.pool(), ws, TgUserId(*id), *role, now)
            .await
            .expect("member");
        users::set_current_workspace(db.pool(), TgUserId(*id), ws)
            .await
            .expect("current");
    }
    ws
}

/// Connects a cabinet directly in the database with the sandbox's demo credentials,
/// sealed with `vault` as the app seals them; `at` is (now, main, nth). Returns its id.
pub async fn seed_cabinet(
    db: &Db,
    vault: &mpbot::secrets::Vault,
    ws: WorkspaceId,
    market: mpbot::domain::Marketplace,
    name: &str,
    (now, main, nth): (i64, bool, usize),
) -> mpbot::domain::CabinetId {
    use mpbot::domain::{Credentials, Marketplace, SchemeChoice};
    use mpbot::sandbox::{ozon, wb, ym};
    let (creds, account, shop) = match market {
        Marketplace::Ozon => (
            Credentials {
                client_id: Some(ozon::DEMO_CLIENT_ID.into()),
                key: ozon::DEMO_API_KEY.into(),
            },
            ozon::DEMO_CLIENT_ID.to_owned(),
            None,
        ),
        Marketplace::Wildberries => (
            Credentials {
                client_id: None,
                key: wb::demo_token_full(),
            },
            "wb-seller".to_owned(),
            None,
        ),
        Marketplace::YandexMarket => (
            Credentials {
                client_id: None,
                key: ym::DEMO_API_KEY.into(),
            },
            ym::DEMO_BUSINESS_ID.to_string(),
            Some(ym::DEMO_CAMPAIGNS[0].0.to_string()),
        ),
    };
    let account = if nth == 0 {
        account
    } else {
        format!("{account}-{nth}")
    };
    let sealed = vault
        .seal_json(&creds, &mpbot::app::cabinets::cabinet_context(ws))
        .expect("seals");
    mpbot::storage::cabinets::insert(
        db.pool(),
        &mpbot::storage::cabinets::NewCabinet {
            workspace: ws,
            marketplace: market,
            name,
            scheme: SchemeChoice::Fbs,
            is_main: main,
            account: Some(&account),
            shop: shop.as_deref(),
            shop_name: shop.as_ref().map(|_| "shop"),
            credentials: &sealed,
            key_expires_at: None,
            created_by: TgUserId(0),
        },
        now,
    )
    .await
    .expect("cabinet")
}
