//! Active probes, run only on a verified target with `--active`: requests a browser would never
//! send (well-known sensitive paths, an introspection query, a redirect parameter pointing
//! elsewhere). Each probe validates what comes back by content, not by status code alone, so a
//! site that answers 200 to every path does not produce findings.

use std::sync::LazyLock;

use regex::Regex;
use reqwest::Method;
use url::{Host, Url};

use crate::checks::content::is_directory_listing;
use crate::checks::{Findings, clip, same_site};
use crate::fetch::{FetchError, Fetcher, Response, redirect_target};
use crate::parse::html::Page;
use crate::rules::Rule;

/// Probes only need the start of a response to recognise it.
const PROBE_BODY_LIMIT: usize = 64 * 1024;

/// The external host the open-redirect probe asks to be sent to (`.invalid` never resolves).
pub const REDIRECT_PROBE_HOST: &str = "palisade-redirect-probe.invalid";

/// Query parameters that commonly carry a redirect destination.
const REDIRECT_PARAMS: [&str; 12] = [
    "next",
    "url",
    "redirect",
    "redirect_uri",
    "redirect_url",
    "return",
    "returnto",
    "return_to",
    "returnurl",
    "continue",
    "dest",
    "goto",
];

/// Most open-redirect probes per scan.
const MAX_REDIRECT_PROBES: usize = 8;
/// Most asset directories checked for listings.
const MAX_LISTING_PROBES: usize = 5;

/// Runs every active probe. Errors (other than a spent budget, which stops the probes) are
/// returned as messages for the report.
pub async fn run(
    fetcher: &Fetcher,
    target: &Url,
    html: Option<&Page>,
    assets: &[Url],
    out: &mut Findings,
) -> Vec<String> {
    let mut errors = Vec::new();
    let origin = origin_url(target);
    macro_rules! step {
        ($e:expr) => {
            if let Err(e) = $e {
                let spent = matches!(e, FetchError::Budget(_));
                errors.push(e.to_string());
                if spent {
                    return errors;
                }
            }
        };
    }
    step!(git(fetcher, &origin, out).await);
    step!(env_file(fetcher, &origin, out).await);
    step!(backups(fetcher, &origin, out).await);
    step!(server_status(fetcher, &origin, out).await);
    step!(graphql(fetcher, &origin, out).await);
    step!(open_redirect(fetcher, target, html, out).await);
    step!(directory_listings(fetcher, target, assets, out).await);
    errors
}

fn origin_url(target: &Url) -> Url {
    let mut u = target.clone();
    u.set_path("/");
    u.set_query(None);
    u.set_fragment(None);
    u
}

async fn get(fetcher: &Fetcher, url: &Url) -> Result<Response, FetchError> {
    fetcher
        .request_limited(Method::GET, url, &[], None, PROBE_BODY_LIMIT)
        .await
}

fn join(base: &Url, path: &str) -> Option<Url> {
    base.join(path).ok()
}

fn looks_like_html(resp: &Response) -> bool {
    let head =
        String::from_utf8_lossy(&resp.body[..resp.body.len().min(1024)]).to_ascii_lowercase();
    resp.media_type() == "text/html" || head.contains("<html") || head.contains("<!doctype")
}

async fn git(fetcher: &Fetcher, origin: &Url, out: &mut Findings) -> Result<(), FetchError> {
    let Some(url) = join(origin, ".git/config") else {
        return Ok(());
    };
    let resp = get(fetcher, &url).await?;
    let text = resp.text();
    if resp.status.is_success()
        && text.contains("[core]")
        && (text.contains("repositoryformatversion") || text.contains("bare ="))
    {
        let remote = text
            .lines()
            .find(|l| l.trim_start().starts_with("url ="))
            .map(|l| format!("\n{}", l.trim()))
            .unwrap_or_default();
        out.add(
            Rule::GitExposed,
            url.as_str(),
            "The .git directory is served: its config file is readable.",
            Some(format!("[core] …{remote}")),
        );
    }
    Ok(())
}

static ENV_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=").ok());

/// The variable names of a dotenv file, if `text` is one: most non-comment lines must be
/// `NAME=value`.
pub fn dotenv_names(text: &str) -> Option<Vec<String>> {
    let re = ENV_LINE.as_ref()?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let names: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            re.captures(l)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_owned())
        })
        .collect();
    (names.len() * 10 >= lines.len() * 8).then_some(names)
}

