//! Unit tests of the region façade; the examples of docs/model.md live as shared
//! vectors in `tests/vectors/`, these pin the mechanics.

use super::*;
use crate::concurrency::ThrottleReason;
use crate::environment::EnvState;
use crate::function::{ColdStartProfile, ProvisionedStatus};

type Small = Region<'static>;

fn s(secs: u64) -> Instant {
    Instant::from_secs(secs)
}

fn ms(m: u64) -> Instant {
    Instant::from_millis(m)
}

fn instant_profile() -> ColdStartProfile {
    ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 0 }
}

fn region(config: RegionConfig) -> Small {
    Region::with_capacity(config, Capacity { envs: 64, functions: 8 }).unwrap()
}

fn started(r: Result<Invoked, InvokeError>) -> Started {
    match r.unwrap() {
        Invoked::Started(s) => s,
        Invoked::Throttled(t) => panic!("throttled: {t}"),
    }
}

fn throttled(r: Result<Invoked, InvokeError>) -> ThrottleReason {
    match r.unwrap() {
        Invoked::Throttled(t) => t,
        Invoked::Started(s) => panic!("started: {s:?}"),
    }
}

#[test]
fn full_cold_start_phases_follow_the_profile() {
    let mut r = region(RegionConfig::default());
    let cfg = FunctionConfig {
        cold_start: ColdStartProfile {
            sandbox_us: 125_000,
            download_us_per_mb: 1_000,
            package_mb: 10,
            init_us: 300_000,
        },
        ..FunctionConfig::default()
    };
    let f = r.create_function(s(0), &cfg).unwrap();
    let a = started(r.invoke(s(0), f));
    assert_eq!(a.start, StartKind::FullCold);
    assert_eq!(a.init, Duration::from_millis(435));
    assert_eq!(a.ready_at, ms(435));
    assert_eq!(r.env_state(a.env), Some(EnvState::Creating));
    assert_eq!(r.next_deadline(), Some(ms(135)));
    r.advance(ms(135)).unwrap();
    assert_eq!(r.env_state(a.env), Some(EnvState::Initializing));
    r.advance(ms(435)).unwrap();
    assert_eq!(r.env_state(a.env), Some(EnvState::Busy));
    assert_eq!(r.finish(ms(400), a.invocation, Outcome::Success), Err(FinishError::TimeWentBackwards));
    let done = r.finish(ms(535), a.invocation, Outcome::Success).unwrap();
    assert_eq!(done.duration, Duration::from_millis(100));
    assert!(done.env_kept);
    assert_eq!(r.finish(ms(535), a.invocation, Outcome::Success), Err(FinishError::UnknownInvocation));
    r.check_invariants().unwrap();
}

#[test]
fn success_before_ready_is_refused_and_failure_ends_the_init() {
    let mut r = region(RegionConfig::default());
    let f = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    let a = started(r.invoke(s(0), f));
    assert_eq!(r.finish(ms(1), a.invocation, Outcome::Success), Err(FinishError::NotReady));
    let done = r.finish(ms(2), a.invocation, Outcome::Crash).unwrap();
    assert!(!done.env_kept);
    assert_eq!(r.env_state(a.env), None, "shutdown takes 0 ms by default");
    assert_eq!(r.stats().init_failures, 1);
    assert_eq!(r.stats().errors, 1);
    r.check_invariants().unwrap();
}

#[test]
fn timeout_and_crash_reset_the_env_for_a_partial_cold_start() {
    let mut r = region(RegionConfig::default());
    let f = r
        .create_function(s(0), &FunctionConfig { cold_start: instant_profile(), ..FunctionConfig::default() })
        .unwrap();
    let a = started(r.invoke(s(0), f));
    r.finish(s(1), a.invocation, Outcome::Crash).unwrap();
    let b = started(r.invoke(s(2), f));
    assert_eq!((b.start, b.env), (StartKind::PartialCold, a.env));
    r.finish(s(3), b.invocation, Outcome::FunctionError).unwrap();
    let c = started(r.invoke(s(4), f));
    assert_eq!(c.start, StartKind::Warm, "a function error keeps the env warm");
    r.check_invariants().unwrap();
}

