//! The README's asynchronous-invocation example: an event that fails twice,
//! is retried after 1 and 2 minutes, and succeeds; one that is throttled
//! until its maximum age and lands in the dead-letter queue.
//!
//! `cargo run -p lambdasim --example async_invoke`

use lambdasim::region::{AsyncConfig, AsyncInvoke, AsyncQueue, DeliveryTarget};
use lambdasim::{Duration, FunctionConfig, Handler, Instant, Outcome, Region, RegionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut region: Region = Region::new(RegionConfig::default())?;
    region.attach_async_queue(AsyncQueue::with_capacity(1_000)?)?; // 1 000 events at most
    let f = region.create_function(Instant::ZERO, &FunctionConfig::default())?;
    // Fails twice (function errors), then succeeds: attempts at 0 s, then 1 min
    // after the first failed attempt ended, then 2 min after the second.
    let handler = Handler { duration: Duration::from_secs(1), outcome: Outcome::FunctionError };
    let flaky = region.invoke_async(Instant::ZERO, f, AsyncInvoke { handler, failing_attempts: 2 })?;

    // g's one unit of reserved concurrency is held for 15 minutes by a synchronous call.
    let long = FunctionConfig { reserved: Some(1), timeout_ms: 900_000, ..FunctionConfig::default() };
    let g = region.create_function(Instant::ZERO, &long)?;
    let config = AsyncConfig {
        max_event_age: Duration::from_secs(600),
        dead_letter_queue: DeliveryTarget::Available, // or Failing: counted in DeadLetterErrors
        ..AsyncConfig::DEFAULT
    };
    region.put_function_async_config(g, &config)?;
    region.invoke_for(Instant::ZERO, g, Handler { duration: Duration::from_secs(899), outcome: Outcome::Success })?;
    // Throttled, retried after 1 s, 2 s, 4 s ... 5 min, until its 10 min age: to the DLQ.
    let ok = Handler { duration: Duration::from_secs(1), outcome: Outcome::Success };
    let patient = region.invoke_async(Instant::ZERO, g, AsyncInvoke::always(ok))?;

    // The region makes every attempt itself as its clock moves.
    while let Some(at) = region.next_deadline().filter(|at| *at <= Instant::from_secs(3_600)) {
        region.advance(at)?;
    }
    println!("flaky:   {:?}", region.async_event(flaky));
    println!("patient: {:?}", region.async_event(patient));
    let a = region.async_stats();
    println!(
        "received {} succeeded {} dropped {} dead-lettered {} attempts {} requeued {}",
        a.received, a.succeeded, a.dropped, a.dead_lettered, a.attempts, a.requeued
    );
    println!("invocations {} throttles {}", region.stats().invocations, region.stats().throttles_total());
    region.check_invariants().map_err(|v| v.to_string())?;
    Ok(())
}
