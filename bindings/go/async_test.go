package lambdasim_test

import (
	"errors"
	"testing"

	"lambdasim"
)

// A failing event's attempts at 10 s, 1 min after the first ended and 2
// min after the second, then the dead-letter queue; bad input is an error.
func TestInvokeAsync(t *testing.T) {
	r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fc := lambdasim.DefaultFunctionConfig()
	fc.SandboxUs, fc.PackageMB, fc.InitUs, fc.TimeoutMs = 0, 0, 0, 900000
	f, err := r.CreateFunction(0, fc)
	if err != nil {
		t.Fatal(err)
	}
	h := lambdasim.Handler{DurationUs: 5_000_000, Outcome: lambdasim.OutcomeFunctionError}
	if _, err := r.InvokeAsync(0, f, h, 255); !errors.Is(err, lambdasim.ErrInvalidArgument) {
		t.Fatalf("InvokeAsync without a queue: %v", err)
	}
	if err := r.AttachAsyncQueue(4); err != nil {
		t.Fatal(err)
	}
	c := lambdasim.DefaultAsyncConfig()
	if c.MaxRetryAttempts != 2 || c.MaxEventAgeS != 21600 {
		t.Fatalf("defaults %+v", c)
	}
	c.MaxRetryAttempts = 3
	if err := r.PutAsyncConfig(f, c); !errors.Is(err, lambdasim.ErrMaximumRetryAttemptsOutOfRange) {
		t.Fatalf("3 retries: %v", err)
	}
	c.MaxRetryAttempts, c.DeadLetterQueue = 2, lambdasim.DeliveryAvailable
	if err := r.PutAsyncConfig(f, c); err != nil {
		t.Fatal(err)
	}
	e, err := r.InvokeAsync(10_000_000, f, h, 255)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		at       uint64
		state    lambdasim.AsyncState
		attempts uint32
		due      uint64
	}{
		{15_000_000, lambdasim.AsyncQueued, 1, 75_000_000},
		{75_000_000, lambdasim.AsyncRunning, 2, 0},
		{80_000_000, lambdasim.AsyncQueued, 2, 200_000_000},
		{205_000_000, lambdasim.AsyncDropped, 3, 0},
	} {
		if err := r.Advance(step.at); err != nil {
			t.Fatal(err)
		}
		s, err := r.AsyncEventStatus(e)
		if err != nil {
			t.Fatal(err)
		}
		if s.State != step.state || s.Attempts != step.attempts || s.DueAtUs != step.due {
			t.Errorf("at %d us: %+v, want %v after %d attempts due %d", step.at, s, step.state, step.attempts, step.due)
		}
	}
	s, err := r.RegionAsyncStats()
	if err != nil {
		t.Fatal(err)
	}
	if s.Received != 1 || s.Attempts != 3 || s.RetriesExhausted != 1 || s.DeadLettered != 1 {
		t.Errorf("stats %+v", s)
	}
	fs, err := r.FunctionAsyncStats(f)
	if err != nil || fs != s {
		t.Errorf("function stats %+v, %v", fs, err)
	}
	if _, err := r.AsyncEventStatus(lambdasim.AsyncEvent{Index: e.Index, Generation: e.Generation + 1, RegionTag: e.RegionTag}); !errors.Is(err, lambdasim.ErrUnknownAsyncEvent) {
		t.Errorf("stale event: %v", err)
	}
	if err := r.Check(); err != nil {
		t.Error(err)
	}
}
