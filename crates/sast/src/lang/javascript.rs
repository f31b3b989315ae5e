//! JavaScript, TypeScript and TSX: tree-sitter-javascript / -typescript → generic AST.
//!
//! The grammars share their node names, so one module lowers all three; TypeScript-only nodes
//! (types, accessibility modifiers, `as` expressions) are handled here too.

use tree_sitter::Node as TsNode;

use super::Cx;
use crate::ast::{Kind, NodeId};

pub(super) fn lower(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    match n.kind() {
        "program" => cx.list(Kind::Program, n),
        "statement_block" | "class_body" => block(cx, n),
        "expression_statement" => {
            let e = single_child(cx, n);
            cx.expr_stmt(n, e)
        }
        "empty_statement" => cx.node(Kind::Block, n, &[]),
        "identifier"
        | "property_identifier"
        | "shorthand_property_identifier_pattern"
        | "private_property_identifier"
        | "type_identifier"
        | "statement_identifier"
        | "predefined_type"
        | "this"
        | "super" => cx.ident(n),
        "shorthand_property_identifier" => {
            // `{x}` is `{x: x}`; in a pattern `{..., k: v}` spells its ellipsis this way.
            let id = cx.ident(n);
            if matches!(cx.kind_of(id), Kind::Ellipsis | Kind::MetavarEllipsis) {
                return id;
            }
            let value = cx.ident(n);
            cx.node(Kind::Pair, n, &[id, value])
        }
        "string" => string(cx, n),
        "template_string" => template(cx, n),
        "number" => cx.leaf(Kind::Num, n),
        "true" | "false" => cx.leaf(Kind::Bool, n),
        "null" | "undefined" => cx.leaf(Kind::Null, n),
        "regex" => cx.leaf(Kind::Regex, n),
        "parenthesized_expression" => match cx.children(n).as_slice() {
            [inner] => cx.lower(*inner),
            _ => cx.opaque(n),
        },
        "call_expression" => call(cx, n),
        "new_expression" => {
            let ctor = cx.field(n, "constructor");
            let ctor = cx.lower_opt(ctor, n.start_byte());
            let args = match cx.field(n, "arguments") {
                Some(a) => cx.list(Kind::Args, a),
                None => cx.push(Kind::Args, "", (n.end_byte(), n.end_byte()), "", &[]),
            };
            let body = cx.empty(n.end_byte());
            cx.node(Kind::New, n, &[ctor, args, body])
        }
        "arguments" => cx.list(Kind::Args, n),
        "member_expression" => {
            let obj = cx.field(n, "object");
            let obj = cx.lower_opt(obj, n.start_byte());
            let prop = cx.field(n, "property");
            let prop = cx.lower_opt(prop, n.end_byte());
            cx.node(Kind::Member, n, &[obj, prop])
        }
        "subscript_expression" => {
            let obj = cx.field(n, "object");
            let obj = cx.lower_opt(obj, n.start_byte());
            let index = cx.field(n, "index");
            let index = cx.lower_opt(index, n.end_byte());
            cx.node(Kind::Index, n, &[obj, index])
        }
        "assignment_expression" => {
            let l = cx.field(n, "left");
            let l = cx.lower_opt(l, n.start_byte());
            let r = cx.field(n, "right");
            let r = cx.lower_opt(r, n.end_byte());
            cx.node(Kind::Assign, n, &[l, r])
        }
        "augmented_assignment_expression" => {
            let op = cx.operator(n);
            let l = cx.field(n, "left");
            let l = cx.lower_opt(l, n.start_byte());
            let r = cx.field(n, "right");
            let r = cx.lower_opt(r, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::AugAssign, op, span, "", &[l, r])
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
        "unary_expression" | "update_expression" => {
            let op = cx.operator(n);
            let arg = cx.field(n, "argument");
            let arg = cx.lower_opt(arg, n.end_byte());
            let span = cx.span(n);
            cx.push(Kind::Unary, op, span, "", &[arg])
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
        "await_expression" => {
            let e = single_child(cx, n);
            cx.node(Kind::Await, n, &[e])
        }
        "yield_expression" => {
            let e = single_child(cx, n);
            cx.node(Kind::Yield, n, &[e])
        }
        "spread_element" | "rest_pattern" => {
            let e = single_child(cx, n);
            let span = cx.span(n);
            cx.push(Kind::Spread, "...", span, "", &[e])
        }
        "as_expression" | "satisfies_expression" => match cx.children(n).as_slice() {
            [e, t] => {
                let e = cx.lower(*e);
                let t = cx.lower(*t);
                cx.node(Kind::Cast, n, &[t, e])
            }
            _ => cx.opaque(n),
        },
        // `x!` asserts non-null: the same value for matching purposes.
        "non_null_expression" => single_child(cx, n),
        "type_annotation" => single_child(cx, n),
        "object" | "object_pattern" => cx.list(Kind::Dict, n),
        "pair" | "pair_pattern" => {
            let k = cx.field(n, "key");
            let k = cx.lower_opt(k, n.start_byte());
            let v = cx.field(n, "value");
            let v = cx.lower_opt(v, n.end_byte());
            cx.node(Kind::Pair, n, &[k, v])
        }
        "computed_property_name" => single_child(cx, n),
        "array" | "array_pattern" => cx.list(Kind::List, n),
        "arrow_function" => {
            let params = match (cx.field(n, "parameters"), cx.field(n, "parameter")) {
                (Some(p), _) => params(cx, p),
                (None, Some(p)) => {
                    let one = param(cx, p);
                    cx.group(p.start_byte(), &[one])
                }
                (None, None) => cx.group(n.start_byte(), &[]),
            };
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::Lambda, n, &[params, body])
        }
        "function_declaration"
        | "function_expression"
        | "function"
        | "generator_function_declaration"
        | "generator_function"
        | "method_definition" => function(cx, n, &[]),
        "class_declaration" | "class" | "abstract_class_declaration" => class(cx, n, &[]),
        "lexical_declaration" | "variable_declaration" | "using_declaration" => {
            let decls: Vec<NodeId> = cx
                .children(n)
                .into_iter()
                .filter(|c| c.kind() == "variable_declarator")
                .map(|c| cx.lower(c))
                .collect();
            match decls.as_slice() {
                [one] => *one,
                _ => cx.node(Kind::Splice, n, &decls),
            }
        }
        "variable_declarator" => {
            let name = cx.field(n, "name");
            let value = cx.field(n, "value");
            if let (Some(nm), Some(v)) = (name, value) {
                record_require(cx, nm, v);
            }
            let mods = cx.modifiers(n.start_byte(), &[]);
            let name = cx.lower_opt(name, n.start_byte());
            let ty = cx.field(n, "type");
            let ty = cx.lower_opt(ty, n.end_byte());
            let value = cx.lower_opt(value, n.end_byte());
            cx.node(Kind::VarDecl, n, &[mods, name, ty, value])
        }
        "public_field_definition" | "field_definition" => field(cx, n, &[]),
        "if_statement" => {
            let cond = cx.field(n, "condition");
            let cond = cx.lower_opt(cond, n.start_byte());
            let then = match cx.field(n, "consequence") {
                Some(t) => cx.body(t),
                None => cx.empty(n.end_byte()),
            };
            let other = match cx.field(n, "alternative") {
                // `else_clause` wraps one statement; `else if` stays an `If`.
                Some(e) => match cx.children(e).as_slice() {
                    [s] if s.kind() == "if_statement" => cx.lower(*s),
                    [s] => cx.body(*s),
                    _ => cx.empty(e.end_byte()),
                },
                None => cx.empty(n.end_byte()),
            };
            cx.node(Kind::If, n, &[cond, then, other])
        }
        "for_statement" => {
            let init = cx.field(n, "initializer");
            let init = cx.lower_opt(init, n.start_byte());
            let cond = cx.field(n, "condition");
            let cond = cx.lower_opt(cond, n.start_byte());
            let update = cx.field(n, "increment");
            let update = cx.lower_opt(update, n.start_byte());
            let body = match cx.field(n, "body") {
                Some(b) => cx.body(b),
                None => cx.empty(n.end_byte()),
            };
            cx.node(Kind::For, n, &[init, cond, update, body])
        }
        "for_in_statement" => {
            let left = cx.field(n, "left");
            let left = cx.lower_opt(left, n.start_byte());
            let right = cx.field(n, "right");
            let right = cx.lower_opt(right, n.start_byte());
            let body = match cx.field(n, "body") {
                Some(b) => cx.body(b),
                None => cx.empty(n.end_byte()),
            };
            let other = cx.empty(n.end_byte());
            cx.node(Kind::ForEach, n, &[left, right, body, other])
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
        "return_statement" => {
            let e = single_child(cx, n);
            cx.node(Kind::Return, n, &[e])
        }
        "throw_statement" => {
            let e = single_child(cx, n);
            let cause = cx.empty(n.end_byte());
            cx.node(Kind::Throw, n, &[e, cause])
        }
        "try_statement" => {
            let resources = cx.empty(n.start_byte());
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.start_byte());
            let handlers = match cx.field(n, "handler") {
                Some(h) => {
                    let h = cx.lower(h);
                    cx.group(n.end_byte(), &[h])
                }
                None => cx.group(n.end_byte(), &[]),
            };
            let other = cx.empty(n.end_byte());
            let finally = cx.field(n, "finalizer").and_then(|f| cx.field(f, "body"));
            let finally = cx.lower_opt(finally, n.end_byte());
            cx.node(Kind::Try, n, &[resources, body, handlers, other, finally])
        }
        "catch_clause" => {
            let types = cx.empty(n.start_byte());
            let name = cx.field(n, "parameter");
            let name = cx.lower_opt(name, n.start_byte());
            let body = cx.field(n, "body");
            let body = cx.lower_opt(body, n.end_byte());
            cx.node(Kind::Catch, n, &[types, name, body])
        }
        "break_statement" => cx.node(Kind::Break, n, &[]),
        "continue_statement" => cx.node(Kind::Continue, n, &[]),
        "export_statement" => {
            // `export function f` is `function f` for matching; the export itself is not code.
            match cx.field(n, "declaration") {
                Some(d) => {
                    let decorators = decorators(cx, n);
                    match d.kind() {
                        "class_declaration" | "abstract_class_declaration" => {
                            class(cx, d, &decorators)
                        }
                        _ => cx.lower(d),
                    }
                }
                None => cx.opaque(n),
            }
        }
        "import_statement" => {
            record_import(cx, n);
            cx.opaque(n)
        }
        "jsx_element" | "jsx_self_closing_element" => jsx(cx, n),
        "jsx_attribute" => {
            let kids = cx.children(n);
            let name = match kids.first() {
                Some(k) => cx.ident(*k),
                None => cx.empty(n.start_byte()),
            };
            let value = match kids.get(1) {
                Some(v) => cx.lower(*v),
                None => cx.empty(n.end_byte()),
            };
            let span = cx.span(n);
            cx.push(Kind::Opaque, "jsx_attribute", span, "", &[name, value])
        }
        "jsx_expression" => single_child(cx, n),
        "decorator" => single_child(cx, n),
        "accessibility_modifier" | "override_modifier" => cx.leaf(Kind::Keyword, n),
        _ => cx.opaque(n),
    }
}

fn single_child(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let first = cx.children(n).into_iter().next();
    cx.lower_opt(first, n.end_byte())
}

/// A statement block or class body. TypeScript puts a member's decorators before it as
/// siblings; they are attached to the member here.
fn block(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let mut kids = Vec::new();
    let mut pending = Vec::new();
    for c in cx.children(n) {
        match c.kind() {
            "decorator" => pending.push(single_child(cx, c)),
            "method_definition" | "abstract_method_signature" => {
                kids.push(function(cx, c, &pending));
                pending.clear();
            }
            "public_field_definition" | "field_definition" => {
                kids.push(field(cx, c, &pending));
                pending.clear();
            }
            _ => kids.push(cx.lower(c)),
        }
    }
    cx.node(Kind::Block, n, &kids)
}

/// Decorators in a node's `decorator` field.
fn decorators(cx: &mut Cx<'_>, n: TsNode<'_>) -> Vec<NodeId> {
    cx.fields(n, "decorator")
        .into_iter()
        .map(|d| single_child(cx, d))
        .collect()
}

/// Modifier keywords written as anonymous tokens (`static`, `async`, `get`, `readonly`).
fn keyword_modifiers(cx: &mut Cx<'_>, n: TsNode<'_>) -> Vec<NodeId> {
    const WORDS: &[&str] = &[
        "static",
        "async",
        "get",
        "set",
        "readonly",
        "abstract",
        "declare",
        "public",
        "private",
        "protected",
        "override",
    ];
    let mut out = Vec::new();
    for c in cx.all_children(n) {
        if c.kind() == "accessibility_modifier" || c.kind() == "override_modifier" {
            out.push(cx.leaf(Kind::Keyword, c));
        } else if !c.is_named() && WORDS.contains(&c.kind()) {
            let span = cx.span(c);
            let word = c.kind();
            out.push(cx.push(Kind::Keyword, "", span, word, &[]));
        }
    }
    out
}

fn function(cx: &mut Cx<'_>, n: TsNode<'_>, extra_decorators: &[NodeId]) -> NodeId {
    let mut mods = extra_decorators.to_vec();
    mods.extend(decorators(cx, n));
    mods.extend(keyword_modifiers(cx, n));
    let mods = cx.modifiers(n.start_byte(), &mods);
    let name = cx.field(n, "name");
    let name = cx.lower_opt(name, n.start_byte());
    let params = match cx.field(n, "parameters") {
        Some(p) => params(cx, p),
        None => cx.group(n.start_byte(), &[]),
    };
    let ret = cx.field(n, "return_type");
    let ret = cx.lower_opt(ret, n.end_byte());
    let body = cx.field(n, "body");
    let body = cx.lower_opt(body, n.end_byte());
    cx.node(Kind::FuncDef, n, &[mods, name, params, ret, body])
}

fn field(cx: &mut Cx<'_>, n: TsNode<'_>, extra_decorators: &[NodeId]) -> NodeId {
    let mut mods = extra_decorators.to_vec();
    mods.extend(decorators(cx, n));
    mods.extend(keyword_modifiers(cx, n));
    let mods = cx.modifiers(n.start_byte(), &mods);
    let name = cx.field(n, "name").or_else(|| cx.field(n, "property"));
    let name = cx.lower_opt(name, n.start_byte());
    // `...` in a class body of a pattern parses as a field named `...`.
    if matches!(cx.kind_of(name), Kind::Ellipsis | Kind::MetavarEllipsis) {
        return name;
    }
    let ty = cx.field(n, "type");
    let ty = cx.lower_opt(ty, n.end_byte());
    let value = cx.field(n, "value");
    let value = cx.lower_opt(value, n.end_byte());
    cx.node(Kind::VarDecl, n, &[mods, name, ty, value])
}

fn class(cx: &mut Cx<'_>, n: TsNode<'_>, extra_decorators: &[NodeId]) -> NodeId {
    let mut mods = extra_decorators.to_vec();
    mods.extend(decorators(cx, n));
    mods.extend(keyword_modifiers(cx, n));
    let mods = cx.modifiers(n.start_byte(), &mods);
    let name = cx.field(n, "name");
    let name = cx.lower_opt(name, n.start_byte());
    let mut bases = Vec::new();
    for c in cx.children(n) {
        if c.kind() == "class_heritage" {
            for h in cx.children(c) {
                match h.kind() {
                    "extends_clause" | "implements_clause" => {
                        for t in cx.children(h) {
                            bases.push(cx.lower(t));
                        }
                    }
                    _ => bases.push(cx.lower(h)),
                }
            }
        }
    }
    let bases = cx.group(n.start_byte(), &bases);
    let body = cx.field(n, "body");
    let body = cx.lower_opt(body, n.end_byte());
    cx.node(Kind::ClassDef, n, &[mods, name, bases, body])
}

fn params(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let kids: Vec<NodeId> = cx.children(n).into_iter().map(|p| param(cx, p)).collect();
    let span = cx.span(n);
    cx.push(Kind::Group, "", span, "", &kids)
}

fn param(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let (mods, name, ty, default) = match n.kind() {
        "required_parameter" | "optional_parameter" => {
            let mut mods = decorators(cx, n);
            mods.extend(keyword_modifiers(cx, n));
            let name = cx.field(n, "pattern").or_else(|| cx.field(n, "name"));
            (mods, name, cx.field(n, "type"), cx.field(n, "value"))
        }
        "assignment_pattern" => (Vec::new(), cx.field(n, "left"), None, cx.field(n, "right")),
        _ => (Vec::new(), Some(n), None, None),
    };
    let mods = cx.modifiers(n.start_byte(), &mods);
    let name = cx.lower_opt(name, n.start_byte());
    let ty = cx.lower_opt(ty, n.end_byte());
    let default = cx.lower_opt(default, n.end_byte());
    cx.param(n, [mods, name, ty, default])
}

fn call(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
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
        Some(a) if a.kind() == "arguments" => cx.list(Kind::Args, a),
        Some(t) => {
            // A tagged template: the template is the only argument.
            let t = cx.lower(t);
            let span = cx.span_of(&[t]).unwrap_or((n.end_byte(), n.end_byte()));
            cx.push(Kind::Args, "", span, "", &[t])
        }
        None => cx.push(Kind::Args, "", (n.end_byte(), n.end_byte()), "", &[]),
    };
    cx.node(Kind::Call, n, &[callee, args])
}

