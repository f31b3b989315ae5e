//! The generic AST: one tree shape for every language, and for patterns as well as code.
//!
//! Language modules lower tree-sitter trees into this shape ([`crate::lang`]); the matcher, the
//! rule operators (and later the CFG and taint analysis) are written once against it. Nodes live
//! in one arena (`Vec<Node>`) and refer to their children by index, so dropping a tree, walking it
//! and comparing subtrees never recurse on the Rust stack.
//!
//! Constructs the lowering does not model become [`Kind::Opaque`] nodes tagged with the grammar's
//! node kind: they still match `...`, `$X` and an identical construct in a pattern, so new grammar
//! features degrade gracefully instead of failing.
//!
//! Every kind has a fixed child layout (documented on the variant); a missing optional child is an
//! [`Kind::Empty`] node so positions line up between a pattern and the code it is matched against.

use std::collections::HashMap;

/// Index of a node in its [`Ast`].
pub(crate) type NodeId = u32;

/// What a node is. Child layouts are listed per variant; `text` and `sym` are described where used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum Kind {
    // ---- structure
    /// A file: `[stmt...]`.
    Program,
    /// A statement list: `[stmt...]`.
    Block,
    /// An ordered list with no meaning of its own (parameters, bases, catch clauses…).
    Group,
    /// An unordered set: decorators, annotations and modifier keywords. A pattern's set must be
    /// a subset of the code's.
    Modifiers,
    /// A missing optional child. In a pattern it matches anything.
    Empty,
    /// A construct the lowering does not model: `sym` is the grammar's node kind, children are
    /// the lowered named children, `text` is the source text of a leaf.
    Opaque,
    /// Several nodes produced for one construct (`int a = 1, b = 2;`); spliced into the
    /// enclosing statement list by the builder, never left in a finished tree inside a block.
    Splice,

    // ---- pattern-only
    /// `$X`: `text` is the name with its `$`.
    Metavar,
    /// `$...X`: matches a sequence of zero or more nodes.
    MetavarEllipsis,
    /// `...`
    Ellipsis,
    /// `<... e ...>`: `[e]`, matches any node containing a match of `e`.
    Deep,

    // ---- statements
    /// `[expr]`
    ExprStmt,
    /// `[modifiers, name, type, value]`: a declaration with an optional initializer.
    VarDecl,
    /// `[cond, then, else]`
    If,
    /// `[cond, body, else]`
    While,
    /// C-style loop: `[init, cond, update, body]`
    For,
    /// `for x in xs`: `[target, iterable, body, else]`
    ForEach,
    /// `[value]`
    Return,
    /// `[exception, cause]`
    Throw,
    /// `[resources, body, handlers(Group), else, finally]`
    Try,
    /// `[types, name, body]`
    Catch,
    Break,
    Continue,
    /// `[modifiers, name, params(Group), return type, body]`
    FuncDef,
    /// `[modifiers, name, bases(Group), body]`
    ClassDef,
    /// `[modifiers, name, type, default]`
    Param,
    /// `[items(Group), body]`
    With,
    /// `[expr, alias]`
    WithItem,
    /// `@name(args)` in Java: `[name, args]`
    Annotation,

    // ---- expressions
    /// `text` is the name.
    Ident,
    /// A keyword used as a modifier (`public`, `static`, `async`): `text`.
    Keyword,
    /// A string literal: `text` is its content without quotes or prefixes (escapes kept raw).
    Str,
    /// `text` is the literal as written.
    Num,
    Bool,
    Null,
    Regex,
    /// An interpolated string (f-string, template literal): `[Str | expr ...]`.
    Interp,
    /// `[callee, Args]`
    Call,
    /// Call arguments: positional expressions, [`Kind::KwArg`]s (matched in any order) and
    /// [`Kind::Spread`]s.
    Args,
    /// `name=value`: `[Ident, value]`
    KwArg,
    /// `*xs`, `**kw`, `...xs`: `sym` is the operator, `[expr]`.
    Spread,
    /// `obj.name`: `[obj, Ident]`
    Member,
    /// `obj[index]`: `[obj, index]`
    Index,
    /// `sym` is the operator: `[left, right]`
    Binary,
    /// `sym` is the operator: `[operand]`
    Unary,
    /// `[target, value]`
    Assign,
    /// `sym` is the operator (`+=`): `[target, value]`
    AugAssign,
    /// `c ? a : b`: `[cond, then, else]`
    Cond,
    /// `[params(Group), body]`
    Lambda,
    /// `new T(args)` / Go composite literals: `[type, Args, body]`
    New,
    List,
    Tuple,
    Set,
    /// `[Pair...]`
    Dict,
    /// `[key, value]`
    Pair,
    Await,
    Yield,
    /// `(T) e`, `e as T`, `e.(T)`: `[type, expr]`
    Cast,
}

