//! Arrival processes: the rates and ends of every workload.

use super::*;

fn collect(w: Workload<'_>, until_s: u64) -> heapless::Vec<u64, 4096> {
    let mut a = Arrivals::new();
    let mut rng = Rng::new(1);
    let mut out = heapless::Vec::new();
    while let Some((t, _)) = a.next(&w, &mut rng) {
        if t >= Instant::from_secs(until_s) {
            break;
        }
        out.push(t.as_micros()).unwrap();
    }
    out
}

#[test]
fn constant_is_evenly_spaced() {
    let v = collect(Workload::Constant { rate_per_s: 100.0 }, 1);
    assert_eq!(v.len(), 100);
    assert_eq!((v[0], v[1], v[99]), (0, 10_000, 990_000));
}

#[test]
fn poisson_rate_is_close() {
    let v = collect(Workload::Poisson { rate_per_s: 50.0 }, 60);
    assert!((v.len() as f64 - 3000.0).abs() < 200.0, "{}", v.len());
    assert!(v.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn on_off_is_silent_when_off() {
    let w = Workload::OnOff { rate_per_s: 100.0, on: Duration::from_secs(1), off: Duration::from_secs(4) };
    let v = collect(w, 20);
    assert!(v.iter().all(|&t| t % 5_000_000 < 1_000_000));
    assert!((v.len() as f64 - 400.0).abs() < 80.0, "{}", v.len());
}

#[test]
fn ramp_rises() {
    let w = Workload::Ramp { from_per_s: 0.0, to_per_s: 100.0, over: Duration::from_secs(10) };
    let v = collect(w, 20);
    let first = v.iter().filter(|&&t| t < 5_000_000).count();
    let second = v.iter().filter(|&&t| (5_000_000..10_000_000).contains(&t)).count();
    let flat = v.iter().filter(|&&t| t >= 10_000_000).count();
    assert!(first < second && second < flat, "{first} {second} {flat}");
    assert!((flat as f64 - 1000.0).abs() < 150.0);
}

#[test]
fn per_minute_counts_land_in_their_minute() {
    let v = collect(Workload::PerMinute(&[3, 0, 5, 1]), 600);
    assert_eq!(v.len(), 9);
    let minute = |t: u64| t / 60_000_000;
    let per: [usize; 4] = core::array::from_fn(|m| v.iter().filter(|&&t| minute(t) == m as u64).count());
    assert_eq!(per, [3, 0, 5, 1]);
    assert!(v.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn replay_carries_durations() {
    let events = [TraceEvent { at_us: 5, duration_us: Some(7) }, TraceEvent { at_us: 9, duration_us: None }];
    let w = Workload::Replay(&events);
    let mut a = Arrivals::new();
    let mut rng = Rng::new(0);
    assert_eq!(a.next(&w, &mut rng), Some((Instant::from_micros(5), Some(Duration::from_micros(7)))));
    assert_eq!(a.next(&w, &mut rng), Some((Instant::from_micros(9), None)));
    assert_eq!(a.next(&w, &mut rng), None);
    let unsorted = [TraceEvent { at_us: 9, duration_us: None }, TraceEvent { at_us: 5, duration_us: None }];
    assert!(!Workload::Replay(&unsorted).is_valid());
}

/// Calls `next` until the process ends (at most `calls` times); every
/// request must be at or before `horizon`. Returns the number of requests.
fn drain(w: Workload<'_>, horizon: Duration, calls: u64) -> u64 {
    let mut a = Arrivals::until(horizon);
    let mut rng = Rng::new(3);
    for n in 0..calls {
        match a.next(&w, &mut rng) {
            None => {
                assert_eq!(a.next(&w, &mut rng), None, "{w:?}: ended for good");
                return n;
            }
            Some((t, _)) => assert!(t.as_micros() <= horizon.as_micros(), "{w:?}: {t:?} after the horizon"),
        }
    }
    panic!("{w:?}: no end after {calls} requests");
}

const TINY: f64 = 5e-324;
const HUGE: Duration = Duration::from_micros(u64::MAX);

#[test]
fn poisson_and_constant_end_at_the_horizon_whatever_the_rate() {
    let h = Duration::from_secs(10);
    for rate in [1e-9, TINY, 1e300, f64::INFINITY, f64::NAN, -1.0, MAX_RATE_PER_S * 1.000_001] {
        assert!(drain(Workload::Poisson { rate_per_s: rate }, h, 10) <= 1, "poisson {rate}");
        // Constant makes its first request at t = 0 when the rate is valid.
        assert!(drain(Workload::Constant { rate_per_s: rate }, h, 10) <= 1, "constant {rate}");
    }
    let n = drain(Workload::Poisson { rate_per_s: MAX_RATE_PER_S }, Duration::from_millis(100), 200_000);
    assert!((95_000..105_000).contains(&n), "{n}");
    assert_eq!(drain(Workload::Constant { rate_per_s: MAX_RATE_PER_S }, Duration::from_millis(100), 200_000), 100_001);
    assert!(!Workload::Poisson { rate_per_s: 1e300 }.is_valid());
    assert!(!Workload::Constant { rate_per_s: MAX_RATE_PER_S * 2.0 }.is_valid());
    assert!(Workload::Constant { rate_per_s: MAX_RATE_PER_S }.is_valid());
}

#[test]
fn on_off_ends_at_the_horizon_with_rare_requests_and_extreme_periods() {
    let h = Duration::from_secs(3_600);
    let us = Duration::from_micros;
    for (rate, on, off) in [
        (1e-9, us(1), us(0)),
        (1e-9, us(1), us(1)),
        (TINY, Duration::from_secs(1), Duration::from_secs(1)),
        (1e300, us(1), us(1)),
        (MAX_RATE_PER_S, us(1), HUGE),
        (1e-9, HUGE, HUGE),
        (1.0, us(1), us(1)),
    ] {
        let w = Workload::OnOff { rate_per_s: rate, on, off };
        drain(w, h, 10_000);
    }
    // Rare requests still land in on periods only.
    let w = Workload::OnOff { rate_per_s: 0.01, on: Duration::from_secs(1), off: Duration::from_secs(9) };
    let mut a = Arrivals::until(Duration::from_secs(10_000_000));
    let mut rng = Rng::new(5);
    let mut n = 0;
    while let Some((t, _)) = a.next(&w, &mut rng) {
        assert!(t.as_micros() % 10_000_000 <= 1_000_000, "{t:?}");
        n += 1;
    }
    // 10^7 s, a tenth of it on, at 0.01/s: about 10 000 requests.
    assert!((9_600..10_400).contains(&n), "{n}");
}

#[test]
fn ramp_ends_at_the_horizon_after_falling_to_almost_nothing() {
    let h = Duration::from_secs(60);
    for (from, to, over) in [
        (1e6, 1e-9, Duration::from_secs(1)),
        (1e6, 0.0, Duration::from_millis(1)),
        (1e6, TINY, Duration::ZERO),
        (1e-9, 1e-9, Duration::from_secs(1)),
        (0.0, 1e-9, HUGE),
        (TINY, 0.0, HUGE),
        (1e300, 1.0, Duration::from_secs(1)),
    ] {
        drain(Workload::Ramp { from_per_s: from, to_per_s: to, over }, h, 2_000_000);
    }
    // A rise from nothing over far more than the horizon: candidates
    // stop at the horizon although none would be kept for a while.
    drain(Workload::Ramp { from_per_s: 0.0, to_per_s: 1e6, over: HUGE }, Duration::from_secs(1), 10);
    assert!(!Workload::Ramp { from_per_s: 1e300, to_per_s: 1.0, over: Duration::ZERO }.is_valid());
}

/// A rise far longer than the horizon thins at the rate reached by the
/// horizon, not at its final rate: 0 → 10⁶/s over 366 days, 100 s
/// long, makes ~158 requests from a few hundred candidates (at the
/// final rate it drew 10⁸; over a day, 8.6·10¹⁰).
#[test]
fn a_rise_cut_short_by_the_end_thins_at_the_rate_it_reached() {
    let w = Workload::Ramp { from_per_s: 0.0, to_per_s: 1e6, over: Duration::from_secs(31_622_400) };
    let mut a = Arrivals::until(Duration::from_secs(100));
    let mut rng = Rng::new(11);
    let mut requests = 0u64;
    while let Some((t, _)) = a.next(&w, &mut rng) {
        assert!(t <= Instant::from_secs(100));
        requests += 1;
        assert!(requests < 10_000, "no end");
    }
    // Expected 0.5 × (10⁶ × 100 / 31 622 400) × 100 ≈ 158.
    assert!((100..=230).contains(&requests), "{requests} requests");
    assert!(
        a.streams[0].candidates <= 2 * requests + 50,
        "{} candidates for {requests} requests",
        a.streams[0].candidates
    );
}

#[test]
fn falling_ramp_then_flat_keeps_its_rate() {
    // 100/s falling to 10/s over 10 s, then flat: the tail is drawn directly.
    let w = Workload::Ramp { from_per_s: 100.0, to_per_s: 10.0, over: Duration::from_secs(10) };
    let v = collect(w, 210);
    let ramp = v.iter().filter(|&&t| t < 10_000_000).count();
    let tail = v.len() - ramp;
    assert!((ramp as f64 - 550.0).abs() < 90.0, "{ramp}");
    assert!((tail as f64 - 2000.0).abs() < 200.0, "{tail}");
}

#[test]
fn traces_end_at_the_horizon() {
    assert_eq!(drain(Workload::PerMinute(&[3, 0, 5, 1]), Duration::from_secs(60), 100), 3);
    assert_eq!(drain(Workload::PerMinute(&[0, 0, u32::MAX]), Duration::from_secs(119), 10), 0);
    let events = [TraceEvent { at_us: 5, duration_us: None }, TraceEvent { at_us: 9, duration_us: None }];
    assert_eq!(drain(Workload::Replay(&events), Duration::from_micros(8), 10), 1);
    assert_eq!(drain(Workload::Replay(&events), Duration::from_micros(9), 10), 2);
}

#[test]
fn new_runs_until_the_end_of_arrivals() {
    let w = Workload::Constant { rate_per_s: 1e-10 };
    let mut a = Arrivals::new();
    let mut rng = Rng::new(1);
    assert_eq!(a.next(&w, &mut rng), Some((Instant::ZERO, None)));
    // The next one would be 10^10 s later, past ARRIVALS_END_US.
    assert_eq!(a.next(&w, &mut rng), None);
}
