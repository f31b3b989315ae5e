//! Constant facts about a file: names only ever bound to literals, and collections only ever
//! built from literals and never changed. A constant is never tainted, and neither is a value
//! read from a constant collection, whatever the key.

use std::collections::{HashMap, HashSet};

use super::{FastMap, FastSet};
use crate::ast::{Ast, Kind, NodeId};

/// A compile-time value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CVal {
    Int(i64),
    Str(String),
    Bool(bool),
}

/// Method names that change the collection they are called on.
pub(crate) const MUTATORS: &[&str] = &[
    "append",
    "add",
    "addAll",
    "push",
    "unshift",
    "extend",
    "insert",
    "put",
    "putAll",
    "set",
    "setdefault",
    "update",
    "write",
    "writeString",
    "splice",
    "fill",
];

/// Method names that only read a collection.
const READERS: &[&str] = &[
    "get",
    "getOrDefault",
    "contains",
    "containsKey",
    "containsValue",
    "has",
    "includes",
    "indexOf",
    "index",
    "count",
    "keys",
    "values",
    "items",
    "size",
    "length",
];

#[derive(Debug, Default)]
pub(crate) struct FileFacts {
    /// Names bound exactly once in the whole file, to a constant value.
    pub consts: FastMap<String, CVal>,
    /// Names bound exactly once to a collection of literals and never mutated.
    pub const_colls: FastSet<String>,
    /// Classes (and Go types) defined in the file: `Service().handle(x)` calls their methods.
    pub classes: FastSet<String>,
    /// Functions and methods defined in the file (and lambdas bound to a name): calls to them
    /// are resolved through summaries.
    pub functions: FastSet<String>,
    /// Methods (by node) and the class they belong to: a field one method stores is seen by
    /// the others.
    pub method_class: FastMap<NodeId, String>,
}

impl FileFacts {
    pub fn collect(ast: &Ast) -> FileFacts {
        // name → (times bound, the value of the single binding)
        let mut bound: HashMap<&str, (u32, Option<NodeId>)> = HashMap::new();
        let mut mutated: HashSet<&str> = HashSet::new();
        let mut classes: HashSet<&str> = HashSet::new();
        let mut functions: HashSet<&str> = HashSet::new();
        let root = ast.root();
        ast.walk(root, |n| {
            match ast.kind(n) {
                Kind::Assign | Kind::VarDecl => {
                    let (t, v) = if ast.kind(n) == Kind::Assign {
                        (ast.kid(n, 0), ast.kid(n, 1))
                    } else {
                        (ast.kid(n, 1), ast.kid(n, 3))
                    };
                    if let (Some(t), Some(v)) = (t, v)
                        && ast.kind(t) == Kind::Ident
                        && matches!(ast.kind(v), Kind::Lambda | Kind::FuncDef)
                    {
                        functions.insert(ast.text(t));
                    }
                    if let Some(t) = t {
                        match ast.kind(t) {
                            Kind::Ident => bind(
                                &mut bound,
                                ast.text(t),
                                v.filter(|&v| ast.kind(v) != Kind::Empty),
                            ),
                            Kind::Index | Kind::Member => {
                                if let Some(base) = base_ident(ast, t) {
                                    mutated.insert(base);
                                }
                            }
                            _ => each_ident(ast, t, &mut |name| bind(&mut bound, name, None)),
                        }
                    }
                }
                Kind::AugAssign | Kind::Unary
                    if ast.kind(n) == Kind::AugAssign || matches!(ast.node(n).sym, "++" | "--") =>
                {
                    if let Some(t) = ast.kid(n, 0)
                        && let Some(base) = base_ident(ast, t)
                    {
                        mutated.insert(base);
                        if ast.kind(t) == Kind::Ident {
                            bind(&mut bound, ast.text(t), None);
                        }
                    }
                }
                Kind::Param | Kind::ForEach | Kind::Catch | Kind::WithItem => {
                    let t = match ast.kind(n) {
                        Kind::Param | Kind::Catch => ast.kid(n, 1),
                        Kind::ForEach => ast.kid(n, 0),
                        _ => ast.kid(n, 1),
                    };
                    if let Some(t) = t {
                        each_ident(ast, t, &mut |name| bind(&mut bound, name, None));
                    }
                }
                Kind::FuncDef | Kind::ClassDef => {
                    if let Some(name) = ast.kid(n, 1).filter(|&k| ast.kind(k) == Kind::Ident) {
                        bind(&mut bound, ast.text(name), None);
                        if ast.kind(n) == Kind::ClassDef {
                            classes.insert(ast.text(name));
                        } else {
                            functions.insert(ast.text(name));
                        }
                    }
                }
                Kind::Call => {
                    // A table stays constant only while it is just read: a method that is not
                    // a lookup, or passing it to a function, may change it.
                    if let Some(callee) = ast.kid(n, 0)
                        && ast.kind(callee) == Kind::Member
                        && let Some(method) = ast.kid(callee, 1)
                        && (MUTATORS.contains(&ast.text(method))
                            || !READERS.contains(&ast.text(method)))
                        && let Some(base) = ast.kid(callee, 0).and_then(|b| base_ident(ast, b))
                    {
                        mutated.insert(base);
                    }
                    if let Some(args) = ast.kid(n, 1) {
                        for &a in ast.kids(args) {
                            if ast.kind(a) == Kind::Ident {
                                mutated.insert(ast.text(a));
                            }
                        }
                    }
                }
                _ => {}
            }
            true
        });
        let mut method_class = FastMap::default();
        for &c in ast.of_kind(Kind::ClassDef) {
            let (Some(name), Some(body)) = (ast.kid(c, 1), ast.kid(c, 3)) else {
                continue;
            };
            if ast.kind(name) != Kind::Ident {
                continue;
            }
            for &m in ast.kids(body) {
                if ast.kind(m) == Kind::FuncDef {
                    method_class.insert(m, ast.text(name).to_owned());
                }
            }
        }
        let mut facts = FileFacts {
            method_class,
            classes: classes.iter().map(|c| (*c).to_owned()).collect(),
            functions: functions.iter().map(|c| (*c).to_owned()).collect(),
            ..FileFacts::default()
        };
        // Constants may refer to earlier constants: a few passes settle chains.
        for _ in 0..3 {
            for (name, (count, value)) in &bound {
                if *count != 1 || facts.consts.contains_key(*name) {
                    continue;
                }
                let Some(v) = value else { continue };
                if let Some(c) = const_val(ast, *v, &facts) {
                    facts.consts.insert((*name).to_owned(), c);
                } else if !mutated.contains(name) && is_literal_collection(ast, *v, &facts) {
                    facts.const_colls.insert((*name).to_owned());
                }
            }
        }
        facts
    }
}

