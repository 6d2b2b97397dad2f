//! The alert sender: delivers what the outbox holds to each chat within Telegram's limits
//! (about 30 messages a second overall, 20 a minute per group, the pace shared with the
//! bot's replies), at most once each, never before a `retry_after` Telegram asked for. Many
//! alerts waiting for one chat at once (after downtime, or a first import) arrive as one
//! digest; an alert that names items to put back always arrives on its own. A 429 waits
//! for Telegram's `retry_after`, a chat that blocked or removed the bot is marked inactive,
//! and a send a crash cut short is never repeated.

use std::collections::BTreeMap;
use std::sync::Arc;

use teloxide::RequestError;
use teloxide::types::MessageId;

use crate::app::alerts::AlertView;
use crate::app::{AppResult, Services};
use crate::domain::alerts::Alert;
use crate::domain::{Lang, TgChatId};
use crate::storage::outbox::{Delivery, Sent};

/// Telegram's limit per group chat.
pub const PER_CHAT_PER_MINUTE: i64 = 20;
/// How many alerts waiting for one chat at once are told as a digest.
pub const DIGEST_AT: usize = 6;
/// A failed send is tried this many times in all.
pub const TRIES: i64 = 5;
/// Deliveries claimed at once.
const BATCH: i64 = 500;
/// Batches one sending pass may claim.
const ROUNDS: usize = 20;

/// What a sending pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    pub digested: usize,
    pub postponed: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Held for the chat's quiet hours.
    pub held: usize,
    /// Mails sent to confirmed addresses.
    pub mailed: usize,
}

/// What sending an alert did.
#[derive(Debug)]
pub enum Delivered {
    /// Sent as this message.
    Sent(Option<MessageId>),
    /// What it was about is gone: nothing to say.
    Nothing,
    /// The bot can no longer write to the chat (it was marked inactive).
    ChatGone,
}

/// How alerts are put into words and sent to a chat. The Telegram front implements it
/// with the module that renders alerts for the bot too (`bot::alerts::Teller`), wired in
/// at start-up, so the sender decides what goes when and how often without depending on
/// the front. Each call sends at most one message and never retries: a message Telegram
/// may have taken is not sent again.
pub trait Teller: Send + Sync {
    /// One alert on its own, in its own language.
    fn one(
        &self,
        chat: TgChatId,
        v: &AlertView,
    ) -> impl Future<Output = Result<Delivered, RequestError>> + Send;
    /// Alerts of one kind as one message listing them.
    fn group(
        &self,
        chat: TgChatId,
        lang: Lang,
        views: &[AlertView],
    ) -> impl Future<Output = Result<Delivered, RequestError>> + Send;
    /// An alert as plain text, for an e-mail (`None`: nothing to tell in words).
    fn plain(&self, view: &AlertView) -> Option<String>;
    /// Many alerts at once, counted by kind.
    fn digest(
        &self,
        chat: TgChatId,
        lang: Lang,
        views: &[AlertView],
    ) -> impl Future<Output = Result<Delivered, RequestError>> + Send;
}

/// The sender: who tells the alerts, and the services. Its pace is the one every send to
/// Telegram shares (`Services::telegram`).
pub struct Sender<T> {
    teller: T,
    svc: Arc<Services>,
}

/// Whether an alert may be told inside a digest.
fn digestable(a: &Alert) -> bool {
    matches!(
        a,
        Alert::NewOrder { .. }
            | Alert::Cancelled {
                assembled: false,
                ..
            }
    )
}

/// Whether an alert is all text (a label carries its file and a summary its chart, so
/// they go alone).
fn told_in_text(a: &Alert) -> bool {
    !matches!(
        a,
        Alert::LabelReady { .. } | Alert::Labels { .. } | Alert::Summary { .. }
    )
}

/// Whether a failed send surely did not reach the chat. Telegram's own 5xx may come after
/// it took the message, so it counts as "may have gone".
fn not_sent(e: &RequestError) -> bool {
    match e {
        RequestError::Api(teloxide::ApiError::Unknown(d)) => !server_error(d),
        RequestError::Api(_) | RequestError::RetryAfter(_) => true,
        RequestError::Network(n) => n.is_connect() || n.is_builder(),
        _ => false,
    }
}

/// Whether Telegram's description is one of a server's failures.
fn server_error(description: &str) -> bool {
    [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ]
    .iter()
    .any(|s| description.contains(s))
}

impl<T: Teller> Sender<T> {
    pub fn new(teller: T, svc: Arc<Services>) -> Sender<T> {
        Sender { teller, svc }
    }

