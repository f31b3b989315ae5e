//! The secrets sweep: the page, the same-site scripts and stylesheets, and the original sources
//! inside served source maps go through the secrets scanner. Its findings move to the URL of the
//! resource they were found in; the line stays in the message.

use std::sync::OnceLock;

use palisade_core::{Finding, Location, RuleMeta};
use palisade_secrets::SecretsScanner;

use crate::checks::Findings;
use crate::fetch::Response;

/// Most original sources of one source map that are swept.
const MAX_MAP_SOURCES: usize = 500;

fn builtin() -> Option<&'static SecretsScanner> {
    static SCANNER: OnceLock<Option<SecretsScanner>> = OnceLock::new();
    SCANNER
        .get_or_init(|| SecretsScanner::builtin().ok())
        .as_ref()
}

/// Sweeps every fetched resource with `custom` or the built-in rules; an error only when the
/// built-in rules do not load.
pub fn secrets(
    custom: Option<&SecretsScanner>,
    page: &Response,
    assets: &[Response],
    maps: &[Response],
    out: &mut Findings,
) -> Result<(), String> {
    let scanner: &SecretsScanner = match custom {
        Some(s) => s,
        None => builtin().ok_or("the built-in secrets rules did not load")?,
    };
    for resp in std::iter::once(page).chain(assets) {
        let url = resp.url.as_str();
        for f in scanner.scan(url, &resp.body) {
            out.list.push(relocate(f, url, None));
        }
    }
    for map in maps {
        let url = map.url.as_str();
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&map.body) else {
            continue;
        };
        let sources = json["sources"].as_array().cloned().unwrap_or_default();
        let contents = json["sourcesContent"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (i, content) in contents.iter().enumerate().take(MAX_MAP_SOURCES) {
            let Some(text) = content.as_str() else {
                continue;
            };
            let name = sources
                .get(i)
                .and_then(|s| s.as_str())
                .unwrap_or("source")
                .to_owned();
            for f in scanner.scan(&name, text.as_bytes()) {
                out.list.push(relocate(f, url, Some(&name)));
            }
        }
    }
    Ok(())
}

/// Moves a file finding to the URL it was found at, keeping the line (and, for source maps,
/// the original file) in the message.
fn relocate(mut f: Finding, url: &str, source: Option<&str>) -> Finding {
    let line = f.location.start_line();
    let place = match (source, line) {
        (Some(s), Some(l)) => format!(" (in {s}, line {l}, from the source map)"),
        (Some(s), None) => format!(" (in {s}, from the source map)"),
        (None, Some(l)) => format!(" (line {l})"),
        (None, None) => String::new(),
    };
    f.message.push_str(&place);
    f.location = Location::Url {
        url: url.to_owned(),
    };
    f
}

/// The metadata of a secrets rule, for the report's rule list.
pub fn rule_meta(custom: Option<&SecretsScanner>, id: &str) -> Option<RuleMeta> {
    let scanner: &SecretsScanner = match custom {
        Some(s) => s,
        None => builtin()?,
    };
    scanner.rules().iter().find(|r| r.id == id).cloned()
}
