//! The cost entry points (docs/model.md §3, §5, §6): memory → CPU, exact bills of a
//! usage description or of a region's metered usage, exact money as text,
//! and power tuning. Same conventions as [`crate::api`]: a status return,
//! NULL checks first, out-parameters written only on success, `catch_unwind`
//! at the boundary, `struct_size` on every input struct.

use crate::api::{non_null, read_config, write_c_string, write_out};
use crate::registry::{guard, lsim_region, with_region, with_tagged_region};
use crate::status::lsim_status;
use crate::types::{
    Code, LSIM_MEMORY_LIST_ALL, LSIM_MEMORY_LIST_CUSTOM, LSIM_MEMORY_LIST_DEFAULT, configured_timeout, flag, lsim_bill,
    lsim_duration_profile, lsim_function, lsim_invocation_usage, lsim_memory_samples, lsim_money,
    lsim_provisioned_usage, lsim_tune_candidate, lsim_tune_request, lsim_tune_result, lsim_tune_samples_request,
    strategy, tune_config,
};
use core::ffi::c_char;
use lambdasim::cpu::visible_cores;
use lambdasim::money::Money;
use lambdasim::pricing::{Architecture, Bill, InvocationUsage, LineKind, Meter, PriceBook, ProvisionedUsage};
use lambdasim::tuning::{self, Candidate, MemoryList, Samples, TimeoutAdvice, Tuned};
use lambdasim::{ConfigError, MemoryMb};

// ---- default fillers -----------------------------------------------------------

/// Fills `*out` with the default invocation usage (x86_64, 128 MB, 512 MB
/// ephemeral, on-demand, 1 ms granularity, no requests) and sets
/// `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_invocation_usage`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invocation_usage_default(out: *mut lsim_invocation_usage) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_invocation_usage::defaults()) };
        Ok(())
    })
}

/// Fills `*out` with the default provisioned usage (x86_64, 128 MB, no
/// concurrency, 0 us) and sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_provisioned_usage`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_provisioned_usage_default(out: *mut lsim_provisioned_usage) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_provisioned_usage::defaults()) };
        Ok(())
    })
}

/// Fills `*out` with the default duration profile (no I/O, no CPU, one
/// thread) and sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_duration_profile`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_duration_profile_default(out: *mut lsim_duration_profile) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_duration_profile::defaults()) };
        Ok(())
    })
}

/// Fills `*out` with the default tuning request (default profile, the
/// tool's default memory list, `LSIM_STRATEGY_COST`, weight 500 000,
/// x86_64, today's us-east-1 prices, 1 ms granularity, 3 s timeout) and
/// sets both `struct_size` fields (the request's and its profile's).
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_tune_request`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_tune_request_default(out: *mut lsim_tune_request) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_tune_request::defaults()) };
        Ok(())
    })
}

/// Fills `*out` with the default samples request (no sizes, otherwise as
/// `lsim_tune_request_default`) and sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` when `out` is NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_tune_samples_request`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_tune_samples_request_default(out: *mut lsim_tune_samples_request) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: non-null, and valid for writes per the contract.
        unsafe { write_out(out, lsim_tune_samples_request::defaults()) };
        Ok(())
    })
}

// ---- names ------------------------------------------------------------------------

/// The name of a bill line kind (`LSIM_LINE_*`): "Requests", "Duration",
/// "Provisioned Concurrency", "Provisioned Duration" or "Ephemeral
/// Storage"; "unknown" for an unknown code. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_line_kind_str(kind: u32) -> *const c_char {
    let name = match LineKind::try_from(Code(kind)) {
        Ok(LineKind::Requests) => c"Requests",
        Ok(LineKind::Duration) => c"Duration",
        Ok(LineKind::ProvisionedConcurrency) => c"Provisioned Concurrency",
        Ok(LineKind::ProvisionedDuration) => c"Provisioned Duration",
        Ok(LineKind::EphemeralStorage) => c"Ephemeral Storage",
        Err(_) => c"unknown",
    };
    name.as_ptr()
}

/// The AWS name of an architecture (`LSIM_ARCH_*`): "x86_64" or "arm64";
/// "none" for `LSIM_ARCH_NONE`, "unknown" for anything else. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_architecture_str(architecture: u32) -> *const c_char {
    let name = match Architecture::try_from(Code(architecture)) {
        Ok(Architecture::X86_64) => c"x86_64",
        Ok(Architecture::Arm64) => c"arm64",
        Err(_) if architecture == crate::types::LSIM_ARCH_NONE => c"none",
        Err(_) => c"unknown",
    };
    name.as_ptr()
}

// ---- money --------------------------------------------------------------------------

/// Writes the exact decimal dollars of `m` (e.g. "2.7333380000": at least
/// ten fractional digits, up to 23, trailing zeros past the tenth trimmed)
/// into `buf` as a NUL-terminated string.
///
/// `*out_len` receives the size the text needs, including the NUL: on
/// `LSIM_STATUS_OK` the bytes written, on `LSIM_STATUS_BUFFER_TOO_SMALL`
/// (`buf` untouched and may be NULL) the size to allocate. 64 bytes always
/// suffice.
///
/// # Errors
/// `LSIM_STATUS_BUFFER_TOO_SMALL`; `LSIM_STATUS_NULL_POINTER` when `out_len`
/// is NULL, or `buf` is NULL while `buf_len` would suffice.
///
/// # Safety
/// `buf` is NULL or valid for writes of `buf_len` bytes; `out_len` is NULL
/// or valid for writes of one `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_money_format(
    m: lsim_money,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(out_len)?;
        let text = Money::from(m).exact().to_string();
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(&text, buf, buf_len, out_len) }
    })
}

