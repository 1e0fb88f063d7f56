//! Arrival processes: when requests come.
//!
//! Each function has one [`Workload`]; [`Arrivals`] walks it forward one
//! request at a time in O(1) (amortised over empty trace minutes), drawing
//! from the function's own random stream.

use crate::rng::Rng;
use crate::time::{Duration, Instant};

/// One recorded request: when it arrived and, optionally, how long its
/// handler ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TraceEvent {
    /// Arrival time, µs from the start of the run.
    pub at_us: u64,
    /// Handler duration, µs; `None` draws it from the function's distribution.
    pub duration_us: Option<u64>,
}

/// When a function's requests arrive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Workload<'a> {
    /// No requests.
    Idle,
    /// Poisson arrivals at this rate.
    Poisson {
        /// Requests per second.
        rate_per_s: f64,
    },
    /// Evenly spaced arrivals at this rate (the first at t = 0).
    Constant {
        /// Requests per second.
        rate_per_s: f64,
    },
    /// Poisson arrivals during "on" periods, none during "off" ones; the
    /// cycle starts "on" at t = 0.
    OnOff {
        /// Requests per second while on.
        rate_per_s: f64,
        /// Length of an on period.
        on: Duration,
        /// Length of an off period.
        off: Duration,
    },
    /// Poisson arrivals whose rate moves linearly from `from_per_s` to
    /// `to_per_s` over `over`, then stays at `to_per_s`.
    Ramp {
        /// Rate at t = 0.
        from_per_s: f64,
        /// Rate from `over` on.
        to_per_s: f64,
        /// Length of the ramp.
        over: Duration,
    },
    /// Requests per minute, as in the Azure Functions 2019 trace; each
    /// minute's requests are spread uniformly at random within it.
    PerMinute(&'a [u32]),
    /// Recorded requests, sorted by time.
    Replay(&'a [TraceEvent]),
}

impl Workload<'_> {
    /// Whether the parameters make sense (finite, non-negative rates; a
    /// non-zero on period; a sorted replay).
    pub fn is_valid(&self) -> bool {
        let rate_ok = |r: f64| r.is_finite() && r >= 0.0;
        match *self {
            Workload::Idle | Workload::PerMinute(_) => true,
            Workload::Poisson { rate_per_s } | Workload::Constant { rate_per_s } => rate_ok(rate_per_s),
            Workload::OnOff { rate_per_s, on, .. } => rate_ok(rate_per_s) && !on.is_zero(),
            Workload::Ramp { from_per_s, to_per_s, .. } => rate_ok(from_per_s) && rate_ok(to_per_s),
            Workload::Replay(events) => events.windows(2).all(|w| matches!(w, [a, b] if a.at_us <= b.at_us)),
        }
    }

    /// The mean rate over `[0, horizon)`, requests per second (for reports).
    pub fn mean_rate_per_s(&self, horizon: Duration) -> f64 {
        let secs = horizon.as_micros() as f64 / 1e6;
        match *self {
            Workload::Idle => 0.0,
            Workload::Poisson { rate_per_s } | Workload::Constant { rate_per_s } => rate_per_s,
            Workload::OnOff { rate_per_s, on, off } => {
                let cycle = on.saturating_add(off).as_micros() as f64;
                if cycle == 0.0 { 0.0 } else { rate_per_s * on.as_micros() as f64 / cycle }
            }
            Workload::Ramp { from_per_s, to_per_s, over } => {
                let ramp = (over.as_micros() as f64 / 1e6).min(secs);
                if secs <= 0.0 {
                    return from_per_s;
                }
                let at_end = from_per_s + (to_per_s - from_per_s) * (ramp / (over.as_micros() as f64 / 1e6).max(1e-9));
                ((from_per_s + at_end) / 2.0 * ramp + to_per_s * (secs - ramp)) / secs
            }
            Workload::PerMinute(counts) => {
                let n: u64 = counts.iter().map(|&c| u64::from(c)).sum();
                if secs <= 0.0 { 0.0 } else { n as f64 / secs }
            }
            Workload::Replay(events) => {
                if secs <= 0.0 {
                    0.0
                } else {
                    events.iter().filter(|e| e.at_us < horizon.as_micros()).count() as f64 / secs
                }
            }
        }
    }
}

