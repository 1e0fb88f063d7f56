//! Scenario files: the schema (TOML or JSON), its checks, and turning a
//! scenario into simulator inputs (with trace files loaded).

use crate::doc::{self, DocError, Format, Locator};
use crate::traces;
use crate::workloads::{PointSpec, RepeatSpec, SpacingSpec};
use lambdasim::function::ColdStartProfile;
use lambdasim::pricing::{Architecture, Granularity, PriceBook};
use lambdasim::sim::{DurationDist, HybridPolicy, KeepAlive, SimConfig, SimFunction, Workload};
use lambdasim::{Duration, FunctionConfig, MemoryMb, MemoryRule, RegionConfig, ScalingRule, WarmPick};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The embedded default scenario (`lambdasim scenario` prints it).
pub const DEFAULT_SCENARIO: &str = include_str!("../default-scenario.toml");
/// The name the default scenario is reported under.
pub const DEFAULT_NAME: &str = "(default scenario)";
/// Function slots of the simulator the CLI runs.
pub const MAX_FUNCTIONS: usize = 64;
/// The longest horizon (`horizon_s`, `lambdasim run --horizon-s`): 366
/// days, a year of simulated time whether leap or not. A run costs time
/// in proportion to its requests, and its per-minute series grows with it.
pub const MAX_HORIZON_S: f64 = 31_622_400.0;
/// [`MAX_HORIZON_S`] in microseconds.
pub const MAX_HORIZON_US: u64 = 31_622_400_000_000;
/// The most replications a scenario (or `--replications`) may ask for.
pub const MAX_REPLICATIONS: u32 = 10_000;
/// The most values an empirical distribution (`values_ms`) may list.
pub const MAX_EMPIRICAL_VALUES: usize = 10_000_000;
/// The highest arrival rate of any workload, requests per second (one per
/// µs on average: the simulator's clock resolution).
pub const MAX_RATE_PER_S: f64 = lambdasim::sim::workload::MAX_RATE_PER_S;

fn default_seed() -> u64 {
    1
}
fn default_horizon() -> f64 {
    3_600.0
}
fn one() -> u32 {
    1
}

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Seed of every random stream (replication r uses seed + r).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Simulated time, seconds.
    #[serde(default = "default_horizon")]
    pub horizon_s: f64,
    /// Initial time excluded from counts and averages, seconds.
    #[serde(default)]
    pub warmup_s: f64,
    /// Independent runs, 1..=[`MAX_REPLICATIONS`] (checked while reading).
    #[serde(default = "one", deserialize_with = "crate::fields::replications")]
    pub replications: u32,
    /// Region settings.
    #[serde(default)]
    pub region: RegionSpec,
    /// Prices.
    #[serde(default)]
    pub pricing: PricingSpec,
    /// The functions.
    pub functions: Vec<FunctionSpec>,
    /// CloudWatch alarms evaluated on each run ([`crate::alarms`]).
    #[serde(default)]
    pub alarms: Vec<crate::alarms::AlarmSpec>,
}

/// `[region]`: every `RegionConfig` setting in human units.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegionSpec {
    pub account_limit: u32,
    pub unreserved_min: u32,
    pub scaling: ScalingSpec,
    pub request_rate_per_limit: u32,
    pub idle_timeout_s: f64,
    pub max_lifetime_s: f64,
    pub shutdown_ms: f64,
    pub warm_pick: WarmPickSpec,
    pub memory_rule: MemoryRuleSpec,
    pub provisioned_delay_s: f64,
    pub provisioned_per_minute: u32,
    pub granularity: GranularitySpec,
    pub bill_init: bool,
}

impl Default for RegionSpec {
    fn default() -> Self {
        let d = RegionConfig::default();
        RegionSpec {
            account_limit: d.account_limit,
            unreserved_min: d.unreserved_min,
            scaling: ScalingSpec::PerFunction,
            request_rate_per_limit: d.request_rate_per_limit,
            idle_timeout_s: secs(d.idle_timeout),
            max_lifetime_s: secs(d.max_lifetime),
            shutdown_ms: secs(d.shutdown) * 1e3,
            warm_pick: WarmPickSpec::Mru,
            memory_rule: MemoryRuleSpec::Current,
            provisioned_delay_s: secs(d.provisioned_delay),
            provisioned_per_minute: d.provisioned_per_minute,
            granularity: GranularitySpec::Ms1,
            bill_init: d.bill_init,
        }
    }
}

fn secs(d: Duration) -> f64 {
    d.as_micros() as f64 / 1e6
}

