//! Intrusive doubly-linked lists through the environment table.
//!
//! Each environment is in at most one list at a time (its `list` tag says
//! which); the head is the newest entry, the tail the oldest.

/// "No slot": the end of a list.
pub(crate) const NIL: u32 = u32::MAX;

/// Which of its function's lists an environment is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ListTag {
    /// In no list (attached on-demand environments, cold-starting ones).
    None,
    /// Idle on-demand environments, reusable by a warm start.
    Idle,
    /// Idle provisioned environments that serve (allocation Ready).
    IdlePc,
    /// Provisioned environments of an allocation in progress: being created
    /// or initialized for the first time, or initialized and waiting for the
    /// whole allocation.
    WarmingPc,
    /// Provisioned environments re-initializing in place at their maximum
    /// lifetime (serving ones and waiting ones alike).
    RecyclingPc,
    /// Provisioned environments with an attached invocation.
    BusyPc,
    /// Environments shutting down.
    Shutting,
    /// On-demand environments created ahead of traffic, still cold-starting.
    Prewarming,
}

/// Head, tail and length of one list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct List {
    pub head: u32,
    pub tail: u32,
    pub len: u32,
}

impl List {
    pub const EMPTY: List = List { head: NIL, tail: NIL, len: 0 };
}
