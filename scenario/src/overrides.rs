//! Overrides: `PATH=VALUE` assignments applied to a scenario document
//! before it is read (`lambdasim run --set`, `lambdasim sweep --set`, the
//! C ABI's sweeps).
//!
//! An override changes the document's tree of values, not the parsed
//! scenario: the changed document goes through exactly the checks of a
//! file written that way, so an override can never produce a scenario a
//! file could not. Paths name a field the way error messages do:
//! `region.account_limit`, `functions[0].memory_mb`,
//! `functions[name=api].provisioned`, `functions[0].workload.rate_per_s`.
//! A missing table on the way (`region` in a file with no `[region]`) is
//! created; a missing function is an error naming the path.

use crate::doc::{self, DocError, Format};
use crate::scenario::{self, Prepared};
use std::path::Path;

/// Longest path or value text accepted (a path names a field; a value is
/// one TOML value such as `{ type = "poisson", rate_per_s = 5 }`).
pub const MAX_SET_CHARS: usize = 4_096;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// A table's key.
    Key(String),
    /// An array's element by position.
    Index(usize),
    /// The element of an array of tables whose `name` is this.
    Named(String),
}

/// A field path such as `functions[name=api].provisioned`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// As written.
    pub text: String,
    steps: Vec<Step>,
}

impl FieldPath {
    /// Parses a path: keys (letters, digits, `_`, `-`) joined by `.`, each
    /// followed by any number of `[N]` or `[name=NAME]` (`NAME` optionally
    /// in double quotes).
    ///
    /// # Errors
    /// A message saying what is wrong with the path.
    pub fn parse(text: &str) -> Result<FieldPath, String> {
        let bad = |why: &str| format!("bad path {}: {why}", quoted(text));
        if text.len() > MAX_SET_CHARS {
            return Err(bad(&format!("longer than {MAX_SET_CHARS} bytes")));
        }
        let mut steps = Vec::new();
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err(bad("empty"));
        }
        loop {
            let key_len =
                rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
            let (key, after) = rest.split_at(key_len);
            if key.is_empty() {
                return Err(bad("expected a field name, e.g. functions[0].memory_mb"));
            }
            steps.push(Step::Key(key.to_owned()));
            rest = after;
            while let Some(inside) = rest.strip_prefix('[') {
                let close = inside.find(']').ok_or_else(|| bad("a [ without its ]"))?;
                let (index, after) = inside.split_at(close);
                steps.push(index_step(index).ok_or_else(|| bad("expected [N] or [name=NAME] after a field"))?);
                rest = after.get(1..).unwrap_or_default();
            }
            if rest.is_empty() {
                return Ok(FieldPath { text: text.trim().to_owned(), steps });
            }
            rest = rest.strip_prefix('.').ok_or_else(|| bad("expected . or [ between fields"))?;
        }
    }
}

/// `N` or `name=NAME` inside brackets.
fn index_step(inside: &str) -> Option<Step> {
    let inside = inside.trim();
    if let Some(name) = inside.strip_prefix("name").map(str::trim_start).and_then(|s| s.strip_prefix('=')) {
        let name = name.trim();
        let name = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')).unwrap_or(name);
        return (!name.is_empty()).then(|| Step::Named(name.to_owned()));
    }
    inside.parse().ok().map(Step::Index)
}

fn quoted(s: &str) -> String {
    doc::clip(&format!("\"{}\"", s.replace('"', "\\\"")))
}

/// A value as `PATH=VALUE` writes it: any TOML value (`512`, `0.5`,
/// `true`, `"api"`, `[1, 2]`, `{ type = "fixed", ms = 20 }`); a word that
/// is not TOML (`arm64`, `us-east-1`, `100ms`) is a string.
///
/// # Errors
/// A message when the text is empty, spans lines or is too long.
pub fn parse_value(text: &str) -> Result<toml::Value, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no value after =".into());
    }
    if text.len() > MAX_SET_CHARS {
        return Err(format!("value longer than {MAX_SET_CHARS} bytes"));
    }
    if text.contains(['\n', '\r']) {
        return Err(format!("value {} spans lines", quoted(text)));
    }
    if let Ok(mut t) = format!("v = {text}").parse::<toml::Table>()
        && t.len() == 1
        && let Some(v) = t.remove("v")
    {
        return Ok(v);
    }
    let word = text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/'));
    if word {
        Ok(toml::Value::String(text.to_owned()))
    } else {
        Err(format!("value {} is not a TOML value (quote a string: \"...\")", quoted(text)))
    }
}

