//! CloudWatch metric alarms (docs/model.md §7.2).
//!
//! Sources: "Using Amazon CloudWatch alarms"
//! (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html)
//! and "Configuring how CloudWatch alarms treat missing data"
//! (.../monitoring/alarms-and-missing-data.html).
//!
//! # Evaluation
//! An alarm starts in `INSUFFICIENT_DATA` and is evaluated at the end of
//! every period, on the latest periods' values (a value is *breaching* when
//! `value <op> threshold`; a period without a datapoint is *missing*):
//! 1. CloudWatch looks at an *evaluation range* longer than the N evaluation
//!    periods; AWS's worked example retrieves 5 periods for N = 3, and we use
//!    **N + 2** periods for every N. Periods before the first one evaluated
//!    are missing.
//! 2. If the range holds at least N real datapoints, the newest N of them
//!    decide (older ones and missing ones are skipped): ALARM when at least
//!    M breach, else OK. How missing data is treated does not matter then.
//! 3. Otherwise every real datapoint of the range counts, and the
//!    `N − real` missing ones are filled by the treatment:
//!    - `breaching`: they breach; `notBreaching`: they do not;
//!    - `ignore` and `missing`: they are unknown. ALARM if the real ones
//!      alone reach M; OK if M is out of reach even with every unknown
//!      breaching; otherwise the state is kept (no premature ALARM). With no
//!      real datapoint at all, `ignore` keeps the state and `missing` goes to
//!      `INSUFFICIENT_DATA`.
//!
//! Consequence (as AWS documents): a datapoint keeps counting until it
//! leaves the range, so an alarm on a metric that stopped reporting is
//! re-evaluated on its last datapoints for two more periods.
//!
//! Only state *changes* are reported ([`Transition`]), with the time of the
//! evaluation: the end of the period just evaluated. A NaN value is treated
//! as missing.

use super::{Metric, MetricError, MetricKind, MetricStore, Statistic};
use crate::time::{Duration, Instant};
use core::fmt;

/// Periods looked at beyond the N evaluation periods (the evaluation range
/// is N + 2 periods).
pub const EXTRA_RANGE_PERIODS: u32 = 2;
/// The most evaluation periods an alarm may have (a day of one-minute periods).
pub const MAX_EVALUATION_PERIODS: u32 = 1_440;
const HISTORY_BITS: usize = 1_536;
const HISTORY_WORDS: usize = HISTORY_BITS / 64;

/// How the statistic is compared with the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComparisonOperator {
    /// `value > threshold` breaches.
    GreaterThanThreshold,
    /// `value ≥ threshold` breaches.
    GreaterThanOrEqualToThreshold,
    /// `value < threshold` breaches.
    LessThanThreshold,
    /// `value ≤ threshold` breaches.
    LessThanOrEqualToThreshold,
}

impl ComparisonOperator {
    /// CloudWatch's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ComparisonOperator::GreaterThanThreshold => "GreaterThanThreshold",
            ComparisonOperator::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            ComparisonOperator::LessThanThreshold => "LessThanThreshold",
            ComparisonOperator::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }
    /// The operator of a CloudWatch name.
    ///
    /// # Errors
    /// [`AlarmError::UnknownComparisonOperator`].
    pub fn from_name(name: &str) -> Result<Self, AlarmError> {
        [
            ComparisonOperator::GreaterThanThreshold,
            ComparisonOperator::GreaterThanOrEqualToThreshold,
            ComparisonOperator::LessThanThreshold,
            ComparisonOperator::LessThanOrEqualToThreshold,
        ]
        .into_iter()
        .find(|c| c.as_str() == name)
        .ok_or(AlarmError::UnknownComparisonOperator)
    }
    /// Whether `value` breaches `threshold`.
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            ComparisonOperator::GreaterThanThreshold => value > threshold,
            ComparisonOperator::GreaterThanOrEqualToThreshold => value >= threshold,
            ComparisonOperator::LessThanThreshold => value < threshold,
            ComparisonOperator::LessThanOrEqualToThreshold => value <= threshold,
        }
    }
}

/// How missing datapoints are treated (`TreatMissingData`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TreatMissingData {
    /// `missing` (the default): unknown; all missing ⇒ INSUFFICIENT_DATA.
    #[default]
    Missing,
    /// `notBreaching`: missing datapoints are within the threshold.
    NotBreaching,
    /// `breaching`: missing datapoints breach.
    Breaching,
    /// `ignore`: unknown; all missing ⇒ the state is kept.
    Ignore,
}

