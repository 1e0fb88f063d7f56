//! Provisioned concurrency: which changes touch the allocation, recycling
//! while a change is in progress, busy environments released by a lower
//! allocation, and `advance` over spans of any length (fast-forwarded
//! recycling must equal stepping).

use super::*;
use crate::concurrency::ThrottleReason;
use crate::function::{ColdStartProfile, ProvisionedStatus};
use crate::rng::Rng;
extern crate std;
use std::format;
use std::string::String;
use std::vec::Vec;

type Small = Region<'static>;

fn small(config: RegionConfig) -> Small {
    Region::with_capacity(config, Capacity { envs: 64, functions: 8 }).unwrap()
}

fn us(t: u64) -> Instant {
    Instant::from_micros(t)
}

fn profile(create_us: u64, init_us: u64) -> ColdStartProfile {
    ColdStartProfile { sandbox_us: create_us, download_us_per_mb: 0, package_mb: 0, init_us }
}

fn started(r: Result<Invoked, InvokeError>) -> Started {
    match r.unwrap() {
        Invoked::Started(s) => s,
        Invoked::Throttled(t) => panic!("throttled: {t}"),
    }
}

/// Issue 8, item 1: only a change of the provisioned value touches the
/// allocation; setting RC (or PC to its value) must not restart the delay.
#[test]
fn reserved_or_same_provisioned_changes_leave_the_allocation_alone() {
    for change in 0..2 {
        let mut r = small(RegionConfig::default());
        let f = r.create_function(us(0), &FunctionConfig { provisioned: 5, ..FunctionConfig::default() }).unwrap();
        match change {
            0 => r.put_reserved(us(30_000_000), f, Some(10)).unwrap(),
            _ => r.put_provisioned(us(30_000_000), f, 5).unwrap(),
        }
        assert_eq!(r.next_deadline(), Some(us(60_000_000)), "change {change}: the allocation starts at 60 s");
        let s = started(r.invoke(us(61_000_000), f));
        assert_eq!(s.start, StartKind::Provisioned, "change {change}: Ready at 60.42 s");
        r.check_invariants().unwrap();
    }
}

/// Issue 8, item 2: a recycled environment of a Ready allocation serves
/// again while a raise is in progress, and recycling never delays the new
/// batch's Ready.
#[test]
fn recycled_environments_keep_serving_while_a_raise_is_in_progress() {
    let config = RegionConfig {
        max_lifetime: Duration::from_secs(20),
        provisioned_delay: Duration::from_secs(5),
        ..RegionConfig::default()
    };
    let mut r = small(config);
    let cfg = FunctionConfig { provisioned: 1, cold_start: profile(0, 1_000_000), ..FunctionConfig::default() };
    let f = r.create_function(us(0), &cfg).unwrap();
    // Created at 5 s, Ready at 6 s, recycling from 25 s to 26 s.
    r.put_provisioned(us(25_500_000), f, 2).unwrap();
    let c = r.function_counts(f).unwrap();
    assert_eq!((c.provisioned_status, c.initializing), (ProvisionedStatus::InProgress, 1));
    let s = started(r.invoke(us(26_500_000), f));
    assert_eq!((s.start, s.on_provisioned), (StartKind::Provisioned, true));
    r.finish(us(27_000_000), s.invocation, Outcome::Success).unwrap();
    // The new env: created at 30.5 s, initialized at 31.5 s; the first one
    // recycles again from 45 s (born 25 s): the batch is Ready at 31.5 s.
    r.advance(us(31_499_999)).unwrap();
    assert_eq!(r.function_counts(f).unwrap().provisioned_status, ProvisionedStatus::InProgress);
    r.advance(us(31_500_000)).unwrap();
    let c = r.function_counts(f).unwrap();
    assert_eq!((c.provisioned_status, c.idle_provisioned), (ProvisionedStatus::Ready, 2));
    // Raise again while the first one recycles (45 s..46 s): Ready as soon
    // as the new one is initialized, not held back by the recycling one.
    r.put_provisioned(us(45_000_000), f, 3).unwrap();
    assert_eq!(r.function_counts(f).unwrap().idle_provisioned, 1);
    r.advance(us(50_999_999)).unwrap();
    r.advance(us(51_000_000)).unwrap();
    // Recycling env 2 (born 30.5 s) runs 50.5 s..51.5 s; the new env is initialized at 51 s.
    let c = r.function_counts(f).unwrap();
    assert_eq!((c.provisioned_status, c.idle_provisioned, c.initializing), (ProvisionedStatus::Ready, 2, 1));
    r.check_invariants().unwrap();
}

