//! The region's CloudWatch metrics: what it emits into an attached
//! [`MetricStore`] as it works (docs/model.md §7).
//!
//! Emitted, per function and region-wide:
//! - at an invocation's start: `Invocations`, and for a function with
//!   provisioned concurrency configured `ProvisionedConcurrencyInvocations`
//!   (it runs on a provisioned environment) or
//!   `ProvisionedConcurrencySpilloverInvocations` (it does not); a cold
//!   start's `InitDuration` (the time before its handler starts: sandbox
//!   creation and init for a full cold start, the init for a partial one);
//! - at its end, stamped at its invoke time as CloudWatch stamps them:
//!   `Duration` (from the handler's start, or from the invoke for a partial
//!   cold start whose init runs inside it), `Errors` (a sample per ended
//!   invocation: 1 for a function error, timeout or crash, else 0, so its
//!   Sum counts errors and its Average is the error rate), and
//!   `ResponseTime` (invoke to end: the wait users feel);
//! - at a throttle: `Throttles` (never in `Invocations` or `Errors`);
//! - the levels, as the per-period Maximum of their value at every change:
//!   `ConcurrentExecutions` (function and region),
//!   `UnreservedConcurrentExecutions` and `ClaimedAccountConcurrency`
//!   (region), `ProvisionedConcurrentExecutions` and
//!   `ProvisionedConcurrencyUtilization` (busy provisioned / allocated, in
//!   parts per million) for functions with provisioned concurrency.
//!
//! Each function tallies its open period (counts, datapoints of the
//! distributions, each level's maximum and last value) and hands it to the
//! store, for itself and region-wide, when its next event falls in a later
//! period or when the store is read ([`Region::metrics`]); the region
//! tallies its own levels the same way. Distribution samples go to the
//! store's histograms at once. So an event costs a few additions and
//! compares, and the store sees one call per series and period.
//!
//! ```
//! use lambdasim::metrics::{Metric, MetricStore, Statistic, StoreConfig};
//! use lambdasim::{Capacity, Duration, FunctionConfig, Handler, Instant, Outcome, Region, RegionConfig};
//!
//! let mut region = Region::with_capacity(RegionConfig::default(), Capacity { envs: 64, functions: 2 })?;
//! // One-minute periods, an hour of them, per-period histograms for the last 5.
//! let store = MetricStore::owned(StoreConfig { functions: 2, ..StoreConfig::default() }, 60, 5)?;
//! region.attach_metrics(store)?;
//! let f = region.create_function(Instant::ZERO, &FunctionConfig { reserved: Some(1), ..FunctionConfig::default() })?;
//! let handler = Handler { duration: Duration::from_millis(300), outcome: Outcome::Success };
//! region.invoke_for(Instant::from_secs(10), f, handler)?;
//! region.invoke_for(Instant::from_secs(10), f, handler)?; // throttled: reserved concurrency 1
//! region.advance(Instant::from_secs(70))?;
//! let store = region.metrics().unwrap();
//! let minute_0 = |m, s| store.statistic(m, Some(f.index), s, 0, 1);
//! assert_eq!(minute_0(Metric::Invocations, Statistic::Sum)?, Some(1.0));
//! assert_eq!(minute_0(Metric::Throttles, Statistic::Sum)?, Some(1.0));
//! assert_eq!(minute_0(Metric::Duration, Statistic::Maximum)?, Some(300_000.0)); // µs
//! assert_eq!(minute_0(Metric::Errors, Statistic::Sum)?, Some(0.0)); // one 0 per invocation that ended
//! // Minute 1 had no activity: no datapoint (missing, not 0).
//! assert_eq!(store.statistic(Metric::Invocations, Some(f.index), Statistic::Sum, 1, 1)?, None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Guarantees
//! - O(1) per event; reading the store flushes every function's tally,
//!   O(functions).
//! - With no store attached, one branch per event and nothing else.
//! - `ProvisionedConcurrencyInvocations + ProvisionedConcurrencySpilloverInvocations
//!   = Invocations` for a function with provisioned concurrency configured;
//!   throttles are never in `Invocations` or `Errors`.
//! - A slot reused by a new function continues the slot's series (the
//!   store's dimensions are function slots).

