//! The daily curve, schedules, sums and repeated traces in scenario files:
//! what they read as, every bad field named, and the warning for a
//! workload that stops before the horizon.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::Duration;
use lambdasim::sim::{Spacing, Workload};
use lambdasim_scenario::doc::{DocError, Format};
use lambdasim_scenario::scenario::{self, OwnedWorkload, Prepared};
use lambdasim_scenario::{report, run};
use std::path::Path;
use std::sync::atomic::AtomicU64;

fn with(workload: &str, top: &str) -> String {
    format!("{top}\n[[functions]]\nname = \"api\"\nworkload = {workload}\nhandler = {{ type = \"fixed\", ms = 300 }}\n")
}

fn prepare(text: &str) -> Prepared {
    // Relative trace paths resolve from the workspace root.
    scenario::prepare("s.toml", text, Format::Toml, Path::new("..")).unwrap_or_else(|e| panic!("{e:#}\n{text}"))
}

/// The error of a scenario: a `DocError` on `field` whose message holds `says`.
fn refused(text: &str, field: &str, says: &str) {
    let e = scenario::prepare("s.toml", text, Format::Toml, Path::new("..")).expect_err(text);
    let doc = e.downcast_ref::<DocError>().unwrap_or_else(|| panic!("not a DocError: {e:#}"));
    assert_eq!(doc.field, field, "{doc}");
    assert!(doc.line > 0, "{doc}");
    assert!(doc.to_string().contains(says), "{doc}");
}

#[test]
fn diurnal_reads_with_its_defaults() {
    let p = prepare(&with("{ type = \"diurnal\", peak_per_s = 200, trough_per_s = 20, peak_at_s = 50400 }", ""));
    assert_eq!(
        p.functions[0].workload,
        OwnedWorkload::Plain(Workload::Diurnal {
            peak_per_s: 200.0,
            trough_per_s: 20.0,
            period: Duration::from_secs(86_400),
            peak_at: Duration::from_secs(50_400),
            spacing: Spacing::Poisson,
        })
    );
    let p = prepare(&with(
        "{ type = \"diurnal\", peak_per_s = 2, trough_per_s = 0, peak_at_s = 0, period_s = 3600, arrivals = \"constant\" }",
        "",
    ));
    assert!(matches!(
        p.functions[0].workload,
        OwnedWorkload::Plain(Workload::Diurnal { spacing: Spacing::Constant, .. })
    ));
}

#[test]
fn diurnal_bad_fields_are_named() {
    let d = |fields: &str| with(&format!("{{ type = \"diurnal\", {fields} }}"), "");
    refused(&d("peak_per_s = 1e7, trough_per_s = 0, peak_at_s = 0"), "functions[0].workload.peak_per_s", "0..=1000000");
    refused(&d("peak_per_s = 1, trough_per_s = nan, peak_at_s = 0"), "functions[0].workload.trough_per_s", "NaN");
    refused(
        &d("peak_per_s = 1, trough_per_s = 2, peak_at_s = 0"),
        "functions[0].workload.trough_per_s",
        "above the peak",
    );
    refused(
        &d("peak_per_s = 1, trough_per_s = 0, peak_at_s = 0, period_s = 0"),
        "functions[0].workload.period_s",
        "at least 1 second",
    );
    refused(
        &d("peak_per_s = 1, trough_per_s = 0, peak_at_s = 90000"),
        "functions[0].workload.peak_at_s",
        "within the period",
    );
    refused(
        &d("peak_per_s = 1, trough_per_s = 0, peak_at_s = 0, period_s = 1e300"),
        "functions[0].workload.period_s",
        "366 days",
    );
    // A missing field and an unknown one are serde's errors, on the workload.
    let e = scenario::prepare("s.toml", &d("peak_per_s = 1, trough_per_s = 0"), Format::Toml, Path::new("."))
        .expect_err("no peak_at_s");
    assert!(format!("{e:#}").contains("peak_at_s"), "{e:#}");
    let e = scenario::prepare(
        "s.toml",
        &d("peak_per_s = 1, trough_per_s = 0, peak_at_s = 0, arrivals = \"uniform\""),
        Format::Toml,
        Path::new("."),
    )
    .expect_err("bad arrivals");
    assert!(format!("{e:#}").contains("functions[0].workload"), "{e:#}");
}

