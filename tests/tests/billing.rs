//! Property tests of bills (docs/model.md §5): monotonic in requests, duration and
//! memory; graduated tiers never above the tier-1 price; every line shown
//! within half a cent of its exact amount; and usage of any size billed
//! exactly (against an independent u128 reference) or reported as
//! `Overflow` — never a wrong number.
//!
//! `PROPTEST_CASES=n` sets the number of cases (default 1000); cases come from
//! a fixed seed, `LAMBDASIM_SEED=n` draws others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim::Duration;
use lambdasim::money::{ATOMS_PER_CENT, ATOMS_PER_UNIT, Money};
use lambdasim::pricing::{
    Architecture, Bill, BillError, FREE_EPHEMERAL_MB, Granularity, InvocationUsage, LineKind, MB_MS_PER_GB_S, Meter,
    PriceBook, ProvisionedUsage, Tier, UsageClass,
};
use proptest::prelude::*;
use proptest::sample::select;

fn arch() -> impl Strategy<Value = Architecture> {
    select(Architecture::ALL.to_vec())
}

fn granularity() -> impl Strategy<Value = Granularity> {
    select(vec![Granularity::Ms1, Granularity::Ms100])
}

fn class() -> impl Strategy<Value = UsageClass> {
    select(vec![UsageClass::OnDemand, UsageClass::Provisioned])
}

/// A batch of invocations of realistic size (bills well inside 64-bit cents).
#[derive(Clone, Copy, Debug)]
struct Batch {
    arch: Architecture,
    memory_mb: u32,
    ephemeral_mb: u32,
    class: UsageClass,
    granularity: Granularity,
    requests: u64,
    duration_us: u64,
}

impl Batch {
    fn usage(&self) -> InvocationUsage {
        let billed = self.granularity.billed_ms(Duration::from_micros(self.duration_us));
        InvocationUsage {
            arch: self.arch,
            memory_mb: self.memory_mb,
            ephemeral_mb: self.ephemeral_mb,
            class: self.class,
            requests: self.requests,
            billed_ms: u128::from(self.requests) * u128::from(billed),
        }
    }
}

fn batch() -> impl Strategy<Value = Batch> {
    (
        arch(),
        128u32..=10_240,
        prop_oneof![Just(512u32), 512u32..=10_240],
        class(),
        granularity(),
        prop_oneof![0u64..=10, 0u64..=5_000_000, 0u64..=20_000_000_000],
        prop_oneof![0u64..=2_000, 0u64..=900_000_000],
    )
        .prop_map(|(arch, memory_mb, ephemeral_mb, class, granularity, requests, duration_us)| Batch {
            arch,
            memory_mb,
            ephemeral_mb,
            class,
            granularity,
            requests,
            duration_us,
        })
}

fn span() -> impl Strategy<Value = ProvisionedUsage> {
    (arch(), 128u32..=10_240, 0u32..=5_000, 0u64..=3_000_000_000_000).prop_map(|(arch, memory_mb, provisioned, us)| {
        ProvisionedUsage { arch, memory_mb, provisioned, enabled: Duration::from_micros(us) }
    })
}

fn book() -> impl Strategy<Value = PriceBook> {
    select(vec![PriceBook::US_EAST_1, PriceBook::US_EAST_1_2020])
}

fn bill_of(batches: &[Batch], spans: &[ProvisionedUsage], prices: &PriceBook, free: bool) -> Bill {
    let mut m = Meter::new();
    for b in batches {
        m.add_invocations(&b.usage()).unwrap();
    }
    for s in spans {
        m.add_provisioned(s).unwrap();
    }
    m.bill(prices, free).unwrap()
}

/// Each line's amount in atoms, by (kind, architecture).
fn line(b: &Bill, kind: LineKind, arch: Option<Architecture>) -> u128 {
    b.lines().iter().find(|l| l.kind == kind && l.arch == arch).map_or(0, |l| l.amount.atoms())
}

