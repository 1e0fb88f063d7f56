//! Provisioned-concurrency allocation bookkeeping of one function, and the
//! fast-forward of periodic recycling (docs/model.md §1–§2).

use super::lists::{ListTag, NIL};
use super::{EnvSlot, Region};
use crate::environment::{EnvKind, EnvState};
use crate::error::TimeError;
use crate::function::ProvisionedStatus;
use crate::time::{Duration, Instant};

/// Where a function's provisioned allocation stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Provisioning {
    pub status: ProvisionedStatus,
    /// Environments the allocator has still to create.
    pub pending: u32,
    /// Provisioned environments that exist and are not being released.
    pub allocated: u32,
    /// Of those, the ones being created or initialized for the first time
    /// without an invocation (recycling ones are not counted: recycling
    /// never delays an allocation's Ready).
    pub warming: u32,
}

impl Provisioning {
    /// Whether an allocation in progress has everything it asked for.
    pub const fn complete(&self) -> bool {
        self.pending == 0 && self.warming == 0
    }
}

impl EnvSlot {
    /// Whether this environment's pending timer (if any) is periodic
    /// recycling: an idle provisioned environment's lifetime, or the end of
    /// its re-initialization in place.
    pub(super) fn recycles(&self) -> bool {
        let env = &self.env;
        env.kind() == EnvKind::Provisioned
            && !env.is_attached()
            && match env.state() {
                EnvState::Idle => true,
                EnvState::Initializing => self.list == ListTag::RecyclingPc && !self.init_fails,
                _ => false,
            }
    }
}

impl Region<'_> {
    /// Called by `advance` (towards `until`) right after an environment of
    /// function `fi` started recycling: skips whole recycling periods of
    /// that function's provisioned environments at once when nothing else
    /// can happen meanwhile.
    ///
    /// Exact, not an approximation: once every environment of the function
    /// has recycled since the last other change (more than two periods
    /// ago), the function's recycling repeats itself every `period` =
    /// max(lifetime, init). Its environments' timestamps and timers then
    /// move by a whole number of periods, keeping their sequence numbers
    /// (so their order among themselves and towards every other timer is
    /// the one stepping gives), their lists' order is what stepping leaves,
    /// and the skipped inits are billed. Every skipped event, and every
    /// moved timer, stays strictly before `until` + 1 µs and before the
    /// earliest other event (`horizon`). Other functions' recycling
    /// commutes with this function's, so it is applied, or skipped, later.
    pub(super) fn fast_forward_recycling(
        &mut self,
        fi: u32,
        until: Instant,
        horizon: &mut Option<u128>,
    ) -> Result<(), TimeError> {
        let lifetime = self.config.max_lifetime;
        let config = self.fn_slot(fi)?.config;
        let (init, fails) = Self::provisioned_init(&config, config.cold_start.init());
        if lifetime.is_zero() || fails {
            return Ok(());
        }
        let period = u128::from(lifetime.max(init).as_micros());
        let t = u128::from(self.now.as_micros());
        let end = u128::from(until.as_micros()) + 1;
        let settled = t > u128::from(self.quiet_since.as_micros()) + 2 * period;
        if !settled || end <= t + 2 * period {
            return Ok(());
        }
        let limit = end.min(*horizon.get_or_insert_with(|| self.recycling_horizon()));
        // Skipping k periods keeps everything before `limit` when t + (k+1)·period < limit.
        let periods = (limit.saturating_sub(t + 1) / period).saturating_sub(1);
        let Ok(shift) = u64::try_from(periods * period) else { return Ok(()) };
        if periods == 0 {
            return Ok(());
        }
        let shift = Duration::from_micros(shift);
        let mut moved = 0u128;
        for tag in [ListTag::IdlePc, ListTag::WarmingPc, ListTag::RecyclingPc] {
            let mut i = self.list_of(fi, tag)?.head;
            while i != NIL {
                let slot = self.env_slot_mut(i)?;
                let next = slot.next;
                if slot.recycles() && slot.timer_seq != 0 {
                    slot.env.shift(shift);
                    slot.ready_at = slot.ready_at.saturating_add(shift);
                    slot.timer_at = slot.timer_at.saturating_add(shift);
                    let (at, seq) = (slot.timer_at, slot.timer_seq);
                    self.env_timers.set(i, at, seq);
                    moved += 1;
                }
                i = next;
            }
        }
        self.meter_provisioned_inits(fi, init, periods * moved)
    }

    /// The earliest deadline of a time-driven event other than provisioned
    /// recycling (`u64::MAX + 1` when there is none). O(environment slots):
    /// called only when at least two recycling periods can be skipped.
    fn recycling_horizon(&self) -> u128 {
        let queues = [self.fn_timers.peek(), self.idle_timers.peek(), self.async_timer_peek()];
        let mut horizon = queues.into_iter().flatten().map(|t| u128::from(t.at.as_micros())).min();
        for slot in self.envs.iter().filter(|s| s.timer_seq != 0 && !s.recycles()) {
            let at = u128::from(slot.timer_at.as_micros());
            horizon = Some(horizon.map_or(at, |h| h.min(at)));
        }
        horizon.unwrap_or(u128::from(u64::MAX) + 1)
    }
}
