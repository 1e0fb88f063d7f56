//! The conformance-vector runner: parses the JSON format of
//! `tests/vectors/README.md` and drives a [`Region`] through a vector,
//! checking every expected answer and [`Region::check_invariants`] after
//! every step.
//!
//! The parser is strict: an unknown key anywhere, a key that does not belong
//! to the step's `op`, or a value of the wrong type is an error of the vector
//! (so a typo can never make a check silently vanish).
//!
//! ```no_run
//! let summary = lambdasim_tests::vectors::run_file(std::path::Path::new("tests/vectors/reuse-walkthrough.json"));
//! assert!(summary.is_ok());
//! ```

use lambdasim::{
    ColdStartProfile, Duration, EnvId, FunctionConfig, FunctionCounts, FunctionId, Handler, Instant, InvocationId,
    Invoked, MemoryRule, Outcome, Region, RegionConfig, ScalingRule, StartKind, Stats, ThrottleReason, WarmPick,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

mod async_ops;
use std::fmt;
use std::path::{Path, PathBuf};

/// The capacity vectors run with: room for 16 384 environments (the
/// legacy-scaling vectors keep 3500 alive) and 64 functions.
pub const VECTOR_CAPACITY: lambdasim::Capacity = lambdasim::Capacity { envs: 16_384, functions: 64 };

/// Why a vector failed: the file, the step (index into `steps`, from 0) and
/// what went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The vector's file name (or the name given to [`run_str`]).
    pub file: String,
    /// The step that failed; `None` for the file itself or its setup.
    pub step: Option<usize>,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Some(i) => write!(f, "{}: step {}: {}", self.file, i, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for Failure {}

/// What a passing vector did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// The vector's `name`.
    pub name: String,
    /// Steps run.
    pub steps: usize,
    /// Single expected values compared (a measure of how much a vector checks).
    pub assertions: usize,
}

/// The folder holding the shared vectors (`tests/vectors/`).
pub fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Every `*.json` file of [`vector_dir`], sorted by name.
///
/// # Errors
/// The folder cannot be read.
pub fn vector_files() -> Result<Vec<PathBuf>, String> {
    let dir = vector_dir();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|x| x == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads and runs one vector file (on a thread with a large stack).
///
/// # Errors
/// The first failing step, or a file that cannot be read or parsed.
pub fn run_file(path: &Path) -> Result<Summary, Failure> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let text = std::fs::read_to_string(path).map_err(|e| Failure {
        file: file.clone(),
        step: None,
        message: e.to_string(),
    })?;
    run_str(&file, &text)
}

/// Runs one vector given as JSON text; `file` names it in failures.
///
/// # Errors
/// The first failing step, or text that is not a valid vector.
pub fn run_str(file: &str, text: &str) -> Result<Summary, Failure> {
    let file = file.to_owned();
    let text = text.to_owned();
    crate::with_big_stack(move || {
        let value: Value = serde_json::from_str(&text).map_err(|e| Failure {
            file: file.clone(),
            step: None,
            message: format!("invalid JSON: {e}"),
        })?;
        Runner::run(&file, &value)
    })
}

pub(crate) type Res<T> = Result<T, String>;

// ---------------------------------------------------------------------------
// Small strict JSON accessors.

pub(crate) fn as_obj<'a>(v: &'a Value, ctx: &str) -> Res<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| format!("{ctx}: expected an object, found {v}"))
}

pub(crate) fn allow_keys(m: &Map<String, Value>, allowed: &[&str], ctx: &str) -> Res<()> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("{ctx}: unknown key `{k}` (allowed: {})", allowed.join(", "))),
        None => Ok(()),
    }
}

pub(crate) fn opt_u64(m: &Map<String, Value>, key: &str, ctx: &str) -> Res<Option<u64>> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => {
            v.as_u64().map(Some).ok_or_else(|| format!("{ctx}: `{key}` must be a non-negative integer, found {v}"))
        }
    }
}

pub(crate) fn opt_u32(m: &Map<String, Value>, key: &str, ctx: &str) -> Res<Option<u32>> {
    match opt_u64(m, key, ctx)? {
        None => Ok(None),
        Some(n) => u32::try_from(n).map(Some).map_err(|_| format!("{ctx}: `{key}` = {n} does not fit in 32 bits")),
    }
}

pub(crate) fn req_u64(m: &Map<String, Value>, key: &str, ctx: &str) -> Res<u64> {
    opt_u64(m, key, ctx)?.ok_or_else(|| format!("{ctx}: missing `{key}`"))
}

pub(crate) fn req_u32(m: &Map<String, Value>, key: &str, ctx: &str) -> Res<u32> {
    opt_u32(m, key, ctx)?.ok_or_else(|| format!("{ctx}: missing `{key}`"))
}

