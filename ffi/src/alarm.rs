//! CloudWatch alarms and metric names (docs/model.md §7): an alarm's
//! definition (`lsim_alarm_config`), its evaluation over a window of period
//! values (`lsim_alarm_evaluate`), the exact reason a definition is refused
//! (`lsim_alarm_config_check`), and the names of metrics, statistics,
//! operators, treatments and states both ways.
//!
//! Same conventions as [`crate::api`]: a status return, NULL checks first,
//! out-parameters written only on success, `guard` at the boundary,
//! `struct_size` on the input struct. Enumerations are explicit tables here
//! (never `as u32` casts of core enums), so a reordering in the core cannot
//! change a C code.

#![allow(non_camel_case_types)]

use crate::api::{non_null, read_config, write_out};
use crate::registry::guard;
use crate::status::lsim_status;
use crate::types::flag;
use core::ffi::{CStr, c_char};
use lambdasim::metrics::alarm::{
    self, AlarmConfig, AlarmError, AlarmState, ComparisonOperator, Transition, TreatMissingData,
};
use lambdasim::metrics::{METRIC_COUNT, Metric, MetricError, Percentile, Statistic};
use lambdasim::{Duration, Instant};

// ---- codes ------------------------------------------------------------------------

/// Number of metrics: codes `0..LSIM_METRIC_COUNT` are the metrics in the
/// order of `lsim_metric_str` (0 `Invocations`, 1 `Errors`, 2 `Throttles`,
/// 3 `Duration`, 4 `ConcurrentExecutions`, ... 17 `InitDuration`,
/// 18 `ResponseTime`).
pub const LSIM_METRIC_COUNT: u32 = 19;
/// Metric code of `Invocations`.
pub const LSIM_METRIC_INVOCATIONS: u32 = 0;
/// Metric code of `Errors`.
pub const LSIM_METRIC_ERRORS: u32 = 1;
/// Metric code of `Throttles`. The default of `lsim_alarm_config`.
pub const LSIM_METRIC_THROTTLES: u32 = 2;
/// Metric code of `Duration`.
pub const LSIM_METRIC_DURATION: u32 = 3;
/// Metric code of `ConcurrentExecutions`.
pub const LSIM_METRIC_CONCURRENT_EXECUTIONS: u32 = 4;
/// Metric code of `UnreservedConcurrentExecutions`.
pub const LSIM_METRIC_UNRESERVED_CONCURRENT_EXECUTIONS: u32 = 5;
/// Metric code of `ClaimedAccountConcurrency`.
pub const LSIM_METRIC_CLAIMED_ACCOUNT_CONCURRENCY: u32 = 6;
/// Metric code of `ProvisionedConcurrentExecutions`.
pub const LSIM_METRIC_PROVISIONED_CONCURRENT_EXECUTIONS: u32 = 7;
/// Metric code of `ProvisionedConcurrencyInvocations`.
pub const LSIM_METRIC_PROVISIONED_CONCURRENCY_INVOCATIONS: u32 = 8;
/// Metric code of `ProvisionedConcurrencySpilloverInvocations`.
pub const LSIM_METRIC_PROVISIONED_CONCURRENCY_SPILLOVER_INVOCATIONS: u32 = 9;
/// Metric code of `ProvisionedConcurrencyUtilization`.
pub const LSIM_METRIC_PROVISIONED_CONCURRENCY_UTILIZATION: u32 = 10;
/// Metric code of `DeadLetterErrors`.
pub const LSIM_METRIC_DEAD_LETTER_ERRORS: u32 = 11;
/// Metric code of `DestinationDeliveryFailures`.
pub const LSIM_METRIC_DESTINATION_DELIVERY_FAILURES: u32 = 12;
/// Metric code of `AsyncEventsReceived`.
pub const LSIM_METRIC_ASYNC_EVENTS_RECEIVED: u32 = 13;
/// Metric code of `AsyncEventAge`.
pub const LSIM_METRIC_ASYNC_EVENT_AGE: u32 = 14;
/// Metric code of `AsyncEventsDropped`.
pub const LSIM_METRIC_ASYNC_EVENTS_DROPPED: u32 = 15;
/// Metric code of `IteratorAge`.
pub const LSIM_METRIC_ITERATOR_AGE: u32 = 16;
/// Metric code of `InitDuration`. lambdasim's own, not an `AWS/Lambda` metric.
pub const LSIM_METRIC_INIT_DURATION: u32 = 17;
/// Metric code of `ResponseTime`. lambdasim's own, not an `AWS/Lambda` metric.
pub const LSIM_METRIC_RESPONSE_TIME: u32 = 18;

