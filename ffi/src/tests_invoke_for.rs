//! Unit tests of `lsim_invoke_for` and `lsim_invoke_for_with_init` (the
//! region ends the invocation by itself), calling them as C would.

use super::*;
use crate::registry::with_region;
use crate::test_support::region;
use std::ptr::null_mut;

type S = lsim_status;

/// Create + download (5 MB) + init of the default cold-start profile, us.
const COLD_US: u64 = 125_000 + 5 * 1000 + 250_000;
/// Create + download of the default profile (a full cold start minus init), us.
const CREATE_US: u64 = 125_000 + 5 * 1000;
/// The default function timeout (3 s), us.
const TIMEOUT_US: u64 = 3_000_000;

/// An out-parameter filled with a marker, to see whether a call wrote it.
const UNTOUCHED: lsim_invoke_result = lsim_invoke_result {
    throttled: 7,
    throttle_reason: 7,
    invocation: lsim_invocation { env: lsim_env { index: 7, generation: 7, region_tag: 0 }, seq: 7 },
    env: lsim_env { index: 7, generation: 7, region_tag: 0 },
    start_kind: 7,
    on_provisioned: 7,
    init_us: 7,
    ready_at_us: 7,
    suppressed_init_us: 7,
};

fn create(r: *mut lsim_region, c: &lsim_function_config) -> lsim_function {
    let mut f = lsim_function::default();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_function_create(r, 0, c, &mut f) }, S::Ok);
    f
}

/// `lsim_invoke_for`, or `lsim_invoke_for_with_init` when `init_us` is given;
/// checks the out-parameter is untouched on error.
fn invoke_for(
    r: *mut lsim_region,
    now: u64,
    f: lsim_function,
    handler_us: u64,
    outcome: u32,
    init_us: Option<u64>,
) -> Result<lsim_invoke_result, S> {
    let mut out = UNTOUCHED;
    // SAFETY: valid out-pointer.
    let s = unsafe {
        match init_us {
            None => lsim_invoke_for(r, now, f, handler_us, outcome, &mut out),
            Some(init) => lsim_invoke_for_with_init(r, now, f, handler_us, outcome, init, &mut out),
        }
    };
    match s {
        S::Ok => Ok(out),
        s => {
            assert_eq!(out, UNTOUCHED, "out written on error");
            Err(s)
        }
    }
}

fn started(r: *mut lsim_region, now: u64, f: lsim_function, handler_us: u64, outcome: u32) -> lsim_invoke_result {
    let out = invoke_for(r, now, f, handler_us, outcome, None).unwrap();
    assert_eq!(out.throttled, 0);
    out
}

fn finish(r: *mut lsim_region, now: u64, i: lsim_invocation, outcome: u32) -> Result<lsim_finish_result, S> {
    let mut out = lsim_finish_result::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_finish(r, now, i, outcome, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

fn busy(r: *const lsim_region, f: lsim_function) -> u32 {
    let mut b = 99;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_busy(r, f, &mut b) }, S::Ok);
    b
}

fn stats(r: *const lsim_region) -> lsim_stats {
    let mut s = lsim_stats::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_stats(r, &mut s) }, S::Ok);
    s
}

fn next_deadline(r: *const lsim_region) -> Option<u64> {
    let (mut has, mut at) = (9u32, 9u64);
    // SAFETY: valid out-pointers.
    assert_eq!(unsafe { lsim_next_deadline(r, &mut has, &mut at) }, S::Ok);
    (has == 1).then_some(at)
}

fn env_state(r: *const lsim_region, e: lsim_env) -> u32 {
    let mut s = 99;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_env_state(r, e, &mut s) }, S::Ok);
    s
}

fn now(r: *const lsim_region) -> u64 {
    let mut n = 99;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_now(r, &mut n) }, S::Ok);
    n
}

