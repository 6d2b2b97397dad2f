//! A Telegram Bot API double: an axum server on loopback that speaks the Bot API wire
//! format for the methods the bot uses, keeps per-chat message history, lets a harness
//! inject updates (messages, documents, button presses, the bot joining a group), records
//! every call, and can answer with Telegram's errors on request.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

use crate::clock::SharedClock;

/// The token the double accepts by default (the bot id is the part before the colon).
pub const DEFAULT_TOKEN: &str = "7000000001:sandbox-token-aaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The bot's username in the double.
pub const BOT_USERNAME: &str = "mpbot_sandbox_bot";

/// A simulated Telegram user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl SimUser {
    pub fn new(id: i64, first_name: &str, language_code: &str) -> SimUser {
        SimUser {
            id,
            first_name: first_name.to_owned(),
            username: Some(format!("user{id}")),
            language_code: Some(language_code.to_owned()),
        }
    }

    fn json(&self) -> Value {
        let mut u = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        if let Some(n) = &self.username {
            u["username"] = json!(n);
        }
        if let Some(l) = &self.language_code {
            u["language_code"] = json!(l);
        }
        u
    }
}

/// Where a simulated user writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimChat {
    /// The user's private chat with the bot.
    Private,
    /// A supergroup with the bot in it.
    Group { id: i64, title: String },
}

/// An inline button as the bot sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: Option<String>,
    pub url: Option<String>,
}

/// A file the bot sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Something the bot did that a user would see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Message {
        chat_id: i64,
        message_id: i64,
        text: String,
        buttons: Vec<Vec<Button>>,
        document: Option<SentFile>,
        photo: Option<SentFile>,
    },
    Edited {
        chat_id: i64,
        message_id: i64,
        text: Option<String>,
        buttons: Vec<Vec<Button>>,
    },
    Deleted {
        chat_id: i64,
        message_id: i64,
    },
    CallbackAnswer {
        chat_id: i64,
        text: Option<String>,
        show_alert: bool,
    },
}

impl Event {
    pub fn chat_id(&self) -> i64 {
        match self {
            Event::Message { chat_id, .. }
            | Event::Edited { chat_id, .. }
            | Event::Deleted { chat_id, .. }
            | Event::CallbackAnswer { chat_id, .. } => *chat_id,
        }
    }
}

/// One recorded Bot API call.
#[derive(Debug, Clone)]
pub struct Call {
    /// The method name as sent (teloxide sends `SendMessage`).
    pub method: String,
    pub params: Map<String, Value>,
}

/// A Telegram error to answer the next call of a method with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 Too Many Requests with `retry_after` seconds.
    RetryAfter(u32),
    /// 403 Forbidden: bot was blocked by the user.
    Blocked,
    /// 500 Internal Server Error.
    ServerError,
    /// The call is carried out (the message is sent), then answered with 500, as when
    /// Telegram took a message and failed while answering.
    ServerErrorAfter,
}

/// Checks a method and its parameters against the Bot API spec; returns the problem.
pub type Validator = Arc<dyn Fn(&str, &Map<String, Value>) -> Result<(), String> + Send + Sync>;

struct StoredMessage {
    json: Value,
}

#[derive(Default)]
struct State {
    next_update_id: i64,
    queue: VecDeque<(i64, Value)>,
    injected: u64,
    handed_out_max: i64,
    chats: HashMap<i64, Value>,
    next_message_id: HashMap<i64, i64>,
    messages: HashMap<(i64, i64), StoredMessage>,
    events: Vec<Event>,
    calls: Vec<Call>,
    faults: Vec<(String, Fault)>,
    files: HashMap<String, (String, Vec<u8>)>,
    blocked: HashSet<i64>,
    commands: Vec<(Value, Option<String>, Value)>,
    violations: Vec<String>,
    next_file: u64,
    next_callback: u64,
    callback_chats: HashMap<String, i64>,
    /// Set when the harness shuts down: pending long polls return at once.
    closing: bool,
    /// Long polls being held (a poll is held to its end even if the client gave up on it).
    polls_in_flight: u32,
    /// `getUpdates` refused with 409 because another was still held.
    poll_conflicts: u64,
}

struct Inner {
    token: String,
    bot_id: i64,
    clock: SharedClock,
    state: Mutex<State>,
    updates_ready: Notify,
    activity: Notify,
    validator: Option<Validator>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock only happens in a failing test; keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bot_json(&self) -> Value {
        json!({"id": self.bot_id, "is_bot": true, "first_name": "mpbot", "username": BOT_USERNAME})
    }
}

/// A running Bot API double.
#[derive(Clone)]
pub struct TelegramDouble {
    inner: Arc<Inner>,
    addr: SocketAddr,
}