/// Statistic: number of samples.
pub const LSIM_STATISTIC_SAMPLE_COUNT: u32 = 0;
/// Statistic: sum of the samples. The default of `lsim_alarm_config`.
pub const LSIM_STATISTIC_SUM: u32 = 1;
/// Statistic: Sum / SampleCount.
pub const LSIM_STATISTIC_AVERAGE: u32 = 2;
/// Statistic: smallest sample.
pub const LSIM_STATISTIC_MINIMUM: u32 = 3;
/// Statistic: largest sample.
pub const LSIM_STATISTIC_MAXIMUM: u32 = 4;
/// Statistic: the nearest-rank percentile `percentile_hundredths / 100`
/// (9990 = p99.9), of a distribution metric only.
pub const LSIM_STATISTIC_PERCENTILE: u32 = 5;
/// The largest `percentile_hundredths` (p100).
pub const LSIM_PERCENTILE_HUNDREDTHS_MAX: u32 = 10_000;

/// Comparison: `value > threshold` breaches (`GreaterThanThreshold`). The default.
pub const LSIM_COMPARISON_GREATER_THAN_THRESHOLD: u32 = 0;
/// Comparison: `value >= threshold` breaches (`GreaterThanOrEqualToThreshold`).
pub const LSIM_COMPARISON_GREATER_THAN_OR_EQUAL_TO_THRESHOLD: u32 = 1;
/// Comparison: `value < threshold` breaches (`LessThanThreshold`).
pub const LSIM_COMPARISON_LESS_THAN_THRESHOLD: u32 = 2;
/// Comparison: `value <= threshold` breaches (`LessThanOrEqualToThreshold`).
pub const LSIM_COMPARISON_LESS_THAN_OR_EQUAL_TO_THRESHOLD: u32 = 3;

/// Missing data (`missing`, the default): unknown; all missing gives INSUFFICIENT_DATA.
pub const LSIM_TREAT_MISSING_MISSING: u32 = 0;
/// Missing data (`notBreaching`): within the threshold.
pub const LSIM_TREAT_MISSING_NOT_BREACHING: u32 = 1;
/// Missing data (`breaching`): breaching.
pub const LSIM_TREAT_MISSING_BREACHING: u32 = 2;
/// Missing data (`ignore`): unknown; all missing keeps the state.
pub const LSIM_TREAT_MISSING_IGNORE: u32 = 3;

/// Alarm state `OK`: within the threshold.
pub const LSIM_ALARM_STATE_OK: u32 = 0;
/// Alarm state `ALARM`: breaching.
pub const LSIM_ALARM_STATE_ALARM: u32 = 1;
/// Alarm state `INSUFFICIENT_DATA`: just created, or no data to decide. The default.
pub const LSIM_ALARM_STATE_INSUFFICIENT_DATA: u32 = 2;

