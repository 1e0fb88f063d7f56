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

/// The highest arrival rate any workload may ask for, requests per second.
///
/// One request per µs on average: the simulator's clock ticks in whole µs,
/// so at this rate arrivals are still (on average) one tick apart, and a
/// faster process would pile most of its requests onto the same instants.
/// It also keeps every run finite: a run makes at most about this many
/// requests per simulated second per function.
pub const MAX_RATE_PER_S: f64 = 1_000_000.0;

/// No arrival process makes a request after this time, µs (2^50 µs, about
/// 35.7 years).
///
/// The processes keep their position as an `f64` number of µs; up to here
/// it resolves a quarter of a µs, four times finer than the mean gap at
/// [`MAX_RATE_PER_S`], so every draw still moves time forward.
pub const ARRIVALS_END_US: u64 = 1 << 50;

/// Whether `r` is a usable rate: finite, in `0..=MAX_RATE_PER_S` (NaN is not).
fn rate_ok(r: f64) -> bool {
    (0.0..=MAX_RATE_PER_S).contains(&r)
}

/// Whether `r` is a rate that makes requests: in `(0, MAX_RATE_PER_S]`.
fn rate_positive(r: f64) -> bool {
    r > 0.0 && r <= MAX_RATE_PER_S
}

impl Workload<'_> {
    /// Whether the parameters make sense: rates in `0..=`[`MAX_RATE_PER_S`]
    /// (finite, not negative, not NaN), a non-zero on period, a sorted replay.
    pub fn is_valid(&self) -> bool {
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
///
/// # Guarantees
/// - Every request is at or before the end (the horizon given to
///   [`Arrivals::until`], at most [`ARRIVALS_END_US`]); past it the process
///   answers `None` for good.
/// - Each call does bounded work: poisson, constant, on/off and replay
///   draws are O(1); a per-minute trace skips its empty minutes (bounded by
///   the trace's length); a ramp's thinning draws candidates at its top
///   rate (at most [`MAX_RATE_PER_S`]) and stops at the end, or at the end of
///   the ramp when the rate after it is lower (then it draws directly).
/// - Rates outside `0..=`[`MAX_RATE_PER_S`] (NaN, infinite, too high) make
///   no requests; subnormal ones end at once (their gaps overflow).
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
    /// The last instant a request may come at, µs.
    end_us: u64,
    /// The process has passed its end (or has no more requests).
    ended: bool,
    /// Ramp candidates drawn (kept or not): the thinning's work, for tests.
    #[cfg(test)]
    candidates: u64,
}

impl Default for Arrivals {
    fn default() -> Self {
        Self::new()
    }
}

impl Arrivals {
    /// A process at t = 0 that runs until [`ARRIVALS_END_US`].
    pub const fn new() -> Self {
        Self::until(Duration::from_micros(ARRIVALS_END_US))
    }

    /// A process at t = 0 that makes no request after `horizon` (nor after
    /// [`ARRIVALS_END_US`]). A request exactly at `horizon` is still made, as
    /// the simulator handles events at its horizon.
    pub const fn until(horizon: Duration) -> Self {
        let h = horizon.as_micros();
        let end_us = if h < ARRIVALS_END_US { h } else { ARRIVALS_END_US };
        Arrivals {
            cursor_us: 0.0,
            count: 0,
            minute: 0,
            left_in_minute: 0,
            minute_started: false,
            end_us,
            ended: false,
            #[cfg(test)]
            candidates: 0,
        }
    }

    /// The instant of a position, when it is not past the end. Rounds half
    /// up; false for NaN and infinities (`end_us` is exact in an f64).
    fn instant(&self, us: f64) -> Option<Instant> {
        if us >= 0.0 && us < self.end_us as f64 + 0.5 { Some(Instant::from_micros((us + 0.5) as u64)) } else { None }
    }

    /// The next request: its time and, for replays that carry one, its
    /// handler duration. `None` when the workload has no more requests
    /// before the end; every later call answers `None` too.
    #[inline(always)]
    pub fn next(&mut self, w: &Workload<'_>, rng: &mut Rng) -> Option<(Instant, Option<Duration>)> {
        if self.ended {
            return None;
        }
        let next = self.draw(w, rng);
        if next.is_none() {
            self.ended = true;
        }
        next
    }

