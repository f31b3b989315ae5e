//! Patterns: code fragments in the target language with `$X`, `$...X`, `...` and `<... e ...>`.
//!
//! A pattern is parsed with the same grammar and lowered by the same code as the files it is
//! matched against. Grammars know nothing of the pattern syntax, so it is first rewritten into
//! identifiers every grammar accepts (`$X` → `__MV_X`, `...` → `__ELL__`, `<... e ...>` →
//! `__DEEP__(e)`), outside string literals; the lowering turns those identifiers back into
//! pattern nodes. Fragments that are not whole programs (an expression, a Java statement, a
//! method) are wrapped into one, and the nodes inside the fragment's span are taken out again.

use regex::Regex;

use crate::ast::{Ast, Kind, NodeId};
use crate::lang::{self, Language};

/// A placeholder identifier's meaning.
pub(crate) enum Placeholder {
    Ellipsis,
    Metavar(String),
    MetavarEllipsis(String),
}

const MV: &str = "__MV_";
const MVE: &str = "__MVE_";
const ELL: &str = "__ELL__";
/// Type placeholder for `...` in Java parameter lists, which need a type and a name.
const ELL_TYPE: &str = "__ELLT__";
pub(crate) const DEEP: &str = "__DEEP__";

/// What a placeholder identifier stands for, if `text` is one.
pub(crate) fn placeholder(text: &str) -> Option<Placeholder> {
    if text == ELL || text == ELL_TYPE {
        return Some(Placeholder::Ellipsis);
    }
    if let Some(name) = text.strip_prefix(MVE) {
        return Some(Placeholder::MetavarEllipsis(format!("$...{name}")));
    }
    if let Some(name) = text.strip_prefix(MV) {
        return Some(Placeholder::Metavar(format!("${name}")));
    }
    None
}

