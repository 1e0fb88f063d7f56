//! Runs the built `lambdasim` binary the way a user does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_lambdasim");
const DEFAULT_SCENARIO: &str = include_str!("../../scenario/default-scenario.toml");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn lambdasim(args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(root()).output().expect("run lambdasim")
}

fn ok(args: &[&str]) -> String {
    let out = lambdasim(args);
    assert!(
        out.status.success(),
        "lambdasim {args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("lambdasim {args:?}: not JSON ({e}):\n{out}"))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lambdasim-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn run_with_no_arguments_shows_the_three_ideas() {
    let out = lambdasim(&["run"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "no progress bar when stderr is not a terminal");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("api: 100 req/s × 0.5 s ⇒ Little's law predicts 50.0"), "{text}");
    assert!(text.contains("simulated avg_busy 50.0"), "{text}");
    assert!(text.contains("checkout: provisioned concurrency 20 served"), "{text}");
    assert!(text.contains("spilled over to on-demand"), "{text}");
    assert!(text.contains("throttled with ReservedFunctionConcurrentInvocationLimitExceeded"), "{text}");
    assert!(text.contains("burst: bursts of ~2,000 requests"), "{text}");
    assert!(text.contains("throttled") && text.contains("with ScalingRateExceeded"), "{text}");
    for word in ["cold_start_probability", "avg_instances", "utilization", "peak_concurrency", "Total", "$"] {
        assert!(text.contains(word), "{word} missing:\n{text}");
    }
}

const SUMMARY_FIELDS: &[&str] = &[
    "requests",
    "invocations",
    "cold_starts",
    "full_cold_starts",
    "partial_cold_starts",
    "warm_starts",
    "provisioned_starts",
    "spillover",
    "throttles",
    "throttles_by_reason",
    "errors",
    "timeouts",
    "cold_start_probability",
    "throttle_probability",
    "avg_instances",
    "avg_busy",
    "avg_idle",
    "utilization",
    "peak_concurrency",
    "bill",
];

const MINUTE_FIELDS: &[&str] = &[
    "minute",
    "busy_max",
    "busy_avg",
    "live_avg",
    "live",
    "invocations",
    "cold_starts",
    "throttles",
    "account_limit",
    "unreserved_pool",
    "claimed",
];

fn is_cents(s: &str) -> bool {
    let Some((d, c)) = s.split_once('.') else { return false };
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit())
}

fn check_summary(s: &Value, what: &str) {
    for f in SUMMARY_FIELDS {
        assert!(s.get(f).is_some(), "{what}: no field {f}");
    }
    let reasons = s["throttles_by_reason"].as_object().unwrap();
    for r in [
        "ConcurrentInvocationLimitExceeded",
        "ReservedFunctionConcurrentInvocationLimitExceeded",
        "RequestRateExceeded",
        "ScalingRateExceeded",
    ] {
        assert!(reasons.contains_key(r), "{what}: no throttle reason {r}");
    }
    let sum: u64 = reasons.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(sum, s["throttles"].as_u64().unwrap(), "{what}");
    let bill = &s["bill"];
    assert!(is_cents(bill["total_usd"].as_str().unwrap()), "{what}: {bill}");
    assert!(bill["exact_usd"].as_str().unwrap().contains('.'));
    for line in bill["lines"].as_array().unwrap() {
        for f in ["kind", "arch", "quantity", "usd"] {
            assert!(line.get(f).is_some(), "{what}: bill line without {f}");
        }
        assert!(is_cents(line["usd"].as_str().unwrap()));
    }
    let latency = &s["latency"];
    for d in ["handler_duration", "init_duration", "response_time"] {
        for f in ["samples", "p50_us", "p90_us", "p99_us", "max_us"] {
            assert!(latency[d][f].is_u64(), "{what}: no latency.{d}.{f}");
        }
    }
    assert_eq!(latency["handler_duration"]["samples"], s["invocations"], "{what}");
    assert_eq!(latency["init_duration"]["samples"], s["cold_starts"], "{what}");
    let p99 = |d: &str| latency[d]["p99_us"].as_u64().unwrap();
    assert_eq!(latency["cold_start_added_p99_us"].as_u64(), Some(p99("response_time") - p99("handler_duration")));
}

