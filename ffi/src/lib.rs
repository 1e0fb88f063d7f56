//! # lambdasim-ffi
//!
//! The C ABI of [`lambdasim`]: a region handle, by-value function,
//! environment and invocation handles, `#[repr(C)]` configs and results,
//! integer status codes, and whole scenario runs ([`sim`]: the
//! `lambdasim run` scenarios, through the `lambdasim-scenario` crate). `include/lambdasim.h` is generated from this crate
//! by `scripts/gen-header.sh` (cbindgen). The conventions:
//!
//! - every fallible function returns `lsim_status` (`LSIM_STATUS_OK` = 0) and
//!   writes its out-parameters (always last) only on success;
//! - every pointer is checked for NULL first (`LSIM_STATUS_NULL_POINTER`);
//! - `lsim_region *` and `lsim_sim_result *` are opaque values looked up in
//!   a registry, never dereferenced, so NULL, freed, stale and made-up
//!   handles are errors (`LSIM_STATUS_STALE_HANDLE`), never undefined
//!   behaviour; they are hard to guess (randomized per process);
//! - function, environment and invocation handles carry their region's
//!   `region_tag`: another region answers `LSIM_STATUS_UNKNOWN_FUNCTION`,
//!   `LSIM_STATUS_UNKNOWN_ENV` or `LSIM_STATUS_UNKNOWN_INVOCATION` before
//!   anything happens (its clock does not move);
//! - enumerations arrive as `uint32_t` and go through `TryFrom`
//!   (`LSIM_STATUS_INVALID_ARGUMENT` for unknown values); config structs
//!   start with `struct_size`, which must equal the struct's size;
//! - a panic is caught at the boundary (`LSIM_STATUS_PANIC`) and poisons the
//!   region (`LSIM_STATUS_POISONED` afterwards).
//!
//! The Rust functions are `unsafe` exactly when they read or write through a
//! caller's pointer; their `# Safety` sections say what the caller promises.
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks, missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod alarm;
pub mod alarm_names;
pub mod api;
pub mod api_flat;
pub mod async_invoke;
pub mod autoscaling;
pub mod cost;
pub mod metrics;
pub mod registry;
pub mod sim;
pub mod sim_latency;
pub mod status;
pub mod sweep;
pub mod types;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_alarm;
#[cfg(test)]
mod tests_async;
#[cfg(test)]
mod tests_cost;
#[cfg(test)]
mod tests_extras;
#[cfg(test)]
mod tests_fast;
#[cfg(test)]
mod tests_handles;
#[cfg(test)]
mod tests_invoke_for;
#[cfg(test)]
mod tests_metrics;
#[cfg(test)]
mod tests_sim;
#[cfg(test)]
mod tests_sim_latency;
#[cfg(test)]
mod tests_sweep;

pub use alarm::*;
pub use alarm_names::*;
pub use api::*;
pub use api_flat::*;
pub use async_invoke::*;
pub use autoscaling::*;
pub use cost::*;
pub use metrics::*;
pub use registry::lsim_region;
pub use sim::*;
pub use sim_latency::*;
pub use status::{lsim_status, lsim_status_str};
pub use sweep::*;
pub use types::*;

