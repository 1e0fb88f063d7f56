package lambdasim_test

// The asynchronous-invocation ops of the vector runner (vectors_test.go):
// the region's `async_queue`, `put_async_config`, `invoke_async`,
// `async_event` and `check`'s `async` counters (tests/vectors/README.md).

import (
	"fmt"

	"lambdasim"
)

var eventExpectKeys = []string{"state", "attempts", "due_at_us", "reason", "error"}

func init() {
	stepShape["put_async_config"] = [2][]string{
		{"function", "max_retry_attempts", "max_event_age_s", "dead_letter_queue", "on_failure", "on_success"},
		{"error"},
	}
	stepShape["invoke_async"] = [2][]string{{"function", "handler_us", "outcome", "failing_attempts", "id"}, eventExpectKeys}
	stepShape["async_event"] = [2][]string{{"id"}, eventExpectKeys}
	check := stepShape["check"]
	stepShape["check"] = [2][]string{check[0], append(check[1], "async")}
	regionKeys = append(regionKeys, "async_queue")
}

// attachQueue attaches the region's `async_queue`, if the vector has one.
func (r *runner) attachQueue(region any) error {
	if region == nil {
		return nil
	}
	m, err := asObj(region, "region")
	if err != nil {
		return err
	}
	slots, ok, err := m.optU32("async_queue")
	if err != nil || !ok {
		return err
	}
	if err := r.region.AttachAsyncQueue(slots); err != nil {
		return fmt.Errorf("AttachAsyncQueue(%d): %w", slots, err)
	}
	return nil
}

func deliveryTarget(m jobj, key string) (lambdasim.DeliveryTarget, error) {
	name, ok, err := m.optStr(key)
	if err != nil || !ok {
		return lambdasim.DeliveryNone, err
	}
	switch name {
	case "None":
		return lambdasim.DeliveryNone, nil
	case "Available":
		return lambdasim.DeliveryAvailable, nil
	case "Failing":
		return lambdasim.DeliveryFailing, nil
	}
	return 0, fmt.Errorf("%s: `%s`: expected \"None\", \"Available\" or \"Failing\", found %q", m.ctx, key, name)
}

// wantError compares a call's error with an optional expected `error`.
func wantError(what string, err error, e jobj, mm *mismatches) (bool, error) {
	want, wantsError, perr := e.optStr("error")
	if perr != nil {
		return false, perr
	}
	switch {
	case err == nil && wantsError:
		mm.fail("%s succeeded, expected error %s", what, want)
	case err != nil && wantsError:
		got, _ := errorName(err)
		eq(mm, "error", got, want)
	case err != nil:
		mm.fail("%s failed: %v", what, err)
	}
	return err == nil && !wantsError, nil
}

func (r *runner) putAsyncConfig(m jobj, at uint64, e jobj, mm *mismatches) error {
	if err := r.region.Advance(at); err != nil {
		return fmt.Errorf("advance failed: %w", err)
	}
	fname, err := m.reqStr("function")
	if err != nil {
		return err
	}
	c := lambdasim.DefaultAsyncConfig()
	if n, ok, err := m.optU32("max_retry_attempts"); err != nil {
		return err
	} else if ok {
		c.MaxRetryAttempts = n
	}
	if n, ok, err := m.optU32("max_event_age_s"); err != nil {
		return err
	} else if ok {
		c.MaxEventAgeS = n
	}
	for _, t := range []struct {
		key string
		to  *lambdasim.DeliveryTarget
	}{{"dead_letter_queue", &c.DeadLetterQueue}, {"on_failure", &c.OnFailure}, {"on_success", &c.OnSuccess}} {
		if *t.to, err = deliveryTarget(m, t.key); err != nil {
			return err
		}
	}
	_, err = wantError("put_async_config", r.region.PutAsyncConfig(r.function(fname), c), e, mm)
	return err
}

