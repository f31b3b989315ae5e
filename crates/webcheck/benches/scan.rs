//! A full passive scan of a local site (examples/bench_site.rs): page, CORS probe, assets,
//! source map, not-found page, all checks and the grade. No rate limit, so the figure is the
//! scanner's own cost plus loopback HTTP.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade_webcheck::{WebScanOptions, scan_blocking};

#[path = "../examples/bench_site.rs"]
mod bench_site;

fn passive_scan(c: &mut Criterion) {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(_) => return,
    };
    let Ok(listener) = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")) else {
        return;
    };
    let Ok(addr) = listener.local_addr() else {
        return;
    };
    runtime.spawn(async move {
        let _ = axum::serve(listener, bench_site::site()).await;
    });
    let url = format!("http://{addr}/");
    let opts = WebScanOptions {
        allow_private: true,
        requests_per_second: 0.0,
        timeout: Duration::from_secs(5),
        ..WebScanOptions::default()
    };
    c.bench_function("passive scan of a local site", |b| {
        b.iter(|| scan_blocking(&url, &opts).map(|r| r.findings.len()));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(10));
    targets = passive_scan
}
criterion_main!(benches);
