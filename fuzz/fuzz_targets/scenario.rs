//! Arbitrary text as a scenario file, through what `lambdasim run` does
//! with it: parse and check (`scenario::prepare`, TOML or JSON by content),
//! then — whenever the check accepts — run every replication as the CLI
//! does (on a smaller environment table) and render the bills, the text report and the JSON.
//!
//! The property: a rejected scenario gets an error (never a panic); an
//! accepted one runs without panicking and finishes in time and memory
//! proportional to its work (`common::work`: minutes, requests, provisioned
//! recycling, times the replications). Scenarios above `common::WORK_BUDGET`
//! are skipped after the check, as they may rightly take long; all others
//! must finish within libFuzzer's `-timeout` and `-rss_limit_mb`.
//!
//! Trace workloads read files: only plain relative names are allowed, and
//! they resolve against fuzz/traces/ (small fixtures), so the fuzzer never
//! reads the machine's files (`/dev/zero` would never end).
#![no_main]

#[path = "common.rs"]
mod common;

use lambdasim::sim::{MinutePoint, MinuteSeries, Observer, ScalingAction, Sim, SimConfig, SimError, SimFunction};
use lambdasim_scenario::doc::{self, Format};
use lambdasim_scenario::report::{self, StudyJson};
use lambdasim_scenario::run::{self, MAX_MINUTE_POINTS, RunResult};
use lambdasim_scenario::scenario::{self, MAX_FUNCTIONS, Prepared, Scenario, WorkloadSpec};
use libfuzzer_sys::fuzz_target;
use std::path::{Component, Path};

/// Where trace workloads resolve.
const TRACES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/traces");

/// Whether every trace file the scenario names is a plain relative path
/// (inside fuzz/traces/). Text that does not parse has none.
fn traces_are_local(text: &str, format: Format) -> bool {
    let Ok(s) = doc::parse::<Scenario>("fuzz", text, format) else { return true };
    s.functions.iter().all(|f| local(&f.workload))
}

/// Whether a workload's trace files (a sum's parts' too) are local.
fn local(w: &WorkloadSpec) -> bool {
    match w {
        WorkloadSpec::Azure { file, .. } | WorkloadSpec::InvocationsCsv { file, .. } => {
            Path::new(file).components().all(|c| matches!(c, Component::Normal(_)))
        }
        WorkloadSpec::Sum { parts } => parts.iter().all(local),
        _ => true,
    }
}

/// Everything `lambdasim run` prints for these results.
fn render(p: &Prepared, results: Vec<RunResult>) {
    let mut runs = Vec::with_capacity(results.len());
    for r in results {
        match report::bills(p, &r) {
            Ok(b) => runs.push((r, b)),
            Err(e) => {
                let _ = format!("{e:#}");
                return;
            }
        }
    }
    for (r, b) in &runs {
        let _ = report::run_text(p, r, b);
        let _ = report::json_text(&report::run_json(p, r, b));
    }
    if runs.len() > 1 {
        let mean = report::means(p, &runs);
        let _ = report::means_text(p, &mean);
        let mut spread = lambdasim_scenario::confidence::StudySpread::new(p);
        for (r, b) in &runs {
            spread.add(r, b);
        }
        let _ = spread.text(p);
        let study = StudyJson {
            scenario: p.source.clone(),
            replications: p.scenario.replications,
            shard: None,
            runs: runs.iter().map(|(r, b)| report::run_json(p, r, b)).collect(),
            mean,
            confidence: spread.json(p),
        };
        let _ = report::json_text(&study);
    }
}

/// Environment slots of the simulator under test. The CLI's 65 536 take
/// ~0.2 s to set up per run; a smaller table runs the same code (a full
/// one is an error, as in the CLI).
const FUZZ_ENVS: usize = 4_096;

