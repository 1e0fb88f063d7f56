//! CloudWatch-like metrics in storage the caller lends (docs/model.md §7).
//!
//! - [`Metric`]: every metric Lambda publishes in the `AWS/Lambda` namespace,
//!   with CloudWatch's names, plus two of lambdasim's own distributions
//!   ([`Metric::InitDuration`], [`Metric::ResponseTime`]) that are **not**
//!   AWS metrics. Each metric has a [`MetricKind`] and a [`Unit`].
//! - [`Datapoint`]: the Sum, SampleCount, Minimum and Maximum of one period,
//!   all integers; [`Statistic`] computes CloudWatch's statistics from it (and
//!   from a [`Histogram`] for percentiles).
//! - [`Histogram`]: fixed-bucket, log-linear, O(1) to record, mergeable;
//!   every percentile it reports is within 1/128 (0.79 %) of the exact
//!   nearest-rank value (see [`histogram`]).
//! - [`Series`]: one metric's ring of N periods in lent [`Slots`](crate::Slots)
//!   ([`series`] states its rules); [`MetricStore`]: every metric per
//!   function and region-wide, each such a ring, with queries.
//! - [`alarm`]: CloudWatch alarm evaluation (states, M of N, missing data).
//!
//! ```
//! use lambdasim::metrics::{
//!     Cell, Metric, MetricStore, PeriodSlot, RunHistogram, SeriesHeader, Statistic, StoreConfig, StoreSizes,
//! };
//! use lambdasim::{Instant, Slots};
//!
//! // Tables for 1 function, rings of 10 periods, histograms for the last 2.
//! let n = StoreSizes::new(1, 10, 2);
//! let mut series = vec![SeriesHeader::default(); n.series];
//! let mut cells = vec![Cell::default(); n.cells];
//! let mut hists = vec![PeriodSlot::default(); n.period_histograms];
//! let mut runs = vec![RunHistogram::new(); n.run_histograms];
//! let config = StoreConfig { functions: 1, ..StoreConfig::default() };
//! let mut store = MetricStore::new(
//!     config,
//!     Slots::from(&mut series[..]),
//!     Slots::from(&mut cells[..]),
//!     Slots::from(&mut hists[..]),
//!     Slots::from(&mut runs[..]),
//! )?;
//! let t = Instant::from_secs(5);
//! store.count(t, Metric::Invocations, Some(0), 1)?; // also counted region-wide
//! store.sample(t, Metric::Duration, Some(0), 120_000)?; // 120 ms
//! store.gauge(t, Metric::ConcurrentExecutions, Some(0), 1)?;
//! assert_eq!(store.statistic(Metric::Invocations, None, Statistic::Sum, 0, 1)?, Some(1.0));
//! assert_eq!(store.statistic(Metric::Duration, Some(0), Statistic::parse("p99")?, 0, 1)?, Some(120_000.0));
//! assert_eq!(store.datapoint(Metric::Errors, Some(0), 0)?, None); // missing, not zero
//! # Ok::<(), lambdasim::metrics::MetricError>(())
//! ```
//!
//! # Guarantees
//! - No heap, no floats stored: values are `u64` in the metric's [`Unit`]
//!   (microseconds, counts, parts per million) and every addition saturates.
//!   Statistics are returned as `f64` computed by IEEE division only.
//! - Recording is O(1) per call: a datapoint update and, for distributions,
//!   one histogram bucket increment; a call that opens a new period also
//!   resets the slots of the periods it moves over (at most the ring's
//!   length, and each period is opened once).
//! - A period with no activity has no datapoint ("missing"), which is not a
//!   zero datapoint; periods that leave the ring are added to the series'
//!   [`RolledOff`] totals, never silently lost.

pub mod alarm;
mod datapoint;
pub mod histogram;
pub mod series;
mod store;