async fn env_file(fetcher: &Fetcher, origin: &Url, out: &mut Findings) -> Result<(), FetchError> {
    let Some(url) = join(origin, ".env") else {
        return Ok(());
    };
    let resp = get(fetcher, &url).await?;
    if !resp.status.is_success() || looks_like_html(&resp) {
        return Ok(());
    }
    if let Some(names) = dotenv_names(&resp.text()) {
        // Names only: the values are the secrets.
        let shown: Vec<String> = names.iter().take(12).map(|n| format!("{n}=…")).collect();
        out.add(
            Rule::EnvExposed,
            url.as_str(),
            format!("A dotenv file with {} variables is served.", names.len()),
            Some(shown.join("\n")),
        );
    }
    Ok(())
}

/// What a backup candidate turned out to be, by its first bytes.
pub fn backup_kind(body: &[u8]) -> Option<&'static str> {
    if body.starts_with(b"PK\x03\x04") {
        return Some("ZIP archive");
    }
    if body.starts_with(&[0x1f, 0x8b]) {
        return Some("gzip archive");
    }
    if body.len() > 262 && &body[257..262] == b"ustar" {
        return Some("tar archive");
    }
    if body.starts_with(b"7z\xbc\xaf\x27\x1c") {
        return Some("7-Zip archive");
    }
    if body.starts_with(b"Rar!") {
        return Some("RAR archive");
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(16 * 1024)]);
    let lower = head.to_ascii_lowercase();
    if lower.contains("<html") || lower.contains("<!doctype") {
        return None;
    }
    let sql = [
        "-- mysql dump",
        "postgresql database dump",
        "create table",
        "insert into",
    ];
    if sql.iter().any(|m| lower.contains(m)) {
        return Some("SQL dump");
    }
    None
}

