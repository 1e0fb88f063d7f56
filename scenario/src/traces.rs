//! Trace files: the Azure Functions 2019 per-minute format and a simple
//! per-invocation CSV.

use lambdasim::sim::TraceEvent;
use std::fmt;
use std::path::Path;

/// Why a trace could not be used.
#[derive(Debug)]
pub enum TraceError {
    /// The file could not be read.
    Io(std::io::Error),
    /// A line does not parse.
    Line { line: usize, message: String },
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

fn read(path: &Path) -> Result<String, TraceError> {
    std::fs::read_to_string(path).map_err(TraceError::Io)
}

/// Per-minute invocation counts of the Azure Functions 2019 trace
/// (`HashOwner,HashApp,HashFunction,Trigger,1,...,1440`), summed over the
/// rows whose `HashFunction` is in `functions`.
///
/// # Errors
/// I/O, a malformed line, or a requested function without a row.
pub fn azure_counts(path: &Path, functions: &[String]) -> Result<Vec<u32>, TraceError> {
    let text = read(path)?;
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, h)| h.trim()).unwrap_or("");
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    let minutes = columns.len().saturating_sub(4);
    let expected_prefix = ["HashOwner", "HashApp", "HashFunction", "Trigger"];
    let numbered = columns.iter().skip(4).enumerate().all(|(i, c)| c.parse::<usize>().ok() == Some(i + 1));
    if columns.get(..4) != Some(&expected_prefix[..]) || minutes == 0 || !numbered {
        return Err(TraceError::Header(header.chars().take(80).collect()));
    }
    let mut counts = vec![0u32; minutes];
    let mut found = vec![false; functions.len()];
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = |message: String| TraceError::Line { line: i + 1, message };
        if cells.len() != columns.len() {
            return Err(bad(format!("{} cells, the header has {}", cells.len(), columns.len())));
        }
        let Some(k) = cells.get(2).and_then(|f| functions.iter().position(|g| g == f)) else { continue };
        if let Some(seen) = found.get_mut(k) {
            *seen = true;
        }
        for (slot, cell) in counts.iter_mut().zip(cells.iter().skip(4)) {
            let n: u32 = cell.parse().map_err(|_| bad(format!("count {cell:?} is not a whole number")))?;
            *slot = slot.saturating_add(n);
        }
    }
    if let Some(k) = found.iter().position(|f| !f) {
        return Err(TraceError::Missing(functions.get(k).cloned().unwrap_or_default()));
    }
    Ok(counts)
}

/// The invocations of `function` from a CSV `timestamp_ms,function,duration_ms`
/// (duration optional: empty draws from the handler distribution), sorted by
/// time (stable).
///
/// # Errors
/// I/O, a malformed line, or no rows for the function.
pub fn invocations(path: &Path, function: &str) -> Result<Vec<TraceEvent>, TraceError> {
    let text = read(path)?;
    let mut events = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    if let Some((_, h)) = lines.peek() {
        let h: Vec<&str> = h.split(',').map(str::trim).collect();
        if h.first() == Some(&"timestamp_ms") {
            if h != ["timestamp_ms", "function", "duration_ms"] {
                return Err(TraceError::Header(h.join(",")));
            }
            lines.next();
        }
    }
    for (i, line) in lines {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let bad = |message: String| TraceError::Line { line: i + 1, message };
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let [ts, name, rest @ ..] = cells.as_slice() else {
            return Err(bad("expected timestamp_ms,function,duration_ms".into()));
        };
        if *name != function {
            continue;
        }
        let ms = |s: &str, what: &str| -> Result<u64, TraceError> {
            let x: f64 = s.parse().map_err(|_| bad(format!("{what} {s:?} is not a number")))?;
            if !((0.0..1.8e16).contains(&x)) {
                return Err(bad(format!("{what} {s:?} must be a finite number ≥ 0")));
            }
            Ok((x * 1e3).round() as u64)
        };
        let at_us = ms(ts, "timestamp_ms")?;
        let duration_us = match rest {
            [] | [""] => None,
            [d] => Some(ms(d, "duration_ms")?),
            _ => return Err(bad("more than 3 cells".into())),
        };
        events.push(TraceEvent { at_us, duration_us });
    }
    if events.is_empty() {
        return Err(TraceError::Missing(function.to_owned()));
    }
    events.sort_by_key(|e| e.at_us);
    Ok(events)
}