/// One assignment: a path and the value set there.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: FieldPath,
    pub value: toml::Value,
    /// The value as written (for messages and the sweep's columns).
    pub shown: String,
}

impl Override {
    /// Parses `PATH=VALUE`.
    ///
    /// # Errors
    /// A message naming the path or value that is wrong.
    pub fn parse(spec: &str) -> Result<Override, String> {
        // `functions[name=api].x=1`: the first `=` outside brackets splits.
        let at = split_outside_brackets(spec)
            .ok_or_else(|| format!("{}: expected PATH=VALUE, e.g. functions[0].memory_mb=512", quoted(spec)))?;
        let (path, value) = (spec.get(..at).unwrap_or_default(), spec.get(at + 1..).unwrap_or_default());
        let path = FieldPath::parse(path)?;
        let value = parse_value(value).map_err(|e| format!("{}: {e}", path.text))?;
        Ok(Override { shown: shown(&value), path, value })
    }
}

/// Byte offset of the first `=` not inside `[...]` (with unbalanced
/// brackets, the first `=`: the path's own check then says what is wrong).
fn split_outside_brackets(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '=' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    s.find('=')
}

/// A value as a column shows it: strings bare, the rest as TOML writes them.
pub fn shown(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// A scenario document as a tree of values.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Toml(toml::Table),
    Json(serde_json::Value),
}

impl Document {
    /// Parses `text` (named `file`) as `format`.
    ///
    /// # Errors
    /// The [`DocError`] of a document that is not TOML or JSON.
    pub fn parse(file: &str, text: &str, format: Format) -> Result<Document, DocError> {
        match format {
            // Not `doc::parse`: it lifts long `values_ms` lists out of the
            // text for the scenario's reader, and a tree must hold them.
            Format::Toml => text.parse::<toml::Table>().map(Document::Toml).map_err(|e| {
                let (line, col) = e.span().map_or((0, 0), |s| doc::line_col(text, s.start));
                DocError {
                    file: file.to_owned(),
                    line,
                    col,
                    field: String::new(),
                    message: e.message().trim().to_owned(),
                }
            }),
            Format::Json => doc::parse::<serde_json::Value>(file, text, format).map(Document::Json),
        }
    }

    /// The format it renders to.
    pub fn format(&self) -> Format {
        match self {
            Document::Toml(_) => Format::Toml,
            Document::Json(_) => Format::Json,
        }
    }

    /// Sets `o.path` to `o.value`.
    ///
    /// # Errors
    /// A message when the path does not lead to a field of the document.
    pub fn set(&mut self, o: &Override) -> Result<(), String> {
        match self {
            Document::Toml(t) => {
                let mut root = toml::Value::Table(std::mem::take(t));
                let r = set_in(&mut root, &o.path.steps, o.value.clone());
                if let toml::Value::Table(back) = root {
                    *t = back;
                }
                r
            }
            Document::Json(j) => {
                let value = serde_json::to_value(&o.value).map_err(|e| e.to_string())?;
                set_in(j, &o.path.steps, value)
            }
        }
        .map_err(|e| format!("{}: {e}", o.path.text))
    }

    /// The document as text of its format.
    ///
    /// # Errors
    /// What the serializer reports (a value TOML cannot hold).
    pub fn render(&self) -> anyhow::Result<String> {
        Ok(match self {
            Document::Toml(t) => toml::to_string(t)?,
            Document::Json(j) => serde_json::to_string(j)?,
        })
    }
}

