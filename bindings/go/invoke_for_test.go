package lambdasim_test

import (
	"errors"
	"testing"

	"lambdasim"
)

// The region ends an InvokeFor invocation by itself at ReadyAtUs +
// DurationUs; the environment is then idle and reused warm, and the spent
// handle is unknown.
func TestInvokeForEndsByItself(t *testing.T) {
	r := newRegion(t)
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	a, err := r.InvokeFor(0, f, lambdasim.Handler{DurationUs: 200_000, Outcome: lambdasim.OutcomeSuccess})
	if err != nil {
		t.Fatal(err)
	}
	if a.Start != lambdasim.StartFullCold || a.ReadyAtUs != coldUs || a.Function != f {
		t.Fatalf("first InvokeFor = %+v", a)
	}
	end := a.ReadyAtUs + 200_000
	if err := r.Advance(end - 1); err != nil {
		t.Fatal(err)
	}
	if busy, _ := r.FunctionBusy(f); busy != 1 {
		t.Errorf("busy 1 µs before the end = %d, want 1", busy)
	}
	if at, ok, err := r.NextDeadline(); err != nil || !ok || at != end {
		t.Errorf("NextDeadline = %d, %v, %v; want the end %d", at, ok, err, end)
	}
	if err := r.Advance(end); err != nil {
		t.Fatal(err)
	}
	if busy, _ := r.FunctionBusy(f); busy != 0 {
		t.Errorf("busy at the end = %d, want 0", busy)
	}
	if s, _ := r.EnvState(a.Env); s != lambdasim.EnvIdle {
		t.Errorf("EnvState at the end = %v, want Idle", s)
	}
	_, err = r.Finish(end, a, lambdasim.OutcomeSuccess)
	wantErr(t, "Finish after the scheduled end", err, lambdasim.ErrUnknownInvocation)

	// Warm reuse; a zero Outcome is Success.
	b, err := r.InvokeFor(end+1_000, f, lambdasim.Handler{DurationUs: 0})
	if err != nil {
		t.Fatal(err)
	}
	if b.Start != lambdasim.StartWarm || b.Env != a.Env || b.ReadyAtUs != end+1_000 {
		t.Errorf("second InvokeFor = %+v, want Warm on %v", b, a.Env)
	}
	// A zero handler ends at the invoke's own instant, applied by the next call.
	if busy, _ := r.FunctionBusy(f); busy != 1 {
		t.Errorf("busy right after a zero-handler invoke = %d, want 1", busy)
	}
	if err := r.Advance(end + 1_000); err != nil {
		t.Fatal(err)
	}
	s, err := r.RegionStats()
	if err != nil {
		t.Fatal(err)
	}
	if s.Succeeded != 2 || s.Errors != 0 || s.WarmStarts != 1 || s.FullColdStarts != 1 {
		t.Errorf("stats %+v", s)
	}
	if err := r.Check(); err != nil {
		t.Error(err)
	}
}

// Outcomes: a function error keeps the environment warm, a crash resets it
// (the next start is partial cold), a handler as long as the timeout is a
// timeout at the timeout, and an early Finish replaces the scheduled end.
func TestInvokeForOutcomesTimeoutAndEarlyFinish(t *testing.T) {
	r := newRegion(t)
	cfg := lambdasim.DefaultFunctionConfig()
	cfg.TimeoutMs = 1000
	f := mustCreate(t, r, 0, cfg)
	step := func(now, durationUs uint64, o lambdasim.Outcome, want lambdasim.StartKind) lambdasim.Invocation {
		t.Helper()
		inv, err := r.InvokeFor(now, f, lambdasim.Handler{DurationUs: durationUs, Outcome: o})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Start != want {
			t.Errorf("InvokeFor at %d started %v, want %v", now, inv.Start, want)
		}
		return inv
	}
	step(0, 100_000, lambdasim.OutcomeFunctionError, lambdasim.StartFullCold)
	step(1_000_000, 100_000, lambdasim.OutcomeCrash, lambdasim.StartWarm)
	p := step(2_000_000, 100_000, lambdasim.OutcomeSuccess, lambdasim.StartPartialCold)
	if p.ReadyAtUs != 2_250_000 {
		t.Errorf("partial cold ReadyAtUs = %d, want 2250000", p.ReadyAtUs)
	}
	q := step(3_000_000, 1_000_000, lambdasim.OutcomeSuccess, lambdasim.StartWarm)
	if err := r.Advance(3_999_999); err != nil {
		t.Fatal(err)
	}
	if busy, _ := r.FunctionBusy(f); busy != 1 {
		t.Errorf("busy before the timeout = %d", busy)
	}
	_, err := r.Finish(4_000_000, q, lambdasim.OutcomeSuccess)
	wantErr(t, "Finish at the timeout", err, lambdasim.ErrTimedOut)
	e := step(5_000_000, 500_000, lambdasim.OutcomeSuccess, lambdasim.StartPartialCold)
	done, err := r.Finish(5_400_000, e, lambdasim.OutcomeFunctionError)
	if err != nil || done.DurationUs != 400_000 || !done.EnvKept {
		t.Errorf("early Finish of a partial cold start = %+v, %v; want 400000 (init inside), kept", done, err)
	}
	if err := r.Advance(6_000_000); err != nil {
		t.Fatal(err)
	}
	s, err := r.RegionStats()
	if err != nil {
		t.Fatal(err)
	}
	if s.Succeeded != 1 || s.Errors != 4 || s.Timeouts != 1 || s.PartialColdStarts != 2 || s.Invocations != 5 {
		t.Errorf("stats %+v", s)
	}
	if err := r.Check(); err != nil {
		t.Error(err)
	}
}

