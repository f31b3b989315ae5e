//! The rule-test harness behind `palisade test-rules`, following `semgrep --test`.
//!
//! Every rule file `<stem>.yaml` is tested against the files next to it named `<stem>.<ext>`.
//! Comments in those files say what to expect: `ruleid: <id>` (the rule must match), `ok: <id>`
//! (it must not), `todoruleid:` / `todook:` (known misses and false positives: reported, not
//! failed). A comment alone on its line refers to the next code line; a comment trailing code
//! refers to its own line. `<stem>.fixed.<ext>` holds the expected result of applying every fix.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::fix::apply_edits;
use crate::rule::{RuleSource, load_source};
use crate::ruleset::{RuleSet, is_rule_file};
use crate::scanner::{Limits, SastScanner};

/// The outcome of a test run, serialised in the shape of `semgrep --test --json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TestReport {
    /// Rule files with no test file next to them.
    pub config_missing_tests: Vec<String>,
    /// Rule files with a `fix` whose test files have no `.fixed` counterpart.
    pub config_missing_fixtests: Vec<String>,
    /// Rule files that did not load.
    pub config_with_errors: Vec<ConfigError>,
    /// Rule file → its checks.
    pub results: BTreeMap<String, FileResult>,
    /// Test file → whether applying the fixes gave its `.fixed` file.
    pub fixtest_results: BTreeMap<String, FixTestResult>,
    /// Known gaps (`todoruleid` / `todook`), per rule file and rule: not failures.
    #[serde(skip)]
    pub todo: BTreeMap<String, BTreeMap<String, Todo>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigError {
    pub filename: String,
    pub error: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileResult {
    /// Rule id → result.
    pub checks: BTreeMap<String, Check>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Check {
    pub passed: bool,
    /// Test file → expected and reported lines.
    pub matches: BTreeMap<String, Lines>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Lines {
    pub expected_lines: Vec<u32>,
    pub reported_lines: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixTestResult {
    pub passed: bool,
}

/// Known gaps of one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Todo {
    /// `todoruleid` lines the rule still misses.
    pub missed: Vec<u32>,
    /// `todoruleid` lines the rule now matches: the annotation can become `ruleid`.
    pub now_matching: Vec<u32>,
    /// `todook` lines with a (known) false positive.
    pub false_positives: Vec<u32>,
}

impl TestReport {
    /// True when every check and fix test passed and every rule file loaded.
    pub fn passed(&self) -> bool {
        self.config_with_errors.is_empty()
            && self
                .results
                .values()
                .all(|f| f.checks.values().all(|c| c.passed))
            && self.fixtest_results.values().all(|f| f.passed)
    }

    /// Number of (rule file, rule) checks, and how many passed.
    pub fn counts(&self) -> (usize, usize) {
        let checks: Vec<&Check> = self
            .results
            .values()
            .flat_map(|f| f.checks.values())
            .collect();
        (checks.len(), checks.iter().filter(|c| c.passed).count())
    }

    /// A report for people.
    pub fn human(&self) -> String {
        let mut out = String::new();
        for (file, result) in &self.results {
            let failed: Vec<(&String, &Check)> =
                result.checks.iter().filter(|(_, c)| !c.passed).collect();
            if failed.is_empty() {
                let _ = writeln!(out, "✓ {file} ({} rules)", result.checks.len());
                continue;
            }
            let _ = writeln!(out, "✗ {file}");
            for (id, check) in failed {
                for (target, lines) in &check.matches {
                    let expected: BTreeSet<u32> = lines.expected_lines.iter().copied().collect();
                    let reported: BTreeSet<u32> = lines.reported_lines.iter().copied().collect();
                    let missed: Vec<u32> = expected.difference(&reported).copied().collect();
                    let extra: Vec<u32> = reported.difference(&expected).copied().collect();
                    if missed.is_empty() && extra.is_empty() {
                        continue;
                    }
                    let _ = writeln!(
                        out,
                        "    {id}: missed lines {missed:?}, unexpected lines {extra:?} in {target}"
                    );
                }
                for e in &check.errors {
                    let _ = writeln!(out, "    {id}: {e}");
                }
            }
        }
        for (file, rules) in &self.todo {
            for (id, t) in rules {
                let mut parts = Vec::new();
                if !t.missed.is_empty() {
                    parts.push(format!("known misses on lines {:?}", t.missed));
                }
                if !t.now_matching.is_empty() {
                    parts.push(format!(
                        "todoruleid lines {:?} now match (make them ruleid)",
                        t.now_matching
                    ));
                }
                if !t.false_positives.is_empty() {
                    parts.push(format!(
                        "known false positives on lines {:?}",
                        t.false_positives
                    ));
                }
                if !parts.is_empty() {
                    let _ = writeln!(out, "todo {file} {id}: {}", parts.join("; "));
                }
            }
        }
        for (target, r) in &self.fixtest_results {
            if !r.passed {
                let _ = writeln!(out, "✗ fix test {target}: the fixed file differs");
            }
        }
        for f in &self.config_missing_tests {
            let _ = writeln!(out, "! no test file for {f}");
        }
        for f in &self.config_missing_fixtests {
            let _ = writeln!(out, "! rules with a fix but no .fixed test file in {f}");
        }
        for e in &self.config_with_errors {
            let _ = writeln!(out, "✗ {}: {}", e.filename, e.error);
        }
        let (total, ok) = self.counts();
        let fix_total = self.fixtest_results.len();
        let fix_ok = self.fixtest_results.values().filter(|f| f.passed).count();
        let _ = writeln!(
            out,
            "{ok}/{total} rule checks passed, {fix_ok}/{fix_total} fix tests passed, {} rule files with errors",
            self.config_with_errors.len()
        );
        out
    }
}

/// Tests every rule file found under `paths` (files or directories).
pub fn run(paths: &[PathBuf]) -> TestReport {
    let mut report = TestReport::default();
    let mut rule_files = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect_rule_files(p, &mut rule_files);
        } else if p.is_file() {
            rule_files.push(p.clone());
        } else {
            report.config_with_errors.push(ConfigError {
                filename: display(p),
                error: "no such file or directory".into(),
            });
        }
    }
    rule_files.sort();
    rule_files.dedup();
    for file in rule_files {
        test_rule_file(&file, &mut report);
    }
    report
}

fn collect_rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_rule_files(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_rule_file)
        {
            out.push(p);
        }
    }
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The test files of a rule file: `<stem>.<ext>` beside it, without fix expectations.
fn test_files(rule_file: &Path) -> Vec<PathBuf> {
    let Some(stem) = rule_file.file_stem().and_then(|s| s.to_str()) else {
        return Vec::new();
    };
    let dir = rule_file.parent().unwrap_or(Path::new("."));
    let prefix = format!("{stem}.");
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with(&prefix) && !is_rule_file(n) && !n.contains(".fixed.")
                })
        })
        .collect();
    out.sort();
    out
}

