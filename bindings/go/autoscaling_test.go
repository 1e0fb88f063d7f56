package lambdasim

import (
	"errors"
	"testing"
)

func TestTargetTrackingDecide(t *testing.T) {
	p := TargetTracking{TargetPPM: 700000, Min: 1, Max: 100}
	high := []uint32{1000000, 1000000, 1000000}
	d, err := p.Decide(high, nil, 10, false)
	if err != nil || d != (ScalingDecision{Action: ScalingOut, From: 10, To: 15, UtilizationPPM: 1000000}) {
		t.Fatalf("three high minutes: %+v %v", d, err)
	}
	if d, err := p.Decide(high[:2], nil, 10, false); err != nil || d.Action != ScalingNone || d.To != 10 {
		t.Fatalf("a two-minute burst scaled: %+v %v", d, err)
	}
	if d, _ := p.Decide(high, nil, 10, true); d.Action != ScalingNone {
		t.Fatalf("acted while in progress: %+v", d)
	}
	low := make([]uint32, 15)
	present := make([]bool, 15)
	for i := range low {
		low[i], present[i] = 100000, true
	}
	if d, err := p.Decide(low, present, 100, false); err != nil || d.Action != ScalingIn || d.To != 90 {
		t.Fatalf("fifteen low minutes: %+v %v", d, err)
	}
	present[7] = false
	if d, _ := p.Decide(low, present, 100, false); d.Action != ScalingNone {
		t.Fatalf("scaled in across a missing minute: %+v", d)
	}
	for _, bad := range []TargetTracking{{TargetPPM: 950000, Min: 1, Max: 2}, {TargetPPM: 700000, Min: 0, Max: 2}, {TargetPPM: 700000, Min: 3, Max: 2}} {
		if _, err := bad.Decide(high, nil, 1, false); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := p.Decide([]uint32{1000001}, nil, 1, false); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("utilization above 1: %v", err)
	}
	if _, err := p.Decide(high, []bool{true}, 1, false); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("short present: %v", err)
	}
}
