//! Matching one pattern against one lowered file.
//!
//! Written once over the generic AST. Matching enumerates every way a pattern fits (a pattern
//! like `f(..., $X, ...)` fits `f(a, b)` twice), because later rule operators such as
//! `metavariable-regex` may keep only some of them; the number of alternatives kept per node is
//! capped so hostile patterns cannot explode. Recursion follows the *pattern's* depth, never the
//! file's: walking the file is iterative.

use crate::ast::{Ast, Kind, NodeId};
use crate::deadline::Deadline;
use crate::pattern::{Pattern, is_metavar_name};

/// At most this many alternative bindings are kept for one pattern at one place.
const MAX_ALTERNATIVES: usize = 64;

/// What a metavariable is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Binding {
    /// A node of the file.
    Node(NodeId),
    /// A run of sibling nodes (`$...X`), or text (regex captures): a byte span of the file.
    Span(u32, u32),
}

/// Metavariable bindings, plus the end of the last statement a sequence pattern consumed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Env<'r> {
    pub binds: Vec<(&'r str, Binding)>,
    pub seq_end: u32,
}

impl<'r> Env<'r> {
    pub fn get(&self, name: &str) -> Option<Binding> {
        self.binds.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
    }
}

/// One place a pattern matched: a byte range of the file and the bindings that made it match.
#[derive(Debug, Clone)]
pub(crate) struct Match<'r> {
    pub start: u32,
    pub end: u32,
    pub env: Env<'r>,
}

/// The file side of matching: the lowered tree and its source.
pub(crate) struct Target<'t> {
    pub ast: &'t Ast,
    pub src: &'t [u8],
}

impl Target<'_> {
    pub fn span(&self, b: Binding) -> (u32, u32) {
        match b {
            Binding::Node(n) => {
                let node = self.ast.node(n);
                (node.start, node.end)
            }
            Binding::Span(s, e) => (s, e),
        }
    }

    /// The source text a binding covers.
    pub fn text(&self, b: Binding) -> String {
        let (s, e) = self.span(b);
        let end = (e as usize).min(self.src.len());
        let start = (s as usize).min(end);
        String::from_utf8_lossy(&self.src[start..end]).into_owned()
    }

    /// The span of a string literal's content, inside its quotes and prefixes.
    pub fn str_content(&self, n: NodeId) -> (u32, u32) {
        let node = self.ast.node(n);
        let (s, e) = (node.start, node.end);
        let content = self.ast.text(n).as_bytes();
        let whole = self.src.get(s as usize..e as usize).unwrap_or_default();
        let quote = whole
            .iter()
            .position(|&c| matches!(c, b'"' | b'\'' | b'`'))
            .unwrap_or(0);
        let found = if content.is_empty() {
            None
        } else {
            whole[quote..]
                .windows(content.len())
                .position(|w| w == content)
                .map(|p| p + quote)
        };
        let start = s + u32::try_from(found.unwrap_or(quote + 1).min(whole.len())).unwrap_or(0);
        let len = u32::try_from(content.len()).unwrap_or(0);
        (start, (start + len).min(e))
    }

    /// Two bindings denote the same code: equal trees, or equal text up to whitespace.
    pub fn same(&self, a: Binding, b: Binding) -> bool {
        if let (Binding::Node(x), Binding::Node(y)) = (a, b) {
            return self.ast.same_tree(x, self.ast, y);
        }
        let squash = |s: String| s.split_whitespace().collect::<String>();
        squash(self.text(a)) == squash(self.text(b))
    }
}

/// Matches one pattern against one file.
pub(crate) struct Matcher<'a, 'r> {
    pub pat: &'r Pattern,
    pub tgt: &'a Target<'a>,
    pub deadline: &'a Deadline,
}

