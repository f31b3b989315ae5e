//! Checks of live web targets: passive checks of what a browser would see (security headers,
//! cookies, CORS, TLS, mixed content, SRI, source maps, disclosure), active probes for targets
//! whose owner proved control, a summary grade in the style of Mozilla's HTTP Observatory, and
//! the SSRF guard every outbound fetch of the product goes through.
//!
//! The one asynchronous scanner: [`scan`] is async, and [`scan_blocking`] runs it on a thread of
//! its own, safe to call from anywhere (including inside a tokio runtime).
//!
//! Every request goes through the [`guard`], counts against a request budget, waits for the
//! rate limiter, reads at most [`WebScanOptions::max_body_bytes`] of a body and identifies
//! itself with an honest User-Agent.

mod active;
mod checks;
mod download;
mod fetch;
pub mod grade;
pub mod guard;
pub mod parse;
pub mod rules;
mod scan;
mod sweep;
mod tls;
mod verify;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use palisade_core::{Finding, Report, RuleMeta, ScanError, ScanKind};

pub use checks::cors::PROBE_ORIGIN as CORS_PROBE_ORIGIN;
pub use download::{DownloadOptions, download_blocking};
pub use grade::{Grade, TestResult};
pub use guard::GuardError;
pub use rules::Rule;
pub use verify::{DNS_LABEL, TOKEN_PREFIX, WELL_KNOWN_PATH, verification_token};

/// The User-Agent of every request: who we are and where to read about it.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "palisade/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/palisade-sec/palisade)"
);

/// How a web scan runs.
#[derive(Clone)]
pub struct WebScanOptions {
    /// Run the active probes. Needs `verification_key` and a verified target.
    pub active: bool,
    /// Allow loopback, private and link-local targets (never cloud metadata addresses).
    pub allow_private: bool,
    /// Most requests (and raw TLS connections) one scan may make.
    pub max_requests: usize,
    /// Requests per second; 0 or less means no limit.
    pub requests_per_second: f64,
    /// Per request (and per connection) timeout.
    pub timeout: Duration,
    pub max_redirects: usize,
    pub user_agent: String,
    /// Most bytes read of any one response body.
    pub max_body_bytes: usize,
    /// Most same-site scripts and stylesheets fetched.
    pub max_assets: usize,
    /// Probe TLS protocol versions and weak suites with hand-built handshakes.
    pub tls_probes: bool,
    /// The installation's (or organisation's) key for [`verification_token`].
    pub verification_key: Option<Vec<u8>>,
    /// Extra trusted root certificates (DER), e.g. an internal CA.
    pub extra_root_certificates: Vec<Vec<u8>>,
    /// DNS servers for the TXT verification lookup; empty means the system's.
    pub dns_servers: Vec<SocketAddr>,
    /// The resolver behind the SSRF guard; `None` means the system resolver. Tests and
    /// operators who pin addresses use [`guard::StaticResolver`].
    pub resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
    /// The secrets scanner the page, bundles and source maps are swept with; `None` means the
    /// built-in rules (pass one built with the user's rule files to use those).
    pub secrets_scanner: Option<Arc<palisade_secrets::SecretsScanner>>,
}

impl Default for WebScanOptions {
    fn default() -> Self {
        WebScanOptions {
            active: false,
            allow_private: false,
            max_requests: 150,
            requests_per_second: 5.0,
            timeout: Duration::from_secs(10),
            max_redirects: 10,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_body_bytes: 5 * 1024 * 1024,
            max_assets: 25,
            tls_probes: true,
            verification_key: None,
            extra_root_certificates: Vec::new(),
            dns_servers: Vec::new(),
            resolver: None,
            secrets_scanner: None,
        }
    }
}

