//! Go: tree-sitter-go → generic AST.

use tree_sitter::Node as TsNode;

use super::Cx;
use crate::ast::{Kind, NodeId};

pub(super) fn lower(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    match n.kind() {
        "source_file" => cx.list(Kind::Program, n),
        "block" => {
            // `{ statement_list }`: the list's statements are the block's.
            let mut kids = Vec::new();
            for c in cx.children(n) {
                if c.kind() == "statement_list" {
                    kids.extend(cx.lower_children(c));
                } else {
                    kids.push(cx.lower(c));
                }
            }
            cx.node(Kind::Block, n, &kids)
        }
        "statement_list" => cx.list(Kind::Block, n),
        "expression_statement" => {
            let e = single_child(cx, n);
            cx.expr_stmt(n, e)
        }
        "identifier" | "field_identifier" | "package_identifier" | "type_identifier"
        | "label_name" | "iota" | "blank_identifier" => cx.ident(n),
        "interpreted_string_literal" => {
            let (s, e) = cx.span(n);
            cx.string(n, (s + 1, e.saturating_sub(1).max(s + 1)))
        }
        "raw_string_literal" => {
            let (s, e) = cx.span(n);
            cx.string(n, (s + 1, e.saturating_sub(1).max(s + 1)))
        }
        "int_literal" | "float_literal" | "imaginary_literal" => cx.leaf(Kind::Num, n),
        "true" | "false" => cx.leaf(Kind::Bool, n),
        "nil" => cx.leaf(Kind::Null, n),
        "parenthesized_expression" => match cx.children(n).as_slice() {
            [inner] => cx.lower(*inner),
            _ => cx.opaque(n),
        },
        "call_expression" => {
            let callee = cx.field(n, "function");
            let callee = cx.lower_opt(callee, n.start_byte());
            if cx.pattern && cx.text_of(callee) == crate::pattern::DEEP {
                let arg = cx
                    .field(n, "arguments")
                    .and_then(|a| cx.children(a).into_iter().next());
                let inner = cx.lower_opt(arg, n.start_byte());
                return cx.node(Kind::Deep, n, &[inner]);
            }
            let args = match cx.field(n, "arguments") {
                Some(a) => cx.list(Kind::Args, a),
                None => cx.push(Kind::Args, "", (n.end_byte(), n.end_byte()), "", &[]),
            };
            cx.node(Kind::Call, n, &[callee, args])
        }
        "variadic_argument" => {
            let e = single_child(cx, n);
            let span = cx.span(n);
            cx.push(Kind::Spread, "...", span, "", &[e])
        }
        "selector_expression" => {
            let obj = cx.field(n, "operand");
            let obj = cx.lower_opt(obj, n.start_byte());
            let f = cx.field(n, "field");
            let f = cx.lower_opt(f, n.end_byte());
            cx.node(Kind::Member, n, &[obj, f])
        }
        "qualified_type" => {
            let pkg = cx.field(n, "package");
            let pkg = cx.lower_opt(pkg, n.start_byte());
            let name = cx.field(n, "name");
            let name = cx.lower_opt(name, n.end_byte());
            cx.node(Kind::Member, n, &[pkg, name])
        }
        "index_expression" => {
            let obj = cx.field(n, "operand");
            let obj = cx.lower_opt(obj, n.start_byte());
            let i = cx.field(n, "index");
            let i = cx.lower_opt(i, n.end_byte());
            cx.node(Kind::Index, n, &[obj, i])
        }
        "type_assertion_expression" | "type_conversion_expression" => {
            let t = cx.field(n, "type");
            let t = cx.lower_opt(t, n.start_byte());
            let e = cx.field(n, "operand");
            let e = cx.lower_opt(e, n.end_byte());
            cx.node(Kind::Cast, n, &[t, e])
        }
        "binary_expression" => {
            let op = cx.operator(n);
            let l = cx.field(n, "left");
            let l = cx.lower_opt(l, n.start_byte());
            let r = cx.field(n, "right");
            let r = cx.lower_opt(r, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::Binary, op, span, "", &[l, r])
        }
        "unary_expression" => {
            let op = cx.operator(n);
            let e = cx.field(n, "operand");
            let e = cx.lower_opt(e, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::Unary, op, span, "", &[e])
        }
        "inc_statement" | "dec_statement" => {
            let op = if n.kind() == "inc_statement" {
                "++"
            } else {
                "--"
            };
            let e = single_child(cx, n);
            let span = cx.span(n);
            let u = cx.push(Kind::Unary, op, span, "", &[e]);
            cx.node(Kind::ExprStmt, n, &[u])
        }
        "expression_list" => {
            let kids = cx.lower_children(n);
            match kids.as_slice() {
                [one] => *one,
                _ => cx.node(Kind::Tuple, n, &kids),
            }
        }
        "assignment_statement" => {
            let op = cx.operator(n);
            let l = cx.field(n, "left");
            let l = cx.lower_opt(l, n.start_byte());
            let r = cx.field(n, "right");
            let r = cx.lower_opt(r, n.end_byte());
            if op == "=" {
                let a = cx.node(Kind::Assign, n, &[l, r]);
                cx.node(Kind::ExprStmt, n, &[a])
            } else {
                let span = cx.span(n);
                let a = cx.push(Kind::AugAssign, op, span, "", &[l, r]);
                cx.node(Kind::ExprStmt, n, &[a])
            }
        }
        "short_var_declaration" => {
            let mods = cx.modifiers(n.start_byte(), &[]);
            let l = cx.field(n, "left");
            let l = cx.lower_opt(l, n.start_byte());
            let ty = cx.empty(n.start_byte());
            let r = cx.field(n, "right");
            let r = cx.lower_opt(r, n.end_byte());
            cx.node(Kind::VarDecl, n, &[mods, l, ty, r])
        }
        "var_declaration" | "const_declaration" => {
            let mut decls = Vec::new();
            for c in cx.children(n) {
                match c.kind() {
                    "var_spec" | "const_spec" => decls.push(spec(cx, c)),
                    "var_spec_list" => {
                        for s in cx.children(c) {
                            decls.push(spec(cx, s));
                        }
                    }
                    _ => decls.push(cx.lower(c)),
                }
            }
            match decls.as_slice() {
                [one] => *one,
                _ => cx.node(Kind::Splice, n, &decls),
            }
        }
        "composite_literal" => {
            // `T{a: 1, b}`: keyed elements are keyword arguments, matched in any order.
            let t = cx.field(n, "type");
            let t = cx.lower_opt(t, n.start_byte());
            let body = cx.field(n, "body");
            let args = match body {
                Some(b) => {
                    let elems: Vec<NodeId> = cx
                        .children(b)
                        .into_iter()
                        .map(|e| literal_element(cx, e))
                        .collect();
                    let span = cx.span(b);
                    cx.push(Kind::Args, "", span, "", &elems)
                }
                None => cx.push(Kind::Args, "", (n.end_byte(), n.end_byte()), "", &[]),
            };
            let none = cx.empty(n.end_byte());
            cx.node(Kind::New, n, &[t, args, none])
        }
        "literal_value" => {
            let elems: Vec<NodeId> = cx
                .children(n)
                .into_iter()
                .map(|e| literal_element(cx, e))
                .collect();
            cx.node(Kind::List, n, &elems)
        }
        "literal_element" => single_child(cx, n),
        "func_literal" => {
            let params = match cx.field(n, "parameters") {
                Some(p) => params(cx, p),
                None => cx.group(n.start_byte(), &[]),
            };
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::Lambda, n, &[params, body])
        }
        "function_declaration" | "method_declaration" => {
            let receiver = match cx.field(n, "receiver") {
                Some(r) => {
                    let p = params(cx, r);
                    vec![p]
                }
                None => Vec::new(),
            };
            let mods = cx.modifiers(n.start_byte(), &receiver);
            let name = cx.field(n, "name");
            let name = cx.lower_opt(name, n.start_byte());
            // A top-level `...` in a pattern, spelled `func __ELL__() {}`.
            if cx.kind_of(name) == Kind::Ellipsis {
                return name;
            }
            let params = match cx.field(n, "parameters") {
                Some(p) => params(cx, p),
                None => cx.group(n.start_byte(), &[]),
            };
            let ret = cx.field(n, "result");
            let ret = cx.lower_opt(ret, n.start_byte());
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::FuncDef, n, &[mods, name, params, ret, body])
        }
        "type_spec" => {
            let mods = cx.modifiers(n.start_byte(), &[]);
            let name = cx.field(n, "name");
            let name = cx.lower_opt(name, n.start_byte());
            let ty = cx.field(n, "type");
            let bases = match ty {
                Some(t) => {
                    let t = cx.lower(t);
                    cx.group(n.start_byte(), &[t])
                }
                None => cx.group(n.start_byte(), &[]),
            };
            let body = cx.empty(n.end_byte());
            cx.node(Kind::ClassDef, n, &[mods, name, bases, body])
        }
        "if_statement" => {
            let cond = cx.field(n, "condition");
            let cond = cx.lower_opt(cond, n.start_byte());
            let then = cx.field(n, "consequence");
            let then = cx.lower_opt(then, n.end_byte());
            let other = match cx.field(n, "alternative") {
                Some(a) => {
                    let id = cx.lower(a);
                    if cx.kind_of(id) == Kind::Splice {
                        // An `else if` with an initializer: keep it one statement.
                        cx.body(a)
                    } else {
                        id
                    }
                }
                None => cx.empty(n.end_byte()),
            };
            let if_node = cx.node(Kind::If, n, &[cond, then, other]);
            // `if x := f(); cond {}`: the initializer runs first, like a statement before it.
            match cx.field(n, "initializer") {
                Some(init) => {
                    let init = cx.lower(init);
                    cx.node(Kind::Splice, n, &[init, if_node])
                }
                None => if_node,
            }
        }
        "for_statement" => {
            let body = cx.field(n, "body");
            let clause = cx.children(n).into_iter().find(|c| c.kind() != "block");
            match clause {
                Some(c) if c.kind() == "for_clause" => {
                    let init = cx.field(c, "initializer");
                    let init = cx.lower_opt(init, c.start_byte());
                    let cond = cx.field(c, "condition");
                    let cond = cx.lower_opt(cond, c.start_byte());
                    let update = cx.field(c, "update");
                    let update = cx.lower_opt(update, c.end_byte());
                    let body = cx.lower_opt(body, n.end_byte());
                    cx.node(Kind::For, n, &[init, cond, update, body])
                }
                Some(c) if c.kind() == "range_clause" => {
                    let left = cx.field(c, "left");
                    let left = cx.lower_opt(left, c.start_byte());
                    let right = cx.field(c, "right");
                    let right = cx.lower_opt(right, c.end_byte());
                    let body = cx.lower_opt(body, n.end_byte());
                    let other = cx.empty(n.end_byte());
                    cx.node(Kind::ForEach, n, &[left, right, body, other])
                }
                cond => {
                    let cond = cx.lower_opt(cond, n.start_byte());
                    let body = cx.lower_opt(body, n.end_byte());
                    let other = cx.empty(n.end_byte());
                    cx.node(Kind::While, n, &[cond, body, other])
                }
            }
        }
        "return_statement" => {
            let e = single_child(cx, n);
            cx.node(Kind::Return, n, &[e])
        }
        "break_statement" => cx.node(Kind::Break, n, &[]),
        "continue_statement" => cx.node(Kind::Continue, n, &[]),
        // Each imported package is its own top-level statement, so `import "math/rand"`
        // followed by `...` works as a `pattern-inside` whatever the file's import grouping.
        "import_declaration" => {
            let mut specs = Vec::new();
            for c in cx.children(n) {
                if c.kind() == "import_spec_list" {
                    for s in cx.children(c) {
                        specs.push(cx.lower(s));
                    }
                } else {
                    specs.push(cx.lower(c));
                }
            }
            match specs.as_slice() {
                [one] => *one,
                _ => cx.node(Kind::Splice, n, &specs),
            }
        }
        "import_spec" => {
            record_import(cx, n);
            cx.opaque(n)
        }
        _ => cx.opaque(n),
    }
}

