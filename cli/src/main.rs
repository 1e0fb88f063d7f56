//! `lambdasim`: run AWS Lambda simulations, price usage, tune memory.
//!
//! Exit codes: 0 success; 1 an I/O or internal error; 2 a bad scenario,
//! usage file or command line (the message names the file, line, column and
//! field).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

mod cost;
mod metrics;
mod svg;
mod svg_axes;
mod svg_latency;
mod svg_metrics;
mod svg_run;
mod sweep;
mod timings;
mod tune;
mod validate;

// The scenario machinery is shared with the C ABI; these imports keep
// `crate::scenario` and friends meaning the same thing as before.
use lambdasim_scenario::{doc, money, overrides, report, run, scenario, study};

use clap::{Args, Parser, Subcommand};
use doc::DocError;
use scenario::{ArchSpec, Prepared};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Deterministic AWS Lambda simulations: concurrency, cold starts, throttles and bills.
#[derive(Debug, Parser)]
#[command(name = "lambdasim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario (the embedded default when none is given) and report.
    Run(RunArgs),
    /// Print the default scenario (TOML, documented field by field).
    Scenario,
    /// Price a month of usage like AWS's bill.
    Cost(CostArgs),
    /// Power tuning: which memory size is cheapest, fastest or balanced.
    Tune(TuneCli),
    /// Concurrency = requests per second × average duration, against the limits.
    Concurrency(ConcurrencyArgs),
    /// Replay the 2020 AWS cold-start measurements and compare.
    Validate(ValidateArgs),
    /// A scenario's CloudWatch metrics, period by period (CSV, JSON lines or EMF).
    Metrics(metrics::MetricsArgs),
    /// Run a scenario over every combination of --set values, in parallel.
    Sweep(sweep::SweepArgs),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Scenario file (TOML or JSON); the embedded default when omitted.
    scenario: Option<PathBuf>,
    /// Seed (replication r uses seed + r); overrides the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Simulated seconds; overrides the scenario's horizon_s.
    #[arg(long)]
    horizon_s: Option<f64>,
    /// Replications; overrides the scenario's.
    #[arg(long)]
    replications: Option<u32>,
    /// Override a field before the scenario is checked: PATH=VALUE, e.g.
    /// functions[0].memory_mb=1024 or functions[name=api].provisioned=5 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Run only replications r with r % N == I (0-based), e.g. 0/4.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Print JSON (documented in cli/README.md).
    #[arg(long)]
    json: bool,
    /// Write an SVG chart of concurrency, cold starts and throttles per minute.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Time each phase (reading, building, simulating, series, bill,
    /// rendering, SVG) and print it, with the peak RSS, on stderr after the
    /// report; with --json also as the document's last field, "timings".
    #[arg(long)]
    timings: bool,
    /// Apply the monthly free tier to the total bill and the 30-day
    /// projection (as `[pricing] free_tier = true`; off by default, said
    /// on the report's first line).
    #[arg(long)]
    free_tier: bool,
}

