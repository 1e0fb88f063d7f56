//! The names of metrics, statistics, comparison operators, missing-data
//! treatments and alarm states, both ways (codes to CloudWatch's names and
//! back). Same conventions as [`crate::alarm`].

use crate::alarm::{COMPARISONS, STATES, TREATMENTS, comparison_of, metric_of, state_of, statistic_code, treat_of};
use crate::api::{non_null, write_out};
use crate::registry::guard;
use crate::status::lsim_status;
use core::ffi::{CStr, c_char};
use lambdasim::metrics::alarm::{AlarmState, ComparisonOperator, TreatMissingData};
use lambdasim::metrics::{METRIC_COUNT, Metric, Statistic};

/// A NUL-terminated name from C, as UTF-8 (`LSIM_STATUS_INVALID_ARGUMENT` otherwise).
///
/// # Safety
/// `name` is non-null and points to a NUL-terminated string.
unsafe fn name_str<'a>(name: *const c_char) -> Result<&'a str, lsim_status> {
    // SAFETY: per the caller's contract.
    unsafe { CStr::from_ptr(name) }.to_str().map_err(|_| lsim_status::InvalidArgument)
}

// ---- metrics and statistics ------------------------------------------------------------------

/// The name of a metric code (CloudWatch's, e.g. "Throttles",
/// "ConcurrentExecutions"; lambdasim's own "InitDuration" and
/// "ResponseTime" are not `AWS/Lambda` metrics); "unknown" for a code not
/// below `LSIM_METRIC_COUNT`. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_metric_str(metric: u32) -> *const c_char {
    metric_of(metric).map_or(c"unknown", metric_cstr).as_ptr()
}

fn metric_cstr(m: Metric) -> &'static CStr {
    METRIC_NAMES.get(m as usize).copied().unwrap_or(c"unknown")
}

/// NUL-terminated copies of the core's metric names, by code.
const METRIC_NAMES: [&CStr; METRIC_COUNT] = [
    c"Invocations",
    c"Errors",
    c"Throttles",
    c"Duration",
    c"ConcurrentExecutions",
    c"UnreservedConcurrentExecutions",
    c"ClaimedAccountConcurrency",
    c"ProvisionedConcurrentExecutions",
    c"ProvisionedConcurrencyInvocations",
    c"ProvisionedConcurrencySpilloverInvocations",
    c"ProvisionedConcurrencyUtilization",
    c"DeadLetterErrors",
    c"DestinationDeliveryFailures",
    c"AsyncEventsReceived",
    c"AsyncEventAge",
    c"AsyncEventsDropped",
    c"IteratorAge",
    c"InitDuration",
    c"ResponseTime",
];

/// Writes the code of a metric name (exact, case-sensitive) to `*out`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` for any other
/// name (`LSIM_ALARM_ERROR_UNKNOWN_METRIC`).
///
/// # Safety
/// `name` is NULL or a NUL-terminated string; `out` is NULL or valid for
/// writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_metric_from_name(name: *const c_char, out: *mut u32) -> lsim_status {
    guard(|| {
        non_null(name)?;
        non_null(out)?;
        // SAFETY: non-null and NUL-terminated per the contract.
        let metric = Metric::from_name(unsafe { name_str(name) }?)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, metric as u32) };
        Ok(())
    })
}

/// Parses a statistic as CloudWatch names it: "SampleCount", "Sum",
/// "Average", "Minimum", "Maximum", or a percentile "pNN" with up to two
/// decimals ("p99", "p99.9", "p99.99"). Writes its `LSIM_STATISTIC_*` code
/// to `*out_statistic` and its percentile in hundredths (0 unless a
/// percentile) to `*out_percentile_hundredths`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` for text of
/// another form (`LSIM_ALARM_ERROR_UNKNOWN_STATISTIC`);
/// `LSIM_STATUS_INVALID_SETTING` for a percentile above p100 or with more
/// than two decimals (`LSIM_ALARM_ERROR_PERCENTILE_OUT_OF_RANGE`).
///
/// # Safety
/// `name` is NULL or a NUL-terminated string; the out-pointers are NULL or
/// valid for writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_statistic_from_name(
    name: *const c_char,
    out_statistic: *mut u32,
    out_percentile_hundredths: *mut u32,
) -> lsim_status {
    guard(|| {
        non_null(name)?;
        non_null(out_statistic)?;
        non_null(out_percentile_hundredths)?;
        // SAFETY: non-null and NUL-terminated per the contract.
        let (code, hundredths) = statistic_code(Statistic::parse(unsafe { name_str(name) }?)?);
        // SAFETY: non-null, writable per the contract.
        unsafe {
            write_out(out_statistic, code);
            write_out(out_percentile_hundredths, hundredths);
        }
        Ok(())
    })
}

