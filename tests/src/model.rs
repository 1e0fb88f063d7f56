//! A model harness: applies operations to a [`Region`] and checks, after
//! every operation, the eight invariants of docs/model.md §2 against its own
//! bookkeeping of what is running.
//!
//! - 1–4 and 7: [`Region::check_invariants`], plus Σ busy ≤ account limit.
//! - 2: a function with RC never *starts* an invocation that takes its busy
//!   count past RC.
//! - 3: no start of an on-demand invocation of a function without RC takes
//!   unreserved in use past the unreserved pool.
//! - 5: a function with RC is never throttled for concurrency while its busy
//!   count is below RC — except in the one situation docs/model.md's own rules
//!   produce it: the account was over-committed by a configuration change
//!   under load, and decision step 4 (account limit) throttles it. Those are
//!   counted in [`Coverage::inv5_overcommitted`] (see the crate report).
//! - 4 from outside: busy provisioned environments never exceed the
//!   allocated ones (those released by a lower allocation while busy count
//!   as on-demand), and claimed concurrency never falls below busy unless
//!   RC was lowered under load.
//! - Provisioned allocation: a change that keeps the provisioned value (RC,
//!   PC put again at its value) moves no deadline and no count; a request
//!   never goes past an idle provisioned environment that served before and
//!   was not released since (also while a raise is in progress, and after
//!   it recycled).
//! - 6: new environments (full cold starts) in any window of length w ≤
//!   burst + rate × w: per function 1000 + 100/s (current rule), account-wide
//!   burst + 500/min (legacy rule).
//! - 8: the busy count of every function equals the number of invocations
//!   the harness started and has not seen end (finished by it, or past their
//!   function timeout), checked after every operation; [`Harness::drain`]
//!   ends everything and checks every busy count is zero.
//!
//! - Asynchronous events: every accepted event is exactly one of queued,
//!   running, succeeded or dropped (the region's recount in
//!   `check_invariants`, and its counters against the harness's count of
//!   accepted events), its attempts are in each function's busy count, and
//!   the async metrics equal the counters.
//!
//! Besides the invariants it predicts the answer of every operation it can:
//! start kinds' init and ready times, finish results (`NotReady`, `TimedOut`,
//! `UnknownInvocation`, durations), configuration errors, `FunctionBusy`.

use lambdasim::metrics::{Metric, MetricStore, StoreConfig};
use lambdasim::region::{AsyncConfig, AsyncError, AsyncInvoke, AsyncQueue, DeliveryTarget};
use lambdasim::{
    Capacity, ColdStartProfile, ConfigError, EnvId, EnvState, FinishError, FunctionConfig, FunctionCounts, FunctionId,
    Handler, Instant, InvocationId, InvokeError, Invoked, Outcome, Region, RegionConfig, Rng, ScalingRule, StartKind,
    Started, ThrottleReason,
};
use std::collections::HashMap;

/// Whether generated operations may give a partial cold start an init at
/// least as long as the function timeout (the region then ends the
/// invocation at its timeout, inside the init: see
/// `tests/vectors/partial-cold-timeout.json`). `false` clamps init times
/// below the timeout.
pub const PARTIAL_INIT_MAY_EXCEED_TIMEOUT: bool = true;

/// The on-demand init limit (docs/model.md §1): past it, init is cut and retried
/// inside the invoke.
const ON_DEMAND_INIT_LIMIT_US: u64 = 10_000_000;

/// Scaling-rule history kept per scope for the invariant 6 window check.
const HISTORY: usize = 4_096;

/// A function configuration as generated (converted to [`FunctionConfig`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnSpec {
    /// Memory, MB (may be invalid on purpose).
    pub memory_mb: u32,
    /// Timeout, ms (may be invalid on purpose).
    pub timeout_ms: u32,
    /// Reserved concurrency.
    pub reserved: Option<u32>,
    /// Provisioned concurrency.
    pub provisioned: u32,
    /// Sandbox start, µs.
    pub sandbox_us: u64,
    /// Package size, MB (download 1 ms/MB).
    pub package_mb: u32,
    /// Init, µs.
    pub init_us: u64,
}

impl FnSpec {
    /// The configuration the harness passes to the region (init clamped
    /// below the timeout unless [`PARTIAL_INIT_MAY_EXCEED_TIMEOUT`]).
    pub fn config(&self) -> FunctionConfig {
        FunctionConfig {
            memory_mb: self.memory_mb,
            timeout_ms: self.timeout_ms,
            reserved: self.reserved,
            provisioned: self.provisioned,
            cold_start: ColdStartProfile {
                sandbox_us: self.sandbox_us,
                download_us_per_mb: 1_000,
                package_mb: self.package_mb,
                init_us: clamp_init(self.init_us, self.timeout_ms),
            },
            ..FunctionConfig::default()
        }
    }
}

fn clamp_init(init_us: u64, timeout_ms: u32) -> u64 {
    let timeout_us = u64::from(timeout_ms) * 1_000;
    if PARTIAL_INIT_MAY_EXCEED_TIMEOUT || init_us.min(ON_DEMAND_INIT_LIMIT_US) < timeout_us || timeout_us == 0 {
        init_us
    } else {
        timeout_us - 1
    }
}

/// One operation. Function and invocation operands are indices taken
/// modulo what exists, so every generated sequence is applicable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Create a function.
    CreateFunction(FnSpec),
    /// Invoke function `f`, optionally with an init override.
    Invoke {
        /// Function index.
        f: usize,
        /// Init override, µs.
        init_us: Option<u64>,
    },
    /// Invoke function `f` with a handler the region ends by itself
    /// ([`Region::invoke_for`]).
    InvokeFor {
        /// Function index.
        f: usize,
        /// Init override, µs.
        init_us: Option<u64>,
        /// The handler's run time, µs.
        handler_us: u64,
        /// How the handler ends.
        outcome: Outcome,
    },
    /// `count` invokes of `f` at one instant.
    InvokeMany {
        /// Function index.
        f: usize,
        /// How many.
        count: u32,
    },
    /// Finish one open invocation.
    Finish {
        /// Invocation index.
        which: usize,
        /// How it ends.
        outcome: Outcome,
    },
    /// Finish an invocation that already ended (must be `UnknownInvocation`
    /// or `TimedOut`).
    FinishStale {
        /// Index into the ended invocations.
        which: usize,
    },
    /// Finish every open invocation successfully.
    FinishAll,
    /// Only let time pass.
    Advance,
    /// Jump to the region's next deadline (or `back_us` before it).
    AdvanceToDeadline {
        /// Stop this many µs before the deadline (0: exactly at it).
        back_us: u64,
    },
    /// Set or remove RC (`Some(n)` is taken modulo limit + 1).
    PutReserved {
        /// Function index.
        f: usize,
        /// New RC.
        reserved: Option<u32>,
    },
    /// Set PC.
    PutProvisioned {
        /// Function index.
        f: usize,
        /// New PC.
        provisioned: u32,
    },
    /// Replace a function's configuration.
    UpdateFunction {
        /// Function index.
        f: usize,
        /// New configuration.
        spec: FnSpec,
    },
    /// Delete a function.
    DeleteFunction {
        /// Function index.
        f: usize,
    },
    /// An asynchronous invoke of `f` ([`Region::invoke_async`]).
    InvokeAsync {
        /// Function index.
        f: usize,
        /// Each attempt's handler time, µs.
        handler_us: u64,
        /// How a failing attempt ends.
        outcome: Outcome,
        /// How many leading attempts fail.
        failing_attempts: u8,
        /// How many such events, at one instant.
        count: u8,
    },
    /// Set `f`'s asynchronous settings (out-of-range values included: they
    /// must be refused, naming the field).
    PutAsyncConfig {
        /// Function index.
        f: usize,
        /// `MaximumRetryAttempts` (valid 0..=2).
        max_retry_attempts: u8,
        /// `MaximumEventAgeInSeconds` (valid 60..=21600).
        max_event_age_s: u64,
        /// Dead-letter queue, on-failure and on-success targets
        /// (`DeliveryTarget as u8`, taken modulo 3).
        targets: [u8; 3],
    },
}

