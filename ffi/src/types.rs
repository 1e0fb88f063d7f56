//! The C-visible value types: configs, handles, results, counters and the
//! integer codes of the core's enumerations.
//!
//! Every struct is `#[repr(C)]` and holds only fixed-width integers, so any
//! bit pattern a C caller passes is a valid value; meaning is checked when it
//! is converted to the core's types (`LSIM_STATUS_INVALID_ARGUMENT` for an
//! unknown code or a flag other than 0/1).

#![allow(non_camel_case_types)]

use crate::status::lsim_status;
use lambdasim::{
    ColdStartProfile, Duration, EnvId, EnvState, Finished, FunctionConfig, FunctionCounts, FunctionId, InvocationId,
    MemoryRule, Outcome, ProvisionedStatus, RegionConfig, ScalingRule, StartKind, Started, Stats, ThrottleReason,
    WarmPick,
};

/// The version of this C ABI. `lsim_abi_version()` returns the library's;
/// a binding compiled against this header checks they are equal at load.
pub const LSIM_ABI_VERSION: u32 = 1;

/// Environment slots of every region (its fixed capacity).
pub const LSIM_ENV_CAPACITY: usize = 16_384;
/// Function slots of every region (its fixed capacity).
pub const LSIM_FUNCTION_CAPACITY: usize = 256;

/// `lsim_region_config.scaling_rule`: per function, 1000 new environments
/// per 10 s (since 2023-11-27). The default.
pub const LSIM_SCALING_RULE_PER_FUNCTION: u32 = 0;
/// `lsim_region_config.scaling_rule`: the legacy account-wide burst
/// (`legacy_burst`) then +500 per minute.
pub const LSIM_SCALING_RULE_LEGACY_ACCOUNT: u32 = 1;

/// `lsim_region_config.warm_pick`: reuse the most recently used idle
/// environment. The default.
pub const LSIM_WARM_PICK_MRU: u32 = 0;
/// `lsim_region_config.warm_pick`: reuse the least recently used idle environment.
pub const LSIM_WARM_PICK_LRU: u32 = 1;

/// `lsim_region_config.memory_rule`: 128..=10240 MB in 1 MB steps. The default.
pub const LSIM_MEMORY_RULE_CURRENT: u32 = 0;
/// `lsim_region_config.memory_rule`: 128..=3008 MB in 64 MB steps (before December 2020).
pub const LSIM_MEMORY_RULE_LEGACY64: u32 = 1;

/// Start kind: an idle on-demand environment was reused (no init).
pub const LSIM_START_KIND_WARM: u32 = 0;
/// Start kind: an idle provisioned environment was used (no init).
pub const LSIM_START_KIND_PROVISIONED: u32 = 1;
/// Start kind: a reset environment re-ran init first.
pub const LSIM_START_KIND_PARTIAL_COLD: u32 = 2;
/// Start kind: a new environment (create + init).
pub const LSIM_START_KIND_FULL_COLD: u32 = 3;

/// Throttle reason: the account's or the unreserved pool's concurrency is exhausted.
pub const LSIM_THROTTLE_CONCURRENT_INVOCATION_LIMIT_EXCEEDED: u32 = 0;
/// Throttle reason: the function's reserved concurrency is exhausted (or is 0).
pub const LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED: u32 = 1;
/// Throttle reason: the account's synchronous request rate is exhausted.
pub const LSIM_THROTTLE_REQUEST_RATE_EXCEEDED: u32 = 2;
/// Throttle reason: no scaling token for a new environment.
pub const LSIM_THROTTLE_SCALING_RATE_EXCEEDED: u32 = 3;
/// Number of throttle reasons (the length of `lsim_stats.throttles`).
pub const LSIM_THROTTLE_REASON_COUNT: usize = 4;

