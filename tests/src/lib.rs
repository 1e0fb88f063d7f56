//! Test support for lambdasim: the conformance-vector runner and the model
//! harness the property tests and seeded simulations share.
//!
//! - [`vectors`] parses the JSON vectors of `tests/vectors/` (format in
//!   `tests/vectors/README.md`) and drives a [`lambdasim::Region`] through
//!   them, checking every expected answer and the region's invariants after
//!   every step.
//! - [`bills`] runs the pricing vectors of `tests/vectors/pricing/` (bills
//!   of usage descriptions, docs/model.md §5) and checks the bills of the region
//!   vectors' `bill` steps.
//! - [`model`] applies random operation sequences to a region and checks the
//!   eight invariants of docs/model.md §2 after every operation, against its own
//!   bookkeeping of what is running.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod alarms;
pub mod bills;
pub mod model;
pub mod vectors;

/// Runs `f` on a thread with a large stack and returns its result.
///
/// A `Region` with thousands of environment slots is megabytes large and is
/// built by value before it can be boxed; in debug builds several copies may
/// sit on the stack at once, more than a default test thread has.
///
/// # Panics
/// Re-raises a panic of `f`.
pub fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    const STACK: usize = 64 << 20;
    let handle = std::thread::Builder::new().stack_size(STACK).spawn(f).expect("spawn a big-stack thread");
    match handle.join() {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e),
    }
}

/// The property tests' configuration: `PROPTEST_CASES` cases (default
/// 1000), drawn from a fixed seed so every run (CI included) checks the same
/// cases; set `LAMBDASIM_SEED=n` to explore others (a failure prints the
/// case, and proptest keeps it in the test's `.proptest-regressions` file).
pub fn proptest_config() -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let seed = std::env::var("LAMBDASIM_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_261_128);
    proptest::test_runner::Config {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..proptest::test_runner::Config::default()
    }
}