/// The scaling-rate rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ScalingSpec {
    /// Today's: 1000 new environments per 10 s per function.
    PerFunction,
    /// The legacy account-wide burst, then 500 per minute.
    LegacyBurst(u32),
    /// The legacy rule with the burst of a named AWS region.
    LegacyRegion(String),
}

/// Which idle environment a warm start reuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum WarmPickSpec {
    /// Most recently used.
    #[serde(rename = "mru")]
    Mru,
    /// Least recently used.
    #[serde(rename = "lru")]
    Lru,
}

/// The memory-size rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum MemoryRuleSpec {
    /// 128..=10240 MB in 1 MB steps.
    #[serde(rename = "current")]
    Current,
    /// 128..=3008 MB in 64 MB steps.
    #[serde(rename = "legacy64")]
    Legacy64,
}

/// Billing granularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum GranularitySpec {
    /// 1 ms.
    #[serde(rename = "1ms")]
    #[cfg_attr(feature = "clap", value(name = "1ms"))]
    Ms1,
    /// 100 ms.
    #[serde(rename = "100ms")]
    #[cfg_attr(feature = "clap", value(name = "100ms"))]
    Ms100,
}

impl GranularitySpec {
    pub fn get(self) -> Granularity {
        match self {
            GranularitySpec::Ms1 => Granularity::Ms1,
            GranularitySpec::Ms100 => Granularity::Ms100,
        }
    }
}

/// `[pricing]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PricingSpec {
    pub prices: PricesSpec,
    pub free_tier: bool,
}

impl Default for PricingSpec {
    fn default() -> Self {
        PricingSpec { prices: PricesSpec::UsEast1, free_tier: false }
    }
}

/// A price book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PricesSpec {
    /// Today's us-east-1 prices.
    #[serde(rename = "us-east-1")]
    UsEast1,
    /// The 100 ms era's flat x86 price (0.00001667 per GB-s).
    #[serde(rename = "us-east-1-2020")]
    UsEast1_2020,
}

impl PricesSpec {
    pub fn book(self) -> PriceBook {
        match self {
            PricesSpec::UsEast1 => PriceBook::US_EAST_1,
            PricesSpec::UsEast1_2020 => PriceBook::US_EAST_1_2020,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            PricesSpec::UsEast1 => "us-east-1",
            PricesSpec::UsEast1_2020 => "us-east-1-2020",
        }
    }
}

/// An architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum ArchSpec {
    /// x86_64.
    #[default]
    #[serde(rename = "x86_64")]
    #[cfg_attr(feature = "clap", value(name = "x86_64"))]
    X86_64,
    /// arm64.
    #[serde(rename = "arm64")]
    #[cfg_attr(feature = "clap", value(name = "arm64"))]
    Arm64,
}

impl ArchSpec {
    pub fn get(self) -> Architecture {
        match self {
            ArchSpec::X86_64 => Architecture::X86_64,
            ArchSpec::Arm64 => Architecture::Arm64,
        }
    }
}

fn d_memory() -> u32 {
    MemoryMb::DEFAULT.get()
}
fn d_timeout() -> u32 {
    FunctionConfig::DEFAULT_TIMEOUT_MS
}
fn d_ephemeral() -> u32 {
    lambdasim::pricing::FREE_EPHEMERAL_MB
}
fn d_sandbox() -> f64 {
    ColdStartProfile::default().sandbox_us as f64 / 1e3
}
fn d_download() -> f64 {
    ColdStartProfile::default().download_us_per_mb as f64 / 1e3
}
fn d_package() -> u32 {
    ColdStartProfile::default().package_mb
}
fn d_init() -> f64 {
    ColdStartProfile::default().init_us as f64 / 1e3
}

/// One `[[functions]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionSpec {
    pub name: String,
    #[serde(default = "d_memory")]
    pub memory_mb: u32,
    #[serde(default = "d_timeout")]
    pub timeout_ms: u32,
    #[serde(default)]
    pub reserved: Option<u32>,
    #[serde(default)]
    pub provisioned: u32,
    #[serde(default)]
    pub architecture: ArchSpec,
    #[serde(default = "d_ephemeral")]
    pub ephemeral_mb: u32,
    #[serde(default = "d_sandbox")]
    pub sandbox_ms: f64,
    #[serde(default = "d_download")]
    pub download_ms_per_mb: f64,
    #[serde(default = "d_package")]
    pub package_mb: u32,
    #[serde(default = "d_init")]
    pub init_ms: f64,
    pub workload: WorkloadSpec,
    pub handler: DistSpec,
    #[serde(default)]
    pub init: Option<DistSpec>,
    #[serde(default)]
    pub error_rate: f64,
    #[serde(default)]
    pub crash_rate: f64,
    #[serde(default)]
    pub keep_alive: KeepAliveSpec,
    /// Scheduled changes of provisioned and reserved concurrency.
    #[serde(default)]
    pub provisioned_schedule: Vec<crate::pc_schedule::ScheduleSpec>,
    /// Target tracking of provisioned concurrency utilization.
    #[serde(default)]
    pub provisioned_autoscaling: Option<crate::pc_schedule::AutoscalingSpec>,
}

