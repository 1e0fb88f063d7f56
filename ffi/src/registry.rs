//! Region handles: opaque values that index a global registry.
//!
//! A `lsim_region *` is never a pointer to Rust memory. Its address encodes a
//! (slot index, generation) pair; every call decodes it and looks the slot up
//! in `REGISTRY`, so NULL, freed, stale and made-up handles are answered
//! with a status instead of undefined behaviour. The registry holds each
//! region in an `Arc`, so `lsim_region_free` racing with another call on the
//! same region only drops the registry's reference: the memory goes when the
//! last call returns.
//!
//! Encoding: `address = generation << 21 | index << 1 | 1`, with a 20-bit
//! index and a generation of 1..=`GEN_MAX`. The low bit makes it odd (never
//! NULL, never an aligned pointer), and generation 1 keeps it at least
//! 0x200001. On 64-bit targets the generation has 17 bits, so every handle
//! is below 2^38: garbage collectors that inspect pointer-typed values (Go
//! checks that they do not point into unallocated parts of its heap, which
//! starts at 2^38 or above) never see a handle inside their heap. 32-bit
//! targets have 11 generation bits.
//!
//! A freed slot is reused only once `QUARANTINE` other slots are free, so a
//! program that creates and frees regions in a loop cycles through that many
//! slots: a stale handle would need `QUARANTINE` × `GEN_MAX` (about 33
//! million on 64-bit targets) frees before it could name a live region.

use crate::status::lsim_status;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The region type behind every handle: 16384 environment slots, 256
/// function slots.
pub(crate) type CoreRegion =
    lambdasim::Region<{ crate::types::LSIM_ENV_CAPACITY }, { crate::types::LSIM_FUNCTION_CAPACITY }>;

/// An opaque region. Create with `lsim_region_new`, free with
/// `lsim_region_free`. Not a pointer to memory: never dereference it.
#[allow(non_camel_case_types)]
pub struct lsim_region {
    _opaque: [u8; 0],
}

const INDEX_BITS: u32 = 20;
const GEN_SHIFT: u32 = INDEX_BITS + 1;
/// Bits of the generation: handles stay below 2^38 on 64-bit targets.
const GEN_BITS: u32 = if usize::BITS >= 64 { 17 } else { usize::BITS - GEN_SHIFT };
/// The largest generation; generations run 1..=GEN_MAX and wrap to 1.
const GEN_MAX: u32 = (1 << GEN_BITS) - 1;
/// Slots the registry can hold (live regions at once).
const MAX_SLOTS: usize = 1 << INDEX_BITS;
const INDEX_MASK: usize = MAX_SLOTS - 1;
/// Free slots kept out of reuse, oldest reused first.
const QUARANTINE: usize = 256;

/// What the registry keeps for one live region.
pub(crate) struct Entry {
    pub region: Box<CoreRegion>,
    /// A call panicked while using the region: it may be inconsistent.
    pub poisoned: bool,
}

struct Slot {
    generation: u32,
    entry: Option<Arc<Mutex<Entry>>>,
}

struct Registry {
    slots: Vec<Slot>,
    /// Free slots, oldest first.
    free: VecDeque<u32>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { slots: Vec::new(), free: VecDeque::new() });

/// The registry, even if a panic poisoned its lock: every update below
/// leaves it consistent before anything that could panic.
fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

fn encode(index: usize, generation: u32) -> *mut lsim_region {
    let addr = ((generation as usize) << GEN_SHIFT) | ((index & INDEX_MASK) << 1) | 1;
    std::ptr::without_provenance_mut(addr)
}

fn decode(handle: *const lsim_region) -> Option<(usize, u32)> {
    let addr = handle.addr();
    if addr & 1 == 0 {
        return None;
    }
    let index = (addr >> 1) & INDEX_MASK;
    let generation = u32::try_from(addr >> GEN_SHIFT).ok().filter(|g| (1..=GEN_MAX).contains(g))?;
    Some((index, generation))
}

