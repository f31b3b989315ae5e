//! Python: tree-sitter-python → generic AST.

use tree_sitter::Node as TsNode;

use super::{Cx, split_path};
use crate::ast::{Kind, NodeId};

pub(super) fn lower(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    match n.kind() {
        "module" => cx.list(Kind::Program, n),
        "block" => cx.list(Kind::Block, n),
        "expression_statement" => {
            let e = tuple_or_single(cx, n);
            cx.expr_stmt(n, e)
        }
        "identifier" => cx.ident(n),
        "string" => string(cx, n),
        "integer" | "float" => cx.leaf(Kind::Num, n),
        "true" | "false" => cx.leaf(Kind::Bool, n),
        "none" => cx.leaf(Kind::Null, n),
        "parenthesized_expression" => match cx.children(n).as_slice() {
            [inner] => cx.lower(*inner),
            _ => cx.opaque(n),
        },
        "call" => {
            let callee = cx.field(n, "function");
            let callee = cx.lower_opt(callee, n.start_byte());
            if cx.pattern && cx.text_of(callee) == crate::pattern::DEEP {
                return deep(cx, n);
            }
            let args = match cx.field(n, "arguments") {
                Some(a) if a.kind() == "argument_list" => cx.list(Kind::Args, a),
                Some(a) => {
                    // `f(x for x in xs)`: one generator argument.
                    let g = cx.lower(a);
                    cx.node(Kind::Args, a, &[g])
                }
                None => cx.empty(n.end_byte()),
            };
            cx.node(Kind::Call, n, &[callee, args])
        }
        "keyword_argument" => {
            let name = cx.field(n, "name");
            let name = cx.lower_opt(name, n.start_byte());
            let value = cx.field(n, "value");
            let value = cx.lower_opt(value, n.end_byte());
            cx.node(Kind::KwArg, n, &[name, value])
        }
        "list_splat" | "list_splat_pattern" => spread(cx, n, "*"),
        "dictionary_splat" | "dictionary_splat_pattern" => spread(cx, n, "**"),
        "attribute" => {
            let obj = cx.field(n, "object");
            let obj = cx.lower_opt(obj, n.start_byte());
            let name = cx.field(n, "attribute");
            let name = cx.lower_opt(name, n.end_byte());
            cx.node(Kind::Member, n, &[obj, name])
        }
        "subscript" => {
            let obj = cx.field(n, "value");
            let obj = cx.lower_opt(obj, n.start_byte());
            let subs = cx.fields(n, "subscript");
            let index = match subs.as_slice() {
                [one] => cx.lower(*one),
                many => {
                    let kids: Vec<NodeId> = many.iter().map(|s| cx.lower(*s)).collect();
                    let span = cx.span_of(&kids).unwrap_or((n.end_byte(), n.end_byte()));
                    cx.push(Kind::Tuple, "", span, "", &kids)
                }
            };
            cx.node(Kind::Index, n, &[obj, index])
        }
        "binary_operator" | "boolean_operator" => binary(cx, n),
        "comparison_operator" => {
            let operands = cx.children(n);
            let ops = cx.fields(n, "operators");
            if let ([l, r], [op]) = (operands.as_slice(), ops.as_slice()) {
                let sym = cx.sym(*op);
                let l = cx.lower(*l);
                let r = cx.lower(*r);
                let span = cx.span(n);
                cx.push(Kind::Binary, sym, span, "", &[l, r])
            } else {
                cx.opaque(n)
            }
        }
        "not_operator" => {
            let arg = cx.field(n, "argument");
            let arg = cx.lower_opt(arg, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::Unary, "not", span, "", &[arg])
        }
        "unary_operator" => {
            let op = cx.operator(n);
            let arg = cx.field(n, "argument");
            let arg = cx.lower_opt(arg, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::Unary, op, span, "", &[arg])
        }
        "conditional_expression" => match cx.children(n).as_slice() {
            [then, cond, other] => {
                let c = cx.lower(*cond);
                let t = cx.lower(*then);
                let e = cx.lower(*other);
                cx.node(Kind::Cond, n, &[c, t, e])
            }
            _ => cx.opaque(n),
        },
        "lambda" => {
            let params = match cx.field(n, "parameters") {
                Some(p) => params(cx, p),
                None => cx.group(n.start_byte(), &[]),
            };
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::Lambda, n, &[params, body])
        }
        "assignment" => {
            let left = cx.field(n, "left");
            let left = cx.lower_opt(left, n.start_byte());
            let value = cx.field(n, "right");
            let value = cx.lower_opt(value, n.end_byte());
            match cx.field(n, "type") {
                // `x: int = 1` declares as well as assigns.
                Some(t) => {
                    let ty = cx.lower(t);
                    let mods = cx.modifiers(n.start_byte(), &[]);
                    cx.node(Kind::VarDecl, n, &[mods, left, ty, value])
                }
                None => cx.node(Kind::Assign, n, &[left, value]),
            }
        }
        "augmented_assignment" => {
            let op = cx.operator(n);
            let left = cx.field(n, "left");
            let left = cx.lower_opt(left, n.start_byte());
            let right = cx.field(n, "right");
            let right = cx.lower_opt(right, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::AugAssign, op, span, "", &[left, right])
        }
        "named_expression" => {
            let name = cx.field(n, "name");
            let name = cx.lower_opt(name, n.start_byte());
            let value = cx.field(n, "value");
            let value = cx.lower_opt(value, n.end_byte());
            cx.node(Kind::Assign, n, &[name, value])
        }
        "list" | "list_pattern" => cx.list(Kind::List, n),
        "tuple" | "tuple_pattern" | "expression_list" | "pattern_list" => cx.list(Kind::Tuple, n),
        "set" => cx.list(Kind::Set, n),
        "dictionary" => cx.list(Kind::Dict, n),
        "pair" => {
            let k = cx.field(n, "key");
            let k = cx.lower_opt(k, n.start_byte());
            // `...` as a dict entry in a pattern, spelled `__ELL__: __ELL__`.
            if cx.kind_of(k) == Kind::Ellipsis {
                return k;
            }
            let v = cx.field(n, "value");
            let v = cx.lower_opt(v, n.end_byte());
            cx.node(Kind::Pair, n, &[k, v])
        }
        "await" => {
            let e = single_child(cx, n);
            cx.node(Kind::Await, n, &[e])
        }
        "yield" => {
            let e = single_child(cx, n);
            cx.node(Kind::Yield, n, &[e])
        }
        "return_statement" => {
            let e = single_child(cx, n);
            cx.node(Kind::Return, n, &[e])
        }
        "raise_statement" => {
            let cause = cx.field(n, "cause");
            let exc = cx
                .children(n)
                .into_iter()
                .find(|c| Some(c.id()) != cause.map(|c| c.id()));
            let exc = cx.lower_opt(exc, n.end_byte());
            let cause = cx.lower_opt(cause, n.end_byte());
            cx.node(Kind::Throw, n, &[exc, cause])
        }
        "if_statement" | "elif_clause" => if_statement(cx, n),
        "else_clause" => {
            let body = cx.field(n, "body");
            cx.lower_opt(body, n.end_byte())
        }
        "for_statement" => {
            let left = cx.field(n, "left");
            let left = cx.lower_opt(left, n.start_byte());
            let right = cx.field(n, "right");
            let right = cx.lower_opt(right, n.start_byte());
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            let other = cx.field(n, "alternative");
            let other = cx.lower_opt(other, n.end_byte());
            cx.node(Kind::ForEach, n, &[left, right, body, other])
        }
        "while_statement" => {
            let cond = cx.field(n, "condition");
            let cond = cx.lower_opt(cond, n.start_byte());
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            let other = cx.field(n, "alternative");
            let other = cx.lower_opt(other, n.end_byte());
            cx.node(Kind::While, n, &[cond, body, other])
        }
        "try_statement" => {
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.start_byte());
            let mut handlers = Vec::new();
            let mut other = None;
            let mut finally = None;
            for c in cx.children(n) {
                match c.kind() {
                    "except_clause" | "except_group_clause" => handlers.push(cx.lower(c)),
                    "else_clause" => other = Some(cx.lower(c)),
                    "finally_clause" => finally = Some(cx.lower(c)),
                    _ => {}
                }
            }
            let handlers = cx.group(n.end_byte(), &handlers);
            let resources = cx.empty(n.start_byte());
            let other = other.unwrap_or_else(|| cx.empty(n.end_byte()));
            let finally = finally.unwrap_or_else(|| cx.empty(n.end_byte()));
            cx.node(Kind::Try, n, &[resources, body, handlers, other, finally])
        }
        "finally_clause" => {
            let kids = cx.lower_children(n);
            let span = cx.span(n);
            match kids.as_slice() {
                [one] => *one,
                _ => cx.push(Kind::Block, "", span, "", &kids),
            }
        }
        "except_clause" => {
            let alias = cx.field(n, "alias");
            let values = cx.fields(n, "value");
            let body = cx.children(n).into_iter().find(|c| c.kind() == "block");
            let types = match values.as_slice() {
                [] => cx.empty(n.start_byte()),
                [one] => match one.kind() {
                    // `except E as e` in older grammars: the value is an `as_pattern`.
                    "as_pattern" => as_pattern_parts(cx, *one).0,
                    _ => cx.lower(*one),
                },
                many => {
                    let kids: Vec<NodeId> = many.iter().map(|v| cx.lower(*v)).collect();
                    cx.group(n.start_byte(), &kids)
                }
            };
            let name = cx.lower_opt(alias, n.start_byte());
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::Catch, n, &[types, name, body])
        }
        "with_statement" => {
            let mut items = Vec::new();
            for clause in cx.children(n) {
                if clause.kind() == "with_clause" {
                    for item in cx.children(clause) {
                        items.push(cx.lower(item));
                    }
                }
            }
            let items = cx.group(n.start_byte(), &items);
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::With, n, &[items, body])
        }
        "with_item" => {
            let value = cx.field(n, "value");
            match value {
                Some(v) if v.kind() == "as_pattern" => {
                    let (e, alias) = as_pattern_parts(cx, v);
                    cx.node(Kind::WithItem, n, &[e, alias])
                }
                _ => {
                    let e = cx.lower_opt(value, n.start_byte());
                    let alias = cx.empty(n.end_byte());
                    cx.node(Kind::WithItem, n, &[e, alias])
                }
            }
        }
        "function_definition" => function(cx, n, n, &[]),
        "class_definition" => class(cx, n, n, &[]),
        "decorated_definition" => {
            let mut decorators = Vec::new();
            for c in cx.children(n) {
                if c.kind() == "decorator" {
                    let e = single_child(cx, c);
                    decorators.push(e);
                }
            }
            match cx.field(n, "definition") {
                // The definition spans its decorators, as Semgrep reports it.
                Some(d) if d.kind() == "function_definition" => function(cx, d, n, &decorators),
                Some(d) if d.kind() == "class_definition" => class(cx, d, n, &decorators),
                _ => cx.opaque(n),
            }
        }
        "type" => match cx.children(n).as_slice() {
            [inner] => cx.lower(*inner),
            _ => cx.opaque(n),
        },
        "interpolation" => {
            let e = cx.field(n, "expression");
            cx.lower_opt(e, n.start_byte())
        }
        "break_statement" => cx.node(Kind::Break, n, &[]),
        "continue_statement" => cx.node(Kind::Continue, n, &[]),
        "import_statement" => {
            for name in cx.fields(n, "name") {
                if name.kind() == "aliased_import" {
                    record_aliased(cx, name, &[]);
                }
            }
            cx.opaque(n)
        }
        "import_from_statement" => {
            let module = cx
                .field(n, "module_name")
                .map(|m| split_path(&cx.text(m)))
                .unwrap_or_default();
            for name in cx.fields(n, "name") {
                match name.kind() {
                    "aliased_import" => record_aliased(cx, name, &module),
                    _ => {
                        let imported = split_path(&cx.text(name));
                        if let Some(local) = imported.last().cloned() {
                            let mut path = module.clone();
                            path.extend(imported);
                            cx.alias(&local, path);
                        }
                    }
                }
            }
            cx.opaque(n)
        }
        _ => cx.opaque(n),
    }
}

