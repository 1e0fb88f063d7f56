//! Sweeps through the C ABI: a scenario run over every combination of
//! `PATH=VALUES` overrides, exactly as `lambdasim sweep` runs it.
//!
//! A sweep is a scenario plus overrides, and both front ends call the same
//! function of the `lambdasim-scenario` crate with the same inputs, so
//! `lsim_sweep_result_output` holds byte for byte what
//! `lambdasim sweep FILE --set ... --format F` prints when `name` is the
//! file's path. The result is a registry-backed handle like
//! `lsim_sim_result`: NULL, freed, stale, made-up handles and handles of
//! another kind are status codes.

#![allow(non_camel_case_types)]

use crate::api::{non_null, read_config, write_c_string, write_out};
use crate::registry::{KIND_SWEEP_RESULT, Registry, guard};
use crate::sim::DEFAULT_NAME;
use crate::status::lsim_status;
use core::ffi::c_char;
use lambdasim_scenario::doc::{DocError, Format};
use lambdasim_scenario::pick::Pick;
use lambdasim_scenario::sweep::{self, Sweep, SweepFormat};
use std::path::Path;

/// `output` of `lsim_sweep_options`: a line per combination with means and
/// 95 % half-widths, then the pick (the command's default).
pub const LSIM_SWEEP_OUTPUT_TEXT: u32 = 0;
/// `output`: CSV, one row per combination and replication.
pub const LSIM_SWEEP_OUTPUT_CSV: u32 = 1;
/// `output`: JSON with the rows, each combination's intervals and the pick.
pub const LSIM_SWEEP_OUTPUT_JSON: u32 = 2;

/// An opaque sweep result. Create with `lsim_sweep_run`, free with
/// `lsim_sweep_result_free`. Not a pointer to memory: never dereference it.
pub struct lsim_sweep_result {
    _opaque: [u8; 0],
}

/// Options of `lsim_sweep_run` and `lsim_sweep_check`: the flags of
/// `lambdasim sweep`. Fill with `lsim_sweep_options_default`, then change
/// fields. `struct_size` must equal `sizeof(lsim_sweep_options)`; any other
/// value is `LSIM_STATUS_INVALID_ARGUMENT`. Text fields are bytes of UTF-8,
/// not necessarily NUL-terminated; a pointer may be NULL when its length is 0.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_sweep_options {
    /// `sizeof(lsim_sweep_options)`.
    pub struct_size: u32,
    /// `LSIM_SWEEP_OUTPUT_*` (default text).
    pub output: u32,
    /// The `--set` arguments, one per line: `PATH=V1,V2,...` or
    /// `PATH=FROM..TO:STEP`, e.g. `functions[0].reserved=10..100:10`.
    /// At least one.
    pub sets: *const c_char,
    /// Bytes of `sets`.
    pub sets_len: usize,
    /// Replications of every combination: 0 (default) the scenario's, else
    /// 1 up to 10 000. Replication r runs with seed + r.
    pub replications: u32,
    /// With `shard_count` above 0: run only combinations c with
    /// c % shard_count == shard_index (below `shard_count`).
    pub shard_index: u32,
    /// Shards the sweep is split into: 0 (default) none, every combination.
    pub shard_count: u32,
    /// Threads: 0 (default) one per core. The output is the same for any.
    pub threads: u32,
    /// The `--pick` rule, e.g. `min cost where throttle_probability < 0.001`;
    /// length 0 (default): none.
    pub pick: *const c_char,
    /// Bytes of `pick`.
    pub pick_len: usize,
    /// The scenario's name in the output (the command puts the file's
    /// path there); length 0 (default): "(scenario)".
    pub name: *const c_char,
    /// Bytes of `name`.
    pub name_len: usize,
}

