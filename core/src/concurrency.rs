//! Concurrency accounting (docs/model.md §2): the account ledger, the rate buckets
//! and the throttle reasons.
//!
//! The [`Ledger`] keeps the account-wide sums (ΣRC, ΣPC of functions without
//! RC, busy, unreserved in use) up to date on every change, so each check in
//! `invoke` is O(1). [`TokenBucket`] is the exact, integer token bucket every
//! rate rule uses: credit is kept in units of token × refill period, so
//! refills like 500 per minute are exact (docs/model.md §2).

use crate::error::ConfigError;
use crate::time::{Duration, Instant};
use core::fmt;
use serde::{Deserialize, Serialize};

/// The AWS reason a request was throttled (HTTP 429 `TooManyRequestsException`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum ThrottleReason {
    /// The account's or the unreserved pool's concurrency is exhausted.
    ConcurrentInvocationLimitExceeded = 0,
    /// The function's reserved concurrency is exhausted (or is 0).
    ReservedFunctionConcurrentInvocationLimitExceeded = 1,
    /// The account's synchronous request rate (10 × limit per second) is exhausted.
    RequestRateExceeded = 2,
    /// No scaling token for a new environment (1000 per 10 s per function,
    /// or the legacy account burst then 500 per minute).
    ScalingRateExceeded = 3,
    /// The synchronous request rate of a function with provisioned
    /// concurrency (the version or alias it is configured on) is exhausted:
    /// 10 × its allocated provisioned concurrency per second.
    FunctionInvocationRateLimitExceeded = 4,
}

impl ThrottleReason {
    /// How many reasons there are (the length of per-reason arrays).
    pub const COUNT: usize = 5;

    /// Every reason, in code order.
    pub const ALL: [ThrottleReason; ThrottleReason::COUNT] = [
        ThrottleReason::ConcurrentInvocationLimitExceeded,
        ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded,
        ThrottleReason::RequestRateExceeded,
        ThrottleReason::ScalingRateExceeded,
        ThrottleReason::FunctionInvocationRateLimitExceeded,
    ];

    /// The reason as AWS names it.
    pub const fn name(self) -> &'static str {
        match self {
            ThrottleReason::ConcurrentInvocationLimitExceeded => "ConcurrentInvocationLimitExceeded",
            ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded => {
                "ReservedFunctionConcurrentInvocationLimitExceeded"
            }
            ThrottleReason::RequestRateExceeded => "RequestRateExceeded",
            ThrottleReason::ScalingRateExceeded => "ScalingRateExceeded",
            ThrottleReason::FunctionInvocationRateLimitExceeded => "FunctionInvocationRateLimitExceeded",
        }
    }
}

impl fmt::Display for ThrottleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which scaling-rate rule applies to new environments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
#[derive(Default)]
pub enum ScalingRule {
    /// Since 2023-11-27: per function, 1000 new environments per 10 s,
    /// refilled continuously at 100 per second. The default.
    #[default]
    PerFunction,
    /// Before: an account-wide initial burst, then +500 per minute.
    LegacyAccount {
        /// The burst: 3000, 1000 or 500 depending on the region
        /// (see [`ScalingRule::legacy_burst_for`]).
        burst: u32,
    },
}

impl ScalingRule {
    /// Capacity of the current rule's per-function bucket.
    pub const PER_FUNCTION_BURST: u32 = 1_000;
    /// Refill of the current rule's bucket, per second.
    pub const PER_FUNCTION_PER_SECOND: u32 = 100;
    /// Refill of the legacy rule's account bucket, per minute.
    pub const LEGACY_PER_MINUTE: u32 = 500;

    /// The legacy initial burst of an AWS region: 3000 in us-east-1,
    /// us-west-2 and eu-west-1; 1000 in ap-northeast-1, eu-central-1 and
    /// us-east-2; 500 elsewhere.
    pub fn legacy_burst_for(region: &str) -> u32 {
        match region {
            "us-east-1" | "us-west-2" | "eu-west-1" => 3_000,
            "ap-northeast-1" | "eu-central-1" | "us-east-2" => 1_000,
            _ => 500,
        }
    }
}

/// An exact token bucket: starts full, refills `refill` tokens every `period`
/// continuously, never holds more than `capacity`.
///
/// Credit is kept in units of token × `period_us`: the bucket gains `refill`
/// units per µs and a token costs `period_us` units, so every rate is exact in
/// integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenBucket {
    units: u64,
    capacity_units: u64,
    gain_per_us: u64,
    token_units: u64,
    last: Instant,
}

