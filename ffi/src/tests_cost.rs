//! Unit tests of the cost entry points (bills, money, CPU, tuning) and of
//! the new config fields, calling them as C would.

use super::*;
use core::ffi::{CStr, c_char};
use std::ptr::{null, null_mut};

type S = lsim_status;

fn cstr(p: *const c_char) -> &'static str {
    assert!(!p.is_null());
    // SAFETY: every string getter returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

fn usage(arch: u32, memory_mb: u32, requests: u64, duration_us: u64) -> lsim_invocation_usage {
    let mut u = lsim_invocation_usage::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_invocation_usage_default(&mut u) }, S::Ok);
    u.architecture = arch;
    u.memory_mb = memory_mb;
    u.requests = requests;
    u.duration_us = duration_us;
    u
}

fn span(arch: u32, memory_mb: u32, provisioned: u32, enabled_us: u64) -> lsim_provisioned_usage {
    let mut p = lsim_provisioned_usage::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_provisioned_usage_default(&mut p) }, S::Ok);
    p.architecture = arch;
    p.memory_mb = memory_mb;
    p.provisioned = provisioned;
    p.enabled_us = enabled_us;
    p
}

fn bill_of(
    items: &[lsim_invocation_usage],
    spans: &[lsim_provisioned_usage],
    prices: u32,
    free: u32,
) -> Result<lsim_bill, S> {
    let sentinel = lsim_bill { total_cents: 777, ..lsim_bill::default() };
    let mut out = sentinel;
    let ip = if items.is_empty() { null() } else { items.as_ptr() };
    let sp = if spans.is_empty() { null() } else { spans.as_ptr() };
    // SAFETY: the slices are valid for their lengths; valid out-pointer.
    match unsafe { lsim_bill_usage(ip, items.len(), sp, spans.len(), prices, free, &mut out) } {
        S::Ok => Ok(out),
        s => {
            assert_eq!(out, sentinel, "out written on error");
            Err(s)
        }
    }
}

fn line_cents(b: &lsim_bill, kind: u32) -> u64 {
    b.lines[..b.line_count as usize].iter().filter(|l| l.kind == kind).map(|l| l.cents).sum()
}

fn exact(m: lsim_money) -> String {
    let mut buf = [0 as c_char; 64];
    let mut len = 0usize;
    // SAFETY: valid buffer and out-pointer.
    assert_eq!(unsafe { lsim_money_format(m, buf.as_mut_ptr(), buf.len(), &mut len) }, S::Ok);
    // SAFETY: the call wrote a NUL-terminated string.
    let s = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap().to_owned();
    assert_eq!(len, s.len() + 1);
    s
}

fn cents_text(m: lsim_money) -> String {
    let mut buf = [0 as c_char; 64];
    let mut len = 0usize;
    // SAFETY: valid buffer and out-pointer.
    assert_eq!(unsafe { lsim_money_format_cents(m, buf.as_mut_ptr(), buf.len(), &mut len) }, S::Ok);
    // SAFETY: the call wrote a NUL-terminated string.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap().to_owned()
}

fn money(atoms: u128) -> lsim_money {
    lsim_money { atoms: atoms.into() }
}

// ---- config fields ---------------------------------------------------------------

#[test]
fn new_config_fields_default_and_are_checked() {
    let mut rc = lsim_region_config::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_region_config_default(&mut rc) }, S::Ok);
    assert_eq!((rc.granularity, rc.bill_init), (LSIM_GRANULARITY_1MS, 1));
    let core = lambdasim::RegionConfig::try_from(&rc).unwrap();
    assert_eq!(core, lambdasim::RegionConfig::default());
    let with = |f: fn(&mut lsim_region_config)| {
        let mut c = rc;
        f(&mut c);
        lambdasim::RegionConfig::try_from(&c)
    };
    assert_eq!(with(|c| c.granularity = 2), Err(S::InvalidArgument));
    assert_eq!(with(|c| c.bill_init = 2), Err(S::InvalidArgument));
    let old = with(|c| {
        c.granularity = LSIM_GRANULARITY_100MS;
        c.bill_init = 0;
    })
    .unwrap();
    assert_eq!((old.granularity, old.bill_init), (lambdasim::pricing::Granularity::Ms100, false));

    let mut fc = lsim_function_config::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_function_config_default(&mut fc) }, S::Ok);
    assert_eq!((fc.architecture, fc.ephemeral_mb), (LSIM_ARCH_X86_64, 512));
    let mut r = null_mut();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_region_new(&rc, &mut r) }, S::Ok);
    let create = |c: &lsim_function_config| {
        let mut f = lsim_function::default();
        // SAFETY: valid pointers.
        unsafe { lsim_function_create(r, 0, c, &mut f) }
    };
    for (arch, eph, want) in [
        (LSIM_ARCH_ARM64, 10_240, S::Ok),
        (LSIM_ARCH_X86_64, 512, S::Ok),
        (2, 512, S::InvalidArgument),
        (LSIM_ARCH_NONE, 512, S::InvalidArgument),
        (LSIM_ARCH_ARM64, 511, S::EphemeralOutOfRange),
        (LSIM_ARCH_ARM64, 10_241, S::EphemeralOutOfRange),
        (LSIM_ARCH_X86_64, 0, S::EphemeralOutOfRange),
    ] {
        let c = lsim_function_config { architecture: arch, ephemeral_mb: eph, ..fc };
        assert_eq!(create(&c), want, "arch {arch}, ephemeral {eph}");
    }
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn default_fillers() {
    // SAFETY: NULL is allowed; other pointers are valid.
    unsafe {
        assert_eq!(lsim_invocation_usage_default(null_mut()), S::NullPointer);
        assert_eq!(lsim_provisioned_usage_default(null_mut()), S::NullPointer);
        assert_eq!(lsim_duration_profile_default(null_mut()), S::NullPointer);
        assert_eq!(lsim_tune_request_default(null_mut()), S::NullPointer);
        assert_eq!(lsim_tune_samples_request_default(null_mut()), S::NullPointer);
        let mut t = lsim_tune_request::defaults();
        t.struct_size = 0;
        t.profile.struct_size = 0;
        assert_eq!(lsim_tune_request_default(&mut t), S::Ok);
        assert_eq!(t.struct_size as usize, size_of::<lsim_tune_request>());
        assert_eq!(t.profile.struct_size as usize, size_of::<lsim_duration_profile>());
        assert_eq!((t.strategy, t.weight_ppm, t.configured_timeout_ms), (LSIM_STRATEGY_COST, 500_000, 3_000));
        let mut s = lsim_tune_samples_request::defaults();
        s.struct_size = 0;
        assert_eq!(lsim_tune_samples_request_default(&mut s), S::Ok);
        assert_eq!(s.struct_size as usize, size_of::<lsim_tune_samples_request>());
        assert!(s.sizes.is_null());
    }
    let u = usage(LSIM_ARCH_X86_64, 128, 0, 0);
    assert_eq!(u.struct_size as usize, size_of::<lsim_invocation_usage>());
    assert_eq!((u.ephemeral_mb, u.usage_class, u.granularity), (512, LSIM_USAGE_ON_DEMAND, LSIM_GRANULARITY_1MS));
    let p = span(LSIM_ARCH_X86_64, 128, 0, 0);
    assert_eq!(p.struct_size as usize, size_of::<lsim_provisioned_usage>());
}

