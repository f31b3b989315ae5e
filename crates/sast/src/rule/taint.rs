//! `mode: taint` rules: reading `pattern-sources`, `pattern-sinks`, `pattern-sanitizers` and
//! `pattern-propagators` (with labels, `requires`, `by-side-effect`, `exact`, `from`/`to`) and the
//! taint options. Every key is checked: one the engine does not run is a load error naming it.

use super::formula::{Formula, KeyError, Need, PatternSrc, parse_term};
use crate::lang::Language;
use crate::pattern::Pattern;
use crate::yaml::Yaml;

/// The label a source without `label:` gives, as in Semgrep.
pub(crate) const DEFAULT_LABEL: &str = "__SOURCE__";

/// At most this many distinct labels per rule (they are bits of a `u32`).
pub(crate) const MAX_LABELS: usize = 32;

/// A boolean formula over taint labels (`requires: A and not B`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabelExpr {
    Label(u8),
    Not(Box<LabelExpr>),
    And(Box<LabelExpr>, Box<LabelExpr>),
    Or(Box<LabelExpr>, Box<LabelExpr>),
}

impl LabelExpr {
    /// Whether a value carrying the labels in `mask` satisfies the formula.
    pub fn holds(&self, mask: u32) -> bool {
        match self {
            LabelExpr::Label(b) => mask & (1 << b) != 0,
            LabelExpr::Not(x) => !x.holds(mask),
            LabelExpr::And(a, b) => a.holds(mask) && b.holds(mask),
            LabelExpr::Or(a, b) => a.holds(mask) || b.holds(mask),
        }
    }
}

/// `by-side-effect` of a sanitizer (or source): whether the matched variable itself changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SideEffect {
    /// Only the matched expression's value is affected.
    No,
    /// The value, and the variable it is stored in from here on.
    Yes,
    /// Only the variable from here on (`by-side-effect: only`).
    Only,
}

#[derive(Debug)]
pub(crate) struct Source<P> {
    pub formula: Formula<P>,
    pub label: u8,
    pub requires: Option<LabelExpr>,
    pub side_effect: SideEffect,
    pub exact: bool,
}

#[derive(Debug)]
pub(crate) struct Sink<P> {
    pub formula: Formula<P>,
    pub requires: Option<LabelExpr>,
    pub exact: bool,
}

#[derive(Debug)]
pub(crate) struct Sanitizer<P> {
    pub formula: Formula<P>,
    pub side_effect: SideEffect,
    pub exact: bool,
    /// Identifies the formula: rules sharing a sanitizer share its matches within a file.
    pub key: String,
    /// `not-conflicting: true`: ignored where it also matches a source or a sink.
    pub not_conflicting: bool,
}

#[derive(Debug)]
pub(crate) struct Propagator<P> {
    pub formula: Formula<P>,
    pub from: String,
    pub to: String,
    pub by_side_effect: bool,
    pub label: Option<u8>,
    pub requires: Option<LabelExpr>,
}

/// The taint options (`options:` keys).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TaintOptions {
    pub assume_safe_functions: bool,
    pub assume_safe_numbers: bool,
    pub assume_safe_booleans: bool,
    pub assume_safe_indexes: bool,
}

/// A taint rule's specification, before (`PatternSrc`) or after (`Pattern`) compiling.
#[derive(Debug)]
pub(crate) struct TaintSpec<P> {
    pub sources: Vec<Source<P>>,
    pub sinks: Vec<Sink<P>>,
    pub sanitizers: Vec<Sanitizer<P>>,
    pub propagators: Vec<Propagator<P>>,
    /// Label names; a label's bit is its index.
    pub labels: Vec<String>,
    pub options: TaintOptions,
    /// Identifies the sources (patterns, labels, flags): rules with the same sources share
    /// their matches within a file.
    pub source_key: String,
}

const FORMULA_KEYS: [&str; 5] = [
    "pattern",
    "patterns",
    "pattern-either",
    "pattern-regex",
    "pattern-inside",
];

