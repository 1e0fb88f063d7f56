//! What `lambdasim run` prints: the text report, the "ideas" lines, and the
//! JSON document (documented field by field in cli/README.md).

use crate::latency::{self, LatencySums};
use crate::money::{self, BillJson};
use crate::run::RunResult;
use crate::scenario::{Loaded, OwnedWorkload, Prepared};
use lambdasim::money::Money;
use lambdasim::pricing::{Bill, BillError};
use lambdasim::sim::{FunctionSummary, KeepAlive, LatencySummary, MinutePoint, Workload};
use lambdasim::{Duration, MemoryMb, ScalingRule, ThrottleReason};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Offered load of a function: for Little's law.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Mean arrival rate over the horizon, requests per second.
    pub rate_per_s: f64,
    /// Mean handler duration, seconds.
    pub mean_duration_s: f64,
}

impl Load {
    /// Little's law: concurrency = arrival rate × mean duration.
    pub fn concurrency(&self) -> f64 {
        self.rate_per_s * self.mean_duration_s
    }
}

/// Expected arrivals of `w` in `[0, t)`.
fn arrivals_before(w: &OwnedWorkload, t: Duration) -> f64 {
    let secs = t.as_micros() as f64 / 1e6;
    match w {
        OwnedWorkload::Plain(Workload::OnOff { rate_per_s, on, off }) => {
            // Whole cycles plus the part of the last cycle that was "on".
            let (on, cycle) = (on.as_micros() as f64 / 1e6, on.saturating_add(*off).as_micros() as f64 / 1e6);
            if cycle <= 0.0 {
                return 0.0;
            }
            let cycles = (secs / cycle).floor();
            rate_per_s * (cycles * on + (secs - cycles * cycle).min(on))
        }
        OwnedWorkload::Plain(w) if secs > 0.0 => w.mean_rate_per_s(t) * secs,
        OwnedWorkload::Plain(_) => 0.0,
        OwnedWorkload::PerMinute(counts) => {
            let whole = (secs / 60.0).floor() as usize;
            let frac = secs / 60.0 - whole as f64;
            let n: f64 = counts.iter().take(whole).map(|&c| f64::from(c)).sum();
            n + counts.get(whole).map_or(0.0, |&c| f64::from(c) * frac)
        }
        OwnedWorkload::Replay(events) => events.iter().filter(|e| e.at_us < t.as_micros()).count() as f64,
        OwnedWorkload::Schedule { .. } | OwnedWorkload::Repeated(..) => w.get().expected_requests(t),
        OwnedWorkload::Sum(parts) => parts.iter().map(|p| arrivals_before(p, t)).sum(),
    }
}

/// The offered load of `f` over the measured window `[warmup, horizon)`.
pub fn load(f: &Loaded, warmup: Duration, horizon: Duration) -> Load {
    let window = horizon.saturating_sub(warmup).as_micros() as f64 / 1e6;
    let memory = MemoryMb::new(f.config.memory_mb).unwrap_or(MemoryMb::DEFAULT);
    let handler_s = f.handler.get().mean_us(memory) / 1e6;
    let n = arrivals_before(&f.workload, horizon) - arrivals_before(&f.workload, warmup);
    let rate_per_s = if window > 0.0 { n.max(0.0) / window } else { 0.0 };
    let mean_duration_s = match &f.workload {
        OwnedWorkload::Replay(events) => {
            let inside: Vec<f64> = events
                .iter()
                .filter(|e| e.at_us >= warmup.as_micros() && e.at_us < horizon.as_micros())
                .map(|e| e.duration_us.map_or(handler_s, |d| d as f64 / 1e6))
                .collect();
            if inside.is_empty() { handler_s } else { inside.iter().sum::<f64>() / inside.len() as f64 }
        }
        _ => handler_s,
    };
    Load { rate_per_s, mean_duration_s }
}

