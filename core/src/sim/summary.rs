//! What a simulation reports: per-function and total summaries, and the
//! per-minute time series.

use super::latency::LatencySummary;
use crate::concurrency::ThrottleReason;
use crate::pricing::{Bill, BillError, Meter, PriceBook};
use crate::region::{Occupancy, Stats};
use crate::time::Duration;
use serde::Serialize;

/// The outcome of a run for one function, or for the whole region.
///
/// Counts and averages cover the run after its warm-up; `usage` (the bill)
/// covers the whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct FunctionSummary {
    /// Requests made (started + throttled).
    pub requests: u64,
    /// Invocations started.
    pub invocations: u64,
    /// Cold starts, full and partial.
    pub cold_starts: u64,
    /// Full cold starts (new environments).
    pub full_cold_starts: u64,
    /// Partial cold starts (re-init after a reset).
    pub partial_cold_starts: u64,
    /// Warm starts.
    pub warm_starts: u64,
    /// Starts on provisioned environments.
    pub provisioned_starts: u64,
    /// On-demand starts of functions with provisioned concurrency.
    pub spillover: u64,
    /// Throttled requests.
    pub throttles: u64,
    /// Throttles by reason, indexed by `ThrottleReason as usize`.
    pub throttles_by_reason: [u64; ThrottleReason::COUNT],
    /// Invocations that ended in error.
    pub errors: u64,
    /// Of those, timeouts.
    pub timeouts: u64,
    /// Cold starts / requests.
    pub cold_start_probability: f64,
    /// Throttles / requests.
    pub throttle_probability: f64,
    /// Time-averaged live environments.
    pub avg_instances: f64,
    /// Time-averaged busy environments.
    pub avg_busy: f64,
    /// Time-averaged idle environments (`avg_instances − avg_busy`).
    pub avg_idle: f64,
    /// `avg_busy / avg_instances` (0 with no instances).
    pub utilization: f64,
    /// The most busy environments at once.
    pub peak_concurrency: u32,
    /// Metered usage, for the bill.
    pub usage: Meter,
    /// Handler duration, init duration and response time percentiles of
    /// the requests that ran after the warm-up (the total: every
    /// function's samples together).
    pub latency: LatencySummary,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl FunctionSummary {
    /// Builds a summary from the counters and occupancy at the end of the
    /// run minus those at the end of the warm-up.
    pub(crate) fn build(
        stats: &Stats,
        base: &Stats,
        occ: &Occupancy,
        occ_base: &Occupancy,
        peak: u32,
        usage: Meter,
        latency: LatencySummary,
    ) -> Self {
        let d = |a: u64, b: u64| a.saturating_sub(b);
        let requests = d(stats.requests, base.requests);
        let throttles_by_reason: [u64; ThrottleReason::COUNT] = core::array::from_fn(|i| {
            d(stats.throttles.get(i).copied().unwrap_or(0), base.throttles.get(i).copied().unwrap_or(0))
        });
        let throttles = throttles_by_reason.iter().sum();
        let full = d(stats.full_cold_starts, base.full_cold_starts);
        let partial = d(stats.partial_cold_starts, base.partial_cold_starts);
        let span = occ.since.saturating_since(occ_base.since).as_micros() as f64;
        let avg = |a: u128, b: u128| if span <= 0.0 { 0.0 } else { a.saturating_sub(b) as f64 / span };
        let avg_instances = avg(occ.live_env_us, occ_base.live_env_us);
        let avg_busy = avg(occ.busy_env_us, occ_base.busy_env_us);
        FunctionSummary {
            requests,
            invocations: d(stats.invocations, base.invocations),
            cold_starts: full + partial,
            full_cold_starts: full,
            partial_cold_starts: partial,
            warm_starts: d(stats.warm_starts, base.warm_starts),
            provisioned_starts: d(stats.provisioned_starts, base.provisioned_starts),
            spillover: d(stats.spillover, base.spillover),
            throttles,
            throttles_by_reason,
            errors: d(stats.errors, base.errors),
            timeouts: d(stats.timeouts, base.timeouts),
            cold_start_probability: ratio(full + partial, requests),
            throttle_probability: ratio(throttles, requests),
            avg_instances,
            avg_busy,
            avg_idle: (avg_instances - avg_busy).max(0.0),
            utilization: if avg_instances > 0.0 { avg_busy / avg_instances } else { 0.0 },
            peak_concurrency: peak,
            usage,
            latency,
        }
    }

    /// The bill of this usage.
    ///
    /// # Errors
    /// [`BillError::Overflow`].
    pub fn bill(&self, prices: &PriceBook, free_tier: bool) -> Result<Bill, BillError> {
        self.usage.bill(prices, free_tier)
    }
}