pub(crate) fn opt_str<'a>(m: &'a Map<String, Value>, key: &str, ctx: &str) -> Res<Option<&'a str>> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or_else(|| format!("{ctx}: `{key}` must be a string, found {v}")),
    }
}

pub(crate) fn req_str<'a>(m: &'a Map<String, Value>, key: &str, ctx: &str) -> Res<&'a str> {
    opt_str(m, key, ctx)?.ok_or_else(|| format!("{ctx}: missing `{key}`"))
}

pub(crate) fn opt_bool(m: &Map<String, Value>, key: &str, ctx: &str) -> Res<Option<bool>> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => v.as_bool().map(Some).ok_or_else(|| format!("{ctx}: `{key}` must be a boolean, found {v}")),
    }
}

/// Missing → `None`; `null` → `Some(None)`; an integer → `Some(Some(n))`.
fn opt_nullable_u32(m: &Map<String, Value>, key: &str, ctx: &str) -> Res<Option<Option<u32>>> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(_) => Ok(Some(opt_u32(m, key, ctx)?)),
    }
}

// ---------------------------------------------------------------------------
// Names.

fn throttle_reason(name: &str) -> Res<ThrottleReason> {
    ThrottleReason::ALL
        .into_iter()
        .find(|r| r.name() == name)
        .ok_or_else(|| format!("unknown throttle reason `{name}`"))
}

fn start_kind(name: &str) -> Res<StartKind> {
    [StartKind::Warm, StartKind::Provisioned, StartKind::PartialCold, StartKind::FullCold]
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| format!("unknown start kind `{name}`"))
}

fn outcome(name: &str) -> Res<Outcome> {
    match name {
        "Success" => Ok(Outcome::Success),
        "FunctionError" => Ok(Outcome::FunctionError),
        "Timeout" => Ok(Outcome::Timeout),
        "Crash" => Ok(Outcome::Crash),
        _ => Err(format!("unknown outcome `{name}`")),
    }
}

/// The Rust variant name of an error (what vectors write in `"error"`).
fn error_name(e: &impl fmt::Debug) -> String {
    format!("{e:?}")
}

// ---------------------------------------------------------------------------
// Settings.

const REGION_KEYS: &[&str] = &[
    "account_limit",
    "unreserved_min",
    "scaling",
    "request_rate_per_limit",
    "idle_timeout_us",
    "max_lifetime_us",
    "shutdown_us",
    "warm_pick",
    "memory_rule",
    "provisioned_delay_us",
    "provisioned_per_minute",
    "granularity",
    "bill_init",
    "async_queue",
];

fn parse_region(v: Option<&Value>) -> Res<RegionConfig> {
    let mut c = RegionConfig::default();
    let Some(v) = v else { return Ok(c) };
    let ctx = "region";
    let m = as_obj(v, ctx)?;
    allow_keys(m, REGION_KEYS, ctx)?;
    if let Some(n) = opt_u32(m, "account_limit", ctx)? {
        c.account_limit = n;
    }
    if let Some(n) = opt_u32(m, "unreserved_min", ctx)? {
        c.unreserved_min = n;
    }
    match m.get("scaling") {
        None => {}
        Some(Value::String(s)) if s == "per_function" => c.scaling = ScalingRule::PerFunction,
        Some(Value::Object(o)) => {
            allow_keys(o, &["legacy_burst"], "region.scaling")?;
            c.scaling = ScalingRule::LegacyAccount { burst: req_u32(o, "legacy_burst", "region.scaling")? };
        }
        Some(other) => {
            return Err(format!("region.scaling: expected \"per_function\" or {{\"legacy_burst\": N}}, found {other}"));
        }
    }
    if let Some(n) = opt_u32(m, "request_rate_per_limit", ctx)? {
        c.request_rate_per_limit = n;
    }
    if let Some(n) = opt_u64(m, "idle_timeout_us", ctx)? {
        c.idle_timeout = Duration::from_micros(n);
    }
    if let Some(n) = opt_u64(m, "max_lifetime_us", ctx)? {
        c.max_lifetime = Duration::from_micros(n);
    }
    if let Some(n) = opt_u64(m, "shutdown_us", ctx)? {
        c.shutdown = Duration::from_micros(n);
    }
    match opt_str(m, "warm_pick", ctx)? {
        None => {}
        Some("mru") => c.warm_pick = WarmPick::MostRecentlyUsed,
        Some("lru") => c.warm_pick = WarmPick::LeastRecentlyUsed,
        Some(s) => return Err(format!("region.warm_pick: expected \"mru\" or \"lru\", found \"{s}\"")),
    }
    match opt_str(m, "memory_rule", ctx)? {
        None => {}
        Some("current") => c.memory_rule = MemoryRule::Current,
        Some("legacy64") => c.memory_rule = MemoryRule::Legacy64,
        Some(s) => return Err(format!("region.memory_rule: expected \"current\" or \"legacy64\", found \"{s}\"")),
    }
    if let Some(n) = opt_u64(m, "provisioned_delay_us", ctx)? {
        c.provisioned_delay = Duration::from_micros(n);
    }
    if let Some(n) = opt_u32(m, "provisioned_per_minute", ctx)? {
        c.provisioned_per_minute = n;
    }
    if let Some(s) = opt_str(m, "granularity", ctx)? {
        c.granularity = crate::bills::granularity(s).map_err(|e| format!("{ctx}.granularity: {e}"))?;
    }
    if let Some(b) = opt_bool(m, "bill_init", ctx)? {
        c.bill_init = b;
    }
    Ok(c)
}

