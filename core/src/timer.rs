//! A fixed-capacity indexed 4-ary min-heap of deadlines: at most one timer per key.
//!
//! Keys are `0..N` (environment or function slots). Setting, moving and
//! cancelling a key's timer are O(log N); the earliest timer is O(1). Ties
//! break by a sequence number the caller assigns when scheduling, so due
//! timers fire in the order they were scheduled (docs/model.md §2). Sifting moves a
//! hole instead of swapping, (deadline, sequence) is compared as one
//! `u128`, and the smallest of four children is picked without branches:
//! half the levels of a binary heap, whose pops were dependent-load chains
//! (+7 % on the λ = 20/s simulation bench, where ~40 ends are pending).

use crate::storage::Slots;
use crate::time::Instant;

const NONE: u32 = u32::MAX;

/// One scheduled deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timer {
    pub at: Instant,
    pub seq: u64,
    pub key: u32,
}

/// A heap entry: the ordering key (deadline, then sequence) and the timer's key.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    order: u128,
    key: u32,
}

impl Entry {
    /// An unused entry (storage filler).
    pub const VACANT: Entry = Entry { order: u128::MAX, key: NONE };

    fn timer(self) -> Timer {
        Timer { at: Instant::from_micros((self.order >> 64) as u64), seq: self.order as u64, key: self.key }
    }
}

/// "No entry": a key's position when it has no timer (storage filler).
pub(crate) const NO_POSITION: u32 = NONE;

/// Deadlines keyed by slot index, earliest first, in lent storage: the
/// heap's entries (`heap[..len]`) and each key's position in it (`pos`).
/// Keys are `0..pos.len()`; the heap has room for one entry per key.
#[derive(Debug)]
pub(crate) struct TimerHeap<'a> {
    heap: Slots<'a, Entry>,
    len: usize,
    pos: Slots<'a, u32>,
}

impl<'a> TimerHeap<'a> {
    /// An empty heap over `heap` and `pos` (any contents: they are reset).
    /// Its keys are `0..min(heap.len(), pos.len())`.
    pub fn new(mut heap: Slots<'a, Entry>, mut pos: Slots<'a, u32>) -> Self {
        heap.fill(Entry::VACANT);
        pos.fill(NONE);
        TimerHeap { heap, len: 0, pos }
    }

    /// Keys this heap takes now (`0..keys()`).
    pub fn keys(&self) -> usize {
        self.heap.len().min(self.pos.len())
    }

    /// Makes room for keys `0..keys` if the storage can grow to it.
    pub fn grow_to(&mut self, keys: usize) -> bool {
        self.heap.grow_to(keys, Entry::VACANT) && self.pos.grow_to(keys, NONE)
    }

    fn entries(&self) -> &[Entry] {
        self.heap.get(..self.len).unwrap_or(&[])
    }

    /// The earliest timer.
    pub fn peek(&self) -> Option<Timer> {
        self.entries().first().map(|e| e.timer())
    }

    /// The earliest timer's (deadline, sequence) as one number (deadline in
    /// the high 64 bits: the order timers fire in), or `u128::MAX` when
    /// there is none.
    pub fn first_order(&self) -> u128 {
        self.entries().first().map_or(u128::MAX, |e| e.order)
    }

