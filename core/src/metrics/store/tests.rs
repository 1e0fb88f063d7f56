use super::*;
use crate::metrics::histogram::RunHistogram;

const MIN: u64 = 60_000_000;

fn at(us: u64) -> Instant {
    Instant::from_micros(us)
}

/// A store of `functions` functions with rings of `n` periods and
/// histogram rings of `h` periods, in leaked boxes (tests only).
fn store(functions: u32, n: usize, h: usize) -> MetricStore<'static> {
    extern crate std;
    use std::boxed::Box;
    use std::vec;
    let sizes = StoreSizes::new(functions, n, h);
    let series = Box::leak(vec![SeriesHeader::default(); sizes.series].into_boxed_slice());
    let cells = Box::leak(vec![Cell::default(); sizes.cells].into_boxed_slice());
    let hists = Box::leak(vec![PeriodSlot::default(); sizes.period_histograms].into_boxed_slice());
    let runs = Box::leak(vec![RunHistogram::new(); sizes.run_histograms].into_boxed_slice());
    let config = StoreConfig { functions, ..StoreConfig::default() };
    MetricStore::new(config, series.into(), cells.into(), hists.into(), runs.into()).unwrap()
}

#[test]
fn provisioned_concurrency_example() {
    // One request per minute on provisioned concurrency, each lasting 2
    // minutes: in minute 2 ([60 s, 120 s)), two are busy but one started.
    let mut s = store(1, 10, 0);
    let f = Some(0);
    let mut busy = 0;
    for minute in 0..4u64 {
        let start = minute * MIN + 1_000_000;
        if minute >= 2 {
            busy -= 1; // the request of minute − 2 ends just before
            s.gauge(at(start - 1), Metric::ProvisionedConcurrentExecutions, f, busy).unwrap();
        }
        busy += 1;
        s.count(at(start), Metric::ProvisionedConcurrencyInvocations, f, 1).unwrap();
        s.count(at(start), Metric::Invocations, f, 1).unwrap();
        s.gauge(at(start), Metric::ProvisionedConcurrentExecutions, f, busy).unwrap();
    }
    let max = |p| s.statistic(Metric::ProvisionedConcurrentExecutions, f, Statistic::Maximum, p, 1).unwrap();
    let sum = |p| s.statistic(Metric::ProvisionedConcurrencyInvocations, f, Statistic::Sum, p, 1).unwrap();
    assert_eq!((max(1), sum(1)), (Some(2.0), Some(1.0)));
    assert_eq!((max(0), sum(0)), (Some(1.0), Some(1.0)));
    // Region-wide counts are the sum of the functions'; gauges are per series.
    assert_eq!(s.statistic(Metric::Invocations, None, Statistic::Sum, 0, 4).unwrap(), Some(4.0));
    assert_eq!(s.datapoint(Metric::ProvisionedConcurrentExecutions, None, 1), Ok(None));
}

#[test]
fn a_gauge_held_through_a_quiet_period_has_its_maximum() {
    // One request from 10 s to 190 s: nothing changes in minute [60, 120) or
    // [120, 180), yet ConcurrentExecutions' Maximum there is 1.
    let mut s = store(1, 10, 0);
    s.gauge(at(10_000_000), Metric::ConcurrentExecutions, Some(0), 1).unwrap();
    s.gauge(at(190_000_000), Metric::ConcurrentExecutions, Some(0), 0).unwrap();
    s.advance(at(5 * MIN));
    let max = |p| s.statistic(Metric::ConcurrentExecutions, Some(0), Statistic::Maximum, p, 1).unwrap();
    assert_eq!([max(0), max(1), max(2), max(3), max(4)], [Some(1.0), Some(1.0), Some(1.0), Some(1.0), None]);
    // Counts have no such carry: a period without invocations is missing.
    s.count(at(0), Metric::Invocations, Some(0), 1).unwrap();
    assert_eq!(s.datapoint(Metric::Invocations, Some(0), 1), Ok(None));
}

