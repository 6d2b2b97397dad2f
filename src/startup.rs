//! Building and running the app: database, services, the dispatcher with long polling,
//! and the scheduler loop, all under one shutdown.

use std::sync::Arc;
use std::time::Duration;

use teloxide::dispatching::ShutdownToken;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;

use crate::app::Services;
use crate::bot::{self, Activity, DialogueStorage, State};
use crate::clock::SharedClock;
use crate::config::BotToken;
use crate::domain::{Lang, TgUserId};
use crate::i18n::{I18n, msg};
use crate::storage::Db;
use crate::storage::dialogues::DialogueStore;

/// How the app is put together.
pub struct AppOptions {
    pub token: BotToken,
    pub api_url: Option<reqwest::Url>,
    pub db: Db,
    pub clock: SharedClock,
    /// How long one getUpdates call may wait.
    pub polling_timeout: Duration,
    /// The scheduler period; `None` runs no background scheduler (tests drive it).
    pub scheduler_period: Option<Duration>,
    /// Days finished jobs and told alerts are kept (`MPBOT_KEEP_DAYS`).
    pub keep_days: i64,
    /// Background jobs run at once (`MPBOT_LANES`).
    pub lanes: usize,
    /// Stop on Ctrl-C (the `run` command).
    pub ctrlc: bool,
    /// Marketplace base URLs; overrides from the database are loaded into it at start.
    pub catalogue: Arc<crate::marketplaces::endpoints::Catalogue>,
    /// The master key(s) credentials are sealed with.
    pub vault: Arc<crate::secrets::Vault>,
    /// The pace kept towards Telegram (its published limits, looser in long test replays).
    pub telegram_limits: crate::ratelimit::TelegramLimits,
    /// The SMTP server alerts and codes go out by (`MPBOT_SMTP_URL`), if any.
    pub mailer: Option<Arc<crate::mail::Mailer>>,
}

/// Why the app did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("Telegram rejected the bot token (check MPBOT_TELEGRAM_TOKEN)")]
    TokenRejected,
    #[error("cannot reach the Telegram Bot API: {0}")]
    Telegram(teloxide::RequestError),
    #[error(transparent)]
    Locales(#[from] crate::i18n::LocaleError),
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
    #[error(
        "the stored marketplace keys were sealed with master key {stored}, but key {loaded} is loaded: \
         set {var} (or the key file) to the key they were sealed with",
        var = crate::secrets::KEY_VAR
    )]
    WrongMasterKey { stored: String, loaded: String },
}

/// A running app.
pub struct RunningApp {
    pub svc: Arc<Services>,
    pub activity: Arc<Activity>,
    pub bot: Bot,
    shutdown: ShutdownToken,
    dispatcher: tokio::task::JoinHandle<()>,
    scheduler: Option<tokio::task::JoinHandle<()>>,
    scheduler_stop: tokio::sync::watch::Sender<bool>,
}

/// How much longer than a long poll the HTTP client waits for its answer: Telegram answers
/// an idle poll only when its timeout has passed, and a client that gives up first polls
/// again while the server still holds the last poll (409) and backs off for up to a minute.
pub const POLL_MARGIN: Duration = Duration::from_secs(15);

/// The teloxide bot for a token and an optional Bot API base URL, whose HTTP client waits
/// for a long poll of `polling_timeout` to its end.
pub fn make_bot(token: &BotToken, api_url: Option<reqwest::Url>, polling_timeout: Duration) -> Bot {
    let client = teloxide::net::default_reqwest_settings()
        .timeout(polling_timeout + POLL_MARGIN)
        .build();
    let bot = match client {
        Ok(client) => Bot::with_client(token.expose(), client),
        Err(e) => {
            tracing::error!(error = %e, "could not build the Telegram HTTP client; using teloxide's");
            Bot::new(token.expose())
        }
    };
    match api_url {
        Some(url) => bot.set_api_url(url),
        None => bot,
    }
}

