package lambdasim_test

// The alarm-vector runner (every *.json file of tests/vectors/alarms, the
// format of tests/vectors/README.md, "Alarm vectors"), strict like the Rust
// runner (tests/src/alarms.rs), and the alarm API's error tests.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"lambdasim"
)

func TestAlarmVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectorDir, "alarms", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no alarm vectors in %s/alarms", vectorDir)
	}
	total := 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := runAlarmVector(text)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		total += n
	}
	if total < 90 {
		t.Fatalf("only %d alarm cases ran", total)
	}
	t.Logf("%d alarm cases", total)
}

// TestAlarmRunnerIsStrict: wrong vectors must fail.
func TestAlarmRunnerIsStrict(t *testing.T) {
	const gt = `"comparison": "GreaterThanThreshold", "threshold": 0, "evaluation_periods": 1, "datapoints_to_alarm": 1`
	one := func(alarm, values, expect string) string {
		return `{"name": "x", "cases": [{"name": "c", "alarm": {` + alarm + `}, "values": ` + values + `, "expect": ` + expect + `}]}`
	}
	cases := map[string]string{
		"wrong state":      one(gt, `[1]`, `{"state": "OK", "transitions": []}`),
		"missing change":   one(gt, `[1]`, `{"state": "ALARM", "transitions": []}`),
		"wrong time":       one(gt, `[1]`, `{"state": "ALARM", "transitions": [{"time_s": 120, "from": "INSUFFICIENT_DATA", "to": "ALARM"}]}`),
		"wrong error":      one(`"comparison": "GreaterThanThreshold", "threshold": 0, "evaluation_periods": 1, "datapoints_to_alarm": 2`, `[1]`, `{"error": "DatapointsToAlarmZero"}`),
		"error not raised": one(gt, `[1]`, `{"error": "InvalidPeriod"}`),
		"unknown key":      one(gt+`, "treshold": 1`, `[1]`, `{"state": "ALARM", "transitions": []}`),
		"non-integer":      one(gt, `[1.5]`, `{"state": "ALARM", "transitions": []}`),
	}
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := runAlarmVector([]byte(cases[n])); err == nil {
			t.Errorf("%s: the runner accepted %s", n, cases[n])
		}
	}
	ok := one(gt, `[1]`, `{"state": "ALARM", "transitions": [{"time_s": 60, "from": "INSUFFICIENT_DATA", "to": "ALARM"}]}`)
	if _, err := runAlarmVector([]byte(ok)); err != nil {
		t.Errorf("a correct vector failed: %v", err)
	}
}

func runAlarmVector(text []byte) (int, error) {
	v, err := parseJSON(text)
	if err != nil {
		return 0, err
	}
	top, err := asObj(v, "vector")
	if err != nil {
		return 0, err
	}
	if err := top.allow("name", "spec", "description", "cases"); err != nil {
		return 0, err
	}
	if _, err := top.reqStr("name"); err != nil {
		return 0, err
	}
	cases, ok := top.m["cases"].([]any)
	if !ok {
		return 0, errors.New("missing `cases` array")
	}
	for i, c := range cases {
		if err := runAlarmCase(c); err != nil {
			return 0, fmt.Errorf("case %d: %w", i, err)
		}
	}
	return len(cases), nil
}

func runAlarmCase(v any) error {
	c, err := asObj(v, "case")
	if err != nil {
		return err
	}
	if err := c.allow("name", "alarm", "values", "expect"); err != nil {
		return err
	}
	name, err := c.reqStr("name")
	if err != nil {
		return err
	}
	ctx := "case `" + name + "`"
	a, ok, err := c.obj("alarm")
	if err != nil || !ok {
		return fmt.Errorf("%s: missing `alarm` object (%v)", ctx, err)
	}
	e, ok, err := c.obj("expect")
	if err != nil || !ok {
		return fmt.Errorf("%s: missing `expect` object (%v)", ctx, err)
	}
	values, present, err := alarmValues(c.m["values"], ctx)
	if err != nil {
		return err
	}
	cfg, refused, err := alarmConfig(a)
	if err != nil {
		return fmt.Errorf("%s: %w", ctx, err)
	}
	if refused != "" {
		return checkAlarmError(e, refused, ctx)
	}
	res, err := lambdasim.EvaluateAlarm(cfg, 0, values, present)
	if err != nil {
		var le *lambdasim.Error
		if !errors.As(err, &le) || le.Detail == "" || le.Detail != cfg.Check().String() {
			return fmt.Errorf("%s: refused without a named problem: %v", ctx, err)
		}
		return checkAlarmError(e, le.Detail, ctx)
	}
	return checkAlarmRun(e, res, ctx)
}