/// True for a metavariable name as Semgrep spells it: `$X`, `$FOO_1`, `$_`.
pub(crate) fn is_metavar_name(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('$') else {
        return false;
    };
    let mut chars = rest.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A compiled pattern: the lowered fragment and the node(s) that are the pattern proper.
#[derive(Debug)]
pub(crate) struct Pattern {
    pub ast: Ast,
    /// One node, or several statements for a statement-sequence pattern.
    pub roots: Vec<NodeId>,
    /// String patterns written `"=~/regex/"`, compiled.
    pub string_regexes: Vec<(NodeId, Regex)>,
}

impl Pattern {
    /// Parses `text` as a pattern of `lang`; the error says why it is not one.
    pub fn parse(text: &str, lang: Language) -> Result<Pattern, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the pattern is empty".into());
        }
        let mut first_error = None;
        for (grammar, variant) in grammars(lang) {
            let code = preprocess(text, grammar, variant);
            for (prefix, suffix) in wrappers(grammar) {
                let src = format!("{prefix}{code}{suffix}");
                let range = (prefix.len(), prefix.len() + code.len());
                match lang::lower_pattern_source(grammar, src.as_bytes()) {
                    Ok((ast, false)) => {
                        let roots = extract(&ast, range);
                        if !roots.is_empty() {
                            let roots = unwrap_expression(&ast, roots);
                            let string_regexes = string_regexes(&ast, &roots)?;
                            return Ok(Pattern {
                                ast,
                                roots,
                                string_regexes,
                            });
                        }
                    }
                    Ok((_, true)) => {
                        first_error.get_or_insert_with(|| {
                            format!("it is not valid {} syntax", lang.name())
                        });
                    }
                    Err(e) => {
                        first_error.get_or_insert_with(|| format!("the parser failed ({e:?})"));
                    }
                }
            }
        }
        Err(first_error.unwrap_or_else(|| format!("it is not valid {} syntax", lang.name())))
    }

    /// The single root, when the pattern is not a statement sequence.
    pub fn single(&self) -> Option<NodeId> {
        match self.roots.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Identifiers and string contents every match must contain in the file's text, for the
    /// prefilter. Conservative: only names that appear verbatim in matching code.
    pub fn required_literals(&self) -> Vec<String> {
        let mut out = Vec::new();
        for &root in &self.roots {
            self.ast.walk(root, |n| {
                match self.ast.kind(n) {
                    // A `<... e ...>` may match `e` anywhere, but `e` must still be there.
                    Kind::Ident | Kind::Keyword => {
                        let t = self.ast.text(n);
                        if t.len() >= 2 {
                            out.push(t.to_owned());
                        }
                    }
                    Kind::Str => {
                        let t = self.ast.text(n);
                        let plain = !t.contains(['\\', '$', '\'', '"'])
                            && !t.contains("...")
                            && !t.starts_with("=~/");
                        if t.len() >= 3 && plain {
                            out.push(t.to_owned());
                        }
                    }
                    _ => {}
                }
                true
            });
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Compiles the `"=~/regex/"` string patterns.
fn string_regexes(ast: &Ast, roots: &[NodeId]) -> Result<Vec<(NodeId, Regex)>, String> {
    let mut out = Vec::new();
    let mut error = None;
    for &root in roots {
        ast.walk(root, |n| {
            if ast.kind(n) == Kind::Str
                && let Some(body) = ast.text(n).strip_prefix("=~/")
                && let Some(end) = body.rfind('/')
            {
                let (re, flags) = (&body[..end], &body[end + 1..]);
                let re = if flags.contains('i') {
                    format!("(?i){re}")
                } else {
                    re.to_owned()
                };
                match Regex::new(&re) {
                    Ok(r) => out.push((n, r)),
                    Err(e) => error = Some(format!("invalid regex in string pattern: {e}")),
                }
            }
            true
        });
    }
    match error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// How `...` is spelled for a grammar that has no place for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Variant {
    /// Java parameter lists need a type and a name: `__ELLT__ __ELL__`.
    pub java_params: bool,
    /// Python dicts need a key and a value: `__ELL__: __ELL__`.
    pub dict_entries: bool,
    /// Go files hold only declarations: a `...` line at the top level is spelled as a
    /// function `func __ELL__() {}`.
    pub go_toplevel: bool,
}

/// The grammars and spellings to try for a pattern of `lang`, in order (TypeScript patterns may
/// use JSX; a Python `{...}` may be a set or a dict).
fn grammars(lang: Language) -> Vec<(Language, Variant)> {
    let plain = Variant::default();
    match lang {
        Language::TypeScript => vec![(Language::TypeScript, plain), (Language::Tsx, plain)],
        Language::Java => vec![(
            Language::Java,
            Variant {
                java_params: true,
                ..plain
            },
        )],
        Language::Python => vec![
            (Language::Python, plain),
            (
                Language::Python,
                Variant {
                    dict_entries: true,
                    ..plain
                },
            ),
        ],
        Language::Go => vec![
            (Language::Go, plain),
            (
                Language::Go,
                Variant {
                    go_toplevel: true,
                    ..plain
                },
            ),
        ],
        other => vec![(other, plain)],
    }
}

/// Ways to make a fragment a whole program, most specific first: an expression, statements,
/// class members, a file.
fn wrappers(lang: Language) -> &'static [(&'static str, &'static str)] {
    match lang {
        Language::Python => &[("", "")],
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            &[("__P = (\n", "\n);"), ("", "")]
        }
        Language::Java => &[
            ("class __P { Object __f = (\n", "\n); }"),
            ("class __P { void __m() {\n", "\n} }"),
            ("class __P { void __m() {\n", "\n;} }"),
            ("class __P {\n", "\n}"),
            ("", ""),
            // An annotation on its own: put it on a dummy class.
            ("", "\nclass __A {}"),
        ],
        Language::Go => &[
            ("package __p\nvar __f = (\n", "\n)"),
            ("package __p\nfunc __f() {\n", "\n}"),
            ("package __p\n", ""),
            ("", ""),
        ],
    }
}

/// The topmost nodes lying within `range` (the fragment inside its wrapper).
fn extract(ast: &Ast, range: (usize, usize)) -> Vec<NodeId> {
    let (lo, hi) = (range.0 as u32, range.1 as u32);
    let mut out = Vec::new();
    let mut stack = vec![ast.root()];
    while let Some(n) = stack.pop() {
        let node = ast.node(n);
        let inside = node.start >= lo && node.end <= hi;
        let zero_width = node.start == node.end;
        let placeholder = matches!(node.kind, Kind::Empty | Kind::Modifiers | Kind::Group);
        if inside && node.kind != Kind::Program && !(zero_width && placeholder) {
            out.push(n);
            continue;
        }
        if zero_width && placeholder {
            // A zero-width modifier set may still hold the fragment (an annotation wrapped onto a
            // dummy declaration).
            stack.extend(ast.kids(n).iter().rev());
            continue;
        }
        if node.end <= lo || node.start >= hi {
            continue;
        }
        stack.extend(ast.kids(n).iter().rev());
    }
    out.sort_by_key(|&n| (ast.node(n).start, std::cmp::Reverse(ast.node(n).end)));
    out
}

/// A lone expression statement is an expression pattern: `foo(...)` matches calls anywhere,
/// not only calls that are whole statements.
fn unwrap_expression(ast: &Ast, roots: Vec<NodeId>) -> Vec<NodeId> {
    if let [one] = roots.as_slice()
        && ast.kind(*one) == Kind::ExprStmt
        && let Some(e) = ast.kid(*one, 0)
    {
        return vec![e];
    }
    roots
}

#[derive(Clone, Copy, PartialEq)]
enum Interp {
    None,
    /// `{expr}` (Python f-strings).
    Braces,
    /// `${expr}` (JavaScript template literals).
    DollarBraces,
}

enum Mode {
    /// Code; `braces` counts open `{` so an interpolation knows where it ends.
    Code { braces: u32, in_interp: bool },
    Str {
        quote: &'static str,
        interp: Interp,
        raw: bool,
    },
}

/// Rewrites the pattern syntax into placeholder identifiers, leaving string contents alone
/// (except the code inside f-string and template-literal interpolations).
pub(crate) fn preprocess(src: &str, lang: Language, variant: Variant) -> String {
    let bytes = src.as_bytes();
    let mut out = String::with_capacity(src.len() + 16);
    let mut modes = vec![Mode::Code {
        braces: 0,
        in_interp: false,
    }];
    // Open brackets, each with whether it starts a Java declaration's parameter list or class
    // body (where `...` needs a type and a name).
    let mut brackets: Vec<(char, bool)> = Vec::new();
    let mut deep = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &src[i..];
        let c = rest.chars().next().unwrap_or('\0');
        match modes.last_mut() {
            Some(Mode::Str { quote, interp, raw }) => {
                let (quote, interp, raw) = (*quote, *interp, *raw);
                if !raw && c == '\\' {
                    let n = rest.chars().nth(1).map_or(0, char::len_utf8);
                    out.push_str(&rest[..1 + n]);
                    i += 1 + n;
                    continue;
                }
                if rest.starts_with(quote) {
                    out.push_str(quote);
                    i += quote.len();
                    modes.pop();
                    continue;
                }
                let opens = match interp {
                    Interp::Braces if rest.starts_with("{{") => {
                        out.push_str("{{");
                        i += 2;
                        continue;
                    }
                    Interp::Braces => rest.starts_with('{').then_some(1),
                    Interp::DollarBraces => rest.starts_with("${").then_some(2),
                    Interp::None => None,
                };
                if let Some(len) = opens {
                    out.push_str(&rest[..len]);
                    i += len;
                    modes.push(Mode::Code {
                        braces: 0,
                        in_interp: true,
                    });
                    continue;
                }
                out.push(c);
                i += c.len_utf8();
            }
            Some(Mode::Code { braces, in_interp }) => {
                if c == '{' {
                    *braces += 1;
                } else if c == '}' {
                    if *braces == 0 && *in_interp {
                        modes.pop();
                        out.push('}');
                        i += 1;
                        continue;
                    }
                    *braces = braces.saturating_sub(1);
                }
                if let Some((quote, interp, raw)) = string_start(src, i, lang) {
                    out.push_str(quote);
                    i += quote.len();
                    modes.push(Mode::Str { quote, interp, raw });
                    continue;
                }
                let comment = if lang == Language::Python {
                    c == '#'
                } else {
                    rest.starts_with("//")
                };
                if comment {
                    // Comments pass through untouched, up to the end of the line.
                    let end = rest.find('\n').unwrap_or(rest.len());
                    out.push_str(&rest[..end]);
                    i += end;
                    continue;
                }
                if let Some(name) = rest.strip_prefix("$...").and_then(metavar_tail) {
                    out.push_str(MVE);
                    out.push_str(name);
                    i += 4 + name.len();
                    continue;
                }
                if let Some(name) = rest.strip_prefix('$').and_then(metavar_tail)
                    && !prev_is_ident(&out)
                {
                    out.push_str(MV);
                    out.push_str(name);
                    i += 1 + name.len();
                    continue;
                }
                if rest.starts_with("<...") {
                    out.push_str(DEEP);
                    out.push('(');
                    deep += 1;
                    i += 4;
                    continue;
                }
                if deep > 0 && rest.starts_with("...>") {
                    out.push(')');
                    deep -= 1;
                    i += 4;
                    continue;
                }
                if let Some(after) = rest.strip_prefix("...") {
                    if keeps_ellipsis(&out, after, lang) {
                        out.push_str("...");
                    } else if variant.java_params && brackets.last() == Some(&('(', true)) {
                        out.push_str(ELL_TYPE);
                        out.push(' ');
                        out.push_str(ELL);
                    } else if variant.java_params && brackets.last() == Some(&('@', false)) {
                        // Annotation arguments are all `name = value` or one value.
                        out.push_str(ELL);
                        out.push_str(" = ");
                        out.push_str(ELL);
                    } else if variant.java_params && brackets.last() == Some(&('{', true)) {
                        out.push_str(ELL_TYPE);
                        out.push(' ');
                        out.push_str(ELL);
                        out.push(';');
                    } else if variant.go_toplevel
                        && brackets.is_empty()
                        && java_statement_position(&out, after)
                    {
                        out.push_str("func ");
                        out.push_str(ELL);
                        out.push_str("() {}");
                    } else if variant.java_params && java_statement_position(&out, after) {
                        out.push_str(ELL);
                        out.push(';');
                    } else if variant.dict_entries && brackets.last().is_some_and(|b| b.0 == '{') {
                        out.push_str(ELL);
                        out.push_str(": ");
                        out.push_str(ELL);
                    } else {
                        out.push_str(ELL);
                    }
                    i += 3;
                    continue;
                }
                match c {
                    '(' if variant.java_params && opens_annotation_args(&out) => {
                        brackets.push(('@', false));
                    }
                    '(' => brackets.push(('(', variant.java_params && opens_parameter_list(&out))),
                    '{' => brackets.push(('{', variant.java_params && opens_class_body(&out))),
                    '[' => brackets.push((c, false)),
                    ')' | ']' | '}' => {
                        brackets.pop();
                    }
                    _ => {}
                }
                out.push(c);
                i += c.len_utf8();
            }
            None => break,
        }
    }
    out
}

