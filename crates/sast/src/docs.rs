//! Documentation pages for the built-in rules, generated from the rule files and their tests
//! (the ruff style: What it does / Why is this bad / Example / Fix / References), and the rules
//! table. A test regenerates them and fails when `docs/rules/sast/` has drifted.

use std::fmt::Write as _;

use crate::rule::{Rule, load_source};
use crate::ruleset::{BUILTIN_FILES, builtin_sources};

/// Every built-in rule's page (`<rule-id>.md`) and the index (`README.md`), sorted by name.
pub fn rule_docs() -> Vec<(String, String)> {
    let mut rules: Vec<(String, Rule)> = Vec::new();
    for src in builtin_sources() {
        let path = src.name.trim_start_matches("builtin:").to_owned();
        let (loaded, _) = load_source(&src);
        for r in loaded {
            rules.push((path.clone(), r));
        }
    }
    rules.sort_by(|a, b| a.1.meta.id.cmp(&b.1.meta.id));
    let mut out: Vec<(String, String)> = rules
        .iter()
        .map(|(path, r)| (format!("{}.md", r.meta.id), page(path, r)))
        .collect();
    out.push(("README.md".to_owned(), index(&rules)));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn file(path: &str) -> Option<&'static str> {
    BUILTIN_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}

/// The rule's test file and its fixed counterpart, if any: (extension, text, fixed text).
fn tests_of(rule_path: &str) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    let stem = rule_path.rsplit_once('.')?.0;
    let (p, text) = BUILTIN_FILES.iter().find(|(p, _)| {
        p.strip_prefix(stem)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|ext| !ext.contains('.') && ext != "yaml" && ext != "yml")
    })?;
    let ext = p.rsplit_once('.')?.1;
    let fixed = file(&format!("{stem}.fixed.{ext}"));
    Some((ext, text, fixed))
}

/// Lines of `text` annotated `<kind>: <id>` (the code line each annotation refers to).
fn annotated(text: &str, kind: &str, id: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(pos) = line.find(&format!("{kind}:")) else {
            continue;
        };
        let before = &line[..pos];
        if before.ends_with("todo") {
            continue;
        }
        let ids = &line[pos + kind.len() + 1..];
        if !ids
            .split(',')
            .any(|s| s.trim().trim_end_matches("*/").trim() == id)
        {
            continue;
        }
        let trailing = !before
            .trim()
            .trim_end_matches(['#', '/', '*', '<', '!', '-', '{'])
            .trim()
            .is_empty();
        let target = if trailing { i } else { i + 1 };
        out.push(target);
    }
    out
}

fn fence(lang: &str, lines: &[&str]) -> String {
    format!("```{lang}\n{}\n```\n", lines.join("\n"))
}

