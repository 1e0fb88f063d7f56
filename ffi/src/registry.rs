//! Handles: opaque values that index a global registry, one registry per
//! kind of handle (`lsim_region`, `lsim_sim_result`, `lsim_sweep_result`).
//!
//! A handle is never a pointer to Rust memory. Its address encodes a (kind,
//! slot index, generation) triple; every call decodes it and looks the slot
//! up in that kind's registry, so NULL, freed, stale, made-up handles and
//! handles of the other kind are answered with a status instead of
//! undefined behaviour. A registry holds each value in an `Arc`, so a free
//! racing with another call on the same handle only drops the registry's
//! reference: the memory goes when the last call returns.
//!
//! Encoding: `address = generation << 23 | kind << 21 | (index ^ mask) << 1 | 1`,
//! with a 20-bit index, a 2-bit kind and a generation of 1..=`GEN_MAX`. The
//! low bit makes it odd (never NULL, never an aligned pointer), and a
//! generation of at least 1 keeps it at least 0x800001. On 64-bit targets the
//! generation has 15 bits, so every handle is below 2^38: garbage
//! collectors that inspect pointer-typed values (Go checks that they do not
//! point into unallocated parts of its heap, which starts at 2^38 or above)
//! never see a handle inside their heap. 32-bit targets have 9 generation
//! bits.
//!
//! A freed slot is reused only once `QUARANTINE` other slots of the same
//! registry are free, so a program that creates and frees handles in a loop
//! cycles through that many slots: a stale handle would need `QUARANTINE` ×
//! `GEN_MAX` (about 8 million on 64-bit targets) frees before it could name
//! a live value.
//!
//! Handles are hard to guess: each registry scrambles slot indexes with a
//! 20-bit mask and starts each new slot at a generation drawn at random, both
//! from std's `RandomState` (seeded by the OS) mixed with the clock, once per
//! process or slot. So the first region of a process is not a fixed value,
//! and a made-up value names a live one with odds of about one in 2^35 per
//! live handle. Only handle values are random: nothing a region or a
//! simulation computes depends on them.
//!
//! Every region also gets a region tag, a nonzero `u32` unique among the
//! regions of the process (the first 2^32 - 1 of them), copied into each
//! function, environment and invocation handle it hands out: a handle
//! presented to another region has the wrong tag and is refused.

use crate::status::lsim_status;
use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

/// The region behind every handle: owned tables, grown on demand up to the
/// capacities of its `lsim_region_config`.
pub(crate) type CoreRegion = lambdasim::Region<'static>;

/// An opaque region. Create with `lsim_region_new`, free with
/// `lsim_region_free`. Not a pointer to memory: never dereference it.
#[allow(non_camel_case_types)]
pub struct lsim_region {
    _opaque: [u8; 0],
}

const INDEX_BITS: u32 = 20;
const KIND_SHIFT: u32 = INDEX_BITS + 1;
const GEN_SHIFT: u32 = KIND_SHIFT + 2;
/// Bits of the generation: handles stay below 2^38 on 64-bit targets.
const GEN_BITS: u32 = if usize::BITS >= 64 { 38 - GEN_SHIFT } else { usize::BITS - GEN_SHIFT };
/// The largest generation; generations run 1..=GEN_MAX and wrap to 1.
const GEN_MAX: u32 = (1 << GEN_BITS) - 1;
/// Slots a registry can hold (live values at once).
const MAX_SLOTS: usize = 1 << INDEX_BITS;
const INDEX_MASK: usize = MAX_SLOTS - 1;
/// Free slots kept out of reuse, oldest reused first.
const QUARANTINE: usize = 256;

/// The kind bits of region handles.
pub(crate) const KIND_REGION: usize = 0;
/// The kind bits of simulation-result handles.
pub(crate) const KIND_SIM_RESULT: usize = 1;
/// The kind bits of sweep-result handles.
pub(crate) const KIND_SWEEP_RESULT: usize = 2;

/// What the registry keeps for one live region.
pub(crate) struct Entry {
    pub region: Box<CoreRegion>,
    /// A call panicked while using the region: it may be inconsistent.
    pub poisoned: bool,
    /// This region's tag, in every handle it hands out.
    pub tag: RegionTag,
}

/// The tag binding function, environment and invocation handles to the
/// region that made them: nonzero, unique among the process's regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RegionTag(pub u32);

