//! `mpbot console`: the real bot talking over loopback HTTP to the built-in Telegram
//! double. Reads the user's side of the chat from stdin, prints the bot's side to stdout.
//!
//! Input: a line of text is a message; `#N` presses button N of the latest message with
//! buttons; `@PATH` sends a file as a document; `:as ID` switches user; `:group` and
//! `:private` switch chats; `:sleep S` waits S seconds; `:run` runs the scheduler once as if
//! every job were due; `:clock +2h` moves the clock of the bot and the sandboxes on.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::clock::{SharedClock, ShiftedClock};
use crate::domain::Lang;
use crate::sandbox::harness::Harness;
use crate::sandbox::telegram::{Event, SentFile, SimChat, SimUser};
use crate::sandbox::{Sandboxes, SeedOptions};
use crate::storage::Db;

/// The console's settings.
pub struct ConsoleOptions {
    pub db: Option<PathBuf>,
    pub out_dir: PathBuf,
    pub lang: Lang,
    /// New orders per hour per marketplace in the sandboxes.
    pub orders_per_hour: u32,
}

/// The group used by `:group`.
pub const GROUP_ID: i64 = -1_001_000_000_001;
/// The first user of a console session.
pub const FIRST_USER: i64 = 1001;
const IDLE_LIMIT: Duration = Duration::from_secs(30);

struct Session {
    clock: ShiftedClock,
    user: SimUser,
    chat: SimChat,
    lang: Lang,
    groups_joined: HashSet<i64>,
    printed: usize,
    /// Mails already printed.
    mailed: usize,
    saved: usize,
    out_dir: PathBuf,
}

fn sim_user(id: i64, lang: Lang) -> SimUser {
    let name = match (id, lang) {
        (FIRST_USER, Lang::Ru) => "Анна".to_owned(),
        (FIRST_USER, Lang::En) => "Anna".to_owned(),
        (id, _) => format!("User {id}"),
    };
    SimUser::new(id, &name, lang.code())
}

/// Runs a console session over `input`, writing the bot's side to `output`.
/// Goods the console's sandboxes sell on all three marketplaces alike.
const SHARED_GOODS: usize = 12;

pub async fn run<R, W>(opts: ConsoleOptions, input: R, mut output: W) -> anyhow::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: Write,
{
    let tmp = tempfile::tempdir()?;
    let db_path = opts
        .db
        .clone()
        .unwrap_or_else(|| tmp.path().join("console.db"));
    let db = Db::connect(&Db::sqlite_url(&db_path)).await?;
    let shifted = ShiftedClock::default();
    let clock: SharedClock = Arc::new(shifted.clone());
    let seed = SeedOptions {
        orders_per_hour: opts.orders_per_hour,
        ..SeedOptions::default()
    };
    let sandboxes = Sandboxes::start(clock.clone(), seed).await?;
    sandboxes.list_shared_goods(seed.seed, SHARED_GOODS);
    write!(output, "{}", sandboxes.describe())?;
    let catalogue = Arc::new(sandboxes.catalogue());
    let env_key = std::env::var(crate::secrets::KEY_VAR).ok();
    let (vault, _) = crate::secrets::load(env_key.as_deref(), &Db::sqlite_url(&db_path))?;
    // Mail goes to an SMTP server on loopback; what it receives is printed as `mail>`.
    let smtp = crate::sandbox::smtp::SmtpSandbox::start().await?;
    let mailer = crate::mail::Mailer::new(&smtp.url, "mpbot@console.example")
        .map(Arc::new)
        .ok();
    let harness = Harness::start(
        db.clone(),
        clock,
        None,
        Some(Duration::from_secs(60)),
        catalogue,
        Arc::new(vault),
        // The double is on loopback and a script types fast: Telegram's per-chat pace
        // would only slow the try-out down.
        (crate::ratelimit::TelegramLimits::LOOSE, mailer),
    )
    .await?;
    eprintln!(
        "mpbot console: type a message; #N presses a button, @PATH sends a file, :as ID, :group, :private, :sleep S, :run, :clock +2h"
    );

    let mut s = Session {
        clock: shifted,
        user: sim_user(FIRST_USER, opts.lang),
        chat: SimChat::Private,
        lang: opts.lang,
        groups_joined: HashSet::new(),
        printed: 0,
        mailed: 0,
        saved: 0,
        out_dir: opts.out_dir.clone(),
    };
    let mut lines = input.lines();
    while let Some(line) = lines.next_line().await? {
        let line = line.trim_end_matches('\r');
        if let Err(e) = step(&harness, &mut s, line).await {
            writeln!(output, "! {e}")?;
        }
        harness.wait_idle(IDLE_LIMIT).await?;
        print_new(&harness, &mut s, &mut output)?;
        print_mail(&smtp, &mut s, &mut output)?;
    }
    harness.wait_idle(IDLE_LIMIT).await?;
    print_new(&harness, &mut s, &mut output)?;
    print_mail(&smtp, &mut s, &mut output)?;
    harness.stop().await;
    db.close().await;
    Ok(())
}

