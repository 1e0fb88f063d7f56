//! `lambdasim run`: replications simulated in parallel and written out in
//! replication order as they finish, with their means summed on the way.
//!
//! Nothing grows with the number of replications: each run is written and
//! dropped once every earlier one is out (see [`run::stream`]), the means
//! are running sums ([`StudySums`]), and the JSON document is written piece
//! by piece with exactly the bytes `json_text` gives for the whole
//! [`StudyJson`](crate::report::StudyJson). A replication that fails ends the output where it is and
//! the run returns its error.

use crate::confidence::StudySpread;
use crate::report::{self, Bills, MeansJson, StudySums};
use crate::run::{self, RunResult};
use crate::scenario::Prepared;
use serde::Serialize;
use std::io::Write;
use std::time::{Duration, Instant};

/// Which replications a run covers: all, or those r with r % count == index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard<'a> {
    /// As written on the command line (the JSON's `shard`).
    pub text: &'a str,
    pub index: u32,
    pub count: u32,
}

/// The replications of `total` that `shard` covers, without listing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replications {
    first: u32,
    step: u32,
    len: u64,
}

impl Replications {
    pub fn new(total: u32, shard: Option<Shard<'_>>) -> Self {
        let (first, step) = shard.map_or((0, 1), |s| (s.index, s.count.max(1)));
        let len = u64::from(total.saturating_sub(first)).div_ceil(u64::from(step));
        Replications { first, step, len }
    }

    /// How many.
    pub const fn len(&self) -> u64 {
        self.len
    }

    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `k`-th (0-based).
    pub fn get(&self, k: u64) -> Option<u32> {
        if k >= self.len {
            return None;
        }
        u32::try_from(u64::from(self.first) + k * u64::from(self.step)).ok()
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len).filter_map(|k| self.get(k))
    }
}

/// Writes `value` to `out` as the pretty JSON printer writes it `depth`
/// levels deep: every line after the first indented by two spaces a level.
/// Streamed: no string of the whole value is built.
fn nested<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T, depth: usize) -> anyhow::Result<()> {
    let indent = "  ".repeat(depth);
    serde_json::to_writer_pretty(Indent { out, indent: indent.as_bytes() }, value)?;
    Ok(())
}

/// A writer that indents every new line by `indent`.
struct Indent<'o, 'i> {
    out: &'o mut dyn Write,
    indent: &'i [u8],
}