/// A summary in JSON (per function and for the total).
#[derive(Debug, Clone, Serialize)]
pub struct SummaryJson {
    pub requests: u64,
    pub invocations: u64,
    pub cold_starts: u64,
    pub full_cold_starts: u64,
    pub partial_cold_starts: u64,
    pub warm_starts: u64,
    pub provisioned_starts: u64,
    pub spillover: u64,
    pub throttles: u64,
    pub throttles_by_reason: BTreeMap<&'static str, u64>,
    pub errors: u64,
    pub timeouts: u64,
    pub cold_start_probability: f64,
    pub throttle_probability: f64,
    pub avg_instances: f64,
    pub avg_busy: f64,
    pub avg_idle: f64,
    pub utilization: f64,
    pub peak_concurrency: u32,
    pub bill: BillJson,
    /// Percentiles of handler duration, init duration and response time.
    pub latency: LatencySummary,
}

impl SummaryJson {
    pub fn new(s: &FunctionSummary, bill: &Bill) -> Self {
        SummaryJson {
            requests: s.requests,
            invocations: s.invocations,
            cold_starts: s.cold_starts,
            full_cold_starts: s.full_cold_starts,
            partial_cold_starts: s.partial_cold_starts,
            warm_starts: s.warm_starts,
            provisioned_starts: s.provisioned_starts,
            spillover: s.spillover,
            throttles: s.throttles,
            throttles_by_reason: ThrottleReason::ALL.iter().map(|&r| (r.name(), throttled(s, r))).collect(),
            errors: s.errors,
            timeouts: s.timeouts,
            cold_start_probability: s.cold_start_probability,
            throttle_probability: s.throttle_probability,
            avg_instances: s.avg_instances,
            avg_busy: s.avg_busy,
            avg_idle: s.avg_idle,
            utilization: s.utilization,
            peak_concurrency: s.peak_concurrency,
            bill: BillJson::new(bill),
            latency: s.latency,
        }
    }
}

fn throttled(s: &FunctionSummary, r: ThrottleReason) -> u64 {
    s.throttles_by_reason.get(r as usize).copied().unwrap_or(0)
}

/// What a function's trace held beyond what the run played: rows of other
/// functions, and requests at or past the horizon (the per-minute format
/// counts each minute's invocations, the per-invocation one each row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TraceJson {
    pub rows_used: u64,
    pub rows_other_functions: u64,
    pub requests_past_horizon: u64,
}

impl TraceJson {
    /// The trace of `f` under `horizon`, if it has one.
    pub fn new(f: &Loaded, horizon: Duration) -> Option<Self> {
        let rows = f.trace?;
        let horizon_us = horizon.as_micros();
        let requests_past_horizon = crate::workloads::past_horizon(&f.workload, horizon_us);
        Some(TraceJson { rows_used: rows.used, rows_other_functions: rows.other_functions, requests_past_horizon })
    }
}

/// One function in JSON: its name, its offered load, its trace (trace
/// workloads only), its summary.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionJson {
    pub name: String,
    pub offered_rate_per_s: f64,
    pub mean_duration_s: f64,
    pub little_concurrency: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceJson>,
    #[serde(flatten)]
    pub summary: SummaryJson,
}

/// One replication in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct RunJson {
    pub scenario: String,
    pub replication: u32,
    pub seed: u64,
    pub horizon_s: f64,
    pub warmup_s: f64,
    pub prices: &'static str,
    pub free_tier: bool,
    pub functions: Vec<FunctionJson>,
    pub total: SummaryJson,
    /// Seconds per point of `minutes` when a long run coarsened its series
    /// (absent: 60, one point per minute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_s: Option<u64>,
    pub minutes: Vec<MinutePoint>,
    /// The scenario's `[[alarms]]`: final state and transitions (absent
    /// when it declares none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<crate::alarms::AlarmOutcome>,
    /// Workloads that stop before the horizon, one sentence each (absent
    /// when none does).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The bill's window against the counts', and the 30-day projection.
    pub money: crate::projection::MoneyJson,
    /// Concurrency changes made by scheduled actions and target tracking
    /// (absent when there were none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scaling_actions: Vec<crate::pc_schedule::ScalingJson>,
}

/// Bills of a run: each function alone without the free tier (it is an
/// account-wide credit), the total with it when the scenario enables it.
pub struct Bills {
    pub functions: Vec<Bill>,
    pub total: Bill,
}

