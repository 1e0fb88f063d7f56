//! # lambdasim
//!
//! A deterministic, embeddable model of AWS Lambda: execution environments
//! and their lifecycle, concurrency accounting (account limit, reserved and
//! provisioned concurrency, scaling and request rates), memory → CPU, exact
//! pricing, power tuning and a discrete-event simulator. The rules and AWS's
//! numbers, with the AWS page each comes from, are in the repository's
//! [docs/model.md](https://github.com/lambdasim/lambdasim/blob/main/docs/model.md);
//! each module cites the section it models as "docs/model.md §N".
//!
//! The crate is `#![no_std]`, allocates nothing, reads no clock and no
//! entropy, and never panics on any input: time is an argument (`now`), every
//! table has a fixed capacity, and every bad input is an error value.
//!
//! ```
//! use lambdasim::{FunctionConfig, Instant, Invoked, Region, RegionConfig, ThrottleReason};
//!
//! let mut region: Region = Region::new(RegionConfig::default())?;
//! let config = FunctionConfig { reserved: Some(0), ..FunctionConfig::default() };
//! let f = region.create_function(Instant::ZERO, &config)?;
//! // Reserved concurrency 0 throttles every invocation.
//! assert_eq!(
//!     region.invoke(Instant::ZERO, f)?,
//!     Invoked::Throttled(ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded)
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod autoscaling;
pub mod concurrency;
pub mod cpu;
pub mod deployment;
pub mod environment;
pub mod error;
pub mod function;
pub mod memory;
pub mod metrics;
pub mod money;
pub mod pricing;
pub mod region;
pub mod rng;
pub mod sim;
pub mod storage;
pub mod time;
mod timer;
pub mod tuning;
pub mod vpc;
mod wheel;

pub use concurrency::{ScalingRule, ThrottleReason};
pub use environment::{EnvKind, EnvState};
pub use error::{ConfigError, FinishError, InvokeError, TimeError};
pub use function::{ColdStartProfile, FunctionConfig, ProvisionedStatus};
pub use memory::{MemoryMb, MemoryRule};
pub use region::{
    Capacity, ENV_SLOT_BYTES, EnvId, FUNCTION_SLOT_BYTES, Finished, FunctionCounts, FunctionId, Handler, InvocationId,
    Invoked, Occupancy, Outcome, Region, RegionConfig, RegionStorage, StartKind, Started, Stats, Violation,
    WHEEL_BYTES, WarmPick,
};
pub use rng::Rng;
pub use storage::Slots;
pub use time::{Duration, Instant};
