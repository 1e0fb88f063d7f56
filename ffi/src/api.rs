//! The entry points. Each body runs inside `guard` (a panic becomes
//! `LSIM_STATUS_PANIC`), checks every pointer for NULL before anything else,
//! and writes its out-parameters only once everything has succeeded.

use crate::registry::{self, CoreRegion, RegionTag, guard, lsim_region, with_region, with_tagged_region};
use crate::status::lsim_status;
use crate::types::{
    Code, LSIM_ABI_VERSION, flag, lsim_env, lsim_finish_result, lsim_function, lsim_function_config,
    lsim_function_counts, lsim_invocation, lsim_invoke_result, lsim_occupancy, lsim_region_config, lsim_region_counts,
    lsim_stats,
};
use core::ffi::{CStr, c_char};
use lambdasim::{
    Capacity, Duration, EnvState, FunctionConfig, Handler, Instant, Invoked, Outcome, ProvisionedStatus, RegionConfig,
    StartKind, ThrottleReason,
};

// ---- pointer helpers -------------------------------------------------------

/// `LSIM_STATUS_NULL_POINTER` for a NULL pointer.
pub(crate) fn non_null<T>(p: *const T) -> Result<(), lsim_status> {
    if p.is_null() { Err(lsim_status::NullPointer) } else { Ok(()) }
}

/// Reads a config struct whose first field is `uint32_t struct_size`,
/// after checking that field is exactly `size_of::<T>()`.
///
/// # Safety
/// `p` is NULL, or points to at least 4 readable bytes, and to
/// `size_of::<T>()` readable bytes when those 4 bytes say so. `T` must be a
/// `#[repr(C)]` struct of integers starting with a `u32` (any bits valid).
pub(crate) unsafe fn read_config<T: Copy>(p: *const T) -> Result<T, lsim_status> {
    non_null(p)?;
    // SAFETY: `p` is non-null and the caller promises the struct_size field is readable.
    let struct_size = unsafe { p.cast::<u32>().read_unaligned() };
    if usize::try_from(struct_size).ok() != Some(size_of::<T>()) {
        return Err(lsim_status::InvalidArgument);
    }
    // SAFETY: struct_size says the caller's struct is a whole `T`; every bit
    // pattern is a valid `T` (integers only); unaligned reads are allowed.
    Ok(unsafe { p.read_unaligned() })
}

/// Writes an out-parameter already checked non-null.
///
/// # Safety
/// `p` is non-null and valid for writes of `T`.
pub(crate) unsafe fn write_out<T>(p: *mut T, value: T) {
    // SAFETY: guaranteed by the caller; unaligned writes are allowed.
    unsafe { p.write_unaligned(value) }
}

fn at(now_us: u64) -> Instant {
    Instant::from_micros(now_us)
}

// ---- versions and names ----------------------------------------------------

/// The ABI version of the loaded library; compare with `LSIM_ABI_VERSION`.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_abi_version() -> u32 {
    LSIM_ABI_VERSION
}

const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(v) => v,
    Err(_) => c"unknown",
};

/// The library's version ("0.1.0"): a static NUL-terminated string.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The AWS name of a throttle reason (`LSIM_THROTTLE_*`), e.g.
/// "ReservedFunctionConcurrentInvocationLimitExceeded": a static string,
/// never NULL; "unknown" for an unknown code.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_throttle_reason_str(reason: u32) -> *const c_char {
    let name = match ThrottleReason::try_from(Code(reason)) {
        Ok(ThrottleReason::ConcurrentInvocationLimitExceeded) => c"ConcurrentInvocationLimitExceeded",
        Ok(ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded) => {
            c"ReservedFunctionConcurrentInvocationLimitExceeded"
        }
        Ok(ThrottleReason::RequestRateExceeded) => c"RequestRateExceeded",
        Ok(ThrottleReason::ScalingRateExceeded) => c"ScalingRateExceeded",
        Ok(ThrottleReason::FunctionInvocationRateLimitExceeded) => c"FunctionInvocationRateLimitExceeded",
        Err(_) => c"unknown",
    };
    name.as_ptr()
}

