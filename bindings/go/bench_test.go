package lambdasim_test

import (
	"testing"

	"lambdasim"
)

// benchRegion is a region with one function and its one environment warm,
// the request-rate limit off, and the clock 10 s in: each call of the
// benchmarks below steps 10 µs and runs a 5 µs handler, so every invoke is
// a warm start on the same environment (as bench/benches/ffi.rs does).
func benchRegion(b *testing.B) (*lambdasim.Region, lambdasim.Function, uint64) {
	b.Helper()
	cfg := lambdasim.DefaultRegionConfig()
	cfg.RequestRatePerLimit = 0
	r, err := lambdasim.NewRegion(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Close() })
	fc := lambdasim.DefaultFunctionConfig()
	fc.TimeoutMs = 900_000
	f, err := r.CreateFunction(0, fc)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.InvokeFor(0, f, lambdasim.Handler{DurationUs: 5}); err != nil {
		b.Fatal(err)
	}
	return r, f, 10_000_000
}

// One warm InvokeFor per iteration: the Go binding's cost per call.
func BenchmarkInvokeFor(b *testing.B) {
	r, f, t := benchRegion(b)
	h := lambdasim.Handler{DurationUs: 5, Outcome: lambdasim.OutcomeSuccess}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t += 10
		inv, err := r.InvokeFor(t, f, h)
		if err != nil || inv.Start != lambdasim.StartWarm {
			b.Fatalf("InvokeFor = %+v, %v", inv, err)
		}
	}
}

// One warm Invoke + Finish pair per iteration.
func BenchmarkInvokeFinish(b *testing.B) {
	r, f, t := benchRegion(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t += 10
		inv, err := r.Invoke(t, f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Finish(t+5, inv, lambdasim.OutcomeSuccess); err != nil {
			b.Fatal(err)
		}
	}
}

// The per-call methods allocate nothing on success: no out-struct, closure
// or error boxed on the heap (there were two allocations per InvokeFor and
// four per Invoke + Finish).
func TestPerCallMethodsDoNotAllocate(t *testing.T) {
	r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := r.CreateFunction(0, lambdasim.DefaultFunctionConfig())
	if err != nil {
		t.Fatal(err)
	}
	h := lambdasim.Handler{DurationUs: 5}
	// One environment, warm from 10 s on: every call below starts warm.
	if _, err := r.InvokeFor(0, f, h); err != nil {
		t.Fatal(err)
	}
	now := uint64(10_000_000)
	calls := map[string]func(){
		"InvokeFor": func() {
			now += 1_000
			if _, err := r.InvokeFor(now, f, h); err != nil {
				t.Fatal(err)
			}
		},
		"Invoke+Finish": func() {
			now += 1_000
			inv, err := r.Invoke(now, f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Finish(now+5, inv, lambdasim.OutcomeSuccess); err != nil {
				t.Fatal(err)
			}
		},
		"Advance+NextDeadline+Now": func() {
			now += 1_000
			if err := r.Advance(now); err != nil {
				t.Fatal(err)
			}
			if _, _, err := r.NextDeadline(); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Now(); err != nil {
				t.Fatal(err)
			}
		},
		"FunctionBusy": func() {
			if _, err := r.FunctionBusy(f); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, call := range calls {
		if n := testing.AllocsPerRun(100, call); n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", name, n)
		}
	}
}
