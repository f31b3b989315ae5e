//! Prometheus metrics: requests by route and status, latency, queue depth, scans by status and
//! scan duration. `/metrics` renders the OpenMetrics text format.

use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::state::AppState;

type Labels = Vec<(&'static str, String)>;

fn latency_histogram() -> Histogram {
    // 1 ms to ~33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

fn scan_histogram() -> Histogram {
    // 0.1 s to ~55 min.
    Histogram::new(exponential_buckets(0.1, 2.0, 16))
}

pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    queue_depth: Gauge,
    scans: Family<Labels, Gauge>,
    scan_duration: Family<Labels, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("palisade");
        let requests = Family::<Labels, Counter>::default();
        let latency = Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let queue_depth = Gauge::default();
        let scans = Family::<Labels, Gauge>::default();
        let scan_duration = Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(
            scan_histogram as fn() -> Histogram,
        );
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route and method",
            latency.clone(),
        );
        registry.register(
            "queue_depth",
            "Scans waiting in the queue",
            queue_depth.clone(),
        );
        registry.register("scans", "Scans by status", scans.clone());
        registry.register(
            "scan_duration_seconds",
            "Time from a worker taking a scan to its end, by outcome",
            scan_duration.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            queue_depth,
            scans,
            scan_duration,
        }
    }
}

impl Metrics {
    pub fn observe_scan(&self, outcome: &str, seconds: f64) {
        self.scan_duration
            .get_or_create(&vec![("outcome", outcome.to_owned())])
            .observe(seconds);
    }

    /// Renders every metric, refreshing the database-backed gauges first.
    pub async fn render(&self, state: &AppState) -> Result<String, crate::error::ApiError> {
        let depth = state.store.queue_depth().await?;
        self.queue_depth.set(depth);
        for (status, n) in state.store.scan_status_counts().await? {
            self.scans
                .get_or_create(&vec![("status", status.as_str().to_owned())])
                .set(n);
        }
        let mut out = String::new();
        let registry = match self.registry.lock() {
            Ok(r) => r,
            Err(p) => p.into_inner(),
        };
        encode(&mut out, &registry).map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
        Ok(out)
    }
}

/// Middleware counting every request by its route template (never the raw path, so ids do not
/// explode the label set).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let resp = next.run(req).await;
    let m = &state.metrics;
    m.requests
        .get_or_create(&vec![
            ("route", route.clone()),
            ("method", method.clone()),
            ("status", resp.status().as_u16().to_string()),
        ])
        .inc();
    m.latency
        .get_or_create(&vec![("route", route), ("method", method)])
        .observe(started.elapsed().as_secs_f64());
    resp
}
