//! `[[alarms]]` in scenario files: CloudWatch alarms on the run's metrics,
//! evaluated over the whole horizon of each replication.
//!
//! ```toml
//! [[alarms]]
//! name = "throttles"              # unique, used in reports
//! metric = "Throttles"            # CloudWatch's name
//! function = "checkout"           # absent: region-wide
//! statistic = "Sum"               # Sum, Average, Minimum, Maximum, SampleCount, pNN
//! period_s = 60                   # 10, 30 or a multiple of 60
//! evaluation_periods = 1          # N
//! datapoints_to_alarm = 1         # M of the latest N
//! threshold = 0                   # in CloudWatch's unit: ms for durations, a ratio for utilization
//! comparison = "GreaterThanThreshold"
//! treat_missing_data = "missing"  # missing, notBreaching, breaching, ignore
//! ```
//!
//! A run with alarms attaches a metric store whose period is the shortest
//! alarm period (every alarm period must be a multiple of it) and keeps
//! every period of the horizon, at most [`MAX_PERIODS`]
//! ([`crate::metrics::store_covering`]).

use crate::doc::DocError;
use crate::metrics::{CoverError, MAX_PERIODS, store_covering};
use lambdasim::metrics::alarm::{self, AlarmConfig, AlarmError, ComparisonOperator, Transition, TreatMissingData};
use lambdasim::metrics::{Metric, MetricStore, Statistic, Unit};
use lambdasim::{Duration, Instant};
use serde::{Deserialize, Serialize};

fn d_statistic() -> String {
    "Sum".into()
}
fn d_period() -> u32 {
    60
}
fn d_one() -> u32 {
    1
}
fn d_comparison() -> String {
    "GreaterThanThreshold".into()
}
fn d_missing() -> String {
    "missing".into()
}

/// One `[[alarms]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmSpec {
    pub name: String,
    pub metric: String,
    #[serde(default)]
    pub function: Option<String>,
    #[serde(default = "d_statistic")]
    pub statistic: String,
    #[serde(default = "d_period")]
    pub period_s: u32,
    #[serde(default = "d_one")]
    pub evaluation_periods: u32,
    #[serde(default = "d_one")]
    pub datapoints_to_alarm: u32,
    pub threshold: f64,
    #[serde(default = "d_comparison")]
    pub comparison: String,
    #[serde(default = "d_missing")]
    pub treat_missing_data: String,
}

/// An alarm checked and ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedAlarm {
    pub name: String,
    pub config: AlarmConfig,
}

/// One alarm's outcome in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlarmOutcome {
    pub name: String,
    /// The state at the end of the horizon.
    pub state: &'static str,
    pub transitions: Vec<TransitionJson>,
}

/// A state change: the end of the period that caused it, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TransitionJson {
    pub time_s: f64,
    pub from: &'static str,
    pub to: &'static str,
}

impl From<Transition> for TransitionJson {
    fn from(t: Transition) -> Self {
        TransitionJson { time_s: t.time.as_micros() as f64 / 1e6, from: t.from.as_str(), to: t.to.as_str() }
    }
}

/// Checks the alarms; `err(index, key, message)` builds the error naming
/// `alarms[index].key`.
pub(crate) fn prepare(
    specs: &[AlarmSpec],
    functions: &[String],
    err: impl Fn(usize, &str, String) -> DocError,
) -> Result<Vec<PreparedAlarm>, DocError> {
    let mut out: Vec<PreparedAlarm> = Vec::with_capacity(specs.len());
    for (i, a) in specs.iter().enumerate() {
        if out.iter().any(|p| p.name == a.name) {
            return Err(err(i, "name", format!("alarm name {:?} is used twice", a.name)));
        }
        let metric = Metric::from_name(&a.metric).map_err(|_| {
            let known: Vec<&str> = Metric::ALL.iter().map(|m| m.as_str()).collect();
            err(i, "metric", format!("unknown metric {:?} (known: {})", a.metric, known.join(", ")))
        })?;
        let function = match &a.function {
            None => None,
            Some(name) => Some(functions.iter().position(|f| f == name).ok_or_else(|| {
                err(i, "function", format!("no function named {name:?} (the scenario has {})", functions.join(", ")))
            })? as u32),
        };
        let statistic = Statistic::parse(&a.statistic).map_err(|e| err(i, "statistic", format!("{e}")))?;
        let comparison = ComparisonOperator::from_name(&a.comparison).map_err(|_| {
            err(i, "comparison", "one of GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold".into())
        })?;
        let treat_missing_data = TreatMissingData::from_name(&a.treat_missing_data)
            .map_err(|_| err(i, "treat_missing_data", "one of missing, notBreaching, breaching, ignore".into()))?;
        if !a.threshold.is_finite() {
            return Err(err(i, "threshold", "must be a finite number".into()));
        }
        let config = AlarmConfig {
            metric,
            function,
            statistic,
            period: Duration::from_secs(u64::from(a.period_s)),
            threshold: stored(metric.unit(), a.threshold),
            comparison,
            evaluation_periods: a.evaluation_periods,
            datapoints_to_alarm: a.datapoints_to_alarm,
            treat_missing_data,
        };
        if function.is_some() && !metric.per_function() {
            return Err(err(i, "function", format!("{} exists region-wide only", metric.as_str())));
        }
        config.validate().map_err(|e| err(i, key_of(e), e.to_string()))?;
        out.push(PreparedAlarm { name: a.name.clone(), config });
    }
    if let Some(shortest) = out.iter().map(|a| a.config.period.as_micros()).min()
        && let Some(i) = out.iter().position(|a| !a.config.period.as_micros().is_multiple_of(shortest))
    {
        return Err(err(
            i,
            "period_s",
            format!("must be a multiple of the shortest alarm period ({} s)", shortest / 1_000_000),
        ));
    }
    Ok(out)
}

