//! The literal prefilter: one Aho-Corasick pass over a file tells which identifiers and strings
//! it contains, so rules whose patterns need absent ones are skipped before parsing.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use crate::rule::formula::Need;

/// Every literal any rule needs, in one automaton.
pub(crate) struct Prefilter {
    automaton: Option<AhoCorasick>,
    index: HashMap<String, usize>,
}

/// The literals found in one file.
pub(crate) struct Present<'p> {
    found: Vec<bool>,
    index: &'p HashMap<String, usize>,
}

impl Present<'_> {
    pub fn contains(&self, lit: &str) -> bool {
        self.index
            .get(lit)
            .is_some_and(|&i| self.found.get(i).copied().unwrap_or(false))
    }
}

impl Prefilter {
    pub fn new<'a>(needs: impl Iterator<Item = &'a Need>) -> Prefilter {
        let mut lits = Vec::new();
        for n in needs {
            n.literals(&mut lits);
        }
        lits.sort();
        lits.dedup();
        let index = lits
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        // Building can only fail on absurd sizes; without an automaton every literal counts as
        // present, which is slower but still correct.
        let automaton = AhoCorasick::new(&lits).ok();
        Prefilter { automaton, index }
    }

    pub fn present(&self, content: &[u8]) -> Present<'_> {
        let n = self.index.len();
        let found = match &self.automaton {
            Some(ac) => {
                let mut found = vec![false; n];
                let mut remaining = n;
                for m in ac.find_overlapping_iter(content) {
                    let i = m.pattern().as_usize();
                    if !found[i] {
                        found[i] = true;
                        remaining -= 1;
                        if remaining == 0 {
                            break;
                        }
                    }
                }
                found
            }
            None => vec![true; n],
        };
        Present {
            found,
            index: &self.index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlapping_literals() {
        let need = Need::All(vec![Need::Lit("exec".into()), Need::Lit("execute".into())]);
        let p = Prefilter::new([&need].into_iter());
        let present = p.present(b"cursor.execute(q)");
        assert!(present.contains("exec") && present.contains("execute"));
        assert!(need.satisfied(&|l| present.contains(l)));
        let absent = p.present(b"print(x)");
        assert!(!need.satisfied(&|l| absent.contains(l)));
    }
}
