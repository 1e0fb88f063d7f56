//! The discrete-event simulator: drives a [`Region`] from workloads and
//! duration distributions, deterministically by seed.
//!
//! Each function gets a [`Workload`] (when requests arrive), a handler
//! [`DurationDist`], an optional init distribution, failure rates and a
//! [`KeepAlive`] policy. [`Sim::run`] plays the run to its horizon and
//! returns a [`Summary`]; an [`Observer`] receives a [`MinutePoint`] per
//! simulated minute. [`MinuteSeries`] is an observer that keeps that series
//! in a fixed number of points, coarsening as the run grows.
//!
//! # Guarantees
//! - Same configuration, functions and seed ⇒ bit-identical results on
//!   every platform (every random draw comes from per-function
//!   `Rng` streams derived from the seed, and real-valued
//!   draws go through `libm`).
//! - O(log n) per request: arrivals, completions and pre-warms sit in
//!   indexed heaps; the region's own events are applied lazily by the calls
//!   that need them.
//! - No heap, no panics: a full environment table ends the run with
//!   [`SimError::CapacityExceeded`].
//! - Each function's latency distributions ([`FunctionLatency`]: handler
//!   duration, init duration, response time) are recorded in O(1) per
//!   request into fixed-size histograms in the storage; the [`Summary`]
//!   reports their percentiles.

pub mod dist;
pub mod keepalive;
pub mod latency;
pub mod pc_control;
pub mod summary;
pub mod workload;
mod workload_rate;

pub use dist::DurationDist;
pub use keepalive::{HybridPolicy, IdleHistogram, KeepAlive, Windows};
pub use latency::{FUNCTION_LATENCY_BYTES, FunctionLatency, LatencySummary, Percentiles};
pub use pc_control::{ProvisionedControl, ScaledSetting, ScalingAction, ScheduledAction};
pub use summary::{FunctionSummary, MinutePoint, MinuteSeries, Observer, Summary};
pub use workload::{Arrivals, MAX_PARTS, RatePoint, Spacing, Trace, TraceEvent, Workload};

use crate::error::{ConfigError, FinishError, InvokeError, TimeError};
use crate::function::FunctionConfig;
use crate::memory::MemoryMb;
#[cfg(feature = "alloc")]
use crate::region::Capacity;
use crate::region::RegionStorage;
use crate::region::{
    FunctionId, Handler, InvocationId, Invoked, Occupancy, Outcome, Region, RegionConfig, StartKind, Started, Stats,
};
use crate::rng::Rng;
use crate::storage::Slots;
use crate::time::{Duration, Instant};
use crate::timer::{Entry, NO_POSITION, TimerHeap};
use core::fmt;

/// One simulated function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimFunction<'a> {
    /// Its configuration (memory, timeout, concurrency, cold-start profile).
    pub config: FunctionConfig,
    /// When its requests arrive.
    pub workload: Workload<'a>,
    /// How long its handler runs (a replay's recorded durations win).
    pub handler: DurationDist<'a>,
    /// How long its init runs; `None` uses the profile's `init_us`.
    pub init: Option<DurationDist<'a>>,
    /// Invocations that end in a function error, per million.
    pub error_ppm: u32,
    /// Invocations that crash (resetting the environment), per million.
    pub crash_ppm: u32,
    /// Keep-alive policy.
    pub keep_alive: KeepAlive,
}

impl<'a> SimFunction<'a> {
    /// A function with `config`, `workload` and `handler`, no failures,
    /// the profile's init, the fixed keep-alive.
    pub const fn new(config: FunctionConfig, workload: Workload<'a>, handler: DurationDist<'a>) -> Self {
        SimFunction { config, workload, handler, init: None, error_ppm: 0, crash_ppm: 0, keep_alive: KeepAlive::Fixed }
    }
}

/// Settings of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// The region.
    pub region: RegionConfig,
    /// The seed of every random stream.
    pub seed: u64,
    /// Simulated time.
    pub horizon: Duration,
    /// Initial time excluded from counts and averages (not from the bill).
    pub warmup: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            region: RegionConfig::default(),
            seed: 1,
            horizon: Duration::from_secs(3_600),
            warmup: Duration::ZERO,
        }
    }
}