/// A random `u64` for handle values only (never for simulation results):
/// std's OS-seeded `RandomState`, mixed with the clock and a stack address.
fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    h.write_u128(nanos);
    let local = 0u8;
    h.write_usize(std::ptr::addr_of!(local).addr());
    h.finish()
}

/// The next region tag: consecutive from a random start, skipping 0, so
/// 2^32 - 1 regions in a row get distinct tags.
fn next_tag() -> RegionTag {
    static NEXT: OnceLock<AtomicU32> = OnceLock::new();
    let next = NEXT.get_or_init(|| AtomicU32::new(random_u64() as u32));
    loop {
        let tag = next.fetch_add(1, Ordering::Relaxed);
        if tag != 0 {
            return RegionTag(tag);
        }
    }
}

struct Slot<T> {
    generation: u32,
    entry: Option<Arc<T>>,
}

struct Slots<T> {
    slots: Vec<Slot<T>>,
    /// Free slots, oldest first.
    free: VecDeque<u32>,
}

/// The live values of one kind of handle.
pub(crate) struct Registry<T> {
    kind: usize,
    /// XORed into slot indexes, drawn at the first use.
    mask: OnceLock<usize>,
    inner: Mutex<Slots<T>>,
}

/// Every live region.
pub(crate) static REGIONS: Registry<Mutex<Entry>> = Registry::new(KIND_REGION);

fn encode<H>(kind: usize, mask: usize, index: usize, generation: u32) -> *mut H {
    let index = (index ^ mask) & INDEX_MASK;
    let addr = ((generation as usize) << GEN_SHIFT) | ((kind & 3) << KIND_SHIFT) | (index << 1) | 1;
    std::ptr::without_provenance_mut(addr)
}

fn decode<H>(kind: usize, mask: usize, handle: *const H) -> Option<(usize, u32)> {
    let addr = handle.addr();
    if addr & 1 == 0 || (addr >> KIND_SHIFT) & 3 != kind {
        return None;
    }
    let index = ((addr >> 1) ^ mask) & INDEX_MASK;
    let generation = u32::try_from(addr >> GEN_SHIFT).ok().filter(|g| (1..=GEN_MAX).contains(g))?;
    Some((index, generation))
}

impl<T> Registry<T> {
    /// An empty registry whose handles carry `kind` (0 to 3).
    pub(crate) const fn new(kind: usize) -> Self {
        Registry { kind, mask: OnceLock::new(), inner: Mutex::new(Slots { slots: Vec::new(), free: VecDeque::new() }) }
    }

    /// The index mask of this registry's handles.
    fn mask(&self) -> usize {
        *self.mask.get_or_init(|| random_u64() as usize & INDEX_MASK)
    }

    /// The handle of a slot.
    fn encode<H>(&self, index: usize, generation: u32) -> *mut H {
        encode(self.kind, self.mask(), index, generation)
    }

    /// The slot and generation a handle names, if it is of this kind.
    fn decode<H>(&self, handle: *const H) -> Option<(usize, u32)> {
        decode(self.kind, self.mask(), handle)
    }

    /// The slots, even if a panic poisoned the lock: every update below
    /// leaves them consistent before anything that could panic.
    fn lock(&self) -> MutexGuard<'_, Slots<T>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a value and returns its new handle.
    ///
    /// # Errors
    /// `LSIM_STATUS_CAPACITY_EXCEEDED` when `MAX_SLOTS` values are live.
    pub(crate) fn insert<H>(&self, value: T) -> Result<*mut H, lsim_status> {
        let entry = Arc::new(value);
        let mut reg = self.lock();
        let grow = reg.free.len() <= QUARANTINE && reg.slots.len() < MAX_SLOTS;
        if !grow {
            if let Some(index) = reg.free.pop_front() {
                let slot = reg.slots.get_mut(index as usize).ok_or(lsim_status::Internal)?;
                slot.entry = Some(entry);
                let generation = slot.generation;
                return Ok(self.encode(index as usize, generation));
            }
            return Err(lsim_status::CapacityExceeded);
        }
        let index = reg.slots.len();
        // A random first generation in 1..=GEN_MAX (GEN_MAX < 2^32).
        let generation = (random_u64() % u64::from(GEN_MAX)) as u32 + 1;
        reg.slots.push(Slot { generation, entry: Some(entry) });
        Ok(self.encode(index, generation))
    }