fn page(path: &str, r: &Rule) -> String {
    let m = &r.meta;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", m.id);
    let _ = writeln!(s, "**{}**\n", m.title);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| Languages | {} |", r.languages.join(", "));
    let _ = writeln!(s, "| Severity | {} |", m.severity);
    let _ = writeln!(s, "| Confidence | {} |", m.confidence);
    let cwes: Vec<String> = m
        .cwe
        .iter()
        .map(|c| {
            format!(
                "[{c}](https://cwe.mitre.org/data/definitions/{}.html)",
                c.id()
            )
        })
        .collect();
    let _ = writeln!(s, "| CWE | {} |", cwes.join(", "));
    let owasp: Vec<String> = m.owasp.iter().map(|o| o.long_name()).collect();
    let _ = writeln!(s, "| OWASP | {} |", owasp.join("<br>"));
    let fixable = r.fix.is_some() || r.fix_regex.is_some();
    let _ = writeln!(s, "| Autofix | {} |", if fixable { "yes" } else { "no" });
    if !r.taint.is_empty() {
        let _ = writeln!(
            s,
            "| Mode | taint: follows values from sources to sinks, through helpers of the same file |"
        );
    }
    if !r.replaces.is_empty() {
        let _ = writeln!(s, "| Replaces | {} |", r.replaces.join(", "));
    }
    let _ = writeln!(s, "| Rule file | `crates/sast/rules/{path}` |\n");
    let _ = writeln!(s, "## What it does\n\n{}\n", r.message.trim());
    let _ = writeln!(s, "## Why is this bad?\n\n{}\n", m.description.trim());
    if let Some((ext, text, fixed)) = tests_of(path) {
        let lang = match ext {
            "py" => "python",
            "js" | "jsx" => "javascript",
            "ts" | "tsx" => "typescript",
            other => other,
        };
        let lines: Vec<&str> = text.lines().collect();
        let bad: Vec<&str> = annotated(text, "ruleid", &m.id)
            .into_iter()
            .take(3)
            .filter_map(|i| lines.get(i).map(|l| l.trim()))
            .collect();
        if !bad.is_empty() {
            let _ = writeln!(s, "## Example\n\n{}", fence(lang, &bad));
        }
        let good: Vec<&str> = annotated(text, "ok", &m.id)
            .into_iter()
            .take(3)
            .filter_map(|i| lines.get(i).map(|l| l.trim()))
            .collect();
        let fixed_lines: Vec<&str> = match fixed {
            Some(f) => {
                let flines: Vec<&str> = f.lines().collect();
                annotated(text, "ruleid", &m.id)
                    .into_iter()
                    .take(3)
                    .filter_map(|i| flines.get(i).map(|l| l.trim()))
                    .collect()
            }
            None => Vec::new(),
        };
        let _ = writeln!(s, "## Fix\n");
        if !m.help.trim().is_empty() {
            let _ = writeln!(s, "{}\n", m.help.trim());
        }
        if !fixed_lines.is_empty() {
            let _ = writeln!(
                s,
                "The autofix rewrites the example to:\n\n{}",
                fence(lang, &fixed_lines)
            );
        }
        if !good.is_empty() {
            let _ = writeln!(s, "Code the rule accepts:\n\n{}", fence(lang, &good));
        }
    } else if !m.help.trim().is_empty() {
        let _ = writeln!(s, "## Fix\n\n{}\n", m.help.trim());
    }
    if !m.references.is_empty() {
        let _ = writeln!(s, "## References\n");
        for r in &m.references {
            let _ = writeln!(s, "- <{r}>");
        }
        s.push('\n');
    }
    s.trim_end().to_owned() + "\n"
}

fn index(rules: &[(String, Rule)]) -> String {
    let mut s = String::from(
        "# Built-in SAST rules\n\nGenerated from `crates/sast/rules/` by `palisade_sast::rule_docs()`; \
         a test fails when this directory drifts (regenerate with `PALISADE_UPDATE_DOCS=1 cargo test -p palisade-sast --test docs`).\n\n",
    );
    let mut langs: Vec<&str> = Vec::new();
    for (path, _) in rules {
        if let Some((l, _)) = path.split_once('/')
            && !langs.contains(&l)
        {
            langs.push(l);
        }
    }
    langs.sort_unstable();
    let _ = writeln!(s, "{} rules:", rules.len());
    for l in &langs {
        let n = rules
            .iter()
            .filter(|(p, _)| p.starts_with(&format!("{l}/")))
            .count();
        let _ = writeln!(s, "- {l}: {n}");
    }
    s.push_str("\n| Rule | Languages | Severity | Confidence | CWE | OWASP 2021 | OWASP 2025 | Fix | What it finds |\n|---|---|---|---|---|---|---|---|---|\n");
    for (_, r) in rules {
        let m = &r.meta;
        let cwe: Vec<String> = m.cwe.iter().map(ToString::to_string).collect();
        let edition = |y: u16| {
            m.owasp
                .iter()
                .filter(|o| o.year == y)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fixable = r.fix.is_some() || r.fix_regex.is_some();
        let _ = writeln!(
            s,
            "| [{id}]({id}.md) | {langs} | {sev} | {conf} | {cwe} | {o21} | {o25} | {fix} | {title} |",
            id = m.id,
            langs = r.languages.join(", "),
            sev = m.severity,
            conf = m.confidence,
            cwe = cwe.join(", "),
            o21 = edition(2021),
            o25 = edition(2025),
            fix = if fixable { "yes" } else { "" },
            title = m.title.replace('|', "\\|"),
        );
    }
    let replaced: Vec<(&str, &str)> = rules
        .iter()
        .flat_map(|(_, r)| {
            r.replaces
                .iter()
                .map(|old| (old.as_str(), r.meta.id.as_str()))
        })
        .collect();
    if !replaced.is_empty() {
        s.push_str(
            "\n## Replaced rules\n\nThese pattern-only rules were replaced by taint rules, which follow the \
             value from where a request delivers it; suppressions and baselines naming the old id \
             need the new one.\n\n| Old rule | Replaced by |\n|---|---|\n",
        );
        for (old, new) in replaced {
            let _ = writeln!(s, "| {old} | [{new}]({new}.md) |");
        }
    }
    s
}
