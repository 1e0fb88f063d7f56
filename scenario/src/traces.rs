//! Trace files: the Azure Functions 2019 per-minute format and a simple
//! per-invocation CSV.
//!
//! Both are read as CSV with the `csv` crate (quoted fields, `#` comment
//! lines, cells trimmed), one row at a time: memory holds one row (at most
//! [`MAX_ROW_BYTES`]) plus what the trace yields, whatever the file's size.
//! Rows that are not used are counted ([`TraceRows`]) so a run can say what
//! it left out.

use lambdasim::sim::TraceEvent;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// The longest row a trace may hold, in bytes (a day of per-minute counts
/// is about 10 KiB).
pub const MAX_ROW_BYTES: u64 = 4 << 20;

/// Why a trace could not be used.
#[derive(Debug)]
pub enum TraceError {
    /// The file could not be read.
    Io(std::io::Error),
    /// A line does not parse.
    Line { line: u64, message: String },
    /// The header is not the expected one.
    Header(String),
    /// No rows for a requested function.
    Missing(String),
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceError::Io(e) => write!(f, "{e}"),
            TraceError::Line { line, message } => write!(f, "line {line}: {message}"),
            TraceError::Header(h) => write!(f, "unexpected header: {h}"),
            TraceError::Missing(name) => write!(f, "no rows for function \"{name}\""),
        }
    }
}

impl std::error::Error for TraceError {}

/// How a trace's rows were used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceRows {
    /// Rows of the requested function(s).
    pub used: u64,
    /// Rows of other functions, skipped.
    pub other_functions: u64,
}

/// The file under a row-length guard: counts the bytes read since the last
/// row ended and fails past [`MAX_ROW_BYTES`] (plus the reader's buffer).
struct RowLimit<R> {
    inner: R,
    since_row: u64,
    too_long: bool,
}

impl<R: Read> Read for RowLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.since_row = self.since_row.saturating_add(n as u64);
        if self.since_row > MAX_ROW_BYTES + (64 << 10) {
            self.too_long = true;
            return Err(std::io::Error::other("row too long"));
        }
        Ok(n)
    }
}

/// A CSV reader of `path` yielding rows one at a time.
struct Rows {
    reader: csv::Reader<RowLimit<std::fs::File>>,
    record: csv::StringRecord,
}

impl Rows {
    fn open(path: &Path) -> Result<Self, TraceError> {
        let file = std::fs::File::open(path).map_err(TraceError::Io)?;
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(RowLimit { inner: file, since_row: 0, too_long: false });
        Ok(Rows { reader, record: csv::StringRecord::new() })
    }

    /// The next row, or `None` at the end.
    fn next(&mut self) -> Result<Option<&csv::StringRecord>, TraceError> {
        let mut line = self.reader.position().line();
        let mut read = self.reader.read_record(&mut self.record);
        // A line of blanks only is no row.
        while matches!(read, Ok(true)) && self.record.len() == 1 && self.record.get(0) == Some("") {
            self.reader.get_mut().since_row = 0;
            line = self.reader.position().line();
            read = self.reader.read_record(&mut self.record);
        }
        match read {
            Ok(true) => {
                self.reader.get_mut().since_row = 0;
                Ok(Some(&self.record))
            }
            Ok(false) => Ok(None),
            Err(_) if self.reader.get_ref().too_long => Err(TraceError::Line {
                line: line.max(1),
                message: format!("a row longer than {} MiB", MAX_ROW_BYTES >> 20),
            }),
            Err(e) => match e.into_kind() {
                csv::ErrorKind::Io(e) => Err(TraceError::Io(e)),
                csv::ErrorKind::Utf8 { pos, .. } => {
                    Err(TraceError::Line { line: pos.map_or(line, |p| p.line()), message: "not valid UTF-8".into() })
                }
                kind => Err(TraceError::Line { line, message: format!("{kind:?}") }),
            },
        }
    }
}

/// The line a row starts on (1-based).
fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

/// Per-minute invocation counts of the Azure Functions 2019 trace
/// (`HashOwner,HashApp,HashFunction,Trigger,1,...,1440`), summed over the
/// rows whose `HashFunction` is in `functions`, and how many rows were used
/// and skipped.
///
/// # Errors
/// I/O, a malformed line, a minute whose rows sum above `u32::MAX`
/// invocations, or a requested function without a row.
pub fn azure_counts(path: &Path, functions: &[String]) -> Result<(Vec<u32>, TraceRows), TraceError> {
    let mut rows = Rows::open(path)?;
    let header: Vec<String> = rows.next()?.map(|r| r.iter().map(str::to_owned).collect()).unwrap_or_default();
    let minutes = header.len().saturating_sub(4);
    let expected_prefix = ["HashOwner", "HashApp", "HashFunction", "Trigger"];
    let numbered = header.iter().skip(4).enumerate().all(|(i, c)| c.parse::<usize>().ok() == Some(i + 1));
    if header.get(..4).is_none_or(|p| p != expected_prefix) || minutes == 0 || !numbered {
        return Err(TraceError::Header(header.join(",").chars().take(80).collect()));
    }
    let mut counts = vec![0u32; minutes];
    let mut found = vec![false; functions.len()];
    let mut stats = TraceRows::default();
    while let Some(cells) = rows.next()? {
        let line = line_of(cells);
        let bad = |message: String| TraceError::Line { line, message };
        if cells.len() != header.len() {
            return Err(bad(format!("{} cells, the header has {}", cells.len(), header.len())));
        }
        let Some(k) = cells.get(2).and_then(|f| functions.iter().position(|g| g == f)) else {
            stats.other_functions += 1;
            continue;
        };
        stats.used += 1;
        if let Some(seen) = found.get_mut(k) {
            *seen = true;
        }
        for (minute, (slot, cell)) in counts.iter_mut().zip(cells.iter().skip(4)).enumerate() {
            let n: u32 = cell.parse().map_err(|_| bad(format!("count {cell:?} is not a whole number")))?;
            *slot = slot.checked_add(n).ok_or_else(|| {
                bad(format!("minute {}: the requested functions' rows sum above {} invocations", minute + 1, u32::MAX))
            })?;
        }
    }
    if let Some(k) = found.iter().position(|f| !f) {
        return Err(TraceError::Missing(functions.get(k).cloned().unwrap_or_default()));
    }
    Ok((counts, stats))
}