const FUNCTION_KEYS: &[&str] = &[
    "name",
    "memory_mb",
    "timeout_ms",
    "reserved",
    "provisioned",
    "sandbox_us",
    "download_us_per_mb",
    "package_mb",
    "init_us",
    "architecture",
    "ephemeral_mb",
];

fn parse_function(v: &Value, ctx: &str) -> Res<(String, FunctionConfig)> {
    let m = as_obj(v, ctx)?;
    allow_keys(m, FUNCTION_KEYS, ctx)?;
    let name = req_str(m, "name", ctx)?.to_owned();
    let d = FunctionConfig::default();
    let p = ColdStartProfile::default();
    let config = FunctionConfig {
        memory_mb: opt_u32(m, "memory_mb", ctx)?.unwrap_or(d.memory_mb),
        timeout_ms: opt_u32(m, "timeout_ms", ctx)?.unwrap_or(d.timeout_ms),
        reserved: opt_nullable_u32(m, "reserved", ctx)?.unwrap_or(d.reserved),
        provisioned: opt_u32(m, "provisioned", ctx)?.unwrap_or(d.provisioned),
        cold_start: ColdStartProfile {
            sandbox_us: opt_u64(m, "sandbox_us", ctx)?.unwrap_or(p.sandbox_us),
            download_us_per_mb: opt_u64(m, "download_us_per_mb", ctx)?.unwrap_or(p.download_us_per_mb),
            package_mb: opt_u32(m, "package_mb", ctx)?.unwrap_or(p.package_mb),
            init_us: opt_u64(m, "init_us", ctx)?.unwrap_or(p.init_us),
        },
        architecture: match opt_str(m, "architecture", ctx)? {
            Some(a) => crate::bills::architecture(a).map_err(|e| format!("{ctx}.architecture: {e}"))?,
            None => d.architecture,
        },
        ephemeral_mb: opt_u32(m, "ephemeral_mb", ctx)?.unwrap_or(d.ephemeral_mb),
    };
    Ok((name, config))
}

// ---------------------------------------------------------------------------
// The runner.

/// Collects the mismatches of one step.
#[derive(Default)]
pub(crate) struct Mismatches {
    pub(crate) found: Vec<String>,
    pub(crate) compared: usize,
}

impl Mismatches {
    pub(crate) fn eq<T: PartialEq + fmt::Debug>(&mut self, what: &str, got: T, want: T) {
        self.compared += 1;
        if got != want {
            self.found.push(format!("{what}: got {got:?}, expected {want:?}"));
        }
    }
    pub(crate) fn fail(&mut self, msg: String) {
        self.found.push(msg);
    }
}

struct Runner {
    region: Box<Region<'static>>,
    functions: HashMap<String, FunctionId>,
    invocations: HashMap<String, InvocationId>,
    /// Invocations started by `invoke_many`, by function name, in start order.
    many: HashMap<String, Vec<InvocationId>>,
    env_by_label: HashMap<String, EnvId>,
    label_by_env: HashMap<EnvId, String>,
    /// Asynchronous events by label.
    events: HashMap<String, lambdasim::region::AsyncEventId>,
    assertions: usize,
}

/// A handle no function has: what a name that was never created stands for.
const UNKNOWN_FUNCTION: FunctionId = FunctionId { index: u32::MAX, generation: 0 };