/// An error answer of the Bot API.
struct ApiError {
    code: u16,
    description: String,
    retry_after: Option<u32>,
}

impl ApiError {
    fn server(description: &str) -> ApiError {
        ApiError {
            code: 500,
            description: format!("Internal Server Error: {description}"),
            retry_after: None,
        }
    }

    fn bad(description: &str) -> ApiError {
        ApiError {
            code: 400,
            description: format!("Bad Request: {description}"),
            retry_after: None,
        }
    }
}

type ApiResult = Result<Value, ApiError>;

impl TelegramDouble {
    /// Starts the double on a free loopback port.
    pub async fn start(
        token: &str,
        clock: SharedClock,
        validator: Option<Validator>,
    ) -> std::io::Result<TelegramDouble> {
        let bot_id = token
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(7_000_000_001);
        let inner = Arc::new(Inner {
            token: token.to_owned(),
            bot_id,
            clock,
            state: Mutex::new(State {
                next_update_id: 1,
                ..State::default()
            }),
            updates_ready: Notify::new(),
            activity: Notify::new(),
            validator,
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .fallback({
                let inner = inner.clone();
                move |req: Request| {
                    let inner = inner.clone();
                    async move { route(inner, req).await }
                }
            })
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024));
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "telegram double stopped");
            }
        });
        Ok(TelegramDouble { inner, addr })
    }

    /// The base URL to give the bot (`MPBOT_TELEGRAM_API_URL`).
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn token(&self) -> &str {
        &self.inner.token
    }

    pub fn bot_id(&self) -> i64 {
        self.inner.bot_id
    }

    // ---- injecting updates -------------------------------------------------------------

    fn chat_json(user: &SimUser, chat: &SimChat) -> Value {
        match chat {
            SimChat::Private => {
                let mut c =
                    json!({"id": user.id, "type": "private", "first_name": user.first_name});
                if let Some(n) = &user.username {
                    c["username"] = json!(n);
                }
                c
            }
            SimChat::Group { id, title } => json!({"id": id, "type": "supergroup", "title": title}),
        }
    }

    fn push_update(&self, st: &mut State, kind: &str, payload: Value) -> i64 {
        let id = st.next_update_id;
        st.next_update_id += 1;
        st.injected += 1;
        let mut update = json!({"update_id": id});
        update[kind] = payload;
        st.queue.push_back((id, update));
        id
    }

    fn user_message(
        &self,
        st: &mut State,
        user: &SimUser,
        chat: &SimChat,
        body: Map<String, Value>,
    ) -> i64 {
        let chat_json = Self::chat_json(user, chat);
        let chat_id = chat_json["id"].as_i64().unwrap_or(user.id);
        st.chats.insert(chat_id, chat_json.clone());
        let message_id = next_message_id(st, chat_id);
        let mut msg = json!({
            "message_id": message_id,
            "date": self.inner.clock.unix(),
            "chat": chat_json,
            "from": user.json(),
        });
        for (k, v) in body {
            msg[k] = v;
        }
        st.messages
            .insert((chat_id, message_id), StoredMessage { json: msg.clone() });
        self.push_update(st, "message", msg);
        message_id
    }

    fn notify(&self) {
        self.inner.updates_ready.notify_waiters();
    }

    /// The user sends a text message (commands included); returns its message id.
    pub fn send_text(&self, user: &SimUser, chat: &SimChat, text: &str) -> i64 {
        let mut body = Map::new();
        body.insert("text".into(), json!(text));
        if let Some(rest) = text.strip_prefix('/') {
            let len = 1 + rest.find(char::is_whitespace).unwrap_or(rest.len());
            let utf16 = text[..len].encode_utf16().count();
            body.insert(
                "entities".into(),
                json!([{"type": "bot_command", "offset": 0, "length": utf16}]),
            );
        }
        let id = self.user_message(&mut self.inner.lock(), user, chat, body);
        self.notify();
        id
    }

    /// The user sends a file as a document.
    pub fn send_document(&self, user: &SimUser, chat: &SimChat, name: &str, bytes: Vec<u8>) -> i64 {
        let mut st = self.inner.lock();
        let size = bytes.len();
        let file_id = store_file(&mut st, name, bytes);
        let mut body = Map::new();
        body.insert(
            "document".into(),
            json!({"file_id": file_id, "file_unique_id": format!("u{file_id}"), "file_name": name,
                   "mime_type": mime_for(name), "file_size": size}),
        );
        let id = self.user_message(&mut st, user, chat, body);
        drop(st);
        self.notify();
        id
    }

    /// The user sends a sticker.
    pub fn send_sticker(&self, user: &SimUser, chat: &SimChat) -> i64 {
        let mut body = Map::new();
        body.insert(
            "sticker".into(),
            json!({"file_id": "sticker-1", "file_unique_id": "us1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": false, "is_video": false, "emoji": "👍"}),
        );
        let id = self.user_message(&mut self.inner.lock(), user, chat, body);
        self.notify();
        id
    }

    /// Puts a message "from the bot" into a chat without the bot sending it, as if an
    /// earlier release had sent it (used to test stale buttons).
    pub fn plant_bot_message(&self, user: &SimUser, text: &str, buttons: &[(&str, &str)]) -> i64 {
        let mut st = self.inner.lock();
        let chat = Self::chat_json(user, &SimChat::Private);
        st.chats.insert(user.id, chat.clone());
        let message_id = next_message_id(&mut st, user.id);
        let row: Vec<Value> = buttons
            .iter()
            .map(|(t, d)| json!({"text": t, "callback_data": d}))
            .collect();
        let msg = json!({"message_id": message_id, "date": self.inner.clock.unix(), "chat": chat,
                         "from": self.inner.bot_json(), "text": text,
                         "reply_markup": {"inline_keyboard": [row]}});
        st.messages
            .insert((user.id, message_id), StoredMessage { json: msg });
        message_id
    }

    /// The user presses button `index` (1-based, counted across rows) of a bot message.
    pub fn press(
        &self,
        user: &SimUser,
        chat_id: i64,
        message_id: i64,
        index: usize,
    ) -> Result<(), String> {
        let mut st = self.inner.lock();
        let stored = st
            .messages
            .get(&(chat_id, message_id))
            .ok_or_else(|| format!("no message {message_id} in chat {chat_id}"))?;
        let msg = stored.json.clone();
        let buttons: Vec<Value> = msg["reply_markup"]["inline_keyboard"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .filter_map(Value::as_array)
                    .flatten()
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let button = index
            .checked_sub(1)
            .and_then(|i| buttons.get(i))
            .ok_or_else(|| {
                format!(
                    "message {message_id} has no button {index} (it has {})",
                    buttons.len()
                )
            })?;
        let data = button["callback_data"]
            .as_str()
            .ok_or("that button carries no callback data")?
            .to_owned();
        st.next_callback += 1;
        let query_id = format!("cbq-{}", st.next_callback);
        st.callback_chats.insert(query_id.clone(), chat_id);
        let query = json!({
            "id": query_id,
            "from": user.json(),
            "message": msg,
            "chat_instance": format!("ci-{chat_id}"),
            "data": data,
        });
        self.push_update(&mut st, "callback_query", query);
        drop(st);
        self.notify();
        Ok(())
    }

    /// A forged press: `user` sends callback data of their choosing for a bot message,
    /// whether or not the message carries such a button (a client can).
    pub fn press_data(
        &self,
        user: &SimUser,
        chat_id: i64,
        message_id: i64,
        data: &str,
    ) -> Result<(), String> {
        let mut st = self.inner.lock();
        let msg = st
            .messages
            .get(&(chat_id, message_id))
            .ok_or_else(|| format!("no message {message_id} in chat {chat_id}"))?
            .json
            .clone();
        st.next_callback += 1;
        let query_id = format!("cbq-{}", st.next_callback);
        st.callback_chats.insert(query_id.clone(), chat_id);
        let query = json!({
            "id": query_id,
            "from": user.json(),
            "message": msg,
            "chat_instance": format!("ci-{chat_id}"),
            "data": data,
        });
        self.push_update(&mut st, "callback_query", query);
        drop(st);
        self.notify();
        Ok(())
    }

    fn member_update(&self, user: &SimUser, chat: Value, old: &str, new: &str) {
        let mut st = self.inner.lock();
        let chat_id = chat["id"].as_i64().unwrap_or_default();
        st.chats.insert(chat_id, chat.clone());
        let payload = json!({
            "chat": chat,
            "from": user.json(),
            "date": self.inner.clock.unix(),
            "old_chat_member": member_json(self.inner.bot_json(), old),
            "new_chat_member": member_json(self.inner.bot_json(), new),
        });
        self.push_update(&mut st, "my_chat_member", payload);
        drop(st);
        self.notify();
    }

    /// `user` adds the bot to a supergroup.
    pub fn add_bot_to_group(&self, user: &SimUser, group_id: i64, title: &str) {
        self.member_update(
            user,
            json!({"id": group_id, "type": "supergroup", "title": title}),
            "left",
            "member",
        );
    }

    /// `user` removes the bot from a supergroup.
    pub fn remove_bot_from_group(&self, user: &SimUser, group_id: i64, title: &str) {
        self.member_update(
            user,
            json!({"id": group_id, "type": "supergroup", "title": title}),
            "member",
            "left",
        );
    }

    /// `user` blocks the bot: Telegram reports it and refuses further messages with 403.
    pub fn block_bot(&self, user: &SimUser) {
        self.inner.lock().blocked.insert(user.id);
        self.member_update(
            user,
            Self::chat_json(user, &SimChat::Private),
            "member",
            "kicked",
        );
    }

    // ---- faults and inspection ---------------------------------------------------------

    /// Answers the next call of `method` (case-insensitive) with `fault`.
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.inner
            .lock()
            .faults
            .push((method.to_ascii_lowercase(), fault));
    }

    /// Everything the bot did, in order.
    pub fn events(&self) -> Vec<Event> {
        self.inner.lock().events.clone()
    }

    /// Events from index `from` on, and the index to continue from.
    pub fn events_since(&self, from: usize) -> (Vec<Event>, usize) {
        let st = self.inner.lock();
        let from = from.min(st.events.len());
        (st.events[from..].to_vec(), st.events.len())
    }

    /// Every Bot API call received, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.inner.lock().calls.clone()
    }

    /// Calls refused by the spec validator.
    pub fn violations(&self) -> Vec<String> {
        self.inner.lock().violations.clone()
    }

    /// The commands set with setMyCommands: (scope, language_code, commands).
    pub fn commands(&self) -> Vec<(Value, Option<String>, Value)> {
        self.inner.lock().commands.clone()
    }

    /// The current JSON of a message.
    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<Value> {
        self.inner
            .lock()
            .messages
            .get(&(chat_id, message_id))
            .map(|m| m.json.clone())
    }

    /// The newest message in a chat that has inline buttons, if any.
    pub fn latest_with_buttons(&self, chat_id: i64) -> Option<(i64, Vec<Vec<Button>>)> {
        let st = self.inner.lock();
        st.messages
            .iter()
            .filter(|((c, _), m)| *c == chat_id && !buttons_of(&m.json).is_empty())
            .max_by_key(|((_, id), _)| *id)
            .map(|((_, id), m)| (*id, buttons_of(&m.json)))
    }

    /// How many updates were injected so far.
    pub fn injected(&self) -> u64 {
        self.inner.lock().injected
    }

    /// Whether the bot has fetched every injected update.
    pub fn all_delivered(&self) -> bool {
        let st = self.inner.lock();
        st.handed_out_max >= st.next_update_id - 1
    }

    /// `getUpdates` calls refused because another long poll was still held: a client that
    /// gives up on its polls before the server does.
    pub fn poll_conflicts(&self) -> u64 {
        self.inner.lock().poll_conflicts
    }

    /// Makes pending and future long polls return at once (before stopping the bot).
    pub fn release_polls(&self) {
        self.inner.lock().closing = true;
        self.notify();
    }

    /// Lets long polls wait again (a bot started anew against this double).
    pub fn reopen_polls(&self) {
        self.inner.lock().closing = false;
    }

    /// Waits until the bot makes another call (or `timeout` passes).
    pub async fn wait_activity(&self, timeout: Duration) {
        let _ = tokio::time::timeout(timeout, self.inner.activity.notified()).await;
    }
}

