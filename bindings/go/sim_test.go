package lambdasim_test

// The simulation vectors (tests/vectors/sim, tests/vectors/README.md
// "Simulation vectors") through RunScenario: the JSON byte for byte, and
// the struct accessors against it. Then errors and closed results.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"lambdasim"
)

const simVectorDir = "../../tests/vectors/sim"

// The JSON of a run, as far as these tests read it.
type simJSON struct {
	Scenario    string        `json:"scenario"`
	Replication uint32        `json:"replication"`
	Seed        uint64        `json:"seed"`
	Functions   []summaryJSON `json:"functions"`
	Total       summaryJSON   `json:"total"`
	Minutes     []minuteJSON  `json:"minutes"`
}

type summaryJSON struct {
	Name                 string            `json:"name"`
	Requests             uint64            `json:"requests"`
	Invocations          uint64            `json:"invocations"`
	ColdStarts           uint64            `json:"cold_starts"`
	FullColdStarts       uint64            `json:"full_cold_starts"`
	PartialColdStarts    uint64            `json:"partial_cold_starts"`
	WarmStarts           uint64            `json:"warm_starts"`
	ProvisionedStarts    uint64            `json:"provisioned_starts"`
	Spillover            uint64            `json:"spillover"`
	Throttles            uint64            `json:"throttles"`
	ThrottlesByReason    map[string]uint64 `json:"throttles_by_reason"`
	Errors               uint64            `json:"errors"`
	Timeouts             uint64            `json:"timeouts"`
	ColdStartProbability float64           `json:"cold_start_probability"`
	ThrottleProbability  float64           `json:"throttle_probability"`
	AvgInstances         float64           `json:"avg_instances"`
	AvgBusy              float64           `json:"avg_busy"`
	AvgIdle              float64           `json:"avg_idle"`
	Utilization          float64           `json:"utilization"`
	PeakConcurrency      uint32            `json:"peak_concurrency"`
	Bill                 struct {
		Lines    []json.RawMessage `json:"lines"`
		TotalUSD string            `json:"total_usd"`
		ExactUSD string            `json:"exact_usd"`
	} `json:"bill"`
	Latency lambdasim.Latency `json:"latency"`
}

type minuteJSON struct {
	Minute         uint64  `json:"minute"`
	BusyMax        uint32  `json:"busy_max"`
	BusyAvg        float64 `json:"busy_avg"`
	LiveAvg        float64 `json:"live_avg"`
	Live           uint32  `json:"live"`
	Invocations    uint64  `json:"invocations"`
	ColdStarts     uint64  `json:"cold_starts"`
	Throttles      uint64  `json:"throttles"`
	AccountLimit   uint32  `json:"account_limit"`
	UnreservedPool uint64  `json:"unreserved_pool"`
	Claimed        uint64  `json:"claimed"`
}

// cents reads "12.34" as 1234.
func cents(t *testing.T, usd string) uint64 {
	t.Helper()
	d, c, ok := strings.Cut(usd, ".")
	n, err := strconv.ParseUint(d+c, 10, 64)
	if !ok || len(c) != 2 || err != nil {
		t.Fatalf("not dollars and cents: %q", usd)
	}
	return n
}

func checkSummary(t *testing.T, what string, got lambdasim.SimSummary, want *summaryJSON) {
	t.Helper()
	ints := []struct {
		name      string
		got, want uint64
	}{
		{"requests", got.Requests, want.Requests},
		{"invocations", got.Invocations, want.Invocations},
		{"cold_starts", got.ColdStarts, want.ColdStarts},
		{"full_cold_starts", got.FullColdStarts, want.FullColdStarts},
		{"partial_cold_starts", got.PartialColdStarts, want.PartialColdStarts},
		{"warm_starts", got.WarmStarts, want.WarmStarts},
		{"provisioned_starts", got.ProvisionedStarts, want.ProvisionedStarts},
		{"spillover", got.Spillover, want.Spillover},
		{"throttles", got.Throttles, want.Throttles},
		{"errors", got.Errors, want.Errors},
		{"timeouts", got.Timeouts, want.Timeouts},
		{"peak_concurrency", uint64(got.PeakConcurrency), uint64(want.PeakConcurrency)},
		{"bill.total_usd (cents)", got.TotalCents, cents(t, want.Bill.TotalUSD)},
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("%s: %s = %d, JSON says %d", what, c.name, c.got, c.want)
		}
	}
	// encoding/json reads the shortest round-trip text back as the same float64.
	floats := []struct {
		name      string
		got, want float64
	}{
		{"cold_start_probability", got.ColdStartProbability, want.ColdStartProbability},
		{"throttle_probability", got.ThrottleProbability, want.ThrottleProbability},
		{"avg_instances", got.AvgInstances, want.AvgInstances},
		{"avg_busy", got.AvgBusy, want.AvgBusy},
		{"avg_idle", got.AvgIdle, want.AvgIdle},
		{"utilization", got.Utilization, want.Utilization},
	}
	for _, c := range floats {
		if c.got != c.want {
			t.Errorf("%s: %s = %v, JSON says %v", what, c.name, c.got, c.want)
		}
	}
	var sum uint64
	for reason := lambdasim.ThrottleReason(0); reason < lambdasim.ThrottleReasonCount; reason++ {
		n, ok := want.ThrottlesByReason[reason.String()]
		if !ok || got.ThrottlesByReason[reason] != n {
			t.Errorf("%s: throttles %s = %d, JSON says %d", what, reason, got.ThrottlesByReason[reason], n)
		}
		sum += got.ThrottlesByReason[reason]
	}
	if sum != got.Throttles {
		t.Errorf("%s: throttles by reason sum to %d, not %d", what, sum, got.Throttles)
	}
	if got.ExactTotal.String() != want.Bill.ExactUSD {
		t.Errorf("%s: exact bill %s, JSON says %s", what, got.ExactTotal, want.Bill.ExactUSD)
	}
}

