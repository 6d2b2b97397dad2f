//! Where a chat is in a conversation with the bot: one state per chat, stored as JSON in our
//! database between updates. Renaming a variant would break stored dialogues, which the
//! snapshot tests below guard; a state no release can read any more comes back as
//! [`State::Unreadable`] and the chat is told it was reset.

use crate::domain::ids::{ProductId, SkuId, StoreId};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use teloxide::types::ChatId;

pub mod connect;

use self::connect::Connect;
use super::error::HandlerError;
use crate::domain::workspace::DialogueKey;
use crate::domain::{ApiField, StoredState};
use crate::storage::dialogues::DialogueStore;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    #[default]
    Idle,
    Settings(SettingsStep),
    /// Connecting a cabinet or replacing its key.
    Connect(Connect),
    /// Waiting for a cabinet's new name.
    RenameCabinet {
        workspace: i64,
        cabinet: i64,
    },
    /// Waiting for an API catalogue override value.
    ApiValue {
        workspace: i64,
        entry: String,
        field: ApiField,
    },
    /// `/stock` waits for part of a name, a SKU code or a barcode.
    StockFind {
        workspace: i64,
    },
    /// Waiting for a SKU's count in one of our warehouses.
    StockAmount {
        workspace: i64,
        sku: SkuId,
        store: StoreId,
        mode: crate::domain::stock::Mode,
    },
    /// Waiting for the warehouse (a button) whose count of a SKU is to change.
    StockStore {
        workspace: i64,
        sku: SkuId,
        mode: crate::domain::stock::Mode,
    },
    /// Waiting for a SKU's low-stock threshold.
    StockThreshold {
        workspace: i64,
        sku: SkuId,
    },
    /// A marketplace product waits for the SKU to link it to (a search).
    LinkFind {
        workspace: i64,
        product: ProductId,
    },
    /// An inventory: a barcode is awaited (`sku` empty), then that SKU's count.
    Counting {
        workspace: i64,
        store: StoreId,
        sku: Option<SkuId>,
    },
    /// Waiting for the name of a new warehouse of ours, or of `store` renamed.
    StoreName {
        workspace: i64,
        store: Option<StoreId>,
    },
    /// Waiting for a SKU's new price (or its discount) on the cabinets chosen.
    PriceInput {
        workspace: i64,
        sku: SkuId,
        cabinets: Vec<i64>,
        discount: bool,
    },
    /// A new rule being made (`/rules`).
    RuleDraft {
        workspace: i64,
        draft: crate::bot::rules::wizard::draft::Draft,
    },
    /// Waiting for an e-mail address to add.
    EmailAddress {
        workspace: i64,
    },
    /// Waiting for the code sent to an address.
    EmailCode {
        workspace: i64,
        email: i64,
    },
    /// Waiting for quiet hours (`HH:MM–HH:MM`) for a chat.
    QuietSpan {
        workspace: i64,
        chat: i64,
    },
    /// Waiting for a rule's new priority.
    RulePriority {
        workspace: i64,
        rule: i64,
    },
    /// The stored state could not be read (never stored itself).
    Unreadable,
}

impl StoredState for State {
    fn unreadable() -> State {
        State::Unreadable
    }
}

/// The steps of the settings dialogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsStep {
    /// Waiting for a new workspace name.
    AwaitWorkspaceName { workspace: i64 },
}

/// Where dialogues are kept: the database storage is wired in at start-up.
pub type DialogueStorage = DialogueStore<State>;

/// One person's dialogue in one chat (in a group, each member has their own).
#[derive(Clone)]
pub struct BotDialogue {
    store: Arc<DialogueStorage>,
    key: DialogueKey,
}

impl BotDialogue {
    pub fn new(store: Arc<DialogueStorage>, key: DialogueKey) -> BotDialogue {
        BotDialogue { store, key }
    }

    /// The chat the dialogue is held in.
    pub fn chat_id(&self) -> ChatId {
        ChatId(self.key.chat)
    }

    /// Where the dialogue is, if anywhere but idle.
    pub async fn get(&self) -> Result<Option<State>, HandlerError> {
        Ok(self.store.get(self.key).await?)
    }

