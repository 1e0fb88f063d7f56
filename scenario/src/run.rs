//! Running scenarios: each replication on a worker thread with a big stack
//! (the simulator is large), a progress bar on stderr for long runs.
//!
//! Memory is bounded whatever the scenario's numbers: the per-minute series
//! keeps at most [`MAX_MINUTE_POINTS`] buckets (coarsening as the horizon
//! grows), and [`stream`] hands replications over in order as they finish,
//! holding a few at a time, so a study of any size runs in constant memory.

use crate::doc::DocError;
use crate::progress::Progress;
use crate::scenario::{MAX_FUNCTIONS, Prepared};
use lambdasim::sim::{
    FunctionLatency, MinutePoint, MinuteSeries, Observer, Sim, SimConfig, SimError, SimFunction, Summary,
};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// Most environments at once of a run (its tables start small and grow
/// to what the run uses, up to this).
pub const ENVS: usize = 65_536;
/// The simulator type the CLI runs.
pub type BigSim<'a> = Sim<'a, MAX_FUNCTIONS>;
/// Stack of each simulation thread (the simulator is built on the stack
/// before it is boxed).
pub const STACK_BYTES: usize = 256 << 20;
/// Most points of a run's per-minute series: a week at one point a minute.
/// A longer run merges adjacent buckets, doubling their width, so it ends
/// with between half this and this many points (see [`MinuteSeries`]).
pub const MAX_MINUTE_POINTS: usize = 10_080;

/// One replication's results.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Replication index (0-based).
    pub replication: u32,
    /// Its seed: the scenario's seed + replication.
    pub seed: u64,
    /// Totals and per-function summaries.
    pub summary: Summary<MAX_FUNCTIONS>,
    /// The per-minute series: at most [`MAX_MINUTE_POINTS`] buckets of
    /// `bucket_minutes` minutes each (the last one ends at the horizon).
    pub minutes: Vec<MinutePoint>,
    /// Minutes per point of `minutes`: 1 unless the run was longer than
    /// [`MAX_MINUTE_POINTS`] minutes, then a power of two.
    pub bucket_minutes: u64,
    /// Each function's latency histograms (scenario order), to merge across
    /// replications; `summary` holds their percentiles.
    pub latency: Vec<FunctionLatency>,
    /// Each `[[alarms]]` entry's final state and transitions.
    pub alarms: Vec<crate::alarms::AlarmOutcome>,
    /// The per-bin series, for the replication the chart draws
    /// ([`Prepared::chart_replication`]) only.
    pub bins: Option<crate::bins::RunBins>,
    /// Concurrency changes made by scheduled actions and target tracking.
    pub scaling: Vec<lambdasim::sim::ScalingAction>,
}

struct Collect<'a, const POINTS: usize> {
    series: Box<MinuteSeries<POINTS>>,
    progress: &'a AtomicU64,
    /// Time spent adding minutes to the series, when timed.
    push_time: Option<Duration>,
    scaling: Vec<lambdasim::sim::ScalingAction>,
}

impl<const POINTS: usize> Observer for Collect<'_, POINTS> {
    fn minute(&mut self, point: &MinutePoint) {
        match &mut self.push_time {
            Some(spent) => {
                let start = Instant::now();
                self.series.push(point);
                *spent = spent.saturating_add(start.elapsed());
            }
            None => self.series.push(point),
        }
        self.progress.fetch_add(1, Ordering::Relaxed);
    }
    fn scaling(&mut self, action: &lambdasim::sim::ScalingAction) {
        self.scaling.push(*action);
    }
}

/// Wall time of each phase of one replication (see [`try_run_one_timed`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunPhases {
    /// Allocating and initialising the simulator.
    pub build: Duration,
    /// The event loop, without the time spent on the per-minute series.
    pub simulate: Duration,
    /// The per-minute series: its storage, each minute added, the copy out.
    pub series: Duration,
}

/// Most minutes of a run whose series lives in the small table: a short
/// run does not pay for initialising a week of points.
const SMALL_SERIES_POINTS: usize = 64;

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
/// What [`Sim::with_capacity`] or [`Sim::run`] return.
pub fn try_run_one(p: &Prepared, replication: u32, horizon_minutes_done: &AtomicU64) -> Result<RunResult, SimError> {
    try_run_one_timed(p, replication, horizon_minutes_done, false).map(|(r, _)| r)
}