    /// The earliest timer's order (as [`Self::first_order`]) and key.
    pub fn first_entry(&self) -> Option<(u128, u32)> {
        self.entries().first().map(|e| (e.order, e.key))
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// The deadline of `key`'s timer, if set.
    pub fn get(&self, key: u32) -> Option<Instant> {
        let p = *self.pos.get(key as usize)?;
        self.entries().get(p as usize).map(|e| e.timer().at)
    }

    /// Sets (or moves) `key`'s timer. Returns false only for a key ≥ [`Self::keys`].
    pub fn set(&mut self, key: u32, at: Instant, seq: u64) -> bool {
        if key as usize >= self.keys() {
            return false;
        }
        let Some(&p) = self.pos.get(key as usize) else { return false };
        let e = Entry { order: (u128::from(at.as_micros()) << 64) | u128::from(seq), key };
        if p == NONE {
            let i = self.len;
            if i >= self.heap.len() {
                return false; // unreachable: one entry per key
            }
            self.len += 1;
            self.sift_up(i, e);
        } else if self.len == 1 {
            // The only timer moves (a simulator's one function): nothing to sift.
            self.put_only(e);
        } else {
            let i = p as usize;
            let old = self.entries().get(i).map_or(0, |x| x.order);
            if e.order < old { self.sift_up(i, e) } else { self.sift_down(i, e) }
        }
        true
    }

    fn put_only(&mut self, e: Entry) {
        if let Some(first) = self.heap.first_mut() {
            *first = e;
        }
    }

    /// Takes the last entry off the heap.
    fn pop_last(&mut self) -> Option<Entry> {
        self.len = self.len.checked_sub(1)?;
        self.heap.get(self.len).copied()
    }

    /// Cancels `key`'s timer if set.
    pub fn cancel(&mut self, key: u32) {
        let Some(p) = self.pos.get_mut(key as usize) else { return };
        if *p == NONE {
            return;
        }
        let i = *p as usize;
        *p = NONE;
        let Some(last) = self.pop_last() else { return };
        if i >= self.len {
            // It was the last entry: nothing moves.
        } else if i == 0 {
            self.refill_root(last);
        } else {
            // Put the last entry in the hole and restore the order around it.
            let old = self.entries().get(i).map_or(0, |x| x.order);
            if last.order < old { self.sift_up(i, last) } else { self.sift_down(i, last) }
        }
    }

    /// Removes and returns the earliest timer if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Instant) -> Option<Timer> {
        let first = *self.entries().first()?;
        let t = first.timer();
        if t.at > now {
            return None;
        }
        if let Some(p) = self.pos.get_mut(first.key as usize) {
            *p = NONE;
        }
        if let Some(last) = self.pop_last()
            && self.len > 0
        {
            self.refill_root(last);
        }
        Some(t)
    }

    /// The heap's entries and the positions, for sifting.
    fn parts(&mut self) -> (&mut [Entry], &mut [u32]) {
        let len = self.len;
        let heap = self.heap.get_mut(..len).unwrap_or(&mut []);
        (heap, &mut self.pos)
    }

    /// Fills the hole at the root with `last` (the entry taken off the end):
    /// the hole sinks to a leaf along the smallest children (no compare
    /// with `last` on the way, and a predictable loop), then `last` rises from there —
    /// usually not far, as it came from the bottom (Floyd's heap pop).
    fn refill_root(&mut self, last: Entry) {
        let (heap, pos) = self.parts();
        let mut i = 0;
        while let Some((child, best)) = smallest_child(heap, i) {
            put(heap, pos, i, best);
            i = child;
        }
        sift_up(heap, pos, i, last);
    }

    fn sift_up(&mut self, i: usize, e: Entry) {
        let (heap, pos) = self.parts();
        sift_up(heap, pos, i, e);
    }

    /// Moves `e` down from hole `i` to its place.
    fn sift_down(&mut self, mut i: usize, e: Entry) {
        let (heap, pos) = self.parts();
        while let Some((child, best)) = smallest_child(heap, i) {
            if e.order <= best.order {
                break;
            }
            put(heap, pos, i, best);
            i = child;
        }
        put(heap, pos, i, e);
    }
}

// The sifting works on the heap as a plain slice: its length stays in a
// register and each access is one bounds check.

/// The smallest of node `i`'s (up to four) children (`None` for a leaf).
/// The comparisons are coin flips: they select, they do not branch.
#[inline(always)]
fn smallest_child(heap: &[Entry], i: usize) -> Option<(usize, Entry)> {
    let first = 4 * i + 1;
    let o1 = heap.get(first)?.order;
    let order = |k: usize| heap.get(k).map_or(u128::MAX, |e| e.order);
    let (o2, o3, o4) = (order(first + 1), order(first + 2), order(first + 3));
    let (i12, m12) = if o2 < o1 { (first + 1, o2) } else { (first, o1) };
    let (i34, m34) = if o4 < o3 { (first + 3, o4) } else { (first + 2, o3) };
    let child = if m34 < m12 { i34 } else { i12 };
    heap.get(child).map(|&e| (child, e))
}