    /// Delivers everything due now, a batch at a time (up to [`ROUNDS`] batches), so an
    /// alert raised after a flood of others is not left for the next pass.
    pub async fn deliver_due(&self) -> AppResult<Report> {
        let mut report = Report::default();
        for _ in 0..ROUNDS {
            if self.deliver_batch(&mut report).await? < BATCH {
                break;
            }
        }
        Ok(report)
    }

    /// Sends the mails due now, one at a time (a crash leaves at most one in doubt);
    /// returns how many went.
    pub async fn deliver_mail_due(&self) -> AppResult<usize> {
        let mut sent = 0;
        for _ in 0..BATCH {
            let Some(d) = self.svc.emails().due_mail().await? else {
                break;
            };
            let view = match d.alert.clone() {
                Some(alert) => self.svc.alerts().mail_view(d.workspace, alert).await?,
                None => None,
            };
            match view.as_ref().and_then(|v| self.teller.plain(v)) {
                Some(text) => {
                    let subject: String = text
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .take(120)
                        .collect();
                    if self.svc.emails().send_mail(&d, &subject, &text).await? {
                        sent += 1;
                    }
                }
                None => self.svc.emails().drop_mail(d.id).await?,
            }
        }
        Ok(sent)
    }

    /// Claims one batch and delivers it; returns how many were claimed.
    async fn deliver_batch(&self, report: &mut Report) -> AppResult<i64> {
        let due = self.svc.alerts().due_deliveries(BATCH).await?;
        let claimed = i64::try_from(due.len()).unwrap_or(i64::MAX);
        let mut by_chat: BTreeMap<i64, Vec<Delivery>> = BTreeMap::new();
        for d in due {
            by_chat.entry(d.chat.0).or_default().push(d);
        }
        let mut chats: Vec<(i64, Vec<Delivery>)> = by_chat.into_iter().collect();
        while let Some((chat, list)) = (!chats.is_empty()).then(|| chats.remove(0)) {
            if let Err(e) = self.deliver_to(TgChatId(chat), list, report).await {
                // What was claimed and not yet tried waits for the next pass.
                let rest: Vec<i64> = chats
                    .iter()
                    .flat_map(|(_, l)| l.iter().map(|d| d.id))
                    .collect();
                self.svc.alerts().unclaim_deliveries(&rest).await?;
                return Err(e);
            }
        }
        Ok(claimed)
    }

    async fn deliver_to(
        &self,
        chat: TgChatId,
        list: Vec<Delivery>,
        report: &mut Report,
    ) -> AppResult<()> {
        let (views, skipped) = self.svc.alerts().alert_views(chat, list).await?;
        for d in skipped {
            self.svc
                .alerts()
                .finish_delivery(d.id, Sent::Skipped)
                .await?;
            report.skipped += 1;
        }
        let Some(first) = views.first() else {
            return Ok(());
        };
        let lang = first.lang;
        // Telegram asked for a pause in this chat (an answer to a reply, or to an alert):
        // nothing goes there before it has passed.
        if let Some(wait) = self.svc.telegram.waiting(chat.0) {
            let at = self.svc.clock.unix() + i64::try_from(wait.as_secs()).unwrap_or(60) + 1;
            for v in &views {
                self.postpone(v, at, report).await?;
            }
            return Ok(());
        }
        let zone = first.zone;
        let views = self.hold_quiet(chat, zone, views, report).await?;
        if views.is_empty() {
            return Ok(());
        }
        let (sent, oldest) = self.svc.alerts().chat_budget(chat).await?;
        let mut budget = PER_CHAT_PER_MINUTE - sent;
        let later = oldest.map_or(self.svc.clock.unix(), |t| t + 60);
        // Many at once go as one digest; so does what waited out the quiet hours.
        let many = views.len() >= DIGEST_AT;
        let held = views
            .iter()
            .filter(|v| v.delivery.held && told_in_text(&v.alert))
            .count();
        let (digest, single): (Vec<AlertView>, Vec<AlertView>) = views.into_iter().partition(|v| {
            (many && digestable(&v.alert))
                || (held >= 2 && v.delivery.held && told_in_text(&v.alert))
        });
        if !digest.is_empty() {
            if budget <= 0 {
                for v in &digest {
                    self.postpone(v, later, report).await?;
                }
            } else {
                budget -= 1;
                let digest = self.take(digest).await?;
                if !digest.is_empty() {
                    let result = self.teller.digest(chat, lang, &digest).await;
                    for v in &digest {
                        self.record(v, &result, true, report).await?;
                    }
                }
            }
        }
        // What one pass raised of a kind that groups (deadlines, low stock, oversell,
        // price reports) is one message for the chat, listing them.
        let mut groups: BTreeMap<&'static str, Vec<AlertView>> = BTreeMap::new();
        let mut alone = Vec::new();
        for v in single {
            if v.alert.groups() {
                groups.entry(v.alert.code()).or_default().push(v);
            } else {
                alone.push(v);
            }
        }
        for (_, list) in groups {
            if list.len() == 1 {
                alone.extend(list);
                continue;
            }
            if budget <= 0 {
                for v in &list {
                    self.postpone(v, later, report).await?;
                }
                continue;
            }
            budget -= 1;
            let list = self.take(list).await?;
            if list.is_empty() {
                continue;
            }
            let result = self.teller.group(chat, lang, &list).await;
            for v in &list {
                self.record(v, &result, true, report).await?;
            }
        }
        for v in alone {
            if budget <= 0 {
                self.postpone(&v, later, report).await?;
                continue;
            }
            budget -= 1;
            let Some(v) = self.take(vec![v]).await?.pop() else {
                continue;
            };
            let result = self.teller.one(chat, &v).await;
            self.record(&v, &result, false, report).await?;
        }
        Ok(())
    }