/// When requests arrive.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkloadSpec {
    /// No requests.
    Idle,
    /// Poisson arrivals.
    Poisson { rate_per_s: f64 },
    /// Evenly spaced arrivals, the first at t = 0.
    Constant { rate_per_s: f64 },
    /// Poisson arrivals during on periods only (starting on).
    OnOff { rate_per_s: f64, on_s: f64, off_s: f64 },
    /// Poisson arrivals at a rate moving linearly, then flat.
    Ramp { from_per_s: f64, to_per_s: f64, over_s: f64 },
    /// Azure Functions 2019 per-minute counts of one or more HashFunction
    /// rows (summed); `repeat` plays the trace again.
    Azure {
        file: String,
        function: OneOrMany,
        #[serde(default)]
        repeat: Option<RepeatSpec>,
    },
    /// Per-invocation CSV `timestamp_ms,function,duration_ms`; `repeat`
    /// plays the trace again.
    InvocationsCsv {
        file: String,
        function: String,
        #[serde(default)]
        repeat: Option<RepeatSpec>,
    },
    /// A smooth daily curve between `trough_per_s` and `peak_per_s`.
    Diurnal {
        peak_per_s: f64,
        trough_per_s: f64,
        #[serde(default = "crate::workloads::day_s")]
        period_s: f64,
        peak_at_s: f64,
        #[serde(default)]
        arrivals: SpacingSpec,
    },
    /// Piecewise-linear rates, optionally repeating.
    Schedule {
        points: Vec<PointSpec>,
        #[serde(default)]
        repeat: Option<RepeatSpec>,
        #[serde(default)]
        arrivals: SpacingSpec,
    },
    /// The superposition of workloads (none a sum).
    Sum { parts: Vec<WorkloadSpec> },
}

/// A string or a list of strings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A duration distribution.
///
/// Read through `fields::DistFields` rather than as a serde-tagged enum: a tagged
/// enum buffers its whole table in serde's generic form before looking at
/// `type` (tens of bytes per number of a long `values_ms`); the flat struct
/// reads the list straight into its vector.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "crate::fields::DistFields")]
pub enum DistSpec {
    Fixed { ms: f64 },
    Exponential { mean_ms: f64 },
    Lognormal { median_ms: f64, sigma: f64 },
    Empirical { values_ms: Vec<f64> },
    Profile { io_ms: f64, cpu_ms: f64, threads: u32 },
}

/// The keep-alive policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeepAliveSpec {
    /// The region's idle timeout.
    #[default]
    Fixed,
    /// The hybrid histogram policy (Shahrad et al., ATC '20), default settings.
    Hybrid,
}

/// A distribution with its samples owned.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedDist {
    Plain(DurationDist<'static>),
    Empirical(Vec<u64>),
}

impl OwnedDist {
    pub fn get(&self) -> DurationDist<'_> {
        match self {
            OwnedDist::Plain(d) => *d,
            OwnedDist::Empirical(v) => DurationDist::Empirical(v),
        }
    }
}

/// One function ready to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub name: String,
    pub config: FunctionConfig,
    pub workload: OwnedWorkload,
    pub handler: OwnedDist,
    pub init: Option<OwnedDist>,
    pub error_ppm: u32,
    pub crash_ppm: u32,
    pub keep_alive: KeepAlive,
    /// How the function's trace rows were used (trace workloads only).
    pub trace: Option<traces::TraceRows>,
    /// Scheduled actions or target tracking of its concurrency, if any.
    pub control: Option<crate::pc_schedule::Control>,
}

