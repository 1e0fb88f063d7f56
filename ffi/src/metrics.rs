//! A region's CloudWatch metrics through the C ABI: attach a store, then
//! read datapoints, statistics and whole-run latency percentiles per
//! function (`lsim_function`) or region-wide (`NULL`).
//!
//! Metric and statistic codes are those of `lsim_alarm_config`
//! (`LSIM_METRIC_*`, `LSIM_STATISTIC_*`; a percentile in hundredths).

use crate::alarm::{metric_of, statistic_of};
use crate::api::{non_null, read_config, write_out};
use crate::registry::{guard, lsim_region, with_tagged_region};
use crate::status::lsim_status;
use crate::types::lsim_function;
use lambdasim::metrics::{Datapoint, Metric, MetricError, MetricStore, StoreConfig};
use lambdasim::{Duration, FunctionId};

/// How a region's metric store is laid out. Fill with
/// `lsim_metrics_config_default`, then change fields.
///
/// Memory: about (`function_capacity` + 1) × (2.3 KB plus `periods` ×
/// 1.1 KB plus `histogram_periods` × 45 KB plus 90 KB), allocated at attach
/// (defaults: 384 KB per function slot): keep the region's
/// `function_capacity` to what you use.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_metrics_config {
    /// `sizeof(lsim_metrics_config)`.
    pub struct_size: u32,
    /// The period of a datapoint in seconds: 1, 5, 10, 30 or a multiple of
    /// 60, as CloudWatch allows. Default 60.
    pub period_s: u32,
    /// Periods kept per series (older ones roll off, counted), 1..=100 000.
    /// Default 60 (an hour of minutes).
    pub periods: u32,
    /// Periods whose per-period histograms are kept (percentile statistics
    /// are answered for those), 0..=`periods`. Default 5.
    pub histogram_periods: u32,
}

/// The most `periods` of `lsim_metrics_config`.
pub const LSIM_METRICS_PERIODS_MAX: u32 = 100_000;

/// One period's datapoint of a series.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_datapoint {
    /// Sum of the samples (counts: the count; durations: µs).
    pub sum: u64,
    /// Number of samples.
    pub sample_count: u64,
    /// Smallest sample.
    pub minimum: u64,
    /// Largest sample.
    pub maximum: u64,
}

/// Whole-run percentiles of a distribution (µs), within 0.79 % of the
/// exact nearest-rank value.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_metric_latency {
    /// Samples recorded.
    pub sample_count: u64,
    /// p50.
    pub p50: u64,
    /// p90.
    pub p90: u64,
    /// p99.
    pub p99: u64,
    /// The largest sample (exact).
    pub maximum: u64,
}

impl From<Datapoint> for lsim_datapoint {
    fn from(d: Datapoint) -> Self {
        lsim_datapoint { sum: d.sum, sample_count: d.sample_count, minimum: d.minimum, maximum: d.maximum }
    }
}

/// Fills `*out` with the defaults (60 s periods, 60 of them, histograms
/// for the last 5) and sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_metrics_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_metrics_config_default(out: *mut lsim_metrics_config) -> lsim_status {
    guard(|| {
        non_null(out)?;
        let c = lsim_metrics_config {
            struct_size: size_of::<lsim_metrics_config>() as u32,
            period_s: 60,
            periods: 60,
            histogram_periods: 5,
        };
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, c) };
        Ok(())
    })
}

/// Attaches a metric store to the region (replacing one attached before):
/// from now on it emits CloudWatch's metrics (Invocations, Errors,
/// Throttles, Duration, the concurrency levels, provisioned invocations
/// and spillover, InitDuration, ResponseTime) per function slot and
/// region-wide.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` (bad
/// `struct_size`, `periods` 0 or above `LSIM_METRICS_PERIODS_MAX`,
/// `histogram_periods` above `periods`); `LSIM_STATUS_INVALID_SETTING`
/// (a period CloudWatch does not allow); the handle errors.
///
/// # Safety
/// `config` is NULL or points to a readable `lsim_metrics_config` (at
/// least its `struct_size` field, and as many bytes as it says).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_attach_metrics(
    region: *mut lsim_region,
    config: *const lsim_metrics_config,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        // SAFETY: non-null, readable per the contract.
        let c = unsafe { read_config(config) }?;
        if c.periods == 0 || c.periods > LSIM_METRICS_PERIODS_MAX || c.histogram_periods > c.periods {
            return Err(lsim_status::InvalidArgument);
        }
        with_tagged_region(region, |r, _| {
            let functions = u32::try_from(r.capacity().functions).map_err(|_| lsim_status::InvalidArgument)?;
            let config = StoreConfig { period: Duration::from_secs(u64::from(c.period_s)), functions };
            let store = MetricStore::owned(config, c.periods as usize, c.histogram_periods as usize).map_err(status)?;
            r.attach_metrics(store)?;
            Ok(())
        })
    })
}