pub fn bills(p: &Prepared, r: &RunResult) -> anyhow::Result<Bills> {
    try_bills(p, r).map_err(|e| anyhow::anyhow!("bill: {e}"))
}

/// [`bills`] with the core's error (for the C ABI's status codes).
///
/// # Errors
/// A usage total too large to bill exactly.
pub fn try_bills(p: &Prepared, r: &RunResult) -> Result<Bills, BillError> {
    let functions = r.summary.functions.iter().map(|s| s.bill(&p.prices, false)).collect::<Result<Vec<_>, _>>()?;
    let total = r.summary.total.bill(&p.prices, p.free_tier)?;
    Ok(Bills { functions, total })
}

fn secs(d: Duration) -> f64 {
    d.as_micros() as f64 / 1e6
}

fn scaling_json(p: &Prepared, r: &RunResult) -> Vec<crate::pc_schedule::ScalingJson> {
    let names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
    r.scaling.iter().map(|a| crate::pc_schedule::ScalingJson::new(a, &names)).collect()
}

pub fn run_json(p: &Prepared, r: &RunResult, b: &Bills) -> RunJson {
    let functions = p
        .functions
        .iter()
        .zip(r.summary.functions.iter())
        .zip(b.functions.iter())
        .map(|((f, s), bill)| {
            let l = load(f, p.config.warmup, p.config.horizon);
            FunctionJson {
                name: f.name.clone(),
                offered_rate_per_s: l.rate_per_s,
                mean_duration_s: l.mean_duration_s,
                little_concurrency: l.concurrency(),
                trace: TraceJson::new(f, p.config.horizon),
                summary: SummaryJson::new(s, bill),
            }
        })
        .collect();
    RunJson {
        scenario: p.source.clone(),
        replication: r.replication,
        seed: r.seed,
        horizon_s: secs(r.summary.horizon),
        warmup_s: secs(r.summary.warmup),
        prices: p.scenario.pricing.prices.name(),
        free_tier: p.free_tier,
        functions,
        total: SummaryJson::new(&r.summary.total, &b.total),
        bucket_s: (r.bucket_minutes > 1).then(|| r.bucket_minutes.saturating_mul(60)),
        minutes: r.minutes.clone(),
        alarms: r.alarms.clone(),
        warnings: crate::workloads::prepared_warnings(p),
        money: crate::projection::money_json(p, r),
        scaling_actions: scaling_json(p, r),
    }
}

/// A JSON document exactly as `lambdasim run --json` prints it: pretty
/// (two-space indents), with a final newline. The C ABI's
/// `lsim_sim_result_json` returns these bytes too.
///
/// # Errors
/// What serde_json reports (never for the report types).
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// Means over replications of one summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MeanJson {
    pub requests: f64,
    pub invocations: f64,
    pub cold_starts: f64,
    pub full_cold_starts: f64,
    pub partial_cold_starts: f64,
    pub warm_starts: f64,
    pub provisioned_starts: f64,
    pub spillover: f64,
    pub throttles: f64,
    pub throttles_by_reason: BTreeMap<&'static str, f64>,
    pub errors: f64,
    pub timeouts: f64,
    pub cold_start_probability: f64,
    pub throttle_probability: f64,
    pub avg_instances: f64,
    pub avg_busy: f64,
    pub avg_idle: f64,
    pub utilization: f64,
    pub peak_concurrency: f64,
    /// The mean bill total in dollars and cents, and exactly.
    pub bill: MeanBill,
    /// Not a mean: the percentiles of every replication's samples together.
    pub latency: LatencySummary,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MeanBill {
    pub total_usd: String,
    pub exact_usd: String,
}

/// The fields of [`MeanJson`] that are plain means, in order.
const MEAN_FIELDS: [fn(&FunctionSummary) -> f64; 18] = [
    |s| s.requests as f64,
    |s| s.invocations as f64,
    |s| s.cold_starts as f64,
    |s| s.full_cold_starts as f64,
    |s| s.partial_cold_starts as f64,
    |s| s.warm_starts as f64,
    |s| s.provisioned_starts as f64,
    |s| s.spillover as f64,
    |s| s.throttles as f64,
    |s| s.errors as f64,
    |s| s.timeouts as f64,
    |s| s.cold_start_probability,
    |s| s.throttle_probability,
    |s| s.avg_instances,
    |s| s.avg_busy,
    |s| s.avg_idle,
    |s| s.utilization,
    |s| f64::from(s.peak_concurrency),
];