fn bind<'a>(bound: &mut HashMap<&'a str, (u32, Option<NodeId>)>, name: &'a str, v: Option<NodeId>) {
    let e = bound.entry(name).or_insert((0, None));
    e.0 += 1;
    e.1 = v;
}

/// The variable at the root of `a.b[c].d`.
pub(crate) fn base_ident(ast: &Ast, mut n: NodeId) -> Option<&str> {
    loop {
        match ast.kind(n) {
            Kind::Ident => return Some(ast.text(n)),
            Kind::Member | Kind::Index => n = ast.kid(n, 0)?,
            _ => return None,
        }
    }
}

/// Calls `f` on `n` and the nodes below it, parents first, descending only where `f` returns
/// true. Iterative.
pub(crate) fn visit(ast: &Ast, n: NodeId, mut f: impl FnMut(NodeId) -> bool) {
    let mut stack = vec![n];
    while let Some(k) = stack.pop() {
        if f(k) {
            stack.extend(ast.kids(k).iter().rev());
        }
    }
}

/// Calls `f` on every identifier a binding pattern binds. Iterative.
pub(crate) fn each_ident<'a>(ast: &'a Ast, n: NodeId, f: &mut dyn FnMut(&'a str)) {
    let mut stack = vec![n];
    while let Some(k) = stack.pop() {
        match ast.kind(k) {
            Kind::Ident => f(ast.text(k)),
            // In `{key: name}` and parameters only the name is bound, not the key, the type or
            // the default value.
            Kind::Pair | Kind::Param => stack.extend(ast.kid(k, 1)),
            Kind::Member | Kind::Index | Kind::Call => {}
            _ => stack.extend(ast.kids(k).iter().rev()),
        }
    }
}

/// A literal collection (list, tuple, set, dict, Go composite literal, `Map.of(...)`, …) whose
/// every element is a constant.
fn is_literal_collection(ast: &Ast, n: NodeId, facts: &FileFacts) -> bool {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        is_literal_collection_inner(ast, n, facts)
    })
}

fn is_literal_collection_inner(ast: &Ast, n: NodeId, facts: &FileFacts) -> bool {
    let elements_constant = |n: NodeId| {
        let mut ok = true;
        visit(ast, n, |k| {
            match ast.kind(k) {
                Kind::List | Kind::Tuple | Kind::Set | Kind::Dict | Kind::Args => {}
                // `{a: "x"}`: a bare key is a name, not a variable.
                Kind::Pair => {
                    if let Some(k) = ast.kid(k, 0)
                        && ast.kind(k) != Kind::Ident
                        && !matches!(ast.kind(k), Kind::Str | Kind::Num | Kind::Bool)
                    {
                        ok = false;
                    }
                    if let Some(v) = ast.kid(k, 1) {
                        ok &= is_constant_leaf(ast, v, facts);
                    }
                    return false;
                }
                Kind::Str | Kind::Num | Kind::Bool | Kind::Null => return false,
                Kind::Ident if facts.consts.contains_key(ast.text(k)) => return false,
                _ => {
                    ok = false;
                    return false;
                }
            }
            true
        });
        ok
    };
    match ast.kind(n) {
        Kind::List | Kind::Tuple | Kind::Set | Kind::Dict => elements_constant(n),
        // Go `map[string]string{...}`, Java `new String[]{...}`: the type is not data.
        Kind::New => ast.kid(n, 1).is_some_and(&elements_constant),
        Kind::Call => {
            let Some(callee) = ast.kid(n, 0) else {
                return false;
            };
            let name = ast.dotted(callee).map(|d| d.join("."));
            matches!(
                name.as_deref(),
                Some(
                    "Map.of"
                        | "List.of"
                        | "Set.of"
                        | "Map.entry"
                        | "Arrays.asList"
                        | "dict"
                        | "frozenset"
                        | "Object.freeze"
                        | "new Map"
                )
            ) && ast.kid(n, 1).is_some_and(elements_constant)
        }
        _ => false,
    }
}