/// Why an alarm definition is refused (`lsim_alarm_config_check`): none.
pub const LSIM_ALARM_ERROR_NONE: u32 = 0;
/// `evaluation_periods` is zero.
pub const LSIM_ALARM_ERROR_EVALUATION_PERIODS_ZERO: u32 = 1;
/// `evaluation_periods` is above 1440, or the periods span more than a day
/// (periods under an hour) or 7 days.
pub const LSIM_ALARM_ERROR_EVALUATION_PERIODS_TOO_MANY: u32 = 2;
/// `datapoints_to_alarm` is zero.
pub const LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ZERO: u32 = 3;
/// `datapoints_to_alarm` is above `evaluation_periods`.
pub const LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ABOVE_EVALUATION_PERIODS: u32 = 4;
/// `period_s` is not 10 or 30 nor a positive multiple of 60.
pub const LSIM_ALARM_ERROR_INVALID_PERIOD: u32 = 5;
/// `threshold` is NaN or infinite.
pub const LSIM_ALARM_ERROR_THRESHOLD_NOT_FINITE: u32 = 6;
/// `statistic` is a percentile of a metric that is not a distribution.
pub const LSIM_ALARM_ERROR_PERCENTILE_OF_NON_DISTRIBUTION: u32 = 7;
/// `comparison` is not an `LSIM_COMPARISON_*` code (or name).
pub const LSIM_ALARM_ERROR_UNKNOWN_COMPARISON_OPERATOR: u32 = 8;
/// `treat_missing_data` is not an `LSIM_TREAT_MISSING_*` code (or name).
pub const LSIM_ALARM_ERROR_UNKNOWN_TREAT_MISSING_DATA: u32 = 9;
/// `initial_state` is not an `LSIM_ALARM_STATE_*` code (or name).
pub const LSIM_ALARM_ERROR_UNKNOWN_STATE: u32 = 10;
/// `metric` is not below `LSIM_METRIC_COUNT` (or not a metric's name).
pub const LSIM_ALARM_ERROR_UNKNOWN_METRIC: u32 = 11;
/// `statistic` is not an `LSIM_STATISTIC_*` code (or name).
pub const LSIM_ALARM_ERROR_UNKNOWN_STATISTIC: u32 = 12;
/// `percentile_hundredths` is above 10 000 (or the name has more than two decimals).
pub const LSIM_ALARM_ERROR_PERCENTILE_OUT_OF_RANGE: u32 = 13;
/// `has_function` is 1 for a metric that exists region-wide only.
pub const LSIM_ALARM_ERROR_REGION_ONLY_METRIC: u32 = 14;

/// Every alarm error code's name, as the alarm vectors spell it (the core's variant names).
const ALARM_ERROR_NAMES: [&CStr; 15] = [
    c"None",
    c"EvaluationPeriodsZero",
    c"EvaluationPeriodsTooMany",
    c"DatapointsToAlarmZero",
    c"DatapointsToAlarmAboveEvaluationPeriods",
    c"InvalidPeriod",
    c"ThresholdNotFinite",
    c"PercentileOfNonDistribution",
    c"UnknownComparisonOperator",
    c"UnknownTreatMissingData",
    c"UnknownState",
    c"UnknownMetric",
    c"UnknownStatistic",
    c"PercentileOutOfRange",
    c"RegionOnlyMetric",
];

const _: () = assert!(LSIM_METRIC_COUNT as usize == METRIC_COUNT);

// ---- structs ------------------------------------------------------------------------

/// An alarm's definition, with CloudWatch's fields. Fill with
/// `lsim_alarm_config_default` (the notes' alarm: `Throttles` Sum > 0 over
/// one period of 60 s, region-wide), then change fields.
///
/// `struct_size` must equal `sizeof(lsim_alarm_config)`; any other value is
/// `LSIM_STATUS_INVALID_ARGUMENT`. Unlike the other config structs it holds
/// a double (`threshold`); every bit pattern is still a valid value.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct lsim_alarm_config {
    /// `sizeof(lsim_alarm_config)`.
    pub struct_size: u32,
    /// The metric watched, below `LSIM_METRIC_COUNT`. Default `LSIM_METRIC_THROTTLES`.
    pub metric: u32,
    /// 1: the `FunctionName` dimension, function `function_index`; 0
    /// (default): region-wide, and `function_index` is ignored.
    pub has_function: u32,
    /// The function's index, when `has_function` is 1. `lsim_alarm_evaluate`
    /// takes its values from the caller, so the dimension only decides
    /// whether the metric may be used (`LSIM_ALARM_ERROR_REGION_ONLY_METRIC`).
    pub function_index: u32,
    /// `LSIM_STATISTIC_*`. Default `LSIM_STATISTIC_SUM`.
    pub statistic: u32,
    /// With `LSIM_STATISTIC_PERCENTILE`: the percentile in hundredths,
    /// 0..=10 000 (9990 = p99.9). Ignored otherwise. Default 0.
    pub percentile_hundredths: u32,
    /// The period, in seconds: 10, 30 or a positive multiple of 60. Default 60.
    pub period_s: u32,
    /// `LSIM_COMPARISON_*`. Default `LSIM_COMPARISON_GREATER_THAN_THRESHOLD`.
    pub comparison: u32,
    /// The threshold, finite, in the metric's stored unit (us for
    /// durations, parts per million for utilization). Default 0.
    pub threshold: f64,
    /// N: how many of the latest periods are evaluated, 1..=1440 (and N
    /// periods at most a day, or 7 days for periods of an hour or more). Default 1.
    pub evaluation_periods: u32,
    /// M: how many of those N must breach, 1..=N (not necessarily
    /// consecutive). Default 1.
    pub datapoints_to_alarm: u32,
    /// `LSIM_TREAT_MISSING_*`. Default `LSIM_TREAT_MISSING_MISSING`.
    pub treat_missing_data: u32,
    /// `LSIM_ALARM_STATE_*`: the state before the first evaluation (as
    /// CloudWatch's `SetAlarmState` would set it). Default
    /// `LSIM_ALARM_STATE_INSUFFICIENT_DATA`, a new alarm's.
    pub initial_state: u32,
}

