//! The daily curve, schedules, sums and repeated traces.

extern crate std;

use super::*;

const HOUR: u64 = 3_600;

/// Every request of `w` up to `horizon_s`, in µs.
fn times(w: &Workload<'_>, horizon_s: u64, seed: u64) -> std::vec::Vec<u64> {
    let mut a = Arrivals::until(Duration::from_secs(horizon_s));
    let mut rng = Rng::new(seed);
    let mut out = std::vec::Vec::new();
    while let Some((t, _)) = a.next(w, &mut rng) {
        out.push(t.as_micros());
        assert!(out.len() < 5_000_000, "no end");
    }
    out
}

fn count_in(v: &[u64], from_s: u64, to_s: u64) -> u64 {
    v.iter().filter(|&&t| t >= from_s * 1_000_000 && t < to_s * 1_000_000).count() as u64
}

fn expected_in(w: &Workload<'_>, from_s: u64, to_s: u64) -> f64 {
    w.expected_requests(Duration::from_secs(to_s)) - w.expected_requests(Duration::from_secs(from_s))
}

fn diurnal(peak: f64, trough: f64, peak_at_s: u64, spacing: Spacing) -> Workload<'static> {
    Workload::Diurnal {
        peak_per_s: peak,
        trough_per_s: trough,
        period: Duration::from_secs(86_400),
        peak_at: Duration::from_secs(peak_at_s),
        spacing,
    }
}

/// The curve's own numbers: its mean over a day, its rate at the peak and
/// the trough (through one-second windows of the integrated rate).
#[test]
fn diurnal_integral_has_the_curve_s_shape() {
    let w = diurnal(200.0, 20.0, 14 * HOUR, Spacing::Poisson);
    let day = w.expected_requests(Duration::from_secs(86_400));
    assert!((day - 110.0 * 86_400.0).abs() < 1e-3, "{day}");
    let at = |s: u64| expected_in(&w, s, s + 1);
    assert!((at(14 * HOUR) - 200.0).abs() < 0.01, "{}", at(14 * HOUR));
    assert!((at(2 * HOUR) - 20.0).abs() < 0.01, "{}", at(2 * HOUR));
    // Halfway between: the mean.
    assert!((at(8 * HOUR) - 110.0).abs() < 0.05, "{}", at(8 * HOUR));
    assert!((w.mean_rate_per_s(Duration::from_secs(2 * 86_400)) - 110.0).abs() < 1e-6);
}

/// Poisson arrivals over a day, counted per hour (seed 7): each hour is
/// within 5 standard deviations (√n) of the curve's expected count, and the
/// day within 1 %.
#[test]
fn diurnal_arrivals_match_the_curve_hour_by_hour() {
    let w = diurnal(2.0, 0.2, 14 * HOUR, Spacing::Poisson);
    let v = times(&w, 86_400, 7);
    assert!(v.windows(2).all(|p| p[0] <= p[1]));
    for h in 0..24 {
        let (got, want) = (count_in(&v, h * HOUR, (h + 1) * HOUR) as f64, expected_in(&w, h * HOUR, (h + 1) * HOUR));
        assert!((got - want).abs() <= 5.0 * want.sqrt(), "hour {h}: {got} requests, expected {want:.0}");
    }
    let day = w.expected_requests(Duration::from_secs(86_400));
    assert!((v.len() as f64 - day).abs() <= 0.01 * day, "{} vs {day:.0}", v.len());
    // The busiest hour is the one around the peak; the quietest around the trough.
    let per: std::vec::Vec<u64> = (0..24).map(|h| count_in(&v, h * HOUR, (h + 1) * HOUR)).collect();
    let busiest = per.iter().enumerate().max_by_key(|(_, n)| **n).map(|(h, _)| h);
    assert!(matches!(busiest, Some(12..=15)), "{busiest:?}");
}

