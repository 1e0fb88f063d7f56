//! Asynchronous invocation: accepting an event, its attempts, retries and
//! fate (docs/model.md §4, "Asynchronous").
//!
//! An event is accepted into the queue and its first attempt is made at
//! once. Each attempt is an ordinary invocation whose end the region
//! schedules ([`Region::invoke_for`]): counted, metered and billed like
//! any other. Then:
//! - a function error, timeout or crash is retried up to
//!   `MaximumRetryAttempts` times, 1 min after the first failed attempt
//!   ended and 2 min after the second;
//! - a throttle, or no room for a new environment (a system error), sends
//!   the event back to the queue for 1 s, then 2 s, 4 s… up to 5 min
//!   (no jitter: the model is deterministic);
//! - an event whose next attempt would come after its maximum age is
//!   discarded when it reaches that age; with reserved concurrency 0 it is
//!   discarded at its attempt, without running;
//! - a discarded event goes to the dead-letter queue and the on-failure
//!   destination that are configured, a successful one to the on-success
//!   destination; a send to a failing target loses the event and counts.

use super::async_config::{AsyncError, AsyncEventId, AsyncInvoke, AsyncStats, DeliveryTarget, DropReason};
use super::async_queue::{EventSlot, Phase};
use super::events::later;
use super::metrics::AsyncMetric;
use super::{FunctionId, Invoked, Outcome, Region};
use crate::error::{InvokeError, TimeError};
use crate::time::{Duration, Instant};
use crate::timer::Timer;

