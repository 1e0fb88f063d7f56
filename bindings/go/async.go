package lambdasim

/*
#include "lambdasim.h"
*/
import "C"

// DeliveryTarget is a dead-letter queue or destination setting
// (LSIM_DELIVERY_*).
type DeliveryTarget uint32

// The delivery targets.
const (
	// DeliveryNone: none configured; nothing is sent.
	DeliveryNone DeliveryTarget = C.LSIM_DELIVERY_NONE
	// DeliveryAvailable: configured, and every send reaches it.
	DeliveryAvailable DeliveryTarget = C.LSIM_DELIVERY_AVAILABLE
	// DeliveryFailing: configured, and every send fails (fault injection):
	// the event is lost and counted (DeadLetterErrors or
	// DestinationDeliveryFailures).
	DeliveryFailing DeliveryTarget = C.LSIM_DELIVERY_FAILING
)

// AsyncState is where an asynchronous event is (LSIM_ASYNC_STATE_*).
type AsyncState uint32

// The event states.
const (
	AsyncQueued    AsyncState = C.LSIM_ASYNC_STATE_QUEUED
	AsyncRunning   AsyncState = C.LSIM_ASYNC_STATE_RUNNING
	AsyncSucceeded AsyncState = C.LSIM_ASYNC_STATE_SUCCEEDED
	AsyncDropped   AsyncState = C.LSIM_ASYNC_STATE_DROPPED
)

// String returns the state's name ("Queued", ...), as the vectors spell it.
func (s AsyncState) String() string {
	switch s {
	case AsyncQueued:
		return "Queued"
	case AsyncRunning:
		return "Running"
	case AsyncSucceeded:
		return "Succeeded"
	case AsyncDropped:
		return "Dropped"
	}
	return "?"
}

// DropReason is why an event was discarded (LSIM_DROP_REASON_*).
type DropReason uint32

// The drop reasons.
const (
	DropNone             DropReason = C.LSIM_DROP_REASON_NONE
	DropRetriesExhausted DropReason = C.LSIM_DROP_REASON_RETRIES_EXHAUSTED
	DropExpired          DropReason = C.LSIM_DROP_REASON_EXPIRED
	DropReservedZero     DropReason = C.LSIM_DROP_REASON_RESERVED_ZERO
	DropFunctionDeleted  DropReason = C.LSIM_DROP_REASON_FUNCTION_DELETED
)

// String returns the reason's name ("Expired", ...), as the vectors spell it.
func (d DropReason) String() string {
	switch d {
	case DropNone:
		return "None"
	case DropRetriesExhausted:
		return "RetriesExhausted"
	case DropExpired:
		return "Expired"
	case DropReservedZero:
		return "ReservedZero"
	case DropFunctionDeleted:
		return "FunctionDeleted"
	}
	return "?"
}

// AsyncConfig is a function's asynchronous settings; start from
// [DefaultAsyncConfig].
type AsyncConfig struct {
	MaxRetryAttempts uint32         // MaximumRetryAttempts, 0..=2
	MaxEventAgeS     uint32         // MaximumEventAgeInSeconds, 60..=21600
	DeadLetterQueue  DeliveryTarget // for discarded events
	OnFailure        DeliveryTarget // destination for discarded events
	OnSuccess        DeliveryTarget // destination for successful events
}

// DefaultAsyncConfig returns Lambda's defaults: 2 retries, 6 hours, no targets.
func DefaultAsyncConfig() AsyncConfig {
	var c C.lsim_async_config
	C.lsim_async_config_default(&c)
	return AsyncConfig{
		MaxRetryAttempts: uint32(c.max_retry_attempts),
		MaxEventAgeS:     uint32(c.max_event_age_s),
		DeadLetterQueue:  DeliveryTarget(c.dead_letter_queue),
		OnFailure:        DeliveryTarget(c.on_failure),
		OnSuccess:        DeliveryTarget(c.on_success),
	}
}

// AsyncEvent is an asynchronous event of a region (by value).
type AsyncEvent struct {
	Index      uint32
	Generation uint32
	RegionTag  uint32
}

// AsyncEventStatus is where an event is.
type AsyncEventStatus struct {
	State    AsyncState
	Attempts uint32     // attempts that ran so far
	DueAtUs  uint64     // Queued: its next attempt (or expiry, if earlier)
	Reason   DropReason // Dropped: why
}

// AsyncStats are asynchronous counters of a function or the region.
// Received = Queued + Running + Succeeded + Dropped.
type AsyncStats struct {
	Received, Rejected, Queued, Running, Attempts, Requeued, Succeeded, Dropped uint64
	RetriesExhausted, Expired, ReservedZero, FunctionDeleted                    uint64
	DeadLettered, DeadLetterErrors, SentOnFailure, SentOnSuccess                uint64
	DestinationDeliveryFailures                                                 uint64
}

