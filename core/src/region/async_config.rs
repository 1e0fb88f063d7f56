//! The settings, handles, answers and counters of asynchronous invocation
//! (docs/model.md §4, "Asynchronous"): see [`Region::invoke_async`](super::Region::invoke_async).

use super::{Handler, Outcome};
use crate::error::ConfigError;
use crate::time::{Duration, Instant};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Where a discarded or successful event can be sent, and whether sending
/// works (a fault-injection setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum DeliveryTarget {
    /// None configured: nothing is sent.
    #[default]
    None = 0,
    /// Configured and reachable: every send succeeds.
    Available = 1,
    /// Configured but every send fails (the event is lost, and counted as
    /// `DeadLetterErrors` or `DestinationDeliveryFailures`).
    Failing = 2,
}

impl DeliveryTarget {
    /// Whether a target is configured.
    pub const fn is_configured(self) -> bool {
        !matches!(self, DeliveryTarget::None)
    }
}

/// A function's asynchronous invocation settings (Lambda's
/// `PutFunctionEventInvokeConfig` plus the function's dead-letter queue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AsyncConfig {
    /// `MaximumRetryAttempts`: retries after a function error or timeout, 0..=2.
    pub max_retry_attempts: u8,
    /// `MaximumEventAgeInSeconds`: how long an event may stay queued,
    /// 60 s..=6 h in whole seconds.
    pub max_event_age: Duration,
    /// The dead-letter queue for discarded events.
    pub dead_letter_queue: DeliveryTarget,
    /// The on-failure destination for discarded events.
    pub on_failure: DeliveryTarget,
    /// The on-success destination.
    pub on_success: DeliveryTarget,
}

impl AsyncConfig {
    /// Lambda's defaults: 2 retries, 6 hours, no dead-letter queue or destinations.
    pub const DEFAULT: AsyncConfig = AsyncConfig {
        max_retry_attempts: 2,
        max_event_age: AsyncConfig::MAX_EVENT_AGE,
        dead_letter_queue: DeliveryTarget::None,
        on_failure: DeliveryTarget::None,
        on_success: DeliveryTarget::None,
    };
    /// The most retries after a function error.
    pub const MAX_RETRY_ATTEMPTS: u8 = 2;
    /// The shortest `MaximumEventAgeInSeconds`.
    pub const MIN_EVENT_AGE: Duration = Duration::from_secs(60);
    /// The longest `MaximumEventAgeInSeconds` (6 hours).
    pub const MAX_EVENT_AGE: Duration = Duration::from_secs(21_600);
    /// The wait before the 2nd attempt after a function error.
    pub const FIRST_RETRY_WAIT: Duration = Duration::from_mins(1);
    /// The wait before the 3rd attempt after a function error.
    pub const SECOND_RETRY_WAIT: Duration = Duration::from_mins(2);
    /// The first wait after a throttle or system error; it doubles each time.
    pub const FIRST_BACKOFF: Duration = Duration::from_secs(1);
    /// The longest wait after a throttle or system error.
    pub const MAX_BACKOFF: Duration = Duration::from_mins(5);

    /// Checks the ranges.
    ///
    /// # Errors
    /// [`ConfigError::MaximumRetryAttemptsOutOfRange`] or
    /// [`ConfigError::MaximumEventAgeOutOfRange`] (outside 60..=21600 s or
    /// not whole seconds).
    pub const fn validate(&self) -> Result<(), ConfigError> {
        if self.max_retry_attempts > Self::MAX_RETRY_ATTEMPTS {
            return Err(ConfigError::MaximumRetryAttemptsOutOfRange);
        }
        let age = self.max_event_age.as_micros();
        if age < Self::MIN_EVENT_AGE.as_micros()
            || age > Self::MAX_EVENT_AGE.as_micros()
            || !age.is_multiple_of(1_000_000)
        {
            return Err(ConfigError::MaximumEventAgeOutOfRange);
        }
        Ok(())
    }

    /// The wait before the attempt after `attempts` attempts ended in a
    /// function error, or `None` when the retries are used up.
    pub(super) const fn retry_wait(&self, attempts: u8) -> Option<Duration> {
        if attempts > self.max_retry_attempts {
            return None;
        }
        match attempts {
            0 | 1 => Some(Self::FIRST_RETRY_WAIT),
            _ => Some(Self::SECOND_RETRY_WAIT),
        }
    }
}

impl Default for AsyncConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What an asynchronous event's handler does at each attempt: every attempt
/// runs for `handler.duration`; the first `failing_attempts` attempts end
/// with `handler.outcome` (a function error, timeout or crash is retried)
/// and later ones succeed. With a `Success` outcome every attempt succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AsyncInvoke {
    /// How long each attempt's handler runs and how a failing one ends.
    pub handler: Handler,
    /// How many leading attempts end with `handler.outcome` (255: all).
    pub failing_attempts: u8,
}