func runSimVector(t *testing.T, expectedPath string) {
	stem := strings.TrimSuffix(filepath.Base(expectedPath), ".expected.json")
	expected, err := os.ReadFile(expectedPath)
	if err != nil {
		t.Fatal(err)
	}
	var want simJSON
	if err := json.Unmarshal(expected, &want); err != nil {
		t.Fatal(err)
	}
	var file string
	var text []byte
	for _, ext := range []string{".toml", ".json"} {
		if b, err := os.ReadFile(filepath.Join(simVectorDir, stem+ext)); err == nil {
			file, text = stem+ext, b
			break
		}
	}
	if file == "" {
		t.Fatalf("no scenario %s.toml or %s.json", stem, stem)
	}
	r, err := lambdasim.RunScenario(string(text), lambdasim.RunOptions{Seed: lambdasim.Uint64(want.Seed), Name: file})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	got, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal([]byte(got), expected) {
		t.Fatalf("%s: the JSON differs from %s (%d vs %d bytes)", file, filepath.Base(expectedPath), len(got), len(expected))
	}
	if seed, err := r.Seed(); err != nil || seed != want.Seed {
		t.Errorf("Seed() = %d, %v; want %d", seed, err, want.Seed)
	}
	names, err := r.Functions()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(want.Functions) {
		t.Fatalf("%d functions, JSON has %d", len(names), len(want.Functions))
	}
	for i, name := range names {
		if name != want.Functions[i].Name {
			t.Errorf("function %d is %q, JSON says %q", i, name, want.Functions[i].Name)
		}
		s, err := r.Function(i)
		if err != nil {
			t.Fatal(err)
		}
		checkSummary(t, name, s, &want.Functions[i])
		b, err := r.Bill(i)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Lines) != len(want.Functions[i].Bill.Lines) || b.TotalCents != s.TotalCents || b.Exact != s.ExactTotal {
			t.Errorf("%s: Bill(%d) = %+v, summary %d cents %s", name, i, b, s.TotalCents, s.ExactTotal)
		}
	}
	total, err := r.Total()
	if err != nil {
		t.Fatal(err)
	}
	checkSummary(t, "total", total, &want.Total)
	if b, err := r.Bill(lambdasim.SimTotal); err != nil || b.TotalCents != total.TotalCents || len(b.Lines) != len(want.Total.Bill.Lines) {
		t.Errorf("Bill(SimTotal) = %+v, %v", b, err)
	}
	if _, err := r.Function(len(names)); !errors.Is(err, lambdasim.ErrUnknownFunction) {
		t.Errorf("Function(%d): %v, want ErrUnknownFunction", len(names), err)
	}
	if _, err := r.Bill(-2); !errors.Is(err, lambdasim.ErrUnknownFunction) {
		t.Errorf("Bill(-2): %v, want ErrUnknownFunction", err)
	}
	checkLatency(t, r, &want)

	minutes, err := r.Minutes()
	if err != nil {
		t.Fatal(err)
	}
	if len(minutes) != len(want.Minutes) || len(minutes) == 0 {
		t.Fatalf("%d minutes, JSON has %d", len(minutes), len(want.Minutes))
	}
	for _, i := range []int{0, len(minutes) / 2, len(minutes) - 1} {
		m, w := minutes[i], want.Minutes[i]
		if m != (lambdasim.MinutePoint{
			Minute: w.Minute, BusyMax: w.BusyMax, BusyAvg: w.BusyAvg, LiveAvg: w.LiveAvg, Live: w.Live,
			Invocations: w.Invocations, ColdStarts: w.ColdStarts, Throttles: w.Throttles,
			AccountLimit: w.AccountLimit, UnreservedPool: w.UnreservedPool, Claimed: w.Claimed,
		}) {
			t.Errorf("minute %d: %+v, JSON says %+v", i, m, w)
		}
	}
	if err := lambdasim.CheckScenario(string(text)); err != nil {
		t.Errorf("CheckScenario: %v", err)
	}
}

func TestSimVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(simVectorDir, "*.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 2 {
		t.Fatalf("only %d simulation vectors in %s", len(files), simVectorDir)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".expected.json"), func(t *testing.T) { runSimVector(t, f) })
	}
}

const smallScenario = `
seed = 5
horizon_s = 70
replications = 2

[[functions]]
name = "api"
workload = { type = "poisson", rate_per_s = 20 }
handler = { type = "exponential", mean_ms = 100 }
`

func mustRun(t *testing.T, text string, opts lambdasim.RunOptions) *lambdasim.SimResult {
	t.Helper()
	r, err := lambdasim.RunScenario(text, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}

func TestRunScenarioOptions(t *testing.T) {
	base := mustRun(t, smallScenario, lambdasim.RunOptions{})
	rep := mustRun(t, smallScenario, lambdasim.RunOptions{Replication: 1, Format: lambdasim.FormatTOML})
	seeded := mustRun(t, smallScenario, lambdasim.RunOptions{Seed: lambdasim.Uint64(6), Name: "small.toml"})
	for _, c := range []struct {
		r    *lambdasim.SimResult
		seed uint64
	}{{base, 5}, {rep, 6}, {seeded, 6}} {
		if s, err := c.r.Seed(); err != nil || s != c.seed {
			t.Errorf("Seed() = %d, %v; want %d", s, err, c.seed)
		}
	}
	a, _ := rep.Total()
	b, _ := seeded.Total()
	if a != b {
		t.Errorf("replication 1 of seed 5 differs from seed 6: %+v vs %+v", a, b)
	}
	j, _ := seeded.JSON()
	if !strings.Contains(j, `"scenario": "small.toml"`) || !strings.HasSuffix(j, "}\n") {
		t.Errorf("JSON: %.80q", j)
	}
	j, _ = base.JSON()
	if !strings.Contains(j, `"scenario": "(scenario)"`) {
		t.Errorf("JSON without a name: %.80q", j)
	}
	short := mustRun(t, smallScenario, lambdasim.RunOptions{HorizonUs: lambdasim.Uint64(30_000_000)})
	if m, err := short.Minutes(); err != nil || len(m) != 1 {
		t.Errorf("30 s: %d minutes, %v", len(m), err)
	}
	for name, opts := range map[string]lambdasim.RunOptions{
		"horizon 0":          {HorizonUs: lambdasim.Uint64(0)},
		"horizon 10^18":      {HorizonUs: lambdasim.Uint64(1_000_000_000_000_000_000)},
		"horizon 366 d + 1":  {HorizonUs: lambdasim.Uint64(31_622_400_000_001)},
		"replication 2 of 2": {Replication: 2},
		"format 3":           {Format: 3},
	} {
		if _, err := lambdasim.RunScenario(smallScenario, opts); !errors.Is(err, lambdasim.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
		}
	}
}

func TestLongRunBoundedSeries(t *testing.T) {
	// 30 days of an idle function: 43 200 minutes in 8-minute buckets.
	r := mustRun(t, "horizon_s = 2592000\n[[functions]]\nname = \"f\"\nworkload = { type = \"idle\" }\nhandler = { type = \"fixed\", ms = 1 }\n", lambdasim.RunOptions{})
	m, err := r.Minutes()
	if err != nil || len(m) != 5400 || len(m) > lambdasim.MaxMinutePoints {
		t.Fatalf("%d points, %v", len(m), err)
	}
	if b, err := r.BucketMinutes(); err != nil || b != 8 {
		t.Errorf("BucketMinutes() = %d, %v; want 8", b, err)
	}
	if m[1].Minute != 8 {
		t.Errorf("the second point starts at minute %d, want 8", m[1].Minute)
	}
	short := mustRun(t, smallScenario, lambdasim.RunOptions{})
	if b, err := short.BucketMinutes(); err != nil || b != 1 {
		t.Errorf("short run: BucketMinutes() = %d, %v; want 1", b, err)
	}
}

func TestInvalidScenarios(t *testing.T) {
	bad := "[[functions]]\nname = \"f\"\nworkload = { type = \"poison\" }\nhandler = { type = \"fixed\", ms = 1 }\n"
	const want = "(scenario):3:21: functions[0].workload.type: unknown variant `poison`"
	_, err := lambdasim.RunScenario(bad, lambdasim.RunOptions{})
	var e *lambdasim.Error
	if !errors.Is(err, lambdasim.ErrInvalidScenario) || !errors.As(err, &e) || !strings.HasPrefix(e.Detail, want) {
		t.Fatalf("RunScenario: %v", err)
	}
	if !strings.Contains(err.Error(), "InvalidScenario (LSIM_STATUS_INVALID_SCENARIO): "+want) {
		t.Errorf("message: %v", err)
	}
	err = lambdasim.CheckScenario(bad)
	if !errors.Is(err, lambdasim.ErrInvalidScenario) || !errors.As(err, &e) || !strings.HasPrefix(e.Detail, want) || e.Op != "CheckScenario" {
		t.Errorf("CheckScenario: %v", err)
	}
	if err := lambdasim.CheckScenario(smallScenario); err != nil {
		t.Errorf("a valid scenario: %v", err)
	}
	// TOML read as JSON; invalid UTF-8; a long input quoted in 80 characters.
	_, err = lambdasim.RunScenario(smallScenario, lambdasim.RunOptions{Format: lambdasim.FormatJSON})
	if !errors.As(err, &e) || !strings.HasPrefix(e.Detail, "(scenario):2:1: expected value") {
		t.Errorf("TOML as JSON: %v", err)
	}
	err = lambdasim.CheckScenario("seed = 1\n\xff\n")
	if !errors.As(err, &e) || e.Detail != "(scenario):2:1: the scenario is not valid UTF-8" {
		t.Errorf("invalid UTF-8: %v", err)
	}
	long := "[[functions]]\nname = \"" + strings.Repeat("x", 3000) + "\"\n" + strings.Repeat("\n", 3) + "memory_mb = 1\nworkload = { type = \"idle\" }\nhandler = { type = \"fixed\", ms = 1 }\n"
	err = lambdasim.CheckScenario(long)
	quoted := "function \"" + strings.Repeat("x", 80) + "…\""
	if !errors.As(err, &e) || !strings.Contains(e.Detail, quoted) || !strings.Contains(e.Detail, "memory_mb") || len(e.Detail) > 400 {
		t.Errorf("long input: %.300v", err)
	}
	if err := lambdasim.CheckScenario(""); !errors.Is(err, lambdasim.ErrInvalidScenario) {
		t.Errorf("empty text: %v", err)
	}
	capacity := "horizon_s = 2\n[region]\naccount_limit = 70000\nscaling = { legacy_burst = 70000 }\n[[functions]]\nname = \"f\"\nworkload = { type = \"constant\", rate_per_s = 70000 }\nhandler = { type = \"fixed\", ms = 5000 }\n"
	if _, err := lambdasim.RunScenario(capacity, lambdasim.RunOptions{}); !errors.Is(err, lambdasim.ErrCapacityExceeded) {
		t.Errorf("past 65 536 environments: %v", err)
	}
	if lambdasim.StatusInvalidScenario.String() != "LSIM_STATUS_INVALID_SCENARIO" ||
		lambdasim.StatusSimulationFailed.String() != "LSIM_STATUS_SIMULATION_FAILED" ||
		lambdasim.StatusSimulationFailed.Name() != "SimulationFailed" {
		t.Error("status names")
	}
}

func TestClosedSimResult(t *testing.T) {
	r, err := lambdasim.RunScenario(smallScenario, lambdasim.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	var nilResult *lambdasim.SimResult
	for _, res := range []*lambdasim.SimResult{r, nilResult} {
		_, e1 := res.JSON()
		_, e2 := res.Functions()
		_, e3 := res.Total()
		_, e4 := res.Function(0)
		_, e5 := res.Bill(0)
		_, e6 := res.Minutes()
		_, e7 := res.Seed()
		_, e8 := res.BucketMinutes()
		for i, err := range []error{e1, e2, e3, e4, e5, e6, e7, e8} {
			if !errors.Is(err, lambdasim.ErrClosed) {
				t.Errorf("call %d on a closed result: %v", i+1, err)
			}
		}
	}
	if err := nilResult.Close(); err != nil {
		t.Errorf("nil Close: %v", err)
	}
	_, err = r.Total()
	if err == nil || !strings.Contains(err.Error(), "SimResult.Total: result is closed") {
		t.Errorf("message: %v", err)
	}
}

func TestSimResultConcurrentUse(t *testing.T) {
	r := mustRun(t, smallScenario, lambdasim.RunOptions{})
	want, _ := r.JSON()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if j, err := r.JSON(); err != nil || j != want {
					t.Errorf("JSON: %v", err)
					return
				}
				if _, err := r.Minutes(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// Runs on several goroutines at once give the same bytes.
	results := make([]string, 3)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := lambdasim.RunScenario(smallScenario, lambdasim.RunOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Close()
			results[g], _ = res.JSON()
		}()
	}
	wg.Wait()
	for _, j := range results {
		if j != want {
			t.Error("a concurrent run gave other bytes")
		}
	}
}
