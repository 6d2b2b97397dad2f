//! Replays every conversation in `dialogs/` against the real bot through the Telegram
//! double, in Russian and in English. A failure prints the transcript with the first
//! mismatch marked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mpbot::domain::{Lang, Role};
use mpbot::i18n::{Arg, Msg};
use mpbot::sandbox::telegram::{Event, SimChat, SimUser};
use serde::Deserialize;

use crate::harness::TestApp;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Transcript {
    description: String,
    #[serde(default)]
    given: Given,
    #[serde(default)]
    langs: Option<Vec<String>>,
    /// The deployment names an SMTP server (one on loopback): every step then says which
    /// mails it expects (`mailed`), none when it names none.
    #[serde(default)]
    mail: bool,
    steps: Vec<Step>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Given {
    /// The user who writes (default 1001 "Anna").
    user: Option<SeedUser>,
    #[serde(default)]
    workspaces: Vec<SeedWorkspace>,
    /// A dialogue state stored for the user's private chat before the bot starts.
    dialogue_state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedUser {
    id: i64,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedWorkspace {
    name: String,
    members: Vec<SeedMember>,
    /// Cabinets already connected (with the sandbox's demo credentials).
    #[serde(default)]
    cabinets: Vec<SeedCabinet>,
    /// The company's default language (its groups' alerts): "ru" (the default), "en",
    /// or "run" for the language of the replay.
    default_lang: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedCabinet {
    marketplace: String,
    name: String,
    #[serde(default)]
    main: bool,
    /// "fbs" (the default), "fbo" or "both".
    scheme: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedMember {
    user: i64,
    name: String,
    role: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    send: Option<String>,
    /// Repeat `send` this many times into one message.
    times: Option<usize>,
    send_sticker: Option<bool>,
    send_document: Option<String>,
    /// A file made by the test (see `generated`): `NAME:KIND:ROWS`.
    send_generated: Option<String>,
    /// A button number (1-based) or a label (a message id, or `=literal`).
    press: Option<toml::Value>,
    /// Plant a message "from an earlier release" with one button carrying this data, then press it.
    press_stale: Option<String>,
    as_user: Option<i64>,
    chat: Option<String>,
    /// Add the bot to the group chat `group` (titled "Склад").
    add_bot_to_group: Option<bool>,
    /// The current user removes the bot from the test group.
    remove_bot_from_group: Option<bool>,
    /// Press the button twice before the bot answers (a double tap).
    #[serde(default)]
    double_tap: bool,
    /// Sandbox faults to set before the step: `{ ozon = { fail_next = [503, 503] } }`.
    faults: Option<BTreeMap<String, mpbot::sandbox::common::Faults>>,
    /// Ozon method paths the sandbox's demo key loses access to.
    ozon_missing_methods: Option<Vec<String>>,
    advance_clock: Option<i64>,
    /// A buyer places an order now: `"ozon"`, `"wb"`, `"ym"` (FBS) or `"ozon:fbo"`.
    place_order: Option<String>,
    /// The buyer cancels the order placed last.
    #[serde(default)]
    buyer_cancels: bool,
    /// Ozon reports the order placed last in a status its spec does not list.
    unlisted_status: Option<String>,
    /// One scheduler pass, every job due (as the console's `:run`), after the step.
    run_scheduler: Option<bool>,
    #[serde(default)]
    expect: Vec<Expect>,
    #[serde(default)]
    no_reply: bool,
    #[serde(default)]
    db: Vec<DbFact>,
    /// The mails the SMTP server received during the step, in order.
    #[serde(default)]
    mailed: Vec<MailExpect>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailExpect {
    to: String,
    /// A literal fragment of the body (`{last_order}` filled).
    text: Option<String>,
    #[serde(default)]
    lacks_text: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    says: Option<String>,
    #[serde(default)]
    args: BTreeMap<String, toml::Value>,
    text: Option<String>,
    #[serde(default)]
    edited: bool,
    notice: Option<String>,
    buttons: Option<Vec<String>>,
    document: Option<String>,
    /// A picture sent (its file name contains this), a PNG at least 1200 px wide.
    photo: Option<String>,
    /// Message ids whose text must not appear.
    #[serde(default)]
    lacks: Vec<String>,
    /// Literal fragments that must not appear.
    #[serde(default)]
    lacks_text: Vec<String>,
    /// More message ids whose text must appear (without arguments).
    #[serde(default)]
    includes: Vec<String>,
    /// The event is the deletion of the user's last message.
    #[serde(default)]
    deleted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DbFact {
    sql: String,
    is: Option<String>,
    #[serde(default)]
    is_null: bool,
}

const GROUP_ID: i64 = -1_001_000_000_777;

/// A file made for a step, too large or too binary to keep in `dialogs/files`:
/// `NAME:KIND:ROWS` with KIND one of `nomenclature-xlsx` (SKUs `SKU-00001`...),
/// `stock-csv` (a count for each of those SKUs, UTF-8, `;`), `prices-xlsx` (a sheet that
/// is no stock list), `price-list-xlsx` (our price list for those SKUs), `price-guard-xlsx`
/// (a minimum price for ART-00040), `png` and `pdf` (whatever their name says).
fn generated(spec: &str) -> Result<(String, Vec<u8>), String> {
    use mpbot::render::sheets::{SheetOut, Value, write_xlsx};
    let mut parts = spec.split(':');
    let (Some(name), Some(kind), rows) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("send_generated wants NAME:KIND:ROWS, got {spec:?}"));
    };
    let rows: usize = rows.unwrap_or("0").parse().map_err(|_| "bad row count")?;
    let text = |s: String| Value::Text(s);
    let bytes = match kind {
        "nomenclature-xlsx" => write_xlsx(&[SheetOut {
            name: "Номенклатура".into(),
            header: ["Артикул", "Наименование", "Штрихкод", "Вес, г"]
                .map(String::from)
                .to_vec(),
            rows: (1..=rows)
                .map(|i| {
                    vec![
                        text(format!("SKU-{i:05}")),
                        text(format!("Кружка керамическая белая, модель {i}")),
                        text(format!("46{:011}", 70_000_000 + i)),
                        Value::Number(300.0),
                    ]
                })
                .collect(),
        }])
        .map_err(|e| e.to_string())?,
        "stock-csv" => {
            let mut s = String::from("Артикул;Наименование;Штрихкод;Склад;Остаток\n");
            for i in 1..=rows {
                s.push_str(&format!(
                    "SKU-{i:05};Кружка керамическая белая, модель {i};46{:011};;{}\n",
                    70_000_000 + i,
                    i % 50
                ));
            }
            s.into_bytes()
        }
        "prices-xlsx" => write_xlsx(&[SheetOut {
            name: "Прайс".into(),
            header: ["Товар", "Цена", "Скидка"].map(String::from).to_vec(),
            rows: vec![vec![
                text("Кружка".into()),
                Value::Number(499.0),
                Value::Number(10.0),
            ]],
        }])
        .map_err(|e| e.to_string())?,
        // A price list of SKU-00001...: a cost on every row, a price on Ozon on every
        // thousandth (those SKUs are not sold there).
        "price-list-xlsx" => write_xlsx(&[SheetOut {
            name: "Цены".into(),
            header: ["Артикул", "Наименование", "Себестоимость", "Ozon Склад · Цена"]
                .map(String::from)
                .to_vec(),
            rows: (1..=rows)
                .map(|i| {
                    vec![
                        text(format!("SKU-{i:05}")),
                        text(format!("Кружка {i}")),
                        Value::Number(250.5),
                        if i % 1000 == 0 {
                            Value::Number(999.0)
                        } else {
                            Value::Empty
                        },
                    ]
                })
                .collect(),
        }])
        .map_err(|e| e.to_string())?,
        // ART-00040's minimum price: 500 ₽.
        "price-guard-xlsx" => write_xlsx(&[SheetOut {
            name: "Цены".into(),
            header: ["Артикул", "Мин. цена", "Ozon Склад · Цена"]
                .map(String::from)
                .to_vec(),
            rows: vec![vec![
                text("ART-00040".into()),
                Value::Number(500.0),
                Value::Empty,
            ]],
        }])
        .map_err(|e| e.to_string())?,
        // A photo, whatever its name says.
        "png" => {
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
                .to_vec()
        }
        "pdf" => {
            b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n\x00\x01trailer"
                .to_vec()
        }
        other => return Err(format!("no generated file of kind {other:?}")),
    };
    Ok((name.to_owned(), bytes))
}

fn dialogs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")
}

fn all_transcripts() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("dialogs dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "toml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&dialogs_dir(), &mut out);
    out
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// Builds a message from an id and TOML args; an arg may itself be `{ says = id, args = {...} }`.
fn message(lang: Lang, id: &str, args: &BTreeMap<String, toml::Value>) -> Result<String, String> {
    let mut m = Msg {
        id: leak(id),
        args: Vec::new(),
    };
    for (k, v) in args {
        let value = match v {
            toml::Value::String(s) => Arg::Str(s.clone()),
            toml::Value::Integer(n) => Arg::Num(*n),
            toml::Value::Table(t) => {
                let inner_id = t
                    .get("says")
                    .and_then(|v| v.as_str())
                    .ok_or("a nested arg needs `says`")?;
                let inner_args: BTreeMap<String, toml::Value> = t
                    .get("args")
                    .and_then(|a| a.as_table())
                    .map(|a| a.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default();
                Arg::Str(message(lang, inner_id, &inner_args)?)
            }
            other => return Err(format!("unsupported arg value {other}")),
        };
        m.args.push((leak(k), value));
    }
    let i18n = mpbot::i18n::I18n::load().map_err(|e| e.to_string())?;
    i18n.try_render(lang, &m)
}

fn label(lang: Lang, spec: &str) -> Result<String, String> {
    match spec.strip_prefix('=') {
        Some(literal) => Ok(literal.to_owned()),
        None => message(lang, spec, &BTreeMap::new()),
    }
}

fn describe(e: &Event) -> String {
    match e {
        Event::Message {
            text,
            buttons,
            document,
            ..
        } => {
            let labels: Vec<&str> = buttons.iter().flatten().map(|b| b.label.as_str()).collect();
            let doc = document
                .as_ref()
                .map(|d| format!(" [document {}]", d.name))
                .unwrap_or_default();
            format!("message {text:?} buttons {labels:?}{doc}")
        }
        Event::Edited { text, buttons, .. } => {
            let labels: Vec<&str> = buttons.iter().flatten().map(|b| b.label.as_str()).collect();
            format!("edit {text:?} buttons {labels:?}")
        }
        Event::Deleted { message_id, .. } => format!("deleted message {message_id}"),
        Event::CallbackAnswer { text, .. } => format!("notice {text:?}"),
    }
}

fn check(lang: Lang, exp: &Expect, event: &Event) -> Result<(), String> {
    if exp.deleted {
        return match event {
            Event::Deleted { .. } => Ok(()),
            other => Err(format!("expected a deletion, got {}", describe(other))),
        };
    }
    if let Some(notice) = &exp.notice {
        let want = message(lang, notice, &exp.args)?;
        return match event {
            Event::CallbackAnswer { text: Some(t), .. } if t == &want => Ok(()),
            other => Err(format!("expected notice {want:?}, got {}", describe(other))),
        };
    }
    let (text, buttons, document, photo) = match event {
        Event::Message {
            text,
            buttons,
            document,
            photo,
            ..
        } if !exp.edited => (text.clone(), buttons, document.as_ref(), photo.as_ref()),
        Event::Edited { text, buttons, .. } if exp.edited => {
            (text.clone().unwrap_or_default(), buttons, None, None)
        }
        other => {
            let kind = if exp.edited { "an edit" } else { "a message" };
            return Err(format!("expected {kind}, got {}", describe(other)));
        }
    };
    if let Some(id) = &exp.says {
        let want = message(lang, id, &exp.args)?;
        if !text.contains(&want) {
            return Err(format!(
                "expected the text to contain {id} = {want:?}, got {text:?}"
            ));
        }
    }
    if let Some(fragment) = &exp.text
        && !text.contains(fragment.as_str())
    {
        return Err(format!(
            "expected the text to contain {fragment:?}, got {text:?}"
        ));
    }
    for id in &exp.includes {
        let wanted = message(lang, id, &BTreeMap::new())?;
        if !text.contains(&wanted) {
            return Err(format!(
                "expected the text to contain {id} = {wanted:?}, got {text:?}"
            ));
        }
    }
    for id in &exp.lacks {
        let unwanted = message(lang, id, &BTreeMap::new())?;
        if text.contains(&unwanted) {
            return Err(format!(
                "expected the text not to contain {id} = {unwanted:?}, got {text:?}"
            ));
        }
    }
    for fragment in &exp.lacks_text {
        if text.contains(fragment.as_str()) {
            return Err(format!(
                "expected the text not to contain {fragment:?}, got {text:?}"
            ));
        }
    }
    if let Some(want) = &exp.buttons {
        let got: Vec<&str> = buttons.iter().flatten().map(|b| b.label.as_str()).collect();
        if got.len() != want.len() {
            return Err(format!("expected buttons {want:?}, got {got:?}"));
        }
        for (w, g) in want.iter().zip(&got) {
            let w = label(lang, w)?;
            if !g.contains(&w) {
                return Err(format!("expected a button {w:?}, got {got:?}"));
            }
        }
    }
    if let Some(name) = &exp.photo {
        // A picture legible on a phone: a PNG at least 1200 px wide.
        let wide = |b: &[u8]| {
            b.starts_with(b"\x89PNG")
                && b.len() > 24
                && u32::from_be_bytes([b[16], b[17], b[18], b[19]]) >= 1200
        };
        match photo {
            Some(p) if p.name.contains(name.as_str()) && wide(&p.bytes) => {}
            _ => {
                return Err(format!(
                    "expected a PNG picture {name:?} at least 1200 px wide, got {}",
                    describe(event)
                ));
            }
        }
    }
    if let Some(name) = &exp.document {
        match document {
            Some(d) if d.name.contains(name.as_str()) => {}
            _ => {
                return Err(format!(
                    "expected a document {name:?}, got {}",
                    describe(event)
                ));
            }
        }
    }
    Ok(())
}

struct Run {
    app: TestApp,
    user: SimUser,
    chat: SimChat,
    lang: Lang,
    /// The order a buyer placed last: its marketplace and external id.
    placed: Option<(String, String)>,
    /// Mails the SMTP server had received before the step.
    mails_seen: usize,
}

impl Run {
    /// The number the bot shows for the order placed last (its external id until it is
    /// imported).
    async fn last_order(&self) -> Result<String, String> {
        let (_, id) = self.placed.as_ref().ok_or("no order was placed")?;
        let sql = format!("SELECT number FROM orders WHERE external_id = '{id}'");
        let number = self
            .app
            .db
            .scalar_text(&sql)
            .await
            .map_err(|e| e.to_string())?;
        Ok(number.unwrap_or_else(|| id.clone()))
    }

    /// Fills `{last_order}` in a text.
    async fn fill(&self, text: &str) -> Result<String, String> {
        if text.contains("{last_order}") {
            Ok(text.replace("{last_order}", &self.last_order().await?))
        } else {
            Ok(text.to_owned())
        }
    }

    /// An expectation with `{last_order}` filled in its text and string args.
    async fn filled(&self, exp: &Expect) -> Result<Expect, String> {
        let mut exp = exp.clone();
        if let Some(t) = &exp.text {
            exp.text = Some(self.fill(t).await?);
        }
        for v in exp.args.values_mut() {
            if let toml::Value::String(s) = v {
                *s = self.fill(s).await?;
            }
        }
        Ok(exp)
    }

    /// What a buyer or the marketplace does in the sandboxes before the step.
    fn buyer(&mut self, step: &Step) -> Result<(), String> {
        let sandboxes = &self.app.sandboxes;
        if let Some(spec) = &step.place_order {
            let id = match spec.as_str() {
                "ozon" => sandboxes.ozon.place_order(),
                "ozon:fbo" => {
                    use mpbot::sandbox::common::Emulator;
                    let body = serde_json::json!({ "scheme": "fbo" });
                    Emulator::place(sandboxes.ozon.as_ref(), &body).ok_or("no FBO order")?
                }
                "wb" => sandboxes.wb.place_order().to_string(),
                "ym" => sandboxes.ym.place_order().to_string(),
                other => return Err(format!("unknown marketplace {other}")),
            };
            let market = spec.split(':').next().unwrap_or_default().to_owned();
            self.placed = Some((market, id));
        }
        if step.buyer_cancels {
            let (market, id) = self.placed.as_ref().ok_or("no order was placed")?;
            let number = || id.parse::<i64>().map_err(|e| e.to_string());
            let cancelled = match market.as_str() {
                "ozon" => sandboxes.ozon.cancel_as_buyer(id),
                "wb" => sandboxes.wb.cancel_as_buyer(number()?),
                _ => sandboxes.ym.cancel_as_buyer(number()?),
            };
            if !cancelled {
                return Err(format!("the sandbox would not cancel {id}"));
            }
        }
        if let Some(status) = &step.unlisted_status {
            let (_, id) = self.placed.as_ref().ok_or("no order was placed")?;
            if !sandboxes.ozon.report_unlisted(id, Some(status)) {
                return Err(format!("no Ozon posting {id}"));
            }
        }
        Ok(())
    }

    /// Fills `{mail_code}` (the six-digit code in the latest mail) and `{wrong_mail_code}`
    /// (a code that is not it) in a text.
    fn fill_mail_code(&self, text: &str) -> Result<String, String> {
        if !text.contains("mail_code}") {
            return Ok(text.to_owned());
        }
        let smtp = self
            .app
            .smtp
            .as_ref()
            .ok_or("the transcript has no `mail = true`")?;
        let code = smtp
            .mails()
            .iter()
            .rev()
            .find_map(|m| {
                m.text()
                    .split(|c: char| !c.is_ascii_digit())
                    .find(|w| w.len() == 6)
                    .map(str::to_owned)
            })
            .ok_or("no mail carried a code")?;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        Ok(text
            .replace("{mail_code}", &code)
            .replace("{wrong_mail_code}", wrong))
    }

    /// Checks the mails received during a step against what it expects.
    async fn check_mails(&mut self, step: &Step) -> Result<(), String> {
        let Some(smtp) = self.app.smtp.as_ref() else {
            return match step.mailed.is_empty() {
                true => Ok(()),
                false => Err("`mailed` needs `mail = true`".into()),
            };
        };
        let mails = smtp.mails();
        let new = mails.get(self.mails_seen..).unwrap_or_default().to_vec();
        self.mails_seen = mails.len();
        if new.len() != step.mailed.len() {
            let got: Vec<_> = new.iter().map(|m| (m.to.clone(), m.text())).collect();
            return Err(format!(
                "expected {} mail(s), got {}: {got:#?}",
                step.mailed.len(),
                new.len()
            ));
        }
        for (i, (want, got)) in step.mailed.iter().zip(&new).enumerate() {
            let body = got.text();
            if got.to != [want.to.clone()] {
                return Err(format!(
                    "mail {}: to {:?}, expected {:?}",
                    i + 1,
                    got.to,
                    want.to
                ));
            }
            if let Some(t) = &want.text {
                let t = self.fill(t).await?;
                if !body.contains(&t) {
                    return Err(format!("mail {}: expected {t:?} in {body:?}", i + 1));
                }
            }
            for t in &want.lacks_text {
                if body.contains(t.as_str()) {
                    return Err(format!("mail {}: {t:?} must not be in {body:?}", i + 1));
                }
            }
        }
        Ok(())
    }

    fn chat_id(&self) -> i64 {
        match &self.chat {
            SimChat::Private => self.user.id,
            SimChat::Group { id, .. } => *id,
        }
    }
}

/// Fills `{placeholders}` in sent text: the sandboxes' demo credentials and the code of
/// the latest invite the bot sent.
fn expand(text: &str, double: &mpbot::sandbox::telegram::TelegramDouble) -> Result<String, String> {
    use mpbot::sandbox::{ozon, wb, ym};
    let mut out = text
        .replace("{ozon_client_id}", ozon::DEMO_CLIENT_ID)
        .replace("{ozon_key}", ozon::DEMO_API_KEY)
        .replace("{wb_token}", &wb::demo_token_full())
        .replace("{wb_token_partial}", &wb::demo_token_partial())
        .replace("{ym_key}", ym::DEMO_API_KEY);
    if out.contains("{last_invite}") {
        let code = double
            .events()
            .iter()
            .rev()
            .find_map(|e| match e {
                Event::Message { text, .. }
                | Event::Edited {
                    text: Some(text), ..
                } => text.split("?start=").nth(1).map(|rest| {
                    rest.chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect::<String>()
                }),
                _ => None,
            })
            .ok_or("no invite link was sent")?;
        out = out.replace("{last_invite}", &code);
    }
    Ok(out)
}

async fn seed(app: &TestApp, given: &Given, lang: Lang) -> Result<SimUser, String> {
    for ws in &given.workspaces {
        let people: Vec<(i64, &str, Role)> = ws
            .members
            .iter()
            .map(|m| {
                m.role
                    .parse()
                    .map(|r| (m.user, m.name.as_str(), r))
                    .map_err(|_| format!("unknown role {}", m.role))
            })
            .collect::<Result<_, _>>()?;
        let id = app.seed_workspace(&ws.name, &people, lang).await;
        let default_lang = match ws.default_lang.as_deref() {
            None | Some("ru") => Lang::Ru,
            Some("en") => Lang::En,
            Some("run") => lang,
            Some(other) => return Err(format!("unknown default_lang {other}")),
        };
        mpbot::storage::workspaces::set_default_lang(app.db.pool(), id, default_lang)
            .await
            .map_err(|e| e.to_string())?;
        let mut seen = Vec::new();
        for c in &ws.cabinets {
            let market: mpbot::domain::Marketplace = c
                .marketplace
                .parse()
                .map_err(|_| format!("unknown marketplace {}", c.marketplace))?;
            // The first cabinet of a marketplace is the demo account; others are
            // accounts of their own.
            let nth = seen.iter().filter(|m| **m == market).count();
            seen.push(market);
            let cabinet = app.seed_cabinet(id, market, &c.name, c.main, nth).await;
            if let Some(scheme) = &c.scheme {
                let scheme: mpbot::domain::SchemeChoice = scheme
                    .parse()
                    .map_err(|_| format!("unknown scheme {scheme}"))?;
                sqlx::query("UPDATE cabinets SET scheme = $1 WHERE id = $2")
                    .bind(scheme.code())
                    .bind(cabinet.0)
                    .execute(app.db.pool())
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    let (id, name) = given
        .user
        .as_ref()
        .map(|u| (u.id, u.name.clone()))
        .unwrap_or((1001, "Anna".to_owned()));
    if let Some(state) = &given.dialogue_state {
        sqlx::query(
            "INSERT INTO dialogue_states (chat_id, user_id, state, updated_at) VALUES ($1, $1, $2, $3)",
        )
        .bind(id)
        .bind(state)
            .bind(app.clock_now())
            .execute(app.db.pool())
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(TestApp::user(id, &name, lang))
}

async fn run_step(run: &mut Run, step: &Step) -> Result<(), String> {
    let lang = run.lang;
    if let Some(id) = step.as_user {
        run.user = TestApp::user(id, &format!("User {id}"), lang);
    }
    if let Some(chat) = &step.chat {
        run.chat = match chat.as_str() {
            "private" => SimChat::Private,
            "group" => SimChat::Group {
                id: GROUP_ID,
                title: "Склад".into(),
            },
            other => return Err(format!("unknown chat {other}")),
        };
    }
    // Time passes first, then the user acts.
    if let Some(secs) = step.advance_clock {
        run.app.clock.advance(chrono::Duration::seconds(secs));
    }
    run.buyer(step)?;
    let double = &run.app.h.double;
    if step.add_bot_to_group == Some(true) {
        double.add_bot_to_group(&run.user, GROUP_ID, "Склад");
    }
    if step.remove_bot_from_group == Some(true) {
        double.remove_bot_from_group(&run.user, GROUP_ID, "Склад");
    }
    if let Some(faults) = &step.faults {
        for (market, f) in faults {
            let recorder = match market.as_str() {
                "ozon" => run.app.sandboxes.ozon.recorder(),
                "wb" => run.app.sandboxes.wb.recorder(),
                "ym" => run.app.sandboxes.ym.recorder(),
                other => return Err(format!("unknown sandbox {other}")),
            };
            *recorder.faults() = f.clone();
        }
    }
    if let Some(paths) = &step.ozon_missing_methods {
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        run.app.sandboxes.ozon.restrict_key(&paths);
    }
    if let Some(text) = &step.send {
        let text = run.fill(&text.repeat(step.times.unwrap_or(1))).await?;
        let text = run.fill_mail_code(&expand(&text, double)?)?;
        double.send_text(&run.user, &run.chat, &text);
    }
    if step.send_sticker == Some(true) {
        double.send_sticker(&run.user, &run.chat);
    }
    if let Some(path) = &step.send_document {
        let full = dialogs_dir().join(path);
        let bytes =
            std::fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
        double.send_document(&run.user, &run.chat, path, bytes);
    }
    if let Some(spec) = &step.send_generated {
        let (name, bytes) = generated(spec)?;
        double.send_document(&run.user, &run.chat, &name, bytes);
    }
    if let Some(press) = &step.press {
        let chat_id = run.chat_id();
        let (message_id, buttons) = double
            .latest_with_buttons(chat_id)
            .ok_or("no message with buttons to press")?;
        let index = match press {
            toml::Value::Integer(n) => usize::try_from(*n).map_err(|_| "bad button number")?,
            toml::Value::String(spec) => {
                let want = label(lang, &run.fill(spec).await?)?;
                buttons
                    .iter()
                    .flatten()
                    .position(|b| b.label.contains(&want))
                    .map(|i| i + 1)
                    .ok_or_else(|| format!("no button labelled {want:?}"))?
            }
            other => return Err(format!("press takes a number or a label, not {other}")),
        };
        double.press(&run.user, chat_id, message_id, index)?;
        if step.double_tap {
            double.press(&run.user, chat_id, message_id, index)?;
        }
    }
    if let Some(data) = &step.press_stale {
        let message_id = double.plant_bot_message(&run.user, "…", &[("old", data.as_str())]);
        double.press(&run.user, run.user.id, message_id, 1)?;
    }
    let mut events = run.app.settle().await;
    if step.run_scheduler == Some(true) {
        run.app
            .h
            .app
            .svc
            .jobs()
            .make_jobs_due()
            .await
            .map_err(|e| e.to_string())?;
        run.app
            .h
            .app
            .run_scheduler_once()
            .await
            .map_err(|e| e.to_string())?;
        events.extend(run.app.settle().await);
    }
    // Answers without a notice and removed buttons are not counted as replies.
    events.retain(|e| {
        !matches!(
            e,
            Event::CallbackAnswer { text: None, .. } | Event::Edited { text: None, .. }
        )
    });
    if step.no_reply && !events.is_empty() {
        return Err(format!(
            "expected no reply, got {:?}",
            events.iter().map(describe).collect::<Vec<_>>()
        ));
    }
    if !step.no_reply && events.len() != step.expect.len() {
        return Err(format!(
            "expected {} event(s), got {}: {:#?}",
            step.expect.len(),
            events.len(),
            events.iter().map(describe).collect::<Vec<_>>()
        ));
    }
    for (i, (exp, ev)) in step.expect.iter().zip(&events).enumerate() {
        let exp = run.filled(exp).await?;
        check(lang, &exp, ev).map_err(|e| format!("expectation {}: {e}", i + 1))?;
    }
    run.check_mails(step).await?;
    for fact in &step.db {
        let sql = run.fill(&fact.sql).await?;
        let got = run
            .app
            .db
            .scalar_text(&sql)
            .await
            .map_err(|e| format!("{}: {e}", fact.sql))?;
        let ok = if fact.is_null {
            got.is_none()
        } else {
            got.as_deref() == fact.is.as_deref()
        };
        if !ok {
            return Err(format!(
                "database fact {:?}: expected {:?}, got {got:?}",
                fact.sql,
                if fact.is_null { None } else { fact.is.clone() }
            ));
        }
    }
    Ok(())
}

/// Prints the transcript with a marker after the header of step `index`.
fn marked(source: &str, index: usize, lang: Lang, problem: &str) -> String {
    let mut out = String::new();
    let mut seen = 0;
    let mut marked = false;
    for line in source.lines() {
        out.push_str(line);
        out.push('\n');
        if line.trim() == "[[steps]]" {
            if seen == index && !marked {
                out.push_str(&format!(">>> MISMATCH ({lang}): {problem}\n"));
                marked = true;
            }
            seen += 1;
        }
    }
    if !marked {
        out.push_str(&format!(">>> MISMATCH ({lang}) in setup: {problem}\n"));
    }
    out
}

async fn replay(path: &Path, lang: Lang) -> Result<(), String> {
    let source = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let t: Transcript = toml::from_str(&source).map_err(|e| format!("{}: {e}", path.display()))?;
    assert!(
        !t.description.is_empty(),
        "{} needs a description",
        path.display()
    );
    if let Some(langs) = &t.langs
        && !langs.iter().any(|l| l == lang.code())
    {
        return Ok(());
    }
    let app = match t.mail {
        true => TestApp::start_with_mail().await,
        false => TestApp::start().await,
    };
    let user = match seed(&app, &t.given, lang).await {
        Ok(u) => u,
        Err(e) => {
            app.finish().await;
            return Err(marked(&source, usize::MAX, lang, &e));
        }
    };
    let mut run = Run {
        app,
        user,
        chat: SimChat::Private,
        lang,
        placed: None,
        mails_seen: 0,
    };
    let mut failure = None;
    for (i, step) in t.steps.iter().enumerate() {
        if let Err(e) = run_step(&mut run, step).await {
            failure = Some(marked(&source, i, lang, &e));
            break;
        }
    }
    let violations = run.app.h.double.violations();
    run.app.h.stop().await;
    run.app.db.close().await;
    if let Some(f) = failure {
        return Err(format!("{}\n{f}", path.display()));
    }
    if !violations.is_empty() {
        return Err(format!(
            "{}: Bot API calls outside the spec: {violations:?}",
            path.display()
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transcript_replays_in_russian_and_english() {
    let mut files = all_transcripts();
    // `TRANSCRIPT=orders cargo test transcripts` replays only the paths containing "orders".
    if let Ok(only) = std::env::var("TRANSCRIPT") {
        files.retain(|p| p.to_string_lossy().contains(&only));
    }
    assert!(
        std::env::var("TRANSCRIPT").is_ok() || files.len() >= 7,
        "expected the foundation transcripts, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        for lang in Lang::ALL {
            if let Err(e) = replay(path, lang).await {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcript run(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