func (r *runner) invokeAsync(m jobj, at uint64, e jobj, mm *mismatches) error {
	fname, err := m.reqStr("function")
	if err != nil {
		return err
	}
	h := lambdasim.Handler{Outcome: lambdasim.OutcomeSuccess}
	if h.DurationUs, _, err = m.optU64("handler_us"); err != nil {
		return err
	}
	if name, ok, err := m.optStr("outcome"); err != nil {
		return err
	} else if ok {
		if h.Outcome, err = outcome(name); err != nil {
			return err
		}
	}
	failing := uint32(255)
	if n, ok, err := m.optU32("failing_attempts"); err != nil {
		return err
	} else if ok {
		failing = n
	}
	id, hasID, err := m.optStr("id")
	if err != nil {
		return err
	}
	ev, callErr := r.region.InvokeAsync(at, r.function(fname), h, failing)
	ok, err := wantError("invoke_async", callErr, e, mm)
	if err != nil || !ok {
		return err
	}
	if hasID {
		r.events[id] = ev
	}
	return r.checkEvent(ev, e, mm)
}

func (r *runner) asyncEvent(m jobj, at uint64, e jobj, mm *mismatches) error {
	if err := r.region.Advance(at); err != nil {
		return fmt.Errorf("advance failed: %w", err)
	}
	id, err := m.reqStr("id")
	if err != nil {
		return err
	}
	ev, ok := r.events[id]
	if !ok {
		return fmt.Errorf("%s: no event has id `%s`", m.ctx, id)
	}
	return r.checkEvent(ev, e, mm)
}

func (r *runner) checkEvent(ev lambdasim.AsyncEvent, e jobj, mm *mismatches) error {
	s, err := r.region.AsyncEventStatus(ev)
	if err != nil {
		return fmt.Errorf("AsyncEventStatus: %w", err)
	}
	if want, ok, err := e.optStr("state"); err != nil {
		return err
	} else if ok {
		eq(mm, "state", s.State.String(), want)
	}
	if want, ok, err := e.optU64("attempts"); err != nil {
		return err
	} else if ok {
		eq(mm, "attempts", uint64(s.Attempts), want)
	}
	if want, ok, err := e.optU64("due_at_us"); err != nil {
		return err
	} else if ok && s.State != lambdasim.AsyncQueued {
		mm.fail("due_at_us: the event is %s, not queued", s.State)
	} else if ok {
		eq(mm, "due_at_us", s.DueAtUs, want)
	}
	if want, ok, err := e.optStr("reason"); err != nil {
		return err
	} else if ok {
		eq(mm, "reason", s.Reason.String(), want)
	}
	return nil
}

// checkAsync compares `check`'s `async` object with the region's counters.
func (r *runner) checkAsync(e jobj, mm *mismatches) error {
	s, err := r.region.RegionAsyncStats()
	if err != nil {
		return fmt.Errorf("RegionAsyncStats: %w", err)
	}
	fields := []struct {
		key string
		got uint64
	}{
		{"received", s.Received}, {"rejected", s.Rejected}, {"queued", s.Queued}, {"running", s.Running},
		{"attempts", s.Attempts}, {"requeued", s.Requeued}, {"succeeded", s.Succeeded}, {"dropped", s.Dropped},
		{"retries_exhausted", s.RetriesExhausted}, {"expired", s.Expired}, {"reserved_zero", s.ReservedZero},
		{"function_deleted", s.FunctionDeleted}, {"dead_lettered", s.DeadLettered},
		{"dead_letter_errors", s.DeadLetterErrors}, {"sent_on_failure", s.SentOnFailure},
		{"sent_on_success", s.SentOnSuccess}, {"destination_delivery_failures", s.DestinationDeliveryFailures},
	}
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	if err := e.allow(keys...); err != nil {
		return err
	}
	for _, f := range fields {
		if want, ok, err := e.optU64(f.key); err != nil {
			return err
		} else if ok {
			eq(mm, "async."+f.key, f.got, want)
		}
	}
	return nil
}
