//! The sweep vectors (tests/vectors/sweep, tests/vectors/README.md "Sweep
//! vectors"): every `<name>.sweep.json` there, run through this crate as
//! `lambdasim sweep` runs it, must give each of its expected files byte for
//! byte. The CLI, C, Go and Node check the same files.
//!
//! Regenerate the expected files after an intended change (then review the diff):
//!
//! ```sh
//! LAMBDASIM_UPDATE_SWEEP_VECTORS=1 cargo test -p lambdasim-scenario --test sweep_vectors
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::doc::Format;
use lambdasim_scenario::pick::Pick;
use lambdasim_scenario::sweep::{self, Sweep, SweepFormat};
use serde_json::Value;
use std::path::{Path, PathBuf};

const UPDATE: &str = "LAMBDASIM_UPDATE_SWEEP_VECTORS";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sweep")
}

fn specs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().ends_with(".sweep.json"))
        .collect();
    files.sort();
    files
}

/// The sweep a spec describes, with output `format`.
fn sweep_of(spec: &Value, format: SweepFormat) -> Sweep {
    let sets: Vec<&str> = spec["sets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    Sweep {
        axes: sweep::axes(sets).unwrap(),
        replications: spec["replications"].as_u64().map(|r| r as u32),
        shard: None,
        threads: None,
        format,
        pick: spec["pick"].as_str().map(|p| Pick::parse(p).unwrap()),
        progress: false,
    }
}

#[test]
fn every_sweep_vector_gives_its_expected_output_byte_for_byte() {
    let files = specs();
    assert!(!files.is_empty(), "no sweep vector in {}", dir().display());
    let update = std::env::var_os(UPDATE).is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for path in files {
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = spec["scenario"].as_str().unwrap();
        let text = std::fs::read_to_string(dir().join(name)).unwrap();
        let format = Format::detect(Path::new(name), &text);
        for (key, output) in [("text", SweepFormat::Text), ("csv", SweepFormat::Csv), ("json", SweepFormat::Json)] {
            let expected = dir().join(spec["expected"][key].as_str().unwrap());
            let mut out = Vec::new();
            sweep::run_sweep(name, &text, format, &dir(), &sweep_of(&spec, output), &mut out).unwrap();
            let actual = String::from_utf8(out).unwrap();
            if update {
                std::fs::write(&expected, &actual).unwrap();
            } else if std::fs::read_to_string(&expected).ok().as_deref() != Some(actual.as_str()) {
                failures.push(format!("{}: {key} differs from {}", path.display(), expected.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}\n(regenerate with {UPDATE}=1 after an intended change)", failures.join("\n"));
}
