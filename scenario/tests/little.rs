//! The report's Little's-law line predicts from the traffic that ran: a
//! function almost all throttled must not "predict" its offered load.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::doc::Format;
use lambdasim_scenario::report::ideas;
use lambdasim_scenario::run::{STACK_BYTES, run_one};
use lambdasim_scenario::scenario;
use std::path::Path;
use std::sync::atomic::AtomicU64;

fn little(text: &str) -> (String, f64) {
    let p = scenario::prepare("s.toml", text, Format::Toml, Path::new(".")).unwrap();
    let r = std::thread::scope(|s| {
        let run = || run_one(&p, 0, &AtomicU64::new(0)).unwrap();
        std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(s, run).unwrap().join().unwrap()
    });
    let line = ideas(&p, &r).into_iter().find(|l| l.contains("Little's law")).expect("a Little's-law line");
    let predicted: f64 = line.split("predicts ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    (line, predicted)
}

#[test]
fn a_throttled_function_predicts_what_ran_not_what_was_offered() {
    // 100 000 req/s offered, 10 environments at most: ~99.7 % throttled.
    let text = "horizon_s = 120\nwarmup_s = 10\n[[functions]]\nname = \"f\"\nreserved = 10\nworkload = { type = \"constant\", rate_per_s = 100000 }\nhandler = { type = \"fixed\", ms = 300 }\n";
    let (line, predicted) = little(text);
    // Offered × duration would be 30 000; what ran fills at most 10.
    assert!(predicted <= 10.5, "{line}");
    assert!(predicted >= 9.0, "{line}");
    assert!(line.contains("admitted (of 100000 offered)"), "{line}");
}

#[test]
fn an_unthrottled_function_keeps_the_offered_rate() {
    let text = "horizon_s = 600\n[[functions]]\nname = \"f\"\nworkload = { type = \"constant\", rate_per_s = 100 }\nhandler = { type = \"fixed\", ms = 500 }\n";
    let (line, predicted) = little(text);
    assert_eq!(predicted, 50.0, "{line}");
    assert!(line.starts_with("f: 100 req/s × 0.5 s"), "{line}");
}