/// `<... e ...>` in a pattern, parsed as `__DEEP__(e)`.
fn deep(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let arg = cx
        .field(n, "arguments")
        .and_then(|a| cx.children(a).into_iter().next());
    let inner = cx.lower_opt(arg, n.start_byte());
    cx.node(Kind::Deep, n, &[inner])
}

fn binary(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let op = cx.operator(n);
    let l = cx.field(n, "left");
    let l = cx.lower_opt(l, n.start_byte());
    let r = cx.field(n, "right");
    let r = cx.lower_opt(r, n.end_byte());
    let span = cx.span(n);
    cx.push(Kind::Binary, op, span, "", &[l, r])
}

fn spread(cx: &mut Cx<'_>, n: TsNode<'_>, op: &'static str) -> NodeId {
    let e = single_child(cx, n);
    let span = cx.span(n);
    cx.push(Kind::Spread, op, span, "", &[e])
}

/// The one named child of `n`, or an `Empty`.
fn single_child(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let first = cx.children(n).into_iter().next();
    cx.lower_opt(first, n.end_byte())
}

/// The children of `n` as one expression: itself when single, a tuple otherwise.
fn tuple_or_single(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let kids = cx.children(n);
    match kids.as_slice() {
        [one] => cx.lower(*one),
        _ => cx.list(Kind::Tuple, n),
    }
}