/// Reads the taint part of a rule (the caller has seen `mode: taint`).
pub(crate) fn parse_taint(
    rule: &Yaml,
    options: TaintOptions,
) -> Result<TaintSpec<PatternSrc>, KeyError> {
    for k in ["pattern", "patterns", "pattern-either", "pattern-regex"] {
        if rule.get(k).is_some() {
            return Err(KeyError::new(
                k,
                format!(
                    "`{k}` is for search rules; a `mode: taint` rule uses pattern-sources and pattern-sinks"
                ),
            ));
        }
    }
    if rule.get("taint").is_some() {
        return Err(KeyError::new(
            "taint",
            "the `taint:` block syntax is not supported; write pattern-sources, pattern-sinks, \
             pattern-sanitizers and pattern-propagators",
        ));
    }
    let mut labels: Vec<String> = Vec::new();
    let items = |key: &str| -> Result<Vec<&Yaml>, KeyError> {
        match rule.get(key) {
            None => Ok(Vec::new()),
            Some(v) => Ok(v
                .as_seq()
                .ok_or_else(|| {
                    KeyError::new(key, format!("expected a list, found {}", v.type_name()))
                })?
                .iter()
                .collect()),
        }
    };
    let source_items = items("pattern-sources")?;
    let sink_items = items("pattern-sinks")?;
    if source_items.is_empty() {
        return Err(KeyError::new(
            "pattern-sources",
            "a taint rule needs at least one entry in `pattern-sources`",
        ));
    }
    if sink_items.is_empty() {
        return Err(KeyError::new(
            "pattern-sinks",
            "a taint rule needs at least one entry in `pattern-sinks`",
        ));
    }
    // Labels are declared by sources and propagators; collect them first so `requires` can
    // refer to a label declared further down.
    for (key, list) in [
        ("pattern-sources", &source_items),
        ("pattern-propagators", &items("pattern-propagators")?),
    ] {
        for (i, item) in list.iter().enumerate() {
            let path = format!("{key}[{i}]");
            let name = match item.get("label") {
                None if key == "pattern-sources" => DEFAULT_LABEL.to_owned(),
                None => continue,
                Some(l) => label_name(l, &format!("{path}.label"))?,
            };
            if !labels.contains(&name) {
                if labels.len() >= MAX_LABELS {
                    return Err(KeyError::new(
                        format!("{path}.label"),
                        format!("at most {MAX_LABELS} taint labels per rule"),
                    ));
                }
                labels.push(name);
            }
        }
    }
    let bit = |name: &str| {
        labels
            .iter()
            .position(|l| l == name)
            .and_then(|p| u8::try_from(p).ok())
    };
    let requires = |item: &Yaml, path: &str| -> Result<Option<LabelExpr>, KeyError> {
        match item.get("requires") {
            None => Ok(None),
            Some(v) => {
                let key = format!("{path}.requires");
                let text = v
                    .as_str()
                    .ok_or_else(|| KeyError::new(&key, "expected a label expression"))?;
                parse_label_expr(text, &bit)
                    .map(Some)
                    .map_err(|e| KeyError::new(key, e))
            }
        }
    };

    let mut sources = Vec::new();
    for (i, item) in source_items.iter().enumerate() {
        let path = format!("pattern-sources[{i}]");
        check_keys(
            item,
            &path,
            &["label", "requires", "by-side-effect", "exact", "control"],
        )?;
        if let Some(c) = item.get("control")
            && c != &Yaml::Bool(false)
        {
            return Err(KeyError::new(
                format!("{path}.control"),
                "control-flow taint sources (`control: true`) are not supported",
            ));
        }
        let label_name = match item.get("label") {
            None => DEFAULT_LABEL.to_owned(),
            Some(l) => label_name(l, &format!("{path}.label"))?,
        };
        sources.push(Source {
            formula: item_formula(item, &path)?,
            label: bit(&label_name).unwrap_or(0),
            requires: requires(item, &path)?,
            side_effect: side_effect(item, &path)?,
            exact: flag(item, &path, "exact", false)?,
        });
    }
    let mut sinks = Vec::new();
    for (i, item) in sink_items.iter().enumerate() {
        let path = format!("pattern-sinks[{i}]");
        check_keys(item, &path, &["requires", "exact", "at-exit"])?;
        if flag(item, &path, "at-exit", false)? {
            return Err(KeyError::new(
                format!("{path}.at-exit"),
                "`at-exit: true` sinks are not supported",
            ));
        }
        sinks.push(Sink {
            formula: item_formula(item, &path)?,
            requires: requires(item, &path)?,
            exact: flag(item, &path, "exact", false)?,
        });
    }
    let mut sanitizers = Vec::new();
    for (i, item) in items("pattern-sanitizers")?.iter().enumerate() {
        let path = format!("pattern-sanitizers[{i}]");
        check_keys(item, &path, &["by-side-effect", "exact", "not-conflicting"])?;
        let formula = item_formula(item, &path)?;
        let exact = flag(item, &path, "exact", false)?;
        sanitizers.push(Sanitizer {
            key: format!("{formula:?}|{exact}").replace(&path, "_"),
            formula,
            side_effect: side_effect(item, &path)?,
            exact,
            not_conflicting: flag(item, &path, "not-conflicting", false)?,
        });
    }
    let mut propagators = Vec::new();
    for (i, item) in items("pattern-propagators")?.iter().enumerate() {
        let path = format!("pattern-propagators[{i}]");
        check_keys(
            item,
            &path,
            &["from", "to", "by-side-effect", "label", "requires"],
        )?;
        let mv = |k: &str| -> Result<String, KeyError> {
            let key = format!("{path}.{k}");
            let v = item
                .get(k)
                .ok_or_else(|| KeyError::new(&key, format!("a propagator needs `{k}`")))?;
            let s = v
                .as_str()
                .ok_or_else(|| KeyError::new(&key, "expected a metavariable"))?;
            if !crate::pattern::is_metavar_name(s) {
                return Err(KeyError::new(
                    key,
                    format!("'{s}' is not a metavariable (expected $NAME in capitals)"),
                ));
            }
            Ok(s.to_owned())
        };
        let label = match item.get("label") {
            None => None,
            Some(l) => bit(&label_name(l, &format!("{path}.label"))?),
        };
        propagators.push(Propagator {
            formula: item_formula(item, &path)?,
            from: mv("from")?,
            to: mv("to")?,
            by_side_effect: flag(item, &path, "by-side-effect", true)?,
            label,
            requires: requires(item, &path)?,
        });
    }
    let source_key = format!("{sources:?}|{labels:?}");
    Ok(TaintSpec {
        sources,
        sinks,
        sanitizers,
        propagators,
        labels,
        options,
        source_key,
    })
}