/// A ChatMember object; Telegram adds `until_date` to a kicked member.
fn member_json(user: Value, status: &str) -> Value {
    let mut m = json!({"user": user, "status": status});
    if status == "kicked" {
        m["until_date"] = json!(0);
    }
    m
}

fn next_message_id(st: &mut State, chat_id: i64) -> i64 {
    let n = st.next_message_id.entry(chat_id).or_insert(0);
    *n += 1;
    *n
}

fn store_file(st: &mut State, name: &str, bytes: Vec<u8>) -> String {
    st.next_file += 1;
    let id = format!("file-{}", st.next_file);
    st.files.insert(id.clone(), (name.to_owned(), bytes));
    id
}

fn mime_for(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".pdf") {
        "application/pdf"
    } else if lower.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else if lower.ends_with(".csv") {
        "text/csv"
    } else if lower.ends_with(".png") {
        "image/png"
    } else {
        "application/octet-stream"
    }
}

fn buttons_of(msg: &Value) -> Vec<Vec<Button>> {
    parse_keyboard(&msg["reply_markup"])
}

fn parse_keyboard(markup: &Value) -> Vec<Vec<Button>> {
    markup["inline_keyboard"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    row.as_array()
                        .map(|bs| {
                            bs.iter()
                                .map(|b| Button {
                                    label: b["text"].as_str().unwrap_or_default().to_owned(),
                                    data: b["callback_data"].as_str().map(str::to_owned),
                                    url: b["url"].as_str().map(str::to_owned),
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

// ---- the HTTP side ----------------------------------------------------------------------

fn reply(result: ApiResult) -> Response {
    match result {
        Ok(v) => (StatusCode::OK, axum::Json(json!({"ok": true, "result": v}))).into_response(),
        Err(e) => {
            let mut body = json!({"ok": false, "error_code": e.code, "description": e.description});
            if let Some(s) = e.retry_after {
                body["parameters"] = json!({"retry_after": s});
            }
            let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, axum::Json(body)).into_response()
        }
    }
}

async fn route(inner: Arc<Inner>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return download(&inner, rest);
    }
    let Some(rest) = path.strip_prefix("/bot") else {
        return reply(Err(ApiError {
            code: 404,
            description: "Not Found".into(),
            retry_after: None,
        }));
    };
    let Some((token, method)) = rest.split_once('/') else {
        return reply(Err(ApiError {
            code: 404,
            description: "Not Found".into(),
            retry_after: None,
        }));
    };
    if token != inner.token {
        return reply(Err(ApiError {
            code: 401,
            description: "Unauthorized".into(),
            retry_after: None,
        }));
    }
    let method = method.to_owned();
    let query = req.uri().query().map(str::to_owned);
    let params = match read_params(&inner, req, query).await {
        Ok(p) => p,
        Err(e) => return reply(Err(e)),
    };
    let result = call(&inner, &method, params).await;
    inner.activity.notify_waiters();
    reply(result)
}

fn download(inner: &Inner, rest: &str) -> Response {
    let Some((token, file_path)) = rest.split_once('/') else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if token != inner.token {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let st = inner.lock();
    // Clients may send the file path as one percent-encoded segment.
    let file_path = file_path.replace("%2F", "/").replace("%2f", "/");
    let id = file_path.strip_prefix("documents/").unwrap_or(&file_path);
    match st.files.get(id) {
        Some((_, bytes)) => (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            bytes.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Fields whose multipart text must stay a string even if it looks like JSON.
const STRING_FIELDS: &[&str] = &["text", "caption", "parse_mode", "callback_query_id"];

async fn read_params(
    inner: &Inner,
    req: Request,
    query: Option<String>,
) -> Result<Map<String, Value>, ApiError> {
    let mut params = Map::new();
    let mut attachments = Map::new();
    if let Some(q) = query {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            params.insert(k.to_owned(), parse_scalar(k, v));
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| ApiError::bad(&e.to_string()))?;
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| ApiError::bad(&e.to_string()))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let data: Bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::bad(&e.to_string()))?;
            match file_name {
                Some(file_name) => {
                    // A file part is either the parameter itself or an `attach://<name>` target.
                    let id = store_file(&mut inner.lock(), &file_name, data.to_vec());
                    attachments.insert(
                        name,
                        json!({"uploaded_file_id": id, "file_name": file_name, "size": data.len()}),
                    );
                }
                None => {
                    let text = String::from_utf8_lossy(&data).into_owned();
                    params.insert(name.clone(), parse_scalar(&name, &text));
                }
            }
        }
        for (name, file) in attachments {
            let target = params
                .iter()
                .find(|(_, v)| v.as_str() == Some(&format!("attach://{name}")))
                .map(|(k, _)| k.clone());
            params.insert(target.unwrap_or(name), file);
        }
    } else {
        let body = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
            .await
            .map_err(|e| ApiError::bad(&e.to_string()))?;
        if !body.is_empty() {
            if content_type.starts_with("application/json") {
                let v: Value =
                    serde_json::from_slice(&body).map_err(|_| ApiError::bad("can't parse JSON"))?;
                if let Value::Object(m) = v {
                    params.extend(m);
                }
            } else {
                for pair in String::from_utf8_lossy(&body)
                    .split('&')
                    .filter(|p| !p.is_empty())
                {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    params.insert(k.to_owned(), parse_scalar(k, v));
                }
            }
        }
    }
    Ok(params)
}

fn parse_scalar(name: &str, text: &str) -> Value {
    if STRING_FIELDS.contains(&name) {
        return json!(text);
    }
    serde_json::from_str(text).unwrap_or_else(|_| json!(text))
}

fn chat_id_param(params: &Map<String, Value>) -> Result<i64, ApiError> {
    match params.get("chat_id") {
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| ApiError::bad("chat not found")),
        Some(Value::String(s)) => s.parse().map_err(|_| ApiError::bad("chat not found")),
        _ => Err(ApiError::bad("chat_id is empty")),
    }
}

fn int_param(params: &Map<String, Value>, name: &str) -> Option<i64> {
    match params.get(name) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

fn markup_param(params: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    let markup = match params.get("reply_markup") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s)
            .map_err(|_| ApiError::bad("can't parse reply keyboard markup JSON object"))?,
        Some(v) => v.clone(),
    };
    if let Some(rows) = markup["inline_keyboard"].as_array() {
        for b in rows.iter().filter_map(Value::as_array).flatten() {
            if b["text"].as_str().is_none_or(str::is_empty) {
                return Err(ApiError::bad("BUTTON_TEXT_EMPTY"));
            }
            if let Some(d) = b.get("callback_data") {
                let len = d.as_str().map_or(0, str::len);
                if !(1..=64).contains(&len) {
                    return Err(ApiError::bad("BUTTON_DATA_INVALID"));
                }
            }
        }
    }
    Ok(Some(markup))
}

fn check_text(text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::bad("message text is empty"));
    }
    if text.encode_utf16().count() > 4096 {
        return Err(ApiError::bad("message is too long"));
    }
    Ok(())
}

