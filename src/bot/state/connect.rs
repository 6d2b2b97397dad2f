//! Where the connect dialogue (`bot/cabinets/connect/`) is, with what it has collected so far: each step holds exactly
//! what the steps before it gathered, so saving never fills in defaults. Credentials are
//! held only sealed under the chat's draft context. Dialogues stored by an earlier release
//! (one flat record of options) keep decoding into these steps.

use serde::{Deserialize, Serialize};

use crate::app::cabinets::Verified;
use crate::domain::{Marketplace, SchemeChoice};

/// Whose cabinet the dialogue is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub workspace: i64,
    /// The cabinet whose key is being replaced; `None` when connecting a new one.
    pub replace: Option<i64>,
}

/// Credentials sealed under the chat's draft context, with their marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedKey {
    pub marketplace: Marketplace,
    pub sealed: String,
}

/// A key the marketplace accepted, and what it told about the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedKey {
    pub key: SealedKey,
    pub verified: Verified,
}

/// A YM shop (campaign) chosen for the cabinet: its id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shop {
    pub id: String,
    pub name: String,
}

/// The account the cabinet is for: a checked key and, on YM, its shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub key: CheckedKey,
    pub shop: Option<Shop>,
}

impl Account {
    pub fn marketplace(&self) -> Marketplace {
        self.key.key.marketplace
    }
}

/// A step of the dialogue, named for what the bot awaits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    AwaitMarketplace,
    /// Ozon's first half of the key pair.
    AwaitClientId,
    AwaitKey {
        marketplace: Marketplace,
        /// Ozon's Client-Id, sent at the step before.
        client_id: Option<String>,
    },
    /// The marketplace did not answer the check (or refused the request itself); waiting
    /// for "Try again".
    AwaitRetry {
        key: SealedKey,
    },
    AwaitCampaign {
        key: CheckedKey,
    },
    AwaitScheme {
        account: Account,
    },
    AwaitName {
        account: Account,
        scheme: SchemeChoice,
    },
    AwaitMain {
        account: Account,
        scheme: SchemeChoice,
        name: String,
    },
    AwaitConfirm {
        account: Account,
        scheme: SchemeChoice,
        name: String,
        main: bool,
    },
}

/// The connect dialogue: for whom, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Connect {
    pub target: Target,
    pub step: Step,
}

/// A stored connect dialogue: this release's form, or the flat one of earlier releases.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Current { target: Target, step: Step },
    Legacy(Legacy),
}

impl From<Stored> for Connect {
    fn from(s: Stored) -> Connect {
        match s {
            Stored::Current { target, step } => Connect { target, step },
            Stored::Legacy(l) => l.into(),
        }
    }
}

/// The steps of the flat form (their stored names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(clippy::enum_variant_names)]
enum LegacyStep {
    AwaitMarketplace,
    AwaitClientId,
    AwaitKey,
    AwaitRetry,
    AwaitCampaign,
    AwaitScheme,
    AwaitName,
    AwaitMain,
    AwaitConfirm,
}

/// The flat form earlier releases stored: every field optional, the step beside them.
#[derive(Deserialize)]
struct Legacy {
    workspace: i64,
    #[serde(default)]
    replace: Option<i64>,
    step: LegacyStep,
    #[serde(default)]
    marketplace: Option<Marketplace>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    sealed: Option<String>,
    #[serde(default)]
    verified: Option<Verified>,
    #[serde(default)]
    campaign: Option<(String, String)>,
    #[serde(default)]
    scheme: Option<SchemeChoice>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    main: Option<bool>,
}

impl From<Legacy> for Connect {
    /// The step the flat record was at, with what it held; one that lacks what its step
    /// needs (never written by a release) starts over.
    fn from(l: Legacy) -> Connect {
        let target = Target {
            workspace: l.workspace,
            replace: l.replace,
        };
        let key = l
            .marketplace
            .zip(l.sealed.clone())
            .map(|(marketplace, sealed)| SealedKey {
                marketplace,
                sealed,
            });
        let checked = key
            .clone()
            .zip(l.verified.clone())
            .map(|(key, verified)| CheckedKey { key, verified });
        let account = checked.clone().map(|key| Account {
            key,
            shop: l.campaign.clone().map(|(id, name)| Shop { id, name }),
        });
        let step = match l.step {
            LegacyStep::AwaitMarketplace => Some(Step::AwaitMarketplace),
            LegacyStep::AwaitClientId => Some(Step::AwaitClientId),
            LegacyStep::AwaitKey => l.marketplace.map(|marketplace| Step::AwaitKey {
                marketplace,
                client_id: l.client_id.clone(),
            }),
            LegacyStep::AwaitRetry => key.map(|key| Step::AwaitRetry { key }),
            LegacyStep::AwaitCampaign => checked.map(|key| Step::AwaitCampaign { key }),
            LegacyStep::AwaitScheme => account.map(|account| Step::AwaitScheme { account }),
            LegacyStep::AwaitName => account
                .zip(l.scheme)
                .map(|(account, scheme)| Step::AwaitName { account, scheme }),
            LegacyStep::AwaitMain => {
                account
                    .zip(l.scheme)
                    .zip(l.name.clone())
                    .map(|((account, scheme), name)| Step::AwaitMain {
                        account,
                        scheme,
                        name,
                    })
            }
            LegacyStep::AwaitConfirm => account.zip(l.scheme).zip(l.name.clone()).zip(l.main).map(
                |(((account, scheme), name), main)| Step::AwaitConfirm {
                    account,
                    scheme,
                    name,
                    main,
                },
            ),
        };
        Connect {
            target,
            step: step.unwrap_or(Step::AwaitMarketplace),
        }
    }
}

/// The first credential a marketplace asks for: Ozon's Client-Id, else the key.
pub fn credential_step(m: Marketplace) -> Step {
    match m {
        Marketplace::Ozon => Step::AwaitClientId,
        other => Step::AwaitKey {
            marketplace: other,
            client_id: None,
        },
    }
}