impl Write for Indent<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut lines = buf.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            self.out.write_all(first)?;
        }
        for line in lines {
            self.out.write_all(b"\n")?;
            self.out.write_all(self.indent)?;
            self.out.write_all(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Runs the replications of `p` that `shard` selects and writes the report
/// (`json`: the JSON document; else the text) to `out` as they finish, in
/// replication order. `first` sees the first replication before it is
/// written (the CLI draws its chart).
///
/// # Errors
/// A failing replication (the output stops before it), a bill too large,
/// a write error, or what `first` returns.
pub fn run_study(
    p: &Prepared,
    shard: Option<Shard<'_>>,
    json: bool,
    out: &mut dyn Write,
    first: impl FnMut(&RunResult) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    run_study_timed(p, shard, json, out, first, None)
}

/// Wall time of each phase of a study, summed over its replications (which
/// run in parallel, so the sum can exceed the elapsed time), and what was
/// simulated. Timing never changes what a study writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StudyTimings {
    /// Allocating and initialising the simulators.
    pub build: Duration,
    /// The event loops, without the per-minute series.
    pub simulate: Duration,
    /// The per-minute series: storage, each minute added, the copy out.
    pub series: Duration,
    /// Pricing each replication.
    pub bill: Duration,
    /// Writing the report (text or JSON), means included.
    pub render: Duration,
    /// What `first` did with the first replication (the CLI's chart).
    pub first: Duration,
    /// Replications run.
    pub runs: u64,
    /// Requests simulated, over every replication.
    pub requests: u64,
}

/// [`run_study`], adding the time of each phase to `timings` when given
/// (the output is the same either way).
///
/// # Errors
/// As [`run_study`].
pub fn run_study_timed(
    p: &Prepared,
    shard: Option<Shard<'_>>,
    json: bool,
    out: &mut dyn Write,
    mut first: impl FnMut(&RunResult) -> anyhow::Result<()>,
    mut timings: Option<&mut StudyTimings>,
) -> anyhow::Result<()> {
    let timed = timings.is_some();
    let reps = Replications::new(p.scenario.replications, shard);
    let study = p.scenario.replications > 1 || shard.is_some();
    let minutes_per_run = p.config.horizon.as_micros().div_ceil(60_000_000);
    let total = minutes_per_run.saturating_mul(reps.len());
    let mut sums = StudySums::new(p);
    let mut spread = StudySpread::new(p);
    let mut writer = Writer { p, study, json, out };
    let start = Instant::now();
    writer.head(shard, &reps)?;
    let mut render = start.elapsed();
    let work = |k: u64, done: &_| {
        let r = reps.get(k).ok_or_else(|| anyhow::anyhow!("replication {k} out of range"))?;
        run::run_one_timed(p, r, done, timed)
    };
    run::stream(reps.len(), total, "simulating", work, |k, (r, phases)| {
        let start = Instant::now();
        let b = report::bills(p, &r)?;
        let billed = Instant::now();
        if k == 0 {
            first(&r)?;
        }
        let first_done = Instant::now();
        sums.add(&r, &b);
        spread.add(&r, &b);
        writer.run(k, &r, &b)?;
        if let Some(t) = timings.as_deref_mut() {
            t.build = t.build.saturating_add(phases.build);
            t.simulate = t.simulate.saturating_add(phases.simulate);
            t.series = t.series.saturating_add(phases.series);
            t.bill = t.bill.saturating_add(billed.duration_since(start));
            t.first = t.first.saturating_add(first_done.duration_since(billed));
            t.runs = t.runs.saturating_add(1);
            t.requests = t.requests.saturating_add(r.summary.total.requests);
            render = render.saturating_add(first_done.elapsed());
        }
        Ok(())
    })?;
    let start = Instant::now();
    writer.tail(reps.len(), &sums.means(p), &spread)?;
    if let Some(t) = timings {
        t.render = t.render.saturating_add(render).saturating_add(start.elapsed());
    }
    Ok(())
}

/// Writes the report piece by piece.
struct Writer<'a, 'o> {
    p: &'a Prepared,
    study: bool,
    json: bool,
    out: &'o mut dyn Write,
}

impl Writer<'_, '_> {
    fn head(&mut self, shard: Option<Shard<'_>>, reps: &Replications) -> anyhow::Result<()> {
        let total = self.p.scenario.replications;
        if self.json && self.study {
            write!(
                self.out,
                "{{\n  \"scenario\": {},\n  \"replications\": {total},\n  \"shard\": {},\n  \"runs\": [",
                serde_json::to_string(&self.p.source)?,
                serde_json::to_string(&shard.map(|s| s.text))?,
            )?;
        } else if let (false, Some(s)) = (self.json, shard) {
            // The replications as `{:?}` prints a list, written one by one.
            write!(self.out, "shard {}/{}: replications [", s.index, s.count)?;
            for (k, r) in reps.iter().enumerate() {
                write!(self.out, "{}{r}", if k > 0 { ", " } else { "" })?;
            }
            write!(self.out, "] of {total}\n\n")?;
        }
        Ok(())
    }

    fn run(&mut self, k: u64, r: &RunResult, b: &Bills) -> anyhow::Result<()> {
        match (self.json, self.study) {
            (true, true) => {
                let sep = if k > 0 { "," } else { "" };
                write!(self.out, "{sep}\n    ")?;
                nested(self.out, &report::run_json(self.p, r, b), 2)?;
            }
            (true, false) => {
                // The bytes of `report::json_text`, streamed.
                serde_json::to_writer_pretty(&mut *self.out, &report::run_json(self.p, r, b))?;
                self.out.write_all(b"\n")?;
            }
            (false, _) => {
                if k > 0 {
                    self.out.write_all(b"\n")?;
                }
                self.out.write_all(report::run_text(self.p, r, b).as_bytes())?;
            }
        }
        Ok(())
    }

    fn tail(&mut self, runs: u64, means: &MeansJson, spread: &StudySpread) -> anyhow::Result<()> {
        match (self.json, self.study) {
            (true, true) => {
                let close = if runs > 0 { "\n  ]" } else { "]" };
                write!(self.out, "{close},\n  \"mean\": ")?;
                nested(self.out, means, 1)?;
                write!(self.out, ",\n  \"confidence\": ")?;
                nested(self.out, &spread.json(self.p), 1)?;
                self.out.write_all(b"\n}\n")?;
            }
            (true, false) if runs == 0 => self.out.write_all(b"{}\n")?,
            (true, false) => {}
            (false, _) => {
                if runs > 1 {
                    self.out.write_all(b"\n")?;
                    self.out.write_all(report::means_text(self.p, means).as_bytes())?;
                    self.out.write_all(b"\n")?;
                    self.out.write_all(spread.text(self.p).as_bytes())?;
                }
                if runs == 0 {
                    self.out.write_all(b"(no replication falls in this shard)\n")?;
                }
            }
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Format;
    use crate::report::StudyJson;
    use crate::scenario;

    fn prepared(replications: u32) -> Prepared {
        let text = format!(
            "horizon_s = 120\nreplications = {replications}\n[[functions]]\nname = \"api\"\nworkload = {{ type = \"poisson\", rate_per_s = 5 }}\nhandler = {{ type = \"exponential\", mean_ms = 200 }}\n"
        );
        scenario::prepare("s.toml", &text, Format::Toml, std::path::Path::new(".")).unwrap()
    }

    /// The document the CLI printed before it streamed: every run held at once.
    fn whole(p: &Prepared, shard: Option<Shard<'_>>) -> String {
        let reps: Vec<u32> = Replications::new(p.scenario.replications, shard).iter().collect();
        let results = run::parallel(&reps, 0, "test", |&r, done| run::run_one(p, r, done)).unwrap();
        let runs: Vec<(RunResult, Bills)> = results
            .into_iter()
            .map(|r| {
                let b = report::bills(p, &r).unwrap();
                (r, b)
            })
            .collect();
        report::json_text(&StudyJson {
            scenario: p.source.clone(),
            replications: p.scenario.replications,
            shard: shard.map(|s| s.text.to_owned()),
            runs: runs.iter().map(|(r, b)| report::run_json(p, r, b)).collect(),
            mean: report::means(p, &runs),
            confidence: {
                let mut spread = StudySpread::new(p);
                for (r, b) in &runs {
                    spread.add(r, b);
                }
                spread.json(p)
            },
        })
        .unwrap()
    }

    fn streamed(p: &Prepared, shard: Option<Shard<'_>>, json: bool) -> String {
        let mut out = Vec::new();
        run_study(p, shard, json, &mut out, |_| Ok(())).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_streamed_study_prints_the_bytes_of_the_whole_document() {
        let p = prepared(5);
        assert_eq!(streamed(&p, None, true), whole(&p, None));
        let shard = Some(Shard { text: "1/2", index: 1, count: 2 });
        assert_eq!(streamed(&p, shard, true), whole(&p, shard));
        let empty = Some(Shard { text: "7/9", index: 7, count: 9 });
        assert_eq!(streamed(&p, empty, true), whole(&p, empty));
    }

    #[test]
    fn text_lists_the_shard_and_ends_with_the_means() {
        let p = prepared(5);
        let text = streamed(&p, Some(Shard { text: "0/2", index: 0, count: 2 }), false);
        assert!(text.starts_with("shard 0/2: replications [0, 2, 4] of 5\n\n"), "{text}");
        assert_eq!(text.matches("lambdasim run — ").count(), 3);
        assert!(text.contains("mean over 3 replications:"), "{text}");
    }

    #[test]
    fn replications_are_counted_not_listed() {
        let all = Replications::new(u32::MAX, None);
        assert_eq!(all.len(), u64::from(u32::MAX));
        assert_eq!(all.get(u64::from(u32::MAX) - 1), Some(u32::MAX - 1));
        let shard = Replications::new(10, Some(Shard { text: "3/4", index: 3, count: 4 }));
        assert_eq!(shard.iter().collect::<Vec<_>>(), [3, 7]);
        assert!(Replications::new(2, Some(Shard { text: "5/6", index: 5, count: 6 })).is_empty());
    }
}
