//! Bills in the vectors (docs/model.md §5): the runner of `tests/vectors/pricing/*.json`
//! (a month of usage described directly) and the bill expectations shared
//! with the region vectors' `bill` op. Format: `tests/vectors/README.md`,
//! "Pricing vectors".
//!
//! Like the C ABI, every runner reports a bill whose total in cents does not
//! fit 64 bits as `Overflow`, so the answer is the same in every language.
//!
//! ```no_run
//! for path in lambdasim_tests::bills::pricing_files().unwrap() {
//!     lambdasim_tests::bills::run_pricing_file(&path).unwrap();
//! }
//! ```

use crate::vectors::{
    Failure, Mismatches, Res, Summary, allow_keys, as_obj, opt_bool, opt_str, opt_u32, req_str, req_u32, req_u64,
    vector_dir,
};
use lambdasim::pricing::{
    Architecture, Bill, BillError, FREE_EPHEMERAL_MB, Granularity, InvocationUsage, MAX_EPHEMERAL_MB, Meter, PriceBook,
    ProvisionedUsage, UsageClass,
};
use lambdasim::{ConfigError, Duration, MemoryMb};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The largest integer JavaScript reads exactly: vectors write larger
/// quantities as strings.
pub const JS_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The keys of a bill expectation.
pub(crate) const BILL_EXPECT_KEYS: &[&str] = &["lines", "total_cents", "exact_total", "error"];

const LINE_KEYS: &[&str] = &["kind", "architecture", "quantity", "cents", "amount"];

/// A granularity by its vector name (`"1ms"`, `"100ms"`).
pub(crate) fn granularity(name: &str) -> Res<Granularity> {
    match name {
        "1ms" => Ok(Granularity::Ms1),
        "100ms" => Ok(Granularity::Ms100),
        _ => Err(format!("expected \"1ms\" or \"100ms\", found \"{name}\"")),
    }
}

/// An architecture by its AWS name.
pub(crate) fn architecture(name: &str) -> Res<Architecture> {
    Architecture::ALL
        .into_iter()
        .find(|a| a.name() == name)
        .ok_or_else(|| format!("expected \"x86_64\" or \"arm64\", found \"{name}\""))
}

/// A price book by its vector name.
pub(crate) fn prices(name: &str) -> Res<PriceBook> {
    match name {
        "us-east-1" => Ok(PriceBook::US_EAST_1),
        "us-east-1-2020" => Ok(PriceBook::US_EAST_1_2020),
        _ => Err(format!("unknown prices \"{name}\" (expected \"us-east-1\" or \"us-east-1-2020\")")),
    }
}

/// The vector name of a billing error (the Rust variant name).
pub(crate) fn bill_error_name(e: &BillError) -> String {
    format!("{e:?}")
}

/// The bill of `meter`, or the vector name of why there is none: the core's
/// error, or `Overflow` when the total in cents does not fit 64 bits (as
/// through the C ABI).
///
/// # Errors
/// The error name.
pub fn priced(meter: &Meter, prices: &PriceBook, free_tier: bool) -> Result<Bill, String> {
    let bill = meter.bill(prices, free_tier).map_err(|e| bill_error_name(&e))?;
    if bill.total_cents() > u128::from(u64::MAX) {
        return Err("Overflow".to_owned());
    }
    Ok(bill)
}

/// Fails on any integer above 2^53 − 1 in `v` (JavaScript would misread it).
fn js_safe(v: &Value, ctx: &str) -> Res<()> {
    match v {
        Value::Number(n)
            if n.as_u64().is_none_or(|u| u > JS_SAFE_INTEGER)
                && n.as_i64().is_none_or(|i| i.unsigned_abs() > JS_SAFE_INTEGER) =>
        {
            Err(format!("{ctx}: {n} is past 2^53 - 1 (write large quantities as strings)"))
        }
        Value::Array(a) => a.iter().try_for_each(|x| js_safe(x, ctx)),
        Value::Object(o) => o.values().try_for_each(|x| js_safe(x, ctx)),
        _ => Ok(()),
    }
}

/// A quantity: a JSON integer or a string of decimal digits.
fn quantity(v: &Value, ctx: &str) -> Res<u128> {
    match v {
        Value::Number(n) => {
            n.as_u64().map(u128::from).ok_or_else(|| format!("{ctx}: quantity {n} is not a non-negative integer"))
        }
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map_err(|_| format!("{ctx}: quantity \"{s}\" does not fit 128 bits"))
        }
        other => Err(format!("{ctx}: quantity must be an integer or a string of digits, found {other}")),
    }
}

/// One expected line item.
struct WantLine<'a> {
    kind: &'a str,
    architecture: Option<&'a str>,
    quantity: u128,
    cents: u128,
    amount: &'a str,
}

