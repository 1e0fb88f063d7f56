//! `invoke` + `finish` pairs on a `Region` at steady state, and `advance`
//! over the whole clock with provisioned environments recycling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lambdasim::{Duration, FunctionConfig, Handler, Instant, Invoked, Outcome, Region, RegionConfig};
use std::hint::black_box;

type R = Region<16_384, 8>;

/// A region whose function has `warm` idle environments, and the clock.
fn warmed(warm: u32) -> (Box<R>, lambdasim::FunctionId, Instant) {
    let config = RegionConfig { account_limit: 20_000, request_rate_per_limit: 0, ..RegionConfig::default() };
    let mut r: Box<R> = Box::new(Region::new(config).unwrap());
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
                let mut r: Box<R> = Box::new(Region::new(config).unwrap());
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

criterion_group!(benches, invoke_finish, invoke_for, advance_to_the_end_of_the_clock);
criterion_main!(benches);
