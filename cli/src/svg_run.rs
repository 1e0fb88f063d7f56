//! `lambdasim run --svg`: one replication bin by bin. Busy environments per
//! function (the top few by peak, the rest summed) against the account
//! limit and each function's reserved and provisioned concurrency; cold
//! starts and throttles; response-time p50 and p99; the cumulative cost;
//! then the latency distributions after the warm-up.
//!
//! Every y axis is fitted to its data; a limit far above the data is named
//! in the legend as off scale instead of squashing the data flat. The time
//! axis's unit and the bin width follow the span (see
//! [`lambdasim_scenario::bins::bin_s`] and [`crate::svg_axes::time_axis`]).

use crate::svg::{FONT, LEFT, Panel, W, esc, nice, tick};
use crate::svg_axes::{Key, Level, Style, TimeAxis, fit_levels, legend, line, time_axis, width};
use lambdasim::money::Money;
use lambdasim::pricing::{Bill, LineKind};
use lambdasim::sim::LatencySummary;
use lambdasim_scenario::alarms::AlarmOutcome;
use lambdasim_scenario::bins::{RunBins, Series};
use lambdasim_scenario::money::usd_digits;
use std::fmt::Write as _;

/// Functions drawn one by one; the rest are summed as "others".
pub const TOP_FUNCTIONS: usize = 4;
const COLOURS: [&str; TOP_FUNCTIONS] = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b"];
const OTHERS: &str = "#7f7f7f";
const ACCOUNT: &str = "#d62728";
const POOL: &str = "#ff7f0e";

/// The colour of the i-th function drawn.
fn colour_of(i: usize) -> &'static str {
    COLOURS.get(i % COLOURS.len()).copied().unwrap_or(OTHERS)
}

/// One function as the chart needs it.
pub struct FunctionView<'a> {
    pub name: &'a str,
    /// Reserved and provisioned concurrency at the start of the run.
    pub reserved: Option<u32>,
    pub provisioned: u32,
    /// Changes made during the run (scheduled actions, target tracking):
    /// `(time_s, value after)`, in time order.
    pub reserved_changes: Vec<(f64, Option<u32>)>,
    pub provisioned_changes: Vec<(f64, u32)>,
    /// Its bill for the horizon (no free tier).
    pub bill: &'a Bill,
}

/// What the chart draws.
pub struct RunView<'a> {
    pub title: &'a str,
    pub horizon_s: f64,
    /// The warm-up left out of the report's counts (shaded).
    pub warmup_s: f64,
    pub account_limit: u32,
    /// The unreserved pool when some function reserves concurrency.
    pub unreserved_pool: Option<u64>,
    pub functions: Vec<FunctionView<'a>>,
    pub bins: &'a RunBins,
    /// Latency after the warm-up: each function, then the total.
    pub latency: &'a [(String, LatencySummary)],
    pub alarms: &'a [AlarmOutcome],
}

/// The indices of the `n` functions with the highest peak (ties: scenario
/// order), in scenario order, and the rest. With one function too many, it
/// is drawn rather than summed alone.
pub fn top_n(peaks: &[f64], n: usize) -> (Vec<usize>, Vec<usize>) {
    let n = if peaks.len() == n + 1 { n + 1 } else { n };
    let mut order: Vec<usize> = (0..peaks.len()).collect();
    let peak = |i: usize| peaks.get(i).copied().unwrap_or(0.0);
    order.sort_by(|&a, &b| peak(b).total_cmp(&peak(a)).then(a.cmp(&b)));
    let mut top = order;
    let mut rest = top.split_off(n.min(top.len()));
    top.sort_unstable();
    rest.sort_unstable();
    (top, rest)
}

/// `amount` spread over bins in proportion to `weights`, exactly: the
/// cumulative share through bin k is `amount × W_k / W` rounded down, so
/// the parts add up to `amount`. No weight at all: all in the first bin.
pub fn spread(amount: Money, weights: &[u128]) -> Vec<u128> {
    let total: u128 = weights.iter().fold(0, |a, w| a.saturating_add(*w));
    let atoms = amount.atoms();
    if total == 0 {
        return weights.iter().enumerate().map(|(k, _)| if k == 0 { atoms } else { 0 }).collect();
    }
    let (mut cum, mut before) = (0u128, 0u128);
    weights
        .iter()
        .map(|w| {
            cum = cum.saturating_add(*w);
            let through = match atoms.checked_mul(cum) {
                Some(x) => x / total,
                // Beyond u128 (an absurd bill): proportional in floating point.
                None => (atoms as f64 * (cum as f64 / total as f64)) as u128,
            }
            .min(atoms);
            let part = through.saturating_sub(before);
            before = through;
            part
        })
        .collect()
}