/// A state change of an alarm.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_alarm_transition {
    /// When: the end of the period whose evaluation changed the state, in us.
    pub time_us: u64,
    /// `LSIM_ALARM_STATE_*` before.
    pub from: u32,
    /// `LSIM_ALARM_STATE_*` after.
    pub to: u32,
}

impl lsim_alarm_config {
    /// The defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        lsim_alarm_config {
            struct_size: size_of::<Self>() as u32,
            metric: LSIM_METRIC_THROTTLES,
            has_function: 0,
            function_index: 0,
            statistic: LSIM_STATISTIC_SUM,
            percentile_hundredths: 0,
            period_s: 60,
            comparison: LSIM_COMPARISON_GREATER_THAN_THRESHOLD,
            threshold: 0.0,
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            treat_missing_data: LSIM_TREAT_MISSING_MISSING,
            initial_state: LSIM_ALARM_STATE_INSUFFICIENT_DATA,
        }
    }

    /// The core's definition and initial state, or the first bad field.
    /// Fields are checked in the order the core validates them, after the
    /// codes (so a definition with an unknown code never reaches it).
    fn to_core(self) -> Result<(AlarmConfig, AlarmState), AlarmError> {
        let metric = metric_of(self.metric).ok_or(AlarmError::Metric(MetricError::UnknownMetric))?;
        let statistic = statistic_of(self.statistic, self.percentile_hundredths)?;
        let comparison = comparison_of(self.comparison).ok_or(AlarmError::UnknownComparisonOperator)?;
        let treat_missing_data = treat_of(self.treat_missing_data).ok_or(AlarmError::UnknownTreatMissingData)?;
        let initial = state_of(self.initial_state).ok_or(AlarmError::UnknownState)?;
        let config = AlarmConfig {
            metric,
            function: (self.has_function == 1).then_some(self.function_index),
            statistic,
            period: Duration::from_secs(u64::from(self.period_s)),
            threshold: self.threshold,
            comparison,
            evaluation_periods: self.evaluation_periods,
            datapoints_to_alarm: self.datapoints_to_alarm,
            treat_missing_data,
        };
        config.validate()?;
        Ok((config, initial))
    }
}

// ---- conversions ----------------------------------------------------------------------

pub(crate) fn metric_of(code: u32) -> Option<Metric> {
    Metric::ALL.get(usize::try_from(code).ok()?).copied()
}

pub(crate) fn statistic_of(code: u32, hundredths: u32) -> Result<Statistic, AlarmError> {
    Ok(match code {
        LSIM_STATISTIC_SAMPLE_COUNT => Statistic::SampleCount,
        LSIM_STATISTIC_SUM => Statistic::Sum,
        LSIM_STATISTIC_AVERAGE => Statistic::Average,
        LSIM_STATISTIC_MINIMUM => Statistic::Minimum,
        LSIM_STATISTIC_MAXIMUM => Statistic::Maximum,
        LSIM_STATISTIC_PERCENTILE => {
            let h = u16::try_from(hundredths).map_err(|_| MetricError::PercentileOutOfRange)?;
            Statistic::Percentile(Percentile::from_hundredths(h)?)
        }
        _ => return Err(AlarmError::Metric(MetricError::UnknownStatistic)),
    })
}

/// The C code and percentile of a statistic.
pub(crate) fn statistic_code(s: Statistic) -> (u32, u32) {
    match s {
        Statistic::SampleCount => (LSIM_STATISTIC_SAMPLE_COUNT, 0),
        Statistic::Sum => (LSIM_STATISTIC_SUM, 0),
        Statistic::Average => (LSIM_STATISTIC_AVERAGE, 0),
        Statistic::Minimum => (LSIM_STATISTIC_MINIMUM, 0),
        Statistic::Maximum => (LSIM_STATISTIC_MAXIMUM, 0),
        Statistic::Percentile(p) => (LSIM_STATISTIC_PERCENTILE, u32::from(p.hundredths())),
    }
}