/// [`try_run_one`], with the wall time of each phase when `timed` (all
/// zero otherwise: timing each minute costs a clock read a minute). The
/// results are the same either way.
///
/// # Errors
/// What [`Sim::with_capacity`] or [`Sim::run`] return.
pub fn try_run_one_timed(
    p: &Prepared,
    replication: u32,
    horizon_minutes_done: &AtomicU64,
    timed: bool,
) -> Result<(RunResult, RunPhases), SimError> {
    let start = Instant::now();
    let seed = p.config.seed.wrapping_add(u64::from(replication));
    let config = SimConfig { seed, ..p.config };
    let parts = crate::scenario::workload_parts(&p.functions);
    let functions: Vec<SimFunction<'_>> = crate::scenario::sim_functions(&p.functions, &parts);
    let mut built = build(config, &functions);
    let sim = match built.as_mut() {
        Ok(sim) => sim,
        Err(e) => return Err(*e),
    };
    for (index, f) in p.functions.iter().enumerate() {
        if let Some(control) = &f.control {
            sim.set_provisioned_control(index, control.get())?;
        }
    }
    // Alarms need the run's CloudWatch metrics: a store (checked to fit
    // when the scenario was prepared and its horizon set).
    let functions_n = u32::try_from(functions.len()).unwrap_or(u32::MAX);
    // The charted replication's store serves its alarms too.
    let chart = if p.chart_replication == Some(replication) {
        let (store, plan) = crate::bins::store(p).map_err(|_| SimError::Internal)?;
        sim.attach_metrics(store).map_err(SimError::Region)?;
        Some(plan)
    } else {
        if let Some(store) =
            crate::alarms::store_for(&p.alarms, functions_n, config.horizon).map_err(|_| SimError::Internal)?
        {
            sim.attach_metrics(store).map_err(SimError::Region)?;
        }
        None
    };
    let mut phases = RunPhases { build: if timed { start.elapsed() } else { Duration::ZERO }, ..RunPhases::default() };
    // A run that never coarsens its series gives the same points in a small
    // table as in the big one.
    let minutes = config.horizon.as_micros().div_ceil(60_000_000);
    let (summary, minutes, bucket_minutes, scaling) = if minutes <= SMALL_SERIES_POINTS as u64 {
        collect::<SMALL_SERIES_POINTS>(sim, config, horizon_minutes_done, timed, &mut phases)?
    } else {
        collect::<MAX_MINUTE_POINTS>(sim, config, horizon_minutes_done, timed, &mut phases)?
    };
    let latency = sim.latency().to_vec();
    let (alarms, bins) = match sim.metrics() {
        Some(store) => (
            crate::alarms::evaluate(store, &p.alarms, config.horizon).map_err(|_| SimError::Internal)?,
            match chart {
                Some(plan) => Some(
                    crate::bins::extract(store, plan, functions_n, config.horizon).map_err(|_| SimError::Internal)?,
                ),
                None => None,
            },
        ),
        None => (Vec::new(), None),
    };
    Ok((RunResult { replication, seed, summary, minutes, bucket_minutes, latency, alarms, bins, scaling }, phases))
}

/// The simulator, written straight into its heap slot: `Box::new(Sim::new(..)?)`
/// would build it on the stack and copy it, touching its size in memory
/// once more. Not inlined, so the large stack frame that building the
/// region takes is entered (its pages touched) inside the caller's
/// measured build phase rather than on entry to the caller.
#[inline(never)]
fn build<'a>(config: SimConfig, functions: &[SimFunction<'a>]) -> Box<Result<BigSim<'a>, SimError>> {
    Box::write(Box::new_uninit(), Sim::with_capacity(config, functions, ENVS))
}