/// CloudWatch's name of a comparison code ("GreaterThanThreshold", ...);
/// "unknown" for an unknown code. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_comparison_str(comparison: u32) -> *const c_char {
    let name = match comparison_of(comparison) {
        Some(ComparisonOperator::GreaterThanThreshold) => c"GreaterThanThreshold",
        Some(ComparisonOperator::GreaterThanOrEqualToThreshold) => c"GreaterThanOrEqualToThreshold",
        Some(ComparisonOperator::LessThanThreshold) => c"LessThanThreshold",
        Some(ComparisonOperator::LessThanOrEqualToThreshold) => c"LessThanOrEqualToThreshold",
        None => c"unknown",
    };
    name.as_ptr()
}

/// CloudWatch's name of a missing-data treatment code ("missing",
/// "notBreaching", "breaching", "ignore"); "unknown" for an unknown code.
/// Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_treat_missing_str(treat_missing_data: u32) -> *const c_char {
    let name = match treat_of(treat_missing_data) {
        Some(TreatMissingData::Missing) => c"missing",
        Some(TreatMissingData::NotBreaching) => c"notBreaching",
        Some(TreatMissingData::Breaching) => c"breaching",
        Some(TreatMissingData::Ignore) => c"ignore",
        None => c"unknown",
    };
    name.as_ptr()
}

/// CloudWatch's name of an alarm state code ("OK", "ALARM",
/// "INSUFFICIENT_DATA"); "unknown" for an unknown code. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_alarm_state_str(state: u32) -> *const c_char {
    let name = match state_of(state) {
        Some(AlarmState::Ok) => c"OK",
        Some(AlarmState::Alarm) => c"ALARM",
        Some(AlarmState::InsufficientData) => c"INSUFFICIENT_DATA",
        None => c"unknown",
    };
    name.as_ptr()
}

/// Parses one of a code table's names (exact, case-sensitive) into `*out`.
///
/// # Safety
/// As the `*_from_name` entry points.
unsafe fn code_from_name<T: Copy>(
    name: *const c_char,
    out: *mut u32,
    table: &[(u32, T)],
    name_of: impl Fn(T) -> &'static str,
) -> lsim_status {
    guard(|| {
        non_null(name)?;
        non_null(out)?;
        // SAFETY: non-null and NUL-terminated per the contract.
        let name = unsafe { name_str(name) }?;
        let code = table.iter().find(|(_, v)| name_of(*v) == name).ok_or(lsim_status::InvalidArgument)?.0;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, code) };
        Ok(())
    })
}

/// Writes the code of a comparison operator's CloudWatch name
/// ("GreaterThanThreshold", ...) to `*out`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` for any other
/// name (`LSIM_ALARM_ERROR_UNKNOWN_COMPARISON_OPERATOR`).
///
/// # Safety
/// `name` is NULL or a NUL-terminated string; `out` is NULL or valid for
/// writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_comparison_from_name(name: *const c_char, out: *mut u32) -> lsim_status {
    // SAFETY: per the contract.
    unsafe { code_from_name(name, out, &COMPARISONS, ComparisonOperator::as_str) }
}

/// Writes the code of a missing-data treatment's CloudWatch name
/// ("missing", "notBreaching", "breaching", "ignore") to `*out`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` for any other
/// name (`LSIM_ALARM_ERROR_UNKNOWN_TREAT_MISSING_DATA`).
///
/// # Safety
/// As `lsim_comparison_from_name`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_treat_missing_from_name(name: *const c_char, out: *mut u32) -> lsim_status {
    // SAFETY: per the contract.
    unsafe { code_from_name(name, out, &TREATMENTS, TreatMissingData::as_str) }
}

/// Writes the code of an alarm state's name ("OK", "ALARM",
/// "INSUFFICIENT_DATA") to `*out`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` for any other
/// name (`LSIM_ALARM_ERROR_UNKNOWN_STATE`).
///
/// # Safety
/// As `lsim_comparison_from_name`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_alarm_state_from_name(name: *const c_char, out: *mut u32) -> lsim_status {
    // SAFETY: per the contract.
    unsafe { code_from_name(name, out, &STATES, AlarmState::as_str) }
}
