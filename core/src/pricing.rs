//! Prices, metering and bills (docs/model.md §5).
//!
//! A [`PriceBook`] holds AWS's published prices as exact integers of
//! 1e-10 USD. A [`Meter`] accumulates a month's usage (requests, billed
//! MB·ms by architecture and class, provisioned allocation, ephemeral
//! storage); [`Meter::bill`] turns it into a [`Bill`] of line items like
//! AWS's: each line exact, rounded to cents for display, the total the sum
//! of the rounded lines, and the exact unrounded total beside it.
//!
//! Rules (docs/model.md §5): duration is billed per invocation rounded up to 1 ms
//! (100 ms before December 2020); duration tiers are graduated per
//! architecture per month; the free tier (1 M requests and 400 000 GB-s a
//! month) applies to usage while provisioned concurrency is off, and is
//! taken from x86_64 duration first, then arm64; usage on provisioned
//! concurrency pays requests plus the provisioned duration price; the
//! provisioned allocation is billed per GB-s of configured PC from enable to
//! disable, rounded up to 5 minutes; ephemeral storage above 512 MB is billed
//! per GB-s of invocation duration.

use crate::memory::MemoryMb;
use crate::money::{Money, MoneyOverflow};
use crate::time::Duration;
use core::fmt;
use serde::{Deserialize, Serialize};

/// MB·ms in one GB-s.
pub const MB_MS_PER_GB_S: u128 = 1_024_000;
/// Ephemeral storage included free with every function.
pub const FREE_EPHEMERAL_MB: u32 = 512;
/// The largest ephemeral storage.
pub const MAX_EPHEMERAL_MB: u32 = 10_240;

/// An instruction-set architecture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Architecture {
    /// x86_64. The default.
    #[default]
    X86_64 = 0,
    /// arm64 (Graviton).
    Arm64 = 1,
}

impl Architecture {
    /// Both, in code order.
    pub const ALL: [Architecture; 2] = [Architecture::X86_64, Architecture::Arm64];
    /// The name AWS uses.
    pub const fn name(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How billed duration is rounded per invocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Granularity {
    /// Up to the next 1 ms (since December 2020). The default.
    #[default]
    Ms1 = 0,
    /// Up to the next 100 ms (before).
    Ms100 = 1,
}

impl Granularity {
    /// Billed milliseconds for one invocation lasting `d`.
    pub const fn billed_ms(self, d: Duration) -> u64 {
        let ms = d.as_micros().div_ceil(1_000);
        match self {
            Granularity::Ms1 => ms,
            Granularity::Ms100 => ms.div_ceil(100).saturating_mul(100),
        }
    }
}

/// One graduated duration tier: usage up to `up_to_gb_s` (cumulative, per
/// architecture per month) is priced at `units_per_gb_s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tier {
    /// Cumulative upper bound of the tier in GB-s; `u64::MAX` for the last,
    /// open-ended tier (it prices any usage, however large).
    pub up_to_gb_s: u64,
    /// Price in 1e-10 USD per GB-s.
    pub units_per_gb_s: u64,
}

/// Prices of one architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArchPrices {
    /// On-demand duration tiers, lowest first.
    pub duration: [Tier; 3],
    /// Provisioned concurrency allocated, 1e-10 USD per GB-s.
    pub provisioned: u64,
    /// Duration of invocations on provisioned concurrency, 1e-10 USD per GB-s.
    pub provisioned_duration: u64,
}

/// A region's Lambda prices, in 1e-10 USD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceBook {
    /// x86_64 prices.
    pub x86_64: ArchPrices,
    /// arm64 prices.
    pub arm64: ArchPrices,
    /// One request, 1e-10 USD (0.20 per million = 2000).
    pub request: u64,
    /// Ephemeral storage above 512 MB, 1e-10 USD per GB-s.
    pub ephemeral: u64,
    /// Free requests per month.
    pub free_requests: u64,
    /// Free duration per month, GB-s.
    pub free_gb_s: u64,
}

const fn flat(units_per_gb_s: u64) -> [Tier; 3] {
    let t = Tier { up_to_gb_s: u64::MAX, units_per_gb_s };
    [t, t, t]
}

