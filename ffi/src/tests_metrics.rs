//! The region metric entry points, called as C would: the model's
//! provisioned example, missing datapoints, and every bad input.

use super::*;
use crate::test_support::{create, region};
use std::ptr::{null, null_mut};

type S = lsim_status;

fn metrics_config() -> lsim_metrics_config {
    let mut c = lsim_metrics_config { struct_size: 0, period_s: 0, periods: 0, histogram_periods: 0 };
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_metrics_config_default(&mut c) }, S::Ok);
    c
}

/// A region of 4 function slots with a store attached.
fn region_with_metrics() -> *mut lsim_region {
    let mut r = null_mut();
    let config = lsim_region_config { function_capacity: 4, provisioned_delay_us: 0, ..lsim_region_config::defaults() };
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(lsim_region_new(&config, &mut r), S::Ok);
        assert_eq!(lsim_region_attach_metrics(r, &metrics_config()), S::Ok);
    }
    r
}

fn statistic(r: *mut lsim_region, metric: u32, f: Option<&lsim_function>, statistic: u32, period: u64) -> Option<f64> {
    let (mut value, mut present) = (f64::NAN, 9);
    let f = f.map_or(null(), |f| f as *const lsim_function);
    // SAFETY: valid pointers.
    let s = unsafe { lsim_region_metric_statistic(r, metric, f, statistic, 0, period, 1, &mut value, &mut present) };
    assert_eq!(s, S::Ok);
    (present == 1).then_some(value)
}

#[test]
fn defaults_and_the_provisioned_example() {
    let c = metrics_config();
    assert_eq!(
        (c.struct_size as usize, c.period_s, c.periods, c.histogram_periods),
        (size_of::<lsim_metrics_config>(), 60, 60, 5)
    );
    let r = region_with_metrics();
    let mut fc = lsim_function_config::defaults();
    fc.provisioned = 3;
    fc.timeout_ms = 900_000;
    let mut f = lsim_function::default();
    let mut out = lsim_invoke_result::default();
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(lsim_function_create(r, 0, &fc, &mut f), S::Ok);
        // One request per minute lasting two minutes.
        for minute in 1..=4u64 {
            assert_eq!(lsim_invoke_for(r, minute * 60_000_000, f, 120_000_000, LSIM_OUTCOME_SUCCESS, &mut out), S::Ok);
        }
        assert_eq!(lsim_advance(r, 420_000_000), S::Ok);
    }
    let pc = statistic(r, LSIM_METRIC_PROVISIONED_CONCURRENT_EXECUTIONS, Some(&f), LSIM_STATISTIC_MAXIMUM, 2);
    assert_eq!(pc, Some(2.0));
    assert_eq!(
        statistic(r, LSIM_METRIC_PROVISIONED_CONCURRENCY_INVOCATIONS, Some(&f), LSIM_STATISTIC_SUM, 2),
        Some(1.0)
    );
    assert_eq!(statistic(r, LSIM_METRIC_INVOCATIONS, None, LSIM_STATISTIC_SUM, 2), Some(1.0));
    // Minute 0: no invocation, missing (not zero).
    assert_eq!(statistic(r, LSIM_METRIC_INVOCATIONS, Some(&f), LSIM_STATISTIC_SUM, 0), None);
    // A range: minutes 0..5 of Invocations at once (minute 0 missing).
    let (mut values, mut flags) = ([f64::NAN; 5], [9u8; 5]);
    // SAFETY: valid pointers, 5 slots each.
    let st = unsafe {
        lsim_region_metric_statistics(
            r,
            LSIM_METRIC_INVOCATIONS,
            &f,
            LSIM_STATISTIC_SUM,
            0,
            0,
            5,
            values.as_mut_ptr(),
            flags.as_mut_ptr(),
            5,
        )
    };
    assert_eq!(st, S::Ok);
    assert_eq!(flags, [0, 1, 1, 1, 1]);
    assert_eq!(&values[1..], &[1.0, 1.0, 1.0, 1.0]);
    // SAFETY: as above; a buffer of 4 for 5 periods is refused untouched.
    let st = unsafe {
        lsim_region_metric_statistics(
            r,
            LSIM_METRIC_INVOCATIONS,
            &f,
            LSIM_STATISTIC_SUM,
            0,
            0,
            5,
            values.as_mut_ptr(),
            flags.as_mut_ptr(),
            4,
        )
    };
    assert_eq!(st, S::BufferTooSmall);
    // SAFETY: NULL outs.
    let st = unsafe {
        lsim_region_metric_statistics(
            r,
            LSIM_METRIC_INVOCATIONS,
            &f,
            LSIM_STATISTIC_SUM,
            0,
            0,
            1,
            null_mut(),
            flags.as_mut_ptr(),
            1,
        )
    };
    assert_eq!(st, S::NullPointer);
    let (mut dp, mut present) = (lsim_datapoint::default(), 9);
    let mut latency = lsim_metric_latency::default();
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(lsim_region_metric_datapoint(r, LSIM_METRIC_DURATION, &f, 1, &mut dp, &mut present), S::Ok);
        assert_eq!((present, dp.sample_count, dp.maximum), (1, 1, 120_000_000));
        assert_eq!(lsim_region_metric_latency(r, LSIM_METRIC_DURATION, &f, &mut latency, &mut present), S::Ok);
        assert_eq!((present, latency.sample_count, latency.maximum), (1, 4, 120_000_000));
        assert_eq!(lsim_region_free(r), S::Ok);
    }
}

