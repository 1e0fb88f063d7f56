//! Whole simulations through the C ABI: run a scenario (TOML or JSON text,
//! the schema of `lambdasim run`, cli/README.md) and read its results.
//!
//! `lsim_scenario_run` parses and checks the scenario with the same code as
//! the `lambdasim` command (the `lambdasim-scenario` crate), runs one
//! replication on a thread of its own with a big stack (the simulator is
//! about 12 MB and is built on the stack), and registers the result behind an
//! opaque `lsim_sim_result` handle: registry-backed like `lsim_region`, so
//! NULL, freed, stale and made-up handles are status codes. A result never
//! changes after the run, so every accessor may be called from any thread.
//! `lsim_sim_result_json` gives exactly the bytes `lambdasim run FILE --json`
//! prints for that replication.

#![allow(non_camel_case_types)]

use crate::api::{non_null, read_config, write_c_string, write_out};
use crate::registry::{KIND_SIM_RESULT, Registry, guard};
use crate::status::lsim_status;
use crate::types::{flag, lsim_bill, lsim_money};
use core::ffi::c_char;
use lambdasim::Duration;
use lambdasim::pricing::Bill;
use lambdasim::sim::{FunctionSummary, MinutePoint, SimError};
use lambdasim_scenario::doc::{self, DocError, Format};
use lambdasim_scenario::report::{self, Bills};
use lambdasim_scenario::run::{self, RunResult};
use lambdasim_scenario::scenario::{self, Prepared};
use std::path::Path;
use std::sync::atomic::AtomicU64;

/// `format` of `lsim_scenario_run` and `lsim_scenario_check`: decide by
/// content (text starting with `{`, after white space, is JSON; anything
/// else TOML), as `lambdasim run` does for a file without a known extension.
pub const LSIM_SCENARIO_FORMAT_AUTO: u32 = 0;
/// `format`: the text is TOML.
pub const LSIM_SCENARIO_FORMAT_TOML: u32 = 1;
/// `format`: the text is JSON.
pub const LSIM_SCENARIO_FORMAT_JSON: u32 = 2;

/// `function` of `lsim_sim_result_summary` and `lsim_sim_result_bill`: the
/// whole account (the JSON's `total`) instead of one function.
pub const LSIM_SIM_TOTAL: u32 = 0xFFFF_FFFF;
/// Most points of a run's per-minute series (a week at one point a minute);
/// a longer run merges adjacent points, see `lsim_sim_result_bucket_minutes`.
pub const LSIM_MAX_MINUTE_POINTS: usize = 10_080;

/// Execution environments a simulation may have at once (more is
/// `LSIM_STATUS_CAPACITY_EXCEEDED`).
pub const LSIM_SIM_ENV_CAPACITY: usize = 65_536;
/// Functions a scenario may have.
pub const LSIM_SIM_FUNCTION_CAPACITY: usize = 64;

const _: () = {
    assert!(LSIM_SIM_ENV_CAPACITY == run::ENVS);
    assert!(LSIM_SIM_FUNCTION_CAPACITY == scenario::MAX_FUNCTIONS);
};

/// How a scenario is named when `lsim_run_options.name` is empty, and in
/// `lsim_scenario_check`'s messages.
pub(crate) const DEFAULT_NAME: &str = "(scenario)";

/// An opaque simulation result. Create with `lsim_scenario_run`, free with
/// `lsim_sim_result_free`. Not a pointer to memory: never dereference it.
pub struct lsim_sim_result {
    _opaque: [u8; 0],
}

