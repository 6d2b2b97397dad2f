//! `mpbot run` killed with SIGKILL thirty times at random moments while orders arrive and
//! an owner presses Assemble on order cards, as an operator's machine would: every order is
//! imported once, every new-order alert reaches the group once (alone or in a digest), an
//! alert is missing only where a kill cut its message short (left `unknown`, never sent
//! twice), every pressed action reaches the marketplace once, and a restarted bot takes up
//! its predecessor's work within the 30 s lease.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mpbot::clock::SystemClock;
use mpbot::domain::{EventKind, Lang, Marketplace, Role, TgChatId};
use mpbot::sandbox::telegram::{DEFAULT_TOKEN, Event, SimChat, SimUser, TelegramDouble};
use mpbot::sandbox::{Sandboxes, SeedOptions};
use mpbot::storage::Db;

use crate::harness::{TestDb, seed_cabinet, seed_workspace, spec_validator};

pub const GROUP: i64 = -100_777;
const KILLS: usize = 30;

/// Everything the spawned bots talk to, and how to start one more.
pub struct Stage {
    pub db: Db,
    pub test_db: TestDb,
    pub sandboxes: Sandboxes,
    pub double: TelegramDouble,
    /// More settings every spawned bot is given (`MPBOT_LANES`, …).
    pub env: Vec<(&'static str, String)>,
    dir: tempfile::TempDir,
}

impl Stage {
    /// A company (Anna, owner) with an Ozon cabinet whose orders are read every
    /// `orders_every` seconds (the rest of its work a day apart), the sandboxes answering
    /// after `latency_ms`, on a fresh database.
    pub async fn new(orders_every: i64, latency_ms: u64) -> Stage {
        let test_db = TestDb::new().await;
        let db = Db::connect(&test_db.url).await.expect("database");
        db.migrate().await.expect("migrations");
        let clock: mpbot::clock::SharedClock = Arc::new(SystemClock);
        let sandboxes = Sandboxes::start(
            clock.clone(),
            SeedOptions {
                orders_per_hour: 0,
                ..SeedOptions::default()
            },
        )
        .await
        .expect("sandboxes");
        sandboxes.ozon.recorder().faults().latency_ms = latency_ms;
        let double = TelegramDouble::start(DEFAULT_TOKEN, clock, Some(spec_validator()))
            .await
            .expect("double");
        let now = chrono::Utc::now().timestamp();
        let ws = seed_workspace(&db, now, "Acme", &[(1001, "Anna", Role::Owner)], Lang::En).await;
        seed_cabinet(
            &db,
            &test_db.vault,
            ws,
            Marketplace::Ozon,
            "Ozon",
            (now, true, 0),
        )
        .await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE workspaces SET orders_every_secs = {orders_every}, catalogue_every_secs = 86400, \
             stocks_every_secs = 86400, prices_every_secs = 86400, fbo_every_secs = 86400, \
         finance_every_secs = 86400"
        )))
        .execute(db.pool())
        .await
        .expect("periods");
        Stage {
            db,
            test_db,
            sandboxes,
            double,
            env: Vec::new(),
            dir: tempfile::tempdir().expect("dir"),
        }
    }

    /// Starts a bot, links the group (hearing of new orders) and waits until the first
    /// import and every first job has run.
    pub async fn first_bot(&self, anna: &SimUser) -> Child {
        let child = self.spawn();
        self.link_group(anna).await;
        let first = wait_for(Duration::from_secs(60), || async {
            self.number("SELECT COUNT(*) FROM jobs WHERE runs = 0 OR lease_owner IS NOT NULL")
                .await
                == 0
        })
        .await;
        assert!(first, "the first import ran: {}", self.log_tail());
        child
    }

    /// Anna adds the running bot to the warehouse group, which hears of new orders.
    pub async fn link_group(&self, anna: &SimUser) {
        self.double.add_bot_to_group(anna, GROUP, "Warehouse");
        let linked = wait_for(Duration::from_secs(30), || async {
            self.number(&format!(
                "SELECT COUNT(*) FROM chats WHERE chat_id = {GROUP}"
            ))
            .await
                > 0
        })
        .await;
        assert!(linked, "the group was registered");
        mpbot::storage::groups::toggle_event(&self.db, TgChatId(GROUP), EventKind::NewOrder)
            .await
            .expect("subscribed");
    }

    pub fn spawn(&self) -> Child {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mpbot"));
        cmd.arg("run")
            .env_remove("TELOXIDE_TOKEN")
            .env("MPBOT_TELEGRAM_TOKEN", DEFAULT_TOKEN)
            .env("MPBOT_TELEGRAM_API_URL", self.double.url())
            .env("DATABASE_URL", &self.test_db.url)
            .env(mpbot::secrets::KEY_VAR, &self.test_db.key)
            .env("MPBOT_LOG", "info,sqlx=warn")
            .current_dir(self.dir.path())
            .stdout(Stdio::null())
            .stderr(self.log());
        for (family, url) in &self.sandboxes.urls {
            cmd.env(family.env_var(), url);
        }
        for (var, value) in &self.env {
            cmd.env(var, value);
        }
        cmd.spawn().expect("mpbot run starts")
    }

    /// Every bot's log, one after another, in one file.
    fn log(&self) -> std::fs::File {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("mpbot.log"))
            .expect("log file")
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("mpbot.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    pub async fn number(&self, sql: &str) -> i64 {
        self.db
            .scalar_text(sql)
            .await
            .expect("query")
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    }

    /// Imported orders by posting number, with when each was imported.
    pub async fn imported(&self) -> BTreeMap<String, (i64, i64)> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT external_id, imported_at FROM orders")
                .fetch_all(self.db.pool())
                .await
                .expect("orders");
        let mut out: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for (number, at) in rows {
            let e = out.entry(number).or_insert((0, at));
            e.0 += 1;
        }
        out
    }

    pub fn group_texts(&self) -> Vec<String> {
        self.double
            .events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Message { chat_id, text, .. } if chat_id == GROUP => Some(text),
                _ => None,
            })
            .collect()
    }
}

