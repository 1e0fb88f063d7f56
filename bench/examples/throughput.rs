//! One reference run, timed: a quick look (and a `perf record` target)
//! between criterion runs. `cargo run --release -p lambdasim-bench
//! --example throughput -- [RATE] [HORIZON_S] [metrics]` (`metrics`:
//! with a CloudWatch metric store attached). Claims come from `cargo bench`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_bench::{BenchSim, reference_config, reference_function, with_big_stack};

fn main() {
    let mut args = std::env::args().skip(1);
    let rate: f64 = args.next().map_or(0.9, |a| a.parse().expect("RATE"));
    let horizon_s: u64 = args.next().map_or(1_000_000, |a| a.parse().expect("HORIZON_S"));
    let metrics = args.next().is_some_and(|a| a == "metrics");
    with_big_stack(move || {
        let f = [reference_function(rate)];
        let mut sim: Box<BenchSim<'_>> =
            Box::new(BenchSim::with_capacity(reference_config(horizon_s, 1), &f, lambdasim_bench::ENVS).unwrap());
        if metrics {
            sim.attach_metrics(lambdasim_bench::reference_store()).unwrap();
        }
        let t = std::time::Instant::now();
        let s = sim.run(&mut ()).unwrap();
        let secs = t.elapsed().as_secs_f64();
        let n = s.total.requests;
        println!(
            "λ={rate}/s over {horizon_s} s: {n} requests in {secs:.3} s = {:.2} M simulated requests/s (cold {:.5}, avg instances {:.3})",
            n as f64 / secs / 1e6,
            s.total.cold_start_probability,
            s.total.avg_instances
        );
    });
}