fn single_child(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let first = cx.children(n).into_iter().next();
    cx.lower_opt(first, n.end_byte())
}

/// An element of a composite literal: `key: value` with a plain field name is a keyword
/// argument (so struct fields match in any order); other keys make a `Pair`.
fn literal_element(cx: &mut Cx<'_>, e: TsNode<'_>) -> NodeId {
    if e.kind() != "keyed_element" {
        return cx.lower(e);
    }
    let key = cx.field(e, "key");
    let value = cx.field(e, "value");
    let key_inner = key.and_then(|k| {
        if k.kind() == "literal_element" {
            cx.children(k).into_iter().next()
        } else {
            Some(k)
        }
    });
    let k = cx.lower_opt(key_inner, e.start_byte());
    let v = cx.lower_opt(value, e.end_byte());
    let kind = if matches!(cx.kind_of(k), Kind::Ident | Kind::Metavar) {
        Kind::KwArg
    } else {
        Kind::Pair
    };
    cx.node(kind, e, &[k, v])
}

/// `var a, b T = x, y` → one `VarDecl` (names and values as tuples when several).
fn spec(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mods = cx.modifiers(n.start_byte(), &[]);
    let names: Vec<NodeId> = cx
        .fields(n, "name")
        .into_iter()
        .filter(|c| c.is_named())
        .map(|c| cx.lower(c))
        .collect();
    let name = match names.as_slice() {
        [one] => *one,
        [] => cx.empty(n.start_byte()),
        _ => {
            let span = cx
                .span_of(&names)
                .unwrap_or((n.start_byte(), n.start_byte()));
            cx.push(Kind::Tuple, "", span, "", &names)
        }
    };
    let ty = cx.field(n, "type");
    let ty = cx.lower_opt(ty, n.start_byte());
    let value = cx.field(n, "value");
    let value = cx.lower_opt(value, n.end_byte());
    cx.node(Kind::VarDecl, n, &[mods, name, ty, value])
}

