//! Dialogue state per chat and person, stored as JSON in our own migrated table. In a
//! private chat the person is the chat; in a group each member's dialogue is their own, so
//! another member's (or a stranger's) message never answers or ends it. A stored state that
//! no longer decodes is deleted and read as the state's own "unreadable" value, so the bot
//! can tell the chat.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;

use super::{Db, StorageError};
use crate::clock::SharedClock;
use crate::domain::StoredState;
pub use crate::domain::workspace::DialogueKey;

/// Dialogue storage over our pool.
pub struct DialogueStore<D> {
    db: Db,
    clock: SharedClock,
    _state: PhantomData<fn() -> D>,
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

type Result<T> = std::result::Result<T, DialogueStorageError>;

impl<D> DialogueStore<D>
where
    D: Serialize + DeserializeOwned + Default + StoredState + Send + 'static,
{
    pub fn new(db: Db, clock: SharedClock) -> DialogueStore<D> {
        DialogueStore {
            db,
            clock,
            _state: PhantomData,
        }
    }

    /// Forgets a dialogue (back to idle).
    pub async fn remove(&self, key: DialogueKey) -> Result<()> {
        sqlx::query("DELETE FROM dialogue_states WHERE chat_id = $1 AND user_id = $2")
            .bind(key.chat)
            .bind(key.user)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// Stores where a dialogue is; the default (idle) state is the absence of a row, so
    /// reading a chat's state for the first time writes nothing.
    pub async fn update(&self, key: DialogueKey, dialogue: D) -> Result<()> {
        let json = serde_json::to_string(&dialogue)?;
        if json == serde_json::to_string(&D::default())? {
            return self.remove(key).await;
        }
        sqlx::query(
            "INSERT INTO dialogue_states (chat_id, user_id, state, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (chat_id, user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(key.chat)
        .bind(key.user)
        .bind(json)
        .bind(self.clock.unix())
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// Where a dialogue is, if anywhere but idle.
    pub async fn get(&self, key: DialogueKey) -> Result<Option<D>> {
        let row =
            sqlx::query("SELECT state FROM dialogue_states WHERE chat_id = $1 AND user_id = $2")
                .bind(key.chat)
                .bind(key.user)
                .fetch_optional(self.db.pool())
                .await?;
        let Some(row) = row else { return Ok(None) };
        let json: String = row.try_get("state")?;
        match serde_json::from_str(&json) {
            Ok(state) => Ok(Some(state)),
            Err(e) => {
                tracing::warn!(chat = key.chat, error = %e, "stored dialogue state is unreadable; resetting it");
                self.remove(key).await?;
                Ok(Some(D::unreadable()))
            }
        }
    }
}

/// Deletes dialogues untouched since `cutoff` and returns whose they were, with the state
/// they were in (as stored JSON), so the bot can tell each chat.
pub async fn expire_older_than(
    db: &Db,
    cutoff: i64,
) -> std::result::Result<Vec<(DialogueKey, String)>, StorageError> {
    let rows = sqlx::query(
        "DELETE FROM dialogue_states WHERE updated_at < $1 RETURNING chat_id, user_id, state",
    )
    .bind(cutoff)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                DialogueKey {
                    chat: r.try_get("chat_id")?,
                    user: r.try_get("user_id")?,
                },
                r.try_get("state")?,
            ))
        })
        .collect()
}

/// Every stored dialogue as raw JSON (key rotation re-seals what they hold).
pub async fn all_raw<'e, E>(
    exec: E,
) -> std::result::Result<Vec<(DialogueKey, String)>, StorageError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT chat_id, user_id, state FROM dialogue_states ORDER BY chat_id, user_id",
    )
    .fetch_all(exec)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                DialogueKey {
                    chat: r.try_get("chat_id")?,
                    user: r.try_get("user_id")?,
                },
                r.try_get("state")?,
            ))
        })
        .collect()
}

/// Replaces a stored dialogue's raw JSON, keeping its age.
pub async fn replace_raw<'e, E>(
    exec: E,
    key: DialogueKey,
    state: &str,
) -> std::result::Result<(), StorageError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE dialogue_states SET state = $1 WHERE chat_id = $2 AND user_id = $3")
        .bind(state)
        .bind(key.chat)
        .bind(key.user)
        .execute(exec)
        .await?;
    Ok(())
}
