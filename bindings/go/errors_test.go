package lambdasim_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lambdasim"
)

func newRegion(t *testing.T) *lambdasim.Region {
	t.Helper()
	r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
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

func mustCreate(t *testing.T, r *lambdasim.Region, nowUs uint64, cfg lambdasim.FunctionConfig) lambdasim.Function {
	t.Helper()
	f, err := r.CreateFunction(nowUs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// wantErr fails unless err matches target with errors.Is.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func TestVersionsAndDefaults(t *testing.T) {
	if got := lambdasim.LibraryABIVersion(); got != lambdasim.ABIVersion {
		t.Errorf("library ABI %d, binding %d", got, lambdasim.ABIVersion)
	}
	if lambdasim.LibraryVersion() == "" {
		t.Error("empty library version")
	}
	rc := lambdasim.DefaultRegionConfig()
	want := lambdasim.RegionConfig{
		AccountLimit: 1000, UnreservedMin: 100, ScalingRule: lambdasim.ScalingPerFunction, LegacyBurst: 3000,
		RequestRatePerLimit: 10, IdleTimeoutUs: 600_000_000, MaxLifetimeUs: 7_200_000_000, ShutdownUs: 0,
		WarmPick: lambdasim.WarmPickMRU, MemoryRule: lambdasim.MemoryRuleCurrent,
		ProvisionedDelayUs: 60_000_000, ProvisionedPerMinute: 6000,
		Granularity: lambdasim.Granularity1ms, BillInit: true,
		EnvCapacity: 16384, FunctionCapacity: 256,
	}
	if rc != want {
		t.Errorf("DefaultRegionConfig() = %+v, want %+v", rc, want)
	}
	fc := lambdasim.DefaultFunctionConfig()
	if fc.MemoryMB != 128 || fc.TimeoutMs != 3000 || fc.Reserved != nil || fc.Provisioned != 0 ||
		fc.SandboxUs != 125_000 || fc.DownloadUsPerMB != 1000 || fc.PackageMB != 5 || fc.InitUs != 250_000 ||
		fc.Architecture != lambdasim.ArchX86_64 || fc.EphemeralMB != 512 {
		t.Errorf("DefaultFunctionConfig() = %+v", fc)
	}
}

func TestEnumStrings(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{lambdasim.StartWarm.String(), "Warm"},
		{lambdasim.StartProvisioned.String(), "Provisioned"},
		{lambdasim.StartPartialCold.String(), "PartialCold"},
		{lambdasim.StartFullCold.String(), "FullCold"},
		{lambdasim.StartKind(99).String(), "StartKind(99)"},
		{lambdasim.ThrottleConcurrentInvocationLimitExceeded.String(), "ConcurrentInvocationLimitExceeded"},
		{lambdasim.ThrottleReservedFunctionConcurrentInvocationLimitExceeded.String(), "ReservedFunctionConcurrentInvocationLimitExceeded"},
		{lambdasim.ThrottleRequestRateExceeded.String(), "RequestRateExceeded"},
		{lambdasim.ThrottleScalingRateExceeded.String(), "ScalingRateExceeded"},
		{lambdasim.ThrottleFunctionInvocationRateLimitExceeded.String(), "FunctionInvocationRateLimitExceeded"},
		{lambdasim.ThrottleReason(5).String(), "ThrottleReason(5)"},
		{lambdasim.OutcomeSuccess.String(), "Success"},
		{lambdasim.OutcomeFunctionError.String(), "FunctionError"},
		{lambdasim.OutcomeTimeout.String(), "Timeout"},
		{lambdasim.OutcomeCrash.String(), "Crash"},
		{lambdasim.Outcome(99).String(), "Outcome(99)"},
		{lambdasim.EnvCreating.String(), "Creating"},
		{lambdasim.EnvInitializing.String(), "Initializing"},
		{lambdasim.EnvIdle.String(), "Idle"},
		{lambdasim.EnvBusy.String(), "Busy"},
		{lambdasim.EnvShuttingDown.String(), "ShuttingDown"},
		{lambdasim.EnvTerminated.String(), "Terminated"},
		{lambdasim.EnvState(6).String(), "EnvState(6)"},
		{lambdasim.ProvisionedNone.String(), "NONE"},
		{lambdasim.ProvisionedInProgress.String(), "IN_PROGRESS"},
		{lambdasim.ProvisionedReady.String(), "READY"},
		{lambdasim.ProvisionedFailed.String(), "FAILED"},
		{lambdasim.ProvisionedStatus(4).String(), "ProvisionedStatus(4)"},
		{lambdasim.StatusNotReady.String(), "LSIM_STATUS_NOT_READY"},
		{lambdasim.StatusNotReady.Name(), "NotReady"},
		{lambdasim.StatusUnreservedBelowMinimum.Name(), "UnreservedBelowMinimum"},
		{lambdasim.Status(99).Name(), "Status(99)"},
		{lambdasim.Status(99).String(), "unknown status"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestStatusTable: every C status code has a sentinel, a C name that
// matches its Rust variant name, and errors.Is tells them apart.
func TestStatusTable(t *testing.T) {
	sentinels := []*lambdasim.Error{
		nil, // OK has none
		lambdasim.ErrNullPointer, lambdasim.ErrStaleHandle, lambdasim.ErrPoisoned, lambdasim.ErrPanic,
		lambdasim.ErrInvalidArgument, lambdasim.ErrBufferTooSmall, lambdasim.ErrTimeWentBackwards,
		lambdasim.ErrCapacityExceeded, lambdasim.ErrUnknownFunction, lambdasim.ErrUnknownInvocation,
		lambdasim.ErrNotReady, lambdasim.ErrTimedOut, lambdasim.ErrFunctionBusy, lambdasim.ErrMemoryBelowMinimum,
		lambdasim.ErrMemoryAboveMaximum, lambdasim.ErrMemoryNotOnStep, lambdasim.ErrTimeoutOutOfRange,
		lambdasim.ErrPackageTooLarge, lambdasim.ErrUnreservedBelowMinimum, lambdasim.ErrProvisionedExceedsReserved,
		lambdasim.ErrAccountLimitTooLow, lambdasim.ErrInvalidSetting, lambdasim.ErrInternal,
		lambdasim.ErrInvariantViolated, lambdasim.ErrEphemeralOutOfRange, lambdasim.ErrOverflow,
		lambdasim.ErrTooFewSamples, lambdasim.ErrInvalidScenario, lambdasim.ErrSimulationFailed,
		lambdasim.ErrUnknownEnv, lambdasim.ErrQueueFull, lambdasim.ErrMaximumRetryAttemptsOutOfRange,
		lambdasim.ErrMaximumEventAgeOutOfRange, lambdasim.ErrUnknownAsyncEvent,
	}
	for code := 1; code < len(sentinels); code++ {
		s := lambdasim.Status(code)
		if sentinels[code].Code != s {
			t.Errorf("sentinel %d has code %d", code, sentinels[code].Code)
		}
		// LSIM_STATUS_UNRESERVED_BELOW_MINIMUM ⇔ UnreservedBelowMinimum.
		cname := strings.ReplaceAll(strings.TrimPrefix(s.String(), "LSIM_STATUS_"), "_", "")
		if !strings.EqualFold(cname, s.Name()) {
			t.Errorf("status %d: C name %s does not match Rust name %s", code, s, s.Name())
		}
		err := error(&lambdasim.Error{Code: s, Op: "Op"})
		for other := 1; other < len(sentinels); other++ {
			if got := errors.Is(err, sentinels[other]); got != (other == code) {
				t.Errorf("errors.Is(%v, %v) = %v", err, sentinels[other], got)
			}
		}
		if errors.Is(err, lambdasim.ErrClosed) || errors.Is(err, lambdasim.ErrThrottled) {
			t.Errorf("%v matches a Go-side sentinel", err)
		}
		if errors.Is(err, (*lambdasim.Error)(nil)) {
			t.Errorf("%v matches a nil *Error", err)
		}
		if errors.Is(err, &lambdasim.Error{Code: s, Op: "Other"}) {
			t.Errorf("%v matches an error of another Op", err)
		}
	}
	if got := lambdasim.Status(len(sentinels)).String(); got != "unknown status" {
		t.Errorf("the C ABI has a status %d (%s) this binding does not know", len(sentinels), got)
	}
	// Wrapped errors still match.
	wrapped := fmt.Errorf("context: %w", &lambdasim.Error{Code: lambdasim.StatusNotReady, Op: "Finish"})
	wantErr(t, "wrapped", wrapped, lambdasim.ErrNotReady)
	if msg := wrapped.Error(); !strings.Contains(msg, "Finish: NotReady (LSIM_STATUS_NOT_READY)") {
		t.Errorf("message %q", msg)
	}
}

// TestClosedRegion: every method of a closed (or nil) Region returns an
// error wrapping ErrClosed; Close is idempotent.
func TestClosedRegion(t *testing.T) {
	r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		t.Fatal(err)
	}
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	inv, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	for _, reg := range []*lambdasim.Region{r, nil} {
		calls := map[string]func() error{
			"CreateFunction": func() error { _, err := reg.CreateFunction(1, lambdasim.DefaultFunctionConfig()); return err },
			"UpdateFunction": func() error { return reg.UpdateFunction(1, f, lambdasim.DefaultFunctionConfig()) },
			"PutReserved":    func() error { return reg.PutReserved(1, f, lambdasim.Uint32(5)) },
			"RemoveReserved": func() error { return reg.RemoveReserved(1, f) },
			"PutProvisioned": func() error { return reg.PutProvisioned(1, f, 1) },
			"DeleteFunction": func() error { return reg.DeleteFunction(1, f) },
			"Invoke":         func() error { _, err := reg.Invoke(1, f); return err },
			"InvokeWithInit": func() error { _, err := reg.InvokeWithInit(1, f, 5); return err },
			"InvokeFor":      func() error { _, err := reg.InvokeFor(1, f, lambdasim.Handler{DurationUs: 5}); return err },
			"InvokeForWithInit": func() error {
				_, err := reg.InvokeForWithInit(1, f, lambdasim.Handler{DurationUs: 5}, 5)
				return err
			},
			"Finish":         func() error { _, err := reg.Finish(1, inv, lambdasim.OutcomeSuccess); return err },
			"Advance":        func() error { return reg.Advance(1) },
			"NextDeadline":   func() error { _, _, err := reg.NextDeadline(); return err },
			"Now":            func() error { _, err := reg.Now(); return err },
			"FunctionCounts": func() error { _, err := reg.FunctionCounts(f); return err },
			"FunctionStats":  func() error { _, err := reg.FunctionStats(f); return err },
			"RegionStats":    func() error { _, err := reg.RegionStats(); return err },
			"RegionCounts":   func() error { _, err := reg.RegionCounts(); return err },
			"EnvState":       func() error { _, err := reg.EnvState(inv.Env); return err },
			"Check":          func() error { return reg.Check() },
			"SetKeepAlive":   func() error { return reg.SetKeepAlive(1, f, nil) },
			"Prewarm":        func() error { _, _, err := reg.Prewarm(1, f); return err },
			"Occupancy":      func() error { _, err := reg.Occupancy(); return err },
			"FunctionOccupancy": func() error {
				_, err := reg.FunctionOccupancy(f)
				return err
			},
			"TakeBusyWindowPeak": func() error { _, err := reg.TakeBusyWindowPeak(); return err },
			"FunctionBusy":       func() error { _, err := reg.FunctionBusy(f); return err },
			"EnvFunction":        func() error { _, err := reg.EnvFunction(inv.Env); return err },
			"FunctionConfig":     func() error { _, err := reg.FunctionConfig(f); return err },
		}
		for name, call := range calls {
			err := call()
			wantErr(t, fmt.Sprintf("%s on a %s region", name, map[bool]string{true: "nil", false: "closed"}[reg == nil]), err, lambdasim.ErrClosed)
			if err != nil && !strings.Contains(err.Error(), name) {
				t.Errorf("%s: error %q does not name the method", name, err)
			}
		}
		if err := reg.Close(); err != nil {
			t.Errorf("Close again: %v", err)
		}
	}
}

func TestOutOfRangeNumbers(t *testing.T) {
	regionCases := []struct {
		name   string
		change func(*lambdasim.RegionConfig)
		want   error
	}{
		{"account limit 0", func(c *lambdasim.RegionConfig) { c.AccountLimit = 0 }, lambdasim.ErrAccountLimitTooLow},
		{"account limit below unreserved min", func(c *lambdasim.RegionConfig) { c.AccountLimit = 50 }, lambdasim.ErrAccountLimitTooLow},
		{"PC ramp 0", func(c *lambdasim.RegionConfig) { c.ProvisionedPerMinute = 0 }, lambdasim.ErrInvalidSetting},
		{"legacy burst 0", func(c *lambdasim.RegionConfig) {
			c.ScalingRule, c.LegacyBurst = lambdasim.ScalingLegacyAccount, 0
		}, lambdasim.ErrInvalidSetting},
		{"scaling rule 5", func(c *lambdasim.RegionConfig) { c.ScalingRule = 5 }, lambdasim.ErrInvalidArgument},
		{"warm pick 7", func(c *lambdasim.RegionConfig) { c.WarmPick = 7 }, lambdasim.ErrInvalidArgument},
		{"memory rule 9", func(c *lambdasim.RegionConfig) { c.MemoryRule = 9 }, lambdasim.ErrInvalidArgument},
	}
	for _, c := range regionCases {
		cfg := lambdasim.DefaultRegionConfig()
		c.change(&cfg)
		r, err := lambdasim.NewRegion(cfg)
		if r != nil {
			r.Close()
			t.Errorf("%s: NewRegion succeeded", c.name)
			continue
		}
		wantErr(t, c.name, err, c.want)
	}

	r := newRegion(t)
	functionCases := []struct {
		name   string
		change func(*lambdasim.FunctionConfig)
		want   error
	}{
		{"memory 127", func(c *lambdasim.FunctionConfig) { c.MemoryMB = 127 }, lambdasim.ErrMemoryBelowMinimum},
		{"memory 0", func(c *lambdasim.FunctionConfig) { c.MemoryMB = 0 }, lambdasim.ErrMemoryBelowMinimum},
		{"memory 10241", func(c *lambdasim.FunctionConfig) { c.MemoryMB = 10241 }, lambdasim.ErrMemoryAboveMaximum},
		{"timeout 0", func(c *lambdasim.FunctionConfig) { c.TimeoutMs = 0 }, lambdasim.ErrTimeoutOutOfRange},
		{"timeout 900001", func(c *lambdasim.FunctionConfig) { c.TimeoutMs = 900_001 }, lambdasim.ErrTimeoutOutOfRange},
		{"package 10241", func(c *lambdasim.FunctionConfig) { c.PackageMB = 10241 }, lambdasim.ErrPackageTooLarge},
		{"PC above RC", func(c *lambdasim.FunctionConfig) { c.Reserved, c.Provisioned = lambdasim.Uint32(2), 3 }, lambdasim.ErrProvisionedExceedsReserved},
		{"RC 901", func(c *lambdasim.FunctionConfig) { c.Reserved = lambdasim.Uint32(901) }, lambdasim.ErrUnreservedBelowMinimum},
	}
	for _, c := range functionCases {
		cfg := lambdasim.DefaultFunctionConfig()
		c.change(&cfg)
		_, err := r.CreateFunction(0, cfg)
		wantErr(t, c.name, err, c.want)
		var e *lambdasim.Error
		if errors.As(err, &e) && e.Op != "CreateFunction" {
			t.Errorf("%s: Op %q", c.name, e.Op)
		}
	}
	// The limits themselves are accepted.
	for _, change := range []func(*lambdasim.FunctionConfig){
		func(c *lambdasim.FunctionConfig) { c.MemoryMB = 10240 },
		func(c *lambdasim.FunctionConfig) { c.TimeoutMs = 900_000 },
		func(c *lambdasim.FunctionConfig) { c.Reserved = lambdasim.Uint32(900) },
	} {
		cfg := lambdasim.DefaultFunctionConfig()
		change(&cfg)
		f := mustCreate(t, r, 0, cfg)
		if err := r.DeleteFunction(0, f); err != nil {
			t.Error(err)
		}
	}

	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	bad := lambdasim.DefaultFunctionConfig()
	bad.MemoryMB = 127
	wantErr(t, "UpdateFunction memory 127", r.UpdateFunction(0, f, bad), lambdasim.ErrMemoryBelowMinimum)
	wantErr(t, "PutReserved 901", r.PutReserved(0, f, lambdasim.Uint32(901)), lambdasim.ErrUnreservedBelowMinimum)
	wantErr(t, "PutProvisioned 901", r.PutProvisioned(0, f, 901), lambdasim.ErrUnreservedBelowMinimum)

	// An unknown outcome is rejected and leaves the invocation running.
	inv, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []lambdasim.Outcome{4, 99, lambdasim.Outcome(^uint32(0))} {
		_, err := r.Finish(inv.ReadyAtUs, inv, o)
		wantErr(t, fmt.Sprintf("Finish with %v", o), err, lambdasim.ErrInvalidArgument)
	}
	if _, err := r.Finish(inv.ReadyAtUs, inv, lambdasim.OutcomeFunctionError); err != nil {
		t.Errorf("Finish after rejected outcomes: %v", err)
	}

	// Time never goes backwards.
	if err := r.Advance(5_000_000); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "Advance backwards", r.Advance(4_999_999), lambdasim.ErrTimeWentBackwards)
	_, err = r.Invoke(10, f)
	wantErr(t, "Invoke backwards", err, lambdasim.ErrTimeWentBackwards)
	if now, err := r.Now(); err != nil || now != 5_000_000 {
		t.Errorf("Now() = %d, %v", now, err)
	}
	if err := r.Check(); err != nil {
		t.Error(err)
	}
}

func TestStaleHandles(t *testing.T) {
	r := newRegion(t)
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	inv, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Start != lambdasim.StartFullCold || inv.InitUs != 380_000 || inv.ReadyAtUs != 380_000 || inv.Seq != 1 || inv.Function != f {
		t.Errorf("first invoke: %+v", inv)
	}
	if s, err := r.EnvState(inv.Env); err != nil || s != lambdasim.EnvCreating {
		t.Errorf("EnvState = %v, %v", s, err)
	}
	wantErr(t, "DeleteFunction while busy", r.DeleteFunction(0, f), lambdasim.ErrFunctionBusy)
	_, err = r.Finish(200_000, inv, lambdasim.OutcomeSuccess)
	wantErr(t, "Finish before ready", err, lambdasim.ErrNotReady)
	fin, err := r.Finish(480_000, inv, lambdasim.OutcomeSuccess)
	if err != nil || fin.DurationUs != 100_000 || !fin.EnvKept || fin.Env != inv.Env || fin.Function != f {
		t.Errorf("Finish = %+v, %v", fin, err)
	}

	// A finished invocation is stale.
	_, err = r.Finish(480_000, inv, lambdasim.OutcomeSuccess)
	wantErr(t, "Finish twice", err, lambdasim.ErrUnknownInvocation)
	made := inv
	made.Seq = 77
	_, err = r.Finish(480_000, made, lambdasim.OutcomeSuccess)
	wantErr(t, "Finish of a made-up invocation", err, lambdasim.ErrUnknownInvocation)

	// A deleted function is stale for every call taking it.
	if err := r.DeleteFunction(500_000, f); err != nil {
		t.Fatal(err)
	}
	if s, err := r.EnvState(inv.Env); err != nil || s != lambdasim.EnvTerminated {
		t.Errorf("EnvState after delete = %v, %v", s, err)
	}
	_, err = r.Invoke(500_000, f)
	wantErr(t, "Invoke", err, lambdasim.ErrUnknownFunction)
	_, err = r.InvokeWithInit(500_000, f, 5)
	wantErr(t, "InvokeWithInit", err, lambdasim.ErrUnknownFunction)
	wantErr(t, "DeleteFunction", r.DeleteFunction(500_000, f), lambdasim.ErrUnknownFunction)
	wantErr(t, "UpdateFunction", r.UpdateFunction(500_000, f, lambdasim.DefaultFunctionConfig()), lambdasim.ErrUnknownFunction)
	wantErr(t, "PutReserved", r.PutReserved(500_000, f, lambdasim.Uint32(3)), lambdasim.ErrUnknownFunction)
	wantErr(t, "RemoveReserved", r.RemoveReserved(500_000, f), lambdasim.ErrUnknownFunction)
	wantErr(t, "PutProvisioned", r.PutProvisioned(500_000, f, 1), lambdasim.ErrUnknownFunction)
	_, err = r.FunctionCounts(f)
	wantErr(t, "FunctionCounts", err, lambdasim.ErrUnknownFunction)
	_, err = r.FunctionStats(f)
	wantErr(t, "FunctionStats", err, lambdasim.ErrUnknownFunction)

	// A new function in the same slot does not answer to the old handle.
	g := mustCreate(t, r, 500_000, lambdasim.DefaultFunctionConfig())
	if g.Index != f.Index || g.Generation == f.Generation {
		t.Errorf("new function %+v, old %+v", g, f)
	}
	_, err = r.Invoke(500_000, f)
	wantErr(t, "Invoke of the old handle", err, lambdasim.ErrUnknownFunction)
	if err := r.Check(); err != nil {
		t.Error(err)
	}
}

func TestThrottleError(t *testing.T) {
	r := newRegion(t)
	cfg := lambdasim.DefaultFunctionConfig()
	cfg.Reserved = lambdasim.Uint32(0)
	f := mustCreate(t, r, 0, cfg)
	inv, err := r.Invoke(0, f)
	if inv != (lambdasim.Invocation{}) {
		t.Errorf("a throttled invoke returned %+v", inv)
	}
	if !errors.Is(err, lambdasim.ErrThrottled) {
		t.Fatalf("Invoke with RC 0: %v, want ErrThrottled", err)
	}
	var te *lambdasim.ThrottleError
	if !errors.As(err, &te) {
		t.Fatalf("errors.As(%v, *ThrottleError) failed", err)
	}
	if te.Reason != lambdasim.ThrottleReservedFunctionConcurrentInvocationLimitExceeded || te.Function != f || te.Op != "Invoke" {
		t.Errorf("ThrottleError %+v", te)
	}
	if !strings.Contains(err.Error(), "ReservedFunctionConcurrentInvocationLimitExceeded") {
		t.Errorf("message %q", err)
	}
	var le *lambdasim.Error
	if errors.As(err, &le) || errors.Is(err, lambdasim.ErrClosed) {
		t.Errorf("a throttle also matches other errors: %v", err)
	}
	wrapped := fmt.Errorf("outer: %w", err)
	if !errors.Is(wrapped, lambdasim.ErrThrottled) || !errors.As(wrapped, &te) {
		t.Errorf("wrapped throttle lost: %v", wrapped)
	}
	_, err = r.InvokeWithInit(0, f, 1)
	if !errors.As(err, &te) || te.Op != "InvokeWithInit" {
		t.Errorf("InvokeWithInit: %v", err)
	}

	s, err := r.FunctionStats(f)
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 2 || s.Invocations != 0 || s.ThrottlesTotal() != 2 ||
		s.Throttles[lambdasim.ThrottleReservedFunctionConcurrentInvocationLimitExceeded] != 2 {
		t.Errorf("stats %+v", s)
	}
	c, err := r.FunctionCounts(f)
	if err != nil || c.Reserved == nil || *c.Reserved != 0 || c.Busy != 0 {
		t.Errorf("counts %+v, %v", c, err)
	}
	// Removing RC lets it run.
	if err := r.RemoveReserved(0, f); err != nil {
		t.Fatal(err)
	}
	if c, err := r.FunctionCounts(f); err != nil || c.Reserved != nil {
		t.Errorf("counts after RemoveReserved %+v, %v", c, err)
	}
	if inv, err := r.Invoke(0, f); err != nil || inv.Start != lambdasim.StartFullCold {
		t.Errorf("Invoke after RemoveReserved: %+v, %v", inv, err)
	}
}

func TestCheckDetailAndDeadlines(t *testing.T) {
	r := newRegion(t)
	if at, ok, err := r.NextDeadline(); err != nil || ok || at != 0 {
		t.Errorf("NextDeadline of an empty region = %d, %v, %v", at, ok, err)
	}
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	inv, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	at, ok, err := r.NextDeadline()
	if err != nil || !ok || at != 130_000 { // sandbox + download done
		t.Fatalf("NextDeadline = %d, %v, %v", at, ok, err)
	}
	if err := r.Advance(at); err != nil {
		t.Fatal(err)
	}
	if s, err := r.EnvState(inv.Env); err != nil || s != lambdasim.EnvInitializing {
		t.Errorf("EnvState = %v, %v", s, err)
	}
	counts, err := r.RegionCounts()
	if err != nil || counts.Busy != 1 || counts.Live != 1 || counts.UnreservedInUse != 1 || counts.UnreservedPool != 1000 {
		t.Errorf("RegionCounts = %+v, %v", counts, err)
	}
	if err := r.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// TestConcurrentUseAndClose: goroutines invoke and finish on one region
// while another closes it. Under -race: no report, no crash; every error
// is one the model allows (time order between goroutines is not
// coordinated) or ErrClosed.
func TestConcurrentUseAndClose(t *testing.T) {
	for round := 0; round < 5; round++ {
		r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
		if err != nil {
			t.Fatal(err)
		}
		f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
		var clock atomic.Uint64
		var ops, closedSeen atomic.Int64
		allowed := []error{
			lambdasim.ErrTimeWentBackwards, lambdasim.ErrNotReady, lambdasim.ErrTimedOut,
			lambdasim.ErrUnknownInvocation, lambdasim.ErrThrottled, lambdasim.ErrClosed,
		}
		check := func(what string, err error) bool {
			if err == nil {
				ops.Add(1)
				return true
			}
			for _, a := range allowed {
				if errors.Is(err, a) {
					if a == lambdasim.ErrClosed {
						closedSeen.Add(1)
					}
					return false
				}
			}
			t.Errorf("%s: unexpected error %v", what, err)
			return false
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				<-start
				var open []lambdasim.Invocation
				for i := 0; i < 300; i++ {
					now := clock.Add(1000)
					switch i % 4 {
					case 0, 1:
						if inv, err := r.Invoke(now, f); check("Invoke", err) {
							open = append(open, inv)
						}
					case 2:
						if len(open) > 0 {
							inv := open[0]
							open = open[1:]
							_, err := r.Finish(now+inv.InitUs, inv, lambdasim.OutcomeSuccess)
							check("Finish", err)
						}
					case 3:
						check("Advance", r.Advance(now))
						_, err := r.RegionCounts()
						check("RegionCounts", err)
						check("Check", r.Check())
					}
					if g == 0 && i == 150 && round%2 == 0 {
						runtime.Gosched()
					}
				}
			}(g)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for ops.Load() < int64(50*(round+1)) {
				runtime.Gosched()
			}
			if err := r.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}()
		close(start)
		wg.Wait()
		if err := r.Close(); err != nil {
			t.Errorf("Close after the race: %v", err)
		}
		if _, err := r.Invoke(clock.Add(1), f); !errors.Is(err, lambdasim.ErrClosed) {
			t.Errorf("Invoke after Close: %v", err)
		}
		t.Logf("round %d: %d successful calls, %d ErrClosed", round, ops.Load(), closedSeen.Load())
	}
}

// TestConcurrentRegions: goroutines each driving their own region, in
// parallel, get exactly the sequential answers (regions share nothing).
func TestConcurrentRegions(t *testing.T) {
	run := func() (lambdasim.Stats, error) {
		r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
		if err != nil {
			return lambdasim.Stats{}, err
		}
		defer r.Close()
		f, err := r.CreateFunction(0, lambdasim.DefaultFunctionConfig())
		if err != nil {
			return lambdasim.Stats{}, err
		}
		var open []lambdasim.Invocation
		for now := uint64(0); now < 5_000_000; now += 10_000 {
			for len(open) > 0 && open[0].ReadyAtUs+200_000 <= now {
				if _, err := r.Finish(now, open[0], lambdasim.OutcomeSuccess); err != nil {
					return lambdasim.Stats{}, err
				}
				open = open[1:]
			}
			inv, err := r.Invoke(now, f)
			if err != nil {
				return lambdasim.Stats{}, err
			}
			open = append(open, inv)
		}
		return r.RegionStats()
	}
	want, err := run()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]lambdasim.Stats, 6)
	errs := make([]error, 6)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], errs[i] = run()
		}(i)
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil || results[i] != want {
			t.Errorf("goroutine %d: %+v, %v; want %+v", i, results[i], errs[i], want)
		}
	}
}