/// Running sums of one summary over replications, added in replication
/// order (so the means do not depend on which replication finished first):
/// constant memory however many there are.
#[derive(Debug, Clone)]
pub struct MeanSums {
    runs: u64,
    fields: [f64; 18],
    throttles_by_reason: [f64; ThrottleReason::COUNT],
    atoms: u128,
    cents: u128,
}

impl Default for MeanSums {
    fn default() -> Self {
        // The empty sum of floats is −0.0: an empty mean prints as before.
        let zero: f64 = std::iter::empty::<f64>().sum();
        MeanSums { runs: 0, fields: [zero; 18], throttles_by_reason: [zero; ThrottleReason::COUNT], atoms: 0, cents: 0 }
    }
}

impl MeanSums {
    /// Adds one replication's summary and bill.
    pub fn add(&mut self, s: &FunctionSummary, bill: &Bill) {
        self.runs = self.runs.saturating_add(1);
        for (sum, field) in self.fields.iter_mut().zip(MEAN_FIELDS) {
            *sum += field(s);
        }
        for (sum, &r) in self.throttles_by_reason.iter_mut().zip(ThrottleReason::ALL.iter()) {
            *sum += throttled(s, r) as f64;
        }
        self.atoms = self.atoms.saturating_add(bill.exact_total().atoms());
        self.cents = self.cents.saturating_add(bill.total_cents());
    }

    /// The means so far.
    pub fn mean(&self) -> MeanJson {
        let n = self.runs.max(1) as f64;
        let [
            requests,
            invocations,
            cold_starts,
            full_cold_starts,
            partial_cold_starts,
            warm_starts,
            provisioned_starts,
            spillover,
            throttles,
            errors,
            timeouts,
            cold_start_probability,
            throttle_probability,
            avg_instances,
            avg_busy,
            avg_idle,
            utilization,
            peak_concurrency,
        ] = self.fields.map(|x| x / n);
        let runs = u128::from(self.runs);
        let half_up = |sum: u128| sum.saturating_add(runs / 2).checked_div(runs).unwrap_or(0);
        let mean = Money::from_atoms(half_up(self.atoms));
        MeanJson {
            requests,
            invocations,
            cold_starts,
            full_cold_starts,
            partial_cold_starts,
            warm_starts,
            provisioned_starts,
            spillover,
            throttles,
            throttles_by_reason: ThrottleReason::ALL
                .iter()
                .zip(self.throttles_by_reason)
                .map(|(r, x)| (r.name(), x / n))
                .collect(),
            errors,
            timeouts,
            cold_start_probability,
            throttle_probability,
            avg_instances,
            avg_busy,
            avg_idle,
            utilization,
            peak_concurrency,
            bill: MeanBill { total_usd: money::usd(half_up(self.cents)), exact_usd: mean.exact().to_string() },
            latency: LatencySummary::default(),
        }
    }
}

