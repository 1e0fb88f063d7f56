use super::*;
use crate::concurrency::ThrottleReason;
use crate::function::ColdStartProfile;

fn run(config: SimConfig, functions: &[SimFunction<'_>]) -> (Summary<4>, heapless::Vec<MinutePoint, 256>) {
    struct Collect(heapless::Vec<MinutePoint, 256>);
    impl Observer for Collect {
        fn minute(&mut self, p: &MinutePoint) {
            let _ = self.0.push(*p);
        }
    }
    let mut sim = Sim::<'_, 4>::with_capacity(config, functions, 512).unwrap();
    let mut obs = Collect(heapless::Vec::new());
    let summary = sim.run(&mut obs).unwrap();
    sim.region().check_invariants().unwrap();
    (summary, obs.0)
}

extern crate std;
use std::boxed::Box;

fn quick() -> ColdStartProfile {
    ColdStartProfile { sandbox_us: 100_000, download_us_per_mb: 0, package_mb: 0, init_us: 150_000 }
}

#[test]
fn notes_example_100_rps_at_half_a_second_is_50_concurrent() {
    let config =
        SimConfig { horizon: Duration::from_secs(600), warmup: Duration::from_secs(60), ..SimConfig::default() };
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Constant { rate_per_s: 100.0 },
        DurationDist::Fixed { us: 500_000 },
    );
    let (s, minutes) = run(config, &[f]);
    assert!((s.total.avg_busy - 50.0).abs() < 0.01, "{}", s.total.avg_busy);
    assert_eq!(s.total.throttles, 0);
    assert_eq!(s.total.cold_starts, 0, "all cold starts happen in the warm-up");
    assert!((50..=53).contains(&s.total.peak_concurrency), "{}", s.total.peak_concurrency);
    assert_eq!(minutes.len(), 10);
    assert_eq!(s.functions.len(), 1);
    assert_eq!(s.functions[0].requests, s.total.requests);
}

#[test]
fn same_seed_same_run_and_seeds_differ() {
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Poisson { rate_per_s: 5.0 },
        DurationDist::Exponential { mean_us: 800_000 },
    );
    let config = SimConfig { seed: 7, horizon: Duration::from_secs(1_800), ..SimConfig::default() };
    let a = run(config, &[f]);
    let b = run(config, &[f]);
    assert_eq!(a, b);
    let c = run(SimConfig { seed: 8, ..config }, &[f]);
    assert_ne!(a.0.total.requests, c.0.total.requests);
}

#[test]
fn reserved_concurrency_throttles_a_burst() {
    let f = SimFunction::new(
        FunctionConfig { reserved: Some(10), cold_start: quick(), ..FunctionConfig::default() },
        Workload::OnOff { rate_per_s: 200.0, on: Duration::from_secs(5), off: Duration::from_secs(55) },
        DurationDist::Fixed { us: 1_000_000 },
    );
    let (s, _) = run(SimConfig { horizon: Duration::from_secs(600), ..SimConfig::default() }, &[f]);
    let reserved =
        s.total.throttles_by_reason[ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded as usize];
    assert!(reserved > 0 && reserved == s.total.throttles);
    assert!(s.total.throttle_probability > 0.5);
    assert_eq!(s.total.peak_concurrency, 10);
}

#[test]
fn failures_and_timeouts_are_counted() {
    let f = SimFunction {
        error_ppm: 100_000,
        crash_ppm: 100_000,
        ..SimFunction::new(
            FunctionConfig { timeout_ms: 1_000, cold_start: quick(), ..FunctionConfig::default() },
            Workload::Poisson { rate_per_s: 2.0 },
            DurationDist::Exponential { mean_us: 500_000 },
        )
    };
    let (s, _) = run(SimConfig { horizon: Duration::from_secs(3_600), ..SimConfig::default() }, &[f]);
    assert!(s.total.timeouts > 0);
    assert!(s.total.errors > s.total.timeouts);
    assert!(s.total.partial_cold_starts > 0, "crashes and timeouts reset environments");
}