/// The name of a start kind (`LSIM_START_KIND_*`): "Warm", "Provisioned",
/// "PartialCold" or "FullCold"; "unknown" for an unknown code. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_start_kind_str(kind: u32) -> *const c_char {
    let name = match StartKind::try_from(Code(kind)) {
        Ok(StartKind::Warm) => c"Warm",
        Ok(StartKind::Provisioned) => c"Provisioned",
        Ok(StartKind::PartialCold) => c"PartialCold",
        Ok(StartKind::FullCold) => c"FullCold",
        Err(_) => c"unknown",
    };
    name.as_ptr()
}

/// The name of an environment state (`LSIM_ENV_STATE_*`): "Creating",
/// "Initializing", "Idle", "Busy", "ShuttingDown" or "Terminated";
/// "unknown" for an unknown code. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_env_state_str(state: u32) -> *const c_char {
    let name = match EnvState::try_from(Code(state)) {
        Ok(EnvState::Creating) => c"Creating",
        Ok(EnvState::Initializing) => c"Initializing",
        Ok(EnvState::Idle) => c"Idle",
        Ok(EnvState::Busy) => c"Busy",
        Ok(EnvState::ShuttingDown) => c"ShuttingDown",
        Ok(EnvState::Terminated) => c"Terminated",
        Err(_) => c"unknown",
    };
    name.as_ptr()
}

/// The AWS name of a provisioned status (`LSIM_PROVISIONED_STATUS_*`):
/// "NONE", "IN_PROGRESS", "READY" or "FAILED"; "unknown" for an unknown
/// code. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_provisioned_status_str(status: u32) -> *const c_char {
    let name = match ProvisionedStatus::try_from(Code(status)) {
        Ok(ProvisionedStatus::None) => c"NONE",
        Ok(ProvisionedStatus::InProgress) => c"IN_PROGRESS",
        Ok(ProvisionedStatus::Ready) => c"READY",
        Ok(ProvisionedStatus::Failed) => c"FAILED",
        Err(_) => c"unknown",
    };
    name.as_ptr()
}

/// The name of an outcome (`LSIM_OUTCOME_*`): "Success", "FunctionError",
/// "Timeout" or "Crash"; "unknown" for an unknown code. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_outcome_str(outcome: u32) -> *const c_char {
    let name = match Outcome::try_from(Code(outcome)) {
        Ok(Outcome::Success) => c"Success",
        Ok(Outcome::FunctionError) => c"FunctionError",
        Ok(Outcome::Timeout) => c"Timeout",
        Ok(Outcome::Crash) => c"Crash",
        Err(_) => c"unknown",
    };
    name.as_ptr()
}

// ---- configs -----------------------------------------------------------------

/// Fills `*out` with the default region settings (today's AWS rules) and
/// sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_region_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_config_default(out: *mut lsim_region_config) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_region_config::defaults()) };
        Ok(())
    })
}

/// Fills `*out` with the default function configuration (128 MB, 3 s, no
/// reserved or provisioned concurrency, default cold-start profile) and sets
/// `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_function_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_config_default(out: *mut lsim_function_config) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_function_config::defaults()) };
        Ok(())
    })
}

// ---- region lifecycle ----------------------------------------------------------

/// Builds a region with owned tables that start small and grow up to
/// `capacity` (so it is a few kilobytes until used, on any caller stack).
fn build_region(config: RegionConfig, capacity: Capacity) -> Result<Box<CoreRegion>, lsim_status> {
    Ok(Box::new(CoreRegion::with_capacity(config, capacity)?))
}

