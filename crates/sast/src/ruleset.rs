//! A set of compiled rules: the built-ins and/or rule files given with `--config`.

use std::collections::HashMap;

use palisade_core::RuleMeta;

use crate::rule::{Rule, RuleLoadError, RuleSource, load_source};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Compiled rules, each compiled once for every language it targets.
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in rules, embedded at compile time from `crates/sast/rules/**.yaml`.
    pub fn builtin() -> RuleSet {
        // A test loads the built-ins and fails on any error, so none are dropped here.
        RuleSet::load(&[], true).0
    }

    /// The rules of `sources`, plus the built-ins when asked. A rule with an error is skipped
    /// and reported; so is a rule whose id is already taken.
    pub fn load(sources: &[RuleSource], include_builtin: bool) -> (RuleSet, Vec<RuleLoadError>) {
        let mut all: Vec<RuleSource> = Vec::new();
        if include_builtin {
            all.extend(builtin_sources());
        }
        all.extend(sources.iter().cloned());
        let mut rules: Vec<Rule> = Vec::new();
        let mut errors = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for src in &all {
            let (loaded, errs) = load_source(src);
            errors.extend(errs);
            for rule in loaded {
                if let Some(first) = seen.get(&rule.meta.id) {
                    errors.push(RuleLoadError {
                        source: src.name.clone(),
                        rule_id: Some(rule.meta.id.clone()),
                        key: Some("id".into()),
                        message: format!("duplicate rule id (already defined in {first})"),
                    });
                    continue;
                }
                seen.insert(rule.meta.id.clone(), src.name.clone());
                rules.push(rule);
            }
        }
        (RuleSet { rules }, errors)
    }

    /// Every rule's metadata, in load order.
    pub fn rules(&self) -> Vec<RuleMeta> {
        self.rules.iter().map(|r| r.meta.clone()).collect()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub(crate) fn from_rules(rules: Vec<Rule>) -> RuleSet {
        RuleSet { rules }
    }

    pub(crate) fn all(&self) -> &[Rule] {
        &self.rules
    }
}

/// The built-in rule files (not their test files) as sources named `builtin:<path>`.
pub(crate) fn builtin_sources() -> Vec<RuleSource> {
    BUILTIN_FILES
        .iter()
        .filter(|(path, _)| is_rule_file(path))
        .map(|(path, text)| RuleSource {
            name: format!("builtin:{path}"),
            yaml: (*text).to_owned(),
        })
        .collect()
}

/// Rule files are `*.yaml` / `*.yml`, except fix expectations named `*.fixed.*`.
pub(crate) fn is_rule_file(path: &str) -> bool {
    (path.ends_with(".yaml") || path.ends_with(".yml")) && !path.contains(".fixed.")
}