/// Each bin's cost, atoms: every line of each function's bill spread by
/// what it charges for (requests by invocations, compute by handler time,
/// provisioned concurrency by time).
pub fn cost_per_bin(functions: &[FunctionView<'_>], bins: &RunBins, horizon_s: f64) -> Vec<u128> {
    let mut out = vec![0u128; bins.bins];
    let time: Vec<u128> = (0..bins.bins)
        .map(|k| {
            let start = k as f64 * f64::from(bins.bin_s);
            ((horizon_s - start).clamp(0.0, f64::from(bins.bin_s)) * 1e3) as u128
        })
        .collect();
    for (f, s) in functions.iter().zip(&bins.functions) {
        let requests: Vec<u128> = s.invocations.iter().map(|v| *v as u128).collect();
        let compute: Vec<u128> = s.duration_ms.iter().map(|ms| (ms * 1e3) as u128).collect();
        for item in f.bill.lines() {
            let weights = match item.kind {
                LineKind::Requests => &requests,
                LineKind::ProvisionedConcurrency => &time,
                LineKind::Duration | LineKind::ProvisionedDuration | LineKind::EphemeralStorage => &compute,
            };
            for (o, part) in out.iter_mut().zip(spread(item.amount, weights)) {
                *o = o.saturating_add(part);
            }
        }
    }
    out
}

/// The chart.
pub fn run_chart(v: &RunView<'_>) -> String {
    let axis = time_axis(v.horizon_s);
    let mut body = String::new();
    let mut y = 50.0;
    y = concurrency(&mut body, y, v, &axis);
    y = events(&mut body, y, v, &axis);
    if v.bins.percentiles && v.bins.region.response_p99_ms.iter().any(Option::is_some) {
        y = response(&mut body, y, v, &axis);
    }
    y = cost(&mut body, y, v, &axis);
    crate::svg_latency::panel(&mut body, y, v.latency);
    let h = (y + crate::svg_latency::height(v.latency) + 10.0).ceil();
    let mut out = String::with_capacity(body.len() + 400);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{h}\" viewBox=\"0 0 {W} {h}\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"30\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" {FONT}>{}</text>",
        W / 2.0,
        esc(v.title)
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// A panel's heading at `y`; returns the panel's top.
fn heading(out: &mut String, y: f64, text: &str) -> f64 {
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\" {FONT}>{}</text>",
        y + 14.0,
        esc(text)
    );
    y + 24.0
}

/// The x of bin `k`'s start.
fn bin_x(panel: &Panel, axis: &TimeAxis, bins: &RunBins, k: f64) -> f64 {
    panel.x(axis.at(k * f64::from(bins.bin_s)).min(axis.span))
}

/// How a series is drawn: colour, style, stroke width.
type Pen<'a> = (&'a str, Style, f64);

/// `values` as a line through each bin's middle (gaps where `None`).
fn series_line(out: &mut String, panel: &Panel, axis: &TimeAxis, bins: &RunBins, values: &[Option<f64>], pen: Pen<'_>) {
    let (colour, style, w) = pen;
    // A run of consecutive values is a line; a lone value a dot.
    let draw = |out: &mut String, run: &[(f64, f64)]| match run {
        [(x, y)] => {
            let _ = writeln!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"{colour}\"/>");
        }
        _ => line(out, run, colour, style, w),
    };
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (k, v) in values.iter().enumerate() {
        match v {
            Some(v) => run.push((bin_x(panel, axis, bins, k as f64 + 0.5), panel.y(*v))),
            None => {
                draw(out, &run);
                run.clear();
            }
        }
    }
    draw(out, &run);
}

/// The panel below `top` of `height`, its frame, and the y label.
fn framed(out: &mut String, top: f64, height: f64, axis: &TimeAxis, y_top: f64, unit: &str) -> Panel {
    let (y_max, y_step) = nice(y_top * 1.05, 5.0);
    let panel = Panel { top, height, x_max: axis.span, y_max, y_step };
    panel.frame(out, unit, &axis.label(), axis.step);
    panel
}

