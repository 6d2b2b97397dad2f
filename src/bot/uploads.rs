//! Files sent to the bot (F2, F5): a stock list or a nomenclature as XLSX, XLS, ODS or CSV
//! is read into a preview (changes, unchanged, refused rows with their row, column and
//! reason) with Apply and Cancel; applying happens once, however often it is pressed.

use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, HandlerResult, Notice, Press};
use super::keyboards::button;
use super::out::{Out, guarded};
use super::state::{BotDialogue, State};
use crate::app::Services;
use crate::app::uploads::Excess;
use crate::app::uploads::{Applied, Kind, NotAList, Preview, Reason, Rejected};
use crate::domain::Permission;
use crate::domain::sheet::CountError;
use crate::i18n::msg;

/// The largest file a bot may download from Telegram.
const MAX_BYTES: u32 = 20 * 1024 * 1024;
/// Refused rows listed in a preview, at most.
const REJECTED_SHOWN: usize = 20;

/// What a file too large to read is told.
fn too_large(e: Excess) -> crate::i18n::Msg {
    match e {
        Excess::Unpacked { limit_mb } => msg("upload-too-unpacked").arg("limit", limit_mb as i64),
        Excess::Columns { column, limit } => msg("upload-too-wide")
            .arg("column", column)
            .arg("limit", i64::from(limit)),
        Excess::Cells { limit } => msg("upload-too-many-cells").arg("limit", limit as i64),
    }
}

/// A download that stops at [`MAX_BYTES`], whatever size Telegram declared.
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl tokio::io::AsyncWrite for Capped {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.bytes.len() + buf.len() > MAX_BYTES as usize {
            this.over = true;
            return std::task::Poll::Ready(Err(std::io::Error::other("file over the limit")));
        }
        this.bytes.extend_from_slice(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// Names of files read as tables.
pub fn is_table(name: &str) -> bool {
    let n = name.to_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv"]
        .iter()
        .any(|e| n.ends_with(e))
}

/// The buttons under a preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Apply(i64),
    /// Apply a price list whose jumps were shown.
    Confirm(i64),
    Drop(i64),
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Apply(id) => format!("up:a:{id}"),
            Cb::Confirm(id) => format!("up:y:{id}"),
            Cb::Drop(id) => format!("up:x:{id}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["up", "a", id] => codec::id(id).map(Cb::Apply),
            ["up", "y", id] => codec::id(id).map(Cb::Confirm),
            ["up", "x", id] => codec::id(id).map(Cb::Drop),
            _ => None,
        }
    }
}

fn reason(out: &Out, r: &Reason) -> String {
    out.t(&match r {
        // Under 1 ₽ in a list is most likely Excel's 0.05 for a typed 5%.
        Reason::Price(crate::app::prices::Refusal::Input(
            crate::domain::price::InputError::TooSmall,
        )) => msg("upload-reason-small"),
        Reason::Price(p) => return super::names::price_refusal(out, p),
        Reason::Count(CountError::Empty) => msg("upload-reason-empty"),
        Reason::Count(CountError::NotANumber) => msg("upload-reason-not-a-number"),
        Reason::Count(CountError::Negative) => msg("upload-reason-negative"),
        Reason::Count(CountError::TooLarge) => msg("upload-reason-too-large"),
        Reason::UnknownSku => msg("upload-reason-unknown-sku"),
        Reason::UnknownStore => msg("upload-reason-unknown-store"),
        Reason::Twice(row) => msg("upload-reason-twice").arg("row", *row as i64),
        Reason::NoName => msg("upload-reason-no-name"),
    })
}

fn rejected_line(out: &Out, r: &Rejected) -> String {
    out.t(&msg("upload-rejected-line")
        .arg("row", r.row as i64)
        .arg("column", r.column.clone())
        .arg("value", r.value.clone())
        .arg("reason", reason(out, &r.reason)))
}

