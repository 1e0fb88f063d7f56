//! `lambdasim cost`: a bill from flags or from a usage file.

use crate::doc::{self, DocError, Format};
use crate::money::{self, BillJson};
use crate::scenario::{ArchSpec, GranularitySpec, PricesSpec};
use lambdasim::Duration;
use lambdasim::pricing::{Bill, Granularity, InvocationUsage, Meter, PriceBook, ProvisionedUsage, UsageClass};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A billing era: prices and granularity together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
pub enum Era {
    /// Today: 1 ms billing, today's us-east-1 prices.
    #[default]
    #[serde(rename = "current")]
    #[value(name = "current")]
    Current,
    /// Before December 2020: 100 ms billing, the flat 0.00001667 per GB-s x86 price.
    #[serde(rename = "2020")]
    #[value(name = "2020")]
    Y2020,
}

impl Era {
    pub fn prices(self) -> PriceBook {
        match self {
            Era::Current => PriceBook::US_EAST_1,
            Era::Y2020 => PriceBook::US_EAST_1_2020,
        }
    }
    pub fn granularity(self) -> Granularity {
        match self {
            Era::Current => Granularity::Ms1,
            Era::Y2020 => Granularity::Ms100,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Era::Current => "us-east-1 prices, 1 ms billing (current)",
            Era::Y2020 => "us-east-1-2020 prices (x86 0.00001667 per GB-s), 100 ms billing (2020)",
        }
    }
}

fn yes() -> bool {
    true
}
fn d_memory() -> u32 {
    128
}
fn d_ephemeral() -> u32 {
    512
}

/// A usage file: invocation batches and provisioned spans for one month.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageFile {
    #[serde(default)]
    pub era: Era,
    #[serde(default)]
    pub prices: Option<PricesSpec>,
    #[serde(default)]
    pub granularity: Option<GranularitySpec>,
    #[serde(default = "yes")]
    pub free_tier: bool,
    #[serde(default)]
    pub invocations: Vec<InvocationBatch>,
    #[serde(default)]
    pub provisioned: Vec<ProvisionedSpan>,
}

/// `[[invocations]]`: `requests` invocations of `duration_ms` each.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvocationBatch {
    pub requests: u64,
    pub duration_ms: f64,
    #[serde(default = "d_memory")]
    pub memory_mb: u32,
    #[serde(default)]
    pub architecture: ArchSpec,
    #[serde(default = "d_ephemeral")]
    pub ephemeral_mb: u32,
    /// Ran on provisioned concurrency (PC duration price, no free tier).
    #[serde(default)]
    pub on_provisioned: bool,
}

/// `[[provisioned]]`: provisioned concurrency configured for a while.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionedSpan {
    pub concurrency: u32,
    pub hours: f64,
    #[serde(default = "d_memory")]
    pub memory_mb: u32,
    #[serde(default)]
    pub architecture: ArchSpec,
}

/// What to price, however it was given.
pub struct Priced {
    pub bill: Bill,
    /// The same usage priced without the free tier: its lines are the
    /// usage, listed even when the free tier covers all of it.
    pub usage: Bill,
    pub free_tier: bool,
    /// The prices and billing granularity in words.
    pub era: String,
}

/// The era's name, or the prices and granularity when overridden.
fn describe(era: Era, prices: Option<PricesSpec>, granularity: Option<GranularitySpec>, g: Granularity) -> String {
    if prices.is_none() && granularity.is_none() {
        return era.name().to_owned();
    }
    let book = prices.unwrap_or(match era {
        Era::Current => PricesSpec::UsEast1,
        Era::Y2020 => PricesSpec::UsEast1_2020,
    });
    let ms = if g == Granularity::Ms100 { "100 ms" } else { "1 ms" };
    format!("{} prices, {ms} billing", book.name())
}

/// The flags of the simple case.
pub struct Flags {
    pub requests: u64,
    pub duration_ms: f64,
    pub memory_mb: u32,
    pub arch: ArchSpec,
    pub ephemeral_mb: u32,
    pub free_tier: bool,
    pub era: Era,
    pub granularity: Option<GranularitySpec>,
    pub provisioned: u32,
    pub provisioned_hours: f64,
    pub provisioned_requests: u64,
    pub provisioned_duration_ms: f64,
}

fn duration_ms(x: f64, what: &str) -> anyhow::Result<Duration> {
    if !((0.0..1.8e13).contains(&x)) {
        anyhow::bail!("{what} must be a number of ms in 0..1.8e13 (got {})", doc::number(x));
    }
    Ok(Duration::from_micros((x * 1e3).round() as u64))
}

fn hours(x: f64, what: &str) -> anyhow::Result<Duration> {
    if !((0.0..1e9).contains(&x)) {
        anyhow::bail!("{what} must be a number of hours in 0..1e9 (got {})", doc::number(x));
    }
    Ok(Duration::from_micros((x * 3.6e9).round() as u64))
}

