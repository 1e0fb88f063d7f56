//! Provisioned and reserved concurrency over time in a run: scheduled
//! actions (once, or every day) and target tracking of provisioned
//! concurrency ([`crate::autoscaling`]), driven at minute boundaries.
//!
//! - A scheduled action takes effect at the first minute boundary at or
//!   after its time (AWS schedules have one-minute resolution); one at
//!   time zero applies before the first request.
//! - Each change goes through the region's ordinary rules
//!   ([`Region::put_provisioned`](crate::Region::put_provisioned):
//!   allocation delay, ramp, `InProgress`/`Ready`); a change the region
//!   refuses is reported with its error and changes nothing.
//! - The utilization datapoint of a minute is the function's average busy
//!   concurrency over the minute divided by its allocated provisioned
//!   environments at the minute's end, at most 1 (requests use provisioned
//!   environments first, so busy provisioned = min(busy, allocated) at each
//!   instant; averaging before the minimum is an approximation that only
//!   differs in minutes that spill over, where the utilization is 1 or
//!   near it). A minute in which nothing was busy has no datapoint.
//!
//! Runs without any control pay nothing: the per-minute work is skipped.

use super::{Observer, Sim, SimError};
use crate::ConfigError;
use crate::autoscaling::{FULL_PPM, ScalingReason, TargetTracking};
use crate::function::ProvisionedStatus;
use crate::time::{Duration, Instant};

/// A day, the period of a daily action.
pub const DAY: Duration = Duration::from_secs(86_400);
const MINUTE: Duration = Duration::from_secs(60);

/// A scheduled change of a function's concurrency settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScheduledAction {
    /// When, from the run's start (`daily`: the time of day, below a day).
    pub at: Duration,
    /// Repeats every day at `at`.
    pub daily: bool,
    /// New provisioned concurrency, if it changes.
    pub provisioned: Option<u32>,
    /// New reserved concurrency, if it changes.
    pub reserved: Option<u32>,
}

/// How a function's concurrency settings change during a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProvisionedControl<'a> {
    /// Scheduled actions (applied in list order when several fall together).
    pub schedule: &'a [ScheduledAction],
    /// Target tracking of provisioned concurrency.
    pub autoscaling: Option<TargetTracking>,
}

/// The setting a [`ScalingAction`] changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScaledSetting {
    /// Provisioned concurrency.
    Provisioned,
    /// Reserved concurrency.
    Reserved,
}

/// A change made (or refused) during a run, reported to the observer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScalingAction {
    /// When.
    pub at: Instant,
    /// The function's position in the run's list.
    pub function: usize,
    /// What changed.
    pub setting: ScaledSetting,
    /// The value before (`None`: reserved concurrency was not set).
    pub from: Option<u32>,
    /// The value asked for.
    pub to: u32,
    /// Why.
    pub reason: ScalingReason,
    /// The alarm's mean utilization, parts per million (target tracking).
    pub utilization_ppm: Option<u32>,
    /// The region's refusal, if it refused (nothing changed then).
    pub refused: Option<ConfigError>,
}

/// A function's control and what it remembers between minutes.
#[derive(Clone, Copy, Debug)]
pub(super) struct ControlState<'a> {
    pub(super) control: ProvisionedControl<'a>,
    /// The function's busy integral at the last minute boundary, env·µs.
    pub(super) last_busy_env_us: u128,
}

impl ScheduledAction {
    /// Whether an occurrence falls in `(now − 1 min, now]`.
    fn due(&self, now: Instant) -> bool {
        let (t, at) = (now.as_micros(), self.at.as_micros());
        let minute = MINUTE.as_micros();
        if self.daily {
            let day = DAY.as_micros();
            (t.saturating_add(day).saturating_sub(at % day)) % day < minute
        } else {
            t >= at && t - at < minute
        }
    }
}

