//! Arbitrary bytes as configs, handles, enum values and times through the C
//! ABI. Nothing may crash, leak or touch memory it should not (run it under
//! ASan: scripts/fuzz.sh does).
#![no_main]

use lambdasim_ffi::*;
use libfuzzer_sys::fuzz_target;

/// Reads values off the input; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }
    /// A config struct: the defaults with some bytes overwritten at random
    /// offsets, struct_size sometimes wrong.
    fn mutate<T: Copy>(&mut self, mut value: T) -> T {
        let size = size_of::<T>();
        let flips = self.u8() % 4;
        for _ in 0..flips {
            let at = usize::from(self.u8()) % size;
            let byte = self.u8();
            // SAFETY: `at < size_of::<T>()` and T is a repr(C) struct of integers
            // (and doubles): any byte is valid.
            unsafe { (&raw mut value).cast::<u8>().add(at).write(byte) };
        }
        value
    }
}

/// An all-zero C struct (every field an integer: a valid value).
fn zeroed<T: Copy>() -> T {
    // SAFETY: only instantiated with repr(C) structs of integers (and
    // doubles), for which all zeros is valid.
    unsafe { std::mem::zeroed() }
}

fn region_defaults() -> lsim_region_config {
    let mut c = zeroed();
    // SAFETY: a valid out-pointer.
    let _ = unsafe { lsim_region_config_default(&mut c) };
    c
}

fn function_defaults() -> lsim_function_config {
    let mut c = zeroed();
    // SAFETY: a valid out-pointer.
    let _ = unsafe { lsim_function_config_default(&mut c) };
    c
}

fn alarm_defaults() -> lsim_alarm_config {
    let mut c = zeroed();
    // SAFETY: a valid out-pointer.
    let _ = unsafe { lsim_alarm_config_default(&mut c) };
    c
}

