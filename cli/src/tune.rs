//! `lambdasim tune`: power tuning over a duration profile or measured samples.

use crate::cost::Era;
use crate::doc::DocError;
use crate::money::{self};
use crate::scenario::ArchSpec;
use crate::svg;
use lambdasim::cpu::DurationProfile;
use lambdasim::money::Money;
use lambdasim::tuning::{
    self, Candidate, DEFAULT_MEMORY_LIST, MIN_SAMPLES, MemoryList, Samples, Strategy, TimeoutAdvice, TuneConfig, Tuned,
};
use lambdasim::{Duration, MemoryMb};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How to pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StrategyArg {
    /// Cheapest; ties go to the faster.
    Cost,
    /// Fastest; ties go to the cheaper.
    Speed,
    /// Minimise w·cost/max_cost + (1−w)·duration/max_duration.
    Balanced,
}

/// What `tune` was asked.
pub struct TuneArgs {
    pub io_ms: f64,
    pub cpu_ms: Option<f64>,
    pub threads: u32,
    pub samples: Option<PathBuf>,
    pub memory: Option<String>,
    pub strategy: StrategyArg,
    pub weight: f64,
    pub arch: ArchSpec,
    pub era: Era,
    pub timeout_ms: u32,
}

/// The memory list from `default`, `all` or `128,256,...`.
pub fn memory_list(s: &str) -> anyhow::Result<Option<Vec<u32>>> {
    match s.trim() {
        "default" => Ok(None),
        "all" => Ok(Some((MemoryMb::MIN.get()..=MemoryMb::MAX.get()).collect())),
        list => {
            let mut out = Vec::new();
            for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let mb: u32 =
                    part.parse().map_err(|_| anyhow::anyhow!("--memory: {part:?} is not a whole number of MB"))?;
                MemoryMb::new(mb).map_err(|e| anyhow::anyhow!("--memory: {mb}: {e}"))?;
                out.push(mb);
            }
            if out.is_empty() {
                anyhow::bail!("--memory: no sizes given (use default, all, or a list like 128,256,512)");
            }
            Ok(Some(out))
        }
    }
}

/// Samples grouped by memory, in order of first appearance.
pub fn read_samples(path: &Path) -> anyhow::Result<Vec<(u32, Vec<u64>)>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read samples {}: {e}", path.display()))?;
    let name = path.display().to_string();
    let bad = |line: usize, message: String| -> anyhow::Error {
        DocError { file: name.clone(), line, col: 1, field: String::new(), message }.into()
    };
    let mut groups: Vec<(u32, Vec<u64>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (i == 0 && line.starts_with("memory_mb")) {
            continue;
        }
        let (m, d) = line.split_once(',').ok_or_else(|| bad(i + 1, "expected memory_mb,duration_ms".into()))?;
        let mb: u32 =
            m.trim().parse().map_err(|_| bad(i + 1, format!("memory {:?} is not a whole number", m.trim())))?;
        MemoryMb::new(mb).map_err(|e| bad(i + 1, format!("memory {mb}: {e}")))?;
        let ms: f64 = d.trim().parse().map_err(|_| bad(i + 1, format!("duration {:?} is not a number", d.trim())))?;
        if !((0.0..1e12).contains(&ms)) {
            return Err(bad(i + 1, format!("duration {} must be a number of ms in 0..1e12", crate::doc::number(ms))));
        }
        let us = (ms * 1e3).round() as u64;
        match groups.iter_mut().find(|(g, _)| *g == mb) {
            Some((_, v)) => v.push(us),
            None => groups.push((mb, vec![us])),
        }
    }
    if groups.is_empty() {
        return Err(bad(0, "no samples".into()));
    }
    if let Some((mb, v)) = groups.iter().find(|(_, v)| v.len() < MIN_SAMPLES) {
        return Err(bad(
            0,
            format!("{mb} MB has {} samples; power tuning needs at least {MIN_SAMPLES} per size", v.len()),
        ));
    }
    Ok(groups)
}

/// A tuning result, ready to show.
pub struct Tuning {
    pub source: String,
    pub strategy: Strategy,
    pub strategy_name: &'static str,
    pub weight: Option<f64>,
    pub arch: ArchSpec,
    pub candidates: Vec<Candidate>,
    pub tuned: Tuned,
    pub advice: TimeoutAdvice,
    pub configured_timeout_ms: u32,
}

