//! `invoke` + `finish` pairs on a `Region` at steady state, `advance` over
//! the whole clock with provisioned environments recycling, and bursts of
//! invocations whose ends collide in one timer-wheel bucket.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lambdasim::{Duration, FunctionConfig, Handler, Instant, Invoked, Outcome, Region, RegionConfig, ScalingRule};
use std::hint::black_box;

type R = Region<'static>;
const CAPACITY: lambdasim::Capacity = lambdasim::Capacity { envs: 16_384, functions: 8 };

/// A region whose function has `warm` idle environments, and the clock.
fn warmed(warm: u32) -> (Box<R>, lambdasim::FunctionId, Instant) {
    let config = RegionConfig { account_limit: 20_000, request_rate_per_limit: 0, ..RegionConfig::default() };
    let mut r: Box<R> = Box::new(Region::with_capacity(config, CAPACITY).unwrap());
    let fc = FunctionConfig { timeout_ms: 900_000, ..FunctionConfig::default() };
    let f = r.create_function(Instant::ZERO, &fc).unwrap();
    let mut started = Vec::new();
    for _ in 0..warm {
        if let Invoked::Started(s) = r.invoke(Instant::ZERO, f).unwrap() {
            started.push(s);
        }
    }
    let t = Instant::from_secs(10);
    for s in started {
        r.finish(t, s.invocation, Outcome::Success).unwrap();
    }
    (r, f, t)
}

fn invoke_finish(c: &mut Criterion) {
    let mut g = c.benchmark_group("invoke+finish");
    g.throughput(Throughput::Elements(1));
    for warm in [1u32, 100, 10_000] {
        g.bench_with_input(BenchmarkId::new("warm-envs", warm), &warm, |b, &warm| {
            let (mut r, f, mut t) = warmed(warm);
            b.iter(|| {
                t = t.saturating_add(Duration::from_micros(10));
                let Invoked::Started(s) = r.invoke(t, f).unwrap() else { panic!("throttled") };
                black_box(
                    r.finish(t.saturating_add(Duration::from_micros(5)), s.invocation, Outcome::Success).unwrap(),
                );
            });
        });
    }
    g.finish();
}

/// The same steady state with the region ending each invocation itself
/// (`invoke_for`): no `finish` call, the end is applied by the next invoke.
fn invoke_for(c: &mut Criterion) {
    let mut g = c.benchmark_group("invoke_for");
    g.throughput(Throughput::Elements(1));
    let handler = Handler { duration: Duration::from_micros(5), outcome: Outcome::Success };
    for warm in [1u32, 100, 10_000] {
        g.bench_with_input(BenchmarkId::new("warm-envs", warm), &warm, |b, &warm| {
            let (mut r, f, mut t) = warmed(warm);
            b.iter(|| {
                t = t.saturating_add(Duration::from_micros(10));
                black_box(r.invoke_for(t, f, handler).unwrap());
            });
        });
    }
    g.finish();
}

/// `advance` from 0 to the end of the clock with 1000 provisioned
/// environments: their allocation, then 2.5 billion 2-hour recycles each,
/// which the region skips in whole periods (bounded by the environments,
/// not by the span).
fn advance_to_the_end_of_the_clock(c: &mut Criterion) {
    let mut g = c.benchmark_group("advance");
    g.bench_function("1000-provisioned-0-to-u64-max", |b| {
        b.iter_batched(
            || {
                let config = RegionConfig { account_limit: 2_000, ..RegionConfig::default() };
                let mut r: Box<R> = Box::new(Region::with_capacity(config, CAPACITY).unwrap());
                let fc = FunctionConfig { provisioned: 1_000, ..FunctionConfig::default() };
                r.create_function(Instant::ZERO, &fc).unwrap();
                r
            },
            |mut r| {
                r.advance(Instant::MAX).unwrap();
                r
            },
            BatchSize::LargeInput,
        );
    });
    g.finish();
}

/// A region with `k` warm environments that scale out at once (no scaling
/// or request-rate limit, no lifetime recycling), and the clock.
fn warm_for_bursts(k: u32) -> (Box<R>, lambdasim::FunctionId, Instant) {
    let config = RegionConfig {
        account_limit: 20_000,
        request_rate_per_limit: 0,
        scaling: ScalingRule::LegacyAccount { burst: 20_000 },
        max_lifetime: Duration::ZERO,
        ..RegionConfig::default()
    };
    let mut r: Box<R> = Box::new(Region::with_capacity(config, CAPACITY).unwrap());
    let fc = FunctionConfig { timeout_ms: 900_000, ..FunctionConfig::default() };
    let f = r.create_function(Instant::ZERO, &fc).unwrap();
    let handler = Handler { duration: Duration::from_millis(1), outcome: Outcome::Success };
    for _ in 0..k {
        assert!(matches!(r.invoke_for(Instant::ZERO, f, handler).unwrap(), Invoked::Started(_)));
    }
    let t = Instant::from_secs(10);
    r.advance(t).unwrap();
    (r, f, t)
}

/// `k` invocations started at one instant, then one `advance` past their
/// ends. `spacing` apart: with 0 they all end at the same microsecond (a
/// fixed handler duration in a synchronized burst: one wheel bucket); with
/// 4 ms they spread over the wheel (up to 4 per bucket). Per element: one
/// `invoke_for` and its end.
fn burst_ends(c: &mut Criterion) {
    let mut g = c.benchmark_group("burst-ends");
    g.sample_size(10);
    for k in [1u32, 100, 16_000] {
        g.throughput(Throughput::Elements(u64::from(k)));
        for (name, spacing_us) in [("same-deadline", 0u64), ("spread-4ms", 4_000)] {
            g.bench_with_input(BenchmarkId::new(name, k), &k, |b, &k| {
                let (mut r, f, mut t) = warm_for_bursts(k);
                b.iter(|| {
                    for i in 0..u64::from(k) {
                        let duration = Duration::from_micros(1_000_000 + i * spacing_us);
                        let handler = Handler { duration, outcome: Outcome::Success };
                        black_box(r.invoke_for(t, f, handler).unwrap());
                    }
                    t = t.saturating_add(Duration::from_micros(2_000_000 + u64::from(k) * spacing_us));
                    r.advance(t).unwrap();
                });
            });
        }
    }
    g.finish();
}

criterion_group!(benches, invoke_finish, invoke_for, advance_to_the_end_of_the_clock, burst_ends);
criterion_main!(benches);
