//! The money a user reads: `cost` with nothing to price is an error, its
//! JSON lists the usage even when the free tier covers it, and `run`
//! states its free tier on its first line and projects a month.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_lambdasim");

fn lambdasim(args: &[&str]) -> Output {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    Command::new(BIN).args(args).current_dir(root).output().expect("run lambdasim")
}

fn stdout(args: &[&str]) -> String {
    let out = lambdasim(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn cost_with_no_usage_is_an_error() {
    let out = lambdasim(&["cost"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to price"));
    let dir = std::env::temp_dir().join(format!("lambdasim-money-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.toml");
    std::fs::write(&empty, "free_tier = true\n").unwrap();
    let out = lambdasim(&["cost", "--usage", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invocations") && err.contains("nothing to price"), "{err}");
}

#[test]
fn cost_json_lists_the_usage_the_free_tier_covers() {
    let args = ["cost", "--requests", "1000", "--duration-ms", "100", "--memory-mb", "128", "--json"];
    let v: Value = serde_json::from_str(&stdout(&args)).unwrap();
    assert_eq!(v["free_tier"], true);
    assert_eq!(v["total_usd"], "0.00");
    let usage = v["usage_lines"].as_array().unwrap();
    let requests = usage.iter().find(|l| l["kind"] == "Requests").unwrap();
    assert_eq!(requests["quantity"], 1000);
    let duration = usage.iter().find(|l| l["kind"] == "Duration").unwrap();
    assert_eq!(duration["quantity"], 1000 * 100 * 128);
    let text = stdout(&args[..args.len() - 1]);
    assert!(text.lines().next().unwrap().ends_with("free tier applied"), "{text}");
}

#[test]
fn run_states_its_free_tier_first_and_projects_a_month() {
    let text = stdout(&["run", "examples/daily-api.toml", "--horizon-s", "3600"]);
    let first = text.lines().next().unwrap();
    assert!(first.ends_with("no free tier (--free-tier to apply it)"), "{first}");
    assert!(text.contains("projected 30-day bill: $") && text.contains("× 720"), "{text}");
    let with = stdout(&["run", "examples/daily-api.toml", "--horizon-s", "3600", "--free-tier", "--json"]);
    let v: Value = serde_json::from_str(&with).unwrap();
    assert_eq!(v["free_tier"], true);
    assert_eq!(v["money"]["projection_30d"]["free_tier"], true);
    assert_eq!(v["money"]["projection_30d"]["scale"], 720.0);
}