fn string(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let (s, e) = cx.span(n);
    // Between the quotes.
    cx.string(n, (s + 1, e.saturating_sub(1).max(s + 1)))
}

/// Template literals: `Str` without substitutions, `Interp` with them.
fn template(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let subs: Vec<TsNode<'_>> = cx
        .children(n)
        .into_iter()
        .filter(|c| c.kind() == "template_substitution")
        .collect();
    let (s, e) = cx.span(n);
    if subs.is_empty() {
        return cx.string(n, (s + 1, e.saturating_sub(1).max(s + 1)));
    }
    // Text parts are the gaps between substitutions.
    let mut parts = Vec::new();
    let mut pos = s + 1;
    for sub in subs {
        if sub.start_byte() > pos {
            let text = String::from_utf8_lossy(&cx.src[pos..sub.start_byte()]).into_owned();
            parts.push(cx.push(Kind::Str, "", (pos, sub.start_byte()), &text, &[]));
        }
        parts.push(single_child(cx, sub));
        pos = sub.end_byte();
    }
    let end = e.saturating_sub(1);
    if end > pos {
        let text = String::from_utf8_lossy(&cx.src[pos..end]).into_owned();
        parts.push(cx.push(Kind::Str, "", (pos, end), &text, &[]));
    }
    cx.node(Kind::Interp, n, &parts)
}

