//! A function's configuration and its provisioned-concurrency status (docs/model.md §1–§3).

use crate::error::ConfigError;
use crate::memory::{MemoryMb, MemoryRule};
use crate::pricing::{Architecture, FREE_EPHEMERAL_MB, MAX_EPHEMERAL_MB};
use crate::time::Duration;
use core::fmt;
use serde::{Deserialize, Serialize};

/// How long a function's cold start takes (docs/model.md §1).
///
/// A full cold start spends `sandbox_us + download_us_per_mb × package_mb`
/// creating the environment, then `init_us` initializing it. A partial cold
/// start (after a reset) spends only `init_us`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ColdStartProfile {
    /// Starting the microVM sandbox, µs. Default 125 ms.
    pub sandbox_us: u64,
    /// Downloading one MB of the code package, µs. Default 1 ms.
    pub download_us_per_mb: u64,
    /// Code package size, MB (at most 10 240, the container-image limit). Default 5.
    pub package_mb: u32,
    /// Extensions + runtime bootstrap + the function's static init, µs. Default 250 ms.
    pub init_us: u64,
}

impl Default for ColdStartProfile {
    fn default() -> Self {
        ColdStartProfile { sandbox_us: 125_000, download_us_per_mb: 1_000, package_mb: 5, init_us: 250_000 }
    }
}

impl ColdStartProfile {
    /// The largest package the model accepts: a 10 GB container image.
    pub const MAX_PACKAGE_MB: u32 = 10_240;

    /// Time to create the environment (sandbox + code download).
    pub fn create(&self) -> Duration {
        let download = self.download_us_per_mb.saturating_mul(u64::from(self.package_mb));
        Duration::from_micros(self.sandbox_us.saturating_add(download))
    }
    /// Time to initialize (runtime + function init).
    pub const fn init(&self) -> Duration {
        Duration::from_micros(self.init_us)
    }
}

/// A function's configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct FunctionConfig {
    /// Memory in MB (128..=10240; legacy rule 128..=3008 in 64 MB steps). Default 128.
    pub memory_mb: u32,
    /// Timeout in ms, 1..=900 000. Default 3000.
    pub timeout_ms: u32,
    /// Reserved concurrency: guarantee and cap. `None` (the default) shares the unreserved pool.
    pub reserved: Option<u32>,
    /// Provisioned concurrency. Default 0.
    pub provisioned: u32,
    /// Cold-start durations.
    pub cold_start: ColdStartProfile,
    /// Instruction-set architecture (prices differ). Default x86_64.
    pub architecture: Architecture,
    /// Ephemeral storage (/tmp), MB, 512..=10240. Default 512 (the free amount).
    pub ephemeral_mb: u32,
}

impl Default for FunctionConfig {
    fn default() -> Self {
        FunctionConfig {
            memory_mb: MemoryMb::DEFAULT.get(),
            timeout_ms: FunctionConfig::DEFAULT_TIMEOUT_MS,
            reserved: None,
            provisioned: 0,
            cold_start: ColdStartProfile::default(),
            architecture: Architecture::X86_64,
            ephemeral_mb: FREE_EPHEMERAL_MB,
        }
    }
}

impl FunctionConfig {
    /// The default timeout, 3 s.
    pub const DEFAULT_TIMEOUT_MS: u32 = 3_000;
    /// The largest timeout, 900 s.
    pub const MAX_TIMEOUT_MS: u32 = 900_000;
    /// On-demand init limit: past it, init is retried inside the first invoke.
    pub const ON_DEMAND_INIT_LIMIT: Duration = Duration::from_secs(10);
    /// Provisioned init limit floor: the limit is `max(130 s, timeout)`.
    pub const PROVISIONED_INIT_LIMIT_MIN: Duration = Duration::from_secs(130);

