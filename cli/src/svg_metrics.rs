//! `lambdasim metrics --svg`: per function, the graphs the Lambda console's
//! monitoring tab shows, period by period, each y axis fitted to its data
//! and the time axis in seconds, minutes, hours or days as the span asks.

use crate::svg::{Entry, FONT, LEFT, Panel, W, esc, legend, nice, polyline};
use crate::svg_axes::{LEVEL_REACH, time_axis};
use lambdasim_scenario::metrics::{ChartData, FunctionChart};
use std::fmt::Write as _;

const PANEL_H: f64 = 120.0;
/// A panel with its title, legend and x labels.
const BLOCK_H: f64 = 185.0;
const TOP: f64 = 60.0;

/// A series to draw: colour, dashed, label, values (`None`: no datapoint).
type Series<'a> = (&'a str, bool, String, &'a [Option<f64>]);
/// A level to draw: colour, label, value.
type Level = (&'static str, String, f64);
/// A panel: heading, unit, series, levels.
type PanelSpec<'a> = (String, &'static str, Vec<Series<'a>>, Vec<Level>);

/// The chart of `data`.
pub fn metrics_chart(title: &str, data: &ChartData) -> String {
    let panels: usize = data.functions.iter().map(|f| 3 + usize::from(f.provisioned > 0)).sum();
    let h = TOP + BLOCK_H * panels as f64 + 30.0 * data.functions.len() as f64 + 10.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{h}\" viewBox=\"0 0 {W} {h}\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"30\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" {FONT}>{}</text>",
        W / 2.0,
        esc(title)
    );
    let mut y = TOP;
    for f in &data.functions {
        let _ = writeln!(
            out,
            "<text x=\"{LEFT}\" y=\"{:.1}\" font-size=\"15\" font-weight=\"bold\" {FONT}>{}</text>",
            y + 14.0,
            esc(&f.name)
        );
        y += 30.0;
        for (heading, unit, series, levels) in panels_of(f, data) {
            draw(&mut out, y, data.period_s, &heading, unit, &series, &levels);
            y += BLOCK_H;
        }
    }
    out.push_str("</svg>\n");
    out
}

/// A function's panels: heading, unit, series, and levels (colour, label, value).
fn panels_of<'a>(f: &'a FunctionChart, data: &ChartData) -> Vec<PanelSpec<'a>> {
    let mut levels = vec![("#d62728", format!("account limit {}", data.account_limit), f64::from(data.account_limit))];
    if let Some(rc) = f.reserved {
        levels.push(("#ff7f0e", format!("reserved {rc}"), f64::from(rc)));
    }
    if f.provisioned > 0 {
        levels.push(("#2ca02c", format!("provisioned {}", f.provisioned), f64::from(f.provisioned)));
    }
    let mut panels = vec![
        (
            "Invocations, errors and throttles (Sum)".to_owned(),
            "count",
            vec![
                ("#1f77b4", false, "Invocations".to_owned(), f.invocations.as_slice()),
                ("#d62728", false, "Errors".to_owned(), f.errors.as_slice()),
                ("#9467bd", false, "Throttles".to_owned(), f.throttles.as_slice()),
            ],
            Vec::new(),
        ),
        (
            "ConcurrentExecutions (Maximum)".to_owned(),
            "environments",
            vec![("#1f77b4", false, "ConcurrentExecutions".to_owned(), f.concurrency.as_slice())],
            levels,
        ),
        (
            "Duration".to_owned(),
            "ms",
            vec![
                ("#1f77b4", false, "p50".to_owned(), f.duration_p50_ms.as_slice()),
                ("#ff7f0e", false, "p99".to_owned(), f.duration_p99_ms.as_slice()),
            ],
            Vec::new(),
        ),
    ];
    if f.provisioned > 0 {
        panels.push((
            "ProvisionedConcurrencyUtilization (Maximum)".to_owned(),
            "%",
            vec![("#2ca02c", false, "utilization".to_owned(), f.utilization_pct.as_slice())],
            Vec::new(),
        ));
    }
    panels
}