fn if_statement(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let cond = cx.field(n, "condition");
    let cond = cx.lower_opt(cond, n.start_byte());
    let then = cx.field(n, "consequence");
    let then = cx.lower_opt(then, n.end_byte());
    // `elif`s nest as the else branch of the previous condition.
    let alternatives = cx.fields(n, "alternative");
    let other = lower_alternatives(cx, &alternatives, n.end_byte());
    let span = cx.span(n);
    cx.push(Kind::If, "", span, "", &[cond, then, other])
}

fn lower_alternatives(cx: &mut Cx<'_>, alts: &[TsNode<'_>], at: usize) -> NodeId {
    let Some((first, rest)) = alts.split_first() else {
        return cx.empty(at);
    };
    match first.kind() {
        "elif_clause" => {
            let cond = cx.field(*first, "condition");
            let cond = cx.lower_opt(cond, first.start_byte());
            let then = cx.field(*first, "consequence");
            let then = cx.lower_opt(then, first.end_byte());
            let other = lower_alternatives(cx, rest, at);
            let end = cx
                .span_of(&[other])
                .map_or(first.end_byte(), |s| s.1.max(first.end_byte()));
            cx.push(
                Kind::If,
                "",
                (first.start_byte(), end),
                "",
                &[cond, then, other],
            )
        }
        _ => cx.lower(*first),
    }
}