impl<'a, 'r> Matcher<'a, 'r> {
    fn p(&self) -> &'r Ast {
        &self.pat.ast
    }

    fn t(&self) -> &'a Ast {
        self.tgt.ast
    }

    /// Every match of the pattern in the file, optionally only those inside `within`, starting
    /// from the bindings in `init`.
    pub fn find(&self, within: Option<(u32, u32)>, init: &Env<'r>) -> Vec<Match<'r>> {
        let mut out = Vec::new();
        let inside = |s: u32, e: u32| within.is_none_or(|(lo, hi)| s >= lo && e <= hi);
        if let Some(root) = self.pat.single() {
            for &t in &self.candidates(root) {
                if self.deadline.tick() {
                    break;
                }
                let node = self.t().node(t);
                if !inside(node.start, node.end) {
                    continue;
                }
                let mut envs = Vec::new();
                self.m(root, t, init.clone(), &mut envs);
                for env in envs {
                    out.push(Match {
                        start: node.start,
                        end: node.end,
                        env,
                    });
                }
            }
        } else {
            let blocks = self
                .t()
                .of_kind(Kind::Block)
                .iter()
                .chain(self.t().of_kind(Kind::Program));
            for &b in blocks {
                let stmts = self.t().kids(b);
                for i in 0..stmts.len() {
                    if self.deadline.tick() {
                        return out;
                    }
                    let mut envs = Vec::new();
                    self.stmts(&self.pat.roots, &stmts[i..], init.clone(), &mut envs, true);
                    let start = self.t().node(stmts[i]).start;
                    for env in envs {
                        let end = env.seq_end.max(start);
                        if inside(start, end) {
                            out.push(Match { start, end, env });
                        }
                    }
                }
            }
        }
        out
    }

    /// The file nodes worth trying a pattern rooted at `root` on.
    fn candidates(&self, root: NodeId) -> Vec<NodeId> {
        let t = self.t();
        match self.p().kind(root) {
            Kind::Metavar | Kind::MetavarEllipsis | Kind::Ellipsis | Kind::Deep => {
                let mut all = Vec::new();
                t.walk(t.root(), |n| {
                    if is_code(t.kind(n)) {
                        all.push(n);
                    }
                    true
                });
                all
            }
            Kind::Ident | Kind::Member => {
                let mut v = t.of_kind(Kind::Ident).to_vec();
                v.extend_from_slice(t.of_kind(Kind::Member));
                v
            }
            Kind::Assign => {
                let mut v = t.of_kind(Kind::Assign).to_vec();
                v.extend_from_slice(t.of_kind(Kind::VarDecl));
                v
            }
            k => t.of_kind(k).to_vec(),
        }
    }

    fn bind(&self, name: &'r str, b: Binding, mut env: Env<'r>, out: &mut Vec<Env<'r>>) {
        // `$_` matches anything each time it appears and binds nothing.
        if name == "$_" || name == "$..._" {
            out.push(env);
            return;
        }
        match env.get(name) {
            Some(old) => {
                if self.tgt.same(old, b) {
                    out.push(env);
                }
            }
            None => {
                env.binds.push((name, b));
                out.push(env);
            }
        }
    }

    /// Matches pattern node `p` against file node `t`, pushing every way it fits.
    fn m(&self, p: NodeId, t: NodeId, env: Env<'r>, out: &mut Vec<Env<'r>>) {
        if out.len() >= MAX_ALTERNATIVES || self.deadline.tick() {
            return;
        }
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.m_inner(p, t, env, out));
    }

    fn m_inner(&self, p: NodeId, t: NodeId, env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let (pat, tgt) = (self.p(), self.t());
        let pk = pat.kind(p);
        let tk = tgt.kind(t);
        match pk {
            Kind::Metavar | Kind::MetavarEllipsis => {
                if tk != Kind::Empty {
                    self.bind(pat.text(p), Binding::Node(t), env, out);
                }
                return;
            }
            Kind::Ellipsis | Kind::Empty => {
                out.push(env);
                return;
            }
            Kind::Deep => {
                if let Some(inner) = pat.kid(p, 0) {
                    tgt.walk(t, |d| {
                        self.m(inner, d, env.clone(), out);
                        out.len() < MAX_ALTERNATIVES
                    });
                }
                return;
            }
            Kind::Modifiers if pat.kids(p).is_empty() => {
                out.push(env);
                return;
            }
            Kind::Str => {
                self.string(p, t, env, out);
                return;
            }
            Kind::Args if tk == Kind::Empty => {
                self.args(pat.kids(p), &[], env, out);
                return;
            }
            Kind::Assign if tk == Kind::VarDecl => {
                // `$X = $E` also matches declarations with an initializer.
                if let (Some(pl), Some(pr), Some(tn), Some(tv)) =
                    (pat.kid(p, 0), pat.kid(p, 1), tgt.kid(t, 1), tgt.kid(t, 3))
                    && tgt.kind(tv) != Kind::Empty
                {
                    self.positional(&[pl, pr], &[tn, tv], env, out);
                }
                return;
            }
            Kind::Ident | Kind::Member => {
                if let Some(same) = self.dotted_eq(p, t) {
                    if same {
                        out.push(env);
                    }
                    return;
                }
                // `child_process.$F` against `exec` imported from child_process.
                self.aliased_dotted(p, t, env.clone(), out);
            }
            _ => {}
        }
        if pk != tk {
            return;
        }
        let (pn, tn) = (pat.node(p), tgt.node(t));
        match pk {
            Kind::Ident | Kind::Keyword | Kind::Num | Kind::Bool | Kind::Null | Kind::Regex => {
                if pat.text(p) == tgt.text(t) {
                    out.push(env);
                }
            }
            Kind::Opaque => {
                if pn.sym == tn.sym && pat.text(p) == tgt.text(t) {
                    self.seq(pat.kids(p), tgt.kids(t), env, out);
                }
            }
            Kind::Binary | Kind::Unary | Kind::AugAssign | Kind::Spread => {
                if pn.sym == tn.sym {
                    self.positional(pat.kids(p), tgt.kids(t), env, out);
                }
            }
            Kind::Args => self.args(pat.kids(p), tgt.kids(t), env, out),
            Kind::Modifiers => self.subset(pat.kids(p), tgt.kids(t).to_vec(), env, out),
            Kind::Program | Kind::Block => self.stmts(pat.kids(p), tgt.kids(t), env, out, false),
            Kind::Interp => self.interp(pat.kids(p), tgt.kids(t), env, out),
            Kind::Group | Kind::List | Kind::Tuple | Kind::Set | Kind::Dict | Kind::Splice => {
                self.seq(pat.kids(p), tgt.kids(t), env, out);
            }
            Kind::Try => self.try_stmt(pat.kids(p), tgt.kids(t), env, out),
            // As in Semgrep, one `$EXC` names one exception type, not a tuple of them
            // (`except (A, B):`).
            Kind::Catch
                if pat.kid(p, 0).is_some_and(|k| pat.kind(k) == Kind::Metavar)
                    && tgt.kid(t, 0).is_some_and(|k| tgt.kind(k) == Kind::Tuple) => {}
            _ => self.positional(pat.kids(p), tgt.kids(t), env, out),
        }
    }

    /// `Some(equal)` when the pattern node is a dotted name without metavariables and the file
    /// node is one too: compares them after resolving the file's import aliases.
    fn dotted_eq(&self, p: NodeId, t: NodeId) -> Option<bool> {
        let (pat, tgt) = (self.p(), self.t());
        if !matches!(tgt.kind(t), Kind::Ident | Kind::Member) {
            return None;
        }
        if pat.kind(p) == Kind::Ident && tgt.kind(t) == Kind::Ident {
            let (a, b) = (pat.text(p), tgt.text(t));
            if a == b {
                return Some(true);
            }
            return Some(
                tgt.aliases
                    .get(b)
                    .is_some_and(|full| full.len() == 1 && full[0] == a),
            );
        }
        let pd = pat.dotted(p)?;
        let td = tgt.dotted(t)?;
        if pd == td {
            return Some(true);
        }
        Some(tgt.resolved_dotted(t).is_some_and(|r| r == pd))
    }

    /// A dotted pattern with metavariables (`os.$F`, `$M.loads`) against a file name whose first
    /// segment is an import alias: matched segment by segment on the resolved name. Segments
    /// that come from the alias bind to the aliased identifier itself.
    fn aliased_dotted(&self, p: NodeId, t: NodeId, env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let (pat, tgt) = (self.p(), self.t());
        // The pattern's segments, root first: identifiers and metavariables only.
        let mut segs = Vec::new();
        let mut cur = p;
        loop {
            match pat.kind(cur) {
                Kind::Ident | Kind::Metavar => {
                    segs.push(cur);
                    break;
                }
                Kind::Member => {
                    let (Some(obj), Some(name)) = (pat.kid(cur, 0), pat.kid(cur, 1)) else {
                        return;
                    };
                    if !matches!(pat.kind(name), Kind::Ident | Kind::Metavar) {
                        return;
                    }
                    segs.push(name);
                    cur = obj;
                }
                _ => return,
            }
        }
        segs.reverse();
        // The file side: its segment nodes, root first, and the root's alias.
        let mut nodes = Vec::new();
        let mut cur = t;
        loop {
            match tgt.kind(cur) {
                Kind::Ident => {
                    nodes.push(cur);
                    break;
                }
                Kind::Member => {
                    let (Some(obj), Some(name)) = (tgt.kid(cur, 0), tgt.kid(cur, 1)) else {
                        return;
                    };
                    if tgt.kind(name) != Kind::Ident {
                        return;
                    }
                    nodes.push(name);
                    cur = obj;
                }
                _ => return,
            }
        }
        nodes.reverse();
        let Some(alias) = tgt.aliases.get(tgt.text(nodes[0])) else {
            return;
        };
        // Resolved segments as (text, node the segment is bound to).
        let mut resolved: Vec<(&str, NodeId)> =
            alias.iter().map(|s| (s.as_str(), nodes[0])).collect();
        resolved.extend(nodes[1..].iter().map(|&n| (tgt.text(n), n)));
        if resolved.len() != segs.len() {
            return;
        }
        let mut envs = vec![env];
        for (&seg, &(text, node)) in segs.iter().zip(&resolved) {
            if pat.kind(seg) == Kind::Ident {
                if pat.text(seg) != text {
                    return;
                }
                continue;
            }
            let mut next = Vec::new();
            for e in envs {
                self.bind(pat.text(seg), Binding::Node(node), e, &mut next);
            }
            envs = next;
        }
        out.extend(envs);
    }

    fn string(&self, p: NodeId, t: NodeId, env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let (pat, tgt) = (self.p(), self.t());
        if tgt.kind(t) != Kind::Str {
            // Semgrep's constant folding: `"..."` also matches an expression whose value is a
            // known string (`"a" + "b"`, `"a" if c else "b"`).
            let ellipsis = matches!(pat.text(p), "\"...\"" | "'...'" | "...");
            if ellipsis && self.constant_string(t) {
                out.push(env);
            }
            return;
        }
        let want = pat.text(p);
        if want == "..." {
            out.push(env);
        } else if let Some((_, re)) = self.pat.string_regexes.iter().find(|(id, _)| *id == p) {
            if re.is_match(tgt.text(t)) {
                out.push(env);
            }
        } else if is_metavar_name(want) {
            // `"$X"` binds the string's content, without its quotes (as Semgrep does).
            let (cs, ce) = self.tgt.str_content(t);
            self.bind(want, Binding::Span(cs, ce), env, out);
        } else if want == tgt.text(t) {
            out.push(env);
        }
    }

    /// Whether `t` always evaluates to a string: a literal, a concatenation of constant strings,
    /// or a conditional whose both branches are constant strings.
    fn constant_string(&self, t: NodeId) -> bool {
        let tgt = self.t();
        // Iterative: concatenation chains in generated code can be very deep.
        let mut todo = vec![t];
        while let Some(n) = todo.pop() {
            match tgt.kind(n) {
                Kind::Str => {}
                Kind::Binary if tgt.node(n).sym == "+" => todo.extend_from_slice(tgt.kids(n)),
                Kind::Cond => todo.extend(tgt.kids(n).iter().skip(1)),
                _ => return false,
            }
        }
        true
    }

    /// Children in fixed positions (an `If`'s condition, then and else).
    fn positional(&self, ps: &[NodeId], ts: &[NodeId], env: Env<'r>, out: &mut Vec<Env<'r>>) {
        if ps.len() != ts.len() {
            return;
        }
        let mut envs = vec![env];
        for (&p, &t) in ps.iter().zip(ts) {
            let mut next = Vec::new();
            for e in envs {
                self.m(p, t, e, &mut next);
            }
            if next.is_empty() {
                return;
            }
            envs = next;
        }
        out.extend(envs);
    }

    /// An ordered list where `...` and `$...X` match any run of elements.
    fn seq(&self, ps: &[NodeId], ts: &[NodeId], env: Env<'r>, out: &mut Vec<Env<'r>>) {
        if out.len() >= MAX_ALTERNATIVES || self.deadline.tick() {
            return;
        }
        let Some((&p, rest)) = ps.split_first() else {
            if ts.is_empty() {
                out.push(env);
            }
            return;
        };
        match self.p().kind(p) {
            Kind::Ellipsis => {
                if rest.is_empty() {
                    out.push(env);
                    return;
                }
                for i in 0..=ts.len() {
                    self.seq(rest, &ts[i..], env.clone(), out);
                }
            }
            Kind::MetavarEllipsis => {
                for i in 0..=ts.len() {
                    let mut bound = Vec::new();
                    self.bind_run(p, &ts[..i], env.clone(), &mut bound);
                    for e in bound {
                        self.seq(rest, &ts[i..], e, out);
                    }
                }
            }
            _ => {
                let Some((&t, trest)) = ts.split_first() else {
                    return;
                };
                let mut firsts = Vec::new();
                self.m(p, t, env, &mut firsts);
                for e in firsts {
                    self.seq(rest, trest, e, out);
                }
            }
        }
    }

    /// Binds `$...X` (pattern node `p`) to a run of file nodes.
    fn bind_run(&self, p: NodeId, run: &[NodeId], env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let name = self.p().text(p);
        let b = match run {
            [one] => Binding::Node(*one),
            [first, .., last] => {
                Binding::Span(self.t().node(*first).start, self.t().node(*last).end)
            }
            [] => Binding::Span(0, 0),
        };
        self.bind(name, b, env, out);
    }

    /// Call arguments: keyword arguments with a fixed name match wherever they are; the rest
    /// match in order.
    fn args(&self, ps: &[NodeId], ts: &[NodeId], env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let (pat, tgt) = (self.p(), self.t());
        let keyword = |a: &Ast, n: NodeId| -> Option<String> {
            if a.kind(n) != Kind::KwArg {
                return None;
            }
            let name = a.kid(n, 0)?;
            (a.kind(name) == Kind::Ident).then(|| a.text(name).to_owned())
        };
        let mut remaining: Vec<NodeId> = ts.to_vec();
        let mut positional = Vec::new();
        let mut envs = vec![env];
        for &p in ps {
            let Some(name) = keyword(pat, p) else {
                positional.push(p);
                continue;
            };
            let Some(pos) = remaining
                .iter()
                .position(|&t| keyword(tgt, t).as_deref() == Some(name.as_str()))
            else {
                return;
            };
            let t = remaining.remove(pos);
            let mut next = Vec::new();
            for e in envs {
                self.m(p, t, e, &mut next);
            }
            if next.is_empty() {
                return;
            }
            envs = next;
        }
        for e in envs {
            self.seq(&positional, &remaining, e, out);
        }
    }

    /// Every pattern element matches a different file element, in any order.
    fn subset(&self, ps: &[NodeId], ts: Vec<NodeId>, env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let Some((&p, rest)) = ps.split_first() else {
            out.push(env);
            return;
        };
        if matches!(self.p().kind(p), Kind::Ellipsis) {
            self.subset(rest, ts, env, out);
            return;
        }
        for i in 0..ts.len() {
            let mut firsts = Vec::new();
            self.m(p, ts[i], env.clone(), &mut firsts);
            for e in firsts {
                let mut others = ts.clone();
                others.remove(i);
                self.subset(rest, others, e, out);
            }
        }
    }

    /// `try` as Semgrep reads it: the pattern's handlers are found in order among the file's
    /// (`try: ... except E: pass` matches a `try` whose second handler is that one), and an
    /// `else` or `finally` the pattern leaves out must be absent from the file too.
    fn try_stmt(&self, ps: &[NodeId], ts: &[NodeId], env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let (pat, tgt) = (self.p(), self.t());
        // `[resources, body, handlers, else, finally]`
        if ps.len() != 5 || ts.len() != 5 {
            self.positional(ps, ts, env, out);
            return;
        }
        if [3, 4]
            .iter()
            .any(|&i| pat.kind(ps[i]) == Kind::Empty && tgt.kind(ts[i]) != Kind::Empty)
        {
            return;
        }
        let mut envs = vec![env];
        for i in [0, 1, 3, 4] {
            let mut next = Vec::new();
            for e in envs {
                self.m(ps[i], ts[i], e, &mut next);
            }
            if next.is_empty() {
                return;
            }
            envs = next;
        }
        for e in envs {
            self.in_order(pat.kids(ps[2]), tgt.kids(ts[2]), e, out);
        }
    }

    /// Each pattern element matches a file element after the previous one's; elements of the
    /// file in between are skipped.
    fn in_order(&self, ps: &[NodeId], ts: &[NodeId], env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let Some((&p, rest)) = ps.split_first() else {
            out.push(env);
            return;
        };
        if matches!(self.p().kind(p), Kind::Ellipsis) {
            self.in_order(rest, ts, env, out);
            return;
        }
        for i in 0..ts.len() {
            let mut firsts = Vec::new();
            self.m(p, ts[i], env.clone(), &mut firsts);
            for e in firsts {
                self.in_order(rest, &ts[i + 1..], e, out);
            }
        }
    }

    /// Interpolated strings: a literal part containing `...` matches any run of parts.
    fn interp(&self, ps: &[NodeId], ts: &[NodeId], env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let Some((&p, rest)) = ps.split_first() else {
            if ts.is_empty() {
                out.push(env);
            }
            return;
        };
        let pat = self.p();
        if pat.kind(p) == Kind::Str && pat.text(p).contains("...") {
            for i in 0..=ts.len() {
                self.interp(rest, &ts[i..], env.clone(), out);
            }
            return;
        }
        let Some((&t, trest)) = ts.split_first() else {
            return;
        };
        let mut firsts = Vec::new();
        self.m(p, t, env, &mut firsts);
        for e in firsts {
            self.interp(rest, trest, e, out);
        }
    }

    /// Statement sequences. After `...` the rest of the pattern may match statements nested
    /// inside later statements too (`open(); ... close()` finds a `close()` inside an `if`).
    /// With `open_end`, statements may follow the last pattern statement.
    fn stmts(
        &self,
        ps: &[NodeId],
        ts: &[NodeId],
        env: Env<'r>,
        out: &mut Vec<Env<'r>>,
        open_end: bool,
    ) {
        if out.len() >= MAX_ALTERNATIVES || self.deadline.tick() {
            return;
        }
        let tgt = self.t();
        let Some((&p, rest)) = ps.split_first() else {
            if ts.is_empty() || open_end {
                out.push(env);
            }
            return;
        };
        match self.p().kind(p) {
            Kind::Ellipsis => {
                if rest.is_empty() {
                    let mut env = env;
                    if let Some(&last) = ts.last() {
                        env.seq_end = env.seq_end.max(tgt.node(last).end);
                    }
                    out.push(env);
                    return;
                }
                let flat = self.flatten(ts);
                for i in 0..=flat.len() {
                    self.stmts(rest, &flat[i..], env.clone(), out, open_end);
                }
            }
            Kind::MetavarEllipsis => {
                for i in 0..=ts.len() {
                    let mut bound = Vec::new();
                    self.bind_run(p, &ts[..i], env.clone(), &mut bound);
                    for mut e in bound {
                        if i > 0 {
                            e.seq_end = e.seq_end.max(tgt.node(ts[i - 1]).end);
                        }
                        self.stmts(rest, &ts[i..], e, out, open_end);
                    }
                }
            }
            _ => {
                let Some((&t, trest)) = ts.split_first() else {
                    return;
                };
                let mut firsts = Vec::new();
                self.stmt(p, t, env, &mut firsts);
                let end = tgt.node(t).end;
                for mut e in firsts {
                    e.seq_end = e.seq_end.max(end);
                    self.stmts(rest, trest, e, out, open_end);
                }
            }
        }
    }

    /// One statement of a sequence pattern; an expression statement in the pattern also
    /// matches a declaration (`$X = f()` against `const x = f()`).
    fn stmt(&self, p: NodeId, t: NodeId, env: Env<'r>, out: &mut Vec<Env<'r>>) {
        let (pat, tgt) = (self.p(), self.t());
        if pat.kind(p) == Kind::ExprStmt
            && tgt.kind(t) != Kind::ExprStmt
            && let Some(e) = pat.kid(p, 0)
        {
            self.m(e, t, env, out);
            return;
        }
        self.m(p, t, env, out);
    }

    /// Statements in order, each followed by the statements nested in it (not descending into
    /// function or class definitions).
    fn flatten(&self, ts: &[NodeId]) -> Vec<NodeId> {
        let tgt = self.t();
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = ts.iter().rev().copied().collect();
        while let Some(s) = stack.pop() {
            out.push(s);
            if matches!(tgt.kind(s), Kind::FuncDef | Kind::ClassDef | Kind::Lambda) {
                continue;
            }
            let mut nested = Vec::new();
            for &c in tgt.kids(s) {
                match tgt.kind(c) {
                    Kind::Block => nested.extend_from_slice(tgt.kids(c)),
                    Kind::If => nested.push(c),
                    Kind::Group => {
                        for &h in tgt.kids(c) {
                            if tgt.kind(h) == Kind::Catch
                                && let Some(body) = tgt.kids(h).last()
                                && tgt.kind(*body) == Kind::Block
                            {
                                nested.extend_from_slice(tgt.kids(*body));
                            }
                        }
                    }
                    _ => {}
                }
            }
            stack.extend(nested.into_iter().rev());
        }
        out
    }
}

