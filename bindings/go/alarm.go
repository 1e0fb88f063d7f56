package lambdasim

/*
#include <stdlib.h>
#include "lambdasim.h"
*/
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// ---- metrics and statistics ----------------------------------------------------------

// Metric is a metric, named as CloudWatch names it (AWS/Lambda), plus
// lambdasim's own [MetricInitDuration] and [MetricResponseTime].
type Metric uint32

// Metrics (lsim_metric_str names them).
const (
	MetricInvocations                                Metric = C.LSIM_METRIC_INVOCATIONS
	MetricErrors                                     Metric = C.LSIM_METRIC_ERRORS
	MetricThrottles                                  Metric = C.LSIM_METRIC_THROTTLES
	MetricDuration                                   Metric = C.LSIM_METRIC_DURATION
	MetricConcurrentExecutions                       Metric = C.LSIM_METRIC_CONCURRENT_EXECUTIONS
	MetricUnreservedConcurrentExecutions             Metric = C.LSIM_METRIC_UNRESERVED_CONCURRENT_EXECUTIONS
	MetricClaimedAccountConcurrency                  Metric = C.LSIM_METRIC_CLAIMED_ACCOUNT_CONCURRENCY
	MetricProvisionedConcurrentExecutions            Metric = C.LSIM_METRIC_PROVISIONED_CONCURRENT_EXECUTIONS
	MetricProvisionedConcurrencyInvocations          Metric = C.LSIM_METRIC_PROVISIONED_CONCURRENCY_INVOCATIONS
	MetricProvisionedConcurrencySpilloverInvocations Metric = C.LSIM_METRIC_PROVISIONED_CONCURRENCY_SPILLOVER_INVOCATIONS
	MetricProvisionedConcurrencyUtilization          Metric = C.LSIM_METRIC_PROVISIONED_CONCURRENCY_UTILIZATION
	MetricDeadLetterErrors                           Metric = C.LSIM_METRIC_DEAD_LETTER_ERRORS
	MetricDestinationDeliveryFailures                Metric = C.LSIM_METRIC_DESTINATION_DELIVERY_FAILURES
	MetricAsyncEventsReceived                        Metric = C.LSIM_METRIC_ASYNC_EVENTS_RECEIVED
	MetricAsyncEventAge                              Metric = C.LSIM_METRIC_ASYNC_EVENT_AGE
	MetricAsyncEventsDropped                         Metric = C.LSIM_METRIC_ASYNC_EVENTS_DROPPED
	MetricIteratorAge                                Metric = C.LSIM_METRIC_ITERATOR_AGE
	// MetricInitDuration is lambdasim's own, not an AWS/Lambda metric: the
	// init time of a cold start.
	MetricInitDuration Metric = C.LSIM_METRIC_INIT_DURATION
	// MetricResponseTime is lambdasim's own, not an AWS/Lambda metric: the
	// cold-start wait plus the handler time a caller sees.
	MetricResponseTime Metric = C.LSIM_METRIC_RESPONSE_TIME
	// MetricCount is the number of metrics: 0..MetricCount-1 are valid.
	MetricCount = C.LSIM_METRIC_COUNT
)

// String returns the metric's name ("Throttles", ...; lsim_metric_str);
// "Metric(N)" for an unknown value.
func (m Metric) String() string {
	return name(C.lsim_metric_str(C.uint32_t(m)), "Metric", uint32(m))
}

// cName calls a lsim_*_from_name entry point with a Go string. A string
// holding a NUL byte names nothing (C would read only up to it).
func cName(s string, parse func(*C.char) C.lsim_status) C.lsim_status {
	if strings.IndexByte(s, 0) >= 0 {
		return C.LSIM_STATUS_INVALID_ARGUMENT
	}
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return parse(cs)
}

// nameError is the error of a refused name: the status and, in Detail,
// the alarm-error name the alarm vectors use ("UnknownMetric", ...).
func nameError(op string, st C.lsim_status, detail string) error {
	return &Error{Code: Status(st), Op: op, Detail: detail}
}

// ParseMetric returns the metric of a name (exact, case-sensitive).
//
// Errors: [ErrInvalidArgument] with Detail "UnknownMetric".
func ParseMetric(s string) (Metric, error) {
	var out C.uint32_t
	st := cName(s, func(cs *C.char) C.lsim_status { return C.lsim_metric_from_name(cs, &out) })
	if Status(st) != StatusOK {
		return 0, nameError("ParseMetric", st, "UnknownMetric")
	}
	return Metric(out), nil
}