fn function(cx: &mut Cx<'_>, n: TsNode<'_>, outer: TsNode<'_>, decorators: &[NodeId]) -> NodeId {
    let mut mods = decorators.to_vec();
    for c in cx.all_children(n) {
        if c.kind() == "async" {
            let span = cx.span(c);
            mods.push(cx.push(Kind::Keyword, "", span, "async", &[]));
        }
    }
    let mods = cx.modifiers(n.start_byte(), &mods);
    let name = cx.field(n, "name");
    let name = cx.lower_opt(name, n.start_byte());
    let params = match cx.field(n, "parameters") {
        Some(p) => params(cx, p),
        None => cx.group(n.start_byte(), &[]),
    };
    let ret = cx.field(n, "return_type");
    let ret = cx.lower_opt(ret, n.start_byte());
    let body = cx.field(n, "body");
    let body = cx.lower_opt(body, n.end_byte());
    cx.node(Kind::FuncDef, outer, &[mods, name, params, ret, body])
}

fn class(cx: &mut Cx<'_>, n: TsNode<'_>, outer: TsNode<'_>, decorators: &[NodeId]) -> NodeId {
    let mods = cx.modifiers(n.start_byte(), decorators);
    let name = cx.field(n, "name");
    let name = cx.lower_opt(name, n.start_byte());
    let bases = match cx.field(n, "superclasses") {
        Some(s) => {
            let kids = cx.lower_children(s);
            cx.group(s.start_byte(), &kids)
        }
        None => cx.group(n.start_byte(), &[]),
    };
    let body = cx.field(n, "body");
    let body = cx.lower_opt(body, n.end_byte());
    cx.node(Kind::ClassDef, outer, &[mods, name, bases, body])
}

