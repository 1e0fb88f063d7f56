package lambdasim

/*
#include "lambdasim.h"
*/
import "C"

import (
	"errors"
	"fmt"
)

// Status is a status code of the C ABI (lsim_status). The numbers are
// stable; StatusOK is success and never appears in an [Error].
type Status uint32

// The status codes of the C ABI.
const (
	StatusOK                             Status = C.LSIM_STATUS_OK
	StatusNullPointer                    Status = C.LSIM_STATUS_NULL_POINTER
	StatusStaleHandle                    Status = C.LSIM_STATUS_STALE_HANDLE
	StatusPoisoned                       Status = C.LSIM_STATUS_POISONED
	StatusPanic                          Status = C.LSIM_STATUS_PANIC
	StatusInvalidArgument                Status = C.LSIM_STATUS_INVALID_ARGUMENT
	StatusBufferTooSmall                 Status = C.LSIM_STATUS_BUFFER_TOO_SMALL
	StatusTimeWentBackwards              Status = C.LSIM_STATUS_TIME_WENT_BACKWARDS
	StatusCapacityExceeded               Status = C.LSIM_STATUS_CAPACITY_EXCEEDED
	StatusUnknownFunction                Status = C.LSIM_STATUS_UNKNOWN_FUNCTION
	StatusUnknownInvocation              Status = C.LSIM_STATUS_UNKNOWN_INVOCATION
	StatusNotReady                       Status = C.LSIM_STATUS_NOT_READY
	StatusTimedOut                       Status = C.LSIM_STATUS_TIMED_OUT
	StatusFunctionBusy                   Status = C.LSIM_STATUS_FUNCTION_BUSY
	StatusMemoryBelowMinimum             Status = C.LSIM_STATUS_MEMORY_BELOW_MINIMUM
	StatusMemoryAboveMaximum             Status = C.LSIM_STATUS_MEMORY_ABOVE_MAXIMUM
	StatusMemoryNotOnStep                Status = C.LSIM_STATUS_MEMORY_NOT_ON_STEP
	StatusTimeoutOutOfRange              Status = C.LSIM_STATUS_TIMEOUT_OUT_OF_RANGE
	StatusPackageTooLarge                Status = C.LSIM_STATUS_PACKAGE_TOO_LARGE
	StatusUnreservedBelowMinimum         Status = C.LSIM_STATUS_UNRESERVED_BELOW_MINIMUM
	StatusProvisionedExceedsReserved     Status = C.LSIM_STATUS_PROVISIONED_EXCEEDS_RESERVED
	StatusAccountLimitTooLow             Status = C.LSIM_STATUS_ACCOUNT_LIMIT_TOO_LOW
	StatusInvalidSetting                 Status = C.LSIM_STATUS_INVALID_SETTING
	StatusInternal                       Status = C.LSIM_STATUS_INTERNAL
	StatusInvariantViolated              Status = C.LSIM_STATUS_INVARIANT_VIOLATED
	StatusEphemeralOutOfRange            Status = C.LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE
	StatusOverflow                       Status = C.LSIM_STATUS_OVERFLOW
	StatusTooFewSamples                  Status = C.LSIM_STATUS_TOO_FEW_SAMPLES
	StatusInvalidScenario                Status = C.LSIM_STATUS_INVALID_SCENARIO
	StatusSimulationFailed               Status = C.LSIM_STATUS_SIMULATION_FAILED
	StatusUnknownEnv                     Status = C.LSIM_STATUS_UNKNOWN_ENV
	StatusQueueFull                      Status = C.LSIM_STATUS_QUEUE_FULL
	StatusMaximumRetryAttemptsOutOfRange Status = C.LSIM_STATUS_MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE
	StatusMaximumEventAgeOutOfRange      Status = C.LSIM_STATUS_MAXIMUM_EVENT_AGE_OUT_OF_RANGE
	StatusUnknownAsyncEvent              Status = C.LSIM_STATUS_UNKNOWN_ASYNC_EVENT
)

