//! The run chart's latency panel: per function (and the total), the
//! handler duration and response time distributions on a log time axis.

use crate::svg::{FONT, LEFT, RIGHT, W, esc, legend};
use lambdasim::sim::{LatencySummary, Percentiles};
use std::fmt::Write as _;

const HANDLER: &str = "#1f77b4";
const RESPONSE: &str = "#ff7f0e";
/// Height of one function's two bars.
const ROW: f64 = 44.0;
/// The right end of the time axis: the labels take the rest of the width.
const AXIS_END: f64 = W - RIGHT - 100.0;

/// A log-scale time axis over whole decades of milliseconds.
struct Axis {
    lo: f64,
    hi: f64,
}

impl Axis {
    /// Decades covering every value of `rows` (at least 1 µs .. 10 µs).
    fn new(rows: &[(String, LatencySummary)]) -> Axis {
        let values = rows.iter().flat_map(|(_, l)| [l.handler_duration, l.response_time]).filter(|p| p.samples > 0);
        let (mut min, mut max) = (f64::INFINITY, 0.0f64);
        for p in values {
            min = min.min(p.p50_us as f64 / 1e3);
            max = max.max(p.max_us as f64 / 1e3);
        }
        let lo = 10f64.powf(min.max(1e-3).log10().floor());
        let hi = 10f64.powf(max.max(1e-3).log10().ceil()).max(lo * 10.0);
        Axis { lo, hi }
    }

    fn x(&self, ms: f64) -> f64 {
        let f = (ms.max(self.lo).log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10());
        LEFT + (AXIS_END - LEFT) * f.clamp(0.0, 1.0)
    }

    /// The decades, as (ms, label).
    fn ticks(&self) -> Vec<(f64, String)> {
        let mut out = Vec::new();
        let mut v = self.lo;
        while v <= self.hi * 1.000_001 {
            let label = if v >= 1_000.0 {
                format!("{} s", crate::svg::tick(v / 1e3))
            } else {
                format!("{} ms", crate::svg::tick(v))
            };
            out.push((v, label));
            v *= 10.0;
        }
        out
    }
}

/// The panel's height for `rows` functions (0 when there is nothing to draw).
pub fn height(rows: &[(String, LatencySummary)]) -> f64 {
    if rows.iter().all(|(_, l)| l.handler_duration.samples == 0) { 0.0 } else { 90.0 + ROW * rows.len() as f64 }
}

/// One distribution as a bar from p50 to p99 with a whisker to the maximum
/// and a mark at p90, `y` its top; `label` at the right of the axis.
fn bar(out: &mut String, axis: &Axis, p: &Percentiles, y: f64, colour: &str, what: &str, label: &str) {
    let ms = |us: u64| us as f64 / 1e3;
    let (x50, x90, x99, xmax) =
        (axis.x(ms(p.p50_us)), axis.x(ms(p.p90_us)), axis.x(ms(p.p99_us)), axis.x(ms(p.max_us)));
    let h = 14.0;
    let _ = writeln!(
        out,
        "<line x1=\"{x99:.1}\" y1=\"{:.1}\" x2=\"{xmax:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\n<line x1=\"{xmax:.1}\" y1=\"{y:.1}\" x2=\"{xmax:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>",
        y + h / 2.0,
        y + h / 2.0,
        y + h
    );
    let _ = writeln!(
        out,
        "<rect x=\"{x50:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h}\" fill=\"{colour}\" fill-opacity=\"0.85\"><title>{what}: p50 {} ms, p90 {} ms, p99 {} ms, max {} ms</title></rect>",
        (x99 - x50).max(4.0),
        ms(p.p50_us),
        ms(p.p90_us),
        ms(p.p99_us),
        ms(p.max_us)
    );
    let _ = writeln!(
        out,
        "<line x1=\"{x90:.1}\" y1=\"{y:.1}\" x2=\"{x90:.1}\" y2=\"{:.1}\" stroke=\"white\" stroke-width=\"1.5\"/>",
        y + h
    );
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" {FONT}>{}</text>",
        AXIS_END + 8.0,
        y + 11.0,
        esc(label)
    );
}

