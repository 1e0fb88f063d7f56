//! Provisioned-concurrency allocation bookkeeping of one function (SPEC §2).

use crate::function::ProvisionedStatus;

/// Where a function's provisioned allocation stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Provisioning {
    pub status: ProvisionedStatus,
    /// Environments the allocator has still to create.
    pub pending: u32,
    /// Provisioned environments that exist and are not being released.
    pub allocated: u32,
    /// Of those, the ones being created or initialized without an invocation.
    pub warming: u32,
}

impl Provisioning {
    /// Whether an allocation in progress has everything it asked for.
    pub const fn complete(&self) -> bool {
        self.pending == 0 && self.warming == 0
    }
}
