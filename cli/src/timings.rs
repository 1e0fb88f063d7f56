//! `lambdasim run --timings`: the wall time of each phase of the process,
//! its peak resident memory and simulated requests per second, on stderr
//! after the report and, with `--json`, as the document's `timings` field.
//!
//! Timings vary from run to run, so they appear only when asked: without
//! `--timings` the output is byte for byte what it always was.

use lambdasim_scenario::study::StudyTimings;
use serde::Serialize;
use std::io::Write;
use std::time::Duration;

/// The phases of one `lambdasim run` process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and checking the scenario (and its trace files).
    pub read: Duration,
    /// The study's phases, summed over replications.
    pub study: StudyTimings,
    /// Whether an SVG chart was asked for.
    pub svg: bool,
    /// From the start of `main` to the end of the report.
    pub total: Duration,
}

/// The `timings` field of `--json --timings`: seconds, bytes and rates.
#[derive(Debug, Serialize)]
pub struct TimingsJson {
    pub read_s: f64,
    pub build_s: f64,
    pub simulate_s: f64,
    pub series_s: f64,
    pub bill_s: f64,
    pub render_s: f64,
    /// Writing the SVG chart; null without `--svg`.
    pub svg_s: Option<f64>,
    pub total_s: f64,
    /// Peak resident set size of the process (null where the system does
    /// not tell, outside Linux).
    pub peak_rss_bytes: Option<u64>,
    pub replications: u64,
    pub requests: u64,
    /// Requests simulated per second of the event loops.
    pub loop_requests_per_s: f64,
    /// Requests simulated per second of the whole process.
    pub process_requests_per_s: f64,
}

/// `count` per second of `d` (0 for no time).
fn rate(count: u64, d: Duration) -> f64 {
    let s = d.as_secs_f64();
    if s > 0.0 { count as f64 / s } else { 0.0 }
}

impl Timings {
    pub fn json(&self) -> TimingsJson {
        let s = &self.study;
        TimingsJson {
            read_s: self.read.as_secs_f64(),
            build_s: s.build.as_secs_f64(),
            simulate_s: s.simulate.as_secs_f64(),
            series_s: s.series.as_secs_f64(),
            bill_s: s.bill.as_secs_f64(),
            render_s: s.render.as_secs_f64(),
            svg_s: self.svg.then_some(s.first.as_secs_f64()),
            total_s: self.total.as_secs_f64(),
            peak_rss_bytes: peak_rss_bytes(),
            replications: s.runs,
            requests: s.requests,
            loop_requests_per_s: rate(s.requests, s.simulate),
            process_requests_per_s: rate(s.requests, self.total),
        }
    }
}

/// The text on stderr: one phase a line with its share of the total.
pub fn text(j: &TimingsJson) -> String {
    let share = |x: f64| if j.total_s > 0.0 { x / j.total_s * 100.0 } else { 0.0 };
    let mut out = String::from("timings (wall; phases of parallel replications are summed):\n");
    let mut line = |name: &str, x: f64| {
        out.push_str(&format!("  {name:<24} {:>12.6} s {:>6.1} %\n", x, share(x)));
    };
    line("read + check scenario", j.read_s);
    line("build simulator", j.build_s);
    line("simulate (loop)", j.simulate_s);
    line("per-minute series", j.series_s);
    line("bill", j.bill_s);
    line("report rendering", j.render_s);
    if let Some(svg) = j.svg_s {
        line("svg", svg);
    }
    line("total", j.total_s);
    match j.peak_rss_bytes {
        Some(b) => out.push_str(&format!("  peak RSS                 {:>12.1} MB\n", b as f64 / 1e6)),
        None => out.push_str("  peak RSS                 unknown on this system\n"),
    }
    out.push_str(&format!(
        "  simulated requests       {} in {} replication(s): {:.0} /s of loop, {:.0} /s of process\n",
        j.requests, j.replications, j.loop_requests_per_s, j.process_requests_per_s
    ));
    out
}

/// The process's peak resident set size (`VmHWM` of /proc/self/status).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    kb.checked_mul(1024)
}

/// A writer that passes everything on except its last three bytes, so a
/// JSON document's closing `\n}\n` can be replaced by more fields.
pub struct HoldBack<W: Write> {
    inner: W,
    held: Vec<u8>,
}

const HOLD: usize = 3;

impl<W: Write> HoldBack<W> {
    pub fn new(inner: W) -> Self {
        HoldBack { inner, held: Vec::with_capacity(2 * HOLD) }
    }

    /// Ends the JSON document with `"timings": …` as its last field, in
    /// the layout of the pretty printer.
    ///
    /// # Errors
    /// A write error, or a document that is not a pretty-printed object.
    pub fn finish_with_timings(mut self, timings: &TimingsJson) -> anyhow::Result<W> {
        let body = serde_json::to_string_pretty(timings)?.replace('\n', "\n  ");
        let field = format!("\n  \"timings\": {body}\n}}\n");
        match self.held.as_slice() {
            b"\n}\n" => write!(self.inner, ",{field}")?,
            b"{}\n" => write!(self.inner, "{{{field}")?,
            _ => anyhow::bail!("internal error: the JSON report does not end like an object"),
        }
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// Writes what was held back, unchanged.
    ///
    /// # Errors
    /// A write error.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.inner.write_all(&self.held)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for HoldBack<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() >= HOLD {
            // Everything held and all but the last HOLD bytes of buf go on.
            let (pass, keep) = buf.split_at(buf.len() - HOLD);
            self.inner.write_all(&self.held)?;
            self.inner.write_all(pass)?;
            self.held.clear();
            self.held.extend_from_slice(keep);
        } else {
            self.held.extend_from_slice(buf);
            let pass = self.held.len().saturating_sub(HOLD);
            if pass > 0 {
                self.inner.write_all(self.held.get(..pass).unwrap_or_default())?;
                self.held.drain(..pass);
            }
        }
        Ok(buf.len())
    }

    /// Flushes what was passed on (the held bytes stay held).
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TimingsJson {
        Timings { total: Duration::from_millis(2), ..Timings::default() }.json()
    }

    #[test]
    fn hold_back_passes_everything_on_when_finished_plainly() {
        let mut w = HoldBack::new(Vec::new());
        for piece in ["{\n  \"a\"", ": 1", "\n", "}", "\n"] {
            w.write_all(piece.as_bytes()).unwrap();
        }
        assert_eq!(w.finish().unwrap(), b"{\n  \"a\": 1\n}\n");
    }

    #[test]
    fn timings_become_the_last_field_of_the_document() {
        let mut w = HoldBack::new(Vec::new());
        w.write_all(b"{\n  \"a\": 1\n}\n").unwrap();
        let text = String::from_utf8(w.finish_with_timings(&sample()).unwrap()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["a"], 1);
        assert_eq!(v["timings"]["total_s"], 0.002);
        assert!(text.starts_with("{\n  \"a\": 1,\n  \"timings\": {\n    \"read_s\": "), "{text}");
        let mut empty = HoldBack::new(Vec::new());
        empty.write_all(b"{}\n").unwrap();
        let text = String::from_utf8(empty.finish_with_timings(&sample()).unwrap()).unwrap();
        assert!(serde_json::from_str::<serde_json::Value>(&text).unwrap()["timings"].is_object());
    }

    #[test]
    fn a_document_that_is_not_an_object_is_refused() {
        let mut w = HoldBack::new(Vec::new());
        w.write_all(b"[1]\n").unwrap();
        assert!(w.finish_with_timings(&sample()).is_err());
    }

    #[test]
    fn peak_rss_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_bytes().unwrap() > 0);
        }
    }
}
