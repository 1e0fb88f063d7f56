//! Hand-written SVG charts: a run's concurrency and per-minute events, and
//! power tuning's cost and duration against memory.

use lambdasim::sim::{LatencySummary, MinutePoint};
use lambdasim_scenario::alarms::AlarmOutcome;
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

/// Concurrency per minute against the limits, and cold starts and
/// throttles per minute as bars; each point covers `bucket_minutes` minutes
/// (a long run's coarsened series), which the labels say. Below, the
/// latency of each of `latency`'s rows (functions, then the total).
pub fn run_chart(
    title: &str,
    minutes: &[MinutePoint],
    bucket_minutes: u64,
    latency: &[(String, LatencySummary)],
    alarms: &[AlarmOutcome],
) -> String {
    let (per, x_label) = match bucket_minutes {
        0 | 1 => ("per minute".to_owned(), "minute".to_owned()),
        b => (format!("per {b} minutes"), format!("{b}-minute bucket")),
    };
    let h = 700.0 + crate::svg_latency::height(latency);
    let n = minutes.len().max(1) as f64;
    let x_max = n;
    let (x_top, x_step) = nice(x_max, 10.0);
    let x_max = x_top.max(1.0);
    let conc_max = minutes
        .iter()
        .map(|m| f64::from(m.busy_max).max(m.live_avg).max(f64::from(m.account_limit)).max(m.unreserved_pool as f64))
        .fold(1.0, f64::max);
    let (y_max, y_step) = nice(conc_max * 1.05, 6.0);
    let top = Panel { top: 70.0, height: 300.0, x_max, y_max, y_step };
    let ev_max = minutes.iter().map(|m| m.cold_starts.max(m.throttles) as f64).fold(1.0, f64::max);
    let (e_max, e_step) = nice(ev_max * 1.05, 5.0);
    let bottom = Panel { top: 450.0, height: 190.0, x_max, y_max: e_max, y_step: e_step };

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
    let _ = writeln!(out, "<text x=\"{LEFT}\" y=\"60\" font-size=\"13\" {FONT}>Concurrency {per}</text>");
    top.frame(&mut out, "environments", &x_label, x_step);
    // Each minute's value is drawn at its midpoint.
    let series = |f: &dyn Fn(&MinutePoint) -> f64| -> Vec<(f64, f64)> {
        minutes.iter().enumerate().map(|(i, m)| (top.x(i as f64 + 0.5), top.y(f(m)))).collect()
    };
    let step_series = |f: &dyn Fn(&MinutePoint) -> f64| -> Vec<(f64, f64)> {
        let mut pts = Vec::with_capacity(minutes.len() * 2);
        for (i, m) in minutes.iter().enumerate() {
            pts.push((top.x(i as f64), top.y(f(m))));
            pts.push((top.x(i as f64 + 1.0), top.y(f(m))));
        }
        pts
    };
    polyline(&mut out, &step_series(&|m| f64::from(m.account_limit)), "#d62728", true);
    polyline(&mut out, &step_series(&|m| m.unreserved_pool as f64), "#ff7f0e", true);
    polyline(&mut out, &series(&|m| m.live_avg), "#2ca02c", false);
    polyline(&mut out, &series(&|m| f64::from(m.busy_max)), "#1f77b4", false);
    if mark_alarms(&mut out, &top, alarms, bucket_minutes.max(1)) {
        // A row of its own, above the levels' legend.
        legend(
            &mut out,
            top.top - 24.0,
            &[("#b2182b", true, false, "alarm → ALARM"), ("#1a9850", true, false, "alarm → OK")],
        );
    }
    legend(
        &mut out,
        top.top - 10.0,
        &[
            ("#1f77b4", false, false, &format!("busy (max {per})")),
            ("#2ca02c", false, false, &format!("live (average {per})")),
            ("#d62728", true, false, "account limit"),
            ("#ff7f0e", true, false, "unreserved pool"),
        ],
    );

    let _ =
        writeln!(out, "<text x=\"{LEFT}\" y=\"440\" font-size=\"13\" {FONT}>Cold starts and throttles {per}</text>");
    bottom.frame(&mut out, &per, &x_label, x_step);
    let slot = bottom.x(1.0) - bottom.x(0.0);
    let bar_w = (slot * 0.4).max(0.5);
    let base = bottom.y(0.0);
    for (i, m) in minutes.iter().enumerate() {
        for (k, (v, colour)) in [(m.cold_starts, "#9467bd"), (m.throttles, "#d62728")].into_iter().enumerate() {
            if v == 0 {
                continue;
            }
            let x = bottom.x(i as f64) + slot * 0.1 + bar_w * k as f64;
            let y = bottom.y(v as f64);
            let _ = writeln!(
                out,
                "<rect x=\"{x:.2}\" y=\"{y:.1}\" width=\"{bar_w:.2}\" height=\"{:.1}\" fill=\"{colour}\"><title>minute {i}: {v}</title></rect>",
                (base - y).max(0.0)
            );
        }
    }
    legend(
        &mut out,
        bottom.top - 10.0,
        &[("#9467bd", false, true, "cold starts"), ("#d62728", false, true, "throttles")],
    );
    crate::svg_latency::panel(&mut out, 690.0, latency);
    out.push_str("</svg>\n");
    out
}

/// Marks each alarm transition on `panel` (x in buckets of
/// `bucket_minutes`): a dashed vertical line, red into ALARM, green out of
/// it, grey otherwise, labelled with the alarm's name. Returns whether any
/// was drawn.
fn mark_alarms(out: &mut String, panel: &Panel, alarms: &[AlarmOutcome], bucket_minutes: u64) -> bool {
    let mut any = false;
    for a in alarms {
        for t in &a.transitions {
            let colour = match t.to {
                "ALARM" => "#b2182b",
                "OK" => "#1a9850",
                _ => "#888888",
            };
            let x = panel.x(t.time_s / 60.0 / bucket_minutes as f64);
            let (y0, y1) = (panel.top, panel.top + panel.height);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{y0:.1}\" x2=\"{x:.1}\" y2=\"{y1:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"><title>{} at {} s: {} → {}</title></line>",
                esc(&a.name),
                tick(t.time_s),
                t.from,
                t.to
            );
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" fill=\"{colour}\" {FONT}>{}</text>",
                x + 2.0,
                y0 + 10.0,
                esc(&a.name)
            );
            any = true;
        }
    }
    any
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
    fn charts_are_svg() {
        let m = [MinutePoint {
            minute: 0,
            busy_max: 5,
            cold_starts: 2,
            throttles: 1,
            account_limit: 1000,
            ..MinutePoint::default()
        }];
        let s = run_chart("a <b>", &m, 1, &[], &[]);
        assert!(!s.contains("alarm → ALARM"));
        let alarms = [AlarmOutcome {
            name: "throttles".into(),
            state: "ALARM",
            transitions: vec![lambdasim_scenario::alarms::TransitionJson {
                time_s: 60.0,
                from: "INSUFFICIENT_DATA",
                to: "ALARM",
            }],
        }];
        let marked = run_chart("a", &m, 1, &[], &alarms);
        assert!(marked.contains("alarm → ALARM") && marked.contains("throttles at 60 s: INSUFFICIENT_DATA → ALARM"));
        assert!(s.starts_with("<svg") && s.contains("a &lt;b&gt;") && s.contains("account limit"));
        let t = tune_chart("t", &[TunePoint { memory_mb: 128, duration_ms: 10.0, cost_per_1000_usd: 0.1 }], 128);
        assert!(t.contains("pick: 128 MB"));
    }
}
