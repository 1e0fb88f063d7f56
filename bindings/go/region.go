package lambdasim

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
// The per-call entry points keep no pointer they are given and never call
// back into Go: saying so lets their out-parameters live on the Go stack
// (no allocation per call) and skips cgo's callback bookkeeping.
#cgo noescape lsim_invoke
#cgo nocallback lsim_invoke
#cgo noescape lsim_invoke_with_init
#cgo nocallback lsim_invoke_with_init
#cgo noescape lsim_invoke_for
#cgo nocallback lsim_invoke_for
#cgo noescape lsim_invoke_for_with_init
#cgo nocallback lsim_invoke_for_with_init
#cgo noescape lsim_finish
#cgo nocallback lsim_finish
#cgo nocallback lsim_advance
#cgo noescape lsim_next_deadline
#cgo nocallback lsim_next_deadline
#cgo noescape lsim_region_now
#cgo nocallback lsim_region_now
#cgo noescape lsim_function_busy
#cgo nocallback lsim_function_busy
#include <stdlib.h>
#include "lambdasim.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Region is one simulated AWS account in one AWS Region: its functions,
// execution environments and concurrency accounting. Create it with
// [NewRegion] and Close it when done.
//
// A Region is safe for concurrent use: calls run under a read lock on the
// handle (the library serializes calls on the region itself), and Close
// takes the write lock, so it waits for calls in flight and every later call
// returns an error wrapping [ErrClosed].
//
// Times (nowUs and friends) are microseconds of simulated time and must not
// go backwards.
type Region struct {
	own owned[*C.lsim_region]
}

// NewRegion creates a region with no functions and its clock at 0.
//
// Errors: [ErrInvalidArgument] (unknown ScalingRule, WarmPick or
// MemoryRule), [ErrAccountLimitTooLow], [ErrInvalidSetting] (zero legacy
// burst, provisioned ramp of 0 or above 60 000 000 per minute),
// [ErrCapacityExceeded] (too many live regions), [ErrABIMismatch].
func NewRegion(cfg RegionConfig) (*Region, error) {
	if v := LibraryABIVersion(); v != ABIVersion {
		return nil, fmt.Errorf("%w: library %d, binding %d", ErrABIMismatch, v, ABIVersion)
	}
	c := cfg.toC()
	var h *C.lsim_region
	if err := statusError("NewRegion", C.lsim_region_new(&c, &h)); err != nil {
		return nil, err
	}
	r := &Region{own: owned[*C.lsim_region]{h: h}}
	// Only a safety net: Close is what users should call.
	runtime.SetFinalizer(r, (*Region).Close)
	return r, nil
}

// Close frees the region. It is idempotent: later calls (and calls on any
// method) return nil here and [ErrClosed] elsewhere. It waits for calls in
// flight on other goroutines.
func (r *Region) Close() error {
	if r == nil {
		return nil
	}
	runtime.SetFinalizer(r, nil)
	return r.own.close("Close", func(h *C.lsim_region) C.lsim_status { return C.lsim_region_free(h) })
}

// call runs f with the live handle under the read lock; a closed or nil
// Region gives ErrClosed without calling C. It is owned.call with the
// closed error made only when needed: boxing it on every call cost an
// allocation per call.
func (r *Region) call(op string, f func(h *C.lsim_region) C.lsim_status) error {
	if r == nil {
		return closedError(op)
	}
	r.own.mu.RLock()
	h := r.own.h
	if h == nil {
		r.own.mu.RUnlock()
		return closedError(op)
	}
	st := f(h)
	r.own.mu.RUnlock()
	runtime.KeepAlive(r)
	return statusError(op, st)
}

// CreateFunction creates a function at nowUs. Provisioned concurrency in
// cfg starts allocating at once.
//
// Errors: [ErrInvalidArgument], [ErrMemoryBelowMinimum],
// [ErrMemoryAboveMaximum], [ErrMemoryNotOnStep], [ErrTimeoutOutOfRange],
// [ErrPackageTooLarge], [ErrProvisionedExceedsReserved],
// [ErrUnreservedBelowMinimum], [ErrCapacityExceeded],
// [ErrTimeWentBackwards], [ErrClosed].
func (r *Region) CreateFunction(nowUs uint64, cfg FunctionConfig) (Function, error) {
	c := cfg.toC()
	var out C.lsim_function
	err := r.call("CreateFunction", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_create(h, C.uint64_t(nowUs), &c, &out)
	})
	if err != nil {
		return Function{}, err
	}
	return functionFromC(out), nil
}

