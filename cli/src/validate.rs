//! `lambdasim validate`: replays the 2020 AWS cold-start measurements
//! (SimFaaS, data/README.md) and reports how close the model comes.

use crate::doc::DocError;
use crate::run;
use lambdasim::function::ColdStartProfile;
use lambdasim::sim::MinutePoint;
use lambdasim::sim::{DurationDist, Observer, Sim, SimConfig, SimFunction, Workload};
use lambdasim::{Duration, FunctionConfig, RegionConfig};
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// The measurements, as shipped in data/ (used when `--data` is not given;
/// cli/data/ links them into the published crate).
pub const DATA: &str = include_str!("../data/aws-lambda-2020-coldstarts.csv");
/// The name the embedded data goes by.
pub const DATA_NAME: &str = "data/aws-lambda-2020-coldstarts.csv";

/// Requests the slowest row should see with the default horizon.
pub const MIN_REQUESTS: f64 = 5_000.0;
/// The shortest default horizon, seconds.
pub const MIN_HORIZON_S: f64 = 1e6;

/// One experiment of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub experiment: String,
    pub arrival_rate: f64,
    pub service_warm_ms: f64,
    pub service_cold_ms: f64,
    pub idle_minutes: f64,
    pub avg_instances: f64,
    pub cold_start_probability: f64,
}

/// Parses the table by its header names.
pub fn parse(name: &str, text: &str) -> anyhow::Result<Vec<Row>> {
    let bad = |line: usize, message: String| -> anyhow::Error {
        DocError { file: name.to_owned(), line, col: 1, field: String::new(), message }.into()
    };
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or_else(|| bad(1, "empty file".into()))?;
    let cols: Vec<&str> = header.split(',').map(str::trim).collect();
    let col = |n: &str| cols.iter().position(|c| *c == n).ok_or_else(|| bad(1, format!("no column {n}")));
    let (rate, warm, cold, idle, inst, pcold) = (
        col("ArrivalRate")?,
        col("ServiceTimeWarm")?,
        col("ServiceTimeCold")?,
        col("IdleMinutesBeforeKill")?,
        col("AverageInstanceCount")?,
        col("ColdStartProbability")?,
    );
    let mut rows = Vec::new();
    for (i, line) in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let get = |c: usize, n: &str| -> anyhow::Result<f64> {
            let s = cells.get(c).copied().unwrap_or("");
            let x: f64 = s.parse().map_err(|_| bad(i + 1, format!("{n} {s:?} is not a number")))?;
            if !x.is_finite() || x < 0.0 {
                return Err(bad(i + 1, format!("{n} {s:?} must be finite and ≥ 0")));
            }
            Ok(x)
        };
        rows.push(Row {
            experiment: cells.first().copied().unwrap_or("").to_owned(),
            arrival_rate: get(rate, "ArrivalRate")?,
            service_warm_ms: get(warm, "ServiceTimeWarm")?,
            service_cold_ms: get(cold, "ServiceTimeCold")?,
            idle_minutes: get(idle, "IdleMinutesBeforeKill")?,
            avg_instances: get(inst, "AverageInstanceCount")?,
            cold_start_probability: get(pcold, "ColdStartProbability")?,
        });
    }
    if rows.is_empty() {
        return Err(bad(1, "no rows".into()));
    }
    Ok(rows)
}

/// The model's inputs derived from the whole table (data/README.md).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Model {
    /// Mean of ServiceTimeWarm over all rows: the exponential handler's mean, ms.
    pub handler_mean_ms: f64,
    /// Mean of ServiceTimeCold − ServiceTimeWarm over all rows: the fixed init, ms.
    pub init_ms: f64,
}

pub fn model(rows: &[Row]) -> Model {
    let n = rows.len().max(1) as f64;
    Model {
        handler_mean_ms: rows.iter().map(|r| r.service_warm_ms).sum::<f64>() / n,
        init_ms: rows.iter().map(|r| r.service_cold_ms - r.service_warm_ms).sum::<f64>() / n,
    }
}

