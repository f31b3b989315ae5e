//! Rules in Semgrep's YAML: reading and checking every key, compiling the patterns for each
//! language, and turning metadata into [`RuleMeta`].

mod compare;
pub(crate) mod eval;
pub(crate) mod formula;
mod paths;
pub(crate) mod taint;

use std::fmt;

use palisade_core::{Confidence, Cwe, Owasp, RuleMeta, ScanKind, Severity};

use self::formula::{Formula, KeyError, Need, PatternSrc, parse_rule_formula};
pub(crate) use self::paths::PathFilter;
use self::taint::{TaintOptions, TaintSpec, parse_taint};
use crate::lang::Language;
use crate::pattern::Pattern;
use crate::yaml::Yaml;

/// A rule file to load: its name (a path, used in messages) and its YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    pub name: String,
    pub yaml: String,
}

/// Why a rule (or a whole file) was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLoadError {
    /// The rule file.
    pub source: String,
    /// The rule, when the problem is in one rule.
    pub rule_id: Option<String>,
    /// The offending key, as a path (`patterns[1].metavariable-regex.regex`).
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(id) = &self.rule_id {
            write!(f, ": rule '{id}'")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RuleLoadError {}

/// `fix-regex`: a regex replacement applied to the matched text.
#[derive(Debug, Clone)]
pub(crate) struct FixRegex {
    pub regex: regex::Regex,
    pub replacement: String,
    pub count: Option<usize>,
}

/// A compiled rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub meta: RuleMeta,
    pub message: String,
    /// The formula compiled for each language the rule targets, with its prefilter needs.
    pub compiled: Vec<(Language, Formula<Pattern>, Need)>,
    /// For `languages: [regex]` rules: a regex-only formula run on any file.
    pub any_file: Option<(Formula<Pattern>, Need)>,
    pub paths: PathFilter,
    pub fix: Option<String>,
    pub fix_regex: Option<FixRegex>,
    /// For `mode: taint` rules: the specification compiled for each language (then `compiled`
    /// and `any_file` are empty).
    pub taint: Vec<(Language, TaintSpec<Pattern>, Need)>,
    /// The `languages:` entries as written.
    pub languages: Vec<String>,
    /// Ids of earlier rules this one replaces (`metadata.replaces`), for the docs.
    pub replaces: Vec<String>,
}

/// What a rule runs on a file of one language.
#[derive(Clone, Copy)]
pub(crate) enum Body<'r> {
    Search(&'r Formula<Pattern>),
    Taint(&'r TaintSpec<Pattern>),
}

impl Body<'_> {
    /// Whether the rule can run without a syntax tree.
    pub fn is_regex_only(&self) -> bool {
        match self {
            Body::Search(f) => f.is_regex_only(),
            Body::Taint(_) => false,
        }
    }
}

impl Rule {
    /// What the rule runs on files of `lang`, and its prefilter needs, if it applies to them.
    pub fn for_language(&self, lang: Option<Language>) -> Option<(Body<'_>, &Need)> {
        if let Some(lang) = lang {
            let rl = lang.rule_language();
            if let Some((_, f, n)) = self.compiled.iter().find(|(l, _, _)| *l == rl) {
                return Some((Body::Search(f), n));
            }
            if let Some((_, t, n)) = self.taint.iter().find(|(l, _, _)| *l == rl) {
                return Some((Body::Taint(t), n));
            }
        }
        self.any_file.as_ref().map(|(f, n)| (Body::Search(f), n))
    }

    /// Every prefilter need of the rule, for building the prefilter.
    pub fn all_needs(&self) -> impl Iterator<Item = &Need> {
        self.compiled
            .iter()
            .map(|(_, _, n)| n)
            .chain(self.taint.iter().map(|(_, _, n)| n))
            .chain(self.any_file.as_ref().map(|(_, n)| n))
    }
}

const RULE_KEYS: &[&str] = &[
    "id",
    "message",
    "severity",
    "languages",
    "metadata",
    "paths",
    "options",
    "fix",
    "fix-regex",
    "pattern",
    "patterns",
    "pattern-either",
    "pattern-regex",
    "mode",
    "pattern-sources",
    "pattern-sinks",
    "pattern-sanitizers",
    "pattern-propagators",
    "min-version",
    "max-version",
];