/// The name part of a metavariable starting at the beginning of `s`.
fn metavar_tail(s: &str) -> Option<&str> {
    let first = s.chars().next()?;
    if !(first.is_ascii_uppercase() || first == '_') {
        return None;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(s.len());
    // `$Foo` is an ordinary identifier in JavaScript, not a metavariable.
    if s[end..].starts_with(|c: char| c.is_ascii_lowercase()) {
        return None;
    }
    Some(&s[..end])
}

fn prev_is_ident(out: &str) -> bool {
    out.chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// `...` that is real syntax rather than an ellipsis: spread in JavaScript (`...args`),
/// variadics in Go (`xs...`) and Java (`String... args`).
fn keeps_ellipsis(out: &str, after: &str, lang: Language) -> bool {
    match lang {
        Language::JavaScript | Language::TypeScript | Language::Tsx => after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '(' | '[' | '{')),
        Language::Go | Language::Java => out
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ']' | '>')),
        Language::Python => false,
    }
}

/// Whether the `(` about to be written opens a Java annotation's arguments (`@Name(`).
fn opens_annotation_args(out: &str) -> bool {
    let trimmed = out.trim_end();
    let name_start = trimmed
        .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '.')))
        .map_or(0, |i| i + 1);
    name_start > 0 && trimmed[..name_start].ends_with('@')
}