async fn backups(fetcher: &Fetcher, origin: &Url, out: &mut Findings) -> Result<(), FetchError> {
    let mut paths: Vec<String> = [
        "backup.zip",
        "backup.tar.gz",
        "backup.sql",
        "dump.sql",
        "database.sql",
        "db.sql",
        "site.zip",
        "www.zip",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if let Some(Host::Domain(host)) = origin.host() {
        let host = host.trim_end_matches('.');
        paths.push(format!("{host}.zip"));
        paths.push(format!("{host}.tar.gz"));
        paths.push(format!("{host}.sql"));
    }
    for path in paths {
        let Some(url) = join(origin, &path) else {
            continue;
        };
        let resp = get(fetcher, &url).await?;
        if !resp.status.is_success() {
            continue;
        }
        if let Some(kind) = backup_kind(&resp.body) {
            out.add(
                Rule::BackupExposed,
                url.as_str(),
                format!("/{path} is downloadable and is a {kind}."),
                Some(format!(
                    "GET /{path} → {} ({kind}, {}{} bytes read)",
                    resp.status.as_u16(),
                    if resp.truncated { "first " } else { "" },
                    resp.body.len()
                )),
            );
        }
    }
    Ok(())
}

async fn server_status(
    fetcher: &Fetcher,
    origin: &Url,
    out: &mut Findings,
) -> Result<(), FetchError> {
    for (path, marker) in [
        ("server-status", "Apache Server Status"),
        ("nginx_status", "Active connections:"),
    ] {
        let Some(url) = join(origin, path) else {
            continue;
        };
        let resp = get(fetcher, &url).await?;
        let text = resp.text();
        if resp.status.is_success()
            && let Some(i) = text.find(marker)
        {
            let snippet: String = text[i..].chars().take(120).collect();
            out.add(
                Rule::ServerStatusExposed,
                url.as_str(),
                format!("/{path} shows the server's live status to anyone."),
                Some(clip(snippet.trim(), 120)),
            );
        }
    }
    Ok(())
}

async fn graphql(fetcher: &Fetcher, origin: &Url, out: &mut Findings) -> Result<(), FetchError> {
    let query = br#"{"query":"query IntrospectionProbe { __schema { queryType { name } types { name } } }"}"#;
    for path in ["graphql", "api/graphql"] {
        let Some(url) = join(origin, path) else {
            continue;
        };
        let resp = fetcher
            .request_limited(
                Method::POST,
                &url,
                &[
                    ("content-type", "application/json"),
                    ("accept", "application/json"),
                ],
                Some(query.to_vec()),
                PROBE_BODY_LIMIT * 4,
            )
            .await?;
        if !resp.status.is_success() {
            continue;
        }
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&resp.body) else {
            continue;
        };
        let schema = &json["data"]["__schema"];
        if schema.is_object() {
            let types = schema["types"].as_array().map_or(0, Vec::len);
            let root = schema["queryType"]["name"]
                .as_str()
                .unwrap_or("?")
                .to_owned();
            out.add(
                Rule::GraphqlIntrospection,
                url.as_str(),
                format!(
                    "The GraphQL endpoint answers introspection ({types} types, query root {root})."
                ),
                Some(format!(
                    "POST /{path} {{ __schema {{ queryType {{ name }} }} }} → data.__schema"
                )),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// The URLs the open-redirect probe tries: the page's own same-site links that carry a
/// redirect-like parameter, then the target with the common parameter names, each with the
/// parameter set to an external URL.
pub fn redirect_candidates(target: &Url, html: Option<&Page>) -> Vec<(Url, String)> {
    let probe_value = format!("https://{REDIRECT_PROBE_HOST}/");
    let mut out: Vec<(Url, String)> = Vec::new();
    let mut push = |base: &Url, param: &str| {
        let mut u = base.clone();
        let pairs: Vec<(String, String)> = base
            .query_pairs()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(param))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        u.query_pairs_mut()
            .clear()
            .extend_pairs(pairs)
            .append_pair(param, &probe_value);
        if !out.iter().any(|(x, _)| *x == u) {
            out.push((u, param.to_owned()));
        }
    };
    if let Some(page) = html {
        for link in page.links.iter().filter(|l| same_site(target, l)) {
            for (k, _) in link.query_pairs() {
                if REDIRECT_PARAMS.contains(&k.to_ascii_lowercase().as_str()) {
                    push(link, &k);
                }
            }
        }
    }
    for param in ["next", "url", "redirect", "return_to"] {
        push(target, param);
    }
    out.truncate(MAX_REDIRECT_PROBES);
    out
}

async fn open_redirect(
    fetcher: &Fetcher,
    target: &Url,
    html: Option<&Page>,
    out: &mut Findings,
) -> Result<(), FetchError> {
    for (url, param) in redirect_candidates(target, html) {
        let resp = get(fetcher, &url).await?;
        let Some(dest) = redirect_target(&resp) else {
            continue;
        };
        if dest.host_str() == Some(REDIRECT_PROBE_HOST) {
            let location = resp.header("location").unwrap_or_default();
            out.add(
                Rule::OpenRedirect,
                url.as_str(),
                format!("The '{param}' parameter redirects to any external site."),
                Some(format!(
                    "GET {} → {} Location: {location}",
                    clip(url.as_str(), 200),
                    resp.status.as_u16()
                )),
            );
            return Ok(());
        }
    }
    Ok(())
}

async fn directory_listings(
    fetcher: &Fetcher,
    target: &Url,
    assets: &[Url],
    out: &mut Findings,
) -> Result<(), FetchError> {
    let mut dirs: Vec<Url> = Vec::new();
    for asset in assets.iter().filter(|a| same_site(target, a)) {
        if let Ok(mut dir) = asset.join("./") {
            dir.set_query(None);
            if dir.path() != "/" && !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    for dir in dirs.into_iter().take(MAX_LISTING_PROBES) {
        let resp = get(fetcher, &dir).await?;
        if resp.status.is_success() && is_directory_listing(&resp.body) {
            out.add(
                Rule::DirectoryListing,
                dir.as_str(),
                format!("{} is an automatic directory listing.", dir.path()),
                None,
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_files_are_recognised_by_shape() {
        let env = "# settings\nDB_HOST=localhost\nDB_PASSWORD=hunter2\nexport API_KEY=abc\n";
        assert_eq!(
            dotenv_names(env).unwrap(),
            ["DB_HOST", "DB_PASSWORD", "API_KEY"]
        );
        assert_eq!(dotenv_names("<html><body>Not found</body></html>"), None);
        assert_eq!(dotenv_names(""), None);
    }

    #[test]
    fn backups_are_recognised_by_content() {
        assert_eq!(backup_kind(b"PK\x03\x04rest"), Some("ZIP archive"));
        assert_eq!(backup_kind(&[0x1f, 0x8b, 8, 0]), Some("gzip archive"));
        assert_eq!(
            backup_kind(b"-- MySQL dump 10.13\nCREATE TABLE users"),
            Some("SQL dump")
        );
        assert_eq!(backup_kind(b"<!doctype html><p>insert into cart</p>"), None);
        assert_eq!(backup_kind(b""), None);
    }

    #[test]
    fn redirect_candidates_use_page_links_first() {
        let target = Url::parse("https://shop.example/").unwrap();
        let page = crate::parse::html::parse(
            r#"<a href="/login?returnUrl=/home&x=1">in</a><a href="https://other.example/?next=/">x</a>"#,
            &target,
        );
        let c = redirect_candidates(&target, Some(&page));
        assert_eq!(c[0].1, "returnUrl");
        assert!(
            c[0].0
                .as_str()
                .starts_with("https://shop.example/login?x=1&returnUrl=https")
        );
        assert!(c.iter().all(|(u, _)| u.host_str() == Some("shop.example")));
        assert!(c.len() <= MAX_REDIRECT_PROBES);
    }
}