/// Reads every rule of one file; rules with problems are skipped and reported.
pub(crate) fn load_source(src: &RuleSource) -> (Vec<Rule>, Vec<RuleLoadError>) {
    let file_error = |key: Option<&str>, message: String| RuleLoadError {
        source: src.name.clone(),
        rule_id: None,
        key: key.map(str::to_owned),
        message,
    };
    let doc = match Yaml::parse(&src.yaml) {
        Ok(d) => d,
        Err(e) => {
            return (
                Vec::new(),
                vec![file_error(None, format!("invalid YAML: {e}"))],
            );
        }
    };
    let Some(map) = doc.as_map() else {
        return (
            Vec::new(),
            vec![file_error(
                None,
                "expected a mapping with a `rules` list".into(),
            )],
        );
    };
    let mut errors = Vec::new();
    for (k, _) in map {
        if k != "rules" {
            errors.push(file_error(
                Some(k),
                format!("unknown top-level key `{k}` (expected `rules`)"),
            ));
        }
    }
    let Some(rules) = doc.get("rules").and_then(Yaml::as_seq) else {
        errors.push(file_error(Some("rules"), "missing `rules` list".into()));
        return (Vec::new(), errors);
    };
    let mut out = Vec::new();
    for (i, raw) in rules.iter().enumerate() {
        let id = raw.get("id").and_then(Yaml::as_str).map(str::to_owned);
        match parse_rule(raw) {
            Ok(rule) => out.push(rule),
            Err(e) => errors.push(RuleLoadError {
                source: src.name.clone(),
                rule_id: id.or_else(|| Some(format!("#{}", i + 1))),
                key: Some(e.key).filter(|k| !k.is_empty()),
                message: e.message,
            }),
        }
    }
    (out, errors)
}

fn parse_rule(raw: &Yaml) -> Result<Rule, KeyError> {
    let map = raw.as_map().ok_or_else(|| {
        KeyError::new(
            "",
            format!("a rule is a mapping, found {}", raw.type_name()),
        )
    })?;
    let mut is_taint = false;
    for (k, v) in map {
        if !RULE_KEYS.contains(&k.as_str()) {
            return Err(refused_rule_key(k));
        }
        if k == "mode" {
            match v.as_str() {
                Some("search") => {}
                Some("taint") => is_taint = true,
                Some(other) => {
                    return Err(KeyError::new(
                        "mode",
                        format!("`mode: {other}` is not supported"),
                    ));
                }
                None => return Err(KeyError::new("mode", "expected a string")),
            }
        }
    }
    let id = required_str(raw, "id")?.to_owned();
    if id.trim().is_empty() {
        return Err(KeyError::new("id", "the id is empty"));
    }
    let message = required_str(raw, "message")?.to_owned();
    let severity = parse_severity(required_str(raw, "severity")?)?;
    let languages = raw
        .get("languages")
        .ok_or_else(|| KeyError::new("languages", "missing `languages`"))?
        .string_list()
        .ok_or_else(|| KeyError::new("languages", "expected a list of language names"))?;
    let taint_options = match raw.get("options") {
        Some(options) => check_options(options, is_taint)?,
        None => TaintOptions::default(),
    };
    if !is_taint {
        for k in [
            "pattern-sources",
            "pattern-sinks",
            "pattern-sanitizers",
            "pattern-propagators",
        ] {
            if raw.get(k).is_some() {
                return Err(KeyError::new(
                    k,
                    format!("`{k}` belongs to taint mode: add `mode: taint` to the rule"),
                ));
            }
        }
    }
    let (compiled, any_file, taint) = if is_taint {
        let spec = parse_taint(raw, taint_options)?;
        (
            Vec::new(),
            None,
            compile_taint_for_languages(&spec, &languages)?,
        )
    } else {
        let formula = parse_rule_formula(raw)?;
        let (compiled, any_file) = compile_for_languages(&formula, &languages)?;
        (compiled, any_file, Vec::new())
    };
    let paths = match raw.get("paths") {
        Some(p) => PathFilter::parse(p)?,
        None => PathFilter::default(),
    };
    let fix = match raw.get("fix") {
        Some(f) => Some(
            f.scalar_text()
                .ok_or_else(|| KeyError::new("fix", "expected a string"))?,
        ),
        None => None,
    };
    let fix_regex = raw.get("fix-regex").map(parse_fix_regex).transpose()?;
    let metadata = raw
        .get("metadata")
        .cloned()
        .unwrap_or(Yaml::Map(Vec::new()));
    if metadata.as_map().is_none() {
        return Err(KeyError::new("metadata", "expected a mapping"));
    }
    let meta = rule_meta(&id, &message, severity, &metadata, fix.as_deref())?;
    Ok(Rule {
        meta,
        message,
        compiled,
        any_file,
        paths,
        fix,
        fix_regex,
        taint,
        languages,
        replaces: metadata
            .get("replaces")
            .and_then(Yaml::string_list)
            .unwrap_or_default(),
    })
}