fn test_rule_file(file: &Path, report: &mut TestReport) {
    let name = display(file);
    let yaml = match fs::read_to_string(file) {
        Ok(y) => y,
        Err(e) => {
            report.config_with_errors.push(ConfigError {
                filename: name,
                error: format!("cannot read: {e}"),
            });
            return;
        }
    };
    let (rules, errors) = load_source(&RuleSource {
        name: name.clone(),
        yaml,
    });
    if !errors.is_empty() {
        report.config_with_errors.push(ConfigError {
            filename: name,
            error: errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        });
        return;
    }
    let targets = test_files(file);
    if targets.is_empty() {
        report.config_missing_tests.push(name);
        return;
    }
    let ids: Vec<String> = rules.iter().map(|r| r.meta.id.clone()).collect();
    let has_fix = rules
        .iter()
        .any(|r| r.fix.is_some() || r.fix_regex.is_some());
    let scanner = SastScanner::new(RuleSet::from_rules(rules), Limits::default());
    let mut result = FileResult::default();
    for id in &ids {
        result.checks.insert(
            id.clone(),
            Check {
                passed: true,
                ..Check::default()
            },
        );
    }
    let mut todos: BTreeMap<String, Todo> = BTreeMap::new();
    let mut missing_fixtest = false;
    for target in targets {
        let tname = display(&target);
        let content = match fs::read(&target) {
            Ok(c) => c,
            Err(e) => {
                for check in result.checks.values_mut() {
                    check.passed = false;
                    check.errors.push(format!("{tname}: cannot read: {e}"));
                }
                continue;
            }
        };
        let text = String::from_utf8_lossy(&content).into_owned();
        let annotations = annotations(&text);
        let findings = match scanner.scan_with(&tname, &content, false) {
            Ok(f) => f,
            Err(e) => {
                for check in result.checks.values_mut() {
                    check.passed = false;
                    check.errors.push(e.to_string());
                }
                continue;
            }
        };
        for id in &ids {
            let reported_all: BTreeSet<u32> = findings
                .iter()
                .filter(|f| &f.rule_id == id)
                .filter_map(|f| f.location.start_line())
                .collect();
            let lines_for = |kind: Annotation| -> BTreeSet<u32> {
                annotations
                    .iter()
                    .filter(|(k, ids, _)| *k == kind && ids.contains(id))
                    .map(|(_, _, line)| *line)
                    .collect()
            };
            let expected = lines_for(Annotation::RuleId);
            let ok = lines_for(Annotation::Ok);
            let todo_ruleid = lines_for(Annotation::TodoRuleId);
            let todo_ok = lines_for(Annotation::TodoOk);
            let reported: BTreeSet<u32> = reported_all
                .iter()
                .copied()
                .filter(|l| !todo_ok.contains(l) && !todo_ruleid.contains(l))
                .collect();
            let todo = todos.entry(id.clone()).or_default();
            todo.missed
                .extend(todo_ruleid.iter().filter(|l| !reported_all.contains(l)));
            todo.now_matching
                .extend(todo_ruleid.iter().filter(|l| reported_all.contains(l)));
            todo.false_positives
                .extend(todo_ok.iter().filter(|l| reported_all.contains(l)));
            let check = result.checks.entry(id.clone()).or_default();
            if expected != reported {
                check.passed = false;
            }
            // An `ok:` line with a finding is already a mismatch above; say so explicitly.
            for l in ok.intersection(&reported) {
                check
                    .errors
                    .push(format!("{tname}:{l}: reported on a line marked ok"));
            }
            if !expected.is_empty() || !reported.is_empty() || !ok.is_empty() {
                check.matches.insert(
                    tname.clone(),
                    Lines {
                        expected_lines: expected.into_iter().collect(),
                        reported_lines: reported.into_iter().collect(),
                    },
                );
            }
        }
        // Fix expectations.
        let fixed_path = fixed_path_for(&target);
        match fixed_path.as_deref().map(fs::read_to_string) {
            Some(Ok(want)) => {
                let mut edits: Vec<_> = findings
                    .iter()
                    .filter_map(|f| f.fix.as_ref())
                    .flat_map(|f| f.edits.iter().cloned())
                    .collect();
                let got = apply_edits(&text, &mut edits);
                report.fixtest_results.insert(
                    tname.clone(),
                    FixTestResult {
                        passed: got == want,
                    },
                );
            }
            Some(Err(_)) | None => {
                if has_fix && findings.iter().any(|f| f.fix.is_some()) {
                    missing_fixtest = true;
                }
            }
        }
    }
    if missing_fixtest {
        report.config_missing_fixtests.push(name.clone());
    }
    todos.retain(|_, t| *t != Todo::default());
    if !todos.is_empty() {
        report.todo.insert(name.clone(), todos);
    }
    report.results.insert(name, result);
}