/// Options of `lsim_scenario_run`, overriding the scenario's settings as
/// `lambdasim run --seed S --horizon-s H` does. Fill with
/// `lsim_run_options_default`, then change fields.
///
/// `struct_size` must equal `sizeof(lsim_run_options)` as compiled from
/// this header; any other value is `LSIM_STATUS_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_run_options {
    /// `sizeof(lsim_run_options)`.
    pub struct_size: u32,
    /// 1: use `seed` instead of the scenario's seed; 0 (default): the
    /// scenario's.
    pub has_seed: u32,
    /// The seed when `has_seed` is 1. Replication r runs with seed + r.
    pub seed: u64,
    /// 1: use `horizon_us` instead of the scenario's `horizon_s`; 0 (default):
    /// the scenario's. A warm-up not shorter than the new horizon becomes a
    /// tenth of it.
    pub has_horizon: u32,
    /// Which replication to run: 0 (default) up to the scenario's
    /// `replications` - 1. It runs with seed + replication.
    pub replication: u32,
    /// The simulated time when `has_horizon` is 1, in us: 1 up to 366
    /// days (31 622 400 000 000), the longest horizon a scenario may ask.
    pub horizon_us: u64,
    /// The scenario's name in the JSON's `scenario` field (the command puts
    /// the file's path there): `name_len` bytes of UTF-8, not necessarily
    /// NUL-terminated. `name_len` 0 (default): "(scenario)"; `name` may then
    /// be NULL.
    pub name: *const c_char,
    /// Bytes of `name`.
    pub name_len: usize,
}

/// A summary of a run: one function's, or the whole account's
/// (`LSIM_SIM_TOTAL`). Counts and averages cover the run after the warm-up;
/// the bill covers the whole run. The fields of the JSON's summaries
/// (cli/README.md), with the bill's totals.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct lsim_sim_summary {
    /// Requests made (invocations + throttles).
    pub requests: u64,
    /// Invocations started.
    pub invocations: u64,
    /// Cold starts, full and partial.
    pub cold_starts: u64,
    /// Full cold starts (new environments: create + init).
    pub full_cold_starts: u64,
    /// Partial cold starts (init re-run on an environment reset by a crash
    /// or timeout).
    pub partial_cold_starts: u64,
    /// Idle on-demand environments reused.
    pub warm_starts: u64,
    /// Starts on provisioned environments.
    pub provisioned_starts: u64,
    /// On-demand starts of functions with provisioned concurrency (all of it busy).
    pub spillover: u64,
    /// Throttled requests (not in `invocations`).
    pub throttles: u64,
    /// Throttles by reason, indexed by `LSIM_THROTTLE_*`; they sum to `throttles`.
    pub throttles_by_reason: [u64; crate::types::LSIM_THROTTLE_REASON_COUNT],
    /// Invocations that ended in an error (function error, crash, timeout,
    /// failed init).
    pub errors: u64,
    /// Of `errors`, the timeouts.
    pub timeouts: u64,
    /// `cold_starts / requests` (0 without requests).
    pub cold_start_probability: f64,
    /// `throttles / requests` (0 without requests).
    pub throttle_probability: f64,
    /// Time-averaged live environments.
    pub avg_instances: f64,
    /// Time-averaged busy environments (the concurrency).
    pub avg_busy: f64,
    /// `avg_instances - avg_busy`.
    pub avg_idle: f64,
    /// `avg_busy / avg_instances` (0 without instances).
    pub utilization: f64,
    /// The most busy environments at once.
    pub peak_concurrency: u32,
    /// The bill's total as AWS shows it (the sum of its lines rounded to
    /// cents): the JSON's `bill.total_usd` in cents. A function's bill has no
    /// free tier; the total's has it when the scenario enables it.
    pub total_cents: u64,
    /// The bill's exact, unrounded total (the JSON's `bill.exact_usd`).
    pub exact_total: lsim_money,
}

