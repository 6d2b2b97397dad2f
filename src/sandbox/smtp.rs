//! A small SMTP server on loopback that keeps what it is sent, for the console and the
//! tests (`MPBOT_SMTP_URL=smtp://127.0.0.1:PORT`). It speaks what a submission client
//! needs (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), never relays, and reads every
//! line and message within a budget.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A line longer than this ends the session (RFC 5321 allows 1000 with CRLF).
const MAX_LINE: usize = 4096;
/// A message larger than this is refused.
const MAX_MESSAGE: usize = 1 << 20;

/// One message received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent (dot-stuffing undone).
    pub data: String,
}

impl Mail {
    /// The body as text: base64 or quoted-printable undone (as the message says it was
    /// encoded), for reading a code or a text back.
    pub fn text(&self) -> String {
        let (head, body) = self
            .data
            .split_once("\r\n\r\n")
            .unwrap_or(("", self.data.as_str()));
        let encoding = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-transfer-encoding:")
                    .map(|v| v.trim().to_owned())
            })
            .unwrap_or_default();
        if encoding == "base64" {
            use base64::Engine;
            let joined: String = body.split_whitespace().collect();
            return base64::engine::general_purpose::STANDARD
                .decode(joined)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
        }
        if encoding != "quoted-printable" {
            return body.to_owned();
        }
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'='
                && i + 2 < bytes.len()
                && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
            {
                out.push(b);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// The server and what it received.
#[derive(Debug, Clone)]
pub struct SmtpSandbox {
    pub url: String,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSandbox {
    pub async fn start() -> std::io::Result<SmtpSandbox> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("smtp://{}", listener.local_addr()?);
        let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
        let kept = mails.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    if let Err(e) = session(socket, kept).await {
                        tracing::debug!(error = %e, "an SMTP session ended");
                    }
                });
            }
        });
        Ok(SmtpSandbox { url, mails })
    }

    /// Every message received so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    mails: Arc<Mutex<Vec<Mail>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 mpbot-sandbox ESMTP\r\n").await?;
    let mut from = None;
    let mut to = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut lines)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 || !line.ends_with(b"\n") {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_owned();
        let upper = text.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-mpbot-sandbox\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = Some(address(&text[10..]));
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            if from.is_none() {
                b"503 MAIL first\r\n"
            } else {
                to.push(address(&text[8..]));
                b"250 OK\r\n"
            }
        } else if upper == "RSET" {
            from = None;
            to.clear();
            b"250 OK\r\n"
        } else if upper == "DATA" {
            if from.is_none() || to.is_empty() {
                b"503 RCPT first\r\n"
            } else {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let Some(data) = read_data(&mut lines).await? else {
                    write.write_all(b"552 Too much mail data\r\n").await?;
                    return Ok(());
                };
                mails.lock().unwrap_or_else(|e| e.into_inner()).push(Mail {
                    from: from.take().unwrap_or_default(),
                    to: std::mem::take(&mut to),
                    data,
                });
                b"250 OK: queued\r\n"
            }
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 Command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// What DATA carries up to the lone dot, dot-stuffing undone; `None` past the budget.
async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(
    lines: &mut R,
) -> std::io::Result<Option<String>> {
    let mut data = String::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut *lines)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        if text == ".\r\n" || text == ".\n" {
            return Ok(Some(data));
        }
        data.push_str(text.strip_prefix('.').unwrap_or(&text));
        if data.len() > MAX_MESSAGE {
            return Ok(None);
        }
    }
}

fn address(raw: &str) -> String {
    let raw = raw.trim();
    let inner = raw
        .strip_prefix('<')
        .and_then(|r| r.split_once('>'))
        .map_or(raw, |(a, _)| a);
    inner
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_reads_back_through_quoted_printable() {
        let m = Mail {
            from: "a@b".into(),
            to: vec!["c@d".into()],
            data: "Subject: x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nYour code: 123=\r\n456 =E2=9C=85".into(),
        };
        assert_eq!(m.text(), "Your code: 123456 ✅");
        let b = Mail {
            data: "Content-Transfer-Encoding: base64\r\n\r\n0JrQvtC0\r\nOiAx".into(),
            ..m.clone()
        };
        assert_eq!(b.text(), "Код: 1");
        assert_eq!(address(" <x@y.z> SIZE=10"), "x@y.z");
    }
}
