//! The region's settings.

use crate::concurrency::ScalingRule;
use crate::error::ConfigError;
use crate::memory::MemoryRule;
use crate::pricing::Granularity;
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// Which idle environment a warm start reuses when several are idle (docs/model.md §1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum WarmPick {
    /// The one that became idle last: keeps the warm set small. The default.
    #[default]
    MostRecentlyUsed = 0,
    /// The one idle longest: spreads work over all warm environments.
    LeastRecentlyUsed = 1,
}

/// A region's settings. `Default` gives today's AWS rules and defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionConfig {
    /// Account concurrency limit. Default 1000.
    pub account_limit: u32,
    /// Concurrency that must stay unreserved. Default 100.
    pub unreserved_min: u32,
    /// Scaling-rate rule for new environments. Default [`ScalingRule::PerFunction`].
    pub scaling: ScalingRule,
    /// Synchronous requests per second allowed per unit of account limit:
    /// the request-rate limit is this × `account_limit` per second. Default
    /// 10; 0 turns the request-rate limit off.
    pub request_rate_per_limit: u32,
    /// How long an idle environment is kept. Default 10 min.
    pub idle_timeout: Duration,
    /// Maximum environment lifetime before recycling; zero = never. Default 2 h.
    pub max_lifetime: Duration,
    /// How long shutdown takes (0, 500 ms with internal extensions, 2 s with
    /// external ones). Default 0.
    pub shutdown: Duration,
    /// Which idle environment a warm start reuses. Default most recently used.
    pub warm_pick: WarmPick,
    /// Memory-size rule. Default [`MemoryRule::Current`].
    pub memory_rule: MemoryRule,
    /// Delay before a provisioned allocation starts creating environments. Default 60 s.
    pub provisioned_delay: Duration,
    /// Provisioned environments created per minute per function. Default 6000.
    pub provisioned_per_minute: u32,
    /// How billed duration rounds per invocation. Default 1 ms.
    pub granularity: Granularity,
    /// Whether an on-demand full cold start's init is billed (AWS bills it
    /// since 2025-08-01; before, it was free for zip functions on managed
    /// runtimes). Default true. Partial cold starts run init inside the
    /// invoke, which is always billed.
    pub bill_init: bool,
}

impl Default for RegionConfig {
    fn default() -> Self {
        RegionConfig {
            account_limit: 1_000,
            unreserved_min: 100,
            scaling: ScalingRule::PerFunction,
            request_rate_per_limit: 10,
            idle_timeout: Duration::from_mins(10),
            max_lifetime: Duration::from_mins(120),
            shutdown: Duration::ZERO,
            warm_pick: WarmPick::MostRecentlyUsed,
            memory_rule: MemoryRule::Current,
            provisioned_delay: Duration::from_secs(60),
            provisioned_per_minute: 6_000,
            granularity: Granularity::Ms1,
            bill_init: true,
        }
    }
}

impl RegionConfig {
    /// Checks the settings.
    ///
    /// # Errors
    /// [`ConfigError::AccountLimitTooLow`] when the limit is zero or below the
    /// unreserved minimum; [`ConfigError::InvalidSetting`] for a zero legacy
    /// burst or a provisioned ramp of zero or more than one per µs.
    pub const fn validate(&self) -> Result<(), ConfigError> {
        if self.account_limit == 0 || self.account_limit < self.unreserved_min {
            return Err(ConfigError::AccountLimitTooLow);
        }
        if let ScalingRule::LegacyAccount { burst: 0 } = self.scaling {
            return Err(ConfigError::InvalidSetting);
        }
        if self.provisioned_per_minute == 0 || self.provisioned_per_minute > 60_000_000 {
            return Err(ConfigError::InvalidSetting);
        }
        Ok(())
    }

    /// Time between two provisioned environments of one allocation
    /// (10 ms at 6000 per minute), rounded down to whole µs.
    pub const fn provisioned_interval(&self) -> Duration {
        let per_minute = if self.provisioned_per_minute == 0 { 1 } else { self.provisioned_per_minute };
        Duration::from_micros(60_000_000 / per_minute as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_aws_defaults() {
        let c = RegionConfig::default();
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.provisioned_interval(), Duration::from_millis(10));
        assert_eq!(c.idle_timeout, Duration::from_secs(600));
    }

    #[test]
    fn bad_settings_are_rejected() {
        let c = RegionConfig { account_limit: 50, ..RegionConfig::default() };
        assert_eq!(c.validate(), Err(ConfigError::AccountLimitTooLow));
        let c = RegionConfig { scaling: ScalingRule::LegacyAccount { burst: 0 }, ..RegionConfig::default() };
        assert_eq!(c.validate(), Err(ConfigError::InvalidSetting));
        let c = RegionConfig { provisioned_per_minute: 0, ..RegionConfig::default() };
        assert_eq!(c.validate(), Err(ConfigError::InvalidSetting));
    }
}