impl<'a> WantLine<'a> {
    fn parse(v: &'a Value, ctx: &str) -> Res<Self> {
        let w = as_obj(v, ctx)?;
        allow_keys(w, LINE_KEYS, ctx)?;
        if let Some(k) = LINE_KEYS.iter().find(|k| !w.contains_key(**k)) {
            return Err(format!("{ctx}: missing `{k}`"));
        }
        let architecture = match w.get("architecture") {
            Some(Value::Null) => None,
            _ => Some(req_str(w, "architecture", ctx)?),
        };
        Ok(WantLine {
            kind: req_str(w, "kind", ctx)?,
            architecture,
            quantity: quantity(w.get("quantity").unwrap_or(&Value::Null), ctx)?,
            cents: u128::from(req_u64(w, "cents", ctx)?),
            amount: req_str(w, "amount", ctx)?,
        })
    }
}

/// Checks a bill (or the error instead of one) against a bill expectation.
///
/// # Errors
/// An expectation that is not valid (unknown keys, wrong types).
pub(crate) fn check_bill(
    result: Result<Bill, String>,
    e: &Map<String, Value>,
    mm: &mut Mismatches,
    ctx: &str,
) -> Res<()> {
    allow_keys(e, BILL_EXPECT_KEYS, ctx)?;
    js_safe(&Value::Object(e.clone()), ctx)?;
    if e.is_empty() {
        return Err(format!("{ctx}: a bill expectation needs at least one key"));
    }
    let want_error = opt_str(e, "error", ctx)?;
    if want_error.is_some() && e.len() > 1 {
        return Err(format!("{ctx}: `error` excludes every other key"));
    }
    let bill = match (result, want_error) {
        (Err(got), Some(want)) => {
            mm.eq("error", got.as_str(), want);
            return Ok(());
        }
        (Err(got), None) => {
            mm.fail(format!("bill failed with {got}, expected a bill"));
            return Ok(());
        }
        (Ok(b), Some(want)) => {
            mm.fail(format!("bill succeeded (total {} cents), expected error {want}", b.total_cents()));
            return Ok(());
        }
        (Ok(b), None) => b,
    };
    if let Some(v) = e.get("lines") {
        let want = v.as_array().ok_or_else(|| format!("{ctx}: `lines` must be an array"))?;
        let want: Vec<WantLine<'_>> = want
            .iter()
            .enumerate()
            .map(|(i, w)| WantLine::parse(w, &format!("{ctx}.lines[{i}]")))
            .collect::<Res<_>>()?;
        mm.eq("lines.len", bill.lines().len(), want.len());
        for (i, (got, w)) in bill.lines().iter().zip(&want).enumerate() {
            mm.eq(&format!("lines[{i}].kind"), got.kind.name(), w.kind);
            mm.eq(&format!("lines[{i}].architecture"), got.arch.map(Architecture::name), w.architecture);
            mm.eq(&format!("lines[{i}].quantity"), got.quantity, w.quantity);
            mm.eq(&format!("lines[{i}].cents"), got.cents(), w.cents);
            mm.eq(&format!("lines[{i}].amount"), got.amount.exact().to_string().as_str(), w.amount);
        }
    }
    if let Some(want) = crate::vectors::opt_u64(e, "total_cents", ctx)? {
        mm.eq("total_cents", bill.total_cents(), u128::from(want));
    }
    if let Some(want) = opt_str(e, "exact_total", ctx)? {
        mm.eq("exact_total", bill.exact_total().exact().to_string().as_str(), want);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Pricing vectors.

/// The folder of the pricing vectors (`tests/vectors/pricing/`).
pub fn pricing_dir() -> PathBuf {
    vector_dir().join("pricing")
}

/// Every `*.json` file of [`pricing_dir`], sorted by name.
///
/// # Errors
/// The folder cannot be read.
pub fn pricing_files() -> Result<Vec<PathBuf>, String> {
    let dir = pricing_dir();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|x| x == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads and runs one pricing vector.
///
/// # Errors
/// A mismatch, or a file that cannot be read or is not a valid vector.
pub fn run_pricing_file(path: &Path) -> Result<Summary, Failure> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let text = std::fs::read_to_string(path).map_err(|e| Failure {
        file: file.clone(),
        step: None,
        message: e.to_string(),
    })?;
    run_pricing_str(&file, &text)
}

/// Runs one pricing vector given as JSON text; `file` names it in failures.
///
/// # Errors
/// A mismatch, or text that is not a valid vector.
pub fn run_pricing_str(file: &str, text: &str) -> Result<Summary, Failure> {
    let fail = |message: String| Failure { file: file.to_owned(), step: None, message };
    let v: Value = serde_json::from_str(text).map_err(|e| fail(format!("invalid JSON: {e}")))?;
    let mut mm = Mismatches::default();
    let name = run_pricing(&v, &mut mm).map_err(fail)?;
    if mm.found.is_empty() {
        Ok(Summary { name, steps: 1, assertions: mm.compared })
    } else {
        Err(fail(mm.found.join("; ")))
    }
}

const TOP_KEYS: &[&str] =
    &["name", "spec", "description", "prices", "free_tier", "invocations", "provisioned", "expect"];
const INVOCATION_KEYS: &[&str] =
    &["architecture", "memory_mb", "ephemeral_mb", "class", "granularity", "requests", "duration_us"];
const PROVISIONED_KEYS: &[&str] = &["architecture", "memory_mb", "provisioned", "enabled_us"];

fn items<'a>(top: &'a Map<String, Value>, key: &str) -> Res<&'a [Value]> {
    match top.get(key) {
        None => Ok(&[]),
        Some(v) => v.as_array().map(Vec::as_slice).ok_or_else(|| format!("`{key}` must be an array")),
    }
}