/// Issue 8, item 3: busy provisioned environments above a lowered
/// allocation count as on-demand concurrency (here: in the unreserved
/// pool), so claimed ≥ busy and a function with RC below its RC is not
/// throttled for concurrency.
#[test]
fn busy_environments_above_a_lowered_allocation_count_in_the_unreserved_pool() {
    let config = RegionConfig {
        account_limit: 10,
        unreserved_min: 0,
        provisioned_delay: Duration::ZERO,
        ..RegionConfig::default()
    };
    let mut r = small(config);
    let f1 = r.create_function(us(0), &FunctionConfig { provisioned: 5, ..FunctionConfig::default() }).unwrap();
    let f2 = r.create_function(us(0), &FunctionConfig { reserved: Some(5), ..FunctionConfig::default() }).unwrap();
    for _ in 0..5 {
        assert!(started(r.invoke(us(1_000_000), f1)).on_provisioned);
    }
    r.put_provisioned(us(1_000_000), f1, 0).unwrap();
    assert_eq!((r.busy(), r.unreserved_in_use(), r.unreserved_pool(), r.claimed_concurrency()), (5, 5, 5, 10));
    assert!(r.claimed_concurrency() >= r.busy());
    assert_eq!(r.function_counts(f1).unwrap().busy_provisioned, 0);
    assert_eq!(
        r.invoke(us(1_000_000), f1).unwrap(),
        Invoked::Throttled(ThrottleReason::ConcurrentInvocationLimitExceeded)
    );
    for _ in 0..5 {
        started(r.invoke(us(1_000_000), f2));
    }
    r.check_invariants().unwrap();
}

/// Issue 8, item 4: `advance` to the top of the clock returns, with
/// provisioned environments recycling every lifetime (1000 environments,
/// 2.5 billion recycles each if stepped), from t = 0 and from near the top.
#[test]
fn advance_to_the_end_of_the_clock_returns() {
    for lifetime_us in [7_200_000_000, 1_000, 1] {
        let config = RegionConfig {
            account_limit: 2_000,
            max_lifetime: Duration::from_micros(lifetime_us),
            ..RegionConfig::default()
        };
        let mut r = Region::with_capacity(config, Capacity { envs: 1024, functions: 4 }).unwrap();
        let f = r.create_function(us(0), &FunctionConfig { provisioned: 1000, ..FunctionConfig::default() }).unwrap();
        r.advance(Instant::MAX).unwrap();
        let c = r.function_counts(f).unwrap();
        assert_eq!((c.provisioned_allocated, c.live), (1000, 1000), "lifetime {lifetime_us} us");
        r.check_invariants().unwrap();
        assert_eq!(r.next_deadline().filter(|d| *d <= Instant::MAX), r.next_deadline());
        // Nothing is due any more, or due later than the clock: advancing again is a no-op.
        r.advance(Instant::MAX).unwrap();
        assert!(r.usage().is_ok());
    }
    // A deadline at the very top of the clock fires once.
    let config = RegionConfig { max_lifetime: Duration::from_secs(10), ..RegionConfig::default() };
    let mut r = small(config);
    let f = r.create_function(us(0), &FunctionConfig { provisioned: 1, ..FunctionConfig::default() }).unwrap();
    r.advance(us(u64::MAX - 20_000_000)).unwrap();
    r.advance(Instant::MAX).unwrap();
    r.advance(Instant::MAX).unwrap();
    assert_eq!(r.function_counts(f).unwrap().live, 1);
}

/// Everything a later operation can observe (and more): environments with
/// their lists and timers (timers as their order), functions, meters.
fn fingerprint(r: &Region<'_>) -> String {
    let mut out = String::new();
    let mut timed: Vec<(Instant, u64, usize)> = Vec::new();
    for (i, e) in r.envs.iter().enumerate() {
        out += &format!(
            "env {i}: {} {} {:?} {:?} {} {} {} {} {:?}\n",
            e.generation, e.function, e.env, e.list, e.prev, e.next, e.serving, e.retire, e.ready_at
        );
        if e.timer_seq != 0 {
            timed.push((e.timer_at, e.timer_seq, i));
        }
    }
    // Their order (deadline, then sequence) within each function: equal
    // deadlines of different functions' recycling commute.
    timed.sort();
    for fi in 0..r.functions.len() {
        let mine = timed.iter().filter(|(_, _, i)| r.envs[*i].function == fi as u32);
        out += &format!("timers {fi}: {:?}\n", mine.map(|(at, _, i)| (at.as_micros(), *i)).collect::<Vec<_>>());
    }
    for (fi, f) in r.functions.iter().enumerate() {
        out += &format!(
            "fn {fi}: {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {} {:?} {:?} {:?} {:?}\n",
            [f.idle, f.idle_pc, f.warming_pc, f.recycling_pc, f.busy_pc, f.shutting, f.prewarming],
            f.states,
            f.pc,
            f.stats,
            f.meter,
            f.occupancy,
            f.config,
            f.pc_billed_since,
            f.attached,
            f.attached_pc,
            r.fn_timers.get(fi as u32),
            r.idle_timers.get(fi as u32),
            f.keep_alive,
            f.draining
        );
    }
    out += &format!("{:?} {:?} {} {:?}", r.ledger, r.occupancy, r.live, r.usage());
    out
}

