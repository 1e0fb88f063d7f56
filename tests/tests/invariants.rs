//! Property tests: random operation sequences on small regions, with the
//! eight invariants of docs/model.md §2 checked after every operation (see
//! `lambdasim_tests::model`).
//!
//! `PROPTEST_CASES=n` sets the number of cases (default 1000); cases come from
//! a fixed seed, `LAMBDASIM_SEED=n` draws others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::{Duration, MemoryRule, Outcome, RegionConfig, ScalingRule, WarmPick};
use lambdasim_tests::model::{Coverage, FnSpec, Harness, Op, Step};
use lambdasim_tests::with_big_stack;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

/// Environment slots: far more than a region with limit ≤ 300 and ≤ 8
/// functions ever keeps, so `CapacityExceeded` is a failure.
type TestHarness = Harness<4_096, 8>;

fn region_strategy() -> impl Strategy<Value = RegionConfig> {
    (
        100u32..=300,
        0u32..=100,
        prop_oneof![Just(None), (1u32..=150).prop_map(Some)],
        select(vec![0u32, 1, 10]),
        select(vec![1_000_000u64, 30_000_000, 600_000_000]),
        select(vec![0u64, 20_000_000, 7_200_000_000]),
        select(vec![0u64, 500_000, 2_000_000]),
        any::<bool>(),
        select(vec![0u64, 1_000_000, 60_000_000]),
        select(vec![60u32, 6_000]),
    )
        .prop_map(|(limit, min, burst, rate, idle, lifetime, shutdown, lru, delay, ppm)| RegionConfig {
            account_limit: limit,
            unreserved_min: min,
            scaling: burst.map_or(ScalingRule::PerFunction, |burst| ScalingRule::LegacyAccount { burst }),
            request_rate_per_limit: rate,
            idle_timeout: Duration::from_micros(idle),
            max_lifetime: Duration::from_micros(lifetime),
            shutdown: Duration::from_micros(shutdown),
            warm_pick: if lru { WarmPick::LeastRecentlyUsed } else { WarmPick::MostRecentlyUsed },
            memory_rule: MemoryRule::Current,
            provisioned_delay: Duration::from_micros(delay),
            provisioned_per_minute: ppm,
            ..RegionConfig::default()
        })
}

fn fn_spec_strategy() -> impl Strategy<Value = FnSpec> {
    (
        select(vec![128u32, 128, 512, 10_240, 127]),
        select(vec![1u32, 100, 1_000, 3_000, 3_000, 60_000, 0]),
        prop_oneof![3 => Just(None), 1 => Just(Some(0)), 3 => (1u32..=160).prop_map(Some)],
        prop_oneof![3 => Just(0u32), 1 => 1u32..=30],
        select(vec![0u64, 125_000]),
        select(vec![0u32, 5]),
        select(vec![0u64, 250_000, 250_000, 2_000_000, 12_000_000]),
    )
        .prop_map(|(memory_mb, timeout_ms, reserved, provisioned, sandbox_us, package_mb, init_us)| FnSpec {
            memory_mb,
            timeout_ms,
            reserved,
            provisioned,
            sandbox_us,
            package_mb,
            init_us,
        })
}

fn outcome_strategy() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        6 => Just(Outcome::Success),
        1 => Just(Outcome::FunctionError),
        1 => Just(Outcome::Timeout),
        1 => Just(Outcome::Crash),
    ]
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let f = 0usize..8;
    prop_oneof![
        30 => (f.clone(), prop::option::weighted(0.2, select(vec![0u64, 1, 400_000, 2_000_000, 11_000_000])))
            .prop_map(|(f, init_us)| Op::Invoke { f, init_us }),
        8 => (
            f.clone(),
            prop::option::weighted(0.2, select(vec![0u64, 1, 400_000, 2_000_000, 11_000_000])),
            select(vec![0u64, 1, 50_000, 1_000_000, 3_000_000, 60_000_000]),
            outcome_strategy(),
        )
            .prop_map(|(f, init_us, handler_us, outcome)| Op::InvokeFor { f, init_us, handler_us, outcome }),
        8 => (f.clone(), 1u32..=150).prop_map(|(f, count)| Op::InvokeMany { f, count }),
        24 => (any::<usize>(), outcome_strategy()).prop_map(|(which, outcome)| Op::Finish { which, outcome }),
        2 => any::<usize>().prop_map(|which| Op::FinishStale { which }),
        2 => Just(Op::FinishAll),
        10 => Just(Op::Advance),
        7 => select(vec![0u64, 0, 1]).prop_map(|back_us| Op::AdvanceToDeadline { back_us }),
        4 => (f.clone(), prop::option::weighted(0.75, 0u32..=300)).prop_map(|(f, reserved)| Op::PutReserved { f, reserved }),
        4 => (f.clone(), 0u32..=40).prop_map(|(f, provisioned)| Op::PutProvisioned { f, provisioned }),
        3 => (f.clone(), fn_spec_strategy()).prop_map(|(f, spec)| Op::UpdateFunction { f, spec }),
        2 => f.clone().prop_map(|f| Op::DeleteFunction { f }),
        4 => (f.clone(), select(vec![0u64, 1, 50_000, 1_000_000, 3_000_000, 60_000_000]), outcome_strategy(), select(vec![0u8, 1, 2, 3, u8::MAX]), select(vec![1u8, 1, 2, 6]))
            .prop_map(|(f, handler_us, outcome, failing_attempts, count)| Op::InvokeAsync { f, handler_us, outcome, failing_attempts, count }),
        1 => (f.clone(), 0u8..=3, select(vec![59u64, 60, 61, 300, 3_600, 21_600, 21_601]), any::<[u8; 3]>())
            .prop_map(|(f, max_retry_attempts, max_event_age_s, targets)| Op::PutAsyncConfig { f, max_retry_attempts, max_event_age_s, targets }),
        2 => fn_spec_strategy().prop_map(Op::CreateFunction),
    ]
}