// UpdateFunction replaces a function's configuration at nowUs. A change of
// memory, timeout or cold-start profile is a new version: new invocations
// go to new environments. Nothing changes on error.
//
// Errors: as [Region.CreateFunction], plus [ErrUnknownFunction].
func (r *Region) UpdateFunction(nowUs uint64, fn Function, cfg FunctionConfig) error {
	c := cfg.toC()
	return r.call("UpdateFunction", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_update(h, C.uint64_t(nowUs), fn.toC(), &c)
	})
}

// PutReserved sets (non-nil) or removes (nil) a function's reserved
// concurrency (AWS PutFunctionConcurrency / DeleteFunctionConcurrency).
//
// Errors: [ErrUnknownFunction], [ErrProvisionedExceedsReserved],
// [ErrUnreservedBelowMinimum], [ErrTimeWentBackwards], [ErrClosed].
func (r *Region) PutReserved(nowUs uint64, fn Function, reserved *uint32) error {
	return r.putReserved("PutReserved", nowUs, fn, reserved)
}

// RemoveReserved removes a function's reserved concurrency (AWS
// DeleteFunctionConcurrency): PutReserved with nil.
func (r *Region) RemoveReserved(nowUs uint64, fn Function) error {
	return r.putReserved("RemoveReserved", nowUs, fn, nil)
}

func (r *Region) putReserved(op string, nowUs uint64, fn Function, reserved *uint32) error {
	var has, n C.uint32_t
	if reserved != nil {
		has, n = 1, C.uint32_t(*reserved)
	}
	return r.call(op, func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_put_reserved(h, C.uint64_t(nowUs), fn.toC(), has, n)
	})
}

// PutProvisioned sets a function's provisioned concurrency (AWS
// PutProvisionedConcurrencyConfig; 0 removes it).
//
// Errors: as [Region.PutReserved].
func (r *Region) PutProvisioned(nowUs uint64, fn Function, provisioned uint32) error {
	return r.call("PutProvisioned", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_put_provisioned(h, C.uint64_t(nowUs), fn.toC(), C.uint32_t(provisioned))
	})
}

// SetKeepAlive overrides how long fn's on-demand environments are kept
// idle: keepAliveUs non-nil sets it, nil goes back to the region's
// IdleTimeoutUs. It applies to environments that become idle from now on
// (a keep-alive policy drives this). Use [Uint64] to make the pointer.
//
// Errors: [ErrUnknownFunction], [ErrTimeWentBackwards], [ErrClosed].
func (r *Region) SetKeepAlive(nowUs uint64, fn Function, keepAliveUs *uint64) error {
	var has C.uint32_t
	var us C.uint64_t
	if keepAliveUs != nil {
		has, us = 1, C.uint64_t(*keepAliveUs)
	}
	return r.call("SetKeepAlive", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_set_keep_alive(h, C.uint64_t(nowUs), fn.toC(), has, us)
	})
}

// DeleteFunction deletes a function; its handle (and every copy) becomes
// stale.
//
// Errors: [ErrFunctionBusy] while invocations run (nothing changes),
// [ErrUnknownFunction], [ErrTimeWentBackwards], [ErrClosed].
func (r *Region) DeleteFunction(nowUs uint64, fn Function) error {
	return r.call("DeleteFunction", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_delete(h, C.uint64_t(nowUs), fn.toC())
	})
}

// Invoke is a synchronous invoke of fn at nowUs with the function's
// configured init duration. It returns the started invocation, or a
// [*ThrottleError] (errors.Is(err, ErrThrottled)) with AWS's reason.
//
// Errors: [*ThrottleError], [ErrUnknownFunction], [ErrTimeWentBackwards],
// [ErrCapacityExceeded] (environment table full), [ErrClosed].
func (r *Region) Invoke(nowUs uint64, fn Function) (Invocation, error) {
	var out C.lsim_invoke_result
	err := r.call("Invoke", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_invoke(h, C.uint64_t(nowUs), fn.toC(), &out)
	})
	return invocationFrom("Invoke", fn, &out, err)
}

