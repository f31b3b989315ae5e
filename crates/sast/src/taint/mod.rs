//! Taint analysis for `mode: taint` rules, written once over the generic AST.
//!
//! For one file and one rule: the sources, sinks, sanitizers and propagators are matched like
//! search patterns, giving byte ranges; a control-flow graph is built for every function
//! ([`cfg`]); a forward dataflow to a fixpoint tracks which access paths (`x`, `x.attr`,
//! `x["k"]`) hold tainted values and with which labels ([`flow`]). Functions of the file are
//! summarised (which parameters reach the return value or a sink) and the summaries are used at
//! call sites, iterating a few rounds so helpers, methods of the same class, lambdas, closures
//! and bounded recursion are followed. Every finding carries the trace source → steps → sink.

mod cfg;
mod consts;
mod flow;
mod value;

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use crate::ast::{Ast, Kind, NodeId};
use crate::matcher::Env;
use crate::pattern::Pattern;
use crate::rule::eval::{Evaluator, Scope};
use crate::rule::formula::Formula;
use crate::rule::taint::TaintSpec;

pub(crate) use self::flow::Summary;

/// One step of a finding's trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub start: u32,
    pub end: u32,
    pub message: String,
}

/// A taint finding: the sink's range and bindings, and the trace that reached it.
#[derive(Debug, Clone)]
pub(crate) struct TaintHit<'r> {
    pub start: u32,
    pub end: u32,
    pub env: Env<'r>,
    pub trace: Vec<Step>,
}

/// Summary rounds: enough for helpers calling helpers a few levels deep; recursion stops here.
const MAX_ROUNDS: usize = 4;

/// A byte span of the file.
pub(crate) type Span = (u32, u32);

/// A multiplicative hash for spans: the maps below are probed for every node evaluated, where
/// SipHash's flooding resistance buys nothing (the keys come from the file's own structure).
#[derive(Default, Clone, Copy)]
pub(crate) struct SpanHasher(u64);

impl Hasher for SpanHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Maps and sets keyed by names or node ids, with the same fast hash.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<SpanHasher>>;
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<SpanHasher>>;

/// A map keyed by span.
pub(crate) type SpanMap<V> = HashMap<Span, V, BuildHasherDefault<SpanHasher>>;

/// A sink matched at a span: its index, bindings, and whether only a call's arguments count
/// there (a whole-call match that is not `exact`; else the expression's own value counts).
pub(crate) type SinkAt<'r> = (usize, Env<'r>, bool);

/// What of a summary decides whether another round is needed.
type SummaryKey = (String, u64, usize, Vec<(u8, u32, u32)>);

/// Where the rule's patterns matched in this file, keyed by byte span.
pub(crate) struct Matches<'r> {
    pub sources: Rc<SourceMatches>,
    /// Sink index, the match's bindings, and whether the match is a whole call (then only
    /// its arguments count, not the callee or the receiver).
    pub sinks: SpanMap<Vec<SinkAt<'r>>>,
    pub sanitizers: SpanMap<Vec<usize>>,
    /// Propagator index, the `from` span and the `to` span.
    pub propagators: SpanMap<Vec<(usize, Span, Span)>>,
    /// Spans whose taint must be remembered while an instruction is evaluated (propagators'
    /// `from`).
    pub watch: HashSet<Span, BuildHasherDefault<SpanHasher>>,
    /// Nodes by span, for finding the variable a side effect applies to.
    pub nodes_at: Rc<NodeIndex>,
}

/// Nodes by span: one sorted vector per file (no allocation per node).
pub(crate) struct NodeIndex(Vec<(Span, NodeId)>);

impl NodeIndex {
    fn build(ast: &Ast) -> NodeIndex {
        let mut v = Vec::new();
        ast.walk(ast.root(), |n| {
            let node = ast.node(n);
            v.push(((node.start, node.end), n));
            true
        });
        // Stable: nodes sharing a span stay outermost first.
        v.sort_by_key(|(span, _)| *span);
        NodeIndex(v)
    }

    /// The nodes with exactly this span, outermost first.
    pub fn get(&self, span: &Span) -> Option<impl Iterator<Item = NodeId> + '_> {
        let lo = self.0.partition_point(|(s, _)| s < span);
        let hi = self.0.partition_point(|(s, _)| s <= span);
        (lo < hi).then(|| self.0[lo..hi].iter().map(|(_, n)| *n))
    }

    pub fn contains_key(&self, span: &Span) -> bool {
        self.get(span).is_some()
    }
}

