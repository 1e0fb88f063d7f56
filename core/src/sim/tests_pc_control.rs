use super::*;
use crate::autoscaling::{ScalingReason, TargetTracking};
use crate::function::ColdStartProfile;

extern crate std;
use std::vec::Vec;

struct Actions(Vec<ScalingAction>);
impl Observer for Actions {
    fn minute(&mut self, _: &MinutePoint) {}
    fn scaling(&mut self, a: &ScalingAction) {
        self.0.push(*a);
    }
}

fn function(provisioned: u32, workload: Workload<'static>) -> SimFunction<'static> {
    let cold_start = ColdStartProfile { sandbox_us: 100_000, download_us_per_mb: 0, package_mb: 0, init_us: 150_000 };
    SimFunction::new(
        FunctionConfig { provisioned, cold_start, ..FunctionConfig::default() },
        workload,
        DurationDist::Fixed { us: 500_000 },
    )
}

fn run(horizon_s: u64, f: SimFunction<'static>, control: ProvisionedControl<'_>) -> (Summary<1>, Vec<ScalingAction>) {
    let config = SimConfig { horizon: Duration::from_secs(horizon_s), ..SimConfig::default() };
    let mut sim = Sim::<'_, 1>::with_capacity(config, &[f], 512).unwrap();
    sim.set_provisioned_control(0, control).unwrap();
    let mut obs = Actions(Vec::new());
    let summary = sim.run(&mut obs).unwrap();
    sim.region().check_invariants().unwrap();
    (summary, obs.0)
}

#[test]
fn sustained_load_above_the_target_scales_out_after_three_minutes() {
    // 40 req/s × 0.5 s = 20 busy on 10 provisioned: utilization 1.0 > 0.7.
    let policy = TargetTracking::new(700_000, 1, 100).unwrap();
    let control = ProvisionedControl { schedule: &[], autoscaling: Some(policy) };
    let (_, actions) = run(900, function(10, Workload::Constant { rate_per_s: 40.0 }), control);
    let first = actions.first().expect("a scale-out");
    assert_eq!(first.at, Instant::ZERO.saturating_add(Duration::from_secs(180)));
    assert_eq!((first.from, first.to, first.reason), (Some(10), 15, ScalingReason::UtilizationHigh));
    assert!(first.refused.is_none());
    // It keeps scaling out until 20 busy sit below 70 % of the capacity: 29.
    let last = actions.last().unwrap();
    assert!(last.to >= 29 && last.to <= 40, "{actions:?}");
    assert!(actions.iter().all(|a| a.reason == ScalingReason::UtilizationHigh));
}

#[test]
fn no_traffic_never_scales_in() {
    let policy = TargetTracking::new(700_000, 1, 100).unwrap();
    let control = ProvisionedControl { schedule: &[], autoscaling: Some(policy) };
    let (_, actions) = run(3_600, function(10, Workload::Poisson { rate_per_s: 0.0 }), control);
    assert!(actions.is_empty(), "{actions:?}");
}

#[test]
fn low_load_scales_in_ten_percent_at_a_time() {
    // 2 req/s × 0.5 s = 1 busy of 20: utilization 0.05.
    let policy = TargetTracking::new(700_000, 15, 100).unwrap();
    let control = ProvisionedControl { schedule: &[], autoscaling: Some(policy) };
    let (_, actions) = run(5_400, function(20, Workload::Constant { rate_per_s: 2.0 }), control);
    let tos: Vec<u32> = actions.iter().map(|a| a.to).collect();
    assert_eq!(tos.first(), Some(&18), "{actions:?}");
    assert_eq!(tos.last(), Some(&15), "never below min: {actions:?}");
    assert!(actions.iter().all(|a| a.reason == ScalingReason::UtilizationLow));
}

#[test]
fn schedules_apply_at_the_next_minute_boundary_and_repeat_daily() {
    let schedule = [
        ScheduledAction { at: Duration::ZERO, daily: false, provisioned: Some(5), reserved: None },
        ScheduledAction { at: Duration::from_secs(90), daily: true, provisioned: Some(0), reserved: Some(7) },
    ];
    let control = ProvisionedControl { schedule: &schedule, autoscaling: None };
    let (_, actions) = run(86_400 + 300, function(0, Workload::Constant { rate_per_s: 1.0 }), control);
    let at_s: Vec<u64> = actions.iter().map(|a| a.at.as_micros() / 1_000_000).collect();
    assert_eq!(at_s, [0, 120, 120, 86_520, 86_520]);
    assert_eq!((actions[0].from, actions[0].to), (Some(0), 5));
    assert_eq!((actions[1].setting, actions[1].from, actions[1].to), (ScaledSetting::Reserved, None, 7));
    assert_eq!((actions[2].setting, actions[2].from, actions[2].to), (ScaledSetting::Provisioned, Some(5), 0));
    assert_eq!(actions[3].from, Some(7));
}

#[test]
fn refused_changes_are_reported_and_change_nothing() {
    let schedule = [
        ScheduledAction { at: Duration::ZERO, daily: false, provisioned: None, reserved: Some(3) },
        ScheduledAction { at: Duration::from_secs(60), daily: false, provisioned: Some(5), reserved: None },
    ];
    let control = ProvisionedControl { schedule: &schedule, autoscaling: None };
    let (s, actions) = run(300, function(0, Workload::Constant { rate_per_s: 1.0 }), control);
    assert!(actions[1].refused.is_some(), "provisioned above reserved: {actions:?}");
    assert_eq!(s.functions[0].provisioned_starts, 0);
}

#[test]
fn daily_actions_must_be_below_a_day_and_the_index_must_exist() {
    let bad = [ScheduledAction { at: pc_control::DAY, daily: true, provisioned: Some(1), reserved: None }];
    let control = ProvisionedControl { schedule: &bad, autoscaling: None };
    let f = function(0, Workload::Constant { rate_per_s: 1.0 });
    let mut sim = Sim::<'_, 1>::with_capacity(SimConfig::default(), &[f], 16).unwrap();
    assert_eq!(sim.set_provisioned_control(0, control), Err(SimError::InvalidProvisionedControl { index: 0 }));
    let ok = ProvisionedControl::default();
    assert_eq!(sim.set_provisioned_control(1, ok), Err(SimError::InvalidProvisionedControl { index: 1 }));
}
