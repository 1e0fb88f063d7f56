//! `lambdasim metrics`: a scenario run with a CloudWatch metric store
//! attached, and its datapoints as CSV, JSON lines or CloudWatch's
//! Embedded Metric Format.
//!
//! One replication (the scenario's seed); the whole horizon, warm-up
//! included (CloudWatch knows no warm-up). Every period of the run is kept
//! (at most [`MAX_PERIODS`]: a longer run needs a longer `period_s`), so
//! memory is bounded by the query, not by simulated time.

use crate::run::{ENVS, sim_error};
use crate::scenario::{MAX_FUNCTIONS, Prepared};
use anyhow::{Context, bail};
use lambdasim::metrics::{Metric, MetricKind, MetricStore, Statistic, StoreConfig, StoreSizes};
use lambdasim::sim::{Sim, SimFunction};
use std::io::Write;

/// The most periods a run's store keeps (a week of minutes), for
/// `lambdasim metrics` and for `[[alarms]]`.
pub const MAX_PERIODS: u64 = 10_080;
/// The most memory a run's metric store may take.
pub const MAX_STORE_BYTES: usize = 1 << 30;

/// Why a store covering a whole run was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverError {
    /// The horizon holds more than [`MAX_PERIODS`] periods.
    TooManyPeriods {
        /// How many it holds.
        periods: u64,
    },
    /// The store would take more than [`MAX_STORE_BYTES`].
    TooLarge {
        /// Its size, MB.
        mb: usize,
    },
}

/// A store for `functions` functions keeping every period of `horizon`
/// (plus one: events at exactly the horizon, the last ends and the final
/// levels, open the period after it, which must not push the first off the
/// ring), with every period's histograms when `percentiles`.
///
/// # Errors
/// Too many periods or bytes.
pub fn store_covering(
    functions: u32,
    horizon: lambdasim::Duration,
    period_us: u64,
    percentiles: bool,
) -> Result<MetricStore<'static>, CoverError> {
    let periods = horizon.as_micros().div_ceil(period_us.max(1)).max(1);
    if periods > MAX_PERIODS {
        return Err(CoverError::TooManyPeriods { periods });
    }
    let kept = periods as usize + 1;
    let histogram_periods = if percentiles { kept } else { 0 };
    let bytes = StoreSizes::new(functions, kept, histogram_periods).bytes();
    if bytes > MAX_STORE_BYTES {
        return Err(CoverError::TooLarge { mb: bytes >> 20 });
    }
    let config = StoreConfig { period: lambdasim::Duration::from_micros(period_us), functions };
    // Refused only for an invalid period, which the callers check first.
    MetricStore::owned(config, kept, histogram_periods).map_err(|_| CoverError::TooManyPeriods { periods })
}
/// The namespace of the Embedded Metric Format output.
pub const EMF_NAMESPACE: &str = "lambdasim";

/// How datapoints are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `timestamp_s,function,metric,statistic,value`, one row per datapoint.
    Csv,
    /// One JSON object per datapoint and line.
    Jsonl,
    /// CloudWatch Embedded Metric Format: one object per period and
    /// dimension, every metric's statistic in it.
    Emf,
}

/// What to print.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// The metrics (empty: every metric the region produces today).
    pub metrics: Vec<Metric>,
    /// Only this function (by name); `None`: every function and region-wide.
    pub function: Option<String>,
    /// The statistic (`None`: each metric's usual one: Sum for counts,
    /// Average for durations, Maximum for levels).
    pub statistic: Option<Statistic>,
    /// The period, seconds (1, 5, 10, 30 or a multiple of 60).
    pub period_s: u32,
}

/// Metrics the region does not produce yet (asynchronous invocation and
/// streams are not modelled).
const NOT_PRODUCED: [Metric; 6] = [
    Metric::DeadLetterErrors,
    Metric::DestinationDeliveryFailures,
    Metric::AsyncEventsReceived,
    Metric::AsyncEventAge,
    Metric::AsyncEventsDropped,
    Metric::IteratorAge,
];

/// One datapoint to print.
struct Row<'n> {
    timestamp_s: u64,
    function: Option<&'n str>,
    metric: Metric,
    statistic: Statistic,
    /// In CloudWatch's unit (milliseconds for durations, a ratio for
    /// utilization).
    value: f64,
}

