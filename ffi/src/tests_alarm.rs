//! Unit tests of the alarm entry points, calling them as C would, and every
//! alarm vector (`tests/vectors/alarms/*.json`) run through the C ABI.

use super::*;
use core::ffi::{CStr, c_char};
use serde_json::Value;
use std::ffi::CString;
use std::ptr::{null, null_mut};

type S = lsim_status;

fn cstr(p: *const c_char) -> &'static str {
    assert!(!p.is_null());
    // SAFETY: every string getter returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

fn config() -> lsim_alarm_config {
    let mut c = lsim_alarm_config { struct_size: 0, threshold: f64::NAN, ..lsim_alarm_config::defaults() };
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_alarm_config_default(&mut c) }, S::Ok);
    c
}

/// Transitions and final state, or the status (then nothing was written).
fn evaluate(
    c: &lsim_alarm_config,
    start_us: u64,
    values: &[Option<f64>],
) -> Result<(Vec<lsim_alarm_transition>, u32), S> {
    let v: Vec<f64> = values.iter().map(|v| v.unwrap_or(0.0)).collect();
    let p: Vec<u8> = values.iter().map(|v| u8::from(v.is_some())).collect();
    let mut out = vec![lsim_alarm_transition::default(); values.len()];
    let (mut len, mut state) = (usize::MAX, u32::MAX);
    let vp = if v.is_empty() { null() } else { v.as_ptr() };
    // SAFETY: the slices are valid for their lengths; valid out-pointers.
    let s = unsafe {
        lsim_alarm_evaluate(c, start_us, vp, p.as_ptr(), v.len(), out.as_mut_ptr(), out.len(), &mut len, &mut state)
    };
    if s != S::Ok {
        assert_eq!((len, state), (usize::MAX, u32::MAX), "out written on error");
        return Err(s);
    }
    out.truncate(len);
    Ok((out, state))
}

fn check(c: &lsim_alarm_config) -> u32 {
    let mut e = u32::MAX;
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_alarm_config_check(c, &mut e) }, S::Ok);
    e
}

fn t(time_s: u64, from: u32, to: u32) -> lsim_alarm_transition {
    lsim_alarm_transition { time_us: time_s * 1_000_000, from, to }
}

const OK: u32 = LSIM_ALARM_STATE_OK;
const ALARM: u32 = LSIM_ALARM_STATE_ALARM;
const INSUFFICIENT: u32 = LSIM_ALARM_STATE_INSUFFICIENT_DATA;

#[test]
fn the_default_is_the_notes_throttles_alarm() {
    let c = config();
    assert_eq!(c, lsim_alarm_config::defaults());
    assert_eq!(c.struct_size as usize, size_of::<lsim_alarm_config>());
    // The layouts bindings/c/header_check.c, Go and Node (koffi) rely on.
    assert_eq!((size_of::<lsim_alarm_config>(), size_of::<lsim_alarm_transition>()), (56, 16));
    assert_eq!((c.metric, c.statistic, c.threshold, c.comparison), (LSIM_METRIC_THROTTLES, LSIM_STATISTIC_SUM, 0.0, 0));
    assert_eq!(check(&c), LSIM_ALARM_ERROR_NONE);
    // Throttles at minutes 2 and 3, then none: missing is not zero.
    let (got, state) = evaluate(&c, 0, &[Some(0.0), Some(3.0), Some(1.0), None, Some(0.0)]).unwrap();
    assert_eq!(got, vec![t(60, INSUFFICIENT, OK), t(120, OK, ALARM), t(300, ALARM, OK)]);
    assert_eq!(state, OK);
    // SAFETY: NULL is checked first.
    assert_eq!(unsafe { lsim_alarm_config_default(null_mut()) }, S::NullPointer);
}