// statusNames are the Rust variant names of the codes (lsim_status, and the
// core's ConfigError/InvokeError/FinishError variants of the same name).
var statusNames = [...]string{
	StatusOK:                             "Ok",
	StatusNullPointer:                    "NullPointer",
	StatusStaleHandle:                    "StaleHandle",
	StatusPoisoned:                       "Poisoned",
	StatusPanic:                          "Panic",
	StatusInvalidArgument:                "InvalidArgument",
	StatusBufferTooSmall:                 "BufferTooSmall",
	StatusTimeWentBackwards:              "TimeWentBackwards",
	StatusCapacityExceeded:               "CapacityExceeded",
	StatusUnknownFunction:                "UnknownFunction",
	StatusUnknownInvocation:              "UnknownInvocation",
	StatusNotReady:                       "NotReady",
	StatusTimedOut:                       "TimedOut",
	StatusFunctionBusy:                   "FunctionBusy",
	StatusMemoryBelowMinimum:             "MemoryBelowMinimum",
	StatusMemoryAboveMaximum:             "MemoryAboveMaximum",
	StatusMemoryNotOnStep:                "MemoryNotOnStep",
	StatusTimeoutOutOfRange:              "TimeoutOutOfRange",
	StatusPackageTooLarge:                "PackageTooLarge",
	StatusUnreservedBelowMinimum:         "UnreservedBelowMinimum",
	StatusProvisionedExceedsReserved:     "ProvisionedExceedsReserved",
	StatusAccountLimitTooLow:             "AccountLimitTooLow",
	StatusInvalidSetting:                 "InvalidSetting",
	StatusInternal:                       "Internal",
	StatusInvariantViolated:              "InvariantViolated",
	StatusEphemeralOutOfRange:            "EphemeralOutOfRange",
	StatusOverflow:                       "Overflow",
	StatusTooFewSamples:                  "TooFewSamples",
	StatusInvalidScenario:                "InvalidScenario",
	StatusSimulationFailed:               "SimulationFailed",
	StatusUnknownEnv:                     "UnknownEnv",
	StatusQueueFull:                      "QueueFull",
	StatusMaximumRetryAttemptsOutOfRange: "MaximumRetryAttemptsOutOfRange",
	StatusMaximumEventAgeOutOfRange:      "MaximumEventAgeOutOfRange",
	StatusUnknownAsyncEvent:              "UnknownAsyncEvent",
}

// Name returns the code's Rust variant name ("NotReady",
// "UnreservedBelowMinimum", ...), the name conformance vectors use;
// "Status(N)" for a code this binding does not know.
func (s Status) Name() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint32(s))
}

// String returns the C name of the code ("LSIM_STATUS_NOT_READY"), from
// lsim_status_str.
func (s Status) String() string {
	return C.GoString(C.lsim_status_str(C.uint32_t(s)))
}

// Error is a failed call: the C status code and the [Region] method (or
// function) that returned it. Use [errors.Is] with the Err* sentinels:
//
//	if errors.Is(err, lambdasim.ErrNotReady) { ... }
type Error struct {
	// Code is the C status code (never StatusOK).
	Code Status
	// Op is the method that failed, e.g. "Finish"; empty in the sentinels.
	Op string
	// Detail is extra text: the broken invariant for
	// StatusInvariantViolated, the scenario's problem (with its line,
	// column and field) for StatusInvalidScenario, otherwise usually empty.
	Detail string
}

// Error returns "lambdasim: Op: Name (LSIM_STATUS_...)[: detail]".
func (e *Error) Error() string {
	msg := "lambdasim: "
	if e.Op != "" {
		msg += e.Op + ": "
	}
	msg += e.Code.Name() + " (" + e.Code.String() + ")"
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Is reports whether target is an *Error with the same Code and either no
// Op (as in the sentinels) or the same Op.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code && (t.Op == "" || t.Op == e.Op)
}

