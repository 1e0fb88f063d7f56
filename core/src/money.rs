//! Exact money (docs/model.md §5).
//!
//! AWS publishes prices with ten fractional digits of a dollar and prices
//! duration per GB-second, where a GB-second is `MB·ms / 1 024 000`. So the
//! one unit that makes every charge an exact integer is the *atom*:
//! 1e-10 USD / 1 024 000. Then a duration charge is simply
//! `MB·ms × price` (price in 1e-10 USD per GB-s) and a request charge is
//! `requests × price × 1 024 000`. Money is a `u128` of atoms (up to about
//! 3 × 10²² USD); arithmetic is checked and an overflow is an error, never a
//! wrong number. Since 1 024 000 = 2¹³ × 5³, every amount has an exact,
//! terminating decimal form (at most 23 fractional digits).

use core::fmt;
use serde::{Deserialize, Serialize};

/// Atoms in one 1e-10 USD price unit.
pub const ATOMS_PER_UNIT: u128 = 1_024_000;
/// Price units (1e-10 USD) in one dollar.
pub const UNITS_PER_USD: u128 = 10_000_000_000;
/// Atoms in one cent.
pub const ATOMS_PER_CENT: u128 = ATOMS_PER_UNIT * UNITS_PER_USD / 100;
/// Atoms in one dollar.
pub const ATOMS_PER_USD: u128 = ATOMS_PER_UNIT * UNITS_PER_USD;
/// Fractional decimal digits needed to print any amount exactly.
pub const EXACT_DIGITS: usize = 23;

/// A money arithmetic result did not fit in `u128` atoms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MoneyOverflow;

impl fmt::Display for MoneyOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("money amount too large to represent exactly")
    }
}

impl core::error::Error for MoneyOverflow {}

/// An exact, non-negative amount of US dollars.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(u128);

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// An amount in atoms (1e-10 USD / 1 024 000).
    pub const fn from_atoms(atoms: u128) -> Self {
        Money(atoms)
    }
    /// An amount in whole cents.
    ///
    /// # Errors
    /// [`MoneyOverflow`] past the representable range.
    pub const fn from_cents(cents: u128) -> Result<Self, MoneyOverflow> {
        match cents.checked_mul(ATOMS_PER_CENT) {
            Some(a) => Ok(Money(a)),
            None => Err(MoneyOverflow),
        }
    }
    /// `quantity × price` where the quantity is in MB·ms and the price in
    /// 1e-10 USD per GB-s (exact by construction).
    ///
    /// # Errors
    /// [`MoneyOverflow`].
    pub const fn per_gb_s(mb_ms: u128, units_per_gb_s: u64) -> Result<Self, MoneyOverflow> {
        match mb_ms.checked_mul(units_per_gb_s as u128) {
            Some(a) => Ok(Money(a)),
            None => Err(MoneyOverflow),
        }
    }
    /// `count × price` for a price in 1e-10 USD per item.
    ///
    /// # Errors
    /// [`MoneyOverflow`].
    pub const fn per_item(count: u128, units_each: u64) -> Result<Self, MoneyOverflow> {
        match count.checked_mul(units_each as u128) {
            Some(u) => match u.checked_mul(ATOMS_PER_UNIT) {
                Some(a) => Ok(Money(a)),
                None => Err(MoneyOverflow),
            },
            None => Err(MoneyOverflow),
        }
    }
    /// The amount in atoms.
    pub const fn atoms(self) -> u128 {
        self.0
    }
    /// The sum.
    ///
    /// # Errors
    /// [`MoneyOverflow`].
    pub const fn checked_add(self, other: Money) -> Result<Money, MoneyOverflow> {
        match self.0.checked_add(other.0) {
            Some(a) => Ok(Money(a)),
            None => Err(MoneyOverflow),
        }
    }
    /// Rounded to whole cents, half a cent rounding up (as AWS rounds line items).
    pub const fn cents(self) -> u128 {
        let whole = self.0 / ATOMS_PER_CENT;
        if self.0 % ATOMS_PER_CENT >= ATOMS_PER_CENT / 2 { whole + 1 } else { whole }
    }
    /// The exact decimal form, e.g. `2.3333380000` (at least 10 fractional digits).
    pub const fn exact(self) -> ExactUsd {
        ExactUsd(self)
    }
}

/// Displays a [`Money`] exactly in dollars: `dollars.fraction`, trailing
/// zeros beyond the tenth digit trimmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExactUsd(Money);

impl fmt::Display for ExactUsd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let atoms = self.0.0;
        let dollars = atoms / ATOMS_PER_USD;
        // Long division of the remainder: it terminates within EXACT_DIGITS
        // digits because ATOMS_PER_USD has no prime factors but 2 and 5.
        let rest = atoms % ATOMS_PER_USD;
        let mut digits = [b'0'; EXACT_DIGITS];
        let mut r = rest;
        let mut used = 0;
        for (i, d) in digits.iter_mut().enumerate() {
            r *= 10;
            *d = b'0' + (r / ATOMS_PER_USD) as u8;
            r %= ATOMS_PER_USD;
            used = i + 1;
            if r == 0 {
                break;
            }
        }
        let mut shown = used.max(10);
        while shown > 10 && digits.get(shown - 1) == Some(&b'0') {
            shown -= 1;
        }
        let frac = digits.get(..shown).and_then(|s| core::str::from_utf8(s).ok()).unwrap_or("");
        write!(f, "{dollars}.{frac}")
    }
}

impl fmt::Display for Money {
    /// Dollars rounded to cents, e.g. `$2.73`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.cents();
        write!(f, "${}.{:02}", c / 100, c % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    fn show(x: impl fmt::Display) -> heapless::String<64> {
        let mut s = heapless::String::new();
        write!(s, "{x}").unwrap();
        s
    }

    #[test]
    fn gb_seconds_are_exact() {
        // 140 000 GB-s at 0.0000166667 = $2.333338.
        let mb_ms = 140_000u128 * 1_024_000;
        let m = Money::per_gb_s(mb_ms, 166_667).unwrap();
        assert_eq!(m.cents(), 233);
        assert_eq!(show(m.exact()).as_str(), "2.3333380000");
        assert_eq!(show(m).as_str(), "$2.33");
    }

    #[test]
    fn requests_and_rounding() {
        let m = Money::per_item(2_000_000, 2_000).unwrap();
        assert_eq!(show(m).as_str(), "$0.40");
        assert_eq!(Money::from_atoms(ATOMS_PER_CENT / 2).cents(), 1);
        assert_eq!(Money::from_atoms(ATOMS_PER_CENT / 2 - 1).cents(), 0);
        // One atom needs all 23 digits.
        assert_eq!(show(Money::from_atoms(1).exact()).as_str(), "0.00000000000000009765625");
    }

    #[test]
    fn overflow_is_an_error() {
        assert_eq!(Money::per_gb_s(u128::MAX, 2), Err(MoneyOverflow));
        assert_eq!(Money::per_item(u128::MAX / 2, 2_000), Err(MoneyOverflow));
        assert_eq!(Money::from_atoms(u128::MAX).checked_add(Money::from_atoms(1)), Err(MoneyOverflow));
        assert!(Money::from_cents(u128::MAX).is_err());
    }
}