/// One point of the per-minute series, account-wide (the JSON's `minutes`):
/// a simulated minute, or `lsim_sim_result_bucket_minutes` minutes of a run
/// longer than `LSIM_MAX_MINUTE_POINTS` minutes; the last point may be
/// partial. "The minute" below means the point's span.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct lsim_minute_point {
    /// The point's first minute, from 0.
    pub minute: u64,
    /// Most busy environments during the minute (CloudWatch
    /// `ConcurrentExecutions` Max).
    pub busy_max: u32,
    /// Average busy environments during the minute.
    pub busy_avg: f64,
    /// Average live environments during the minute.
    pub live_avg: f64,
    /// Live environments at the end of the minute.
    pub live: u32,
    /// Invocations started during the minute.
    pub invocations: u64,
    /// Cold starts during the minute.
    pub cold_starts: u64,
    /// Throttles during the minute.
    pub throttles: u64,
    /// The account concurrency limit.
    pub account_limit: u32,
    /// The unreserved pool at the end of the minute.
    pub unreserved_pool: u64,
    /// Claimed account concurrency at the end of the minute.
    pub claimed: u64,
}

impl lsim_run_options {
    /// The defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        lsim_run_options {
            struct_size: size_of::<Self>() as u32,
            has_seed: 0,
            seed: 0,
            has_horizon: 0,
            replication: 0,
            horizon_us: 0,
            name: core::ptr::null(),
            name_len: 0,
        }
    }
}

impl From<&MinutePoint> for lsim_minute_point {
    fn from(m: &MinutePoint) -> Self {
        lsim_minute_point {
            minute: m.minute,
            busy_max: m.busy_max,
            busy_avg: m.busy_avg,
            live_avg: m.live_avg,
            live: m.live,
            invocations: m.invocations,
            cold_starts: m.cold_starts,
            throttles: m.throttles,
            account_limit: m.account_limit,
            unreserved_pool: m.unreserved_pool,
            claimed: m.claimed,
        }
    }
}

/// A summary and its bill for C (`LSIM_STATUS_OVERFLOW` when the bill's
/// total does not fit 64-bit cents).
fn summary(s: &FunctionSummary, bill: &Bill) -> Result<lsim_sim_summary, lsim_status> {
    Ok(lsim_sim_summary {
        requests: s.requests,
        invocations: s.invocations,
        cold_starts: s.cold_starts,
        full_cold_starts: s.full_cold_starts,
        partial_cold_starts: s.partial_cold_starts,
        warm_starts: s.warm_starts,
        provisioned_starts: s.provisioned_starts,
        spillover: s.spillover,
        throttles: s.throttles,
        throttles_by_reason: s.throttles_by_reason,
        errors: s.errors,
        timeouts: s.timeouts,
        cold_start_probability: s.cold_start_probability,
        throttle_probability: s.throttle_probability,
        avg_instances: s.avg_instances,
        avg_busy: s.avg_busy,
        avg_idle: s.avg_idle,
        utilization: s.utilization,
        peak_concurrency: s.peak_concurrency,
        total_cents: u64::try_from(bill.total_cents()).map_err(|_| lsim_status::Overflow)?,
        exact_total: bill.exact_total().into(),
    })
}

// ---- the result registry -----------------------------------------------------

/// What a `lsim_sim_result` handle names: everything the accessors return,
/// fixed at the end of the run.
pub(crate) struct SimResult {
    names: Vec<String>,
    /// Boxed: the summaries are about 23 KB, too much to move around a
    /// small caller stack in debug builds.
    result: Box<RunResult>,
    bills: Bills,
    json: String,
}

impl SimResult {
    /// The summary and bill of function `index`, or of the total.
    pub(crate) fn pick(&self, function: u32) -> Result<(&FunctionSummary, &Bill), lsim_status> {
        if function == LSIM_SIM_TOTAL {
            return Ok((&self.result.summary.total, &self.bills.total));
        }
        let i = function as usize;
        match (self.result.summary.functions.get(i), self.bills.functions.get(i)) {
            (Some(s), Some(b)) => Ok((s, b)),
            _ => Err(lsim_status::UnknownFunction),
        }
    }
}

/// Every live simulation result.
pub(crate) static RESULTS: Registry<SimResult> = Registry::new(KIND_SIM_RESULT);

// ---- running -------------------------------------------------------------------