/// Every line of `more` is at least the same line of `less`, and so are both totals.
fn dominates(more: &Bill, less: &Bill) -> Result<(), TestCaseError> {
    prop_assert!(more.exact_total() >= less.exact_total(), "exact {:?} < {:?}", more.exact_total(), less.exact_total());
    prop_assert!(more.total_cents() >= less.total_cents());
    for l in less.lines() {
        prop_assert!(line(more, l.kind, l.arch) >= l.amount.atoms(), "line {:?} {:?} went down", l.kind, l.arch);
    }
    Ok(())
}

#[derive(Clone, Copy, Debug)]
enum Grow {
    Requests(u64),
    Duration(u64),
    Memory(u32),
}

fn grow() -> impl Strategy<Value = Grow> {
    prop_oneof![
        (1u64..=1_000_000).prop_map(Grow::Requests),
        (1u64..=100_000_000).prop_map(Grow::Duration),
        (1u32..=10_112).prop_map(Grow::Memory),
    ]
}

proptest! {
    #![proptest_config(lambdasim_tests::proptest_config())]

    /// More requests, a longer duration or more memory in any one batch never
    /// lowers the bill, any line of it, or its shown total.
    #[test]
    fn bills_are_monotonic(
        batches in prop::collection::vec(batch(), 1..5),
        spans in prop::collection::vec(span(), 0..3),
        which in any::<prop::sample::Index>(),
        g in grow(),
        prices in book(),
        free in any::<bool>(),
    ) {
        let before = bill_of(&batches, &spans, &prices, free);
        let mut more = batches.clone();
        let b = &mut more[which.index(batches.len())];
        match g {
            Grow::Requests(n) => b.requests += n,
            Grow::Duration(d) => b.duration_us += d,
            Grow::Memory(m) => b.memory_mb = (b.memory_mb + m).min(10_240),
        }
        let after = bill_of(&more, &spans, &prices, free);
        dominates(&after, &before)?;
    }

    /// Graduated duration tiers never charge more than the same usage at the
    /// tier-1 price, and charge exactly that up to the first tier's bound.
    #[test]
    fn tiers_never_charge_more_than_tier_one(
        arch in arch(),
        gb_s in prop_oneof![0u128..=7_000_000_000, 0u128..=100_000_000_000, 0u128..=u128::from(u64::MAX)],
        extra_mb_ms in 0u128..MB_MS_PER_GB_S,
    ) {
        let mb_ms = gb_s * MB_MS_PER_GB_S + extra_mb_ms;
        let mut m = Meter::new();
        match arch {
            Architecture::X86_64 => m.x86_64.mb_ms = mb_ms,
            Architecture::Arm64 => m.arm64.mb_ms = mb_ms,
        }
        let prices = PriceBook::US_EAST_1;
        let tier1 = prices.arch(arch).duration[0];
        let tiered = line(&m.bill(&prices, false).unwrap(), LineKind::Duration, Some(arch));
        let flat = Money::per_gb_s(mb_ms, tier1.units_per_gb_s).unwrap().atoms();
        prop_assert!(tiered <= flat, "{tiered} > {flat}");
        if gb_s < u128::from(tier1.up_to_gb_s) {
            prop_assert_eq!(tiered, flat);
        }
        // The same against a price book whose tiers are all tier 1.
        let mut flat_book = prices;
        let t = Tier { up_to_gb_s: u64::MAX, units_per_gb_s: tier1.units_per_gb_s };
        match arch {
            Architecture::X86_64 => flat_book.x86_64.duration = [t; 3],
            Architecture::Arm64 => flat_book.arm64.duration = [t; 3],
        }
        prop_assert_eq!(line(&m.bill(&flat_book, false).unwrap(), LineKind::Duration, Some(arch)), flat);
    }

    /// Each line as shown (cents, half up) is within half a cent of its exact
    /// amount; the shown total is the sum of the shown lines.
    #[test]
    fn shown_cents_are_within_half_a_cent(
        batches in prop::collection::vec(batch(), 0..5),
        spans in prop::collection::vec(span(), 0..3),
        prices in book(),
        free in any::<bool>(),
    ) {
        let b = bill_of(&batches, &spans, &prices, free);
        let mut sum = 0u128;
        for l in b.lines() {
            let shown = l.cents() * ATOMS_PER_CENT;
            let exact = l.amount.atoms();
            prop_assert!(shown.abs_diff(exact) <= ATOMS_PER_CENT / 2, "{l:?}");
            if shown.abs_diff(exact) == ATOMS_PER_CENT / 2 {
                prop_assert!(shown > exact, "half a cent rounds up");
            }
            prop_assert!(l.quantity > 0, "zero lines are left out");
            sum += l.cents();
        }
        prop_assert_eq!(sum, b.total_cents());
        let slack = ATOMS_PER_CENT / 2 * b.lines().len() as u128;
        prop_assert!((b.total_cents() * ATOMS_PER_CENT).abs_diff(b.exact_total().atoms()) <= slack);
    }
}

