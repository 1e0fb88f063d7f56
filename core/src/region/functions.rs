//! Function configuration: create, update, reserved and provisioned
//! concurrency, delete; and the provisioned allocator (docs/model.md §2).

use super::events::End;
use super::lists::{List, ListTag, NIL};
use super::provisioned::Provisioning;
use super::{ConfigError, FunctionId, FunctionSlot, Region, StateCounts, Stats};
use crate::Instant;
use crate::concurrency::{ConcurrencySettings, ScalingRule, TokenBucket};
use crate::environment::{EnvEvent, EnvKind, EnvState};
use crate::error::TimeError;
use crate::function::{FunctionConfig, ProvisionedStatus};
use crate::time::Duration;

impl Region<'_> {
    /// Creates a function. Provisioned concurrency in `config` starts
    /// allocating at once (status `InProgress`).
    ///
    /// # Errors
    /// The configuration is invalid ([`FunctionConfig::validate`]), would
    /// break the unreserved minimum, the function table is full, or `now` is
    /// before the region's clock.
    pub fn create_function(&mut self, now: Instant, config: &FunctionConfig) -> Result<FunctionId, ConfigError> {
        self.advance(now)?;
        config.validate(self.config.memory_rule)?;
        let settings = ConcurrencySettings { reserved: config.reserved, provisioned: config.provisioned };
        self.ledger.check_change(ConcurrencySettings::default(), settings)?;
        let vacant = self.functions.iter().position(|f| !f.in_use);
        if vacant.is_none() && self.functions.len() >= self.functions.max_len() {
            return Err(ConfigError::CapacityExceeded);
        }
        let scaling = TokenBucket::new(
            u64::from(ScalingRule::PER_FUNCTION_BURST),
            u64::from(ScalingRule::PER_FUNCTION_PER_SECOND),
            Duration::from_secs(1),
            now,
        )?;
        let mut slot = FunctionSlot {
            generation: 1,
            in_use: true,
            config: FunctionConfig { provisioned: 0, ..*config },
            version: 0,
            idle: List::EMPTY,
            idle_pc: List::EMPTY,
            warming_pc: List::EMPTY,
            recycling_pc: List::EMPTY,
            busy_pc: List::EMPTY,
            shutting: List::EMPTY,
            prewarming: List::EMPTY,
            states: StateCounts::default(),
            attached: 0,
            attached_pc: 0,
            draining: false,
            scaling,
            alias_rate: super::alias_rate::AliasRate::default(),
            pc: Provisioning::default(),
            stats: Stats::default(),
            meter: crate::pricing::Meter::new(),
            pc_billed_since: None,
            occupancy: super::Tally::default(),
            keep_alive: None,
            metrics: super::metrics::Tally::default(),
            async_config: super::AsyncConfig::DEFAULT,
            async_stats: super::AsyncStats::default(),
        };
        let fi = match vacant {
            Some(v) => {
                let old = self.functions.get_mut(v).ok_or(ConfigError::Internal)?;
                slot.generation = old.generation;
                *old = slot;
                v as u32
            }
            None => {
                let keys = self.functions.len().saturating_add(1);
                let timers = self.fn_timers.grow_to(keys) && self.idle_timers.grow_to(keys);
                if !timers || !self.functions.push(slot) {
                    return Err(ConfigError::CapacityExceeded);
                }
                self.functions.len().saturating_sub(1) as u32
            }
        };
        let without_pc = ConcurrencySettings { provisioned: 0, ..settings };
        self.ledger.apply_change(ConcurrencySettings::default(), without_pc, 0);
        let id = FunctionId { index: fi, generation: self.fn_slot(fi)?.generation };
        self.set_concurrency(fi, settings)?;
        Ok(id)
    }

    /// Replaces a function's configuration.
    ///
    /// A change of anything but reserved and provisioned concurrency (memory,
    /// timeout, architecture, ephemeral storage, cold-start profile) is a new
    /// version of the function: as on AWS, new invocations go to new
    /// environments. Idle
    /// environments of the old version are reclaimed now, busy ones when they
    /// finish, and provisioned concurrency is allocated again for the new
    /// version. A change of only reserved or provisioned concurrency keeps
    /// every environment (see [`Region::put_reserved`] and
    /// [`Region::put_provisioned`]).
    ///
    /// # Errors
    /// As [`Region::create_function`], or [`ConfigError::UnknownFunction`].
    /// Nothing changes on error.
    pub fn update_function(&mut self, now: Instant, f: FunctionId, config: &FunctionConfig) -> Result<(), ConfigError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(ConfigError::UnknownFunction)?;
        config.validate(self.config.memory_rule)?;
        let old = *self.fn_slot(fi)?;
        let settings = ConcurrencySettings { reserved: config.reserved, provisioned: config.provisioned };
        self.ledger.check_change(old.settings(), settings)?;
        // Anything but the concurrency settings is a new version (AWS starts
        // new environments after any configuration update).
        let code_changed =
            FunctionConfig { reserved: old.config.reserved, provisioned: old.config.provisioned, ..*config }
                != old.config;
        if code_changed {
            self.close_provisioned_span(fi)?;
            self.new_version(fi)?;
        }
        let slot = self.fn_slot_mut(fi)?;
        slot.config =
            FunctionConfig { reserved: slot.config.reserved, provisioned: slot.config.provisioned, ..*config };
        self.set_concurrency(fi, settings)?;
        Ok(())
    }

    /// Sets (`Some`) or removes (`None`) a function's reserved concurrency
    /// (AWS `PutFunctionConcurrency` / `DeleteFunctionConcurrency`).
    ///
    /// Lowering RC below the current busy count lets running invocations
    /// finish and throttles new ones until the function is back under.
    ///
    /// # Errors
    /// [`ConfigError::ProvisionedExceedsReserved`],
    /// [`ConfigError::UnreservedBelowMinimum`], [`ConfigError::UnknownFunction`],
    /// [`ConfigError::TimeWentBackwards`]. Nothing changes on error.
    pub fn put_reserved(&mut self, now: Instant, f: FunctionId, reserved: Option<u32>) -> Result<(), ConfigError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(ConfigError::UnknownFunction)?;
        let old = self.fn_slot(fi)?.settings();
        let new = ConcurrencySettings { reserved, ..old };
        self.ledger.check_change(old, new)?;
        self.set_concurrency(fi, new)?;
        Ok(())
    }

    /// Sets a function's provisioned concurrency (AWS
    /// `PutProvisionedConcurrencyConfig`; 0 removes it).
    ///
    /// Raising allocates only the difference after the preparation delay
    /// (ready environments keep serving; new ones serve once the whole
    /// request is initialized); changing it while `InProgress` restarts the
    /// remaining allocation after a new delay; lowering releases idle
    /// provisioned environments at once and busy ones when they finish.
    ///
    /// # Errors
    /// As [`Region::put_reserved`]. Nothing changes on error.
    pub fn put_provisioned(&mut self, now: Instant, f: FunctionId, provisioned: u32) -> Result<(), ConfigError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(ConfigError::UnknownFunction)?;
        let old = self.fn_slot(fi)?.settings();
        let new = ConcurrencySettings { provisioned, ..old };
        self.ledger.check_change(old, new)?;
        self.set_concurrency(fi, new)?;
        Ok(())
    }

    /// Overrides how long this function's on-demand environments are kept
    /// idle (`None`: the region's idle timeout). Applies to environments
    /// that become idle from now on. A keep-alive policy (such as the hybrid
    /// histogram policy of the simulator) drives this.
    ///
    /// # Errors
    /// [`ConfigError::UnknownFunction`], [`ConfigError::TimeWentBackwards`].
    pub fn set_keep_alive(
        &mut self,
        now: Instant,
        f: FunctionId,
        keep_alive: Option<Duration>,
    ) -> Result<(), ConfigError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(ConfigError::UnknownFunction)?;
        self.fn_slot_mut(fi)?.keep_alive = keep_alive;
        Ok(())
    }

    /// Deletes a function. Its idle, warming and shutting-down environments
    /// are terminated at once; its reserved and provisioned concurrency
    /// return to the account. The handle (and any copy) becomes stale.
    ///
    /// # Errors
    /// [`ConfigError::FunctionBusy`] while invocations are running (nothing
    /// changes), [`ConfigError::UnknownFunction`], [`ConfigError::TimeWentBackwards`].
    pub fn delete_function(&mut self, now: Instant, f: FunctionId) -> Result<(), ConfigError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(ConfigError::UnknownFunction)?;
        let slot = *self.fn_slot(fi)?;
        if slot.attached > 0 {
            return Err(ConfigError::FunctionBusy);
        }
        let lists = [
            ListTag::Idle,
            ListTag::IdlePc,
            ListTag::WarmingPc,
            ListTag::RecyclingPc,
            ListTag::Prewarming,
            ListTag::Shutting,
        ];
        for tag in lists {
            while let Some(i) = self.list_take(fi, tag, End::Newest)? {
                self.terminate_now(i)?;
            }
        }
        self.fn_timers.cancel(fi);
        self.idle_timers.cancel(fi);
        self.close_provisioned_span(fi)?;
        self.async_drop_function_events(fi)?;
        let stats = self.fn_slot(fi)?.stats;
        self.retired_stats.add(&stats);
        match self.retired_meter.checked_add(&self.fn_slot(fi)?.meter) {
            Ok(total) => self.retired_meter = total,
            Err(_) => self.meter_overflow = true,
        }
        self.flush_function_metrics(fi);
        self.ledger.apply_change(slot.settings(), ConcurrencySettings::default(), 0);
        let f = self.fn_slot_mut(fi)?;
        f.in_use = false;
        f.generation = f.generation.wrapping_add(1).max(1);
        f.pc = Provisioning::default();
        self.emit_region_levels();
        Ok(())
    }

    /// Terminates an unattached environment immediately, skipping the
    /// shutdown delay (its function is being deleted).
    fn terminate_now(&mut self, i: u32) -> Result<(), TimeError> {
        let state = self.env_slot(i)?.env.state();
        if state != EnvState::ShuttingDown {
            self.transition(i, EnvEvent::Reclaim)?;
        }
        self.config_shutdown_now(i)
    }

    fn config_shutdown_now(&mut self, i: u32) -> Result<(), TimeError> {
        let shutdown = self.config.shutdown;
        self.config.shutdown = Duration::ZERO;
        let r = self.begin_shutdown(i);
        self.config.shutdown = shutdown;
        r
    }

    /// Starts a new version: idle on-demand environments are reclaimed now,
    /// busy ones when they finish (their version no longer matches), and the
    /// provisioned allocation starts over for the new version.
    fn new_version(&mut self, fi: u32) -> Result<(), TimeError> {
        let f = self.fn_slot_mut(fi)?;
        f.version = f.version.wrapping_add(1);
        let pc = f.config.provisioned;
        while let Some(i) = self.list_take(fi, ListTag::Idle, End::Oldest)? {
            self.reclaim(i)?;
        }
        if pc > 0 {
            self.release_provisioned(fi, u32::MAX)?;
            let f = self.fn_slot_mut(fi)?;
            f.pc.status = ProvisionedStatus::None;
        }
        Ok(())
    }

    /// Applies checked concurrency settings: the ledger sums, the draining
    /// flags, and — only when the provisioned value changes, or a new
    /// version reset the allocation — the provisioned allocation's target.
    /// Setting reserved concurrency, or provisioned concurrency to its
    /// current value, leaves the allocation (and its timers) alone.
    fn set_concurrency(&mut self, fi: u32, new: ConcurrencySettings) -> Result<(), TimeError> {
        let f = *self.fn_slot(fi)?;
        let old = f.settings();
        // A configured PC with status None: a new version released the allocation.
        let reset = new.provisioned > 0 && f.pc.status == ProvisionedStatus::None;
        if old.provisioned != new.provisioned {
            self.close_provisioned_span(fi)?;
        }
        // Busy on-demand, and busy provisioned ones released from the allocation.
        let busy_on_demand = u64::from(f.attached.saturating_sub(f.attached_pc));
        self.ledger.apply_change(old, new, busy_on_demand);
        let now = self.now;
        let slot = self.fn_slot_mut(fi)?;
        slot.config.reserved = new.reserved;
        slot.config.provisioned = new.provisioned;
        if new.provisioned > 0 && slot.pc_billed_since.is_none() {
            slot.pc_billed_since = Some(now);
        }
        slot.draining = new.reserved.is_some_and(|rc| slot.attached > rc);
        if old.provisioned != new.provisioned || reset {
            self.reallocate(fi, new.provisioned)?;
        }
        if self.ledger.unreserved_in_use() > self.ledger.unreserved_pool() {
            self.unreserved_draining = true;
        }
        self.emit_levels(fi);
        Ok(())
    }

    /// Moves the provisioned allocation to `target`: releases what is over
    /// it, or asks for the difference; whatever is still to be created is
    /// (re)started after a new preparation delay.
    fn reallocate(&mut self, fi: u32, target: u32) -> Result<(), TimeError> {
        let pc = self.fn_slot(fi)?.pc;
        let have = pc.allocated.saturating_add(pc.pending);
        if target < have {
            self.release_provisioned(fi, have - target)?;
        } else if target > have {
            let f = self.fn_slot_mut(fi)?;
            f.pc.pending = f.pc.pending.saturating_add(target - have);
        }
        let at = self.now.saturating_add(self.config.provisioned_delay);
        let slot = self.fn_slot_mut(fi)?;
        if target == 0 {
            slot.pc.status = ProvisionedStatus::None;
        } else if slot.pc.pending > 0 {
            // A change while in progress restarts the remainder after a new delay.
            slot.pc.status = ProvisionedStatus::InProgress;
            self.set_fn_timer(fi, at);
        }
        self.maybe_ready(fi)
    }

    /// Asks the allocator for `n` replacement environments without a new
    /// preparation delay (a provisioned environment was lost).
    pub(super) fn request_provisioned(&mut self, fi: u32, n: u32) -> Result<(), TimeError> {
        let f = self.fn_slot_mut(fi)?;
        f.pc.pending = f.pc.pending.saturating_add(n);
        if self.fn_timers.get(fi).is_none() {
            let at = self.now.saturating_add(self.config.provisioned_interval());
            self.set_fn_timer(fi, at);
        }
        Ok(())
    }

    /// Releases up to `n` provisioned environments, the least ready first:
    /// not-yet-created ones, then those of the allocation in progress
    /// (creating, initializing or waiting), then re-initializing ones, then
    /// idle serving ones (each list newest first), then busy ones, which
    /// leave the allocation at once and shut down when they finish.
    fn release_provisioned(&mut self, fi: u32, mut n: u32) -> Result<(), TimeError> {
        let f = self.fn_slot_mut(fi)?;
        let from_pending = n.min(f.pc.pending);
        f.pc.pending -= from_pending;
        n -= from_pending;
        if f.pc.pending == 0 {
            self.fn_timers.cancel(fi);
        }
        for tag in [ListTag::WarmingPc, ListTag::RecyclingPc, ListTag::IdlePc] {
            while n > 0 {
                let Some(i) = self.list_take(fi, tag, End::Newest)? else { break };
                self.release_unattached(fi, i, tag)?;
                n -= 1;
            }
        }
        while n > 0 {
            let Some(i) = self.list_take(fi, ListTag::BusyPc, End::Newest)? else { break };
            self.retire_busy_provisioned(fi, i)?;
            n -= 1;
        }
        Ok(())
    }

    /// A busy provisioned environment leaves the allocation: it shuts down
    /// when its invocation ends, and until then that invocation counts as
    /// on-demand concurrency (in the unreserved pool, for a function
    /// without RC), so claimed concurrency never falls below busy.
    fn retire_busy_provisioned(&mut self, fi: u32, i: u32) -> Result<(), TimeError> {
        self.env_slot_mut(i)?.retire = true;
        let f = self.fn_slot_mut(fi)?;
        f.pc.allocated = f.pc.allocated.saturating_sub(1);
        f.attached_pc = f.attached_pc.saturating_sub(1);
        let unreserved = f.config.reserved.is_none();
        self.ledger.left_provisioned(unreserved);
        if self.ledger.unreserved_in_use() > self.ledger.unreserved_pool() {
            self.unreserved_draining = true;
        }
        self.emit_levels(fi);
        Ok(())
    }

    /// The allocator's timer: creates the next provisioned environment of
    /// function `fi` and schedules the one after (6000 per minute).
    pub(super) fn allocate_provisioned_env(&mut self, fi: u32) -> Result<(), TimeError> {
        let f = *self.fn_slot(fi)?;
        if f.pc.pending == 0 || !f.in_use {
            return Ok(());
        }
        let Some(i) = self.alloc_env(fi, EnvKind::Provisioned, false)? else {
            // No slot for it: the allocation fails, as AWS reports a failed one.
            let f = self.fn_slot_mut(fi)?;
            f.pc.status = ProvisionedStatus::Failed;
            f.pc.pending = 0;
            return Ok(());
        };
        let now = self.now;
        let create = f.config.cold_start.create();
        let (init, fails) = Self::provisioned_init(&f.config, f.config.cold_start.init());
        self.list_push(fi, i, ListTag::WarmingPc)?;
        let slot = self.env_slot_mut(i)?;
        slot.ready_at = now.saturating_add(create).saturating_add(init);
        slot.init_fails = fails;
        self.set_env_timer(i, now.saturating_add(create));
        let f = self.fn_slot_mut(fi)?;
        f.pc.pending -= 1;
        f.pc.allocated = f.pc.allocated.saturating_add(1);
        f.pc.warming = f.pc.warming.saturating_add(1);
        let pending = f.pc.pending;
        self.emit_levels(fi);
        if pending > 0 {
            let at = now.saturating_add(self.config.provisioned_interval());
            self.set_fn_timer(fi, at);
        }
        Ok(())
    }

    /// An allocation in progress becomes Ready once every environment it
    /// asked for is initialized; its waiting environments then serve.
    pub(super) fn maybe_ready(&mut self, fi: u32) -> Result<(), TimeError> {
        let f = self.fn_slot(fi)?;
        if f.pc.status != ProvisionedStatus::InProgress || !f.pc.complete() {
            return Ok(());
        }
        self.fn_slot_mut(fi)?.pc.status = ProvisionedStatus::Ready;
        while let Some(i) = self.list_take(fi, ListTag::WarmingPc, End::Oldest)? {
            self.list_push(fi, i, ListTag::IdlePc)?;
        }
        // Waiting ones being recycled serve once their re-initialization ends.
        let mut i = self.list_of(fi, ListTag::RecyclingPc)?.head;
        while i != NIL {
            let slot = self.env_slot_mut(i)?;
            slot.serving = true;
            i = slot.next;
        }
        Ok(())
    }
}
