//! `lambdasim sweep`: one scenario run over the cartesian product of
//! overridden values, each combination with its replications, in parallel.
//!
//! A sweep is a scenario plus overrides ([`crate::overrides`]), so each
//! combination is exactly the file a user would write with those values.
//! Replication r of every combination runs with seed + r, the seeds of
//! `lambdasim run`: combinations are compared on the same random streams
//! (common random numbers), and nothing depends on thread order. Rows come
//! out in combination order, replications in order within each, whatever
//! the thread count; a shard `I/N` runs the combinations c with
//! c % N == I, so the shards' rows together are the whole sweep's.
//!
//! The work is bounded before anything runs: at most [`MAX_AXIS_VALUES`]
//! values per `--set` and [`MAX_SWEEP_RUNS`] combinations × replications.

use crate::confidence::{Interval, Spread};
use crate::doc::{DocError, Format};
use crate::overrides::{self, FieldPath, Override, parse_value, shown};
use crate::pick::{METRICS, Pick};
use crate::report;
use crate::run::{self, Workers};
use crate::scenario::{MAX_REPLICATIONS, Prepared};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Most values one `--set` may list or a range may make.
pub const MAX_AXIS_VALUES: usize = 10_000;
/// Most runs (combinations × replications) of one sweep, before sharding.
pub const MAX_SWEEP_RUNS: u64 = 1_000_000;

/// One swept field and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub path: FieldPath,
    pub values: Vec<toml::Value>,
}

impl Axis {
    /// Parses `PATH=V1,V2,...` (commas inside quotes, brackets or braces do
    /// not split) or `PATH=FROM..TO:STEP` (numbers; whole numbers stay whole).
    ///
    /// # Errors
    /// A message naming the path and what is wrong.
    pub fn parse(spec: &str) -> Result<Axis, String> {
        let at = path_end(spec)
            .ok_or_else(|| format!("{:?}: expected PATH=V1,V2,... or PATH=FROM..TO:STEP", crate::doc::clip(spec)))?;
        let path = FieldPath::parse(spec.get(..at).unwrap_or_default())?;
        let text = spec.get(at + 1..).unwrap_or_default().trim();
        let values = match range(text) {
            Some(r) => r,
            None => list(text),
        }
        .map_err(|e| format!("{}: {e}", path.text))?;
        Ok(Axis { path, values })
    }
}

/// Byte offset of the `=` ending the path (the first outside brackets).
fn path_end(spec: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in spec.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '=' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    spec.find('=')
}

/// `V1,V2,...`, split at commas outside quotes and brackets.
fn list(text: &str) -> Result<Vec<toml::Value>, String> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0usize, None, 0usize);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(text.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
        if parts.len() > MAX_AXIS_VALUES {
            return Err(format!("more than {MAX_AXIS_VALUES} values"));
        }
    }
    parts.push(text.get(start..).unwrap_or_default());
    parts.into_iter().map(parse_value).collect()
}

/// Decimal places written in a number (`0.25` → 2).
fn decimals(s: &str) -> u32 {
    s.split_once('.').map_or(0, |(_, f)| f.trim().len() as u32)
}

/// `FROM..TO:STEP` (or `FROM..TO`, step 1), when `text` has that shape.
fn range(text: &str) -> Option<Result<Vec<toml::Value>, String>> {
    let (from, rest) = text.split_once("..")?;
    let (to, step) = rest.split_once(':').unwrap_or((rest, "1"));
    let (from, to, step) = (from.trim(), to.trim(), step.trim());
    let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    let (Some(a), Some(b), Some(d)) = (number(from), number(to), number(step)) else {
        return Some(Err(format!("range {text:?}: expected FROM..TO:STEP with numbers, e.g. 10..100:10")));
    };
    if d <= 0.0 || b < a {
        return Some(Err(format!("range {text:?}: needs FROM ≤ TO and a STEP above 0")));
    }
    let steps = ((b - a) / d * (1.0 + 1e-12)).floor();
    if steps >= MAX_AXIS_VALUES as f64 {
        return Some(Err(format!("range {text:?} makes more than {MAX_AXIS_VALUES} values")));
    }
    let count = steps as usize + 1;
    let ints = [from, to, step].iter().all(|s| s.parse::<i64>().is_ok());
    let scale = 10f64.powi(decimals(from).max(decimals(step)).max(decimals(to)).min(12) as i32);
    let values = (0..count)
        .map(|k| {
            let x = a + k as f64 * d;
            if ints { toml::Value::Integer(x.round() as i64) } else { toml::Value::Float((x * scale).round() / scale) }
        })
        .collect();
    Some(Ok(values))
}

