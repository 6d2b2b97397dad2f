//! The HTTP layer every client shares: one reqwest client with timeouts that never follows
//! a redirect (keys go only to hosts we chose), the rate limiter, retries with exponential
//! backoff and jitter (honouring Retry-After, never for 400/401/403/404), and JSON decoding
//! that names the failing path. A request the catalogue marks unsafe to repeat is retried
//! only when it surely did not arrive (a refused connection, a 429); after an ambiguous
//! failure [`Http::once`] re-reads the marketplace's state before it decides.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use super::endpoints::{Endpoint, Repeat};
use super::error::{Error, Result};
use crate::ratelimit::RateLimiter;

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
        }
    }
}

/// What one attempt ended in, for the retry decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    /// No answer in time: the request may have been processed.
    Timeout,
    /// The connection was never made: the request was not sent.
    Connect,
    /// The connection broke after the request went out.
    Lost,
}

/// Whether to try again, and after how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Retry(Duration),
    GiveUp,
}

/// The retry decision as a pure function: `attempt` counts from 1, `retry_after` is what
/// the server asked for, `jitter` in 0..1 spreads clients apart. A request unsafe to repeat
/// is retried only when it surely was not processed: the connection was never made, or the
/// marketplace refused it for the rate limit.
pub fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    outcome: Outcome,
    retry_after: Option<Duration>,
    jitter: f64,
    repeat: Repeat,
) -> Decision {
    let retryable = match (outcome, repeat) {
        (Outcome::Status(s), _) if s == 429 || s == 420 => true,
        (Outcome::Connect, _) => true,
        (_, Repeat::Unsafe) => false,
        (Outcome::Status(s), Repeat::Safe) => s == 408 || (500..=599).contains(&s) && s != 501,
        (Outcome::Timeout | Outcome::Lost, Repeat::Safe) => true,
    };
    if !retryable || attempt >= policy.max_attempts {
        return Decision::GiveUp;
    }
    let backoff = policy
        .base
        .saturating_mul(1 << (attempt - 1).min(16))
        .min(policy.max_delay);
    let backoff = backoff.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0);
    match retry_after {
        Some(ra) if ra > policy.max_delay => Decision::GiveUp,
        Some(ra) => Decision::Retry(ra),
        None => Decision::Retry(backoff),
    }
}

/// A request to send.
pub struct Request<'a> {
    pub endpoint: &'static Endpoint,
    pub url: reqwest::Url,
    /// Who the rate limit is counted for (Client-Id, token fingerprint, business id).
    pub cabinet: &'a str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    /// Rate-limit cost (YM counts some methods by items).
    pub cost: u32,
    /// Non-2xx statuses that are answers to read, not failures (WB's 409 with per-item
    /// errors).
    pub accept: &'static [u16],
    /// Not sent, and `RateLimited` returned at once, when its rate-limit token is not there
    /// now (a report allowed once a minute is read on the next run instead of holding a
    /// lane for that minute).
    pub no_wait: bool,
}

impl<'a> Request<'a> {
    /// A request with cost 1 and only 2xx accepted.
    pub fn new(
        endpoint: &'static Endpoint,
        url: reqwest::Url,
        cabinet: &'a str,
        headers: Vec<(&'static str, String)>,
        body: Option<Vec<u8>>,
    ) -> Request<'a> {
        Request {
            endpoint,
            url,
            cabinet,
            headers,
            body,
            cost: 1,
            accept: &[],
            no_wait: false,
        }
    }
}

/// A raw response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Turns a non-success response into our error; `code_message` extracts the
/// marketplace's own error code and text from the body.
pub type ErrorMapper = fn(status: u16, body: &[u8]) -> Error;

/// The shared layer.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    limiter: Arc<RateLimiter>,
    policy: RetryPolicy,
    /// An earlier run of the same work may have sent its unsafe calls already: ask the
    /// marketplace's state before the first send.
    resume: bool,
}

impl Http {
    /// The same layer for work an earlier run may have done: every unsafe call
    /// ([`Http::once`]) first re-reads whether it took effect.
    pub fn resuming(&self) -> Http {
        Http {
            resume: true,
            ..self.clone()
        }
    }