fn params(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mut kids = Vec::new();
    for p in cx.children(n) {
        match p.kind() {
            "parameter_declaration" | "variadic_parameter_declaration" => {
                let ty = cx.field(p, "type");
                let names: Vec<TsNode<'_>> = cx
                    .fields(p, "name")
                    .into_iter()
                    .filter(|c| c.is_named())
                    .collect();
                if names.is_empty() {
                    let mods = cx.modifiers(p.start_byte(), &[]);
                    let name = cx.empty(p.start_byte());
                    let ty = cx.lower_opt(ty, p.end_byte());
                    let default = cx.empty(p.end_byte());
                    kids.push(cx.param(p, [mods, name, ty, default]));
                }
                // `a, b int` declares two parameters of the same type.
                for nm in names {
                    let mods = cx.modifiers(p.start_byte(), &[]);
                    let name = cx.lower(nm);
                    let ty = cx.lower_opt(ty, p.end_byte());
                    let default = cx.empty(p.end_byte());
                    kids.push(cx.param(p, [mods, name, ty, default]));
                }
            }
            _ => kids.push(cx.lower(p)),
        }
    }
    let span = cx.span(n);
    cx.push(Kind::Group, "", span, "", &kids)
}

/// `import m "crypto/md5"` makes `m` stand for `md5` (the package's own name).
fn record_import(cx: &mut Cx<'_>, n: TsNode<'_>) {
    let (Some(name), Some(path)) = (cx.field(n, "name"), cx.field(n, "path")) else {
        return;
    };
    if name.kind() != "package_identifier" {
        return;
    }
    let path = cx.text(path);
    let path = path.trim_matches(['"', '`']);
    if let Some(last) = path.rsplit('/').next() {
        let local = cx.text(name).into_owned();
        cx.alias(&local, vec![last.to_owned()]);
    }
}
