//! Asynchronous invocation through the C ABI (docs/model.md §4): attach a
//! queue, set a function's retry / maximum age / dead-letter queue and
//! destination settings, put events, and read their status and the counters.
//!
//! The region makes every attempt itself as its clock moves (`lsim_advance`
//! at `lsim_next_deadline`): each is an ordinary invocation, counted,
//! metered and billed. Additions only: the ABI version stays 3.

use crate::api::{non_null, read_config, read_into, write_out};
use crate::registry::{RegionTag, guard, lsim_region, with_tagged_region};
use crate::status::lsim_status;
use crate::types::{Code, lsim_function};
use lambdasim::region::{
    AsyncConfig, AsyncError, AsyncEventId, AsyncEventStatus, AsyncInvoke, AsyncQueue, AsyncStats, DeliveryTarget,
    DropReason,
};
use lambdasim::{Duration, Handler, Instant, Outcome};

/// No target configured (`lsim_async_config` target fields).
pub const LSIM_DELIVERY_NONE: u32 = 0;
/// A configured target every send reaches.
pub const LSIM_DELIVERY_AVAILABLE: u32 = 1;
/// A configured target every send fails to reach (fault injection): the
/// event is lost and counted (`dead_letter_errors` or
/// `destination_delivery_failures`).
pub const LSIM_DELIVERY_FAILING: u32 = 2;

/// Waiting in the queue (`lsim_async_event_status.state`).
pub const LSIM_ASYNC_STATE_QUEUED: u32 = 0;
/// An attempt is running.
pub const LSIM_ASYNC_STATE_RUNNING: u32 = 1;
/// An attempt succeeded.
pub const LSIM_ASYNC_STATE_SUCCEEDED: u32 = 2;
/// Discarded without a successful run (see `reason`).
pub const LSIM_ASYNC_STATE_DROPPED: u32 = 3;

/// Not dropped (`lsim_async_event_status.reason`).
pub const LSIM_DROP_REASON_NONE: u32 = 0;
/// Every attempt allowed ended in a function error or timeout.
pub const LSIM_DROP_REASON_RETRIES_EXHAUSTED: u32 = 1;
/// It reached its maximum age before it could run.
pub const LSIM_DROP_REASON_EXPIRED: u32 = 2;
/// Reserved concurrency 0: no attempt is made.
pub const LSIM_DROP_REASON_RESERVED_ZERO: u32 = 3;
/// The function was deleted while the event was queued.
pub const LSIM_DROP_REASON_FUNCTION_DELETED: u32 = 4;

/// The most slots of an asynchronous queue (`lsim_region_attach_async_queue`).
pub const LSIM_ASYNC_QUEUE_MAX: u32 = 1 << 22;

/// A function's asynchronous settings. Fill with
/// `lsim_async_config_default`, then change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lsim_async_config {
    /// `sizeof(lsim_async_config)`.
    pub struct_size: u32,
    /// `MaximumRetryAttempts`, 0..=2 (default 2).
    pub max_retry_attempts: u32,
    /// `MaximumEventAgeInSeconds`, 60..=21600 (default 21600).
    pub max_event_age_s: u32,
    /// The dead-letter queue (`LSIM_DELIVERY_*`; default none).
    pub dead_letter_queue: u32,
    /// The on-failure destination (`LSIM_DELIVERY_*`; default none).
    pub on_failure: u32,
    /// The on-success destination (`LSIM_DELIVERY_*`; default none).
    pub on_success: u32,
}

/// An asynchronous event of a region (by value), with its region's tag.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_async_event {
    /// Slot in the queue.
    pub index: u32,
    /// Generation of the slot.
    pub generation: u32,
    /// The tag of the region that made the handle.
    pub region_tag: u32,
}