async fn step(h: &Harness, s: &mut Session, line: &str) -> anyhow::Result<()> {
    let chat_id = match &s.chat {
        SimChat::Private => s.user.id,
        SimChat::Group { id, .. } => *id,
    };
    if let Some(n) = line.strip_prefix('#') {
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("#N needs a button number"))?;
        let (message_id, _) = h
            .double
            .latest_with_buttons(chat_id)
            .ok_or_else(|| anyhow::anyhow!("no message with buttons here"))?;
        h.double
            .press(&s.user, chat_id, message_id, n)
            .map_err(|e| anyhow::anyhow!(e))?;
    } else if let Some(path) = line.strip_prefix('@') {
        let path = Path::new(path.trim());
        let bytes = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        h.double.send_document(&s.user, &s.chat, &name, bytes);
    } else if let Some(id) = line.strip_prefix(":as ") {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!(":as needs a numeric user id"))?;
        if id <= 0 {
            anyhow::bail!(":as needs a positive user id");
        }
        s.user = sim_user(id, s.lang);
    } else if line.trim() == ":group" {
        let title = match s.lang {
            Lang::Ru => "Склад",
            Lang::En => "Warehouse",
        };
        s.chat = SimChat::Group {
            id: GROUP_ID,
            title: title.into(),
        };
        if s.groups_joined.insert(GROUP_ID) {
            h.double.add_bot_to_group(&s.user, GROUP_ID, title);
        }
    } else if line.trim() == ":private" {
        s.chat = SimChat::Private;
    } else if let Some(secs) = line.strip_prefix(":sleep ") {
        let secs: f64 = secs
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!(":sleep needs seconds"))?;
        tokio::time::sleep(Duration::from_secs_f64(secs.clamp(0.0, 3600.0))).await;
    } else if line.trim() == ":run" {
        h.app.svc.jobs().make_jobs_due().await?;
        h.app.run_scheduler_once().await?;
        // A pass the background scheduler has in flight (labels being made) ends first,
        // and what it raised is delivered, so `:run` shows the outcome.
        let waited = std::time::Instant::now();
        while h.app.svc.jobs().jobs_in_flight().await? > 0 && waited.elapsed() < IDLE_LIMIT {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        h.app.run_scheduler_once().await?;
    } else if let Some(by) = line.strip_prefix(":clock ") {
        s.clock.advance(parse_shift(by)?);
    } else if line.starts_with(':') {
        anyhow::bail!("unknown console command {line:?}");
    } else if !line.trim().is_empty() {
        h.double.send_text(&s.user, &s.chat, line);
    }
    Ok(())
}

/// `+2h`, `+30m`, `+1d`, `+90s` (a `-` moves back).
fn parse_shift(s: &str) -> anyhow::Result<chrono::Duration> {
    let s = s.trim();
    let bad = || anyhow::anyhow!(":clock needs a shift like +2h, +30m or +1d");
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let unit = rest.chars().last().ok_or_else(bad)?;
    let n: i64 = rest[..rest.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| bad())?;
    let secs = match unit {
        's' => n,
        'm' => n * 60,
        'h' => n * 3600,
        'd' => n * 86_400,
        _ => return Err(bad()),
    };
    Ok(chrono::Duration::seconds(
        sign * secs.clamp(0, 366 * 86_400),
    ))
}

fn print_buttons(
    out: &mut impl Write,
    rows: &[Vec<crate::sandbox::telegram::Button>],
) -> std::io::Result<()> {
    for (i, b) in rows.iter().flatten().enumerate() {
        writeln!(out, "  [{}] {}", i + 1, b.label)?;
    }
    Ok(())
}

fn save(s: &mut Session, kind: &str, f: &SentFile, out: &mut impl Write) -> anyhow::Result<()> {
    std::fs::create_dir_all(&s.out_dir)?;
    s.saved += 1;
    let safe: String = f
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = s.out_dir.join(format!("{:03}-{safe}", s.saved));
    std::fs::write(&path, &f.bytes)?;
    writeln!(
        out,
        "  ({kind} {}, {} bytes, saved to {})",
        f.name,
        f.bytes.len(),
        path.display()
    )?;
    Ok(())
}

/// What the SMTP server received since the last call, as `mail> TO: TEXT` lines.
fn print_mail(
    smtp: &crate::sandbox::smtp::SmtpSandbox,
    s: &mut Session,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mails = smtp.mails();
    for m in mails.iter().skip(s.mailed) {
        let text = m.text().replace("\r\n", "\n");
        writeln!(out, "mail> {}: {}", m.to.join(", "), text.trim_end())?;
    }
    s.mailed = mails.len();
    Ok(())
}

fn print_new(h: &Harness, s: &mut Session, out: &mut impl Write) -> anyhow::Result<()> {
    let (events, next) = h.double.events_since(s.printed);
    s.printed = next;
    let current = match &s.chat {
        SimChat::Private => s.user.id,
        SimChat::Group { id, .. } => *id,
    };
    for e in events {
        let prefix = if e.chat_id() == current {
            "bot> ".to_owned()
        } else {
            format!("bot[{}]> ", e.chat_id())
        };
        match e {
            Event::Message {
                text,
                buttons,
                document,
                photo,
                ..
            } => {
                if !text.is_empty() || (document.is_none() && photo.is_none()) {
                    writeln!(out, "{prefix}{text}")?;
                } else {
                    writeln!(out, "{prefix}")?;
                }
                if let Some(d) = &document {
                    save(s, "document", d, out)?;
                }
                if let Some(p) = &photo {
                    save(s, "photo", p, out)?;
                }
                print_buttons(out, &buttons)?;
            }
            Event::Edited { text, buttons, .. } => {
                if let Some(t) = text {
                    writeln!(out, "{prefix}(edited) {t}")?;
                }
                print_buttons(out, &buttons)?;
            }
            Event::Deleted { message_id, .. } => {
                writeln!(out, "{prefix}(deleted message {message_id})")?
            }
            Event::CallbackAnswer { text: Some(t), .. } => writeln!(out, "{prefix}(notice) {t}")?,
            Event::CallbackAnswer { text: None, .. } => {}
        }
    }
    out.flush()?;
    Ok(())
}
