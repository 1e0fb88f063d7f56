package lambdasim

/*
#include "lambdasim.h"
*/
import "C"

import "unsafe"

// ScalingAction is what target tracking asks for.
type ScalingAction uint32

// Scaling actions.
const (
	// ScalingNone: no change.
	ScalingNone ScalingAction = C.LSIM_SCALING_NONE
	// ScalingOut: utilization above the target for 3 minutes.
	ScalingOut ScalingAction = C.LSIM_SCALING_OUT
	// ScalingIn: utilization below 90 % of the target for 15 minutes.
	ScalingIn ScalingAction = C.LSIM_SCALING_IN
)

// TargetTracking is a target-tracking policy for provisioned concurrency:
// TargetPPM in 100000..=900000 (0.1..=0.9), 1 <= Min <= Max.
type TargetTracking struct {
	TargetPPM uint32
	Min       uint32
	Max       uint32
}

// ScalingDecision is the policy's answer: To is the capacity to set
// (From when Action is ScalingNone); UtilizationPPM the mean utilization
// of the datapoints that fired the alarm (0 for none).
type ScalingDecision struct {
	Action         ScalingAction
	From           uint32
	To             uint32
	UtilizationPPM uint32
}

// Decide answers what the policy does after the newest of the one-minute
// utilization datapoints (parts per million, oldest first; present[i]
// false marks a minute without a datapoint, nil present means all are
// present), given the configured capacity and whether its allocation is
// in progress. Pass the datapoints since the last action taken
// (lsim_target_tracking_decide; only the newest 15 matter).
//
// Errors: [ErrInvalidArgument] for a bad policy, a datapoint above
// 1000000, or present of another length than utilizationPPM.
func (t TargetTracking) Decide(utilizationPPM []uint32, present []bool, current uint32, inProgress bool) (ScalingDecision, error) {
	if present != nil && len(present) != len(utilizationPPM) {
		return ScalingDecision{}, &Error{Code: StatusInvalidArgument, Op: "Decide", Detail: "present: length differs from utilizationPPM"}
	}
	c := C.lsim_target_tracking{
		struct_size: C.uint32_t(unsafe.Sizeof(C.lsim_target_tracking{})),
		target_ppm:  C.uint32_t(t.TargetPPM),
		min:         C.uint32_t(t.Min),
		max:         C.uint32_t(t.Max),
	}
	var vp *C.uint32_t
	if len(utilizationPPM) > 0 {
		vp = (*C.uint32_t)(unsafe.Pointer(&utilizationPPM[0]))
	}
	var pp *C.uint8_t
	if len(present) > 0 {
		bytes := make([]C.uint8_t, len(present))
		for i, p := range present {
			if p {
				bytes[i] = 1
			}
		}
		pp = &bytes[0]
	}
	var busy C.uint8_t
	if inProgress {
		busy = 1
	}
	var out C.lsim_scaling_decision
	st := C.lsim_target_tracking_decide(&c, vp, pp, C.size_t(len(utilizationPPM)), C.uint32_t(current), busy, &out)
	if err := statusError("Decide", st); err != nil {
		return ScalingDecision{}, err
	}
	return ScalingDecision{
		Action:         ScalingAction(out.action),
		From:           uint32(out.from),
		To:             uint32(out.to),
		UtilizationPPM: uint32(out.utilization_ppm),
	}, nil
}