#[test]
fn start_time_initial_state_and_nan_values() {
    let mut c = config();
    c.initial_state = ALARM;
    c.period_s = 300;
    c.treat_missing_data = LSIM_TREAT_MISSING_IGNORE;
    // NaN with present = 1 is missing too (ignored: the state is kept); a
    // count of 0 keeps the initial state.
    let (got, state) = evaluate(&c, 1_000, &[Some(f64::NAN), Some(0.0)]).unwrap();
    assert_eq!(got, vec![lsim_alarm_transition { time_us: 1_000 + 600_000_000, from: ALARM, to: OK }]);
    assert_eq!(state, OK);
    assert_eq!(evaluate(&c, 0, &[]).unwrap(), (vec![], ALARM));
    // `present` NULL: every value is present unless NaN.
    let values = [1.0, f64::NAN];
    let mut out = [lsim_alarm_transition::default(); 2];
    let (mut len, mut st) = (0usize, 0u32);
    // SAFETY: valid pointers and lengths.
    let s = unsafe { lsim_alarm_evaluate(&c, 0, values.as_ptr(), null(), 2, out.as_mut_ptr(), 2, &mut len, &mut st) };
    assert_eq!((s, len, st), (S::Ok, 0, ALARM));
    c.initial_state = INSUFFICIENT;
    // SAFETY: as above.
    let s = unsafe { lsim_alarm_evaluate(&c, 0, values.as_ptr(), null(), 2, out.as_mut_ptr(), 2, &mut len, &mut st) };
    assert_eq!((s, len, st), (S::Ok, 1, ALARM));
    assert_eq!(out[0], t(300, INSUFFICIENT, ALARM));
}

#[test]
fn null_pointers() {
    let c = config();
    let (mut len, mut st, mut e) = (0usize, 0u32, 0u32);
    let v = [1.0];
    let mut out = [lsim_alarm_transition::default(); 1];
    // SAFETY: every non-NULL pointer is valid; NULLs are checked first.
    unsafe {
        assert_eq!(
            lsim_alarm_evaluate(null(), 0, v.as_ptr(), null(), 1, out.as_mut_ptr(), 1, &mut len, &mut st),
            S::NullPointer
        );
        assert_eq!(
            lsim_alarm_evaluate(&c, 0, v.as_ptr(), null(), 1, out.as_mut_ptr(), 1, null_mut(), &mut st),
            S::NullPointer
        );
        assert_eq!(
            lsim_alarm_evaluate(&c, 0, v.as_ptr(), null(), 1, out.as_mut_ptr(), 1, &mut len, null_mut()),
            S::NullPointer
        );
        assert_eq!(
            lsim_alarm_evaluate(&c, 0, null(), null(), 1, out.as_mut_ptr(), 1, &mut len, &mut st),
            S::NullPointer
        );
        // A transition to write and no buffer, though the capacity says 1.
        assert_eq!(lsim_alarm_evaluate(&c, 0, v.as_ptr(), null(), 1, null_mut(), 1, &mut len, &mut st), S::NullPointer);
        assert_eq!(lsim_alarm_config_check(null(), &mut e), S::NullPointer);
        assert_eq!(lsim_alarm_config_check(&c, null_mut()), S::NullPointer);
        assert_eq!(lsim_metric_from_name(null(), &mut e), S::NullPointer);
        assert_eq!(lsim_metric_from_name(c"Errors".as_ptr(), null_mut()), S::NullPointer);
        assert_eq!(lsim_statistic_from_name(null(), &mut e, &mut st), S::NullPointer);
        assert_eq!(lsim_statistic_from_name(c"Sum".as_ptr(), null_mut(), &mut st), S::NullPointer);
        assert_eq!(lsim_statistic_from_name(c"Sum".as_ptr(), &mut e, null_mut()), S::NullPointer);
        assert_eq!(lsim_comparison_from_name(null(), &mut e), S::NullPointer);
        assert_eq!(lsim_treat_missing_from_name(c"ignore".as_ptr(), null_mut()), S::NullPointer);
        assert_eq!(lsim_alarm_state_from_name(null(), &mut e), S::NullPointer);
    }
    // Nothing to write: `values` and `out` may be NULL.
    // SAFETY: count 0, capacity 0.
    let s = unsafe { lsim_alarm_evaluate(&c, 0, null(), null(), 0, null_mut(), 0, &mut len, &mut st) };
    assert_eq!((s, len, st), (S::Ok, 0, INSUFFICIENT));
}

