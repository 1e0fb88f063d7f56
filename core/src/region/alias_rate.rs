//! The request rate of a function with provisioned concurrency: synchronous
//! invokes per second ≤ 10 × its allocated provisioned concurrency
//! (docs/model.md §2). A function here stands for the version or alias its
//! provisioned concurrency is configured on.
//!
//! The bucket follows the allocation lazily: each invoke first resizes it
//! to the allocation of that moment (credit before is earned at the old
//! rate; added capacity arrives full, like a new bucket), so nothing runs
//! when the allocation changes and the check stays O(1).

use crate::concurrency::TokenBucket;
use crate::time::{Duration, Instant};

/// One function's provisioned request-rate bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct AliasRate {
    /// The bucket, while the function has provisioned concurrency allocated.
    bucket: Option<TokenBucket>,
    /// Its capacity (and refill per second) in tokens.
    per_second: u64,
}

impl AliasRate {
    /// Takes one token for a synchronous invoke at `now`, when `ready`
    /// provisioned environments are allocated and `per_pc` requests per
    /// second are allowed per environment. `None`: no limit applies (no
    /// allocation, or the limit is off); `Some(false)`: throttled.
    #[inline(always)]
    pub(crate) fn try_take(&mut self, now: Instant, ready: u32, per_pc: u32) -> Option<bool> {
        let per_second = u64::from(ready).saturating_mul(u64::from(per_pc));
        if per_second == 0 {
            // The common case (no provisioned concurrency): no store unless
            // a bucket is to be dropped.
            if self.bucket.is_some() {
                *self = AliasRate::default();
            }
            return None;
        }
        match self.bucket.as_mut() {
            Some(bucket) if self.per_second != per_second => bucket.resize(per_second, now),
            Some(_) => {}
            None => self.bucket = TokenBucket::new(per_second, per_second, Duration::from_secs(1), now).ok(),
        }
        self.per_second = per_second;
        self.bucket.as_mut().map(|bucket| bucket.try_take(now))
    }

    /// Returns the token of a request that then failed with an error.
    pub(crate) fn give_back(&mut self) {
        if let Some(bucket) = self.bucket.as_mut() {
            bucket.give_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(us: u64) -> Instant {
        Instant::from_micros(us)
    }

    #[test]
    fn no_allocation_means_no_limit() {
        let mut rate = AliasRate::default();
        assert_eq!(rate.try_take(at(0), 0, 10), None);
        assert_eq!(rate.try_take(at(0), 3, 0), None);
    }

    #[test]
    fn ten_per_environment_per_second_then_refilled() {
        let mut rate = AliasRate::default();
        for _ in 0..20 {
            assert_eq!(rate.try_take(at(0), 2, 10), Some(true));
        }
        // One token per 50 ms at 20 per second, refilled continuously.
        assert_eq!(rate.try_take(at(49_999), 2, 10), Some(false));
        assert_eq!(rate.try_take(at(50_000), 2, 10), Some(true));
        assert_eq!(rate.try_take(at(50_000), 2, 10), Some(false));
        // Never more than a second's worth.
        for _ in 0..20 {
            assert_eq!(rate.try_take(at(100_000_000), 2, 10), Some(true));
        }
        assert_eq!(rate.try_take(at(100_000_000), 2, 10), Some(false));
    }

    #[test]
    fn a_raise_arrives_full_and_a_cut_takes_its_tokens() {
        let mut rate = AliasRate::default();
        for _ in 0..10 {
            assert_eq!(rate.try_take(at(0), 1, 10), Some(true));
        }
        assert_eq!(rate.try_take(at(0), 1, 10), Some(false));
        // Raised to 2: ten more at once.
        for _ in 0..10 {
            assert_eq!(rate.try_take(at(0), 2, 10), Some(true));
        }
        assert_eq!(rate.try_take(at(0), 2, 10), Some(false));
        // After 2 s the bucket is full (20); cut to 1: it holds 10.
        for _ in 0..10 {
            assert_eq!(rate.try_take(at(2_000_000), 1, 10), Some(true));
        }
        assert_eq!(rate.try_take(at(2_000_000), 1, 10), Some(false));
    }
}