// StatisticKind is a CloudWatch statistic without its percentile.
type StatisticKind uint32

// Statistic kinds.
const (
	StatSampleCount StatisticKind = C.LSIM_STATISTIC_SAMPLE_COUNT
	StatSum         StatisticKind = C.LSIM_STATISTIC_SUM
	StatAverage     StatisticKind = C.LSIM_STATISTIC_AVERAGE
	StatMinimum     StatisticKind = C.LSIM_STATISTIC_MINIMUM
	StatMaximum     StatisticKind = C.LSIM_STATISTIC_MAXIMUM
	// StatPercentile is the nearest-rank percentile
	// [Statistic].PercentileHundredths / 100, of a distribution metric.
	StatPercentile StatisticKind = C.LSIM_STATISTIC_PERCENTILE
)

// Statistic is a CloudWatch statistic: a kind, and for [StatPercentile] the
// percentile in hundredths (9990 is p99.9, at most 10000).
type Statistic struct {
	Kind                 StatisticKind
	PercentileHundredths uint32
}

// Percentile returns the statistic pNN with hundredths/100 (9900 is p99).
func Percentile(hundredths uint32) Statistic {
	return Statistic{Kind: StatPercentile, PercentileHundredths: hundredths}
}

// ParseStatistic parses CloudWatch's names: "SampleCount", "Sum",
// "Average", "Minimum", "Maximum", or "pNN" with up to two decimals
// ("p99", "p99.9").
//
// Errors: [ErrInvalidArgument] with Detail "UnknownStatistic" for text of
// another form; [ErrInvalidSetting] with Detail "PercentileOutOfRange" above
// p100 or with more than two decimals.
func ParseStatistic(s string) (Statistic, error) {
	var kind, hundredths C.uint32_t
	st := cName(s, func(cs *C.char) C.lsim_status { return C.lsim_statistic_from_name(cs, &kind, &hundredths) })
	switch Status(st) {
	case StatusOK:
		return Statistic{Kind: StatisticKind(kind), PercentileHundredths: uint32(hundredths)}, nil
	case StatusInvalidSetting:
		return Statistic{}, nameError("ParseStatistic", st, "PercentileOutOfRange")
	}
	return Statistic{}, nameError("ParseStatistic", st, "UnknownStatistic")
}

// String returns CloudWatch's name ("Sum", "p99.9", ...); "Statistic(N)"
// for an unknown kind.
func (s Statistic) String() string {
	switch s.Kind {
	case StatSampleCount:
		return "SampleCount"
	case StatSum:
		return "Sum"
	case StatAverage:
		return "Average"
	case StatMinimum:
		return "Minimum"
	case StatMaximum:
		return "Maximum"
	case StatPercentile:
		whole, frac := s.PercentileHundredths/100, s.PercentileHundredths%100
		switch {
		case frac == 0:
			return fmt.Sprintf("p%d", whole)
		case frac%10 == 0:
			return fmt.Sprintf("p%d.%d", whole, frac/10)
		}
		return fmt.Sprintf("p%d.%02d", whole, frac)
	}
	return fmt.Sprintf("Statistic(%d)", uint32(s.Kind))
}

// ---- alarm enumerations -----------------------------------------------------------------

// ComparisonOperator is how a period's statistic is compared with the threshold.
type ComparisonOperator uint32

// Comparison operators.
const (
	// GreaterThanThreshold: value > threshold breaches. The default.
	GreaterThanThreshold ComparisonOperator = C.LSIM_COMPARISON_GREATER_THAN_THRESHOLD
	// GreaterThanOrEqualToThreshold: value >= threshold breaches.
	GreaterThanOrEqualToThreshold ComparisonOperator = C.LSIM_COMPARISON_GREATER_THAN_OR_EQUAL_TO_THRESHOLD
	// LessThanThreshold: value < threshold breaches.
	LessThanThreshold ComparisonOperator = C.LSIM_COMPARISON_LESS_THAN_THRESHOLD
	// LessThanOrEqualToThreshold: value <= threshold breaches.
	LessThanOrEqualToThreshold ComparisonOperator = C.LSIM_COMPARISON_LESS_THAN_OR_EQUAL_TO_THRESHOLD
)