fn us(x: f64, what: &str) -> anyhow::Result<u64> {
    if !((0.0..1e12).contains(&x)) {
        anyhow::bail!("{what} must be a number of ms in 0..1e12 (got {})", crate::doc::number(x));
    }
    Ok((x * 1e3).round() as u64)
}

pub fn tune(a: &TuneArgs) -> anyhow::Result<Tuning> {
    let (strategy, strategy_name, weight) = match a.strategy {
        StrategyArg::Cost => (Strategy::Cost, "cost", None),
        StrategyArg::Speed => (Strategy::Speed, "speed", None),
        StrategyArg::Balanced => (
            Strategy::balanced(a.weight)
                .map_err(|e| anyhow::anyhow!("--weight {}: {e}", crate::doc::number(a.weight)))?,
            "balanced",
            Some(a.weight),
        ),
    };
    let config = TuneConfig { arch: a.arch.get(), prices: a.era.prices(), granularity: a.era.granularity() };
    let (source, candidates, tuned, advice) = if let Some(path) = &a.samples {
        let mut groups = read_samples(path)?;
        let mut out = vec![Candidate::default(); groups.len()];
        let mut samples: Vec<Samples<'_>> =
            groups.iter_mut().map(|(mb, v)| Samples { memory_mb: *mb, durations_us: v.as_mut_slice() }).collect();
        let tuned =
            tuning::tune_samples(&mut samples, strategy, &config, &mut out).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut picked: Vec<u64> =
            groups.iter().find(|(mb, _)| *mb == tuned.pick.memory_mb).map(|(_, v)| v.clone()).unwrap_or_default();
        let advice = TimeoutAdvice::from_samples(&mut picked, a.timeout_ms).map_err(|e| anyhow::anyhow!("{e}"))?;
        (format!("samples {}", path.display()), out, tuned, advice)
    } else {
        let cpu = a
            .cpu_ms
            .ok_or_else(|| anyhow::anyhow!("tune needs --cpu-ms (with --io-ms, --threads) or --samples FILE"))?;
        let profile =
            DurationProfile { io_us: us(a.io_ms, "--io-ms")?, cpu_us: us(cpu, "--cpu-ms")?, threads: a.threads };
        let list = match &a.memory {
            Some(s) => memory_list(s)?,
            None => None,
        };
        let memories = match &list {
            Some(l) => MemoryList::Custom(l),
            None => MemoryList::Default,
        };
        let mut out = vec![Candidate::default(); memories.len()];
        let tuned = tuning::tune_profile(&profile, memories, strategy, &config, &mut out)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let advice = TimeoutAdvice::from_p99(Duration::from_micros(tuned.pick.duration_us), a.timeout_ms);
        let source = format!(
            "profile: {} ms I/O + {} ms CPU at 1 vCPU, {} thread(s)",
            crate::report::num(a.io_ms),
            crate::report::num(cpu),
            a.threads.max(1)
        );
        (source, out, tuned, advice)
    };
    Ok(Tuning {
        source,
        strategy,
        strategy_name,
        weight,
        arch: a.arch,
        candidates,
        tuned,
        advice,
        configured_timeout_ms: a.timeout_ms,
    })
}

fn per_1000(c: &Candidate) -> Money {
    Money::from_atoms(c.cost.atoms().saturating_mul(1_000))
}

fn ms(us: u64) -> String {
    format!("{}.{:03}", money::grouped(u128::from(us / 1_000)), us % 1_000)
}

/// One candidate in JSON.
#[derive(Debug, Serialize)]
pub struct CandidateJson {
    pub memory_mb: u32,
    pub duration_ms: f64,
    pub billed_ms: u64,
    pub cost_usd: String,
    pub cost_per_1000_usd: String,
}