fn compile_taint_for_languages(
    spec: &TaintSpec<PatternSrc>,
    languages: &[String],
) -> Result<Vec<(Language, TaintSpec<Pattern>, Need)>, KeyError> {
    if languages.is_empty() {
        return Err(KeyError::new("languages", "the list is empty"));
    }
    let mut out: Vec<(Language, TaintSpec<Pattern>, Need)> = Vec::new();
    let mut unsupported = Vec::new();
    for name in languages {
        match Language::from_rule_name(name) {
            Some(lang) => {
                let lang = lang.rule_language();
                if out.iter().any(|(l, _, _)| *l == lang) {
                    continue;
                }
                let compiled = spec.compile(lang)?;
                let need = compiled.needs();
                out.push((lang, compiled, need));
            }
            None => unsupported.push(name.clone()),
        }
    }
    if out.is_empty() {
        return Err(KeyError::new(
            "languages",
            format!(
                "no supported language for a taint rule in [{}] (supported: python, javascript, typescript, java, go)",
                unsupported.join(", ")
            ),
        ));
    }
    if spec.is_regex_only() {
        return Err(KeyError::new(
            "pattern-sources",
            "taint rules need code patterns; pattern-regex alone cannot be tracked through dataflow",
        ));
    }
    Ok(out)
}

/// The error for a rule key we do not know or do not run.
fn refused_rule_key(key: &str) -> KeyError {
    let why = match key {
        "taint" => "the `taint:` block syntax is not supported; write pattern-sources, \
                    pattern-sinks, pattern-sanitizers and pattern-propagators"
            .to_owned(),
        "match" => {
            "the `match` rule syntax is not supported; write pattern/patterns/pattern-either".into()
        }
        "join"
        | "extract"
        | "steps"
        | "secrets"
        | "validators"
        | "product"
        | "dependency"
        | "r2c-internal-project-depends-on"
        | "project-depends-on" => {
            format!("`{key}` is a Semgrep Pro or Supply Chain feature and is not supported")
        }
        "pattern-not"
        | "pattern-inside"
        | "pattern-not-inside"
        | "pattern-not-regex"
        | "metavariable-regex"
        | "metavariable-pattern"
        | "metavariable-comparison"
        | "focus-metavariable" => format!("`{key}` is only allowed inside `patterns`"),
        _ => format!("unknown key `{key}`"),
    };
    KeyError::new(key, why)
}

fn required_str<'y>(raw: &'y Yaml, key: &str) -> Result<&'y str, KeyError> {
    match raw.get(key) {
        Some(Yaml::Str(s)) => Ok(s),
        Some(other) => Err(KeyError::new(
            key,
            format!("expected a string, found {}", other.type_name()),
        )),
        None => Err(KeyError::new(key, format!("missing `{key}`"))),
    }
}

fn parse_severity(s: &str) -> Result<Severity, KeyError> {
    match s.trim().to_ascii_uppercase().as_str() {
        "ERROR" => Ok(Severity::High),
        "WARNING" => Ok(Severity::Medium),
        "INFO" => Ok(Severity::Low),
        "CRITICAL" => Ok(Severity::Critical),
        "HIGH" => Ok(Severity::High),
        "MEDIUM" => Ok(Severity::Medium),
        "LOW" => Ok(Severity::Low),
        other => Err(KeyError::new(
            "severity",
            format!(
                "unknown severity '{other}' (expected ERROR, WARNING, INFO, LOW, MEDIUM, HIGH or CRITICAL)"
            ),
        )),
    }
}