#[cfg(test)]
pub(crate) fn build_region_for_tests(config: RegionConfig) -> Box<CoreRegion> {
    let capacity = Capacity { envs: crate::types::LSIM_ENV_CAPACITY, functions: crate::types::LSIM_FUNCTION_CAPACITY };
    build_region(config, capacity).unwrap()
}

/// Creates a region (no functions, clock at 0) and writes its handle to
/// `*out`. Free it with `lsim_region_free`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` (bad
/// `struct_size`, unknown `scaling_rule`, `warm_pick` or `memory_rule`,
/// `env_capacity` or `function_capacity` 0 or above its `_MAX`);
/// `LSIM_STATUS_ACCOUNT_LIMIT_TOO_LOW`; `LSIM_STATUS_INVALID_SETTING` (zero
/// legacy burst, provisioned ramp of 0 or above 60 000 000 per minute);
/// `LSIM_STATUS_CAPACITY_EXCEEDED` (too many live regions).
///
/// # Safety
/// `config` is NULL or points to a readable `lsim_region_config` (at least
/// its `struct_size` field, and as many bytes as that field says); `out` is
/// NULL or valid for writes of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_new(config: *const lsim_region_config, out: *mut *mut lsim_region) -> lsim_status {
    guard(|| {
        non_null(config)?;
        non_null(out)?;
        // SAFETY: non-null, readable per the contract.
        let c = unsafe { read_config(config) }?;
        let region = build_region(RegionConfig::try_from(&c)?, c.capacity()?)?;
        let handle = registry::insert(region)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, handle) };
        Ok(())
    })
}

/// Frees a region. Every copy of its handle becomes stale: later calls with
/// it return `LSIM_STATUS_STALE_HANDLE` (so does a second free). A poisoned
/// region can still be freed. NULL is a no-op returning `LSIM_STATUS_OK`.
///
/// # Errors
/// `LSIM_STATUS_STALE_HANDLE` for a freed or made-up handle (nothing happens).
#[unsafe(no_mangle)]
pub extern "C" fn lsim_region_free(region: *mut lsim_region) -> lsim_status {
    guard(|| if region.is_null() { Ok(()) } else { registry::remove(region) })
}

// ---- functions -----------------------------------------------------------------

/// Creates a function at `now_us` and writes its handle to `*out`.
/// Provisioned concurrency in `config` starts allocating at once.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`, `LSIM_STATUS_STALE_HANDLE`,
/// `LSIM_STATUS_POISONED`, `LSIM_STATUS_INVALID_ARGUMENT` (bad
/// `struct_size`, `has_reserved` not 0/1), `LSIM_STATUS_MEMORY_*`,
/// `LSIM_STATUS_TIMEOUT_OUT_OF_RANGE`, `LSIM_STATUS_PACKAGE_TOO_LARGE`,
/// `LSIM_STATUS_PROVISIONED_EXCEEDS_RESERVED`,
/// `LSIM_STATUS_UNRESERVED_BELOW_MINIMUM`, `LSIM_STATUS_CAPACITY_EXCEEDED`,
/// `LSIM_STATUS_TIME_WENT_BACKWARDS`.
///
/// # Safety
/// `config` as for `lsim_region_new`; `out` is NULL or valid for writes of
/// one `lsim_function`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_create(
    region: *mut lsim_region,
    now_us: u64,
    config: *const lsim_function_config,
    out: *mut lsim_function,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(config)?;
        non_null(out)?;
        // SAFETY: non-null, readable per the contract.
        let c = unsafe { read_config(config) }?;
        let config = FunctionConfig::try_from(&c)?;
        let f =
            with_tagged_region(region, |r, tag| Ok(lsim_function::bind(r.create_function(at(now_us), &config)?, tag)))?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, f) };
        Ok(())
    })
}

