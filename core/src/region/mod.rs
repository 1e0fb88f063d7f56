//! The region façade: functions, their environments and the concurrency
//! ledger of one AWS account in one region (docs/model.md §1–§2).
//!
//! A [`Region`] is sans-IO: every operation takes `now`, applies the
//! time-driven events due at or before it (cold-start phases, timeouts, idle
//! expiry, recycling, provisioned allocation) in the order they were
//! scheduled, then does its work. [`Region::next_deadline`] says when the next
//! such event is due, so a driver can call [`Region::advance`] exactly then.
//!
//! # Guarantees
//! - Every invoke follows docs/model.md §2's decision order, so the same request is
//!   throttled for the same reason in every implementation.
//! - O(log n) per `invoke`, `finish` and due event: idle environments sit in
//!   intrusive per-function lists, deadlines in indexed heaps; nothing on
//!   those paths scans all environments or functions.
//! - [`Region::advance`] over any span, up to [`Instant::MAX`], takes time
//!   bounded by the environments and functions, not by the span: periodic
//!   recycling of idle provisioned environments is skipped in whole periods
//!   (exactly: the same state as applying each recycle), and an event that
//!   would fall past the end of the clock never happens.
//! - Storage the caller lends ([`RegionStorage`], or with the `alloc`
//!   feature owned tables that grow on demand up to a [`Capacity`]); a full
//!   table is [`InvokeError::CapacityExceeded`] or
//!   [`ConfigError::CapacityExceeded`], never a panic. The region allocates
//!   nothing itself, and what it holds does not grow with simulated time.
//! - Handles carry a generation: a stale one is an error, never another object.
//! - An operation that returns an error changes nothing beyond applying the
//!   events that were due anyway.
//! - Invocations that outlive their function timeout are ended by the region
//!   at the timeout (counted as timeouts); a later `finish` says
//!   [`FinishError::TimedOut`].

mod alias_rate;
mod async_config;
mod async_invoke;
mod async_queue;
mod billing;
mod check;
mod config;
mod events;
mod functions;
mod invoke;
mod lists;
mod metrics;
mod occupancy;
mod provisioned;
mod storage;
mod types;

pub use async_config::{
    AsyncConfig, AsyncError, AsyncEventId, AsyncEventStatus, AsyncInvoke, AsyncStats, DeliveryTarget, DropReason,
};
pub use async_queue::{ASYNC_EVENT_BYTES, AsyncQueue, AsyncStorage};
pub use config::{RegionConfig, WarmPick};
pub use occupancy::Occupancy;
use occupancy::Tally;
pub use storage::{Capacity, ENV_SLOT_BYTES, FUNCTION_SLOT_BYTES, RegionStorage, WHEEL_BYTES};
pub use types::{
    EnvId, Finished, FunctionCounts, FunctionId, Handler, InvocationId, Invoked, Outcome, StartKind, Started, Stats,
    Violation,
};

use crate::concurrency::{ConcurrencySettings, Ledger, ScalingRule, TokenBucket};
use crate::environment::{EnvState, Environment};
use crate::error::{ConfigError, FinishError, InvokeError};
use crate::function::FunctionConfig;
use crate::pricing::Meter;
use crate::storage::Table;
use crate::time::{Duration, Instant};
use crate::timer::TimerHeap;
use crate::wheel::TimerWheel;
use lists::{List, ListTag, NIL};
use provisioned::Provisioning;

/// Environment slots of [`Region`]'s default capacity.
pub const DEFAULT_ENVS: usize = 4_096;
/// Function slots of [`Region`]'s default capacity.
pub const DEFAULT_FUNCTIONS: usize = 64;