impl MeanJson {
    pub fn new(items: &[(&FunctionSummary, &Bill)]) -> Self {
        let mut sums = MeanSums::default();
        for (s, b) in items {
            sums.add(s, b);
        }
        sums.mean()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MeanFunctionJson {
    pub name: String,
    #[serde(flatten)]
    pub mean: MeanJson,
}

/// The mean over replications.
#[derive(Debug, Clone, Serialize)]
pub struct MeansJson {
    pub runs: usize,
    pub functions: Vec<MeanFunctionJson>,
    pub total: MeanJson,
}

pub fn means(p: &Prepared, runs: &[(RunResult, Bills)]) -> MeansJson {
    let mut study = StudySums::new(p);
    for (r, b) in runs {
        study.add(r, b);
    }
    study.means(p)
}

/// The running sums of a study: each function's and the total's.
#[derive(Debug, Clone)]
pub struct StudySums {
    runs: usize,
    functions: Vec<MeanSums>,
    total: MeanSums,
    latency: LatencySums,
}

impl StudySums {
    /// No replication yet, for the functions of `p`.
    pub fn new(p: &Prepared) -> Self {
        let n = p.functions.len();
        StudySums {
            runs: 0,
            functions: vec![MeanSums::default(); n],
            total: MeanSums::default(),
            latency: LatencySums::new(n),
        }
    }

    /// Adds the next replication (in replication order).
    pub fn add(&mut self, r: &RunResult, b: &Bills) {
        self.runs = self.runs.saturating_add(1);
        for ((sums, s), bill) in self.functions.iter_mut().zip(r.summary.functions.iter()).zip(&b.functions) {
            sums.add(s, bill);
        }
        self.total.add(&r.summary.total, &b.total);
        self.latency.add(&r.latency);
    }

    /// The means so far.
    pub fn means(&self, p: &Prepared) -> MeansJson {
        let functions = p
            .functions
            .iter()
            .zip(&self.functions)
            .enumerate()
            .map(|(i, (f, sums))| MeanFunctionJson {
                name: f.name.clone(),
                mean: MeanJson { latency: self.latency.function(i), ..sums.mean() },
            })
            .collect();
        let total = MeanJson { latency: self.latency.total(), ..self.total.mean() };
        MeansJson { runs: self.runs, functions, total }
    }
}

/// Several replications (or a shard) in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct StudyJson {
    pub scenario: String,
    pub replications: u32,
    pub shard: Option<String>,
    pub runs: Vec<RunJson>,
    pub mean: MeansJson,
    /// Mean, standard deviation and 95 % interval of every statistic.
    pub confidence: crate::confidence::ConfidenceJson,
}

// ---------------------------------------------------------------- text

/// A number with minimal decimals: 100 → "100", 0.5 → "0.5".
pub fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_owned() }
}

fn pct(x: f64) -> String {
    format!("{:.2} %", x * 100.0)
}

fn g(n: u64) -> String {
    money::grouped(u128::from(n))
}

/// Rows of the per-function table: (label, value for a summary).
type Row = (&'static str, fn(&FunctionSummary) -> String);

const ROWS: &[Row] = &[
    ("requests", |s| g(s.requests)),
    ("invocations", |s| g(s.invocations)),
    ("cold starts (full/partial)", |s| format!("{}/{}", g(s.full_cold_starts), g(s.partial_cold_starts))),
    ("warm starts", |s| g(s.warm_starts)),
    ("provisioned starts", |s| g(s.provisioned_starts)),
    ("spillover", |s| g(s.spillover)),
    ("throttles", |s| g(s.throttles)),
    ("  ConcurrentInvocationLimit", |s| g(throttled(s, ThrottleReason::ConcurrentInvocationLimitExceeded))),
    ("  ReservedFunctionConcurrent", |s| {
        g(throttled(s, ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded))
    }),
    ("  RequestRateExceeded", |s| g(throttled(s, ThrottleReason::RequestRateExceeded))),
    ("  ScalingRateExceeded", |s| g(throttled(s, ThrottleReason::ScalingRateExceeded))),
    ("errors (timeouts)", |s| format!("{} ({})", g(s.errors), g(s.timeouts))),
    ("cold_start_probability", |s| pct(s.cold_start_probability)),
    ("throttle_probability", |s| pct(s.throttle_probability)),
    ("avg_instances", |s| format!("{:.2}", s.avg_instances)),
    ("avg_busy", |s| format!("{:.2}", s.avg_busy)),
    ("avg_idle", |s| format!("{:.2}", s.avg_idle)),
    ("utilization", |s| pct(s.utilization)),
    ("peak_concurrency", |s| g(u64::from(s.peak_concurrency))),
];

/// A table with a column per name and a row per label.
pub(crate) fn table(names: &[String], columns: &[Vec<String>], labels: &[&str]) -> String {
    let label_w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0).max(28);
    let widths: Vec<usize> = names
        .iter()
        .zip(columns)
        .map(|(n, c)| c.iter().map(|v| v.chars().count()).chain([n.chars().count()]).max().unwrap_or(0) + 2)
        .map(|w| w.max(12))
        .collect();
    let mut out = format!("  {:<label_w$}", "");
    for (n, w) in names.iter().zip(&widths) {
        let _ = write!(out, "{n:>w$}");
    }
    out.push('\n');
    for (r, label) in labels.iter().enumerate() {
        let _ = write!(out, "  {label:<label_w$}");
        for (c, w) in columns.iter().zip(&widths) {
            let _ = write!(out, "{:>w$}", c.get(r).map_or("", String::as_str));
        }
        out.push('\n');
    }
    out
}

