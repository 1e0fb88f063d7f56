//! The memory a region works in: its environment and function tables and
//! their timers, lent by the caller (see [`crate::storage`]).
//!
//! Per environment slot a region holds its record, a timing-wheel node and
//! a far-heap entry ([`ENV_SLOT_BYTES`]); per function slot its record and
//! two heap entries ([`FUNCTION_SLOT_BYTES`]); plus the wheel's 4096
//! buckets (32 KiB) and about a kilobyte of fixed state.

use super::{DEFAULT_ENVS, DEFAULT_FUNCTIONS, EnvSlot, FunctionSlot};
use crate::storage::{Fixed, Slots};
use crate::timer::{Entry, NO_POSITION};
use crate::wheel::{BUCKETS, Bucket, EMPTY, NO_BUCKET, Node};
use core::mem::size_of;

/// Bytes of storage per environment slot.
pub const ENV_SLOT_BYTES: usize = size_of::<EnvSlot>() + size_of::<Node>() + size_of::<Entry>() + size_of::<u32>();
/// Bytes of storage per function slot.
pub const FUNCTION_SLOT_BYTES: usize = size_of::<FunctionSlot>() + 2 * (size_of::<Entry>() + size_of::<u32>());
/// Bytes of the timing wheel's buckets (the same for every region).
pub const WHEEL_BYTES: usize = BUCKETS * size_of::<Bucket>();

/// How many environments and functions a region may hold at once.
///
/// A full environment table makes an invoke [`crate::InvokeError::CapacityExceeded`]
/// (or pre-warming and provisioning stop short); a full function table
/// makes [`crate::Region::create_function`] fail the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Capacity {
    /// Environment slots: every environment not yet terminated holds one
    /// (idle, busy, initializing or shutting down).
    pub envs: usize,
    /// Function slots.
    pub functions: usize,
}

impl Capacity {
    /// 4096 environments and 64 functions.
    pub const DEFAULT: Capacity = Capacity { envs: DEFAULT_ENVS, functions: DEFAULT_FUNCTIONS };
    /// The most slots of either kind (slot indices must fit handles).
    pub const MAX: usize = (u32::MAX - 2) as usize;

    /// Whether both capacities are in `1..=MAX`.
    pub const fn is_valid(&self) -> bool {
        self.envs > 0 && self.functions > 0 && self.envs <= Self::MAX && self.functions <= Self::MAX
    }

    /// Bytes of storage at these capacities (all slots in use).
    pub const fn bytes(&self) -> usize {
        self.envs.saturating_mul(ENV_SLOT_BYTES).saturating_add(self.functions.saturating_mul(FUNCTION_SLOT_BYTES))
            + WHEEL_BYTES
    }
}

impl Default for Capacity {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Each table's slots, as a region takes them.
pub(super) struct Parts<'a> {
    pub envs: Slots<'a, EnvSlot>,
    pub env_nodes: Slots<'a, Node>,
    pub env_buckets: Fixed<'a, Bucket, BUCKETS>,
    pub env_far: Slots<'a, Entry>,
    pub env_far_pos: Slots<'a, u32>,
    pub functions: Slots<'a, FunctionSlot>,
    pub fn_heap: Slots<'a, Entry>,
    pub fn_pos: Slots<'a, u32>,
    pub idle_heap: Slots<'a, Entry>,
    pub idle_pos: Slots<'a, u32>,
}

/// Storage for a region of up to `ENVS` environments and `FUNCTIONS`
/// functions, to lend to [`crate::Region::new_in`]: for callers without a
/// heap, or who want the memory in one place they own.
///
/// It is large (`ENVS ×` [`ENV_SLOT_BYTES`] and more): build it where it
/// lives (a `static` cell, a `Box`, a long-lived owner) rather than moving
/// it. The region only borrows it, so the region itself is small to move.
#[derive(Clone, Debug)]
pub struct RegionStorage<const ENVS: usize = DEFAULT_ENVS, const FUNCTIONS: usize = DEFAULT_FUNCTIONS> {
    envs: [EnvSlot; ENVS],
    env_nodes: [Node; ENVS],
    env_buckets: [Bucket; BUCKETS],
    env_far: [Entry; ENVS],
    env_far_pos: [u32; ENVS],
    functions: [FunctionSlot; FUNCTIONS],
    fn_heap: [Entry; FUNCTIONS],
    fn_pos: [u32; FUNCTIONS],
    idle_heap: [Entry; FUNCTIONS],
    idle_pos: [u32; FUNCTIONS],
}