/// An operation and the time that passes before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// µs since the previous step.
    pub dt_us: u64,
    /// What to do.
    pub op: Op,
}

/// What a run exercised (to show the generators reach the interesting cases).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Operations applied.
    pub ops: u64,
    /// Starts by kind (Warm, Provisioned, PartialCold, FullCold).
    pub starts: [u64; 4],
    /// Throttles by reason (`ThrottleReason as usize`).
    pub throttles: [u64; ThrottleReason::COUNT],
    /// Invocations ended by the region at their scheduled end.
    pub scheduled_ends: u64,
    /// Finishes that succeeded.
    pub finished: u64,
    /// Finishes answered `NotReady`.
    pub not_ready: u64,
    /// Finishes answered `TimedOut`.
    pub timed_out: u64,
    /// Cold starts that failed because the invocation failed during init.
    pub init_aborted: u64,
    /// Configuration operations rejected (as predicted).
    pub config_rejected: u64,
    /// Configuration operations accepted.
    pub config_accepted: u64,
    /// Deletes refused with `FunctionBusy`.
    pub delete_busy: u64,
    /// Functions deleted.
    pub deleted: u64,
    /// Invariant 5 situations excused because the account was
    /// over-committed by a configuration change under load.
    pub inv5_overcommitted: u64,
    /// Largest busy count seen.
    pub max_busy: u64,
    /// Asynchronous events accepted.
    pub async_received: u64,
    /// Asynchronous events refused: queue full.
    pub async_rejected: u64,
    /// Of the accepted events: succeeded, dropped (and of those expired),
    /// and attempts sent back to the queue (throttled).
    pub async_succeeded: u64,
    /// See `async_succeeded`.
    pub async_dropped: u64,
    /// See `async_succeeded`.
    pub async_expired: u64,
    /// See `async_succeeded`.
    pub async_requeued: u64,
}

impl Coverage {
    /// Adds another run's coverage.
    pub fn add(&mut self, o: &Coverage) {
        self.ops += o.ops;
        for (sum, n) in self.starts.iter_mut().zip(o.starts) {
            *sum += n;
        }
        for (sum, n) in self.throttles.iter_mut().zip(o.throttles) {
            *sum += n;
        }
        self.scheduled_ends += o.scheduled_ends;
        self.finished += o.finished;
        self.not_ready += o.not_ready;
        self.timed_out += o.timed_out;
        self.init_aborted += o.init_aborted;
        self.config_rejected += o.config_rejected;
        self.config_accepted += o.config_accepted;
        self.delete_busy += o.delete_busy;
        self.deleted += o.deleted;
        self.inv5_overcommitted += o.inv5_overcommitted;
        self.max_busy = self.max_busy.max(o.max_busy);
        self.async_received += o.async_received;
        self.async_rejected += o.async_rejected;
        self.async_succeeded += o.async_succeeded;
        self.async_dropped += o.async_dropped;
        self.async_expired += o.async_expired;
        self.async_requeued += o.async_requeued;
    }
}

struct FnModel {
    id: FunctionId,
    deleted: bool,
    /// Times of its full cold starts (current scaling rule).
    cold: Vec<u64>,
    /// It received asynchronous events: their attempts reuse its
    /// environments, which the harness does not follow, so a stale finish
    /// may find the environment's sequence moved on.
    async_used: bool,
    /// Provisioned environments seen serving since the allocation was last
    /// lowered or replaced: they serve until released, also while a raise
    /// is in progress and after recycling (a request never skips one that
    /// is idle).
    serving: Vec<EnvId>,
}

#[derive(Clone, Copy, Debug)]
struct Open {
    inv: InvocationId,
    f: usize,
    kind: StartKind,
    ready_at: u64,
    /// When the region ends it by itself: its timeout, or a scheduled end before it.
    ends_at: u64,
    /// Whether that end is its timeout (a later finish answers `TimedOut`).
    by_timeout: bool,
    /// When it started, and in which operation: an end due at its start is
    /// applied by the region's next call, not by the invoke itself.
    started_us: u64,
    started_op: u64,
}

impl Open {
    /// Whether the region has ended it by itself by `now`, after `ops` operations.
    fn ended_by_region(&self, now: u64, ops: u64) -> bool {
        self.ends_at <= now && (self.ends_at > self.started_us || ops > self.started_op)
    }
}

type Res = Result<(), String>;

/// Slots of the harness's asynchronous event queue: small, so it fills.
pub const ASYNC_EVENTS: usize = 4;

/// Drives a region through [`Step`]s, checking after every one.
pub struct Harness<const E: usize, const F: usize> {
    region: Box<Region<'static>>,
    config: RegionConfig,
    now: u64,
    functions: Vec<FnModel>,
    open: Vec<Open>,
    /// Invocations that ended (finished or timed out), most recent last.
    ended: Vec<Open>,
    /// The sequence number of each environment's latest invocation.
    env_seq: HashMap<EnvId, u32>,
    /// Full cold starts, account-wide (legacy scaling rule).
    account_cold: Vec<u64>,
    coverage: Coverage,
}

impl<const E: usize, const F: usize> Harness<E, F> {
    /// A harness over a new region (build it on a big stack: see
    /// [`crate::with_big_stack`]).
    ///
    /// # Errors
    /// The region rejected the configuration.
    pub fn new(config: RegionConfig) -> Result<Self, String> {
        let mut region = Region::with_capacity(config, Capacity { envs: E, functions: F })
            .map_err(|e| format!("region config rejected: {e:?}"))?;
        // Every case also checks the CloudWatch metrics the region emits.
        let functions = u32::try_from(F).map_err(|_| "too many functions".to_string())?;
        let store = MetricStore::owned(StoreConfig { functions, ..StoreConfig::default() }, 8, 2)
            .map_err(|e| format!("metric store: {e:?}"))?;
        region.attach_metrics(store).map_err(|e| format!("attach_metrics: {e:?}"))?;
        let queue = AsyncQueue::with_capacity(ASYNC_EVENTS).map_err(|e| format!("async queue: {e:?}"))?;
        region.attach_async_queue(queue).map_err(|e| format!("attach_async_queue: {e:?}"))?;
        Ok(Harness {
            region: Box::new(region),
            config,
            now: 0,
            functions: Vec::new(),
            open: Vec::new(),
            ended: Vec::new(),
            env_seq: HashMap::new(),
            account_cold: Vec::new(),
            coverage: Coverage::default(),
        })
    }

