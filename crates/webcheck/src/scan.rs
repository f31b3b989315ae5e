//! One scan, in order: TLS facts, verification (active scans), the page and its redirect
//! chain, the CORS and plain-HTTP probes, same-site assets and their source maps, a not-found
//! page, the passive checks, the active probes, then the grade.

use std::sync::Arc;

use palisade_core::{ScanError, ScanKind};
use reqwest::Method;
use url::{Host, Url};

use crate::checks::{self, Findings, HttpProbe, Observed, same_site};
use crate::fetch::{Budget, FetchError, FetchSettings, Fetcher, Response};
use crate::grade::Scorecard;
use crate::guard::{self, GuardError, GuardedResolver, SystemResolver};
use crate::parse::html;
use crate::rules::Rule;
use crate::{WebError, WebScanOptions, WebScanResult, active, tls, verify};

/// Errors of one scan, each message once, in the order they happened.
#[derive(Default)]
struct Errors(Vec<(Option<String>, String)>);

impl Errors {
    fn push(&mut self, url: Option<&str>, message: String) {
        let entry = (url.map(str::to_owned), message);
        if !self.0.contains(&entry) {
            self.0.push(entry);
        }
    }

    fn fetch(&mut self, url: &Url, e: &FetchError) {
        match e {
            // One line for the budget, however many requests it stopped.
            FetchError::Budget(_) => {
                self.push(None, format!("{e}; the remaining checks were skipped"));
            }
            _ => self.push(Some(url.as_str()), e.to_string()),
        }
    }
}

fn check_options(opts: &WebScanOptions) -> Result<(), WebError> {
    if opts.max_requests == 0 {
        return Err(WebError::Options("max_requests must be at least 1".into()));
    }
    if opts.timeout.is_zero() {
        return Err(WebError::Options("timeout must be more than zero".into()));
    }
    if opts.requests_per_second.is_nan() {
        return Err(WebError::Options(
            "requests_per_second is not a number".into(),
        ));
    }
    if opts.max_body_bytes == 0 {
        return Err(WebError::Options(
            "max_body_bytes must be at least 1".into(),
        ));
    }
    Ok(())
}

