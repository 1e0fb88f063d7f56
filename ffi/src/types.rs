//! The C-visible value types: configs, handles, results, counters and the
//! integer codes of the core's enumerations.
//!
//! Every struct is `#[repr(C)]` and holds only fixed-width integers, so any
//! bit pattern a C caller passes is a valid value; meaning is checked when it
//! is converted to the core's types (`LSIM_STATUS_INVALID_ARGUMENT` for an
//! unknown code or a flag other than 0/1).

#![allow(non_camel_case_types)]

use crate::registry::RegionTag;
use crate::status::lsim_status;
use lambdasim::cpu::DurationProfile;
use lambdasim::money::Money;
use lambdasim::pricing::{
    Architecture, Bill, FREE_EPHEMERAL_MB, Granularity, InvocationUsage, LineItem, LineKind, MAX_EPHEMERAL_MB,
    PriceBook, ProvisionedUsage, UsageClass,
};
use lambdasim::tuning::{Candidate, Strategy, TimeoutAdvice, TuneConfig, Tuned};
use lambdasim::{
    Capacity, ColdStartProfile, ConfigError, Duration, EnvId, EnvState, Finished, FunctionConfig, FunctionCounts,
    FunctionId, InvocationId, MemoryMb, MemoryRule, Occupancy, Outcome, ProvisionedStatus, RegionConfig, ScalingRule,
    StartKind, Started, Stats, ThrottleReason, WarmPick,
};

/// The version of this C ABI. `lsim_abi_version()` returns the library's;
/// a binding compiled against this header checks they are equal at load.
///
/// Version 2 added `region_tag` to `lsim_function` and `lsim_env` (so
/// `lsim_invocation` and the results holding them grew too). Version 3
/// added `env_capacity` and `function_capacity` to `lsim_region_config`.
/// Version 4 added a fifth throttle reason
/// (`LSIM_THROTTLE_FUNCTION_INVOCATION_RATE_LIMIT_EXCEEDED`), so
/// `lsim_stats.throttles` and `lsim_sim_summary.throttles_by_reason` grew.
pub const LSIM_ABI_VERSION: u32 = 4;

/// Environment slots of a region by default (`lsim_region_config.env_capacity`).
pub const LSIM_ENV_CAPACITY: usize = 16_384;
/// Function slots of a region by default (`lsim_region_config.function_capacity`).
pub const LSIM_FUNCTION_CAPACITY: usize = 256;
/// The largest `lsim_region_config.env_capacity`.
pub const LSIM_ENV_CAPACITY_MAX: usize = 4_194_304;
/// The largest `lsim_region_config.function_capacity`.
pub const LSIM_FUNCTION_CAPACITY_MAX: usize = 65_536;

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
/// Throttle reason: the synchronous request rate of a function with
/// provisioned concurrency (10 × its allocated provisioned concurrency per
/// second) is exhausted.
pub const LSIM_THROTTLE_FUNCTION_INVOCATION_RATE_LIMIT_EXCEEDED: u32 = 4;
/// Number of throttle reasons (the length of `lsim_stats.throttles`).
pub const LSIM_THROTTLE_REASON_COUNT: usize = 5;

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

/// Billing granularity: duration rounds up to 1 ms per invocation (since
/// December 2020). The default.
pub const LSIM_GRANULARITY_1MS: u32 = 0;
/// Billing granularity: duration rounds up to 100 ms per invocation (before
/// December 2020).
pub const LSIM_GRANULARITY_100MS: u32 = 1;

/// Architecture: x86_64. The default.
pub const LSIM_ARCH_X86_64: u32 = 0;
/// Architecture: arm64 (Graviton).
pub const LSIM_ARCH_ARM64: u32 = 1;
/// `lsim_bill_line.architecture` of a line that is not per architecture
/// (requests, ephemeral storage). Never accepted as an input.
pub const LSIM_ARCH_NONE: u32 = 255;

/// Usage class: on-demand environments, including spillover. The default.
pub const LSIM_USAGE_ON_DEMAND: u32 = 0;
/// Usage class: provisioned environments (no free tier).
pub const LSIM_USAGE_PROVISIONED: u32 = 1;

/// Price book: us-east-1 today (docs/model.md §5). The default.
pub const LSIM_PRICES_US_EAST_1: u32 = 0;
/// Price book: us-east-1 in the 100 ms era (flat x86 duration price
/// 0.00001667 per GB-s), otherwise as `LSIM_PRICES_US_EAST_1`.
pub const LSIM_PRICES_US_EAST_1_2020: u32 = 1;

