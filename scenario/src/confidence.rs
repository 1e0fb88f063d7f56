//! Spread over replications: for each summary statistic its mean, sample
//! standard deviation and a 95 % confidence interval for the mean
//! (Student's t with n − 1 degrees of freedom, so a handful of
//! replications gets the wide interval it deserves).
//!
//! Sums are kept in replication order (Welford's update), so the numbers
//! do not depend on which replication finished first, and take constant
//! memory however many replications there are.

use crate::report::{Bills, num};
use crate::run::RunResult;
use crate::scenario::Prepared;
use lambdasim::money::ATOMS_PER_USD;
use lambdasim::pricing::Bill;
use lambdasim::sim::FunctionSummary;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// Two-sided 95 % quantiles of Student's t, t(0.975; df) for df = 1..=30.
const T975: [f64; 30] = [
    12.706_204_736,
    4.302_652_730,
    3.182_446_305,
    2.776_445_105,
    2.570_581_836,
    2.446_911_851,
    2.364_624_252,
    2.306_004_135,
    2.262_157_163,
    2.228_138_852,
    2.200_985_160,
    2.178_812_830,
    2.160_368_656,
    2.144_786_688,
    2.131_449_546,
    2.119_905_299,
    2.109_815_578,
    2.100_922_040,
    2.093_024_054,
    2.085_963_447,
    2.079_613_845,
    2.073_873_068,
    2.068_657_610,
    2.063_898_562,
    2.059_538_553,
    2.055_529_439,
    2.051_830_516,
    2.048_407_142,
    2.045_229_642,
    2.042_272_456,
];

/// t(0.975; `df`): the table up to 30 degrees of freedom, then the
/// Cornish–Fisher expansion around the normal quantile (error below 1e-6
/// past 30). `df` 0 has none: infinity.
pub fn t975(df: u64) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    if let Some(&t) = usize::try_from(df - 1).ok().and_then(|i| T975.get(i)) {
        return t;
    }
    let z = 1.959_963_984_540_054_f64;
    let v = df as f64;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92_160.0 * v.powi(4))
}

/// Running mean and sum of squared deviations of one statistic.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spread {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Spread {
    /// Adds the next replication's value.
    pub fn add(&mut self, x: f64) {
        self.n = self.n.saturating_add(1);
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The interval so far.
    pub fn interval(&self) -> Interval {
        let std_dev = (self.n >= 2).then(|| (self.m2.max(0.0) / (self.n - 1) as f64).sqrt());
        let ci95 = std_dev.map(|s| {
            let half = t975(self.n - 1) * s / (self.n as f64).sqrt();
            [self.mean - half, self.mean + half]
        });
        Interval { n: self.n, mean: if self.n > 0 { self.mean } else { 0.0 }, std_dev, ci95 }
    }
}

/// A statistic over replications: `std_dev` and `ci95` are null with
/// fewer than two.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Replications.
    pub n: u64,
    pub mean: f64,
    /// Sample standard deviation (n − 1 in the denominator).
    pub std_dev: Option<f64>,
    /// The 95 % confidence interval for the mean: mean ± t · sd / √n.
    pub ci95: Option<[f64; 2]>,
}

impl Interval {
    /// `mean ± half-width`, or the mean alone, with `show` for each number.
    pub fn text(&self, show: impl Fn(f64) -> String) -> String {
        match self.ci95 {
            Some([low, high]) => format!("{} ± {}", show(self.mean), show((high - low) / 2.0)),
            None => show(self.mean),
        }
    }
}

/// A summary statistic: its name in JSON and how to read it from a run.
type Stat = (&'static str, fn(&FunctionSummary, &Bill) -> f64);

/// Every statistic that gets an interval, in the order the text shows them.
pub const STATS: [Stat; 22] = [
    ("requests", |s, _| s.requests as f64),
    ("invocations", |s, _| s.invocations as f64),
    ("cold_starts", |s, _| s.cold_starts as f64),
    ("full_cold_starts", |s, _| s.full_cold_starts as f64),
    ("partial_cold_starts", |s, _| s.partial_cold_starts as f64),
    ("warm_starts", |s, _| s.warm_starts as f64),
    ("provisioned_starts", |s, _| s.provisioned_starts as f64),
    ("spillover", |s, _| s.spillover as f64),
    ("throttles", |s, _| s.throttles as f64),
    ("errors", |s, _| s.errors as f64),
    ("timeouts", |s, _| s.timeouts as f64),
    ("cold_start_probability", |s, _| s.cold_start_probability),
    ("throttle_probability", |s, _| s.throttle_probability),
    ("avg_instances", |s, _| s.avg_instances),
    ("avg_busy", |s, _| s.avg_busy),
    ("avg_idle", |s, _| s.avg_idle),
    ("utilization", |s, _| s.utilization),
    ("peak_concurrency", |s, _| f64::from(s.peak_concurrency)),
    ("response_p50_ms", |s, _| s.latency.response_time.p50_us as f64 / 1e3),
    ("response_p99_ms", |s, _| s.latency.response_time.p99_us as f64 / 1e3),
    ("handler_p99_ms", |s, _| s.latency.handler_duration.p99_us as f64 / 1e3),
    ("cost_usd", |_, b| usd(b)),
];

/// A bill's exact total in dollars, as a float for statistics (the bills
/// themselves stay exact).
pub fn usd(b: &Bill) -> f64 {
    b.exact_total().atoms() as f64 / ATOMS_PER_USD as f64
}

/// The spread of every statistic of one summary.
#[derive(Debug, Clone, Default)]
pub struct SummarySpread {
    stats: [Spread; STATS.len()],
}

impl SummarySpread {
    pub fn add(&mut self, s: &FunctionSummary, b: &Bill) {
        for (spread, (_, read)) in self.stats.iter_mut().zip(STATS) {
            spread.add(read(s, b));
        }
    }

    /// Every statistic's interval, by name.
    pub fn json(&self) -> BTreeMap<&'static str, Interval> {
        STATS.iter().zip(&self.stats).map(|((name, _), s)| (*name, s.interval())).collect()
    }
}

