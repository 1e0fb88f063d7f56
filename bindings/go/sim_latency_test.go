package lambdasim_test

import (
	"errors"
	"testing"

	"lambdasim"
)

// checkLatency compares every function's and the total's Latency with the
// JSON's "latency", and checks the index errors.
func checkLatency(t *testing.T, r *lambdasim.SimResult, want *simJSON) {
	t.Helper()
	for i := range want.Functions {
		got, err := r.Latency(i)
		if err != nil {
			t.Fatal(err)
		}
		if got != want.Functions[i].Latency {
			t.Errorf("Latency(%d) = %+v, JSON %+v", i, got, want.Functions[i].Latency)
		}
	}
	total, err := r.Latency(lambdasim.SimTotal)
	if err != nil || total != want.Total.Latency {
		t.Errorf("Latency(SimTotal) = %+v, %v; JSON %+v", total, err, want.Total.Latency)
	}
	if total.HandlerDuration.Samples != want.Total.Invocations {
		t.Errorf("total handler samples %d, invocations %d", total.HandlerDuration.Samples, want.Total.Invocations)
	}
	for _, i := range []int{len(want.Functions), -2} {
		if _, err := r.Latency(i); !errors.Is(err, lambdasim.ErrUnknownFunction) {
			t.Errorf("Latency(%d): %v, want ErrUnknownFunction", i, err)
		}
	}
}

func TestLatencyOfAClosedResult(t *testing.T) {
	r, err := lambdasim.RunScenario(smallScenario, lambdasim.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := r.Latency(0)
	if err != nil || l.HandlerDuration.Samples == 0 || l.ResponseTime.P99Us < l.HandlerDuration.P99Us {
		t.Fatalf("Latency(0) = %+v, %v", l, err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Latency(0); !errors.Is(err, lambdasim.ErrClosed) {
		t.Errorf("Latency after Close: %v, want ErrClosed", err)
	}
}