// ---------------------------------------------------------------------------
// Exact or Overflow, never a wrong number.

/// An independent reference bill in checked u128 arithmetic: the lines as
/// (kind, arch, quantity, atoms), or `None` when anything overflows. The
/// last tier is unbounded (docs/model.md §5: "beyond 15 billion" GB-s).
type RefLine = (LineKind, Option<Architecture>, u128, u128);

#[derive(Default, Clone, Copy)]
struct RefUsage {
    req: u128,
    req_pc: u128,
    mb_ms: u128,
    mb_ms_pc: u128,
    pc_mb_ms: u128,
}

fn reference(batches: &[Batch], spans: &[ProvisionedUsage], prices: &PriceBook, free: bool) -> RefBill {
    let mut out = RefBill { lines: None, billed_on_demand: None };
    out.lines = reference_lines(batches, spans, prices, free, &mut out.billed_on_demand);
    out
}

/// The reference: the lines (`None` on overflow) and, when the usage itself
/// fits, each architecture's on-demand MB-ms billed after the free tier.
struct RefBill {
    lines: Option<Vec<RefLine>>,
    billed_on_demand: Option<[u128; 2]>,
}

fn reference_lines(
    batches: &[Batch],
    spans: &[ProvisionedUsage],
    prices: &PriceBook,
    free: bool,
    billed_on_demand: &mut Option<[u128; 2]>,
) -> Option<Vec<RefLine>> {
    let mut u = [RefUsage::default(); 2];
    let mut eph = 0u128;
    for b in batches {
        let per = u128::from(b.granularity.billed_ms(Duration::from_micros(b.duration_us)));
        let ms = u128::from(b.requests).checked_mul(per)?;
        let a = &mut u[b.arch as usize];
        let mb_ms = u128::from(b.memory_mb).checked_mul(ms)?;
        match b.class {
            UsageClass::OnDemand => {
                a.req = a.req.checked_add(u128::from(b.requests))?;
                a.mb_ms = a.mb_ms.checked_add(mb_ms)?;
            }
            UsageClass::Provisioned => {
                a.req_pc = a.req_pc.checked_add(u128::from(b.requests))?;
                a.mb_ms_pc = a.mb_ms_pc.checked_add(mb_ms)?;
            }
        }
        eph = eph.checked_add(u128::from(b.ephemeral_mb - FREE_EPHEMERAL_MB).checked_mul(ms)?)?;
    }
    for s in spans {
        let ms = u128::from(s.enabled.as_micros().div_ceil(1_000)).div_ceil(300_000) * 300_000;
        let a = &mut u[s.arch as usize];
        a.pc_mb_ms =
            a.pc_mb_ms.checked_add(u128::from(s.memory_mb).checked_mul(u128::from(s.provisioned))?.checked_mul(ms)?)?;
    }
    let mut billed_od = [0u128; 2];
    let mut free_left = if free { u128::from(prices.free_gb_s) * MB_MS_PER_GB_S } else { 0 };
    for arch in Architecture::ALL {
        let a = u[arch as usize];
        let f = free_left.min(a.mb_ms);
        free_left -= f;
        billed_od[arch as usize] = a.mb_ms - f;
    }
    *billed_on_demand = Some(billed_od);
    let mut lines = Vec::new();
    let (free_req, mut free_mb_ms) =
        if free { (u128::from(prices.free_requests), u128::from(prices.free_gb_s) * MB_MS_PER_GB_S) } else { (0, 0) };
    let od = u[0].req.checked_add(u[1].req)?;
    let pc = u[0].req_pc.checked_add(u[1].req_pc)?;
    let req = od.saturating_sub(free_req).checked_add(pc)?;
    lines.push((
        LineKind::Requests,
        None,
        req,
        req.checked_mul(u128::from(prices.request))?.checked_mul(ATOMS_PER_UNIT)?,
    ));
    for arch in Architecture::ALL {
        let a = u[arch as usize];
        let p = prices.arch(arch);
        let free = free_mb_ms.min(a.mb_ms);
        free_mb_ms -= free;
        let billed = a.mb_ms - free;
        let mut atoms = 0u128;
        let mut floor = 0u128;
        for (i, t) in p.duration.iter().enumerate() {
            let last = i == p.duration.len() - 1;
            let ceiling = if last { billed } else { u128::from(t.up_to_gb_s) * MB_MS_PER_GB_S };
            let in_tier = billed.min(ceiling).saturating_sub(floor);
            atoms = atoms.checked_add(in_tier.checked_mul(u128::from(t.units_per_gb_s))?)?;
            floor = floor.max(ceiling);
        }
        lines.push((LineKind::Duration, Some(arch), billed, atoms));
        lines.push((
            LineKind::ProvisionedConcurrency,
            Some(arch),
            a.pc_mb_ms,
            a.pc_mb_ms.checked_mul(u128::from(p.provisioned))?,
        ));
        lines.push((
            LineKind::ProvisionedDuration,
            Some(arch),
            a.mb_ms_pc,
            a.mb_ms_pc.checked_mul(u128::from(p.provisioned_duration))?,
        ));
    }
    lines.push((LineKind::EphemeralStorage, None, eph, eph.checked_mul(u128::from(prices.ephemeral))?));
    lines.retain(|l| l.2 > 0);
    let mut total = 0u128;
    for l in &lines {
        total = total.checked_add(l.3)?;
    }
    Some(lines)
}

