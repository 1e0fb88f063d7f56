//! Money a user reads: what window the bill covers against the report's
//! counts, and the bill projected to a 30-day month.
//!
//! The projection scales the run's metered usage (requests, GB-s, provisioned
//! GB-s, ephemeral storage: the whole horizon, warm-up included) by
//! 30 days / horizon, in integers rounded half up, then prices it as one
//! month: the duration tiers and, when the run applies it, the free tier
//! apply to the month, as on a real bill. No floats touch money.

use crate::money::{self, BillJson};
use crate::run::RunResult;
use crate::scenario::Prepared;
use lambdasim::Duration;
use lambdasim::pricing::{ArchUsage, Bill, Meter};
use serde::Serialize;
use std::fmt::Write as _;

/// A 30-day month, µs.
pub const MONTH_US: u128 = 30 * 86_400 * 1_000_000;

/// `q` × [`MONTH_US`] / `horizon_us`, rounded half up (saturating).
fn scale(q: u128, horizon_us: u128) -> u128 {
    if horizon_us == 0 {
        return 0;
    }
    let n = q.saturating_mul(MONTH_US);
    n / horizon_us + u128::from((n % horizon_us).saturating_mul(2) >= horizon_us)
}

/// The usage of a run over `horizon`, scaled to 30 days.
pub fn month_usage(usage: &Meter, horizon: Duration) -> Meter {
    let h = u128::from(horizon.as_micros());
    let arch = |a: &ArchUsage| ArchUsage {
        requests: scale(a.requests, h),
        requests_provisioned: scale(a.requests_provisioned, h),
        mb_ms: scale(a.mb_ms, h),
        mb_ms_provisioned: scale(a.mb_ms_provisioned, h),
        provisioned_mb_ms: scale(a.provisioned_mb_ms, h),
    };
    Meter { x86_64: arch(&usage.x86_64), arm64: arch(&usage.arm64), ephemeral_mb_ms: scale(usage.ephemeral_mb_ms, h) }
}

/// Requests billed in a meter (on-demand and on provisioned concurrency).
fn billed_requests(m: &Meter) -> u128 {
    [m.x86_64, m.arm64].iter().fold(0u128, |n, a| n.saturating_add(a.requests).saturating_add(a.requests_provisioned))
}

/// The bill's window against the counts', and the projection, in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct MoneyJson {
    /// Requests the bill charges: every invocation of the whole run,
    /// warm-up included (throttled requests are never billed).
    pub billed_requests: u128,
    /// Requests the counts show: after the warm-up, throttled included.
    pub requests_after_warmup: u64,
    /// Of those, throttled (not billed).
    pub throttles_after_warmup: u64,
    /// `billed_requests` − (`requests_after_warmup` − `throttles_after_warmup`):
    /// the invocations of the warm-up, less those counted but still
    /// running at the horizon (never billed).
    pub billed_outside_counts: i128,
    /// The bill over the horizon, scaled to 30 days.
    pub projection_30d: ProjectionJson,
}

/// The 30-day projection in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectionJson {
    /// The simulated seconds the usage came from (the whole horizon).
    pub from_horizon_s: f64,
    /// 30 days / horizon.
    pub scale: f64,
    /// Whether the free tier was applied to the month.
    pub free_tier: bool,
    pub bill: Option<BillJson>,
    /// Why there is no bill (a usage too large to price exactly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The month's bill of a run (free tier as the run applies it).
///
/// # Errors
/// A usage too large to price exactly.
pub fn projected_bill(p: &Prepared, r: &RunResult) -> Result<Bill, lambdasim::pricing::BillError> {
    month_usage(&r.summary.total.usage, r.summary.horizon).bill(&p.prices, p.free_tier)
}

fn scale_factor(r: &RunResult) -> f64 {
    MONTH_US as f64 / (r.summary.horizon.as_micros().max(1) as f64)
}

pub fn money_json(p: &Prepared, r: &RunResult) -> MoneyJson {
    let t = &r.summary.total;
    let billed = billed_requests(&t.usage);
    let counted = i128::from(t.requests) - i128::from(t.throttles);
    let projection = projected_bill(p, r);
    MoneyJson {
        billed_requests: billed,
        requests_after_warmup: t.requests,
        throttles_after_warmup: t.throttles,
        billed_outside_counts: i128::try_from(billed).unwrap_or(i128::MAX).saturating_sub(counted),
        projection_30d: ProjectionJson {
            from_horizon_s: r.summary.horizon.as_micros() as f64 / 1e6,
            scale: scale_factor(r),
            free_tier: p.free_tier,
            bill: projection.as_ref().ok().map(BillJson::new),
            error: projection.err().map(|e| e.to_string()),
        },
    }
}

/// The text lines: how the bill's requests meet the table's, then the
/// 30-day projection's total.
pub fn text(p: &Prepared, r: &RunResult) -> String {
    let j = money_json(p, r);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  requests: the bill charges {} (every invocation of the run, warm-up included); the table counts {} after the warm-up, {} of them throttled (never billed); the difference, {}, is the warm-up's invocations less those still running at the horizon",
        money::grouped(j.billed_requests),
        money::grouped(u128::from(j.requests_after_warmup)),
        money::grouped(u128::from(j.throttles_after_warmup)),
        signed(j.billed_outside_counts)
    );
    let tier = if p.free_tier { "free tier applied to the month" } else { "no free tier (--free-tier to apply it)" };
    let from = crate::doc::number(j.projection_30d.from_horizon_s);
    match projected_bill(p, r) {
        Ok(bill) => {
            let _ = writeln!(
                out,
                "  projected 30-day bill: {} (usage of the {from} s horizon × {}, priced as one month; {tier})",
                money::dollars(bill.total_cents()),
                factor(j.projection_30d.scale)
            );
        }
        Err(e) => {
            let _ = writeln!(out, "  projected 30-day bill: not priced ({e})");
        }
    }
    out
}

fn signed(n: i128) -> String {
    let g = money::grouped(n.unsigned_abs());
    if n < 0 { format!("−{g}") } else { g }
}

/// The scale factor for text: whole when it is, else 2 significant decimals.
fn factor(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 { format!("{}", x.round()) } else { format!("{x:.2}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_is_integer_and_rounds_half_up() {
        // A day to 30 days: × 30 exactly.
        assert_eq!(scale(7, 86_400_000_000), 210);
        // An hour: × 720.
        assert_eq!(scale(1, 3_600_000_000), 720);
        // 30 days / 7 days × 1 = 4.2857… → 4; × 7 = 30 exactly.
        assert_eq!(scale(1, 7 * 86_400_000_000), 4);
        assert_eq!(scale(7, 7 * 86_400_000_000), 30);
        // Half up: 30 days / 60 days × 1 = 0.5 → 1.
        assert_eq!(scale(1, 60 * 86_400_000_000), 1);
        assert_eq!(scale(u128::MAX, 1), u128::MAX);
        assert_eq!(scale(5, 0), 0);
    }
}