impl AsyncInvoke {
    /// An event whose every attempt runs `handler`.
    pub const fn always(handler: Handler) -> AsyncInvoke {
        AsyncInvoke { handler, failing_attempts: u8::MAX }
    }

    /// The handler of attempt `n` (from 1).
    pub(super) const fn attempt(&self, n: u8) -> Handler {
        if n <= self.failing_attempts {
            self.handler
        } else {
            Handler { duration: self.handler.duration, outcome: Outcome::Success }
        }
    }
}

/// An asynchronous event of a region. Carries a generation: once its queue
/// slot is reused, the handle is stale (`None` from
/// [`Region::async_event`](super::Region::async_event)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AsyncEventId {
    /// Slot in the queue.
    pub index: u32,
    /// Generation of the slot when the event was accepted.
    pub generation: u32,
}

/// Why an event was discarded without a successful run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum DropReason {
    /// Every attempt allowed ended in a function error or timeout.
    RetriesExhausted = 0,
    /// It reached `MaximumEventAgeInSeconds` before it could run.
    Expired = 1,
    /// The function's reserved concurrency is 0: no attempt is made.
    ReservedZero = 2,
    /// The function was deleted while the event was queued.
    FunctionDeleted = 3,
}

/// Where an asynchronous event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AsyncEventStatus {
    /// Waiting in the queue for its next attempt at `due_at`.
    Queued {
        /// Attempts that ran so far.
        attempts: u8,
        /// When the next attempt is made (or the event expires, if earlier).
        due_at: Instant,
    },
    /// An attempt is running.
    Running {
        /// Attempts that ran so far, this one included.
        attempts: u8,
    },
    /// An attempt succeeded.
    Succeeded {
        /// Attempts that ran.
        attempts: u8,
    },
    /// Discarded (and sent to the dead-letter queue or on-failure
    /// destination, if configured).
    Dropped {
        /// Attempts that ran.
        attempts: u8,
        /// Why.
        reason: DropReason,
    },
}

/// Asynchronous invocation counters of a function or the region. They saturate.
///
/// Conservation: `received = queued + running + succeeded + dropped`, and
/// `dropped` is the sum of its reasons; [`Region::check_invariants`](super::Region::check_invariants)
/// checks both against a recount of the queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AsyncStats {
    /// Events accepted into the queue (`AsyncEventsReceived`).
    pub received: u64,
    /// Events refused because the queue was full (not received).
    pub rejected: u64,
    /// Events waiting for an attempt now.
    pub queued: u64,
    /// Events with an attempt running now.
    pub running: u64,
    /// Attempts that ran (each an invocation).
    pub attempts: u64,
    /// Attempts throttled or refused for lack of room, sent back to the queue.
    pub requeued: u64,
    /// Events whose attempt succeeded.
    pub succeeded: u64,
    /// Events discarded without a successful run (`AsyncEventsDropped`).
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
    /// Failed sends to either destination (`DestinationDeliveryFailures`).
    pub destination_delivery_failures: u64,
}

impl AsyncStats {
    /// Whether the conservation identities hold.
    pub const fn conserved(&self) -> bool {
        let settled = self.queued as u128 + self.running as u128 + self.succeeded as u128 + self.dropped as u128;
        let reasons = self.retries_exhausted as u128
            + self.expired as u128
            + self.reserved_zero as u128
            + self.function_deleted as u128;
        settled == self.received as u128 && reasons == self.dropped as u128
    }
}

/// Why an asynchronous invoke was refused. Nothing was queued (a full
/// queue counts the event in [`AsyncStats::rejected`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AsyncError {
    /// The function handle is unknown or stale.
    UnknownFunction,
    /// `now` is earlier than the region's clock.
    TimeWentBackwards,
    /// No queue is attached ([`Region::attach_async_queue`](super::Region::attach_async_queue)).
    NoQueue,
    /// The queue is full (its capacity is the caller's storage).
    QueueFull,
    /// A queue is attached already.
    QueueAttached,
    /// An internal consistency check failed (a lambdasim bug; please report).
    Internal,
}

impl fmt::Display for AsyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AsyncError::UnknownFunction => "unknown or stale function handle",
            AsyncError::TimeWentBackwards => "time went backwards",
            AsyncError::NoQueue => "no asynchronous event queue attached",
            AsyncError::QueueFull => "asynchronous event queue full",
            AsyncError::QueueAttached => "an asynchronous event queue is attached already",
            AsyncError::Internal => "internal consistency check failed",
        })
    }
}

impl core::error::Error for AsyncError {}

impl From<crate::error::TimeError> for AsyncError {
    fn from(e: crate::error::TimeError) -> Self {
        match e {
            crate::error::TimeError::WentBackwards => AsyncError::TimeWentBackwards,
            _ => AsyncError::Internal,
        }
    }
}