/// A setting's value over the run: its start, then each change.
fn changing(start: Option<u32>, changes: &[(f64, Option<u32>)]) -> Vec<(f64, Option<u32>)> {
    core::iter::once((0.0, start)).chain(changes.iter().copied()).collect()
}

/// The level of a setting over time (`None` when it is never set): flat and
/// labelled with its value when it never changes, else steps labelled with
/// its first and last values and how many changes.
fn level_over_time(colour: &'static str, style: Style, what: &str, steps: &[(f64, Option<u32>)]) -> Option<Level> {
    let highest = steps.iter().filter_map(|&(_, v)| v).max()?;
    let (first, last) = (steps.first().and_then(|s| s.1), steps.last().and_then(|s| s.1));
    let show = |v: Option<u32>| v.map_or_else(|| "unset".to_owned(), |n| n.to_string());
    if steps.len() == 1 {
        return Some(Level::constant(colour, style, format!("{what} {highest}"), f64::from(highest)));
    }
    let changes = steps.len() - 1;
    let label =
        format!("{what} {} → {} ({changes} change{})", show(first), show(last), if changes == 1 { "" } else { "s" });
    let steps = steps.iter().map(|&(t, v)| (t, v.map(f64::from))).collect();
    Some(Level { colour, style, label, value: f64::from(highest), steps })
}

fn concurrency(out: &mut String, y: f64, v: &RunView<'_>, axis: &TimeAxis) -> f64 {
    let bins = v.bins;
    let peak = |s: &Series| s.busy_max.iter().copied().fold(0.0, f64::max);
    let peaks: Vec<f64> = bins.functions.iter().map(peak).collect();
    let (top, rest) = top_n(&peaks, TOP_FUNCTIONS);
    let others: Vec<f64> =
        (0..bins.bins).map(|k| rest.iter().filter_map(|&f| bins.functions.get(f)?.busy_max.get(k)).sum()).collect();
    let several = bins.functions.len() > 1;
    let mut data_max = peak(&bins.region);
    if !rest.is_empty() {
        data_max = data_max.max(others.iter().copied().fold(0.0, f64::max));
    }
    let mut levels = vec![Level::constant(
        ACCOUNT,
        Style::Dash,
        format!("account limit {}", v.account_limit),
        f64::from(v.account_limit),
    )];
    if let Some(pool) = v.unreserved_pool {
        levels.push(Level::constant(POOL, Style::Dash, format!("unreserved pool {pool}"), pool as f64));
    }
    for (i, fv) in top.iter().filter_map(|&f| v.functions.get(f)).enumerate() {
        let colour = colour_of(i);
        let who = if several { format!("{} ", fv.name) } else { String::new() };
        let reserved = changing(fv.reserved, &fv.reserved_changes);
        if let Some(level) = level_over_time(colour, Style::Dash, &format!("{who}reserved"), &reserved) {
            levels.push(level);
        }
        let provisioned: Vec<(f64, Option<u32>)> = changing(
            Some(fv.provisioned),
            &fv.provisioned_changes.iter().map(|&(t, v)| (t, Some(v))).collect::<Vec<_>>(),
        )
        .into_iter()
        .map(|(t, v)| (t, v.filter(|&n| n > 0)))
        .collect();
        if let Some(level) = level_over_time(colour, Style::Dot, &format!("{who}provisioned"), &provisioned) {
            levels.push(level);
        }
    }
    let (y_top, shown) = fit_levels(data_max, &levels);
    let top_y =
        heading(out, y, &format!("Busy execution environments (most in each {} bin)", width(u64::from(bins.bin_s))));
    let panel = framed(out, top_y, 240.0, axis, y_top, "environments");
    let mut keys = Vec::new();
    if v.warmup_s > 0.0 {
        let x1 = panel.x(axis.at(v.warmup_s).min(axis.span));
        let _ = writeln!(
            out,
            "<rect x=\"{LEFT}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#000000\" fill-opacity=\"0.06\"/>",
            panel.top,
            (x1 - LEFT).max(0.0),
            panel.height
        );
        keys.push(Key { colour: "#dddddd", style: Style::Bar, label: "warm-up (not in the report's counts)".into() });
    }
    let some = |s: &[f64]| -> Vec<Option<f64>> { s.iter().copied().map(Some).collect() };
    if several {
        series_line(out, &panel, axis, bins, &some(&bins.region.busy_max), ("#000000", Style::Line, 1.0));
        keys.push(Key { colour: "#000000", style: Style::Line, label: "all functions".into() });
    }
    for (i, &f) in top.iter().enumerate() {
        let (Some(series), Some(fv)) = (bins.functions.get(f), v.functions.get(f)) else { continue };
        let colour = colour_of(i);
        series_line(out, &panel, axis, bins, &some(&series.busy_max), (colour, Style::Line, 2.0));
        keys.push(Key { colour, style: Style::Line, label: fv.name.to_owned() });
    }
    if !rest.is_empty() {
        series_line(out, &panel, axis, bins, &some(&others), (OTHERS, Style::Line, 2.0));
        keys.push(Key {
            colour: OTHERS,
            style: Style::Line,
            label: format!("others ({} functions, sum of their maxima)", rest.len()),
        });
    }
    for (l, on) in levels.iter().zip(&shown) {
        if *on {
            for run in l.runs(v.horizon_s) {
                let points: Vec<(f64, f64)> =
                    run.iter().map(|&(t, value)| (panel.x(axis.at(t).min(axis.span)), panel.y(value))).collect();
                line(out, &points, l.colour, l.style, 1.5);
            }
            keys.push(Key { colour: l.colour, style: l.style, label: l.label.clone() });
        } else {
            keys.push(Key { colour: l.colour, style: l.style, label: format!("{} (off scale)", l.label) });
        }
    }
    for state in mark_alarms(out, &panel, axis, v.alarms) {
        let colour = match state {
            "ALARM" => "#b2182b",
            "OK" => "#1a9850",
            _ => "#888888",
        };
        keys.push(Key { colour, style: Style::Dot, label: format!("alarm → {state}") });
    }
    let after = panel.top + panel.height + 56.0;
    after + legend(out, after, &keys) + 6.0
}

