//! A fixed-bucket log-linear histogram for percentiles.
//!
//! # Buckets
//! Values below 128 each have their own bucket (exact). A value `v ≥ 128`
//! with highest set bit `e` (so `2^e ≤ v < 2^(e+1)`) falls in one of 64
//! equal sub-buckets of that octave, of width `2^(e−6)`: its bucket is found
//! from `leading_zeros` and one shift, in O(1). The range is
//! `0 ..` [`RANGE_LIMIT`] (`2^40` µs, about 12.7 days): [`BUCKETS`] = 2240
//! buckets. Larger values are counted in `overflow` (and in the minimum,
//! maximum and count), never dropped.
//!
//! # Error bound
//! A percentile is the nearest-rank value: with `n` samples sorted, the
//! `⌈p·n/100⌉`-th (at least the first). The histogram finds the bucket that
//! holds that sample and reports the bucket's midpoint `lo + width/2`,
//! clamped to the samples' `[minimum, maximum]`. For the true value `t` in
//! range, `|reported − t| ≤ width/2 ≤ t/128`: **within 0.79 % of `t`**, and
//! **exact for `t < 128`**. A rank that falls among out-of-range samples
//! reports the maximum (exact for p100 only).
//!
//! # Size
//! `Histogram<u32>` ([`PeriodHistogram`], one period) is 8 992 bytes: its
//! bucket counts saturate at `u32::MAX` samples of one bucket in one period
//! (then the walk falls back to the maximum). `Histogram<u64>`
//! ([`RunHistogram`], a whole run) is 17 952 bytes.

/// Sub-bucket bits: 2^6 = 64 sub-buckets per octave.
const SUB_BITS: u32 = 6;
/// Values below this have one bucket each.
const EXACT: u64 = 2 << SUB_BITS;
/// Bits of the covered range.
const RANGE_BITS: u32 = 40;
/// Values at or above this are counted as out of range (`2^40` µs ≈ 12.7 days).
pub const RANGE_LIMIT: u64 = 1 << RANGE_BITS;
/// Number of buckets: 128 exact ones, then 64 per octave from 2^7 to 2^39.
pub const BUCKETS: usize = (EXACT + ((RANGE_BITS - SUB_BITS - 1) as u64) * (1 << SUB_BITS)) as usize;

/// A bucket counter type: `u32` (one period) or `u64` (a whole run).
pub trait BucketCount: Copy + Default + core::fmt::Debug + PartialEq + Eq + sealed::Sealed {
    /// Zero.
    const ZERO: Self;
    /// The counter plus `n`, saturating.
    #[must_use]
    fn add(self, n: u64) -> Self;
    /// The counter as a `u64`.
    fn get(self) -> u64;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
}

impl BucketCount for u32 {
    const ZERO: Self = 0;
    fn add(self, n: u64) -> Self {
        u32::try_from(u64::from(self).saturating_add(n)).unwrap_or(u32::MAX)
    }
    fn get(self) -> u64 {
        u64::from(self)
    }
}

impl BucketCount for u64 {
    const ZERO: Self = 0;
    fn add(self, n: u64) -> Self {
        self.saturating_add(n)
    }
    fn get(self) -> u64 {
        self
    }
}

/// A histogram of one period (`u32` bucket counts, 8 992 bytes).
pub type PeriodHistogram = Histogram<u32>;
/// A histogram of a whole run (`u64` bucket counts, 17 952 bytes).
pub type RunHistogram = Histogram<u64>;

/// A fixed-bucket log-linear histogram of `u64` values; see the module docs
/// for the buckets, the error bound and the size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram<C: BucketCount = u64> {
    counts: [C; BUCKETS],
    count: u64,
    overflow: u64,
    minimum: u64,
    maximum: u64,
}

impl<C: BucketCount> Default for Histogram<C> {
    fn default() -> Self {
        Self::new()
    }
}

/// The bucket of `v`, or `None` when `v ≥ RANGE_LIMIT`.
pub const fn bucket_of(v: u64) -> Option<usize> {
    if v < EXACT {
        return Some(v as usize);
    }
    if v >= RANGE_LIMIT {
        return None;
    }
    let e = 63 - v.leading_zeros(); // 7..=39
    let shift = e - SUB_BITS;
    let sub = (v >> shift) - (1 << SUB_BITS); // 0..64
    Some((EXACT + ((e - SUB_BITS - 1) as u64) * (1 << SUB_BITS) + sub) as usize)
}

