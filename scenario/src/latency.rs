//! Latency in the run report: the text table of each function's (and the
//! total's) handler duration, init duration and response time percentiles,
//! and their merge across replications.
//!
//! Percentiles over several replications come from the replications'
//! histograms merged (every sample together), never from averaging each
//! replication's percentiles; so do the total's, over every function.

use crate::money;
use crate::report::{self, num};
use lambdasim::sim::{FunctionLatency, LatencySummary, Percentiles};

/// Each function's latency histograms summed over the replications added
/// so far: fixed memory per function, whatever the number of replications.
#[derive(Debug, Clone, Default)]
pub struct LatencySums {
    functions: Vec<FunctionLatency>,
}

impl LatencySums {
    /// No replication yet, for `functions` functions.
    pub fn new(functions: usize) -> Self {
        LatencySums { functions: vec![FunctionLatency::new(); functions] }
    }

    /// Adds one replication's histograms (scenario order).
    pub fn add(&mut self, latency: &[FunctionLatency]) {
        for (sum, l) in self.functions.iter_mut().zip(latency) {
            sum.merge(l);
        }
    }

    /// Function `index`'s percentiles over every replication added.
    pub fn function(&self, index: usize) -> LatencySummary {
        LatencySummary::of(self.functions.get(index..=index).unwrap_or(&[]))
    }

    /// The percentiles of every function's samples together.
    pub fn total(&self) -> LatencySummary {
        LatencySummary::of(&self.functions)
    }
}

/// Milliseconds from µs: one decimal from 1 ms up, µs precision below.
fn ms(us: u64) -> String {
    if us >= 1_000 { format!("{:.1}", us as f64 / 1e3) } else { num(us as f64 / 1e3) }
}

fn grouped(n: u64) -> String {
    money::grouped(u128::from(n))
}

/// A row of the table: its label and its value for a summary.
type Row = (&'static str, fn(&LatencySummary) -> String);

/// A percentile, or "-" without samples.
fn at(p: &Percentiles, value: fn(&Percentiles) -> u64) -> String {
    if p.samples == 0 { "-".into() } else { ms(value(p)) }
}

const ROWS: &[Row] = &[
    ("requests that ran", |l| grouped(l.handler_duration.samples)),
    ("handler duration p50", |l| at(&l.handler_duration, |p| p.p50_us)),
    ("handler duration p90", |l| at(&l.handler_duration, |p| p.p90_us)),
    ("handler duration p99", |l| at(&l.handler_duration, |p| p.p99_us)),
    ("handler duration max", |l| at(&l.handler_duration, |p| p.max_us)),
    ("cold starts (init samples)", |l| grouped(l.init_duration.samples)),
    ("init duration p50", |l| at(&l.init_duration, |p| p.p50_us)),
    ("init duration p90", |l| at(&l.init_duration, |p| p.p90_us)),
    ("init duration p99", |l| at(&l.init_duration, |p| p.p99_us)),
    ("init duration max", |l| at(&l.init_duration, |p| p.max_us)),
    ("response time p50", |l| at(&l.response_time, |p| p.p50_us)),
    ("response time p90", |l| at(&l.response_time, |p| p.p90_us)),
    ("response time p99", |l| at(&l.response_time, |p| p.p99_us)),
    ("response time max", |l| at(&l.response_time, |p| p.max_us)),
    ("cold-start latency added at p99", |l| ms(l.cold_start_added_p99_us)),
];

/// The latency table: a column per name (functions, then "total"), a row
/// per percentile, in ms, under a line saying what it covers.
pub fn text(heading: &str, names: &[String], summaries: &[LatencySummary]) -> String {
    let columns: Vec<Vec<String>> = summaries.iter().map(|s| ROWS.iter().map(|(_, f)| f(s)).collect()).collect();
    let labels: Vec<&str> = ROWS.iter().map(|(l, _)| *l).collect();
    format!("{heading}\n{}", report::table(names, &columns, &labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_keep_microseconds_below_one() {
        assert_eq!(ms(0), "0");
        assert_eq!(ms(250), "0.25");
        assert_eq!(ms(1_000), "1.0");
        assert_eq!(ms(1_234_567), "1234.6");
    }

    #[test]
    fn a_function_without_cold_starts_shows_dashes() {
        let mut l = LatencySummary::default();
        l.handler_duration = Percentiles { samples: 3, p50_us: 2_000, p90_us: 3_000, p99_us: 3_000, max_us: 3_000 };
        l.response_time = l.handler_duration;
        let t = text("latency (ms):", &["api".into()], &[l]);
        assert!(t.starts_with("latency (ms):\n"), "{t}");
        let line = |label: &str| t.lines().find(|x| x.trim_start().starts_with(label)).unwrap().to_owned();
        assert!(line("init duration p99").ends_with(" -"), "{t}");
        assert!(line("handler duration p50").ends_with(" 2.0"), "{t}");
        assert!(line("cold-start latency added at p99").ends_with(" 0"), "{t}");
    }
}

#[cfg(test)]
mod study_tests {
    use crate::doc::Format;
    use crate::{report, run, scenario};
    use lambdasim::sim::{FunctionLatency, LatencySummary};
    use std::sync::atomic::AtomicU64;

    #[test]
    fn replications_merge_their_histograms_not_their_percentiles() {
        let text = "horizon_s = 600\nreplications = 3\n[region]\nidle_timeout_s = 20\n[[functions]]\nname = \"api\"\nworkload = { type = \"poisson\", rate_per_s = 0.2 }\nhandler = { type = \"exponential\", mean_ms = 200 }\n[[functions]]\nname = \"worker\"\nworkload = { type = \"poisson\", rate_per_s = 2 }\nhandler = { type = \"lognormal\", median_ms = 50, sigma = 1 }\n";
        let p = scenario::prepare("s.toml", text, Format::Toml, std::path::Path::new(".")).unwrap();
        let runs: Vec<_> = std::thread::scope(|s| {
            let go = || (0..3).map(|r| run::run_one(&p, r, &AtomicU64::new(0)).unwrap()).collect();
            std::thread::Builder::new().stack_size(run::STACK_BYTES).spawn_scoped(s, go).unwrap().join().unwrap()
        });
        let runs: Vec<_> = runs.into_iter().map(|r| (report::bills(&p, &r).unwrap(), r)).map(|(b, r)| (r, b)).collect();
        let means = report::means(&p, &runs);
        let mut merged = vec![FunctionLatency::new(); 2];
        for (r, _) in &runs {
            for (m, l) in merged.iter_mut().zip(&r.latency) {
                m.merge(l);
            }
        }
        assert_eq!(means.total.latency, LatencySummary::of(&merged));
        assert_eq!(means.functions[1].mean.latency, LatencySummary::of(&merged[1..]));
        let samples: u64 = runs.iter().map(|(r, _)| r.summary.total.latency.handler_duration.samples).sum();
        assert_eq!(means.total.latency.handler_duration.samples, samples);
        assert!(means.total.latency.init_duration.samples > 0 && means.total.latency.cold_start_added_p99_us > 0);
        // Each run's own summary is the percentiles of its own histograms.
        for (r, _) in &runs {
            assert_eq!(r.summary.total.latency, LatencySummary::of(&r.latency));
        }
        let text = report::means_text(&p, &means);
        assert!(text.contains("latency over all 3 replications"), "{text}");
    }
}
