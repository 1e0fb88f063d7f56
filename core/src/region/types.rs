//! Handles, answers and counters of the region.

use crate::concurrency::ThrottleReason;
use crate::function::ProvisionedStatus;
use crate::time::{Duration, Instant};
use core::fmt;
use serde::{Deserialize, Serialize};

/// A function of a region. Carries a generation: a handle of a deleted
/// function is an error, never another function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FunctionId {
    /// Slot in the function table.
    pub index: u32,
    /// Generation of the slot when the function was created.
    pub generation: u32,
}

/// An execution environment of a region. Carries a generation: a handle of
/// a terminated environment is an error, never a newer environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EnvId {
    /// Slot in the environment table.
    pub index: u32,
    /// Generation of the slot when the environment was created.
    pub generation: u32,
}

/// One invocation: the environment serving it and its sequence number there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct InvocationId {
    /// The environment serving it.
    pub env: EnvId,
    /// The environment's invocation count when it started (from 1).
    pub seq: u32,
}

/// How an invocation started (docs/model.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum StartKind {
    /// An idle on-demand environment was reused: no init.
    Warm = 0,
    /// An idle provisioned environment was used: no init.
    Provisioned = 1,
    /// A reset environment re-ran init first (inside the invoke's duration).
    PartialCold = 2,
    /// A new environment: create + init.
    FullCold = 3,
}

impl StartKind {
    /// The kind's name.
    pub const fn name(self) -> &'static str {
        match self {
            StartKind::Warm => "Warm",
            StartKind::Provisioned => "Provisioned",
            StartKind::PartialCold => "PartialCold",
            StartKind::FullCold => "FullCold",
        }
    }
    /// Whether this start ran an init (a cold start, full or partial).
    pub const fn is_cold(self) -> bool {
        matches!(self, StartKind::PartialCold | StartKind::FullCold)
    }
}

impl fmt::Display for StartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A started invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Started {
    /// Its handle, for [`Region::finish`](super::Region::finish).
    pub invocation: InvocationId,
    /// The environment serving it.
    pub env: EnvId,
    /// How it started.
    pub start: StartKind,
    /// Whether it runs on a provisioned environment (otherwise on-demand,
    /// which is spillover for a function with provisioned concurrency).
    pub on_provisioned: bool,
    /// Time before the handler runs: create + init for a full cold start,
    /// init for a partial one, zero for warm and provisioned starts.
    pub init: Duration,
    /// When the handler starts (`now + init`).
    pub ready_at: Instant,
    /// When an on-demand init exceeds its 10 s limit, AWS retries it inside
    /// the invoke: the handler first re-runs init for this long (zero
    /// otherwise). Add it to the handler's duration.
    pub suppressed_init: Duration,
}

/// The answer of [`Region::invoke`](super::Region::invoke).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Invoked {
    /// The invocation started.
    Started(Started),
    /// The request was throttled (HTTP 429) for this reason.
    Throttled(ThrottleReason),
}

/// How an invocation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Outcome {
    /// The handler returned normally.
    Success = 0,
    /// The handler returned or threw an error; the environment stays warm.
    FunctionError = 1,
    /// The invocation hit its timeout; the environment is reset.
    Timeout = 2,
    /// The runtime crashed or ran out of memory; the environment is reset.
    Crash = 3,
}

impl Outcome {
    /// Whether this outcome resets the environment (next use: partial cold).
    pub const fn resets(self) -> bool {
        matches!(self, Outcome::Timeout | Outcome::Crash)
    }
    /// Whether this outcome counts in `Errors`.
    pub const fn is_error(self) -> bool {
        !matches!(self, Outcome::Success)
    }
}

/// What a request's handler does once it runs, for an invoke whose end the
/// region schedules itself ([`Region::invoke_for`](super::Region::invoke_for)):
/// the handler runs for `duration`, then the invocation ends with `outcome`
/// (or at the function's timeout, if that comes first or at the same time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Handler {
    /// How long the handler runs, from its start (after any init).
    pub duration: Duration,
    /// How the invocation ends if the handler finishes before its timeout.
    pub outcome: Outcome,
}

