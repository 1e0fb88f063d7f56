//! What the region emits into an attached metric store (docs/model.md §7).

use super::*;
use crate::concurrency::ThrottleReason;
use crate::function::ColdStartProfile;
use crate::metrics::{Datapoint, Metric, MetricStore, Statistic, StoreConfig};
use crate::rng::Rng;

fn s(secs: u64) -> Instant {
    Instant::from_secs(secs)
}

fn quick() -> ColdStartProfile {
    ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 100_000 }
}

/// A region of 4 function slots with a store of 60 one-minute periods.
fn region_with_metrics(config: RegionConfig) -> Region<'static> {
    let mut r = Region::with_capacity(config, Capacity { envs: 256, functions: 4 }).unwrap();
    let store = MetricStore::owned(StoreConfig { functions: 4, ..StoreConfig::default() }, 60, 5).unwrap();
    assert!(r.attach_metrics(store).unwrap().is_none());
    r
}

fn sum(r: &mut Region<'_>, metric: Metric, f: Option<u32>, period: u64) -> Option<f64> {
    r.metrics().unwrap().statistic(metric, f, Statistic::Sum, period, 1).unwrap()
}

fn max(r: &mut Region<'_>, metric: Metric, f: Option<u32>, period: u64) -> Option<f64> {
    r.metrics().unwrap().statistic(metric, f, Statistic::Maximum, period, 1).unwrap()
}

fn started(r: Result<Invoked, InvokeError>) -> Started {
    match r.unwrap() {
        Invoked::Started(s) => s,
        Invoked::Throttled(t) => panic!("throttled: {t}"),
    }
}