/// Outcome: the handler returned normally.
pub const LSIM_OUTCOME_SUCCESS: u32 = 0;
/// Outcome: the handler returned or threw an error; the environment stays warm.
pub const LSIM_OUTCOME_FUNCTION_ERROR: u32 = 1;
/// Outcome: the invocation hit its timeout; the environment is reset.
pub const LSIM_OUTCOME_TIMEOUT: u32 = 2;
/// Outcome: the runtime crashed or ran out of memory; the environment is reset.
pub const LSIM_OUTCOME_CRASH: u32 = 3;

/// Provisioned status: none configured.
pub const LSIM_PROVISIONED_STATUS_NONE: u32 = 0;
/// Provisioned status: allocation under way; new environments do not serve yet.
pub const LSIM_PROVISIONED_STATUS_IN_PROGRESS: u32 = 1;
/// Provisioned status: every requested environment is initialized and serving.
pub const LSIM_PROVISIONED_STATUS_READY: u32 = 2;
/// Provisioned status: an environment's init failed or exceeded its limit.
pub const LSIM_PROVISIONED_STATUS_FAILED: u32 = 3;

/// Environment state: a new microVM is starting and the code is downloading.
pub const LSIM_ENV_STATE_CREATING: u32 = 0;
/// Environment state: extensions, runtime and static init are running.
pub const LSIM_ENV_STATE_INITIALIZING: u32 = 1;
/// Environment state: frozen after an invoke, reusable without init.
pub const LSIM_ENV_STATE_IDLE: u32 = 2;
/// Environment state: running a handler.
pub const LSIM_ENV_STATE_BUSY: u32 = 3;
/// Environment state: being reclaimed.
pub const LSIM_ENV_STATE_SHUTTING_DOWN: u32 = 4;
/// Environment state: gone. `lsim_env_state` also reports this for a handle
/// the region no longer knows (its slot was freed or reused).
pub const LSIM_ENV_STATE_TERMINATED: u32 = 5;

/// A region's settings. Fill with `lsim_region_config_default`, then change
/// fields.
///
/// `struct_size` must equal `sizeof(lsim_region_config)` as compiled from
/// this header (ABI version 1); any other value is
/// `LSIM_STATUS_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_region_config {
    /// `sizeof(lsim_region_config)`.
    pub struct_size: u32,
    /// Account concurrency limit. Default 1000.
    pub account_limit: u32,
    /// Concurrency that must stay unreserved. Default 100.
    pub unreserved_min: u32,
    /// `LSIM_SCALING_RULE_PER_FUNCTION` (default) or `LSIM_SCALING_RULE_LEGACY_ACCOUNT`.
    pub scaling_rule: u32,
    /// The legacy rule's initial account burst (3000, 1000 or 500 by AWS
    /// region); used only with `LSIM_SCALING_RULE_LEGACY_ACCOUNT`, must then
    /// be positive. Default 3000 (us-east-1).
    pub legacy_burst: u32,
    /// Synchronous requests per second per unit of account limit; 0 turns
    /// the request-rate limit off. Default 10.
    pub request_rate_per_limit: u32,
    /// How long an idle environment is kept, in us. Default 600 000 000 (10 min).
    pub idle_timeout_us: u64,
    /// Maximum environment lifetime before recycling, in us; 0 = never. Default 2 h.
    pub max_lifetime_us: u64,
    /// How long shutdown takes, in us. Default 0.
    pub shutdown_us: u64,
    /// `LSIM_WARM_PICK_MRU` (default) or `LSIM_WARM_PICK_LRU`.
    pub warm_pick: u32,
    /// `LSIM_MEMORY_RULE_CURRENT` (default) or `LSIM_MEMORY_RULE_LEGACY64`.
    pub memory_rule: u32,
    /// Delay before a provisioned allocation starts creating environments, in us. Default 60 s.
    pub provisioned_delay_us: u64,
    /// Provisioned environments created per minute per function
    /// (1..=60 000 000). Default 6000.
    pub provisioned_per_minute: u32,
}