#[test]
fn hybrid_policy_prewarms_a_periodic_function() {
    // One request every 20 minutes: the fixed 10-minute keep-alive always cold-starts.
    let handler = DurationDist::Fixed { us: 200_000 };
    let fixed = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Constant { rate_per_s: 1.0 / 1_200.0 },
        handler,
    );
    let hybrid = SimFunction { keep_alive: KeepAlive::Hybrid(HybridPolicy::default()), ..fixed };
    let config = SimConfig { horizon: Duration::from_secs(24 * 3_600), ..SimConfig::default() };
    let (a, _) = run(config, &[fixed]);
    let (b, _) = run(config, &[hybrid]);
    assert_eq!(a.total.cold_starts, a.total.requests);
    assert!(b.total.cold_starts * 4 < b.total.requests, "{} of {}", b.total.cold_starts, b.total.requests);
    assert!(b.total.avg_instances < a.total.avg_instances, "{} vs {}", b.total.avg_instances, a.total.avg_instances);
}

#[test]
fn replay_uses_recorded_durations_and_bills() {
    let events = [
        TraceEvent { at_us: 1_000_000, duration_us: Some(2_000_000) },
        TraceEvent { at_us: 1_500_000, duration_us: Some(1_000) },
    ];
    let f = SimFunction::new(
        FunctionConfig { memory_mb: 1_024, cold_start: quick(), ..FunctionConfig::default() },
        Workload::Replay(&events),
        DurationDist::Fixed { us: 1 },
    );
    let (s, _) = run(SimConfig { horizon: Duration::from_secs(120), ..SimConfig::default() }, &[f]);
    assert_eq!((s.total.requests, s.total.full_cold_starts), (2, 2));
    // Billed: init 150 ms + handler, per invocation: 2150 + 151 ms at 1 GB.
    assert_eq!(s.total.usage.x86_64.mb_ms, 1_024 * (2_150 + 151));
    assert!(s.total.bill(&crate::pricing::PriceBook::US_EAST_1, false).unwrap().total_cents() == 0);
}

