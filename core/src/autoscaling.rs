//! Provisioned concurrency over time (docs/model.md §2): target-tracking
//! autoscaling on `ProvisionedConcurrencyUtilization`, as Application Auto
//! Scaling does it.
//!
//! Two alarms watch one-minute datapoints of the utilization's Average:
//! - **scale-out** when [`SCALE_OUT_PERIODS`] consecutive datapoints are
//!   above the target; the new capacity is `ceil(current × u / target)`
//!   (`u`: the mean of those datapoints), at most `max`;
//! - **scale-in** when [`SCALE_IN_PERIODS`] consecutive datapoints are
//!   below 90 % of the target; the same formula, but at most 10 % of the
//!   current capacity (and at least one environment) per action, not below
//!   `min`.
//!
//! A missing minute (no invocation ran: Lambda emits no datapoint) breaks
//! both runs of datapoints, so a function without traffic never scales in.
//! No action is taken while the previous one is still allocating
//! (`InProgress`), and each action starts both runs afresh, so the next
//! decision rests on datapoints seen after it.
//!
//! Utilization is in parts per million (1 000 000 = every allocated
//! environment busy) so decisions are integer arithmetic and deterministic.
//! The policy holds [`SCALE_IN_PERIODS`] datapoints: fixed memory, no heap.

use core::fmt;

/// Consecutive datapoints above the target before scaling out.
pub const SCALE_OUT_PERIODS: usize = 3;
/// Consecutive datapoints below 90 % of the target before scaling in.
pub const SCALE_IN_PERIODS: usize = 15;
/// Utilization of every allocated environment busy, parts per million.
pub const FULL_PPM: u32 = 1_000_000;
/// The lowest target AWS accepts (0.1), parts per million.
pub const MIN_TARGET_PPM: u32 = 100_000;
/// The highest target AWS accepts (0.9), parts per million.
pub const MAX_TARGET_PPM: u32 = 900_000;

/// A bad target-tracking setting; each names its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AutoscalingError {
    /// `target` outside 0.1..=0.9.
    Target,
    /// `min` is 0 (a function with no provisioned environments emits no
    /// utilization, so it could never scale out).
    Min,
    /// `max` below `min`.
    Max,
}

impl AutoscalingError {
    /// The field at fault.
    pub const fn field(self) -> &'static str {
        match self {
            AutoscalingError::Target => "target",
            AutoscalingError::Min => "min",
            AutoscalingError::Max => "max",
        }
    }
}

impl fmt::Display for AutoscalingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AutoscalingError::Target => "target: must be in 0.1..=0.9",
            AutoscalingError::Min => "min: must be at least 1",
            AutoscalingError::Max => "max: must be at least min",
        })
    }
}

impl core::error::Error for AutoscalingError {}

/// Which alarm fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalingReason {
    /// Utilization above the target for [`SCALE_OUT_PERIODS`] minutes.
    UtilizationHigh,
    /// Utilization below 90 % of the target for [`SCALE_IN_PERIODS`] minutes.
    UtilizationLow,
    /// A scheduled action.
    Scheduled,
}

impl ScalingReason {
    /// A short name for reports.
    pub const fn name(self) -> &'static str {
        match self {
            ScalingReason::UtilizationHigh => "utilization_high",
            ScalingReason::UtilizationLow => "utilization_low",
            ScalingReason::Scheduled => "scheduled",
        }
    }
}

/// A change of provisioned concurrency the policy asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScalingDecision {
    /// Capacity before.
    pub from: u32,
    /// Capacity asked for.
    pub to: u32,
    /// The mean utilization of the alarm's datapoints, parts per million.
    pub utilization_ppm: u32,
    /// Which alarm fired.
    pub reason: ScalingReason,
}

/// Target tracking of `ProvisionedConcurrencyUtilization`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TargetTracking {
    target_ppm: u32,
    min: u32,
    max: u32,
    /// The newest datapoints, oldest first in ring order from `next`.
    window: [u32; SCALE_IN_PERIODS],
    next: usize,
    /// Consecutive datapoints above the target (capped at the window).
    above: usize,
    /// Consecutive datapoints below 90 % of the target (capped).
    below: usize,
}

impl TargetTracking {
    /// A policy keeping utilization near `target_ppm`, capacity in `min..=max`.
    ///
    /// # Errors
    /// [`AutoscalingError`] naming the bad field.
    pub const fn new(target_ppm: u32, min: u32, max: u32) -> Result<Self, AutoscalingError> {
        if target_ppm < MIN_TARGET_PPM || target_ppm > MAX_TARGET_PPM {
            return Err(AutoscalingError::Target);
        }
        if min == 0 {
            return Err(AutoscalingError::Min);
        }
        if max < min {
            return Err(AutoscalingError::Max);
        }
        Ok(TargetTracking { target_ppm, min, max, window: [0; SCALE_IN_PERIODS], next: 0, above: 0, below: 0 })
    }