fn events(out: &mut String, y: f64, v: &RunView<'_>, axis: &TimeAxis) -> f64 {
    let bins = v.bins;
    let r = &bins.region;
    let max = r.cold_starts.iter().chain(&r.throttles).copied().fold(0.0, f64::max);
    let top =
        heading(out, y, &format!("Cold starts and throttles per {} bin (all functions)", width(u64::from(bins.bin_s))));
    let panel = framed(out, top, 130.0, axis, max.max(1.0), "per bin");
    let base = panel.y(0.0);
    for k in 0..bins.bins {
        let (x0, x1) = (bin_x(&panel, axis, bins, k as f64), bin_x(&panel, axis, bins, k as f64 + 1.0));
        let w = ((x1 - x0) * 0.45).max(0.4);
        for (j, (values, colour, what)) in
            [(&r.cold_starts, "#9467bd", "cold starts"), (&r.throttles, ACCOUNT, "throttles")].into_iter().enumerate()
        {
            let value = values.get(k).copied().unwrap_or(0.0);
            if value <= 0.0 {
                continue;
            }
            let yv = panel.y(value);
            let _ = writeln!(
                out,
                "<rect x=\"{:.2}\" y=\"{yv:.1}\" width=\"{w:.2}\" height=\"{:.1}\" fill=\"{colour}\"><title>{what} in bin {k}: {}</title></rect>",
                x0 + (x1 - x0) * 0.05 + w * j as f64,
                (base - yv).max(0.0),
                tick(value)
            );
        }
    }
    let keys = [
        Key {
            colour: "#9467bd",
            style: Style::Bar,
            label: format!("cold starts ({} in the run)", tick(r.cold_starts.iter().sum())),
        },
        Key {
            colour: ACCOUNT,
            style: Style::Bar,
            label: format!("throttles ({} in the run)", tick(r.throttles.iter().sum())),
        },
    ];
    let after = panel.top + panel.height + 56.0;
    after + legend(out, after, &keys) + 6.0
}