// String returns CloudWatch's name (lsim_comparison_str); "ComparisonOperator(N)" if unknown.
func (c ComparisonOperator) String() string {
	return name(C.lsim_comparison_str(C.uint32_t(c)), "ComparisonOperator", uint32(c))
}

// ParseComparisonOperator returns the operator of a CloudWatch name.
//
// Errors: [ErrInvalidArgument] with Detail "UnknownComparisonOperator".
func ParseComparisonOperator(s string) (ComparisonOperator, error) {
	var out C.uint32_t
	st := cName(s, func(cs *C.char) C.lsim_status { return C.lsim_comparison_from_name(cs, &out) })
	if Status(st) != StatusOK {
		return 0, nameError("ParseComparisonOperator", st, "UnknownComparisonOperator")
	}
	return ComparisonOperator(out), nil
}

// TreatMissingData is how an alarm treats periods without a datapoint.
type TreatMissingData uint32

// Missing-data treatments.
const (
	// TreatMissing ("missing"): unknown; all missing gives INSUFFICIENT_DATA. The default.
	TreatMissing TreatMissingData = C.LSIM_TREAT_MISSING_MISSING
	// TreatNotBreaching ("notBreaching"): within the threshold.
	TreatNotBreaching TreatMissingData = C.LSIM_TREAT_MISSING_NOT_BREACHING
	// TreatBreaching ("breaching"): breaching.
	TreatBreaching TreatMissingData = C.LSIM_TREAT_MISSING_BREACHING
	// TreatIgnore ("ignore"): unknown; all missing keeps the state.
	TreatIgnore TreatMissingData = C.LSIM_TREAT_MISSING_IGNORE
)

// String returns CloudWatch's name (lsim_treat_missing_str); "TreatMissingData(N)" if unknown.
func (t TreatMissingData) String() string {
	return name(C.lsim_treat_missing_str(C.uint32_t(t)), "TreatMissingData", uint32(t))
}

// ParseTreatMissingData returns the treatment of a CloudWatch name.
//
// Errors: [ErrInvalidArgument] with Detail "UnknownTreatMissingData".
func ParseTreatMissingData(s string) (TreatMissingData, error) {
	var out C.uint32_t
	st := cName(s, func(cs *C.char) C.lsim_status { return C.lsim_treat_missing_from_name(cs, &out) })
	if Status(st) != StatusOK {
		return 0, nameError("ParseTreatMissingData", st, "UnknownTreatMissingData")
	}
	return TreatMissingData(out), nil
}

// AlarmState is an alarm's state.
type AlarmState uint32

// Alarm states.
const (
	AlarmOK    AlarmState = C.LSIM_ALARM_STATE_OK
	AlarmAlarm AlarmState = C.LSIM_ALARM_STATE_ALARM
	// AlarmInsufficientData: just created, or no data to decide.
	AlarmInsufficientData AlarmState = C.LSIM_ALARM_STATE_INSUFFICIENT_DATA
)

// String returns "OK", "ALARM" or "INSUFFICIENT_DATA"; "AlarmState(N)" if unknown.
func (s AlarmState) String() string {
	return name(C.lsim_alarm_state_str(C.uint32_t(s)), "AlarmState", uint32(s))
}

// ParseAlarmState returns the state of a CloudWatch name.
//
// Errors: [ErrInvalidArgument] with Detail "UnknownState".
func ParseAlarmState(s string) (AlarmState, error) {
	var out C.uint32_t
	st := cName(s, func(cs *C.char) C.lsim_status { return C.lsim_alarm_state_from_name(cs, &out) })
	if Status(st) != StatusOK {
		return 0, nameError("ParseAlarmState", st, "UnknownState")
	}
	return AlarmState(out), nil
}

// AlarmProblem says why an alarm definition is refused (lsim_alarm_config_check).
type AlarmProblem uint32

