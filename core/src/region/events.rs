//! Time-driven events and the environment-table plumbing they share with
//! `invoke`/`finish`: transitions, lists, timers, slot allocation.

use super::lists::{List, ListTag, NIL};
use super::{EnvSlot, FunctionSlot, Outcome, Region};
use crate::environment::{EnvEvent, EnvKind, EnvState, Environment};
use crate::error::TimeError;
use crate::function::{FunctionConfig, ProvisionedStatus};
use crate::time::{Duration, Instant};

/// Which end of a list to take from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    Newest,
    Oldest,
}

impl<const ENVS: usize, const FUNCTIONS: usize> Region<ENVS, FUNCTIONS> {
    /// Applies every event due at or before `now`, in the order they were
    /// scheduled, and moves the clock to `now`. An event is applied at its
    /// own time; one scheduled for a time already past (a provisioned
    /// environment whose cold start outlasts its lifetime) is applied at
    /// the current time: the clock never moves backwards.
    ///
    /// # Errors
    /// [`TimeError::WentBackwards`] when `now` is before the region's clock
    /// (nothing changes).
    pub fn advance(&mut self, now: Instant) -> Result<(), TimeError> {
        if now < self.now {
            return Err(TimeError::WentBackwards);
        }
        loop {
            let env = self.env_timers.peek().filter(|t| t.at <= now);
            let func = self.fn_timers.peek().filter(|t| t.at <= now);
            let env_first = match (env, func) {
                (Some(e), Some(f)) => (e.at, e.seq) < (f.at, f.seq),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if env_first {
                let t = self.env_timers.pop_due(now).ok_or(TimeError::Internal)?;
                self.now = self.now.max(t.at);
                self.env_timer_fired(t.key)?;
            } else {
                let t = self.fn_timers.pop_due(now).ok_or(TimeError::Internal)?;
                self.now = self.now.max(t.at);
                self.allocate_provisioned_env(t.key)?;
            }
        }
        self.now = now;
        Ok(())
    }

    /// What an environment's timer means depends on its state.
    fn env_timer_fired(&mut self, i: u32) -> Result<(), TimeError> {
        let slot = *self.env_slot(i)?;
        match slot.env.state() {
            EnvState::Creating => {
                self.transition(i, EnvEvent::SandboxReady)?;
                self.set_env_timer(i, slot.ready_at);
                Ok(())
            }
            EnvState::Initializing if slot.env.is_attached() && self.now >= slot.timeout_at => {
                // The invoke's timeout fell inside its (partial cold) init.
                self.env_slot_mut(i)?.timed_out = true;
                self.end_invocation(i, Outcome::Timeout)
            }
            EnvState::Initializing if slot.init_fails => self.init_failed(i),
            EnvState::Initializing => self.init_done(i),
            // A scheduled end strictly before the timeout (at the timeout, the timeout wins).
            EnvState::Busy if slot.end.is_some_and(|(at, _)| at < slot.timeout_at) => {
                self.end_invocation(i, slot.end.map_or(Outcome::Timeout, |(_, outcome)| outcome))
            }
            EnvState::Busy => {
                self.env_slot_mut(i)?.timed_out = true;
                self.end_invocation(i, Outcome::Timeout)
            }
            EnvState::Idle if slot.env.kind() == EnvKind::Provisioned => self.recycle(i),
            EnvState::Idle => self.reclaim(i),
            EnvState::ShuttingDown => self.shutdown_done(i),
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
            self.list_push(fi, i, ListTag::Idle)?;
            return self.set_idle_timer(i);
        }
        // An unattached provisioned environment finished (re-)initializing: its init is billed.
        self.meter_provisioned_init(fi, self.now.saturating_since(slot.env.since()))?;
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
        let fi = self.env_slot(i)?.function;
        self.transition(i, EnvEvent::InitFailed)?;
        crate::region::Stats::bump(&mut self.stats.init_failures);
        let f = self.fn_slot_mut(fi)?;
        crate::region::Stats::bump(&mut f.stats.init_failures);
        f.pc.warming = f.pc.warming.saturating_sub(1);
        f.pc.allocated = f.pc.allocated.saturating_sub(1);
        f.pc.status = ProvisionedStatus::Failed;
        f.pc.pending = 0;
        self.fn_timers.cancel(fi);
        self.begin_shutdown(i)?;
        while let Some(j) = self.list_take(fi, ListTag::WarmingPc, End::Newest)? {
            self.release_unattached(fi, j)?;
        }
        Ok(())
    }

    /// Reclaims an idle environment (idle timeout, lifetime, release).
    pub(super) fn reclaim(&mut self, i: u32) -> Result<(), TimeError> {
        self.transition(i, EnvEvent::Reclaim)?;
        self.begin_shutdown(i)
    }

    /// Releases an unattached provisioned environment (creating,
    /// initializing or idle) taken out of its list.
    pub(super) fn release_unattached(&mut self, fi: u32, i: u32) -> Result<(), TimeError> {
        let warming = matches!(self.env_slot(i)?.env.state(), EnvState::Creating | EnvState::Initializing);
        let f = self.fn_slot_mut(fi)?;
        if warming {
            f.pc.warming = f.pc.warming.saturating_sub(1);
        }
        f.pc.allocated = f.pc.allocated.saturating_sub(1);
        self.reclaim(i)
    }

    /// Re-initializes an idle provisioned environment in place.
    fn recycle(&mut self, i: u32) -> Result<(), TimeError> {
        let fi = self.env_slot(i)?.function;
        let config = self.fn_slot(fi)?.config;
        self.transition(i, EnvEvent::Recycle)?;
        self.list_remove(i)?;
        self.list_push(fi, i, ListTag::WarmingPc)?;
        let f = self.fn_slot_mut(fi)?;
        f.pc.warming = f.pc.warming.saturating_add(1);
        let (init, fails) = Self::provisioned_init(&config, config.cold_start.init());
        let ready_at = self.now.saturating_add(init);
        let slot = self.env_slot_mut(i)?;
        slot.ready_at = ready_at;
        slot.init_fails = fails;
        self.set_env_timer(i, ready_at);
        Ok(())
    }

    /// Moves a ShuttingDown environment into the shutting list and finishes
    /// the shutdown now when it takes no time.
    pub(super) fn begin_shutdown(&mut self, i: u32) -> Result<(), TimeError> {
        let fi = self.env_slot(i)?.function;
        self.list_remove(i)?;
        self.list_push(fi, i, ListTag::Shutting)?;
        if self.config.shutdown.is_zero() {
            self.env_timers.cancel(i);
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
    pub(super) fn end_invocation(&mut self, i: u32, outcome: Outcome) -> Result<(), TimeError> {
        let slot = *self.env_slot(i)?;
        let fi = slot.function;
        let on_pc = slot.env.kind() == EnvKind::Provisioned;
        self.detach(i, outcome)?;
        // Every path below sets or cancels the env's timer.
        self.transition(i, EnvEvent::Finish { reset: outcome.resets() })?;
        self.list_remove(i)?;
        let version = self.fn_slot(fi)?.version;
        let lifetime_over = !self.config.max_lifetime.is_zero()
            && self.now >= slot.env.born_at().saturating_add(self.config.max_lifetime);
        if slot.retire || slot.version != version {
            if on_pc && !slot.retire {
                // A provisioned env of an old configuration: the allocation replaces it.
                let f = self.fn_slot_mut(fi)?;
                f.pc.allocated = f.pc.allocated.saturating_sub(1);
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
        self.list_push(fi, i, ListTag::Idle)?;
        self.set_idle_timer(i)
    }

    /// Un-counts an attached invocation that ends at `now` and meters it.
    pub(super) fn detach(&mut self, i: u32, outcome: Outcome) -> Result<(), TimeError> {
        let slot = *self.env_slot(i)?;
        let fi = slot.function;
        let on_pc = slot.env.kind() == EnvKind::Provisioned;
        self.meter_invocation(fi, on_pc, self.now.saturating_since(slot.billable_from))?;
        self.env_slot_mut(i)?.end = None;
        let f = self.fn_slot_mut(fi)?;
        let unreserved = f.uses_unreserved(on_pc);
        f.attached = f.attached.saturating_sub(1);
        if on_pc {
            f.attached_pc = f.attached_pc.saturating_sub(1);
        }
        if let Some(rc) = f.config.reserved
            && f.attached <= rc
        {
            f.draining = false;
        }
        f.stats.ended(outcome);
        self.stats.ended(outcome);
        self.ledger.end(unreserved);
        self.busy_changed(fi, false)?;
        if self.ledger.unreserved_in_use() <= self.ledger.unreserved_pool() {
            self.unreserved_draining = false;
        }
        Ok(())
    }

    /// Sets an idle environment's expiry: idle timeout or max lifetime for
    /// on-demand, lifetime recycling for provisioned.
    fn set_idle_timer(&mut self, i: u32) -> Result<(), TimeError> {
        let slot = *self.env_slot(i)?;
        let lifetime = self.config.max_lifetime;
        let end_of_life = (!lifetime.is_zero()).then(|| slot.env.born_at().saturating_add(lifetime));
        let at = match slot.env.kind() {
            EnvKind::Provisioned => end_of_life,
            EnvKind::OnDemand => {
                let keep_alive = self.fn_slot(slot.function)?.keep_alive.unwrap_or(self.config.idle_timeout);
                let idle_end = self.now.saturating_add(keep_alive);
                Some(end_of_life.map_or(idle_end, |e| e.min(idle_end)))
            }
        };
        match at {
            Some(at) => self.set_env_timer(i, at),
            None => self.env_timers.cancel(i),
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
    pub(super) fn transition(&mut self, i: u32, event: EnvEvent) -> Result<EnvState, TimeError> {
        let now = self.now;
        let slot = self.env_slot_mut(i)?;
        let from = slot.env.state();
        let was_live = slot.env.is_live();
        let to = slot.env.apply(now, event).map_err(|_| TimeError::Internal)?;
        let is_live = slot.env.is_live();
        let fi = slot.function;
        self.fn_slot_mut(fi)?.states.moved(Some(from), to);
        if was_live != is_live {
            self.live_changed(fi, is_live)?;
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
            if self.envs.push(EnvSlot::VACANT).is_err() {
                return Ok(None);
            }
            i
        };
        let slot = self.env_slot_mut(i)?;
        let generation = slot.generation;
        *slot = EnvSlot { env, generation, function: fi, version, ..EnvSlot::VACANT };
        self.fn_slot_mut(fi)?.states.moved(None, EnvState::Creating);
        self.live_changed(fi, true)?;
        crate::region::Stats::bump(&mut self.stats.envs_created);
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

    /// Counts an invocation attaching (`up`) or detaching, region-wide and
    /// for function `fi`.
    pub(super) fn busy_changed(&mut self, fi: u32, up: bool) -> Result<(), TimeError> {
        let now = self.now;
        self.occupancy.busy_changed(now, up);
        self.fn_slot_mut(fi)?.occupancy.busy_changed(now, up);
        Ok(())
    }

    /// Whether a new environment would find a slot.
    pub(super) fn has_free_env(&self) -> bool {
        self.free_head != NIL || self.envs.len() < ENVS
    }

    fn free_env(&mut self, i: u32) -> Result<(), TimeError> {
        let fi = self.env_slot(i)?.function;
        let free_head = self.free_head;
        let slot = self.env_slot_mut(i)?;
        let generation = slot.generation.wrapping_add(1).max(1);
        *slot = EnvSlot { generation, next: free_head, ..EnvSlot::VACANT };
        self.free_head = i;
        self.env_timers.cancel(i);
        crate::region::Stats::bump(&mut self.stats.envs_terminated);
        crate::region::Stats::bump(&mut self.fn_slot_mut(fi)?.stats.envs_terminated);
        Ok(())
    }

    pub(super) fn set_env_timer(&mut self, i: u32, at: Instant) {
        self.timer_seq = self.timer_seq.wrapping_add(1);
        self.env_timers.set(i, at, self.timer_seq);
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

    fn list_of(&mut self, fi: u32, tag: ListTag) -> Result<&mut List, TimeError> {
        self.fn_slot_mut(fi)?.list_mut(tag).ok_or(TimeError::Internal)
    }

    /// Pushes environment `i` (in no list) at the newest end of a list.
    pub(super) fn list_push(&mut self, fi: u32, i: u32, tag: ListTag) -> Result<(), TimeError> {
        let head = self.list_of(fi, tag)?.head;
        let slot = self.env_slot_mut(i)?;
        slot.list = tag;
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
    pub(super) fn list_remove(&mut self, i: u32) -> Result<(), TimeError> {
        let slot = *self.env_slot(i)?;
        if slot.list == ListTag::None {
            return Ok(());
        }
        if slot.prev != NIL {
            self.env_slot_mut(slot.prev)?.next = slot.next;
        }
        if slot.next != NIL {
            self.env_slot_mut(slot.next)?.prev = slot.prev;
        }
        let list = self.list_of(slot.function, slot.list)?;
        if list.head == i {
            list.head = slot.next;
        }
        if list.tail == i {
            list.tail = slot.prev;
        }
        list.len = list.len.saturating_sub(1);
        let s = self.env_slot_mut(i)?;
        s.list = ListTag::None;
        s.prev = NIL;
        s.next = NIL;
        Ok(())
    }

    /// Unlinks and returns the newest or oldest environment of a list.
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