#[test]
fn run_json_has_every_documented_field() {
    let v = json(&["run", "--json", "--horizon-s", "900"]);
    for f in ["seed", "horizon_s", "warmup_s", "functions", "total", "minutes", "replication"] {
        assert!(v.get(f).is_some(), "no top-level field {f}");
    }
    assert_eq!(v["seed"], 1);
    assert_eq!(v["horizon_s"], 900.0);
    assert_eq!(v["warmup_s"], 60.0);
    let functions = v["functions"].as_array().unwrap();
    let names: Vec<&str> = functions.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["api", "checkout", "burst"]);
    for f in functions {
        check_summary(f, f["name"].as_str().unwrap());
    }
    check_summary(&v["total"], "total");
    let minutes = v["minutes"].as_array().unwrap();
    assert_eq!(minutes.len(), 15);
    for m in minutes {
        for f in MINUTE_FIELDS {
            assert!(m.get(f).is_some(), "minute without {f}");
        }
    }
    assert_eq!(minutes[3]["account_limit"], 3000);
    let total_requests: u64 = functions.iter().map(|f| f["requests"].as_u64().unwrap()).sum();
    assert_eq!(total_requests, v["total"]["requests"].as_u64().unwrap());
}

#[test]
fn same_seed_same_json_and_seeds_differ() {
    let a = ok(&["run", "--json", "--horizon-s", "300"]);
    let b = ok(&["run", "--json", "--horizon-s", "300"]);
    assert_eq!(a, b);
    let c = ok(&["run", "--json", "--horizon-s", "300", "--seed", "2"]);
    assert_ne!(a, c);
}

#[test]
fn shards_select_replications() {
    let all = json(&["run", "--json", "--horizon-s", "120", "--replications", "4", "--seed", "10"]);
    let runs = all["runs"].as_array().unwrap();
    let reps: Vec<u64> = runs.iter().map(|r| r["replication"].as_u64().unwrap()).collect();
    assert_eq!(reps, [0, 1, 2, 3]);
    let seeds: Vec<u64> = runs.iter().map(|r| r["seed"].as_u64().unwrap()).collect();
    assert_eq!(seeds, [10, 11, 12, 13]);
    assert!(all["mean"]["total"]["requests"].as_f64().unwrap() > 0.0);
    let shard = json(&["run", "--json", "--horizon-s", "120", "--replications", "4", "--seed", "10", "--shard", "1/2"]);
    assert_eq!(shard["shard"], "1/2");
    let part = shard["runs"].as_array().unwrap();
    assert_eq!(part.len(), 2);
    assert_eq!(part[0], runs[1], "a shard's run equals the same replication in a full run");
    assert_eq!(part[1], runs[3]);
    let text = ok(&["run", "--horizon-s", "120", "--replications", "4", "--shard", "0/2"]);
    assert!(text.contains("shard 0/2: replications [0, 2] of 4"), "{text}");
    assert!(text.contains("mean over 2 replications"), "{text}");
    for bad in ["2/2", "x", "1/0"] {
        let out = lambdasim(&["run", "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
    }
}

#[test]
fn scenario_prints_the_default_which_parses_back_and_runs_the_same() {
    let out = ok(&["scenario"]);
    assert_eq!(out, DEFAULT_SCENARIO);
    let parsed: toml::Table = toml::from_str(&out).unwrap();
    let embedded: toml::Table = toml::from_str(DEFAULT_SCENARIO).unwrap();
    assert_eq!(parsed, embedded);
    let path = temp("default.toml");
    std::fs::write(&path, &out).unwrap();
    let mut from_file = json(&["run", path.to_str().unwrap(), "--json", "--horizon-s", "300"]);
    let mut default = json(&["run", "--json", "--horizon-s", "300"]);
    from_file["scenario"] = Value::Null;
    default["scenario"] = Value::Null;
    assert_eq!(from_file, default);
}

#[test]
fn every_example_runs() {
    let mut ran = 0;
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "toml" | "json") {
            continue;
        }
        let rel = path.strip_prefix(root()).unwrap().to_str().unwrap().to_owned();
        let text = ok(&["run", &rel, "--horizon-s", "60"]);
        assert!(text.contains("what it shows") || text.contains("mean over"), "{rel}:\n{text}");
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} examples");
}