/// Where a function's arrival process stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrivals {
    /// Continuous position of the process, µs (kept as f64 so rounding to
    /// whole µs never accumulates drift).
    cursor_us: f64,
    /// Requests produced so far.
    count: u64,
    /// Per-minute traces: the current minute and its requests still to place.
    minute: u64,
    left_in_minute: u32,
    minute_started: bool,
}

impl Default for Arrivals {
    fn default() -> Self {
        Self::new()
    }
}

fn to_instant(us: f64) -> Option<Instant> {
    // Also false for NaN. Round half up (`us` is not negative).
    if us >= 0.0 && us < u64::MAX as f64 { Some(Instant::from_micros((us + 0.5) as u64)) } else { None }
}

impl Arrivals {
    /// A process at t = 0.
    pub const fn new() -> Self {
        Arrivals { cursor_us: 0.0, count: 0, minute: 0, left_in_minute: 0, minute_started: false }
    }

    /// The next request: its time and, for replays that carry one, its
    /// handler duration. `None` when the workload has no more requests.
    #[inline(always)]
    pub fn next(&mut self, w: &Workload<'_>, rng: &mut Rng) -> Option<(Instant, Option<Duration>)> {
        let t = match *w {
            Workload::Idle => None,
            Workload::Poisson { rate_per_s } => self.poisson(rate_per_s, rng),
            Workload::Constant { rate_per_s } if rate_per_s > 0.0 => {
                let at = self.count as f64 * 1e6 / rate_per_s;
                to_instant(at)
            }
            Workload::Constant { .. } => None,
            Workload::OnOff { rate_per_s, on, off } => self.on_off(rate_per_s, on, off, rng),
            Workload::Ramp { from_per_s, to_per_s, over } => self.ramp(from_per_s, to_per_s, over, rng),
            Workload::PerMinute(counts) => self.per_minute(counts, rng),
            Workload::Replay(events) => {
                let e = events.get(usize::try_from(self.count).ok()?)?;
                self.count += 1;
                return Some((Instant::from_micros(e.at_us), e.duration_us.map(Duration::from_micros)));
            }
        };
        self.count = self.count.saturating_add(1);
        t.map(|t| (t, None))
    }

    fn poisson(&mut self, rate_per_s: f64, rng: &mut Rng) -> Option<Instant> {
        if rate_per_s <= 0.0 || !rate_per_s.is_finite() {
            return None;
        }
        self.cursor_us += 1e6 / rate_per_s * rng.standard_exponential();
        to_instant(self.cursor_us)
    }

    fn on_off(&mut self, rate_per_s: f64, on: Duration, off: Duration, rng: &mut Rng) -> Option<Instant> {
        if rate_per_s <= 0.0 || on.is_zero() {
            return None;
        }
        let on_us = on.as_micros() as f64;
        let cycle = on_us + off.as_micros() as f64;
        loop {
            let next = self.cursor_us + rng.exponential(1e6 / rate_per_s);
            let start = libm::floor(self.cursor_us / cycle) * cycle;
            if next < start + on_us {
                self.cursor_us = next;
                return to_instant(next);
            }
            // Memoryless: restart the draw at the next on period.
            self.cursor_us = start + cycle;
            if !self.cursor_us.is_finite() {
                return None;
            }
        }
    }

    fn ramp(&mut self, from: f64, to: f64, over: Duration, rng: &mut Rng) -> Option<Instant> {
        let max = from.max(to);
        if max <= 0.0 || !max.is_finite() {
            return None;
        }
        let over_us = over.as_micros() as f64;
        loop {
            // Thinning: candidates at the top rate, kept with probability λ(t)/max.
            self.cursor_us += rng.exponential(1e6 / max);
            let frac = if over_us <= 0.0 { 1.0 } else { (self.cursor_us / over_us).min(1.0) };
            let rate = from + (to - from) * frac;
            if rng.next_f64() * max < rate {
                return to_instant(self.cursor_us);
            }
            if to <= 0.0 && frac >= 1.0 {
                return None;
            }
        }
    }