/// A duration for a label: 3 significant digits, in ms below 1 s.
fn short(us: u64) -> String {
    let ms = us as f64 / 1e3;
    match ms {
        m if m >= 10_000.0 => format!("{:.1} s", m / 1e3),
        m if m >= 1_000.0 => format!("{:.2} s", m / 1e3),
        m if m >= 100.0 => format!("{m:.0} ms"),
        m if m >= 10.0 => format!("{m:.1} ms"),
        m => format!("{m:.2} ms"),
    }
}

/// Draws the panel from `top` (see [`height`]).
pub fn panel(out: &mut String, top: f64, rows: &[(String, LatencySummary)]) {
    if height(rows) == 0.0 {
        return;
    }
    let axis = Axis::new(rows);
    let plot_top = top + 30.0;
    let bottom = plot_top + ROW * rows.len() as f64;
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{:.1}\" font-size=\"13\" {FONT}>Latency after the warm-up (bar p50–p99, white mark p90, whisker to max; log scale)</text>",
        top + 10.0
    );
    legend(
        out,
        plot_top - 6.0,
        &[(HANDLER, false, true, "handler duration"), (RESPONSE, false, true, "response time")],
    );
    for (v, label) in axis.ticks() {
        let x = axis.x(v);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{plot_top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#e5e5e5\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" {FONT}>{label}</text>",
            bottom + 15.0
        );
    }
    for (i, (name, l)) in rows.iter().enumerate() {
        let y = plot_top + ROW * i as f64 + 6.0;
        let name: String = name.chars().take(11).collect();
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" {FONT}>{}</text>",
            LEFT - 6.0,
            y + 20.0,
            esc(&name)
        );
        if l.handler_duration.samples == 0 {
            continue;
        }
        let (h, r) = (l.handler_duration, l.response_time);
        bar(out, &axis, &h, y, HANDLER, "handler duration", &format!("p99 {}", short(h.p99_us)));
        let added = match l.cold_start_added_p99_us {
            0 => String::new(),
            us => format!(" (+{} cold)", short(us)),
        };
        bar(out, &axis, &r, y + 17.0, RESPONSE, "response time", &format!("p99 {}{added}", short(r.p99_us)));
    }
    let _ = writeln!(
        out,
        "<rect x=\"{LEFT}\" y=\"{plot_top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#333\"/>",
        AXIS_END - LEFT,
        bottom - plot_top
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(handler_ms: u64, added_ms: u64) -> LatencySummary {
        let p = |ms: u64| Percentiles {
            samples: 10,
            p50_us: ms * 500,
            p90_us: ms * 900,
            p99_us: ms * 1_000,
            max_us: ms * 2_000,
        };
        LatencySummary {
            handler_duration: p(handler_ms),
            response_time: p(handler_ms + added_ms),
            cold_start_added_p99_us: added_ms * 1_000,
            ..LatencySummary::default()
        }
    }

    #[test]
    fn the_axis_covers_whole_decades_of_every_row() {
        let rows = [("a".to_owned(), summary(20, 0)), ("b".to_owned(), summary(3_000, 250))];
        let axis = Axis::new(&rows);
        assert_eq!((axis.lo, axis.hi), (10.0, 10_000.0));
        let labels: Vec<String> = axis.ticks().into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["10 ms", "100 ms", "1 s", "10 s"]);
        assert!((axis.x(10.0) - LEFT).abs() < 1e-9 && (axis.x(10_000.0) - AXIS_END).abs() < 1e-9);
    }

    #[test]
    fn the_panel_labels_p99_and_the_cold_start_latency() {
        let rows = [("api <1>".to_owned(), summary(20, 0)), ("burst".to_owned(), summary(3_000, 250))];
        let mut out = String::new();
        panel(&mut out, 0.0, &rows);
        assert!(out.contains("api &lt;1&gt;") && out.contains("p99 20.0 ms<"), "{out}");
        assert!(out.contains("p99 3.25 s (+250 ms cold)"), "{out}");
        assert_eq!(height(&rows), 90.0 + 2.0 * ROW);
        assert_eq!(height(&[("idle".to_owned(), LatencySummary::default())]), 0.0);
    }
}
