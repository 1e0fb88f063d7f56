//! The asynchronous event queue: its storage and the region's public
//! asynchronous API (docs/model.md §4, "Asynchronous"). The attempts and
//! their fates are in `async_invoke.rs`.

use super::async_config::{
    AsyncConfig, AsyncError, AsyncEventId, AsyncEventStatus, AsyncInvoke, AsyncStats, DropReason,
};
use super::lists::NIL;
use super::{FunctionId, Region, Violation};
use crate::error::ConfigError;
use crate::storage::{Slots, Table};
use crate::time::{Duration, Instant};
use crate::timer::{Entry, NO_POSITION, Timer, TimerHeap};
use core::mem::size_of;

/// Bytes of storage per asynchronous event slot.
pub const ASYNC_EVENT_BYTES: usize = size_of::<EventSlot>() + size_of::<Entry>() + size_of::<u32>();

/// Where an event slot's event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// Never used.
    Vacant,
    /// Waiting for its timer.
    Queued,
    /// An attempt is running on an environment.
    Running,
    /// Settled (the slot is free; its fate is kept until it is reused).
    Succeeded,
    Dropped(DropReason),
}

/// One event slot.
#[derive(Clone, Copy, Debug)]
pub(super) struct EventSlot {
    pub generation: u32,
    pub phase: Phase,
    pub function: u32,
    /// The next free slot (settled ones, oldest first).
    pub next_free: u32,
    pub accepted_at: Instant,
    /// When its next attempt is due (its timer may be earlier: its expiry).
    pub due_at: Instant,
    /// The wait after its next throttle.
    pub backoff: Duration,
    pub invoke: AsyncInvoke,
    /// Attempts that ran.
    pub attempts: u8,
}

impl EventSlot {
    const VACANT: EventSlot = EventSlot {
        generation: 1,
        phase: Phase::Vacant,
        function: NIL,
        next_free: NIL,
        accepted_at: Instant::ZERO,
        due_at: Instant::ZERO,
        backoff: AsyncConfig::FIRST_BACKOFF,
        invoke: AsyncInvoke::always(super::Handler { duration: Duration::ZERO, outcome: super::Outcome::Success }),
        attempts: 0,
    };
}

/// Storage for an asynchronous event queue of `EVENTS` events, to lend to
/// [`AsyncQueue::new_in`]. Build it where it lives (it is
/// `EVENTS ×` [`ASYNC_EVENT_BYTES`]).
#[derive(Clone, Debug)]
pub struct AsyncStorage<const EVENTS: usize> {
    events: [EventSlot; EVENTS],
    heap: [Entry; EVENTS],
    pos: [u32; EVENTS],
}

impl<const EVENTS: usize> AsyncStorage<EVENTS> {
    const CAPACITY_OK: () =
        assert!(EVENTS > 0 && EVENTS <= super::Capacity::MAX, "a queue needs 1..=u32::MAX - 2 slots");

    /// Empty storage.
    pub fn new() -> Self {
        let () = Self::CAPACITY_OK;
        AsyncStorage { events: [EventSlot::VACANT; EVENTS], heap: [Entry::VACANT; EVENTS], pos: [NO_POSITION; EVENTS] }
    }
}

impl<const EVENTS: usize> Default for AsyncStorage<EVENTS> {
    fn default() -> Self {
        Self::new()
    }
}

/// A region's asynchronous event queue: every function's queued and
/// running events share its fixed number of slots. Attach it with
/// [`Region::attach_async_queue`]. What it holds never grows with
/// simulated time: a settled event's slot is free for the next one.
#[derive(Debug)]
pub struct AsyncQueue<'a> {
    pub(super) events: Table<'a, EventSlot>,
    pub(super) timers: TimerHeap<'a>,
    /// Settled slots, oldest first (so a fate stays readable longest).
    pub(super) free_head: u32,
    pub(super) free_tail: u32,
    /// The region's counters (deleted functions' included).
    pub(super) totals: AsyncStats,
}

impl<'a> AsyncQueue<'a> {
    /// A queue in lent storage (whatever it held is reset).
    pub fn new_in<const EVENTS: usize>(storage: &'a mut AsyncStorage<EVENTS>) -> Self {
        let events = Slots::from(&mut storage.events);
        let timers = TimerHeap::new(Slots::from(&mut storage.heap), Slots::from(&mut storage.pos));
        Self::from_parts(events, timers)
    }

    fn from_parts(events: Slots<'a, EventSlot>, timers: TimerHeap<'a>) -> Self {
        AsyncQueue { events: Table::new(events), timers, free_head: NIL, free_tail: NIL, totals: AsyncStats::default() }
    }

    /// The most events it holds at once.
    pub fn capacity(&self) -> usize {
        self.events.max_len()
    }

    /// Events queued or running now.
    pub fn len(&self) -> u64 {
        self.totals.queued.saturating_add(self.totals.running)
    }

    /// Whether no event is queued or running.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A free slot for a new event, if any (its generation bumped when reused).
    pub(super) fn take_slot(&mut self) -> Option<u32> {
        if self.free_head != NIL {
            let k = self.free_head;
            let slot = self.events.get_mut(k as usize)?;
            self.free_head = slot.next_free;
            if self.free_head == NIL {
                self.free_tail = NIL;
            }
            slot.generation = slot.generation.wrapping_add(1).max(1);
            slot.next_free = NIL;
            return Some(k);
        }
        let k = self.events.len();
        // The timers' storage first: it must take key k before the table does.
        if !self.timers.grow_to(k.saturating_add(1)) || !self.events.push(EventSlot::VACANT) {
            return None;
        }
        u32::try_from(k).ok()
    }