    /// The live value a handle names.
    ///
    /// # Errors
    /// `LSIM_STATUS_NULL_POINTER` for NULL, `LSIM_STATUS_STALE_HANDLE` for a
    /// freed or made-up handle, or one of another kind.
    pub(crate) fn lookup<H>(&self, handle: *const H) -> Result<Arc<T>, lsim_status> {
        if handle.is_null() {
            return Err(lsim_status::NullPointer);
        }
        let (index, generation) = self.decode(handle).ok_or(lsim_status::StaleHandle)?;
        let reg = self.lock();
        let slot = reg.slots.get(index).ok_or(lsim_status::StaleHandle)?;
        match &slot.entry {
            Some(entry) if slot.generation == generation => Ok(Arc::clone(entry)),
            _ => Err(lsim_status::StaleHandle),
        }
    }

    /// Unregisters a value. The handle and every copy of it become stale.
    ///
    /// # Errors
    /// As [`Registry::lookup`].
    pub(crate) fn remove<H>(&self, handle: *const H) -> Result<(), lsim_status> {
        if handle.is_null() {
            return Err(lsim_status::NullPointer);
        }
        let (index, generation) = self.decode(handle).ok_or(lsim_status::StaleHandle)?;
        let entry = {
            let mut reg = self.lock();
            let slot = reg.slots.get_mut(index).ok_or(lsim_status::StaleHandle)?;
            if slot.generation != generation || slot.entry.is_none() {
                return Err(lsim_status::StaleHandle);
            }
            let entry = slot.entry.take();
            // Generations stay in 1..=GEN_MAX, so `+ 1` cannot overflow.
            slot.generation = if slot.generation == GEN_MAX { 1 } else { slot.generation + 1 };
            let index = u32::try_from(index).map_err(|_| lsim_status::Internal)?;
            reg.free.push_back(index);
            entry
        };
        // Dropped outside the registry lock: freeing a 1.7 MB region should
        // not block other handles' lookups.
        drop(entry);
        Ok(())
    }

    #[cfg(test)]
    fn free_len(&self) -> usize {
        self.lock().free.len()
    }
}

/// Registers a region and returns its new handle.
pub(crate) fn insert(region: Box<CoreRegion>) -> Result<*mut lsim_region, lsim_status> {
    REGIONS.insert(Mutex::new(Entry { region, poisoned: false, tag: next_tag() }))
}

/// Unregisters a region. The handle and every copy of it become stale.
///
/// # Errors
/// As [`Registry::lookup`].
pub(crate) fn remove(handle: *const lsim_region) -> Result<(), lsim_status> {
    REGIONS.remove(handle)
}

/// Runs `f` on the region a handle names, under its lock.
///
/// A panic inside `f` is caught: the region is marked poisoned and the call
/// returns `LSIM_STATUS_PANIC`; later calls return `LSIM_STATUS_POISONED`.
pub(crate) fn with_region<R>(
    handle: *const lsim_region,
    f: impl FnOnce(&mut CoreRegion) -> Result<R, lsim_status>,
) -> Result<R, lsim_status> {
    with_tagged_region(handle, |r, _| f(r))
}

/// As [`with_region`], also handing `f` the region's tag: for entry points
/// that take or return function, environment or invocation handles.
pub(crate) fn with_tagged_region<R>(
    handle: *const lsim_region,
    f: impl FnOnce(&mut CoreRegion, RegionTag) -> Result<R, lsim_status>,
) -> Result<R, lsim_status> {
    let entry = REGIONS.lookup(handle)?;
    let mut guard = entry.lock().map_err(|_| lsim_status::Poisoned)?;
    if guard.poisoned {
        return Err(lsim_status::Poisoned);
    }
    // The guard is borrowed, not moved, into the closure: it is not dropped
    // while unwinding, so the std lock is not poisoned; our flag is.
    let tag = guard.tag;
    match catch_unwind(AssertUnwindSafe(|| f(&mut guard.region, tag))) {
        Ok(r) => r,
        Err(_) => {
            guard.poisoned = true;
            Err(lsim_status::Panic)
        }
    }
}

