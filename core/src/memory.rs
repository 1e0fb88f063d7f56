//! Function memory sizes (docs/model.md §3).
//!
//! Today's rule: 128..=10240 MB in 1 MB steps. The rule before December 2020
//! (128..=3008 MB in 64 MB steps) is kept as [`MemoryRule::Legacy64`] so old
//! configurations can be replayed. A [`MemoryMb`] is always valid for the rule
//! it was made under.

use core::fmt;
use serde::{Deserialize, Serialize};

/// Which memory-size rule applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MemoryRule {
    /// 128..=10240 MB in 1 MB steps (since December 2020). The default.
    #[default]
    Current,
    /// 128..=3008 MB in 64 MB steps (before December 2020).
    Legacy64,
}

/// Why a memory size was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MemoryError {
    /// Below 128 MB. Use at least [`MemoryMb::MIN`].
    BelowMinimum,
    /// Above the rule's maximum (10240 MB, or 3008 MB under the legacy rule).
    AboveMaximum,
    /// Not a multiple of 64 MB under [`MemoryRule::Legacy64`].
    NotOnStep,
}

impl fmt::Display for MemoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MemoryError::BelowMinimum => "memory below the 128 MB minimum",
            MemoryError::AboveMaximum => "memory above the maximum (10240 MB; 3008 MB under the legacy rule)",
            MemoryError::NotOnStep => "memory not a multiple of 64 MB under the legacy rule",
        })
    }
}

impl core::error::Error for MemoryError {}

/// A validated function memory size in MB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MemoryMb(u32);

impl MemoryMb {
    /// The smallest size, 128 MB.
    pub const MIN: MemoryMb = MemoryMb(128);
    /// The largest size under the current rule, 10240 MB.
    pub const MAX: MemoryMb = MemoryMb(10_240);
    /// The default size, 128 MB.
    pub const DEFAULT: MemoryMb = MemoryMb(128);
    /// The largest size under the legacy rule, 3008 MB.
    pub const LEGACY_MAX: MemoryMb = MemoryMb(3_008);

    /// A size under the current rule.
    ///
    /// # Errors
    /// [`MemoryError::BelowMinimum`] or [`MemoryError::AboveMaximum`].
    pub const fn new(mb: u32) -> Result<Self, MemoryError> {
        Self::with_rule(mb, MemoryRule::Current)
    }

    /// A size under `rule`.
    ///
    /// # Errors
    /// Out of the rule's range, or off its 64 MB step under the legacy rule.
    pub const fn with_rule(mb: u32, rule: MemoryRule) -> Result<Self, MemoryError> {
        if mb < Self::MIN.0 {
            return Err(MemoryError::BelowMinimum);
        }
        match rule {
            MemoryRule::Current if mb > Self::MAX.0 => Err(MemoryError::AboveMaximum),
            MemoryRule::Legacy64 if mb > Self::LEGACY_MAX.0 => Err(MemoryError::AboveMaximum),
            MemoryRule::Legacy64 if !mb.is_multiple_of(64) => Err(MemoryError::NotOnStep),
            _ => Ok(MemoryMb(mb)),
        }
    }

    /// The size in MB.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl Default for MemoryMb {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for MemoryMb {
    type Error = MemoryError;
    fn try_from(mb: u32) -> Result<Self, MemoryError> {
        MemoryMb::new(mb)
    }
}

impl From<MemoryMb> for u32 {
    fn from(m: MemoryMb) -> u32 {
        m.0
    }
}

impl fmt::Display for MemoryMb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} MB", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_rule_bounds() {
        assert_eq!(MemoryMb::new(127), Err(MemoryError::BelowMinimum));
        assert_eq!(MemoryMb::new(0), Err(MemoryError::BelowMinimum));
        assert_eq!(MemoryMb::new(10_241), Err(MemoryError::AboveMaximum));
        assert_eq!(MemoryMb::new(128).map(MemoryMb::get), Ok(128));
        assert_eq!(MemoryMb::new(1_769).map(MemoryMb::get), Ok(1_769));
        assert_eq!(MemoryMb::new(10_240).map(MemoryMb::get), Ok(10_240));
    }

    #[test]
    fn legacy_rule_steps() {
        let r = MemoryRule::Legacy64;
        assert_eq!(MemoryMb::with_rule(130, r), Err(MemoryError::NotOnStep));
        assert_eq!(MemoryMb::with_rule(3_072, r), Err(MemoryError::AboveMaximum));
        assert!(MemoryMb::with_rule(3_008, r).is_ok());
        assert!(MemoryMb::with_rule(192, r).is_ok());
    }
}