/// The default horizon: the slowest row sees ≥ 5000 requests, and at least 10^6 s.
pub fn default_horizon_s(rows: &[Row]) -> f64 {
    let slowest = rows.iter().map(|r| r.arrival_rate).filter(|r| *r > 0.0).fold(f64::INFINITY, f64::min);
    if slowest.is_finite() { (MIN_REQUESTS / slowest).ceil().max(MIN_HORIZON_S) } else { MIN_HORIZON_S }
}

/// One row's comparison.
#[derive(Debug, Clone, Serialize)]
pub struct RowResult {
    pub experiment: String,
    pub arrival_rate: f64,
    pub requests: u64,
    pub observed_cold_start_probability: f64,
    pub simulated_cold_start_probability: f64,
    pub cold_start_error_pct: f64,
    pub observed_avg_instances: f64,
    pub simulated_avg_instances: f64,
    pub instances_error_pct: f64,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub data: String,
    pub seed: u64,
    pub horizon_s: f64,
    pub warmup_s: f64,
    pub max_lifetime_s: f64,
    pub model: Model,
    pub rows: Vec<RowResult>,
    pub mape_cold_start_probability_pct: f64,
    pub mape_avg_instances_pct: f64,
}

struct Count<'a>(&'a AtomicU64);

impl Observer for Count<'_> {
    fn minute(&mut self, _: &MinutePoint) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

type SmallSim<'a> = Sim<'a, 1>;

fn err_pct(sim: f64, obs: f64) -> f64 {
    if obs == 0.0 { 0.0 } else { ((sim - obs) / obs).abs() * 100.0 }
}

/// Runs every row.
pub fn validate(
    data_name: &str,
    rows: &[Row],
    seed: u64,
    horizon_s: Option<f64>,
    max_lifetime_s: f64,
) -> anyhow::Result<Validation> {
    let horizon_s = horizon_s.unwrap_or_else(|| default_horizon_s(rows));
    if !(horizon_s.is_finite() && horizon_s > 0.0 && horizon_s < 1e12) {
        anyhow::bail!("--horizon-s must be a positive number of seconds (got {})", crate::doc::number(horizon_s));
    }
    if !((0.0..1e12).contains(&max_lifetime_s)) {
        anyhow::bail!("--max-lifetime-s must be a number of seconds ≥ 0 (got {})", crate::doc::number(max_lifetime_s));
    }
    let m = model(rows);
    if !(m.handler_mean_ms.is_finite() && m.init_ms.is_finite() && m.init_ms >= 0.0) {
        anyhow::bail!("{data_name}: the mean cold start is not longer than the mean warm start");
    }
    let horizon = Duration::from_micros((horizon_s * 1e6).round() as u64);
    // One hour reaches the steady state (idle timeout 10 min) on long runs.
    let warmup = Duration::from_secs(3_600).min(Duration::from_micros(horizon.as_micros() / 10));
    let total_minutes = (horizon_s / 60.0).ceil() as u64 * rows.len() as u64;
    let jobs: Vec<(usize, &Row)> = rows.iter().enumerate().collect();
    let results = run::parallel(&jobs, total_minutes, "validate", |(i, row), done| {
        let region = RegionConfig {
            idle_timeout: Duration::from_micros((row.idle_minutes * 60e6).round() as u64),
            max_lifetime: Duration::from_micros((max_lifetime_s * 1e6).round() as u64),
            ..RegionConfig::default()
        };
        let config = SimConfig { region, seed: seed.wrapping_add(*i as u64), horizon, warmup };
        let function = FunctionConfig {
            timeout_ms: FunctionConfig::MAX_TIMEOUT_MS,
            cold_start: ColdStartProfile {
                sandbox_us: 0,
                download_us_per_mb: 0,
                package_mb: 0,
                init_us: (m.init_ms * 1e3).round() as u64,
            },
            ..FunctionConfig::default()
        };
        let f = SimFunction::new(
            function,
            Workload::Poisson { rate_per_s: row.arrival_rate },
            DurationDist::Exponential { mean_us: (m.handler_mean_ms * 1e3).round() as u64 },
        );
        let names = [row.experiment.clone()];
        let mut sim: Box<SmallSim<'_>> =
            Box::new(Sim::with_capacity(config, &[f], 4_096).map_err(|e| run::sim_error(data_name, &names, e))?);
        let s = sim.run(&mut Count(done)).map_err(|e| run::sim_error(data_name, &names, e))?;
        let t = s.total;
        Ok(RowResult {
            experiment: row.experiment.clone(),
            arrival_rate: row.arrival_rate,
            requests: t.requests,
            observed_cold_start_probability: row.cold_start_probability,
            simulated_cold_start_probability: t.cold_start_probability,
            cold_start_error_pct: err_pct(t.cold_start_probability, row.cold_start_probability),
            observed_avg_instances: row.avg_instances,
            simulated_avg_instances: t.avg_instances,
            instances_error_pct: err_pct(t.avg_instances, row.avg_instances),
        })
    })?;
    let n = results.len().max(1) as f64;
    Ok(Validation {
        data: data_name.to_owned(),
        seed,
        horizon_s,
        warmup_s: warmup.as_micros() as f64 / 1e6,
        max_lifetime_s,
        model: m,
        mape_cold_start_probability_pct: results.iter().map(|r| r.cold_start_error_pct).sum::<f64>() / n,
        mape_avg_instances_pct: results.iter().map(|r| r.instances_error_pct).sum::<f64>() / n,
        rows: results,
    })
}