impl Region<'_> {
    /// An asynchronous (`Event`) invoke of `f` at `now`: the event is
    /// accepted into the queue and its first attempt is made at once; the
    /// region makes the later ones as its clock reaches them (see the
    /// module docs of `async_invoke`, and docs/model.md §4). Follow an
    /// event with [`Region::async_event`] and the counts with
    /// [`Region::function_async_stats`].
    ///
    /// # Errors
    /// [`AsyncError::UnknownFunction`], [`AsyncError::TimeWentBackwards`],
    /// [`AsyncError::NoQueue`], or [`AsyncError::QueueFull`] (the event is
    /// counted in [`AsyncStats::rejected`], never silently lost).
    ///
    /// # Examples
    /// ```
    /// use lambdasim::region::{AsyncEventStatus, AsyncInvoke, AsyncQueue};
    /// use lambdasim::{Duration, FunctionConfig, Handler, Instant, Outcome, Region, RegionConfig};
    ///
    /// let mut region: Region = Region::new(RegionConfig::default())?;
    /// region.attach_async_queue(AsyncQueue::with_capacity(1_000)?)?;
    /// let f = region.create_function(Instant::ZERO, &FunctionConfig::default())?;
    /// // The first attempt fails after 1 s, the retry (1 min later) succeeds.
    /// let handler = Handler { duration: Duration::from_secs(1), outcome: Outcome::FunctionError };
    /// let event = region.invoke_async(Instant::ZERO, f, AsyncInvoke { handler, failing_attempts: 1 })?;
    /// region.advance(Instant::from_secs(2))?;
    /// let init = FunctionConfig::default().cold_start.create().saturating_add(FunctionConfig::default().cold_start.init());
    /// let retry_at = Instant::ZERO.saturating_add(init).saturating_add(Duration::from_secs(61));
    /// assert_eq!(region.async_event(event), Some(AsyncEventStatus::Queued { attempts: 1, due_at: retry_at }));
    /// region.advance(Instant::from_secs(200))?;
    /// assert_eq!(region.async_event(event), Some(AsyncEventStatus::Succeeded { attempts: 2 }));
    /// assert_eq!(region.stats().invocations, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn invoke_async(
        &mut self,
        now: Instant,
        f: FunctionId,
        invoke: AsyncInvoke,
    ) -> Result<AsyncEventId, AsyncError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(AsyncError::UnknownFunction)?;
        let q = self.async_queue.as_mut().ok_or(AsyncError::NoQueue)?;
        let Some(k) = q.take_slot() else {
            self.async_count(fi, |s| s.rejected = s.rejected.saturating_add(1));
            return Err(AsyncError::QueueFull);
        };
        let slot = q.events.get_mut(k as usize).ok_or(AsyncError::Internal)?;
        let generation = slot.generation;
        let phase = slot.phase;
        *slot = EventSlot { generation, phase, function: fi, accepted_at: now, due_at: now, invoke, ..*slot };
        slot.backoff = super::AsyncConfig::FIRST_BACKOFF;
        slot.attempts = 0;
        self.async_count(fi, |s| s.received = s.received.saturating_add(1));
        self.emit_async(fi, AsyncMetric::Received);
        self.async_move(k, Phase::Queued)?;
        self.async_attempt(k)?;
        Ok(AsyncEventId { index: k, generation })
    }

    /// Takes the first asynchronous timer if due at or before `now`.
    pub(super) fn async_pop_due(&mut self, now: Instant) -> Result<Timer, TimeError> {
        let t = self.async_queue.as_mut().and_then(|q| q.timers.pop_due(now)).ok_or(TimeError::Internal);
        self.async_timers_changed();
        t
    }

    /// Caches the first asynchronous timer's order for `advance`, which
    /// then pays one comparison per step for the asynchronous queue.
    pub(super) fn async_timers_changed(&mut self) {
        self.async_first = self.async_queue.as_ref().map_or(u128::MAX, |q| q.timers.first_order());
    }

    /// Queued event `k`'s timer fired at the region's clock: its attempt,
    /// or its expiry when that came first.
    pub(super) fn async_timer_fired(&mut self, k: u32) -> Result<(), TimeError> {
        let due_at = self.event(k)?.due_at;
        if self.now < due_at {
            return self.async_drop(k, DropReason::Expired);
        }
        self.async_attempt(k)
    }

    /// Makes queued event `k`'s next attempt now.
    fn async_attempt(&mut self, k: u32) -> Result<(), TimeError> {
        let slot = *self.event(k)?;
        let fi = slot.function;
        let config = self.fn_slot(fi)?.config;
        if config.reserved == Some(0) {
            return self.async_drop(k, DropReason::ReservedZero);
        }
        let attempt = slot.attempts.saturating_add(1);
        let init = config.cold_start.init();
        match self.invoke_now(fi, || init, Some(slot.invoke.attempt(attempt))) {
            Ok(Invoked::Started(started)) => {
                self.env_slot_mut(started.env.index)?.async_event = k;
                self.event_mut(k)?.attempts = attempt;
                self.async_move(k, Phase::Running)?;
                self.async_count(fi, |s| s.attempts = s.attempts.saturating_add(1));
                let age = self.now.saturating_since(slot.accepted_at);
                self.emit_async_age(fi, age);
                Ok(())
            }
            Ok(Invoked::Throttled(_)) | Err(InvokeError::CapacityExceeded) => {
                let event = self.event_mut(k)?;
                let wait = event.backoff;
                event.backoff = wait.saturating_mul(2).min(super::AsyncConfig::MAX_BACKOFF);
                self.async_count(fi, |s| s.requeued = s.requeued.saturating_add(1));
                self.async_requeue(k, wait)
            }
            Err(_) => Err(TimeError::Internal),
        }
    }

    /// The attempt of event `k` ended now with `outcome` (called as its
    /// invocation is detached from its environment).
    #[inline(never)]
    pub(super) fn async_attempt_ended(&mut self, k: u32, outcome: Outcome) -> Result<(), TimeError> {
        let slot = *self.event(k)?;
        if outcome == Outcome::Success {
            self.async_move(k, Phase::Succeeded)?;
            return self.async_deliver(slot.function, Sent::OnSuccess);
        }
        match self.fn_slot(slot.function)?.async_config.retry_wait(slot.attempts) {
            Some(wait) => self.async_requeue(k, wait),
            None => self.async_drop(k, DropReason::RetriesExhausted),
        }
    }

    /// Sends event `k` back to the queue for `wait`; if that is past its
    /// maximum age, it expires at that age instead.
    fn async_requeue(&mut self, k: u32, wait: Duration) -> Result<(), TimeError> {
        let now = self.now;
        let slot = *self.event(k)?;
        let max_age = self.fn_slot(slot.function)?.async_config.max_event_age;
        // Past the end of the clock it would never be due: it expires now.
        let Some(due_at) = later(now, wait) else { return self.async_drop(k, DropReason::Expired) };
        let expires_at = slot.accepted_at.saturating_add(max_age).max(now);
        self.event_mut(k)?.due_at = due_at;
        self.async_move(k, Phase::Queued)?;
        self.timer_seq = self.timer_seq.wrapping_add(1).max(1);
        let seq = self.timer_seq;
        let q = self.async_queue.as_mut().ok_or(TimeError::Internal)?;
        let set = q.timers.set(k, due_at.min(expires_at), seq);
        self.async_timers_changed();
        if set { Ok(()) } else { Err(TimeError::Internal) }
    }

    /// Discards event `k` and sends it to its function's failure targets
    /// (none for a deleted function).
    fn async_drop(&mut self, k: u32, reason: DropReason) -> Result<(), TimeError> {
        let fi = self.event(k)?.function;
        self.async_move(k, Phase::Dropped(reason))?;
        self.emit_async(fi, AsyncMetric::Dropped);
        if reason == DropReason::FunctionDeleted {
            return Ok(());
        }
        self.async_deliver(fi, Sent::DeadLetter)?;
        self.async_deliver(fi, Sent::OnFailure)
    }

    /// Discards the queued events of function `fi`, which is being deleted
    /// (none runs: it has no invocation running). O(queue slots).
    pub(super) fn async_drop_function_events(&mut self, fi: u32) -> Result<(), TimeError> {
        let Some(q) = self.async_queue.as_ref() else { return Ok(()) };
        for k in 0..q.events.len() as u32 {
            let slot = self.event(k)?;
            if slot.function == fi && slot.phase == Phase::Queued {
                self.async_drop(k, DropReason::FunctionDeleted)?;
            }
        }
        Ok(())
    }

    /// One send of an event of function `fi` to a target, if configured.
    fn async_deliver(&mut self, fi: u32, sent: Sent) -> Result<(), TimeError> {
        let config = self.fn_slot(fi)?.async_config;
        let target = match sent {
            Sent::DeadLetter => config.dead_letter_queue,
            Sent::OnFailure => config.on_failure,
            Sent::OnSuccess => config.on_success,
        };
        let bump = |n: &mut u64| *n = n.saturating_add(1);
        match (target, sent) {
            (DeliveryTarget::None, _) => {}
            (DeliveryTarget::Available, Sent::DeadLetter) => self.async_count(fi, |s| bump(&mut s.dead_lettered)),
            (DeliveryTarget::Available, Sent::OnFailure) => self.async_count(fi, |s| bump(&mut s.sent_on_failure)),
            (DeliveryTarget::Available, Sent::OnSuccess) => self.async_count(fi, |s| bump(&mut s.sent_on_success)),
            (DeliveryTarget::Failing, Sent::DeadLetter) => {
                self.async_count(fi, |s| bump(&mut s.dead_letter_errors));
                self.emit_async(fi, AsyncMetric::DeadLetterError);
            }
            (DeliveryTarget::Failing, _) => {
                self.async_count(fi, |s| bump(&mut s.destination_delivery_failures));
                self.emit_async(fi, AsyncMetric::DestinationDeliveryFailure);
            }
        }
        Ok(())
    }

    /// Moves event `k` to `to`, keeping the counters of its function and
    /// the region in step; a settled event's slot is freed.
    fn async_move(&mut self, k: u32, to: Phase) -> Result<(), TimeError> {
        let q = self.async_queue.as_mut().ok_or(TimeError::Internal)?;
        let slot = q.events.get_mut(k as usize).ok_or(TimeError::Internal)?;
        let (from, fi) = (slot.phase, slot.function);
        slot.phase = to;
        let change = |s: &mut AsyncStats| {
            let down = |n: &mut u64| *n = n.saturating_sub(1);
            let up = |n: &mut u64| *n = n.saturating_add(1);
            match from {
                Phase::Queued => down(&mut s.queued),
                Phase::Running => down(&mut s.running),
                _ => {}
            }
            match to {
                Phase::Queued => up(&mut s.queued),
                Phase::Running => up(&mut s.running),
                Phase::Succeeded => up(&mut s.succeeded),
                Phase::Dropped(reason) => {
                    up(&mut s.dropped);
                    up(match reason {
                        DropReason::RetriesExhausted => &mut s.retries_exhausted,
                        DropReason::Expired => &mut s.expired,
                        DropReason::ReservedZero => &mut s.reserved_zero,
                        DropReason::FunctionDeleted => &mut s.function_deleted,
                    });
                }
                Phase::Vacant => {}
            }
        };
        change(&mut q.totals);
        let settled = matches!(to, Phase::Succeeded | Phase::Dropped(_));
        if settled {
            q.timers.cancel(k);
            q.free_slot(k);
        }
        if let Some(f) = self.functions.get_mut(fi as usize).filter(|f| f.in_use) {
            change(&mut f.async_stats);
        }
        if settled {
            self.async_timers_changed();
        }
        Ok(())
    }

    /// Applies `change` to function `fi`'s asynchronous counters and the region's.
    fn async_count(&mut self, fi: u32, change: impl Fn(&mut AsyncStats)) {
        if let Some(q) = self.async_queue.as_mut() {
            change(&mut q.totals);
        }
        if let Some(f) = self.functions.get_mut(fi as usize).filter(|f| f.in_use) {
            change(&mut f.async_stats);
        }
    }

    fn event(&self, k: u32) -> Result<&EventSlot, TimeError> {
        self.async_queue.as_ref().and_then(|q| q.events.get(k as usize)).ok_or(TimeError::Internal)
    }

    fn event_mut(&mut self, k: u32) -> Result<&mut EventSlot, TimeError> {
        self.async_queue.as_mut().and_then(|q| q.events.get_mut(k as usize)).ok_or(TimeError::Internal)
    }
}

/// Which target a send goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    DeadLetter,
    OnFailure,
    OnSuccess,
}
