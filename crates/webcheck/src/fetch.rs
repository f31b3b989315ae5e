//! The HTTP side of a scan: one client behind the SSRF guard, a request budget, a rate limit,
//! bounded bodies and redirects followed by hand so every hop is recorded and checked.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode};
use tokio::sync::Mutex;
use tokio::time::Instant;
use url::Url;

use crate::guard::{self, GuardError, GuardedResolver};

/// One HTTP response, body bounded.
#[derive(Debug, Clone)]
pub struct Response {
    pub url: Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// True when the body was longer than the per-resource limit and was cut.
    pub truncated: bool,
}

impl Response {
    /// The first value of `name`, as text (invalid bytes replaced).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    /// Every value of `name`, in order.
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect()
    }

    /// The media type of the response, lowercased, without parameters.
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    pub fn is_html(&self) -> bool {
        let mt = self.media_type();
        mt == "text/html"
            || mt == "application/xhtml+xml"
            || (mt.is_empty() && looks_like_html(&self.body))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html")
}

/// Why a request did not produce a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the scan's request budget ({0} requests) is spent")]
    Budget(usize),
    #[error(transparent)]
    Guard(#[from] GuardError),
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    #[error("{url}: more than {max} redirects")]
    TooManyRedirects { url: String, max: usize },
}

/// Settings of the fetcher, taken from the scan options.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    pub allow_private: bool,
    pub max_requests: usize,
    pub requests_per_second: f64,
    pub timeout: Duration,
    pub max_redirects: usize,
    pub max_body_bytes: usize,
    pub user_agent: String,
    /// Accept certificates that do not verify (set after the TLS checks reported them).
    pub accept_invalid_certs: bool,
    pub extra_roots: Vec<Vec<u8>>,
}

/// The result of following redirects from one URL.
#[derive(Debug, Clone)]
pub struct Followed {
    /// Every response in order, the final one last.
    pub hops: Vec<Response>,
}

impl Followed {
    pub fn last(&self) -> Option<&Response> {
        self.hops.last()
    }
}

/// The request budget and rate limiter of one scan, shared by every client the scan builds.
#[derive(Debug, Default)]
pub struct Budget {
    used: AtomicUsize,
    next_slot: Mutex<Option<Instant>>,
}

/// Sends every request of a scan.
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    resolver: GuardedResolver,
    budget: Arc<Budget>,
}

impl Fetcher {
    pub fn new(
        settings: FetchSettings,
        resolver: GuardedResolver,
        budget: Arc<Budget>,
    ) -> Result<Fetcher, String> {
        let mut builder = reqwest::Client::builder()
            // Proxies resolve names themselves, which would bypass the guard.
            .no_proxy()
            .dns_resolver(Arc::new(resolver.clone()))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(settings.user_agent.clone())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .referer(false)
            .pool_max_idle_per_host(2)
            .tls_danger_accept_invalid_certs(settings.accept_invalid_certs);
        let mut roots = Vec::new();
        for der in &settings.extra_roots {
            roots.push(reqwest::Certificate::from_der(der).map_err(|e| e.to_string())?);
        }
        builder = builder.tls_certs_merge(roots);
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok(Fetcher {
            client,
            settings,
            resolver,
            budget,
        })
    }

    /// A fetcher for the same scan (same budget and rate limit) that accepts certificates that
    /// do not verify: used after the TLS checks have reported the certificate, so the rest of
    /// the site can still be checked.
    pub fn accepting_invalid_certs(&self) -> Result<Fetcher, String> {
        let settings = FetchSettings {
            accept_invalid_certs: true,
            ..self.settings.clone()
        };
        Fetcher::new(settings, self.resolver.clone(), self.budget.clone())
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    pub fn resolver(&self) -> &GuardedResolver {
        &self.resolver
    }

    /// Requests sent so far (connections of the TLS checks included).
    pub fn requests_used(&self) -> usize {
        self.budget.used.load(Ordering::SeqCst)
    }

    /// Takes one unit of the budget and waits for the rate limiter. Every request and every raw
    /// connection of the scan goes through here.
    pub async fn acquire(&self) -> Result<(), FetchError> {
        let max = self.settings.max_requests;
        let taken = self
            .budget
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            });
        if taken.is_err() {
            return Err(FetchError::Budget(max));
        }
        let rps = self.settings.requests_per_second;
        if rps.is_finite() && rps > 0.0 {
            let interval = Duration::from_secs_f64((1.0 / rps).min(3600.0));
            let mut next = self.budget.next_slot.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + interval);
            drop(next);
            tokio::time::sleep_until(slot).await;
        }
        Ok(())
    }

    /// One request, no redirects followed, body bounded by the scan's per-resource limit.
    pub async fn request(
        &self,
        method: Method,
        url: &Url,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<Response, FetchError> {
        self.request_limited(method, url, headers, body, self.settings.max_body_bytes)
            .await
    }

    /// [`Fetcher::request`] with a smaller body limit (probes that only need the first bytes).
    pub async fn request_limited(
        &self,
        method: Method,
        url: &Url,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
        limit: usize,
    ) -> Result<Response, FetchError> {
        guard::check_parsed(url, self.settings.allow_private)?;
        self.acquire().await?;
        let mut req = self.client.request(method, url.clone());
        for (name, value) in headers {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) else {
                continue;
            };
            req = req.header(name, value);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let http_err = |e: reqwest::Error| match guard_refusal(&e) {
            Some(refusal) => FetchError::Guard(refusal),
            None => FetchError::Http {
                url: url.to_string(),
                message: describe(&e),
            },
        };
        let mut resp = req.send().await.map_err(http_err)?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let limit = limit.min(self.settings.max_body_bytes);
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(http_err)? {
            let room = limit.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            url: url.clone(),
            status,
            headers,
            body,
            truncated,
        })
    }

    pub async fn get(&self, url: &Url) -> Result<Response, FetchError> {
        self.request(Method::GET, url, &[], None).await
    }

    /// GET `url` and follow up to `max_redirects` redirects, checking every hop with the guard.
    /// Returns the hops received before an error along with it, so a chain that ends at a
    /// forbidden address is still reported.
    pub async fn follow(&self, url: &Url) -> (Followed, Option<FetchError>) {
        let mut hops: Vec<Response> = Vec::new();
        let mut current = url.clone();
        loop {
            let resp = match self.get(&current).await {
                Ok(r) => r,
                Err(e) => return (Followed { hops }, Some(e)),
            };
            let next = redirect_target(&resp);
            hops.push(resp);
            let Some(next) = next else {
                return (Followed { hops }, None);
            };
            if hops.len() > self.settings.max_redirects {
                let err = FetchError::TooManyRedirects {
                    url: url.to_string(),
                    max: self.settings.max_redirects,
                };
                return (Followed { hops }, Some(err));
            }
            current = next;
        }
    }
}

/// Where a redirect response points, resolved against its own URL.
pub fn redirect_target(resp: &Response) -> Option<Url> {
    if !resp.status.is_redirection() || resp.status == StatusCode::NOT_MODIFIED {
        return None;
    }
    let location = resp.headers.get(LOCATION)?.to_str().ok()?;
    resp.url.join(location.trim()).ok()
}

/// The guard's refusal, when that is what stopped a request at connect time.
fn guard_refusal(e: &reqwest::Error) -> Option<GuardError> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(refusal) = s.downcast_ref::<GuardError>() {
            return Some(refusal.clone());
        }
        source = s.source();
    }
    None
}

/// A reqwest error with its causes, which carry the useful part (the guard's refusal, the TLS
/// alert, "connection refused").
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