/// One replication, as `run::try_run_one` does it (on a smaller table),
/// with the region's invariants checked at the end.
fn run_one(p: &Prepared, replication: u32) -> Result<RunResult, SimError> {
    let seed = p.config.seed.wrapping_add(u64::from(replication));
    let config = SimConfig { seed, ..p.config };
    let parts = scenario::workload_parts(&p.functions);
    let functions: Vec<SimFunction<'_>> = scenario::sim_functions(&p.functions, &parts);
    let mut sim: Box<Sim<'_, MAX_FUNCTIONS>> = Box::new(Sim::with_capacity(config, &functions, FUZZ_ENVS)?);
    // Scheduled actions and target tracking, as the CLI applies them.
    for (index, f) in p.functions.iter().enumerate() {
        if let Some(control) = &f.control {
            sim.set_provisioned_control(index, control.get())?;
        }
    }
    // `[[alarms]]`: the store the run needs (checked to fit when prepared).
    let functions_n = u32::try_from(functions.len()).unwrap_or(u32::MAX);
    let store = lambdasim_scenario::alarms::store_for(&p.alarms, functions_n, config.horizon)
        .expect("prepare checked the alarms' store fits");
    if let Some(store) = store {
        sim.attach_metrics(store).expect("the store covers the run's functions");
    }
    // The bounded series the CLI keeps (coarser buckets past its points).
    let series: Box<MinuteSeries<MAX_MINUTE_POINTS>> = Box::new(MinuteSeries::new(config.horizon));
    let mut observer = Collect { series, scaling: Vec::new() };
    let summary = sim.run(&mut observer)?;
    let Collect { series, scaling } = observer;
    if let Err(v) = sim.region().check_invariants() {
        panic!("invariant broken after the run: {v}");
    }
    let (minutes, bucket_minutes) = (series.points().to_vec(), series.bucket_minutes());
    assert!(minutes.len() <= MAX_MINUTE_POINTS, "{} points", minutes.len());
    let latency = sim.latency().to_vec();
    let alarms = match sim.metrics() {
        Some(store) => lambdasim_scenario::alarms::evaluate(store, &p.alarms, config.horizon)
            .expect("every period of the horizon is in the store"),
        None => Vec::new(),
    };
    Ok(RunResult { replication, seed, summary, minutes, bucket_minutes, latency, alarms, bins: None, scaling })
}

/// The minute series plus the concurrency changes of the run.
struct Collect {
    series: Box<MinuteSeries<MAX_MINUTE_POINTS>>,
    scaling: Vec<ScalingAction>,
}

impl Observer for Collect {
    fn minute(&mut self, point: &MinutePoint) {
        self.series.minute(point);
    }
    fn scaling(&mut self, action: &ScalingAction) {
        self.scaling.push(*action);
    }
}

/// Runs every replication one after the other, as a CLI thread does.
fn run_all(p: &Prepared) {
    let mut results = Vec::new();
    for r in 0..p.scenario.replications {
        match run_one(p, r) {
            Ok(result) => results.push(result),
            Err(e) => {
                let names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
                let _ = format!("{:#}", run::sim_error(&p.source, &names, e));
                return;
            }
        }
    }
    render(p, results);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let format = Format::detect(Path::new("fuzz"), text);
    if !traces_are_local(text, format) {
        return;
    }
    let p = match scenario::prepare("fuzz", text, format, Path::new(TRACES)) {
        Ok(p) => p,
        Err(e) => {
            let _ = format!("{e:#}");
            return;
        }
    };
    let parts = scenario::workload_parts(&p.functions);
    let pairs = p.functions.iter().zip(&parts).map(|(f, parts)| (f.workload.get_with(parts), f.config.provisioned));
    let work = common::work(p.scenario.replications, p.config.horizon, p.config.region.max_lifetime, FUZZ_ENVS, pairs);
    if common::over_budget(work) {
        return;
    }
    // The simulator (~1.2 MB) is built on the stack: give it room, as the
    // CLI does; glibc reuses stacks up to 40 MB, so no fresh pages per run.
    let spawned = std::thread::Builder::new().stack_size(16 << 20).spawn(move || run_all(&p));
    let Ok(handle) = spawned else { return };
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
});