async fn call(inner: &Arc<Inner>, method: &str, params: Map<String, Value>) -> ApiResult {
    let lower = method.to_ascii_lowercase();
    let mut taken_then_failed = false;
    {
        let mut st = inner.lock();
        if lower != "getupdates" {
            st.calls.push(Call {
                method: method.to_owned(),
                params: params.clone(),
            });
        }
        if let Some(validator) = &inner.validator
            && let Err(problem) = validator(method, &params)
        {
            st.violations.push(problem.clone());
            return Err(ApiError::bad(&problem));
        }
        if let Some(pos) = st.faults.iter().position(|(m, _)| *m == lower) {
            let (_, fault) = st.faults.remove(pos);
            if matches!(fault, Fault::ServerErrorAfter) {
                taken_then_failed = true;
            } else {
                return Err(match fault {
                    Fault::RetryAfter(s) => ApiError {
                        code: 429,
                        description: format!("Too Many Requests: retry after {s}"),
                        retry_after: Some(s),
                    },
                    Fault::Blocked => ApiError {
                        code: 403,
                        description: "Forbidden: bot was blocked by the user".into(),
                        retry_after: None,
                    },
                    Fault::ServerError | Fault::ServerErrorAfter => ApiError {
                        code: 500,
                        description: "Internal Server Error".into(),
                        retry_after: None,
                    },
                });
            }
        }
    }
    let result = carry_out(inner, &lower, params).await;
    if taken_then_failed {
        return Err(ApiError {
            code: 500,
            description: "Internal Server Error".into(),
            retry_after: None,
        });
    }
    result
}