#[inline(always)]
fn put(heap: &mut [Entry], pos: &mut [u32], i: usize, e: Entry) {
    if let Some(slot) = heap.get_mut(i) {
        *slot = e;
    }
    if let Some(p) = pos.get_mut(e.key as usize) {
        *p = i as u32;
    }
}

/// Moves `e` up from hole `i` to its place.
#[inline(always)]
fn sift_up(heap: &mut [Entry], pos: &mut [u32], mut i: usize, e: Entry) {
    while i > 0 {
        let parent = (i - 1) / 4;
        let Some(&p) = heap.get(parent) else { break };
        if e.order >= p.order {
            break;
        }
        put(heap, pos, i, p);
        i = parent;
    }
    put(heap, pos, i, e);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(us: u64) -> Instant {
        Instant::from_micros(us)
    }

    /// A heap of `$n` keys over arrays on the test's stack.
    macro_rules! heap {
        ($h:ident, $n:literal) => {
            let (mut entries, mut pos) = ([Entry::VACANT; $n], [NONE; $n]);
            let mut $h = TimerHeap::new(Slots::from(&mut entries), Slots::from(&mut pos));
        };
    }

    #[test]
    fn pops_in_deadline_then_schedule_order() {
        heap!(h, 8);
        assert!(h.set(3, at(50), 1));
        assert!(h.set(1, at(10), 2));
        assert!(h.set(2, at(10), 3));
        assert!(h.set(0, at(70), 4));
        assert_eq!(h.pop_due(at(5)), None);
        assert_eq!(h.pop_due(at(100)).map(|t| t.key), Some(1));
        assert_eq!(h.pop_due(at(100)).map(|t| t.key), Some(2));
        assert_eq!(h.pop_due(at(100)).map(|t| t.key), Some(3));
        assert_eq!(h.pop_due(at(100)).map(|t| (t.key, t.at, t.seq)), Some((0, at(70), 4)));
        assert_eq!(h.len(), 0);
    }

    #[test]
    fn move_and_cancel() {
        heap!(h, 4);
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
    fn cancelling_or_popping_the_only_timer_leaves_an_empty_heap() {
        heap!(h, 4);
        h.set(2, at(10), 1);
        h.cancel(2);
        assert_eq!((h.len(), h.get(2), h.peek()), (0, None, None));
        h.set(2, at(10), 2);
        assert_eq!(h.pop_due(at(10)).map(|t| t.key), Some(2));
        assert_eq!((h.len(), h.get(2), h.peek()), (0, None, None));
        h.set(1, at(5), 3);
        h.set(3, at(6), 4);
        h.cancel(1);
        assert_eq!((h.get(1), h.get(3), h.peek().map(|t| t.key)), (None, Some(at(6)), Some(3)));
    }

    #[test]
    fn matches_a_sorted_model() {
        let mut rng = crate::rng::Rng::new(11);
        heap!(h, 32);
        let mut model: [Option<(u64, u64)>; 32] = [None; 32];
        for seq in 0..40_000u64 {
            // Alternate between a few keys (tiny heaps) and all of them.
            let keys = if (seq / 2_000) % 2 == 0 { 3 } else { 32 };
            let key = rng.below(keys) as u32;
            match rng.below(4) {
                0 | 1 => {
                    let t = rng.below(1_000);
                    h.set(key, at(t), seq);
                    model[key as usize] = Some((t, seq));
                }
                2 => {
                    h.cancel(key);
                    model[key as usize] = None;
                }
                _ => {
                    let popped = h.pop_due(at(rng.below(1_000)));
                    if let Some(t) = popped {
                        model[t.key as usize] = None;
                    }
                }
            }
            let best = model.iter().enumerate().filter_map(|(k, v)| v.map(|(t, s)| (t, s, k as u32))).min();
            assert_eq!(h.peek().map(|t| (t.at.as_micros(), t.seq, t.key)), best);
            assert_eq!(h.first_order(), best.map_or(u128::MAX, |(t, s, _)| (u128::from(t) << 64) | u128::from(s)));
            assert_eq!(h.len(), model.iter().flatten().count());
            for (k, v) in model.iter().enumerate() {
                assert_eq!(h.get(k as u32).map(Instant::as_micros), v.map(|(t, _)| t));
            }
        }
    }
}