/// Runs `sim` collecting its per-minute series in a table of `POINTS`.
fn collect<const POINTS: usize>(
    sim: &mut BigSim<'_>,
    config: SimConfig,
    progress: &AtomicU64,
    timed: bool,
    phases: &mut RunPhases,
) -> Result<(Summary<MAX_FUNCTIONS>, Vec<MinutePoint>, u64, Vec<lambdasim::sim::ScalingAction>), SimError> {
    let start = Instant::now();
    let series: Box<MinuteSeries<POINTS>> = Box::write(Box::new_uninit(), MinuteSeries::new(config.horizon));
    let mut observer = Collect { series, progress, push_time: timed.then_some(Duration::ZERO), scaling: Vec::new() };
    let series_built = start.elapsed();
    let loop_start = Instant::now();
    let summary = sim.run(&mut observer)?;
    let loop_time = loop_start.elapsed();
    let copy_start = Instant::now();
    let (minutes, bucket_minutes) = (observer.series.points().to_vec(), observer.series.bucket_minutes());
    if let Some(pushes) = observer.push_time {
        phases.simulate = loop_time.saturating_sub(pushes);
        phases.series = series_built.saturating_add(pushes).saturating_add(copy_start.elapsed());
    }
    Ok((summary, minutes, bucket_minutes, observer.scaling))
}

/// Runs one replication on the current thread (which needs a big stack).
pub fn run_one(p: &Prepared, replication: u32, horizon_minutes_done: &AtomicU64) -> anyhow::Result<RunResult> {
    run_one_timed(p, replication, horizon_minutes_done, false).map(|(r, _)| r)
}

/// [`run_one`] with the phases of [`try_run_one_timed`].
pub fn run_one_timed(
    p: &Prepared,
    replication: u32,
    horizon_minutes_done: &AtomicU64,
    timed: bool,
) -> anyhow::Result<(RunResult, RunPhases)> {
    try_run_one_timed(p, replication, horizon_minutes_done, timed).map_err(|e| {
        let names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
        sim_error(&p.source, &names, e)
    })
}

/// Runs `jobs` on up to `threads` big-stack threads, calling `work` for
/// each; results come back in `jobs` order. `progress` counts units done.
/// Holds every result: for a few jobs (see [`stream`] for many).
///
/// # Errors
/// The first failing job's error, in `jobs` order.
pub fn parallel<J, R, F>(jobs: &[J], total_units: u64, label: &str, work: F) -> anyhow::Result<Vec<R>>
where
    J: Sync,
    R: Send,
    F: Fn(&J, &AtomicU64) -> anyhow::Result<R> + Sync,
{
    let mut out = Vec::with_capacity(jobs.len());
    let count = jobs.len() as u64;
    stream(
        count,
        total_units,
        label,
        |i, done| work(jobs.get(i as usize).ok_or_else(missing)?, done),
        |_, r| {
            out.push(r);
            Ok(())
        },
    )?;
    Ok(out)
}

fn missing() -> anyhow::Error {
    anyhow::anyhow!("a simulation did not run (an earlier one failed)")
}

/// Results finished but not yet handed over, and the work left.
struct Queue<R> {
    /// The next job to start.
    next: u64,
    /// The next job to hand over.
    delivered: u64,
    ready: BTreeMap<u64, anyhow::Result<R>>,
    /// Set on a failure: start nothing more.
    stop: bool,
}

/// Runs jobs `0..count` on big-stack threads and hands each result to
/// `sink` on the calling thread in job order, as soon as it and every
/// earlier one are done (so the output does not depend on which thread
/// finishes first). At most two jobs per thread are started ahead of the
/// next one handed over: memory does not grow with `count`.
/// `total_units` sizes the progress bar that `work` advances.
///
/// # Errors
/// The first error in job order, from `work` or `sink`; no job starts
/// after one fails.
pub fn stream<R, F, S>(count: u64, total_units: u64, label: &str, work: F, sink: S) -> anyhow::Result<()>
where
    R: Send,
    F: Fn(u64, &AtomicU64) -> anyhow::Result<R> + Sync,
    S: FnMut(u64, R) -> anyhow::Result<()>,
{
    stream_on(Workers { threads: None, label: Some(label) }, count, total_units, work, sink)
}

/// How [`stream_on`] runs its jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workers<'a> {
    /// Threads: `None` one per core; never more than the jobs nor four per core.
    pub threads: Option<usize>,
    /// The progress bar's label; `None` draws none.
    pub label: Option<&'a str>,
}