func TestInvokeForWithInit(t *testing.T) {
	r := newRegion(t)
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	h := lambdasim.Handler{DurationUs: 50_000, Outcome: lambdasim.OutcomeSuccess}
	a, err := r.InvokeForWithInit(0, f, h, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if a.Start != lambdasim.StartFullCold || a.InitUs != 130_000+1_000_000 || a.ReadyAtUs != 1_130_000 {
		t.Errorf("InvokeForWithInit = %+v", a)
	}
	if at, ok, _ := r.NextDeadline(); !ok || at != 130_000 {
		t.Errorf("NextDeadline = %d, %v; want the sandbox at 130000", at, ok)
	}
	if err := r.Advance(1_180_000); err != nil {
		t.Fatal(err)
	}
	if busy, _ := r.FunctionBusy(f); busy != 0 {
		t.Errorf("busy at ReadyAtUs + 50 ms = %d, want 0", busy)
	}
	// Warm: the override is not used.
	b, err := r.InvokeForWithInit(2_000_000, f, h, 9_000_000)
	if err != nil || b.Start != lambdasim.StartWarm || b.InitUs != 0 || b.ReadyAtUs != 2_000_000 {
		t.Errorf("warm InvokeForWithInit = %+v, %v", b, err)
	}
}

func TestInvokeForErrors(t *testing.T) {
	r := newRegion(t)
	cfg := lambdasim.DefaultFunctionConfig()
	cfg.Reserved = lambdasim.Uint32(0)
	z := mustCreate(t, r, 0, cfg)
	h := lambdasim.Handler{DurationUs: 1_000}
	for name, call := range map[string]func() (lambdasim.Invocation, error){
		"InvokeFor":         func() (lambdasim.Invocation, error) { return r.InvokeFor(0, z, h) },
		"InvokeForWithInit": func() (lambdasim.Invocation, error) { return r.InvokeForWithInit(0, z, h, 5) },
	} {
		inv, err := call()
		var te *lambdasim.ThrottleError
		if !errors.Is(err, lambdasim.ErrThrottled) || !errors.As(err, &te) || te.Op != name ||
			te.Reason != lambdasim.ThrottleReservedFunctionConcurrentInvocationLimitExceeded {
			t.Errorf("%s with RC 0: %v, want a ThrottleError naming it", name, err)
		}
		if inv != (lambdasim.Invocation{}) {
			t.Errorf("%s: a throttled invoke returned %+v", name, inv)
		}
	}

	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	for _, o := range []lambdasim.Outcome{4, 99, lambdasim.Outcome(^uint32(0))} {
		_, err := r.InvokeFor(1_000, f, lambdasim.Handler{DurationUs: 1, Outcome: o})
		wantErr(t, "InvokeFor with an unknown outcome", err, lambdasim.ErrInvalidArgument)
		_, err = r.InvokeForWithInit(1_000, f, lambdasim.Handler{DurationUs: 1, Outcome: o}, 5)
		wantErr(t, "InvokeForWithInit with an unknown outcome", err, lambdasim.ErrInvalidArgument)
	}
	if now, err := r.Now(); err != nil || now != 0 {
		t.Errorf("Now after rejected outcomes = %d, %v; want 0 (nothing happened)", now, err)
	}

	if err := r.DeleteFunction(0, f); err != nil {
		t.Fatal(err)
	}
	_, err := r.InvokeFor(0, f, h)
	wantErr(t, "InvokeFor of a deleted function", err, lambdasim.ErrUnknownFunction)
	_, err = r.InvokeForWithInit(0, f, h, 5)
	wantErr(t, "InvokeForWithInit of a deleted function", err, lambdasim.ErrUnknownFunction)
	if err := r.Advance(1_000); err != nil {
		t.Fatal(err)
	}
	_, err = r.InvokeFor(999, z, h)
	wantErr(t, "InvokeFor back in time", err, lambdasim.ErrTimeWentBackwards)
	_, err = r.InvokeForWithInit(999, z, h, 5)
	wantErr(t, "InvokeForWithInit back in time", err, lambdasim.ErrTimeWentBackwards)
}
