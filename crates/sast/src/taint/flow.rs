//! The dataflow: a forward fixpoint over each function's graph, evaluating expressions for
//! their taint, applying sources, sanitizers, propagators and sinks where their spans match,
//! and summarising functions for their call sites.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::cfg::{self, Cfg, EXIT, Instr};
use super::consts::{CVal, FileFacts, MUTATORS, base_ident, const_val};
use super::value::{MAX_PARAMS, PARAM_BIT, SEP, State, Taint, Trace};
use super::{Matches, Span, Step, TaintHit, short_text};
use crate::ast::{Ast, Kind, NodeId};
use crate::deadline::Deadline;
use crate::pattern::Pattern;
use crate::rule::taint::{SideEffect, TaintSpec};

/// How many times one instruction may be re-evaluated before its function is given up on.
const MAX_VISITS: u32 = 64;

/// A trace step before it becomes a [`Step`]: span and message.
pub(crate) type RawStep = (u32, u32, String);

/// A parameter (by index) that reaches the sink at a span, with the steps from the parameter.
pub(crate) type ParamSink = (u8, (u32, u32), Vec<RawStep>);

/// What a function does with its parameters, as seen from a call site.
#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    /// Leading parameters a method call does not pass (`self`).
    pub offset: usize,
    pub param_names: Vec<String>,
    /// The return value's taint: rule labels (a source inside the function) and parameter
    /// placeholders (that parameter flows to the return value), each with its trace.
    pub ret: Taint,
    /// Parameter index → a sink it reaches (by span), with the steps from the parameter.
    pub sinks: Vec<ParamSink>,
    /// Parameter index → a field of the object (class, field) it is stored in.
    pub fields: Vec<(u8, String, String)>,
}

impl Summary {
    /// What of the summary decides whether another round is needed, besides the return mask.
    pub fn field_count(&self) -> usize {
        self.fields.len()
    }

    pub fn sink_keys(&self) -> Vec<(u8, u32, u32)> {
        let mut v: Vec<_> = self
            .sinks
            .iter()
            .map(|(p, (s, e), _)| (*p, *s, *e))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn merge(&mut self, other: &Summary) {
        for f in &other.fields {
            if !self.fields.contains(f) {
                self.fields.push(f.clone());
            }
        }
        if self.param_names.len() < other.param_names.len() {
            self.param_names.clone_from(&other.param_names);
            self.offset = other.offset;
        }
        self.ret.join(&other.ret);
        for s in &other.sinks {
            if !self.sinks.iter().any(|x| x.0 == s.0 && x.1 == s.1) {
                self.sinks.push(s.clone());
            }
        }
    }
}

/// What one round produces: the summaries, the findings, and whether a call found no summary.
pub(crate) type RoundResult<'r> = (
    HashMap<String, Summary>,
    BTreeMap<(u32, u32), TaintHit<'r>>,
    bool,
    ClassFields,
);

/// Per-function analysis context.
struct Frame {
    /// Names that refer to the object a method runs on.
    self_names: Vec<String>,
    ret: Taint,
    param_sinks: Vec<ParamSink>,
    /// Taint of watched spans during the current instruction.
    watched: super::SpanMap<Taint>,
    /// Whether by-side-effect sanitizers wait for the branch (inside a condition).
    in_condition: bool,
    /// The class of the method being analysed.
    class: Option<String>,
    param_fields: Vec<(u8, String, String)>,
}

pub(crate) struct Analyzer<'a, 'r> {
    ast: &'a Ast,
    src: &'a [u8],
    spec: &'r TaintSpec<Pattern>,
    m: &'a Matches<'r>,
    facts: &'a FileFacts,
    deadline: &'a Deadline,
    prev: &'a HashMap<String, Summary>,
    next: HashMap<String, Summary>,
    hits: BTreeMap<(u32, u32), TaintHit<'r>>,
    /// Nesting depth of function analyses (closures inside closures).
    depth: u32,
    /// A call to a function of this file found no summary yet: another round is needed.
    incomplete: bool,
    cache: &'a super::FileCache,
    /// Class → field → taint stored by some method, from the previous round and this one.
    prev_fields: &'a ClassFields,
    next_fields: ClassFields,
}

/// Class → field → the taint some method stored there.
pub(crate) type ClassFields = HashMap<String, BTreeMap<String, Taint>>;

