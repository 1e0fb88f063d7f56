//! Structured simulations (`arbitrary`) with extreme numbers: times over
//! the whole `u64` range, rates from 1e-9 to 1e300 (and NaN, infinities,
//! negatives), counts up to `u32::MAX`, in every workload, distribution and
//! keep-alive policy the simulator has.
//!
//! The property: when `Sim::with_capacity` accepts the input, `Sim::run` must not
//! panic and must finish in time proportional to its work, and the region
//! it leaves must pass its invariant checks. The work is what the run must
//! do anyway: the minutes of the horizon (one event each), the requests the
//! workloads can make (peak rate × horizon, trace lengths) and the
//! provisioned environments' recycling. Inputs whose estimate is above
//! `common::WORK_BUDGET` are skipped (they may rightly take long); every
//! other input must finish within libFuzzer's `-timeout` and
//! `-rss_limit_mb`, so a generator that never ends, a loop over simulated
//! time or memory that grows with it is a finding.
#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::{Arbitrary, Unstructured};
use lambdasim::cpu::DurationProfile;
use lambdasim::pricing::{Architecture, Granularity};
use lambdasim::sim::{
    DurationDist, FunctionSummary, HybridPolicy, KeepAlive, MinutePoint, Observer, RatePoint, Sim, SimConfig,
    SimFunction, Spacing, Trace, TraceEvent, Workload,
};
use lambdasim::{ColdStartProfile, Duration, FunctionConfig, MemoryRule, RegionConfig, ScalingRule, WarmPick};
use libfuzzer_sys::fuzz_target;
use std::ops::RangeInclusive;

/// Environment and function slots of the simulator under test (small, so
/// it fits the fuzzer's stack and a full table is reachable).
const ENVS: usize = 1024;
const FUNCTIONS: usize = 8;

/// One number in sixteen is an extreme (`Some(0..=15)`); the rest are
/// typical for their field, so that most inputs pass the checks and run.
/// The extremes sit where mutations rarely write (not 0x00, 0xFF or
/// ASCII), so they stay one in sixteen.
fn extreme(u: &mut Unstructured<'_>) -> arbitrary::Result<Option<u8>> {
    let pick = u8::arbitrary(u)?;
    Ok((0xC0..=0xCF).contains(&pick).then(|| pick - 0xC0))
}

/// A time in µs: mostly `unit` × a 16-bit number, sometimes an extreme.
#[derive(Debug, Clone, Copy)]
enum Us {
    Typical(u16),
    Raw(u64),
    Max,
    HalfMax,
    One,
    Zero,
}

impl<'a> Arbitrary<'a> for Us {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match extreme(u)? {
            None => Us::Typical(u.arbitrary()?),
            Some(0..=7) => Us::Raw(u.arbitrary()?),
            Some(8..=11) => Us::Max,
            Some(12 | 13) => Us::HalfMax,
            Some(14) => Us::One,
            Some(_) => Us::Zero,
        })
    }
}

impl Us {
    fn get(self, unit_us: u64) -> u64 {
        match self {
            Us::Typical(n) => u64::from(n).saturating_mul(unit_us),
            Us::Raw(us) => us,
            Us::Max => u64::MAX,
            Us::HalfMax => u64::MAX / 2,
            Us::One => 1,
            Us::Zero => 0,
        }
    }
}

/// A count: mostly within the field's valid range, sometimes anything.
#[derive(Debug, Clone, Copy)]
enum Count {
    Typical(u32),
    Raw(u32),
    Max,
    Zero,
}

impl<'a> Arbitrary<'a> for Count {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match extreme(u)? {
            None => Count::Typical(u.arbitrary()?),
            Some(0..=7) => Count::Raw(u.arbitrary()?),
            Some(8..=11) => Count::Max,
            Some(_) => Count::Zero,
        })
    }
}

impl Count {
    fn get(self, range: RangeInclusive<u32>) -> u32 {
        match self {
            Count::Typical(n) => {
                let span = range.end().saturating_sub(*range.start()).saturating_add(1);
                range.start().saturating_add(n % span.max(1))
            }
            Count::Raw(n) => n,
            Count::Max => u32::MAX,
            Count::Zero => 0,
        }
    }
}

