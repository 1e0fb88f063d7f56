//! The text form of a sweep: a line per combination with each metric's
//! mean (± the 95 % half-width with several replications), then the pick.

use crate::confidence::Interval;
use crate::report::num;
use crate::sweep::{Axis, Picked, Summary};
use std::fmt::Write as _;

/// A metric's value as the table shows it.
fn show(metric: usize, x: f64) -> String {
    match metric {
        0 => format!("{x:.1}"),
        1 | 2 => format!("{:.3} %", x * 100.0),
        3 => format!("{x:.1}"),
        _ => format!("${x:.6}"),
    }
}

fn cell(metric: usize, i: &Interval) -> String {
    i.text(|x| show(metric, x))
}

/// The text of a sweep whose combinations are summarized in `summaries`.
pub fn text(
    name: &str,
    axes: &[Axis],
    combinations: u64,
    replications: u32,
    shard: Option<(u32, u32)>,
    summaries: &[Summary],
    pick: Option<&Picked>,
) -> String {
    let mut out = format!("lambdasim sweep — {name} · {combinations} combinations × {replications} replications");
    if let Some((i, n)) = shard {
        let _ = write!(out, " · shard {i}/{n}: {} of them", summaries.len());
    }
    out.push('\n');
    if replications > 1 {
        out.push_str(
            "each cell: mean ± 95 % half-width (Student t); replication r of every combination uses seed + r\n",
        );
    }
    out.push('\n');
    let mut header: Vec<String> = axes.iter().map(|a| a.path.text.clone()).collect();
    header.extend(["requests", "cold starts", "throttles", "p99 response ms", "cost"].map(str::to_owned));
    let rows: Vec<Vec<String>> = summaries
        .iter()
        .map(|s| {
            let mut r: Vec<String> =
                axes.iter().map(|a| s.set.get(&a.path.text).map(value).unwrap_or_default()).collect();
            let intervals =
                [s.requests, s.cold_start_probability, s.throttle_probability, s.p99_response_ms, s.cost_usd];
            r.extend(intervals.iter().enumerate().map(|(m, i)| cell(m, i)));
            r
        })
        .collect();
    let widths: Vec<usize> = header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.chars().count())
                .chain([h.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String], mark: &str| {
        let mut l = format!("{mark} ");
        for (c, w) in cells.iter().zip(&widths) {
            let _ = write!(l, " {c:>w$}");
        }
        l.push('\n');
        l
    };
    out.push_str(&line(&header, " "));
    let picked = pick.and_then(|p| p.combination);
    for (s, r) in summaries.iter().zip(&rows) {
        out.push_str(&line(r, if Some(s.combination) == picked { "→" } else { " " }));
    }
    if let Some(p) = pick {
        out.push('\n');
        match (&p.set, picked.and_then(|c| summaries.iter().find(|s| s.combination == c))) {
            (Some(set), Some(s)) => {
                let values: Vec<String> = axes
                    .iter()
                    .filter_map(|a| set.get(&a.path.text).map(|v| format!("{} = {}", a.path.text, value(v))))
                    .collect();
                let _ = writeln!(
                    out,
                    "pick ({}): {} — cost {}, throttles {}, cold starts {}, p99 {} ms",
                    p.rule,
                    values.join(", "),
                    cell(4, &s.cost_usd),
                    cell(2, &s.throttle_probability),
                    cell(1, &s.cold_start_probability),
                    num(s.p99_response_ms.mean)
                );
            }
            _ => {
                let _ = writeln!(out, "pick ({}): no combination meets the conditions", p.rule);
            }
        }
    }
    out
}

fn value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}
