//! `[[alarms]]` in scenario files: every bad field is named, thresholds are
//! in CloudWatch's units, and runs report each alarm's transitions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::doc::{DocError, Format};
use lambdasim_scenario::run::run_one;
use lambdasim_scenario::scenario;
use std::path::Path;
use std::sync::atomic::AtomicU64;

const FUNCTION: &str = "[[functions]]\nname = \"f\"\nreserved = 1\nworkload = { type = \"poisson\", rate_per_s = 20 }\nhandler = { type = \"fixed\", ms = 300 }\n";

fn with_alarm(alarm: &str) -> String {
    format!("horizon_s = 600\n{FUNCTION}\n[[alarms]]\nname = \"a\"\n{alarm}\n")
}

fn field_of(text: &str) -> String {
    let e = scenario::prepare("s.toml", text, Format::Toml, Path::new(".")).expect_err(text);
    let doc = e.downcast_ref::<DocError>().unwrap_or_else(|| panic!("not a DocError: {e:#}"));
    assert!(doc.line > 0, "{doc}");
    assert!(doc.message.starts_with("alarm \""), "{doc}");
    doc.field.clone()
}

#[test]
fn every_bad_field_is_named() {
    for (alarm, field) in [
        ("metric = \"Nope\"\nthreshold = 0", "alarms[0].metric"),
        ("metric = \"Errors\"\nfunction = \"g\"\nthreshold = 0", "alarms[0].function"),
        ("metric = \"ClaimedAccountConcurrency\"\nfunction = \"f\"\nthreshold = 0", "alarms[0].function"),
        ("metric = \"Errors\"\nstatistic = \"p101\"\nthreshold = 0", "alarms[0].statistic"),
        ("metric = \"Errors\"\nstatistic = \"p99\"\nthreshold = 0", "alarms[0].statistic"),
        ("metric = \"Errors\"\nperiod_s = 45\nthreshold = 0", "alarms[0].period_s"),
        ("metric = \"Errors\"\nevaluation_periods = 0\nthreshold = 0", "alarms[0].evaluation_periods"),
        (
            "metric = \"Errors\"\nevaluation_periods = 2\ndatapoints_to_alarm = 3\nthreshold = 0",
            "alarms[0].datapoints_to_alarm",
        ),
        ("metric = \"Errors\"\ncomparison = \"Bigger\"\nthreshold = 0", "alarms[0].comparison"),
        ("metric = \"Errors\"\ntreat_missing_data = \"skip\"\nthreshold = 0", "alarms[0].treat_missing_data"),
        ("metric = \"Errors\"\nthreshold = nan", "alarms[0].threshold"),
        // A period that is not a multiple of the shortest alarm period.
        (
            "metric = \"Errors\"\nperiod_s = 120\nthreshold = 0\n[[alarms]]\nname = \"b\"\nmetric = \"Errors\"\nperiod_s = 180\nthreshold = 0",
            "alarms[1].period_s",
        ),
    ] {
        assert_eq!(field_of(&with_alarm(alarm)), field, "{alarm}");
    }
    // A duplicate name, and too many periods for the horizon.
    let twice = format!(
        "{}\n[[alarms]]\nname = \"a\"\nmetric = \"Errors\"\nthreshold = 0\n",
        with_alarm("metric = \"Errors\"\nthreshold = 0")
    );
    let e = scenario::prepare("s.toml", &twice, Format::Toml, Path::new(".")).unwrap_err();
    assert!(format!("{e:#}").contains("used twice"), "{e:#}");
    let long = with_alarm("metric = \"Errors\"\nperiod_s = 10\nthreshold = 0")
        .replace("horizon_s = 600", "horizon_s = 172800");
    let e = scenario::prepare("s.toml", &long, Format::Toml, Path::new(".")).unwrap_err();
    assert!(format!("{e:#}").contains("longer alarm periods"), "{e:#}");
}

#[test]
fn runs_report_transitions_with_thresholds_in_cloudwatch_units() {
    // Reserved concurrency 1 at 20 req/s of 300 ms: throttles every minute,
    // and a p99 Duration of 300 ms: above 299 ms, not above 300 ms.
    let text = format!(
        "horizon_s = 300\n{FUNCTION}\n\
         [[alarms]]\nname = \"throttled\"\nmetric = \"Throttles\"\nfunction = \"f\"\nthreshold = 0\n\
         [[alarms]]\nname = \"slow\"\nmetric = \"Duration\"\nstatistic = \"p99\"\nthreshold = 299\n\
         [[alarms]]\nname = \"not-slow\"\nmetric = \"Duration\"\nstatistic = \"p99\"\nthreshold = 300\n\
         [[alarms]]\nname = \"quiet\"\nmetric = \"Errors\"\nthreshold = 0\ntreat_missing_data = \"notBreaching\"\n"
    );
    let p = scenario::prepare("s.toml", &text, Format::Toml, Path::new(".")).unwrap();
    let r = run_one(&p, 0, &AtomicU64::new(0)).unwrap();
    let state = |name: &str| r.alarms.iter().find(|a| a.name == name).unwrap();
    for (name, want) in [("throttled", "ALARM"), ("slow", "ALARM"), ("not-slow", "OK"), ("quiet", "OK")] {
        let a = state(name);
        assert_eq!(a.state, want, "{a:?}");
        // Each changed state once, at the end of the first minute.
        assert_eq!(a.transitions.len(), 1, "{a:?}");
        assert_eq!((a.transitions[0].time_s, a.transitions[0].from), (60.0, "INSUFFICIENT_DATA"), "{a:?}");
    }
    // Same scenario, same seed: the same transitions.
    let again = run_one(&p, 0, &AtomicU64::new(0)).unwrap();
    assert_eq!(r.alarms, again.alarms);
}