pub async fn run(url: &str, opts: &WebScanOptions) -> Result<WebScanResult, WebError> {
    let started = std::time::Instant::now();
    check_options(opts)?;
    let target = guard::check_url(url, opts.allow_private).map_err(|e| match e {
        GuardError::InvalidUrl(u) => WebError::InvalidUrl(u),
        other => WebError::Forbidden(other),
    })?;
    let inner: Arc<dyn reqwest::dns::Resolve> = match &opts.resolver {
        Some(r) => r.clone(),
        None => Arc::new(SystemResolver),
    };
    let resolver = GuardedResolver::new(inner, opts.allow_private);
    // Refuse a forbidden name up front with a clear message (the guard would refuse it at
    // connect time anyway).
    if let Some(Host::Domain(name)) = target.host() {
        resolver.lookup(name).await.map_err(|e| match e {
            GuardError::Resolve { host, message } => WebError::Unreachable {
                url: target.to_string(),
                message: format!("cannot resolve {host}: {message}"),
            },
            other => WebError::Forbidden(other),
        })?;
    }

    let settings = FetchSettings {
        allow_private: opts.allow_private,
        max_requests: opts.max_requests,
        requests_per_second: opts.requests_per_second,
        timeout: opts.timeout,
        max_redirects: opts.max_redirects,
        max_body_bytes: opts.max_body_bytes,
        user_agent: opts.user_agent.clone(),
        accept_invalid_certs: false,
        extra_roots: opts.extra_root_certificates.clone(),
    };
    let budget = Arc::new(Budget::default());
    let mut fetcher = Fetcher::new(settings, resolver, budget).map_err(WebError::Runtime)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut errors = Errors::default();
    let mut findings = Findings::default();
    let mut card = Scorecard::default();

    // TLS first: whether the certificate verifies decides how the rest is fetched.
    let tls_facts = if target.scheme() == "https" {
        let facts = tls::gather(
            &target,
            &fetcher,
            &opts.extra_root_certificates,
            opts.tls_probes,
        )
        .await;
        if let Some(e) = &facts.handshake_error {
            errors.push(Some(&facts.origin), e.clone());
        }
        for e in &facts.errors {
            errors.push(Some(&facts.origin), format!("TLS probe: {e}"));
        }
        if !facts.certificate_ok(now) && !facts.chain.is_empty() {
            // The certificate problem is reported as findings; fetch the site anyway so its
            // other problems are found too.
            fetcher = fetcher
                .accepting_invalid_certs()
                .map_err(WebError::Runtime)?;
        }
        Some(facts)
    } else {
        None
    };

    let mut verified_by = None;
    if opts.active {
        let key = opts
            .verification_key
            .as_deref()
            .ok_or(WebError::NoVerificationKey)?;
        let token = verify::verification_token(key, target.as_str());
        match verify::verify(&target, &token, &fetcher, &opts.dns_servers).await {
            Ok(proof) => {
                verified_by = Some(match proof {
                    verify::Proof::WellKnownFile(u) => format!("file {u}"),
                    verify::Proof::DnsTxt(n) => format!("DNS TXT {n}"),
                });
            }
            Err(attempt) => {
                return Err(WebError::NotVerified {
                    origin: target.origin().ascii_serialization(),
                    token,
                    file_url: attempt.file_url,
                    dns_name: attempt.dns_name,
                    details: attempt.notes.join("; "),
                });
            }
        }
    }

    // The page.
    let (followed, err) = fetcher.follow(&target).await;
    if followed.hops.is_empty() {
        return Err(match err {
            Some(FetchError::Guard(g)) => WebError::Forbidden(g),
            Some(e) => WebError::Unreachable {
                url: target.to_string(),
                message: e.to_string(),
            },
            None => WebError::Unreachable {
                url: target.to_string(),
                message: "no response".into(),
            },
        });
    }
    if let Some(e) = &err {
        let last = followed.last().map_or(&target, |r| &r.url).clone();
        errors.fetch(&last, e);
    }
    let hops = followed.hops;
    let redirect_chain: Vec<String> = hops.iter().map(|r| r.url.to_string()).collect();
    let page = hops[hops.len() - 1].clone();
    let page_html = page.is_html().then(|| html::parse(&page.text(), &page.url));

    // CORS: the page again, from a foreign origin.
    let cors = match fetcher
        .request(
            Method::GET,
            &page.url,
            &[("origin", checks::cors::PROBE_ORIGIN)],
            None,
        )
        .await
    {
        Ok(r) => Some(r),
        Err(e) => {
            errors.fetch(&page.url, &e);
            None
        }
    };

    // Plain HTTP of an https target. Only the default port can be guessed: an https URL with
    // an explicit port says nothing about where plain HTTP would listen.
    let http_probe = if target.scheme() == "https" && target.port().is_none() {
        let mut http_url = target.clone();
        match http_url.set_scheme("http") {
            Ok(()) => {
                let (chain, err) = fetcher.follow(&http_url).await;
                match (chain.hops.is_empty(), err) {
                    (true, Some(FetchError::Http { .. })) => Some(HttpProbe::NoHttp),
                    (true, Some(e)) => {
                        errors.fetch(&http_url, &e);
                        None
                    }
                    (_, _) => Some(HttpProbe::Chain(chain.hops)),
                }
            }
            Err(()) => None,
        }
    } else {
        None
    };

    // Same-site scripts and stylesheets.
    let mut asset_urls: Vec<Url> = Vec::new();
    if let Some(h) = &page_html {
        let refs = h
            .scripts
            .iter()
            .filter_map(|s| s.src.clone())
            .chain(h.stylesheets.iter().map(|s| s.href.clone()));
        for u in refs {
            if matches!(u.scheme(), "http" | "https")
                && same_site(&page.url, &u)
                && !asset_urls.contains(&u)
            {
                asset_urls.push(u);
            }
        }
    }
    asset_urls.truncate(opts.max_assets);
    let mut assets: Vec<Response> = Vec::new();
    for u in &asset_urls {
        match fetcher.get(u).await {
            Ok(r) if r.status.is_success() => assets.push(r),
            Ok(_) => {}
            Err(e) => errors.fetch(u, &e),
        }
    }

    // Source maps the assets point to.
    let mut maps: Vec<Response> = Vec::new();
    for asset in &assets {
        match source_map_reference(asset) {
            Some(MapRef::Inline) => {
                findings.add(
                    Rule::SourceMapExposed,
                    asset.url.as_str(),
                    "The bundle embeds its source map inline (a data: URL).",
                    Some("//# sourceMappingURL=data:application/json;base64,…".to_owned()),
                );
            }
            Some(MapRef::Url(map_url)) if same_site(&page.url, &map_url) => {
                match fetcher.get(&map_url).await {
                    Ok(r) if r.status.is_success() => {
                        if let Some(sources) = source_map_sources(&r.body) {
                            let shown: Vec<&str> =
                                sources.iter().take(5).map(String::as_str).collect();
                            findings.add(
                                Rule::SourceMapExposed,
                                map_url.as_str(),
                                format!(
                                    "The source map of {} is served ({} original source files).",
                                    asset.url,
                                    sources.len()
                                ),
                                Some(format!("sources: {}", shown.join(", "))),
                            );
                            maps.push(r);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => errors.fetch(&map_url, &e),
                }
            }
            _ => {}
        }
    }

    // A page that does not exist, for error pages and their headers.
    let not_found = match not_found_url(&page.url) {
        Some(u) => match fetcher.get(&u).await {
            Ok(r) => Some(r),
            Err(e) => {
                errors.fetch(&u, &e);
                None
            }
        },
        None => None,
    };

    let observed = Observed {
        target: &target,
        hops: &hops,
        page: &page,
        html: page_html.as_ref(),
        cors: cors.as_ref(),
        http_probe: http_probe.as_ref(),
        tls: tls_facts.as_ref(),
        assets: &assets,
        not_found: not_found.as_ref(),
        now,
    };
    checks::run(&observed, &mut findings, &mut card);
    if let Err(e) = crate::sweep::secrets(
        opts.secrets_scanner.as_deref(),
        &page,
        &assets,
        &maps,
        &mut findings,
    ) {
        errors.push(None, e);
    }

    if opts.active {
        for e in active::run(
            &fetcher,
            &target,
            page_html.as_ref(),
            &asset_urls,
            &mut findings,
        )
        .await
        {
            errors.push(None, format!("active probe: {e}"));
        }
    }

    let mut list = findings.list;
    list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    list.dedup_by(|a, b| {
        a.rule_id == b.rule_id && a.location == b.location && a.message == b.message
    });
    let mut rules: Vec<palisade_core::RuleMeta> = Vec::new();
    for f in &list {
        if !rules.iter().any(|r| r.id == f.rule_id)
            && let Some(meta) = crate::rules::meta_for(&f.rule_id)
                .or_else(|| crate::sweep::rule_meta(opts.secrets_scanner.as_deref(), &f.rule_id))
        {
            rules.push(meta);
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut scan_errors: Vec<ScanError> = errors
        .0
        .into_iter()
        .map(|(path, message)| ScanError {
            kind: Some(ScanKind::Web),
            path,
            line: None,
            message,
        })
        .collect();
    scan_errors.sort();
    Ok(WebScanResult {
        findings: list,
        rules,
        grade: card.grade(),
        redirect_chain,
        errors: scan_errors,
        requests_made: fetcher.requests_used(),
        verified_by,
        elapsed: started.elapsed(),
    })
}

enum MapRef {
    Inline,
    Url(Url),
}

/// The source map a script or stylesheet points to: the `SourceMap` (or legacy `X-SourceMap`)
/// header, else the last `sourceMappingURL` comment.
fn source_map_reference(asset: &Response) -> Option<MapRef> {
    let from_header = asset
        .header("sourcemap")
        .or_else(|| asset.header("x-sourcemap"));
    let reference = match from_header {
        Some(h) => h.trim().to_owned(),
        None => {
            let tail_start = asset.body.len().saturating_sub(4096);
            let tail = String::from_utf8_lossy(&asset.body[tail_start..]);
            let i = tail.rfind("sourceMappingURL=")?;
            let rest = &tail[i + "sourceMappingURL=".len()..];
            rest.split(|c: char| c.is_whitespace() || c == '*')
                .next()
                .unwrap_or_default()
                .to_owned()
        }
    };
    if reference.is_empty() {
        return None;
    }
    if reference.starts_with("data:") {
        return Some(MapRef::Inline);
    }
    asset.url.join(&reference).ok().map(MapRef::Url)
}

/// The `sources` of a source map, if `body` is one.
fn source_map_sources(body: &[u8]) -> Option<Vec<String>> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    json.get("mappings")?;
    let sources = json.get("sources")?.as_array()?;
    Some(
        sources
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
    )
}

/// A URL on the same origin that certainly does not exist. The name is derived from the origin,
/// not drawn at random: findings on the error page are located at this URL, and a finding's
/// identity across scans (its fingerprint) includes its URL, so the same site must give the same
/// URL every time. A site cannot guess it without knowing this recipe, and no real page has it.
fn not_found_url(page: &Url) -> Option<Url> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"palisade-not-found\0");
    h.update(page.origin().ascii_serialization().as_bytes());
    let hex: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    page.join(&format!("/palisade-not-found-{hex}")).ok()
}