/// Replaces a function's configuration at `now_us`. A change of memory,
/// timeout or cold-start profile is a new version: new invocations go to new
/// environments, and provisioned concurrency is allocated again.
///
/// # Errors
/// As `lsim_function_create`, plus `LSIM_STATUS_UNKNOWN_FUNCTION`. On error
/// the function is unchanged; as for every call given a valid `now_us`, the
/// region's clock still moves to `now_us` and events due by then are applied.
///
/// # Safety
/// `config` as for `lsim_region_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_update(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    config: *const lsim_function_config,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(config)?;
        // SAFETY: non-null, readable per the contract.
        let c = unsafe { read_config(config) }?;
        let config = FunctionConfig::try_from(&c)?;
        with_tagged_region(region, |r, tag| Ok(r.update_function(at(now_us), function.id(tag)?, &config)?))
    })
}

/// Sets (`has_reserved` = 1) or removes (`has_reserved` = 0, `reserved`
/// ignored) a function's reserved concurrency (AWS `PutFunctionConcurrency`
/// / `DeleteFunctionConcurrency`).
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`, `LSIM_STATUS_STALE_HANDLE`,
/// `LSIM_STATUS_POISONED`, `LSIM_STATUS_INVALID_ARGUMENT` (`has_reserved`
/// not 0/1), `LSIM_STATUS_UNKNOWN_FUNCTION`,
/// `LSIM_STATUS_PROVISIONED_EXCEEDS_RESERVED`,
/// `LSIM_STATUS_UNRESERVED_BELOW_MINIMUM`, `LSIM_STATUS_TIME_WENT_BACKWARDS`.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_function_put_reserved(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    has_reserved: u32,
    reserved: u32,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        let reserved = flag(has_reserved)?.then_some(reserved);
        with_tagged_region(region, |r, tag| Ok(r.put_reserved(at(now_us), function.id(tag)?, reserved)?))
    })
}

/// Sets a function's provisioned concurrency (AWS
/// `PutProvisionedConcurrencyConfig`; 0 removes it).
///
/// # Errors
/// As `lsim_function_put_reserved`.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_function_put_provisioned(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    provisioned: u32,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        with_tagged_region(region, |r, tag| Ok(r.put_provisioned(at(now_us), function.id(tag)?, provisioned)?))
    })
}

/// Deletes a function; its handle (and every copy) becomes stale
/// (`LSIM_STATUS_UNKNOWN_FUNCTION`).
///
/// # Errors
/// `LSIM_STATUS_FUNCTION_BUSY` while invocations run (the function is kept;
/// the clock still moves to `now_us`),
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, `LSIM_STATUS_TIME_WENT_BACKWARDS`, and the
/// handle errors.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_function_delete(region: *mut lsim_region, now_us: u64, function: lsim_function) -> lsim_status {
    guard(|| {
        non_null(region)?;
        with_tagged_region(region, |r, tag| Ok(r.delete_function(at(now_us), function.id(tag)?)?))
    })
}

/// Overrides how long `function`'s on-demand environments are kept idle:
/// `has_keep_alive` = 1 sets `keep_alive_us`; 0 (`keep_alive_us` ignored)
/// goes back to the region's `idle_timeout_us`. Applies to environments that
/// become idle from now on (a keep-alive policy drives this).
///
/// # Errors
/// `LSIM_STATUS_INVALID_ARGUMENT` (`has_keep_alive` not 0/1),
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, `LSIM_STATUS_TIME_WENT_BACKWARDS`, and the
/// handle errors.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_function_set_keep_alive(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    has_keep_alive: u32,
    keep_alive_us: u64,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        let keep_alive = flag(has_keep_alive)?.then(|| Duration::from_micros(keep_alive_us));
        with_tagged_region(region, |r, tag| Ok(r.set_keep_alive(at(now_us), function.id(tag)?, keep_alive)?))
    })
}

/// Starts a new on-demand environment for `function` at `now_us` without an
/// invocation (pre-warming before expected traffic): it is created and
/// initialized like a full cold start, then idles like any warm
/// environment. It needs a scaling token like any new environment and is
/// not concurrency. `*started` = 1 and `*env` = the new environment, or
/// `*started` = 0 (and `*env` untouched) when no scaling token is available.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, `LSIM_STATUS_TIME_WENT_BACKWARDS`,
/// `LSIM_STATUS_CAPACITY_EXCEEDED` (environment table full; no token spent),
/// and the handle/pointer errors.
///
/// # Safety
/// `started` is NULL or valid for writes of one `uint32_t`; `env` is NULL or
/// valid for writes of one `lsim_env`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_prewarm(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    started: *mut u32,
    env: *mut lsim_env,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(started)?;
        non_null(env)?;
        let new_env = with_tagged_region(region, |r, tag| {
            Ok(r.prewarm(at(now_us), function.id(tag)?)?.map(|e| lsim_env::bind(e, tag)))
        })?;
        // SAFETY: both non-null, writable per the contract.
        unsafe {
            if let Some(e) = new_env {
                write_out(env, e);
            }
            write_out(started, u32::from(new_env.is_some()));
        }
        Ok(())
    })
}

// ---- invoke, finish, time ----------------------------------------------------------

/// The body of the entry points that answer one value from a region:
/// checks the pointers, runs `read` on the region (with its tag, to check
/// and make handles) and writes its answer to `out` (nothing is written on
/// an error).
///
/// # Safety
/// `out` is NULL or valid for writes of one `T`.
pub(crate) unsafe fn read_into<T>(
    region: *const lsim_region,
    out: *mut T,
    read: impl FnOnce(&mut CoreRegion, RegionTag) -> Result<T, lsim_status>,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let value = with_tagged_region(region, read)?;
        // SAFETY: non-null, writable per the caller's contract.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// The body shared by the invoke entry points.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_invoke_result`.