/// The store's function dimension of `function` (NULL: region-wide),
/// checked against the region.
///
/// # Safety
/// `function` is NULL or points to a readable `lsim_function`.
unsafe fn dimension(
    r: &mut lambdasim::Region<'static>,
    tag: crate::registry::RegionTag,
    function: *const lsim_function,
) -> Result<Option<u32>, lsim_status> {
    if function.is_null() {
        return Ok(None);
    }
    // SAFETY: non-null, readable per the contract.
    let f = unsafe { function.read_unaligned() };
    let id: FunctionId = f.id(tag)?;
    r.function_config(id).ok_or(lsim_status::UnknownFunction)?;
    Ok(Some(id.index))
}

fn metric(code: u32) -> Result<Metric, lsim_status> {
    metric_of(code).ok_or(lsim_status::InvalidArgument)
}

/// The status of a store's refusal: an unknown code or a question about
/// data the store does not hold is `INVALID_ARGUMENT`; a value out of range
/// or a combination the rules refuse is `INVALID_SETTING`.
fn status(e: MetricError) -> lsim_status {
    match e {
        MetricError::UnknownMetric | MetricError::UnknownStatistic | MetricError::PeriodRolledOff => {
            lsim_status::InvalidArgument
        }
        MetricError::UnknownFunction => lsim_status::UnknownFunction,
        MetricError::PercentileOutOfRange
        | MetricError::RegionOnlyMetric
        | MetricError::WrongKind
        | MetricError::InvalidPeriod
        | MetricError::NoHistogram => lsim_status::InvalidSetting,
        _ => lsim_status::Internal,
    }
}

