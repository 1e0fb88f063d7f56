//! Time integrals of live and busy environments, and busy peaks: what
//! averages like `avg_instances` and CloudWatch's per-minute maxima need,
//! kept in O(1) per change.

use crate::time::Instant;
use serde::{Deserialize, Serialize};

/// Live and busy environment counts integrated over time, and peaks.
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
    /// Integrates the current counts up to `now`.
    pub(crate) fn settle(&mut self, now: Instant) {
        let dt = u128::from(now.saturating_since(self.since).as_micros());
        self.live_env_us = self.live_env_us.saturating_add(u128::from(self.live) * dt);
        self.busy_env_us = self.busy_env_us.saturating_add(u128::from(self.busy) * dt);
        if now > self.since {
            self.since = now;
        }
    }

    pub(crate) fn live_changed(&mut self, now: Instant, up: bool) {
        self.settle(now);
        self.live = if up { self.live.saturating_add(1) } else { self.live.saturating_sub(1) };
    }

    pub(crate) fn busy_changed(&mut self, now: Instant, up: bool) {
        self.settle(now);
        if up {
            self.busy = self.busy.saturating_add(1);
            self.busy_peak = self.busy_peak.max(self.busy);
            self.window_peak = self.window_peak.max(self.busy);
        } else {
            self.busy = self.busy.saturating_sub(1);
        }
    }

    /// A copy integrated up to `now`.
    #[must_use]
    pub fn at(&self, now: Instant) -> Occupancy {
        let mut o = *self;
        o.settle(now);
        o
    }

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
