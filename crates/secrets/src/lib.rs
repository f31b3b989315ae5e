//! Palisade's secrets scanner: bytes in, [`Finding`]s out.
//!
//! Rules are data (`rules/*.toml`, one file per provider family, embedded at compile time).
//! A scan reads the file once with an Aho-Corasick automaton over every rule's keywords, runs
//! each rule whose keyword occurs only over the lines around its hits, then filters matches
//! (placeholders, entropy, checksums and other structural validators), resolves rules that
//! matched the same text by precedence, and reports each secret value once.
//!
//! This crate does no IO: walking files, git history, allow comments and output formats belong
//! to the engine.

mod builtin;
mod codec;
mod entropy;
mod error;
mod filter;
mod lines;
mod prefilter;
mod report;
mod resolve;
mod rule;
mod spec;
mod validate;

use std::collections::HashMap;

use palisade_core::{Finding, RuleMeta};

pub use entropy::shannon_entropy;
pub use error::RuleError;
pub use spec::{Precedence, ValidatorName};
pub use validate::token_checksum;

use crate::prefilter::Prefilter;
use crate::resolve::{Candidate, Veto};
use crate::rule::Rule;
use crate::spec::RuleFile;
use crate::validate::{MatchCtx, Verdict};

/// Compiled rules and their keyword prefilter. Cheap to share between threads (`Send + Sync`);
/// build it once per scan, not once per file.
pub struct SecretsScanner {
    rules: Vec<Rule>,
    metas: Vec<RuleMeta>,
    prefilter: Prefilter,
}

impl std::fmt::Debug for SecretsScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretsScanner")
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

/// A rule's self-tests, as written in its file (with the `%%` split markers removed).
#[derive(Debug, Clone, Copy)]
pub struct RuleExamples<'a> {
    pub rule: &'a RuleMeta,
    pub precedence: Precedence,
    /// Each must yield exactly one finding, of this rule.
    pub examples: &'a [String],
    /// None may yield a finding of this rule.
    pub negative_examples: &'a [String],
}

impl SecretsScanner {
    /// The built-in rules (embedded at compile time from `crates/secrets/rules/*.toml`).
    pub fn builtin() -> Result<SecretsScanner, RuleError> {
        SecretsScanner::from_sources(&[], true)
    }

    /// User rule files in the built-in format, with or without the built-in rules. Each source
    /// is `(name, TOML text)`; the name (usually the file path) appears in every error. Rule ids
    /// must be unique over all sources, built-ins included.
    pub fn from_sources(
        sources: &[(String, String)],
        include_builtin: bool,
    ) -> Result<SecretsScanner, RuleError> {
        let builtin = builtin::SOURCES
            .iter()
            .filter(|_| include_builtin)
            .map(|(name, text)| (*name, *text));
        let user = sources.iter().map(|(n, t)| (n.as_str(), t.as_str()));
        let mut rules: Vec<Rule> = Vec::new();
        let mut first_source: HashMap<String, String> = HashMap::new();
        for (name, text) in builtin.chain(user) {
            let file: RuleFile = toml::from_str(text).map_err(|e| RuleError::Syntax {
                source_name: name.to_owned(),
                message: e.to_string().trim_end().to_owned(),
            })?;
            let family = family_of(name);
            for spec in file.rules {
                let rule = Rule::compile(name, family, spec)?;
                if let Some(first) = first_source.get(&rule.meta.id) {
                    return Err(RuleError::Duplicate {
                        source_name: name.to_owned(),
                        rule: rule.meta.id.clone(),
                        first_source: first.clone(),
                    });
                }
                first_source.insert(rule.meta.id.clone(), name.to_owned());
                rules.push(rule);
            }
        }
        let prefilter = Prefilter::new(&rules)?;
        let metas = rules.iter().map(|r| r.meta.clone()).collect();
        Ok(SecretsScanner {
            rules,
            metas,
            prefilter,
        })
    }

    /// Metadata of every rule, in load order (built-ins first, by file, then user sources).
    pub fn rules(&self) -> &[RuleMeta] {
        &self.metas
    }

    /// Every rule's examples and negative examples, for `palisade`'s rule tests and ours.
    pub fn rule_examples(&self) -> Vec<RuleExamples<'_>> {
        self.rules
            .iter()
            .map(|r| RuleExamples {
                rule: &r.meta,
                precedence: r.precedence,
                examples: &r.examples,
                negative_examples: &r.negative_examples,
            })
            .collect()
    }

    /// Scans one file's bytes. `path` is the relative path reported in each finding's location.
    ///
    /// Findings come sorted by position, then rule id; each distinct secret value appears once.
    /// Never panics: any bytes (invalid UTF-8, NUL bytes, one 50 MB line) are valid input.
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<Finding> {
        let hits = self.prefilter.hits(content);
        if hits.is_empty() {
            return Vec::new();
        }
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut vetoes: Vec<Veto> = Vec::new();
        for group in hits.chunk_by(|a, b| a.0 == b.0) {
            let index = group[0].0 as usize;
            let rule = &self.rules[index];
            let windows = prefilter::windows(
                content,
                group.iter().map(|h| h.1),
                rule.window.lines_before,
                rule.window.lines_after,
            );
            for window in windows {
                let haystack = &content[window.clone()];
                for caps in rule.regex.captures_iter(haystack) {
                    let (Some(full), Some(secret)) = (caps.get(0), caps.get(1)) else {
                        continue;
                    };
                    if secret.is_empty() {
                        continue;
                    }
                    let m = MatchCtx {
                        path,
                        content,
                        full: window.start + full.start()..window.start + full.end(),
                        secret: window.start + secret.start()..window.start + secret.end(),
                    };
                    self.evaluate(index, &m, &mut candidates, &mut vetoes);
                }
            }
        }
        let resolved = resolve::resolve(&self.rules, content, candidates, &vetoes);
        report::findings(&self.rules, path, content, &resolved)
    }

    fn evaluate(
        &self,
        index: usize,
        m: &MatchCtx<'_>,
        candidates: &mut Vec<Candidate>,
        vetoes: &mut Vec<Veto>,
    ) {
        let rule = &self.rules[index];
        let value = m.secret_bytes();
        if filter::dismiss(value).is_some() {
            return;
        }
        let entropy = shannon_entropy(value);
        if rule.entropy.is_some_and(|min| entropy < min) {
            return;
        }
        let verdict = match rule.validator {
            Some(name) => validate::check(name, m),
            None => Verdict::Accept {
                verified: false,
                related: None,
            },
        };
        match verdict {
            Verdict::Accept { verified, related } => candidates.push(Candidate {
                rule: index,
                secret: m.secret.clone(),
                related,
                verified,
                entropy,
            }),
            Verdict::Reject => {
                if rule.validator.is_some_and(ValidatorName::vetoes_on_failure) {
                    vetoes.push(Veto {
                        rule: index,
                        span: m.secret.clone(),
                    });
                }
            }
        }
    }
}

/// The provider family a rule file covers: its file name without directory and extension
/// (`rules/github.toml` → `github`). Used as a rule tag.
fn family_of(source_name: &str) -> &str {
    let base = source_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(source_name);
    base.strip_suffix(".toml").unwrap_or(base)
}