use super::Region;
use crate::error::ConfigError;
use crate::metrics::{DISTRIBUTION_COUNT, Datapoint, Metric, MetricStore};
use crate::time::Instant;

/// Parts per million of a whole.
const PPM: u64 = 1_000_000;

/// The counted metrics, in tally order.
const COUNTS: [Metric; 8] = [
    Metric::Invocations,
    Metric::Throttles,
    Metric::ProvisionedConcurrencyInvocations,
    Metric::ProvisionedConcurrencySpilloverInvocations,
    Metric::AsyncEventsReceived,
    Metric::AsyncEventsDropped,
    Metric::DeadLetterErrors,
    Metric::DestinationDeliveryFailures,
];
const INVOCATIONS: usize = 0;
const THROTTLES: usize = 1;
const PC_INVOCATIONS: usize = 2;
const SPILLOVER: usize = 3;

/// The distributions, in tally order.
const SAMPLES: [Metric; 4] = [Metric::Duration, Metric::InitDuration, Metric::ResponseTime, Metric::AsyncEventAge];
const DURATION: usize = 0;
const INIT: usize = 1;
const RESPONSE: usize = 2;
const EVENT_AGE: usize = 3;

/// An asynchronous event's countable moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub(super) enum AsyncMetric {
    /// `AsyncEventsReceived`.
    Received = 4,
    /// `AsyncEventsDropped`.
    Dropped = 5,
    /// `DeadLetterErrors`.
    DeadLetterError = 6,
    /// `DestinationDeliveryFailures`.
    DestinationDeliveryFailure = 7,
}

/// Their indices among the store's distributions.
const SAMPLE_DISTRIBUTIONS: [usize; 4] = [
    distribution(Metric::Duration),
    distribution(Metric::InitDuration),
    distribution(Metric::ResponseTime),
    distribution(Metric::AsyncEventAge),
];

const fn distribution(metric: Metric) -> usize {
    match metric.distribution_index() {
        Some(d) => d,
        None => 0,
    }
}

/// A function's levels, in tally order.
const FUNCTION_LEVELS: [Metric; 3] =
    [Metric::ConcurrentExecutions, Metric::ProvisionedConcurrentExecutions, Metric::ProvisionedConcurrencyUtilization];
/// The region's levels, in tally order.
const REGION_LEVELS: [Metric; 3] =
    [Metric::ConcurrentExecutions, Metric::UnreservedConcurrentExecutions, Metric::ClaimedAccountConcurrency];

/// One level's open period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Level {
    max: u64,
    last: u64,
    changed: bool,
}

/// One dimension's (a function's, or the region's) open period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Tally {
    /// The open period's index.
    period: u64,
    counts: [u64; 8],
    /// `Errors` as Lambda publishes it: one sample per ended invocation,
    /// 1 for an error and 0 otherwise (so its Average is the error rate).
    errors: Samples,
    samples: [Samples; 4],
    levels: [Level; 3],
}

/// The samples of one distribution in the open period: a datapoint, empty
/// at a sample count of 0 (no `Option` to test on every sample).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Samples(Datapoint);

impl Default for Samples {
    fn default() -> Self {
        Samples(Datapoint { sum: 0, sample_count: 0, minimum: u64::MAX, maximum: 0 })
    }
}

impl Samples {
    #[inline(always)]
    fn record(&mut self, value: u64) {
        self.0.record(value);
    }

    /// The datapoint, if any sample was recorded, leaving the tally empty.
    fn take(&mut self) -> Option<Datapoint> {
        let dp = self.0;
        *self = Samples::default();
        (dp.sample_count > 0).then_some(dp)
    }
}

