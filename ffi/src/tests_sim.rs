//! Unit tests of the scenario entry points (`lsim_scenario_*`,
//! `lsim_sim_result_*`), calling them as C would.

use super::*;
use core::ffi::c_char;
use lambdasim_scenario::doc::Format;
use lambdasim_scenario::report::{self, Bills};
use lambdasim_scenario::run::{self, RunResult};
use lambdasim_scenario::scenario::{self, Prepared};
use std::path::{Path, PathBuf};
use std::ptr::{null, null_mut};
use std::sync::atomic::AtomicU64;

type S = lsim_status;

const SMALL: &str = r#"
seed = 11
horizon_s = 130
warmup_s = 10
replications = 3

[[functions]]
name = "api"
memory_mb = 256
workload = { type = "poisson", rate_per_s = 30 }
handler = { type = "exponential", mean_ms = 100 }

[[functions]]
name = "jobs"
reserved = 2
workload = { type = "constant", rate_per_s = 10 }
handler = { type = "fixed", ms = 300 }
"#;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sim")
}

fn options() -> lsim_run_options {
    let mut o = lsim_run_options::defaults();
    o.seed = 99;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_run_options_default(&mut o) }, S::Ok);
    assert_eq!(o, lsim_run_options::defaults());
    o
}

fn run_with(text: &[u8], format: u32, o: Option<&lsim_run_options>) -> Result<*mut lsim_sim_result, S> {
    let marker: *mut lsim_sim_result = std::ptr::without_provenance_mut(8);
    let mut out = marker;
    let opts = o.map_or(null(), |o| o as *const lsim_run_options);
    // SAFETY: valid pointers and lengths.
    match unsafe { lsim_scenario_run(text.as_ptr().cast(), text.len(), format, opts, &mut out) } {
        S::Ok => Ok(out),
        s => {
            assert_eq!(out, marker, "out written on error");
            Err(s)
        }
    }
}

fn run_text(text: &str) -> *mut lsim_sim_result {
    run_with(text.as_bytes(), LSIM_SCENARIO_FORMAT_AUTO, None).unwrap()
}

fn check(text: &[u8], format: u32) -> (S, String) {
    let mut buf = vec![0x55 as c_char; 4096];
    let mut len = 0usize;
    // SAFETY: valid pointers and lengths.
    let s =
        unsafe { lsim_scenario_check(text.as_ptr().cast(), text.len(), format, buf.as_mut_ptr(), buf.len(), &mut len) };
    if !matches!(s, S::Ok | S::InvalidScenario) {
        assert!(buf.iter().all(|&c| c == 0x55), "buf written on {s:?}");
        return (s, String::new());
    }
    assert!(len >= 1 && len <= buf.len(), "{s:?}: {len}");
    let bytes: Vec<u8> = buf[..len].iter().map(|&c| c as u8).collect();
    assert_eq!(bytes.last(), Some(&0), "NUL-terminated");
    (s, String::from_utf8(bytes[..len - 1].to_vec()).unwrap())
}

/// Reads a string with the size-query convention.
fn read_string(f: impl Fn(*mut c_char, usize, *mut usize) -> S) -> Result<String, S> {
    let mut need = 0usize;
    match f(null_mut(), 0, &mut need) {
        S::BufferTooSmall => {}
        s => return Err(s),
    }
    let mut buf = vec![0 as c_char; need];
    let mut len = 0usize;
    match f(buf.as_mut_ptr(), buf.len(), &mut len) {
        S::Ok => {}
        s => return Err(s),
    }
    assert_eq!(len, need);
    let bytes: Vec<u8> = buf.iter().map(|&c| c as u8).collect();
    assert_eq!(bytes[len - 1], 0);
    Ok(String::from_utf8(bytes[..len - 1].to_vec()).unwrap())
}

fn json(r: *const lsim_sim_result) -> Result<String, S> {
    // SAFETY: the closure passes valid buffers.
    read_string(|buf, len, out| unsafe { lsim_sim_result_json(r, buf, len, out) })
}

fn names(r: *const lsim_sim_result) -> Vec<String> {
    let mut n = 0usize;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_sim_result_function_count(r, &mut n) }, S::Ok);
    // SAFETY: the closure passes valid buffers.
    (0..n)
        .map(|i| read_string(|buf, len, out| unsafe { lsim_sim_result_function_name(r, i, buf, len, out) }).unwrap())
        .collect()
}

