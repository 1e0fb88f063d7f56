//! The C ABI's own cost: one warm `invoke_for` on the core `Region` beside
//! the same call through `lsim_invoke_for` (registry lookup, region lock,
//! panic boundary, result struct), called from Rust as C would call it.
//! Both regions are the C ABI's size (16384 environments, 256 functions)
//! with one warm environment, so the difference is the boundary alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use criterion::{Criterion, criterion_group, criterion_main};
use lambdasim::{Duration, FunctionConfig, Handler, Instant, Outcome, Region, RegionConfig};
use lambdasim_ffi::{
    LSIM_ENV_CAPACITY, LSIM_FUNCTION_CAPACITY, LSIM_OUTCOME_SUCCESS, lsim_function, lsim_function_config,
    lsim_invoke_result, lsim_region, lsim_region_config, lsim_status,
};
use std::hint::black_box;

type CoreRegion = Region<'static>;

/// Microseconds between calls; each handler runs `HANDLER_US`, so the one
/// environment is idle again at the next call (a warm start every time).
const STEP_US: u64 = 10;
const HANDLER_US: u64 = 5;

fn core_invoke_for(c: &mut Criterion) {
    let config = RegionConfig { request_rate_per_limit: 0, ..RegionConfig::default() };
    let capacity = lambdasim::Capacity { envs: LSIM_ENV_CAPACITY, functions: LSIM_FUNCTION_CAPACITY };
    let mut r: Box<CoreRegion> = Box::new(Region::with_capacity(config, capacity).unwrap());
    let fc = FunctionConfig { timeout_ms: 900_000, ..FunctionConfig::default() };
    let f = r.create_function(Instant::ZERO, &fc).unwrap();
    let handler = Handler { duration: Duration::from_micros(HANDLER_US), outcome: Outcome::Success };
    // The first call cold-starts; the warm-up leaves one idle environment.
    let mut t = 0u64;
    r.invoke_for(Instant::from_micros(t), f, handler).unwrap();
    t += 10_000_000;
    c.bench_function("invoke_for/warm/core", |b| {
        b.iter(|| {
            t += STEP_US;
            black_box(r.invoke_for(Instant::from_micros(t), f, handler).unwrap());
        });
    });
}

/// A C region with one function and its one environment warm.
fn c_region() -> (*mut lsim_region, lsim_function, u64) {
    // SAFETY: every pointer passed is a valid local.
    unsafe {
        let mut rc: lsim_region_config = std::mem::zeroed();
        assert_eq!(lambdasim_ffi::lsim_region_config_default(&mut rc), lsim_status::Ok);
        rc.request_rate_per_limit = 0;
        let mut region = std::ptr::null_mut();
        assert_eq!(lambdasim_ffi::lsim_region_new(&rc, &mut region), lsim_status::Ok);
        let mut fc: lsim_function_config = std::mem::zeroed();
        assert_eq!(lambdasim_ffi::lsim_function_config_default(&mut fc), lsim_status::Ok);
        fc.timeout_ms = 900_000;
        let mut f = lsim_function::default();
        assert_eq!(lambdasim_ffi::lsim_function_create(region, 0, &fc, &mut f), lsim_status::Ok);
        let mut out = lsim_invoke_result::default();
        let st = lambdasim_ffi::lsim_invoke_for(region, 0, f, HANDLER_US, LSIM_OUTCOME_SUCCESS, &mut out);
        assert_eq!(st, lsim_status::Ok);
        (region, f, 10_000_000)
    }
}

fn c_invoke_for(c: &mut Criterion) {
    let (region, f, mut t) = c_region();
    let mut out = lsim_invoke_result::default();
    c.bench_function("invoke_for/warm/c-abi", |b| {
        b.iter(|| {
            t += STEP_US;
            // SAFETY: `out` is a valid local.
            let st = unsafe {
                lambdasim_ffi::lsim_invoke_for(black_box(region), t, f, HANDLER_US, LSIM_OUTCOME_SUCCESS, &mut out)
            };
            assert_eq!(st, lsim_status::Ok);
            black_box(&out);
        });
    });
    assert_eq!(lambdasim_ffi::lsim_region_free(region), lsim_status::Ok);
}

criterion_group!(benches, core_invoke_for, c_invoke_for);
criterion_main!(benches);