#[test]
fn invalid_inputs_are_named() {
    let ok = SimFunction::new(FunctionConfig::default(), Workload::Idle, DurationDist::Fixed { us: 1 });
    let bad_rate = SimFunction { workload: Workload::Poisson { rate_per_s: f64::NAN }, ..ok };
    let bad_mem = SimFunction { config: FunctionConfig { memory_mb: 64, ..FunctionConfig::default() }, ..ok };
    let bad_dist = SimFunction { handler: DurationDist::Empirical(&[]), ..ok };
    let new = |fs: &[SimFunction<'_>]| Sim::<'_, 2>::with_capacity(SimConfig::default(), fs, 8).map(|_| ());
    assert_eq!(new(&[ok, bad_rate]), Err(SimError::InvalidWorkload { index: 1 }));
    assert_eq!(new(&[bad_mem]), Err(SimError::Function { index: 0, error: ConfigError::MemoryBelowMinimum }));
    assert_eq!(new(&[bad_dist]), Err(SimError::InvalidDistribution { index: 0 }));
    assert_eq!(new(&[ok, ok, ok]), Err(SimError::TooManyFunctions));
    let warm = SimConfig { warmup: Duration::from_secs(3_600), ..SimConfig::default() };
    assert_eq!(Sim::<'_, 2>::with_capacity(warm, &[ok], 8).map(|_| ()), Err(SimError::WarmupTooLong));
}

#[test]
fn a_full_env_table_is_an_error() {
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Constant { rate_per_s: 100.0 },
        DurationDist::Fixed { us: 5_000_000 },
    );
    let mut sim = Sim::<'_, 1>::with_capacity(SimConfig::default(), &[f], 16).unwrap();
    assert_eq!(sim.run(&mut ()), Err(SimError::CapacityExceeded));
}

#[test]
fn partial_cold_timeouts_end_where_the_region_ends_them() {
    // Every invocation crashes, so the next start on that env is a partial
    // cold start; its init (150 ms) plus a handler as long as the timeout
    // passes the timeout, which the region counts from the invoke. With a
    // short lifetime the env is reclaimed right at that timeout: the sim's
    // completion must come exactly then, not 150 ms later.
    let f = SimFunction {
        crash_ppm: 1_000_000,
        ..SimFunction::new(
            FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
            Workload::Constant { rate_per_s: 0.1 },
            DurationDist::Fixed { us: 3_000_000 },
        )
    };
    // Lifetime 13.1 s: the env made at 0 s, partially cold-started at 10 s, times
    // out at 13.0 s and is reclaimed at 13.1 s, before 10 s + 150 ms + 3 s.
    let region = RegionConfig { max_lifetime: Duration::from_millis(13_100), ..RegionConfig::default() };
    let (s, _) = run(SimConfig { region, horizon: Duration::from_secs(600), ..SimConfig::default() }, &[f]);
    assert!(s.total.partial_cold_starts > 0 && s.total.timeouts > 0, "{:?}", s.total);
}

#[test]
fn peaks_leave_out_the_warm_up_even_mid_minute() {
    // The cold-start burst at t = 0 peaks above the steady 50; a warm-up
    // ending mid-minute must still leave it out of the peak.
    let f = SimFunction::new(
        FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
        Workload::Constant { rate_per_s: 100.0 },
        DurationDist::Fixed { us: 500_000 },
    );
    let config =
        SimConfig { horizon: Duration::from_secs(180), warmup: Duration::from_secs(30), ..SimConfig::default() };
    let (s, minutes) = run(config, &[f]);
    assert_eq!(s.total.peak_concurrency, 50);
    assert_eq!(s.functions[0].peak_concurrency, 50);
    assert!(minutes[0].busy_max > 50, "the minute series still shows the burst: {}", minutes[0].busy_max);
}

#[test]
fn extreme_workloads_end_at_the_horizon() {
    // Each of these once ran forever: a ramp's thinning after falling to
    // almost nothing, an on/off process redrawing every 1 µs cycle, rates
    // whose gaps never left t = 0.
    let config = SimConfig { horizon: Duration::from_secs(120), ..SimConfig::default() };
    let us = Duration::from_micros;
    let f = |workload| {
        SimFunction::new(
            FunctionConfig { reserved: Some(50), cold_start: quick(), ..FunctionConfig::default() },
            workload,
            DurationDist::Fixed { us: 1_000 },
        )
    };
    for w in [
        Workload::Ramp { from_per_s: 1e5, to_per_s: 1e-9, over: Duration::from_millis(100) },
        Workload::Ramp { from_per_s: 5e-324, to_per_s: 0.0, over: Duration::MAX },
        Workload::OnOff { rate_per_s: 1e-9, on: us(1), off: us(0) },
        Workload::OnOff { rate_per_s: 1e-9, on: Duration::MAX, off: Duration::MAX },
        Workload::Poisson { rate_per_s: 5e-324 },
        Workload::Constant { rate_per_s: 1e-9 },
    ] {
        let (s, minutes) = run(config, &[f(w)]);
        assert_eq!(minutes.len(), 2, "{w:?}");
        assert!(s.total.requests <= 6_000, "{w:?}: {}", s.total.requests);
    }
    for w in [
        Workload::Poisson { rate_per_s: 1e300 },
        Workload::Constant { rate_per_s: 1e300 },
        Workload::OnOff { rate_per_s: 2e6, on: us(1), off: us(1) },
        Workload::Ramp { from_per_s: 0.0, to_per_s: f64::INFINITY, over: us(1) },
    ] {
        let new = Sim::<'_, 1>::with_capacity(config, &[f(w)], 8).map(|_| ());
        assert_eq!(new, Err(SimError::InvalidWorkload { index: 0 }), "{w:?}");
    }
}

#[test]
fn lent_storage_runs_exactly_like_owned_tables() {
    // Owned tables start at 16 environments and grow; lent ones are full
    // size from the start: the run must not tell them apart.
    let f = SimFunction {
        keep_alive: KeepAlive::Hybrid(HybridPolicy::default()),
        ..SimFunction::new(
            FunctionConfig { cold_start: quick(), ..FunctionConfig::default() },
            Workload::Poisson { rate_per_s: 40.0 },
            DurationDist::Exponential { mean_us: 400_000 },
        )
    };
    let config = SimConfig { horizon: Duration::from_secs(600), ..SimConfig::default() };
    let owned = Sim::<'_, 1>::with_capacity(config, &[f], 512).unwrap().run(&mut ()).unwrap();
    let mut storage = Box::new(SimStorage::<512, 1>::new());
    let mut sim = Sim::<'_, 1>::new_in(config, &[f], &mut storage).unwrap();
    let lent = sim.run(&mut ()).unwrap();
    assert_eq!(owned, lent);
    assert!(owned.total.requests > 20_000);
    assert!(sim.region().capacity().envs == 512);
}
