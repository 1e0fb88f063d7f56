//! `lambdasim metrics`: a scenario's CloudWatch datapoints.

use lambdasim::metrics::{Metric, Statistic};
use lambdasim_scenario::metrics::{Format, Query, write_metrics};
use std::path::PathBuf;

/// How `lambdasim metrics` writes datapoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// `timestamp_s,function,metric,statistic,value` (function empty for region-wide).
    Csv,
    /// One JSON object per datapoint and line.
    Jsonl,
    /// CloudWatch Embedded Metric Format, one object per period and function.
    Emf,
}

#[derive(Debug, clap::Args)]
pub struct MetricsArgs {
    /// Scenario file (TOML or JSON); the embedded default when omitted.
    pub scenario: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: FormatArg,
    /// A metric to print, by CloudWatch's name (repeat for more); every
    /// metric the region produces when omitted.
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    /// Only this function (by its name in the scenario).
    #[arg(long)]
    pub function: Option<String>,
    /// Sum, Average, Minimum, Maximum, SampleCount or pNN (p99, p99.9);
    /// each metric's usual statistic when omitted.
    #[arg(long = "stat", value_name = "STATISTIC")]
    pub statistic: Option<String>,
    /// Seconds per datapoint: 1, 5, 10, 30 or a multiple of 60.
    #[arg(long, default_value_t = 60)]
    pub period_s: u32,
    /// Seed; overrides the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Simulated seconds; overrides the scenario's horizon_s.
    #[arg(long)]
    pub horizon_s: Option<f64>,
    /// Also write the console's graphs per function (invocations, errors,
    /// throttles; concurrency against its limits; Duration p50/p99;
    /// provisioned utilization) as SVG.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

impl MetricsArgs {
    /// The query, with names checked (a bad one is a usage error naming the flag).
    pub fn query(&self) -> Result<Query, String> {
        let mut metrics = Vec::new();
        for name in &self.metrics {
            let metric = Metric::from_name(name).map_err(|_| {
                let known: Vec<&str> = Metric::ALL.iter().map(|m| m.as_str()).collect();
                format!("--metric {name:?}: unknown metric (known: {})", known.join(", "))
            })?;
            metrics.push(metric);
        }
        let statistic = match &self.statistic {
            None => None,
            Some(s) => Some(Statistic::parse(s).map_err(|e| {
                format!("--stat {s:?}: {e} (Sum, Average, Minimum, Maximum, SampleCount or pNN such as p99)")
            })?),
        };
        if !lambdasim::metrics::valid_period_s(u64::from(self.period_s)) {
            return Err(format!(
                "--period-s {}: CloudWatch periods are 1, 5, 10, 30 or a multiple of 60 seconds",
                self.period_s
            ));
        }
        Ok(Query { metrics, function: self.function.clone(), statistic, period_s: self.period_s })
    }

    /// The output format.
    pub fn format(&self) -> Format {
        match self.format {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Emf => Format::Emf,
        }
    }

    /// Runs the query, writing to `out`; the chart's data with `--svg`.
    pub fn write(
        &self,
        p: &lambdasim_scenario::scenario::Prepared,
        q: &Query,
        out: &mut impl std::io::Write,
    ) -> anyhow::Result<Option<lambdasim_scenario::metrics::ChartData>> {
        write_metrics(p, q, out, self.format(), self.svg.is_some())
    }
}
