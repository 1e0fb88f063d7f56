//! Running scenarios: each replication on a worker thread with a big stack
//! (the simulator is large), a progress bar on stderr for long runs.

use crate::doc::DocError;
use crate::progress::Progress;
use crate::scenario::{Loaded, MAX_FUNCTIONS, Prepared};
use lambdasim::sim::{MinutePoint, Observer, Sim, SimConfig, SimError, SimFunction, Summary};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Environment slots of the simulator the CLI runs.
pub const ENVS: usize = 65_536;
/// The simulator type the CLI runs.
pub type BigSim<'a> = Sim<'a, ENVS, MAX_FUNCTIONS>;
/// Stack of each simulation thread (the simulator is built on the stack
/// before it is boxed).
pub const STACK_BYTES: usize = 256 << 20;

/// One replication's results.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Replication index (0-based).
    pub replication: u32,
    /// Its seed: the scenario's seed + replication.
    pub seed: u64,
    /// Totals and per-function summaries.
    pub summary: Summary<MAX_FUNCTIONS>,
    /// The per-minute series.
    pub minutes: Vec<MinutePoint>,
}

struct Collect<'a> {
    minutes: Vec<MinutePoint>,
    progress: &'a AtomicU64,
}

impl Observer for Collect<'_> {
    fn minute(&mut self, point: &MinutePoint) {
        self.minutes.push(*point);
        self.progress.fetch_add(1, Ordering::Relaxed);
    }
}

/// Turns a simulator error into the CLI's: configuration problems are the
/// scenario's (exit 2), the rest exit 1.
pub fn sim_error(source: &str, names: &[String], e: SimError) -> anyhow::Error {
    let name = |index: usize| names.get(index).map_or("?", String::as_str);
    let doc = |index: usize, message: String| DocError {
        file: source.to_owned(),
        line: 0,
        col: 0,
        field: format!("functions[{index}]"),
        message: format!("function \"{}\": {message}", name(index)),
    };
    match e {
        SimError::Function { index, error } => doc(index, error.to_string()).into(),
        SimError::InvalidWorkload { index } => doc(index, "invalid workload".into()).into(),
        SimError::InvalidDistribution { index } => doc(index, "invalid duration distribution".into()).into(),
        SimError::InvalidFailureRate { index } => doc(index, "error_rate + crash_rate above 1".into()).into(),
        SimError::Region(error) => {
            DocError { file: source.to_owned(), line: 0, col: 0, field: "region".into(), message: error.to_string() }
                .into()
        }
        SimError::CapacityExceeded => {
            anyhow::anyhow!("simulation stopped: more than {ENVS} execution environments at once (the CLI's capacity)")
        }
        e => anyhow::anyhow!("simulation failed: {e}"),
    }
}

/// Runs one replication on the current thread (which needs a big stack:
/// [`STACK_BYTES`]), with the simulator's own error. The C ABI maps that
/// error to its status codes; [`run_one`] to the CLI's messages.
///
/// # Errors
/// What [`Sim::new`] or [`Sim::run`] return.
pub fn try_run_one(p: &Prepared, replication: u32, horizon_minutes_done: &AtomicU64) -> Result<RunResult, SimError> {
    let seed = p.config.seed.wrapping_add(u64::from(replication));
    let config = SimConfig { seed, ..p.config };
    let functions: Vec<SimFunction<'_>> = p.functions.iter().map(Loaded::sim_function).collect();
    let mut sim: Box<BigSim<'_>> = Box::new(Sim::new(config, &functions)?);
    let mut observer = Collect { minutes: Vec::new(), progress: horizon_minutes_done };
    let summary = sim.run(&mut observer)?;
    Ok(RunResult { replication, seed, summary, minutes: observer.minutes })
}

/// Runs one replication on the current thread (which needs a big stack).
pub fn run_one(p: &Prepared, replication: u32, horizon_minutes_done: &AtomicU64) -> anyhow::Result<RunResult> {
    try_run_one(p, replication, horizon_minutes_done).map_err(|e| {
        let names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
        sim_error(&p.source, &names, e)
    })
}

/// Runs `jobs` on up to `threads` big-stack threads, calling `work` for
/// each; results come back in `jobs` order. `progress` counts units done.
pub fn parallel<J, R, F>(jobs: &[J], total_units: u64, label: &str, work: F) -> anyhow::Result<Vec<R>>
where
    J: Sync,
    R: Send,
    F: Fn(&J, &AtomicU64) -> anyhow::Result<R> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len()).max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicU64::new(0);
    let results: Mutex<Vec<Option<anyhow::Result<R>>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let mut progress = Progress::new(label, total_units);
    std::thread::scope(|s| -> anyhow::Result<()> {
        let mut handles = Vec::with_capacity(threads);
        for _ in 0..threads {
            let h = std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(s, || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let r = work(job, &done);
                    let failed = r.is_err();
                    if let Ok(mut slots) = results.lock()
                        && let Some(slot) = slots.get_mut(i)
                    {
                        *slot = Some(r);
                    }
                    if failed {
                        // Stop handing out work: the run fails anyway.
                        next.store(jobs.len(), Ordering::Relaxed);
                    }
                }
            })?;
            handles.push(h);
        }
        while !handles.iter().all(|h| h.is_finished()) {
            progress.update(done.load(Ordering::Relaxed));
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        progress.finish();
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("a simulation thread panicked"))?;
        }
        Ok(())
    })?;
    let slots = results.into_inner().map_err(|_| anyhow::anyhow!("a simulation thread panicked"))?;
    let mut out = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            Some(r) => out.push(r?),
            None => anyhow::bail!("a simulation did not run (an earlier one failed)"),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulator_fits_its_thread_stack_several_times() {
        let size = std::mem::size_of::<BigSim<'static>>();
        println!("size_of::<BigSim>() = {size} bytes");
        // Sim::new builds it on the stack and debug builds may keep copies.
        assert!(size * 8 < STACK_BYTES, "{size}");
    }
}