fn region_line(p: &Prepared) -> String {
    let r = &p.config.region;
    let scaling = match r.scaling {
        ScalingRule::LegacyAccount { burst } => format!("legacy: account burst {burst}, then +500/min"),
        _ => "per function: 1000 new environments per 10 s".to_owned(),
    };
    let reserved: u64 = p.functions.iter().map(|f| u64::from(f.config.reserved.unwrap_or(f.config.provisioned))).sum();
    format!(
        "region: account limit {}, unreserved minimum {}, unreserved pool {}, scaling {scaling}, idle timeout {} s, max lifetime {} s\n",
        g(u64::from(r.account_limit)),
        r.unreserved_min,
        g(u64::from(r.account_limit).saturating_sub(reserved)),
        num(secs(r.idle_timeout)),
        num(secs(r.max_lifetime)),
    )
}

/// `n thing` or `n things`, grouped.
fn counted(n: u64, thing: &str) -> String {
    format!("{} {thing}{}", g(n), if n == 1 { "" } else { "s" })
}

/// A line per function replaying a trace: the rows it used and what the
/// run left out.
fn trace_lines(p: &Prepared) -> String {
    let mut out = String::new();
    for f in &p.functions {
        if let Some(t) = TraceJson::new(f, p.config.horizon) {
            let _ = writeln!(
                out,
                "trace of {}: {} used, {} of other functions skipped, {} at or past the horizon not played",
                f.name,
                counted(t.rows_used, "row"),
                counted(t.rows_other_functions, "row"),
                counted(t.requests_past_horizon, "request")
            );
        }
    }
    out
}

/// Little's law for `f`'s traffic over the measured `window`: the rate
/// that ran (throttled requests never occupy an environment, so a function
/// almost all throttled predicts what it ran, not what was offered) times
/// the mean duration. `None` when too little ran to say anything.
pub fn little_line(name: &str, offered: &Load, s: &FunctionSummary, window: Duration) -> Option<String> {
    let window_s = secs(window);
    if s.requests == 0 || window_s <= 0.0 {
        return None;
    }
    let admitted = match s.throttles {
        0 => *offered,
        _ => Load { rate_per_s: s.invocations as f64 / window_s, ..*offered },
    };
    if admitted.concurrency() < 0.05 {
        return None;
    }
    let rate = if s.throttles == 0 {
        format!("{} req/s", num(offered.rate_per_s))
    } else {
        format!("{} req/s admitted (of {} offered)", num(admitted.rate_per_s), num(offered.rate_per_s))
    };
    Some(format!(
        "{name}: {rate} × {} s ⇒ Little's law predicts {:.1} concurrent executions; simulated avg_busy {:.1} (peak {})",
        num(admitted.mean_duration_s),
        admitted.concurrency(),
        s.avg_busy,
        s.peak_concurrency
    ))
}