/// [`stream`] on `workers.threads` threads, with or without a progress
/// bar. What `sink` receives does not depend on either.
///
/// # Errors
/// As [`stream`].
pub fn stream_on<R, F, S>(
    workers: Workers<'_>,
    count: u64,
    total_units: u64,
    work: F,
    mut sink: S,
) -> anyhow::Result<()>
where
    R: Send,
    F: Fn(u64, &AtomicU64) -> anyhow::Result<R> + Sync,
    S: FnMut(u64, R) -> anyhow::Result<()>,
{
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // More threads than four per core only costs stacks: a larger request is
    // cut to that (the results never depend on the thread count).
    let asked = workers.threads.unwrap_or(cores).min(cores.saturating_mul(4));
    let threads = usize::try_from(count).unwrap_or(usize::MAX).min(asked).max(1);
    let window = 2 * threads as u64;
    let queue = Mutex::new(Queue { next: 0, delivered: 0, ready: BTreeMap::new(), stop: false });
    let changed = Condvar::new();
    let done = AtomicU64::new(0);
    let mut progress = match workers.label {
        Some(label) => Progress::new(label, total_units),
        None => Progress::new("", total_units).hidden(),
    };
    let poisoned = || anyhow::anyhow!("a simulation thread panicked");
    std::thread::scope(|s| -> anyhow::Result<()> {
        let worker = || take_jobs(count, window, &queue, &changed, &work, &done);
        let mut handles = Vec::with_capacity(threads);
        for _ in 0..threads {
            match std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(s, worker) {
                Ok(h) => handles.push(h),
                Err(e) => {
                    stop(&queue, &changed);
                    return Err(e.into());
                }
            }
        }
        let delivered = hand_over(count, &queue, &changed, &mut sink, &mut progress, &done, &handles);
        if delivered.is_err() {
            stop(&queue, &changed);
        }
        progress.finish();
        for h in handles {
            h.join().map_err(|_| poisoned())?;
        }
        delivered
    })
}

/// Marks the queue stopped and wakes every waiting thread.
fn stop<R>(queue: &Mutex<Queue<R>>, changed: &Condvar) {
    if let Ok(mut q) = queue.lock() {
        q.stop = true;
    }
    changed.notify_all();
}

/// A worker: takes the next job while it is within `window` of the next
/// one to hand over, runs it, files its result.
fn take_jobs<R, F>(count: u64, window: u64, queue: &Mutex<Queue<R>>, changed: &Condvar, work: &F, done: &AtomicU64)
where
    F: Fn(u64, &AtomicU64) -> anyhow::Result<R>,
{
    loop {
        let Ok(mut q) = queue.lock() else { return };
        while !q.stop && q.next < count && q.next >= q.delivered.saturating_add(window) {
            let Ok(g) = changed.wait(q) else { return };
            q = g;
        }
        if q.stop || q.next >= count {
            return;
        }
        let i = q.next;
        q.next += 1;
        drop(q);
        // A panic files an error like any failure, so the run ends instead
        // of waiting for a result that never comes.
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(i, done)))
            .unwrap_or_else(|_| Err(anyhow::anyhow!("a simulation thread panicked")));
        let Ok(mut q) = queue.lock() else { return };
        if r.is_err() {
            // Stop handing out work: the run fails anyway.
            q.next = count;
        }
        q.ready.insert(i, r);
        drop(q);
        changed.notify_all();
    }
}