#[test]
fn bad_struct_size_and_flags() {
    let mut c = config();
    let mut e = 0;
    for size in [0, c.struct_size - 8, c.struct_size + 8, u32::MAX] {
        c.struct_size = size;
        assert_eq!(evaluate(&c, 0, &[Some(1.0)]), Err(S::InvalidArgument), "struct_size {size}");
        // SAFETY: valid pointers.
        assert_eq!(unsafe { lsim_alarm_config_check(&c, &mut e) }, S::InvalidArgument);
    }
    let mut c = config();
    c.has_function = 2;
    assert_eq!(evaluate(&c, 0, &[Some(1.0)]), Err(S::InvalidArgument));
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_alarm_config_check(&c, &mut e) }, S::InvalidArgument);
    // A `present` byte other than 0/1.
    let c = config();
    let (v, p) = ([1.0, 2.0], [1u8, 2]);
    let mut out = [lsim_alarm_transition::default(); 2];
    let (mut len, mut st) = (7usize, 7u32);
    // SAFETY: valid pointers and lengths.
    let s = unsafe { lsim_alarm_evaluate(&c, 0, v.as_ptr(), p.as_ptr(), 2, out.as_mut_ptr(), 2, &mut len, &mut st) };
    assert_eq!((s, len, st), (S::InvalidArgument, 7, 7));
}

#[test]
fn unknown_codes_and_values_out_of_range() {
    type Edit = fn(&mut lsim_alarm_config);
    let cases: [(Edit, S, u32); 16] = [
        (|c| c.metric = LSIM_METRIC_COUNT, S::InvalidArgument, LSIM_ALARM_ERROR_UNKNOWN_METRIC),
        (|c| c.metric = u32::MAX, S::InvalidArgument, LSIM_ALARM_ERROR_UNKNOWN_METRIC),
        (|c| c.statistic = 6, S::InvalidArgument, LSIM_ALARM_ERROR_UNKNOWN_STATISTIC),
        (|c| c.comparison = 4, S::InvalidArgument, LSIM_ALARM_ERROR_UNKNOWN_COMPARISON_OPERATOR),
        (|c| c.treat_missing_data = 4, S::InvalidArgument, LSIM_ALARM_ERROR_UNKNOWN_TREAT_MISSING_DATA),
        (|c| c.initial_state = 3, S::InvalidArgument, LSIM_ALARM_ERROR_UNKNOWN_STATE),
        (
            |c| {
                c.metric = LSIM_METRIC_DURATION;
                c.statistic = LSIM_STATISTIC_PERCENTILE;
                c.percentile_hundredths = 10_001;
            },
            S::InvalidSetting,
            LSIM_ALARM_ERROR_PERCENTILE_OUT_OF_RANGE,
        ),
        (
            |c| {
                c.statistic = LSIM_STATISTIC_PERCENTILE;
                c.percentile_hundredths = 9_900;
            },
            S::InvalidSetting,
            LSIM_ALARM_ERROR_PERCENTILE_OF_NON_DISTRIBUTION,
        ),
        (|c| c.period_s = 45, S::InvalidSetting, LSIM_ALARM_ERROR_INVALID_PERIOD),
        (|c| c.period_s = 0, S::InvalidSetting, LSIM_ALARM_ERROR_INVALID_PERIOD),
        (|c| c.evaluation_periods = 0, S::InvalidSetting, LSIM_ALARM_ERROR_EVALUATION_PERIODS_ZERO),
        (|c| c.evaluation_periods = 1_441, S::InvalidSetting, LSIM_ALARM_ERROR_EVALUATION_PERIODS_TOO_MANY),
        (|c| c.datapoints_to_alarm = 0, S::InvalidSetting, LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ZERO),
        (
            |c| c.datapoints_to_alarm = 2,
            S::InvalidSetting,
            LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ABOVE_EVALUATION_PERIODS,
        ),
        (|c| c.threshold = f64::INFINITY, S::InvalidSetting, LSIM_ALARM_ERROR_THRESHOLD_NOT_FINITE),
        (
            |c| {
                c.metric = LSIM_METRIC_CLAIMED_ACCOUNT_CONCURRENCY;
                c.has_function = 1;
            },
            S::InvalidSetting,
            LSIM_ALARM_ERROR_REGION_ONLY_METRIC,
        ),
    ];
    for (i, (edit, status, error)) in cases.into_iter().enumerate() {
        let mut c = config();
        edit(&mut c);
        assert_eq!(evaluate(&c, 0, &[Some(1.0)]), Err(status), "case {i}");
        assert_eq!(check(&c), error, "case {i}");
    }
    // A percentile of a distribution, per function, is accepted.
    let mut c = config();
    (c.metric, c.statistic, c.percentile_hundredths, c.has_function) =
        (LSIM_METRIC_DURATION, LSIM_STATISTIC_PERCENTILE, 9_990, 1);
    assert_eq!(check(&c), LSIM_ALARM_ERROR_NONE);
}