impl lsim_sweep_options {
    /// The defaults, with `struct_size` set.
    pub(crate) fn defaults() -> Self {
        lsim_sweep_options {
            struct_size: size_of::<Self>() as u32,
            output: LSIM_SWEEP_OUTPUT_TEXT,
            sets: core::ptr::null(),
            sets_len: 0,
            replications: 0,
            shard_index: 0,
            shard_count: 0,
            threads: 0,
            pick: core::ptr::null(),
            pick_len: 0,
            name: core::ptr::null(),
            name_len: 0,
        }
    }
}

/// What a `lsim_sweep_result` handle names: the output bytes.
struct SweepResult {
    output: String,
}

/// Every live sweep result.
static SWEEPS: Registry<SweepResult> = Registry::new(KIND_SWEEP_RESULT);

/// A sweep's inputs, owned (they move to the sweep's own thread).
struct Request {
    name: String,
    /// The scenario, or the message saying it is not UTF-8.
    text: Result<String, String>,
    format: Format,
    sweep: Sweep,
}

/// UTF-8 text of `len` bytes at `p`.
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes.
unsafe fn text_arg(p: *const c_char, len: usize) -> Result<String, lsim_status> {
    if len == 0 {
        return Ok(String::new());
    }
    non_null(p)?;
    // SAFETY: non-null and `len` readable bytes per the contract.
    let bytes = unsafe { core::slice::from_raw_parts(p.cast::<u8>(), len) };
    core::str::from_utf8(bytes).map(str::to_owned).map_err(|_| lsim_status::InvalidArgument)
}

/// Reads the arguments. Scenario text that is not UTF-8 is kept as the
/// scenario's error (a message with its position), like the command's.
///
/// # Safety
/// As `lsim_sweep_run`.
unsafe fn request(
    text: *const c_char,
    text_len: usize,
    format: u32,
    options: *const lsim_sweep_options,
) -> Result<(Request, Vec<String>, String), lsim_status> {
    // SAFETY: readable per the contract.
    let o = unsafe { read_config(options) }?;
    let output = match o.output {
        LSIM_SWEEP_OUTPUT_TEXT => SweepFormat::Text,
        LSIM_SWEEP_OUTPUT_CSV => SweepFormat::Csv,
        LSIM_SWEEP_OUTPUT_JSON => SweepFormat::Json,
        _ => return Err(lsim_status::InvalidArgument),
    };
    let format = match format {
        crate::sim::LSIM_SCENARIO_FORMAT_AUTO => None,
        crate::sim::LSIM_SCENARIO_FORMAT_TOML => Some(Format::Toml),
        crate::sim::LSIM_SCENARIO_FORMAT_JSON => Some(Format::Json),
        _ => return Err(lsim_status::InvalidArgument),
    };
    // SAFETY: each pointer and length per the contract.
    let (sets, pick, name) =
        unsafe { (text_arg(o.sets, o.sets_len)?, text_arg(o.pick, o.pick_len)?, text_arg(o.name, o.name_len)?) };
    let name = if name.is_empty() { DEFAULT_NAME.to_owned() } else { name };
    let bytes = if text_len == 0 {
        &[][..]
    } else {
        non_null(text)?;
        // SAFETY: non-null, `text_len` readable bytes per the contract.
        unsafe { core::slice::from_raw_parts(text.cast::<u8>(), text_len) }
    };
    let text = lambdasim_scenario::doc::utf8(&name, bytes, "scenario").map(str::to_owned).map_err(|e| e.to_string());
    let format = format.unwrap_or_else(|| Format::detect(Path::new(""), text.as_deref().unwrap_or("")));
    let shard = (o.shard_count > 0).then_some((o.shard_index, o.shard_count));
    let threads = (o.threads > 0).then_some(o.threads as usize);
    let replications = (o.replications > 0).then_some(o.replications);
    let sweep = Sweep { axes: Vec::new(), replications, shard, threads, format: output, pick: None, progress: false };
    let specs = sets.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    Ok((Request { name, text, format, sweep }, specs, pick))
}