func alarmValues(v any, ctx string) ([]float64, []bool, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, nil, fmt.Errorf("%s: `values` must be an array", ctx)
	}
	values := make([]float64, len(list))
	present := make([]bool, len(list))
	for i, x := range list {
		if x == nil {
			continue
		}
		n, ok := x.(json.Number)
		if !ok {
			return nil, nil, fmt.Errorf("%s: a value must be an integer or null, found %v", ctx, x)
		}
		k, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: a value must be an integer or null, found %v", ctx, n)
		}
		values[i], present[i] = float64(k), true
	}
	return values, present, nil
}

// alarmConfig is the case's definition, or the name of the problem of a
// refused name ("UnknownComparisonOperator", ...), or a malformed vector.
func alarmConfig(a jobj) (lambdasim.AlarmConfig, string, error) {
	cfg := lambdasim.DefaultAlarmConfig()
	if err := a.allow("metric", "statistic", "period_s", "threshold", "comparison", "evaluation_periods",
		"datapoints_to_alarm", "treat_missing_data", "initial_state"); err != nil {
		return cfg, "", err
	}
	text := func(key, def string, required bool) (string, error) {
		s, ok, err := a.optStr(key)
		if err == nil && !ok && required {
			err = fmt.Errorf("missing `%s`", key)
		}
		if !ok {
			s = def
		}
		return s, err
	}
	var refused string
	// Each parser's refusal carries the problem's name in Detail.
	parse := func(key, def string, required bool, set func(string) error) error {
		s, err := text(key, def, required)
		if err != nil || refused != "" {
			return err
		}
		if perr := set(s); perr != nil {
			var le *lambdasim.Error
			if !errors.As(perr, &le) {
				return perr
			}
			refused = le.Detail
		}
		return nil
	}
	steps := []error{
		parse("metric", "Throttles", false, func(s string) (err error) { cfg.Metric, err = lambdasim.ParseMetric(s); return }),
		parse("statistic", "Sum", false, func(s string) (err error) { cfg.Statistic, err = lambdasim.ParseStatistic(s); return }),
		parse("comparison", "", true, func(s string) (err error) {
			cfg.Comparison, err = lambdasim.ParseComparisonOperator(s)
			return
		}),
		parse("treat_missing_data", "missing", false, func(s string) (err error) {
			cfg.TreatMissingData, err = lambdasim.ParseTreatMissingData(s)
			return
		}),
		parse("initial_state", "INSUFFICIENT_DATA", false, func(s string) (err error) {
			cfg.InitialState, err = lambdasim.ParseAlarmState(s)
			return
		}),
	}
	for _, err := range steps {
		if err != nil {
			return cfg, "", err
		}
	}
	period, ok, err := a.optU32("period_s")
	if err != nil {
		return cfg, "", err
	}
	if ok {
		cfg.PeriodS = period
	}
	n, isNum := a.m["threshold"].(json.Number)
	k, perr := strconv.ParseInt(n.String(), 10, 64)
	if !isNum || perr != nil {
		return cfg, "", errors.New("`threshold` must be an integer")
	}
	cfg.Threshold = float64(k)
	if cfg.EvaluationPeriods, err = a.reqU32("evaluation_periods"); err != nil {
		return cfg, "", err
	}
	if cfg.DatapointsToAlarm, err = a.reqU32("datapoints_to_alarm"); err != nil {
		return cfg, "", err
	}
	return cfg, refused, nil
}