/// Evenly spaced arrivals land where the integrated rate crosses each
/// whole number: every hour holds its expected count to within one.
#[test]
fn diurnal_constant_spacing_follows_the_integral_exactly() {
    let w = diurnal(2.0, 0.0, 6 * HOUR, Spacing::Constant);
    let v = times(&w, 86_400, 1);
    for h in 0..24 {
        let (got, want) = (count_in(&v, h * HOUR, (h + 1) * HOUR) as f64, expected_in(&w, h * HOUR, (h + 1) * HOUR));
        assert!((got - want).abs() <= 1.0 + 1e-6, "hour {h}: {got} vs {want}");
    }
}

/// A trough of zero far from the peak, and a horizon that ends there:
/// bounded work, no request where the rate is zero, an end.
#[test]
fn diurnal_ends_in_a_silent_trough_and_with_extreme_rates() {
    let w = diurnal(1e6, 0.0, 12 * HOUR, Spacing::Poisson);
    let mut a = Arrivals::until(Duration::from_secs(60));
    let mut rng = Rng::new(2);
    let mut n = 0;
    while a.next(&w, &mut rng).is_some() {
        n += 1;
        assert!(n < 1_000, "requests in a silent trough");
    }
    for (peak, trough) in [(1e-9, 0.0), (f64::NAN, 0.0), (1.0, 2.0), (1e300, 1.0), (5e-324, 0.0)] {
        let w = diurnal(peak, trough, 0, Spacing::Poisson);
        assert!(times(&w, 600, 1).len() <= 1, "{peak} {trough}");
    }
    assert!(!diurnal(1.0, 2.0, 0, Spacing::Poisson).is_valid());
    assert!(!diurnal(f64::NAN, 0.0, 0, Spacing::Poisson).is_valid());
    let zero_period = Workload::Diurnal {
        peak_per_s: 1.0,
        trough_per_s: 0.0,
        period: Duration::ZERO,
        peak_at: Duration::ZERO,
        spacing: Spacing::Poisson,
    };
    assert!(!zero_period.is_valid());
    assert!(times(&zero_period, 60, 1).is_empty());
}

fn point(at_s: u64, rate_per_s: f64) -> RatePoint {
    RatePoint { at: Duration::from_secs(at_s), rate_per_s }
}

/// 0 → 100/s over 100 s, flat for 100 s, then a step down to nothing: the
/// ramp's requests follow the triangle, none after the step.
#[test]
fn schedule_ramps_linearly_and_steps() {
    let points = [point(0, 0.0), point(100, 100.0), point(200, 100.0), point(200, 0.0)];
    let even = Workload::Schedule { points: &points, period: None, spacing: Spacing::Constant };
    let v = times(&even, 400, 1);
    // Expected: t²/2 requests by t in the ramp.
    for t in [10, 50, 100] {
        assert!((count_in(&v, 0, t) as f64 - (t * t) as f64 / 2.0).abs() <= 1.0, "{t}");
    }
    assert!((count_in(&v, 100, 200) as i64 - 10_000).abs() <= 1);
    // The 15 000th lands exactly at the step; none after it.
    assert_eq!(v.last(), Some(&200_000_000));
    let poisson = Workload::Schedule { points: &points, period: None, spacing: Spacing::Poisson };
    let v = times(&poisson, 400, 3);
    for (from, to) in [(0, 50), (50, 100), (100, 200)] {
        let (got, want) = (count_in(&v, from, to) as f64, expected_in(&poisson, from, to));
        assert!((got - want).abs() <= 5.0 * want.sqrt(), "[{from}, {to}): {got} vs {want}");
    }
    assert_eq!(count_in(&v, 200, 400), 0);
    // One point: a flat rate, like `poisson`.
    let flat = [point(0, 5.0)];
    let n = times(&Workload::Schedule { points: &flat, period: None, spacing: Spacing::Constant }, 100, 1).len();
    assert_eq!(n, 500);
}

