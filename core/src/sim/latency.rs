//! The latency users feel: per function, the distributions of handler
//! duration, init duration and response time of the requests that ran.
//!
//! # What is recorded
//! For every request that started (not throttled) after the warm-up:
//! - **handler duration**: how long the handler runs, from its start to the
//!   end of the invocation, capped by the timeout as the region ends it (a
//!   partial cold start's init counts against the same timeout, so its
//!   handler gets what is left). An init retried inside the invoke (an
//!   on-demand init past its 10 s limit) runs in the handler's time, as the
//!   region bills it.
//! - **init duration** (cold starts only): the init phase, as Lambda's
//!   `Init Duration` reports it: the runtime and the function's static code,
//!   not the sandbox's creation (the full cold start's create time is in the
//!   wait below, not here).
//! - **response time**: the wait before the handler starts (create + init
//!   for a full cold start, init for a partial one, zero for a warm or
//!   provisioned start) plus the handler duration: the time from the request
//!   to the end of its invocation (queueing outside Lambda is not modelled).
//!
//! # Cost and memory
//! Recording is O(1) per request, integer arithmetic only: one histogram
//! increment for a warm (or provisioned) start, whose response time is its
//! handler duration, three for a cold start. So each function keeps four
//! histograms ([`FunctionLatency`], [`FUNCTION_LATENCY_BYTES`]): warm starts,
//! and the cold starts' handler durations, response times and init
//! durations; the handler durations are warm + cold handlers, the response
//! times warm + cold responses, merged when read. They live in the
//! simulator's storage; their size is fixed, whatever the simulated time.
//!
//! # Percentiles
//! [`LatencySummary`] reports nearest-rank p50/p90/p99 within the
//! histogram's bound (0.79 % of the exact value, exact below 128 µs; see
//! [`crate::metrics::histogram`]) and the exact maximum. A summary of several
//! functions (the region total) or of several runs merges their histograms
//! first: its percentiles are those of all the samples together, never an
//! average of percentiles.

use crate::metrics::histogram::{BUCKETS, RunHistogram, bucket_value, nearest_rank};
use crate::time::Duration;
use serde::Serialize;

/// Bytes of one function's latency histograms ([`FunctionLatency`]).
pub const FUNCTION_LATENCY_BYTES: usize = core::mem::size_of::<FunctionLatency>();

/// One function's latency distributions, in µs (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionLatency {
    /// Handler durations of warm and provisioned starts (= their response times).
    warm: RunHistogram,
    /// Handler durations of cold starts.
    cold_handler: RunHistogram,
    /// Response times of cold starts.
    cold_response: RunHistogram,
    /// Init durations of cold starts.
    init: RunHistogram,
}

impl Default for FunctionLatency {
    fn default() -> Self {
        Self::new()
    }
}

impl FunctionLatency {
    /// No samples.
    pub const fn new() -> Self {
        FunctionLatency {
            warm: RunHistogram::new(),
            cold_handler: RunHistogram::new(),
            cold_response: RunHistogram::new(),
            init: RunHistogram::new(),
        }
    }

    /// Records a warm or provisioned start whose handler ran for `ran`
    /// (its response time too). O(1): one histogram increment.
    #[inline(always)]
    pub(crate) fn record_warm(&mut self, ran: Duration) {
        self.warm.record(ran.as_micros());
    }

    /// Records a cold start: its `wait` before the handler started, its
    /// handler's `ran` time and its `init` phase. O(1): three increments.
    pub(crate) fn record_cold(&mut self, wait: Duration, ran: Duration, init: Duration) {
        self.cold_handler.record(ran.as_micros());
        self.cold_response.record(wait.saturating_add(ran).as_micros());
        self.init.record(init.as_micros());
    }

    /// Handler durations (= response times) of warm and provisioned starts, µs.
    pub const fn warm_starts(&self) -> &RunHistogram {
        &self.warm
    }

    /// Handler durations of cold starts, µs.
    pub const fn cold_start_handler_duration(&self) -> &RunHistogram {
        &self.cold_handler
    }

    /// Response times of cold starts, µs.
    pub const fn cold_start_response_time(&self) -> &RunHistogram {
        &self.cold_response
    }