impl fmt::Debug for WebScanOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebScanOptions")
            .field("active", &self.active)
            .field("allow_private", &self.allow_private)
            .field("max_requests", &self.max_requests)
            .field("requests_per_second", &self.requests_per_second)
            .field("timeout", &self.timeout)
            .field("max_redirects", &self.max_redirects)
            .field("user_agent", &self.user_agent)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_assets", &self.max_assets)
            .field("tls_probes", &self.tls_probes)
            .field(
                "verification_key",
                &self.verification_key.as_ref().map(|_| "<set>"),
            )
            .field(
                "extra_root_certificates",
                &self.extra_root_certificates.len(),
            )
            .field("dns_servers", &self.dns_servers)
            .field("resolver", &self.resolver.as_ref().map(|_| "<custom>"))
            .field(
                "secrets_scanner",
                &self.secrets_scanner.as_ref().map(|_| "<custom>"),
            )
            .finish()
    }
}

/// What a web scan found.
#[derive(Debug, Clone)]
pub struct WebScanResult {
    /// Findings in canonical order, all with `Location::Url`.
    pub findings: Vec<Finding>,
    /// Metadata of every rule that produced a finding, sorted by id.
    pub rules: Vec<RuleMeta>,
    pub grade: Grade,
    /// The URLs the main page request went through, the final one last.
    pub redirect_chain: Vec<String>,
    /// Parts of the scan that could not be done (a probe refused by the guard, the budget).
    pub errors: Vec<ScanError>,
    /// Requests and raw connections made.
    pub requests_made: usize,
    /// How the target was verified, for active scans.
    pub verified_by: Option<String>,
    /// How long the scan took.
    pub elapsed: Duration,
}

impl WebScanResult {
    /// The scan as a [`Report`] of kind `web` on `target` (the URL as the user named it):
    /// findings with their fingerprints, the rules they came from, the errors, the time taken,
    /// in canonical order. `palisade scan --url` and the server's `web` scan kind both report
    /// through this, so a finding has the same fingerprint in both and is tracked across scans.
    pub fn into_report(self, target: &str) -> Report {
        let mut report = Report::new(target, vec![ScanKind::Web]);
        report.findings = self.findings;
        // Web findings have no file line to read: the URL is their identity content.
        palisade_core::fingerprint::assign(&mut report.findings, &|_, _| None);
        report.rules = self.rules;
        report.errors = self.errors;
        report.stats.elapsed_ms = u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX);
        report.sort();
        report
    }
}

/// Why a web scan did not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebError {
    #[error("invalid target URL '{0}'")]
    InvalidUrl(String),
    #[error("refusing to scan: {0}")]
    Forbidden(GuardError),
    #[error(
        "active checks refused: {origin} is not verified. Publish the line '{token}' at {file_url}{} and try again ({details})",
        dns_name.as_ref().map(|n| format!(" or as a TXT record on {n}")).unwrap_or_default()
    )]
    NotVerified {
        origin: String,
        token: String,
        file_url: String,
        dns_name: Option<String>,
        details: String,
    },
    #[error("active checks need a verification key (none is configured)")]
    NoVerificationKey,
    #[error("could not fetch {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("invalid web scan options: {0}")]
    Options(String),
    #[error("the web scan could not run: {0}")]
    Runtime(String),
}

/// Scans `url`.
pub async fn scan(url: &str, opts: &WebScanOptions) -> Result<WebScanResult, WebError> {
    scan::run(url, opts).await
}

/// Blocking wrapper that is safe to call from any thread, including tokio's blocking pool and
/// threads already inside a tokio runtime: the future runs on a dedicated thread with its own
/// current-thread runtime (never a nested `block_on`).
pub fn scan_blocking(url: &str, opts: &WebScanOptions) -> Result<WebScanResult, WebError> {
    let url = url.to_owned();
    let opts = opts.clone();
    let handle = std::thread::Builder::new()
        .name("palisade-webcheck".to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| WebError::Runtime(format!("cannot start a runtime: {e}")))?;
            runtime.block_on(scan::run(&url, &opts))
        })
        .map_err(|e| WebError::Runtime(format!("cannot start the scan thread: {e}")))?;
    handle
        .join()
        .map_err(|_| WebError::Runtime("the scan thread panicked".to_owned()))?
}

/// Metadata of every web rule, sorted by id (for docs and rule listings).
pub fn all_rules() -> Vec<RuleMeta> {
    rules::all()
}
