//! Java: tree-sitter-java → generic AST.

use tree_sitter::Node as TsNode;

use super::{Cx, split_path};
use crate::ast::{Kind, NodeId};

pub(super) fn lower(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    match n.kind() {
        "program" => cx.list(Kind::Program, n),
        "block"
        | "class_body"
        | "interface_body"
        | "constructor_body"
        | "enum_body_declarations"
        | "annotation_type_body" => cx.list(Kind::Block, n),
        "enum_body" => cx.list(Kind::Block, n),
        "expression_statement" => {
            let e = single_child(cx, n);
            cx.expr_stmt(n, e)
        }
        "identifier"
        | "type_identifier"
        | "this"
        | "super"
        | "boolean_type"
        | "integral_type"
        | "floating_point_type"
        | "void_type" => cx.ident(n),
        "scoped_identifier" | "scoped_type_identifier" => scoped(cx, n),
        "string_literal" => string(cx, n),
        "decimal_integer_literal"
        | "hex_integer_literal"
        | "octal_integer_literal"
        | "binary_integer_literal"
        | "decimal_floating_point_literal"
        | "hex_floating_point_literal" => cx.leaf(Kind::Num, n),
        "true" | "false" => cx.leaf(Kind::Bool, n),
        "null_literal" => cx.leaf(Kind::Null, n),
        "parenthesized_expression" => match cx.children(n).as_slice() {
            [inner] => cx.lower(*inner),
            _ => cx.opaque(n),
        },
        "method_invocation" => {
            let name = cx.field(n, "name");
            let name_id = cx.lower_opt(name, n.start_byte());
            if cx.pattern && cx.text_of(name_id) == crate::pattern::DEEP {
                let arg = cx
                    .field(n, "arguments")
                    .and_then(|a| cx.children(a).into_iter().next());
                let inner = cx.lower_opt(arg, n.start_byte());
                return cx.node(Kind::Deep, n, &[inner]);
            }
            let callee = match cx.field(n, "object") {
                Some(obj) => {
                    let o = cx.lower(obj);
                    let end = name.map_or(n.end_byte(), |nm| nm.end_byte());
                    cx.push(Kind::Member, "", (n.start_byte(), end), "", &[o, name_id])
                }
                None => name_id,
            };
            let args = match cx.field(n, "arguments") {
                Some(a) => cx.list(Kind::Args, a),
                None => cx.push(Kind::Args, "", (n.end_byte(), n.end_byte()), "", &[]),
            };
            cx.node(Kind::Call, n, &[callee, args])
        }
        "argument_list" => cx.list(Kind::Args, n),
        "object_creation_expression" => {
            let ty = cx.field(n, "type");
            let ty = cx.lower_opt(ty, n.start_byte());
            let args = match cx.field(n, "arguments") {
                Some(a) => cx.list(Kind::Args, a),
                None => cx.push(Kind::Args, "", (n.end_byte(), n.end_byte()), "", &[]),
            };
            let body = cx
                .children(n)
                .into_iter()
                .find(|c| c.kind() == "class_body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::New, n, &[ty, args, body])
        }
        "field_access" => {
            let obj = cx.field(n, "object");
            let obj = cx.lower_opt(obj, n.start_byte());
            let f = cx.field(n, "field");
            let f = cx.lower_opt(f, n.end_byte());
            cx.node(Kind::Member, n, &[obj, f])
        }
        "array_access" => {
            let a = cx.field(n, "array");
            let a = cx.lower_opt(a, n.start_byte());
            let i = cx.field(n, "index");
            let i = cx.lower_opt(i, n.end_byte());
            cx.node(Kind::Index, n, &[a, i])
        }
        "assignment_expression" => {
            let op = cx.operator(n);
            let l = cx.field(n, "left");
            let l = cx.lower_opt(l, n.start_byte());
            let r = cx.field(n, "right");
            let r = cx.lower_opt(r, n.end_byte());
            if op == "=" {
                cx.node(Kind::Assign, n, &[l, r])
            } else {
                let span = cx.span(n);
                cx.push(Kind::AugAssign, op, span, "", &[l, r])
            }
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
        "instanceof_expression" => {
            let l = cx.field(n, "left");
            let l = cx.lower_opt(l, n.start_byte());
            let r = cx.field(n, "right").or_else(|| cx.field(n, "pattern"));
            let r = cx.lower_opt(r, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::Binary, "instanceof", span, "", &[l, r])
        }
        "unary_expression" => {
            let op = cx.operator(n);
            let e = cx.field(n, "operand");
            let e = cx.lower_opt(e, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::Unary, op, span, "", &[e])
        }
        "update_expression" => {
            let op = cx
                .all_children(n)
                .into_iter()
                .find(|c| !c.is_named())
                .map_or("", |c| cx.sym(c));
            let e = single_child(cx, n);
            let span = cx.span(n);
            cx.push(Kind::Unary, op, span, "", &[e])
        }
        "ternary_expression" => {
            let c = cx.field(n, "condition");
            let c = cx.lower_opt(c, n.start_byte());
            let t = cx.field(n, "consequence");
            let t = cx.lower_opt(t, n.end_byte());
            let e = cx.field(n, "alternative");
            let e = cx.lower_opt(e, n.end_byte());
            cx.node(Kind::Cond, n, &[c, t, e])
        }
        "cast_expression" => {
            let t = cx.fields(n, "type").into_iter().next();
            let t = cx.lower_opt(t, n.start_byte());
            let v = cx.field(n, "value");
            let v = cx.lower_opt(v, n.end_byte());
            cx.node(Kind::Cast, n, &[t, v])
        }
        "lambda_expression" => {
            let params = match cx.field(n, "parameters") {
                Some(p) if p.kind() == "identifier" => {
                    let one = simple_param(cx, p);
                    cx.group(p.start_byte(), &[one])
                }
                Some(p) => params(cx, p),
                None => cx.group(n.start_byte(), &[]),
            };
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::Lambda, n, &[params, body])
        }
        "array_initializer" | "element_value_array_initializer" => cx.list(Kind::List, n),
        "local_variable_declaration" | "field_declaration" | "constant_declaration" => {
            declaration(cx, n)
        }
        "method_declaration" | "constructor_declaration" | "compact_constructor_declaration" => {
            method(cx, n)
        }
        "class_declaration"
        | "interface_declaration"
        | "enum_declaration"
        | "record_declaration"
        | "annotation_type_declaration" => class(cx, n),
        "formal_parameter" | "spread_parameter" | "catch_formal_parameter" => {
            formal_parameter(cx, n)
        }
        "if_statement" => {
            let cond = cx.field(n, "condition");
            let cond = cx.lower_opt(cond, n.start_byte());
            let then = match cx.field(n, "consequence") {
                Some(t) => cx.body(t),
                None => cx.empty(n.end_byte()),
            };
            let other = match cx.field(n, "alternative") {
                Some(a) if a.kind() == "if_statement" => cx.lower(a),
                Some(a) => cx.body(a),
                None => cx.empty(n.end_byte()),
            };
            cx.node(Kind::If, n, &[cond, then, other])
        }
        "while_statement" => {
            let cond = cx.field(n, "condition");
            let cond = cx.lower_opt(cond, n.start_byte());
            let body = match cx.field(n, "body") {
                Some(b) => cx.body(b),
                None => cx.empty(n.end_byte()),
            };
            let other = cx.empty(n.end_byte());
            cx.node(Kind::While, n, &[cond, body, other])
        }
        "for_statement" => {
            let inits: Vec<NodeId> = cx
                .fields(n, "init")
                .into_iter()
                .map(|i| cx.lower(i))
                .collect();
            let init = cx.group(n.start_byte(), &inits);
            let cond = cx.field(n, "condition");
            let cond = cx.lower_opt(cond, n.start_byte());
            let updates: Vec<NodeId> = cx
                .fields(n, "update")
                .into_iter()
                .map(|u| cx.lower(u))
                .collect();
            let update = cx.group(n.start_byte(), &updates);
            let body = match cx.field(n, "body") {
                Some(b) => cx.body(b),
                None => cx.empty(n.end_byte()),
            };
            cx.node(Kind::For, n, &[init, cond, update, body])
        }
        "enhanced_for_statement" => {
            let mods = cx.modifiers(n.start_byte(), &[]);
            let name = cx.field(n, "name");
            let name = cx.lower_opt(name, n.start_byte());
            let ty = cx.field(n, "type");
            let ty = cx.lower_opt(ty, n.start_byte());
            let value = cx.empty(n.start_byte());
            let target = cx.node(Kind::VarDecl, n, &[mods, name, ty, value]);
            let iter = cx.field(n, "value");
            let iter = cx.lower_opt(iter, n.start_byte());
            let body = match cx.field(n, "body") {
                Some(b) => cx.body(b),
                None => cx.empty(n.end_byte()),
            };
            let other = cx.empty(n.end_byte());
            cx.node(Kind::ForEach, n, &[target, iter, body, other])
        }
        "return_statement" => {
            let e = single_child(cx, n);
            cx.node(Kind::Return, n, &[e])
        }
        "throw_statement" => {
            let e = single_child(cx, n);
            let cause = cx.empty(n.end_byte());
            cx.node(Kind::Throw, n, &[e, cause])
        }
        "try_statement" | "try_with_resources_statement" => {
            let resources = cx.field(n, "resources");
            let resources = match resources {
                Some(r) => {
                    let kids = cx.lower_children(r);
                    cx.group(r.start_byte(), &kids)
                }
                None => cx.empty(n.start_byte()),
            };
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.start_byte());
            let mut handlers = Vec::new();
            let mut finally = None;
            for c in cx.children(n) {
                match c.kind() {
                    "catch_clause" => handlers.push(cx.lower(c)),
                    "finally_clause" => {
                        let b = cx.children(c).into_iter().next();
                        finally = Some(cx.lower_opt(b, c.end_byte()));
                    }
                    _ => {}
                }
            }
            let handlers = cx.group(n.end_byte(), &handlers);
            let other = cx.empty(n.end_byte());
            let finally = finally.unwrap_or_else(|| cx.empty(n.end_byte()));
            cx.node(Kind::Try, n, &[resources, body, handlers, other, finally])
        }
        "resource" => {
            // `Type name = value` in try-with-resources, or an existing variable.
            match cx.field(n, "value") {
                Some(v) => {
                    let mods = cx.modifiers(n.start_byte(), &[]);
                    let name = cx.field(n, "name");
                    let name = cx.lower_opt(name, n.start_byte());
                    let ty = cx.field(n, "type");
                    let ty = cx.lower_opt(ty, n.start_byte());
                    let v = cx.lower(v);
                    cx.node(Kind::VarDecl, n, &[mods, name, ty, v])
                }
                None => cx.opaque(n),
            }
        }
        "catch_clause" => {
            let param = cx
                .children(n)
                .into_iter()
                .find(|c| c.kind() == "catch_formal_parameter");
            let (types, name) = match param {
                Some(p) => {
                    let type_nodes: Vec<TsNode<'_>> = cx
                        .children(p)
                        .into_iter()
                        .filter(|c| c.kind() == "catch_type")
                        .flat_map(|c| cx.children(c))
                        .collect();
                    let types: Vec<NodeId> = type_nodes.into_iter().map(|t| cx.lower(t)).collect();
                    let types = match types.as_slice() {
                        [one] => *one,
                        _ => cx.group(p.start_byte(), &types),
                    };
                    let name = cx.field(p, "name");
                    (types, cx.lower_opt(name, p.end_byte()))
                }
                None => (cx.empty(n.start_byte()), cx.empty(n.start_byte())),
            };
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::Catch, n, &[types, name, body])
        }
        "break_statement" => cx.node(Kind::Break, n, &[]),
        "continue_statement" => cx.node(Kind::Continue, n, &[]),
        "annotation" | "marker_annotation" => {
            let name = cx.field(n, "name");
            let name = cx.lower_opt(name, n.start_byte());
            let args = match cx.field(n, "arguments") {
                Some(a) => cx.list(Kind::Args, a),
                None => cx.empty(n.end_byte()),
            };
            cx.node(Kind::Annotation, n, &[name, args])
        }
        "element_value_pair" => {
            let k = cx.field(n, "key");
            let k = cx.lower_opt(k, n.start_byte());
            // `...` among annotation arguments, spelled `__ELL__ = __ELL__` in patterns.
            if cx.kind_of(k) == Kind::Ellipsis {
                return k;
            }
            let v = cx.field(n, "value");
            let v = cx.lower_opt(v, n.end_byte());
            cx.node(Kind::KwArg, n, &[k, v])
        }
        "import_declaration" => {
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

/// `a.b.c` written as nested scoped identifiers: a `Member` chain.
fn scoped(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let kids = cx.children(n);
    let (scope, name) = match (cx.field(n, "scope"), cx.field(n, "name")) {
        (Some(s), Some(nm)) => (Some(s), Some(nm)),
        _ => match kids.as_slice() {
            [s, nm] if nm.kind() == "type_identifier" => (Some(*s), Some(*nm)),
            _ => return cx.opaque(n),
        },
    };
    let s = cx.lower_opt(scope, n.start_byte());
    let nm = cx.lower_opt(name, n.end_byte());
    cx.node(Kind::Member, n, &[s, nm])
}

/// Modifier keywords and annotations of a declaration.
fn modifiers(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mut items = Vec::new();
    for c in cx.children(n) {
        if c.kind() != "modifiers" {
            continue;
        }
        for m in cx.all_children(c) {
            match m.kind() {
                "annotation" | "marker_annotation" => items.push(cx.lower(m)),
                _ if !m.is_named() => {
                    let word = cx.text(m).into_owned();
                    let span = cx.span(m);
                    items.push(cx.push(Kind::Keyword, "", span, &word, &[]));
                }
                _ => {}
            }
        }
    }
    // Annotations written on a method but outside `modifiers`.
    for c in cx.children(n) {
        if matches!(c.kind(), "annotation" | "marker_annotation") {
            items.push(cx.lower(c));
        }
    }
    cx.modifiers(n.start_byte(), &items)
}

/// `int a = 1, b;` → one `VarDecl` per declarator.
fn declaration(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let declarators = cx.fields(n, "declarator");
    let ty_node = cx.field(n, "type");
    let mut decls = Vec::new();
    for d in declarators {
        let mods = modifiers(cx, n);
        let ty = cx.lower_opt(ty_node, n.start_byte());
        let name = cx.field(d, "name");
        let name = cx.lower_opt(name, d.start_byte());
        // `...` in a class body of a pattern is spelled as a field `__ELLT__ __ELL__;`.
        if matches!(cx.kind_of(name), Kind::Ellipsis | Kind::MetavarEllipsis) {
            decls.push(name);
            continue;
        }
        let value = cx.field(d, "value");
        let value = cx.lower_opt(value, d.end_byte());
        // Each declaration spans the whole statement, as Semgrep reports it.
        decls.push(cx.node(Kind::VarDecl, n, &[mods, name, ty, value]));
    }
    match decls.as_slice() {
        [one] => *one,
        _ => cx.node(Kind::Splice, n, &decls),
    }
}

fn method(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mods = modifiers(cx, n);
    let name = cx.field(n, "name");
    let name = cx.lower_opt(name, n.start_byte());
    let params = match cx.field(n, "parameters") {
        Some(p) => params(cx, p),
        None => cx.group(n.start_byte(), &[]),
    };
    let ret = cx.field(n, "type");
    let ret = cx.lower_opt(ret, n.start_byte());
    let body = cx.field(n, "body");
    let body = cx.lower_opt(body, n.end_byte());
    cx.node(Kind::FuncDef, n, &[mods, name, params, ret, body])
}

fn class(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mods = modifiers(cx, n);
    let name = cx.field(n, "name");
    let name = cx.lower_opt(name, n.start_byte());
    let mut bases = Vec::new();
    if let Some(p) = cx.field(n, "parameters") {
        for c in cx.children(p) {
            bases.push(formal_parameter(cx, c));
        }
    }
    for field in ["superclass", "interfaces"] {
        if let Some(s) = cx.field(n, field) {
            for t in flatten_types(cx, s) {
                bases.push(cx.lower(t));
            }
        }
    }
    for c in cx.children(n) {
        if c.kind() == "extends_interfaces" {
            for t in flatten_types(cx, c) {
                bases.push(cx.lower(t));
            }
        }
    }
    let bases = cx.group(n.start_byte(), &bases);
    let body = cx.field(n, "body");
    let body = cx.lower_opt(body, n.end_byte());
    cx.node(Kind::ClassDef, n, &[mods, name, bases, body])
}

/// The types inside `extends X` / `implements A, B` (through their `type_list`).
fn flatten_types<'t>(cx: &Cx<'_>, n: TsNode<'t>) -> Vec<TsNode<'t>> {
    let mut out = Vec::new();
    for c in cx.children(n) {
        if c.kind() == "type_list" {
            out.extend(cx.children(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn params(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let kids: Vec<NodeId> = cx
        .children(n)
        .into_iter()
        .map(|p| match p.kind() {
            "identifier" => simple_param(cx, p),
            _ => cx.lower(p),
        })
        .collect();
    let span = cx.span(n);
    cx.push(Kind::Group, "", span, "", &kids)
}

fn simple_param(cx: &mut Cx<'_>, p: TsNode<'_>) -> NodeId {
    let mods = cx.modifiers(p.start_byte(), &[]);
    let name = cx.ident(p);
    let ty = cx.empty(p.start_byte());
    let default = cx.empty(p.end_byte());
    cx.param(p, [mods, name, ty, default])
}

fn formal_parameter(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mods = modifiers(cx, n);
    let (name, ty) = if n.kind() == "spread_parameter" {
        let kids = cx.children(n);
        let ty = kids
            .iter()
            .find(|c| !matches!(c.kind(), "modifiers" | "variable_declarator"))
            .copied();
        let name = kids
            .iter()
            .find(|c| c.kind() == "variable_declarator")
            .and_then(|d| cx.field(*d, "name"));
        (name, ty)
    } else {
        (cx.field(n, "name"), cx.field(n, "type"))
    };
    let name = cx.lower_opt(name, n.end_byte());
    let ty = cx.lower_opt(ty, n.start_byte());
    let default = cx.empty(n.end_byte());
    cx.param(n, [mods, name, ty, default])
}

fn string(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let (s, e) = cx.span(n);
    let text = cx.text(n);
    let q = if text.starts_with("\"\"\"") { 3 } else { 1 };
    cx.string(n, (s + q, e.saturating_sub(q).max(s + q)))
}

/// `import a.b.C;` makes `C` stand for `a.b.C`; `import static a.b.C.m;` makes `m` stand for
/// `a.b.C.m`.
fn record_import(cx: &mut Cx<'_>, n: TsNode<'_>) {
    let Some(path) = cx
        .children(n)
        .into_iter()
        .find(|c| matches!(c.kind(), "scoped_identifier" | "identifier"))
    else {
        return;
    };
    let wildcard = cx.children(n).iter().any(|c| c.kind() == "asterisk");
    if wildcard {
        return;
    }
    let full = split_path(&cx.text(path));
    if let Some(local) = full.last().cloned() {
        cx.alias(&local, full);
    }
}
