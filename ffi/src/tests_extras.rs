//! Unit tests of the keep-alive, pre-warm, occupancy and lookup entry
//! points, calling them as C would.

use super::*;
use crate::registry::with_region;
use core::ffi::CStr;
use std::ptr::null_mut;

type S = lsim_status;

/// Create + download (5 MB) + init of the default cold-start profile, µs.
const COLD_US: u64 = 125_000 + 5 * 1000 + 250_000;
/// The default idle timeout, µs.
const IDLE_US: u64 = 600_000_000;

fn cstr(p: *const core::ffi::c_char) -> &'static str {
    assert!(!p.is_null());
    // SAFETY: every string getter returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

fn region_with(config: &lsim_region_config) -> *mut lsim_region {
    let mut r = null_mut();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_region_new(config, &mut r) }, S::Ok);
    r
}

fn region() -> *mut lsim_region {
    region_with(&lsim_region_config::defaults())
}

fn create(r: *mut lsim_region, now: u64, c: &lsim_function_config) -> lsim_function {
    let mut f = lsim_function::default();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_function_create(r, now, c, &mut f) }, S::Ok);
    f
}

fn invoke(r: *mut lsim_region, now: u64, f: lsim_function) -> lsim_invoke_result {
    let mut out = lsim_invoke_result::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_invoke(r, now, f, &mut out) }, S::Ok);
    assert_eq!(out.throttled, 0);
    out
}

fn finish(r: *mut lsim_region, now: u64, i: lsim_invocation) -> lsim_finish_result {
    let mut out = lsim_finish_result::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_finish(r, now, i, LSIM_OUTCOME_SUCCESS, &mut out) }, S::Ok);
    out
}

fn prewarm(r: *mut lsim_region, now: u64, f: lsim_function) -> Result<Option<lsim_env>, S> {
    let mut started = 7u32;
    let mut env = lsim_env { index: 77, generation: 77, region_tag: 0 };
    // SAFETY: valid out-pointers.
    match unsafe { lsim_prewarm(r, now, f, &mut started, &mut env) } {
        S::Ok if started == 1 => Ok(Some(env)),
        S::Ok => {
            assert_eq!(started, 0);
            assert_eq!(env, lsim_env { index: 77, generation: 77, region_tag: 0 }, "env written without a start");
            Ok(None)
        }
        s => {
            assert_eq!(
                (started, env),
                (7, lsim_env { index: 77, generation: 77, region_tag: 0 }),
                "outs written on error"
            );
            Err(s)
        }
    }
}

fn env_state(r: *const lsim_region, e: lsim_env) -> u32 {
    let mut s = 99;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_env_state(r, e, &mut s) }, S::Ok);
    s
}

fn next_deadline(r: *const lsim_region) -> Option<u64> {
    let (mut has, mut at) = (9u32, 9u64);
    // SAFETY: valid out-pointers.
    assert_eq!(unsafe { lsim_next_deadline(r, &mut has, &mut at) }, S::Ok);
    (has == 1).then_some(at)
}

fn occupancy(r: *const lsim_region) -> lsim_occupancy {
    let mut o = lsim_occupancy::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_occupancy(r, &mut o) }, S::Ok);
    o
}

fn function_occupancy(r: *const lsim_region, f: lsim_function) -> Result<lsim_occupancy, S> {
    let mut o = lsim_occupancy { live: 99, ..Default::default() };
    // SAFETY: valid out-pointer.
    match unsafe { lsim_function_occupancy(r, f, &mut o) } {
        S::Ok => Ok(o),
        s => {
            assert_eq!(o.live, 99, "out written on error");
            Err(s)
        }
    }
}

fn take_peak(r: *mut lsim_region) -> u32 {
    let mut p = 99;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_take_busy_window_peak(r, &mut p) }, S::Ok);
    p
}

fn function_busy(r: *const lsim_region, f: lsim_function) -> Result<u32, S> {
    let mut b = 99;
    // SAFETY: valid out-pointer.
    match unsafe { lsim_function_busy(r, f, &mut b) } {
        S::Ok => Ok(b),
        s => {
            assert_eq!(b, 99, "out written on error");
            Err(s)
        }
    }
}

fn env_function(r: *const lsim_region, e: lsim_env) -> Result<lsim_function, S> {
    let mut f = lsim_function { index: 55, generation: 55, region_tag: 0 };
    // SAFETY: valid out-pointer.
    match unsafe { lsim_env_function(r, e, &mut f) } {
        S::Ok => Ok(f),
        s => {
            assert_eq!(f, lsim_function { index: 55, generation: 55, region_tag: 0 }, "out written on error");
            Err(s)
        }
    }
}