/// Bill line: requests (quantity: requests billed after the free tier).
pub const LSIM_LINE_REQUESTS: u32 = 0;
/// Bill line: on-demand duration (quantity: MB-ms billed after the free tier).
pub const LSIM_LINE_DURATION: u32 = 1;
/// Bill line: provisioned concurrency allocated (quantity: MB-ms).
pub const LSIM_LINE_PROVISIONED_CONCURRENCY: u32 = 2;
/// Bill line: duration on provisioned concurrency (quantity: MB-ms).
pub const LSIM_LINE_PROVISIONED_DURATION: u32 = 3;
/// Bill line: ephemeral storage above 512 MB (quantity: MB-ms).
pub const LSIM_LINE_EPHEMERAL_STORAGE: u32 = 4;
/// The most lines a bill has (requests, three per architecture, storage).
pub const LSIM_BILL_MAX_LINES: usize = 8;

/// Memory list of a tuning run: the power-tuning tool's default
/// [128, 256, 512, 1024, 1536, 3008].
pub const LSIM_MEMORY_LIST_DEFAULT: u32 = 0;
/// Memory list of a tuning run: every size, 128..=10240 MB (10 113 sizes).
pub const LSIM_MEMORY_LIST_ALL: u32 = 1;
/// Memory list of a tuning run: `memories[0..memory_count]`, in that order.
pub const LSIM_MEMORY_LIST_CUSTOM: u32 = 2;
/// Candidates a `LSIM_MEMORY_LIST_DEFAULT` run produces.
pub const LSIM_DEFAULT_MEMORY_LIST_LEN: usize = 6;
/// Candidates a `LSIM_MEMORY_LIST_ALL` run produces.
pub const LSIM_ALL_MEMORY_LIST_LEN: usize = 10_113;

/// Tuning strategy: cheapest; ties go to the faster, then the smaller memory. The default.
pub const LSIM_STRATEGY_COST: u32 = 0;
/// Tuning strategy: fastest; ties go to the cheaper, then the smaller memory.
pub const LSIM_STRATEGY_SPEED: u32 = 1;
/// Tuning strategy: minimise `w*cost/max_cost + (1-w)*duration/max_duration`
/// with `w = weight_ppm / 1 000 000` (exact); ties go to the cheaper, the
/// faster, then the smaller memory.
pub const LSIM_STRATEGY_BALANCED: u32 = 2;
/// The largest `weight_ppm` (a weight of 1).
pub const LSIM_WEIGHT_PPM_MAX: u32 = 1_000_000;

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
    /// How billed duration rounds per invocation: `LSIM_GRANULARITY_1MS`
    /// (default, since December 2020) or `LSIM_GRANULARITY_100MS` (before).
    pub granularity: u32,
    /// 1 (default): an on-demand full cold start's init is billed (AWS bills
    /// it since 2025-08-01); 0: only the handler is (before, for zip
    /// functions on managed runtimes). A partial cold start's init runs
    /// inside the invoke and is always billed.
    pub bill_init: u32,
    /// The most environments (not yet terminated) the region holds at once,
    /// 1..=`LSIM_ENV_CAPACITY_MAX`. Default `LSIM_ENV_CAPACITY` (16 384).
    /// Memory follows use: the tables start small and grow by doubling up
    /// to this (about 220 bytes per environment slot in use).
    pub env_capacity: u32,
    /// The most functions the region holds at once,
    /// 1..=`LSIM_FUNCTION_CAPACITY_MAX`. Default `LSIM_FUNCTION_CAPACITY`
    /// (256); about 1.3 KB per function slot in use.
    pub function_capacity: u32,
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
    /// `LSIM_ARCH_X86_64` (default) or `LSIM_ARCH_ARM64`: prices differ.
    pub architecture: u32,
    /// Ephemeral storage (/tmp), MB, 512..=10240. Default 512 (the free amount).
    pub ephemeral_mb: u32,
}

/// A function of a region (by value). A deleted function's handle, or one
/// of another region, is answered with `LSIM_STATUS_UNKNOWN_FUNCTION`, never
/// another function.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_function {
    /// Slot in the function table.
    pub index: u32,
    /// Generation of the slot.
    pub generation: u32,
    /// The tag of the region that made the handle: nonzero, distinct for
    /// every region of the process. A handle with another region's tag (or
    /// 0) names nothing in this region.
    pub region_tag: u32,
}

