//! Time integrals of live and busy environments, and busy peaks: what
//! averages like `avg_instances` and CloudWatch's per-minute maxima need,
//! kept in O(1) per change.

use crate::time::Instant;
use serde::{Deserialize, Serialize};

/// Live and busy environment counts integrated over time, and peaks: a
/// snapshot at `since`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Occupancy {
    /// Live environments now.
    pub live: u32,
    /// Busy environments now.
    pub busy: u32,
    /// ∫ live dt, in environment·µs, up to `since`.
    pub live_env_us: u128,
    /// ∫ busy dt, in environment·µs, up to `since`.
    pub busy_env_us: u128,
    /// The integrals run up to this instant.
    pub since: Instant,
    /// The most busy environments ever.
    pub busy_peak: u32,
    /// The most busy environments since the window was last taken.
    pub window_peak: u32,
}

impl Occupancy {
    /// Time-averaged live environments between the region's start and `since`.
    pub fn avg_live(&self) -> f64 {
        avg(self.live_env_us, self.since)
    }

    /// Time-averaged busy environments between the region's start and `since`.
    pub fn avg_busy(&self) -> f64 {
        avg(self.busy_env_us, self.since)
    }
}

fn avg(integral: u128, since: Instant) -> f64 {
    match since.as_micros() {
        0 => 0.0,
        t => integral as f64 / t as f64,
    }
}

/// One count integrated over time, exactly, with two additions per change.
///
/// With `count` now and `offset` = Σ (times it went up) − Σ (times it went
/// down), ∫₀ᵀ count dt = count·T − offset for any T at or after the last
/// change: each change at t adds or removes (T − t) from the integral.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Integral {
    count: u32,
    offset: i128,
}

impl Integral {
    fn up(&mut self, now: Instant) {
        self.count = self.count.saturating_add(1);
        // |offset| ≤ count · 2^64 < 2^96: never near i128's range.
        self.offset = self.offset.wrapping_add(i128::from(now.as_micros()));
    }

    fn down(&mut self, now: Instant) {
        self.count = self.count.saturating_sub(1);
        self.offset = self.offset.wrapping_sub(i128::from(now.as_micros()));
    }

    fn at(&self, now: Instant) -> u128 {
        let total = i128::from(self.count).wrapping_mul(i128::from(now.as_micros())).wrapping_sub(self.offset);
        u128::try_from(total).unwrap_or(0)
    }
}

/// The live and busy counts of a region or function, kept on every change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    live: Integral,
    busy: Integral,
    busy_peak: u32,
    /// The most busy since the window was last taken.
    pub window_peak: u32,
}

impl Tally {
    pub fn live_changed(&mut self, now: Instant, up: bool) {
        if up { self.live.up(now) } else { self.live.down(now) }
    }

    pub fn busy_changed(&mut self, now: Instant, up: bool) {
        if up {
            self.busy.up(now);
            self.busy_peak = self.busy_peak.max(self.busy.count);
            self.window_peak = self.window_peak.max(self.busy.count);
        } else {
            self.busy.down(now);
        }
    }

    /// Live now.
    pub fn live(&self) -> u32 {
        self.live.count
    }

    /// Busy now.
    pub fn busy(&self) -> u32 {
        self.busy.count
    }

    /// The snapshot at `now` (at or after the last change).
    pub fn at(&self, now: Instant) -> Occupancy {
        Occupancy {
            live: self.live.count,
            busy: self.busy.count,
            live_env_us: self.live.at(now),
            busy_env_us: self.busy.at(now),
            since: now,
            busy_peak: self.busy_peak,
            window_peak: self.window_peak,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrals_match_a_direct_sum() {
        let mut t = Tally::default();
        let at = Instant::from_micros;
        t.live_changed(at(10), true);
        t.busy_changed(at(10), true);
        t.live_changed(at(15), true);
        t.busy_changed(at(20), true);
        t.busy_changed(at(30), false);
        t.live_changed(at(40), false);
        let o = t.at(at(50));
        // live: 1 over [10, 15), 2 over [15, 40), 1 over [40, 50) = 5 + 50 + 10.
        assert_eq!(o.live_env_us, 65);
        // busy: 1 over [10, 20), 2 over [20, 30), 1 over [30, 50) = 10 + 20 + 20.
        assert_eq!(o.busy_env_us, 50);
        assert_eq!((o.live, o.busy, o.busy_peak, o.window_peak, o.since), (1, 1, 2, 2, at(50)));
        assert_eq!(Tally::default().at(at(7)).live_env_us, 0);
    }
}
