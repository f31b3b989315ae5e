//! Metavariable interpolation (messages and `fix:` templates) and fix edits.

use palisade_core::{Edit, Fix, Region};

use crate::matcher::{Env, Target};
use crate::rule::FixRegex;

/// Replaces `$X`, `$...X` and `$1` in `template` with the text they are bound to; unbound names
/// stay as written.
pub(crate) fn interpolate(template: &str, env: &Env<'_>, tgt: &Target<'_>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos..];
        let name_len = metavar_len(after);
        if name_len > 0 {
            let name = &after[..name_len];
            if let Some(b) = env.get(name) {
                out.push_str(&tgt.text(b));
                rest = &after[name_len..];
                continue;
            }
        }
        out.push('$');
        rest = &after[1..];
    }
    out.push_str(rest);
    out
}

/// Length of the metavariable name at the start of `s` (`$X`, `$...X`, `$1`), or 0.
fn metavar_len(s: &str) -> usize {
    let body_start = if s.starts_with("$...") { 4 } else { 1 };
    let body = &s[body_start.min(s.len())..];
    let first = body.chars().next();
    let len = match first {
        Some(c) if c.is_ascii_uppercase() || c == '_' => body
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(body.len()),
        Some(c) if c.is_ascii_digit() && body_start == 1 => body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len()),
        _ => 0,
    };
    if len == 0 { 0 } else { body_start + len }
}

/// The fix for a match at `start..end`: the rule's `fix:` template or its `fix-regex`.
pub(crate) fn fix_for(
    path: &str,
    src: &[u8],
    (start, end): (usize, usize),
    template: Option<&str>,
    fix_regex: Option<&FixRegex>,
    env: &Env<'_>,
    tgt: &Target<'_>,
) -> Option<Fix> {
    let matched = String::from_utf8_lossy(src.get(start..end)?);
    let (replacement, description) = if let Some(t) = template {
        let r = interpolate(t.trim_end_matches('\n'), env, tgt);
        let d = format!("Replace with `{}`", one_line(&r));
        (r, d)
    } else if let Some(fr) = fix_regex {
        let r = match fr.count {
            Some(n) => fr.regex.replacen(&matched, n, fr.replacement.as_str()),
            None => fr.regex.replace_all(&matched, fr.replacement.as_str()),
        }
        .into_owned();
        if r == matched {
            return None;
        }
        let d = format!("Replace with `{}`", one_line(&r));
        (r, d)
    } else {
        return None;
    };
    Some(Fix {
        description,
        edits: vec![Edit {
            path: path.to_owned(),
            region: Region::from_byte_range(src, start, end),
            byte_start: start,
            byte_end: end,
            replacement,
        }],
    })
}

fn one_line(s: &str) -> String {
    let first = s.lines().next().unwrap_or("");
    if s.lines().count() > 1 || first.chars().count() > 80 {
        let cut: String = first.chars().take(77).collect();
        format!("{cut}...")
    } else {
        first.to_owned()
    }
}

/// Applies non-overlapping edits to `src` (later edits first), for fix tests.
pub(crate) fn apply_edits(src: &str, edits: &mut [Edit]) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse((e.byte_start, e.byte_end)));
    let mut out = src.to_owned();
    let mut limit = usize::MAX;
    for e in edits.iter() {
        if e.byte_end > limit || e.byte_end > out.len() || e.byte_start > e.byte_end {
            continue;
        }
        if !out.is_char_boundary(e.byte_start) || !out.is_char_boundary(e.byte_end) {
            continue;
        }
        out.replace_range(e.byte_start..e.byte_end, &e.replacement);
        limit = e.byte_start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metavariable_names() {
        assert_eq!(metavar_len("$X rest"), 2);
        assert_eq!(metavar_len("$FOO_1."), 6);
        assert_eq!(metavar_len("$...ARGS)"), 8);
        assert_eq!(metavar_len("$12"), 3);
        assert_eq!(metavar_len("$x"), 0);
        assert_eq!(metavar_len("$"), 0);
    }

    #[test]
    fn edits_apply_back_to_front() {
        let mut edits = vec![
            Edit {
                path: "a".into(),
                region: Region::line(1),
                byte_start: 0,
                byte_end: 3,
                replacement: "bar".into(),
            },
            Edit {
                path: "a".into(),
                region: Region::line(1),
                byte_start: 4,
                byte_end: 5,
                replacement: "2".into(),
            },
        ];
        assert_eq!(apply_edits("foo(1)", &mut edits), "bar(2)");
    }
}
