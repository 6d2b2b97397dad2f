//! How a job that failed is tried again, as the seeds have it: a main mode of N tries every
//! S seconds, then a fallback mode of M tries every T seconds; after that a one-off job has
//! failed for good.

/// A retry policy: main mode, then fallback mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub main_tries: i64,
    pub main_every_secs: i64,
    pub fallback_tries: i64,
    pub fallback_every_secs: i64,
}

impl Default for RetryPolicy {
    /// 5 tries every minute, then 100 tries every 10 minutes.
    fn default() -> RetryPolicy {
        RetryPolicy {
            main_tries: 5,
            main_every_secs: 60,
            fallback_tries: 100,
            fallback_every_secs: 600,
        }
    }
}

/// What to do after a job's `failures`-th failure in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again in this many seconds.
    RetryIn(i64),
    /// No tries left.
    GiveUp,
}

impl RetryPolicy {
    pub fn after(&self, failures: i64) -> Next {
        if failures < 1 {
            Next::RetryIn(0)
        } else if failures <= self.main_tries {
            Next::RetryIn(self.main_every_secs)
        } else if failures <= self.main_tries + self.fallback_tries {
            Next::RetryIn(self.fallback_every_secs)
        } else {
            Next::GiveUp
        }
    }

    /// Whether the main mode is used up (the first run and its main tries all failed): a
    /// periodic job failing this long is reported.
    pub fn main_exhausted(&self, failures: i64) -> bool {
        failures > self.main_tries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_mode_then_fallback_then_give_up() {
        let p = RetryPolicy::default();
        assert_eq!(p.after(1), Next::RetryIn(60));
        assert_eq!(p.after(5), Next::RetryIn(60));
        assert_eq!(p.after(6), Next::RetryIn(600));
        assert_eq!(p.after(105), Next::RetryIn(600));
        assert_eq!(p.after(106), Next::GiveUp);
        assert!(!p.main_exhausted(5) && p.main_exhausted(6));
        let quick = RetryPolicy {
            main_tries: 2,
            main_every_secs: 1,
            fallback_tries: 1,
            fallback_every_secs: 5,
        };
        let steps: Vec<Next> = (1..=4).map(|f| quick.after(f)).collect();
        assert_eq!(
            steps,
            vec![
                Next::RetryIn(1),
                Next::RetryIn(1),
                Next::RetryIn(5),
                Next::GiveUp
            ]
        );
    }
}
