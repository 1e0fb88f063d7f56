//! Trace files read as CSV: quoting, headers, comments, ISO-8601 and
//! numeric timestamps, rows of other functions counted, sums that do not
//! fit refused, rows too long refused (with bounded memory).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lambdasim_scenario::traces::{self, MAX_ROW_BYTES, TraceError, TraceRows};
use std::path::PathBuf;

/// A trace file with `text`, unique to the test.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lambdasim-traces-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn azure_header(minutes: usize) -> String {
    let mut h = "HashOwner,HashApp,HashFunction,Trigger".to_owned();
    for m in 1..=minutes {
        h.push_str(&format!(",{m}"));
    }
    h.push('\n');
    h
}

fn at_ms(events: &[lambdasim::sim::TraceEvent]) -> Vec<u64> {
    events.iter().map(|e| e.at_us / 1000).collect()
}

#[test]
fn quoted_function_names_match() {
    let path = file(
        "quoted.csv",
        "timestamp_ms,function,duration_ms\n1,\"orders\",5\n2,orders,\n3,\"other, with a comma\",1\n4, orders ,\n",
    );
    let (events, rows) = traces::invocations(&path, "orders").unwrap();
    assert_eq!(at_ms(&events), [1, 2, 4], "every row of orders, quoted or not");
    assert_eq!(events[0].duration_us, Some(5000));
    assert_eq!(events[1].duration_us, None, "an empty duration draws from the handler");
    assert_eq!(rows, TraceRows { used: 3, other_functions: 1 });

    let mut azure = azure_header(2);
    azure.push_str("o,a,\"orders\",http,1,2\n  \no,a,orders,http,10,20\no,a,\"billing\",timer,5,5\n");
    let (counts, rows) = traces::azure_counts(&file("quoted-azure.csv", &azure), &["orders".into()]).unwrap();
    assert_eq!(counts, [11, 22]);
    assert_eq!(rows, TraceRows { used: 2, other_functions: 1 });
}

#[test]
fn headers_are_optional_and_checked() {
    let (events, _) = traces::invocations(&file("no-header.csv", "5,f,1\n# a comment\n   \n\n3,f,2\n"), "f").unwrap();
    assert_eq!(at_ms(&events), [3, 5], "sorted by time; comment lines skipped");
    let (events, _) = traces::invocations(&file("two-columns.csv", "timestamp,function\n7,f\n"), "f").unwrap();
    assert_eq!(at_ms(&events), [7]);
    let bad = traces::invocations(&file("bad-header.csv", "timestamp_ms,fn,duration_ms\n1,f,1\n"), "f");
    assert!(matches!(bad, Err(TraceError::Header(h)) if h == "timestamp_ms,fn,duration_ms"));
    let azure = traces::azure_counts(&file("bad-azure.csv", "HashOwner,HashApp,Function,Trigger,1\n"), &["f".into()]);
    assert!(matches!(azure, Err(TraceError::Header(_))));
}

#[test]
fn iso_8601_timestamps_start_at_the_earliest_row() {
    let text = "timestamp,function,duration_ms\n\
                2019-07-01T00:00:01.500Z,f,10\n\
                2019-07-01T00:00:00Z,g,\n\
                2019-07-01T02:00:00+02:00,f,\n\
                2019-07-01T00:01:00,f,\n";
    let (events, rows) = traces::invocations(&file("iso.csv", text), "f").unwrap();
    // g's row at 00:00:00 starts the run; +02:00 is the same instant as 00:00Z;
    // no offset means UTC.
    assert_eq!(at_ms(&events), [0, 1_500, 60_000]);
    assert_eq!(rows, TraceRows { used: 3, other_functions: 1 });
    let mixed = traces::invocations(&file("mixed.csv", "2019-07-01T00:00:00Z,f,\n1000,f,\n"), "f");
    let Err(TraceError::Line { line, message }) = mixed else { panic!("{mixed:?}") };
    assert_eq!(line, 2);
    assert!(message.contains("mixed"), "{message}");
    let garbage = traces::invocations(&file("garbage.csv", "yesterday,f,\n"), "f");
    let Err(TraceError::Line { message, .. }) = garbage else { panic!("{garbage:?}") };
    assert!(message.contains("ISO-8601"), "{message}");
}

#[test]
fn rows_that_sum_above_u32_max_are_refused() {
    let mut text = azure_header(2);
    text.push_str(&format!("o,a,f,http,{0},1\no,b,f,http,{0},1\n", u32::MAX));
    let r = traces::azure_counts(&file("overflow.csv", &text), &["f".into()]);
    let Err(TraceError::Line { line, message }) = r else { panic!("{r:?}") };
    assert_eq!(line, 3);
    assert!(message.contains("minute 1") && message.contains("4294967295"), "{message}");
    // One row of u32::MAX alone fits exactly.
    let mut one = azure_header(2);
    one.push_str(&format!("o,a,f,http,{},0\no,b,g,http,{0},{0}\n", u32::MAX));
    let (counts, _) = traces::azure_counts(&file("max.csv", &one), &["f".into()]).unwrap();
    assert_eq!(counts, [u32::MAX, 0]);
}

#[test]
fn a_row_too_long_is_an_error_not_an_allocation() {
    // A header followed by a row of commas longer than the limit.
    let mut text = azure_header(3);
    text.push_str(&",".repeat(usize::try_from(MAX_ROW_BYTES).unwrap() + (1 << 20)));
    let r = traces::azure_counts(&file("commas.csv", &text), &["f".into()]);
    let Err(TraceError::Line { line, message }) = r else { panic!("{r:?}") };
    assert_eq!(line, 2);
    assert!(message.contains("longer than 4 MiB"), "{message}");
    let r = traces::invocations(&file("commas-inv.csv", &",".repeat(5 << 20)), "f");
    assert!(matches!(r, Err(TraceError::Line { line: 1, .. })), "{r:?}");
    // A short row of commas is a cell-count error.
    let mut short = azure_header(3);
    short.push_str(",,,,,,,,,,\n");
    let r = traces::azure_counts(&file("short.csv", &short), &["f".into()]);
    assert!(matches!(r, Err(TraceError::Line { line: 2, ref message }) if message.contains("11 cells")), "{r:?}");
}

#[test]
fn the_sample_traces_still_read() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/traces");
    let (events, rows) = traces::invocations(&dir.join("invocations-sample.csv"), "thumbnail").unwrap();
    assert_eq!(rows.used, events.len() as u64);
    assert!(rows.other_functions > 0, "the sample mixes functions");
    assert!(events.windows(2).all(|w| w[0].at_us <= w[1].at_us));
}
