//! Seeded long simulations: thousands of random operations per seed on
//! regions up to a few thousand concurrency, with every docs/model.md §2 invariant
//! checked after every operation (see `lambdasim_tests::model`).
//!
//! A failure prints its seed; replay it alone with
//! `LAMBDASIM_SEED=<n> cargo test -p lambdasim-tests --test seeded`.
//! `LAMBDASIM_OPS=<n>` changes the number of operations per seed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::Rng;
use lambdasim_tests::model::{Coverage, GenParams, Harness, Op, Step, random_fn_spec, random_region, random_step};
use lambdasim_tests::with_big_stack;

/// Room for every environment a region of limit ≤ 2000 and ≤ 16 functions keeps.
type SimHarness = Harness<16_384, 16>;

const SEEDS: [u64; 8] = [1, 2, 3, 42, 1_234, 99_991, 0xDEAD_BEEF, 0x0123_4567_89AB_CDEF];
const DEFAULT_OPS: usize = 3_000;

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    match v.parse() {
        Ok(n) => Some(n),
        Err(_) => panic!("{name}={v:?} is not a number"),
    }
}

/// One seeded run: everything (region, functions, operations) comes from the seed.
fn simulate(seed: u64, ops: usize) -> Result<Coverage, String> {
    with_big_stack(move || {
        let mut rng = Rng::new(seed);
        let region = random_region(&mut rng, (100, 2_000));
        let params = GenParams {
            account_limit: region.account_limit,
            max_many: region.account_limit * 3 / 2,
            max_provisioned: 50,
        };
        let mut h = SimHarness::new(region)?;
        let functions = 1 + rng.below(5);
        for _ in 0..functions {
            let spec = random_fn_spec(&mut rng, &params);
            h.apply(&Step { dt_us: 0, op: Op::CreateFunction(spec) })?;
        }
        for i in 0..ops {
            let step = random_step(&mut rng, &params);
            h.apply(&step).map_err(|e| format!("operation {i}: {e}"))?;
        }
        h.drain()?;
        Ok(h.coverage().clone())
    })
}

#[test]
fn seeded_simulations_keep_every_invariant() {
    let ops = env_u64("LAMBDASIM_OPS").map_or(DEFAULT_OPS, |n| n as usize);
    let seeds: Vec<u64> = match env_u64("LAMBDASIM_SEED") {
        Some(seed) => vec![seed],
        None => SEEDS.to_vec(),
    };
    let mut total = Coverage::default();
    let mut failures = Vec::new();
    for &seed in &seeds {
        match simulate(seed, ops) {
            Ok(c) => total.add(&c),
            Err(e) => failures.push(format!(
                "seed {seed}: {e}\n  replay: LAMBDASIM_SEED={seed} cargo test -p lambdasim-tests --test seeded"
            )),
        }
    }
    assert!(failures.is_empty(), "{} of {} seeds failed:\n{}", failures.len(), seeds.len(), failures.join("\n"));
    println!("{total:#?}");
    if seeds.len() == SEEDS.len() && ops == DEFAULT_OPS {
        // The fixed seeds must exercise what the invariants are about.
        assert!(total.starts.iter().all(|&n| n > 0), "not every start kind was seen: {total:?}");
        assert!(total.throttles.iter().all(|&n| n > 0), "not every throttle reason was seen: {total:?}");
        assert!(total.timed_out > 0 && total.not_ready > 0 && total.config_rejected > 0, "{total:?}");
    }
}

#[test]
fn same_seed_same_run() {
    // Determinism: a seed replays exactly.
    let a = simulate(7, 500).expect("seed 7 passes");
    let b = simulate(7, 500).expect("seed 7 passes");
    assert_eq!(a, b);
}
