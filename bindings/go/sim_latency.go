package lambdasim

/*
#include "lambdasim.h"
*/
import "C"

// Percentiles of one latency distribution, in µs: nearest rank within
// 0.79 % of the exact value (exact below 128 µs), the maximum exact. Every
// field is 0 when Samples is 0.
type Percentiles struct {
	Samples uint64 `json:"samples"`
	P50Us   uint64 `json:"p50_us"`
	P90Us   uint64 `json:"p90_us"`
	P99Us   uint64 `json:"p99_us"`
	MaxUs   uint64 `json:"max_us"`
}

// Latency is what the requests that ran (not throttled) after the warm-up
// felt: the JSON's "latency".
type Latency struct {
	// HandlerDuration: how long each handler ran, capped by the timeout.
	HandlerDuration Percentiles `json:"handler_duration"`
	// InitDuration: the init phase of each cold start (without the
	// sandbox's creation).
	InitDuration Percentiles `json:"init_duration"`
	// ResponseTime: the wait before the handler (a cold start) plus the
	// handler duration.
	ResponseTime Percentiles `json:"response_time"`
	// ColdStartAddedP99Us is ResponseTime.P99Us - HandlerDuration.P99Us:
	// how much later the slowest 1 % of responses arrive because of cold
	// starts (0 without).
	ColdStartAddedP99Us uint64 `json:"cold_start_added_p99_us"`
}

func percentilesFromC(c *C.lsim_percentiles) Percentiles {
	return Percentiles{
		Samples: uint64(c.samples),
		P50Us:   uint64(c.p50_us),
		P90Us:   uint64(c.p90_us),
		P99Us:   uint64(c.p99_us),
		MaxUs:   uint64(c.max_us),
	}
}

// Latency returns the latency of function i (an index of
// [SimResult.Functions]) or, with i = [SimTotal], of every function's
// requests together.
//
// Errors: [ErrUnknownFunction] for an index out of range, [ErrClosed].
func (r *SimResult) Latency(i int) (Latency, error) {
	index := functionIndex(i)
	if i == SimTotal {
		index = C.LSIM_SIM_TOTAL
	}
	var out C.lsim_latency
	err := r.call("Latency", func(h *C.lsim_sim_result) C.lsim_status {
		return C.lsim_sim_result_latency(h, index, &out)
	})
	if err != nil {
		return Latency{}, err
	}
	return Latency{
		HandlerDuration:     percentilesFromC(&out.handler_duration),
		InitDuration:        percentilesFromC(&out.init_duration),
		ResponseTime:        percentilesFromC(&out.response_time),
		ColdStartAddedP99Us: uint64(out.cold_start_added_p99_us),
	}, nil
}