fn preview_text(out: &Out, p: &Preview) -> String {
    let mut lines = vec![match p.kind {
        Kind::Stock => out.t(&msg("upload-stock-preview")
            .arg("name", p.name.clone())
            .arg("rows", p.rows as i64)
            .arg("changes", p.changes as i64)
            .arg("unchanged", p.unchanged as i64)
            .arg("rejected", p.rejected.len() as i64)),
        Kind::Nomenclature => out.t(&msg("upload-skus-preview")
            .arg("name", p.name.clone())
            .arg("rows", p.rows as i64)
            .arg("created", p.created as i64)
            .arg("updated", p.updated as i64)
            .arg("unchanged", p.unchanged as i64)
            .arg("rejected", p.rejected.len() as i64)),
        Kind::Prices => out.t(&msg("upload-prices-preview")
            .arg("name", p.name.clone())
            .arg("rows", p.rows as i64)
            .arg("changes", p.changes as i64)
            .arg("unchanged", p.unchanged as i64)
            .arg("rejected", p.rejected.len() as i64)),
    }];
    if p.rules > 0 {
        lines.push(out.t(&msg("upload-prices-rules").arg("count", p.rules as i64)));
    }
    if !p.price_sample.is_empty() {
        lines.push(out.t(&msg("upload-largest")));
        for s in &p.price_sample {
            lines.push(format!(
                "• {} · {}",
                s.code,
                super::names::price_change(out, s)
            ));
        }
    }
    if p.rounded > 0 {
        lines.push(out.t(&msg("upload-prices-rounded").arg("count", p.rounded as i64)));
    }
    if p.jumps > 0 {
        lines.push(
            out.t(&msg("price-jumps")
                .arg("count", p.jumps as i64)
                .arg("threshold", p.threshold)),
        );
    }
    if !p.skipped.is_empty() {
        let mut list: Vec<&str> = p
            .skipped
            .iter()
            .take(REJECTED_SHOWN)
            .map(String::as_str)
            .collect();
        let more = p.skipped.len().saturating_sub(REJECTED_SHOWN);
        let tail = if more > 0 {
            format!(", … {more}")
        } else {
            String::new()
        };
        list.sort_unstable();
        lines.push(
            out.t(&msg("upload-prices-skipped")
                .arg("count", p.skipped.len() as i64)
                .arg("skus", format!("{}{tail}", list.join(", ")))),
        );
    }
    if !p.unknown_columns.is_empty() {
        let shown: Vec<String> = p
            .unknown_columns
            .iter()
            .take(REJECTED_SHOWN)
            .map(|c| format!("«{}»", c.chars().take(60).collect::<String>()))
            .collect();
        lines.push(
            out.t(&msg("upload-prices-unknown-columns")
                .arg("count", p.unknown_columns.len() as i64)
                .arg("columns", shown.join(", "))),
        );
    }
    if !p.sample.is_empty() {
        lines.push(out.t(&msg("upload-largest")));
        for s in &p.sample {
            lines.push(format!(
                "• {} · {}: {} → {}",
                s.code, s.store_name, s.before, s.after
            ));
        }
    }
    if !p.rejected.is_empty() {
        lines.push(out.t(&msg("upload-rejected")));
        for r in p.rejected.iter().take(REJECTED_SHOWN) {
            lines.push(rejected_line(out, r));
        }
        if p.rejected.len() > REJECTED_SHOWN {
            lines.push(format!("• … {}", p.rejected.len() - REJECTED_SHOWN));
        }
    }
    if p.changes == 0 {
        lines.push(out.t(&msg("upload-nothing")));
    }
    lines.join("\n")
}

/// A document in a private chat, in or out of a dialogue.
pub async fn on_document(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    state: State,
) -> HandlerResult {
    let out = Out::new(bot.clone(), svc, message.chat.id, ctx.lang);
    guarded(&out, async {
        let Some(doc) = message.document() else {
            return Ok(());
        };
        let name = doc.file_name.clone().unwrap_or_default();
        if !is_table(&name) {
            out.say(msg("document-unexpected")).await?;
            return Ok(());
        }
        let actor = ctx.acting(Permission::ViewData)?;
        if !actor.role.can(Permission::CountStock) && !actor.role.can(Permission::ManagePrices) {
            return Err(BotError::User(msg("no-permission")));
        }
        if doc.file.size > MAX_BYTES {
            return Err(BotError::User(msg("upload-too-large")));
        }
        let file = bot.get_file(doc.file.id.clone()).await?;
        let mut bytes = Capped::default();
        match bot.download_file(&file.path, &mut bytes).await {
            Ok(()) => {}
            Err(_) if bytes.over => return Err(BotError::User(msg("upload-too-large"))),
            Err(e) => return Err(BotError::Internal(Box::new(e))),
        }
        let bytes = bytes.bytes;
        let preview = match out.svc.uploads().read_upload(actor, &name, bytes).await? {
            Ok(p) => p,
            Err(NotAList::Unreadable) => return Err(BotError::User(msg("upload-unreadable"))),
            Err(NotAList::Empty) => return Err(BotError::User(msg("upload-empty"))),
            Err(NotAList::TooLarge(e)) => return Err(BotError::User(too_large(e))),
            Err(NotAList::TooLong { rows }) => {
                return Err(BotError::User(
                    msg("upload-too-long")
                        .arg("rows", rows as i64)
                        .arg("limit", crate::app::uploads::MAX_ROWS as i64),
                ));
            }
            Err(NotAList::NoHeader { row, found }) => {
                return Err(BotError::User(
                    msg("upload-no-header")
                        .arg("row", row as i64)
                        .arg("found", found.join(", ")),
                ));
            }
        };
        // A list sent while the bot waited for a typed answer ends that question: the file
        // is what the user means now (an inventory being counted keeps what was counted).
        if state != State::Idle {
            dialogue.exit().await?;
            out.say(msg(if matches!(state, State::Counting { .. }) {
                "count-finished"
            } else {
                "upload-left-dialogue"
            }))
            .await?;
        }
        let kb = (preview.changes + preview.rules > 0).then(|| {
            InlineKeyboardMarkup::new(vec![
                vec![button(
                    &out,
                    msg("upload-apply-button")
                        .arg("count", (preview.changes + preview.rules) as i64),
                    Cb::Apply(preview.id).data(),
                )],
                vec![button(
                    &out,
                    msg("button-cancel"),
                    Cb::Drop(preview.id).data(),
                )],
            ])
        });
        let shown = out.send_text(preview_text(&out, &preview), kb).await?;
        if let Some(m) = shown
            && preview.changes + preview.rules > 0
        {
            out.svc
                .uploads()
                .preview_shown(actor, preview.id, chat_of(&out), i64::from(m.id.0))
                .await?;
        }
        Ok(())
    })
    .await
}