#[test]
fn percentiles_per_period_and_per_run() {
    let mut s = store(2, 4, 2);
    for v in 1..=100u64 {
        s.sample(at(0), Metric::Duration, Some(1), v * 1_000).unwrap();
        s.sample(at(MIN), Metric::Duration, Some(0), v).unwrap();
    }
    let p99 = Statistic::Percentile(Percentile::P99);
    let got = s.statistic(Metric::Duration, Some(1), p99, 0, 1).unwrap().unwrap();
    assert!((got - 99_000.0).abs() <= 99_000.0 / 128.0, "{got}");
    assert_eq!(s.statistic(Metric::Duration, Some(0), p99, 1, 1), Ok(Some(99.0)));
    // Region-wide over both periods: 200 samples.
    assert_eq!(s.statistic(Metric::Duration, None, Statistic::SampleCount, 0, 2), Ok(Some(200.0)));
    let summary = s.latency_summary(Metric::Duration, Some(0)).unwrap().unwrap();
    assert_eq!((summary.p50, summary.p90, summary.p99, summary.maximum), (50, 90, 99, 100));
    assert_eq!(s.latency_summary(Metric::InitDuration, Some(0)), Ok(None));
    // Histogram ring of 2: period 0's histogram is gone after period 2 opens.
    s.sample(at(2 * MIN), Metric::Duration, Some(1), 5).unwrap();
    assert_eq!(s.statistic(Metric::Duration, Some(1), p99, 0, 1), Err(MetricError::NoHistogram));
    assert_eq!(s.statistic(Metric::Duration, Some(1), Statistic::Maximum, 0, 1), Ok(Some(100_000.0)));
}

#[test]
fn errors_name_the_field() {
    let mut s = store(1, 2, 0);
    assert_eq!(s.count(at(0), Metric::Duration, None, 1), Err(MetricError::WrongKind));
    assert_eq!(s.sample(at(0), Metric::Invocations, None, 1), Err(MetricError::WrongKind));
    assert_eq!(s.count(at(0), Metric::Invocations, Some(1), 1), Err(MetricError::UnknownFunction));
    assert_eq!(s.gauge(at(0), Metric::ClaimedAccountConcurrency, Some(0), 1), Err(MetricError::RegionOnlyMetric));
    assert_eq!(s.run_percentile(Metric::Throttles, None, Percentile::P50), Err(MetricError::WrongKind));
    assert_eq!(s.statistic(Metric::Duration, None, Statistic::Percentile(Percentile::P50), 0, 1), Ok(None));
    s.sample(at(0), Metric::Duration, None, 3).unwrap();
    assert_eq!(
        s.statistic(Metric::Duration, None, Statistic::Percentile(Percentile::P50), 0, 1),
        Err(MetricError::NoHistogram)
    );
    s.count(at(5 * MIN), Metric::Throttles, None, 1).unwrap();
    assert_eq!(s.datapoint(Metric::Throttles, None, 0), Err(MetricError::PeriodRolledOff));
    let bad = StoreConfig { period: Duration::from_secs(45), functions: 0 };
    let sizes = StoreSizes::new(0, 1, 0);
    let (mut a, mut b, mut c) =
        ([SeriesHeader::default(); 19], [Cell::default(); 19], [RunHistogram::new(), RunHistogram::new()]);
    let _ = sizes;
    let r = MetricStore::new(bad, (&mut a).into(), (&mut b).into(), Slots::from(&mut []), Slots::from(&mut c[..]));
    assert_eq!(r.err(), Some(MetricError::InvalidPeriod));
}

