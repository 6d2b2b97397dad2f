//! Token buckets keyed by a name and a group: each marketplace's published limits per cabinet,
//! and Telegram's limits for alerts.
//! A caller waits for a token instead of being refused, so we stay under the limit rather
//! than discover it through 429s.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

mod handover;
pub use handover::{Handover, Level};

/// A published limit: `burst` requests at once, refilled at `per` per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub burst: u32,
    /// Time to earn one token.
    pub interval: Duration,
}

impl Limit {
    /// `n` requests per `period`, with a burst of `burst`.
    pub const fn per(n: u32, period: Duration, burst: u32) -> Limit {
        let nanos = period.as_nanos() as u64 / n as u64;
        Limit {
            burst,
            interval: Duration::from_nanos(nanos),
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Tokens are earned this much slower than the published rate: requests leave here at the
/// limit but may arrive closer together (the network evens nothing out), and a marketplace
/// counting arrivals would answer the closest pair with a 429. Five percent under the
/// limit absorbs that jitter at a cost of 5% of the rate-limit bound.
pub const PACING: f64 = 1.05;

/// Buckets keyed by (cabinet, group).
#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<(String, &'static str), Bucket>>,
}

impl RateLimiter {
    /// Takes `cost` tokens for `cabinet` in `group`, waiting as long as needed.
    pub async fn acquire(&self, cabinet: &str, group: &'static str, limit: Limit, cost: u32) {
        while let Err(wait) = self.take(cabinet, group, limit, cost) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes `cost` tokens now if they are there; otherwise takes nothing and says how
    /// long they would take.
    pub fn take(
        &self,
        cabinet: &str,
        group: &'static str,
        limit: Limit,
        cost: u32,
    ) -> Result<(), Duration> {
        let cost = f64::from(cost.clamp(1, limit.burst.max(1)));
        let interval = limit.interval.mul_f64(PACING);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let b = buckets
            .entry((cabinet.to_owned(), group))
            .or_insert(Bucket {
                tokens: f64::from(limit.burst),
                at: now,
            });
        let earned = now.duration_since(b.at).as_secs_f64() / interval.as_secs_f64().max(1e-9);
        b.tokens = (b.tokens + earned).min(f64::from(limit.burst));
        b.at = now;
        // A job on a cabinet another process ran last starts from what it left.
        handover::meet(
            cabinet,
            group,
            &mut b.tokens,
            f64::from(limit.burst),
            interval,
        );
        if b.tokens >= cost {
            b.tokens -= cost;
            handover::leave(group, b.tokens);
            return Ok(());
        }
        Err(interval.mul_f64(cost - b.tokens))
    }
}

/// Telegram's limits for one bot: overall, per private chat, per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TelegramLimits {
    pub overall: Limit,
    pub private: Limit,
    pub group: Limit,
}

impl TelegramLimits {
    /// As Telegram publishes them: about 30 messages a second overall, about one a second
    /// in a private chat (a short burst tolerated), 20 a minute in a group.
    pub const TELEGRAM: TelegramLimits = TelegramLimits {
        overall: Limit::per(30, Duration::from_secs(1), 30),
        private: Limit::per(1, Duration::from_secs(1), 10),
        group: Limit::per(20, Duration::from_secs(60), 20),
    };

    /// For tests that replay long conversations in one chat: the overall limit only.
    pub const LOOSE: TelegramLimits = TelegramLimits {
        overall: Limit::per(30, Duration::from_secs(1), 30),
        private: Limit::per(1_000, Duration::from_secs(1), 1_000),
        group: Limit::per(1_000, Duration::from_secs(1), 1_000),
    };
}

/// Chats whose buckets are kept at most; full (idle) ones are forgotten past this.
const CHATS_KEPT: usize = 10_000;

/// The pace of everything the bot sends to Telegram, shared by replies and alerts: a
/// bucket per chat and one overall, the waits Telegram asked for with `retry_after` (no
/// send to that chat before it has passed), and who was refused lately in a group (a
/// stranger is told once in a while, not once per message).
pub struct ChatPace {
    limits: TelegramLimits,
    overall: Mutex<Bucket>,
    chats: Mutex<HashMap<i64, Bucket>>,
    blocked: Mutex<HashMap<i64, Instant>>,
    refused: Mutex<HashMap<(i64, i64), i64>>,
}

impl Default for ChatPace {
    fn default() -> ChatPace {
        ChatPace::new(TelegramLimits::TELEGRAM)
    }
}

/// Takes one token from `b` (refilled by `limit`), or says how long until one is earned.
fn take(b: &mut Bucket, limit: Limit, now: Instant) -> Option<Duration> {
    let interval = limit.interval.mul_f64(PACING);
    let earned = now.duration_since(b.at).as_secs_f64() / interval.as_secs_f64().max(1e-9);
    b.tokens = (b.tokens + earned).min(f64::from(limit.burst));
    b.at = now;
    if b.tokens >= 1.0 {
        b.tokens -= 1.0;
        None
    } else {
        Some(interval.mul_f64(1.0 - b.tokens))
    }
}

impl ChatPace {
    pub fn new(limits: TelegramLimits) -> ChatPace {
        ChatPace {
            limits,
            overall: Mutex::new(Bucket {
                tokens: f64::from(limits.overall.burst),
                at: Instant::now(),
            }),
            chats: Mutex::new(HashMap::new()),
            blocked: Mutex::new(HashMap::new()),
            refused: Mutex::new(HashMap::new()),
        }
    }

    fn limit_of(&self, chat: i64) -> Limit {
        // Private chats have the user's (positive) id; groups and channels are negative.
        if chat > 0 {
            self.limits.private
        } else {
            self.limits.group
        }
    }

    /// How long Telegram still wants nothing sent to `chat`.
    pub fn waiting(&self, chat: i64) -> Option<Duration> {
        let now = Instant::now();
        let mut blocked = self.blocked.lock().unwrap_or_else(|e| e.into_inner());
        match blocked.get(&chat) {
            Some(until) if *until > now => Some(*until - now),
            Some(_) => {
                blocked.remove(&chat);
                None
            }
            None => None,
        }
    }

    /// Telegram answered a send to `chat` with 429 and `retry_after`.
    pub fn retry_after(&self, chat: i64, wait: Duration) {
        let until = Instant::now() + wait;
        let mut blocked = self.blocked.lock().unwrap_or_else(|e| e.into_inner());
        let entry = blocked.entry(chat).or_insert(until);
        *entry = (*entry).max(until);
    }

    /// Waits until a message may go to `chat`: past any `retry_after`, within the chat's
    /// bucket and the overall one.
    pub async fn before_send(&self, chat: i64) {
        loop {
            if let Some(wait) = self.waiting(chat) {
                tokio::time::sleep(wait).await;
                continue;
            }
            let wait = {
                let now = Instant::now();
                let limit = self.limit_of(chat);
                let mut chats = self.chats.lock().unwrap_or_else(|e| e.into_inner());
                if chats.len() > CHATS_KEPT {
                    chats.retain(|_, b| {
                        let full = now.duration_since(b.at)
                            >= limit.interval.mul_f64(PACING * f64::from(limit.burst));
                        !full
                    });
                }
                let bucket = chats.entry(chat).or_insert(Bucket {
                    tokens: f64::from(limit.burst),
                    at: now,
                });
                match take(bucket, limit, now) {
                    Some(wait) => Some(wait),
                    None => {
                        let mut overall = self.overall.lock().unwrap_or_else(|e| e.into_inner());
                        match take(&mut overall, self.limits.overall, now) {
                            None => None,
                            Some(wait) => {
                                // Give the chat's token back: nothing was sent.
                                bucket.tokens += 1.0;
                                Some(wait)
                            }
                        }
                    }
                }
            };
            match wait {
                None => return,
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Whether `user` may be told a refusal in group `chat` at `now` (unix seconds, the
    /// app's clock): once per `every` seconds.
    pub fn may_refuse(&self, chat: i64, user: i64, now: i64, every: i64) -> bool {
        let mut refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        if refused.len() > CHATS_KEPT {
            refused.retain(|_, at| now - *at < every);
        }
        match refused.get(&(chat, user)) {
            Some(at) if now - *at < every => false,
            _ => {
                refused.insert((chat, user), now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn replies_to_one_chat_are_paced_and_wait_for_retry_after() {
        let pace = ChatPace::default();
        let start = Instant::now();
        for _ in 0..10 {
            pace.before_send(1001).await;
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "a short burst goes at once"
        );
        pace.before_send(1001).await;
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(1050),
            "then about one a second"
        );
        // Another chat is not held up by the first.
        let t = Instant::now();
        pace.before_send(1002).await;
        assert_eq!(t.elapsed(), Duration::ZERO);
        // A group: 20 a minute.
        for _ in 0..20 {
            pace.before_send(-100).await;
        }
        let t = Instant::now();
        pace.before_send(-100).await;
        assert_eq!(t.elapsed(), Duration::from_millis(3150));
        // Telegram's retry_after holds every send to that chat until it has passed.
        pace.retry_after(-200, Duration::from_secs(7));
        assert_eq!(pace.waiting(-200), Some(Duration::from_secs(7)));
        let t = Instant::now();
        pace.before_send(-200).await;
        assert_eq!(t.elapsed(), Duration::from_secs(7));
        assert_eq!(pace.waiting(-200), None);
    }

    #[test]
    fn a_stranger_is_refused_once_in_a_while() {
        let pace = ChatPace::default();
        let (t, every) = (1_000, 600);
        assert!(pace.may_refuse(-100, 7, t, every));
        assert!(!pace.may_refuse(-100, 7, t + 599, every));
        assert!(
            pace.may_refuse(-100, 8, t, every),
            "another person is told too"
        );
        assert!(
            pace.may_refuse(-101, 7, t, every),
            "so is the same one in another group"
        );
        assert!(pace.may_refuse(-100, 7, t + 600, every));
    }

    #[tokio::test(start_paused = true)]
    async fn a_bucket_allows_its_burst_then_paces_requests() {
        let rl = RateLimiter::default();
        let limit = Limit::per(10, Duration::from_secs(6), 5);
        let start = Instant::now();
        for _ in 0..5 {
            rl.acquire("cab", "prices", limit, 1).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "the burst is free");
        rl.acquire("cab", "prices", limit, 1).await;
        // One token's time, a little under the published rate.
        assert_eq!(start.elapsed(), Duration::from_millis(630));
        // Another cabinet has its own bucket.
        let t = Instant::now();
        rl.acquire("other", "prices", limit, 1).await;
        assert_eq!(t.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_job_starts_from_the_buckets_the_previous_job_on_its_cabinet_left() {
        let limit = Limit::per(10, Duration::from_secs(6), 5);
        // Another process's job used the whole burst just now.
        let first = RateLimiter::default();
        let job = Handover::new(Vec::new());
        job.run(async {
            for _ in 0..5 {
                first.acquire("cab", "prices", limit, 1).await;
            }
        })
        .await;
        let left = job.left();
        assert_eq!(left.len(), 1);
        assert!(left[0].tokens < 0.01, "{left:?}");
        // This process's buckets are full, yet its job waits as the marketplace would.
        let second = RateLimiter::default();
        let next = Handover::new(left);
        let start = Instant::now();
        next.run(second.acquire("cab", "prices", limit, 1)).await;
        assert!(
            start.elapsed() >= Duration::from_millis(600),
            "{:?}",
            start.elapsed()
        );
        // Outside a job (or on a bucket the previous job did not use) nothing changes.
        let t = Instant::now();
        second.acquire("other", "prices", limit, 1).await;
        next.run(second.acquire("cab", "content", limit, 1)).await;
        assert_eq!(t.elapsed(), Duration::ZERO);
    }
}