impl Loaded {
    /// The function for the simulator; a sum workload needs its parts:
    /// use [`sim_functions`] (here a sum is refused as invalid).
    pub fn sim_function(&self) -> SimFunction<'_> {
        self.sim_function_with(&[])
    }

    /// The function for the simulator, a sum workload made of `parts`
    /// ([`OwnedWorkload::parts`]).
    pub fn sim_function_with<'a>(&'a self, parts: &'a [Workload<'a>]) -> SimFunction<'a> {
        SimFunction {
            config: self.config,
            workload: self.workload.get_with(parts),
            handler: self.handler.get(),
            init: self.init.as_ref().map(OwnedDist::get),
            error_ppm: self.error_ppm,
            crash_ppm: self.crash_ppm,
            keep_alive: self.keep_alive,
        }
    }
}

pub use crate::workloads::{OwnedWorkload, sim_functions, workload_parts};

/// A scenario checked and ready to run.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// How the scenario is named in reports.
    pub source: String,
    pub scenario: Scenario,
    pub config: SimConfig,
    pub functions: Vec<Loaded>,
    pub prices: PriceBook,
    pub free_tier: bool,
    /// The alarms, checked.
    pub alarms: Vec<crate::alarms::PreparedAlarm>,
    /// The replication that also collects per-bin series for a chart
    /// ([`crate::bins`]; `lambdasim run --svg`); `None`: none does.
    pub chart_replication: Option<u32>,
}

impl Prepared {
    /// Replaces the seed (`lambdasim run --seed`): replication r uses seed + r.
    pub fn override_seed(&mut self, seed: u64) {
        self.config.seed = seed;
        self.scenario.seed = seed;
    }

    /// Replaces the horizon (`lambdasim run --horizon-s`, checked by the
    /// caller to be above 0). A warm-up not shorter than the new horizon
    /// becomes a tenth of it.
    /// Whether the alarms' metric store fits the horizon (after
    /// [`Prepared::override_horizon`]): too many periods or bytes is an
    /// error saying what to change.
    ///
    /// # Errors
    /// As [`crate::alarms::store_for`].
    pub fn check_alarms(&self) -> anyhow::Result<()> {
        let functions = u32::try_from(self.functions.len()).unwrap_or(u32::MAX);
        crate::alarms::store_for(&self.alarms, functions, self.config.horizon).map(|_| ())
    }

    pub fn override_horizon(&mut self, horizon: Duration) {
        self.config.horizon = horizon;
        self.scenario.horizon_s = secs(horizon);
        if self.config.warmup >= self.config.horizon {
            // Keep the warm-up a tenth of a shortened run.
            self.config.warmup = Duration::from_micros(horizon.as_micros() / 10);
            self.scenario.warmup_s = secs(self.config.warmup);
        }
    }
}

/// Reads a scenario file (exit 1 on I/O errors, 2 on bad content: text
/// that is not UTF-8 is a [`DocError`] at the first bad byte).
pub fn read(path: &Path) -> anyhow::Result<(String, String, Format)> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read scenario {}: {e}", path.display()))?;
    let name = path.display().to_string();
    doc::utf8(&name, &bytes, "scenario")?;
    let text = String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let format = Format::detect(path, &text);
    Ok((name, text, format))
}

/// Parses and checks a scenario; `dir` resolves relative trace paths.
///
/// # Errors
/// [`DocError`] (exit 2) for bad content; other errors (trace I/O) exit 1.
pub fn prepare(name: &str, text: &str, format: Format, dir: &Path) -> anyhow::Result<Prepared> {
    let scenario: Scenario = doc::parse(name, text, format)?;
    let checker = Checker { name, locator: Locator::new(text, format), scenario: &scenario };
    let config = checker.sim_config()?;
    let mut functions = Vec::with_capacity(scenario.functions.len());
    for (i, f) in scenario.functions.iter().enumerate() {
        functions.push(checker.function(i, f, &config.region, dir)?);
    }
    checker.account(&config.region)?;
    let names: Vec<String> = scenario.functions.iter().map(|f| f.name.clone()).collect();
    let alarms = crate::alarms::prepare(&scenario.alarms, &names, |i, key, msg| checker.alarm_err(i, key, msg))?;
    let functions_n = u32::try_from(functions.len()).unwrap_or(u32::MAX);
    crate::alarms::store_for(&alarms, functions_n, config.horizon)
        .map_err(|e| checker.alarm_err(0, "period_s", format!("{e:#}")))?;
    Ok(Prepared {
        alarms,
        chart_replication: None,
        source: name.to_owned(),
        prices: scenario.pricing.prices.book(),
        free_tier: scenario.pricing.free_tier,
        scenario,
        config,
        functions,
    })
}

/// The default scenario, prepared.
pub fn prepare_default() -> anyhow::Result<Prepared> {
    prepare(DEFAULT_NAME, DEFAULT_SCENARIO, Format::Toml, Path::new("."))
}

