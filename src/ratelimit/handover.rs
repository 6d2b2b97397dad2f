//! Buckets that travel with a cabinet from one job to the next. A process keeps its own
//! buckets, so a second process would start a cabinet with a full burst the marketplace
//! has already counted. Jobs of one cabinet run one at a time across every process (the
//! claim skips a cabinet a job is running on), so each job starts from the buckets the
//! previous one left (read when it starts) and leaves its own (written when it ends): the
//! cabinet stays under its limits whichever process runs it, at a read and a write per
//! job rather than a database write per request.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A bucket as a job left it: `tokens` at `at_ms` (Unix milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub group: String,
    pub tokens: f64,
    pub at_ms: i64,
}

/// The buckets of the cabinet a job runs on: as the previous job left them, and as this
/// one leaves them.
#[derive(Debug, Default)]
pub struct Handover {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    given: HashMap<String, Level>,
    met: HashSet<(String, String)>,
    left: HashMap<String, Level>,
}

tokio::task_local! {
    static CURRENT: Arc<Handover>;
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Handover {
    /// A job's handover, starting from the buckets the previous job left.
    pub fn new(given: Vec<Level>) -> Arc<Handover> {
        let given = given.into_iter().map(|l| (l.group.clone(), l)).collect();
        Arc::new(Handover {
            state: Mutex::new(State {
                given,
                ..State::default()
            }),
        })
    }

    /// Runs `work` with this handover: every limiter bucket it takes from starts no fuller
    /// than the previous job left it.
    pub async fn run<F: Future>(self: &Arc<Self>, work: F) -> F::Output {
        CURRENT.scope(self.clone(), work).await
    }

    /// The buckets this job leaves (the groups it used).
    pub fn left(&self) -> Vec<Level> {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.left.values().cloned().collect()
    }
}

/// Lowers a local bucket's `tokens` to what the previous job on the cabinet left, earned
/// up to now at `interval` a token, the first time the running job uses it.
pub(super) fn meet(key: &str, group: &str, tokens: &mut f64, burst: f64, interval: Duration) {
    let _ = CURRENT.try_with(|h| {
        let mut st = h.state.lock().unwrap_or_else(|e| e.into_inner());
        if !st.met.insert((key.to_owned(), group.to_owned())) {
            return;
        }
        if let Some(given) = st.given.get(group) {
            let since = Duration::from_millis(u64::try_from(now_ms() - given.at_ms).unwrap_or(0));
            let earned = since.as_secs_f64() / interval.as_secs_f64().max(1e-9);
            let then = (given.tokens + earned).min(burst);
            if then < *tokens {
                *tokens = then;
            }
        }
    });
}

/// Notes what the running job left in a bucket after taking from it.
pub(super) fn leave(group: &str, tokens: f64) {
    let _ = CURRENT.try_with(|h| {
        let mut st = h.state.lock().unwrap_or_else(|e| e.into_inner());
        st.left.insert(
            group.to_owned(),
            Level {
                group: group.to_owned(),
                tokens,
                at_ms: now_ms(),
            },
        );
    });
}
