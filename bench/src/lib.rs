//! Shared set-ups of lambdasim's benchmarks (`cargo bench -p lambdasim-bench`)
//! and the reference scenarios they measure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::sim::{DurationDist, Sim, SimConfig, SimFunction, Workload};
use lambdasim::{ColdStartProfile, Duration, FunctionConfig, RegionConfig};

/// Environment slots of the benchmarked simulator.
pub const ENVS: usize = 4_096;

/// The simulator type the benchmarks run.
pub type BenchSim<'a> = Sim<'a, 4>;

/// The reference scenario of issue 5 (and SimFaaS): one function, Poisson
/// arrivals at `rate_per_s`, exponential handler with mean 1.991 s,
/// exponential init with mean 0.253 s, idle timeout 600 s.
pub fn reference_function(rate_per_s: f64) -> SimFunction<'static> {
    let cold_start = ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 253_000 };
    SimFunction {
        init: Some(DurationDist::Exponential { mean_us: 253_000 }),
        ..SimFunction::new(
            FunctionConfig { timeout_ms: 900_000, cold_start, ..FunctionConfig::default() },
            Workload::Poisson { rate_per_s },
            DurationDist::Exponential { mean_us: 1_991_000 },
        )
    }
}

/// The reference run: 10^6 s simulated by default, no lifetime recycling
/// (as in SimFaaS), idle timeout 600 s.
pub fn reference_config(horizon_s: u64, seed: u64) -> SimConfig {
    let region = RegionConfig {
        idle_timeout: Duration::from_secs(600),
        max_lifetime: Duration::ZERO,
        ..RegionConfig::default()
    };
    SimConfig { region, seed, horizon: Duration::from_secs(horizon_s), warmup: Duration::ZERO }
}

/// Builds a boxed simulator on a thread with a large stack and runs `f` on it there.
pub fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(256 << 20).spawn(f).unwrap().join().unwrap()
}

/// A metric store for the benchmarked simulator's 4 function slots: an
/// hour of one-minute periods, per-period histograms for the last 5.
pub fn reference_store() -> lambdasim::metrics::MetricStore<'static> {
    let config = lambdasim::metrics::StoreConfig { functions: 4, ..lambdasim::metrics::StoreConfig::default() };
    lambdasim::metrics::MetricStore::owned(config, 60, 5).unwrap()
}