// The C codes are the core's discriminants: `as u32` casts rely on it.
const _: () = {
    use lambdasim::{EnvState, Outcome, ProvisionedStatus, StartKind, ThrottleReason, WarmPick};
    assert!(StartKind::Warm as u32 == LSIM_START_KIND_WARM);
    assert!(StartKind::Provisioned as u32 == LSIM_START_KIND_PROVISIONED);
    assert!(StartKind::PartialCold as u32 == LSIM_START_KIND_PARTIAL_COLD);
    assert!(StartKind::FullCold as u32 == LSIM_START_KIND_FULL_COLD);
    assert!(
        ThrottleReason::ConcurrentInvocationLimitExceeded as u32 == LSIM_THROTTLE_CONCURRENT_INVOCATION_LIMIT_EXCEEDED
    );
    assert!(
        ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded as u32
            == LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED
    );
    assert!(ThrottleReason::RequestRateExceeded as u32 == LSIM_THROTTLE_REQUEST_RATE_EXCEEDED);
    assert!(ThrottleReason::ScalingRateExceeded as u32 == LSIM_THROTTLE_SCALING_RATE_EXCEEDED);
    assert!(
        ThrottleReason::FunctionInvocationRateLimitExceeded as u32
            == LSIM_THROTTLE_FUNCTION_INVOCATION_RATE_LIMIT_EXCEEDED
    );
    assert!(ThrottleReason::ALL.len() == LSIM_THROTTLE_REASON_COUNT);
    assert!(Outcome::Success as u32 == LSIM_OUTCOME_SUCCESS);
    assert!(Outcome::FunctionError as u32 == LSIM_OUTCOME_FUNCTION_ERROR);
    assert!(Outcome::Timeout as u32 == LSIM_OUTCOME_TIMEOUT);
    assert!(Outcome::Crash as u32 == LSIM_OUTCOME_CRASH);
    assert!(ProvisionedStatus::None as u32 == LSIM_PROVISIONED_STATUS_NONE);
    assert!(ProvisionedStatus::InProgress as u32 == LSIM_PROVISIONED_STATUS_IN_PROGRESS);
    assert!(ProvisionedStatus::Ready as u32 == LSIM_PROVISIONED_STATUS_READY);
    assert!(ProvisionedStatus::Failed as u32 == LSIM_PROVISIONED_STATUS_FAILED);
    assert!(EnvState::Creating as u32 == LSIM_ENV_STATE_CREATING);
    assert!(EnvState::Initializing as u32 == LSIM_ENV_STATE_INITIALIZING);
    assert!(EnvState::Idle as u32 == LSIM_ENV_STATE_IDLE);
    assert!(EnvState::Busy as u32 == LSIM_ENV_STATE_BUSY);
    assert!(EnvState::ShuttingDown as u32 == LSIM_ENV_STATE_SHUTTING_DOWN);
    assert!(EnvState::Terminated as u32 == LSIM_ENV_STATE_TERMINATED);
    assert!(WarmPick::MostRecentlyUsed as u32 == LSIM_WARM_PICK_MRU);
    assert!(WarmPick::LeastRecentlyUsed as u32 == LSIM_WARM_PICK_LRU);
    use lambdasim::pricing::{Architecture, Granularity, LineKind, UsageClass};
    assert!(Architecture::X86_64 as u32 == LSIM_ARCH_X86_64);
    assert!(Architecture::Arm64 as u32 == LSIM_ARCH_ARM64);
    assert!(Granularity::Ms1 as u32 == LSIM_GRANULARITY_1MS);
    assert!(Granularity::Ms100 as u32 == LSIM_GRANULARITY_100MS);
    assert!(UsageClass::OnDemand as u32 == LSIM_USAGE_ON_DEMAND);
    assert!(UsageClass::Provisioned as u32 == LSIM_USAGE_PROVISIONED);
    assert!(LineKind::Requests as u32 == LSIM_LINE_REQUESTS);
    assert!(LineKind::Duration as u32 == LSIM_LINE_DURATION);
    assert!(LineKind::ProvisionedConcurrency as u32 == LSIM_LINE_PROVISIONED_CONCURRENCY);
    assert!(LineKind::ProvisionedDuration as u32 == LSIM_LINE_PROVISIONED_DURATION);
    assert!(LineKind::EphemeralStorage as u32 == LSIM_LINE_EPHEMERAL_STORAGE);
    assert!(lambdasim::tuning::DEFAULT_MEMORY_LIST.len() == LSIM_DEFAULT_MEMORY_LIST_LEN);
    assert!((lambdasim::MemoryMb::MAX.get() - lambdasim::MemoryMb::MIN.get() + 1) as usize == LSIM_ALL_MEMORY_LIST_LEN);
};
