//! Long `values_ms` lists in TOML, read without the TOML parser.
//!
//! The `toml` crate builds a tree of spanned values (and its tokens) before
//! deserializing: about 300 bytes per number, 30 times the text. Before
//! parsing, [`lift`] takes every `values_ms = [...]` list of at least
//! [`LONG_LIST`] plain decimal numbers out of the text, parses it straight
//! into a vector, and leaves in its place a short placeholder list padded
//! with spaces (newlines kept), so every byte offset, line and column stays
//! where it was. The scenario's `values_ms` reader swaps the placeholder
//! for the vector ([`take`]). A list with anything else in it (strings,
//! `inf`, nested lists, a malformed number) is left to the TOML parser.

use std::cell::RefCell;

/// Lists shorter than this go through the TOML parser.
pub const LONG_LIST: usize = 4_096;

/// The placeholder's first value: negative, so a real list holding it is
/// refused anyway (durations are ≥ 0).
const MARK: f64 = -7.0e-300;

thread_local! {
    /// The lists lifted from the document being parsed on this thread.
    static LIFTED: RefCell<Vec<Option<Vec<f64>>>> = const { RefCell::new(Vec::new()) };
}

/// While alive, the lists lifted from one document are available to [`take`].
pub struct Lifted(());

impl Drop for Lifted {
    fn drop(&mut self) {
        LIFTED.with(|l| l.borrow_mut().clear());
    }
}

/// `text` with its long `values_ms` lists replaced by placeholders, or
/// `None` when it has none; the lists stay available to [`take`] on this
/// thread until the returned guard drops.
pub fn lift(text: &str) -> Option<(String, Lifted)> {
    let mut out: Option<String> = None;
    let mut lists = Vec::new();
    for (at, _) in text.match_indices("values_ms") {
        let Some((open, close)) = list_after_key(text, at) else { continue };
        let Some(values) = text.get(open + 1..close).and_then(numbers) else { continue };
        if values.len() < LONG_LIST {
            continue;
        }
        let buf = out.get_or_insert_with(|| text.to_owned());
        let padded = placeholder(buf.get(open + 1..close).unwrap_or_default(), lists.len());
        // Same length and the same line breaks: everything after the list stays put.
        if padded.len() != close - open - 1 {
            return None;
        }
        buf.replace_range(open + 1..close, &padded);
        lists.push(Some(values));
    }
    let text = out?;
    LIFTED.with(|l| *l.borrow_mut() = lists);
    Some((text, Lifted(())))
}

/// The placeholder of list `index` for a list's ASCII inside: the mark and
/// the index, spaces, then the inside's line breaks (a list spans lines
/// freely), as long in bytes as the inside.
fn placeholder(inside: &str, index: usize) -> String {
    let mut out = format!("{MARK:e}, {index}");
    let breaks: String = inside.matches(['\n', '\r']).collect();
    let spaces = inside.len().saturating_sub(out.len() + breaks.len());
    out.extend(std::iter::repeat_n(' ', spaces));
    out.push_str(&breaks);
    out
}

/// The lifted list a placeholder `values` stands for, if it is one.
pub fn take(values: &[f64]) -> Option<Vec<f64>> {
    let [mark, index] = values else { return None };
    if *mark != MARK || index.fract() != 0.0 || *index < 0.0 {
        return None;
    }
    LIFTED.with(|l| l.borrow_mut().get_mut(*index as usize).and_then(Option::take))
}

/// The byte offsets of `[` and `]` of the list assigned to the key at
/// `at`, when it is a bare key (not inside a comment or a string on its
/// line) followed by `=` and `[`.
fn list_after_key(text: &str, at: usize) -> Option<(usize, usize)> {
    let before = text.get(..at)?;
    let line = before.rsplit('\n').next().unwrap_or(before);
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if line.contains('#') || line.matches('"').count() % 2 == 1 || line.matches('\'').count() % 2 == 1 {
        return None;
    }
    if line.chars().next_back().is_some_and(bare) {
        return None;
    }
    let rest = text.get(at + "values_ms".len()..)?;
    let after_eq = rest.trim_start_matches([' ', '\t']).strip_prefix('=')?;
    let list = after_eq.trim_start_matches([' ', '\t']);
    if !list.starts_with('[') {
        return None;
    }
    let open = text.len() - list.len();
    let close = open + list.find(']')?;
    Some((open, close))
}

