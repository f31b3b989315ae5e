//! Evaluating a compiled formula on one file, with Semgrep's semantics: patterns give ranges with
//! metavariable bindings; `patterns` intersects the positive terms' ranges (merging bindings),
//! removes the negative terms' ranges, filters by the metavariable conditions, then focuses.

use super::compare::{Value, parse_int};
use super::formula::{Cond, Conj, Formula, NegKind, NestedLang, RegexPattern};
use crate::ast::Kind;
use crate::deadline::Deadline;
use crate::lang::{Language, lower_file};
use crate::matcher::{Binding, Env, Matcher, Target};
use crate::pattern::Pattern;

/// How a range was produced; it decides how `patterns` combines it (see [`NegKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RangeKind {
    Plain,
    Inside,
    Regexp,
}

/// A matched byte range with its bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ranged<'r> {
    pub start: u32,
    pub end: u32,
    pub env: Env<'r>,
    pub kind: RangeKind,
}

/// Where a (nested) formula is evaluated: optionally only inside a range, starting from
/// bindings already made.
pub(crate) struct Scope<'r> {
    pub within: Option<(u32, u32)>,
    pub init: Env<'r>,
}

impl Scope<'_> {
    pub fn file() -> Scope<'static> {
        Scope {
            within: None,
            init: Env::default(),
        }
    }
}

/// Bound on the ranges one operator keeps, against pathological rules.
const MAX_RANGES: usize = 20_000;

pub(crate) struct Evaluator<'a> {
    pub tgt: &'a Target<'a>,
    pub deadline: &'a Deadline,
    /// The language the file was lowered as (for nested `metavariable-pattern`).
    pub lang: Language,
    pub max_nodes: usize,
}

impl<'a> Evaluator<'a> {
    pub fn eval<'r>(&self, f: &'r Formula<Pattern>, scope: &Scope<'r>) -> Vec<Ranged<'r>> {
        if self.deadline.expired() {
            return Vec::new();
        }
        match f {
            Formula::Pattern(p) => self.pattern(p, scope),
            Formula::Regex(re) => self.regex(re, scope),
            Formula::Or(xs) => {
                let mut out = Vec::new();
                for x in xs {
                    out.extend(self.eval(x, scope));
                }
                dedup(&mut out);
                out
            }
            Formula::Inside(x) => {
                let mut out = self.eval(x, scope);
                for r in &mut out {
                    r.kind = RangeKind::Inside;
                }
                out
            }
            Formula::And(conj) => self.and(conj, scope),
        }
    }

    fn pattern<'r>(&self, p: &'r Pattern, scope: &Scope<'r>) -> Vec<Ranged<'r>> {
        let m = Matcher {
            pat: p,
            tgt: self.tgt,
            deadline: self.deadline,
        };
        let mut out: Vec<Ranged<'r>> = m
            .find(scope.within, &scope.init)
            .into_iter()
            .map(|m| Ranged {
                start: m.start,
                end: m.end,
                env: m.env,
                kind: RangeKind::Plain,
            })
            .collect();
        dedup(&mut out);
        out
    }

    fn regex<'r>(&self, re: &'r RegexPattern, scope: &Scope<'r>) -> Vec<Ranged<'r>> {
        let src = self.tgt.src;
        let (lo, hi) = scope.within.map_or((0, src.len()), |(s, e)| {
            (s as usize, (e as usize).min(src.len()))
        });
        let Some(hay) = src.get(lo..hi) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for caps in re.re.captures_iter(hay) {
            if out.len() >= MAX_RANGES || self.deadline.tick() {
                break;
            }
            let Some(whole) = caps.get(0) else { continue };
            let mut envs = vec![scope.init.clone()];
            for (i, name) in &re.groups {
                if let Some(g) = caps.get(*i) {
                    let b = Binding::Span(to_u32(lo + g.start()), to_u32(lo + g.end()));
                    envs = envs
                        .into_iter()
                        .filter_map(|e| self.bind(e, name, b))
                        .collect();
                }
            }
            for env in envs {
                out.push(Ranged {
                    start: to_u32(lo + whole.start()),
                    end: to_u32(lo + whole.end()),
                    env,
                    kind: RangeKind::Regexp,
                });
            }
        }
        out
    }

