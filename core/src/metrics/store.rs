//! Every metric, per function and region-wide, in storage the caller lends.
//!
//! # Layout and memory
//! A *series* is one metric in one dimension: region-wide (`None`) or one
//! function (`Some(index)`, `index < functions`). There are
//! `(functions + 1) × 19` series. The caller lends four tables
//! ([`StoreSizes`] computes their lengths):
//! - `series`: one [`SeriesHeader`] per series (112 bytes each);
//! - `cells`: N periods per series, N = `cells.len() / series` — one
//!   [`Cell`] (56 bytes) per series per period;
//! - `period_histograms`: H periods per distribution series (5 per
//!   dimension), H = `period_histograms.len() / (5 × dimensions)`, possibly
//!   0 — one [`PeriodSlot`] (9 128 bytes) per distribution per period. Only
//!   the five distributions keep per-period histograms (pNN statistics and
//!   pNN alarms need them); H may be smaller than N, and pNN is then
//!   answered for the latest H periods only;
//! - `run_histograms`: one [`RunHistogram`] (17 952 bytes) per
//!   distribution series, for whole-run percentiles.
//!
//! Per function (one dimension) at the defaults, N = [`DEFAULT_PERIODS`] = 60
//! and H = [`DEFAULT_HISTOGRAM_PERIODS`] = 5: 2 280 bytes of
//! headers + 63 840 of cells + 228 200 of period histograms + 89 760 of run
//! histograms = 384 080 bytes ([`StoreSizes::bytes`]).
//!
//! # Recording
//! [`MetricStore::count`], [`MetricStore::sample`] and
//! [`MetricStore::gauge`] are O(1): a datapoint update and, for a
//! distribution, one histogram bucket in its period and one in the run.
//! Counts and samples of a function are also recorded region-wide (the
//! region-wide series is the sum of the functions'); gauges are recorded
//! only in the series given (a region-wide level is not the sum of the
//! functions' maxima). A call that opens a new period resets the slots of
//! the periods it moves over (at most N cells and H histograms, each period
//! once).

use super::histogram::{PeriodHistogram, RunHistogram, bucket_of};
use super::series::{Cell, Ring, RingView, RolledOff, SeriesHeader};
use super::{DISTRIBUTION_COUNT, Datapoint, METRIC_COUNT, Metric, MetricError, MetricKind, Percentile, Statistic};
use crate::storage::Slots;
use crate::time::{Duration, Instant};

/// Default ring length: an hour of one-minute periods.
pub const DEFAULT_PERIODS: usize = 60;
/// Default per-period histogram ring: 5 periods, the evaluation range of a
/// pNN alarm over 3 periods.
pub const DEFAULT_HISTOGRAM_PERIODS: usize = 5;

/// The store's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StoreConfig {
    /// The period of a datapoint (60 s by default; 1, 5, 10, 30 s or a
    /// multiple of 60 s, as CloudWatch allows).
    pub period: Duration,
    /// How many function dimensions the store keeps (indices `0..functions`).
    pub functions: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig { period: Duration::from_secs(60), functions: 0 }
    }
}

/// How many samples' buckets a [`PeriodSlot`] remembers: a slot reused for
/// a new period after at most this many samples zeroes just their buckets,
/// not the range between its minimum and maximum (at a few requests a
/// minute, clearing that range cost more than recording the samples).
const TOUCHED: usize = 64;

/// A per-period histogram slot: the period it holds and its histogram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodSlot {
    /// The period's index + 1; 0 for a slot never used.
    period: u64,
    histogram: PeriodHistogram,
    /// The buckets of the period's first [`TOUCHED`] samples.
    touched: [u16; TOUCHED],
}

impl Default for PeriodSlot {
    fn default() -> Self {
        PeriodSlot { period: 0, histogram: PeriodHistogram::new(), touched: [0; TOUCHED] }
    }
}

impl PeriodSlot {
    /// Records `v`, whose bucket is `bucket`.
    #[inline(always)]
    fn record(&mut self, bucket: Option<usize>, v: u64) {
        if let (Some(i), Some(t)) =
            (bucket, usize::try_from(self.histogram.count()).ok().and_then(|n| self.touched.get_mut(n)))
        {
            // BUCKETS < 2^16.
            *t = i as u16;
        }
        self.histogram.record_in(bucket, v);
    }

