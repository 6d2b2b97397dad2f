//! Token buckets keyed by a name and a group: each marketplace's published limits per cabinet,
//! and Telegram's limits for alerts.
//! A caller waits for a token instead of being refused, so we stay under the limit rather
//! than discover it through 429s.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

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
        let cost = f64::from(cost.clamp(1, limit.burst.max(1)));
        let interval = limit.interval.mul_f64(PACING);
        loop {
            let wait = {
                let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                let b = buckets
                    .entry((cabinet.to_owned(), group))
                    .or_insert(Bucket {
                        tokens: f64::from(limit.burst),
                        at: now,
                    });
                let earned =
                    now.duration_since(b.at).as_secs_f64() / interval.as_secs_f64().max(1e-9);
                b.tokens = (b.tokens + earned).min(f64::from(limit.burst));
                b.at = now;
                if b.tokens >= cost {
                    b.tokens -= cost;
                    return;
                }
                interval.mul_f64(cost - b.tokens)
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