/// What [`set_in`] needs of a tree of values (TOML's or JSON's).
trait Tree: Sized {
    fn empty_table() -> Self;
    fn kind(&self) -> &'static str;
    /// The child under `key` of a table (`None` when absent or not a table).
    fn get(&mut self, key: &str) -> Option<&mut Self>;
    /// The child under `key` of a table, created (an empty table) when absent.
    fn child(&mut self, key: &str) -> Option<&mut Self>;
    /// Sets `key` of a table.
    fn insert(&mut self, key: &str, value: Self) -> bool;
    fn array(&mut self) -> Option<&mut Vec<Self>>;
    /// The `name` of a table, if a string.
    fn name(&self) -> Option<&str>;
}

impl Tree for toml::Value {
    fn empty_table() -> Self {
        toml::Value::Table(toml::Table::new())
    }
    fn kind(&self) -> &'static str {
        match self {
            toml::Value::String(_) => "a string",
            toml::Value::Integer(_) => "an integer",
            toml::Value::Float(_) => "a float",
            toml::Value::Boolean(_) => "a boolean",
            toml::Value::Datetime(_) => "a datetime",
            toml::Value::Array(_) => "a list",
            toml::Value::Table(_) => "a table",
        }
    }
    fn get(&mut self, key: &str) -> Option<&mut Self> {
        self.as_table_mut()?.get_mut(key)
    }
    fn child(&mut self, key: &str) -> Option<&mut Self> {
        Some(self.as_table_mut()?.entry(key).or_insert_with(Self::empty_table))
    }
    fn insert(&mut self, key: &str, value: Self) -> bool {
        self.as_table_mut().map(|t| t.insert(key.to_owned(), value)).is_some()
    }
    fn array(&mut self) -> Option<&mut Vec<Self>> {
        self.as_array_mut()
    }
    fn name(&self) -> Option<&str> {
        self.get("name")?.as_str()
    }
}

impl Tree for serde_json::Value {
    fn empty_table() -> Self {
        serde_json::Value::Object(serde_json::Map::new())
    }
    fn kind(&self) -> &'static str {
        match self {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "a list",
            serde_json::Value::Object(_) => "a table",
        }
    }
    fn get(&mut self, key: &str) -> Option<&mut Self> {
        self.as_object_mut()?.get_mut(key)
    }
    fn child(&mut self, key: &str) -> Option<&mut Self> {
        Some(self.as_object_mut()?.entry(key).or_insert_with(Self::empty_table))
    }
    fn insert(&mut self, key: &str, value: Self) -> bool {
        self.as_object_mut().map(|t| t.insert(key.to_owned(), value)).is_some()
    }
    fn array(&mut self) -> Option<&mut Vec<Self>> {
        self.as_array_mut()
    }
    fn name(&self) -> Option<&str> {
        self.get("name")?.as_str()
    }
}

/// Walks `steps` from `node` and sets the last one to `value`.
fn set_in<T: Tree>(node: &mut T, steps: &[Step], value: T) -> Result<(), String> {
    let Some((last, path)) = steps.split_last() else { return Err("empty path".into()) };
    let mut at = node;
    for (i, step) in path.iter().enumerate() {
        // Only a key followed by a key may create a table: an index needs
        // an array that is already there.
        let creates = matches!(steps.get(i + 1), Some(Step::Key(_)));
        at = step_into(at, step, creates)?;
    }
    match last {
        Step::Key(k) => {
            let kind = at.kind();
            if at.insert(k, value) { Ok(()) } else { Err(format!("cannot set {k:?} inside {kind}, not a table")) }
        }
        step => {
            *step_into(at, step, false)? = value;
            Ok(())
        }
    }
}

/// The node one step below `at`.
fn step_into<'a, T: Tree>(at: &'a mut T, step: &Step, creates: bool) -> Result<&'a mut T, String> {
    let kind = at.kind();
    match step {
        Step::Key(k) if kind != "a table" => Err(format!("cannot look up {k:?} inside {kind}, not a table")),
        Step::Key(k) if creates => at.child(k).ok_or_else(|| format!("no field {k:?}")),
        Step::Key(k) => at.get(k).ok_or_else(|| format!("no field {k:?} to index")),
        Step::Index(i) => {
            let items = at.array().ok_or_else(|| format!("[{i}] needs a list, found {kind}"))?;
            let n = items.len();
            items.get_mut(*i).ok_or_else(|| match n {
                0 => format!("[{i}]: the list is empty"),
                1 => format!("[{i}]: the list has 1 entry, [0]"),
                n => format!("[{i}]: the list has {n} entries, [0] to [{}]", n - 1),
            })
        }
        Step::Named(name) => {
            let items = at.array().ok_or_else(|| format!("[name={name}] needs a list, found {kind}"))?;
            let names: Vec<String> = items.iter().filter_map(|x| x.name().map(quoted)).collect();
            let message = format!("no entry named {} (names: {})", quoted(name), names.join(", "));
            items.iter_mut().find(|x| x.name() == Some(name.as_str())).ok_or(message)
        }
    }
}