pub use datapoint::{Datapoint, Percentile, Statistic};
pub use histogram::{Histogram, PeriodHistogram, RunHistogram};
pub use series::{Cell, RolledOff, Series, SeriesHeader};
pub use store::{
    DEFAULT_HISTOGRAM_PERIODS, DEFAULT_PERIODS, LatencySummary, MetricStore, PeriodSlot, StoreConfig, StoreSizes,
};

use core::fmt;

/// How a metric's datapoints are made (docs/model.md §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricKind {
    /// Events counted per period; read as Sum.
    Count,
    /// One sample per event (a duration, an age), also kept in a histogram
    /// for percentiles; read as Average, Minimum, Maximum or pNN.
    Distribution,
    /// A level (busy environments, utilization) sampled at every change; read
    /// as the period's Maximum. A value held across a period boundary also
    /// counts in the next period (see [`MetricStore`]).
    Gauge,
}

/// The unit of a metric's stored values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A number of events or environments.
    Count,
    /// Microseconds (CloudWatch shows Lambda's durations in milliseconds:
    /// divide by 1000, see [`Unit::to_cloudwatch`]).
    Microseconds,
    /// Parts per million of a ratio (CloudWatch shows the ratio itself).
    PartsPerMillion,
}

impl Unit {
    /// A value in this unit converted to the unit CloudWatch shows:
    /// microseconds to milliseconds, parts per million to a ratio.
    pub fn to_cloudwatch(self, value: f64) -> f64 {
        match self {
            Unit::Count => value,
            Unit::Microseconds => value / 1_000.0,
            Unit::PartsPerMillion => value / 1_000_000.0,
        }
    }
    /// CloudWatch's name of the unit it shows (`Count`, `Milliseconds`, `None`).
    pub const fn cloudwatch_name(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Microseconds => "Milliseconds",
            Unit::PartsPerMillion => "None",
        }
    }
}