fn response(out: &mut String, y: f64, v: &RunView<'_>, axis: &TimeAxis) -> f64 {
    let bins = v.bins;
    let r = &bins.region;
    let max = r.response_p99_ms.iter().chain(&r.response_p50_ms).flatten().copied().fold(0.0, f64::max);
    let (scale, unit) = if max >= 2_000.0 { (1e3, "s") } else { (1.0, "ms") };
    let top = heading(
        out,
        y,
        &format!("Response time per {} bin (all functions, cold-start wait included)", width(u64::from(bins.bin_s))),
    );
    let panel = framed(out, top, 150.0, axis, max / scale, unit);
    let scaled = |s: &[Option<f64>]| -> Vec<Option<f64>> { s.iter().map(|v| v.map(|ms| ms / scale)).collect() };
    series_line(out, &panel, axis, bins, &scaled(&r.response_p99_ms), ("#ff7f0e", Style::Line, 2.0));
    series_line(out, &panel, axis, bins, &scaled(&r.response_p50_ms), ("#1f77b4", Style::Line, 2.0));
    let keys = [
        Key { colour: "#1f77b4", style: Style::Line, label: "p50".into() },
        Key { colour: "#ff7f0e", style: Style::Line, label: "p99".into() },
    ];
    let after = panel.top + panel.height + 56.0;
    after + legend(out, after, &keys) + 6.0
}

fn cost(out: &mut String, y: f64, v: &RunView<'_>, axis: &TimeAxis) -> f64 {
    let bins = v.bins;
    let per_bin = cost_per_bin(&v.functions, bins, v.horizon_s);
    let mut cum = 0u128;
    let cumulative: Vec<u128> = per_bin
        .iter()
        .map(|c| {
            cum = cum.saturating_add(*c);
            cum
        })
        .collect();
    let usd = |atoms: u128| atoms as f64 / lambdasim::money::ATOMS_PER_USD as f64;
    let top = heading(out, y, &format!("Cost, cumulative: {} over the run", amount(Money::from_atoms(cum))));
    let panel = framed(out, top, 130.0, axis, usd(cum), "$");
    // The line starts at 0 and reaches each bin's total at the bin's end.
    let mut points = vec![(panel.x(0.0), panel.y(0.0))];
    for (k, c) in cumulative.iter().enumerate() {
        points.push((bin_x(&panel, axis, bins, k as f64 + 1.0), panel.y(usd(*c))));
    }
    line(out, &points, "#2ca02c", Style::Line, 2.0);
    let after = panel.top + panel.height + 56.0;
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{after:.1}\" font-size=\"11\" {FONT}>Each function's bill for the run (warm-up included, before the free tier), spread over the bins by its requests and compute time.</text>"
    );
    after + 22.0
}

/// Dollars with cents from 10 cents up, else to two significant digits
/// (`$0.44`, `$0.000012`), from the exact amount.
pub fn amount(m: Money) -> String {
    let per_usd = lambdasim::money::ATOMS_PER_USD;
    let mut digits = 2;
    while digits < 12 && m.atoms() > 0 && m.atoms().saturating_mul(10u128.pow(digits - 1)) < per_usd {
        digits += 1;
    }
    format!("${}", usd_digits(m, digits))
}