/// The order number an alert names: an Ozon posting without its shipment suffix.
pub fn order_number(posting: &str) -> &str {
    posting.rsplit_once('-').map_or(posting, |(order, _)| order)
}

/// A small deterministic source of moments (SplitMix64).
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n.max(1)
    }

    fn millis(&mut self, from: u64, to: u64) -> Duration {
        Duration::from_millis(from + self.below(to - from))
    }
}

pub async fn wait_for<F: std::future::Future<Output = bool>>(
    limit: Duration,
    mut done: impl FnMut() -> F,
) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

pub fn kill(mut child: Child) {
    // `Child::kill` is SIGKILL on Unix: no destructor, no flush, no goodbye.
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
}

/// Presses Assemble on `posting`'s card, if the running bot shows the card in time.
async fn press_assemble(stage: &Stage, anna: &SimUser, posting: &str, within: Duration) -> bool {
    let before = stage.double.events().len();
    stage
        .double
        .send_text(anna, &SimChat::Private, &format!("/order {posting}"));
    let started = Instant::now();
    while started.elapsed() < within {
        let (events, _) = stage.double.events_since(before);
        let card = events.iter().find_map(|e| match e {
            Event::Message {
                chat_id,
                message_id,
                text,
                buttons,
                ..
            } if *chat_id == anna.id && text.contains(order_number(posting)) => {
                let flat: Vec<_> = buttons.iter().flatten().collect();
                flat.iter()
                    .position(|b| b.label.contains("Assemble"))
                    .map(|i| (*message_id, i + 1))
            }
            _ => None,
        });
        if let Some((message_id, index)) = card {
            return stage.double.press(anna, anna.id, message_id, index).is_ok();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_killed_thirty_times_loses_and_doubles_nothing() {
    // Every answer takes a while, so kills land in the middle of imports and actions.
    let stage = Stage::new(5, 400).await;
    let anna = SimUser::new(1001, "Anna", "en");
    let mut child = stage.first_bot(&anna).await;

    let mut dice = Dice(24);
    let mut placed: Vec<(String, i64)> = Vec::new();
    let mut pressed: BTreeSet<String> = BTreeSet::new();
    let mut mid_job = 0;
    for round in 0..KILLS {
        let life = dice.millis(800, 4000);
        let born = Instant::now();
        // Orders arrive at random moments of this bot's life.
        let orders = dice.below(3);
        let mut moments: Vec<Duration> = (0..orders).map(|_| dice.millis(0, 800)).collect();
        moments.sort();
        for at in moments {
            tokio::time::sleep(at.saturating_sub(born.elapsed())).await;
            let posting = stage.sandboxes.ozon.place_order();
            placed.push((posting, chrono::Utc::now().timestamp()));
        }
        // Every third life, the owner assembles an order the bot has shown.
        if round % 3 == 1 {
            let imported = stage.imported().await;
            let next = placed
                .iter()
                .map(|(p, _)| p)
                .find(|p| imported.contains_key(*p) && !pressed.contains(*p))
                .cloned();
            if let Some(posting) = next {
                let left = life.saturating_sub(born.elapsed());
                if press_assemble(&stage, &anna, &posting, left).await {
                    pressed.insert(posting);
                }
            }
        }
        tokio::time::sleep(life.saturating_sub(born.elapsed())).await;
        let busy = stage
            .number(&format!(
                "SELECT COUNT(*) FROM jobs WHERE lease_until >= {}",
                chrono::Utc::now().timestamp()
            ))
            .await;
        mid_job += usize::from(busy > 0);
        kill(child);
        child = stage.spawn();
    }

    // The last bot is left alone: it must finish everything its predecessors left.
    let resumed = Instant::now();
    let all_in = wait_for(Duration::from_secs(120), || async {
        let imported = stage.imported().await;
        let pending = stage
            .number(
                "SELECT COUNT(*) FROM deliveries WHERE state IN ('pending', 'claimed', 'sending')",
            )
            .await;
        let actions = stage
            .number("SELECT COUNT(*) FROM jobs WHERE kind = 'order-action' AND state = 'ready'")
            .await;
        placed.iter().all(|(p, _)| imported.contains_key(p)) && pending == 0 && actions == 0
    })
    .await;
    let drained = resumed.elapsed();
    kill(child);
    assert!(
        all_in,
        "the last bot finished its predecessors' work: {}",
        stage.log_tail()
    );

    // Every order once.
    let imported = stage.imported().await;
    let doubled: Vec<_> = imported.iter().filter(|(_, (n, _))| *n != 1).collect();
    assert!(doubled.is_empty(), "orders imported twice: {doubled:?}");
    let mut delays: Vec<i64> = placed.iter().map(|(p, at)| imported[p].1 - at).collect();
    delays.sort_unstable();

    // Every new-order alert once, or in doubt where a kill cut its message short.
    let texts = stage.group_texts();
    let in_doubt = stage
        .number("SELECT COUNT(*) FROM deliveries WHERE state = 'unknown'")
        .await;
    let mut missing = Vec::new();
    for (posting, _) in &placed {
        let told = texts
            .iter()
            .filter(|t| t.contains(order_number(posting)))
            .count();
        assert!(told <= 1, "{posting} was told {told} times: {texts:#?}");
        if told == 0 {
            missing.push(posting.clone());
        }
    }
    assert!(
        i64::try_from(missing.len()).unwrap_or(i64::MAX) <= in_doubt,
        "alerts missing beyond the {in_doubt} cut short by a kill: {missing:?} in {texts:#?}; placed {}: {}",
        placed.len(),
        stage.log_tail()
    );
    assert!(
        in_doubt <= i64::try_from(KILLS).unwrap_or(i64::MAX),
        "at most the message in flight at each kill is in doubt"
    );

    // Every pressed Assemble reached the marketplace once and took effect.
    let ships = stage.sandboxes.ozon.recorder().exchanges();
    for posting in &pressed {
        let sent = ships
            .iter()
            .filter(|x| x.path == "/v4/posting/fbs/ship")
            .filter(|x| {
                x.request
                    .as_ref()
                    .is_some_and(|r| r["posting_number"].as_str() == Some(posting))
            })
            .count();
        assert_eq!(sent, 1, "{posting} asked to be assembled once on Ozon");
        assert_eq!(
            stage.sandboxes.ozon.posting_status(posting).as_deref(),
            Some("awaiting_deliver"),
            "{posting} is assembled"
        );
    }
    assert!(
        stage.double.violations().is_empty(),
        "{:#?}",
        stage.double.violations()
    );
    let median = delays.get(delays.len() / 2).copied().unwrap_or_default();
    let max = delays.last().copied().unwrap_or_default();
    println!(
        "killed {KILLS} times ({mid_job} in the middle of a job): {} orders placed, {} assembled by a press, {} alerts in doubt; \
         import delay median {median} s, max {max} s; the last bot finished in {:.1} s \
         (bound: the 30 s lease + a 5 s poll)",
        placed.len(),
        pressed.len(),
        in_doubt,
        drained.as_secs_f64()
    );
    assert!(
        max <= 75,
        "an order waited {max} s to be imported (a restarted bot takes over within the 30 s lease)"
    );
}

/// Two bots on one database share the queue: a dozen cabinets' first jobs (the sandbox
/// answering slowly) are taken by both; one is killed mid-batch and the other finishes
/// everything after the lease. Every job ran, and only the one in flight at the kill ran
/// twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bots_share_the_queue_and_a_killed_ones_work_is_taken_over() {
    let mut stage = Stage::new(86_400, 150).await;
    // One job at a time each (the many-lanes case is `two_bots.rs`).
    stage.env.push(("MPBOT_LANES", "1".to_owned()));
    let anna = SimUser::new(1001, "Anna", "en");
    let first = stage.first_bot(&anna).await;
    let ws = mpbot::domain::WorkspaceId(1);
    let now = chrono::Utc::now().timestamp();
    for nth in 1..=12 {
        seed_cabinet(
            &stage.db,
            &stage.test_db.vault,
            ws,
            Marketplace::Ozon,
            &format!("Ozon {nth}"),
            (now, false, nth),
        )
        .await;
    }
    let second = stage.spawn();
    // Both take jobs; the first dies in the middle of one (a lease its process holds: a
    // worker's name starts with its process id).
    let first_pid = first.id();
    let mid_job = wait_for(Duration::from_secs(60), || async {
        stage
            .number(&format!(
                "SELECT COUNT(*) FROM jobs WHERE lease_owner LIKE '{first_pid}-%' AND lease_until >= {}",
                chrono::Utc::now().timestamp()
            ))
            .await
            > 0
    })
    .await;
    assert!(mid_job, "the first bot took one of the new jobs");
    kill(first);
    let killed_at = Instant::now();
    let done = wait_for(Duration::from_secs(150), || async {
        stage
            .number("SELECT COUNT(*) FROM jobs WHERE runs = 0 OR lease_owner IS NOT NULL")
            .await
            == 0
    })
    .await;
    let twice = stage
        .number("SELECT COUNT(*) FROM jobs WHERE period_secs IS NOT NULL AND runs > 1")
        .await;
    let cabinets = stage
        .number("SELECT COUNT(DISTINCT cabinet_id) FROM jobs WHERE period_secs IS NOT NULL AND runs >= 1")
        .await;
    kill(second);
    println!(
        "two bots: killed mid-job; the survivor finished {:.1} s later; {twice} job ran twice",
        killed_at.elapsed().as_secs_f64()
    );
    assert!(
        done,
        "the second bot finished the first one's work: {}",
        stage.log_tail()
    );
    assert_eq!(cabinets, 13, "every cabinet's jobs ran");
    assert_eq!(
        twice, 1,
        "the job in flight at the kill ran again, and only it"
    );
}