// ---- bills from usage ----------------------------------------------------------------

#[test]
fn spec_example_1_free_tier() {
    let b = bill_of(&[usage(LSIM_ARCH_X86_64, 1_536, 3_000_000, 120_000)], &[], LSIM_PRICES_US_EAST_1, 1).unwrap();
    assert_eq!(b.line_count, 2);
    assert_eq!((b.lines[0].kind, b.lines[0].architecture), (LSIM_LINE_REQUESTS, LSIM_ARCH_NONE));
    assert_eq!(u128::from(b.lines[0].quantity), 2_000_000);
    assert_eq!(b.lines[0].cents, 40);
    assert_eq!((b.lines[1].kind, b.lines[1].architecture), (LSIM_LINE_DURATION, LSIM_ARCH_X86_64));
    assert_eq!(u128::from(b.lines[1].quantity), 140_000 * 1_024_000, "140 000 GB-s in MB-ms");
    assert_eq!(b.lines[1].cents, 233);
    assert_eq!(exact(b.lines[1].amount), "2.3333380000");
    assert_eq!(b.total_cents, 273);
    assert_eq!(exact(b.exact_total), "2.7333380000");
    assert_eq!(cents_text(b.exact_total), "2.73");
    assert_eq!(b.lines[2..], [lsim_bill_line::default(); 6], "unused lines are zero");
}

#[test]
fn spec_example_2_provisioned() {
    let x = LSIM_ARCH_X86_64;
    let mut on_pc = usage(x, 1_536, 500_000, 100_000);
    on_pc.usage_class = LSIM_USAGE_PROVISIONED;
    let items = [on_pc, usage(x, 1_536, 2_500_000, 120_000)];
    let spans = [span(x, 1_536, 100, 8 * 3_600_000_000)];
    let b = bill_of(&items, &spans, LSIM_PRICES_US_EAST_1, 1).unwrap();
    assert_eq!(line_cents(&b, LSIM_LINE_PROVISIONED_CONCURRENCY), 1_800);
    assert_eq!(line_cents(&b, LSIM_LINE_REQUESTS), 40);
    assert_eq!(line_cents(&b, LSIM_LINE_PROVISIONED_DURATION), 73);
    assert_eq!(line_cents(&b, LSIM_LINE_DURATION), 83);
    assert_eq!(b.total_cents, 1_996);
    let kinds: Vec<u32> = b.lines[..b.line_count as usize].iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [LSIM_LINE_REQUESTS, LSIM_LINE_DURATION, LSIM_LINE_PROVISIONED_CONCURRENCY, LSIM_LINE_PROVISIONED_DURATION]
    );
}

#[test]
fn spec_example_3_and_4_granularity_and_old_prices() {
    for (g, total) in [(LSIM_GRANULARITY_1MS, 4_000), (LSIM_GRANULARITY_100MS, 11_200)] {
        let mut u = usage(LSIM_ARCH_X86_64, 1_024, 60_000_000, 28_000);
        u.granularity = g;
        let b = bill_of(&[u], &[], LSIM_PRICES_US_EAST_1, 0).unwrap();
        assert_eq!(b.total_cents, total, "granularity {g}");
        assert_eq!(line_cents(&b, LSIM_LINE_REQUESTS), 1_200);
    }
    let mut u = usage(LSIM_ARCH_X86_64, 512, 3_000_000, 1_000_000);
    u.granularity = LSIM_GRANULARITY_100MS;
    assert_eq!(bill_of(&[u], &[], LSIM_PRICES_US_EAST_1_2020, 1).unwrap().total_cents, 1_874);
    // Today's tiered price is lower than 0.00001667: $18.33.
    assert_eq!(bill_of(&[u], &[], LSIM_PRICES_US_EAST_1, 1).unwrap().total_cents, 1_873);
}

#[test]
fn arm64_and_ephemeral_storage() {
    // 5 M arm64 invocations of 350 ms at 2048 MB: 3 500 000 GB-s - 400 000 free
    // = 3 100 000 x 0.0000133334 = $41.33354; 4 M requests $0.80.
    let b = bill_of(&[usage(LSIM_ARCH_ARM64, 2_048, 5_000_000, 350_000)], &[], LSIM_PRICES_US_EAST_1, 1).unwrap();
    assert_eq!(b.lines[1].architecture, LSIM_ARCH_ARM64);
    assert_eq!(exact(b.lines[1].amount), "41.3335400000");
    assert_eq!(b.total_cents, 4_133 + 80);
    // 5 M x 30 s at 1024 MB with 10 240 MB of /tmp, no free tier: duration
    // 150 M GB-s = $2500.005 (half a cent rounds up), storage 9728 MB above the
    // free 512: 1 425 M GB-s x 0.0000000309 = $44.0325, requests $1.
    let mut u = usage(LSIM_ARCH_X86_64, 1_024, 5_000_000, 30_000_000);
    u.ephemeral_mb = 10_240;
    let b = bill_of(&[u], &[], LSIM_PRICES_US_EAST_1, 0).unwrap();
    assert_eq!(line_cents(&b, LSIM_LINE_DURATION), 250_001);
    assert_eq!(line_cents(&b, LSIM_LINE_EPHEMERAL_STORAGE), 4_403);
    let storage = b.lines[b.line_count as usize - 1];
    assert_eq!((storage.kind, storage.architecture), (LSIM_LINE_EPHEMERAL_STORAGE, LSIM_ARCH_NONE));
    assert_eq!(u128::from(storage.quantity), 9_728 * 30_000 * 5_000_000);
    assert_eq!(exact(storage.amount), "44.0325000000");
    assert_eq!(b.total_cents, 100 + 250_001 + 4_403);
}