const BUSINESS_DAY: &str = "{ type = \"schedule\", repeat = \"daily\", points = [{ at_s = 0, rate_per_s = 5 }, { at_s = 28800, rate_per_s = 5 }, { at_s = 30600, rate_per_s = 200 }, { at_s = 72000, rate_per_s = 200 }, { at_s = 73800, rate_per_s = 5 }] }";

#[test]
fn schedule_reads_and_repeats() {
    let p = prepare(&with(BUSINESS_DAY, ""));
    let OwnedWorkload::Schedule { points, period, spacing } = &p.functions[0].workload else { panic!() };
    assert_eq!((points.len(), *period, *spacing), (5, Some(Duration::from_secs(86_400)), Spacing::Poisson));
    // repeat = true: from 0 to the last point; weekly; a number of seconds.
    for (repeat, secs) in [("true", 73_800), ("\"weekly\"", 604_800), ("90000", 90_000)] {
        let w = BUSINESS_DAY.replace("\"daily\"", repeat);
        let p = prepare(&with(&w, ""));
        let OwnedWorkload::Schedule { period, .. } = &p.functions[0].workload else { panic!() };
        assert_eq!(*period, Some(Duration::from_secs(secs)), "{repeat}");
    }
    let p = prepare(&with(&BUSINESS_DAY.replace("repeat = \"daily\", ", ""), ""));
    assert!(matches!(p.functions[0].workload, OwnedWorkload::Schedule { period: None, .. }));
}

#[test]
fn schedule_bad_fields_are_named() {
    let s = |points: &str, extra: &str| with(&format!("{{ type = \"schedule\", points = [{points}]{extra} }}"), "");
    refused(&s("", ""), "functions[0].workload.points", "at least one point");
    refused(&s("{ at_s = 5, rate_per_s = 1 }", ""), "functions[0].workload.points[0].at_s", "first point must be at 0");
    refused(
        &s("{ at_s = 0, rate_per_s = 1 }, { at_s = 10, rate_per_s = 1 }, { at_s = 5, rate_per_s = 1 }", ""),
        "functions[0].workload.points[2].at_s",
        "sorted",
    );
    refused(
        &s("{ at_s = 0, rate_per_s = 1 }, { at_s = 10, rate_per_s = -3 }", ""),
        "functions[0].workload.points[1].rate_per_s",
        "(got -3)",
    );
    refused(
        &s("{ at_s = 0, rate_per_s = 1 }, { at_s = 100000, rate_per_s = 1 }", ", repeat = \"daily\""),
        "functions[0].workload.repeat",
        "shorter than the schedule",
    );
    refused(
        &s("{ at_s = 0, rate_per_s = 1 }", ", repeat = \"hourly\""),
        "functions[0].workload.repeat",
        "unknown repeat",
    );
    refused(&s("{ at_s = 0, rate_per_s = 1 }", ", repeat = true"), "functions[0].workload.repeat", "at 0 here");
    refused(&s("{ at_s = 0, rate_per_s = 1 }", ", repeat = 0"), "functions[0].workload.repeat", "above 0");
}