/// How a row gives its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clock {
    /// Milliseconds from the start of the run.
    Millis,
    /// ISO-8601 date-times: the earliest in the file is the start of the run.
    Iso,
}

/// A row's time as an order-preserving key in microseconds: milliseconds
/// as they are, an ISO-8601 date-time (an offset, or none for UTC) shifted
/// from `i64` to `u64`.
fn timestamp_key(cell: &str) -> Result<(Clock, u64), String> {
    if let Ok(x) = cell.parse::<f64>() {
        return millis_us(cell, x, "timestamp_ms").map(|us| (Clock::Millis, us));
    }
    let us = match cell.parse::<jiff::Timestamp>() {
        Ok(t) => t.as_microsecond(),
        Err(_) => match cell.parse::<jiff::civil::DateTime>() {
            Ok(dt) => jiff::tz::Offset::UTC.to_timestamp(dt).map_err(|e| e.to_string())?.as_microsecond(),
            Err(_) => {
                return Err(format!(
                    "timestamp {cell:?} is neither milliseconds nor an ISO-8601 date-time (2019-07-01T00:00:00.250Z)"
                ));
            }
        },
    };
    Ok((Clock::Iso, us.wrapping_sub(i64::MIN) as u64))
}

/// Milliseconds `x` (written `cell`) in whole microseconds.
fn millis_us(cell: &str, x: f64, what: &str) -> Result<u64, String> {
    if !((0.0..1.8e16).contains(&x)) {
        return Err(format!("{what} {cell:?} must be a finite number ≥ 0"));
    }
    Ok((x * 1e3).round() as u64)
}

/// The invocations of `function` from a CSV `timestamp_ms,function,duration_ms`
/// (duration optional: empty draws from the handler distribution), sorted by
/// time (stable), and how many rows were used and skipped.
///
/// Timestamps are milliseconds from the start of the run, or ISO-8601
/// date-times (`2019-07-01T00:00:00.250Z`; no offset means UTC) of which
/// the earliest in the file, any function's, starts the run. A header row
/// (`timestamp_ms` or `timestamp`, then `function`, then optionally
/// `duration_ms`) is optional.
///
/// # Errors
/// I/O, a malformed line, numeric and ISO-8601 timestamps mixed, or no rows
/// for the function.
pub fn invocations(path: &Path, function: &str) -> Result<(Vec<TraceEvent>, TraceRows), TraceError> {
    let mut rows = Rows::open(path)?;
    let mut events = Vec::new();
    let mut stats = TraceRows::default();
    let mut clock = None;
    let mut origin = u64::MAX;
    let mut first = true;
    while let Some(cells) = rows.next()? {
        let line = line_of(cells);
        let bad = |message: String| TraceError::Line { line, message };
        if std::mem::take(&mut first) && matches!(cells.get(0), Some("timestamp_ms" | "timestamp")) {
            let names: Vec<&str> = cells.iter().skip(1).collect();
            if names != ["function", "duration_ms"] && names != ["function"] {
                return Err(TraceError::Header(cells.iter().collect::<Vec<_>>().join(",")));
            }
            continue;
        }
        let (ts, name, rest) = match (cells.get(0), cells.get(1), cells.len()) {
            (Some(ts), Some(name), 2 | 3) => (ts, name, cells.get(2).unwrap_or("")),
            (_, _, n) if n > 3 => return Err(bad("more than 3 cells".into())),
            _ => return Err(bad("expected timestamp_ms,function,duration_ms".into())),
        };
        let (kind, key) = timestamp_key(ts).map_err(bad)?;
        if *clock.get_or_insert(kind) != kind {
            return Err(bad("numeric and ISO-8601 timestamps mixed in one file".into()));
        }
        origin = origin.min(key);
        if name != function {
            stats.other_functions += 1;
            continue;
        }
        let duration_us = match rest {
            "" => None,
            d => {
                let x: f64 = d.parse().map_err(|_| bad(format!("duration_ms {d:?} is not a number")))?;
                Some(millis_us(d, x, "duration_ms").map_err(bad)?)
            }
        };
        stats.used += 1;
        events.push(TraceEvent { at_us: key, duration_us });
    }
    if events.is_empty() {
        return Err(TraceError::Missing(function.to_owned()));
    }
    // Milliseconds count from the run's start; date-times from the earliest.
    let origin = if clock == Some(Clock::Iso) { origin } else { 0 };
    for e in &mut events {
        e.at_us = e.at_us.saturating_sub(origin);
    }
    events.sort_by_key(|e| e.at_us);
    Ok((events, stats))
}
