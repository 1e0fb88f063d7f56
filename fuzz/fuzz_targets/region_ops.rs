//! Random operation sequences through a `Region`, with SPEC §2's invariants
//! checked after every operation. Any panic (an invariant broken, or a bug
//! that panics) is a finding.
#![no_main]

use lambdasim::{
    ColdStartProfile, Duration, FunctionConfig, FunctionId, Instant, InvocationId, Invoked, Outcome, Region,
    RegionConfig, ScalingRule, WarmPick,
};
use libfuzzer_sys::fuzz_target;

/// Reads small numbers off the input; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
}

fn region_config(b: &mut Bytes<'_>) -> RegionConfig {
    RegionConfig {
        account_limit: 100 + u32::from(b.u8()),
        unreserved_min: u32::from(b.u8() % 101),
        scaling: if b.u8() % 4 == 0 {
            ScalingRule::LegacyAccount { burst: 1 + u32::from(b.u8()) }
        } else {
            ScalingRule::PerFunction
        },
        request_rate_per_limit: u32::from(b.u8() % 3),
        idle_timeout: Duration::from_millis(u64::from(b.u8()) * 100),
        max_lifetime: Duration::from_millis(u64::from(b.u8()) * 500),
        shutdown: Duration::from_millis(u64::from(b.u8() % 4) * 500),
        warm_pick: if b.u8() % 2 == 0 { WarmPick::MostRecentlyUsed } else { WarmPick::LeastRecentlyUsed },
        provisioned_delay: Duration::from_millis(u64::from(b.u8()) * 10),
        provisioned_per_minute: 1 + u32::from(b.u8()) * 100,
        bill_init: b.u8() % 2 == 0,
        ..RegionConfig::default()
    }
}

fn function_config(b: &mut Bytes<'_>) -> FunctionConfig {
    let reserved = match b.u8() % 3 {
        0 => Some(u32::from(b.u8() % 20)),
        _ => None,
    };
    FunctionConfig {
        memory_mb: 100 + u32::from(b.u8()) * 41,
        timeout_ms: u32::from(b.u8()) * 40,
        reserved,
        provisioned: u32::from(b.u8() % 8),
        cold_start: ColdStartProfile {
            sandbox_us: u64::from(b.u8()) * 1_000,
            download_us_per_mb: u64::from(b.u8() % 4) * 1_000,
            package_mb: u32::from(b.u8()),
            init_us: u64::from(b.u8()) * 50_000,
        },
        ..FunctionConfig::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let Ok(mut region) = Region::<64, 4>::new(region_config(&mut b)) else { return };
    let mut functions: Vec<FunctionId> = Vec::new();
    let mut open: Vec<InvocationId> = Vec::new();
    let mut now = Instant::ZERO;
    while !b.0.is_empty() {
        now = now.saturating_add(Duration::from_micros(u64::from(b.u8()) * u64::from(b.u8()) * 100));
        let pick = usize::from(b.u8());
        let f = functions.get(pick % functions.len().max(1)).copied();
        match b.u8() % 9 {
            0 => {
                if let Ok(id) = region.create_function(now, &function_config(&mut b)) {
                    functions.push(id);
                }
            }
            1..=3 => {
                if let Some(f) = f {
                    if let Ok(Invoked::Started(s)) = region.invoke(now, f) {
                        open.push(s.invocation);
                    }
                }
            }
            4 | 5 if !open.is_empty() => {
                let inv = open.swap_remove(pick % open.len());
                let outcome = [Outcome::Success, Outcome::FunctionError, Outcome::Timeout, Outcome::Crash]
                    [usize::from(b.u8() % 4)];
                let _ = region.finish(now, inv, outcome);
            }
            6 => {
                if let Some(f) = f {
                    let rc = if b.u8() % 2 == 0 { None } else { Some(u32::from(b.u8() % 30)) };
                    let _ = region.put_reserved(now, f, rc);
                }
            }
            7 => {
                if let Some(f) = f {
                    let _ = region.put_provisioned(now, f, u32::from(b.u8() % 10));
                    if b.u8() % 8 == 0 {
                        let _ = region.update_function(now, f, &function_config(&mut b));
                    }
                    if b.u8() % 16 == 0 && region.delete_function(now, f).is_ok() {
                        functions.retain(|g| *g != f);
                    }
                }
            }
            _ => {
                let _ = region.advance(now);
            }
        }
        if let Err(v) = region.check_invariants() {
            panic!("invariant broken: {v}");
        }
        let _ = region.usage();
    }
});
