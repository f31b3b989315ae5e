//! The secrets sweep: keys in the page, its bundles and its source maps become findings at the
//! URL they were served from, masked.

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::Html;
use axum::routing::get;
use palisade_core::Location;
use palisade_secrets::SecretsScanner;
use palisade_webcheck::{WebScanOptions, scan};

use crate::support::{opts, serve};

const RULES: &str = r#"
[[rules]]
id = "test-fake-api-key"
title = "Fake API key"
description = "A key of a made-up service, for tests."
help = "Rotate the key and load it server-side."
regex = '''(fakekey_[A-Za-z0-9]{24})'''
keywords = ["fakekey_"]
severity = "high"
confidence = "high"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_in_bundles_and_source_maps_are_found_at_their_url() {
    // Built at run time so the repository holds no key-shaped string.
    let key = format!("fakekey_{}", "AbCdEfGh1234".repeat(2));
    let bundle = format!("const cfg = {{ apiKey: \"{key}\" }};\n//# sourceMappingURL=app.js.map\n");
    let map = format!(
        r#"{{"version":3,"sources":["src/config.ts"],"sourcesContent":["export const a = 1;\nexport const key = \"{key}\";\n"],"mappings":"AAAA"}}"#
    );
    let app = Router::new()
        .route(
            "/",
            get(|| async { Html(r#"<html><script src="/app.js"></script></html>"#) }),
        )
        .route(
            "/app.js",
            get(move || {
                let b = bundle.clone();
                async move { ([(header::CONTENT_TYPE, "application/javascript")], b) }
            }),
        )
        .route(
            "/app.js.map",
            get(move || {
                let m = map.clone();
                async move { m }
            }),
        );
    let (addr, _) = serve(app).await;
    let scanner =
        SecretsScanner::from_sources(&[("test.toml".to_owned(), RULES.to_owned())], false).unwrap();
    let opts = WebScanOptions {
        secrets_scanner: Some(Arc::new(scanner)),
        ..opts()
    };
    let result = scan(&format!("http://{addr}/"), &opts).await.unwrap();
    let found: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.rule_id == "test-fake-api-key")
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    let urls: Vec<String> = found
        .iter()
        .map(|f| match &f.location {
            Location::Url { url } => url.clone(),
            other => panic!("not a URL location: {other:?}"),
        })
        .collect();
    assert!(urls.contains(&format!("http://{addr}/app.js")));
    assert!(urls.contains(&format!("http://{addr}/app.js.map")));
    let from_map = found
        .iter()
        .find(|f| f.message.contains("src/config.ts"))
        .unwrap();
    assert!(from_map.message.contains("line 2"), "{}", from_map.message);
    assert!(
        !format!("{:?}", result.findings).contains(&key),
        "the key leaked unmasked"
    );
    assert!(result.rules.iter().any(|r| r.id == "test-fake-api-key"));
}