fn label_name(v: &Yaml, key: &str) -> Result<String, KeyError> {
    let s = v
        .as_str()
        .ok_or_else(|| KeyError::new(key, "expected a label name"))?;
    if !is_label(s) {
        return Err(KeyError::new(
            key,
            format!("'{s}' is not a label name (letters, digits and _)"),
        ));
    }
    Ok(s.to_owned())
}

fn is_label(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Refuses keys that are neither a formula key nor one of `extra`.
fn check_keys(item: &Yaml, path: &str, extra: &[&str]) -> Result<(), KeyError> {
    let map = item.as_map().ok_or_else(|| {
        KeyError::new(
            path,
            format!("expected a mapping, found {}", item.type_name()),
        )
    })?;
    for (k, _) in map {
        if FORMULA_KEYS.contains(&k.as_str()) || extra.contains(&k.as_str()) {
            continue;
        }
        let why = match k.as_str() {
            "replace-labels" => "`replace-labels` is not supported".to_owned(),
            "focus-metavariable"
            | "pattern-not"
            | "pattern-not-inside"
            | "metavariable-regex"
            | "metavariable-pattern"
            | "metavariable-comparison" => {
                format!("`{k}` is only allowed inside `patterns`")
            }
            _ => format!(
                "unknown key `{k}` (expected a pattern operator or one of {})",
                extra.join(", ")
            ),
        };
        return Err(KeyError::new(format!("{path}.{k}"), why));
    }
    Ok(())
}

/// The single formula of a source/sink/sanitizer/propagator entry.
fn item_formula(item: &Yaml, path: &str) -> Result<Formula<PatternSrc>, KeyError> {
    let present: Vec<&str> = FORMULA_KEYS
        .iter()
        .copied()
        .filter(|k| item.get(k).is_some())
        .collect();
    match present.as_slice() {
        [] => Err(KeyError::new(
            path,
            "the entry needs one of pattern, patterns, pattern-either or pattern-regex",
        )),
        [key] => {
            let value = item.get(key).unwrap_or(&Yaml::Null);
            let sub = format!("{path}.{key}");
            let f = parse_term(key, value, &sub)?;
            if let Formula::And(conj) = &f
                && conj.pos.is_empty()
            {
                return Err(KeyError::new(
                    sub,
                    "`patterns` needs at least one positive term",
                ));
            }
            Ok(f)
        }
        many => Err(KeyError::new(
            format!("{path}.{}", many[1]),
            format!("only one of {} may be given", many.join(", ")),
        )),
    }
}

fn flag(item: &Yaml, path: &str, key: &str, default: bool) -> Result<bool, KeyError> {
    match item.get(key) {
        None => Ok(default),
        Some(Yaml::Bool(b)) => Ok(*b),
        Some(other) => Err(KeyError::new(
            format!("{path}.{key}"),
            format!("expected true or false, found {}", other.type_name()),
        )),
    }
}

fn side_effect(item: &Yaml, path: &str) -> Result<SideEffect, KeyError> {
    match item.get("by-side-effect") {
        None | Some(Yaml::Bool(false)) => Ok(SideEffect::No),
        Some(Yaml::Bool(true)) => Ok(SideEffect::Yes),
        Some(Yaml::Str(s)) if s == "only" => Ok(SideEffect::Only),
        Some(_) => Err(KeyError::new(
            format!("{path}.by-side-effect"),
            "expected true, false or only",
        )),
    }
}

/// Parses `A and not (B or C)`; names must be declared labels.
fn parse_label_expr(text: &str, bit: &dyn Fn(&str) -> Option<u8>) -> Result<LabelExpr, String> {
    let mut toks: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c == '(' || c == ')' || c.is_whitespace() {
            if !cur.is_empty() {
                toks.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                toks.push(c.to_string());
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        toks.push(cur);
    }
    let mut pos = 0;
    let e = parse_or(&toks, &mut pos, bit)?;
    if pos != toks.len() {
        return Err(format!(
            "unexpected `{}` in the label expression",
            toks[pos]
        ));
    }
    Ok(e)
}

type Bit<'a> = &'a dyn Fn(&str) -> Option<u8>;

fn parse_or(t: &[String], pos: &mut usize, bit: Bit<'_>) -> Result<LabelExpr, String> {
    let mut left = parse_and(t, pos, bit)?;
    while t.get(*pos).is_some_and(|s| s == "or") {
        *pos += 1;
        let right = parse_and(t, pos, bit)?;
        left = LabelExpr::Or(Box::new(left), Box::new(right));
    }
    Ok(left)
}

fn parse_and(t: &[String], pos: &mut usize, bit: Bit<'_>) -> Result<LabelExpr, String> {
    let mut left = parse_not(t, pos, bit)?;
    while t.get(*pos).is_some_and(|s| s == "and") {
        *pos += 1;
        let right = parse_not(t, pos, bit)?;
        left = LabelExpr::And(Box::new(left), Box::new(right));
    }
    Ok(left)
}

fn parse_not(t: &[String], pos: &mut usize, bit: Bit<'_>) -> Result<LabelExpr, String> {
    match t.get(*pos).map(String::as_str) {
        Some("not") => {
            *pos += 1;
            Ok(LabelExpr::Not(Box::new(parse_not(t, pos, bit)?)))
        }
        Some("(") => {
            *pos += 1;
            let e = parse_or(t, pos, bit)?;
            if t.get(*pos).map(String::as_str) != Some(")") {
                return Err("missing `)` in the label expression".into());
            }
            *pos += 1;
            Ok(e)
        }
        Some(name) if is_label(name) && !matches!(name, "and" | "or") => {
            *pos += 1;
            bit(name).map(LabelExpr::Label).ok_or_else(|| {
                format!("label `{name}` is not declared by any source or propagator")
            })
        }
        Some(other) => Err(format!("unexpected `{other}` in the label expression")),
        None => Err("the label expression is incomplete".into()),
    }
}

impl TaintSpec<PatternSrc> {
    /// Compiles every pattern for `lang`.
    pub fn compile(&self, lang: Language) -> Result<TaintSpec<Pattern>, KeyError> {
        Ok(TaintSpec {
            sources: self
                .sources
                .iter()
                .map(|s| {
                    Ok(Source {
                        formula: s.formula.compile(lang)?,
                        label: s.label,
                        requires: s.requires.clone(),
                        side_effect: s.side_effect,
                        exact: s.exact,
                    })
                })
                .collect::<Result<_, KeyError>>()?,
            sinks: self
                .sinks
                .iter()
                .map(|s| {
                    Ok(Sink {
                        formula: s.formula.compile(lang)?,
                        requires: s.requires.clone(),
                        exact: s.exact,
                    })
                })
                .collect::<Result<_, KeyError>>()?,
            sanitizers: self
                .sanitizers
                .iter()
                .map(|s| {
                    Ok(Sanitizer {
                        formula: s.formula.compile(lang)?,
                        side_effect: s.side_effect,
                        exact: s.exact,
                        key: s.key.clone(),
                        not_conflicting: s.not_conflicting,
                    })
                })
                .collect::<Result<_, KeyError>>()?,
            propagators: self
                .propagators
                .iter()
                .map(|p| {
                    Ok(Propagator {
                        formula: p.formula.compile(lang)?,
                        from: p.from.clone(),
                        to: p.to.clone(),
                        by_side_effect: p.by_side_effect,
                        label: p.label,
                        requires: p.requires.clone(),
                    })
                })
                .collect::<Result<_, KeyError>>()?,
            labels: self.labels.clone(),
            options: self.options,
            source_key: self.source_key.clone(),
        })
    }

    /// Whether every pattern is a regex (such a rule cannot run on a syntax tree).
    pub fn is_regex_only(&self) -> bool {
        self.sources.iter().all(|s| s.formula.is_regex_only())
            && self.sinks.iter().all(|s| s.formula.is_regex_only())
    }
}

impl TaintSpec<Pattern> {
    /// A file can only produce a finding if it may hold some source and some sink.
    pub fn needs(&self) -> Need {
        let any = |fs: Vec<Need>| Need::Any(fs).simplify();
        Need::All(vec![
            any(self.sources.iter().map(|s| s.formula.needs()).collect()),
            any(self.sinks.iter().map(|s| s.formula.needs()).collect()),
        ])
        .simplify()
    }
}
