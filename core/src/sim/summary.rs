//! What a simulation reports: per-function and total summaries, and the
//! per-minute time series.

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
    pub throttles_by_reason: [u64; 4],
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
    ) -> Self {
        let d = |a: u64, b: u64| a.saturating_sub(b);
        let requests = d(stats.requests, base.requests);
        let throttles_by_reason: [u64; 4] = core::array::from_fn(|i| {
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
}

/// An observer that ignores everything.
impl Observer for () {
    fn minute(&mut self, _: &MinutePoint) {}
}
