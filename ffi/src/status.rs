//! Status codes: what every fallible entry point returns.

use core::ffi::{CStr, c_char};
use lambdasim::pricing::BillError;
use lambdasim::tuning::TuneError;
use lambdasim::{ConfigError, FinishError, InvokeError, TimeError};

/// The result of a fallible call. `LSIM_STATUS_OK` (0) is success; every
/// other value is an error and the call wrote none of its out-parameters
/// (except `*out_len` with `LSIM_STATUS_BUFFER_TOO_SMALL`, and
/// `lsim_scenario_check`'s message with `LSIM_STATUS_INVALID_SCENARIO`).
///
/// The numbers are stable forever: new codes are only appended, retired
/// ones stay reserved. `lsim_status_str` names each one.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum lsim_status {
    /// Success.
    Ok = 0,
    /// A required pointer argument (handle, config or out-parameter) was NULL.
    NullPointer = 1,
    /// The handle was freed, or never came from `lsim_region_new` (a region)
    /// or `lsim_scenario_run` (a simulation result), or is of the other kind.
    StaleHandle = 2,
    /// An earlier call on this region panicked inside lambdasim; the region
    /// is unusable. Free it (`lsim_region_free` still works).
    Poisoned = 3,
    /// This call panicked inside lambdasim (a bug; please report). The region
    /// it used, if any, is now poisoned.
    Panic = 4,
    /// An integer enumeration value is unknown, a 0/1 flag is neither, or a
    /// config's `struct_size` is not `sizeof` the struct of this ABI version.
    InvalidArgument = 5,
    /// The output buffer is too small: `*out_len` holds the size needed
    /// (including the terminating NUL).
    BufferTooSmall = 6,
    /// `now_us` is earlier than the region's clock. Nothing changed.
    TimeWentBackwards = 7,
    /// The function table (256) or environment table (16384) is full, or
    /// too many regions or simulation results are live, or a simulation
    /// needed more than 65 536 execution environments at once.
    CapacityExceeded = 8,
    /// The function handle is unknown or stale (the function was deleted),
    /// or belongs to another region (its `region_tag`), or a function index
    /// is not below a simulation result's function count.
    UnknownFunction = 9,
    /// The invocation handle is unknown, stale or already finished, or
    /// belongs to another region.
    UnknownInvocation = 10,
    /// A successful finish before the cold start completed (`ready_at_us`).
    /// Finish later, or report a failure, which ends the init.
    NotReady = 11,
    /// The region already ended this invocation at its function timeout
    /// (it was counted as a timeout). Nothing to do.
    TimedOut = 12,
    /// The function still has invocations running; finish them first.
    FunctionBusy = 13,
    /// Memory below 128 MB.
    MemoryBelowMinimum = 14,
    /// Memory above 10240 MB (3008 MB under the legacy memory rule).
    MemoryAboveMaximum = 15,
    /// Memory not a multiple of 64 MB under the legacy memory rule.
    MemoryNotOnStep = 16,
    /// Function timeout outside 1..=900000 ms.
    TimeoutOutOfRange = 17,
    /// Deployment package above 10240 MB.
    PackageTooLarge = 18,
    /// The change would leave less than the unreserved minimum unreserved
    /// (AWS `InvalidParameterValueException`).
    UnreservedBelowMinimum = 19,
    /// Provisioned concurrency above the function's reserved concurrency.
    ProvisionedExceedsReserved = 20,
    /// The account limit is zero or below the unreserved minimum.
    AccountLimitTooLow = 21,
    /// A rate or ramp setting is zero (or out of range) where a positive
    /// value is required, or an alarm setting CloudWatch refuses
    /// (`lsim_alarm_config_check` names the field).
    InvalidSetting = 22,
    /// An internal consistency check failed (a lambdasim bug; please report).
    Internal = 23,
    /// `lsim_region_check` found a broken invariant; read it with
    /// `lsim_region_check_message`.
    InvariantViolated = 24,
    /// Ephemeral storage outside 512..=10240 MB.
    EphemeralOutOfRange = 25,
    /// A usage or money total too large to represent exactly (a bill whose
    /// total does not fit 64-bit cents, or a sum past 128 bits of atoms or
    /// MB-ms). Nothing was written; never a wrong number.
    Overflow = 26,
    /// Fewer than 5 samples for a memory size (power tuning).
    TooFewSamples = 27,
    /// The scenario text is not a valid scenario (syntax, an unknown field, a
    /// value out of range, a trace file that cannot be read or does not
    /// fit). `lsim_scenario_check` writes why, with the line, column and field.
    InvalidScenario = 28,
    /// The simulator rejected a checked scenario (a lambdasim bug; please
    /// report), or the thread to run it on could not be started.
    SimulationFailed = 29,
    /// The environment handle is unknown or stale (the environment
    /// terminated and its slot was freed or reused, or it never existed), or
    /// belongs to another region.
    UnknownEnv = 30,
    /// The asynchronous event queue is full; the event was refused (and
    /// counted in `lsim_async_stats.rejected`).
    QueueFull = 31,
    /// `max_retry_attempts` (`MaximumRetryAttempts`) above 2.
    MaximumRetryAttemptsOutOfRange = 32,
    /// `max_event_age_s` (`MaximumEventAgeInSeconds`) outside 60..=21600.
    MaximumEventAgeOutOfRange = 33,
    /// The asynchronous event handle is unknown, belongs to another region,
    /// or its queue slot was taken by a later event.
    UnknownAsyncEvent = 34,
}