pub(crate) const COMPARISONS: [(u32, ComparisonOperator); 4] = [
    (LSIM_COMPARISON_GREATER_THAN_THRESHOLD, ComparisonOperator::GreaterThanThreshold),
    (LSIM_COMPARISON_GREATER_THAN_OR_EQUAL_TO_THRESHOLD, ComparisonOperator::GreaterThanOrEqualToThreshold),
    (LSIM_COMPARISON_LESS_THAN_THRESHOLD, ComparisonOperator::LessThanThreshold),
    (LSIM_COMPARISON_LESS_THAN_OR_EQUAL_TO_THRESHOLD, ComparisonOperator::LessThanOrEqualToThreshold),
];

pub(crate) const TREATMENTS: [(u32, TreatMissingData); 4] = [
    (LSIM_TREAT_MISSING_MISSING, TreatMissingData::Missing),
    (LSIM_TREAT_MISSING_NOT_BREACHING, TreatMissingData::NotBreaching),
    (LSIM_TREAT_MISSING_BREACHING, TreatMissingData::Breaching),
    (LSIM_TREAT_MISSING_IGNORE, TreatMissingData::Ignore),
];

pub(crate) const STATES: [(u32, AlarmState); 3] = [
    (LSIM_ALARM_STATE_OK, AlarmState::Ok),
    (LSIM_ALARM_STATE_ALARM, AlarmState::Alarm),
    (LSIM_ALARM_STATE_INSUFFICIENT_DATA, AlarmState::InsufficientData),
];

pub(crate) fn comparison_of(code: u32) -> Option<ComparisonOperator> {
    COMPARISONS.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

pub(crate) fn treat_of(code: u32) -> Option<TreatMissingData> {
    TREATMENTS.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

pub(crate) fn state_of(code: u32) -> Option<AlarmState> {
    STATES.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

fn state_code(s: AlarmState) -> u32 {
    STATES.iter().find(|(_, v)| *v == s).map_or(LSIM_ALARM_STATE_INSUFFICIENT_DATA, |(c, _)| *c)
}

/// The `LSIM_ALARM_ERROR_*` code of a refusal (`None`: one this ABI version
/// does not know, reported as `LSIM_STATUS_INTERNAL`).
fn error_code(e: AlarmError) -> Option<u32> {
    Some(match e {
        AlarmError::EvaluationPeriodsZero => LSIM_ALARM_ERROR_EVALUATION_PERIODS_ZERO,
        AlarmError::EvaluationPeriodsTooMany => LSIM_ALARM_ERROR_EVALUATION_PERIODS_TOO_MANY,
        AlarmError::DatapointsToAlarmZero => LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ZERO,
        AlarmError::DatapointsToAlarmAboveEvaluationPeriods => {
            LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ABOVE_EVALUATION_PERIODS
        }
        AlarmError::InvalidPeriod => LSIM_ALARM_ERROR_INVALID_PERIOD,
        AlarmError::ThresholdNotFinite => LSIM_ALARM_ERROR_THRESHOLD_NOT_FINITE,
        AlarmError::PercentileOfNonDistribution => LSIM_ALARM_ERROR_PERCENTILE_OF_NON_DISTRIBUTION,
        AlarmError::UnknownComparisonOperator => LSIM_ALARM_ERROR_UNKNOWN_COMPARISON_OPERATOR,
        AlarmError::UnknownTreatMissingData => LSIM_ALARM_ERROR_UNKNOWN_TREAT_MISSING_DATA,
        AlarmError::UnknownState => LSIM_ALARM_ERROR_UNKNOWN_STATE,
        AlarmError::Metric(MetricError::UnknownMetric) => LSIM_ALARM_ERROR_UNKNOWN_METRIC,
        AlarmError::Metric(MetricError::UnknownStatistic) => LSIM_ALARM_ERROR_UNKNOWN_STATISTIC,
        AlarmError::Metric(MetricError::PercentileOutOfRange) => LSIM_ALARM_ERROR_PERCENTILE_OUT_OF_RANGE,
        AlarmError::Metric(MetricError::RegionOnlyMetric) => LSIM_ALARM_ERROR_REGION_ONLY_METRIC,
        _ => return None,
    })
}

impl From<AlarmError> for lsim_status {
    /// An unknown code is `LSIM_STATUS_INVALID_ARGUMENT`, as everywhere in
    /// the ABI; a known code with a value out of range (or a combination
    /// CloudWatch refuses) is `LSIM_STATUS_INVALID_SETTING`.
    fn from(e: AlarmError) -> Self {
        match error_code(e) {
            Some(
                LSIM_ALARM_ERROR_UNKNOWN_COMPARISON_OPERATOR
                | LSIM_ALARM_ERROR_UNKNOWN_TREAT_MISSING_DATA
                | LSIM_ALARM_ERROR_UNKNOWN_STATE
                | LSIM_ALARM_ERROR_UNKNOWN_METRIC
                | LSIM_ALARM_ERROR_UNKNOWN_STATISTIC,
            ) => lsim_status::InvalidArgument,
            Some(_) => lsim_status::InvalidSetting,
            None => lsim_status::Internal,
        }
    }
}

impl From<MetricError> for lsim_status {
    /// As `AlarmError::Metric`.
    fn from(e: MetricError) -> Self {
        lsim_status::from(AlarmError::Metric(e))
    }
}

/// Reads a caller's config: `struct_size`, then the `has_function` flag.
///
/// # Safety
/// As [`read_config`].
unsafe fn read_alarm_config(config: *const lsim_alarm_config) -> Result<lsim_alarm_config, lsim_status> {
    // SAFETY: per the caller's contract.
    let c = unsafe { read_config(config) }?;
    flag(c.has_function)?;
    Ok(c)
}

// ---- entry points: definition ---------------------------------------------------------

/// Fills `*out` with the default alarm (`Throttles` Sum > 0, region-wide,
/// period 60 s, 1 of 1 periods, missing data `missing`, starting in
/// INSUFFICIENT_DATA) and sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_alarm_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_alarm_config_default(out: *mut lsim_alarm_config) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_alarm_config::defaults()) };
        Ok(())
    })
}