/// Where an event is.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_async_event_status {
    /// `LSIM_ASYNC_STATE_*`.
    pub state: u32,
    /// Attempts that ran so far (each an invocation).
    pub attempts: u32,
    /// Queued: when its next attempt is made (or it expires, if earlier); else 0.
    pub due_at_us: u64,
    /// Dropped: `LSIM_DROP_REASON_*`; else `LSIM_DROP_REASON_NONE`.
    pub reason: u32,
    /// Always 0 (padding made explicit).
    pub reserved: u32,
}

/// Asynchronous counters of a function or the region. Conservation:
/// `received = queued + running + succeeded + dropped`, and `dropped` is
/// the sum of its four reasons.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lsim_async_stats {
    /// Events accepted (`AsyncEventsReceived`).
    pub received: u64,
    /// Events refused: the queue was full.
    pub rejected: u64,
    /// Events waiting now.
    pub queued: u64,
    /// Events with an attempt running now.
    pub running: u64,
    /// Attempts that ran.
    pub attempts: u64,
    /// Tries throttled or refused for lack of room, sent back to the queue.
    pub requeued: u64,
    /// Events whose attempt succeeded.
    pub succeeded: u64,
    /// Events discarded (`AsyncEventsDropped`).
    pub dropped: u64,
    /// Of `dropped`: retries used up.
    pub retries_exhausted: u64,
    /// Of `dropped`: too old.
    pub expired: u64,
    /// Of `dropped`: reserved concurrency 0.
    pub reserved_zero: u64,
    /// Of `dropped`: function deleted.
    pub function_deleted: u64,
    /// Discarded events the dead-letter queue received.
    pub dead_lettered: u64,
    /// Failed sends to the dead-letter queue (`DeadLetterErrors`).
    pub dead_letter_errors: u64,
    /// Discarded events the on-failure destination received.
    pub sent_on_failure: u64,
    /// Successful events the on-success destination received.
    pub sent_on_success: u64,
    /// Failed sends to a destination (`DestinationDeliveryFailures`).
    pub destination_delivery_failures: u64,
}

impl From<&AsyncStats> for lsim_async_stats {
    fn from(s: &AsyncStats) -> Self {
        lsim_async_stats {
            received: s.received,
            rejected: s.rejected,
            queued: s.queued,
            running: s.running,
            attempts: s.attempts,
            requeued: s.requeued,
            succeeded: s.succeeded,
            dropped: s.dropped,
            retries_exhausted: s.retries_exhausted,
            expired: s.expired,
            reserved_zero: s.reserved_zero,
            function_deleted: s.function_deleted,
            dead_lettered: s.dead_lettered,
            dead_letter_errors: s.dead_letter_errors,
            sent_on_failure: s.sent_on_failure,
            sent_on_success: s.sent_on_success,
            destination_delivery_failures: s.destination_delivery_failures,
        }
    }
}

impl From<AsyncEventStatus> for lsim_async_event_status {
    fn from(s: AsyncEventStatus) -> Self {
        let none = LSIM_DROP_REASON_NONE;
        let (state, attempts, due_at_us, reason) = match s {
            AsyncEventStatus::Queued { attempts, due_at } => {
                (LSIM_ASYNC_STATE_QUEUED, attempts, due_at.as_micros(), none)
            }
            AsyncEventStatus::Running { attempts } => (LSIM_ASYNC_STATE_RUNNING, attempts, 0, none),
            AsyncEventStatus::Succeeded { attempts } => (LSIM_ASYNC_STATE_SUCCEEDED, attempts, 0, none),
            AsyncEventStatus::Dropped { attempts, reason } => {
                (LSIM_ASYNC_STATE_DROPPED, attempts, 0, drop_reason(reason))
            }
        };
        lsim_async_event_status { state, attempts: u32::from(attempts), due_at_us, reason, reserved: 0 }
    }
}

fn drop_reason(r: DropReason) -> u32 {
    match r {
        DropReason::RetriesExhausted => LSIM_DROP_REASON_RETRIES_EXHAUSTED,
        DropReason::Expired => LSIM_DROP_REASON_EXPIRED,
        DropReason::ReservedZero => LSIM_DROP_REASON_RESERVED_ZERO,
        DropReason::FunctionDeleted => LSIM_DROP_REASON_FUNCTION_DELETED,
    }
}

