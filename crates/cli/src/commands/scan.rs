//! `palisade scan`: run the scanners over a directory or file and report.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use palisade_core::{Report, ScanKind, Severity};
use palisade_engine::render::{self, TableOptions};
use palisade_engine::{Baseline, ScanOptions};

use crate::progress::ScanProgress;
use crate::{EXIT_FINDINGS, EXIT_OK, Io};

/// Output formats of `palisade scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings grouped by file, for people.
    Table,
    /// The versioned JSON report (docs/json-report.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// CycloneDX 1.6 SBOM: the packages found, their dependency graph and vulnerabilities.
    Cyclonedx,
}

/// The `--fail-on` threshold: a severity, or `none` to never fail on findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailOn(Option<Severity>);

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    if s.eq_ignore_ascii_case("none") {
        return Ok(FailOn(None));
    }
    s.parse::<Severity>()
        .map(|sev| FailOn(Some(sev)))
        .map_err(|_| format!("'{s}' is not a severity (critical, high, medium, low, info, none)"))
}

/// Reads sizes such as `10MiB`, `512k`, `2MB` or plain bytes (binary multiples).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a size (e.g. 10MiB, 512k, 1048576)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("'{s}' has an unknown unit (use k, M or G)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("'{s}' is too large"))
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Directory or file to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Scan a container image instead of a directory: a `docker save` tarball, an OCI archive or
    /// an OCI image layout directory (OS and language packages, vulnerabilities, secrets).
    #[arg(long, value_name = "TAR|DIR", conflicts_with_all = ["url", "history"])]
    pub image: Option<PathBuf>,

    /// With --image: the platform to pick from a multi-platform image [default: linux/amd64].
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", requires = "image")]
    pub platform: Option<String>,

    /// Scan a live web application at URL instead of a directory (passive checks; see --active).
    #[arg(long, value_name = "URL", conflicts_with = "history")]
    pub url: Option<String>,

    /// With --url: also run the active probes (exposed /.git, /.env, backups, …). The target must
    /// publish the token from `palisade web verify-token URL` first.
    #[arg(long, requires = "url")]
    pub active: bool,

    /// With --url: allow targets on loopback and private addresses (never cloud metadata).
    #[arg(long, requires = "url")]
    pub allow_private: bool,

    /// SAST rules: a Semgrep-style YAML rule file or a directory of them (repeatable). Run with
    /// the built-in rules unless --no-builtin.
    #[arg(long = "config", value_name = "FILE|DIR")]
    pub configs: Vec<PathBuf>,

    /// Run only the rules given with --config.
    #[arg(long, requires = "configs")]
    pub no_builtin: bool,

    /// Match dev dependencies against advisories too (by default they are listed but not matched:
    /// they do not ship with the application).
    #[arg(long)]
    pub include_dev: bool,

    /// Scanner kinds to run, comma-separated: sast, secrets, deps, image, web [default: every kind
    /// this build can run on a directory].
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<ScanKind>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with 1 when any finding is at or above this severity (critical, high, medium, low,
    /// info, or none to never fail on findings).
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_fail_on)]
    pub fail_on: FailOn,

    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write a baseline of every current finding to FILE.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Do not scan paths matching this gitignore-style glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,

    /// Skip files larger than this (e.g. 10MiB, 512k).
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Also scan every blob in the git history for secrets, reporting the commit that introduced
    /// each one.
    #[arg(long)]
    pub history: bool,

    /// Show secrets in clear in the table (never in JSON or SARIF).
    #[arg(long)]
    pub show_secrets: bool,

    /// Print only the report: no progress, no warnings.
    #[arg(long, short)]
    pub quiet: bool,

    /// Also list skipped files and why.
    #[arg(long, short)]
    pub verbose: bool,

    /// No colours (also when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,

    /// Directory for local state such as the advisory database.
    #[arg(long, value_name = "DIR", env = "PALISADE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

