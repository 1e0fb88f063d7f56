//! Per-bin series of one replication for `lambdasim run --svg`: each
//! function's busy environments, invocations, cold starts, throttles,
//! compute time and response-time percentiles, bin by bin.
//!
//! They come from a CloudWatch metric store attached to the charted
//! replication only (see [`Prepared::chart_replication`]): the store's
//! per-request work is a few counter updates and one histogram record per
//! distribution, and its memory is fixed by the number of bins, which
//! [`bin_s`] keeps to at most [`MAX_BINS`] whatever the horizon. Runs that
//! draw no chart attach nothing and pay nothing.

use crate::metrics::{CoverError, store_covering};
use crate::scenario::Prepared;
use lambdasim::Duration;
use lambdasim::metrics::{Metric, MetricError, MetricStore, Statistic};

/// The most bins a chart has: enough to see a day's shape in 10-minute
/// steps, few enough that every bin is a few pixels wide.
pub const MAX_BINS: u64 = 240;

/// Bin widths to choose from, seconds: CloudWatch periods a person reads
/// easily (1 s to a day).
pub const WIDTHS_S: [u32; 16] =
    [1, 5, 10, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

/// The bin width for a run of `horizon`: the narrowest of [`WIDTHS_S`]
/// giving at most [`MAX_BINS`] bins (a minute's run in seconds, an hour's
/// in 30 s, a day's in 10 minutes, a month's in 3 hours).
pub fn bin_s(horizon: Duration) -> u32 {
    let us = horizon.as_micros().max(1);
    WIDTHS_S.iter().copied().find(|&w| us.div_ceil(u64::from(w) * 1_000_000) <= MAX_BINS).unwrap_or(86_400)
}

/// One function's (or the region's) series; index k covers
/// `[k × bin_s, (k + 1) × bin_s)` (the last bin ends at the horizon).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// Most busy environments (ConcurrentExecutions Maximum).
    pub busy_max: Vec<f64>,
    /// Invocations that ran.
    pub invocations: Vec<f64>,
    /// Cold starts (full and partial).
    pub cold_starts: Vec<f64>,
    /// Throttled requests.
    pub throttles: Vec<f64>,
    /// Handler time, summed, ms.
    pub duration_ms: Vec<f64>,
    /// Response time p50 and p99, ms (`None`: nothing ended in the bin, or
    /// the store kept no histograms).
    pub response_p50_ms: Vec<Option<f64>>,
    pub response_p99_ms: Vec<Option<f64>>,
}

/// A replication's per-bin series.
#[derive(Clone, Debug, PartialEq)]
pub struct RunBins {
    /// Width of each bin, seconds.
    pub bin_s: u32,
    /// How many bins (the last may be partial).
    pub bins: usize,
    /// Whether the response-time percentiles were kept.
    pub percentiles: bool,
    /// Region-wide.
    pub region: Series,
    /// Each function, in scenario order.
    pub functions: Vec<Series>,
}