/// A real number (rates, σ): mostly `unit` × a 16-bit number, sometimes
/// an extreme or not a number at all.
#[derive(Debug, Clone, Copy)]
enum Rate {
    Typical(u16),
    Raw(f64),
    Tiny,
    Huge,
    Subnormal,
    Largest,
    Infinity,
    NegativeInfinity,
    NaN,
    Negative,
}

impl<'a> Arbitrary<'a> for Rate {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match extreme(u)? {
            None => Rate::Typical(u.arbitrary()?),
            Some(0..=3) => Rate::Raw(u.arbitrary()?),
            Some(4..=6) => Rate::Tiny,
            Some(7..=9) => Rate::Huge,
            Some(10) => Rate::Subnormal,
            Some(11) => Rate::Largest,
            Some(12) => Rate::Infinity,
            Some(13) => Rate::NegativeInfinity,
            Some(14) => Rate::NaN,
            Some(_) => Rate::Negative,
        })
    }
}

impl Rate {
    fn get(self, unit: f64) -> f64 {
        match self {
            Rate::Typical(n) => f64::from(n) * unit,
            Rate::Raw(x) => x,
            Rate::Tiny => 1e-9,
            Rate::Huge => 1e300,
            Rate::Subnormal => 5e-324,
            Rate::Largest => f64::MAX,
            Rate::Infinity => f64::INFINITY,
            Rate::NegativeInfinity => f64::NEG_INFINITY,
            Rate::NaN => f64::NAN,
            Rate::Negative => -1.0,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u64,
    horizon: Us,
    warmup: Warmup,
    region: RegionIn,
    functions: Vec<FunctionIn>,
}

/// The warm-up: mostly a fraction of the horizon (so it is shorter).
#[derive(Arbitrary, Debug)]
enum Warmup {
    None,
    Fraction(u8),
    Any(Us),
}

#[derive(Arbitrary, Debug)]
struct RegionIn {
    account_limit: Count,
    unreserved_min: Count,
    legacy_burst: Option<Count>,
    request_rate_per_limit: Count,
    idle_timeout: Us,
    max_lifetime: Us,
    shutdown: Us,
    lru: bool,
    legacy64: bool,
    provisioned_delay: Us,
    provisioned_per_minute: Count,
    ms100: bool,
    bill_init: bool,
}

#[derive(Arbitrary, Debug)]
struct FunctionIn {
    memory_mb: Count,
    timeout_ms: Count,
    reserved: Option<Count>,
    provisioned: Count,
    sandbox: Us,
    download_per_mb: Us,
    package_mb: Count,
    init: Us,
    arm64: bool,
    ephemeral_mb: Count,
    workload: WorkloadIn,
    handler: DistIn,
    init_dist: Option<DistIn>,
    error_ppm: Count,
    crash_ppm: Count,
    hybrid: Option<PolicyIn>,
}

#[derive(Arbitrary, Debug)]
enum WorkloadIn {
    Idle,
    Poisson(Rate),
    Constant(Rate),
    OnOff(Rate, Us, Us),
    Ramp(Rate, Rate, Us),
    PerMinute(Vec<Count>),
    /// Gaps between arrivals (so most replays are sorted), and durations.
    Replay(Vec<(Us, Option<Us>)>),
    /// Arrival times as given (often unsorted: the simulator must refuse).
    RawReplay(Vec<(Us, Option<Us>)>),
    /// Peak, trough, period, peak time, evenly spaced.
    Diurnal(Rate, Rate, Us, Us, bool),
    /// Gaps between points and their rates (the first at 0 unless its gap
    /// is not), a repeat period, evenly spaced.
    Schedule(Vec<(Us, Rate)>, Option<Us>, bool),
    /// A per-minute trace repeated every its length plus some minutes.
    RepeatPerMinute(Vec<Count>, u8),
    /// A sum of plain workloads (up to 9 parts: 9 is refused).
    Sum(Vec<PartIn>),
}

/// A part of a sum.
#[derive(Arbitrary, Debug)]
enum PartIn {
    Poisson(Rate),
    Constant(Rate),
    OnOff(Rate, Us, Us),
    Diurnal(Rate, Rate, Us, Us, bool),
}

fn spacing(even: bool) -> Spacing {
    if even { Spacing::Constant } else { Spacing::Poisson }
}

fn diurnal(peak: Rate, trough: Rate, period: Us, peak_at: Us, even: bool) -> Workload<'static> {
    Workload::Diurnal {
        peak_per_s: peak.get(0.1),
        trough_per_s: trough.get(0.1),
        period: Duration::from_micros(period.get(1_000_000)),
        peak_at: Duration::from_micros(peak_at.get(1_000_000)),
        spacing: spacing(even),
    }
}

fn part(p: &PartIn) -> Workload<'static> {
    match *p {
        PartIn::Poisson(r) => Workload::Poisson { rate_per_s: r.get(0.1) },
        PartIn::Constant(r) => Workload::Constant { rate_per_s: r.get(0.1) },
        PartIn::OnOff(r, on, off) => Workload::OnOff {
            rate_per_s: r.get(0.1),
            on: Duration::from_micros(on.get(1_000_000)),
            off: Duration::from_micros(off.get(1_000_000)),
        },
        PartIn::Diurnal(peak, trough, period, at, even) => diurnal(peak, trough, period, at, even),
    }
}

