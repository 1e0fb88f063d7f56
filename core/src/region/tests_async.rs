//! Unit tests of asynchronous invocation: attempt times, backoff, expiry,
//! dead-letter and destination sends, conservation.

use super::*;
use crate::function::ColdStartProfile;
use crate::metrics::{Metric, MetricStore, Statistic, StoreConfig};

fn s(secs: u64) -> Instant {
    Instant::from_secs(secs)
}

/// A function that starts instantly (no create or init time), 900 s timeout.
fn instant() -> FunctionConfig {
    FunctionConfig {
        cold_start: ColdStartProfile { sandbox_us: 0, download_us_per_mb: 0, package_mb: 0, init_us: 0 },
        timeout_ms: 900_000,
        ..FunctionConfig::default()
    }
}

fn region(events: usize) -> Region<'static> {
    let mut r = Region::with_capacity(RegionConfig::default(), Capacity { envs: 64, functions: 4 }).unwrap();
    r.attach_async_queue(AsyncQueue::with_capacity(events).unwrap()).unwrap();
    r
}

fn failing(secs: u64, outcome: Outcome) -> AsyncInvoke {
    AsyncInvoke::always(Handler { duration: Duration::from_secs(secs), outcome })
}

fn queued(r: &Region<'_>, e: AsyncEventId) -> (u8, Instant) {
    match r.async_event(e) {
        Some(AsyncEventStatus::Queued { attempts, due_at }) => (attempts, due_at),
        other => panic!("not queued: {other:?}"),
    }
}

#[test]
fn a_failing_event_is_retried_after_one_then_two_minutes() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &instant()).unwrap();
    let e = r.invoke_async(s(10), f, failing(5, Outcome::FunctionError)).unwrap();
    assert_eq!(r.async_event(e), Some(AsyncEventStatus::Running { attempts: 1 }));
    // Attempt 1 runs 10..15 s; the 2nd is due 1 min after it ended.
    r.advance(s(15)).unwrap();
    assert_eq!(queued(&r, e), (1, s(75)));
    assert_eq!(r.next_deadline(), Some(s(75)));
    r.advance(s(75)).unwrap();
    assert_eq!(r.async_event(e), Some(AsyncEventStatus::Running { attempts: 2 }));
    // Attempt 2 runs 75..80 s; the 3rd is due 2 min after it ended.
    r.advance(s(80)).unwrap();
    assert_eq!(queued(&r, e), (2, s(200)));
    r.advance(s(205)).unwrap();
    let dropped = AsyncEventStatus::Dropped { attempts: 3, reason: DropReason::RetriesExhausted };
    assert_eq!(r.async_event(e), Some(dropped));
    let stats = r.stats();
    assert_eq!((stats.invocations, stats.errors), (3, 3));
    let a = r.async_stats();
    assert_eq!((a.received, a.attempts, a.dropped, a.retries_exhausted, a.queued, a.running), (1, 3, 1, 1, 0, 0));
    r.check_invariants().unwrap();
}

#[test]
fn timeouts_are_retried_and_max_retry_attempts_bounds_them() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &FunctionConfig { timeout_ms: 2_000, ..instant() }).unwrap();
    let config =
        AsyncConfig { max_retry_attempts: 1, dead_letter_queue: DeliveryTarget::Available, ..AsyncConfig::DEFAULT };
    r.put_function_async_config(f, &config).unwrap();
    let e = r.invoke_async(Instant::ZERO, f, failing(60, Outcome::Success)).unwrap();
    r.advance(s(2)).unwrap();
    assert_eq!(queued(&r, e), (1, s(62)));
    r.advance(s(64)).unwrap();
    let dropped = AsyncEventStatus::Dropped { attempts: 2, reason: DropReason::RetriesExhausted };
    assert_eq!(r.async_event(e), Some(dropped));
    assert_eq!(r.stats().timeouts, 2);
    assert_eq!(r.async_stats().dead_lettered, 1);
}