/// Whether a `...` stands where a statement goes: at the start of a line after a block
/// opener, a statement end or another statement.
fn java_statement_position(out: &str, after: &str) -> bool {
    let prev = out.trim_end().chars().next_back();
    let next = after.trim_start().chars().next();
    let line_start = out.rsplit('\n').next().is_some_and(|l| l.trim().is_empty());
    (matches!(prev, None | Some('{' | ';' | '}'))
        || line_start && !out.trim_end().ends_with([',', '(', '[', '=', '+']))
        && next != Some(';')
}

/// Whether the `{` about to be written opens a Java class, interface, enum or record body.
fn opens_class_body(out: &str) -> bool {
    let start = out.rfind([';', '{', '}']).map_or(0, |i| i + 1);
    let head = &out[start..];
    head.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| matches!(w, "class" | "interface" | "enum" | "record"))
        && !head.contains("new ")
}

/// Whether the `(` about to be written opens a Java declaration's parameter list:
/// `Type name(` rather than a call `name(` or a keyword `if (`.
fn opens_parameter_list(out: &str) -> bool {
    const NOT_TYPES: &[&str] = &[
        "new",
        "return",
        "throw",
        "else",
        "case",
        "instanceof",
        "yield",
        "assert",
        "await",
        "in",
    ];
    const NOT_NAMES: &[&str] = &[
        "if",
        "for",
        "while",
        "switch",
        "catch",
        "synchronized",
        "try",
        "return",
        "new",
        "super",
        "this",
    ];
    let trimmed = out.trim_end();
    let name_start = trimmed
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .map_or(0, |i| i + 1);
    let name = &trimmed[name_start..];
    if name.is_empty() || NOT_NAMES.contains(&name) {
        return false;
    }
    let before = trimmed[..name_start].trim_end();
    match before.chars().next_back() {
        Some('>' | ']') => true,
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let word_start = before
                .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .map_or(0, |i| i + 1);
            !NOT_TYPES.contains(&&before[word_start..])
        }
        _ => false,
    }
}