fn target(code: u32) -> Result<DeliveryTarget, lsim_status> {
    match code {
        LSIM_DELIVERY_NONE => Ok(DeliveryTarget::None),
        LSIM_DELIVERY_AVAILABLE => Ok(DeliveryTarget::Available),
        LSIM_DELIVERY_FAILING => Ok(DeliveryTarget::Failing),
        _ => Err(lsim_status::InvalidArgument),
    }
}

fn target_code(t: DeliveryTarget) -> u32 {
    match t {
        DeliveryTarget::None => LSIM_DELIVERY_NONE,
        DeliveryTarget::Available => LSIM_DELIVERY_AVAILABLE,
        DeliveryTarget::Failing => LSIM_DELIVERY_FAILING,
    }
}

impl From<AsyncError> for lsim_status {
    fn from(e: AsyncError) -> Self {
        match e {
            AsyncError::UnknownFunction => lsim_status::UnknownFunction,
            AsyncError::TimeWentBackwards => lsim_status::TimeWentBackwards,
            AsyncError::QueueFull => lsim_status::QueueFull,
            // No queue, or one attached already: a call out of order.
            AsyncError::NoQueue | AsyncError::QueueAttached => lsim_status::InvalidArgument,
            _ => lsim_status::Internal,
        }
    }
}

impl lsim_async_event {
    fn bind(e: AsyncEventId, tag: RegionTag) -> Self {
        lsim_async_event { index: e.index, generation: e.generation, region_tag: tag.0 }
    }
}

/// Fills `*out` with Lambda's defaults (2 retries, 6 hours, no targets) and
/// sets `out->struct_size`.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_async_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_async_config_default(out: *mut lsim_async_config) -> lsim_status {
    guard(|| {
        non_null(out)?;
        let d = AsyncConfig::DEFAULT;
        let c = lsim_async_config {
            struct_size: size_of::<lsim_async_config>() as u32,
            max_retry_attempts: u32::from(d.max_retry_attempts),
            max_event_age_s: (d.max_event_age.as_micros() / 1_000_000) as u32,
            dead_letter_queue: target_code(d.dead_letter_queue),
            on_failure: target_code(d.on_failure),
            on_success: target_code(d.on_success),
        };
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, c) };
        Ok(())
    })
}

/// Attaches a queue of `capacity` event slots (shared by every function;
/// allocated as it fills). Once per region.
///
/// # Errors
/// `LSIM_STATUS_INVALID_ARGUMENT` (`capacity` 0 or above
/// `LSIM_ASYNC_QUEUE_MAX`, or a queue is attached already); the handle errors.
#[unsafe(no_mangle)]
pub extern "C" fn lsim_region_attach_async_queue(region: *mut lsim_region, capacity: u32) -> lsim_status {
    guard(|| {
        non_null(region)?;
        if capacity == 0 || capacity > LSIM_ASYNC_QUEUE_MAX {
            return Err(lsim_status::InvalidArgument);
        }
        let queue = AsyncQueue::with_capacity(capacity as usize).map_err(|_| lsim_status::InvalidArgument)?;
        with_tagged_region(region, |r, _| Ok(r.attach_async_queue(queue)?))
    })
}