impl PriceBook {
    /// us-east-1 today (docs/model.md §5).
    pub const US_EAST_1: PriceBook = PriceBook {
        x86_64: ArchPrices {
            duration: [
                Tier { up_to_gb_s: 6_000_000_000, units_per_gb_s: 166_667 },
                Tier { up_to_gb_s: 15_000_000_000, units_per_gb_s: 150_000 },
                Tier { up_to_gb_s: u64::MAX, units_per_gb_s: 133_334 },
            ],
            provisioned: 41_667,
            provisioned_duration: 97_222,
        },
        arm64: ArchPrices {
            duration: [
                Tier { up_to_gb_s: 7_500_000_000, units_per_gb_s: 133_334 },
                Tier { up_to_gb_s: 18_750_000_000, units_per_gb_s: 120_001 },
                Tier { up_to_gb_s: u64::MAX, units_per_gb_s: 106_667 },
            ],
            provisioned: 33_334,
            provisioned_duration: 77_778,
        },
        request: 2_000,
        ephemeral: 309,
        free_requests: 1_000_000,
        free_gb_s: 400_000,
    };

    /// The 100 ms era's flat x86 price, 0.00001667 per GB-s (docs/model.md §5's
    /// fourth example); otherwise as [`PriceBook::US_EAST_1`].
    pub const US_EAST_1_2020: PriceBook = PriceBook {
        x86_64: ArchPrices { duration: flat(166_700), ..PriceBook::US_EAST_1.x86_64 },
        ..PriceBook::US_EAST_1
    };

    /// The prices of one architecture.
    pub const fn arch(&self, arch: Architecture) -> &ArchPrices {
        match arch {
            Architecture::X86_64 => &self.x86_64,
            Architecture::Arm64 => &self.arm64,
        }
    }
}

impl Default for PriceBook {
    fn default() -> Self {
        PriceBook::US_EAST_1
    }
}

/// Whether usage ran on provisioned concurrency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum UsageClass {
    /// On-demand environments, including spillover. The default.
    #[default]
    OnDemand = 0,
    /// Provisioned environments (while PC is enabled: no free tier).
    Provisioned = 1,
}

/// Why usage could not be metered or billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BillError {
    /// Memory out of range (see [`MemoryMb`]).
    InvalidMemory,
    /// Ephemeral storage outside 512..=10240 MB.
    InvalidEphemeral,
    /// A total too large to represent exactly; nothing was added.
    Overflow,
}

impl From<MoneyOverflow> for BillError {
    fn from(_: MoneyOverflow) -> Self {
        BillError::Overflow
    }
}

impl fmt::Display for BillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BillError::InvalidMemory => "memory outside 128..=10240 MB",
            BillError::InvalidEphemeral => "ephemeral storage outside 512..=10240 MB",
            BillError::Overflow => "usage too large to bill exactly",
        })
    }
}

impl core::error::Error for BillError {}

/// A batch of invocations with the same shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvocationUsage {
    /// Architecture.
    pub arch: Architecture,
    /// Memory, MB.
    pub memory_mb: u32,
    /// Ephemeral storage, MB (512..=10240).
    pub ephemeral_mb: u32,
    /// On-demand or on provisioned concurrency.
    pub class: UsageClass,
    /// Number of invocations (each one request).
    pub requests: u64,
    /// Billed milliseconds summed over these invocations, each already
    /// rounded per [`Granularity`].
    pub billed_ms: u128,
}

impl InvocationUsage {
    /// `requests` invocations of `duration` each, rounded per `granularity`,
    /// on-demand, 512 MB ephemeral.
    pub fn uniform(
        arch: Architecture,
        memory_mb: u32,
        requests: u64,
        duration: Duration,
        granularity: Granularity,
    ) -> Self {
        let billed_ms = u128::from(requests) * u128::from(granularity.billed_ms(duration));
        InvocationUsage {
            arch,
            memory_mb,
            ephemeral_mb: FREE_EPHEMERAL_MB,
            class: UsageClass::OnDemand,
            requests,
            billed_ms,
        }
    }
}

/// Provisioned concurrency configured on a function for a while.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProvisionedUsage {
    /// Architecture.
    pub arch: Architecture,
    /// Memory, MB.
    pub memory_mb: u32,
    /// Provisioned concurrency configured.
    pub provisioned: u32,
    /// From enable to disable (rounded up to 5 minutes when billed).
    pub enabled: Duration,
}

