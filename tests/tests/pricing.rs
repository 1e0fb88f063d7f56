//! Runs every pricing vector of `tests/vectors/pricing/*.json` (docs/model.md §5's
//! worked examples to the cent, hand-computed arm64 and ephemeral-storage
//! bills, overflow) against the Rust core.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_tests::bills;

#[test]
fn every_pricing_vector_passes() {
    let files = bills::pricing_files().expect("read tests/vectors/pricing");
    assert!(files.len() >= 6, "expected the docs/model.md §5 examples, found {} files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        match bills::run_pricing_file(path) {
            Ok(summary) => {
                assert!(summary.assertions > 0, "{}: the vector asserts nothing", path.display());
                println!("ok   {} ({} assertions)", summary.name, summary.assertions);
            }
            Err(failure) => {
                println!("FAIL {failure}");
                failures.push(failure.to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pricing vectors failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn the_pricing_runner_catches_a_wrong_cent() {
    let text = r#"{
        "name": "wrong", "spec": "-", "description": "-", "free_tier": true,
        "invocations": [{"memory_mb": 1536, "requests": 3000000, "duration_us": 120000}],
        "expect": {"total_cents": 274}
    }"#;
    let failure = bills::run_pricing_str("wrong.json", text).expect_err("the total is 273 cents");
    assert!(failure.message.contains("total_cents: got 273, expected 274"), "{failure}");
}

#[test]
fn the_pricing_runner_is_strict() {
    let bad = [
        (r#"{"name": "x", "expect": {"total_cent": 0}}"#, "total_cent"),
        (
            r#"{"name": "x", "invocations": [{"requests": 1, "duration_us": 1, "memmory_mb": 1}], "expect": {"total_cents": 0}}"#,
            "memmory_mb",
        ),
        (r#"{"name": "x", "expect": {"lines": [{"kind": "Requests"}]}}"#, "missing"),
        (r#"{"name": "x", "expect": {"total_cents": 9007199254740992}}"#, "2^53"),
        (r#"{"name": "x", "expect": {"error": "Overflow", "total_cents": 0}}"#, "excludes"),
        (r#"{"name": "x", "prices": "eu-west-1", "expect": {"total_cents": 0}}"#, "eu-west-1"),
    ];
    for (text, needle) in bad {
        let failure = bills::run_pricing_str("bad.json", text).expect_err(text);
        assert!(failure.message.contains(needle), "{needle}: {failure}");
    }
    // An empty bill: no lines, nothing to pay.
    let empty = r#"{"name": "empty", "expect": {"lines": [], "total_cents": 0, "exact_total": "0.0000000000"}}"#;
    assert_eq!(bills::run_pricing_str("empty.json", empty).unwrap().assertions, 3);
}
