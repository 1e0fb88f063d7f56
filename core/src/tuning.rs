//! Power tuning (docs/model.md §6): which memory size to pick, and what timeout.
//!
//! Like AWS Lambda Power Tuning, it evaluates a list of memory sizes, prices
//! one invocation at each, and picks by strategy: `Cost` (cheapest, ties to
//! faster), `Speed` (fastest, ties to cheaper) or `Balanced` (minimise
//! `w·cost/max_cost + (1−w)·duration/max_duration`). Durations come from a
//! [`DurationProfile`] (docs/model.md §3) or from measured samples per size (trimmed
//! mean dropping the top and bottom 20 %). Unlike the tool, costs use the
//! full price book: the request charge plus tier-1 duration, billed per
//! invocation at the configured granularity.
//!
//! Every comparison is exact: costs are integer [`Money`], durations integer
//! µs, and the balanced weight is a rational in millionths, so the pick never
//! depends on floating-point rounding. Ties end at the smaller memory.

use crate::cpu::DurationProfile;
use crate::memory::MemoryMb;
use crate::money::Money;
use crate::pricing::{Architecture, Granularity, PriceBook};
use crate::time::Duration;
use core::cmp::Ordering;
use core::fmt;
use serde::{Deserialize, Serialize};

/// The power-tuning tool's default memory list.
pub const DEFAULT_MEMORY_LIST: [u32; 6] = [128, 256, 512, 1_024, 1_536, 3_008];
/// Fewest samples per memory size (the tool's minimum).
pub const MIN_SAMPLES: usize = 5;

/// How to pick among the candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strategy {
    /// Cheapest; ties go to the faster.
    Cost,
    /// Fastest; ties go to the cheaper.
    Speed,
    /// Minimise `w·cost/max_cost + (1−w)·duration/max_duration`.
    Balanced {
        /// The weight `w` in millionths (0..=1 000 000; 500 000 is the tool's default 0.5).
        weight_ppm: u32,
    },
}

impl Strategy {
    /// The tool's default balanced weight, 0.5.
    pub const BALANCED: Strategy = Strategy::Balanced { weight_ppm: 500_000 };
    /// Millionths in a weight of 1.
    pub const PPM: u32 = 1_000_000;

    /// A balanced strategy from a weight in [0, 1], rounded to millionths.
    ///
    /// # Errors
    /// [`TuneError::InvalidWeight`] outside [0, 1] or NaN.
    pub fn balanced(weight: f64) -> Result<Strategy, TuneError> {
        if !(0.0..=1.0).contains(&weight) {
            return Err(TuneError::InvalidWeight);
        }
        let ppm = libm::round(weight * f64::from(Self::PPM));
        Ok(Strategy::Balanced { weight_ppm: ppm as u32 })
    }
}

/// Which memory sizes to try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryList<'a> {
    /// [`DEFAULT_MEMORY_LIST`].
    Default,
    /// Every size, 128..=10240 MB (10 113 sizes).
    All,
    /// These sizes, in this order.
    Custom(&'a [u32]),
}

impl MemoryList<'_> {
    /// How many sizes the list has.
    pub fn len(&self) -> usize {
        match self {
            MemoryList::Default => DEFAULT_MEMORY_LIST.len(),
            MemoryList::All => (MemoryMb::MAX.get() - MemoryMb::MIN.get() + 1) as usize,
            MemoryList::Custom(s) => s.len(),
        }
    }
    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn get(&self, i: usize) -> Option<u32> {
        match self {
            MemoryList::Default => DEFAULT_MEMORY_LIST.get(i).copied(),
            MemoryList::All => {
                u32::try_from(i).ok().map(|i| i + MemoryMb::MIN.get()).filter(|&m| m <= MemoryMb::MAX.get())
            }
            MemoryList::Custom(s) => s.get(i).copied(),
        }
    }
}