fn get_config(r: *const lsim_region, f: lsim_function) -> Result<lsim_function_config, S> {
    let mut c = lsim_function_config::defaults();
    c.memory_mb = 1;
    // SAFETY: valid out-pointer.
    match unsafe { lsim_function_get_config(r, f, &mut c) } {
        S::Ok => Ok(c),
        s => {
            assert_eq!(c.memory_mb, 1, "out written on error");
            Err(s)
        }
    }
}

#[test]
fn the_new_status_and_outcome_names() {
    assert_eq!(S::UnknownEnv as u32, 30);
    assert_eq!(cstr(lsim_status_str(30)), "LSIM_STATUS_UNKNOWN_ENV");
    assert_eq!(cstr(lsim_status_str(35)), "unknown status");
    assert_eq!(lsim_status::from_code(30), Some(S::UnknownEnv));
    assert_eq!(cstr(lsim_outcome_str(LSIM_OUTCOME_SUCCESS)), "Success");
    assert_eq!(cstr(lsim_outcome_str(LSIM_OUTCOME_FUNCTION_ERROR)), "FunctionError");
    assert_eq!(cstr(lsim_outcome_str(LSIM_OUTCOME_TIMEOUT)), "Timeout");
    assert_eq!(cstr(lsim_outcome_str(LSIM_OUTCOME_CRASH)), "Crash");
    assert_eq!(cstr(lsim_outcome_str(4)), "unknown");
    assert_eq!(cstr(lsim_outcome_str(u32::MAX)), "unknown");
    assert_eq!(size_of::<lsim_occupancy>(), 72);
}

#[test]
fn null_pointers() {
    let r = region();
    let f = create(r, 0, &lsim_function_config::defaults());
    let e = lsim_env::default();
    let (mut u, mut env, mut o, mut g, mut c) =
        (0u32, e, lsim_occupancy::default(), lsim_function::default(), lsim_function_config::defaults());
    // SAFETY: NULL is allowed everywhere and rejected before any access.
    unsafe {
        assert_eq!(lsim_function_set_keep_alive(null_mut(), 0, f, 0, 0), S::NullPointer);
        assert_eq!(lsim_prewarm(null_mut(), 0, f, &mut u, &mut env), S::NullPointer);
        assert_eq!(lsim_prewarm(r, 0, f, null_mut(), &mut env), S::NullPointer);
        assert_eq!(lsim_prewarm(r, 0, f, &mut u, null_mut()), S::NullPointer);
        assert_eq!(lsim_region_occupancy(null_mut(), &mut o), S::NullPointer);
        assert_eq!(lsim_region_occupancy(r, null_mut()), S::NullPointer);
        assert_eq!(lsim_function_occupancy(null_mut(), f, &mut o), S::NullPointer);
        assert_eq!(lsim_function_occupancy(r, f, null_mut()), S::NullPointer);
        assert_eq!(lsim_region_take_busy_window_peak(null_mut(), &mut u), S::NullPointer);
        assert_eq!(lsim_region_take_busy_window_peak(r, null_mut()), S::NullPointer);
        assert_eq!(lsim_function_busy(null_mut(), f, &mut u), S::NullPointer);
        assert_eq!(lsim_function_busy(r, f, null_mut()), S::NullPointer);
        assert_eq!(lsim_env_function(null_mut(), e, &mut g), S::NullPointer);
        assert_eq!(lsim_env_function(r, e, null_mut()), S::NullPointer);
        assert_eq!(lsim_function_get_config(null_mut(), f, &mut c), S::NullPointer);
        assert_eq!(lsim_function_get_config(r, f, null_mut()), S::NullPointer);
    }
    // Nothing happened: no environment was pre-warmed.
    assert_eq!(occupancy(r).live, 0);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn freed_and_made_up_regions_are_stale() {
    let r = region();
    let f = create(r, 0, &lsim_function_config::defaults());
    assert_eq!(lsim_region_free(r), S::Ok);
    let made_up: *mut lsim_region = std::ptr::without_provenance_mut(0x1234_5679);
    for h in [r, made_up] {
        assert_eq!(lsim_function_set_keep_alive(h, 0, f, 1, 5), S::StaleHandle);
        assert_eq!(prewarm(h, 0, f), Err(S::StaleHandle));
        let mut o = lsim_occupancy::default();
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { lsim_region_occupancy(h, &mut o) }, S::StaleHandle);
        assert_eq!(function_occupancy(h, f), Err(S::StaleHandle));
        let mut p = 99;
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { lsim_region_take_busy_window_peak(h, &mut p) }, S::StaleHandle);
        assert_eq!(p, 99);
        assert_eq!(function_busy(h, f), Err(S::StaleHandle));
        assert_eq!(env_function(h, lsim_env::default()), Err(S::StaleHandle));
        assert_eq!(get_config(h, f), Err(S::StaleHandle));
    }
}

