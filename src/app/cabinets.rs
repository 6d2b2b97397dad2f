//! Cabinet use cases (F1): checking keys live, connecting, renaming, enabling, choosing
//! the main cabinet, replacing keys and deleting. Credentials are sealed before they
//! touch the database and opened only to build a client.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Actor, AppError, AppResult};
use crate::domain::Cabinet;
use crate::domain::cabinet::{Campaign, KeyProblem};
use crate::domain::{AuditAction, AuditNote};
use crate::domain::{CabinetId, Credentials, Marketplace, Permission, SchemeChoice, WorkspaceId};
use crate::marketplaces::client::{Client, Wiring};
use crate::marketplaces::{Error as ApiError, MarketplaceApi, Missing, Verification};
use crate::storage::cabinets::{self, NewCabinet};

/// What a live check of pasted credentials found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    Ok(Verified),
    /// The marketplace answered about the key, and it will not do.
    Refused(KeyRefusal),
    /// The marketplace refused the check request itself with this status (400, 404, ...):
    /// a problem of the API or of an override, not of the key.
    ApiProblem(u16),
    /// The marketplace did not answer properly (network, 5xx, rate limit, garbage).
    Unreachable,
}

/// Why the marketplace's answer means the key will not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRefusal {
    /// The marketplace does not know the key (wrong, expired or revoked).
    Wrong,
    /// The key is known but refused access (revoked or blocked).
    Denied,
    /// A WB token without categories we need (scope names).
    MissingScopes(Vec<String>),
    /// A WB token that may only read.
    ReadOnly,
    /// An Ozon key whose roles lack methods we call (paths).
    MissingMethods(Vec<String>),
    /// A YM key that reaches no campaign with API access.
    NoCampaigns,
}

impl KeyRefusal {
    /// How a cabinet's health records it.
    pub fn problem(&self) -> KeyProblem {
        match self {
            KeyRefusal::Wrong => KeyProblem::Wrong,
            KeyRefusal::Denied => KeyProblem::Refused,
            KeyRefusal::MissingScopes(_) => KeyProblem::Scopes,
            KeyRefusal::ReadOnly => KeyProblem::ReadOnly,
            KeyRefusal::MissingMethods(_) => KeyProblem::Roles,
            KeyRefusal::NoCampaigns => KeyProblem::NoCampaigns,
        }
    }
}

/// What a successful check tells about the account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// Ozon Client-Id, WB seller id, YM business id.
    pub account: Option<String>,
    /// The seller's name, to suggest a cabinet name.
    pub account_name: Option<String>,
    pub expires_at: Option<i64>,
    /// YM: the campaigns the key reaches with API access.
    pub campaigns: Vec<Campaign>,
}

/// A cabinet ready to be saved.
#[derive(Debug, Clone)]
pub struct NewConnection<'a> {
    pub marketplace: Marketplace,
    pub name: &'a str,
    pub scheme: SchemeChoice,
    pub main: bool,
    pub account: Option<&'a str>,
    /// YM campaign: id and shop name.
    pub shop: Option<(&'a str, &'a str)>,
    pub credentials: &'a Credentials,
    pub expires_at: Option<i64>,
}

/// How a deleted cabinet's data is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteMode {
    /// Keep orders, products and history; forget the key.
    KeepData,
    /// Remove the cabinet with everything that belongs to it.
    RemoveData,
}

/// What a failed key check means. Only 401/403 (and what each client maps to them: the
/// marketplaces' own bad-key answers) say the key is wrong; any other refusal is a problem
/// of the request, shown as such; a rate limit, a 5xx or no answer mean "try later".
fn classify(e: &ApiError) -> KeyCheck {
    match e {
        ApiError::Unauthorized { .. } => KeyCheck::Refused(KeyRefusal::Wrong),
        ApiError::Forbidden { .. } => KeyCheck::Refused(KeyRefusal::Denied),
        ApiError::Api { status, .. }
            if (300..500).contains(status) && !matches!(status, 408 | 420 | 429) =>
        {
            KeyCheck::ApiProblem(*status)
        }
        _ => KeyCheck::Unreachable,
    }
}