/// Why a run could not start or finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SimError {
    /// The region's configuration was rejected.
    Region(ConfigError),
    /// Function `index`'s configuration was rejected.
    Function {
        /// Position in the function list.
        index: usize,
        /// Why.
        error: ConfigError,
    },
    /// Function `index`'s workload is invalid (negative or NaN rate, unsorted replay).
    InvalidWorkload {
        /// Position in the function list.
        index: usize,
    },
    /// Function `index`'s duration distribution is invalid.
    InvalidDistribution {
        /// Position in the function list.
        index: usize,
    },
    /// Failure rates above one million per million.
    InvalidFailureRate {
        /// Position in the function list.
        index: usize,
    },
    /// More functions than the simulator's capacity.
    TooManyFunctions,
    /// The environment table filled up; raise its capacity.
    CapacityExceeded,
    /// The warm-up is not shorter than the horizon.
    WarmupTooLong,
    /// A usage total overflowed: the bill cannot be exact.
    BillOverflow,
    /// An internal consistency check failed (a lambdasim bug; please report).
    Internal,
    /// Function `index`'s provisioned control is invalid (unknown function,
    /// or a daily action not below a day).
    InvalidProvisionedControl {
        /// Position in the function list.
        index: usize,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Region(e) => write!(f, "region configuration: {e}"),
            SimError::Function { index, error } => write!(f, "function {index}: {error}"),
            SimError::InvalidWorkload { index } => write!(f, "function {index}: invalid workload"),
            SimError::InvalidDistribution { index } => write!(f, "function {index}: invalid duration distribution"),
            SimError::InvalidFailureRate { index } => write!(f, "function {index}: failure rates above 1 000 000 ppm"),
            SimError::TooManyFunctions => f.write_str("more functions than the simulator's capacity"),
            SimError::CapacityExceeded => f.write_str("environment table full"),
            SimError::WarmupTooLong => f.write_str("warm-up not shorter than the horizon"),
            SimError::BillOverflow => f.write_str("usage too large to bill exactly"),
            SimError::Internal => f.write_str("internal consistency check failed"),
            SimError::InvalidProvisionedControl { index } => {
                write!(f, "function {index}: invalid provisioned control (daily actions must be below a day)")
            }
        }
    }
}

impl core::error::Error for SimError {}

impl From<TimeError> for SimError {
    fn from(_: TimeError) -> Self {
        SimError::Internal
    }
}

/// Per-function state of a run.
#[derive(Clone, Debug)]
struct FnState<'a> {
    spec: SimFunction<'a>,
    id: FunctionId,
    memory: MemoryMb,
    arrivals: Arrivals,
    arrival_rng: Rng,
    service_rng: Rng,
    /// The next arrival's recorded duration (replays).
    next_duration: Option<Duration>,
    histogram: IdleHistogram,
    idle_since: Option<Instant>,
    /// Keep-alive to apply when a scheduled pre-warm fires.
    prewarm_keep_alive: Duration,
    /// Sandbox creation of a full cold start (not part of its init duration).
    create: Duration,
    peak: u32,
    base_stats: Stats,
    base_occupancy: Occupancy,
    /// Scheduled actions and target tracking, if any.
    control: Option<pc_control::ControlState<'a>>,
}

/// An invocation waiting for its completion event.
#[derive(Clone, Copy, Debug)]
struct Pending {
    invocation: InvocationId,
    function: u32,
    outcome: Outcome,
}

/// What happens next, in the order simultaneous events are handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Next {
    Minute,
    Completion(u32),
    Prewarm(u32),
    Arrival(u32),
}

