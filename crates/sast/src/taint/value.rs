//! Taint values: which labels a value carries, each with the trace that brought it there.
//!
//! Bits 0..32 are the rule's labels; bits 32..64 stand for "whatever the caller passed as
//! parameter i" and are how function summaries are computed.

use std::collections::BTreeMap;
use std::rc::Rc;

/// First bit used for parameter placeholders.
pub(crate) const PARAM_BIT: u8 = 32;
/// Parameters beyond this many are not tracked through summaries.
pub(crate) const MAX_PARAMS: usize = 32;
/// Longest trace kept; later steps are dropped (the sink step is always added).
const MAX_TRACE: u16 = 40;

/// One step of a trace, newest first; shared between values.
#[derive(Debug)]
pub(crate) struct Trace {
    pub start: u32,
    pub end: u32,
    pub message: String,
    pub prev: Option<Rc<Trace>>,
    len: u16,
}

impl Trace {
    pub fn root(start: u32, end: u32, message: String) -> Rc<Trace> {
        Rc::new(Trace {
            start,
            end,
            message,
            prev: None,
            len: 1,
        })
    }

    /// A new step after `prev` (or `prev` itself once the trace is long enough).
    pub fn step(prev: &Rc<Trace>, start: u32, end: u32, message: String) -> Rc<Trace> {
        if prev.len >= MAX_TRACE || (prev.start == start && prev.end == end) {
            return Rc::clone(prev);
        }
        Rc::new(Trace {
            start,
            end,
            message,
            prev: Some(Rc::clone(prev)),
            len: prev.len + 1,
        })
    }

    /// The steps oldest first.
    pub fn steps(self: &Rc<Trace>) -> Vec<(u32, u32, String)> {
        let mut out = Vec::new();
        let mut cur = Some(self);
        while let Some(t) = cur {
            out.push((t.start, t.end, t.message.clone()));
            cur = t.prev.as_ref();
        }
        out.reverse();
        out
    }

    /// `self` followed by `more` (steps recorded in another function).
    pub fn extend(self: &Rc<Trace>, more: &[(u32, u32, String)]) -> Rc<Trace> {
        let mut cur = Rc::clone(self);
        for (s, e, m) in more {
            cur = Trace::step(&cur, *s, *e, m.clone());
        }
        cur
    }
}

/// A value's taint: label bit → trace. Empty means clean.
#[derive(Debug, Clone, Default)]
pub(crate) struct Taint {
    items: Vec<(u8, Rc<Trace>)>,
}

impl Taint {
    pub fn clean() -> Taint {
        Taint::default()
    }

    pub fn is_clean(&self) -> bool {
        self.items.is_empty()
    }

    pub fn mask(&self) -> u64 {
        self.items.iter().fold(0, |m, (b, _)| m | (1u64 << b))
    }

    /// The rule labels only (no parameter placeholders).
    pub fn label_mask(&self) -> u32 {
        (self.mask() & 0xffff_ffff) as u32
    }

    pub fn items(&self) -> &[(u8, Rc<Trace>)] {
        &self.items
    }

    pub fn get(&self, bit: u8) -> Option<&Rc<Trace>> {
        self.items.iter().find(|(b, _)| *b == bit).map(|(_, t)| t)
    }

    /// Adds the labels of `other` this value lacks; true when something was added.
    pub fn join(&mut self, other: &Taint) -> bool {
        let mut changed = false;
        for (b, t) in &other.items {
            if self.get(*b).is_none() {
                self.items.push((*b, Rc::clone(t)));
                changed = true;
            }
        }
        if changed {
            self.items.sort_by_key(|(b, _)| *b);
        }
        changed
    }

    /// Keeps only the labels `keep` accepts.
    pub fn filtered(&self, keep: impl Fn(u8) -> bool) -> Taint {
        Taint {
            items: self
                .items
                .iter()
                .filter(|(b, _)| keep(*b))
                .cloned()
                .collect(),
        }
    }