/// An execution environment of a region (by value). One of another region
/// is unknown here (`LSIM_STATUS_UNKNOWN_ENV`, or
/// `LSIM_ENV_STATE_TERMINATED` from `lsim_env_state`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_env {
    /// Slot in the environment table.
    pub index: u32,
    /// Generation of the slot.
    pub generation: u32,
    /// The tag of the region that made the handle (as
    /// `lsim_function.region_tag`).
    pub region_tag: u32,
}

/// One invocation (by value): its environment and its sequence number there.
/// `env.region_tag` binds it to its region: another region answers
/// `LSIM_STATUS_UNKNOWN_INVOCATION`.
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
    /// Initializations that failed: an invocation failing during a full
    /// cold start, or a provisioned init over its limit. An on-demand init
    /// over 10 s is not a failure: it is retried inside the invoke (docs/model.md §1).
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

/// An unsigned 128-bit integer: `hi * 2^64 + lo`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_u128 {
    /// The high 64 bits.
    pub hi: u64,
    /// The low 64 bits.
    pub lo: u64,
}

/// Live and busy environments integrated over time, with peaks: what
/// averages such as `avg_instances` and CloudWatch's per-period maxima
/// need. Filled by `lsim_region_occupancy` and `lsim_function_occupancy`,
/// integrated up to the region's clock.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct lsim_occupancy {
    /// Live environments now.
    pub live: u32,
    /// Busy environments now (cold-starting ones included).
    pub busy: u32,
    /// The most busy environments ever.
    pub busy_peak: u32,
    /// The most busy environments since the window was last taken
    /// (`lsim_region_take_busy_window_peak`).
    pub window_peak: u32,
    /// Integral of live environments over time, in environment-us, up to `since_us`.
    pub live_env_us: lsim_u128,
    /// Integral of busy environments over time, in environment-us, up to `since_us`.
    pub busy_env_us: lsim_u128,
    /// The integrals run up to this instant (the region's clock), in us.
    pub since_us: u64,
    /// Time-averaged live environments from 0 to `since_us` (0 when `since_us` is 0).
    pub avg_live: f64,
    /// Time-averaged busy environments from 0 to `since_us` (0 when `since_us` is 0).
    pub avg_busy: f64,
}

/// An exact, non-negative amount of US dollars in atoms: one atom is
/// 1e-10 USD / 1 024 000, so every price times every usage is an exact
/// integer. `lsim_money_format` prints it exactly, `lsim_money_format_cents`
/// rounded to cents.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_money {
    /// The amount in atoms.
    pub atoms: lsim_u128,
}

/// A batch of invocations with the same shape, for `lsim_bill_usage`.
/// Fill with `lsim_invocation_usage_default`, then change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_invocation_usage {
    /// `sizeof(lsim_invocation_usage)`.
    pub struct_size: u32,
    /// `LSIM_ARCH_X86_64` (default) or `LSIM_ARCH_ARM64`.
    pub architecture: u32,
    /// Memory, MB (128..=10240). Default 128.
    pub memory_mb: u32,
    /// Ephemeral storage, MB (512..=10240). Default 512.
    pub ephemeral_mb: u32,
    /// `LSIM_USAGE_ON_DEMAND` (default) or `LSIM_USAGE_PROVISIONED`.
    pub usage_class: u32,
    /// `LSIM_GRANULARITY_1MS` (default) or `LSIM_GRANULARITY_100MS`.
    pub granularity: u32,
    /// Number of invocations (each one request). Default 0.
    pub requests: u64,
    /// Duration of each invocation, in us, billed per invocation rounded up
    /// to the granularity. Default 0.
    pub duration_us: u64,
}

/// Provisioned concurrency configured for a while, for `lsim_bill_usage`.
/// Fill with `lsim_provisioned_usage_default`, then change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_provisioned_usage {
    /// `sizeof(lsim_provisioned_usage)`.
    pub struct_size: u32,
    /// `LSIM_ARCH_X86_64` (default) or `LSIM_ARCH_ARM64`.
    pub architecture: u32,
    /// Memory, MB (128..=10240). Default 128.
    pub memory_mb: u32,
    /// Provisioned concurrency configured. Default 0.
    pub provisioned: u32,
    /// From enable to disable, in us; billed rounded up to 5 minutes. Default 0.
    pub enabled_us: u64,
}