#[test]
fn buffer_too_small_writes_only_the_length() {
    let mut c = config();
    c.initial_state = OK;
    let v = [1.0, 0.0, 1.0];
    let sentinel = lsim_alarm_transition { time_us: 9, from: 9, to: 9 };
    let mut out = [sentinel; 3];
    let (mut len, mut st) = (0usize, 77u32);
    // SAFETY: valid pointers; capacity 2 of a 3-element buffer.
    let s = unsafe { lsim_alarm_evaluate(&c, 0, v.as_ptr(), null(), 3, out.as_mut_ptr(), 2, &mut len, &mut st) };
    assert_eq!((s, len, st), (S::BufferTooSmall, 3, 77));
    assert_eq!(out, [sentinel; 3]);
    // A size query.
    // SAFETY: `out` NULL with capacity 0.
    let s = unsafe { lsim_alarm_evaluate(&c, 0, v.as_ptr(), null(), 3, null_mut(), 0, &mut len, &mut st) };
    assert_eq!((s, len), (S::BufferTooSmall, 3));
    // SAFETY: valid pointers, enough room.
    let s = unsafe { lsim_alarm_evaluate(&c, 0, v.as_ptr(), null(), 3, out.as_mut_ptr(), 3, &mut len, &mut st) };
    assert_eq!((s, len, st), (S::Ok, 3, ALARM));
    assert_eq!(out, [t(60, OK, ALARM), t(120, ALARM, OK), t(180, OK, ALARM)]);
}

#[test]
fn names_both_ways() {
    use lambdasim::metrics::Metric;
    for (i, m) in Metric::ALL.iter().enumerate() {
        assert_eq!(cstr(lsim_metric_str(i as u32)), m.as_str());
        let name = CString::new(m.as_str()).unwrap();
        let mut code = u32::MAX;
        // SAFETY: valid pointers.
        assert_eq!(unsafe { lsim_metric_from_name(name.as_ptr(), &mut code) }, S::Ok);
        assert_eq!(code, i as u32);
    }
    assert_eq!(cstr(lsim_metric_str(LSIM_METRIC_COUNT)), "unknown");
    assert_eq!(
        cstr(lsim_metric_str(LSIM_METRIC_PROVISIONED_CONCURRENCY_UTILIZATION)),
        "ProvisionedConcurrencyUtilization"
    );
    let strs: [(extern "C" fn(u32) -> *const c_char, unsafe extern "C" fn(*const c_char, *mut u32) -> S, u32); 3] = [
        (lsim_comparison_str, lsim_comparison_from_name, 4),
        (lsim_treat_missing_str, lsim_treat_missing_from_name, 4),
        (lsim_alarm_state_str, lsim_alarm_state_from_name, 3),
    ];
    for (to_str, from_name, count) in strs {
        for code in 0..count {
            let mut back = u32::MAX;
            // SAFETY: a static name; valid out-pointer.
            assert_eq!(unsafe { from_name(to_str(code), &mut back) }, S::Ok);
            assert_eq!(back, code);
        }
        assert_eq!(cstr(to_str(count)), "unknown");
        let mut out = 5;
        // SAFETY: a static name; valid out-pointer.
        assert_eq!(unsafe { from_name(c"unknown".as_ptr(), &mut out) }, S::InvalidArgument);
        assert_eq!(out, 5);
    }
    assert_eq!(
        cstr(lsim_comparison_str(LSIM_COMPARISON_LESS_THAN_OR_EQUAL_TO_THRESHOLD)),
        "LessThanOrEqualToThreshold"
    );
    assert_eq!(cstr(lsim_treat_missing_str(LSIM_TREAT_MISSING_NOT_BREACHING)), "notBreaching");
    assert_eq!(cstr(lsim_alarm_state_str(LSIM_ALARM_STATE_INSUFFICIENT_DATA)), "INSUFFICIENT_DATA");
    let mut out = 0;
    // SAFETY: not UTF-8, but NUL-terminated.
    assert_eq!(unsafe { lsim_metric_from_name(c"\xff".as_ptr(), &mut out) }, S::InvalidArgument);
    // SAFETY: as above.
    assert_eq!(unsafe { lsim_metric_from_name(c"throttles".as_ptr(), &mut out) }, S::InvalidArgument);
}

