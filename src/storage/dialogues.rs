//! Dialogue state per chat, stored as JSON in our own migrated table through teloxide's
//! `Storage` trait (teloxide's SqliteStorage would open a pool of its own). A stored state
//! that no longer decodes is deleted and read as the state's own "unreadable" value, so the
//! bot can tell the chat.

use std::marker::PhantomData;
use std::sync::Arc;

use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

use super::{Db, StorageError};
use crate::clock::SharedClock;
use crate::domain::StoredState;

/// Dialogue storage over our pool.
pub struct DbStorage<D> {
    db: Db,
    clock: SharedClock,
    _state: PhantomData<fn() -> D>,
}

impl<D> DbStorage<D> {
    pub fn new(db: Db, clock: SharedClock) -> Arc<Self> {
        Arc::new(DbStorage {
            db,
            clock,
            _state: PhantomData,
        })
    }
}

/// Errors of the dialogue storage.
#[derive(Debug, thiserror::Error)]
pub enum DialogueStorageError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("dialogue state does not serialize: {0}")]
    Encode(#[from] serde_json::Error),
}

impl From<sqlx::Error> for DialogueStorageError {
    fn from(e: sqlx::Error) -> Self {
        DialogueStorageError::Storage(StorageError::Db(e))
    }
}

impl<D> Storage<D> for DbStorage<D>
where
    D: Serialize + DeserializeOwned + Default + StoredState + Send + 'static,
{
    type Error = DialogueStorageError;

    fn remove_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<(), Self::Error>>
    where
        D: Send + 'static,
    {
        Box::pin(async move {
            sqlx::query("DELETE FROM dialogue_states WHERE chat_id = $1")
                .bind(chat_id.0)
                .execute(self.db.pool())
                .await?;
            Ok(())
        })
    }

    fn update_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
        dialogue: D,
    ) -> BoxFuture<'static, Result<(), Self::Error>>
    where
        D: Send + 'static,
    {
        Box::pin(async move {
            let json = serde_json::to_string(&dialogue)?;
            // The default (idle) state is the absence of a row: reading a chat's state for
            // the first time writes nothing.
            if json == serde_json::to_string(&D::default())? {
                sqlx::query("DELETE FROM dialogue_states WHERE chat_id = $1")
                    .bind(chat_id.0)
                    .execute(self.db.pool())
                    .await?;
                return Ok(());
            }
            sqlx::query(
                "INSERT INTO dialogue_states (chat_id, state, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            )
            .bind(chat_id.0)
            .bind(json)
            .bind(self.clock.unix())
            .execute(self.db.pool())
            .await?;
            Ok(())
        })
    }

    fn get_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<Option<D>, Self::Error>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT state FROM dialogue_states WHERE chat_id = $1")
                .bind(chat_id.0)
                .fetch_optional(self.db.pool())
                .await?;
            let Some(row) = row else { return Ok(None) };
            let json: String = row.try_get("state")?;
            match serde_json::from_str(&json) {
                Ok(state) => Ok(Some(state)),
                Err(e) => {
                    tracing::warn!(chat = chat_id.0, error = %e, "stored dialogue state is unreadable; resetting it");
                    sqlx::query("DELETE FROM dialogue_states WHERE chat_id = $1")
                        .bind(chat_id.0)
                        .execute(self.db.pool())
                        .await?;
                    Ok(Some(D::unreadable()))
                }
            }
        })
    }
}

/// Deletes dialogues untouched since `cutoff` and returns their chats with the state
/// they were in (as stored JSON), so the bot can tell each chat.
pub async fn expire_older_than(db: &Db, cutoff: i64) -> Result<Vec<(i64, String)>, StorageError> {
    let rows =
        sqlx::query("DELETE FROM dialogue_states WHERE updated_at < $1 RETURNING chat_id, state")
            .bind(cutoff)
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("chat_id")?, r.try_get("state")?)))
        .collect()
}

/// Every stored dialogue as raw JSON (key rotation re-seals what they hold).
pub async fn all_raw<'e, E>(exec: E) -> Result<Vec<(i64, String)>, StorageError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query("SELECT chat_id, state FROM dialogue_states ORDER BY chat_id")
        .fetch_all(exec)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("chat_id")?, r.try_get("state")?)))
        .collect()
}

/// Replaces a stored dialogue's raw JSON, keeping its age.
pub async fn replace_raw<'e, E>(exec: E, chat: i64, state: &str) -> Result<(), StorageError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE dialogue_states SET state = $1 WHERE chat_id = $2")
        .bind(state)
        .bind(chat)
        .execute(exec)
        .await?;
    Ok(())
}
