//! Deployment: the provisioned request rate of a function (10 × its
//! allocated provisioned concurrency per second).

use super::*;
use crate::concurrency::ThrottleReason;
use crate::function::{ColdStartProfile, ProvisionedStatus};

fn us(t: u64) -> Instant {
    Instant::from_micros(t)
}

fn region() -> Region<'static> {
    let config = RegionConfig { provisioned_delay: Duration::ZERO, ..RegionConfig::default() };
    Region::with_capacity(config, Capacity { envs: 64, functions: 4 }).unwrap()
}

/// A function with `pc` provisioned environments, ready by 1 s (no init).
fn provisioned(r: &mut Region<'static>, pc: u32) -> FunctionId {
    let cold_start = ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 0 };
    let f =
        r.create_function(us(0), &FunctionConfig { provisioned: pc, cold_start, ..FunctionConfig::default() }).unwrap();
    r.advance(us(1_000_000)).unwrap();
    assert_eq!(r.function_counts(f).unwrap().provisioned_status, ProvisionedStatus::Ready);
    f
}

fn outcome(r: &mut Region<'static>, at: u64, f: FunctionId) -> Option<ThrottleReason> {
    let handler = Handler { duration: Duration::from_millis(1), outcome: Outcome::Success };
    match r.invoke_for(us(at), f, handler).unwrap() {
        Invoked::Started(_) => None,
        Invoked::Throttled(reason) => Some(reason),
    }
}

/// The 10 × PC + 1-th request of a second is throttled with its own
/// reason; the next second it is allowed again.
#[test]
fn the_request_after_ten_per_provisioned_environment_in_a_second_is_throttled() {
    let mut r = region();
    let f = provisioned(&mut r, 2);
    for i in 0..20u64 {
        assert_eq!(outcome(&mut r, 1_000_000 + i * 40_000, f), None, "request {i}");
    }
    // 20 per second is one token per 50 ms: the full bucket (20) lost 20
    // and regained 16 over 0.8 s.
    let mut throttled = 0;
    let mut started = 0;
    for _ in 0..40 {
        match outcome(&mut r, 1_800_000, f) {
            Some(reason) => {
                assert_eq!(reason, ThrottleReason::FunctionInvocationRateLimitExceeded);
                throttled += 1;
            }
            None => started += 1,
        }
    }
    assert_eq!((started, throttled), (16, 24));
    let stats = r.function_stats(f).unwrap();
    assert_eq!(stats.throttles_for(ThrottleReason::FunctionInvocationRateLimitExceeded), 24);
}

/// The vector in its plainest form: 10 × PC requests at one instant pass,
/// the next one is throttled, one second later they pass again.
#[test]
fn ten_per_provisioned_environment_then_throttled_then_allowed_next_second() {
    let mut r = region();
    let f = provisioned(&mut r, 1);
    for _ in 0..10 {
        assert_eq!(outcome(&mut r, 2_000_000, f), None);
    }
    assert_eq!(outcome(&mut r, 2_000_000, f), Some(ThrottleReason::FunctionInvocationRateLimitExceeded));
    // Refilled continuously: one token per 100 ms at 10 per second.
    assert_eq!(outcome(&mut r, 2_099_999, f), Some(ThrottleReason::FunctionInvocationRateLimitExceeded));
    assert_eq!(outcome(&mut r, 2_100_000, f), None);
    // A second after the bucket was last empty, it is full again.
    for _ in 0..10 {
        assert_eq!(outcome(&mut r, 3_100_000, f), None);
    }
    assert_eq!(outcome(&mut r, 3_100_000, f), Some(ThrottleReason::FunctionInvocationRateLimitExceeded));
    r.check_invariants().unwrap();
}

/// Without provisioned concurrency only the account's rate applies.
#[test]
fn a_function_without_provisioned_concurrency_has_no_function_rate() {
    let mut r = region();
    let f = r.create_function(us(0), &FunctionConfig::default()).unwrap();
    for _ in 0..50 {
        assert_eq!(outcome(&mut r, 0, f), None);
    }
}

/// The account's request rate is checked first: a request refused there
/// takes no token of the function's.
#[test]
fn the_account_rate_comes_before_the_function_rate() {
    let config = RegionConfig {
        provisioned_delay: Duration::ZERO,
        account_limit: 2,
        unreserved_min: 0,
        ..RegionConfig::default()
    };
    let mut r = Region::with_capacity(config, Capacity { envs: 64, functions: 4 }).unwrap();
    let f = provisioned(&mut r, 1);
    let cold_start = ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 0 };
    let g = r.create_function(us(1_000_000), &FunctionConfig { cold_start, ..FunctionConfig::default() }).unwrap();
    // The account's 20 tokens go to g (most of its requests then find the
    // account's concurrency full).
    for _ in 0..20 {
        assert_ne!(outcome(&mut r, 1_000_000, g), Some(ThrottleReason::RequestRateExceeded));
    }
    for _ in 0..10 {
        assert_eq!(outcome(&mut r, 1_000_000, f), Some(ThrottleReason::RequestRateExceeded));
    }
    // 0.1 s later the account has 2 tokens and f still its 10.
    assert_eq!(outcome(&mut r, 1_100_000, f), None);
    assert_eq!(outcome(&mut r, 1_100_000, f), None);
    assert_eq!(outcome(&mut r, 1_100_000, f), Some(ThrottleReason::RequestRateExceeded));
}

/// A request refused because the environment table is full gives its
/// function-rate token back, like the account's.
#[test]
fn a_full_environment_table_gives_the_function_rate_token_back() {
    let config = RegionConfig { provisioned_delay: Duration::ZERO, ..RegionConfig::default() };
    let mut r = Region::with_capacity(config, Capacity { envs: 2, functions: 1 }).unwrap();
    let f = provisioned(&mut r, 1);
    let Invoked::Started(_on_pc) = r.invoke(us(2_000_000), f).unwrap() else { panic!("throttled") };
    let Invoked::Started(spill) = r.invoke(us(2_000_000), f).unwrap() else { panic!("throttled") };
    // 8 tokens left: without giving them back the 9th attempt would be throttled.
    for i in 0..9 {
        assert_eq!(r.invoke(us(2_000_000), f), Err(InvokeError::CapacityExceeded), "attempt {i}");
    }
    r.finish(us(2_000_000), spill.invocation, Outcome::Success).unwrap();
    let Invoked::Started(warm) = r.invoke(us(2_000_000), f).unwrap() else { panic!("throttled") };
    assert_eq!(warm.start, StartKind::Warm);
}