fn chat_of(out: &Out) -> crate::domain::TgChatId {
    crate::domain::TgChatId(out.chat.0)
}

/// `/cancel` with previews open in this chat: each is closed where it was shown, and
/// nothing of them is applied; whether there was one.
pub async fn cancel_previews(out: &Out, actor: crate::app::Actor) -> BotResult<bool> {
    let messages = out
        .svc
        .uploads()
        .drop_open_previews(actor, chat_of(out))
        .await?;
    for m in &messages {
        let id = teloxide::types::MessageId(i32::try_from(*m).unwrap_or_default());
        out.edit_buttons(id, None).await;
    }
    Ok(!messages.is_empty())
}

pub async fn on_press(out: &Out, ctx: &Ctx, message: &Message, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    let text = message.text().unwrap_or_default().to_owned();
    let chat = crate::domain::TgChatId(out.chat.0);
    let (id, confirmed) = match cb {
        Cb::Apply(id) => (id, false),
        Cb::Confirm(id) => (id, true),
        Cb::Drop(id) => {
            out.svc.uploads().drop_preview(actor, id).await?;
            let dropped = out.t(&msg("upload-dropped"));
            out.edit(message.id, format!("{text}\n\n{dropped}"), None)
                .await?;
            return Ok(Notice::None);
        }
    };
    match out
        .svc
        .uploads()
        .apply_upload(actor, id, chat, confirmed)
        .await?
    {
        Applied::Done(n) => {
            let done = out.t(&msg("upload-applied").arg("count", n as i64));
            out.edit(message.id, format!("{text}\n\n{done}"), None)
                .await?;
            Ok(Notice::Toast(msg("upload-applied").arg("count", n as i64)))
        }
        Applied::Queued(n) => {
            let done = out.t(&msg("price-queued").arg("count", n as i64));
            out.edit(message.id, format!("{text}\n\n{done}"), None)
                .await?;
            Ok(Notice::Toast(msg("price-confirmed").arg("count", n as i64)))
        }
        Applied::Already => {
            out.drop_buttons(message.id).await;
            Ok(Notice::Alert(msg("upload-already")))
        }
        Applied::Dropped => {
            out.drop_buttons(message.id).await;
            Ok(Notice::Alert(msg("upload-dropped")))
        }
        Applied::Stale => {
            let stale = out.t(&msg("price-stale"));
            out.edit(message.id, format!("{text}\n\n{stale}"), None)
                .await?;
            Ok(Notice::Alert(msg("price-stale-short")))
        }
        Applied::Confirm { jumps, largest } => {
            let kb = InlineKeyboardMarkup::new(vec![
                vec![button(
                    out,
                    msg("price-confirm-button"),
                    Cb::Confirm(id).data(),
                )],
                vec![button(out, msg("button-cancel"), Cb::Drop(id).data())],
            ]);
            out.edit_buttons(message.id, Some(kb)).await;
            Ok(Notice::Alert(
                msg("price-confirm-jump")
                    .arg("count", jumps as i64)
                    .arg("largest", largest),
            ))
        }
    }
}
