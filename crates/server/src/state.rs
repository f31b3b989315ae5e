//! What every request handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use palisade_store::Store;
use uuid::Uuid;

use crate::config::Settings;
use crate::metrics::Metrics;
use crate::ratelimit::{Limits, RateLimiter};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub limiter: Arc<RateLimiter>,
    pub metrics: Arc<Metrics>,
    /// Scan kinds the workers can run (the API refuses others with 400).
    pub scan_kinds: Arc<[palisade_core::ScanKind]>,
    org_limits: Arc<Mutex<HashMap<Uuid, (Limits, Instant)>>>,
}

/// Organisation limits are read from the database at most this often.
const ORG_LIMITS_TTL: Duration = Duration::from_secs(30);

impl AppState {
    /// State for a server whose workers run `scan_kinds`.
    pub fn new(
        store: Store,
        settings: Settings,
        scan_kinds: Vec<palisade_core::ScanKind>,
    ) -> AppState {
        AppState {
            store,
            settings: Arc::new(settings),
            limiter: Arc::new(RateLimiter::default()),
            metrics: Arc::new(Metrics::default()),
            scan_kinds: scan_kinds.into(),
            org_limits: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The rate limits of an organisation: its own, else the server's defaults.
    pub async fn limits_for(&self, org_id: Uuid) -> Result<Limits, palisade_store::StoreError> {
        let now = Instant::now();
        if let Some((l, at)) = self.lock_limits().get(&org_id)
            && now.duration_since(*at) < ORG_LIMITS_TTL
        {
            return Ok(*l);
        }
        let org = self.store.get_org(org_id).await?;
        let clamp = |v: Option<i64>, default: u32| {
            v.and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        let limits = Limits {
            per_second: clamp(org.rate_per_second, self.settings.rate_per_second),
            per_minute: clamp(org.rate_per_minute, self.settings.rate_per_minute),
        };
        self.lock_limits().insert(org_id, (limits, now));
        Ok(limits)
    }

    /// The organisation's monthly scan quota: its own, else the server's default.
    pub async fn quota_for(&self, org_id: Uuid) -> Result<Option<i64>, palisade_store::StoreError> {
        let org = self.store.get_org(org_id).await?;
        Ok(match org.monthly_scan_quota {
            Some(n) if n > 0 => Some(n),
            Some(_) => None,
            None => self.settings.monthly_quota(),
        })
    }

    fn lock_limits(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, (Limits, Instant)>> {
        match self.org_limits.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}