/// Runs a whole entry point body, turning a panic anywhere into
/// `LSIM_STATUS_PANIC` and a `Result` into a status.
pub(crate) fn guard(f: impl FnOnce() -> Result<(), lsim_status>) -> lsim_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => lsim_status::Ok,
        Ok(Err(status)) => status,
        Err(_) => lsim_status::Panic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_round_trip_and_are_odd() {
        for kind in [KIND_REGION, KIND_SIM_RESULT, KIND_SWEEP_RESULT] {
            for mask in [0, 0x5_a5a5, INDEX_MASK] {
                for (index, generation) in [(0usize, 1u32), (5, 7), (INDEX_MASK, GEN_MAX)] {
                    let h: *mut lsim_region = encode(kind, mask, index, generation);
                    assert!(!h.is_null());
                    assert_eq!(h.addr() & 1, 1);
                    assert!(h.addr() >= 0x80_0001);
                    assert_eq!(decode(kind, mask, h), Some((index, generation)));
                    for other in [KIND_REGION, KIND_SIM_RESULT, KIND_SWEEP_RESULT].into_iter().filter(|&k| k != kind) {
                        assert_eq!(decode(other, mask, h), None, "a handle of another kind");
                    }
                }
            }
        }
        #[cfg(target_pointer_width = "64")]
        assert!(encode::<u8>(KIND_SWEEP_RESULT, INDEX_MASK, 0, GEN_MAX).addr() < 1 << 38);
        assert_eq!(decode(KIND_REGION, 0, std::ptr::without_provenance::<u8>(8)), None);
        assert_eq!(decode(KIND_REGION, 0, std::ptr::without_provenance::<u8>(1)), None, "generation 0");
    }

    #[test]
    fn first_handles_are_not_predictable() {
        // Before handles were randomized, every registry's first handle was
        // 0x400001 (index 0, generation 1). Two fresh registries now agree
        // with odds of 2^-35; eight in a row never do.
        let firsts: Vec<usize> = (0..8)
            .map(|_| {
                let numbers: Registry<u32> = Registry::new(KIND_REGION);
                let h: *mut lsim_region = numbers.insert(1).unwrap();
                assert_eq!(*numbers.lookup(h).unwrap(), 1);
                #[cfg(target_pointer_width = "64")]
                assert!(h.addr() < 1 << 38);
                h.addr()
            })
            .collect();
        assert!(firsts.iter().any(|&h| h != 0x40_0001));
        assert!(firsts.iter().any(|&h| h != firsts[0]), "{firsts:x?}");
    }

    #[test]
    fn region_tags_are_distinct_and_nonzero() {
        let tags: Vec<RegionTag> = (0..1000).map(|_| next_tag()).collect();
        assert!(tags.iter().all(|t| t.0 != 0));
        let mut sorted: Vec<u32> = tags.iter().map(|t| t.0).collect();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), tags.len());
    }

    #[test]
    fn freed_slots_wait_in_quarantine() {
        let handle = || {
            let config = lambdasim::RegionConfig::default();
            insert(crate::api::build_region_for_tests(config)).unwrap()
        };
        let first = handle();
        let (first_index, _) = REGIONS.decode(first).unwrap();
        remove(first).unwrap();
        // Other tests run in parallel, so only check that the next region
        // does not get the slot just freed while the quarantine is short.
        let next = handle();
        let (next_index, _) = REGIONS.decode(next).unwrap();
        if REGIONS.free_len() < QUARANTINE {
            assert_ne!(next_index, first_index);
        }
        assert_eq!(REGIONS.lookup(first).err(), Some(lsim_status::StaleHandle));
        remove(next).unwrap();
    }

    #[test]
    fn registries_of_different_kinds_do_not_mix() {
        let numbers: Registry<u32> = Registry::new(KIND_SIM_RESULT);
        let h: *mut lsim_region = numbers.insert(7).unwrap();
        assert_eq!(*numbers.lookup(h).unwrap(), 7);
        assert_eq!(REGIONS.lookup(h).err(), Some(lsim_status::StaleHandle), "a result handle is no region");
        assert_eq!(REGIONS.remove(h).err(), Some(lsim_status::StaleHandle));
        numbers.remove(h).unwrap();
        assert_eq!(numbers.lookup(h).err(), Some(lsim_status::StaleHandle));
        assert_eq!(numbers.remove(h).err(), Some(lsim_status::StaleHandle), "a second free");
    }
}
