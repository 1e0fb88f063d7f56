use super::*;
use crate::metrics::Percentile;

fn config(n: u32, m: u32, treat: TreatMissingData) -> AlarmConfig {
    AlarmConfig {
        metric: Metric::Throttles,
        function: None,
        statistic: Statistic::Sum,
        period: Duration::from_secs(60),
        threshold: 0.5,
        comparison: ComparisonOperator::GreaterThanThreshold,
        evaluation_periods: n,
        datapoints_to_alarm: m,
        treat_missing_data: treat,
    }
}

/// `X` breaching (1), `0` not (0), `-` missing; oldest first.
fn values(pattern: &str) -> heapless::Vec<Option<f64>, 64> {
    pattern
        .split_whitespace()
        .map(|t| match t {
            "X" => Some(1.0),
            "0" => Some(0.0),
            _ => None,
        })
        .collect()
}

/// The state one evaluation of the range `pattern` gives from `initial`
/// (AWS's table: the range as it stands, whatever came before).
fn final_state(pattern: &str, treat: TreatMissingData, initial: AlarmState) -> AlarmState {
    let mut alarm = Alarm::new(config(3, 3, treat)).unwrap();
    for v in values(pattern) {
        alarm.record(v);
    }
    alarm.set_state(initial);
    alarm.evaluate()
}

/// The state after evaluating every period of `pattern` in turn, from
/// INSUFFICIENT_DATA.
fn sequence_state(pattern: &str, treat: TreatMissingData) -> AlarmState {
    evaluate(config(3, 3, treat), Instant::ZERO, &values(pattern), |_| ()).unwrap()
}

#[test]
fn the_documented_vector_period_by_period() {
    use AlarmState::*;
    for treat in TREATMENTS {
        assert_eq!(sequence_state("0 - X - X", treat), Ok, "{treat:?}");
        assert_eq!(sequence_state("0 - - - -", treat), Ok, "{treat:?}");
    }
    let all_missing = [InsufficientData, InsufficientData, Alarm, Ok];
    for (treat, want) in TREATMENTS.into_iter().zip(all_missing) {
        assert_eq!(sequence_state("- - - - -", treat), want, "{treat:?}");
    }
}

const TREATMENTS: [TreatMissingData; 4] =
    [TreatMissingData::Missing, TreatMissingData::Ignore, TreatMissingData::Breaching, TreatMissingData::NotBreaching];

#[test]
fn the_documented_vector() {
    use AlarmState::*;
    for initial in [Ok, Alarm, InsufficientData] {
        for treat in TREATMENTS {
            assert_eq!(final_state("0 - X - X", treat, initial), Ok, "{treat:?} from {initial:?}");
            assert_eq!(final_state("0 - - - -", treat, initial), Ok, "{treat:?} from {initial:?}");
            assert_eq!(final_state("0 X X - X", treat, initial), Alarm, "{treat:?} from {initial:?}");
        }
        let all_missing: [AlarmState; 4] = [InsufficientData, initial, Alarm, Ok];
        for (treat, want) in TREATMENTS.into_iter().zip(all_missing) {
            assert_eq!(final_state("- - - - -", treat, initial), want, "{treat:?} from {initial:?}");
        }
        // One breaching datapoint among unknowns: no premature ALARM.
        let lone: [AlarmState; 4] = [initial, initial, Alarm, Ok];
        for (treat, want) in TREATMENTS.into_iter().zip(lone) {
            assert_eq!(final_state("- - X - -", treat, initial), want, "{treat:?} from {initial:?}");
        }
    }
}

#[test]
fn only_changes_are_reported_with_their_time() {
    let mut seen = heapless::Vec::<Transition, 8>::new();
    let c = config(2, 1, TreatMissingData::NotBreaching);
    let state = evaluate(c, Instant::ZERO, &values("0 0 X 0 0 0"), |t| seen.push(t).unwrap()).unwrap();
    assert_eq!(state, AlarmState::Ok);
    let secs: heapless::Vec<(u64, AlarmState), 8> =
        seen.iter().map(|t| (t.time.as_micros() / 1_000_000, t.to)).collect();
    assert_eq!(secs.as_slice(), &[(60, AlarmState::Ok), (180, AlarmState::Alarm), (300, AlarmState::Ok)]);
    assert_eq!(seen[1].from, AlarmState::Ok);
}

