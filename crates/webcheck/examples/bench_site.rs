//! A local site with the usual header, cookie, CORS and disclosure problems, for benchmarks and
//! for comparing with other scanners: `cargo run -p palisade-webcheck --example bench_site -- 8080`.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Html;
use axum::routing::get;

/// The site's router (also used by the criterion bench).
pub fn site() -> Router {
    let page = r#"<!doctype html><html><head><title>Shop</title>
<script src="https://cdn.example.net/lib.js"></script>
<script src="/static/app.js"></script>
<link rel="stylesheet" href="/static/site.css">
</head><body><h1>Shop</h1><img src="/logo.png"><a href="/login?next=/account">Log in</a></body></html>"#;
    Router::new()
        .route(
            "/",
            get(move |headers: HeaderMap| async move {
                let mut h = HeaderMap::new();
                h.insert(
                    header::SERVER,
                    HeaderValue::from_static("Apache/2.4.41 (Ubuntu)"),
                );
                h.insert("x-powered-by", HeaderValue::from_static("PHP/7.4.3"));
                h.insert("referrer-policy", HeaderValue::from_static("unsafe-url"));
                h.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(
                        "default-src 'self'; script-src 'self' 'unsafe-inline' https:",
                    ),
                );
                h.append(
                    header::SET_COOKIE,
                    HeaderValue::from_static("sessionid=0123456789abcdef; Path=/"),
                );
                h.append(
                    header::SET_COOKIE,
                    HeaderValue::from_static("theme=dark; Path=/"),
                );
                if let Some(origin) = headers.get(header::ORIGIN) {
                    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
                    h.insert(
                        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                        HeaderValue::from_static("true"),
                    );
                }
                (h, Html(page))
            }),
        )
        .route(
            "/static/app.js",
            get(|| async { "console.log('shop');\n//# sourceMappingURL=app.js.map\n" }),
        )
        .route(
            "/static/app.js.map",
            get(|| async { r#"{"version":3,"sources":["src/cart.ts"],"mappings":"AAAA"}"# }),
        )
        .route("/static/site.css", get(|| async { "body{}" }))
}

#[allow(dead_code)]
#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("cannot bind 127.0.0.1:{port}: {e}");
            }
            std::process::exit(2);
        }
    };
    let _ = axum::serve(listener, site()).await;
}