// Alarm problems; [AlarmConfig.Check] returns the first one found.
const (
	AlarmProblemNone                                    AlarmProblem = C.LSIM_ALARM_ERROR_NONE
	AlarmProblemEvaluationPeriodsZero                   AlarmProblem = C.LSIM_ALARM_ERROR_EVALUATION_PERIODS_ZERO
	AlarmProblemEvaluationPeriodsTooMany                AlarmProblem = C.LSIM_ALARM_ERROR_EVALUATION_PERIODS_TOO_MANY
	AlarmProblemDatapointsToAlarmZero                   AlarmProblem = C.LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ZERO
	AlarmProblemDatapointsToAlarmAboveEvaluationPeriods AlarmProblem = C.LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ABOVE_EVALUATION_PERIODS
	AlarmProblemInvalidPeriod                           AlarmProblem = C.LSIM_ALARM_ERROR_INVALID_PERIOD
	AlarmProblemThresholdNotFinite                      AlarmProblem = C.LSIM_ALARM_ERROR_THRESHOLD_NOT_FINITE
	AlarmProblemPercentileOfNonDistribution             AlarmProblem = C.LSIM_ALARM_ERROR_PERCENTILE_OF_NON_DISTRIBUTION
	AlarmProblemUnknownComparisonOperator               AlarmProblem = C.LSIM_ALARM_ERROR_UNKNOWN_COMPARISON_OPERATOR
	AlarmProblemUnknownTreatMissingData                 AlarmProblem = C.LSIM_ALARM_ERROR_UNKNOWN_TREAT_MISSING_DATA
	AlarmProblemUnknownState                            AlarmProblem = C.LSIM_ALARM_ERROR_UNKNOWN_STATE
	AlarmProblemUnknownMetric                           AlarmProblem = C.LSIM_ALARM_ERROR_UNKNOWN_METRIC
	AlarmProblemUnknownStatistic                        AlarmProblem = C.LSIM_ALARM_ERROR_UNKNOWN_STATISTIC
	AlarmProblemPercentileOutOfRange                    AlarmProblem = C.LSIM_ALARM_ERROR_PERCENTILE_OUT_OF_RANGE
	AlarmProblemRegionOnlyMetric                        AlarmProblem = C.LSIM_ALARM_ERROR_REGION_ONLY_METRIC
)

// String returns the name the core and the alarm vectors use
// ("DatapointsToAlarmAboveEvaluationPeriods", "None", ...; lsim_alarm_error_str);
// "AlarmProblem(N)" if unknown.
func (p AlarmProblem) String() string {
	return name(C.lsim_alarm_error_str(C.uint32_t(p)), "AlarmProblem", uint32(p))
}

// ---- alarms ---------------------------------------------------------------------------------

// AlarmConfig is an alarm's definition, with CloudWatch's fields. Start
// from [DefaultAlarmConfig].
type AlarmConfig struct {
	// Metric is the metric watched.
	Metric Metric
	// HasFunction selects the FunctionName dimension (function
	// FunctionIndex); false: region-wide.
	HasFunction bool
	// FunctionIndex is the function's index in the metric store.
	FunctionIndex uint32
	// Statistic is each period's statistic.
	Statistic Statistic
	// PeriodS is the period in seconds: 10, 30 or a positive multiple of 60.
	PeriodS uint32
	// Comparison compares the statistic with Threshold.
	Comparison ComparisonOperator
	// Threshold is finite, in the metric's stored unit (us for durations,
	// parts per million for utilization).
	Threshold float64
	// EvaluationPeriods (N) is how many of the latest periods are evaluated, 1..=1440.
	EvaluationPeriods uint32
	// DatapointsToAlarm (M) is how many of those N must breach, 1..=N.
	DatapointsToAlarm uint32
	// TreatMissingData is how periods without a datapoint count.
	TreatMissingData TreatMissingData
	// InitialState is the state before the first evaluation (as
	// SetAlarmState would set it); a new alarm's is AlarmInsufficientData.
	InitialState AlarmState
}

// DefaultAlarmConfig returns the defaults of lsim_alarm_config_default: the
// notes' alarm, Throttles Sum > 0 over one 60 s period, region-wide,
// missing data "missing", starting in INSUFFICIENT_DATA.
func DefaultAlarmConfig() AlarmConfig {
	var c C.lsim_alarm_config
	C.lsim_alarm_config_default(&c)
	return AlarmConfig{
		Metric:            Metric(c.metric),
		HasFunction:       c.has_function != 0,
		FunctionIndex:     uint32(c.function_index),
		Statistic:         Statistic{Kind: StatisticKind(c.statistic), PercentileHundredths: uint32(c.percentile_hundredths)},
		PeriodS:           uint32(c.period_s),
		Comparison:        ComparisonOperator(c.comparison),
		Threshold:         float64(c.threshold),
		EvaluationPeriods: uint32(c.evaluation_periods),
		DatapointsToAlarm: uint32(c.datapoints_to_alarm),
		TreatMissingData:  TreatMissingData(c.treat_missing_data),
		InitialState:      AlarmState(c.initial_state),
	}
}

