//! `lambdasim sweep` and `lambdasim run --set`, run as a user runs them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_lambdasim");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn lambdasim(args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(root()).output().expect("run lambdasim")
}

fn ok(args: &[&str]) -> String {
    let out = lambdasim(args);
    assert!(out.status.success(), "lambdasim {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn exit_2(args: &[&str]) -> String {
    let out = lambdasim(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "lambdasim {args:?}: {err}");
    assert!(out.stdout.is_empty(), "nothing on stdout before an error");
    err
}

/// A short version of the example: 2 minutes, caps 20..80:30.
const SWEEP: &[&str] = &[
    "sweep",
    "examples/reserved-cap.toml",
    "--set",
    "horizon_s=120",
    "--set",
    "functions[name=batch].reserved=20..80:30",
    "--replications",
    "2",
];

fn sweep(extra: &[&str]) -> String {
    ok(&[SWEEP, extra].concat())
}

#[test]
fn csv_is_the_same_for_any_thread_count_and_shard_split() {
    let one = sweep(&["--format", "csv", "--threads", "1"]);
    let two = sweep(&["--format", "csv", "--threads", "2"]);
    assert_eq!(one, two);
    let lines: Vec<&str> = one.lines().collect();
    assert_eq!(lines.len(), 1 + 3 * 2, "{one}");
    assert_eq!(
        lines[0],
        "combination,horizon_s,functions[name=batch].reserved,replication,seed,requests,cold_start_probability,throttle_probability,p99_response_ms,cost_usd"
    );
    let first = sweep(&["--format", "csv", "--shard", "0/2"]);
    let second = sweep(&["--format", "csv", "--shard", "1/2", "--threads", "1"]);
    let mut union: Vec<&str> = first.lines().skip(1).chain(second.lines().skip(1)).collect();
    union.sort_by_key(|l| l.split(',').next().unwrap().parse::<u64>().unwrap());
    assert_eq!(union, lines[1..]);
}

#[test]
fn the_pick_chooses_the_cap_under_the_budget() {
    let text = sweep(&["--pick", "min throttle_probability where cost < 0.03"]);
    assert!(text.contains("3 combinations × 2 replications"), "{text}");
    assert!(text.contains("mean ± 95 % half-width"), "{text}");
    let v: Value =
        serde_json::from_str(&sweep(&["--format", "json", "--pick", "min throttle_probability where cost < 0.03"]))
            .unwrap();
    let summaries = v["summaries"].as_array().unwrap();
    let under: Vec<&Value> = summaries.iter().filter(|s| s["cost_usd"]["mean"].as_f64().unwrap() < 0.03).collect();
    assert!(!under.is_empty() && under.len() < summaries.len(), "the budget should split the caps: {v:#}");
    // Throttles fall as the cap rises: the pick is the largest cap under budget.
    let best = under.last().unwrap();
    assert_eq!(v["pick"]["set"], best["set"]);
    let cap = best["set"]["functions[name=batch].reserved"].as_u64().unwrap();
    assert!(
        text.contains(&format!(
            "pick (min throttle_probability where cost < 0.03): horizon_s = 120, functions[name=batch].reserved = {cap} — "
        )),
        "{text}"
    );
}

#[test]
fn bad_sweeps_exit_2_naming_the_path() {
    let err = exit_2(&["sweep", "examples/reserved-cap.toml", "--set", "functions[3].reserved=1,2"]);
    assert!(err.contains("functions[3].reserved: [3]: the list has 1 entry, [0]"), "{err}");
    let err = exit_2(&["sweep", "examples/reserved-cap.toml", "--set", "functions[0].reserved=1..5:0"]);
    assert!(err.contains("--set functions[0].reserved: range \"1..5:0\""), "{err}");
    let err =
        exit_2(&["sweep", "examples/reserved-cap.toml", "--set", "functions[0].reserved=1", "--pick", "min money"]);
    assert!(err.contains("unknown metric \"money\""), "{err}");
    let err = exit_2(&[
        "sweep",
        "examples/reserved-cap.toml",
        "--set",
        "seed=1..10000",
        "--set",
        "functions[0].memory_mb=128..10000:1",
    ]);
    assert!(err.contains("more than 1000000 runs"), "{err}");
    let err = exit_2(&["sweep", "examples/reserved-cap.toml", "--set", "seed=1", "--shard", "2/2"]);
    assert!(err.contains("--shard \"2/2\""), "{err}");
}

#[test]
fn run_set_overrides_before_the_checks() {
    let base: Value =
        serde_json::from_str(&ok(&["run", "examples/reserved-cap.toml", "--horizon-s", "60", "--json"])).unwrap();
    let capped: Value = serde_json::from_str(&ok(&[
        "run",
        "examples/reserved-cap.toml",
        "--horizon-s",
        "60",
        "--json",
        "--set",
        "functions[name=batch].reserved=10",
    ]))
    .unwrap();
    assert_eq!(base["total"]["throttles"], 0);
    assert!(capped["total"]["throttles"].as_u64().unwrap() > 0);
    assert!(capped["total"]["peak_concurrency"].as_u64().unwrap() <= 10);
    let err = exit_2(&["run", "examples/reserved-cap.toml", "--set", "functions[0].memory_mb=64"]);
    assert!(err.contains("functions[0].memory_mb") && err.contains("(with functions[0].memory_mb=64)"), "{err}");
    let err = exit_2(&["run", "--set", "region.acount_limit=5"]);
    assert!(err.contains("unknown field `acount_limit`"), "{err}");
}

#[test]
fn replications_get_intervals_in_text_and_json() {
    let args = ["run", "examples/reserved-cap.toml", "--horizon-s", "120", "--replications", "3"];
    let text = ok(&args);
    assert!(text.contains("95 % confidence intervals for the mean over 3 replications"), "{text}");
    assert!(text.contains("t = 4.303"), "{text}");
    let v: Value = serde_json::from_str(&ok(&[&args[..], &["--json"]].concat())).unwrap();
    let c = &v["confidence"];
    assert_eq!(c["level"], 0.95);
    let requests = &c["total"]["requests"];
    assert_eq!(requests["n"], 3);
    let runs: Vec<f64> =
        v["runs"].as_array().unwrap().iter().map(|r| r["total"]["requests"].as_f64().unwrap()).collect();
    let mean = runs.iter().sum::<f64>() / 3.0;
    let sd = (runs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    assert!((requests["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    assert!((requests["std_dev"].as_f64().unwrap() - sd).abs() < 1e-9);
    let half = 4.302_652_730 * sd / 3f64.sqrt();
    assert!((requests["ci95"][1].as_f64().unwrap() - (mean + half)).abs() < 1e-6);
    assert_eq!(c["functions"][0]["name"], "batch");
}

/// The sweep vectors (tests/vectors/sweep): the command prints each
/// expected file byte for byte, as the C ABI, Go and Node do.
#[test]
fn the_command_prints_the_sweep_vectors() {
    let dir = root().join("tests/vectors/sweep");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_str().unwrap().ends_with(".sweep.json") {
            continue;
        }
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut args: Vec<String> = vec!["sweep".into(), spec["scenario"].as_str().unwrap().into()];
        for set in spec["sets"].as_array().unwrap() {
            args.extend(["--set".into(), set.as_str().unwrap().into()]);
        }
        if let Some(r) = spec["replications"].as_u64() {
            args.extend(["--replications".into(), r.to_string()]);
        }
        if let Some(p) = spec["pick"].as_str() {
            args.extend(["--pick".into(), p.into()]);
        }
        for (format, file) in spec["expected"].as_object().unwrap() {
            let mut a = args.clone();
            a.extend(["--format".into(), format.clone()]);
            let out = Command::new(BIN).args(&a).current_dir(&dir).output().unwrap();
            assert!(out.status.success(), "{a:?}: {}", String::from_utf8_lossy(&out.stderr));
            let expected = std::fs::read_to_string(dir.join(file.as_str().unwrap())).unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), expected, "{a:?}");
            seen += 1;
        }
    }
    assert!(seen >= 3, "no sweep vector");
}
