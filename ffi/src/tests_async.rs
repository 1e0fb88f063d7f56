//! Unit tests of the asynchronous-invocation entry points, calling them as C would.

use super::*;
use crate::test_support::{create, region};
use std::ptr::{null, null_mut};

type S = lsim_status;

fn defaults() -> lsim_async_config {
    let mut c = lsim_async_config {
        struct_size: 0,
        max_retry_attempts: 9,
        max_event_age_s: 9,
        dead_letter_queue: 9,
        on_failure: 9,
        on_success: 9,
    };
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_async_config_default(&mut c) }, S::Ok);
    c
}

fn invoke_async(
    r: *mut lsim_region,
    now: u64,
    f: lsim_function,
    outcome: u32,
    failing: u32,
) -> Result<lsim_async_event, S> {
    let untouched = lsim_async_event { index: 7, generation: 7, region_tag: 7 };
    let mut out = untouched;
    // SAFETY: valid out-pointer.
    match unsafe { lsim_invoke_async(r, now, f, 1_000_000, outcome, failing, &mut out) } {
        S::Ok => Ok(out),
        s => {
            assert_eq!(out, untouched, "out written on error");
            Err(s)
        }
    }
}

fn status(r: *mut lsim_region, e: lsim_async_event) -> Result<lsim_async_event_status, S> {
    let mut out = lsim_async_event_status::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_async_event_get_status(r, e, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

fn stats(r: *mut lsim_region) -> lsim_async_stats {
    let mut out = lsim_async_stats::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_async_stats(r, &mut out) }, S::Ok);
    out
}

#[test]
fn defaults_are_lambdas() {
    let c = defaults();
    assert_eq!(c.struct_size as usize, size_of::<lsim_async_config>());
    assert_eq!((c.max_retry_attempts, c.max_event_age_s), (2, 21_600));
    assert_eq!(
        (c.dead_letter_queue, c.on_failure, c.on_success),
        (LSIM_DELIVERY_NONE, LSIM_DELIVERY_NONE, LSIM_DELIVERY_NONE)
    );
    // SAFETY: NULL is allowed and refused.
    assert_eq!(unsafe { lsim_async_config_default(null_mut()) }, S::NullPointer);
}

#[test]
fn a_failing_event_is_retried_then_dead_lettered() {
    let r = region();
    let f = create(r);
    assert_eq!(lsim_region_attach_async_queue(r, 4), S::Ok);
    let c = lsim_async_config { dead_letter_queue: LSIM_DELIVERY_AVAILABLE, max_retry_attempts: 1, ..defaults() };
    // SAFETY: valid config.
    assert_eq!(unsafe { lsim_function_put_async_config(r, f, &c) }, S::Ok);
    let e = invoke_async(r, 0, f, LSIM_OUTCOME_FUNCTION_ERROR, 255).unwrap();
    assert_eq!(status(r, e).unwrap().state, LSIM_ASYNC_STATE_RUNNING);
    assert_eq!(lsim_advance(r, 2_000_000), S::Ok);
    let queued = status(r, e).unwrap();
    assert_eq!((queued.state, queued.attempts), (LSIM_ASYNC_STATE_QUEUED, 1));
    // The default profile's cold start (380 ms) + 1 s, then 1 min.
    assert_eq!(queued.due_at_us, 380_000 + 1_000_000 + 60_000_000);
    assert_eq!(lsim_advance(r, 120_000_000), S::Ok);
    let dropped = status(r, e).unwrap();
    assert_eq!(
        (dropped.state, dropped.attempts, dropped.reason),
        (LSIM_ASYNC_STATE_DROPPED, 2, LSIM_DROP_REASON_RETRIES_EXHAUSTED)
    );
    let s = stats(r);
    assert_eq!((s.received, s.attempts, s.dropped, s.dead_lettered), (1, 2, 1, 1));
    let mut fs = lsim_async_stats::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_async_stats(r, f, &mut fs) }, S::Ok);
    assert_eq!(fs, s);
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn bad_input_is_a_status_never_a_crash() {
    let r = region();
    let f = create(r);
    assert_eq!(invoke_async(r, 0, f, LSIM_OUTCOME_SUCCESS, 0), Err(S::InvalidArgument)); // no queue yet
    assert_eq!(lsim_region_attach_async_queue(r, 0), S::InvalidArgument);
    assert_eq!(lsim_region_attach_async_queue(r, LSIM_ASYNC_QUEUE_MAX + 1), S::InvalidArgument);
    assert_eq!(lsim_region_attach_async_queue(r, 1), S::Ok);
    assert_eq!(lsim_region_attach_async_queue(r, 1), S::InvalidArgument);
    assert_eq!(lsim_region_attach_async_queue(null_mut(), 1), S::NullPointer);
    assert_eq!(invoke_async(r, 0, f, 99, 0), Err(S::InvalidArgument));
    assert_eq!(invoke_async(r, 0, f, LSIM_OUTCOME_SUCCESS, 256), Err(S::InvalidArgument));
    let foreign = lsim_function { region_tag: f.region_tag ^ 1, ..f };
    assert_eq!(invoke_async(r, 0, foreign, LSIM_OUTCOME_SUCCESS, 0), Err(S::UnknownFunction));
    let e = invoke_async(r, 0, f, LSIM_OUTCOME_SUCCESS, 0).unwrap();
    assert_eq!(invoke_async(r, 0, f, LSIM_OUTCOME_SUCCESS, 0), Err(S::QueueFull));
    assert_eq!(stats(r).rejected, 1);
    assert_eq!(status(r, lsim_async_event { region_tag: e.region_tag ^ 1, ..e }), Err(S::UnknownAsyncEvent));
    assert_eq!(status(r, lsim_async_event { generation: e.generation + 1, ..e }), Err(S::UnknownAsyncEvent));
    for (c, want) in [
        (lsim_async_config { max_retry_attempts: 3, ..defaults() }, S::MaximumRetryAttemptsOutOfRange),
        (lsim_async_config { max_retry_attempts: u32::MAX, ..defaults() }, S::MaximumRetryAttemptsOutOfRange),
        (lsim_async_config { max_event_age_s: 59, ..defaults() }, S::MaximumEventAgeOutOfRange),
        (lsim_async_config { max_event_age_s: 21_601, ..defaults() }, S::MaximumEventAgeOutOfRange),
        (lsim_async_config { on_success: 3, ..defaults() }, S::InvalidArgument),
        (lsim_async_config { struct_size: 4, ..defaults() }, S::InvalidArgument),
    ] {
        // SAFETY: valid config.
        assert_eq!(unsafe { lsim_function_put_async_config(r, f, &c) }, want, "{c:?}");
    }
    // SAFETY: NULL pointers are refused.
    unsafe {
        assert_eq!(lsim_function_put_async_config(r, f, null()), S::NullPointer);
        assert_eq!(lsim_invoke_async(r, 0, f, 0, 0, 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_async_event_get_status(r, e, null_mut()), S::NullPointer);
        assert_eq!(lsim_region_async_stats(null(), &mut lsim_async_stats::default()), S::NullPointer);
    }
    assert_eq!(lsim_region_free(r), S::Ok);
    // A freed region is a stale handle everywhere.
    assert_eq!(lsim_region_attach_async_queue(r, 1), S::StaleHandle);
    assert_eq!(invoke_async(r, 0, f, LSIM_OUTCOME_SUCCESS, 0), Err(S::StaleHandle));
    assert_eq!(status(r, e), Err(S::StaleHandle));
}
