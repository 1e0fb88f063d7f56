package lambdasim_test

// The cross-language digest (tests/vectors/README.md, "Digest"): a seeded
// operation sequence run through the binding, its outcomes hashed with
// FNV-1a 64; it must equal the digest Rust stores in
// tests/vectors/digest/seeded-ops.json.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"lambdasim"
)

// splitMix64 is the SplitMix64 PRNG.
type splitMix64 uint64

func (s *splitMix64) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// fnv1a is FNV-1a 64 over little-endian u64 values.
type fnv1a uint64

func (h *fnv1a) feed(values ...uint64) {
	var b [8]byte
	for _, v := range values {
		binary.LittleEndian.PutUint64(b[:], v)
		for _, c := range b {
			*h ^= fnv1a(c)
			*h *= 0x100000001b3
		}
	}
}

func boolU64(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// invokeErrorCode: UnknownFunction 1, TimeWentBackwards 2, CapacityExceeded 3, else 9.
func invokeErrorCode(err error) uint64 {
	switch {
	case errors.Is(err, lambdasim.ErrUnknownFunction):
		return 1
	case errors.Is(err, lambdasim.ErrTimeWentBackwards):
		return 2
	case errors.Is(err, lambdasim.ErrCapacityExceeded):
		return 3
	}
	return 9
}

// finishErrorCode: UnknownInvocation 1, TimedOut 2, NotReady 3, else 9.
func finishErrorCode(err error) uint64 {
	switch {
	case errors.Is(err, lambdasim.ErrUnknownInvocation):
		return 1
	case errors.Is(err, lambdasim.ErrTimedOut):
		return 2
	case errors.Is(err, lambdasim.ErrNotReady):
		return 3
	}
	return 9
}

// outcomes by (x >> 48) % 8: 0..=4 Success, 5 FunctionError, 6 Timeout, 7 Crash.
var digestOutcomes = [8]lambdasim.Outcome{
	lambdasim.OutcomeSuccess, lambdasim.OutcomeSuccess, lambdasim.OutcomeSuccess, lambdasim.OutcomeSuccess,
	lambdasim.OutcomeSuccess, lambdasim.OutcomeFunctionError, lambdasim.OutcomeTimeout, lambdasim.OutcomeCrash,
}

type digestSpec struct {
	region    lambdasim.RegionConfig
	functions []lambdasim.FunctionConfig
	seed      uint64
	steps     uint64
	digest    string
}

func readDigestSpec(path string) (digestSpec, error) {
	var s digestSpec
	text, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	v, err := parseJSON(text)
	if err != nil {
		return s, err
	}
	top, err := asObj(v, "digest spec")
	if err != nil {
		return s, err
	}
	if err := top.allow("name", "description", "seed", "steps", "region", "functions", "digest"); err != nil {
		return s, err
	}
	if s.region, err = parseRegion(top.m["region"]); err != nil {
		return s, err
	}
	fs, ok := top.m["functions"].([]any)
	if !ok || len(fs) == 0 {
		return s, errors.New("`functions` must be a non-empty array")
	}
	for i, f := range fs {
		_, fc, err := parseFunction(f, fmt.Sprintf("functions[%d]", i))
		if err != nil {
			return s, err
		}
		s.functions = append(s.functions, fc)
	}
	if s.seed, err = top.reqU64("seed"); err != nil {
		return s, err
	}
	if s.steps, err = top.reqU64("steps"); err != nil {
		return s, err
	}
	if s.digest, err = top.reqStr("digest"); err != nil {
		return s, err
	}
	return s, nil
}

type openInvocation struct {
	inv     lambdasim.Invocation
	readyAt uint64
}

// runDigest runs the generator of tests/vectors/README.md against the
// binding, checking the region's invariants after every step.
func runDigest(s digestSpec) (uint64, error) {
	region, err := lambdasim.NewRegion(s.region)
	if err != nil {
		return 0, err
	}
	defer region.Close()
	functions := make([]lambdasim.Function, 0, len(s.functions))
	for i, fc := range s.functions {
		f, err := region.CreateFunction(0, fc)
		if err != nil {
			return 0, fmt.Errorf("functions[%d]: %w", i, err)
		}
		functions = append(functions, f)
	}
	rng := splitMix64(s.seed)
	h := fnv1a(0xcbf29ce484222325)
	var now uint64
	var open []openInvocation
	for step := uint64(0); step < s.steps; step++ {
		x := rng.next()
		now += x % 50000
		switch kind := (x >> 20) % 10; {
		case kind <= 3:
			f := functions[(x>>32)%uint64(len(functions))]
			inv, err := region.Invoke(now, f)
			var te *lambdasim.ThrottleError
			switch {
			case err == nil:
				open = append(open, openInvocation{inv, inv.ReadyAtUs})
				h.feed(1, uint64(inv.Start), uint64(inv.Env.Index), inv.InitUs, inv.ReadyAtUs, boolU64(inv.OnProvisioned))
			case errors.As(err, &te):
				h.feed(2, uint64(te.Reason))
			default:
				h.feed(9, invokeErrorCode(err))
			}
		case kind <= 8:
			if len(open) == 0 {
				h.feed(0)
				break
			}
			i := (x >> 40) % uint64(len(open))
			if now < open[i].readyAt {
				h.feed(6) // still cold-starting: leave it open
				break
			}
			inv := open[i].inv
			open[i] = open[len(open)-1]
			open = open[:len(open)-1]
			fin, err := region.Finish(now, inv, digestOutcomes[(x>>48)%8])
			if err != nil {
				h.feed(8, finishErrorCode(err))
			} else {
				h.feed(3, fin.DurationUs, boolU64(fin.EnvKept))
			}
		default:
			if err := region.Advance(now); err != nil {
				return 0, fmt.Errorf("step %d: Advance(%d): %w", step, now, err)
			}
			at, has, err := region.NextDeadline()
			if err != nil {
				return 0, fmt.Errorf("step %d: NextDeadline: %w", step, err)
			}
			if !has {
				at = math.MaxUint64
			}
			h.feed(4, at)
		}
		if err := region.Check(); err != nil {
			return 0, fmt.Errorf("step %d: %w", step, err)
		}
	}
	counts, err := region.RegionCounts()
	if err != nil {
		return 0, err
	}
	st, err := region.RegionStats()
	if err != nil {
		return 0, err
	}
	h.feed(5, counts.Busy, counts.Live, st.Requests, st.Invocations, st.ThrottlesTotal(), st.FullColdStarts,
		st.PartialColdStarts, st.WarmStarts, st.ProvisionedStarts, st.Errors, st.Timeouts, st.EnvsCreated,
		st.EnvsTerminated)
	return uint64(h), nil
}

func TestDigest(t *testing.T) {
	path := filepath.Join(vectorDir, "digest", "seeded-ops.json")
	spec, err := readDigestSpec(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	d, err := runDigest(spec)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if got := fmt.Sprintf("0x%016x", d); got != spec.digest {
		t.Fatalf("digest of %s: got %s, want %s", path, got, spec.digest)
	}
}

// TestDigestPrimitives pins SplitMix64 and FNV-1a 64 to known values, so a
// digest mismatch points at the model and not at the hashing.
func TestDigestPrimitives(t *testing.T) {
	// SplitMix64 from seed 0: the reference sequence.
	rng := splitMix64(0)
	for i, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := rng.next(); got != want {
			t.Errorf("splitmix64(0) #%d = %#x, want %#x", i, got, want)
		}
	}
	// FNV-1a 64 of the empty input is the offset basis.
	h := fnv1a(0xcbf29ce484222325)
	if uint64(h) != 0xcbf29ce484222325 {
		t.Errorf("empty FNV-1a = %#x", uint64(h))
	}
	h.feed(0) // eight zero bytes
	want := uint64(0xcbf29ce484222325)
	for i := 0; i < 8; i++ {
		want *= 0x100000001b3
	}
	if uint64(h) != want {
		t.Errorf("FNV-1a of 8 zero bytes = %#x, want %#x", uint64(h), want)
	}
	h2 := fnv1a(0xcbf29ce484222325)
	h2.feed(0x0102030405060708)
	h3 := fnv1a(0xcbf29ce484222325)
	for _, b := range []byte{8, 7, 6, 5, 4, 3, 2, 1} { // little-endian order
		h3 ^= fnv1a(b)
		h3 *= 0x100000001b3
	}
	if h2 != h3 {
		t.Errorf("feed is not little-endian: %#x vs %#x", uint64(h2), uint64(h3))
	}
}