#[test]
fn example_usage_files_price() {
    let want = [
        ("spec-example-1.toml", "$2.73"),
        ("spec-example-2.toml", "$19.96"),
        ("spec-example-3-100ms.json", "$112.00"),
        ("spec-example-4.toml", "$18.74"),
        ("mixed.toml", "$"),
    ];
    for (file, total) in want {
        let text = ok(&["cost", "--usage", &format!("examples/usage/{file}")]);
        let line = text.lines().find(|l| l.trim_start().starts_with("Total")).unwrap();
        assert!(line.contains(total), "{file}: {line}");
    }
}

fn expect_doc_error(file: &str, field: &str) {
    let rel = format!("cli/tests/data/{file}");
    let out = lambdasim(&["run", &rel]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{file}: {err}");
    let prefix = format!("{rel}:");
    let after = err.split_once(&prefix).map(|(_, a)| a).unwrap_or_else(|| panic!("{file}: no {prefix} in {err}"));
    let line: String = after.chars().take_while(char::is_ascii_digit).collect();
    assert!(!line.is_empty() && line != "0", "{file}: no line number in {err}");
    assert!(err.contains(field), "{file}: field {field} not named in {err}");
}

#[test]
fn bad_scenarios_exit_2_naming_file_line_and_field() {
    expect_doc_error("unknown-field.toml", "functions[0].memroy_mb");
    expect_doc_error("unknown-field.json", "functions[0].colour");
    expect_doc_error("wrong-type.toml", "region.account_limit");
    expect_doc_error("unknown-variant.toml", "functions[0].workload");
    expect_doc_error("memory-127.toml", "functions[1].memory_mb");
    expect_doc_error("memory-127.json", "functions[0].memory_mb");
    expect_doc_error("pc-above-rc.toml", "functions[0].provisioned");
    expect_doc_error("unreserved-min.toml", "functions[1].provisioned");
    expect_doc_error("nan-rate.toml", "functions[0].workload.rate_per_s");
    expect_doc_error("missing-trace-row.toml", "functions[0].workload");
    let out = lambdasim(&["run", "cli/tests/data/memory-127.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("memory-127.toml:11:1:") && err.contains("\"tiny\"") && err.contains("128"), "{err}");
    let out = lambdasim(&["run", "cli/tests/data/unknown-variant.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(":7:") && err.contains("poison") && err.contains("expected one of"), "{err}");
}

#[test]
fn io_errors_exit_1() {
    assert_eq!(lambdasim(&["run", "cli/tests/data/no-such-scenario.toml"]).status.code(), Some(1));
    assert_eq!(lambdasim(&["run", "cli/tests/data/missing-trace-file.toml"]).status.code(), Some(1));
}

#[test]
fn cost_reproduces_the_spec_examples() {
    let total = |args: &[&str]| {
        let mut a = vec!["cost"];
        a.extend_from_slice(args);
        let text = ok(&a);
        text.lines().find(|l| l.trim_start().starts_with("Total")).unwrap().to_owned()
    };
    let ex1 = total(&["--requests", "3000000", "--duration-ms", "120", "--memory-mb", "1536"]);
    assert!(ex1.contains("$2.73"), "{ex1}");
    let ex2 = total(&[
        "--requests",
        "2500000",
        "--duration-ms",
        "120",
        "--memory-mb",
        "1536",
        "--provisioned",
        "100",
        "--provisioned-hours",
        "8",
        "--provisioned-requests",
        "500000",
        "--provisioned-duration-ms",
        "100",
        "--free-tier",
    ]);
    assert!(ex2.contains("$19.96"), "{ex2}");
    let ex3 = ["--requests", "60000000", "--duration-ms", "28", "--memory-mb", "1024", "--no-free-tier"];
    assert!(total(&ex3).contains("$40.00"));
    let mut ex3b = ex3.to_vec();
    ex3b.extend(["--granularity", "100ms"]);
    assert!(total(&ex3b).contains("$112.00"));
    let ex4 = total(&["--requests", "3000000", "--duration-ms", "1000", "--memory-mb", "512", "--billing-era", "2020"]);
    assert!(ex4.contains("$18.74"), "{ex4}");
    let v = json(&["cost", "--requests", "3000000", "--duration-ms", "120", "--memory-mb", "1536", "--json"]);
    assert_eq!(v["total_usd"], "2.73");
    assert_eq!(v["exact_usd"], "2.7333380000");
    let kinds: Vec<&str> = v["lines"].as_array().unwrap().iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Requests", "Duration"]);
    assert_eq!(lambdasim(&["cost", "--requests", "1", "--memory-mb", "127"]).status.code(), Some(2));
}

#[test]
fn tune_picks_by_strategy_and_breaks_ties() {
    // 128 MB × 200 ms costs the same as 256 MB × 100 ms: cost ties go to the faster.
    // 256 MB and 512 MB both take 100 ms: speed ties go to the cheaper.
    let mut csv = String::from("memory_mb,duration_ms\n");
    for (mb, ms) in [(128, 200), (256, 100), (512, 100), (1024, 150)] {
        for _ in 0..5 {
            csv.push_str(&format!("{mb},{ms}\n"));
        }
    }
    let path = temp("ties.csv");
    std::fs::write(&path, csv).unwrap();
    let samples = path.to_str().unwrap();
    let pick = |strategy: &str, extra: &[&str]| {
        let mut a = vec!["tune", "--samples", samples, "--strategy", strategy, "--json"];
        a.extend_from_slice(extra);
        json(&a)["pick"]["memory_mb"].as_u64().unwrap()
    };
    assert_eq!(pick("cost", &[]), 256);
    assert_eq!(pick("speed", &[]), 256);
    assert_eq!(pick("balanced", &["--weight", "1"]), 256);
    assert_eq!(pick("balanced", &["--weight", "0"]), 256);
    // A CPU-bound profile: one thread stops speeding up at 1769 MB (1 vCPU).
    let v = json(&["tune", "--cpu-ms", "1000", "--memory", "1024,1769,3008", "--strategy", "speed", "--json"]);
    assert_eq!(v["pick"]["memory_mb"], 1769);
    assert_eq!(v["candidates"].as_array().unwrap().len(), 3);
    let text = ok(&["tune", "--cpu-ms", "1000", "--timeout-ms", "500"]);
    assert!(text.contains("← pick") && text.contains("cuts off the tail"), "{text}");
    let svg = temp("tune.svg");
    ok(&["tune", "--io-ms", "20", "--cpu-ms", "300", "--threads", "2", "--svg", svg.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    assert_eq!(lambdasim(&["tune", "--cpu-ms", "1", "--strategy", "balanced", "--weight", "2"]).status.code(), Some(2));
}

#[test]
fn concurrency_is_rps_times_duration() {
    let text = ok(&["concurrency", "--rps", "100", "--duration-ms", "500"]);
    assert!(text.starts_with("100 req/s × 0.5 s = 50 concurrent executions"), "{text}");
    assert!(text.contains("account limit 1000 (the default): fits"), "{text}");
    let text = ok(&["concurrency", "--rps", "5000", "--duration-ms", "250"]);
    assert!(text.contains("= 1250 concurrent executions") && text.contains("does NOT fit"), "{text}");
    let v = json(&["concurrency", "--rps", "200", "--duration-ms", "250", "--json"]);
    assert_eq!(v["concurrency"], 50.0);
    assert_eq!(v["fits_account_limit"], true);
}

#[test]
fn validate_short_run_reports_mape() {
    let text = ok(&["validate", "--horizon-s", "20000"]);
    assert!(text.contains("MAPE over 20 rows"), "{text}");
    assert!(text.contains("experiment_13") && text.contains("experiment_9"), "{text}");
    let v = json(&["validate", "--horizon-s", "20000", "--json"]);
    assert_eq!(v["rows"].as_array().unwrap().len(), 20);
    assert!(v["mape_cold_start_probability_pct"].as_f64().unwrap() > 0.0);
    assert!(v["mape_avg_instances_pct"].as_f64().unwrap() > 0.0);
}

#[test]
fn run_draws_an_svg() {
    let path = temp("run.svg");
    ok(&["run", "--horizon-s", "1200", "--svg", path.to_str().unwrap()]);
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // 20 minutes: 5 s bins, a minute axis; the default scenario's three
    // functions with checkout's reserved and provisioned levels.
    for label in [
        "Busy execution environments (most in each 5 s bin)",
        "time (minutes)",
        ">api<",
        ">burst<",
        "checkout reserved 40",
        "checkout provisioned 20",
        "account limit 3000 (off scale)",
        "unreserved pool",
        "cold starts (",
        "throttles (",
        "Response time per 5 s bin",
        "Cost, cumulative: $",
    ] {
        assert!(svg.contains(label), "{label}");
    }
    // The same run draws the same chart.
    let again = temp("run-again.svg");
    ok(&["run", "--horizon-s", "1200", "--svg", again.to_str().unwrap()]);
    assert_eq!(svg, std::fs::read_to_string(&again).unwrap());
    for label in ["Latency after the warm-up", "handler duration", "response time", ">burst<", ">total<", "cold)"] {
        assert!(svg.contains(label), "{label}");
    }
}

#[test]
fn run_text_reports_latency() {
    let text = ok(&["run", "--horizon-s", "1200"]);
    let table = text.split("latency (ms; the requests that ran after the warm-up):\n").nth(1).unwrap();
    let row = |label: &str| table.lines().find(|l| l.trim_start().starts_with(label)).unwrap().to_owned();
    // The default scenario's api function: 100 req/s of fixed 500 ms, warm after the warm-up.
    // Columns: api, checkout, burst, total after the label's words.
    let api = |label: &str| row(label).split_whitespace().nth(label.split(' ').count()).unwrap().to_owned();
    assert_eq!(api("handler duration p99"), "500.0", "{table}");
    assert_eq!(api("response time p99"), "500.0", "{table}");
    assert_eq!(api("init duration p50"), "-", "{table}");
    assert_eq!(api("cold-start latency added at p99"), "0", "{table}");
    let burst = row("cold-start latency added at p99");
    assert_ne!(burst.split_whitespace().nth(7), Some("0"), "burst starts cold: {table}");
}

/// The simulation vectors (tests/vectors/sim) are what this command prints:
/// `lambdasim run <file> --json --seed <its seed>`, run from their folder,
/// gives each `<name>.expected.json` byte for byte (the C ABI's
/// `lsim_sim_result_json` must too).
#[test]
fn run_json_prints_the_simulation_vectors_byte_for_byte() {
    let dir = root().join("tests/vectors/sim");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(stem) = name.strip_suffix(".expected.json") else { continue };
        let expected = std::fs::read_to_string(&path).unwrap();
        let seed = serde_json::from_str::<Value>(&expected).unwrap()["seed"].as_u64().unwrap().to_string();
        let scenario =
            ["toml", "json"].iter().map(|ext| format!("{stem}.{ext}")).find(|f| dir.join(f).exists()).unwrap();
        let out = Command::new(BIN)
            .args(["run", &scenario, "--json", "--seed", &seed])
            .current_dir(&dir)
            .output()
            .expect("run lambdasim");
        assert!(out.status.success(), "{scenario}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout == expected.as_bytes(), "{scenario}: the output differs from {name}");
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} simulation vectors");
}

/// Exit code and stderr of a command that must fail with exit 2.
fn usage_error(args: &[&str]) -> String {
    let out = lambdasim(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "lambdasim {args:?}: {err}");
    assert!(err.chars().count() < 700, "lambdasim {args:?}: a long message: {err}");
    err
}

#[test]
fn numeric_flags_out_of_range_exit_2_with_the_limit() {
    let err = usage_error(&["concurrency", "--rps", "1e20", "--duration-ms", "1000"]);
    assert!(err.contains("--rps must be a number in 0..=1e9 (got 1e20)"), "{err}");
    let err = usage_error(&["concurrency", "--rps", "1", "--duration-ms", "1e300"]);
    assert!(err.contains("0..=900000") && err.contains("(got 1e300)"), "{err}");
    // The largest accepted values do not overflow.
    let text = ok(&["concurrency", "--rps", "1e9", "--duration-ms", "900000", "--reserved-elsewhere", "4294967295"]);
    assert!(text.contains("900000000000 execution environments"), "{text}");
    let err = usage_error(&["run", "--horizon-s", "1e15"]);
    assert!(err.contains("at most 31622400 (366 days) (got 1e15)"), "{err}");
    let err = usage_error(&["run", "--replications", "4000000000"]);
    assert!(err.contains("1..=10000"), "{err}");
    let err = usage_error(&["cost", "--requests", "1", "--duration-ms", "1e300"]);
    assert!(err.contains("(got 1e300)"), "{err}");
    let err = usage_error(&["cost", "--provisioned", "1", "--provisioned-hours=-1"]);
    assert!(err.contains("--provisioned-hours") && err.contains("(got -1)"), "{err}");
    let err = usage_error(&["tune", "--cpu-ms", "1e300"]);
    assert!(err.contains("--cpu-ms") && err.contains("(got 1e300)"), "{err}");
    let err = usage_error(&["validate", "--horizon-s", "1e300"]);
    assert!(err.contains("(got 1e300)"), "{err}");
}

#[test]
fn scenario_limits_are_checked_when_read() {
    let write = |name: &str, text: &str| {
        let path = temp(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let f = "[[functions]]\nname = \"f\"\nhandler = { type = \"fixed\", ms = 10 }\n";
    let cases = [
        (
            "horizon.toml",
            format!("horizon_s = 1e15\n{f}workload = {{ type = \"idle\" }}\n"),
            "horizon_s: must be a number of seconds above 0 and at most 31622400 (366 days) (got 1e15)",
        ),
        (
            "reps.toml",
            format!("replications = 1e9\n{f}workload = {{ type = \"idle\" }}\n"),
            "replications: must be a whole number in 1..=10000 (got 1000000000)",
        ),
        (
            "rate.toml",
            format!("{f}workload = {{ type = \"poisson\", rate_per_s = 1e300 }}\n"),
            "functions[0].workload.rate_per_s: function \"f\": must be a rate in 0..=1000000 requests per second (got 1e300)",
        ),
        (
            "ramp.toml",
            format!("{f}workload = {{ type = \"ramp\", from_per_s = 2e6, to_per_s = 1, over_s = 1 }}\n"),
            "functions[0].workload.from_per_s",
        ),
    ];
    for (name, text, want) in cases {
        let path = write(name, &text);
        let err = usage_error(&["run", &path]);
        assert!(err.contains(&format!("{path}:")) && err.contains(want), "{name}: {err}");
    }
    // A huge bad value is quoted short.
    let long = "q".repeat(1 << 20);
    let path = write("long.toml", &format!("seed = \"{long}\"\n{f}workload = {{ type = \"idle\" }}\n"));
    let err = usage_error(&["run", &path]);
    assert!(err.contains("seed:") && err.contains('…') && err.matches('q').count() <= 80, "{err}");
    // Not UTF-8: a position, as through the C ABI.
    let path = temp("latin1.toml");
    std::fs::write(&path, b"seed = 1\n# caf\xe9\n").unwrap();
    let err = usage_error(&["run", path.to_str().unwrap()]);
    assert!(err.contains("latin1.toml:2:6: the scenario is not valid UTF-8"), "{err}");
}

#[test]
fn rare_and_extreme_workloads_end() {
    // Each once ran forever whatever the horizon.
    let f = "[[functions]]\nname = \"f\"\nhandler = { type = \"fixed\", ms = 10 }\n";
    for w in [
        "{ type = \"ramp\", from_per_s = 1e5, to_per_s = 1e-9, over_s = 0.1 }",
        "{ type = \"on_off\", rate_per_s = 1e-9, on_s = 0.000001, off_s = 0 }",
        "{ type = \"poisson\", rate_per_s = 5e-324 }",
    ] {
        let path = temp("extreme.toml");
        std::fs::write(&path, format!("horizon_s = 120\n{f}workload = {w}\n")).unwrap();
        let v = json(&["run", path.to_str().unwrap(), "--json"]);
        assert!(v["total"]["requests"].as_u64().unwrap() <= 6_000, "{w}: {}", v["total"]);
    }
}

/// `lambdasim metrics`: region-wide Invocations and Throttles per minute
/// equal the run report's per-minute counts for the same scenario and seed
/// (both count a request in the minute it was invoked); formats and errors.
#[test]
fn metrics_agree_with_the_run_report() {
    let run = json(&["run", "--json", "--horizon-s", "300"]);
    let minutes = run["minutes"].as_array().unwrap();
    let csv = ok(&["metrics", "--horizon-s", "300", "--metric", "Invocations", "--metric", "Throttles"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("timestamp_s,function,metric,statistic,value"));
    let mut seen = 0;
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols.len(), 5, "{line}");
        if !cols[1].is_empty() {
            continue; // per function
        }
        let minute = cols[0].parse::<usize>().unwrap() / 60;
        let field = if cols[2] == "Invocations" { "invocations" } else { "throttles" };
        assert_eq!(cols[3], "Sum");
        assert_eq!(cols[4].parse::<f64>().unwrap(), minutes[minute][field].as_f64().unwrap(), "{line}");
        seen += 1;
    }
    assert!(seen >= 5, "{csv}");
    // JSON lines and EMF parse; EMF names its metrics and the dimension.
    for line in
        ok(&["metrics", "--horizon-s", "120", "--format", "jsonl", "--stat", "p99", "--metric", "Duration"]).lines()
    {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["statistic"], "p99");
    }
    let emf = ok(&["metrics", "--horizon-s", "120", "--format", "emf", "--function", "api"]);
    let first: Value = serde_json::from_str(emf.lines().next().unwrap()).unwrap();
    assert_eq!(first["FunctionName"], "api");
    assert_eq!(first["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0][0], "FunctionName");
    assert!(first["Invocations"].as_f64().unwrap() > 0.0);
    // Bad queries name the flag.
    for (args, flag) in [
        (vec!["metrics", "--metric", "Nope"], "--metric"),
        (vec!["metrics", "--stat", "p200"], "--stat"),
        (vec!["metrics", "--period-s", "45"], "--period-s"),
        (vec!["metrics", "--function", "nope"], "--function"),
        (vec!["metrics", "--period-s", "1", "--horizon-s", "86400"], "--period-s"),
    ] {
        let out = lambdasim(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(flag),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn an_unwritable_output_path_fails_before_the_run() {
    let missing_dir = temp("no-such-dir").join("chart.svg");
    let dir = temp("a-dir");
    std::fs::create_dir_all(&dir).unwrap();
    for path in [missing_dir.to_str().unwrap(), dir.to_str().unwrap()] {
        for args in [
            vec!["run", "--svg", path],
            vec!["metrics", "--svg", path],
            vec!["tune", "--io-ms", "20", "--cpu-ms", "300", "--svg", path],
        ] {
            let out = lambdasim(&args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(&format!("cannot write {path}")), "{args:?}: {err}");
            // Nothing was simulated: the report and datapoints never started.
            assert!(out.stdout.is_empty(), "{args:?} printed before failing");
        }
    }
    // A good path is checked without leaving a file behind when the run fails.
    let good = temp("never.svg");
    let out = lambdasim(&["run", "--horizon-s", "-1", "--svg", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!good.exists());
}