/// The scenario format from its C code: `None` to detect it from the text.
fn format_of(code: u32) -> Result<Option<Format>, lsim_status> {
    match code {
        LSIM_SCENARIO_FORMAT_AUTO => Ok(None),
        LSIM_SCENARIO_FORMAT_TOML => Ok(Some(Format::Toml)),
        LSIM_SCENARIO_FORMAT_JSON => Ok(Some(Format::Json)),
        _ => Err(lsim_status::InvalidArgument),
    }
}

/// `len` bytes at `p`, or none when `len` is 0 (then `p` may be NULL).
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes that stay unchanged during
/// the call.
unsafe fn bytes<'a>(p: *const c_char, len: usize) -> Result<&'a [u8], lsim_status> {
    if len == 0 {
        return Ok(&[]);
    }
    non_null(p)?;
    // SAFETY: non-null and `len` readable bytes per the contract.
    Ok(unsafe { core::slice::from_raw_parts(p.cast::<u8>(), len) })
}

/// Parses and checks a scenario the way `lambdasim run` does (trace paths
/// relative to the current directory); the error is the command's message.
fn prepare(text: &[u8], format: Option<Format>, name: &str) -> Result<Prepared, String> {
    let text = core::str::from_utf8(text).map_err(|e| {
        let valid = text.get(..e.valid_up_to()).and_then(|t| core::str::from_utf8(t).ok()).unwrap_or("");
        let (line, col) = doc::line_col(valid, valid.len());
        DocError {
            file: name.to_owned(),
            line,
            col,
            field: String::new(),
            message: "the scenario is not valid UTF-8".into(),
        }
        .to_string()
    })?;
    let format = format.unwrap_or_else(|| Format::detect(Path::new(""), text));
    scenario::prepare(name, text, format, Path::new(".")).map_err(|e| format!("{e:#}"))
}

/// The status of a simulator error.
fn sim_status(e: SimError) -> lsim_status {
    match e {
        SimError::Region(e) | SimError::Function { error: e, .. } => e.into(),
        SimError::CapacityExceeded | SimError::TooManyFunctions => lsim_status::CapacityExceeded,
        SimError::BillOverflow => lsim_status::Overflow,
        SimError::Internal => lsim_status::Internal,
        _ => lsim_status::SimulationFailed,
    }
}

/// Runs one replication on a thread with the simulator's stack
/// ([`run::STACK_BYTES`], reserved lazily by the OS), so any caller thread
/// (Go, Node, small C threads) can run scenarios. Nothing is printed. The
/// scenario moves to the thread and back: a plain (not scoped) thread never
/// registers the caller with std's thread bookkeeping (whose thread-local
/// handle a C main thread would never free).
fn simulate(p: Prepared, replication: u32) -> Result<(Prepared, Box<RunResult>), lsim_status> {
    let worker = std::thread::Builder::new()
        .name("lsim-scenario-run".into())
        .stack_size(run::STACK_BYTES)
        .spawn(move || {
            let result = run::try_run_one(&p, replication, &AtomicU64::new(0)).map(Box::new);
            (p, result)
        })
        .map_err(|_| lsim_status::SimulationFailed)?;
    match worker.join() {
        Ok((p, Ok(result))) => Ok((p, result)),
        Ok((_, Err(e))) => Err(sim_status(e)),
        Err(_) => Err(lsim_status::Panic),
    }
}

/// Fills `*out` with the default run options (the scenario's seed and
/// horizon, replication 0, the name "(scenario)") and sets
/// `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_run_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_run_options_default(out: *mut lsim_run_options) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_run_options::defaults()) };
        Ok(())
    })
}