/// What a sweep writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum SweepFormat {
    /// A line per combination (means ± 95 % half-widths) and the pick.
    Text,
    /// One row per combination and replication.
    Csv,
    /// Rows, per-combination intervals and the pick.
    Json,
}

/// A sweep to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub axes: Vec<Axis>,
    /// Replications of every combination (`None`: the scenario's).
    pub replications: Option<u32>,
    /// `(index, count)`: run only combinations c with c % count == index.
    pub shard: Option<(u32, u32)>,
    /// Threads (`None`: one per core). The output does not depend on it.
    pub threads: Option<usize>,
    pub format: SweepFormat,
    pub pick: Option<Pick>,
    /// Draw a progress bar on stderr (when it is a terminal).
    pub progress: bool,
}

/// One run of one combination.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub combination: u64,
    /// The swept values, by path.
    pub set: serde_json::Map<String, serde_json::Value>,
    pub replication: u32,
    pub seed: u64,
    pub requests: u64,
    pub cold_start_probability: f64,
    pub throttle_probability: f64,
    /// The whole account's p99 response time.
    pub p99_response_ms: f64,
    /// The bill's exact total (free tier as the scenario says).
    pub cost_usd: String,
    #[serde(skip)]
    metrics: [f64; 5],
}

/// One combination over its replications.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub combination: u64,
    pub set: serde_json::Map<String, serde_json::Value>,
    pub requests: Interval,
    pub cold_start_probability: Interval,
    pub throttle_probability: Interval,
    pub p99_response_ms: Interval,
    pub cost_usd: Interval,
}

impl Summary {
    fn means(&self) -> [f64; 5] {
        self.intervals().map(|i| i.mean)
    }

    fn intervals(&self) -> [Interval; 5] {
        [self.requests, self.cold_start_probability, self.throttle_probability, self.p99_response_ms, self.cost_usd]
    }
}

/// The chosen combination.
#[derive(Debug, Clone, Serialize)]
pub struct Picked {
    pub rule: String,
    /// `None` when no combination meets the conditions.
    pub combination: Option<u64>,
    pub set: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct SweepJson {
    pub scenario: String,
    /// Each swept path and its values.
    pub axes: Vec<AxisJson>,
    /// Combinations of the whole sweep (all shards).
    pub combinations: u64,
    pub replications: u32,
    pub shard: Option<String>,
    pub rows: Vec<Row>,
    pub summaries: Vec<Summary>,
    pub pick: Option<Picked>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AxisJson {
    pub path: String,
    pub values: Vec<serde_json::Value>,
}

/// The combination `c`'s value index on each axis (the last axis changes fastest).
fn digits(axes: &[Axis], mut c: u64) -> Vec<usize> {
    let mut out = vec![0; axes.len()];
    for (d, axis) in out.iter_mut().zip(axes).rev() {
        let n = axis.values.len().max(1) as u64;
        *d = (c % n) as usize;
        c /= n;
    }
    out
}

/// The overrides of combination `c`.
fn overrides_of(axes: &[Axis], c: u64) -> Vec<Override> {
    axes.iter()
        .zip(digits(axes, c))
        .filter_map(|(a, i)| {
            let value = a.values.get(i)?.clone();
            Some(Override { path: a.path.clone(), shown: shown(&value), value })
        })
        .collect()
}

fn json_set(sets: &[Override]) -> serde_json::Map<String, serde_json::Value> {
    sets.iter().map(|o| (o.path.text.clone(), serde_json::to_value(&o.value).unwrap_or_default())).collect()
}

/// A sweep's input, checked: its size fits the bounds, every combination of
/// the shard is a valid scenario.
struct Plan<'a> {
    name: &'a str,
    text: &'a str,
    format: Format,
    dir: &'a Path,
    axes: &'a [Axis],
    combinations: u64,
    replications: u32,
    /// This shard's combinations.
    mine: Vec<u64>,
}

impl Plan<'_> {
    fn prepare(&self, c: u64) -> anyhow::Result<Prepared> {
        let sets = overrides_of(self.axes, c);
        overrides::prepare(self.name, self.text, self.format, self.dir, &sets).map_err(|e| {
            let with: Vec<String> = sets.iter().map(|o| format!("{}={}", o.path.text, o.shown)).collect();
            match e.downcast::<DocError>() {
                Ok(mut d) => {
                    d.message = format!("{} [combination {c}: {}]", d.message, with.join(", "));
                    d.into()
                }
                Err(e) => e.context(format!("combination {c}: {}", with.join(", "))),
            }
        })
    }
}