/// The model's provisioned example: one request per minute, each lasting
/// two minutes; in minute 2, Max(ProvisionedConcurrentExecutions) = 2 while
/// Sum(ProvisionedConcurrencyInvocations) = 1.
#[test]
fn provisioned_example_two_busy_one_invocation() {
    let config = RegionConfig { provisioned_delay: Duration::ZERO, ..RegionConfig::default() };
    let mut r = region_with_metrics(config);
    let fc = FunctionConfig { provisioned: 3, timeout_ms: 900_000, cold_start: quick(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &fc).unwrap();
    for minute in 1..=4u64 {
        let handler = Handler { duration: Duration::from_secs(120), outcome: Outcome::Success };
        let st = started(r.invoke_for(s(60 * minute), f, handler));
        assert_eq!(st.start, StartKind::Provisioned);
    }
    r.advance(s(420)).unwrap();
    let fi = Some(f.index);
    assert_eq!(max(&mut r, Metric::ProvisionedConcurrentExecutions, fi, 2), Some(2.0));
    assert_eq!(sum(&mut r, Metric::ProvisionedConcurrencyInvocations, fi, 2), Some(1.0));
    assert_eq!(sum(&mut r, Metric::Invocations, fi, 2), Some(1.0));
    assert_eq!(sum(&mut r, Metric::ProvisionedConcurrencySpilloverInvocations, fi, 2), None);
    // 2 of 3 allocated busy: 666 666 ppm.
    assert_eq!(max(&mut r, Metric::ProvisionedConcurrencyUtilization, fi, 2), Some(666_666.0));
    // Minute 0 had no invocation: missing, not zero.
    assert_eq!(sum(&mut r, Metric::Invocations, fi, 0), None);
}

/// Throttles are never invocations or errors; errors, durations and
/// response times are stamped at the invoke time.
#[test]
fn throttles_errors_and_durations() {
    let mut r = region_with_metrics(RegionConfig::default());
    let fc = FunctionConfig { reserved: Some(1), cold_start: quick(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &fc).unwrap();
    let fi = Some(f.index);
    // Invoked at 59 s: a cold start (100 ms init), then a 2 s handler that fails.
    let st =
        started(r.invoke_for(s(59), f, Handler { duration: Duration::from_secs(2), outcome: Outcome::FunctionError }));
    assert_eq!(
        r.invoke(s(60), f).unwrap(),
        Invoked::Throttled(ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded)
    );
    r.advance(st.ready_at.saturating_add(Duration::from_secs(2))).unwrap();
    assert_eq!(sum(&mut r, Metric::Invocations, fi, 0), Some(1.0));
    assert_eq!(sum(&mut r, Metric::Errors, fi, 0), Some(1.0));
    assert_eq!(sum(&mut r, Metric::Throttles, fi, 1), Some(1.0));
    assert_eq!(sum(&mut r, Metric::Invocations, fi, 1), None);
    assert_eq!(sum(&mut r, Metric::Errors, fi, 1), None);
    let store = r.metrics().unwrap();
    let one = |v: u64| Some(Datapoint { sum: v, sample_count: 1, minimum: v, maximum: v });
    assert_eq!(store.datapoint(Metric::Duration, fi, 0).unwrap(), one(2_000_000));
    assert_eq!(store.datapoint(Metric::InitDuration, fi, 0).unwrap(), one(100_000));
    assert_eq!(store.datapoint(Metric::ResponseTime, fi, 0).unwrap(), one(2_100_000));
    // Region-wide: the same counts, and the levels.
    assert_eq!(sum(&mut r, Metric::Invocations, None, 0), Some(1.0));
    assert_eq!(sum(&mut r, Metric::Throttles, None, 1), Some(1.0));
    assert_eq!(max(&mut r, Metric::ConcurrentExecutions, None, 0), Some(1.0));
    assert_eq!(max(&mut r, Metric::ClaimedAccountConcurrency, None, 0), Some(1.0));
    assert_eq!(max(&mut r, Metric::UnreservedConcurrentExecutions, None, 0), Some(0.0));
}

/// A store with fewer function slots than the region is refused.
#[test]
fn a_store_must_cover_every_function_slot() {
    let mut r = Region::with_capacity(RegionConfig::default(), Capacity { envs: 8, functions: 4 }).unwrap();
    let store = MetricStore::owned(StoreConfig { functions: 3, ..StoreConfig::default() }, 4, 0).unwrap();
    assert_eq!(r.attach_metrics(store).err(), Some(ConfigError::InvalidCapacity));
    assert!(r.metrics().is_none());
}

/// Random traffic on a function with provisioned concurrency and one
/// without: after every operation, the totals agree with the region's
/// counters, provisioned + spillover = invocations, and the run is the same
/// as without metrics.
#[test]
fn totals_agree_with_the_counters_after_every_operation() {
    for seed in 0..8 {
        let mut rng = Rng::new(seed);
        let config = RegionConfig { provisioned_delay: Duration::ZERO, account_limit: 120, ..RegionConfig::default() };
        let mut with = region_with_metrics(config);
        let mut without = Region::with_capacity(config, Capacity { envs: 256, functions: 4 }).unwrap();
        let configs = [
            FunctionConfig { provisioned: 3, cold_start: quick(), ..FunctionConfig::default() },
            FunctionConfig { reserved: Some(5), cold_start: quick(), ..FunctionConfig::default() },
        ];
        let mut fs = [FunctionId { index: 0, generation: 0 }; 2];
        for (k, c) in configs.iter().enumerate() {
            fs[k] = with.create_function(s(0), c).unwrap();
            without.create_function(s(0), c).unwrap();
        }
        let mut t = 0;
        for _ in 0..400 {
            t += rng.below(3_000_000);
            let k = rng.below(2) as usize;
            let outcome = if rng.below(5) == 0 { Outcome::FunctionError } else { Outcome::Success };
            let handler = Handler { duration: Duration::from_micros(rng.below(8_000_000)), outcome };
            let a = with.invoke_for(Instant::from_micros(t), fs[k], handler);
            let b = without.invoke_for(Instant::from_micros(t), fs[k], handler);
            assert_eq!(a, b);
            for (k, f) in fs.iter().enumerate() {
                let stats = *with.function_stats(*f).unwrap();
                assert_eq!(stats, *without.function_stats(*f).unwrap());
                let store = with.metrics().unwrap();
                let total = |m| store.recorded(m, Some(f.index)).unwrap().map_or(0, |d| d.sum);
                assert_eq!(total(Metric::Invocations), stats.invocations, "seed {seed}");
                assert_eq!(total(Metric::Throttles), stats.throttles.iter().sum::<u64>());
                if k == 0 {
                    let pc = total(Metric::ProvisionedConcurrencyInvocations);
                    assert_eq!(pc + total(Metric::ProvisionedConcurrencySpilloverInvocations), stats.invocations);
                    assert_eq!(total(Metric::ProvisionedConcurrencySpilloverInvocations), stats.spillover);
                    assert!(pc >= stats.provisioned_starts, "a reset provisioned env starts partial-cold, still on PC");
                }
                let ended = stats.succeeded + stats.errors;
                let durations = store.recorded(Metric::Duration, Some(f.index)).unwrap().map_or(0, |d| d.sample_count);
                assert_eq!(durations, ended, "seed {seed}: one duration per ended invocation");
            }
        }
        with.check_invariants().unwrap();
    }
}

/// Errors is published per ended invocation (1 or 0), as Lambda does: its
/// Sum counts errors, its SampleCount the invocations that ended, its
/// Average the error rate.
#[test]
fn errors_average_is_the_error_rate() {
    let mut r = region_with_metrics(RegionConfig::default());
    let fc = FunctionConfig { cold_start: quick(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &fc).unwrap();
    for (k, outcome) in
        [Outcome::Success, Outcome::FunctionError, Outcome::Success, Outcome::Success].into_iter().enumerate()
    {
        let handler = Handler { duration: Duration::from_millis(100), outcome };
        r.invoke_for(s(1 + k as u64), f, handler).unwrap();
    }
    r.advance(s(70)).unwrap();
    let fi = Some(f.index);
    let stat = |r: &mut Region<'_>, st| r.metrics().unwrap().statistic(Metric::Errors, fi, st, 0, 1).unwrap();
    assert_eq!(stat(&mut r, Statistic::Sum), Some(1.0));
    assert_eq!(stat(&mut r, Statistic::SampleCount), Some(4.0));
    assert_eq!(stat(&mut r, Statistic::Average), Some(0.25));
}

/// Region-wide histograms are the functions' merged: percentiles of
/// several functions' samples together.
#[test]
fn region_wide_percentiles_merge_the_functions() {
    let mut r = region_with_metrics(RegionConfig::default());
    let fc = FunctionConfig { timeout_ms: 60_000, cold_start: quick(), ..FunctionConfig::default() };
    let (f, g) = (r.create_function(s(0), &fc).unwrap(), r.create_function(s(0), &fc).unwrap());
    let long = Handler { duration: Duration::from_secs(10), outcome: Outcome::Success };
    r.invoke_for(Instant::from_millis(500), g, long).unwrap();
    for k in 0..99u64 {
        let handler = Handler { duration: Duration::from_millis(100), outcome: Outcome::Success };
        r.invoke_for(Instant::from_millis(1_000 + 200 * k), f, handler).unwrap();
    }
    r.advance(s(59)).unwrap();
    let store = r.metrics().unwrap();
    let p = |q| Statistic::parse(q).unwrap();
    assert_eq!(store.statistic(Metric::Duration, None, p("p99"), 0, 1).unwrap(), Some(100_000.0));
    assert_eq!(store.statistic(Metric::Duration, None, p("p100"), 0, 1).unwrap(), Some(10_000_000.0));
    assert_eq!(store.statistic(Metric::Duration, Some(g.index), p("p50"), 0, 1).unwrap(), Some(10_000_000.0));
    let all = store.latency_summary(Metric::Duration, None).unwrap().unwrap();
    assert_eq!((all.sample_count, all.p50, all.maximum), (100, 100_000, 10_000_000));
    let merged = store.period_histogram(Metric::Duration, None, 0).unwrap().unwrap();
    assert_eq!(merged.count(), 100);
}

/// Hand-computed: provisioned concurrency 1 and two requests at once; the
/// second spills over to an on-demand environment; claimed concurrency is
/// the PC of a function without RC plus the unreserved pool in use.
#[test]
fn spillover_and_claimed_by_hand() {
    let config = RegionConfig { provisioned_delay: Duration::ZERO, ..RegionConfig::default() };
    let mut r = region_with_metrics(config);
    let fc = FunctionConfig { provisioned: 1, timeout_ms: 60_000, cold_start: quick(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &fc).unwrap();
    let handler = Handler { duration: Duration::from_secs(10), outcome: Outcome::Success };
    let first = started(r.invoke_for(s(65), f, handler));
    let second = started(r.invoke_for(s(65), f, handler));
    assert_eq!((first.on_provisioned, second.on_provisioned), (true, false));
    r.advance(s(130)).unwrap();
    let fi = Some(f.index);
    assert_eq!(sum(&mut r, Metric::Invocations, fi, 1), Some(2.0));
    assert_eq!(sum(&mut r, Metric::ProvisionedConcurrencyInvocations, fi, 1), Some(1.0));
    assert_eq!(sum(&mut r, Metric::ProvisionedConcurrencySpilloverInvocations, fi, 1), Some(1.0));
    assert_eq!(max(&mut r, Metric::ConcurrentExecutions, fi, 1), Some(2.0));
    assert_eq!(max(&mut r, Metric::ProvisionedConcurrentExecutions, fi, 1), Some(1.0));
    assert_eq!(max(&mut r, Metric::ProvisionedConcurrencyUtilization, fi, 1), Some(1_000_000.0));
    // Region-wide: 1 on-demand busy in the unreserved pool; claimed = 1 (PC) + 1.
    assert_eq!(max(&mut r, Metric::UnreservedConcurrentExecutions, None, 1), Some(1.0));
    assert_eq!(max(&mut r, Metric::ClaimedAccountConcurrency, None, 1), Some(2.0));
}