fn params(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let kids: Vec<NodeId> = cx.children(n).into_iter().map(|p| param(cx, p)).collect();
    let span = cx.span(n);
    cx.push(Kind::Group, "", span, "", &kids)
}

fn param(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mods = cx.modifiers(n.start_byte(), &[]);
    let (name, ty, default) = match n.kind() {
        "identifier" | "list_splat_pattern" | "dictionary_splat_pattern" | "tuple_pattern" => {
            (Some(n), None, None)
        }
        "typed_parameter" => {
            let name = cx.children(n).into_iter().find(|c| c.kind() != "type");
            (name, cx.field(n, "type"), None)
        }
        "default_parameter" => (cx.field(n, "name"), None, cx.field(n, "value")),
        "typed_default_parameter" => (
            cx.field(n, "name"),
            cx.field(n, "type"),
            cx.field(n, "value"),
        ),
        _ => return cx.opaque(n),
    };
    let name = cx.lower_opt(name, n.start_byte());
    let ty = cx.lower_opt(ty, n.end_byte());
    let default = cx.lower_opt(default, n.end_byte());
    cx.param(n, [mods, name, ty, default])
}

/// `expr as name` (with items, old-style except clauses): the expression and the alias.
fn as_pattern_parts(cx: &mut Cx<'_>, n: TsNode<'_>) -> (NodeId, NodeId) {
    let alias = cx.field(n, "alias");
    let expr = cx
        .children(n)
        .into_iter()
        .find(|c| Some(c.id()) != alias.map(|a| a.id()));
    let e = cx.lower_opt(expr, n.start_byte());
    // The alias is an `as_pattern_target` wrapping the name.
    let target = alias.and_then(|a| cx.children(a).into_iter().next().or(Some(a)));
    let a = cx.lower_opt(target, n.end_byte());
    (e, a)
}

/// `import a.b as c` / `from m import a as c`: `c` stands for `m.a` / `a.b`.
fn record_aliased(cx: &mut Cx<'_>, n: TsNode<'_>, module: &[String]) {
    let (Some(name), Some(alias)) = (cx.field(n, "name"), cx.field(n, "alias")) else {
        return;
    };
    let mut path = module.to_vec();
    path.extend(split_path(&cx.text(name)));
    let local = cx.text(alias).into_owned();
    cx.alias(&local, path);
}

/// A string literal: plain strings become `Str` with their content, f-strings `Interp`.
fn string(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let kids = cx.children(n);
    let start = kids
        .iter()
        .find(|c| c.kind() == "string_start")
        .map_or(n.start_byte(), |c| c.end_byte());
    let end = kids
        .iter()
        .find(|c| c.kind() == "string_end")
        .map_or(n.end_byte(), |c| c.start_byte());
    // f-strings stay interpolated strings even without a `{}`, so `f"..."` only matches them.
    let is_f = kids
        .iter()
        .find(|c| c.kind() == "string_start")
        .is_some_and(|c| cx.text(*c).contains(['f', 'F']));
    if !is_f && !kids.iter().any(|c| c.kind() == "interpolation") {
        return cx.string(n, (start, end));
    }
    let mut parts = Vec::new();
    for c in kids {
        match c.kind() {
            "string_content" => {
                let span = cx.span(c);
                parts.push(cx.string(c, span));
            }
            "interpolation" => parts.push(cx.lower(c)),
            _ => {}
        }
    }
    cx.node(Kind::Interp, n, &parts)
}