#[test]
fn empty_usage_is_an_empty_bill() {
    let b = bill_of(&[], &[], LSIM_PRICES_US_EAST_1, 1).unwrap();
    assert_eq!(b, lsim_bill::default());
    assert_eq!(exact(b.exact_total), "0.0000000000");
    assert_eq!(cents_text(b.exact_total), "0.00");
}

#[test]
fn bill_usage_errors() {
    let ok = usage(LSIM_ARCH_X86_64, 128, 1, 1_000);
    let p = LSIM_PRICES_US_EAST_1;
    let mut out = lsim_bill::default();
    // SAFETY: NULL with a non-zero count is rejected before any read; other pointers valid.
    unsafe {
        assert_eq!(lsim_bill_usage(&ok, 1, null(), 0, p, 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_bill_usage(null(), 1, null(), 0, p, 0, &mut out), S::NullPointer);
        assert_eq!(lsim_bill_usage(null(), 0, null(), 2, p, 0, &mut out), S::NullPointer);
    }
    type Edit = fn(&mut lsim_invocation_usage);
    let cases: [(Edit, S); 11] = [
        (|u| u.struct_size = 0, S::InvalidArgument),
        (|u| u.struct_size += 8, S::InvalidArgument),
        (|u| u.architecture = 2, S::InvalidArgument),
        (|u| u.architecture = LSIM_ARCH_NONE, S::InvalidArgument),
        (|u| u.usage_class = 2, S::InvalidArgument),
        (|u| u.granularity = 2, S::InvalidArgument),
        (|u| u.memory_mb = 127, S::MemoryBelowMinimum),
        (|u| u.memory_mb = 10_241, S::MemoryAboveMaximum),
        (|u| u.ephemeral_mb = 511, S::EphemeralOutOfRange),
        (|u| u.ephemeral_mb = 10_241, S::EphemeralOutOfRange),
        (|u| u.memory_mb = 0, S::MemoryBelowMinimum),
    ];
    for (edit, want) in cases {
        let mut u = ok;
        edit(&mut u);
        assert_eq!(bill_of(&[ok, u], &[], p, 0), Err(want), "{u:?}");
    }
    type SpanEdit = fn(&mut lsim_provisioned_usage);
    let span_cases: [(SpanEdit, S); 4] = [
        (|s| s.struct_size = 4, S::InvalidArgument),
        (|s| s.architecture = 9, S::InvalidArgument),
        (|s| s.memory_mb = 100, S::MemoryBelowMinimum),
        (|s| s.memory_mb = 20_000, S::MemoryAboveMaximum),
    ];
    for (edit, want) in span_cases {
        let mut s = span(LSIM_ARCH_X86_64, 128, 1, 1);
        edit(&mut s);
        assert_eq!(bill_of(&[], &[s], p, 0), Err(want), "{s:?}");
    }
    assert_eq!(bill_of(&[ok], &[], 2, 0), Err(S::InvalidArgument), "unknown price book");
    assert_eq!(bill_of(&[ok], &[], p, 2), Err(S::InvalidArgument), "free_tier not 0/1");
    // A short caller struct: only struct_size is read.
    let short = 4u32;
    // SAFETY: only the first 4 bytes are read when struct_size is wrong.
    let status = unsafe { lsim_bill_usage((&short as *const u32).cast(), 1, null(), 0, p, 0, &mut out) };
    assert_eq!(status, S::InvalidArgument);
}

#[test]
fn overflow_is_reported_never_a_wrong_number() {
    // 10^12 invocations at 10 GB for 900 s: exact, and the cents fit 64 bits.
    let huge = usage(LSIM_ARCH_X86_64, 10_240, 1_000_000_000_000, 900_000_000);
    let b = bill_of(&[huge], &[], LSIM_PRICES_US_EAST_1, 0).unwrap();
    let core = {
        let mut m = lambdasim::pricing::Meter::new();
        m.add_invocations(&lambdasim::pricing::InvocationUsage::try_from(&huge).unwrap()).unwrap();
        m.bill(&lambdasim::pricing::PriceBook::US_EAST_1, false).unwrap()
    };
    assert_eq!(u128::from(b.total_cents), core.total_cents());
    assert_eq!(u128::from(b.exact_total.atoms), core.exact_total().atoms());
    // The most one item can hold: exact in 128 bits, but not in 64-bit cents.
    let max = usage(LSIM_ARCH_X86_64, 10_240, u64::MAX, u64::MAX);
    assert_eq!(bill_of(&[max], &[], LSIM_PRICES_US_EAST_1, 0), Err(S::Overflow));
    // Three of 2^53 - 1 requests of 2^53 - 1 us each: past 128 bits of money.
    let big = usage(LSIM_ARCH_X86_64, 10_240, (1 << 53) - 1, (1 << 53) - 1);
    assert_eq!(bill_of(&[big, big, big], &[], LSIM_PRICES_US_EAST_1, 0), Err(S::Overflow));
    // The last duration tier is open-ended: 10 240 MB x 100 ms is 1 GB-s, so
    // 2^64 - 1 such invocations reach 2^64 - 1 GB-s and one more is still
    // billed, at the last arm64 tier's price, exactly.
    let at_bound = usage(LSIM_ARCH_ARM64, 10_240, u64::MAX, 100_000);
    let b = bill_of(&[at_bound], &[], LSIM_PRICES_US_EAST_1, 0).unwrap();
    assert_eq!(u128::from(b.lines[1].quantity), u128::from(u64::MAX) * 1_024_000);
    let one_more = usage(LSIM_ARCH_ARM64, 10_240, 1, 100_000);
    let past = bill_of(&[at_bound, one_more], &[], LSIM_PRICES_US_EAST_1, 0).unwrap();
    assert_eq!(u128::from(past.lines[1].amount.atoms) - u128::from(b.lines[1].amount.atoms), 106_667 * 1_024_000);
    let s = span(LSIM_ARCH_ARM64, 10_240, u32::MAX, u64::MAX);
    assert_eq!(bill_of(&[], &[s, s, s, s], LSIM_PRICES_US_EAST_1, 0), Err(S::Overflow));
}

// ---- money ----------------------------------------------------------------------------

#[test]
fn money_text_and_buffer_convention() {
    let m = money(lambdasim::money::ATOMS_PER_CENT * 273);
    assert_eq!(exact(m), "2.7300000000");
    assert_eq!(cents_text(m), "2.73");
    assert_eq!(exact(money(1)), "0.00000000000000009765625");
    assert_eq!(cents_text(money(lambdasim::money::ATOMS_PER_CENT / 2)), "0.01", "half a cent rounds up");
    assert_eq!(cents_text(money(lambdasim::money::ATOMS_PER_CENT / 2 - 1)), "0.00");
    assert_eq!(cents_text(money(lambdasim::money::ATOMS_PER_CENT * 5)), "0.05");
    let max = money(u128::MAX);
    let text = exact(max);
    assert!(text.starts_with("33230699894622"), "{text}");
    assert!(text.len() < 64);
    let mut len = 0usize;
    // SAFETY: a NULL buffer with buf_len 0 is a size query; other pointers valid.
    unsafe {
        assert_eq!(lsim_money_format(m, null_mut(), 0, &mut len), S::BufferTooSmall);
        assert_eq!(len, "2.7300000000".len() + 1);
        let mut buf = [7 as c_char; 12];
        assert_eq!(lsim_money_format(m, buf.as_mut_ptr(), buf.len(), &mut len), S::BufferTooSmall);
        assert_eq!(buf, [7; 12], "buffer untouched");
        assert_eq!(lsim_money_format(m, buf.as_mut_ptr(), buf.len(), null_mut()), S::NullPointer);
        assert_eq!(lsim_money_format(m, null_mut(), 13, &mut len), S::NullPointer);
        let mut buf = [7 as c_char; 13];
        assert_eq!(lsim_money_format(m, buf.as_mut_ptr(), buf.len(), &mut len), S::Ok);
        assert_eq!((len, buf[12]), (13, 0));
        assert_eq!(lsim_money_format_cents(m, null_mut(), 0, &mut len), S::BufferTooSmall);
        assert_eq!(len, 5);
        assert_eq!(lsim_money_format_cents(m, null_mut(), 0, null_mut()), S::NullPointer);
    }
}

#[test]
fn names_of_lines_and_architectures() {
    let kinds = [
        (LSIM_LINE_REQUESTS, lambdasim::pricing::LineKind::Requests),
        (LSIM_LINE_DURATION, lambdasim::pricing::LineKind::Duration),
        (LSIM_LINE_PROVISIONED_CONCURRENCY, lambdasim::pricing::LineKind::ProvisionedConcurrency),
        (LSIM_LINE_PROVISIONED_DURATION, lambdasim::pricing::LineKind::ProvisionedDuration),
        (LSIM_LINE_EPHEMERAL_STORAGE, lambdasim::pricing::LineKind::EphemeralStorage),
    ];
    for (code, kind) in kinds {
        assert_eq!(cstr(lsim_line_kind_str(code)), kind.name());
    }
    assert_eq!(cstr(lsim_line_kind_str(5)), "unknown");
    assert_eq!(cstr(lsim_line_kind_str(u32::MAX)), "unknown");
    assert_eq!(cstr(lsim_architecture_str(LSIM_ARCH_X86_64)), "x86_64");
    assert_eq!(cstr(lsim_architecture_str(LSIM_ARCH_ARM64)), "arm64");
    assert_eq!(cstr(lsim_architecture_str(LSIM_ARCH_NONE)), "none");
    assert_eq!(cstr(lsim_architecture_str(2)), "unknown");
}

// ---- region bills -------------------------------------------------------------------------

fn region_with(granularity: u32, bill_init: u32) -> *mut lsim_region {
    let mut c = lsim_region_config::defaults();
    c.granularity = granularity;
    c.bill_init = bill_init;
    let mut r = null_mut();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_region_new(&c, &mut r) }, S::Ok);
    r
}