/// Where a rule's sources matched: by node span, and every range (for parameters inside one).
#[derive(Debug, Default)]
pub(crate) struct SourceMatches {
    pub by_span: SpanMap<Vec<usize>>,
    pub ranges: Vec<(u32, u32, usize)>,
}

/// Per-file work shared by every taint rule run on the file: the node index, the constant
/// facts, and source matches (rules of one language mostly share their sources).
#[derive(Default)]
pub(crate) struct FileCache {
    nodes_at: OnceCell<Rc<NodeIndex>>,
    facts: OnceCell<consts::FileFacts>,
    sources: RefCell<HashMap<String, Rc<SourceMatches>>>,
    sanitizers: RefCell<HashMap<String, Rc<Vec<Span>>>>,
    /// Control-flow graphs by function node: every rule walks the same graphs.
    pub(crate) cfgs: RefCell<HashMap<NodeId, Rc<cfg::Cfg>>>,
}

/// Runs one taint rule on one lowered file.
pub(crate) fn analyze<'r>(
    spec: &'r TaintSpec<Pattern>,
    ev: &Evaluator<'_>,
    cache: &FileCache,
) -> Vec<TaintHit<'r>> {
    let ast = ev.tgt.ast;
    let Some(m) = match_spec(spec, ev, cache) else {
        return Vec::new();
    };
    let facts = cache.facts.get_or_init(|| consts::FileFacts::collect(ast));
    let mut prev: HashMap<String, Summary> = HashMap::new();
    let mut prev_fields = flow::ClassFields::new();
    let mut hits = BTreeMap::new();
    for round in 0..MAX_ROUNDS {
        let mut an = flow::Analyzer::new(
            ast,
            ev.tgt.src,
            spec,
            &m,
            facts,
            ev.deadline,
            &prev,
            cache,
            &prev_fields,
        );
        an.run_program(ast.root());
        if ev.deadline.expired() {
            return Vec::new();
        }
        let (next, found, incomplete, next_fields) = an.finish();
        hits = found;
        // One round is enough when every call to a function of the file found its summary
        // (callees analysed before their callers) and no method stored a tainted field;
        // otherwise iterate to a fixpoint.
        let same = if round == 0 {
            !incomplete && next_fields.is_empty()
        } else {
            signature(&prev) == signature(&next)
                && field_signature(&prev_fields) == field_signature(&next_fields)
        };
        prev = next;
        prev_fields = next_fields;
        if same {
            break;
        }
    }
    hits.into_values().collect()
}

/// The labels stored in each class field.
fn field_signature(f: &flow::ClassFields) -> Vec<(String, String, u64)> {
    let mut out: Vec<_> = f
        .iter()
        .flat_map(|(c, fields)| {
            fields
                .iter()
                .map(move |(k, t)| (c.clone(), k.clone(), t.mask()))
        })
        .collect();
    out.sort();
    out
}

/// What decides whether another round can change anything.
fn signature(s: &HashMap<String, Summary>) -> Vec<SummaryKey> {
    let mut out: Vec<_> = s
        .iter()
        .map(|(k, v)| (k.clone(), v.ret.mask(), v.field_count(), v.sink_keys()))
        .collect();
    out.sort();
    out
}

