//! Scanning one file with a rule set: prefilter, one parse, every rule, findings.

use std::time::Duration;

use palisade_core::{Evidence, Finding, Location, Region, TraceStep};

use crate::ast::{Builder, Kind};
use crate::deadline::Deadline;
use crate::fix;
use crate::lang::{Language, LowerError, lower_file};
use crate::matcher::Target;
use crate::prefilter::Prefilter;
use crate::rule::eval::{Evaluator, Scope};
use crate::rule::{Body, Rule};
use crate::ruleset::RuleSet;

/// Per-file resource limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Work on one file stops here and the file is reported as timed out, finding-free.
    pub per_file_timeout: Duration,
    /// Larger files are not parsed.
    pub max_file_bytes: usize,
    /// Bound on the generic AST of one file (about 50 bytes a node), so memory per file is
    /// bounded whatever the input.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            per_file_timeout: Duration::from_secs(10),
            max_file_bytes: 5 * 1024 * 1024,
            max_nodes: 4_000_000,
        }
    }
}

/// Why a file produced no findings; the engine reports it as a scan error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SastError {
    #[error("{path}: analysis timed out after {}s", limit.as_secs_f64())]
    Timeout { path: String, limit: Duration },
    #[error("{path}: {size} bytes is over the {limit}-byte limit for analysis")]
    TooLarge {
        path: String,
        size: usize,
        limit: usize,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
}

/// Runs a [`RuleSet`] on files. `Send + Sync`: the engine calls [`SastScanner::scan`] from many
/// threads at once; each thread keeps its own parsers.
pub struct SastScanner {
    rules: RuleSet,
    limits: Limits,
    prefilter: Prefilter,
}

impl SastScanner {
    pub fn new(rules: RuleSet, limits: Limits) -> SastScanner {
        let prefilter = Prefilter::new(rules.all().iter().flat_map(Rule::all_needs));
        SastScanner {
            rules,
            limits,
            prefilter,
        }
    }