/// Usage of one architecture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArchUsage {
    /// Requests on-demand.
    pub requests: u128,
    /// Requests on provisioned concurrency.
    pub requests_provisioned: u128,
    /// Billed MB·ms on-demand.
    pub mb_ms: u128,
    /// Billed MB·ms on provisioned concurrency.
    pub mb_ms_provisioned: u128,
    /// Provisioned concurrency allocated, MB·ms.
    pub provisioned_mb_ms: u128,
}

/// A month's metered usage. Adding never loses anything: on overflow the
/// meter is unchanged and the call errs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Meter {
    /// x86_64 usage.
    pub x86_64: ArchUsage,
    /// arm64 usage.
    pub arm64: ArchUsage,
    /// Ephemeral storage above 512 MB, MB·ms.
    pub ephemeral_mb_ms: u128,
}

fn add(a: u128, b: u128) -> Result<u128, BillError> {
    a.checked_add(b).ok_or(BillError::Overflow)
}

fn mul(a: u128, b: u128) -> Result<u128, BillError> {
    a.checked_mul(b).ok_or(BillError::Overflow)
}

impl Meter {
    /// An empty meter.
    pub const fn new() -> Self {
        Meter { x86_64: ArchUsage::ZERO, arm64: ArchUsage::ZERO, ephemeral_mb_ms: 0 }
    }

    /// The usage of one architecture.
    pub const fn arch(&self, arch: Architecture) -> &ArchUsage {
        match arch {
            Architecture::X86_64 => &self.x86_64,
            Architecture::Arm64 => &self.arm64,
        }
    }

    fn arch_mut(&mut self, arch: Architecture) -> &mut ArchUsage {
        match arch {
            Architecture::X86_64 => &mut self.x86_64,
            Architecture::Arm64 => &mut self.arm64,
        }
    }

    /// This meter plus `other`, field by field.
    ///
    /// # Errors
    /// [`BillError::Overflow`] when a total overflows (nothing is returned).
    pub fn checked_add(&self, other: &Meter) -> Result<Meter, BillError> {
        let arch = |a: &ArchUsage, b: &ArchUsage| -> Result<ArchUsage, BillError> {
            Ok(ArchUsage {
                requests: add(a.requests, b.requests)?,
                requests_provisioned: add(a.requests_provisioned, b.requests_provisioned)?,
                mb_ms: add(a.mb_ms, b.mb_ms)?,
                mb_ms_provisioned: add(a.mb_ms_provisioned, b.mb_ms_provisioned)?,
                provisioned_mb_ms: add(a.provisioned_mb_ms, b.provisioned_mb_ms)?,
            })
        };
        Ok(Meter {
            x86_64: arch(&self.x86_64, &other.x86_64)?,
            arm64: arch(&self.arm64, &other.arm64)?,
            ephemeral_mb_ms: add(self.ephemeral_mb_ms, other.ephemeral_mb_ms)?,
        })
    }

    /// Adds a batch of invocations.
    ///
    /// # Errors
    /// Invalid memory or ephemeral size, or overflow; the meter is unchanged.
    pub fn add_invocations(&mut self, u: &InvocationUsage) -> Result<(), BillError> {
        let mb = u128::from(MemoryMb::new(u.memory_mb).map_err(|_| BillError::InvalidMemory)?.get());
        if !(FREE_EPHEMERAL_MB..=MAX_EPHEMERAL_MB).contains(&u.ephemeral_mb) {
            return Err(BillError::InvalidEphemeral);
        }
        let mut next = *self;
        let mb_ms = mul(mb, u.billed_ms)?;
        let extra = u128::from(u.ephemeral_mb - FREE_EPHEMERAL_MB);
        next.ephemeral_mb_ms = add(next.ephemeral_mb_ms, mul(extra, u.billed_ms)?)?;
        let a = next.arch_mut(u.arch);
        match u.class {
            UsageClass::OnDemand => {
                a.requests = add(a.requests, u128::from(u.requests))?;
                a.mb_ms = add(a.mb_ms, mb_ms)?;
            }
            UsageClass::Provisioned => {
                a.requests_provisioned = add(a.requests_provisioned, u128::from(u.requests))?;
                a.mb_ms_provisioned = add(a.mb_ms_provisioned, mb_ms)?;
            }
        }
        *self = next;
        Ok(())
    }