/// Starts the app: migrations, a token check, default command menus, the dispatcher and
/// the scheduler.
pub async fn start(opts: AppOptions) -> Result<RunningApp, StartError> {
    opts.db.migrate().await?;
    check_master_key(&opts.db, &opts.vault).await?;
    let i18n = Arc::new(I18n::load()?);
    let bot = make_bot(&opts.token, opts.api_url.clone(), opts.polling_timeout);
    match bot.get_me().await {
        Ok(_) => {}
        Err(teloxide::RequestError::Api(teloxide::ApiError::InvalidToken)) => {
            return Err(StartError::TokenRejected);
        }
        Err(teloxide::RequestError::Api(teloxide::ApiError::Unknown(d)))
            if d.contains("Unauthorized") || d.contains("Not Found") =>
        {
            return Err(StartError::TokenRejected);
        }
        Err(e) => return Err(StartError::Telegram(e)),
    }
    bot::menu::set_defaults(&bot, &i18n)
        .await
        .map_err(StartError::Telegram)?;

    opts.catalogue.set_overrides(
        crate::storage::api_overrides::of(&opts.db, crate::storage::api_overrides::DEPLOYMENT)
            .await?,
    );
    let mut svc = Services::new(
        opts.db.clone(),
        opts.clock.clone(),
        i18n,
        opts.catalogue.clone(),
        opts.vault.clone(),
    );
    svc.telegram = crate::ratelimit::ChatPace::new(opts.telegram_limits);
    svc.keep_finished_secs = opts.keep_days * 86_400;
    svc.lanes = opts.lanes.max(1);
    svc.mailer = opts.mailer.clone();
    let svc = Arc::new(svc);
    // The bot names its dialogue storage only as `DialogueStorage`: ours is wired in here.
    let storage: Arc<DialogueStorage> = Arc::new(DialogueStore::<State>::new(
        opts.db.clone(),
        opts.clock.clone(),
    ));
    let activity = Arc::new(Activity::default());

    let mut builder = Dispatcher::builder(bot.clone(), bot::schema(activity.clone()))
        .dependencies(dptree::deps![svc.clone(), storage])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text(
            "an update handler failed",
        ));
    if opts.ctrlc {
        builder = builder.enable_ctrlc_handler();
    }
    let mut dispatcher = builder.build();
    let shutdown = dispatcher.shutdown_token();
    let listener = Polling::builder(bot.clone())
        .timeout(opts.polling_timeout)
        .delete_webhook()
        .await
        .build();
    let dispatcher = tokio::spawn(async move {
        dispatcher
            .dispatch_with_listener(
                listener,
                LoggingErrorHandler::with_custom_text("getting updates failed"),
            )
            .await;
    });

    let (scheduler_stop, stop) = tokio::sync::watch::channel(false);
    let scheduler = opts.scheduler_period.map(|period| {
        let svc = svc.clone();
        let bot = bot.clone();
        let passes = crate::sync::run_forever(svc.clone(), period, stop.clone(), {
            let svc = svc.clone();
            let bot = bot.clone();
            move |report| {
                let svc = svc.clone();
                let bot = bot.clone();
                async move { tell_expired(&bot, &svc, &report).await }
            }
        });
        // The alert sender is a task of its own: what a job raises goes out within a
        // second, not after the whole pass.
        tokio::spawn(async move {
            tokio::join!(passes, send_forever(bot, svc, stop));
        })
    });
    Ok(RunningApp {
        svc,
        activity,
        bot,
        shutdown,
        dispatcher,
        scheduler,
        scheduler_stop,
    })
}