/// Number of [`Kind`] variants, for per-kind indexes.
pub(crate) const KIND_COUNT: usize = Kind::Cast as usize + 1;

/// One node. Children are `kids[first..first + len]` of the owning [`Ast`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub kind: Kind,
    /// Grammar node kind (for [`Kind::Opaque`]) or operator (for binary, unary, spread and
    /// augmented assignments); empty otherwise.
    pub sym: &'static str,
    /// Byte span in the source.
    pub start: u32,
    pub end: u32,
    text_start: u32,
    text_len: u32,
    first: u32,
    len: u32,
}

/// A lowered file or pattern.
#[derive(Debug, Default)]
pub(crate) struct Ast {
    nodes: Vec<Node>,
    kids: Vec<NodeId>,
    strings: String,
    root: NodeId,
    /// Local names introduced by imports, mapped to the dotted path they stand for:
    /// `import subprocess as sp` gives `sp → [subprocess]`, `from os import system` gives
    /// `system → [os, system]`.
    pub aliases: HashMap<String, Vec<String>>,
    /// Node ids per kind, built by [`Ast::finish`] for candidate selection.
    by_kind: Vec<Vec<NodeId>>,
}

impl Ast {
    pub fn root(&self) -> NodeId {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn kind(&self, id: NodeId) -> Kind {
        self.nodes[id as usize].kind
    }

    pub fn kids(&self, id: NodeId) -> &[NodeId] {
        let n = &self.nodes[id as usize];
        &self.kids[n.first as usize..(n.first + n.len) as usize]
    }

    pub fn kid(&self, id: NodeId, i: usize) -> Option<NodeId> {
        self.kids(id).get(i).copied()
    }

    pub fn text(&self, id: NodeId) -> &str {
        let n = &self.nodes[id as usize];
        &self.strings[n.text_start as usize..(n.text_start + n.text_len) as usize]
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Nodes of `kind`, in creation order (children before parents).
    pub fn of_kind(&self, kind: Kind) -> &[NodeId] {
        self.by_kind
            .get(kind as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Calls `f` on `id` and every node below it, parents first; stops early when `f` returns
    /// false. Iterative, so arbitrarily deep trees are fine.
    pub fn walk(&self, id: NodeId, mut f: impl FnMut(NodeId) -> bool) {
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            if !f(n) {
                return;
            }
            stack.extend(self.kids(n).iter().rev());
        }
    }

    /// The dotted name an `Ident` / `Member` chain spells (`a.b.c`), if it is one.
    pub fn dotted(&self, id: NodeId) -> Option<Vec<&str>> {
        let mut parts = Vec::new();
        let mut cur = id;
        loop {
            match self.kind(cur) {
                Kind::Ident => {
                    parts.push(self.text(cur));
                    parts.reverse();
                    return Some(parts);
                }
                Kind::Member => {
                    let name = self.kid(cur, 1)?;
                    if self.kind(name) != Kind::Ident {
                        return None;
                    }
                    parts.push(self.text(name));
                    cur = self.kid(cur, 0)?;
                }
                _ => return None,
            }
        }
    }

    /// Like [`Ast::dotted`], with the first segment replaced by what an import says it is.
    pub fn resolved_dotted(&self, id: NodeId) -> Option<Vec<&str>> {
        let parts = self.dotted(id)?;
        let first = parts.first()?;
        match self.aliases.get(*first) {
            Some(full) => {
                let mut out: Vec<&str> = full.iter().map(String::as_str).collect();
                out.extend_from_slice(&parts[1..]);
                Some(out)
            }
            None => Some(parts),
        }
    }

    /// An S-expression rendering of a subtree, for tests and debugging.
    #[cfg(test)]
    pub fn sexp(&self, id: NodeId) -> String {
        let mut out = String::new();
        // (node, closing) pairs; closing entries emit the `)`.
        let mut stack = vec![(id, false)];
        while let Some((n, closing)) = stack.pop() {
            if closing {
                out.push(')');
                continue;
            }
            if !out.is_empty() && !out.ends_with('(') {
                out.push(' ');
            }
            let node = self.node(n);
            out.push('(');
            out.push_str(&format!("{:?}", node.kind));
            if !node.sym.is_empty() {
                out.push_str(&format!(" {}", node.sym));
            }
            let text = self.text(n);
            if !text.is_empty() {
                out.push_str(&format!(" {text:?}"));
            }
            stack.push((n, true));
            for &k in self.kids(n).iter().rev() {
                stack.push((k, false));
            }
        }
        out
    }

    /// Structural equality of two subtrees (of this or another tree), ignoring positions.
    /// Used to unify a metavariable bound twice.
    pub fn same_tree(&self, a: NodeId, other: &Ast, b: NodeId) -> bool {
        let mut stack = vec![(a, b)];
        while let Some((x, y)) = stack.pop() {
            let (nx, ny) = (self.node(x), other.node(y));
            if nx.kind != ny.kind || nx.sym != ny.sym || self.text(x) != other.text(y) {
                return false;
            }
            let (kx, ky) = (self.kids(x), other.kids(y));
            if kx.len() != ky.len() {
                return false;
            }
            stack.extend(kx.iter().copied().zip(ky.iter().copied()));
        }
        true
    }
}

/// Builds an [`Ast`] bottom-up: children are created before their parent.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    ast: Ast,
    scratch: Vec<NodeId>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    pub fn len(&self) -> usize {
        self.ast.nodes.len()
    }

    pub fn ast(&self) -> &Ast {
        &self.ast
    }

    /// Adds a node. `Splice` children of a `Program` or `Block` are flattened into it.
    pub fn push(
        &mut self,
        kind: Kind,
        sym: &'static str,
        span: (usize, usize),
        text: &str,
        kids: &[NodeId],
    ) -> NodeId {
        let first = u32::try_from(self.ast.kids.len()).unwrap_or(u32::MAX);
        if matches!(kind, Kind::Program | Kind::Block | Kind::Splice) {
            self.scratch.clear();
            for &k in kids {
                if self.ast.kind(k) == Kind::Splice {
                    self.scratch.extend_from_slice(self.ast.kids(k));
                } else {
                    self.scratch.push(k);
                }
            }
            self.ast.kids.extend_from_slice(&self.scratch);
        } else {
            self.ast.kids.extend_from_slice(kids);
        }
        let len = u32::try_from(self.ast.kids.len()).unwrap_or(u32::MAX) - first;
        let text_start = u32::try_from(self.ast.strings.len()).unwrap_or(u32::MAX);
        self.ast.strings.push_str(text);
        let id = NodeId::try_from(self.ast.nodes.len()).unwrap_or(NodeId::MAX);
        self.ast.nodes.push(Node {
            kind,
            sym,
            start: clamp_u32(span.0),
            end: clamp_u32(span.1),
            text_start,
            text_len: clamp_u32(text.len()),
            first,
            len,
        });
        id
    }

    /// Changes a node's kind (a lowered `Splice` used where a single statement is needed
    /// becomes a `Block`).
    pub fn set_kind(&mut self, id: NodeId, kind: Kind) {
        self.ast.nodes[id as usize].kind = kind;
    }

    pub fn alias(&mut self, local: &str, path: Vec<String>) {
        if !local.is_empty() && !path.is_empty() {
            self.ast.aliases.insert(local.to_owned(), path);
        }
    }

    /// Finishes the tree with `root` as its root and builds the per-kind index.
    pub fn finish(mut self, root: NodeId) -> Ast {
        self.ast.root = root;
        let mut by_kind = vec![Vec::new(); KIND_COUNT];
        for (i, n) in self.ast.nodes.iter().enumerate() {
            by_kind[n.kind as usize].push(NodeId::try_from(i).unwrap_or(NodeId::MAX));
        }
        self.ast.by_kind = by_kind;
        self.ast
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_flatten_into_blocks_and_walks_are_iterative() {
        let mut b = Builder::new();
        let a = b.push(Kind::Ident, "", (0, 1), "a", &[]);
        let c = b.push(Kind::Ident, "", (2, 3), "c", &[]);
        let s = b.push(Kind::Splice, "", (0, 3), "", &[a, c]);
        let block = b.push(Kind::Block, "", (0, 3), "", &[s]);
        let mut deep = block;
        for _ in 0..100_000 {
            deep = b.push(Kind::ExprStmt, "", (0, 3), "", &[deep]);
        }
        let ast = b.finish(deep);
        assert_eq!(ast.kids(block), &[a, c]);
        let mut count = 0;
        ast.walk(ast.root(), |_| {
            count += 1;
            true
        });
        // The splice itself is gone: its children hang off the block.
        assert_eq!(count, 100_000 + 3);
        assert!(ast.same_tree(ast.root(), &ast, ast.root()));
    }

    #[test]
    fn dotted_names_resolve_through_import_aliases() {
        let mut b = Builder::new();
        let sp = b.push(Kind::Ident, "", (0, 2), "sp", &[]);
        let call = b.push(Kind::Ident, "", (3, 7), "call", &[]);
        let m = b.push(Kind::Member, "", (0, 7), "", &[sp, call]);
        b.alias("sp", vec!["subprocess".into()]);
        let ast = b.finish(m);
        assert_eq!(ast.dotted(m), Some(vec!["sp", "call"]));
        assert_eq!(ast.resolved_dotted(m), Some(vec!["subprocess", "call"]));
    }
}