/// A repeating schedule plays every period; after the last point the rate
/// ramps back to the first point's rate at the period.
#[test]
fn schedule_repeats_with_a_wrapping_ramp() {
    let points = [point(0, 10.0), point(100, 10.0), point(100, 0.0)];
    let w = Workload::Schedule { points: &points, period: Some(Duration::from_secs(300)), spacing: Spacing::Constant };
    let v = times(&w, 900, 1);
    for start in [0, 300, 600] {
        assert!((count_in(&v, start, start + 100) as i64 - 1_000).abs() <= 1, "{start}");
        // 100 → 300: ramps from 0 back to 10/s: 1 000 expected.
        assert!((count_in(&v, start + 100, start + 300) as i64 - 1_000).abs() <= 1, "{start}");
        assert!(count_in(&v, start + 100, start + 150) < count_in(&v, start + 250, start + 300));
    }
    assert!((w.expected_requests(Duration::from_secs(900)) - 6_000.0).abs() < 1e-6);
    // A long quiet stretch between short bursts: the walk skips whole repeats.
    let rare = [point(0, 0.0), point(1, 0.001), point(2, 0.0)];
    let w = Workload::Schedule { points: &rare, period: Some(Duration::from_secs(10)), spacing: Spacing::Poisson };
    let v = times(&w, 10_000_000, 4);
    assert!(v.iter().all(|&t| (1_000_000..=2_000_000).contains(&(t % 10_000_000)) || t % 10_000_000 < 1_000_000));
    let want = w.expected_requests(Duration::from_secs(10_000_000));
    assert!((v.len() as f64 - want).abs() <= 5.0 * want.sqrt(), "{} vs {want}", v.len());
}

#[test]
fn schedule_validity_and_silent_ends() {
    let ok = [point(0, 1.0), point(10, 2.0)];
    fn schedule(points: &[RatePoint], period: Option<Duration>) -> Workload<'_> {
        Workload::Schedule { points, period, spacing: Spacing::Poisson }
    }
    assert!(schedule(&ok, None).is_valid());
    assert!(schedule(&ok, Some(Duration::from_secs(10))).is_valid());
    assert!(!schedule(&ok, Some(Duration::from_secs(9))).is_valid());
    assert!(!schedule(&[], None).is_valid());
    assert!(!schedule(&[point(1, 1.0)], None).is_valid());
    assert!(!schedule(&[point(0, 1.0), point(10, 1.0), point(5, 1.0)], None).is_valid());
    assert!(!schedule(&[point(0, -1.0)], None).is_valid());
    assert!(!schedule(&[point(0, 1.0)], Some(Duration::ZERO)).is_valid());
    // All zero, repeating or not: ends at once.
    let zero = [point(0, 0.0), point(10, 0.0)];
    assert!(times(&schedule(&zero, Some(Duration::from_secs(60))), 86_400, 1).is_empty());
    assert!(times(&schedule(&zero, None), 86_400, 1).is_empty());
}

/// A sum is the superposition of its parts: with evenly spaced parts, the
/// merged stream is exactly the union of each part's requests.
#[test]
fn sum_is_the_superposition_of_its_parts() {
    let a = Workload::Constant { rate_per_s: 10.0 };
    let b = Workload::Constant { rate_per_s: 4.0 };
    let parts = [a, b];
    let merged = times(&Workload::Sum(&parts), 10, 1);
    let mut union = times(&a, 10, 1);
    union.extend(times(&b, 10, 1));
    union.sort_unstable();
    assert_eq!(merged, union);
    // One part: the same stream as the part alone (same random draws).
    let p = Workload::Poisson { rate_per_s: 30.0 };
    assert_eq!(times(&Workload::Sum(&[p]), 100, 5), times(&p, 100, 5));
    // A base plus a burst: counts add up.
    let burst = Workload::OnOff { rate_per_s: 50.0, on: Duration::from_secs(10), off: Duration::from_secs(50) };
    let sum = Workload::Sum(&[diurnal(20.0, 5.0, 1_800, Spacing::Poisson), burst]);
    let v = times(&sum, 3_600, 9);
    let want = sum.expected_requests(Duration::from_secs(3_600));
    assert!((v.len() as f64 - want).abs() <= 5.0 * want.sqrt(), "{} vs {want}", v.len());
    assert!(v.windows(2).all(|p| p[0] <= p[1]));
}