/// Semgrep's `options`: the ones whose value matches what this engine does are accepted; a
/// value asking for behaviour the engine lacks is refused rather than ignored.
fn check_options(options: &Yaml, is_taint: bool) -> Result<TaintOptions, KeyError> {
    let map = options
        .as_map()
        .ok_or_else(|| KeyError::new("options", "expected a mapping"))?;
    let mut taint = TaintOptions::default();
    for (k, v) in map {
        let slot = match k.as_str() {
            "taint_assume_safe_functions" => Some(&mut taint.assume_safe_functions),
            "taint_assume_safe_numbers" => Some(&mut taint.assume_safe_numbers),
            "taint_assume_safe_booleans" => Some(&mut taint.assume_safe_booleans),
            "taint_assume_safe_indexes" => Some(&mut taint.assume_safe_indexes),
            _ => None,
        };
        if let Some(slot) = slot {
            match v {
                Yaml::Bool(b) => *slot = *b,
                _ => {
                    return Err(KeyError::new(
                        format!("options.{k}"),
                        "expected true or false",
                    ));
                }
            }
            if !is_taint && *slot {
                return Err(KeyError::new(
                    format!("options.{k}"),
                    format!("`{k}` only applies to `mode: taint` rules"),
                ));
            }
            continue;
        }
        let key = format!("options.{k}");
        let b = match v {
            Yaml::Bool(b) => Some(*b),
            _ => None,
        };
        // (name, the value this engine behaves as, or None when either value is fine)
        let supported: Option<Option<bool>> = match k.as_str() {
            // Accepted either way: these tune Semgrep internals with no effect on our results,
            // or are Semgrep's defaults whose absence we document (constant propagation).
            "constant_propagation"
            | "max_match_per_file"
            | "timeout"
            | "generic_ellipsis_max_span"
            | "generic_comment_style"
            | "implicit_return"
            | "decorators_order_matters" => Some(None),
            "vardef_assign"
            | "flddef_assign"
            | "go_deeper_expr"
            | "go_deeper_stmt"
            | "implicit_deep_exprstmt"
            | "attr_expr"
            | "arrow_is_function"
            | "let_is_var"
            | "xml_attrs_implicit_ellipsis" => Some(Some(true)),
            "symbolic_propagation"
            | "ac_matching"
            | "commutative_boolop"
            | "commutative_compop"
            | "interfile"
            | "taint_unify_mvars"
            | "taint_only_propagate_through_assignments" => Some(Some(false)),
            _ => None,
        };
        match supported {
            None => return Err(KeyError::new(key, format!("unknown option `{k}`"))),
            Some(None) => {}
            Some(Some(expected)) => {
                if b.is_none() {
                    return Err(KeyError::new(key, "expected true or false"));
                }
                if b != Some(expected) {
                    let why = if k == "interfile" {
                        "inter-file analysis is a Semgrep Pro feature and is not supported"
                            .to_owned()
                    } else {
                        format!("`{k}: {}` is not supported", !expected)
                    };
                    return Err(KeyError::new(key, why));
                }
            }
        }
    }
    Ok(taint)
}

type Compiled = (
    Vec<(Language, Formula<Pattern>, Need)>,
    Option<(Formula<Pattern>, Need)>,
);

fn compile_for_languages(
    formula: &Formula<PatternSrc>,
    languages: &[String],
) -> Result<Compiled, KeyError> {
    if languages.is_empty() {
        return Err(KeyError::new("languages", "the list is empty"));
    }
    let mut compiled: Vec<(Language, Formula<Pattern>, Need)> = Vec::new();
    let mut any_file = None;
    let mut unsupported = Vec::new();
    for name in languages {
        let lname = name.trim().to_ascii_lowercase();
        if matches!(lname.as_str(), "regex" | "none") {
            if !formula.is_regex_only() {
                return Err(KeyError::new(
                    "languages",
                    format!("`{name}` rules may only use pattern-regex"),
                ));
            }
            let f = formula.compile(Language::Python)?;
            let need = f.needs();
            any_file = Some((f, need));
            continue;
        }
        if lname == "generic" {
            return Err(KeyError::new(
                "languages",
                "`generic` (spacegrep) patterns are not supported; use pattern-regex with `languages: [regex]`",
            ));
        }
        match Language::from_rule_name(&lname) {
            Some(lang) => {
                let lang = lang.rule_language();
                if compiled.iter().any(|(l, _, _)| *l == lang) {
                    continue;
                }
                let f = formula.compile(lang)?;
                let need = f.needs();
                compiled.push((lang, f, need));
            }
            None => unsupported.push(name.clone()),
        }
    }
    if compiled.is_empty() && any_file.is_none() {
        return Err(KeyError::new(
            "languages",
            format!(
                "no supported language in [{}] (supported: python, javascript, typescript, java, go, regex)",
                unsupported.join(", ")
            ),
        ));
    }
    Ok((compiled, any_file))
}