func (a *AlarmConfig) toC() C.lsim_alarm_config {
	return C.lsim_alarm_config{
		struct_size:           C.uint32_t(C.sizeof_lsim_alarm_config),
		metric:                C.uint32_t(a.Metric),
		has_function:          flag(a.HasFunction),
		function_index:        C.uint32_t(a.FunctionIndex),
		statistic:             C.uint32_t(a.Statistic.Kind),
		percentile_hundredths: C.uint32_t(a.Statistic.PercentileHundredths),
		period_s:              C.uint32_t(a.PeriodS),
		comparison:            C.uint32_t(a.Comparison),
		threshold:             C.double(a.Threshold),
		evaluation_periods:    C.uint32_t(a.EvaluationPeriods),
		datapoints_to_alarm:   C.uint32_t(a.DatapointsToAlarm),
		treat_missing_data:    C.uint32_t(a.TreatMissingData),
		initial_state:         C.uint32_t(a.InitialState),
	}
}

// Check returns why [EvaluateAlarm] would refuse the definition: the
// first bad field's problem, or AlarmProblemNone.
func (a AlarmConfig) Check() AlarmProblem {
	c := a.toC()
	var out C.uint32_t
	if Status(C.lsim_alarm_config_check(&c, &out)) != StatusOK {
		return AlarmProblem(C.LSIM_ALARM_ERROR_NONE) // unreachable: toC sets struct_size and a 0/1 flag
	}
	return AlarmProblem(out)
}

// AlarmTransition is a state change of an alarm.
type AlarmTransition struct {
	// TimeUs is the end of the period whose evaluation changed the state.
	TimeUs uint64
	From   AlarmState
	To     AlarmState
}

// AlarmEvaluation is the outcome of [EvaluateAlarm].
type AlarmEvaluation struct {
	// State is the state after the last period.
	State AlarmState
	// Transitions are every state change, in order (at most one per period).
	Transitions []AlarmTransition
}

// EvaluateAlarm evaluates an alarm over consecutive periods as CloudWatch
// does at the end of each (M of the latest N datapoints, looking at N + 2
// periods, missing data treated per TreatMissingData), from
// cfg.InitialState. Period i runs from startUs + i*period to
// startUs + (i+1)*period and is evaluated at its end; its value is
// values[i], missing when present is non-nil and present[i] is false, or
// when values[i] is NaN. A missing period is not a zero. Nothing is kept
// between calls (lsim_alarm_evaluate).
//
// Errors: [ErrInvalidArgument] (an unknown code, or present of another
// length than values), [ErrInvalidSetting] (a value CloudWatch refuses);
// Detail names the problem ([AlarmConfig.Check]).
func EvaluateAlarm(cfg AlarmConfig, startUs uint64, values []float64, present []bool) (AlarmEvaluation, error) {
	if present != nil && len(present) != len(values) {
		return AlarmEvaluation{}, &Error{Code: StatusInvalidArgument, Op: "EvaluateAlarm", Detail: "present: length differs from values"}
	}
	c := cfg.toC()
	var vp *C.double
	var pp *C.uint8_t
	if len(values) > 0 {
		vp = (*C.double)(unsafe.Pointer(&values[0]))
	}
	if present != nil && len(present) > 0 {
		bytes := make([]C.uint8_t, len(present))
		for i, p := range present {
			if p {
				bytes[i] = 1
			}
		}
		pp = &bytes[0]
	}
	// One transition per period at most: len(values) always suffices.
	out := make([]C.lsim_alarm_transition, len(values)+1)
	var n C.size_t
	var state C.uint32_t
	st := C.lsim_alarm_evaluate(&c, C.uint64_t(startUs), vp, pp, C.size_t(len(values)), &out[0], C.size_t(len(out)), &n, &state)
	if Status(st) != StatusOK {
		err := &Error{Code: Status(st), Op: "EvaluateAlarm"}
		if p := cfg.Check(); p != AlarmProblemNone {
			err.Detail = p.String()
		}
		return AlarmEvaluation{}, err
	}
	res := AlarmEvaluation{State: AlarmState(state), Transitions: make([]AlarmTransition, int(n))}
	for i := range res.Transitions {
		res.Transitions[i] = AlarmTransition{
			TimeUs: uint64(out[i].time_us),
			From:   AlarmState(out[i].from),
			To:     AlarmState(out[i].to),
		}
	}
	return res, nil
}
