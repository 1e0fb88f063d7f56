// Package lambdasim is the Go binding of lambdasim, a deterministic model
// of AWS Lambda execution environments and concurrency: cold, warm and
// provisioned starts, reserved and provisioned concurrency, scaling and
// request-rate limits, and throttling with AWS's reasons.
//
// The binding calls the C ABI (include/lambdasim.h) of the static library
// built by
//
//	cargo build --release -p lambdasim-ffi
//
// which cgo links from ../../target/release/liblambdasim_ffi.a. When
// CARGO_TARGET_DIR puts the library elsewhere, build with the tag
// lambdasim_external and name the archive in CGO_LDFLAGS:
//
//	CGO_LDFLAGS="$CARGO_TARGET_DIR/release/liblambdasim_ffi.a -lm -ldl -lpthread" \
//	    go test -tags lambdasim_external ./...
//
// # Time
//
// A [Region] never reads a clock. Every call that changes it takes the
// simulated time as a uint64 count of microseconds (parameters named nowUs,
// fields ending in Us), exactly as the C ABI does, so values round-trip
// without conversion. Time may stand still but never go backwards
// ([ErrTimeWentBackwards]). [Region.NextDeadline] says when the region next
// has something to do on its own; call [Region.Advance] with it.
//
// # Handles
//
// [Function], [Env] and [Invocation] are plain values (slot index,
// generation and the tag of the region that made them): copy and compare
// them freely. A handle the region no longer knows, or one of another
// region, is answered with an error ([ErrUnknownFunction],
// [ErrUnknownInvocation], [ErrUnknownEnv]) and changes nothing, never with
// another function's or invocation's data.
//
// # Errors
//
// Every C status code other than OK is an [*Error] carrying the [Status]
// and the method that failed; [errors.Is] matches it against the exported
// sentinels ([ErrUnknownFunction], [ErrNotReady], ...). A throttle is an
// error too: [Region.Invoke] returns a [*ThrottleError] with the AWS reason,
// which matches [ErrThrottled]. Using a closed Region returns an error
// wrapping [ErrClosed].
//
// # Whole simulations
//
// [RunScenario] runs one replication of a scenario, the TOML or JSON of
// `lambdasim run` (cli/README.md), and returns a [SimResult]: its JSON
// report (exactly the bytes `lambdasim run FILE --json` prints), the
// summaries of each function and of the account, their bills and the
// per-minute series. The same text and options give the same bytes in Rust,
// C, Go and Node. [CheckScenario] reports what is wrong with a scenario,
// with the line, column and field.
//
// # Concurrency and lifetime
//
// A Region is safe for concurrent use by multiple goroutines (the library
// locks each region; Close waits for calls in flight). Close it when done;
// a finalizer frees a forgotten one, but only as a safety net. No Go
// pointer is ever kept by the C side.
package lambdasim
