//! The Telegram front: one `schema()` with the whole handler tree. A per-update context is
//! built near the root, a stored state nobody can read is reset, commands are matched
//! before the dialogue states, and each feature module adds its own branch: its dialogue
//! steps, its buttons (through `callbacks.rs`) and its commands (through `commands.rs`).
//! Shared pieces (sending, keyboards, names, errors, button codes) live in modules of their
//! own, so feature modules never import each other.

pub mod alerts;
pub mod api;
pub mod audit;
pub mod cabinets;
pub mod callbacks;
pub mod catalogue;
pub mod codec;
pub mod commands;
pub mod context;
pub mod documents;
pub mod emails;
pub mod error;
pub mod finance;
pub mod groups;
pub mod keyboards;
pub mod labels;
pub mod menu;
pub mod my_alerts;
pub mod names;
pub mod orders;
pub mod out;
pub mod prices;
pub mod queue;
pub mod quiet;
pub mod rules;
pub mod settings;
pub mod skus;
pub mod start;
pub mod state;
pub mod statuses;
pub mod stocks;
pub mod summary;
pub mod supplies;
pub mod team;
pub mod uploads;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use teloxide::dispatching::{DpHandlerDescription, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use tokio::sync::Notify;

pub use error::{HandlerError, HandlerResult};
pub use state::{BotDialogue, DialogueStorage, State};

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

/// The catalogue and stock dialogues' messages.
fn stocks_messages() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .branch(dptree::case![State::StockFind { workspace }].endpoint(stocks::find_message))
        .branch(
            dptree::case![State::StockAmount {
                workspace,
                sku,
                store,
                mode
            }]
            .endpoint(stocks::amount_message),
        )
        .branch(
            dptree::case![State::Counting {
                workspace,
                store,
                sku
            }]
            .endpoint(stocks::count_message),
        )
        .branch(
            dptree::case![State::StockThreshold { workspace, sku }]
                .endpoint(stocks::threshold_message),
        )
        .branch(
            dptree::case![State::StockStore {
                workspace,
                sku,
                mode
            }]
            .endpoint(stocks::store_message),
        )
        .branch(
            dptree::case![State::LinkFind { workspace, product }].endpoint(catalogue::link_message),
        )
        .branch(
            dptree::case![State::StoreName { workspace, store }]
                .endpoint(stocks::warehouses::name_message),
        )
}

/// The caller's own dialogue in this chat.
fn enter_dialogue(store: Arc<DialogueStorage>, ctx: context::Ctx) -> BotDialogue {
    BotDialogue::new(store, ctx.dialogue_key())
}

/// Where the caller's dialogue is; an update whose state cannot be read is logged and
/// dropped, as teloxide's own dialogues do.
async fn dialogue_state(dialogue: BotDialogue) -> Option<State> {
    match dialogue.get_or_default().await {
        Ok(state) => Some(state),
        Err(e) => {
            tracing::error!(error = %e, "could not read a dialogue");
            None
        }
    }
}

/// The whole handler tree, wrapped so every update is counted when it is finished.
pub fn schema(activity: Arc<Activity>) -> UpdateHandler<HandlerError> {
    let messages = Update::filter_message()
        .filter_map_async(context::Ctx::for_message)
        .map(enter_dialogue)
        .filter_map_async(dialogue_state)
        .map_async(start::reset_unreadable)
        .branch(dptree::filter_map(context::command_of).endpoint(commands::on_command))
        // A file in a private chat is read as the upload it is, whatever was asked before.
        .branch(
            dptree::filter(|m: Message| m.chat.is_private() && m.document().is_some())
                .endpoint(uploads::on_document),
        )
        .branch(dptree::case![State::Idle].endpoint(start::idle_message))
        .branch(settings::messages())
        .branch(cabinets::messages())
        .branch(api::messages())
        .branch(stocks_messages())
        .branch(
            dptree::case![State::PriceInput {
                workspace,
                sku,
                cabinets,
                discount
            }]
            .endpoint(prices::change::price_message),
        )
        .branch(
            dptree::case![State::RuleDraft { workspace, draft }]
                .endpoint(rules::wizard::draft_message),
        )
        .branch(
            dptree::case![State::RulePriority { workspace, rule }]
                .endpoint(rules::priority_message),
        )
        .branch(dptree::case![State::QuietSpan { workspace, chat }].endpoint(quiet::span_message))
        .branch(dptree::case![State::EmailAddress { workspace }].endpoint(emails::address_message))
        .branch(
            dptree::case![State::EmailCode { workspace, email }].endpoint(emails::code_message),
        );
    let presses = Update::filter_callback_query()
        .filter_map_async(context::Ctx::for_callback)
        .map(enter_dialogue)
        .filter_map_async(dialogue_state)
        .endpoint(callbacks::on_press);
    let tree = dptree::entry()
        .branch(messages)
        .branch(presses)
        .branch(groups::membership());

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
