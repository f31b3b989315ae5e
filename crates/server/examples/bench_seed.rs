//! Seeds a database for the API benchmarks (bench/api/run.sh): one organisation with an admin
//! token and no practical rate limit, `--projects` projects, and one completed scan of
//! `--per-scan` findings per project, stored through the same `complete_scan` the workers use.
//! Prints the time each scan took to store, and writes the token to `--token-file`.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use clap::Parser;
use palisade_core::{
    Confidence, Cwe, Finding, Location, Region, Report, RuleMeta, ScanKind, Severity,
};
use palisade_store::{NewScan, ProjectFields, QueueSettings, ScanSource, Store};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value_t = 100)]
    projects: usize,
    #[arg(long, default_value_t = 10_000)]
    per_scan: usize,
    #[arg(long)]
    token_file: std::path::PathBuf,
}

fn finding(rule: &RuleMeta, i: usize, project: usize) -> Finding {
    let mut f = Finding::new(
        rule,
        Location::file(
            format!("src/module{}/file{}.py", i % 97, i % 1013),
            Region::line(u32::try_from(i % 5000 + 1).unwrap()),
        ),
        format!("finding {i} of project {project}"),
    );
    f.fingerprint = format!("{project:04}-{i:08}");
    f
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let store = Store::connect(&args.database_url).await?;
    store.migrate().await?;
    // Bootstraps the first organisation on an empty database, as `palisade token create` does.
    let secret = palisade_server::create_admin_token(&store, "bench", "bench@localhost").await?;
    let token_org = store
        .find_token(&palisade_server::tokens::hash(&secret))
        .await?
        .unwrap()
        .user
        .org_id;
    store
        .set_org_limits(token_org, Some(1_000_000_000), Some(1_000_000_000), None)
        .await?;
    std::fs::write(&args.token_file, &secret)?;

    let severities = Severity::ALL_DESCENDING;
    let rules: Vec<RuleMeta> = severities
        .iter()
        .map(|&s| RuleMeta {
            id: format!("bench.{s}"),
            kind: ScanKind::Sast,
            title: format!("A {s} finding"),
            description: "d".into(),
            help: "h".into(),
            severity: s,
            confidence: Confidence::Medium,
            cwe: vec![Cwe(89)],
            owasp: vec![],
            references: vec![],
            tags: vec![],
        })
        .collect();
    let mut timings = Vec::new();
    let mut first_project = None;
    for p in 0..args.projects {
        let project = store
            .create_project(
                token_org,
                ProjectFields {
                    name: format!("bench-{p:04}"),
                    criticality: "medium".into(),
                    ..Default::default()
                },
            )
            .await?;
        first_project.get_or_insert(project.id);
        store
            .enqueue_scan(
                token_org,
                NewScan {
                    project_id: project.id,
                    kinds: vec![ScanKind::Sast],
                    source: ScanSource::Repository,
                    created_by: None,
                    monthly_quota: None,
                    max_attempts: 1,
                },
            )
            .await?;
        let job = store
            .claim_job("bench", &QueueSettings::default())
            .await?
            .unwrap();
        let mut report = Report::new("bench", vec![ScanKind::Sast]);
        // 5 severities in turn: critical and high are 40% of the findings.
        report.findings = (0..args.per_scan)
            .map(|i| finding(&rules[i % rules.len()], i, p))
            .collect();
        let started = Instant::now();
        store.complete_scan(&job, &report).await?;
        let took = started.elapsed();
        timings.push(took.as_secs_f64());
        println!(
            "project {p}: stored {} findings in {:.3} s",
            args.per_scan,
            took.as_secs_f64()
        );
    }
    timings.sort_by(f64::total_cmp);
    println!(
        "store {} findings per scan: median {:.3} s, max {:.3} s over {} scans",
        args.per_scan,
        timings[timings.len() / 2],
        timings[timings.len() - 1],
        timings.len()
    );
    println!("first project: {}", first_project.unwrap());
    Ok(())
}