/// Every code, in numeric order.
pub(crate) const ALL_STATUSES: [lsim_status; 35] = [
    lsim_status::Ok,
    lsim_status::NullPointer,
    lsim_status::StaleHandle,
    lsim_status::Poisoned,
    lsim_status::Panic,
    lsim_status::InvalidArgument,
    lsim_status::BufferTooSmall,
    lsim_status::TimeWentBackwards,
    lsim_status::CapacityExceeded,
    lsim_status::UnknownFunction,
    lsim_status::UnknownInvocation,
    lsim_status::NotReady,
    lsim_status::TimedOut,
    lsim_status::FunctionBusy,
    lsim_status::MemoryBelowMinimum,
    lsim_status::MemoryAboveMaximum,
    lsim_status::MemoryNotOnStep,
    lsim_status::TimeoutOutOfRange,
    lsim_status::PackageTooLarge,
    lsim_status::UnreservedBelowMinimum,
    lsim_status::ProvisionedExceedsReserved,
    lsim_status::AccountLimitTooLow,
    lsim_status::InvalidSetting,
    lsim_status::Internal,
    lsim_status::InvariantViolated,
    lsim_status::EphemeralOutOfRange,
    lsim_status::Overflow,
    lsim_status::TooFewSamples,
    lsim_status::InvalidScenario,
    lsim_status::SimulationFailed,
    lsim_status::UnknownEnv,
    lsim_status::QueueFull,
    lsim_status::MaximumRetryAttemptsOutOfRange,
    lsim_status::MaximumEventAgeOutOfRange,
    lsim_status::UnknownAsyncEvent,
];

