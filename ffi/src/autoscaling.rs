//! Target tracking of provisioned concurrency from C: the core's policy
//! (`lambdasim::autoscaling`) as one stateless call. The caller keeps the
//! one-minute utilization datapoints since its last scaling action and asks
//! what to do after each new one.

use crate::api::{non_null, read_config, write_out};
use crate::registry::guard;
use crate::status::lsim_status;
use crate::types::flag;
use lambdasim::autoscaling::{FULL_PPM, SCALE_IN_PERIODS, ScalingReason, TargetTracking};

/// No change.
pub const LSIM_SCALING_NONE: u32 = 0;
/// Scale out: utilization above the target for 3 minutes.
pub const LSIM_SCALING_OUT: u32 = 1;
/// Scale in: utilization below 90 % of the target for 15 minutes.
pub const LSIM_SCALING_IN: u32 = 2;

/// A target-tracking policy: `target_ppm` in 100000..=900000 (0.1..=0.9),
/// `1 ≤ min ≤ max`. Set `struct_size = sizeof(lsim_target_tracking)`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub struct lsim_target_tracking {
    /// `sizeof(lsim_target_tracking)`.
    pub struct_size: u32,
    /// Target utilization, parts per million.
    pub target_ppm: u32,
    /// Lowest provisioned concurrency.
    pub min: u32,
    /// Highest provisioned concurrency.
    pub max: u32,
}

/// What the policy asks for.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub struct lsim_scaling_decision {
    /// `LSIM_SCALING_NONE`, `LSIM_SCALING_OUT` or `LSIM_SCALING_IN`.
    pub action: u32,
    /// Capacity before (the `current` passed in).
    pub from: u32,
    /// Capacity to set (`from` when the action is NONE).
    pub to: u32,
    /// Mean utilization of the datapoints that fired the alarm, ppm (0 for NONE).
    pub utilization_ppm: u32,
}

/// Decides after the newest of `count` one-minute datapoints (oldest
/// first; `present[i] == 0` marks a minute without a datapoint, `present`
/// NULL means all are present) what a target-tracking policy does, given
/// the configured capacity `current` and whether its allocation is
/// `in_progress` (0/1). Pass the datapoints since the last action taken
/// (only the newest 15 matter): the answer is then the one the stateful
/// policy gives. Scale-out after 3 datapoints above the target, to
/// `ceil(current × u / target)` at most `max`; scale-in after 15 below 90 %
/// of it, by at most 10 % (at least 1) per action, not below `min`; a
/// missing minute restarts both counts; nothing while in progress.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` (`config`, `out`, or `utilization_ppm` with
/// `count > 0`); `LSIM_STATUS_INVALID_ARGUMENT` for a bad `struct_size`,
/// target, min or max, a datapoint above 1000000, or a flag not 0/1.
/// `*out` is written only on success.
///
/// # Safety
/// `config` is NULL or a readable `lsim_target_tracking`; `utilization_ppm`
/// and `present` (when non-NULL) point to `count` readable elements; `out`
/// is NULL or valid for writes of one `lsim_scaling_decision`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_target_tracking_decide(
    config: *const lsim_target_tracking,
    utilization_ppm: *const u32,
    present: *const u8,
    count: usize,
    current: u32,
    in_progress: u8,
    out: *mut lsim_scaling_decision,
) -> lsim_status {
    guard(|| {
        non_null(out)?;
        // SAFETY: NULL-checked inside; readable per the contract.
        let c = unsafe { read_config(config) }?;
        let mut policy = TargetTracking::new(c.target_ppm, c.min, c.max).map_err(|_| lsim_status::InvalidArgument)?;
        let in_progress = flag(u32::from(in_progress))?;
        // SAFETY: per the contract.
        let points = unsafe { read_points(utilization_ppm, present, count) }?;
        let last = points.len().checked_sub(1);
        let mut decision = None;
        for (i, u) in points.iter().enumerate() {
            // Earlier minutes cannot have acted: the caller passes those
            // since its last action.
            let busy = if Some(i) == last { in_progress } else { true };
            decision = policy.on_datapoint(*u, current, busy);
        }
        let d = match decision {
            None => lsim_scaling_decision { action: LSIM_SCALING_NONE, from: current, to: current, utilization_ppm: 0 },
            Some(d) => lsim_scaling_decision {
                action: match d.reason {
                    ScalingReason::UtilizationHigh => LSIM_SCALING_OUT,
                    ScalingReason::UtilizationLow => LSIM_SCALING_IN,
                    ScalingReason::Scheduled => return Err(lsim_status::Internal),
                },
                from: d.from,
                to: d.to,
                utilization_ppm: d.utilization_ppm,
            },
        };
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, d) };
        Ok(())
    })
}