/// A random region with short lifetimes and provisioned functions, some
/// traffic and changes at the start.
fn random_start(rng: &mut Rng) -> (Region<'static>, Vec<FunctionId>, Duration) {
    let pick = |rng: &mut Rng, xs: &[u64]| xs[rng.below(xs.len() as u64) as usize];
    let lifetime = Duration::from_micros(pick(rng, &[1_000_000, 7_000_000, 20_000_000]));
    let config = RegionConfig {
        max_lifetime: lifetime,
        shutdown: Duration::from_micros(pick(rng, &[0, 500_000])),
        provisioned_delay: Duration::from_micros(pick(rng, &[0, 3_000_000])),
        provisioned_per_minute: pick(rng, &[60, 6_000]) as u32,
        idle_timeout: Duration::from_micros(pick(rng, &[2_000_000, 600_000_000])),
        warm_pick: if rng.below(2) == 0 { WarmPick::MostRecentlyUsed } else { WarmPick::LeastRecentlyUsed },
        ..RegionConfig::default()
    };
    let mut r = Region::with_capacity(config, Capacity { envs: 256, functions: 4 }).unwrap();
    let mut fs = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let init = pick(rng, &[0, 250_000, 999_999, 1_000_000, 3_000_000, 25_000_000]);
        let cfg = FunctionConfig {
            provisioned: 1 + rng.below(5) as u32,
            reserved: (rng.below(3) == 0).then_some(10),
            timeout_ms: 60_000,
            cold_start: profile(pick(rng, &[0, 125_000]), init),
            ..FunctionConfig::default()
        };
        fs.push(r.create_function(us(0), &cfg).unwrap());
    }
    let mut t = 0;
    for _ in 0..rng.below(12) {
        t += rng.below(4_000_000);
        let f = fs[rng.below(fs.len() as u64) as usize];
        match rng.below(4) {
            0 => r.put_provisioned(us(t), f, rng.below(6) as u32).map(|_| ()).unwrap(),
            _ => {
                let handler =
                    Handler { duration: Duration::from_micros(rng.below(9_000_000)), outcome: Outcome::Success };
                r.invoke_for(us(t), f, handler).unwrap();
            }
        }
    }
    (r, fs, lifetime)
}

/// Issue 8, item 4: one big `advance` (which fast-forwards recycling) and
/// stepping through the same span in pieces too short to fast-forward end
/// in the same state, and answer the same afterwards.
#[test]
fn fast_forwarded_recycling_equals_stepping() {
    let mut jumped = 0;
    for seed in 0..60 {
        let mut rng = Rng::new(seed);
        let (stepped, fs, lifetime) = random_start(&mut rng);
        // The same start again (a region borrows its storage: it is not Clone).
        let (mut big, ..) = random_start(&mut Rng::new(seed));
        let mut stepped = stepped;
        let end = stepped.now().saturating_add(Duration::from_micros(lifetime.as_micros() * (20 + rng.below(300))));
        let end = end.saturating_add(Duration::from_micros(rng.below(lifetime.as_micros())));
        let seq_before = big.timer_seq;
        big.advance(end).unwrap();
        let step = lifetime.as_micros() / 2;
        let mut t = stepped.now();
        while t < end {
            t = t.saturating_add(Duration::from_micros(step)).min(end);
            stepped.advance(t).unwrap();
        }
        assert_eq!(fingerprint(&big), fingerprint(&stepped), "seed {seed}");
        if big.timer_seq - seq_before < (stepped.timer_seq - seq_before) / 4 {
            jumped += 1;
        }
        // The same answers afterwards.
        for (k, f) in fs.iter().enumerate() {
            let at = end.saturating_add(Duration::from_micros(k as u64));
            for _ in 0..3 {
                assert_eq!(big.invoke(at, *f).unwrap(), stepped.invoke(at, *f).unwrap(), "seed {seed}");
            }
            assert_eq!(big.put_provisioned(at, *f, 2), stepped.put_provisioned(at, *f, 2));
        }
        let later = end.saturating_add(lifetime).saturating_add(lifetime);
        big.advance(later).unwrap();
        stepped.advance(later).unwrap();
        assert_eq!(fingerprint(&big), fingerprint(&stepped), "seed {seed}, after");
        big.check_invariants().unwrap();
    }
    assert!(jumped >= 40, "only {jumped} of 60 runs fast-forwarded");
}