fn run(r: *mut lsim_region, f: lsim_function, at: u64, end: u64, outcome: u32) -> lsim_invoke_result {
    let mut inv = lsim_invoke_result::default();
    let mut fin = lsim_finish_result::default();
    // SAFETY: valid out-pointers.
    unsafe {
        assert_eq!(lsim_invoke(r, at, f, &mut inv), S::Ok);
        assert_eq!(inv.throttled, 0);
        assert_eq!(lsim_finish(r, end, inv.invocation, outcome, &mut fin), S::Ok);
    }
    inv
}

fn region_bill(r: *const lsim_region, free: u32) -> Result<lsim_bill, S> {
    let mut b = lsim_bill::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_region_bill(r, LSIM_PRICES_US_EAST_1, free, &mut b) } {
        S::Ok => Ok(b),
        s => Err(s),
    }
}

fn function_bill(r: *const lsim_region, f: lsim_function, free: u32) -> Result<lsim_bill, S> {
    let mut b = lsim_bill::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, free, &mut b) } {
        S::Ok => Ok(b),
        s => Err(s),
    }
}

#[test]
fn region_meters_every_start_kind() {
    for (bill_init, full_cold_ms) in [(1, 250u128), (0, 50)] {
        let r = region_with(LSIM_GRANULARITY_1MS, bill_init);
        let mut fc = lsim_function_config::defaults();
        fc.memory_mb = 1_024;
        fc.architecture = LSIM_ARCH_ARM64;
        fc.ephemeral_mb = 1_024;
        (fc.sandbox_us, fc.download_us_per_mb, fc.package_mb, fc.init_us) = (100_000, 0, 0, 200_000);
        let mut f = lsim_function::default();
        // SAFETY: valid pointers.
        assert_eq!(unsafe { lsim_function_create(r, 0, &fc, &mut f) }, S::Ok);
        assert_eq!(region_bill(r, 0).unwrap(), lsim_bill::default(), "nothing metered yet");
        let a = run(r, f, 0, 350_000, LSIM_OUTCOME_CRASH);
        assert_eq!(a.start_kind, LSIM_START_KIND_FULL_COLD);
        let b = run(r, f, 1_000_000, 1_210_500, LSIM_OUTCOME_SUCCESS);
        assert_eq!(b.start_kind, LSIM_START_KIND_PARTIAL_COLD);
        let c = run(r, f, 2_000_000, 2_000_001, LSIM_OUTCOME_SUCCESS);
        assert_eq!(c.start_kind, LSIM_START_KIND_WARM);
        let bill = region_bill(r, 0).unwrap();
        let ms = full_cold_ms + 211 + 1;
        assert_eq!(bill.line_count, 3, "requests, arm64 duration, storage");
        assert_eq!(u128::from(bill.lines[0].quantity), 3);
        assert_eq!((bill.lines[1].kind, bill.lines[1].architecture), (LSIM_LINE_DURATION, LSIM_ARCH_ARM64));
        assert_eq!(u128::from(bill.lines[1].quantity), 1_024 * ms);
        assert_eq!(bill.lines[2].kind, LSIM_LINE_EPHEMERAL_STORAGE);
        assert_eq!(u128::from(bill.lines[2].quantity), 512 * ms);
        assert_eq!(function_bill(r, f, 0).unwrap(), bill, "one function: its bill is the region's");
        let free = region_bill(r, 1).unwrap();
        assert_eq!(free.line_count, 1, "the free tier absorbs requests and duration: {free:?}");
        assert_eq!(free.lines[0].kind, LSIM_LINE_EPHEMERAL_STORAGE);
        assert_eq!(lsim_region_free(r), S::Ok);
    }
    let r = region_with(LSIM_GRANULARITY_100MS, 1);
    let mut f = lsim_function::default();
    let mut fc = lsim_function_config::defaults();
    (fc.sandbox_us, fc.download_us_per_mb, fc.init_us) = (0, 0, 0);
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_function_create(r, 0, &fc, &mut f) }, S::Ok);
    run(r, f, 0, 100_001, LSIM_OUTCOME_SUCCESS);
    assert_eq!(u128::from(region_bill(r, 0).unwrap().lines[1].quantity), 128 * 200, "100 ms granularity");
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn provisioned_spans_and_on_pc_invocations() {
    let r = region_with(LSIM_GRANULARITY_1MS, 1);
    let mut fc = lsim_function_config::defaults();
    fc.memory_mb = 2_048;
    fc.provisioned = 2;
    let mut f = lsim_function::default();
    let mut g = lsim_function::default();
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(lsim_function_create(r, 0, &fc, &mut f), S::Ok);
        assert_eq!(lsim_function_create(r, 0, &lsim_function_config::defaults(), &mut g), S::Ok);
    }
    let on_pc = run(r, f, 61_000_000, 61_100_000, LSIM_OUTCOME_SUCCESS);
    assert_eq!(on_pc.on_provisioned, 1);
    let bill = function_bill(r, f, 0).unwrap();
    let q =
        |kind| bill.lines[..bill.line_count as usize].iter().find(|l| l.kind == kind).map(|l| u128::from(l.quantity));
    assert_eq!(q(LSIM_LINE_PROVISIONED_CONCURRENCY), Some(2 * 2_048 * 300_000), "61.1 s open span: 5 min");
    // The invocation's 100 ms, and both environments' 250 ms inits (billed for PC).
    assert_eq!(q(LSIM_LINE_PROVISIONED_DURATION), Some(2_048 * (100 + 2 * 250)));
    assert_eq!(q(LSIM_LINE_REQUESTS), Some(1));
    assert_eq!(q(LSIM_LINE_DURATION), None);
    // With the free tier, the request on PC still pays.
    let free = function_bill(r, f, 1).unwrap();
    assert_eq!((free.lines[0].kind, u128::from(free.lines[0].quantity)), (LSIM_LINE_REQUESTS, 1));
    assert_eq!(function_bill(r, g, 0).unwrap(), lsim_bill::default(), "g did nothing");
    let region = region_bill(r, 0).unwrap();
    assert_eq!(region, bill);
    assert_eq!(lsim_function_delete(r, 61_100_000, g), S::Ok);
    assert_eq!(function_bill(r, g, 0), Err(S::UnknownFunction));
    assert_eq!(
        function_bill(r, lsim_function { index: 99, generation: 1, region_tag: g.region_tag }, 0),
        Err(S::UnknownFunction)
    );
    assert_eq!(lsim_region_free(r), S::Ok);
}

