//! The workloads whose rate changes (`diurnal`, `schedule`), sums of
//! workloads, repeated traces, and the warning for a workload that stops
//! before the horizon: their schema pieces and checks.

use crate::doc::{self, DocError};
use crate::scenario::{Checker, Loaded, MAX_HORIZON_S, MAX_RATE_PER_S, Prepared, WorkloadSpec, resolve};
use crate::traces;
use lambdasim::Duration;
use lambdasim::sim::MAX_PARTS;
use lambdasim::sim::{RatePoint, SimFunction, Spacing, Trace, TraceEvent, Workload};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::path::Path;

/// A workload with its trace data owned.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedWorkload {
    Plain(Workload<'static>),
    PerMinute(Vec<u32>),
    Replay(Vec<TraceEvent>),
    /// A schedule's points.
    Schedule {
        points: Vec<RatePoint>,
        period: Option<Duration>,
        spacing: Spacing,
    },
    /// A trace ([`OwnedWorkload::PerMinute`] or [`OwnedWorkload::Replay`])
    /// played again every period.
    Repeated(Box<OwnedWorkload>, Duration),
    /// The parts of a sum (none a sum).
    Sum(Vec<OwnedWorkload>),
}

impl OwnedWorkload {
    /// The workload, for every kind but a sum; a sum's parts live apart
    /// ([`OwnedWorkload::parts`], [`OwnedWorkload::get_with`]): here it is
    /// an empty sum, which the simulator refuses as invalid.
    pub fn get(&self) -> Workload<'_> {
        self.get_with(&[])
    }

    /// The workload, a sum made of `parts` (from [`OwnedWorkload::parts`]).
    pub fn get_with<'a>(&'a self, parts: &'a [Workload<'a>]) -> Workload<'a> {
        match self {
            OwnedWorkload::Plain(w) => *w,
            OwnedWorkload::PerMinute(c) => Workload::PerMinute(c),
            OwnedWorkload::Replay(e) => Workload::Replay(e),
            OwnedWorkload::Schedule { points, period, spacing } => {
                Workload::Schedule { points, period: *period, spacing: *spacing }
            }
            OwnedWorkload::Repeated(trace, period) => match trace.as_ref() {
                OwnedWorkload::PerMinute(c) => Workload::Repeat { trace: Trace::PerMinute(c), period: *period },
                OwnedWorkload::Replay(e) => Workload::Repeat { trace: Trace::Replay(e), period: *period },
                // Only traces repeat (the checks build nothing else): no requests.
                _ => Workload::Idle,
            },
            OwnedWorkload::Sum(_) => Workload::Sum(parts),
        }
    }

    /// A sum's parts as simulator workloads (empty for the others): build
    /// them once, then pass them to [`OwnedWorkload::get_with`].
    pub fn parts(&self) -> Vec<Workload<'_>> {
        match self {
            OwnedWorkload::Sum(parts) => parts.iter().map(OwnedWorkload::get).collect(),
            _ => Vec::new(),
        }
    }
}

/// Every sum's parts, one list per function (empty for the others): what
/// [`sim_functions`] borrows.
pub fn workload_parts(functions: &[Loaded]) -> Vec<Vec<Workload<'_>>> {
    functions.iter().map(|f| f.workload.parts()).collect()
}

/// The functions for the simulator, sums made of `parts` (from
/// [`workload_parts`] of the same functions).
pub fn sim_functions<'a>(functions: &'a [Loaded], parts: &'a [Vec<Workload<'a>>]) -> Vec<SimFunction<'a>> {
    functions.iter().zip(parts).map(|(f, p)| f.sim_function_with(p)).collect()
}

/// A day, seconds: the default `period_s` of `diurnal`.
pub const DAY_S: f64 = 86_400.0;
/// A week, seconds.
pub const WEEK_S: f64 = 604_800.0;
/// The most points a `schedule` may list.
pub const MAX_POINTS: usize = 100_000;

pub(crate) fn day_s() -> f64 {
    DAY_S
}