/// Why tuning could not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TuneError {
    /// No memory sizes to try.
    Empty,
    /// A memory size outside 128..=10240 MB.
    InvalidMemory,
    /// A balanced weight outside [0, 1].
    InvalidWeight,
    /// Fewer than [`MIN_SAMPLES`] samples for a memory size.
    TooFewSamples,
    /// The output slice is shorter than the number of candidates (`needed`).
    BufferTooSmall {
        /// Candidates the run produces.
        needed: usize,
    },
    /// A cost too large to represent.
    Overflow,
}

impl fmt::Display for TuneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TuneError::Empty => f.write_str("no memory sizes to try"),
            TuneError::InvalidMemory => f.write_str("memory size outside 128..=10240 MB"),
            TuneError::InvalidWeight => f.write_str("balanced weight outside [0, 1]"),
            TuneError::TooFewSamples => f.write_str("fewer than 5 samples for a memory size"),
            TuneError::BufferTooSmall { needed } => write!(f, "output holds fewer than the {needed} candidates"),
            TuneError::Overflow => f.write_str("cost too large to represent"),
        }
    }
}

impl core::error::Error for TuneError {}

/// Pricing settings of a tuning run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TuneConfig {
    /// The function's architecture.
    pub arch: Architecture,
    /// Prices.
    pub prices: PriceBook,
    /// Billing granularity.
    pub granularity: Granularity,
}

impl Default for TuneConfig {
    fn default() -> Self {
        TuneConfig { arch: Architecture::X86_64, prices: PriceBook::US_EAST_1, granularity: Granularity::Ms1 }
    }
}

/// One evaluated memory size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Candidate {
    /// Memory, MB.
    pub memory_mb: u32,
    /// Duration at this size (profile, or trimmed mean of samples), µs.
    pub duration_us: u64,
    /// Billed ms of that duration.
    pub billed_ms: u64,
    /// Cost of one invocation: request + duration.
    pub cost: Money,
}

impl TuneConfig {
    /// The candidate for `memory` at `duration`.
    ///
    /// # Errors
    /// [`TuneError::InvalidMemory`] or [`TuneError::Overflow`].
    pub fn candidate(&self, memory_mb: u32, duration: Duration) -> Result<Candidate, TuneError> {
        MemoryMb::new(memory_mb).map_err(|_| TuneError::InvalidMemory)?;
        let billed_ms = self.granularity.billed_ms(duration);
        let mb_ms = u128::from(memory_mb) * u128::from(billed_ms);
        let tier1 = self.prices.arch(self.arch).duration[0].units_per_gb_s;
        let cost = Money::per_gb_s(mb_ms, tier1)
            .and_then(|d| d.checked_add(Money::per_item(1, self.prices.request)?))
            .map_err(|_| TuneError::Overflow)?;
        Ok(Candidate { memory_mb, duration_us: duration.as_micros(), billed_ms, cost })
    }
}

/// The result of a tuning run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tuned {
    /// The picked candidate.
    pub pick: Candidate,
    /// How many candidates were evaluated (and written to the output).
    pub count: usize,
    /// The most expensive candidate's cost.
    pub max_cost: Money,
    /// The slowest candidate's duration, µs.
    pub max_duration_us: u64,
}

/// Whether `a` is a better pick than `b` under `strategy`.
fn better(strategy: Strategy, a: &Candidate, b: &Candidate, max_cost: u128, max_dur: u64) -> bool {
    let by_cost = a.cost.cmp(&b.cost);
    let by_speed = a.duration_us.cmp(&b.duration_us);
    let order = match strategy {
        Strategy::Cost => by_cost.then(by_speed),
        Strategy::Speed => by_speed.then(by_cost),
        Strategy::Balanced { weight_ppm } => {
            balanced_cmp(weight_ppm, a, b, max_cost, max_dur).then(by_cost).then(by_speed)
        }
    };
    order.then(a.memory_mb.cmp(&b.memory_mb)) == Ordering::Less
}

