//! The metric store and alarms (docs/model.md §7): the alarm vectors of
//! `tests/vectors/alarms/`, and property tests of the histogram's error
//! bound and of the store's bookkeeping against a model that keeps every
//! sample.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::metrics::histogram::RANGE_LIMIT;
use lambdasim::metrics::{
    Cell, Datapoint, METRIC_COUNT, Metric, MetricError, MetricKind, MetricStore, Percentile, PeriodHistogram,
    PeriodSlot, RunHistogram, SeriesHeader, Statistic, StoreConfig, StoreSizes,
};
use lambdasim::{Instant, Slots};
use lambdasim_tests::{alarms, proptest_config};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[test]
fn every_alarm_vector_passes() {
    let files = alarms::alarm_files().expect("read tests/vectors/alarms");
    assert!(!files.is_empty(), "no alarm vectors in {}", alarms::alarm_dir().display());
    let mut cases = 0;
    for path in &files {
        let summary = alarms::run_file(path).unwrap_or_else(|f| panic!("{f}"));
        assert!(summary.assertions > summary.steps, "{}: asserts too little", path.display());
        cases += summary.steps;
    }
    assert!(cases >= 90, "only {cases} alarm cases");
}

#[test]
fn the_alarm_runner_catches_wrong_answers() {
    let case = |expect: &str| {
        format!(
            r#"{{"name": "t", "spec": "-", "description": "-", "cases": [{{"name": "c",
            "alarm": {{"comparison": "GreaterThanThreshold", "threshold": 0, "evaluation_periods": 1, "datapoints_to_alarm": 1}},
            "values": [1, 0], "expect": {expect}}}]}}"#
        )
    };
    let right = r#"{"state": "OK", "transitions": [{"time_s": 60, "from": "INSUFFICIENT_DATA", "to": "ALARM"}, {"time_s": 120, "from": "ALARM", "to": "OK"}]}"#;
    alarms::run_str("right.json", &case(right)).expect("the right answer passes");
    let late = right.replace("120", "180");
    let failure = alarms::run_str("late.json", &case(&late)).expect_err("the OK comes at 120 s");
    assert_eq!(failure.step, Some(0));
    assert!(failure.message.contains("transitions[1]"), "{failure}");
    let state = right.replace(r#""state": "OK""#, r#""state": "ALARM""#);
    assert!(alarms::run_str("state.json", &case(&state)).is_err());
    let typo = right.replace("time_s", "time");
    assert!(alarms::run_str("typo.json", &case(&typo)).unwrap_err().message.contains("time"));
    let error = alarms::run_str("error.json", &case(r#"{"error": "InvalidPeriod"}"#)).unwrap_err();
    assert!(error.message.contains("error"), "{error}");
}

/// The exact nearest-rank percentile of sorted samples.
fn exact(sorted: &[u64], hundredths: u16) -> u64 {
    let n = sorted.len() as u128;
    let rank = (u128::from(hundredths) * n).div_ceil(10_000).max(1);
    sorted[usize::try_from(rank).unwrap() - 1]
}

fn samples() -> impl Strategy<Value = Vec<u64>> {
    let value = prop_oneof![0u64..200, 0u64..100_000, 0u64..RANGE_LIMIT, (0u32..40).prop_map(|e| 1u64 << e)];
    prop::collection::vec(value, 1..300)
}

proptest! {
    #![proptest_config(proptest_config())]

    /// Every percentile is within 1/128 of the exact nearest-rank value
    /// (exact below 128), and between the minimum and the maximum.
    #[test]
    fn percentiles_are_within_the_bound(samples in samples(), hundredths in 0u16..=10_000) {
        let mut h = RunHistogram::new();
        let mut p = PeriodHistogram::new();
        for &v in &samples {
            h.record(v);
            p.record(v);
        }
        let mut sorted = samples.clone();
        sorted.sort_unstable();
        let truth = exact(&sorted, hundredths);
        let got = h.percentile(hundredths).unwrap();
        prop_assert_eq!(p.percentile(hundredths), Some(got));
        prop_assert!(got.abs_diff(truth) * 128 <= truth, "p{} got {} true {}", hundredths, got, truth);
        if truth < 128 {
            prop_assert_eq!(got, truth);
        }
        prop_assert!(sorted[0] <= got && got <= sorted[sorted.len() - 1]);
    }

    /// Merged histograms equal the histogram of the concatenated samples.
    #[test]
    fn merging_is_concatenating(a in samples(), b in samples()) {
        let (mut ha, mut hb, mut both) = (PeriodHistogram::new(), PeriodHistogram::new(), RunHistogram::new());
        a.iter().for_each(|&v| { ha.record(v); both.record(v) });
        b.iter().for_each(|&v| { hb.record(v); both.record(v) });
        let mut merged = RunHistogram::new();
        merged.merge(&ha);
        merged.merge(&hb);
        prop_assert_eq!(merged, both);
    }

}

/// The store property checks every series after every operation: a fifth of
/// the usual cases keeps it under a few seconds in a debug build.
fn store_config() -> proptest::test_runner::Config {
    let config = proptest_config();
    proptest::test_runner::Config { cases: (config.cases / 5).max(1), ..config }
}

proptest! {
    #![proptest_config(store_config())]

    /// After every operation, for every count and distribution series: the
    /// datapoint of each period the ring keeps equals the model's aggregate
    /// of that period's samples; the kept periods plus `rolled_off` equal
    /// everything recorded; region-wide equals the sum of the functions;
    /// every pNN lies between the minimum and the maximum.
    #[test]
    fn the_store_accounts_for_every_sample(ops in prop::collection::vec(op(), 1..80)) {
        let mut t = Store::new(2, 3, 2);
        let mut model: BTreeMap<(usize, usize), Vec<(u64, u64)>> = BTreeMap::new();
        let mut now = 0u64;
        for (step, &(metric, function, back, dt, value)) in ops.iter().enumerate() {
            now = if back { now.saturating_sub(dt) } else { now + dt };
            let m = Metric::ALL[metric];
            let f = function.map(|f| f as u32);
            let at = Instant::from_micros(now);
            let result = match m.kind() {
                MetricKind::Count => t.store.count(at, m, f, value),
                MetricKind::Distribution => t.store.sample(at, m, f, value),
                MetricKind::Gauge => t.store.gauge(at, m, f, value),
            };
            if f.is_some() && !m.per_function() {
                prop_assert!(result.is_err());
                continue;
            }
            result.unwrap();
            let period = now / 60_000_000;
            if m.kind() == MetricKind::Gauge {
                // Every set counts in its period: the Maximum is at least it.
                // (A late set into a period already rolled off is in `rolled_off`.)
                match t.store.datapoint(m, f, period) {
                    Ok(Some(dp)) => prop_assert!(dp.maximum >= value && dp.minimum <= value, "step {}: {} {:?}", step, m, dp),
                    Err(e) => prop_assert_eq!(e, MetricError::PeriodRolledOff),
                    Ok(None) => prop_assert!(false, "step {}: {} {:?} period {}: no datapoint after a set", step, m, f, period),
                }
            } else {
                model.entry((metric, 0)).or_default().push((period, value));
                if let Some(f) = function {
                    model.entry((metric, f + 1)).or_default().push((period, value));
                }
            }
            check(&t.store, &model).map_err(|e| TestCaseError::fail(format!("step {step}: {e}")))?;
        }
    }
}

/// (metric index, function or region, time goes back, time step µs, value).
fn op() -> impl Strategy<Value = (usize, Option<usize>, bool, u64, u64)> {
    let dt = prop_oneof![0u64..1_000_000, 0u64..120_000_000, 0u64..600_000_000];
    (0..METRIC_COUNT, prop::option::of(0usize..2), prop::bool::weighted(0.2), dt, 0u64..5_000_000)
}

struct Store {
    store: MetricStore<'static>,
}

impl Store {
    fn new(functions: u32, periods: usize, histogram_periods: usize) -> Store {
        let n = StoreSizes::new(functions, periods, histogram_periods);
        let leak = |v| -> &'static mut [_] { Box::leak(v) };
        let series: &'static mut [SeriesHeader] = leak(vec![SeriesHeader::default(); n.series].into_boxed_slice());
        let cells: &'static mut [Cell] = Box::leak(vec![Cell::default(); n.cells].into_boxed_slice());
        let hists: &'static mut [PeriodSlot] =
            Box::leak(vec![PeriodSlot::default(); n.period_histograms].into_boxed_slice());
        let runs: &'static mut [RunHistogram] =
            Box::leak(vec![RunHistogram::new(); n.run_histograms].into_boxed_slice());
        let config = StoreConfig { functions, ..StoreConfig::default() };
        let store = MetricStore::new(config, Slots::from(series), cells.into(), hists.into(), runs.into()).unwrap();
        Store { store }
    }
}

fn aggregate(values: impl Iterator<Item = u64>) -> Option<Datapoint> {
    values.fold(None, |acc, v| Datapoint::merged(acc, Some(Datapoint::of(v))))
}

fn check(store: &MetricStore<'_>, model: &BTreeMap<(usize, usize), Vec<(u64, u64)>>) -> Result<(), String> {
    for m in Metric::ALL.into_iter().filter(|m| m.kind() != MetricKind::Gauge) {
        for dim in 0..=store.functions() as usize {
            let f = (dim > 0).then(|| dim as u32 - 1);
            let samples = model.get(&(m as usize, dim)).map_or(&[][..], Vec::as_slice);
            let recorded = store.recorded(m, f).unwrap();
            if recorded != aggregate(samples.iter().map(|s| s.1)) {
                return Err(format!("{m} {f:?}: recorded {recorded:?}"));
            }
            let mut kept = None;
            let mut mismatch = None;
            store
                .datapoints(m, f, Instant::ZERO, Instant::MAX, |t, dp| {
                    let p = t.as_micros() / store.period().as_micros();
                    let want = aggregate(samples.iter().filter(|s| s.0 == p).map(|s| s.1));
                    if dp != want && mismatch.is_none() {
                        mismatch = Some(format!("{m} {f:?} period {p}: {dp:?}, model {want:?}"));
                    }
                    kept = Datapoint::merged(kept, dp);
                    let p99 = Statistic::Percentile(Percentile::P99);
                    if let (Some(dp), Some(v)) = (dp, store.statistic(m, f, p99, p, 1).ok().flatten()) {
                        let mut sorted: Vec<u64> = samples.iter().filter(|s| s.0 == p).map(|s| s.1).collect();
                        sorted.sort_unstable();
                        let truth = exact(&sorted, Percentile::P99.hundredths());
                        let v = v as u64;
                        if v < dp.minimum || v > dp.maximum || v.abs_diff(truth) * 128 > truth {
                            mismatch = Some(format!("{m} {f:?} period {p}: p99 {v}, exact {truth}, {dp:?}"));
                        }
                    }
                })
                .unwrap();
            if let Some(e) = mismatch {
                return Err(e);
            }
            let rolled = store.rolled_off(m, f).unwrap();
            let total = Datapoint::merged(kept, rolled.datapoint);
            let same = |a: Option<Datapoint>, b: Option<Datapoint>| {
                a.map(|d| (d.sum, d.sample_count)) == b.map(|d| (d.sum, d.sample_count))
            };
            if !same(total, recorded) {
                return Err(format!("{m} {f:?}: kept {kept:?} + rolled off {rolled:?} != recorded {recorded:?}"));
            }
        }
        let region = store.recorded(m, None).unwrap();
        let functions =
            (0..store.functions()).fold(None, |acc, f| Datapoint::merged(acc, store.recorded(m, Some(f)).unwrap()));
        let region_only = model.get(&(m as usize, 0)).map_or(0, Vec::len) as u64
            - (1..=store.functions() as usize)
                .map(|d| model.get(&(m as usize, d)).map_or(0, Vec::len) as u64)
                .sum::<u64>();
        if region_only == 0 && region.map(|d| d.sum) != functions.map(|d| d.sum) {
            return Err(format!("{m}: region-wide {region:?} != sum of functions {functions:?}"));
        }
    }
    Ok(())
}