impl Runner {
    fn run(file: &str, v: &Value) -> Result<Summary, Failure> {
        let fail = |step: Option<usize>, message: String| Failure { file: file.to_owned(), step, message };
        let top = as_obj(v, "vector").map_err(|e| fail(None, e))?;
        allow_keys(top, &["name", "spec", "description", "region", "functions", "steps"], "vector")
            .map_err(|e| fail(None, e))?;
        let name = req_str(top, "name", "vector").map_err(|e| fail(None, e))?.to_owned();
        let config = parse_region(top.get("region")).map_err(|e| fail(None, e))?;
        let region = Region::with_capacity(config, VECTOR_CAPACITY)
            .map_err(|e| fail(None, format!("region rejected: {e:?}")))?;
        let mut runner = Runner {
            region: Box::new(region),
            functions: HashMap::new(),
            invocations: HashMap::new(),
            many: HashMap::new(),
            env_by_label: HashMap::new(),
            label_by_env: HashMap::new(),
            events: HashMap::new(),
            assertions: 0,
        };
        let queue = match top.get("region") {
            Some(r) => opt_u32(as_obj(r, "region").map_err(|e| fail(None, e))?, "async_queue", "region")
                .map_err(|e| fail(None, e))?,
            None => None,
        };
        if let Some(slots) = queue {
            async_ops::attach_queue(&mut runner, slots).map_err(|e| fail(None, e))?;
        }
        let empty = Vec::new();
        let functions = match top.get("functions") {
            None => &empty,
            Some(v) => v.as_array().ok_or_else(|| fail(None, "`functions` must be an array".into()))?,
        };
        for (i, f) in functions.iter().enumerate() {
            let ctx = format!("functions[{i}]");
            let (fname, config) = parse_function(f, &ctx).map_err(|e| fail(None, e))?;
            if runner.functions.contains_key(&fname) {
                return Err(fail(None, format!("{ctx}: duplicate function name `{fname}`")));
            }
            let id = runner
                .region
                .create_function(Instant::ZERO, &config)
                .map_err(|e| fail(None, format!("{ctx}: create_function({fname}) failed: {e:?}")))?;
            runner.functions.insert(fname, id);
        }
        runner.region.check_invariants().map_err(|v| fail(None, format!("invariant violated after setup: {v}")))?;
        let steps =
            top.get("steps").and_then(Value::as_array).ok_or_else(|| fail(None, "`steps` must be an array".into()))?;
        if steps.is_empty() {
            return Err(fail(None, "no steps".into()));
        }
        let mut last_at = 0u64;
        for (i, step) in steps.iter().enumerate() {
            let at = runner.step(step, last_at).map_err(|e| fail(Some(i), e))?;
            last_at = at;
            runner
                .region
                .check_invariants()
                .map_err(|v| fail(Some(i), format!("invariant violated after the step: {v} ({v:?})")))?;
        }
        Ok(Summary { name, steps: steps.len(), assertions: runner.assertions })
    }

    fn function(&self, name: &str) -> FunctionId {
        self.functions.get(name).copied().unwrap_or(UNKNOWN_FUNCTION)
    }

