//! The Telegram front: one `schema()` with the whole handler tree, a per-update context
//! built near the root, global commands matched before the dialogue states, and the
//! dialogue state stored in our database.

pub mod admin;
pub mod cabinets;
pub mod context;
pub mod handlers;
pub mod keyboards;
pub mod menu;
pub mod out;
pub mod team;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use teloxide::dispatching::dialogue::Dialogue;
use teloxide::dispatching::{DpHandlerDescription, HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use tokio::sync::Notify;

use crate::storage::dialogues::DbStorage;

/// Where a chat is in a conversation with the bot. Stored as JSON; renaming a variant
/// breaks stored dialogues, which the snapshot test below guards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    #[default]
    Idle,
    Settings(SettingsStep),
    /// Connecting a cabinet or replacing its key.
    Connect(cabinets::Draft),
    /// Waiting for a cabinet's new name.
    RenameCabinet {
        workspace: i64,
        cabinet: i64,
    },
    /// Waiting for an API catalogue override value.
    ApiValue {
        workspace: i64,
        entry: String,
        field: crate::domain::ApiField,
    },
}

/// The steps of the settings dialogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsStep {
    /// Waiting for a new workspace name.
    AwaitWorkspaceName { workspace: i64 },
}

pub type BotDialogue = Dialogue<State, DbStorage<State>>;

/// What a button press tells the presser: a notice, shown as an alert or not.
pub type PressReply = Result<(Option<crate::i18n::Msg>, bool), HandlerError>;

/// A refused use case as the presser's notice; `not_found` names what was not found.
/// Anything else is an internal failure.
pub fn refusal(e: crate::app::AppError, not_found: &'static str) -> PressReply {
    use crate::app::AppError;
    use crate::i18n::msg;
    match e {
        AppError::Forbidden | AppError::NotMember => Ok((Some(msg("no-permission")), true)),
        AppError::NotFound => Ok((Some(msg(not_found)), true)),
        AppError::LastOwner => Ok((Some(msg("member-last-owner")), true)),
        other => Err(other.into()),
    }
}
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;

/// Counts updates the handler tree has finished, so a harness can wait until the bot
/// is idle instead of sleeping.
#[derive(Debug, Default)]
pub struct Activity {
    finished: AtomicU64,
    changed: Notify,
}

impl Activity {
    pub fn finished(&self) -> u64 {
        self.finished.load(Ordering::SeqCst)
    }

    fn done(&self) {
        self.finished.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_waiters();
    }

    /// Waits for the next finished update (or returns at once if `finished() != seen`).
    pub async fn wait_change(&self, seen: u64) {
        let notified = self.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if self.finished() != seen {
            return;
        }
        notified.await;
    }
}