/// Sets a function's asynchronous settings (they apply from its events'
/// next decision on).
///
/// # Errors
/// `LSIM_STATUS_MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE`,
/// `LSIM_STATUS_MAXIMUM_EVENT_AGE_OUT_OF_RANGE`,
/// `LSIM_STATUS_INVALID_ARGUMENT` (bad `struct_size`, unknown target code),
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, and the handle/pointer errors.
///
/// # Safety
/// `config` is NULL or points to a readable `lsim_async_config` (at least
/// its `struct_size` field, and as many bytes as it says).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_put_async_config(
    region: *mut lsim_region,
    function: lsim_function,
    config: *const lsim_async_config,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        // SAFETY: the caller's contract on `config`.
        let c = unsafe { read_config(config) }?;
        let config = AsyncConfig {
            max_retry_attempts: u8::try_from(c.max_retry_attempts).unwrap_or(u8::MAX),
            max_event_age: Duration::from_secs(u64::from(c.max_event_age_s)),
            dead_letter_queue: target(c.dead_letter_queue)?,
            on_failure: target(c.on_failure)?,
            on_success: target(c.on_success)?,
        };
        with_tagged_region(region, |r, tag| Ok(r.put_function_async_config(function.id(tag)?, &config)?))
    })
}

/// An asynchronous (`Event`) invoke at `now_us`: the event is accepted into
/// the queue and its first attempt made at once; the region makes the
/// later ones as its clock reaches them. Each attempt's handler runs
/// `handler_us`; the first `failing_attempts` attempts end with `outcome`
/// (`LSIM_OUTCOME_*`; 255: all of them), later ones succeed.
///
/// # Errors
/// `LSIM_STATUS_QUEUE_FULL` (counted in `rejected`),
/// `LSIM_STATUS_INVALID_ARGUMENT` (unknown outcome, `failing_attempts`
/// above 255, no queue attached), `LSIM_STATUS_UNKNOWN_FUNCTION`,
/// `LSIM_STATUS_TIME_WENT_BACKWARDS`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_async_event`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_invoke_async(
    region: *mut lsim_region,
    now_us: u64,
    function: lsim_function,
    handler_us: u64,
    outcome: u32,
    failing_attempts: u32,
    out: *mut lsim_async_event,
) -> lsim_status {
    guard(|| {
        non_null(region)?;
        non_null(out)?;
        let handler =
            Handler { duration: Duration::from_micros(handler_us), outcome: Outcome::try_from(Code(outcome))? };
        let failing_attempts = u8::try_from(failing_attempts).map_err(|_| lsim_status::InvalidArgument)?;
        let invoke = AsyncInvoke { handler, failing_attempts };
        let event = with_tagged_region(region, |r, tag| {
            let id = r.invoke_async(Instant::from_micros(now_us), function.id(tag)?, invoke)?;
            Ok(lsim_async_event::bind(id, tag))
        })?;
        // SAFETY: non-null, writable per the contract.
        unsafe { write_out(out, event) };
        Ok(())
    })
}

/// Where an event is.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_ASYNC_EVENT` (another region's handle, or a slot a
/// later event took), and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_async_event_status`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_async_event_get_status(
    region: *const lsim_region,
    event: lsim_async_event,
    out: *mut lsim_async_event_status,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            if event.region_tag != tag.0 {
                return Err(lsim_status::UnknownAsyncEvent);
            }
            let id = AsyncEventId { index: event.index, generation: event.generation };
            r.async_event(id).map(Into::into).ok_or(lsim_status::UnknownAsyncEvent)
        })
    }
}

/// The region's asynchronous counters (deleted functions' included; zero
/// without a queue).
///
/// # Errors
/// The handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_async_stats`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_region_async_stats(
    region: *const lsim_region,
    out: *mut lsim_async_stats,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe { read_into(region, out, |r, _| Ok(lsim_async_stats::from(&r.async_stats()))) }
}

/// One function's asynchronous counters.
///
/// # Errors
/// `LSIM_STATUS_UNKNOWN_FUNCTION`, and the handle/pointer errors.
///
/// # Safety
/// `out` is NULL or valid for writes of one `lsim_async_stats`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsim_function_async_stats(
    region: *const lsim_region,
    function: lsim_function,
    out: *mut lsim_async_stats,
) -> lsim_status {
    // SAFETY: the caller's contract on `out`.
    unsafe {
        read_into(region, out, |r, tag| {
            r.function_async_stats(function.id(tag)?).map(lsim_async_stats::from).ok_or(lsim_status::UnknownFunction)
        })
    }
}
