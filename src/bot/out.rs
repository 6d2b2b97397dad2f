//! Sending to Telegram: localized text, retries on 429 (honouring retry_after) and 5xx,
//! long texts split at line breaks, and a chat marked inactive when Telegram says the
//! bot may no longer write there.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use crate::app::Services;
use crate::domain::{Lang, TgChatId};
use crate::i18n::{Msg, msg};

use super::error::{BotError, HandlerError};

/// Telegram's limit on a message text, in UTF-16 units.
pub const MAX_TEXT: usize = 4096;
/// How often a request refused with 429 or 5xx is tried again.
const RETRIES: u32 = 3;
/// The longest wait for a 429 we accept before giving up on that send.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Runs a Bot API request, retrying what Telegram asks us to retry.
pub async fn with_retry<T, F, Fut>(mut op: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        match op().await {
            // Never before the wait Telegram asked for has passed; a longer wait than we
            // accept is given up on, not cut short.
            Err(RequestError::RetryAfter(s))
                if attempt < RETRIES && s.duration() <= MAX_RETRY_AFTER =>
            {
                tracing::warn!(
                    seconds = s.duration().as_secs(),
                    "telegram asked to retry later"
                );
                tokio::time::sleep(s.duration()).await;
            }
            Err(RequestError::Api(teloxide::ApiError::Unknown(ref d)))
                if attempt < RETRIES && d.contains("Internal Server Error") =>
            {
                tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt))).await;
            }
            other => return other,
        }
        attempt += 1;
    }
}

/// Whether an error means the bot can no longer write to the chat.
pub fn is_chat_gone(e: &RequestError) -> bool {
    use teloxide::ApiError::*;
    matches!(
        e,
        RequestError::Api(
            BotBlocked
                | ChatNotFound
                | UserDeactivated
                | BotKicked
                | BotKickedFromSupergroup
                | CantInitiateConversation
        )
    )
}

/// Splits a text into pieces Telegram accepts, preferring line breaks.
pub fn split_text(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        let mut line = line.to_owned();
        while line.encode_utf16().count() > MAX_TEXT {
            let cut: String = line
                .chars()
                .scan(0, |n, c| {
                    *n += c.len_utf16();
                    (*n <= MAX_TEXT).then_some(c)
                })
                .collect();
            line = line[cut.len()..].to_owned();
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            parts.push(cut);
        }
        if current.encode_utf16().count() + line.encode_utf16().count() > MAX_TEXT {
            parts.push(std::mem::take(&mut current));
        }
        current.push_str(&line);
    }
    if !current.trim().is_empty() || parts.is_empty() {
        parts.push(current);
    }
    parts
}

/// The message a button was pressed on, as the press carried it: an edit that would show
/// the same is not sent (Telegram refuses it), and the press is answered "nothing changed".
#[derive(Debug, Default)]
struct Pressed {
    /// The message as it shows now: as pressed, then as this press edited it.
    shown: std::sync::Mutex<Option<(MessageId, String, Option<InlineKeyboardMarkup>)>>,
    unchanged: std::sync::atomic::AtomicBool,
}

impl Pressed {
    fn shown(
        &self,
    ) -> std::sync::MutexGuard<'_, Option<(MessageId, String, Option<InlineKeyboardMarkup>)>> {
        self.shown.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pressed message was edited to show this.
    fn now_shows(&self, id: MessageId, text: Option<&str>, kb: Option<&InlineKeyboardMarkup>) {
        if let Some((shown, old, old_kb)) = self.shown().as_mut()
            && *shown == id
        {
            if let Some(t) = text {
                *old = t.to_owned();
            }
            *old_kb = kb.cloned();
        }
    }
}

/// A way to talk to one chat in one language.
#[derive(Clone)]
pub struct Out {
    pub bot: Bot,
    pub svc: Arc<Services>,
    pub chat: ChatId,
    pub lang: Lang,
    pressed: Arc<Pressed>,
    /// Sends are tried once: what Telegram refuses or may have taken comes back to the
    /// caller (the alert sender, which keeps "at most once").
    once: bool,
}

impl Out {
    pub fn new(bot: Bot, svc: Arc<Services>, chat: ChatId, lang: Lang) -> Out {
        Out {
            bot,
            svc,
            chat,
            lang,
            pressed: Arc::default(),
            once: false,
        }
    }

    /// This chat with every send tried once, never retried here: for alerts, whose
    /// sender decides what a failure means (a 429 waits in the outbox; a 5xx may have
    /// delivered the message, so it is not sent again).
    pub fn once(self) -> Out {
        Out { once: true, ..self }
    }