/// A simulation of up to `FUNCTIONS` functions over a region whose tables
/// live in lent storage ([`Sim::new_in`] with a [`SimStorage`]) or, with the
/// `alloc` feature, in owned tables grown on demand (`Sim::with_capacity`).
///
/// About `FUNCTIONS` × 1.7 KB plus a few hundred bytes by value; what grows
/// with environments, and each function's latency histograms
/// ([`FUNCTION_LATENCY_BYTES`]), are in the storage.
#[derive(Debug)]
pub struct Sim<'a, const FUNCTIONS: usize> {
    config: SimConfig,
    region: Region<'a>,
    functions: heapless::Vec<FnState<'a>, FUNCTIONS>,
    arrivals: TimerHeap<'a>,
    prewarms: TimerHeap<'a>,
    /// Per environment slot, the end of the invocation it runs (hybrid
    /// keep-alive only: otherwise the region ends invocations itself).
    completions: TimerHeap<'a>,
    pending: Slots<'a, Option<Pending>>,
    /// Per function (in creation order), its latency distributions.
    latency: Slots<'a, FunctionLatency>,
    /// Whether the warm-up is over: latencies are recorded from then on.
    recording: bool,
    seq: u64,
    minute: u64,
    /// When the current minute ends.
    minute_end: Instant,
    last_minute_stats: Stats,
    last_minute_occupancy: Occupancy,
    peak: u32,
    /// The busy peak of the current minute before the warm-up ended.
    pre_warmup_window: u32,
    base_stats: Stats,
    base_occupancy: Occupancy,
    /// Whether any function has a provisioned control.
    controls: bool,
}

