//! The simulation vectors (tests/vectors/sim, tests/vectors/README.md
//! "Simulation vectors"): every scenario there, run through this crate as
//! `lambdasim run <file> --json` runs it (named by its file name, its own
//! seed, replication 0), must give its `<name>.expected.json` byte for byte.
//! The C, Go and Node bindings check the same files through the C ABI.
//!
//! Regenerate the expected files after an intended change of the simulator
//! or of the report (then review the diff):
//!
//! ```sh
//! LAMBDASIM_UPDATE_SIM_VECTORS=1 cargo test -p lambdasim-scenario --test sim_vectors
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::doc::Format;
use lambdasim_scenario::{report, run, scenario};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

const UPDATE: &str = "LAMBDASIM_UPDATE_SIM_VECTORS";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sim")
}

/// The scenario files: `*.toml` and `*.json` that are not `*.expected.json`.
fn scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            (name.ends_with(".toml") || name.ends_with(".json")) && !name.ends_with(".expected.json")
        })
        .collect();
    files.sort();
    files
}

fn expected_path(scenario: &Path) -> PathBuf {
    let stem = scenario.file_stem().unwrap().to_str().unwrap();
    scenario.with_file_name(format!("{stem}.expected.json"))
}

/// What `lambdasim run <file name> --json` prints, run from the vectors' folder.
fn run_json(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    let format = Format::detect(path, &text);
    let p = scenario::prepare(name, &text, format, &dir()).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    assert_eq!(p.scenario.replications, 1, "{name}: a simulation vector has one replication");
    let result = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(run::STACK_BYTES)
            .spawn_scoped(s, || run::run_one(&p, 0, &AtomicU64::new(0)))
            .unwrap()
            .join()
            .unwrap()
    })
    .unwrap_or_else(|e| panic!("{name}: {e:#}"));
    let bills = report::bills(&p, &result).unwrap();
    report::json_text(&report::run_json(&p, &result, &bills)).unwrap()
}

/// The first line where two texts differ, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1);
        }
    }
    format!("lengths differ: expected {} lines, actual {}", expected.lines().count(), actual.lines().count())
}

#[test]
fn every_simulation_vector_gives_its_expected_json_byte_for_byte() {
    let files = scenarios();
    assert!(files.len() >= 2, "too few simulation vectors in {}", dir().display());
    let update = std::env::var_os(UPDATE).is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let actual = run_json(path);
        let expected_file = expected_path(path);
        if update {
            std::fs::write(&expected_file, &actual).unwrap();
            println!("wrote {}", expected_file.display());
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; generate it with {UPDATE}=1 cargo test -p lambdasim-scenario --test sim_vectors",
                expected_file.display()
            )
        });
        if expected != actual {
            failures.push(format!(
                "{name}: the run's JSON differs from {} at {}",
                expected_file.file_name().unwrap().to_str().unwrap(),
                first_difference(&expected, &actual)
            ));
        } else {
            println!("ok {name} ({} bytes)", actual.len());
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is intended, regenerate the expected files and review the diff:\n  \
         {UPDATE}=1 cargo test -p lambdasim-scenario --test sim_vectors\n  git diff tests/vectors/sim",
        failures.join("\n")
    );
}

#[test]
fn every_expected_file_has_its_scenario() {
    let scenarios = scenarios();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if let Some(stem) = name.strip_suffix(".expected.json") {
            let has = scenarios.iter().any(|s| s.file_stem().unwrap().to_str().unwrap() == stem);
            assert!(has, "{name} has no scenario {stem}.toml or {stem}.json");
        }
    }
}

#[test]
fn the_runs_are_deterministic_and_the_seed_matters() {
    let path = scenarios().into_iter().next().unwrap();
    assert_eq!(run_json(&path), run_json(&path));
    let text = std::fs::read_to_string(&path).unwrap();
    let format = Format::detect(&path, &text);
    let mut p = scenario::prepare("x", &text, format, &dir()).unwrap();
    let a = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(run::STACK_BYTES)
            .spawn_scoped(s, || {
                let a = run::run_one(&p, 0, &AtomicU64::new(0)).unwrap();
                let b = run::run_one(&p, 1, &AtomicU64::new(0)).unwrap();
                (a, b)
            })
            .unwrap()
            .join()
            .unwrap()
    });
    assert_eq!(a.1.seed, a.0.seed + 1, "replication r runs with seed + r");
    p.override_seed(a.0.seed + 1);
    let c = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(run::STACK_BYTES)
            .spawn_scoped(s, || run::run_one(&p, 0, &AtomicU64::new(0)).unwrap())
            .unwrap()
            .join()
            .unwrap()
    });
    assert_eq!(c.summary, a.1.summary, "replication 1 = seed + 1");
    assert_eq!(c.minutes, a.1.minutes);
    assert_ne!(a.0.summary, a.1.summary, "another seed, another run");
}