fn dt_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        8 => Just(0u64),
        3 => 1u64..=1_000,
        5 => 0u64..500_000,
        3 => 0u64..10_000_000,
        1 => 0u64..900_000_000,
    ]
}

fn step_strategy() -> impl Strategy<Value = Step> {
    (dt_strategy(), op_strategy()).prop_map(|(dt_us, op)| Step { dt_us, op })
}

/// One case: a region, the functions created at t = 0, then the steps.
type Case = (RegionConfig, Vec<FnSpec>, Vec<Step>);

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        region_strategy(),
        prop::collection::vec(fn_spec_strategy(), 1..=4),
        prop::collection::vec(step_strategy(), 1..=60),
    )
}

/// Runs a case on a big stack; returns what it exercised.
fn run_case(case: Case) -> Result<Coverage, String> {
    with_big_stack(move || {
        let (region, functions, steps) = case;
        let mut h = TestHarness::new(region)?;
        for spec in functions {
            h.apply(&Step { dt_us: 0, op: Op::CreateFunction(spec) })?;
        }
        for (i, step) in steps.iter().enumerate() {
            h.apply(step).map_err(|e| format!("step {i}: {e}"))?;
        }
        h.drain()?;
        Ok(h.coverage().clone())
    })
}

proptest! {
    #![proptest_config(lambdasim_tests::proptest_config())]

    #[test]
    fn spec_invariants_hold_after_every_operation(case in case_strategy()) {
        if let Err(e) = run_case(case) {
            return Err(TestCaseError::fail(e));
        }
    }
}

/// The generators must reach the situations the invariants are about; a
/// property test whose cases never throttle proves little. Deterministic:
/// proptest's fixed-seed runner.
#[test]
fn generated_cases_reach_every_situation() {
    let mut runner = TestRunner::deterministic();
    let strategy = case_strategy();
    let mut total = Coverage::default();
    for _ in 0..400 {
        let case = strategy.new_tree(&mut runner).expect("generate a case").current();
        let coverage = run_case(case).unwrap_or_else(|e| panic!("a generated case failed: {e}"));
        total.add(&coverage);
    }
    println!("{total:#?}");
    for (i, n) in total.starts.iter().enumerate() {
        assert!(*n > 0, "no start of kind {i} (Warm, Provisioned, PartialCold, FullCold): {total:?}");
    }
    for (i, n) in total.throttles.iter().enumerate() {
        assert!(*n > 0, "no throttle for reason {i}: {total:?}");
    }
    assert!(total.not_ready > 0 && total.timed_out > 0 && total.init_aborted > 0, "{total:?}");
    assert!(total.config_rejected > 0 && total.config_accepted > 0, "{total:?}");
    assert!(total.delete_busy > 0 && total.deleted > 0, "{total:?}");
    assert!(total.finished > 1_000 && total.scheduled_ends > 100, "{total:?}");
    assert!(total.async_received > 100 && total.async_rejected > 0, "{total:?}");
    assert!(total.async_succeeded > 0 && total.async_dropped > 0 && total.async_requeued > 0, "{total:?}");
    assert!(total.async_expired > 0, "{total:?}");
}

/// docs/model.md §2's rules meet head-on here, and the harness excuses exactly this
/// case from invariant 5: configuration changes under load are accepted
/// ("as AWS does"), so RC 100 can be set on g while f holds the whole
/// account (200 busy of 200); decision step 4 (account busy ≥ limit) then
/// throttles g with `ConcurrentInvocationLimitExceeded` although g's busy (0)
/// is below its RC — which invariant 5 says never happens "for any
/// sequence". Reported upstream; this test pins today's answer so a change
/// to either rule is noticed.
#[test]
fn overcommitted_account_is_the_only_invariant_5_exception() {
    let region = RegionConfig { account_limit: 200, unreserved_min: 100, ..RegionConfig::default() };
    let spec = FnSpec {
        memory_mb: 128,
        timeout_ms: 60_000,
        reserved: None,
        provisioned: 0,
        sandbox_us: 125_000,
        package_mb: 5,
        init_us: 250_000,
    };
    let steps = vec![
        Step { dt_us: 0, op: Op::InvokeMany { f: 0, count: 200 } },
        Step { dt_us: 0, op: Op::PutReserved { f: 1, reserved: Some(100) } },
        Step { dt_us: 0, op: Op::Invoke { f: 1, init_us: None } },
    ];
    let coverage = run_case((region, vec![spec.clone(), spec], steps)).expect("the case runs");
    assert_eq!(coverage.starts[3], 200, "{coverage:?}");
    assert_eq!(coverage.config_accepted, 3, "both creates and the RC change under load are accepted: {coverage:?}");
    assert_eq!(coverage.throttles[0], 1, "g is throttled for concurrency: {coverage:?}");
    assert_eq!(coverage.inv5_overcommitted, 1, "{coverage:?}");
}

