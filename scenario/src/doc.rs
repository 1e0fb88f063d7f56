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

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col.max(1))?;
        }
        f.write_str(": ")?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
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
            let de = toml::Deserializer::parse(text).map_err(|e| toml_error(file, text, String::new(), &e))?;
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
