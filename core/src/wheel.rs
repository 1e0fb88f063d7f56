//! A timing wheel of deadlines with the interface and the exact order of
//! [`TimerHeap`]: at most one timer per key, earliest (deadline, sequence)
//! first.
//!
//! Deadlines within a 67 s window sit in 16.4 ms buckets (intrusive lists
//! through per-key arrays) found by a two-level bitmap; setting, moving and
//! cancelling one is O(1). Popping the earliest scans its bucket (a few
//! timers at most) and the bitmap for the next non-empty bucket: O(1), not
//! O(log n), so the cost per event does not grow with the number of
//! pending timers — the busy environments of a region. Deadlines beyond
//! the window (timeouts, lifetimes) or before it wait in a [`TimerHeap`].
//!
//! The window starts at the bucket of the last timer popped (every pending
//! timer is at or after it) or, when the wheel is empty, of the next one set.

use crate::time::Instant;
use crate::timer::{Timer, TimerHeap};

const NONE: u32 = u32::MAX;
/// `loc` of a key whose timer waits in the far heap.
const FAR: u32 = u32::MAX - 1;
/// Bucket width: 2^14 µs = 16.384 ms.
const WIDTH_SHIFT: u32 = 14;
const BUCKETS: usize = 4_096;
const WORDS: usize = BUCKETS / 64;
/// The window: 4096 buckets, 67.1 s.
const WINDOW_US: u64 = (BUCKETS as u64) << WIDTH_SHIFT;

fn at_of(order: u128) -> u64 {
    (order >> 64) as u64
}

fn bucket_of(at: u64) -> usize {
    ((at >> WIDTH_SHIFT) as usize) & (BUCKETS - 1)
}

/// One key's timer and its links in a bucket (one cache line's half).
#[derive(Clone, Copy, Debug)]
struct Node {
    /// (deadline, sequence), valid while `loc` is not `NONE`.
    order: u128,
    /// The key's bucket, `FAR`, or `NONE` (no timer).
    loc: u32,
    next: u32,
    prev: u32,
}

const EMPTY: Node = Node { order: 0, loc: NONE, next: NONE, prev: NONE };

/// Deadlines keyed by slot index, earliest first (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct TimerWheel<const N: usize> {
    nodes: [Node; N],
    heads: [u32; BUCKETS],
    /// Bit b of word w: bucket 64·w + b is not empty.
    bits: [u64; WORDS],
    /// Bit w: `bits[w]` is not zero.
    summary: u64,
    far: TimerHeap<N>,
    /// Start of the window, µs, a multiple of the bucket width.
    base: u64,
    /// Timers in buckets.
    in_wheel: usize,
    /// The key of the earliest timer (wheel or far), or `NONE`.
    min: u32,
}

impl<const N: usize> TimerWheel<N> {
    pub fn new() -> Self {
        TimerWheel {
            nodes: [EMPTY; N],
            heads: [NONE; BUCKETS],
            bits: [0; WORDS],
            summary: 0,
            far: TimerHeap::new(),
            base: 0,
            in_wheel: 0,
            min: NONE,
        }
    }

    fn node(&self, key: u32) -> Node {
        self.nodes.get(key as usize).copied().unwrap_or(EMPTY)
    }

    fn order_of(&self, key: u32) -> u128 {
        self.nodes.get(key as usize).map_or(u128::MAX, |n| n.order)
    }

    /// The earliest timer's (deadline, sequence) as one number, or
    /// `u128::MAX` when there is none.
    pub fn first_order(&self) -> u128 {
        if self.min == NONE { u128::MAX } else { self.order_of(self.min) }
    }

    /// The earliest timer.
    pub fn peek(&self) -> Option<Timer> {
        (self.min != NONE).then(|| self.timer(self.min))
    }

    fn timer(&self, key: u32) -> Timer {
        let order = self.order_of(key);
        Timer { at: Instant::from_micros(at_of(order)), seq: order as u64, key }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.in_wheel + self.far.len()
    }

    /// The deadline of `key`'s timer, if set.
    #[cfg(test)]
    pub fn get(&self, key: u32) -> Option<Instant> {
        let node = self.nodes.get(key as usize)?;
        (node.loc != NONE).then(|| Instant::from_micros(at_of(node.order)))
    }

