//! `lambdasim run --timings`: the phases are there, in text on stderr and as
//! the JSON's last field, and the report itself is unchanged. Values are
//! wall times, so only their presence and shape are checked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_lambdasim");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn run(args: &[&str]) -> Output {
    let out = Command::new(BIN).arg("run").args(args).current_dir(root()).output().expect("run lambdasim");
    assert!(out.status.success(), "lambdasim run {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

const SHORT: [&str; 2] = ["--horizon-s", "120"];

const PHASES: [&str; 8] = [
    "read + check scenario",
    "build simulator",
    "simulate (loop)",
    "per-minute series",
    "bill",
    "report rendering",
    "total",
    "peak RSS",
];

const FIELDS: [&str; 13] = [
    "read_s",
    "build_s",
    "simulate_s",
    "series_s",
    "bill_s",
    "render_s",
    "svg_s",
    "total_s",
    "peak_rss_bytes",
    "replications",
    "requests",
    "loop_requests_per_s",
    "process_requests_per_s",
];

#[test]
fn text_report_is_unchanged_and_timings_go_to_stderr() {
    let plain = run(&SHORT);
    let timed = run(&[&SHORT[..], &["--timings"]].concat());
    assert_eq!(timed.stdout, plain.stdout, "the report itself must not change");
    let plain_err = String::from_utf8(plain.stderr).unwrap();
    assert!(!plain_err.contains("timings"), "no timings unless asked:\n{plain_err}");
    let err = String::from_utf8(timed.stderr).unwrap();
    assert!(err.starts_with("timings"), "{err}");
    for phase in PHASES {
        assert!(err.contains(&format!("  {phase} ")), "{phase:?} missing:\n{err}");
    }
    assert!(!err.contains("svg"), "no SVG phase without --svg:\n{err}");
    assert!(err.contains("/s of loop") && err.contains("/s of process"), "{err}");
}

#[test]
fn json_gets_a_last_timings_field_and_is_otherwise_byte_identical() {
    let plain = String::from_utf8(run(&[&SHORT[..], &["--json"]].concat()).stdout).unwrap();
    let timed = String::from_utf8(run(&[&SHORT[..], &["--json", "--timings"]].concat()).stdout).unwrap();
    assert!(!plain.contains("\"timings\""));
    let body = plain.strip_suffix("\n}\n").expect("pretty JSON object");
    let rest = timed.strip_prefix(body).expect("the report's bytes come first, unchanged");
    assert!(rest.starts_with(",\n  \"timings\": {\n    \"read_s\": "), "{rest}");
    assert!(rest.ends_with("\n  }\n}\n"), "{rest}");

    let v: Value = serde_json::from_str(&timed).unwrap();
    let t = v["timings"].as_object().unwrap();
    assert_eq!(t.keys().map(String::as_str).collect::<Vec<_>>().len(), FIELDS.len(), "{t:?}");
    for field in FIELDS {
        assert!(t.contains_key(field), "{field} missing: {t:?}");
    }
    for field in FIELDS.iter().filter(|f| !["svg_s", "peak_rss_bytes"].contains(f)) {
        assert!(t[*field].as_f64().unwrap() >= 0.0, "{field}: {t:?}");
    }
    assert!(t["svg_s"].is_null());
    if cfg!(target_os = "linux") {
        assert!(t["peak_rss_bytes"].as_u64().unwrap() > 0);
    }
    assert_eq!(t["replications"], 1);
    assert_eq!(t["requests"], v["total"]["requests"]);
    assert!(t["requests"].as_u64().unwrap() > 0);
}

#[test]
fn a_study_reports_every_replication_and_an_svg_phase() {
    let svg = std::env::temp_dir().join(format!("lambdasim-timings-{}.svg", std::process::id()));
    let svg_arg = svg.to_str().unwrap();
    let args = [&SHORT[..], &["--replications", "3", "--json", "--svg", svg_arg]].concat();
    let plain = String::from_utf8(run(&args).stdout).unwrap();
    let timed = run(&[&args[..], &["--timings"]].concat());
    let _ = std::fs::remove_file(&svg);
    let v: Value = serde_json::from_slice(&timed.stdout).unwrap();
    let mut without: Value = v.clone();
    without.as_object_mut().unwrap().remove("timings");
    assert_eq!(without, serde_json::from_str::<Value>(&plain).unwrap());
    let t = &v["timings"];
    assert_eq!(t["replications"], 3);
    let total: u64 = v["runs"].as_array().unwrap().iter().map(|r| r["total"]["requests"].as_u64().unwrap()).sum();
    assert_eq!(t["requests"], total);
    assert!(t["svg_s"].as_f64().unwrap() >= 0.0);
    assert!(String::from_utf8(timed.stderr).unwrap().contains("  svg "));
}

#[test]
fn a_shard_without_replications_still_gets_timings() {
    let args = [&SHORT[..], &["--replications", "2", "--shard", "2/3", "--json"]].concat();
    let plain = String::from_utf8(run(&args).stdout).unwrap();
    let timed = run(&[&args[..], &["--timings"]].concat());
    let v: Value = serde_json::from_slice(&timed.stdout).unwrap();
    assert_eq!(v["timings"]["replications"], 0);
    assert_eq!(v["timings"]["requests"], 0);
    assert!(String::from_utf8(timed.stdout).unwrap().starts_with(plain.strip_suffix("\n}\n").unwrap()));
}