/// Refuses to start with a master key that opens none of the stored keys, instead of
/// failing on every cabinet later.
async fn check_master_key(db: &Db, vault: &crate::secrets::Vault) -> Result<(), StartError> {
    let Some((ws, sealed)) = crate::storage::cabinets::newest_sealed(db).await? else {
        return Ok(());
    };
    match vault.open(&sealed, &crate::app::cabinets::cabinet_context(ws)) {
        Err(crate::secrets::VaultError::UnknownKey(stored)) => Err(StartError::WrongMasterKey {
            stored,
            loaded: vault.key_id().to_owned(),
        }),
        _ => Ok(()),
    }
}

/// How often the alert sender looks for what is due.
pub const SENDER_TICK: Duration = Duration::from_secs(1);

/// The alert sender's loop: everything due goes out each tick, and as soon as a job that
/// may have raised alerts ends, until `stop`.
async fn send_forever(bot: Bot, svc: Arc<Services>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(SENDER_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = svc.sender_woken() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        deliver_alerts(&bot, &svc).await;
    }
}

/// Delivers the alerts due now (what a pass raised, and any still waiting).
pub async fn deliver_alerts(bot: &Bot, svc: &Arc<Services>) -> crate::notify::Report {
    let teller = crate::bot::alerts::Teller::new(bot.clone(), svc.clone());
    let sender = crate::notify::Sender::new(teller, svc.clone());
    let mut report = match sender.deliver_due().await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "delivering alerts failed");
            crate::notify::Report::default()
        }
    };
    match sender.deliver_mail_due().await {
        Ok(n) => report.mailed = n,
        Err(e) => tracing::error!(error = %e, "sending alert mail failed"),
    }
    report
}

/// Tells each chat whose dialogue the scheduler expired.
pub async fn tell_expired(bot: &Bot, svc: &Arc<Services>, report: &crate::sync::Report) {
    for chat in &report.expired_dialogues {
        let lang = match svc.session().user_lang(TgUserId(*chat)).await {
            Ok(Some(l)) => l,
            _ => Lang::default(),
        };
        let out = bot::out::Out::new(bot.clone(), svc.clone(), ChatId(*chat), lang);
        if let Err(e) = out.say(msg("dialogue-expired")).await {
            tracing::warn!(chat, error = %e, "could not tell a chat its dialogue expired");
        }
    }
}

impl RunningApp {
    /// What stops the dispatcher from outside (the database file watch).
    pub fn shutdown_token(&self) -> ShutdownToken {
        self.shutdown.clone()
    }

    /// Runs one scheduler pass now and delivers what it reports (tests and transcripts).
    pub async fn run_scheduler_once(
        &self,
    ) -> Result<crate::sync::Report, crate::storage::StorageError> {
        let mut report = crate::sync::run_due(&self.svc).await?;
        tell_expired(&self.bot, &self.svc, &report).await;
        report.alerts = deliver_alerts(&self.bot, &self.svc).await;
        Ok(report)
    }

    /// Waits until the dispatcher stops (Ctrl-C in `run`).
    pub async fn wait(mut self) {
        let _ = (&mut self.dispatcher).await;
        self.stop_scheduler().await;
    }

    /// Stops the scheduler after the pass in flight (waiting at most a minute for it).
    async fn stop_scheduler(&mut self) {
        let _ = self.scheduler_stop.send(true);
        if let Some(mut s) = self.scheduler.take()
            && tokio::time::timeout(Duration::from_secs(60), &mut s)
                .await
                .is_err()
        {
            // Its jobs keep their leases until they run out; another pass takes them then.
            s.abort();
        }
    }

    /// Stops taking updates, lets running handlers finish, and stops the scheduler.
    pub async fn stop(mut self) {
        self.stop_scheduler().await;
        // Wait for the dispatcher task itself: teloxide's "shut down" notification is lost
        // when the dispatcher finishes before its future is first polled.
        if self.shutdown.shutdown().is_ok() {
            // Long polling returns within its timeout; do not wait longer than that.
            let _ = tokio::time::timeout(Duration::from_secs(15), &mut self.dispatcher).await;
        }
        self.dispatcher.abort();
    }
}