func checkAlarmError(e jobj, got, ctx string) error {
	if err := e.allow("error"); err != nil {
		return fmt.Errorf("%w (refused with %s)", err, got)
	}
	want, err := e.reqStr("error")
	if err != nil {
		return err
	}
	if want != got {
		return fmt.Errorf("%s: error: got %s, expected %s", ctx, got, want)
	}
	return nil
}

func checkAlarmRun(e jobj, res lambdasim.AlarmEvaluation, ctx string) error {
	if err := e.allow("state", "transitions"); err != nil {
		return err
	}
	state, err := e.reqStr("state")
	if err != nil {
		return err
	}
	if res.State.String() != state {
		return fmt.Errorf("%s: state: got %v, expected %s", ctx, res.State, state)
	}
	want, ok := e.m["transitions"].([]any)
	if !ok {
		return fmt.Errorf("%s: missing `transitions` array", ctx)
	}
	if len(want) != len(res.Transitions) {
		return fmt.Errorf("%s: transitions: got %d (%v), expected %d", ctx, len(res.Transitions), res.Transitions, len(want))
	}
	for i, w := range want {
		o, err := asObj(w, fmt.Sprintf("%s: transitions[%d]", ctx, i))
		if err != nil {
			return err
		}
		if err := o.allow("time_s", "from", "to"); err != nil {
			return err
		}
		ts, err := o.reqU64("time_s")
		if err != nil {
			return err
		}
		from, err := o.reqStr("from")
		if err != nil {
			return err
		}
		to, err := o.reqStr("to")
		if err != nil {
			return err
		}
		g := res.Transitions[i]
		if g.TimeUs != ts*1_000_000 || g.From.String() != from || g.To.String() != to {
			return fmt.Errorf("%s: got %d us %v -> %v, expected %d s %s -> %s", o.ctx, g.TimeUs, g.From, g.To, ts, from, to)
		}
	}
	return nil
}

// ---- the API's behaviour and errors ---------------------------------------------------------

func TestAlarmDefaultsAndNames(t *testing.T) {
	cfg := lambdasim.DefaultAlarmConfig()
	if cfg.Metric != lambdasim.MetricThrottles || cfg.Statistic != (lambdasim.Statistic{Kind: lambdasim.StatSum}) ||
		cfg.Comparison != lambdasim.GreaterThanThreshold || cfg.Threshold != 0 || cfg.PeriodS != 60 ||
		cfg.EvaluationPeriods != 1 || cfg.DatapointsToAlarm != 1 || cfg.TreatMissingData != lambdasim.TreatMissing ||
		cfg.InitialState != lambdasim.AlarmInsufficientData || cfg.HasFunction {
		t.Fatalf("defaults: %+v", cfg)
	}
	if cfg.Check() != lambdasim.AlarmProblemNone || cfg.Check().String() != "None" {
		t.Fatalf("default refused: %v", cfg.Check())
	}
	for m := lambdasim.Metric(0); m < lambdasim.MetricCount; m++ {
		back, err := lambdasim.ParseMetric(m.String())
		if err != nil || back != m {
			t.Errorf("metric %d: %v %v", m, back, err)
		}
	}
	if s := lambdasim.Metric(lambdasim.MetricCount).String(); s != "Metric(19)" {
		t.Errorf("unknown metric: %s", s)
	}
	for _, s := range []string{"SampleCount", "Sum", "Average", "Minimum", "Maximum", "p99", "p99.9", "p99.99", "p0", "p100"} {
		st, err := lambdasim.ParseStatistic(s)
		if err != nil || st.String() != s {
			t.Errorf("statistic %s: %v %v", s, st, err)
		}
	}
	if st, _ := lambdasim.ParseStatistic("p99.9"); st != lambdasim.Percentile(9990) {
		t.Errorf("p99.9: %+v", st)
	}
	for _, c := range []lambdasim.ComparisonOperator{lambdasim.GreaterThanThreshold, lambdasim.GreaterThanOrEqualToThreshold,
		lambdasim.LessThanThreshold, lambdasim.LessThanOrEqualToThreshold} {
		if back, err := lambdasim.ParseComparisonOperator(c.String()); err != nil || back != c {
			t.Errorf("comparison %v: %v", c, err)
		}
	}
	for _, tr := range []lambdasim.TreatMissingData{lambdasim.TreatMissing, lambdasim.TreatNotBreaching, lambdasim.TreatBreaching, lambdasim.TreatIgnore} {
		if back, err := lambdasim.ParseTreatMissingData(tr.String()); err != nil || back != tr {
			t.Errorf("treatment %v: %v", tr, err)
		}
	}
	if lambdasim.TreatNotBreaching.String() != "notBreaching" || lambdasim.AlarmInsufficientData.String() != "INSUFFICIENT_DATA" ||
		lambdasim.LessThanOrEqualToThreshold.String() != "LessThanOrEqualToThreshold" {
		t.Error("CloudWatch names")
	}
	if lambdasim.AlarmState(9).String() != "AlarmState(9)" || lambdasim.ComparisonOperator(9).String() != "ComparisonOperator(9)" {
		t.Error("unknown values")
	}
}

