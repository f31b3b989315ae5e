//! Turning a parsed [`RuleSpec`] into a rule the scanner can run, checking everything that can be
//! checked at load time.

use palisade_core::{Cwe, Owasp, RuleMeta, ScanKind, taxonomy};
use regex::bytes::{Regex, RegexBuilder};

use crate::RuleError;
use crate::spec::{Precedence, RuleSpec, ValidatorName, Window};

/// Compiled-program budget per rule. Generous for real rules; a pathological user regex
/// (`(a{1000}){1000}`) fails to load instead of eating memory.
const REGEX_SIZE_LIMIT: usize = 4 << 20;
/// Lazy-DFA cache budget per rule and thread; beyond it the regex engine falls back to slower
/// but still linear-time engines.
const DFA_SIZE_LIMIT: usize = 4 << 20;
/// A window may reach this many lines around a keyword hit; more would make "near" meaningless.
const MAX_WINDOW_LINES: u32 = 1000;
/// The marker examples may use to split a secret so the rule file never holds it in one piece.
pub(crate) const EXAMPLE_SPLIT: &str = "%%";

/// A rule ready to run.
#[derive(Debug)]
pub(crate) struct Rule {
    pub meta: RuleMeta,
    pub regex: Regex,
    pub keywords: Vec<String>,
    pub entropy: Option<f64>,
    pub validator: Option<ValidatorName>,
    pub precedence: Precedence,
    pub window: Window,
    pub grants: Option<String>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
}

impl Rule {
    pub(crate) fn compile(
        source_name: &str,
        family: &str,
        spec: RuleSpec,
    ) -> Result<Rule, RuleError> {
        let invalid = |message: String| RuleError::Invalid {
            source_name: source_name.to_owned(),
            rule: spec.id.clone(),
            message,
        };
        if !is_kebab_case(&spec.id) {
            return Err(invalid(
                "id must be kebab-case (a-z, 0-9 and single dashes)".into(),
            ));
        }
        for (field, value) in [
            ("title", &spec.title),
            ("description", &spec.description),
            ("help", &spec.help),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(format!("`{field}` must not be empty")));
            }
        }
        if spec.keywords.is_empty() {
            return Err(invalid(
                "`keywords` must list at least one literal (the rule only runs near one)".into(),
            ));
        }
        for k in &spec.keywords {
            if k.is_empty() {
                return Err(invalid("keywords must not be empty strings".into()));
            }
            if *k != k.to_lowercase() {
                return Err(invalid(format!(
                    "keyword '{k}' must be lower case (keywords match case-insensitively)"
                )));
            }
        }
        if let Some(e) = spec.entropy
            && !(0.0..=8.0).contains(&e)
        {
            return Err(invalid(format!(
                "entropy {e} is out of range (bits per byte: 0 to 8)"
            )));
        }
        if spec.window.lines_before > MAX_WINDOW_LINES || spec.window.lines_after > MAX_WINDOW_LINES
        {
            return Err(invalid(format!(
                "window may reach at most {MAX_WINDOW_LINES} lines either side"
            )));
        }
        let regex = RegexBuilder::new(&spec.regex)
            // ASCII semantics for \w, \d, \s, \b and case folding: secrets are ASCII, and the
            // Unicode tables would make every automaton several times larger and slower.
            // A pattern can still opt in with (?u).
            .unicode(false)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build()
            .map_err(|e| invalid(format!("regex does not compile: {e}")))?;
        // captures_len counts the implicit whole-match group 0.
        let groups = regex.captures_len() - 1;
        if groups != 1 {
            return Err(invalid(format!(
                "regex must have exactly one capture group (the secret), found {groups}; \
                 use (?:…) for grouping"
            )));
        }
        if let Some(g) = &spec.grants
            && g.trim().is_empty()
        {
            return Err(invalid("`grants` must not be empty when given".into()));
        }
        let cwe = match spec.cwe {
            Some(list) if list.is_empty() => {
                return Err(invalid(
                    "`cwe` must list at least one CWE when given".into(),
                ));
            }
            Some(list) => list,
            None => vec![Cwe::HARD_CODED_CREDENTIALS],
        };
        let mut owasp: Vec<Owasp> = cwe
            .iter()
            .flat_map(|&c| taxonomy::owasp_for_cwe(c))
            .collect();
        owasp.sort();
        owasp.dedup();
        let meta = RuleMeta {
            id: spec.id,
            kind: ScanKind::Secrets,
            title: spec.title,
            description: spec.description,
            help: spec.help,
            severity: spec.severity,
            confidence: spec.confidence,
            cwe,
            owasp,
            references: spec.references,
            tags: vec!["secret".to_owned(), family.to_owned()],
        };
        let unsplit = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|s| s.replace(EXAMPLE_SPLIT, ""))
                .collect()
        };
        Ok(Rule {
            meta,
            regex,
            keywords: spec.keywords,
            entropy: spec.entropy,
            validator: spec.validator,
            precedence: spec.precedence,
            window: spec.window,
            grants: spec.grants,
            examples: unsplit(spec.examples),
            negative_examples: unsplit(spec.negative_examples),
        })
    }
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_ids() {
        assert!(is_kebab_case("github-pat"));
        assert!(is_kebab_case("aws-access-key-id"));
        assert!(is_kebab_case("s3"));
        assert!(!is_kebab_case("GitHub-pat"));
        assert!(!is_kebab_case("github_pat"));
        assert!(!is_kebab_case("github--pat"));
        assert!(!is_kebab_case("-github"));
        assert!(!is_kebab_case(""));
    }
}