/// A memory size, or the vector name of why it is invalid.
fn memory(mb: u32) -> Result<u32, String> {
    MemoryMb::new(mb).map(MemoryMb::get).map_err(|e| format!("{:?}", ConfigError::from(e)))
}

fn arch_of(m: &Map<String, Value>, ctx: &str) -> Res<Architecture> {
    opt_str(m, "architecture", ctx)?
        .map_or(Ok(Architecture::X86_64), |a| architecture(a).map_err(|e| format!("{ctx}: {e}")))
}

/// Meters the vector's usage: `Ok(Err(name))` when the library rejects it.
fn meter(top: &Map<String, Value>) -> Res<Result<Meter, String>> {
    let mut meter = Meter::new();
    for (i, v) in items(top, "invocations")?.iter().enumerate() {
        let ctx = format!("invocations[{i}]");
        let m = as_obj(v, &ctx)?;
        allow_keys(m, INVOCATION_KEYS, &ctx)?;
        let arch = arch_of(m, &ctx)?;
        let memory_mb = opt_u32(m, "memory_mb", &ctx)?.unwrap_or(MemoryMb::DEFAULT.get());
        let ephemeral_mb = opt_u32(m, "ephemeral_mb", &ctx)?.unwrap_or(FREE_EPHEMERAL_MB);
        let class = match opt_str(m, "class", &ctx)? {
            None | Some("on_demand") => UsageClass::OnDemand,
            Some("provisioned") => UsageClass::Provisioned,
            Some(c) => return Err(format!("{ctx}.class: expected \"on_demand\" or \"provisioned\", found \"{c}\"")),
        };
        let g = opt_str(m, "granularity", &ctx)?.map_or(Ok(Granularity::Ms1), granularity)?;
        let requests = req_u64(m, "requests", &ctx)?;
        let duration = Duration::from_micros(req_u64(m, "duration_us", &ctx)?);
        if let Err(e) = memory(memory_mb) {
            return Ok(Err(e));
        }
        if !(FREE_EPHEMERAL_MB..=MAX_EPHEMERAL_MB).contains(&ephemeral_mb) {
            return Ok(Err("EphemeralOutOfRange".to_owned()));
        }
        let billed_ms = u128::from(requests) * u128::from(g.billed_ms(duration));
        let usage = InvocationUsage { arch, memory_mb, ephemeral_mb, class, requests, billed_ms };
        if let Err(e) = meter.add_invocations(&usage) {
            return Ok(Err(bill_error_name(&e)));
        }
    }
    for (i, v) in items(top, "provisioned")?.iter().enumerate() {
        let ctx = format!("provisioned[{i}]");
        let m = as_obj(v, &ctx)?;
        allow_keys(m, PROVISIONED_KEYS, &ctx)?;
        let arch = arch_of(m, &ctx)?;
        let memory_mb = opt_u32(m, "memory_mb", &ctx)?.unwrap_or(MemoryMb::DEFAULT.get());
        let provisioned = req_u32(m, "provisioned", &ctx)?;
        let enabled = Duration::from_micros(req_u64(m, "enabled_us", &ctx)?);
        if let Err(e) = memory(memory_mb) {
            return Ok(Err(e));
        }
        if let Err(e) = meter.add_provisioned(&ProvisionedUsage { arch, memory_mb, provisioned, enabled }) {
            return Ok(Err(bill_error_name(&e)));
        }
    }
    Ok(Ok(meter))
}

fn run_pricing(v: &Value, mm: &mut Mismatches) -> Res<String> {
    let top = as_obj(v, "vector")?;
    allow_keys(top, TOP_KEYS, "vector")?;
    js_safe(v, "vector")?;
    let name = req_str(top, "name", "vector")?.to_owned();
    let book = prices(opt_str(top, "prices", "vector")?.unwrap_or("us-east-1"))?;
    let free_tier = opt_bool(top, "free_tier", "vector")?.unwrap_or(false);
    let expect = as_obj(top.get("expect").ok_or("missing `expect`")?, "expect")?;
    let result = meter(top)?.and_then(|m| priced(&m, &book, free_tier));
    check_bill(result, expect, mm, "expect")?;
    Ok(name)
}
