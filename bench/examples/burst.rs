//! Synchronized bursts, timed: `BURST` requests within `BURST` µs / 1000
//! (3 ms for 3000: the rate limit of a workload is 10⁶/s) every 10 s on
//! warm environments, with a fixed or an exponential 1 s handler. With a
//! fixed one every burst's ends collide in one 16 ms wheel bucket.
//! `cargo run --release -p lambdasim-bench --example burst -- [fixed|exponential] [BURST] [HORIZON_S]`.
//! A quick look and a `perf record` target; claims come from `cargo bench`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::sim::{DurationDist, SimFunction, Workload};
use lambdasim::{ColdStartProfile, Duration, FunctionConfig, ScalingRule};
use lambdasim_bench::{BenchSim, reference_config, with_big_stack};

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "fixed".into());
    let burst: u32 = args.next().map_or(3_000, |a| a.parse().expect("BURST"));
    let horizon_s: u64 = args.next().map_or(1_000, |a| a.parse().expect("HORIZON_S"));
    let handler = match kind.as_str() {
        "fixed" => DurationDist::Fixed { us: 1_000_000 },
        "exponential" => DurationDist::Exponential { mean_us: 1_000_000 },
        other => panic!("unknown handler {other}: fixed or exponential"),
    };
    with_big_stack(move || {
        let cold_start = ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 0 };
        let workload = Workload::OnOff {
            // 10^6/s, the most a workload may ask for: BURST requests in BURST µs.
            rate_per_s: 1_000_000.0,
            on: Duration::from_micros(u64::from(burst)),
            off: Duration::from_micros(10_000_000 - u64::from(burst)),
        };
        let fc = FunctionConfig { timeout_ms: 900_000, cold_start, ..FunctionConfig::default() };
        let f = [SimFunction::new(fc, workload, handler)];
        let mut config = reference_config(horizon_s, 1);
        config.region.account_limit = 5_000;
        config.region.request_rate_per_limit = 0;
        config.region.scaling = ScalingRule::LegacyAccount { burst: 5_000 };
        let mut sim: Box<BenchSim<'_>> = Box::new(BenchSim::with_capacity(config, &f, lambdasim_bench::ENVS).unwrap());
        let t = std::time::Instant::now();
        let s = sim.run(&mut ()).unwrap();
        let secs = t.elapsed().as_secs_f64();
        let n = s.total.requests;
        println!(
            "{kind} handler, bursts of {burst} over {horizon_s} s: {n} requests ({} throttled, peak {}) in {secs:.3} s = {:.2} M simulated requests/s",
            s.total.throttles,
            s.total.peak_concurrency,
            n as f64 / secs / 1e6
        );
    });
}