func TestEvaluateAlarm(t *testing.T) {
	cfg := lambdasim.DefaultAlarmConfig()
	// Throttles in minute 2; minute 3 missing (the datapoint still counts); zero in minute 4.
	res, err := lambdasim.EvaluateAlarm(cfg, 0, []float64{0, 2, 0, 0}, []bool{true, true, false, true})
	if err != nil {
		t.Fatal(err)
	}
	want := []lambdasim.AlarmTransition{
		{TimeUs: 60_000_000, From: lambdasim.AlarmInsufficientData, To: lambdasim.AlarmOK},
		{TimeUs: 120_000_000, From: lambdasim.AlarmOK, To: lambdasim.AlarmAlarm},
		{TimeUs: 240_000_000, From: lambdasim.AlarmAlarm, To: lambdasim.AlarmOK},
	}
	if res.State != lambdasim.AlarmOK || fmt.Sprint(res.Transitions) != fmt.Sprint(want) {
		t.Fatalf("got %+v", res)
	}
	// nil present: NaN alone is missing; the start shifts every time.
	res, err = lambdasim.EvaluateAlarm(cfg, 1_000, []float64{math.NaN(), 1}, nil)
	if err != nil || res.State != lambdasim.AlarmAlarm || len(res.Transitions) != 1 || res.Transitions[0].TimeUs != 120_001_000 {
		t.Fatalf("got %+v, %v", res, err)
	}
	// No periods: the initial state.
	cfg.InitialState = lambdasim.AlarmAlarm
	res, err = lambdasim.EvaluateAlarm(cfg, 0, nil, nil)
	if err != nil || res.State != lambdasim.AlarmAlarm || len(res.Transitions) != 0 {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestEvaluateAlarmErrors(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(*lambdasim.AlarmConfig)
		sentinel error
		problem  lambdasim.AlarmProblem
	}{
		{"unknown metric", func(c *lambdasim.AlarmConfig) { c.Metric = lambdasim.MetricCount }, lambdasim.ErrInvalidArgument, lambdasim.AlarmProblemUnknownMetric},
		{"unknown statistic", func(c *lambdasim.AlarmConfig) { c.Statistic.Kind = 6 }, lambdasim.ErrInvalidArgument, lambdasim.AlarmProblemUnknownStatistic},
		{"unknown comparison", func(c *lambdasim.AlarmConfig) { c.Comparison = 4 }, lambdasim.ErrInvalidArgument, lambdasim.AlarmProblemUnknownComparisonOperator},
		{"unknown treatment", func(c *lambdasim.AlarmConfig) { c.TreatMissingData = 4 }, lambdasim.ErrInvalidArgument, lambdasim.AlarmProblemUnknownTreatMissingData},
		{"unknown state", func(c *lambdasim.AlarmConfig) { c.InitialState = 3 }, lambdasim.ErrInvalidArgument, lambdasim.AlarmProblemUnknownState},
		{"45 s period", func(c *lambdasim.AlarmConfig) { c.PeriodS = 45 }, lambdasim.ErrInvalidSetting, lambdasim.AlarmProblemInvalidPeriod},
		{"M above N", func(c *lambdasim.AlarmConfig) { c.DatapointsToAlarm = 2 }, lambdasim.ErrInvalidSetting, lambdasim.AlarmProblemDatapointsToAlarmAboveEvaluationPeriods},
		{"N zero", func(c *lambdasim.AlarmConfig) { c.EvaluationPeriods = 0 }, lambdasim.ErrInvalidSetting, lambdasim.AlarmProblemEvaluationPeriodsZero},
		{"infinite threshold", func(c *lambdasim.AlarmConfig) { c.Threshold = math.Inf(1) }, lambdasim.ErrInvalidSetting, lambdasim.AlarmProblemThresholdNotFinite},
		{"p99 of a count", func(c *lambdasim.AlarmConfig) { c.Statistic = lambdasim.Percentile(9900) }, lambdasim.ErrInvalidSetting, lambdasim.AlarmProblemPercentileOfNonDistribution},
		{"p100.01", func(c *lambdasim.AlarmConfig) {
			c.Metric, c.Statistic = lambdasim.MetricDuration, lambdasim.Percentile(10001)
		}, lambdasim.ErrInvalidSetting, lambdasim.AlarmProblemPercentileOutOfRange},
		{"region-only metric per function", func(c *lambdasim.AlarmConfig) {
			c.Metric, c.HasFunction = lambdasim.MetricClaimedAccountConcurrency, true
		}, lambdasim.ErrInvalidSetting, lambdasim.AlarmProblemRegionOnlyMetric},
	}
	for _, tc := range cases {
		cfg := lambdasim.DefaultAlarmConfig()
		tc.edit(&cfg)
		if p := cfg.Check(); p != tc.problem {
			t.Errorf("%s: Check = %v, want %v", tc.name, p, tc.problem)
		}
		_, err := lambdasim.EvaluateAlarm(cfg, 0, []float64{1}, nil)
		var le *lambdasim.Error
		if !errors.Is(err, tc.sentinel) || !errors.As(err, &le) || le.Op != "EvaluateAlarm" || le.Detail != tc.problem.String() {
			t.Errorf("%s: got %v", tc.name, err)
		}
	}
	_, err := lambdasim.EvaluateAlarm(lambdasim.DefaultAlarmConfig(), 0, []float64{1, 2}, []bool{true})
	if !errors.Is(err, lambdasim.ErrInvalidArgument) {
		t.Errorf("present of another length: %v", err)
	}
	for _, tc := range []struct {
		parse    func() error
		sentinel error
		detail   string
	}{
		{func() error { _, err := lambdasim.ParseMetric("throttles"); return err }, lambdasim.ErrInvalidArgument, "UnknownMetric"},
		{func() error { _, err := lambdasim.ParseStatistic("Max"); return err }, lambdasim.ErrInvalidArgument, "UnknownStatistic"},
		{func() error { _, err := lambdasim.ParseStatistic("p99.999"); return err }, lambdasim.ErrInvalidSetting, "PercentileOutOfRange"},
		{func() error { _, err := lambdasim.ParseComparisonOperator("GreaterThan"); return err }, lambdasim.ErrInvalidArgument, "UnknownComparisonOperator"},
		{func() error { _, err := lambdasim.ParseTreatMissingData("NotBreaching"); return err }, lambdasim.ErrInvalidArgument, "UnknownTreatMissingData"},
		{func() error { _, err := lambdasim.ParseAlarmState("Ok"); return err }, lambdasim.ErrInvalidArgument, "UnknownState"},
		{func() error { _, err := lambdasim.ParseMetric("Throttles\x00x"); return err }, lambdasim.ErrInvalidArgument, "UnknownMetric"},
	} {
		err := tc.parse()
		var le *lambdasim.Error
		if !errors.Is(err, tc.sentinel) || !errors.As(err, &le) || le.Detail != tc.detail {
			t.Errorf("%s: got %v", tc.detail, err)
		}
	}
}