/// The explanation lines: one per idea a function shows.
pub fn ideas(p: &Prepared, r: &RunResult) -> Vec<String> {
    let mut out = Vec::new();
    for (f, s) in p.functions.iter().zip(r.summary.functions.iter()) {
        let name = &f.name;
        let l = load(f, p.config.warmup, p.config.horizon);
        let stationary =
            matches!(f.workload, OwnedWorkload::Plain(Workload::Poisson { .. } | Workload::Constant { .. }));
        if let Some(line) = little_line(name, &l, s, p.config.horizon.saturating_sub(p.config.warmup))
            && (stationary || s.throttles == 0)
        {
            out.push(line);
        }
        let scaling = throttled(s, ThrottleReason::ScalingRateExceeded);
        if s.cold_start_probability >= 0.01 && scaling == 0 {
            let why = if matches!(f.keep_alive, KeepAlive::Hybrid(_)) {
                " under the hybrid keep-alive policy (it learns the idle gaps and pre-warms before the next request)"
                    .to_owned()
            } else if s.partial_cold_starts > 0 {
                "; partial cold starts re-run init after a crash or timeout reset an environment".to_owned()
            } else {
                format!(
                    " with the fixed keep-alive: an environment idle for {} s is reclaimed, so sparse traffic starts cold",
                    num(secs(p.config.region.idle_timeout))
                )
            };
            out.push(format!(
                "{name}: {} of requests started cold ({} full, {} partial){why}",
                pct(s.cold_start_probability),
                g(s.full_cold_starts),
                g(s.partial_cold_starts)
            ));
        }
        let rc = f.config.reserved;
        let reserved_throttles = throttled(s, ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded);
        if f.config.provisioned > 0 || s.provisioned_starts > 0 {
            let share = if s.invocations > 0 { s.provisioned_starts as f64 / s.invocations as f64 } else { 0.0 };
            // With a schedule or autoscaling the level changed during the run.
            let level = match &f.control {
                None => f.config.provisioned.to_string(),
                Some(c) if c.autoscaling.is_some() => format!("(autoscaled from {})", f.config.provisioned),
                Some(_) => format!("(scheduled, {} at the start)", f.config.provisioned),
            };
            let mut line = format!(
                "{name}: provisioned concurrency {level} served {} of {} invocations ({}) with no cold start; {} spilled over to on-demand environments ({} cold starts)",
                g(s.provisioned_starts),
                g(s.invocations),
                pct(share),
                g(s.spillover),
                g(s.cold_starts),
            );
            if let Some(rc) = rc {
                let _ = write!(
                    line,
                    "; reserved concurrency {rc} capped it at {rc} busy: {} requests throttled with ReservedFunctionConcurrentInvocationLimitExceeded",
                    g(reserved_throttles)
                );
            }
            out.push(line);
        } else if let Some(rc) = rc {
            out.push(format!(
                "{name}: reserved concurrency {rc} guarantees and caps it (peak {}): {} requests throttled with ReservedFunctionConcurrentInvocationLimitExceeded",
                s.peak_concurrency,
                g(reserved_throttles)
            ));
        }
        if scaling > 0 {
            let rule = match p.config.region.scaling {
                ScalingRule::LegacyAccount { burst } => {
                    format!("the legacy account-wide burst of {burst} new environments, then 500 per minute")
                }
                _ => "1000 new environments at once per function, then 100 per second".to_owned(),
            };
            let burst = match f.workload {
                OwnedWorkload::Plain(Workload::OnOff { rate_per_s, on, .. }) => format!(
                    "bursts of ~{} requests within {} s need as many new environments; ",
                    g((rate_per_s * secs(on)).round() as u64),
                    num(secs(on))
                ),
                _ => String::new(),
            };
            out.push(format!(
                "{name}: {burst}the scaling limit ({rule}) allowed {} full cold starts and throttled {} requests with ScalingRateExceeded (peak concurrency {})",
                g(s.full_cold_starts),
                g(scaling),
                s.peak_concurrency
            ));
        }
        let account = throttled(s, ThrottleReason::ConcurrentInvocationLimitExceeded);
        if account > 0 {
            let pool = if rc.is_some() { "account limit" } else { "unreserved pool" };
            out.push(format!(
                "{name}: the {pool} was exhausted: {} requests throttled with ConcurrentInvocationLimitExceeded",
                g(account)
            ));
        }
        let rate = throttled(s, ThrottleReason::RequestRateExceeded);
        if rate > 0 {
            out.push(format!(
                "{name}: more requests per second than the request-rate limit ({} × account limit): {} throttled with RequestRateExceeded",
                p.config.region.request_rate_per_limit,
                g(rate)
            ));
        }
    }
    out
}