    /// The target, parts per million.
    pub const fn target_ppm(&self) -> u32 {
        self.target_ppm
    }
    /// The lowest capacity.
    pub const fn min(&self) -> u32 {
        self.min
    }
    /// The highest capacity.
    pub const fn max(&self) -> u32 {
        self.max
    }

    /// Takes one minute's datapoint (`None`: no datapoint) and, given the
    /// configured capacity `current` and whether its allocation is still
    /// `in_progress`, returns the change to make, if any.
    pub fn on_datapoint(
        &mut self,
        utilization_ppm: Option<u32>,
        current: u32,
        in_progress: bool,
    ) -> Option<ScalingDecision> {
        let Some(u) = utilization_ppm else {
            self.above = 0;
            self.below = 0;
            return None;
        };
        self.push(u);
        let low_line = self.low_line_ppm();
        self.above = if u > self.target_ppm { (self.above + 1).min(SCALE_IN_PERIODS) } else { 0 };
        self.below = if u < low_line { (self.below + 1).min(SCALE_IN_PERIODS) } else { 0 };
        if in_progress {
            return None;
        }
        let decision = if self.above >= SCALE_OUT_PERIODS {
            self.scale_out(current)
        } else if self.below >= SCALE_IN_PERIODS {
            self.scale_in(current)
        } else {
            None
        };
        if decision.is_some() {
            self.above = 0;
            self.below = 0;
        }
        decision
    }

    /// 90 % of the target.
    const fn low_line_ppm(&self) -> u32 {
        self.target_ppm / 10 * 9
    }

    fn push(&mut self, u: u32) {
        if let Some(slot) = self.window.get_mut(self.next) {
            *slot = u;
        }
        self.next = (self.next + 1) % SCALE_IN_PERIODS;
    }

    /// The mean of the newest `n` datapoints (n ≤ the window).
    fn mean_ppm(&self, n: usize) -> u32 {
        let mut sum = 0u64;
        for k in 1..=n.min(SCALE_IN_PERIODS) {
            let i = (self.next + SCALE_IN_PERIODS - k) % SCALE_IN_PERIODS;
            sum = sum.saturating_add(u64::from(self.window.get(i).copied().unwrap_or(0)));
        }
        let n = n.clamp(1, SCALE_IN_PERIODS) as u64;
        u32::try_from(sum / n).unwrap_or(u32::MAX)
    }

    /// `ceil(current × u / target)`, saturating.
    fn tracked(&self, current: u32, u: u32) -> u32 {
        let num = u64::from(current).saturating_mul(u64::from(u));
        let t = u64::from(self.target_ppm.max(1));
        u32::try_from(num.div_ceil(t)).unwrap_or(u32::MAX)
    }

    fn scale_out(&self, current: u32) -> Option<ScalingDecision> {
        let u = self.mean_ppm(SCALE_OUT_PERIODS);
        let to = self.tracked(current, u).clamp(self.min, self.max);
        (to > current).then_some(ScalingDecision {
            from: current,
            to,
            utilization_ppm: u,
            reason: ScalingReason::UtilizationHigh,
        })
    }

