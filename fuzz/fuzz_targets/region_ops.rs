//! Random operation sequences through a `Region`, with the region's
//! invariants (`Region::check_invariants`, docs/model.md) checked after
//! every operation. Times cover the whole `u64` range: most steps are small
//! (so requests overlap), some jump by an arbitrary `u64` or straight to
//! `Instant::MAX`, and durations in configs, handlers, inits and keep-alives
//! are sometimes extreme. Any panic (an invariant broken, or a bug that
//! panics) is a finding; so is a hang (libFuzzer's `-timeout`): every
//! operation must cost work in proportion to the events it applies, never
//! to the simulated time it spans. Asynchronous events go through a lent
//! 8-slot queue: every accepted event is exactly one of queued, running,
//! succeeded or dropped after every operation (`check_invariants`).
#![no_main]

use lambdasim::metrics::{Cell, Metric, MetricStore, PeriodSlot, RunHistogram, SeriesHeader, StoreConfig, StoreSizes};
use lambdasim::pricing::PriceBook;
use lambdasim::region::{AsyncConfig, AsyncInvoke, AsyncQueue, AsyncStorage, DeliveryTarget};
use lambdasim::{
    ColdStartProfile, Duration, FunctionConfig, FunctionId, Handler, Instant, InvocationId, Invoked, Outcome, Region,
    RegionConfig, RegionStorage, ScalingRule, Slots, WarmPick,
};
use libfuzzer_sys::fuzz_target;

/// Reads numbers off the input; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }

    /// A duration of `unit_us` × a byte most of the time, else one from
    /// the extremes of the `u64` range.
    fn duration(&mut self, unit_us: u64) -> Duration {
        let us = match self.u8() {
            0..=239 => u64::from(self.u8()) * unit_us,
            240..=247 => self.u64(),
            248..=251 => u64::MAX,
            252 | 253 => u64::MAX / 2,
            _ => 1,
        };
        Duration::from_micros(us)
    }

    /// The next clock reading: a small step (requests overlap), a step of
    /// up to ~71 minutes, an arbitrary `u64` jump, or the end of time.
    fn step(&mut self, now: Instant) -> Instant {
        match self.u8() % 16 {
            0..=11 => now.saturating_add(Duration::from_micros(u64::from(self.u8()) * u64::from(self.u8()) * 100)),
            12 | 13 => now.saturating_add(Duration::from_micros(u64::from(self.u32()))),
            14 => now.saturating_add(Duration::from_micros(self.u64())),
            _ => Instant::MAX,
        }
    }
}

fn region_config(b: &mut Bytes<'_>) -> RegionConfig {
    RegionConfig {
        account_limit: 100 + u32::from(b.u8()),
        unreserved_min: u32::from(b.u8() % 101),
        scaling: if b.u8().is_multiple_of(4) {
            ScalingRule::LegacyAccount { burst: 1 + u32::from(b.u8()) }
        } else {
            ScalingRule::PerFunction
        },
        request_rate_per_limit: u32::from(b.u8() % 3),
        idle_timeout: b.duration(100_000),
        max_lifetime: b.duration(500_000),
        shutdown: b.duration(500_000),
        warm_pick: if b.u8().is_multiple_of(2) { WarmPick::MostRecentlyUsed } else { WarmPick::LeastRecentlyUsed },
        provisioned_delay: b.duration(10_000),
        provisioned_per_minute: 1 + u32::from(b.u8()) * 100,
        bill_init: b.u8().is_multiple_of(2),
        ..RegionConfig::default()
    }
}

fn function_config(b: &mut Bytes<'_>) -> FunctionConfig {
    let reserved = match b.u8() % 3 {
        0 => Some(u32::from(b.u8() % 20)),
        _ => None,
    };
    FunctionConfig {
        memory_mb: 100 + u32::from(b.u8()) * 41,
        timeout_ms: u32::from(b.u8()) * 40,
        reserved,
        provisioned: u32::from(b.u8() % 8),
        cold_start: ColdStartProfile {
            sandbox_us: b.duration(1_000).as_micros(),
            download_us_per_mb: b.duration(1_000).as_micros(),
            package_mb: u32::from(b.u8()),
            init_us: b.duration(50_000).as_micros(),
        },
        ..FunctionConfig::default()
    }
}

fn target(b: &mut Bytes<'_>) -> DeliveryTarget {
    [DeliveryTarget::None, DeliveryTarget::Available, DeliveryTarget::Failing][usize::from(b.u8() % 3)]
}

/// Asynchronous settings, out of range now and then (refused, naming the field).
fn async_config(b: &mut Bytes<'_>) -> AsyncConfig {
    AsyncConfig {
        max_retry_attempts: b.u8() % 4,
        max_event_age: match b.u8() % 4 {
            0 => b.duration(1_000_000),
            _ => Duration::from_secs(60 + u64::from(b.u32() % 21_541)),
        },
        dead_letter_queue: target(b),
        on_failure: target(b),
        on_success: target(b),
    }
}

fn outcome(b: &mut Bytes<'_>) -> Outcome {
    [Outcome::Success, Outcome::FunctionError, Outcome::Timeout, Outcome::Crash][usize::from(b.u8() % 4)]
}

