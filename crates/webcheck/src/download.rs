//! Plain downloads behind the SSRF guard, for the product's own outbound fetches that are not
//! web scans (the advisory database update).

use std::sync::Arc;
use std::time::Duration;

use crate::fetch::{Budget, FetchSettings, Fetcher};
use crate::guard::{self, GuardedResolver};
use crate::{DEFAULT_USER_AGENT, WebError};

/// Limits of one download.
#[derive(Debug, Clone)]
pub struct DownloadOptions {
    /// Allow loopback, private and link-local hosts (an internal mirror); never cloud metadata.
    pub allow_private: bool,
    /// A body longer than this is an error, never a silently truncated file.
    pub max_bytes: usize,
    /// Per request, redirects included.
    pub timeout: Duration,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            allow_private: false,
            max_bytes: 1 << 30,
            timeout: Duration::from_secs(300),
        }
    }
}

/// GETs `url` (following up to five redirects, each checked by the guard) and returns the body of
/// a 2xx response. Runs on a thread of its own with its own runtime, so it is safe to call from
/// anywhere.
pub fn download_blocking(url: &str, opts: &DownloadOptions) -> Result<Vec<u8>, WebError> {
    let url = url.to_owned();
    let opts = opts.clone();
    std::thread::Builder::new()
        .name("palisade-download".to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| WebError::Runtime(format!("cannot start a runtime: {e}")))?;
            runtime.block_on(download(&url, &opts))
        })
        .map_err(|e| WebError::Runtime(format!("cannot start the download thread: {e}")))?
        .join()
        .map_err(|_| WebError::Runtime("the download thread panicked".to_owned()))?
}

async fn download(url: &str, opts: &DownloadOptions) -> Result<Vec<u8>, WebError> {
    let parsed = guard::check_url(url, opts.allow_private).map_err(|e| match e {
        guard::GuardError::InvalidUrl(_) => WebError::InvalidUrl(url.to_owned()),
        other => WebError::Forbidden(other),
    })?;
    let settings = FetchSettings {
        allow_private: opts.allow_private,
        max_requests: 8,
        requests_per_second: 0.0,
        timeout: opts.timeout,
        max_redirects: 5,
        // One byte over the limit tells a body at the limit from a longer one.
        max_body_bytes: opts.max_bytes.saturating_add(1),
        user_agent: DEFAULT_USER_AGENT.to_owned(),
        accept_invalid_certs: false,
        extra_roots: Vec::new(),
    };
    let fetcher = Fetcher::new(
        settings,
        GuardedResolver::system(opts.allow_private),
        Arc::new(Budget::default()),
    )
    .map_err(WebError::Runtime)?;
    let (followed, error) = fetcher.follow(&parsed).await;
    let unreachable = |message: String| WebError::Unreachable {
        url: url.to_owned(),
        message,
    };
    if let Some(e) = error {
        return Err(match e {
            crate::fetch::FetchError::Guard(g) => WebError::Forbidden(g),
            other => unreachable(other.to_string()),
        });
    }
    let last = followed
        .hops
        .into_iter()
        .last()
        .ok_or_else(|| unreachable("no response".to_owned()))?;
    if !last.status.is_success() {
        return Err(unreachable(format!("HTTP {}", last.status)));
    }
    if last.truncated || last.body.len() > opts.max_bytes {
        return Err(unreachable(format!(
            "the response is larger than the {}-byte limit",
            opts.max_bytes
        )));
    }
    Ok(last.body)
}
