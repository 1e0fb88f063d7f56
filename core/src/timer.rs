//! A fixed-capacity indexed min-heap of deadlines: at most one timer per key.
//!
//! Keys are `0..N` (environment or function slots). Setting, moving and
//! cancelling a key's timer are O(log N); the earliest timer is O(1). Ties
//! break by a sequence number the caller assigns when scheduling, so due
//! timers fire in the order they were scheduled (SPEC §2).

use crate::time::Instant;

const NONE: u32 = u32::MAX;

/// One scheduled deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timer {
    pub at: Instant,
    pub seq: u64,
    pub key: u32,
}

impl Timer {
    fn before(&self, other: &Timer) -> bool {
        (self.at, self.seq) < (other.at, other.seq)
    }
}

/// Deadlines keyed by slot index, earliest first.
#[derive(Clone, Debug)]
pub(crate) struct TimerHeap<const N: usize> {
    heap: heapless::Vec<Timer, N>,
    pos: [u32; N],
}

impl<const N: usize> TimerHeap<N> {
    pub const fn new() -> Self {
        TimerHeap { heap: heapless::Vec::new(), pos: [NONE; N] }
    }

    /// The earliest timer.
    pub fn peek(&self) -> Option<Timer> {
        self.heap.first().copied()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// The deadline of `key`'s timer, if set.
    pub fn get(&self, key: u32) -> Option<Instant> {
        let p = *self.pos.get(key as usize)?;
        self.heap.get(p as usize).map(|t| t.at)
    }

    /// Sets (or moves) `key`'s timer. Returns false only for a key ≥ N.
    pub fn set(&mut self, key: u32, at: Instant, seq: u64) -> bool {
        let Some(&p) = self.pos.get(key as usize) else { return false };
        let t = Timer { at, seq, key };
        if p == NONE {
            let i = self.heap.len();
            if self.heap.push(t).is_err() {
                return false; // unreachable: one entry per key, N keys
            }
            self.place(i);
            self.sift_up(i);
        } else if let Some(slot) = self.heap.get_mut(p as usize) {
            *slot = t;
            let i = p as usize;
            self.sift_up(i);
            self.sift_down(self.index_of(key));
        }
        true
    }

    /// Cancels `key`'s timer if set.
    pub fn cancel(&mut self, key: u32) {
        let Some(&p) = self.pos.get(key as usize) else { return };
        if p == NONE {
            return;
        }
        let i = p as usize;
        let last = self.heap.len().saturating_sub(1);
        self.heap.swap(i, last);
        self.heap.pop();
        self.clear_pos(key);
        if i < self.heap.len() {
            self.place(i);
            self.sift_up(i);
            if let Some(t) = self.heap.get(i) {
                let k = t.key;
                self.sift_down(self.index_of(k));
            }
        }
    }

    /// Removes and returns the earliest timer if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Instant) -> Option<Timer> {
        let t = self.peek()?;
        if t.at > now {
            return None;
        }
        self.cancel(t.key);
        Some(t)
    }

    fn index_of(&self, key: u32) -> usize {
        self.pos.get(key as usize).map_or(0, |&p| p as usize)
    }

    fn clear_pos(&mut self, key: u32) {
        if let Some(p) = self.pos.get_mut(key as usize) {
            *p = NONE;
        }
    }

    fn place(&mut self, i: usize) {
        if let Some(t) = self.heap.get(i) {
            let key = t.key as usize;
            if let Some(p) = self.pos.get_mut(key) {
                *p = i as u32;
            }
        }
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = (i - 1) / 2;
            match (self.heap.get(i), self.heap.get(parent)) {
                (Some(c), Some(p)) if c.before(p) => {}
                _ => break,
            }
            self.heap.swap(i, parent);
            self.place(i);
            self.place(parent);
            i = parent;
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        loop {
            let mut best = i;
            for child in [2 * i + 1, 2 * i + 2] {
                if let (Some(c), Some(b)) = (self.heap.get(child), self.heap.get(best))
                    && c.before(b)
                {
                    best = child;
                }
            }
            if best == i {
                break;
            }
            self.heap.swap(i, best);
            self.place(i);
            self.place(best);
            i = best;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(us: u64) -> Instant {
        Instant::from_micros(us)
    }

    #[test]
    fn pops_in_deadline_then_schedule_order() {
        let mut h: TimerHeap<8> = TimerHeap::new();
        assert!(h.set(3, at(50), 1));
        assert!(h.set(1, at(10), 2));
        assert!(h.set(2, at(10), 3));
        assert!(h.set(0, at(70), 4));
        assert_eq!(h.pop_due(at(5)), None);
        assert_eq!(h.pop_due(at(100)).map(|t| t.key), Some(1));
        assert_eq!(h.pop_due(at(100)).map(|t| t.key), Some(2));
        assert_eq!(h.pop_due(at(100)).map(|t| t.key), Some(3));
        assert_eq!(h.pop_due(at(100)).map(|t| t.key), Some(0));
        assert_eq!(h.len(), 0);
    }

    #[test]
    fn move_and_cancel() {
        let mut h: TimerHeap<4> = TimerHeap::new();
        h.set(0, at(10), 1);
        h.set(1, at(20), 2);
        h.set(2, at(30), 3);
        h.set(0, at(40), 4);
        assert_eq!(h.peek().map(|t| t.key), Some(1));
        h.cancel(1);
        h.cancel(1);
        assert_eq!(h.peek().map(|t| t.key), Some(2));
        assert_eq!(h.get(0), Some(at(40)));
        assert_eq!(h.get(1), None);
        assert!(!h.set(9, at(1), 5));
    }

    #[test]
    fn matches_a_sorted_model() {
        let mut rng = crate::rng::Rng::new(11);
        let mut h: TimerHeap<32> = TimerHeap::new();
        let mut model: [Option<(u64, u64)>; 32] = [None; 32];
        for seq in 0..5_000u64 {
            let key = rng.below(32) as u32;
            match rng.below(3) {
                0 | 1 => {
                    let t = rng.below(1_000);
                    h.set(key, at(t), seq);
                    model[key as usize] = Some((t, seq));
                }
                _ => {
                    h.cancel(key);
                    model[key as usize] = None;
                }
            }
            let best = model.iter().enumerate().filter_map(|(k, v)| v.map(|(t, s)| (t, s, k as u32))).min();
            assert_eq!(h.peek().map(|t| (t.at.as_micros(), t.seq, t.key)), best);
        }
    }
}