/// Like `lsim_money_format`, rounded to cents (half a cent rounds up) and
/// without a currency sign, e.g. "2.73".
///
/// # Errors
/// As `lsim_money_format`.
///
/// # Safety
/// As `lsim_money_format`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_money_format_cents(
    m: lsim_money,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lsim_status {
    guard(|| {
        non_null(out_len)?;
        let cents = Money::from(m).cents();
        let text = format!("{}.{:02}", cents / 100, cents % 100);
        // SAFETY: `out_len` is non-null; both pointers are valid per the contract.
        unsafe { write_c_string(&text, buf, buf_len, out_len) }
    })
}

// ---- bills ----------------------------------------------------------------------------

/// A bill from a free-tier flag and a price-book code, converted for C
/// (`LSIM_STATUS_OVERFLOW` when an amount does not fit: never a wrong number).
fn priced(meter: &Meter, prices: PriceBook, free_tier: bool) -> Result<lsim_bill, lsim_status> {
    let bill: Bill = meter.bill(&prices, free_tier)?;
    lsim_bill::try_from(&bill)
}

/// Reads `count` input structs (each starting with its `struct_size`).
///
/// # Safety
/// `items` is NULL (then `count` must be 0, else `LSIM_STATUS_NULL_POINTER`)
/// or points to `count` readable structs.
unsafe fn read_array<T: Copy>(items: *const T, count: usize) -> Result<Vec<T>, lsim_status> {
    if count == 0 {
        return Ok(Vec::new());
    }
    non_null(items)?;
    let mut out = Vec::with_capacity(count.min(1 << 16));
    for i in 0..count {
        // SAFETY: `items` points to `count` structs; the first `struct_size`
        // checked equal to ours means the caller's stride is ours too.
        out.push(unsafe { read_config(items.add(i)) }?);
    }
    Ok(out)
}

/// Bills a usage description: `item_count` batches of invocations and
/// `span_count` provisioned-concurrency spans, treated as one month, with
/// price book `prices` (`LSIM_PRICES_*`) and the free tier when `free_tier`
/// is 1. Each line is exact and rounded to cents for display; the total is
/// the sum of the rounded lines. `items` (`spans`) may be NULL when its
/// count is 0.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` (a bad
/// `struct_size`, unknown code, `free_tier` not 0/1);
/// `LSIM_STATUS_MEMORY_BELOW_MINIMUM` / `_ABOVE_MAXIMUM`;
/// `LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE`; `LSIM_STATUS_OVERFLOW` (a total
/// past 128 bits, or a total that does not fit 64-bit cents).
///
/// # Safety
/// `items` points to `item_count` readable `lsim_invocation_usage` (or is
/// NULL), likewise `spans`; `out` is NULL or valid for writes of one
/// `lsim_bill`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_bill_usage(
    items: *const lsim_invocation_usage,
    item_count: usize,
    spans: *const lsim_provisioned_usage,
    span_count: usize,
    prices: u32,
    free_tier: u32,
    out: *mut lsim_bill,
) -> lsim_status {
    guard(|| {
        non_null(out)?;
        let prices = PriceBook::try_from(Code(prices))?;
        let free_tier = flag(free_tier)?;
        // SAFETY: per the contract.
        let items = unsafe { read_array(items, item_count) }?;
        // SAFETY: per the contract.
        let spans = unsafe { read_array(spans, span_count) }?;
        let mut meter = Meter::new();
        for item in &items {
            meter.add_invocations(&InvocationUsage::try_from(item)?)?;
        }
        for span in &spans {
            meter.add_provisioned(&ProvisionedUsage::try_from(span)?)?;
        }
        let bill = priced(&meter, prices, free_tier)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, bill) };
        Ok(())
    })
}

