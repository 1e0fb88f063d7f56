//! What the charts share beyond a panel's frame: a time axis whose unit
//! follows the span, y axes fitted to the data with limits drawn only when
//! they are near it, and a legend that wraps.

use crate::svg::{FONT, LEFT, RIGHT, W, esc};
use std::fmt::Write as _;

/// A level (a limit, a reserved or provisioned concurrency) is drawn when it
/// is at most this many times the data's maximum; further up it would
/// squash the data flat, so it is only named in the legend, "off scale".
pub const LEVEL_REACH: f64 = 2.0;

/// A time axis: values are in `unit_s`-second units from the run's start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    /// Seconds per unit.
    pub unit_s: f64,
    /// The unit's name, plural ("seconds", "minutes", "hours", "days").
    pub unit: &'static str,
    /// The span in units (the axis ends there, not at a rounder number).
    pub span: f64,
    /// Units between ticks.
    pub step: f64,
}

/// The axis of a span of `span_s` seconds: seconds up to 5 minutes, minutes
/// up to 5 hours, hours up to 3 days, days beyond; ticks at steps people
/// count in (15 s, 10 min, 6 h, a week), at most 12 of them.
pub fn time_axis(span_s: f64) -> TimeAxis {
    let span_s = if span_s.is_finite() && span_s > 0.0 { span_s } else { 1.0 };
    let (unit_s, unit, steps): (f64, &str, &[f64]) = if span_s <= 300.0 {
        (1.0, "seconds", &[1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0])
    } else if span_s <= 5.0 * 3_600.0 {
        (60.0, "minutes", &[1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0])
    } else if span_s <= 3.0 * 86_400.0 {
        (3_600.0, "hours", &[1.0, 2.0, 3.0, 6.0, 12.0, 24.0])
    } else {
        (86_400.0, "days", &[1.0, 2.0, 7.0, 14.0, 30.0, 60.0, 91.0, 182.0, 365.0])
    };
    let span = span_s / unit_s;
    let fallback = steps.last().copied().unwrap_or(1.0);
    let step = steps.iter().copied().find(|s| span / s <= 12.0).unwrap_or(fallback);
    TimeAxis { unit_s, unit, span, step }
}

impl TimeAxis {
    /// `seconds` in this axis's units.
    pub fn at(&self, seconds: f64) -> f64 {
        seconds / self.unit_s
    }

    /// "time (hours)".
    pub fn label(&self) -> String {
        format!("time ({})", self.unit)
    }
}

/// A bin width for a heading: "5 s", "10 min", "6 h", "1 day".
pub fn width(seconds: u64) -> String {
    match seconds {
        s if s >= 86_400 && s.is_multiple_of(86_400) => match s / 86_400 {
            1 => "1 day".to_owned(),
            d => format!("{d} days"),
        },
        s if s >= 3_600 && s.is_multiple_of(3_600) => format!("{} h", s / 3_600),
        s if s >= 60 && s.is_multiple_of(60) => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// How a legend key is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Line,
    /// Long dashes (limits, reserved concurrency).
    Dash,
    /// Short dots (provisioned concurrency).
    Dot,
    Bar,
}

impl Style {
    /// The `stroke-dasharray` attribute, with its leading space.
    pub fn dash(self) -> &'static str {
        match self {
            Style::Dash => " stroke-dasharray=\"6 4\"",
            Style::Dot => " stroke-dasharray=\"2 3\"",
            Style::Line | Style::Bar => "",
        }
    }
}

/// A horizontal level: colour, style, what it is, value.
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    pub colour: &'static str,
    pub style: Style,
    pub label: String,
    /// The level (its highest, when it changes over time: what the axis
    /// must reach).
    pub value: f64,
    /// A level that changes: `(time_s, value)` from time 0 on, `None`
    /// where it is unset; empty for a constant level.
    pub steps: Vec<(f64, Option<f64>)>,
}

impl Level {
    /// A level that holds for the whole run.
    pub fn constant(colour: &'static str, style: Style, label: String, value: f64) -> Level {
        Level { colour, style, label, value, steps: Vec::new() }
    }