#[test]
fn region_bill_errors() {
    let r = region_with(LSIM_GRANULARITY_1MS, 1);
    let f = lsim_function::default();
    let mut b = lsim_bill { total_cents: 5, ..lsim_bill::default() };
    // SAFETY: NULL is allowed; other pointers are valid.
    unsafe {
        assert_eq!(lsim_region_bill(null(), 0, 0, &mut b), S::NullPointer);
        assert_eq!(lsim_region_bill(r, 0, 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_region_bill(r, 2, 0, &mut b), S::InvalidArgument);
        assert_eq!(lsim_region_bill(r, 0, 7, &mut b), S::InvalidArgument);
        assert_eq!(lsim_function_bill(null(), f, 0, 0, &mut b), S::NullPointer);
        assert_eq!(lsim_function_bill(r, f, 0, 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_function_bill(r, f, 9, 0, &mut b), S::InvalidArgument);
        assert_eq!(lsim_function_bill(r, f, 0, 2, &mut b), S::InvalidArgument);
        assert_eq!(lsim_function_bill(r, f, 0, 0, &mut b), S::UnknownFunction);
    }
    assert_eq!(b.total_cents, 5, "out untouched on error");
    assert_eq!(lsim_region_free(r), S::Ok);
    assert_eq!(region_bill(r, 0), Err(S::StaleHandle));
    assert_eq!(function_bill(r, f, 0), Err(S::StaleHandle));
    let bogus: *const lsim_region = std::ptr::without_provenance(0x1234_5679);
    assert_eq!(region_bill(bogus, 0), Err(S::StaleHandle));
    // A poisoned region answers Poisoned.
    let r = region_with(LSIM_GRANULARITY_1MS, 1);
    let status = registry::guard(|| registry::with_region(r, |_| -> Result<(), S> { panic!("planted") }));
    assert_eq!(status, S::Panic);
    assert_eq!(region_bill(r, 0), Err(S::Poisoned));
    assert_eq!(function_bill(r, f, 0), Err(S::Poisoned));
    assert_eq!(lsim_region_free(r), S::Ok);
}

// ---- memory and CPU --------------------------------------------------------------------------

fn profile(io_us: u64, cpu_us: u64, threads: u32) -> lsim_duration_profile {
    let mut p = lsim_duration_profile::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_duration_profile_default(&mut p) }, S::Ok);
    assert_eq!((p.io_us, p.cpu_us, p.threads), (0, 0, 1));
    lsim_duration_profile { io_us, cpu_us, threads, ..p }
}

