//! The flat entry points (`lsim_invoke_flat`, `lsim_invoke_for_flat`,
//! `lsim_finish_flat`): same answers as the struct-taking calls; NULL,
//! freed (here or on another thread), made-up, foreign and wrong-region
//! handles are refused, also right after the thread used the region.

use super::*;
use crate::registry::{KIND_SIM_RESULT, Registry, with_region};
use crate::test_support::{create, region};
use std::ptr::null_mut;

type S = lsim_status;

/// An out-parameter filled with a marker, to see whether a call wrote it.
const UNTOUCHED: lsim_invoke_result = lsim_invoke_result {
    throttled: 7,
    throttle_reason: 7,
    invocation: lsim_invocation { env: lsim_env { index: 7, generation: 7, region_tag: 7 }, seq: 7 },
    env: lsim_env { index: 7, generation: 7, region_tag: 7 },
    start_kind: 7,
    on_provisioned: 7,
    init_us: 7,
    ready_at_us: 7,
    suppressed_init_us: 7,
};

fn invoke_for_flat(r: *mut lsim_region, now: u64, f: lsim_function, outcome: u32) -> Result<lsim_invoke_result, S> {
    let mut out = UNTOUCHED;
    // SAFETY: valid out-pointer.
    let st = unsafe { lsim_invoke_for_flat(r, now, f.index, f.generation, f.region_tag, 5, outcome, &mut out) };
    if st == S::Ok {
        Ok(out)
    } else {
        assert_eq!(out, UNTOUCHED, "an error wrote the out-parameter");
        Err(st)
    }
}

fn invoke_flat(r: *mut lsim_region, now: u64, f: lsim_function) -> Result<lsim_invoke_result, S> {
    let mut out = UNTOUCHED;
    // SAFETY: valid out-pointer.
    let st = unsafe { lsim_invoke_flat(r, now, f.index, f.generation, f.region_tag, &mut out) };
    if st == S::Ok {
        Ok(out)
    } else {
        assert_eq!(out, UNTOUCHED, "an error wrote the out-parameter");
        Err(st)
    }
}

fn finish_flat(r: *mut lsim_region, now: u64, i: lsim_invocation, outcome: u32) -> Result<lsim_finish_result, S> {
    let marker = lsim_finish_result { duration_us: 7, env_kept: 7, ..lsim_finish_result::default() };
    let mut out = marker;
    let e = i.env;
    // SAFETY: valid out-pointer.
    let st = unsafe { lsim_finish_flat(r, now, e.index, e.generation, e.region_tag, i.seq, outcome, &mut out) };
    if st == S::Ok {
        Ok(out)
    } else {
        assert_eq!(out, marker, "an error wrote the out-parameter");
        Err(st)
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

/// The flat calls answer exactly what the struct-taking ones answer, on
/// two regions driven side by side.
#[test]
fn flat_calls_answer_like_the_struct_calls() {
    let (a, b) = (region(), region());
    let (fa, fb) = (create(a), create(b));
    for step in 0..6u64 {
        let t = step * 1_000_000;
        let mut x = lsim_invoke_result::default();
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { lsim_invoke_for(a, t, fa, 5, LSIM_OUTCOME_SUCCESS, &mut x) }, S::Ok);
        let y = invoke_for_flat(b, t, fb, LSIM_OUTCOME_SUCCESS).unwrap();
        let untag = |mut r: lsim_invoke_result| {
            r.env.region_tag = 0;
            r.invocation.env.region_tag = 0;
            r
        };
        assert_eq!(untag(x), untag(y), "invoke_for at step {step}");
        assert_eq!(y.env.region_tag, fb.region_tag);

        let t = t + 500_000;
        let x = {
            let mut x = lsim_invoke_result::default();
            // SAFETY: valid out-pointer.
            assert_eq!(unsafe { lsim_invoke(a, t, fa, &mut x) }, S::Ok);
            x
        };
        let y = invoke_flat(b, t, fb).unwrap();
        assert_eq!(untag(x), untag(y), "invoke at step {step}");
        let mut fx = lsim_finish_result::default();
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { lsim_finish(a, t + 400_000, x.invocation, LSIM_OUTCOME_FUNCTION_ERROR, &mut fx) }, S::Ok);
        let fy = finish_flat(b, t + 400_000, y.invocation, LSIM_OUTCOME_FUNCTION_ERROR).unwrap();
        assert_eq!((fx.duration_us, fx.env_kept), (fy.duration_us, fy.env_kept));
        assert_eq!(fy.function, fb);
    }
    assert_eq!(lsim_region_check(b), S::Ok);
    assert_eq!((lsim_region_free(a), lsim_region_free(b)), (S::Ok, S::Ok));
}

