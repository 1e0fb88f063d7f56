//! Reading TOML and JSON documents (scenarios, usage files) with errors that
//! name the file, the line and column, and the field.

use serde::de::DeserializeOwned;
use std::fmt;
use std::path::Path;

/// A document that failed to parse or made no sense: the CLI exits 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub col: usize,
    /// The field path, e.g. `functions[0].workload` (empty for the whole file).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Displayed as `file:line:col: field: message`, with every quoted piece
/// of the input (between `"` or backquotes) cut to [`QUOTE_CHARS`]
/// characters, the field to twice that and the message to
/// [`MESSAGE_CHARS`], so a huge bad value is never echoed whole.
impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col.max(1))?;
        }
        f.write_str(": ")?;
        if !self.field.is_empty() {
            // A field path holds the names of unknown keys: cut it like a quote.
            match self.field.char_indices().nth(2 * QUOTE_CHARS) {
                Some((at, _)) => write!(f, "{}…: ", self.field.get(..at).unwrap_or_default())?,
                None => write!(f, "{}: ", self.field)?,
            }
        }
        f.write_str(&clip(&self.message))
    }
}

/// At most this many characters of a quoted input are shown in a message.
pub const QUOTE_CHARS: usize = 80;
/// At most this many characters of a message (after quotes are cut) are shown.
pub const MESSAGE_CHARS: usize = 1_000;

/// `s` with every piece between `"` (skipping `\"`) or backquotes longer
/// than [`QUOTE_CHARS`] cut there with `…`, then the whole cut to
/// [`MESSAGE_CHARS`]. An unclosed quote counts to the end.
pub fn clip(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MESSAGE_CHARS + 8));
    let mut chars = s.chars();
    let mut shown = 0usize;
    while let Some(c) = chars.next() {
        if shown >= MESSAGE_CHARS {
            out.push('…');
            break;
        }
        out.push(c);
        shown += 1;
        if c != '"' && c != '`' {
            continue;
        }
        let (mut inside, mut escaped) = (0usize, false);
        for q in chars.by_ref() {
            let closing = q == c && !escaped;
            escaped = c == '"' && q == '\\' && !escaped;
            if closing {
                out.push(q);
                shown += 1;
                break;
            }
            inside += 1;
            if inside <= QUOTE_CHARS {
                out.push(q);
                shown += 1;
            } else if inside == QUOTE_CHARS + 1 {
                out.push('…');
            }
        }
    }
    out
}

/// A number as messages show it: plain when moderate, `1e300` or `5e-324`
/// when very large or small (Rust's plain form would print every digit).
pub fn number(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-6..1e15).contains(&x.abs()) { format!("{x:e}") } else { format!("{x}") }
}

/// `bytes` (a `what`, e.g. "scenario") as UTF-8, or a [`DocError`] at the
/// line and column of the first byte that is not, saying "the `what` is
/// not valid UTF-8" (the C ABI's message and position).
///
/// # Errors
/// The [`DocError`] when `bytes` is not UTF-8.
pub fn utf8<'a>(file: &str, bytes: &'a [u8], what: &str) -> Result<&'a str, DocError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).and_then(|t| std::str::from_utf8(t).ok()).unwrap_or("");
        let (line, col) = line_col(valid, valid.len());
        let message = format!("the {what} is not valid UTF-8");
        DocError { file: file.to_owned(), line, col, field: String::new(), message }
    })
}

impl std::error::Error for DocError {}

/// The format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// By extension, else by content (a leading `{` is JSON).
    pub fn detect(path: &Path, text: &str) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("json") => Format::Json,
            Some("toml") => Format::Toml,
            _ if text.trim_start().starts_with('{') => Format::Json,
            _ => Format::Toml,
        }
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(1, |s| s.chars().count() + 1);
    (line, col)
}

/// The serde path as users write it (`functions[0].workload`).
fn path_string(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." { String::new() } else { p }
}

/// Parses `text` (named `file`) as `format` into `T`.
///
/// # Errors
/// A [`DocError`] naming the line, column and field.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str, format: Format) -> Result<T, DocError> {
    match format {
        Format::Toml => {
            // Long number lists skip the TOML parser's tree; offsets stay the same.
            let lifted = crate::lists::lift(text);
            let source = lifted.as_ref().map_or(text, |(t, _)| t.as_str());
            let de = toml::Deserializer::parse(source).map_err(|e| toml_error(file, text, String::new(), &e))?;
            serde_path_to_error::deserialize(de).map_err(|e| {
                let field = path_string(e.path());
                toml_error(file, text, field, e.inner())
            })
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let field = path_string(e.path());
                json_error(file, field, e.inner())
            })?;
            de.end().map_err(|e| json_error(file, String::new(), &e))?;
            Ok(value)
        }
    }
}

fn toml_error(file: &str, text: &str, field: String, e: &toml::de::Error) -> DocError {
    let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
    DocError { file: file.to_owned(), line, col, field, message: e.message().trim().to_owned() }
}

fn json_error(file: &str, field: String, e: &serde_json::Error) -> DocError {
    // serde_json appends " at line L column C" to its messages: keep the bare message.
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_owned(),
        None => full,
    };
    DocError { file: file.to_owned(), line: e.line(), col: e.column(), field, message }
}

/// Finds where a key is written, for semantic errors found after parsing.
///
/// Best effort on the text: in TOML, `section` is a table header name
/// (`region`, or `functions` with the array index `item`), then `key` is the
/// first `key =` line inside it; in JSON, the search starts after the
/// `item`-th `"name": "<name>"` (functions) or `"section":`, then finds
/// `"key"`. Falls back to the section, then to line 1.
pub struct Locator<'a> {
    text: &'a str,
    format: Format,
}