/// A function's configuration. Fill with `lsim_function_config_default`,
/// then change fields.
///
/// `struct_size` must equal `sizeof(lsim_function_config)` as compiled from
/// this header (ABI version 1); any other value is
/// `LSIM_STATUS_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_function_config {
    /// `sizeof(lsim_function_config)`.
    pub struct_size: u32,
    /// Memory in MB (128..=10240; legacy rule 128..=3008 in 64 MB steps). Default 128.
    pub memory_mb: u32,
    /// Timeout in ms, 1..=900 000. Default 3000.
    pub timeout_ms: u32,
    /// 1: `reserved` is the function's reserved concurrency; 0 (default):
    /// it shares the unreserved pool and `reserved` is ignored.
    pub has_reserved: u32,
    /// Reserved concurrency, when `has_reserved` is 1.
    pub reserved: u32,
    /// Provisioned concurrency. Default 0.
    pub provisioned: u32,
    /// Starting the microVM sandbox, in us. Default 125 000.
    pub sandbox_us: u64,
    /// Downloading one MB of code, in us. Default 1000.
    pub download_us_per_mb: u64,
    /// Code package size, MB (at most 10 240). Default 5.
    pub package_mb: u32,
    /// Extensions + runtime bootstrap + static init, in us. Default 250 000.
    pub init_us: u64,
}

/// A function of a region (by value). A deleted function's handle is
/// answered with `LSIM_STATUS_UNKNOWN_FUNCTION`, never another function.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_function {
    /// Slot in the function table.
    pub index: u32,
    /// Generation of the slot.
    pub generation: u32,
}

/// An execution environment of a region (by value).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_env {
    /// Slot in the environment table.
    pub index: u32,
    /// Generation of the slot.
    pub generation: u32,
}

/// One invocation (by value): its environment and its sequence number there.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_invocation {
    /// The environment serving it.
    pub env: lsim_env,
    /// The environment's invocation count when it started (from 1).
    pub seq: u32,
}

/// The answer of `lsim_invoke`: throttled, or started.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_invoke_result {
    /// 1: the request was throttled (HTTP 429) and only `throttle_reason`
    /// is meaningful; 0: it started and every other field is.
    pub throttled: u32,
    /// An `LSIM_THROTTLE_*` reason when `throttled` is 1 (0 otherwise).
    pub throttle_reason: u32,
    /// The invocation's handle, for `lsim_finish`.
    pub invocation: lsim_invocation,
    /// The environment serving it.
    pub env: lsim_env,
    /// An `LSIM_START_KIND_*` value.
    pub start_kind: u32,
    /// 1: on a provisioned environment; 0: on-demand (spillover when the
    /// function has provisioned concurrency).
    pub on_provisioned: u32,
    /// Time before the handler runs, in us (create + init for a full cold
    /// start, init for a partial one, 0 otherwise).
    pub init_us: u64,
    /// When the handler starts, in us (`now_us + init_us`).
    pub ready_at_us: u64,
    /// An on-demand init over 10 s is retried inside the invoke: the handler
    /// first re-runs init for this long, in us (0 otherwise).
    pub suppressed_init_us: u64,
}

/// The answer of `lsim_finish`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_finish_result {
    /// The function invoked.
    pub function: lsim_function,
    /// The environment that served it.
    pub env: lsim_env,
    /// Handler time from `ready_at_us` to the finish, in us; 0 when the
    /// invocation ended during its cold start.
    pub duration_us: u64,
    /// 1: the environment went on serving; 0: it is shutting down,
    /// re-initializing or was terminated.
    pub env_kept: u32,
}