/// The newest [`SCALE_IN_PERIODS`] datapoints (`None`: missing), checked.
///
/// # Safety
/// `values` and `present` (when non-NULL) point to `count` readable elements.
unsafe fn read_points(values: *const u32, present: *const u8, count: usize) -> Result<Vec<Option<u32>>, lsim_status> {
    if count == 0 {
        return Ok(Vec::new());
    }
    non_null(values)?;
    let skip = count.saturating_sub(SCALE_IN_PERIODS);
    // SAFETY: non-null, `count` readable elements per the contract.
    let values = unsafe { core::slice::from_raw_parts(values, count) };
    let present: Option<&[u8]> = if present.is_null() {
        None
    } else {
        // SAFETY: non-null, `count` readable bytes per the contract.
        Some(unsafe { core::slice::from_raw_parts(present, count) })
    };
    let mut points = Vec::with_capacity(count - skip);
    for (i, v) in values.iter().enumerate().skip(skip) {
        let here = match present {
            None => true,
            Some(p) => flag(u32::from(p.get(i).copied().ok_or(lsim_status::Internal)?))?,
        };
        if here && *v > FULL_PPM {
            return Err(lsim_status::InvalidArgument);
        }
        points.push(here.then_some(*v));
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::{null, null_mut};

    const CONFIG: lsim_target_tracking = lsim_target_tracking {
        struct_size: size_of::<lsim_target_tracking>() as u32,
        target_ppm: 700_000,
        min: 1,
        max: 100,
    };

    fn decide(
        c: &lsim_target_tracking,
        points: &[u32],
        present: Option<&[u8]>,
        current: u32,
        in_progress: u8,
    ) -> Result<lsim_scaling_decision, lsim_status> {
        let mut out = lsim_scaling_decision { action: 99, ..Default::default() };
        let p = present.map_or(null(), <[u8]>::as_ptr);
        // SAFETY: valid pointers and lengths.
        match unsafe {
            lsim_target_tracking_decide(c, points.as_ptr(), p, points.len(), current, in_progress, &mut out)
        } {
            lsim_status::Ok => Ok(out),
            s => {
                assert_eq!(out.action, 99, "out written on error");
                Err(s)
            }
        }
    }

    #[test]
    fn three_high_minutes_scale_out_two_do_not() {
        let d = decide(&CONFIG, &[1_000_000; 3], None, 10, 0).unwrap();
        assert_eq!(d, lsim_scaling_decision { action: LSIM_SCALING_OUT, from: 10, to: 15, utilization_ppm: 1_000_000 });
        let none = decide(&CONFIG, &[1_000_000; 2], None, 10, 0).unwrap();
        assert_eq!(none, lsim_scaling_decision { action: LSIM_SCALING_NONE, from: 10, to: 10, utilization_ppm: 0 });
        assert_eq!(decide(&CONFIG, &[1_000_000; 3], None, 10, 1).unwrap().action, LSIM_SCALING_NONE, "in progress");
    }

    #[test]
    fn fifteen_low_minutes_scale_in_and_a_gap_or_no_data_does_not() {
        let d = decide(&CONFIG, &[100_000; 40], None, 100, 0).unwrap();
        assert_eq!((d.action, d.to), (LSIM_SCALING_IN, 90));
        let mut present = [1u8; 15];
        present[3] = 0;
        assert_eq!(decide(&CONFIG, &[100_000; 15], Some(&present), 100, 0).unwrap().action, LSIM_SCALING_NONE);
        assert_eq!(decide(&CONFIG, &[0; 20], Some(&[0; 20]), 100, 0).unwrap().action, LSIM_SCALING_NONE);
        assert_eq!(decide(&CONFIG, &[], None, 100, 0).unwrap().action, LSIM_SCALING_NONE);
    }

    #[test]
    fn bad_arguments_get_a_status() {
        let bad = |c: lsim_target_tracking| decide(&c, &[1], None, 1, 0);
        assert_eq!(bad(lsim_target_tracking { struct_size: 4, ..CONFIG }), Err(lsim_status::InvalidArgument));
        assert_eq!(bad(lsim_target_tracking { target_ppm: 950_000, ..CONFIG }), Err(lsim_status::InvalidArgument));
        assert_eq!(bad(lsim_target_tracking { min: 0, ..CONFIG }), Err(lsim_status::InvalidArgument));
        assert_eq!(bad(lsim_target_tracking { max: 0, min: 1, ..CONFIG }), Err(lsim_status::InvalidArgument));
        assert_eq!(decide(&CONFIG, &[1_000_001], None, 1, 0), Err(lsim_status::InvalidArgument));
        assert_eq!(decide(&CONFIG, &[1], Some(&[2]), 1, 0), Err(lsim_status::InvalidArgument));
        assert_eq!(decide(&CONFIG, &[1], None, 1, 2), Err(lsim_status::InvalidArgument));
        let mut out = lsim_scaling_decision::default();
        // SAFETY: NULL pointers are answered with a status.
        unsafe {
            assert_eq!(
                lsim_target_tracking_decide(null(), null(), null(), 0, 1, 0, &mut out),
                lsim_status::NullPointer
            );
            assert_eq!(
                lsim_target_tracking_decide(&CONFIG, null(), null(), 0, 1, 0, null_mut()),
                lsim_status::NullPointer
            );
            assert_eq!(
                lsim_target_tracking_decide(&CONFIG, null(), null(), 3, 1, 0, &mut out),
                lsim_status::NullPointer
            );
            assert_eq!(lsim_target_tracking_decide(&CONFIG, null(), null(), 0, 1, 0, &mut out), lsim_status::Ok);
        }
    }
}