    /// Empties the slot for period tag `tag`.
    #[cold]
    #[inline(never)]
    fn reset(&mut self, tag: u64) {
        let n = self.histogram.count();
        match usize::try_from(n).ok().and_then(|n| self.touched.get(..n)) {
            Some(used) => self.histogram.clear_buckets(used),
            None => self.histogram.clear(),
        }
        self.period = tag;
    }
}

/// Table lengths for a store: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StoreSizes {
    /// `series` slots: `(functions + 1) × 19`.
    pub series: usize,
    /// `cells` slots: `series × periods`.
    pub cells: usize,
    /// `period_histograms` slots: `(functions + 1) × 5 × histogram_periods`.
    pub period_histograms: usize,
    /// `run_histograms` slots: `(functions + 1) × 5`.
    pub run_histograms: usize,
}

impl StoreSizes {
    /// The lengths for `functions` functions, rings of `periods` periods and
    /// histogram rings of `histogram_periods` periods (saturating).
    pub fn new(functions: u32, periods: usize, histogram_periods: usize) -> StoreSizes {
        let dims = usize::try_from(functions).unwrap_or(usize::MAX).saturating_add(1);
        let series = dims.saturating_mul(METRIC_COUNT);
        let distributions = dims.saturating_mul(DISTRIBUTION_COUNT);
        StoreSizes {
            series,
            cells: series.saturating_mul(periods),
            period_histograms: distributions.saturating_mul(histogram_periods),
            run_histograms: distributions,
        }
    }
    /// The lengths at the default capacities ([`DEFAULT_PERIODS`],
    /// [`DEFAULT_HISTOGRAM_PERIODS`]).
    pub fn defaults(functions: u32) -> StoreSizes {
        StoreSizes::new(functions, DEFAULT_PERIODS, DEFAULT_HISTOGRAM_PERIODS)
    }
    /// The bytes these tables take.
    pub fn bytes(&self) -> usize {
        use core::mem::size_of;
        self.series
            .saturating_mul(size_of::<SeriesHeader>())
            .saturating_add(self.cells.saturating_mul(size_of::<Cell>()))
            .saturating_add(self.period_histograms.saturating_mul(size_of::<PeriodSlot>()))
            .saturating_add(self.run_histograms.saturating_mul(size_of::<RunHistogram>()))
    }
}

/// Whole-run latency percentiles of one distribution series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LatencySummary {
    /// Samples recorded.
    pub sample_count: u64,
    /// p50 (within the histogram's bound).
    pub p50: u64,
    /// p90.
    pub p90: u64,
    /// p99.
    pub p99: u64,
    /// The largest sample (exact).
    pub maximum: u64,
}

/// Every metric per function and region-wide; see the module docs.
#[derive(Debug)]
pub struct MetricStore<'a> {
    period_us: u64,
    functions: u32,
    periods: usize,
    histogram_periods: usize,
    latest: Option<u64>,
    /// The last period a call was in, and its bounds in µs: a call in the
    /// same period needs no division.
    cached: (u64, u64, u64),
    /// Region-wide histograms are the merge of the functions' (set by
    /// [`MetricStore::sample_histograms`], which records a function's only):
    /// queries merge them; recording stays two increments a sample.
    derived_region: bool,
    /// The last period whose histogram slot offset was computed, and it.
    histogram_cursor: (u64, usize),
    series: Slots<'a, SeriesHeader>,
    cells: Slots<'a, Cell>,
    period_histograms: Slots<'a, PeriodSlot>,
    run_histograms: Slots<'a, RunHistogram>,
}