pub(crate) fn run(args: &ScanArgs, io: &mut Io<'_>) -> Result<i32> {
    if args.threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    let baseline = args
        .baseline
        .as_ref()
        .map(|p| Baseline::load(p))
        .transpose()?;
    if args.format == Format::Cyclonedx
        && args.image.is_none()
        && (args.url.is_some() || !(args.kinds.is_empty() || args.kinds.contains(&ScanKind::Deps)))
    {
        bail!("--format cyclonedx lists packages: it needs the deps kind or --image");
    }
    let data_dir = crate::datadir::resolve(args.data_dir.as_ref())?;
    let mut report = match (&args.url, &args.image) {
        (Some(url), _) => scan_url(url, args, &data_dir, io)?,
        (None, Some(image)) => scan_image(image, args, &data_dir, io)?,
        (None, None) => scan_path(args, &data_dir, io)?,
    };
    finish(args, baseline.as_ref(), &mut report, io)
}

fn scan_path(args: &ScanArgs, data_dir: &Path, io: &mut Io<'_>) -> Result<Report> {
    let kinds = if args.kinds.is_empty() {
        palisade_engine::available_kinds().to_vec()
    } else {
        args.kinds.clone()
    };
    if kinds.contains(&ScanKind::Web) {
        bail!("the web kind scans a live URL: use --url URL");
    }
    if kinds.contains(&ScanKind::Image) {
        bail!("the image kind scans a container image: use --image TAR|DIR");
    }
    if !args.configs.is_empty() && !kinds.contains(&ScanKind::Sast) {
        bail!("--config gives SAST rules, but the sast kind is not selected");
    }
    if args.path.is_file() {
        // A single named file that cannot be read is an error, not a skipped file.
        std::fs::File::open(&args.path)
            .with_context(|| format!("cannot read {}", args.path.display()))?;
    }
    let mut opts = ScanOptions::new(&args.path, kinds);
    opts.excludes.clone_from(&args.excludes);
    opts.max_file_size = args.max_file_size;
    opts.history = args.history;
    opts.threads = args.threads;
    opts.sast_rules = palisade_engine::load_rule_sources(&args.configs)?;
    opts.builtin_rules = !args.no_builtin;
    opts.advisory_db = Some(palisade_engine::advisory_db_dir(data_dir));
    opts.include_dev = args.include_dev;

    let progress = ScanProgress::new(io.stderr_tty && !args.quiet);
    let result = palisade_engine::scan_with_progress(&opts, &progress);
    progress.finish();
    let report = result?;
    if nothing_scanned(&report) {
        let first = report
            .errors
            .iter()
            .find(|e| e.path.is_some())
            .map(|e| {
                format!(
                    ": {}{}",
                    e.path
                        .as_deref()
                        .map(|p| format!("{p}: "))
                        .unwrap_or_default(),
                    e.message
                )
            })
            .unwrap_or_default();
        bail!("no lockfile or manifest could be read{first}");
    }
    Ok(report)
}

/// A dependency-only scan where every lockfile failed to parse scanned nothing: that is an error
/// (exit 2), not a clean result. Any other partial failure is listed in the report.
fn nothing_scanned(report: &Report) -> bool {
    report.kinds == [ScanKind::Deps]
        && report.packages.is_empty()
        && report
            .errors
            .iter()
            .any(|e| e.kind == Some(ScanKind::Deps) && e.path.is_some())
}

fn scan_image(path: &Path, args: &ScanArgs, data_dir: &Path, io: &mut Io<'_>) -> Result<Report> {
    if !args.kinds.is_empty() && args.kinds != [ScanKind::Image] {
        bail!("--image runs the image kind only; drop --kinds or use --kinds image");
    }
    if !path.exists() {
        bail!("{} does not exist", path.display());
    }
    let db_dir = palisade_engine::advisory_db_dir(data_dir);
    let db = palisade_engine::open_advisory_db(&db_dir)?;
    let secrets = palisade_secrets::SecretsScanner::builtin()?;
    let opts = palisade_image::ImageOptions {
        platform: args.platform.clone(),
        advisories: db.as_ref(),
        secrets: Some(&secrets),
        include_dev: args.include_dev,
        ..palisade_image::ImageOptions::default()
    };
    let progress = ScanProgress::new(io.stderr_tty && !args.quiet);
    let result = palisade_image::scan_image(path, &opts);
    progress.finish();
    Ok(result?)
}

