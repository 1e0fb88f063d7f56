//! `check_invariants`: docs/model.md §2's invariants, recounted from the tables.

use super::lists::{ListTag, NIL};
use super::{Region, StateCounts, Violation};
use crate::environment::{EnvKind, EnvState};

/// What a recount of one function's environments finds.
#[derive(Clone, Copy, Default)]
struct Recount {
    states: StateCounts,
    attached: u32,
    attached_pc: u32,
    pc_allocated: u32,
    pc_warming: u32,
    lists: [u32; 7],
}

fn list_index(tag: ListTag) -> Option<usize> {
    match tag {
        ListTag::None => None,
        ListTag::Idle => Some(0),
        ListTag::IdlePc => Some(1),
        ListTag::WarmingPc => Some(2),
        ListTag::BusyPc => Some(3),
        ListTag::Shutting => Some(4),
        ListTag::Prewarming => Some(5),
        ListTag::RecyclingPc => Some(6),
    }
}

/// Whether an environment in `state` may sit in list `tag`.
fn list_fits(state: EnvState, kind: EnvKind, attached: bool, tag: ListTag) -> bool {
    use EnvState as S;
    match (kind, tag) {
        (_, ListTag::Shutting) => state == S::ShuttingDown,
        (EnvKind::OnDemand, ListTag::Idle) => state == S::Idle,
        (EnvKind::OnDemand, ListTag::None) => attached,
        (EnvKind::OnDemand, ListTag::Prewarming) => !attached && matches!(state, S::Creating | S::Initializing),
        (EnvKind::Provisioned, ListTag::IdlePc) => state == S::Idle,
        (EnvKind::Provisioned, ListTag::WarmingPc) => !attached && state != S::Busy,
        (EnvKind::Provisioned, ListTag::RecyclingPc) => !attached && state == S::Initializing,
        (EnvKind::Provisioned, ListTag::BusyPc) => attached,
        // A retired busy provisioned environment has left the allocation's lists.
        (EnvKind::Provisioned, ListTag::None) => attached,
        _ => false,
    }
}

/// Functions recounted per pass of [`Region::check_invariants`].
const RECOUNT_CHUNK: usize = 64;

impl Region<'_> {
    /// Recounts the environment table and checks docs/model.md §2's invariants 1–4
    /// and 7 (5, 6 and 8 are properties of operation sequences, checked by
    /// the property tests). O(environments + functions): for tests and
    /// debugging, not for hot paths.
    ///
    /// # Errors
    /// The first [`Violation`] found.
    pub fn check_invariants(&self) -> Result<(), Violation> {
        let mut live = 0u32;
        for (i, slot) in self.envs.iter().enumerate() {
            let env = slot.env;
            if env.state() == EnvState::Terminated {
                continue;
            }
            let bad_list = Violation::List { env: i as u32 };
            if slot.function as usize >= self.functions.len()
                || !list_fits(env.state(), env.kind(), env.is_attached(), slot.list)
            {
                return Err(bad_list);
            }
            // Serving ones are idle or busy (or re-initializing); waiting ones are not.
            let serving_fits = match slot.list {
                ListTag::IdlePc | ListTag::BusyPc => slot.serving,
                ListTag::WarmingPc => !slot.serving,
                _ => true,
            };
            if env.kind() == EnvKind::Provisioned && !serving_fits {
                return Err(bad_list);
            }
            live += u32::from(env.is_live());
        }
        if live != self.live
            || self.occupancy.live() != live
            || u64::from(self.occupancy.busy()) != self.ledger.busy_total()
        {
            return Err(Violation::Counter { function: u32::MAX });
        }
        let (mut busy, mut unreserved) = (0u64, 0u64);
        // Recount RECOUNT_CHUNK functions per pass over the environments:
        // a fixed stack array whatever the function capacity.
        for first in (0..self.functions.len()).step_by(RECOUNT_CHUNK) {
            let counts = self.recount(first);
            for (fi, f) in self.functions.iter().enumerate().skip(first).take(RECOUNT_CHUNK) {
                let c = counts.get(fi - first).ok_or(Violation::Counter { function: fi as u32 })?;
                self.check_function(fi as u32, f, c)?;
                busy += u64::from(c.attached);
                if f.config.reserved.is_none() {
                    unreserved += u64::from(c.attached - c.attached_pc);
                }
            }
        }
        if busy != self.ledger.busy_total() || unreserved != self.ledger.unreserved_in_use() {
            return Err(Violation::Counter { function: u32::MAX });
        }
        if busy > u64::from(self.config.account_limit) {
            return Err(Violation::AccountLimit);
        }
        if unreserved > self.ledger.unreserved_pool() && !self.unreserved_draining {
            return Err(Violation::UnreservedPool);
        }
        self.check_async()
    }

    /// The environment counts of functions `first..first + RECOUNT_CHUNK`.
    fn recount(&self, first: usize) -> [Recount; RECOUNT_CHUNK] {
        let mut counts = [Recount::default(); RECOUNT_CHUNK];
        for slot in self.envs.iter() {
            let env = slot.env;
            let Some(c) = (slot.function as usize).checked_sub(first).and_then(|k| counts.get_mut(k)) else {
                continue;
            };
            if env.state() == EnvState::Terminated {
                continue;
            }
            if let Some(k) = list_index(slot.list)
                && let Some(n) = c.lists.get_mut(k)
            {
                *n += 1;
            }
            c.states.moved(None, env.state());
            // A busy provisioned environment released from the allocation counts as on-demand.
            let in_allocation = env.kind() == EnvKind::Provisioned && !slot.retire;
            if env.is_attached() {
                c.attached += 1;
                c.attached_pc += u32::from(in_allocation);
            }
            if in_allocation && env.is_live() {
                c.pc_allocated += 1;
                if slot.list == ListTag::WarmingPc && matches!(env.state(), EnvState::Creating | EnvState::Initializing)
                {
                    c.pc_warming += 1;
                }
            }
        }
        counts
    }

    fn check_function(&self, fi: u32, f: &super::FunctionSlot, c: &Recount) -> Result<(), Violation> {
        let counter = Violation::Counter { function: fi };
        if !f.in_use {
            return if c.states.live() + c.states.get(crate::environment::EnvState::ShuttingDown) == 0 {
                Ok(())
            } else {
                Err(counter)
            };
        }
        let lists = [f.idle, f.idle_pc, f.warming_pc, f.busy_pc, f.shutting, f.prewarming, f.recycling_pc];
        for (list, &n) in lists.iter().zip(c.lists.iter()) {
            if list.len != n || (n == 0) != (list.head == NIL) || (n == 0) != (list.tail == NIL) {
                return Err(counter);
            }
        }
        if c.states != f.states || c.attached != f.attached || c.attached_pc != f.attached_pc {
            return Err(counter);
        }
        if f.occupancy.live() != c.states.live() || f.occupancy.busy() != c.attached {
            return Err(counter);
        }
        if c.pc_allocated != f.pc.allocated || c.pc_warming != f.pc.warming {
            return Err(counter);
        }
        if f.config.reserved.is_some_and(|rc| f.attached > rc) && !f.draining {
            return Err(Violation::ReservedLimit { function: fi });
        }
        if f.attached_pc > f.pc.allocated {
            return Err(Violation::ProvisionedBusy { function: fi });
        }
        Ok(())
    }
}