#[test]
fn statistics_parse() {
    for (text, code, h) in [
        (c"SampleCount", LSIM_STATISTIC_SAMPLE_COUNT, 0),
        (c"Sum", LSIM_STATISTIC_SUM, 0),
        (c"Average", LSIM_STATISTIC_AVERAGE, 0),
        (c"Minimum", LSIM_STATISTIC_MINIMUM, 0),
        (c"Maximum", LSIM_STATISTIC_MAXIMUM, 0),
        (c"p99.9", LSIM_STATISTIC_PERCENTILE, 9_990),
        (c"p100", LSIM_STATISTIC_PERCENTILE, 10_000),
        (c"p0", LSIM_STATISTIC_PERCENTILE, 0),
    ] {
        let (mut s, mut p) = (u32::MAX, u32::MAX);
        // SAFETY: valid pointers.
        assert_eq!(unsafe { lsim_statistic_from_name(text.as_ptr(), &mut s, &mut p) }, S::Ok);
        assert_eq!((s, p), (code, h), "{text:?}");
    }
    for (text, status) in [
        (c"Max", S::InvalidArgument),
        (c"P99", S::InvalidArgument),
        (c"", S::InvalidArgument),
        (c"p99.999", S::InvalidSetting),
        (c"p101", S::InvalidSetting),
    ] {
        let (mut s, mut p) = (7, 7);
        // SAFETY: valid pointers.
        assert_eq!(unsafe { lsim_statistic_from_name(text.as_ptr(), &mut s, &mut p) }, status, "{text:?}");
        assert_eq!((s, p), (7, 7));
    }
}

#[test]
fn alarm_error_names_are_the_core_variants() {
    use lambdasim::metrics::MetricError;
    use lambdasim::metrics::alarm::AlarmError;
    let errors = [
        AlarmError::EvaluationPeriodsZero,
        AlarmError::EvaluationPeriodsTooMany,
        AlarmError::DatapointsToAlarmZero,
        AlarmError::DatapointsToAlarmAboveEvaluationPeriods,
        AlarmError::InvalidPeriod,
        AlarmError::ThresholdNotFinite,
        AlarmError::PercentileOfNonDistribution,
        AlarmError::UnknownComparisonOperator,
        AlarmError::UnknownTreatMissingData,
        AlarmError::UnknownState,
        AlarmError::Metric(MetricError::UnknownMetric),
        AlarmError::Metric(MetricError::UnknownStatistic),
        AlarmError::Metric(MetricError::PercentileOutOfRange),
        AlarmError::Metric(MetricError::RegionOnlyMetric),
    ];
    assert_eq!(cstr(lsim_alarm_error_str(LSIM_ALARM_ERROR_NONE)), "None");
    for (i, e) in errors.iter().enumerate() {
        let code = i as u32 + 1;
        let want = match e {
            AlarmError::Metric(m) => format!("{m:?}"),
            other => format!("{other:?}"),
        };
        assert_eq!(cstr(lsim_alarm_error_str(code)), want);
        assert_ne!(S::from(*e), S::Ok);
    }
    assert_eq!(cstr(lsim_alarm_error_str(errors.len() as u32 + 1)), "unknown");
    assert_eq!(S::from(AlarmError::Metric(MetricError::NoHistogram)), S::Internal);
}