/// `dir/x.py` → `dir/x.fixed.py`.
fn fixed_path_for(target: &Path) -> Option<PathBuf> {
    let name = target.file_name()?.to_str()?;
    let (stem, ext) = name.split_once('.')?;
    Some(target.with_file_name(format!("{stem}.fixed.{ext}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Annotation {
    RuleId,
    Ok,
    TodoRuleId,
    TodoOk,
}

/// Every annotation of a test file: kind, rule ids, and the (1-based) line it refers to.
fn annotations(text: &str) -> Vec<(Annotation, Vec<String>, u32)> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(
                r"(?:#|//|/\*|<!--|\{/\*|--)\s*(todoruleid|todook|ruleid|ok)\s*:\s*([A-Za-z0-9_.\-]+(?:\s*,\s*[A-Za-z0-9_.\-]+)*)",
            )
            .ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    // A line holding nothing but annotation comments.
    let is_annotation_only = |line: &str| {
        let t = line.trim_start();
        re.find(t).is_some_and(|m| m.start() == 0)
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for caps in re.captures_iter(line) {
            let (Some(whole), Some(kind), Some(ids)) = (caps.get(0), caps.get(1), caps.get(2))
            else {
                continue;
            };
            let kind = match kind.as_str() {
                "ruleid" => Annotation::RuleId,
                "ok" => Annotation::Ok,
                "todoruleid" => Annotation::TodoRuleId,
                _ => Annotation::TodoOk,
            };
            let ids: Vec<String> = ids
                .as_str()
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            let trailing = !line[..whole.start()].trim().is_empty();
            let target = if trailing {
                i
            } else {
                // The next line that is not itself only annotations.
                let mut j = i + 1;
                while j < lines.len() && is_annotation_only(lines[j]) {
                    j += 1;
                }
                j
            };
            out.push((kind, ids, u32::try_from(target + 1).unwrap_or(u32::MAX)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_refer_to_the_next_code_line_or_their_own() {
        let text = "# ruleid: a\nfoo()\nbar()  # ruleid: a, b\n// ok: c\n// todook: d\nbaz()\n/* todoruleid: e */\nqux()\n";
        let got = annotations(text);
        assert_eq!(
            got,
            vec![
                (Annotation::RuleId, vec!["a".to_owned()], 2),
                (Annotation::RuleId, vec!["a".to_owned(), "b".to_owned()], 3),
                (Annotation::Ok, vec!["c".to_owned()], 6),
                (Annotation::TodoOk, vec!["d".to_owned()], 6),
                (Annotation::TodoRuleId, vec!["e".to_owned()], 8),
            ]
        );
    }

    #[test]
    fn fixed_files_sit_beside_the_test_file() {
        assert_eq!(
            fixed_path_for(Path::new("r/x.py")),
            Some(PathBuf::from("r/x.fixed.py"))
        );
    }
}