/// NULL region or out-pointer, unknown outcomes, handles of another region:
/// a status, nothing written, and the region's clock does not move.
#[test]
fn flat_calls_refuse_bad_arguments_before_anything_happens() {
    let (r, other) = (region(), region());
    let f = create(r);
    let g = create(other);
    let started = invoke_flat(r, 10, f).unwrap();
    // SAFETY: NULL out-pointers are refused with a status, never written; that is what is tested.
    unsafe {
        assert_eq!(lsim_invoke_flat(r, 20, f.index, f.generation, f.region_tag, null_mut()), S::NullPointer);
        let st = lsim_invoke_for_flat(r, 20, f.index, f.generation, f.region_tag, 1, 0, null_mut());
        assert_eq!(st, S::NullPointer);
        let e = started.invocation.env;
        let st = lsim_finish_flat(r, 20, e.index, e.generation, e.region_tag, started.invocation.seq, 0, null_mut());
        assert_eq!(st, S::NullPointer);
    }
    for h in [null_mut(), r] {
        let want = if h.is_null() { S::NullPointer } else { S::InvalidArgument };
        assert_eq!(invoke_for_flat(h, 20, f, 99).err(), Some(want), "unknown outcome");
        assert_eq!(finish_flat(h, 20, started.invocation, 4).err(), Some(want), "unknown outcome");
    }
    assert_eq!(invoke_flat(null_mut(), 20, f).err(), Some(S::NullPointer));
    // A handle of another region, or with no tag.
    for wrong in [g, lsim_function { region_tag: 0, ..f }] {
        assert_eq!(invoke_flat(r, 20, wrong).err(), Some(S::UnknownFunction));
        assert_eq!(invoke_for_flat(r, 20, wrong, 0).err(), Some(S::UnknownFunction));
    }
    let mut foreign = started.invocation;
    foreign.env.region_tag = g.region_tag;
    assert_eq!(finish_flat(r, 20, foreign, 0).err(), Some(S::UnknownInvocation));
    assert_eq!((now(r), requests(r)), (10, 1), "a refused call moved the clock or counted a request");
    assert_eq!((lsim_region_free(r), lsim_region_free(other)), (S::Ok, S::Ok));
}

/// A region this thread just used is stale once freed, here or on another
/// thread, for the flat and the struct calls alike; made-up and foreign
/// handles are refused too.
#[test]
fn freed_made_up_and_foreign_regions_are_refused() {
    let r = region();
    let f = create(r);
    assert!(invoke_for_flat(r, 0, f, 0).is_ok());
    let other_thread = r.addr();
    std::thread::spawn(move || {
        let r: *mut lsim_region = std::ptr::without_provenance_mut(other_thread);
        assert_eq!(lsim_advance(r, 1), S::Ok);
        assert_eq!(lsim_region_free(r), S::Ok);
        assert_eq!(lsim_advance(r, 2), S::StaleHandle);
    })
    .join()
    .unwrap();
    let made_up: *mut lsim_region = std::ptr::without_provenance_mut(0x1234_5679);
    let results: Registry<u32> = Registry::new(KIND_SIM_RESULT);
    let foreign: *mut lsim_region = results.insert(1).unwrap();
    for h in [r, made_up, foreign] {
        assert_eq!(invoke_for_flat(h, 5, f, 0).err(), Some(S::StaleHandle));
        assert_eq!(invoke_flat(h, 5, f).err(), Some(S::StaleHandle));
        assert_eq!(finish_flat(h, 5, lsim_invocation::default(), 0).err(), Some(S::StaleHandle));
        assert_eq!(lsim_advance(h, 5), S::StaleHandle);
        assert_eq!(lsim_region_free(h), S::StaleHandle);
    }
    results.remove(foreign).unwrap();
}

/// A poisoned region answers POISONED to the flat calls; freed afterwards,
/// it is stale (not poisoned), like any freed region.
#[test]
fn a_poisoned_region_then_freed_is_stale() {
    let r = region();
    let f = create(r);
    assert!(invoke_flat(r, 0, f).is_ok());
    let status = registry::guard(|| with_region(r, |_| -> Result<(), S> { panic!("planted") }));
    assert_eq!(status, S::Panic);
    assert_eq!(invoke_for_flat(r, 1, f, 0).err(), Some(S::Poisoned));
    assert_eq!(lsim_region_free(r), S::Ok);
    assert_eq!(invoke_for_flat(r, 1, f, 0).err(), Some(S::StaleHandle));
    assert_eq!(lsim_advance(r, 1), S::StaleHandle);
}