impl<'a> MetricStore<'a> {
    /// A store in the tables lent: N = `cells.len() / series`, H =
    /// `period_histograms.len() / distribution series` (extra slots unused).
    ///
    /// # Errors
    /// [`MetricError::InvalidPeriod`], or a `*StorageTooSmall` error naming
    /// the table (see [`StoreSizes`]).
    pub fn new(
        config: StoreConfig,
        series: Slots<'a, SeriesHeader>,
        cells: Slots<'a, Cell>,
        period_histograms: Slots<'a, PeriodSlot>,
        run_histograms: Slots<'a, RunHistogram>,
    ) -> Result<Self, MetricError> {
        let period_us = config.period.as_micros();
        if !period_us.is_multiple_of(1_000_000) || !super::valid_period_s(period_us / 1_000_000) {
            return Err(MetricError::InvalidPeriod);
        }
        let need = StoreSizes::new(config.functions, 1, 0);
        if series.len() < need.series {
            return Err(MetricError::SeriesStorageTooSmall);
        }
        if cells.len() < need.cells {
            return Err(MetricError::CellStorageTooSmall);
        }
        if run_histograms.len() < need.run_histograms {
            return Err(MetricError::RunHistogramStorageTooSmall);
        }
        let periods = cells.len() / need.series.max(1);
        let histogram_periods = period_histograms.len() / need.run_histograms.max(1);
        Ok(MetricStore {
            period_us,
            functions: config.functions,
            periods,
            histogram_periods,
            latest: None,
            cached: (0, 0, 0),
            derived_region: false,
            histogram_cursor: (0, 0),
            series,
            cells,
            period_histograms,
            run_histograms,
        })
    }

