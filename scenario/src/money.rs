//! Showing money and bills: dollars and cents, exact decimals, line items.

use lambdasim::money::{ATOMS_PER_USD, Money};
use lambdasim::pricing::{Bill, LineItem, LineKind, MB_MS_PER_GB_S};
use serde::Serialize;

/// Cents as a plain decimal string in dollars: `273` → `"2.73"`.
pub fn usd(cents: u128) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Cents as `$1,234.56`.
pub fn dollars(cents: u128) -> String {
    format!("${}.{:02}", grouped(cents / 100), cents % 100)
}

/// An integer with thousands separators: `1234567` → `"1,234,567"`.
pub fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in dollars rounded (half up) to `digits` fractional digits.
pub fn usd_digits(m: Money, digits: u32) -> String {
    let scale = 10u128.pow(digits);
    let scaled = m.atoms().saturating_mul(scale);
    let mut q = scaled / ATOMS_PER_USD;
    if (scaled % ATOMS_PER_USD) * 2 >= ATOMS_PER_USD {
        q += 1;
    }
    if digits == 0 {
        return q.to_string();
    }
    format!("{}.{:0width$}", q / scale, q % scale, width = digits as usize)
}

/// `Money` from f64 dollars is never needed; a mean of amounts is kept in atoms.
pub fn mean_money(amounts: &[Money]) -> Money {
    if amounts.is_empty() {
        return Money::ZERO;
    }
    let n = amounts.len() as u128;
    let sum = amounts.iter().fold(0u128, |a, m| a.saturating_add(m.atoms()));
    Money::from_atoms((sum + n / 2) / n)
}

/// The name a line item goes by in JSON.
pub fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Requests => "Requests",
        LineKind::Duration => "Duration",
        LineKind::ProvisionedConcurrency => "ProvisionedConcurrency",
        LineKind::ProvisionedDuration => "ProvisionedDuration",
        LineKind::EphemeralStorage => "EphemeralStorage",
    }
}

/// The unit of a line item's quantity.
pub fn unit(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Requests => "requests",
        _ => "MB-ms",
    }
}

/// MB·ms as GB-s with three decimals.
pub fn gb_s(mb_ms: u128) -> String {
    let milli = (mb_ms.saturating_mul(1_000) + MB_MS_PER_GB_S / 2) / MB_MS_PER_GB_S;
    format!("{}.{:03}", grouped(milli / 1_000), milli % 1_000)
}

/// One line item in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct LineJson {
    pub kind: &'static str,
    pub arch: Option<&'static str>,
    pub quantity: u128,
    pub unit: &'static str,
    pub usd: String,
    pub exact_usd: String,
}

/// A bill in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct BillJson {
    pub lines: Vec<LineJson>,
    pub total_usd: String,
    pub exact_usd: String,
}

impl BillJson {
    pub fn new(bill: &Bill) -> Self {
        BillJson {
            lines: bill
                .lines()
                .iter()
                .map(|l| LineJson {
                    kind: kind_name(l.kind),
                    arch: l.arch.map(|a| a.name()),
                    quantity: l.quantity,
                    unit: unit(l.kind),
                    usd: usd(l.cents()),
                    exact_usd: l.amount.exact().to_string(),
                })
                .collect(),
            total_usd: usd(bill.total_cents()),
            exact_usd: bill.exact_total().exact().to_string(),
        }
    }
}

fn line_label(l: &LineItem) -> String {
    match l.arch {
        Some(a) => format!("{} ({a})", l.kind.name()),
        None => l.kind.name().to_owned(),
    }
}

fn line_quantity(l: &LineItem) -> String {
    match l.kind {
        LineKind::Requests => format!("{} requests", grouped(l.quantity)),
        _ => format!("{} GB-s", gb_s(l.quantity)),
    }
}

/// A bill as text, AWS style: one line per item, then the total.
pub fn bill_text(bill: &Bill, indent: &str) -> String {
    let mut out = String::new();
    if bill.lines().is_empty() {
        out.push_str(&format!("{indent}(no charges)\n"));
    }
    for l in bill.lines() {
        out.push_str(&format!("{indent}{:<34} {:>26} {:>12}\n", line_label(l), line_quantity(l), dollars(l.cents())));
    }
    out.push_str(&format!(
        "{indent}{:<34} {:>26} {:>12}   (exact ${})\n",
        "Total",
        "",
        dollars(bill.total_cents()),
        bill.exact_total().exact()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(usd(273), "2.73");
        assert_eq!(usd(5), "0.05");
        assert_eq!(dollars(123_456_789), "$1,234,567.89");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(gb_s(140_000 * MB_MS_PER_GB_S), "140,000.000");
        let m = Money::per_item(1, 2_000).unwrap_or(Money::ZERO);
        assert_eq!(usd_digits(m, 7), "0.0000002");
        assert_eq!(usd_digits(m, 6), "0.000000");
    }
}