#[derive(Debug, Args)]
struct CostArgs {
    /// Usage file (TOML or JSON): invocation batches and provisioned spans.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["requests", "duration_ms", "memory_mb", "provisioned"])]
    usage: Option<PathBuf>,
    /// On-demand requests in the month (not on provisioned concurrency).
    #[arg(long, default_value_t = 0)]
    requests: u64,
    /// Duration of each on-demand request, ms.
    #[arg(long, default_value_t = 0.0)]
    duration_ms: f64,
    /// Memory, MB.
    #[arg(long, default_value_t = 128)]
    memory_mb: u32,
    /// Architecture.
    #[arg(long, value_enum, default_value = "x86_64")]
    arch: ArchSpec,
    /// Ephemeral storage, MB (512 free).
    #[arg(long, default_value_t = 512)]
    ephemeral_mb: u32,
    /// Apply the monthly free tier (the default).
    #[arg(long, overrides_with = "no_free_tier")]
    free_tier: bool,
    /// Do not apply the free tier.
    #[arg(long, overrides_with = "free_tier")]
    no_free_tier: bool,
    /// current (1 ms billing, today's prices) or 2020 (100 ms billing, old price).
    #[arg(long, value_enum, default_value = "current")]
    billing_era: cost::Era,
    /// Billing granularity, overriding the era's: 1ms or 100ms.
    #[arg(long, value_enum)]
    granularity: Option<scenario::GranularitySpec>,
    /// Provisioned concurrency configured.
    #[arg(long, default_value_t = 0)]
    provisioned: u32,
    /// Hours provisioned concurrency was enabled.
    #[arg(long, default_value_t = 0.0)]
    provisioned_hours: f64,
    /// Requests that ran on provisioned concurrency.
    #[arg(long, default_value_t = 0)]
    provisioned_requests: u64,
    /// Duration of each request on provisioned concurrency, ms.
    #[arg(long, default_value_t = 0.0)]
    provisioned_duration_ms: f64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct TuneCli {
    /// I/O time per invocation (unaffected by CPU), ms.
    #[arg(long, default_value_t = 0.0)]
    io_ms: f64,
    /// CPU time per invocation at one full vCPU, ms.
    #[arg(long, conflicts_with = "samples")]
    cpu_ms: Option<f64>,
    /// Threads the CPU work can use.
    #[arg(long, default_value_t = 1)]
    threads: u32,
    /// Measured samples: CSV rows memory_mb,duration_ms (≥ 5 per size).
    #[arg(long, value_name = "FILE")]
    samples: Option<PathBuf>,
    /// Memory sizes: default, all, or a list like 128,256,512.
    #[arg(long, conflicts_with = "samples")]
    memory: Option<String>,
    /// How to pick.
    #[arg(long, value_enum, default_value = "cost")]
    strategy: tune::StrategyArg,
    /// Balanced weight w in [0, 1] (1 = cost only, 0 = speed only).
    #[arg(long, default_value_t = 0.5)]
    weight: f64,
    /// Architecture.
    #[arg(long, value_enum, default_value = "x86_64")]
    arch: ArchSpec,
    /// current (1 ms billing) or 2020 (100 ms billing, old price).
    #[arg(long, value_enum, default_value = "current")]
    billing_era: cost::Era,
    /// The configured timeout, ms, checked against the p99 duration.
    #[arg(long, default_value_t = 3_000)]
    timeout_ms: u32,
    /// Write an SVG chart of cost and duration against memory.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ConcurrencyArgs {
    /// Average requests per second.
    #[arg(long)]
    rps: f64,
    /// Average request duration, ms.
    #[arg(long)]
    duration_ms: f64,
    /// Account concurrency limit.
    #[arg(long, default_value_t = 1_000)]
    account_limit: u32,
    /// Reserved (and provisioned, without reserved) concurrency of other functions.
    #[arg(long, default_value_t = 0)]
    reserved_elsewhere: u32,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// The measurements CSV (default: the copy of data/aws-lambda-2020-coldstarts.csv built in).
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Simulated seconds per row (default: the slowest row sees ≥ 5000 requests, at least 10^6 s).
    #[arg(long)]
    horizon_s: Option<f64>,
    /// Seed (row i uses seed + i).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Maximum environment lifetime, s (0 = off, the default: data/README.md
    /// prescribes the 10-minute idle timeout as how environments end; 7200
    /// turns on the 2-hour recycling of docs/model.md §1).
    #[arg(long, default_value_t = 0.0)]
    max_lifetime_s: f64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let start = std::time::Instant::now();
    let cli = Cli::parse();
    match dispatch(cli.command, start) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code =
                if e.downcast_ref::<DocError>().is_some() || e.downcast_ref::<UsageError>().is_some() { 2 } else { 1 };
            eprintln!("lambdasim: {e:#}");
            ExitCode::from(code)
        }
    }
}

/// A bad command line found after clap's checks (exit 2).
#[derive(Debug)]
struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

fn dispatch(command: Command, start: std::time::Instant) -> anyhow::Result<()> {
    match command {
        Command::Run(a) => cmd_run(&a, start),
        Command::Scenario => {
            print(scenario::DEFAULT_SCENARIO);
            Ok(())
        }
        Command::Cost(a) => cmd_cost(&a),
        Command::Tune(a) => cmd_tune(&a),
        Command::Concurrency(a) => cmd_concurrency(&a),
        Command::Validate(a) => cmd_validate(&a),
        Command::Metrics(a) => cmd_metrics(&a),
        Command::Sweep(a) => sweep::cmd_sweep(&a),
    }
}

/// Writes to stdout, ignoring a closed pipe.
fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// Prints JSON as `report::json_text` writes it (the C ABI returns the same bytes).
fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    print(&report::json_text(value)?);
    Ok(())
}

