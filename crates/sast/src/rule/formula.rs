//! A rule's pattern formula: `pattern`, `patterns`, `pattern-either`, `pattern-regex` and
//! everything that nests under them, read from YAML and compiled per language.

use regex::bytes::{Regex, RegexBuilder};

use super::compare::Expr;
use crate::lang::Language;
use crate::pattern::Pattern;
use crate::yaml::Yaml;

/// A problem with one key of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyError {
    pub key: String,
    pub message: String,
}

impl KeyError {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> KeyError {
        KeyError {
            key: key.into(),
            message: message.into(),
        }
    }
}

/// A pattern as written, with the key it was written under (for error messages).
#[derive(Debug, Clone)]
pub(crate) struct PatternSrc {
    pub key: String,
    pub text: String,
}

/// A formula over patterns of type `P` (source text before compiling, [`Pattern`] after).
#[derive(Debug)]
pub(crate) enum Formula<P> {
    Pattern(P),
    Regex(RegexPattern),
    /// `pattern-either`
    Or(Vec<Formula<P>>),
    /// `pattern-inside`
    Inside(Box<Formula<P>>),
    /// `patterns`
    And(Box<Conj<P>>),
}

/// The terms of a `patterns` list, sorted by role.
#[derive(Debug)]
pub(crate) struct Conj<P> {
    pub pos: Vec<Formula<P>>,
    pub neg: Vec<(NegKind, Formula<P>)>,
    pub conds: Vec<Cond<P>>,
    /// `focus-metavariable` entries; each lists one or more metavariables.
    pub focus: Vec<Vec<String>>,
}

/// How a negative term removes ranges (Semgrep's rules, which differ by operator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NegKind {
    /// `pattern-not`: removes equal ranges.
    Plain,
    /// `pattern-not-inside`: removes ranges inside.
    Inside,
    /// `pattern-not-regex`: removes overlapping ranges either way.
    Regexp,
}

/// A metavariable condition.
#[derive(Debug)]
pub(crate) enum Cond<P> {
    Regex {
        mv: String,
        re: RegexPattern,
    },
    Pattern {
        mv: String,
        lang: NestedLang,
        formula: Formula<P>,
    },
    Compare {
        mv: Option<String>,
        expr: Expr,
        strip: bool,
        base: Option<u32>,
    },
}

/// The language a `metavariable-pattern` matches in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NestedLang {
    /// The rule's language, on the bound code itself.
    Same,
    /// Another language, on the bound text (a string literal's content).
    Other(Language),
    /// `language: regex`: only `pattern-regex` terms, on the bound text.
    Regex,
}

/// A compiled regex and the metavariables its capture groups bind (`$1`, `$NAME`).
#[derive(Debug, Clone)]
pub(crate) struct RegexPattern {
    pub re: Regex,
    pub groups: Vec<(usize, String)>,
}

impl RegexPattern {
    /// A regex for `pattern-regex` (multi-line, like Semgrep's PCRE flags) or, `anchored`, for
    /// `metavariable-regex` (which matches at the start, like Python's `re.match`).
    pub fn new(src: &str, anchored: bool, key: &str) -> Result<RegexPattern, KeyError> {
        let text = if anchored {
            format!(r"\A(?:{src})")
        } else {
            src.to_owned()
        };
        let re = RegexBuilder::new(&text)
            .multi_line(!anchored)
            .size_limit(1 << 22)
            .dfa_size_limit(1 << 22)
            .build()
            .map_err(|e| {
                let why = e.to_string();
                let hint = if why.contains("look-around") || why.contains("backreference") {
                    " (look-around and backreferences are not supported: the regex engine \
                     guarantees linear time)"
                } else {
                    ""
                };
                KeyError::new(
                    key,
                    format!(
                        "invalid regex: {}{hint}",
                        why.lines().last().unwrap_or("").trim()
                    ),
                )
            })?;
        let groups = re
            .capture_names()
            .enumerate()
            .skip(1)
            .map(|(i, name)| {
                let mv = match name {
                    Some(n) => format!("${n}"),
                    None => format!("${i}"),
                };
                (i, mv)
            })
            .collect();
        Ok(RegexPattern { re, groups })
    }
}