/// A sweep ready to run: its scenario text, its axes and pick; or the
/// status and the command's message.
fn finish(mut r: Request, specs: &[String], pick: &str) -> Result<(Request, String), (lsim_status, String)> {
    let bad = |message: String| (lsim_status::InvalidArgument, message);
    let text = r.text.clone().map_err(|message| (lsim_status::InvalidScenario, message))?;
    if specs.is_empty() {
        return Err(bad("a sweep needs at least one --set PATH=VALUES".into()));
    }
    r.sweep.axes = sweep::axes(specs.iter().map(String::as_str)).map_err(bad)?;
    r.sweep.pick = if pick.is_empty() { None } else { Some(Pick::parse(pick).map_err(bad)?) };
    let max = lambdasim_scenario::scenario::MAX_REPLICATIONS;
    if r.sweep.replications.is_some_and(|n| n > max) {
        return Err(bad(format!("--replications must be in 1..={max} (got {})", r.sweep.replications.unwrap_or(0))));
    }
    if let Some((i, n)) = r.sweep.shard
        && i >= n
    {
        return Err(bad(format!("--shard \"{i}/{n}\": expected I/N with 0 ≤ I < N, e.g. 0/4")));
    }
    Ok((r, text))
}

/// Runs `f` on a thread of its own: the sweep's worker threads are scoped
/// to it, so the caller's thread (Go, Node, a small C thread) is never
/// registered with std's thread bookkeeping and needs no big stack.
fn on_own_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, lsim_status> {
    std::thread::Builder::new()
        .name("lsim-sweep".into())
        .spawn(f)
        .map_err(|_| lsim_status::SimulationFailed)?
        .join()
        .map_err(|_| lsim_status::Panic)
}

/// Fills `*out` with the default options (text output, the scenario's
/// replications, every combination, one thread per core, no pick, the
/// name "(scenario)", no sets) and sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_sweep_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sweep_options_default(out: *mut lsim_sweep_options) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_sweep_options::defaults()) };
        Ok(())
    })
}

/// Runs a sweep and writes a handle to its output to `*out`; read it with
/// `lsim_sweep_result_output`, free it with `lsim_sweep_result_free`.
///
/// `text` is the scenario (`text_len` bytes, TOML or JSON as `format`
/// says, `LSIM_SCENARIO_FORMAT_*`); relative trace paths resolve against
/// the current directory. The output is what `lambdasim sweep` prints for
/// the same scenario, sets and options, byte for byte, whatever `threads`.
/// Blocks until every run ends; prints nothing. The work is bounded: at
/// most 10 000 values per set and 1 000 000 runs (combinations ×
/// replications) per sweep.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` (`out`, `options`, a text pointer with a
/// non-zero length); `LSIM_STATUS_INVALID_ARGUMENT` (unknown `format` or
/// `output`, bad `struct_size`, text that is not UTF-8, no set, a set or
/// pick that does not parse, a shard index not below its count,
/// `replications` above 10 000);
/// `LSIM_STATUS_INVALID_SCENARIO` (the scenario, a combination, or the
/// sweep's size: read why with `lsim_sweep_check`);
/// `LSIM_STATUS_SIMULATION_FAILED` (a run failed, e.g. more than 65 536
/// environments at once); `LSIM_STATUS_CAPACITY_EXCEEDED` (too many live
/// results); `LSIM_STATUS_PANIC`.
///
/// # Safety
/// `text` is NULL or points to `text_len` readable bytes; `options` points
/// to a readable `lsim_sweep_options` whose text pointers point to their
/// lengths of readable bytes; `out` is NULL or valid for writes of one
/// pointer. None of them changes during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sweep_run(
    text: *const c_char,
    text_len: usize,
    format: u32,
    options: *const lsim_sweep_options,
    out: *mut *mut lsim_sweep_result,
) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: per this function's contract.
        let (r, specs, pick) = unsafe { request(text, text_len, format, options) }?;
        let (r, text) = finish(r, &specs, &pick).map_err(|(status, _)| status)?;
        let ran = on_own_thread(move || {
            let mut bytes = Vec::new();
            sweep::run_sweep(&r.name, &text, r.format, Path::new("."), &r.sweep, &mut bytes).map(|_| bytes)
        })?;
        let bytes = ran.map_err(|e| {
            if e.downcast_ref::<DocError>().is_some() {
                lsim_status::InvalidScenario
            } else {
                lsim_status::SimulationFailed
            }
        })?;
        let output = String::from_utf8(bytes).map_err(|_| lsim_status::Internal)?;
        let handle = SWEEPS.insert(SweepResult { output })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, handle) };
        Ok(())
    })
}