fn scan_url(url: &str, args: &ScanArgs, data_dir: &Path, io: &mut Io<'_>) -> Result<Report> {
    if !args.kinds.is_empty() && args.kinds != [ScanKind::Web] {
        bail!("--url runs the web kind only; drop --kinds or use --kinds web");
    }
    let mut opts = palisade_webcheck::WebScanOptions {
        active: args.active,
        allow_private: args.allow_private,
        ..palisade_webcheck::WebScanOptions::default()
    };
    if args.active {
        opts.verification_key = Some(crate::commands::web::verification_key(data_dir)?);
    }
    let progress = ScanProgress::new(io.stderr_tty && !args.quiet);
    let result = palisade_webcheck::scan_blocking(url, &opts);
    progress.finish();
    let web = result?;
    if !args.quiet {
        let _ = writeln!(
            io.stderr,
            "palisade: {} graded {} ({}/100) after {} requests{}",
            web.redirect_chain.last().map_or(url, String::as_str),
            web.grade.letter,
            web.grade.score,
            web.requests_made,
            web.verified_by
                .as_deref()
                .map(|v| format!("; verified by {v}"))
                .unwrap_or_default()
        );
    }
    Ok(web.into_report(url))
}

fn finish(
    args: &ScanArgs,
    baseline: Option<&Baseline>,
    report: &mut Report,
    io: &mut Io<'_>,
) -> Result<i32> {
    // The new baseline records every current finding, including those the old one already had.
    if let Some(path) = &args.write_baseline {
        Baseline::write(report, path)?;
        if !args.quiet {
            let _ = writeln!(
                io.stderr,
                "palisade: wrote a baseline of {} findings to {}",
                report.findings.len(),
                path.display()
            );
        }
    }
    if let Some(b) = baseline {
        b.apply(report);
    }
    let report: &Report = report;

    let color = args.output.is_none() && io.stdout_tty && !args.no_color && !no_color_env();
    let rendered = match args.format {
        Format::Table => render::table(
            report,
            &TableOptions {
                color,
                show_secrets: args.show_secrets,
                verbose: args.verbose,
            },
        ),
        Format::Json => render::json(report),
        Format::Sarif => pretty(&render::sarif(report))?,
        Format::Cyclonedx => {
            let now = time::OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
                .format(&time::format_description::well_known::Rfc3339)?;
            pretty(&render::cyclonedx(report, &now))?
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &rendered)
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !args.quiet {
                let _ = writeln!(
                    io.stderr,
                    "palisade: {} · report written to {}",
                    summary(report),
                    path.display()
                );
            }
        }
        None => io.stdout.write_all(rendered.as_bytes())?,
    }
    if args.format != Format::Table && args.output.is_none() && !args.quiet {
        warn_errors(report, io);
    }
    Ok(
        if args
            .fail_on
            .0
            .is_some_and(|t| report.has_findings_at_or_above(t))
        {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        },
    )
}

fn pretty(value: &serde_json::Value) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// NO_COLOR (https://no-color.org): set and not empty disables colour.
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn summary(report: &Report) -> String {
    let counts = report.severity_counts();
    let parts: Vec<String> = Severity::ALL_DESCENDING
        .iter()
        .filter(|s| counts[s] > 0)
        .map(|s| format!("{} {s}", counts[s]))
        .collect();
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        format!("{} findings ({})", report.findings.len(), parts.join(", "))
    }
}

/// Machine formats carry errors inside the document; say so on stderr too, briefly.
fn warn_errors(report: &Report, io: &mut Io<'_>) {
    const SHOWN: usize = 10;
    for e in report.errors.iter().take(SHOWN) {
        let place = e
            .path
            .as_deref()
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        let _ = writeln!(io.stderr, "palisade: warning: {place}{}", e.message);
    }
    if report.errors.len() > SHOWN {
        let _ = writeln!(
            io.stderr,
            "palisade: warning: … and {} more errors in the report",
            report.errors.len() - SHOWN
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_units() {
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn fail_on_accepts_severities_and_none() {
        assert_eq!(parse_fail_on("high"), Ok(FailOn(Some(Severity::High))));
        assert_eq!(parse_fail_on("NONE"), Ok(FailOn(None)));
        assert!(parse_fail_on("severe").is_err());
    }
}
