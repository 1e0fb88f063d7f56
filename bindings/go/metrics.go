package lambdasim

/*
#include "lambdasim.h"
*/
import "C"

// MetricsConfig lays out a region's metric store. Start from
// [DefaultMetricsConfig].
type MetricsConfig struct {
	// PeriodS is the period of a datapoint in seconds: 1, 5, 10, 30 or a
	// multiple of 60. Default 60.
	PeriodS uint32
	// Periods is how many periods each series keeps (older ones roll off,
	// counted), 1..=100 000. Default 60.
	Periods uint32
	// HistogramPeriods is how many of the latest periods keep histograms
	// for percentile statistics, 0..=Periods. Default 5.
	HistogramPeriods uint32
}

// DefaultMetricsConfig returns lsim_metrics_config_default's layout.
func DefaultMetricsConfig() MetricsConfig {
	var c C.lsim_metrics_config
	if st := C.lsim_metrics_config_default(&c); Status(st) != StatusOK {
		panic("lambdasim: lsim_metrics_config_default failed: " + Status(st).String()) // cannot happen: &c is not NULL
	}
	return MetricsConfig{PeriodS: uint32(c.period_s), Periods: uint32(c.periods), HistogramPeriods: uint32(c.histogram_periods)}
}

// Datapoint is one period of a series: Sum, SampleCount, Minimum, Maximum
// (durations in microseconds, utilization in parts per million).
type Datapoint struct {
	Sum, SampleCount, Minimum, Maximum uint64
}

// MetricLatency is a distribution's whole-run percentiles (microseconds),
// within 0.79 % of the exact nearest-rank values.
type MetricLatency struct {
	SampleCount, P50, P90, P99, Maximum uint64
}

// AttachMetrics attaches a metric store: from now on the region emits
// CloudWatch's metrics per function slot and region-wide. It allocates
// about 380 KB per function slot at the defaults: keep
// [RegionConfig].FunctionCapacity to what you use.
func (r *Region) AttachMetrics(cfg MetricsConfig) error {
	c := C.lsim_metrics_config{
		struct_size:       C.uint32_t(C.sizeof_lsim_metrics_config),
		period_s:          C.uint32_t(cfg.PeriodS),
		periods:           C.uint32_t(cfg.Periods),
		histogram_periods: C.uint32_t(cfg.HistogramPeriods),
	}
	return r.call("AttachMetrics", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_attach_metrics(h, &c)
	})
}

// fnPtr is the C function pointer argument: NULL (region-wide) for nil.
func fnPtr(fn *Function, c *C.lsim_function) *C.lsim_function {
	if fn == nil {
		return nil
	}
	*c = fn.toC()
	return c
}

// MetricDatapoint returns period period's datapoint of metric for fn (nil:
// region-wide); ok is false for a period with no datapoint (missing, not
// zero).
func (r *Region) MetricDatapoint(metric Metric, fn *Function, period uint64) (dp Datapoint, ok bool, err error) {
	var (
		out     C.lsim_datapoint
		present C.uint32_t
		cf      C.lsim_function
	)
	err = r.call("MetricDatapoint", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_metric_datapoint(h, C.uint32_t(metric), fnPtr(fn, &cf), C.uint64_t(period), &out, &present)
	})
	if err != nil || present == 0 {
		return Datapoint{}, false, err
	}
	return Datapoint{uint64(out.sum), uint64(out.sample_count), uint64(out.minimum), uint64(out.maximum)}, true, nil
}

// MetricStatistic returns a statistic of metric for fn (nil: region-wide)
// over count periods from first, merged as one; ok is false when every one
// is missing.
func (r *Region) MetricStatistic(metric Metric, fn *Function, stat Statistic, first, count uint64) (value float64, ok bool, err error) {
	var (
		out     C.double
		present C.uint32_t
		cf      C.lsim_function
	)
	err = r.call("MetricStatistic", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_metric_statistic(h, C.uint32_t(metric), fnPtr(fn, &cf), C.uint32_t(stat.Kind),
			C.uint32_t(stat.PercentileHundredths), C.uint64_t(first), C.uint64_t(count), &out, &present)
	})
	if err != nil || present == 0 {
		return 0, false, err
	}
	return float64(out), true, nil
}

// MetricLatency returns a distribution's whole-run percentiles for fn
// (nil: region-wide); ok is false before any sample.
func (r *Region) MetricLatency(metric Metric, fn *Function) (lat MetricLatency, ok bool, err error) {
	var (
		out     C.lsim_metric_latency
		present C.uint32_t
		cf      C.lsim_function
	)
	err = r.call("MetricLatency", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_metric_latency(h, C.uint32_t(metric), fnPtr(fn, &cf), &out, &present)
	})
	if err != nil || present == 0 {
		return MetricLatency{}, false, err
	}
	return MetricLatency{uint64(out.sample_count), uint64(out.p50), uint64(out.p90), uint64(out.p99), uint64(out.maximum)}, true, nil
}

// MetricStatistics returns a statistic of metric for fn (nil: region-wide)
// for each of count periods from first, as GetMetricStatistics answers a
// time range: values[i] is period first+i's, present[i] false when it has
// no datapoint (missing).
func (r *Region) MetricStatistics(metric Metric, fn *Function, stat Statistic, first, count uint64) (values []float64, present []bool, err error) {
	if count > uint64(C.LSIM_METRIC_STATISTICS_MAX) {
		return nil, nil, &Error{Code: StatusInvalidArgument, Op: "MetricStatistics"}
	}
	if count == 0 {
		return []float64{}, []bool{}, nil
	}
	vals := make([]C.double, count)
	flags := make([]C.uint8_t, count)
	var cf C.lsim_function
	err = r.call("MetricStatistics", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_metric_statistics(h, C.uint32_t(metric), fnPtr(fn, &cf), C.uint32_t(stat.Kind),
			C.uint32_t(stat.PercentileHundredths), C.uint64_t(first), C.uint64_t(count), &vals[0], &flags[0], C.size_t(count))
	})
	if err != nil {
		return nil, nil, err
	}
	values = make([]float64, count)
	present = make([]bool, count)
	for i := range vals {
		values[i], present[i] = float64(vals[i]), flags[i] != 0
	}
	return values, present, nil
}