#[test]
fn sum_validity() {
    let p = Workload::Poisson { rate_per_s: 1.0 };
    assert!(Workload::Sum(&[p; MAX_PARTS]).is_valid());
    assert!(!Workload::Sum(&[p; MAX_PARTS + 1]).is_valid());
    assert!(!Workload::Sum(&[]).is_valid());
    let inner = [p];
    assert!(!Workload::Sum(&[p, Workload::Sum(&inner)]).is_valid());
    assert!(!Workload::Sum(&[p, Workload::Poisson { rate_per_s: -1.0 }]).is_valid());
    // A nested sum (refused by is_valid) makes no requests of its own.
    let nested = [Workload::Sum(&inner)];
    assert!(times(&Workload::Sum(&nested), 10, 1).is_empty());
}

/// A per-minute trace repeated: every play lands in the same minutes; a
/// period longer than the trace leaves the extra minutes empty.
#[test]
fn repeated_per_minute_trace_plays_again() {
    let counts = [3, 0, 5];
    let every =
        |minutes: u64| Workload::Repeat { trace: Trace::PerMinute(&counts), period: Duration::from_secs(60 * minutes) };
    let per_minute =
        |v: &[u64], n: u64| (0..n).map(|m| count_in(v, m * 60, (m + 1) * 60)).collect::<std::vec::Vec<_>>();
    assert_eq!(per_minute(&times(&every(3), 540, 1), 9), [3, 0, 5, 3, 0, 5, 3, 0, 5]);
    assert_eq!(per_minute(&times(&every(5), 600, 1), 10), [3, 0, 5, 0, 0, 3, 0, 5, 0, 0]);
    // Without repeat, the trace ends after its last minute.
    assert_eq!(times(&Workload::PerMinute(&counts), 600, 1).len(), 8);
    assert!((every(3).expected_requests(Duration::from_secs(540)) - 24.0).abs() < 1e-9);
    assert!(!every(2).is_valid());
    assert!(!Workload::Repeat { trace: Trace::PerMinute(&counts), period: Duration::from_secs(200) }.is_valid());
    // A trace of zeros repeated ends at once.
    let zeros = [0; 4];
    let w = Workload::Repeat { trace: Trace::PerMinute(&zeros), period: Duration::from_secs(240) };
    assert!(times(&w, 86_400, 1).is_empty());
}

#[test]
fn repeated_replay_keeps_durations_and_order() {
    let events = [TraceEvent { at_us: 5, duration_us: Some(7) }, TraceEvent { at_us: 9, duration_us: None }];
    let w = Workload::Repeat { trace: Trace::Replay(&events), period: Duration::from_micros(10) };
    assert!(w.is_valid());
    let mut a = Arrivals::until(Duration::from_micros(26));
    let mut rng = Rng::new(0);
    let mut got = std::vec::Vec::new();
    while let Some((t, d)) = a.next(&w, &mut rng) {
        got.push((t.as_micros(), d.map(|d| d.as_micros())));
    }
    assert_eq!(got, [(5, Some(7)), (9, None), (15, Some(7)), (19, None), (25, Some(7))]);
    assert!(!Workload::Repeat { trace: Trace::Replay(&events), period: Duration::from_micros(9) }.is_valid());
    assert!(times(&Workload::Repeat { trace: Trace::Replay(&[]), period: Duration::from_secs(1) }, 60, 1).is_empty());
}
