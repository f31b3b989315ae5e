//! Live web targets: the web scanner run on a URL, its result as a [`Report`].
//!
//! The web scanner's types are re-exported so that the crates above the engine (the server)
//! reach it through the engine, as they reach every other scanner.

use palisade_core::Report;

pub use palisade_webcheck::{GuardError, WebError, WebScanOptions, WebScanResult};

/// Scans `url` (passive checks; the active probes too when `opts.active` and the target is
/// verified) and returns the report exactly as `palisade scan --url` builds it (see
/// [`WebScanResult::into_report`]). Blocking; safe to call from any thread.
pub fn scan_url(url: &str, opts: &WebScanOptions) -> Result<Report, WebError> {
    palisade_webcheck::scan_blocking(url, opts).map(|r| r.into_report(url))
}
