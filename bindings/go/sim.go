package lambdasim

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#include <stdlib.h>
#include "lambdasim.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// ScenarioFormat is how a scenario's text is read.
type ScenarioFormat uint32

// Scenario formats.
const (
	// FormatAuto reads text starting with '{' (after white space) as JSON,
	// anything else as TOML. The default.
	FormatAuto ScenarioFormat = C.LSIM_SCENARIO_FORMAT_AUTO
	// FormatTOML reads TOML.
	FormatTOML ScenarioFormat = C.LSIM_SCENARIO_FORMAT_TOML
	// FormatJSON reads JSON.
	FormatJSON ScenarioFormat = C.LSIM_SCENARIO_FORMAT_JSON
)

// SimTotal is the index [SimResult.Bill] takes for the whole account's bill.
const SimTotal = -1

// RunOptions override a scenario's settings for [RunScenario], as
// `lambdasim run --seed S --horizon-s H` does. The zero value runs the
// scenario as written (replication 0, format detected from the text).
type RunOptions struct {
	// Seed replaces the scenario's seed when non-nil. Replication r runs
	// with seed + r.
	Seed *uint64
	// HorizonUs replaces the scenario's horizon when non-nil: µs of
	// simulated time, 1 up to 366 days (31 622 400 000 000). A warm-up not
	// shorter than the new horizon becomes a tenth of it.
	HorizonUs *uint64
	// Replication is the replication to run: 0 up to the scenario's
	// replications − 1.
	Replication uint32
	// Format is FormatAuto (default), FormatTOML or FormatJSON.
	Format ScenarioFormat
	// Name is the scenario's name in the JSON's "scenario" field (the
	// command puts the file's path there); "" means "(scenario)".
	Name string
}

// Uint64 returns a pointer to v, for [RunOptions].Seed and HorizonUs.
func Uint64(v uint64) *uint64 { return &v }

// SimSummary is the summary of a run for one function or the whole
// account: the fields of the JSON's summaries (cli/README.md). Counts and
// averages cover the run after the warm-up; the bill covers the whole run.
type SimSummary struct {
	Requests          uint64 // requests made (Invocations + Throttles)
	Invocations       uint64 // invocations started
	ColdStarts        uint64 // full + partial cold starts
	FullColdStarts    uint64 // new environments (create + init)
	PartialColdStarts uint64 // init re-run on an environment reset by a crash or timeout
	WarmStarts        uint64 // idle on-demand environments reused
	ProvisionedStarts uint64 // starts on provisioned environments
	// Spillover is the on-demand starts of functions with provisioned
	// concurrency (all of it busy).
	Spillover uint64
	Throttles uint64 // throttled requests (not in Invocations)
	// ThrottlesByReason are the throttles by reason, indexed by ThrottleReason.
	ThrottlesByReason    [ThrottleReasonCount]uint64
	Errors               uint64  // invocations that ended in an error
	Timeouts             uint64  // of Errors, the timeouts
	ColdStartProbability float64 // ColdStarts / Requests
	ThrottleProbability  float64 // Throttles / Requests
	AvgInstances         float64 // time-averaged live environments
	AvgBusy              float64 // time-averaged busy environments (the concurrency)
	AvgIdle              float64 // AvgInstances − AvgBusy
	Utilization          float64 // AvgBusy / AvgInstances (0 without instances)
	PeakConcurrency      uint32  // the most busy environments at once
	// TotalCents is the bill's total as AWS shows it (the sum of its lines
	// rounded to cents). A function's bill has no free tier; the total's
	// has it when the scenario enables it.
	TotalCents uint64
	// ExactTotal is the bill's exact, unrounded total.
	ExactTotal Money
}

// MinutePoint is one point of the per-minute series, account-wide: a
// simulated minute, or [SimResult.BucketMinutes] minutes of a run longer
// than [MaxMinutePoints] minutes (the last point may be partial).
type MinutePoint struct {
	Minute         uint64  // the point's first minute, from 0
	BusyMax        uint32  // most busy environments during the minute (ConcurrentExecutions Max)
	BusyAvg        float64 // average busy environments
	LiveAvg        float64 // average live environments
	Live           uint32  // live environments at the end of the minute
	Invocations    uint64  // invocations started
	ColdStarts     uint64  // cold starts
	Throttles      uint64  // throttles
	AccountLimit   uint32  // the account concurrency limit
	UnreservedPool uint64  // the unreserved pool at the end of the minute
	Claimed        uint64  // claimed account concurrency at the end of the minute
}