/// The core's bill of the same usage: `Err(Overflow)` from any step.
fn core_bill(batches: &[Batch], spans: &[ProvisionedUsage], prices: &PriceBook, free: bool) -> Result<Bill, BillError> {
    let mut m = Meter::new();
    for b in batches {
        m.add_invocations(&b.usage())?;
    }
    for s in spans {
        m.add_provisioned(s)?;
    }
    m.bill(prices, free)
}

fn huge_batch() -> impl Strategy<Value = Batch> {
    (
        arch(),
        prop_oneof![Just(10_240u32), 128u32..=10_240],
        prop_oneof![Just(512u32), Just(10_240u32)],
        class(),
        granularity(),
        prop_oneof![Just(1_000_000_000_000u64), Just(u64::MAX), any::<u64>(), 0u64..=1 << 40],
        prop_oneof![Just(900_000_000u64), Just(u64::MAX), any::<u64>(), 0u64..=1 << 40],
    )
        .prop_map(|(arch, memory_mb, ephemeral_mb, class, granularity, requests, duration_us)| Batch {
            arch,
            memory_mb,
            ephemeral_mb,
            class,
            granularity,
            requests,
            duration_us,
        })
}

fn huge_span() -> impl Strategy<Value = ProvisionedUsage> {
    (arch(), 128u32..=10_240, any::<u32>(), any::<u64>()).prop_map(|(arch, memory_mb, provisioned, us)| {
        ProvisionedUsage { arch, memory_mb, provisioned, enabled: Duration::from_micros(us) }
    })
}

