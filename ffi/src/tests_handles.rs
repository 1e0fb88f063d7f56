//! Function, environment and invocation handles are bound to the region
//! that made them; region handles are not predictable.

use super::*;
use crate::test_support::{create, region};

type S = lsim_status;

fn invoke(r: *mut lsim_region, now: u64, f: lsim_function) -> Result<lsim_invoke_result, S> {
    let mut out = lsim_invoke_result::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_invoke(r, now, f, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

fn now(r: *const lsim_region) -> u64 {
    let mut t = u64::MAX;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_now(r, &mut t) }, S::Ok);
    t
}

fn requests(r: *const lsim_region) -> u64 {
    let mut s = lsim_stats::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_stats(r, &mut s) }, S::Ok);
    s.requests
}

/// Every entry point that takes a function handle, called on `r` at `t`
/// with `f`: the status of each, by name.
fn function_calls(r: *mut lsim_region, t: u64, f: lsim_function) -> Vec<(&'static str, S)> {
    let config = lsim_function_config::defaults();
    let mut res = lsim_invoke_result::default();
    let (mut started, mut env) = (0u32, lsim_env::default());
    let mut counts = lsim_function_counts::default();
    let mut stats = lsim_stats::default();
    let mut occupancy = lsim_occupancy::default();
    let mut busy = 0u32;
    let mut got = lsim_function_config::defaults();
    let mut bill = lsim_bill::default();
    // SAFETY: every pointer is valid for its call.
    unsafe {
        vec![
            ("update", lsim_function_update(r, t, f, &config)),
            ("put_reserved", lsim_function_put_reserved(r, t, f, 1, 5)),
            ("put_provisioned", lsim_function_put_provisioned(r, t, f, 1)),
            ("set_keep_alive", lsim_function_set_keep_alive(r, t, f, 1, 1000)),
            ("prewarm", lsim_prewarm(r, t, f, &mut started, &mut env)),
            ("invoke", lsim_invoke(r, t, f, &mut res)),
            ("invoke_with_init", lsim_invoke_with_init(r, t, f, 1, &mut res)),
            ("invoke_for", lsim_invoke_for(r, t, f, 1, LSIM_OUTCOME_SUCCESS, &mut res)),
            ("invoke_for_with_init", lsim_invoke_for_with_init(r, t, f, 1, LSIM_OUTCOME_SUCCESS, 1, &mut res)),
            ("get_counts", lsim_function_get_counts(r, f, &mut counts)),
            ("stats", lsim_function_stats(r, f, &mut stats)),
            ("occupancy", lsim_function_occupancy(r, f, &mut occupancy)),
            ("busy", lsim_function_busy(r, f, &mut busy)),
            ("get_config", lsim_function_get_config(r, f, &mut got)),
            ("bill", lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, 0, &mut bill)),
            ("delete", lsim_function_delete(r, t, f)),
        ]
    }
}

#[test]
fn handles_of_another_region_are_unknown_and_change_nothing() {
    let (a, b) = (region(), region());
    let (fa, fb) = (create(a), create(b));
    // Same slot and generation in both regions: only the tag tells them apart.
    assert_eq!((fa.index, fa.generation), (fb.index, fb.generation));
    assert!(fa.region_tag != 0 && fb.region_tag != 0 && fa.region_tag != fb.region_tag);
    let ia = invoke(a, 0, fa).unwrap();
    let ib = invoke(b, 0, fb).unwrap();
    assert_eq!((ia.env.index, ia.env.generation), (ib.env.index, ib.env.generation));
    assert_eq!((ia.invocation.env, ia.env.region_tag), (ia.env, fa.region_tag));

    // A's handles on B, at a later time: refused before anything happens.
    let t = ib.ready_at_us + 1_000;
    for (name, status) in function_calls(b, t, fa) {
        assert_eq!(status, S::UnknownFunction, "{name}");
    }
    let mut fin = lsim_finish_result::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_finish(b, t, ia.invocation, LSIM_OUTCOME_SUCCESS, &mut fin) }, S::UnknownInvocation);
    let mut f = lsim_function::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_env_function(b, ia.env, &mut f) }, S::UnknownEnv);
    let mut state = 99u32;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_env_state(b, ia.env, &mut state) }, S::Ok);
    assert_eq!(state, LSIM_ENV_STATE_TERMINATED, "never an environment of B");
    assert_eq!((now(b), requests(b)), (0, 1), "B's clock and counters did not move");
    let mut counts = lsim_function_counts::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_get_counts(b, fb, &mut counts) }, S::Ok);
    assert_eq!((counts.busy, counts.provisioned, counts.has_reserved), (1, 0, 0), "B's function untouched");

    // B's own handles still work, and handles B hands out carry B's tag.
    // SAFETY: valid out-pointers.
    assert_eq!(unsafe { lsim_env_state(b, ib.env, &mut state) }, S::Ok);
    assert_eq!(state, LSIM_ENV_STATE_CREATING);
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_env_function(b, ib.env, &mut f) }, S::Ok);
    assert_eq!(f, fb);
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_finish(b, t, ib.invocation, LSIM_OUTCOME_SUCCESS, &mut fin) }, S::Ok);
    assert_eq!((fin.function, fin.env), (fb, ib.env));
    // ... and A's on A.
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_finish(a, t, ia.invocation, LSIM_OUTCOME_SUCCESS, &mut fin) }, S::Ok);
    assert_eq!((fin.function, fin.env), (fa, ia.env));
    for r in [a, b] {
        assert_eq!(lsim_region_check(r), S::Ok);
        assert_eq!(lsim_region_free(r), S::Ok);
    }
}

#[test]
fn a_zero_or_made_up_tag_names_nothing() {
    let r = region();
    let f = create(r);
    for tag in [0, f.region_tag ^ 1, f.region_tag.wrapping_add(1 << 16)] {
        let g = lsim_function { region_tag: tag, ..f };
        for (name, status) in function_calls(r, 0, g) {
            assert_eq!(status, S::UnknownFunction, "{name} with tag {tag:#x}");
        }
    }
    assert_eq!(invoke(r, 0, f).map(|i| i.throttled), Ok(0), "the real handle still works");
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn a_freed_regions_handles_do_not_work_on_its_successor() {
    // Whatever slot the next region gets, its tag differs from the freed one's.
    let a = region();
    let fa = create(a);
    assert_eq!(lsim_region_free(a), S::Ok);
    let b = region();
    let fb = create(b);
    assert_ne!(fa.region_tag, fb.region_tag);
    assert_eq!(invoke(b, 0, fa), Err(S::UnknownFunction));
    assert_eq!(invoke(b, 0, fb).map(|i| i.throttled), Ok(0));
    assert_eq!(lsim_region_free(b), S::Ok);
}
