//! The invoke and finish entry points with their function or invocation
//! handle passed as its fields (plain integers) instead of a struct by
//! value. Same answers, errors and checks as `lsim_invoke`,
//! `lsim_invoke_with_init`, `lsim_invoke_for`, `lsim_invoke_for_with_init`
//! and `lsim_finish`; they exist for foreign-function
//! layers that pass integers and pointers cheaply but convert a struct
//! passed by value at a cost far above the call itself (Node's koffi:
//! several microseconds per struct). C and Go callers gain nothing from them.
//!
//! Each one only builds the handle and calls its struct-taking twin, so the
//! core's invoke and finish keep a single call site each and stay inlined
//! into those (a second caller made the optimizer outline them: +8 ns a call).

use crate::api::{lsim_finish, lsim_invoke, lsim_invoke_for, lsim_invoke_for_with_init, lsim_invoke_with_init};
use crate::registry::lsim_region;
use crate::status::lsim_status;
use crate::types::{lsim_env, lsim_finish_result, lsim_function, lsim_invocation, lsim_invoke_result};

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
    // SAFETY: the caller's contract on `out` is `lsim_invoke`'s.
    unsafe { lsim_invoke(region, now_us, f, out) }
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
    // SAFETY: the caller's contract on `out` is `lsim_invoke_for`'s.
    unsafe { lsim_invoke_for(region, now_us, f, handler_us, outcome, out) }
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
    // SAFETY: the caller's contract on `out` is `lsim_finish`'s.
    unsafe { lsim_finish(region, now_us, invocation, outcome, out) }
}

/// `lsim_invoke_with_init` with the function handle's three fields.
///
/// # Errors
/// As `lsim_invoke_with_init`.
///
/// # Safety
/// As `lsim_invoke_flat`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_with_init_flat(
    region: *mut lsim_region,
    now_us: u64,
    function_index: u32,
    function_generation: u32,
    function_region_tag: u32,
    init_us: u64,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    let f = function(function_index, function_generation, function_region_tag);
    // SAFETY: the caller's contract on `out` is `lsim_invoke_with_init`'s.
    unsafe { lsim_invoke_with_init(region, now_us, f, init_us, out) }
}

/// `lsim_invoke_for_with_init` with the function handle's three fields.
///
/// # Errors
/// As `lsim_invoke_for_with_init`.
///
/// # Safety
/// As `lsim_invoke_flat`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_for_with_init_flat(
    region: *mut lsim_region,
    now_us: u64,
    function_index: u32,
    function_generation: u32,
    function_region_tag: u32,
    handler_us: u64,
    outcome: u32,
    init_us: u64,
    out: *mut lsim_invoke_result,
) -> lsim_status {
    let f = function(function_index, function_generation, function_region_tag);
    // SAFETY: the caller's contract on `out` is `lsim_invoke_for_with_init`'s.
    unsafe { lsim_invoke_for_with_init(region, now_us, f, handler_us, outcome, init_us, out) }
}