/// A seed for stream `stream` of function `index`.
fn stream_seed(seed: u64, index: usize, stream: u64) -> u64 {
    let index = (index as u64).wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    Rng::new(seed ^ index ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

const MINUTE: Duration = Duration::from_secs(60);

#[cfg(feature = "alloc")]
impl<'a, const FUNCTIONS: usize> Sim<'a, FUNCTIONS> {
    /// A run of `functions` under `config`, not started yet, in owned
    /// tables that grow on demand up to `envs` environments (and a region
    /// of `functions.len()` function slots).
    ///
    /// # Errors
    /// As [`Sim::new_in`]; [`SimError::Region`] with
    /// [`ConfigError::InvalidCapacity`] for `envs` outside `1..=`[`Capacity::MAX`].
    pub fn with_capacity(config: SimConfig, functions: &[SimFunction<'a>], envs: usize) -> Result<Self, SimError> {
        // The region holds exactly the run's functions (a metric store sized
        // to them covers every slot).
        let capacity = Capacity { envs, functions: functions.len().clamp(1, FUNCTIONS) };
        let region = Region::with_capacity(config.region, capacity).map_err(SimError::Region)?;
        let initial = envs.min(16);
        let parts = SimParts {
            arrivals: TimerHeap::new(
                Slots::owned(FUNCTIONS, FUNCTIONS, Entry::VACANT),
                Slots::owned(FUNCTIONS, FUNCTIONS, NO_POSITION),
            ),
            prewarms: TimerHeap::new(
                Slots::owned(FUNCTIONS, FUNCTIONS, Entry::VACANT),
                Slots::owned(FUNCTIONS, FUNCTIONS, NO_POSITION),
            ),
            completions: TimerHeap::new(
                Slots::owned(initial, envs, Entry::VACANT),
                Slots::owned(initial, envs, NO_POSITION),
            ),
            pending: Slots::owned(initial, envs, None),
            // One slot per function: a run never adds functions.
            latency: Slots::owned(functions.len().min(FUNCTIONS), FUNCTIONS, FunctionLatency::new()),
        };
        Self::build(config, functions, region, parts)
    }
}

/// The simulator's own tables beside the region's.
struct SimParts<'a> {
    arrivals: TimerHeap<'a>,
    prewarms: TimerHeap<'a>,
    completions: TimerHeap<'a>,
    pending: Slots<'a, Option<Pending>>,
    latency: Slots<'a, FunctionLatency>,
}

/// Storage for a simulation of up to `ENVS` environments and `FUNCTIONS`
/// functions, to lend to [`Sim::new_in`] (no heap needed). Large (each
/// function's latency histograms take [`FUNCTION_LATENCY_BYTES`]): build it
/// where it lives (a `Box`, a `static` cell) rather than moving it.
#[derive(Clone, Debug)]
pub struct SimStorage<const ENVS: usize, const FUNCTIONS: usize> {
    region: RegionStorage<ENVS, FUNCTIONS>,
    arrivals: ([Entry; FUNCTIONS], [u32; FUNCTIONS]),
    prewarms: ([Entry; FUNCTIONS], [u32; FUNCTIONS]),
    completions: ([Entry; ENVS], [u32; ENVS]),
    pending: [Option<Pending>; ENVS],
    latency: [FunctionLatency; FUNCTIONS],
}

impl<const ENVS: usize, const FUNCTIONS: usize> SimStorage<ENVS, FUNCTIONS> {
    /// Empty storage.
    pub fn new() -> Self {
        SimStorage {
            region: RegionStorage::new(),
            arrivals: ([Entry::VACANT; FUNCTIONS], [NO_POSITION; FUNCTIONS]),
            prewarms: ([Entry::VACANT; FUNCTIONS], [NO_POSITION; FUNCTIONS]),
            completions: ([Entry::VACANT; ENVS], [NO_POSITION; ENVS]),
            pending: [None; ENVS],
            latency: [const { FunctionLatency::new() }; FUNCTIONS],
        }
    }
}

impl<const ENVS: usize, const FUNCTIONS: usize> Default for SimStorage<ENVS, FUNCTIONS> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, const FUNCTIONS: usize> Sim<'a, FUNCTIONS> {
    /// A run of `functions` under `config`, not started yet, working in
    /// `storage`.
    ///
    /// # Errors
    /// Any invalid region or function setting (the [`SimError`] names the
    /// function), or more functions than `FUNCTIONS`.
    pub fn new_in<const ENVS: usize>(
        config: SimConfig,
        functions: &[SimFunction<'a>],
        storage: &'a mut SimStorage<ENVS, FUNCTIONS>,
    ) -> Result<Self, SimError> {
        let SimStorage { region, arrivals, prewarms, completions, pending, latency } = storage;
        // A storage lent again starts with no samples.
        latency.iter_mut().for_each(FunctionLatency::clear);
        let region = Region::new_in(config.region, region).map_err(SimError::Region)?;
        let heap =
            |(entries, pos): &'a mut ([Entry; _], [u32; _])| TimerHeap::new(Slots::from(entries), Slots::from(pos));
        let parts = SimParts {
            arrivals: heap(arrivals),
            prewarms: heap(prewarms),
            completions: TimerHeap::new(Slots::from(&mut completions.0), Slots::from(&mut completions.1)),
            pending: Slots::from(pending),
            latency: Slots::from(latency),
        };
        Self::build(config, functions, region, parts)
    }

    fn build(
        config: SimConfig,
        functions: &[SimFunction<'a>],
        mut region: Region<'a>,
        parts: SimParts<'a>,
    ) -> Result<Self, SimError> {
        if config.warmup >= config.horizon && !config.horizon.is_zero() {
            return Err(SimError::WarmupTooLong);
        }
        let mut states = heapless::Vec::new();
        for (index, spec) in functions.iter().enumerate() {
            if !spec.workload.is_valid() {
                return Err(SimError::InvalidWorkload { index });
            }
            if !spec.handler.is_valid() || !spec.init.is_none_or(|d| d.is_valid()) {
                return Err(SimError::InvalidDistribution { index });
            }
            if u64::from(spec.error_ppm) + u64::from(spec.crash_ppm) > 1_000_000 {
                return Err(SimError::InvalidFailureRate { index });
            }
            let id = region.create_function(Instant::ZERO, &spec.config).map_err(|error| match error {
                ConfigError::CapacityExceeded => SimError::TooManyFunctions,
                error => SimError::Function { index, error },
            })?;
            let memory = MemoryMb::with_rule(spec.config.memory_mb, config.region.memory_rule)
                .map_err(|e| SimError::Function { index, error: e.into() })?;
            let state = FnState {
                spec: *spec,
                id,
                memory,
                arrivals: Arrivals::until(config.horizon),
                arrival_rng: Rng::new(stream_seed(config.seed, index, 0)),
                service_rng: Rng::new(stream_seed(config.seed, index, 1)),
                next_duration: None,
                histogram: IdleHistogram::new(),
                idle_since: None,
                prewarm_keep_alive: Duration::ZERO,
                create: spec.config.cold_start.create(),
                peak: 0,
                base_stats: Stats::default(),
                base_occupancy: Occupancy::default(),
                control: None,
            };
            states.push(state).map_err(|_| SimError::TooManyFunctions)?;
        }
        Ok(Sim {
            config,
            region,
            functions: states,
            arrivals: parts.arrivals,
            prewarms: parts.prewarms,
            completions: parts.completions,
            pending: parts.pending,
            latency: parts.latency,
            recording: config.warmup.is_zero(),
            seq: 0,
            minute: 0,
            minute_end: Instant::ZERO.saturating_add(MINUTE),
            last_minute_stats: Stats::default(),
            last_minute_occupancy: Occupancy::default(),
            peak: 0,
            pre_warmup_window: 0,
            base_stats: Stats::default(),
            base_occupancy: Occupancy::default(),
            controls: false,
        })
    }

    /// The region being simulated (for queries during or after a run).
    pub const fn region(&self) -> &Region<'a> {
        &self.region
    }

    /// Attaches a metric store to the simulated region before the run: it
    /// then emits CloudWatch's metrics ([`Region::attach_metrics`]); query
    /// them through [`Sim::metrics`] afterwards.
    ///
    /// # Errors
    /// As [`Region::attach_metrics`].
    pub fn attach_metrics(
        &mut self,
        store: crate::metrics::MetricStore<'a>,
    ) -> Result<Option<crate::metrics::MetricStore<'a>>, ConfigError> {
        self.region.attach_metrics(store)
    }

    /// The attached metric store, with every open period handed to it
    /// ([`Region::metrics`]).
    pub fn metrics(&mut self) -> Option<&crate::metrics::MetricStore<'a>> {
        self.region.metrics()
    }

    /// Each function's latency distributions so far (after the warm-up), in
    /// creation order: what [`Summary`]'s percentiles come from, to merge
    /// across runs.
    pub fn latency(&self) -> &[FunctionLatency] {
        self.latency.get(..self.functions.len()).unwrap_or(&[])
    }

    fn next_seq(&mut self) -> u64 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn state(&mut self, fi: u32) -> Result<&mut FnState<'a>, SimError> {
        self.functions.get_mut(fi as usize).ok_or(SimError::Internal)
    }

    #[inline(always)]
    fn schedule_arrival(&mut self, fi: u32) -> Result<(), SimError> {
        let f = self.state(fi)?;
        let next = f.arrivals.next(&f.spec.workload, &mut f.arrival_rng);
        match next {
            Some((at, duration)) => {
                f.next_duration = duration;
                let seq = self.next_seq();
                self.arrivals.set(fi, at, seq);
            }
            None => self.arrivals.cancel(fi),
        }
        Ok(())
    }

    /// The next event: the earliest, and at equal times a minute's end,
    /// then completions, pre-warms and arrivals (each queue orders its own
    /// ties by scheduling order).
    #[inline(always)]
    fn peek_next(&self) -> (Instant, Next) {
        let mut best = self.arrivals.peek().map(|t| (t.at, Next::Arrival(t.key)));
        if let Some(t) = self.prewarms.peek()
            && best.is_none_or(|(at, _)| t.at <= at)
        {
            best = Some((t.at, Next::Prewarm(t.key)));
        }
        if let Some(t) = self.completions.peek()
            && best.is_none_or(|(at, _)| t.at <= at)
        {
            best = Some((t.at, Next::Completion(t.key)));
        }
        match best {
            Some((at, next)) if at < self.minute_end => (at, next),
            _ => (self.minute_end, Next::Minute),
        }
    }

    /// Plays the run to its horizon.
    ///
    /// # Errors
    /// [`SimError::CapacityExceeded`] when the environment table fills up,
    /// [`SimError::Internal`] on a broken internal check.
    pub fn run(&mut self, observer: &mut impl Observer) -> Result<Summary<FUNCTIONS>, SimError> {
        for fi in 0..self.functions.len() as u32 {
            self.schedule_arrival(fi)?;
        }
        let horizon = Instant::ZERO.saturating_add(self.config.horizon);
        let warmup = Instant::ZERO.saturating_add(self.config.warmup);
        let mut warmed = self.config.warmup.is_zero();
        if self.controls {
            self.drive_controls(Instant::ZERO, observer)?;
        }
        loop {
            let (at, next) = self.peek_next();
            if !warmed && at >= warmup {
                self.region.advance(warmup)?;
                self.mark_warmup();
                warmed = true;
            }
            if at > horizon {
                break;
            }
            match next {
                Next::Minute => self.end_minute(at, observer)?,
                Next::Completion(i) => self.complete(at, i)?,
                Next::Prewarm(fi) => self.prewarm(at, fi)?,
                Next::Arrival(fi) => self.arrive(at, fi)?,
            }
        }
        self.region.advance(horizon)?;
        if horizon > Instant::ZERO.saturating_add(MINUTE.saturating_mul(self.minute)) {
            self.emit_minute(observer);
        }
        self.summary()
    }

    fn mark_warmup(&mut self) {
        // Start fresh busy windows so peaks count only what follows the
        // warm-up; the minute series keeps the part of its minute before it.
        self.pre_warmup_window = self.region.take_busy_window_peak();
        self.recording = true;
        self.base_stats = self.region.stats();
        self.base_occupancy = self.region.occupancy();
        self.peak = self.region.busy() as u32;
        let region = &self.region;
        for f in self.functions.iter_mut() {
            f.base_stats = region.function_stats(f.id).copied().unwrap_or_default();
            f.base_occupancy = region.function_occupancy(f.id).unwrap_or_default();
            f.peak = region.function_counts(f.id).map_or(0, |c| c.busy);
        }
    }

    fn end_minute(&mut self, at: Instant, observer: &mut impl Observer) -> Result<(), SimError> {
        self.region.advance(at)?;
        self.emit_minute(observer);
        if self.controls {
            self.drive_controls(at, observer)?;
        }
        self.minute += 1;
        self.minute_end = self.minute_end.saturating_add(MINUTE);
        Ok(())
    }

    fn emit_minute(&mut self, observer: &mut impl Observer) {
        let region = &mut self.region;
        let warm = region.now() > Instant::ZERO.saturating_add(self.config.warmup) || self.config.warmup.is_zero();
        for f in self.functions.iter_mut() {
            if warm {
                let window = region.function_occupancy(f.id).map_or(0, |o| o.window_peak);
                f.peak = f.peak.max(window);
            }
        }
        let window = region.take_busy_window_peak();
        if warm {
            self.peak = self.peak.max(window);
        }
        let busy_max = window.max(core::mem::take(&mut self.pre_warmup_window));
        let stats = region.stats();
        let occ = region.occupancy();
        let span = occ.since.saturating_since(self.last_minute_occupancy.since).as_micros() as f64;
        let avg = |a: u128, b: u128| if span <= 0.0 { 0.0 } else { a.saturating_sub(b) as f64 / span };
        let last = &self.last_minute_stats;
        let point = MinutePoint {
            minute: self.minute,
            busy_max,
            busy_avg: avg(occ.busy_env_us, self.last_minute_occupancy.busy_env_us),
            live_avg: avg(occ.live_env_us, self.last_minute_occupancy.live_env_us),
            live: region.live(),
            invocations: stats.invocations.saturating_sub(last.invocations),
            cold_starts: stats.cold_starts().saturating_sub(last.cold_starts()),
            throttles: stats.throttles_total().saturating_sub(last.throttles_total()),
            account_limit: region.config().account_limit,
            unreserved_pool: region.unreserved_pool(),
            claimed: region.claimed_concurrency(),
        };
        self.last_minute_stats = stats;
        self.last_minute_occupancy = occ;
        observer.minute(&point);
    }

    #[inline(always)]
    fn arrive(&mut self, at: Instant, fi: u32) -> Result<(), SimError> {
        let Sim { region, functions, prewarms, latency, recording, .. } = self;
        let f = functions.get_mut(fi as usize).ok_or(SimError::Internal)?;
        // Only the hybrid policy needs idle times and completion events; with
        // a fixed keep-alive the region ends each invocation by itself.
        let hybrid = matches!(f.spec.keep_alive, KeepAlive::Hybrid(_));
        if hybrid
            && region.function_busy(f.id) == Some(0)
            && let Some(since) = f.idle_since.take()
        {
            f.histogram.record(at.saturating_since(since));
        }
        let memory = f.memory;
        let handler = match f.next_duration.take() {
            Some(recorded) => recorded,
            None => f.spec.handler.sample(&mut f.service_rng, memory),
        };
        let (error_ppm, crash_ppm) = (f.spec.error_ppm, f.spec.crash_ppm);
        let draw = if error_ppm == 0 && crash_ppm == 0 { u32::MAX } else { f.service_rng.below(1_000_000) as u32 };
        let outcome = if draw < error_ppm {
            Outcome::FunctionError
        } else if draw < error_ppm.saturating_add(crash_ppm) {
            Outcome::Crash
        } else {
            Outcome::Success
        };
        if hybrid {
            // Only the hybrid policy pre-warms.
            prewarms.cancel(fi);
        }
        // The init is drawn only for a cold start, from the function's own stream.
        let (id, init_dist, timeout, create) = (f.id, f.spec.init, f.spec.config.timeout(), f.create);
        let profile_init = f.spec.config.cold_start.init();
        let rng = &mut f.service_rng;
        let init = || init_dist.map_or(profile_init, |d| d.sample(rng, memory));
        let invoked = if hybrid {
            region.invoke_with(at, id, init)
        } else {
            region.invoke_for_with(at, id, Handler { duration: handler, outcome }, init)
        };
        if *recording
            && let Ok(Invoked::Started(s)) = &invoked
            && let Some(l) = latency.get_mut(fi as usize)
        {
            record_latency(l, s, handler, timeout, create);
        }
        match invoked {
            Ok(Invoked::Started(s)) if hybrid => {
                // The region times an invoke from its handler's start, or from the
                // invoke for a partial cold start (whose init runs inside it).
                let work = handler.saturating_add(s.suppressed_init);
                let done = match s.start {
                    StartKind::PartialCold => at.saturating_add(s.init.saturating_add(work).min(timeout)),
                    _ => s.ready_at.saturating_add(work.min(timeout)),
                };
                let i = s.env.index;
                let keys = (i as usize).saturating_add(1);
                if !self.completions.grow_to(keys) || !self.pending.grow_to(keys, None) {
                    return Err(SimError::CapacityExceeded);
                }
                let slot = self.pending.get_mut(i as usize).ok_or(SimError::Internal)?;
                *slot = Some(Pending { invocation: s.invocation, function: fi, outcome });
                let seq = self.next_seq();
                self.completions.set(i, done, seq);
            }
            Ok(_) => {}
            Err(InvokeError::CapacityExceeded) => return Err(SimError::CapacityExceeded),
            Err(_) => return Err(SimError::Internal),
        }
        self.schedule_arrival(fi)
    }

    fn complete(&mut self, at: Instant, i: u32) -> Result<(), SimError> {
        self.completions.cancel(i);
        let p = self.pending.get_mut(i as usize).and_then(Option::take).ok_or(SimError::Internal)?;
        let fi = p.function;
        let f = self.functions.get(fi as usize).ok_or(SimError::Internal)?;
        let (id, policy) = (f.id, f.spec.keep_alive);
        let KeepAlive::Hybrid(policy) = policy else {
            return match self.region.finish(at, p.invocation, p.outcome) {
                Ok(_) | Err(FinishError::TimedOut) => Ok(()),
                Err(_) => Err(SimError::Internal),
            };
        };
        let mut prewarm = None;
        if self.region.function_busy(id) == Some(1) {
            // This invocation is the function's last one running: plan its idle period.
            let windows = f.histogram.windows(&policy);
            let keep_alive = match windows {
                None => None,
                Some(w) if w.prewarm.is_zero() => Some(w.keep_alive),
                Some(w) => {
                    prewarm = Some(w);
                    Some(Duration::ZERO)
                }
            };
            self.region.set_keep_alive(at, id, keep_alive).map_err(|_| SimError::Internal)?;
        }
        match self.region.finish(at, p.invocation, p.outcome) {
            Ok(_) | Err(FinishError::TimedOut) => {}
            Err(_) => return Err(SimError::Internal),
        }
        if self.region.function_busy(id) == Some(0) {
            self.state(fi)?.idle_since = Some(at);
            if let Some(w) = prewarm {
                self.state(fi)?.prewarm_keep_alive = w.keep_alive;
                let seq = self.next_seq();
                self.prewarms.set(fi, at.saturating_add(w.prewarm), seq);
            }
        }
        Ok(())
    }

    fn prewarm(&mut self, at: Instant, fi: u32) -> Result<(), SimError> {
        self.prewarms.cancel(fi);
        let f = self.functions.get(fi as usize).ok_or(SimError::Internal)?;
        let (id, keep_alive) = (f.id, f.prewarm_keep_alive);
        // Apply what is due first: an environment expiring now must not block the pre-warm.
        self.region.advance(at)?;
        let idle = self.region.function_counts(id).map_or(0, |c| c.busy + c.idle + c.creating + c.initializing);
        if idle > 0 {
            return Ok(());
        }
        self.region.set_keep_alive(at, id, Some(keep_alive)).map_err(|_| SimError::Internal)?;
        match self.region.prewarm(at, id) {
            Ok(_) => Ok(()),
            Err(InvokeError::CapacityExceeded) => Err(SimError::CapacityExceeded),
            Err(_) => Err(SimError::Internal),
        }
    }

    fn summary(&self) -> Result<Summary<FUNCTIONS>, SimError> {
        let region = &self.region;
        let usage = region.usage().map_err(|_| SimError::BillOverflow)?;
        let latency = self.latency();
        let total = FunctionSummary::build(
            &region.stats(),
            &self.base_stats,
            &region.occupancy(),
            &self.base_occupancy,
            self.peak,
            usage,
            LatencySummary::of(latency),
        );
        let mut functions = heapless::Vec::new();
        for (fi, f) in self.functions.iter().enumerate() {
            let stats = region.function_stats(f.id).ok_or(SimError::Internal)?;
            let occ = region.function_occupancy(f.id).ok_or(SimError::Internal)?;
            let usage = region.function_usage(f.id).ok_or(SimError::Internal)?.map_err(|_| SimError::BillOverflow)?;
            let l = LatencySummary::of(latency.get(fi..=fi).ok_or(SimError::Internal)?);
            let s = FunctionSummary::build(stats, &f.base_stats, &occ, &f.base_occupancy, f.peak, usage, l);
            functions.push(s).map_err(|_| SimError::Internal)?;
        }
        Ok(Summary { horizon: self.config.horizon, warmup: self.config.warmup, total, functions })
    }
}

/// Records the latency of a request that started: the handler's time (its
/// drawn `handler` plus any init retried inside the invoke, capped by the
/// timeout the way the region ends it) and, for a cold start, its wait
/// before the handler (`s.init`) and its init phase (a full cold start's
/// wait less the sandbox's `create`). Integer arithmetic only; a warm
/// start is one histogram increment.
#[inline(always)]
fn record_latency(l: &mut FunctionLatency, s: &Started, handler: Duration, timeout: Duration, create: Duration) {
    let work = handler.saturating_add(s.suppressed_init);
    match s.start {
        StartKind::Warm | StartKind::Provisioned => l.record_warm(work.min(timeout)),
        // Its init runs inside the invoke, under the same timeout.
        StartKind::PartialCold => {
            let wait = s.init.min(timeout);
            l.record_cold(wait, work.min(timeout.saturating_sub(wait)), s.init);
        }
        StartKind::FullCold => l.record_cold(s.init, work.min(timeout), s.init.saturating_sub(create)),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_latency;
#[cfg(test)]
mod tests_pc_control;