    fn scale_in(&self, current: u32) -> Option<ScalingDecision> {
        let u = self.mean_ppm(SCALE_IN_PERIODS);
        let step = (current / 10).max(1);
        let floor = current.saturating_sub(step).max(self.min);
        let to = self.tracked(current, u).max(floor).min(self.max);
        (to < current).then_some(ScalingDecision {
            from: current,
            to,
            utilization_ppm: u,
            reason: ScalingReason::UtilizationLow,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u32 = 700_000;

    fn feed(p: &mut TargetTracking, points: &[Option<u32>], current: u32) -> Option<ScalingDecision> {
        let mut last = None;
        for &u in points {
            if let Some(d) = p.on_datapoint(u, current, false) {
                last = Some(d);
            }
        }
        last
    }

    #[test]
    fn settings_are_checked_by_field() {
        assert_eq!(TargetTracking::new(99_999, 1, 2), Err(AutoscalingError::Target));
        assert_eq!(TargetTracking::new(900_001, 1, 2), Err(AutoscalingError::Target));
        assert_eq!(TargetTracking::new(T, 0, 2), Err(AutoscalingError::Min));
        assert_eq!(TargetTracking::new(T, 3, 2), Err(AutoscalingError::Max));
        assert_eq!(AutoscalingError::Max.field(), "max");
        assert!(TargetTracking::new(MIN_TARGET_PPM, 1, 1).is_ok());
        assert!(TargetTracking::new(MAX_TARGET_PPM, 1, 1).is_ok());
    }

    #[test]
    fn sustained_rise_scales_out_on_the_third_minute_by_the_formula() {
        let mut p = TargetTracking::new(T, 1, 100).unwrap();
        assert_eq!(p.on_datapoint(Some(1_000_000), 10, false), None);
        assert_eq!(p.on_datapoint(Some(1_000_000), 10, false), None);
        let d = p.on_datapoint(Some(1_000_000), 10, false).unwrap();
        // ceil(10 × 1.0 / 0.7) = ceil(14.28…) = 15.
        assert_eq!(
            d,
            ScalingDecision { from: 10, to: 15, utilization_ppm: 1_000_000, reason: ScalingReason::UtilizationHigh }
        );
    }

    #[test]
    fn a_two_minute_burst_does_not_scale() {
        let mut p = TargetTracking::new(T, 1, 100).unwrap();
        let burst = [Some(650_000), Some(1_000_000), Some(1_000_000), Some(650_000), Some(1_000_000), Some(1_000_000)];
        assert_eq!(feed(&mut p, &burst, 10), None);
    }

    #[test]
    fn scale_out_is_bounded_by_max() {
        let mut p = TargetTracking::new(T, 1, 12).unwrap();
        let d = feed(&mut p, &[Some(1_000_000); 3], 10).unwrap();
        assert_eq!(d.to, 12);
        let mut at_max = TargetTracking::new(T, 1, 10).unwrap();
        assert_eq!(feed(&mut at_max, &[Some(1_000_000); 3], 10), None);
    }

    #[test]
    fn fifteen_low_minutes_scale_in_by_at_most_ten_percent() {
        let mut p = TargetTracking::new(T, 1, 1_000).unwrap();
        assert_eq!(feed(&mut p, &[Some(100_000); 14], 100), None);
        let d = p.on_datapoint(Some(100_000), 100, false).unwrap();
        // The formula says ceil(100 × 0.1 / 0.7) = 15; the step is capped at 10 %.
        assert_eq!((d.from, d.to, d.reason), (100, 90, ScalingReason::UtilizationLow));
        // A small capacity still moves by one environment.
        let mut small = TargetTracking::new(T, 1, 10).unwrap();
        assert_eq!(feed(&mut small, &[Some(0); 15], 5).map(|d| d.to), Some(4));
    }

    #[test]
    fn fourteen_low_minutes_or_a_missing_one_do_not_scale_in() {
        let mut p = TargetTracking::new(T, 1, 1_000).unwrap();
        let mut points = [Some(100_000); 15];
        points[7] = None;
        assert_eq!(feed(&mut p, &points, 100), None);
        // Just below 90 % of the target is low; exactly 90 % is not.
        let mut edge = TargetTracking::new(T, 1, 1_000).unwrap();
        assert_eq!(feed(&mut edge, &[Some(630_000); 15], 100), None);
        assert!(feed(&mut edge, &[Some(629_999); 15], 100).is_some());
    }

    #[test]
    fn scale_in_stops_at_min() {
        let mut p = TargetTracking::new(T, 95, 1_000).unwrap();
        assert_eq!(feed(&mut p, &[Some(0); 15], 100).map(|d| d.to), Some(95));
        let mut at_min = TargetTracking::new(T, 100, 1_000).unwrap();
        assert_eq!(feed(&mut at_min, &[Some(0); 15], 100), None);
    }

    #[test]
    fn no_datapoints_never_scale_in() {
        let mut p = TargetTracking::new(T, 1, 1_000).unwrap();
        assert_eq!(feed(&mut p, &[None; 1_000], 100), None);
    }

    #[test]
    fn an_action_waits_while_the_previous_one_is_in_progress() {
        let mut p = TargetTracking::new(T, 1, 1_000).unwrap();
        for _ in 0..5 {
            assert_eq!(p.on_datapoint(Some(1_000_000), 10, true), None);
        }
        // Allocation done: the alarm has been high all along, so it acts now.
        let d = p.on_datapoint(Some(1_000_000), 10, false).unwrap();
        assert_eq!(d.to, 15);
        // Each action starts the runs afresh: three new high minutes are needed.
        assert_eq!(p.on_datapoint(Some(1_000_000), 15, false), None);
        assert_eq!(p.on_datapoint(Some(1_000_000), 15, false), None);
        assert_eq!(p.on_datapoint(Some(1_000_000), 15, false).map(|d| d.to), Some(22));
    }
}