/// The numbers of a list's inside: decimal TOML integers and floats
/// separated by commas (a trailing one allowed), with spaces, newlines and
/// comments between them. `None` for anything else.
fn numbers(inside: &str) -> Option<Vec<f64>> {
    let mut values = Vec::new();
    let mut cleaned = String::with_capacity(inside.len());
    for line in inside.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let code = line.split('#').next().unwrap_or("");
        cleaned.push_str(code);
        cleaned.push(' ');
        if !line.is_ascii() {
            return None;
        }
    }
    let last = cleaned.matches(',').count();
    for (i, item) in cleaned.split(',').enumerate() {
        let item = item.trim_matches([' ', '\t']);
        if item.is_empty() && i == last && i > 0 {
            break;
        }
        values.push(decimal(item)?);
    }
    Some(values)
}

/// A TOML decimal integer or float (`-1_000.5e3`), strictly.
fn decimal(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits_ok = |d: &str| {
        !d.is_empty()
            && !d.starts_with('_')
            && !d.ends_with('_')
            && !d.contains("__")
            && d.chars().all(|c| c.is_ascii_digit() || c == '_')
    };
    let int_ok = digits_ok(int) && !(int.len() > 1 && int.starts_with('0'));
    let frac_ok = frac.is_none_or(digits_ok);
    let exp_ok = exponent.is_none_or(|e| digits_ok(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !(int_ok && frac_ok && exp_ok) {
        return None;
    }
    s.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_list(n: usize) -> String {
        (0..n).map(|i| format!("{}.5", i % 1000)).collect::<Vec<_>>().join(",\n  ")
    }

    #[test]
    fn decimals_follow_toml() {
        for (s, v) in [("1", 1.0), ("-2.5", -2.5), ("1_000", 1000.0), ("3e2", 300.0), ("+1.5E-1", 0.15), ("0.01", 0.01)]
        {
            assert_eq!(decimal(s), Some(v), "{s}");
        }
        for s in ["", "01", "1__0", "_1", "1.", ".5", "1e", "inf", "nan", "0x10", "1,5", "\"1\""] {
            assert_eq!(decimal(s), None, "{s}");
        }
    }

    #[test]
    fn long_lists_are_lifted_in_place() {
        let text = format!(
            "# values_ms = [1]\n[[functions]]\nhandler = {{ type = \"empirical\", values_ms = [\n  {}, # last\n] }}\nname = \"x\"\n",
            long_list(LONG_LIST)
        );
        let (lifted, guard) = lift(&text).unwrap();
        assert_eq!(lifted.len(), text.len());
        assert_eq!(lifted.matches('\n').count(), text.matches('\n').count());
        assert!(lifted.ends_with("] }\nname = \"x\"\n") && lifted.starts_with("# values_ms = [1]\n"));
        let values = take(&[MARK, 0.0]).unwrap();
        assert_eq!((values.len(), values[0], values[LONG_LIST - 1]), (LONG_LIST, 0.5, 95.5));
        assert_eq!(take(&[MARK, 0.0]), None, "taken once");
        drop(guard);
        // Short lists, and lists the fast path does not read, are left alone.
        assert!(lift("values_ms = [1, 2]").is_none());
        assert!(lift(&format!("values_ms = [{}, inf]", long_list(LONG_LIST))).is_none());
        assert!(lift(&format!("x = \"values_ms = [{}]\"", long_list(LONG_LIST))).is_none());
    }
}