    fn per_minute(&mut self, counts: &[u32], rng: &mut Rng) -> Option<Instant> {
        const MINUTE_US: f64 = 60e6;
        while self.left_in_minute == 0 {
            let m = if self.minute_started { self.minute + 1 } else { 0 };
            let n = *counts.get(usize::try_from(m).ok()?)?;
            self.minute_started = true;
            self.minute = m;
            self.left_in_minute = n;
            self.cursor_us = m as f64 * MINUTE_US;
        }
        // The smallest of `left` uniforms on [cursor, end): sorted uniforms one at a time.
        let end = (self.minute + 1) as f64 * MINUTE_US;
        let u = rng.next_f64();
        let frac = 1.0 - libm::pow(1.0 - u, 1.0 / f64::from(self.left_in_minute));
        self.cursor_us += (end - self.cursor_us) * frac;
        self.left_in_minute -= 1;
        to_instant(self.cursor_us.min(end - 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(w: Workload<'_>, until_s: u64) -> heapless::Vec<u64, 4096> {
        let mut a = Arrivals::new();
        let mut rng = Rng::new(1);
        let mut out = heapless::Vec::new();
        while let Some((t, _)) = a.next(&w, &mut rng) {
            if t >= Instant::from_secs(until_s) {
                break;
            }
            out.push(t.as_micros()).unwrap();
        }
        out
    }

    #[test]
    fn constant_is_evenly_spaced() {
        let v = collect(Workload::Constant { rate_per_s: 100.0 }, 1);
        assert_eq!(v.len(), 100);
        assert_eq!((v[0], v[1], v[99]), (0, 10_000, 990_000));
    }

    #[test]
    fn poisson_rate_is_close() {
        let v = collect(Workload::Poisson { rate_per_s: 50.0 }, 60);
        assert!((v.len() as f64 - 3000.0).abs() < 200.0, "{}", v.len());
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn on_off_is_silent_when_off() {
        let w = Workload::OnOff { rate_per_s: 100.0, on: Duration::from_secs(1), off: Duration::from_secs(4) };
        let v = collect(w, 20);
        assert!(v.iter().all(|&t| t % 5_000_000 < 1_000_000));
        assert!((v.len() as f64 - 400.0).abs() < 80.0, "{}", v.len());
    }

    #[test]
    fn ramp_rises() {
        let w = Workload::Ramp { from_per_s: 0.0, to_per_s: 100.0, over: Duration::from_secs(10) };
        let v = collect(w, 20);
        let first = v.iter().filter(|&&t| t < 5_000_000).count();
        let second = v.iter().filter(|&&t| (5_000_000..10_000_000).contains(&t)).count();
        let flat = v.iter().filter(|&&t| t >= 10_000_000).count();
        assert!(first < second && second < flat, "{first} {second} {flat}");
        assert!((flat as f64 - 1000.0).abs() < 150.0);
    }

    #[test]
    fn per_minute_counts_land_in_their_minute() {
        let v = collect(Workload::PerMinute(&[3, 0, 5, 1]), 600);
        assert_eq!(v.len(), 9);
        let minute = |t: u64| t / 60_000_000;
        let per: [usize; 4] = core::array::from_fn(|m| v.iter().filter(|&&t| minute(t) == m as u64).count());
        assert_eq!(per, [3, 0, 5, 1]);
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn replay_carries_durations() {
        let events = [TraceEvent { at_us: 5, duration_us: Some(7) }, TraceEvent { at_us: 9, duration_us: None }];
        let w = Workload::Replay(&events);
        let mut a = Arrivals::new();
        let mut rng = Rng::new(0);
        assert_eq!(a.next(&w, &mut rng), Some((Instant::from_micros(5), Some(Duration::from_micros(7)))));
        assert_eq!(a.next(&w, &mut rng), Some((Instant::from_micros(9), None)));
        assert_eq!(a.next(&w, &mut rng), None);
        let unsorted = [TraceEvent { at_us: 9, duration_us: None }, TraceEvent { at_us: 5, duration_us: None }];
        assert!(!Workload::Replay(&unsorted).is_valid());
    }
}