/// Reads the rule's top-level formula key.
pub(crate) fn parse_rule_formula(rule: &Yaml) -> Result<Formula<PatternSrc>, KeyError> {
    const KEYS: [&str; 4] = ["pattern", "patterns", "pattern-either", "pattern-regex"];
    let present: Vec<&str> = KEYS
        .iter()
        .copied()
        .filter(|k| rule.get(k).is_some())
        .collect();
    match present.as_slice() {
        [] => Err(KeyError::new(
            "pattern",
            "the rule needs one of pattern, patterns, pattern-either or pattern-regex",
        )),
        [key] => {
            let value = rule.get(key).unwrap_or(&Yaml::Null);
            let f = parse_term(key, value, key)?;
            if let Formula::And(conj) = &f
                && conj.pos.is_empty()
            {
                return Err(KeyError::new(
                    *key,
                    "`patterns` needs at least one positive term (pattern, pattern-inside, \
                     pattern-either, pattern-regex or patterns)",
                ));
            }
            Ok(f)
        }
        many => Err(KeyError::new(
            many[1],
            format!("only one of {} may be given", many.join(", ")),
        )),
    }
}

fn string<'y>(value: &'y Yaml, key: &str) -> Result<&'y str, KeyError> {
    value.as_str().ok_or_else(|| {
        KeyError::new(
            key,
            format!("expected a string, found {}", value.type_name()),
        )
    })
}

fn seq<'y>(value: &'y Yaml, key: &str) -> Result<&'y [Yaml], KeyError> {
    value
        .as_seq()
        .ok_or_else(|| KeyError::new(key, format!("expected a list, found {}", value.type_name())))
}