/// What a successful verification says of the key.
fn judge(v: Verification) -> KeyCheck {
    match (v.missing, v.read_only, v.shops) {
        (Some(Missing::Scopes(s)), _, _) => KeyCheck::Refused(KeyRefusal::MissingScopes(s)),
        (Some(Missing::Methods(m)), _, _) => KeyCheck::Refused(KeyRefusal::MissingMethods(m)),
        (None, true, _) => KeyCheck::Refused(KeyRefusal::ReadOnly),
        (None, false, Some(shops)) if shops.is_empty() => {
            KeyCheck::Refused(KeyRefusal::NoCampaigns)
        }
        (None, false, shops) => KeyCheck::Ok(Verified {
            account: v.account,
            account_name: v.account_name,
            expires_at: v.expires_at.map(|t| t.timestamp()),
            campaigns: shops.unwrap_or_default(),
        }),
    }
}

/// How often the scheduler checks each cabinet's key live.
pub const KEY_CHECK_EVERY_SECS: i64 = 24 * 3600;
/// When the marketplace did not answer a key check, it is tried again after this long.
pub const KEY_RECHECK_SECS: i64 = 3600;

/// The context a cabinet's credentials are sealed under: bound to its workspace.
pub fn cabinet_context(ws: WorkspaceId) -> String {
    format!("cabinet:{}", ws.0)
}