func asyncStatsFromC(c *C.lsim_async_stats) AsyncStats {
	return AsyncStats{
		Received: uint64(c.received), Rejected: uint64(c.rejected), Queued: uint64(c.queued),
		Running: uint64(c.running), Attempts: uint64(c.attempts), Requeued: uint64(c.requeued),
		Succeeded: uint64(c.succeeded), Dropped: uint64(c.dropped), RetriesExhausted: uint64(c.retries_exhausted),
		Expired: uint64(c.expired), ReservedZero: uint64(c.reserved_zero), FunctionDeleted: uint64(c.function_deleted),
		DeadLettered: uint64(c.dead_lettered), DeadLetterErrors: uint64(c.dead_letter_errors),
		SentOnFailure: uint64(c.sent_on_failure), SentOnSuccess: uint64(c.sent_on_success),
		DestinationDeliveryFailures: uint64(c.destination_delivery_failures),
	}
}

// AttachAsyncQueue attaches a queue of capacity event slots, shared by
// every function (once per region).
//
// Errors: [ErrInvalidArgument] (0, above LSIM_ASYNC_QUEUE_MAX, or one
// attached already), [ErrClosed].
func (r *Region) AttachAsyncQueue(capacity uint32) error {
	return r.call("AttachAsyncQueue", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_attach_async_queue(h, C.uint32_t(capacity))
	})
}

// PutAsyncConfig sets fn's asynchronous settings.
//
// Errors: [ErrMaximumRetryAttemptsOutOfRange], [ErrMaximumEventAgeOutOfRange],
// [ErrInvalidArgument] (unknown target), [ErrUnknownFunction], [ErrClosed].
func (r *Region) PutAsyncConfig(fn Function, c AsyncConfig) error {
	cc := C.lsim_async_config{
		struct_size:        C.uint32_t(C.sizeof_lsim_async_config),
		max_retry_attempts: C.uint32_t(c.MaxRetryAttempts),
		max_event_age_s:    C.uint32_t(c.MaxEventAgeS),
		dead_letter_queue:  C.uint32_t(c.DeadLetterQueue),
		on_failure:         C.uint32_t(c.OnFailure),
		on_success:         C.uint32_t(c.OnSuccess),
	}
	return r.call("PutAsyncConfig", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_put_async_config(h, fn.toC(), &cc)
	})
}

// InvokeAsync puts an asynchronous (Event) invoke of fn at nowUs: accepted
// into the queue, its first attempt made at once, later ones by the region
// as its clock reaches them. Each attempt runs h.DurationUs; the first
// failingAttempts end with h.Outcome (255: all), later ones succeed.
//
// Errors: [ErrQueueFull] (counted in Rejected), [ErrInvalidArgument]
// (unknown outcome, failingAttempts above 255, no queue),
// [ErrUnknownFunction], [ErrTimeWentBackwards], [ErrClosed].
func (r *Region) InvokeAsync(nowUs uint64, fn Function, h Handler, failingAttempts uint32) (AsyncEvent, error) {
	var out C.lsim_async_event
	err := r.call("InvokeAsync", func(reg *C.lsim_region) C.lsim_status {
		return C.lsim_invoke_async(reg, C.uint64_t(nowUs), fn.toC(), C.uint64_t(h.DurationUs), C.uint32_t(h.Outcome),
			C.uint32_t(failingAttempts), &out)
	})
	if err != nil {
		return AsyncEvent{}, err
	}
	return AsyncEvent{Index: uint32(out.index), Generation: uint32(out.generation), RegionTag: uint32(out.region_tag)}, nil
}

// AsyncEventStatus returns where e is.
//
// Errors: [ErrUnknownAsyncEvent] (another region's, or its slot was
// reused), [ErrClosed].
func (r *Region) AsyncEventStatus(e AsyncEvent) (AsyncEventStatus, error) {
	var out C.lsim_async_event_status
	ce := C.lsim_async_event{index: C.uint32_t(e.Index), generation: C.uint32_t(e.Generation), region_tag: C.uint32_t(e.RegionTag)}
	err := r.call("AsyncEventStatus", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_async_event_get_status(h, ce, &out)
	})
	if err != nil {
		return AsyncEventStatus{}, err
	}
	return AsyncEventStatus{
		State: AsyncState(out.state), Attempts: uint32(out.attempts), DueAtUs: uint64(out.due_at_us),
		Reason: DropReason(out.reason),
	}, nil
}

// RegionAsyncStats returns the region's asynchronous counters (zero
// without a queue).
func (r *Region) RegionAsyncStats() (AsyncStats, error) {
	var s C.lsim_async_stats
	err := r.call("RegionAsyncStats", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_async_stats(h, &s)
	})
	return asyncStatsFromC(&s), err
}

// FunctionAsyncStats returns fn's asynchronous counters.
//
// Errors: [ErrUnknownFunction], [ErrClosed].
func (r *Region) FunctionAsyncStats(fn Function) (AsyncStats, error) {
	var s C.lsim_async_stats
	err := r.call("FunctionAsyncStats", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_async_stats(h, fn.toC(), &s)
	})
	if err != nil {
		return AsyncStats{}, err
	}
	return asyncStatsFromC(&s), nil
}