fn plan<'a>(name: &'a str, text: &'a str, format: Format, dir: &'a Path, sweep: &'a Sweep) -> anyhow::Result<Plan<'a>> {
    let usage = |message: String| DocError { file: name.to_owned(), line: 0, col: 0, field: String::new(), message };
    let base = crate::scenario::prepare(name, text, format, dir)?;
    let replications = sweep.replications.unwrap_or(base.scenario.replications);
    if !(1..=MAX_REPLICATIONS).contains(&replications) {
        return Err(usage(format!("--replications must be in 1..={MAX_REPLICATIONS} (got {replications})")).into());
    }
    if sweep.axes.iter().any(|a| a.path.text == "replications") {
        return Err(usage("sweep replications with --replications, not --set replications=...".into()).into());
    }
    for (i, a) in sweep.axes.iter().enumerate() {
        if sweep.axes.iter().take(i).any(|b| b.path.text == a.path.text) {
            return Err(usage(format!("{} is set twice: give one --set per path", a.path.text)).into());
        }
    }
    let combinations = sweep.axes.iter().try_fold(1u64, |n, a| n.checked_mul(a.values.len() as u64));
    let runs = combinations.and_then(|c| c.checked_mul(u64::from(replications)));
    let (Some(combinations), Some(_)) = (combinations, runs.filter(|&r| r <= MAX_SWEEP_RUNS)) else {
        let sizes: Vec<String> = sweep.axes.iter().map(|a| a.values.len().to_string()).collect();
        return Err(usage(format!(
            "the sweep asks for {} combinations × {replications} replications, more than {MAX_SWEEP_RUNS} runs: sweep fewer values or split it into several sweeps",
            sizes.join(" × ")
        ))
        .into());
    };
    // A path that leads nowhere fails for every value: say so once, without
    // naming a combination.
    overrides::apply(name, text, format, &overrides_of(&sweep.axes, 0))?;
    let (index, count) = sweep.shard.unwrap_or((0, 1));
    if count == 0 || index >= count {
        return Err(usage(format!("shard {index}/{count}: expected I/N with 0 ≤ I < N")).into());
    }
    let mine = (u64::from(index)..combinations).step_by(count as usize).collect();
    Ok(Plan { name, text, format, dir, axes: &sweep.axes, combinations, replications, mine })
}

/// The axes of `--set` specs, each `PATH=VALUES` ([`Axis::parse`]); the
/// message starts with `--set` as the command's does.
///
/// # Errors
/// The first bad spec's message.
pub fn axes<'s>(specs: impl IntoIterator<Item = &'s str>) -> Result<Vec<Axis>, String> {
    specs.into_iter().map(|s| Axis::parse(s).map_err(|e| format!("--set {e}"))).collect()
}

/// Checks a sweep without running it: the scenario, its size, and every
/// combination of the shard (what [`run_sweep`] checks first).
///
/// # Errors
/// As [`run_sweep`] before it runs anything.
pub fn check(name: &str, text: &str, format: Format, dir: &Path, sweep: &Sweep) -> anyhow::Result<()> {
    let plan = plan(name, text, format, dir, sweep)?;
    plan.minutes().map(|_| ())
}

impl Plan<'_> {
    /// Prepares every combination of the shard (a bad one fails now, not
    /// after hours of the others) and sums their simulated minutes.
    fn minutes(&self) -> anyhow::Result<u64> {
        let mut minutes = 0u64;
        for &c in &self.mine {
            let p = self.prepare(c)?;
            minutes = minutes.saturating_add(p.config.horizon.as_micros().div_ceil(60_000_000));
        }
        Ok(minutes)
    }
}