impl TreatMissingData {
    /// CloudWatch's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            TreatMissingData::Missing => "missing",
            TreatMissingData::NotBreaching => "notBreaching",
            TreatMissingData::Breaching => "breaching",
            TreatMissingData::Ignore => "ignore",
        }
    }
    /// The treatment of a CloudWatch name.
    ///
    /// # Errors
    /// [`AlarmError::UnknownTreatMissingData`].
    pub fn from_name(name: &str) -> Result<Self, AlarmError> {
        [
            TreatMissingData::Missing,
            TreatMissingData::NotBreaching,
            TreatMissingData::Breaching,
            TreatMissingData::Ignore,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
        .ok_or(AlarmError::UnknownTreatMissingData)
    }
}

/// An alarm's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlarmState {
    /// `OK`: within the threshold.
    Ok,
    /// `ALARM`: breaching.
    Alarm,
    /// `INSUFFICIENT_DATA`: just created, or no data to decide.
    InsufficientData,
}

impl AlarmState {
    /// CloudWatch's name (`OK`, `ALARM`, `INSUFFICIENT_DATA`).
    pub const fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
    /// The state of a CloudWatch name.
    ///
    /// # Errors
    /// [`AlarmError::UnknownState`].
    pub fn from_name(name: &str) -> Result<Self, AlarmError> {
        [AlarmState::Ok, AlarmState::Alarm, AlarmState::InsufficientData]
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or(AlarmError::UnknownState)
    }
}

impl fmt::Display for AlarmState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an alarm definition or evaluation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AlarmError {
    /// `evaluation_periods`: zero.
    EvaluationPeriodsZero,
    /// `evaluation_periods`: above [`MAX_EVALUATION_PERIODS`], or the
    /// periods span more than a day (periods under an hour) or 7 days.
    EvaluationPeriodsTooMany,
    /// `datapoints_to_alarm`: zero.
    DatapointsToAlarmZero,
    /// `datapoints_to_alarm`: above `evaluation_periods`.
    DatapointsToAlarmAboveEvaluationPeriods,
    /// `period`: not 10 or 30 s nor a positive multiple of 60 s.
    InvalidPeriod,
    /// `period`: not a multiple of the metric store's period.
    PeriodNotMultipleOfStorePeriod,
    /// `threshold`: NaN or infinite.
    ThresholdNotFinite,
    /// `statistic`: a percentile of a metric that is not a distribution.
    PercentileOfNonDistribution,
    /// `comparison`: not one of CloudWatch's four operators.
    UnknownComparisonOperator,
    /// `treat_missing_data`: not missing, notBreaching, breaching or ignore.
    UnknownTreatMissingData,
    /// `state`: not OK, ALARM or INSUFFICIENT_DATA.
    UnknownState,
    /// The metric store refused the query (bad `function`, rolled-off period...).
    Metric(MetricError),
}

impl From<MetricError> for AlarmError {
    fn from(e: MetricError) -> Self {
        AlarmError::Metric(e)
    }
}

impl fmt::Display for AlarmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlarmError::EvaluationPeriodsZero => f.write_str("evaluation_periods: must be at least 1"),
            AlarmError::EvaluationPeriodsTooMany => {
                f.write_str("evaluation_periods: above 1440, or periods × evaluation_periods above 1 day (7 days for periods of an hour or more)")
            }
            AlarmError::DatapointsToAlarmZero => f.write_str("datapoints_to_alarm: must be at least 1"),
            AlarmError::DatapointsToAlarmAboveEvaluationPeriods => {
                f.write_str("datapoints_to_alarm: above evaluation_periods")
            }
            AlarmError::InvalidPeriod => f.write_str("period: not 10 or 30 s nor a positive multiple of 60 s"),
            AlarmError::PeriodNotMultipleOfStorePeriod => f.write_str("period: not a multiple of the store's period"),
            AlarmError::ThresholdNotFinite => f.write_str("threshold: NaN or infinite"),
            AlarmError::PercentileOfNonDistribution => f.write_str("statistic: percentile of a metric without samples"),
            AlarmError::UnknownComparisonOperator => f.write_str("comparison: unknown operator"),
            AlarmError::UnknownTreatMissingData => {
                f.write_str("treat_missing_data: not missing, notBreaching, breaching or ignore")
            }
            AlarmError::UnknownState => f.write_str("state: not OK, ALARM or INSUFFICIENT_DATA"),
            AlarmError::Metric(e) => e.fmt(f),
        }
    }
}