#[test]
fn a_later_attempt_succeeds_and_reaches_the_on_success_destination() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &instant()).unwrap();
    let config = AsyncConfig { on_success: DeliveryTarget::Available, ..AsyncConfig::DEFAULT };
    r.put_function_async_config(f, &config).unwrap();
    let handler = Handler { duration: Duration::from_secs(1), outcome: Outcome::Crash };
    let e = r.invoke_async(Instant::ZERO, f, AsyncInvoke { handler, failing_attempts: 1 }).unwrap();
    r.advance(s(62)).unwrap();
    assert_eq!(r.async_event(e), Some(AsyncEventStatus::Succeeded { attempts: 2 }));
    let a = r.async_stats();
    assert_eq!((a.succeeded, a.sent_on_success, a.dropped), (1, 1, 0));
    assert_eq!(r.stats().succeeded, 1);
}

/// Reserved concurrency 1, held by a long synchronous invocation.
fn blocked(r: &mut Region<'static>, max_age_s: u64) -> FunctionId {
    let f = r.create_function(Instant::ZERO, &FunctionConfig { reserved: Some(1), ..instant() }).unwrap();
    let config = AsyncConfig {
        max_event_age: Duration::from_secs(max_age_s),
        dead_letter_queue: DeliveryTarget::Available,
        ..AsyncConfig::DEFAULT
    };
    r.put_function_async_config(f, &config).unwrap();
    let hold = Handler { duration: Duration::from_secs(899), outcome: Outcome::Success };
    assert!(matches!(r.invoke_for(Instant::ZERO, f, hold).unwrap(), Invoked::Started(_)));
    f
}

#[test]
fn a_throttled_event_backs_off_from_one_second_and_expires_into_the_dead_letter_queue() {
    let mut r = region(4);
    let f = blocked(&mut r, 60);
    let e = r.invoke_async(Instant::ZERO, f, failing(1, Outcome::Success)).unwrap();
    // Throttled at 0, 1, 3, 7, 15, 31 s; the next (63 s) is past its 60 s age.
    for (due, next) in [(1, 3), (3, 7), (7, 15), (15, 31), (31, 60)] {
        assert_eq!(queued(&r, e), (0, s(due)));
        r.advance(s(due)).unwrap();
        assert_eq!(queued(&r, e), (0, s(next)));
    }
    r.advance(s(60)).unwrap();
    assert_eq!(r.async_event(e), Some(AsyncEventStatus::Dropped { attempts: 0, reason: DropReason::Expired }));
    let a = r.async_stats();
    assert_eq!((a.requeued, a.expired, a.dead_lettered, a.attempts), (6, 1, 1, 0));
    assert_eq!(r.stats().throttles_total(), 6);
    assert_eq!(r.stats().invocations, 1); // the synchronous one
    r.check_invariants().unwrap();
}

#[test]
fn the_backoff_doubles_up_to_five_minutes() {
    let mut r = region(4);
    let f = blocked(&mut r, 3_600);
    let e = r.invoke_async(Instant::ZERO, f, failing(1, Outcome::Success)).unwrap();
    let mut waits = [0u64; 11];
    let mut at = Instant::ZERO;
    for w in &mut waits {
        let (_, due) = queued(&r, e);
        *w = due.saturating_since(at).as_micros() / 1_000_000;
        at = due;
        r.advance(due).unwrap();
    }
    assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
}

#[test]
fn a_throttled_event_runs_once_concurrency_frees_up() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &FunctionConfig { reserved: Some(1), ..instant() }).unwrap();
    let hold = Handler { duration: Duration::from_millis(2_500), outcome: Outcome::Success };
    r.invoke_for(Instant::ZERO, f, hold).unwrap();
    let e = r.invoke_async(Instant::ZERO, f, failing(1, Outcome::Success)).unwrap();
    // Throttled at 0, 1 s; the sync invocation ends at 2.5 s; the try at 3 s runs.
    r.advance(s(3)).unwrap();
    assert_eq!(r.async_event(e), Some(AsyncEventStatus::Running { attempts: 1 }));
    r.advance(s(4)).unwrap();
    assert_eq!(r.async_event(e), Some(AsyncEventStatus::Succeeded { attempts: 1 }));
}

