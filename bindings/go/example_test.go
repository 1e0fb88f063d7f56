package lambdasim_test

import (
	"errors"
	"fmt"

	"lambdasim"
)

// Little's law, as in the Lambda docs: 100 requests per second, each
// taking 0.5 s, need about 100 × 0.5 = 50 concurrent execution
// environments. Ten seconds of traffic, one request every 10 ms, each
// handler running 500 ms after it starts (after its cold start, if any).
// Times are microseconds of simulated time.
func Example() {
	region, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		panic(err)
	}
	defer region.Close()
	fn, err := region.CreateFunction(0, lambdasim.DefaultFunctionConfig()) // 128 MB, 3 s, 380 ms cold start
	if err != nil {
		panic(err)
	}

	const (
		intervalUs = 10_000     // 100 requests per second
		handlerUs  = 500_000    // each handler runs 0.5 s
		horizonUs  = 10_000_000 // 10 s of arrivals
		steadyUs   = 3_000_000  // measure after the cold starts settle
	)
	type pending struct {
		inv      lambdasim.Invocation
		finishAt uint64
	}
	var open []pending
	var throttled, peak, sum, samples uint64
	for arrival := uint64(0); arrival < horizonUs || len(open) > 0; {
		// The next thing to happen: the earliest finish or the next arrival.
		first := -1
		for i := range open {
			if first < 0 || open[i].finishAt < open[first].finishAt {
				first = i
			}
		}
		if first >= 0 && (arrival >= horizonUs || open[first].finishAt <= arrival) {
			if _, err := region.Finish(open[first].finishAt, open[first].inv, lambdasim.OutcomeSuccess); err != nil {
				panic(err)
			}
			open = append(open[:first], open[first+1:]...)
			continue
		}
		inv, err := region.Invoke(arrival, fn)
		switch {
		case errors.Is(err, lambdasim.ErrThrottled):
			throttled++
		case err != nil:
			panic(err)
		default:
			open = append(open, pending{inv, inv.ReadyAtUs + handlerUs})
		}
		counts, err := region.RegionCounts()
		if err != nil {
			panic(err)
		}
		peak = max(peak, counts.Busy)
		if arrival >= steadyUs {
			sum += counts.Busy
			samples++
		}
		arrival += intervalUs
	}

	stats, err := region.RegionStats()
	if err != nil {
		panic(err)
	}
	fmt.Printf("requests %d, throttled %d\n", stats.Requests, throttled)
	fmt.Printf("cold starts %d, warm starts %d\n", stats.FullColdStarts+stats.PartialColdStarts, stats.WarmStarts)
	fmt.Printf("peak concurrency %d (while the first environments cold-start)\n", peak)
	fmt.Printf("steady-state concurrency %.1f (100/s × 0.5 s = 50)\n", float64(sum)/float64(samples))
	// Output:
	// requests 1000, throttled 0
	// cold starts 88, warm starts 912
	// peak concurrency 88 (while the first environments cold-start)
	// steady-state concurrency 50.0 (100/s × 0.5 s = 50)
}

