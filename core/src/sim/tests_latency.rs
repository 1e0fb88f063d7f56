//! The latency distributions of a run against exact, hand-derived samples.

use super::*;
use crate::function::ColdStartProfile;
extern crate std;
use std::vec::Vec;

const CREATE_US: u64 = 100_000;
const INIT_US: u64 = 150_000;

fn quick() -> ColdStartProfile {
    ColdStartProfile { sandbox_us: CREATE_US, download_us_per_mb: 0, package_mb: 0, init_us: INIT_US }
}

/// The nearest-rank percentile `p` (in %) of sorted `samples`.
fn exact(sorted: &[u64], p: u64) -> u64 {
    let rank = (p * sorted.len() as u64).div_ceil(100).max(1);
    sorted[rank as usize - 1]
}

fn assert_within_bound(reported: &Percentiles, samples: &mut [u64], what: &str) {
    samples.sort_unstable();
    assert_eq!(reported.samples, samples.len() as u64, "{what}");
    for (p, got) in [(50, reported.p50_us), (90, reported.p90_us), (99, reported.p99_us)] {
        let want = exact(samples, p);
        assert!(got.abs_diff(want) * 128 <= want, "{what} p{p}: {got} vs exact {want}");
    }
    assert_eq!(reported.max_us, *samples.last().unwrap(), "{what} max");
}

/// A seeded trace on one environment: a request every 2 s (warm) or after
/// a 90 s gap (past the 60 s idle timeout: cold), each with a recorded
/// handler duration below 0.9 s (doubled: 1.8 s), so which requests start cold is known.
fn trace(seed: u64, n: usize) -> (Vec<TraceEvent>, Vec<bool>) {
    let mut rng = Rng::new(seed);
    let (mut at_us, mut events, mut cold) = (0u64, Vec::new(), Vec::new());
    for i in 0..n {
        let gap_s = if rng.below(10) == 0 { 90 } else { 2 };
        if i > 0 {
            at_us += gap_s * 1_000_000;
        }
        cold.push(i == 0 || gap_s == 90);
        events.push(TraceEvent { at_us, duration_us: Some(1 + rng.below(900_000)) });
    }
    (events, cold)
}

#[test]
fn percentiles_are_within_the_bound_of_the_exact_samples() {
    let (events, cold) = trace(42, 600);
    let config = SimConfig {
        region: RegionConfig {
            idle_timeout: Duration::from_secs(60),
            max_lifetime: Duration::ZERO,
            ..Default::default()
        },
        horizon: Duration::from_micros(events.last().unwrap().at_us + 10_000_000),
        ..SimConfig::default()
    };
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Replay(&events),
        DurationDist::Fixed { us: 1 },
    );
    // A second function doubles every sample: the total merges both.
    let doubled: Vec<TraceEvent> =
        events.iter().map(|e| TraceEvent { duration_us: e.duration_us.map(|d| 2 * d), ..*e }).collect();
    let g = SimFunction { workload: Workload::Replay(&doubled), ..f };
    let mut sim = Sim::<'_, 2>::with_capacity(config, &[f, g], 16).unwrap();
    let s = sim.run(&mut ()).unwrap();
    let colds = cold.iter().filter(|&&c| c).count() as u64;
    assert!(colds > 30 && colds < 600, "{colds}");
    let mut all = [Vec::new(), Vec::new(), Vec::new()];
    for (k, (fs, scale)) in s.functions.iter().zip([1, 2]).enumerate() {
        assert_eq!((fs.invocations, fs.cold_starts, fs.throttles), (600, colds, 0), "function {k}");
        let mut handler: Vec<u64> = events.iter().map(|e| scale * e.duration_us.unwrap()).collect();
        let wait = |c: bool| if c { CREATE_US + INIT_US } else { 0 };
        let mut response: Vec<u64> = handler.iter().zip(&cold).map(|(h, &c)| h + wait(c)).collect();
        let mut init: Vec<u64> = cold.iter().filter(|&&c| c).map(|_| INIT_US).collect();
        all[0].extend(&handler);
        all[1].extend(&init);
        all[2].extend(&response);
        let l = &fs.latency;
        assert_within_bound(&l.handler_duration, &mut handler, "handler");
        assert_within_bound(&l.response_time, &mut response, "response");
        assert_within_bound(&l.init_duration, &mut init, "init");
        assert_eq!(l.init_duration.p50_us, INIT_US, "one value: exact");
        assert_eq!(l.cold_start_added_p99_us, l.response_time.p99_us - l.handler_duration.p99_us);
    }
    let t = &s.total.latency;
    assert_within_bound(&t.handler_duration, &mut all[0], "total handler");
    assert_within_bound(&t.init_duration, &mut all[1], "total init");
    assert_within_bound(&t.response_time, &mut all[2], "total response");
    assert_eq!(*t, LatencySummary::of(sim.latency()));
}