    /// Runs one step; returns its time.
    fn step(&mut self, step: &Value, last_at: u64) -> Res<u64> {
        let m = as_obj(step, "step")?;
        let op = req_str(m, "op", "step")?;
        let ctx = format!("`{op}` step");
        let at_us = req_u64(m, "at_us", &ctx)?;
        if at_us < last_at {
            return Err(format!("at_us {at_us} is before the previous step's {last_at}"));
        }
        let at = Instant::from_micros(at_us);
        let (fields, expect_keys): (&[&str], &[&str]) = match op {
            "invoke" => (
                &["function", "id", "init_us"],
                &["start", "env", "on_provisioned", "init_us", "ready_at_us", "throttle", "error"],
            ),
            "invoke_for" => (
                &["function", "id", "init_us", "handler_us", "outcome"],
                &["start", "env", "on_provisioned", "init_us", "ready_at_us", "throttle", "error"],
            ),
            "invoke_many" => (&["function", "count"], &["started", "throttled"]),
            "finish" => (&["id", "outcome"], &["error", "duration_us", "env_kept"]),
            "finish_all" => (&["function"], &["finished"]),
            "advance" => (&[], &[]),
            "put_reserved" => (&["function", "reserved"], &["error"]),
            "put_provisioned" => (&["function", "provisioned"], &["error"]),
            "create_function" => (&["function"], &["error"]),
            "put_async_config" => (
                &["function", "max_retry_attempts", "max_event_age_s", "dead_letter_queue", "on_failure", "on_success"],
                &["error"],
            ),
            "invoke_async" => {
                (&["function", "handler_us", "outcome", "failing_attempts", "id"], async_ops::EVENT_EXPECT_KEYS)
            }
            "async_event" => (&["id"], async_ops::EVENT_EXPECT_KEYS),
            "bill" => (&["function", "prices", "free_tier"], crate::bills::BILL_EXPECT_KEYS),
            "check" => (
                &[],
                &[
                    "busy",
                    "live",
                    "unreserved_in_use",
                    "unreserved_pool",
                    "claimed",
                    "next_deadline_us",
                    "stats",
                    "functions",
                    "async",
                ],
            ),
            _ => return Err(format!("unknown op `{op}`")),
        };
        let mut allowed = vec!["at_us", "op", "expect"];
        allowed.extend_from_slice(fields);
        allow_keys(m, &allowed, &ctx)?;
        let empty = Map::new();
        let expect = match m.get("expect") {
            None => None,
            Some(v) => Some(as_obj(v, &format!("{ctx} expect"))?),
        };
        let e = expect.unwrap_or(&empty);
        allow_keys(e, expect_keys, &format!("{ctx} expect"))?;
        let mut mm = Mismatches::default();
        match op {
            "invoke" | "invoke_for" => self.invoke(op == "invoke_for", m, at, expect, &mut mm, &ctx)?,
            "invoke_many" => self.invoke_many(m, at, expect, &mut mm, &ctx)?,
            "finish" => self.finish(m, at, expect, &mut mm, &ctx)?,
            "finish_all" => self.finish_all(m, at, e, &mut mm, &ctx)?,
            "advance" => self.region.advance(at).map_err(|e| format!("advance failed: {e:?}"))?,
            "put_reserved" | "put_provisioned" | "create_function" => self.configure(op, m, at, e, &mut mm, &ctx)?,
            "put_async_config" => async_ops::put_config(self, m, at, e, &mut mm, &ctx)?,
            "invoke_async" => async_ops::invoke(self, m, at, e, &mut mm, &ctx)?,
            "async_event" => async_ops::event(self, m, at, e, &mut mm, &ctx)?,
            "bill" => {
                self.region.advance(at).map_err(|e| format!("advance failed: {e:?}"))?;
                self.bill(m, expect, &mut mm, &ctx)?;
            }
            "check" => {
                if expect.is_none() {
                    return Err("a `check` step needs an `expect`".into());
                }
                self.region.advance(at).map_err(|e| format!("advance failed: {e:?}"))?;
                self.check(e, &mut mm)?;
            }
            _ => unreachable!("op names matched above"),
        }
        self.assertions += mm.compared;
        if mm.found.is_empty() { Ok(at_us) } else { Err(mm.found.join("; ")) }
    }

    /// An `invoke` step, or an `invoke_for` step when `scheduled`.
    fn invoke(
        &mut self,
        scheduled: bool,
        m: &Map<String, Value>,
        at: Instant,
        expect: Option<&Map<String, Value>>,
        mm: &mut Mismatches,
        ctx: &str,
    ) -> Res<()> {
        let fname = req_str(m, "function", ctx)?;
        let f = self.function(fname);
        let init = opt_u64(m, "init_us", ctx)?.map(Duration::from_micros);
        // `invoke_for`: the handler's duration and outcome are given, and the region ends it by itself.
        let handler = if scheduled {
            Some(Handler {
                duration: Duration::from_micros(req_u64(m, "handler_us", ctx)?),
                outcome: outcome(opt_str(m, "outcome", ctx)?.unwrap_or("Success"))?,
            })
        } else {
            None
        };
        let result = match (handler, init) {
            (Some(h), Some(init)) => self.region.invoke_for_with_init(at, f, h, init),
            (Some(h), None) => self.region.invoke_for(at, f, h),
            (None, Some(init)) => self.region.invoke_with_init(at, f, init),
            (None, None) => self.region.invoke(at, f),
        };
        if let (Ok(Invoked::Started(s)), Some(id)) = (&result, opt_str(m, "id", ctx)?) {
            self.invocations.insert(id.to_owned(), s.invocation);
        }
        let Some(e) = expect else {
            return result.map(|_| ()).map_err(|e| format!("invoke {fname} failed: {e:?}"));
        };
        let wants_start =
            ["start", "env", "on_provisioned", "init_us", "ready_at_us"].iter().any(|k| e.contains_key(*k));
        let wants_throttle = e.contains_key("throttle");
        let wants_error = e.contains_key("error");
        if usize::from(wants_start) + usize::from(wants_throttle) + usize::from(wants_error) > 1 {
            return Err(format!("{ctx} expect mixes a start, a throttle and an error"));
        }
        match result {
            Err(err) => match opt_str(e, "error", ctx)? {
                Some(want) => mm.eq("error", error_name(&err).as_str(), want),
                None => mm.fail(format!("invoke {fname} failed with {err:?}, expected {}", Value::Object(e.clone()))),
            },
            Ok(Invoked::Throttled(reason)) => match opt_str(e, "throttle", ctx)? {
                Some(want) => {
                    let want = throttle_reason(want)?;
                    mm.eq("throttle", reason, want);
                }
                None => {
                    mm.fail(format!("invoke {fname} was throttled ({reason}), expected {}", Value::Object(e.clone())))
                }
            },
            Ok(Invoked::Started(s)) => {
                if wants_throttle || wants_error {
                    mm.fail(format!(
                        "invoke {fname} started ({} on env {:?}), expected {}",
                        s.start,
                        s.env,
                        Value::Object(e.clone())
                    ));
                    return Ok(());
                }
                if let Some(want) = opt_str(e, "start", ctx)? {
                    mm.eq("start", s.start, start_kind(want)?);
                }
                if let Some(label) = opt_str(e, "env", ctx)? {
                    self.env_label(label, s.env, mm);
                }
                if let Some(want) = opt_bool(e, "on_provisioned", ctx)? {
                    mm.eq("on_provisioned", s.on_provisioned, want);
                }
                if let Some(want) = opt_u64(e, "init_us", ctx)? {
                    mm.eq("init_us", s.init.as_micros(), want);
                }
                if let Some(want) = opt_u64(e, "ready_at_us", ctx)? {
                    mm.eq("ready_at_us", s.ready_at.as_micros(), want);
                }
            }
        }
        Ok(())
    }