/// The bill of everything a region metered so far, treated as one month:
/// every finished invocation (billed from its billable start, rounded per
/// the region's granularity, with its function's memory, architecture and
/// ephemeral storage; on provisioned or on-demand prices) and provisioned
/// concurrency from enable to disable (open spans up to the region's clock),
/// each span rounded up to 5 minutes.
///
/// # Errors
/// `LSIM_STATUS_INVALID_ARGUMENT` (unknown `prices`, `free_tier` not 0/1),
/// `LSIM_STATUS_OVERFLOW`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_bill`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_bill(
    region: *const lsim_region,
    prices: u32,
    free_tier: u32,
    out: *mut lsim_bill,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let prices = PriceBook::try_from(Code(prices))?;
        let free_tier = flag(free_tier)?;
        let meter = with_region(region, |r| Ok(r.usage()?))?;
        let bill = priced(&meter, prices, free_tier)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, bill) };
        Ok(())
    })
}

/// Like `lsim_region_bill`, for one function's usage alone (the free tier,
/// when asked for, applies to it alone).
///
/// # Errors
/// As `lsim_region_bill`, plus `LSIM_STATUS_UNKNOWN_FUNCTION`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_bill`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_bill(
    region: *const lsim_region,
    function: lsim_function,
    prices: u32,
    free_tier: u32,
    out: *mut lsim_bill,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let prices = PriceBook::try_from(Code(prices))?;
        let free_tier = flag(free_tier)?;
        let meter = with_tagged_region(region, |r, tag| {
            Ok(r.function_usage(function.id(tag)?).ok_or(lsim_status::UnknownFunction)??)
        })?;
        let bill = priced(&meter, prices, free_tier)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, bill) };
        Ok(())
    })
}

// ---- memory and CPU ---------------------------------------------------------------------

/// A memory size under today's rule (128..=10240 MB).
fn memory(mb: u32) -> Result<MemoryMb, lsim_status> {
    Ok(MemoryMb::new(mb).map_err(ConfigError::from)?)
}

/// The vCPUs a function with `memory_mb` sees: `min(6, ceil(mb / 1769))`.
///
/// # Errors
/// `LSIM_STATUS_MEMORY_BELOW_MINIMUM` / `_ABOVE_MAXIMUM`,
/// `LSIM_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_visible_cores(memory_mb: u32, out: *mut u32) -> lsim_status {
    guard(|| {
        non_null(out)?;
        let cores = visible_cores(memory(memory_mb)?);
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, cores) };
        Ok(())
    })
}

/// A handler's duration at `memory_mb`:
/// `io_us + cpu_us / min(threads, cores, mb / 1769)`, rounded up to the us
/// (saturating at UINT64_MAX).
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`, `LSIM_STATUS_INVALID_ARGUMENT` (bad
/// `struct_size`), `LSIM_STATUS_MEMORY_BELOW_MINIMUM` / `_ABOVE_MAXIMUM`.
///
/// # Safety
/// `profile` is NULL or points to a readable `lsim_duration_profile` (at
/// least its `struct_size`, and as many bytes as it says); `out_us` is NULL
/// or valid for writes of one `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_duration_at(
    profile: *const lsim_duration_profile,
    memory_mb: u32,
    out_us: *mut u64,
) -> lsim_status {
    guard(|| {
        non_null(profile)?;
        non_null(out_us)?;
        // SAFETY: non-null, readable per the contract.
        let p = unsafe { read_config(profile) }?.to_core()?;
        let d = p.duration_at(memory(memory_mb)?);
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out_us, d.as_micros()) };
        Ok(())
    })
}

// ---- power tuning --------------------------------------------------------------------------