/// An item of `patterns` / `pattern-either`: a mapping with one operator key.
fn single_key<'y>(item: &'y Yaml, path: &str) -> Result<(&'y str, &'y Yaml), KeyError> {
    match item.as_map() {
        Some([(k, v)]) => Ok((k.as_str(), v)),
        Some([]) => Err(KeyError::new(path, "empty entry")),
        Some(entries) => Err(KeyError::new(
            format!("{path}.{}", entries[1].0),
            format!(
                "each entry holds one operator; found {}",
                entries
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        None => Err(KeyError::new(
            path,
            format!("expected a mapping, found {}", item.type_name()),
        )),
    }
}

/// A positive term: `pattern`, `patterns`, `pattern-either`, `pattern-regex`, `pattern-inside`.
pub(crate) fn parse_term(
    key: &str,
    value: &Yaml,
    path: &str,
) -> Result<Formula<PatternSrc>, KeyError> {
    match key {
        "pattern" => Ok(Formula::Pattern(PatternSrc {
            key: path.to_owned(),
            text: string(value, path)?.to_owned(),
        })),
        "pattern-regex" => Ok(Formula::Regex(RegexPattern::new(
            string(value, path)?,
            false,
            path,
        )?)),
        "patterns" => Ok(Formula::And(Box::new(parse_patterns(value, path)?))),
        "pattern-either" => {
            let mut alts = Vec::new();
            for (i, item) in seq(value, path)?.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                let (k, v) = single_key(item, &item_path)?;
                let sub = format!("{item_path}.{k}");
                match k {
                    "pattern" | "pattern-regex" | "patterns" | "pattern-either"
                    | "pattern-inside" => {
                        alts.push(parse_term(k, v, &sub)?);
                    }
                    other => return Err(unsupported(other, &sub, "pattern-either")),
                }
            }
            if alts.is_empty() {
                return Err(KeyError::new(
                    path,
                    "`pattern-either` needs at least one entry",
                ));
            }
            Ok(Formula::Or(alts))
        }
        "pattern-inside" => Ok(Formula::Inside(Box::new(inside_body(value, path)?))),
        other => Err(unsupported(other, path, "the rule")),
    }
}

/// `pattern-inside` / `pattern-not-inside` take a pattern string or a nested formula.
fn inside_body(value: &Yaml, path: &str) -> Result<Formula<PatternSrc>, KeyError> {
    match value {
        Yaml::Str(s) => Ok(Formula::Pattern(PatternSrc {
            key: path.to_owned(),
            text: s.clone(),
        })),
        Yaml::Map(_) => {
            let (k, v) = single_key(value, path)?;
            parse_term(k, v, &format!("{path}.{k}"))
        }
        other => Err(KeyError::new(
            path,
            format!("expected a pattern, found {}", other.type_name()),
        )),
    }
}

fn parse_patterns(value: &Yaml, path: &str) -> Result<Conj<PatternSrc>, KeyError> {
    let mut conj = Conj {
        pos: Vec::new(),
        neg: Vec::new(),
        conds: Vec::new(),
        focus: Vec::new(),
    };
    for (i, item) in seq(value, path)?.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let (k, v) = single_key(item, &item_path)?;
        let sub = format!("{item_path}.{k}");
        match k {
            "pattern" | "pattern-regex" | "patterns" | "pattern-either" | "pattern-inside" => {
                conj.pos.push(parse_term(k, v, &sub)?);
            }
            "pattern-not" => {
                let f = inside_body(v, &sub)?;
                conj.neg.push((NegKind::Plain, f));
            }
            "pattern-not-inside" => conj.neg.push((NegKind::Inside, inside_body(v, &sub)?)),
            "pattern-not-regex" => conj.neg.push((
                NegKind::Regexp,
                Formula::Regex(RegexPattern::new(string(v, &sub)?, false, &sub)?),
            )),
            "metavariable-regex" => conj.conds.push(parse_mv_regex(v, &sub)?),
            "metavariable-pattern" => conj.conds.push(parse_mv_pattern(v, &sub)?),
            "metavariable-comparison" => conj.conds.push(parse_mv_comparison(v, &sub)?),
            "focus-metavariable" => {
                let names = v
                    .string_list()
                    .ok_or_else(|| KeyError::new(&sub, "expected a metavariable or a list"))?;
                for n in &names {
                    check_metavar(n, &sub)?;
                }
                conj.focus.push(names);
            }
            other => return Err(unsupported(other, &sub, "patterns")),
        }
    }
    Ok(conj)
}

/// The error for an operator we do not run, saying why.
fn unsupported(key: &str, path: &str, place: &str) -> KeyError {
    let why = match key {
        "metavariable-type" | "metavariable-name" | "metavariable-analysis" => {
            format!(
                "`{key}` is not supported (it needs type or value analysis the engine does not do)"
            )
        }
        "pattern-sources" | "pattern-sinks" | "pattern-sanitizers" | "pattern-propagators" => {
            format!("`{key}` belongs to taint mode, which is not supported yet")
        }
        "pattern-where-python" => {
            "`pattern-where-python` runs arbitrary Python and is refused".to_owned()
        }
        "metavariable-regex"
        | "metavariable-pattern"
        | "metavariable-comparison"
        | "focus-metavariable"
        | "pattern-not"
        | "pattern-not-inside"
        | "pattern-not-regex" => {
            format!("`{key}` is only allowed inside `patterns`")
        }
        _ => format!("unknown operator `{key}` in {place}"),
    };
    KeyError::new(path, why)
}

fn check_metavar(name: &str, key: &str) -> Result<(), KeyError> {
    if crate::pattern::is_metavar_name(name) {
        Ok(())
    } else {
        Err(KeyError::new(
            key,
            format!("'{name}' is not a metavariable (expected $NAME in capitals)"),
        ))
    }
}

/// Reads a condition's mapping, refusing unknown keys.
fn cond_map<'y>(
    value: &'y Yaml,
    path: &str,
    allowed: &[&str],
) -> Result<&'y [(String, Yaml)], KeyError> {
    let map = value.as_map().ok_or_else(|| {
        KeyError::new(
            path,
            format!("expected a mapping, found {}", value.type_name()),
        )
    })?;
    for (k, _) in map {
        if !allowed.contains(&k.as_str()) {
            return Err(KeyError::new(
                format!("{path}.{k}"),
                format!("unknown key `{k}` (expected one of {})", allowed.join(", ")),
            ));
        }
    }
    Ok(map)
}

fn required_metavar(value: &Yaml, path: &str) -> Result<String, KeyError> {
    let key = format!("{path}.metavariable");
    let mv = value
        .get("metavariable")
        .ok_or_else(|| KeyError::new(&key, "missing `metavariable`"))?;
    let mv = string(mv, &key)?.to_owned();
    check_metavar(&mv, &key)?;
    Ok(mv)
}

fn parse_mv_regex(value: &Yaml, path: &str) -> Result<Cond<PatternSrc>, KeyError> {
    cond_map(
        value,
        path,
        &["metavariable", "regex", "constant-propagation"],
    )?;
    let mv = required_metavar(value, path)?;
    let key = format!("{path}.regex");
    let re = value
        .get("regex")
        .ok_or_else(|| KeyError::new(&key, "missing `regex`"))?;
    let re = RegexPattern::new(string(re, &key)?, true, &key)?;
    Ok(Cond::Regex { mv, re })
}