    /// This chat while answering a press on `message`.
    pub fn pressing(&self, message: &Message) -> Out {
        let text = message
            .text()
            .or_else(|| message.caption())
            .unwrap_or_default()
            .to_owned();
        Out {
            pressed: Arc::new(Pressed {
                shown: std::sync::Mutex::new(Some((
                    message.id,
                    text,
                    message.reply_markup().cloned(),
                ))),
                unchanged: Default::default(),
            }),
            ..self.clone()
        }
    }

    /// Whether an edit of the pressed message was left out as showing what it showed.
    pub fn left_unchanged(&self) -> bool {
        self.pressed
            .unchanged
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether `id` is the pressed message and already shows `text` with `kb`.
    fn shows(&self, id: MessageId, text: &str, kb: Option<&InlineKeyboardMarkup>) -> bool {
        let same = match self.pressed.shown().as_ref() {
            Some((shown, old, old_kb)) => {
                *shown == id
                    && old.trim() == text.trim()
                    && old_kb.as_ref().filter(|k| !k.inline_keyboard.is_empty())
                        == kb.filter(|k| !k.inline_keyboard.is_empty())
            }
            None => false,
        };
        if same {
            self.pressed
                .unchanged
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
        same
    }

    /// Runs a send to this chat within Telegram's pace (the chat's bucket, the overall
    /// one, and any `retry_after` Telegram asked for, shared with the alert sender),
    /// retrying a 429 once its wait has passed and a 5xx after a short pause.
    async fn paced<T, F, Fut>(&self, mut op: F) -> Result<T, RequestError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, RequestError>>,
    {
        let pace = &self.svc.telegram;
        let chat = self.chat.0;
        let mut attempt = 0;
        loop {
            // A chat Telegram asked to leave alone for longer than anyone waits for a reply
            // is given up on at once (the send is refused as Telegram would refuse it).
            if let Some(wait) = pace.waiting(chat)
                && wait > MAX_RETRY_AFTER
            {
                let secs = u32::try_from(wait.as_secs()).unwrap_or(u32::MAX);
                return Err(RequestError::RetryAfter(
                    teloxide::types::Seconds::from_seconds(secs),
                ));
            }
            pace.before_send(chat).await;
            if self.once {
                let result = op().await;
                if let Err(RequestError::RetryAfter(s)) = &result {
                    pace.retry_after(chat, s.duration());
                }
                return result;
            }
            match op().await {
                Err(RequestError::RetryAfter(s)) => {
                    pace.retry_after(chat, s.duration());
                    tracing::warn!(
                        chat,
                        seconds = s.duration().as_secs(),
                        "telegram asked to wait before sending to this chat"
                    );
                    if attempt >= RETRIES || s.duration() > MAX_RETRY_AFTER {
                        return Err(RequestError::RetryAfter(s));
                    }
                }
                Err(RequestError::Api(teloxide::ApiError::Unknown(ref d)))
                    if attempt < RETRIES && d.contains("Internal Server Error") =>
                {
                    tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt))).await;
                }
                other => return other,
            }
            attempt += 1;
        }
    }

    /// Renders a message in this chat's language.
    pub fn t(&self, m: &Msg) -> String {
        self.svc.i18n.render(self.lang, m)
    }

    /// Renders a message in another language (a language's own name, a member's notice).
    pub fn in_lang(&self, lang: Lang, m: &Msg) -> String {
        self.svc.i18n.render(lang, m)
    }

    /// The same chat in another language.
    pub fn with_lang(&self, lang: Lang) -> Out {
        Out {
            lang,
            ..self.clone()
        }
    }

    /// Another chat (a member told of a change), in its language.
    pub fn to_chat(&self, chat: ChatId, lang: Lang) -> Out {
        Out {
            chat,
            lang,
            pressed: Arc::default(),
            ..self.clone()
        }
    }

    /// Tells the user why their request was not done: their own message, or an internal
    /// failure with a reference to the log.
    pub async fn fail(&self, e: BotError) {
        match e {
            BotError::User(m) => {
                if let Err(e) = self.say(m).await {
                    tracing::warn!(error = %e, "could not send a refusal");
                }
            }
            BotError::Internal(e) => self.internal(&*e).await,
        }
    }

    /// Deletes a message that held (or may hold) a key; the note telling the user so, or
    /// asking them to delete it themselves when Telegram would not.
    pub async fn delete_secret(&self, id: MessageId, deleted: Msg) -> Msg {
        if self.delete(id).await {
            deleted
        } else {
            msg("connect-key-not-deleted")
        }
    }

    async fn gone(&self, e: &RequestError) {
        tracing::info!(chat = self.chat.0, error = %e, "chat no longer reachable; marking it inactive");
        if let Err(e) = self.svc.session().chat_gone(TgChatId(self.chat.0)).await {
            tracing::error!(error = %e, "could not mark chat inactive");
        }
    }

    /// Sends a message; `None` when the chat is gone (recorded, not an error).
    pub async fn say(&self, m: Msg) -> Result<Option<Message>, RequestError> {
        self.send_text(self.t(&m), None).await
    }

    /// A send's result: the message, or `None` when the bot may no longer write to the
    /// chat (then marked inactive).
    async fn kept(
        &self,
        result: Result<Message, RequestError>,
    ) -> Result<Option<Message>, RequestError> {
        match result {
            Ok(m) => Ok(Some(m)),
            Err(e) if is_chat_gone(&e) => {
                self.gone(&e).await;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Sends text with buttons under the last piece.
    pub async fn send_text(
        &self,
        text: String,
        kb: Option<InlineKeyboardMarkup>,
    ) -> Result<Option<Message>, RequestError> {
        let parts = split_text(&text);
        let last = parts.len() - 1;
        let mut sent = None;
        for (i, part) in parts.into_iter().enumerate() {
            let kb = if i == last { kb.clone() } else { None };
            let result = self
                .paced(|| {
                    let mut req = self.bot.send_message(self.chat, part.clone());
                    if let Some(kb) = &kb {
                        req = req.reply_markup(kb.clone());
                    }
                    req.into_future()
                })
                .await;
            match self.kept(result).await? {
                Some(m) => sent = Some(m),
                None => return Ok(None),
            }
        }
        Ok(sent)
    }

    /// Sends a file as a document, with a caption and buttons.
    pub async fn send_document(
        &self,
        name: &str,
        bytes: &[u8],
        caption: Option<String>,
        kb: Option<InlineKeyboardMarkup>,
    ) -> Result<Option<Message>, RequestError> {
        let result = self
            .paced(|| {
                let file =
                    teloxide::types::InputFile::memory(bytes.to_vec()).file_name(name.to_owned());
                let mut req = self.bot.send_document(self.chat, file);
                if let Some(c) = &caption {
                    req = req.caption(c.clone());
                }
                if let Some(kb) = &kb {
                    req = req.reply_markup(kb.clone());
                }
                req.into_future()
            })
            .await;
        self.kept(result).await
    }

    /// Sends a picture, with a caption.
    pub async fn send_photo(
        &self,
        name: &str,
        bytes: &[u8],
        caption: Option<String>,
    ) -> Result<Option<Message>, RequestError> {
        self.send_photo_with(name, bytes, caption, None).await
    }

    /// Sends a picture with a caption and buttons.
    pub async fn send_photo_with(
        &self,
        name: &str,
        bytes: &[u8],
        caption: Option<String>,
        kb: Option<InlineKeyboardMarkup>,
    ) -> Result<Option<Message>, RequestError> {
        let result = self
            .paced(|| {
                let file =
                    teloxide::types::InputFile::memory(bytes.to_vec()).file_name(name.to_owned());
                let mut req = self.bot.send_photo(self.chat, file);
                if let Some(c) = &caption {
                    req = req.caption(c.clone());
                }
                if let Some(kb) = &kb {
                    req = req.reply_markup(kb.clone());
                }
                req.into_future()
            })
            .await;
        self.kept(result).await
    }

    /// Replaces a file message's caption and buttons.
    pub async fn edit_caption(
        &self,
        id: MessageId,
        caption: String,
        kb: Option<InlineKeyboardMarkup>,
    ) -> Result<(), RequestError> {
        let result = self
            .paced(|| {
                let mut req = self
                    .bot
                    .edit_message_caption(self.chat, id)
                    .caption(caption.clone());
                if let Some(kb) = &kb {
                    req = req.reply_markup(kb.clone());
                }
                req.into_future()
            })
            .await;
        match result {
            Ok(_) | Err(RequestError::Api(teloxide::ApiError::MessageNotModified)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Replaces a message's text and buttons; an unchanged message is not an error (and
    /// the pressed message showing the same already is not edited at all).
    pub async fn edit(
        &self,
        id: MessageId,
        text: String,
        kb: Option<InlineKeyboardMarkup>,
    ) -> Result<(), RequestError> {
        if self.shows(id, &text, kb.as_ref()) {
            return Ok(());
        }
        let result = self
            .paced(|| {
                let mut req = self.bot.edit_message_text(self.chat, id, text.clone());
                if let Some(kb) = &kb {
                    req = req.reply_markup(kb.clone());
                }
                req.into_future()
            })
            .await;
        match result {
            Ok(_) | Err(RequestError::Api(teloxide::ApiError::MessageNotModified)) => {
                self.pressed.now_shows(id, Some(&text), kb.as_ref());
                Ok(())
            }
            Err(e) if is_chat_gone(&e) => {
                self.gone(&e).await;
                Ok(())
            }
            Err(RequestError::Api(teloxide::ApiError::MessageToEditNotFound)) => {
                self.send_text(text, kb).await.map(|_| ())
            }
            Err(e) => Err(e),
        }
    }

    /// Shows a screen: edits message `edit` in place (a button led here), or sends it anew
    /// (a command did).
    pub async fn show(
        &self,
        edit: Option<MessageId>,
        text: String,
        kb: Option<InlineKeyboardMarkup>,
    ) -> Result<(), RequestError> {
        match edit {
            Some(id) => self.edit(id, text, kb).await,
            None => self.send_text(text, kb).await.map(|_| ()),
        }
    }

    /// Deletes a message (one that held a secret); returns whether it is gone.
    pub async fn delete(&self, id: MessageId) -> bool {
        let result = with_retry(|| self.bot.delete_message(self.chat, id).into_future()).await;
        match result {
            Ok(_) | Err(RequestError::Api(teloxide::ApiError::MessageToDeleteNotFound)) => true,
            Err(e) => {
                tracing::warn!(error = %e, "could not delete a message");
                false
            }
        }
    }

    /// Removes the buttons under a message (after they were used).
    pub async fn drop_buttons(&self, id: MessageId) {
        self.edit_buttons(id, None).await;
    }

    /// Replaces a message's buttons (`None` removes them); a failure is only logged.
    pub async fn edit_buttons(&self, id: MessageId, kb: Option<InlineKeyboardMarkup>) {
        let same = self
            .pressed
            .shown()
            .as_ref()
            .is_some_and(|(shown, _, old)| {
                *shown == id
                    && old.as_ref().filter(|k| !k.inline_keyboard.is_empty())
                        == kb.as_ref().filter(|k| !k.inline_keyboard.is_empty())
            });
        if same {
            return;
        }
        let result = self
            .paced(|| {
                let mut req = self.bot.edit_message_reply_markup(self.chat, id);
                if let Some(kb) = &kb {
                    req = req.reply_markup(kb.clone());
                }
                req.into_future()
            })
            .await;
        if result.is_ok() {
            self.pressed.now_shows(id, None, kb.as_ref());
        }
        if let Err(e) = result
            && !matches!(e, RequestError::Api(teloxide::ApiError::MessageNotModified))
        {
            tracing::warn!(error = %e, "could not remove buttons");
        }
    }

    /// Answers a button press; the small notice is shown to the presser only.
    pub async fn answer(&self, q: &CallbackQuery, notice: Option<Msg>, alert: bool) {
        let text = notice.map(|m| self.t(&m));
        let result = with_retry(|| {
            let mut req = self.bot.answer_callback_query(q.id.clone());
            if let Some(t) = &text {
                req = req.text(t.clone()).show_alert(alert);
            }
            req.into_future()
        })
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not answer a callback query");
        }
    }

    /// Logs an internal error with a reference and tells the user that reference.
    pub async fn internal(&self, e: &(dyn std::error::Error + Send + Sync)) {
        let reference = reference_id();
        let mut chain = e.to_string();
        let mut source = e.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        tracing::error!(reference = %reference, chat = self.chat.0, error = %chain, "handler failed");
        if let Err(e) = self
            .say(msg("error-internal").arg("reference", reference))
            .await
        {
            tracing::error!(error = %e, "could not report an internal error");
        }
    }
}

/// Runs an endpoint body: a refusal is told to the user, an internal failure is logged and
/// answered with a reference; the update always counts as handled.
pub async fn guarded<F>(out: &Out, body: F) -> Result<(), HandlerError>
where
    F: Future<Output = Result<(), BotError>>,
{
    if let Err(e) = body.await {
        out.fail(e).await;
    }
    Ok(())
}

/// A short id that ties a user's report to a log line.
fn reference_id() -> String {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        b = (chrono::Utc::now().timestamp_subsec_nanos()).to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_at_lines_within_the_limit() {
        let line = "строка текста\n".repeat(400);
        let parts = split_text(&line);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.encode_utf16().count() <= MAX_TEXT));
        assert_eq!(parts.concat(), line);
        let one_line = "я".repeat(5000);
        let parts = split_text(&one_line);
        assert_eq!(parts.concat(), one_line);
        assert!(parts.iter().all(|p| p.encode_utf16().count() <= MAX_TEXT));
        assert_eq!(split_text("hi"), vec!["hi".to_owned()]);
    }
}
