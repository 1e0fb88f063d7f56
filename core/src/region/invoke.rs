//! `invoke` and `finish`: docs/model.md §2's decision order and the end of an invocation.

use super::events::End;
use super::lists::ListTag;
use super::{
    EnvId, FinishError, Finished, FunctionId, Handler, InvocationId, InvokeError, Invoked, Outcome, Region, StartKind,
    Started, Stats, WarmPick,
};
use crate::concurrency::ThrottleReason;
use crate::environment::{EnvEvent, EnvKind, EnvState};
use crate::error::TimeError;
use crate::function::FunctionConfig;
use crate::time::{Duration, Instant};

/// The timing of a starting invocation.
#[derive(Clone, Copy, Debug)]
struct Phases {
    /// Time before the handler runs.
    init: Duration,
    /// When the handler starts.
    ready_at: Instant,
    /// When the invocation times out.
    timeout_at: Instant,
    /// A suppressed init the handler re-runs first.
    suppressed: Duration,
}

impl Region<'_> {
    /// A synchronous invoke of `f` at `now`, with the function's configured
    /// init duration.
    ///
    /// Follows docs/model.md §2's decision order: request rate (the
    /// account's, then a function with provisioned concurrency's), reserved
    /// concurrency, account limit, an idle provisioned environment, the
    /// unreserved pool, an idle on-demand environment (most or least
    /// recently used, per [`RegionConfig::warm_pick`](super::RegionConfig::warm_pick)),
    /// then a scaling token for a new environment.
    ///
    /// # Errors
    /// [`InvokeError::UnknownFunction`] (no token spent),
    /// [`InvokeError::TimeWentBackwards`], or
    /// [`InvokeError::CapacityExceeded`] when a new environment is needed and
    /// the table is full (no token spent). A throttle is `Ok(Invoked::Throttled)`.
    pub fn invoke(&mut self, now: Instant, f: FunctionId) -> Result<Invoked, InvokeError> {
        let init = self.function(f).map_or(Duration::ZERO, |s| s.config.cold_start.init());
        self.invoke_with(now, f, || init)
    }

    /// Like [`Region::invoke`], with this request's init duration in place of
    /// the profile's (a driver drawing init times from a distribution). It
    /// is used only if the request cold-starts.
    ///
    /// # Errors
    /// As [`Region::invoke`].
    pub fn invoke_with_init(&mut self, now: Instant, f: FunctionId, init: Duration) -> Result<Invoked, InvokeError> {
        self.invoke_with(now, f, || init)
    }

    /// Like [`Region::invoke_with_init`], asking `init` for the init
    /// duration only when the request cold-starts (a driver drawing init
    /// times lazily).
    ///
    /// # Errors
    /// As [`Region::invoke`].
    pub fn invoke_with(
        &mut self,
        now: Instant,
        f: FunctionId,
        init: impl FnOnce() -> Duration,
    ) -> Result<Invoked, InvokeError> {
        self.invoke_inner(now, f, init, None)
    }

    /// An invoke whose end the region schedules itself: the handler runs
    /// for `handler.duration` once any init is done, then the invocation
    /// ends with `handler.outcome` — or at the function's timeout when that
    /// comes first or at the same instant (a `Timeout` outcome counts as a
    /// timeout either way, and a later `finish` answers
    /// [`FinishError::TimedOut`]). The caller never calls
    /// [`Region::finish`] for it (it may, to end it early). This is how a
    /// driver that knows each request's duration up front avoids keeping
    /// its own completion queue; the end is applied, like every
    /// time-driven event, by the next call at or after it.
    ///
    /// # Errors
    /// As [`Region::invoke`].
    ///
    /// # Examples
    /// ```
    /// use lambdasim::{Duration, FunctionConfig, Handler, Instant, Invoked, Outcome, Region, RegionConfig};
    ///
    /// let mut region: Region = Region::new(RegionConfig::default())?;
    /// let f = region.create_function(Instant::ZERO, &FunctionConfig::default())?;
    /// let handler = Handler { duration: Duration::from_millis(100), outcome: Outcome::Success };
    /// let Invoked::Started(s) = region.invoke_for(Instant::ZERO, f, handler)? else { unreachable!() };
    /// region.advance(s.ready_at.saturating_add(handler.duration))?;
    /// assert_eq!(region.function_busy(f), Some(0));
    /// assert_eq!(region.stats().succeeded, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn invoke_for(&mut self, now: Instant, f: FunctionId, handler: Handler) -> Result<Invoked, InvokeError> {
        let init = self.function(f).map_or(Duration::ZERO, |s| s.config.cold_start.init());
        self.invoke_inner(now, f, || init, Some(handler))
    }

    /// Like [`Region::invoke_for`], with this request's init duration in
    /// place of the profile's (used only if the request cold-starts).
    ///
    /// # Errors
    /// As [`Region::invoke`].
    pub fn invoke_for_with_init(
        &mut self,
        now: Instant,
        f: FunctionId,
        handler: Handler,
        init: Duration,
    ) -> Result<Invoked, InvokeError> {
        self.invoke_inner(now, f, || init, Some(handler))
    }

    /// Like [`Region::invoke_for_with_init`], asking `init` for the init
    /// duration only when the request cold-starts.
    ///
    /// # Errors
    /// As [`Region::invoke`].
    #[inline(always)]
    pub fn invoke_for_with(
        &mut self,
        now: Instant,
        f: FunctionId,
        handler: Handler,
        init: impl FnOnce() -> Duration,
    ) -> Result<Invoked, InvokeError> {
        self.invoke_inner(now, f, init, Some(handler))
    }

    #[inline(always)]
    fn invoke_inner(
        &mut self,
        now: Instant,
        f: FunctionId,
        init: impl FnOnce() -> Duration,
        handler: Option<Handler>,
    ) -> Result<Invoked, InvokeError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(InvokeError::UnknownFunction)?;
        self.invoke_now(fi, init, handler)
    }

    /// docs/model.md §2's decision order for function slot `fi` at the
    /// region's clock (events due already applied).
    #[inline(always)]
    pub(super) fn invoke_now(
        &mut self,
        fi: u32,
        init: impl FnOnce() -> Duration,
        handler: Option<Handler>,
    ) -> Result<Invoked, InvokeError> {
        let now = self.now;
        let took_request_token = match self.request_rate.as_mut().map(|bucket| bucket.try_take(now)) {
            Some(false) => return self.throttle(fi, ThrottleReason::RequestRateExceeded),
            Some(true) => true,
            None => false,
        };
        let took_alias_token = match self.take_alias_token(fi, now)? {
            Some(false) => return self.throttle(fi, ThrottleReason::FunctionInvocationRateLimitExceeded),
            Some(true) => true,
            None => false,
        };
        let (reserved, attached) = {
            let f = self.fn_slot(fi)?;
            (f.config.reserved, f.attached)
        };
        if reserved.is_some_and(|rc| attached >= rc) {
            return self.throttle(fi, ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded);
        }
        if self.ledger.account_full() {
            return self.throttle(fi, ThrottleReason::ConcurrentInvocationLimitExceeded);
        }
        let end = match self.config.warm_pick {
            WarmPick::MostRecentlyUsed => End::Newest,
            WarmPick::LeastRecentlyUsed => End::Oldest,
        };
        if let Some(i) = self.list_take(fi, ListTag::IdlePc, end)? {
            return Ok(self.start_on_idle(fi, i, init, handler)?);
        }
        if reserved.is_none() && self.ledger.unreserved_full() {
            return self.throttle(fi, ThrottleReason::ConcurrentInvocationLimitExceeded);
        }
        if let Some(i) = self.list_take(fi, ListTag::Idle, end)? {
            return Ok(self.start_on_idle(fi, i, init, handler)?);
        }
        if !self.has_free_env() {
            if took_request_token && let Some(bucket) = self.request_rate.as_mut() {
                bucket.give_back();
            }
            if took_alias_token {
                self.fn_slot_mut(fi)?.alias_rate.give_back();
            }
            return Err(InvokeError::CapacityExceeded);
        }
        let token = match self.legacy_scaling.as_mut() {
            Some(account) => account.try_take(now),
            None => self.fn_slot_mut(fi)?.scaling.try_take(now),
        };
        if !token {
            return self.throttle(fi, ThrottleReason::ScalingRateExceeded);
        }
        Ok(self.start_cold(fi, init, handler)?)
    }

    /// Starts a new on-demand environment for `f` without an invocation (a
    /// keep-alive policy pre-warming before expected traffic). It is created
    /// and initialized like a full cold start, then idles like any warm
    /// environment. It needs a scaling token like any new environment and
    /// is not concurrency (nothing is busy). Returns `None` when no scaling
    /// token is available.
    ///
    /// # Errors
    /// [`InvokeError::UnknownFunction`], [`InvokeError::TimeWentBackwards`],
    /// [`InvokeError::CapacityExceeded`] (no token spent).
    pub fn prewarm(&mut self, now: Instant, f: FunctionId) -> Result<Option<EnvId>, InvokeError> {
        self.advance(now)?;
        let fi = self.function_index(f).ok_or(InvokeError::UnknownFunction)?;
        if !self.has_free_env() {
            return Err(InvokeError::CapacityExceeded);
        }
        let token = match self.legacy_scaling.as_mut() {
            Some(account) => account.try_take(now),
            None => self.fn_slot_mut(fi)?.scaling.try_take(now),
        };
        if !token {
            return Ok(None);
        }
        let config = self.fn_slot(fi)?.config;
        let i = self.alloc_env(fi, EnvKind::OnDemand, false)?.ok_or(InvokeError::Internal)?;
        let create = config.cold_start.create();
        let (init, _) = Self::on_demand_init(config.cold_start.init());
        let slot = self.env_slot_mut(i)?;
        slot.ready_at = now.saturating_add(create).saturating_add(init);
        let env = EnvId { index: i, generation: slot.generation };
        self.list_push(fi, i, ListTag::Prewarming)?;
        self.set_env_timer(i, now.saturating_add(create));
        Ok(Some(env))
    }

    /// A token of function `fi`'s provisioned request rate (10 × its ready
    /// provisioned environments per second, the same factor as the
    /// account's): `None` when no limit applies.
    #[inline(always)]
    fn take_alias_token(&mut self, fi: u32, now: Instant) -> Result<Option<bool>, TimeError> {
        let per_pc = self.config.request_rate_per_limit;
        let f = self.fn_slot_mut(fi)?;
        let ready = f.pc.allocated.saturating_sub(f.pc.warming);
        Ok(f.alias_rate.try_take(now, ready, per_pc))
    }

    fn throttle(&mut self, fi: u32, reason: ThrottleReason) -> Result<Invoked, InvokeError> {
        self.fn_slot_mut(fi)?.stats.throttled(reason);
        if self.metrics.is_some() {
            self.emit_throttle(fi);
        }
        Ok(Invoked::Throttled(reason))
    }

    /// An on-demand init over 10 s is cut at the limit and retried inside
    /// the invoke (docs/model.md §1): returns (init phase, suppressed init).
    fn on_demand_init(init: Duration) -> (Duration, Duration) {
        if init > FunctionConfig::ON_DEMAND_INIT_LIMIT {
            (FunctionConfig::ON_DEMAND_INIT_LIMIT, init)
        } else {
            (init, Duration::ZERO)
        }
    }

    /// Starts an invocation on idle environment `i`, already taken out of
    /// its list: warm, provisioned, or partial cold when the env is reset.
    #[inline(always)]
    fn start_on_idle(
        &mut self,
        fi: u32,
        i: u32,
        init: impl FnOnce() -> Duration,
        handler: Option<Handler>,
    ) -> Result<Invoked, TimeError> {
        let now = self.now;
        let on_pc = self.env_slot(i)?.env.kind() == EnvKind::Provisioned;
        let timeout = self.fn_slot(fi)?.config.timeout();
        let next = self.transition(i, EnvEvent::Invoke)?;
        let (phase, suppressed) = match next {
            EnvState::Initializing => Self::on_demand_init(init()),
            _ => (Duration::ZERO, Duration::ZERO),
        };
        let kind = match (next, on_pc) {
            (EnvState::Initializing, _) => StartKind::PartialCold,
            (_, true) => StartKind::Provisioned,
            (_, false) => StartKind::Warm,
        };
        if on_pc {
            self.list_push(fi, i, ListTag::BusyPc)?;
        }
        let ready_at = now.saturating_add(phase);
        // A partial cold start's init runs inside the invoke: the timeout counts from now.
        let timeout_at = now.saturating_add(timeout);
        let started =
            self.attach(fi, i, kind, on_pc, Phases { init: phase, ready_at, timeout_at, suppressed }, handler)?;
        // A partial cold start's init runs inside the invoke and is billed with it.
        let from = if kind == StartKind::PartialCold { now } else { ready_at };
        let slot = self.env_slot_mut(i)?;
        slot.billable_from = from;
        slot.duration_from = from;
        // While the init runs, the timer is whichever comes first: init done or the timeout.
        let timer = if next == EnvState::Initializing { ready_at.min(timeout_at) } else { slot.busy_deadline() };
        self.set_env_timer(i, timer);
        Ok(Invoked::Started(started))
    }

    /// Starts an invocation on a new on-demand environment: a full cold start.
    fn start_cold(
        &mut self,
        fi: u32,
        init: impl FnOnce() -> Duration,
        handler: Option<Handler>,
    ) -> Result<Invoked, TimeError> {
        let now = self.now;
        let config = self.fn_slot(fi)?.config;
        let i = self.alloc_env(fi, EnvKind::OnDemand, true)?.ok_or(TimeError::Internal)?;
        let create = config.cold_start.create();
        let (phase, suppressed) = Self::on_demand_init(init());
        let total = create.saturating_add(phase);
        let ready_at = now.saturating_add(total);
        let timeout_at = ready_at.saturating_add(config.timeout());
        let phases = Phases { init: total, ready_at, timeout_at, suppressed };
        let started = self.attach(fi, i, StartKind::FullCold, false, phases, handler)?;
        // Init is billed (a setting); creating the sandbox never is.
        let init_start = now.saturating_add(create);
        let bill_init = self.config.bill_init;
        let slot = self.env_slot_mut(i)?;
        slot.billable_from = if bill_init { init_start } else { ready_at };
        slot.duration_from = ready_at;
        self.set_env_timer(i, now.saturating_add(create));
        Ok(Invoked::Started(started))
    }

    /// Counts a starting invocation everywhere and builds its answer.
    #[inline(always)]
    fn attach(
        &mut self,
        fi: u32,
        i: u32,
        start: StartKind,
        on_pc: bool,
        phases: Phases,
        handler: Option<Handler>,
    ) -> Result<Started, TimeError> {
        let Phases { init, ready_at, timeout_at, suppressed } = phases;
        let now = self.now;
        let f = self.functions.get_mut(fi as usize).ok_or(TimeError::Internal)?;
        let unreserved = f.uses_unreserved(on_pc);
        f.attached = f.attached.saturating_add(1);
        if on_pc {
            f.attached_pc = f.attached_pc.saturating_add(1);
        }
        let spillover = !on_pc && f.config.provisioned > 0;
        f.stats.started(start, on_pc, spillover);
        f.occupancy.busy_changed(now, true);
        self.occupancy.busy_changed(now, true);
        self.ledger.start(unreserved);
        let slot = self.env_slot_mut(i)?;
        slot.seq = slot.seq.wrapping_add(1).max(1);
        slot.timed_out = false;
        slot.start = start;
        slot.invoked_at = now;
        slot.ready_at = ready_at;
        slot.timeout_at = timeout_at;
        // The handler first re-runs a suppressed init (docs/model.md §1), then its own work.
        slot.end = handler.map(|h| (ready_at.saturating_add(suppressed).saturating_add(h.duration), h.outcome));
        let env = EnvId { index: i, generation: slot.generation };
        let seq = slot.seq;
        if self.metrics.is_some() {
            let cold = matches!(start, StartKind::FullCold | StartKind::PartialCold).then_some(init.as_micros());
            self.emit_start(fi, on_pc, cold);
        }
        Ok(Started {
            invocation: InvocationId { env, seq },
            env,
            start,
            on_provisioned: on_pc,
            init,
            ready_at,
            suppressed_init: suppressed,
        })
    }

    /// Ends an invocation at `now` with `outcome`.
    ///
    /// A success or function error leaves the environment idle and warm; a
    /// timeout or crash leaves it idle but reset (its next use is a partial
    /// cold start). A timeout during a partial cold start's init (which runs
    /// inside the invoke) does the same; any other failure reported before
    /// the cold start completed fails the init, and the environment is shut
    /// down (a provisioned one is replaced).
    ///
    /// # Errors
    /// [`FinishError::UnknownInvocation`] for a stale or finished handle;
    /// [`FinishError::TimedOut`] when the region already ended it at its
    /// timeout; [`FinishError::NotReady`] for a success before `ready_at`;
    /// [`FinishError::TimeWentBackwards`].
    pub fn finish(
        &mut self,
        now: Instant,
        invocation: InvocationId,
        outcome: Outcome,
    ) -> Result<Finished, FinishError> {
        self.advance(now)?;
        let i = invocation.env.index;
        let slot = *self.envs.get(i as usize).ok_or(FinishError::UnknownInvocation)?;
        if slot.generation != invocation.env.generation || slot.seq != invocation.seq {
            return Err(FinishError::UnknownInvocation);
        }
        if !slot.env.is_attached() {
            return Err(if slot.timed_out { FinishError::TimedOut } else { FinishError::UnknownInvocation });
        }
        let fi = slot.function;
        let function = FunctionId { index: fi, generation: self.fn_slot(fi)?.generation };
        let env = invocation.env;
        // Only a partial cold start's init runs inside the invoke: a timeout
        // there ends the invoke; any failure in a full cold start's init fails it.
        let resets_init = slot.env.state() == EnvState::Initializing
            && slot.start == StartKind::PartialCold
            && outcome == Outcome::Timeout;
        if slot.env.state() == EnvState::Busy || resets_init {
            self.end_invocation(i, outcome)?;
            let duration = now.saturating_since(slot.duration_from);
            let env_kept = self.env_state(env).is_some_and(|s| matches!(s, EnvState::Idle));
            return Ok(Finished { function, env, duration, env_kept });
        }
        if outcome == Outcome::Success {
            return Err(FinishError::NotReady);
        }
        self.abort_init(i, outcome)?;
        Ok(Finished { function, env, duration: Duration::ZERO, env_kept: false })
    }

    /// The attached invocation failed during its cold start: the init fails
    /// and the environment shuts down (a provisioned one is replaced).
    fn abort_init(&mut self, i: u32, outcome: Outcome) -> Result<(), TimeError> {
        let slot = *self.env_slot(i)?;
        let fi = slot.function;
        let on_pc = slot.env.kind() == EnvKind::Provisioned;
        self.detach(i, outcome)?;
        self.transition(i, EnvEvent::InitFailed)?;
        Stats::bump(&mut self.fn_slot_mut(fi)?.stats.init_failures);
        if on_pc && !slot.retire {
            let f = self.fn_slot_mut(fi)?;
            f.pc.allocated = f.pc.allocated.saturating_sub(1);
            self.emit_levels(fi);
            self.request_provisioned(fi, 1)?;
        }
        self.begin_shutdown(i)
    }
}