    fn env_label(&mut self, label: &str, env: EnvId, mm: &mut Mismatches) {
        mm.compared += 1;
        match self.env_by_label.get(label) {
            Some(&bound) if bound == env => {}
            Some(&bound) => mm.fail(format!(
                "env: label `{label}` is bound to environment {bound:?}, but the request was served by {env:?}{}",
                self.label_by_env.get(&env).map_or(String::new(), |l| format!(" (label `{l}`)"))
            )),
            None => match self.label_by_env.get(&env) {
                Some(other) => mm.fail(format!("env: label `{label}` is new, but {env:?} already has label `{other}`")),
                None => {
                    self.env_by_label.insert(label.to_owned(), env);
                    self.label_by_env.insert(env, label.to_owned());
                }
            },
        }
    }

    fn invoke_many(
        &mut self,
        m: &Map<String, Value>,
        at: Instant,
        expect: Option<&Map<String, Value>>,
        mm: &mut Mismatches,
        ctx: &str,
    ) -> Res<()> {
        let fname = req_str(m, "function", ctx)?;
        let count = req_u64(m, "count", ctx)?;
        let f = self.function(fname);
        let mut started = 0u64;
        let mut throttled: BTreeMap<&'static str, u64> = BTreeMap::new();
        for k in 0..count {
            match self.region.invoke(at, f) {
                Ok(Invoked::Started(s)) => {
                    started += 1;
                    self.many.entry(fname.to_owned()).or_default().push(s.invocation);
                }
                Ok(Invoked::Throttled(r)) => *throttled.entry(r.name()).or_default() += 1,
                Err(e) => return Err(format!("invoke {k} of {count} of {fname} failed: {e:?}")),
            }
        }
        let Some(e) = expect else { return Ok(()) };
        if let Some(want) = opt_u64(e, "started", ctx)? {
            mm.eq("started", started, want);
        }
        if let Some(t) = e.get("throttled") {
            let t = as_obj(t, &format!("{ctx} expect.throttled"))?;
            for reason in ThrottleReason::ALL {
                let want = opt_u64(t, reason.name(), ctx)?.unwrap_or(0);
                let got = throttled.get(reason.name()).copied().unwrap_or(0);
                mm.eq(&format!("throttled.{}", reason.name()), got, want);
            }
            if let Some(k) = t.keys().find(|k| throttle_reason(k).is_err()) {
                return Err(format!("{ctx} expect.throttled: unknown reason `{k}`"));
            }
        }
        Ok(())
    }

    fn finish(
        &mut self,
        m: &Map<String, Value>,
        at: Instant,
        expect: Option<&Map<String, Value>>,
        mm: &mut Mismatches,
        ctx: &str,
    ) -> Res<()> {
        let id = req_str(m, "id", ctx)?;
        let inv = *self.invocations.get(id).ok_or_else(|| {
            format!("no started invocation has id `{id}` (an `invoke` with this id must start first)")
        })?;
        let outcome = outcome(opt_str(m, "outcome", ctx)?.unwrap_or("Success"))?;
        let result = self.region.finish(at, inv, outcome);
        let Some(e) = expect else {
            return result.map(|_| ()).map_err(|e| format!("finish {id} failed: {e:?}"));
        };
        match (result, opt_str(e, "error", ctx)?) {
            (Err(err), Some(want)) => mm.eq("error", error_name(&err).as_str(), want),
            (Err(err), None) => {
                mm.fail(format!("finish {id} failed with {err:?}, expected {}", Value::Object(e.clone())))
            }
            (Ok(fin), Some(want)) => mm.fail(format!("finish {id} succeeded ({fin:?}), expected error {want}")),
            (Ok(fin), None) => {
                if let Some(want) = opt_u64(e, "duration_us", ctx)? {
                    mm.eq("duration_us", fin.duration.as_micros(), want);
                }
                if let Some(want) = opt_bool(e, "env_kept", ctx)? {
                    mm.eq("env_kept", fin.env_kept, want);
                }
            }
        }
        Ok(())
    }

