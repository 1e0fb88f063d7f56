//! The charted replication's per-bin series: they add up to the run's
//! counts, and collecting them changes nothing else the run reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::doc::Format;
use lambdasim_scenario::report;
use lambdasim_scenario::run::{RunResult, STACK_BYTES, run_one};
use lambdasim_scenario::scenario::{self, Prepared};
use std::path::Path;
use std::sync::atomic::AtomicU64;

const TEXT: &str = "horizon_s = 600\nwarmup_s = 0\n[[functions]]\nname = \"api\"\nreserved = 3\nworkload = { type = \"poisson\", rate_per_s = 20 }\nhandler = { type = \"fixed\", ms = 200 }\n[[functions]]\nname = \"batch\"\nworkload = { type = \"poisson\", rate_per_s = 1 }\nhandler = { type = \"exponential\", mean_ms = 900 }\n[[alarms]]\nname = \"throttled\"\nmetric = \"Throttles\"\nfunction = \"api\"\nperiod_s = 60\nthreshold = 0\n";

fn run(p: &Prepared) -> RunResult {
    std::thread::scope(|s| {
        let run = || run_one(p, 0, &AtomicU64::new(0)).unwrap();
        std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(s, run).unwrap().join().unwrap()
    })
}

#[test]
fn bins_add_up_and_change_nothing_else() {
    let mut p = scenario::prepare("s.toml", TEXT, Format::Toml, Path::new(".")).unwrap();
    let plain = run(&p);
    assert!(plain.bins.is_none());
    p.chart_replication = Some(0);
    let charted = run(&p);
    let bins = charted.bins.as_ref().unwrap();
    // 600 s: 5 s bins, 120 of them; the alarm's 60 s is a multiple.
    assert_eq!((bins.bin_s, bins.bins, bins.percentiles), (5, 120, true));
    assert_eq!(bins.functions.len(), 2);
    let sum = |v: &[f64]| v.iter().sum::<f64>() as u64;
    assert_eq!(sum(&bins.region.invocations), charted.summary.total.invocations);
    assert_eq!(sum(&bins.region.throttles), charted.summary.total.throttles);
    assert_eq!(sum(&bins.region.cold_starts), charted.summary.total.cold_starts);
    for (f, s) in bins.functions.iter().zip(&charted.summary.functions) {
        assert_eq!(sum(&f.invocations), s.invocations);
        assert!(f.busy_max.iter().copied().fold(0.0, f64::max) as u32 <= s.peak_concurrency.max(3));
    }
    assert!(bins.functions[0].busy_max.iter().all(|&b| b <= 3.0), "api is capped at its reserved 3");
    let api_p50 = &bins.functions[0].response_p50_ms;
    assert!(api_p50.iter().flatten().count() > 100 && api_p50.iter().flatten().all(|&ms| ms >= 190.0), "{api_p50:?}");
    // Same report, same alarm transitions.
    let text = |r: &RunResult| report::run_text(&p, r, &report::bills(&p, r).unwrap());
    assert_eq!(text(&plain), text(&charted));
    assert_eq!(plain.alarms, charted.alarms);
    assert!(!charted.alarms[0].transitions.is_empty());
}