/// An alarm over up to 15 periods: mutated config bytes, any doubles (NaN,
/// infinities), a mask with bytes that are not 0/1, any buffer capacity.
fn alarm_calls(b: &mut Bytes<'_>) {
    let config = b.mutate(alarm_defaults());
    let n = usize::from(b.u8() % 16);
    let values: Vec<f64> = (0..n).map(|_| f64::from_bits(b.u64())).collect();
    let present: Vec<u8> = (0..n).map(|_| b.u8() % 3).collect();
    let mask = if b.u8().is_multiple_of(2) { present.as_ptr() } else { std::ptr::null() };
    let mut out = [lsim_alarm_transition::default(); 16];
    let cap = usize::from(b.u8()) % 17;
    let (mut len, mut state, mut problem) = (0usize, 0u32, 0u32);
    // SAFETY: `values` and `present` hold `n` elements, `out` at least `cap`.
    let _ = unsafe {
        lsim_alarm_evaluate(&config, b.u64(), values.as_ptr(), mask, n, out.as_mut_ptr(), cap, &mut len, &mut state)
    };
    // SAFETY: valid pointers.
    let _ = unsafe { lsim_alarm_config_check(&config, &mut problem) };
    let _ = lsim_alarm_error_str(problem);
    let _ = lsim_metric_str(b.u32());
    let _ = lsim_alarm_state_str(b.u32());
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let rc = b.mutate(region_defaults());
    let mut region: *mut lsim_region = std::ptr::null_mut();
    // SAFETY: both pointers are valid for the call.
    if unsafe { lsim_region_new(&rc, &mut region) } != lsim_status::Ok {
        region = (b.u64() as usize) as *mut lsim_region; // a made-up handle
    }
    let mut functions = Vec::new();
    let mut invocations = Vec::new();
    // The region's tag, once a create shows it: made-up handles carry it so
    // they reach the core's own lookups.
    let mut tag = 0u32;
    while !b.0.is_empty() {
        let now = b.u64() % 10_000_000_000;
        match b.u8() % 10 {
            0 => {
                let fc = b.mutate(function_defaults());
                let mut f: lsim_function = zeroed();
                // SAFETY: valid pointers.
                if unsafe { lsim_function_create(region, now, &fc, &mut f) } == lsim_status::Ok {
                    tag = f.region_tag;
                    functions.push(f);
                }
            }
            1 | 2 => {
                let f = functions.get(usize::from(b.u8()) % functions.len().max(1)).copied().unwrap_or(lsim_function {
                    index: b.u32(),
                    generation: b.u32(),
                    region_tag: b.u32(),
                });
                let mut r: lsim_invoke_result = zeroed();
                // An invoke, or one the region ends by itself (any outcome code, init override or not).
                let (handler_us, outcome, init_us) = (b.u64() % 5_000_000, u32::from(b.u8() % 6), b.u64() % 20_000_000);
                // SAFETY: valid pointer.
                let status = unsafe {
                    match b.u8() % 4 {
                        0 => lsim_invoke_for(region, now, f, handler_us, outcome, &mut r),
                        1 => lsim_invoke_for_with_init(region, now, f, handler_us, outcome, init_us, &mut r),
                        _ => lsim_invoke(region, now, f, &mut r),
                    }
                };
                if status == lsim_status::Ok && r.throttled == 0 {
                    invocations.push(r.invocation);
                }
            }
            3 | 4 => {
                let inv = invocations.get(usize::from(b.u8()) % invocations.len().max(1)).copied().unwrap_or(
                    lsim_invocation {
                        env: lsim_env { index: b.u32(), generation: b.u32(), region_tag: b.u32() },
                        seq: b.u32(),
                    },
                );
                let mut out: lsim_finish_result = zeroed();
                // SAFETY: valid pointer.
                let _ = unsafe { lsim_finish(region, now, inv, u32::from(b.u8() % 6), &mut out) };
            }
            5 => {
                let f = lsim_function { index: b.u32() % 8, generation: b.u32() % 4, region_tag: tag };
                let _ = lsim_function_put_reserved(region, now, f, u32::from(b.u8() % 3), b.u32() % 2_000);
                let _ = lsim_function_put_provisioned(region, now, f, b.u32() % 2_000);
            }
            6 => {
                let _ = lsim_advance(region, now);
                let _ = lsim_region_check(region);
            }
            7 => {
                let mut counts: lsim_region_counts = zeroed();
                // SAFETY: valid pointer.
                let _ = unsafe { lsim_region_get_counts(region, &mut counts) };
                let mut stats: lsim_stats = zeroed();
                // SAFETY: valid pointer.
                let _ = unsafe { lsim_region_stats(region, &mut stats) };
                let mut buf = [0 as core::ffi::c_char; 16];
                let mut len = 0usize;
                let cap = usize::from(b.u8()) % 17;
                // SAFETY: `buf` holds at least `cap` bytes.
                let _ = unsafe { lsim_region_check_message(region, buf.as_mut_ptr(), cap, &mut len) };
            }
            8 => {
                let f = lsim_function { index: b.u32() % 8, generation: b.u32() % 4, region_tag: tag };
                match b.u8() % 4 {
                    0 => {
                        let _ = lsim_function_delete(region, now, f);
                    }
                    1 => {
                        let _ = lsim_function_set_keep_alive(region, now, f, u32::from(b.u8() % 3), b.u64());
                        let (mut started, mut env) = (0u32, zeroed::<lsim_env>());
                        // SAFETY: valid pointers.
                        let _ = unsafe { lsim_prewarm(region, now, f, &mut started, &mut env) };
                    }
                    2 => {
                        let mut o: lsim_occupancy = zeroed();
                        // SAFETY: valid pointers.
                        let _ = unsafe { lsim_function_occupancy(region, f, &mut o) };
                        // SAFETY: valid pointers.
                        let _ = unsafe { lsim_region_occupancy(region, &mut o) };
                        let mut peak = 0u32;
                        // SAFETY: valid pointer.
                        let _ = unsafe { lsim_region_take_busy_window_peak(region, &mut peak) };
                    }
                    _ => {
                        let env = lsim_env { index: b.u32() % 64, generation: b.u32() % 4, region_tag: tag };
                        let mut g: lsim_function = zeroed();
                        // SAFETY: valid pointer.
                        let _ = unsafe { lsim_env_function(region, env, &mut g) };
                        let mut c: lsim_function_config = zeroed();
                        // SAFETY: valid pointer.
                        let _ = unsafe { lsim_function_get_config(region, f, &mut c) };
                    }
                }
            }
            _ => {
                let _ = lsim_status_str(b.u32());
                let _ = lsim_throttle_reason_str(b.u32());
                let _ = lsim_start_kind_str(b.u32());
                alarm_calls(&mut b);
            }
        }
    }
    let _ = lsim_region_free(region);
    let _ = lsim_region_free(region); // a double free is answered, never a crash
});