    fn finish_all(
        &mut self,
        m: &Map<String, Value>,
        at: Instant,
        e: &Map<String, Value>,
        mm: &mut Mismatches,
        ctx: &str,
    ) -> Res<()> {
        let fname = req_str(m, "function", ctx)?;
        let list = self.many.remove(fname).unwrap_or_default();
        let mut finished = 0u64;
        for inv in list {
            match self.region.finish(at, inv, Outcome::Success) {
                Ok(_) => finished += 1,
                // Already ended by the region at its timeout: nothing left to finish.
                Err(lambdasim::FinishError::TimedOut) => {}
                Err(err) => return Err(format!("finish_all {fname}: finishing {inv:?} failed: {err:?}")),
            }
        }
        if let Some(want) = opt_u64(e, "finished", ctx)? {
            mm.eq("finished", finished, want);
        }
        Ok(())
    }

    fn configure(
        &mut self,
        op: &str,
        m: &Map<String, Value>,
        at: Instant,
        e: &Map<String, Value>,
        mm: &mut Mismatches,
        ctx: &str,
    ) -> Res<()> {
        let result = match op {
            "put_reserved" => {
                let f = self.function(req_str(m, "function", ctx)?);
                let rc = opt_nullable_u32(m, "reserved", ctx)?.ok_or_else(|| format!("{ctx}: missing `reserved`"))?;
                self.region.put_reserved(at, f, rc)
            }
            "put_provisioned" => {
                let f = self.function(req_str(m, "function", ctx)?);
                let pc = req_u32(m, "provisioned", ctx)?;
                self.region.put_provisioned(at, f, pc)
            }
            _ => {
                let v = m.get("function").ok_or_else(|| format!("{ctx}: missing `function`"))?;
                let (name, config) = parse_function(v, &format!("{ctx} function"))?;
                if self.functions.contains_key(&name) {
                    return Err(format!("{ctx}: function `{name}` already exists in this vector"));
                }
                self.region.create_function(at, &config).map(|id| {
                    self.functions.insert(name, id);
                })
            }
        };
        match (result, opt_str(e, "error", ctx)?) {
            (Ok(()), None) => {}
            (Ok(()), Some(want)) => mm.fail(format!("{op} succeeded, expected error {want}")),
            (Err(err), Some(want)) => mm.eq("error", error_name(&err).as_str(), want),
            (Err(err), None) => mm.fail(format!("{op} failed: {err:?}")),
        }
        Ok(())
    }

    /// The `bill` op: the region's (or one function's) bill so far.
    fn bill(
        &self,
        m: &Map<String, Value>,
        expect: Option<&Map<String, Value>>,
        mm: &mut Mismatches,
        ctx: &str,
    ) -> Res<()> {
        let prices = crate::bills::prices(opt_str(m, "prices", ctx)?.unwrap_or("us-east-1"))?;
        let free_tier = opt_bool(m, "free_tier", ctx)?.unwrap_or(false);
        let usage = match opt_str(m, "function", ctx)? {
            None => self.region.usage().map_err(|e| crate::bills::bill_error_name(&e)),
            Some(name) => match self.region.function_usage(self.function(name)) {
                None => Err("UnknownFunction".to_owned()),
                Some(u) => u.map_err(|e| crate::bills::bill_error_name(&e)),
            },
        };
        let result = usage.and_then(|meter| crate::bills::priced(&meter, &prices, free_tier));
        match expect {
            Some(e) => crate::bills::check_bill(result, e, mm, &format!("{ctx} expect")),
            None => result.map(|_| ()).map_err(|e| format!("bill failed: {e}")),
        }
    }