/// Checks an alarm definition and writes why it is refused to `*out_error`:
/// `LSIM_ALARM_ERROR_NONE` when `lsim_alarm_evaluate` would accept it, else
/// the first bad field's `LSIM_ALARM_ERROR_*` code (name it with
/// `lsim_alarm_error_str`). Codes are checked first (metric, statistic and
/// percentile, comparison, treatment, initial state), then the values
/// (period, evaluation periods, datapoints to alarm, threshold, percentile
/// of a non-distribution, region-only metric).
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` for a bad
/// `struct_size` or `has_function` not 0/1 (no alarm error describes those).
///
/// # Safety
/// `config` is NULL or points to a readable `lsim_alarm_config` (at least
/// its `struct_size`, and as many bytes as it says); `out_error` is NULL or
/// valid for writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_alarm_config_check(config: *const lsim_alarm_config, out_error: *mut u32) -> lsim_status {
    guard(|| {
        non_null(config)?;
        non_null(out_error)?;
        // SAFETY: non-null, readable per the contract.
        let c = unsafe { read_alarm_config(config) }?;
        let code = match c.to_core() {
            Ok(_) => LSIM_ALARM_ERROR_NONE,
            Err(e) => error_code(e).ok_or(lsim_status::Internal)?,
        };
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out_error, code) };
        Ok(())
    })
}

/// The name of an alarm error code, as the core and the alarm vectors spell
/// it ("DatapointsToAlarmAboveEvaluationPeriods", ...; "None" for
/// `LSIM_ALARM_ERROR_NONE`, "unknown" for an unknown code). Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_alarm_error_str(code: u32) -> *const c_char {
    let name = usize::try_from(code).ok().and_then(|i| ALARM_ERROR_NAMES.get(i)).copied();
    name.unwrap_or(c"unknown").as_ptr()
}

// ---- entry points: evaluation ----------------------------------------------------------

/// Evaluates an alarm over consecutive periods, as CloudWatch does at the
/// end of each (docs/model.md §7.2: M of the latest N datapoints, looking at
/// N + 2 periods, missing data treated per `treat_missing_data`), starting
/// from `config->initial_state`.
///
/// Period `i` (from 0) runs from `start_us + i * period` to
/// `start_us + (i + 1) * period` (saturating) and is evaluated at its end.
/// Its value is `values[i]`; it is missing when `present` is non-NULL and
/// `present[i]` is 0, or when `values[i]` is NaN (`present` may be NULL:
/// then only NaN marks a missing period). A missing period is not a zero.
///
/// Every state change is written to `out[0..*out_len]` in order (at most
/// one per period), and the state after the last period to `*out_state`
/// (`config->initial_state` when `count` is 0). When `out_cap` is smaller
/// than the number of changes the call returns
/// `LSIM_STATUS_BUFFER_TOO_SMALL` with that number in `*out_len` and writes
/// nothing else; `out` may then be NULL (a size query; `count` always
/// suffices). O(`count` x (N + 2)); no state is kept between calls.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` (`values` may be NULL only when `count` is 0);
/// `LSIM_STATUS_INVALID_ARGUMENT` (bad `struct_size`, an unknown code,
/// `has_function` or a `present` byte not 0/1);
/// `LSIM_STATUS_INVALID_SETTING` (a value CloudWatch refuses:
/// `lsim_alarm_config_check` says which); `LSIM_STATUS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `config` as for `lsim_alarm_config_check`; `values` (and `present`, when
/// non-NULL) point to `count` readable elements; `out` is NULL or valid for
/// writes of `out_cap` transitions; `out_len` and `out_state` are NULL or
/// valid for writes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn lsim_alarm_evaluate(
    config: *const lsim_alarm_config,
    start_us: u64,
    values: *const f64,
    present: *const u8,
    count: usize,
    out: *mut lsim_alarm_transition,
    out_cap: usize,
    out_len: *mut usize,
    out_state: *mut u32,
) -> lsim_status {
    guard(|| {
        non_null(config)?;
        non_null(out_len)?;
        non_null(out_state)?;
        // SAFETY: non-null, readable per the contract.
        let c = unsafe { read_alarm_config(config) }?;
        let (core, initial) = c.to_core()?;
        let alarm = alarm::Alarm::new(core)?;
        // SAFETY: per the contract.
        let periods = unsafe { read_periods(values, present, count) }?;
        let mut transitions = Vec::new();
        let state = run(alarm, initial, Instant::from_micros(start_us), &periods, |t| transitions.push(t));
        if out_cap < transitions.len() {
            // SAFETY: non-null, writable per the contract.
            unsafe { write_out(out_len, transitions.len()) };
            return Err(lsim_status::BufferTooSmall);
        }
        if !transitions.is_empty() {
            non_null(out)?;
        }
        for (i, t) in transitions.iter().enumerate() {
            let t =
                lsim_alarm_transition { time_us: t.time.as_micros(), from: state_code(t.from), to: state_code(t.to) };
            // SAFETY: `out` is non-null and writable for `out_cap` >= `transitions.len()` entries.
            unsafe { write_out(out.add(i), t) };
        }
        // SAFETY: non-null, writable per the contract.
        unsafe {
            write_out(out_len, transitions.len());
            write_out(out_state, state_code(state));
        }
        Ok(())
    })
}

