//! `[[functions.provisioned_schedule]]` and `[functions.provisioned_autoscaling]`
//! in scenario files: bad fields are named with their line, runs report each
//! change in text and JSON, and a run without them reports none.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::doc::{DocError, Format};
use lambdasim_scenario::report::{bills, run_json, run_text};
use lambdasim_scenario::run::run_one;
use lambdasim_scenario::scenario;
use std::path::Path;
use std::sync::atomic::AtomicU64;

const FUNCTION: &str = "[[functions]]\nname = \"api\"\nprovisioned = 5\n\
    workload = { type = \"constant\", rate_per_s = 40 }\nhandler = { type = \"fixed\", ms = 500 }\n";

fn field_of(text: &str) -> String {
    let e = scenario::prepare("s.toml", text, Format::Toml, Path::new(".")).expect_err(text);
    let doc = e.downcast_ref::<DocError>().unwrap_or_else(|| panic!("not a DocError: {e:#}"));
    assert!(doc.message.starts_with("function \"api\""), "{doc}");
    doc.field.clone()
}

#[test]
fn every_bad_field_is_named() {
    for (extra, field) in [
        (
            "[[functions.provisioned_schedule]]\ndaily = \"8:00\"\nprovisioned = 1",
            "functions[0].provisioned_schedule[0].daily",
        ),
        ("[[functions.provisioned_schedule]]\nprovisioned = 1", "functions[0].provisioned_schedule[0].at_s"),
        ("[[functions.provisioned_schedule]]\nat_s = 60", "functions[0].provisioned_schedule[0].provisioned"),
        (
            "[functions.provisioned_autoscaling]\ntarget = 70\nmin = 1\nmax = 9",
            "functions[0].provisioned_autoscaling.target",
        ),
        ("[functions.provisioned_autoscaling]\ntarget = 0.7\nmin = 6\nmax = 9", "functions[0].provisioned"),
        (
            "[functions.provisioned_autoscaling]\ntarget = 0.7\nmin = 1\nmax = 0",
            "functions[0].provisioned_autoscaling.max",
        ),
    ] {
        assert_eq!(field_of(&format!("horizon_s = 600\n{FUNCTION}{extra}\n")), field, "{extra}");
    }
}

#[test]
fn runs_report_each_change_in_text_and_json() {
    let text =
        format!("horizon_s = 600\n{FUNCTION}[functions.provisioned_autoscaling]\ntarget = 0.7\nmin = 1\nmax = 50\n");
    let p = scenario::prepare("s.toml", &text, Format::Toml, Path::new(".")).unwrap();
    let r = run_one(&p, 0, &AtomicU64::new(0)).unwrap();
    // 20 busy on 5 provisioned: full for three minutes, then ceil(5 / 0.7) = 8.
    let first = r.scaling.first().expect("a scale-out");
    assert_eq!((first.from, first.to), (Some(5), 8));
    let b = bills(&p, &r).unwrap();
    let out = run_text(&p, &r, &b);
    assert!(out.contains("  00:03:00 api: provisioned 5 → 8, utilization high (utilization 100 %)\n"), "{out}");
    assert!(out.contains("api: provisioned concurrency (autoscaled from 5) served "), "{out}");
    let json = serde_json::to_value(run_json(&p, &r, &b)).unwrap();
    let a = &json["scaling_actions"][0];
    assert_eq!((a["at_s"].as_f64(), a["from"].as_u64(), a["to"].as_u64()), (Some(180.0), Some(5), Some(8)));
    assert_eq!(a["reason"], "utilization_high");
    // Without controls: no changes, no new field.
    let plain =
        scenario::prepare("s.toml", &format!("horizon_s = 600\n{FUNCTION}"), Format::Toml, Path::new(".")).unwrap();
    let r = run_one(&plain, 0, &AtomicU64::new(0)).unwrap();
    assert!(r.scaling.is_empty());
    let b = bills(&plain, &r).unwrap();
    assert!(serde_json::to_value(run_json(&plain, &r, &b)).unwrap().get("scaling_actions").is_none());
    assert!(!run_text(&plain, &r, &b).contains("concurrency changes"));
}
