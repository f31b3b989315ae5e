//! The per-file time limit, checked cooperatively inside the parser, the lowering and the
//! matcher loops (no thread is ever killed).

use std::cell::Cell;
use std::time::{Duration, Instant};

/// When the work on one file must stop.
#[derive(Debug)]
pub(crate) struct Deadline {
    at: Option<Instant>,
    ticks: Cell<u32>,
    hit: Cell<bool>,
}

impl Deadline {
    pub fn none() -> Deadline {
        Deadline {
            at: None,
            ticks: Cell::new(0),
            hit: Cell::new(false),
        }
    }

    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now().checked_add(limit),
            ticks: Cell::new(0),
            hit: Cell::new(false),
        }
    }

    /// Reads the clock; once expired, stays expired.
    pub fn expired(&self) -> bool {
        if self.hit.get() {
            return true;
        }
        let hit = self.at.is_some_and(|at| Instant::now() >= at);
        self.hit.set(hit);
        hit
    }

    /// A cheap check for hot loops: reads the clock every 256 calls.
    pub fn tick(&self) -> bool {
        if self.hit.get() {
            return true;
        }
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        t.is_multiple_of(256) && self.expired()
    }

    /// True once a check has seen the deadline pass.
    pub fn was_hit(&self) -> bool {
        self.hit.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_and_stays_expired() {
        let d = Deadline::after(Duration::ZERO);
        assert!(d.expired());
        assert!(d.tick());
        assert!(d.was_hit());
        let never = Deadline::none();
        assert!((0..1000).all(|_| !never.tick()));
    }
}
