//! Time-driven events and the environment-table plumbing they share with
//! `invoke`/`finish`: transitions, lists, timers, slot allocation.

use super::lists::{List, ListTag, NIL};
use super::{EnvSlot, FunctionSlot, Outcome, Region};
use crate::environment::{EnvEvent, EnvKind, EnvState, Environment};
use crate::error::TimeError;
use crate::function::{FunctionConfig, ProvisionedStatus};
use crate::time::{Duration, Instant};

/// What a fired environment timer was, for `advance`'s fast-forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fired {
    /// Anything but provisioned recycling.
    Other,
    /// A recycled provisioned environment finished re-initializing.
    Cycle,
    /// An idle provisioned environment of this function started recycling.
    Recycled(u32),
}

/// Which end of a list to take from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    Newest,
    Oldest,
}

impl Region<'_> {
    /// Applies every event due at or before `now`, in the order they were
    /// scheduled, and moves the clock to `now`. An event is applied at its
    /// own time; one scheduled for a time already past (a provisioned
    /// environment whose cold start outlasts its lifetime) is applied at
    /// the current time: the clock never moves backwards.
    ///
    /// Takes time bounded by the due events, the environment table's size
    /// and the functions, not by the span: once only the periodic
    /// recycling of idle provisioned environments is left before the next
    /// other event, whole recycling periods are skipped at once (after one
    /// scan of the table, made only when at least two periods can be
    /// skipped), with the same result (inits billed, environments, timers
    /// and their order) as applying them one by one.
    /// An event whose time would be past the end of the clock
    /// (`Instant::MAX`) never happens.
    ///
    /// # Errors
    /// [`TimeError::WentBackwards`] when `now` is before the region's clock
    /// (nothing changes).
    pub fn advance(&mut self, now: Instant) -> Result<(), TimeError> {
        if now < self.now {
            return Err(TimeError::WentBackwards);
        }
        // The earliest deadline of an event other than provisioned recycling:
        // found by a scan only when a long span may be fast-forwarded, and
        // valid until such an event fires.
        let mut horizon = None;
        // The three queues, merged by (deadline, sequence): the order events
        // were scheduled in (sequence numbers are unique across the queues).
        loop {
            let (env, func, idle) =
                (self.env_timers.first_order(), self.fn_timers.first_order(), self.idle_timers.first_order());
            let asynchronous = self.async_first;
            let first = env.min(func).min(idle).min(asynchronous);
            // None left (`u128::MAX`), or the earliest deadline is after `now`.
            if first == u128::MAX || (first >> 64) as u64 > now.as_micros() {
                break;
            }
            if first == env {
                let t = self.env_timers.pop_due(now).ok_or(TimeError::Internal)?;
                self.now = self.now.max(t.at);
                self.env_slot_mut(t.key)?.timer_seq = 0;
                match self.env_timer_fired(t.key)? {
                    Fired::Recycled(fi) => self.fast_forward_recycling(fi, now, &mut horizon)?,
                    Fired::Cycle => {}
                    Fired::Other => {
                        self.quiet_since = self.now;
                        horizon = None;
                    }
                }
            } else if first == idle {
                let t = self.idle_timers.pop_due(now).ok_or(TimeError::Internal)?;
                self.now = self.now.max(t.at);
                self.idle_expired(t.key)?;
                self.quiet_since = self.now;
                horizon = None;
            } else if first == asynchronous {
                let t = self.async_pop_due(now)?;
                self.now = self.now.max(t.at);
                self.async_timer_fired(t.key)?;
                self.quiet_since = self.now;
                horizon = None;
            } else {
                let t = self.fn_timers.pop_due(now).ok_or(TimeError::Internal)?;
                self.now = self.now.max(t.at);
                self.allocate_provisioned_env(t.key)?;
                self.quiet_since = self.now;
                horizon = None;
            }
        }
        self.now = now;
        // The operation that called this (if any) changes things at `now`.
        self.quiet_since = now;
        if self.metrics.is_some() {
            self.emit_time();
        }
        Ok(())
    }

    /// What an environment's timer means depends on its state.
    #[inline(always)]
    fn env_timer_fired(&mut self, i: u32) -> Result<Fired, TimeError> {
        let slot = self.env_slot(i)?;
        let (env, ready_at, timeout_at, init_fails, end) =
            (slot.env, slot.ready_at, slot.timeout_at, slot.init_fails, slot.end);
        let (fi, recycling) = (slot.function, slot.list == ListTag::RecyclingPc);
        let other = |r: Result<(), TimeError>| r.map(|()| Fired::Other);
        match env.state() {
            EnvState::Creating => {
                self.transition(i, EnvEvent::SandboxReady)?;
                self.set_env_timer(i, ready_at);
                Ok(Fired::Other)
            }
            EnvState::Initializing if env.is_attached() && self.now >= timeout_at => {
                // The invoke's timeout fell inside its (partial cold) init.
                self.env_slot_mut(i)?.timed_out = true;
                other(self.end_invocation(i, Outcome::Timeout))
            }
            EnvState::Initializing if init_fails => other(self.init_failed(i)),
            EnvState::Initializing if recycling => self.init_done(i).map(|()| Fired::Cycle),
            EnvState::Initializing => other(self.init_done(i)),
            // A scheduled end strictly before the timeout (at the timeout, the timeout wins).
            EnvState::Busy if end.is_some_and(|(at, _)| at < timeout_at) => {
                let outcome = end.map_or(Outcome::Timeout, |(_, outcome)| outcome);
                // The region ended it, as for an enforced timeout: a later finish says so.
                self.env_slot_mut(i)?.timed_out = outcome == Outcome::Timeout;
                other(self.end_invocation(i, outcome))
            }
            EnvState::Busy => {
                self.env_slot_mut(i)?.timed_out = true;
                other(self.end_invocation(i, Outcome::Timeout))
            }
            EnvState::Idle if env.kind() == EnvKind::Provisioned => {
                self.recycle(i)?;
                // A re-initialization that will fail is not periodic (never, in
                // practice: the first init, with the same configuration, succeeded).
                Ok(if self.env_slot(i)?.init_fails { Fired::Other } else { Fired::Recycled(fi) })
            }
            EnvState::Idle => other(self.reclaim(i)),
            EnvState::ShuttingDown => other(self.shutdown_done(i)),
            EnvState::Terminated => Err(TimeError::Internal),
        }
    }

    fn init_done(&mut self, i: u32) -> Result<(), TimeError> {
        let slot = *self.env_slot(i)?;
        let next = self.transition(i, EnvEvent::InitDone)?;
        if next == EnvState::Busy {
            self.set_env_timer(i, slot.busy_deadline());
            return Ok(());
        }
        let fi = slot.function;
        if slot.env.kind() == EnvKind::OnDemand {
            // A pre-warmed environment: idle and reusable like any other.
            self.list_remove(i)?;
            return self.push_idle(fi, i);
        }
        // An unattached provisioned environment finished (re-)initializing: its init is billed.
        self.meter_provisioned_init(fi, self.now.saturating_since(slot.env.since()))?;
        if slot.list == ListTag::RecyclingPc {
            // Recycled in place: it serves again at once if it served before
            // (even while a change is in progress), else it waits again.
            self.list_remove(i)?;
            let to = if slot.serving { ListTag::IdlePc } else { ListTag::WarmingPc };
            self.list_push(fi, i, to)?;
            return self.set_idle_timer(i);
        }
        let f = self.fn_slot_mut(fi)?;
        f.pc.warming = f.pc.warming.saturating_sub(1);
        if f.pc.status == ProvisionedStatus::Ready {
            self.list_remove(i)?;
            self.list_push(fi, i, ListTag::IdlePc)?;
        }
        self.set_idle_timer(i)?;
        self.maybe_ready(fi)
    }

    /// A provisioned init failed or exceeded `max(130 s, timeout)`: the
    /// allocation fails and what it was still warming is released.
    fn init_failed(&mut self, i: u32) -> Result<(), TimeError> {
        let slot = self.env_slot(i)?;
        let (fi, recycling) = (slot.function, slot.list == ListTag::RecyclingPc);
        self.transition(i, EnvEvent::InitFailed)?;
        let f = self.fn_slot_mut(fi)?;
        crate::region::Stats::bump(&mut f.stats.init_failures);
        if !recycling {
            f.pc.warming = f.pc.warming.saturating_sub(1);
        }
        f.pc.allocated = f.pc.allocated.saturating_sub(1);
        f.pc.status = ProvisionedStatus::Failed;
        f.pc.pending = 0;
        self.emit_levels(fi);
        self.fn_timers.cancel(fi);
        self.begin_shutdown(i)?;
        while let Some(j) = self.list_take(fi, ListTag::WarmingPc, End::Newest)? {
            self.release_unattached(fi, j, ListTag::WarmingPc)?;
        }
        // Waiting environments being recycled belonged to the failed allocation too.
        let mut j = self.list_of(fi, ListTag::RecyclingPc)?.head;
        while j != NIL {
            let slot = self.env_slot(j)?;
            let (next, serving) = (slot.next, slot.serving);
            if !serving {
                self.list_remove(j)?;
                self.release_unattached(fi, j, ListTag::RecyclingPc)?;
            }
            j = next;
        }
        Ok(())
    }

    /// Reclaims an idle environment (idle timeout, lifetime, release).
    pub(super) fn reclaim(&mut self, i: u32) -> Result<(), TimeError> {
        self.transition(i, EnvEvent::Reclaim)?;
        self.begin_shutdown(i)
    }

    /// Releases an unattached provisioned environment (creating,
    /// initializing, re-initializing or idle) taken out of list `from`.
    pub(super) fn release_unattached(&mut self, fi: u32, i: u32, from: ListTag) -> Result<(), TimeError> {
        let first_init = matches!(self.env_slot(i)?.env.state(), EnvState::Creating | EnvState::Initializing);
        let warming = first_init && from == ListTag::WarmingPc;
        let f = self.fn_slot_mut(fi)?;
        if warming {
            f.pc.warming = f.pc.warming.saturating_sub(1);
        }
        f.pc.allocated = f.pc.allocated.saturating_sub(1);
        self.emit_levels(fi);
        self.reclaim(i)
    }

    /// Re-initializes an idle provisioned environment in place. It is not
    /// counted as warming: recycling never delays an allocation's Ready.
    fn recycle(&mut self, i: u32) -> Result<(), TimeError> {
        let fi = self.env_slot(i)?.function;
        let config = self.fn_slot(fi)?.config;
        self.transition(i, EnvEvent::Recycle)?;
        self.list_remove(i)?;
        self.list_push(fi, i, ListTag::RecyclingPc)?;
        let (init, fails) = Self::provisioned_init(&config, config.cold_start.init());
        let ready_at = later(self.now, init);
        let slot = self.env_slot_mut(i)?;
        slot.ready_at = ready_at.unwrap_or(Instant::MAX);
        slot.init_fails = fails;
        match ready_at {
            Some(at) => self.set_env_timer(i, at),
            // Its init would end past the end of the clock: it never does.
            None => self.cancel_env_timer(i)?,
        }
        Ok(())
    }

    /// Moves a ShuttingDown environment into the shutting list and finishes
    /// the shutdown now when it takes no time.
    pub(super) fn begin_shutdown(&mut self, i: u32) -> Result<(), TimeError> {
        let fi = self.env_slot(i)?.function;
        self.list_remove(i)?;
        self.list_push(fi, i, ListTag::Shutting)?;
        if self.config.shutdown.is_zero() {
            self.cancel_env_timer(i)?;
            return self.shutdown_done(i);
        }
        let at = self.now.saturating_add(self.config.shutdown);
        self.set_env_timer(i, at);
        Ok(())
    }

    fn shutdown_done(&mut self, i: u32) -> Result<(), TimeError> {
        self.transition(i, EnvEvent::ShutdownDone)?;
        self.list_remove(i)?;
        self.free_env(i)
    }

    /// Ends the attached invocation of environment `i` (finish or timeout)
    /// and places the environment: idle, recycled or reclaimed.
    #[inline(always)]
    pub(super) fn end_invocation(&mut self, i: u32, outcome: Outcome) -> Result<(), TimeError> {
        let slot = self.env_slot(i)?;
        let (fi, born_at, retire, env_version) = (slot.function, slot.env.born_at(), slot.retire, slot.version);
        let on_pc = slot.env.kind() == EnvKind::Provisioned;
        self.detach(i, outcome)?;
        // Every path below sets or cancels the env's timer.
        self.transition(i, EnvEvent::Finish { reset: outcome.resets() })?;
        self.list_remove(i)?;
        let version = self.fn_slot(fi)?.version;
        let lifetime_over =
            !self.config.max_lifetime.is_zero() && self.now >= born_at.saturating_add(self.config.max_lifetime);
        if retire || env_version != version {
            if on_pc && !retire {
                // A provisioned env of an old configuration: the allocation replaces it.
                let f = self.fn_slot_mut(fi)?;
                f.pc.allocated = f.pc.allocated.saturating_sub(1);
                self.emit_levels(fi);
            }
            return self.reclaim(i);
        }
        if on_pc {
            self.list_push(fi, i, ListTag::IdlePc)?;
            return if lifetime_over { self.recycle(i) } else { self.set_idle_timer(i) };
        }
        if lifetime_over {
            return self.reclaim(i);
        }
        self.push_idle(fi, i)
    }

    /// Un-counts an attached invocation that ends at `now` and meters it.
    #[inline(always)]
    pub(super) fn detach(&mut self, i: u32, outcome: Outcome) -> Result<(), TimeError> {
        let slot = self.env_slot_mut(i)?;
        slot.end = None;
        let event = core::mem::replace(&mut slot.async_event, NIL);
        let (fi, billable_from) = (slot.function, slot.billable_from);
        let (invoked_at, duration_from) = (slot.invoked_at, slot.duration_from);
        let on_pc = slot.env.kind() == EnvKind::Provisioned;
        // Released from the allocation while busy: it counts as on-demand.
        let in_allocation = on_pc && !slot.retire;
        let now = self.now;
        self.meter_invocation(fi, on_pc, now.saturating_since(billable_from))?;
        let f = self.functions.get_mut(fi as usize).ok_or(TimeError::Internal)?;
        let unreserved = f.uses_unreserved(in_allocation);
        f.attached = f.attached.saturating_sub(1);
        if in_allocation {
            f.attached_pc = f.attached_pc.saturating_sub(1);
        }
        if let Some(rc) = f.config.reserved
            && f.attached <= rc
        {
            f.draining = false;
        }
        f.stats.ended(outcome);
        f.occupancy.busy_changed(now, false);
        self.occupancy.busy_changed(now, false);
        self.ledger.end(unreserved);
        if self.ledger.unreserved_in_use() <= self.ledger.unreserved_pool() {
            self.unreserved_draining = false;
        }
        if self.metrics.is_some() {
            self.emit_end(fi, invoked_at, duration_from, outcome != Outcome::Success);
        }
        if event != NIL {
            self.async_attempt_ended(event, outcome)?;
        }
        Ok(())
    }

    /// Sets an idle provisioned environment's expiry: lifetime recycling
    /// (none when there is no lifetime, or it ends past the end of the clock).
    fn set_idle_timer(&mut self, i: u32) -> Result<(), TimeError> {
        let born_at = self.env_slot(i)?.env.born_at();
        match self.config.max_lifetime {
            lifetime if lifetime.is_zero() => self.cancel_env_timer(i),
            lifetime => match later(born_at, lifetime) {
                Some(at) => {
                    self.set_env_timer(i, at);
                    Ok(())
                }
                None => self.cancel_env_timer(i),
            },
        }
    }

    /// Puts an idle on-demand environment (in no list) at the head of its
    /// function's idle list, which doubles as its expiry queue.
    ///
    /// Environments go idle in time order, so with one keep-alive their
    /// expiries grow from the tail (oldest) to the head (newest) and one
    /// timer per function — the tail's — is enough: a warm start from the
    /// head touches no timer at all. An environment that must go earlier
    /// than its queue place (its lifetime ends first, or the keep-alive was
    /// shortened) also gets a timer of its own, which fires first.
    #[inline(always)]
    fn push_idle(&mut self, fi: u32, i: u32) -> Result<(), TimeError> {
        let now = self.now;
        let keep_alive = self.fn_slot(fi)?.keep_alive.unwrap_or(self.config.idle_timeout);
        let idle_end = now.saturating_add(keep_alive);
        let lifetime = self.config.max_lifetime;
        let expiry = match lifetime.is_zero() {
            true => idle_end,
            false => self.env_slot(i)?.env.born_at().saturating_add(lifetime).min(idle_end),
        };
        let head = self.fn_slot(fi)?.idle.head;
        let behind = if head == NIL { Instant::ZERO } else { self.env_slot(head)?.idle_until };
        self.timer_seq = self.timer_seq.wrapping_add(1).max(1);
        let seq = self.timer_seq;
        let slot = self.env_slot_mut(i)?;
        slot.idle_until = idle_end.max(behind);
        slot.idle_seq = seq;
        let own_timer = expiry < slot.idle_until;
        if own_timer {
            (slot.timer_at, slot.timer_seq) = (expiry, seq);
            self.env_timers.set(i, expiry, seq);
        } else {
            slot.timer_seq = 0;
            self.env_timers.cancel(i);
        }
        self.list_push(fi, i, ListTag::Idle)?;
        if head == NIL {
            self.idle_timers.set(fi, idle_end.max(behind), seq);
        }
        Ok(())
    }

    /// The oldest idle on-demand environment of function `fi` reached its
    /// place in the expiry queue: it is reclaimed (and the next one's timer set).
    fn idle_expired(&mut self, fi: u32) -> Result<(), TimeError> {
        let tail = self.fn_slot(fi)?.idle.tail;
        if tail == NIL {
            return Err(TimeError::Internal);
        }
        self.reclaim(tail)
    }

    /// The expiry queue of function `fi` lost its tail: time the new one.
    fn idle_tail_changed(&mut self, fi: u32) -> Result<(), TimeError> {
        let tail = self.fn_slot(fi)?.idle.tail;
        if tail == NIL {
            self.idle_timers.cancel(fi);
        } else {
            let slot = self.env_slot(tail)?;
            let (at, seq) = (slot.idle_until, slot.idle_seq);
            self.idle_timers.set(fi, at, seq);
        }
        Ok(())
    }

    /// The init a provisioned environment runs and whether it fails: over
    /// `max(130 s, timeout)` it fails at the limit.
    pub(super) fn provisioned_init(config: &FunctionConfig, init: Duration) -> (Duration, bool) {
        let limit = config.provisioned_init_limit();
        if init > limit { (limit, true) } else { (init, false) }
    }

    /// Applies `event` to environment `i`, keeping the function's state
    /// counts and the region's live count in step.
    #[inline(always)]
    pub(super) fn transition(&mut self, i: u32, event: EnvEvent) -> Result<EnvState, TimeError> {
        let now = self.now;
        let slot = self.envs.get_mut(i as usize).ok_or(TimeError::Internal)?;
        let from = slot.env.state();
        let was_live = slot.env.is_live();
        let to = slot.env.apply(now, event).map_err(|_| TimeError::Internal)?;
        let is_live = slot.env.is_live();
        let f = self.functions.get_mut(slot.function as usize).ok_or(TimeError::Internal)?;
        f.states.moved(Some(from), to);
        if was_live != is_live {
            // Only a shutdown ends a live environment here (creation is `alloc_env`).
            f.occupancy.live_changed(now, is_live);
            self.occupancy.live_changed(now, is_live);
            self.live = if is_live { self.live.saturating_add(1) } else { self.live.saturating_sub(1) };
        }
        Ok(to)
    }

    /// Takes a free slot for a new environment of function `fi`, in
    /// `Creating`. `None` when the table is full.
    pub(super) fn alloc_env(&mut self, fi: u32, kind: EnvKind, attached: bool) -> Result<Option<u32>, TimeError> {
        let env = Environment::create(self.now, kind, attached);
        let version = self.fn_slot(fi)?.version;
        let i = if self.free_head != NIL {
            let i = self.free_head;
            self.free_head = self.env_slot(i)?.next;
            i
        } else {
            let i = self.envs.len() as u32;
            // The wheel's storage first: it must take key i before the table does.
            if !self.env_timers.grow_to(self.envs.len().saturating_add(1)) || !self.envs.push(EnvSlot::VACANT) {
                return Ok(None);
            }
            i
        };
        let slot = self.env_slot_mut(i)?;
        let generation = slot.generation;
        *slot = EnvSlot { env, generation, function: fi, version, ..EnvSlot::VACANT };
        self.fn_slot_mut(fi)?.states.moved(None, EnvState::Creating);
        self.live_changed(fi, true)?;
        crate::region::Stats::bump(&mut self.fn_slot_mut(fi)?.stats.envs_created);
        Ok(Some(i))
    }

    fn live_changed(&mut self, fi: u32, up: bool) -> Result<(), TimeError> {
        let now = self.now;
        self.live = if up { self.live.saturating_add(1) } else { self.live.saturating_sub(1) };
        self.occupancy.live_changed(now, up);
        self.fn_slot_mut(fi)?.occupancy.live_changed(now, up);
        Ok(())
    }

    /// Whether a new environment would find a slot.
    pub(super) fn has_free_env(&self) -> bool {
        self.free_head != NIL || self.envs.len() < self.envs.max_len()
    }

    fn free_env(&mut self, i: u32) -> Result<(), TimeError> {
        let fi = self.env_slot(i)?.function;
        let free_head = self.free_head;
        let slot = self.env_slot_mut(i)?;
        let generation = slot.generation.wrapping_add(1).max(1);
        *slot = EnvSlot { generation, next: free_head, ..EnvSlot::VACANT };
        self.free_head = i;
        self.env_timers.cancel(i);
        crate::region::Stats::bump(&mut self.fn_slot_mut(fi)?.stats.envs_terminated);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn set_env_timer(&mut self, i: u32, at: Instant) {
        self.timer_seq = self.timer_seq.wrapping_add(1).max(1);
        let seq = self.timer_seq;
        if let Some(slot) = self.envs.get_mut(i as usize) {
            (slot.timer_at, slot.timer_seq) = (at, seq);
        }
        self.env_timers.set(i, at, seq);
    }

    pub(super) fn cancel_env_timer(&mut self, i: u32) -> Result<(), TimeError> {
        self.env_slot_mut(i)?.timer_seq = 0;
        self.env_timers.cancel(i);
        Ok(())
    }

    pub(super) fn set_fn_timer(&mut self, fi: u32, at: Instant) {
        self.timer_seq = self.timer_seq.wrapping_add(1);
        self.fn_timers.set(fi, at, self.timer_seq);
    }

    pub(super) fn env_slot(&self, i: u32) -> Result<&EnvSlot, TimeError> {
        self.envs.get(i as usize).ok_or(TimeError::Internal)
    }

    pub(super) fn env_slot_mut(&mut self, i: u32) -> Result<&mut EnvSlot, TimeError> {
        self.envs.get_mut(i as usize).ok_or(TimeError::Internal)
    }

    pub(super) fn fn_slot(&self, fi: u32) -> Result<&FunctionSlot, TimeError> {
        self.functions.get(fi as usize).ok_or(TimeError::Internal)
    }

    pub(super) fn fn_slot_mut(&mut self, fi: u32) -> Result<&mut FunctionSlot, TimeError> {
        self.functions.get_mut(fi as usize).ok_or(TimeError::Internal)
    }

    pub(super) fn list_of(&mut self, fi: u32, tag: ListTag) -> Result<&mut List, TimeError> {
        self.fn_slot_mut(fi)?.list_mut(tag).ok_or(TimeError::Internal)
    }

    /// Pushes environment `i` (in no list) at the newest end of a list.
    #[inline(always)]
    pub(super) fn list_push(&mut self, fi: u32, i: u32, tag: ListTag) -> Result<(), TimeError> {
        let head = self.list_of(fi, tag)?.head;
        let slot = self.env_slot_mut(i)?;
        slot.list = tag;
        // A provisioned environment that has served once serves until released.
        slot.serving |= tag == ListTag::IdlePc;
        slot.prev = NIL;
        slot.next = head;
        if head != NIL {
            self.env_slot_mut(head)?.prev = i;
        }
        let list = self.list_of(fi, tag)?;
        list.head = i;
        if list.tail == NIL {
            list.tail = i;
        }
        list.len = list.len.saturating_add(1);
        Ok(())
    }

    /// Unlinks environment `i` from whatever list it is in (no-op if none).
    #[inline(always)]
    pub(super) fn list_remove(&mut self, i: u32) -> Result<(), TimeError> {
        let slot = self.env_slot_mut(i)?;
        let tag = slot.list;
        if tag == ListTag::None {
            return Ok(());
        }
        let (prev, next, fi) = (slot.prev, slot.next, slot.function);
        slot.list = ListTag::None;
        slot.prev = NIL;
        slot.next = NIL;
        if prev != NIL {
            self.env_slot_mut(prev)?.next = next;
        }
        if next != NIL {
            self.env_slot_mut(next)?.prev = prev;
        }
        let list = self.list_of(fi, tag)?;
        if list.head == i {
            list.head = next;
        }
        let was_tail = list.tail == i;
        if was_tail {
            list.tail = prev;
        }
        list.len = list.len.saturating_sub(1);
        if was_tail && tag == ListTag::Idle {
            self.idle_tail_changed(fi)?;
        }
        Ok(())
    }

    /// Unlinks and returns the newest or oldest environment of a list.
    #[inline(always)]
    pub(super) fn list_take(&mut self, fi: u32, tag: ListTag, end: End) -> Result<Option<u32>, TimeError> {
        let list = *self.list_of(fi, tag)?;
        let i = match end {
            End::Newest => list.head,
            End::Oldest => list.tail,
        };
        if i == NIL {
            return Ok(None);
        }
        self.list_remove(i)?;
        Ok(Some(i))
    }
}

/// `at + d`, or `None` past the end of the clock: an event that would fall
/// there never happens (a saturated deadline would fire again and again).
pub(super) fn later(at: Instant, d: Duration) -> Option<Instant> {
    at.as_micros().checked_add(d.as_micros()).map(Instant::from_micros)
}