/// JSX elements: `[name, attributes (unordered), children]`, so a pattern naming one attribute
/// matches elements with more.
fn jsx(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    let open = if n.kind() == "jsx_element" {
        cx.field(n, "open_tag")
    } else {
        Some(n)
    };
    let name = open.and_then(|o| cx.field(o, "name"));
    let name = cx.lower_opt(name, n.start_byte());
    let attrs: Vec<NodeId> = open
        .map(|o| cx.fields(o, "attribute"))
        .unwrap_or_default()
        .into_iter()
        .map(|a| cx.lower(a))
        .collect();
    let attrs = cx.modifiers(n.start_byte(), &attrs);
    let children = if n.kind() == "jsx_element" {
        let kids: Vec<NodeId> = cx
            .children(n)
            .into_iter()
            .filter(|c| !matches!(c.kind(), "jsx_opening_element" | "jsx_closing_element"))
            .map(|c| cx.lower(c))
            .collect();
        cx.group(n.end_byte(), &kids)
    } else {
        cx.empty(n.end_byte())
    };
    let span = cx.span(n);
    cx.push(
        Kind::Opaque,
        "jsx_element",
        span,
        "",
        &[name, attrs, children],
    )
}

/// `import x from 'm'`, `import * as x from 'm'`, `import {a as b} from 'm'`.
fn record_import(cx: &mut Cx<'_>, n: TsNode<'_>) {
    let Some(source) = cx.field(n, "source") else {
        return;
    };
    let module = unquote(&cx.text(source));
    for clause in cx.children(n) {
        if clause.kind() != "import_clause" {
            continue;
        }
        for part in cx.children(clause) {
            match part.kind() {
                "identifier" => {
                    let local = cx.text(part).into_owned();
                    cx.alias(&local, vec![module.clone()]);
                }
                "namespace_import" => {
                    if let Some(id) = cx.children(part).into_iter().next() {
                        let local = cx.text(id).into_owned();
                        cx.alias(&local, vec![module.clone()]);
                    }
                }
                "named_imports" => {
                    for spec in cx.children(part) {
                        let Some(name) = cx.field(spec, "name") else {
                            continue;
                        };
                        let imported = unquote(&cx.text(name));
                        let local = cx
                            .field(spec, "alias")
                            .map_or_else(|| imported.clone(), |a| cx.text(a).into_owned());
                        cx.alias(&local, vec![module.clone(), imported]);
                    }
                }
                _ => {}
            }
        }
    }
}