/// The lowest value of bucket `i` and its width (`i < BUCKETS`).
pub const fn bucket_bounds(i: usize) -> (u64, u64) {
    let i = i as u64;
    if i < EXACT {
        return (i, 1);
    }
    let k = i - EXACT;
    let octave = (k >> SUB_BITS) as u32; // e − 7
    let sub = k & ((1 << SUB_BITS) - 1);
    let shift = octave + 1; // e − 6
    (((1 << SUB_BITS) + sub) << shift, 1 << shift)
}

/// The value reported for bucket `i`: its midpoint (its value when exact).
pub const fn bucket_value(i: usize) -> u64 {
    let (lo, width) = bucket_bounds(i);
    lo + width / 2
}

/// The nearest rank of percentile `hundredths / 100` among `n` samples:
/// `⌈hundredths · n / 10 000⌉`, at least 1 (`n > 0`).
pub(crate) fn nearest_rank(hundredths: u16, n: u64) -> u64 {
    let scaled = u128::from(hundredths) * u128::from(n);
    let rank = scaled.div_ceil(10_000);
    u64::try_from(rank).unwrap_or(n).clamp(1, n.max(1))
}

/// Walks bucket counts (given by `count_at`) to the bucket holding the
/// `rank`-th sample and returns its value clamped to `[minimum, maximum]`;
/// the maximum when the rank lies beyond the buckets (out-of-range or
/// saturated counts).
pub(crate) fn value_at_rank(rank: u64, minimum: u64, maximum: u64, count_at: impl Fn(usize) -> u64) -> u64 {
    let mut seen = 0u64;
    for i in 0..BUCKETS {
        seen = seen.saturating_add(count_at(i));
        if seen >= rank {
            return bucket_value(i).clamp(minimum, maximum.max(minimum));
        }
    }
    maximum
}