unsafe fn invoke_into(
    region: *mut lsim_region,
    out: *mut lsim_invoke_result,
    call: impl FnOnce(&mut CoreRegion, RegionTag) -> Result<Invoked, lsim_status>,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { read_into(region, out, |r, tag| call(r, tag).map(|i| invoke_result(i, tag))) }
}

fn invoke_result(invoked: Invoked, tag: RegionTag) -> lsim_invoke_result {
    match invoked {
        Invoked::Started(s) => lsim_invoke_result::started(s, tag),
        Invoked::Throttled(reason) => lsim_invoke_result::throttled(reason),
    }
}

/// A synchronous invoke of `function` at `now_us` with the function's
/// configured init duration. A throttle is `LSIM_STATUS_OK` with
/// `out->throttled` = 1 and its AWS reason.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, `LSIM_STATUS_TIME_WENT_BACKWARDS`,
/// `LSIM_STATUS_CAPACITY_EXCEEDED` (environment table full), and the
/// handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_invoke_result`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { invoke_into(region, out, |r, tag| Ok(r.invoke(at(now_us), function.id(tag)?)?)) }
}

/// Like `lsim_invoke`, with this request's init duration (`init_us`) in
/// place of the configured one; used only if the request cold-starts.
///
/// # Errors
/// As `lsim_invoke`.
///
/// # Safety
/// As `lsim_invoke`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_with_init(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    init_us: u64,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    let init = Duration::from_micros(init_us);
    // SAFETY: the caller's contract on `out`.
    unsafe { invoke_into(region, out, |r, tag| Ok(r.invoke_with_init(at(now_us), function.id(tag)?, init)?)) }
}