/// Writes a run's candidates and result with the buffer convention.
///
/// # Safety
/// `out_count` and `result` are non-null and writable; `out` is NULL or
/// valid for writes of `out_len` candidates.
unsafe fn write_tuned(
    candidates: &[Candidate],
    tuned: &Tuned,
    advice: &TimeoutAdvice,
    out: *mut lsim_tune_candidate,
    out_len: usize,
    out_count: *mut usize,
    result: *mut lsim_tune_result,
) -> Result<(), lsim_status> {
    let n = candidates.len();
    if out_len < n {
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out_count, n) };
        return Err(lsim_status::BufferTooSmall);
    }
    non_null(out)?;
    for (i, c) in candidates.iter().enumerate() {
        // SAFETY: `out` is non-null and writable for `out_len` >= `n` entries.
        unsafe { write_out(out.add(i), lsim_tune_candidate::from(*c)) };
    }
    // SAFETY: non-null, writable per the contract.
    unsafe {
        write_out(out_count, n);
        write_out(result, lsim_tune_result::new(tuned, advice));
    }
    Ok(())
}

/// Power-tunes a duration profile (docs/model.md §6): evaluates every memory size of
/// the request's list (its duration by docs/model.md §3, the cost of one invocation:
/// request plus tier-1 duration billed at the granularity), writes every
/// candidate to `out[0..*out_count]` in list order, and the pick, the
/// balanced-score normalisers and timeout advice (p99 = the pick's duration)
/// to `*result`.
///
/// `out_len` is the capacity of `out`. When it is smaller than the number of
/// candidates (6 for the default list, 10 113 for all sizes, `memory_count`
/// for a custom list) the call returns `LSIM_STATUS_BUFFER_TOO_SMALL` with
/// that number in `*out_count` and writes nothing else; `out` may then be
/// NULL (a size query).
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`; `LSIM_STATUS_INVALID_ARGUMENT` (a bad
/// `struct_size` of the request or its profile, an unknown code, an empty
/// custom list, `weight_ppm` above 1 000 000);
/// `LSIM_STATUS_MEMORY_BELOW_MINIMUM` / `_ABOVE_MAXIMUM` (a custom size);
/// `LSIM_STATUS_TIMEOUT_OUT_OF_RANGE` (`configured_timeout_ms`);
/// `LSIM_STATUS_BUFFER_TOO_SMALL`; `LSIM_STATUS_OVERFLOW`.
///
/// # Safety
/// `req` is NULL or points to a readable `lsim_tune_request` (at least its
/// `struct_size`, and as many bytes as it says) whose `memories` points to
/// `memory_count` readable sizes when the list is custom; `out` is NULL or
/// valid for writes of `out_len` candidates; `out_count` and `result` are
/// NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_tune_profile(
    req: *const lsim_tune_request,
    out: *mut lsim_tune_candidate,
    out_len: usize,
    out_count: *mut usize,
    result: *mut lsim_tune_result,
) -> lsim_status {
    guard(|| {
        non_null(req)?;
        non_null(out_count)?;
        non_null(result)?;
        // SAFETY: non-null, readable per the contract.
        let r = unsafe { read_config(req) }?;
        let profile = r.profile.to_core()?;
        let strategy = strategy(r.strategy, r.weight_ppm)?;
        let config = tune_config(r.architecture, r.prices, r.granularity)?;
        let timeout_ms = configured_timeout(r.configured_timeout_ms)?;
        let custom: Vec<u32> = match r.memory_list {
            LSIM_MEMORY_LIST_CUSTOM if r.memory_count == 0 => return Err(lsim_status::InvalidArgument),
            LSIM_MEMORY_LIST_CUSTOM => {
                non_null(r.memories)?;
                // SAFETY: non-null, and `memory_count` readable sizes per the
                // contract; copied at once, never written.
                unsafe { core::slice::from_raw_parts(r.memories, r.memory_count) }.to_vec()
            }
            LSIM_MEMORY_LIST_DEFAULT | LSIM_MEMORY_LIST_ALL => Vec::new(),
            _ => return Err(lsim_status::InvalidArgument),
        };
        for &mb in &custom {
            memory(mb)?;
        }
        let list = match r.memory_list {
            LSIM_MEMORY_LIST_DEFAULT => MemoryList::Default,
            LSIM_MEMORY_LIST_ALL => MemoryList::All,
            _ => MemoryList::Custom(&custom),
        };
        let mut candidates = vec![Candidate::default(); list.len()];
        let tuned = tuning::tune_profile(&profile, list, strategy, &config, &mut candidates)?;
        let advice = TimeoutAdvice::from_p99(lambdasim::Duration::from_micros(tuned.pick.duration_us), timeout_ms);
        // SAFETY: `out_count` and `result` are non-null; pointers valid per the contract.
        unsafe { write_tuned(&candidates, &tuned, &advice, out, out_len, out_count, result) }
    })
}

/// Power-tunes measured samples (docs/model.md §6): one `lsim_memory_samples` per
/// memory size (at least 5 durations each). Each size's duration is the
/// trimmed mean dropping the top and bottom 20 % (rounded up to the us);
/// candidates, pick and timeout advice are written as by
/// `lsim_tune_profile`, with p99 the nearest-rank 99th percentile of the
/// picked size's samples. The samples are copied before sorting: the
/// caller's arrays are never written.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` (also `sizes` or a `durations_us` NULL with a
/// non-zero count); `LSIM_STATUS_INVALID_ARGUMENT` (bad `struct_size`,
/// unknown code, no sizes, `weight_ppm` above 1 000 000);
/// `LSIM_STATUS_MEMORY_BELOW_MINIMUM` / `_ABOVE_MAXIMUM`;
/// `LSIM_STATUS_TOO_FEW_SAMPLES`; `LSIM_STATUS_TIMEOUT_OUT_OF_RANGE`;
/// `LSIM_STATUS_BUFFER_TOO_SMALL` (needed count in `*out_count`);
/// `LSIM_STATUS_OVERFLOW`.
///
/// # Safety
/// `req` as for `lsim_tune_profile`, with `sizes` pointing to `size_count`
/// readable entries, each `durations_us` to `count` readable values; `out`,
/// `out_count` and `result` as for `lsim_tune_profile`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_tune_samples(
    req: *const lsim_tune_samples_request,
    out: *mut lsim_tune_candidate,
    out_len: usize,
    out_count: *mut usize,
    result: *mut lsim_tune_result,
) -> lsim_status {
    guard(|| {
        non_null(req)?;
        non_null(out_count)?;
        non_null(result)?;
        // SAFETY: non-null, readable per the contract.
        let r = unsafe { read_config(req) }?;
        let strategy = strategy(r.strategy, r.weight_ppm)?;
        let config = tune_config(r.architecture, r.prices, r.granularity)?;
        let timeout_ms = configured_timeout(r.configured_timeout_ms)?;
        if r.size_count == 0 {
            return Err(lsim_status::InvalidArgument);
        }
        non_null(r.sizes)?;
        // SAFETY: non-null, `size_count` readable entries per the contract.
        let sizes: &[lsim_memory_samples] = unsafe { core::slice::from_raw_parts(r.sizes, r.size_count) };
        let mut copies: Vec<Vec<u64>> = Vec::with_capacity(sizes.len());
        for s in sizes {
            memory(s.memory_mb)?;
            let copy = if s.count == 0 {
                Vec::new()
            } else {
                non_null(s.durations_us)?;
                // SAFETY: non-null, `count` readable values per the contract;
                // copied at once, never written.
                unsafe { core::slice::from_raw_parts(s.durations_us, s.count) }.to_vec()
            };
            copies.push(copy);
        }
        let mut candidates = vec![Candidate::default(); sizes.len()];
        let tuned = {
            let mut samples: Vec<Samples<'_>> = sizes
                .iter()
                .zip(copies.iter_mut())
                .map(|(s, d)| Samples { memory_mb: s.memory_mb, durations_us: d })
                .collect();
            tuning::tune_samples(&mut samples, strategy, &config, &mut candidates)?
        };
        // Among equal candidates the first stays the pick, so the first equal one is it.
        let picked = candidates.iter().position(|c| *c == tuned.pick).ok_or(lsim_status::Internal)?;
        let picked_samples = copies.get_mut(picked).ok_or(lsim_status::Internal)?;
        let advice = TimeoutAdvice::from_samples(picked_samples, timeout_ms)?;
        // SAFETY: `out_count` and `result` are non-null; pointers valid per the contract.
        unsafe { write_tuned(&candidates, &tuned, &advice, out, out_len, out_count, result) }
    })
}