/// The scenario field an alarm validation error is about.
fn key_of(e: AlarmError) -> &'static str {
    match e {
        AlarmError::EvaluationPeriodsZero | AlarmError::EvaluationPeriodsTooMany => "evaluation_periods",
        AlarmError::DatapointsToAlarmZero | AlarmError::DatapointsToAlarmAboveEvaluationPeriods => {
            "datapoints_to_alarm"
        }
        AlarmError::InvalidPeriod | AlarmError::PeriodNotMultipleOfStorePeriod => "period_s",
        AlarmError::ThresholdNotFinite => "threshold",
        AlarmError::UnknownComparisonOperator => "comparison",
        AlarmError::UnknownTreatMissingData => "treat_missing_data",
        AlarmError::PercentileOfNonDistribution | AlarmError::Metric(_) => "statistic",
        _ => "metric",
    }
}

/// A threshold in CloudWatch's unit converted to the store's.
fn stored(unit: Unit, threshold: f64) -> f64 {
    match unit {
        Unit::Count => threshold,
        Unit::Microseconds => threshold * 1_000.0,
        Unit::PartsPerMillion => threshold * 1_000_000.0,
    }
}

/// The metric store a run with `alarms` needs over `horizon` for
/// `functions` functions, or `None` without alarms.
///
/// # Errors
/// Too many periods or too much memory, with what to change.
pub fn store_for(
    alarms: &[PreparedAlarm],
    functions: u32,
    horizon: Duration,
) -> anyhow::Result<Option<MetricStore<'static>>> {
    let Some(period_us) = alarms.iter().map(|a| a.config.period.as_micros()).min() else { return Ok(None) };
    let percentile = alarms.iter().any(|a| matches!(a.config.statistic, Statistic::Percentile(_)));
    match store_covering(functions, horizon, period_us, percentile) {
        Ok(store) => Ok(Some(store)),
        Err(CoverError::TooManyPeriods { periods }) => anyhow::bail!(
            "alarms: the run has {periods} periods of {} s, more than {MAX_PERIODS}; use longer alarm periods",
            period_us / 1_000_000
        ),
        Err(CoverError::TooLarge { mb }) => {
            anyhow::bail!(
                "alarms: the metric store would take {mb} MB; use longer alarm periods or fewer percentile alarms"
            )
        }
    }
}

/// Each alarm over `[0, horizon)` of a run's store.
///
/// # Errors
/// A period the store no longer holds (cannot happen with [`store_for`]'s store).
pub fn evaluate(
    store: &MetricStore<'_>,
    alarms: &[PreparedAlarm],
    horizon: Duration,
) -> anyhow::Result<Vec<AlarmOutcome>> {
    let to = Instant::ZERO.saturating_add(horizon);
    alarms
        .iter()
        .map(|a| {
            let mut transitions = Vec::new();
            let state = alarm::evaluate_store(store, a.config, Instant::ZERO, to, |t| transitions.push(t.into()))
                .map_err(|e| anyhow::anyhow!("alarm {:?}: {e}", a.name))?;
            Ok(AlarmOutcome { name: a.name.clone(), state: state.as_str(), transitions })
        })
        .collect()
}

/// The alarms of a run as text: each alarm's final state and its
/// transitions.
pub fn text(outcomes: &[AlarmOutcome]) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("alarms (CloudWatch semantics, over the whole horizon):\n");
    let width = outcomes.iter().map(|a| a.name.chars().count()).max().unwrap_or(0);
    for a in outcomes {
        let changes = if a.transitions.is_empty() {
            "no transition".to_owned()
        } else {
            let shown: Vec<String> = a
                .transitions
                .iter()
                .take(6)
                .map(|t| format!("{} s {}→{}", crate::doc::number(t.time_s), t.from, t.to))
                .collect();
            let more = a.transitions.len().saturating_sub(6);
            let tail = if more > 0 { format!(", … {more} more") } else { String::new() };
            format!("{}{tail}", shown.join(", "))
        };
        let _ = writeln!(out, "  {:width$}  {:17}  {changes}", a.name, a.state);
    }
    out
}