/// Semantic checks with errors pointing into the file.
pub(crate) struct Checker<'a> {
    name: &'a str,
    locator: Locator<'a>,
    scenario: &'a Scenario,
}

/// The longest duration of any field, µs (what a `u64` of µs holds, rounded down).
const MAX_DURATION_US: f64 = 1.8e19;

/// Microseconds from a non-negative finite number of `unit` µs.
fn to_us(x: f64, unit: f64) -> Option<u64> {
    let us = x * unit;
    (x.is_finite() && x >= 0.0 && us < MAX_DURATION_US).then(|| us.round() as u64)
}

/// Why a duration of `unit` µs (1e6: seconds, 1e3: ms) was refused.
fn duration_message(x: f64, unit: f64) -> String {
    let (what, max) = if unit >= 1e6 { ("seconds", "1.8e13") } else { ("ms", "1.8e16") };
    format!("must be a number of {what} in 0..{max} (got {})", doc::number(x))
}

fn rate_ok(r: f64) -> bool {
    (0.0..=MAX_RATE_PER_S).contains(&r)
}

/// `s` in double quotes for a message, cut to [`doc::QUOTE_CHARS`] characters.
fn quoted(s: &str) -> String {
    doc::clip(&format!("\"{}\"", s.replace('"', "\\\"")))
}