/// A run's results: the region total and each function, in creation order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary<const FUNCTIONS: usize> {
    /// Simulated time, warm-up included.
    pub horizon: Duration,
    /// Warm-up excluded from counts and averages.
    pub warmup: Duration,
    /// The whole region.
    pub total: FunctionSummary,
    /// Each function.
    pub functions: heapless::Vec<FunctionSummary, FUNCTIONS>,
}

/// One minute of the run, region-wide (for plots).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MinutePoint {
    /// Minute index from the start (0-based); the last point may cover a
    /// partial minute.
    pub minute: u64,
    /// Most busy environments during the minute (`ConcurrentExecutions` Max).
    pub busy_max: u32,
    /// Average busy environments during the minute.
    pub busy_avg: f64,
    /// Average live environments during the minute.
    pub live_avg: f64,
    /// Live environments at the end of the minute.
    pub live: u32,
    /// Invocations started during the minute.
    pub invocations: u64,
    /// Cold starts during the minute.
    pub cold_starts: u64,
    /// Throttles during the minute.
    pub throttles: u64,
    /// The account concurrency limit.
    pub account_limit: u32,
    /// The unreserved pool at the end of the minute.
    pub unreserved_pool: u64,
    /// Claimed account concurrency at the end of the minute.
    pub claimed: u64,
}

/// Receives the per-minute series as the run goes.
pub trait Observer {
    /// Called at the end of every simulated minute (and at the horizon).
    fn minute(&mut self, point: &MinutePoint);
    /// Called when a scheduled action or target tracking changes (or fails
    /// to change) a function's concurrency settings.
    fn scaling(&mut self, _action: &super::ScalingAction) {}
}

/// An observer that ignores everything.
impl Observer for () {
    fn minute(&mut self, _: &MinutePoint) {}
}

impl MinutePoint {
    /// This point followed by `later` as one bucket: maxima and counts
    /// combine, averages are weighted by the time each side covers
    /// (`span_us`, `later_span_us`), end-of-bucket values come from `later`.
    #[must_use]
    pub fn merged(&self, span_us: u64, later: &MinutePoint, later_span_us: u64) -> MinutePoint {
        let total = span_us.saturating_add(later_span_us);
        let weighted = |a: f64, b: f64| {
            if total == 0 { b } else { (a * span_us as f64 + b * later_span_us as f64) / total as f64 }
        };
        MinutePoint {
            minute: self.minute,
            busy_max: self.busy_max.max(later.busy_max),
            busy_avg: weighted(self.busy_avg, later.busy_avg),
            live_avg: weighted(self.live_avg, later.live_avg),
            live: later.live,
            invocations: self.invocations.saturating_add(later.invocations),
            cold_starts: self.cold_starts.saturating_add(later.cold_starts),
            throttles: self.throttles.saturating_add(later.throttles),
            account_limit: later.account_limit,
            unreserved_pool: later.unreserved_pool,
            claimed: later.claimed,
        }
    }
}

