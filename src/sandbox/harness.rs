//! The real app wired to the Telegram double on loopback, with a way to wait until the
//! bot has handled everything it was sent. Shared by `mpbot console` and the tests.

use std::sync::Arc;
use std::time::Duration;

use crate::marketplaces::endpoints::Catalogue;

use crate::clock::SharedClock;
use crate::config::BotToken;
use crate::ratelimit::TelegramLimits;
use crate::sandbox::telegram::{DEFAULT_TOKEN, TelegramDouble, Validator};
use crate::startup::{self, AppOptions, RunningApp, StartError};
use crate::storage::Db;

/// The app and its Telegram double.
pub struct Harness {
    pub double: TelegramDouble,
    pub app: RunningApp,
    /// The pace kept towards the double (kept across restarts).
    limits: TelegramLimits,
    /// Updates handled by the apps stopped before this one (restarts).
    handled_before: u64,
    /// The SMTP server e-mail goes out by (kept across restarts).
    mailer: Option<Arc<crate::mail::Mailer>>,
}

/// The bot did not become idle in time.
#[derive(Debug, thiserror::Error)]
#[error("the bot did not finish handling its updates within {0:?} ({1} of {2} handled)")]
pub struct NotIdle(pub Duration, pub u64, pub u64);

impl Harness {
    /// Starts the double, then the app against it over loopback HTTP.
    pub async fn start(
        db: Db,
        clock: SharedClock,
        validator: Option<Validator>,
        scheduler: Option<Duration>,
        catalogue: Arc<Catalogue>,
        vault: Arc<crate::secrets::Vault>,
        (limits, mailer): (TelegramLimits, Option<Arc<crate::mail::Mailer>>),
    ) -> Result<Harness, StartError> {
        let double = TelegramDouble::start(DEFAULT_TOKEN, clock.clone(), validator)
            .await
            .map_err(|e| {
                StartError::Telegram(teloxide::RequestError::Io(std::sync::Arc::new(e)))
            })?;
        let token = BotToken::parse(DEFAULT_TOKEN).ok_or(StartError::TokenRejected)?;
        let api_url =
            crate::config::parse_api_url(&double.url()).map_err(|_| StartError::TokenRejected)?;
        let app = startup::start(AppOptions {
            token,
            api_url: Some(api_url),
            db,
            clock,
            polling_timeout: Duration::from_secs(5),
            scheduler_period: scheduler,
            keep_days: crate::app::KEEP_DAYS,
            // One job at a time: replays compare what the bot said in order. Lanes are
            // exercised by the tests that run `mpbot run` itself.
            lanes: 1,
            ctrlc: false,
            catalogue,
            vault,
            telegram_limits: limits,
            mailer: mailer.clone(),
        })
        .await?;
        Ok(Harness {
            double,
            app,
            limits,
            handled_before: 0,
            mailer,
        })
    }

    /// Waits until every injected update has been fetched and handled.
    pub async fn wait_idle(&self, limit: Duration) -> Result<(), NotIdle> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let seen = self.app.activity.finished();
            let injected = self.double.injected();
            if self.double.all_delivered() && self.handled_before + seen >= injected {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(NotIdle(limit, seen, injected));
            }
            let _ = tokio::time::timeout_at(
                deadline.min(tokio::time::Instant::now() + Duration::from_millis(200)),
                self.app.activity.wait_change(seen),
            )
            .await;
        }
    }

    /// Stops the app and starts it again against the same double and database, as a
    /// restart of the process would: chats, messages and buttons stay where they were.
    pub async fn restart(
        self,
        db: Db,
        clock: SharedClock,
        catalogue: Arc<Catalogue>,
        vault: Arc<crate::secrets::Vault>,
    ) -> Result<Harness, StartError> {
        let Harness {
            double,
            app,
            limits,
            handled_before,
            mailer,
        } = self;
        let handled_before = handled_before + app.activity.finished();
        double.release_polls();
        app.stop().await;
        double.reopen_polls();
        let token = BotToken::parse(DEFAULT_TOKEN).ok_or(StartError::TokenRejected)?;
        let api_url =
            crate::config::parse_api_url(&double.url()).map_err(|_| StartError::TokenRejected)?;
        let app = startup::start(AppOptions {
            token,
            api_url: Some(api_url),
            db,
            clock,
            polling_timeout: Duration::from_secs(5),
            scheduler_period: None,
            keep_days: crate::app::KEEP_DAYS,
            // One job at a time: replays compare what the bot said in order. Lanes are
            // exercised by the tests that run `mpbot run` itself.
            lanes: 1,
            ctrlc: false,
            catalogue,
            vault,
            telegram_limits: limits,
            mailer: mailer.clone(),
        })
        .await?;
        Ok(Harness {
            double,
            app,
            limits,
            handled_before,
            mailer,
        })
    }

    pub async fn stop(self) {
        self.double.release_polls();
        self.app.stop().await;
    }
}