#[test]
fn a_cold_then_warm_invocation_ends_by_itself() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    let a = started(r, 0, f, 100_000, LSIM_OUTCOME_SUCCESS);
    assert_eq!(
        (a.start_kind, a.init_us, a.ready_at_us, a.suppressed_init_us),
        (LSIM_START_KIND_FULL_COLD, COLD_US, COLD_US, 0)
    );
    // Ends at ready_at + handler: busy until the instant before, idle at it.
    let end = COLD_US + 100_000;
    assert_eq!(lsim_advance(r, end - 1), S::Ok);
    assert_eq!(busy(r, f), 1);
    assert_eq!(next_deadline(r), Some(end));
    assert_eq!(lsim_advance(r, end), S::Ok);
    assert_eq!(busy(r, f), 0);
    assert_eq!(env_state(r, a.env), LSIM_ENV_STATE_IDLE);
    let s = stats(r);
    assert_eq!((s.invocations, s.succeeded, s.errors, s.timeouts), (1, 1, 0, 0));
    // Its handle is spent: finishing it now is an unknown invocation.
    assert_eq!(finish(r, end, a.invocation, LSIM_OUTCOME_SUCCESS), Err(S::UnknownInvocation));
    // The environment is reused warm, and the warm one ends at now + handler.
    let t = end + 1_000_000;
    let b = started(r, t, f, 250_000, LSIM_OUTCOME_FUNCTION_ERROR);
    assert_eq!((b.start_kind, b.env, b.init_us, b.ready_at_us), (LSIM_START_KIND_WARM, a.env, 0, t));
    assert_eq!(lsim_advance(r, t + 250_000), S::Ok);
    assert_eq!(busy(r, f), 0);
    let s = stats(r);
    assert_eq!((s.invocations, s.succeeded, s.errors, s.timeouts, s.warm_starts), (2, 1, 1, 0, 1));
    assert_eq!(env_state(r, a.env), LSIM_ENV_STATE_IDLE, "a function error keeps the environment warm");
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn the_init_override_moves_the_end_of_a_cold_start_only() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    let a = invoke_for(r, 0, f, 50_000, LSIM_OUTCOME_SUCCESS, Some(1_000_000)).unwrap();
    assert_eq!((a.start_kind, a.ready_at_us), (LSIM_START_KIND_FULL_COLD, CREATE_US + 1_000_000));
    assert_eq!(lsim_advance(r, a.ready_at_us + 49_999), S::Ok);
    assert_eq!(busy(r, f), 1);
    assert_eq!(lsim_advance(r, a.ready_at_us + 50_000), S::Ok);
    assert_eq!(busy(r, f), 0);
    // Warm: the override is not used.
    let t = a.ready_at_us + 60_000;
    let b = invoke_for(r, t, f, 50_000, LSIM_OUTCOME_SUCCESS, Some(9_000_000)).unwrap();
    assert_eq!((b.start_kind, b.init_us, b.ready_at_us), (LSIM_START_KIND_WARM, 0, t));
    assert_eq!(next_deadline(r), Some(t + 50_000));
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn a_crash_resets_the_environment_and_a_long_handler_times_out() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    let a = started(r, 0, f, 10_000, LSIM_OUTCOME_CRASH);
    let end = COLD_US + 10_000;
    assert_eq!(lsim_advance(r, end), S::Ok);
    assert_eq!(busy(r, f), 0);
    // Next use of the reset environment: a partial cold start (init only).
    let b = started(r, end, f, TIMEOUT_US, LSIM_OUTCOME_SUCCESS);
    assert_eq!((b.start_kind, b.env, b.init_us), (LSIM_START_KIND_PARTIAL_COLD, a.env, 250_000));
    // A handler as long as the timeout ends as a timeout at the timeout
    // (counted from the invoke for a partial cold start).
    assert_eq!(next_deadline(r), Some(end + 250_000), "init done");
    assert_eq!(lsim_advance(r, end + 250_000), S::Ok);
    assert_eq!(next_deadline(r), Some(end + TIMEOUT_US));
    assert_eq!(lsim_advance(r, end + TIMEOUT_US), S::Ok);
    assert_eq!(busy(r, f), 0);
    let s = stats(r);
    assert_eq!((s.succeeded, s.errors, s.timeouts, s.partial_cold_starts), (0, 2, 1, 1));
    assert_eq!(finish(r, end + TIMEOUT_US, b.invocation, LSIM_OUTCOME_SUCCESS), Err(S::TimedOut));
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn an_early_finish_wins_and_a_zero_handler_ends_at_the_next_call() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    let a = started(r, 0, f, 500_000, LSIM_OUTCOME_SUCCESS);
    let done = finish(r, COLD_US + 200_000, a.invocation, LSIM_OUTCOME_FUNCTION_ERROR).unwrap();
    assert_eq!((done.duration_us, done.env_kept), (200_000, 1));
    // The scheduled end is gone with it: nothing happens at ready_at + 500 ms.
    assert_eq!(next_deadline(r), Some(COLD_US + 200_000 + 600_000_000), "only the idle expiry");
    assert_eq!(lsim_advance(r, COLD_US + 500_000), S::Ok);
    let s = stats(r);
    assert_eq!((s.invocations, s.succeeded, s.errors), (1, 0, 1));
    // A warm start with a zero handler ends at its own instant, applied by
    // the next call (at that same instant).
    let t = COLD_US + 600_000;
    let b = started(r, t, f, 0, LSIM_OUTCOME_SUCCESS);
    assert_eq!(b.start_kind, LSIM_START_KIND_WARM);
    assert_eq!(busy(r, f), 1);
    assert_eq!(next_deadline(r), Some(t));
    assert_eq!(lsim_advance(r, t), S::Ok);
    assert_eq!(busy(r, f), 0);
    assert_eq!(stats(r).succeeded, 1);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn a_throttle_is_an_answer() {
    let r = region();
    let mut c = lsim_function_config::defaults();
    c.has_reserved = 1;
    c.reserved = 0;
    let f = create(r, &c);
    for init in [None, Some(5)] {
        let out = invoke_for(r, 0, f, 1_000, LSIM_OUTCOME_SUCCESS, init).unwrap();
        assert_eq!(out.throttled, 1);
        assert_eq!(out.throttle_reason, LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
    }
    assert_eq!(stats(r).throttles, [0, 2, 0, 0, 0]);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn null_pointers() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    let mut out = UNTOUCHED;
    // SAFETY: NULL is always allowed; other pointers are valid.
    unsafe {
        assert_eq!(lsim_invoke_for(null_mut(), 0, f, 1, LSIM_OUTCOME_SUCCESS, &mut out), S::NullPointer);
        assert_eq!(lsim_invoke_for(r, 0, f, 1, LSIM_OUTCOME_SUCCESS, null_mut()), S::NullPointer);
        assert_eq!(lsim_invoke_for_with_init(null_mut(), 0, f, 1, LSIM_OUTCOME_SUCCESS, 1, &mut out), S::NullPointer);
        assert_eq!(lsim_invoke_for_with_init(r, 0, f, 1, LSIM_OUTCOME_SUCCESS, 1, null_mut()), S::NullPointer);
        // NULL comes first, before the outcome is looked at.
        assert_eq!(lsim_invoke_for(null_mut(), 0, f, 1, 99, &mut out), S::NullPointer);
        assert_eq!(lsim_invoke_for_with_init(r, 0, f, 1, 99, 1, null_mut()), S::NullPointer);
    }
    assert_eq!(out, UNTOUCHED);
    assert_eq!(busy(r, f), 0, "nothing started");
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn unknown_outcomes_change_nothing() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    for outcome in [4, 99, u32::MAX] {
        for init in [None, Some(1)] {
            assert_eq!(invoke_for(r, 1_000, f, 1, outcome, init), Err(S::InvalidArgument), "{outcome}");
        }
    }
    assert_eq!(now(r), 0, "the clock did not move");
    assert_eq!(stats(r).requests, 0);
    for outcome in [LSIM_OUTCOME_SUCCESS, LSIM_OUTCOME_FUNCTION_ERROR, LSIM_OUTCOME_TIMEOUT, LSIM_OUTCOME_CRASH] {
        assert!(invoke_for(r, 1_000, f, 1, outcome, None).is_ok());
    }
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn freed_made_up_and_poisoned_regions() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    assert_eq!(lsim_region_free(r), S::Ok);
    let made_up: *mut lsim_region = std::ptr::without_provenance_mut(0x1234_5679);
    for h in [r, made_up] {
        for init in [None, Some(1)] {
            assert_eq!(invoke_for(h, 0, f, 1, LSIM_OUTCOME_SUCCESS, init), Err(S::StaleHandle));
        }
    }
    let p = region();
    let f = create(p, &lsim_function_config::defaults());
    let status = registry::guard(|| with_region(p, |_| -> Result<(), S> { panic!("planted") }));
    assert_eq!(status, S::Panic);
    for init in [None, Some(1)] {
        assert_eq!(invoke_for(p, 0, f, 1, LSIM_OUTCOME_SUCCESS, init), Err(S::Poisoned));
    }
    assert_eq!(lsim_region_free(p), S::Ok);
}

#[test]
fn stale_functions_and_time_going_backwards() {
    let r = region();
    let f = create(r, &lsim_function_config::defaults());
    let never = lsim_function { index: 200, generation: 1, region_tag: f.region_tag };
    assert_eq!(lsim_function_delete(r, 0, f), S::Ok);
    for g in [f, never] {
        for init in [None, Some(1)] {
            assert_eq!(invoke_for(r, 0, g, 1, LSIM_OUTCOME_SUCCESS, init), Err(S::UnknownFunction));
        }
    }
    let g = create(r, &lsim_function_config::defaults());
    assert_eq!(lsim_advance(r, 1_000), S::Ok);
    for init in [None, Some(1)] {
        assert_eq!(invoke_for(r, 999, g, 1, LSIM_OUTCOME_SUCCESS, init), Err(S::TimeWentBackwards));
    }
    assert_eq!((busy(r, g), stats(r).requests), (0, 0));
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}