    /// Init durations of cold starts, µs.
    pub const fn init_duration(&self) -> &RunHistogram {
        &self.init
    }

    /// The histograms whose samples together are the handler durations.
    pub fn handler_duration(&self) -> [&RunHistogram; 2] {
        [&self.warm, &self.cold_handler]
    }

    /// The histograms whose samples together are the response times.
    pub fn response_time(&self) -> [&RunHistogram; 2] {
        [&self.warm, &self.cold_response]
    }

    /// Forgets every sample, in place (no copy of the histograms on the stack).
    pub fn clear(&mut self) {
        self.warm.clear();
        self.cold_handler.clear();
        self.cold_response.clear();
        self.init.clear();
    }

    /// Adds every sample of `other` (another run of the same function, say).
    /// O(buckets).
    pub fn merge(&mut self, other: &FunctionLatency) {
        self.warm.merge(&other.warm);
        self.cold_handler.merge(&other.cold_handler);
        self.cold_response.merge(&other.cold_response);
        self.init.merge(&other.init);
    }
}

/// Percentiles of one distribution, µs. With no sample every field is 0
/// (`samples` tells "none" from "all zero").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    /// Samples recorded.
    pub samples: u64,
    /// Median (nearest rank, within the histogram's bound).
    pub p50_us: u64,
    /// 90th percentile.
    pub p90_us: u64,
    /// 99th percentile.
    pub p99_us: u64,
    /// The largest sample, exact.
    pub max_us: u64,
}

impl Percentiles {
    /// The percentiles of the samples of every histogram in `parts` taken
    /// together: one walk over the buckets, O(buckets × parts), no copy.
    /// For one histogram, exactly what [`RunHistogram::percentile`] reports.
    pub fn merged<'h>(parts: impl Iterator<Item = &'h RunHistogram> + Clone) -> Percentiles {
        let samples = parts.clone().fold(0u64, |n, h| n.saturating_add(h.count()));
        let (Some(minimum), Some(maximum)) = (
            parts.clone().filter_map(RunHistogram::minimum).min(),
            parts.clone().filter_map(RunHistogram::maximum).max(),
        ) else {
            return Percentiles::default();
        };
        let ranks = [5_000, 9_000, 9_900].map(|p| nearest_rank(p, samples));
        // A rank past the buckets (out-of-range samples) reports the maximum.
        let mut values = [maximum; 3];
        let mut found = 0;
        let mut seen = 0u64;
        for i in 0..BUCKETS {
            seen = parts.clone().fold(seen, |n, h| n.saturating_add(h.bucket_count(i)));
            while let (Some(&rank), Some(value)) = (ranks.get(found), values.get_mut(found)) {
                if seen < rank {
                    break;
                }
                *value = bucket_value(i).clamp(minimum, maximum);
                found += 1;
            }
            if found == ranks.len() {
                break;
            }
        }
        let [p50_us, p90_us, p99_us] = values;
        Percentiles { samples, p50_us, p90_us, p99_us, max_us: maximum }
    }
}

/// The latency of a function, or of several together (the region total,
/// several runs): percentiles of its three distributions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LatencySummary {
    /// Handler durations (every request that ran).
    pub handler_duration: Percentiles,
    /// Init durations (cold starts only).
    pub init_duration: Percentiles,
    /// Response times: wait before the handler + handler duration.
    pub response_time: Percentiles,
    /// The cold-start latency added at p99: `response_time.p99_us −
    /// handler_duration.p99_us`, both over the same requests (every one that
    /// ran). It is how much later the slowest 1 % of responses arrive
    /// because some requests waited for a cold start: 0 when none did
    /// (then the two distributions are the same). Never negative: each
    /// response time is at least its handler duration, so every rank of
    /// the one is at least the same rank of the other, and the histogram
    /// keeps that order. Both percentiles are within the histogram's bound,
    /// so a difference below about 1.6 % of the p99 (cold starts too rare
    /// to reach the p99 rank, say) is the buckets' resolution, not latency.
    pub cold_start_added_p99_us: u64,
}