/// Exact comparison of balanced scores: the sign of
/// `w·(ca−cb)·D + (1−w)·(da−db)·C`.
fn balanced_cmp(weight_ppm: u32, a: &Candidate, b: &Candidate, max_cost: u128, max_dur: u64) -> Ordering {
    let w = i128::from(weight_ppm.min(Strategy::PPM));
    let rest = i128::from(Strategy::PPM) - w;
    // Costs of one invocation stay far below 2^100 atoms; clamp to keep i128 exact.
    let clamp = |x: u128| i128::try_from(x.min(1 << 100)).unwrap_or(i128::MAX);
    let dc = clamp(a.cost.atoms()) - clamp(b.cost.atoms());
    let dd = i128::from(a.duration_us) - i128::from(b.duration_us);
    let lhs = w.saturating_mul(dc).saturating_mul(i128::from(max_dur));
    let rhs = rest.saturating_mul(dd).saturating_mul(clamp(max_cost));
    lhs.saturating_add(rhs).cmp(&0)
}

/// The balanced score of a candidate, for display (the pick never uses it).
pub fn balanced_score(weight: f64, c: &Candidate, t: &Tuned) -> f64 {
    let cost = if t.max_cost.atoms() == 0 { 0.0 } else { c.cost.atoms() as f64 / t.max_cost.atoms() as f64 };
    let dur = if t.max_duration_us == 0 { 0.0 } else { c.duration_us as f64 / t.max_duration_us as f64 };
    weight * cost + (1.0 - weight) * dur
}

/// Picks among evaluated candidates.
///
/// # Errors
/// [`TuneError::Empty`].
pub fn pick(strategy: Strategy, candidates: &[Candidate]) -> Result<Tuned, TuneError> {
    let first = *candidates.first().ok_or(TuneError::Empty)?;
    let max_cost = candidates.iter().map(|c| c.cost).max().unwrap_or(Money::ZERO);
    let max_dur = candidates.iter().map(|c| c.duration_us).max().unwrap_or(0);
    let mut best = first;
    for c in candidates {
        if better(strategy, c, &best, max_cost.atoms(), max_dur) {
            best = *c;
        }
    }
    Ok(Tuned { pick: best, count: candidates.len(), max_cost, max_duration_us: max_dur })
}

/// Tunes a [`DurationProfile`] over `memories`, writing every candidate to
/// `out` (which must hold `memories.len()`).
///
/// # Errors
/// [`TuneError::Empty`], [`TuneError::InvalidMemory`],
/// [`TuneError::BufferTooSmall`], [`TuneError::Overflow`].
pub fn tune_profile(
    profile: &DurationProfile,
    memories: MemoryList<'_>,
    strategy: Strategy,
    config: &TuneConfig,
    out: &mut [Candidate],
) -> Result<Tuned, TuneError> {
    let n = memories.len();
    if n == 0 {
        return Err(TuneError::Empty);
    }
    let slots = out.get_mut(..n).ok_or(TuneError::BufferTooSmall { needed: n })?;
    for (i, slot) in slots.iter_mut().enumerate() {
        let mb = memories.get(i).ok_or(TuneError::Empty)?;
        let memory = MemoryMb::new(mb).map_err(|_| TuneError::InvalidMemory)?;
        *slot = config.candidate(mb, profile.duration_at(memory))?;
    }
    pick(strategy, slots)
}

/// Measured durations at one memory size.
#[derive(Debug, PartialEq, Eq)]
pub struct Samples<'a> {
    /// Memory, MB.
    pub memory_mb: u32,
    /// Durations, µs (sorted in place by the tuner).
    pub durations_us: &'a mut [u64],
}

/// The trimmed mean of samples, dropping the top and bottom 20 % (rounded
/// down), rounded up to the µs. Sorts `durations` in place.
///
/// # Errors
/// [`TuneError::TooFewSamples`] under [`MIN_SAMPLES`].
pub fn trimmed_mean(durations: &mut [u64]) -> Result<Duration, TuneError> {
    if durations.len() < MIN_SAMPLES {
        return Err(TuneError::TooFewSamples);
    }
    durations.sort_unstable();
    let cut = durations.len() / 5;
    let kept = durations.get(cut..durations.len() - cut).ok_or(TuneError::TooFewSamples)?;
    let sum: u128 = kept.iter().map(|&d| u128::from(d)).sum();
    let mean = sum.div_ceil(kept.len() as u128);
    Ok(Duration::from_micros(u64::try_from(mean).unwrap_or(u64::MAX)))
}