#[test]
fn warm_only_runs_add_no_cold_start_latency() {
    // Every cold start falls in the warm-up, which is not recorded.
    let config =
        SimConfig { horizon: Duration::from_secs(600), warmup: Duration::from_secs(60), ..SimConfig::default() };
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Constant { rate_per_s: 100.0 },
        DurationDist::Fixed { us: 500_000 },
    );
    let s = Sim::<'_, 1>::with_capacity(config, &[f], 512).unwrap().run(&mut ()).unwrap();
    let l = s.total.latency;
    assert_eq!(s.total.cold_starts, 0);
    assert_eq!(l.handler_duration.samples, s.total.invocations);
    assert_eq!(l.init_duration, Percentiles::default());
    assert_eq!(l.response_time, l.handler_duration);
    assert_eq!(l.cold_start_added_p99_us, 0);
    let p = l.handler_duration;
    assert_eq!((p.p50_us, p.p90_us, p.p99_us, p.max_us), (500_000, 500_000, 500_000, 500_000));
}

#[test]
fn timeouts_cap_the_handler_and_partial_cold_starts_share_the_timeout() {
    // Handlers of 5 s under a 1 s timeout: each invocation times out, so
    // each resets its environment and the next start is a partial cold one,
    // whose 150 ms init leaves 850 ms of the timeout to its handler.
    let config = SimConfig { horizon: Duration::from_secs(300), ..SimConfig::default() };
    let f = SimFunction::new(
        FunctionConfig { timeout_ms: 1_000, cold_start: quick(), ..FunctionConfig::default() },
        Workload::Constant { rate_per_s: 0.5 },
        DurationDist::Fixed { us: 5_000_000 },
    );
    let s = Sim::<'_, 1>::with_capacity(config, &[f], 16).unwrap().run(&mut ()).unwrap();
    let (t, l) = (s.total, s.total.latency);
    assert!(t.partial_cold_starts > 100 && t.full_cold_starts == 1, "{t:?}");
    // The last invocation is still running at the horizon.
    assert_eq!(t.timeouts + 1, t.invocations);
    assert_eq!(l.handler_duration.max_us, 1_000_000, "the full cold start's handler gets the whole timeout");
    let near = |got: u64, want: u64| got.abs_diff(want) * 128 <= want;
    assert!(near(l.handler_duration.p50_us, 850_000), "{:?}", l.handler_duration);
    assert!(near(l.response_time.p50_us, 1_000_000), "a partial cold start ends at its timeout: {:?}", l.response_time);
    assert_eq!(l.response_time.max_us, CREATE_US + INIT_US + 1_000_000);
    assert_eq!(l.init_duration.samples, t.cold_starts);
    assert_eq!((l.init_duration.p50_us, l.init_duration.max_us), (INIT_US, INIT_US));
    // 150 ms of init inside the timeout, within the two percentiles' bounds.
    assert!(l.cold_start_added_p99_us.abs_diff(150_000) <= (1_000_000 + 850_000) / 128, "{l:?}");
}

#[test]
fn the_hybrid_policy_records_like_the_fixed_one() {
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Poisson { rate_per_s: 3.0 },
        DurationDist::Exponential { mean_us: 300_000 },
    );
    let hybrid = SimFunction { keep_alive: KeepAlive::Hybrid(HybridPolicy::default()), ..f };
    let config = SimConfig { horizon: Duration::from_secs(900), ..SimConfig::default() };
    for f in [f, hybrid] {
        let s = Sim::<'_, 1>::with_capacity(config, &[f], 64).unwrap().run(&mut ()).unwrap();
        let l = s.total.latency;
        assert_eq!(l.handler_duration.samples, s.total.invocations, "{:?}", f.keep_alive);
        assert_eq!(l.init_duration.samples, s.total.cold_starts);
        assert!(s.total.cold_starts > 0 && l.response_time.max_us >= CREATE_US + INIT_US);
    }
}

#[test]
fn lent_storage_lent_again_starts_empty() {
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Poisson { rate_per_s: 5.0 },
        DurationDist::Exponential { mean_us: 100_000 },
    );
    let config = SimConfig { horizon: Duration::from_secs(120), ..SimConfig::default() };
    let mut storage = std::boxed::Box::new(SimStorage::<64, 1>::new());
    let first = Sim::<'_, 1>::new_in(config, &[f], &mut storage).unwrap().run(&mut ()).unwrap();
    let second = Sim::<'_, 1>::new_in(config, &[f], &mut storage).unwrap().run(&mut ()).unwrap();
    assert!(first.total.latency.handler_duration.samples > 100);
    assert_eq!(first, second);
}
