//! Scenario limits: every value a run could not handle is refused when the
//! scenario is read, naming the field and the limit, and quoting at most
//! `doc::QUOTE_CHARS` characters of the input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::doc::{DocError, Format};
use lambdasim_scenario::scenario::{self, DistSpec};
use std::path::Path;

fn scenario_with(top: &str, function: &str) -> String {
    format!(
        "{top}\n[[functions]]\nname = \"f\"\nworkload = {{ type = \"poisson\", rate_per_s = 1 }}\nhandler = {{ type = \"fixed\", ms = 10 }}\n{function}\n"
    )
}

/// The error of a TOML scenario, which must be a `DocError` on `field`.
fn doc_error(text: &str, field: &str) -> String {
    let e = scenario::prepare("s.toml", text, Format::Toml, Path::new(".")).expect_err(text);
    let doc = e.downcast_ref::<DocError>().unwrap_or_else(|| panic!("not a DocError: {e:#}"));
    assert!(doc.field.starts_with(field), "{doc}");
    assert!(doc.line > 0, "{doc}");
    let shown = doc.to_string();
    assert!(shown.chars().count() < 700, "{shown}");
    shown
}

#[test]
fn rates_above_the_maximum_name_the_field_and_the_limit() {
    for (w, field, got) in [
        ("{ type = \"poisson\", rate_per_s = 1e300 }", "workload.rate_per_s", "1e300"),
        ("{ type = \"constant\", rate_per_s = 1000000.5 }", "workload.rate_per_s", "1000000.5"),
        ("{ type = \"on_off\", rate_per_s = nan, on_s = 1, off_s = 1 }", "workload.rate_per_s", "NaN"),
        ("{ type = \"ramp\", from_per_s = 1, to_per_s = inf, over_s = 1 }", "workload.to_per_s", "inf"),
        ("{ type = \"ramp\", from_per_s = -1, to_per_s = 1, over_s = 1 }", "workload.from_per_s", "-1"),
    ] {
        let text = format!("[[functions]]\nname = \"f\"\nworkload = {w}\nhandler = {{ type = \"fixed\", ms = 10 }}\n");
        let e = doc_error(&text, &format!("functions[0].{field}"));
        assert!(e.contains("0..=1000000 requests per second") && e.contains(&format!("(got {got})")), "{e}");
    }
    // The maximum itself is fine, and so are the extreme periods and tiny rates that once never ended.
    for w in [
        "{ type = \"poisson\", rate_per_s = 1e6 }",
        "{ type = \"on_off\", rate_per_s = 1e-9, on_s = 0.000001, off_s = 0 }",
        "{ type = \"ramp\", from_per_s = 1e6, to_per_s = 1e-9, over_s = 1 }",
        "{ type = \"poisson\", rate_per_s = 5e-324 }",
    ] {
        let text = format!("[[functions]]\nname = \"f\"\nworkload = {w}\nhandler = {{ type = \"fixed\", ms = 10 }}\n");
        scenario::prepare("s.toml", &text, Format::Toml, Path::new(".")).unwrap();
    }
}

#[test]
fn periods_longer_than_any_run_are_refused() {
    let text = "[[functions]]\nname = \"f\"\nworkload = { type = \"on_off\", rate_per_s = 1, on_s = 1, off_s = 1e300 }\nhandler = { type = \"fixed\", ms = 10 }\n";
    let e = doc_error(text, "functions[0].workload.off_s");
    assert!(e.contains("0..=31622400") && e.contains("(got 1e300)"), "{e}");
}

#[test]
fn the_horizon_states_its_real_limit() {
    for (h, got) in [("1e15", "1e15"), ("0", "0"), ("-1", "-1"), ("nan", "NaN"), ("31622400.5", "31622400.5")] {
        let e = doc_error(&scenario_with(&format!("horizon_s = {h}"), ""), "horizon_s");
        assert!(e.contains("above 0 and at most 31622400 (366 days)") && e.contains(&format!("(got {got})")), "{e}");
    }
    let p = scenario::prepare("s", &scenario_with("horizon_s = 31622400", ""), Format::Toml, Path::new("."));
    assert_eq!(p.unwrap().config.horizon.as_micros(), 31_622_400_000_000);
}

#[test]
fn replications_are_limited_while_reading() {
    for (r, got) in [
        ("1e9", "1000000000"),
        ("1e300", "1e300"),
        ("5000000000", "5000000000"),
        ("0", "0"),
        ("-3", "-3"),
        ("2.5", "2.5"),
    ] {
        let e = doc_error(&scenario_with(&format!("replications = {r}"), ""), "replications");
        assert!(e.contains("whole number in 1..=10000") && e.contains(&format!("(got {got})")), "{e}");
    }
    let json = r#"{"replications": 1e9, "functions": []}"#;
    let e = scenario::prepare("s.json", json, Format::Json, Path::new(".")).unwrap_err();
    assert!(e.to_string().contains("s.json:1:") && e.to_string().contains("1..=10000"), "{e}");
    let p = scenario::prepare("s", &scenario_with("replications = 1e4", ""), Format::Toml, Path::new("."));
    assert_eq!(p.unwrap().scenario.replications, 10_000);
}