/// An invoke of `function` at `now_us` whose end the region schedules
/// itself: the handler runs for `handler_us` once any init is done, then the
/// invocation ends with `outcome` (`LSIM_OUTCOME_*`), or at the function's
/// timeout when that comes first or at the same instant (a timeout: a later
/// `lsim_finish` answers `LSIM_STATUS_TIMED_OUT`). Like every time-driven
/// event, the end is applied by the next call at or after it
/// (`lsim_advance`, `lsim_invoke`, ...; see `lsim_next_deadline`). It needs
/// no `lsim_finish`; one before the scheduled end ends it early, one after
/// answers `LSIM_STATUS_UNKNOWN_INVOCATION`. A throttle is
/// `LSIM_STATUS_OK` with `out->throttled` = 1 and its AWS reason.
///
/// A driver that knows each request's duration up front needs no
/// completion queue of its own: invoke with the duration, and keep calling
/// `lsim_advance` with `lsim_next_deadline`.
///
/// # Errors
/// `LSIM_STATUS_INVALID_ARGUMENT` (unknown outcome; nothing happens, the
/// clock does not move), and the errors of `lsim_invoke`.
///
/// # Safety
/// As `lsim_invoke`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_for(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    handler_us: u64,
    outcome: u32,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let handler = handler(handler_us, outcome)?;
        let invoked = with_tagged_region(region, |r, tag| {
            Ok(invoke_result(r.invoke_for(at(now_us), function.id(tag)?, handler)?, tag))
        })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, invoked) };
        Ok(())
    })
}

/// Like `lsim_invoke_for`, with this request's init duration (`init_us`) in
/// place of the configured one; used only if the request cold-starts.
///
/// # Errors
/// As `lsim_invoke_for`.
///
/// # Safety
/// As `lsim_invoke`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_for_with_init(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    handler_us: u64,
    outcome: u32,
    init_us: u64,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let handler = handler(handler_us, outcome)?;
        let init = Duration::from_micros(init_us);
        let invoked = with_tagged_region(region, |r, tag| {
            Ok(invoke_result(r.invoke_for_with_init(at(now_us), function.id(tag)?, handler, init)?, tag))
        })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, invoked) };
        Ok(())
    })
}

/// The handler of an `lsim_invoke_for*` call (`LSIM_STATUS_INVALID_ARGUMENT`
/// for an unknown outcome).
fn handler(handler_us: u64, outcome: u32) -> Result<Handler, lsim_status> {
    Ok(Handler { duration: Duration::from_micros(handler_us), outcome: Outcome::try_from(Code(outcome))? })
}

/// Ends an invocation at `now_us` with `outcome` (`LSIM_OUTCOME_*`).
///
/// # Errors
/// `LSIM_STATUS_INVALID_ARGUMENT` (unknown outcome),
/// `LSIM_STATUS_UNKNOWN_INVOCATION` (stale or already finished),
/// `LSIM_STATUS_TIMED_OUT` (the region ended it at its timeout),
/// `LSIM_STATUS_NOT_READY` (success before `ready_at_us`),
/// `LSIM_STATUS_TIME_WENT_BACKWARDS`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_finish_result`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_finish(
    region: *mut lsim_region,
    now_us: u64,
    invocation: lsim_invocation,
    outcome: u32,
    out: *mut lsim_finish_result,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let outcome = Outcome::try_from(Code(outcome))?;
        let finished = with_tagged_region(region, |r, tag| {
            Ok(lsim_finish_result::new(r.finish(at(now_us), invocation.id(tag)?, outcome)?, tag))
        })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, finished) };
        Ok(())
    })
}

/// Applies every time-driven event due at or before `now_us` and moves the
/// region's clock there.
///
/// # Errors
/// `LSIM_STATUS_TIME_WENT_BACKWARDS` (nothing changes), and the handle errors.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_advance(region: *mut lsim_region, now_us: u64) -> lsim_status {
    guard(|| {
        non_null(region)?;
        with_region(region, |r| Ok(r.advance(at(now_us))?))
    })
}

