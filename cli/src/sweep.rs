//! `lambdasim sweep`: a scenario over the cartesian product of `--set`
//! values (the work is in `lambdasim_scenario::sweep`, shared with the C ABI).

use crate::{parse_shard, usage};
use lambdasim_scenario::pick::Pick;
use lambdasim_scenario::scenario;
use lambdasim_scenario::sweep::{self, Sweep, SweepFormat};
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (TOML or JSON).
    pub scenario: PathBuf,
    /// PATH=V1,V2,... or PATH=FROM..TO:STEP, e.g. functions[0].reserved=10..100:10
    /// (repeatable: the sweep runs every combination).
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    pub set: Vec<String>,
    /// Replications of every combination (replication r uses seed + r);
    /// overrides the scenario's.
    #[arg(long)]
    pub replications: Option<u32>,
    /// Run only combinations c with c % N == I (0-based), e.g. 0/4.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Threads (default: one per core); the output is the same for any.
    #[arg(long)]
    pub threads: Option<usize>,
    /// text (a line per combination), csv (a row per run) or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SweepFormat,
    /// Choose a combination, e.g. "min cost where throttle_probability < 0.001".
    #[arg(long, value_name = "RULE")]
    pub pick: Option<String>,
}

pub fn cmd_sweep(a: &SweepArgs) -> anyhow::Result<()> {
    let axes = sweep::axes(a.set.iter().map(String::as_str)).map_err(usage)?;
    let pick = a.pick.as_deref().map(Pick::parse).transpose().map_err(usage)?;
    let shard = a.shard.as_deref().map(parse_shard).transpose()?;
    if a.threads == Some(0) {
        return Err(usage("--threads must be at least 1"));
    }
    let (name, text, format) = scenario::read(&a.scenario)?;
    let dir = a.scenario.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let s =
        Sweep { axes, replications: a.replications, shard, threads: a.threads, format: a.format, pick, progress: true };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // A bad scenario, combination or size is a DocError: exit 2.
    let picked = sweep::run_sweep(&name, &text, format, dir, &s, &mut out)?;
    out.flush()?;
    if let (SweepFormat::Csv, Some(p)) = (a.format, picked) {
        // CSV holds rows only: the pick goes to stderr.
        match p.set {
            Some(set) => eprintln!(
                "pick ({}): combination {}: {}",
                p.rule,
                p.combination.unwrap_or(0),
                serde_json::Value::Object(set)
            ),
            None => eprintln!("pick ({}): no combination meets the conditions", p.rule),
        }
    }
    Ok(())
}
