//! Concurrency settings over time in a scenario:
//! `[[functions.provisioned_schedule]]` entries (scheduled actions, once
//! with `at_s` or every day with `daily = "HH:MM"`) and
//! `[functions.provisioned_autoscaling]` (target tracking of provisioned
//! concurrency utilization), checked here and handed to the simulator;
//! the changes a run made, as report lines and JSON.

use lambdasim::Instant;
use lambdasim::autoscaling::{ScalingReason, TargetTracking};
use lambdasim::sim::{ProvisionedControl, ScaledSetting, ScalingAction, ScheduledAction};
use lambdasim::time::Duration;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// One `[[functions.provisioned_schedule]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// Once, this many seconds into the run.
    #[serde(default)]
    pub at_s: Option<f64>,
    /// Every day at this time of day ("HH:MM" or "HH:MM:SS", run time
    /// zero being midnight).
    #[serde(default)]
    pub daily: Option<String>,
    /// New provisioned concurrency.
    #[serde(default)]
    pub provisioned: Option<u32>,
    /// New reserved concurrency.
    #[serde(default)]
    pub reserved: Option<u32>,
}

/// `[functions.provisioned_autoscaling]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoscalingSpec {
    /// Target utilization, 0.1..=0.9.
    pub target: f64,
    /// Lowest provisioned concurrency, at least 1.
    pub min: u32,
    /// Highest provisioned concurrency, at least `min`.
    pub max: u32,
}

/// A function's checked controls.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Control {
    pub schedule: Vec<ScheduledAction>,
    pub autoscaling: Option<TargetTracking>,
}

impl Control {
    /// The simulator's view.
    pub fn get(&self) -> ProvisionedControl<'_> {
        ProvisionedControl { schedule: &self.schedule, autoscaling: self.autoscaling }
    }
}

/// A bad field: its key under the function, and why.
pub type FieldError = (String, String);

/// Checks a function's `provisioned_schedule` and `provisioned_autoscaling`
/// (`None` when it has neither).
///
/// # Errors
/// The first bad field, by its key under the function.
pub fn check(
    schedule: &[ScheduleSpec],
    autoscaling: Option<&AutoscalingSpec>,
    provisioned: u32,
    reserved: Option<u32>,
) -> Result<Option<Control>, FieldError> {
    if schedule.is_empty() && autoscaling.is_none() {
        return Ok(None);
    }
    if !schedule.is_empty() && autoscaling.is_some() {
        let msg = "use provisioned_schedule or provisioned_autoscaling, not both (scheduled changes of the autoscaling bounds are not modelled)";
        return Err(("provisioned_autoscaling".into(), msg.into()));
    }
    let schedule = schedule.iter().enumerate().map(|(k, a)| action(k, a)).collect::<Result<Vec<_>, _>>()?;
    let autoscaling = autoscaling.map(|a| tracking(a, provisioned, reserved)).transpose()?;
    Ok(Some(Control { schedule, autoscaling }))
}

fn action(k: usize, a: &ScheduleSpec) -> Result<ScheduledAction, FieldError> {
    let key = |field: &str| format!("provisioned_schedule[{k}].{field}");
    let (at, daily) = match (a.at_s, a.daily.as_deref()) {
        (Some(s), None) => {
            if !(s.is_finite() && (0.0..1.8e13).contains(&s)) {
                return Err((key("at_s"), format!("must be a number of seconds in 0..1.8e13 (got {s})")));
            }
            (Duration::from_micros((s * 1e6).round() as u64), false)
        }
        (None, Some(t)) => (time_of_day(t).ok_or_else(|| (key("daily"), bad_daily(t)))?, true),
        (Some(_), Some(_)) => return Err((key("daily"), "give at_s (once) or daily (every day), not both".into())),
        (None, None) => {
            return Err((key("at_s"), "give at_s (once, seconds into the run) or daily = \"HH:MM\"".into()));
        }
    };
    if a.provisioned.is_none() && a.reserved.is_none() {
        return Err((key("provisioned"), "an action sets provisioned, reserved or both".into()));
    }
    Ok(ScheduledAction { at, daily, provisioned: a.provisioned, reserved: a.reserved })
}