    pub fn new(policy: RetryPolicy) -> Http {
        let client = reqwest::Client::builder()
            // A redirect would carry the key headers to a host we did not choose.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("mpbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Http {
            client,
            limiter: Arc::new(RateLimiter::default()),
            policy,
            resume: false,
        }
    }

    /// Sends with rate limiting and retries; returns the first success, or the error of
    /// the last attempt.
    pub async fn send(&self, req: Request<'_>, map_error: ErrorMapper) -> Result<Response> {
        let ep = req.endpoint;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(shared) = ep.shared_group() {
                self.limiter
                    .acquire(req.cabinet, shared.name, shared.limit, 1)
                    .await;
            }
            if req.no_wait {
                if let Err(wait) =
                    self.limiter
                        .take(req.cabinet, ep.group.name, ep.group.limit, req.cost)
                {
                    return Err(Error::RateLimited {
                        retry_after: Some(wait),
                    });
                }
            } else {
                self.limiter
                    .acquire(req.cabinet, ep.group.name, ep.group.limit, req.cost)
                    .await;
            }
            let mut headers = HeaderMap::new();
            for (k, v) in &req.headers {
                let value = HeaderValue::from_str(v)
                    .map_err(|_| Error::Invalid(format!("header {k} is not valid")))?;
                headers.insert(HeaderName::from_static(k), value);
            }
            let mut builder = self
                .client
                .request(ep.method.as_reqwest(), req.url.clone())
                .headers(headers);
            if let Some(body) = &req.body {
                builder = builder
                    .header("content-type", "application/json")
                    .body(body.clone());
            }
            let (outcome, result) = match builder.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    match resp.bytes().await {
                        Ok(body) => (
                            Outcome::Status(status),
                            Ok(Response {
                                status,
                                headers,
                                body: body.to_vec(),
                            }),
                        ),
                        Err(e) => (
                            Outcome::Lost,
                            Err(Error::Transport {
                                message: format!("{}: {}", ep.name, without_url(&e)),
                                maybe_sent: true,
                            }),
                        ),
                    }
                }
                Err(e) if e.is_timeout() => (
                    Outcome::Timeout,
                    Err(Error::Transport {
                        message: format!("{}: timed out", ep.name),
                        maybe_sent: true,
                    }),
                ),
                Err(e) => {
                    let outcome = if e.is_connect() {
                        Outcome::Connect
                    } else {
                        Outcome::Lost
                    };
                    (
                        outcome,
                        Err(Error::Transport {
                            message: format!("{}: {}", ep.name, without_url(&e)),
                            maybe_sent: outcome == Outcome::Lost,
                        }),
                    )
                }
            };
            let retry_after = result.as_ref().ok().and_then(|r| retry_after(&r.headers));
            if let Ok(r) = &result
                && ((200..300).contains(&r.status) || req.accept.contains(&r.status))
            {
                return result;
            }
            match decide(
                &self.policy,
                attempt,
                outcome,
                retry_after,
                jitter(),
                ep.repeat,
            ) {
                Decision::Retry(wait) => {
                    tracing::debug!(endpoint = ep.name, attempt, ?wait, ?outcome, "retrying");
                    tokio::time::sleep(wait).await;
                }
                Decision::GiveUp => {
                    return Err(match result {
                        Ok(r) if r.status == 429 || r.status == 420 => {
                            Error::RateLimited { retry_after }
                        }
                        Ok(r) => match map_error(r.status, &r.body) {
                            // Which request it answered, for a person told of it later.
                            Error::Api {
                                status,
                                code,
                                message,
                                ..
                            } => Error::Api {
                                status,
                                code,
                                message,
                                endpoint: ep.name,
                            },
                            other => other,
                        },
                        Err(e) => e,
                    });
                }
            }
        }
    }

    /// Sends and decodes a JSON answer, naming the path of a field that does not fit.
    pub async fn json<T: DeserializeOwned>(
        &self,
        req: Request<'_>,
        map_error: ErrorMapper,
    ) -> Result<T> {
        let name = req.endpoint.name;
        let resp = self.send(req, map_error).await?;
        decode(name, &resp.body)
    }

    /// Fetches a URL the marketplace handed us (a label file), under the same limits and
    /// without the cabinet's key: the file may live on another host.
    pub async fn download(
        &self,
        url: reqwest::Url,
        endpoint: &'static Endpoint,
        cabinet: &str,
        map_error: ErrorMapper,
    ) -> Result<Vec<u8>> {
        Ok(self
            .send(
                Request::new(endpoint, url, cabinet, Vec::new(), None),
                map_error,
            )
            .await?
            .body)
    }

    /// Runs a call that is unsafe to repeat. After an ambiguous failure (a timeout, a lost
    /// answer, a 5xx) it asks `applied`, a re-read of the marketplace's state, whether the
    /// call took effect: if so, that is the result; if not, the call is made again, up to
    /// the policy's attempts. Any other failure is returned at once. A resuming layer asks
    /// `applied` before the first send too.
    pub async fn once<T, C, CF, A, AF>(&self, mut call: C, mut applied: A) -> Result<T>
    where
        C: FnMut() -> CF,
        CF: std::future::Future<Output = Result<T>>,
        A: FnMut() -> AF,
        AF: std::future::Future<Output = Result<Option<T>>>,
    {
        if self.resume
            && let Some(v) = applied().await?
        {
            return Ok(v);
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let err = match call().await {
                Ok(v) => return Ok(v),
                Err(e) if e.is_ambiguous() => e,
                Err(e) => return Err(e),
            };
            tracing::info!(attempt, error = %err, "an unsafe call ended ambiguously; re-reading the state");
            if let Some(v) = applied().await? {
                return Ok(v);
            }
            if attempt >= self.policy.max_attempts {
                return Err(err);
            }
            let wait = self
                .policy
                .base
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(self.policy.max_delay);
            tokio::time::sleep(wait).await;
        }
    }
}