/// Kinds a bare `$X` or `...` pattern can match: code, not the scaffolding around it.
fn is_code(k: Kind) -> bool {
    !matches!(
        k,
        Kind::Program
            | Kind::Block
            | Kind::Group
            | Kind::Modifiers
            | Kind::Empty
            | Kind::Splice
            | Kind::Args
            | Kind::Keyword
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lang::{Language, lower_file};

    /// The source text of every match of `pattern` in `code`.
    pub(crate) fn find_all(lang: Language, pattern: &str, code: &str) -> Vec<String> {
        let pat = Pattern::parse(pattern, lang).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let deadline = Deadline::none();
        let ast = lower_file(lang, code.as_bytes(), &deadline, usize::MAX).unwrap();
        let tgt = Target {
            ast: &ast,
            src: code.as_bytes(),
        };
        let m = Matcher {
            pat: &pat,
            tgt: &tgt,
            deadline: &deadline,
        };
        let mut found: Vec<(u32, u32)> = m
            .find(None, &Env::default())
            .into_iter()
            .map(|m| (m.start, m.end))
            .collect();
        found.sort();
        found.dedup();
        found
            .into_iter()
            .map(|(s, e)| code[s as usize..e as usize].to_owned())
            .collect()
    }

    pub(crate) fn dump(lang: Language, code: &str) -> String {
        let ast = lower_file(lang, code.as_bytes(), &Deadline::none(), usize::MAX).unwrap();
        ast.sexp(ast.root())
    }

    pub(crate) fn dump_pattern(lang: Language, pattern: &str) -> String {
        let pat = Pattern::parse(pattern, lang).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        pat.roots
            .iter()
            .map(|&r| pat.ast.sexp(r))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn python_smoke() {
        assert_eq!(
            dump(Language::Python, "foo(1, 2)\n"),
            r#"(Program (ExprStmt (Call (Ident "foo") (Args (Num "1") (Num "2")))))"#
        );
        assert_eq!(
            dump_pattern(Language::Python, "foo(...)"),
            r#"(Call (Ident "foo") (Args (Ellipsis)))"#
        );
        let code = "import subprocess as sp\nfoo(1, 2)\nfoo(x=1, y=2)\nsp.call('ls', shell=True)\n";
        assert_eq!(
            find_all(Language::Python, "foo(...)", code),
            vec!["foo(1, 2)", "foo(x=1, y=2)"]
        );
        assert_eq!(
            find_all(Language::Python, "foo(y=2, ...)", code),
            vec!["foo(x=1, y=2)"]
        );
        assert_eq!(
            find_all(Language::Python, "subprocess.call(..., shell=True)", code),
            vec!["sp.call('ls', shell=True)"]
        );
    }
}
