//! Memory → CPU (docs/model.md §3): CPU share, visible cores, and a handler's
//! duration at any memory size.
//!
//! Lambda allocates CPU in proportion to memory: 1769 MB is one vCPU. The
//! visible core count is `min(6, ceil(mb / 1769))`. A [`DurationProfile`]
//! splits a handler into I/O time (unaffected by CPU) and CPU time measured
//! at one full vCPU, usable by up to `threads` threads; its duration at
//! memory `m` is `io + cpu / min(threads, cores(m), m / 1769)`. All of it is
//! exact integer arithmetic (durations round up to the next µs).

use crate::memory::MemoryMb;
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// Memory that buys one full vCPU.
pub const MB_PER_VCPU: u32 = 1_769;
/// The most vCPUs a function sees (at 10 240 MB).
pub const MAX_CORES: u32 = 6;

/// Visible cores at `memory`: `min(6, ceil(mb / 1769))`.
pub const fn visible_cores(memory: MemoryMb) -> u32 {
    let cores = memory.get().div_ceil(MB_PER_VCPU);
    if cores > MAX_CORES { MAX_CORES } else { cores }
}

/// The CPU share at `memory` in vCPUs (`mb / 1769`), as a float for display.
pub fn vcpu_share(memory: MemoryMb) -> f64 {
    f64::from(memory.get()) / f64::from(MB_PER_VCPU)
}

/// A handler's work: I/O time, CPU time at one vCPU, and its parallelism.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DurationProfile {
    /// Time spent waiting (network, disk), unaffected by CPU, µs.
    pub io_us: u64,
    /// CPU time at one full vCPU, µs.
    pub cpu_us: u64,
    /// How many threads the CPU work can use (0 is treated as 1).
    pub threads: u32,
}

impl DurationProfile {
    /// A single-threaded CPU-bound handler taking `cpu_us` at one vCPU.
    pub const fn cpu_bound(cpu_us: u64) -> Self {
        DurationProfile { io_us: 0, cpu_us, threads: 1 }
    }

    /// The duration at `memory`: `io + cpu / min(threads, cores, mb/1769)`,
    /// rounded up to the µs, saturating.
    pub fn duration_at(&self, memory: MemoryMb) -> Duration {
        let mb = u128::from(memory.get());
        let threads = u128::from(self.threads.max(1));
        let cores = u128::from(visible_cores(memory));
        let whole = threads.min(cores);
        let cpu = u128::from(self.cpu_us);
        // Parallelism is min(whole, mb/1769): compare whole × 1769 with mb.
        let cpu_time = if whole * u128::from(MB_PER_VCPU) <= mb {
            cpu.div_ceil(whole)
        } else {
            (cpu * u128::from(MB_PER_VCPU)).div_ceil(mb)
        };
        let total = u128::from(self.io_us).saturating_add(cpu_time);
        Duration::from_micros(u64::try_from(total).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(m: u32) -> MemoryMb {
        MemoryMb::new(m).unwrap()
    }

    #[test]
    fn cores_map() {
        assert_eq!(visible_cores(mb(128)), 1);
        assert_eq!(visible_cores(mb(1_769)), 1);
        assert_eq!(visible_cores(mb(1_770)), 2);
        assert_eq!(visible_cores(mb(3_538)), 2);
        assert_eq!(visible_cores(mb(10_240)), 6);
        assert!((vcpu_share(mb(1_769)) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn single_thread_scales_until_one_vcpu() {
        let p = DurationProfile::cpu_bound(1_000_000);
        assert_eq!(p.duration_at(mb(1_769)), Duration::from_secs(1));
        assert_eq!(p.duration_at(mb(10_240)), Duration::from_secs(1), "one thread cannot use more");
        // 128 MB is 128/1769 of a vCPU: 1 s of CPU takes 1769/128 s.
        assert_eq!(p.duration_at(mb(128)).as_micros(), 13_820_313);
    }

    #[test]
    fn threads_use_more_cores_and_io_is_fixed() {
        let p = DurationProfile { io_us: 100_000, cpu_us: 6_000_000, threads: 8 };
        // 10 240 MB is 5.79 vCPUs of share, below its 6 visible cores.
        assert_eq!(p.duration_at(mb(10_240)), Duration::from_micros(100_000 + 1_036_524));
        // 3538 MB = exactly 2 vCPUs.
        assert_eq!(p.duration_at(mb(3_538)), Duration::from_micros(3_100_000));
        let zero_threads = DurationProfile { threads: 0, ..p };
        assert_eq!(zero_threads.duration_at(mb(1_769)), Duration::from_micros(6_100_000));
    }

    #[test]
    fn duration_never_grows_with_memory() {
        let p = DurationProfile { io_us: 7, cpu_us: 123_456_789, threads: 3 };
        let mut last = Duration::MAX;
        for m in 128..=10_240 {
            let d = p.duration_at(mb(m));
            assert!(d <= last, "at {m}");
            last = d;
        }
    }
}