/// An alarm's definition, with CloudWatch's fields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlarmConfig {
    /// The metric watched.
    pub metric: Metric,
    /// Its dimension: a function index, or `None` for region-wide.
    pub function: Option<u32>,
    /// The statistic of each period.
    pub statistic: Statistic,
    /// The period.
    pub period: Duration,
    /// The threshold, in the metric's stored unit (µs for durations, parts
    /// per million for utilization).
    pub threshold: f64,
    /// How the statistic is compared with the threshold.
    pub comparison: ComparisonOperator,
    /// N: evaluation periods.
    pub evaluation_periods: u32,
    /// M: datapoints to alarm (M of the latest N, not necessarily consecutive).
    pub datapoints_to_alarm: u32,
    /// How missing datapoints are treated.
    pub treat_missing_data: TreatMissingData,
}

impl AlarmConfig {
    /// Checks the definition.
    ///
    /// # Errors
    /// The first bad field, as an [`AlarmError`].
    pub fn validate(&self) -> Result<(), AlarmError> {
        let period_us = self.period.as_micros();
        let period_s = period_us / 1_000_000;
        if !period_us.is_multiple_of(1_000_000)
            || !(matches!(period_s, 10 | 30) || (period_s > 0 && period_s.is_multiple_of(60)))
        {
            return Err(AlarmError::InvalidPeriod);
        }
        if self.evaluation_periods == 0 {
            return Err(AlarmError::EvaluationPeriodsZero);
        }
        let limit_s: u64 = if period_s >= 3_600 { 7 * 86_400 } else { 86_400 };
        if self.evaluation_periods > MAX_EVALUATION_PERIODS
            || period_s.saturating_mul(u64::from(self.evaluation_periods)) > limit_s
        {
            return Err(AlarmError::EvaluationPeriodsTooMany);
        }
        if self.datapoints_to_alarm == 0 {
            return Err(AlarmError::DatapointsToAlarmZero);
        }
        if self.datapoints_to_alarm > self.evaluation_periods {
            return Err(AlarmError::DatapointsToAlarmAboveEvaluationPeriods);
        }
        if !self.threshold.is_finite() {
            return Err(AlarmError::ThresholdNotFinite);
        }
        if matches!(self.statistic, Statistic::Percentile(_)) && self.metric.kind() != MetricKind::Distribution {
            return Err(AlarmError::PercentileOfNonDistribution);
        }
        if self.function.is_some() && !self.metric.per_function() {
            return Err(AlarmError::Metric(MetricError::RegionOnlyMetric));
        }
        Ok(())
    }
    /// The evaluation range: N + [`EXTRA_RANGE_PERIODS`] periods.
    pub const fn evaluation_range(&self) -> u32 {
        self.evaluation_periods.saturating_add(EXTRA_RANGE_PERIODS)
    }
}

/// A state change of an alarm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Transition {
    /// When it happened: the end of the period evaluated.
    pub time: Instant,
    /// The state before.
    pub from: AlarmState,
    /// The state after.
    pub to: AlarmState,
}

/// An alarm being evaluated period by period. 440 bytes; no heap.
#[derive(Clone, Debug, PartialEq)]
pub struct Alarm {
    config: AlarmConfig,
    state: AlarmState,
    pushed: u64,
    present: [u64; HISTORY_WORDS],
    breaching: [u64; HISTORY_WORDS],
}

impl Alarm {
    /// A new alarm, in `INSUFFICIENT_DATA`.
    ///
    /// # Errors
    /// As [`AlarmConfig::validate`].
    pub fn new(config: AlarmConfig) -> Result<Self, AlarmError> {
        config.validate()?;
        Ok(Alarm {
            config,
            state: AlarmState::InsufficientData,
            pushed: 0,
            present: [0; HISTORY_WORDS],
            breaching: [0; HISTORY_WORDS],
        })
    }
    /// The definition.
    pub const fn config(&self) -> &AlarmConfig {
        &self.config
    }
    /// The current state.
    pub const fn state(&self) -> AlarmState {
        self.state
    }

    /// Adds the value of the next period (`None` or NaN: missing) and
    /// evaluates at `period_end`; returns the state change, if any.
    /// O(evaluation range).
    pub fn push(&mut self, period_end: Instant, value: Option<f64>) -> Option<Transition> {
        self.record(value);
        let next = self.evaluate();
        if next == self.state {
            return None;
        }
        let transition = Transition { time: period_end, from: self.state, to: next };
        self.state = next;
        Some(transition)
    }

    /// Sets the state, as CloudWatch's `SetAlarmState` does: the next
    /// evaluation starts from it (and may change it back).
    pub fn set_state(&mut self, state: AlarmState) {
        self.state = state;
    }

    fn record(&mut self, value: Option<f64>) {
        let value = value.filter(|v| !v.is_nan());
        let breaches = value.is_some_and(|v| self.config.comparison.breaches(v, self.config.threshold));
        let at = usize::try_from(self.pushed % HISTORY_BITS as u64).unwrap_or(0);
        set_bit(&mut self.present, at, value.is_some());
        set_bit(&mut self.breaching, at, breaches);
        self.pushed = self.pushed.saturating_add(1);
    }