#[test]
fn reserved_zero_sends_new_events_straight_to_the_dead_letter_queue() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &FunctionConfig { reserved: Some(0), ..instant() }).unwrap();
    let config = AsyncConfig { dead_letter_queue: DeliveryTarget::Available, ..AsyncConfig::DEFAULT };
    r.put_function_async_config(f, &config).unwrap();
    let e = r.invoke_async(s(1), f, failing(1, Outcome::Success)).unwrap();
    let dropped = AsyncEventStatus::Dropped { attempts: 0, reason: DropReason::ReservedZero };
    assert_eq!(r.async_event(e), Some(dropped));
    let a = r.function_async_stats(f).copied().unwrap();
    assert_eq!((a.received, a.dropped, a.reserved_zero, a.dead_lettered, a.attempts), (1, 1, 1, 1, 0));
    assert_eq!(r.stats().requests, 0);
    assert_eq!(r.next_deadline(), None);
}

#[test]
fn a_failing_dead_letter_queue_counts_one_error_and_loses_nothing_else() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &FunctionConfig { reserved: Some(0), ..instant() }).unwrap();
    let config = AsyncConfig {
        dead_letter_queue: DeliveryTarget::Failing,
        on_failure: DeliveryTarget::Available,
        ..AsyncConfig::DEFAULT
    };
    r.put_function_async_config(f, &config).unwrap();
    r.invoke_async(Instant::ZERO, f, failing(1, Outcome::Success)).unwrap();
    let a = r.async_stats();
    assert_eq!(
        (a.dead_letter_errors, a.dead_lettered, a.sent_on_failure, a.destination_delivery_failures),
        (1, 0, 1, 0)
    );
    assert_eq!((a.received, a.dropped), (1, 1));
    assert!(a.conserved());
}

#[test]
fn a_full_queue_refuses_and_counts_the_event() {
    let mut r = region(1);
    let f = r.create_function(Instant::ZERO, &instant()).unwrap();
    let e = r.invoke_async(Instant::ZERO, f, failing(10, Outcome::Success)).unwrap();
    assert_eq!(r.invoke_async(Instant::ZERO, f, failing(10, Outcome::Success)), Err(AsyncError::QueueFull));
    assert_eq!(r.async_stats().rejected, 1);
    assert_eq!(r.async_stats().received, 1);
    // Once settled, its slot takes the next event; the old handle goes stale.
    r.advance(s(10)).unwrap();
    let next = r.invoke_async(s(10), f, failing(10, Outcome::Success)).unwrap();
    assert_eq!(r.async_event(e), None);
    assert_eq!(next.index, e.index);
    r.check_invariants().unwrap();
}

#[test]
fn deleting_a_function_drops_its_queued_events() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &instant()).unwrap();
    let e = r.invoke_async(Instant::ZERO, f, failing(1, Outcome::FunctionError)).unwrap();
    r.advance(s(2)).unwrap();
    r.delete_function(s(2), f).unwrap();
    let dropped = AsyncEventStatus::Dropped { attempts: 1, reason: DropReason::FunctionDeleted };
    assert_eq!(r.async_event(e), Some(dropped));
    assert_eq!(r.next_deadline(), None);
    r.check_invariants().unwrap();
}

#[test]
fn errors_name_the_field_and_the_missing_queue() {
    let mut r = region(4);
    let f = r.create_function(Instant::ZERO, &instant()).unwrap();
    let bad_retries = AsyncConfig { max_retry_attempts: 3, ..AsyncConfig::DEFAULT };
    assert_eq!(r.put_function_async_config(f, &bad_retries), Err(ConfigError::MaximumRetryAttemptsOutOfRange));
    for secs in [59, 21_601] {
        let bad_age = AsyncConfig { max_event_age: Duration::from_secs(secs), ..AsyncConfig::DEFAULT };
        assert_eq!(r.put_function_async_config(f, &bad_age), Err(ConfigError::MaximumEventAgeOutOfRange));
    }
    let fractional = AsyncConfig { max_event_age: Duration::from_millis(60_500), ..AsyncConfig::DEFAULT };
    assert_eq!(r.put_function_async_config(f, &fractional), Err(ConfigError::MaximumEventAgeOutOfRange));
    assert_eq!(r.function_async_config(f), Some(&AsyncConfig::DEFAULT));
    assert_eq!(r.attach_async_queue(AsyncQueue::with_capacity(1).unwrap()), Err(AsyncError::QueueAttached));
    let mut bare = Region::with_capacity(RegionConfig::default(), Capacity { envs: 4, functions: 1 }).unwrap();
    let g = bare.create_function(Instant::ZERO, &instant()).unwrap();
    assert_eq!(bare.invoke_async(Instant::ZERO, g, failing(1, Outcome::Success)), Err(AsyncError::NoQueue));
    let stale = FunctionId { index: 3, generation: 1 };
    assert_eq!(r.invoke_async(Instant::ZERO, stale, failing(1, Outcome::Success)), Err(AsyncError::UnknownFunction));
}

