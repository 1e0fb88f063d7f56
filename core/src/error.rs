//! The error families of the region's operations.
//!
//! Each is a small `Copy` enum. An operation that returns an error has
//! changed nothing the caller can observe, except that time-driven events due
//! at or before `now` were applied first (they would have happened anyway).
//! A throttle is not an error: it is a normal answer of
//! [`Region::invoke`](crate::region::Region::invoke).

use crate::memory::MemoryError;
use core::fmt;

/// Why a region or function configuration was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigError {
    /// Memory below 128 MB. Use at least 128.
    MemoryBelowMinimum,
    /// Memory above 10240 MB (3008 MB under the legacy rule).
    MemoryAboveMaximum,
    /// Memory not a multiple of 64 MB under the legacy memory rule.
    MemoryNotOnStep,
    /// Function timeout outside 1..=900 s.
    TimeoutOutOfRange,
    /// Deployment package larger than 10 240 MB (the container-image limit).
    PackageTooLarge,
    /// Ephemeral storage outside 512..=10240 MB.
    EphemeralOutOfRange,
    /// The change would leave less than the unreserved minimum (100 by
    /// default) of the account limit unreserved. AWS answers
    /// `InvalidParameterValueException`; lower reserved or provisioned
    /// concurrency elsewhere first.
    UnreservedBelowMinimum,
    /// Provisioned concurrency above the function's reserved concurrency.
    ProvisionedExceedsReserved,
    /// The account limit is below the unreserved minimum, or zero.
    AccountLimitTooLow,
    /// A rate or ramp setting is zero where a positive value is required.
    InvalidSetting,
    /// The function handle is unknown or stale.
    UnknownFunction,
    /// `now` is earlier than the region's clock.
    TimeWentBackwards,
    /// The function still has invocations running; finish them first.
    FunctionBusy,
    /// The function table or environment table is full (fixed capacity).
    CapacityExceeded,
    /// A region's capacity is zero or above `Capacity::MAX` slots.
    InvalidCapacity,
    /// `max_retry_attempts` (Lambda's `MaximumRetryAttempts`) above 2.
    MaximumRetryAttemptsOutOfRange,
    /// `max_event_age` (Lambda's `MaximumEventAgeInSeconds`) outside
    /// 60..=21600 s or not whole seconds.
    MaximumEventAgeOutOfRange,
    /// An internal consistency check failed (a lambdasim bug; please report).
    Internal,
}

impl From<MemoryError> for ConfigError {
    fn from(e: MemoryError) -> Self {
        match e {
            MemoryError::BelowMinimum => ConfigError::MemoryBelowMinimum,
            MemoryError::AboveMaximum => ConfigError::MemoryAboveMaximum,
            MemoryError::NotOnStep => ConfigError::MemoryNotOnStep,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigError::MemoryBelowMinimum => "memory below the 128 MB minimum",
            ConfigError::MemoryAboveMaximum => "memory above the maximum (10240 MB; 3008 MB under the legacy rule)",
            ConfigError::MemoryNotOnStep => "memory not a multiple of 64 MB under the legacy rule",
            ConfigError::TimeoutOutOfRange => "function timeout outside 1..=900 s",
            ConfigError::PackageTooLarge => "deployment package above 10240 MB",
            ConfigError::EphemeralOutOfRange => "ephemeral storage outside 512..=10240 MB",
            ConfigError::UnreservedBelowMinimum => {
                "change would leave less than the unreserved minimum of the account limit unreserved (InvalidParameterValueException)"
            }
            ConfigError::ProvisionedExceedsReserved => "provisioned concurrency above reserved concurrency",
            ConfigError::AccountLimitTooLow => "account limit zero or below the unreserved minimum",
            ConfigError::InvalidSetting => "a rate or ramp setting is zero",
            ConfigError::UnknownFunction => "unknown or stale function handle",
            ConfigError::TimeWentBackwards => "time went backwards",
            ConfigError::FunctionBusy => "function has invocations running",
            ConfigError::CapacityExceeded => "function or environment table full",
            ConfigError::InvalidCapacity => "region capacity zero or above 4294967293 slots",
            ConfigError::MaximumRetryAttemptsOutOfRange => "max_retry_attempts (MaximumRetryAttempts) above 2",
            ConfigError::MaximumEventAgeOutOfRange => {
                "max_event_age (MaximumEventAgeInSeconds) outside 60..=21600 s or not whole seconds"
            }
            ConfigError::Internal => "internal consistency check failed",
        })
    }
}

impl core::error::Error for ConfigError {}

/// Why an invoke could not be evaluated (a throttle is not an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvokeError {
    /// The function handle is unknown or stale; no token was spent.
    UnknownFunction,
    /// `now` is earlier than the region's clock.
    TimeWentBackwards,
    /// A new environment was needed but the environment table is full. No
    /// token was spent; raise the region's capacity.
    CapacityExceeded,
    /// An internal consistency check failed (a lambdasim bug; please report).
    Internal,
}

impl fmt::Display for InvokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InvokeError::UnknownFunction => "unknown or stale function handle",
            InvokeError::TimeWentBackwards => "time went backwards",
            InvokeError::CapacityExceeded => "environment table full",
            InvokeError::Internal => "internal consistency check failed",
        })
    }
}

impl core::error::Error for InvokeError {}

/// Why an invocation could not be finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FinishError {
    /// The invocation handle is unknown, stale or already finished.
    UnknownInvocation,
    /// The region already ended this invocation at its timeout; it was
    /// counted as a timeout. Nothing to do.
    TimedOut,
    /// A successful finish before the cold start completed (its
    /// `ready_at`). Finish later, or report a failure, which ends the init.
    NotReady,
    /// `now` is earlier than the region's clock.
    TimeWentBackwards,
    /// An internal consistency check failed (a lambdasim bug; please report).
    Internal,
}

impl fmt::Display for FinishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FinishError::UnknownInvocation => "unknown, stale or finished invocation",
            FinishError::TimedOut => "invocation already ended at its timeout",
            FinishError::NotReady => "successful finish before the cold start completed",
            FinishError::TimeWentBackwards => "time went backwards",
            FinishError::Internal => "internal consistency check failed",
        })
    }
}

impl core::error::Error for FinishError {}

/// Why the clock could not be advanced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeError {
    /// `now` is earlier than the region's clock.
    WentBackwards,
    /// An internal consistency check failed (a lambdasim bug; please report).
    Internal,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeError::WentBackwards => "time went backwards",
            TimeError::Internal => "internal consistency check failed",
        })
    }
}

impl core::error::Error for TimeError {}

impl From<TimeError> for ConfigError {
    fn from(e: TimeError) -> Self {
        match e {
            TimeError::WentBackwards => ConfigError::TimeWentBackwards,
            TimeError::Internal => ConfigError::Internal,
        }
    }
}

impl From<TimeError> for InvokeError {
    fn from(e: TimeError) -> Self {
        match e {
            TimeError::WentBackwards => InvokeError::TimeWentBackwards,
            TimeError::Internal => InvokeError::Internal,
        }
    }
}

impl From<TimeError> for FinishError {
    fn from(e: TimeError) -> Self {
        match e {
            TimeError::WentBackwards => FinishError::TimeWentBackwards,
            TimeError::Internal => FinishError::Internal,
        }
    }
}