// Sentinels, one per C status code: errors.Is(err, ErrX) is true for every
// *Error with that code.
var (
	ErrNullPointer                    = &Error{Code: StatusNullPointer}
	ErrStaleHandle                    = &Error{Code: StatusStaleHandle}
	ErrPoisoned                       = &Error{Code: StatusPoisoned}
	ErrPanic                          = &Error{Code: StatusPanic}
	ErrInvalidArgument                = &Error{Code: StatusInvalidArgument}
	ErrBufferTooSmall                 = &Error{Code: StatusBufferTooSmall}
	ErrTimeWentBackwards              = &Error{Code: StatusTimeWentBackwards}
	ErrCapacityExceeded               = &Error{Code: StatusCapacityExceeded}
	ErrUnknownFunction                = &Error{Code: StatusUnknownFunction}
	ErrUnknownInvocation              = &Error{Code: StatusUnknownInvocation}
	ErrNotReady                       = &Error{Code: StatusNotReady}
	ErrTimedOut                       = &Error{Code: StatusTimedOut}
	ErrFunctionBusy                   = &Error{Code: StatusFunctionBusy}
	ErrMemoryBelowMinimum             = &Error{Code: StatusMemoryBelowMinimum}
	ErrMemoryAboveMaximum             = &Error{Code: StatusMemoryAboveMaximum}
	ErrMemoryNotOnStep                = &Error{Code: StatusMemoryNotOnStep}
	ErrTimeoutOutOfRange              = &Error{Code: StatusTimeoutOutOfRange}
	ErrPackageTooLarge                = &Error{Code: StatusPackageTooLarge}
	ErrUnreservedBelowMinimum         = &Error{Code: StatusUnreservedBelowMinimum}
	ErrProvisionedExceedsReserved     = &Error{Code: StatusProvisionedExceedsReserved}
	ErrAccountLimitTooLow             = &Error{Code: StatusAccountLimitTooLow}
	ErrInvalidSetting                 = &Error{Code: StatusInvalidSetting}
	ErrInternal                       = &Error{Code: StatusInternal}
	ErrInvariantViolated              = &Error{Code: StatusInvariantViolated}
	ErrEphemeralOutOfRange            = &Error{Code: StatusEphemeralOutOfRange}
	ErrOverflow                       = &Error{Code: StatusOverflow}
	ErrTooFewSamples                  = &Error{Code: StatusTooFewSamples}
	ErrInvalidScenario                = &Error{Code: StatusInvalidScenario}
	ErrSimulationFailed               = &Error{Code: StatusSimulationFailed}
	ErrUnknownEnv                     = &Error{Code: StatusUnknownEnv}
	ErrQueueFull                      = &Error{Code: StatusQueueFull}
	ErrMaximumRetryAttemptsOutOfRange = &Error{Code: StatusMaximumRetryAttemptsOutOfRange}
	ErrMaximumEventAgeOutOfRange      = &Error{Code: StatusMaximumEventAgeOutOfRange}
	ErrUnknownAsyncEvent              = &Error{Code: StatusUnknownAsyncEvent}
)

// Go-side errors (no C status code).
var (
	// ErrClosed: the Region or SimResult was closed (or is nil). Errors wrap it.
	ErrClosed = errors.New("lambdasim: region is closed")
	// ErrThrottled: the request was throttled; the error is a *ThrottleError.
	ErrThrottled = errors.New("lambdasim: throttled")
	// ErrABIMismatch: the linked library's ABI version is not the one this
	// binding was compiled against (LSIM_ABI_VERSION).
	ErrABIMismatch = errors.New("lambdasim: C ABI version mismatch")
)

// ThrottleError is a throttled request (HTTP 429): the invoke did not
// start. errors.Is(err, ErrThrottled) is true for it; get the reason with
// errors.As.
type ThrottleError struct {
	// Reason is AWS's throttle reason.
	Reason ThrottleReason
	// Function is the function invoked.
	Function Function
	// Op is the method that was throttled ("Invoke" or "InvokeWithInit").
	Op string
}

// Error returns "lambdasim: Op: throttled: Reason".
func (e *ThrottleError) Error() string {
	return "lambdasim: " + e.Op + ": throttled: " + e.Reason.String()
}

// Is reports whether target is ErrThrottled.
func (e *ThrottleError) Is(target error) bool {
	return target == ErrThrottled
}

// statusError converts a C status into nil (OK) or an *Error.
func statusError(op string, st C.lsim_status) error {
	if Status(st) == StatusOK {
		return nil
	}
	return &Error{Code: Status(st), Op: op}
}

// closedError is the error of a call on a closed or nil Region: it names
// the method and wraps ErrClosed.
type closedError string

func (op closedError) Error() string { return "lambdasim: " + string(op) + ": region is closed" }
func (op closedError) Unwrap() error { return ErrClosed }

// closedResultError is the error of a call on a closed or nil SimResult:
// it names the method and wraps ErrClosed.
type closedResultError string

func (op closedResultError) Error() string {
	return "lambdasim: SimResult." + string(op) + ": result is closed"
}
func (op closedResultError) Unwrap() error { return ErrClosed }