// InvokeWithInit is [Region.Invoke] with this request's init duration
// (initUs) in place of the configured one; used only if the request
// cold-starts.
func (r *Region) InvokeWithInit(nowUs uint64, fn Function, initUs uint64) (Invocation, error) {
	var out C.lsim_invoke_result
	err := r.call("InvokeWithInit", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_invoke_with_init(h, C.uint64_t(nowUs), fn.toC(), C.uint64_t(initUs), &out)
	})
	return invocationFrom("InvokeWithInit", fn, &out, err)
}

// InvokeFor is [Region.Invoke] for a request whose handler duration and
// outcome are known up front: the region ends the invocation by itself,
// h.DurationUs after the handler starts (after any init), with h.Outcome —
// or at the function's timeout when that comes first or at the same
// instant (a timeout: a later [Region.Finish] returns [ErrTimedOut]). Like
// every time-driven event, the end is applied by the next call at or after
// it ([Region.Advance] with [Region.NextDeadline], [Region.Invoke], ...),
// so a driver needs no completion queue of its own. It needs no
// [Region.Finish]: one before the scheduled end ends it early, one after
// returns [ErrUnknownInvocation].
//
// Errors: [ErrInvalidArgument] (unknown h.Outcome; nothing happens), and
// those of [Region.Invoke].
func (r *Region) InvokeFor(nowUs uint64, fn Function, h Handler) (Invocation, error) {
	var out C.lsim_invoke_result
	err := r.call("InvokeFor", func(reg *C.lsim_region) C.lsim_status {
		return C.lsim_invoke_for(reg, C.uint64_t(nowUs), fn.toC(), C.uint64_t(h.DurationUs), C.uint32_t(h.Outcome), &out)
	})
	return invocationFrom("InvokeFor", fn, &out, err)
}

// InvokeForWithInit is [Region.InvokeFor] with this request's init duration
// (initUs) in place of the configured one; used only if the request
// cold-starts.
func (r *Region) InvokeForWithInit(nowUs uint64, fn Function, h Handler, initUs uint64) (Invocation, error) {
	var out C.lsim_invoke_result
	err := r.call("InvokeForWithInit", func(reg *C.lsim_region) C.lsim_status {
		return C.lsim_invoke_for_with_init(reg, C.uint64_t(nowUs), fn.toC(), C.uint64_t(h.DurationUs),
			C.uint32_t(h.Outcome), C.uint64_t(initUs), &out)
	})
	return invocationFrom("InvokeForWithInit", fn, &out, err)
}

// Prewarm starts a new on-demand environment for fn at nowUs without an
// invocation (pre-warming before expected traffic): it is created and
// initialized like a full cold start, then idles like any warm
// environment. It needs a scaling token like any new environment and is
// not concurrency. started is false (and env the zero Env) when no scaling
// token is available.
//
// Errors: [ErrUnknownFunction], [ErrTimeWentBackwards],
// [ErrCapacityExceeded] (environment table full), [ErrClosed].
func (r *Region) Prewarm(nowUs uint64, fn Function) (env Env, started bool, err error) {
	var ok C.uint32_t
	var e C.lsim_env
	err = r.call("Prewarm", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_prewarm(h, C.uint64_t(nowUs), fn.toC(), &ok, &e)
	})
	if err != nil || ok == 0 {
		return Env{}, false, err
	}
	return envFromC(e), true, nil
}

func invocationFrom(op string, fn Function, out *C.lsim_invoke_result, err error) (Invocation, error) {
	if err != nil {
		return Invocation{}, err
	}
	if out.throttled != 0 {
		return Invocation{}, &ThrottleError{Reason: ThrottleReason(out.throttle_reason), Function: fn, Op: op}
	}
	return Invocation{
		Env:              envFromC(out.invocation.env),
		Seq:              uint32(out.invocation.seq),
		Function:         fn,
		Start:            StartKind(out.start_kind),
		OnProvisioned:    out.on_provisioned != 0,
		InitUs:           uint64(out.init_us),
		ReadyAtUs:        uint64(out.ready_at_us),
		SuppressedInitUs: uint64(out.suppressed_init_us),
	}, nil
}