    /// Adds `requests` (0 or 1) invocations of a validated function lasting
    /// `billed_ms` in all: the fast path the region meters with (a
    /// provisioned environment's init is metered with no request).
    /// `ephemeral_extra_mb` is the storage above the free 512 MB.
    ///
    /// # Errors
    /// [`BillError::Overflow`]; the meter is unchanged.
    pub fn add_metered(
        &mut self,
        arch: Architecture,
        class: UsageClass,
        memory_mb: u32,
        ephemeral_extra_mb: u32,
        request_count: u64,
        billed_ms: u64,
    ) -> Result<(), BillError> {
        let billed = u128::from(billed_ms);
        let mb_ms = u128::from(memory_mb) * billed;
        let eph = add(self.ephemeral_mb_ms, u128::from(ephemeral_extra_mb) * billed)?;
        let a = self.arch_mut(arch);
        let (requests, usage) = match class {
            UsageClass::OnDemand => (&mut a.requests, &mut a.mb_ms),
            UsageClass::Provisioned => (&mut a.requests_provisioned, &mut a.mb_ms_provisioned),
        };
        let new_requests = add(*requests, u128::from(request_count))?;
        let new_usage = add(*usage, mb_ms)?;
        *requests = new_requests;
        *usage = new_usage;
        self.ephemeral_mb_ms = eph;
        Ok(())
    }

    /// Adds provisioned concurrency kept allocated for `enabled` (rounded up
    /// to 5 minutes).
    ///
    /// # Errors
    /// Invalid memory or overflow; the meter is unchanged.
    pub fn add_provisioned(&mut self, u: &ProvisionedUsage) -> Result<(), BillError> {
        let mb = u128::from(MemoryMb::new(u.memory_mb).map_err(|_| BillError::InvalidMemory)?.get());
        let five_min_ms = 300_000u128;
        let ms = u128::from(u.enabled.as_micros().div_ceil(1_000)).div_ceil(five_min_ms) * five_min_ms;
        let mb_ms = mul(mul(mb, u128::from(u.provisioned))?, ms)?;
        let mut next = *self;
        let a = next.arch_mut(u.arch);
        a.provisioned_mb_ms = add(a.provisioned_mb_ms, mb_ms)?;
        *self = next;
        Ok(())
    }

    /// Prices the month.
    ///
    /// # Errors
    /// [`BillError::Overflow`] when an amount does not fit.
    pub fn bill(&self, prices: &PriceBook, free_tier: bool) -> Result<Bill, BillError> {
        let mut bill = Bill::default();
        let (free_requests, mut free_mb_ms) = if free_tier {
            (u128::from(prices.free_requests), u128::from(prices.free_gb_s) * MB_MS_PER_GB_S)
        } else {
            (0, 0)
        };
        let on_demand_requests = add(self.x86_64.requests, self.arm64.requests)?;
        let pc_requests = add(self.x86_64.requests_provisioned, self.arm64.requests_provisioned)?;
        let billed_requests = add(on_demand_requests.saturating_sub(free_requests), pc_requests)?;
        bill.push(LineKind::Requests, None, billed_requests, Money::per_item(billed_requests, prices.request)?)?;
        for arch in Architecture::ALL {
            let usage = self.arch(arch);
            let p = prices.arch(arch);
            let free = free_mb_ms.min(usage.mb_ms);
            free_mb_ms -= free;
            let billed = usage.mb_ms - free;
            bill.push(LineKind::Duration, Some(arch), billed, tiered(billed, &p.duration)?)?;
            let pc = Money::per_gb_s(usage.provisioned_mb_ms, p.provisioned)?;
            bill.push(LineKind::ProvisionedConcurrency, Some(arch), usage.provisioned_mb_ms, pc)?;
            let pcd = Money::per_gb_s(usage.mb_ms_provisioned, p.provisioned_duration)?;
            bill.push(LineKind::ProvisionedDuration, Some(arch), usage.mb_ms_provisioned, pcd)?;
        }
        let eph = Money::per_gb_s(self.ephemeral_mb_ms, prices.ephemeral)?;
        bill.push(LineKind::EphemeralStorage, None, self.ephemeral_mb_ms, eph)?;
        Ok(bill)
    }
}

impl ArchUsage {
    /// No usage.
    pub const ZERO: ArchUsage =
        ArchUsage { requests: 0, requests_provisioned: 0, mb_ms: 0, mb_ms_provisioned: 0, provisioned_mb_ms: 0 };
}