/// The periods' values from C (`None`: missing).
///
/// # Safety
/// `values` and `present` (when non-NULL) point to `count` readable elements.
unsafe fn read_periods(values: *const f64, present: *const u8, count: usize) -> Result<Vec<Option<f64>>, lsim_status> {
    if count == 0 {
        return Ok(Vec::new());
    }
    non_null(values)?;
    // SAFETY: non-null, `count` readable doubles per the contract; read at once.
    let values = unsafe { core::slice::from_raw_parts(values, count) };
    if present.is_null() {
        return Ok(values.iter().map(|v| Some(*v)).collect());
    }
    // SAFETY: non-null, `count` readable bytes per the contract.
    let present = unsafe { core::slice::from_raw_parts(present, count) };
    values.iter().zip(present).map(|(v, p)| Ok(flag(u32::from(*p))?.then_some(*v))).collect()
}

/// Evaluates from `initial` (the core's `evaluate` always starts in
/// INSUFFICIENT_DATA, so the alarm is driven here).
fn run(
    mut alarm: alarm::Alarm,
    initial: AlarmState,
    start: Instant,
    periods: &[Option<f64>],
    mut on_transition: impl FnMut(Transition),
) -> AlarmState {
    alarm.set_state(initial);
    let period = alarm.config().period;
    let mut end = start;
    for v in periods {
        end = end.saturating_add(period);
        if let Some(t) = alarm.push(end, *v) {
            on_transition(t);
        }
    }
    alarm.state()
}