fn parse_fix_regex(v: &Yaml) -> Result<FixRegex, KeyError> {
    let map = v.as_map().ok_or_else(|| {
        KeyError::new("fix-regex", "expected a mapping with regex and replacement")
    })?;
    for (k, _) in map {
        if !matches!(k.as_str(), "regex" | "replacement" | "count") {
            return Err(KeyError::new(
                format!("fix-regex.{k}"),
                format!("unknown key `{k}`"),
            ));
        }
    }
    let re = v
        .get("regex")
        .and_then(Yaml::as_str)
        .ok_or_else(|| KeyError::new("fix-regex.regex", "missing `regex`"))?;
    let regex = regex::Regex::new(re)
        .map_err(|e| KeyError::new("fix-regex.regex", format!("invalid regex: {e}")))?;
    let replacement = v
        .get("replacement")
        .and_then(Yaml::scalar_text)
        .ok_or_else(|| KeyError::new("fix-regex.replacement", "missing `replacement`"))?;
    let count = match v.get("count") {
        None => None,
        Some(Yaml::Int(n)) if *n > 0 => usize::try_from(*n).ok(),
        Some(_) => {
            return Err(KeyError::new(
                "fix-regex.count",
                "expected a positive number",
            ));
        }
    };
    // Semgrep (Python) writes groups as \1; the regex crate as ${1}.
    let replacement = python_groups_to_rust(&replacement);
    Ok(FixRegex {
        regex,
        replacement,
        count,
    })
}

fn python_groups_to_rust(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    chars.next();
                }
                out.push_str(&format!("${{{n}}}"));
            }
            '$' => out.push_str("$$"),
            other => out.push(other),
        }
    }
    out
}

/// Builds the rule's metadata from Semgrep's fields (and ours: `title`, `description`,
/// `remediation`).
fn rule_meta(
    id: &str,
    message: &str,
    severity: Severity,
    metadata: &Yaml,
    fix: Option<&str>,
) -> Result<RuleMeta, KeyError> {
    let text = |k: &str| metadata.get(k).and_then(Yaml::scalar_text);
    let list = |k: &str| {
        metadata
            .get(k)
            .and_then(Yaml::string_list)
            .unwrap_or_default()
    };
    let confidence = match text("confidence") {
        None => Confidence::Medium,
        Some(c) => c
            .parse::<Confidence>()
            .map_err(|e| KeyError::new("metadata.confidence", e.to_string()))?,
    };
    let mut cwe = Vec::new();
    for c in list("cwe") {
        let parsed: Cwe = c
            .parse()
            .map_err(|e: palisade_core::taxonomy::TaxonomyError| {
                KeyError::new("metadata.cwe", e.to_string())
            })?;
        if !cwe.contains(&parsed) {
            cwe.push(parsed);
        }
    }
    let mut owasp = Vec::new();
    for o in list("owasp") {
        match o.parse::<Owasp>() {
            Ok(parsed) => {
                if !owasp.contains(&parsed) {
                    owasp.push(parsed);
                }
            }
            // Rules in the field also cite the 2017 edition, which we do not model.
            Err(_) if o.contains(":2017") => {}
            Err(e) => return Err(KeyError::new("metadata.owasp", e.to_string())),
        }
    }
    if owasp.is_empty() {
        for c in &cwe {
            for o in palisade_core::taxonomy::owasp_for_cwe(*c) {
                if !owasp.contains(&o) {
                    owasp.push(o);
                }
            }
        }
    }
    let title = text("title").unwrap_or_else(|| first_sentence(message));
    let description = text("description").unwrap_or_else(|| message.trim().to_owned());
    let help = match (text("remediation"), fix) {
        (Some(r), _) => r,
        (None, Some(f)) => format!("Suggested fix: `{}`", f.trim()),
        (None, None) => String::new(),
    };
    let mut tags = Vec::new();
    tags.extend(text("category"));
    tags.extend(list("subcategory"));
    tags.extend(list("technology"));
    Ok(RuleMeta {
        id: id.to_owned(),
        kind: ScanKind::Sast,
        title,
        description,
        help,
        severity,
        confidence,
        cwe,
        owasp,
        references: list("references"),
        tags,
    })
}