    /// A store owning its tables (with the `alloc` feature), sized by
    /// [`StoreSizes::new`]`(config.functions, periods, histogram_periods)`.
    ///
    /// # Errors
    /// As [`MetricStore::new`].
    #[cfg(feature = "alloc")]
    pub fn owned(
        config: StoreConfig,
        periods: usize,
        histogram_periods: usize,
    ) -> Result<MetricStore<'static>, MetricError> {
        let n = StoreSizes::new(config.functions, periods, histogram_periods);
        MetricStore::new(
            config,
            Slots::owned(n.series, n.series, SeriesHeader::default()),
            Slots::owned(n.cells, n.cells, Cell::default()),
            Slots::owned(n.period_histograms, n.period_histograms, PeriodSlot::default()),
            Slots::owned(n.run_histograms, n.run_histograms, RunHistogram::new()),
        )
    }

    /// The period of a datapoint.
    pub const fn period(&self) -> Duration {
        Duration::from_micros(self.period_us)
    }
    /// N: periods kept per series.
    pub const fn periods(&self) -> usize {
        self.periods
    }
    /// H: periods whose histograms are kept per distribution series.
    pub const fn histogram_periods(&self) -> usize {
        self.histogram_periods
    }
    /// How many function dimensions the store keeps.
    pub const fn functions(&self) -> u32 {
        self.functions
    }
    /// The index of the period holding `at` (`at / period`).
    pub const fn period_index(&self, at: Instant) -> u64 {
        at.as_micros() / self.period_us
    }
    /// [`Self::period_index`], from the cache when `at` is in the period
    /// of the last call (the usual case: events come in time order).
    #[inline(always)]
    fn period_of(&mut self, at: Instant) -> u64 {
        let (index, start, end) = self.cached;
        let us = at.as_micros();
        if us >= start && us < end {
            return index;
        }
        let index = self.period_index(at);
        let start = index.saturating_mul(self.period_us);
        self.cached = (index, start, start.saturating_add(self.period_us));
        index
    }

    /// The start (timestamp) of period `index`.
    pub const fn period_start(&self, index: u64) -> Instant {
        Instant::from_micros(index.saturating_mul(self.period_us))
    }
    /// The newest period any call (or [`MetricStore::advance`]) reached.
    pub const fn latest_period(&self) -> Option<u64> {
        self.latest
    }

    /// Marks time as having reached `now`: gauges hold their values through
    /// it (no datapoints are written; O(1)).
    pub fn advance(&mut self, now: Instant) {
        let p = self.period_of(now);
        self.latest = Some(self.latest.map_or(p, |l| l.max(p)));
    }

    /// Counts `n` events of a Count metric (one sample of value `n`; `n = 0`
    /// still makes a zero datapoint). A function's count is also counted
    /// region-wide.
    ///
    /// # Errors
    /// [`MetricError::WrongKind`], [`MetricError::UnknownFunction`],
    /// [`MetricError::RegionOnlyMetric`].
    pub fn count(&mut self, now: Instant, metric: Metric, function: Option<u32>, n: u64) -> Result<(), MetricError> {
        self.record(now, metric, MetricKind::Count, function, n)
    }

    /// Records one sample of a distribution (a duration or age in µs), in
    /// its period's and the run's histograms too. A function's sample is
    /// also recorded region-wide.
    ///
    /// # Errors
    /// As [`MetricStore::count`].
    pub fn sample(
        &mut self,
        now: Instant,
        metric: Metric,
        function: Option<u32>,
        value: u64,
    ) -> Result<(), MetricError> {
        self.record(now, metric, MetricKind::Distribution, function, value)
    }

    /// Sets a gauge to `value` (recorded in the series given only).
    ///
    /// # Errors
    /// As [`MetricStore::count`].
    pub fn gauge(
        &mut self,
        now: Instant,
        metric: Metric,
        function: Option<u32>,
        value: u64,
    ) -> Result<(), MetricError> {
        let dim = self.check(metric, MetricKind::Gauge, function)?;
        let period = self.period_of(now);
        self.advance(now);
        if let Some(mut ring) = self.ring_mut(metric, dim) {
            ring.set(period, value);
        }
        Ok(())
    }

    /// Adds the samples tallied in `dp` (of a Count or Distribution metric)
    /// to period `period` of the series given only (not region-wide), and
    /// no histogram: for a caller that tallies a period itself and records
    /// each distribution sample's histogram with
    /// [`MetricStore::sample_histograms`] (the region does).
    ///
    /// # Errors
    /// [`MetricError::WrongKind`] for a gauge, or a bad `function`.
    pub fn add_datapoint(
        &mut self,
        period: u64,
        metric: Metric,
        function: Option<u32>,
        dp: Datapoint,
    ) -> Result<(), MetricError> {
        if metric.kind() == MetricKind::Gauge {
            return Err(MetricError::WrongKind);
        }
        let dim = self.dimension(metric, function)?;
        self.note_period(period);
        if let Some(mut ring) = self.ring_mut(metric, dim) {
            ring.add(period, dp);
        }
        Ok(())
    }

    /// A gauge's whole period in one call: its largest value and the value
    /// held after it (for a caller tallying the period; see
    /// [`MetricStore::add_datapoint`]).
    ///
    /// # Errors
    /// [`MetricError::WrongKind`] for another kind, or a bad `function`.
    pub fn gauge_period(
        &mut self,
        period: u64,
        metric: Metric,
        function: Option<u32>,
        max: u64,
        last: u64,
    ) -> Result<(), MetricError> {
        let dim = self.check(metric, MetricKind::Gauge, function)?;
        self.note_period(period);
        if let Some(mut ring) = self.ring_mut(metric, dim) {
            ring.set_period(period, max, last);
        }
        Ok(())
    }

    /// Records one distribution sample in the period and run histograms of
    /// `function`, and nothing else (its datapoint is tallied by the caller:
    /// [`MetricStore::add_datapoint`]). From then on region-wide histograms
    /// are answered as the merge of the functions' (the caller must then
    /// record every distribution sample this way, not with
    /// [`MetricStore::sample`]).
    ///
    /// # Errors
    /// [`MetricError::WrongKind`], or a bad `function`.
    pub fn sample_histograms(
        &mut self,
        period: u64,
        metric: Metric,
        function: u32,
        value: u64,
    ) -> Result<(), MetricError> {
        let Some(d) = metric.distribution_index() else { return Err(MetricError::WrongKind) };
        let dim = self.dimension(metric, Some(function))?;
        self.derived_region = true;
        let index = dim.saturating_mul(DISTRIBUTION_COUNT).saturating_add(d);
        let bucket = bucket_of(value);
        if let Some(run) = self.run_histograms.get_mut(index) {
            run.record_in(bucket, value);
        }
        if let Some(slot) = self.period_slot_mut(index, period) {
            slot.record(bucket, value);
        }
        Ok(())
    }

    /// [`MetricStore::sample_histograms`] for a caller that checked the
    /// series: histogram series `series` (`(function + 1) × 5 + the
    /// distribution's index`; another index records nothing). O(1).
    #[inline(always)]
    pub(crate) fn record_histograms(&mut self, series: usize, period: u64, value: u64) {
        self.derived_region = true;
        let bucket = bucket_of(value);
        if let Some(run) = self.run_histograms.get_mut(series) {
            run.record_in(bucket, value);
        }
        if let Some(slot) = self.period_slot_mut(series, period) {
            slot.record(bucket, value);
        }
    }

    /// The newest period known is at least `period`.
    fn note_period(&mut self, period: u64) {
        self.latest = Some(self.latest.map_or(period, |l| l.max(period)));
    }

    fn record(
        &mut self,
        now: Instant,
        metric: Metric,
        kind: MetricKind,
        function: Option<u32>,
        value: u64,
    ) -> Result<(), MetricError> {
        let dim = self.check(metric, kind, function)?;
        let period = self.period_of(now);
        self.advance(now);
        self.record_in(metric, dim, period, value);
        if dim != 0 {
            self.record_in(metric, 0, period, value);
        }
        Ok(())
    }

    fn record_in(&mut self, metric: Metric, dim: usize, period: u64, value: u64) {
        let stored = self.ring_mut(metric, dim).is_some_and(|mut ring| ring.record(period, value));
        let Some(d) = metric.distribution_index() else { return };
        let index = dim.saturating_mul(DISTRIBUTION_COUNT).saturating_add(d);
        let bucket = bucket_of(value);
        if let Some(run) = self.run_histograms.get_mut(index) {
            run.record_in(bucket, value);
        }
        if stored && let Some(slot) = self.period_slot_mut(index, period) {
            slot.record(bucket, value);
        }
    }

    /// The histogram slot of `period` for distribution series `index`,
    /// reset if it held an older period; `None` if it holds a newer one (the
    /// period's histogram rolled off) or no histograms are kept.
    #[inline(always)]
    fn period_slot_mut(&mut self, index: usize, period: u64) -> Option<&mut PeriodSlot> {
        let h = self.histogram_periods;
        let offset = self.histogram_offset(period);
        let slot = self.period_histograms.get_mut(index.checked_mul(h)?.checked_add(offset)?)?;
        let tag = period.saturating_add(1);
        if slot.period == tag {
            return Some(slot);
        }
        // Rare: the slot's first sample of a period (h = 0 keeps no slots,
        // and the lookup above failed).
        if slot.period > tag {
            return None;
        }
        slot.reset(tag);
        Some(slot)
    }

    /// `period mod H`, cached for the last period asked (samples come in
    /// time order: a division per period, not per sample).
    #[inline(always)]
    fn histogram_offset(&mut self, period: u64) -> usize {
        let (cached, offset) = self.histogram_cursor;
        if cached == period {
            return offset;
        }
        let offset = usize::try_from(period % (self.histogram_periods.max(1) as u64)).unwrap_or(0);
        self.histogram_cursor = (period, offset);
        offset
    }

    /// The period histograms that make up dimension `dim`'s: its own, or
    /// for a derived region-wide one every function's.
    fn period_slots(&self, metric: Metric, dim: usize, period: u64) -> impl Iterator<Item = &PeriodHistogram> {
        let dims = if dim == 0 && self.derived_region { 1..=self.functions as usize } else { dim..=dim };
        dims.filter_map(move |d| self.period_slot(metric, d, period))
    }

    fn period_slot(&self, metric: Metric, dim: usize, period: u64) -> Option<&PeriodHistogram> {
        let index = dim.checked_mul(DISTRIBUTION_COUNT)?.checked_add(metric.distribution_index()?)?;
        let h = self.histogram_periods;
        let offset = usize::try_from(period % (h.max(1) as u64)).ok()?;
        let slot = self.period_histograms.get(index.checked_mul(h)?.checked_add(offset)?)?;
        (h > 0 && slot.period == period.saturating_add(1)).then_some(&slot.histogram)
    }

    /// The dimension slot of `function` for `metric` (0 = region-wide).
    fn dimension(&self, metric: Metric, function: Option<u32>) -> Result<usize, MetricError> {
        match function {
            None => Ok(0),
            Some(_) if !metric.per_function() => Err(MetricError::RegionOnlyMetric),
            Some(f) if f >= self.functions => Err(MetricError::UnknownFunction),
            Some(f) => usize::try_from(f).map(|f| f.saturating_add(1)).map_err(|_| MetricError::UnknownFunction),
        }
    }

    fn check(&self, metric: Metric, kind: MetricKind, function: Option<u32>) -> Result<usize, MetricError> {
        if metric.kind() != kind {
            return Err(MetricError::WrongKind);
        }
        self.dimension(metric, function)
    }

    fn series_index(metric: Metric, dim: usize) -> usize {
        dim.saturating_mul(METRIC_COUNT).saturating_add(metric as usize)
    }

    fn ring_mut(&mut self, metric: Metric, dim: usize) -> Option<Ring<'_>> {
        let s = Self::series_index(metric, dim);
        let start = s.checked_mul(self.periods)?;
        let cells = self.cells.get_mut(start..start.checked_add(self.periods)?)?;
        let header = self.series.get_mut(s)?;
        Some(Ring { header, cells, gauge: metric.kind() == MetricKind::Gauge })
    }

    fn ring(&self, metric: Metric, function: Option<u32>) -> Result<RingView<'_>, MetricError> {
        let dim = self.dimension(metric, function)?;
        let s = Self::series_index(metric, dim);
        let start = s.saturating_mul(self.periods);
        let cells = self.cells.get(start..start.saturating_add(self.periods)).unwrap_or(&[]);
        let header = self.series.get(s).ok_or(MetricError::UnknownFunction)?;
        Ok(RingView { header, cells, gauge: metric.kind() == MetricKind::Gauge })
    }

    /// The datapoint of period `period` (`None`: missing, no activity).
    ///
    /// # Errors
    /// [`MetricError::PeriodRolledOff`], or a bad `function`.
    pub fn datapoint(
        &self,
        metric: Metric,
        function: Option<u32>,
        period: u64,
    ) -> Result<Option<Datapoint>, MetricError> {
        let through = self.latest.unwrap_or(0);
        self.ring(metric, function)?.datapoint(period, through).map_err(|()| MetricError::PeriodRolledOff)
    }

    /// Calls `f(timestamp, datapoint)` for every period from the one holding
    /// `from` to the one holding `to` (inclusive), oldest first (`None`:
    /// missing), from the oldest period the series keeps (its own N latest
    /// opened periods) up to the newest period the store reached. Periods
    /// already rolled off are skipped.
    ///
    /// # Errors
    /// A bad `function`.
    pub fn datapoints(
        &self,
        metric: Metric,
        function: Option<u32>,
        from: Instant,
        to: Instant,
        mut f: impl FnMut(Instant, Option<Datapoint>),
    ) -> Result<(), MetricError> {
        let ring = self.ring(metric, function)?;
        let Some(through) = self.latest else { return Ok(()) };
        let last = self.period_index(to);
        for p in self.period_index(from).max(ring.first_kept())..=last.min(through) {
            if let Ok(dp) = ring.datapoint(p, through) {
                f(self.period_start(p), dp);
            }
        }
        Ok(())
    }

    /// A statistic over `count` consecutive periods starting at `first`
    /// (an alarm period of `count` store periods), merging their datapoints
    /// and, for a percentile, their histograms. `None` when every period is
    /// missing. The work is bounded by the ring (N periods), whatever `count`.
    ///
    /// # Errors
    /// [`MetricError::PeriodRolledOff`]; [`MetricError::NoHistogram`] for a
    /// percentile of a period whose histogram is not kept; a bad `function`.
    pub fn statistic(
        &self,
        metric: Metric,
        function: Option<u32>,
        statistic: Statistic,
        first: u64,
        count: u64,
    ) -> Result<Option<f64>, MetricError> {
        let dim = self.dimension(metric, function)?;
        let ring = self.ring(metric, function)?;
        let (Some(head), Some(through)) = (ring.head(), self.latest) else { return Ok(None) };
        let end = first.saturating_add(count.max(1));
        // Periods up to the head are in the ring (at most N of them: an
        // older one is an error); after it, only a held gauge value, up to
        // the newest period reached.
        let stored_end = end.min(head.saturating_add(1));
        let mut merged = None;
        for p in first..stored_end {
            let dp = ring.datapoint(p, through).map_err(|()| MetricError::PeriodRolledOff)?;
            if dp.is_some()
                && matches!(statistic, Statistic::Percentile(_))
                && self.period_slots(metric, dim, p).next().is_none()
            {
                return Err(MetricError::NoHistogram);
            }
            merged = Datapoint::merged(merged, dp);
        }
        let beyond = end.min(through.saturating_add(1)).saturating_sub(first.max(head.saturating_add(1)));
        merged = Datapoint::merged(merged, ring.held_over(beyond));
        let Some(dp) = merged else { return Ok(None) };
        let counts = |i: usize| -> u64 {
            (first..stored_end)
                .flat_map(|p| self.period_slots(metric, dim, p))
                .fold(0u64, |acc, h| acc.saturating_add(h.bucket_count(i)))
        };
        statistic.of_counts(&dp, Some(counts)).map(Some)
    }

    /// The histogram of one period of a distribution, if kept.
    ///
    /// # Errors
    /// A bad `function`.
    pub fn period_histogram(
        &self,
        metric: Metric,
        function: Option<u32>,
        period: u64,
    ) -> Result<Option<PeriodHistogram>, MetricError> {
        let dim = self.dimension(metric, function)?;
        Ok(self.period_slots(metric, dim, period).fold(None, |merged: Option<PeriodHistogram>, h| {
            let mut m = merged.unwrap_or_default();
            m.merge(h);
            Some(m)
        }))
    }

    /// Every sample ever recorded in a series (`None`: none).
    ///
    /// # Errors
    /// A bad `function`.
    pub fn recorded(&self, metric: Metric, function: Option<u32>) -> Result<Option<Datapoint>, MetricError> {
        Ok(self.ring(metric, function)?.header.recorded())
    }

    /// What has left a series' ring.
    ///
    /// # Errors
    /// A bad `function`.
    pub fn rolled_off(&self, metric: Metric, function: Option<u32>) -> Result<RolledOff, MetricError> {
        Ok(self.ring(metric, function)?.header.rolled_off())
    }

    /// The whole-run histogram of a distribution series (a copy; region-wide
    /// for a store fed by a region: the functions' merged).
    ///
    /// # Errors
    /// [`MetricError::WrongKind`] for a metric that is not a distribution; a bad `function`.
    pub fn run_histogram(&self, metric: Metric, function: Option<u32>) -> Result<RunHistogram, MetricError> {
        let d = metric.distribution_index().ok_or(MetricError::WrongKind)?;
        let dim = self.dimension(metric, function)?;
        let get = |dim: usize| self.run_histograms.get(dim.saturating_mul(DISTRIBUTION_COUNT).saturating_add(d));
        if dim == 0 && self.derived_region {
            let mut merged = RunHistogram::new();
            for f in 1..=self.functions as usize {
                if let Some(h) = get(f) {
                    merged.merge(h);
                }
            }
            return Ok(merged);
        }
        get(dim).cloned().ok_or(MetricError::UnknownFunction)
    }

    /// A whole-run percentile of a distribution series (`None`: no samples).
    ///
    /// # Errors
    /// As [`MetricStore::run_histogram`].
    pub fn run_percentile(
        &self,
        metric: Metric,
        function: Option<u32>,
        p: Percentile,
    ) -> Result<Option<u64>, MetricError> {
        Ok(self.run_histogram(metric, function)?.percentile(p.hundredths()))
    }

    /// Whole-run p50/p90/p99/maximum of a distribution series (`None`: no samples).
    ///
    /// # Errors
    /// As [`MetricStore::run_histogram`].
    pub fn latency_summary(
        &self,
        metric: Metric,
        function: Option<u32>,
    ) -> Result<Option<LatencySummary>, MetricError> {
        let h = self.run_histogram(metric, function)?;
        let (Some(p50), Some(p90), Some(p99), Some(maximum)) = (
            h.percentile(Percentile::P50.hundredths()),
            h.percentile(Percentile::P90.hundredths()),
            h.percentile(Percentile::P99.hundredths()),
            h.maximum(),
        ) else {
            return Ok(None);
        };
        Ok(Some(LatencySummary { sample_count: h.count(), p50, p90, p99, maximum }))
    }
}

#[cfg(test)]
mod tests;