impl<C: BucketCount> Histogram<C> {
    /// An empty histogram.
    pub const fn new() -> Self {
        Histogram { counts: [C::ZERO; BUCKETS], count: 0, overflow: 0, minimum: u64::MAX, maximum: 0 }
    }
    /// Records one sample. O(1).
    pub fn record(&mut self, v: u64) {
        self.record_n(v, 1);
    }
    /// Records `n` samples of the same value. O(1).
    pub fn record_n(&mut self, v: u64, n: u64) {
        if n == 0 {
            return;
        }
        self.record_n_in(bucket_of(v), v, n);
    }
    /// Records one sample `v` whose bucket, [`bucket_of`]`(v)`, the caller
    /// computed (to record one sample in two histograms). O(1).
    #[inline(always)]
    pub(crate) fn record_in(&mut self, bucket: Option<usize>, v: u64) {
        self.record_n_in(bucket, v, 1);
    }
    #[inline(always)]
    fn record_n_in(&mut self, bucket: Option<usize>, v: u64, n: u64) {
        match bucket.and_then(|i| self.counts.get_mut(i)) {
            Some(c) => *c = c.add(n),
            None => self.overflow = self.overflow.saturating_add(n),
        }
        self.count = self.count.saturating_add(n);
        self.minimum = self.minimum.min(v);
        self.maximum = self.maximum.max(v);
    }
    /// Empties the histogram whose samples all lie in `buckets` (or
    /// overflowed): O(`buckets`), for a histogram of a few samples.
    pub(crate) fn clear_buckets(&mut self, buckets: &[u16]) {
        for &i in buckets {
            if let Some(c) = self.counts.get_mut(usize::from(i)) {
                *c = C::ZERO;
            }
        }
        self.count = 0;
        self.overflow = 0;
        self.minimum = u64::MAX;
        self.maximum = 0;
    }
    /// Adds every sample of `other` (any counter type). O([`BUCKETS`]).
    pub fn merge<D: BucketCount>(&mut self, other: &Histogram<D>) {
        for (c, o) in self.counts.iter_mut().zip(other.counts.iter()) {
            *c = c.add(o.get());
        }
        self.count = self.count.saturating_add(other.count);
        self.overflow = self.overflow.saturating_add(other.overflow);
        self.minimum = self.minimum.min(other.minimum);
        self.maximum = self.maximum.max(other.maximum);
    }
    /// Empties the histogram. O([`BUCKETS`]).
    pub fn clear(&mut self) {
        if self.count > 0 {
            // Every counted sample lies in the buckets of [minimum, maximum]
            // (or overflowed): a period of a few samples clears a few buckets.
            let lo = bucket_of(self.minimum).unwrap_or(BUCKETS);
            let hi = bucket_of(self.maximum).unwrap_or(BUCKETS - 1);
            if let Some(used) = self.counts.get_mut(lo..=hi) {
                used.fill(C::ZERO);
            }
        }
        self.count = 0;
        self.overflow = 0;
        self.minimum = u64::MAX;
        self.maximum = 0;
    }
    /// Samples recorded (saturating).
    pub const fn count(&self) -> u64 {
        self.count
    }
    /// Samples at or above [`RANGE_LIMIT`].
    pub const fn overflow(&self) -> u64 {
        self.overflow
    }
    /// The smallest sample, if any.
    pub const fn minimum(&self) -> Option<u64> {
        if self.count == 0 { None } else { Some(self.minimum) }
    }
    /// The largest sample, if any.
    pub const fn maximum(&self) -> Option<u64> {
        if self.count == 0 { None } else { Some(self.maximum) }
    }
    /// The count of bucket `i` (0 past the last bucket).
    pub fn bucket_count(&self, i: usize) -> u64 {
        self.counts.get(i).map_or(0, |c| c.get())
    }
    /// The nearest-rank percentile `hundredths / 100` (`0..=10 000`, e.g.
    /// 9990 for p99.9) within the bound of the module docs; `None` when empty.
    pub fn percentile(&self, hundredths: u16) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = nearest_rank(hundredths.min(10_000), self.count);
        Some(value_at_rank(rank, self.minimum, self.maximum, |i| self.bucket_count(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_as_documented() {
        assert_eq!(BUCKETS, 2240);
        assert_eq!(core::mem::size_of::<PeriodHistogram>(), 8_992);
        assert_eq!(core::mem::size_of::<RunHistogram>(), 17_952);
    }

    #[test]
    fn buckets_tile_the_range_in_order() {
        let mut next = 0u64;
        for i in 0..BUCKETS {
            let (lo, width) = bucket_bounds(i);
            assert_eq!(lo, next, "bucket {i}");
            assert_eq!(bucket_of(lo), Some(i));
            assert_eq!(bucket_of(lo + width - 1), Some(i));
            next = lo + width;
        }
        assert_eq!(next, RANGE_LIMIT);
        assert_eq!(bucket_of(RANGE_LIMIT), None);
        assert_eq!(bucket_of(u64::MAX), None);
    }

    #[test]
    fn every_bucket_value_is_within_the_bound() {
        for i in 0..BUCKETS {
            let (lo, width) = bucket_bounds(i);
            let r = bucket_value(i);
            for v in [lo, lo + width - 1] {
                assert!(r.abs_diff(v) * 128 <= v, "bucket {i} value {v} reported {r}");
            }
        }
    }

    #[test]
    fn small_values_are_exact_and_ranks_are_nearest() {
        let mut h = RunHistogram::new();
        for v in 1..=100 {
            h.record(v);
        }
        assert_eq!(h.percentile(5_000), Some(50));
        assert_eq!(h.percentile(9_900), Some(99));
        assert_eq!(h.percentile(9_990), Some(100));
        assert_eq!(h.percentile(0), Some(1));
        assert_eq!(h.percentile(10_000), Some(100));
        assert_eq!(RunHistogram::new().percentile(5_000), None);
    }

    #[test]
    fn clamps_to_the_samples_and_counts_overflow() {
        let mut h = PeriodHistogram::new();
        h.record(1_000_000);
        assert_eq!(h.percentile(5_000), Some(1_000_000));
        h.record(RANGE_LIMIT + 5);
        assert_eq!(h.overflow(), 1);
        assert_eq!(h.percentile(10_000), Some(RANGE_LIMIT + 5));
        let p50 = h.percentile(5_000).unwrap();
        assert!(p50 != 1_000_000 && p50.abs_diff(1_000_000) * 128 <= 1_000_000, "{p50}");
    }

    #[test]
    fn u32_counts_saturate() {
        let mut h = PeriodHistogram::new();
        h.record_n(7, u64::MAX);
        h.record(9);
        assert_eq!(h.bucket_count(7), u64::from(u32::MAX));
        assert_eq!(h.count(), u64::MAX);
        assert_eq!(h.percentile(10_000), Some(9));
    }

    #[test]
    fn merge_equals_recording_both() {
        let (mut a, mut b, mut both) = (PeriodHistogram::new(), PeriodHistogram::new(), RunHistogram::new());
        for v in [3u64, 900, 70_000, 5] {
            a.record(v);
            both.record(v);
        }
        for v in [1u64 << 30, 12] {
            b.record(v);
            both.record(v);
        }
        let mut run = RunHistogram::new();
        run.merge(&a);
        run.merge(&b);
        assert_eq!(run, both);
    }
}
