//! The `mpbot` command line: run the bot, apply migrations, or try it in a console.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use mpbot::clock::SystemClock;
use mpbot::config::{Config, DATABASE_URL_VAR, DEFAULT_DATABASE_URL};
use mpbot::storage::{Db, preflight, redact_url};

#[derive(Parser)]
#[command(
    name = "mpbot",
    version,
    about = "Marketplace operations (Ozon, Wildberries, Yandex Market) from a Telegram bot"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the bot with long polling (the default). Reads MPBOT_TELEGRAM_TOKEN (or
    /// TELOXIDE_TOKEN), MPBOT_TELEGRAM_API_URL (default: the real Bot API) and DATABASE_URL
    /// (default: the SQLite file mpbot.db in the working directory); MPBOT_SMTP_URL and
    /// MPBOT_SMTP_FROM when alerts may go by e-mail.
    Run,
    /// Apply the database migrations (DATABASE_URL) and exit.
    Migrate,
    /// Re-seal every stored marketplace key under a new master key. With a key file, a new
    /// key is generated and replaces the file; with MPBOT_SECRET_KEY, the new key is read
    /// from MPBOT_NEW_SECRET_KEY and you set MPBOT_SECRET_KEY to it afterwards.
    RotateKey,
    /// Run the marketplace sandboxes (Ozon, Wildberries, Yandex Market, Nova Poshta) on
    /// loopback until interrupted. Prints one `NAME URL` line per API family, then the demo
    /// credentials each sandbox accepts. Point the bot at them with MPBOT_OZON_URL,
    /// MPBOT_WB_<FAMILY>_URL, MPBOT_YM_URL and MPBOT_NOVAPOSHTA_URL.
    Sandbox {
        /// Seed of the generated data (same seed, same data).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Products per marketplace.
        #[arg(long, default_value_t = 40)]
        products: usize,
        /// New orders per hour per marketplace.
        #[arg(long, default_value_t = 6)]
        orders_per_hour: u32,
    },
    /// Try the bot in a terminal without a token: the real bot talks over loopback HTTP to
    /// a built-in Telegram double and to the marketplace sandboxes. Each stdin line is a
    /// message from the user; `#N` presses button N of the latest message with buttons;
    /// `@PATH` sends a file; `:as ID` switches user; `:group` / `:private` switch chats;
    /// `:sleep S` waits. The bot's side is printed as `bot> ` lines, buttons as `  [N] label`.
    Console {
        /// Keep the database in this SQLite file (default: a temporary one).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Where files the bot sends are saved.
        #[arg(long, default_value = "./console-out")]
        out: PathBuf,
        /// The user's Telegram language.
        #[arg(long, value_enum, default_value_t = LangArg::Ru)]
        lang: LangArg,
        /// New orders per hour per marketplace in the sandboxes.
        #[arg(long, default_value_t = 6)]
        orders_per_hour: u32,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Ru,
    En,
}

fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MPBOT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colour codes only for a person at a terminal, never into a file or a log collector.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}

