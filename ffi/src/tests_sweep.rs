//! Unit tests of the sweep entry points (`lsim_sweep_*`), calling them as C would.

use super::*;
use core::ffi::c_char;
use lambdasim_scenario::doc::Format;
use lambdasim_scenario::pick::Pick;
use lambdasim_scenario::sweep::{self, Sweep, SweepFormat};
use std::path::Path;
use std::ptr::{null, null_mut};

type S = lsim_status;

const TEXT: &str = "seed = 5\nhorizon_s = 60\n[[functions]]\nname = \"api\"\nworkload = { type = \"poisson\", rate_per_s = 30 }\nhandler = { type = \"exponential\", mean_ms = 150 }\n";
const SETS: &str = "functions[name=api].reserved=2,5\n\nfunctions[0].memory_mb = 256..512:256\n";
const PICK: &str = "min cost where throttle_probability < 0.5";

fn options(output: u32) -> lsim_sweep_options {
    let mut o = lsim_sweep_options { struct_size: 0, ..lsim_sweep_options::defaults() };
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { lsim_sweep_options_default(&mut o) }, S::Ok);
    o.output = output;
    o.sets = SETS.as_ptr().cast::<c_char>();
    o.sets_len = SETS.len();
    o.replications = 2;
    o.pick = PICK.as_ptr().cast::<c_char>();
    o.pick_len = PICK.len();
    o
}

fn run(text: &str, o: &lsim_sweep_options) -> Result<String, S> {
    let mut out = null_mut();
    // SAFETY: valid pointers and lengths.
    let status = unsafe { lsim_sweep_run(text.as_ptr().cast(), text.len(), LSIM_SCENARIO_FORMAT_AUTO, o, &mut out) };
    if status != S::Ok {
        assert!(out.is_null(), "out written on error");
        return Err(status);
    }
    let mut len = 0;
    // SAFETY: a size query: NULL buffer of length 0.
    assert_eq!(unsafe { lsim_sweep_result_output(out, null_mut(), 0, &mut len) }, S::BufferTooSmall);
    let mut buf = vec![0u8; len];
    // SAFETY: `buf` holds `len` bytes.
    assert_eq!(unsafe { lsim_sweep_result_output(out, buf.as_mut_ptr().cast(), len, &mut len) }, S::Ok);
    assert_eq!(lsim_sweep_result_free(out), S::Ok);
    assert_eq!(lsim_sweep_result_free(out), S::StaleHandle);
    assert_eq!(buf.pop(), Some(0));
    Ok(String::from_utf8(buf).unwrap())
}

fn check(text: &[u8], o: &lsim_sweep_options) -> (S, String) {
    let mut buf = vec![0u8; 4096];
    let mut len = 0;
    // SAFETY: valid pointers and lengths.
    let s = unsafe {
        lsim_sweep_check(
            text.as_ptr().cast(),
            text.len(),
            LSIM_SCENARIO_FORMAT_AUTO,
            o,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut len,
        )
    };
    buf.truncate(len.saturating_sub(1));
    (s, String::from_utf8(buf).unwrap())
}

#[test]
fn the_output_is_the_commands_bytes_for_every_format_and_thread_count() {
    for (output, format) in [
        (LSIM_SWEEP_OUTPUT_TEXT, SweepFormat::Text),
        (LSIM_SWEEP_OUTPUT_CSV, SweepFormat::Csv),
        (LSIM_SWEEP_OUTPUT_JSON, SweepFormat::Json),
    ] {
        let s = Sweep {
            axes: sweep::axes(SETS.lines().filter(|l| !l.trim().is_empty())).unwrap(),
            replications: Some(2),
            shard: None,
            threads: None,
            format,
            pick: Some(Pick::parse(PICK).unwrap()),
            progress: false,
        };
        let mut expected = Vec::new();
        sweep::run_sweep("(scenario)", TEXT, Format::Toml, Path::new("."), &s, &mut expected).unwrap();
        let mut o = options(output);
        assert_eq!(run(TEXT, &o).unwrap(), String::from_utf8(expected).unwrap());
        o.threads = 1;
        let one = run(TEXT, &o).unwrap();
        o.threads = 3;
        assert_eq!(run(TEXT, &o).unwrap(), one);
    }
}

#[test]
fn shards_split_the_rows() {
    let mut o = options(LSIM_SWEEP_OUTPUT_CSV);
    let whole = run(TEXT, &o).unwrap();
    o.shard_count = 2;
    let a = run(TEXT, &o).unwrap();
    o.shard_index = 1;
    let b = run(TEXT, &o).unwrap();
    let mut rows: Vec<&str> = a.lines().skip(1).chain(b.lines().skip(1)).collect();
    rows.sort_by_key(|l| l.split(',').next().unwrap().parse::<u32>().unwrap());
    assert_eq!(rows, whole.lines().skip(1).collect::<Vec<_>>());
    assert_eq!(rows.len(), 4 * 2);
}