// TestFinalizerFreesForgottenRegions: regions dropped without Close are
// freed by the finalizer safety net. Each region holds ~1.7 MB of C
// memory, so 300 leaked ones would add ~500 MB of resident memory; with the
// finalizer the growth stays far below that.
func TestFinalizerFreesForgottenRegions(t *testing.T) {
	before, ok := residentKB()
	if !ok {
		t.Skip("no /proc/self/status")
	}
	for i := 0; i < 300; i++ {
		r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
		if err != nil {
			t.Fatalf("region %d: %v", i, err)
		}
		if _, err := r.CreateFunction(0, lambdasim.DefaultFunctionConfig()); err != nil {
			t.Fatal(err)
		}
		if i%20 == 19 {
			runtime.GC() // queues the finalizers of the unreachable regions
			time.Sleep(5 * time.Millisecond)
		}
	}
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	after, _ := residentKB()
	t.Logf("resident memory %d kB -> %d kB", before, after)
	if grown := after - before; grown > 200_000 {
		t.Errorf("resident memory grew by %d kB for 300 forgotten regions: the finalizer did not free them", grown)
	}
}

// residentKB reads VmRSS from /proc/self/status.
func residentKB() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
				return kb, true
			}
		}
	}
	return 0, false
}

func TestCapacitiesComeFromTheConfig(t *testing.T) {
	rc := lambdasim.DefaultRegionConfig()
	rc.EnvCapacity, rc.FunctionCapacity = 2, 1
	r, err := lambdasim.NewRegion(rc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fn, err := r.CreateFunction(0, lambdasim.DefaultFunctionConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.CreateFunction(0, lambdasim.DefaultFunctionConfig()); !errors.Is(err, lambdasim.ErrCapacityExceeded) {
		t.Errorf("second function: %v, want CapacityExceeded", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := r.InvokeFor(0, fn, lambdasim.Handler{DurationUs: 1_000_000, Outcome: lambdasim.OutcomeSuccess}); err != nil {
			t.Fatalf("invoke %d: %v", i, err)
		}
	}
	if _, err := r.InvokeFor(0, fn, lambdasim.Handler{DurationUs: 1_000_000, Outcome: lambdasim.OutcomeSuccess}); !errors.Is(err, lambdasim.ErrCapacityExceeded) {
		t.Errorf("third environment: %v, want CapacityExceeded", err)
	}
	for _, bad := range []lambdasim.RegionConfig{
		func() lambdasim.RegionConfig { c := lambdasim.DefaultRegionConfig(); c.EnvCapacity = 0; return c }(),
		func() lambdasim.RegionConfig {
			c := lambdasim.DefaultRegionConfig()
			c.FunctionCapacity = lambdasim.FunctionCapacityMax + 1
			return c
		}(),
	} {
		if _, err := lambdasim.NewRegion(bad); !errors.Is(err, lambdasim.ErrInvalidArgument) {
			t.Errorf("capacities %d/%d: %v, want InvalidArgument", bad.EnvCapacity, bad.FunctionCapacity, err)
		}
	}
}
