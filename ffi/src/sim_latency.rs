//! The latency of a simulation result through the C ABI: per function (or
//! the total), percentiles of handler duration, init duration and response
//! time, as the JSON's `latency` reports them.

#![allow(non_camel_case_types)]

use crate::api::{non_null, write_out};
use crate::registry::guard;
use crate::sim::{RESULTS, lsim_sim_result};
use crate::status::lsim_status;
use lambdasim::sim::{LatencySummary, Percentiles};

/// Percentiles of one latency distribution, in us: nearest rank, within
/// 0.79 % of the exact value (exact below 128 us); `max_us` exact. Every
/// field is 0 when `samples` is 0.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_percentiles {
    /// Samples recorded.
    pub samples: u64,
    /// Median.
    pub p50_us: u64,
    /// 90th percentile.
    pub p90_us: u64,
    /// 99th percentile.
    pub p99_us: u64,
    /// The largest sample.
    pub max_us: u64,
}

/// The latency of one function, or of every function together
/// (`LSIM_SIM_TOTAL`): the requests that ran (not throttled) after the
/// warm-up; the JSON's `latency`.
///
/// `lsim_sim_result_latency` sets `struct_size` to `sizeof(lsim_latency)`
/// as this library knows it; a caller compiled against this header may
/// compare it with its own to detect a mismatch.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_latency {
    /// `sizeof(lsim_latency)`, set by the library.
    pub struct_size: u32,
    /// Handler durations (every request that ran), capped by the timeout.
    pub handler_duration: lsim_percentiles,
    /// Init durations (cold starts only): the init phase, without the
    /// sandbox's creation.
    pub init_duration: lsim_percentiles,
    /// Response times: the wait before the handler (cold start) plus the
    /// handler duration.
    pub response_time: lsim_percentiles,
    /// `response_time.p99_us - handler_duration.p99_us`: how much later the
    /// slowest 1 % of responses arrive because of cold starts (0 without).
    pub cold_start_added_p99_us: u64,
}

impl From<Percentiles> for lsim_percentiles {
    fn from(p: Percentiles) -> Self {
        lsim_percentiles { samples: p.samples, p50_us: p.p50_us, p90_us: p.p90_us, p99_us: p.p99_us, max_us: p.max_us }
    }
}

impl From<&LatencySummary> for lsim_latency {
    fn from(l: &LatencySummary) -> Self {
        lsim_latency {
            struct_size: size_of::<Self>() as u32,
            handler_duration: l.handler_duration.into(),
            init_duration: l.init_duration.into(),
            response_time: l.response_time.into(),
            cold_start_added_p99_us: l.cold_start_added_p99_us,
        }
    }
}

/// The latency of function `function` (an index below the function count)
/// or, with `LSIM_SIM_TOTAL`, of every function's requests together: the
/// JSON's `functions[function].latency` or `total.latency`. Sets
/// `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`; `LSIM_STATUS_NULL_POINTER`;
/// `LSIM_STATUS_STALE_HANDLE`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_latency`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_sim_result_latency(
    result: *const lsim_sim_result,
    function: u32,
    out: *mut lsim_latency,
) -> lsim_status {
    guard(|| {
        non_null(result)?;
        non_null(out)?;
        let r = RESULTS.lookup(result)?;
        let (s, _) = r.pick(function)?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, lsim_latency::from(&s.latency)) };
        Ok(())
    })
}