/// The answer of [`Region::finish`](super::Region::finish).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finished {
    /// The function invoked.
    pub function: FunctionId,
    /// The environment that served it.
    pub env: EnvId,
    /// The invoke's duration: from the handler's start (`ready_at`) to the
    /// finish, or from the invoke for a partial cold start (whose init runs
    /// inside the invoke); zero when a full cold start's init failed.
    pub duration: Duration,
    /// Whether the environment went on serving (false: it is shutting down,
    /// re-initializing or was terminated).
    pub env_kept: bool,
}

/// Environment counts of one function at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FunctionCounts {
    /// Concurrency: environments with an invocation attached (busy, or
    /// cold-starting for one).
    pub busy: u32,
    /// Of `busy`, those on provisioned environments.
    pub busy_provisioned: u32,
    /// Idle environments (on-demand and provisioned, serving or waiting).
    pub idle: u32,
    /// Idle provisioned environments that serve now.
    pub idle_provisioned: u32,
    /// Environments being created.
    pub creating: u32,
    /// Environments initializing.
    pub initializing: u32,
    /// Live environments: creating + initializing + idle + handler-busy.
    pub live: u32,
    /// Environments shutting down.
    pub shutting_down: u32,
    /// Configured provisioned concurrency.
    pub provisioned: u32,
    /// Provisioned environments allocated (existing, not being released).
    pub provisioned_allocated: u32,
    /// The provisioned allocation's status.
    pub provisioned_status: ProvisionedStatus,
    /// Reserved concurrency, if set.
    pub reserved: Option<u32>,
}

/// Counters since the region (or function) was created. They saturate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stats {
    /// Requests made (started + throttled).
    pub requests: u64,
    /// Invocations started (CloudWatch `Invocations` once they end).
    pub invocations: u64,
    /// Warm starts.
    pub warm_starts: u64,
    /// Starts on an idle provisioned environment.
    pub provisioned_starts: u64,
    /// Partial cold starts.
    pub partial_cold_starts: u64,
    /// Full cold starts.
    pub full_cold_starts: u64,
    /// Invocations of a function with provisioned concurrency that ran on
    /// on-demand environments.
    pub spillover: u64,
    /// Throttles by reason, indexed by `ThrottleReason as usize`.
    pub throttles: [u64; ThrottleReason::COUNT],
    /// Invocations that ended successfully.
    pub succeeded: u64,
    /// Invocations that ended in error (function error, timeout, crash,
    /// failed init).
    pub errors: u64,
    /// Of `errors`, the timeouts (reported or enforced by the region).
    pub timeouts: u64,
    /// Environments created (on-demand and provisioned).
    pub envs_created: u64,
    /// Environments terminated.
    pub envs_terminated: u64,
    /// Initializations that failed: an invocation failing during a full
    /// cold start, or a provisioned init over its limit. An on-demand init
    /// over 10 s is not a failure: it is retried inside the invoke (docs/model.md §1).
    pub init_failures: u64,
}