impl Checker<'_> {
    fn err_at(
        &self,
        section: Option<(&str, Option<usize>, Option<&str>)>,
        key: &str,
        field: String,
        msg: String,
    ) -> DocError {
        let first = key.split('.').next().unwrap_or(key);
        let (line, col) = self.locator.find(section, Some(first));
        DocError { file: self.name.to_owned(), line, col, field, message: msg }
    }

    fn top(&self, key: &str, msg: impl Into<String>) -> DocError {
        self.err_at(None, key, key.to_owned(), msg.into())
    }

    fn region_err(&self, key: &str, msg: impl Into<String>) -> DocError {
        self.err_at(Some(("region", None, None)), key, format!("region.{key}"), msg.into())
    }

    pub(crate) fn fn_err(&self, i: usize, key: &str, msg: impl Into<String>) -> DocError {
        let name = self.scenario.functions.get(i).map_or("", |f| f.name.as_str());
        let field = if key.is_empty() { format!("functions[{i}]") } else { format!("functions[{i}].{key}") };
        let msg = format!("function {}: {}", quoted(name), msg.into());
        self.err_at(Some(("functions", Some(i), Some(name))), if key.is_empty() { "name" } else { key }, field, msg)
    }

    fn alarm_err(&self, i: usize, key: &str, msg: String) -> DocError {
        let name = self.scenario.alarms.get(i).map_or("", |a| a.name.as_str());
        let msg = format!("alarm {}: {msg}", quoted(name));
        self.err_at(Some(("alarms", Some(i), Some(name))), key, format!("alarms[{i}].{key}"), msg)
    }

    fn duration(&self, key: &str, x: f64, unit: f64, region: bool) -> Result<Duration, DocError> {
        to_us(x, unit).map(Duration::from_micros).ok_or_else(|| {
            let msg = duration_message(x, unit);
            if region { self.region_err(key, msg) } else { self.top(key, msg) }
        })
    }

    fn sim_config(&self) -> Result<SimConfig, DocError> {
        let s = self.scenario;
        let horizon = horizon(s.horizon_s).map_err(|m| self.top("horizon_s", m))?;
        let warmup = self.duration("warmup_s", s.warmup_s, 1e6, false)?;
        if warmup >= horizon && !warmup.is_zero() {
            return Err(self.top(
                "warmup_s",
                format!(
                    "warm-up ({} s) not shorter than the horizon ({} s)",
                    doc::number(s.warmup_s),
                    doc::number(s.horizon_s)
                ),
            ));
        }
        if !(1..=MAX_REPLICATIONS).contains(&s.replications) {
            return Err(self.top("replications", format!("must be in 1..={MAX_REPLICATIONS} (got {})", s.replications)));
        }
        if s.functions.is_empty() {
            return Err(DocError {
                file: self.name.to_owned(),
                line: 1,
                col: 1,
                field: "functions".into(),
                message: "a scenario needs at least one [[functions]] entry".into(),
            });
        }
        if s.functions.len() > MAX_FUNCTIONS {
            return Err(self.top("functions", format!("at most {MAX_FUNCTIONS} functions (got {})", s.functions.len())));
        }
        Ok(SimConfig { region: self.region()?, seed: s.seed, horizon, warmup })
    }

    fn region(&self) -> Result<RegionConfig, DocError> {
        let r = &self.scenario.region;
        let scaling = match &r.scaling {
            ScalingSpec::PerFunction => ScalingRule::PerFunction,
            ScalingSpec::LegacyBurst(0) => return Err(self.region_err("scaling", "legacy_burst must be above 0")),
            ScalingSpec::LegacyBurst(b) => ScalingRule::LegacyAccount { burst: *b },
            ScalingSpec::LegacyRegion(name) => {
                ScalingRule::LegacyAccount { burst: ScalingRule::legacy_burst_for(name) }
            }
        };
        if r.account_limit == 0 {
            return Err(self.region_err("account_limit", "must be above 0"));
        }
        if r.account_limit < r.unreserved_min {
            return Err(self.region_err(
                "account_limit",
                format!("account limit {} below the unreserved minimum {}", r.account_limit, r.unreserved_min),
            ));
        }
        if r.provisioned_per_minute == 0 || r.provisioned_per_minute > 60_000_000 {
            return Err(self.region_err("provisioned_per_minute", "must be in 1..=60000000"));
        }
        let config = RegionConfig {
            account_limit: r.account_limit,
            unreserved_min: r.unreserved_min,
            scaling,
            request_rate_per_limit: r.request_rate_per_limit,
            idle_timeout: self.duration("idle_timeout_s", r.idle_timeout_s, 1e6, true)?,
            max_lifetime: self.duration("max_lifetime_s", r.max_lifetime_s, 1e6, true)?,
            shutdown: self.duration("shutdown_ms", r.shutdown_ms, 1e3, true)?,
            warm_pick: match r.warm_pick {
                WarmPickSpec::Mru => WarmPick::MostRecentlyUsed,
                WarmPickSpec::Lru => WarmPick::LeastRecentlyUsed,
            },
            memory_rule: match r.memory_rule {
                MemoryRuleSpec::Current => MemoryRule::Current,
                MemoryRuleSpec::Legacy64 => MemoryRule::Legacy64,
            },
            provisioned_delay: self.duration("provisioned_delay_s", r.provisioned_delay_s, 1e6, true)?,
            provisioned_per_minute: r.provisioned_per_minute,
            granularity: r.granularity.get(),
            bill_init: r.bill_init,
        };
        config.validate().map_err(|e| self.region_err("account_limit", e.to_string()))?;
        Ok(config)
    }

    fn fn_duration(&self, i: usize, key: &str, x: f64, unit: f64) -> Result<u64, DocError> {
        to_us(x, unit).ok_or_else(|| self.fn_err(i, key, duration_message(x, unit)))
    }

    fn function(&self, i: usize, f: &FunctionSpec, region: &RegionConfig, dir: &Path) -> anyhow::Result<Loaded> {
        if f.name.trim().is_empty() {
            return Err((self.fn_err(i, "name", "a function needs a non-empty name")).into());
        }
        if let Some(j) = self.scenario.functions.iter().take(i).position(|g| g.name == f.name) {
            return Err((self.fn_err(i, "name", format!("name already used by functions[{j}]"))).into());
        }
        MemoryMb::with_rule(f.memory_mb, region.memory_rule)
            .map_err(|e| self.fn_err(i, "memory_mb", format!("{e} (got {})", f.memory_mb)))?;
        if f.timeout_ms == 0 || f.timeout_ms > FunctionConfig::MAX_TIMEOUT_MS {
            return Err((self.fn_err(
                i,
                "timeout_ms",
                format!("timeout must be in 1..=900000 ms (got {})", f.timeout_ms),
            ))
            .into());
        }
        if !(512..=10_240).contains(&f.ephemeral_mb) {
            return Err((self.fn_err(
                i,
                "ephemeral_mb",
                format!("must be in 512..=10240 MB (got {})", f.ephemeral_mb),
            ))
            .into());
        }
        if f.package_mb > ColdStartProfile::MAX_PACKAGE_MB {
            return Err((self.fn_err(i, "package_mb", format!("at most 10240 MB (got {})", f.package_mb))).into());
        }
        if let Some(rc) = f.reserved
            && f.provisioned > rc
        {
            return Err((self.fn_err(
                i,
                "provisioned",
                format!("provisioned concurrency ({}) above reserved concurrency ({rc})", f.provisioned),
            ))
            .into());
        }
        let cold_start = ColdStartProfile {
            sandbox_us: self.fn_duration(i, "sandbox_ms", f.sandbox_ms, 1e3)?,
            download_us_per_mb: self.fn_duration(i, "download_ms_per_mb", f.download_ms_per_mb, 1e3)?,
            package_mb: f.package_mb,
            init_us: self.fn_duration(i, "init_ms", f.init_ms, 1e3)?,
        };
        let config = FunctionConfig {
            memory_mb: f.memory_mb,
            timeout_ms: f.timeout_ms,
            reserved: f.reserved,
            provisioned: f.provisioned,
            cold_start,
            architecture: f.architecture.get(),
            ephemeral_mb: f.ephemeral_mb,
        };
        config.validate(region.memory_rule).map_err(|e| self.fn_err(i, "", e.to_string()))?;
        for (key, rate) in [("error_rate", f.error_rate), ("crash_rate", f.crash_rate)] {
            if !(rate.is_finite() && (0.0..=1.0).contains(&rate)) {
                return Err(
                    (self.fn_err(i, key, format!("must be a fraction in 0..=1 (got {})", doc::number(rate)))).into()
                );
            }
        }
        if f.error_rate + f.crash_rate > 1.0 {
            return Err((self.fn_err(i, "crash_rate", "error_rate + crash_rate above 1")).into());
        }
        let (workload, trace) = self.load_workload(i, "workload", &f.workload, &f.name, dir)?;
        let control = crate::pc_schedule::check(
            &f.provisioned_schedule,
            f.provisioned_autoscaling.as_ref(),
            f.provisioned,
            f.reserved,
        )
        .map_err(|(key, msg)| self.fn_err(i, &key, msg))?;
        Ok(Loaded {
            control,
            name: f.name.clone(),
            config,
            workload,
            trace,
            handler: self.dist(i, "handler", &f.handler)?,
            init: f.init.as_ref().map(|d| self.dist(i, "init", d)).transpose()?,
            error_ppm: (f.error_rate * 1e6).round() as u32,
            crash_ppm: (f.crash_rate * 1e6).round() as u32,
            keep_alive: match f.keep_alive {
                KeepAliveSpec::Fixed => KeepAlive::Fixed,
                KeepAliveSpec::Hybrid => KeepAlive::Hybrid(HybridPolicy::default()),
            },
        })
    }

    pub(crate) fn workload(&self, i: usize, prefix: &str, w: &WorkloadSpec) -> anyhow::Result<OwnedWorkload> {
        let bad_rate = |key: &str, r: f64| {
            let msg = format!(
                "must be a rate in 0..={} requests per second (got {})",
                doc::number(MAX_RATE_PER_S),
                doc::number(r)
            );
            self.fn_err(i, &format!("{prefix}.{key}"), msg)
        };
        // Periods longer than any run are refused: they only make the
        // thinning and cycle arithmetic meet numbers no run can reach.
        let dur = |key: &str, x: f64| match to_us(x, 1e6) {
            Some(us) if x <= MAX_HORIZON_S => Ok(Duration::from_micros(us)),
            _ => Err(self.fn_err(
                i,
                &format!("{prefix}.{key}"),
                format!(
                    "must be a number of seconds in 0..={} (366 days, the longest horizon) (got {})",
                    doc::number(MAX_HORIZON_S),
                    doc::number(x)
                ),
            )),
        };
        Ok(OwnedWorkload::Plain(match *w {
            WorkloadSpec::Idle => Workload::Idle,
            WorkloadSpec::Poisson { rate_per_s } if rate_ok(rate_per_s) => Workload::Poisson { rate_per_s },
            WorkloadSpec::Constant { rate_per_s } if rate_ok(rate_per_s) => Workload::Constant { rate_per_s },
            WorkloadSpec::Poisson { rate_per_s } | WorkloadSpec::Constant { rate_per_s } => {
                return Err((bad_rate("rate_per_s", rate_per_s)).into());
            }
            WorkloadSpec::OnOff { rate_per_s, on_s, off_s } => {
                if !rate_ok(rate_per_s) {
                    return Err((bad_rate("rate_per_s", rate_per_s)).into());
                }
                let on = dur("on_s", on_s)?;
                if on.is_zero() {
                    return Err((self.fn_err(i, &format!("{prefix}.on_s"), "the on period must be above 0")).into());
                }
                Workload::OnOff { rate_per_s, on, off: dur("off_s", off_s)? }
            }
            WorkloadSpec::Ramp { from_per_s, to_per_s, over_s } => {
                for (k, r) in [("from_per_s", from_per_s), ("to_per_s", to_per_s)] {
                    if !rate_ok(r) {
                        return Err((bad_rate(k, r)).into());
                    }
                }
                Workload::Ramp { from_per_s, to_per_s, over: dur("over_s", over_s)? }
            }
            WorkloadSpec::Azure { .. }
            | WorkloadSpec::InvocationsCsv { .. }
            | WorkloadSpec::Diurnal { .. }
            | WorkloadSpec::Schedule { .. }
            | WorkloadSpec::Sum { .. } => {
                return Err(anyhow::anyhow!("internal: {prefix} is read by load_workload"));
            }
        }))
    }

    /// A trace that cannot be read is an I/O error (exit 1); one that reads
    /// but does not fit is the scenario's error (exit 2).
    pub(crate) fn trace_err(&self, i: usize, key: &str, file: &str, e: traces::TraceError) -> anyhow::Error {
        match e {
            traces::TraceError::Io(e) => anyhow::anyhow!("{}: cannot read trace {}: {e}", self.name, quoted(file)),
            e => self.fn_err(i, &format!("{key}.file"), format!("trace {}: {e}", quoted(file))).into(),
        }
    }

    fn dist(&self, i: usize, key: &str, d: &DistSpec) -> Result<OwnedDist, DocError> {
        let ms = |k: &str, x: f64| self.fn_duration(i, &format!("{key}.{k}"), x, 1e3);
        Ok(OwnedDist::Plain(match d {
            DistSpec::Fixed { ms: x } => DurationDist::Fixed { us: ms("ms", *x)? },
            DistSpec::Exponential { mean_ms } => DurationDist::Exponential { mean_us: ms("mean_ms", *mean_ms)? },
            DistSpec::Lognormal { median_ms, sigma } => {
                if !(sigma.is_finite() && *sigma >= 0.0) {
                    return Err(self.fn_err(
                        i,
                        &format!("{key}.sigma"),
                        format!("must be a finite number ≥ 0 (got {})", doc::number(*sigma)),
                    ));
                }
                DurationDist::LogNormal { median_us: ms("median_ms", *median_ms)?, sigma: *sigma }
            }
            DistSpec::Empirical { values_ms } => {
                if values_ms.is_empty() {
                    return Err(self.fn_err(i, &format!("{key}.values_ms"), "needs at least one value"));
                }
                let mut v = Vec::with_capacity(values_ms.len());
                for (j, &x) in values_ms.iter().enumerate() {
                    v.push(ms(&format!("values_ms[{j}]"), x)?);
                }
                return Ok(OwnedDist::Empirical(v));
            }
            DistSpec::Profile { io_ms, cpu_ms, threads } => DurationDist::Profile(lambdasim::cpu::DurationProfile {
                io_us: ms("io_ms", *io_ms)?,
                cpu_us: ms("cpu_ms", *cpu_ms)?,
                threads: *threads,
            }),
        }))
    }

    /// The account-wide check: Σ reserved + Σ provisioned of functions
    /// without RC must leave the unreserved minimum.
    fn account(&self, region: &RegionConfig) -> Result<(), DocError> {
        let mut claimed = 0u64;
        for (i, f) in self.scenario.functions.iter().enumerate() {
            let (add, key) = match f.reserved {
                Some(rc) => (u64::from(rc), "reserved"),
                None => (u64::from(f.provisioned), "provisioned"),
            };
            claimed += add;
            let left = u64::from(region.account_limit).saturating_sub(claimed);
            if claimed > u64::from(region.account_limit) || left < u64::from(region.unreserved_min) {
                return Err(self.fn_err(
                    i,
                    key,
                    format!(
                        "reserved + provisioned concurrency so far ({claimed}) leaves {left} of the account limit {} unreserved, below the minimum {} (AWS: InvalidParameterValueException)",
                        region.account_limit, region.unreserved_min
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The horizon of `horizon_s`: above 0 and at most [`MAX_HORIZON_S`].
///
/// # Errors
/// Why not, with the limit (the CLI's `--horizon-s` says the same).
pub fn horizon(horizon_s: f64) -> Result<Duration, String> {
    match to_us(horizon_s, 1e6) {
        Some(us) if us > 0 && horizon_s <= MAX_HORIZON_S => Ok(Duration::from_micros(us)),
        _ => Err(format!(
            "must be a number of seconds above 0 and at most {} (366 days) (got {})",
            doc::number(MAX_HORIZON_S),
            doc::number(horizon_s)
        )),
    }
}

pub(crate) fn resolve(dir: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() { p.to_path_buf() } else { dir.join(p) }
}
