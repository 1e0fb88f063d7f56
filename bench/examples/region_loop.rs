//! A region driven by `invoke_for` alone, timed: the region's own cost per
//! request without the simulator (a `perf record` target).
//! `cargo run --release -p lambdasim-bench --example region_loop`. Claims
//! come from `cargo bench`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
use lambdasim::{Duration, FunctionConfig, Handler, Instant, Outcome, Region, RegionConfig};
fn main() {
    lambdasim_bench::with_big_stack(|| {
        let config = RegionConfig { account_limit: 20_000, request_rate_per_limit: 0, ..RegionConfig::default() };
        let capacity = lambdasim::Capacity { envs: 16_384, functions: 8 };
        let mut r = Box::new(Region::with_capacity(config, capacity).unwrap());
        let fc = FunctionConfig { timeout_ms: 900_000, ..FunctionConfig::default() };
        let f = r.create_function(Instant::ZERO, &fc).unwrap();
        let handler = Handler { duration: Duration::from_micros(5), outcome: Outcome::Success };
        let mut t = Instant::from_secs(10);
        let n = 20_000_000u64;
        let start = std::time::Instant::now();
        for _ in 0..n {
            t = t.saturating_add(Duration::from_micros(10));
            std::hint::black_box(r.invoke_for(t, f, handler).unwrap());
        }
        let s = start.elapsed().as_secs_f64();
        println!("{:.1} ns per invoke_for", s * 1e9 / n as f64);
    });
}