    /// The region under test.
    pub fn region(&self) -> &Region<'static> {
        &self.region
    }

    /// What the run exercised so far.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }

    /// The harness clock, µs.
    pub fn now_us(&self) -> u64 {
        self.now
    }

    /// Applies one step and checks every invariant.
    ///
    /// # Errors
    /// A description of the first broken invariant or wrong answer.
    pub fn apply(&mut self, step: &Step) -> Res {
        self.now = self.now.saturating_add(step.dt_us);
        self.coverage.ops += 1;
        self.apply_op(&step.op)
            .and_then(|()| self.check_all())
            .map_err(|e| format!("at t = {} us, after {:?}: {e}", self.now, step.op))
    }

    /// Ends every invocation (finishing the running ones at their ready
    /// time or later), lets an hour pass, and checks invariant 8: every busy
    /// count is zero.
    ///
    /// # Errors
    /// A description of what is still busy.
    pub fn drain(&mut self) -> Res {
        let ops = self.coverage.ops;
        let running = self.open.iter().filter(|o| !o.ended_by_region(self.now, ops)).map(|o| o.ready_at).max();
        if let Some(t) = running {
            self.now = self.now.max(t);
        }
        self.coverage.ops += 1;
        self.apply_op(&Op::FinishAll).and_then(|()| self.check_all()).map_err(|e| format!("drain: {e}"))?;
        self.now += 3_600_000_000;
        self.advance()?;
        if !self.region.async_queue().is_some_and(AsyncQueue::is_empty) {
            // Queued events settle within their maximum age (6 h at most)
            // plus a last attempt (15 min at most).
            self.now += 7 * 3_600_000_000;
            self.advance()?;
        }
        self.check_all().map_err(|e| format!("drain: {e}"))?;
        let r = &self.region;
        if r.busy() != 0 || r.unreserved_in_use() != 0 {
            return Err(format!(
                "invariant 8: every invocation completed, but busy = {}, unreserved in use = {}",
                r.busy(),
                r.unreserved_in_use()
            ));
        }
        for (i, fm) in self.functions.iter().enumerate().filter(|(_, f)| !f.deleted) {
            let c = r.function_counts(fm.id).ok_or_else(|| format!("function {i} vanished"))?;
            if c.busy != 0 || c.busy_provisioned != 0 {
                return Err(format!("invariant 8: every invocation completed, but function {i} has {c:?}"));
            }
        }
        Ok(())
    }

    fn at(&self) -> Instant {
        Instant::from_micros(self.now)
    }

    fn advance(&mut self) -> Res {
        let at = self.at();
        self.region.advance(at).map_err(|e| format!("advance failed: {e:?}"))
    }

    fn pick_function(&self, f: usize) -> Option<usize> {
        (!self.functions.is_empty()).then(|| f % self.functions.len())
    }

    fn apply_op(&mut self, op: &Op) -> Res {
        match op {
            Op::CreateFunction(spec) => self.create(spec),
            Op::Invoke { f, init_us } => match self.pick_function(*f) {
                Some(fi) => self.invoke(fi, *init_us, None),
                None => self.advance(),
            },
            Op::InvokeFor { f, init_us, handler_us, outcome } => match self.pick_function(*f) {
                Some(fi) => {
                    let handler =
                        Handler { duration: lambdasim::Duration::from_micros(*handler_us), outcome: *outcome };
                    self.invoke(fi, *init_us, Some(handler))
                }
                None => self.advance(),
            },
            Op::InvokeMany { f, count } => match self.pick_function(*f) {
                Some(fi) => (0..*count).try_for_each(|_| self.invoke(fi, None, None)),
                None => self.advance(),
            },
            Op::Finish { which, outcome } => {
                if self.open.is_empty() {
                    return self.advance();
                }
                let i = which % self.open.len();
                self.finish(i, *outcome)
            }
            Op::FinishStale { which } => self.finish_stale(*which),
            Op::FinishAll => {
                self.advance()?;
                let mut i = 0;
                while i < self.open.len() {
                    let before = self.open.len();
                    self.finish(i, Outcome::Success)?;
                    if self.open.len() == before {
                        i += 1; // NotReady: stays open
                    }
                }
                Ok(())
            }
            Op::Advance => self.advance(),
            Op::AdvanceToDeadline { back_us } => {
                if let Some(d) = self.region.next_deadline() {
                    let target = d.as_micros().saturating_sub(*back_us);
                    self.now = self.now.max(target);
                }
                self.advance()
            }
            Op::PutReserved { f, reserved } => match self.pick_function(*f) {
                Some(fi) => {
                    let reserved = reserved.map(|n| n % (self.config.account_limit + 1));
                    self.configure(
                        fi,
                        |h, id| h.region.put_reserved(h.at(), id, reserved),
                        |_, c| (reserved, c.provisioned, None),
                    )
                }
                None => self.advance(),
            },
            Op::PutProvisioned { f, provisioned } => match self.pick_function(*f) {
                Some(fi) => {
                    let pc = *provisioned;
                    self.configure(fi, |h, id| h.region.put_provisioned(h.at(), id, pc), |_, c| (c.reserved, pc, None))
                }
                None => self.advance(),
            },
            Op::UpdateFunction { f, spec } => match self.pick_function(*f) {
                Some(fi) => {
                    let config = spec.config();
                    self.configure(
                        fi,
                        |h, id| h.region.update_function(h.at(), id, &config),
                        |_, _| (config.reserved, config.provisioned, Some(config)),
                    )
                }
                None => self.advance(),
            },
            Op::DeleteFunction { f } => match self.pick_function(*f) {
                Some(fi) => self.delete(fi),
                None => self.advance(),
            },
            Op::InvokeAsync { f, handler_us, outcome, failing_attempts, count } => match self.pick_function(*f) {
                Some(fi) => {
                    let handler =
                        Handler { duration: lambdasim::Duration::from_micros(*handler_us), outcome: *outcome };
                    let invoke = AsyncInvoke { handler, failing_attempts: *failing_attempts };
                    (0..*count).try_for_each(|_| self.invoke_async(fi, invoke))
                }
                None => self.advance(),
            },
            Op::PutAsyncConfig { f, max_retry_attempts, max_event_age_s, targets } => match self.pick_function(*f) {
                Some(fi) => {
                    let target = |k: usize| match targets[k] % 3 {
                        0 => DeliveryTarget::None,
                        1 => DeliveryTarget::Available,
                        _ => DeliveryTarget::Failing,
                    };
                    let config = AsyncConfig {
                        max_retry_attempts: *max_retry_attempts,
                        max_event_age: lambdasim::Duration::from_secs(*max_event_age_s),
                        dead_letter_queue: target(0),
                        on_failure: target(1),
                        on_success: target(2),
                    };
                    self.put_async_config(fi, &config)
                }
                None => self.advance(),
            },
        }
    }

    // --- asynchronous invocation -------------------------------------------

    fn invoke_async(&mut self, fi: usize, invoke: AsyncInvoke) -> Res {
        let fm = &self.functions[fi];
        let (id, deleted) = (fm.id, fm.deleted);
        let before = self.region.async_stats();
        let r = self.region.invoke_async(self.at(), id, invoke);
        let after = self.region.async_stats();
        match (deleted, r) {
            (true, Err(AsyncError::UnknownFunction)) => Ok(()),
            (false, Ok(e)) => {
                self.coverage.async_received += 1;
                self.functions[fi].async_used = true;
                if after.received != before.received + 1 || self.region.async_event(e).is_none() {
                    return Err(format!("accepted event {e:?} not counted: {before:?} -> {after:?}"));
                }
                Ok(())
            }
            (false, Err(AsyncError::QueueFull)) => {
                self.coverage.async_rejected += 1;
                let held = after.queued + after.running;
                if held != ASYNC_EVENTS as u64 || after.rejected != before.rejected + 1 {
                    return Err(format!("QueueFull with {held} of {ASYNC_EVENTS} events held ({after:?})"));
                }
                Ok(())
            }
            (deleted, r) => Err(format!("invoke_async answered {r:?} (function deleted: {deleted})")),
        }
    }

    fn put_async_config(&mut self, fi: usize, config: &AsyncConfig) -> Res {
        let fm = &self.functions[fi];
        let (id, deleted) = (fm.id, fm.deleted);
        let age_s = config.max_event_age.as_micros() / 1_000_000;
        // The settings are checked before the function, as a new function's are.
        let want = if config.max_retry_attempts > 2 {
            Err(ConfigError::MaximumRetryAttemptsOutOfRange)
        } else if !(60..=21_600).contains(&age_s) {
            Err(ConfigError::MaximumEventAgeOutOfRange)
        } else if deleted {
            Err(ConfigError::UnknownFunction)
        } else {
            Ok(())
        };
        let r = self.region.put_function_async_config(id, config);
        if r != want {
            return Err(format!("put_function_async_config({config:?}) answered {r:?}, expected {want:?}"));
        }
        if r.is_ok() && self.region.function_async_config(id) != Some(config) {
            return Err("put_function_async_config accepted but not applied".into());
        }
        self.advance()
    }

    /// Function `fi`'s asynchronous attempts running now.
    fn async_running(&self, fi: usize) -> u32 {
        let fm = &self.functions[fi];
        if fm.deleted {
            return 0;
        }
        self.region.function_async_stats(fm.id).map_or(0, |s| s.running as u32)
    }

    // --- configuration -----------------------------------------------------

    /// The errors a configuration change may be answered with (empty: it
    /// must succeed). `target`: the function changed (`None`: a new one).
    fn config_errors(
        &self,
        target: Option<usize>,
        reserved: Option<u32>,
        provisioned: u32,
        validate: Option<&FunctionConfig>,
    ) -> Vec<ConfigError> {
        let mut errs = Vec::new();
        if let Some(c) = validate {
            if c.memory_mb < 128 {
                errs.push(ConfigError::MemoryBelowMinimum);
            }
            if c.memory_mb > 10_240 {
                errs.push(ConfigError::MemoryAboveMaximum);
            }
            if c.timeout_ms == 0 || c.timeout_ms > 900_000 {
                errs.push(ConfigError::TimeoutOutOfRange);
            }
            if c.cold_start.package_mb > 10_240 {
                errs.push(ConfigError::PackageTooLarge);
            }
        }
        if reserved.is_some_and(|rc| provisioned > rc) {
            errs.push(ConfigError::ProvisionedExceedsReserved);
        }
        // docs/model.md §2: unreserved = limit − ΣRC − ΣPC(functions without RC) ≥ minimum.
        let contribution = |rc: Option<u32>, pc: u32| i64::from(rc.unwrap_or(pc));
        let mut claimed = contribution(reserved, provisioned);
        for (i, fm) in self.functions.iter().enumerate() {
            if fm.deleted || Some(i) == target {
                continue;
            }
            if let Some(c) = self.region.function_config(fm.id) {
                claimed += contribution(c.reserved, c.provisioned);
            }
        }
        if i64::from(self.config.account_limit) - claimed < i64::from(self.config.unreserved_min) {
            errs.push(ConfigError::UnreservedBelowMinimum);
        }
        errs
    }

    fn create(&mut self, spec: &FnSpec) -> Res {
        let config = spec.config();
        let mut errs = self.config_errors(None, config.reserved, config.provisioned, Some(&config));
        let live = self.functions.iter().filter(|f| !f.deleted).count();
        if errs.is_empty() && live >= F {
            errs.push(ConfigError::CapacityExceeded);
        }
        match self.region.create_function(self.at(), &config) {
            Ok(id) if errs.is_empty() => {
                self.coverage.config_accepted += 1;
                self.functions.push(FnModel {
                    id,
                    deleted: false,
                    cold: Vec::new(),
                    async_used: false,
                    serving: Vec::new(),
                });
                Ok(())
            }
            Ok(_) => Err(format!("create_function accepted, expected one of {errs:?}")),
            Err(e) if errs.contains(&e) => {
                self.coverage.config_rejected += 1;
                Ok(())
            }
            Err(e) => Err(format!("create_function answered {e:?}, expected {}", expected(&errs))),
        }
    }

    fn configure(
        &mut self,
        fi: usize,
        call: impl FnOnce(&mut Self, FunctionId) -> Result<(), ConfigError>,
        new: impl FnOnce(&Self, &FunctionConfig) -> (Option<u32>, u32, Option<FunctionConfig>),
    ) -> Res {
        // Due events first, so what the change itself does can be seen.
        self.advance()?;
        let fm = &self.functions[fi];
        let id = fm.id;
        // Everything but the reserved value itself.
        let pc_view = |h: &Self| {
            (h.region.next_deadline(), h.region.function_counts(id).map(|c| FunctionCounts { reserved: None, ..c }))
        };
        let before = pc_view(self);
        let mut keeps_allocation = false;
        let mut lowers = false;
        let errs = if fm.deleted {
            vec![ConfigError::UnknownFunction]
        } else {
            let current = *self.region.function_config(id).ok_or("a live function has no config")?;
            let (rc, pc, validate) = new(self, &current);
            // Anything but RC and PC is a new version: its PC is allocated again.
            let code_changed = validate.is_some_and(|c| {
                FunctionConfig { reserved: current.reserved, provisioned: current.provisioned, ..c } != current
            });
            keeps_allocation = pc == current.provisioned && !code_changed;
            lowers = pc < current.provisioned || code_changed;
            self.config_errors(Some(fi), rc, pc, validate.as_ref())
        };
        match call(self, id) {
            Ok(()) if errs.is_empty() => {
                self.coverage.config_accepted += 1;
                if lowers {
                    self.functions[fi].serving.clear();
                }
                // Only a change of the provisioned value (or a new version)
                // touches the allocation: no deadline, no count moves.
                let after = pc_view(self);
                if keeps_allocation && after != before {
                    return Err(format!(
                        "a change that keeps provisioned concurrency moved the allocation: \
                         (next deadline, counts) {before:?} -> {after:?}"
                    ));
                }
                Ok(())
            }
            Ok(()) => Err(format!("configuration change accepted, expected one of {errs:?}")),
            Err(e) if errs.contains(&e) => {
                self.coverage.config_rejected += 1;
                Ok(())
            }
            Err(e) => Err(format!("configuration change answered {e:?}, expected {}", expected(&errs))),
        }
    }

    fn delete(&mut self, fi: usize) -> Res {
        let fm = &self.functions[fi];
        let id = fm.id;
        let was_deleted = fm.deleted;
        // Asynchronous attempts due by now start or end first.
        self.advance()?;
        let busy = self.model_busy(fi);
        let r = self.region.delete_function(self.at(), id);
        match (was_deleted, busy, r) {
            (true, _, Err(ConfigError::UnknownFunction)) => Ok(()),
            (false, 0, Ok(())) => {
                self.coverage.deleted += 1;
                self.functions[fi].deleted = true;
                // Its invocations all ended at their timeouts; their envs are gone.
                let (gone, keep): (Vec<Open>, Vec<Open>) = self.open.iter().partition(|o| o.f == fi);
                self.open = keep;
                self.ended.extend(gone);
                Ok(())
            }
            (false, n, Err(ConfigError::FunctionBusy)) if n > 0 => {
                self.coverage.delete_busy += 1;
                Ok(())
            }
            (deleted, busy, r) => Err(format!(
                "delete_function answered {r:?} (function deleted before: {deleted}, busy in the model: {busy})"
            )),
        }
    }

    // --- invoke --------------------------------------------------------------

    fn invoke(&mut self, fi: usize, init_override: Option<u64>, handler: Option<Handler>) -> Res {
        let fm = &self.functions[fi];
        let id = fm.id;
        let deleted = fm.deleted;
        let config = self.region.function_config(id).copied();
        let init_us = match (init_override, config) {
            (Some(init), Some(c)) => Some(clamp_init(init, c.timeout_ms)),
            (init, _) => init,
        };
        let at = self.at();
        let r = match (init_us, handler) {
            (Some(init), None) => self.region.invoke_with_init(at, id, lambdasim::Duration::from_micros(init)),
            (None, None) => self.region.invoke(at, id),
            (Some(init), Some(h)) => {
                self.region.invoke_for_with_init(at, id, h, lambdasim::Duration::from_micros(init))
            }
            (None, Some(h)) => self.region.invoke_for(at, id, h),
        };
        match (deleted, r, config) {
            (true, Err(InvokeError::UnknownFunction), _) => Ok(()),
            (false, Ok(Invoked::Started(s)), Some(c)) => self.on_started(fi, &c, init_us, s, handler),
            (false, Ok(Invoked::Throttled(reason)), Some(c)) => self.on_throttled(fi, &c, reason),
            (deleted, r, _) => Err(format!("invoke answered {r:?} (function deleted: {deleted})")),
        }
    }

    fn on_started(
        &mut self,
        fi: usize,
        c: &FunctionConfig,
        init_override: Option<u64>,
        s: Started,
        handler: Option<Handler>,
    ) -> Res {
        let id = self.functions[fi].id;
        let counts = self.region.function_counts(id).ok_or("no counts for a live function")?;
        self.coverage.starts[s.start as usize] += 1;
        if s.on_provisioned {
            if !self.functions[fi].serving.contains(&s.env) {
                self.functions[fi].serving.push(s.env);
            }
        } else {
            self.no_idle_serving_env(fi, "an on-demand start")?;
        }
        // Invariant 2: a start never takes a function with RC past its RC.
        if let Some(rc) = c.reserved
            && counts.busy > rc
        {
            return Err(format!("invariant 2: a start took busy to {} > RC {rc}", counts.busy));
        }
        // Invariant 3: an on-demand start of a function without RC stays within the pool.
        if !s.on_provisioned && c.reserved.is_none() && self.region.unreserved_in_use() > self.region.unreserved_pool()
        {
            return Err(format!(
                "invariant 3: a start took unreserved in use to {} > pool {}",
                self.region.unreserved_in_use(),
                self.region.unreserved_pool()
            ));
        }
        // docs/model.md §1 start kinds: what runs before the handler.
        let init = init_override.unwrap_or(c.cold_start.init_us).min(ON_DEMAND_INIT_LIMIT_US);
        let now = self.now;
        let want_init = match s.start {
            StartKind::Warm | StartKind::Provisioned => 0,
            StartKind::PartialCold => init,
            StartKind::FullCold => c.cold_start.create().as_micros() + init,
        };
        let want_pc = match s.start {
            StartKind::Provisioned => Some(true),
            StartKind::Warm | StartKind::FullCold => Some(false),
            StartKind::PartialCold => None,
        };
        if s.init.as_micros() != want_init
            || s.ready_at.as_micros() != now + want_init
            || want_pc.is_some_and(|p| p != s.on_provisioned)
        {
            return Err(format!(
                "{} start answered {s:?}, expected init {want_init} us, ready at {}",
                s.start,
                now + want_init
            ));
        }
        // Invariant 6: new environments within the scaling rule.
        if s.start == StartKind::FullCold {
            match self.config.scaling {
                ScalingRule::LegacyAccount { burst } => {
                    window_check(&mut self.account_cold, now, u64::from(burst), 500, 60_000_000, "account (legacy)")?;
                }
                _ => {
                    let cold = &mut self.functions[fi].cold;
                    window_check(cold, now, 1_000, 100, 1_000_000, "function (current rule)")?;
                }
            }
        }
        // When the region ends it: the function timeout after the handler
        // starts (full cold), or after arrival (a partial cold start's init
        // is inside the invoke; warm and provisioned starts have no init).
        let timeout = u64::from(c.timeout_ms) * 1_000;
        let timeout_at = match s.start {
            StartKind::FullCold => s.ready_at.as_micros() + timeout,
            _ => now + timeout,
        };
        self.env_seq.insert(s.env, s.invocation.seq);
        // A scheduled end: the handler re-runs a suppressed init, then its own work.
        let scheduled =
            handler.map(|h| s.ready_at.as_micros() + s.suppressed_init.as_micros() + h.duration.as_micros());
        // A `Timeout` outcome ends it as the region's own timeout would.
        let reports_timeout = handler.is_some_and(|h| h.outcome == Outcome::Timeout);
        let (ends_at, by_timeout) = match scheduled {
            Some(end) if end < timeout_at => (end, reports_timeout),
            _ => (timeout_at, true),
        };
        let ready_at = s.ready_at.as_micros();
        let (started_us, started_op) = (now, self.coverage.ops);
        self.open.push(Open {
            inv: s.invocation,
            f: fi,
            kind: s.start,
            ready_at,
            ends_at,
            by_timeout,
            started_us,
            started_op,
        });
        Ok(())
    }

    fn on_throttled(&mut self, fi: usize, c: &FunctionConfig, reason: ThrottleReason) -> Res {
        let id = self.functions[fi].id;
        let counts = self.region.function_counts(id).ok_or("no counts for a live function")?;
        self.coverage.throttles[reason as usize] += 1;
        let r = &self.region;
        let account_full = r.busy() >= u64::from(self.config.account_limit);
        match reason {
            ThrottleReason::RequestRateExceeded if self.config.request_rate_per_limit == 0 => {
                Err("RequestRateExceeded with the request-rate limit off".into())
            }
            // The function rate applies only while provisioned concurrency is allocated.
            ThrottleReason::FunctionInvocationRateLimitExceeded
                if self.config.request_rate_per_limit == 0 || counts.provisioned_allocated == 0 =>
            {
                Err(format!(
                    "FunctionInvocationRateLimitExceeded with rate per limit {} and {} provisioned allocated",
                    self.config.request_rate_per_limit, counts.provisioned_allocated
                ))
            }
            ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded => match c.reserved {
                // Invariant 5 (and decision step 3).
                Some(rc) if counts.busy >= rc => Ok(()),
                rc => Err(format!("invariant 5: throttled by RC {rc:?} with busy {}", counts.busy)),
            },
            ThrottleReason::ConcurrentInvocationLimitExceeded => match c.reserved {
                Some(rc) if counts.busy < rc => {
                    // Invariant 5. Only decision step 4 can throttle a function with RC
                    // for concurrency, and only if a configuration change under load
                    // over-committed the account.
                    if account_full && self.over_committed()? {
                        self.coverage.inv5_overcommitted += 1;
                        Ok(())
                    } else {
                        Err(format!(
                            "invariant 5: function with RC {rc} and busy {} throttled for concurrency \
                             (account busy {}, limit {})",
                            counts.busy,
                            r.busy(),
                            self.config.account_limit
                        ))
                    }
                }
                Some(rc) => Err(format!(
                    "decision order: a function at its RC ({rc}, busy {}) must be throttled by RC (step 3), \
                     not ConcurrentInvocationLimitExceeded",
                    counts.busy
                )),
                None if account_full || r.unreserved_in_use() >= r.unreserved_pool() => Ok(()),
                None => Err(format!(
                    "ConcurrentInvocationLimitExceeded with account busy {} < {} and unreserved {} < pool {}",
                    r.busy(),
                    self.config.account_limit,
                    r.unreserved_in_use(),
                    r.unreserved_pool()
                )),
            },
            ThrottleReason::ScalingRateExceeded if counts.idle_provisioned > 0 => {
                Err("ScalingRateExceeded although a provisioned environment was idle".into())
            }
            ThrottleReason::ScalingRateExceeded => self.no_idle_serving_env(fi, "ScalingRateExceeded"),
            _ => Ok(()),
        }
    }

    /// Whether a configuration change under load left the account
    /// over-committed: some function busier than its RC, or unreserved in
    /// use above the pool. Without either, Σ busy < limit whenever a
    /// function with RC is below its RC (busy provisioned environments
    /// released by a lower allocation count in the unreserved pool, so they
    /// excuse nothing by themselves).
    fn over_committed(&self) -> Result<bool, String> {
        let r = &self.region;
        if r.unreserved_in_use() > r.unreserved_pool() {
            return Ok(true);
        }
        for fm in self.functions.iter().filter(|f| !f.deleted) {
            let c = r.function_counts(fm.id).ok_or("no counts for a live function")?;
            if c.reserved.is_some_and(|rc| c.busy > rc) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// A request of function `fi` went past decision step 5 (an idle Ready
    /// PC env): none of the provisioned environments seen serving may be idle.
    fn no_idle_serving_env(&self, fi: usize, what: &str) -> Res {
        let idle = self.functions[fi].serving.iter().find(|e| self.region.env_state(**e) == Some(EnvState::Idle));
        match idle {
            Some(e) => Err(format!("{what} although provisioned environment {e:?}, serving before, was idle")),
            None => Ok(()),
        }
    }

    // --- finish --------------------------------------------------------------

    fn finish(&mut self, i: usize, outcome: Outcome) -> Res {
        let o = self.open[i];
        let now = self.now;
        let r = self.region.finish(self.at(), o.inv, outcome);
        if o.ended_by_region(now, self.coverage.ops) {
            // The region ended it: at its timeout or its scheduled end.
            let want = self.stale_answer(&o);
            // An asynchronous attempt the harness does not follow may have
            // reused the environment since: its handle is unknown then.
            let reused = self.functions[o.f].async_used && e_is(&r, FinishError::UnknownInvocation);
            return match r {
                Err(e) if e == want || reused => {
                    self.coverage.timed_out += u64::from(e == FinishError::TimedOut);
                    self.ended.push(self.open.remove(i));
                    Ok(())
                }
                r => Err(format!("finish after its end ({} us) answered {r:?}, expected {want:?}", o.ends_at)),
            };
        }
        if now < o.ready_at {
            return match (outcome, r) {
                (Outcome::Success, Err(FinishError::NotReady)) => {
                    self.coverage.not_ready += 1;
                    Ok(())
                }
                (Outcome::Success, r) => Err(format!("success before ready ({} us) answered {r:?}", o.ready_at)),
                (_, Ok(f)) if f.duration.is_zero() && !f.env_kept => {
                    // docs/model.md §1: the invocation failed during init: init fails, env terminated.
                    self.coverage.init_aborted += 1;
                    self.ended.push(self.open.remove(i));
                    Ok(())
                }
                (Outcome::Timeout, Ok(_)) if o.kind == StartKind::PartialCold => {
                    // A partial cold start's init runs inside the invoke: a
                    // timeout there ends it like any timeout (the env is kept,
                    // reset, unless it retires: a new version, its lifetime).
                    self.ended.push(self.open.remove(i));
                    Ok(())
                }
                (_, r) => Err(format!("failure during the cold start (ready at {} us) answered {r:?}", o.ready_at)),
            };
        }
        match r {
            Ok(f) => {
                // A partial cold start's duration is not checked here: see
                // tests/vectors/partial-cold-duration.json.
                let want = now - o.ready_at;
                if o.kind != StartKind::PartialCold && f.duration.as_micros() != want {
                    return Err(format!("finish answered duration {} us, expected {want}", f.duration.as_micros()));
                }
                if f.function != self.functions[o.f].id || f.env != o.inv.env {
                    return Err(format!("finish answered {f:?} for {:?}", o.inv));
                }
                self.coverage.finished += 1;
                self.ended.push(self.open.remove(i));
                Ok(())
            }
            Err(e) => Err(format!("finish of a running invocation answered {e:?}")),
        }
    }

    /// What finishing an invocation that already ended must answer.
    fn stale_answer(&self, o: &Open) -> FinishError {
        let env_alive = self.region.env_state(o.inv.env).is_some();
        let ended = o.ended_by_region(self.now, self.coverage.ops);
        if env_alive && self.env_seq.get(&o.inv.env) == Some(&o.inv.seq) && ended && o.by_timeout {
            FinishError::TimedOut
        } else {
            FinishError::UnknownInvocation
        }
    }

    fn finish_stale(&mut self, which: usize) -> Res {
        if self.ended.is_empty() {
            return self.advance();
        }
        let o = self.ended[which % self.ended.len()];
        let r = self.region.finish(self.at(), o.inv, Outcome::Success);
        match r {
            Err(FinishError::UnknownInvocation) => Ok(()),
            // Ended by the region at its timeout and its env not reused since.
            Err(FinishError::TimedOut) if self.stale_answer(&o) == FinishError::TimedOut => Ok(()),
            r => Err(format!("finishing an ended invocation {:?} answered {r:?}", o.inv)),
        }
    }

    // --- checks --------------------------------------------------------------

    /// Function `fi`'s busy count in the harness's bookkeeping: its open
    /// invocations and its asynchronous attempts.
    fn model_busy(&self, fi: usize) -> u32 {
        let ops = self.coverage.ops;
        let open = self.open.iter().filter(|o| o.f == fi && !o.ended_by_region(self.now, ops)).count() as u32;
        open + self.async_running(fi)
    }

    /// The metrics' region-wide totals agree with the region's counters:
    /// every invocation, throttle and error counted once (throttles never
    /// as invocations or errors), one duration per ended invocation.
    fn check_metrics(&mut self) -> Res {
        let stats = self.region.stats();
        let a = self.region.async_stats();
        self.coverage.async_succeeded = a.succeeded;
        self.coverage.async_dropped = a.dropped;
        self.coverage.async_expired = a.expired;
        self.coverage.async_requeued = a.requeued;
        if a.received != self.coverage.async_received || a.rejected != self.coverage.async_rejected {
            return Err(format!(
                "async: {} accepted and {} refused, the region counts {a:?}",
                self.coverage.async_received, self.coverage.async_rejected
            ));
        }
        let store = self.region.metrics().ok_or("no metric store")?;
        let total = |m: Metric| -> Result<(u64, u64), String> {
            let d = store.recorded(m, None).map_err(|e| format!("{m:?}: {e:?}"))?;
            Ok(d.map_or((0, 0), |d| (d.sum, d.sample_count)))
        };
        let checks = [
            ("AsyncEventsReceived", total(Metric::AsyncEventsReceived)?.0, a.received),
            ("AsyncEventsDropped", total(Metric::AsyncEventsDropped)?.0, a.dropped),
            ("DeadLetterErrors", total(Metric::DeadLetterErrors)?.0, a.dead_letter_errors),
            (
                "DestinationDeliveryFailures",
                total(Metric::DestinationDeliveryFailures)?.0,
                a.destination_delivery_failures,
            ),
            ("AsyncEventAge samples", total(Metric::AsyncEventAge)?.1, a.attempts),
            ("Invocations", total(Metric::Invocations)?.0, stats.invocations),
            ("Throttles", total(Metric::Throttles)?.0, stats.throttles.iter().sum::<u64>()),
            ("Errors", total(Metric::Errors)?.0, stats.errors),
            ("Duration samples", total(Metric::Duration)?.1, stats.succeeded + stats.errors),
            ("ResponseTime samples", total(Metric::ResponseTime)?.1, stats.succeeded + stats.errors),
        ];
        for (name, metric, counter) in checks {
            if metric != counter {
                return Err(format!("metrics: {name} {metric} != the region's counter {counter} ({stats:?})"));
            }
        }
        Ok(())
    }

    fn check_all(&mut self) -> Res {
        self.check_metrics()?;
        // Invocations past their scheduled end were ended by the region.
        let now = self.now;
        let ops = self.coverage.ops;
        let (done, open): (Vec<Open>, Vec<Open>) =
            self.open.iter().partition(|o| !o.by_timeout && o.ended_by_region(now, ops));
        self.coverage.scheduled_ends += done.len() as u64;
        self.open = open;
        self.ended.extend(done);
        let r = &self.region;
        if r.now() != self.at() {
            return Err(format!("region clock {} != harness clock {} us", r.now(), self.now));
        }
        r.check_invariants().map_err(|v| format!("check_invariants: {v} ({v:?})"))?;
        if r.busy() > u64::from(self.config.account_limit) {
            return Err(format!("invariant 1: busy {} > account limit", r.busy()));
        }
        self.coverage.max_busy = self.coverage.max_busy.max(r.busy());
        let mut busy = vec![0u32; self.functions.len()];
        let ops = self.coverage.ops;
        for o in self.open.iter().filter(|o| !o.ended_by_region(self.now, ops)) {
            busy[o.f] += 1;
        }
        for (fi, b) in busy.iter_mut().enumerate() {
            *b += self.async_running(fi);
        }
        let mut total = 0u64;
        for (i, fm) in self.functions.iter().enumerate().filter(|(_, f)| !f.deleted) {
            let c = r.function_counts(fm.id).ok_or_else(|| format!("function {i} has no counts"))?;
            if c.busy != busy[i] {
                return Err(format!(
                    "invariant 8: function {i} busy {} but {} of its invocations are running ({c:?})",
                    c.busy, busy[i]
                ));
            }
            if c.busy_provisioned > c.busy {
                return Err(format!("function {i}: busy provisioned {} > busy {}", c.busy_provisioned, c.busy));
            }
            if c.busy_provisioned > c.provisioned_allocated {
                return Err(format!("invariant 4: function {i}: busy provisioned envs above the allocation ({c:?})"));
            }
            total += u64::from(c.busy);
        }
        if total != r.busy() {
            return Err(format!("Σ function busy {total} != region busy {}", r.busy()));
        }
        // Claimed = unreserved in use + ΣRC + ΣPC(no RC) covers every busy
        // environment unless RC was lowered under load.
        if r.claimed_concurrency() < r.busy() && !self.over_committed()? {
            return Err(format!("claimed concurrency {} < busy {}", r.claimed_concurrency(), r.busy()));
        }
        Ok(())
    }
}

fn e_is<T>(r: &Result<T, FinishError>, e: FinishError) -> bool {
    matches!(r, Err(x) if *x == e)
}

fn expected(errs: &[ConfigError]) -> String {
    if errs.is_empty() { "success".into() } else { format!("one of {errs:?}") }
}

/// Invariant 6: with `t` appended to `history`, every window ending at `t`
/// holds at most `burst + floor(rate × w / period)` starts.
fn window_check(history: &mut Vec<u64>, t: u64, burst: u64, rate: u64, period_us: u64, scope: &str) -> Res {
    if history.len() >= HISTORY {
        history.drain(..HISTORY / 2);
    }
    history.push(t);
    let n = history.len();
    for (k, &t0) in history.iter().enumerate() {
        let count = (n - k) as u64;
        let allowed = burst + (u128::from(t - t0) * u128::from(rate) / u128::from(period_us)) as u64;
        if count > allowed {
            return Err(format!(
                "invariant 6: {count} new environments ({scope}) in the {} us from {t0} to {t} (at most {allowed})",
                t - t0
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Generators driven by a seeded `Rng` (the seeded simulations; proptest has
// its own strategies with the same shape).

/// Bounds for generated operations.
#[derive(Clone, Copy, Debug)]
pub struct GenParams {
    /// The region's account limit.
    pub account_limit: u32,
    /// Most invokes in one `InvokeMany`.
    pub max_many: u32,
    /// Most provisioned concurrency asked for.
    pub max_provisioned: u32,
}

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.below(items.len() as u64) as usize]
}

/// A region configuration with an account limit in `limits`.
pub fn random_region(rng: &mut Rng, limits: (u32, u32)) -> RegionConfig {
    let account_limit = limits.0 + rng.below(u64::from(limits.1 - limits.0) + 1) as u32;
    let unreserved_min = rng.below(u64::from(account_limit.min(100)) + 1) as u32;
    let scaling = if rng.below(2) == 0 {
        ScalingRule::PerFunction
    } else {
        ScalingRule::LegacyAccount { burst: pick(rng, &[1, 20, 100, 500, 1000, 3000]) }
    };
    RegionConfig {
        account_limit,
        unreserved_min,
        scaling,
        request_rate_per_limit: pick(rng, &[0, 1, 10]),
        idle_timeout: lambdasim::Duration::from_micros(pick(rng, &[1_000_000, 30_000_000, 600_000_000])),
        max_lifetime: lambdasim::Duration::from_micros(pick(rng, &[0, 20_000_000, 7_200_000_000])),
        shutdown: lambdasim::Duration::from_micros(pick(rng, &[0, 500_000, 2_000_000])),
        warm_pick: if rng.below(2) == 0 {
            lambdasim::WarmPick::MostRecentlyUsed
        } else {
            lambdasim::WarmPick::LeastRecentlyUsed
        },
        memory_rule: lambdasim::MemoryRule::Current,
        provisioned_delay: lambdasim::Duration::from_micros(pick(rng, &[0, 1_000_000, 60_000_000])),
        provisioned_per_minute: pick(rng, &[60, 6_000, 60_000]),
        ..RegionConfig::default()
    }
}

/// A function configuration (sometimes invalid, sometimes over the limits).
pub fn random_fn_spec(rng: &mut Rng, p: &GenParams) -> FnSpec {
    let reserved = match rng.below(3) {
        0 => Some(rng.below(u64::from(p.account_limit / 2) + 1) as u32),
        1 if rng.below(4) == 0 => Some(0),
        _ => None,
    };
    let provisioned = if rng.below(3) == 0 { rng.below(u64::from(p.max_provisioned) + 1) as u32 } else { 0 };
    FnSpec {
        memory_mb: pick(rng, &[128, 128, 1024, 10_240, 127, 10_241]),
        timeout_ms: pick(rng, &[1, 100, 1_000, 3_000, 3_000, 60_000, 900_000, 0]),
        reserved,
        provisioned,
        sandbox_us: pick(rng, &[0, 125_000]),
        package_mb: pick(rng, &[0, 5, 50]),
        init_us: pick(rng, &[0, 250_000, 250_000, 3_000_000, 12_000_000]),
    }
}

/// A time step: mostly zero or short, sometimes past timeouts and idle expiry.
pub fn random_dt(rng: &mut Rng) -> u64 {
    match rng.below(20) {
        0..=7 => 0,
        8..=10 => 1 + rng.below(1_000),
        11..=15 => rng.below(500_000),
        16..=18 => rng.below(10_000_000),
        _ => rng.below(900_000_000),
    }
}

/// A random [`Op::InvokeAsync`].
pub fn random_async_invoke(rng: &mut Rng) -> Op {
    Op::InvokeAsync {
        f: rng.below(1 << 16) as usize,
        handler_us: pick(rng, &[0, 1, 50_000, 1_000_000, 3_000_000, 60_000_000]),
        outcome: pick(rng, &[Outcome::FunctionError, Outcome::Timeout, Outcome::Crash, Outcome::Success]),
        failing_attempts: pick(rng, &[0, 1, 2, 3, u8::MAX]),
        count: pick(rng, &[1, 1, 2, 6]),
    }
}

/// A random [`Op::PutAsyncConfig`] (one in eight out of range).
pub fn random_async_config(rng: &mut Rng) -> Op {
    Op::PutAsyncConfig {
        f: rng.below(1 << 16) as usize,
        max_retry_attempts: pick(rng, &[0, 1, 2, 2, 2, 2, 2, 3]),
        max_event_age_s: pick(rng, &[59, 60, 61, 300, 3_600, 21_600, 21_600, 21_601]),
        targets: [rng.below(3) as u8, rng.below(3) as u8, rng.below(3) as u8],
    }
}

/// One random step.
pub fn random_step(rng: &mut Rng, p: &GenParams) -> Step {
    let idx = |rng: &mut Rng| rng.below(1 << 16) as usize;
    let op = match rng.below(100) {
        0..=7 => Op::InvokeFor {
            f: idx(rng),
            init_us: (rng.below(5) == 0).then(|| pick(rng, &[0, 1, 400_000, 2_000_000, 11_000_000])),
            handler_us: pick(rng, &[0, 1, 50_000, 1_000_000, 3_000_000, 60_000_000]),
            outcome: pick(rng, &[Outcome::Success, Outcome::Success, Outcome::FunctionError, Outcome::Crash]),
        },
        8..=24 => Op::Invoke {
            f: idx(rng),
            init_us: (rng.below(5) == 0).then(|| pick(rng, &[0, 1, 400_000, 2_000_000, 11_000_000])),
        },
        25..=28 => random_async_invoke(rng),
        29 => random_async_config(rng),
        30..=37 => Op::InvokeMany { f: idx(rng), count: 1 + rng.below(u64::from(p.max_many)) as u32 },
        38..=61 => Op::Finish {
            which: idx(rng),
            outcome: pick(
                rng,
                &[
                    Outcome::Success,
                    Outcome::Success,
                    Outcome::Success,
                    Outcome::FunctionError,
                    Outcome::Timeout,
                    Outcome::Crash,
                ],
            ),
        },
        62..=63 => Op::FinishStale { which: idx(rng) },
        64..=65 => Op::FinishAll,
        66..=75 => Op::Advance,
        76..=82 => Op::AdvanceToDeadline { back_us: pick(rng, &[0, 0, 1]) },
        83..=86 => Op::PutReserved {
            f: idx(rng),
            reserved: (rng.below(4) != 0).then(|| rng.below(u64::from(p.account_limit) + 1) as u32),
        },
        87..=90 => Op::PutProvisioned { f: idx(rng), provisioned: rng.below(u64::from(p.max_provisioned) + 1) as u32 },
        91..=93 => Op::UpdateFunction { f: idx(rng), spec: random_fn_spec(rng, p) },
        94..=95 => Op::DeleteFunction { f: idx(rng) },
        _ => Op::CreateFunction(random_fn_spec(rng, p)),
    };
    Step { dt_us: random_dt(rng), op }
}