/// One environment slot of the table.
#[derive(Clone, Copy, Debug)]
struct EnvSlot {
    env: Environment,
    generation: u32,
    function: u32,
    /// The function's configuration version the environment was made with.
    version: u32,
    /// Sequence number of the current or last invocation.
    seq: u32,
    prev: u32,
    next: u32,
    list: ListTag,
    /// Reclaim instead of going idle when the invocation ends.
    retire: bool,
    /// The last invocation was ended by the region at its timeout.
    timed_out: bool,
    /// The init in progress will fail at its timer (PC init over its limit).
    init_fails: bool,
    /// A provisioned environment that belongs to a Ready allocation: it
    /// serves whenever it is idle and initialized, even while a later
    /// change of the allocation is in progress.
    serving: bool,
    /// When the attached invocation times out (set when it starts).
    timeout_at: Instant,
    /// When and how the attached invocation ends by itself, if the region
    /// schedules its end ([`Region::invoke_for`]).
    end: Option<(Instant, Outcome)>,
    /// When the current cold start ends (the handler starts, or a
    /// provisioned environment becomes idle).
    ready_at: Instant,
    /// Where the attached invocation's billed duration starts.
    billable_from: Instant,
    /// Where the attached invocation's reported duration starts: the
    /// handler's start, or the invoke for a partial cold start (its init
    /// runs inside the invoke).
    duration_from: Instant,
    /// How the attached (or last) invocation started.
    start: StartKind,
    /// When the attached (or last) invocation was invoked.
    invoked_at: Instant,
    /// An idle on-demand environment's place in its function's expiry
    /// queue: never earlier than the entry behind it (see `push_idle`).
    idle_until: Instant,
    /// The timer sequence number of its going idle (orders equal deadlines).
    idle_seq: u64,
    /// The deadline and sequence number of its pending timer (sequence 0:
    /// none), kept beside the wheel so a long `advance` can tell the next
    /// event that is not provisioned recycling and fast-forward up to it.
    timer_at: Instant,
    timer_seq: u64,
    /// The asynchronous event whose attempt the attached invocation is
    /// (its queue slot), or `NIL`.
    async_event: u32,
}

impl EnvSlot {
    /// The deadline of the attached invocation once its handler runs: its
    /// scheduled end or its timeout, whichever comes first.
    fn busy_deadline(&self) -> Instant {
        self.end.map_or(self.timeout_at, |(at, _)| at.min(self.timeout_at))
    }

    const VACANT: EnvSlot = EnvSlot {
        env: Environment::terminated(),
        generation: 1,
        function: NIL,
        version: 0,
        seq: 0,
        prev: NIL,
        next: NIL,
        list: ListTag::None,
        retire: false,
        timed_out: false,
        init_fails: false,
        serving: false,
        timeout_at: Instant::ZERO,
        end: None,
        ready_at: Instant::ZERO,
        billable_from: Instant::ZERO,
        duration_from: Instant::ZERO,
        start: StartKind::Warm,
        invoked_at: Instant::ZERO,
        idle_until: Instant::ZERO,
        idle_seq: 0,
        timer_at: Instant::ZERO,
        timer_seq: 0,
        async_event: NIL,
    };
}

/// Per-state counts of one function's environments, kept on every
/// transition: indexed by `EnvState as usize`; terminated ones (index 5)
/// are not kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct StateCounts([u32; 5]);

impl StateCounts {
    fn get(&self, s: EnvState) -> u32 {
        self.0.get(s as usize).copied().unwrap_or(0)
    }
    fn moved(&mut self, from: Option<EnvState>, to: EnvState) {
        if let Some(c) = from.and_then(|s| self.0.get_mut(s as usize)) {
            *c = c.saturating_sub(1);
        }
        if let Some(c) = self.0.get_mut(to as usize) {
            *c = c.saturating_add(1);
        }
    }
    fn live(&self) -> u32 {
        let [creating, initializing, idle, busy, ..] = self.0;
        creating.saturating_add(initializing).saturating_add(idle).saturating_add(busy)
    }
}