#[test]
fn huge_bad_values_are_quoted_short() {
    let long = "z".repeat(1 << 20);
    // A string where a number belongs, an unknown field, a bad variant, a long name.
    let cases = [
        (scenario_with(&format!("seed = \"{long}\""), ""), "seed"),
        (scenario_with("", &format!("{long} = 1")), "functions[0]"),
        (
            format!(
                "[[functions]]\nname = \"f\"\nworkload = {{ type = \"{long}\" }}\nhandler = {{ type = \"fixed\", ms = 1 }}\n"
            ),
            "functions[0].workload",
        ),
        (
            format!(
                "[[functions]]\nname = \"{long}\"\nmemory_mb = 1\nworkload = {{ type = \"idle\" }}\nhandler = {{ type = \"fixed\", ms = 1 }}\n"
            ),
            "functions[0].memory_mb",
        ),
    ];
    for (text, field) in cases {
        let e = doc_error(&text, field);
        // The quote and at most the field path (an unknown key is part of it).
        assert!(e.contains('…') && e.matches('z').count() <= 3 * 80, "{field}: {e}");
    }
}

#[test]
fn distributions_check_their_fields_without_buffering() {
    let with = |h: &str| format!("[[functions]]\nname = \"f\"\nworkload = {{ type = \"idle\" }}\nhandler = {h}\n");
    let e = doc_error(&with("{ type = \"fixed\", ms = 1, sigma = 2 }"), "functions[0].handler");
    assert!(e.contains("unknown field `sigma` for type \"fixed\", expected `ms`"), "{e}");
    let e = doc_error(&with("{ type = \"lognormal\", median_ms = 1 }"), "functions[0].handler");
    assert!(e.contains("missing field `sigma` for type \"lognormal\""), "{e}");
    let e = doc_error(&with("{ type = \"normal\", ms = 1 }"), "functions[0].handler.type");
    assert!(e.contains("unknown variant `normal`"), "{e}");
    let e = doc_error(&with("{ type = \"empirical\", values_ms = [1, 2, -3] }"), "functions[0].handler.values_ms[2]");
    assert!(e.contains("(got -3)"), "{e}");
    let p =
        scenario::prepare("s", &with("{ values_ms = [1, 2.5], type = \"empirical\" }"), Format::Toml, Path::new("."))
            .unwrap();
    assert_eq!(p.scenario.functions[0].handler, DistSpec::Empirical { values_ms: vec![1.0, 2.5] });
    let json = r#"{"functions": [{"name": "f", "workload": {"type": "idle"},
        "handler": {"type": "profile", "io_ms": 1, "cpu_ms": 2, "threads": 2}}]}"#;
    let p = scenario::prepare("s.json", json, Format::Json, Path::new(".")).unwrap();
    assert_eq!(p.scenario.functions[0].handler, DistSpec::Profile { io_ms: 1.0, cpu_ms: 2.0, threads: 2 });
}

#[test]
fn a_scenario_that_is_not_utf8_has_a_position() {
    let dir = std::env::temp_dir().join(format!("lsim-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, b"seed = 1\n# caf\xe9\n").unwrap();
    let e = scenario::read(&path).unwrap_err();
    let doc = e.downcast_ref::<DocError>().expect("a DocError");
    assert_eq!((doc.line, doc.col), (2, 6));
    assert!(doc.to_string().contains("not valid UTF-8"), "{doc}");
}

#[test]
fn long_toml_lists_read_like_short_ones() {
    let values: Vec<f64> = (0..10_000).map(|i| f64::from(i % 977) + 0.25).collect();
    let list = values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",\n   ");
    let text = format!(
        "[[functions]]\nname = \"f\"\nworkload = {{ type = \"idle\" }}\nhandler = {{ type = \"empirical\", values_ms = [\n   {list},  # the end\n] }}\ninit = {{ type = \"empirical\", values_ms = [1, 2] }}\n"
    );
    let p = scenario::prepare("s.toml", &text, Format::Toml, Path::new(".")).unwrap();
    assert_eq!(p.scenario.functions[0].handler, DistSpec::Empirical { values_ms: values.clone() });
    assert_eq!(p.scenario.functions[0].init, Some(DistSpec::Empirical { values_ms: vec![1.0, 2.0] }));
    // An error after the list is still at its own line.
    let bad = format!("{text}memory_mb = 1\n");
    let lines = bad.lines().count();
    let e = doc_error(&bad, "functions[0].memory_mb");
    assert!(e.starts_with(&format!("s.toml:{lines}:1:")), "{e}");
    // A bad value inside is named by its index.
    let bad = text.replace("976.25,", "-976.25,");
    let e = doc_error(&bad, "functions[0].handler.values_ms[976]");
    assert!(e.contains("(got -976.25)"), "{e}");
}