impl LatencySummary {
    /// The summary of every sample of `parts` together (one function: a
    /// slice of one).
    pub fn of(parts: &[FunctionLatency]) -> LatencySummary {
        let handler_duration = Percentiles::merged(parts.iter().flat_map(FunctionLatency::handler_duration));
        let response_time = Percentiles::merged(parts.iter().flat_map(FunctionLatency::response_time));
        LatencySummary {
            handler_duration,
            init_duration: Percentiles::merged(parts.iter().map(FunctionLatency::init_duration)),
            response_time,
            cold_start_added_p99_us: response_time.p99_us.saturating_sub(handler_duration.p99_us),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::boxed::Box;

    fn us(v: u64) -> Duration {
        Duration::from_micros(v)
    }

    fn record(l: &mut FunctionLatency, wait: Duration, ran: Duration, init: Option<Duration>) {
        match init {
            Some(init) => l.record_cold(wait, ran, init),
            None => l.record_warm(ran),
        }
    }

    #[test]
    fn merged_parts_give_what_one_histogram_of_every_sample_reports() {
        let mut l = Box::new(FunctionLatency::new());
        let (mut handler, mut response) = (Box::new(RunHistogram::new()), Box::new(RunHistogram::new()));
        for v in 1..=1_000u64 {
            let cold = v % 7 == 0;
            let (wait, ran) = (if cold { us(v * 997 % 10_007) } else { us(0) }, us(v * v));
            record(&mut l, wait, ran, cold.then(|| us(v * 31)));
            handler.record(ran.as_micros());
            response.record(wait.saturating_add(ran).as_micros());
        }
        let s = LatencySummary::of(core::slice::from_ref(&*l));
        for (p, h) in [(s.handler_duration, &handler), (s.response_time, &response)] {
            assert_eq!(p.samples, 1_000);
            assert_eq!(Some(p.p50_us), h.percentile(5_000));
            assert_eq!(Some(p.p90_us), h.percentile(9_000));
            assert_eq!(Some(p.p99_us), h.percentile(9_900));
            assert_eq!(Some(p.max_us), h.maximum());
        }
        assert_eq!(s.init_duration.samples, 142);
        assert_eq!(l.warm_starts().count() + l.cold_start_handler_duration().count(), 1_000);
        assert_eq!(l.cold_start_response_time().count(), 142);
        assert_eq!(Some(s.init_duration.p99_us), l.init_duration().percentile(9_900));
        assert_eq!(s.cold_start_added_p99_us, s.response_time.p99_us - s.handler_duration.p99_us);
    }

    #[test]
    fn several_functions_merge_before_the_percentiles() {
        let (mut a, mut b, mut both) =
            (Box::new(FunctionLatency::new()), Box::new(FunctionLatency::new()), Box::new(FunctionLatency::new()));
        for v in 0..500u64 {
            let init = (v % 10 == 0).then(|| us(150_000));
            let (wait, ran) = (us(if init.is_some() { 200_000 } else { 0 }), us(1_000 + v * 17));
            let target = if v % 3 == 0 { &mut a } else { &mut b };
            record(target, wait, ran, init);
            record(&mut both, wait, ran, init);
        }
        let parts = [(*a).clone(), (*b).clone()];
        assert_eq!(LatencySummary::of(&parts), LatencySummary::of(core::slice::from_ref(&*both)));
        a.merge(&b);
        assert_eq!(*a, *both);
    }

    #[test]
    fn four_run_histograms_per_function() {
        assert_eq!(FUNCTION_LATENCY_BYTES, 4 * core::mem::size_of::<RunHistogram>());
        assert_eq!(FUNCTION_LATENCY_BYTES, 71_808);
    }

    #[test]
    fn no_samples_and_out_of_range_samples() {
        assert_eq!(LatencySummary::of(&[]), LatencySummary::default());
        assert_eq!(LatencySummary::of(&[FunctionLatency::new()]), LatencySummary::default());
        let mut l = Box::new(FunctionLatency::new());
        l.record_warm(us(5));
        l.record_warm(us(u64::MAX / 2));
        let s = LatencySummary::of(core::slice::from_ref(&*l));
        assert_eq!((s.handler_duration.p50_us, s.handler_duration.p99_us), (5, u64::MAX / 2));
        assert_eq!(s.response_time, s.handler_duration);
        assert_eq!(s.cold_start_added_p99_us, 0);
    }
}