/// Runs one replication of a scenario and writes a handle to its result to
/// `*out`; free it with `lsim_sim_result_free`.
///
/// `text` is `text_len` bytes of UTF-8 (not necessarily NUL-terminated): a
/// scenario in the format of `lambdasim run` (cli/README.md), TOML or JSON
/// as `format` says (`LSIM_SCENARIO_FORMAT_*`). Relative trace paths
/// (`workload.file`) resolve against the process's current directory.
/// `options` may be NULL for the defaults (`lsim_run_options_default`).
/// The same text and options give the same result, byte for byte, on every
/// machine and through every binding. The call blocks until the simulation
/// ends; it runs on a thread of its own (with a 256 MB stack, reserved
/// lazily) and prints nothing.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` (`out`; `text` with a non-zero `text_len`;
/// `options->name` with a non-zero `name_len`);
/// `LSIM_STATUS_INVALID_ARGUMENT` (unknown `format`, bad `struct_size`, a
/// flag not 0/1, `horizon_us` 0 or above 366 days (31 622 400 000 000), `replication` not below the
/// scenario's `replications`, a name that is not UTF-8);
/// `LSIM_STATUS_INVALID_SCENARIO` (read why with `lsim_scenario_check`);
/// `LSIM_STATUS_CAPACITY_EXCEEDED` (more than 65 536 environments at once,
/// or too many live results); `LSIM_STATUS_OVERFLOW` (a usage total too
/// large to bill exactly); `LSIM_STATUS_SIMULATION_FAILED`;
/// `LSIM_STATUS_PANIC`.
///
/// # Safety
/// `text` is NULL or points to `text_len` readable bytes; `options` is NULL
/// or points to a readable `lsim_run_options` (at least its `struct_size`,
/// and as many bytes as it says) whose `name` points to `name_len` readable
/// bytes; `out` is NULL or valid for writes of one pointer. None of them
/// changes during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_scenario_run(
    text: *const c_char,
    text_len: usize,
    format: u32,
    options: *const lsim_run_options,
    out: *mut *mut lsim_sim_result,
) -> lsim_status {
    guard(|| {
        non_null(out)?;
        let o = if options.is_null() {
            lsim_run_options::defaults()
        } else {
            // SAFETY: non-null, readable per the contract.
            unsafe { read_config(options) }?
        };
        let format = format_of(format)?;
        let seed = flag(o.has_seed)?.then_some(o.seed);
        let horizon = if flag(o.has_horizon)? {
            if o.horizon_us == 0 || o.horizon_us > lambdasim_scenario::scenario::MAX_HORIZON_US {
                return Err(lsim_status::InvalidArgument);
            }
            Some(Duration::from_micros(o.horizon_us))
        } else {
            None
        };
        // SAFETY: `name_len` readable bytes at `name` per the contract.
        let name = unsafe { bytes(o.name, o.name_len) }?;
        let name = if name.is_empty() {
            DEFAULT_NAME
        } else {
            core::str::from_utf8(name).map_err(|_| lsim_status::InvalidArgument)?
        };
        // SAFETY: `text_len` readable bytes at `text` per the contract.
        let text = unsafe { bytes(text, text_len) }?;
        let mut p = prepare(text, format, name).map_err(|_| lsim_status::InvalidScenario)?;
        if let Some(seed) = seed {
            p.override_seed(seed);
        }
        if let Some(horizon) = horizon {
            p.override_horizon(horizon);
            p.check_alarms().map_err(|_| lsim_status::InvalidArgument)?;
        }
        if o.replication >= p.scenario.replications {
            return Err(lsim_status::InvalidArgument);
        }
        let (p, result) = simulate(p, o.replication)?;
        let bills = report::try_bills(&p, &result)?;
        let json = report::json_text(&report::run_json(&p, &result, &bills)).map_err(|_| lsim_status::Internal)?;
        let names = p.functions.iter().map(|f| f.name.clone()).collect();
        let handle = RESULTS.insert(SimResult { names, result, bills, json })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, handle) };
        Ok(())
    })
}

