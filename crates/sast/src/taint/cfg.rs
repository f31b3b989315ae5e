//! A control-flow graph per function, built from the generic AST so every language gets the
//! same one. Instructions are coarse (an expression statement, a declaration, a loop binding, a
//! branch assumption) and point back into the AST: the dataflow evaluates their expressions
//! directly, which keeps sub-expression spans available for matching sources and sinks.

use crate::ast::{Ast, Kind, NodeId};

/// One instruction of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Instr {
    Nop,
    /// Evaluate an expression (assignments inside it update the state).
    Eval(NodeId),
    /// Evaluate a branch condition; sanitizers acting by side effect wait for the branch.
    Cond(NodeId),
    /// A `VarDecl`: `[modifiers, name, type, value]`.
    Decl(NodeId),
    /// `for target in iter`: the target receives the iterable's element taint.
    BindIter {
        target: NodeId,
        iter: NodeId,
    },
    /// A `with` item: its alias receives the expression's taint.
    BindWith(NodeId),
    /// An exception variable: always clean.
    BindCatch(NodeId),
    /// `return value` (value may be `Empty`).
    Return(NodeId),
    /// Entering a branch where `cond` evaluated to `truth`.
    Assume {
        cond: NodeId,
        truth: bool,
    },
    /// A nested function or class definition statement.
    Def(NodeId),
}

#[derive(Debug)]
pub(crate) struct Cfg {
    pub instrs: Vec<Instr>,
    pub succ: Vec<Vec<usize>>,
}

pub(crate) const ENTRY: usize = 0;
pub(crate) const EXIT: usize = 1;

/// Bound on the instructions of one function's graph.
const MAX_INSTRS: usize = 200_000;

struct Loop {
    head: usize,
    breaks: Vec<usize>,
}

struct Builder<'a> {
    ast: &'a Ast,
    cfg: Cfg,
    loops: Vec<Loop>,
}

/// Builds the graph of a function body (a `Block`, a `Program`, or, for an expression-bodied
/// lambda, an expression that is returned).
pub(crate) fn build(ast: &Ast, body: NodeId, expression_body: bool) -> Cfg {
    let mut b = Builder {
        ast,
        cfg: Cfg {
            instrs: vec![Instr::Nop, Instr::Nop],
            succ: vec![Vec::new(), Vec::new()],
        },
        loops: Vec::new(),
    };
    let ends = if expression_body {
        let r = b.add(Instr::Return(body), &[ENTRY]);
        b.edge(r, EXIT);
        Vec::new()
    } else {
        b.stmt(body, vec![ENTRY])
    };
    for e in ends {
        b.edge(e, EXIT);
    }
    b.cfg
}

