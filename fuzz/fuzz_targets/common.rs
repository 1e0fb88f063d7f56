//! The work bound shared by the `sim` and `scenario` targets.
//!
//! A run must do some work however it is written: one event per simulated
//! minute (the minute series), one per request, and one per provisioned
//! environment per lifetime (provisioned environments are recycled at the
//! region's maximum lifetime). [`work`] is an upper bound of that from the
//! inputs alone; an input above [`WORK_BUDGET`] is skipped, because it may
//! rightly take long. Every other input must finish within libFuzzer's
//! `-timeout`, which scripts/fuzz.sh sets far above what the budget costs:
//! a run that takes longer does work its inputs do not call for.

use lambdasim::Duration;
use lambdasim::sim::{Trace, Workload};

/// Work units a fuzz input may need: about 0.2 s of simulation in the
/// instrumented fuzz build (~4 µs per unit).
pub const WORK_BUDGET: f64 = 50_000.0;

/// An upper bound of the requests `workload` makes in `horizon_s` seconds:
/// its peak rate over the time it is on, or its trace's length.
fn requests(workload: &Workload<'_>, horizon_s: f64) -> f64 {
    match *workload {
        Workload::Idle => 0.0,
        Workload::Poisson { rate_per_s } | Workload::Constant { rate_per_s } => rate_per_s * horizon_s + 1.0,
        Workload::OnOff { rate_per_s, on, off } => {
            // On at most `on` per started cycle.
            let (on_s, cycle_s) = (on.as_micros() as f64 / 1e6, on.saturating_add(off).as_micros() as f64 / 1e6);
            let cycles = (horizon_s / cycle_s).floor() + 1.0;
            rate_per_s * (on_s * cycles).min(horizon_s) + 1.0
        }
        Workload::Ramp { from_per_s, to_per_s, .. } => from_per_s.max(to_per_s) * horizon_s + 1.0,
        Workload::PerMinute(counts) => counts.iter().map(|&c| f64::from(c)).sum::<f64>() + counts.len() as f64,
        Workload::Replay(events) => events.len() as f64,
        Workload::Diurnal { peak_per_s, .. } => peak_per_s * horizon_s + 1.0,
        Workload::Schedule { points, .. } => {
            // The top rate throughout, plus a walk over the points per request at most.
            let top = points.iter().map(|p| p.rate_per_s).fold(0.0, f64::max);
            (top * horizon_s + 1.0) * (1.0 + points.len() as f64 / 64.0)
        }
        Workload::Repeat { trace, period } => {
            let plays = (horizon_s / (period.as_micros() as f64 / 1e6)).floor() + 1.0;
            let per_play = match trace {
                Trace::PerMinute(counts) => counts.iter().map(|&c| f64::from(c)).sum::<f64>() + counts.len() as f64,
                Trace::Replay(events) => events.len() as f64,
            };
            plays * per_play
        }
        Workload::Sum(parts) => parts.iter().map(|p| requests(p, horizon_s)).sum(),
    }
}

/// The work of `replications` runs of `functions` (workload, provisioned
/// concurrency) over `horizon`, in a region recycling environments after
/// `max_lifetime` (zero: never) with room for `envs` environments. Not
/// finite (NaN, infinite) when the inputs are; callers skip those too.
pub fn work<'a>(
    replications: u32,
    horizon: Duration,
    max_lifetime: Duration,
    envs: usize,
    functions: impl Iterator<Item = (Workload<'a>, u32)>,
) -> f64 {
    let horizon_us = horizon.as_micros() as f64;
    // Arrival times round to whole µs: one up to half a µs past the
    // horizon still counts.
    let horizon_s = (horizon_us + 1.0) / 1e6;
    let lifetimes = if max_lifetime.is_zero() { 1.0 } else { 1.0 + horizon_us / max_lifetime.as_micros() as f64 };
    let mut per_run = horizon_us / 60e6 + 1.0;
    for (workload, provisioned) in functions {
        let provisioned = f64::from(provisioned).min(envs as f64);
        per_run += 1.0 + requests(&workload, horizon_s) + provisioned * lifetimes;
    }
    f64::from(replications) * per_run
}

/// Whether a run of this much work is beyond the fuzzing budget (or its
/// estimate is not a number).
pub fn over_budget(work: f64) -> bool {
    work.is_nan() || work > WORK_BUDGET
}