impl CandidateJson {
    fn new(c: &Candidate) -> Self {
        CandidateJson {
            memory_mb: c.memory_mb,
            duration_ms: c.duration_us as f64 / 1e3,
            billed_ms: c.billed_ms,
            cost_usd: c.cost.exact().to_string(),
            cost_per_1000_usd: per_1000(c).exact().to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TimeoutJson {
    pub p99_ms: f64,
    pub recommended_ms: u32,
    pub configured_ms: u32,
    pub cuts_tail: bool,
    pub exceeds_max: bool,
}

#[derive(Debug, Serialize)]
pub struct TuneJson {
    pub source: String,
    pub strategy: &'static str,
    pub weight: Option<f64>,
    pub arch: &'static str,
    pub candidates: Vec<CandidateJson>,
    pub pick: CandidateJson,
    pub timeout: TimeoutJson,
}

pub fn json(t: &Tuning) -> TuneJson {
    TuneJson {
        source: t.source.clone(),
        strategy: t.strategy_name,
        weight: t.weight,
        arch: t.arch.get().name(),
        candidates: t.candidates.iter().map(CandidateJson::new).collect(),
        pick: CandidateJson::new(&t.tuned.pick),
        timeout: TimeoutJson {
            p99_ms: t.advice.p99_us as f64 / 1e3,
            recommended_ms: t.advice.recommended_ms,
            configured_ms: t.configured_timeout_ms,
            cuts_tail: t.advice.cuts_tail,
            exceeds_max: t.advice.exceeds_max,
        },
    }
}

fn strategy_text(t: &Tuning) -> String {
    match t.strategy {
        Strategy::Cost => "cost: cheapest, ties go to the faster".into(),
        Strategy::Speed => "speed: fastest, ties go to the cheaper".into(),
        _ => format!(
            "balanced: minimise w·cost/max_cost + (1−w)·duration/max_duration, w = {}",
            crate::report::num(t.weight.unwrap_or(0.5))
        ),
    }
}

pub fn text(t: &Tuning) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "power tuning — {}, {}", t.source, t.arch.get().name());
    let _ = writeln!(out, "strategy {}\n", strategy_text(t));
    let _ = writeln!(
        out,
        "  {:>10}  {:>14}  {:>10}  {:>16}  {:>13}",
        "memory", "duration", "billed", "cost/invocation", "cost/1000"
    );
    let many = t.candidates.len() > 64;
    let mut shown = 0usize;
    for c in &t.candidates {
        let pick = c.memory_mb == t.tuned.pick.memory_mb;
        if many && !pick && !DEFAULT_MEMORY_LIST.contains(&c.memory_mb) && c.memory_mb % 1_024 != 0 {
            continue;
        }
        shown += 1;
        let _ = writeln!(
            out,
            "{} {:>7} MB  {:>11} ms  {:>7} ms  {:>16}  {:>13}{}",
            if pick { "*" } else { " " },
            c.memory_mb,
            ms(c.duration_us),
            money::grouped(u128::from(c.billed_ms)),
            format!("${}", money::usd_digits(c.cost, 10)),
            format!("${}", money::usd_digits(per_1000(c), 7)),
            if pick { "  ← pick" } else { "" }
        );
    }
    if many {
        let _ = writeln!(
            out,
            "  ({} sizes evaluated; {shown} shown: the default list, multiples of 1024 MB and the pick; --json lists all)",
            t.candidates.len()
        );
    }
    let p = &t.tuned.pick;
    let _ = writeln!(
        out,
        "\npick: {} MB — {} ms, ${} per invocation, ${} per 1000",
        p.memory_mb,
        ms(p.duration_us),
        money::usd_digits(p.cost, 10),
        money::usd_digits(per_1000(p), 7)
    );
    let a = &t.advice;
    let _ = writeln!(
        out,
        "timeout: p99 at {} MB is {} ms; recommended timeout {} s (p99 + 50 %, whole seconds)",
        p.memory_mb,
        ms(a.p99_us),
        a.recommended_ms / 1_000
    );
    if a.cuts_tail {
        let _ = writeln!(
            out,
            "warning: a {} ms timeout is below p99 ({} ms): it cuts off the tail; raise the timeout or the memory",
            t.configured_timeout_ms,
            ms(a.p99_us)
        );
    }
    if a.exceeds_max {
        let _ = writeln!(
            out,
            "warning: even the 900 s maximum timeout does not cover p99 + 50 %: give the function more memory"
        );
    }
    out
}

pub fn chart(t: &Tuning) -> String {
    let points: Vec<svg::TunePoint> = t
        .candidates
        .iter()
        .map(|c| svg::TunePoint {
            memory_mb: c.memory_mb,
            duration_ms: c.duration_us as f64 / 1e3,
            cost_per_1000_usd: per_1000(c).atoms() as f64 / lambdasim::money::ATOMS_PER_USD as f64,
        })
        .collect();
    let title = format!("Power tuning — {} ({})", t.source, t.strategy_name);
    svg::tune_chart(&title, &points, t.tuned.pick.memory_mb)
}