    #[inline(always)]
    fn draw(&mut self, w: &Workload<'_>, rng: &mut Rng) -> Option<(Instant, Option<Duration>)> {
        let us = match *w {
            Workload::Idle => None,
            Workload::Poisson { rate_per_s } => self.poisson(rate_per_s, rng),
            Workload::Constant { rate_per_s } if rate_positive(rate_per_s) => {
                // At most MAX_RATE_PER_S: consecutive requests are ≥ 1 µs apart.
                Some(self.count as f64 * 1e6 / rate_per_s)
            }
            Workload::Constant { .. } => None,
            Workload::OnOff { rate_per_s, on, off } => self.on_off(rate_per_s, on, off, rng),
            Workload::Ramp { from_per_s, to_per_s, over } => self.ramp(from_per_s, to_per_s, over, rng),
            Workload::PerMinute(counts) => self.per_minute(counts, rng),
            Workload::Replay(events) => {
                let e = events.get(usize::try_from(self.count).ok()?)?;
                if e.at_us > self.end_us {
                    return None;
                }
                self.count = self.count.saturating_add(1);
                return Some((Instant::from_micros(e.at_us), e.duration_us.map(Duration::from_micros)));
            }
        };
        self.count = self.count.saturating_add(1);
        us.and_then(|us| self.instant(us)).map(|t| (t, None))
    }

    fn poisson(&mut self, rate_per_s: f64, rng: &mut Rng) -> Option<f64> {
        if !rate_positive(rate_per_s) {
            return None;
        }
        self.cursor_us += 1e6 / rate_per_s * rng.standard_exponential();
        Some(self.cursor_us)
    }

    /// Poisson while on. A draw that overshoots its on period restarts at
    /// the next one (memoryless); that second draw is laid out over on time
    /// only, landing k cycles later when it is longer than k on periods, so
    /// a call takes at most two draws however rare the requests.
    fn on_off(&mut self, rate_per_s: f64, on: Duration, off: Duration, rng: &mut Rng) -> Option<f64> {
        if !rate_positive(rate_per_s) || on.is_zero() {
            return None;
        }
        let on_us = on.as_micros() as f64;
        let cycle = on_us + off.as_micros() as f64;
        let mean_us = 1e6 / rate_per_s;
        let next = self.cursor_us + rng.exponential(mean_us);
        let start = libm::floor(self.cursor_us / cycle) * cycle;
        if next < start + on_us {
            self.cursor_us = next;
            return Some(next);
        }
        let x = rng.exponential(mean_us);
        let periods = libm::floor(x / on_us);
        let into_period = (x - periods * on_us).clamp(0.0, on_us);
        // Infinite or NaN for absurd draws: `instant` then ends the process.
        self.cursor_us = start + cycle + periods * cycle + into_period;
        Some(self.cursor_us)
    }

    /// A linear ramp by thinning: candidates at the top rate, each kept
    /// with probability λ(t)/top. The top is the highest rate reached
    /// before the end: a rise that the end cuts short never thins at the
    /// rate it would reach later (that would draw candidates in proportion
    /// to end × final rate, however few requests come). Past the ramp, a
    /// rate below the top is drawn directly (thinning would reject almost
    /// every candidate when it is far below); candidates past the end stop
    /// the loop. So the candidates are at most twice the requests made in a
    /// rise, plus one.
    fn ramp(&mut self, from: f64, to: f64, over: Duration, rng: &mut Rng) -> Option<f64> {
        if !(rate_ok(from) && rate_ok(to)) {
            return None;
        }
        let over_us = over.as_micros() as f64;
        let last_us = self.end_us as f64 + 0.5;
        let reached = if over_us <= 0.0 || last_us >= over_us { to } else { from + (to - from) * (last_us / over_us) };
        let max = from.max(reached);
        if max <= 0.0 {
            return None;
        }
        loop {
            if self.cursor_us >= over_us && to < max {
                if to <= 0.0 {
                    return None;
                }
                self.cursor_us += rng.exponential(1e6 / to);
                return Some(self.cursor_us);
            }
            self.cursor_us += rng.exponential(1e6 / max);
            #[cfg(test)]
            {
                self.candidates += 1;
            }
            // Also stops on NaN (a subnormal top rate's gap).
            if self.cursor_us.partial_cmp(&last_us) != Some(core::cmp::Ordering::Less) {
                return None;
            }
            let frac = if over_us <= 0.0 { 1.0 } else { (self.cursor_us / over_us).min(1.0) };
            let rate = from + (to - from) * frac;
            if rng.next_f64() * max < rate {
                return Some(self.cursor_us);
            }
        }
    }

