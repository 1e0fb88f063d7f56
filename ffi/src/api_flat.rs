//! The invoke and finish entry points with their function or invocation
//! handle passed as its fields (plain integers) instead of a struct by
//! value. Same answers, errors and checks as `lsim_invoke`,
//! `lsim_invoke_for` and `lsim_finish`; they exist for foreign-function
//! layers that pass integers and pointers cheaply but convert a struct
//! passed by value at a cost far above the call itself (Node's koffi:
//! several microseconds per struct). C and Go callers gain nothing from them.

use crate::api::{invoke_result, non_null, write_out};
use crate::registry::{guard, lsim_region, with_tagged_region};
use crate::status::lsim_status;
use crate::types::{Code, lsim_env, lsim_finish_result, lsim_function, lsim_invocation, lsim_invoke_result};
use lambdasim::{Duration, Handler, Instant, Outcome};

fn function(index: u32, generation: u32, region_tag: u32) -> lsim_function {
    lsim_function { index, generation, region_tag }
}

/// `lsim_invoke` with the function handle's three fields. This and the
/// other `_flat` calls are for foreign-function layers that pass integers
/// and pointers cheaply but convert a struct passed by value at a cost far
/// above the call (Node's koffi: microseconds); from C or Go, call
/// `lsim_invoke`.
///
/// # Errors
/// As `lsim_invoke`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_invoke_result`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_flat(
    region: *mut lsim_region,
    now_us: u64,
    function_index: u32,
    function_generation: u32,
    function_region_tag: u32,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    let f = function(function_index, function_generation, function_region_tag);
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let invoked = with_tagged_region(region, |r, tag| {
            Ok(invoke_result(r.invoke(Instant::from_micros(now_us), f.id(tag)?)?, tag))
        })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, invoked) };
        Ok(())
    })
}

/// `lsim_invoke_for` with the function handle's three fields: the region
/// ends the invocation itself `handler_us` after the handler starts, with
/// `outcome` (`LSIM_OUTCOME_*`), or at the function's timeout.
///
/// # Errors
/// As `lsim_invoke_for` (an unknown outcome changes nothing).
///
/// # Safety
/// As `lsim_invoke_flat`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_for_flat(
    region: *mut lsim_region,
    now_us: u64,
    function_index: u32,
    function_generation: u32,
    function_region_tag: u32,
    handler_us: u64,
    outcome: u32,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    let f = function(function_index, function_generation, function_region_tag);
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let handler =
            Handler { duration: Duration::from_micros(handler_us), outcome: Outcome::try_from(Code(outcome))? };
        let invoked = with_tagged_region(region, |r, tag| {
            Ok(invoke_result(r.invoke_for(Instant::from_micros(now_us), f.id(tag)?, handler)?, tag))
        })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, invoked) };
        Ok(())
    })
}

/// `lsim_finish` with the invocation handle's four fields (its
/// environment's index, generation and region tag, and its sequence number).
///
/// # Errors
/// As `lsim_finish`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_finish_result`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_finish_flat(
    region: *mut lsim_region,
    now_us: u64,
    env_index: u32,
    env_generation: u32,
    env_region_tag: u32,
    seq: u32,
    outcome: u32,
    out: *mut lsim_finish_result,
) -> lsim_status {
    let env = lsim_env { index: env_index, generation: env_generation, region_tag: env_region_tag };
    let invocation = lsim_invocation { env, seq };
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let outcome = Outcome::try_from(Code(outcome))?;
        let finished = with_tagged_region(region, |r, tag| {
            Ok(lsim_finish_result::new(r.finish(Instant::from_micros(now_us), invocation.id(tag)?, outcome)?, tag))
        })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, finished) };
        Ok(())
    })
}
