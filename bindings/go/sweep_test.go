package lambdasim

// The sweep vectors (tests/vectors/sweep, tests/vectors/README.md "Sweep
// vectors"): RunSweep returns each expected output byte for byte, for any
// thread count; then the errors.

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const sweepVectorDir = "../../tests/vectors/sweep"

type sweepSpec struct {
	Scenario     string            `json:"scenario"`
	Sets         []string          `json:"sets"`
	Replications uint32            `json:"replications"`
	Pick         string            `json:"pick"`
	Expected     map[string]string `json:"expected"`
}

var sweepOutputs = map[string]SweepOutput{"text": SweepText, "csv": SweepCSV, "json": SweepJSON}

func TestSweepVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sweepVectorDir, "*.sweep.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sweep vector in %s: %v", sweepVectorDir, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var spec sweepSpec
		if err := json.Unmarshal(raw, &spec); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		text, err := os.ReadFile(filepath.Join(sweepVectorDir, spec.Scenario))
		if err != nil {
			t.Fatal(err)
		}
		for key, file := range spec.Expected {
			expected, err := os.ReadFile(filepath.Join(sweepVectorDir, file))
			if err != nil {
				t.Fatal(err)
			}
			for _, threads := range []uint32{1, 3} {
				got, err := RunSweep(string(text), SweepOptions{
					Sets: spec.Sets, Output: sweepOutputs[key], Replications: spec.Replications,
					Pick: spec.Pick, Name: spec.Scenario, Threads: threads,
				})
				if err != nil {
					t.Fatalf("%s %s: %v", f, key, err)
				}
				if got != string(expected) {
					t.Fatalf("%s: the %s output differs from %s (%d vs %d bytes)", f, key, file, len(got), len(expected))
				}
			}
		}
	}
}

const smallSweep = "horizon_s = 30\n[[functions]]\nname = \"api\"\nworkload = { type = \"poisson\", rate_per_s = 5 }\nhandler = { type = \"fixed\", ms = 50 }\n"

func TestSweepShardsMakeTheWhole(t *testing.T) {
	opts := SweepOptions{Sets: []string{"seed=1..4", "functions[0].memory_mb=128,256"}, Output: SweepCSV}
	whole, err := RunSweep(smallSweep, opts)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for i := uint32(0); i < 3; i++ {
		opts.ShardIndex, opts.ShardCount = i, 3
		part, err := RunSweep(smallSweep, opts)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, strings.Split(strings.TrimSuffix(part, "\n"), "\n")[1:]...)
	}
	key := func(row string) int {
		n := 0
		for _, c := range row[:strings.IndexByte(row, ',')] {
			n = n*10 + int(c-'0')
		}
		return n
	}
	sort.SliceStable(rows, func(a, b int) bool { return key(rows[a]) < key(rows[b]) })
	want := strings.Split(strings.TrimSuffix(whole, "\n"), "\n")[1:]
	if strings.Join(rows, "\n") != strings.Join(want, "\n") || len(want) != 8 {
		t.Fatalf("shards:\n%s\nwhole:\n%s", strings.Join(rows, "\n"), whole)
	}
}

func TestSweepErrorsCarryTheCommandsMessage(t *testing.T) {
	_, err := RunSweep(smallSweep, SweepOptions{Sets: []string{"functions[2].memory_mb=512"}})
	var e *Error
	if !errors.As(err, &e) || e.Code != StatusInvalidScenario {
		t.Fatalf("want an invalid scenario, got %v", err)
	}
	if e.Detail != "(scenario): functions[2].memory_mb: [2]: the list has 1 entry, [0]" {
		t.Fatalf("detail %q", e.Detail)
	}
	_, err = RunSweep(smallSweep, SweepOptions{Sets: []string{"seed=1"}, Pick: "cheapest"})
	if !errors.As(err, &e) || e.Code != StatusInvalidArgument || !strings.Contains(e.Detail, "starts with min or max") {
		t.Fatalf("bad pick: %v", err)
	}
	if _, err = RunSweep(smallSweep, SweepOptions{}); !errors.As(err, &e) || e.Code != StatusInvalidArgument {
		t.Fatalf("no set: %v", err)
	}
	if _, err = RunSweep(smallSweep, SweepOptions{Sets: []string{"seed=1\nhorizon_s=5"}}); !errors.As(err, &e) {
		t.Fatalf("a set across lines: %v", err)
	}
}