/// Runs `query` on the region's metric store for `function`'s dimension
/// (NULL: region-wide), with every open period handed to the store.
///
/// # Errors
/// `LSIM_STATUS_INVALID_ARGUMENT` when no store is attached; the handle
/// errors; the store's refusal as [`status`] maps it.
///
/// # Safety
/// `function` is NULL or points to a readable `lsim_function`.
unsafe fn query<T>(
    region: *mut lsim_region,
    function: *const lsim_function,
    query: impl FnOnce(&MetricStore<'static>, Option<u32>) -> Result<T, MetricError>,
) -> Result<T, lsim_status> {
    with_tagged_region(region, |r, tag| {
        // SAFETY: the caller's contract on `function`.
        let f = unsafe { dimension(r, tag, function) }?;
        let store = r.metrics().ok_or(lsim_status::InvalidArgument)?;
        query(store, f).map_err(status)
    })
}

/// Period `period`'s datapoint of `metric` for `function` (NULL:
/// region-wide): `*out_present` is 1 and `*out` the datapoint, or 0 for a
/// period with no datapoint (no activity: missing, not zero).
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` (unknown
/// metric, no store attached, a period that rolled off the store's ring);
/// `LSIM_STATUS_INVALID_SETTING` (a region-only metric asked per function);
/// `LSIM_STATUS_UNKNOWN_FUNCTION`; the handle errors.
///
/// # Safety
/// `function` is NULL or points to a readable `lsim_function`; `out` and
/// `out_present` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_metric_datapoint(
    region: *mut lsim_region,
    metric_code: u32,
    function: *const lsim_function,
    period: u64,
    out: *mut lsim_datapoint,
    out_present: *mut u32,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        non_null(out_present)?;
        let m = metric(metric_code)?;
        // SAFETY: the caller's contract on `function`.
        let dp = unsafe { query(region, function, |store, f| store.datapoint(m, f, period)) }?;
        // SAFETY: non-null, writable per the contract.
        unsafe {
            write_out(out, dp.map(Into::into).unwrap_or_default());
            write_out(out_present, u32::from(dp.is_some()));
        }
        Ok(())
    })
}

/// A statistic (`LSIM_STATISTIC_*`, a percentile in hundredths: 9900 =
/// p99) of `metric` for `function` (NULL: region-wide) over `count`
/// periods from `first_period`, merged into one (as an alarm period
/// spanning them): `*out_present` 0 when every one is missing.
///
/// # Errors
/// As `lsim_region_metric_datapoint`; `LSIM_STATUS_INVALID_ARGUMENT` for an
/// unknown statistic; `LSIM_STATUS_INVALID_SETTING` for a percentile out of
/// range or of a metric without histograms.
///
/// # Safety
/// As `lsim_region_metric_datapoint`; `out` is valid for one `double`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn lsim_region_metric_statistic(
    region: *mut lsim_region,
    metric_code: u32,
    function: *const lsim_function,
    statistic: u32,
    percentile_hundredths: u32,
    first_period: u64,
    count: u64,
    out: *mut f64,
    out_present: *mut u32,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        non_null(out_present)?;
        let m = metric(metric_code)?;
        let s = statistic_of(statistic, percentile_hundredths)?;
        // SAFETY: the caller's contract on `function`.
        let value = unsafe { query(region, function, |store, f| store.statistic(m, f, s, first_period, count)) }?;
        // SAFETY: non-null, writable per the contract.
        unsafe {
            write_out(out, value.unwrap_or(0.0));
            write_out(out_present, u32::from(value.is_some()));
        }
        Ok(())
    })
}

/// The most periods `lsim_region_metric_statistics` answers in one call.
pub const LSIM_METRIC_STATISTICS_MAX: u64 = 1_000_000;

/// A statistic of `metric` for `function` (NULL: region-wide) for each of
/// `count` periods from `first_period`, as CloudWatch's
/// GetMetricStatistics answers a time range: `out_values[i]` and
/// `out_present[i]` (0: no datapoint in that period, missing) for period
/// `first_period + i`. Periods that rolled off the store's ring are an
/// error; periods after the newest one known are missing (or a gauge's
/// held value up to the region's clock).
///
/// # Errors
/// As `lsim_region_metric_statistic`; `LSIM_STATUS_INVALID_ARGUMENT` for
/// `count` above `LSIM_METRIC_STATISTICS_MAX`; `LSIM_STATUS_BUFFER_TOO_SMALL`
/// when `out_cap < count` (nothing written).
///
/// # Safety
/// As `lsim_region_metric_statistic`; `out_values` and `out_present` are
/// valid for `out_cap` writes each.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn lsim_region_metric_statistics(
    region: *mut lsim_region,
    metric_code: u32,
    function: *const lsim_function,
    statistic: u32,
    percentile_hundredths: u32,
    first_period: u64,
    count: u64,
    out_values: *mut f64,
    out_present: *mut u8,
    out_cap: usize,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out_values)?;
        non_null(out_present)?;
        let m = metric(metric_code)?;
        let s = statistic_of(statistic, percentile_hundredths)?;
        if count > LSIM_METRIC_STATISTICS_MAX {
            return Err(lsim_status::InvalidArgument);
        }
        if (out_cap as u64) < count {
            return Err(lsim_status::BufferTooSmall);
        }
        // SAFETY: the caller's contract on `function`.
        let values = unsafe {
            query(region, function, |store, f| {
                (0..count)
                    .map(|i| store.statistic(m, f, s, first_period.saturating_add(i), 1))
                    .collect::<Result<Vec<_>, _>>()
            })
        }?;
        for (i, v) in values.iter().enumerate() {
            // SAFETY: i < count ≤ out_cap; both buffers are valid for out_cap writes.
            unsafe {
                out_values.add(i).write_unaligned(v.unwrap_or(0.0));
                out_present.add(i).write_unaligned(u8::from(v.is_some()));
            }
        }
        Ok(())
    })
}

/// Whole-run p50/p90/p99/maximum of a distribution (`LSIM_METRIC_DURATION`,
/// `_INIT_DURATION`, `_RESPONSE_TIME`, ...) for `function` (NULL:
/// region-wide): `*out_present` 0 before any sample.
///
/// # Errors
/// As `lsim_region_metric_datapoint`; `LSIM_STATUS_INVALID_SETTING` for a
/// metric that is not a distribution.
///
/// # Safety
/// As `lsim_region_metric_datapoint`; `out` is valid for one
/// `lsim_metric_latency`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_metric_latency(
    region: *mut lsim_region,
    metric_code: u32,
    function: *const lsim_function,
    out: *mut lsim_metric_latency,
    out_present: *mut u32,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        non_null(out_present)?;
        let m = metric(metric_code)?;
        // SAFETY: the caller's contract on `function`.
        let summary = unsafe { query(region, function, |store, f| store.latency_summary(m, f)) }?;
        let out_value = summary.map_or_else(lsim_metric_latency::default, |s| lsim_metric_latency {
            sample_count: s.sample_count,
            p50: s.p50,
            p90: s.p90,
            p99: s.p99,
            maximum: s.maximum,
        });
        // SAFETY: non-null, writable per the contract.
        unsafe {
            write_out(out, out_value);
            write_out(out_present, u32::from(summary.is_some()));
        }
        Ok(())
    })
}
