//! Choosing what to report when rules disagree.
//!
//! 1. A rule whose checksum failed (`validator` with a veto) suppresses every rule of the same or
//!    lower precedence on the same text: a `ghp_…` with a wrong checksum is a fixture, not a
//!    password for the generic rule to report.
//! 2. Overlapping matches: the best-ranked one wins, the others are dropped. Rank: precedence
//!    (provider, contextual, structural, generic, fallback), then a verified format, then
//!    confidence, then severity, then rule id.
//! 3. The same secret value found several times in a file is reported once, by the best-ranked
//!    rule that found it, at its first occurrence.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::rule::Rule;

/// A match that passed its rule's filters and validator.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub rule: usize,
    pub secret: Range<usize>,
    /// Another span that belongs to this finding (the key id of an AWS key pair).
    pub related: Option<Range<usize>>,
    pub verified: bool,
    pub entropy: f64,
}

/// Text a rule's validator proved is not a secret.
#[derive(Debug, Clone)]
pub(crate) struct Veto {
    pub rule: usize,
    pub span: Range<usize>,
}

/// What gets reported: the winning rule's candidate, moved to the value's first occurrence.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub rule: usize,
    pub secret: Range<usize>,
    pub related: Option<Range<usize>>,
    pub verified: bool,
    pub entropy: f64,
}

pub(crate) fn resolve(
    rules: &[Rule],
    content: &[u8],
    mut candidates: Vec<Candidate>,
    vetoes: &[Veto],
) -> Vec<Resolved> {
    if !vetoes.is_empty() {
        candidates.retain(|c| {
            !vetoes.iter().any(|v| {
                v.rule != c.rule
                    && overlaps(&v.span, &c.secret)
                    && rules[v.rule].precedence <= rules[c.rule].precedence
            })
        });
    }
    let rank = |c: &Candidate| {
        let meta = &rules[c.rule].meta;
        (
            rules[c.rule].precedence,
            !c.verified,
            Reverse(meta.confidence),
            Reverse(meta.severity),
            meta.id.as_str(),
            c.secret.start,
            c.secret.end,
        )
    };
    candidates.sort_by(|a, b| rank(a).cmp(&rank(b)));

    // Accepted spans are pairwise disjoint, so an overlap test only needs the nearest span
    // starting before the end of the new one.
    let mut occupied: BTreeMap<usize, usize> = BTreeMap::new();
    let mut accepted: Vec<Candidate> = Vec::new();
    for c in candidates {
        let spans = std::iter::once(&c.secret).chain(c.related.as_ref());
        if spans.clone().any(|s| is_occupied(&occupied, s)) {
            continue;
        }
        for s in spans {
            occupied.insert(s.start, s.end);
        }
        accepted.push(c);
    }

    // `accepted` is in rank order, so the first candidate seen for a value is its best rule.
    let mut by_value: HashMap<&[u8], usize> = HashMap::new();
    let mut out: Vec<Resolved> = Vec::new();
    for c in &accepted {
        let value = &content[c.secret.clone()];
        match by_value.get(value) {
            Some(&i) => {
                let first = &mut out[i];
                if c.secret.start < first.secret.start {
                    first.secret = c.secret.clone();
                    first.related = c.related.clone().or(first.related.take());
                }
            }
            None => {
                by_value.insert(value, out.len());
                out.push(Resolved {
                    rule: c.rule,
                    secret: c.secret.clone(),
                    related: c.related.clone(),
                    verified: c.verified,
                    entropy: c.entropy,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.secret.start, rules[a.rule].meta.id.as_str())
            .cmp(&(b.secret.start, rules[b.rule].meta.id.as_str()))
    });
    out
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn is_occupied(occupied: &BTreeMap<usize, usize>, span: &Range<usize>) -> bool {
    occupied
        .range(..span.end)
        .next_back()
        .is_some_and(|(&start, &end)| overlaps(&(start..end), span))
}