impl TokenBucket {
    /// An empty bucket that never refills (a vacant slot's placeholder).
    pub(crate) const UNUSED: TokenBucket =
        TokenBucket { units: 0, capacity_units: 0, gain_per_us: 0, token_units: 1, last: Instant::ZERO };

    /// A full bucket of `capacity` tokens refilling `refill` per `period`.
    ///
    /// # Errors
    /// [`ConfigError::InvalidSetting`] when `refill` or `period` is zero.
    pub fn new(capacity: u64, refill: u64, period: Duration, now: Instant) -> Result<Self, ConfigError> {
        if refill == 0 || period.is_zero() {
            return Err(ConfigError::InvalidSetting);
        }
        let token_units = period.as_micros();
        let capacity_units = capacity.saturating_mul(token_units);
        Ok(TokenBucket { units: capacity_units, capacity_units, gain_per_us: refill, token_units, last: now })
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_since(self.last).as_micros();
        let gained = elapsed.saturating_mul(self.gain_per_us);
        self.units = self.units.saturating_add(gained).min(self.capacity_units);
        if now > self.last {
            self.last = now;
        }
    }

    /// Whole tokens available at `now`.
    pub fn tokens(&self, now: Instant) -> u64 {
        let mut b = *self;
        b.refill(now);
        b.units / b.token_units
    }

    /// Takes one token at `now` if there is one.
    pub fn try_take(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.units >= self.token_units {
            self.units -= self.token_units;
            true
        } else {
            false
        }
    }

    /// Changes the bucket to hold `capacity` tokens refilling `capacity` per
    /// its period, from `now` on: credit earned before `now` is earned at the
    /// old rate; added capacity arrives full (like a new bucket), removed
    /// capacity takes its tokens with it.
    pub(crate) fn resize(&mut self, capacity: u64, now: Instant) {
        self.refill(now);
        let capacity_units = capacity.saturating_mul(self.token_units);
        if capacity_units > self.capacity_units {
            self.units = self.units.saturating_add(capacity_units - self.capacity_units);
        }
        self.capacity_units = capacity_units;
        self.units = self.units.min(capacity_units);
        self.gain_per_us = capacity;
    }

    /// Returns a token taken by a request that then failed with an error.
    pub fn give_back(&mut self) {
        self.units = self.units.saturating_add(self.token_units).min(self.capacity_units);
    }
}

/// A function's concurrency settings, as the ledger sees them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcurrencySettings {
    /// Reserved concurrency: guarantee and cap. `None` uses the unreserved pool.
    pub reserved: Option<u32>,
    /// Provisioned concurrency (configured, ready or not).
    pub provisioned: u32,
}

/// The account-wide concurrency sums of one region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    account_limit: u32,
    unreserved_min: u32,
    reserved_total: u64,
    provisioned_unreserved_total: u64,
    busy_total: u64,
    unreserved_in_use: u64,
}

impl Ledger {
    /// A ledger for an account limit and unreserved minimum.
    ///
    /// # Errors
    /// [`ConfigError::AccountLimitTooLow`] when the limit is zero or below
    /// the minimum.
    pub const fn new(account_limit: u32, unreserved_min: u32) -> Result<Self, ConfigError> {
        if account_limit == 0 || account_limit < unreserved_min {
            return Err(ConfigError::AccountLimitTooLow);
        }
        Ok(Ledger {
            account_limit,
            unreserved_min,
            reserved_total: 0,
            provisioned_unreserved_total: 0,
            busy_total: 0,
            unreserved_in_use: 0,
        })
    }