fn add_batch(meter: &mut Meter, g: Granularity, b: &InvocationBatch, d: Duration) -> anyhow::Result<()> {
    let mut u = InvocationUsage::uniform(b.architecture.get(), b.memory_mb, b.requests, d, g);
    u.ephemeral_mb = b.ephemeral_mb;
    if b.on_provisioned {
        u.class = UsageClass::Provisioned;
    }
    meter.add_invocations(&u).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Prices the flags.
pub fn from_flags(f: &Flags) -> anyhow::Result<Priced> {
    let g = f.granularity.map_or(f.era.granularity(), GranularitySpec::get);
    let mut meter = Meter::new();
    let on_demand = InvocationBatch {
        requests: f.requests,
        duration_ms: f.duration_ms,
        memory_mb: f.memory_mb,
        architecture: f.arch,
        ephemeral_mb: f.ephemeral_mb,
        on_provisioned: false,
    };
    add_batch(&mut meter, g, &on_demand, duration_ms(f.duration_ms, "--duration-ms")?)?;
    if f.provisioned > 0 || f.provisioned_requests > 0 {
        let enabled = hours(f.provisioned_hours, "--provisioned-hours")?;
        if f.provisioned > 0 {
            meter
                .add_provisioned(&ProvisionedUsage {
                    arch: f.arch.get(),
                    memory_mb: f.memory_mb,
                    provisioned: f.provisioned,
                    enabled,
                })
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let d = duration_ms(f.provisioned_duration_ms, "--provisioned-duration-ms")?;
        let on_pc = InvocationBatch {
            requests: f.provisioned_requests,
            duration_ms: f.provisioned_duration_ms,
            on_provisioned: true,
            ..on_demand.clone()
        };
        add_batch(&mut meter, g, &on_pc, d)?;
    }
    if meter == Meter::new() {
        anyhow::bail!(
            "nothing to price: give --requests (with --duration-ms), --provisioned (with --provisioned-hours), --provisioned-requests, or --usage FILE"
        );
    }
    let prices = f.era.prices();
    let bill = meter.bill(&prices, f.free_tier).map_err(|e| anyhow::anyhow!("{e}"))?;
    let usage = meter.bill(&prices, false).map_err(|e| anyhow::anyhow!("{e}"))?;
    let prices_name = match f.era {
        Era::Current => PricesSpec::UsEast1,
        Era::Y2020 => PricesSpec::UsEast1_2020,
    };
    let era = describe(f.era, f.granularity.map(|_| prices_name), f.granularity, g);
    Ok(Priced { bill, usage, free_tier: f.free_tier, era })
}

/// Prices a usage file (exit 2 on bad content).
pub fn from_file(path: &Path) -> anyhow::Result<Priced> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read usage file {}: {e}", path.display()))?;
    let name = path.display().to_string();
    let format = Format::detect(path, &text);
    let u: UsageFile = doc::parse(&name, &text, format)?;
    let locator = doc::Locator::new(&text, format);
    let err = |section: &str, i: usize, key: &str, e: String| -> anyhow::Error {
        let (line, col) = locator.find(Some((section, Some(i), None)), Some(key));
        DocError { file: name.clone(), line, col, field: format!("{section}[{i}].{key}"), message: e }.into()
    };
    let g = u.granularity.map_or(u.era.granularity(), GranularitySpec::get);
    let prices = u.prices.map_or(u.era.prices(), PricesSpec::book);
    let mut meter = Meter::new();
    for (i, b) in u.invocations.iter().enumerate() {
        let d = duration_ms(b.duration_ms, "duration_ms")
            .map_err(|e| err("invocations", i, "duration_ms", e.to_string()))?;
        add_batch(&mut meter, g, b, d).map_err(|e| {
            let key = if e.to_string().contains("ephemeral") { "ephemeral_mb" } else { "memory_mb" };
            err("invocations", i, key, e.to_string())
        })?;
    }
    for (i, p) in u.provisioned.iter().enumerate() {
        let enabled = hours(p.hours, "hours").map_err(|e| err("provisioned", i, "hours", e.to_string()))?;
        meter
            .add_provisioned(&ProvisionedUsage {
                arch: p.architecture.get(),
                memory_mb: p.memory_mb,
                provisioned: p.concurrency,
                enabled,
            })
            .map_err(|e| err("provisioned", i, "memory_mb", e.to_string()))?;
    }
    if u.invocations.is_empty() && u.provisioned.is_empty() {
        let message =
            "a usage file needs at least one [[invocations]] or [[provisioned]] entry: nothing to price".into();
        return Err(DocError { file: name, line: 1, col: 1, field: "invocations".into(), message }.into());
    }
    let bill = meter.bill(&prices, u.free_tier).map_err(|e| anyhow::anyhow!("{e}"))?;
    let usage = meter.bill(&prices, false).map_err(|e| anyhow::anyhow!("{e}"))?;
    let era = describe(u.era, u.prices, u.granularity, g);
    Ok(Priced { bill, usage, free_tier: u.free_tier, era })
}

/// `cost --json`.
#[derive(Debug, Serialize)]
pub struct CostJson {
    pub era: String,
    pub free_tier: bool,
    #[serde(flatten)]
    pub bill: BillJson,
    /// The usage priced without the free tier, line by line: there even
    /// when the free tier leaves `lines` empty.
    pub usage_lines: Vec<crate::money::LineJson>,
}

pub fn json(p: &Priced) -> CostJson {
    let usage_lines = BillJson::new(&p.usage).lines;
    CostJson { era: p.era.clone(), free_tier: p.free_tier, bill: BillJson::new(&p.bill), usage_lines }
}

pub fn text(p: &Priced) -> String {
    format!(
        "AWS Lambda bill — {}, {}\n{}",
        p.era,
        if p.free_tier { "free tier applied" } else { "no free tier" },
        money::bill_text(&p.bill, "  ")
    )
}