    /// Adds a binding, or checks it agrees with an existing one.
    fn bind<'r>(&self, mut env: Env<'r>, name: &'r str, b: Binding) -> Option<Env<'r>> {
        match env.get(name) {
            Some(old) => self.tgt.same(old, b).then_some(env),
            None => {
                env.binds.push((name, b));
                Some(env)
            }
        }
    }

    fn and<'r>(&self, conj: &'r Conj<Pattern>, scope: &Scope<'r>) -> Vec<Ranged<'r>> {
        // A bare `$X` among other positive terms only selects inside their ranges: evaluating
        // it alone would match every node of the file.
        let is_selector = |f: &Formula<Pattern>| {
            matches!(f, Formula::Pattern(p)
                if p.single().is_some_and(|r| p.ast.kind(r) == Kind::Metavar))
        };
        let (selectors, others): (Vec<&Formula<Pattern>>, Vec<&Formula<Pattern>>) = conj
            .pos
            .iter()
            .partition(|f| is_selector(f) && conj.pos.len() > 1);
        let mut plain = Vec::new();
        let mut inside = Vec::new();
        for f in &others {
            let rs = self.eval(f, scope);
            if matches!(f, Formula::Inside(_)) {
                inside.push(rs);
            } else {
                plain.push(rs);
            }
        }
        plain.extend(inside);
        let mut lists = plain.into_iter();
        let mut ranges = match lists.next() {
            Some(first) => first,
            None => match (scope.within, selectors.is_empty()) {
                // Only negations and conditions (inside metavariable-pattern): the scope itself.
                (Some((s, e)), true) => vec![Ranged {
                    start: s,
                    end: e,
                    env: scope.init.clone(),
                    kind: RangeKind::Plain,
                }],
                _ => Vec::new(),
            },
        };
        for next in lists {
            ranges = self.intersect(&ranges, &next);
        }
        for sel in selectors {
            let Formula::Pattern(p) = sel else { continue };
            let mut selected = Vec::new();
            for r in &ranges {
                let inner = Scope {
                    within: Some((r.start, r.end)),
                    init: r.env.clone(),
                };
                selected.extend(self.pattern(p, &inner));
                if selected.len() >= MAX_RANGES {
                    break;
                }
            }
            dedup(&mut selected);
            ranges = selected;
        }
        for (kind, f) in &conj.neg {
            if ranges.is_empty() {
                break;
            }
            let negs = self.eval(f, scope);
            ranges.retain(|x| {
                !negs.iter().any(|y| match kind {
                    NegKind::Inside => self.included_in(x, y),
                    NegKind::Regexp => self.included_in(x, y) || self.included_in(y, x),
                    NegKind::Plain => self.included_in(x, y) && self.included_in(y, x),
                })
            });
        }
        for cond in &conj.conds {
            ranges = ranges
                .into_iter()
                .filter_map(|r| self.condition(cond, r))
                .collect();
        }
        if !conj.focus.is_empty() {
            ranges = self.focus(&conj.focus, ranges);
        }
        dedup(&mut ranges);
        ranges
    }

    /// `x` lies within `y` and their shared metavariables agree.
    fn included_in(&self, x: &Ranged<'_>, y: &Ranged<'_>) -> bool {
        x.start >= y.start
            && x.end <= y.end
            && x.env.binds.iter().all(|(name, bx)| match y.env.get(name) {
                None => true,
                // `$1`-style regex groups are implicit; never let them veto a match.
                Some(_) if name[1..].chars().all(|c| c.is_ascii_digit()) => true,
                Some(by) => self.tgt.same(*bx, by),
            })
    }

