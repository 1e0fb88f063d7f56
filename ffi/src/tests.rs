//! Unit tests of the C ABI, calling the entry points as C would.

use super::*;
use crate::registry::with_region;
use core::ffi::CStr;
use std::ptr::{null, null_mut};

type S = lsim_status;

fn cstr(p: *const core::ffi::c_char) -> &'static str {
    assert!(!p.is_null());
    // SAFETY: every string getter returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

fn region_config() -> lsim_region_config {
    let mut c = lsim_region_config::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_config_default(&mut c) }, S::Ok);
    c
}

fn function_config() -> lsim_function_config {
    let mut c = lsim_function_config::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_config_default(&mut c) }, S::Ok);
    c
}

fn new_region(config: &lsim_region_config) -> Result<*mut lsim_region, S> {
    let mut r = null_mut();
    // SAFETY: valid pointers.
    match unsafe { lsim_region_new(config, &mut r) } {
        S::Ok => Ok(r),
        s => Err(s),
    }
}

fn region() -> *mut lsim_region {
    new_region(&region_config()).unwrap()
}

fn create(r: *mut lsim_region, now: u64, c: &lsim_function_config) -> Result<lsim_function, S> {
    let mut f = lsim_function { index: 99, generation: 99, region_tag: 0 };
    // SAFETY: valid pointers.
    match unsafe { lsim_function_create(r, now, c, &mut f) } {
        S::Ok => Ok(f),
        s => {
            assert_eq!(f, lsim_function { index: 99, generation: 99, region_tag: 0 }, "out written on error");
            Err(s)
        }
    }
}