    /// Checks everything that does not depend on the rest of the account.
    ///
    /// # Errors
    /// Memory out of range for `rule`, timeout outside 1..=900 s, ephemeral
    /// storage outside 512..=10240 MB, package too large, or PC above RC.
    pub fn validate(&self, rule: MemoryRule) -> Result<(), ConfigError> {
        MemoryMb::with_rule(self.memory_mb, rule)?;
        if self.timeout_ms == 0 || self.timeout_ms > Self::MAX_TIMEOUT_MS {
            return Err(ConfigError::TimeoutOutOfRange);
        }
        if !(FREE_EPHEMERAL_MB..=MAX_EPHEMERAL_MB).contains(&self.ephemeral_mb) {
            return Err(ConfigError::EphemeralOutOfRange);
        }
        if self.cold_start.package_mb > ColdStartProfile::MAX_PACKAGE_MB {
            return Err(ConfigError::PackageTooLarge);
        }
        if let Some(rc) = self.reserved
            && self.provisioned > rc
        {
            return Err(ConfigError::ProvisionedExceedsReserved);
        }
        Ok(())
    }

    /// The timeout as a duration.
    pub const fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms as u64)
    }

    /// The provisioned init limit, `max(130 s, timeout)`.
    pub const fn provisioned_init_limit(&self) -> Duration {
        Self::PROVISIONED_INIT_LIMIT_MIN.max(self.timeout())
    }
}

/// The status of a function's provisioned-concurrency allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum ProvisionedStatus {
    /// No provisioned concurrency is configured.
    #[default]
    None = 0,
    /// Allocation is under way; new environments do not serve yet.
    InProgress = 1,
    /// All requested environments are initialized and serving.
    Ready = 2,
    /// An environment's init failed or exceeded `max(130 s, timeout)`.
    Failed = 3,
}

impl ProvisionedStatus {
    /// The status as AWS names it (`NONE` for none configured).
    pub const fn name(self) -> &'static str {
        match self {
            ProvisionedStatus::None => "NONE",
            ProvisionedStatus::InProgress => "IN_PROGRESS",
            ProvisionedStatus::Ready => "READY",
            ProvisionedStatus::Failed => "FAILED",
        }
    }
}

impl fmt::Display for ProvisionedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        let ok = FunctionConfig::default();
        assert_eq!(ok.validate(MemoryRule::Current), Ok(()));
        let bad = |f: fn(&mut FunctionConfig)| {
            let mut c = FunctionConfig::default();
            f(&mut c);
            c.validate(MemoryRule::Current)
        };
        assert_eq!(bad(|c| c.memory_mb = 127), Err(ConfigError::MemoryBelowMinimum));
        assert_eq!(bad(|c| c.memory_mb = 10_241), Err(ConfigError::MemoryAboveMaximum));
        assert_eq!(bad(|c| c.timeout_ms = 0), Err(ConfigError::TimeoutOutOfRange));
        assert_eq!(bad(|c| c.timeout_ms = 900_001), Err(ConfigError::TimeoutOutOfRange));
        assert_eq!(bad(|c| c.cold_start.package_mb = 10_241), Err(ConfigError::PackageTooLarge));
        assert_eq!(bad(|c| c.ephemeral_mb = 511), Err(ConfigError::EphemeralOutOfRange));
        assert_eq!(bad(|c| c.ephemeral_mb = 10_241), Err(ConfigError::EphemeralOutOfRange));
        assert_eq!(
            bad(|c| {
                c.reserved = Some(2);
                c.provisioned = 3;
            }),
            Err(ConfigError::ProvisionedExceedsReserved)
        );
        let mut legacy = FunctionConfig { memory_mb: 200, ..FunctionConfig::default() };
        assert_eq!(legacy.validate(MemoryRule::Legacy64), Err(ConfigError::MemoryNotOnStep));
        legacy.memory_mb = 192;
        assert_eq!(legacy.validate(MemoryRule::Legacy64), Ok(()));
    }

    #[test]
    fn cold_start_and_limits() {
        let p = ColdStartProfile { sandbox_us: 125_000, download_us_per_mb: 1_000, package_mb: 50, init_us: 1 };
        assert_eq!(p.create(), Duration::from_millis(175));
        let c = FunctionConfig { timeout_ms: 900_000, ..FunctionConfig::default() };
        assert_eq!(c.provisioned_init_limit(), Duration::from_secs(900));
        assert_eq!(FunctionConfig::default().provisioned_init_limit(), Duration::from_secs(130));
    }
}