    /// The language a file is analysed as, by extension.
    pub fn language_for(path: &str) -> Option<Language> {
        Language::for_path(path)
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Findings of every rule on one file, sorted. `path` is relative to the scan root and
    /// decides the language and the rules' `paths:` filters.
    pub fn scan(&self, path: &str, content: &[u8]) -> Result<Vec<Finding>, SastError> {
        self.scan_with(path, content, true)
    }

    /// [`SastScanner::scan`], optionally ignoring the rules' `paths:` filters (rule tests run
    /// every rule on its test file whatever the file is called).
    pub(crate) fn scan_with(
        &self,
        path: &str,
        content: &[u8],
        respect_paths: bool,
    ) -> Result<Vec<Finding>, SastError> {
        if content.len() > self.limits.max_file_bytes {
            return Err(SastError::TooLarge {
                path: path.to_owned(),
                size: content.len(),
                limit: self.limits.max_file_bytes,
            });
        }
        if looks_binary(content) {
            return Ok(Vec::new());
        }
        let lang = Language::for_path(path);
        let mut candidates: Vec<&Rule> = self
            .rules
            .all()
            .iter()
            .filter(|r| r.for_language(lang).is_some() && (!respect_paths || r.paths.allows(path)))
            .collect();
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let present = self.prefilter.present(content);
        candidates.retain(|r| {
            r.for_language(lang)
                .is_some_and(|(_, need)| need.satisfied(&|lit| present.contains(lit)))
        });
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let deadline = Deadline::after(self.limits.per_file_timeout);
        let timeout = || SastError::Timeout {
            path: path.to_owned(),
            limit: self.limits.per_file_timeout,
        };
        let needs_tree = candidates.iter().any(|r| {
            r.for_language(lang)
                .is_some_and(|(f, _)| !f.is_regex_only())
        });
        let ast = match (lang, needs_tree) {
            (Some(l), true) => {
                lower_file(l, content, &deadline, self.limits.max_nodes).map_err(|e| match e {
                    LowerError::Timeout => timeout(),
                    LowerError::TooManyNodes(n) => SastError::TooLarge {
                        path: path.to_owned(),
                        size: content.len(),
                        limit: n,
                    },
                    LowerError::Parser => SastError::Parse {
                        path: path.to_owned(),
                        message: "the parser could not read the file".into(),
                    },
                })?
            }
            _ => {
                // Regex-only rules need no tree.
                let mut b = Builder::new();
                let root = b.push(Kind::Program, "", (0, content.len()), "", &[]);
                b.finish(root)
            }
        };
        let tgt = Target {
            ast: &ast,
            src: content,
        };
        let ev = Evaluator {
            tgt: &tgt,
            deadline: &deadline,
            lang: lang.unwrap_or(Language::Python),
            max_nodes: self.limits.max_nodes,
        };
        let mut findings = Vec::new();
        let taint_cache = crate::taint::FileCache::default();
        for rule in candidates {
            let Some((body, _)) = rule.for_language(lang) else {
                continue;
            };
            let formula = match body {
                Body::Search(f) => f,
                Body::Taint(spec) => {
                    let hits = crate::taint::analyze(spec, &ev, &taint_cache);
                    if deadline.was_hit() || deadline.expired() {
                        return Err(timeout());
                    }
                    for hit in hits {
                        let mut f =
                            finding(rule, path, content, &tgt, hit.start, hit.end, &hit.env);
                        f.trace = hit
                            .trace
                            .iter()
                            .map(|step| TraceStep {
                                path: path.to_owned(),
                                region: Region::from_byte_range(
                                    content,
                                    step.start as usize,
                                    step.end as usize,
                                ),
                                message: step.message.clone(),
                            })
                            .collect();
                        findings.push(f);
                    }
                    continue;
                }
            };
            let mut ranges = ev.eval(formula, &Scope::file());
            if deadline.was_hit() || deadline.expired() {
                return Err(timeout());
            }
            ranges.sort_by_key(|r| (r.start, r.end));
            ranges.dedup_by_key(|r| (r.start, r.end));
            for r in ranges {
                findings.push(finding(rule, path, content, &tgt, r.start, r.end, &r.env));
            }
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(findings)
    }
}

fn finding(
    rule: &Rule,
    path: &str,
    content: &[u8],
    tgt: &Target<'_>,
    start: u32,
    end: u32,
    env: &crate::matcher::Env<'_>,
) -> Finding {
    let (s, e) = (start as usize, end as usize);
    let region = Region::from_byte_range(content, s, e);
    let message = fix::interpolate(rule.message.trim(), env, tgt);
    let mut f = Finding::new(&rule.meta, Location::file(path, region), message);
    f.evidence = Some(Evidence {
        snippet: snippet(content, s, e),
    });
    if !rule.meta.help.is_empty() {
        f.suggestion = Some(
            rule.meta
                .help
                .split("\n\n")
                .next()
                .unwrap_or("")
                .trim()
                .to_owned(),
        );
    }
    f.fix = fix::fix_for(
        path,
        content,
        (s, e),
        rule.fix.as_deref(),
        rule.fix_regex.as_ref(),
        env,
        tgt,
    );
    f
}

/// The source lines a match spans, trimmed and capped so a whole-function match stays readable.
fn snippet(content: &[u8], start: usize, end: usize) -> String {
    let start = start.min(content.len());
    let end = end.clamp(start, content.len());
    let line_start = content[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = content[end..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(content.len(), |i| end + i);
    let text = String::from_utf8_lossy(&content[line_start..line_end]);
    let lines: Vec<&str> = text.lines().collect();
    const MAX_LINES: usize = 8;
    let mut out = lines
        .iter()
        .take(MAX_LINES)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > MAX_LINES {
        out.push_str("\n…");
    }
    const MAX_CHARS: usize = 1000;
    if out.chars().count() > MAX_CHARS {
        out = out.chars().take(MAX_CHARS).collect::<String>() + "…";
    }
    out.trim().to_owned()
}

/// Binary content (a NUL byte early on) is not source code.
fn looks_binary(content: &[u8]) -> bool {
    content.iter().take(8192).any(|&b| b == 0)
}