    /// The account concurrency limit.
    pub const fn account_limit(&self) -> u32 {
        self.account_limit
    }
    /// ΣRC over all functions.
    pub const fn reserved_total(&self) -> u64 {
        self.reserved_total
    }
    /// ΣPC over functions without RC.
    pub const fn provisioned_unreserved_total(&self) -> u64 {
        self.provisioned_unreserved_total
    }
    /// Busy environments in the whole account (init counts as busy).
    pub const fn busy_total(&self) -> u64 {
        self.busy_total
    }
    /// Busy on-demand environments of functions without RC.
    pub const fn unreserved_in_use(&self) -> u64 {
        self.unreserved_in_use
    }
    /// `limit − ΣRC − ΣPC(functions without RC)`.
    pub const fn unreserved_pool(&self) -> u64 {
        (self.account_limit as u64)
            .saturating_sub(self.reserved_total)
            .saturating_sub(self.provisioned_unreserved_total)
    }
    /// Claimed account concurrency: unreserved in use + ΣRC + ΣPC(no RC).
    pub const fn claimed(&self) -> u64 {
        self.unreserved_in_use.saturating_add(self.reserved_total).saturating_add(self.provisioned_unreserved_total)
    }
    /// Whether the whole account is at its limit (decision step 4).
    pub const fn account_full(&self) -> bool {
        self.busy_total >= self.account_limit as u64
    }
    /// Whether the unreserved pool is exhausted (decision step 6).
    pub const fn unreserved_full(&self) -> bool {
        self.unreserved_in_use >= self.unreserved_pool()
    }

    fn contribution(s: ConcurrencySettings) -> (u64, u64) {
        match s.reserved {
            Some(rc) => (u64::from(rc), 0),
            None => (0, u64::from(s.provisioned)),
        }
    }

    /// Checks a function's change from `old` to `new` settings.
    ///
    /// # Errors
    /// [`ConfigError::ProvisionedExceedsReserved`] when PC > RC;
    /// [`ConfigError::UnreservedBelowMinimum`] when the unreserved pool
    /// would drop below the minimum.
    pub fn check_change(&self, old: ConcurrencySettings, new: ConcurrencySettings) -> Result<(), ConfigError> {
        if let Some(rc) = new.reserved
            && new.provisioned > rc
        {
            return Err(ConfigError::ProvisionedExceedsReserved);
        }
        let (old_rc, old_pc) = Self::contribution(old);
        let (new_rc, new_pc) = Self::contribution(new);
        let rc = self.reserved_total.saturating_sub(old_rc).saturating_add(new_rc);
        let pc = self.provisioned_unreserved_total.saturating_sub(old_pc).saturating_add(new_pc);
        let unreserved = u64::from(self.account_limit).saturating_sub(rc).saturating_sub(pc);
        let claimed = rc.saturating_add(pc);
        if claimed > u64::from(self.account_limit) || unreserved < u64::from(self.unreserved_min) {
            return Err(ConfigError::UnreservedBelowMinimum);
        }
        Ok(())
    }

    /// Applies a checked change. `busy_on_demand` is the function's busy
    /// on-demand count, which moves in or out of the unreserved pool when RC
    /// is set or removed.
    pub fn apply_change(&mut self, old: ConcurrencySettings, new: ConcurrencySettings, busy_on_demand: u64) {
        let (old_rc, old_pc) = Self::contribution(old);
        let (new_rc, new_pc) = Self::contribution(new);
        self.reserved_total = self.reserved_total.saturating_sub(old_rc).saturating_add(new_rc);
        self.provisioned_unreserved_total =
            self.provisioned_unreserved_total.saturating_sub(old_pc).saturating_add(new_pc);
        match (old.reserved.is_some(), new.reserved.is_some()) {
            (false, true) => self.unreserved_in_use = self.unreserved_in_use.saturating_sub(busy_on_demand),
            (true, false) => self.unreserved_in_use = self.unreserved_in_use.saturating_add(busy_on_demand),
            _ => {}
        }
    }

    /// Records an invocation starting (`uses_unreserved`: on-demand env of a
    /// function without RC).
    pub fn start(&mut self, uses_unreserved: bool) {
        self.busy_total = self.busy_total.saturating_add(1);
        if uses_unreserved {
            self.unreserved_in_use = self.unreserved_in_use.saturating_add(1);
        }
    }

    /// Records that a busy invocation's provisioned environment left the
    /// allocation (provisioned concurrency was lowered under load): from now
    /// on it counts as on-demand concurrency, in the unreserved pool when
    /// `uses_unreserved` (its function has no RC). End it with
    /// `end(uses_unreserved)`.
    pub fn left_provisioned(&mut self, uses_unreserved: bool) {
        if uses_unreserved {
            self.unreserved_in_use = self.unreserved_in_use.saturating_add(1);
        }
    }

