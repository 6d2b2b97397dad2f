//! E-mail out (F7): one SMTP server the deployment names (`MPBOT_SMTP_URL`, e.g.
//! `smtps://user:password@smtp.example.com` or `smtp://host:587?tls=required`), and the
//! sender address (`MPBOT_SMTP_FROM`). Plain-text messages only.

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Why a message did not go.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum MailError {
    /// The address or the message cannot be sent as it is: trying again cannot help.
    #[error("the message was refused: {0}")]
    Refused(String),
    /// The server did not answer or asked to try later.
    #[error("the mail server failed: {0}")]
    Unavailable(String),
}

/// Why the deployment's mail settings were refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MailConfigError {
    #[error("MPBOT_SMTP_URL is not an smtp:// or smtps:// URL lettre can use")]
    BadUrl,
    #[error("MPBOT_SMTP_FROM is not an e-mail address")]
    BadFrom,
}

/// The deployment's SMTP server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The URL may hold a password: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> Result<Mailer, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
            .map_err(|_| MailConfigError::BadUrl)?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from.trim().parse().map_err(|_| MailConfigError::BadFrom)?;
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Refused(e.to_string()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| MailError::Refused(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Refused(e.to_string())),
            Err(e) => Err(MailError::Unavailable(e.to_string())),
        }
    }
}

/// An address as typed: one `local@domain.tld`, no display name, at most 254 characters.
pub fn parse_address(text: &str) -> Option<String> {
    let t = text.trim();
    if t.len() > 254 || t.contains(char::is_whitespace) || t.contains(['<', '>', ',', ';']) {
        return None;
    }
    let address: lettre::Address = t.parse().ok()?;
    address
        .domain()
        .contains('.')
        .then(|| address.to_string().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_strictly() {
        assert_eq!(
            parse_address(" Ops@Example.com "),
            Some("ops@example.com".into())
        );
        for bad in [
            "ops",
            "ops@localhost",
            "a b@c.d",
            "<a@b.c>",
            "a@b.c, d@e.f",
            "",
        ] {
            assert_eq!(parse_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn settings_are_checked() {
        assert!(Mailer::new("smtp://127.0.0.1:2525", "mpbot@example.com").is_ok());
        assert_eq!(
            Mailer::new("ftp://x", "mpbot@example.com").err(),
            Some(MailConfigError::BadUrl)
        );
        assert_eq!(
            Mailer::new("smtp://127.0.0.1:2525", "nobody").err(),
            Some(MailConfigError::BadFrom)
        );
    }
}