impl crate::app::rooms::Cabinets<'_> {
    /// A client for one cabinet: its credentials opened, its workspace's overrides applied.
    pub async fn client_for(&self, c: &Cabinet) -> AppResult<Client> {
        self.client_with(c, self.sync_http.clone()).await
    }

    /// A cabinet's client on this HTTP layer (a resuming one for work an earlier run may
    /// have done).
    pub async fn client_with(
        &self,
        c: &Cabinet,
        http: crate::marketplaces::http::Http,
    ) -> AppResult<Client> {
        let creds = self.credentials(c).await?;
        let wiring = Wiring {
            http,
            catalogue: Arc::new(self.api().catalogue_for(c.workspace).await?),
            clock: self.clock.clone(),
        };
        Ok(Client::new(
            c.marketplace,
            wiring,
            &creds,
            c.account.as_deref(),
        ))
    }

    /// Checks pasted credentials with a live call; saves nothing.
    pub async fn check_key(
        &self,
        ws: WorkspaceId,
        marketplace: Marketplace,
        creds: &Credentials,
    ) -> AppResult<KeyCheck> {
        let wiring = Wiring {
            http: self.verify_http.clone(),
            catalogue: Arc::new(self.api().catalogue_for(ws).await?),
            clock: self.clock.clone(),
        };
        let client = Client::new(marketplace, wiring, creds, None);
        Ok(match client.verify().await {
            Err(e) => classify(&e),
            Ok(v) => judge(v),
        })
    }

    /// The live cabinets of the actor's workspace.
    pub async fn list(&self, actor: Actor) -> AppResult<Vec<Cabinet>> {
        actor.require(Permission::ViewData)?;
        Ok(cabinets::list(&self.db, actor.workspace).await?)
    }

    /// One cabinet of the actor's workspace; another workspace's id is not found.
    pub async fn cabinet(&self, actor: Actor, id: CabinetId) -> AppResult<Cabinet> {
        actor.require(Permission::ViewData)?;
        cabinets::get(&self.db, actor.workspace, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A cabinet already connected to the same account (and shop).
    pub async fn connected_as(
        &self,
        actor: Actor,
        marketplace: Marketplace,
        account: Option<&str>,
        shop: Option<&str>,
    ) -> AppResult<Option<Cabinet>> {
        let Some(account) = account else {
            return Ok(None);
        };
        Ok(cabinets::list(&self.db, actor.workspace)
            .await?
            .into_iter()
            .find(|c| {
                c.marketplace == marketplace
                    && c.account.as_deref() == Some(account)
                    && c.shop.as_deref() == shop
            }))
    }

    /// Saves a verified cabinet. The first cabinet of a marketplace is always its main one.
    pub async fn add_cabinet(&self, actor: Actor, c: &NewConnection<'_>) -> AppResult<CabinetId> {
        actor.require(Permission::ManageCabinets)?;
        if let Some(existing) = self
            .connected_as(actor, c.marketplace, c.account, c.shop.map(|s| s.0))
            .await?
        {
            return Err(AppError::Duplicate(existing.name));
        }
        let sealed = self
            .vault
            .seal_json(c.credentials, &cabinet_context(actor.workspace))?;
        let now = self.clock.unix();
        let first = !cabinets::list(&self.db, actor.workspace)
            .await?
            .iter()
            .any(|x| x.marketplace == c.marketplace);
        let main = c.main || first;
        let mut tx = self.db.begin().await?;
        let inserted = cabinets::insert(
            &mut *tx,
            &NewCabinet {
                workspace: actor.workspace,
                marketplace: c.marketplace,
                name: c.name,
                scheme: c.scheme,
                is_main: main,
                account: c.account,
                shop: c.shop.map(|s| s.0),
                shop_name: c.shop.map(|s| s.1),
                credentials: &sealed,
                key_expires_at: c.expires_at,
                created_by: actor.user,
            },
            now,
        )
        .await;
        let id = match inserted {
            Ok(id) => id,
            // A racing save of the same account won; report it as connected.
            Err(crate::storage::StorageError::Db(sqlx::Error::Database(e)))
                if e.is_unique_violation() =>
            {
                drop(tx);
                let existing = self
                    .connected_as(actor, c.marketplace, c.account, c.shop.map(|s| s.0))
                    .await?;
                return Err(AppError::Duplicate(
                    existing
                        .map(|e| e.name)
                        .unwrap_or_else(|| c.name.to_owned()),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        if main {
            cabinets::make_main(&mut tx, actor.workspace, c.marketplace, id, now).await?;
        }
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::CabinetAdded,
            &AuditNote::CabinetAdded {
                marketplace: c.marketplace,
                name: c.name.to_owned(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn managed(&self, actor: Actor, id: CabinetId) -> AppResult<Cabinet> {
        actor.require(Permission::ManageCabinets)?;
        self.cabinet(actor, id).await
    }

    pub async fn rename_cabinet(&self, actor: Actor, id: CabinetId, name: &str) -> AppResult<()> {
        let c = self.managed(actor, id).await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        cabinets::rename(&mut *tx, id, name, now).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::CabinetRenamed,
            &AuditNote::Renamed {
                from: c.name.clone(),
                to: name.to_owned(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_cabinet_enabled(
        &self,
        actor: Actor,
        id: CabinetId,
        enabled: bool,
    ) -> AppResult<Cabinet> {
        let c = self.managed(actor, id).await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        cabinets::set_enabled(&mut *tx, id, enabled, now).await?;
        let action = if enabled {
            AuditAction::CabinetEnabled
        } else {
            AuditAction::CabinetDisabled
        };
        super::audit_by(
            &mut *tx,
            actor,
            action,
            &AuditNote::Name {
                name: c.name.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Cabinet { enabled, ..c })
    }

    pub async fn make_main_cabinet(&self, actor: Actor, id: CabinetId) -> AppResult<Cabinet> {
        let c = self.managed(actor, id).await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        cabinets::make_main(&mut tx, actor.workspace, c.marketplace, id, now).await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::CabinetMain,
            &AuditNote::Name {
                name: c.name.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Cabinet { is_main: true, ..c })
    }

    /// Replaces a cabinet's credentials with verified new ones.
    pub async fn replace_credentials(
        &self,
        actor: Actor,
        id: CabinetId,
        creds: &Credentials,
        verified: &Verified,
        shop: Option<(&str, &str)>,
    ) -> AppResult<Cabinet> {
        let c = self.managed(actor, id).await?;
        let sealed = self
            .vault
            .seal_json(creds, &cabinet_context(actor.workspace))?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        cabinets::set_credentials(
            &mut *tx,
            id,
            &sealed,
            verified.account.as_deref(),
            shop,
            verified.expires_at,
            now,
        )
        .await?;
        super::audit_by(
            &mut *tx,
            actor,
            AuditAction::CabinetKeyReplaced,
            &AuditNote::Name {
                name: c.name.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(c)
    }

    pub async fn delete_cabinet(
        &self,
        actor: Actor,
        id: CabinetId,
        mode: DeleteMode,
    ) -> AppResult<Cabinet> {
        let c = self.managed(actor, id).await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await?;
        let action = match mode {
            DeleteMode::KeepData => {
                cabinets::archive(&mut *tx, id, now).await?;
                AuditAction::CabinetArchived
            }
            DeleteMode::RemoveData => {
                cabinets::delete(&mut *tx, id).await?;
                AuditAction::CabinetDeleted
            }
        };
        // Another cabinet of the marketplace becomes main when the main one goes.
        if c.is_main {
            cabinets::promote_next_main(&mut tx, actor.workspace, c.marketplace, id, now).await?;
        }
        super::audit_by(
            &mut *tx,
            actor,
            action,
            &AuditNote::Name {
                name: c.name.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Checks live the keys of cabinets not checked for a day (at most `limit` per pass)
    /// and records what was found; raises a key-problem alert for every cabinet whose key
    /// stopped working, and returns them.
    pub async fn check_stored_keys(&self, limit: i64) -> AppResult<Vec<Cabinet>> {
        use crate::storage::cabinets::KeyHealth;
        let now = self.clock.unix();
        let due = cabinets::due_key_checks(&self.db, now - KEY_CHECK_EVERY_SECS, limit).await?;
        let mut broken = Vec::new();
        for c in due {
            let creds = match self.credentials(&c).await {
                Ok(creds) => creds,
                Err(e) => {
                    tracing::error!(cabinet = c.id.0, error = %e, "stored credentials do not open");
                    cabinets::record_key_check(
                        &self.db,
                        c.id,
                        KeyHealth::Bad(KeyProblem::Unreadable),
                        now,
                    )
                    .await?;
                    self.raise_key_problem(&c, KeyProblem::Unreadable).await?;
                    broken.push(c);
                    continue;
                }
            };
            let check = self.check_key(c.workspace, c.marketplace, &creds).await?;
            let health = match &check {
                KeyCheck::Ok(v) => {
                    let shop_gone = c.shop.as_ref().is_some_and(|shop| {
                        !v.campaigns.is_empty()
                            && !v.campaigns.iter().any(|x| &x.id.to_string() == shop)
                    });
                    if shop_gone {
                        KeyHealth::Bad(KeyProblem::NoCampaigns)
                    } else {
                        KeyHealth::Good {
                            expires_at: v.expires_at,
                        }
                    }
                }
                KeyCheck::Unreachable => KeyHealth::Unknown {
                    retry_at: now - KEY_CHECK_EVERY_SECS + KEY_RECHECK_SECS,
                },
                KeyCheck::ApiProblem(status) => KeyHealth::ApiProblem { status: *status },
                KeyCheck::Refused(r) => KeyHealth::Bad(r.problem()),
            };
            cabinets::record_key_check(&self.db, c.id, health, now).await?;
            if let KeyHealth::ApiProblem { status } = health {
                tracing::warn!(
                    cabinet = c.id.0,
                    marketplace = c.marketplace.code(),
                    status,
                    "the marketplace refused a key check request: an API problem, not the key"
                );
            }
            if let KeyHealth::Bad(problem) = health {
                tracing::warn!(
                    cabinet = c.id.0,
                    marketplace = c.marketplace.code(),
                    "a cabinet's key stopped working"
                );
                self.raise_key_problem(&c, problem).await?;
                broken.push(c);
            }
        }
        Ok(broken)
    }

    /// Warns of keys that expire soon (7, 3 and 1 days before, once each) and turns a
    /// cabinet whose key has expired red, with its key problem told once.
    pub async fn check_key_expiry(&self) -> AppResult<()> {
        let now = self.now();
        for c in cabinets::keys_expiring(&self.db, now + 7 * 86_400).await? {
            let Some(exp) = c.key_expires_at else {
                continue;
            };
            if exp <= now {
                if c.last_error.as_deref() != Some(KeyProblem::Expired.code()) {
                    cabinets::record_key_check(
                        &self.db,
                        c.id,
                        cabinets::KeyHealth::Bad(KeyProblem::Expired),
                        now,
                    )
                    .await?;
                    self.raise_key_problem(&c, KeyProblem::Expired).await?;
                }
                continue;
            }
            let days = (exp - now + 86_399) / 86_400;
            let alert = crate::domain::alerts::Alert::KeyExpiring {
                cabinet: c.id.0,
                days,
                expires_at: exp,
            };
            self.alerts().raise(c.workspace, Some(c.id), &alert).await?;
        }
        Ok(())
    }

    /// Seals credentials a chat's connect dialogue holds, bound to that chat.
    pub fn seal_draft(&self, chat: i64, creds: &Credentials) -> AppResult<String> {
        Ok(self.vault.seal_json(creds, &draft_context(chat))?)
    }

    /// Opens credentials a chat's connect dialogue holds.
    pub fn open_draft(&self, chat: i64, sealed: &str) -> AppResult<Credentials> {
        Ok(self.vault.open_json(sealed, &draft_context(chat))?)
    }

    async fn raise_key_problem(&self, c: &Cabinet, problem: KeyProblem) -> AppResult<()> {
        let alert = crate::domain::alerts::Alert::KeyProblem {
            cabinet: c.id.0,
            problem: problem.code().to_owned(),
        };
        self.alerts().raise(c.workspace, Some(c.id), &alert).await?;
        Ok(())
    }

    /// Opens a cabinet's credentials (to build its client).
    pub async fn credentials(&self, c: &Cabinet) -> AppResult<Credentials> {
        let sealed = c.credentials.as_deref().ok_or(AppError::NotFound)?;
        Ok(self
            .vault
            .open_json(sealed, &cabinet_context(c.workspace))?)
    }
}

/// Re-seals every secret in the database under the vault's sealing key: cabinet
/// credentials and credentials held by unfinished dialogues. One transaction.
pub async fn rotate_secrets(
    db: &crate::storage::Db,
    vault: &Arc<crate::secrets::Vault>,
) -> AppResult<usize> {
    let mut count = 0;
    let mut tx = db.begin().await?;
    for (id, ws, sealed) in cabinets::all_sealed(&mut *tx).await? {
        let (text, n) = vault.reseal_all(&sealed, &cabinet_context(ws))?;
        cabinets::replace_sealed(&mut *tx, id, &text).await?;
        count += n;
    }
    for (key, state) in crate::storage::dialogues::all_raw(&mut *tx).await? {
        let (text, n) = vault.reseal_all(&state, &draft_context(key.chat))?;
        if n > 0 {
            crate::storage::dialogues::replace_raw(&mut *tx, key, &text).await?;
            count += n;
        }
    }
    tx.commit().await?;
    Ok(count)
}

/// The context credentials in an unfinished dialogue are sealed under: bound to its chat.
pub fn draft_context(chat: i64) -> String {
    format!("draft:{chat}")
}

/// Why a master key rotation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(
        "{var} is set: put the new key in {new_var} (base64, 32 bytes), rotate, then set {var} to it",
        var = crate::secrets::KEY_VAR,
        new_var = crate::secrets::NEW_KEY_VAR
    )]
    NeedNewKey,
    #[error(
        "no master key file at {0}: nothing was ever sealed with it, so there is nothing to rotate"
    )]
    NoKeyFile(std::path::PathBuf),
    #[error(transparent)]
    Vault(#[from] crate::secrets::VaultError),
    #[error(transparent)]
    App(#[from] AppError),
}

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    pub resealed: usize,
    pub old_key: String,
    pub new_key: String,
    /// The key file now holding the new key (file mode).
    pub file: Option<std::path::PathBuf>,
}

/// `mpbot rotate-key`: re-seals every secret under a new master key in one transaction.
/// With the key in `MPBOT_SECRET_KEY`, the new one comes from `MPBOT_NEW_SECRET_KEY`.
/// With a key file, a new key is generated (or taken from `MPBOT_NEW_SECRET_KEY`),
/// written beside it as `<file>.new` before the transaction, and moved over the old file
/// after the commit; a crash in between leaves both keys loadable at the next start.
pub async fn rotate_master_key(
    db: &crate::storage::Db,
    database_url: &str,
    env_key: Option<&str>,
    env_new: Option<&str>,
) -> Result<Rotated, RotateError> {
    use crate::secrets::{
        MasterKey, Vault, commit_pending, key_file_for, pending_file, read_key_file, write_key_file,
    };
    let env_new = env_new.filter(|k| !k.trim().is_empty());
    if let Some(current) = env_key.filter(|k| !k.trim().is_empty()) {
        let old = MasterKey::from_base64(current)?;
        let new = MasterKey::from_base64(env_new.ok_or(RotateError::NeedNewKey)?)?;
        let vault = Arc::new(Vault::with_older(new.clone(), vec![old.clone()]));
        let resealed = rotate_secrets(db, &vault).await?;
        return Ok(Rotated {
            resealed,
            old_key: old.id().to_owned(),
            new_key: new.id().to_owned(),
            file: None,
        });
    }
    let path = key_file_for(database_url);
    if !path.exists() {
        return Err(RotateError::NoKeyFile(path));
    }
    let (current, _) = crate::secrets::load(None, database_url)?;
    let pending = pending_file(&path);
    let new = if pending.exists() {
        // An interrupted rotation: finish it with the key it already wrote.
        read_key_file(&pending)?
    } else {
        let key = match env_new {
            Some(k) => MasterKey::from_base64(k)?,
            None => MasterKey::generate()?,
        };
        write_key_file(&pending, &key)?;
        key
    };
    let old_id = current.key_id().to_owned();
    let vault = Arc::new(current.with_sealing_key(new.clone()));
    let resealed = rotate_secrets(db, &vault).await?;
    commit_pending(&path)?;
    Ok(Rotated {
        resealed,
        old_key: old_id,
        new_key: new.id().to_owned(),
        file: Some(path),
    })
}