#[test]
fn a_stopped_metric_is_re_evaluated_until_it_leaves_the_range() {
    // N = 1, notBreaching: the last X still decides for 2 more periods.
    let mut seen = heapless::Vec::<Transition, 8>::new();
    evaluate(config(1, 1, TreatMissingData::NotBreaching), Instant::ZERO, &values("X - - - -"), |t| {
        seen.push(t).unwrap()
    })
    .unwrap();
    let times: heapless::Vec<u64, 8> = seen.iter().map(|t| t.time.as_micros() / 60_000_000).collect();
    assert_eq!(times.as_slice(), &[1, 4]);
}

#[test]
fn comparisons_at_the_threshold() {
    use ComparisonOperator::*;
    for (op, at, below, above) in [
        (GreaterThanThreshold, false, false, true),
        (GreaterThanOrEqualToThreshold, true, false, true),
        (LessThanThreshold, false, true, false),
        (LessThanOrEqualToThreshold, true, true, false),
    ] {
        assert_eq!(op.breaches(5.0, 5.0), at, "{op:?}");
        assert_eq!(op.breaches(4.0, 5.0), below, "{op:?}");
        assert_eq!(op.breaches(6.0, 5.0), above, "{op:?}");
        assert_eq!(ComparisonOperator::from_name(op.as_str()), Ok(op));
    }
}

#[test]
fn validation_names_the_field() {
    let ok = config(3, 2, TreatMissingData::Missing);
    assert_eq!(ok.validate(), Ok(()));
    let cases: [(AlarmConfig, AlarmError); 9] = [
        (AlarmConfig { evaluation_periods: 0, ..ok }, AlarmError::EvaluationPeriodsZero),
        (AlarmConfig { datapoints_to_alarm: 0, ..ok }, AlarmError::DatapointsToAlarmZero),
        (AlarmConfig { datapoints_to_alarm: 4, ..ok }, AlarmError::DatapointsToAlarmAboveEvaluationPeriods),
        (AlarmConfig { period: Duration::from_secs(45), ..ok }, AlarmError::InvalidPeriod),
        (AlarmConfig { period: Duration::from_millis(60_500), ..ok }, AlarmError::InvalidPeriod),
        (AlarmConfig { period: Duration::ZERO, ..ok }, AlarmError::InvalidPeriod),
        (AlarmConfig { evaluation_periods: 1_441, datapoints_to_alarm: 1, ..ok }, AlarmError::EvaluationPeriodsTooMany),
        (AlarmConfig { threshold: f64::NAN, ..ok }, AlarmError::ThresholdNotFinite),
        (
            AlarmConfig { statistic: Statistic::Percentile(Percentile::P99), ..ok },
            AlarmError::PercentileOfNonDistribution,
        ),
    ];
    for (c, e) in cases {
        assert_eq!(c.validate(), Err(e));
        assert_eq!(Alarm::new(c).err(), Some(e));
    }
    let hourly =
        AlarmConfig { period: Duration::from_secs(3_600), evaluation_periods: 168, datapoints_to_alarm: 1, ..ok };
    assert_eq!(hourly.validate(), Ok(()));
    assert_eq!(AlarmConfig { evaluation_periods: 169, ..hourly }.validate(), Err(AlarmError::EvaluationPeriodsTooMany));
    let region_only = AlarmConfig { metric: Metric::ClaimedAccountConcurrency, function: Some(0), ..ok };
    assert_eq!(region_only.validate(), Err(AlarmError::Metric(MetricError::RegionOnlyMetric)));
    assert_eq!(TreatMissingData::from_name("notBreaching"), Ok(TreatMissingData::NotBreaching));
    assert_eq!(TreatMissingData::from_name("NotBreaching"), Err(AlarmError::UnknownTreatMissingData));
    assert_eq!(AlarmState::from_name("INSUFFICIENT_DATA"), Ok(AlarmState::InsufficientData));
}

