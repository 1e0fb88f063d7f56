//! docs/model.md §1–§2 figures that are settings or constants rather than scenarios:
//! the defaults must be AWS's (or docs/model.md's chosen) numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::{
    ColdStartProfile, Duration, FunctionConfig, MemoryMb, MemoryRule, RegionConfig, ScalingRule, WarmPick,
};

#[test]
fn region_defaults_are_spec_defaults() {
    let c = RegionConfig::default();
    assert_eq!(c.account_limit, 1_000, "§2 account limit default 1000");
    assert_eq!(c.unreserved_min, 100, "§2 unreserved minimum 100");
    assert_eq!(c.scaling, ScalingRule::PerFunction, "§2 current scaling rule by default");
    assert_eq!(c.request_rate_per_limit, 10, "§2 request rate 10 x limit per second");
    assert_eq!(c.idle_timeout, Duration::from_secs(600), "§1 idle 10 min");
    assert_eq!(c.max_lifetime, Duration::from_secs(7_200), "§1 max lifetime 2 h");
    assert_eq!(c.shutdown, Duration::ZERO, "§1 shutdown 0 ms without extensions");
    assert_eq!(c.warm_pick, WarmPick::MostRecentlyUsed, "§1 most recently used by default");
    assert_eq!(c.memory_rule, MemoryRule::Current);
    assert_eq!(c.provisioned_delay, Duration::from_secs(60), "§2 PC preparation delay 60 s");
    assert_eq!(c.provisioned_per_minute, 6_000, "§2 6000 PC envs per minute");
    assert_eq!(c.provisioned_interval(), Duration::from_millis(10), "§2 env j created j x 10 ms after the delay");
}

#[test]
fn scaling_figures() {
    assert_eq!(ScalingRule::PER_FUNCTION_BURST, 1_000, "§2 1000 new envs per 10 s per function");
    assert_eq!(ScalingRule::PER_FUNCTION_PER_SECOND, 100, "§2 refilled 100 per second");
    assert_eq!(ScalingRule::LEGACY_PER_MINUTE, 500, "§2 legacy +500 per minute");
    for region in ["us-east-1", "us-west-2", "eu-west-1"] {
        assert_eq!(ScalingRule::legacy_burst_for(region), 3_000, "{region}");
    }
    for region in ["ap-northeast-1", "eu-central-1", "us-east-2"] {
        assert_eq!(ScalingRule::legacy_burst_for(region), 1_000, "{region}");
    }
    for region in ["eu-north-1", "ap-south-1", "sa-east-1", ""] {
        assert_eq!(ScalingRule::legacy_burst_for(region), 500, "{region}");
    }
}

#[test]
fn function_figures() {
    let f = FunctionConfig::default();
    assert_eq!(f.memory_mb, 128, "§3 default memory");
    assert_eq!(MemoryMb::DEFAULT.get(), 128);
    assert_eq!(f.timeout_ms, 3_000, "§1 default timeout 3 s");
    assert_eq!(FunctionConfig::MAX_TIMEOUT_MS, 900_000, "§1 timeout 1..=900 s");
    assert_eq!((f.reserved, f.provisioned), (None, 0));
    assert_eq!(FunctionConfig::ON_DEMAND_INIT_LIMIT, Duration::from_secs(10), "§1 on-demand init limit 10 s");
    assert_eq!(f.provisioned_init_limit(), Duration::from_secs(130), "§1 PC init limit max(130 s, timeout)");
    let long = FunctionConfig { timeout_ms: 900_000, ..f };
    assert_eq!(long.provisioned_init_limit(), Duration::from_secs(900));
    let p = ColdStartProfile::default();
    assert_eq!(p.create(), Duration::from_millis(130), "§1 create = 125 ms + 1 ms/MB x 5 MB");
    assert_eq!(p.init(), Duration::from_millis(250));
}