impl lsim_status {
    /// The code's name as the header spells it.
    pub const fn name(self) -> &'static CStr {
        match self {
            lsim_status::Ok => c"LSIM_STATUS_OK",
            lsim_status::NullPointer => c"LSIM_STATUS_NULL_POINTER",
            lsim_status::StaleHandle => c"LSIM_STATUS_STALE_HANDLE",
            lsim_status::Poisoned => c"LSIM_STATUS_POISONED",
            lsim_status::Panic => c"LSIM_STATUS_PANIC",
            lsim_status::InvalidArgument => c"LSIM_STATUS_INVALID_ARGUMENT",
            lsim_status::BufferTooSmall => c"LSIM_STATUS_BUFFER_TOO_SMALL",
            lsim_status::TimeWentBackwards => c"LSIM_STATUS_TIME_WENT_BACKWARDS",
            lsim_status::CapacityExceeded => c"LSIM_STATUS_CAPACITY_EXCEEDED",
            lsim_status::UnknownFunction => c"LSIM_STATUS_UNKNOWN_FUNCTION",
            lsim_status::UnknownInvocation => c"LSIM_STATUS_UNKNOWN_INVOCATION",
            lsim_status::NotReady => c"LSIM_STATUS_NOT_READY",
            lsim_status::TimedOut => c"LSIM_STATUS_TIMED_OUT",
            lsim_status::FunctionBusy => c"LSIM_STATUS_FUNCTION_BUSY",
            lsim_status::MemoryBelowMinimum => c"LSIM_STATUS_MEMORY_BELOW_MINIMUM",
            lsim_status::MemoryAboveMaximum => c"LSIM_STATUS_MEMORY_ABOVE_MAXIMUM",
            lsim_status::MemoryNotOnStep => c"LSIM_STATUS_MEMORY_NOT_ON_STEP",
            lsim_status::TimeoutOutOfRange => c"LSIM_STATUS_TIMEOUT_OUT_OF_RANGE",
            lsim_status::PackageTooLarge => c"LSIM_STATUS_PACKAGE_TOO_LARGE",
            lsim_status::UnreservedBelowMinimum => c"LSIM_STATUS_UNRESERVED_BELOW_MINIMUM",
            lsim_status::ProvisionedExceedsReserved => c"LSIM_STATUS_PROVISIONED_EXCEEDS_RESERVED",
            lsim_status::AccountLimitTooLow => c"LSIM_STATUS_ACCOUNT_LIMIT_TOO_LOW",
            lsim_status::InvalidSetting => c"LSIM_STATUS_INVALID_SETTING",
            lsim_status::Internal => c"LSIM_STATUS_INTERNAL",
            lsim_status::InvariantViolated => c"LSIM_STATUS_INVARIANT_VIOLATED",
            lsim_status::EphemeralOutOfRange => c"LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE",
            lsim_status::Overflow => c"LSIM_STATUS_OVERFLOW",
            lsim_status::TooFewSamples => c"LSIM_STATUS_TOO_FEW_SAMPLES",
            lsim_status::InvalidScenario => c"LSIM_STATUS_INVALID_SCENARIO",
            lsim_status::SimulationFailed => c"LSIM_STATUS_SIMULATION_FAILED",
            lsim_status::UnknownEnv => c"LSIM_STATUS_UNKNOWN_ENV",
            lsim_status::QueueFull => c"LSIM_STATUS_QUEUE_FULL",
            lsim_status::MaximumRetryAttemptsOutOfRange => c"LSIM_STATUS_MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE",
            lsim_status::MaximumEventAgeOutOfRange => c"LSIM_STATUS_MAXIMUM_EVENT_AGE_OUT_OF_RANGE",
            lsim_status::UnknownAsyncEvent => c"LSIM_STATUS_UNKNOWN_ASYNC_EVENT",
        }
    }

    /// The code with this number, if any.
    pub fn from_code(code: u32) -> Option<lsim_status> {
        ALL_STATUSES.iter().copied().find(|s| *s as u32 == code)
    }
}

/// The name of a status code ("LSIM_STATUS_OK", ...): a static
/// NUL-terminated string, never NULL; "unknown status" for an unknown code.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_status_str(code: u32) -> *const c_char {
    lsim_status::from_code(code).map_or(c"unknown status", lsim_status::name).as_ptr()
}