/// When the next time-driven event is due: `*has_deadline` = 1 and
/// `*deadline_us` = its time, or `*has_deadline` = 0 and `*deadline_us` = 0
/// when nothing is scheduled. Call `lsim_advance` with it.
///
/// # Errors
/// The handle/pointer errors.
///
/// # Safety
/// `has_deadline` and `deadline_us` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_next_deadline(
    region: *const lsim_region,
    has_deadline: *mut u32,
    deadline_us: *mut u64,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(has_deadline)?;
        non_null(deadline_us)?;
        let next = with_region(region, |r| Ok(r.next_deadline()))?;
        // SAFETY: both non-null, writable per the contract.
        unsafe {
            write_out(has_deadline, u32::from(next.is_some()));
            write_out(deadline_us, next.map_or(0, Instant::as_micros));
        }
        Ok(())
    })
}

/// The region's clock (the latest `now_us` it was given), in us.
///
/// # Errors
/// The handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_now(region: *const lsim_region, out: *mut u64) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { read_into(region, out, |r, _| Ok(r.now().as_micros())) }
}

// ---- observation -------------------------------------------------------------------

/// One function's environment counts.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_function_counts`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_get_counts(
    region: *const lsim_region,
    function: lsim_function,
    out: *mut lsim_function_counts,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            r.function_counts(function.id(tag)?).map(Into::into).ok_or(lsim_status::UnknownFunction)
        })
    }
}

/// One function's counters since it was created.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_stats`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_stats(
    region: *const lsim_region,
    function: lsim_function,
    out: *mut lsim_stats,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            r.function_stats(function.id(tag)?).map(lsim_stats::from).ok_or(lsim_status::UnknownFunction)
        })
    }
}

/// Region-wide counters since the region was created.
///
/// # Errors
/// The handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_stats`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_stats(region: *const lsim_region, out: *mut lsim_stats) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { read_into(region, out, |r, _| Ok(lsim_stats::from(&r.stats()))) }
}

/// Account-wide concurrency counts: busy, live, unreserved in use, the
/// unreserved pool and claimed concurrency.
///
/// # Errors
/// The handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_region_counts`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_get_counts(
    region: *const lsim_region,
    out: *mut lsim_region_counts,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, _| {
            Ok(lsim_region_counts {
                busy: r.busy(),
                live: u64::from(r.live()),
                unreserved_in_use: r.unreserved_in_use(),
                unreserved_pool: r.unreserved_pool(),
                claimed: r.claimed_concurrency(),
            })
        })
    }
}

/// An environment's state (`LSIM_ENV_STATE_*`). A handle the region no
/// longer knows (the environment terminated and its slot was freed or
/// reused), or never knew, reads as `LSIM_ENV_STATE_TERMINATED`.
///
/// # Errors
/// The handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_env_state(region: *const lsim_region, env: lsim_env, out: *mut u32) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            Ok(env.id(tag).and_then(|e| r.env_state(e)).unwrap_or(EnvState::Terminated) as u32)
        })
    }
}

/// Live and busy environments of the whole region integrated over time up to
/// its clock, with the busy peaks and averages.
///
/// # Errors
/// The handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_occupancy`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_occupancy(region: *const lsim_region, out: *mut lsim_occupancy) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { read_into(region, out, |r, _| Ok(lsim_occupancy::from(r.occupancy()))) }
}

/// One function's occupancy (as `lsim_region_occupancy`), integrated up to
/// the region's clock.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_occupancy`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_occupancy(
    region: *const lsim_region,
    function: lsim_function,
    out: *mut lsim_occupancy,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            r.function_occupancy(function.id(tag)?).map(lsim_occupancy::from).ok_or(lsim_status::UnknownFunction)
        })
    }
}

/// The most busy environments (region-wide) since the last call (or since
/// the region was created), written to `*out`; then starts a new window at
/// the current busy count, for the region and every function
/// (CloudWatch's per-period `Max` of `ConcurrentExecutions`).
///
/// # Errors
/// The handle/pointer errors (the window is not reset then).
///
/// # Safety
/// `out` is NULL or valid for writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_take_busy_window_peak(region: *mut lsim_region, out: *mut u32) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { read_into(region, out, |r, _| Ok(r.take_busy_window_peak())) }
}

