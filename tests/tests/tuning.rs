//! Property tests of power tuning (docs/model.md §6) over `tune_profile` with random
//! duration profiles and memory lists: balanced with w = 0 picks as Speed
//! and with w = 1 as Cost; Cost and Speed picks are optimal with their tie
//! rules; the run's maxima are the candidates' maxima; every candidate is
//! the profile's docs/model.md §3 duration priced as one invocation.
//!
//! `PROPTEST_CASES=n` sets the number of cases (default 1000); cases come from
//! a fixed seed, `LAMBDASIM_SEED=n` draws others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::cpu::DurationProfile;
use lambdasim::pricing::{Architecture, Granularity, PriceBook};
use lambdasim::tuning::{Candidate, MemoryList, Strategy as Pick, TuneConfig, TuneError, Tuned, tune_profile};
use lambdasim::{Duration, MemoryMb};
use proptest::prelude::*;
use proptest::sample::select;

fn profile() -> impl Strategy<Value = DurationProfile> {
    (
        prop_oneof![Just(0u64), 0u64..=200_000, 0u64..=900_000_000],
        prop_oneof![Just(0u64), 0u64..=5_000_000, 0u64..=900_000_000],
        0u32..=16,
    )
        .prop_map(|(io_us, cpu_us, threads)| DurationProfile { io_us, cpu_us, threads })
}

/// Custom lists with duplicates and the interesting sizes (1769 MB = one vCPU).
fn memories() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(prop_oneof![128u32..=10_240, select(vec![128u32, 1_769, 1_770, 3_008, 3_538, 10_240])], 1..24)
}

fn config() -> impl Strategy<Value = TuneConfig> {
    (
        select(Architecture::ALL.to_vec()),
        select(vec![PriceBook::US_EAST_1, PriceBook::US_EAST_1_2020]),
        select(vec![Granularity::Ms1, Granularity::Ms100]),
    )
        .prop_map(|(arch, prices, granularity)| TuneConfig { arch, prices, granularity })
}

fn run(p: &DurationProfile, list: MemoryList<'_>, s: Pick, c: &TuneConfig) -> (Vec<Candidate>, Tuned) {
    let mut out = vec![Candidate::default(); list.len()];
    let t = tune_profile(p, list, s, c, &mut out).unwrap();
    (out, t)
}

proptest! {
    #![proptest_config(lambdasim_tests::proptest_config())]

    #[test]
    fn balanced_extremes_are_speed_and_cost(p in profile(), mems in memories(), c in config()) {
        let list = MemoryList::Custom(&mems);
        let (_, speed) = run(&p, list, Pick::Speed, &c);
        let (_, cost) = run(&p, list, Pick::Cost, &c);
        let (_, w0) = run(&p, list, Pick::Balanced { weight_ppm: 0 }, &c);
        let (_, w1) = run(&p, list, Pick::Balanced { weight_ppm: Pick::PPM }, &c);
        prop_assert_eq!(w0.pick, speed.pick);
        prop_assert_eq!(w1.pick, cost.pick);
    }

    #[test]
    fn picks_follow_their_tie_rules(p in profile(), mems in memories(), c in config(), w in 0u32..=1_000_000) {
        let list = MemoryList::Custom(&mems);
        let (cands, cost) = run(&p, list, Pick::Cost, &c);
        prop_assert_eq!(cands.len(), mems.len());
        prop_assert_eq!(cost.count, mems.len());
        // Cost: cheapest, then fastest, then smallest memory.
        let best = cands.iter().min_by_key(|x| (x.cost, x.duration_us, x.memory_mb)).unwrap();
        prop_assert_eq!(&cost.pick, best);
        // Speed: fastest, then cheapest, then smallest memory.
        let (_, speed) = run(&p, list, Pick::Speed, &c);
        let best = cands.iter().min_by_key(|x| (x.duration_us, x.cost, x.memory_mb)).unwrap();
        prop_assert_eq!(&speed.pick, best);
        // Maxima, and a balanced pick is one of the candidates whose score
        // no other candidate beats (compared exactly in rationals).
        prop_assert_eq!(cost.max_cost, cands.iter().map(|x| x.cost).max().unwrap());
        prop_assert_eq!(cost.max_duration_us, cands.iter().map(|x| x.duration_us).max().unwrap());
        let (_, bal) = run(&p, list, Pick::Balanced { weight_ppm: w }, &c);
        prop_assert!(cands.contains(&bal.pick));
        let score = |x: &Candidate| {
            // w·cost·D + (1−w)·dur·C, the score times max_cost·max_duration·10^6.
            let (cmax, dmax) = (cost.max_cost.atoms(), u128::from(cost.max_duration_us));
            u128::from(w) * x.cost.atoms() * dmax + u128::from(Pick::PPM - w) * u128::from(x.duration_us) * cmax
        };
        let s = score(&bal.pick);
        prop_assert!(cands.iter().all(|x| score(x) >= s), "a candidate scores better than the pick");
    }

    #[test]
    fn candidates_are_the_profile_priced(p in profile(), mems in memories(), c in config()) {
        let (cands, _) = run(&p, MemoryList::Custom(&mems), Pick::Cost, &c);
        for (x, &mb) in cands.iter().zip(&mems) {
            let d = p.duration_at(MemoryMb::new(mb).unwrap());
            prop_assert_eq!(x.memory_mb, mb);
            prop_assert_eq!(x.duration_us, d.as_micros());
            prop_assert_eq!(x.billed_ms, c.granularity.billed_ms(d));
            prop_assert_eq!(*x, c.candidate(mb, d).unwrap());
        }
        // More memory never makes a profile slower.
        let mut sorted = cands.clone();
        sorted.sort_by_key(|x| x.memory_mb);
        prop_assert!(sorted.windows(2).all(|w| w[0].duration_us >= w[1].duration_us));
    }
}

#[test]
fn every_size_and_the_default_list() {
    let p = DurationProfile { io_us: 20_000, cpu_us: 2_000_000, threads: 4 };
    let c = TuneConfig::default();
    let (all, t) = run(&p, MemoryList::All, Pick::Speed, &c);
    assert_eq!(all.len(), 10_113);
    assert_eq!(t.pick.duration_us, all.iter().map(|x| x.duration_us).min().unwrap());
    let (def, _) = run(&p, MemoryList::Default, Pick::Cost, &c);
    assert_eq!(def.iter().map(|x| x.memory_mb).collect::<Vec<_>>(), [128, 256, 512, 1_024, 1_536, 3_008]);
    assert_eq!(def[3], all[1_024 - 128]);
    let mut small = [Candidate::default(); 3];
    assert_eq!(
        tune_profile(&p, MemoryList::Default, Pick::Cost, &c, &mut small),
        Err(TuneError::BufferTooSmall { needed: 6 })
    );
    assert_eq!(tune_profile(&p, MemoryList::Custom(&[]), Pick::Cost, &c, &mut small), Err(TuneError::Empty));
    let d = p.duration_at(MemoryMb::new(4_000).unwrap());
    assert!(d > Duration::ZERO);
}