/// One panel at `top`: the series as lines (a gap where a period has no
/// datapoint), the levels as dashed lines when they fall within
/// [`LEVEL_REACH`] times the data's maximum (else only in the legend, "off scale"), the y axis fitted
/// to what is drawn.
fn draw(
    out: &mut String,
    top: f64,
    period_s: u32,
    heading: &str,
    unit: &str,
    series: &[Series<'_>],
    levels: &[(&str, String, f64)],
) {
    let periods = series.iter().map(|s| s.3.len()).max().unwrap_or(0);
    let data_max = series.iter().flat_map(|s| s.3.iter().flatten()).copied().fold(0.0f64, f64::max);
    let shown: Vec<&(&str, String, f64)> =
        levels.iter().filter(|l| data_max > 0.0 && l.2 <= LEVEL_REACH * data_max.max(1.0)).collect();
    let y_top = shown.iter().map(|l| l.2).fold(data_max, f64::max).max(1.0);
    let (y_max, y_step) = nice(y_top * 1.05, 4.0);
    let axis = time_axis((periods as f64) * f64::from(period_s));
    let x_max = axis.span;
    let panel = Panel { top: top + 25.0, height: PANEL_H, x_max, y_max, y_step };
    // The heading on its own line, the legend on the next (a long legend
    // would run into the heading beside it).
    let _ = writeln!(out, "<text x=\"{LEFT}\" y=\"{:.1}\" font-size=\"13\" {FONT}>{}</text>", top + 6.0, esc(heading));
    panel.frame(out, unit, &axis.label(), axis.step);
    let at = |k: usize| panel.x(axis.at((k as f64 + 0.5) * f64::from(period_s)));
    let mut entries: Vec<(String, &str, bool)> = Vec::new();
    for (colour, dashed, label, values) in series {
        // Runs of consecutive datapoints, each its own polyline.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (k, v) in values.iter().enumerate() {
            match v {
                Some(v) => run.push((at(k), panel.y(*v))),
                None => {
                    draw_run(out, &run, colour, *dashed);
                    run.clear();
                }
            }
        }
        draw_run(out, &run, colour, *dashed);
        entries.push((label.clone(), colour, *dashed));
    }
    for (colour, label, value) in levels {
        let on_scale = shown.iter().any(|l| l.1 == *label);
        if on_scale {
            let y = panel.y(*value);
            polyline(out, &[(panel.x(0.0), y), (panel.x(x_max), y)], colour, true);
            entries.push((label.clone(), colour, true));
        } else {
            entries.push((format!("{label} (off scale)"), colour, true));
        }
    }
    let legend_entries: Vec<Entry<'_>> = entries.iter().map(|(l, c, d)| (*c, *d, false, l.as_str())).collect();
    legend(out, panel.top - 5.0, &legend_entries);
}

/// A run of points: a line, or a dot for a single datapoint.
fn draw_run(out: &mut String, run: &[(f64, f64)], colour: &str, dashed: bool) {
    match run {
        [] => {}
        [(x, y)] => {
            let _ = writeln!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"{colour}\"/>");
        }
        _ => polyline(out, run, colour, dashed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_axes_levels_off_scale_and_gaps() {
        let f = FunctionChart {
            name: "api <1>".into(),
            reserved: Some(40),
            provisioned: 0,
            invocations: vec![Some(10.0), None, Some(12.0)],
            errors: vec![Some(1.0), None, None],
            throttles: vec![None, None, None],
            concurrency: vec![Some(30.0), None, Some(35.0)],
            duration_p50_ms: vec![Some(100.0), None, Some(110.0)],
            duration_p99_ms: vec![Some(300.0), None, Some(320.0)],
            utilization_pct: vec![None, None, None],
        };
        let s = metrics_chart("t", &ChartData { period_s: 60, account_limit: 1000, functions: vec![f] });
        assert!(s.starts_with("<svg") && s.contains("api &lt;1&gt;"));
        // RC 40 is drawn beside 35 busy; the account limit of 1000 is not (off scale).
        assert!(s.contains("reserved 40") && s.contains("account limit 1000 (off scale)"));
        assert!(!s.contains("ProvisionedConcurrencyUtilization"), "no PC, no utilization panel");
        // A single datapoint (errors) is a dot.
        assert!(s.contains("<circle"));
    }
}