    /// Sets (or moves) `key`'s timer. Returns false only for a key ≥ N.
    pub fn set(&mut self, key: u32, at: Instant, seq: u64) -> bool {
        if key as usize >= N {
            return false;
        }
        self.unlink(key);
        let order = (u128::from(at.as_micros()) << 64) | u128::from(seq);
        self.link(key, order);
        if self.min == key {
            // The earliest moved: it may no longer be.
            self.find_min();
        } else if self.min == NONE || order < self.order_of(self.min) {
            self.min = key;
        }
        true
    }

    /// Cancels `key`'s timer if set.
    pub fn cancel(&mut self, key: u32) {
        if self.unlink(key) && self.min == key {
            self.find_min();
        }
    }

    /// Removes and returns the earliest timer if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Instant) -> Option<Timer> {
        let t = self.peek()?;
        if t.at > now {
            return None;
        }
        self.unlink(t.key);
        // Every timer left is at or after this one: the window may start here.
        let at = t.at.as_micros();
        self.base = self.base.max((at >> WIDTH_SHIFT) << WIDTH_SHIFT);
        self.find_min();
        Some(t)
    }

    /// Puts `key` (with no timer) in its bucket or the far heap.
    fn link(&mut self, key: u32, order: u128) {
        let at = at_of(order);
        if self.in_wheel == 0 {
            // An empty wheel's window may start anywhere: at this timer.
            self.base = (at >> WIDTH_SHIFT) << WIDTH_SHIFT;
        }
        if at < self.base || at - self.base >= WINDOW_US {
            self.far.set(key, Instant::from_micros(at), order as u64);
            self.set_node(key, Node { order, loc: FAR, next: NONE, prev: NONE });
            return;
        }
        let b = bucket_of(at);
        let head = self.heads.get(b).copied().unwrap_or(NONE);
        self.set_node(key, Node { order, loc: b as u32, next: head, prev: NONE });
        if head != NONE
            && let Some(h) = self.nodes.get_mut(head as usize)
        {
            h.prev = key;
        }
        if let Some(h) = self.heads.get_mut(b) {
            *h = key;
        }
        if let Some(w) = self.bits.get_mut(b / 64) {
            *w |= 1 << (b % 64);
        }
        self.summary |= 1 << (b / 64);
        self.in_wheel += 1;
    }

    /// Takes `key`'s timer out; false when it had none.
    fn unlink(&mut self, key: u32) -> bool {
        let Node { loc, next: n, prev: p, .. } = self.node(key);
        match loc {
            NONE => return false,
            FAR => self.far.cancel(key),
            b => {
                if p == NONE {
                    if let Some(h) = self.heads.get_mut(b as usize) {
                        *h = n;
                    }
                } else if let Some(x) = self.nodes.get_mut(p as usize) {
                    x.next = n;
                }
                if n != NONE
                    && let Some(x) = self.nodes.get_mut(n as usize)
                {
                    x.prev = p;
                }
                if p == NONE && n == NONE {
                    let b = b as usize;
                    if let Some(w) = self.bits.get_mut(b / 64) {
                        *w &= !(1 << (b % 64));
                        if *w == 0 {
                            self.summary &= !(1 << (b / 64));
                        }
                    }
                }
                self.in_wheel -= 1;
            }
        }
        if let Some(node) = self.nodes.get_mut(key as usize) {
            node.loc = NONE;
        }
        true
    }

    fn set_node(&mut self, key: u32, node: Node) {
        if let Some(n) = self.nodes.get_mut(key as usize) {
            *n = node;
        }
    }

    /// The first non-empty bucket in window order (from the window's start,
    /// wrapping around), if any.
    fn first_bucket(&self) -> Option<usize> {
        if self.summary == 0 {
            return None;
        }
        let start = bucket_of(self.base);
        let (w0, b0) = (start / 64, start % 64);
        let word = |w: usize| self.bits.get(w).copied().unwrap_or(0);
        // The start word from the start bit on.
        let head = word(w0) & (u64::MAX << b0);
        if head != 0 {
            return Some(w0 * 64 + head.trailing_zeros() as usize);
        }
        // Later words, then (wrapping) earlier ones, then the start word's
        // bits before the start: the window's last buckets.
        let later = self.summary & (u64::MAX << w0) & !(1u64 << w0);
        let earlier = self.summary & ((1u64 << w0) - 1);
        let w = match (later, earlier) {
            (0, 0) => w0,
            (0, e) => e.trailing_zeros() as usize,
            (l, _) => l.trailing_zeros() as usize,
        };
        let bits = word(w);
        (bits != 0).then(|| w * 64 + bits.trailing_zeros() as usize)
    }

    /// Recomputes the earliest timer: the smallest of the first non-empty
    /// bucket (all in one 16 ms slot) and the far heap's first.
    fn find_min(&mut self) {
        let mut best = self.far.first_entry().unwrap_or((u128::MAX, NONE));
        if let Some(b) = self.first_bucket() {
            let mut k = self.heads.get(b).copied().unwrap_or(NONE);
            while let Some(node) = self.nodes.get(k as usize) {
                if node.order < best.0 {
                    best = (node.order, k);
                }
                k = node.next;
            }
        }
        self.min = best.1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn at(us: u64) -> Instant {
        Instant::from_micros(us)
    }

    /// The wheel against a brute-force model, for deadlines drawn by `draw`
    /// relative to a clock that moves forward like a simulation's.
    fn check_against_model(seed: u64, draw: impl Fn(&mut Rng, u64) -> u64) {
        let mut rng = Rng::new(seed);
        let mut w: TimerWheel<48> = TimerWheel::new();
        let mut model: [Option<(u64, u64)>; 48] = [None; 48];
        let mut now = 0u64;
        for seq in 1..30_000u64 {
            let keys = if (seq / 3_000) % 2 == 0 { 4 } else { 48 };
            let key = rng.below(keys) as u32;
            match rng.below(8) {
                0..=3 => {
                    let t = draw(&mut rng, now);
                    w.set(key, at(t), seq);
                    model[key as usize] = Some((t, seq));
                }
                4 => {
                    w.cancel(key);
                    model[key as usize] = None;
                }
                _ => {
                    now += rng.below(200_000);
                    while let Some(t) = w.pop_due(at(now)) {
                        let want = model.iter().enumerate().filter_map(|(k, v)| v.map(|(t, s)| (t, s, k as u32))).min();
                        assert_eq!(Some((t.at.as_micros(), t.seq, t.key)), want);
                        model[t.key as usize] = None;
                    }
                }
            }
            let best = model.iter().enumerate().filter_map(|(k, v)| v.map(|(t, s)| (t, s, k as u32))).min();
            assert_eq!(w.peek().map(|t| (t.at.as_micros(), t.seq, t.key)), best, "seq {seq}");
            assert_eq!(w.first_order(), best.map_or(u128::MAX, |(t, s, _)| (u128::from(t) << 64) | u128::from(s)));
            assert_eq!(w.len(), model.iter().flatten().count());
            for (k, v) in model.iter().enumerate() {
                assert_eq!(w.get(k as u32).map(Instant::as_micros), v.map(|(t, _)| t));
            }
        }
    }

    #[test]
    fn matches_a_sorted_model_near_deadlines() {
        // Ends a few seconds out, and ties within a microsecond.
        check_against_model(1, |rng, now| now + rng.below(5_000_000));
        check_against_model(2, |rng, now| now + rng.below(3));
    }

    #[test]
    fn matches_a_sorted_model_far_and_past_deadlines() {
        // Beyond the window (timeouts, lifetimes), before the clock (a timer
        // already due), and a mix of everything.
        check_against_model(3, |rng, now| now + 60_000_000 + rng.below(900_000_000));
        check_against_model(4, |rng, now| now.saturating_sub(rng.below(1_000_000)));
        check_against_model(5, |rng, now| match rng.below(4) {
            0 => now + rng.below(100_000),
            1 => now + rng.below(70_000_000),
            2 => now + rng.below(10_000_000_000),
            _ => now.saturating_sub(rng.below(30_000_000)),
        });
    }

    #[test]
    fn wraps_around_the_window() {
        let mut w: TimerWheel<4> = TimerWheel::new();
        let step = WINDOW_US / 3;
        let mut t = 0;
        for seq in 1..100u64 {
            t += step;
            w.set(0, at(t), seq);
            w.set(1, at(t + step / 2), seq);
            assert_eq!(w.pop_due(at(t)).map(|x| x.key), Some(0));
            assert_eq!(w.peek().map(|x| x.key), Some(1));
            assert_eq!(w.pop_due(at(t + step / 2)).map(|x| x.key), Some(1));
            assert_eq!(w.peek(), None);
        }
        assert!(!w.set(9, at(1), 1));
    }
}