/// The rule's matches in this file, or `None` when it has no source or no sink here.
fn match_spec<'r>(
    spec: &'r TaintSpec<Pattern>,
    ev: &Evaluator<'_>,
    cache: &FileCache,
) -> Option<Matches<'r>> {
    let ast = ev.tgt.ast;
    let scope = Scope::file();
    let nodes_at = Rc::clone(
        cache
            .nodes_at
            .get_or_init(|| Rc::new(NodeIndex::build(ast))),
    );
    let cached = cache.sources.borrow().get(&spec.source_key).cloned();
    let sources = match cached {
        Some(s) => s,
        None => {
            let mut sm = SourceMatches::default();
            for (i, s) in spec.sources.iter().enumerate() {
                for r in ev.eval(&s.formula, &scope) {
                    sm.ranges.push((r.start, r.end, i));
                    for span in spans_for(ast, &nodes_at, (r.start, r.end), s.exact) {
                        sm.by_span.entry(span).or_default().push(i);
                    }
                }
            }
            let sm = Rc::new(sm);
            cache
                .sources
                .borrow_mut()
                .insert(spec.source_key.clone(), Rc::clone(&sm));
            sm
        }
    };
    if sources.ranges.is_empty() {
        return None;
    }
    let mut m = Matches {
        sources,
        sinks: SpanMap::default(),
        sanitizers: SpanMap::default(),
        propagators: SpanMap::default(),
        watch: HashSet::default(),
        nodes_at,
    };
    for (i, s) in spec.sinks.iter().enumerate() {
        let whole = !has_focus(&s.formula);
        for r in ev.eval(&s.formula, &scope) {
            for span in spans_for(ast, &m.nodes_at, (r.start, r.end), s.exact) {
                let e = m.sinks.entry(span).or_default();
                if !e.iter().any(|(j, _, _)| *j == i) {
                    e.push((i, r.env.clone(), whole && !s.exact));
                }
            }
        }
    }
    if m.sinks.is_empty() {
        return None;
    }
    for (i, s) in spec.sanitizers.iter().enumerate() {
        let cached = cache.sanitizers.borrow().get(&s.key).cloned();
        let spans = match cached {
            Some(spans) => spans,
            None => {
                let mut spans = Vec::new();
                for r in ev.eval(&s.formula, &scope) {
                    spans.extend(spans_for(ast, &m.nodes_at, (r.start, r.end), s.exact));
                }
                let spans = Rc::new(spans);
                cache
                    .sanitizers
                    .borrow_mut()
                    .insert(s.key.clone(), Rc::clone(&spans));
                spans
            }
        };
        for &span in spans.iter() {
            if s.not_conflicting
                && (m.sources.by_span.contains_key(&span) || m.sinks.contains_key(&span))
            {
                continue;
            }
            let e = m.sanitizers.entry(span).or_default();
            if !e.contains(&i) {
                e.push(i);
            }
        }
    }
    for (i, p) in spec.propagators.iter().enumerate() {
        for r in ev.eval(&p.formula, &scope) {
            let (Some(from), Some(to)) = (r.env.get(&p.from), r.env.get(&p.to)) else {
                continue;
            };
            let (from, to) = (ev.tgt.span(from), ev.tgt.span(to));
            m.watch.insert(from);
            m.propagators
                .entry((r.start, r.end))
                .or_default()
                .push((i, from, to));
        }
    }
    Some(m)
}

/// Whether a formula narrows its matches to a metavariable (`focus-metavariable`).
fn has_focus(f: &Formula<Pattern>) -> bool {
    match f {
        Formula::And(c) => !c.focus.is_empty(),
        Formula::Or(xs) => xs.iter().any(has_focus),
        _ => false,
    }
}

/// The node spans a matched range stands for: the range itself when some node has exactly
/// that span, else (unless `exact`) the largest nodes inside it.
fn spans_for(ast: &Ast, nodes_at: &NodeIndex, range: (u32, u32), exact: bool) -> Vec<(u32, u32)> {
    if nodes_at.contains_key(&range) {
        return vec![range];
    }
    if exact {
        // `exact: true`: only an expression with exactly the matched span counts.
        return Vec::new();
    }
    // A range covering several statements (or part of one): its largest nodes stand for it.
    inner_spans(ast, range)
}

fn inner_spans(ast: &Ast, (lo, hi): (u32, u32)) -> Vec<(u32, u32)> {
    let mut all = Vec::new();
    let mut stack = vec![ast.root()];
    while let Some(n) = stack.pop() {
        let node = ast.node(n);
        if node.start >= lo && node.end <= hi {
            if node.start < node.end && ast.kind(n) != Kind::Empty {
                all.push((node.start, node.end));
            }
        } else if node.start < hi && node.end > lo {
            // Only nodes overlapping the range can hold nodes inside it.
            stack.extend(ast.kids(n).iter().copied());
        }
    }
    all.sort_unstable();
    all.dedup();
    all
}

/// The text of a span, shortened for trace messages.
pub(crate) fn short_text(src: &[u8], start: u32, end: u32) -> String {
    let s = (start as usize).min(src.len());
    let e = (end as usize).clamp(s, src.len());
    let text = String::from_utf8_lossy(&src[s..e]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(57).collect::<String>())
    } else {
        one_line
    }
}
