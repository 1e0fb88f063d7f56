//! Hand-written SVG: the panel frame and helpers every chart uses, and
//! power tuning's cost and duration against memory (a run's chart is
//! `svg_run`, the metrics chart `svg_metrics`).

use std::fmt::Write as _;

pub(crate) const W: f64 = 960.0;
pub(crate) const LEFT: f64 = 80.0;
pub(crate) const RIGHT: f64 = 80.0;
pub(crate) const FONT: &str = "font-family=\"Helvetica, Arial, sans-serif\"";

/// Escapes text for SVG.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A "nice" axis: (max, step) with 1/2/5 × 10^k steps, about `ticks` of them.
pub(crate) fn nice(max: f64, ticks: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let raw = max / ticks;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    ((max / step).ceil() * step, step)
}

/// A tick label: integers plain, else up to 3 significant decimals.
pub(crate) fn tick(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 && x.abs() < 1e15 {
        format!("{}", x.round() as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// A panel's frame: the plot rectangle, horizontal grid and left ticks.
pub(crate) struct Panel {
    pub(crate) top: f64,
    pub(crate) height: f64,
    pub(crate) x_max: f64,
    pub(crate) y_max: f64,
    pub(crate) y_step: f64,
}

impl Panel {
    pub(crate) fn x(&self, v: f64) -> f64 {
        LEFT + (W - LEFT - RIGHT) * if self.x_max > 0.0 { v / self.x_max } else { 0.0 }
    }
    pub(crate) fn y(&self, v: f64) -> f64 {
        self.top + self.height - self.height * (v / self.y_max).clamp(0.0, 1.0)
    }
    pub(crate) fn frame(&self, out: &mut String, y_label: &str, x_label: &str, x_step: f64) {
        let bottom = self.top + self.height;
        let mut v = 0.0;
        while v <= self.y_max + 1e-9 {
            let y = self.y(v);
            let _ = writeln!(
                out,
                "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e5e5e5\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" {FONT}>{}</text>",
                W - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                tick(v)
            );
            v += self.y_step;
        }
        let mut v = 0.0;
        while v <= self.x_max + 1e-9 {
            let x = self.x(v);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{bottom:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#333\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" {FONT}>{}</text>",
                bottom + 4.0,
                bottom + 17.0,
                tick(v)
            );
            v += x_step;
        }
        let _ = writeln!(
            out,
            "<rect x=\"{LEFT}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#333\"/>",
            self.top,
            W - LEFT - RIGHT,
            self.height
        );
        let mid = self.top + self.height / 2.0;
        let _ = writeln!(
            out,
            "<text x=\"20\" y=\"{mid:.1}\" transform=\"rotate(-90 20 {mid:.1})\" text-anchor=\"middle\" font-size=\"12\" {FONT}>{}</text>",
            esc(y_label)
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" {FONT}>{}</text>",
            LEFT + (W - LEFT - RIGHT) / 2.0,
            bottom + 34.0,
            esc(x_label)
        );
    }
}

/// A legend entry: colour, dashed?, bar?, label.
pub(crate) type Entry<'a> = (&'a str, bool, bool, &'a str);

/// A one-row legend ending at the plot's right edge, just above it.
pub(crate) fn legend(out: &mut String, y: f64, entries: &[Entry<'_>]) {
    let widths: Vec<f64> = entries.iter().map(|e| 44.0 + 6.2 * e.3.chars().count() as f64).collect();
    let mut x = W - RIGHT - widths.iter().sum::<f64>();
    for ((colour, dashed, bar, label), w) in entries.iter().zip(&widths) {
        if *bar {
            let _ =
                writeln!(out, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"20\" height=\"9\" fill=\"{colour}\"/>", y - 8.0);
        } else {
            let dash = if *dashed { " stroke-dasharray=\"6 4\"" } else { "" };
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                y - 4.0,
                x + 20.0,
                y - 4.0
            );
        }
        let _ = writeln!(out, "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\" {FONT}>{}</text>", x + 26.0, esc(label));
        x += w;
    }
}

pub(crate) fn polyline(out: &mut String, points: &[(f64, f64)], colour: &str, dashed: bool) {
    if points.is_empty() {
        return;
    }
    let dash = if dashed { " stroke-dasharray=\"6 4\"" } else { "" };
    let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
        pts.join(" ")
    );
}

/// One tuning candidate for the chart.
pub struct TunePoint {
    pub memory_mb: u32,
    pub duration_ms: f64,
    pub cost_per_1000_usd: f64,
}

/// Cost per 1000 invocations (left axis) and duration (right axis) against memory.
pub fn tune_chart(title: &str, points: &[TunePoint], pick_mb: u32) -> String {
    let h = 520.0;
    let m_max = points.iter().map(|p| f64::from(p.memory_mb)).fold(128.0, f64::max);
    let (x_max, x_step) = nice(m_max, 10.0);
    let c_max = points.iter().map(|p| p.cost_per_1000_usd).fold(0.0, f64::max);
    let (cy_max, cy_step) = nice(c_max * 1.05, 6.0);
    let d_max = points.iter().map(|p| p.duration_ms).fold(0.0, f64::max);
    let (dy_max, dy_step) = nice(d_max * 1.05, 6.0);
    let panel = Panel { top: 70.0, height: 370.0, x_max, y_max: cy_max, y_step: cy_step };
    let dpanel = Panel { top: 70.0, height: 370.0, x_max, y_max: dy_max, y_step: dy_step };
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
    panel.frame(&mut out, "cost per 1000 invocations ($)", "memory (MB)", x_step);
    // The right axis: duration.
    let mut v = 0.0;
    while v <= dy_max + 1e-9 {
        let y = dpanel.y(v);
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#1f77b4\" {FONT}>{}</text>",
            W - RIGHT + 6.0,
            y + 4.0,
            tick(v)
        );
        v += dy_step;
    }
    let mid = dpanel.top + dpanel.height / 2.0;
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{mid:.1}\" transform=\"rotate(90 {:.1} {mid:.1})\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1f77b4\" {FONT}>duration (ms)</text>",
        W - 20.0,
        W - 20.0
    );
    let px = panel.x(f64::from(pick_mb));
    let _ = writeln!(
        out,
        "<line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#2ca02c\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#2ca02c\" {FONT}>pick: {pick_mb} MB</text>",
        panel.top,
        panel.top + panel.height,
        px + 4.0,
        panel.top + 14.0
    );
    let cost: Vec<(f64, f64)> =
        points.iter().map(|p| (panel.x(f64::from(p.memory_mb)), panel.y(p.cost_per_1000_usd))).collect();
    let dur: Vec<(f64, f64)> =
        points.iter().map(|p| (dpanel.x(f64::from(p.memory_mb)), dpanel.y(p.duration_ms))).collect();
    polyline(&mut out, &cost, "#d62728", false);
    polyline(&mut out, &dur, "#1f77b4", false);
    if points.len() <= 64 {
        for (x, y) in &cost {
            let _ = writeln!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#d62728\"/>");
        }
        for (x, y) in &dur {
            let _ = writeln!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#1f77b4\"/>");
        }
    }
    legend(
        &mut out,
        panel.top - 10.0,
        &[("#d62728", false, false, "cost per 1000 invocations"), ("#1f77b4", false, false, "duration (right axis)")],
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_axes() {
        assert_eq!(nice(3150.0, 6.0), (4000.0, 1000.0));
        assert_eq!(nice(2900.0, 6.0), (3000.0, 500.0));
        assert_eq!(nice(0.0, 5.0), (1.0, 0.2));
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(3.0), "3");
    }

    #[test]
    fn tune_chart_is_svg() {
        let t = tune_chart("t", &[TunePoint { memory_mb: 128, duration_ms: 10.0, cost_per_1000_usd: 0.1 }], 128);
        assert!(t.starts_with("<svg") && t.contains("pick: 128 MB"));
    }
}
