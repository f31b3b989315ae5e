//! Turning resolved matches into [`Finding`]s: the region of the secret, a masked snippet of its
//! line, and a message that names the credential without containing it.

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use palisade_core::redact::mask;
use palisade_core::{Details, Evidence, Finding, Location, Region, SecretValue};

use crate::lines;
use crate::resolve::Resolved;
use crate::rule::Rule;

/// Characters of context kept on each side of the secret in a snippet.
const SNIPPET_CONTEXT_CHARS: usize = 90;

pub(crate) fn findings(
    rules: &[Rule],
    path: &str,
    content: &[u8],
    resolved: &[Resolved],
) -> Vec<Finding> {
    let masker = Masker::new(content, resolved);
    let mut locator = Locator::new(content);
    resolved
        .iter()
        .map(|r| {
            let rule = &rules[r.rule];
            let (start_line, start_column) = locator.locate(r.secret.start);
            let (end_line, end_column) = locator.locate(r.secret.end);
            let region = Region {
                start_line,
                start_column,
                end_line,
                end_column,
            };
            let raw = String::from_utf8_lossy(&content[r.secret.clone()]).into_owned();
            let masked = mask(&raw);
            let message = match &rule.grants {
                Some(grants) => format!("Hard-coded {}. {}", rule.meta.title, grants.trim()),
                None => format!("Hard-coded {}.", rule.meta.title),
            };
            let mut f = Finding::new(&rule.meta, Location::file(path, region), message);
            f.evidence = Some(Evidence {
                snippet: masker.snippet(content, r.secret.clone()),
            });
            f.suggestion = Some(rule.meta.help.clone());
            f.details = Some(Details::Secret {
                commit: None,
                entropy: Some((r.entropy * 100.0).round() / 100.0),
                verified_format: r.verified,
                masked,
            });
            f.secret = Some(SecretValue::new(raw));
            f
        })
        .collect()
}

/// Masks every reported secret wherever it appears in a snippet: at the spans that were
/// reported, and at any other occurrence of the same value on the line.
struct Masker {
    /// Reported spans (secrets and related spans such as an AWS key id), sorted by start.
    spans: Vec<Range<usize>>,
    /// Distinct values of the reported spans, to catch repeats the rules did not report.
    values: Vec<Vec<u8>>,
    automaton: Option<AhoCorasick>,
}

impl Masker {
    fn new(content: &[u8], resolved: &[Resolved]) -> Masker {
        let mut spans: Vec<Range<usize>> = resolved
            .iter()
            .flat_map(|r| std::iter::once(r.secret.clone()).chain(r.related.clone()))
            .collect();
        spans.sort_by_key(|s| (s.start, s.end));
        let mut values: Vec<Vec<u8>> = spans
            .iter()
            .map(|s| content[s.clone()].to_vec())
            .filter(|v| !v.contains(&b'\n'))
            .collect();
        values.sort();
        values.dedup();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&values)
            .ok();
        Masker {
            spans,
            values,
            automaton,
        }
    }

    /// The line holding `secret.start`, with every secret masked, trimmed, and cut to
    /// [`SNIPPET_CONTEXT_CHARS`] on each side of the secret.
    fn snippet(&self, content: &[u8], secret: Range<usize>) -> String {
        let ls = lines::line_start(content, secret.start);
        let le = lines::line_end(content, secret.start);
        let (mut before, mut focus, mut after) = (String::new(), String::new(), String::new());
        let mut cursor = ls;
        // Spans are disjoint and sorted; walk the ones touching this line.
        for span in self.spans.iter().filter(|s| s.start < le && s.end > ls) {
            let start = span.start.max(cursor);
            let text = self.mask_repeats(&content[cursor..start]);
            let masked = mask(&String::from_utf8_lossy(&content[span.clone()]));
            if span.start == secret.start && span.end == secret.end {
                before.push_str(&text);
                focus = masked;
            } else if focus.is_empty() {
                before.push_str(&text);
                before.push_str(&masked);
            } else {
                after.push_str(&text);
                after.push_str(&masked);
            }
            cursor = span.end.min(le).max(cursor);
        }
        after.push_str(&self.mask_repeats(&content[cursor.min(le)..le]));
        let before = clean(&before);
        let after = clean(&after);
        let before = before.trim_start();
        let after = after.trim_end();
        let mut out = String::new();
        let n = before.chars().count();
        if n > SNIPPET_CONTEXT_CHARS {
            out.push('…');
            out.extend(before.chars().skip(n - SNIPPET_CONTEXT_CHARS));
        } else {
            out.push_str(before);
        }
        out.push_str(&focus);
        if after.chars().count() > SNIPPET_CONTEXT_CHARS {
            out.extend(after.chars().take(SNIPPET_CONTEXT_CHARS));
            out.push('…');
        } else {
            out.push_str(after);
        }
        out.trim().to_owned()
    }

    fn mask_repeats(&self, text: &[u8]) -> String {
        let Some(ac) = &self.automaton else {
            return String::from_utf8_lossy(text).into_owned();
        };
        let mut out = String::new();
        let mut last = 0;
        for m in ac.find_iter(text) {
            out.push_str(&String::from_utf8_lossy(&text[last..m.start()]));
            let value = &self.values[m.pattern().as_usize()];
            out.push_str(&mask(&String::from_utf8_lossy(value)));
            last = m.end();
        }
        out.push_str(&String::from_utf8_lossy(&text[last..]));
        out
    }
}

/// Control characters (NUL, CR, escape sequences) would garble a terminal; show them as U+FFFD.
fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| c.is_control() && c != '\t') {
        Cow::Owned(
            s.chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Line and column of increasing offsets in one pass over the content, so a file with many
/// findings is not re-read from the start for each one.
struct Locator<'a> {
    content: &'a [u8],
    offset: usize,
    line: usize,
    line_start: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    fn new(content: &'a [u8]) -> Locator<'a> {
        Locator {
            content,
            offset: 0,
            line: 1,
            line_start: 0,
            column: 1,
        }
    }

    /// The 1-based line and character column of `offset`; offsets must not decrease by more
    /// than a restart (they are re-read from the start if they do).
    fn locate(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.content.len());
        if offset < self.offset {
            *self = Locator::new(self.content);
        }
        let chunk = &self.content[self.offset..offset];
        match memchr::memrchr(b'\n', chunk) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', chunk).count();
                self.line_start = self.offset + last + 1;
                self.column = 1 + chars(&self.content[self.line_start..offset]);
            }
            None => self.column += chars(chunk),
        }
        self.offset = offset;
        (saturate(self.line), saturate(self.column))
    }
}

/// Characters in `bytes`: UTF-8 continuation bytes do not start one (invalid bytes count one
/// each), the same rule as `Region::from_byte_range`.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locator_agrees_with_core() {
        let text = "héllo\nwörld = \"x\"\r\n\nlast line here".as_bytes();
        let mut loc = Locator::new(text);
        for offset in [0, 3, 7, 9, 15, 20, 22, 30, text.len()] {
            let r = Region::from_byte_range(text, offset, offset);
            assert_eq!(
                loc.locate(offset),
                (r.start_line, r.start_column),
                "offset {offset}"
            );
        }
        assert_eq!(loc.locate(2), (1, 3));
    }
}