/// One function's series for a console-like chart (CloudWatch's units;
/// `None`: no datapoint in the period).
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionChart {
    pub name: String,
    pub reserved: Option<u32>,
    pub provisioned: u32,
    pub invocations: Vec<Option<f64>>,
    pub errors: Vec<Option<f64>>,
    pub throttles: Vec<Option<f64>>,
    pub concurrency: Vec<Option<f64>>,
    pub duration_p50_ms: Vec<Option<f64>>,
    pub duration_p99_ms: Vec<Option<f64>>,
    /// Max ProvisionedConcurrencyUtilization, percent.
    pub utilization_pct: Vec<Option<f64>>,
}

/// What `lambdasim metrics --svg` draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub period_s: u32,
    pub account_limit: u32,
    pub functions: Vec<FunctionChart>,
}

/// Runs the scenario with a metric store and writes the datapoints; with
/// `chart`, also returns the series of a console-like chart (which keeps
/// every period's histograms, for p50 and p99).
///
/// # Errors
/// A query the store cannot answer (named: `--function`, `--period-s`,
/// `--stat`), a simulation error, or a write error.
pub fn write_metrics(
    p: &Prepared,
    q: &Query,
    out: &mut impl Write,
    format: Format,
    chart: bool,
) -> anyhow::Result<Option<ChartData>> {
    let metrics = if q.metrics.is_empty() {
        Metric::ALL.iter().copied().filter(|m| !NOT_PRODUCED.contains(m)).collect()
    } else {
        q.metrics.clone()
    };
    let names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
    let only = match &q.function {
        None => None,
        Some(name) => Some(names.iter().position(|n| n == name).with_context(|| {
            format!("--function {name:?}: the scenario has no such function (it has {})", names.join(", "))
        })? as u32),
    };
    let period_us = u64::from(q.period_s).saturating_mul(1_000_000);
    if !lambdasim::metrics::valid_period_s(u64::from(q.period_s)) {
        bail!("--period-s {}: CloudWatch periods are 1, 5, 10, 30 or a multiple of 60 seconds", q.period_s);
    }
    let periods = p.config.horizon.as_micros().div_ceil(period_us).max(1);
    let percentile = chart || matches!(q.statistic, Some(Statistic::Percentile(_)));
    let functions = u32::try_from(names.len()).unwrap_or(u32::MAX);
    let store = store_covering(functions, p.config.horizon, period_us, percentile).map_err(|e| match e {
        CoverError::TooManyPeriods { periods } => anyhow::anyhow!(
            "--period-s {}: the run has {periods} periods, more than {MAX_PERIODS}; use a longer period (at least {} s)",
            q.period_s,
            p.config.horizon.as_micros().div_ceil(MAX_PERIODS * 1_000_000).div_ceil(60) * 60
        ),
        CoverError::TooLarge { mb } => anyhow::anyhow!(
            "the metric store would take {mb} MB (more than {} MB): use a longer --period-s or a statistic other than a percentile",
            MAX_STORE_BYTES >> 20
        ),
    })?;
    let parts = crate::scenario::workload_parts(&p.functions);
    let sim_functions: Vec<SimFunction<'_>> = crate::scenario::sim_functions(&p.functions, &parts);
    let mut sim = Box::new(
        Sim::<'_, MAX_FUNCTIONS>::with_capacity(p.config, &sim_functions, ENVS)
            .map_err(|e| sim_error(&p.source, &names, e))?,
    );
    sim.attach_metrics(store).map_err(|e| anyhow::anyhow!("metric store: {e}"))?;
    sim.run(&mut ()).map_err(|e| sim_error(&p.source, &names, e))?;
    let store = sim.metrics().context("the metric store is attached")?;
    let mut rows = Vec::new();
    for period in 0..periods {
        let timestamp_s = period.saturating_mul(u64::from(q.period_s));
        for dim in dimensions(functions, only) {
            for &metric in &metrics {
                if dim.is_some() && !metric.per_function() {
                    continue;
                }
                let statistic = q.statistic.unwrap_or(metric.default_statistic());
                if matches!(statistic, Statistic::Percentile(_)) && metric.kind() != MetricKind::Distribution {
                    continue;
                }
                let value = store
                    .statistic(metric, dim, statistic, period, 1)
                    .with_context(|| format!("{} {statistic} of period {period}", metric.as_str()))?;
                if let Some(value) = value {
                    let function = dim.and_then(|f| names.get(f as usize)).map(String::as_str);
                    let value = metric.unit().to_cloudwatch(value);
                    rows.push(Row { timestamp_s, function, metric, statistic, value });
                }
            }
        }
    }
    match format {
        Format::Csv => write_csv(&rows, out)?,
        Format::Jsonl => write_jsonl(&rows, out)?,
        Format::Emf => write_emf(&rows, out)?,
    }
    if !chart {
        return Ok(None);
    }
    let series = |metric: Metric, f: u32, statistic: Statistic, scale: f64| -> anyhow::Result<Vec<Option<f64>>> {
        (0..periods)
            .map(|period| {
                let v = store.statistic(metric, Some(f), statistic, period, 1)?;
                Ok(v.map(|v| metric.unit().to_cloudwatch(v) * scale))
            })
            .collect::<Result<_, lambdasim::metrics::MetricError>>()
            .map_err(|e| anyhow::anyhow!("{}: {e}", metric.as_str()))
    };
    let p50 = Statistic::parse("p50").map_err(|e| anyhow::anyhow!("{e}"))?;
    let p99 = Statistic::parse("p99").map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut functions_chart = Vec::new();
    for (i, f) in p.functions.iter().enumerate() {
        if only.is_some_and(|o| o as usize != i) {
            continue;
        }
        let fi = i as u32;
        functions_chart.push(FunctionChart {
            name: f.name.clone(),
            reserved: f.config.reserved,
            provisioned: f.config.provisioned,
            invocations: series(Metric::Invocations, fi, Statistic::Sum, 1.0)?,
            errors: series(Metric::Errors, fi, Statistic::Sum, 1.0)?,
            throttles: series(Metric::Throttles, fi, Statistic::Sum, 1.0)?,
            concurrency: series(Metric::ConcurrentExecutions, fi, Statistic::Maximum, 1.0)?,
            duration_p50_ms: series(Metric::Duration, fi, p50, 1.0)?,
            duration_p99_ms: series(Metric::Duration, fi, p99, 1.0)?,
            utilization_pct: series(Metric::ProvisionedConcurrencyUtilization, fi, Statistic::Maximum, 100.0)?,
        });
    }
    Ok(Some(ChartData {
        period_s: q.period_s,
        account_limit: p.config.region.account_limit,
        functions: functions_chart,
    }))
}