#[derive(Arbitrary, Debug)]
enum DistIn {
    Fixed(Us),
    Exponential(Us),
    LogNormal(Us, Rate),
    Empirical(Vec<Us>),
    Profile(Us, Us, Count),
}

#[derive(Arbitrary, Debug)]
struct PolicyIn {
    head_percentile: Count,
    tail_percentile: Count,
    margin_percent: Count,
    min_samples: Count,
    max_out_of_range_percent: Count,
}

/// Trace data and samples, owned for the borrowed workloads and distributions.
#[derive(Default)]
struct Owned {
    points: Vec<(Vec<RatePoint>, Option<Duration>, Spacing)>,
    sums: Vec<Vec<Workload<'static>>>,
    counts: Vec<Vec<u32>>,
    events: Vec<Vec<TraceEvent>>,
    samples: Vec<Vec<u64>>,
}

fn region(r: &RegionIn) -> RegionConfig {
    RegionConfig {
        account_limit: r.account_limit.get(100..=10_000),
        unreserved_min: r.unreserved_min.get(0..=100),
        scaling: match r.legacy_burst {
            Some(b) => ScalingRule::LegacyAccount { burst: b.get(1..=3_000) },
            None => ScalingRule::PerFunction,
        },
        request_rate_per_limit: r.request_rate_per_limit.get(0..=20),
        idle_timeout: Duration::from_micros(r.idle_timeout.get(1_000_000)),
        max_lifetime: Duration::from_micros(r.max_lifetime.get(60_000_000)),
        shutdown: Duration::from_micros(r.shutdown.get(1_000)),
        warm_pick: if r.lru { WarmPick::LeastRecentlyUsed } else { WarmPick::MostRecentlyUsed },
        memory_rule: if r.legacy64 { MemoryRule::Legacy64 } else { MemoryRule::Current },
        provisioned_delay: Duration::from_micros(r.provisioned_delay.get(1_000_000)),
        provisioned_per_minute: r.provisioned_per_minute.get(1..=60_000),
        granularity: if r.ms100 { Granularity::Ms100 } else { Granularity::Ms1 },
        bill_init: r.bill_init,
    }
}

fn function_config(f: &FunctionIn) -> FunctionConfig {
    FunctionConfig {
        memory_mb: f.memory_mb.get(128..=10_240),
        timeout_ms: f.timeout_ms.get(1..=900_000),
        reserved: f.reserved.map(|c| c.get(0..=100)),
        provisioned: f.provisioned.get(0..=50),
        cold_start: ColdStartProfile {
            sandbox_us: f.sandbox.get(1_000),
            download_us_per_mb: f.download_per_mb.get(100),
            package_mb: f.package_mb.get(0..=10_240),
            init_us: f.init.get(1_000),
        },
        architecture: if f.arm64 { Architecture::Arm64 } else { Architecture::X86_64 },
        ephemeral_mb: f.ephemeral_mb.get(512..=10_240),
    }
}

fn events(list: &[(Us, Option<Us>)], gaps: bool) -> Vec<TraceEvent> {
    let mut at = 0u64;
    list.iter()
        .map(|(t, d)| {
            at = if gaps { at.saturating_add(t.get(1_000)) } else { t.get(1_000_000) };
            TraceEvent { at_us: at, duration_us: d.map(|d| d.get(1_000)) }
        })
        .collect()
}

