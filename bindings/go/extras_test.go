package lambdasim_test

import (
	"math/big"
	"reflect"
	"testing"

	"lambdasim"
)

// coldUs is create + download (5 MB) + init of the default cold-start profile.
const coldUs = 125_000 + 5*1000 + 250_000

// idleUs is the default idle timeout.
const idleUs = 600_000_000

func TestOutcomeStringsComeFromTheLibrary(t *testing.T) {
	for o, want := range map[lambdasim.Outcome]string{
		lambdasim.OutcomeSuccess: "Success", lambdasim.OutcomeFunctionError: "FunctionError",
		lambdasim.OutcomeTimeout: "Timeout", lambdasim.OutcomeCrash: "Crash",
		lambdasim.Outcome(4): "Outcome(4)", lambdasim.Outcome(^uint32(0)): "Outcome(4294967295)",
	} {
		if got := o.String(); got != want {
			t.Errorf("Outcome(%d).String() = %q, want %q", uint32(o), got, want)
		}
	}
	if got := lambdasim.StatusUnknownEnv.String(); got != "LSIM_STATUS_UNKNOWN_ENV" {
		t.Errorf("StatusUnknownEnv.String() = %q", got)
	}
	if got := lambdasim.StatusUnknownEnv.Name(); got != "UnknownEnv" {
		t.Errorf("StatusUnknownEnv.Name() = %q", got)
	}
}