#[test]
fn storage_too_small_is_an_error_per_table() {
    let config = StoreConfig::default();
    let mut a = [SeriesHeader::default(); 19];
    let mut b = [Cell::default(); 19];
    let mut runs =
        [RunHistogram::new(), RunHistogram::new(), RunHistogram::new(), RunHistogram::new(), RunHistogram::new()];
    let r = MetricStore::new(
        config,
        Slots::from(&mut a[..18]),
        Slots::from(&mut b[..]),
        Slots::from(&mut []),
        Slots::from(&mut runs[..]),
    );
    assert_eq!(r.err(), Some(MetricError::SeriesStorageTooSmall));
    let r = MetricStore::new(
        config,
        Slots::from(&mut a[..]),
        Slots::from(&mut b[..18]),
        Slots::from(&mut []),
        Slots::from(&mut runs[..]),
    );
    assert_eq!(r.err(), Some(MetricError::CellStorageTooSmall));
    let r = MetricStore::new(
        config,
        Slots::from(&mut a[..]),
        Slots::from(&mut b[..]),
        Slots::from(&mut []),
        Slots::from(&mut runs[..4]),
    );
    assert_eq!(r.err(), Some(MetricError::RunHistogramStorageTooSmall));
    let s = MetricStore::new(
        config,
        Slots::from(&mut a[..]),
        Slots::from(&mut b[..]),
        Slots::from(&mut []),
        Slots::from(&mut runs[..]),
    )
    .unwrap();
    assert_eq!((s.periods(), s.histogram_periods()), (1, 0));
}

#[test]
fn documented_sizes() {
    assert_eq!(core::mem::size_of::<SeriesHeader>(), 120);
    assert_eq!(core::mem::size_of::<Cell>(), 56);
    assert_eq!(core::mem::size_of::<PeriodSlot>(), 9_128);
    let one = StoreSizes::defaults(1);
    let none = StoreSizes::defaults(0);
    assert_eq!(one.bytes() - none.bytes(), 384_080);
}

#[test]
fn datapoints_iterates_the_ring_with_missing_periods() {
    let mut s = store(0, 3, 0);
    for p in [0u64, 2, 3, 4] {
        s.count(at(p * MIN), Metric::Errors, None, p).unwrap();
    }
    let mut seen = heapless::Vec::<(u64, Option<u64>), 8>::new();
    s.datapoints(Metric::Errors, None, at(0), at(10 * MIN), |t, dp| {
        seen.push((t.as_micros() / MIN, dp.map(|d| d.sum))).unwrap();
    })
    .unwrap();
    assert_eq!(seen.as_slice(), &[(2, Some(2)), (3, Some(3)), (4, Some(4))]);
    let rolled = s.rolled_off(Metric::Errors, None).unwrap();
    assert_eq!((rolled.periods, rolled.datapoint.map(|d| d.sum)), (1, Some(0)));
}

#[test]
fn statistics_over_many_periods_are_bounded_by_the_ring() {
    let mut s = store(0, 3, 0);
    s.gauge(at(0), Metric::ConcurrentExecutions, None, 4).unwrap();
    s.advance(at(1_000_000 * MIN));
    // A million periods held at 4 after the head: O(1), not a loop over them.
    let sum = s.statistic(Metric::ConcurrentExecutions, None, Statistic::SampleCount, 0, u64::MAX).unwrap();
    assert_eq!(sum, Some(1_000_001.0));
    let max = s.statistic(Metric::ConcurrentExecutions, None, Statistic::Maximum, 500, 2).unwrap();
    assert_eq!(max, Some(4.0));
    // Nothing is carried past the newest period reached.
    let future = s.statistic(Metric::ConcurrentExecutions, None, Statistic::Maximum, 1_000_001, 5).unwrap();
    assert_eq!(future, None);
    assert_eq!(s.statistic(Metric::Invocations, None, Statistic::Sum, 0, u64::MAX), Ok(None));
}

#[cfg(feature = "alloc")]
#[test]
fn an_owned_store_has_the_sizes_asked() {
    let config = StoreConfig { functions: 2, ..StoreConfig::default() };
    let mut s = MetricStore::owned(config, 7, 3).unwrap();
    assert_eq!((s.periods(), s.histogram_periods(), s.functions()), (7, 3, 2));
    s.sample(at(0), Metric::ResponseTime, Some(1), 250).unwrap();
    assert_eq!(s.run_percentile(Metric::ResponseTime, None, Percentile::P99), Ok(Some(250)));
    let bad = StoreConfig { period: Duration::from_secs(0), ..config };
    assert_eq!(MetricStore::owned(bad, 7, 3).err(), Some(MetricError::InvalidPeriod));
}
