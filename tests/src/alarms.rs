//! The alarm-vector runner: parses `tests/vectors/alarms/*.json` (format in
//! `tests/vectors/README.md`, "Alarm vectors") and evaluates every case with
//! [`lambdasim::metrics::alarm::evaluate`], comparing the final state and
//! every transition (time, from, to), or the validation error.
//!
//! The parser is strict like the region runner's: an unknown key, a missing
//! one or a value of the wrong type is an error of the vector.

use crate::vectors::{Failure, Res, Summary, allow_keys, as_obj, opt_str, opt_u32, opt_u64, req_str, req_u32};
use lambdasim::metrics::alarm::{
    self, AlarmConfig, AlarmError, AlarmState, ComparisonOperator, Transition, TreatMissingData,
};
use lambdasim::metrics::{Metric, MetricError, Statistic};
use lambdasim::{Duration, Instant};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The folder of the alarm vectors (`tests/vectors/alarms/`).
pub fn alarm_dir() -> PathBuf {
    crate::vectors::vector_dir().join("alarms")
}

/// Every `*.json` file of [`alarm_dir`], sorted by name.
///
/// # Errors
/// The folder cannot be read.
pub fn alarm_files() -> Result<Vec<PathBuf>, String> {
    let dir = alarm_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads and runs one alarm-vector file.
///
/// # Errors
/// The first failing case (its index in `step`), or a file that cannot be
/// read or parsed.
pub fn run_file(path: &Path) -> Result<Summary, Failure> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let text = std::fs::read_to_string(path).map_err(|e| Failure {
        file: file.clone(),
        step: None,
        message: e.to_string(),
    })?;
    run_str(&file, &text)
}

/// Runs alarm vectors given as JSON text; `file` names it in failures.
///
/// # Errors
/// As [`run_file`].
pub fn run_str(file: &str, text: &str) -> Result<Summary, Failure> {
    let fail = |step: Option<usize>, message: String| Failure { file: file.to_owned(), step, message };
    let value: Value = serde_json::from_str(text).map_err(|e| fail(None, format!("invalid JSON: {e}")))?;
    let top = as_obj(&value, "vector").map_err(|m| fail(None, m))?;
    allow_keys(top, &["name", "spec", "description", "cases"], "vector").map_err(|m| fail(None, m))?;
    let name = req_str(top, "name", "vector").map_err(|m| fail(None, m))?.to_owned();
    let cases = top.get("cases").and_then(Value::as_array).ok_or_else(|| fail(None, "missing `cases` array".into()))?;
    let mut summary = Summary { name, steps: 0, assertions: 0 };
    for (i, case) in cases.iter().enumerate() {
        let checked = run_case(case).map_err(|m| fail(Some(i), m))?;
        summary.steps += 1;
        summary.assertions += checked;
    }
    Ok(summary)
}

/// Runs one case; returns how many values it compared.
fn run_case(case: &Value) -> Res<usize> {
    let c = as_obj(case, "case")?;
    allow_keys(c, &["name", "alarm", "values", "expect"], "case")?;
    let name = req_str(c, "name", "case")?;
    let ctx = format!("case `{name}`");
    let values = parse_values(c.get("values").ok_or_else(|| format!("{ctx}: missing `values`"))?, &ctx)?;
    let expect = as_obj(c.get("expect").ok_or_else(|| format!("{ctx}: missing `expect`"))?, &ctx)?;
    let a = as_obj(c.get("alarm").ok_or_else(|| format!("{ctx}: missing `alarm`"))?, &ctx)?;
    let (config, initial) = match parse_alarm(a, &ctx) {
        Ok(parsed) => parsed,
        Err(Parsed::Refused(e)) => return check_error(expect, &e, &ctx),
        Err(Parsed::Bad(m)) => return Err(m),
    };
    let mut alarm = match alarm::Alarm::new(config) {
        Ok(alarm) => alarm,
        Err(e) => return check_error(expect, &error_name(e), &ctx),
    };
    if let Some(state) = initial {
        alarm.set_state(state);
    }
    let mut transitions = Vec::new();
    let period = config.period;
    let mut end = Instant::ZERO;
    for v in &values {
        end = end.saturating_add(period);
        transitions.extend(alarm.push(end, *v));
    }
    check_run(expect, alarm.state(), &transitions, &ctx)
}

enum Parsed {
    /// The library refused a field (the vector may expect it).
    Refused(String),
    /// The vector itself is malformed.
    Bad(String),
}

