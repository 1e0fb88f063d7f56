//! Whole-simulation throughput in simulated requests per second, on the
//! reference scenario at λ = 0.9/s (few instances) and λ = 20/s (many),
//! and on synchronized bursts whose ends collide (a fixed handler duration)
//! or spread (an exponential one); and the reference run with metrics on
//! and off.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lambdasim::sim::{DurationDist, SimFunction, Workload};
use lambdasim::{ColdStartProfile, Duration, FunctionConfig, ScalingRule};
use lambdasim_bench::{BenchSim, reference_config, reference_function};

fn requests(rate: f64, horizon_s: u64) -> u64 {
    let f = [reference_function(rate)];
    let mut sim: Box<BenchSim<'_>> =
        Box::new(BenchSim::with_capacity(reference_config(horizon_s, 1), &f, lambdasim_bench::ENVS).unwrap());
    sim.run(&mut ()).unwrap().total.requests
}

fn simulate(c: &mut Criterion) {
    let mut g = c.benchmark_group("sim-reference");
    g.sample_size(10);
    // 10^6 s at 0.9/s; 10^5 s at 20/s keeps a sample short (2·10^6 requests).
    for (rate, horizon_s) in [(0.9, 1_000_000u64), (20.0, 100_000)] {
        g.throughput(Throughput::Elements(requests(rate, horizon_s)));
        g.bench_with_input(BenchmarkId::new("lambda", rate), &(rate, horizon_s), |b, &(rate, horizon_s)| {
            b.iter(|| requests(rate, horizon_s));
        });
    }
    g.finish();
}

/// Bursts of ~3000 requests within 3 ms (at 10^6/s, the most a workload
/// may ask for) every 10 s, on 3000 warm
/// environments (no scaling or request-rate limit, no init time), for
/// 1000 s: ~300 000 requests. With a fixed handler every burst's ends fall
/// in one 16 ms wheel bucket.
fn burst_requests(handler: DurationDist<'static>) -> u64 {
    let cold_start = ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 0 };
    let workload = Workload::OnOff {
        rate_per_s: 1_000_000.0,
        on: Duration::from_millis(3),
        off: Duration::from_micros(9_997_000),
    };
    let f = [SimFunction::new(
        FunctionConfig { timeout_ms: 900_000, cold_start, ..FunctionConfig::default() },
        workload,
        handler,
    )];
    let mut config = reference_config(1_000, 1);
    config.region.account_limit = 5_000;
    config.region.request_rate_per_limit = 0;
    config.region.scaling = ScalingRule::LegacyAccount { burst: 5_000 };
    let mut sim: Box<BenchSim<'_>> = Box::new(BenchSim::with_capacity(config, &f, lambdasim_bench::ENVS).unwrap());
    let total = sim.run(&mut ()).unwrap().total;
    assert_eq!(total.throttles, 0);
    total.requests
}

fn simulate_bursts(c: &mut Criterion) {
    let mut g = c.benchmark_group("sim-burst");
    g.sample_size(10);
    let handlers = [
        ("fixed-1s", DurationDist::Fixed { us: 1_000_000 }),
        ("exponential-1s", DurationDist::Exponential { mean_us: 1_000_000 }),
    ];
    for (name, handler) in handlers {
        g.throughput(Throughput::Elements(burst_requests(handler)));
        g.bench_function(name, |b| b.iter(|| burst_requests(handler)));
    }
    g.finish();
}

/// The reference run at λ = 0.9/s for 10^5 s (~90 000 requests) with and
/// without a CloudWatch metric store attached, in one run: what turning
/// metrics on costs.
fn simulate_metrics(c: &mut Criterion) {
    let run = |metrics: bool| {
        let f = [reference_function(0.9)];
        let mut sim: Box<BenchSim<'_>> =
            Box::new(BenchSim::with_capacity(reference_config(100_000, 1), &f, lambdasim_bench::ENVS).unwrap());
        if metrics {
            sim.attach_metrics(lambdasim_bench::reference_store()).unwrap();
        }
        sim.run(&mut ()).unwrap().total.requests
    };
    let mut g = c.benchmark_group("sim-metrics");
    g.sample_size(20);
    g.throughput(Throughput::Elements(run(false)));
    for metrics in [false, true] {
        let name = if metrics { "on" } else { "off" };
        g.bench_with_input(BenchmarkId::new("lambda-0.9", name), &metrics, |b, &metrics| b.iter(|| run(metrics)));
    }
    g.finish();
}

criterion_group!(benches, simulate, simulate_bursts, simulate_metrics);
criterion_main!(benches);
