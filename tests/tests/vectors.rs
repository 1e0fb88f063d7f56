//! Runs every conformance vector of `tests/vectors/*.json` (SPEC §1–§2
//! examples) against the Rust core, checking the region's invariants after
//! every step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_tests::vectors;

#[test]
fn every_vector_passes() {
    let files = vectors::vector_files().expect("read tests/vectors");
    assert!(!files.is_empty(), "no *.json vectors in {}", vectors::vector_dir().display());
    let mut failures = Vec::new();
    for path in &files {
        match vectors::run_file(path) {
            Ok(summary) => {
                assert!(summary.assertions > 0, "{}: the vector asserts nothing", path.display());
                println!("ok   {} ({} steps, {} assertions)", summary.name, summary.steps, summary.assertions);
            }
            Err(failure) => {
                println!("FAIL {failure}");
                failures.push(failure.to_string());
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn the_runner_catches_a_wrong_answer() {
    // A runner that cannot fail proves nothing: a wrong expectation must fail,
    // naming the file and the step.
    let text = r#"{
        "name": "wrong", "spec": "-", "description": "-",
        "functions": [{"name": "f"}],
        "steps": [
            {"at_us": 0, "op": "invoke", "function": "f", "expect": {"start": "FullCold"}},
            {"at_us": 0, "op": "invoke", "function": "f", "expect": {"start": "Warm"}}
        ]
    }"#;
    let failure = vectors::run_str("wrong.json", text).expect_err("the second start is FullCold, not Warm");
    assert_eq!(failure.file, "wrong.json");
    assert_eq!(failure.step, Some(1));
    assert!(failure.message.contains("start"), "{failure}");
}

#[test]
fn the_runner_rejects_unknown_keys() {
    let text = r#"{
        "name": "typo", "spec": "-", "description": "-",
        "functions": [{"name": "f"}],
        "steps": [ {"at_us": 0, "op": "check", "expect": {"bussy": 0}} ]
    }"#;
    let failure = vectors::run_str("typo.json", text).expect_err("`bussy` is not a check key");
    assert_eq!(failure.step, Some(0));
    assert!(failure.message.contains("bussy"), "{failure}");
}