fn parse_values(v: &Value, ctx: &str) -> Res<Vec<Option<f64>>> {
    let list = v.as_array().ok_or_else(|| format!("{ctx}: `values` must be an array"))?;
    list.iter()
        .map(|x| match x {
            Value::Null => Ok(None),
            _ => x
                .as_i64()
                .map(|n| Some(n as f64))
                .ok_or_else(|| format!("{ctx}: a value must be an integer or null, found {x}")),
        })
        .collect()
}

fn parse_alarm(a: &Map<String, Value>, ctx: &str) -> Result<(AlarmConfig, Option<AlarmState>), Parsed> {
    let keys = [
        "metric",
        "statistic",
        "period_s",
        "threshold",
        "comparison",
        "evaluation_periods",
        "datapoints_to_alarm",
        "treat_missing_data",
        "initial_state",
    ];
    allow_keys(a, &keys, ctx).map_err(Parsed::Bad)?;
    let metric_error = |e: MetricError| Parsed::Refused(format!("{e:?}"));
    let alarm_error = |e: AlarmError| Parsed::Refused(error_name(e));
    let metric = Metric::from_name(opt_str(a, "metric", ctx).map_err(Parsed::Bad)?.unwrap_or("Throttles"))
        .map_err(metric_error)?;
    let statistic =
        Statistic::parse(opt_str(a, "statistic", ctx).map_err(Parsed::Bad)?.unwrap_or("Sum")).map_err(metric_error)?;
    let period_s = opt_u64(a, "period_s", ctx).map_err(Parsed::Bad)?.unwrap_or(60);
    let threshold = a
        .get("threshold")
        .and_then(Value::as_i64)
        .ok_or_else(|| Parsed::Bad(format!("{ctx}: `threshold` must be an integer")))?;
    let comparison =
        ComparisonOperator::from_name(req_str(a, "comparison", ctx).map_err(Parsed::Bad)?).map_err(alarm_error)?;
    let treat = opt_str(a, "treat_missing_data", ctx)
        .map_err(Parsed::Bad)?
        .map_or(Ok(TreatMissingData::Missing), TreatMissingData::from_name)
        .map_err(alarm_error)?;
    let initial = opt_str(a, "initial_state", ctx)
        .map_err(Parsed::Bad)?
        .map(AlarmState::from_name)
        .transpose()
        .map_err(alarm_error)?;
    let config = AlarmConfig {
        metric,
        function: None,
        statistic,
        period: Duration::from_secs(period_s),
        threshold: threshold as f64,
        comparison,
        evaluation_periods: req_u32(a, "evaluation_periods", ctx).map_err(Parsed::Bad)?,
        datapoints_to_alarm: opt_u32(a, "datapoints_to_alarm", ctx)
            .map_err(Parsed::Bad)?
            .ok_or_else(|| Parsed::Bad(format!("{ctx}: missing `datapoints_to_alarm`")))?,
        treat_missing_data: treat,
    };
    Ok((config, initial))
}

/// The vector name of an error: the variant's name (a store error's own).
fn error_name(e: AlarmError) -> String {
    match e {
        AlarmError::Metric(m) => format!("{m:?}"),
        other => format!("{other:?}"),
    }
}

fn check_error(expect: &Map<String, Value>, got: &str, ctx: &str) -> Res<usize> {
    allow_keys(expect, &["error"], ctx).map_err(|m| format!("{m} (the alarm was refused with {got})"))?;
    let want = req_str(expect, "error", ctx)?;
    if want != got {
        return Err(format!("{ctx}: error: got {got}, expected {want}"));
    }
    Ok(1)
}

fn check_run(expect: &Map<String, Value>, state: AlarmState, got: &[Transition], ctx: &str) -> Res<usize> {
    allow_keys(expect, &["state", "transitions"], ctx)?;
    let want_state = req_str(expect, "state", ctx)?;
    if state.as_str() != want_state {
        return Err(format!("{ctx}: state: got {state}, expected {want_state}"));
    }
    let want = expect
        .get("transitions")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{ctx}: missing `transitions` array"))?;
    if want.len() != got.len() {
        return Err(format!("{ctx}: transitions: got {} ({got:?}), expected {}", got.len(), want.len()));
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        let w = as_obj(w, ctx)?;
        let tctx = format!("{ctx}: transitions[{i}]");
        allow_keys(w, &["time_s", "from", "to"], &tctx)?;
        let time_s = opt_u64(w, "time_s", &tctx)?.ok_or_else(|| format!("{tctx}: missing `time_s`"))?;
        let got_s = g.time.as_micros() / 1_000_000;
        if got_s != time_s || g.from.as_str() != req_str(w, "from", &tctx)? || g.to.as_str() != req_str(w, "to", &tctx)?
        {
            return Err(format!("{tctx}: got {got_s} s {} → {}, expected {w:?}", g.from, g.to));
        }
    }
    Ok(1 + 3 * got.len())
}