/// How the charted replication's store is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The store's period, seconds (divides `bin_s` and every alarm period).
    pub period_s: u32,
    /// The chart's bin, seconds (a multiple of `period_s`).
    pub bin_s: u32,
    /// Whether every period's histograms are kept (response-time percentiles).
    pub percentiles: bool,
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The store for the charted replication of `p`, also serving its alarms:
/// its period divides both the bin and the shortest alarm period. When
/// that store would be too big, the bin widens to the alarm period, and
/// then the percentiles are dropped (unless an alarm needs them).
///
/// # Errors
/// No store fits (cannot happen for a prepared scenario: its alarm store fits).
pub fn store(p: &Prepared) -> anyhow::Result<(MetricStore<'static>, Plan)> {
    let functions = u32::try_from(p.functions.len()).unwrap_or(u32::MAX);
    let horizon = p.config.horizon;
    let bin = bin_s(horizon);
    let alarm_period = p.alarms.iter().map(|a| a.config.period.as_micros() / 1_000_000).min();
    let alarm_period = alarm_period.and_then(|s| u32::try_from(s).ok());
    let alarm_percentiles = p.alarms.iter().any(|a| matches!(a.config.statistic, Statistic::Percentile(_)));
    let mut plans = vec![Plan { period_s: alarm_period.map_or(bin, |a| gcd(bin, a)), bin_s: bin, percentiles: true }];
    if let Some(a) = alarm_period {
        plans.push(Plan { period_s: a, bin_s: bin.div_ceil(a).max(1) * a, percentiles: true });
    }
    let last = plans.last().copied();
    if let Some(last) = last.filter(|_| !alarm_percentiles) {
        plans.push(Plan { percentiles: false, ..last });
    }
    let mut error = None;
    for plan in plans {
        let period_us = u64::from(plan.period_s) * 1_000_000;
        match store_covering(functions, horizon, period_us, plan.percentiles) {
            Ok(store) => return Ok((store, plan)),
            Err(e) => error = Some(e),
        }
    }
    Err(match error {
        Some(CoverError::TooLarge { mb }) => anyhow::anyhow!("chart: the metric store would take {mb} MB"),
        Some(CoverError::TooManyPeriods { periods }) => anyhow::anyhow!("chart: {periods} periods"),
        None => anyhow::anyhow!("chart: no store"),
    })
}

/// The series of `store` (of a run of `horizon`) laid out by `plan`.
///
/// # Errors
/// A period the store no longer holds (cannot happen with [`store`]'s).
pub fn extract(store: &MetricStore<'_>, plan: Plan, functions: u32, horizon: Duration) -> Result<RunBins, MetricError> {
    let bin_us = u64::from(plan.bin_s) * 1_000_000;
    let bins = horizon.as_micros().div_ceil(bin_us).max(1);
    let per = u64::from(plan.bin_s / plan.period_s.max(1)).max(1);
    let series = |dim: Option<u32>| -> Result<Series, MetricError> {
        let mut s = Series::default();
        let p50 = Statistic::parse("p50")?;
        let p99 = Statistic::parse("p99")?;
        for k in 0..bins {
            let first = k * per;
            let value = |metric: Metric, statistic: Statistic| store.statistic(metric, dim, statistic, first, per);
            s.busy_max.push(value(Metric::ConcurrentExecutions, Statistic::Maximum)?.unwrap_or(0.0));
            s.invocations.push(value(Metric::Invocations, Statistic::Sum)?.unwrap_or(0.0));
            s.cold_starts.push(value(Metric::InitDuration, Statistic::SampleCount)?.unwrap_or(0.0));
            s.throttles.push(value(Metric::Throttles, Statistic::Sum)?.unwrap_or(0.0));
            s.duration_ms.push(value(Metric::Duration, Statistic::Sum)?.unwrap_or(0.0) / 1e3);
            let (lo, hi) = if plan.percentiles {
                (value(Metric::ResponseTime, p50)?, value(Metric::ResponseTime, p99)?)
            } else {
                (None, None)
            };
            s.response_p50_ms.push(lo.map(|us| us / 1e3));
            s.response_p99_ms.push(hi.map(|us| us / 1e3));
        }
        Ok(s)
    };
    let region = series(None)?;
    let functions = (0..functions).map(|f| series(Some(f))).collect::<Result<_, _>>()?;
    Ok(RunBins {
        bin_s: plan.bin_s,
        bins: usize::try_from(bins).unwrap_or(usize::MAX),
        percentiles: plan.percentiles,
        region,
        functions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_follow_the_span() {
        let s = |secs: u64| bin_s(Duration::from_secs(secs));
        assert_eq!(s(60), 1);
        assert_eq!(s(240), 1);
        assert_eq!(s(241), 5);
        assert_eq!(s(3_600), 30);
        assert_eq!(s(86_400), 600);
        assert_eq!(s(2 * 86_400), 900);
        assert_eq!(s(7 * 86_400), 3_600);
        assert_eq!(s(30 * 86_400), 10_800);
        assert_eq!(s(100 * 86_400), 43_200);
        assert_eq!(s(1_000 * 86_400), 86_400);
        assert_eq!(gcd(600, 60), 60);
        assert_eq!(gcd(1, 60), 1);
    }
}