#[test]
fn a_poisoned_region_answers_poisoned() {
    let r = region();
    let f = create(r, 0, &lsim_function_config::defaults());
    let status = registry::guard(|| with_region(r, |_| -> Result<(), S> { panic!("planted") }));
    assert_eq!(status, S::Panic);
    assert_eq!(lsim_function_set_keep_alive(r, 0, f, 0, 0), S::Poisoned);
    assert_eq!(prewarm(r, 0, f), Err(S::Poisoned));
    assert_eq!(function_occupancy(r, f), Err(S::Poisoned));
    assert_eq!(function_busy(r, f), Err(S::Poisoned));
    assert_eq!(env_function(r, lsim_env::default()), Err(S::Poisoned));
    assert_eq!(get_config(r, f), Err(S::Poisoned));
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn stale_functions_and_unknown_environments() {
    let r = region();
    let f = create(r, 0, &lsim_function_config::defaults());
    assert_eq!(lsim_function_delete(r, 0, f), S::Ok);
    let never = lsim_function { index: 200, generation: 1, region_tag: f.region_tag };
    for g in [f, never] {
        assert_eq!(lsim_function_set_keep_alive(r, 0, g, 1, 1000), S::UnknownFunction);
        assert_eq!(prewarm(r, 0, g), Err(S::UnknownFunction));
        assert_eq!(function_occupancy(r, g), Err(S::UnknownFunction));
        assert_eq!(function_busy(r, g), Err(S::UnknownFunction));
        assert_eq!(get_config(r, g), Err(S::UnknownFunction));
    }
    // Unknown environments: never created, out of range, and terminated.
    assert_eq!(env_function(r, lsim_env::default()), Err(S::UnknownEnv));
    let tag = f.region_tag;
    assert_eq!(env_function(r, lsim_env { index: 16_383, generation: 1, region_tag: tag }), Err(S::UnknownEnv));
    assert_eq!(
        env_function(r, lsim_env { index: u32::MAX, generation: u32::MAX, region_tag: tag }),
        Err(S::UnknownEnv)
    );
    let g = create(r, 0, &lsim_function_config::defaults());
    let a = invoke(r, 0, g);
    finish(r, a.ready_at_us + 1000, a.invocation);
    assert_eq!(env_function(r, a.env), Ok(g));
    assert_eq!(lsim_advance(r, a.ready_at_us + 1000 + IDLE_US), S::Ok);
    assert_eq!(env_state(r, a.env), LSIM_ENV_STATE_TERMINATED);
    assert_eq!(env_function(r, a.env), Err(S::UnknownEnv));
    // A bad flag is rejected before anything changes.
    assert_eq!(lsim_function_set_keep_alive(r, 0, g, 2, 5), S::InvalidArgument);
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn time_going_backwards_changes_nothing() {
    let r = region();
    let f = create(r, 0, &lsim_function_config::defaults());
    assert_eq!(lsim_advance(r, 1000), S::Ok);
    assert_eq!(lsim_function_set_keep_alive(r, 999, f, 1, 5), S::TimeWentBackwards);
    assert_eq!(prewarm(r, 999, f), Err(S::TimeWentBackwards));
    assert_eq!(occupancy(r).live, 0);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn prewarm_creates_an_idle_environment_a_warm_start_then_uses() {
    let r = region();
    let f = create(r, 0, &lsim_function_config::defaults());
    let e = prewarm(r, 0, f).unwrap().unwrap();
    assert_eq!(env_state(r, e), LSIM_ENV_STATE_CREATING);
    assert_eq!(env_function(r, e), Ok(f));
    assert_eq!(function_busy(r, f), Ok(0), "a pre-warmed environment is not concurrency");
    let o = occupancy(r);
    assert_eq!((o.live, o.busy), (1, 0));
    assert_eq!(lsim_advance(r, COLD_US), S::Ok);
    assert_eq!(env_state(r, e), LSIM_ENV_STATE_IDLE);
    let a = invoke(r, COLD_US + 1000, f);
    assert_eq!(a.start_kind, LSIM_START_KIND_WARM);
    assert_eq!(a.env, e);
    assert_eq!(function_busy(r, f), Ok(1));
    let mut stats = lsim_stats::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_stats(r, f, &mut stats) }, S::Ok);
    assert_eq!((stats.envs_created, stats.invocations, stats.warm_starts), (1, 1, 1));
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn prewarm_without_a_scaling_token_starts_nothing() {
    let mut c = lsim_region_config::defaults();
    c.scaling_rule = LSIM_SCALING_RULE_LEGACY_ACCOUNT;
    c.legacy_burst = 1;
    let r = region_with(&c);
    let f = create(r, 0, &lsim_function_config::defaults());
    assert!(prewarm(r, 0, f).unwrap().is_some());
    assert_eq!(prewarm(r, 0, f), Ok(None));
    assert_eq!(occupancy(r).live, 1);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn keep_alive_overrides_the_idle_expiry() {
    let r = region();
    let f = create(r, 0, &lsim_function_config::defaults());
    let idle_deadline = |keep: Option<u64>, at: u64| {
        match keep {
            Some(us) => assert_eq!(lsim_function_set_keep_alive(r, at, f, 1, us), S::Ok),
            None => assert_eq!(lsim_function_set_keep_alive(r, at, f, 0, 12345), S::Ok),
        }
        let a = invoke(r, at, f);
        let end = a.ready_at_us + 1000;
        finish(r, end, a.invocation);
        (end, next_deadline(r).unwrap())
    };
    let (end, deadline) = idle_deadline(Some(60_000_000), 0);
    assert_eq!(deadline, end + 60_000_000);
    let (end, deadline) = idle_deadline(None, end + 1);
    assert_eq!(deadline, end + IDLE_US, "back to the region's idle timeout");
    let (end, deadline) = idle_deadline(Some(1_000_000), end + 1);
    assert_eq!(deadline, end + 1_000_000);
    assert_eq!(lsim_advance(r, deadline), S::Ok);
    assert_eq!(occupancy(r).live, 0);
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn occupancy_integrals_and_window_peaks() {
    let r = region();
    let mut c = lsim_function_config::defaults();
    c.timeout_ms = 60_000;
    let f = create(r, 0, &c);
    let g = create(r, 0, &c);
    let o = occupancy(r);
    assert_eq!(o, lsim_occupancy::default(), "nothing yet, and avg 0 at time 0");
    let a = invoke(r, 0, f);
    let b = invoke(r, 0, f);
    assert_eq!(function_busy(r, f), Ok(2));
    assert_eq!(function_busy(r, g), Ok(0));
    finish(r, 10_000_000, a.invocation);
    finish(r, 10_000_000, b.invocation);
    let o = occupancy(r);
    assert_eq!((o.live, o.busy, o.busy_peak, o.window_peak), (2, 0, 2, 2));
    assert_eq!(u128::from(o.busy_env_us), 20_000_000);
    assert_eq!(u128::from(o.live_env_us), 20_000_000);
    assert_eq!(o.since_us, 10_000_000);
    assert_eq!((o.avg_busy, o.avg_live), (2.0, 2.0));
    assert_eq!(function_occupancy(r, f), Ok(o));
    let og = function_occupancy(r, g).unwrap();
    assert_eq!((og.live, og.busy_peak, og.since_us, og.avg_live), (0, 0, 10_000_000, 0.0));
    assert_eq!(lsim_advance(r, 20_000_000), S::Ok);
    let o = occupancy(r);
    assert_eq!((u128::from(o.busy_env_us), u128::from(o.live_env_us)), (20_000_000, 40_000_000));
    assert_eq!((o.avg_busy, o.avg_live), (1.0, 2.0));
    // The window peak: taken once, then the busy count at the take.
    assert_eq!(take_peak(r), 2);
    assert_eq!(take_peak(r), 0);
    let c = invoke(r, 20_000_000, g);
    assert_eq!(c.start_kind, LSIM_START_KIND_FULL_COLD);
    let o = occupancy(r);
    assert_eq!((o.busy, o.busy_peak, o.window_peak), (1, 2, 1));
    assert_eq!(function_occupancy(r, f).unwrap().window_peak, 0, "functions' windows reset too");
    assert_eq!(take_peak(r), 1);
    assert_eq!(take_peak(r), 1, "still busy: the new window starts at 1");
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn get_config_round_trips() {
    let r = region();
    let mut c = lsim_function_config::defaults();
    c.memory_mb = 1769;
    c.timeout_ms = 60_000;
    c.has_reserved = 1;
    c.reserved = 10;
    c.provisioned = 2;
    c.sandbox_us = 1;
    c.download_us_per_mb = 2;
    c.package_mb = 3;
    c.init_us = 4;
    c.architecture = LSIM_ARCH_ARM64;
    c.ephemeral_mb = 2048;
    let f = create(r, 0, &c);
    assert_eq!(get_config(r, f), Ok(c));
    assert_eq!(lsim_function_put_reserved(r, 0, f, 0, 0), S::Ok);
    assert_eq!(lsim_function_put_provisioned(r, 0, f, 1), S::Ok);
    let got = get_config(r, f).unwrap();
    assert_eq!((got.has_reserved, got.reserved, got.provisioned), (0, 0, 1));
    assert_eq!(got.struct_size as usize, size_of::<lsim_function_config>());
    // SAFETY: a valid config.
    assert_eq!(unsafe { lsim_function_update(r, 0, f, &lsim_function_config::defaults()) }, S::Ok);
    assert_eq!(get_config(r, f), Ok(lsim_function_config::defaults()));
    assert_eq!(lsim_region_free(r), S::Ok);
}