fn parse_mv_pattern(value: &Yaml, path: &str) -> Result<Cond<PatternSrc>, KeyError> {
    let map = cond_map(
        value,
        path,
        &[
            "metavariable",
            "language",
            "pattern",
            "patterns",
            "pattern-either",
            "pattern-regex",
        ],
    )?;
    let mv = required_metavar(value, path)?;
    let lang = match value.get("language") {
        None => NestedLang::Same,
        Some(l) => {
            let key = format!("{path}.language");
            let name = string(l, &key)?;
            match name {
                "regex" | "none" => NestedLang::Regex,
                other => match Language::from_rule_name(other) {
                    Some(l) => NestedLang::Other(l),
                    None => {
                        return Err(KeyError::new(
                            key,
                            format!("language '{other}' is not supported in metavariable-pattern"),
                        ));
                    }
                },
            }
        }
    };
    let terms: Vec<&(String, Yaml)> = map
        .iter()
        .filter(|(k, _)| k.starts_with("pattern"))
        .collect();
    let formula = match terms.as_slice() {
        [(k, v)] => parse_term(k, v, &format!("{path}.{k}"))?,
        [] => {
            return Err(KeyError::new(
                path,
                "metavariable-pattern needs one of pattern, patterns, pattern-either, pattern-regex",
            ));
        }
        _ => {
            return Err(KeyError::new(
                path,
                "metavariable-pattern takes only one of pattern, patterns, pattern-either, pattern-regex",
            ));
        }
    };
    if lang == NestedLang::Regex && !formula.is_regex_only() {
        return Err(KeyError::new(
            format!("{path}.language"),
            "with `language: regex` only pattern-regex terms may be used",
        ));
    }
    Ok(Cond::Pattern { mv, lang, formula })
}

fn parse_mv_comparison(value: &Yaml, path: &str) -> Result<Cond<PatternSrc>, KeyError> {
    cond_map(
        value,
        path,
        &["metavariable", "comparison", "strip", "base"],
    )?;
    let mv = match value.get("metavariable") {
        Some(_) => Some(required_metavar(value, path)?),
        None => None,
    };
    let key = format!("{path}.comparison");
    let text = value
        .get("comparison")
        .ok_or_else(|| KeyError::new(&key, "missing `comparison`"))?;
    let text = string(text, &key)?;
    let expr = Expr::parse(text)
        .map_err(|e| KeyError::new(&key, format!("cannot read the comparison: {e}")))?;
    let strip = match value.get("strip") {
        None => false,
        Some(Yaml::Bool(b)) => *b,
        Some(other) => {
            return Err(KeyError::new(
                format!("{path}.strip"),
                format!("expected true or false, found {}", other.type_name()),
            ));
        }
    };
    let base = match value.get("base") {
        None => None,
        Some(Yaml::Int(b)) if (2..=36).contains(b) => u32::try_from(*b).ok(),
        Some(_) => {
            return Err(KeyError::new(
                format!("{path}.base"),
                "expected a number from 2 to 36",
            ));
        }
    };
    Ok(Cond::Compare {
        mv,
        expr,
        strip,
        base,
    })
}

impl<P> Formula<P> {
    /// True when the formula holds no code patterns (only regexes).
    pub fn is_regex_only(&self) -> bool {
        match self {
            Formula::Pattern(_) => false,
            Formula::Regex(_) => true,
            Formula::Or(xs) => xs.iter().all(Formula::is_regex_only),
            Formula::Inside(x) => x.is_regex_only(),
            Formula::And(c) => {
                c.pos.iter().all(Formula::is_regex_only)
                    && c.neg.iter().all(|(_, f)| f.is_regex_only())
                    && c.conds.iter().all(|cond| match cond {
                        Cond::Pattern { lang, formula, .. } => {
                            *lang != NestedLang::Same || formula.is_regex_only()
                        }
                        _ => true,
                    })
            }
        }
    }
}