/// Prices `mb_ms` through graduated tiers.
fn tiered(mb_ms: u128, tiers: &[Tier; 3]) -> Result<Money, BillError> {
    let mut total = Money::ZERO;
    let mut floor = 0u128;
    for t in tiers {
        // A tier bounded by u64::MAX GB-s is the open-ended last tier.
        let ceiling = match t.up_to_gb_s {
            u64::MAX => u128::MAX,
            gb_s => u128::from(gb_s) * MB_MS_PER_GB_S,
        };
        let in_tier = mb_ms.min(ceiling).saturating_sub(floor);
        total = total.checked_add(Money::per_gb_s(in_tier, t.units_per_gb_s)?)?;
        floor = floor.max(ceiling);
        if mb_ms <= floor {
            break;
        }
    }
    Ok(total)
}

/// What a line item charges for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum LineKind {
    /// Requests (quantity: requests billed after the free tier).
    Requests = 0,
    /// On-demand duration (quantity: MB·ms billed after the free tier).
    Duration = 1,
    /// Provisioned concurrency allocated (quantity: MB·ms).
    ProvisionedConcurrency = 2,
    /// Duration on provisioned concurrency (quantity: MB·ms).
    ProvisionedDuration = 3,
    /// Ephemeral storage above 512 MB (quantity: MB·ms).
    EphemeralStorage = 4,
}

impl LineKind {
    /// A human name for the line.
    pub const fn name(self) -> &'static str {
        match self {
            LineKind::Requests => "Requests",
            LineKind::Duration => "Duration",
            LineKind::ProvisionedConcurrency => "Provisioned Concurrency",
            LineKind::ProvisionedDuration => "Provisioned Duration",
            LineKind::EphemeralStorage => "Ephemeral Storage",
        }
    }
}

/// One line of a bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineItem {
    /// What it charges for.
    pub kind: LineKind,
    /// The architecture, for per-architecture lines.
    pub arch: Option<Architecture>,
    /// Requests, or MB·ms (divide by 1 024 000 for GB-s).
    pub quantity: u128,
    /// The exact amount.
    pub amount: Money,
}

impl LineItem {
    /// The amount rounded to cents, as shown.
    pub const fn cents(&self) -> u128 {
        self.amount.cents()
    }
}

/// Line items with a non-zero quantity, the exact total and the shown total.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bill {
    lines: heapless::Vec<LineItem, 8>,
    exact: Money,
    cents: u128,
}

impl Bill {
    fn push(
        &mut self,
        kind: LineKind,
        arch: Option<Architecture>,
        quantity: u128,
        amount: Money,
    ) -> Result<(), BillError> {
        if quantity == 0 {
            return Ok(());
        }
        self.exact = self.exact.checked_add(amount)?;
        self.cents = self.cents.checked_add(amount.cents()).ok_or(BillError::Overflow)?;
        // At most 8 lines exist (requests, 3 per architecture, storage).
        self.lines.push(LineItem { kind, arch, quantity, amount }).map_err(|_| BillError::Overflow)
    }