impl Tally {
    /// Hands the open period to `store` and empties it (keeping the levels'
    /// values, which hold).
    /// A function's counts and samples go region-wide too (the region's
    /// are their sum): one store call a period, not a tally per event.
    fn flush(&mut self, store: &mut MetricStore<'_>, function: Option<u32>, levels: &[Metric; 3]) {
        let period = self.period;
        let mut add = |metric: Metric, dp: Datapoint| {
            // Refused only for a wrong kind or function, ruled out by attach.
            let _ = store.add_datapoint(period, metric, function, dp);
            if function.is_some() {
                let _ = store.add_datapoint(period, metric, None, dp);
            }
        };
        for (metric, n) in COUNTS.iter().zip(self.counts.iter_mut()) {
            if *n > 0 {
                add(*metric, Datapoint { sum: *n, sample_count: *n, minimum: 1, maximum: 1 });
                *n = 0;
            }
        }
        if let Some(dp) = self.errors.take() {
            add(Metric::Errors, dp);
        }
        for (metric, dp) in SAMPLES.iter().zip(self.samples.iter_mut()) {
            if let Some(dp) = dp.take() {
                add(*metric, dp);
            }
        }
        for (metric, level) in levels.iter().zip(self.levels.iter_mut()) {
            if level.changed && (function.is_none() || metric.per_function()) {
                let _ = store.gauge_period(period, *metric, function, level.max, level.last);
                level.changed = false;
            }
        }
    }

    /// Moves to `period`, flushing the open one first if it is older.
    #[inline(always)]
    fn roll(&mut self, period: u64, store: &mut MetricStore<'_>, function: Option<u32>, levels: &[Metric; 3]) {
        if period > self.period {
            self.flush(store, function, levels);
            self.period = period;
            for level in &mut self.levels {
                // The level at the start of the period is its last value.
                level.max = level.last;
            }
        }
    }

    #[inline(always)]
    fn set_level(&mut self, k: usize, value: u64) {
        if let Some(level) = self.levels.get_mut(k) {
            level.last = value;
            level.max = level.max.max(value);
            level.changed = true;
        }
    }
}

/// An attached store and the region's side of it.
#[derive(Debug)]
pub(super) struct Metrics<'a> {
    store: MetricStore<'a>,
    period_us: u64,
    /// The current period's index and bounds (µs), cached.
    window: (u64, u64, u64),
    region: Tally,
}

impl Metrics<'_> {
    /// The index of the period holding `at`.
    #[inline(always)]
    fn period_of(&mut self, at: Instant) -> u64 {
        let (index, start, end) = self.window;
        let us = at.as_micros();
        if us >= start && us < end {
            return index;
        }
        let index = us / self.period_us.max(1);
        if us >= end {
            let start = index.saturating_mul(self.period_us);
            self.window = (index, start, start.saturating_add(self.period_us));
        }
        index
    }
}

impl<'a> Region<'a> {
    /// Attaches `store`: from now on the region emits its metrics into it
    /// (see the module docs). Replaces and returns a store attached before.
    ///
    /// # Errors
    /// [`ConfigError::InvalidCapacity`] when the store has fewer function
    /// slots than the region (every function must have its series).
    pub fn attach_metrics(&mut self, store: MetricStore<'a>) -> Result<Option<MetricStore<'a>>, ConfigError> {
        if (store.functions() as usize) < self.capacity().functions {
            return Err(ConfigError::InvalidCapacity);
        }
        let old = self.detach_metrics();
        let period_us = store.period().as_micros().max(1);
        let period = self.now.as_micros() / period_us;
        let start = period.saturating_mul(period_us);
        let region = Tally { period, ..Tally::default() };
        self.metrics =
            Some(Metrics { store, period_us, window: (period, start, start.saturating_add(period_us)), region });
        for f in self.functions.iter_mut() {
            f.metrics = Tally { period, ..Tally::default() };
        }
        for fi in 0..self.functions.len() as u32 {
            self.emit_levels(fi);
        }
        self.emit_region_levels();
        Ok(old)
    }

    /// Detaches and returns the store (flushed), if any.
    pub fn detach_metrics(&mut self) -> Option<MetricStore<'a>> {
        self.flush_metrics();
        self.metrics.take().map(|m| m.store)
    }