#[test]
fn the_region_enforces_the_timeout() {
    let mut r = region(RegionConfig::default());
    let cfg = FunctionConfig { timeout_ms: 1_000, cold_start: instant_profile(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &cfg).unwrap();
    let a = started(r.invoke(s(0), f));
    // Zero-length cold-start phases are events due now, applied by the next call.
    assert_eq!(r.next_deadline(), Some(s(0)));
    r.advance(s(0)).unwrap();
    assert_eq!(r.next_deadline(), Some(s(1)));
    assert_eq!(r.finish(s(5), a.invocation, Outcome::Success), Err(FinishError::TimedOut));
    assert_eq!(r.stats().timeouts, 1);
    assert_eq!(r.function_counts(f).unwrap().busy, 0);
    let b = started(r.invoke(s(6), f));
    assert_eq!(b.start, StartKind::PartialCold);
    r.check_invariants().unwrap();
}

#[test]
fn on_demand_init_over_ten_seconds_is_suppressed_into_the_invoke() {
    let mut r = region(RegionConfig::default());
    let cold_start = ColdStartProfile { init_us: 12_000_000, ..instant_profile() };
    let f = r
        .create_function(s(0), &FunctionConfig { timeout_ms: 60_000, cold_start, ..FunctionConfig::default() })
        .unwrap();
    let a = started(r.invoke(s(0), f));
    assert_eq!(a.init, Duration::from_secs(10));
    assert_eq!(a.suppressed_init, Duration::from_secs(12));
}

#[test]
fn idle_env_expires_exactly_at_idle_timeout() {
    let mut r = region(RegionConfig::default());
    let f = r
        .create_function(s(0), &FunctionConfig { cold_start: instant_profile(), ..FunctionConfig::default() })
        .unwrap();
    let a = started(r.invoke(s(0), f));
    r.finish(s(1), a.invocation, Outcome::Success).unwrap();
    assert_eq!(r.next_deadline(), Some(s(601)));
    r.advance(Instant::from_micros(601_000_000 - 1)).unwrap();
    assert_eq!(r.env_state(a.env), Some(EnvState::Idle));
    r.advance(s(601)).unwrap();
    assert_eq!(r.env_state(a.env), None);
    assert_eq!(r.live(), 0);
    let b = started(r.invoke(s(602), f));
    assert_eq!(b.start, StartKind::FullCold);
    assert_ne!(b.env, a.env, "a reused slot has a new generation");
    r.check_invariants().unwrap();
}

#[test]
fn warm_pick_mru_and_lru() {
    for (pick, expect_first) in [(WarmPick::MostRecentlyUsed, false), (WarmPick::LeastRecentlyUsed, true)] {
        let mut r = region(RegionConfig { warm_pick: pick, ..RegionConfig::default() });
        let f = r
            .create_function(s(0), &FunctionConfig { cold_start: instant_profile(), ..FunctionConfig::default() })
            .unwrap();
        let a = started(r.invoke(s(0), f));
        let b = started(r.invoke(s(0), f));
        r.finish(s(1), a.invocation, Outcome::Success).unwrap();
        r.finish(s(2), b.invocation, Outcome::Success).unwrap();
        let c = started(r.invoke(s(3), f));
        assert_eq!(c.env == a.env, expect_first, "{pick:?}");
    }
}

#[test]
fn max_lifetime_recycles_idle_and_busy_envs() {
    let cfg = RegionConfig { max_lifetime: Duration::from_secs(100), ..RegionConfig::default() };
    let mut r = region(cfg);
    let f = r
        .create_function(
            s(0),
            &FunctionConfig { timeout_ms: 900_000, cold_start: instant_profile(), ..FunctionConfig::default() },
        )
        .unwrap();
    let a = started(r.invoke(s(0), f));
    // Busy past the lifetime: it finishes, then shuts down.
    let done = r.finish(s(150), a.invocation, Outcome::Success).unwrap();
    assert!(!done.env_kept);
    let b = started(r.invoke(s(151), f));
    assert_eq!(b.start, StartKind::FullCold);
    r.finish(s(152), b.invocation, Outcome::Success).unwrap();
    // Idle: reclaimed at birth + lifetime, before the idle timeout.
    assert_eq!(r.next_deadline(), Some(s(251)));
    r.check_invariants().unwrap();
}

#[test]
fn reserved_zero_throttles_and_reserved_caps() {
    let mut r = region(RegionConfig::default());
    let zero = r.create_function(s(0), &FunctionConfig { reserved: Some(0), ..FunctionConfig::default() }).unwrap();
    assert_eq!(throttled(r.invoke(s(0), zero)), ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded);
    let two = r.create_function(s(0), &FunctionConfig { reserved: Some(2), ..FunctionConfig::default() }).unwrap();
    started(r.invoke(s(0), two));
    started(r.invoke(s(0), two));
    assert_eq!(throttled(r.invoke(s(0), two)), ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded);
    assert_eq!(r.stats().throttles_total(), 2);
    assert_eq!(r.stats().requests, 4);
    r.check_invariants().unwrap();
}

#[test]
fn provisioned_allocation_ramps_and_serves_only_when_ready() {
    let mut r = region(RegionConfig::default());
    let cfg = FunctionConfig { provisioned: 3, cold_start: instant_profile(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &cfg).unwrap();
    assert_eq!(r.function_counts(f).unwrap().provisioned_status, ProvisionedStatus::InProgress);
    assert_eq!(r.next_deadline(), Some(s(60)));
    r.advance(ms(60_010)).unwrap();
    let c = r.function_counts(f).unwrap();
    assert_eq!((c.provisioned_allocated, c.provisioned_status), (2, ProvisionedStatus::InProgress));
    let od = started(r.invoke(ms(60_010), f));
    assert!(!od.on_provisioned, "not usable before the whole allocation is ready");
    r.advance(ms(60_020)).unwrap();
    assert_eq!(r.function_counts(f).unwrap().provisioned_status, ProvisionedStatus::Ready);
    let p = started(r.invoke(ms(60_020), f));
    assert_eq!((p.start, p.on_provisioned), (StartKind::Provisioned, true));
    assert_eq!(r.stats().spillover, 1);
    // Lowering releases idle provisioned envs at once, busy ones when they finish.
    r.put_provisioned(ms(60_030), f, 0).unwrap();
    let c = r.function_counts(f).unwrap();
    assert_eq!((c.provisioned_allocated, c.idle_provisioned, c.busy_provisioned, c.busy), (0, 0, 0, 2));
    // The busy one left the allocation: it counts as on-demand concurrency now.
    assert_eq!((r.unreserved_in_use(), r.claimed_concurrency()), (2, 2));
    r.finish(ms(60_040), p.invocation, Outcome::Success).unwrap();
    assert_eq!(r.env_state(p.env), None);
    r.check_invariants().unwrap();
}

#[test]
fn provisioned_init_over_its_limit_fails_the_allocation() {
    let mut r = region(RegionConfig::default());
    let cold_start = ColdStartProfile { init_us: 131_000_000, ..instant_profile() };
    let f =
        r.create_function(s(0), &FunctionConfig { provisioned: 2, cold_start, ..FunctionConfig::default() }).unwrap();
    r.advance(s(300)).unwrap();
    let c = r.function_counts(f).unwrap();
    assert_eq!(c.provisioned_status, ProvisionedStatus::Failed);
    assert_eq!(c.live, 0);
    r.check_invariants().unwrap();
}

#[test]
fn config_errors_change_nothing() {
    let mut r = region(RegionConfig::default());
    let f = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    assert_eq!(r.put_reserved(s(0), f, Some(901)), Err(ConfigError::UnreservedBelowMinimum));
    assert_eq!(r.put_provisioned(s(0), f, 901), Err(ConfigError::UnreservedBelowMinimum));
    r.put_reserved(s(0), f, Some(5)).unwrap();
    assert_eq!(r.put_provisioned(s(0), f, 6), Err(ConfigError::ProvisionedExceedsReserved));
    assert_eq!(r.unreserved_pool(), 995);
    let bad = FunctionConfig { memory_mb: 10_241, ..FunctionConfig::default() };
    assert_eq!(r.create_function(s(0), &bad), Err(ConfigError::MemoryAboveMaximum));
    assert_eq!(r.update_function(s(0), f, &bad), Err(ConfigError::MemoryAboveMaximum));
    assert_eq!(r.advance(ms(0)), Ok(()));
    r.advance(s(1)).unwrap();
    assert_eq!(r.create_function(s(0), &FunctionConfig::default()), Err(ConfigError::TimeWentBackwards));
    r.check_invariants().unwrap();
}

#[test]
fn capacity_exceeded_spends_no_token() {
    let mut r = Region::with_capacity(RegionConfig::default(), Capacity { envs: 2, functions: 2 }).unwrap();
    let f = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    started(r.invoke(s(0), f));
    started(r.invoke(s(0), f));
    assert_eq!(r.invoke(s(0), f), Err(InvokeError::CapacityExceeded));
    assert_eq!(r.stats().requests, 2);
    r.create_function(s(0), &FunctionConfig::default()).unwrap();
    assert_eq!(r.create_function(s(0), &FunctionConfig::default()), Err(ConfigError::CapacityExceeded));
}

#[test]
fn deleted_function_handles_are_stale() {
    let mut r = region(RegionConfig::default());
    let f = r.create_function(s(0), &FunctionConfig { reserved: Some(10), ..FunctionConfig::default() }).unwrap();
    let a = started(r.invoke(s(0), f));
    assert_eq!(r.delete_function(s(0), f), Err(ConfigError::FunctionBusy));
    r.advance(a.ready_at).unwrap();
    r.finish(a.ready_at, a.invocation, Outcome::Success).unwrap();
    r.delete_function(a.ready_at, f).unwrap();
    assert_eq!(r.invoke(a.ready_at, f), Err(InvokeError::UnknownFunction));
    assert_eq!(r.unreserved_pool(), 1000);
    let g = r.create_function(a.ready_at, &FunctionConfig::default()).unwrap();
    assert_eq!(g.index, f.index);
    assert_ne!(g, f);
    assert_eq!(r.live(), 0);
    r.check_invariants().unwrap();
}

#[test]
fn update_starts_a_new_version() {
    let mut r = region(RegionConfig::default());
    let cfg = FunctionConfig { cold_start: instant_profile(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &cfg).unwrap();
    let a = started(r.invoke(s(0), f));
    let b = started(r.invoke(s(0), f));
    r.finish(s(1), a.invocation, Outcome::Success).unwrap();
    r.update_function(s(2), f, &FunctionConfig { memory_mb: 1_024, ..cfg }).unwrap();
    assert_eq!(r.env_state(a.env), None, "idle env of the old version reclaimed");
    let done = r.finish(s(2), b.invocation, Outcome::Success).unwrap();
    assert!(!done.env_kept, "busy env of the old version retires");
    assert_eq!(started(r.invoke(s(3), f)).start, StartKind::FullCold);
    // A concurrency-only change keeps the envs.
    r.put_reserved(s(4), f, Some(50)).unwrap();
    assert_eq!(r.function_counts(f).unwrap().live, 1);
    r.check_invariants().unwrap();
}

#[test]
fn legacy_scaling_is_account_wide() {
    let cfg = RegionConfig { scaling: ScalingRule::LegacyAccount { burst: 2 }, ..RegionConfig::default() };
    let mut r = region(cfg);
    let f = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    let g = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    started(r.invoke(s(0), f));
    started(r.invoke(s(0), g));
    assert_eq!(throttled(r.invoke(s(0), f)), ThrottleReason::ScalingRateExceeded);
    // One token every 120 ms.
    started(r.invoke(ms(120), g));
}

#[test]
fn finished_invocations_are_metered_per_start_kind() {
    use crate::pricing::{Architecture, Granularity, PriceBook};
    let cold_start = ColdStartProfile { sandbox_us: 100_000, download_us_per_mb: 0, package_mb: 0, init_us: 200_000 };
    let cfg =
        FunctionConfig { memory_mb: 1_024, cold_start, architecture: Architecture::Arm64, ..FunctionConfig::default() };
    for (bill_init, full_cold_ms) in [(true, 250), (false, 50)] {
        let mut r = region(RegionConfig { bill_init, ..RegionConfig::default() });
        let f = r.create_function(s(0), &cfg).unwrap();
        // Full cold: create 100 ms (never billed), init 200 ms (billed when bill_init), handler 50 ms.
        let a = started(r.invoke(s(0), f));
        r.finish(ms(350), a.invocation, Outcome::Crash).unwrap();
        // Partial cold: init 200 ms inside the invoke, handler 10.5 ms → 211 ms billed.
        let b = started(r.invoke(s(1), f));
        assert_eq!(b.start, StartKind::PartialCold);
        r.finish(Instant::from_micros(1_210_500), b.invocation, Outcome::Success).unwrap();
        // Warm: 1 µs → 1 ms.
        let c = started(r.invoke(s(2), f));
        r.finish(Instant::from_micros(2_000_001), c.invocation, Outcome::Success).unwrap();
        let m = r.usage().unwrap();
        assert_eq!(m.arm64.requests, 3);
        assert_eq!(m.arm64.mb_ms, 1_024 * (full_cold_ms + 211 + 1), "bill_init {bill_init}");
        assert_eq!(m.x86_64.requests, 0);
        assert_eq!(r.function_usage(f).unwrap().unwrap(), m);
        let bill = r.bill(&PriceBook::US_EAST_1, false).unwrap();
        assert_eq!(bill.lines().len(), 2, "requests and arm64 duration");
    }
    let mut r = region(RegionConfig { granularity: Granularity::Ms100, ..RegionConfig::default() });
    let f = r
        .create_function(s(0), &FunctionConfig { cold_start: instant_profile(), ..FunctionConfig::default() })
        .unwrap();
    let a = started(r.invoke(s(0), f));
    r.finish(Instant::from_micros(100_001), a.invocation, Outcome::Success).unwrap();
    assert_eq!(r.usage().unwrap().x86_64.mb_ms, 128 * 200);
}

#[test]
fn provisioned_allocation_and_on_pc_invocations_are_metered() {
    let mut r = region(RegionConfig::default());
    let cfg =
        FunctionConfig { memory_mb: 2_048, provisioned: 2, cold_start: instant_profile(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &cfg).unwrap();
    r.advance(s(61)).unwrap();
    let p = started(r.invoke(s(61), f));
    assert!(p.on_provisioned);
    r.finish(ms(61_100), p.invocation, Outcome::Success).unwrap();
    let spill = started(r.invoke(ms(61_100), f));
    let spill2 = started(r.invoke(ms(61_100), f));
    let spill3 = started(r.invoke(ms(61_100), f));
    assert_eq!((spill.on_provisioned, spill2.on_provisioned, spill3.on_provisioned), (true, true, false));
    r.advance(s(62)).unwrap();
    for inv in [spill, spill2, spill3] {
        r.finish(s(62), inv.invocation, Outcome::Success).unwrap();
    }
    // Open span: 62 s of PC = 2 rounds up to 5 min.
    let m = r.usage().unwrap();
    assert_eq!(m.x86_64.provisioned_mb_ms, 2 * 2_048 * 300_000);
    assert_eq!((m.x86_64.requests_provisioned, m.x86_64.requests), (3, 1));
    assert_eq!(m.x86_64.mb_ms_provisioned, 2_048 * (100 + 900 + 900));
    assert_eq!(m.x86_64.mb_ms, 2_048 * 900);
    // Disabling closes the span: 10 min 1 s rounds up to 15 min.
    r.put_provisioned(Instant::from_secs(601), f, 0).unwrap();
    r.advance(s(7_200)).unwrap();
    assert_eq!(r.usage().unwrap().x86_64.provisioned_mb_ms, 2 * 2_048 * 900_000);
}

#[test]
fn occupancy_integrates_live_and_busy_time() {
    let mut r = region(RegionConfig::default());
    let f = r
        .create_function(
            s(0),
            &FunctionConfig { timeout_ms: 60_000, cold_start: instant_profile(), ..FunctionConfig::default() },
        )
        .unwrap();
    let a = started(r.invoke(s(0), f));
    let b = started(r.invoke(s(0), f));
    r.finish(s(10), a.invocation, Outcome::Success).unwrap();
    r.finish(s(20), b.invocation, Outcome::Success).unwrap();
    assert_eq!(r.take_busy_window_peak(), 2);
    assert_eq!(r.take_busy_window_peak(), 0);
    r.advance(s(40)).unwrap();
    let o = r.occupancy();
    assert_eq!(o.busy_env_us, 30_000_000, "2 busy for 10 s, 1 for 10 s");
    assert_eq!(o.live_env_us, 80_000_000, "2 live for 40 s");
    assert_eq!(o.busy_peak, 2);
    assert!((o.avg_live() - 2.0).abs() < 1e-12);
    assert_eq!(r.function_occupancy(f).unwrap(), o);
    r.check_invariants().unwrap();
}

#[test]
fn prewarm_and_keep_alive_override() {
    let mut r = region(RegionConfig::default());
    let f = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    r.set_keep_alive(s(0), f, Some(Duration::from_secs(30))).unwrap();
    let env = r.prewarm(s(0), f).unwrap().unwrap();
    assert_eq!(r.env_state(env), Some(EnvState::Creating));
    assert_eq!(r.busy(), 0);
    r.advance(s(1)).unwrap();
    assert_eq!(r.env_state(env), Some(EnvState::Idle));
    let a = started(r.invoke(s(2), f));
    assert_eq!((a.start, a.env), (StartKind::Warm, env));
    r.finish(s(3), a.invocation, Outcome::Success).unwrap();
    assert_eq!(r.next_deadline(), Some(s(33)), "keep-alive override");
    r.set_keep_alive(s(3), f, None).unwrap();
    r.check_invariants().unwrap();
}

#[test]
fn deleting_a_function_terminates_its_prewarming_envs() {
    let mut r = region(RegionConfig::default());
    let f = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    let env = r.prewarm(s(0), f).unwrap().unwrap();
    r.delete_function(s(0), f).unwrap();
    assert_eq!(r.env_state(env), None);
    assert_eq!(r.live(), 0);
    r.check_invariants().unwrap();
    r.advance(s(10)).unwrap();
    r.check_invariants().unwrap();
}

#[test]
fn a_timer_already_due_never_moves_the_clock_back() {
    // PC env: create + init (25 s) outlasts the lifetime (20 s), so its
    // recycle is due the moment it becomes idle.
    let cfg = RegionConfig {
        max_lifetime: Duration::from_secs(20),
        provisioned_delay: Duration::ZERO,
        ..RegionConfig::default()
    };
    let mut r = region(cfg);
    let cold_start = ColdStartProfile { init_us: 25_000_000, ..instant_profile() };
    let f =
        r.create_function(s(0), &FunctionConfig { provisioned: 1, cold_start, ..FunctionConfig::default() }).unwrap();
    r.advance(s(25)).unwrap();
    assert_eq!(r.now(), s(25));
    // Recycled at 25 s (not at 20 s): re-initialized by 50 s.
    assert_eq!(r.next_deadline(), Some(s(50)));
    assert_eq!(r.function_counts(f).unwrap().initializing, 1);
    r.check_invariants().unwrap();
}

#[test]
fn a_timeout_inside_a_full_cold_init_fails_the_init() {
    let mut r = region(RegionConfig::default());
    let f = r.create_function(s(0), &FunctionConfig::default()).unwrap();
    let a = started(r.invoke(s(0), f));
    r.advance(ms(200)).unwrap();
    assert_eq!(r.env_state(a.env), Some(EnvState::Initializing));
    let done = r.finish(ms(200), a.invocation, Outcome::Timeout).unwrap();
    assert!(!done.env_kept);
    assert_eq!(r.env_state(a.env), None);
    assert_eq!((r.stats().init_failures, r.stats().timeouts), (1, 1));
    r.check_invariants().unwrap();
}

#[test]
fn any_configuration_change_but_concurrency_is_a_new_version() {
    use crate::pricing::Architecture;
    let mut r = region(RegionConfig { provisioned_delay: Duration::ZERO, ..RegionConfig::default() });
    let cfg = FunctionConfig { provisioned: 1, cold_start: instant_profile(), ..FunctionConfig::default() };
    let f = r.create_function(s(0), &cfg).unwrap();
    r.advance(s(1)).unwrap();
    let arm = FunctionConfig { architecture: Architecture::Arm64, ..cfg };
    r.update_function(s(600), f, &arm).unwrap();
    r.advance(s(1_200)).unwrap();
    let m = r.usage().unwrap();
    // The x86 span closed at the change (10 min); the arm64 one is open (10 min).
    assert_eq!(m.x86_64.provisioned_mb_ms, 128 * 600_000);
    assert_eq!(m.arm64.provisioned_mb_ms, 128 * 600_000);
    let eph = FunctionConfig { ephemeral_mb: 1_024, ..arm };
    let a = started(r.invoke(s(1_200), f));
    r.finish(s(1_201), a.invocation, Outcome::Success).unwrap();
    r.update_function(s(1_202), f, &eph).unwrap();
    assert_eq!(r.env_state(a.env), None, "warm envs of the old version are reclaimed");
    r.check_invariants().unwrap();
}

#[test]
fn provisioned_inits_are_billed_without_a_request() {
    let mut r = region(RegionConfig { provisioned_delay: Duration::ZERO, ..RegionConfig::default() });
    let cold_start = ColdStartProfile { init_us: 1_500_000, ..instant_profile() };
    let f =
        r.create_function(s(0), &FunctionConfig { provisioned: 2, cold_start, ..FunctionConfig::default() }).unwrap();
    r.advance(s(10)).unwrap();
    assert_eq!(r.function_counts(f).unwrap().provisioned_status, ProvisionedStatus::Ready);
    let m = r.usage().unwrap();
    assert_eq!(m.x86_64.mb_ms_provisioned, 2 * 128 * 1_500);
    assert_eq!(m.x86_64.requests_provisioned, 0);
}

/// A function with no cold-start time and the longest timeout.
fn long_running() -> FunctionConfig {
    FunctionConfig { cold_start: instant_profile(), timeout_ms: 900_000, ..FunctionConfig::default() }
}

/// Idle, `n` warm environments of `f` that went idle at `at[0]`, `at[1]`, ...
fn idle_envs<const N: usize>(r: &mut Small, f: FunctionId, at: [Instant; N]) -> [EnvId; N] {
    let starts = at.map(|_| started(r.invoke(s(0), f)));
    for (a, t) in starts.iter().zip(at) {
        r.finish(t, a.invocation, Outcome::Success).unwrap();
    }
    starts.map(|a| a.env)
}

#[test]
fn idle_envs_expire_in_order_through_the_function_queue() {
    let config = RegionConfig { max_lifetime: Duration::ZERO, ..RegionConfig::default() };
    let mut r = region(config);
    let f = r.create_function(s(0), &long_running()).unwrap();
    let envs = idle_envs(&mut r, f, [s(1), s(2), s(3)]);
    assert_eq!(r.next_deadline(), Some(s(601)));
    // A warm start takes the newest; the oldest still expires on time.
    let warm = started(r.invoke(s(100), f));
    assert_eq!(warm.env, envs[2]);
    r.advance(s(601)).unwrap();
    assert_eq!(r.env_state(envs[0]), None);
    assert_eq!(r.env_state(envs[1]), Some(EnvState::Idle));
    assert_eq!(r.next_deadline(), Some(s(602)));
    r.finish(s(700), warm.invocation, Outcome::Success).unwrap();
    r.advance(s(1_299)).unwrap();
    assert_eq!((r.env_state(envs[1]), r.env_state(envs[2])), (None, Some(EnvState::Idle)));
    assert_eq!(r.next_deadline(), Some(s(1_300)));
    r.advance(s(1_300)).unwrap();
    assert_eq!((r.live(), r.next_deadline()), (0, None));
}

#[test]
fn a_shortened_keep_alive_expires_newer_envs_first() {
    let config = RegionConfig { max_lifetime: Duration::ZERO, ..RegionConfig::default() };
    let mut r = region(config);
    let f = r.create_function(s(0), &long_running()).unwrap();
    let a = started(r.invoke(s(0), f));
    let b = started(r.invoke(s(0), f));
    r.finish(s(1), a.invocation, Outcome::Success).unwrap(); // idle until 601
    r.set_keep_alive(s(2), f, Some(Duration::from_secs(60))).unwrap();
    r.finish(s(3), b.invocation, Outcome::Success).unwrap(); // idle until 63
    assert_eq!(r.next_deadline(), Some(s(63)));
    r.advance(s(63)).unwrap();
    assert_eq!((r.env_state(b.env), r.env_state(a.env)), (None, Some(EnvState::Idle)));
    r.advance(s(600)).unwrap();
    assert_eq!(r.env_state(a.env), Some(EnvState::Idle));
    r.advance(s(601)).unwrap();
    assert_eq!((r.env_state(a.env), r.live()), (None, 0));
    // A lengthened keep-alive: the newer env outlives the older one.
    let c = started(r.invoke(s(700), f));
    let d = started(r.invoke(s(700), f));
    r.finish(s(701), c.invocation, Outcome::Success).unwrap(); // 60 s: until 761
    r.set_keep_alive(s(702), f, None).unwrap();
    r.finish(s(703), d.invocation, Outcome::Success).unwrap(); // 600 s: until 1303
    r.advance(s(761)).unwrap();
    assert_eq!((r.env_state(c.env), r.env_state(d.env)), (None, Some(EnvState::Idle)));
    r.advance(s(1_302)).unwrap();
    assert_eq!(r.env_state(d.env), Some(EnvState::Idle));
    r.advance(s(1_303)).unwrap();
    assert_eq!(r.live(), 0);
}

#[test]
fn an_idle_env_whose_lifetime_ends_first_goes_at_its_lifetime() {
    let config = RegionConfig { max_lifetime: Duration::from_secs(1_000), ..RegionConfig::default() };
    let mut r = region(config);
    let f = r.create_function(s(0), &long_running()).unwrap();
    let old = started(r.invoke(s(0), f));
    let young = started(r.invoke(s(450), f));
    assert_ne!(young.env, old.env);
    r.finish(s(500), old.invocation, Outcome::Success).unwrap(); // idle until 1100, lifetime 1000
    r.finish(s(900), young.invocation, Outcome::Success).unwrap(); // lifetime 1450, idle until 1500
    let older = started(r.invoke(s(950), f)); // takes the newest idle: young
    assert_eq!(older.env, young.env);
    r.finish(s(960), older.invocation, Outcome::Success).unwrap(); // until min(1560, 1450)
    assert_eq!(r.next_deadline(), Some(s(1_000)));
    r.advance(s(1_000)).unwrap();
    assert_eq!(r.env_state(old.env), None);
    assert_eq!(r.next_deadline(), Some(s(1_450)));
    r.advance(s(1_450)).unwrap();
    assert_eq!((r.env_state(young.env), r.live(), r.next_deadline()), (None, 0, None));
}

#[test]
fn a_scheduled_end_applies_its_outcome() {
    let mut r = region(RegionConfig::default());
    let f = r.create_function(s(0), &long_running()).unwrap();
    let h = |ms: u64, outcome| Handler { duration: Duration::from_millis(ms), outcome };
    let a = started(r.invoke_for(s(0), f, h(100, Outcome::Success)));
    r.advance(ms(99)).unwrap();
    assert_eq!(r.function_busy(f), Some(1));
    r.advance(ms(100)).unwrap();
    assert_eq!((r.function_busy(f), r.stats().succeeded), (Some(0), 1));
    assert_eq!(r.finish(ms(100), a.invocation, Outcome::Success), Err(FinishError::UnknownInvocation));
    // A reported timeout before the function's own: counted, and a later finish says so.
    let b = started(r.invoke_for(s(1), f, h(10, Outcome::Timeout)));
    assert_eq!(b.start, StartKind::Warm);
    r.advance(s(2)).unwrap();
    assert_eq!(r.stats().timeouts, 1);
    assert_eq!(r.finish(s(2), b.invocation, Outcome::Success), Err(FinishError::TimedOut));
    // A crash resets the environment: its next start is a partial cold start.
    started(r.invoke_for(s(3), f, h(10, Outcome::Crash)));
    let c = started(r.invoke_for(s(4), f, h(10, Outcome::Success)));
    assert_eq!((c.start, c.env), (StartKind::PartialCold, a.env));
    // An early finish wins; the scheduled end no longer applies.
    let d = started(r.invoke_for(s(10), f, h(5_000, Outcome::Crash)));
    r.finish(s(11), d.invocation, Outcome::Success).unwrap();
    r.advance(s(20)).unwrap();
    assert_eq!(r.stats().errors, 2);
}
