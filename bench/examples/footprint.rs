//! Prints what a region and a simulation hold:
//! `cargo run --release -p lambdasim-bench --example footprint`.
//!
//! A region's value is small; its tables are storage (lent, or owned and
//! grown on demand), so memory is per slot in use.
use lambdasim::sim::{FUNCTION_LATENCY_BYTES, Sim, SimStorage};
use lambdasim::{Capacity, ENV_SLOT_BYTES, FUNCTION_SLOT_BYTES, Region, RegionStorage, WHEEL_BYTES, pricing::Meter};
use std::mem::size_of;

fn main() {
    println!("Region (the value, without its tables): {} bytes", size_of::<Region<'static>>());
    println!("per environment slot: {ENV_SLOT_BYTES} bytes");
    println!("per function slot: {FUNCTION_SLOT_BYTES} bytes");
    println!("timing wheel buckets (per region): {WHEEL_BYTES} bytes");
    for (envs, functions) in [(64, 4), (4_096, 64), (16_384, 256), (65_536, 64)] {
        let bytes = Capacity { envs, functions }.bytes();
        println!("storage at capacity {envs} environments, {functions} functions: {bytes} bytes");
    }
    println!("RegionStorage<4096, 64>: {} bytes", size_of::<RegionStorage<4_096, 64>>());
    println!("Sim<'_, 64> (the value, 64 function states): {} bytes", size_of::<Sim<'static, 64>>());
    println!("SimStorage<4096, 4>: {} bytes", size_of::<SimStorage<4_096, 4>>());
    println!("per simulated function, latency histograms (in the storage): {FUNCTION_LATENCY_BYTES} bytes");
    println!("Meter: {} bytes", size_of::<Meter>());
}