/// A string literal opening at byte `i`: its closing quote, interpolation style and rawness.
fn string_start(src: &str, i: usize, lang: Language) -> Option<(&'static str, Interp, bool)> {
    let rest = &src[i..];
    match lang {
        Language::Python => {
            let (quote, body) = if rest.starts_with("\"\"\"") {
                ("\"\"\"", 3)
            } else if rest.starts_with("'''") {
                ("'''", 3)
            } else if rest.starts_with('"') {
                ("\"", 1)
            } else if rest.starts_with('\'') {
                ("'", 1)
            } else {
                return None;
            };
            let _ = body;
            // The prefix letters written just before the quote (f, r, b, u, in any case).
            let before = &src[..i];
            let prefix_start = before
                .rfind(|c: char| !c.is_ascii_alphabetic())
                .map_or(0, |p| p + 1);
            let prefix = before[prefix_start..].to_ascii_lowercase();
            let is_prefix = prefix.len() <= 2 && prefix.chars().all(|c| "frbu".contains(c));
            let (f, r) = if is_prefix {
                (prefix.contains('f'), prefix.contains('r'))
            } else {
                (false, false)
            };
            Some((quote, if f { Interp::Braces } else { Interp::None }, r))
        }
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            if rest.starts_with('`') {
                Some(("`", Interp::DollarBraces, false))
            } else if rest.starts_with('"') {
                Some(("\"", Interp::None, false))
            } else if rest.starts_with('\'') {
                Some(("'", Interp::None, false))
            } else {
                None
            }
        }
        Language::Java => {
            if rest.starts_with("\"\"\"") {
                Some(("\"\"\"", Interp::None, false))
            } else if rest.starts_with('"') {
                Some(("\"", Interp::None, false))
            } else if rest.starts_with('\'') {
                Some(("'", Interp::None, false))
            } else {
                None
            }
        }
        Language::Go => {
            if rest.starts_with('`') {
                Some(("`", Interp::None, true))
            } else if rest.starts_with('"') {
                Some(("\"", Interp::None, false))
            } else if rest.starts_with('\'') {
                Some(("'", Interp::None, false))
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_pattern_syntax_outside_strings() {
        let py = |s| preprocess(s, Language::Python, Variant::default());
        assert_eq!(py("foo($X, ...)"), "foo(__MV_X, __ELL__)");
        assert_eq!(py("foo($...ARGS)"), "foo(__MVE_ARGS)");
        assert_eq!(py("<... $X ...>"), "__DEEP__( __MV_X )");
        assert_eq!(py("x = \"...$X\""), "x = \"...$X\"");
        assert_eq!(py("f\"{$X} ...\""), "f\"{__MV_X} ...\"");
        assert_eq!(py("$_ + 1"), "__MV__ + 1");
        let js = |s| preprocess(s, Language::JavaScript, Variant::default());
        assert_eq!(js("foo(...args, ...)"), "foo(...args, __ELL__)");
        assert_eq!(js("`a ${$X}`"), "`a ${__MV_X}`");
        assert_eq!(js("$http.get($Foo)"), "$http.get($Foo)");
        let java = |s| {
            let v = Variant {
                java_params: true,
                ..Variant::default()
            };
            preprocess(s, Language::Java, v)
        };
        assert_eq!(
            java("void $M(...) { foo(...); }"),
            "void __MV_M(__ELLT__ __ELL__) { foo(__ELL__); }"
        );
        assert_eq!(java("if (...) {}"), "if (__ELL__) {}");
        let go = |s| preprocess(s, Language::Go, Variant::default());
        let dict = Variant {
            dict_entries: true,
            ..Variant::default()
        };
        assert_eq!(
            preprocess("{..., 'k': $V}", Language::Python, dict),
            "{__ELL__: __ELL__, 'k': __MV_V}"
        );
        assert_eq!(go("append($X, $Y...)"), "append(__MV_X, __MV_Y...)");
        assert_eq!(go("f(...)"), "f(__ELL__)");
    }

    #[test]
    fn metavariable_names_follow_semgrep() {
        assert!(is_metavar_name("$X"));
        assert!(is_metavar_name("$FOO_2"));
        assert!(is_metavar_name("$_"));
        assert!(!is_metavar_name("$x"));
        assert!(!is_metavar_name("X"));
    }
}