/// Any failure reported during a full cold start (creating or
/// initializing, timeout or crash) fails the init and terminates the env
/// (docs/model.md §1); only a partial cold start's init runs inside the invoke.
#[test]
fn a_failure_during_a_full_cold_start_fails_the_init() {
    use lambdasim::{FunctionConfig, Instant, Invoked, Region};
    let kept = |at_ms: u64, outcome: Outcome| {
        with_big_stack(move || {
            let capacity = lambdasim::Capacity { envs: 64, functions: 4 };
            let mut r = Box::new(Region::with_capacity(RegionConfig::default(), capacity).unwrap());
            let f = r.create_function(Instant::ZERO, &FunctionConfig::default()).unwrap();
            let Ok(Invoked::Started(s)) = r.invoke(Instant::ZERO, f) else { panic!("no start") };
            // Default profile: creating until 130 ms, initializing until 380 ms.
            r.finish(Instant::from_micros(at_ms * 1_000), s.invocation, outcome).unwrap().env_kept
        })
    };
    assert!(!kept(100, Outcome::Timeout), "a timeout while creating fails the init");
    assert!(!kept(200, Outcome::Crash), "a crash while initializing fails the init");
    assert!(!kept(200, Outcome::Timeout), "a timeout while initializing fails the init");
}

fn pc_spec(provisioned: u32, reserved: Option<u32>, sandbox_us: u64, init_us: u64) -> FnSpec {
    FnSpec {
        memory_mb: 128,
        timeout_ms: 3_000,
        reserved,
        provisioned,
        sandbox_us,
        package_mb: if sandbox_us == 0 { 0 } else { 5 },
        init_us,
    }
}

fn step(dt_us: u64, op: Op) -> Step {
    Step { dt_us, op }
}

/// Issue 8's minimal sequences, run through the harness, whose checks
/// catch each of them: a change keeping PC moves no deadline (item 1); a
/// request never skips an idle provisioned env that served before (item
/// 2); busy PC envs never exceed the allocation, claimed ≥ busy and RC
/// functions below RC are not throttled for concurrency (item 3).
#[test]
fn issue_8_sequences_pass_the_harness_checks() {
    let item1 = (
        RegionConfig::default(),
        vec![pc_spec(5, None, 125_000, 250_000)],
        vec![
            step(30_000_000, Op::PutReserved { f: 0, reserved: Some(10) }),
            step(15_000_000, Op::PutProvisioned { f: 0, provisioned: 5 }),
            step(16_000_000, Op::Invoke { f: 0, init_us: None }),
        ],
    );
    let c = run_case(item1).unwrap();
    assert_eq!(c.starts[1], 1, "item 1: Provisioned at 61 s: {c:?}");

    let lifetime = RegionConfig {
        max_lifetime: Duration::from_secs(20),
        provisioned_delay: Duration::from_secs(5),
        ..RegionConfig::default()
    };
    let item2 = (
        lifetime,
        vec![pc_spec(1, None, 0, 1_000_000)],
        vec![
            step(10_000_000, Op::Invoke { f: 0, init_us: None }),
            step(500_000, Op::Finish { which: 0, outcome: Outcome::Success }),
            step(15_000_000, Op::PutProvisioned { f: 0, provisioned: 2 }),
            step(1_000_000, Op::Invoke { f: 0, init_us: None }),
        ],
    );
    let c = run_case(item2).unwrap();
    assert_eq!(c.starts[1], 2, "item 2: both Provisioned: {c:?}");

    let small = RegionConfig {
        account_limit: 10,
        unreserved_min: 0,
        provisioned_delay: Duration::ZERO,
        ..RegionConfig::default()
    };
    let item3 = (
        small,
        vec![pc_spec(5, None, 125_000, 250_000), pc_spec(0, Some(5), 125_000, 250_000)],
        vec![
            step(1_000_000, Op::InvokeMany { f: 0, count: 5 }),
            step(0, Op::PutProvisioned { f: 0, provisioned: 0 }),
            step(0, Op::Invoke { f: 0, init_us: None }),
            step(0, Op::InvokeMany { f: 1, count: 5 }),
        ],
    );
    let c = run_case(item3).unwrap();
    assert_eq!((c.starts[1], c.starts[3], c.throttles[0]), (5, 5, 1), "item 3: {c:?}");
}