fn bad_daily(t: &str) -> String {
    format!("must be a time of day \"HH:MM\" or \"HH:MM:SS\" from 00:00 to 23:59:59 (got \"{t}\")")
}

/// "HH:MM" or "HH:MM:SS" as the time since midnight.
fn time_of_day(t: &str) -> Option<Duration> {
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let n = |i: usize| parts.get(i).map_or(Some(0), |p| p.parse::<u64>().ok());
    let (h, m, s) = (n(0)?, n(1)?, n(2)?);
    (h < 24 && m < 60 && s < 60).then(|| Duration::from_secs(h * 3_600 + m * 60 + s))
}

fn tracking(a: &AutoscalingSpec, provisioned: u32, reserved: Option<u32>) -> Result<TargetTracking, FieldError> {
    let key = |field: &str| format!("provisioned_autoscaling.{field}");
    if !(a.target.is_finite() && (0.1..=0.9).contains(&a.target)) {
        return Err((key("target"), format!("must be in 0.1..=0.9 (got {})", a.target)));
    }
    let policy = TargetTracking::new((a.target * 1e6).round() as u32, a.min, a.max)
        .map_err(|e| (key(e.field()), format!("{e} (min {}, max {})", a.min, a.max)))?;
    if !(a.min..=a.max).contains(&provisioned) {
        let msg = format!(
            "the starting provisioned concurrency ({provisioned}) must be within min..=max ({}..={})",
            a.min, a.max
        );
        return Err(("provisioned".into(), msg));
    }
    if let Some(rc) = reserved
        && a.max > rc
    {
        return Err((key("max"), format!("max ({}) above reserved concurrency ({rc})", a.max)));
    }
    Ok(policy)
}

/// One change in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalingJson {
    pub at_s: f64,
    pub function: String,
    /// "provisioned" or "reserved".
    pub setting: &'static str,
    /// The value before (absent: reserved concurrency was not set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<u32>,
    pub to: u32,
    /// "scheduled", "utilization_high" or "utilization_low".
    pub reason: &'static str,
    /// The alarm's mean utilization (target tracking).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization: Option<f64>,
    /// Why the region refused the change (nothing changed then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

impl ScalingJson {
    pub fn new(a: &ScalingAction, names: &[String]) -> Self {
        ScalingJson {
            at_s: a.at.saturating_since(Instant::ZERO).as_micros() as f64 / 1e6,
            function: names.get(a.function).cloned().unwrap_or_default(),
            setting: match a.setting {
                ScaledSetting::Provisioned => "provisioned",
                ScaledSetting::Reserved => "reserved",
            },
            from: a.from,
            to: a.to,
            reason: a.reason.name(),
            utilization: a.utilization_ppm.map(|u| f64::from(u) / 1e6),
            refused: a.refused.map(|e| e.to_string()),
        }
    }
}

/// The report's lines: one per change (time, function, from → to, why).
pub fn text(actions: &[ScalingJson]) -> String {
    let mut out = format!("concurrency changes ({}):\n", actions.len());
    for a in actions {
        let from = a.from.map_or_else(|| "unset".to_owned(), |v| v.to_string());
        let why = match (a.reason, a.utilization) {
            (r, Some(u)) if r != ScalingReason::Scheduled.name() => {
                format!("{} (utilization {:.0} %)", r.replace('_', " "), u * 100.0)
            }
            (r, _) => r.to_owned(),
        };
        let _ = write!(out, "  {} {}: {} {from} → {}, {why}", clock(a.at_s), a.function, a.setting, a.to);
        match &a.refused {
            Some(e) => {
                let _ = writeln!(out, " — refused: {e}");
            }
            None => out.push('\n'),
        }
    }
    out
}

