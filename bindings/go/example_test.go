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
