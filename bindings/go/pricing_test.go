package lambdasim_test

// The pricing-vector runner (tests/vectors/pricing/*.json, format in
// tests/vectors/README.md, "Pricing vectors") and the bill expectations it
// shares with the region vectors' `bill` op.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"lambdasim"
)

var billExpectKeys = []string{"lines", "total_cents", "exact_total", "error"}

func granularityNamed(s string) (lambdasim.Granularity, error) {
	for _, g := range []lambdasim.Granularity{lambdasim.Granularity1ms, lambdasim.Granularity100ms} {
		if g.String() == s {
			return g, nil
		}
	}
	return 0, fmt.Errorf("expected \"1ms\" or \"100ms\", found %q", s)
}

func architectureNamed(s string) (lambdasim.Architecture, error) {
	for _, a := range []lambdasim.Architecture{lambdasim.ArchX86_64, lambdasim.ArchArm64} {
		if a.String() == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("expected \"x86_64\" or \"arm64\", found %q", s)
}

func pricesNamed(s string) (lambdasim.PriceBook, error) {
	switch s {
	case "us-east-1":
		return lambdasim.PricesUSEast1, nil
	case "us-east-1-2020":
		return lambdasim.PricesUSEast1_2020, nil
	}
	return 0, fmt.Errorf("unknown prices %q (expected \"us-east-1\" or \"us-east-1-2020\")", s)
}

var jsSafe = big.NewInt(1<<53 - 1)

// checkJSSafe fails on any number in v past 2^53 − 1 (JavaScript would misread it).
func checkJSSafe(v any, ctx string) error {
	switch x := v.(type) {
	case json.Number:
		n, ok := new(big.Float).SetString(x.String())
		if !ok {
			return fmt.Errorf("%s: bad number %s", ctx, x)
		}
		if n.Abs(n).Cmp(new(big.Float).SetInt(jsSafe)) > 0 {
			return fmt.Errorf("%s: %s is past 2^53 - 1 (write large quantities as strings)", ctx, x)
		}
	case []any:
		for _, e := range x {
			if err := checkJSSafe(e, ctx); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, e := range x {
			if err := checkJSSafe(e, ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// quantity reads an integer or a string of decimal digits.
func quantity(v any, ctx string) (*big.Int, error) {
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = x
	default:
		return nil, fmt.Errorf("%s: quantity must be an integer or a string of digits, found %v", ctx, v)
	}
	if text == "" || strings.Trim(text, "0123456789") != "" {
		return nil, fmt.Errorf("%s: quantity %q is not a non-negative integer", ctx, text)
	}
	q, _ := new(big.Int).SetString(text, 10)
	if q.BitLen() > 128 {
		return nil, fmt.Errorf("%s: quantity %s does not fit 128 bits", ctx, text)
	}
	return q, nil
}

type wantLine struct {
	kind, arch, amount string
	quantity           *big.Int
	cents              uint64
}

func parseLine(v any, ctx string) (wantLine, error) {
	var w wantLine
	o, err := asObj(v, ctx)
	if err != nil {
		return w, err
	}
	keys := []string{"kind", "architecture", "quantity", "cents", "amount"}
	if err := o.allow(keys...); err != nil {
		return w, err
	}
	for _, k := range keys {
		if !o.has(k) {
			return w, fmt.Errorf("%s: missing `%s`", ctx, k)
		}
	}
	if w.kind, err = o.reqStr("kind"); err != nil {
		return w, err
	}
	if o.m["architecture"] == nil {
		w.arch = "null"
	} else if w.arch, err = o.reqStr("architecture"); err != nil {
		return w, err
	}
	if w.quantity, err = quantity(o.m["quantity"], ctx); err != nil {
		return w, err
	}
	if w.cents, err = o.reqU64("cents"); err != nil {
		return w, err
	}
	w.amount, err = o.reqStr("amount")
	return w, err
}

// checkBill compares a bill (or the error instead of one) with a bill expectation.
func checkBill(b lambdasim.Bill, err error, e jobj, mm *mismatches) error {
	if err := e.allow(billExpectKeys...); err != nil {
		return err
	}
	if err := checkJSSafe(e.m, e.ctx); err != nil {
		return err
	}
	if len(e.m) == 0 {
		return fmt.Errorf("%s: a bill expectation needs at least one key", e.ctx)
	}
	wantErr, hasErr, perr := e.optStr("error")
	if perr != nil {
		return perr
	}
	if hasErr && len(e.m) > 1 {
		return fmt.Errorf("%s: `error` excludes every other key", e.ctx)
	}
	var lines []wantLine
	if v, ok := e.m["lines"]; ok {
		arr, isArr := v.([]any)
		if !isArr {
			return fmt.Errorf("%s: `lines` must be an array", e.ctx)
		}
		for i, l := range arr {
			w, err := parseLine(l, fmt.Sprintf("%s.lines[%d]", e.ctx, i))
			if err != nil {
				return err
			}
			lines = append(lines, w)
		}
	}
	switch {
	case err != nil && hasErr:
		got, isLsim := errorName(err)
		if !isLsim {
			return err
		}
		eq(mm, "error", got, wantErr)
		return nil
	case err != nil:
		mm.fail("bill failed with %v, expected a bill", err)
		return nil
	case hasErr:
		mm.fail("bill succeeded (total %d cents), expected error %s", b.TotalCents, wantErr)
		return nil
	}
	if _, ok := e.m["lines"]; ok {
		eq(mm, "lines.len", len(b.Lines), len(lines))
		for i := 0; i < len(lines) && i < len(b.Lines); i++ {
			g, w := b.Lines[i], lines[i]
			arch := g.Architecture.String()
			if g.Architecture == lambdasim.ArchNone {
				arch = "null"
			}
			eq(mm, fmt.Sprintf("lines[%d].kind", i), g.Kind.String(), w.kind)
			eq(mm, fmt.Sprintf("lines[%d].architecture", i), arch, w.arch)
			eq(mm, fmt.Sprintf("lines[%d].quantity", i), g.Quantity.String(), w.quantity.String())
			eq(mm, fmt.Sprintf("lines[%d].cents", i), g.Cents, w.cents)
			eq(mm, fmt.Sprintf("lines[%d].amount", i), g.Amount.String(), w.amount)
		}
	}
	if want, ok, err := e.optU64("total_cents"); err != nil {
		return err
	} else if ok {
		eq(mm, "total_cents", b.TotalCents, want)
	}
	if want, ok, err := e.optStr("exact_total"); err != nil {
		return err
	} else if ok {
		eq(mm, "exact_total", b.Exact.String(), want)
	}
	return nil
}

// runPricing runs one pricing vector: its name and the values compared.
func runPricing(text []byte) (string, int, error) {
	v, err := parseJSON(text)
	if err != nil {
		return "", 0, err
	}
	top, err := asObj(v, "vector")
	if err != nil {
		return "", 0, err
	}
	if err := top.allow("name", "spec", "description", "prices", "free_tier", "invocations", "provisioned", "expect"); err != nil {
		return "", 0, err
	}
	if err := checkJSSafe(v, "vector"); err != nil {
		return "", 0, err
	}
	name, err := top.reqStr("name")
	if err != nil {
		return "", 0, err
	}
	for _, k := range []string{"spec", "description"} {
		if _, _, err := top.optStr(k); err != nil {
			return "", 0, err
		}
	}
	pricesName, ok, err := top.optStr("prices")
	if err != nil {
		return "", 0, err
	}
	if !ok {
		pricesName = "us-east-1"
	}
	prices, err := pricesNamed(pricesName)
	if err != nil {
		return "", 0, err
	}
	free, _, err := top.optBool("free_tier")
	if err != nil {
		return "", 0, err
	}
	items, err := arrayOf(top, "invocations")
	if err != nil {
		return "", 0, err
	}
	var usage []lambdasim.InvocationUsage
	for i, it := range items {
		u, err := parseInvocationUsage(it, fmt.Sprintf("invocations[%d]", i))
		if err != nil {
			return "", 0, err
		}
		usage = append(usage, u)
	}
	spansJSON, err := arrayOf(top, "provisioned")
	if err != nil {
		return "", 0, err
	}
	var spans []lambdasim.ProvisionedUsage
	for i, sp := range spansJSON {
		p, err := parseProvisionedUsage(sp, fmt.Sprintf("provisioned[%d]", i))
		if err != nil {
			return "", 0, err
		}
		spans = append(spans, p)
	}
	e, hasExpect, err := top.obj("expect")
	if err != nil {
		return "", 0, err
	}
	if !hasExpect {
		return "", 0, errors.New("missing `expect`")
	}
	b, berr := lambdasim.BillUsage(usage, spans, prices, free)
	var mm mismatches
	if err := checkBill(b, berr, e, &mm); err != nil {
		return "", 0, err
	}
	if len(mm.found) > 0 {
		return "", 0, errors.New(strings.Join(mm.found, "; "))
	}
	return name, mm.compared, nil
}

func arrayOf(o jobj, key string) ([]any, error) {
	v, ok := o.m[key]
	if !ok {
		return nil, nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		return nil, fmt.Errorf("`%s` must be an array", key)
	}
	return arr, nil
}

func optArch(o jobj) (lambdasim.Architecture, error) {
	s, ok, err := o.optStr("architecture")
	if err != nil || !ok {
		return lambdasim.ArchX86_64, err
	}
	a, err := architectureNamed(s)
	if err != nil {
		return 0, fmt.Errorf("%s.architecture: %w", o.ctx, err)
	}
	return a, nil
}

func parseInvocationUsage(v any, ctx string) (lambdasim.InvocationUsage, error) {
	u := lambdasim.DefaultInvocationUsage()
	o, err := asObj(v, ctx)
	if err != nil {
		return u, err
	}
	if err := o.allow("architecture", "memory_mb", "ephemeral_mb", "class", "granularity", "requests", "duration_us"); err != nil {
		return u, err
	}
	if u.Architecture, err = optArch(o); err != nil {
		return u, err
	}
	for k, dst := range map[string]*uint32{"memory_mb": &u.MemoryMB, "ephemeral_mb": &u.EphemeralMB} {
		if n, ok, err := o.optU32(k); err != nil {
			return u, err
		} else if ok {
			*dst = n
		}
	}
	switch s, ok, err := o.optStr("class"); {
	case err != nil:
		return u, err
	case !ok, s == "on_demand":
	case s == "provisioned":
		u.Class = lambdasim.UsageProvisioned
	default:
		return u, fmt.Errorf("%s.class: expected \"on_demand\" or \"provisioned\", found %q", ctx, s)
	}
	if s, ok, err := o.optStr("granularity"); err != nil {
		return u, err
	} else if ok {
		if u.Granularity, err = granularityNamed(s); err != nil {
			return u, fmt.Errorf("%s.granularity: %w", ctx, err)
		}
	}
	if u.Requests, err = o.reqU64("requests"); err != nil {
		return u, err
	}
	u.DurationUs, err = o.reqU64("duration_us")
	return u, err
}

func parseProvisionedUsage(v any, ctx string) (lambdasim.ProvisionedUsage, error) {
	p := lambdasim.DefaultProvisionedUsage()
	o, err := asObj(v, ctx)
	if err != nil {
		return p, err
	}
	if err := o.allow("architecture", "memory_mb", "provisioned", "enabled_us"); err != nil {
		return p, err
	}
	if p.Architecture, err = optArch(o); err != nil {
		return p, err
	}
	if n, ok, err := o.optU32("memory_mb"); err != nil {
		return p, err
	} else if ok {
		p.MemoryMB = n
	}
	if p.Provisioned, err = o.reqU32("provisioned"); err != nil {
		return p, err
	}
	p.EnabledUs, err = o.reqU64("enabled_us")
	return p, err
}

func TestPricingVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectorDir, "pricing", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 6 {
		t.Fatalf("expected the docs/model.md §5 pricing vectors in %s/pricing, found %d", vectorDir, len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name, compared, err := runPricing(text)
			if err != nil {
				t.Fatalf("%s: %v", filepath.Base(f), err)
			}
			if compared == 0 {
				t.Fatalf("%s: asserts nothing", filepath.Base(f))
			}
			t.Logf("%s: %d values compared", name, compared)
		})
	}
}

// TestPricingRunnerIsStrict: wrong expectations and malformed vectors fail.
func TestPricingRunnerIsStrict(t *testing.T) {
	const usage = `"free_tier": true, "invocations": [{"memory_mb": 1536, "requests": 3000000, "duration_us": 120000}]`
	cases := map[string]string{
		"wrong cent":         `{"name": "x", ` + usage + `, "expect": {"total_cents": 274}}`,
		"wrong exact":        `{"name": "x", ` + usage + `, "expect": {"exact_total": "2.7333380001"}}`,
		"wrong line count":   `{"name": "x", ` + usage + `, "expect": {"lines": []}}`,
		"expect typo":        `{"name": "x", ` + usage + `, "expect": {"total_cent": 273}}`,
		"usage typo":         `{"name": "x", "invocations": [{"requests": 1, "duration_us": 1, "memmory_mb": 1}], "expect": {"total_cents": 0}}`,
		"line missing a key": `{"name": "x", ` + usage + `, "expect": {"lines": [{"kind": "Requests"}]}}`,
		"unsafe integer":     `{"name": "x", "expect": {"total_cents": 9007199254740992}}`,
		"error and more":     `{"name": "x", "expect": {"error": "Overflow", "total_cents": 0}}`,
		"unknown prices":     `{"name": "x", "prices": "eu-west-1", "expect": {"total_cents": 0}}`,
		"wrong error":        `{"name": "x", "invocations": [{"memory_mb": 127, "requests": 1, "duration_us": 1}], "expect": {"error": "Overflow"}}`,
		"no expect":          `{"name": "x"}`,
	}
	for name, text := range cases {
		if _, _, err := runPricing([]byte(text)); err == nil {
			t.Errorf("%s: the runner accepted %s", name, text)
		}
	}
	if _, _, err := runPricing([]byte(`{"name": "x", ` + usage + `, "expect": {"total_cents": 273}}`)); err != nil {
		t.Errorf("a correct vector failed: %v", err)
	}
}