/// One function slot.
#[derive(Clone, Copy, Debug)]
struct FunctionSlot {
    generation: u32,
    in_use: bool,
    config: FunctionConfig,
    version: u32,
    idle: List,
    idle_pc: List,
    warming_pc: List,
    recycling_pc: List,
    busy_pc: List,
    shutting: List,
    prewarming: List,
    states: StateCounts,
    /// Invocations attached (busy, including cold-starting ones).
    attached: u32,
    /// Attached invocations on provisioned environments of the allocation
    /// (not those released from it while busy: they count as on-demand).
    attached_pc: u32,
    /// RC was lowered below the busy count: busy may exceed RC while it drains.
    draining: bool,
    scaling: TokenBucket,
    /// Its provisioned request rate (10 × allocated per second).
    alias_rate: alias_rate::AliasRate,
    pc: Provisioning,
    stats: Stats,
    /// This function's usage, for its bill.
    meter: Meter,
    /// Since when the current provisioned configuration is billed, if any.
    pc_billed_since: Option<Instant>,
    occupancy: Tally,
    /// Keep-alive of this function's idle on-demand environments, when it
    /// overrides the region's idle timeout.
    keep_alive: Option<Duration>,
    /// Its metrics' open period (when a store is attached).
    metrics: metrics::Tally,
    /// Its asynchronous invocation settings.
    async_config: AsyncConfig,
    /// Its asynchronous invocation counters.
    async_stats: AsyncStats,
}

impl FunctionSlot {
    /// A slot no function ever used (storage filler).
    fn vacant() -> FunctionSlot {
        FunctionSlot {
            generation: 1,
            in_use: false,
            config: FunctionConfig::default(),
            version: 0,
            idle: List::EMPTY,
            idle_pc: List::EMPTY,
            warming_pc: List::EMPTY,
            recycling_pc: List::EMPTY,
            busy_pc: List::EMPTY,
            shutting: List::EMPTY,
            prewarming: List::EMPTY,
            states: StateCounts::default(),
            attached: 0,
            attached_pc: 0,
            draining: false,
            scaling: TokenBucket::UNUSED,
            alias_rate: alias_rate::AliasRate::default(),
            pc: Provisioning::default(),
            stats: Stats::default(),
            meter: Meter::new(),
            pc_billed_since: None,
            occupancy: Tally::default(),
            keep_alive: None,
            metrics: metrics::Tally::default(),
            async_config: AsyncConfig::DEFAULT,
            async_stats: AsyncStats::default(),
        }
    }

    fn settings(&self) -> ConcurrencySettings {
        ConcurrencySettings { reserved: self.config.reserved, provisioned: self.config.provisioned }
    }
    fn uses_unreserved(&self, on_pc: bool) -> bool {
        !on_pc && self.config.reserved.is_none()
    }
    fn list_mut(&mut self, tag: ListTag) -> Option<&mut List> {
        match tag {
            ListTag::None => None,
            ListTag::Idle => Some(&mut self.idle),
            ListTag::IdlePc => Some(&mut self.idle_pc),
            ListTag::WarmingPc => Some(&mut self.warming_pc),
            ListTag::RecyclingPc => Some(&mut self.recycling_pc),
            ListTag::BusyPc => Some(&mut self.busy_pc),
            ListTag::Shutting => Some(&mut self.shutting),
            ListTag::Prewarming => Some(&mut self.prewarming),
        }
    }
}