/// Runs `sweep` over the scenario `text` (named `name`; trace paths
/// relative to `dir`) and writes it to `out` as `sweep.format` says.
/// Returns the pick. The bytes depend only on the inputs, never on the
/// thread count; the union of the shards' rows is the whole sweep's.
///
/// # Errors
/// A [`DocError`] for a bad scenario, a combination that is not a valid
/// scenario (naming its values) or a sweep too large; a failing run; a
/// write error.
pub fn run_sweep(
    name: &str,
    text: &str,
    format: Format,
    dir: &Path,
    sweep: &Sweep,
    out: &mut dyn Write,
) -> anyhow::Result<Option<Picked>> {
    let plan = plan(name, text, format, dir, sweep)?;
    let minutes = plan.minutes()?;
    let reps = u64::from(plan.replications);
    let jobs = (plan.mine.len() as u64).saturating_mul(reps);
    let mut writer = Output::new(&plan, sweep, out)?;
    let work = |j: u64, done: &_| {
        let c = plan.mine.get((j / reps) as usize).copied().ok_or_else(|| anyhow::anyhow!("job {j} out of range"))?;
        let p = plan.prepare(c)?;
        let r = run::run_one(&p, (j % reps) as u32, done)?;
        let b = report::bills(&p, &r)?;
        Ok(row(c, &overrides_of(plan.axes, c), &r, &b.total))
    };
    let workers = Workers { threads: sweep.threads, label: sweep.progress.then_some("sweeping") };
    run::stream_on(workers, jobs, minutes.saturating_mul(reps), work, |_, row| writer.row(row))?;
    writer.finish()
}

fn row(c: u64, sets: &[Override], r: &run::RunResult, bill: &lambdasim::pricing::Bill) -> Row {
    let t = &r.summary.total;
    let p99_us = t.latency.response_time.p99_us;
    let cost = crate::confidence::usd(bill);
    let metrics = [t.requests as f64, t.cold_start_probability, t.throttle_probability, p99_us as f64 / 1e3, cost];
    Row {
        combination: c,
        set: json_set(sets),
        replication: r.replication,
        seed: r.seed,
        requests: t.requests,
        cold_start_probability: t.cold_start_probability,
        throttle_probability: t.throttle_probability,
        p99_response_ms: p99_us as f64 / 1e3,
        cost_usd: bill.exact_total().exact().to_string(),
        metrics,
    }
}

/// Writes rows as they come (CSV) or keeps them for the end (text, JSON).
struct Output<'a, 'o> {
    plan: &'a Plan<'a>,
    sweep: &'a Sweep,
    out: &'o mut dyn Write,
    rows: Vec<Row>,
    summaries: Vec<Summary>,
    /// The combination being summed and its spreads.
    current: Option<(u64, [Spread; 5])>,
}

impl<'a, 'o> Output<'a, 'o> {
    fn new(plan: &'a Plan<'a>, sweep: &'a Sweep, out: &'o mut dyn Write) -> anyhow::Result<Self> {
        if sweep.format == SweepFormat::Csv {
            let mut header = vec!["combination".to_owned()];
            header.extend(plan.axes.iter().map(|a| a.path.text.clone()));
            header.extend(["replication", "seed"].map(str::to_owned));
            header.extend(METRICS.map(str::to_owned));
            csv_line(out, &header)?;
        }
        Ok(Output { plan, sweep, out, rows: Vec::new(), summaries: Vec::new(), current: None })
    }

    fn row(&mut self, row: Row) -> anyhow::Result<()> {
        if self.current.as_ref().is_some_and(|(c, _)| *c != row.combination) {
            self.close();
        }
        let (_, spreads) = self.current.get_or_insert_with(|| (row.combination, Default::default()));
        for (s, x) in spreads.iter_mut().zip(row.metrics) {
            s.add(x);
        }
        match self.sweep.format {
            SweepFormat::Csv => {
                let mut fields = vec![row.combination.to_string()];
                // `set` is sorted by path: the columns follow the axes.
                fields.extend(
                    self.plan.axes.iter().map(|a| row.set.get(&a.path.text).map(csv_value).unwrap_or_default()),
                );
                fields.extend([row.replication.to_string(), row.seed.to_string(), row.requests.to_string()]);
                fields.extend(
                    [row.cold_start_probability, row.throttle_probability, row.p99_response_ms].map(|x| x.to_string()),
                );
                fields.push(row.cost_usd.clone());
                csv_line(self.out, &fields)
            }
            _ => {
                self.rows.push(row);
                Ok(())
            }
        }
    }

