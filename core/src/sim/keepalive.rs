//! Keep-alive policies: the fixed idle timeout AWS uses, and the hybrid
//! histogram policy of "Serverless in the Wild" (Shahrad et al., ATC '20).
//!
//! The hybrid policy keeps, per function, a histogram of idle times (the
//! gap between the function going fully idle and its next request) in
//! one-minute bins over four hours. With enough observations inside the
//! range it derives two windows from the histogram's head and tail
//! percentiles (5th and 99th by default, with a 10 % margin):
//! - *pre-warm*: after the function goes idle, unload its environments and
//!   start one again this long after (no environment costs while idle);
//! - *keep-alive*: how long that environment (or, with no pre-warm window,
//!   the environments left idle) is kept.
//!
//! With too few observations, or too many beyond the histogram's range, it
//! falls back to the fixed keep-alive (the paper falls back to a generous
//! fixed window, or to ARIMA forecasts for out-of-range idle times, which
//! lambdasim does not model).

use crate::time::Duration;

/// Bins of the idle-time histogram: one minute each, four hours in all.
pub const HISTOGRAM_BINS: usize = 240;

/// Which keep-alive policy a function follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KeepAlive {
    /// The region's fixed idle timeout (AWS: 10 minutes). The default.
    #[default]
    Fixed,
    /// The hybrid histogram policy.
    Hybrid(HybridPolicy),
}

/// Settings of the hybrid histogram policy (the paper's defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HybridPolicy {
    /// Percentile of idle times that sets the pre-warm window. Default 5.
    pub head_percentile: u32,
    /// Percentile of idle times that sets the keep-alive window. Default 99.
    pub tail_percentile: u32,
    /// Margin in percent: pre-warm earlier and keep alive longer. Default 10.
    pub margin_percent: u32,
    /// Observations needed before the histogram is trusted. Default 10.
    pub min_samples: u32,
    /// Out-of-range observations (over 4 h), in percent, beyond which the
    /// histogram is not trusted. Default 50.
    pub max_out_of_range_percent: u32,
}

impl Default for HybridPolicy {
    fn default() -> Self {
        HybridPolicy {
            head_percentile: 5,
            tail_percentile: 99,
            margin_percent: 10,
            min_samples: 10,
            max_out_of_range_percent: 50,
        }
    }
}

/// What the hybrid policy decided for the next idle period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Windows {
    /// Unload at once and pre-warm this long after going idle (zero: no pre-warm).
    pub prewarm: Duration,
    /// Keep the (pre-warmed or remaining) environment this long.
    pub keep_alive: Duration,
}

/// Idle times of one function in one-minute bins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdleHistogram {
    bins: [u32; HISTOGRAM_BINS],
    in_range: u32,
    out_of_range: u32,
}

impl Default for IdleHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl IdleHistogram {
    /// An empty histogram.
    pub const fn new() -> Self {
        IdleHistogram { bins: [0; HISTOGRAM_BINS], in_range: 0, out_of_range: 0 }
    }

    /// Records one idle time.
    pub fn record(&mut self, idle: Duration) {
        let minute = idle.as_micros() / 60_000_000;
        match usize::try_from(minute).ok().and_then(|m| self.bins.get_mut(m)) {
            Some(b) => {
                *b = b.saturating_add(1);
                self.in_range = self.in_range.saturating_add(1);
            }
            None => self.out_of_range = self.out_of_range.saturating_add(1),
        }
    }

    /// Observations recorded.
    pub fn samples(&self) -> u32 {
        self.in_range.saturating_add(self.out_of_range)
    }

    /// The bin holding the `p`-th percentile of in-range observations.
    fn percentile_bin(&self, p: u32) -> usize {
        let target = (u64::from(self.in_range) * u64::from(p.min(100))).div_ceil(100).max(1);
        let mut seen = 0u64;
        for (i, &n) in self.bins.iter().enumerate() {
            seen += u64::from(n);
            if seen >= target {
                return i;
            }
        }
        HISTOGRAM_BINS - 1
    }

    /// The policy's windows, or `None` when the histogram is not
    /// representative (use the fixed keep-alive).
    pub fn windows(&self, policy: &HybridPolicy) -> Option<Windows> {
        let total = self.samples();
        if total < policy.min_samples || self.in_range == 0 {
            return None;
        }
        if u64::from(self.out_of_range) * 100 > u64::from(total) * u64::from(policy.max_out_of_range_percent) {
            return None;
        }
        let minute = Duration::from_mins(1);
        let margin = u64::from(policy.margin_percent.min(100));
        // Head: the bin's lower edge, earlier by the margin.
        let head = minute.saturating_mul(self.percentile_bin(policy.head_percentile) as u64);
        let prewarm = Duration::from_micros(head.as_micros() / 100 * (100 - margin));
        // Tail: the bin's upper edge, later by the margin.
        let tail = minute.saturating_mul(self.percentile_bin(policy.tail_percentile) as u64 + 1);
        let tail = Duration::from_micros(tail.as_micros() / 100 * (100 + margin));
        Some(Windows { prewarm, keep_alive: tail.saturating_sub(prewarm) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_representative_without_enough_samples() {
        let mut h = IdleHistogram::new();
        for _ in 0..9 {
            h.record(Duration::from_mins(5));
        }
        assert_eq!(h.windows(&HybridPolicy::default()), None);
        h.record(Duration::from_mins(5));
        assert!(h.windows(&HybridPolicy::default()).is_some());
        let mut far = IdleHistogram::new();
        for _ in 0..20 {
            far.record(Duration::from_mins(500));
        }
        assert_eq!(far.windows(&HybridPolicy::default()), None);
    }

    #[test]
    fn periodic_function_gets_a_prewarm_window() {
        // A timer-triggered function idle ~30 minutes between runs.
        let mut h = IdleHistogram::new();
        for _ in 0..100 {
            h.record(Duration::from_secs(30 * 60 + 10));
        }
        let w = h.windows(&HybridPolicy::default()).unwrap();
        assert_eq!(w.prewarm, Duration::from_secs(27 * 60), "30 min lower edge, 10 % earlier");
        assert_eq!(w.keep_alive, Duration::from_secs(31 * 66 - 27 * 60), "31 min upper edge, 10 % later");
    }

    #[test]
    fn busy_function_keeps_alive_without_prewarm() {
        let mut h = IdleHistogram::new();
        for s in 0..100u64 {
            h.record(Duration::from_secs(s % 120));
        }
        let w = h.windows(&HybridPolicy::default()).unwrap();
        assert_eq!(w.prewarm, Duration::ZERO);
        assert_eq!(w.keep_alive, Duration::from_secs(132));
    }
}