// The same traffic as [Example], with InvokeFor: each request's handler
// duration is known when it arrives, so the region ends every invocation by
// itself and the driver keeps no completion queue. Ends are applied by the
// next call at or after them (here the next invoke, then Advance).
func ExampleRegion_InvokeFor() {
	region, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		panic(err)
	}
	defer region.Close()
	fn, err := region.CreateFunction(0, lambdasim.DefaultFunctionConfig())
	if err != nil {
		panic(err)
	}

	handler := lambdasim.Handler{DurationUs: 500_000, Outcome: lambdasim.OutcomeSuccess}
	var peak, sum, samples uint64
	for arrival := uint64(0); arrival < 10_000_000; arrival += 10_000 {
		if _, err := region.InvokeFor(arrival, fn, handler); err != nil {
			panic(err) // a throttle too: errors.Is(err, lambdasim.ErrThrottled)
		}
		counts, err := region.RegionCounts()
		if err != nil {
			panic(err)
		}
		peak = max(peak, counts.Busy)
		if arrival >= 3_000_000 {
			sum += counts.Busy
			samples++
		}
	}
	if err := region.Advance(11_000_000); err != nil { // past the last end
		panic(err)
	}

	stats, err := region.RegionStats()
	if err != nil {
		panic(err)
	}
	fmt.Printf("requests %d, succeeded %d\n", stats.Requests, stats.Succeeded)
	fmt.Printf("cold starts %d, warm starts %d\n", stats.FullColdStarts+stats.PartialColdStarts, stats.WarmStarts)
	fmt.Printf("peak concurrency %d, steady-state concurrency %.1f\n", peak, float64(sum)/float64(samples))
	// Output:
	// requests 1000, succeeded 1000
	// cold starts 88, warm starts 912
	// peak concurrency 88, steady-state concurrency 50.0
}

// A throttle is an error: errors.Is matches ErrThrottled, and errors.As
// gives the *ThrottleError with AWS's reason.
func ExampleThrottleError() {
	region, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		panic(err)
	}
	defer region.Close()
	cfg := lambdasim.DefaultFunctionConfig()
	cfg.Reserved = lambdasim.Uint32(1) // reserved concurrency 1
	fn, err := region.CreateFunction(0, cfg)
	if err != nil {
		panic(err)
	}

	first, err := region.Invoke(0, fn)
	fmt.Println(first.Start, first.ReadyAtUs, err)

	_, err = region.Invoke(0, fn) // a second concurrent request
	var te *lambdasim.ThrottleError
	if errors.As(err, &te) {
		fmt.Println(errors.Is(err, lambdasim.ErrThrottled), te.Reason)
	}

	// Finishing before the cold start completed is an *Error matching ErrNotReady.
	_, err = region.Finish(100_000, first, lambdasim.OutcomeSuccess)
	fmt.Println(errors.Is(err, lambdasim.ErrNotReady), err)
	// Output:
	// FullCold 380000 <nil>
	// true ReservedFunctionConcurrentInvocationLimitExceeded
	// true lambdasim: Finish: NotReady (LSIM_STATUS_NOT_READY)
}

// What will it cost? AWS's provisioned-concurrency example (docs/model.md §5): PC =
// 100 at 1536 MB for 8 hours, 500 000 requests of 100 ms on it and 2.5 M of
// 120 ms on-demand, with the free tier.
func ExampleBillUsage() {
	onPC := lambdasim.DefaultInvocationUsage()
	onPC.MemoryMB, onPC.Class, onPC.Requests, onPC.DurationUs = 1536, lambdasim.UsageProvisioned, 500_000, 100_000
	onDemand := lambdasim.DefaultInvocationUsage()
	onDemand.MemoryMB, onDemand.Requests, onDemand.DurationUs = 1536, 2_500_000, 120_000
	pc := lambdasim.DefaultProvisionedUsage()
	pc.MemoryMB, pc.Provisioned, pc.EnabledUs = 1536, 100, 8*3_600_000_000

	bill, err := lambdasim.BillUsage([]lambdasim.InvocationUsage{onPC, onDemand}, []lambdasim.ProvisionedUsage{pc},
		lambdasim.PricesUSEast1, true)
	if err != nil {
		panic(err)
	}
	for _, l := range bill.Lines {
		fmt.Printf("%-23s $%s\n", l.Kind, l.Amount.Dollars())
	}
	fmt.Printf("total $%d.%02d (exact %s)\n", bill.TotalCents/100, bill.TotalCents%100, bill.Exact)
	// Output:
	// Requests                $0.40
	// Duration                $0.83
	// Provisioned Concurrency $18.00
	// Provisioned Duration    $0.73
	// total $19.96 (exact 19.9626440000)
}