/// Environment counts of one function at one instant.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_function_counts {
    /// Concurrency: environments with an invocation attached (busy, or
    /// cold-starting for one).
    pub busy: u32,
    /// Of `busy`, those on provisioned environments.
    pub busy_provisioned: u32,
    /// Idle environments (on-demand and provisioned).
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
    /// An `LSIM_PROVISIONED_STATUS_*` value.
    pub provisioned_status: u32,
    /// 1 when the function has reserved concurrency (`reserved`), else 0.
    pub has_reserved: u32,
    /// Reserved concurrency when `has_reserved` is 1 (0 otherwise).
    pub reserved: u32,
}

/// Counters since the region (or function) was created. They saturate.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_stats {
    /// Requests made (started + throttled).
    pub requests: u64,
    /// Invocations started.
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
    /// Throttles by reason, indexed by `LSIM_THROTTLE_*`.
    pub throttles: [u64; LSIM_THROTTLE_REASON_COUNT],
    /// Invocations that ended successfully.
    pub succeeded: u64,
    /// Invocations that ended in error (function error, timeout, crash, failed init).
    pub errors: u64,
    /// Of `errors`, the timeouts.
    pub timeouts: u64,
    /// Environments created (on-demand and provisioned).
    pub envs_created: u64,
    /// Environments terminated.
    pub envs_terminated: u64,
    /// Initializations that failed or exceeded their limit.
    pub init_failures: u64,
}

/// Account-wide concurrency counts of a region at one instant.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_region_counts {
    /// Busy environments in the account (`ConcurrentExecutions`).
    pub busy: u64,
    /// Live environments (not shutting down or terminated).
    pub live: u64,
    /// Busy on-demand environments of functions without reserved
    /// concurrency (`UnreservedConcurrentExecutions`).
    pub unreserved_in_use: u64,
    /// The unreserved pool: account limit - sum of RC - sum of PC of functions without RC.
    pub unreserved_pool: u64,
    /// Claimed account concurrency (`ClaimedAccountConcurrency`).
    pub claimed: u64,
}

// ---- conversions -----------------------------------------------------------

/// A 0/1 flag from C.
pub(crate) fn flag(v: u32) -> Result<bool, lsim_status> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(lsim_status::InvalidArgument),
    }
}

/// An integer code from C, converted with `TryFrom` into a core enumeration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Code(pub u32);