func TestPrewarm(t *testing.T) {
	r := newRegion(t)
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	env, started, err := r.Prewarm(0, f)
	if err != nil || !started {
		t.Fatalf("Prewarm = %v, %v, %v", env, started, err)
	}
	if s, err := r.EnvState(env); err != nil || s != lambdasim.EnvCreating {
		t.Errorf("EnvState = %v, %v; want Creating", s, err)
	}
	if g, err := r.EnvFunction(env); err != nil || g != f {
		t.Errorf("EnvFunction = %v, %v; want %v", g, err, f)
	}
	if busy, err := r.FunctionBusy(f); err != nil || busy != 0 {
		t.Errorf("FunctionBusy = %d, %v; a pre-warmed environment is not concurrency", busy, err)
	}
	if err := r.Advance(coldUs); err != nil {
		t.Fatal(err)
	}
	if s, _ := r.EnvState(env); s != lambdasim.EnvIdle {
		t.Errorf("EnvState after the cold start = %v, want Idle", s)
	}
	inv, err := r.Invoke(coldUs+1000, f)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Start != lambdasim.StartWarm || inv.Env != env {
		t.Errorf("invoke after pre-warm: %v on %v, want Warm on %v", inv.Start, inv.Env, env)
	}
	if busy, _ := r.FunctionBusy(f); busy != 1 {
		t.Errorf("FunctionBusy = %d, want 1", busy)
	}
	if err := r.Check(); err != nil {
		t.Error(err)
	}

	// No scaling token: not started, no error.
	cfg := lambdasim.DefaultRegionConfig()
	cfg.ScalingRule, cfg.LegacyBurst = lambdasim.ScalingLegacyAccount, 1
	r2, err := lambdasim.NewRegion(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	g := mustCreate(t, r2, 0, lambdasim.DefaultFunctionConfig())
	if _, started, err := r2.Prewarm(0, g); err != nil || !started {
		t.Fatalf("first Prewarm: %v, %v", started, err)
	}
	if env, started, err := r2.Prewarm(0, g); err != nil || started || env != (lambdasim.Env{}) {
		t.Errorf("Prewarm without a token = %v, %v, %v; want zero, false, nil", env, started, err)
	}
}

func TestSetKeepAlive(t *testing.T) {
	r := newRegion(t)
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	run := func(at uint64, keep *uint64) (end, deadline uint64) {
		t.Helper()
		if err := r.SetKeepAlive(at, f, keep); err != nil {
			t.Fatal(err)
		}
		inv, err := r.Invoke(at, f)
		if err != nil {
			t.Fatal(err)
		}
		end = inv.ReadyAtUs + 1000
		if _, err := r.Finish(end, inv, lambdasim.OutcomeSuccess); err != nil {
			t.Fatal(err)
		}
		deadline, ok, err := r.NextDeadline()
		if err != nil || !ok {
			t.Fatalf("NextDeadline: %v, %v", ok, err)
		}
		return end, deadline
	}
	end, deadline := run(0, lambdasim.Uint64(60_000_000))
	if deadline != end+60_000_000 {
		t.Errorf("deadline %d, want %d", deadline, end+60_000_000)
	}
	end, deadline = run(end+1, nil)
	if deadline != end+idleUs {
		t.Errorf("deadline %d, want the region's idle timeout %d", deadline, end+idleUs)
	}
	end, deadline = run(end+1, lambdasim.Uint64(1_000_000))
	if deadline != end+1_000_000 {
		t.Errorf("deadline %d, want %d", deadline, end+1_000_000)
	}
	if err := r.Advance(deadline); err != nil {
		t.Fatal(err)
	}
	if o, _ := r.Occupancy(); o.Live != 0 {
		t.Errorf("live %d after the shorter keep-alive, want 0", o.Live)
	}
	wantErr(t, "SetKeepAlive backwards", r.SetKeepAlive(deadline-1, f, nil), lambdasim.ErrTimeWentBackwards)
}

func TestOccupancyAndWindowPeak(t *testing.T) {
	r := newRegion(t)
	cfg := lambdasim.DefaultFunctionConfig()
	cfg.TimeoutMs = 60_000
	f := mustCreate(t, r, 0, cfg)
	g := mustCreate(t, r, 0, cfg)
	o, err := r.Occupancy()
	if err != nil || o.Live != 0 || o.SinceUs != 0 || o.AvgBusy != 0 || o.BusyEnvUs.Sign() != 0 {
		t.Errorf("initial Occupancy = %+v, %v", o, err)
	}
	a, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	if busy, err := r.FunctionBusy(f); err != nil || busy != 2 {
		t.Errorf("FunctionBusy = %d, %v; want 2", busy, err)
	}
	for _, inv := range []lambdasim.Invocation{a, b} {
		if _, err := r.Finish(10_000_000, inv, lambdasim.OutcomeSuccess); err != nil {
			t.Fatal(err)
		}
	}
	o, err = r.Occupancy()
	if err != nil {
		t.Fatal(err)
	}
	want := lambdasim.Occupancy{
		Live: 2, Busy: 0, BusyPeak: 2, WindowPeak: 2,
		LiveEnvUs: big.NewInt(20_000_000), BusyEnvUs: big.NewInt(20_000_000),
		SinceUs: 10_000_000, AvgLive: 2, AvgBusy: 2,
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("Occupancy = %+v, want %+v", o, want)
	}
	if fo, err := r.FunctionOccupancy(f); err != nil || !reflect.DeepEqual(fo, want) {
		t.Errorf("FunctionOccupancy(f) = %+v, %v; want %+v", fo, err, want)
	}
	if go_, err := r.FunctionOccupancy(g); err != nil || go_.Live != 0 || go_.SinceUs != 10_000_000 || go_.LiveEnvUs.Sign() != 0 {
		t.Errorf("FunctionOccupancy(g) = %+v, %v", go_, err)
	}
	if err := r.Advance(20_000_000); err != nil {
		t.Fatal(err)
	}
	o, _ = r.Occupancy()
	if o.BusyEnvUs.Int64() != 20_000_000 || o.LiveEnvUs.Int64() != 40_000_000 || o.AvgBusy != 1 || o.AvgLive != 2 {
		t.Errorf("Occupancy at 20 s = %+v", o)
	}
	for i, want := range []uint32{2, 0} {
		if p, err := r.TakeBusyWindowPeak(); err != nil || p != want {
			t.Errorf("TakeBusyWindowPeak #%d = %d, %v; want %d", i, p, err, want)
		}
	}
	if _, err := r.Invoke(20_000_000, g); err != nil {
		t.Fatal(err)
	}
	if o, _ := r.Occupancy(); o.Busy != 1 || o.BusyPeak != 2 || o.WindowPeak != 1 {
		t.Errorf("Occupancy = %+v", o)
	}
	if fo, _ := r.FunctionOccupancy(f); fo.WindowPeak != 0 {
		t.Errorf("f's window peak %d, want 0 (reset by the take)", fo.WindowPeak)
	}
	for i := 0; i < 2; i++ {
		if p, _ := r.TakeBusyWindowPeak(); p != 1 {
			t.Errorf("TakeBusyWindowPeak with one busy = %d, want 1", p)
		}
	}
}

func TestFunctionConfigRoundTrip(t *testing.T) {
	r := newRegion(t)
	cfg := lambdasim.FunctionConfig{
		MemoryMB: 1769, TimeoutMs: 60_000, Reserved: lambdasim.Uint32(10), Provisioned: 2,
		SandboxUs: 1, DownloadUsPerMB: 2, PackageMB: 3, InitUs: 4,
		Architecture: lambdasim.ArchArm64, EphemeralMB: 2048,
	}
	f := mustCreate(t, r, 0, cfg)
	if got, err := r.FunctionConfig(f); err != nil || !reflect.DeepEqual(got, cfg) {
		t.Errorf("FunctionConfig = %+v, %v; want %+v", got, err, cfg)
	}
	if err := r.RemoveReserved(0, f); err != nil {
		t.Fatal(err)
	}
	if err := r.PutProvisioned(0, f, 1); err != nil {
		t.Fatal(err)
	}
	got, _ := r.FunctionConfig(f)
	if got.Reserved != nil || got.Provisioned != 1 || got.MemoryMB != 1769 {
		t.Errorf("FunctionConfig after the puts = %+v", got)
	}
	if err := r.UpdateFunction(0, f, lambdasim.DefaultFunctionConfig()); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.FunctionConfig(f); !reflect.DeepEqual(got, lambdasim.DefaultFunctionConfig()) {
		t.Errorf("FunctionConfig after the update = %+v", got)
	}
}

func TestExtrasUnknownHandles(t *testing.T) {
	r := newRegion(t)
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	inv, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	end := inv.ReadyAtUs + 1000
	if _, err := r.Finish(end, inv, lambdasim.OutcomeSuccess); err != nil {
		t.Fatal(err)
	}
	if g, err := r.EnvFunction(inv.Env); err != nil || g != f {
		t.Errorf("EnvFunction = %v, %v", g, err)
	}
	_, err = r.EnvFunction(lambdasim.Env{Index: 9999, Generation: 1})
	wantErr(t, "EnvFunction of a made-up env", err, lambdasim.ErrUnknownEnv)
	if err := r.Advance(end + idleUs); err != nil {
		t.Fatal(err)
	}
	_, err = r.EnvFunction(inv.Env)
	wantErr(t, "EnvFunction of a terminated env", err, lambdasim.ErrUnknownEnv)
	if err != nil && err.Error() != "lambdasim: EnvFunction: UnknownEnv (LSIM_STATUS_UNKNOWN_ENV)" {
		t.Errorf("message %q", err)
	}

	now := end + idleUs
	if err := r.DeleteFunction(now, f); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "SetKeepAlive", r.SetKeepAlive(now, f, lambdasim.Uint64(5)), lambdasim.ErrUnknownFunction)
	_, started, err := r.Prewarm(now, f)
	wantErr(t, "Prewarm", err, lambdasim.ErrUnknownFunction)
	if started {
		t.Error("Prewarm of a deleted function started")
	}
	_, err = r.FunctionOccupancy(f)
	wantErr(t, "FunctionOccupancy", err, lambdasim.ErrUnknownFunction)
	_, err = r.FunctionBusy(f)
	wantErr(t, "FunctionBusy", err, lambdasim.ErrUnknownFunction)
	_, err = r.FunctionConfig(f)
	wantErr(t, "FunctionConfig", err, lambdasim.ErrUnknownFunction)
	if err := r.Check(); err != nil {
		t.Error(err)
	}
}