/// The spread of a study: each function's and the total's.
#[derive(Debug, Clone)]
pub struct StudySpread {
    functions: Vec<SummarySpread>,
    total: SummarySpread,
}

/// One function's intervals in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionConfidence {
    pub name: String,
    #[serde(flatten)]
    pub stats: BTreeMap<&'static str, Interval>,
}

/// The `confidence` of a study's JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ConfidenceJson {
    /// 0.95.
    pub level: f64,
    /// "student-t".
    pub method: &'static str,
    pub functions: Vec<FunctionConfidence>,
    pub total: BTreeMap<&'static str, Interval>,
}

impl StudySpread {
    /// No replication yet, for the functions of `p`.
    pub fn new(p: &Prepared) -> Self {
        StudySpread { functions: vec![SummarySpread::default(); p.functions.len()], total: SummarySpread::default() }
    }

    /// Adds the next replication (in replication order).
    pub fn add(&mut self, r: &RunResult, b: &Bills) {
        for ((spread, s), bill) in self.functions.iter_mut().zip(r.summary.functions.iter()).zip(&b.functions) {
            spread.add(s, bill);
        }
        self.total.add(&r.summary.total, &b.total);
    }

    pub fn json(&self, p: &Prepared) -> ConfidenceJson {
        let functions = p
            .functions
            .iter()
            .zip(&self.functions)
            .map(|(f, s)| FunctionConfidence { name: f.name.clone(), stats: s.json() })
            .collect();
        ConfidenceJson { level: LEVEL, method: "student-t", functions, total: self.total.json() }
    }

    /// The text: a table of `mean ± half-width` per function and the total,
    /// then each standard deviation.
    pub fn text(&self, p: &Prepared) -> String {
        let mut names: Vec<String> = p.functions.iter().map(|f| f.name.clone()).collect();
        names.push("total".into());
        let spreads: Vec<&SummarySpread> = self.functions.iter().chain([&self.total]).collect();
        let n = self.total.stats.first().map_or(0, |s| s.n);
        let show = |name: &str, x: f64| match name {
            "cost_usd" => format!("${x:.6}"),
            n if n.ends_with("probability") || n == "utilization" => format!("{:.3} %", x * 100.0),
            _ => num(x),
        };
        let columns: Vec<Vec<String>> = spreads
            .iter()
            .map(|s| STATS.iter().zip(&s.stats).map(|((name, _), sp)| sp.interval().text(|x| show(name, x))).collect())
            .collect();
        let labels: Vec<&str> = STATS.iter().map(|(name, _)| *name).collect();
        let mut out = format!(
            "95 % confidence intervals for the mean over {n} replications (mean ± half-width, Student t with {} degrees of freedom, t = {}):\n",
            n.saturating_sub(1),
            num(t975(n.saturating_sub(1)))
        );
        out.push_str(&crate::report::table(&names, &columns, &labels));
        let sd: Vec<String> = STATS
            .iter()
            .zip(&self.total.stats)
            .filter_map(|((name, _), s)| s.interval().std_dev.map(|d| format!("{name} {}", show(name, d))))
            .collect();
        if !sd.is_empty() {
            let _ = writeln!(out, "standard deviation of the total: {}", sd.join(", "));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_tables() {
        assert_eq!(t975(1), 12.706_204_736);
        assert_eq!(t975(10), 2.228_138_852);
        // Published values past the table: t(0.975; 40) = 2.021075, 60: 2.000298, 120: 1.979930.
        for (df, t) in
            [(31, 2.039_513_4), (40, 2.021_075_4), (60, 2.000_297_8), (120, 1.979_930_4), (1000, 1.962_339_2)]
        {
            assert!((t975(df) - t).abs() < 1e-6, "df {df}: {} vs {t}", t975(df));
        }
        assert!(t975(0).is_infinite());
    }

    #[test]
    fn mean_sd_and_interval_of_known_samples() {
        let mut s = Spread::default();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            s.add(x);
        }
        let i = s.interval();
        assert_eq!((i.n, i.mean), (8, 5.0));
        // Sample variance 32 / 7.
        let sd = (32.0f64 / 7.0).sqrt();
        assert!((i.std_dev.unwrap() - sd).abs() < 1e-12);
        let half = 2.364_624_252 * sd / 8f64.sqrt();
        let [lo, hi] = i.ci95.unwrap();
        assert!((lo - (5.0 - half)).abs() < 1e-12 && (hi - (5.0 + half)).abs() < 1e-12);
        assert_eq!(i.text(num), format!("5 ± {}", num(half)));
    }

    #[test]
    fn one_replication_has_no_spread() {
        let mut s = Spread::default();
        s.add(3.0);
        let i = s.interval();
        assert_eq!((i.mean, i.std_dev, i.ci95), (3.0, None, None));
        assert_eq!(i.text(num), "3");
        assert_eq!(Spread::default().interval().mean, 0.0);
        // Equal values: zero spread, a zero-width interval.
        let mut same = Spread::default();
        same.add(0.25);
        same.add(0.25);
        assert_eq!(same.interval().ci95, Some([0.25, 0.25]));
    }
}