/// The calling thread: hands results to `sink` in order, draws progress.
fn hand_over<R, S, H>(
    count: u64,
    queue: &Mutex<Queue<R>>,
    changed: &Condvar,
    sink: &mut S,
    progress: &mut Progress,
    done: &AtomicU64,
    handles: &[std::thread::ScopedJoinHandle<'_, H>],
) -> anyhow::Result<()>
where
    S: FnMut(u64, R) -> anyhow::Result<()>,
{
    let poisoned = || anyhow::anyhow!("a simulation thread panicked");
    let tick = std::time::Duration::from_millis(50);
    let mut delivered = 0;
    while delivered < count {
        let mut q = queue.lock().map_err(|_| poisoned())?;
        let r = loop {
            if let Some(r) = q.ready.remove(&delivered) {
                break Some(r);
            }
            if handles.iter().all(|h| h.is_finished()) {
                break None;
            }
            progress.update(done.load(Ordering::Relaxed));
            q = changed.wait_timeout(q, tick).map_err(|_| poisoned())?.0;
        };
        let Some(r) = r else {
            // Every worker has ended without this job: an earlier one failed
            // (its error came first) or a worker panicked.
            return Err(missing());
        };
        q.delivered = delivered + 1;
        drop(q);
        changed.notify_all();
        sink(delivered, r?)?;
        delivered += 1;
    }
    Ok(())
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

    /// The per-minute series of `horizon_s` as [`try_run_one`] collects it,
    /// and as the week-long table collects it.
    fn both_series(horizon_s: u64) -> (Vec<MinutePoint>, Vec<MinutePoint>) {
        let text = format!(
            "horizon_s = {horizon_s}\n[[functions]]\nname = \"api\"\nworkload = {{ type = \"poisson\", rate_per_s = 2 }}\nhandler = {{ type = \"exponential\", mean_ms = 300 }}\n"
        );
        let p = crate::scenario::prepare("s.toml", &text, crate::doc::Format::Toml, std::path::Path::new(".")).unwrap();
        std::thread::scope(|s| {
            let run = || {
                let done = AtomicU64::new(0);
                let r = try_run_one(&p, 0, &done).unwrap();
                let parts = crate::scenario::workload_parts(&p.functions);
                let functions: Vec<SimFunction<'_>> = crate::scenario::sim_functions(&p.functions, &parts);
                let mut built = build(p.config, &functions);
                let sim = built.as_mut().as_mut().unwrap();
                let mut phases = RunPhases::default();
                let (_, big, _, _) = collect::<MAX_MINUTE_POINTS>(sim, p.config, &done, true, &mut phases).unwrap();
                (r.minutes, big)
            };
            std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(s, run).unwrap().join().unwrap()
        })
    }

    #[test]
    fn short_runs_keep_the_same_series_in_the_small_table() {
        let limit = SMALL_SERIES_POINTS as u64 * 60;
        for horizon_s in [1, 61, limit, limit + 1] {
            let (small, big) = both_series(horizon_s);
            assert_eq!(small.len() as u64, horizon_s.div_ceil(60));
            assert_eq!(small, big, "horizon {horizon_s} s");
        }
    }

    #[test]
    fn stream_hands_results_over_in_order_holding_few() {
        let started = AtomicU64::new(0);
        let mut seen = Vec::new();
        let mut most_ahead = 0;
        stream(
            500,
            0,
            "test",
            |i, _| {
                started.fetch_add(1, Ordering::SeqCst);
                // Later jobs finish first on purpose.
                std::thread::yield_now();
                Ok(i * 3)
            },
            |i, r| {
                most_ahead = most_ahead.max(started.load(Ordering::SeqCst) - i);
                seen.push((i, r));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..500).map(|i| (i, i * 3)).collect::<Vec<_>>());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
        assert!(most_ahead <= 2 * threads + 1, "{most_ahead} started ahead with {threads} threads");
    }

    #[test]
    fn stream_stops_at_the_first_failure_in_order() {
        let mut seen = Vec::new();
        let r = stream(
            100,
            0,
            "test",
            |i, _| if i == 7 { Err(anyhow::anyhow!("job 7 failed")) } else { Ok(i) },
            |i, _| {
                seen.push(i);
                Ok(())
            },
        );
        assert_eq!(r.unwrap_err().to_string(), "job 7 failed");
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
        let sink_fails = stream(
            100,
            0,
            "test",
            |i, _| Ok(i),
            |i, _| {
                anyhow::ensure!(i < 3, "sink {i}");
                Ok(())
            },
        );
        assert_eq!(sink_fails.unwrap_err().to_string(), "sink 3");
    }

    #[test]
    #[allow(clippy::panic)]
    fn a_panicking_job_is_an_error_not_a_hang() {
        let r = stream(50, 0, "test", |i, _| if i == 4 { panic!("boom") } else { Ok(i) }, |_, _| Ok(()));
        assert_eq!(r.unwrap_err().to_string(), "a simulation thread panicked");
    }
}
