package lambdasim_test

import (
	"testing"

	"lambdasim"
)

// functionCalls calls every Region method that takes a function handle on r
// at nowUs with fn, and reports each error by method name.
func functionCalls(r *lambdasim.Region, nowUs uint64, fn lambdasim.Function) map[string]error {
	errs := map[string]error{}
	n := uint32(5)
	keep := uint64(1000)
	h := lambdasim.Handler{DurationUs: 1}
	errs["UpdateFunction"] = r.UpdateFunction(nowUs, fn, lambdasim.DefaultFunctionConfig())
	errs["PutReserved"] = r.PutReserved(nowUs, fn, &n)
	errs["RemoveReserved"] = r.RemoveReserved(nowUs, fn)
	errs["PutProvisioned"] = r.PutProvisioned(nowUs, fn, 1)
	errs["SetKeepAlive"] = r.SetKeepAlive(nowUs, fn, &keep)
	_, _, errs["Prewarm"] = r.Prewarm(nowUs, fn)
	_, errs["Invoke"] = r.Invoke(nowUs, fn)
	_, errs["InvokeWithInit"] = r.InvokeWithInit(nowUs, fn, 1)
	_, errs["InvokeFor"] = r.InvokeFor(nowUs, fn, h)
	_, errs["InvokeForWithInit"] = r.InvokeForWithInit(nowUs, fn, h, 1)
	_, errs["FunctionCounts"] = r.FunctionCounts(fn)
	_, errs["FunctionStats"] = r.FunctionStats(fn)
	_, errs["FunctionOccupancy"] = r.FunctionOccupancy(fn)
	_, errs["FunctionBusy"] = r.FunctionBusy(fn)
	_, errs["FunctionConfig"] = r.FunctionConfig(fn)
	_, errs["FunctionBill"] = r.FunctionBill(fn, lambdasim.PricesUSEast1, false)
	errs["DeleteFunction"] = r.DeleteFunction(nowUs, fn)
	return errs
}

func TestHandlesOfAnotherRegionAreUnknown(t *testing.T) {
	a, b := newRegion(t), newRegion(t)
	fa := mustCreate(t, a, 0, lambdasim.DefaultFunctionConfig())
	fb := mustCreate(t, b, 0, lambdasim.DefaultFunctionConfig())
	if fa.Index != fb.Index || fa.Generation != fb.Generation {
		t.Fatalf("expected the same slot in both regions: %+v, %+v", fa, fb)
	}
	if fa.RegionTag == 0 || fb.RegionTag == 0 || fa.RegionTag == fb.RegionTag {
		t.Fatalf("region tags %#x, %#x", fa.RegionTag, fb.RegionTag)
	}
	ia, err := a.Invoke(0, fa)
	if err != nil {
		t.Fatal(err)
	}
	ib, err := b.Invoke(0, fb)
	if err != nil {
		t.Fatal(err)
	}
	if ia.Env.RegionTag != fa.RegionTag || ib.Env.RegionTag != fb.RegionTag {
		t.Fatalf("env tags %+v, %+v", ia.Env, ib.Env)
	}

	// A's handles on B: refused, and B does not move.
	at := ib.ReadyAtUs + 1000
	for name, err := range functionCalls(b, at, fa) {
		wantErr(t, name+" with another region's function", err, lambdasim.ErrUnknownFunction)
	}
	_, err = b.Finish(at, ia, lambdasim.OutcomeSuccess)
	wantErr(t, "Finish with another region's invocation", err, lambdasim.ErrUnknownInvocation)
	_, err = b.EnvFunction(ia.Env)
	wantErr(t, "EnvFunction with another region's env", err, lambdasim.ErrUnknownEnv)
	if s, err := b.EnvState(ia.Env); err != nil || s != lambdasim.EnvTerminated {
		t.Errorf("EnvState(another region's env) = %v, %v; want Terminated", s, err)
	}
	if now, err := b.Now(); err != nil || now != 0 {
		t.Errorf("B's clock = %d, %v; want 0", now, err)
	}
	if s, err := b.RegionStats(); err != nil || s.Requests != 1 {
		t.Errorf("B's requests = %d, %v; want 1", s.Requests, err)
	}

	// Each region's own handles work, and what it hands out carries its tag.
	if f, err := b.EnvFunction(ib.Env); err != nil || f != fb {
		t.Errorf("EnvFunction = %+v, %v; want %+v", f, err, fb)
	}
	for _, c := range []struct {
		r   *lambdasim.Region
		inv lambdasim.Invocation
		fn  lambdasim.Function
	}{{b, ib, fb}, {a, ia, fa}} {
		done, err := c.r.Finish(at, c.inv, lambdasim.OutcomeSuccess)
		if err != nil || done.Function != c.fn || done.Env != c.inv.Env {
			t.Errorf("Finish = %+v, %v", done, err)
		}
		if err := c.r.Check(); err != nil {
			t.Error(err)
		}
	}
}

func TestAZeroOrFreedRegionsTagNamesNothing(t *testing.T) {
	old := newRegion(t)
	fold := mustCreate(t, old, 0, lambdasim.DefaultFunctionConfig())
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	r := newRegion(t)
	f := mustCreate(t, r, 0, lambdasim.DefaultFunctionConfig())
	zero := f
	zero.RegionTag = 0
	for _, fn := range []lambdasim.Function{fold, zero, {Index: f.Index, Generation: f.Generation}} {
		for name, err := range functionCalls(r, 0, fn) {
			wantErr(t, name, err, lambdasim.ErrUnknownFunction)
		}
	}
	if _, err := r.Invoke(0, f); err != nil {
		t.Errorf("the real handle: %v", err)
	}
}