impl Stats {
    /// All throttles.
    pub fn throttles_total(&self) -> u64 {
        self.throttles.iter().fold(0u64, |a, &b| a.saturating_add(b))
    }
    /// Throttles for one reason.
    pub fn throttles_for(&self, reason: ThrottleReason) -> u64 {
        self.throttles.get(reason as usize).copied().unwrap_or(0)
    }
    /// All cold starts, full and partial.
    pub fn cold_starts(&self) -> u64 {
        self.full_cold_starts.saturating_add(self.partial_cold_starts)
    }
    /// Adds `other`'s counts (saturating).
    pub(crate) fn add(&mut self, other: &Stats) {
        let Stats {
            requests,
            invocations,
            warm_starts,
            provisioned_starts,
            partial_cold_starts,
            full_cold_starts,
            spillover,
            throttles,
            succeeded,
            errors,
            timeouts,
            envs_created,
            envs_terminated,
            init_failures,
        } = other;
        let add = |a: &mut u64, b: &u64| *a = a.saturating_add(*b);
        add(&mut self.requests, requests);
        add(&mut self.invocations, invocations);
        add(&mut self.warm_starts, warm_starts);
        add(&mut self.provisioned_starts, provisioned_starts);
        add(&mut self.partial_cold_starts, partial_cold_starts);
        add(&mut self.full_cold_starts, full_cold_starts);
        add(&mut self.spillover, spillover);
        for (a, b) in self.throttles.iter_mut().zip(throttles) {
            add(a, b);
        }
        add(&mut self.succeeded, succeeded);
        add(&mut self.errors, errors);
        add(&mut self.timeouts, timeouts);
        add(&mut self.envs_created, envs_created);
        add(&mut self.envs_terminated, envs_terminated);
        add(&mut self.init_failures, init_failures);
    }
    pub(crate) fn bump(c: &mut u64) {
        *c = c.saturating_add(1);
    }
    pub(crate) fn throttled(&mut self, reason: ThrottleReason) {
        Self::bump(&mut self.requests);
        if let Some(c) = self.throttles.get_mut(reason as usize) {
            Self::bump(c);
        }
    }
    pub(crate) fn started(&mut self, kind: StartKind, on_pc: bool, spillover: bool) {
        Self::bump(&mut self.requests);
        Self::bump(&mut self.invocations);
        Self::bump(match kind {
            StartKind::Warm => &mut self.warm_starts,
            StartKind::Provisioned => &mut self.provisioned_starts,
            StartKind::PartialCold => &mut self.partial_cold_starts,
            StartKind::FullCold => &mut self.full_cold_starts,
        });
        let _ = on_pc;
        if spillover {
            Self::bump(&mut self.spillover);
        }
    }
    pub(crate) fn ended(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Success => Self::bump(&mut self.succeeded),
            Outcome::Timeout => {
                Self::bump(&mut self.errors);
                Self::bump(&mut self.timeouts);
            }
            Outcome::FunctionError | Outcome::Crash => Self::bump(&mut self.errors),
        }
    }
}

/// A docs/model.md §2 invariant found broken by [`Region::check_invariants`](super::Region::check_invariants).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Violation {
    /// 1: Σ busy over all functions > account limit.
    AccountLimit,
    /// 2: a function with RC is busier than RC without having had RC lowered.
    ReservedLimit {
        /// The function's slot.
        function: u32,
    },
    /// 3: unreserved in use > unreserved pool without a configuration change.
    UnreservedPool,
    /// 4: busy provisioned environments > allocated provisioned ones.
    ProvisionedBusy {
        /// The function's slot.
        function: u32,
    },
    /// 7: a kept counter differs from a recount of the environment table.
    Counter {
        /// The function's slot, or `u32::MAX` for a region-wide counter.
        function: u32,
    },
    /// 7: an environment is in a list that does not match its state.
    List {
        /// The environment's slot.
        env: u32,
    },
    /// An asynchronous event is not exactly one of queued, running,
    /// succeeded or dropped, or a counter differs from a recount of the queue.
    AsyncEvents,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::AccountLimit => f.write_str("busy environments exceed the account limit"),
            Violation::ReservedLimit { function } => {
                write!(f, "function {function} busier than its reserved concurrency")
            }
            Violation::UnreservedPool => f.write_str("unreserved in use exceeds the unreserved pool"),
            Violation::ProvisionedBusy { function } => {
                write!(f, "function {function} has more busy provisioned environments than allocated")
            }
            Violation::Counter { function } => write!(f, "counter of function {function} differs from a recount"),
            Violation::List { env } => write!(f, "environment {env} is in a list that does not match its state"),
            Violation::AsyncEvents => {
                f.write_str("an asynchronous event is not exactly one of queued, running, succeeded or dropped")
            }
        }
    }
}

impl core::error::Error for Violation {}