    /// Puts settled slot `k` at the end of the free list.
    pub(super) fn free_slot(&mut self, k: u32) {
        if let Some(tail) = self.events.get_mut(self.free_tail as usize) {
            tail.next_free = k;
        } else {
            self.free_head = k;
        }
        self.free_tail = k;
    }
}

#[cfg(feature = "alloc")]
impl AsyncQueue<'static> {
    /// A queue with owned storage that starts small and grows on demand
    /// up to `events` slots.
    ///
    /// # Errors
    /// [`ConfigError::InvalidCapacity`] for `events` outside `1..=`[`super::Capacity::MAX`].
    pub fn with_capacity(events: usize) -> Result<Self, ConfigError> {
        if events == 0 || events > super::Capacity::MAX {
            return Err(ConfigError::InvalidCapacity);
        }
        let initial = events.min(16);
        let timers =
            TimerHeap::new(Slots::owned(initial, events, Entry::VACANT), Slots::owned(initial, events, NO_POSITION));
        Ok(Self::from_parts(Slots::owned(0, events, EventSlot::VACANT), timers))
    }
}

impl<'a> Region<'a> {
    /// Attaches the queue asynchronous invocations wait in
    /// ([`Region::invoke_async`]).
    ///
    /// # Errors
    /// [`AsyncError::QueueAttached`] when one is attached already (it stays).
    pub fn attach_async_queue(&mut self, queue: AsyncQueue<'a>) -> Result<(), AsyncError> {
        if self.async_queue.is_some() {
            return Err(AsyncError::QueueAttached);
        }
        self.async_queue = Some(queue);
        self.async_timers_changed();
        Ok(())
    }

    /// The attached queue, if any.
    pub fn async_queue(&self) -> Option<&AsyncQueue<'a>> {
        self.async_queue.as_ref()
    }

    /// Sets a function's asynchronous invocation settings; they apply
    /// from the next decision about each of its events.
    ///
    /// # Errors
    /// As [`AsyncConfig::validate`], or [`ConfigError::UnknownFunction`].
    pub fn put_function_async_config(&mut self, f: FunctionId, config: &AsyncConfig) -> Result<(), ConfigError> {
        config.validate()?;
        let fi = self.function_index(f).ok_or(ConfigError::UnknownFunction)?;
        self.fn_slot_mut(fi)?.async_config = *config;
        Ok(())
    }

    /// A function's asynchronous invocation settings, or `None` for an
    /// unknown or stale handle.
    pub fn function_async_config(&self, f: FunctionId) -> Option<&AsyncConfig> {
        self.function(f).map(|s| &s.async_config)
    }

    /// A function's asynchronous counters, or `None` for an unknown or stale handle.
    pub fn function_async_stats(&self, f: FunctionId) -> Option<&AsyncStats> {
        self.function(f).map(|s| &s.async_stats)
    }

    /// The region's asynchronous counters (deleted functions' included;
    /// all zero without a queue). O(1).
    pub fn async_stats(&self) -> AsyncStats {
        self.async_queue.as_ref().map_or_else(AsyncStats::default, |q| q.totals)
    }

    /// Where an event is, or `None` for an unknown handle or one whose slot
    /// a later event took.
    pub fn async_event(&self, id: AsyncEventId) -> Option<AsyncEventStatus> {
        let slot = self.async_queue.as_ref()?.events.get(id.index as usize)?;
        if slot.generation != id.generation {
            return None;
        }
        let attempts = slot.attempts;
        match slot.phase {
            Phase::Vacant => None,
            Phase::Queued => Some(AsyncEventStatus::Queued { attempts, due_at: self.async_timer_at(id.index) }),
            Phase::Running => Some(AsyncEventStatus::Running { attempts }),
            Phase::Succeeded => Some(AsyncEventStatus::Succeeded { attempts }),
            Phase::Dropped(reason) => Some(AsyncEventStatus::Dropped { attempts, reason }),
        }
    }

    /// When queued event `k`'s timer fires (its attempt, or its expiry if earlier).
    fn async_timer_at(&self, k: u32) -> Instant {
        self.async_queue.as_ref().and_then(|q| q.timers.get(k)).unwrap_or(Instant::MAX)
    }

    /// The earliest asynchronous timer, if any.
    pub(super) fn async_timer_peek(&self) -> Option<Timer> {
        if self.async_first == u128::MAX {
            return None;
        }
        self.async_queue.as_ref().and_then(|q| q.timers.peek())
    }

    /// The asynchronous counters' conservation and a recount of the queue
    /// against them and the functions' (part of `check_invariants`).
    pub(super) fn check_async(&self) -> Result<(), Violation> {
        let Some(q) = self.async_queue.as_ref() else { return Ok(()) };
        let bad = Violation::AsyncEvents;
        let t = &q.totals;
        if !t.conserved() || self.async_first != q.timers.first_order() {
            return Err(bad);
        }
        let (mut queued, mut running) = (0u64, 0u64);
        for (k, slot) in q.events.iter().enumerate() {
            let timed = q.timers.get(k as u32).is_some();
            match slot.phase {
                Phase::Queued if timed => queued += 1,
                Phase::Running if !timed => running += 1,
                Phase::Queued | Phase::Running => return Err(bad),
                _ if timed => return Err(bad),
                _ => {}
            }
        }
        let (mut fn_queued, mut fn_running) = (0u64, 0u64);
        for f in self.functions.iter().filter(|f| f.in_use) {
            if !f.async_stats.conserved() {
                return Err(bad);
            }
            fn_queued += f.async_stats.queued;
            fn_running += f.async_stats.running;
        }
        let attached = self.envs.iter().filter(|e| e.async_event != NIL).count() as u64;
        if (queued, running) != (t.queued, t.running)
            || (fn_queued, fn_running) != (queued, running)
            || attached != running
        {
            return Err(bad);
        }
        Ok(())
    }
}