impl Formula<PatternSrc> {
    /// Compiles every pattern for `lang`; the error names the pattern's key.
    pub fn compile(&self, lang: Language) -> Result<Formula<Pattern>, KeyError> {
        Ok(match self {
            Formula::Pattern(src) => {
                Formula::Pattern(Pattern::parse(&src.text, lang).map_err(|e| {
                    KeyError::new(
                        &src.key,
                        format!("cannot parse the pattern as {}: {e}", lang.name()),
                    )
                })?)
            }
            Formula::Regex(r) => Formula::Regex(r.clone()),
            Formula::Or(xs) => Formula::Or(
                xs.iter()
                    .map(|x| x.compile(lang))
                    .collect::<Result<_, _>>()?,
            ),
            Formula::Inside(x) => Formula::Inside(Box::new(x.compile(lang)?)),
            Formula::And(c) => Formula::And(Box::new(Conj {
                pos: c
                    .pos
                    .iter()
                    .map(|x| x.compile(lang))
                    .collect::<Result<_, _>>()?,
                neg: c
                    .neg
                    .iter()
                    .map(|(k, x)| Ok((*k, x.compile(lang)?)))
                    .collect::<Result<_, KeyError>>()?,
                conds: c
                    .conds
                    .iter()
                    .map(|cond| cond.compile(lang))
                    .collect::<Result<_, _>>()?,
                focus: c.focus.clone(),
            })),
        })
    }
}

impl Cond<PatternSrc> {
    fn compile(&self, lang: Language) -> Result<Cond<Pattern>, KeyError> {
        Ok(match self {
            Cond::Regex { mv, re } => Cond::Regex {
                mv: mv.clone(),
                re: re.clone(),
            },
            Cond::Pattern {
                mv,
                lang: nested,
                formula,
            } => Cond::Pattern {
                mv: mv.clone(),
                lang: *nested,
                formula: formula.compile(match nested {
                    NestedLang::Other(l) => *l,
                    NestedLang::Same | NestedLang::Regex => lang,
                })?,
            },
            Cond::Compare {
                mv,
                expr,
                strip,
                base,
            } => Cond::Compare {
                mv: mv.clone(),
                expr: expr.clone(),
                strip: *strip,
                base: *base,
            },
        })
    }
}

/// What a file must contain for a formula to possibly match: the prefilter's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Need {
    /// No constraint (regexes, bare metavariables).
    Nothing,
    /// This literal.
    Lit(String),
    All(Vec<Need>),
    Any(Vec<Need>),
}

impl Formula<Pattern> {
    pub fn needs(&self) -> Need {
        match self {
            Formula::Pattern(p) => {
                let lits = p.required_literals();
                Need::All(lits.into_iter().map(Need::Lit).collect()).simplify()
            }
            Formula::Regex(_) => Need::Nothing,
            Formula::Or(xs) => Need::Any(xs.iter().map(Formula::needs).collect()).simplify(),
            Formula::Inside(x) => x.needs(),
            Formula::And(c) => Need::All(c.pos.iter().map(Formula::needs).collect()).simplify(),
        }
    }
}

impl Need {
    pub(crate) fn simplify(self) -> Need {
        match self {
            Need::All(xs) => {
                let xs: Vec<Need> = xs
                    .into_iter()
                    .map(Need::simplify)
                    .filter(|x| *x != Need::Nothing)
                    .collect();
                match xs.len() {
                    0 => Need::Nothing,
                    1 => xs.into_iter().next().unwrap_or(Need::Nothing),
                    _ => Need::All(xs),
                }
            }
            Need::Any(xs) => {
                let xs: Vec<Need> = xs.into_iter().map(Need::simplify).collect();
                if xs.is_empty() || xs.contains(&Need::Nothing) {
                    Need::Nothing
                } else if xs.len() == 1 {
                    xs.into_iter().next().unwrap_or(Need::Nothing)
                } else {
                    Need::Any(xs)
                }
            }
            other => other,
        }
    }

    /// Every literal mentioned.
    pub fn literals(&self, out: &mut Vec<String>) {
        match self {
            Need::Nothing => {}
            Need::Lit(l) => out.push(l.clone()),
            Need::All(xs) | Need::Any(xs) => xs.iter().for_each(|x| x.literals(out)),
        }
    }

    /// Whether a file containing the literals for which `present` is true can match.
    pub fn satisfied(&self, present: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Need::Nothing => true,
            Need::Lit(l) => present(l),
            Need::All(xs) => xs.iter().all(|x| x.satisfied(present)),
            Need::Any(xs) => xs.iter().any(|x| x.satisfied(present)),
        }
    }
}
