//! Analytic checks of the simulator (issue 5): queueing theory the model
//! must reproduce. Long runs: `cargo test --release -p lambdasim-tests --test
//! analytic` (scripts/test-all.sh runs them in release; debug builds skip them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::sim::{DurationDist, Sim, SimConfig, SimFunction, Summary, Workload};
use lambdasim::{ColdStartProfile, Duration, FunctionConfig, RegionConfig};

type S<'a> = Sim<'a, 4>;

/// Cold starts take no time, so a request's service time is its handler alone.
fn instant() -> ColdStartProfile {
    ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 0 }
}

fn run(config: SimConfig, f: SimFunction<'static>) -> Summary<4> {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let fs = [f];
            let mut sim: Box<S<'_>> = Box::new(Sim::with_capacity(config, &fs, 4_096).unwrap());
            sim.run(&mut ()).unwrap()
        })
        .unwrap()
        .join()
        .unwrap()
}

/// Erlang's loss formula B(c, a), by its stable recurrence.
fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

fn no_recycling() -> RegionConfig {
    RegionConfig { max_lifetime: Duration::ZERO, ..RegionConfig::default() }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a long simulation: run with --release")]
fn reserved_concurrency_throttles_like_erlang_b() {
    // M/G/c/c: throttles are blocked calls; Erlang-B holds for any service law.
    for (c, rate, mean_s, dist) in [
        (10u32, 8.0, 1.0, DurationDist::Exponential { mean_us: 1_000_000 }),
        (20, 20.0, 0.75, DurationDist::LogNormal { median_us: 600_000, sigma: 0.667_101 }),
        (5, 2.0, 2.0, DurationDist::Fixed { us: 2_000_000 }),
    ] {
        let f = SimFunction::new(
            FunctionConfig {
                reserved: Some(c),
                timeout_ms: 900_000,
                cold_start: instant(),
                ..FunctionConfig::default()
            },
            Workload::Poisson { rate_per_s: rate },
            dist,
        );
        let config = SimConfig {
            region: no_recycling(),
            seed: 11,
            horizon: Duration::from_secs(100_000),
            warmup: Duration::from_secs(1_000),
        };
        let s = run(config, f);
        let mean = dist.mean_us(lambdasim::MemoryMb::DEFAULT) / 1e6;
        assert!((mean - mean_s).abs() < 1e-3, "the test's mean {mean}");
        let want = erlang_b(c, rate * mean_s);
        let got = s.total.throttle_probability;
        assert!((got / want - 1.0).abs() < 0.02, "c={c} a={}: simulated {got}, Erlang-B {want}", rate * mean_s);
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a long simulation: run with --release")]
fn busy_environments_follow_littles_law() {
    for (rate, dist) in [
        (5.0, DurationDist::Exponential { mean_us: 2_000_000 }),
        (100.0, DurationDist::Fixed { us: 500_000 }),
        (0.9, DurationDist::Exponential { mean_us: 1_991_000 }),
    ] {
        let f = SimFunction::new(
            FunctionConfig { timeout_ms: 900_000, cold_start: instant(), ..FunctionConfig::default() },
            Workload::Poisson { rate_per_s: rate },
            dist,
        );
        let config = SimConfig {
            region: no_recycling(),
            seed: 5,
            horizon: Duration::from_secs(200_000),
            warmup: Duration::ZERO,
        };
        let s = run(config, f);
        let want = rate * dist.mean_us(lambdasim::MemoryMb::DEFAULT) / 1e6;
        assert_eq!(s.total.throttles, 0);
        assert!(
            (s.total.avg_busy / want - 1.0).abs() < 0.01,
            "λ={rate}: avg_busy {} vs λ·E[S] {want}",
            s.total.avg_busy
        );
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a long simulation: run with --release")]
fn reference_scenario_cold_start_probability_is_stable_across_seeds() {
    // Issue 5's reference scenario: λ = 0.9/s, handler Exp(1.991 s), init
    // Exp(0.253 s), idle timeout 600 s, 10^6 s simulated.
    let reference = SimFunction {
        init: Some(DurationDist::Exponential { mean_us: 253_000 }),
        ..SimFunction::new(
            FunctionConfig { timeout_ms: 900_000, cold_start: instant(), ..FunctionConfig::default() },
            Workload::Poisson { rate_per_s: 0.9 },
            DurationDist::Exponential { mean_us: 1_991_000 },
        )
    };
    let probs: Vec<f64> = (1..=4u64)
        .map(|seed| {
            let config = SimConfig {
                region: no_recycling(),
                seed,
                horizon: Duration::from_secs(1_000_000),
                warmup: Duration::ZERO,
            };
            run(config, reference).total.cold_start_probability
        })
        .collect();
    let mean = probs.iter().sum::<f64>() / probs.len() as f64;
    assert!(mean > 0.0);
    for p in &probs {
        assert!((p / mean - 1.0).abs() < 0.1, "cold-start probabilities {probs:?}");
    }
}

#[test]
fn erlang_b_recurrence_matches_known_values() {
    assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
    assert!((erlang_b(10, 8.0) - 0.121_661).abs() < 1e-6);
}
