//! Memory the caller lends to the library's tables.
//!
//! The core never allocates: every table (environments, functions, timers,
//! metric rings) lives in [`Slots`] the caller provides, the way smoltcp's
//! socket sets take a `ManagedSlice`:
//! - borrowed (`Slots::from(&mut slice)`): a slice the caller owns (a
//!   `static`, a stack array, an arena). Its length is the table's
//!   capacity, for ever.
//! - owned (`Slots::owned`, with the `alloc` feature): slots the table owns. It
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
///
/// Both kinds are a pointer and a length at the same place, so reading a
/// slot costs the same whatever the storage (no branch on the kind).
#[derive(Debug)]
pub struct Slots<'a, T> {
    store: Store<'a, T>,
    /// The most slots an owned table may grow to (a borrowed one: its length).
    max: usize,
}

#[derive(Debug)]
enum Store<'a, T> {
    Borrowed(&'a mut [T]),
    #[cfg(feature = "alloc")]
    Owned(alloc::boxed::Box<[T]>),
}

impl<'a, T> From<&'a mut [T]> for Slots<'a, T> {
    fn from(slice: &'a mut [T]) -> Self {
        Slots { max: slice.len(), store: Store::Borrowed(slice) }
    }
}

impl<'a, T, const N: usize> From<&'a mut [T; N]> for Slots<'a, T> {
    fn from(array: &'a mut [T; N]) -> Self {
        Slots::from(array.as_mut_slice())
    }
}

impl<T: Clone> Slots<'_, T> {
    /// An owned table of `initial` slots (at most `max`) filled with
    /// `fill`, growable up to `max`.
    #[cfg(feature = "alloc")]
    pub fn owned(initial: usize, max: usize, fill: T) -> Slots<'static, T> {
        let slots = alloc::vec![fill; initial.min(max)].into_boxed_slice();
        Slots { store: Store::Owned(slots), max }
    }

    /// The most slots this table can ever hold: the slice's length, or an
    /// owned table's maximum.
    pub fn max_len(&self) -> usize {
        self.max.max(self.len())
    }

    /// Makes at least `len` slots available, growing an owned table (to
    /// twice its size or `len`, whichever is more, capped at its maximum)
    /// with `fill`. Returns whether `len` slots are available.
    pub fn grow_to(&mut self, len: usize, fill: T) -> bool {
        if self.len() >= len {
            return true;
        }
        match &mut self.store {
            Store::Borrowed(_) => {
                drop(fill);
                false
            }
            #[cfg(feature = "alloc")]
            Store::Owned(slots) => {
                if len > self.max {
                    return false;
                }
                let target = slots.len().saturating_mul(2).max(len).min(self.max);
                let mut vec = core::mem::take(slots).into_vec();
                vec.resize(target, fill);
                *slots = vec.into_boxed_slice();
                true
            }
        }
    }
}

impl<T> Deref for Slots<'_, T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        match &self.store {
            Store::Borrowed(slice) => slice,
            #[cfg(feature = "alloc")]
            Store::Owned(slots) => slots,
        }
    }
}

impl<T> DerefMut for Slots<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.store {
            Store::Borrowed(slice) => slice,
            #[cfg(feature = "alloc")]
            Store::Owned(slots) => slots,
        }
    }
}

/// A table: the first `len` slots of a [`Slots`] are in use, and a push
/// fills the next one, growing owned storage.
///
/// It derefs to all its slots, in use or not (indexing needs one bounds
/// check, not two; a slot past `len` holds the filler value, which callers
/// treat as vacant); `len`, `iter` and `iter_mut` cover the slots in use.
#[derive(Debug)]
pub(crate) struct Table<'a, T> {
    slots: Slots<'a, T>,
    len: usize,
}

impl<'a, T: Clone> Table<'a, T> {
    /// An empty table over `slots`.
    pub fn new(slots: Slots<'a, T>) -> Self {
        Table { slots, len: 0 }
    }

    /// The most entries it can ever hold.
    pub fn max_len(&self) -> usize {
        self.slots.max_len()
    }

    /// Appends `value`; false (and nothing changes) when the table is full.
    pub fn push(&mut self, value: T) -> bool {
        let len = self.len.saturating_add(1);
        if !self.slots.grow_to(len, value.clone()) {
            return false;
        }
        match self.slots.get_mut(self.len) {
            Some(slot) => {
                *slot = value;
                self.len = len;
                true
            }
            None => false,
        }
    }
}

impl<T> Table<'_, T> {
    /// Slots in use.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The slots in use.
    pub fn in_use(&self) -> &[T] {
        self.slots.get(..self.len).unwrap_or(&[])
    }

    /// The slots in use, in order.
    pub fn iter(&self) -> core::slice::Iter<'_, T> {
        self.in_use().iter()
    }

    /// The slots in use, in order, mutably.
    pub fn iter_mut(&mut self) -> core::slice::IterMut<'_, T> {
        let len = self.len;
        self.slots.get_mut(..len).unwrap_or(&mut []).iter_mut()
    }
}

impl<T> Deref for Table<'_, T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        &self.slots
    }
}

impl<T> DerefMut for Table<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.slots
    }
}

/// Exactly `N` slots, borrowed or (with the `alloc` feature) owned: for
/// tables whose size is a constant, so masked indexes need no check.
#[derive(Debug)]
pub(crate) enum Fixed<'a, T, const N: usize> {
    Borrowed(&'a mut [T; N]),
    #[cfg(feature = "alloc")]
    Owned(alloc::boxed::Box<[T; N]>),
}

impl<T, const N: usize> Deref for Fixed<'_, T, N> {
    type Target = [T; N];
    #[inline(always)]
    fn deref(&self) -> &[T; N] {
        match self {
            Fixed::Borrowed(array) => array,
            #[cfg(feature = "alloc")]
            Fixed::Owned(array) => array,
        }
    }
}

impl<T, const N: usize> DerefMut for Fixed<'_, T, N> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T; N] {
        match self {
            Fixed::Borrowed(array) => array,
            #[cfg(feature = "alloc")]
            Fixed::Owned(array) => array,
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