#[test]
fn lent_storage_holds_a_queue() {
    extern crate alloc;
    let mut storage = alloc::boxed::Box::new(RegionStorage::<8, 1>::new());
    let mut events = alloc::boxed::Box::new(AsyncStorage::<2>::new());
    let mut r = Region::new_in(RegionConfig::default(), &mut storage).unwrap();
    r.attach_async_queue(AsyncQueue::new_in(&mut events)).unwrap();
    let f = r.create_function(Instant::ZERO, &instant()).unwrap();
    for _ in 0..2 {
        r.invoke_async(Instant::ZERO, f, failing(1, Outcome::Success)).unwrap();
    }
    assert_eq!(r.invoke_async(Instant::ZERO, f, failing(1, Outcome::Success)), Err(AsyncError::QueueFull));
    assert_eq!(r.async_queue().map(AsyncQueue::capacity), Some(2));
}

#[test]
fn the_async_metrics_reach_the_store() {
    let mut r = region(4);
    let store = MetricStore::owned(StoreConfig { functions: 4, ..StoreConfig::default() }, 60, 5).unwrap();
    r.attach_metrics(store).unwrap();
    let f = r.create_function(Instant::ZERO, &FunctionConfig { reserved: Some(1), ..instant() }).unwrap();
    let config = AsyncConfig {
        dead_letter_queue: DeliveryTarget::Failing,
        on_failure: DeliveryTarget::Failing,
        max_retry_attempts: 0,
        ..AsyncConfig::DEFAULT
    };
    r.put_function_async_config(f, &config).unwrap();
    r.invoke_async(Instant::ZERO, f, failing(1, Outcome::FunctionError)).unwrap();
    r.advance(s(1)).unwrap();
    let hold = Handler { duration: Duration::from_secs(10), outcome: Outcome::Success };
    r.invoke_for(s(2), f, hold).unwrap();
    r.invoke_async(s(2), f, failing(1, Outcome::Success)).unwrap();
    r.advance(s(70)).unwrap();
    let store = r.metrics().unwrap();
    let sum = |m| store.statistic(m, Some(f.index), Statistic::Sum, 0, 1).unwrap();
    assert_eq!(sum(Metric::AsyncEventsReceived), Some(2.0));
    assert_eq!(sum(Metric::AsyncEventsDropped), Some(1.0));
    assert_eq!(sum(Metric::DeadLetterErrors), Some(1.0));
    assert_eq!(sum(Metric::DestinationDeliveryFailures), Some(1.0));
    // The 2nd event ran at 17 s, after throttles at 2, 3, 5 and 9 s: ages 0 and 15 s.
    let age = store.statistic(Metric::AsyncEventAge, Some(f.index), Statistic::Maximum, 0, 1).unwrap();
    assert_eq!(age, Some(15_000_000.0));
    assert_eq!(store.statistic(Metric::Throttles, Some(f.index), Statistic::Sum, 0, 1).unwrap(), Some(4.0));
    assert_eq!(store.statistic(Metric::Invocations, None, Statistic::Sum, 0, 1).unwrap(), Some(3.0));
}

#[test]
fn an_event_whose_retry_falls_past_the_end_of_the_clock_expires_at_once() {
    let mut r = region(4);
    let f = blocked(&mut r, 21_600);
    let late = Instant::from_micros(Instant::MAX.as_micros() - 500_000);
    r.advance(late).unwrap();
    let hold = Handler { duration: Duration::from_secs(899), outcome: Outcome::Success };
    r.invoke_for(late, f, hold).unwrap();
    let e = r.invoke_async(late, f, failing(1, Outcome::Success)).unwrap();
    r.advance(Instant::MAX).unwrap();
    assert_eq!(r.async_event(e), Some(AsyncEventStatus::Dropped { attempts: 0, reason: DropReason::Expired }));
    r.check_invariants().unwrap();
}