/// An AWS region's Lambda service for one account: functions, environments,
/// concurrency and rates.
///
/// Its tables live in storage the caller lends for `'a`
/// ([`Region::new_in`] with a [`RegionStorage`]), or, with the `alloc`
/// feature, in owned tables that start small and grow on demand up to a
/// [`Capacity`] (`Region::new`, `Region::with_capacity`): a region for
/// one function and a few environments holds tens of kilobytes, not the
/// maximum. The value itself is about a kilobyte.
///
/// # Examples
/// ```
/// use lambdasim::{Duration, FunctionConfig, Instant, Invoked, Outcome, Region, RegionConfig, RegionStorage, StartKind};
///
/// // 64 environment and 4 function slots, lent (no heap needed).
/// let mut storage = Box::new(RegionStorage::<64, 4>::new());
/// let mut region = Region::new_in(RegionConfig::default(), &mut storage)?;
/// let f = region.create_function(Instant::ZERO, &FunctionConfig::default())?;
/// let Invoked::Started(first) = region.invoke(Instant::ZERO, f)? else { unreachable!() };
/// assert_eq!(first.start, StartKind::FullCold);
/// region.finish(first.ready_at.saturating_add(Duration::from_millis(100)), first.invocation, Outcome::Success)?;
///
/// let Invoked::Started(second) = region.invoke(Instant::from_secs(2), f)? else { unreachable!() };
/// assert_eq!((second.start, second.env), (StartKind::Warm, first.env));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Region<'a> {
    config: RegionConfig,
    now: Instant,
    ledger: Ledger,
    request_rate: Option<TokenBucket>,
    legacy_scaling: Option<TokenBucket>,
    functions: Table<'a, FunctionSlot>,
    envs: Table<'a, EnvSlot>,
    free_head: u32,
    env_timers: TimerWheel<'a>,
    fn_timers: TimerHeap<'a>,
    /// Per function, the expiry of its oldest idle on-demand environment
    /// (the tail of its idle list, which is ordered by expiry).
    idle_timers: TimerHeap<'a>,
    timer_seq: u64,
    /// The last time something other than provisioned recycling changed
    /// the environments (an operation or another time-driven event):
    /// recycling is periodic only some time after it.
    quiet_since: Instant,
    live: u32,
    /// A configuration change left unreserved in use above the pool.
    unreserved_draining: bool,
    /// The counters of deleted functions (the region's are these plus
    /// its functions', summed when asked: nothing region-wide per request).
    retired_stats: Stats,
    /// The usage of deleted functions (the region's is this plus its
    /// functions', summed when asked: nothing region-wide per invocation).
    retired_meter: Meter,
    /// A usage total overflowed: bills are refused rather than wrong.
    meter_overflow: bool,
    occupancy: Tally,
    /// Where the region emits its CloudWatch metrics, if attached.
    metrics: Option<metrics::Metrics<'a>>,
    /// Where asynchronous events wait, if attached.
    async_queue: Option<AsyncQueue<'a>>,
    /// The order (deadline, sequence) of its first timer, `u128::MAX` for
    /// none: `advance` merges it without looking into the queue.
    async_first: u128,
}

#[cfg(feature = "alloc")]
impl Region<'static> {
    /// A region with owned tables of the default [`Capacity`] (4096
    /// environments, 64 functions), grown on demand.
    ///
    /// # Errors
    /// As [`Region::new_in`].
    pub fn new(config: RegionConfig) -> Result<Self, ConfigError> {
        Self::with_capacity(config, Capacity::DEFAULT)
    }

    /// A region with owned tables that start small and grow by doubling,
    /// when an environment or function needs a slot, up to `capacity`.
    ///
    /// # Errors
    /// [`ConfigError::InvalidCapacity`] for a capacity outside
    /// `1..=`[`Capacity::MAX`]; otherwise as [`Region::new_in`].
    pub fn with_capacity(config: RegionConfig, capacity: Capacity) -> Result<Self, ConfigError> {
        if !capacity.is_valid() {
            return Err(ConfigError::InvalidCapacity);
        }
        Region::from_parts(config, storage::owned_parts(capacity))
    }
}