#[test]
fn long_histories_wrap_without_mixing_old_bits() {
    let c = AlarmConfig {
        evaluation_periods: 1_440,
        datapoints_to_alarm: 1_440,
        ..config(1, 1, TreatMissingData::Missing)
    };
    let mut alarm = Alarm::new(c).unwrap();
    for i in 0..4_000u64 {
        alarm.push(Instant::from_secs(60 * (i + 1)), Some(if i < 2_000 { 1.0 } else { 0.0 }));
        let want = if i < 1_439 {
            AlarmState::InsufficientData
        } else if i < 2_000 {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        };
        assert_eq!(alarm.state(), want, "period {i}");
    }
    assert_eq!(core::mem::size_of::<Alarm>(), 440);
}

#[test]
fn alarms_on_a_store() {
    extern crate std;
    use crate::metrics::{Cell, PeriodSlot, RunHistogram, SeriesHeader, StoreConfig, StoreSizes};
    use std::vec;
    let sizes = StoreSizes::new(1, 10, 0);
    let mut series = vec![SeriesHeader::default(); sizes.series];
    let mut cells = vec![Cell::default(); sizes.cells];
    let mut runs = vec![RunHistogram::new(); sizes.run_histograms];
    let mut store = MetricStore::new(
        StoreConfig { functions: 1, ..StoreConfig::default() },
        series.as_mut_slice().into(),
        cells.as_mut_slice().into(),
        (&mut [] as &mut [PeriodSlot]).into(),
        runs.as_mut_slice().into(),
    )
    .unwrap();
    // Throttles at 30 s and 150 s; a Throttles Sum > 0 alarm over 1 minute.
    store.count(Instant::from_secs(30), Metric::Throttles, Some(0), 1).unwrap();
    store.count(Instant::from_secs(150), Metric::Throttles, Some(0), 1).unwrap();
    store.advance(Instant::from_secs(600)); // the run reached 600 s
    let c = AlarmConfig { function: Some(0), ..config(1, 1, TreatMissingData::NotBreaching) };
    let mut seen = heapless::Vec::<(u64, AlarmState), 8>::new();
    let state = evaluate_store(&store, c, Instant::ZERO, Instant::from_secs(600), |t| {
        seen.push((t.time.as_micros() / 1_000_000, t.to)).unwrap()
    })
    .unwrap();
    assert_eq!(state, AlarmState::Ok);
    // The X of [120, 180) keeps deciding until it leaves the 3-period range.
    assert_eq!(seen.as_slice(), &[(60, AlarmState::Alarm), (360, AlarmState::Ok)]);
    // A two-minute alarm period merges two store periods: [0,120) and [120,240).
    let two = AlarmConfig { period: Duration::from_secs(120), threshold: 0.5, ..c };
    let mut count = 0;
    evaluate_store(&store, two, Instant::ZERO, Instant::from_secs(240), |_| count += 1).unwrap();
    assert_eq!(count, 1);
    let odd = AlarmConfig { period: Duration::from_secs(30), ..c };
    assert_eq!(
        evaluate_store(&store, odd, Instant::ZERO, Instant::from_secs(60), |_| ()),
        Err(AlarmError::PeriodNotMultipleOfStorePeriod)
    );
}

#[test]
fn store_evaluation_stops_at_the_newest_period_reached() {
    extern crate std;
    use crate::metrics::{Cell, PeriodSlot, RunHistogram, SeriesHeader, StoreConfig, StoreSizes};
    use std::vec;
    let sizes = StoreSizes::new(0, 4, 0);
    let mut series = vec![SeriesHeader::default(); sizes.series];
    let mut cells = vec![Cell::default(); sizes.cells];
    let mut runs = vec![RunHistogram::new(); sizes.run_histograms];
    let mut store = MetricStore::new(
        StoreConfig::default(),
        series.as_mut_slice().into(),
        cells.as_mut_slice().into(),
        (&mut [] as &mut [PeriodSlot]).into(),
        runs.as_mut_slice().into(),
    )
    .unwrap();
    store.count(Instant::from_secs(30), Metric::Throttles, None, 1).unwrap();
    let c = config(1, 1, TreatMissingData::NotBreaching);
    let mut seen = heapless::Vec::<u64, 4>::new();
    // `to` far in the future: only the one period reached is evaluated.
    let state = evaluate_store(&store, c, Instant::ZERO, Instant::MAX, |t| seen.push(t.time.as_micros()).unwrap());
    assert_eq!(state, Ok(AlarmState::Alarm));
    assert_eq!(seen.as_slice(), &[60_000_000]);
}