fn write_file(path: &Path, contents: &str) -> anyhow::Result<()> {
    std::fs::write(path, contents).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// Fails at once, before any simulation, when `path` cannot be written: a
/// missing directory, a directory itself, no permission. The check opens the
/// file for writing without truncating it; a file that did not exist is
/// removed again, so a run that fails later leaves nothing behind.
fn check_writable(path: &Path) -> anyhow::Result<()> {
    let cannot = |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot write {}: {e}", path.display());
    if path.is_dir() {
        return Err(cannot(&"it is a directory"));
    }
    let existed = path.exists();
    std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(path).map_err(|e| cannot(&e))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// `I/N` with I < N.
fn parse_shard(s: &str) -> anyhow::Result<(u32, u32)> {
    let bad = || usage(format!("--shard {s:?}: expected I/N with 0 ≤ I < N, e.g. 0/4"));
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

fn load_scenario(a: &RunArgs) -> anyhow::Result<Prepared> {
    let sets = a
        .set
        .iter()
        .map(|s| overrides::Override::parse(s).map_err(|e| usage(format!("--set {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mut p = match &a.scenario {
        None if sets.is_empty() => scenario::prepare_default()?,
        None => {
            let format = doc::Format::Toml;
            overrides::prepare(scenario::DEFAULT_NAME, scenario::DEFAULT_SCENARIO, format, Path::new("."), &sets)?
        }
        Some(path) => {
            let (name, text, format) = scenario::read(path)?;
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            overrides::prepare(&name, &text, format, dir, &sets)?
        }
    };
    if let Some(seed) = a.seed {
        p.override_seed(seed);
    }
    if a.free_tier {
        p.free_tier = true;
        p.scenario.pricing.free_tier = true;
    }
    if let Some(h) = a.horizon_s {
        let horizon = scenario::horizon(h).map_err(|m| usage(format!("--horizon-s {m}")))?;
        p.override_horizon(horizon);
        p.check_alarms().map_err(|e| usage(format!("--horizon-s: {e:#}")))?;
    }
    if let Some(r) = a.replications {
        let max = scenario::MAX_REPLICATIONS;
        if !(1..=max).contains(&r) {
            return Err(usage(format!("--replications must be in 1..={max} (got {r})")));
        }
        p.scenario.replications = r;
    }
    Ok(p)
}

fn cmd_metrics(a: &metrics::MetricsArgs) -> anyhow::Result<()> {
    let q = a.query().map_err(usage)?;
    if let Some(path) = &a.svg {
        check_writable(path)?;
    }
    let run = RunArgs {
        scenario: a.scenario.clone(),
        seed: a.seed,
        horizon_s: a.horizon_s,
        replications: None,
        set: Vec::new(),
        shard: None,
        json: false,
        svg: None,
        timings: false,
        free_tier: false,
    };
    let p = load_scenario(&run)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let chart = a.write(&p, &q, &mut out)?;
    out.flush()?;
    if let (Some(path), Some(data)) = (&a.svg, chart) {
        let title = format!("{} — CloudWatch metrics, {} s periods, seed {}", p.source, q.period_s, p.config.seed);
        write_file(path, &svg_metrics::metrics_chart(&title, &data))?;
    }
    Ok(())
}

/// The chart of replication `r` (which collected its per-bin series).
fn run_svg(p: &Prepared, r: &run::RunResult) -> anyhow::Result<String> {
    let bins = r.bins.as_ref().ok_or_else(|| anyhow::anyhow!("the charted replication kept no per-bin series"))?;
    let bills = report::bills(p, r)?;
    let title = format!("{} — replication {}, seed {}", p.source, r.replication, r.seed);
    // Each function's latency, then the total's when there are several.
    let mut rows: Vec<_> =
        p.functions.iter().zip(&r.summary.functions).map(|(f, s)| (f.name.clone(), s.latency)).collect();
    if rows.len() > 1 {
        rows.push(("total".to_owned(), r.summary.total.latency));
    }
    // The changes the run made (refused ones changed nothing).
    let made = |i: usize, setting: lambdasim::sim::ScaledSetting| {
        r.scaling
            .iter()
            .filter(move |a| a.function == i && a.setting == setting && a.refused.is_none())
            .map(|a| (a.at.as_micros() as f64 / 1e6, a.to))
    };
    let functions = p
        .functions
        .iter()
        .zip(&bills.functions)
        .enumerate()
        .map(|(i, (f, bill))| svg_run::FunctionView {
            name: &f.name,
            reserved: f.config.reserved,
            provisioned: f.config.provisioned,
            reserved_changes: made(i, lambdasim::sim::ScaledSetting::Reserved).map(|(t, v)| (t, Some(v))).collect(),
            provisioned_changes: made(i, lambdasim::sim::ScaledSetting::Provisioned).collect(),
            bill,
        })
        .collect();
    let reserves = p.functions.iter().any(|f| f.config.reserved.is_some());
    let view = svg_run::RunView {
        title: &title,
        horizon_s: p.config.horizon.as_micros() as f64 / 1e6,
        warmup_s: p.config.warmup.as_micros() as f64 / 1e6,
        account_limit: p.config.region.account_limit,
        unreserved_pool: r.minutes.iter().map(|m| m.unreserved_pool).min().filter(|_| reserves),
        functions,
        bins,
        latency: &rows,
        alarms: &r.alarms,
    };
    Ok(svg_run::run_chart(&view))
}

/// `start`: when the process began (for `--timings`).
fn cmd_run(a: &RunArgs, start: std::time::Instant) -> anyhow::Result<()> {
    if let Some(path) = &a.svg {
        check_writable(path)?;
    }
    let mut p = load_scenario(a)?;
    let read = start.elapsed();
    let shard = match a.shard.as_deref() {
        Some(text) => parse_shard(text).map(|(index, count)| Some(study::Shard { text, index, count }))?,
        None => None,
    };
    if a.svg.is_some() {
        // The chart draws the first replication the run covers.
        p.chart_replication = Some(shard.map_or(0, |s| s.index));
    }
    let p = p;
    let chart = |r: &run::RunResult| match &a.svg {
        Some(path) => write_file(path, &run_svg(&p, r)?),
        None => Ok(()),
    };
    // Each replication is written as soon as it and the earlier ones are done.
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    if !a.timings {
        let mut out = out;
        return study::run_study(&p, shard, a.json, &mut out, chart);
    }
    // Buffered in front of the hold-back too: the JSON printer writes
    // token by token.
    let mut out = std::io::BufWriter::new(timings::HoldBack::new(out));
    let mut t = timings::Timings { read, svg: a.svg.is_some(), ..timings::Timings::default() };
    study::run_study_timed(&p, shard, a.json, &mut out, chart, Some(&mut t.study))?;
    let out = out.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    t.total = start.elapsed();
    let j = t.json();
    if a.json {
        out.finish_with_timings(&j)?;
    } else {
        out.finish()?;
    }
    eprint!("{}", timings::text(&j));
    Ok(())
}

fn cmd_cost(a: &CostArgs) -> anyhow::Result<()> {
    let priced = match &a.usage {
        Some(path) => cost::from_file(path)?,
        None => {
            let flags = cost::Flags {
                requests: a.requests,
                duration_ms: a.duration_ms,
                memory_mb: a.memory_mb,
                arch: a.arch,
                ephemeral_mb: a.ephemeral_mb,
                free_tier: !a.no_free_tier,
                era: a.billing_era,
                granularity: a.granularity,
                provisioned: a.provisioned,
                provisioned_hours: a.provisioned_hours,
                provisioned_requests: a.provisioned_requests,
                provisioned_duration_ms: a.provisioned_duration_ms,
            };
            cost::from_flags(&flags).map_err(|e| usage(e.to_string()))?
        }
    };
    if a.json {
        print_json(&cost::json(&priced))
    } else {
        print(&cost::text(&priced));
        Ok(())
    }
}

fn cmd_tune(a: &TuneCli) -> anyhow::Result<()> {
    let args = tune::TuneArgs {
        io_ms: a.io_ms,
        cpu_ms: a.cpu_ms,
        threads: a.threads,
        samples: a.samples.clone(),
        memory: a.memory.clone(),
        strategy: a.strategy,
        weight: a.weight,
        arch: a.arch,
        era: a.billing_era,
        timeout_ms: a.timeout_ms,
    };
    if let Some(path) = &a.svg {
        check_writable(path)?;
    }
    let t = tune::tune(&args)
        .map_err(|e| if e.downcast_ref::<DocError>().is_some() { e } else { usage(format!("{e:#}")) })?;
    if let Some(path) = &a.svg {
        write_file(path, &tune::chart(&t))?;
    }
    if a.json {
        print_json(&tune::json(&t))
    } else {
        print(&tune::text(&t));
        Ok(())
    }
}

#[derive(serde::Serialize)]
struct ConcurrencyJson {
    rps: f64,
    duration_s: f64,
    concurrency: f64,
    environments: u64,
    account_limit: u32,
    fits_account_limit: bool,
    unreserved_pool: u64,
    fits_unreserved_pool: bool,
    unreserved_min: u32,
    can_reserve: bool,
}

/// The highest `concurrency --rps`: far above any account's request rate,
/// and low enough that rps × the longest duration fits every count.
const MAX_RPS: f64 = 1e9;

fn cmd_concurrency(a: &ConcurrencyArgs) -> anyhow::Result<()> {
    let max_ms = f64::from(lambdasim::FunctionConfig::MAX_TIMEOUT_MS);
    if !(0.0..=MAX_RPS).contains(&a.rps) {
        return Err(usage(format!("--rps must be a number in 0..=1e9 (got {})", doc::number(a.rps))));
    }
    if !(0.0..=max_ms).contains(&a.duration_ms) {
        return Err(usage(format!(
            "--duration-ms must be a number in 0..=900000, the longest Lambda timeout (got {})",
            doc::number(a.duration_ms)
        )));
    }
    let unreserved_min = lambdasim::RegionConfig::default().unreserved_min;
    let duration_s = a.duration_ms / 1e3;
    let c = a.rps * duration_s;
    let envs = c.ceil() as u64;
    let limit = u64::from(a.account_limit);
    let pool = limit.saturating_sub(u64::from(a.reserved_elsewhere));
    let can_reserve =
        envs.saturating_add(u64::from(a.reserved_elsewhere)).saturating_add(u64::from(unreserved_min)) <= limit;
    if a.json {
        return print_json(&ConcurrencyJson {
            rps: a.rps,
            duration_s,
            concurrency: c,
            environments: envs,
            account_limit: a.account_limit,
            fits_account_limit: envs <= limit,
            unreserved_pool: pool,
            fits_unreserved_pool: envs <= pool,
            unreserved_min,
            can_reserve,
        });
    }
    let n = report::num;
    let yes = |b: bool| if b { "fits" } else { "does NOT fit: expect throttles (ConcurrentInvocationLimitExceeded)" };
    let mut out = format!("{} req/s × {} s = {} concurrent executions\n", n(a.rps), n(duration_s), n(c));
    out.push_str(&format!("  ⇒ Lambda needs about {envs} execution environments to serve it without throttling\n"));
    let share = if limit > 0 { c / limit as f64 * 100.0 } else { 0.0 };
    out.push_str(&format!(
        "account limit {}{}: {} ({:.1} % of it)\n",
        a.account_limit,
        if a.account_limit == 1_000 { " (the default)" } else { "" },
        yes(envs <= limit),
        share
    ));
    out.push_str(&format!(
        "unreserved pool {pool} (limit {} − {} reserved elsewhere): {} without reserved concurrency, shared with every function that has none\n",
        a.account_limit,
        a.reserved_elsewhere,
        yes(envs <= pool)
    ));
    if can_reserve {
        out.push_str(&format!(
            "reserving {envs} for it is allowed: it leaves {} unreserved (minimum {unreserved_min})\n",
            pool.saturating_sub(envs)
        ));
    } else {
        out.push_str(&format!(
            "reserving {envs} for it is NOT allowed: less than {unreserved_min} would stay unreserved (InvalidParameterValueException); ask AWS to raise the account limit\n"
        ));
    }
    print(&out);
    Ok(())
}

fn cmd_validate(a: &ValidateArgs) -> anyhow::Result<()> {
    let (name, text) = match &a.data {
        Some(path) => (
            path.display().to_string(),
            std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?,
        ),
        None => (validate::DATA_NAME.to_owned(), validate::DATA.to_owned()),
    };
    let rows = validate::parse(&name, &text)?;
    let v = validate::validate(&name, &rows, a.seed, a.horizon_s, a.max_lifetime_s)
        .map_err(|e| if e.downcast_ref::<DocError>().is_some() { e } else { usage(format!("{e:#}")) })?;
    if a.json {
        print_json(&v)
    } else {
        print(&validate::text(&v));
        Ok(())
    }
}
