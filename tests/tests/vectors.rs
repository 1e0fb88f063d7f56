//! Runs every conformance vector of `tests/vectors/*.json` (docs/model.md §1–§2
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

#[test]
fn the_runner_checks_bills() {
    // One warm-started 1 ms invocation at 128 MB: a wrong quantity must fail,
    // naming the line; an unknown key of a `bill` step is an error of the vector.
    let text = r#"{
        "name": "bill", "spec": "-", "description": "-",
        "region": {"granularity": "1ms", "bill_init": false},
        "functions": [{"name": "f", "sandbox_us": 0, "download_us_per_mb": 0, "init_us": 0, "architecture": "arm64", "ephemeral_mb": 512}],
        "steps": [
            {"at_us": 0, "op": "invoke", "function": "f", "id": "a"},
            {"at_us": 1000, "op": "finish", "id": "a"},
            {"at_us": 1000, "op": "bill", "expect": {"lines": [
                {"kind": "Requests", "architecture": null, "quantity": 1, "cents": 0, "amount": "0.0000002000"},
                {"kind": "Duration", "architecture": "arm64", "quantity": 129, "cents": 0, "amount": "0.0000000017"}
            ]}}
        ]
    }"#;
    let failure = vectors::run_str("bill.json", text).expect_err("the duration quantity is 128 MB-ms");
    assert_eq!(failure.step, Some(2));
    assert!(failure.message.contains("lines[1].quantity: got 128, expected 129"), "{failure}");
    let typo = text.replace(r#""op": "bill", "expect""#, r#""op": "bill", "free_teir": true, "expect""#);
    let failure = vectors::run_str("typo.json", &typo).expect_err("`free_teir` is not a bill key");
    assert!(failure.message.contains("free_teir"), "{failure}");
    let bad_arch =
        text.replace(r#""architecture": "arm64", "ephemeral_mb""#, r#""architecture": "arm", "ephemeral_mb""#);
    let failure = vectors::run_str("arch.json", &bad_arch).expect_err("`arm` is not an architecture");
    assert!(failure.message.contains("arm"), "{failure}");
}

#[test]
fn the_runner_runs_invoke_for() {
    // The region ends an `invoke_for` by itself at ready_at + handler_us: a
    // check that expects it still busy then must fail; `handler_us` is
    // required and the outcome must be a known one.
    let text = r#"{
        "name": "invoke-for", "spec": "-", "description": "-",
        "functions": [{"name": "f"}],
        "steps": [
            {"at_us": 0, "op": "invoke_for", "function": "f", "handler_us": 1000, "outcome": "Crash"},
            {"at_us": 380999, "op": "check", "expect": {"busy": 1}},
            {"at_us": 381000, "op": "check", "expect": {"busy": 1}}
        ]
    }"#;
    let failure = vectors::run_str("invoke-for.json", text).expect_err("busy drops at 381 000");
    assert_eq!(failure.step, Some(2));
    assert!(failure.message.contains("busy: got 0, expected 1"), "{failure}");
    let no_handler = text.replace(r#""handler_us": 1000, "#, "");
    let failure = vectors::run_str("no-handler.json", &no_handler).expect_err("`handler_us` is required");
    assert!(failure.message.contains("handler_us"), "{failure}");
    let bad_outcome = text.replace(r#""outcome": "Crash""#, r#""outcome": "Oops""#);
    let failure = vectors::run_str("bad-outcome.json", &bad_outcome).expect_err("`Oops` is no outcome");
    assert!(failure.message.contains("Oops"), "{failure}");
    let on_invoke = text.replace(r#""op": "invoke_for""#, r#""op": "invoke""#);
    let failure = vectors::run_str("on-invoke.json", &on_invoke).expect_err("`invoke` has no `handler_us`");
    assert!(failure.message.contains("handler_us"), "{failure}");
}

#[test]
fn the_runner_checks_async_events() {
    // The retry after a failed attempt is due 1 min after it ended: an
    // expectation of any other time, state or counter must fail, and the
    // async keys are checked for typos like every other.
    let text = r#"{
        "name": "async", "spec": "-", "description": "-",
        "region": {"async_queue": 2},
        "functions": [{"name": "f", "sandbox_us": 0, "package_mb": 0, "init_us": 0}],
        "steps": [
            {"at_us": 0, "op": "invoke_async", "function": "f", "handler_us": 1000000, "outcome": "FunctionError", "id": "e"},
            {"at_us": 1000000, "op": "async_event", "id": "e", "expect": {"state": "Queued", "due_at_us": 61000000}},
            {"at_us": 1000000, "op": "check", "expect": {"async": {"received": 1, "queued": 1}}}
        ]
    }"#;
    vectors::run_str("async.json", text).expect("the expectations are right");
    for (wrong, what) in [
        (r#""due_at_us": 61000000"#, r#""due_at_us": 60000000"#),
        (r#""state": "Queued""#, r#""state": "Running""#),
        (r#""received": 1"#, r#""received": 2"#),
    ] {
        let failure = vectors::run_str("wrong.json", &text.replace(wrong, what)).expect_err(what);
        assert!(failure.step.is_some(), "{failure}");
    }
    let typo = text.replace(r#""queued": 1"#, r#""queue": 1"#);
    let failure = vectors::run_str("typo.json", &typo).expect_err("`queue` is not an async counter");
    assert!(failure.message.contains("queue"), "{failure}");
    let no_queue = text.replace(r#""region": {"async_queue": 2},"#, "");
    let failure = vectors::run_str("no-queue.json", &no_queue).expect_err("no queue attached");
    assert!(failure.message.contains("NoQueue"), "{failure}");
}