/// Registers a region and returns its new handle.
pub(crate) fn insert(region: Box<CoreRegion>) -> Result<*mut lsim_region, lsim_status> {
    let entry = Arc::new(Mutex::new(Entry { region, poisoned: false }));
    let mut reg = registry();
    let grow = reg.free.len() <= QUARANTINE && reg.slots.len() < MAX_SLOTS;
    if !grow {
        if let Some(index) = reg.free.pop_front() {
            let slot = reg.slots.get_mut(index as usize).ok_or(lsim_status::Internal)?;
            slot.entry = Some(entry);
            return Ok(encode(index as usize, slot.generation));
        }
        return Err(lsim_status::CapacityExceeded);
    }
    let index = reg.slots.len();
    reg.slots.push(Slot { generation: 1, entry: Some(entry) });
    Ok(encode(index, 1))
}

/// The live entry a handle names.
///
/// # Errors
/// `LSIM_STATUS_NULL_POINTER` for NULL, `LSIM_STATUS_STALE_HANDLE` for a
/// freed or made-up handle.
fn lookup(handle: *const lsim_region) -> Result<Arc<Mutex<Entry>>, lsim_status> {
    if handle.is_null() {
        return Err(lsim_status::NullPointer);
    }
    let (index, generation) = decode(handle).ok_or(lsim_status::StaleHandle)?;
    let reg = registry();
    let slot = reg.slots.get(index).ok_or(lsim_status::StaleHandle)?;
    match &slot.entry {
        Some(entry) if slot.generation == generation => Ok(Arc::clone(entry)),
        _ => Err(lsim_status::StaleHandle),
    }
}

/// Unregisters a region. The handle and every copy of it become stale.
///
/// # Errors
/// As [`lookup`].
pub(crate) fn remove(handle: *const lsim_region) -> Result<(), lsim_status> {
    if handle.is_null() {
        return Err(lsim_status::NullPointer);
    }
    let (index, generation) = decode(handle).ok_or(lsim_status::StaleHandle)?;
    let entry = {
        let mut reg = registry();
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
    // Dropped outside the registry lock: freeing 1.7 MB should not block
    // other regions' lookups.
    drop(entry);
    Ok(())
}

/// Runs `f` on the region a handle names, under its lock.
///
/// A panic inside `f` is caught: the region is marked poisoned and the call
/// returns `LSIM_STATUS_PANIC`; later calls return `LSIM_STATUS_POISONED`.
pub(crate) fn with_region<R>(
    handle: *const lsim_region,
    f: impl FnOnce(&mut CoreRegion) -> Result<R, lsim_status>,
) -> Result<R, lsim_status> {
    let entry = lookup(handle)?;
    let mut guard = entry.lock().map_err(|_| lsim_status::Poisoned)?;
    if guard.poisoned {
        return Err(lsim_status::Poisoned);
    }
    // The guard is borrowed, not moved, into the closure: it is not dropped
    // while unwinding, so the std lock is not poisoned; our flag is.
    match catch_unwind(AssertUnwindSafe(|| f(&mut guard.region))) {
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
        for (index, generation) in [(0usize, 1u32), (5, 7), (INDEX_MASK, GEN_MAX)] {
            let h = encode(index, generation);
            assert!(!h.is_null());
            assert_eq!(h.addr() & 1, 1);
            assert!(h.addr() >= 0x20_0001);
            assert_eq!(decode(h), Some((index, generation)));
        }
        #[cfg(target_pointer_width = "64")]
        assert!(encode(INDEX_MASK, GEN_MAX).addr() < 1 << 38);
        assert_eq!(decode(std::ptr::without_provenance(8)), None);
        assert_eq!(decode(std::ptr::without_provenance(1)), None, "generation 0");
    }

    #[test]
    fn freed_slots_wait_in_quarantine() {
        let handle = || {
            let config = lambdasim::RegionConfig::default();
            insert(crate::api::build_region_for_tests(config)).unwrap()
        };
        let first = handle();
        let (first_index, _) = decode(first).unwrap();
        remove(first).unwrap();
        // Other tests run in parallel, so only check that the next region
        // does not get the slot just freed while the quarantine is short.
        let next = handle();
        let (next_index, _) = decode(next).unwrap();
        if registry().free.len() < QUARANTINE {
            assert_ne!(next_index, first_index);
        }
        assert_eq!(lookup(first).err(), Some(lsim_status::StaleHandle));
        remove(next).unwrap();
    }
}
