//! One period's datapoint and CloudWatch's statistics of it.

use super::MetricError;
use super::histogram::{BucketCount, Histogram, nearest_rank, value_at_rank};
use core::fmt;

/// The aggregate of one period's samples, as CloudWatch keeps it: Sum,
/// SampleCount, Minimum and Maximum, all integers in the metric's unit.
/// Additions saturate.
///
/// A datapoint always holds at least one sample: a period without any is
/// "missing" (`None` in queries), which is not a zero datapoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Datapoint {
    /// Sum of the samples (saturating).
    pub sum: u64,
    /// Number of samples (saturating).
    pub sample_count: u64,
    /// Smallest sample.
    pub minimum: u64,
    /// Largest sample.
    pub maximum: u64,
}

impl Datapoint {
    /// The datapoint of one sample.
    pub const fn of(value: u64) -> Self {
        Datapoint { sum: value, sample_count: 1, minimum: value, maximum: value }
    }
    /// Adds one sample.
    pub fn record(&mut self, value: u64) {
        self.merge(&Datapoint::of(value));
    }
    /// Adds every sample of `other`.
    pub fn merge(&mut self, other: &Datapoint) {
        self.sum = self.sum.saturating_add(other.sum);
        self.sample_count = self.sample_count.saturating_add(other.sample_count);
        self.minimum = self.minimum.min(other.minimum);
        self.maximum = self.maximum.max(other.maximum);
    }
    /// `a` merged with `b`, either possibly missing.
    pub fn merged(a: Option<Datapoint>, b: Option<Datapoint>) -> Option<Datapoint> {
        match (a, b) {
            (Some(mut a), Some(b)) => {
                a.merge(&b);
                Some(a)
            }
            (a, None) => a,
            (None, b) => b,
        }
    }
    /// Sum / SampleCount.
    pub fn average(&self) -> f64 {
        if self.sample_count == 0 { 0.0 } else { self.sum as f64 / self.sample_count as f64 }
    }
}

/// A percentile `pNN`: 0 to 100 with at most two decimals, kept in
/// hundredths (p99.9 is 9990).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percentile(u16);

impl Percentile {
    /// p50.
    pub const P50: Percentile = Percentile(5_000);
    /// p90.
    pub const P90: Percentile = Percentile(9_000);
    /// p99.
    pub const P99: Percentile = Percentile(9_900);

    /// The percentile `hundredths / 100`.
    ///
    /// # Errors
    /// [`MetricError::PercentileOutOfRange`] above 10 000 (p100).
    pub const fn from_hundredths(hundredths: u16) -> Result<Self, MetricError> {
        if hundredths > 10_000 { Err(MetricError::PercentileOutOfRange) } else { Ok(Percentile(hundredths)) }
    }
    /// The percentile in hundredths.
    pub const fn hundredths(self) -> u16 {
        self.0
    }
    /// Parses CloudWatch's form `pNN` or `pNN.N` or `pNN.NN` (`p99`, `p99.9`).
    ///
    /// # Errors
    /// [`MetricError::UnknownStatistic`] for text of another form,
    /// [`MetricError::PercentileOutOfRange`] above p100.
    pub fn parse(text: &str) -> Result<Self, MetricError> {
        let digits = text.strip_prefix('p').ok_or(MetricError::UnknownStatistic)?;
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 3 || !all_digits(whole) || !all_digits(frac) {
            return Err(MetricError::UnknownStatistic);
        }
        if digits.contains('.') && frac.is_empty() {
            return Err(MetricError::UnknownStatistic);
        }
        if frac.len() > 2 {
            return Err(MetricError::PercentileOutOfRange);
        }
        let mut hundredths = 0u32;
        for b in whole.bytes() {
            hundredths = hundredths * 10 + u32::from(b - b'0');
        }
        hundredths *= 100;
        let mut scale = 10u32;
        for b in frac.bytes() {
            hundredths += u32::from(b - b'0') * scale;
            scale /= 10;
        }
        let hundredths = u16::try_from(hundredths).map_err(|_| MetricError::PercentileOutOfRange)?;
        Percentile::from_hundredths(hundredths)
    }
}

impl fmt::Display for Percentile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "p{whole}"),
            _ if frac % 10 == 0 => write!(f, "p{whole}.{}", frac / 10),
            _ => write!(f, "p{whole}.{frac:02}"),
        }
    }
}

/// A CloudWatch statistic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Statistic {
    /// Number of samples.
    SampleCount,
    /// Sum of the samples.
    Sum,
    /// Sum / SampleCount.
    Average,
    /// Smallest sample.
    Minimum,
    /// Largest sample.
    Maximum,
    /// A nearest-rank percentile, from the period's histogram (within the
    /// bound of [`super::histogram`]).
    Percentile(Percentile),
}