impl<'a, 'r> Analyzer<'a, 'r> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ast: &'a Ast,
        src: &'a [u8],
        spec: &'r TaintSpec<Pattern>,
        m: &'a Matches<'r>,
        facts: &'a FileFacts,
        deadline: &'a Deadline,
        prev: &'a HashMap<String, Summary>,
        cache: &'a super::FileCache,
        prev_fields: &'a ClassFields,
    ) -> Analyzer<'a, 'r> {
        Analyzer {
            ast,
            src,
            spec,
            m,
            facts,
            deadline,
            prev,
            next: HashMap::new(),
            hits: BTreeMap::new(),
            depth: 0,
            incomplete: false,
            cache,
            prev_fields,
            next_fields: ClassFields::new(),
        }
    }

    pub fn finish(self) -> RoundResult<'r> {
        (self.next, self.hits, self.incomplete, self.next_fields)
    }

    /// The summary of a function of this file: from this round when the function was already
    /// analysed, else from the previous round.
    fn summary_of(&mut self, name: &str) -> Option<Summary> {
        let found = self.next.get(name).or_else(|| self.prev.get(name)).cloned();
        if found.is_none() && self.facts.functions.contains(name) {
            self.incomplete = true;
        }
        found
    }

    /// Analyses the file's top-level code; every function is reached from there.
    pub fn run_program(&mut self, root: NodeId) {
        self.function(root, State::default(), None);
    }

    /// Analyses one function (a `FuncDef`, a `Lambda` or the `Program`) starting from the
    /// state it captures, records its summary under `name`, then analyses the functions
    /// defined inside it.
    fn function(&mut self, def: NodeId, captured: State, name: Option<String>) {
        if self.depth > 32 || self.deadline.expired() {
            return;
        }
        let ast = self.ast;
        let (params, body) = match ast.kind(def) {
            Kind::FuncDef => (ast.kid(def, 2), ast.kid(def, 4)),
            Kind::Lambda => (ast.kid(def, 0), ast.kid(def, 1)),
            _ => (None, Some(def)),
        };
        let Some(body) = body else { return };
        if ast.kind(body) == Kind::Empty {
            return;
        }
        let expression_body = !matches!(ast.kind(body), Kind::Block | Kind::Program);
        let cached = self.cache.cfgs.borrow().get(&def).cloned();
        let graph = match cached {
            Some(g) => g,
            None => {
                let g = Rc::new(cfg::build(ast, body, expression_body));
                self.cache.cfgs.borrow_mut().insert(def, Rc::clone(&g));
                g
            }
        };

        let mut frame = Frame {
            self_names: vec!["this".into(), "self".into(), "super".into(), "cls".into()],
            ret: Taint::clean(),
            param_sinks: Vec::new(),
            watched: super::SpanMap::default(),
            in_condition: false,
            class: self.facts.method_class.get(&def).cloned(),
            param_fields: Vec::new(),
        };
        let mut entry = captured;

        let mut summary = Summary::default();
        // Go methods: the receiver is declared among the modifiers.
        if ast.kind(def) == Kind::FuncDef
            && let Some(mods) = ast.kid(def, 0)
        {
            for &g in ast.kids(mods) {
                if ast.kind(g) == Kind::Group {
                    for &p in ast.kids(g) {
                        if let Some(n) = ast.kid(p, 1).filter(|&n| ast.kind(n) == Kind::Ident) {
                            frame.self_names.push(ast.text(n).to_owned());
                        }
                    }
                }
            }
        }
        if let Some(params) = params {
            for (i, &p) in ast.kids(params).iter().enumerate() {
                let (name_node, type_node) = if ast.kind(p) == Kind::Param {
                    (ast.kid(p, 1).unwrap_or(p), ast.kid(p, 2))
                } else {
                    (p, None)
                };
                let mut names = Vec::new();
                super::consts::each_ident(ast, name_node, &mut |n| names.push(n.to_owned()));
                let first = names.first().cloned().unwrap_or_default();
                if i == 0 && matches!(first.as_str(), "self" | "cls") {
                    summary.offset = 1;
                }
                summary.param_names.push(first);
                let node = ast.node(name_node);
                let mut t = Taint::clean();
                if i < MAX_PARAMS {
                    let bit = PARAM_BIT + u8::try_from(i).unwrap_or(0);
                    t.add(
                        bit,
                        Trace::root(
                            node.start,
                            node.end,
                            format!("parameter `{}`", short_text(self.src, node.start, node.end)),
                        ),
                    );
                }
                // A parameter matched by a source pattern is itself a source.
                let pnode = ast.node(p);
                for &(s, e, idx) in &self.m.sources.ranges {
                    let inside = |a: u32, b: u32| a >= s && b <= e;
                    if inside(node.start, node.end) || inside(pnode.start, pnode.end) {
                        let src = &self.spec.sources[idx];
                        if src.requires.is_none() {
                            t.add(
                                src.label,
                                Trace::root(
                                    node.start,
                                    node.end,
                                    format!(
                                        "source: parameter `{}`",
                                        short_text(self.src, node.start, node.end)
                                    ),
                                ),
                            );
                        }
                    }
                }
                if self.type_is_safe(type_node) {
                    t = Taint::clean();
                }
                for n in &names {
                    entry.write(n, t.clone());
                }
            }
        }

        // After the parameters (`self` is one): the fields other methods of the class stored
        // (previous round) are set on entry.
        if let Some(fields) = frame.class.as_ref().and_then(|c| self.prev_fields.get(c)) {
            for (field, t) in fields {
                for me in ["self", "this"] {
                    entry.write(&format!("{me}{SEP}{field}"), t.clone());
                }
            }
        }
        let states = self.fixpoint(&graph, entry, &mut frame);
        summary.ret = frame.ret.clone();
        summary.sinks = std::mem::take(&mut frame.param_sinks);
        summary.fields = std::mem::take(&mut frame.param_fields);
        if let Some(name) = name {
            self.next.entry(name).or_default().merge(&summary);
        }
        // Nested definitions: analysed with the state where they are defined (closures see
        // the variables they capture).
        self.depth += 1;
        for (i, instr) in graph.instrs.iter().enumerate() {
            let Some(state) = &states[i] else { continue };
            let mut defs: Vec<(NodeId, Option<String>)> = Vec::new();
            match *instr {
                Instr::Def(d) => {
                    let name = ast
                        .kid(d, 1)
                        .filter(|&n| ast.kind(n) == Kind::Ident)
                        .map(|n| ast.text(n).to_owned());
                    defs.push((d, name));
                }
                Instr::Eval(e) | Instr::Cond(e) | Instr::Return(e) => {
                    self.nested_defs(e, None, &mut defs);
                }
                Instr::Decl(d) => {
                    let name = ast
                        .kid(d, 1)
                        .filter(|&n| ast.kind(n) == Kind::Ident)
                        .map(|n| ast.text(n).to_owned());
                    if let Some(v) = ast.kid(d, 3) {
                        self.nested_defs(v, name, &mut defs);
                    }
                }
                Instr::BindWith(e) => self.nested_defs(e, None, &mut defs),
                Instr::BindIter { iter, .. } => self.nested_defs(iter, None, &mut defs),
                _ => {}
            }
            for (d, name) in defs {
                self.function(d, state.clone(), name);
            }
        }
        self.depth -= 1;
    }

    /// Function definitions inside an expression (callbacks, lambdas, anonymous classes),
    /// with the name they are assigned to when there is one.
    fn nested_defs(
        &self,
        e: NodeId,
        name: Option<String>,
        out: &mut Vec<(NodeId, Option<String>)>,
    ) {
        let ast = self.ast;
        if matches!(ast.kind(e), Kind::Lambda | Kind::FuncDef) {
            let own = ast
                .kid(e, 1)
                .filter(|&n| ast.kind(e) == Kind::FuncDef && ast.kind(n) == Kind::Ident)
                .map(|n| ast.text(n).to_owned());
            out.push((e, own.or(name)));
            return;
        }
        if ast.kind(e) == Kind::Assign
            && let (Some(t), Some(v)) = (ast.kid(e, 0), ast.kid(e, 1))
            && ast.kind(t) == Kind::Ident
        {
            let n = ast.text(t).to_owned();
            self.nested_defs(v, Some(n), out);
            return;
        }
        let mut stack = vec![e];
        while let Some(n) = stack.pop() {
            if n != e && matches!(ast.kind(n), Kind::Lambda | Kind::FuncDef) {
                let own = ast
                    .kid(n, 1)
                    .filter(|&k| ast.kind(n) == Kind::FuncDef && ast.kind(k) == Kind::Ident)
                    .map(|k| ast.text(k).to_owned());
                out.push((n, own));
                continue;
            }
            stack.extend(ast.kids(n).iter().rev().copied());
        }
    }

    /// The forward fixpoint; returns the state on entry to each instruction.
    fn fixpoint(&mut self, g: &Cfg, entry: State, frame: &mut Frame) -> Vec<Option<State>> {
        let n = g.instrs.len();
        let mut ins: Vec<Option<State>> = vec![None; n];
        let mut visits = vec![0u32; n];
        // States are kept only where they are needed again: at joins (to detect the fixpoint)
        // and where functions are defined (closures capture them). Along straight-line code
        // the state moves from one instruction to the next instead of being copied.
        let mut preds = vec![0u32; n];
        for succ in &g.succ {
            for &s in succ {
                preds[s] += 1;
            }
        }
        let keep: Vec<bool> = (0..n)
            .map(|i| i == 0 || preds[i] != 1 || self.defines_functions(g.instrs[i]))
            .collect();
        ins[0] = Some(entry);
        // Worklist in instruction order, so straight-line code runs once.
        let mut pending = std::collections::BTreeSet::new();
        pending.insert(0usize);
        while let Some(i) = pending.pop_first() {
            if self.deadline.tick() {
                break;
            }
            visits[i] += 1;
            if visits[i] > MAX_VISITS {
                continue;
            }
            let st = if keep[i] {
                ins[i].clone()
            } else {
                ins[i].take()
            };
            let Some(mut st) = st else {
                continue;
            };
            let alive = self.transfer(g.instrs[i], &mut st, frame);
            if !alive {
                continue;
            }
            let succs: Vec<usize> = g.succ[i].iter().copied().filter(|&s| s != EXIT).collect();
            for (k, &s) in succs.iter().enumerate() {
                let last = k + 1 == succs.len();
                let changed = match &mut ins[s] {
                    Some(old) => old.join(&st),
                    slot @ None => {
                        *slot = Some(if last {
                            std::mem::take(&mut st)
                        } else {
                            st.clone()
                        });
                        true
                    }
                };
                if changed {
                    pending.insert(s);
                }
            }
        }
        ins
    }

    /// Whether an instruction defines a function (whose analysis needs the state there).
    fn defines_functions(&self, instr: Instr) -> bool {
        let mut defs = Vec::new();
        match instr {
            Instr::Def(_) => return true,
            Instr::Eval(e) | Instr::Cond(e) | Instr::Return(e) | Instr::BindWith(e) => {
                self.nested_defs(e, None, &mut defs);
            }
            Instr::Decl(d) => self.nested_defs(d, None, &mut defs),
            Instr::BindIter { iter, .. } => self.nested_defs(iter, None, &mut defs),
            Instr::Nop | Instr::BindCatch(_) | Instr::Assume { .. } => {}
        }
        !defs.is_empty()
    }

    /// Applies one instruction; false when the branch is infeasible.
    fn transfer(&mut self, instr: Instr, st: &mut State, f: &mut Frame) -> bool {
        f.watched.clear();
        match instr {
            Instr::Nop | Instr::Def(_) => {}
            Instr::Eval(e) => {
                self.eval(e, st, f);
            }
            Instr::Cond(e) => {
                f.in_condition = true;
                self.eval(e, st, f);
                f.in_condition = false;
            }
            Instr::Decl(d) => self.decl(d, st, f),
            Instr::BindIter { target, iter } => {
                // The loop variable holds an element: the iterable's taint (evaluated once
                // before the loop, read again here without side effects).
                let t = self.peek(iter, st);
                let target = if self.ast.kind(target) == Kind::VarDecl {
                    self.ast.kid(target, 1).unwrap_or(target)
                } else {
                    target
                };
                self.assign(target, t, st, f);
            }
            Instr::BindWith(item) => {
                let ast = self.ast;
                let (Some(e), alias) = (ast.kid(item, 0), ast.kid(item, 1)) else {
                    return true;
                };
                let t = self.eval(e, st, f);
                if let Some(a) = alias.filter(|&a| ast.kind(a) != Kind::Empty) {
                    self.assign(a, t, st, f);
                }
            }
            Instr::BindCatch(name) => {
                if self.ast.kind(name) == Kind::Ident {
                    st.write(self.ast.text(name), Taint::clean());
                }
            }
            Instr::Return(v) => {
                if self.ast.kind(v) != Kind::Empty {
                    let t = self.eval(v, st, f);
                    let node = self.ast.node(v);
                    let t = t.stepped(
                        node.start,
                        node.end,
                        &format!("returned: `{}`", short_text(self.src, node.start, node.end)),
                    );
                    f.ret.join(&t);
                }
            }
            Instr::Assume { cond, truth } => {
                if let Some(CVal::Bool(b)) = const_val(self.ast, cond, self.facts)
                    && b != truth
                {
                    return false;
                }
                self.assume(cond, truth, st);
            }
        }
        true
    }

    /// On a branch, sanitizers acting by side effect inside the condition apply when the
    /// condition held (`if is_safe(x):`), or when its negation held (`if not is_safe(x): return`).
    fn assume(&mut self, cond: NodeId, truth: bool, st: &mut State) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.assume_inner(cond, truth, st);
        });
    }

    fn assume_inner(&mut self, cond: NodeId, truth: bool, st: &mut State) {
        let ast = self.ast;
        match ast.kind(cond) {
            Kind::Unary if matches!(ast.node(cond).sym, "!" | "not") => {
                if let Some(inner) = ast.kid(cond, 0) {
                    self.assume(inner, !truth, st);
                }
            }
            Kind::Binary if truth && matches!(ast.node(cond).sym, "&&" | "and") => {
                for &k in ast.kids(cond) {
                    self.assume(k, true, st);
                }
            }
            Kind::Binary if !truth && matches!(ast.node(cond).sym, "||" | "or") => {
                for &k in ast.kids(cond) {
                    self.assume(k, false, st);
                }
            }
            Kind::Binary if matches!(ast.node(cond).sym, "&&" | "and" | "||" | "or") => {}
            _ if truth => {
                let node = ast.node(cond);
                let (lo, hi) = (node.start, node.end);
                let mut targets = Vec::new();
                for (&(s, e), idxs) in &self.m.sanitizers {
                    if s >= lo
                        && e <= hi
                        && idxs
                            .iter()
                            .any(|&i| self.spec.sanitizers[i].side_effect != SideEffect::No)
                    {
                        targets.push((s, e));
                    }
                }
                targets.sort_unstable();
                for span in targets {
                    self.sanitize_side_effect(span, st);
                }
            }
            _ => {}
        }
    }

    /// Cleans the variable(s) a by-side-effect sanitizer matched.
    fn sanitize_side_effect(&self, span: (u32, u32), st: &mut State) {
        let ast = self.ast;
        let Some(nodes) = self.m.nodes_at.get(&span) else {
            return;
        };
        let nodes: Vec<NodeId> = nodes.collect();
        for &n in &nodes {
            if let Some(p) = self.path(n) {
                st.write(&p, Taint::clean());
                return;
            }
        }
        // A sanitizing call (`check(x)`) cleans the variables passed to it.
        for &n in &nodes {
            if ast.kind(n) == Kind::Call
                && let Some(args) = ast.kid(n, 1)
            {
                for &a in ast.kids(args) {
                    if let Some(p) = self.path(a) {
                        st.write(&p, Taint::clean());
                    }
                }
            }
        }
    }

    fn type_is_safe(&self, ty: Option<NodeId>) -> bool {
        let Some(ty) = ty else { return false };
        let ast = self.ast;
        if !matches!(ast.kind(ty), Kind::Ident | Kind::Opaque) {
            return false;
        }
        let text = short_text(self.src, ast.node(ty).start, ast.node(ty).end);
        let opts = &self.spec.options;
        (opts.assume_safe_numbers && is_number_type(&text))
            || (opts.assume_safe_booleans && is_bool_type(&text))
    }

    fn decl(&mut self, d: NodeId, st: &mut State, f: &mut Frame) {
        let ast = self.ast;
        let (Some(name), ty, value) = (ast.kid(d, 1), ast.kid(d, 2), ast.kid(d, 3)) else {
            return;
        };
        let value = value.filter(|&v| ast.kind(v) != Kind::Empty);
        let t = match value {
            Some(v) => {
                if matches!(ast.kind(name), Kind::Tuple | Kind::List)
                    && matches!(ast.kind(v), Kind::Tuple | Kind::List)
                    && ast.kids(name).len() == ast.kids(v).len()
                {
                    self.pairwise(name, v, st, f);
                    return;
                }
                self.eval(v, st, f)
            }
            None => Taint::clean(),
        };
        let t = if self.type_is_safe(ty) {
            Taint::clean()
        } else {
            t
        };
        if let Some(v) = value {
            self.assign_literal_fields(name, v, &t, st, f);
        } else {
            self.assign(name, t, st, f);
        }
    }

    /// `a, b = x, y`: each target gets its own value.
    fn pairwise(&mut self, targets: NodeId, values: NodeId, st: &mut State, f: &mut Frame) {
        let ast = self.ast;
        let ts: Vec<Taint> = ast
            .kids(values)
            .to_vec()
            .into_iter()
            .map(|v| self.eval(v, st, f))
            .collect();
        for (&t, v) in ast.kids(targets).to_vec().iter().zip(ts) {
            self.assign(t, v, st, f);
        }
    }

    /// `x = {"k": v, ...}` with constant keys: each key is a field of `x`, so reading another
    /// key is clean.
    fn assign_literal_fields(
        &mut self,
        target: NodeId,
        value: NodeId,
        whole: &Taint,
        st: &mut State,
        f: &mut Frame,
    ) {
        let ast = self.ast;
        let path = self.path(target);
        if let (Some(path), Kind::Dict) = (path.as_deref(), ast.kind(value)) {
            let mut fields = Vec::new();
            let mut all_const = true;
            for &pair in ast.kids(value) {
                if ast.kind(pair) != Kind::Pair {
                    all_const = false;
                    break;
                }
                let (Some(k), Some(v)) = (ast.kid(pair, 0), ast.kid(pair, 1)) else {
                    all_const = false;
                    break;
                };
                let key = match ast.kind(k) {
                    Kind::Str | Kind::Ident | Kind::Num => ast.text(k).to_owned(),
                    _ => {
                        all_const = false;
                        break;
                    }
                };
                fields.push((key, self.peek(v, st)));
            }
            if all_const {
                st.write(path, Taint::clean());
                for (k, t) in fields {
                    if !t.is_clean() {
                        let node = ast.node(target);
                        let t = t.stepped(
                            node.start,
                            node.end,
                            &format!(
                                "stored in `{}[{k:?}]`",
                                short_text(self.src, node.start, node.end)
                            ),
                        );
                        st.write(&format!("{path}{SEP}{k}"), t);
                    }
                }
                return;
            }
        }
        if let Some(path) = path.as_deref()
            && let Some(elems) = self.list_literal(value)
        {
            // `xs = [a, b]`, `new ArrayList<>()`, `[]string{a}`: elements by index.
            let ts: Vec<Taint> = elems.iter().map(|&e| self.peek(e, st)).collect();
            st.write(path, Taint::clean());
            for (i, t) in ts.into_iter().enumerate() {
                if !t.is_clean() {
                    st.write(&format!("{path}{SEP}{i}"), t);
                }
            }
            st.set_len(path, u32::try_from(elems.len()).unwrap_or(u32::MAX));
            return;
        }
        self.assign(target, whole.clone(), st, f);
    }

    /// Go's `xs = append(xs, v)` on a slice of known length.
    fn go_append(
        &mut self,
        target: NodeId,
        value: NodeId,
        st: &mut State,
        f: &mut Frame,
    ) -> Option<Taint> {
        let ast = self.ast;
        let p = self.path(target)?;
        st.len(&p)?;
        let callee = ast
            .kid(value, 0)
            .filter(|_| ast.kind(value) == Kind::Call)?;
        if ast.kind(callee) != Kind::Ident || ast.text(callee) != "append" {
            return None;
        }
        let args = ast.kids(ast.kid(value, 1)?).to_vec();
        if args.len() != 2 || self.path(args[0]).as_deref() != Some(p.as_str()) {
            return None;
        }
        let v = self.eval(args[1], st, f);
        let node = ast.node(value);
        self.append_at_index(&p, &v, st, (node.start, node.end));
        Some(Taint::clean())
    }

    /// The elements of a list literal or an empty list constructor.
    fn list_literal(&self, value: NodeId) -> Option<Vec<NodeId>> {
        let ast = self.ast;
        match ast.kind(value) {
            Kind::List => Some(ast.kids(value).to_vec()),
            Kind::New => {
                let ty = ast.kid(value, 0)?;
                let args = ast.kid(value, 1)?;
                let ty_text = short_text(self.src, ast.node(ty).start, ast.node(ty).end);
                let elems = ast.kids(args);
                if elems
                    .iter()
                    .any(|&e| matches!(ast.kind(e), Kind::Pair | Kind::Spread))
                {
                    return None;
                }
                // Java `new ArrayList<>()` (empty), Go `[]T{a, b}` (slice literal).
                if ty_text.ends_with("List") || ty_text.contains("List<") {
                    elems.is_empty().then(Vec::new)
                } else if ty_text.starts_with("[]") {
                    Some(elems.to_vec())
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// `xs.append(v)` on a list of known length: `v` becomes element `len`.
    fn append_at_index(&mut self, p: &str, v: &Taint, st: &mut State, span: Span) -> bool {
        let Some(n) = st.len(p) else {
            return false;
        };
        if !v.is_clean() {
            let v = v.stepped(
                span.0,
                span.1,
                &format!("appended by `{}`", short_text(self.src, span.0, span.1)),
            );
            st.write(&format!("{p}{SEP}{n}"), v);
        }
        st.set_len(p, n.saturating_add(1));
        true
    }

    /// `Job(x)` / `new Job(x)` for a class of this file: the constructor's summary says which
    /// arguments end up in fields and which reach sinks.
    fn apply_constructor(&mut self, cname: &str, args: &[Taint], span: Span, f: &mut Frame) {
        for ctor in ["__init__", "constructor", cname] {
            let Some(summary) = self.next.get(ctor).or_else(|| self.prev.get(ctor)).cloned() else {
                continue;
            };
            let offset = if ctor == "__init__" {
                summary.offset
            } else {
                0
            };
            let step = (
                span.0,
                span.1,
                format!(
                    "passed to `{cname}()`: `{}`",
                    short_text(self.src, span.0, span.1)
                ),
            );
            let arg = |p: u8| usize::from(p).checked_sub(offset).and_then(|j| args.get(j));
            for (p, class, field) in &summary.fields {
                if let Some(at) = arg(*p) {
                    let at = at.stepped(step.0, step.1, &step.2);
                    self.store_field(class, field, &at, f);
                }
            }
            for (p, sink, inner) in &summary.sinks {
                if let Some(at) = arg(*p).cloned() {
                    self.check_sink(*sink, &at, Some((&step, inner)), f);
                }
            }
        }
    }

    /// A field of `class` receives `t` (a constructor or setter called with it).
    fn store_field(&mut self, class: &str, field: &str, t: &Taint, f: &mut Frame) {
        let real = t.filtered(|b| b < PARAM_BIT);
        if !real.is_clean() {
            self.next_fields
                .entry(class.to_owned())
                .or_default()
                .entry(field.to_owned())
                .or_default()
                .join(&real);
        }
        // Inside another method of the class, a parameter stored there is part of that
        // method's summary too.
        if f.class.as_deref() == Some(class) {
            for (bit, _) in t.items() {
                if *bit >= PARAM_BIT {
                    let entry = (bit - PARAM_BIT, class.to_owned(), field.to_owned());
                    if !f.param_fields.contains(&entry) {
                        f.param_fields.push(entry);
                    }
                }
            }
        }
    }

    /// `self.f = v` in a method: other methods of the class will see `f` (real labels now,
    /// parameters through the summary).
    fn record_field(&mut self, path: &str, t: &Taint, f: &mut Frame) {
        let Some(class) = f.class.clone() else { return };
        let Some((base, field)) = path.split_once(SEP) else {
            return;
        };
        if field.contains(SEP) || !f.self_names.iter().any(|s| s == base) || t.is_clean() {
            return;
        }
        self.store_field(&class, field, t, f);
    }

    /// Stores a value into an assignment target (a variable, a field, an element, or a
    /// destructuring pattern).
    fn assign(&mut self, target: NodeId, t: Taint, st: &mut State, f: &mut Frame) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.assign_inner(target, t, st, f);
        });
    }

    fn assign_inner(&mut self, target: NodeId, t: Taint, st: &mut State, f: &mut Frame) {
        let ast = self.ast;
        let node = ast.node(target);
        let stepped = |t: &Taint| {
            if t.is_clean() {
                t.clone()
            } else {
                t.stepped(
                    node.start,
                    node.end,
                    &format!(
                        "assigned to `{}`",
                        short_text(self.src, node.start, node.end)
                    ),
                )
            }
        };
        match ast.kind(target) {
            Kind::Ident | Kind::Member => {
                if let Some(p) = self.path(target) {
                    self.record_field(&p, &t, f);
                    st.write(&p, stepped(&t));
                } else if let Some(obj) = ast.kid(target, 0) {
                    self.eval(obj, st, f);
                }
            }
            Kind::Index => {
                let (Some(obj), Some(idx)) = (ast.kid(target, 0), ast.kid(target, 1)) else {
                    return;
                };
                if let Some(p) = self.path(target) {
                    st.write(&p, stepped(&t));
                } else {
                    self.eval(idx, st, f);
                    if let Some(p) = self.path(obj) {
                        // An element at an unknown index: the collection may now hold it.
                        st.weak_write(&p, &stepped(&t));
                    }
                }
            }
            Kind::Tuple | Kind::List | Kind::Group => {
                for &k in ast.kids(target).to_vec().iter() {
                    self.assign(k, t.clone(), st, f);
                }
            }
            Kind::Spread | Kind::Param => {
                let inner = if ast.kind(target) == Kind::Param {
                    ast.kid(target, 1)
                } else {
                    ast.kid(target, 0)
                };
                if let Some(inner) = inner {
                    self.assign(inner, t, st, f);
                }
            }
            Kind::Dict => {
                // `const {a, b: c} = obj`: each name reads its own field of the value.
                for &k in ast.kids(target).to_vec().iter() {
                    match ast.kind(k) {
                        Kind::Ident => self.assign(k, t.clone(), st, f),
                        Kind::Pair => {
                            if let Some(v) = ast.kid(k, 1) {
                                self.assign(v, t.clone(), st, f);
                            }
                        }
                        _ => self.assign(k, t.clone(), st, f),
                    }
                }
            }
            Kind::VarDecl => {
                if let Some(n) = ast.kid(target, 1) {
                    self.assign(n, t, st, f);
                }
            }
            Kind::Empty => {}
            _ => {
                let mut names = Vec::new();
                super::consts::each_ident(ast, target, &mut |n| names.push(n.to_owned()));
                for n in names {
                    st.weak_write(&n, &stepped(&t));
                }
            }
        }
    }

    /// Whether a rule pattern matched a proper prefix of an access chain (`req.query` in
    /// `req.query.id`): then the chain is evaluated piece by piece, not read as one path.
    fn chain_has_matches(&self, n: NodeId) -> bool {
        let ast = self.ast;
        let mut cur = ast.kid(n, 0);
        while let Some(k) = cur {
            let node = ast.node(k);
            let span = (node.start, node.end);
            if self.m.sources.by_span.contains_key(&span)
                || self.m.sanitizers.contains_key(&span)
                || self.m.sinks.contains_key(&span)
                || self.m.propagators.contains_key(&span)
            {
                return true;
            }
            cur = match ast.kind(k) {
                Kind::Member | Kind::Index => ast.kid(k, 0),
                _ => None,
            };
        }
        false
    }

    /// `Service()` / `new Service()` for a class of this file: its methods are known.
    fn is_new_local_object(&self, r: NodeId) -> bool {
        let ast = self.ast;
        match ast.kind(r) {
            Kind::Call | Kind::New => ast
                .kid(r, 0)
                .filter(|&c| ast.kind(c) == Kind::Ident)
                .is_some_and(|c| self.facts.classes.contains(ast.text(c))),
            _ => false,
        }
    }

    /// Whether any rule pattern matched exactly `n`.
    fn any_match_at(&self, n: NodeId) -> bool {
        let node = self.ast.node(n);
        let span = (node.start, node.end);
        self.m.sources.by_span.contains_key(&span)
            || self.m.sanitizers.contains_key(&span)
            || self.m.sinks.contains_key(&span)
            || self.m.propagators.contains_key(&span)
            || self.m.watch.contains(&span)
    }

    /// Whether a rule pattern matched `n` itself or a prefix of its access chain.
    fn matched_here_or_below(&self, n: NodeId) -> bool {
        let node = self.ast.node(n);
        let span = (node.start, node.end);
        self.m.sources.by_span.contains_key(&span)
            || self.m.propagators.contains_key(&span)
            || (matches!(self.ast.kind(n), Kind::Member | Kind::Index) && self.chain_has_matches(n))
    }

    /// The access path an expression denotes: `x`, `x.a.b`, `x["k"]`, `this.f`.
    fn path(&self, n: NodeId) -> Option<String> {
        // Iterative, and only for short chains: deeper ones are not tracked field by field.
        const MAX_SEGMENTS: usize = 5;
        let ast = self.ast;
        if ast.kind(n) == Kind::Ident {
            return Some(ast.text(n).to_owned());
        }
        let mut segments: Vec<String> = Vec::new();
        let mut cur = n;
        loop {
            match ast.kind(cur) {
                Kind::Ident => {
                    segments.push(ast.text(cur).to_owned());
                    break;
                }
                Kind::Member => {
                    let name = ast.kid(cur, 1)?;
                    if ast.kind(name) != Kind::Ident {
                        return None;
                    }
                    segments.push(ast.text(name).to_owned());
                    cur = ast.kid(cur, 0)?;
                }
                Kind::Index => {
                    let key = match const_val(ast, ast.kid(cur, 1)?, self.facts)? {
                        CVal::Str(s) => s,
                        CVal::Int(i) => i.to_string(),
                        CVal::Bool(b) => b.to_string(),
                    };
                    segments.push(key);
                    cur = ast.kid(cur, 0)?;
                }
                _ => return None,
            }
            if segments.len() >= MAX_SEGMENTS {
                return None;
            }
        }
        segments.reverse();
        Some(segments.join(&SEP.to_string()))
    }

    /// The taint of an expression without side effects or reports (used to re-read a value
    /// already evaluated, such as a loop's iterable).
    fn peek(&mut self, n: NodeId, st: &State) -> Taint {
        // Literals and plain names need no scratch copy of the state.
        let ast = self.ast;
        match ast.kind(n) {
            Kind::Str | Kind::Num | Kind::Bool | Kind::Null => return Taint::clean(),
            Kind::Ident
                if !self.facts.consts.contains_key(ast.text(n))
                    && !self.facts.const_colls.contains(ast.text(n))
                    && !self.any_match_at(n) =>
            {
                return st.read(ast.text(n));
            }
            _ => {}
        }
        let saved_hits = std::mem::take(&mut self.hits);
        let mut scratch = st.clone();
        let mut f = Frame {
            self_names: Vec::new(),
            ret: Taint::clean(),
            param_sinks: Vec::new(),
            watched: super::SpanMap::default(),
            in_condition: true,
            class: None,
            param_fields: Vec::new(),
        };
        let t = self.eval(n, &mut scratch, &mut f);
        self.hits = saved_hits;
        t
    }

    /// The taint of an expression; assignments and side effects inside it update `st`.
    fn eval(&mut self, n: NodeId, st: &mut State, f: &mut Frame) -> Taint {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.eval_inner(n, st, f))
    }

    fn eval_inner(&mut self, n: NodeId, st: &mut State, f: &mut Frame) -> Taint {
        let ast = self.ast;
        if self.deadline.tick() {
            return Taint::clean();
        }
        let node = ast.node(n);
        let span = (node.start, node.end);
        let m = self.m;
        let sanitized = m.sanitizers.get(&span).map(|idxs| {
            let mut effect = SideEffect::No;
            let mut value_too = false;
            for &i in idxs {
                let s = &self.spec.sanitizers[i];
                if s.side_effect != SideEffect::No {
                    effect = SideEffect::Yes;
                }
                if s.side_effect != SideEffect::Only {
                    value_too = true;
                }
            }
            (effect, value_too)
        });
        let mut args_taint = None;
        let mut t = self.eval_kind(n, st, f, &mut args_taint);
        if let Some((effect, value_too)) = sanitized {
            if value_too {
                t = Taint::clean();
                args_taint = Some(Taint::clean());
            }
            if effect != SideEffect::No && !f.in_condition {
                self.sanitize_side_effect(span, st);
            }
        }
        // Sources.
        if let Some(idxs) = m.sources.by_span.get(&span) {
            for &i in idxs {
                let s = &self.spec.sources[i];
                if s.requires
                    .as_ref()
                    .is_some_and(|r| !r.holds(t.label_mask()))
                {
                    continue;
                }
                let trace = Trace::root(
                    span.0,
                    span.1,
                    format!("source: `{}`", short_text(self.src, span.0, span.1)),
                );
                t.add(s.label, trace);
                if s.side_effect != SideEffect::No
                    && let Some(p) = self.path(n)
                {
                    st.weak_write(&p, &t);
                }
            }
        }
        // Propagators whose pattern matched here.
        if let Some(props) = m.propagators.get(&span) {
            for &(i, from, to) in props {
                let p = &self.spec.propagators[i];
                let Some(ft) = f.watched.get(&from).cloned() else {
                    continue;
                };
                if ft.is_clean()
                    || p.requires
                        .as_ref()
                        .is_some_and(|r| !r.holds(ft.label_mask()))
                {
                    continue;
                }
                let mut ft = ft.stepped(
                    span.0,
                    span.1,
                    &format!("propagated by `{}`", short_text(self.src, span.0, span.1)),
                );
                if let Some(label) = p.label
                    && let Some(tr) = ft.items().first().map(|(_, tr)| Rc::clone(tr))
                {
                    ft.add(label, tr);
                }
                if to == span {
                    t.join(&ft);
                } else if p.by_side_effect
                    && let Some(nodes) = m.nodes_at.get(&to)
                    && let Some(path) = nodes.into_iter().find_map(|k| self.path(k))
                {
                    st.weak_write(&path, &ft);
                }
            }
        }
        if m.watch.contains(&span) {
            f.watched.entry(span).or_default().join(&t);
        }
        // Sinks: a call's arguments, or the matched expression itself.
        if let Some(entries) = m.sinks.get(&span) {
            let whole_call = entries.iter().any(|(_, _, whole)| *whole);
            let at_sink = match args_taint {
                Some(a) if whole_call => a,
                _ => t.clone(),
            };
            self.check_sink(span, &at_sink, None, f);
        }
        t
    }

    /// Reports taint reaching the sink at `span`; `via` carries the steps recorded inside a
    /// called function when the sink is there.
    fn check_sink(
        &mut self,
        span: (u32, u32),
        t: &Taint,
        via: Option<(&RawStep, &[RawStep])>,
        f: &mut Frame,
    ) {
        if t.is_clean() {
            return;
        }
        let Some(entries) = self.m.sinks.get(&span) else {
            return;
        };
        let labels = t.label_mask();
        let sink_step = (
            span.0,
            span.1,
            format!("sink: `{}`", short_text(self.src, span.0, span.1)),
        );
        // Parameters reaching the sink become part of this function's summary.
        for (bit, trace) in t.items() {
            if *bit < PARAM_BIT {
                continue;
            }
            let mut steps = trace.steps();
            if let Some((call, inner)) = via {
                steps.push(call.clone());
                steps.extend(inner.iter().cloned());
            }
            let key = bit - PARAM_BIT;
            if !f
                .param_sinks
                .iter()
                .any(|(p, s, _)| *p == key && *s == span)
            {
                f.param_sinks.push((key, span, steps));
            }
        }
        if labels == 0 || self.hits.contains_key(&span) {
            return;
        }
        let ok = entries.iter().find(|(i, _, _)| {
            self.spec.sinks[*i]
                .requires
                .as_ref()
                .is_none_or(|r| r.holds(labels))
        });
        let Some((i, env, _)) = ok else { return };
        // The trace of a label the sink accepts.
        let req = self.spec.sinks[*i].requires.as_ref();
        let chosen = t
            .items()
            .iter()
            .filter(|(b, _)| *b < PARAM_BIT)
            .find(|(b, _)| req.is_none_or(|r| r.holds(1 << b)))
            .or_else(|| t.items().iter().find(|(b, _)| *b < PARAM_BIT));
        let Some((_, trace)) = chosen else { return };
        let mut steps = trace.steps();
        if let Some((call, inner)) = via {
            steps.push(call.clone());
            steps.extend(inner.iter().cloned());
        }
        if steps
            .last()
            .is_none_or(|l| (l.0, l.1) != (sink_step.0, sink_step.1))
        {
            steps.push(sink_step);
        } else if let Some(last) = steps.last_mut() {
            *last = sink_step;
        }
        self.hits.insert(
            span,
            TaintHit {
                start: span.0,
                end: span.1,
                env: env.clone(),
                trace: steps
                    .into_iter()
                    .map(|(start, end, message)| Step {
                        start,
                        end,
                        message,
                    })
                    .collect(),
            },
        );
    }

    fn eval_kids(&mut self, n: NodeId, st: &mut State, f: &mut Frame) -> Taint {
        let mut t = Taint::clean();
        for &k in self.ast.kids(n).to_vec().iter() {
            let kt = self.eval(k, st, f);
            t.join(&kt);
        }
        t
    }

    fn eval_kind(
        &mut self,
        n: NodeId,
        st: &mut State,
        f: &mut Frame,
        args_taint: &mut Option<Taint>,
    ) -> Taint {
        let ast = self.ast;
        let opts = self.spec.options;
        let kid = |i: usize| ast.kid(n, i);
        match ast.kind(n) {
            Kind::Str
            | Kind::Num
            | Kind::Bool
            | Kind::Null
            | Kind::Regex
            | Kind::Empty
            | Kind::Keyword
            | Kind::Modifiers => Taint::clean(),
            Kind::Ident => {
                let name = ast.text(n);
                if self.facts.consts.contains_key(name) || self.facts.const_colls.contains(name) {
                    return Taint::clean();
                }
                st.read(name)
            }
            Kind::Member => {
                if let Some(base) = base_ident(ast, n)
                    && self.facts.const_colls.contains(base)
                {
                    return Taint::clean();
                }
                match self.path(n) {
                    Some(p) if !self.chain_has_matches(n) => st.read(&p),
                    Some(p) => {
                        let mut t = st.read(&p);
                        if let Some(obj) = kid(0) {
                            let ot = self.eval(obj, st, f);
                            t.join(&ot);
                        }
                        t
                    }
                    None => match kid(0) {
                        Some(obj) => self.eval(obj, st, f),
                        None => Taint::clean(),
                    },
                }
            }
            Kind::Index => {
                let (Some(obj), Some(idx)) = (kid(0), kid(1)) else {
                    return Taint::clean();
                };
                let it = self.eval(idx, st, f);
                if let Some(base) = base_ident(ast, obj)
                    && self.facts.const_colls.contains(base)
                {
                    // A constant table read with any key yields one of its constants.
                    return Taint::clean();
                }
                if let Some(p) = self.path(n) {
                    let mut t = st.read(&p);
                    if self.chain_has_matches(n) {
                        let ot = self.eval(obj, st, f);
                        t.join(&ot);
                    }
                    return t;
                }
                let mut t = match self.path(obj) {
                    Some(p) => st.read_exact(&p).joined(&st.read(&p)),
                    None => self.eval(obj, st, f),
                };
                if !opts.assume_safe_indexes {
                    t.join(&it);
                }
                t
            }
            Kind::Assign => {
                let (Some(target), Some(value)) = (kid(0), kid(1)) else {
                    return Taint::clean();
                };
                if matches!(ast.kind(target), Kind::Tuple | Kind::List)
                    && matches!(ast.kind(value), Kind::Tuple | Kind::List)
                    && ast.kids(target).len() == ast.kids(value).len()
                {
                    self.pairwise(target, value, st, f);
                    return Taint::clean();
                }
                if let Some(t) = self.go_append(target, value, st, f) {
                    return t;
                }
                let t = self.eval(value, st, f);
                self.assign_literal_fields(target, value, &t, st, f);
                t
            }
            Kind::AugAssign => {
                let (Some(target), Some(value)) = (kid(0), kid(1)) else {
                    return Taint::clean();
                };
                let mut t = self.eval(target, st, f);
                let v = self.eval(value, st, f);
                t.join(&v);
                self.assign(target, t.clone(), st, f);
                t
            }
            Kind::Unary => {
                let t = match kid(0) {
                    Some(k) => self.eval(k, st, f),
                    None => Taint::clean(),
                };
                let sym = ast.node(n).sym;
                if matches!(sym, "!" | "not") && opts.assume_safe_booleans
                    || matches!(sym, "-" | "~" | "++" | "--") && opts.assume_safe_numbers
                {
                    return Taint::clean();
                }
                t
            }
            Kind::Binary => {
                let sym = ast.node(n).sym;
                let t = self.eval_kids(n, st, f);
                let comparison = matches!(
                    sym,
                    "==" | "!="
                        | "==="
                        | "!=="
                        | "<"
                        | ">"
                        | "<="
                        | ">="
                        | "in"
                        | "not in"
                        | "is"
                        | "is not"
                        | "instanceof"
                );
                let arithmetic = matches!(
                    sym,
                    "-" | "*" | "/" | "//" | "**" | "<<" | ">>" | ">>>" | "&" | "|" | "^"
                ) || (sym == "%"
                    && kid(0).is_some_and(|l| ast.kind(l) != Kind::Str));
                if comparison && opts.assume_safe_booleans || arithmetic && opts.assume_safe_numbers
                {
                    return Taint::clean();
                }
                t
            }
            Kind::Cond => {
                let (Some(c), Some(a), Some(b)) = (kid(0), kid(1), kid(2)) else {
                    return self.eval_kids(n, st, f);
                };
                let _ = self.eval(c, st, f);
                match const_val(ast, c, self.facts) {
                    Some(CVal::Bool(true)) => self.eval(a, st, f),
                    Some(CVal::Bool(false)) => self.eval(b, st, f),
                    _ => {
                        let mut t = self.eval(a, st, f);
                        let tb = self.eval(b, st, f);
                        t.join(&tb);
                        t
                    }
                }
            }
            // Analysed on their own once this function's fixpoint is known.
            Kind::Lambda | Kind::FuncDef | Kind::ClassDef => Taint::clean(),
            Kind::KwArg => match kid(1) {
                Some(v) => self.eval(v, st, f),
                None => Taint::clean(),
            },
            Kind::Cast => {
                let t = match ast.kids(n).last() {
                    Some(&e) => self.eval(e, st, f),
                    None => Taint::clean(),
                };
                if self.type_is_safe(kid(0)) {
                    return Taint::clean();
                }
                t
            }
            Kind::New => {
                // Constructors and composite literals carry their arguments' taint.
                let mut t = Taint::clean();
                let mut each = Vec::new();
                if let Some(args) = kid(1) {
                    for &a in ast.kids(args).to_vec().iter() {
                        let at = self.eval(a, st, f);
                        t.join(&at);
                        each.push(at);
                    }
                }
                if let Some(ty) = kid(0)
                    && ast.kind(ty) == Kind::Ident
                    && self.facts.classes.contains(ast.text(ty))
                {
                    let node = ast.node(n);
                    self.apply_constructor(ast.text(ty), &each, (node.start, node.end), f);
                }
                if let Some(body) = kid(2)
                    && ast.kind(body) != Kind::Empty
                {
                    let _ = self.eval(body, st, f);
                }
                *args_taint = Some(t.clone());
                if opts.assume_safe_functions
                    && kid(0).is_some_and(|ty| ast.kind(ty) != Kind::Opaque)
                {
                    return Taint::clean();
                }
                t
            }
            Kind::Call => self.call(n, st, f, args_taint),
            // A class body inside `new T() { ... }`: its methods are nested definitions.
            Kind::Block => Taint::clean(),
            _ => self.eval_kids(n, st, f),
        }
    }

    fn call(
        &mut self,
        n: NodeId,
        st: &mut State,
        f: &mut Frame,
        args_taint: &mut Option<Taint>,
    ) -> Taint {
        let ast = self.ast;
        let opts = self.spec.options;
        let (Some(callee), args) = (ast.kid(n, 0), ast.kid(n, 1)) else {
            return Taint::clean();
        };
        // Arguments, positional and by keyword.
        let mut positional: Vec<Taint> = Vec::new();
        let mut keyword: Vec<(String, Taint)> = Vec::new();
        let mut all = Taint::clean();
        let arg_nodes: Vec<NodeId> = args.map(|a| ast.kids(a).to_vec()).unwrap_or_default();
        for &a in &arg_nodes {
            let t = self.eval(a, st, f);
            all.join(&t);
            if ast.kind(a) == Kind::KwArg
                && let Some(k) = ast.kid(a, 0)
            {
                keyword.push((ast.text(k).to_owned(), t));
            } else {
                positional.push(t);
            }
        }
        *args_taint = Some(all.clone());
        // A list handed to a function may be changed by it.
        for &a in &arg_nodes {
            if ast.kind(a) == Kind::Ident && st.len(ast.text(a)).is_some() {
                st.forget_len(ast.text(a));
            }
        }
        let call_node = ast.node(n);
        let call_span = (call_node.start, call_node.end);

        // The receiver of a method call, and the function's name.
        let (receiver, name): (Option<NodeId>, Option<&str>) = match ast.kind(callee) {
            Kind::Ident => (None, Some(ast.text(callee))),
            Kind::Member => (
                ast.kid(callee, 0),
                ast.kid(callee, 1)
                    .filter(|&k| ast.kind(k) == Kind::Ident)
                    .map(|k| ast.text(k)),
            ),
            _ => (None, None),
        };
        let recv_taint = match receiver {
            Some(r) => self.eval(r, st, f),
            None if ast.kind(callee) != Kind::Ident => self.eval(callee, st, f),
            None => Taint::clean(),
        };

        // A function of this file: use its summary.
        if receiver.is_none()
            && let Some(cname) = name
            && self.facts.classes.contains(cname)
        {
            self.apply_constructor(cname, &positional, call_span, f);
        }
        let local = match (receiver, name) {
            (None, Some(name)) if self.facts.classes.contains(name) => None,
            (None, Some(name)) => self.summary_of(name).map(|s| (s, false)),
            (Some(r), Some(name))
                if ast.kind(r) == Kind::Ident && f.self_names.iter().any(|s| s == ast.text(r))
                    || self.is_new_local_object(r) =>
            {
                self.summary_of(name).map(|s| (s, true))
            }
            _ => None,
        };
        if let Some((summary, is_method)) = local {
            let fname = name.unwrap_or("");
            let offset = if is_method { summary.offset } else { 0 };
            let arg_for = |i: usize| -> Option<Taint> {
                let pname = summary.param_names.get(i)?;
                if let Some((_, t)) = keyword.iter().find(|(k, _)| k == pname) {
                    return Some(t.clone());
                }
                i.checked_sub(offset)
                    .and_then(|j| positional.get(j))
                    .cloned()
            };
            let call_step = (
                call_span.0,
                call_span.1,
                format!(
                    "passed to `{fname}()`: `{}`",
                    short_text(self.src, call_span.0, call_span.1)
                ),
            );
            let mut result = Taint::clean();
            for (bit, trace) in summary.ret.items() {
                if *bit < PARAM_BIT {
                    let tr = Trace::step(
                        trace,
                        call_span.0,
                        call_span.1,
                        format!("returned by `{fname}()`"),
                    );
                    result.add(*bit, tr);
                    continue;
                }
                let Some(at) = arg_for(usize::from(bit - PARAM_BIT)) else {
                    continue;
                };
                let inner = trace.steps();
                for (b2, t2) in at.items() {
                    let tr = Trace::step(t2, call_step.0, call_step.1, call_step.2.clone())
                        .extend(&inner[1.min(inner.len())..]);
                    let tr = Trace::step(
                        &tr,
                        call_span.0,
                        call_span.1,
                        format!("returned by `{fname}()`"),
                    );
                    result.add(*b2, tr);
                }
            }
            for (p, class, field) in &summary.fields {
                if let Some(at) = arg_for(usize::from(*p)) {
                    let at = at.stepped(call_step.0, call_step.1, &call_step.2);
                    self.store_field(class, field, &at, f);
                }
            }
            for (p, sink, inner) in &summary.sinks {
                if let Some(at) = arg_for(usize::from(*p)) {
                    self.check_sink(*sink, &at, Some((&call_step, inner)), f);
                }
            }
            // Summaries say nothing about a source-free argument, so the call's value is what
            // the summary says, even when other arguments are tainted.
            return result;
        }

        if let Some(method) = name
            && let Some(r) = receiver
        {
            // Constant tables: `ALLOWED.get(key)` is one of the table's constants.
            if let Some(base) = base_ident(ast, r)
                && self.facts.const_colls.contains(base)
            {
                return Taint::clean();
            }
            let recv_path = self.path(r);
            let first_const = arg_nodes
                .first()
                .filter(|&&a| matches!(ast.kind(a), Kind::Str | Kind::Num))
                .map(|&a| ast.text(a).to_owned());
            // Maps with constant keys: `m.put("k", v)` / `m.get("k")` are fields.
            if let (Some(p), Some(key)) = (&recv_path, &first_const) {
                match method {
                    "get" | "getOrDefault" | "getFirst" if arg_nodes.len() <= 2 => {
                        let mut t = st.read(&format!("{p}{SEP}{key}"));
                        t.join(&st.read_exact(p));
                        if self.matched_here_or_below(r) {
                            // `request.args.get("id")`: the receiver is itself a source.
                            t.join(&recv_taint);
                        }
                        return t;
                    }
                    "put" | "set" | "setdefault" | "setAttribute" | "Set" | "Add"
                        if arg_nodes.len() == 2 =>
                    {
                        let v = positional.get(1).cloned().unwrap_or_default();
                        let v = v.stepped(
                            call_span.0,
                            call_span.1,
                            &format!(
                                "stored by `{}`",
                                short_text(self.src, call_span.0, call_span.1)
                            ),
                        );
                        st.write(&format!("{p}{SEP}{key}"), v);
                        return Taint::clean();
                    }
                    _ => {}
                }
            }
            if let Some(p) = &recv_path
                && st.len(p).is_some()
            {
                if matches!(method, "append" | "push" | "add") && positional.len() == 1 {
                    let v = positional[0].clone();
                    self.append_at_index(p, &v, st, call_span);
                    return Taint::clean();
                }
                if !matches!(
                    method,
                    "get"
                        | "size"
                        | "length"
                        | "contains"
                        | "index"
                        | "indexOf"
                        | "count"
                        | "includes"
                        | "join"
                ) {
                    st.forget_len(p);
                }
            }
            // Mutating methods add their arguments to the collection or builder.
            if MUTATORS.contains(&method)
                && let Some(p) = &recv_path
                && !all.is_clean()
            {
                let v = all.stepped(
                    call_span.0,
                    call_span.1,
                    &format!(
                        "added by `{}`",
                        short_text(self.src, call_span.0, call_span.1)
                    ),
                );
                st.weak_write(p, &v);
                let mut t = recv_taint;
                t.join(&v);
                return if opts.assume_safe_functions {
                    Taint::clean()
                } else {
                    t
                };
            }
        }
        if opts.assume_safe_functions {
            return Taint::clean();
        }
        let mut t = recv_taint;
        t.join(&all);
        t
    }
}

trait Joined {
    fn joined(self, other: &Taint) -> Taint;
}

impl Joined for Taint {
    fn joined(mut self, other: &Taint) -> Taint {
        self.join(other);
        self
    }
}

fn is_number_type(t: &str) -> bool {
    matches!(
        t,
        "int"
            | "long"
            | "short"
            | "byte"
            | "float"
            | "double"
            | "Integer"
            | "Long"
            | "Short"
            | "Byte"
            | "Float"
            | "Double"
            | "BigInteger"
            | "BigDecimal"
            | "number"
            | "bigint"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "float32"
            | "float64"
            | "uintptr"
            | "rune"
    )
}

fn is_bool_type(t: &str) -> bool {
    matches!(t, "bool" | "boolean" | "Boolean")
}