#[test]
fn sums_read_with_their_parts_and_name_bad_parts() {
    let sum = "{ type = \"sum\", parts = [{ type = \"diurnal\", peak_per_s = 20, trough_per_s = 2, peak_at_s = 50400 }, { type = \"on_off\", rate_per_s = 100, on_s = 60, off_s = 3540 }] }";
    let p = prepare(&with(sum, ""));
    let OwnedWorkload::Sum(parts) = &p.functions[0].workload else { panic!() };
    assert_eq!(parts.len(), 2);
    // The table form reads the same.
    let table = "[[functions]]\nname = \"api\"\nhandler = { type = \"fixed\", ms = 300 }\n[functions.workload]\ntype = \"sum\"\n[[functions.workload.parts]]\ntype = \"diurnal\"\npeak_per_s = 20\ntrough_per_s = 2\npeak_at_s = 50400\n[[functions.workload.parts]]\ntype = \"on_off\"\nrate_per_s = 100\non_s = 60\noff_s = 3540\n";
    assert_eq!(prepare(table).functions[0].workload, p.functions[0].workload);
    refused(
        &with(
            "{ type = \"sum\", parts = [{ type = \"poisson\", rate_per_s = 1 }, { type = \"poisson\", rate_per_s = -1 }] }",
            "",
        ),
        "functions[0].workload.parts[1].rate_per_s",
        "(got -1)",
    );
    refused(&with("{ type = \"sum\", parts = [] }", ""), "functions[0].workload.parts", "1..=8 parts");
    let nine = ["{ type = \"poisson\", rate_per_s = 1 }"; 9].join(", ");
    refused(&with(&format!("{{ type = \"sum\", parts = [{nine}] }}"), ""), "functions[0].workload.parts", "(got 9)");
    refused(
        &with("{ type = \"sum\", parts = [{ type = \"sum\", parts = [{ type = \"idle\" }] }] }", ""),
        "functions[0].workload.parts[0]",
        "cannot be sums",
    );
}

/// One replication, on a thread with the simulator's stack.
fn run_once(p: &Prepared) -> run::RunResult {
    std::thread::scope(|s| {
        let go = || run::try_run_one(p, 0, &AtomicU64::new(0)).unwrap();
        std::thread::Builder::new().stack_size(run::STACK_BYTES).spawn_scoped(s, go).unwrap().join().unwrap()
    })
}

/// A sum runs as the superposition: its requests are those of its parts
/// run alone, added (evenly spaced parts, so exactly).
#[test]
fn a_sum_runs_as_its_parts_added() {
    let requests = |w: &str| run_once(&prepare(&with(w, "horizon_s = 600"))).summary.total.requests;
    let a = "{ type = \"constant\", rate_per_s = 3 }";
    let b = "{ type = \"schedule\", arrivals = \"constant\", points = [{ at_s = 0, rate_per_s = 0 }, { at_s = 600, rate_per_s = 2 }] }";
    let both = requests(&format!("{{ type = \"sum\", parts = [{a}, {b}] }}"));
    assert_eq!(both, requests(a) + requests(b));
    assert_eq!(requests(b), 600);
}

/// The diurnal capacity question's shape: a day at 200/s peak, 20/s trough
/// makes the curve's mean over the day (110/s) within 1 %.
#[test]
fn a_diurnal_day_offers_the_curve_s_mean() {
    let p = prepare(&with(
        "{ type = \"diurnal\", peak_per_s = 20, trough_per_s = 2, peak_at_s = 50400 }",
        "horizon_s = 86400",
    ));
    let r = run_once(&p);
    let want = 11.0 * 86_400.0;
    assert!((r.summary.total.requests as f64 - want).abs() < 0.01 * want, "{}", r.summary.total.requests);
    let load = report::load(&p.functions[0], p.config.warmup, p.config.horizon);
    assert!((load.rate_per_s - 11.0).abs() < 1e-6, "{}", load.rate_per_s);
}