/// One operation at `now` on function `f` (when there is one).
fn op(
    region: &mut Region<'_>,
    b: &mut Bytes<'_>,
    now: Instant,
    functions: &mut Vec<FunctionId>,
    open: &mut Vec<InvocationId>,
) {
    let pick = usize::from(b.u8());
    let f = functions.get(pick % functions.len().max(1)).copied();
    let mut started = |invoked| {
        if let Ok(Invoked::Started(s)) = invoked {
            open.push(s.invocation);
        }
    };
    match (b.u8() % 15, f) {
        (0, _) => {
            if let Ok(id) = region.create_function(now, &function_config(b)) {
                functions.push(id);
            }
        }
        (1 | 2, Some(f)) => started(region.invoke(now, f)),
        (3, Some(f)) => started(region.invoke_with_init(now, f, b.duration(50_000))),
        (4, Some(f)) => {
            let handler = Handler { duration: b.duration(10_000), outcome: outcome(b) };
            let _ = region.invoke_for(now, f, handler);
        }
        (5 | 6, _) if !open.is_empty() => {
            let inv = open.swap_remove(pick % open.len());
            let _ = region.finish(now, inv, outcome(b));
        }
        (7, Some(f)) => {
            let rc = if b.u8().is_multiple_of(2) { None } else { Some(u32::from(b.u8() % 30)) };
            let _ = region.put_reserved(now, f, rc);
        }
        (8, Some(f)) => {
            let _ = region.put_provisioned(now, f, u32::from(b.u8() % 10));
            if b.u8().is_multiple_of(8) {
                let _ = region.update_function(now, f, &function_config(b));
            }
            if b.u8().is_multiple_of(16) && region.delete_function(now, f).is_ok() {
                functions.retain(|g| *g != f);
            }
        }
        (9, Some(f)) => {
            let keep_alive = if b.u8().is_multiple_of(4) { None } else { Some(b.duration(100_000)) };
            let _ = region.set_keep_alive(now, f, keep_alive);
        }
        (10, Some(f)) => {
            let _ = region.prewarm(now, f);
        }
        (11, Some(f)) => {
            let handler = Handler { duration: b.duration(10_000), outcome: outcome(b) };
            let invoke = AsyncInvoke { handler, failing_attempts: b.u8() % 5 };
            for _ in 0..1 + b.u8() % 4 {
                let _ = region.invoke_async(now, f, invoke);
            }
        }
        (12, Some(f)) => {
            let _ = region.put_function_async_config(f, &async_config(b));
        }
        _ => {
            if region.advance(now).is_ok() {
                // Everything due by `now` has been applied.
                if let Some(due) = region.next_deadline() {
                    assert!(due > now, "advance({now:?}) left an event due at {due:?}");
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    // Lent storage (the no-heap path); the other targets run owned tables.
    let mut storage = Box::new(RegionStorage::<64, 4>::new());
    let mut events = Box::new(AsyncStorage::<8>::new());
    let Ok(mut region) = Region::new_in(region_config(&mut b), &mut storage) else { return };
    region.attach_async_queue(AsyncQueue::new_in(&mut events)).expect("no queue attached before");
    // Half the inputs also run with a metric store in lent tables (1 s or
    // 60 s periods, rings of 4), checked against the counters below.
    let sizes = StoreSizes::new(4, 4, 2);
    let mut series = vec![SeriesHeader::default(); sizes.series];
    let mut cells = vec![Cell::default(); sizes.cells];
    let mut periods = vec![PeriodSlot::default(); sizes.period_histograms];
    let mut runs = vec![RunHistogram::new(); sizes.run_histograms];
    let with_metrics = b.u8() % 2 == 0;
    if with_metrics {
        let period = if b.u8() % 2 == 0 { Duration::from_secs(1) } else { Duration::from_secs(60) };
        let store = MetricStore::new(
            StoreConfig { period, functions: 4 },
            Slots::from(&mut series[..]),
            Slots::from(&mut cells[..]),
            Slots::from(&mut periods[..]),
            Slots::from(&mut runs[..]),
        )
        .expect("the store's tables are sized by StoreSizes");
        region.attach_metrics(store).expect("the store covers the region's 4 function slots");
    }
    let mut functions: Vec<FunctionId> = Vec::new();
    let mut open: Vec<InvocationId> = Vec::new();
    let mut now = Instant::ZERO;
    while !b.0.is_empty() {
        now = b.step(now);
        op(&mut region, &mut b, now, &mut functions, &mut open);
        if let Err(v) = region.check_invariants() {
            panic!("invariant broken: {v}");
        }
        assert!(region.now() <= now, "the region's clock {:?} passed the caller's {now:?}", region.now());
        if with_metrics {
            let stats = region.stats();
            let store = region.metrics().expect("attached");
            let total = |m| store.recorded(m, None).expect("region-wide series").map_or(0, |d| d.sum);
            assert_eq!(total(Metric::Invocations), stats.invocations, "Invocations");
            assert_eq!(total(Metric::Throttles), stats.throttles.iter().sum::<u64>(), "Throttles");
            assert_eq!(total(Metric::Errors), stats.errors, "Errors");
            let a = region.async_stats();
            let store = region.metrics().expect("attached");
            let total = |m| store.recorded(m, None).expect("region-wide series").map_or(0, |d| d.sum);
            assert_eq!(total(Metric::AsyncEventsReceived), a.received, "AsyncEventsReceived");
            assert_eq!(total(Metric::AsyncEventsDropped), a.dropped, "AsyncEventsDropped");
            assert_eq!(total(Metric::DeadLetterErrors), a.dead_letter_errors, "DeadLetterErrors");
        }
        let _ = region.usage();
        let _ = region.bill(&PriceBook::US_EAST_1, b.0.len() % 2 == 0);
    }
});