    /// Where the dialogue is (idle when nowhere).
    pub async fn get_or_default(&self) -> Result<State, HandlerError> {
        Ok(self.get().await?.unwrap_or_default())
    }

    /// Moves the dialogue to `state`.
    pub async fn update(&self, state: impl Into<State>) -> Result<(), HandlerError> {
        Ok(self.store.update(self.key, state.into()).await?)
    }

    /// Ends the dialogue.
    pub async fn exit(&self) -> Result<(), HandlerError> {
        Ok(self.store.remove(self.key).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::connect::{Account, CheckedKey, SealedKey, Shop, Step, Target};
    use super::*;
    use crate::app::cabinets::Verified;
    use crate::domain::cabinet::Campaign;
    use crate::domain::{Marketplace, SchemeChoice};

    fn verified() -> Verified {
        Verified {
            account: Some("7001234".into()),
            account_name: None,
            expires_at: Some(1),
            campaigns: vec![Campaign {
                id: 21,
                domain: "shop".into(),
                placement: "FBS".into(),
                business_id: 7_001_234,
                business_name: "B".into(),
                available: true,
            }],
        }
    }

    fn account() -> Account {
        Account {
            key: CheckedKey {
                key: SealedKey {
                    marketplace: Marketplace::YandexMarket,
                    sealed: "v1.k.x".into(),
                },
                verified: verified(),
            },
            shop: Some(Shop {
                id: "21".into(),
                name: "shop".into(),
            }),
        }
    }

    /// Stored dialogues must keep decoding after a release: these are the stored forms.
    #[test]
    fn dialogue_states_keep_their_stored_form() {
        let target = Target {
            workspace: 7,
            replace: Some(3),
        };
        let cases = [
            (State::Idle, r#""Idle""#.to_owned()),
            (
                State::Settings(SettingsStep::AwaitWorkspaceName { workspace: 7 }),
                r#"{"Settings":{"AwaitWorkspaceName":{"workspace":7}}}"#.to_owned(),
            ),
            (
                State::RenameCabinet {
                    workspace: 7,
                    cabinet: 3,
                },
                r#"{"RenameCabinet":{"workspace":7,"cabinet":3}}"#.to_owned(),
            ),
            (
                State::ApiValue {
                    workspace: 7,
                    entry: "ozon.roles".into(),
                    field: ApiField::Version,
                },
                r#"{"ApiValue":{"workspace":7,"entry":"ozon.roles","field":"Version"}}"#.to_owned(),
            ),
            (
                State::Connect(Connect {
                    target,
                    step: Step::AwaitMarketplace,
                }),
                r#"{"Connect":{"target":{"workspace":7,"replace":3},"step":"AwaitMarketplace"}}"#
                    .to_owned(),
            ),
            (
                State::Connect(Connect {
                    target,
                    step: Step::AwaitKey {
                        marketplace: Marketplace::Ozon,
                        client_id: Some("100500".into()),
                    },
                }),
                concat!(
                    r#"{"Connect":{"target":{"workspace":7,"replace":3},"step":{"AwaitKey":"#,
                    r#"{"marketplace":"Ozon","client_id":"100500"}}}}"#
                )
                .to_owned(),
            ),
            (
                State::Connect(Connect {
                    target,
                    step: Step::AwaitConfirm {
                        account: account(),
                        scheme: SchemeChoice::Both,
                        name: "Shop".into(),
                        main: false,
                    },
                }),
                concat!(
                    r#"{"Connect":{"target":{"workspace":7,"replace":3},"step":{"AwaitConfirm":{"account":"#,
                    r#"{"key":{"key":{"marketplace":"YandexMarket","sealed":"v1.k.x"},"verified":{"account":"7001234","#,
                    r#""account_name":null,"expires_at":1,"campaigns":[{"id":21,"domain":"shop","placement":"FBS","#,
                    r#""business_id":7001234,"business_name":"B","available":true}]}},"shop":{"id":"21","name":"shop"}},"#,
                    r#""scheme":"Both","name":"Shop","main":false}}}}"#
                )
                .to_owned(),
            ),
            (
                State::StockAmount {
                    workspace: 7,
                    sku: SkuId(3),
                    store: StoreId(1),
                    mode: crate::domain::stock::Mode::Add,
                },
                r#"{"StockAmount":{"workspace":7,"sku":3,"store":1,"mode":"Add"}}"#.to_owned(),
            ),
            (
                State::StockStore {
                    workspace: 7,
                    sku: SkuId(3),
                    mode: crate::domain::stock::Mode::Set,
                },
                r#"{"StockStore":{"workspace":7,"sku":3,"mode":"Set"}}"#.to_owned(),
            ),
            (
                State::Counting {
                    workspace: 7,
                    store: StoreId(1),
                    sku: None,
                },
                r#"{"Counting":{"workspace":7,"store":1,"sku":null}}"#.to_owned(),
            ),
            (
                State::LinkFind {
                    workspace: 7,
                    product: ProductId(9),
                },
                r#"{"LinkFind":{"workspace":7,"product":9}}"#.to_owned(),
            ),
            (
                State::StockFind { workspace: 7 },
                r#"{"StockFind":{"workspace":7}}"#.to_owned(),
            ),
            (State::Unreadable, r#""Unreadable""#.to_owned()),
        ];
        for (state, json) in cases {
            assert_eq!(serde_json::to_string(&state).expect("serializes"), json);
            assert_eq!(
                serde_json::from_str::<State>(&json).expect("decodes"),
                state
            );
        }
    }

    /// The flat connect record of the previous release decodes into the step it was at,
    /// with everything it had collected.
    #[test]
    fn connect_dialogues_stored_by_the_previous_release_still_decode() {
        let old = concat!(
            r#"{"Connect":{"workspace":7,"replace":3,"step":"AwaitConfirm","marketplace":"YandexMarket","#,
            r#""client_id":null,"sealed":"v1.k.x","verified":{"account":"7001234","account_name":null,"#,
            r#""expires_at":1,"campaigns":[{"id":21,"domain":"shop","placement":"FBS","business_id":7001234,"#,
            r#""business_name":"B","available":true}]},"campaign":["21","shop"],"scheme":"Both","name":"Shop","main":false}}"#
        );
        let target = Target {
            workspace: 7,
            replace: Some(3),
        };
        assert_eq!(
            serde_json::from_str::<State>(old).expect("decodes"),
            State::Connect(Connect {
                target,
                step: Step::AwaitConfirm {
                    account: account(),
                    scheme: SchemeChoice::Both,
                    name: "Shop".into(),
                    main: false,
                },
            })
        );
        let flat = |step: &str, extra: &str| {
            format!(r#"{{"Connect":{{"workspace":7,"step":"{step}"{extra}}}}}"#)
        };
        let new = Target {
            workspace: 7,
            replace: None,
        };
        let decoded = |json: String| match serde_json::from_str::<State>(&json) {
            Ok(State::Connect(c)) => c,
            other => panic!("{json}: {other:?}"),
        };
        assert_eq!(
            decoded(flat("AwaitClientId", r#","marketplace":"Ozon""#)),
            Connect {
                target: new,
                step: Step::AwaitClientId
            }
        );
        assert_eq!(
            decoded(flat(
                "AwaitKey",
                r#","marketplace":"Ozon","client_id":"100500""#
            ))
            .step,
            Step::AwaitKey {
                marketplace: Marketplace::Ozon,
                client_id: Some("100500".into())
            }
        );
        assert_eq!(
            decoded(flat(
                "AwaitRetry",
                r#","marketplace":"Wildberries","sealed":"v1.k.y""#
            ))
            .step,
            Step::AwaitRetry {
                key: SealedKey {
                    marketplace: Marketplace::Wildberries,
                    sealed: "v1.k.y".into()
                }
            }
        );
        // Every step name of the previous release is still understood.
        for step in [
            "AwaitMarketplace",
            "AwaitClientId",
            "AwaitKey",
            "AwaitRetry",
            "AwaitCampaign",
            "AwaitScheme",
            "AwaitName",
            "AwaitMain",
            "AwaitConfirm",
        ] {
            let c = decoded(flat(step, ""));
            assert_eq!(c.target, new, "{step}");
        }
        // A record that lacks what its step needs starts over.
        assert_eq!(
            decoded(flat("AwaitScheme", r#","marketplace":"Ozon""#)).step,
            Step::AwaitMarketplace
        );
    }
}