/// The text report of one replication.
pub fn run_text(p: &Prepared, r: &RunResult, b: &Bills) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "lambdasim run — {} · replication {} · seed {} · horizon {} s · warm-up {} s · {}",
        p.source,
        r.replication,
        r.seed,
        num(secs(r.summary.horizon)),
        num(secs(r.summary.warmup)),
        if p.free_tier { "free tier applied" } else { "no free tier (--free-tier to apply it)" }
    );
    out.push_str(&region_line(p));
    out.push_str(&trace_lines(p));
    for w in crate::workloads::prepared_warnings(p) {
        let _ = writeln!(out, "warning: {w}");
    }
    out.push('\n');
    let mut names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
    names.push("total".into());
    let summaries: Vec<&FunctionSummary> = r.summary.functions.iter().chain([&r.summary.total]).collect();
    let mut columns: Vec<Vec<String>> = summaries.iter().map(|s| ROWS.iter().map(|(_, f)| f(s)).collect()).collect();
    let mut labels: Vec<&str> = ROWS.iter().map(|(l, _)| *l).collect();
    labels.push("bill");
    for (c, bill) in columns.iter_mut().zip(b.functions.iter().chain([&b.total])) {
        c.push(money::dollars(bill.total_cents()));
    }
    out.push_str(&table(&names, &columns, &labels));
    out.push('\n');
    let latencies: Vec<LatencySummary> = summaries.iter().map(|s| s.latency).collect();
    out.push_str(&latency::text("latency (ms; the requests that ran after the warm-up):", &names, &latencies));
    out.push('\n');
    if !r.alarms.is_empty() {
        out.push_str(&crate::alarms::text(&r.alarms));
        out.push('\n');
    }
    if !r.scaling.is_empty() {
        out.push_str(&crate::pc_schedule::text(&scaling_json(p, r)));
        out.push('\n');
    }
    let tier = if p.free_tier { "free tier applied to the total" } else { "no free tier" };
    let _ =
        writeln!(out, "bill ({} prices, {tier}; the bill covers the warm-up too):", p.scenario.pricing.prices.name());
    for (f, bill) in p.functions.iter().zip(&b.functions) {
        let _ = writeln!(out, "  {}:", f.name);
        out.push_str(&money::bill_text(bill, "    "));
    }
    let _ = writeln!(out, "  total:");
    out.push_str(&money::bill_text(&b.total, "    "));
    out.push_str(&crate::projection::text(p, r));
    let ideas = ideas(p, r);
    if !ideas.is_empty() {
        out.push_str("\nwhat it shows:\n");
        for i in ideas {
            let _ = writeln!(out, "  • {i}");
        }
    }
    out
}

/// The text of the mean over replications.
pub fn means_text(p: &Prepared, m: &MeansJson) -> String {
    let mut names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
    names.push("total".into());
    let labels = [
        "requests",
        "invocations",
        "cold starts",
        "throttles",
        "cold_start_probability",
        "throttle_probability",
        "avg_instances",
        "avg_busy",
        "avg_idle",
        "utilization",
        "peak_concurrency",
        "bill",
    ];
    let col = |x: &MeanJson| {
        vec![
            format!("{:.1}", x.requests),
            format!("{:.1}", x.invocations),
            format!("{:.1}", x.cold_starts),
            format!("{:.1}", x.throttles),
            pct(x.cold_start_probability),
            pct(x.throttle_probability),
            format!("{:.2}", x.avg_instances),
            format!("{:.2}", x.avg_busy),
            format!("{:.2}", x.avg_idle),
            pct(x.utilization),
            format!("{:.1}", x.peak_concurrency),
            format!("${}", x.bill.total_usd),
        ]
    };
    let columns: Vec<Vec<String>> = m.functions.iter().map(|f| col(&f.mean)).chain([col(&m.total)]).collect();
    let latencies: Vec<LatencySummary> = m.functions.iter().map(|f| f.mean.latency).chain([m.total.latency]).collect();
    let heading = format!("latency over all {} replications (ms; their samples together, not a mean):", m.runs);
    format!(
        "mean over {} replications:\n{}\n{}",
        m.runs,
        table(&names, &columns, &labels),
        latency::text(&heading, &names, &latencies)
    )
}
