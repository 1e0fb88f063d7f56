//! `lsim_sim_result_latency`, called as C would: it gives the JSON's
//! `latency`, and every bad argument is a status.

use super::*;
use std::ptr::{null, null_mut};

type S = lsim_status;

/// A function that starts cold after every idle gap, and one that starts
/// cold only in the warm-up.
const COLD: &str = r#"
seed = 5
horizon_s = 900
warmup_s = 10
[region]
idle_timeout_s = 30
[[functions]]
name = "sparse"
workload = { type = "poisson", rate_per_s = 0.05 }
handler = { type = "exponential", mean_ms = 120 }
[[functions]]
name = "busy"
workload = { type = "constant", rate_per_s = 5 }
handler = { type = "fixed", ms = 40 }
"#;

fn run(text: &str) -> *mut lsim_sim_result {
    let mut out = null_mut();
    // SAFETY: valid pointers and lengths.
    let s = unsafe { lsim_scenario_run(text.as_ptr().cast(), text.len(), LSIM_SCENARIO_FORMAT_AUTO, null(), &mut out) };
    assert_eq!(s, S::Ok);
    out
}

fn latency(r: *const lsim_sim_result, function: u32) -> Result<lsim_latency, S> {
    let mut out = lsim_latency { cold_start_added_p99_us: 777, ..Default::default() };
    // SAFETY: valid out-pointer.
    match unsafe { lsim_sim_result_latency(r, function, &mut out) } {
        S::Ok => Ok(out),
        s => {
            assert_eq!(out.cold_start_added_p99_us, 777, "out written on error");
            Err(s)
        }
    }
}

fn json(r: *const lsim_sim_result) -> serde_json::Value {
    let mut need = 0usize;
    // SAFETY: a size query.
    assert_eq!(unsafe { lsim_sim_result_json(r, null_mut(), 0, &mut need) }, S::BufferTooSmall);
    let mut buf = vec![0u8; need];
    // SAFETY: `buf` holds `need` bytes.
    assert_eq!(unsafe { lsim_sim_result_json(r, buf.as_mut_ptr().cast(), need, &mut need) }, S::Ok);
    serde_json::from_slice(&buf[..need - 1]).unwrap()
}

fn from_json(v: &serde_json::Value) -> lsim_latency {
    let p = |k: &str| {
        let q = &v[k];
        let n = |f: &str| q[f].as_u64().unwrap();
        lsim_percentiles {
            samples: n("samples"),
            p50_us: n("p50_us"),
            p90_us: n("p90_us"),
            p99_us: n("p99_us"),
            max_us: n("max_us"),
        }
    };
    lsim_latency {
        struct_size: size_of::<lsim_latency>() as u32,
        handler_duration: p("handler_duration"),
        init_duration: p("init_duration"),
        response_time: p("response_time"),
        cold_start_added_p99_us: v["cold_start_added_p99_us"].as_u64().unwrap(),
    }
}

#[test]
fn latency_is_the_json_latency() {
    let h = run(COLD);
    let doc = json(h);
    let sparse = latency(h, 0).unwrap();
    assert_eq!(sparse, from_json(&doc["functions"][0]["latency"]));
    assert_eq!(latency(h, 1).unwrap(), from_json(&doc["functions"][1]["latency"]));
    assert_eq!(latency(h, LSIM_SIM_TOTAL).unwrap(), from_json(&doc["total"]["latency"]));
    assert!(sparse.init_duration.samples > 5 && sparse.cold_start_added_p99_us > 0, "{sparse:?}");
    let busy = latency(h, 1).unwrap();
    assert_eq!((busy.handler_duration.p50_us, busy.cold_start_added_p99_us), (40_000, 0));
    assert_eq!(busy.struct_size as usize, size_of::<lsim_latency>());
    assert_eq!(lsim_sim_result_free(h), S::Ok);
}

#[test]
fn bad_arguments_are_statuses() {
    let h = run(COLD);
    let mut out = lsim_latency::default();
    assert_eq!(latency(h, 2), Err(S::UnknownFunction));
    assert_eq!(latency(h, LSIM_SIM_TOTAL - 1), Err(S::UnknownFunction));
    // SAFETY: NULL is what is tested; other pointers are valid.
    unsafe {
        assert_eq!(lsim_sim_result_latency(null(), 0, &mut out), S::NullPointer);
        assert_eq!(lsim_sim_result_latency(h, 0, null_mut()), S::NullPointer);
        let made_up: *const lsim_sim_result = std::ptr::without_provenance(0x1234_5678);
        assert_eq!(lsim_sim_result_latency(made_up, 0, &mut out), S::StaleHandle);
    }
    assert_eq!(lsim_sim_result_free(h), S::Ok);
    assert_eq!(latency(h, 0), Err(S::StaleHandle), "a freed handle");
}
