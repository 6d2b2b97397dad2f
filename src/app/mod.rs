//! Use cases called by the bot and the scheduler. Each checks the caller's role in the
//! workspace, does its work in one transaction and writes the audit log.

pub mod alerts;
pub mod api;
pub mod audit;
pub mod cabinets;
pub mod catalogue;
pub mod claims;
pub mod emails;
pub mod finance;
pub mod groups;
pub mod jobs;
pub mod labels;
pub mod lists;
pub mod order_actions;
pub mod orders;
pub mod prices;
pub mod quiet;
pub mod rooms;
pub mod rules;
pub mod session;
pub mod settings;
pub mod statuses;
pub mod stocks;
pub mod supplies;
pub mod team;
pub mod uploads;

pub use session::{Caller, StartOutcome};
pub use team::INVITE_TTL_SECS;

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::domain::{AuditAction, Permission, Role, TgUserId, WorkspaceId};
use crate::i18n::I18n;
use crate::storage::{Db, StorageError, workspaces};

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("the caller is not a member of this workspace")]
    NotMember,
    #[error("the invite is unknown, used or expired")]
    InviteInvalid,
    /// What the caller named does not exist in their workspace.
    #[error("not found in this workspace")]
    NotFound,
    /// The same account is already connected as the named cabinet.
    #[error("already connected")]
    Duplicate(String),
    #[error("a workspace keeps at least one owner")]
    LastOwner,
    /// Too late for this (an order past its annulment window).
    #[error("too late")]
    TooLate,
    /// A marketplace refused or did not answer.
    #[error(transparent)]
    Marketplace(#[from] crate::marketplaces::Error),
    #[error(transparent)]
    Vault(#[from] crate::secrets::VaultError),
    /// A file could not be made.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Storage(StorageError::Db(e))
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Shared services every use case and handler may need. The database is reached only
/// through the use cases, which check the caller's role and workspace.
pub struct Services {
    db: Db,
    pub clock: SharedClock,
    pub i18n: Arc<I18n>,
    /// Where each marketplace request goes (env base URLs + admin overrides).
    pub catalogue: Arc<crate::marketplaces::endpoints::Catalogue>,
    /// Seals and opens marketplace credentials.
    pub vault: Arc<crate::secrets::Vault>,
    /// The HTTP layer for interactive key checks: few, quick retries, since a user waits.
    pub verify_http: crate::marketplaces::http::Http,
    /// The HTTP layer for the scheduler's work: the default retry policy.
    pub sync_http: crate::marketplaces::http::Http,
    /// This process's name as a job worker (random), so leases tell processes apart.
    worker: String,
    /// Wakes the scheduler for work someone waits for (labels asked for in chat).
    wake: tokio::sync::Notify,
    /// Rung when work that may have raised alerts ends, so the sender goes at once.
    sender_wake: tokio::sync::Notify,
    /// The pace of everything sent to Telegram, shared by replies and alerts.
    pub telegram: crate::ratelimit::ChatPace,
    /// How long finished jobs and told alerts are kept before they are removed
    /// (`MPBOT_KEEP_DAYS`, 14 days by default).
    pub keep_finished_secs: i64,
    /// Background jobs run at once ([`LANES`] unless the deployment says otherwise).
    pub lanes: usize,
    /// The deployment's SMTP server (`MPBOT_SMTP_URL`), if it names one.
    pub mailer: Option<Arc<crate::mail::Mailer>>,
}

/// Finished work is kept this many days unless the deployment says otherwise.
pub const KEEP_DAYS: i64 = 14;

/// Background jobs a process runs at once unless the deployment says otherwise
/// (`MPBOT_LANES`): each runs on a cabinet no other job holds, so a slow marketplace holds
/// up only its own cabinets.
pub const LANES: usize = 8;

/// A member acting in a workspace: who, where, and with what role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: TgUserId,
    pub workspace: WorkspaceId,
    pub role: Role,
}

impl Actor {
    /// This actor, if they act in `workspace` (a dialogue begun there).
    pub fn in_workspace(self, workspace: i64) -> Option<Actor> {
        (self.workspace.0 == workspace).then_some(self)
    }

    pub fn require(&self, p: Permission) -> AppResult<()> {
        if self.role.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A random name for this process's job worker.
fn worker_name() -> String {
    let mut b = [0u8; 6];
    if getrandom::fill(&mut b).is_err() {
        b[..4].copy_from_slice(&std::process::id().to_le_bytes());
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{hex}", std::process::id())
}

/// Writes what `actor` did to their workspace's audit log.
pub(crate) async fn audit_by<'e, E>(
    exec: E,
    actor: Actor,
    action: AuditAction,
    note: &crate::domain::AuditNote,
    now: i64,
) -> AppResult<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    crate::storage::audit::record(
        exec,
        Some(actor.workspace),
        Some(actor.user),
        action,
        &note.to_stored(),
        now,
    )
    .await?;
    Ok(())
}

impl Services {
    /// Starts a scheduler pass now rather than at the next tick.
    pub fn wake_scheduler(&self) {
        self.wake.notify_one();
    }

    /// Resolves when someone asked for a pass now.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Tells the alert sender there may be something to send.
    pub fn wake_sender(&self) {
        self.sender_wake.notify_one();
    }

    /// Resolves when work that may have raised alerts ended.
    pub async fn sender_woken(&self) {
        self.sender_wake.notified().await;
    }

    pub fn new(
        db: Db,
        clock: SharedClock,
        i18n: Arc<I18n>,
        catalogue: Arc<crate::marketplaces::endpoints::Catalogue>,
        vault: Arc<crate::secrets::Vault>,
    ) -> Services {
        use crate::marketplaces::http::{Http, RetryPolicy};
        Services {
            db,
            clock,
            i18n,
            catalogue,
            vault,
            verify_http: Http::new(RetryPolicy {
                max_attempts: 2,
                base: std::time::Duration::from_millis(300),
                max_delay: std::time::Duration::from_secs(2),
            }),
            sync_http: Http::new(RetryPolicy::default()),
            worker: worker_name(),
            wake: tokio::sync::Notify::new(),
            sender_wake: tokio::sync::Notify::new(),
            telegram: crate::ratelimit::ChatPace::default(),
            keep_finished_secs: KEEP_DAYS * 86_400,
            lanes: LANES,
            mailer: None,
        }
    }

    fn now(&self) -> i64 {
        self.clock.unix()
    }

    /// A workspace's time zone (the default one if it is gone or names none we know).
    pub(crate) async fn zone_of(&self, ws: WorkspaceId) -> AppResult<crate::domain::Zone> {
        Ok(crate::domain::Zone::or_default(
            &workspaces::get(&self.db, ws)
                .await?
                .map(|w| w.time_zone)
                .unwrap_or_default(),
        ))
    }

    pub(crate) async fn workspace_name(&self, ws: WorkspaceId) -> AppResult<String> {
        Ok(workspaces::get(&self.db, ws)
            .await?
            .map(|w| w.name)
            .unwrap_or_default())
    }
}
