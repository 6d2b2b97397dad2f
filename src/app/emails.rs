//! E-mail addresses for alerts (F7): an owner or admin adds one, a code is sent to it and
//! typed back to confirm it; a confirmed address hears the alert kinds chosen for it and
//! the rules' messages. Offered only when the deployment names an SMTP server.

use super::{Actor, AppError, AppResult, audit_by};
use crate::domain::alerts::EventKind;
use crate::domain::{AuditAction, AuditNote, Permission};
use crate::mail::MailError;
use crate::storage::emails;
pub use crate::storage::emails::Email;

/// How long a code may be typed back.
pub const CODE_TTL_SECS: i64 = 30 * 60;
/// Wrong codes an address may take before a new one must be asked for.
pub const MAX_TRIES: i64 = 5;

/// What adding an address did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A code went to it; it waits for the code.
    CodeSent { id: i64 },
    /// It is confirmed already.
    Known { id: i64 },
    /// The mail server would not take the message.
    NotSent(MailError),
}

/// What typing a code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Yes,
    Wrong {
        left: i64,
    },
    /// Too many wrong codes, or too late: ask for a new one.
    Spent,
}

fn digest(code: &str, address: &str) -> String {
    let d = ring::digest::digest(
        &ring::digest::SHA256,
        format!("{address}:{}", code.trim()).as_bytes(),
    );
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn new_code() -> String {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        b = std::process::id().to_le_bytes();
    }
    format!("{:06}", u32::from_le_bytes(b) % 1_000_000)
}

impl crate::app::rooms::Emails<'_> {
    /// Whether the deployment can send e-mail at all.
    pub fn available(&self) -> bool {
        self.mailer.is_some()
    }

    pub async fn list(&self, actor: Actor) -> AppResult<Vec<Email>> {
        actor.require(Permission::ManageSettings)?;
        Ok(emails::list(&self.db, actor.workspace).await?)
    }

    pub async fn get(&self, actor: Actor, id: i64) -> AppResult<Email> {
        actor.require(Permission::ManageSettings)?;
        emails::get(&self.db, actor.workspace, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Adds `address` (already checked) and sends it a code, in `subject`/`body` (the
    /// body names the code as `{code}`).
    pub async fn add(
        &self,
        actor: Actor,
        address: &str,
        (subject, body): (&str, &str),
    ) -> AppResult<Added> {
        actor.require(Permission::ManageSettings)?;
        let Some(mailer) = &self.mailer else {
            return Err(AppError::NotFound);
        };
        let code = new_code();
        let now = self.now();
        let (id, known) = emails::add_waiting(
            &self.db,
            actor.workspace,
            address,
            (&digest(&code, address), now + CODE_TTL_SECS),
            actor.user,
            now,
        )
        .await?;
        if known {
            return Ok(Added::Known { id });
        }
        if let Err(e) = mailer
            .send(address, subject, &body.replace("{code}", &code))
            .await
        {
            return Ok(Added::NotSent(e));
        }
        Ok(Added::CodeSent { id })
    }

    /// The code typed back for an address.
    pub async fn confirm(&self, actor: Actor, id: i64, code: &str) -> AppResult<Confirmed> {
        let e = self.get(actor, id).await?;
        if e.confirmed {
            return Ok(Confirmed::Yes);
        }
        let now = self.now();
        let (Some(hash), Some(until)) = (&e.code_hash, e.code_expires_at) else {
            return Ok(Confirmed::Spent);
        };
        if until < now || e.tries >= MAX_TRIES {
            return Ok(Confirmed::Spent);
        }
        if digest(code, &e.address) != *hash {
            emails::count_try(&self.db, id).await?;
            let left = MAX_TRIES - e.tries - 1;
            return Ok(if left > 0 {
                Confirmed::Wrong { left }
            } else {
                Confirmed::Spent
            });
        }
        emails::confirm(&self.db, id, now).await?;
        // A new address hears what matters most until told otherwise.
        emails::set_events(
            &self.db,
            id,
            &[EventKind::KeyProblem, EventKind::SyncFailure],
        )
        .await?;
        let note = AuditNote::Name { name: e.address };
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::EmailsChanged,
            &note,
            now,
        )
        .await?;
        Ok(Confirmed::Yes)
    }

    /// Turns one alert kind on or off for a confirmed address.
    pub async fn toggle_event(&self, actor: Actor, id: i64, kind: EventKind) -> AppResult<Email> {
        let mut e = self.get(actor, id).await?;
        if !e.confirmed {
            return Err(AppError::NotFound);
        }
        match e.events.iter().position(|k| *k == kind) {
            Some(i) => {
                e.events.remove(i);
            }
            None => e.events.push(kind),
        }
        emails::set_events(&self.db, id, &e.events).await?;
        let note = AuditNote::Name {
            name: e.address.clone(),
        };
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::EmailsChanged,
            &note,
            self.now(),
        )
        .await?;
        Ok(e)
    }

    pub async fn delete(&self, actor: Actor, id: i64) -> AppResult<Email> {
        let e = self.get(actor, id).await?;
        emails::delete(&self.db, actor.workspace, id).await?;
        let note = AuditNote::Name {
            name: e.address.clone(),
        };
        audit_by(
            self.db.pool(),
            actor,
            AuditAction::EmailsChanged,
            &note,
            self.now(),
        )
        .await?;
        Ok(e)
    }

    /// The next mail due, claimed for this sender (`None` without an SMTP server).
    pub async fn due_mail(&self) -> AppResult<Option<emails::MailDelivery>> {
        if self.mailer.is_none() {
            return Ok(None);
        }
        let now = self.now();
        Ok(emails::claim_one(&self.db, &self.worker, now, now + 120).await?)
    }

    /// Sends one mail and records how it went: a refusal fails for good, an unavailable
    /// server is tried again later (up to ten times).
    pub async fn send_mail(
        &self,
        d: &emails::MailDelivery,
        subject: &str,
        body: &str,
    ) -> AppResult<bool> {
        let Some(mailer) = &self.mailer else {
            return Ok(false);
        };
        let now = self.now();
        let result = mailer.send(&d.address, subject, body).await;
        let (sent, retry) = match &result {
            Ok(()) => (true, None),
            Err(MailError::Unavailable(_)) if d.attempts < 10 => {
                (false, Some(now + 60 * d.attempts.max(1)))
            }
            Err(_) => (false, None),
        };
        if let Err(e) = &result {
            tracing::warn!(delivery = d.id, error = %e, "an alert mail was not sent");
        }
        emails::finish(&self.db, d.id, retry, sent, now).await?;
        Ok(sent)
    }

    /// A mail that has nothing to tell (what it was about is gone) ends as sent.
    pub async fn drop_mail(&self, id: i64) -> AppResult<()> {
        Ok(emails::finish(&self.db, id, None, true, self.now()).await?)
    }
}