/// Tunes measured samples, one [`Samples`] per memory size, writing every
/// candidate to `out` (which must hold `samples.len()`).
///
/// # Errors
/// As [`tune_profile`], and [`TuneError::TooFewSamples`].
pub fn tune_samples(
    samples: &mut [Samples<'_>],
    strategy: Strategy,
    config: &TuneConfig,
    out: &mut [Candidate],
) -> Result<Tuned, TuneError> {
    let n = samples.len();
    if n == 0 {
        return Err(TuneError::Empty);
    }
    let slots = out.get_mut(..n).ok_or(TuneError::BufferTooSmall { needed: n })?;
    for (s, slot) in samples.iter_mut().zip(slots.iter_mut()) {
        *slot = config.candidate(s.memory_mb, trimmed_mean(s.durations_us)?)?;
    }
    pick(strategy, slots)
}

/// A timeout recommendation for the picked memory (the notes' "balance
/// timeout against memory; over-provision memory, not timeout").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeoutAdvice {
    /// The 99th-percentile duration (nearest rank), µs.
    pub p99_us: u64,
    /// p99 plus a 50 % margin, rounded up to whole seconds, within 1..=900 s.
    pub recommended_ms: u32,
    /// The configured timeout is below p99: it would cut off the tail.
    pub cuts_tail: bool,
    /// Even 900 s would not cover p99 + margin: give the function more memory.
    pub exceeds_max: bool,
}

impl TimeoutAdvice {
    /// Advice from the p99 of a duration distribution and the configured timeout.
    pub fn from_p99(p99: Duration, configured_timeout_ms: u32) -> Self {
        let p99_us = p99.as_micros();
        let with_margin_us = u128::from(p99_us) * 3 / 2;
        let secs = with_margin_us.div_ceil(1_000_000).max(1);
        let exceeds_max = secs > 900;
        let recommended_ms = (secs.min(900) * 1_000) as u32;
        let cuts_tail = u128::from(configured_timeout_ms) * 1_000 < u128::from(p99_us);
        TimeoutAdvice { p99_us, recommended_ms, cuts_tail, exceeds_max }
    }