// Which memory size? A handler doing 30 ms of I/O and 400 ms of CPU on two
// threads, tuned over every size from 128 to 10 240 MB.
func ExampleTuneProfile() {
	profile := lambdasim.DurationProfile{IOUs: 30_000, CPUUs: 400_000, Threads: 2}
	opts := lambdasim.DefaultTuneOptions()
	opts.MemoryList = lambdasim.MemoryListAll
	opts.Strategy = lambdasim.StrategySpeed
	tuned, err := lambdasim.TuneProfile(profile, opts)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d sizes; fastest at %d MB: %d ms, $%s each; timeout %d s\n", len(tuned.Candidates),
		tuned.Pick.MemoryMB, tuned.Pick.DurationUs/1000, tuned.Pick.Cost, tuned.Timeout.RecommendedMs/1000)
	// Output:
	// 10113 sizes; fastest at 3538 MB: 230 ms, $0.000013444492634765625 each; timeout 1 s
}

// A whole scenario (the TOML of `lambdasim run`): 100 requests/s of 0.5 s
// each keep about 50 environments busy; the JSON report is what
// `lambdasim run FILE --json` prints.
func ExampleRunScenario() {
	const scenario = `
seed = 1
horizon_s = 180
warmup_s = 60

[[functions]]
name = "api"
workload = { type = "constant", rate_per_s = 100 }
handler = { type = "fixed", ms = 500 }
`
	r, err := lambdasim.RunScenario(scenario, lambdasim.RunOptions{})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	total, err := r.Total()
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d requests, avg busy %.1f, peak %d, %d cold starts, $%d.%02d\n",
		total.Requests, total.AvgBusy, total.PeakConcurrency, total.ColdStarts, total.TotalCents/100, total.TotalCents%100)
	minutes, _ := r.Minutes()
	fmt.Println(len(minutes), "minutes; the first:", minutes[0].BusyMax, "busy at most,", minutes[0].ColdStarts, "cold starts")

	err = lambdasim.CheckScenario("[[functions]]\nname = \"f\"\nworkload = { type = \"poison\" }\n")
	var e *lambdasim.Error
	if errors.As(err, &e) && errors.Is(err, lambdasim.ErrInvalidScenario) {
		fmt.Println(e.Detail)
	}
	// Output:
	// 12001 requests, avg busy 50.0, peak 50, 0 cold starts, $0.02
	// 3 minutes; the first: 88 busy at most, 88 cold starts
	// (scenario):3:21: functions[0].workload.type: unknown variant `poison`, expected one of `idle`, `poisson`, `constant`, `on_off`, `ramp`, `azure`, `invocations_csv`, `diurnal`, `schedule`, `sum`
}

// The notes' alarm, "Throttles Sum > 0 over 1 period", over four minutes:
// throttles in minute 2, no datapoint in minute 3 (missing is not zero: the
// alarm still sees minute 2 in its range), none in minute 4.
func ExampleEvaluateAlarm() {
	cfg := lambdasim.DefaultAlarmConfig()
	res, err := lambdasim.EvaluateAlarm(cfg, 0, []float64{0, 3, 0, 0}, []bool{true, true, false, true})
	if err != nil {
		panic(err)
	}
	for _, t := range res.Transitions {
		fmt.Printf("%3d s %s -> %s\n", t.TimeUs/1_000_000, t.From, t.To)
	}
	fmt.Println("now", res.State)

	cfg.EvaluationPeriods, cfg.DatapointsToAlarm = 3, 4
	_, err = lambdasim.EvaluateAlarm(cfg, 0, nil, nil)
	fmt.Println(errors.Is(err, lambdasim.ErrInvalidSetting), cfg.Check())
	// Output:
	//  60 s INSUFFICIENT_DATA -> OK
	// 120 s OK -> ALARM
	// 240 s ALARM -> OK
	// now OK
	// true DatapointsToAlarmAboveEvaluationPeriods
}