/// Marks each alarm transition: a dotted vertical line, red into ALARM,
/// green out of it, grey otherwise, labelled with the alarm's name.
/// Returns the states entered, for the legend.
fn mark_alarms(out: &mut String, panel: &Panel, axis: &TimeAxis, alarms: &[AlarmOutcome]) -> Vec<&'static str> {
    let mut seen = std::collections::BTreeSet::new();
    for a in alarms {
        for t in &a.transitions {
            let colour = match t.to {
                "ALARM" => "#b2182b",
                "OK" => "#1a9850",
                _ => "#888888",
            };
            let x = panel.x(axis.at(t.time_s).min(axis.span));
            let (y0, y1) = (panel.top, panel.top + panel.height);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{y0:.1}\" x2=\"{x:.1}\" y2=\"{y1:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"><title>{} at {} s: {} → {}</title></line>",
                esc(&a.name),
                tick(t.time_s),
                t.from,
                t.to
            );
            // Near the right edge the name goes to the left of the line.
            let (tx, anchor) = if x > W - crate::svg::RIGHT - 60.0 { (x - 2.0, "end") } else { (x + 2.0, "start") };
            let _ = writeln!(
                out,
                "<text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"9\" fill=\"{colour}\" {FONT}>{}</text>",
                y0 + 10.0,
                esc(&a.name)
            );
            seen.insert(t.to);
        }
    }
    seen.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_that_changes_is_labelled_by_its_first_and_last_values() {
        let steps = [(0.0, Some(5)), (180.0, Some(8)), (720.0, Some(24))];
        let l = level_over_time("#000", Style::Dot, "provisioned", &steps).unwrap();
        assert_eq!((l.label.as_str(), l.value, l.steps.len()), ("provisioned 5 → 24 (2 changes)", 24.0, 3));
        let flat = level_over_time("#000", Style::Dot, "provisioned", &[(0.0, Some(7))]).unwrap();
        assert_eq!((flat.label.as_str(), flat.steps.len()), ("provisioned 7", 0));
        assert!(level_over_time("#000", Style::Dot, "reserved", &[(0.0, None)]).is_none());
        let set_later = level_over_time("#000", Style::Dash, "reserved", &[(0.0, None), (60.0, Some(3))]).unwrap();
        assert_eq!(set_later.label, "reserved unset → 3 (1 change)");
    }
    use lambdasim::Duration;
    use lambdasim::pricing::{Architecture, Granularity, InvocationUsage, Meter, PriceBook};

    fn bill(requests: u64) -> Bill {
        let mut m = Meter::new();
        let u = InvocationUsage::uniform(
            Architecture::X86_64,
            1024,
            requests,
            Duration::from_millis(100),
            Granularity::Ms1,
        );
        m.add_invocations(&u).unwrap();
        m.bill(&PriceBook::default(), false).unwrap()
    }

    /// `n` functions over 4 bins of 60 s; function i peaks at `peaks[i]`.
    fn bins(peaks: &[f64]) -> RunBins {
        let series = |peak: f64| Series {
            busy_max: vec![peak / 2.0, peak, peak / 2.0, 0.0],
            invocations: vec![10.0, 30.0, 0.0, 0.0],
            cold_starts: vec![1.0, 0.0, 0.0, 0.0],
            throttles: vec![0.0, 2.0, 0.0, 0.0],
            duration_ms: vec![1_000.0, 3_000.0, 0.0, 0.0],
            response_p50_ms: vec![Some(100.0), Some(100.0), None, None],
            response_p99_ms: vec![Some(900.0), Some(300.0), None, None],
        };
        let functions: Vec<Series> = peaks.iter().map(|&p| series(p)).collect();
        let region = series(peaks.iter().sum());
        RunBins { bin_s: 60, bins: 4, percentiles: true, region, functions }
    }

    fn chart(peaks: &[f64], reserved: Option<u32>, provisioned: u32, account_limit: u32) -> String {
        let names: Vec<String> = (0..peaks.len()).map(|i| format!("f{i}")).collect();
        let bills: Vec<Bill> = peaks.iter().map(|_| bill(40)).collect();
        let b = bins(peaks);
        let functions = names
            .iter()
            .zip(&bills)
            .map(|(name, bill)| FunctionView {
                name,
                reserved,
                provisioned,
                reserved_changes: Vec::new(),
                provisioned_changes: Vec::new(),
                bill,
            })
            .collect();
        let view = RunView {
            title: "t",
            horizon_s: 240.0,
            warmup_s: 30.0,
            account_limit,
            unreserved_pool: None,
            functions,
            bins: &b,
            latency: &[],
            alarms: &[],
        };
        run_chart(&view)
    }

    /// The y-axis tick labels of the first panel (busy environments).
    fn first_axis(svg: &str) -> Vec<String> {
        let panel = svg.split("Cold starts and throttles").next().unwrap();
        panel
            .lines()
            .filter(|l| l.contains("text-anchor=\"end\" font-size=\"11\""))
            .map(|l| l.rsplit_once("\">").unwrap().1.trim_end_matches("</text>").to_owned())
            .collect()
    }

    #[test]
    fn the_axis_fits_the_data_and_far_limits_are_noted_off_scale() {
        // Peak 8 under an account limit of 1000: the axis ends near 8, not 1000.
        let s = chart(&[8.0], None, 0, 1_000);
        assert_eq!(first_axis(&s).last().map(String::as_str), Some("10"), "{:?}", first_axis(&s));
        assert!(s.contains("account limit 1000 (off scale)"));
        // Reserved 12 and provisioned 4 are near the data: drawn, and the axis reaches 12.
        let s = chart(&[8.0], Some(12), 4, 1_000);
        assert!(s.contains(">reserved 12<") && s.contains(">provisioned 4<"), "one function: no name");
        assert_eq!(first_axis(&s).last().map(String::as_str), Some("15"), "{:?}", first_axis(&s));
        // An account limit within reach is drawn, not noted.
        let s = chart(&[8.0], None, 0, 10);
        assert!(s.contains(">account limit 10<") && !s.contains("off scale"));
    }

    #[test]
    fn the_top_functions_are_drawn_and_the_rest_summed() {
        assert_eq!(top_n(&[5.0, 9.0, 1.0, 9.0, 3.0, 7.0], 4), (vec![0, 1, 3, 5], vec![2, 4]));
        // One function too many is drawn rather than summed alone.
        assert_eq!(top_n(&[1.0, 2.0, 3.0, 4.0, 5.0], 4), (vec![0, 1, 2, 3, 4], vec![]));
        assert_eq!(top_n(&[1.0], 4), (vec![0], vec![]));
        let s = chart(&[5.0, 9.0, 1.0, 9.0, 3.0, 7.0], Some(20), 0, 1_000);
        assert!(s.contains("others (2 functions, sum of their maxima)") && s.contains(">all functions<"));
        for drawn in ["f0", "f1", "f3", "f5", "f1 reserved 20"] {
            assert!(s.contains(&format!(">{drawn}<")), "{drawn}");
        }
        assert!(!s.contains(">f2<") && !s.contains(">f4<"));
        // Others peak at 2 + 6 = 8 (the sum of their maxima per bin).
        assert!(s.contains("sum of their maxima"));
    }

    #[test]
    fn cost_is_spread_exactly_and_shown_in_dollars() {
        assert_eq!(spread(Money::from_atoms(10), &[1, 1, 1]), vec![3, 3, 4]);
        assert_eq!(spread(Money::from_atoms(7), &[0, 0]), vec![7, 0]);
        assert_eq!(
            spread(Money::from_atoms(u128::MAX / 2), &[u128::MAX / 4, u128::MAX / 4]).iter().sum::<u128>(),
            u128::MAX / 2
        );
        let b = bins(&[4.0, 6.0]);
        let bills = [bill(40), bill(40)];
        let functions: Vec<FunctionView<'_>> = bills
            .iter()
            .map(|bill| FunctionView {
                name: "f",
                reserved: None,
                provisioned: 0,
                reserved_changes: Vec::new(),
                provisioned_changes: Vec::new(),
                bill,
            })
            .collect();
        let per_bin = cost_per_bin(&functions, &b, 240.0);
        let total: u128 = bills.iter().map(|b| b.exact_total().atoms()).sum();
        assert_eq!(per_bin.iter().sum::<u128>(), total);
        assert_eq!((per_bin[2], per_bin[3]), (0, 0), "no requests, no compute, no cost");
        let usd = lambdasim::money::ATOMS_PER_USD;
        assert_eq!(amount(Money::from_atoms(usd * 1_234 / 100)), "$12.34");
        assert_eq!(amount(Money::from_atoms(usd * 436 / 1_000)), "$0.44");
        assert_eq!(amount(Money::from_atoms(usd * 436 / 10_000)), "$0.044");
        assert_eq!(amount(Money::from_atoms(usd * 123 / 10_000_000)), "$0.000012");
        assert_eq!(amount(Money::ZERO), "$0.00");
    }

    #[test]
    fn the_chart_is_deterministic_with_every_panel() {
        let a = chart(&[5.0, 9.0], Some(3), 2, 1_000);
        assert_eq!(a, chart(&[5.0, 9.0], Some(3), 2, 1_000));
        for heading in [
            "Busy execution environments (most in each 1 min bin)",
            "Cold starts and throttles per 1 min bin",
            "Response time per 1 min bin",
            "Cost, cumulative: $",
            "time (seconds)",
        ] {
            assert!(a.contains(heading), "{heading}");
        }
        assert!(a.starts_with("<svg") && a.trim_end().ends_with("</svg>"));
        // A lone response-time value between gaps is a dot, not an invisible line.
        let mut b = bins(&[5.0]);
        b.region.response_p99_ms = vec![None, Some(500.0), None, None];
        let mut s = String::new();
        let panel = Panel { top: 0.0, height: 100.0, x_max: 4.0, y_max: 600.0, y_step: 100.0 };
        series_line(&mut s, &panel, &time_axis(240.0), &b, &b.region.response_p99_ms, ("#000", Style::Line, 2.0));
        assert!(s.starts_with("<circle") && !s.contains("polyline"), "{s}");
    }
}
