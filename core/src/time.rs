//! Simulated time: [`Instant`] and [`Duration`] in whole microseconds.
//!
//! The core never reads a clock: every operation is given `now`. Both types
//! are `u64` microseconds (about 584 000 years of range) and all arithmetic
//! saturates, so no input can wrap or panic.

use core::fmt;
use serde::{Deserialize, Serialize};

/// A point in simulated time, in microseconds since the simulation's epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Instant(u64);

/// A span of simulated time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Duration(u64);

impl Instant {
    /// The simulation's epoch.
    pub const ZERO: Instant = Instant(0);
    /// The last representable instant.
    pub const MAX: Instant = Instant(u64::MAX);

    /// An instant `us` microseconds after the epoch.
    pub const fn from_micros(us: u64) -> Self {
        Instant(us)
    }
    /// An instant `ms` milliseconds after the epoch (saturating).
    pub const fn from_millis(ms: u64) -> Self {
        Instant(ms.saturating_mul(1_000))
    }
    /// An instant `s` seconds after the epoch (saturating).
    pub const fn from_secs(s: u64) -> Self {
        Instant(s.saturating_mul(1_000_000))
    }
    /// Microseconds since the epoch.
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    /// This instant plus `d`, saturating at [`Instant::MAX`].
    #[must_use]
    pub const fn saturating_add(self, d: Duration) -> Self {
        Instant(self.0.saturating_add(d.0))
    }
    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    pub const fn saturating_since(self, earlier: Instant) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }
}

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration(0);
    /// The longest representable span.
    pub const MAX: Duration = Duration(u64::MAX);

    /// A span of `us` microseconds.
    pub const fn from_micros(us: u64) -> Self {
        Duration(us)
    }
    /// A span of `ms` milliseconds (saturating).
    pub const fn from_millis(ms: u64) -> Self {
        Duration(ms.saturating_mul(1_000))
    }
    /// A span of `s` seconds (saturating).
    pub const fn from_secs(s: u64) -> Self {
        Duration(s.saturating_mul(1_000_000))
    }
    /// A span of `m` minutes (saturating).
    pub const fn from_mins(m: u64) -> Self {
        Duration(m.saturating_mul(60_000_000))
    }
    /// The span in microseconds.
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    /// The span in whole milliseconds, rounded down.
    pub const fn as_millis(self) -> u64 {
        self.0 / 1_000
    }
    /// Whether the span is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
    /// The sum, saturating at [`Duration::MAX`].
    #[must_use]
    pub const fn saturating_add(self, other: Duration) -> Self {
        Duration(self.0.saturating_add(other.0))
    }
    /// The difference, or zero if `other` is longer.
    #[must_use]
    pub const fn saturating_sub(self, other: Duration) -> Self {
        Duration(self.0.saturating_sub(other.0))
    }
    /// `n` times this span, saturating.
    #[must_use]
    pub const fn saturating_mul(self, n: u64) -> Self {
        Duration(self.0.saturating_mul(n))
    }
    /// The shorter of the two spans.
    #[must_use]
    pub const fn min(self, other: Duration) -> Self {
        if self.0 < other.0 { self } else { other }
    }
    /// The longer of the two spans.
    #[must_use]
    pub const fn max(self, other: Duration) -> Self {
        if self.0 > other.0 { self } else { other }
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={}.{:06}s", self.0 / 1_000_000, self.0 % 1_000_000)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:06}s", self.0 / 1_000_000, self.0 % 1_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_agree() {
        assert_eq!(Duration::from_secs(2), Duration::from_millis(2_000));
        assert_eq!(Duration::from_mins(10), Duration::from_secs(600));
        assert_eq!(Instant::from_secs(1).as_micros(), 1_000_000);
    }

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(Instant::MAX.saturating_add(Duration::from_secs(1)), Instant::MAX);
        assert_eq!(Duration::from_secs(u64::MAX), Duration::MAX);
        assert_eq!(Instant::ZERO.saturating_since(Instant::from_secs(5)), Duration::ZERO);
        assert_eq!(Duration::MAX.saturating_mul(3), Duration::MAX);
    }

    #[test]
    fn display_is_seconds() {
        use core::fmt::Write;
        let mut s: heapless::String<32> = heapless::String::new();
        write!(s, "{}", Instant::from_micros(1_500_000)).unwrap();
        assert_eq!(s.as_str(), "t=1.500000s");
    }
}