fn dist(d: &DistIn, owned: &mut Owned) -> DistSpec {
    match d {
        DistIn::Fixed(us) => DistSpec::Plain(DurationDist::Fixed { us: us.get(1_000) }),
        DistIn::Exponential(us) => DistSpec::Plain(DurationDist::Exponential { mean_us: us.get(1_000) }),
        DistIn::LogNormal(us, sigma) => {
            DistSpec::Plain(DurationDist::LogNormal { median_us: us.get(1_000), sigma: sigma.get(0.01) })
        }
        DistIn::Empirical(values) => {
            owned.samples.push(values.iter().map(|v| v.get(1_000)).collect());
            DistSpec::Empirical(owned.samples.len() - 1)
        }
        DistIn::Profile(io, cpu, threads) => DistSpec::Plain(DurationDist::Profile(DurationProfile {
            io_us: io.get(1_000),
            cpu_us: cpu.get(1_000),
            threads: threads.get(0..=16),
        })),
    }
}

/// A workload or distribution before its owned data is borrowed.
enum WorkSpec {
    Plain(Workload<'static>),
    PerMinute(usize),
    Replay(usize),
    Schedule(usize),
    RepeatPerMinute(usize, Duration),
    Sum(usize),
}

enum DistSpec {
    Plain(DurationDist<'static>),
    Empirical(usize),
}

fn workload(w: &WorkloadIn, owned: &mut Owned) -> WorkSpec {
    let plain = |w| WorkSpec::Plain(w);
    match w {
        WorkloadIn::Idle => plain(Workload::Idle),
        WorkloadIn::Poisson(r) => plain(Workload::Poisson { rate_per_s: r.get(0.1) }),
        WorkloadIn::Constant(r) => plain(Workload::Constant { rate_per_s: r.get(0.1) }),
        WorkloadIn::OnOff(r, on, off) => plain(Workload::OnOff {
            rate_per_s: r.get(0.1),
            on: Duration::from_micros(on.get(1_000_000)),
            off: Duration::from_micros(off.get(1_000_000)),
        }),
        WorkloadIn::Ramp(from, to, over) => plain(Workload::Ramp {
            from_per_s: from.get(0.1),
            to_per_s: to.get(0.1),
            over: Duration::from_micros(over.get(1_000_000)),
        }),
        WorkloadIn::PerMinute(c) => {
            owned.counts.push(c.iter().map(|c| c.get(0..=100)).collect());
            WorkSpec::PerMinute(owned.counts.len() - 1)
        }
        WorkloadIn::Replay(e) => {
            owned.events.push(events(e, true));
            WorkSpec::Replay(owned.events.len() - 1)
        }
        WorkloadIn::RawReplay(e) => {
            owned.events.push(events(e, false));
            WorkSpec::Replay(owned.events.len() - 1)
        }
        WorkloadIn::Diurnal(peak, trough, period, at, even) => plain(diurnal(*peak, *trough, *period, *at, *even)),
        WorkloadIn::Schedule(points, period, even) => {
            let mut at = 0u64;
            let points = points
                .iter()
                .map(|(gap, rate)| {
                    at = at.saturating_add(gap.get(1_000_000));
                    RatePoint { at: Duration::from_micros(at), rate_per_s: rate.get(0.1) }
                })
                .collect();
            let period = period.map(|p| Duration::from_micros(p.get(1_000_000)));
            owned.points.push((points, period, spacing(*even)));
            WorkSpec::Schedule(owned.points.len() - 1)
        }
        WorkloadIn::RepeatPerMinute(c, extra) => {
            owned.counts.push(c.iter().map(|c| c.get(0..=100)).collect());
            let minutes = c.len() as u64 + u64::from(*extra);
            WorkSpec::RepeatPerMinute(owned.counts.len() - 1, Duration::from_secs(60 * minutes))
        }
        WorkloadIn::Sum(parts) => {
            owned.sums.push(parts.iter().take(9).map(part).collect());
            WorkSpec::Sum(owned.sums.len() - 1)
        }
    }
}

fn keep_alive(p: &Option<PolicyIn>) -> KeepAlive {
    match p {
        None => KeepAlive::Fixed,
        Some(p) => KeepAlive::Hybrid(HybridPolicy {
            head_percentile: p.head_percentile.get(0..=100),
            tail_percentile: p.tail_percentile.get(0..=100),
            margin_percent: p.margin_percent.get(0..=100),
            min_samples: p.min_samples.get(0..=20),
            max_out_of_range_percent: p.max_out_of_range_percent.get(0..=100),
        }),
    }
}

/// Checks each minute point as it comes (and keeps nothing).
struct Minutes {
    next: u64,
}

impl Observer for Minutes {
    fn minute(&mut self, point: &MinutePoint) {
        assert_eq!(point.minute, self.next, "minute points out of order");
        self.next += 1;
    }
}

/// Counters that add up by construction.
fn check_summary(s: &FunctionSummary) {
    assert_eq!(s.requests, s.invocations + s.throttles, "requests ≠ invocations + throttles: {s:?}");
    assert_eq!(
        s.invocations,
        s.warm_starts + s.provisioned_starts + s.full_cold_starts + s.partial_cold_starts,
        "invocations ≠ the sum of start kinds: {s:?}"
    );
}

fuzz_target!(|input: Input| {
    let horizon = input.horizon.get(1_000_000);
    let warmup = match input.warmup {
        Warmup::None => 0,
        Warmup::Fraction(f) => horizon / 256 * u64::from(f),
        Warmup::Any(us) => us.get(1_000),
    };
    let config = SimConfig {
        region: region(&input.region),
        seed: input.seed,
        horizon: Duration::from_micros(horizon),
        warmup: Duration::from_micros(warmup),
    };
    let mut owned = Owned::default();
    let specs: Vec<(FunctionConfig, WorkSpec, DistSpec, Option<DistSpec>)> = input
        .functions
        .iter()
        .take(FUNCTIONS + 1)
        .map(|f| {
            let handler = dist(&f.handler, &mut owned);
            let init = f.init_dist.as_ref().map(|d| dist(d, &mut owned));
            (function_config(f), workload(&f.workload, &mut owned), handler, init)
        })
        .collect();
    let get_dist = |d: &DistSpec| match *d {
        DistSpec::Plain(d) => d,
        DistSpec::Empirical(i) => DurationDist::Empirical(owned.samples.get(i).map_or(&[][..], Vec::as_slice)),
    };
    let functions: Vec<SimFunction<'_>> = specs
        .iter()
        .zip(&input.functions)
        .map(|((config, w, handler, init), f)| SimFunction {
            config: *config,
            workload: match *w {
                WorkSpec::Plain(w) => w,
                WorkSpec::PerMinute(i) => Workload::PerMinute(owned.counts.get(i).map_or(&[][..], Vec::as_slice)),
                WorkSpec::Replay(i) => Workload::Replay(owned.events.get(i).map_or(&[][..], Vec::as_slice)),
                WorkSpec::Schedule(i) => match owned.points.get(i) {
                    Some((points, period, spacing)) => {
                        Workload::Schedule { points, period: *period, spacing: *spacing }
                    }
                    None => Workload::Idle,
                },
                WorkSpec::RepeatPerMinute(i, period) => Workload::Repeat {
                    trace: Trace::PerMinute(owned.counts.get(i).map_or(&[][..], Vec::as_slice)),
                    period,
                },
                WorkSpec::Sum(i) => Workload::Sum(owned.sums.get(i).map_or(&[][..], Vec::as_slice)),
            },
            handler: get_dist(handler),
            init: init.as_ref().map(get_dist),
            error_ppm: f.error_ppm.get(0..=1_000_000),
            crash_ppm: f.crash_ppm.get(0..=1_000_000),
            keep_alive: keep_alive(&f.hybrid),
        })
        .collect();
    let Ok(mut sim) = Sim::<'_, FUNCTIONS>::with_capacity(config, &functions, ENVS) else { return };
    let pairs = functions.iter().map(|f| (f.workload, f.config.provisioned));
    if common::over_budget(common::work(1, config.horizon, config.region.max_lifetime, ENVS, pairs)) {
        return;
    }
    let mut minutes = Minutes { next: 0 };
    let Ok(summary) = sim.run(&mut minutes) else { return };
    // One point per started minute of the horizon: the series (and what a
    // front end keeps of it) grows with the horizon, never with anything else.
    assert_eq!(minutes.next, horizon.div_ceil(60_000_000), "minute points for a horizon of {horizon} µs");
    if let Err(v) = sim.region().check_invariants() {
        panic!("invariant broken after the run: {v}");
    }
    check_summary(&summary.total);
    summary.functions.iter().for_each(check_summary);
    let total: u64 = summary.functions.iter().map(|f| f.requests).sum();
    assert_eq!(total, summary.total.requests, "the functions' requests do not add up to the total");
});