    fn check(&mut self, e: &Map<String, Value>, mm: &mut Mismatches) -> Res<()> {
        let ctx = "check expect";
        let r = &self.region;
        if let Some(want) = opt_u64(e, "busy", ctx)? {
            mm.eq("busy", r.busy(), want);
        }
        if let Some(want) = opt_u64(e, "live", ctx)? {
            mm.eq("live", u64::from(r.live()), want);
        }
        if let Some(want) = opt_u64(e, "unreserved_in_use", ctx)? {
            mm.eq("unreserved_in_use", r.unreserved_in_use(), want);
        }
        if let Some(want) = opt_u64(e, "unreserved_pool", ctx)? {
            mm.eq("unreserved_pool", r.unreserved_pool(), want);
        }
        if let Some(want) = opt_u64(e, "claimed", ctx)? {
            mm.eq("claimed", r.claimed_concurrency(), want);
        }
        if let Some(v) = e.get("next_deadline_us") {
            let want = match v {
                Value::Null => None,
                v => Some(v.as_u64().ok_or_else(|| format!("{ctx}: `next_deadline_us` must be an integer or null"))?),
            };
            mm.eq("next_deadline_us", r.next_deadline().map(Instant::as_micros), want);
        }
        if let Some(v) = e.get("stats") {
            check_stats(&r.stats(), as_obj(v, "check expect.stats")?, mm)?;
        }
        if let Some(v) = e.get("async") {
            async_ops::check_stats(self, v, mm)?;
        }
        if let Some(v) = e.get("functions") {
            for (name, want) in as_obj(v, "check expect.functions")? {
                let f = self.functions.get(name).ok_or_else(|| format!("check: unknown function `{name}`"))?;
                let counts =
                    r.function_counts(*f).ok_or_else(|| format!("check: function `{name}` no longer exists"))?;
                check_counts(name, &counts, as_obj(want, &format!("check expect.functions.{name}"))?, mm)?;
            }
        }
        Ok(())
    }
}

const STATS_KEYS: &[&str] = &[
    "requests",
    "invocations",
    "warm_starts",
    "provisioned_starts",
    "partial_cold_starts",
    "full_cold_starts",
    "spillover",
    "succeeded",
    "errors",
    "timeouts",
    "envs_created",
    "envs_terminated",
    "init_failures",
    "throttles",
];

fn check_stats(s: &Stats, e: &Map<String, Value>, mm: &mut Mismatches) -> Res<()> {
    let ctx = "check expect.stats";
    allow_keys(e, STATS_KEYS, ctx)?;
    let fields: [(&str, u64); 13] = [
        ("requests", s.requests),
        ("invocations", s.invocations),
        ("warm_starts", s.warm_starts),
        ("provisioned_starts", s.provisioned_starts),
        ("partial_cold_starts", s.partial_cold_starts),
        ("full_cold_starts", s.full_cold_starts),
        ("spillover", s.spillover),
        ("succeeded", s.succeeded),
        ("errors", s.errors),
        ("timeouts", s.timeouts),
        ("envs_created", s.envs_created),
        ("envs_terminated", s.envs_terminated),
        ("init_failures", s.init_failures),
    ];
    for (key, got) in fields {
        if let Some(want) = opt_u64(e, key, ctx)? {
            mm.eq(&format!("stats.{key}"), got, want);
        }
    }
    if let Some(t) = e.get("throttles") {
        let t = as_obj(t, "check expect.stats.throttles")?;
        if let Some(k) = t.keys().find(|k| throttle_reason(k).is_err()) {
            return Err(format!("{ctx}.throttles: unknown reason `{k}`"));
        }
        // Reasons not listed must be zero.
        for reason in ThrottleReason::ALL {
            let want = opt_u64(t, reason.name(), ctx)?.unwrap_or(0);
            mm.eq(&format!("stats.throttles.{}", reason.name()), s.throttles_for(reason), want);
        }
    }
    Ok(())
}

const COUNT_KEYS: &[&str] = &[
    "busy",
    "busy_provisioned",
    "idle",
    "idle_provisioned",
    "creating",
    "initializing",
    "live",
    "shutting_down",
    "provisioned",
    "provisioned_allocated",
    "provisioned_status",
];

fn check_counts(name: &str, c: &FunctionCounts, e: &Map<String, Value>, mm: &mut Mismatches) -> Res<()> {
    let ctx = format!("check expect.functions.{name}");
    allow_keys(e, COUNT_KEYS, &ctx)?;
    let fields: [(&str, u32); 10] = [
        ("busy", c.busy),
        ("busy_provisioned", c.busy_provisioned),
        ("idle", c.idle),
        ("idle_provisioned", c.idle_provisioned),
        ("creating", c.creating),
        ("initializing", c.initializing),
        ("live", c.live),
        ("shutting_down", c.shutting_down),
        ("provisioned", c.provisioned),
        ("provisioned_allocated", c.provisioned_allocated),
    ];
    for (key, got) in fields {
        if let Some(want) = opt_u32(e, key, &ctx)? {
            mm.eq(&format!("functions.{name}.{key}"), got, want);
        }
    }
    if let Some(want) = opt_str(e, "provisioned_status", &ctx)? {
        mm.eq(&format!("functions.{name}.provisioned_status"), c.provisioned_status.name(), want);
    }
    Ok(())
}