/// The dimensions printed: each function (or the one asked), then region-wide.
fn dimensions(functions: u32, only: Option<u32>) -> Vec<Option<u32>> {
    match only {
        Some(f) => vec![Some(f)],
        None => (0..functions).map(Some).chain([None]).collect(),
    }
}

fn write_csv(rows: &[Row<'_>], out: &mut impl Write) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["timestamp_s", "function", "metric", "statistic", "value"])?;
    for r in rows {
        let (t, s, v) = (r.timestamp_s.to_string(), r.statistic.to_string(), r.value.to_string());
        w.write_record([t.as_str(), r.function.unwrap_or(""), r.metric.as_str(), s.as_str(), v.as_str()])?;
    }
    w.flush()?;
    Ok(())
}

fn write_jsonl(rows: &[Row<'_>], out: &mut impl Write) -> anyhow::Result<()> {
    for r in rows {
        let line = serde_json::json!({
            "timestamp_s": r.timestamp_s,
            "function": r.function,
            "metric": r.metric.as_str(),
            "statistic": r.statistic.to_string(),
            "value": r.value,
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// One EMF object per (period, dimension): `_aws` metadata naming every
/// metric in it with its unit, the `FunctionName` dimension (none for
/// region-wide), and each metric's value as a member. Timestamps are
/// milliseconds since the simulation's start, taken as the epoch.
fn write_emf(rows: &[Row<'_>], out: &mut impl Write) -> anyhow::Result<()> {
    let mut rest = rows;
    while let Some(first) = rest.first() {
        let end = rest
            .iter()
            .position(|r| r.timestamp_s != first.timestamp_s || r.function != first.function)
            .unwrap_or(rest.len());
        let (group, tail) = rest.split_at(end);
        let definitions: Vec<serde_json::Value> = group
            .iter()
            .map(|r| serde_json::json!({"Name": r.metric.as_str(), "Unit": r.metric.unit().cloudwatch_name()}))
            .collect();
        let dimensions: Vec<&str> = first.function.map(|_| "FunctionName").into_iter().collect();
        let mut object = serde_json::json!({
            "_aws": {
                "Timestamp": first.timestamp_s.saturating_mul(1_000),
                "CloudWatchMetrics": [{
                    "Namespace": EMF_NAMESPACE,
                    "Dimensions": [dimensions],
                    "Metrics": definitions,
                }],
            },
        });
        if let (Some(name), Some(map)) = (first.function, object.as_object_mut()) {
            map.insert("FunctionName".into(), name.into());
        }
        for r in group {
            if let Some(map) = object.as_object_mut() {
                map.insert(r.metric.as_str().into(), r.value.into());
            }
        }
        writeln!(out, "{object}")?;
        rest = tail;
    }
    Ok(())
}
