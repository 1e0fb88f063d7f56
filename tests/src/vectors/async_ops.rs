//! The asynchronous-invocation ops of the vector format: `put_async_config`,
//! `invoke_async`, `async_event`, the region's `async_queue` and `check`'s
//! `async` counters (see `tests/vectors/README.md`).

use super::{Mismatches, Res, Runner, allow_keys, as_obj, error_name, opt_str, opt_u32, opt_u64, outcome, req_str};
use lambdasim::region::{
    AsyncConfig, AsyncEventStatus, AsyncInvoke, AsyncQueue, AsyncStats, DeliveryTarget, DropReason,
};
use lambdasim::{Duration, Handler, Instant, Outcome};
use serde_json::{Map, Value};

/// The fields of an `async_event` (and `invoke_async`) expectation.
pub(super) const EVENT_EXPECT_KEYS: &[&str] = &["state", "attempts", "due_at_us", "reason", "error"];

/// Attaches a queue of `slots` events (the region's `async_queue`).
pub(super) fn attach_queue(runner: &mut Runner, slots: u32) -> Res<()> {
    let queue = AsyncQueue::with_capacity(slots as usize).map_err(|e| format!("region.async_queue: {e:?}"))?;
    runner.region.attach_async_queue(queue).map_err(|e| format!("attach_async_queue: {e:?}"))
}

fn target(name: Option<&str>, ctx: &str) -> Res<DeliveryTarget> {
    match name {
        None | Some("None") => Ok(DeliveryTarget::None),
        Some("Available") => Ok(DeliveryTarget::Available),
        Some("Failing") => Ok(DeliveryTarget::Failing),
        Some(s) => Err(format!("{ctx}: expected \"None\", \"Available\" or \"Failing\", found \"{s}\"")),
    }
}

/// A `put_async_config` step.
pub(super) fn put_config(
    runner: &mut Runner,
    m: &Map<String, Value>,
    at: Instant,
    e: &Map<String, Value>,
    mm: &mut Mismatches,
    ctx: &str,
) -> Res<()> {
    runner.region.advance(at).map_err(|e| format!("advance failed: {e:?}"))?;
    let d = AsyncConfig::DEFAULT;
    let config = AsyncConfig {
        max_retry_attempts: match opt_u32(m, "max_retry_attempts", ctx)? {
            None => d.max_retry_attempts,
            Some(n) => u8::try_from(n).unwrap_or(u8::MAX),
        },
        max_event_age: opt_u64(m, "max_event_age_s", ctx)?.map_or(d.max_event_age, Duration::from_secs),
        dead_letter_queue: target(opt_str(m, "dead_letter_queue", ctx)?, ctx)?,
        on_failure: target(opt_str(m, "on_failure", ctx)?, ctx)?,
        on_success: target(opt_str(m, "on_success", ctx)?, ctx)?,
    };
    let f = runner.function(req_str(m, "function", ctx)?);
    let r = runner.region.put_function_async_config(f, &config);
    match (r, opt_str(e, "error", ctx)?) {
        (Ok(()), None) => {}
        (Err(err), Some(want)) => mm.eq("error", error_name(&err).as_str(), want),
        (Ok(()), Some(want)) => mm.fail(format!("put_async_config succeeded, expected error {want}")),
        (Err(err), None) => mm.fail(format!("put_async_config failed: {err:?}")),
    }
    Ok(())
}

/// An `invoke_async` step.
pub(super) fn invoke(
    runner: &mut Runner,
    m: &Map<String, Value>,
    at: Instant,
    e: &Map<String, Value>,
    mm: &mut Mismatches,
    ctx: &str,
) -> Res<()> {
    let f = runner.function(req_str(m, "function", ctx)?);
    let handler = Handler {
        duration: Duration::from_micros(opt_u64(m, "handler_us", ctx)?.unwrap_or(0)),
        outcome: opt_str(m, "outcome", ctx)?.map_or(Ok(Outcome::Success), outcome)?,
    };
    let failing_attempts = match opt_u32(m, "failing_attempts", ctx)? {
        None => u8::MAX,
        Some(n) => u8::try_from(n).map_err(|_| format!("{ctx}: failing_attempts above 255"))?,
    };
    match (runner.region.invoke_async(at, f, AsyncInvoke { handler, failing_attempts }), opt_str(e, "error", ctx)?) {
        (Ok(id), None) => {
            if let Some(label) = opt_str(m, "id", ctx)? {
                runner.events.insert(label.to_owned(), id);
            }
            check_status(runner.region.async_event(id), e, mm, ctx)?;
        }
        (Err(err), Some(want)) => mm.eq("error", error_name(&err).as_str(), want),
        (Ok(id), Some(want)) => mm.fail(format!("invoke_async accepted {id:?}, expected error {want}")),
        (Err(err), None) => mm.fail(format!("invoke_async failed: {err:?}")),
    }
    Ok(())
}