/// The whole handler tree, wrapped so every update is counted when it is finished.
pub fn schema(activity: Arc<Activity>) -> UpdateHandler<HandlerError> {
    let messages = Update::filter_message()
        .filter_map_async(context::Ctx::for_message)
        .enter_dialogue::<Message, DbStorage<State>, State>()
        .branch(dptree::filter_map(context::command_of).endpoint(handlers::command))
        .branch(dptree::case![State::Idle].endpoint(handlers::idle_message))
        .branch(dptree::case![State::Settings(step)].endpoint(handlers::settings_step))
        .branch(dptree::case![State::Connect(draft)].endpoint(cabinets::connect_message))
        .branch(
            dptree::case![State::RenameCabinet { workspace, cabinet }]
                .endpoint(cabinets::rename_message),
        )
        .branch(
            dptree::case![State::ApiValue {
                workspace,
                entry,
                field
            }]
            .endpoint(admin::api_value_message),
        );
    let callbacks = Update::filter_callback_query()
        .filter_map_async(context::Ctx::for_callback)
        .enter_dialogue::<CallbackQuery, DbStorage<State>, State>()
        .endpoint(handlers::callback);
    let membership = Update::filter_my_chat_member().endpoint(handlers::my_chat_member);
    let tree = dptree::entry()
        .branch(messages)
        .branch(callbacks)
        .branch(membership);

    let sig = tree.sig().clone();
    let description: DpHandlerDescription = tree.description().clone();
    let counted: UpdateHandler<HandlerError> = dptree::from_fn_with_description(
        description,
        move |deps, cont| {
            let tree = tree.clone();
            let activity = activity.clone();
            async move {
                let result = tree.execute(deps, cont).await;
                activity.done();
                result
            }
        },
        sig,
    );
    counted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stored dialogues must keep decoding after a release: these are the stored forms.
    #[test]
    fn dialogue_states_keep_their_stored_form() {
        let cases = [
            (State::Idle, r#""Idle""#),
            (
                State::Settings(SettingsStep::AwaitWorkspaceName { workspace: 7 }),
                r#"{"Settings":{"AwaitWorkspaceName":{"workspace":7}}}"#,
            ),
            (
                State::RenameCabinet {
                    workspace: 7,
                    cabinet: 3,
                },
                r#"{"RenameCabinet":{"workspace":7,"cabinet":3}}"#,
            ),
            (
                State::ApiValue {
                    workspace: 7,
                    entry: "ozon.roles".into(),
                    field: crate::domain::ApiField::Version,
                },
                r#"{"ApiValue":{"workspace":7,"entry":"ozon.roles","field":"Version"}}"#,
            ),
            (
                State::Connect(cabinets::Draft {
                    workspace: 7,
                    replace: Some(3),
                    step: cabinets::Step::AwaitConfirm,
                    marketplace: Some(crate::domain::Marketplace::YandexMarket),
                    client_id: None,
                    sealed: Some("v1.k.x".into()),
                    verified: Some(crate::app::cabinets::Verified {
                        account: Some("7001234".into()),
                        account_name: None,
                        expires_at: Some(1),
                        campaigns: vec![crate::marketplaces::ym::Campaign {
                            id: 21,
                            domain: "shop".into(),
                            placement: "FBS".into(),
                            business_id: 7_001_234,
                            business_name: "B".into(),
                            available: true,
                        }],
                    }),
                    campaign: Some(("21".into(), "shop".into())),
                    scheme: Some(crate::domain::SchemeChoice::Both),
                    name: Some("Shop".into()),
                    main: Some(false),
                }),
                concat!(
                    r#"{"Connect":{"workspace":7,"replace":3,"step":"AwaitConfirm","marketplace":"YandexMarket","#,
                    r#""client_id":null,"sealed":"v1.k.x","verified":{"account":"7001234","account_name":null,"#,
                    r#""expires_at":1,"campaigns":[{"id":21,"domain":"shop","placement":"FBS","business_id":7001234,"#,
                    r#""business_name":"B","available":true}]},"campaign":["21","shop"],"scheme":"Both","name":"Shop","main":false}}"#
                ),
            ),
        ];
        // Every step of the connect dialogue keeps its stored name.
        let steps = [
            (cabinets::Step::AwaitMarketplace, "AwaitMarketplace"),
            (cabinets::Step::AwaitClientId, "AwaitClientId"),
            (cabinets::Step::AwaitKey, "AwaitKey"),
            (cabinets::Step::AwaitRetry, "AwaitRetry"),
            (cabinets::Step::AwaitCampaign, "AwaitCampaign"),
            (cabinets::Step::AwaitScheme, "AwaitScheme"),
            (cabinets::Step::AwaitName, "AwaitName"),
            (cabinets::Step::AwaitMain, "AwaitMain"),
            (cabinets::Step::AwaitConfirm, "AwaitConfirm"),
        ];
        for (step, name) in steps {
            let json = format!("\"{name}\"");
            assert_eq!(serde_json::to_string(&step).expect("serializes"), json);
            assert_eq!(
                serde_json::from_str::<cabinets::Step>(&json).expect("decodes"),
                step
            );
        }
        for (state, json) in cases {
            assert_eq!(serde_json::to_string(&state).expect("serializes"), json);
            assert_eq!(serde_json::from_str::<State>(json).expect("decodes"), state);
        }
    }
}