    /// Advice from samples (sorted in place), nearest-rank p99.
    ///
    /// # Errors
    /// [`TuneError::TooFewSamples`] for no samples.
    pub fn from_samples(durations_us: &mut [u64], configured_timeout_ms: u32) -> Result<Self, TuneError> {
        durations_us.sort_unstable();
        let n = durations_us.len();
        let rank = (n * 99).div_ceil(100).max(1);
        let p99 = *durations_us.get(rank - 1).ok_or(TuneError::TooFewSamples)?;
        Ok(Self::from_p99(Duration::from_micros(p99), configured_timeout_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(memory_mb: u32, duration_us: u64, cost: u128) -> Candidate {
        Candidate { memory_mb, duration_us, billed_ms: duration_us / 1000, cost: Money::from_atoms(cost) }
    }

    #[test]
    fn tie_rules() {
        let cands = [c(128, 100, 10), c(256, 50, 10), c(512, 50, 20), c(1024, 40, 30)];
        assert_eq!(pick(Strategy::Cost, &cands).unwrap().pick.memory_mb, 256, "cost ties go to the faster");
        assert_eq!(pick(Strategy::Speed, &cands).unwrap().pick.memory_mb, 1024);
        let speed_tie = [c(128, 50, 30), c(256, 50, 10), c(512, 60, 5)];
        assert_eq!(pick(Strategy::Speed, &speed_tie).unwrap().pick.memory_mb, 256, "speed ties go to the cheaper");
        let full_tie = [c(512, 50, 10), c(256, 50, 10)];
        assert_eq!(pick(Strategy::Cost, &full_tie).unwrap().pick.memory_mb, 256);
        assert_eq!(pick(Strategy::Cost, &[]), Err(TuneError::Empty));
    }

    #[test]
    fn balanced_extremes_match_speed_and_cost() {
        let mut rng = crate::rng::Rng::new(5);
        for _ in 0..500 {
            let mut cands = [Candidate::default(); 6];
            for (i, x) in cands.iter_mut().enumerate() {
                *x = c(128 << i, 1 + rng.below(20), 1 + u128::from(rng.below(20)));
            }
            let w0 = pick(Strategy::balanced(0.0).unwrap(), &cands).unwrap().pick;
            let w1 = pick(Strategy::balanced(1.0).unwrap(), &cands).unwrap().pick;
            assert_eq!(w0, pick(Strategy::Speed, &cands).unwrap().pick);
            assert_eq!(w1, pick(Strategy::Cost, &cands).unwrap().pick);
        }
        assert_eq!(Strategy::balanced(1.5), Err(TuneError::InvalidWeight));
        assert_eq!(Strategy::balanced(f64::NAN), Err(TuneError::InvalidWeight));
    }

    #[test]
    fn balanced_formula() {
        // max cost 100, max duration 100: scores at w = 0.5 are (a) 0.5·0.2 + 0.5·1.0 = 0.6,
        // (b) 0.5·1.0 + 0.5·0.1 = 0.55, (c) 0.5·0.5 + 0.5·0.5 = 0.5.
        let cands = [c(128, 100, 20), c(1024, 10, 100), c(512, 50, 50)];
        let t = pick(Strategy::BALANCED, &cands).unwrap();
        assert_eq!(t.pick.memory_mb, 512);
        assert!((balanced_score(0.5, &cands[0], &t) - 0.6).abs() < 1e-12);
        // At w = 0.3 speed weighs more: (b) 0.3 + 0.07 = 0.37 beats (c) 0.5.
        assert_eq!(pick(Strategy::balanced(0.3).unwrap(), &cands).unwrap().pick.memory_mb, 1024);
    }

    #[test]
    fn cpu_bound_profile_over_the_default_list() {
        let p = DurationProfile::cpu_bound(1_000_000);
        let mut out = [Candidate::default(); 6];
        let t = tune_profile(&p, MemoryList::Default, Strategy::Speed, &TuneConfig::default(), &mut out).unwrap();
        assert_eq!(t.pick.memory_mb, 3_008, "more memory never makes it slower; ties to cheaper");
        assert_eq!(out[0].duration_us, 13_820_313);
        let mut small = [Candidate::default(); 2];
        let e = tune_profile(&p, MemoryList::Default, Strategy::Cost, &TuneConfig::default(), &mut small);
        assert_eq!(e, Err(TuneError::BufferTooSmall { needed: 6 }));
        let e = tune_profile(&p, MemoryList::Custom(&[127]), Strategy::Cost, &TuneConfig::default(), &mut out);
        assert_eq!(e, Err(TuneError::InvalidMemory));
    }

    #[test]
    fn every_memory_size() {
        assert_eq!(MemoryList::All.len(), 10_113);
        assert_eq!(MemoryList::All.get(10_112), Some(10_240));
        assert_eq!(MemoryList::All.get(10_113), None);
    }

    #[test]
    fn trimmed_mean_drops_a_fifth_each_side() {
        let mut d = [1, 100, 100, 100, 1_000_000];
        assert_eq!(trimmed_mean(&mut d).unwrap(), Duration::from_micros(100));
        assert_eq!(trimmed_mean(&mut [1, 2, 3, 4]), Err(TuneError::TooFewSamples));
    }

    #[test]
    fn timeout_advice() {
        let a = TimeoutAdvice::from_p99(Duration::from_millis(1_900), 3_000);
        assert_eq!((a.recommended_ms, a.cuts_tail, a.exceeds_max), (3_000, false, false));
        let a = TimeoutAdvice::from_p99(Duration::from_millis(3_500), 3_000);
        assert!(a.cuts_tail);
        assert_eq!(a.recommended_ms, 6_000);
        assert!(TimeoutAdvice::from_p99(Duration::from_secs(700), 900_000).exceeds_max);
        let mut s: [u64; 100] = core::array::from_fn(|i| (i as u64 + 1) * 1_000);
        assert_eq!(TimeoutAdvice::from_samples(&mut s, 3_000).unwrap().p99_us, 99_000);
    }
}
