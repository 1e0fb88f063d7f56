//! Prints the size of the types a user embeds: `cargo run -p lambdasim-bench --example footprint`.
use lambdasim::sim::Sim;
use lambdasim::{Region, pricing::Meter};
use std::mem::size_of;

fn main() {
    println!("Region<4096, 64> (default): {} bytes", size_of::<Region>());
    println!("Region<16384, 256> (C ABI): {} bytes", size_of::<Region<16_384, 256>>());
    println!("Region<1024, 8>: {} bytes", size_of::<Region<1_024, 8>>());
    println!("Sim<4096, 4>: {} bytes", size_of::<Sim<'static, 4_096, 4>>());
    println!("Meter: {} bytes", size_of::<Meter>());
    println!(
        "per environment slot: ~{} bytes",
        (size_of::<Region<2_048, 8>>() - size_of::<Region<1_024, 8>>()) / 1_024
    );
}