// ---- the vectors, through the C ABI ------------------------------------------------------

/// Parses a name with one of the `*_from_name` entry points; on refusal, the
/// alarm error name the vectors use for it.
fn code_of(parse: unsafe extern "C" fn(*const c_char, *mut u32) -> S, name: &str, error: &str) -> Result<u32, String> {
    let name = CString::new(name).unwrap();
    let mut code = 0;
    // SAFETY: a NUL-terminated string; valid out-pointer.
    match unsafe { parse(name.as_ptr(), &mut code) } {
        S::Ok => Ok(code),
        _ => Err(error.to_owned()),
    }
}

/// The config of a vector case, or the error name of the refused field.
fn vector_config(a: &serde_json::Map<String, Value>) -> Result<lsim_alarm_config, String> {
    let mut c = config();
    let text = |k: &str| a.get(k).and_then(Value::as_str);
    c.metric = code_of(lsim_metric_from_name, text("metric").unwrap_or("Throttles"), "UnknownMetric")?;
    let stat = CString::new(text("statistic").unwrap_or("Sum")).unwrap();
    // SAFETY: a NUL-terminated string; valid out-pointers.
    match unsafe { lsim_statistic_from_name(stat.as_ptr(), &mut c.statistic, &mut c.percentile_hundredths) } {
        S::Ok => {}
        S::InvalidSetting => return Err("PercentileOutOfRange".into()),
        _ => return Err("UnknownStatistic".into()),
    }
    c.comparison = code_of(lsim_comparison_from_name, text("comparison").unwrap(), "UnknownComparisonOperator")?;
    let treat = text("treat_missing_data").unwrap_or("missing");
    c.treat_missing_data = code_of(lsim_treat_missing_from_name, treat, "UnknownTreatMissingData")?;
    let initial = text("initial_state").unwrap_or("INSUFFICIENT_DATA");
    c.initial_state = code_of(lsim_alarm_state_from_name, initial, "UnknownState")?;
    let int = |k: &str| a.get(k).and_then(Value::as_u64);
    c.period_s = int("period_s").unwrap_or(60) as u32;
    c.threshold = a["threshold"].as_i64().unwrap() as f64;
    c.evaluation_periods = int("evaluation_periods").unwrap() as u32;
    c.datapoints_to_alarm = int("datapoints_to_alarm").unwrap() as u32;
    Ok(c)
}

#[test]
fn every_alarm_vector_through_the_c_abi() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/alarms/alarms.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 90);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let c = match vector_config(case["alarm"].as_object().unwrap()) {
            Ok(c) => c,
            Err(e) => {
                assert_eq!(expect["error"].as_str(), Some(e.as_str()), "{name}");
                continue;
            }
        };
        let values: Vec<Option<f64>> =
            case["values"].as_array().unwrap().iter().map(|v| v.as_i64().map(|n| n as f64)).collect();
        match evaluate(&c, 0, &values) {
            Ok((got, state)) => {
                assert_eq!(expect.get("error"), None, "{name}: accepted");
                assert_eq!(cstr(lsim_alarm_state_str(state)), expect["state"].as_str().unwrap(), "{name}");
                let want = expect["transitions"].as_array().unwrap();
                assert_eq!(got.len(), want.len(), "{name}: {got:?}");
                for (g, w) in got.iter().zip(want) {
                    assert_eq!(g.time_us, w["time_s"].as_u64().unwrap() * 1_000_000, "{name}");
                    assert_eq!(cstr(lsim_alarm_state_str(g.from)), w["from"].as_str().unwrap(), "{name}");
                    assert_eq!(cstr(lsim_alarm_state_str(g.to)), w["to"].as_str().unwrap(), "{name}");
                }
            }
            Err(_) => {
                let e = cstr(lsim_alarm_error_str(check(&c)));
                assert_eq!(expect["error"].as_str(), Some(e), "{name}");
            }
        }
    }
}
