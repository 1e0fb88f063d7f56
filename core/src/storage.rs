//! Memory the caller lends to the library's tables.
//!
//! The core never allocates: every table (environments, functions, timers,
//! metric rings) lives in [`Slots`] the caller provides, the way smoltcp's
//! socket sets take a `ManagedSlice`:
//! - [`Slots::Borrowed`]: a slice the caller owns (a `static`, a stack
//!   array, an arena). Its length is the table's capacity, for ever.
//! - `Slots::Owned` (with the `alloc` feature): a `Vec` the table owns. It
//!   starts small and grows by doubling, when a slot is needed and none is
//!   free, up to a maximum the caller sets; so memory follows what the run
//!   really uses, never more than the maximum.
//!
//! # Guarantees
//! - A borrowed table never grows or shrinks; an owned one only grows, at
//!   most to its maximum, and growing keeps every slot where it was (slot
//!   indices, hence handles and event order, do not depend on the storage).
//! - A full table is an error value of the operation that needed a slot,
//!   never a panic.

use core::ops::{Deref, DerefMut};

#[cfg(feature = "alloc")]
extern crate alloc;

/// The slots of one table: borrowed from the caller, or (with the `alloc`
/// feature) owned and growable up to a maximum. See the module docs.
#[derive(Debug)]
pub enum Slots<'a, T> {
    /// A slice the caller owns: the capacity is its length.
    Borrowed(&'a mut [T]),
    /// A vector the table owns, grown on demand up to `max` slots.
    #[cfg(feature = "alloc")]
    Owned {
        /// The slots in use so far (its length is the current capacity).
        vec: alloc::vec::Vec<T>,
        /// The most slots it may grow to.
        max: usize,
    },
}

impl<'a, T> From<&'a mut [T]> for Slots<'a, T> {
    fn from(slice: &'a mut [T]) -> Self {
        Slots::Borrowed(slice)
    }
}

impl<'a, T, const N: usize> From<&'a mut [T; N]> for Slots<'a, T> {
    fn from(array: &'a mut [T; N]) -> Self {
        Slots::Borrowed(array.as_mut_slice())
    }
}

impl<T: Clone> Slots<'_, T> {
    /// An owned table of `initial` slots (at most `max`) filled with
    /// `fill`, growable up to `max`.
    #[cfg(feature = "alloc")]
    pub fn owned(initial: usize, max: usize, fill: T) -> Slots<'static, T> {
        Slots::Owned { vec: alloc::vec![fill; initial.min(max)], max }
    }

    /// The most slots this table can ever hold: the slice's length, or an
    /// owned table's maximum.
    pub fn max_len(&self) -> usize {
        match self {
            Slots::Borrowed(slice) => slice.len(),
            #[cfg(feature = "alloc")]
            Slots::Owned { vec, max } => (*max).max(vec.len()),
        }
    }

    /// Makes at least `len` slots available, growing an owned table (to
    /// twice its size or `len`, whichever is more, capped at its maximum)
    /// with `fill`. Returns whether `len` slots are available.
    #[cfg_attr(not(feature = "alloc"), allow(unused_variables))]
    pub fn grow_to(&mut self, len: usize, fill: T) -> bool {
        match self {
            Slots::Borrowed(slice) => slice.len() >= len,
            #[cfg(feature = "alloc")]
            Slots::Owned { vec, max } => {
                if vec.len() >= len {
                    return true;
                }
                if len > *max {
                    return false;
                }
                let target = vec.len().saturating_mul(2).max(len).min(*max);
                vec.resize(target, fill);
                true
            }
        }
    }
}

impl<T> Deref for Slots<'_, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Slots::Borrowed(slice) => slice,
            #[cfg(feature = "alloc")]
            Slots::Owned { vec, .. } => vec,
        }
    }
}

impl<T> DerefMut for Slots<'_, T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Slots::Borrowed(slice) => slice,
            #[cfg(feature = "alloc")]
            Slots::Owned { vec, .. } => vec,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_never_grows() {
        let mut array = [0u8; 4];
        let mut slots = Slots::from(&mut array);
        assert_eq!(slots.max_len(), 4);
        assert!(slots.grow_to(4, 0));
        assert!(!slots.grow_to(5, 0));
        assert_eq!(slots.len(), 4);
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn owned_doubles_up_to_its_maximum_and_keeps_slots() {
        let mut slots = Slots::owned(2, 5, 0u32);
        slots[1] = 7;
        assert!(slots.grow_to(3, 0));
        assert_eq!(slots.len(), 4);
        assert_eq!(slots[1], 7);
        assert!(slots.grow_to(5, 0));
        assert_eq!(slots.len(), 5);
        assert!(!slots.grow_to(6, 0));
        assert_eq!((slots.len(), slots.max_len()), (5, 5));
    }
}