/// Checks a scenario as `lsim_scenario_run` does before simulating (parsed,
/// every value in range, trace files read) and writes why it is invalid to
/// `buf` as a NUL-terminated string: the message `lambdasim run` prints,
/// with the line, column and field, named "(scenario)", e.g.
/// `(scenario):7:21: functions[0].workload.type: unknown variant ...`. A
/// valid scenario writes "" and returns `LSIM_STATUS_OK`; an invalid one
/// writes its message and returns `LSIM_STATUS_INVALID_SCENARIO` (this
/// call's one error that writes its out-parameters).
///
/// `*out_len` receives the size the text needs, including the NUL: the
/// bytes written, or with `LSIM_STATUS_BUFFER_TOO_SMALL` (`buf` untouched
/// and may be NULL) the size to allocate. 1 byte suffices for a valid
/// scenario.
///
/// # Errors
/// `LSIM_STATUS_INVALID_SCENARIO`; `LSIM_STATUS_BUFFER_TOO_SMALL`;
/// `LSIM_STATUS_NULL_POINTER` (`out_len`; `text` with a non-zero `len`;
/// `buf` while `buf_len` would suffice); `LSIM_STATUS_INVALID_ARGUMENT`
/// (unknown `format`).
///
/// # Safety
/// `text` is NULL or points to `len` readable bytes; `buf` is NULL or valid
/// for writes of `buf_len` bytes; `out_len` is NULL or valid for writes of
/// one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_scenario_check(
    text: *const c_char,
    len: usize,
    format: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(out_len)?;
        let format = format_of(format)?;
        // SAFETY: `len` readable bytes at `text` per the contract.
        let text = unsafe { bytes(text, len) }?;
        let message = prepare(text, format, DEFAULT_NAME).err().unwrap_or_default();
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(&message, buf, buf_len, out_len) }?;
        if message.is_empty() { Ok(()) } else { Err(lsim_status::InvalidScenario) }
    })
}

/// Frees a simulation result. Every copy of its handle becomes stale: later
/// calls with it return `LSIM_STATUS_STALE_HANDLE` (so does a second free).
/// NULL is a no-op returning `LSIM_STATUS_OK`.
///
/// # Errors
/// `LSIM_STATUS_STALE_HANDLE` for a freed or made-up handle (nothing happens).
#[unsafe(no_mangle)]
pub extern "C" fn lsim_sim_result_free(result: *mut lsim_sim_result) -> lsim_status {
    guard(|| if result.is_null() { Ok(()) } else { RESULTS.remove(result) })
}

// ---- reading a result ----------------------------------------------------------

/// Writes the result as JSON to `buf` as a NUL-terminated string: exactly
/// the bytes `lambdasim run FILE --json` prints for this replication (for a
/// scenario with one replication, the whole output with its final newline;
/// with several, the object of this replication in the command's `runs`),
/// with `scenario` the run's `name` option. Fields: cli/README.md.
///
/// `*out_len` receives the size the text needs, including the NUL: on
/// `LSIM_STATUS_OK` the bytes written, on `LSIM_STATUS_BUFFER_TOO_SMALL`
/// (`buf` untouched and may be NULL) the size to allocate.
///
/// # Errors
/// `LSIM_STATUS_BUFFER_TOO_SMALL`; `LSIM_STATUS_NULL_POINTER` (`result`,
/// `out_len`, or `buf` while `buf_len` would suffice);
/// `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `buf` is NULL or valid for writes of `buf_len` bytes; `out_len` is NULL
/// or valid for writes of one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_json(
    result: *const lsim_sim_result,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out_len)?;
        let r = RESULTS.lookup(result)?;
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(&r.json, buf, buf_len, out_len) }
    })
}

/// The seed the run used: the scenario's (or the `seed` option) plus the
/// replication.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`, `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_seed(result: *const lsim_sim_result, out: *mut u64) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out)?;
        let seed = RESULTS.lookup(result)?.result.seed;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, seed) };
        Ok(())
    })
}

/// Minutes per point of the per-minute series: 1, or for a run longer than
/// `LSIM_MAX_MINUTE_POINTS` minutes the power of two that fits it (the
/// JSON's `bucket_s` / 60).
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`, `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_bucket_minutes(result: *const lsim_sim_result, out: *mut u64) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out)?;
        let minutes = RESULTS.lookup(result)?.result.bucket_minutes;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, minutes) };
        Ok(())
    })
}