/// Does what a method does, once the faults and checks let it through.
async fn carry_out(inner: &Arc<Inner>, lower: &str, params: Map<String, Value>) -> ApiResult {
    match lower {
        "getme" => {
            let mut me = inner.bot_json();
            me["can_join_groups"] = json!(true);
            me["can_read_all_group_messages"] = json!(false);
            me["supports_inline_queries"] = json!(false);
            me["can_connect_to_business"] = json!(false);
            me["has_main_web_app"] = json!(false);
            Ok(me)
        }
        "getwebhookinfo" => {
            let pending = inner.lock().queue.len();
            Ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": pending}))
        }
        "deletewebhook" | "logout" | "close" => Ok(json!(true)),
        "getupdates" => {
            // As Telegram does: a second long poll while one is held is refused with 409,
            // and a poll is held to its timeout even when its client stopped waiting.
            {
                let mut st = inner.lock();
                if st.polls_in_flight > 0 {
                    st.poll_conflicts += 1;
                    return Err(ApiError {
                        code: 409,
                        description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".into(),
                        retry_after: None,
                    });
                }
                st.polls_in_flight += 1;
            }
            let held = inner.clone();
            tokio::spawn(async move {
                let result = get_updates(&held, &params).await;
                held.lock().polls_in_flight -= 1;
                result
            })
            .await
            .unwrap_or_else(|_| Err(ApiError::server("the long poll stopped")))
        }
        "sendmessage" => {
            let chat_id = chat_id_param(&params)?;
            let text = params
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            check_text(&text)?;
            let markup = markup_param(&params)?;
            let mut st = inner.lock();
            let msg = bot_message(inner, &mut st, chat_id, |m| {
                m["text"] = json!(text);
            })?;
            finish_send(&mut st, chat_id, msg, markup, Some(text), None, None)
        }
        "senddocument" | "sendphoto" => {
            let field = if lower == "senddocument" {
                "document"
            } else {
                "photo"
            };
            let chat_id = chat_id_param(&params)?;
            let file = params
                .get(field)
                .cloned()
                .ok_or_else(|| ApiError::bad(&format!("there is no {field} in the request")))?;
            let file_id = file["uploaded_file_id"]
                .as_str()
                .ok_or_else(|| ApiError::bad("wrong file identifier/HTTP URL specified"))?
                .to_owned();
            let caption = params
                .get("caption")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let markup = markup_param(&params)?;
            let mut st = inner.lock();
            let (name, bytes) = st.files.get(&file_id).cloned().unwrap_or_default();
            if bytes.is_empty() {
                return Err(ApiError::bad("file must be non-empty"));
            }
            let size = bytes.len();
            let msg = bot_message(inner, &mut st, chat_id, |m| {
                if field == "document" {
                    m["document"] = json!({"file_id": file_id, "file_unique_id": format!("u{file_id}"),
                                           "file_name": name, "mime_type": mime_for(&name), "file_size": size});
                } else {
                    m["photo"] = json!([{"file_id": file_id, "file_unique_id": format!("u{file_id}"),
                                         "width": 800, "height": 600, "file_size": size}]);
                }
                if let Some(c) = &caption {
                    m["caption"] = json!(c);
                }
            })?;
            let sent = SentFile { name, bytes };
            let (doc, photo) = if field == "document" {
                (Some(sent), None)
            } else {
                (None, Some(sent))
            };
            finish_send(&mut st, chat_id, msg, markup, caption, doc, photo)
        }
        "editmessagetext" | "editmessagereplymarkup" | "editmessagecaption" => {
            let chat_id = chat_id_param(&params)?;
            let message_id = int_param(&params, "message_id")
                .ok_or_else(|| ApiError::bad("message identifier is not specified"))?;
            let field = if lower == "editmessagecaption" {
                "caption"
            } else {
                "text"
            };
            let text = params.get(field).and_then(Value::as_str).map(str::to_owned);
            if lower == "editmessagetext" {
                check_text(text.as_deref().unwrap_or_default())?;
            }
            let markup = markup_param(&params)?;
            let mut st = inner.lock();
            let stored = st
                .messages
                .get_mut(&(chat_id, message_id))
                .ok_or_else(|| ApiError::bad("message to edit not found"))?;
            if stored.json["from"]["id"].as_i64() != Some(inner.bot_id) {
                return Err(ApiError::bad("message can't be edited"));
            }
            let before = stored.json.clone();
            let has_file =
                stored.json.get("document").is_some() || stored.json.get("photo").is_some();
            if field == "caption" && !has_file {
                return Err(ApiError::bad("there is no caption in the message to edit"));
            }
            if let Some(t) = &text {
                stored.json[field] = json!(t);
            }
            match &markup {
                Some(m) => stored.json["reply_markup"] = m.clone(),
                None => {
                    if let Some(o) = stored.json.as_object_mut() {
                        o.remove("reply_markup");
                    }
                }
            }
            if stored.json == before {
                return Err(ApiError::bad(
                    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
                ));
            }
            stored.json["edit_date"] = json!(inner.clock.unix());
            let msg = stored.json.clone();
            st.events.push(Event::Edited {
                chat_id,
                message_id,
                text,
                buttons: buttons_of(&msg),
            });
            Ok(msg)
        }
        "deletemessage" => {
            let chat_id = chat_id_param(&params)?;
            let message_id = int_param(&params, "message_id")
                .ok_or_else(|| ApiError::bad("message identifier is not specified"))?;
            let mut st = inner.lock();
            if st.messages.remove(&(chat_id, message_id)).is_none() {
                return Err(ApiError::bad("message to delete not found"));
            }
            st.events.push(Event::Deleted {
                chat_id,
                message_id,
            });
            Ok(json!(true))
        }
        "answercallbackquery" => {
            let id = params
                .get("callback_query_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if id.is_empty() {
                return Err(ApiError::bad(
                    "query is too old and response timeout expired or query ID is invalid",
                ));
            }
            let text = params
                .get("text")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let show_alert = params
                .get("show_alert")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let mut st = inner.lock();
            // A query can be answered once; an unknown or answered one is refused.
            let chat_id = st.callback_chats.remove(id).ok_or_else(|| {
                ApiError::bad(
                    "query is too old and response timeout expired or query ID is invalid",
                )
            })?;
            st.events.push(Event::CallbackAnswer {
                chat_id,
                text,
                show_alert,
            });
            Ok(json!(true))
        }
        "sendchataction" => {
            chat_id_param(&params)?;
            Ok(json!(true))
        }
        "setmycommands" => {
            let commands = params
                .get("commands")
                .cloned()
                .ok_or_else(|| ApiError::bad("commands are empty"))?;
            let commands = match commands {
                Value::String(s) => serde_json::from_str(&s)
                    .map_err(|_| ApiError::bad("can't parse commands JSON"))?,
                v => v,
            };
            for c in commands.as_array().into_iter().flatten() {
                let name = c["command"].as_str().unwrap_or_default();
                let ok = (1..=32).contains(&name.len())
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                let desc = c["description"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .count();
                if !ok || !(1..=256).contains(&desc) {
                    return Err(ApiError::bad("BOT_COMMAND_INVALID"));
                }
            }
            let (scope, lang) = menu_key(&params);
            let mut st = inner.lock();
            st.commands.retain(|(s, l, _)| !(*s == scope && *l == lang));
            st.commands.push((scope, lang, commands));
            Ok(json!(true))
        }
        "deletemycommands" => {
            let (scope, lang) = menu_key(&params);
            inner
                .lock()
                .commands
                .retain(|(s, l, _)| !(*s == scope && *l == lang));
            Ok(json!(true))
        }
        "getfile" => {
            let id = params
                .get("file_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let st = inner.lock();
            let (_, bytes) = st
                .files
                .get(id)
                .ok_or_else(|| ApiError::bad("invalid file_id"))?;
            Ok(
                json!({"file_id": id, "file_unique_id": format!("u{id}"), "file_size": bytes.len(),
                      "file_path": format!("documents/{id}")}),
            )
        }
        _ => Err(ApiError {
            code: 404,
            description: "Not Found: method not found".into(),
            retry_after: None,
        }),
    }
}

/// Which menu a setMyCommands / deleteMyCommands call addresses: (scope, language).
fn menu_key(params: &Map<String, Value>) -> (Value, Option<String>) {
    let scope = params
        .get("scope")
        .cloned()
        .unwrap_or(json!({"type": "default"}));
    let lang = params
        .get("language_code")
        .and_then(Value::as_str)
        .map(str::to_owned);
    (scope, lang)
}

/// Builds a message from the bot in `chat_id`, checking the bot may write there.
fn bot_message(
    inner: &Inner,
    st: &mut State,
    chat_id: i64,
    fill: impl FnOnce(&mut Value),
) -> Result<Value, ApiError> {
    if st.blocked.contains(&chat_id) {
        return Err(ApiError {
            code: 403,
            description: "Forbidden: bot was blocked by the user".into(),
            retry_after: None,
        });
    }
    let chat = st
        .chats
        .get(&chat_id)
        .cloned()
        .ok_or_else(|| ApiError::bad("chat not found"))?;
    let message_id = next_message_id(st, chat_id);
    let mut msg = json!({"message_id": message_id, "date": inner.clock.unix(), "chat": chat, "from": inner.bot_json()});
    fill(&mut msg);
    Ok(msg)
}

fn finish_send(
    st: &mut State,
    chat_id: i64,
    mut msg: Value,
    markup: Option<Value>,
    text: Option<String>,
    document: Option<SentFile>,
    photo: Option<SentFile>,
) -> ApiResult {
    if let Some(m) = markup {
        msg["reply_markup"] = m;
    }
    let message_id = msg["message_id"].as_i64().unwrap_or_default();
    st.messages
        .insert((chat_id, message_id), StoredMessage { json: msg.clone() });
    st.events.push(Event::Message {
        chat_id,
        message_id,
        text: text.unwrap_or_default(),
        buttons: buttons_of(&msg),
        document,
        photo,
    });
    Ok(msg)
}

async fn get_updates(inner: &Inner, params: &Map<String, Value>) -> ApiResult {
    let offset = int_param(params, "offset");
    let limit = int_param(params, "limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout =
        Duration::from_secs(int_param(params, "timeout").unwrap_or(0).clamp(0, 50) as u64);
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let notified = inner.updates_ready.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut st = inner.lock();
            if let Some(offset) = offset {
                while st.queue.front().is_some_and(|(id, _)| *id < offset) {
                    st.queue.pop_front();
                }
            }
            let batch: Vec<Value> = st
                .queue
                .iter()
                .filter(|(id, _)| offset.is_none_or(|o| *id >= o))
                .take(limit)
                .map(|(_, u)| u.clone())
                .collect();
            if st.closing && batch.is_empty() {
                return Ok(json!([]));
            }
            if !batch.is_empty() {
                let max = batch
                    .iter()
                    .filter_map(|u| u["update_id"].as_i64())
                    .max()
                    .unwrap_or_default();
                st.handed_out_max = st.handed_out_max.max(max);
                return Ok(Value::Array(batch));
            }
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return Ok(json!([]));
        }
    }
}