    fn per_minute(&mut self, counts: &[u32], rng: &mut Rng) -> Option<f64> {
        const MINUTE_US: f64 = 60e6;
        // Bounded by the trace's length: each pass moves to the next minute.
        while self.left_in_minute == 0 {
            let m = if self.minute_started { self.minute + 1 } else { 0 };
            let n = *counts.get(usize::try_from(m).ok()?)?;
            if m as f64 * MINUTE_US > self.end_us as f64 {
                return None;
            }
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
        Some(self.cursor_us.min(end - 1.0))
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

    /// Calls `next` until the process ends (at most `calls` times); every
    /// request must be at or before `horizon`. Returns the number of requests.
    fn drain(w: Workload<'_>, horizon: Duration, calls: u64) -> u64 {
        let mut a = Arrivals::until(horizon);
        let mut rng = Rng::new(3);
        for n in 0..calls {
            match a.next(&w, &mut rng) {
                None => {
                    assert_eq!(a.next(&w, &mut rng), None, "{w:?}: ended for good");
                    return n;
                }
                Some((t, _)) => assert!(t.as_micros() <= horizon.as_micros(), "{w:?}: {t:?} after the horizon"),
            }
        }
        panic!("{w:?}: no end after {calls} requests");
    }

    const TINY: f64 = 5e-324;
    const HUGE: Duration = Duration::from_micros(u64::MAX);

    #[test]
    fn poisson_and_constant_end_at_the_horizon_whatever_the_rate() {
        let h = Duration::from_secs(10);
        for rate in [1e-9, TINY, 1e300, f64::INFINITY, f64::NAN, -1.0, MAX_RATE_PER_S * 1.000_001] {
            assert!(drain(Workload::Poisson { rate_per_s: rate }, h, 10) <= 1, "poisson {rate}");
            // Constant makes its first request at t = 0 when the rate is valid.
            assert!(drain(Workload::Constant { rate_per_s: rate }, h, 10) <= 1, "constant {rate}");
        }
        let n = drain(Workload::Poisson { rate_per_s: MAX_RATE_PER_S }, Duration::from_millis(100), 200_000);
        assert!((95_000..105_000).contains(&n), "{n}");
        assert_eq!(
            drain(Workload::Constant { rate_per_s: MAX_RATE_PER_S }, Duration::from_millis(100), 200_000),
            100_001
        );
        assert!(!Workload::Poisson { rate_per_s: 1e300 }.is_valid());
        assert!(!Workload::Constant { rate_per_s: MAX_RATE_PER_S * 2.0 }.is_valid());
        assert!(Workload::Constant { rate_per_s: MAX_RATE_PER_S }.is_valid());
    }

    #[test]
    fn on_off_ends_at_the_horizon_with_rare_requests_and_extreme_periods() {
        let h = Duration::from_secs(3_600);
        let us = Duration::from_micros;
        for (rate, on, off) in [
            (1e-9, us(1), us(0)),
            (1e-9, us(1), us(1)),
            (TINY, Duration::from_secs(1), Duration::from_secs(1)),
            (1e300, us(1), us(1)),
            (MAX_RATE_PER_S, us(1), HUGE),
            (1e-9, HUGE, HUGE),
            (1.0, us(1), us(1)),
        ] {
            let w = Workload::OnOff { rate_per_s: rate, on, off };
            drain(w, h, 10_000);
        }
        // Rare requests still land in on periods only.
        let w = Workload::OnOff { rate_per_s: 0.01, on: Duration::from_secs(1), off: Duration::from_secs(9) };
        let mut a = Arrivals::until(Duration::from_secs(10_000_000));
        let mut rng = Rng::new(5);
        let mut n = 0;
        while let Some((t, _)) = a.next(&w, &mut rng) {
            assert!(t.as_micros() % 10_000_000 <= 1_000_000, "{t:?}");
            n += 1;
        }
        // 10^7 s, a tenth of it on, at 0.01/s: about 10 000 requests.
        assert!((9_600..10_400).contains(&n), "{n}");
    }

    #[test]
    fn ramp_ends_at_the_horizon_after_falling_to_almost_nothing() {
        let h = Duration::from_secs(60);
        for (from, to, over) in [
            (1e6, 1e-9, Duration::from_secs(1)),
            (1e6, 0.0, Duration::from_millis(1)),
            (1e6, TINY, Duration::ZERO),
            (1e-9, 1e-9, Duration::from_secs(1)),
            (0.0, 1e-9, HUGE),
            (TINY, 0.0, HUGE),
            (1e300, 1.0, Duration::from_secs(1)),
        ] {
            drain(Workload::Ramp { from_per_s: from, to_per_s: to, over }, h, 2_000_000);
        }
        // A rise from nothing over far more than the horizon: candidates
        // stop at the horizon although none would be kept for a while.
        drain(Workload::Ramp { from_per_s: 0.0, to_per_s: 1e6, over: HUGE }, Duration::from_secs(1), 10);
        assert!(!Workload::Ramp { from_per_s: 1e300, to_per_s: 1.0, over: Duration::ZERO }.is_valid());
    }

    /// A rise far longer than the horizon thins at the rate reached by the
    /// horizon, not at its final rate: 0 → 10⁶/s over 366 days, 100 s
    /// long, makes ~158 requests from a few hundred candidates (at the
    /// final rate it drew 10⁸; over a day, 8.6·10¹⁰).
    #[test]
    fn a_rise_cut_short_by_the_end_thins_at_the_rate_it_reached() {
        let w = Workload::Ramp { from_per_s: 0.0, to_per_s: 1e6, over: Duration::from_secs(31_622_400) };
        let mut a = Arrivals::until(Duration::from_secs(100));
        let mut rng = Rng::new(11);
        let mut requests = 0u64;
        while let Some((t, _)) = a.next(&w, &mut rng) {
            assert!(t <= Instant::from_secs(100));
            requests += 1;
            assert!(requests < 10_000, "no end");
        }
        // Expected 0.5 × (10⁶ × 100 / 31 622 400) × 100 ≈ 158.
        assert!((100..=230).contains(&requests), "{requests} requests");
        assert!(a.candidates <= 2 * requests + 50, "{} candidates for {requests} requests", a.candidates);
    }

    #[test]
    fn falling_ramp_then_flat_keeps_its_rate() {
        // 100/s falling to 10/s over 10 s, then flat: the tail is drawn directly.
        let w = Workload::Ramp { from_per_s: 100.0, to_per_s: 10.0, over: Duration::from_secs(10) };
        let v = collect(w, 210);
        let ramp = v.iter().filter(|&&t| t < 10_000_000).count();
        let tail = v.len() - ramp;
        assert!((ramp as f64 - 550.0).abs() < 90.0, "{ramp}");
        assert!((tail as f64 - 2000.0).abs() < 200.0, "{tail}");
    }

    #[test]
    fn traces_end_at_the_horizon() {
        assert_eq!(drain(Workload::PerMinute(&[3, 0, 5, 1]), Duration::from_secs(60), 100), 3);
        assert_eq!(drain(Workload::PerMinute(&[0, 0, u32::MAX]), Duration::from_secs(119), 10), 0);
        let events = [TraceEvent { at_us: 5, duration_us: None }, TraceEvent { at_us: 9, duration_us: None }];
        assert_eq!(drain(Workload::Replay(&events), Duration::from_micros(8), 10), 1);
        assert_eq!(drain(Workload::Replay(&events), Duration::from_micros(9), 10), 2);
    }

    #[test]
    fn new_runs_until_the_end_of_arrivals() {
        let w = Workload::Constant { rate_per_s: 1e-10 };
        let mut a = Arrivals::new();
        let mut rng = Rng::new(1);
        assert_eq!(a.next(&w, &mut rng), Some((Instant::ZERO, None)));
        // The next one would be 10^10 s later, past ARRIVALS_END_US.
        assert_eq!(a.next(&w, &mut rng), None);
    }
}