/// `text` with `sets` applied, as text of the same format.
///
/// # Errors
/// A [`DocError`] naming the path of an override that does not apply.
pub fn apply(name: &str, text: &str, format: Format, sets: &[Override]) -> anyhow::Result<String> {
    let mut d = Document::parse(name, text, format)?;
    for o in sets {
        d.set(o).map_err(|message| DocError {
            file: name.to_owned(),
            line: 0,
            col: 0,
            field: String::new(),
            message,
        })?;
    }
    d.render()
}

/// Parses and checks a scenario with `sets` applied (none: exactly
/// [`scenario::prepare`]). An error in the file itself is reported where it
/// is in the file; one the overrides cause names their paths and values.
///
/// # Errors
/// As [`scenario::prepare`], and a [`DocError`] for an override that does
/// not apply.
pub fn prepare(name: &str, text: &str, format: Format, dir: &Path, sets: &[Override]) -> anyhow::Result<Prepared> {
    if sets.is_empty() {
        return scenario::prepare(name, text, format, dir);
    }
    let changed = apply(name, text, format, sets)?;
    scenario::prepare(name, &changed, format, dir).map_err(|e| {
        let Some(d) = e.downcast_ref::<DocError>() else { return e };
        // The line and column point into the rewritten text: report the
        // file's own error where it is, else name the overrides.
        if let Err(original) = scenario::prepare(name, text, format, dir) {
            return original;
        }
        let with: Vec<String> = sets.iter().map(|o| format!("{}={}", o.path.text, o.shown)).collect();
        let message = format!("{} (with {})", d.message, with.join(", "));
        DocError { file: d.file.clone(), line: 0, col: 0, field: d.field.clone(), message }.into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "seed = 4\n[[functions]]\nname = \"api\"\nmemory_mb = 512\nworkload = { type = \"poisson\", rate_per_s = 5 }\nhandler = { type = \"fixed\", ms = 20 }\n[[functions]]\nname = \"worker\"\nworkload = { type = \"idle\" }\nhandler = { type = \"fixed\", ms = 20 }\n";

    fn set(spec: &str) -> Override {
        Override::parse(spec).unwrap()
    }

    fn prepared(specs: &[&str]) -> anyhow::Result<Prepared> {
        let sets: Vec<Override> = specs.iter().map(|s| set(s)).collect();
        prepare("s.toml", TEXT, Format::Toml, Path::new("."), &sets)
    }

    #[test]
    fn paths_by_index_name_and_nested_tables() {
        let p = prepared(&[
            "functions[0].memory_mb=1024",
            "functions[name=worker].provisioned=3",
            "region.account_limit = 500",
            "functions[name=\"api\"].workload.rate_per_s=7.5",
            "functions[1].architecture=arm64",
        ])
        .unwrap();
        assert_eq!(p.functions[0].config.memory_mb, 1024);
        assert_eq!(p.functions[1].config.provisioned, 3);
        assert_eq!(p.config.region.account_limit, 500);
        assert_eq!(p.scenario.functions[0].workload, crate::scenario::WorkloadSpec::Poisson { rate_per_s: 7.5 });
        assert_eq!(p.scenario.functions[1].architecture, crate::scenario::ArchSpec::Arm64);
        assert_eq!(p.scenario.seed, 4);
    }

    #[test]
    fn json_documents_take_the_same_paths() {
        let json = r#"{"functions": [{"name": "api", "workload": {"type": "poisson", "rate_per_s": 5}, "handler": {"type": "fixed", "ms": 20}}]}"#;
        let sets = [set("functions[name=api].memory_mb=2048"), set("horizon_s=60")];
        let p = prepare("s.json", json, Format::Json, Path::new("."), &sets).unwrap();
        assert_eq!((p.functions[0].config.memory_mb, p.scenario.horizon_s), (2048, 60.0));
    }

    #[test]
    fn a_bad_path_is_an_error_naming_it() {
        let e = |spec: &str| prepared(&[spec]).unwrap_err().to_string();
        assert_eq!(
            e("functions[5].memory_mb=1"),
            "s.toml: functions[5].memory_mb: [5]: the list has 2 entries, [0] to [1]"
        );
        assert_eq!(
            e("functions[name=apx].provisioned=1"),
            "s.toml: functions[name=apx].provisioned: no entry named \"apx\" (names: \"api\", \"worker\")"
        );
        assert_eq!(e("seed.x=1"), "s.toml: seed.x: cannot set \"x\" inside an integer, not a table");
        assert_eq!(e("seed.x.y=1"), "s.toml: seed.x.y: cannot look up \"x\" inside an integer, not a table");
        assert_eq!(e("alarms[0].period_s=60"), "s.toml: alarms[0].period_s: no field \"alarms\" to index");
        assert_eq!(e("seed[0]=1"), "s.toml: seed[0]: [0] needs a list, found an integer");
        assert!(Override::parse("functions[0.memory_mb=1").unwrap_err().contains("a [ without its ]"));
        assert!(Override::parse("functions[x].memory_mb=1").unwrap_err().contains("expected [N] or [name=NAME]"));
        assert!(Override::parse("memory_mb").unwrap_err().contains("expected PATH=VALUE"));
        assert_eq!(Override::parse("seed=").unwrap_err(), "seed: no value after =");
        assert!(Override::parse("seed={ a = ").unwrap_err().contains("is not a TOML value"));
    }

    #[test]
    fn a_bad_value_fails_the_usual_check_and_names_the_override() {
        let e = prepared(&["functions[0].memory_mb=100"]).unwrap_err().to_string();
        assert!(e.starts_with("s.toml: functions[0].memory_mb: "), "{e}");
        assert!(e.ends_with("(with functions[0].memory_mb=100)"), "{e}");
        // A typo in a key is the scenario's unknown-field error.
        let e = prepared(&["functions[0].memroy_mb=1024"]).unwrap_err().to_string();
        assert!(e.contains("unknown field `memroy_mb`"), "{e}");
        // A string where a number goes.
        let e = prepared(&["region.account_limit=lots"]).unwrap_err().to_string();
        assert!(e.contains("region.account_limit") && e.contains("invalid type: string \"lots\""), "{e}");
    }

    #[test]
    fn an_error_in_the_file_itself_keeps_its_position() {
        let bad = TEXT.replace("memory_mb = 512", "memory_mb = 5");
        let sets = [set("seed=9")];
        let e = prepare("s.toml", &bad, Format::Toml, Path::new("."), &sets).unwrap_err().to_string();
        assert!(e.starts_with("s.toml:4:1: functions[0].memory_mb: "), "{e}");
    }

    #[test]
    fn no_override_is_the_plain_scenario() {
        let plain = crate::scenario::prepare("s.toml", TEXT, Format::Toml, Path::new(".")).unwrap();
        let same = prepared(&[]).unwrap();
        assert_eq!(plain.scenario, same.scenario);
        // Setting a value to what it is changes nothing either.
        assert_eq!(prepared(&["functions[0].memory_mb=512"]).unwrap().scenario, plain.scenario);
    }

    #[test]
    fn values_are_toml_or_bare_words() {
        assert_eq!(parse_value("512").unwrap(), toml::Value::Integer(512));
        assert_eq!(parse_value("us-east-1").unwrap(), toml::Value::String("us-east-1".into()));
        assert_eq!(parse_value("\"a,b\"").unwrap(), toml::Value::String("a,b".into()));
        assert!(parse_value("1\nseed = 2").is_err());
        assert!(parse_value("1 2").is_err());
        let t = parse_value("{ type = \"fixed\", ms = 20 }").unwrap();
        assert_eq!(parse_value(&shown(&t)).unwrap(), t);
    }
}