    /// Marks what one message is about to carry as being sent and returns what is still
    /// ours to send: after a crash only the message in flight is in doubt, and what
    /// another sender took back (our lease ran out) is not sent by us too.
    async fn take(&self, views: Vec<AlertView>) -> AppResult<Vec<AlertView>> {
        let ids: Vec<i64> = views.iter().map(|v| v.delivery.id).collect();
        let ours: std::collections::HashSet<i64> =
            self.svc.alerts().sending(&ids).await?.into_iter().collect();
        Ok(views
            .into_iter()
            .filter(|v| ours.contains(&v.delivery.id))
            .collect())
    }

    /// Holds what the chat's quiet hours hold now until they end; returns the rest.
    async fn hold_quiet(
        &self,
        chat: TgChatId,
        zone: crate::domain::Zone,
        views: Vec<AlertView>,
        report: &mut Report,
    ) -> AppResult<Vec<AlertView>> {
        let Some(quiet) = self.svc.alerts().quiet_of(chat).await? else {
            return Ok(views);
        };
        let Some(until) = quiet.quiet_until(zone, self.svc.clock.unix()) else {
            return Ok(views);
        };
        let (held, rest): (Vec<AlertView>, Vec<AlertView>) =
            views.into_iter().partition(|v| quiet.holds(&v.alert));
        for v in held {
            self.svc
                .alerts()
                .hold_delivery(v.delivery.id, until)
                .await?;
            report.held += 1;
        }
        Ok(rest)
    }

    async fn postpone(&self, v: &AlertView, at: i64, report: &mut Report) -> AppResult<()> {
        self.svc
            .alerts()
            .finish_delivery(v.delivery.id, Sent::Later { due_at: at })
            .await?;
        report.postponed += 1;
        Ok(())
    }

    async fn record(
        &self,
        v: &AlertView,
        result: &Result<Delivered, RequestError>,
        digest: bool,
        report: &mut Report,
    ) -> AppResult<()> {
        let now = self.svc.clock.unix();
        let how = match result {
            Ok(Delivered::Sent(id)) => {
                let message_id = id.map(|m| i64::from(m.0));
                if digest {
                    report.digested += 1;
                    Sent::Digested { message_id }
                } else {
                    report.sent += 1;
                    Sent::Sent { message_id }
                }
            }
            Ok(Delivered::Nothing | Delivered::ChatGone) => {
                report.skipped += 1;
                Sent::Skipped
            }
            Err(RequestError::RetryAfter(s)) => {
                report.postponed += 1;
                let wait = i64::try_from(s.duration().as_secs()).unwrap_or(60).max(1);
                Sent::Later { due_at: now + wait }
            }
            // Telegram answered with a refusal, or the connection was never made: the
            // message surely did not go, so trying again cannot double it.
            Err(e) if not_sent(e) && v.delivery.attempts < TRIES => {
                tracing::warn!(error = %e, chat = v.delivery.chat.0, "an alert did not go; trying again");
                report.postponed += 1;
                Sent::Later { due_at: now + 60 }
            }
            Err(e) if not_sent(e) => {
                tracing::error!(error = %e, chat = v.delivery.chat.0, "an alert could not be sent");
                report.failed += 1;
                Sent::Failed
            }
            // A timeout or a garbled answer: it may have been delivered. Never twice.
            Err(e) => {
                tracing::error!(error = %e, chat = v.delivery.chat.0, "an alert may or may not have gone; not sending it again");
                report.failed += 1;
                Sent::Unknown
            }
        };
        self.svc.alerts().finish_delivery(v.delivery.id, how).await
    }
}