impl Builder<'_> {
    fn add(&mut self, instr: Instr, preds: &[usize]) -> usize {
        if self.cfg.instrs.len() >= MAX_INSTRS {
            // Past the bound the function is cut short; the dataflow stays sound for what was
            // built.
            return preds.first().copied().unwrap_or(ENTRY);
        }
        let id = self.cfg.instrs.len();
        self.cfg.instrs.push(instr);
        self.cfg.succ.push(Vec::new());
        for &p in preds {
            self.edge(p, id);
        }
        id
    }

    fn edge(&mut self, from: usize, to: usize) {
        if from != to || matches!(self.cfg.instrs[from], Instr::Nop) {
            let s = &mut self.cfg.succ[from];
            if !s.contains(&to) {
                s.push(to);
            }
        }
    }

    fn stmts(&mut self, list: &[NodeId], mut cur: Vec<usize>) -> Vec<usize> {
        for &s in list {
            cur = self.stmt(s, cur);
        }
        cur
    }

    fn stmt(&mut self, n: NodeId, cur: Vec<usize>) -> Vec<usize> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.stmt_inner(n, cur))
    }

    fn stmt_inner(&mut self, n: NodeId, cur: Vec<usize>) -> Vec<usize> {
        let ast = self.ast;
        let kid = |i: usize| ast.kid(n, i).unwrap_or(n);
        let present = |i: usize| ast.kid(n, i).is_some_and(|k| ast.kind(k) != Kind::Empty);
        match ast.kind(n) {
            Kind::Program | Kind::Block | Kind::Splice | Kind::Group => {
                self.stmts(ast.kids(n), cur)
            }
            Kind::Empty | Kind::Break | Kind::Continue
                if cur.is_empty() || ast.kind(n) == Kind::Empty =>
            {
                cur
            }
            Kind::Break => {
                if let Some(l) = self.loops.last_mut() {
                    l.breaks.extend(cur);
                }
                Vec::new()
            }
            Kind::Continue => {
                if let Some(head) = self.loops.last().map(|l| l.head) {
                    for c in cur {
                        self.edge(c, head);
                    }
                }
                Vec::new()
            }
            Kind::ExprStmt => {
                let e = kid(0);
                vec![self.add(Instr::Eval(e), &cur)]
            }
            Kind::VarDecl => vec![self.add(Instr::Decl(n), &cur)],
            Kind::If => {
                let cond = kid(0);
                let c = self.add(Instr::Cond(cond), &cur);
                let t = self.add(Instr::Assume { cond, truth: true }, &[c]);
                let mut ends = self.stmt(kid(1), vec![t]);
                let f = self.add(Instr::Assume { cond, truth: false }, &[c]);
                if present(2) {
                    ends.extend(self.stmt(kid(2), vec![f]));
                } else {
                    ends.push(f);
                }
                ends
            }
            Kind::While => {
                let head = self.add(Instr::Nop, &cur);
                let cond = kid(0);
                let c = self.add(Instr::Cond(cond), &[head]);
                let t = self.add(Instr::Assume { cond, truth: true }, &[c]);
                self.loops.push(Loop {
                    head,
                    breaks: Vec::new(),
                });
                let body_end = self.stmt(kid(1), vec![t]);
                for e in body_end {
                    self.edge(e, head);
                }
                let lp = self.loops.pop();
                let f = self.add(Instr::Assume { cond, truth: false }, &[c]);
                let mut ends = if present(2) {
                    self.stmt(kid(2), vec![f])
                } else {
                    vec![f]
                };
                ends.extend(lp.map(|l| l.breaks).unwrap_or_default());
                ends
            }
            Kind::For => {
                let init = if present(0) {
                    self.stmt_or_expr(kid(0), cur)
                } else {
                    cur
                };
                let head = self.add(Instr::Nop, &init);
                let (body_start, exit) = if present(1) {
                    let cond = kid(1);
                    let c = self.add(Instr::Cond(cond), &[head]);
                    let t = self.add(Instr::Assume { cond, truth: true }, &[c]);
                    let f = self.add(Instr::Assume { cond, truth: false }, &[c]);
                    (t, vec![f])
                } else {
                    (head, Vec::new())
                };
                self.loops.push(Loop {
                    head,
                    breaks: Vec::new(),
                });
                let body_end = self.stmt(kid(3), vec![body_start]);
                let upd_end = if present(2) {
                    self.stmt_or_expr(kid(2), body_end)
                } else {
                    body_end
                };
                for e in upd_end {
                    self.edge(e, head);
                }
                let mut ends = exit;
                ends.extend(self.loops.pop().map(|l| l.breaks).unwrap_or_default());
                ends
            }
            Kind::ForEach => {
                let iter = kid(1);
                let e = self.add(Instr::Eval(iter), &cur);
                let head = self.add(Instr::Nop, &[e]);
                let bind = self.add(
                    Instr::BindIter {
                        target: kid(0),
                        iter,
                    },
                    &[head],
                );
                self.loops.push(Loop {
                    head,
                    breaks: Vec::new(),
                });
                let body_end = self.stmt(kid(2), vec![bind]);
                for b in body_end {
                    self.edge(b, head);
                }
                let breaks = self.loops.pop().map(|l| l.breaks).unwrap_or_default();
                let mut ends = if present(3) {
                    self.stmt(kid(3), vec![head])
                } else {
                    vec![head]
                };
                ends.extend(breaks);
                ends
            }
            Kind::Return => {
                let r = self.add(Instr::Return(kid(0)), &cur);
                self.edge(r, EXIT);
                Vec::new()
            }
            Kind::Throw => {
                let t = self.add(Instr::Eval(kid(0)), &cur);
                // Exceptions leave the function carrying no return value; a surrounding
                // handler is reached through the try's edges below.
                let _ = t;
                Vec::new()
            }
            Kind::Try => {
                let before = self.cfg.instrs.len();
                let mut start = cur.clone();
                if present(0) {
                    start = self.stmt_or_expr(kid(0), start);
                }
                let body_end = self.stmt(kid(1), start);
                let after_body = self.cfg.instrs.len();
                // Any instruction of the body may throw: each handler is entered from the
                // state before the body and after each of its instructions.
                let mut throw_points: Vec<usize> = cur.clone();
                throw_points.extend(before..after_body);
                let mut ends = Vec::new();
                if let Some(handlers) = ast.kid(n, 2) {
                    for &h in ast.kids(handlers) {
                        let entry = if ast.kind(h) == Kind::Catch {
                            let name = ast.kid(h, 1).unwrap_or(h);
                            let b = self.add(Instr::BindCatch(name), &throw_points);
                            let body = ast.kid(h, 2).unwrap_or(h);
                            self.stmt(body, vec![b])
                        } else {
                            let b = self.add(Instr::Nop, &throw_points);
                            self.stmt(h, vec![b])
                        };
                        ends.extend(entry);
                    }
                }
                let else_end = if present(3) {
                    self.stmt(kid(3), body_end)
                } else {
                    body_end
                };
                ends.extend(else_end);
                if present(4) {
                    // `finally` also runs when a handler is missing and the body threw.
                    ends.extend(throw_points.iter().copied().filter(|&p| p >= before));
                    ends.sort_unstable();
                    ends.dedup();
                    self.stmt(kid(4), ends)
                } else {
                    ends
                }
            }
            Kind::With => {
                let mut cur = cur;
                if let Some(items) = ast.kid(n, 0) {
                    for &item in ast.kids(items) {
                        cur = if ast.kind(item) == Kind::WithItem {
                            vec![self.add(Instr::BindWith(item), &cur)]
                        } else {
                            self.stmt_or_expr(item, cur)
                        };
                    }
                }
                self.stmt(kid(1), cur)
            }
            Kind::FuncDef => vec![self.add(Instr::Def(n), &cur)],
            // A class body runs in place (Python) or declares members (Java, JS): either way
            // its statements, fields and methods are walked where the class is.
            Kind::ClassDef => {
                if present(3) {
                    self.stmt(kid(3), cur)
                } else {
                    cur
                }
            }
            Kind::Opaque | Kind::Catch | Kind::Modifiers => {
                // An unmodelled statement (switch, labelled statement, …): its expressions
                // run in order and each nested statement may or may not run.
                let mut ends = cur;
                for &k in ast.kids(n) {
                    if is_statement(ast, k) {
                        let more = self.stmt(k, ends.clone());
                        ends.extend(more);
                        ends.sort_unstable();
                        ends.dedup();
                    } else {
                        ends = vec![self.add(Instr::Eval(k), &ends)];
                    }
                }
                ends
            }
            _ => vec![self.add(Instr::Eval(n), &cur)],
        }
    }

    /// A `for` header's init/update or a try resource: a statement or a bare expression.
    fn stmt_or_expr(&mut self, n: NodeId, cur: Vec<usize>) -> Vec<usize> {
        if is_statement(self.ast, n) || self.ast.kind(n) == Kind::Group {
            self.stmt(n, cur)
        } else {
            vec![self.add(Instr::Eval(n), &cur)]
        }
    }
}

/// Whether a node is a statement (or holds statements) rather than an expression.
pub(crate) fn is_statement(ast: &Ast, n: NodeId) -> bool {
    match ast.kind(n) {
        Kind::Opaque => ast.kids(n).iter().any(|&k| is_plain_statement(ast.kind(k))),
        k => is_plain_statement(k),
    }
}

fn is_plain_statement(k: Kind) -> bool {
    matches!(
        k,
        Kind::Block
            | Kind::ExprStmt
            | Kind::VarDecl
            | Kind::If
            | Kind::While
            | Kind::For
            | Kind::ForEach
            | Kind::Return
            | Kind::Throw
            | Kind::Try
            | Kind::Break
            | Kind::Continue
            | Kind::FuncDef
            | Kind::ClassDef
            | Kind::With
            | Kind::Catch
    )
}