    /// Records an invocation ending; the mirror of [`Ledger::start`].
    pub fn end(&mut self, uses_unreserved: bool) {
        self.busy_total = self.busy_total.saturating_sub(1);
        if uses_unreserved {
            self.unreserved_in_use = self.unreserved_in_use.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(reserved: Option<u32>, provisioned: u32) -> ConcurrencySettings {
        ConcurrencySettings { reserved, provisioned }
    }

    #[test]
    fn bucket_refills_exactly_500_per_minute() {
        let t0 = Instant::ZERO;
        let mut b = TokenBucket::new(3, 500, Duration::from_mins(1), t0).unwrap();
        assert!(b.try_take(t0) && b.try_take(t0) && b.try_take(t0));
        assert!(!b.try_take(t0));
        // One token every 120 ms exactly.
        assert!(!b.try_take(Instant::from_micros(119_999)));
        assert!(b.try_take(Instant::from_micros(120_000)));
        assert_eq!(b.tokens(Instant::from_secs(3600)), 3, "never past capacity");
    }

    #[test]
    fn bucket_give_back_and_zero_rate() {
        let mut b = TokenBucket::new(1, 100, Duration::from_secs(1), Instant::ZERO).unwrap();
        assert!(b.try_take(Instant::ZERO));
        b.give_back();
        assert_eq!(b.tokens(Instant::ZERO), 1);
        b.give_back();
        assert_eq!(b.tokens(Instant::ZERO), 1);
        assert_eq!(TokenBucket::new(1, 0, Duration::from_secs(1), Instant::ZERO), Err(ConfigError::InvalidSetting));
    }

    #[test]
    fn claimed_concurrency_example() {
        // docs/model.md §2: limit 1000, RC 600 on one function, PC 200 on another ⇒ claimed ≥ 800.
        let mut l = Ledger::new(1000, 100).unwrap();
        l.check_change(s(None, 0), s(Some(600), 0)).unwrap();
        l.apply_change(s(None, 0), s(Some(600), 0), 0);
        l.check_change(s(None, 0), s(None, 200)).unwrap();
        l.apply_change(s(None, 0), s(None, 200), 0);
        assert_eq!(l.claimed(), 800);
        assert_eq!(l.unreserved_pool(), 200);
        l.start(true);
        assert_eq!(l.claimed(), 801);
    }

    #[test]
    fn unreserved_minimum_is_enforced() {
        let l = Ledger::new(1000, 100).unwrap();
        assert_eq!(l.check_change(s(None, 0), s(Some(901), 0)), Err(ConfigError::UnreservedBelowMinimum));
        assert!(l.check_change(s(None, 0), s(Some(900), 0)).is_ok());
        assert_eq!(l.check_change(s(None, 0), s(Some(10), 11)), Err(ConfigError::ProvisionedExceedsReserved));
        assert_eq!(l.check_change(s(None, 0), s(None, 901)), Err(ConfigError::UnreservedBelowMinimum));
        assert_eq!(Ledger::new(99, 100), Err(ConfigError::AccountLimitTooLow));
        assert_eq!(Ledger::new(0, 0), Err(ConfigError::AccountLimitTooLow));
    }

    #[test]
    fn setting_reserved_moves_busy_out_of_the_unreserved_pool() {
        let mut l = Ledger::new(1000, 100).unwrap();
        l.start(true);
        l.start(true);
        l.apply_change(s(None, 0), s(Some(5), 0), 2);
        assert_eq!(l.unreserved_in_use(), 0);
        l.apply_change(s(Some(5), 0), s(None, 0), 2);
        assert_eq!(l.unreserved_in_use(), 2);
    }

    #[test]
    fn a_busy_environment_leaving_provisioned_concurrency_joins_the_unreserved_pool() {
        let mut l = Ledger::new(10, 0).unwrap();
        l.apply_change(s(None, 0), s(None, 5), 0);
        l.start(false);
        assert_eq!((l.claimed(), l.unreserved_in_use()), (5, 0));
        l.apply_change(s(None, 5), s(None, 0), 0);
        l.left_provisioned(true);
        assert_eq!((l.claimed(), l.unreserved_in_use(), l.busy_total()), (1, 1, 1));
        l.end(true);
        assert_eq!((l.claimed(), l.unreserved_in_use(), l.busy_total()), (0, 0, 0));
        l.left_provisioned(false);
        assert_eq!(l.unreserved_in_use(), 0, "a function with RC never uses the pool");
    }
}