impl Statistic {
    /// Parses CloudWatch's names: `SampleCount`, `Sum`, `Average`,
    /// `Minimum`, `Maximum`, or `pNN` / `pNN.NN`.
    ///
    /// # Errors
    /// [`MetricError::UnknownStatistic`], or
    /// [`MetricError::PercentileOutOfRange`] for a bad percentile.
    pub fn parse(text: &str) -> Result<Self, MetricError> {
        Ok(match text {
            "SampleCount" => Statistic::SampleCount,
            "Sum" => Statistic::Sum,
            "Average" => Statistic::Average,
            "Minimum" => Statistic::Minimum,
            "Maximum" => Statistic::Maximum,
            _ => Statistic::Percentile(Percentile::parse(text)?),
        })
    }
    /// The statistic of a datapoint; a percentile needs the period's
    /// histogram (`None`: [`MetricError::NoHistogram`]).
    ///
    /// # Errors
    /// [`MetricError::NoHistogram`] for a percentile without a histogram.
    pub fn of<C: BucketCount>(self, dp: &Datapoint, histogram: Option<&Histogram<C>>) -> Result<f64, MetricError> {
        self.of_counts(dp, histogram.map(|h| move |i: usize| h.bucket_count(i)))
    }
    /// As [`Statistic::of`], with the bucket counts given by a function (the
    /// sum of several periods' histograms, for an alarm period spanning them).
    pub(crate) fn of_counts(self, dp: &Datapoint, counts: Option<impl Fn(usize) -> u64>) -> Result<f64, MetricError> {
        Ok(match self {
            Statistic::SampleCount => dp.sample_count as f64,
            Statistic::Sum => dp.sum as f64,
            Statistic::Average => dp.average(),
            Statistic::Minimum => dp.minimum as f64,
            Statistic::Maximum => dp.maximum as f64,
            Statistic::Percentile(p) => {
                let counts = counts.ok_or(MetricError::NoHistogram)?;
                let rank = nearest_rank(p.hundredths(), dp.sample_count);
                value_at_rank(rank, dp.minimum, dp.maximum, counts) as f64
            }
        })
    }
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Statistic::SampleCount => f.write_str("SampleCount"),
            Statistic::Sum => f.write_str("Sum"),
            Statistic::Average => f.write_str("Average"),
            Statistic::Minimum => f.write_str("Minimum"),
            Statistic::Maximum => f.write_str("Maximum"),
            Statistic::Percentile(p) => p.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::histogram::RunHistogram;
    use super::*;
    use core::fmt::Write;

    #[test]
    fn percentiles_parse_and_print() {
        for (text, h) in
            [("p0", 0), ("p50", 5_000), ("p99.9", 9_990), ("p99.99", 9_999), ("p100", 10_000), ("p9.05", 905)]
        {
            let p = Percentile::parse(text).unwrap();
            assert_eq!(p.hundredths(), h, "{text}");
            let mut s: heapless::String<16> = heapless::String::new();
            write!(s, "{p}").unwrap();
            assert_eq!(s.as_str(), text);
        }
        assert_eq!(Percentile::parse("p100.01"), Err(MetricError::PercentileOutOfRange));
        assert_eq!(Percentile::parse("p101"), Err(MetricError::PercentileOutOfRange));
        assert_eq!(Percentile::parse("p99.999"), Err(MetricError::PercentileOutOfRange));
        for bad in ["p", "99", "p9x", "p.5", "p99.", "P99", "p1000"] {
            assert_eq!(Percentile::parse(bad), Err(MetricError::UnknownStatistic), "{bad}");
        }
        assert_eq!(Statistic::parse("Maximum"), Ok(Statistic::Maximum));
        assert_eq!(Statistic::parse("p90"), Ok(Statistic::Percentile(Percentile::P90)));
        assert_eq!(Statistic::parse("Max"), Err(MetricError::UnknownStatistic));
    }

    #[test]
    fn statistics_of_a_datapoint() {
        let mut dp = Datapoint::of(10);
        dp.record(30);
        dp.record(20);
        let none: Option<&RunHistogram> = None;
        assert_eq!(Statistic::Sum.of(&dp, none), Ok(60.0));
        assert_eq!(Statistic::SampleCount.of(&dp, none), Ok(3.0));
        assert_eq!(Statistic::Average.of(&dp, none), Ok(20.0));
        assert_eq!(Statistic::Minimum.of(&dp, none), Ok(10.0));
        assert_eq!(Statistic::Maximum.of(&dp, none), Ok(30.0));
        assert_eq!(Statistic::Percentile(Percentile::P50).of(&dp, none), Err(MetricError::NoHistogram));
        let mut h = RunHistogram::new();
        for v in [10, 30, 20] {
            h.record(v);
        }
        assert_eq!(Statistic::Percentile(Percentile::P50).of(&dp, Some(&h)), Ok(20.0));
    }

    #[test]
    fn sums_saturate_and_missing_merges() {
        let mut dp = Datapoint::of(u64::MAX);
        dp.record(5);
        assert_eq!(dp.sum, u64::MAX);
        assert_eq!(Datapoint::merged(None, None), None);
        assert_eq!(Datapoint::merged(None, Some(Datapoint::of(0))), Some(Datapoint::of(0)));
    }
}