/// Decodes JSON; a mismatch names the JSON path.
pub fn decode<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
        endpoint: endpoint.to_owned(),
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    ["retry-after", "x-ratelimit-retry"]
        .iter()
        .filter_map(|h| headers.get(*h)?.to_str().ok()?.trim().parse::<f64>().ok())
        .find(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// reqwest errors carry the URL; some URLs carry keys (Nova Poshta has none in the URL,
/// but be safe): drop it.
fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(url) = e.url() {
        s = s.replace(url.as_str(), "<url>");
    }
    s
}

fn jitter() -> f64 {
    let mut b = [0u8; 2];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    f64::from(u16::from_le_bytes(b)) / f64::from(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_decision_table() {
        let p = RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
        };
        let ms = Duration::from_millis;
        let cases: &[(u32, Outcome, Option<Duration>, Decision)] = &[
            (1, Outcome::Status(400), None, Decision::GiveUp),
            (1, Outcome::Status(401), None, Decision::GiveUp),
            (1, Outcome::Status(403), None, Decision::GiveUp),
            (1, Outcome::Status(404), None, Decision::GiveUp),
            (1, Outcome::Status(409), None, Decision::GiveUp),
            (1, Outcome::Status(501), None, Decision::GiveUp),
            (1, Outcome::Status(500), None, Decision::Retry(ms(100))),
            (2, Outcome::Status(503), None, Decision::Retry(ms(200))),
            (3, Outcome::Timeout, None, Decision::Retry(ms(400))),
            (4, Outcome::Status(500), None, Decision::GiveUp),
            (
                1,
                Outcome::Status(429),
                Some(Duration::from_secs(2)),
                Decision::Retry(Duration::from_secs(2)),
            ),
            (
                1,
                Outcome::Status(420),
                Some(Duration::from_secs(1)),
                Decision::Retry(Duration::from_secs(1)),
            ),
            (
                1,
                Outcome::Status(429),
                Some(Duration::from_secs(3600)),
                Decision::GiveUp,
            ),
            (1, Outcome::Connect, None, Decision::Retry(ms(100))),
        ];
        for (attempt, outcome, ra, want) in cases {
            assert_eq!(
                decide(&p, *attempt, *outcome, *ra, 1.0, Repeat::Safe),
                *want,
                "{attempt} {outcome:?} {ra:?}"
            );
        }
        // Jitter only ever shortens the backoff, never below half.
        assert_eq!(
            decide(&p, 1, Outcome::Status(500), None, 0.0, Repeat::Safe),
            Decision::Retry(ms(50))
        );
        assert_eq!(
            decide(&p, 1, Outcome::Lost, None, 1.0, Repeat::Safe),
            Decision::Retry(ms(100))
        );
    }

    #[test]
    fn unsafe_requests_are_retried_only_when_they_surely_did_not_arrive() {
        let p = RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
        };
        let cases: &[(Outcome, Option<Duration>, Decision)] = &[
            (Outcome::Status(500), None, Decision::GiveUp),
            (Outcome::Status(503), None, Decision::GiveUp),
            (Outcome::Status(408), None, Decision::GiveUp),
            (Outcome::Timeout, None, Decision::GiveUp),
            (Outcome::Lost, None, Decision::GiveUp),
            (Outcome::Status(400), None, Decision::GiveUp),
            (
                Outcome::Connect,
                None,
                Decision::Retry(Duration::from_millis(100)),
            ),
            (
                Outcome::Status(429),
                Some(Duration::from_secs(1)),
                Decision::Retry(Duration::from_secs(1)),
            ),
            (
                Outcome::Status(420),
                Some(Duration::from_secs(2)),
                Decision::Retry(Duration::from_secs(2)),
            ),
        ];
        for (outcome, ra, want) in cases {
            assert_eq!(
                decide(&p, 1, *outcome, *ra, 1.0, Repeat::Unsafe),
                *want,
                "{outcome:?} {ra:?}"
            );
        }
    }

    #[test]
    fn decode_errors_name_the_json_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            id: i64,
        }
        let e =
            decode::<Page>("x", br#"{"items":[{"id":1},{"id":"two"}]}"#).expect_err("a mismatch");
        match e {
            Error::Decode { path, .. } => assert_eq!(path, "items[1].id"),
            other => panic!("{other:?}"),
        }
    }
}