impl<'a> Locator<'a> {
    /// A locator over `text`.
    pub fn new(text: &'a str, format: Format) -> Self {
        Locator { text, format }
    }

    /// Line and column of `key` in the top level, `[section]`, or the
    /// `item`-th `[[section]]` (with `name` for JSON).
    pub fn find(&self, section: Option<(&str, Option<usize>, Option<&str>)>, key: Option<&str>) -> (usize, usize) {
        match self.format {
            Format::Toml => self.find_toml(section, key),
            Format::Json => self.find_json(section, key),
        }
        .unwrap_or((1, 1))
    }

    fn find_toml(
        &self,
        section: Option<(&str, Option<usize>, Option<&str>)>,
        key: Option<&str>,
    ) -> Option<(usize, usize)> {
        let mut in_target = section.is_none();
        let mut seen_items = 0usize;
        let mut section_pos = None;
        for (i, raw) in self.text.lines().enumerate() {
            let line = raw.trim_start();
            let indent = raw.len() - line.len();
            if line.starts_with('[') {
                in_target = false;
                if let Some((name, item, _)) = section {
                    let header = line.split('#').next().unwrap_or("").trim();
                    if item.is_some() && header == format!("[[{name}]]") {
                        if Some(seen_items) == item {
                            in_target = true;
                            section_pos = Some((i + 1, indent + 1));
                        }
                        seen_items += 1;
                    } else if item.is_none() && header == format!("[{name}]") {
                        in_target = true;
                        section_pos = Some((i + 1, indent + 1));
                    }
                }
                continue;
            }
            if in_target
                && let Some(key) = key
                && let Some(rest) = line.strip_prefix(key)
                && rest.trim_start().starts_with('=')
            {
                return Some((i + 1, indent + 1));
            }
        }
        section_pos
    }

    fn find_json(
        &self,
        section: Option<(&str, Option<usize>, Option<&str>)>,
        key: Option<&str>,
    ) -> Option<(usize, usize)> {
        let text = self.text;
        let mut start = 0usize;
        let mut anchor = None;
        if let Some((name, item, fname)) = section {
            let pos = match (item, fname) {
                (Some(_), Some(fname)) => find_json_pair(text, "name", fname, 0),
                _ => text.find(&format!("\"{name}\"")),
            };
            if let Some(p) = pos {
                start = p;
                anchor = Some(line_col(text, p));
            }
        }
        if let Some(key) = key
            && let Some(p) = text.get(start..).and_then(|t| t.find(&format!("\"{key}\"")))
        {
            return Some(line_col(text, start + p));
        }
        anchor
    }
}

/// Offset of `"key": "value"` (any spacing) at or after `from`.
fn find_json_pair(text: &str, key: &str, value: &str, from: usize) -> Option<usize> {
    let needle = format!("\"{key}\"");
    let mut at = from;
    while let Some(p) = text.get(at..).and_then(|t| t.find(&needle)) {
        let k = at + p;
        let rest = text.get(k + needle.len()..)?.trim_start();
        if let Some(v) = rest.strip_prefix(':')
            && v.trim_start().starts_with(&format!("\"{value}\""))
        {
            return Some(k);
        }
        at = k + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_long_quotes_and_messages() {
        let long = "z".repeat(10_000);
        let m = clip(&format!("invalid type: string \"{long}\", expected u32"));
        assert!(m.starts_with("invalid type: string \"zzz") && m.ends_with("…\", expected u32"), "{m}");
        assert_eq!(m.chars().filter(|&c| c == 'z').count(), QUOTE_CHARS);
        let m = clip(&format!("unknown field `{long}`, expected `a`"));
        assert!(m.ends_with("…`, expected `a`") && m.len() < 200, "{m}");
        // Escaped quotes stay inside; short quotes are untouched.
        assert_eq!(clip(r#"a "b\"c" `d`"#), r#"a "b\"c" `d`"#);
        assert!(clip(&"y".repeat(5_000)).chars().count() <= MESSAGE_CHARS + 1);
        assert!(clip(&format!("\"{long}")).chars().count() <= QUOTE_CHARS + 2);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(1e300), "1e300");
        assert_eq!(number(5e-324), "5e-324");
        assert_eq!(number(1e15), "1e15");
        assert_eq!(
            (number(2.5), number(0.0), number(f64::NAN), number(-3.0)),
            ("2.5".into(), "0".into(), "NaN".into(), "-3".into())
        );
    }

    #[test]
    fn utf8_errors_have_a_position() {
        let e = utf8("s.toml", b"seed = 1\nname = \"a\xffb\"", "scenario").unwrap_err();
        assert_eq!((e.line, e.col), (2, 10));
        assert_eq!(e.to_string(), "s.toml:2:10: the scenario is not valid UTF-8");
        assert_eq!(utf8("s", b"ok", "scenario").unwrap(), "ok");
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn locator_finds_keys() {
        let t = "seed = 1\n[region]\naccount_limit = 5\n[[functions]]\nname = \"a\"\n[[functions]]\nname = \"b\"\n  memory_mb = 127\n";
        let l = Locator::new(t, Format::Toml);
        assert_eq!(l.find(Some(("region", None, None)), Some("account_limit")), (3, 1));
        assert_eq!(l.find(Some(("functions", Some(1), Some("b"))), Some("memory_mb")), (8, 3));
        assert_eq!(l.find(Some(("functions", Some(1), Some("b"))), Some("nothing")), (6, 1));
        let j = "{\n \"functions\": [\n  {\"name\": \"a\"},\n  {\"name\": \"b\",\n   \"memory_mb\": 127}]}";
        let l = Locator::new(j, Format::Json);
        assert_eq!(l.find(Some(("functions", Some(1), Some("b"))), Some("memory_mb")), (5, 4));
    }
}