impl<const ENVS: usize, const FUNCTIONS: usize> RegionStorage<ENVS, FUNCTIONS> {
    const CAPACITY_OK: () = assert!(
        ENVS > 0 && FUNCTIONS > 0 && ENVS <= Capacity::MAX && FUNCTIONS <= Capacity::MAX,
        "a region needs 1..=u32::MAX - 2 slots of each kind"
    );

    /// Empty storage (a region built on it resets it anyway).
    pub fn new() -> Self {
        let () = Self::CAPACITY_OK;
        RegionStorage {
            envs: [EnvSlot::VACANT; ENVS],
            env_nodes: [EMPTY; ENVS],
            env_buckets: [NO_BUCKET; BUCKETS],
            env_far: [Entry::VACANT; ENVS],
            env_far_pos: [NO_POSITION; ENVS],
            functions: [FunctionSlot::vacant(); FUNCTIONS],
            fn_heap: [Entry::VACANT; FUNCTIONS],
            fn_pos: [NO_POSITION; FUNCTIONS],
            idle_heap: [Entry::VACANT; FUNCTIONS],
            idle_pos: [NO_POSITION; FUNCTIONS],
        }
    }

    /// The capacities a region built on it has.
    pub const fn capacity(&self) -> Capacity {
        Capacity { envs: ENVS, functions: FUNCTIONS }
    }

    pub(super) fn parts(&mut self) -> Parts<'_> {
        Parts {
            envs: Slots::from(&mut self.envs),
            env_nodes: Slots::from(&mut self.env_nodes),
            env_buckets: Fixed::Borrowed(&mut self.env_buckets),
            env_far: Slots::from(&mut self.env_far),
            env_far_pos: Slots::from(&mut self.env_far_pos),
            functions: Slots::from(&mut self.functions),
            fn_heap: Slots::from(&mut self.fn_heap),
            fn_pos: Slots::from(&mut self.fn_pos),
            idle_heap: Slots::from(&mut self.idle_heap),
            idle_pos: Slots::from(&mut self.idle_pos),
        }
    }
}

impl<const ENVS: usize, const FUNCTIONS: usize> Default for RegionStorage<ENVS, FUNCTIONS> {
    fn default() -> Self {
        Self::new()
    }
}

/// Owned tables that start small (16 environments, 4 functions) and grow
/// by doubling up to `capacity`.
#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "alloc")]
pub(super) fn owned_parts(capacity: Capacity) -> Parts<'static> {
    let (envs, functions) = (capacity.envs.min(16), capacity.functions.min(4));
    let (max_envs, max_functions) = (capacity.envs, capacity.functions);
    Parts {
        envs: Slots::owned(0, max_envs, EnvSlot::VACANT),
        env_nodes: Slots::owned(envs, max_envs, EMPTY),
        env_buckets: Fixed::Owned(alloc::boxed::Box::new([NO_BUCKET; BUCKETS])),
        env_far: Slots::owned(envs, max_envs, Entry::VACANT),
        env_far_pos: Slots::owned(envs, max_envs, NO_POSITION),
        functions: Slots::owned(0, max_functions, FunctionSlot::vacant()),
        fn_heap: Slots::owned(functions, max_functions, Entry::VACANT),
        fn_pos: Slots::owned(functions, max_functions, NO_POSITION),
        idle_heap: Slots::owned(functions, max_functions, Entry::VACANT),
        idle_pos: Slots::owned(functions, max_functions, NO_POSITION),
    }
}