/// One line of a bill.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_bill_line {
    /// An `LSIM_LINE_*` kind.
    pub kind: u32,
    /// `LSIM_ARCH_X86_64` or `LSIM_ARCH_ARM64` for per-architecture lines,
    /// `LSIM_ARCH_NONE` for requests and ephemeral storage.
    pub architecture: u32,
    /// Requests, or MB-ms (divide by 1 024 000 for GB-s).
    pub quantity: lsim_u128,
    /// The amount rounded to cents (half a cent rounds up), as AWS shows it.
    pub cents: u64,
    /// The exact amount.
    pub amount: lsim_money,
}

/// A bill: line items with a non-zero quantity in a fixed order (requests;
/// then per architecture, x86_64 first: duration, provisioned concurrency,
/// provisioned duration; then ephemeral storage), the shown total and the
/// exact total.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_bill {
    /// Lines used in `lines`.
    pub line_count: u32,
    /// The lines; entries past `line_count` are zero.
    pub lines: [lsim_bill_line; LSIM_BILL_MAX_LINES],
    /// The total as AWS shows it: the sum of the lines rounded to cents.
    pub total_cents: u64,
    /// The exact, unrounded total.
    pub exact_total: lsim_money,
}

/// A handler's work for the memory-to-CPU model (docs/model.md §3). Fill with
/// `lsim_duration_profile_default`, then change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_duration_profile {
    /// `sizeof(lsim_duration_profile)`.
    pub struct_size: u32,
    /// Time spent waiting (network, disk), unaffected by CPU, in us. Default 0.
    pub io_us: u64,
    /// CPU time at one full vCPU, in us. Default 0.
    pub cpu_us: u64,
    /// Threads the CPU work can use (0 is treated as 1). Default 1.
    pub threads: u32,
}

/// A power-tuning run over a duration profile. Fill with
/// `lsim_tune_request_default`, then change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_tune_request {
    /// `sizeof(lsim_tune_request)`.
    pub struct_size: u32,
    /// The handler's work (its own `struct_size` is checked too).
    pub profile: lsim_duration_profile,
    /// `LSIM_MEMORY_LIST_DEFAULT` (default), `_ALL` or `_CUSTOM`.
    pub memory_list: u32,
    /// With `LSIM_MEMORY_LIST_CUSTOM`: the sizes to try, MB (read only;
    /// may be NULL when `memory_count` is 0). Ignored otherwise.
    pub memories: *const u32,
    /// Entries in `memories`.
    pub memory_count: usize,
    /// `LSIM_STRATEGY_COST` (default), `_SPEED` or `_BALANCED`.
    pub strategy: u32,
    /// The balanced weight `w` in millionths, 0..=1 000 000 (checked with
    /// every strategy). Default 500 000.
    pub weight_ppm: u32,
    /// `LSIM_ARCH_X86_64` (default) or `LSIM_ARCH_ARM64`.
    pub architecture: u32,
    /// `LSIM_PRICES_US_EAST_1` (default) or `LSIM_PRICES_US_EAST_1_2020`.
    pub prices: u32,
    /// `LSIM_GRANULARITY_1MS` (default) or `LSIM_GRANULARITY_100MS`.
    pub granularity: u32,
    /// The function's configured timeout, ms (1..=900 000), for the timeout
    /// advice. Default 3000.
    pub configured_timeout_ms: u32,
}

/// Measured durations at one memory size, for `lsim_tune_samples`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_memory_samples {
    /// Memory, MB (128..=10240).
    pub memory_mb: u32,
    /// The durations, us (read only: the library sorts a copy).
    pub durations_us: *const u64,
    /// Entries in `durations_us`; at least 5.
    pub count: usize,
}

/// A power-tuning run over measured samples. Fill with
/// `lsim_tune_samples_request_default`, then change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_tune_samples_request {
    /// `sizeof(lsim_tune_samples_request)`.
    pub struct_size: u32,
    /// One entry per memory size, in the order candidates are written.
    pub sizes: *const lsim_memory_samples,
    /// Entries in `sizes`.
    pub size_count: usize,
    /// `LSIM_STRATEGY_COST` (default), `_SPEED` or `_BALANCED`.
    pub strategy: u32,
    /// The balanced weight in millionths, 0..=1 000 000. Default 500 000.
    pub weight_ppm: u32,
    /// `LSIM_ARCH_X86_64` (default) or `LSIM_ARCH_ARM64`.
    pub architecture: u32,
    /// `LSIM_PRICES_US_EAST_1` (default) or `LSIM_PRICES_US_EAST_1_2020`.
    pub prices: u32,
    /// `LSIM_GRANULARITY_1MS` (default) or `LSIM_GRANULARITY_100MS`.
    pub granularity: u32,
    /// The function's configured timeout, ms (1..=900 000). Default 3000.
    pub configured_timeout_ms: u32,
}