    /// Ends the current combination's summary.
    fn close(&mut self) {
        let Some((c, s)) = self.current.take() else { return };
        let [requests, cold_start_probability, throttle_probability, p99_response_ms, cost_usd] =
            s.map(|x| x.interval());
        let set = json_set(&overrides_of(self.plan.axes, c));
        self.summaries.push(Summary {
            combination: c,
            set,
            requests,
            cold_start_probability,
            throttle_probability,
            p99_response_ms,
            cost_usd,
        });
    }

    fn finish(mut self) -> anyhow::Result<Option<Picked>> {
        self.close();
        let pick = self.sweep.pick.as_ref().map(|p| {
            let means: Vec<[f64; 5]> = self.summaries.iter().map(Summary::means).collect();
            let chosen = p.choose(&means).and_then(|i| self.summaries.get(i));
            Picked {
                rule: p.text.clone(),
                combination: chosen.map(|s| s.combination),
                set: chosen.map(|s| s.set.clone()),
            }
        });
        match self.sweep.format {
            SweepFormat::Csv => {}
            SweepFormat::Json => {
                let doc = SweepJson {
                    scenario: self.plan.name.to_owned(),
                    axes: self
                        .plan
                        .axes
                        .iter()
                        .map(|a| AxisJson {
                            path: a.path.text.clone(),
                            values: a.values.iter().map(|v| serde_json::to_value(v).unwrap_or_default()).collect(),
                        })
                        .collect(),
                    combinations: self.plan.combinations,
                    replications: self.plan.replications,
                    shard: self.sweep.shard.map(|(i, n)| format!("{i}/{n}")),
                    rows: std::mem::take(&mut self.rows),
                    summaries: std::mem::take(&mut self.summaries),
                    pick: pick.clone(),
                };
                self.out.write_all(report::json_text(&doc)?.as_bytes())?;
            }
            SweepFormat::Text => {
                let text = crate::sweep_text::text(
                    self.plan.name,
                    self.plan.axes,
                    self.plan.combinations,
                    self.plan.replications,
                    self.sweep.shard,
                    &self.summaries,
                    pick.as_ref(),
                );
                self.out.write_all(text.as_bytes())?;
            }
        }
        self.out.flush()?;
        Ok(pick)
    }
}

/// A JSON value as a CSV field: strings bare, the rest as JSON.
fn csv_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