#[test]
fn bad_inputs_are_statuses_and_check_says_why() {
    let o = options(LSIM_SWEEP_OUTPUT_CSV);
    let mut out = null_mut();
    // SAFETY: NULL pointers are what is tested.
    unsafe {
        assert_eq!(lsim_sweep_run(TEXT.as_ptr().cast(), TEXT.len(), 0, &o, null_mut()), S::NullPointer);
        assert_eq!(lsim_sweep_run(TEXT.as_ptr().cast(), TEXT.len(), 0, null(), &mut out), S::NullPointer);
        assert_eq!(lsim_sweep_run(null(), 5, 0, &o, &mut out), S::NullPointer);
        assert_eq!(lsim_sweep_run(TEXT.as_ptr().cast(), TEXT.len(), 9, &o, &mut out), S::InvalidArgument);
        assert_eq!(lsim_sweep_options_default(null_mut()), S::NullPointer);
    }
    let with = |f: &dyn Fn(&mut lsim_sweep_options)| {
        let mut o = options(LSIM_SWEEP_OUTPUT_CSV);
        f(&mut o);
        o
    };
    assert_eq!(run(TEXT, &with(&|o| o.struct_size = 8)), Err(S::InvalidArgument));
    assert_eq!(run(TEXT, &with(&|o| o.output = 3)), Err(S::InvalidArgument));
    assert_eq!(run(TEXT, &with(&|o| o.sets_len = 0)), Err(S::InvalidArgument));
    assert_eq!(run(TEXT, &with(&|o| (o.shard_index, o.shard_count) = (2, 2))), Err(S::InvalidArgument));
    assert_eq!(run(TEXT, &with(&|o| o.replications = 10_001)), Err(S::InvalidArgument));
    assert_eq!(run(TEXT, &with(&|o| o.threads = u32::MAX)).map(|s| s.is_empty()), Ok(false));
    let bad_pick = "min money";
    let o = with(&|o| (o.pick, o.pick_len) = (bad_pick.as_ptr().cast(), bad_pick.len()));
    assert_eq!(run(TEXT, &o), Err(S::InvalidArgument));
    assert_eq!(check(TEXT.as_bytes(), &o), (S::InvalidScenario, "--pick \"min money\": unknown metric \"money\" (metrics: requests, cold_start_probability, throttle_probability, p99_response_ms, cost_usd; or cost, p99)".into()));
    // A combination that is not a valid scenario: nothing runs.
    let sets = "functions[0].memory_mb=512,64";
    let o = with(&|o| (o.sets, o.sets_len) = (sets.as_ptr().cast(), sets.len()));
    assert_eq!(run(TEXT, &o), Err(S::InvalidScenario));
    let (s, message) = check(TEXT.as_bytes(), &o);
    assert_eq!(s, S::InvalidScenario);
    assert!(
        message.starts_with("(scenario): functions[0].memory_mb: ")
            && message.ends_with("[combination 1: functions[0].memory_mb=64]"),
        "{message}"
    );
    let (s, message) = check(b"seed = \"\xff\"", &options(LSIM_SWEEP_OUTPUT_CSV));
    assert_eq!((s, message.as_str()), (S::InvalidScenario, "(scenario):1:9: the scenario is not valid UTF-8"));
    assert_eq!(check(TEXT.as_bytes(), &options(LSIM_SWEEP_OUTPUT_CSV)), (S::Ok, String::new()));
}

#[test]
fn made_up_and_foreign_handles_are_refused() {
    let mut len = 0;
    let fake: *mut lsim_sweep_result = std::ptr::without_provenance_mut(0x80_0001);
    // SAFETY: the handles are never dereferenced.
    unsafe {
        assert_eq!(lsim_sweep_result_output(fake, null_mut(), 0, &mut len), S::StaleHandle);
        assert_eq!(lsim_sweep_result_output(null(), null_mut(), 0, &mut len), S::NullPointer);
    }
    assert_eq!(lsim_sweep_result_free(fake), S::StaleHandle);
    assert_eq!(lsim_sweep_result_free(null_mut()), S::Ok);
    // A simulation result's handle is of another kind.
    let mut sim = null_mut();
    // SAFETY: valid pointers.
    assert_eq!(unsafe { lsim_scenario_run(TEXT.as_ptr().cast(), TEXT.len(), 0, null(), &mut sim) }, S::Ok);
    assert_eq!(lsim_sweep_result_free(sim.cast()), S::StaleHandle);
    assert_eq!(lsim_sim_result_free(sim), S::Ok);
}
