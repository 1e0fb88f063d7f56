package lambdasim_test

// The conformance-vector runner: every *.json file at the top level of
// tests/vectors/ in the format of tests/vectors/README.md, run against the
// binding, with Region.Check after the setup and after every step.
//
// The parser is strict, like the Rust runner (tests/src/vectors.rs): an
// unknown key anywhere, a key that does not belong to the step's op, or a
// value of the wrong type fails the vector, so a typo can never make a
// check silently vanish.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"lambdasim"
)

// vectorDir is tests/vectors/ relative to this package (bindings/go).
const vectorDir = "../../tests/vectors"

func TestVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectorDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var regular []string
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			regular = append(regular, f)
		}
	}
	if len(regular) == 0 {
		t.Fatalf("no conformance vectors (*.json) found in %s", vectorDir)
	}
	for _, f := range regular {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := runVector(text)
			if err != nil {
				t.Fatalf("%s: %v", filepath.Base(f), err)
			}
			if sum.steps == 0 {
				t.Fatalf("%s: no steps ran", filepath.Base(f))
			}
			t.Logf("%s: %d steps, %d values compared", sum.name, sum.steps, sum.assertions)
		})
	}
	t.Logf("%d vectors", len(regular))
}

// TestVectorRunnerIsStrict feeds the runner broken vectors and vectors with
// wrong expectations: each must fail, so a passing vector means something.
func TestVectorRunnerIsStrict(t *testing.T) {
	const fn = `"functions": [{"name": "f"}]`
	cases := map[string]string{
		"unknown top key":        `{"name": "x", "bogus": 1, ` + fn + `, "steps": [{"at_us": 0, "op": "advance"}]}`,
		"unknown region key":     `{"name": "x", "region": {"acount_limit": 5}, ` + fn + `, "steps": [{"at_us": 0, "op": "advance"}]}`,
		"unknown function key":   `{"name": "x", "functions": [{"name": "f", "memory": 256}], "steps": [{"at_us": 0, "op": "advance"}]}`,
		"unknown op":             `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invok", "function": "f"}]}`,
		"unknown step key":       `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "count": 2}]}`,
		"unknown expect key":     `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "expect": {"kind": "FullCold"}}]}`,
		"unknown stats key":      `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "check", "expect": {"stats": {"request": 0}}}]}`,
		"unknown counts key":     `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "check", "expect": {"functions": {"f": {"bussy": 0}}}}]}`,
		"unknown throttle name":  `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "check", "expect": {"stats": {"throttles": {"Nope": 0}}}}]}`,
		"wrong type":             `{"name": "x", ` + fn + `, "steps": [{"at_us": "0", "op": "advance"}]}`,
		"negative number":        `{"name": "x", ` + fn + `, "steps": [{"at_us": -1, "op": "advance"}]}`,
		"time goes backwards":    `{"name": "x", ` + fn + `, "steps": [{"at_us": 5, "op": "advance"}, {"at_us": 4, "op": "advance"}]}`,
		"no steps":               `{"name": "x", ` + fn + `, "steps": []}`,
		"check without expect":   `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "check"}]}`,
		"wrong start":            `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "expect": {"start": "Warm"}}]}`,
		"wrong ready_at":         `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "expect": {"ready_at_us": 1}}]}`,
		"started, not throttled": `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "expect": {"throttle": "ScalingRateExceeded"}}]}`,
		"wrong error name":       `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "g", "expect": {"error": "UnknownInvocation"}}]}`,
		"unexpected error":       `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "g"}]}`,
		"two labels, one env": `{"name": "x", ` + fn + `, "steps": [
			{"at_us": 0, "op": "invoke", "function": "f", "id": "a", "expect": {"env": "A"}},
			{"at_us": 500000, "op": "finish", "id": "a"},
			{"at_us": 600000, "op": "invoke", "function": "f", "expect": {"env": "B"}}]}`,
		"one label, two envs": `{"name": "x", ` + fn + `, "steps": [
			{"at_us": 0, "op": "invoke", "function": "f", "expect": {"env": "A"}},
			{"at_us": 0, "op": "invoke", "function": "f", "expect": {"env": "A"}}]}`,
		"finish of unknown id":  `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "finish", "id": "nope"}]}`,
		"wrong finish error":    `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "id": "a"}, {"at_us": 1, "op": "finish", "id": "a", "expect": {"error": "TimedOut"}}]}`,
		"wrong busy":            `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "check", "expect": {"busy": 1}}]}`,
		"wrong next deadline":   `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "check", "expect": {"next_deadline_us": 0}}]}`,
		"unlisted throttle":     `{"name": "x", "functions": [{"name": "f", "reserved": 0}], "steps": [{"at_us": 0, "op": "invoke", "function": "f"}, {"at_us": 0, "op": "check", "expect": {"stats": {"throttles": {}}}}]}`,
		"wrong invoke_many":     `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke_many", "function": "f", "count": 3, "expect": {"started": 2}}]}`,
		"wrong config error":    `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "create_function", "function": {"name": "g", "memory_mb": 127}, "expect": {"error": "MemoryAboveMaximum"}}]}`,
		"duplicate function":    `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "create_function", "function": {"name": "f"}}]}`,
		"wrong provisioned str": `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "check", "expect": {"functions": {"f": {"provisioned_status": "READY"}}}}]}`,
		"trailing data":         `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "advance"}]} {}`,
		"unknown architecture":  `{"name": "x", "functions": [{"name": "f", "architecture": "arm"}], "steps": [{"at_us": 0, "op": "advance"}]}`,
		"unknown granularity":   `{"name": "x", "region": {"granularity": "10ms"}, ` + fn + `, "steps": [{"at_us": 0, "op": "advance"}]}`,
		"bill step typo":        `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "bill", "free_teir": true}]}`,
		"bill expect typo":      `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "bill", "expect": {"total_cent": 0}}]}`,
		"wrong bill":            `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "id": "a"}, {"at_us": 1000000, "op": "finish", "id": "a"}, {"at_us": 1000000, "op": "bill", "expect": {"lines": []}}]}`,
		"bill unknown function": `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "bill", "function": "g", "expect": {"total_cents": 0}}]}`,

		// invoke_for: the handler is required, and the region ends it by itself.
		"invoke_for without handler_us": `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke_for", "function": "f"}]}`,
		"invoke_for unknown outcome":    `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke_for", "function": "f", "handler_us": 1, "outcome": "Oops"}]}`,
		"handler_us on invoke":          `{"name": "x", ` + fn + `, "steps": [{"at_us": 0, "op": "invoke", "function": "f", "handler_us": 1}]}`,
		"invoke_for still busy": `{"name": "x", ` + fn + `, "steps": [
			{"at_us": 0, "op": "invoke_for", "function": "f", "handler_us": 1000},
			{"at_us": 381000, "op": "check", "expect": {"busy": 1}}]}`,

		// Asynchronous events: a wrong retry time or state, a counter typo.
		"async wrong due": `{"name": "x", "region": {"async_queue": 2}, "functions": [{"name": "f", "sandbox_us": 0, "package_mb": 0, "init_us": 0}], "steps": [
			{"at_us": 0, "op": "invoke_async", "function": "f", "handler_us": 1000000, "outcome": "FunctionError", "id": "e"},
			{"at_us": 1000000, "op": "async_event", "id": "e", "expect": {"due_at_us": 60000000}}]}`,
		"async wrong state":  `{"name": "x", "region": {"async_queue": 2}, ` + fn + `, "steps": [{"at_us": 0, "op": "invoke_async", "function": "f", "expect": {"state": "Queued"}}]}`,
		"async counter typo": `{"name": "x", "region": {"async_queue": 2}, ` + fn + `, "steps": [{"at_us": 0, "op": "check", "expect": {"async": {"queue": 0}}}]}`,
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := runVector([]byte(cases[name])); err == nil {
			t.Errorf("%s: the runner accepted %s", name, cases[name])
		}
	}
	// And a correct one passes.
	ok := `{"name": "x", "spec": "s", "description": "d", "region": {"scaling": {"legacy_burst": 500}, "warm_pick": "lru", "memory_rule": "legacy64"},
		"functions": [{"name": "f", "memory_mb": 192, "reserved": null}],
		"steps": [
			{"at_us": 0, "op": "invoke", "function": "f", "id": "a", "expect": {"start": "FullCold", "env": "A", "on_provisioned": false, "init_us": 380000, "ready_at_us": 380000}},
			{"at_us": 480000, "op": "finish", "id": "a", "outcome": "Success", "expect": {"duration_us": 100000, "env_kept": true}},
			{"at_us": 480000, "op": "check", "expect": {"busy": 0, "live": 1, "stats": {"requests": 1, "throttles": {}}, "functions": {"f": {"idle": 1, "provisioned_status": "NONE"}}}}]}`
	if _, err := runVector([]byte(ok)); err != nil {
		t.Errorf("a correct vector failed: %v", err)
	}
}