fn csv_line(out: &mut dyn Write, fields: &[String]) -> anyhow::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(fields)?;
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "seed = 3\nhorizon_s = 60\n[[functions]]\nname = \"api\"\nworkload = { type = \"poisson\", rate_per_s = 40 }\nhandler = { type = \"exponential\", mean_ms = 200 }\n";

    fn sweep(format: SweepFormat, threads: usize, shard: Option<(u32, u32)>) -> String {
        let s = Sweep {
            axes: vec![
                Axis::parse("functions[name=api].reserved=2..8:3").unwrap(),
                Axis::parse("functions[0].memory_mb=512,1024").unwrap(),
            ],
            replications: Some(2),
            shard,
            threads: Some(threads),
            format,
            pick: Some(Pick::parse("min cost where throttle_probability < 0.5").unwrap()),
            progress: false,
        };
        let mut out = Vec::new();
        run_sweep("s.toml", TEXT, Format::Toml, Path::new("."), &s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_output_does_not_depend_on_the_thread_count() {
        for format in [SweepFormat::Csv, SweepFormat::Json, SweepFormat::Text] {
            assert_eq!(sweep(format, 1, None), sweep(format, 2, None), "{format:?}");
        }
    }

    #[test]
    fn shards_together_are_the_whole_sweep() {
        let whole = sweep(SweepFormat::Csv, 2, None);
        let mut lines: Vec<&str> = whole.lines().collect();
        assert_eq!(lines.len(), 1 + 3 * 2 * 2, "{whole}");
        let header = lines.remove(0);
        assert_eq!(
            header,
            "combination,functions[name=api].reserved,functions[0].memory_mb,replication,seed,requests,cold_start_probability,throttle_probability,p99_response_ms,cost_usd"
        );
        let (a, b) = (sweep(SweepFormat::Csv, 1, Some((0, 2))), sweep(SweepFormat::Csv, 2, Some((1, 2))));
        let mut union: Vec<&str> = a.lines().skip(1).chain(b.lines().skip(1)).collect();
        union.sort_by_key(|l| l.split(',').next().and_then(|c| c.parse::<u64>().ok()));
        assert_eq!(union, lines);
        // Combination 0 is reserved 2 at 512 MB, replications 0 and 1 with seeds 3 and 4.
        assert!(lines[0].starts_with("0,2,512,0,3,") && lines[1].starts_with("0,2,512,1,4,"), "{whole}");
        assert!(lines[2].starts_with("1,2,1024,0,3,"), "{whole}");
    }

    #[test]
    fn json_has_rows_summaries_and_the_pick() {
        let v: serde_json::Value = serde_json::from_str(&sweep(SweepFormat::Json, 2, None)).unwrap();
        assert_eq!(v["combinations"], 6);
        assert_eq!(v["rows"].as_array().unwrap().len(), 12);
        let summaries = v["summaries"].as_array().unwrap();
        assert_eq!(summaries.len(), 6);
        assert_eq!(summaries[0]["cost_usd"]["n"], 2);
        assert!(summaries[0]["cost_usd"]["ci95"].is_array());
        let pick = &v["pick"];
        let c = pick["combination"].as_u64().unwrap() as usize;
        // The pick is the cheapest combination below half throttled.
        let ok = |s: &serde_json::Value| s["throttle_probability"]["mean"].as_f64().unwrap() < 0.5;
        let cost = |s: &serde_json::Value| s["cost_usd"]["mean"].as_f64().unwrap();
        let best = summaries.iter().filter(|s| ok(s)).map(cost).fold(f64::INFINITY, f64::min);
        assert_eq!(cost(&summaries[c]), best);
        assert_eq!(pick["set"], summaries[c]["set"]);
    }

    #[test]
    fn ranges_and_lists() {
        let v = |s: &str| Axis::parse(s).map(|a| a.values.iter().map(shown).collect::<Vec<_>>());
        assert_eq!(v("seed=1..3").unwrap(), ["1", "2", "3"]);
        assert_eq!(v("x=0.1..0.5:0.2").unwrap(), ["0.1", "0.3", "0.5"]);
        assert_eq!(v("x=10..35:10").unwrap(), ["10", "20", "30"]);
        assert_eq!(v("x=a,\"b,c\",{ t = 1, u = 2 }").unwrap().len(), 3);
        assert!(v("x=5..1:1").unwrap_err().contains("needs FROM ≤ TO"));
        assert!(v("x=1..2:0").unwrap_err().contains("STEP above 0"));
        assert!(v("x=0..1e9:1").unwrap_err().contains("more than 10000 values"));
        assert!(v("x=a..b").unwrap_err().contains("expected FROM..TO:STEP"));
        assert!(v("x").unwrap_err().contains("expected PATH=V1,V2"));
    }

    #[test]
    fn too_large_bad_or_duplicate_sweeps_fail_before_running() {
        let run = |axes: &[&str], replications: u32| {
            let s = Sweep {
                axes: axes.iter().map(|a| Axis::parse(a).unwrap()).collect(),
                replications: Some(replications),
                shard: None,
                threads: Some(1),
                format: SweepFormat::Csv,
                pick: None,
                progress: false,
            };
            let mut out = Vec::new();
            let e = run_sweep("s.toml", TEXT, Format::Toml, Path::new("."), &s, &mut out).unwrap_err().to_string();
            (e, out)
        };
        let (e, out) = run(&["seed=1..10000", "horizon_s=1..10000"], 1);
        assert!(e.contains("10000 × 10000 combinations × 1 replications, more than 1000000 runs"), "{e}");
        assert!(out.is_empty());
        let (e, _) = run(&["seed=1..5", "seed=6"], 1);
        assert!(e.contains("seed is set twice"), "{e}");
        // The third combination is not a valid scenario: nothing runs.
        let (e, out) = run(&["functions[0].memory_mb=512,1024,64"], 1);
        assert!(
            e.contains("functions[0].memory_mb") && e.contains("[combination 2: functions[0].memory_mb=64]"),
            "{e}"
        );
        assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
        // A path that leads nowhere is named once, not as a combination.
        let (e, _) = run(&["functions[4].memory_mb=512,1024"], 1);
        assert_eq!(e, "s.toml: functions[4].memory_mb: [4]: the list has 1 entry, [0]");
        let (e, _) = run(&["seed=1"], 0);
        assert!(e.contains("--replications must be in 1..=10000 (got 0)"), "{e}");
    }
}
