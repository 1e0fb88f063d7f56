//! The cross-language digest (tests/vectors/README.md, "Digest"): a seeded
//! operation sequence whose outcomes hash to the digest stored in
//! `tests/vectors/digest/seeded-ops.json`. C, Go and Node assert the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::{
    ColdStartProfile, Duration, FinishError, FunctionConfig, Instant, InvocationId, InvokeError, Invoked, Outcome,
    Region, RegionConfig,
};
use serde_json::Value;

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

struct Fnv(u64);

impl Fnv {
    fn feed(&mut self, values: &[u64]) {
        for v in values {
            for b in v.to_le_bytes() {
                self.0 ^= u64::from(b);
                self.0 = self.0.wrapping_mul(0x100_0000_01b3);
            }
        }
    }
}

fn u(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

fn region_config(v: &Value) -> RegionConfig {
    let mut c = RegionConfig::default();
    if let Some(x) = u(v, "account_limit") {
        c.account_limit = x as u32;
    }
    if let Some(x) = u(v, "provisioned_delay_us") {
        c.provisioned_delay = Duration::from_micros(x);
    }
    c
}

// `..d` keeps this compiling if FunctionConfig gains fields.
#[allow(clippy::needless_update)]
fn function_config(v: &Value) -> FunctionConfig {
    let d = FunctionConfig::default();
    let p = ColdStartProfile::default();
    FunctionConfig {
        memory_mb: u(v, "memory_mb").map_or(d.memory_mb, |x| x as u32),
        timeout_ms: u(v, "timeout_ms").map_or(d.timeout_ms, |x| x as u32),
        reserved: u(v, "reserved").map(|x| x as u32),
        provisioned: u(v, "provisioned").map_or(0, |x| x as u32),
        cold_start: ColdStartProfile {
            sandbox_us: u(v, "sandbox_us").unwrap_or(p.sandbox_us),
            download_us_per_mb: u(v, "download_us_per_mb").unwrap_or(p.download_us_per_mb),
            package_mb: u(v, "package_mb").map_or(p.package_mb, |x| x as u32),
            init_us: u(v, "init_us").unwrap_or(p.init_us),
        },
        ..d
    }
}

fn invoke_error(e: InvokeError) -> u64 {
    match e {
        InvokeError::UnknownFunction => 1,
        InvokeError::TimeWentBackwards => 2,
        InvokeError::CapacityExceeded => 3,
        _ => 9,
    }
}

fn finish_error(e: FinishError) -> u64 {
    match e {
        FinishError::UnknownInvocation => 1,
        FinishError::TimedOut => 2,
        FinishError::NotReady => 3,
        _ => 9,
    }
}

const OUTCOMES: [Outcome; 8] = [
    Outcome::Success,
    Outcome::Success,
    Outcome::Success,
    Outcome::Success,
    Outcome::Success,
    Outcome::FunctionError,
    Outcome::Timeout,
    Outcome::Crash,
];

/// Runs the generator; returns the digest.
fn digest(spec: &Value) -> u64 {
    let capacity = lambdasim::Capacity { envs: 1024, functions: 8 };
    let mut region = Box::new(Region::with_capacity(region_config(&spec["region"]), capacity).unwrap());
    let functions: Vec<_> = spec["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| region.create_function(Instant::ZERO, &function_config(f)).unwrap())
        .collect();
    let mut rng = SplitMix64(u(spec, "seed").unwrap());
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let mut now = 0u64;
    let mut open: Vec<(InvocationId, Instant)> = Vec::new();
    for _ in 0..u(spec, "steps").unwrap() {
        let x = rng.next();
        now += x % 50_000;
        let at = Instant::from_micros(now);
        match (x >> 20) % 10 {
            0..=3 => {
                let f = functions[((x >> 32) % functions.len() as u64) as usize];
                match region.invoke(at, f) {
                    Ok(Invoked::Started(s)) => {
                        open.push((s.invocation, s.ready_at));
                        h.feed(&[
                            1,
                            s.start as u64,
                            u64::from(s.env.index),
                            s.init.as_micros(),
                            s.ready_at.as_micros(),
                            u64::from(s.on_provisioned),
                        ]);
                    }
                    Ok(Invoked::Throttled(r)) => h.feed(&[2, r as u64]),
                    Err(e) => h.feed(&[9, invoke_error(e)]),
                }
            }
            4..=8 if open.is_empty() => h.feed(&[0]),
            4..=8 => {
                let i = ((x >> 40) % open.len() as u64) as usize;
                if at < open[i].1 {
                    h.feed(&[6]);
                    continue;
                }
                let (inv, _) = open.swap_remove(i);
                let outcome = OUTCOMES[((x >> 48) % 8) as usize];
                match region.finish(at, inv, outcome) {
                    Ok(done) => h.feed(&[3, done.duration.as_micros(), u64::from(done.env_kept)]),
                    Err(e) => h.feed(&[8, finish_error(e)]),
                }
            }
            _ => {
                region.advance(at).unwrap();
                h.feed(&[4, region.next_deadline().map_or(u64::MAX, Instant::as_micros)]);
            }
        }
        region.check_invariants().unwrap();
    }
    let s = region.stats();
    h.feed(&[
        5,
        region.busy(),
        u64::from(region.live()),
        s.requests,
        s.invocations,
        s.throttles_total(),
        s.full_cold_starts,
        s.partial_cold_starts,
        s.warm_starts,
        s.provisioned_starts,
        s.errors,
        s.timeouts,
        s.envs_created,
        s.envs_terminated,
    ]);
    h.0
}

#[test]
fn seeded_operations_match_the_stored_digest() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/digest/seeded-ops.json");
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let got = format!("0x{:016x}", digest(&spec));
    assert_eq!(got, spec["digest"].as_str().unwrap(), "digest of {path}");
}