fn invoke(r: *mut lsim_region, now: u64, f: lsim_function) -> Result<lsim_invoke_result, S> {
    let mut out = lsim_invoke_result::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_invoke(r, now, f, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

fn finish(r: *mut lsim_region, now: u64, i: lsim_invocation, outcome: u32) -> Result<lsim_finish_result, S> {
    let mut out = lsim_finish_result::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_finish(r, now, i, outcome, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

#[test]
fn versions_and_names() {
    assert_eq!(lsim_abi_version(), LSIM_ABI_VERSION);
    assert_eq!(cstr(lsim_version()), env!("CARGO_PKG_VERSION"));
    for (i, s) in crate::status::ALL_STATUSES.iter().enumerate() {
        assert_eq!(*s as u32, i as u32, "codes are dense and in order");
        let name = cstr(lsim_status_str(*s as u32));
        assert!(name.starts_with("LSIM_STATUS_"), "{name}");
    }
    assert_eq!(cstr(lsim_status_str(0)), "LSIM_STATUS_OK");
    assert_eq!(cstr(lsim_status_str(24)), "LSIM_STATUS_INVARIANT_VIOLATED");
    assert_eq!(cstr(lsim_status_str(25)), "LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE");
    assert_eq!(cstr(lsim_status_str(26)), "LSIM_STATUS_OVERFLOW");
    assert_eq!(cstr(lsim_status_str(27)), "LSIM_STATUS_TOO_FEW_SAMPLES");
    assert_eq!(cstr(lsim_status_str(28)), "LSIM_STATUS_INVALID_SCENARIO");
    assert_eq!(cstr(lsim_status_str(29)), "LSIM_STATUS_SIMULATION_FAILED");
    assert_eq!(cstr(lsim_status_str(30)), "LSIM_STATUS_UNKNOWN_ENV");
    assert_eq!(cstr(lsim_status_str(35)), "unknown status");
    assert_eq!(cstr(lsim_status_str(u32::MAX)), "unknown status");
    for r in lambdasim::ThrottleReason::ALL {
        assert_eq!(cstr(lsim_throttle_reason_str(r as u32)), r.name());
    }
    assert_eq!(cstr(lsim_throttle_reason_str(5)), "unknown");
    for k in [
        lambdasim::StartKind::Warm,
        lambdasim::StartKind::Provisioned,
        lambdasim::StartKind::PartialCold,
        lambdasim::StartKind::FullCold,
    ] {
        assert_eq!(cstr(lsim_start_kind_str(k as u32)), k.name());
    }
    assert_eq!(cstr(lsim_start_kind_str(7)), "unknown");
    for code in 0..6 {
        let s = lambdasim::EnvState::try_from(types::Code(code)).unwrap();
        assert_eq!(cstr(lsim_env_state_str(code)), s.name());
    }
    assert_eq!(cstr(lsim_env_state_str(6)), "unknown");
    for code in 0..4 {
        let s = lambdasim::ProvisionedStatus::try_from(types::Code(code)).unwrap();
        assert_eq!(cstr(lsim_provisioned_status_str(code)), s.name());
    }
    assert_eq!(cstr(lsim_provisioned_status_str(4)), "unknown");
}

#[test]
fn defaults_match_the_core() {
    let c = region_config();
    assert_eq!(c.struct_size as usize, size_of::<lsim_region_config>());
    assert_eq!(lambdasim::RegionConfig::try_from(&c), Ok(lambdasim::RegionConfig::default()));
    let f = function_config();
    assert_eq!(f.struct_size as usize, size_of::<lsim_function_config>());
    assert_eq!(lambdasim::FunctionConfig::try_from(&f), Ok(lambdasim::FunctionConfig::default()));
}

#[test]
fn null_pointers() {
    // SAFETY: NULL is always allowed; other pointers are valid.
    unsafe {
        assert_eq!(lsim_region_config_default(null_mut()), S::NullPointer);
        assert_eq!(lsim_function_config_default(null_mut()), S::NullPointer);
        let mut r = null_mut();
        assert_eq!(lsim_region_new(null(), &mut r), S::NullPointer);
        assert_eq!(lsim_region_new(&region_config(), null_mut()), S::NullPointer);
        assert!(r.is_null());
        assert_eq!(lsim_region_free(null_mut()), S::Ok);

        let r = region();
        let fc = function_config();
        let f = create(r, 0, &fc).unwrap();
        let mut fo = lsim_function::default();
        assert_eq!(lsim_function_create(null_mut(), 0, &fc, &mut fo), S::NullPointer);
        assert_eq!(lsim_function_create(r, 0, null(), &mut fo), S::NullPointer);
        assert_eq!(lsim_function_create(r, 0, &fc, null_mut()), S::NullPointer);
        assert_eq!(lsim_function_update(null_mut(), 0, f, &fc), S::NullPointer);
        assert_eq!(lsim_function_update(r, 0, f, null()), S::NullPointer);
        assert_eq!(lsim_function_put_reserved(null_mut(), 0, f, 1, 1), S::NullPointer);
        assert_eq!(lsim_function_put_provisioned(null_mut(), 0, f, 1), S::NullPointer);
        assert_eq!(lsim_function_delete(null_mut(), 0, f), S::NullPointer);
        let mut ir = lsim_invoke_result::default();
        assert_eq!(lsim_invoke(null_mut(), 0, f, &mut ir), S::NullPointer);
        assert_eq!(lsim_invoke(r, 0, f, null_mut()), S::NullPointer);
        assert_eq!(lsim_invoke_with_init(null_mut(), 0, f, 1, &mut ir), S::NullPointer);
        assert_eq!(lsim_invoke_with_init(r, 0, f, 1, null_mut()), S::NullPointer);
        let mut fr = lsim_finish_result::default();
        let inv = lsim_invocation::default();
        assert_eq!(lsim_finish(null_mut(), 0, inv, 0, &mut fr), S::NullPointer);
        assert_eq!(lsim_finish(r, 0, inv, 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_advance(null_mut(), 0), S::NullPointer);
        let (mut has, mut at) = (7u32, 7u64);
        assert_eq!(lsim_next_deadline(null(), &mut has, &mut at), S::NullPointer);
        assert_eq!(lsim_next_deadline(r, null_mut(), &mut at), S::NullPointer);
        assert_eq!(lsim_next_deadline(r, &mut has, null_mut()), S::NullPointer);
        assert_eq!((has, at), (7, 7));
        let mut now = 0u64;
        assert_eq!(lsim_region_now(null(), &mut now), S::NullPointer);
        assert_eq!(lsim_region_now(r, null_mut()), S::NullPointer);
        let mut fcnt = lsim_function_counts::default();
        assert_eq!(lsim_function_get_counts(null(), f, &mut fcnt), S::NullPointer);
        assert_eq!(lsim_function_get_counts(r, f, null_mut()), S::NullPointer);
        let mut st = lsim_stats::default();
        assert_eq!(lsim_function_stats(null(), f, &mut st), S::NullPointer);
        assert_eq!(lsim_function_stats(r, f, null_mut()), S::NullPointer);
        assert_eq!(lsim_region_stats(null(), &mut st), S::NullPointer);
        assert_eq!(lsim_region_stats(r, null_mut()), S::NullPointer);
        let mut rc = lsim_region_counts::default();
        assert_eq!(lsim_region_get_counts(null(), &mut rc), S::NullPointer);
        assert_eq!(lsim_region_get_counts(r, null_mut()), S::NullPointer);
        let mut state = 0u32;
        assert_eq!(lsim_env_state(null(), lsim_env::default(), &mut state), S::NullPointer);
        assert_eq!(lsim_env_state(r, lsim_env::default(), null_mut()), S::NullPointer);
        assert_eq!(lsim_region_check(null()), S::NullPointer);
        let mut buf = [0 as core::ffi::c_char; 8];
        let mut len = 0usize;
        assert_eq!(lsim_region_check_message(null(), buf.as_mut_ptr(), buf.len(), &mut len), S::NullPointer);
        assert_eq!(lsim_region_check_message(r, buf.as_mut_ptr(), buf.len(), null_mut()), S::NullPointer);
        assert_eq!(lsim_region_check_message(r, null_mut(), 8, &mut len), S::NullPointer);
        assert_eq!(lsim_region_free(r), S::Ok);
    }
}

#[test]
fn freed_stale_and_made_up_handles() {
    let r = region();
    let f = create(r, 0, &function_config()).unwrap();
    assert_eq!(lsim_region_free(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::StaleHandle, "double free");
    assert_eq!(lsim_advance(r, 1), S::StaleHandle);
    assert_eq!(invoke(r, 1, f), Err(S::StaleHandle));
    assert_eq!(lsim_region_check(r), S::StaleHandle);
    // A new region may reuse the slot: the old handle stays stale.
    let r2 = region();
    assert_eq!(lsim_advance(r, 1), S::StaleHandle);
    assert_eq!(lsim_advance(r2, 1), S::Ok);
    // Made-up handles: even, odd with a wild index, odd with a wrong generation.
    for addr in [8usize, 0x1234_5679, r2.addr() ^ (1 << 21), (1 << 21) | (0xF_FFFF << 1) | 1] {
        let bogus: *mut lsim_region = std::ptr::without_provenance_mut(addr);
        assert_eq!(lsim_advance(bogus, 2), S::StaleHandle, "{addr:#x}");
        assert_eq!(lsim_region_free(bogus), S::StaleHandle, "{addr:#x}");
    }
    assert_eq!(lsim_region_free(r2), S::Ok);
}

#[test]
fn stale_function_and_invocation_handles() {
    let r = region();
    let f = create(r, 0, &function_config()).unwrap();
    let started = invoke(r, 0, f).unwrap();
    assert_eq!(started.throttled, 0);
    assert_eq!(started.start_kind, LSIM_START_KIND_FULL_COLD);
    assert_eq!(lsim_function_delete(r, 0, f), S::FunctionBusy);
    let done = finish(r, started.ready_at_us + 1_000, started.invocation, LSIM_OUTCOME_SUCCESS).unwrap();
    assert_eq!(done.function, f);
    assert_eq!(done.duration_us, 1_000);
    assert_eq!(done.env_kept, 1);
    let t = started.ready_at_us + 2_000;
    assert_eq!(finish(r, t, started.invocation, LSIM_OUTCOME_SUCCESS), Err(S::UnknownInvocation));
    assert_eq!(lsim_function_delete(r, t, f), S::Ok);
    assert_eq!(invoke(r, t, f), Err(S::UnknownFunction));
    assert_eq!(lsim_function_delete(r, t, f), S::UnknownFunction);
    assert_eq!(lsim_function_put_reserved(r, t, f, 1, 5), S::UnknownFunction);
    let mut counts = lsim_function_counts::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_get_counts(r, f, &mut counts) }, S::UnknownFunction);
    // The deleted function's environment is gone.
    let mut state = 99u32;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_env_state(r, started.env, &mut state) }, S::Ok);
    assert_eq!(state, LSIM_ENV_STATE_TERMINATED);
    assert_eq!(lsim_region_check(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn unknown_enum_values_and_flags() {
    let mut c = region_config();
    c.warm_pick = 7;
    assert_eq!(new_region(&c), Err(S::InvalidArgument));
    let mut c = region_config();
    c.scaling_rule = 5;
    assert_eq!(new_region(&c), Err(S::InvalidArgument));
    let mut c = region_config();
    c.memory_rule = 9;
    assert_eq!(new_region(&c), Err(S::InvalidArgument));

    let r = region();
    let mut fc = function_config();
    fc.has_reserved = 2;
    assert_eq!(create(r, 0, &fc), Err(S::InvalidArgument));
    let f = create(r, 0, &function_config()).unwrap();
    assert_eq!(lsim_function_put_reserved(r, 0, f, 3, 1), S::InvalidArgument);
    let started = invoke(r, 0, f).unwrap();
    assert_eq!(finish(r, started.ready_at_us, started.invocation, 99), Err(S::InvalidArgument));
    assert_eq!(finish(r, started.ready_at_us, started.invocation, 4), Err(S::InvalidArgument));
    assert!(finish(r, started.ready_at_us, started.invocation, LSIM_OUTCOME_CRASH).is_ok());
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn struct_size_must_match() {
    for bad in [0u32, 4, size_of::<lsim_region_config>() as u32 - 8, size_of::<lsim_region_config>() as u32 + 8] {
        let mut c = region_config();
        c.struct_size = bad;
        assert_eq!(new_region(&c), Err(S::InvalidArgument), "{bad}");
    }
    let r = region();
    let f = create(r, 0, &function_config()).unwrap();
    for bad in [0u32, size_of::<lsim_function_config>() as u32 + 4] {
        let mut fc = function_config();
        fc.struct_size = bad;
        assert_eq!(create(r, 0, &fc), Err(S::InvalidArgument));
        // SAFETY: valid pointer.
        assert_eq!(unsafe { lsim_function_update(r, 0, f, &fc) }, S::InvalidArgument);
    }
    // A caller whose struct is only 4 bytes long: struct_size is read first,
    // so nothing past it is touched.
    let short = 4u32;
    let mut out = lsim_function::default();
    // SAFETY: the function reads only the first 4 bytes when struct_size is wrong.
    let s = unsafe { lsim_function_create(r, 0, (&short as *const u32).cast(), &mut out) };
    assert_eq!(s, S::InvalidArgument);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn core_errors_map_to_statuses() {
    let mut c = region_config();
    c.account_limit = 0;
    assert_eq!(new_region(&c), Err(S::AccountLimitTooLow));
    let mut c = region_config();
    c.provisioned_per_minute = 0;
    assert_eq!(new_region(&c), Err(S::InvalidSetting));
    let mut c = region_config();
    c.scaling_rule = LSIM_SCALING_RULE_LEGACY_ACCOUNT;
    c.legacy_burst = 0;
    assert_eq!(new_region(&c), Err(S::InvalidSetting));

    let r = region();
    type Edit = fn(&mut lsim_function_config);
    let cases: [(Edit, S); 9] = [
        (|c| c.memory_mb = 127, S::MemoryBelowMinimum),
        (|c| c.memory_mb = 0, S::MemoryBelowMinimum),
        (|c| c.memory_mb = 10_241, S::MemoryAboveMaximum),
        (|c| c.timeout_ms = 0, S::TimeoutOutOfRange),
        (|c| c.timeout_ms = 900_001, S::TimeoutOutOfRange),
        (|c| c.package_mb = 10_241, S::PackageTooLarge),
        (
            |c| {
                c.has_reserved = 1;
                c.reserved = 2;
                c.provisioned = 3;
            },
            S::ProvisionedExceedsReserved,
        ),
        (
            |c| {
                c.has_reserved = 1;
                c.reserved = 901;
            },
            S::UnreservedBelowMinimum,
        ),
        (|c| c.has_reserved = 2, S::InvalidArgument),
    ];
    for (edit, want) in cases {
        let mut fc = function_config();
        edit(&mut fc);
        assert_eq!(create(r, 0, &fc), Err(want));
    }
    let f = create(r, 10, &function_config()).unwrap();
    assert_eq!(lsim_advance(r, 5), S::TimeWentBackwards);
    assert_eq!(invoke(r, 5, f), Err(S::TimeWentBackwards));
    assert_eq!(create(r, 5, &function_config()), Err(S::TimeWentBackwards));
    assert_eq!(lsim_region_free(r), S::Ok);

    let mut c = region_config();
    c.memory_rule = LSIM_MEMORY_RULE_LEGACY64;
    let r = new_region(&c).unwrap();
    let mut fc = function_config();
    fc.memory_mb = 200;
    assert_eq!(create(r, 0, &fc), Err(S::MemoryNotOnStep));
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn invoke_finish_and_warm_reuse() {
    let r = region();
    let f = create(r, 0, &function_config()).unwrap();
    let first = invoke(r, 0, f).unwrap();
    assert_eq!((first.throttled, first.start_kind, first.on_provisioned), (0, LSIM_START_KIND_FULL_COLD, 0));
    assert_eq!(first.init_us, 380_000, "125 ms sandbox + 5 MB x 1 ms + 250 ms init");
    assert_eq!(first.ready_at_us, first.init_us);
    assert_eq!(finish(r, 1_000, first.invocation, LSIM_OUTCOME_SUCCESS), Err(S::NotReady));
    let mut has = 0u32;
    let mut at = 0u64;
    // SAFETY: valid out-pointers.
    assert_eq!(unsafe { lsim_next_deadline(r, &mut has, &mut at) }, S::Ok);
    assert_eq!((has, at), (1, 130_000), "sandbox ready");
    finish(r, first.ready_at_us + 100_000, first.invocation, LSIM_OUTCOME_SUCCESS).unwrap();
    assert_eq!(lsim_region_check(r), S::Ok);
    let second = invoke(r, 2_000_000, f).unwrap();
    assert_eq!(second.start_kind, LSIM_START_KIND_WARM);
    assert_eq!(second.env, first.env);
    assert_eq!(second.invocation.seq, 2);
    let mut state = 0u32;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_env_state(r, second.env, &mut state) }, S::Ok);
    assert_eq!(state, LSIM_ENV_STATE_BUSY);
    let mut counts = lsim_region_counts::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_get_counts(r, &mut counts) }, S::Ok);
    assert_eq!((counts.busy, counts.live, counts.unreserved_in_use, counts.unreserved_pool), (1, 1, 1, 1000));
    let mut stats = lsim_stats::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_stats(r, &mut stats) }, S::Ok);
    assert_eq!((stats.requests, stats.full_cold_starts, stats.warm_starts, stats.succeeded), (2, 1, 1, 1));
    let mut now = 0u64;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_now(r, &mut now) }, S::Ok);
    assert_eq!(now, 2_000_000);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn reserved_zero_throttles_with_its_reason() {
    let r = region();
    let mut fc = function_config();
    fc.has_reserved = 1;
    fc.reserved = 0;
    let f = create(r, 0, &fc).unwrap();
    let out = invoke(r, 0, f).unwrap();
    assert_eq!(out.throttled, 1);
    assert_eq!(out.throttle_reason, LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
    let mut stats = lsim_stats::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_stats(r, f, &mut stats) }, S::Ok);
    assert_eq!(stats.throttles, [0, 1, 0, 0, 0]);
    let mut counts = lsim_function_counts::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_get_counts(r, f, &mut counts) }, S::Ok);
    assert_eq!((counts.has_reserved, counts.reserved, counts.busy), (1, 0, 0));
    assert_eq!(lsim_function_put_reserved(r, 0, f, 0, 0), S::Ok);
    assert_eq!(invoke(r, 0, f).unwrap().throttled, 0);
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn check_message_buffer_convention() {
    let r = region();
    let mut len = 0usize;
    // SAFETY: valid pointers, NULL buf with buf_len 0 is a size query.
    unsafe {
        assert_eq!(lsim_region_check_message(r, null_mut(), 0, &mut len), S::BufferTooSmall);
        assert_eq!(len, 1, "no violation: the empty string");
        let mut buf = [1 as core::ffi::c_char; 4];
        assert_eq!(lsim_region_check_message(r, buf.as_mut_ptr(), buf.len(), &mut len), S::Ok);
        assert_eq!((len, buf[0], buf[1]), (1, 0, 1));
    }
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn a_panic_poisons_the_region() {
    let r = region();
    let f = create(r, 0, &function_config()).unwrap();
    let status = registry::guard(|| with_region(r, |_| -> Result<(), S> { panic!("planted") }));
    assert_eq!(status, S::Panic);
    assert_eq!(lsim_advance(r, 1), S::Poisoned);
    assert_eq!(invoke(r, 1, f), Err(S::Poisoned));
    assert_eq!(lsim_region_check(r), S::Poisoned);
    // Other regions are unaffected; the poisoned one can still be freed.
    let other = region();
    assert_eq!(lsim_advance(other, 1), S::Ok);
    assert_eq!(lsim_region_free(r), S::Ok);
    assert_eq!(lsim_region_free(r), S::StaleHandle);
    assert_eq!(lsim_region_free(other), S::Ok);
    assert_eq!(registry::guard(|| panic!("outside a region")), S::Panic);
}

#[test]
fn regions_can_be_made_from_a_small_stack() {
    // The region is 1.7 MB; lsim_region_new must not build it on the caller's stack.
    let t = std::thread::Builder::new().stack_size(256 * 1024).spawn(|| {
        let r = region();
        assert_eq!(lsim_region_free(r), S::Ok);
    });
    t.unwrap().join().unwrap();
}

#[test]
fn regions_are_usable_from_many_threads() {
    let r = region();
    let addr = r.addr();
    let f = create(r, 0, &function_config()).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let r: *mut lsim_region = std::ptr::without_provenance_mut(addr);
                for _ in 0..50 {
                    let out = invoke(r, 0, f).unwrap();
                    assert_eq!(out.throttled, 0);
                    assert_eq!(lsim_region_check(r), S::Ok);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut counts = lsim_function_counts::default();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_get_counts(r, f, &mut counts) }, S::Ok);
    assert_eq!(counts.busy, 200);
    assert_eq!(lsim_region_free(r), S::Ok);
}