/// Many regions used in turn from one thread: each call reaches its own
/// region (the answers carry its tag), and each is stale once freed.
#[test]
fn many_regions_in_turn_on_one_thread() {
    let regions: Vec<(*mut lsim_region, lsim_function)> = (0..11)
        .map(|_| {
            let r = region();
            (r, create(r))
        })
        .collect();
    for round in 0..4u64 {
        for (i, &(r, f)) in regions.iter().enumerate() {
            let t = round * 1_000_000 + i as u64;
            let got = invoke_for_flat(r, t, f, 0).unwrap();
            assert_eq!(got.env.region_tag, f.region_tag);
            assert_eq!(now(r), t);
        }
    }
    for (i, &(r, _)) in regions.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(lsim_region_free(r), S::Ok);
        }
    }
    for (i, &(r, f)) in regions.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(invoke_for_flat(r, 9_000_000, f, 0).err(), Some(S::StaleHandle));
        } else {
            assert!(invoke_for_flat(r, 9_000_000, f, 0).is_ok());
            assert_eq!(requests(r), 5);
        }
    }
    for (i, &(r, _)) in regions.iter().enumerate() {
        if i % 2 == 1 {
            assert_eq!(lsim_region_free(r), S::Ok);
        }
    }
}

/// Threads sharing one region through the flat calls: every call is
/// counted once and the region stays consistent.
#[test]
fn threads_share_a_region_through_flat_calls() {
    let config = lsim_region_config { request_rate_per_limit: 0, ..lsim_region_config::defaults() };
    let mut r = null_mut();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_region_new(&config, &mut r) }, S::Ok);
    let f = create(r);
    let addr = r.addr();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let r: *mut lsim_region = std::ptr::without_provenance_mut(addr);
                let mut ok = 0u64;
                for _ in 0..200 {
                    // Clocks race between threads: going backwards is an answer, not a failure.
                    let t = now(r) + 10;
                    match invoke_for_flat(r, t, f, 0) {
                        Ok(_) => ok += 1,
                        Err(e) => assert_eq!(e, S::TimeWentBackwards),
                    }
                }
                ok
            })
        })
        .collect();
    let ok: u64 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(requests(r), ok);
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

/// The `_with_init_flat` calls answer what their struct-taking twins answer,
/// and refuse NULL, unknown outcomes and wrong-region handles.
#[test]
fn with_init_flat_calls_answer_like_the_struct_calls() {
    let (a, b) = (region(), region());
    let (fa, fb) = (create(a), create(b));
    let untag = |mut r: lsim_invoke_result| {
        r.env.region_tag = 0;
        r.invocation.env.region_tag = 0;
        r
    };
    let (mut x, mut y) = (lsim_invoke_result::default(), UNTOUCHED);
    // SAFETY: every out-pointer is a valid local or NULL (refused with a status).
    unsafe {
        assert_eq!(lsim_invoke_with_init(a, 0, fa, 1_000, &mut x), S::Ok);
        assert_eq!(lsim_invoke_with_init_flat(b, 0, fb.index, fb.generation, fb.region_tag, 1_000, &mut y), S::Ok);
        assert_eq!(untag(x), untag(y));
        assert_eq!(lsim_invoke_for_with_init(a, 10, fa, 7, LSIM_OUTCOME_CRASH, 2_000, &mut x), S::Ok);
        let st = lsim_invoke_for_with_init_flat(b, 10, fb.index, fb.generation, fb.region_tag, 7, 3, 2_000, &mut y);
        assert_eq!(st, S::Ok);
        assert_eq!(untag(x), untag(y));
        assert_eq!(y.init_us, x.init_us);
        let before = y;
        let bad = [
            lsim_invoke_with_init_flat(b, 20, fb.index, fb.generation, fb.region_tag, 1, null_mut()),
            lsim_invoke_with_init_flat(null_mut(), 20, fb.index, fb.generation, fb.region_tag, 1, &mut y),
            lsim_invoke_with_init_flat(b, 20, fa.index, fa.generation, fa.region_tag, 1, &mut y),
            lsim_invoke_for_with_init_flat(b, 20, fb.index, fb.generation, fb.region_tag, 1, 4, 1, &mut y),
            lsim_invoke_for_with_init_flat(b, 20, fb.index, fb.generation, 0, 1, 0, 1, &mut y),
            lsim_invoke_for_with_init_flat(b, 20, fb.index, fb.generation, fb.region_tag, 1, 0, 1, null_mut()),
        ];
        assert_eq!(
            bad,
            [
                S::NullPointer,
                S::NullPointer,
                S::UnknownFunction,
                S::InvalidArgument,
                S::UnknownFunction,
                S::NullPointer
            ]
        );
        assert_eq!(y, before, "a refused call wrote the out-parameter");
    }
    assert_eq!((now(b), requests(b)), (10, 2));
    assert_eq!(lsim_region_free(a), S::Ok);
    assert_eq!(lsim_region_free(b), S::Ok);
    for h in [a, b] {
        let mut out = UNTOUCHED;
        // SAFETY: valid out-pointer.
        let st =
            unsafe { lsim_invoke_for_with_init_flat(h, 30, fb.index, fb.generation, fb.region_tag, 1, 0, 1, &mut out) };
        assert_eq!(st, S::StaleHandle);
    }
}