/// How requests are spaced along a changing rate (`arrivals`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpacingSpec {
    /// Poisson arrivals (the default).
    #[default]
    Poisson,
    /// Evenly spaced in expected requests.
    Constant,
}

impl SpacingSpec {
    pub fn get(self) -> Spacing {
        match self {
            SpacingSpec::Poisson => Spacing::Poisson,
            SpacingSpec::Constant => Spacing::Constant,
        }
    }
}

/// One `points` entry of a `schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointSpec {
    /// Seconds from the start of the run (or of each repeat).
    pub at_s: f64,
    /// Requests per second at `at_s`.
    pub rate_per_s: f64,
}

/// `repeat`: `true` (the workload's own length), `"daily"`, `"weekly"` or
/// a number of seconds; `false` is no repeat.
#[derive(Debug, Clone, PartialEq)]
pub enum RepeatSpec {
    /// `true` or `false`.
    Flag(bool),
    /// `"daily"`, `"weekly"` (anything else is refused when checked).
    Named(String),
    /// A period in seconds.
    Seconds(f64),
}

impl<'de> Deserialize<'de> for RepeatSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RepeatSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false, \"daily\", \"weekly\" or a number of seconds")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RepeatSpec, E> {
                Ok(RepeatSpec::Flag(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RepeatSpec, E> {
                Ok(RepeatSpec::Named(v.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RepeatSpec, E> {
                Ok(RepeatSpec::Seconds(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RepeatSpec, E> {
                Ok(RepeatSpec::Seconds(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RepeatSpec, E> {
                Ok(RepeatSpec::Seconds(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

/// A workload check's error: the key under the workload (`period_s`,
/// `points[2].at_s`) and the message.
pub(crate) type Refusal = (String, String);

fn refuse(key: impl Into<String>, msg: impl Into<String>) -> Refusal {
    (key.into(), msg.into())
}

/// A duration in seconds within the longest horizon.
fn seconds(key: &str, x: f64) -> Result<Duration, Refusal> {
    if x.is_finite() && (0.0..=MAX_HORIZON_S).contains(&x) {
        return Ok(Duration::from_micros((x * 1e6).round() as u64));
    }
    Err(refuse(
        key,
        format!(
            "must be a number of seconds in 0..={} (366 days, the longest horizon) (got {})",
            doc::number(MAX_HORIZON_S),
            doc::number(x)
        ),
    ))
}

fn rate(key: &str, r: f64) -> Result<f64, Refusal> {
    if (0.0..=MAX_RATE_PER_S).contains(&r) {
        return Ok(r);
    }
    Err(refuse(
        key,
        format!("must be a rate in 0..={} requests per second (got {})", doc::number(MAX_RATE_PER_S), doc::number(r)),
    ))
}

/// `diurnal`, checked.
pub(crate) fn diurnal(
    peak_per_s: f64,
    trough_per_s: f64,
    period_s: f64,
    peak_at_s: f64,
    arrivals: SpacingSpec,
) -> Result<OwnedWorkload, Refusal> {
    let (peak, trough) = (rate("peak_per_s", peak_per_s)?, rate("trough_per_s", trough_per_s)?);
    if trough > peak {
        return Err(refuse(
            "trough_per_s",
            format!("the trough ({}) is above the peak ({})", doc::number(trough), doc::number(peak)),
        ));
    }
    let period = seconds("period_s", period_s)?;
    if period.as_micros() < 1_000_000 {
        return Err(refuse("period_s", format!("must be at least 1 second (got {})", doc::number(period_s))));
    }
    let peak_at = seconds("peak_at_s", peak_at_s)?;
    if peak_at > period {
        return Err(refuse(
            "peak_at_s",
            format!("must be within the period, 0..={} (got {})", doc::number(period_s), doc::number(peak_at_s)),
        ));
    }
    Ok(OwnedWorkload::Plain(Workload::Diurnal {
        peak_per_s: peak,
        trough_per_s: trough,
        period,
        peak_at,
        spacing: arrivals.get(),
    }))
}

/// The period of `repeat` for a workload whose own length is `own` (`None`:
/// `true` is refused with `own_missing`).
fn period(repeat: &RepeatSpec, own: Option<Duration>, own_missing: &str) -> Result<Option<Duration>, Refusal> {
    let named = |s: f64| Ok(Some(Duration::from_micros((s * 1e6) as u64)));
    match repeat {
        RepeatSpec::Flag(false) => Ok(None),
        RepeatSpec::Flag(true) => own.map(Some).ok_or_else(|| refuse("repeat", own_missing)),
        RepeatSpec::Named(n) if n == "daily" => named(DAY_S),
        RepeatSpec::Named(n) if n == "weekly" => named(WEEK_S),
        RepeatSpec::Named(n) => Err(refuse(
            "repeat",
            format!(
                "unknown repeat {}: say true, \"daily\", \"weekly\" or a number of seconds",
                doc::clip(&format!("\"{n}\""))
            ),
        )),
        RepeatSpec::Seconds(s) => {
            let p = seconds("repeat", *s)?;
            if p.is_zero() {
                return Err(refuse("repeat", "a repeat period must be above 0 seconds"));
            }
            Ok(Some(p))
        }
    }
}

/// `schedule`, checked: points sorted from 0, rates usable, a repeat
/// period not before the last point.
pub(crate) fn schedule(
    points: &[PointSpec],
    repeat: Option<&RepeatSpec>,
    arrivals: SpacingSpec,
) -> Result<OwnedWorkload, Refusal> {
    if points.is_empty() {
        return Err(refuse("points", "a schedule needs at least one point"));
    }
    if points.len() > MAX_POINTS {
        return Err(refuse("points", format!("at most {MAX_POINTS} points (got {})", points.len())));
    }
    let mut out = Vec::with_capacity(points.len());
    for (j, p) in points.iter().enumerate() {
        let at = seconds(&format!("points[{j}].at_s"), p.at_s)?;
        let rate_per_s = rate(&format!("points[{j}].rate_per_s"), p.rate_per_s)?;
        match out.last() {
            None if !at.is_zero() => {
                return Err(refuse(
                    "points[0].at_s",
                    format!("the first point must be at 0 (got {})", doc::number(p.at_s)),
                ));
            }
            Some(RatePoint { at: before, .. }) if at < *before => {
                return Err(refuse(
                    format!("points[{j}].at_s"),
                    format!("points must be sorted by time: {} is before the previous point", doc::number(p.at_s)),
                ));
            }
            _ => {}
        }
        out.push(RatePoint { at, rate_per_s });
    }
    let last = out.last().map_or(Duration::ZERO, |p| p.at);
    let own = (!last.is_zero()).then_some(last);
    let period = match repeat {
        None => None,
        Some(r) => period(r, own, "repeat = true repeats from 0 to the last point, which is at 0 here")?,
    };
    if let Some(p) = period
        && p < last
    {
        return Err(refuse(
            "repeat",
            format!(
                "the repeat period ({} s) is shorter than the schedule (last point at {} s)",
                doc::number(p.as_micros() as f64 / 1e6),
                doc::number(last.as_micros() as f64 / 1e6)
            ),
        ));
    }
    Ok(OwnedWorkload::Schedule { points: out, period, spacing: arrivals.get() })
}

/// A per-minute trace with `repeat`: `true` plays it again every its length.
pub(crate) fn repeat_per_minute(counts: Vec<u32>, repeat: &RepeatSpec) -> Result<OwnedWorkload, Refusal> {
    let own = Duration::from_secs(60 * counts.len() as u64);
    let Some(p) = period(repeat, (!own.is_zero()).then_some(own), "the trace has no minutes")? else {
        return Ok(OwnedWorkload::PerMinute(counts));
    };
    if !p.as_micros().is_multiple_of(60_000_000) || p < own {
        return Err(refuse(
            "repeat",
            format!(
                "a per-minute trace repeats every whole number of minutes, at least its {} (got {} s)",
                minutes(counts.len() as u64),
                doc::number(p.as_micros() as f64 / 1e6)
            ),
        ));
    }
    Ok(OwnedWorkload::Repeated(Box::new(OwnedWorkload::PerMinute(counts)), p))
}

fn minutes(n: u64) -> String {
    if n == 1 { "1 minute".into() } else { format!("{n} minutes") }
}

/// A per-invocation trace with `repeat`: `true` plays it again every its
/// length, its last request's minute rounded up.
pub(crate) fn repeat_replay(events: Vec<TraceEvent>, repeat: &RepeatSpec) -> Result<OwnedWorkload, Refusal> {
    let last_us = events.last().map(|e| e.at_us);
    let own = last_us.map(|us| Duration::from_micros((us / 60_000_000 + 1) * 60_000_000));
    let Some(p) = period(repeat, own, "the trace has no requests")? else {
        return Ok(OwnedWorkload::Replay(events));
    };
    if let Some(last) = last_us
        && p.as_micros() <= last
    {
        return Err(refuse(
            "repeat",
            format!(
                "the repeat period ({} s) must be after the trace's last request (at {} s)",
                doc::number(p.as_micros() as f64 / 1e6),
                doc::number(last as f64 / 1e6)
            ),
        ));
    }
    Ok(OwnedWorkload::Repeated(Box::new(OwnedWorkload::Replay(events)), p))
}

/// When a workload stops making requests for good, if it does: a trace
/// that is not repeated (after its last minute or request), a schedule
/// that does not repeat and ends at rate 0 (at its last point). `None` for
/// the others; a sum by its parts ([`warnings`]).
pub fn ends_at(w: &OwnedWorkload) -> Option<Duration> {
    match w {
        OwnedWorkload::PerMinute(counts) => Some(Duration::from_secs(60 * counts.len() as u64)),
        // The minute of its last request, whole (a day's trace ends at 24 h).
        OwnedWorkload::Replay(events) => {
            Some(Duration::from_micros(events.last().map_or(0, |e| (e.at_us / 60_000_000 + 1) * 60_000_000)))
        }
        OwnedWorkload::Schedule { points, period: None, .. } => {
            points.last().filter(|p| p.rate_per_s <= 0.0).map(|p| p.at)
        }
        _ => None,
    }
}

/// One line per workload (or part of a sum) that stops before `horizon`:
/// the run has no requests from it after that.
pub fn warnings(names: &[(&str, &OwnedWorkload)], horizon: Duration) -> Vec<String> {
    let mut out = Vec::new();
    let secs = |d: Duration| doc::number(d.as_micros() as f64 / 1e6);
    let mut check = |name: &str, field: String, w: &OwnedWorkload| {
        if let Some(end) = ends_at(w).filter(|&e| e < horizon) {
            let hint = match w {
                OwnedWorkload::Schedule { .. } => "add points or repeat",
                _ => "repeat = true plays it again",
            };
            out.push(format!(
                "function {name}: {field} ends at {} s, before the horizon ({} s): no requests from it after that ({hint})",
                secs(end),
                secs(horizon)
            ));
        }
    };
    for (name, w) in names {
        match w {
            OwnedWorkload::Sum(parts) => {
                for (j, part) in parts.iter().enumerate() {
                    check(name, format!("workload.parts[{j}]"), part);
                }
            }
            w => check(name, "workload".into(), w),
        }
    }
    out
}

/// Converts a [`Refusal`] into the function's error under `prefix`.
pub(crate) fn located(prefix: &str, refusal: Refusal, err: impl FnOnce(&str, String) -> DocError) -> DocError {
    err(&format!("{prefix}.{}", refusal.0), refusal.1)
}

/// A trace's requests the run never plays: at or past the horizon (a
/// repeated trace: none once the horizon holds a whole play; a sum: its
/// traces' together).
pub fn past_horizon(w: &OwnedWorkload, horizon_us: u64) -> u64 {
    match w {
        OwnedWorkload::PerMinute(counts) => {
            // Minutes that start at or after the horizon are never played.
            let first = usize::try_from(horizon_us.div_ceil(60_000_000)).unwrap_or(usize::MAX);
            counts.iter().skip(first).map(|&c| u64::from(c)).sum()
        }
        OwnedWorkload::Replay(events) => events.iter().filter(|e| e.at_us >= horizon_us).count() as u64,
        OwnedWorkload::Repeated(trace, period) if horizon_us < period.as_micros() => past_horizon(trace, horizon_us),
        OwnedWorkload::Sum(parts) => parts.iter().map(|p| past_horizon(p, horizon_us)).sum(),
        OwnedWorkload::Plain(_) | OwnedWorkload::Schedule { .. } | OwnedWorkload::Repeated(..) => 0,
    }
}

/// Workloads that stop before the horizon ([`warnings`]).
pub fn prepared_warnings(p: &Prepared) -> Vec<String> {
    let names: Vec<String> = p.functions.iter().map(|f| format!("\"{}\"", f.name)).collect();
    let pairs: Vec<(&str, &OwnedWorkload)> =
        names.iter().map(String::as_str).zip(p.functions.iter().map(|f| &f.workload)).collect();
    warnings(&pairs, p.config.horizon)
}

impl Checker<'_> {
    /// The workload at `key` (`workload`, or a sum's `workload.parts[j]`)
    /// with how its trace rows were used (traces only; a sum adds its parts').
    pub(crate) fn load_workload(
        &self,
        i: usize,
        key: &str,
        w: &WorkloadSpec,
        name: &str,
        dir: &Path,
    ) -> anyhow::Result<(OwnedWorkload, Option<traces::TraceRows>)> {
        let refused = |r: Refusal| located(key, r, |k, m| self.fn_err(i, k, m));
        match w {
            WorkloadSpec::Sum { parts } => {
                if key != "workload" {
                    return Err(self
                        .fn_err(i, key, "a sum's parts cannot be sums (list every part in one sum)")
                        .into());
                }
                if !(1..=MAX_PARTS).contains(&parts.len()) {
                    let msg = format!("a sum has 1..={MAX_PARTS} parts (got {})", parts.len());
                    return Err(self.fn_err(i, &format!("{key}.parts"), msg).into());
                }
                let (mut owned, mut rows) = (Vec::with_capacity(parts.len()), None::<traces::TraceRows>);
                for (j, part) in parts.iter().enumerate() {
                    let (o, r) = self.load_workload(i, &format!("{key}.parts[{j}]"), part, name, dir)?;
                    owned.push(o);
                    if let Some(r) = r {
                        let sum = rows.unwrap_or_default();
                        rows = Some(traces::TraceRows {
                            used: sum.used.saturating_add(r.used),
                            other_functions: sum.other_functions.saturating_add(r.other_functions),
                        });
                    }
                }
                Ok((OwnedWorkload::Sum(owned), rows))
            }
            WorkloadSpec::Azure { file, function, repeat } => {
                let path = resolve(dir, file);
                let rows = function.list();
                let (counts, used) = traces::azure_counts(&path, &rows).map_err(|e| self.trace_err(i, key, file, e))?;
                let owned = match repeat {
                    Some(r) => repeat_per_minute(counts, r).map_err(refused)?,
                    None => OwnedWorkload::PerMinute(counts),
                };
                Ok((owned, Some(used)))
            }
            WorkloadSpec::InvocationsCsv { file, function, repeat } => {
                let path = resolve(dir, file);
                let fname = if function.is_empty() { name } else { function.as_str() };
                let (events, used) = traces::invocations(&path, fname).map_err(|e| self.trace_err(i, key, file, e))?;
                let owned = match repeat {
                    Some(r) => repeat_replay(events, r).map_err(refused)?,
                    None => OwnedWorkload::Replay(events),
                };
                Ok((owned, Some(used)))
            }
            WorkloadSpec::Diurnal { peak_per_s, trough_per_s, period_s, peak_at_s, arrivals } => {
                let w = diurnal(*peak_per_s, *trough_per_s, *period_s, *peak_at_s, *arrivals);
                Ok((w.map_err(refused)?, None))
            }
            WorkloadSpec::Schedule { points, repeat, arrivals } => {
                Ok((schedule(points, repeat.as_ref(), *arrivals).map_err(refused)?, None))
            }
            w => Ok((self.workload(i, key, w)?, None)),
        }
    }
}
