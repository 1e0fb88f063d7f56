//! Links the whole core into a `#![no_std]` artifact: the build fails if
//! anything in its graph needs std.
#![no_std]

use lambdasim::{FunctionConfig, Instant, Region, RegionConfig, RegionStorage};

/// Exercises the core so its code is part of the artifact.
#[unsafe(no_mangle)]
pub extern "C" fn lambdasim_nostd_check() -> u32 {
    let mut storage = RegionStorage::<8, 2>::new();
    let Ok(mut region) = Region::new_in(RegionConfig::default(), &mut storage) else { return 1 };
    match region.create_function(Instant::ZERO, &FunctionConfig::default()) {
        Ok(f) => u32::from(region.invoke(Instant::ZERO, f).is_ok()),
        Err(_) => 2,
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