/// One evaluated memory size.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_tune_candidate {
    /// Memory, MB.
    pub memory_mb: u32,
    /// Duration at this size (profile, or trimmed mean of the samples), us.
    pub duration_us: u64,
    /// Billed ms of that duration at the run's granularity.
    pub billed_ms: u64,
    /// Cost of one invocation: the request plus tier-1 duration.
    pub cost: lsim_money,
}

/// The outcome of a tuning run: the pick, the normalisers of the balanced
/// score, and timeout advice for the picked size.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_tune_result {
    /// The picked candidate.
    pub pick: lsim_tune_candidate,
    /// Candidates evaluated (and written).
    pub count: usize,
    /// The most expensive candidate's cost.
    pub max_cost: lsim_money,
    /// The slowest candidate's duration, us.
    pub max_duration_us: u64,
    /// The 99th-percentile duration at the pick, us: the pick's duration for
    /// a profile, the nearest-rank p99 of its samples otherwise.
    pub p99_us: u64,
    /// p99 plus a 50 % margin, rounded up to whole seconds, within 1..=900 s, in ms.
    pub recommended_timeout_ms: u32,
    /// 1: the configured timeout is below p99 and would cut off the tail.
    pub cuts_tail: u32,
    /// 1: even 900 s does not cover p99 plus the margin; give it more memory.
    pub exceeds_max: u32,
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

impl TryFrom<Code> for Granularity {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_GRANULARITY_1MS => Ok(Granularity::Ms1),
            LSIM_GRANULARITY_100MS => Ok(Granularity::Ms100),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for Architecture {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_ARCH_X86_64 => Ok(Architecture::X86_64),
            LSIM_ARCH_ARM64 => Ok(Architecture::Arm64),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for UsageClass {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_USAGE_ON_DEMAND => Ok(UsageClass::OnDemand),
            LSIM_USAGE_PROVISIONED => Ok(UsageClass::Provisioned),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for PriceBook {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_PRICES_US_EAST_1 => Ok(PriceBook::US_EAST_1),
            LSIM_PRICES_US_EAST_1_2020 => Ok(PriceBook::US_EAST_1_2020),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

impl TryFrom<Code> for LineKind {
    type Error = lsim_status;
    fn try_from(c: Code) -> Result<Self, lsim_status> {
        match c.0 {
            LSIM_LINE_REQUESTS => Ok(LineKind::Requests),
            LSIM_LINE_DURATION => Ok(LineKind::Duration),
            LSIM_LINE_PROVISIONED_CONCURRENCY => Ok(LineKind::ProvisionedConcurrency),
            LSIM_LINE_PROVISIONED_DURATION => Ok(LineKind::ProvisionedDuration),
            LSIM_LINE_EPHEMERAL_STORAGE => Ok(LineKind::EphemeralStorage),
            _ => Err(lsim_status::InvalidArgument),
        }
    }
}

/// A strategy code and a weight from C. The weight is checked with every
/// strategy, so a garbage weight never hides behind `LSIM_STRATEGY_COST`.
pub(crate) fn strategy(code: u32, weight_ppm: u32) -> Result<Strategy, lsim_status> {
    if weight_ppm > LSIM_WEIGHT_PPM_MAX {
        return Err(lsim_status::InvalidArgument);
    }
    match code {
        LSIM_STRATEGY_COST => Ok(Strategy::Cost),
        LSIM_STRATEGY_SPEED => Ok(Strategy::Speed),
        LSIM_STRATEGY_BALANCED => Ok(Strategy::Balanced { weight_ppm }),
        _ => Err(lsim_status::InvalidArgument),
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
            granularity: d.granularity as u32,
            bill_init: u32::from(d.bill_init),
            env_capacity: LSIM_ENV_CAPACITY as u32,
            function_capacity: LSIM_FUNCTION_CAPACITY as u32,
        }
    }

    /// The region's table capacities.
    ///
    /// # Errors
    /// `InvalidArgument` for a capacity of 0 or above its `_MAX`.
    pub(crate) fn capacity(&self) -> Result<Capacity, lsim_status> {
        let (envs, functions) = (self.env_capacity as usize, self.function_capacity as usize);
        if !(1..=LSIM_ENV_CAPACITY_MAX).contains(&envs) || !(1..=LSIM_FUNCTION_CAPACITY_MAX).contains(&functions) {
            return Err(lsim_status::InvalidArgument);
        }
        Ok(Capacity { envs, functions })
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
            granularity: Granularity::try_from(Code(c.granularity))?,
            bill_init: flag(c.bill_init)?,
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
            architecture: d.architecture as u32,
            ephemeral_mb: d.ephemeral_mb,
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
            architecture: Architecture::try_from(Code(c.architecture))?,
            ephemeral_mb: c.ephemeral_mb,
        })
    }
}

impl From<&FunctionConfig> for lsim_function_config {
    /// The C form of a core configuration, with `struct_size` set.
    fn from(c: &FunctionConfig) -> Self {
        lsim_function_config {
            struct_size: size_of::<Self>() as u32,
            memory_mb: c.memory_mb,
            timeout_ms: c.timeout_ms,
            has_reserved: u32::from(c.reserved.is_some()),
            reserved: c.reserved.unwrap_or(0),
            provisioned: c.provisioned,
            sandbox_us: c.cold_start.sandbox_us,
            download_us_per_mb: c.cold_start.download_us_per_mb,
            package_mb: c.cold_start.package_mb,
            init_us: c.cold_start.init_us,
            architecture: c.architecture as u32,
            ephemeral_mb: c.ephemeral_mb,
        }
    }
}

impl From<Occupancy> for lsim_occupancy {
    fn from(o: Occupancy) -> Self {
        lsim_occupancy {
            live: o.live,
            busy: o.busy,
            busy_peak: o.busy_peak,
            window_peak: o.window_peak,
            live_env_us: o.live_env_us.into(),
            busy_env_us: o.busy_env_us.into(),
            since_us: o.since.as_micros(),
            avg_live: o.avg_live(),
            avg_busy: o.avg_busy(),
        }
    }
}

impl lsim_function {
    /// The handle of a function of the region tagged `tag`.
    pub(crate) fn bind(f: FunctionId, tag: RegionTag) -> Self {
        lsim_function { index: f.index, generation: f.generation, region_tag: tag.0 }
    }

