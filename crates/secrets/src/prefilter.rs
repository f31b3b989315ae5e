//! The keyword prefilter: one Aho-Corasick automaton over every rule's keywords, so a file is
//! read once to learn which rules can possibly match and where.
//!
//! Matching is ASCII case-insensitive and *overlapping*: keywords overlap and nest (`xoxb` inside
//! `xoxb-`, `token` inside `auth_token`), and with leftmost semantics a hit on one keyword would
//! hide a hit on another at the same place, silently disabling a rule.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::RuleError;
use crate::lines;
use crate::rule::Rule;

pub(crate) struct Prefilter {
    automaton: AhoCorasick,
    /// For each distinct keyword (the automaton's pattern id), the rules that listed it.
    rules_of_keyword: Vec<Vec<u32>>,
}

impl Prefilter {
    pub(crate) fn new(rules: &[Rule]) -> Result<Prefilter, RuleError> {
        let mut keywords: Vec<&str> = Vec::new();
        let mut rules_of_keyword: Vec<Vec<u32>> = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let index = u32::try_from(index)
                .map_err(|_| RuleError::Prefilter("more than 2^32 rules".into()))?;
            for k in &rule.keywords {
                match keywords.iter().position(|known| known == k) {
                    Some(id) => rules_of_keyword[id].push(index),
                    None => {
                        keywords.push(k);
                        rules_of_keyword.push(vec![index]);
                    }
                }
            }
        }
        for list in &mut rules_of_keyword {
            list.dedup();
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)
            .map_err(|e| RuleError::Prefilter(e.to_string()))?;
        Ok(Prefilter {
            automaton,
            rules_of_keyword,
        })
    }

    /// Every `(rule index, keyword start)` pair in `content`, sorted, without duplicates.
    pub(crate) fn hits(&self, content: &[u8]) -> Vec<(u32, usize)> {
        let mut hits = Vec::new();
        for m in self.automaton.find_overlapping_iter(content) {
            for &rule in &self.rules_of_keyword[m.pattern().as_usize()] {
                hits.push((rule, m.start()));
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }
}

/// The merged windows of one rule: the lines around each of its keyword hits (`positions` is
/// sorted), with the rule's extra context lines. Hits inside the current window cost nothing,
/// so a file that is nothing but keywords is still read a bounded number of times per rule.
pub(crate) fn windows(
    content: &[u8],
    positions: impl Iterator<Item = usize>,
    before: u32,
    after: u32,
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for pos in positions {
        if out.last().is_some_and(|w| pos < w.end) {
            continue;
        }
        let w = lines::around(content, pos..pos, before, after);
        match out.last_mut() {
            // Touching or overlapping windows merge, so a match spanning both is seen whole.
            Some(last) if w.start <= last.end + 1 => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_merge_and_skip_covered_hits() {
        let text = b"a key\nb\nc key key\n\n\nd key";
        let pos: Vec<usize> = text
            .windows(3)
            .enumerate()
            .filter(|(_, w)| *w == b"key")
            .map(|(i, _)| i)
            .collect();
        let w = windows(text, pos.iter().copied(), 0, 0);
        let parts: Vec<&[u8]> = w.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(parts, vec![&b"a key"[..], b"c key key", b"d key"]);
        let w = windows(text, pos.iter().copied(), 1, 1);
        assert_eq!(w.len(), 1);
    }
}
