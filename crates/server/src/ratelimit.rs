//! Per-token rate limits: two GCRA windows (a per-second burst and a per-minute steady rate).
//!
//! GCRA keeps one "theoretical arrival time" per key and window, so it is O(1) in memory per token
//! and exact at window edges (no fixed-window double bursts). State is per process: with several
//! API replicas each enforces the limit on its own share of the traffic.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue};
use uuid::Uuid;

/// Limits for one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_second: u32,
    pub per_minute: u32,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    quota: u32,
    period: Duration,
}

impl Window {
    fn interval(self) -> Duration {
        self.period / self.quota.max(1)
    }
}

/// The outcome of one request against both windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// Requests left in the tightest window.
    pub remaining: u32,
    /// Seconds until the tightest window has room again (rounded up).
    pub reset_secs: u64,
    pub limits: Limits,
}

#[derive(Default)]
struct State {
    /// Theoretical arrival times per window.
    tat: [Option<Instant>; 2],
}

pub struct RateLimiter {
    state: Mutex<HashMap<Uuid, State>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter {
            state: Mutex::new(HashMap::new()),
        }
    }
}

impl RateLimiter {
    /// Counts one request for `key`, unless it would exceed either window.
    pub fn check(&self, key: Uuid, limits: Limits, now: Instant) -> Decision {
        let windows = [
            Window {
                quota: limits.per_second,
                period: Duration::from_secs(1),
            },
            Window {
                quota: limits.per_minute,
                period: Duration::from_secs(60),
            },
        ];
        let mut map = match self.state.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() > 10_000 {
            // Forget idle keys: their windows are full again.
            map.retain(|_, s| s.tat.iter().flatten().any(|t| *t > now));
        }
        let state = map.entry(key).or_default();
        let mut new_tat = [now; 2];
        let mut allowed = true;
        let mut remaining = u32::MAX;
        let mut reset = Duration::ZERO;
        for (i, w) in windows.iter().enumerate() {
            let tat = state.tat[i].map_or(now, |t| t.max(now));
            let next = tat + w.interval();
            let used = next - now;
            if used > w.period {
                allowed = false;
                reset = reset.max(used - w.period);
                remaining = 0;
            } else {
                let left = (w.period - used).as_nanos() / w.interval().as_nanos().max(1);
                remaining = remaining.min(u32::try_from(left).unwrap_or(u32::MAX));
                if remaining == 0 {
                    reset = reset.max(w.interval());
                }
            }
            new_tat[i] = next;
        }
        if allowed {
            state.tat = [Some(new_tat[0]), Some(new_tat[1])];
        }
        Decision {
            allowed,
            remaining,
            reset_secs: reset.as_secs() + u64::from(reset.subsec_nanos() > 0),
            limits,
        }
    }
}

impl Decision {
    /// The IETF `RateLimit-Policy` and `RateLimit` headers (draft-ietf-httpapi-ratelimit-headers).
    pub fn apply(&self, headers: &mut HeaderMap) {
        let policy = format!(
            "\"burst\";q={};w=1, \"steady\";q={};w=60",
            self.limits.per_second, self.limits.per_minute
        );
        let current = format!("\"burst\";r={};t={}", self.remaining, self.reset_secs);
        if let Ok(v) = HeaderValue::from_str(&policy) {
            headers.insert("ratelimit-policy", v);
        }
        if let Ok(v) = HeaderValue::from_str(&current) {
            headers.insert("ratelimit", v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        per_second: 10,
        per_minute: 60,
    };

    #[test]
    fn allows_a_burst_then_refuses_with_a_retry_time() {
        let rl = RateLimiter::default();
        let key = Uuid::now_v7();
        let t0 = Instant::now();
        for i in 0..10 {
            let d = rl.check(key, L, t0);
            assert!(d.allowed, "request {i}");
        }
        let d = rl.check(key, L, t0);
        assert!(!d.allowed);
        assert_eq!(d.remaining, 0);
        assert!(d.reset_secs >= 1);
        // Another token is not affected.
        assert!(rl.check(Uuid::now_v7(), L, t0).allowed);
    }

    #[test]
    fn the_minute_window_caps_steady_traffic() {
        let rl = RateLimiter::default();
        let key = Uuid::now_v7();
        let t0 = Instant::now();
        let mut allowed = 0;
        // 5 requests every 500 ms for 30 s: within the burst window, but the minute window allows
        // its 60 up front and then one a second, about 90 in all, not 300.
        for step in 0..60 {
            let t = t0 + Duration::from_millis(500 * step);
            for _ in 0..5 {
                if rl.check(key, L, t).allowed {
                    allowed += 1;
                }
            }
        }
        assert!((85..=91).contains(&allowed), "{allowed}");
        let later = rl.check(key, L, t0 + Duration::from_secs(120));
        assert!(later.allowed, "the window refills");
    }

    #[test]
    fn headers_follow_the_draft() {
        let rl = RateLimiter::default();
        let d = rl.check(Uuid::now_v7(), L, Instant::now());
        let mut h = HeaderMap::new();
        d.apply(&mut h);
        assert_eq!(
            h["ratelimit-policy"],
            "\"burst\";q=10;w=1, \"steady\";q=60;w=60"
        );
        assert_eq!(h["ratelimit"], "\"burst\";r=9;t=0");
    }
}