impl<'a, const FUNCTIONS: usize> Sim<'a, FUNCTIONS> {
    /// Gives function `index` scheduled actions and/or target tracking.
    /// Call before [`Sim::run`].
    ///
    /// # Errors
    /// [`SimError::InvalidProvisionedControl`] for an unknown index or a
    /// daily action not below a day.
    pub fn set_provisioned_control(&mut self, index: usize, control: ProvisionedControl<'a>) -> Result<(), SimError> {
        if control.schedule.iter().any(|a| a.daily && a.at >= DAY) {
            return Err(SimError::InvalidProvisionedControl { index });
        }
        let f = self.functions.get_mut(index).ok_or(SimError::InvalidProvisionedControl { index })?;
        f.control = Some(ControlState { control, last_busy_env_us: 0 });
        self.controls = true;
        Ok(())
    }

    /// Applies what is due at minute boundary `now` (time zero: scheduled
    /// actions only).
    pub(super) fn drive_controls(&mut self, now: Instant, observer: &mut impl Observer) -> Result<(), SimError> {
        for index in 0..self.functions.len() {
            let Some(f) = self.functions.get_mut(index) else { continue };
            let Some(state) = f.control.as_mut() else { continue };
            let id = f.id;
            let control = state.control;
            for a in control.schedule.iter().filter(|a| a.due(now)) {
                if let Some(to) = a.reserved {
                    let from = self.region.function_counts(id).and_then(|c| c.reserved);
                    let refused = self.region.put_reserved(now, id, Some(to)).err();
                    let setting = ScaledSetting::Reserved;
                    let reason = ScalingReason::Scheduled;
                    let action = ScalingAction {
                        at: now,
                        function: index,
                        setting,
                        from,
                        to,
                        reason,
                        utilization_ppm: None,
                        refused,
                    };
                    observer.scaling(&action);
                }
                if let Some(to) = a.provisioned {
                    self.put_provisioned(now, index, to, ScalingReason::Scheduled, None, observer)?;
                }
            }
            if now > Instant::ZERO {
                self.track(now, index, observer)?;
            }
        }
        Ok(())
    }

    /// Feeds the minute's utilization datapoint to the function's target
    /// tracking and applies its decision.
    fn track(&mut self, now: Instant, index: usize, observer: &mut impl Observer) -> Result<(), SimError> {
        let f = self.functions.get_mut(index).ok_or(SimError::Internal)?;
        let id = f.id;
        let state = f.control.as_mut().ok_or(SimError::Internal)?;
        let Some(policy) = state.control.autoscaling.as_mut() else { return Ok(()) };
        let busy_env_us = self.region.function_occupancy(id).ok_or(SimError::Internal)?.busy_env_us;
        let busy = busy_env_us.saturating_sub(state.last_busy_env_us);
        state.last_busy_env_us = busy_env_us;
        let counts = self.region.function_counts(id).ok_or(SimError::Internal)?;
        let allocated = u128::from(counts.provisioned_allocated);
        let span = MINUTE.as_micros() as u128;
        let utilization = (busy > 0 && allocated > 0).then(|| {
            let ppm = busy.saturating_mul(u128::from(FULL_PPM)) / span.saturating_mul(allocated);
            u32::try_from(ppm.min(u128::from(FULL_PPM))).unwrap_or(FULL_PPM)
        });
        let in_progress = counts.provisioned_status == ProvisionedStatus::InProgress;
        if let Some(d) = policy.on_datapoint(utilization, counts.provisioned, in_progress) {
            self.put_provisioned(now, index, d.to, d.reason, Some(d.utilization_ppm), observer)?;
        }
        Ok(())
    }

    fn put_provisioned(
        &mut self,
        now: Instant,
        index: usize,
        to: u32,
        reason: ScalingReason,
        utilization_ppm: Option<u32>,
        observer: &mut impl Observer,
    ) -> Result<(), SimError> {
        let id = self.functions.get(index).ok_or(SimError::Internal)?.id;
        let from = self.region.function_counts(id).map(|c| c.provisioned);
        let refused = self.region.put_provisioned(now, id, to).err();
        let setting = ScaledSetting::Provisioned;
        observer.scaling(&ScalingAction {
            at: now,
            function: index,
            setting,
            from,
            to,
            reason,
            utilization_ppm,
            refused,
        });
        Ok(())
    }
}