fn exact_or_overflow(
    batches: &[Batch],
    spans: &[ProvisionedUsage],
    prices: &PriceBook,
    free: bool,
) -> Result<(), TestCaseError> {
    let want = reference(batches, spans, prices, free);
    match (core_bill(batches, spans, prices, free), want.lines) {
        (Ok(bill), Some(lines)) => {
            let got: Vec<RefLine> =
                bill.lines().iter().map(|l| (l.kind, l.arch, l.quantity, l.amount.atoms())).collect();
            prop_assert_eq!(&got, &lines);
            let exact: u128 = lines.iter().map(|l| l.3).sum();
            prop_assert_eq!(bill.exact_total().atoms(), exact);
        }
        (Err(BillError::Overflow), None) => {}
        (got, want) => prop_assert!(false, "core {got:?}, reference {want:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(lambdasim_tests::proptest_config())]

    /// Usage of any size (up to 2^64 − 1 invocations of 2^64 − 1 µs) is billed
    /// exactly as the reference computes it, or is `Overflow` exactly when the
    /// reference overflows 128 bits.
    #[test]
    fn huge_usage_is_exact_or_overflow(
        batches in prop::collection::vec(huge_batch(), 0..4),
        spans in prop::collection::vec(huge_span(), 0..3),
        prices in book(),
        free in any::<bool>(),
    ) {
        exact_or_overflow(&batches, &spans, &prices, free)?;
    }
}

#[test]
fn ten_to_the_twelve_invocations_at_10_gb_for_900_s() {
    let b = Batch {
        arch: Architecture::X86_64,
        memory_mb: 10_240,
        ephemeral_mb: 10_240,
        class: UsageClass::OnDemand,
        granularity: Granularity::Ms1,
        requests: 1_000_000_000_000,
        duration_us: 900_000_000,
    };
    let bill = core_bill(&[b], &[], &PriceBook::US_EAST_1, true).unwrap();
    let lines = reference(&[b], &[], &PriceBook::US_EAST_1, true).lines.unwrap();
    assert_eq!(bill.lines().len(), lines.len());
    assert!(bill.total_cents() > 1_000_000_000_000, "{}", bill.total_cents());
    exact_or_overflow(&[b], &[], &PriceBook::US_EAST_1, true).unwrap();
    // Far beyond: a thousand such months in one batch, and 2^64 - 1 requests of 2^64 - 1 us.
    let far = Batch { requests: 1_000_000_000_000_000, ..b };
    exact_or_overflow(&[far, far], &[], &PriceBook::US_EAST_1, false).unwrap();
    let max = Batch { requests: u64::MAX, duration_us: u64::MAX, ..b };
    assert_eq!(core_bill(&[max], &[], &PriceBook::US_EAST_1, false).unwrap_err(), BillError::Overflow);
    exact_or_overflow(&[max], &[], &PriceBook::US_EAST_1, false).unwrap();
}

/// The last tier is open-ended: usage past 2^64 − 1 GB-s is still billed,
/// at the last tier's price.
#[test]
fn the_last_tier_has_no_ceiling() {
    let bound = u128::from(u64::MAX) * MB_MS_PER_GB_S;
    let bill = |mb_ms| {
        let mut m = Meter::new();
        m.x86_64.mb_ms = mb_ms;
        line(&m.bill(&PriceBook::US_EAST_1, false).unwrap(), LineKind::Duration, Some(Architecture::X86_64))
    };
    assert_eq!(bill(2 * bound) - bill(bound), bound * 133_334);
}