/// `const cp = require('child_process')`, `const {exec} = require('child_process')`,
/// `const exec = require('child_process').exec`.
fn record_require(cx: &mut Cx<'_>, name: TsNode<'_>, value: TsNode<'_>) {
    let mut value = value;
    let mut tail = Vec::new();
    while value.kind() == "member_expression" {
        if let Some(p) = cx.field(value, "property") {
            tail.push(cx.text(p).into_owned());
        }
        match cx.field(value, "object") {
            Some(o) => value = o,
            None => return,
        }
    }
    if value.kind() != "call_expression" {
        return;
    }
    let is_require = cx
        .field(value, "function")
        .is_some_and(|f| cx.text(f) == "require");
    let module = cx
        .field(value, "arguments")
        .and_then(|a| cx.children(a).into_iter().next())
        .filter(|a| a.kind() == "string")
        .map(|a| unquote(&cx.text(a)));
    let (true, Some(module)) = (is_require, module) else {
        return;
    };
    tail.reverse();
    let mut path = vec![module];
    path.extend(tail);
    match name.kind() {
        "identifier" => {
            let local = cx.text(name).into_owned();
            cx.alias(&local, path);
        }
        "object_pattern" => {
            for prop in cx.children(name) {
                match prop.kind() {
                    "shorthand_property_identifier_pattern" => {
                        let local = cx.text(prop).into_owned();
                        let mut full = path.clone();
                        full.push(local.clone());
                        cx.alias(&local, full);
                    }
                    "pair_pattern" => {
                        if let (Some(k), Some(v)) = (cx.field(prop, "key"), cx.field(prop, "value"))
                        {
                            let mut full = path.clone();
                            full.push(cx.text(k).into_owned());
                            let local = cx.text(v).into_owned();
                            cx.alias(&local, full);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn unquote(s: &str) -> String {
    let t = s.trim().trim_matches(['"', '\'', '`']);
    // Module specifiers are single names for matching: `node:child_process` is `child_process`.
    t.strip_prefix("node:").unwrap_or(t).to_owned()
}
