//! The human-readable table: findings grouped by file, severity coloured, then a summary line.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use palisade_core::{Finding, Report, Severity, SkipReason};

/// How to draw the table.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// ANSI colours (the CLI decides from `--no-color`, `NO_COLOR` and whether stdout is a TTY).
    pub color: bool,
    /// Show secrets in clear (`--show-secrets`); otherwise they are masked like everywhere else.
    pub show_secrets: bool,
    /// List skipped files and why (`--verbose`).
    pub verbose: bool,
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => Style::new()
            .fg_color(Some(AnsiColor::BrightRed.into()))
            .bold(),
        Severity::High => Style::new().fg_color(Some(AnsiColor::Red.into())),
        Severity::Medium => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Severity::Low => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        Severity::Info => Style::new().fg_color(Some(AnsiColor::BrightBlack.into())),
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }
}

/// Renders the report as a table followed by a one-line summary.
pub fn table(report: &Report, opts: &TableOptions) -> String {
    let p = Painter { color: opts.color };
    let mut out = String::new();
    let mut current: Option<&str> = None;
    let pos_width = report
        .findings
        .iter()
        .map(|f| position(f).len())
        .max()
        .unwrap_or(0);
    let rule_width = report
        .findings
        .iter()
        .map(|f| f.rule_id.len())
        .max()
        .unwrap_or(0)
        .min(40);

    for f in &report.findings {
        let artifact = f.location.artifact();
        if current != Some(artifact) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", p.bold(artifact));
            current = Some(artifact);
        }
        let sev = format!("{:<8}", f.severity.as_str());
        let _ = writeln!(
            out,
            "  {:<pos_width$}  {}  {:<rule_width$}  {}",
            position(f),
            p.paint(severity_style(f.severity), &sev),
            f.rule_id,
            f.message,
        );
        let indent = " ".repeat(pos_width + 4);
        if let Some(ev) = &f.evidence {
            let snippet = match (&f.secret, opts.show_secrets) {
                (Some(secret), true) => format!("{}   [secret: {}]", ev.snippet, secret.expose()),
                _ => ev.snippet.clone(),
            };
            let _ = writeln!(
                out,
                "{indent}{}",
                p.dim(&format!("│ {}", one_line(&snippet, 160)))
            );
        }
        for (i, step) in f.trace.iter().enumerate() {
            let arrow = if i == 0 {
                "source"
            } else if i + 1 == f.trace.len() {
                "sink"
            } else {
                "step"
            };
            let _ = writeln!(
                out,
                "{indent}{}",
                p.dim(&format!(
                    "{}↳ {arrow} {}:{}:{}  {}",
                    "  ".repeat(i.min(8)),
                    step.path,
                    step.region.start_line,
                    step.region.start_column,
                    step.message
                ))
            );
        }
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }

    if !report.errors.is_empty() {
        let _ = writeln!(out, "{}", p.bold("errors"));
        for e in &report.errors {
            let place = match (&e.path, e.line) {
                (Some(path), Some(line)) => format!("{path}:{line}: "),
                (Some(path), None) => format!("{path}: "),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {place}{}", e.message);
        }
        out.push('\n');
    }

    if opts.verbose && !report.stats.skipped.is_empty() {
        let _ = writeln!(out, "{}", p.bold("skipped"));
        for s in &report.stats.skipped {
            let why = match &s.reason {
                SkipReason::Binary => "binary".to_owned(),
                SkipReason::TooLarge { size, limit } => {
                    format!(
                        "too large ({} > {} limit)",
                        human_bytes(*size),
                        human_bytes(*limit)
                    )
                }
                SkipReason::Unreadable { message } => format!("unreadable: {message}"),
            };
            let _ = writeln!(out, "  {}  {}", s.path, p.dim(&why));
        }
        out.push('\n');
    }

    out.push_str(&summary(report, &p));
    out.push('\n');
    out
}

fn position(f: &Finding) -> String {
    match f.location.region() {
        Some(r) if r.start_column > 1 || r.end_column > 1 => {
            format!("{}:{}", r.start_line, r.start_column)
        }
        Some(r) => r.start_line.to_string(),
        None => "-".to_owned(),
    }
}

fn one_line(s: &str, max_chars: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max_chars {
        let cut: String = flat.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

fn summary(report: &Report, p: &Painter) -> String {
    let counts = report.severity_counts();
    let total = report.findings.len();
    let parts: Vec<String> = Severity::ALL_DESCENDING
        .iter()
        .filter(|s| counts[s] > 0)
        .map(|s| p.paint(severity_style(*s), &format!("{} {}", counts[s], s.as_str())))
        .collect();
    let findings = match total {
        0 => "no findings".to_owned(),
        1 => format!("1 finding ({})", parts.join(", ")),
        n => format!("{n} findings ({})", parts.join(", ")),
    };
    let st = &report.stats;
    let mut line = format!(
        "{findings} · {} files scanned ({}), {} skipped",
        st.files_scanned,
        human_bytes(st.bytes_scanned),
        st.files_skipped
    );
    if st.suppressed > 0 {
        line.push_str(&format!(", {} suppressed", st.suppressed));
    }
    if st.baselined > 0 {
        line.push_str(&format!(", {} in baseline", st.baselined));
    }
    if !report.errors.is_empty() {
        line.push_str(&format!(", {} errors", report.errors.len()));
    }
    #[allow(clippy::cast_precision_loss)] // milliseconds to seconds for display
    let secs = st.elapsed_ms as f64 / 1000.0;
    line.push_str(&format!(" · {secs:.2}s"));
    line
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    #[allow(clippy::cast_precision_loss)]
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}