#[test]
fn cores_and_durations() {
    let mut cores = 0u32;
    for (mb, want) in [(128, 1), (1_769, 1), (1_770, 2), (3_538, 2), (10_240, 6)] {
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { lsim_visible_cores(mb, &mut cores) }, S::Ok);
        assert_eq!(cores, want, "{mb} MB");
    }
    let mut us = 0u64;
    let p = profile(0, 1_000_000, 1);
    // SAFETY: valid pointers (NULL where tested).
    unsafe {
        assert_eq!(lsim_visible_cores(127, &mut cores), S::MemoryBelowMinimum);
        assert_eq!(lsim_visible_cores(10_241, &mut cores), S::MemoryAboveMaximum);
        assert_eq!(lsim_visible_cores(128, null_mut()), S::NullPointer);
        assert_eq!(lsim_duration_at(&p, 128, &mut us), S::Ok);
        assert_eq!(us, 13_820_313, "128 MB is 128/1769 of a vCPU");
        assert_eq!(lsim_duration_at(&p, 10_240, &mut us), S::Ok);
        assert_eq!(us, 1_000_000, "one thread cannot use more than one vCPU");
        let threads = profile(100_000, 6_000_000, 8);
        assert_eq!(lsim_duration_at(&threads, 3_538, &mut us), S::Ok);
        assert_eq!(us, 3_100_000);
        assert_eq!(lsim_duration_at(&profile(0, 6_000_000, 0), 1_769, &mut us), S::Ok);
        assert_eq!(us, 6_000_000, "0 threads is 1");
        let saturating = profile(u64::MAX, u64::MAX, 1);
        assert_eq!(lsim_duration_at(&saturating, 128, &mut us), S::Ok);
        assert_eq!(us, u64::MAX);
        us = 5;
        assert_eq!(lsim_duration_at(&p, 127, &mut us), S::MemoryBelowMinimum);
        assert_eq!(lsim_duration_at(null(), 128, &mut us), S::NullPointer);
        assert_eq!(lsim_duration_at(&p, 128, null_mut()), S::NullPointer);
        let bad = lsim_duration_profile { struct_size: 8, ..p };
        assert_eq!(lsim_duration_at(&bad, 128, &mut us), S::InvalidArgument);
        assert_eq!(us, 5);
    }
}

// ---- power tuning ------------------------------------------------------------------------------

fn tune(req: &lsim_tune_request) -> Result<(Vec<lsim_tune_candidate>, lsim_tune_result), S> {
    let mut count = 0usize;
    let mut result = lsim_tune_result::default();
    // SAFETY: a size query with a NULL buffer; valid out-pointers.
    let s = unsafe { lsim_tune_profile(req, null_mut(), 0, &mut count, &mut result) };
    if s != S::BufferTooSmall {
        assert_ne!(s, S::Ok, "no candidates cannot be OK");
        return Err(s);
    }
    assert_eq!(result, lsim_tune_result::default(), "result written on BUFFER_TOO_SMALL");
    let mut out = vec![lsim_tune_candidate::default(); count];
    let mut written = 0usize;
    // SAFETY: `out` holds `count` candidates.
    assert_eq!(unsafe { lsim_tune_profile(req, out.as_mut_ptr(), out.len(), &mut written, &mut result) }, S::Ok);
    assert_eq!((written, result.count), (count, count));
    Ok((out, result))
}

fn request(p: lsim_duration_profile) -> lsim_tune_request {
    let mut r = lsim_tune_request::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_tune_request_default(&mut r) }, S::Ok);
    r.profile = p;
    r
}

#[test]
fn tune_a_profile_over_the_default_list() {
    let mut req = request(profile(0, 1_000_000, 1));
    req.strategy = LSIM_STRATEGY_SPEED;
    let (cands, result) = tune(&req).unwrap();
    let mbs: Vec<u32> = cands.iter().map(|c| c.memory_mb).collect();
    assert_eq!(mbs, [128, 256, 512, 1_024, 1_536, 3_008]);
    assert_eq!(cands[0].duration_us, 13_820_313);
    assert_eq!(cands[0].billed_ms, 13_821);
    assert_eq!(result.pick.memory_mb, 3_008, "the fastest is 1769 MB and up; ties go to the cheaper");
    assert_eq!(result.pick, cands[5]);
    // p99 of a profile is the pick's duration; 1 s + 50 % rounds up to 2 s.
    assert_eq!(
        (result.p99_us, result.recommended_timeout_ms, result.cuts_tail, result.exceeds_max),
        (1_000_000, 2_000, 0, 0)
    );
    assert_eq!(result.max_duration_us, 13_820_313);
    let max = cands.iter().map(|c| u128::from(c.cost.atoms)).max().unwrap();
    assert_eq!(u128::from(result.max_cost.atoms), max);
    // Cost of one invocation = request + tier-1 duration.
    let want =
        lambdasim::tuning::TuneConfig::default().candidate(128, lambdasim::Duration::from_micros(13_820_313)).unwrap();
    assert_eq!(u128::from(cands[0].cost.atoms), want.cost.atoms());
    req.strategy = LSIM_STRATEGY_COST;
    let (_, cost) = tune(&req).unwrap();
    assert!(cost.pick.memory_mb < 3_008);
    // A configured timeout under p99 cuts the tail.
    req.configured_timeout_ms = 500;
    req.strategy = LSIM_STRATEGY_SPEED;
    assert_eq!(tune(&req).unwrap().1.cuts_tail, 1);
    let mut slow = request(profile(800_000_000, 0, 1));
    slow.configured_timeout_ms = 900_000;
    let r = tune(&slow).unwrap().1;
    assert_eq!((r.exceeds_max, r.recommended_timeout_ms, r.cuts_tail), (1, 900_000, 0));
}