impl TryFrom<Code> for Outcome {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_OUTCOME_SUCCESS => Ok(Outcome::Success),
            LSIM_OUTCOME_FUNCTION_ERROR => Ok(Outcome::FunctionError),
            LSIM_OUTCOME_TIMEOUT => Ok(Outcome::Timeout),
            LSIM_OUTCOME_CRASH => Ok(Outcome::Crash),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for WarmPick {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_WARM_PICK_MRU => Ok(WarmPick::MostRecentlyUsed),
            LSIM_WARM_PICK_LRU => Ok(WarmPick::LeastRecentlyUsed),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for MemoryRule {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_MEMORY_RULE_CURRENT => Ok(MemoryRule::Current),
            LSIM_MEMORY_RULE_LEGACY64 => Ok(MemoryRule::Legacy64),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for ThrottleReason {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        ThrottleReason::ALL.iter().copied().find(|r| *r as u32 == c.0).ok_or(lsim_status::InvalidArgument)
    }
}

impl TryFrom<Code> for StartKind {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_START_KIND_WARM => Ok(StartKind::Warm),
            LSIM_START_KIND_PROVISIONED => Ok(StartKind::Provisioned),
            LSIM_START_KIND_PARTIAL_COLD => Ok(StartKind::PartialCold),
            LSIM_START_KIND_FULL_COLD => Ok(StartKind::FullCold),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for EnvState {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_ENV_STATE_CREATING => Ok(EnvState::Creating),
            LSIM_ENV_STATE_INITIALIZING => Ok(EnvState::Initializing),
            LSIM_ENV_STATE_IDLE => Ok(EnvState::Idle),
            LSIM_ENV_STATE_BUSY => Ok(EnvState::Busy),
            LSIM_ENV_STATE_SHUTTING_DOWN => Ok(EnvState::ShuttingDown),
            LSIM_ENV_STATE_TERMINATED => Ok(EnvState::Terminated),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for ProvisionedStatus {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_PROVISIONED_STATUS_NONE => Ok(ProvisionedStatus::None),
            LSIM_PROVISIONED_STATUS_IN_PROGRESS => Ok(ProvisionedStatus::InProgress),
            LSIM_PROVISIONED_STATUS_READY => Ok(ProvisionedStatus::Ready),
            LSIM_PROVISIONED_STATUS_FAILED => Ok(ProvisionedStatus::Failed),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl lsim_region_config {
    /// The core's defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        let d = RegionConfig::default();
        let (scaling_rule, legacy_burst) = match d.scaling {
            ScalingRule::LegacyAccount { burst } => (LSIM_SCALING_RULE_LEGACY_ACCOUNT, burst),
            _ => (LSIM_SCALING_RULE_PER_FUNCTION, ScalingRule::legacy_burst_for("us-east-1")),
        };
        lsim_region_config {
            struct_size: size_of::<Self>() as u32,
            account_limit: d.account_limit,
            unreserved_min: d.unreserved_min,
            scaling_rule,
            legacy_burst,
            request_rate_per_limit: d.request_rate_per_limit,
            idle_timeout_us: d.idle_timeout.as_micros(),
            max_lifetime_us: d.max_lifetime.as_micros(),
            shutdown_us: d.shutdown.as_micros(),
            warm_pick: d.warm_pick as u32,
            memory_rule: match d.memory_rule {
                MemoryRule::Legacy64 => LSIM_MEMORY_RULE_LEGACY64,
                _ => LSIM_MEMORY_RULE_CURRENT,
            },
            provisioned_delay_us: d.provisioned_delay.as_micros(),
            provisioned_per_minute: d.provisioned_per_minute,
        }
    }
}

impl TryFrom<&lsim_region_config> for RegionConfig {
    type Error = lsim_status;
    fn try_from(c: &lsim_region_config) -> Result<Self, lsim_status> {
        let scaling = match c.scaling_rule {
            LSIM_SCALING_RULE_PER_FUNCTION => ScalingRule::PerFunction,
            LSIM_SCALING_RULE_LEGACY_ACCOUNT => ScalingRule::LegacyAccount { burst: c.legacy_burst },
            _ => return Err(lsim_status::InvalidArgument),
        };
        Ok(RegionConfig {
            account_limit: c.account_limit,
            unreserved_min: c.unreserved_min,
            scaling,
            request_rate_per_limit: c.request_rate_per_limit,
            idle_timeout: Duration::from_micros(c.idle_timeout_us),
            max_lifetime: Duration::from_micros(c.max_lifetime_us),
            shutdown: Duration::from_micros(c.shutdown_us),
            warm_pick: WarmPick::try_from(Code(c.warm_pick))?,
            memory_rule: MemoryRule::try_from(Code(c.memory_rule))?,
            provisioned_delay: Duration::from_micros(c.provisioned_delay_us),
            provisioned_per_minute: c.provisioned_per_minute,
        })
    }
}

impl lsim_function_config {
    /// The core's defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        let d = FunctionConfig::default();
        lsim_function_config {
            struct_size: size_of::<Self>() as u32,
            memory_mb: d.memory_mb,
            timeout_ms: d.timeout_ms,
            has_reserved: u32::from(d.reserved.is_some()),
            reserved: d.reserved.unwrap_or(0),
            provisioned: d.provisioned,
            sandbox_us: d.cold_start.sandbox_us,
            download_us_per_mb: d.cold_start.download_us_per_mb,
            package_mb: d.cold_start.package_mb,
            init_us: d.cold_start.init_us,
        }
    }
}

impl TryFrom<&lsim_function_config> for FunctionConfig {
    type Error = lsim_status;
    fn try_from(c: &lsim_function_config) -> Result<Self, lsim_status> {
        Ok(FunctionConfig {
            memory_mb: c.memory_mb,
            timeout_ms: c.timeout_ms,
            reserved: flag(c.has_reserved)?.then_some(c.reserved),
            provisioned: c.provisioned,
            cold_start: ColdStartProfile {
                sandbox_us: c.sandbox_us,
                download_us_per_mb: c.download_us_per_mb,
                package_mb: c.package_mb,
                init_us: c.init_us,
            },
        })
    }
}

impl From<FunctionId> for lsim_function {
    fn from(f: FunctionId) -> Self {
        lsim_function { index: f.index, generation: f.generation }
    }
}

impl From<lsim_function> for FunctionId {
    fn from(f: lsim_function) -> Self {
        FunctionId { index: f.index, generation: f.generation }
    }
}

impl From<EnvId> for lsim_env {
    fn from(e: EnvId) -> Self {
        lsim_env { index: e.index, generation: e.generation }
    }
}

impl From<lsim_env> for EnvId {
    fn from(e: lsim_env) -> Self {
        EnvId { index: e.index, generation: e.generation }
    }
}

impl From<InvocationId> for lsim_invocation {
    fn from(i: InvocationId) -> Self {
        lsim_invocation { env: i.env.into(), seq: i.seq }
    }
}

impl From<lsim_invocation> for InvocationId {
    fn from(i: lsim_invocation) -> Self {
        InvocationId { env: i.env.into(), seq: i.seq }
    }
}

impl lsim_invoke_result {
    pub(crate) fn throttled(reason: ThrottleReason) -> Self {
        lsim_invoke_result { throttled: 1, throttle_reason: reason as u32, ..Self::default() }
    }
}

impl From<Started> for lsim_invoke_result {
    fn from(s: Started) -> Self {
        lsim_invoke_result {
            throttled: 0,
            throttle_reason: 0,
            invocation: s.invocation.into(),
            env: s.env.into(),
            start_kind: s.start as u32,
            on_provisioned: u32::from(s.on_provisioned),
            init_us: s.init.as_micros(),
            ready_at_us: s.ready_at.as_micros(),
            suppressed_init_us: s.suppressed_init.as_micros(),
        }
    }
}

impl From<Finished> for lsim_finish_result {
    fn from(f: Finished) -> Self {
        lsim_finish_result {
            function: f.function.into(),
            env: f.env.into(),
            duration_us: f.duration.as_micros(),
            env_kept: u32::from(f.env_kept),
        }
    }
}

impl From<FunctionCounts> for lsim_function_counts {
    fn from(c: FunctionCounts) -> Self {
        lsim_function_counts {
            busy: c.busy,
            busy_provisioned: c.busy_provisioned,
            idle: c.idle,
            idle_provisioned: c.idle_provisioned,
            creating: c.creating,
            initializing: c.initializing,
            live: c.live,
            shutting_down: c.shutting_down,
            provisioned: c.provisioned,
            provisioned_allocated: c.provisioned_allocated,
            provisioned_status: c.provisioned_status as u32,
            has_reserved: u32::from(c.reserved.is_some()),
            reserved: c.reserved.unwrap_or(0),
        }
    }
}

impl From<&Stats> for lsim_stats {
    fn from(s: &Stats) -> Self {
        lsim_stats {
            requests: s.requests,
            invocations: s.invocations,
            warm_starts: s.warm_starts,
            provisioned_starts: s.provisioned_starts,
            partial_cold_starts: s.partial_cold_starts,
            full_cold_starts: s.full_cold_starts,
            spillover: s.spillover,
            throttles: s.throttles,
            succeeded: s.succeeded,
            errors: s.errors,
            timeouts: s.timeouts,
            envs_created: s.envs_created,
            envs_terminated: s.envs_terminated,
            init_failures: s.init_failures,
        }
    }
}