    /// The function this handle names in the region tagged `tag`.
    ///
    /// # Errors
    /// `LSIM_STATUS_UNKNOWN_FUNCTION` for a handle of another region.
    pub(crate) fn id(self, tag: RegionTag) -> Result<FunctionId, lsim_status> {
        if self.region_tag != tag.0 {
            return Err(lsim_status::UnknownFunction);
        }
        Ok(FunctionId { index: self.index, generation: self.generation })
    }
}

impl lsim_env {
    /// The handle of an environment of the region tagged `tag`.
    pub(crate) fn bind(e: EnvId, tag: RegionTag) -> Self {
        lsim_env { index: e.index, generation: e.generation, region_tag: tag.0 }
    }

    /// The environment this handle names in the region tagged `tag`, or
    /// `None` for a handle of another region.
    pub(crate) fn id(self, tag: RegionTag) -> Option<EnvId> {
        (self.region_tag == tag.0).then_some(EnvId { index: self.index, generation: self.generation })
    }
}

impl lsim_invocation {
    /// The handle of an invocation of the region tagged `tag`.
    pub(crate) fn bind(i: InvocationId, tag: RegionTag) -> Self {
        lsim_invocation { env: lsim_env::bind(i.env, tag), seq: i.seq }
    }

    /// The invocation this handle names in the region tagged `tag`.
    ///
    /// # Errors
    /// `LSIM_STATUS_UNKNOWN_INVOCATION` for a handle of another region.
    pub(crate) fn id(self, tag: RegionTag) -> Result<InvocationId, lsim_status> {
        let env = self.env.id(tag).ok_or(lsim_status::UnknownInvocation)?;
        Ok(InvocationId { env, seq: self.seq })
    }
}

impl lsim_invoke_result {
    pub(crate) fn throttled(reason: ThrottleReason) -> Self {
        lsim_invoke_result { throttled: 1, throttle_reason: reason as u32, ..Self::default() }
    }