#[test]
fn tune_every_size_and_custom_lists() {
    let mut req = request(profile(10_000, 400_000, 2));
    req.memory_list = LSIM_MEMORY_LIST_ALL;
    let (all, result) = tune(&req).unwrap();
    assert_eq!(all.len(), LSIM_ALL_MEMORY_LIST_LEN);
    assert_eq!((all[0].memory_mb, all[10_112].memory_mb), (128, 10_240));
    assert!(all.contains(&result.pick));
    let sizes = [2_048u32, 512, 1_024];
    req.memory_list = LSIM_MEMORY_LIST_CUSTOM;
    req.memories = sizes.as_ptr();
    req.memory_count = sizes.len();
    let (custom, _) = tune(&req).unwrap();
    assert_eq!(custom.iter().map(|c| c.memory_mb).collect::<Vec<_>>(), sizes, "list order kept");
    assert_eq!(custom[1], all[512 - 128]);
    // The buffer convention: too small writes only the count.
    let mut out = [lsim_tune_candidate { memory_mb: 1, ..Default::default() }; 2];
    let mut count = 0usize;
    let mut result = lsim_tune_result { count: 42, ..Default::default() };
    // SAFETY: `out` holds 2 candidates; valid out-pointers.
    unsafe {
        assert_eq!(lsim_tune_profile(&req, out.as_mut_ptr(), 2, &mut count, &mut result), S::BufferTooSmall);
        assert_eq!(count, 3);
        assert_eq!(out[0].memory_mb, 1, "nothing written");
        assert_eq!(result.count, 42);
        assert_eq!(lsim_tune_profile(&req, null_mut(), 3, &mut count, &mut result), S::NullPointer);
    }
}

#[test]
fn tune_profile_errors() {
    let good = request(profile(0, 100_000, 1));
    let sizes = [256u32, 127];
    type Edit = fn(&mut lsim_tune_request);
    let cases: [(Edit, S); 14] = [
        (|r| r.struct_size = 0, S::InvalidArgument),
        (|r| r.profile.struct_size = 0, S::InvalidArgument),
        (|r| r.memory_list = 3, S::InvalidArgument),
        (|r| r.strategy = 3, S::InvalidArgument),
        (|r| r.weight_ppm = 1_000_001, S::InvalidArgument),
        (|r| r.architecture = 2, S::InvalidArgument),
        (|r| r.prices = 2, S::InvalidArgument),
        (|r| r.granularity = 2, S::InvalidArgument),
        (|r| r.configured_timeout_ms = 0, S::TimeoutOutOfRange),
        (|r| r.configured_timeout_ms = 900_001, S::TimeoutOutOfRange),
        (|r| r.memory_list = LSIM_MEMORY_LIST_CUSTOM, S::InvalidArgument),
        (
            |r| {
                r.memory_list = LSIM_MEMORY_LIST_CUSTOM;
                r.memory_count = 2;
            },
            S::NullPointer,
        ),
        (
            |r| {
                r.memory_list = LSIM_MEMORY_LIST_CUSTOM;
                r.memory_count = 2;
            },
            S::MemoryBelowMinimum,
        ),
        (
            |r| {
                r.memory_list = LSIM_MEMORY_LIST_CUSTOM;
                r.memory_count = 1;
            },
            S::MemoryAboveMaximum,
        ),
    ];
    let big = [10_241u32];
    for (i, (edit, want)) in cases.into_iter().enumerate() {
        let mut r = good;
        edit(&mut r);
        if i == 12 {
            r.memories = sizes.as_ptr();
        }
        if i == 13 {
            r.memories = big.as_ptr();
        }
        assert_eq!(tune(&r).map(|_| ()), Err(want), "case {i}: {r:?}");
    }
    let mut count = 0usize;
    let mut result = lsim_tune_result::default();
    // SAFETY: NULL is allowed; other pointers are valid.
    unsafe {
        assert_eq!(lsim_tune_profile(null(), null_mut(), 0, &mut count, &mut result), S::NullPointer);
        assert_eq!(lsim_tune_profile(&good, null_mut(), 0, null_mut(), &mut result), S::NullPointer);
        assert_eq!(lsim_tune_profile(&good, null_mut(), 0, &mut count, null_mut()), S::NullPointer);
    }
}

#[test]
fn balanced_weight_extremes_are_speed_and_cost() {
    // Random profiles and lists through the ABI: w = 0 picks as Speed, w = 1 as Cost.
    let mut rng = lambdasim::Rng::new(11);
    for _ in 0..200 {
        let p = profile(rng.below(200_000), rng.below(5_000_000), 1 + rng.below(8) as u32);
        let sizes: Vec<u32> = (0..1 + rng.below(12)).map(|_| 128 + rng.below(10_113) as u32).collect();
        let mut req = request(p);
        req.memory_list = LSIM_MEMORY_LIST_CUSTOM;
        req.memories = sizes.as_ptr();
        req.memory_count = sizes.len();
        req.granularity = rng.below(2) as u32;
        req.architecture = rng.below(2) as u32;
        let pick = |strategy, weight_ppm| {
            let r = lsim_tune_request { strategy, weight_ppm, ..req };
            tune(&r).unwrap().1.pick
        };
        assert_eq!(pick(LSIM_STRATEGY_BALANCED, 0), pick(LSIM_STRATEGY_SPEED, 0), "{sizes:?}");
        assert_eq!(pick(LSIM_STRATEGY_BALANCED, 1_000_000), pick(LSIM_STRATEGY_COST, 0), "{sizes:?}");
    }
}

fn samples_request(sizes: &[lsim_memory_samples]) -> lsim_tune_samples_request {
    let mut r = lsim_tune_samples_request::defaults();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_tune_samples_request_default(&mut r) }, S::Ok);
    r.sizes = sizes.as_ptr();
    r.size_count = sizes.len();
    r
}

fn tune_s(req: &lsim_tune_samples_request) -> Result<(Vec<lsim_tune_candidate>, lsim_tune_result), S> {
    let mut out = vec![lsim_tune_candidate::default(); 16];
    let mut count = 0usize;
    let mut result = lsim_tune_result::default();
    // SAFETY: `out` holds 16 candidates.
    match unsafe { lsim_tune_samples(req, out.as_mut_ptr(), out.len(), &mut count, &mut result) } {
        S::Ok => {
            out.truncate(count);
            Ok((out, result))
        }
        s => Err(s),
    }
}