    pub fn add(&mut self, bit: u8, trace: Rc<Trace>) {
        if self.get(bit).is_none() {
            self.items.push((bit, trace));
            self.items.sort_by_key(|(b, _)| *b);
        }
    }

    /// Every trace gets one more step.
    pub fn stepped(&self, start: u32, end: u32, message: &str) -> Taint {
        Taint {
            items: self
                .items
                .iter()
                .map(|(b, t)| (*b, Trace::step(t, start, end, message.to_owned())))
                .collect(),
        }
    }
}

/// Separator between the segments of an access path (`x`, `x.attr`, `x["k"]`).
pub(crate) const SEP: char = '\u{1}';

/// The dataflow state: access path → taint. `None` at a node means unreachable.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    vars: BTreeMap<String, Taint>,
    /// Known lengths of lists built in this function (`[]`, `new ArrayList<>()`, appends), so
    /// an appended element lands at its index instead of tainting the whole list.
    lens: BTreeMap<String, u32>,
}

impl State {
    /// The taint of reading `path`: the path itself, any prefix (a tainted object taints its
    /// fields) and any extension (an object with a tainted field is tainted).
    pub fn read(&self, path: &str) -> Taint {
        let mut out = Taint::clean();
        if self.vars.is_empty() {
            return out;
        }
        if let Some(t) = self.vars.get(path) {
            out.join(t);
        }
        for (i, c) in path.char_indices() {
            if c == SEP
                && let Some(t) = self.vars.get(&path[..i])
            {
                out.join(t);
            }
        }
        let lo = format!("{path}{SEP}");
        let hi = format!("{path}\u{2}");
        for (_, t) in self.vars.range(lo..hi) {
            out.join(t);
        }
        out
    }

    /// The taint stored at exactly `path` and its prefixes (not its extensions).
    pub fn read_exact(&self, path: &str) -> Taint {
        let mut out = Taint::clean();
        if self.vars.is_empty() {
            return out;
        }
        if let Some(t) = self.vars.get(path) {
            out.join(t);
        }
        for (i, c) in path.char_indices() {
            if c == SEP
                && let Some(t) = self.vars.get(&path[..i])
            {
                out.join(t);
            }
        }
        out
    }

    pub fn len(&self, path: &str) -> Option<u32> {
        self.lens.get(path).copied()
    }

    pub fn set_len(&mut self, path: &str, n: u32) {
        self.lens.insert(path.to_owned(), n);
    }

    /// The list's length is no longer known (an unknown method or a callee may change it).
    pub fn forget_len(&mut self, path: &str) {
        self.lens.remove(path);
    }

    /// `path = value`: replaces the path and everything below it.
    pub fn write(&mut self, path: &str, value: Taint) {
        self.lens.remove(path);
        if self.vars.is_empty() {
            if !value.is_clean() {
                self.vars.insert(path.to_owned(), value);
            }
            return;
        }
        let lo = format!("{path}{SEP}");
        let hi = format!("{path}\u{2}");
        let below: Vec<String> = self.vars.range(lo..hi).map(|(k, _)| k.clone()).collect();
        for k in below {
            self.vars.remove(&k);
        }
        if value.is_clean() {
            self.vars.remove(path);
        } else {
            self.vars.insert(path.to_owned(), value);
        }
    }

    /// `path` may now also hold `value` (an element added to a collection).
    pub fn weak_write(&mut self, path: &str, value: &Taint) {
        if value.is_clean() {
            return;
        }
        self.vars.entry(path.to_owned()).or_default().join(value);
    }

    /// Joins `other` into `self`; true when something was added.
    pub fn join(&mut self, other: &State) -> bool {
        let mut changed = false;
        // A length survives a join only when both sides agree on it.
        let before = self.lens.len();
        self.lens.retain(|k, v| other.lens.get(k) == Some(v));
        changed |= self.lens.len() != before;
        for (k, t) in &other.vars {
            match self.vars.get_mut(k) {
                Some(mine) => changed |= mine.join(t),
                None => {
                    self.vars.insert(k.clone(), t.clone());
                    changed = true;
                }
            }
        }
        changed
    }
}