#[test]
fn bad_inputs_get_a_status() {
    let r = region_with_metrics();
    let f = create(r);
    let plain = region();
    let (mut dp, mut present, mut value) = (lsim_datapoint::default(), 0u32, 0.0f64);
    let mut latency = lsim_metric_latency::default();
    let m = LSIM_METRIC_INVOCATIONS;
    // SAFETY: valid or NULL pointers, as each case says.
    unsafe {
        assert_eq!(lsim_metrics_config_default(null_mut()), S::NullPointer);
        assert_eq!(lsim_region_attach_metrics(null_mut(), &metrics_config()), S::NullPointer);
        assert_eq!(lsim_region_attach_metrics(r, null()), S::NullPointer);
        let bad_size = lsim_metrics_config { struct_size: 3, ..metrics_config() };
        assert_eq!(lsim_region_attach_metrics(r, &bad_size), S::InvalidArgument);
        for bad in [
            lsim_metrics_config { periods: 0, ..metrics_config() },
            lsim_metrics_config { periods: LSIM_METRICS_PERIODS_MAX + 1, ..metrics_config() },
            lsim_metrics_config { histogram_periods: 61, ..metrics_config() },
        ] {
            assert_eq!(lsim_region_attach_metrics(r, &bad), S::InvalidArgument, "{bad:?}");
        }
        let odd_period = lsim_metrics_config { period_s: 45, ..metrics_config() };
        assert_eq!(lsim_region_attach_metrics(r, &odd_period), S::InvalidSetting);
        // No store attached.
        assert_eq!(lsim_region_metric_datapoint(plain, m, null(), 0, &mut dp, &mut present), S::InvalidArgument);
        // NULL outs, unknown metric and statistic, stale and foreign handles.
        assert_eq!(lsim_region_metric_datapoint(r, m, null(), 0, null_mut(), &mut present), S::NullPointer);
        assert_eq!(lsim_region_metric_datapoint(r, m, null(), 0, &mut dp, null_mut()), S::NullPointer);
        assert_eq!(lsim_region_metric_datapoint(r, 99, null(), 0, &mut dp, &mut present), S::InvalidArgument);
        assert_eq!(
            lsim_region_metric_statistic(r, m, null(), 99, 0, 0, 1, &mut value, &mut present),
            S::InvalidArgument
        );
        let p = LSIM_STATISTIC_PERCENTILE;
        assert_eq!(
            lsim_region_metric_statistic(r, m, null(), p, 10_001, 0, 1, &mut value, &mut present),
            S::InvalidSetting
        );
        let foreign = create(plain);
        assert_eq!(lsim_region_metric_datapoint(r, m, &foreign, 0, &mut dp, &mut present), S::UnknownFunction);
        let unclaimed = LSIM_METRIC_CLAIMED_ACCOUNT_CONCURRENCY;
        assert_eq!(lsim_region_metric_datapoint(r, unclaimed, &f, 0, &mut dp, &mut present), S::InvalidSetting);
        assert_eq!(lsim_region_metric_latency(r, m, &f, &mut latency, &mut present), S::InvalidSetting);
        // A period that rolled off the 60-period ring.
        assert_eq!(lsim_advance(r, 3_600_000_000 * 3), S::Ok);
        let mut out = lsim_invoke_result::default();
        assert_eq!(lsim_invoke_for(r, 3_600_000_000 * 3, f, 1_000, LSIM_OUTCOME_SUCCESS, &mut out), S::Ok);
        assert_eq!(lsim_region_metric_datapoint(r, m, &f, 0, &mut dp, &mut present), S::InvalidArgument);
        assert_eq!(lsim_region_free(r), S::Ok);
        // A freed region.
        assert_eq!(lsim_region_metric_datapoint(r, m, null(), 0, &mut dp, &mut present), S::StaleHandle);
        assert_eq!(lsim_region_attach_metrics(r, &metrics_config()), S::StaleHandle);
        assert_eq!(lsim_region_free(plain), S::Ok);
    }
}