/// A one-hour trace run for two hours: a warning (text and JSON) unless it
/// repeats; repeated, the second hour has traffic too.
#[test]
fn a_trace_that_ends_before_the_horizon_warns_and_repeat_fills_the_gap() {
    let trace = "{ type = \"invocations_csv\", file = \"examples/traces/invocations-sample.csv\", function = \"thumbnail\"REPEAT }";
    let text = |repeat: &str| with(&trace.replace("REPEAT", repeat), "horizon_s = 7200");
    let p = prepare(&text(""));
    let warnings = lambdasim_scenario::workloads::prepared_warnings(&p);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("function \"api\": workload ends at") && warnings[0].contains("repeat = true"),
        "{warnings:?}"
    );
    let r = run_once(&p);
    let b = report::bills(&p, &r).unwrap();
    assert!(report::run_text(&p, &r, &b).contains("warning: function \"api\": workload ends at"));
    let json = report::run_json(&p, &r, &b);
    assert_eq!(json.warnings, warnings);
    let once = r.summary.total.requests;
    let p = prepare(&text(", repeat = true"));
    assert!(lambdasim_scenario::workloads::prepared_warnings(&p).is_empty());
    let again = run_once(&p).summary.total.requests;
    assert!(again > once, "{again} vs {once}");
    // A repeat period before the trace's last request is refused.
    refused(&text(", repeat = 1"), "functions[0].workload.repeat", "after the trace's last request");
    // A sum names the part that ends.
    let sum = format!(
        "{{ type = \"sum\", parts = [{{ type = \"poisson\", rate_per_s = 1 }}, {}] }}",
        trace.replace("REPEAT", "")
    );
    let w = lambdasim_scenario::workloads::prepared_warnings(&prepare(&with(&sum, "horizon_s = 7200")));
    assert!(w.len() == 1 && w[0].contains("workload.parts[1] ends at"), "{w:?}");
}

#[test]
fn repeated_per_minute_traces_check_their_period() {
    let azure = "{ type = \"azure\", file = \"examples/traces/azure-sample.csv\", function = \"FN\", repeat = REPEAT }";
    let Ok(sample) = std::fs::read_to_string("../examples/traces/azure-sample.csv") else { return };
    // The first data row's HashFunction (column 3).
    let row = sample.lines().find(|l| !l.starts_with('#') && !l.starts_with("HashOwner")).unwrap();
    let function = row.split(',').nth(2).unwrap();
    let text = |r: &str| with(&azure.replace("FN", function).replace("REPEAT", r), "horizon_s = 60");
    let p = prepare(&text("true"));
    assert!(matches!(p.functions[0].workload, OwnedWorkload::Repeated(..)));
    refused(&text("90"), "functions[0].workload.repeat", "whole number of minutes");
    refused(&text("60"), "functions[0].workload.repeat", "at least its");
}

/// The money lines: the bill's requests against the table's, and a 30-day
/// projection that is the horizon's usage × 30 for a one-day run.
#[test]
fn the_report_projects_a_month_and_explains_the_bill_s_window() {
    let text = with("{ type = \"constant\", rate_per_s = 2 }", "horizon_s = 86400\nwarmup_s = 3600");
    let mut p = prepare(&text);
    let r = run_once(&p);
    let b = report::bills(&p, &r).unwrap();
    let j = report::run_json(&p, &r, &b).money;
    // Every request of the day billed; the table counts the 23 h after the warm-up.
    assert_eq!(j.billed_requests, 172_800);
    // 3 600 s ..= 86 400 s: the request at the horizon is counted but never ends, so never billed.
    assert_eq!(j.requests_after_warmup, 165_601);
    assert_eq!(j.billed_outside_counts, i128::from(172_800 - j.requests_after_warmup));
    assert_eq!(j.projection_30d.scale, 30.0);
    let month = j.projection_30d.bill.as_ref().unwrap();
    let requests = month.lines.iter().find(|l| l.kind == "Requests").unwrap();
    assert_eq!(requests.quantity, 30 * 172_800);
    let shown = report::run_text(&p, &r, &b);
    assert!(shown.lines().next().unwrap().ends_with("no free tier (--free-tier to apply it)"), "{shown}");
    assert!(shown.contains("projected 30-day bill: $"), "{shown}");
    assert!(shown.contains("the bill charges 172,800"), "{shown}");
    // With the free tier, the month's first million requests are free.
    p.free_tier = true;
    let j = report::run_json(&p, &r, &b).money;
    let requests = j.projection_30d.bill.unwrap().lines.into_iter().find(|l| l.kind == "Requests").unwrap();
    assert_eq!(requests.quantity, 30 * 172_800 - 1_000_000);
}