    /// The level's runs over `[0, span_s]` as `(time_s, value)` polylines:
    /// one horizontal run for a constant level, steps for a changing one.
    pub fn runs(&self, span_s: f64) -> Vec<Vec<(f64, f64)>> {
        if self.steps.is_empty() {
            return vec![vec![(0.0, self.value), (span_s, self.value)]];
        }
        let mut runs = Vec::new();
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (k, &(at, value)) in self.steps.iter().enumerate() {
            let until = self.steps.get(k + 1).map_or(span_s, |&(next, _)| next).min(span_s);
            let at = at.clamp(0.0, span_s);
            match value {
                Some(v) => {
                    run.push((at, v));
                    run.push((until, v));
                }
                None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                None => {}
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        runs
    }
}

/// The top of a y axis showing data up to `data_max` and each of `levels`
/// within [`LEVEL_REACH`] of it; whether each level is on the axis.
pub fn fit_levels(data_max: f64, levels: &[Level]) -> (f64, Vec<bool>) {
    let data_max = if data_max.is_finite() { data_max.max(0.0) } else { 0.0 };
    let reach = LEVEL_REACH * data_max.max(1.0);
    let shown: Vec<bool> = levels.iter().map(|l| l.value >= 0.0 && l.value <= reach).collect();
    let top = levels.iter().zip(&shown).filter(|(_, s)| **s).map(|(l, _)| l.value).fold(data_max, f64::max);
    (top.max(1.0), shown)
}

/// A legend key.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub colour: &'static str,
    pub style: Style,
    pub label: String,
}

/// Legend keys from `LEFT`, wrapping at the plot's right edge, the first
/// row's text baseline at `y`. Returns the height used.
pub fn legend(out: &mut String, y: f64, keys: &[Key]) -> f64 {
    const ROW: f64 = 16.0;
    let mut x = LEFT;
    let mut row_y = y;
    for k in keys {
        let w = 34.0 + 6.2 * k.label.chars().count() as f64;
        if x > LEFT && x + w > W - RIGHT {
            x = LEFT;
            row_y += ROW;
        }
        if k.style == Style::Bar {
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"20\" height=\"9\" fill=\"{}\"/>",
                row_y - 8.0,
                k.colour
            );
        } else {
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2\"{}/>",
                row_y - 4.0,
                x + 20.0,
                row_y - 4.0,
                k.colour,
                k.style.dash()
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{row_y:.1}\" font-size=\"11\" {FONT}>{}</text>",
            x + 26.0,
            esc(&k.label)
        );
        x += w;
    }
    if keys.is_empty() { 0.0 } else { row_y - y + ROW }
}

/// A polyline in `style` (nothing for fewer than one point).
pub fn line(out: &mut String, points: &[(f64, f64)], colour: &str, style: Style, width: f64) {
    if points.is_empty() {
        return;
    }
    let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\"{}/>",
        pts.join(" "),
        style.dash()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_follows_the_span() {
        let a = time_axis(60.0);
        assert_eq!((a.unit, a.span, a.step), ("seconds", 60.0, 5.0));
        let a = time_axis(3_600.0);
        assert_eq!((a.unit, a.span, a.step), ("minutes", 60.0, 5.0));
        let a = time_axis(86_400.0);
        assert_eq!((a.unit, a.span, a.step), ("hours", 24.0, 2.0));
        let a = time_axis(7.0 * 86_400.0);
        assert_eq!((a.unit, a.span, a.step), ("days", 7.0, 1.0));
        let a = time_axis(90.0 * 86_400.0);
        assert_eq!((a.unit, a.step), ("days", 14.0));
        assert_eq!(a.label(), "time (days)");
        assert_eq!(time_axis(0.0).unit, "seconds");
        assert_eq!([width(5), width(600), width(7_200), width(86_400)], ["5 s", "10 min", "2 h", "1 day"]);
    }

    #[test]
    fn a_changing_level_is_drawn_as_steps_and_gaps() {
        let constant = Level::constant("#000", Style::Dot, String::new(), 5.0);
        assert_eq!(constant.runs(100.0), vec![vec![(0.0, 5.0), (100.0, 5.0)]]);
        let steps = vec![(0.0, Some(5.0)), (30.0, Some(8.0)), (60.0, None), (80.0, Some(2.0))];
        let changing = Level { steps, ..constant };
        assert_eq!(
            changing.runs(100.0),
            vec![vec![(0.0, 5.0), (30.0, 5.0), (30.0, 8.0), (60.0, 8.0)], vec![(80.0, 2.0), (100.0, 2.0)]]
        );
    }

    #[test]
    fn levels_far_above_the_data_are_off_scale() {
        let level = |value: f64| Level::constant("#000", Style::Dash, String::new(), value);
        // 35 busy: reserved 40 is drawn, the account limit of 1000 is not.
        let (top, shown) = fit_levels(35.0, &[level(40.0), level(1_000.0)]);
        assert_eq!((top, shown), (40.0, vec![true, false]));
        // Data above every level: the axis follows the data.
        assert_eq!(fit_levels(500.0, &[level(100.0)]), (500.0, vec![true]));
        // No data: a level of 1 or 2 still shows; 10 does not.
        assert_eq!(fit_levels(0.0, &[level(2.0), level(10.0)]), (2.0, vec![true, false]));
    }

    #[test]
    fn the_legend_wraps_inside_the_plot() {
        let keys: Vec<Key> =
            (0..12).map(|i| Key { colour: "#000", style: Style::Line, label: format!("function-{i:02}") }).collect();
        let mut out = String::new();
        let h = legend(&mut out, 100.0, &keys);
        assert!(h >= 32.0, "two rows at least: {h}");
        for x in out.lines().filter_map(|l| l.strip_prefix("<text x=\"")) {
            let x: f64 = x.split('"').next().unwrap().parse().unwrap();
            assert!(x < W - RIGHT, "{x}");
        }
    }
}