#[test]
fn tune_measured_samples_without_writing_them() {
    let a: Vec<u64> = vec![900_000, 1_000, 1_000_000, 1_000_000, 1_000_000, 5_000_000, 1_000_000];
    let b: Vec<u64> = vec![600_000, 400_000, 500_000, 500_000, 500_000];
    let c: Vec<u64> = (1..=100).map(|i| i * 1_000).collect();
    let (a0, b0) = (a.clone(), b.clone());
    let sizes = [
        lsim_memory_samples { memory_mb: 512, durations_us: a.as_ptr(), count: a.len() },
        lsim_memory_samples { memory_mb: 1_024, durations_us: b.as_ptr(), count: b.len() },
        lsim_memory_samples { memory_mb: 4_096, durations_us: c.as_ptr(), count: c.len() },
    ];
    let mut req = samples_request(&sizes);
    req.strategy = LSIM_STRATEGY_SPEED;
    let (cands, result) = tune_s(&req).unwrap();
    assert_eq!((&a, &b), (&a0, &b0), "the caller's arrays are never written (copies are sorted)");
    // 7 samples: drop 1 each side: (900 000 + 3 x 1 000 000 + 1 000 000) / 5 ... sorted:
    // 1000, 900 000, 1e6 x 4, 5e6 -> kept 900 000, 1e6, 1e6, 1e6, 1e6 -> 980 000.
    assert_eq!(cands[0].duration_us, 980_000);
    assert_eq!(cands[1].duration_us, 500_000);
    assert_eq!(cands[2].duration_us, 50_500, "mean of 21..=80 ms");
    assert_eq!(result.pick.memory_mb, 4_096);
    assert_eq!(result.p99_us, 99_000, "nearest-rank p99 of the picked size's samples");
    assert_eq!(result.recommended_timeout_ms, 1_000);
    req.strategy = LSIM_STRATEGY_COST;
    let (_, cost) = tune_s(&req).unwrap();
    assert_eq!(cost.pick.memory_mb, 4_096, "4096 MB x 51 ms is cheaper than 1024 MB x 500 ms");
    let one = [sizes[1]];
    let (_, r) = tune_s(&samples_request(&one)).unwrap();
    assert_eq!((r.pick.memory_mb, r.p99_us), (1_024, 600_000));
}

#[test]
fn tune_samples_errors() {
    let d = [1_000u64; 5];
    let four = [1_000u64; 4];
    let ok = lsim_memory_samples { memory_mb: 128, durations_us: d.as_ptr(), count: 5 };
    let cases = [
        (lsim_memory_samples { count: 4, durations_us: four.as_ptr(), ..ok }, S::TooFewSamples),
        (lsim_memory_samples { count: 0, durations_us: null(), ..ok }, S::TooFewSamples),
        (lsim_memory_samples { durations_us: null(), ..ok }, S::NullPointer),
        (lsim_memory_samples { memory_mb: 127, ..ok }, S::MemoryBelowMinimum),
        (lsim_memory_samples { memory_mb: 10_241, ..ok }, S::MemoryAboveMaximum),
    ];
    for (bad, want) in cases {
        let sizes = [ok, bad];
        assert_eq!(tune_s(&samples_request(&sizes)).map(|_| ()), Err(want), "{bad:?}");
    }
    let sizes = [ok];
    type Edit = fn(&mut lsim_tune_samples_request);
    let edits: [(Edit, S); 8] = [
        (|r| r.struct_size = 0, S::InvalidArgument),
        (|r| r.size_count = 0, S::InvalidArgument),
        (|r| r.sizes = null(), S::NullPointer),
        (|r| r.strategy = 9, S::InvalidArgument),
        (|r| r.weight_ppm = u32::MAX, S::InvalidArgument),
        (|r| r.prices = 5, S::InvalidArgument),
        (|r| r.architecture = LSIM_ARCH_NONE, S::InvalidArgument),
        (|r| r.configured_timeout_ms = 0, S::TimeoutOutOfRange),
    ];
    for (edit, want) in edits {
        let mut r = samples_request(&sizes);
        edit(&mut r);
        assert_eq!(tune_s(&r).map(|_| ()), Err(want), "{r:?}");
    }
    let req = samples_request(&sizes);
    let mut count = 9usize;
    let mut result = lsim_tune_result::default();
    // SAFETY: NULL is allowed; other pointers are valid.
    unsafe {
        assert_eq!(lsim_tune_samples(&req, null_mut(), 0, &mut count, &mut result), S::BufferTooSmall);
        assert_eq!(count, 1);
        assert_eq!(lsim_tune_samples(null(), null_mut(), 0, &mut count, &mut result), S::NullPointer);
        assert_eq!(lsim_tune_samples(&req, null_mut(), 0, null_mut(), &mut result), S::NullPointer);
        assert_eq!(lsim_tune_samples(&req, null_mut(), 0, &mut count, null_mut()), S::NullPointer);
    }
}

#[test]
fn tuning_tie_rules() {
    // Three sizes with equal samples: Cost and Speed tie on everything but
    // memory; cost grows with memory, so both pick the smallest... unless a
    // bigger size is as cheap. 100 ms granularity makes 128 and 256 MB at
    // 1 ms both bill 100 ms: 256 MB costs more, so Cost picks 128.
    let fast = [1_000u64; 5];
    let sizes = [
        lsim_memory_samples { memory_mb: 256, durations_us: fast.as_ptr(), count: 5 },
        lsim_memory_samples { memory_mb: 128, durations_us: fast.as_ptr(), count: 5 },
    ];
    for strategy in [LSIM_STRATEGY_COST, LSIM_STRATEGY_SPEED, LSIM_STRATEGY_BALANCED] {
        let mut req = samples_request(&sizes);
        req.strategy = strategy;
        assert_eq!(tune_s(&req).unwrap().1.pick.memory_mb, 128, "strategy {strategy}: equal speed, cheaper wins");
    }
    // Same size twice with different samples: the pick's p99 comes from its own samples.
    let slow_tail = [1_000u64, 1_000, 1_000, 1_000, 9_000_000, 1_000, 1_000];
    let sizes = [
        lsim_memory_samples { memory_mb: 512, durations_us: fast.as_ptr(), count: 5 },
        lsim_memory_samples { memory_mb: 512, durations_us: slow_tail.as_ptr(), count: 7 },
    ];
    let (cands, r) = tune_s(&samples_request(&sizes)).unwrap();
    assert_eq!(cands[0], cands[1], "trimmed means drop the outlier");
    assert_eq!(r.p99_us, 1_000, "the first of equal candidates is the pick");
}
