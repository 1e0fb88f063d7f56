//! `lambdasim run` with trace workloads (CSV quoting, headers, ISO-8601,
//! rows left out reported), long horizons (a bounded per-minute series) and
//! many replications (streamed in order, means summed on the way).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_lambdasim");

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lambdasim-cli-traces-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `files` (name, contents) to the test folder; returns the path of the first.
fn write(files: &[(&str, &str)]) -> PathBuf {
    for (name, text) in files {
        std::fs::write(dir().join(name), text).unwrap();
    }
    dir().join(files[0].0)
}

fn lambdasim(args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir()).output().expect("run lambdasim")
}

fn ok(args: &[&str]) -> String {
    let out = lambdasim(args);
    assert!(out.status.success(), "lambdasim {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

fn replay(name: &str, trace: &str, horizon_s: u32) -> String {
    format!(
        "horizon_s = {horizon_s}\n[[functions]]\nname = \"orders\"\nworkload = {{ type = \"invocations_csv\", file = \"{trace}\", function = \"orders\" }}\nhandler = {{ type = \"fixed\", ms = 10 }}\n# {name}\n"
    )
}

#[test]
fn quoted_function_names_replay_every_row_and_skipped_rows_are_reported() {
    let trace = "timestamp_ms,function,duration_ms\n1000,\"orders\",5\n2000,orders,\n3000,\"billing\",1\n4000,\"orders\",\n70000,orders,\n";
    let scenario = write(&[("quoted.toml", &replay("quoted", "quoted.csv", 60)), ("quoted.csv", trace)]);
    let path = scenario.to_str().unwrap();
    let j = json(&["run", path, "--json"]);
    let f = &j["functions"][0];
    assert_eq!(f["requests"], 3, "the quoted rows count too: {f}");
    assert_eq!(f["trace"]["rows_used"], 4);
    assert_eq!(f["trace"]["rows_other_functions"], 1);
    assert_eq!(f["trace"]["requests_past_horizon"], 1, "the row at 70 s is past the 60 s horizon");
    let text = ok(&["run", path]);
    assert!(
        text.contains(
            "trace of orders: 4 rows used, 1 row of other functions skipped, 1 request at or past the horizon not played"
        ),
        "{text}"
    );
    // With a longer horizon nothing is left out.
    let j = json(&["run", path, "--json", "--horizon-s", "120"]);
    assert_eq!(j["functions"][0]["requests"], 4);
    assert_eq!(j["functions"][0]["trace"]["requests_past_horizon"], 0);
}

#[test]
fn iso_8601_timestamps_replay_from_the_earliest() {
    let trace = "timestamp,function\n2019-07-01T00:00:00Z,billing\n2019-07-01T00:00:30.5Z,orders\n2019-07-01T00:02:00Z,orders\n";
    let scenario = write(&[("iso.toml", &replay("iso", "iso.csv", 60)), ("iso.csv", trace)]);
    let j = json(&["run", scenario.to_str().unwrap(), "--json"]);
    let f = &j["functions"][0];
    assert_eq!(f["requests"], 1, "30.5 s after the billing row, inside the horizon: {f}");
    assert_eq!(f["trace"]["requests_past_horizon"], 1);
    assert_eq!(j["minutes"][0]["invocations"], 1);
}

#[test]
fn azure_rows_that_do_not_fit_u32_are_a_scenario_error() {
    let mut trace = "HashOwner,HashApp,HashFunction,Trigger,1,2\n".to_owned();
    trace.push_str(&format!("o,a,f,http,{0},0\no,b,f,http,{0},0\n", u32::MAX));
    let scenario = "horizon_s = 60\n[[functions]]\nname = \"f\"\nworkload = { type = \"azure\", file = \"max.csv\", function = \"f\" }\nhandler = { type = \"fixed\", ms = 10 }\n";
    let path = write(&[("max.toml", scenario), ("max.csv", &trace)]);
    let out = lambdasim(&["run", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("functions[0].workload.file") && err.contains("line 3"), "{err}");
    assert!(err.contains("sum above 4294967295"), "{err}");
}

#[test]
fn a_long_horizon_keeps_a_bounded_series_and_states_its_bucket() {
    let scenario = "horizon_s = 60\n[[functions]]\nname = \"f\"\nworkload = { type = \"idle\" }\nhandler = { type = \"fixed\", ms = 10 }\n";
    let path = write(&[("idle.toml", scenario)]);
    let path = path.to_str().unwrap();
    let short = json(&["run", path, "--json", "--horizon-s", "600"]);
    assert!(short.get("bucket_s").is_none(), "one point a minute needs no bucket_s");
    assert_eq!(short["minutes"].as_array().unwrap().len(), 10);
    // 30 days: 43 200 minutes in 8-minute buckets.
    let long = json(&["run", path, "--json", "--horizon-s", "2592000"]);
    assert_eq!(long["bucket_s"], 480);
    let minutes = long["minutes"].as_array().unwrap();
    assert_eq!(minutes.len(), 5_400);
    assert!(minutes.len() <= 10_080);
    assert_eq!(minutes[1]["minute"], 8, "each point gives its first minute");
    // The chart's bins and axis follow the span: 3-hour bins, days.
    let svg = dir().join("idle.svg");
    ok(&["run", path, "--horizon-s", "2592000", "--svg", svg.to_str().unwrap()]);
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.contains("most in each 3 h bin") && svg.contains("time (days)"), "{svg:.2000}");
}

#[test]
fn replications_stream_in_order_with_their_means() {
    let scenario = "horizon_s = 2\nreplications = 6\n[[functions]]\nname = \"f\"\nworkload = { type = \"poisson\", rate_per_s = 20 }\nhandler = { type = \"fixed\", ms = 10 }\n";
    let path = write(&[("reps.toml", scenario)]);
    let path = path.to_str().unwrap();
    let j = json(&["run", path, "--json"]);
    let runs = j["runs"].as_array().unwrap();
    let order: Vec<u64> = runs.iter().map(|r| r["replication"].as_u64().unwrap()).collect();
    assert_eq!(order, [0, 1, 2, 3, 4, 5]);
    let mean = runs.iter().map(|r| r["total"]["requests"].as_f64().unwrap()).sum::<f64>() / 6.0;
    assert_eq!(j["mean"]["runs"], 6);
    assert!((j["mean"]["total"]["requests"].as_f64().unwrap() - mean).abs() < 1e-9);
    assert_eq!(json(&["run", path, "--json"]), j, "the same bytes whichever thread finishes first");
    let text = ok(&["run", path, "--shard", "1/4"]);
    assert!(text.starts_with("shard 1/4: replications [1, 5] of 6\n\n"), "{text}");
    assert!(text.contains("mean over 2 replications:"), "{text}");
    let empty = ok(&["run", path, "--replications", "1", "--shard", "2/3"]);
    assert!(empty.ends_with("(no replication falls in this shard)\n"), "{empty}");
}