// SimResult is the result of one simulated replication of a scenario:
// its JSON report, per-function and total summaries, bills and the
// per-minute series. Close it when done.
//
// A SimResult never changes; it is safe for concurrent use, and Close waits
// for calls in flight.
type SimResult struct {
	own owned[*C.lsim_sim_result]
}

// RunScenario runs one replication of a scenario (the TOML or JSON of
// `lambdasim run`, cli/README.md) and returns its result. Relative trace
// paths in the scenario resolve against the process's current directory.
// The same text and options give the same result on every machine and
// through every binding. It blocks until the simulation ends.
//
// Errors: [ErrInvalidScenario] (the *Error's Detail says why, with the
// line, column and field), [ErrInvalidArgument] (unknown Format, HorizonUs
// 0 or above 366 days, Replication not below the scenario's replications),
// [ErrCapacityExceeded] (more than 65 536 environments at once),
// [ErrOverflow], [ErrSimulationFailed], [ErrABIMismatch].
func RunScenario(text string, opts RunOptions) (*SimResult, error) {
	if v := LibraryABIVersion(); v != ABIVersion {
		return nil, fmt.Errorf("%w: library %d, binding %d", ErrABIMismatch, v, ABIVersion)
	}
	var o C.lsim_run_options
	C.lsim_run_options_default(&o)
	if opts.Seed != nil {
		o.has_seed, o.seed = 1, C.uint64_t(*opts.Seed)
	}
	if opts.HorizonUs != nil {
		o.has_horizon, o.horizon_us = 1, C.uint64_t(*opts.HorizonUs)
	}
	o.replication = C.uint32_t(opts.Replication)
	// C memory only: a struct passed to C may hold no Go pointer.
	if opts.Name != "" {
		o.name = C.CString(opts.Name)
		o.name_len = C.size_t(len(opts.Name))
		defer C.free(unsafe.Pointer(o.name))
	}
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	var h *C.lsim_sim_result
	st := C.lsim_scenario_run(ctext, C.size_t(len(text)), C.uint32_t(opts.Format), &o, &h)
	if err := statusError("RunScenario", st); err != nil {
		if e, ok := err.(*Error); ok && e.Code == StatusInvalidScenario {
			e.Detail, _ = checkText(ctext, len(text), opts.Format)
		}
		return nil, err
	}
	r := &SimResult{own: owned[*C.lsim_sim_result]{h: h}}
	// Only a safety net: Close is what users should call.
	runtime.SetFinalizer(r, (*SimResult).Close)
	return r, nil
}

// CheckScenario checks a scenario as [RunScenario] does before simulating
// (parsed, every value in range, trace files read), reading it as JSON when
// it starts with '{' and as TOML otherwise. It returns nil for a valid
// scenario, else an [*Error] matching [ErrInvalidScenario] whose Detail is
// the message `lambdasim run` prints, with the line, column and field,
// e.g. "(scenario):7:21: functions[0].workload.type: unknown variant ...".
func CheckScenario(text string) error {
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	msg, st := checkText(ctext, len(text), FormatAuto)
	err := statusError("CheckScenario", st)
	if e, ok := err.(*Error); ok {
		e.Detail = msg
	}
	return err
}

// checkText runs lsim_scenario_check on C memory, growing its buffer as the
// library asks; it returns the message and the final status.
func checkText(ctext *C.char, n int, format ScenarioFormat) (string, C.lsim_status) {
	size := C.size_t(1024)
	for {
		buf := (*C.char)(C.malloc(size))
		if buf == nil {
			return "", C.lsim_status(StatusInternal)
		}
		var need C.size_t
		st := C.lsim_scenario_check(ctext, C.size_t(n), C.uint32_t(format), buf, size, &need)
		if Status(st) == StatusBufferTooSmall && need > size {
			C.free(unsafe.Pointer(buf))
			size = need
			continue
		}
		msg := ""
		if Status(st) == StatusOK || Status(st) == StatusInvalidScenario {
			msg = C.GoString(buf)
		}
		C.free(unsafe.Pointer(buf))
		return msg, st
	}
}

// Close frees the result. It is idempotent: later calls return nil here and
// an error wrapping [ErrClosed] from every other method. It waits for calls
// in flight on other goroutines.
func (r *SimResult) Close() error {
	if r == nil {
		return nil
	}
	runtime.SetFinalizer(r, nil)
	return r.own.close("SimResult.Close", func(h *C.lsim_sim_result) C.lsim_status { return C.lsim_sim_result_free(h) })
}

