//! Whole-simulation throughput in simulated requests per second, on the
//! reference scenario at λ = 0.9/s (few instances) and λ = 20/s (many).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lambdasim_bench::{BenchSim, reference_config, reference_function};

fn requests(rate: f64, horizon_s: u64) -> u64 {
    let f = [reference_function(rate)];
    let mut sim: Box<BenchSim<'_>> = Box::new(BenchSim::new(reference_config(horizon_s, 1), &f).unwrap());
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

criterion_group!(benches, simulate);
criterion_main!(benches);