/// A dictionary value: a constant, or a nested literal collection.
fn is_constant_leaf(ast: &Ast, v: NodeId, facts: &FileFacts) -> bool {
    match ast.kind(v) {
        Kind::Str | Kind::Num | Kind::Bool | Kind::Null => true,
        Kind::Ident => facts.consts.contains_key(ast.text(v)),
        Kind::List | Kind::Tuple | Kind::Set | Kind::Dict => is_literal_collection(ast, v, facts),
        _ => false,
    }
}

/// The constant value of an expression, if it has one.
pub(crate) fn const_val(ast: &Ast, n: NodeId, facts: &FileFacts) -> Option<CVal> {
    const_val_depth(ast, n, facts, 0)
}

fn const_val_depth(ast: &Ast, n: NodeId, facts: &FileFacts, depth: u32) -> Option<CVal> {
    if depth > 64 {
        return None;
    }
    let sub = |i: usize| {
        ast.kid(n, i)
            .and_then(|k| const_val_depth(ast, k, facts, depth + 1))
    };
    match ast.kind(n) {
        Kind::Num => {
            let t = ast.text(n).replace('_', "");
            let t = t.trim_end_matches(['l', 'L']);
            if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                i64::from_str_radix(h, 16).ok().map(CVal::Int)
            } else {
                t.parse().ok().map(CVal::Int)
            }
        }
        Kind::Str => Some(CVal::Str(ast.text(n).to_owned())),
        Kind::Bool => Some(CVal::Bool(ast.text(n).eq_ignore_ascii_case("true"))),
        Kind::Ident => facts.consts.get(ast.text(n)).cloned(),
        Kind::Unary => {
            let v = sub(0)?;
            match (ast.node(n).sym, v) {
                ("-", CVal::Int(i)) => i.checked_neg().map(CVal::Int),
                ("!" | "not", CVal::Bool(b)) => Some(CVal::Bool(!b)),
                _ => None,
            }
        }
        Kind::Binary => {
            let (a, b) = (sub(0)?, sub(1)?);
            binary(ast.node(n).sym, a, b)
        }
        // `"ABC".equals(x)` / `guess.equals("ABC")` with both sides constant.
        Kind::Call => {
            let callee = ast.kid(n, 0)?;
            let args = ast.kid(n, 1)?;
            if ast.kind(callee) != Kind::Member || ast.kids(args).len() != 1 {
                return None;
            }
            let method = ast.text(ast.kid(callee, 1)?);
            let recv = const_val_depth(ast, ast.kid(callee, 0)?, facts, depth + 1)?;
            let arg = const_val_depth(ast, ast.kids(args)[0], facts, depth + 1)?;
            match (method, recv, arg) {
                ("equals", a, b) => Some(CVal::Bool(a == b)),
                ("equalsIgnoreCase", CVal::Str(a), CVal::Str(b)) => {
                    Some(CVal::Bool(a.eq_ignore_ascii_case(&b)))
                }
                ("startsWith" | "startswith", CVal::Str(a), CVal::Str(b)) => {
                    Some(CVal::Bool(a.starts_with(&b)))
                }
                _ => None,
            }
        }
        Kind::Cond => match sub(0)? {
            CVal::Bool(true) => sub(1),
            CVal::Bool(false) => sub(2),
            _ => None,
        },
        _ => None,
    }
}

fn binary(op: &str, a: CVal, b: CVal) -> Option<CVal> {
    use CVal::{Bool, Int, Str};
    Some(match (op, a, b) {
        ("+", Int(x), Int(y)) => Int(x.checked_add(y)?),
        ("-", Int(x), Int(y)) => Int(x.checked_sub(y)?),
        ("*", Int(x), Int(y)) => Int(x.checked_mul(y)?),
        ("/" | "//", Int(x), Int(y)) => Int(x.checked_div(y)?),
        ("%", Int(x), Int(y)) => Int(x.checked_rem(y)?),
        ("+", Str(x), Str(y)) => Str(x + &y),
        ("==" | "===", x, y) => Bool(x == y),
        ("!=" | "!==", x, y) => Bool(x != y),
        ("<", Int(x), Int(y)) => Bool(x < y),
        (">", Int(x), Int(y)) => Bool(x > y),
        ("<=", Int(x), Int(y)) => Bool(x <= y),
        (">=", Int(x), Int(y)) => Bool(x >= y),
        ("&&" | "and", Bool(x), Bool(y)) => Bool(x && y),
        ("||" | "or", Bool(x), Bool(y)) => Bool(x || y),
        _ => return None,
    })
}