fn database_url() -> String {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Cmd::Run) {
        Cmd::Run => {
            init_logging("info,teloxide=warn,sqlx=warn");
            let config = match Config::from_env() {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("mpbot: {e}");
                    return ExitCode::from(2);
                }
            };
            run(config).await
        }
        Cmd::Migrate => {
            init_logging("info,sqlx=warn");
            let url = database_url();
            match Db::connect(&url).await {
                Ok(db) => match db.migrate().await {
                    Ok(()) => {
                        println!("migrations applied to {}", redact_url(&url));
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(&e),
                },
                Err(e) => fail(&e),
            }
        }
        Cmd::RotateKey => {
            init_logging("warn");
            let url = database_url();
            let db = match Db::connect(&url).await {
                Ok(db) => db,
                Err(e) => return fail(&e),
            };
            if let Err(e) = db.migrate().await {
                return fail(&e);
            }
            let env_key = std::env::var(mpbot::secrets::KEY_VAR).ok();
            let env_new = std::env::var(mpbot::secrets::NEW_KEY_VAR).ok();
            let result = mpbot::app::cabinets::rotate_master_key(
                &db,
                &url,
                env_key.as_deref(),
                env_new.as_deref(),
            )
            .await;
            db.close().await;
            match result {
                Ok(r) => {
                    println!(
                        "re-sealed {} secret(s): key {} replaced by key {}",
                        r.resealed, r.old_key, r.new_key
                    );
                    match r.file {
                        Some(f) => println!("the new key is in {}", f.display()),
                        None => println!(
                            "now set {} to the value of {}",
                            mpbot::secrets::KEY_VAR,
                            mpbot::secrets::NEW_KEY_VAR
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Cmd::Sandbox {
            seed,
            products,
            orders_per_hour,
        } => {
            init_logging("warn");
            let clock: mpbot::clock::SharedClock = Arc::new(SystemClock);
            let opts = mpbot::sandbox::SeedOptions {
                seed,
                products,
                orders_per_hour,
            };
            match mpbot::sandbox::Sandboxes::start(clock, opts).await {
                Ok(s) => {
                    s.list_shared_goods(seed, 12);
                    use std::io::Write;
                    print!("{}", s.describe());
                    let _ = std::io::stdout().flush();
                    let _ = tokio::signal::ctrl_c().await;
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Cmd::Console {
            db,
            out,
            lang,
            orders_per_hour,
        } => {
            init_logging("warn,teloxide=error");
            let lang = match lang {
                LangArg::Ru => mpbot::domain::Lang::Ru,
                LangArg::En => mpbot::domain::Lang::En,
            };
            let opts = mpbot::console::ConsoleOptions {
                db,
                out_dir: out,
                lang,
                orders_per_hour,
            };
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            match mpbot::console::run(opts, stdin, std::io::stdout()).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("mpbot console: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("mpbot: {e}");
    ExitCode::FAILURE
}

async fn run(config: Config) -> ExitCode {
    let catalogue = match mpbot::marketplaces::endpoints::Catalogue::from_env() {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("mpbot: {e}");
            return ExitCode::from(2);
        }
    };
    // A missing, empty, damaged or locked SQLite file is said at once, before anything
    // would create a new one or wait for a pool that cannot open it.
    let markers = [mpbot::secrets::key_file_for(&config.database_url)];
    let allow_new = std::env::var(preflight::NEW_DATABASE_VAR).is_ok_and(|v| v.trim() == "1");
    if let Err(e) = preflight::check(&config.database_url, &markers, allow_new).await {
        eprintln!("mpbot: {e}");
        return ExitCode::from(2);
    }
    let db = match Db::connect(&config.database_url).await {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    tracing::info!(database = %redact_url(&config.database_url), "starting");
    let watch = preflight::FileWatch::of(&config.database_url);
    let env_key = std::env::var(mpbot::secrets::KEY_VAR).ok();
    let vault = match mpbot::secrets::load(env_key.as_deref(), &config.database_url) {
        Ok((vault, source)) => {
            log_key_source(&source, vault.key_id());
            Arc::new(vault)
        }
        Err(e) => {
            eprintln!("mpbot: {e}");
            return ExitCode::from(2);
        }
    };
    // E-mail is offered only when the deployment names an SMTP server.
    let mailer = match std::env::var("MPBOT_SMTP_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        None => None,
        Some(url) => {
            let from = std::env::var("MPBOT_SMTP_FROM").unwrap_or_default();
            match mpbot::mail::Mailer::new(&url, &from) {
                Ok(m) => Some(Arc::new(m)),
                Err(e) => {
                    eprintln!("mpbot: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    };
    let opts = mpbot::startup::AppOptions {
        mailer,
        token: config.token,
        api_url: config.api_url,
        db,
        clock: Arc::new(SystemClock),
        polling_timeout: Duration::from_secs(30),
        // Jobs are due every minute or so; a pass looks for them every few seconds.
        scheduler_period: Some(Duration::from_secs(5)),
        keep_days: config.keep_days,
        lanes: config.lanes,
        ctrlc: true,
        catalogue,
        vault,
        telegram_limits: mpbot::ratelimit::TelegramLimits::TELEGRAM,
    };
    match mpbot::startup::start(opts).await {
        Ok(app) => {
            tracing::info!("bot is running; Ctrl-C stops it");
            let lost = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let watching = watch.map(|w| watch_database(w, app.shutdown_token(), lost.clone()));
            app.wait().await;
            if let Some(w) = watching {
                w.abort();
            }
            if lost.load(std::sync::atomic::Ordering::SeqCst) {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => fail(&e),
    }
}

/// Stops the bot when its database file is deleted or replaced while it runs: what it
/// wrote from then on would go into a file nobody can open again. The task ends only then.
fn watch_database(
    watch: preflight::FileWatch,
    shutdown: teloxide::dispatching::ShutdownToken,
    lost: Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            if !watch.intact() {
                tracing::error!(
                    file = %watch.path().display(),
                    "the database file was deleted or replaced while the bot ran; stopping so that nothing more is written where it cannot be found. Restore the file and start again"
                );
                lost.store(true, std::sync::atomic::Ordering::SeqCst);
                if let Ok(stopped) = shutdown.shutdown() {
                    stopped.await;
                }
                return;
            }
        }
    })
}

/// Says where the master key came from: its id and file, never the key.
fn log_key_source(source: &mpbot::secrets::KeySource, id: &str) {
    match source {
        mpbot::secrets::KeySource::Env => {
            tracing::info!(key_id = id, "master key from {}", mpbot::secrets::KEY_VAR);
        }
        mpbot::secrets::KeySource::File { path, created } => {
            if *created {
                tracing::warn!(
                    key_id = id,
                    file = %path.display(),
                    "{} is unset: generated a master key file (0600); back it up, without it the stored keys cannot be read",
                    mpbot::secrets::KEY_VAR
                );
            } else {
                tracing::info!(key_id = id, file = %path.display(), "master key from file");
            }
        }
    }
}