fn first_sentence(message: &str) -> String {
    let m = message.trim();
    let end = m
        .char_indices()
        .find(|&(i, c)| c == '\n' || (c == '.' && m[i + 1..].starts_with([' ', '\n'])))
        .map_or(m.len(), |(i, _)| i);
    let s = m[..end].trim();
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}...")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> (Vec<Rule>, Vec<RuleLoadError>) {
        load_source(&RuleSource {
            name: "test.yaml".into(),
            yaml: yaml.into(),
        })
    }

    fn only_error(yaml: &str) -> String {
        let (rules, errors) = load(yaml);
        assert!(rules.is_empty(), "the rule should be skipped");
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors[0].to_string()
    }

    const HEAD: &str = "rules:\n- id: r1\n  message: m\n  severity: ERROR\n  languages: [python]\n";

    #[test]
    fn reads_a_rule_and_its_metadata() {
        let (rules, errors) = load(&format!(
            "{HEAD}  pattern: eval(...)\n  metadata:\n    cwe: 'CWE-95: Improper Neutralization'\n    owasp: ['A03:2021 - Injection', 'A01:2017 - Injection']\n    confidence: HIGH\n    references: https://example.com\n"
        ));
        assert!(errors.is_empty(), "{errors:?}");
        let meta = &rules[0].meta;
        assert_eq!(meta.cwe, vec![Cwe(95)]);
        assert_eq!(meta.owasp, vec![Owasp::new(3, 2021)]);
        assert_eq!(meta.confidence, Confidence::High);
        assert_eq!(meta.severity, Severity::High);
        assert_eq!(meta.references, vec!["https://example.com"]);
    }

    #[test]
    fn unknown_and_unsupported_keys_name_the_rule_and_the_key() {
        assert_eq!(
            only_error(&format!("{HEAD}  pattern: x\n  colour: red\n")),
            "test.yaml: rule 'r1': `colour`: unknown key `colour`"
        );
        assert!(
            only_error(&format!(
                "{HEAD}  mode: taint\n  pattern-sources: []\n  pattern-sinks: [{{pattern: x}}]\n"
            ))
            .contains("`pattern-sources`: a taint rule needs at least one entry")
        );
        assert!(
            only_error(&format!(
                "{HEAD}  pattern: x\n  options:\n    interfile: true\n"
            ))
            .contains("`options.interfile`: inter-file analysis is a Semgrep Pro feature")
        );
        assert!(
            only_error(&format!(
                "{HEAD}  patterns:\n  - pattern: x\n  - metavariable-type:\n      metavariable: $X\n      type: int\n"
            ))
            .contains("`patterns[1].metavariable-type`")
        );
        assert!(
            only_error(&format!("{HEAD}  pattern: 'foo(('\n"))
                .contains("`pattern`: cannot parse the pattern as python")
        );
        assert!(only_error(&format!("{HEAD}  pattern-regex: '(?<=a)b'\n")).contains("look-around"));
        assert!(
            only_error("rules:\n- id: r1\n  message: m\n  severity: ERROR\n  languages: [cobol]\n  pattern: x\n")
                .contains("no supported language")
        );
        assert!(
            only_error(&format!("{HEAD}  pattern: x\n  pattern-regex: y\n"))
                .contains("only one of")
        );
        assert!(
            only_error("rules:\n- id: r1\n  message: m\n  severity: SEVERE\n  languages: [python]\n  pattern: x\n")
                .contains("unknown severity")
        );
    }

    #[test]
    fn one_bad_rule_does_not_stop_the_others() {
        let yaml = format!(
            "{HEAD}  pattern: 'x('\n- id: r2\n  message: m\n  severity: INFO\n  languages: [python]\n  pattern: y\n"
        );
        let (rules, errors) = load(&yaml);
        assert_eq!(rules.len(), 1, "{errors:?}");
        assert_eq!(rules[0].meta.id, "r2");
        assert_eq!(errors[0].rule_id.as_deref(), Some("r1"));
        assert_eq!(errors[0].key.as_deref(), Some("pattern"));
    }

    #[test]
    fn broken_files_are_reported_whole() {
        let (_, errors) = load("rules: [");
        assert!(errors[0].message.starts_with("invalid YAML"));
        let (_, errors) = load("- just a list");
        assert!(errors[0].message.contains("`rules`"));
    }

    #[test]
    fn fix_regex_groups_use_rust_syntax() {
        assert_eq!(
            python_groups_to_rust(r"\1.verify=True $x"),
            "${1}.verify=True $$x"
        );
    }
}