/// An `async_event` step: advance to its time, then the event's status.
pub(super) fn event(
    runner: &mut Runner,
    m: &Map<String, Value>,
    at: Instant,
    e: &Map<String, Value>,
    mm: &mut Mismatches,
    ctx: &str,
) -> Res<()> {
    runner.region.advance(at).map_err(|e| format!("advance failed: {e:?}"))?;
    let label = req_str(m, "id", ctx)?;
    let id = *runner.events.get(label).ok_or_else(|| format!("{ctx}: no event labelled `{label}`"))?;
    check_status(runner.region.async_event(id), e, mm, ctx)
}

fn check_status(status: Option<AsyncEventStatus>, e: &Map<String, Value>, mm: &mut Mismatches, ctx: &str) -> Res<()> {
    let Some(status) = status else {
        mm.fail("the event's handle is stale".into());
        return Ok(());
    };
    let (state, attempts, due_at, reason) = match status {
        AsyncEventStatus::Queued { attempts, due_at } => ("Queued", attempts, Some(due_at.as_micros()), None),
        AsyncEventStatus::Running { attempts } => ("Running", attempts, None, None),
        AsyncEventStatus::Succeeded { attempts } => ("Succeeded", attempts, None, None),
        AsyncEventStatus::Dropped { attempts, reason } => ("Dropped", attempts, None, Some(reason)),
    };
    if let Some(want) = opt_str(e, "state", ctx)? {
        mm.eq("state", state, want);
    }
    if let Some(want) = opt_u64(e, "attempts", ctx)? {
        mm.eq("attempts", u64::from(attempts), want);
    }
    if let Some(want) = opt_u64(e, "due_at_us", ctx)? {
        mm.eq("due_at_us", due_at, Some(want));
    }
    if let Some(want) = opt_str(e, "reason", ctx)? {
        mm.eq("reason", reason.map(drop_reason), Some(want));
    }
    Ok(())
}

fn drop_reason(r: DropReason) -> &'static str {
    match r {
        DropReason::RetriesExhausted => "RetriesExhausted",
        DropReason::Expired => "Expired",
        DropReason::ReservedZero => "ReservedZero",
        DropReason::FunctionDeleted => "FunctionDeleted",
    }
}

/// The fields of `check`'s `async` object, in `AsyncStats` order.
pub(super) fn stats_fields(s: &AsyncStats) -> [(&'static str, u64); 17] {
    [
        ("received", s.received),
        ("rejected", s.rejected),
        ("queued", s.queued),
        ("running", s.running),
        ("attempts", s.attempts),
        ("requeued", s.requeued),
        ("succeeded", s.succeeded),
        ("dropped", s.dropped),
        ("retries_exhausted", s.retries_exhausted),
        ("expired", s.expired),
        ("reserved_zero", s.reserved_zero),
        ("function_deleted", s.function_deleted),
        ("dead_lettered", s.dead_lettered),
        ("dead_letter_errors", s.dead_letter_errors),
        ("sent_on_failure", s.sent_on_failure),
        ("sent_on_success", s.sent_on_success),
        ("destination_delivery_failures", s.destination_delivery_failures),
    ]
}

/// `check`'s `async` object: the region's asynchronous counters.
pub(super) fn check_stats(runner: &Runner, v: &Value, mm: &mut Mismatches) -> Res<()> {
    let ctx = "check expect.async";
    let e = as_obj(v, ctx)?;
    let fields = stats_fields(&runner.region.async_stats());
    let keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    allow_keys(e, &keys, ctx)?;
    for (key, got) in fields {
        if let Some(want) = opt_u64(e, key, ctx)? {
            mm.eq(&format!("async.{key}"), got, want);
        }
    }
    Ok(())
}