/// The number of functions of the scenario (1..=64); they are indexed from 0
/// in scenario order.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`, `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_function_count(
    result: *const lsim_sim_result,
    out: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out)?;
        let n = RESULTS.lookup(result)?.names.len();
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, n) };
        Ok(())
    })
}

/// Writes the name of function `index` (UTF-8, as in the scenario) to `buf`
/// as a NUL-terminated string, with the `(buf, buf_len, *out_len)`
/// convention of `lsim_sim_result_json`.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION` (`index` not below the function count);
/// `LSIM_STATUS_BUFFER_TOO_SMALL`; `LSIM_STATUS_NULL_POINTER`;
/// `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// As `lsim_sim_result_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_function_name(
    result: *const lsim_sim_result,
    index: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out_len)?;
        let r = RESULTS.lookup(result)?;
        let name = r.names.get(index).ok_or(lsim_status::UnknownFunction)?;
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(name, buf, buf_len, out_len) }
    })
}

/// The summary of function `function` (an index below the function count)
/// or, with `LSIM_SIM_TOTAL`, of the whole account: the JSON's
/// `functions[function]` or `total`, with its bill's totals.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`; `LSIM_STATUS_OVERFLOW` (a bill total
/// that does not fit 64-bit cents); `LSIM_STATUS_NULL_POINTER`;
/// `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_sim_summary`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_summary(
    result: *const lsim_sim_result,
    function: u32,
    out: *mut lsim_sim_summary,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out)?;
        let r = RESULTS.lookup(result)?;
        let (s, bill) = r.pick(function)?;
        let value = summary(s, bill)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// The bill of function `function` (its usage alone, without the free tier)
/// or, with `LSIM_SIM_TOTAL`, of the account (with the free tier when the
/// scenario's `[pricing] free_tier` is true), over the whole run, warm-up
/// included, at the scenario's prices: the JSON's `bill`, line by line.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`; `LSIM_STATUS_OVERFLOW`;
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_bill`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_bill(
    result: *const lsim_sim_result,
    function: u32,
    out: *mut lsim_bill,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out)?;
        let r = RESULTS.lookup(result)?;
        let (_, bill) = r.pick(function)?;
        let value = lsim_bill::try_from(bill)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// Writes the per-minute series (one point per simulated minute, the last
/// one possibly partial: the JSON's `minutes`) to `out[0..*out_count]`.
/// There are at most `LSIM_MAX_MINUTE_POINTS`: a longer run's points each
/// cover `lsim_sim_result_bucket_minutes` minutes.
///
/// `out_len` is the capacity of `out`. When it is smaller than the number of
/// points the call returns `LSIM_STATUS_BUFFER_TOO_SMALL` with that number
/// in `*out_count` and writes nothing else; `out` may then be NULL (a size
/// query).
///
/// # Errors
/// `LSIM_STATUS_BUFFER_TOO_SMALL`; `LSIM_STATUS_NULL_POINTER` (`result`,
/// `out_count`, or `out` while `out_len` would suffice);
/// `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `out` is NULL or valid for writes of `out_len` points; `out_count` is
/// NULL or valid for writes of one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_minutes(
    result: *const lsim_sim_result,
    out: *mut lsim_minute_point,
    out_len: usize,
    out_count: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out_count)?;
        let r = RESULTS.lookup(result)?;
        let minutes = &r.result.minutes;
        let n = minutes.len();
        if out_len < n {
            // SAFETY: non-null, writable per the contract.
            unsafe { write_out(out_count, n) };
            return Err(lsim_status::BufferTooSmall);
        }
        if n > 0 {
            non_null(out)?;
        }
        for (i, m) in minutes.iter().enumerate() {
            // SAFETY: `out` is non-null and writable for `out_len` >= `n` points.
            unsafe { write_out(out.add(i), lsim_minute_point::from(m)) };
        }
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out_count, n) };
        Ok(())
    })
}