/// One function's concurrency: its busy environments, cold-starting ones
/// included (`lsim_function_counts.busy`, in O(1)).
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_busy(
    region: *const lsim_region,
    function: lsim_function,
    out: *mut u32,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { read_into(region, out, |r, tag| r.function_busy(function.id(tag)?).ok_or(lsim_status::UnknownFunction)) }
}

/// The function an environment belongs to.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_ENV` for a handle the region no longer knows (the
/// environment terminated and its slot was freed or reused) or never knew,
/// and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_function`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_env_function(
    region: *const lsim_region,
    env: lsim_env,
    out: *mut lsim_function,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            let env = env.id(tag).ok_or(lsim_status::UnknownEnv)?;
            r.env_function(env).map(|f| lsim_function::bind(f, tag)).ok_or(lsim_status::UnknownEnv)
        })
    }
}

/// A function's current configuration, with `out->struct_size` set (reserved
/// and provisioned concurrency as last put).
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_function_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_get_config(
    region: *const lsim_region,
    function: lsim_function,
    out: *mut lsim_function_config,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            r.function_config(function.id(tag)?).map(lsim_function_config::from).ok_or(lsim_status::UnknownFunction)
        })
    }
}

// ---- invariants ----------------------------------------------------------------------

/// Recounts the region's tables and checks its invariants (O(environments);
/// for tests and debugging).
///
/// # Errors
/// `LSIM_STATUS_INVARIANT_VIOLATED` (read the text with
/// `lsim_region_check_message`), and the handle errors.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_region_check(region: *const lsim_region) -> lsim_status {
    guard(|| {
        non_null(region)?;
        with_region(region, |r| r.check_invariants().map_err(|_| lsim_status::InvariantViolated))
    })
}

/// Writes the text of the invariant `lsim_region_check` finds broken ("" when
/// all hold) into `buf` as a NUL-terminated string.
///
/// `*out_len` receives the size the text needs, including the NUL: on
/// `LSIM_STATUS_OK` the bytes written, on `LSIM_STATUS_BUFFER_TOO_SMALL`
/// (`buf_len` smaller than that; `buf` untouched and may be NULL) the size
/// to allocate.
///
/// # Errors
/// `LSIM_STATUS_BUFFER_TOO_SMALL`; `LSIM_STATUS_NULL_POINTER` when `out_len`
/// is NULL, or `buf` is NULL while `buf_len` would suffice; the handle errors.
///
/// # Safety
/// `buf` is NULL or valid for writes of `buf_len` bytes; `out_len` is NULL
/// or valid for writes of one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_check_message(
    region: *const lsim_region,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out_len)?;
        let text = with_region(region, |r| Ok(r.check_invariants().err().map(|v| v.to_string()).unwrap_or_default()))?;
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(&text, buf, buf_len, out_len) }
    })
}

/// Writes `text` and a NUL into `buf` with the `(buf, buf_len, *out_len)`
/// convention: `*out_len` = bytes needed including the NUL, on OK and on
/// `LSIM_STATUS_BUFFER_TOO_SMALL` (then `buf` is untouched and may be NULL).
///
/// # Safety
/// `out_len` is non-null and valid for writes; `buf` is NULL or valid for
/// writes of `buf_len` bytes and does not overlap `text`.
pub(crate) unsafe fn write_c_string(
    text: &str,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), lsim_status> {
    let needed = text.len().saturating_add(1);
    if buf_len < needed {
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out_len, needed) };
        return Err(lsim_status::BufferTooSmall);
    }
    non_null(buf)?;
    // SAFETY: `buf` is non-null and writable for `buf_len` >= `needed`
    // bytes; `text` is a separate Rust allocation, so they do not overlap.
    unsafe {
        core::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
        buf.cast::<u8>().add(text.len()).write(0);
        write_out(out_len, needed);
    }
    Ok(())
}