// call runs f with the live handle under the read lock; a closed or nil
// SimResult gives ErrClosed without calling C.
func (r *SimResult) call(op string, f func(h *C.lsim_sim_result) C.lsim_status) error {
	if r == nil {
		return closedResultError(op)
	}
	err := r.own.call("SimResult."+op, closedResultError(op), f)
	runtime.KeepAlive(r)
	return err
}

// readString reads a (buf, buf_len, *out_len) string into C memory, growing
// the buffer as the library asks.
func readString(size C.size_t, f func(buf *C.char, n C.size_t, need *C.size_t) C.lsim_status) (string, C.lsim_status) {
	for {
		buf := (*C.char)(C.malloc(size))
		if buf == nil {
			return "", C.lsim_status(StatusInternal)
		}
		var need C.size_t
		st := f(buf, size, &need)
		if Status(st) == StatusBufferTooSmall && need > size {
			C.free(unsafe.Pointer(buf))
			size = need
			continue
		}
		s := ""
		if Status(st) == StatusOK && need > 0 {
			s = C.GoStringN(buf, C.int(need-1))
		}
		C.free(unsafe.Pointer(buf))
		return s, st
	}
}

// JSON returns exactly the bytes `lambdasim run FILE --json` prints for
// this replication (with a final newline; for a scenario with several
// replications, the object of this one in the command's "runs"). Fields:
// cli/README.md.
func (r *SimResult) JSON() (string, error) {
	var out string
	err := r.call("JSON", func(h *C.lsim_sim_result) C.lsim_status {
		s, st := readString(64<<10, func(buf *C.char, n C.size_t, need *C.size_t) C.lsim_status {
			return C.lsim_sim_result_json(h, buf, n, need)
		})
		out = s
		return st
	})
	return out, err
}

// Seed returns the seed the run used: the scenario's (or RunOptions.Seed)
// plus the replication.
func (r *SimResult) Seed() (uint64, error) {
	var out C.uint64_t
	err := r.call("Seed", func(h *C.lsim_sim_result) C.lsim_status {
		return C.lsim_sim_result_seed(h, &out)
	})
	return uint64(out), err
}

// Functions returns the names of the scenario's functions, in scenario
// order: [SimResult.Function] and [SimResult.Bill] take their indexes.
func (r *SimResult) Functions() ([]string, error) {
	var names []string
	err := r.call("Functions", func(h *C.lsim_sim_result) C.lsim_status {
		var n C.size_t
		if st := C.lsim_sim_result_function_count(h, &n); Status(st) != StatusOK {
			return st
		}
		names = make([]string, 0, int(n))
		for i := C.size_t(0); i < n; i++ {
			s, st := readString(256, func(buf *C.char, size C.size_t, need *C.size_t) C.lsim_status {
				return C.lsim_sim_result_function_name(h, i, buf, size, need)
			})
			if Status(st) != StatusOK {
				return st
			}
			names = append(names, s)
		}
		return C.lsim_status(StatusOK)
	})
	if err != nil {
		return nil, err
	}
	return names, nil
}

func (r *SimResult) summary(op string, index C.uint32_t) (SimSummary, error) {
	var c C.lsim_sim_summary
	err := r.call(op, func(h *C.lsim_sim_result) C.lsim_status {
		return C.lsim_sim_result_summary(h, index, &c)
	})
	if err != nil {
		return SimSummary{}, err
	}
	s := SimSummary{
		Requests:             uint64(c.requests),
		Invocations:          uint64(c.invocations),
		ColdStarts:           uint64(c.cold_starts),
		FullColdStarts:       uint64(c.full_cold_starts),
		PartialColdStarts:    uint64(c.partial_cold_starts),
		WarmStarts:           uint64(c.warm_starts),
		ProvisionedStarts:    uint64(c.provisioned_starts),
		Spillover:            uint64(c.spillover),
		Throttles:            uint64(c.throttles),
		Errors:               uint64(c.errors),
		Timeouts:             uint64(c.timeouts),
		ColdStartProbability: float64(c.cold_start_probability),
		ThrottleProbability:  float64(c.throttle_probability),
		AvgInstances:         float64(c.avg_instances),
		AvgBusy:              float64(c.avg_busy),
		AvgIdle:              float64(c.avg_idle),
		Utilization:          float64(c.utilization),
		PeakConcurrency:      uint32(c.peak_concurrency),
		TotalCents:           uint64(c.total_cents),
		ExactTotal:           moneyFromC(c.exact_total),
	}
	for i := range s.ThrottlesByReason {
		s.ThrottlesByReason[i] = uint64(c.throttles_by_reason[i])
	}
	return s, nil
}