/// Seconds into the run as "d+HH:MM:SS" (day shown from the second on).
fn clock(at_s: f64) -> String {
    let s = at_s.max(0.0).round() as u64;
    let (d, h, m, sec) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
    if d > 0 { format!("day {} {h:02}:{m:02}:{sec:02}", d + 1) } else { format!("{h:02}:{m:02}:{sec:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: f64, provisioned: u32) -> ScheduleSpec {
        ScheduleSpec { at_s: Some(s), daily: None, provisioned: Some(provisioned), reserved: None }
    }

    #[test]
    fn times_of_day() {
        assert_eq!(time_of_day("08:00"), Some(Duration::from_secs(8 * 3_600)));
        assert_eq!(time_of_day("23:59:59"), Some(Duration::from_secs(86_399)));
        for bad in ["24:00", "8:00", "08:60", "08", "08:00:00:00", "aa:bb", "+8:00"] {
            assert_eq!(time_of_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = |s: &[ScheduleSpec], a: Option<&AutoscalingSpec>, pc: u32| check(s, a, pc, Some(50)).unwrap_err().0;
        let daily = ScheduleSpec { daily: Some("25:00".into()), ..at(0.0, 1) };
        assert_eq!(e(&[at(0.0, 1), daily], None, 0), "provisioned_schedule[1].daily");
        assert_eq!(e(&[at(f64::NAN, 1)], None, 0), "provisioned_schedule[0].at_s");
        assert_eq!(e(&[ScheduleSpec { at_s: None, ..at(0.0, 1) }], None, 0), "provisioned_schedule[0].at_s");
        assert_eq!(
            e(&[ScheduleSpec { provisioned: None, ..at(0.0, 1) }], None, 0),
            "provisioned_schedule[0].provisioned"
        );
        let a = |target, min, max| AutoscalingSpec { target, min, max };
        assert_eq!(e(&[], Some(&a(0.95, 1, 10)), 1), "provisioned_autoscaling.target");
        assert_eq!(e(&[], Some(&a(0.7, 0, 10)), 1), "provisioned_autoscaling.min");
        assert_eq!(e(&[], Some(&a(0.7, 5, 4)), 5), "provisioned_autoscaling.max");
        assert_eq!(e(&[], Some(&a(0.7, 1, 60)), 1), "provisioned_autoscaling.max");
        assert_eq!(e(&[], Some(&a(0.7, 2, 10)), 1), "provisioned");
        assert_eq!(e(&[at(0.0, 1)], Some(&a(0.7, 1, 10)), 1), "provisioned_autoscaling");
        assert_eq!(check(&[], None, 0, None), Ok(None));
    }

    #[test]
    fn good_settings_become_the_simulators() {
        let daily = ScheduleSpec { at_s: None, daily: Some("08:30".into()), provisioned: Some(50), reserved: None };
        let c = check(&[daily], None, 0, None).unwrap().unwrap();
        assert_eq!(
            c.schedule,
            [ScheduledAction { at: Duration::from_secs(30_600), daily: true, provisioned: Some(50), reserved: None }]
        );
        let a = AutoscalingSpec { target: 0.7, min: 1, max: 100 };
        let c = check(&[], Some(&a), 10, None).unwrap().unwrap();
        assert_eq!(c.autoscaling.map(|p| (p.target_ppm(), p.min(), p.max())), Some((700_000, 1, 100)));
    }

    #[test]
    fn report_lines_say_when_what_and_why() {
        let names = ["api".to_owned()];
        let a = ScalingAction {
            at: Instant::ZERO.saturating_add(Duration::from_secs(86_400 + 8 * 3_600 + 180)),
            function: 0,
            setting: ScaledSetting::Provisioned,
            from: Some(10),
            to: 15,
            reason: ScalingReason::UtilizationHigh,
            utilization_ppm: Some(1_000_000),
            refused: None,
        };
        let t = text(&[ScalingJson::new(&a, &names)]);
        assert_eq!(
            t,
            "concurrency changes (1):\n  day 2 08:03:00 api: provisioned 10 → 15, utilization high (utilization 100 %)\n"
        );
    }
}
