//! Duration distributions for handlers and inits.

use crate::cpu::DurationProfile;
use crate::memory::MemoryMb;
use crate::rng::Rng;
use crate::time::Duration;

/// How long something takes, drawn per invocation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DurationDist<'a> {
    /// Always the same.
    Fixed {
        /// The duration, µs.
        us: u64,
    },
    /// Exponential with this mean.
    Exponential {
        /// Mean, µs.
        mean_us: u64,
    },
    /// Log-normal: `median × e^(σ·Z)`, Z standard normal.
    LogNormal {
        /// Median, µs.
        median_us: u64,
        /// σ of the underlying normal.
        sigma: f64,
    },
    /// One of these measured values, uniformly at random (µs).
    Empirical(&'a [u64]),
    /// A duration profile (docs/model.md §3), evaluated at the function's memory.
    Profile(DurationProfile),
}

fn from_f64_us(x: f64) -> Duration {
    if x.is_nan() || x <= 0.0 {
        return Duration::ZERO;
    }
    // Round half up; `as` saturates at u64::MAX (an effectively endless duration).
    Duration::from_micros((x + 0.5) as u64)
}

/// A standard normal draw (Box–Muller, one of the pair).
pub(crate) fn standard_normal(rng: &mut Rng) -> f64 {
    let u1 = 1.0 - rng.next_f64(); // (0, 1]
    let u2 = rng.next_f64();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}

impl DurationDist<'_> {
    /// One draw at `memory`.
    #[inline(always)]
    pub fn sample(&self, rng: &mut Rng, memory: MemoryMb) -> Duration {
        match *self {
            DurationDist::Fixed { us } => Duration::from_micros(us),
            DurationDist::Exponential { mean_us } => from_f64_us(rng.exponential(mean_us as f64)),
            DurationDist::LogNormal { median_us, sigma } => {
                from_f64_us(median_us as f64 * libm::exp(sigma * standard_normal(rng)))
            }
            DurationDist::Empirical(values) => {
                let i = rng.below(values.len() as u64) as usize;
                Duration::from_micros(values.get(i).copied().unwrap_or(0))
            }
            DurationDist::Profile(p) => p.duration_at(memory),
        }
    }

    /// The distribution's mean at `memory`, µs.
    pub fn mean_us(&self, memory: MemoryMb) -> f64 {
        match *self {
            DurationDist::Fixed { us } => us as f64,
            DurationDist::Exponential { mean_us } => mean_us as f64,
            DurationDist::LogNormal { median_us, sigma } => median_us as f64 * libm::exp(sigma * sigma / 2.0),
            DurationDist::Empirical([]) => 0.0,
            DurationDist::Empirical(values) => values.iter().map(|&v| v as f64).sum::<f64>() / values.len() as f64,
            DurationDist::Profile(p) => p.duration_at(memory).as_micros() as f64,
        }
    }

    /// Whether the parameters make sense (finite, non-negative σ; a non-empty sample).
    pub fn is_valid(&self) -> bool {
        match *self {
            DurationDist::LogNormal { sigma, .. } => sigma.is_finite() && sigma >= 0.0,
            DurationDist::Empirical(values) => !values.is_empty(),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_are_close() {
        let m = MemoryMb::DEFAULT;
        let mut rng = Rng::new(9);
        for d in [
            DurationDist::Exponential { mean_us: 2_000_000 },
            DurationDist::LogNormal { median_us: 100_000, sigma: 0.5 },
            DurationDist::Empirical(&[10, 20, 30, 40]),
        ] {
            let n = 200_000;
            let sum: f64 = (0..n).map(|_| d.sample(&mut rng, m).as_micros() as f64).sum();
            let mean = sum / n as f64;
            assert!((mean / d.mean_us(m) - 1.0).abs() < 0.01, "{d:?}: {mean}");
        }
        assert_eq!(DurationDist::Fixed { us: 5 }.sample(&mut rng, m), Duration::from_micros(5));
        assert!(!DurationDist::Empirical(&[]).is_valid());
        assert_eq!(DurationDist::Empirical(&[]).sample(&mut rng, m), Duration::ZERO);
        assert!(!DurationDist::LogNormal { median_us: 1, sigma: f64::NAN }.is_valid());
    }
}