pub fn text(v: &Validation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "validate — {} (SimFaaS, pacslab/simfaas examples/exp.csv, MIT License)", v.data);
    let _ = writeln!(
        out,
        "model: Poisson arrivals; handler exponential, mean {:.1} ms (mean ServiceTimeWarm); fixed init {:.1} ms (mean ServiceTimeCold − ServiceTimeWarm), sandbox 0",
        v.model.handler_mean_ms, v.model.init_ms
    );
    let lifetime =
        if v.max_lifetime_s > 0.0 { format!("{} s", crate::report::num(v.max_lifetime_s)) } else { "off".into() };
    let _ = writeln!(
        out,
        "run: horizon {} s per row, warm-up {} s, seed {} (+ row index), idle timeout from the table, max lifetime {lifetime}\n",
        crate::report::num(v.horizon_s),
        crate::report::num(v.warmup_s),
        v.seed
    );
    let _ = writeln!(
        out,
        "  {:<14} {:>9} {:>10}  {:>9} {:>9} {:>7}  {:>8} {:>8} {:>7}",
        "experiment", "rate/s", "requests", "P(cold)", "sim", "err", "inst", "sim", "err"
    );
    for r in &v.rows {
        let _ = writeln!(
            out,
            "  {:<14} {:>9.5} {:>10} {:>10.5} {:>9.5} {:>6.1}%  {:>8.3} {:>8.3} {:>6.1}%",
            r.experiment,
            r.arrival_rate,
            crate::money::grouped(u128::from(r.requests)),
            r.observed_cold_start_probability,
            r.simulated_cold_start_probability,
            r.cold_start_error_pct,
            r.observed_avg_instances,
            r.simulated_avg_instances,
            r.instances_error_pct
        );
    }
    let _ = writeln!(
        out,
        "\nMAPE over {} rows: cold-start probability {:.1} %, average instance count {:.1} %",
        v.rows.len(),
        v.mape_cold_start_probability_pct,
        v.mape_avg_instances_pct
    );
    let _ = writeln!(out, "(SimFaaS's own model: about 13 % and 3.4 %)");
    out
}