// functionIndex converts a Go index: a negative or too large one is an
// index no function has.
func functionIndex(i int) C.uint32_t {
	if i < 0 || int64(i) >= int64(C.LSIM_SIM_TOTAL) {
		return C.uint32_t(C.LSIM_SIM_TOTAL - 1)
	}
	return C.uint32_t(i)
}

// Total returns the summary of the whole account (the JSON's "total").
func (r *SimResult) Total() (SimSummary, error) {
	return r.summary("Total", C.LSIM_SIM_TOTAL)
}

// Function returns the summary of function i (an index of
// [SimResult.Functions]).
//
// Errors: [ErrUnknownFunction] for an index out of range, [ErrOverflow],
// [ErrClosed].
func (r *SimResult) Function(i int) (SimSummary, error) {
	return r.summary("Function", functionIndex(i))
}

// Bill returns the bill of function i (its usage alone, no free tier) or,
// with i = [SimTotal], of the account (with the free tier when the scenario
// enables it), over the whole run at the scenario's prices: the JSON's
// "bill", line by line.
//
// Errors: [ErrUnknownFunction], [ErrOverflow], [ErrClosed].
func (r *SimResult) Bill(i int) (Bill, error) {
	index := functionIndex(i)
	if i == SimTotal {
		index = C.LSIM_SIM_TOTAL
	}
	var out C.lsim_bill
	err := r.call("Bill", func(h *C.lsim_sim_result) C.lsim_status {
		return C.lsim_sim_result_bill(h, index, &out)
	})
	if err != nil {
		return Bill{}, err
	}
	return billFromC(&out), nil
}

// MaxMinutePoints is the most points [SimResult.Minutes] returns.
const MaxMinutePoints = C.LSIM_MAX_MINUTE_POINTS

// BucketMinutes returns the minutes each point of [SimResult.Minutes]
// covers: 1, or for a run longer than [MaxMinutePoints] minutes the power
// of two that fits it (the JSON's "bucket_s" / 60).
func (r *SimResult) BucketMinutes() (uint64, error) {
	var out C.uint64_t
	err := r.call("BucketMinutes", func(h *C.lsim_sim_result) C.lsim_status {
		return C.lsim_sim_result_bucket_minutes(h, &out)
	})
	return uint64(out), err
}

// Minutes returns the per-minute series (the JSON's "minutes"): at most
// [MaxMinutePoints] points of [SimResult.BucketMinutes] minutes each.
func (r *SimResult) Minutes() ([]MinutePoint, error) {
	var out []MinutePoint
	err := r.call("Minutes", func(h *C.lsim_sim_result) C.lsim_status {
		var n C.size_t
		st := C.lsim_sim_result_minutes(h, nil, 0, &n)
		if Status(st) == StatusOK {
			out = []MinutePoint{}
			return st
		}
		if Status(st) != StatusBufferTooSmall {
			return st
		}
		// C memory: the library writes into it, Go copies out.
		size := C.size_t(unsafe.Sizeof(C.lsim_minute_point{}))
		buf := (*C.lsim_minute_point)(C.malloc(n * size))
		if buf == nil {
			return C.lsim_status(StatusInternal)
		}
		defer C.free(unsafe.Pointer(buf))
		var got C.size_t
		if st := C.lsim_sim_result_minutes(h, buf, n, &got); Status(st) != StatusOK {
			return st
		}
		points := unsafe.Slice(buf, int(got))
		out = make([]MinutePoint, len(points))
		for i := range points {
			m := &points[i]
			out[i] = MinutePoint{
				Minute:         uint64(m.minute),
				BusyMax:        uint32(m.busy_max),
				BusyAvg:        float64(m.busy_avg),
				LiveAvg:        float64(m.live_avg),
				Live:           uint32(m.live),
				Invocations:    uint64(m.invocations),
				ColdStarts:     uint64(m.cold_starts),
				Throttles:      uint64(m.throttles),
				AccountLimit:   uint32(m.account_limit),
				UnreservedPool: uint64(m.unreserved_pool),
				Claimed:        uint64(m.claimed),
			}
		}
		return C.lsim_status(StatusOK)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