// Finish ends an invocation at nowUs with outcome. Only inv.Env and
// inv.Seq are read.
//
// Errors: [ErrInvalidArgument] (unknown outcome), [ErrUnknownInvocation]
// (stale or already finished), [ErrTimedOut] (the region ended it at its
// timeout), [ErrNotReady] (success before ReadyAtUs),
// [ErrTimeWentBackwards], [ErrClosed].
func (r *Region) Finish(nowUs uint64, inv Invocation, outcome Outcome) (Finished, error) {
	var out C.lsim_finish_result
	err := r.call("Finish", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_finish(h, C.uint64_t(nowUs), inv.toC(), C.uint32_t(outcome), &out)
	})
	if err != nil {
		return Finished{}, err
	}
	return Finished{
		Function:   functionFromC(out.function),
		Env:        envFromC(out.env),
		DurationUs: uint64(out.duration_us),
		EnvKept:    out.env_kept != 0,
	}, nil
}

// Advance applies every time-driven event due at or before nowUs and
// moves the region's clock there.
//
// Errors: [ErrTimeWentBackwards] (nothing changes), [ErrClosed].
func (r *Region) Advance(nowUs uint64) error {
	return r.call("Advance", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_advance(h, C.uint64_t(nowUs))
	})
}

// NextDeadline returns when the next time-driven event is due (ok true),
// or ok false when nothing is scheduled. Call [Region.Advance] with it.
func (r *Region) NextDeadline() (deadlineUs uint64, ok bool, err error) {
	var has C.uint32_t
	var at C.uint64_t
	err = r.call("NextDeadline", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_next_deadline(h, &has, &at)
	})
	if err != nil || has == 0 {
		return 0, false, err
	}
	return uint64(at), true, nil
}

// Now returns the region's clock: the latest nowUs it was given.
func (r *Region) Now() (uint64, error) {
	var now C.uint64_t
	err := r.call("Now", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_now(h, &now)
	})
	return uint64(now), err
}

// FunctionCounts returns one function's environment counts.
//
// Errors: [ErrUnknownFunction], [ErrClosed].
func (r *Region) FunctionCounts(fn Function) (FunctionCounts, error) {
	var c C.lsim_function_counts
	err := r.call("FunctionCounts", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_get_counts(h, fn.toC(), &c)
	})
	if err != nil {
		return FunctionCounts{}, err
	}
	var reserved *uint32
	if c.has_reserved != 0 {
		reserved = Uint32(uint32(c.reserved))
	}
	return FunctionCounts{
		Busy:                 uint32(c.busy),
		BusyProvisioned:      uint32(c.busy_provisioned),
		Idle:                 uint32(c.idle),
		IdleProvisioned:      uint32(c.idle_provisioned),
		Creating:             uint32(c.creating),
		Initializing:         uint32(c.initializing),
		Live:                 uint32(c.live),
		ShuttingDown:         uint32(c.shutting_down),
		Provisioned:          uint32(c.provisioned),
		ProvisionedAllocated: uint32(c.provisioned_allocated),
		ProvisionedStatus:    ProvisionedStatus(c.provisioned_status),
		Reserved:             reserved,
	}, nil
}

// FunctionStats returns one function's counters since it was created.
//
// Errors: [ErrUnknownFunction], [ErrClosed].
func (r *Region) FunctionStats(fn Function) (Stats, error) {
	var s C.lsim_stats
	err := r.call("FunctionStats", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_stats(h, fn.toC(), &s)
	})
	if err != nil {
		return Stats{}, err
	}
	return statsFromC(&s), nil
}

// RegionStats returns the region-wide counters since it was created.
func (r *Region) RegionStats() (Stats, error) {
	var s C.lsim_stats
	err := r.call("RegionStats", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_stats(h, &s)
	})
	if err != nil {
		return Stats{}, err
	}
	return statsFromC(&s), nil
}

// RegionCounts returns the account-wide concurrency counts.
func (r *Region) RegionCounts() (RegionCounts, error) {
	var c C.lsim_region_counts
	err := r.call("RegionCounts", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_get_counts(h, &c)
	})
	if err != nil {
		return RegionCounts{}, err
	}
	return RegionCounts{
		Busy:            uint64(c.busy),
		Live:            uint64(c.live),
		UnreservedInUse: uint64(c.unreserved_in_use),
		UnreservedPool:  uint64(c.unreserved_pool),
		Claimed:         uint64(c.claimed),
	}, nil
}