    /// The attached store, with every open period handed to it first
    /// (O(functions)), to query.
    pub fn metrics(&mut self) -> Option<&MetricStore<'a>> {
        self.flush_metrics();
        self.metrics.as_ref().map(|m| &m.store)
    }

    /// Hands function `fi`'s open period to the store (before its slot is
    /// vacated).
    pub(super) fn flush_function_metrics(&mut self, fi: u32) {
        let Some(m) = self.metrics.as_mut() else { return };
        if let Some(f) = self.functions.get_mut(fi as usize) {
            f.metrics.flush(&mut m.store, Some(fi), &FUNCTION_LEVELS);
        }
    }

    fn flush_metrics(&mut self) {
        let Some(m) = self.metrics.as_mut() else { return };
        for (fi, f) in self.functions.iter_mut().enumerate() {
            f.metrics.flush(&mut m.store, Some(fi as u32), &FUNCTION_LEVELS);
        }
        m.region.flush(&mut m.store, None, &REGION_LEVELS);
        m.store.advance(self.now);
    }

    /// Rolls function `fi`'s and the region's tallies to the current
    /// period; returns its index.
    #[inline(always)]
    fn roll(&mut self, fi: u32) -> Option<u64> {
        let now = self.now;
        let m = self.metrics.as_mut()?;
        let p = m.period_of(now);
        m.region.roll(p, &mut m.store, None, &REGION_LEVELS);
        let f = self.functions.get_mut(fi as usize)?;
        f.metrics.roll(p, &mut m.store, Some(fi), &FUNCTION_LEVELS);
        Some(p)
    }

    /// Counts one event of count `k` for function `fi` in the current
    /// period (region-wide when the function's tally is flushed).
    #[inline(always)]
    fn tally_count(&mut self, fi: u32, k: usize) {
        if let Some(f) = self.functions.get_mut(fi as usize)
            && let Some(n) = f.metrics.counts.get_mut(k)
        {
            *n = n.saturating_add(1);
        }
    }

    /// Records samples `values` (`(k, value)`: distribution `k`'s) of
    /// function `fi` and its `Errors` sample `error` if any, stamped in
    /// period `at` (`current`: the open one).
    #[inline(always)]
    fn tally_samples(&mut self, fi: u32, at: u64, current: u64, error: Option<u64>, values: &[(usize, u64)]) {
        let Some(m) = self.metrics.as_mut() else { return };
        // The store's histogram series of function `fi` (checked at attach).
        let series = (fi as usize).saturating_add(1).saturating_mul(DISTRIBUTION_COUNT);
        for &(k, value) in values {
            if let Some(&d) = SAMPLE_DISTRIBUTIONS.get(k) {
                m.store.record_histograms(series.saturating_add(d), at, value);
            }
        }
        if at == current {
            let Some(f) = self.functions.get_mut(fi as usize) else { return };
            if let Some(e) = error {
                f.metrics.errors.record(e);
            }
            for &(k, value) in values {
                if let Some(dp) = f.metrics.samples.get_mut(k) {
                    dp.record(value);
                }
            }
        } else {
            // An invocation that began in an earlier period: straight to the store.
            let mut add = |metric: Metric, value: u64| {
                let _ = m.store.add_datapoint(at, metric, Some(fi), Datapoint::of(value));
                let _ = m.store.add_datapoint(at, metric, None, Datapoint::of(value));
            };
            if let Some(e) = error {
                add(Metric::Errors, e);
            }
            for &(k, value) in values {
                if let Some(&metric) = SAMPLES.get(k) {
                    add(metric, value);
                }
            }
        }
    }

    /// An invocation of function `fi` started at the region's clock.
    // Out of line: the hot invoke and end paths keep one branch when
    // no store is attached, not this body.
    #[inline(never)]
    pub(super) fn emit_start(&mut self, fi: u32, on_pc: bool, cold_init_us: Option<u64>) {
        let Some(p) = self.roll(fi) else { return };
        let with_pc = self.functions.get(fi as usize).is_some_and(|f| f.config.provisioned > 0);
        self.tally_count(fi, INVOCATIONS);
        if with_pc {
            self.tally_count(fi, if on_pc { PC_INVOCATIONS } else { SPILLOVER });
        }
        if let Some(init) = cold_init_us {
            self.tally_samples(fi, p, p, None, &[(INIT, init)]);
        }
        self.set_levels(fi);
    }

    /// An invocation of function `fi` invoked at `invoked_at`, whose
    /// reported duration started at `duration_from`, ended now.
    // Out of line: the hot invoke and end paths keep one branch when
    // no store is attached, not this body.
    #[inline(never)]
    pub(super) fn emit_end(&mut self, fi: u32, invoked_at: Instant, duration_from: Instant, error: bool) {
        let now = self.now;
        let Some(p) = self.roll(fi) else { return };
        let Some(m) = self.metrics.as_mut() else { return };
        let at = if invoked_at.as_micros() >= m.window.1 { p } else { m.period_of(invoked_at) };
        let duration = now.saturating_since(duration_from).as_micros();
        let response = now.saturating_since(invoked_at).as_micros();
        self.tally_samples(fi, at, p, Some(u64::from(error)), &[(DURATION, duration), (RESPONSE, response)]);
        self.set_levels(fi);
    }

    /// A request of function `fi` was throttled now.
    // Out of line: the hot invoke and end paths keep one branch when
    // no store is attached, not this body.
    #[inline(never)]
    pub(super) fn emit_throttle(&mut self, fi: u32) {
        if self.roll(fi).is_some() {
            self.tally_count(fi, THROTTLES);
        }
    }

    /// An asynchronous event of function `fi` was counted now.
    pub(super) fn emit_async(&mut self, fi: u32, metric: AsyncMetric) {
        if self.roll(fi).is_some() {
            self.tally_count(fi, metric as usize);
        }
    }

    /// An attempt of an asynchronous event of function `fi` started now,
    /// `age` after the event was accepted (`AsyncEventAge`).
    pub(super) fn emit_async_age(&mut self, fi: u32, age: crate::time::Duration) {
        if let Some(p) = self.roll(fi) {
            self.tally_samples(fi, p, p, None, &[(EVENT_AGE, age.as_micros())]);
        }
    }

    /// Function `fi`'s and the region's levels, after a change (outside
    /// an invocation's start or end).
    pub(super) fn emit_levels(&mut self, fi: u32) {
        if self.roll(fi).is_some() {
            self.set_levels(fi);
        }
    }

    /// The region's levels, after a change.
    pub(super) fn emit_region_levels(&mut self) {
        let now = self.now;
        let Some(m) = self.metrics.as_mut() else { return };
        let p = m.period_of(now);
        m.region.roll(p, &mut m.store, None, &REGION_LEVELS);
        self.set_region_levels();
    }

    /// Sets function `fi`'s and the region's levels in their (rolled) tallies.
    #[inline(always)]
    fn set_levels(&mut self, fi: u32) {
        if let Some(f) = self.functions.get_mut(fi as usize) {
            let (busy, busy_pc, allocated) = (f.attached, f.attached_pc, f.pc.allocated);
            let tally = &mut f.metrics;
            tally.set_level(0, u64::from(busy));
            if f.config.provisioned > 0 || allocated > 0 {
                tally.set_level(1, u64::from(busy_pc));
                let utilization = (u64::from(busy_pc) * PPM).checked_div(u64::from(allocated)).unwrap_or(0);
                tally.set_level(2, utilization);
            }
        }
        self.set_region_levels();
    }

    #[inline(always)]
    fn set_region_levels(&mut self) {
        let (busy, unreserved, claimed) =
            (self.ledger.busy_total(), self.ledger.unreserved_in_use(), self.ledger.claimed());
        if let Some(m) = self.metrics.as_mut() {
            m.region.set_level(0, busy);
            m.region.set_level(1, unreserved);
            m.region.set_level(2, claimed);
        }
    }

    /// Marks the store's time as the region's clock (gauges hold through it).
    pub(super) fn emit_time(&mut self) {
        let now = self.now;
        if let Some(m) = self.metrics.as_mut()
            && now.as_micros() >= m.window.2
        {
            m.period_of(now);
            m.store.advance(now);
        }
    }
}