    /// The line items, in a fixed order.
    pub fn lines(&self) -> &[LineItem] {
        &self.lines
    }
    /// The exact, unrounded total.
    pub const fn exact_total(&self) -> Money {
        self.exact
    }
    /// The total as AWS shows it: the sum of the lines rounded to cents.
    pub const fn total_cents(&self) -> u128 {
        self.cents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(b: &Bill, kind: LineKind) -> u128 {
        b.lines().iter().filter(|l| l.kind == kind).map(LineItem::cents).sum()
    }

    #[test]
    fn spec_example_1_free_tier() {
        let mut m = Meter::new();
        let u = InvocationUsage::uniform(
            Architecture::X86_64,
            1_536,
            3_000_000,
            Duration::from_millis(120),
            Granularity::Ms1,
        );
        m.add_invocations(&u).unwrap();
        let b = m.bill(&PriceBook::US_EAST_1, true).unwrap();
        assert_eq!(cents(&b, LineKind::Duration), 233);
        assert_eq!(cents(&b, LineKind::Requests), 40);
        assert_eq!(b.total_cents(), 273);
    }

    #[test]
    fn spec_example_2_provisioned() {
        let mut m = Meter::new();
        let x = Architecture::X86_64;
        m.add_provisioned(&ProvisionedUsage {
            arch: x,
            memory_mb: 1_536,
            provisioned: 100,
            enabled: Duration::from_mins(480),
        })
        .unwrap();
        let mut on_pc = InvocationUsage::uniform(x, 1_536, 500_000, Duration::from_millis(100), Granularity::Ms1);
        on_pc.class = UsageClass::Provisioned;
        m.add_invocations(&on_pc).unwrap();
        m.add_invocations(&InvocationUsage::uniform(x, 1_536, 2_500_000, Duration::from_millis(120), Granularity::Ms1))
            .unwrap();
        let b = m.bill(&PriceBook::US_EAST_1, true).unwrap();
        assert_eq!(cents(&b, LineKind::ProvisionedConcurrency), 1_800);
        assert_eq!(cents(&b, LineKind::Requests), 40);
        assert_eq!(cents(&b, LineKind::ProvisionedDuration), 73);
        assert_eq!(cents(&b, LineKind::Duration), 83);
        assert_eq!(b.total_cents(), 1_996);
    }

    #[test]
    fn spec_example_3_granularity() {
        for (g, total) in [(Granularity::Ms1, 4_000), (Granularity::Ms100, 11_200)] {
            let mut m = Meter::new();
            m.add_invocations(&InvocationUsage::uniform(
                Architecture::X86_64,
                1_024,
                60_000_000,
                Duration::from_millis(28),
                g,
            ))
            .unwrap();
            assert_eq!(m.bill(&PriceBook::US_EAST_1, false).unwrap().total_cents(), total, "{g:?}");
        }
    }

    #[test]
    fn spec_example_4_old_era() {
        let mut m = Meter::new();
        m.add_invocations(&InvocationUsage::uniform(
            Architecture::X86_64,
            512,
            3_000_000,
            Duration::from_secs(1),
            Granularity::Ms100,
        ))
        .unwrap();
        assert_eq!(m.bill(&PriceBook::US_EAST_1_2020, true).unwrap().total_cents(), 1_874);
    }

    #[test]
    fn tiers_graduate() {
        // 7 B GB-s on x86: 6 B at tier 1, 1 B at tier 2.
        let mb_ms = 7_000_000_000u128 * MB_MS_PER_GB_S;
        let got = tiered(mb_ms, &PriceBook::US_EAST_1.x86_64.duration).unwrap();
        let want = Money::per_gb_s(6_000_000_000 * MB_MS_PER_GB_S, 166_667)
            .unwrap()
            .checked_add(Money::per_gb_s(MB_MS_PER_GB_S * 1_000_000_000, 150_000).unwrap())
            .unwrap();
        assert_eq!(got, want);
    }

    #[test]
    fn the_last_tier_is_open_ended() {
        let beyond = u128::from(u64::MAX) * MB_MS_PER_GB_S;
        let tiers = &PriceBook::US_EAST_1.x86_64.duration;
        let one = tiered(beyond, tiers).unwrap();
        let two = tiered(beyond * 2, tiers).unwrap();
        assert_eq!(two.atoms() - one.atoms(), beyond * 133_334, "every MB·ms past the bound at the last price");
        assert_eq!(tiered(u128::MAX / 2, tiers), Err(BillError::Overflow));
    }

    #[test]
    fn huge_usage_is_exact_or_an_error() {
        // 10^12 invocations at 10 GB for 900 s: exact in u128.
        let mut m = Meter::new();
        let u = InvocationUsage::uniform(
            Architecture::X86_64,
            10_240,
            1_000_000_000_000,
            Duration::from_secs(900),
            Granularity::Ms1,
        );
        m.add_invocations(&u).unwrap();
        let b = m.bill(&PriceBook::US_EAST_1, false).unwrap();
        assert!(b.total_cents() > 0);
        let big = InvocationUsage { billed_ms: u128::MAX / 2, ..u };
        let before = m;
        assert_eq!(m.add_invocations(&big), Err(BillError::Overflow));
        assert_eq!(m, before);
    }

    #[test]
    fn bad_inputs() {
        let mut m = Meter::new();
        let u = InvocationUsage::uniform(Architecture::Arm64, 127, 1, Duration::from_millis(1), Granularity::Ms1);
        assert_eq!(m.add_invocations(&u), Err(BillError::InvalidMemory));
        let u = InvocationUsage { memory_mb: 128, ephemeral_mb: 511, ..u };
        assert_eq!(m.add_invocations(&u), Err(BillError::InvalidEphemeral));
        assert_eq!(Granularity::Ms100.billed_ms(Duration::from_micros(100_001)), 200);
        assert_eq!(Granularity::Ms1.billed_ms(Duration::from_micros(1)), 1);
        assert_eq!(Granularity::Ms1.billed_ms(Duration::ZERO), 0);
    }
}