/// Checks a sweep as `lsim_sweep_run` does before running anything (the
/// sets, the pick, the scenario, the sweep's size, every combination of
/// the shard) and writes why it is invalid to `buf` as a NUL-terminated
/// string: the message `lambdasim sweep` prints. A valid sweep writes ""
/// and returns `LSIM_STATUS_OK`; an invalid one writes its message and
/// returns `LSIM_STATUS_INVALID_SCENARIO` (this call's one error that
/// writes its out-parameters). `*out_len` receives the size the text
/// needs, including the NUL; with `LSIM_STATUS_BUFFER_TOO_SMALL` `buf` is
/// untouched and may be NULL.
///
/// # Errors
/// `LSIM_STATUS_INVALID_SCENARIO`; `LSIM_STATUS_BUFFER_TOO_SMALL`;
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` (unknown
/// `format` or `output`, bad `struct_size`, option text not UTF-8).
///
/// # Safety
/// As `lsim_sweep_run` for `text` and `options`; `buf` is NULL or valid
/// for writes of `buf_len` bytes; `out_len` is NULL or valid for writes of
/// one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sweep_check(
    text: *const c_char,
    text_len: usize,
    format: u32,
    options: *const lsim_sweep_options,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(out_len)?;
        // SAFETY: per this function's contract.
        let (r, specs, pick) = unsafe { request(text, text_len, format, options) }?;
        let message = match finish(r, &specs, &pick) {
            Ok((r, text)) => on_own_thread(move || {
                let checked = sweep::check(&r.name, &text, r.format, Path::new("."), &r.sweep);
                checked.err().map(|e| format!("{e:#}")).unwrap_or_default()
            })?,
            Err((_, message)) => message,
        };
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(&message, buf, buf_len, out_len) }?;
        if message.is_empty() { Ok(()) } else { Err(lsim_status::InvalidScenario) }
    })
}

/// Writes a sweep's output to `buf` as a NUL-terminated string (the bytes
/// `lambdasim sweep` prints). `*out_len` receives the size it needs,
/// including the NUL: on `LSIM_STATUS_OK` the bytes written, on
/// `LSIM_STATUS_BUFFER_TOO_SMALL` (`buf` untouched and may be NULL) the
/// size to allocate.
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
pub unsafe extern "C" fn lsim_sweep_result_output(
    result: *const lsim_sweep_result,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out_len)?;
        let r = SWEEPS.lookup(result)?;
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(&r.output, buf, buf_len, out_len) }
    })
}

/// Frees a sweep result. Every copy of its handle becomes stale: later
/// calls with it return `LSIM_STATUS_STALE_HANDLE` (so does a second
/// free). NULL is a no-op returning `LSIM_STATUS_OK`.
///
/// # Errors
/// `LSIM_STATUS_STALE_HANDLE` for a freed or made-up handle (nothing happens).
#[unsafe(no_mangle)]
pub extern "C" fn lsim_sweep_result_free(result: *mut lsim_sweep_result) -> lsim_status {
    guard(|| if result.is_null() { Ok(()) } else { SWEEPS.remove(result) })
}