// EnvState returns an environment's state. A handle the region no longer
// knows (or never knew) reads as [EnvTerminated].
func (r *Region) EnvState(env Env) (EnvState, error) {
	var s C.uint32_t
	err := r.call("EnvState", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_env_state(h, env.toC(), &s)
	})
	return EnvState(s), err
}

// Occupancy returns the region's live and busy environments integrated
// over time up to its clock, with the busy peaks and averages.
func (r *Region) Occupancy() (Occupancy, error) {
	var o C.lsim_occupancy
	err := r.call("Occupancy", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_occupancy(h, &o)
	})
	if err != nil {
		return Occupancy{}, err
	}
	return occupancyFromC(&o), nil
}

// FunctionOccupancy returns one function's occupancy (as
// [Region.Occupancy]) up to the region's clock.
//
// Errors: [ErrUnknownFunction], [ErrClosed].
func (r *Region) FunctionOccupancy(fn Function) (Occupancy, error) {
	var o C.lsim_occupancy
	err := r.call("FunctionOccupancy", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_occupancy(h, fn.toC(), &o)
	})
	if err != nil {
		return Occupancy{}, err
	}
	return occupancyFromC(&o), nil
}

// TakeBusyWindowPeak returns the most busy environments (region-wide)
// since the last call (or since the region was created), then starts a new
// window at the current busy count, for the region and every function
// (CloudWatch's per-period Max of ConcurrentExecutions).
func (r *Region) TakeBusyWindowPeak() (uint32, error) {
	var peak C.uint32_t
	err := r.call("TakeBusyWindowPeak", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_take_busy_window_peak(h, &peak)
	})
	return uint32(peak), err
}

// FunctionBusy returns one function's concurrency: its busy environments,
// cold-starting ones included (FunctionCounts.Busy, in O(1)).
//
// Errors: [ErrUnknownFunction], [ErrClosed].
func (r *Region) FunctionBusy(fn Function) (uint32, error) {
	var busy C.uint32_t
	err := r.call("FunctionBusy", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_busy(h, fn.toC(), &busy)
	})
	return uint32(busy), err
}

// EnvFunction returns the function an environment belongs to.
//
// Errors: [ErrUnknownEnv] for an environment the region no longer knows
// (it terminated) or never knew, [ErrClosed].
func (r *Region) EnvFunction(env Env) (Function, error) {
	var f C.lsim_function
	err := r.call("EnvFunction", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_env_function(h, env.toC(), &f)
	})
	if err != nil {
		return Function{}, err
	}
	return functionFromC(f), nil
}

// FunctionConfig returns a function's current configuration (reserved and
// provisioned concurrency as last put).
//
// Errors: [ErrUnknownFunction], [ErrClosed].
func (r *Region) FunctionConfig(fn Function) (FunctionConfig, error) {
	var c C.lsim_function_config
	err := r.call("FunctionConfig", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_get_config(h, fn.toC(), &c)
	})
	if err != nil {
		return FunctionConfig{}, err
	}
	return functionConfigFromC(&c), nil
}

// Check recounts the region's tables and checks its invariants
// (O(environments); for tests and debugging). A broken invariant is an
// [*Error] with [StatusInvariantViolated] whose Detail says which.
func (r *Region) Check() error {
	var detail string
	err := r.call("Check", func(h *C.lsim_region) C.lsim_status {
		st := C.lsim_region_check(h)
		if Status(st) == StatusInvariantViolated {
			detail = checkMessage(h)
		}
		return st
	})
	if e, ok := err.(*Error); ok {
		e.Detail = detail
	}
	return err
}

// checkMessage reads lsim_region_check_message (size query, then the text)
// into C memory, so no Go pointer reaches C.
func checkMessage(h *C.lsim_region) string {
	var need C.size_t
	if Status(C.lsim_region_check_message(h, nil, 0, &need)) != StatusBufferTooSmall || need == 0 {
		return ""
	}
	buf := (*C.char)(C.malloc(need))
	if buf == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(buf))
	if Status(C.lsim_region_check_message(h, buf, need, &need)) != StatusOK {
		return ""
	}
	return C.GoString(buf)
}