fn summary(r: *const lsim_sim_result, function: u32) -> Result<lsim_sim_summary, S> {
    let mut out = lsim_sim_summary { requests: 12345, ..Default::default() };
    // SAFETY: valid out-pointer.
    match unsafe { lsim_sim_result_summary(r, function, &mut out) } {
        S::Ok => Ok(out),
        s => {
            assert_eq!(out.requests, 12345, "out written on error");
            Err(s)
        }
    }
}

fn bill(r: *const lsim_sim_result, function: u32) -> Result<lsim_bill, S> {
    let mut out = lsim_bill::default();
    // SAFETY: valid out-pointer.
    match unsafe { lsim_sim_result_bill(r, function, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

fn minutes(r: *const lsim_sim_result) -> Vec<lsim_minute_point> {
    let mut n = 0usize;
    // SAFETY: NULL with 0 is a size query.
    assert_eq!(unsafe { lsim_sim_result_minutes(r, null_mut(), 0, &mut n) }, S::BufferTooSmall);
    let mut points = vec![lsim_minute_point::default(); n + 2];
    let mut got = 0usize;
    // SAFETY: `points` holds n + 2 points.
    assert_eq!(unsafe { lsim_sim_result_minutes(r, points.as_mut_ptr(), points.len(), &mut got) }, S::Ok);
    assert_eq!(got, n);
    points.truncate(n);
    points
}

fn seed(r: *const lsim_sim_result) -> Result<u64, S> {
    let mut out = 0u64;
    // SAFETY: valid out-pointer.
    match unsafe { lsim_sim_result_seed(r, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

/// The same run through the scenario crate directly, as the CLI does it.
fn reference(name: &str, text: &str, seed: Option<u64>, replication: u32) -> (Prepared, RunResult, Bills) {
    let format = Format::detect(Path::new(name), text);
    let mut p = scenario::prepare(name, text, format, Path::new(".")).unwrap();
    if let Some(seed) = seed {
        p.override_seed(seed);
    }
    let r = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(run::STACK_BYTES)
            .spawn_scoped(s, || run::run_one(&p, replication, &AtomicU64::new(0)).unwrap())
            .unwrap()
            .join()
            .unwrap()
    });
    let b = report::bills(&p, &r).unwrap();
    (p, r, b)
}

fn named(name: &str) -> lsim_run_options {
    let mut o = options();
    o.name = name.as_ptr().cast();
    o.name_len = name.len();
    o
}

#[test]
fn a_run_matches_the_scenario_crate_field_by_field() {
    let (p, r, b) = reference("small.toml", SMALL, None, 0);
    let o = named("small.toml");
    let h = run_with(SMALL.as_bytes(), LSIM_SCENARIO_FORMAT_TOML, Some(&o)).unwrap();
    assert_eq!(json(h).unwrap(), report::json_text(&report::run_json(&p, &r, &b)).unwrap());
    assert_eq!(seed(h), Ok(11));
    assert_eq!(names(h), ["api", "jobs"]);
    let core = r.summary.functions.iter().chain([&r.summary.total]);
    let bills = b.functions.iter().chain([&b.total]);
    for ((i, s), bl) in [0u32, 1, LSIM_SIM_TOTAL].into_iter().zip(core).zip(bills) {
        let c = summary(h, i).unwrap();
        assert_eq!(
            (c.requests, c.invocations, c.cold_starts, c.full_cold_starts, c.partial_cold_starts),
            (s.requests, s.invocations, s.cold_starts, s.full_cold_starts, s.partial_cold_starts)
        );
        assert_eq!(
            (c.warm_starts, c.provisioned_starts, c.spillover, c.throttles, c.throttles_by_reason),
            (s.warm_starts, s.provisioned_starts, s.spillover, s.throttles, s.throttles_by_reason)
        );
        assert_eq!((c.errors, c.timeouts, c.peak_concurrency), (s.errors, s.timeouts, s.peak_concurrency));
        assert_eq!(c.cold_start_probability.to_bits(), s.cold_start_probability.to_bits());
        assert_eq!(c.throttle_probability.to_bits(), s.throttle_probability.to_bits());
        assert_eq!(c.avg_instances.to_bits(), s.avg_instances.to_bits());
        assert_eq!(c.avg_busy.to_bits(), s.avg_busy.to_bits());
        assert_eq!(c.avg_idle.to_bits(), s.avg_idle.to_bits());
        assert_eq!(c.utilization.to_bits(), s.utilization.to_bits());
        assert_eq!(u128::from(c.total_cents), bl.total_cents());
        assert_eq!(lambdasim::money::Money::from(c.exact_total), bl.exact_total());
        assert_eq!(bill(h, i).unwrap(), lsim_bill::try_from(bl).unwrap());
    }
    assert!(summary(h, LSIM_SIM_TOTAL).unwrap().requests > 3000);
    assert!(summary(h, 1).unwrap().throttles > 0, "jobs is capped by its reserved concurrency of 2");
    let points = minutes(h);
    assert_eq!(points.len(), 3, "130 s: two whole minutes and a partial one");
    for (c, m) in points.iter().zip(&r.minutes) {
        assert_eq!(*c, lsim_minute_point::from(m));
    }
    assert_eq!(lsim_sim_result_free(h), S::Ok);
}

#[test]
fn the_simulation_vectors_give_their_expected_json() {
    let mut checked = 0;
    for entry in std::fs::read_dir(vectors()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(stem) = name.strip_suffix(".expected.json") else { continue };
        let expected = std::fs::read_to_string(&path).unwrap();
        let v: serde_json::Value = serde_json::from_str(&expected).unwrap();
        let file = ["toml", "json"].iter().map(|e| format!("{stem}.{e}")).find(|f| vectors().join(f).exists()).unwrap();
        let text = std::fs::read(vectors().join(&file)).unwrap();
        let mut o = named(&file);
        o.has_seed = 1;
        o.seed = v["seed"].as_u64().unwrap();
        let h = run_with(&text, LSIM_SCENARIO_FORMAT_AUTO, Some(&o)).unwrap();
        assert!(json(h).unwrap() == expected, "{file}: the JSON differs from {name}");
        let total = summary(h, LSIM_SIM_TOTAL).unwrap();
        assert_eq!(total.requests, v["total"]["requests"].as_u64().unwrap(), "{file}");
        // serde_json's default float parsing may be one ulp off, so compare
        // the text: the report prints each double's shortest round-trip form.
        let total_json = &expected[expected.find("\"total\": {").unwrap()..];
        let avg_busy = format!("\"avg_busy\": {},", serde_json::to_string(&total.avg_busy).unwrap());
        assert!(total_json.contains(&avg_busy), "{file}: {avg_busy}");
        assert_eq!(minutes(h).len(), v["minutes"].as_array().unwrap().len(), "{file}");
        assert_eq!(lsim_sim_result_free(h), S::Ok);
        checked += 1;
    }
    assert!(checked >= 2);
}

#[test]
fn options_override_seed_horizon_and_replication() {
    let base = run_text(SMALL);
    assert_eq!(seed(base), Ok(11));
    let base_json = json(base).unwrap();
    assert!(base_json.contains("\"scenario\": \"(scenario)\""), "the default name");

    let mut o = options();
    o.replication = 2;
    let rep = run_with(SMALL.as_bytes(), LSIM_SCENARIO_FORMAT_AUTO, Some(&o)).unwrap();
    assert_eq!(seed(rep), Ok(13), "replication r runs with seed + r");
    let (p, r, b) = reference("(scenario)", SMALL, None, 2);
    assert_eq!(json(rep).unwrap(), report::json_text(&report::run_json(&p, &r, &b)).unwrap());

    let mut o = options();
    o.has_seed = 1;
    o.seed = 13;
    let seeded = run_with(SMALL.as_bytes(), LSIM_SCENARIO_FORMAT_AUTO, Some(&o)).unwrap();
    assert_eq!(seed(seeded), Ok(13));
    let rep_json = json(rep).unwrap().replace("\"replication\": 2", "\"replication\": 0");
    assert_eq!(json(seeded).unwrap(), rep_json, "seed 13 replication 0 = seed 11 replication 2");
    assert_ne!(json(seeded).unwrap(), base_json);

    let mut o = options();
    o.has_horizon = 1;
    o.horizon_us = 5_000_000;
    let short = run_with(SMALL.as_bytes(), LSIM_SCENARIO_FORMAT_AUTO, Some(&o)).unwrap();
    assert_eq!(minutes(short).len(), 1);
    let v: serde_json::Value = serde_json::from_str(&json(short).unwrap()).unwrap();
    assert_eq!(v["horizon_s"], 5.0);
    assert_eq!(v["warmup_s"], 0.5, "a warm-up not shorter than the horizon becomes a tenth of it");

    for h in [base, rep, seeded, short] {
        assert_eq!(lsim_sim_result_free(h), S::Ok);
    }
}

#[test]
fn bad_options_are_invalid_arguments() {
    let text = SMALL.as_bytes();
    let auto = LSIM_SCENARIO_FORMAT_AUTO;
    assert_eq!(run_with(text, 3, None), Err(S::InvalidArgument), "unknown format");
    assert_eq!(run_with(text, u32::MAX, None), Err(S::InvalidArgument));
    type Change = fn(&mut lsim_run_options);
    let cases: [(&str, Change); 9] = [
        ("struct_size 0", |o| o.struct_size = 0),
        ("struct_size + 8", |o| o.struct_size += 8),
        ("has_seed 2", |o| o.has_seed = 2),
        ("has_horizon 7", |o| o.has_horizon = 7),
        ("horizon 0", |o| {
            o.has_horizon = 1;
            o.horizon_us = 0;
        }),
        ("horizon 10^18", |o| {
            o.has_horizon = 1;
            o.horizon_us = 1_000_000_000_000_000_000;
        }),
        ("horizon 366 days + 1 us", |o| {
            o.has_horizon = 1;
            o.horizon_us = 31_622_400_000_001;
        }),
        ("replication 3 of 3", |o| o.replication = 3),
        ("a name that is not UTF-8", |o| {
            o.name = c"\xff\xfe".as_ptr();
            o.name_len = 2;
        }),
    ];
    for (what, change) in cases {
        let mut o = options();
        change(&mut o);
        assert_eq!(run_with(text, auto, Some(&o)), Err(S::InvalidArgument), "{what}");
    }
    let mut o = options();
    o.has_horizon = 0;
    o.horizon_us = 0; // ignored without has_horizon
    o.has_seed = 0;
    o.seed = 5; // ignored without has_seed
    let h = run_with(text, auto, Some(&o)).unwrap();
    assert_eq!(seed(h), Ok(11));
    assert_eq!(lsim_sim_result_free(h), S::Ok);
}

#[test]
fn null_pointers() {
    let text = SMALL.as_bytes();
    let mut out = null_mut();
    // SAFETY: NULL is what is tested; the lengths match.
    unsafe {
        assert_eq!(lsim_scenario_run(text.as_ptr().cast(), text.len(), 0, null(), null_mut()), S::NullPointer);
        assert_eq!(lsim_scenario_run(null(), 10, 0, null(), &mut out), S::NullPointer);
        let mut o = options();
        o.name_len = 3;
        assert_eq!(lsim_scenario_run(text.as_ptr().cast(), text.len(), 0, &o, &mut out), S::NullPointer);
        assert_eq!(lsim_run_options_default(null_mut()), S::NullPointer);
        let mut len = 0usize;
        assert_eq!(lsim_scenario_check(null(), 10, 0, null_mut(), 0, &mut len), S::NullPointer);
        assert_eq!(
            lsim_scenario_check(text.as_ptr().cast(), text.len(), 0, null_mut(), 10, null_mut()),
            S::NullPointer
        );
        assert_eq!(lsim_scenario_check(text.as_ptr().cast(), text.len(), 0, null_mut(), 10, &mut len), S::NullPointer);
    }
    assert!(out.is_null());
    // Empty text (NULL with length 0) is a scenario without functions.
    // SAFETY: NULL with 0 is empty text.
    assert_eq!(unsafe { lsim_scenario_run(null(), 0, 0, null(), &mut out) }, S::InvalidScenario);
    let (s, message) = check(b"", LSIM_SCENARIO_FORMAT_AUTO);
    assert_eq!(s, S::InvalidScenario);
    assert_eq!(message, "(scenario):1:1: missing field `functions`");

    let h = run_text(SMALL);
    let mut n = 0usize;
    let mut u = 0u64;
    let mut sum = lsim_sim_summary::default();
    let mut b = lsim_bill::default();
    // SAFETY: NULL is what is tested; other pointers are valid.
    unsafe {
        assert_eq!(lsim_sim_result_seed(null(), &mut u), S::NullPointer);
        assert_eq!(lsim_sim_result_seed(h, null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_function_count(null(), &mut n), S::NullPointer);
        assert_eq!(lsim_sim_result_function_count(h, null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_summary(null(), 0, &mut sum), S::NullPointer);
        assert_eq!(lsim_sim_result_summary(h, 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_bill(null(), 0, &mut b), S::NullPointer);
        assert_eq!(lsim_sim_result_bill(h, 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_json(null(), null_mut(), 0, &mut n), S::NullPointer);
        assert_eq!(lsim_sim_result_json(h, null_mut(), 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_json(h, null_mut(), 1 << 20, &mut n), S::NullPointer, "buf NULL but big enough");
        assert_eq!(lsim_sim_result_function_name(null(), 0, null_mut(), 0, &mut n), S::NullPointer);
        assert_eq!(lsim_sim_result_function_name(h, 0, null_mut(), 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_minutes(null(), null_mut(), 0, &mut n), S::NullPointer);
        assert_eq!(lsim_sim_result_minutes(h, null_mut(), 0, null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_minutes(h, null_mut(), 100, &mut n), S::NullPointer, "out NULL but big enough");
    }
    assert_eq!(lsim_sim_result_free(null_mut()), S::Ok, "free(NULL) is a no-op");
    assert_eq!(lsim_sim_result_free(h), S::Ok);
}

#[test]
fn freed_stale_and_foreign_handles() {
    let h = run_text(SMALL);
    let copy = h;
    assert_eq!(seed(h), Ok(11));
    assert_eq!(lsim_sim_result_free(h), S::Ok);
    assert_eq!(lsim_sim_result_free(copy), S::StaleHandle, "a double free");
    assert_eq!(seed(copy), Err(S::StaleHandle));
    assert_eq!(json(copy), Err(S::StaleHandle));
    assert_eq!(summary(copy, LSIM_SIM_TOTAL), Err(S::StaleHandle));
    assert_eq!(bill(copy, 0), Err(S::StaleHandle));
    let mut n = 0usize;
    // SAFETY: valid out-pointers.
    unsafe {
        assert_eq!(lsim_sim_result_function_count(copy, &mut n), S::StaleHandle);
        assert_eq!(lsim_sim_result_minutes(copy, null_mut(), 0, &mut n), S::StaleHandle);
    }
    for addr in [8usize, 1, 0x1234_5679, usize::MAX] {
        let made_up: *mut lsim_sim_result = std::ptr::without_provenance_mut(addr);
        assert_eq!(seed(made_up), Err(S::StaleHandle), "{addr:#x}");
        assert_eq!(lsim_sim_result_free(made_up), S::StaleHandle, "{addr:#x}");
    }
    // A region handle is not a result handle, and the other way round.
    let mut region = null_mut();
    let config = lsim_region_config::defaults();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_region_new(&config, &mut region) }, S::Ok);
    let as_result: *mut lsim_sim_result = region.cast();
    assert_eq!(seed(as_result), Err(S::StaleHandle));
    assert_eq!(lsim_sim_result_free(as_result), S::StaleHandle);
    let live = run_text(SMALL);
    assert_eq!(lsim_advance(live.cast(), 1), S::StaleHandle);
    assert_eq!(lsim_region_free(live.cast()), S::StaleHandle);
    assert_eq!(lsim_advance(region, 1), S::Ok, "the region is untouched");
    assert_eq!(seed(live), Ok(11), "the result is untouched");
    assert_eq!(lsim_region_free(region), S::Ok);
    assert_eq!(lsim_sim_result_free(live), S::Ok);
}

#[test]
fn invalid_scenarios_and_their_messages() {
    let bad_variant = "seed = 1\n\n[[functions]]\nname = \"f\"\nworkload = { type = \"poison\" }\nhandler = { type = \"fixed\", ms = 1 }\n";
    let bad_memory = "[[functions]]\nname = \"f\"\n  memory_mb = 127\nworkload = { type = \"idle\" }\nhandler = { type = \"fixed\", ms = 1 }\n";
    let bad_json = "{\"functions\": [{\"name\": \"f\", \"workload\": {\"type\": \"idle\"}, \"handler\": {\"type\": \"fixed\", \"ms\": 1}, \"memory\": 5}]}";
    let missing_trace = "[[functions]]\nname = \"f\"\nworkload = { type = \"invocations_csv\", file = \"no/such/trace.csv\", function = \"f\" }\nhandler = { type = \"fixed\", ms = 1 }\n";
    for (text, format, expected) in [
        (
            bad_variant,
            LSIM_SCENARIO_FORMAT_AUTO,
            "(scenario):5:21: functions[0].workload.type: unknown variant `poison`",
        ),
        (
            bad_variant,
            LSIM_SCENARIO_FORMAT_TOML,
            "(scenario):5:21: functions[0].workload.type: unknown variant `poison`",
        ),
        (bad_memory, LSIM_SCENARIO_FORMAT_AUTO, "(scenario):3:3: functions[0].memory_mb: function \"f\": "),
        (bad_json, LSIM_SCENARIO_FORMAT_AUTO, "(scenario):1:"),
        (bad_json, LSIM_SCENARIO_FORMAT_JSON, "functions[0].memory: unknown field `memory`"),
        (SMALL, LSIM_SCENARIO_FORMAT_JSON, "(scenario):2:1: expected value"),
        (missing_trace, LSIM_SCENARIO_FORMAT_AUTO, "(scenario): cannot read trace \"no/such/trace.csv\""),
    ] {
        assert_eq!(run_with(text.as_bytes(), format, None), Err(S::InvalidScenario), "{text}");
        let (s, message) = check(text.as_bytes(), format);
        assert_eq!(s, S::InvalidScenario);
        assert!(message.contains(expected), "{message:?} should contain {expected:?}");
        // The message is the one `lambdasim run` prints (after "lambdasim: ").
        let f = if format == LSIM_SCENARIO_FORMAT_JSON { Format::Json } else { Format::detect(Path::new(""), text) };
        let cli = scenario::prepare("(scenario)", text, f, Path::new(".")).err().unwrap();
        assert_eq!(message, format!("{cli:#}"));
    }
    let (s, message) = check(b"seed = 1\n\xff = 2\n", LSIM_SCENARIO_FORMAT_AUTO);
    assert_eq!((s, message.as_str()), (S::InvalidScenario, "(scenario):2:1: the scenario is not valid UTF-8"));
    assert_eq!(run_with(b"seed = 1\n\xff = 2\n", 0, None), Err(S::InvalidScenario));
    assert_eq!(check(SMALL.as_bytes(), 3).0, S::InvalidArgument, "unknown format");
    // Valid: OK and the empty string; relative trace paths resolve against
    // the current directory (the crate's, under cargo test).
    assert_eq!(check(SMALL.as_bytes(), LSIM_SCENARIO_FORMAT_TOML), (S::Ok, String::new()));
    let trace = "horizon_s = 60\n[[functions]]\nname = \"thumbnail\"\nworkload = { type = \"invocations_csv\", file = \"../examples/traces/invocations-sample.csv\", function = \"thumbnail\" }\nhandler = { type = \"fixed\", ms = 1 }\n";
    assert_eq!(check(trace.as_bytes(), LSIM_SCENARIO_FORMAT_AUTO), (S::Ok, String::new()));
    let h = run_text(trace);
    assert!(summary(h, 0).unwrap().requests > 0);
    assert_eq!(lsim_sim_result_free(h), S::Ok);
}

#[test]
fn check_buffers_follow_the_convention() {
    let text = b"[[functions]]\nname = 5\n";
    let mut need = 0usize;
    let mut buf = [0x55 as c_char; 8];
    // SAFETY: valid pointers and lengths.
    unsafe {
        assert_eq!(
            lsim_scenario_check(text.as_ptr().cast(), text.len(), 0, null_mut(), 0, &mut need),
            S::BufferTooSmall
        );
        assert!(need > 8);
        assert_eq!(
            lsim_scenario_check(text.as_ptr().cast(), text.len(), 0, buf.as_mut_ptr(), buf.len(), &mut need),
            S::BufferTooSmall
        );
        assert!(buf.iter().all(|&c| c == 0x55), "buf untouched");
        let ok = SMALL.as_bytes();
        assert_eq!(lsim_scenario_check(ok.as_ptr().cast(), ok.len(), 0, null_mut(), 0, &mut need), S::BufferTooSmall);
        assert_eq!(need, 1, "a valid scenario needs the empty string");
        assert_eq!(lsim_scenario_check(ok.as_ptr().cast(), ok.len(), 0, buf.as_mut_ptr(), 1, &mut need), S::Ok);
        assert_eq!((need, buf[0], buf[1]), (1, 0, 0x55));
    }
}

#[test]
fn result_buffers_and_indexes() {
    let h = run_text(SMALL);
    let text = json(h).unwrap();
    let mut need = 0usize;
    let mut buf = vec![0x55 as c_char; text.len()];
    // SAFETY: `buf` holds text.len() bytes: one short.
    unsafe {
        assert_eq!(lsim_sim_result_json(h, buf.as_mut_ptr(), buf.len(), &mut need), S::BufferTooSmall);
        assert_eq!(need, text.len() + 1);
        assert!(buf.iter().all(|&c| c == 0x55), "buf untouched");
        assert_eq!(lsim_sim_result_function_name(h, 0, buf.as_mut_ptr(), 3, &mut need), S::BufferTooSmall);
        assert_eq!(need, 4, "\"api\" and its NUL");
        assert_eq!(lsim_sim_result_function_name(h, 2, buf.as_mut_ptr(), buf.len(), &mut need), S::UnknownFunction);
        assert_eq!(
            lsim_sim_result_function_name(h, usize::MAX, buf.as_mut_ptr(), buf.len(), &mut need),
            S::UnknownFunction
        );
    }
    assert!(text.ends_with("}\n"), "the command's output ends with a newline");
    let mut points = [lsim_minute_point { minute: 77, ..Default::default() }; 2];
    let mut n = 0usize;
    // SAFETY: `points` holds 2 points, one short of 3.
    assert_eq!(unsafe { lsim_sim_result_minutes(h, points.as_mut_ptr(), 2, &mut n) }, S::BufferTooSmall);
    assert_eq!(n, 3);
    assert!(points.iter().all(|p| p.minute == 77), "out untouched");
    for bad in [2u32, 64, LSIM_SIM_TOTAL - 1] {
        assert_eq!(summary(h, bad), Err(S::UnknownFunction));
        assert_eq!(bill(h, bad), Err(S::UnknownFunction));
    }
    let total = summary(h, LSIM_SIM_TOTAL).unwrap();
    let parts: Vec<lsim_sim_summary> = (0..2).map(|i| summary(h, i).unwrap()).collect();
    assert_eq!(total.requests, parts.iter().map(|p| p.requests).sum::<u64>());
    assert_eq!(total.throttles, total.throttles_by_reason.iter().sum::<u64>());
    let minute_invocations: u64 = minutes(h).iter().map(|m| m.invocations).sum();
    assert!(minute_invocations >= total.invocations, "the minutes include the warm-up");
    assert_eq!(lsim_sim_result_free(h), S::Ok);
}

#[test]
fn a_simulation_past_the_environment_capacity_is_capacity_exceeded() {
    let text = "horizon_s = 2\n[region]\naccount_limit = 70000\nscaling = { legacy_burst = 70000 }\n[[functions]]\nname = \"f\"\nworkload = { type = \"constant\", rate_per_s = 70000 }\nhandler = { type = \"fixed\", ms = 5000 }\n";
    assert_eq!(check(text.as_bytes(), 0), (S::Ok, String::new()), "a valid scenario");
    assert_eq!(run_with(text.as_bytes(), 0, None), Err(S::CapacityExceeded));
}

#[test]
fn scenarios_run_from_small_stacks_and_many_threads() {
    let expected = {
        let h = run_text(SMALL);
        let j = json(h).unwrap();
        assert_eq!(lsim_sim_result_free(h), S::Ok);
        j
    };
    let threads: Vec<_> = (0..3)
        .map(|_| {
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(|| {
                    let h = run_text(SMALL);
                    let j = json(h).unwrap();
                    assert_eq!(lsim_sim_result_free(h), S::Ok);
                    j
                })
                .unwrap()
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), expected, "the same text gives the same bytes on every thread");
    }
}

#[test]
fn struct_layouts_match_the_header() {
    assert_eq!(size_of::<lsim_run_options>(), 48);
    assert_eq!(size_of::<lsim_sim_summary>(), 208);
    assert_eq!(size_of::<lsim_minute_point>(), 88);
}

fn bucket_minutes(r: *const lsim_sim_result) -> Result<u64, S> {
    let mut out = 0u64;
    // SAFETY: valid out-pointer.
    match unsafe { lsim_sim_result_bucket_minutes(r, &mut out) } {
        S::Ok => Ok(out),
        s => Err(s),
    }
}

#[test]
fn a_long_run_returns_a_bounded_series_with_its_bucket_width() {
    // 30 days of an idle function: 43 200 minutes, 8-minute buckets.
    let text = "horizon_s = 2592000\n[[functions]]\nname = \"f\"\nworkload = { type = \"idle\" }\nhandler = { type = \"fixed\", ms = 1 }\n";
    let h = run_text(text);
    let points = minutes(h);
    assert_eq!(LSIM_MAX_MINUTE_POINTS, lambdasim_scenario::run::MAX_MINUTE_POINTS, "the header's copy");
    assert!(points.len() <= LSIM_MAX_MINUTE_POINTS, "{}", points.len());
    assert_eq!(bucket_minutes(h), Ok(8));
    assert_eq!(points.len(), 43_200 / 8);
    assert!(points.iter().enumerate().all(|(i, p)| p.minute == 8 * i as u64), "each point starts its bucket");
    assert!(json(h).unwrap().contains("\n  \"bucket_s\": 480,\n"));
    // SAFETY: NULL and stale handles are what is tested.
    unsafe {
        assert_eq!(lsim_sim_result_bucket_minutes(null(), null_mut()), S::NullPointer);
        assert_eq!(lsim_sim_result_bucket_minutes(h, null_mut()), S::NullPointer);
    }
    assert_eq!(lsim_sim_result_free(h), S::Ok);
    assert_eq!(bucket_minutes(h), Err(S::StaleHandle));
    let short = run_text(SMALL);
    assert_eq!(bucket_minutes(short), Ok(1));
    assert_eq!(lsim_sim_result_free(short), S::Ok);
}

/// Scenarios that once never ended or were refused only by the simulator:
/// `lsim_scenario_check` must accept exactly those `lsim_scenario_run`
/// runs, and every run must end.
#[test]
fn check_and_run_agree_on_extreme_workloads() {
    let scenario = |top: &str, workload: &str| {
        format!(
            "horizon_s = 120\n{top}\n[[functions]]\nname = \"f\"\nreserved = 50\nworkload = {workload}\nhandler = {{ type = \"fixed\", ms = 10 }}\n"
        )
    };
    let cases = [
        ("", "{ type = \"ramp\", from_per_s = 1e5, to_per_s = 1e-9, over_s = 0.1 }", true),
        ("", "{ type = \"on_off\", rate_per_s = 1e-9, on_s = 0.000001, off_s = 0 }", true),
        ("", "{ type = \"poisson\", rate_per_s = 5e-324 }", true),
        ("", "{ type = \"constant\", rate_per_s = 1e-9 }", true),
        ("", "{ type = \"poisson\", rate_per_s = 1e300 }", false),
        ("", "{ type = \"constant\", rate_per_s = 1e300 }", false),
        ("", "{ type = \"on_off\", rate_per_s = 2e6, on_s = 1, off_s = 1 }", false),
        ("", "{ type = \"ramp\", from_per_s = 1e6, to_per_s = 1e300, over_s = 1 }", false),
        ("", "{ type = \"on_off\", rate_per_s = 1, on_s = 1, off_s = 1e300 }", false),
        ("replications = 1e9", "{ type = \"idle\" }", false),
    ];
    for (top, workload, valid) in cases {
        let text = scenario(top, workload);
        let (checked, message) = check(text.as_bytes(), LSIM_SCENARIO_FORMAT_TOML);
        let ran = run_with(text.as_bytes(), LSIM_SCENARIO_FORMAT_TOML, None);
        assert_eq!(checked == S::Ok, valid, "{workload}: {message}");
        match ran {
            Ok(h) => {
                assert!(valid, "{workload}: ran but checked {checked:?}");
                assert_eq!(lsim_sim_result_free(h), S::Ok);
            }
            Err(s) => {
                assert!(!valid && s == S::InvalidScenario, "{workload}: {s:?}, checked {checked:?}");
                assert!(message.contains("(scenario):") && message.chars().count() < 400, "{message}");
            }
        }
    }
}

#[test]
fn provisioned_schedules_and_autoscaling_run_from_c() {
    // Target tracking and schedules are scenario fields, so C (and Go and
    // Node through it) runs them; the JSON lists the changes as the CLI does.
    let text = "horizon_s = 600\n[[functions]]\nname = \"api\"\nprovisioned = 5\n\
        workload = { type = \"constant\", rate_per_s = 40 }\nhandler = { type = \"fixed\", ms = 500 }\n\
        provisioned_autoscaling = { target = 0.7, min = 1, max = 50 }\n";
    let h = run_text(text);
    let from_c: serde_json::Value = serde_json::from_str(&json(h).unwrap()).unwrap();
    assert_eq!(lsim_sim_result_free(h), S::Ok);
    let (p, r, b) = reference("(scenario)", text, None, 0);
    let expected = serde_json::to_value(report::run_json(&p, &r, &b)).unwrap();
    assert_eq!(from_c["scaling_actions"], expected["scaling_actions"]);
    assert_eq!(from_c["scaling_actions"][0]["to"], 8, "{from_c}");
    let bad = text.replace("target = 0.7", "target = 0.95");
    let (s, message) = check(bad.as_bytes(), LSIM_SCENARIO_FORMAT_AUTO);
    assert_eq!(s, S::InvalidScenario);
    assert!(
        message.contains("functions[0].provisioned_autoscaling.target: function \"api\": must be in 0.1..=0.9"),
        "{message}"
    );
}