// ---------------------------------------------------------------------------
// Strict JSON accessors.

// parseJSON decodes one JSON value, numbers as json.Number.
func parseJSON(text []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: data after the top-level value")
	}
	return v, nil
}

// jobj is a JSON object with the context for error messages.
type jobj struct {
	m   map[string]any
	ctx string
}

func asObj(v any, ctx string) (jobj, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return jobj{}, fmt.Errorf("%s: expected an object, found %v", ctx, v)
	}
	return jobj{m, ctx}, nil
}

func (o jobj) has(key string) bool { _, ok := o.m[key]; return ok }

// allow fails on any key not in allowed.
func (o jobj) allow(allowed ...string) error {
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("%s: unknown key `%s` (allowed: %s)", o.ctx, k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func (o jobj) optU64(key string) (uint64, bool, error) {
	v, ok := o.m[key]
	if !ok {
		return 0, false, nil
	}
	n, isNum := v.(json.Number)
	if !isNum {
		return 0, false, fmt.Errorf("%s: `%s` must be a non-negative integer, found %v", o.ctx, key, v)
	}
	u, err := strconv.ParseUint(n.String(), 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s: `%s` must be a non-negative integer, found %v", o.ctx, key, n)
	}
	return u, true, nil
}

func (o jobj) optU32(key string) (uint32, bool, error) {
	u, ok, err := o.optU64(key)
	if err != nil || !ok {
		return 0, ok, err
	}
	if u > math.MaxUint32 {
		return 0, false, fmt.Errorf("%s: `%s` = %d does not fit in 32 bits", o.ctx, key, u)
	}
	return uint32(u), true, nil
}

func (o jobj) reqU64(key string) (uint64, error) {
	u, ok, err := o.optU64(key)
	if err == nil && !ok {
		err = fmt.Errorf("%s: missing `%s`", o.ctx, key)
	}
	return u, err
}

func (o jobj) reqU32(key string) (uint32, error) {
	u, ok, err := o.optU32(key)
	if err == nil && !ok {
		err = fmt.Errorf("%s: missing `%s`", o.ctx, key)
	}
	return u, err
}

func (o jobj) optStr(key string) (string, bool, error) {
	v, ok := o.m[key]
	if !ok {
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", false, fmt.Errorf("%s: `%s` must be a string, found %v", o.ctx, key, v)
	}
	return s, true, nil
}

func (o jobj) reqStr(key string) (string, error) {
	s, ok, err := o.optStr(key)
	if err == nil && !ok {
		err = fmt.Errorf("%s: missing `%s`", o.ctx, key)
	}
	return s, err
}

func (o jobj) optBool(key string) (bool, bool, error) {
	v, ok := o.m[key]
	if !ok {
		return false, false, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, false, fmt.Errorf("%s: `%s` must be a boolean, found %v", o.ctx, key, v)
	}
	return b, true, nil
}

// optNullableU32: missing → present false; null → (true, nil); n → (true, &n).
func (o jobj) optNullableU32(key string) (bool, *uint32, error) {
	v, ok := o.m[key]
	if !ok {
		return false, nil, nil
	}
	if v == nil {
		return true, nil, nil
	}
	n, _, err := o.optU32(key)
	if err != nil {
		return false, nil, err
	}
	return true, &n, nil
}

func (o jobj) obj(key string) (jobj, bool, error) {
	v, ok := o.m[key]
	if !ok {
		return jobj{}, false, nil
	}
	sub, err := asObj(v, o.ctx+"."+key)
	return sub, err == nil, err
}

// ---------------------------------------------------------------------------
// Names.

var throttleReasons = []lambdasim.ThrottleReason{
	lambdasim.ThrottleConcurrentInvocationLimitExceeded,
	lambdasim.ThrottleReservedFunctionConcurrentInvocationLimitExceeded,
	lambdasim.ThrottleRequestRateExceeded,
	lambdasim.ThrottleScalingRateExceeded,
	lambdasim.ThrottleFunctionInvocationRateLimitExceeded,
}

func throttleReason(name string) (lambdasim.ThrottleReason, error) {
	for _, r := range throttleReasons {
		if r.String() == name {
			return r, nil
		}
	}
	return 0, fmt.Errorf("unknown throttle reason `%s`", name)
}

func startKind(name string) (lambdasim.StartKind, error) {
	for _, k := range []lambdasim.StartKind{lambdasim.StartWarm, lambdasim.StartProvisioned, lambdasim.StartPartialCold, lambdasim.StartFullCold} {
		if k.String() == name {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown start kind `%s`", name)
}

func outcome(name string) (lambdasim.Outcome, error) {
	for _, o := range []lambdasim.Outcome{lambdasim.OutcomeSuccess, lambdasim.OutcomeFunctionError, lambdasim.OutcomeTimeout, lambdasim.OutcomeCrash} {
		if o.String() == name {
			return o, nil
		}
	}
	return 0, fmt.Errorf("unknown outcome `%s`", name)
}

// errorName is the Rust variant name of a failed call (what vectors write
// in "error"), from the status code: Status.Name maps every
// LSIM_STATUS_* to its variant (NOT_READY → "NotReady", ...).
func errorName(err error) (string, bool) {
	var e *lambdasim.Error
	if errors.As(err, &e) {
		return e.Code.Name(), true
	}
	return "", false
}

// ---------------------------------------------------------------------------
// Settings.

var regionKeys = []string{
	"account_limit", "unreserved_min", "scaling", "request_rate_per_limit", "idle_timeout_us",
	"max_lifetime_us", "shutdown_us", "warm_pick", "memory_rule", "provisioned_delay_us", "provisioned_per_minute",
	"granularity", "bill_init",
}

// parseRegion reads a `region` object (nil: the defaults).
func parseRegion(v any) (lambdasim.RegionConfig, error) {
	c := lambdasim.DefaultRegionConfig()
	if v == nil {
		return c, nil
	}
	m, err := asObj(v, "region")
	if err != nil {
		return c, err
	}
	if err := m.allow(regionKeys...); err != nil {
		return c, err
	}
	u32 := map[string]*uint32{
		"account_limit": &c.AccountLimit, "unreserved_min": &c.UnreservedMin,
		"request_rate_per_limit": &c.RequestRatePerLimit, "provisioned_per_minute": &c.ProvisionedPerMinute,
	}
	for k, dst := range u32 {
		if n, ok, err := m.optU32(k); err != nil {
			return c, err
		} else if ok {
			*dst = n
		}
	}
	u64 := map[string]*uint64{
		"idle_timeout_us": &c.IdleTimeoutUs, "max_lifetime_us": &c.MaxLifetimeUs,
		"shutdown_us": &c.ShutdownUs, "provisioned_delay_us": &c.ProvisionedDelayUs,
	}
	for k, dst := range u64 {
		if n, ok, err := m.optU64(k); err != nil {
			return c, err
		} else if ok {
			*dst = n
		}
	}
	switch s := m.m["scaling"].(type) {
	case nil:
		if m.has("scaling") {
			return c, errors.New("region.scaling: expected \"per_function\" or {\"legacy_burst\": N}, found null")
		}
	case string:
		if s != "per_function" {
			return c, fmt.Errorf("region.scaling: expected \"per_function\" or {\"legacy_burst\": N}, found %q", s)
		}
		c.ScalingRule = lambdasim.ScalingPerFunction
	case map[string]any:
		o := jobj{s, "region.scaling"}
		if err := o.allow("legacy_burst"); err != nil {
			return c, err
		}
		burst, err := o.reqU32("legacy_burst")
		if err != nil {
			return c, err
		}
		c.ScalingRule, c.LegacyBurst = lambdasim.ScalingLegacyAccount, burst
	default:
		return c, fmt.Errorf("region.scaling: expected \"per_function\" or {\"legacy_burst\": N}, found %v", s)
	}
	switch s, ok, err := m.optStr("warm_pick"); {
	case err != nil:
		return c, err
	case !ok:
	case s == "mru":
		c.WarmPick = lambdasim.WarmPickMRU
	case s == "lru":
		c.WarmPick = lambdasim.WarmPickLRU
	default:
		return c, fmt.Errorf("region.warm_pick: expected \"mru\" or \"lru\", found %q", s)
	}
	switch s, ok, err := m.optStr("memory_rule"); {
	case err != nil:
		return c, err
	case !ok:
	case s == "current":
		c.MemoryRule = lambdasim.MemoryRuleCurrent
	case s == "legacy64":
		c.MemoryRule = lambdasim.MemoryRuleLegacy64
	default:
		return c, fmt.Errorf("region.memory_rule: expected \"current\" or \"legacy64\", found %q", s)
	}
	if s, ok, err := m.optStr("granularity"); err != nil {
		return c, err
	} else if ok {
		if c.Granularity, err = granularityNamed(s); err != nil {
			return c, fmt.Errorf("region.granularity: %w", err)
		}
	}
	if b, ok, err := m.optBool("bill_init"); err != nil {
		return c, err
	} else if ok {
		c.BillInit = b
	}
	return c, nil
}

var functionKeys = []string{
	"name", "memory_mb", "timeout_ms", "reserved", "provisioned", "sandbox_us", "download_us_per_mb", "package_mb", "init_us",
	"architecture", "ephemeral_mb",
}

// parseFunction reads a function object: its name and configuration.
func parseFunction(v any, ctx string) (string, lambdasim.FunctionConfig, error) {
	c := lambdasim.DefaultFunctionConfig()
	m, err := asObj(v, ctx)
	if err != nil {
		return "", c, err
	}
	if err := m.allow(functionKeys...); err != nil {
		return "", c, err
	}
	name, err := m.reqStr("name")
	if err != nil {
		return "", c, err
	}
	u32 := map[string]*uint32{
		"memory_mb": &c.MemoryMB, "timeout_ms": &c.TimeoutMs, "provisioned": &c.Provisioned, "package_mb": &c.PackageMB,
		"ephemeral_mb": &c.EphemeralMB,
	}
	for k, dst := range u32 {
		if n, ok, err := m.optU32(k); err != nil {
			return "", c, err
		} else if ok {
			*dst = n
		}
	}
	u64 := map[string]*uint64{"sandbox_us": &c.SandboxUs, "download_us_per_mb": &c.DownloadUsPerMB, "init_us": &c.InitUs}
	for k, dst := range u64 {
		if n, ok, err := m.optU64(k); err != nil {
			return "", c, err
		} else if ok {
			*dst = n
		}
	}
	if present, rc, err := m.optNullableU32("reserved"); err != nil {
		return "", c, err
	} else if present {
		c.Reserved = rc
	}
	if s, ok, err := m.optStr("architecture"); err != nil {
		return "", c, err
	} else if ok {
		if c.Architecture, err = architectureNamed(s); err != nil {
			return "", c, fmt.Errorf("%s.architecture: %w", ctx, err)
		}
	}
	return name, c, nil
}

// ---------------------------------------------------------------------------
// The runner.

type vectorSummary struct {
	name       string
	steps      int
	assertions int
}

// mismatches collects the failed comparisons of one step.
type mismatches struct {
	found    []string
	compared int
}

func (m *mismatches) fail(format string, args ...any) {
	m.found = append(m.found, fmt.Sprintf(format, args...))
}

func eq[T comparable](m *mismatches, what string, got, want T) {
	m.compared++
	if got != want {
		m.fail("%s: got %v, expected %v", what, got, want)
	}
}

type runner struct {
	region      *lambdasim.Region
	functions   map[string]lambdasim.Function
	invocations map[string]lambdasim.Invocation
	// many: invocations started by invoke_many, by function, in start order.
	many       map[string][]lambdasim.Invocation
	envByLabel map[string]lambdasim.Env
	labelByEnv map[lambdasim.Env]string
	// events: asynchronous events put with an `id`.
	events     map[string]lambdasim.AsyncEvent
	assertions int
}

// unknownFunction is a handle no function has: what a name that was never
// created stands for (as in the Rust runner).
var unknownFunction = lambdasim.Function{Index: math.MaxUint32, Generation: 0}

func (r *runner) function(name string) lambdasim.Function {
	if f, ok := r.functions[name]; ok {
		return f
	}
	return unknownFunction
}

// runVector runs one vector given as JSON text.
func runVector(text []byte) (vectorSummary, error) {
	var sum vectorSummary
	v, err := parseJSON(text)
	if err != nil {
		return sum, err
	}
	top, err := asObj(v, "vector")
	if err != nil {
		return sum, err
	}
	if err := top.allow("name", "spec", "description", "region", "functions", "steps"); err != nil {
		return sum, err
	}
	if sum.name, err = top.reqStr("name"); err != nil {
		return sum, err
	}
	for _, k := range []string{"spec", "description"} {
		if _, _, err := top.optStr(k); err != nil {
			return sum, err
		}
	}
	cfg, err := parseRegion(top.m["region"])
	if err != nil {
		return sum, err
	}
	region, err := lambdasim.NewRegion(cfg)
	if err != nil {
		return sum, fmt.Errorf("region rejected: %w", err)
	}
	defer region.Close()
	r := &runner{
		region:      region,
		functions:   map[string]lambdasim.Function{},
		invocations: map[string]lambdasim.Invocation{},
		many:        map[string][]lambdasim.Invocation{},
		envByLabel:  map[string]lambdasim.Env{},
		labelByEnv:  map[lambdasim.Env]string{},
		events:      map[string]lambdasim.AsyncEvent{},
	}
	if err := r.attachQueue(top.m["region"]); err != nil {
		return sum, err
	}
	var functions []any
	if fv, ok := top.m["functions"]; ok {
		if functions, ok = fv.([]any); !ok {
			return sum, errors.New("`functions` must be an array")
		}
	}
	for i, f := range functions {
		ctx := fmt.Sprintf("functions[%d]", i)
		name, fc, err := parseFunction(f, ctx)
		if err != nil {
			return sum, err
		}
		if _, dup := r.functions[name]; dup {
			return sum, fmt.Errorf("%s: duplicate function name `%s`", ctx, name)
		}
		id, err := region.CreateFunction(0, fc)
		if err != nil {
			return sum, fmt.Errorf("%s: CreateFunction(%s) failed: %w", ctx, name, err)
		}
		r.functions[name] = id
	}
	if err := region.Check(); err != nil {
		return sum, fmt.Errorf("invariant violated after setup: %w", err)
	}
	steps, ok := top.m["steps"].([]any)
	if !ok {
		return sum, errors.New("`steps` must be an array")
	}
	if len(steps) == 0 {
		return sum, errors.New("no steps")
	}
	var lastAt uint64
	for i, step := range steps {
		at, err := r.step(step, lastAt)
		if err != nil {
			return sum, fmt.Errorf("step %d: %w", i, err)
		}
		lastAt = at
		if err := region.Check(); err != nil {
			return sum, fmt.Errorf("step %d: invariant violated after the step: %w", i, err)
		}
	}
	sum.steps, sum.assertions = len(steps), r.assertions
	return sum, nil
}

// stepShape: the fields and expect keys each op allows.
var stepShape = map[string][2][]string{
	"invoke":          {{"function", "id", "init_us"}, {"start", "env", "on_provisioned", "init_us", "ready_at_us", "throttle", "error"}},
	"invoke_for":      {{"function", "id", "init_us", "handler_us", "outcome"}, {"start", "env", "on_provisioned", "init_us", "ready_at_us", "throttle", "error"}},
	"invoke_many":     {{"function", "count"}, {"started", "throttled"}},
	"finish":          {{"id", "outcome"}, {"error", "duration_us", "env_kept"}},
	"finish_all":      {{"function"}, {"finished"}},
	"advance":         {{}, {}},
	"put_reserved":    {{"function", "reserved"}, {"error"}},
	"put_provisioned": {{"function", "provisioned"}, {"error"}},
	"create_function": {{"function"}, {"error"}},
	"bill":            {{"function", "prices", "free_tier"}, billExpectKeys},
	"check":           {{}, {"busy", "live", "unreserved_in_use", "unreserved_pool", "claimed", "next_deadline_us", "stats", "functions"}},
}

// step runs one step and returns its time.
func (r *runner) step(v any, lastAt uint64) (uint64, error) {
	m, err := asObj(v, "step")
	if err != nil {
		return 0, err
	}
	op, err := m.reqStr("op")
	if err != nil {
		return 0, err
	}
	m.ctx = "`" + op + "` step"
	shape, ok := stepShape[op]
	if !ok {
		return 0, fmt.Errorf("unknown op `%s`", op)
	}
	at, err := m.reqU64("at_us")
	if err != nil {
		return 0, err
	}
	if at < lastAt {
		return 0, fmt.Errorf("at_us %d is before the previous step's %d", at, lastAt)
	}
	if err := m.allow(append([]string{"at_us", "op", "expect"}, shape[0]...)...); err != nil {
		return 0, err
	}
	e, hasExpect, err := m.obj("expect")
	if err != nil {
		return 0, err
	}
	if !hasExpect {
		e = jobj{map[string]any{}, m.ctx + " expect"}
	}
	if err := e.allow(shape[1]...); err != nil {
		return 0, err
	}
	var mm mismatches
	switch op {
	case "invoke", "invoke_for":
		err = r.invoke(op == "invoke_for", m, at, e, hasExpect, &mm)
	case "invoke_many":
		err = r.invokeMany(m, at, e, &mm)
	case "finish":
		err = r.finish(m, at, e, hasExpect, &mm)
	case "finish_all":
		err = r.finishAll(m, at, e, &mm)
	case "advance":
		if err := r.region.Advance(at); err != nil {
			return 0, fmt.Errorf("advance failed: %w", err)
		}
	case "put_reserved", "put_provisioned", "create_function":
		err = r.configure(op, m, at, e, &mm)
	case "put_async_config":
		err = r.putAsyncConfig(m, at, e, &mm)
	case "invoke_async":
		err = r.invokeAsync(m, at, e, &mm)
	case "async_event":
		err = r.asyncEvent(m, at, e, &mm)
	case "bill":
		if err := r.region.Advance(at); err != nil {
			return 0, fmt.Errorf("advance failed: %w", err)
		}
		err = r.bill(m, e, hasExpect, &mm)
	case "check":
		if !hasExpect {
			return 0, errors.New("a `check` step needs an `expect`")
		}
		if err := r.region.Advance(at); err != nil {
			return 0, fmt.Errorf("advance failed: %w", err)
		}
		err = r.check(e, &mm)
	}
	if err != nil {
		return 0, err
	}
	r.assertions += mm.compared
	if len(mm.found) > 0 {
		return 0, errors.New(strings.Join(mm.found, "; "))
	}
	return at, nil
}

// invoke runs an `invoke` step, or an `invoke_for` step when scheduled (the
// handler's duration and outcome given: the region ends it by itself).
func (r *runner) invoke(scheduled bool, m jobj, at uint64, e jobj, hasExpect bool, mm *mismatches) error {
	fname, err := m.reqStr("function")
	if err != nil {
		return err
	}
	id, hasID, err := m.optStr("id")
	if err != nil {
		return err
	}
	initUs, withInit, err := m.optU64("init_us")
	if err != nil {
		return err
	}
	var h lambdasim.Handler
	if scheduled {
		if h.DurationUs, err = m.reqU64("handler_us"); err != nil {
			return err
		}
		oname, hasOutcome, perr := m.optStr("outcome")
		if perr != nil {
			return perr
		}
		if !hasOutcome {
			oname = "Success"
		}
		if h.Outcome, err = outcome(oname); err != nil {
			return err
		}
	}
	f := r.function(fname)
	var inv lambdasim.Invocation
	switch {
	case scheduled && withInit:
		inv, err = r.region.InvokeForWithInit(at, f, h, initUs)
	case scheduled:
		inv, err = r.region.InvokeFor(at, f, h)
	case withInit:
		inv, err = r.region.InvokeWithInit(at, f, initUs)
	default:
		inv, err = r.region.Invoke(at, f)
	}
	if err == nil && hasID {
		r.invocations[id] = inv
	}
	if !hasExpect {
		var te *lambdasim.ThrottleError
		if err != nil && !errors.As(err, &te) {
			return fmt.Errorf("invoke %s failed: %w", fname, err)
		}
		return nil
	}
	wantsStart := e.has("start") || e.has("env") || e.has("on_provisioned") || e.has("init_us") || e.has("ready_at_us")
	wantsThrottle, wantsError := e.has("throttle"), e.has("error")
	if b2i(wantsStart)+b2i(wantsThrottle)+b2i(wantsError) > 1 {
		return fmt.Errorf("%s expect mixes a start, a throttle and an error", m.ctx)
	}
	var te *lambdasim.ThrottleError
	switch {
	case errors.As(err, &te):
		if !errors.Is(err, lambdasim.ErrThrottled) {
			mm.fail("a *ThrottleError that is not ErrThrottled: %v", err)
		}
		want, ok, perr := e.optStr("throttle")
		if perr != nil {
			return perr
		}
		if !ok {
			mm.fail("invoke %s was throttled (%v), expected %v", fname, te.Reason, e.m)
			return nil
		}
		reason, perr := throttleReason(want)
		if perr != nil {
			return perr
		}
		eq(mm, "throttle", te.Reason, reason)
	case err != nil:
		want, ok, perr := e.optStr("error")
		if perr != nil {
			return perr
		}
		got, isLsim := errorName(err)
		if !ok || !isLsim {
			mm.fail("invoke %s failed with %v, expected %v", fname, err, e.m)
			return nil
		}
		eq(mm, "error", got, want)
	default:
		if wantsThrottle || wantsError {
			mm.fail("invoke %s started (%v on env %v), expected %v", fname, inv.Start, inv.Env, e.m)
			return nil
		}
		if want, ok, perr := e.optStr("start"); perr != nil {
			return perr
		} else if ok {
			k, perr := startKind(want)
			if perr != nil {
				return perr
			}
			eq(mm, "start", inv.Start, k)
		}
		if label, ok, perr := e.optStr("env"); perr != nil {
			return perr
		} else if ok {
			r.envLabel(label, inv.Env, mm)
		}
		if want, ok, perr := e.optBool("on_provisioned"); perr != nil {
			return perr
		} else if ok {
			eq(mm, "on_provisioned", inv.OnProvisioned, want)
		}
		if want, ok, perr := e.optU64("init_us"); perr != nil {
			return perr
		} else if ok {
			eq(mm, "init_us", inv.InitUs, want)
		}
		if want, ok, perr := e.optU64("ready_at_us"); perr != nil {
			return perr
		} else if ok {
			eq(mm, "ready_at_us", inv.ReadyAtUs, want)
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// envLabel binds a label to an environment the first time it is seen;
// later uses must name the same environment, and two labels never the same.
func (r *runner) envLabel(label string, env lambdasim.Env, mm *mismatches) {
	mm.compared++
	if bound, ok := r.envByLabel[label]; ok {
		if bound != env {
			other := ""
			if l, ok := r.labelByEnv[env]; ok {
				other = fmt.Sprintf(" (label `%s`)", l)
			}
			mm.fail("env: label `%s` is bound to environment %+v, but the request was served by %+v%s", label, bound, env, other)
		}
		return
	}
	if other, ok := r.labelByEnv[env]; ok {
		mm.fail("env: label `%s` is new, but %+v already has label `%s`", label, env, other)
		return
	}
	r.envByLabel[label] = env
	r.labelByEnv[env] = label
}

func (r *runner) invokeMany(m jobj, at uint64, e jobj, mm *mismatches) error {
	fname, err := m.reqStr("function")
	if err != nil {
		return err
	}
	count, err := m.reqU64("count")
	if err != nil {
		return err
	}
	f := r.function(fname)
	var started uint64
	throttled := map[lambdasim.ThrottleReason]uint64{}
	for k := uint64(0); k < count; k++ {
		inv, err := r.region.Invoke(at, f)
		var te *lambdasim.ThrottleError
		switch {
		case err == nil:
			started++
			r.many[fname] = append(r.many[fname], inv)
		case errors.As(err, &te):
			throttled[te.Reason]++
		default:
			return fmt.Errorf("invoke %d of %d of %s failed: %w", k, count, fname, err)
		}
	}
	if want, ok, err := e.optU64("started"); err != nil {
		return err
	} else if ok {
		eq(mm, "started", started, want)
	}
	if t, ok, err := e.obj("throttled"); err != nil {
		return err
	} else if ok {
		if err := checkThrottles(t, throttled, "throttled", mm); err != nil {
			return err
		}
	}
	return nil
}

// checkThrottles compares throttle counts by reason name; reasons not
// listed must be zero.
func checkThrottles(t jobj, got map[lambdasim.ThrottleReason]uint64, what string, mm *mismatches) error {
	for k := range t.m {
		if _, err := throttleReason(k); err != nil {
			return fmt.Errorf("%s: unknown reason `%s`", t.ctx, k)
		}
	}
	for _, reason := range throttleReasons {
		want, _, err := t.optU64(reason.String())
		if err != nil {
			return err
		}
		eq(mm, what+"."+reason.String(), got[reason], want)
	}
	return nil
}

func (r *runner) finish(m jobj, at uint64, e jobj, hasExpect bool, mm *mismatches) error {
	id, err := m.reqStr("id")
	if err != nil {
		return err
	}
	inv, ok := r.invocations[id]
	if !ok {
		return fmt.Errorf("no started invocation has id `%s` (an `invoke` with this id must start first)", id)
	}
	oname, hasOutcome, err := m.optStr("outcome")
	if err != nil {
		return err
	}
	if !hasOutcome {
		oname = "Success"
	}
	o, err := outcome(oname)
	if err != nil {
		return err
	}
	fin, err := r.region.Finish(at, inv, o)
	if !hasExpect {
		if err != nil {
			return fmt.Errorf("finish %s failed: %w", id, err)
		}
		return nil
	}
	want, wantsError, perr := e.optStr("error")
	if perr != nil {
		return perr
	}
	switch {
	case err != nil && wantsError:
		got, isLsim := errorName(err)
		if !isLsim {
			mm.fail("finish %s failed with %v, expected error %s", id, err, want)
			return nil
		}
		eq(mm, "error", got, want)
	case err != nil:
		mm.fail("finish %s failed with %v, expected %v", id, err, e.m)
	case wantsError:
		mm.fail("finish %s succeeded (%+v), expected error %s", id, fin, want)
	default:
		if want, ok, err := e.optU64("duration_us"); err != nil {
			return err
		} else if ok {
			eq(mm, "duration_us", fin.DurationUs, want)
		}
		if want, ok, err := e.optBool("env_kept"); err != nil {
			return err
		} else if ok {
			eq(mm, "env_kept", fin.EnvKept, want)
		}
	}
	return nil
}

func (r *runner) finishAll(m jobj, at uint64, e jobj, mm *mismatches) error {
	fname, err := m.reqStr("function")
	if err != nil {
		return err
	}
	list := r.many[fname]
	delete(r.many, fname)
	var finished uint64
	for _, inv := range list {
		_, err := r.region.Finish(at, inv, lambdasim.OutcomeSuccess)
		switch {
		case err == nil:
			finished++
		case errors.Is(err, lambdasim.ErrTimedOut):
			// Already ended by the region at its timeout: nothing left to finish.
		default:
			return fmt.Errorf("finish_all %s: finishing %+v failed: %w", fname, inv, err)
		}
	}
	if want, ok, err := e.optU64("finished"); err != nil {
		return err
	} else if ok {
		eq(mm, "finished", finished, want)
	}
	return nil
}

func (r *runner) configure(op string, m jobj, at uint64, e jobj, mm *mismatches) error {
	var err error
	switch op {
	case "put_reserved":
		fname, perr := m.reqStr("function")
		if perr != nil {
			return perr
		}
		present, rc, perr := m.optNullableU32("reserved")
		if perr != nil {
			return perr
		}
		if !present {
			return fmt.Errorf("%s: missing `reserved`", m.ctx)
		}
		err = r.region.PutReserved(at, r.function(fname), rc)
	case "put_provisioned":
		fname, perr := m.reqStr("function")
		if perr != nil {
			return perr
		}
		pc, perr := m.reqU32("provisioned")
		if perr != nil {
			return perr
		}
		err = r.region.PutProvisioned(at, r.function(fname), pc)
	default:
		fv, ok := m.m["function"]
		if !ok {
			return fmt.Errorf("%s: missing `function`", m.ctx)
		}
		name, fc, perr := parseFunction(fv, m.ctx+" function")
		if perr != nil {
			return perr
		}
		if _, dup := r.functions[name]; dup {
			return fmt.Errorf("%s: function `%s` already exists in this vector", m.ctx, name)
		}
		var id lambdasim.Function
		if id, err = r.region.CreateFunction(at, fc); err == nil {
			r.functions[name] = id
		}
	}
	want, wantsError, perr := e.optStr("error")
	if perr != nil {
		return perr
	}
	switch {
	case err == nil && wantsError:
		mm.fail("%s succeeded, expected error %s", op, want)
	case err != nil && wantsError:
		got, isLsim := errorName(err)
		if !isLsim {
			mm.fail("%s failed with %v, expected error %s", op, err, want)
			return nil
		}
		eq(mm, "error", got, want)
	case err != nil:
		mm.fail("%s failed: %v", op, err)
	}
	return nil
}

var statsKeys = []string{
	"requests", "invocations", "warm_starts", "provisioned_starts", "partial_cold_starts", "full_cold_starts",
	"spillover", "succeeded", "errors", "timeouts", "envs_created", "envs_terminated", "init_failures", "throttles",
}

var countKeys = []string{
	"busy", "busy_provisioned", "idle", "idle_provisioned", "creating", "initializing", "live",
	"shutting_down", "provisioned", "provisioned_allocated", "provisioned_status",
}

// bill is the `bill` op: the region's (or one function's) bill so far.
func (r *runner) bill(m jobj, e jobj, hasExpect bool, mm *mismatches) error {
	pricesName, _, err := m.optStr("prices")
	if err != nil {
		return err
	}
	if pricesName == "" {
		pricesName = "us-east-1"
	}
	prices, err := pricesNamed(pricesName)
	if err != nil {
		return err
	}
	free, _, err := m.optBool("free_tier")
	if err != nil {
		return err
	}
	fname, perFunction, err := m.optStr("function")
	if err != nil {
		return err
	}
	var b lambdasim.Bill
	if perFunction {
		b, err = r.region.FunctionBill(r.function(fname), prices, free)
	} else {
		b, err = r.region.Bill(prices, free)
	}
	if !hasExpect {
		if err != nil {
			return fmt.Errorf("bill failed: %w", err)
		}
		return nil
	}
	return checkBill(b, err, e, mm)
}

func (r *runner) check(e jobj, mm *mismatches) error {
	counts, err := r.region.RegionCounts()
	if err != nil {
		return fmt.Errorf("RegionCounts: %w", err)
	}
	for _, f := range []struct {
		key string
		got uint64
	}{
		{"busy", counts.Busy}, {"live", counts.Live}, {"unreserved_in_use", counts.UnreservedInUse},
		{"unreserved_pool", counts.UnreservedPool}, {"claimed", counts.Claimed},
	} {
		if want, ok, err := e.optU64(f.key); err != nil {
			return err
		} else if ok {
			eq(mm, f.key, f.got, want)
		}
	}
	if v, ok := e.m["next_deadline_us"]; ok {
		want := "none"
		if v != nil {
			n, _, err := e.optU64("next_deadline_us")
			if err != nil {
				return fmt.Errorf("%s: `next_deadline_us` must be an integer or null", e.ctx)
			}
			want = strconv.FormatUint(n, 10)
		}
		at, has, err := r.region.NextDeadline()
		if err != nil {
			return fmt.Errorf("NextDeadline: %w", err)
		}
		got := "none"
		if has {
			got = strconv.FormatUint(at, 10)
		}
		eq(mm, "next_deadline_us", got, want)
	}
	if s, ok, err := e.obj("stats"); err != nil {
		return err
	} else if ok {
		stats, err := r.region.RegionStats()
		if err != nil {
			return fmt.Errorf("RegionStats: %w", err)
		}
		if err := checkStats(&stats, s, mm); err != nil {
			return err
		}
	}
	if a, ok, err := e.obj("async"); err != nil {
		return err
	} else if ok {
		if err := r.checkAsync(a, mm); err != nil {
			return err
		}
	}
	if fs, ok, err := e.obj("functions"); err != nil {
		return err
	} else if ok {
		names := make([]string, 0, len(fs.m))
		for name := range fs.m {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			f, known := r.functions[name]
			if !known {
				return fmt.Errorf("check: unknown function `%s`", name)
			}
			c, err := r.region.FunctionCounts(f)
			if err != nil {
				return fmt.Errorf("check: function `%s`: %w", name, err)
			}
			want, _, err := fs.obj(name)
			if err != nil {
				return err
			}
			if err := checkCounts(name, &c, want, mm); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkStats(s *lambdasim.Stats, e jobj, mm *mismatches) error {
	if err := e.allow(statsKeys...); err != nil {
		return err
	}
	for _, f := range []struct {
		key string
		got uint64
	}{
		{"requests", s.Requests}, {"invocations", s.Invocations}, {"warm_starts", s.WarmStarts},
		{"provisioned_starts", s.ProvisionedStarts}, {"partial_cold_starts", s.PartialColdStarts},
		{"full_cold_starts", s.FullColdStarts}, {"spillover", s.Spillover}, {"succeeded", s.Succeeded},
		{"errors", s.Errors}, {"timeouts", s.Timeouts}, {"envs_created", s.EnvsCreated},
		{"envs_terminated", s.EnvsTerminated}, {"init_failures", s.InitFailures},
	} {
		if want, ok, err := e.optU64(f.key); err != nil {
			return err
		} else if ok {
			eq(mm, "stats."+f.key, f.got, want)
		}
	}
	if t, ok, err := e.obj("throttles"); err != nil {
		return err
	} else if ok {
		got := map[lambdasim.ThrottleReason]uint64{}
		for _, reason := range throttleReasons {
			got[reason] = s.Throttles[reason]
		}
		return checkThrottles(t, got, "stats.throttles", mm)
	}
	return nil
}

func checkCounts(name string, c *lambdasim.FunctionCounts, e jobj, mm *mismatches) error {
	if err := e.allow(countKeys...); err != nil {
		return err
	}
	for _, f := range []struct {
		key string
		got uint32
	}{
		{"busy", c.Busy}, {"busy_provisioned", c.BusyProvisioned}, {"idle", c.Idle},
		{"idle_provisioned", c.IdleProvisioned}, {"creating", c.Creating}, {"initializing", c.Initializing},
		{"live", c.Live}, {"shutting_down", c.ShuttingDown}, {"provisioned", c.Provisioned},
		{"provisioned_allocated", c.ProvisionedAllocated},
	} {
		if want, ok, err := e.optU32(f.key); err != nil {
			return err
		} else if ok {
			eq(mm, "functions."+name+"."+f.key, f.got, want)
		}
	}
	if want, ok, err := e.optStr("provisioned_status"); err != nil {
		return err
	} else if ok {
		eq(mm, "functions."+name+".provisioned_status", c.ProvisionedStatus.String(), want)
	}
	return nil
}