impl<'a> Region<'a> {
    /// A region with no functions, its clock at [`Instant::ZERO`], working
    /// in `storage` (whatever it held is reset).
    ///
    /// # Errors
    /// [`ConfigError::AccountLimitTooLow`] or [`ConfigError::InvalidSetting`]
    /// for a configuration [`RegionConfig::validate`] rejects.
    pub fn new_in<const ENVS: usize, const FUNCTIONS: usize>(
        config: RegionConfig,
        storage: &'a mut RegionStorage<ENVS, FUNCTIONS>,
    ) -> Result<Self, ConfigError> {
        Region::from_parts(config, storage.parts())
    }

    fn from_parts(config: RegionConfig, parts: storage::Parts<'a>) -> Result<Self, ConfigError> {
        config.validate()?;
        let now = Instant::ZERO;
        let ledger = Ledger::new(config.account_limit, config.unreserved_min)?;
        let request_rate = match config.request_rate_per_limit {
            0 => None,
            k => {
                let per_second = u64::from(config.account_limit).saturating_mul(u64::from(k));
                Some(TokenBucket::new(per_second, per_second, Duration::from_secs(1), now)?)
            }
        };
        let legacy_scaling = match config.scaling {
            ScalingRule::PerFunction => None,
            ScalingRule::LegacyAccount { burst } => Some(TokenBucket::new(
                u64::from(burst),
                u64::from(ScalingRule::LEGACY_PER_MINUTE),
                Duration::from_mins(1),
                now,
            )?),
        };
        let far = TimerHeap::new(parts.env_far, parts.env_far_pos);
        Ok(Region {
            config,
            now,
            ledger,
            request_rate,
            legacy_scaling,
            functions: Table::new(parts.functions),
            envs: Table::new(parts.envs),
            free_head: NIL,
            env_timers: TimerWheel::new(parts.env_nodes, parts.env_buckets, far),
            fn_timers: TimerHeap::new(parts.fn_heap, parts.fn_pos),
            idle_timers: TimerHeap::new(parts.idle_heap, parts.idle_pos),
            timer_seq: 0,
            quiet_since: now,
            live: 0,
            unreserved_draining: false,
            retired_stats: Stats::default(),
            retired_meter: Meter::new(),
            meter_overflow: false,
            occupancy: Tally::default(),
            metrics: None,
            async_queue: None,
            async_first: u128::MAX,
        })
    }

    /// The most environments and functions this region can hold (its
    /// storage's capacity: an owned table may not have grown to it yet).
    pub fn capacity(&self) -> Capacity {
        Capacity { envs: self.envs.max_len(), functions: self.functions.max_len() }
    }

    /// The region's configuration.
    pub const fn config(&self) -> &RegionConfig {
        &self.config
    }

    /// The region's clock: the latest `now` it was given.
    pub const fn now(&self) -> Instant {
        self.now
    }

    /// When the next time-driven event is due, if any. Call
    /// [`Region::advance`] with it (or any later operation) to apply it.
    pub fn next_deadline(&self) -> Option<Instant> {
        [self.env_timers.peek(), self.fn_timers.peek(), self.idle_timers.peek(), self.async_timer_peek()]
            .into_iter()
            .flatten()
            .map(|t| t.at)
            .min()
    }

    /// Region-wide counters: those of every function, deleted ones
    /// included. O(functions).
    pub fn stats(&self) -> Stats {
        self.functions.iter().filter(|f| f.in_use).fold(self.retired_stats, |mut total, f| {
            total.add(&f.stats);
            total
        })
    }

    /// One function's counters, or `None` for an unknown or stale handle.
    pub fn function_stats(&self, f: FunctionId) -> Option<&Stats> {
        self.function(f).map(|s| &s.stats)
    }

    /// One function's configuration, or `None` for an unknown or stale handle.
    pub fn function_config(&self, f: FunctionId) -> Option<&FunctionConfig> {
        self.function(f).map(|s| &s.config)
    }

    /// One function's concurrency (busy environments, cold-starting ones
    /// included), or `None` for an unknown or stale handle. O(1).
    pub fn function_busy(&self, f: FunctionId) -> Option<u32> {
        self.function(f).map(|s| s.attached)
    }