    /// A started invocation of the region tagged `tag`.
    pub(crate) fn started(s: Started, tag: RegionTag) -> Self {
        lsim_invoke_result {
            throttled: 0,
            throttle_reason: 0,
            invocation: lsim_invocation::bind(s.invocation, tag),
            env: lsim_env::bind(s.env, tag),
            start_kind: s.start as u32,
            on_provisioned: u32::from(s.on_provisioned),
            init_us: s.init.as_micros(),
            ready_at_us: s.ready_at.as_micros(),
            suppressed_init_us: s.suppressed_init.as_micros(),
        }
    }
}

impl lsim_finish_result {
    /// A finish in the region tagged `tag`.
    pub(crate) fn new(f: Finished, tag: RegionTag) -> Self {
        lsim_finish_result {
            function: lsim_function::bind(f.function, tag),
            env: lsim_env::bind(f.env, tag),
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

impl From<u128> for lsim_u128 {
    fn from(v: u128) -> Self {
        lsim_u128 { hi: (v >> 64) as u64, lo: v as u64 }
    }
}

impl From<lsim_u128> for u128 {
    fn from(v: lsim_u128) -> Self {
        (u128::from(v.hi) << 64) | u128::from(v.lo)
    }
}

impl From<Money> for lsim_money {
    fn from(m: Money) -> Self {
        lsim_money { atoms: m.atoms().into() }
    }
}

impl From<lsim_money> for Money {
    fn from(m: lsim_money) -> Self {
        Money::from_atoms(m.atoms.into())
    }
}

impl lsim_invocation_usage {
    /// The defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        lsim_invocation_usage {
            struct_size: size_of::<Self>() as u32,
            architecture: LSIM_ARCH_X86_64,
            memory_mb: MemoryMb::DEFAULT.get(),
            ephemeral_mb: FREE_EPHEMERAL_MB,
            usage_class: LSIM_USAGE_ON_DEMAND,
            granularity: LSIM_GRANULARITY_1MS,
            requests: 0,
            duration_us: 0,
        }
    }
}

impl TryFrom<&lsim_invocation_usage> for InvocationUsage {
    type Error = lsim_status;
    /// Checks the codes, the memory (`LSIM_STATUS_MEMORY_*`) and the
    /// ephemeral size (`LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE`); the billed ms
    /// are `requests x billed_ms(duration)`, exact in 128 bits.
    fn try_from(u: &lsim_invocation_usage) -> Result<Self, lsim_status> {
        let arch = Architecture::try_from(Code(u.architecture))?;
        let class = UsageClass::try_from(Code(u.usage_class))?;
        let granularity = Granularity::try_from(Code(u.granularity))?;
        MemoryMb::new(u.memory_mb).map_err(ConfigError::from)?;
        if !(FREE_EPHEMERAL_MB..=MAX_EPHEMERAL_MB).contains(&u.ephemeral_mb) {
            return Err(lsim_status::EphemeralOutOfRange);
        }
        let per_invocation = granularity.billed_ms(Duration::from_micros(u.duration_us));
        Ok(InvocationUsage {
            arch,
            memory_mb: u.memory_mb,
            ephemeral_mb: u.ephemeral_mb,
            class,
            requests: u.requests,
            billed_ms: u128::from(u.requests) * u128::from(per_invocation),
        })
    }
}

impl lsim_provisioned_usage {
    /// The defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        lsim_provisioned_usage {
            struct_size: size_of::<Self>() as u32,
            architecture: LSIM_ARCH_X86_64,
            memory_mb: MemoryMb::DEFAULT.get(),
            provisioned: 0,
            enabled_us: 0,
        }
    }
}

impl TryFrom<&lsim_provisioned_usage> for ProvisionedUsage {
    type Error = lsim_status;
    fn try_from(u: &lsim_provisioned_usage) -> Result<Self, lsim_status> {
        let arch = Architecture::try_from(Code(u.architecture))?;
        MemoryMb::new(u.memory_mb).map_err(ConfigError::from)?;
        Ok(ProvisionedUsage {
            arch,
            memory_mb: u.memory_mb,
            provisioned: u.provisioned,
            enabled: Duration::from_micros(u.enabled_us),
        })
    }
}

impl TryFrom<&LineItem> for lsim_bill_line {
    type Error = lsim_status;
    fn try_from(l: &LineItem) -> Result<Self, lsim_status> {
        Ok(lsim_bill_line {
            kind: l.kind as u32,
            architecture: l.arch.map_or(LSIM_ARCH_NONE, |a| a as u32),
            quantity: l.quantity.into(),
            cents: u64::try_from(l.cents()).map_err(|_| lsim_status::Overflow)?,
            amount: l.amount.into(),
        })
    }
}