impl From<ConfigError> for lsim_status {
    fn from(e: ConfigError) -> Self {
        match e {
            ConfigError::MemoryBelowMinimum => lsim_status::MemoryBelowMinimum,
            ConfigError::MemoryAboveMaximum => lsim_status::MemoryAboveMaximum,
            ConfigError::MemoryNotOnStep => lsim_status::MemoryNotOnStep,
            ConfigError::TimeoutOutOfRange => lsim_status::TimeoutOutOfRange,
            ConfigError::PackageTooLarge => lsim_status::PackageTooLarge,
            ConfigError::EphemeralOutOfRange => lsim_status::EphemeralOutOfRange,
            ConfigError::UnreservedBelowMinimum => lsim_status::UnreservedBelowMinimum,
            ConfigError::ProvisionedExceedsReserved => lsim_status::ProvisionedExceedsReserved,
            ConfigError::AccountLimitTooLow => lsim_status::AccountLimitTooLow,
            ConfigError::InvalidSetting => lsim_status::InvalidSetting,
            ConfigError::UnknownFunction => lsim_status::UnknownFunction,
            ConfigError::TimeWentBackwards => lsim_status::TimeWentBackwards,
            ConfigError::FunctionBusy => lsim_status::FunctionBusy,
            ConfigError::CapacityExceeded => lsim_status::CapacityExceeded,
            ConfigError::InvalidCapacity => lsim_status::InvalidArgument,
            ConfigError::MaximumRetryAttemptsOutOfRange => lsim_status::MaximumRetryAttemptsOutOfRange,
            ConfigError::MaximumEventAgeOutOfRange => lsim_status::MaximumEventAgeOutOfRange,
            ConfigError::Internal => lsim_status::Internal,
            // A variant added to the core later: not silently OK.
            _ => lsim_status::Internal,
        }
    }
}

impl From<InvokeError> for lsim_status {
    fn from(e: InvokeError) -> Self {
        match e {
            InvokeError::UnknownFunction => lsim_status::UnknownFunction,
            InvokeError::TimeWentBackwards => lsim_status::TimeWentBackwards,
            InvokeError::CapacityExceeded => lsim_status::CapacityExceeded,
            InvokeError::Internal => lsim_status::Internal,
            _ => lsim_status::Internal,
        }
    }
}

impl From<FinishError> for lsim_status {
    fn from(e: FinishError) -> Self {
        match e {
            FinishError::UnknownInvocation => lsim_status::UnknownInvocation,
            FinishError::TimedOut => lsim_status::TimedOut,
            FinishError::NotReady => lsim_status::NotReady,
            FinishError::TimeWentBackwards => lsim_status::TimeWentBackwards,
            FinishError::Internal => lsim_status::Internal,
            _ => lsim_status::Internal,
        }
    }
}

impl From<TimeError> for lsim_status {
    fn from(e: TimeError) -> Self {
        match e {
            TimeError::WentBackwards => lsim_status::TimeWentBackwards,
            TimeError::Internal => lsim_status::Internal,
            _ => lsim_status::Internal,
        }
    }
}

impl From<BillError> for lsim_status {
    /// The entry points check memory and ephemeral sizes themselves first
    /// (for the precise `LSIM_STATUS_MEMORY_*` code), so the two validation
    /// variants only map here as a fallback.
    fn from(e: BillError) -> Self {
        match e {
            BillError::InvalidMemory => lsim_status::InvalidArgument,
            BillError::InvalidEphemeral => lsim_status::EphemeralOutOfRange,
            BillError::Overflow => lsim_status::Overflow,
            _ => lsim_status::Internal,
        }
    }
}

impl From<TuneError> for lsim_status {
    /// Memory sizes are checked before tuning (for the precise
    /// `LSIM_STATUS_MEMORY_*` code); `InvalidMemory` maps here as a fallback.
    fn from(e: TuneError) -> Self {
        match e {
            TuneError::Empty | TuneError::InvalidWeight | TuneError::InvalidMemory => lsim_status::InvalidArgument,
            TuneError::TooFewSamples => lsim_status::TooFewSamples,
            TuneError::BufferTooSmall { .. } => lsim_status::BufferTooSmall,
            TuneError::Overflow => lsim_status::Overflow,
            _ => lsim_status::Internal,
        }
    }
}