/// The per-minute series at bounded resolution: an [`Observer`] that keeps
/// at most `POINTS` points whatever the horizon.
///
/// It starts with one point per minute. When a point past the last one
/// would not fit, adjacent pairs merge ([`MinutePoint::merged`]) and the
/// bucket width doubles (1, 2, 4, … minutes), so a run of any length ends
/// with between `POINTS / 2` and `POINTS` buckets once it has coarsened.
/// Each point's `minute` is the first minute of its bucket; every bucket
/// spans [`bucket_minutes`](Self::bucket_minutes) minutes except the last,
/// which ends at the horizon. Memory is the fixed array: no heap.
#[derive(Clone, Debug)]
pub struct MinuteSeries<const POINTS: usize> {
    points: [MinutePoint; POINTS],
    spans_us: [u64; POINTS],
    len: usize,
    bucket_minutes: u64,
    horizon_us: u64,
}

impl<const POINTS: usize> MinuteSeries<POINTS> {
    /// An empty series of a run of `horizon` (which bounds the last,
    /// partial minute). With `POINTS` below 2 there is no pair to merge:
    /// the series keeps at most its first minute.
    pub const fn new(horizon: Duration) -> Self {
        MinuteSeries {
            points: [MinutePoint {
                minute: 0,
                busy_max: 0,
                busy_avg: 0.0,
                live_avg: 0.0,
                live: 0,
                invocations: 0,
                cold_starts: 0,
                throttles: 0,
                account_limit: 0,
                unreserved_pool: 0,
                claimed: 0,
            }; POINTS],
            spans_us: [0; POINTS],
            len: 0,
            bucket_minutes: 1,
            horizon_us: horizon.as_micros(),
        }
    }

    /// The buckets so far, oldest first.
    pub fn points(&self) -> &[MinutePoint] {
        self.points.get(..self.len).unwrap_or(&[])
    }

    /// Minutes per bucket: 1 until the series first coarsens, then a power of two.
    pub const fn bucket_minutes(&self) -> u64 {
        self.bucket_minutes
    }

    /// Time covered by a minute point starting at minute `minute`: a whole
    /// minute, or what is left of the horizon.
    fn span_us(&self, minute: u64) -> u64 {
        const MINUTE_US: u64 = 60_000_000;
        let start = minute.saturating_mul(MINUTE_US);
        self.horizon_us.saturating_sub(start).min(MINUTE_US)
    }

    /// Merges adjacent pairs and doubles the bucket width.
    fn coarsen(&mut self) {
        let pairs = self.len / 2;
        for i in 0..pairs {
            let (Some(a), Some(b)) = (self.points.get(2 * i), self.points.get(2 * i + 1)) else { return };
            let (Some(&sa), Some(&sb)) = (self.spans_us.get(2 * i), self.spans_us.get(2 * i + 1)) else { return };
            let merged = a.merged(sa, b, sb);
            if let (Some(p), Some(s)) = (self.points.get_mut(i), self.spans_us.get_mut(i)) {
                *p = merged;
                *s = sa.saturating_add(sb);
            }
        }
        if self.len % 2 == 1 {
            // An odd last bucket (only before the end of a run) keeps its
            // content as the start of a wider one.
            let (p, s) = (self.points.get(self.len - 1).copied(), self.spans_us.get(self.len - 1).copied());
            if let (Some(p), Some(s), Some(dp), Some(ds)) =
                (p, s, self.points.get_mut(pairs), self.spans_us.get_mut(pairs))
            {
                *dp = p;
                *ds = s;
            }
        }
        self.len = self.len.div_ceil(2);
        self.bucket_minutes = self.bucket_minutes.saturating_mul(2);
    }