impl TryFrom<&Bill> for lsim_bill {
    type Error = lsim_status;
    /// `LSIM_STATUS_OVERFLOW` when the total does not fit 64-bit cents.
    fn try_from(b: &Bill) -> Result<Self, lsim_status> {
        let mut out = lsim_bill {
            total_cents: u64::try_from(b.total_cents()).map_err(|_| lsim_status::Overflow)?,
            exact_total: b.exact_total().into(),
            ..lsim_bill::default()
        };
        for (slot, line) in out.lines.iter_mut().zip(b.lines()) {
            *slot = lsim_bill_line::try_from(line)?;
            out.line_count += 1;
        }
        if out.line_count as usize != b.lines().len() {
            return Err(lsim_status::Internal);
        }
        Ok(out)
    }
}

impl lsim_duration_profile {
    /// The defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        lsim_duration_profile { struct_size: size_of::<Self>() as u32, io_us: 0, cpu_us: 0, threads: 1 }
    }

    /// The core's profile, after checking `struct_size`.
    pub(crate) fn to_core(self) -> Result<DurationProfile, lsim_status> {
        if self.struct_size as usize != size_of::<Self>() {
            return Err(lsim_status::InvalidArgument);
        }
        Ok(DurationProfile { io_us: self.io_us, cpu_us: self.cpu_us, threads: self.threads })
    }
}

impl lsim_tune_request {
    /// The defaults, with both `struct_size` fields set.
    pub(crate) fn defaults() -> Self {
        lsim_tune_request {
            struct_size: size_of::<Self>() as u32,
            profile: lsim_duration_profile::defaults(),
            memory_list: LSIM_MEMORY_LIST_DEFAULT,
            memories: core::ptr::null(),
            memory_count: 0,
            strategy: LSIM_STRATEGY_COST,
            weight_ppm: 500_000,
            architecture: LSIM_ARCH_X86_64,
            prices: LSIM_PRICES_US_EAST_1,
            granularity: LSIM_GRANULARITY_1MS,
            configured_timeout_ms: FunctionConfig::DEFAULT_TIMEOUT_MS,
        }
    }
}

impl lsim_tune_samples_request {
    /// The defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        lsim_tune_samples_request {
            struct_size: size_of::<Self>() as u32,
            sizes: core::ptr::null(),
            size_count: 0,
            strategy: LSIM_STRATEGY_COST,
            weight_ppm: 500_000,
            architecture: LSIM_ARCH_X86_64,
            prices: LSIM_PRICES_US_EAST_1,
            granularity: LSIM_GRANULARITY_1MS,
            configured_timeout_ms: FunctionConfig::DEFAULT_TIMEOUT_MS,
        }
    }
}

/// The pricing settings of a tuning run from C codes.
pub(crate) fn tune_config(architecture: u32, prices: u32, granularity: u32) -> Result<TuneConfig, lsim_status> {
    Ok(TuneConfig {
        arch: Architecture::try_from(Code(architecture))?,
        prices: PriceBook::try_from(Code(prices))?,
        granularity: Granularity::try_from(Code(granularity))?,
    })
}

/// A configured timeout from C: 1..=900 000 ms.
pub(crate) fn configured_timeout(ms: u32) -> Result<u32, lsim_status> {
    if ms == 0 || ms > FunctionConfig::MAX_TIMEOUT_MS {
        return Err(lsim_status::TimeoutOutOfRange);
    }
    Ok(ms)
}

impl From<Candidate> for lsim_tune_candidate {
    fn from(c: Candidate) -> Self {
        lsim_tune_candidate {
            memory_mb: c.memory_mb,
            duration_us: c.duration_us,
            billed_ms: c.billed_ms,
            cost: c.cost.into(),
        }
    }
}

impl lsim_tune_result {
    pub(crate) fn new(t: &Tuned, advice: &TimeoutAdvice) -> Self {
        lsim_tune_result {
            pick: t.pick.into(),
            count: t.count,
            max_cost: t.max_cost.into(),
            max_duration_us: t.max_duration_us,
            p99_us: advice.p99_us,
            recommended_timeout_ms: advice.recommended_ms,
            cuts_tail: u32::from(advice.cuts_tail),
            exceeds_max: u32::from(advice.exceeds_max),
        }
    }
}
