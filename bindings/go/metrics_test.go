package lambdasim_test

import (
	"errors"
	"testing"

	"lambdasim"
)

// The model's provisioned example: one request per minute lasting two
// minutes; in minute 2, Max(ProvisionedConcurrentExecutions) = 2 while
// Sum(ProvisionedConcurrencyInvocations) = 1.
func TestRegionMetricsProvisionedExample(t *testing.T) {
	rc := lambdasim.DefaultRegionConfig()
	rc.FunctionCapacity, rc.ProvisionedDelayUs = 2, 0
	r, err := lambdasim.NewRegion(rc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.AttachMetrics(lambdasim.DefaultMetricsConfig()); err != nil {
		t.Fatal(err)
	}
	fc := lambdasim.DefaultFunctionConfig()
	fc.Provisioned, fc.TimeoutMs = 3, 900_000
	fn, err := r.CreateFunction(0, fc)
	if err != nil {
		t.Fatal(err)
	}
	for minute := uint64(1); minute <= 4; minute++ {
		if _, err := r.InvokeFor(minute*60_000_000, fn, lambdasim.Handler{DurationUs: 120_000_000}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Advance(420_000_000); err != nil {
		t.Fatal(err)
	}
	stat := func(m lambdasim.Metric, f *lambdasim.Function, s lambdasim.Statistic, period uint64) (float64, bool) {
		v, ok, err := r.MetricStatistic(m, f, s, period, 1)
		if err != nil {
			t.Fatal(err)
		}
		return v, ok
	}
	max := lambdasim.Statistic{Kind: lambdasim.StatMaximum}
	sum := lambdasim.Statistic{Kind: lambdasim.StatSum}
	if v, ok := stat(lambdasim.MetricProvisionedConcurrentExecutions, &fn, max, 2); !ok || v != 2 {
		t.Errorf("Max(ProvisionedConcurrentExecutions) in minute 2 = %v %v, want 2", v, ok)
	}
	if v, ok := stat(lambdasim.MetricProvisionedConcurrencyInvocations, &fn, sum, 2); !ok || v != 1 {
		t.Errorf("Sum(ProvisionedConcurrencyInvocations) in minute 2 = %v %v, want 1", v, ok)
	}
	if _, ok := stat(lambdasim.MetricInvocations, nil, sum, 0); ok {
		t.Error("minute 0 has no invocation: its datapoint must be missing")
	}
	vals, present, err := r.MetricStatistics(lambdasim.MetricInvocations, &fn, sum, 0, 5)
	if err != nil || len(vals) != 5 || present[0] || !present[1] || vals[1] != 1 || vals[4] != 1 {
		t.Errorf("MetricStatistics(Invocations, 0..5) = %v %v %v", vals, present, err)
	}
	dp, ok, err := r.MetricDatapoint(lambdasim.MetricDuration, &fn, 1)
	if err != nil || !ok || dp.SampleCount != 1 || dp.Maximum != 120_000_000 {
		t.Errorf("Duration datapoint of minute 1 = %+v %v %v", dp, ok, err)
	}
	lat, ok, err := r.MetricLatency(lambdasim.MetricDuration, &fn)
	if err != nil || !ok || lat.SampleCount != 4 || lat.Maximum != 120_000_000 {
		t.Errorf("Duration latency = %+v %v %v", lat, ok, err)
	}
}

func TestRegionMetricsErrors(t *testing.T) {
	r, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, _, err := r.MetricDatapoint(lambdasim.MetricInvocations, nil, 0); !errors.Is(err, lambdasim.ErrInvalidArgument) {
		t.Errorf("no store attached: %v, want InvalidArgument", err)
	}
	bad := lambdasim.DefaultMetricsConfig()
	bad.PeriodS = 45
	if err := r.AttachMetrics(bad); !errors.Is(err, lambdasim.ErrInvalidSetting) {
		t.Errorf("45 s periods: %v, want InvalidSetting", err)
	}
	bad = lambdasim.DefaultMetricsConfig()
	bad.Periods = 0
	if err := r.AttachMetrics(bad); !errors.Is(err, lambdasim.ErrInvalidArgument) {
		t.Errorf("0 periods: %v, want InvalidArgument", err)
	}
}