    /// Adds the point of the next minute (points come in minute order).
    pub fn push(&mut self, point: &MinutePoint) {
        let span = self.span_us(point.minute);
        loop {
            let bucket = point.minute / self.bucket_minutes;
            let last =
                self.len.checked_sub(1).and_then(|i| Some((i, self.points.get(i)?.minute / self.bucket_minutes)));
            if let Some((i, b)) = last
                && b == bucket
            {
                if let (Some(p), Some(s)) = (self.points.get_mut(i), self.spans_us.get_mut(i)) {
                    *p = p.merged(*s, point, span);
                    *s = s.saturating_add(span);
                }
                return;
            }
            if self.len < POINTS {
                if let (Some(p), Some(s)) = (self.points.get_mut(self.len), self.spans_us.get_mut(self.len)) {
                    *p = MinutePoint { minute: bucket.saturating_mul(self.bucket_minutes), ..*point };
                    *s = span;
                    self.len += 1;
                }
                return;
            }
            if POINTS < 2 || self.bucket_minutes == u64::MAX {
                return;
            }
            self.coarsen();
        }
    }
}

impl<const POINTS: usize> Observer for MinuteSeries<POINTS> {
    fn minute(&mut self, point: &MinutePoint) {
        self.push(point);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;

    fn point(minute: u64) -> MinutePoint {
        MinutePoint {
            minute,
            busy_max: minute as u32,
            busy_avg: minute as f64,
            live_avg: 1.0,
            live: minute as u32,
            invocations: 1,
            cold_starts: minute % 2,
            throttles: 0,
            account_limit: 1000,
            unreserved_pool: 900,
            claimed: minute,
        }
    }

    #[test]
    fn a_short_run_keeps_one_point_per_minute() {
        let mut s = MinuteSeries::<8>::new(Duration::from_secs(5 * 60));
        for m in 0..5 {
            s.minute(&point(m));
        }
        assert_eq!(s.bucket_minutes(), 1);
        assert_eq!(s.points().len(), 5);
        assert_eq!(s.points()[3], point(3));
    }

    #[test]
    fn a_long_run_coarsens_and_keeps_totals() {
        let minutes = 1_000u64;
        // The last minute is half a minute.
        let mut s = MinuteSeries::<8>::new(Duration::from_secs(minutes * 60 - 30));
        for m in 0..minutes {
            s.minute(&point(m));
        }
        let p = s.points();
        assert!(p.len() <= 8 && p.len() > 4, "{}", p.len());
        assert_eq!(s.bucket_minutes(), 128);
        let starts: std::vec::Vec<u64> = p.iter().map(|p| p.minute).collect();
        assert_eq!(starts, [0, 128, 256, 384, 512, 640, 768, 896]);
        assert_eq!(p.iter().map(|p| p.invocations).sum::<u64>(), minutes);
        assert_eq!(p.iter().map(|p| p.cold_starts).sum::<u64>(), minutes / 2);
        assert_eq!(p[1].busy_max, 255);
        assert_eq!(p[7].live, 999, "end-of-bucket values come from the bucket's last minute");
        // A whole bucket averages its minutes evenly: (128 + 255) / 2.
        assert!((p[1].busy_avg - 191.5).abs() < 1e-9, "{}", p[1].busy_avg);
        // The last bucket (minutes 896..=999) weighs the half minute 999 half.
        let expected = ((896..999).map(|m| m as f64).sum::<f64>() + 999.0 * 0.5) / 103.5;
        assert!((p[7].busy_avg - expected).abs() < 1e-9, "{} vs {expected}", p[7].busy_avg);
    }

    #[test]
    fn an_odd_capacity_coarsens_too() {
        let mut s = MinuteSeries::<3>::new(Duration::from_secs(600));
        for m in 0..10 {
            s.minute(&point(m));
        }
        let starts: std::vec::Vec<u64> = s.points().iter().map(|p| p.minute).collect();
        assert_eq!(starts, [0, 4, 8]);
        assert_eq!(s.points().iter().map(|p| p.invocations).sum::<u64>(), 10);
    }

    #[test]
    fn tiny_capacities_never_loop() {
        let mut one = MinuteSeries::<1>::new(Duration::from_secs(600));
        let mut none = MinuteSeries::<0>::new(Duration::from_secs(600));
        for m in 0..10 {
            one.minute(&point(m));
            none.minute(&point(m));
        }
        assert_eq!(one.points(), &[point(0)]);
        assert!(none.points().is_empty());
    }
}