    /// One function's environment counts, or `None` for an unknown or stale handle.
    pub fn function_counts(&self, f: FunctionId) -> Option<FunctionCounts> {
        let s = self.function(f)?;
        let c = &s.states;
        Some(FunctionCounts {
            busy: s.attached,
            busy_provisioned: s.attached_pc,
            idle: c.get(EnvState::Idle),
            idle_provisioned: s.idle_pc.len,
            creating: c.get(EnvState::Creating),
            initializing: c.get(EnvState::Initializing),
            live: c.live(),
            shutting_down: c.get(EnvState::ShuttingDown),
            provisioned: s.config.provisioned,
            provisioned_allocated: s.pc.allocated,
            provisioned_status: s.pc.status,
            reserved: s.config.reserved,
        })
    }

    /// Live and busy environments of the region integrated up to its clock,
    /// with peaks.
    pub fn occupancy(&self) -> Occupancy {
        self.occupancy.at(self.now)
    }

    /// One function's occupancy up to the region's clock, or `None` for an
    /// unknown or stale handle.
    pub fn function_occupancy(&self, f: FunctionId) -> Option<Occupancy> {
        self.function(f).map(|s| s.occupancy.at(self.now))
    }

    /// The most busy environments (region-wide) since the last call, and
    /// starts a new window at the current busy count (CloudWatch's
    /// per-period `Max` of `ConcurrentExecutions`).
    pub fn take_busy_window_peak(&mut self) -> u32 {
        let peak = self.occupancy.window_peak;
        self.occupancy.window_peak = self.occupancy.busy();
        for f in self.functions.iter_mut() {
            f.occupancy.window_peak = f.occupancy.busy();
        }
        peak
    }

    /// Busy environments in the account (`ConcurrentExecutions`).
    pub const fn busy(&self) -> u64 {
        self.ledger.busy_total()
    }

    /// Live environments in the account (not shutting down or terminated).
    pub const fn live(&self) -> u32 {
        self.live
    }

    /// Busy on-demand environments of functions without RC
    /// (`UnreservedConcurrentExecutions`).
    pub const fn unreserved_in_use(&self) -> u64 {
        self.ledger.unreserved_in_use()
    }

    /// The unreserved pool: `limit − ΣRC − ΣPC(functions without RC)`.
    pub const fn unreserved_pool(&self) -> u64 {
        self.ledger.unreserved_pool()
    }

    /// Claimed account concurrency (`ClaimedAccountConcurrency`):
    /// unreserved in use + ΣRC + ΣPC(functions without RC).
    pub const fn claimed_concurrency(&self) -> u64 {
        self.ledger.claimed()
    }

    /// The state of an environment, or `None` for an unknown or stale handle.
    pub fn env_state(&self, e: EnvId) -> Option<EnvState> {
        let slot = self.envs.get(e.index as usize)?;
        (slot.generation == e.generation && slot.env.state() != EnvState::Terminated).then_some(slot.env.state())
    }

    /// The function an environment belongs to, or `None` for an unknown or stale handle.
    pub fn env_function(&self, e: EnvId) -> Option<FunctionId> {
        self.env_state(e)?;
        let slot = self.envs.get(e.index as usize)?;
        let f = self.functions.get(slot.function as usize)?;
        Some(FunctionId { index: slot.function, generation: f.generation })
    }

    fn function(&self, f: FunctionId) -> Option<&FunctionSlot> {
        self.functions.get(f.index as usize).filter(|s| s.in_use && s.generation == f.generation)
    }

    fn function_index(&self, f: FunctionId) -> Option<u32> {
        self.function(f).map(|_| f.index)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_async;
#[cfg(test)]
mod tests_deploy;
#[cfg(test)]
mod tests_metrics;
#[cfg(test)]
mod tests_provisioned;