    /// Semgrep's intersection: ranges of either side lying within a range of the other, with
    /// the other side's extra bindings merged in.
    fn intersect<'r>(&self, xs: &[Ranged<'r>], ys: &[Ranged<'r>]) -> Vec<Ranged<'r>> {
        let mut out = Vec::new();
        let merge = |u: &Ranged<'r>, v: &Ranged<'r>, out: &mut Vec<Ranged<'r>>| {
            // A `pattern-inside` range only survives inside another `pattern-inside` range.
            let inside_ok = u.kind != RangeKind::Inside || v.kind == RangeKind::Inside;
            if inside_ok && self.included_in(u, v) {
                let mut r = u.clone();
                for (name, b) in &v.env.binds {
                    if r.env.get(name).is_none() {
                        r.env.binds.push((name, *b));
                    }
                }
                out.push(r);
            }
        };
        for u in xs {
            if self.deadline.tick() || out.len() >= MAX_RANGES {
                break;
            }
            for v in ys {
                merge(u, v, &mut out);
            }
        }
        for u in xs {
            if self.deadline.tick() || out.len() >= MAX_RANGES {
                break;
            }
            for v in ys {
                merge(v, u, &mut out);
            }
        }
        dedup(&mut out);
        out
    }

    fn condition<'r>(&self, cond: &'r Cond<Pattern>, r: Ranged<'r>) -> Option<Ranged<'r>> {
        match cond {
            Cond::Regex { mv, re } => {
                let b = r.env.get(mv)?;
                let (s, e) = self.tgt.span(b);
                let text = self
                    .tgt
                    .src
                    .get(s as usize..(e as usize).min(self.tgt.src.len()))?;
                let caps = re.re.captures(text)?;
                let mut env = r.env;
                // Named groups become metavariables; numbered ones are left out so two
                // conditions' `$1` cannot contradict each other.
                for (i, name) in &re.groups {
                    if name[1..].chars().all(|c| c.is_ascii_digit()) {
                        continue;
                    }
                    if let Some(g) = caps.get(*i) {
                        let gb = Binding::Span(s + to_u32(g.start()), s + to_u32(g.end()));
                        env = self.bind(env, name, gb)?;
                    }
                }
                Some(Ranged { env, ..r })
            }
            Cond::Compare {
                mv,
                expr,
                strip,
                base,
            } => {
                let lookup = |name: &str| -> Option<Value> {
                    let b = r.env.get(name)?;
                    let this = mv.as_deref() == Some(name);
                    Some(self.value(b, this && *strip, if this { *base } else { None }))
                };
                let v = expr.eval(&lookup)?;
                matches!(v, Value::Bool(true)).then_some(r)
            }
            Cond::Pattern { mv, lang, formula } => {
                let b = r.env.get(mv)?;
                match lang {
                    NestedLang::Same => {
                        let (s, e) = self.tgt.span(b);
                        let scope = Scope {
                            within: Some((s, e)),
                            init: r.env.clone(),
                        };
                        let found = self.eval(formula, &scope);
                        let first = found.into_iter().next()?;
                        let mut out = r;
                        for (name, b) in first.env.binds {
                            if out.env.get(name).is_none() {
                                out.env.binds.push((name, b));
                            }
                        }
                        Some(out)
                    }
                    NestedLang::Other(l) => self.nested_other(*l, formula, b, r),
                    NestedLang::Regex => self.nested_other(self.lang, formula, b, r),
                }
            }
        }
    }

    /// `metavariable-pattern` on the bound text parsed as another language (for a string
    /// literal, its content).
    fn nested_other<'r>(
        &self,
        lang: Language,
        formula: &'r Formula<Pattern>,
        b: Binding,
        r: Ranged<'r>,
    ) -> Option<Ranged<'r>> {
        let (s, e) = self.content_span(b);
        let content = self.tgt.src.get(s as usize..e as usize)?;
        let ast = lower_file(lang, content, self.deadline, self.max_nodes).ok()?;
        let sub = Target {
            ast: &ast,
            src: content,
        };
        let ev = Evaluator {
            tgt: &sub,
            deadline: self.deadline,
            lang,
            max_nodes: self.max_nodes,
        };
        let found = ev.eval(formula, &Scope::file());
        let first = found.into_iter().next()?;
        let mut out = r;
        for (name, nb) in first.env.binds {
            if out.env.get(name).is_none() {
                let (ns, ne) = sub.span(nb);
                out.env.binds.push((name, Binding::Span(s + ns, s + ne)));
            }
        }
        Some(out)
    }

    /// The span of a binding's content: inside the quotes for a string literal.
    fn content_span(&self, b: Binding) -> (u32, u32) {
        match b {
            Binding::Node(n) if self.tgt.ast.kind(n) == Kind::Str => self.tgt.str_content(n),
            other => self.tgt.span(other),
        }
    }

    /// A metavariable's value for `metavariable-comparison`.
    fn value(&self, b: Binding, strip: bool, base: Option<u32>) -> Value {
        if let Binding::Node(n) = b {
            let ast = self.tgt.ast;
            match ast.kind(n) {
                Kind::Num => {
                    let t = ast.text(n);
                    if let Some(i) = parse_int(t, base) {
                        return Value::Int(i);
                    }
                    if let Ok(f) = t
                        .trim_end_matches(['f', 'F', 'd', 'D'])
                        .replace('_', "")
                        .parse()
                    {
                        return Value::Float(f);
                    }
                }
                Kind::Bool => return Value::Bool(ast.text(n).eq_ignore_ascii_case("true")),
                Kind::Str if !strip && base.is_none() => return Value::Str(ast.text(n).to_owned()),
                Kind::Str => {
                    let t = ast.text(n);
                    return parse_int(t, base).map_or_else(|| Value::Str(t.to_owned()), Value::Int);
                }
                _ => {}
            }
        }
        let text = self.tgt.text(b);
        let t = if strip {
            text.trim_matches(['"', '\'', '`'])
        } else {
            text.as_str()
        };
        if let Some(i) = parse_int(t, base) {
            return Value::Int(i);
        }
        if let Ok(f) = t.trim().parse::<f64>() {
            return Value::Float(f);
        }
        Value::Str(t.to_owned())
    }

    /// `focus-metavariable`: each range becomes the range(s) of the focused metavariable(s).
    fn focus<'r>(&self, focus: &[Vec<String>], ranges: Vec<Ranged<'r>>) -> Vec<Ranged<'r>> {
        let narrow = |r: &Ranged<'r>, fs: u32, fe: u32| -> Option<(u32, u32)> {
            if fs >= r.start && fe <= r.end {
                Some((fs, fe))
            } else if r.start >= fs && r.end <= fe {
                Some((r.start, r.end))
            } else {
                None
            }
        };
        let mut out = Vec::new();
        for r in ranges {
            // Each focus entry gives candidate spans; several entries must agree.
            let mut spans: Option<Vec<(u32, u32)>> = None;
            for entry in focus {
                let here: Vec<(u32, u32)> = entry
                    .iter()
                    .filter_map(|mv| r.env.get(mv))
                    .filter_map(|b| {
                        let (s, e) = self.tgt.span(b);
                        narrow(&r, s, e)
                    })
                    .collect();
                spans = Some(match spans {
                    None => here,
                    Some(prev) => prev
                        .into_iter()
                        .flat_map(|(a, b)| {
                            here.iter()
                                .filter_map(move |&(c, d)| {
                                    if c >= a && d <= b {
                                        Some((c, d))
                                    } else if a >= c && b <= d {
                                        Some((a, b))
                                    } else {
                                        None
                                    }
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect(),
                });
            }
            for (s, e) in spans.unwrap_or_default() {
                out.push(Ranged {
                    start: s,
                    end: e,
                    env: r.env.clone(),
                    kind: r.kind,
                });
            }
        }
        out
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Removes exact duplicates, keeping the first of each, and bounds the list.
fn dedup(ranges: &mut Vec<Ranged<'_>>) {
    let mut seen = std::collections::HashSet::with_capacity(ranges.len());
    ranges.retain(|r| seen.insert((r.start, r.end, r.kind, r.env.clone())));
    ranges.truncate(MAX_RANGES);
}