macro_rules! metrics {
    ($( $(#[$doc:meta])* $name:ident = $i:literal, $kind:ident, $unit:ident, $per_function:literal; )*) => {
        /// A metric, named as CloudWatch names it (docs/model.md §7).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Metric {
            $( $(#[$doc])* $name = $i, )*
        }

        impl Metric {
            /// Every metric, in declaration order (its index is `metric as usize`).
            pub const ALL: [Metric; METRIC_COUNT] = [$(Metric::$name,)*];

            /// The metric's name (CloudWatch's, for `AWS/Lambda` metrics).
            pub const fn as_str(self) -> &'static str {
                match self { $(Metric::$name => stringify!($name),)* }
            }
            /// How its datapoints are made.
            pub const fn kind(self) -> MetricKind {
                match self { $(Metric::$name => MetricKind::$kind,)* }
            }
            /// The unit of its stored values.
            pub const fn unit(self) -> Unit {
                match self { $(Metric::$name => Unit::$unit,)* }
            }
            /// Whether it exists per function (`FunctionName` dimension);
            /// every metric also exists region-wide.
            pub const fn per_function(self) -> bool {
                match self { $(Metric::$name => $per_function,)* }
            }
        }
    };
}

/// How many metrics there are.
pub const METRIC_COUNT: usize = 19;
/// How many [`MetricKind::Distribution`] metrics there are.
pub const DISTRIBUTION_COUNT: usize = 5;

metrics! {
    /// Invocations that ran, successful or ending in a function error (billed requests). Sum.
    Invocations = 0, Count, Count, true;
    /// Invocations that ended in a function error, timeouts included. Sum.
    Errors = 1, Count, Count, true;
    /// Throttled requests; never in Invocations or Errors. Sum.
    Throttles = 2, Count, Count, true;
    /// Handler time of an invocation (a full cold start's init excluded). µs.
    Duration = 3, Distribution, Microseconds, true;
    /// Busy environments. Maximum.
    ConcurrentExecutions = 4, Gauge, Count, true;
    /// Busy environments drawing on the unreserved pool (region-wide only). Maximum.
    UnreservedConcurrentExecutions = 5, Gauge, Count, false;
    /// Claimed account concurrency (region-wide only). Maximum.
    ClaimedAccountConcurrency = 6, Gauge, Count, false;
    /// Busy provisioned environments. Maximum.
    ProvisionedConcurrentExecutions = 7, Gauge, Count, true;
    /// Invocations on provisioned environments. Sum.
    ProvisionedConcurrencyInvocations = 8, Count, Count, true;
    /// Invocations on on-demand environments while all provisioned ones are busy. Sum.
    ProvisionedConcurrencySpilloverInvocations = 9, Count, Count, true;
    /// Busy provisioned / allocated provisioned, in parts per million. Maximum.
    ProvisionedConcurrencyUtilization = 10, Gauge, PartsPerMillion, true;
    /// Failed sends to a dead-letter queue. Sum.
    DeadLetterErrors = 11, Count, Count, true;
    /// Failed sends to an on-failure or on-success destination. Sum.
    DestinationDeliveryFailures = 12, Count, Count, true;
    /// Asynchronous events queued. Sum.
    AsyncEventsReceived = 13, Count, Count, true;
    /// Time an asynchronous event waited in the queue before its invoke. µs.
    AsyncEventAge = 14, Distribution, Microseconds, true;
    /// Asynchronous events dropped without a successful run. Sum.
    AsyncEventsDropped = 15, Count, Count, true;
    /// Age of the last record of a stream batch when it was read. µs.
    IteratorAge = 16, Distribution, Microseconds, true;
    /// lambdasim's own, **not** an `AWS/Lambda` metric: the init time of a
    /// cold start (create + init for a full one, init for a partial one). µs.
    InitDuration = 17, Distribution, Microseconds, true;
    /// lambdasim's own, **not** an `AWS/Lambda` metric: the response time a
    /// caller sees, cold-start wait plus handler time. µs.
    ResponseTime = 18, Distribution, Microseconds, true;
}

impl Metric {
    /// The metric of a name ([`Metric::as_str`]; exact, case-sensitive).
    ///
    /// # Errors
    /// [`MetricError::UnknownMetric`] for any other name.
    pub fn from_name(name: &str) -> Result<Metric, MetricError> {
        Metric::ALL.iter().copied().find(|m| m.as_str() == name).ok_or(MetricError::UnknownMetric)
    }
    /// The statistic the metric is read with (docs/model.md §7): Sum for
    /// counts, Average for distributions, Maximum for gauges.
    pub const fn default_statistic(self) -> Statistic {
        match self.kind() {
            MetricKind::Count => Statistic::Sum,
            MetricKind::Distribution => Statistic::Average,
            MetricKind::Gauge => Statistic::Maximum,
        }
    }
    /// Whether the metric is one of lambdasim's own, outside the `AWS/Lambda` namespace.
    pub const fn is_lambdasim_own(self) -> bool {
        matches!(self, Metric::InitDuration | Metric::ResponseTime)
    }
    /// The metric's index among the distributions, if it is one.
    pub(crate) const fn distribution_index(self) -> Option<usize> {
        match self {
            Metric::Duration => Some(0),
            Metric::AsyncEventAge => Some(1),
            Metric::IteratorAge => Some(2),
            Metric::InitDuration => Some(3),
            Metric::ResponseTime => Some(4),
            _ => None,
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a metric operation or query was refused. Nothing was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetricError {
    /// `metric`: no metric has this name.
    UnknownMetric,
    /// `statistic`: not SampleCount, Sum, Average, Minimum, Maximum or pNN.
    UnknownStatistic,
    /// `percentile`: outside p0..=p100 or with more than two decimals.
    PercentileOutOfRange,
    /// `function`: the index is not below the store's function count.
    UnknownFunction,
    /// `function`: the metric exists region-wide only (give `None`).
    RegionOnlyMetric,
    /// `metric`: the operation does not fit the metric's kind (`count` is for
    /// Count metrics, `sample` for distributions, `gauge` for gauges).
    WrongKind,
    /// `period`: not 1, 5, 10 or 30 s, nor a positive multiple of 60 s.
    InvalidPeriod,
    /// `series`: fewer header slots than series (see [`StoreSizes`]).
    SeriesStorageTooSmall,
    /// `cells`: fewer than one period per series.
    CellStorageTooSmall,
    /// `run_histograms`: fewer than one per distribution series.
    RunHistogramStorageTooSmall,
    /// The period is older than the ring keeps (see [`RolledOff`]).
    PeriodRolledOff,
    /// A percentile of a period whose histogram is not kept (not a
    /// distribution, or older than the histogram ring).
    NoHistogram,
}

impl fmt::Display for MetricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MetricError::UnknownMetric => "metric: unknown metric name",
            MetricError::UnknownStatistic => {
                "statistic: not SampleCount, Sum, Average, Minimum, Maximum or pNN (e.g. p99, p99.9)"
            }
            MetricError::PercentileOutOfRange => "percentile: outside p0..=p100 or more than two decimals",
            MetricError::UnknownFunction => "function: index not below the store's function count",
            MetricError::RegionOnlyMetric => "function: this metric exists region-wide only",
            MetricError::WrongKind => "metric: operation does not fit the metric's kind (count/sample/gauge)",
            MetricError::InvalidPeriod => "period: not 1, 5, 10 or 30 s nor a positive multiple of 60 s",
            MetricError::SeriesStorageTooSmall => "series: fewer header slots than series",
            MetricError::CellStorageTooSmall => "cells: fewer than one period per series",
            MetricError::RunHistogramStorageTooSmall => "run_histograms: fewer than one per distribution series",
            MetricError::PeriodRolledOff => "period: older than the ring keeps (rolled off)",
            MetricError::NoHistogram => "percentile: no histogram kept for this metric and period",
        })
    }
}

impl core::error::Error for MetricError {}

/// Whether `period_s` is a period CloudWatch accepts: 1, 5, 10 or 30 s
/// (high resolution), or a positive multiple of 60 s.
pub const fn valid_period_s(period_s: u64) -> bool {
    matches!(period_s, 1 | 5 | 10 | 30) || (period_s > 0 && period_s.is_multiple_of(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_indices_match() {
        for (i, m) in Metric::ALL.iter().enumerate() {
            assert_eq!(*m as usize, i);
            assert_eq!(Metric::from_name(m.as_str()), Ok(*m));
        }
        assert_eq!(
            Metric::ProvisionedConcurrencySpilloverInvocations.as_str(),
            "ProvisionedConcurrencySpilloverInvocations"
        );
        assert_eq!(Metric::from_name("invocations"), Err(MetricError::UnknownMetric));
        let distributions = Metric::ALL.iter().filter(|m| m.kind() == MetricKind::Distribution).count();
        assert_eq!(distributions, DISTRIBUTION_COUNT);
        for m in Metric::ALL {
            assert_eq!(m.distribution_index().is_some(), m.kind() == MetricKind::Distribution);
        }
        assert!(Metric::ResponseTime.is_lambdasim_own() && !Metric::Duration.is_lambdasim_own());
        assert_eq!(Metric::Throttles.default_statistic(), Statistic::Sum);
        assert_eq!(Metric::ProvisionedConcurrencyUtilization.default_statistic(), Statistic::Maximum);
        assert_eq!(Metric::IteratorAge.default_statistic(), Statistic::Average);
    }

    #[test]
    fn units_convert_to_what_cloudwatch_shows() {
        assert_eq!(Metric::Duration.unit().to_cloudwatch(1_500.0), 1.5);
        assert_eq!(Metric::ProvisionedConcurrencyUtilization.unit().to_cloudwatch(700_000.0), 0.7);
        assert_eq!(Metric::Invocations.unit().cloudwatch_name(), "Count");
    }

    #[test]
    fn periods_follow_cloudwatch() {
        for ok in [1, 5, 10, 30, 60, 120, 300, 3600] {
            assert!(valid_period_s(ok), "{ok}");
        }
        for bad in [0, 2, 15, 45, 61, 90] {
            assert!(!valid_period_s(bad), "{bad}");
        }
    }
}