    fn evaluate(&self) -> AlarmState {
        let n = u64::from(self.config.evaluation_periods);
        let m = u64::from(self.config.datapoints_to_alarm);
        let range = u64::from(self.config.evaluation_range()).min(self.pushed);
        let (mut real, mut breaching) = (0u64, 0u64);
        for age in 0..range {
            let index = usize::try_from((self.pushed - 1 - age) % HISTORY_BITS as u64).unwrap_or(0);
            if bit(&self.present, index) && real < n {
                real += 1;
                breaching += u64::from(bit(&self.breaching, index));
            }
        }
        let verdict = |alarm: bool| if alarm { AlarmState::Alarm } else { AlarmState::Ok };
        if real >= n {
            return verdict(breaching >= m);
        }
        let fills = n - real;
        match self.config.treat_missing_data {
            TreatMissingData::Breaching => verdict(breaching + fills >= m),
            TreatMissingData::NotBreaching => verdict(breaching >= m),
            TreatMissingData::Ignore if real == 0 => self.state,
            TreatMissingData::Missing if real == 0 => AlarmState::InsufficientData,
            TreatMissingData::Ignore | TreatMissingData::Missing => {
                if breaching >= m {
                    AlarmState::Alarm
                } else if breaching + fills < m {
                    AlarmState::Ok
                } else {
                    self.state
                }
            }
        }
    }
}

fn set_bit(words: &mut [u64; HISTORY_WORDS], at: usize, on: bool) {
    if let Some(w) = words.get_mut(at / 64) {
        let mask = 1u64 << (at % 64);
        if on { *w |= mask } else { *w &= !mask }
    }
}

fn bit(words: &[u64; HISTORY_WORDS], at: usize) -> bool {
    words.get(at / 64).is_some_and(|w| w & (1u64 << (at % 64)) != 0)
}

/// Evaluates an alarm over a sequence of period values (`values[i]` is the
/// value of the period starting at `start + i × period`; `None`: missing),
/// calling `on_transition` for every state change. Returns the final state.
///
/// # Errors
/// As [`AlarmConfig::validate`].
pub fn evaluate(
    config: AlarmConfig,
    start: Instant,
    values: &[Option<f64>],
    mut on_transition: impl FnMut(Transition),
) -> Result<AlarmState, AlarmError> {
    let mut alarm = Alarm::new(config)?;
    let mut end = start;
    for v in values {
        end = end.saturating_add(config.period);
        if let Some(t) = alarm.push(end, *v) {
            on_transition(t);
        }
    }
    Ok(alarm.state())
}

/// Evaluates an alarm on a [`MetricStore`]'s datapoints, for every whole
/// alarm period from the one holding `from` up to `to` and not past the
/// newest period the store reached (alarm periods are aligned on multiples
/// of the period from the epoch, and span `period / store period` store
/// periods). Returns the final state.
///
/// Every period evaluated must still be in the store's rings (and, for a
/// percentile, its histogram ring): to follow a whole run, push each period
/// into an [`Alarm`] as it ends instead.
///
/// # Errors
/// As [`AlarmConfig::validate`]; [`AlarmError::PeriodNotMultipleOfStorePeriod`];
/// [`AlarmError::Metric`] when a period needed has rolled off, or its
/// histogram is not kept (percentiles).
pub fn evaluate_store(
    store: &MetricStore<'_>,
    config: AlarmConfig,
    from: Instant,
    to: Instant,
    mut on_transition: impl FnMut(Transition),
) -> Result<AlarmState, AlarmError> {
    let mut alarm = Alarm::new(config)?;
    let store_us = store.period().as_micros().max(1);
    let alarm_us = config.period.as_micros();
    if !alarm_us.is_multiple_of(store_us) {
        return Err(AlarmError::PeriodNotMultipleOfStorePeriod);
    }
    let k = alarm_us / store_us;
    // Not past the end of the newest period the store reached.
    let reached = store.latest_period().map_or(0, |p| p.saturating_add(1).saturating_mul(store_us));
    let to = to.as_micros().min(reached);
    let first = from.as_micros() / alarm_us.max(1);
    if to < alarm_us {
        return Ok(alarm.state());
    }
    let last = to / alarm_us - 1;
    for j in first..=last {
        let value = store.statistic(config.metric, config.function, config.statistic, j.saturating_mul(k), k)?;
        let end = Instant::from_micros(j.saturating_add(1).saturating_mul(alarm_us));
        if let Some(t) = alarm.push(end, value) {
            on_transition(t);
        }
    }
    Ok(alarm.state())
}

#[cfg(test)]
mod tests;
