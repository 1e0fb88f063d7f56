package lambdasim

/*
#include "lambdasim.h"
*/
import "C"

import (
	"fmt"
	"math/big"
)

// Capacities and version of the C ABI this binding was compiled against.
const (
	// ABIVersion is LSIM_ABI_VERSION of the header; [NewRegion] checks the
	// library reports the same ([LibraryABIVersion]).
	ABIVersion = C.LSIM_ABI_VERSION
	// EnvCapacity is a region's default environment capacity
	// ([RegionConfig].EnvCapacity).
	EnvCapacity = C.LSIM_ENV_CAPACITY
	// FunctionCapacity is a region's default function capacity
	// ([RegionConfig].FunctionCapacity).
	FunctionCapacity = C.LSIM_FUNCTION_CAPACITY
	// EnvCapacityMax is the largest [RegionConfig].EnvCapacity.
	EnvCapacityMax = C.LSIM_ENV_CAPACITY_MAX
	// FunctionCapacityMax is the largest [RegionConfig].FunctionCapacity.
	FunctionCapacityMax = C.LSIM_FUNCTION_CAPACITY_MAX
	// ThrottleReasonCount is the number of throttle reasons (the length of
	// [Stats].Throttles).
	ThrottleReasonCount = C.LSIM_THROTTLE_REASON_COUNT
)

// LibraryABIVersion returns the ABI version of the linked library
// (lsim_abi_version).
func LibraryABIVersion() uint32 { return uint32(C.lsim_abi_version()) }

// LibraryVersion returns the linked library's version, e.g. "0.1.0".
func LibraryVersion() string { return C.GoString(C.lsim_version()) }

// name formats a C *_str answer Go-style: "unknown" becomes "Type(N)".
func name(s *C.char, typ string, v uint32) string {
	n := C.GoString(s)
	if n == "unknown" {
		return fmt.Sprintf("%s(%d)", typ, v)
	}
	return n
}

// ---- enumerations ----------------------------------------------------------

// ScalingRule selects how fast functions may add environments.
type ScalingRule uint32

// Scaling rules.
const (
	// ScalingPerFunction: 1000 new environments per 10 s per function
	// (since 2023-11-27). The default.
	ScalingPerFunction ScalingRule = C.LSIM_SCALING_RULE_PER_FUNCTION
	// ScalingLegacyAccount: the legacy account-wide burst
	// (RegionConfig.LegacyBurst) then +500 per minute.
	ScalingLegacyAccount ScalingRule = C.LSIM_SCALING_RULE_LEGACY_ACCOUNT
)

// WarmPick selects which idle environment serves a warm start.
type WarmPick uint32

// Warm picks.
const (
	// WarmPickMRU reuses the most recently used idle environment. The default.
	WarmPickMRU WarmPick = C.LSIM_WARM_PICK_MRU
	// WarmPickLRU reuses the least recently used idle environment.
	WarmPickLRU WarmPick = C.LSIM_WARM_PICK_LRU
)

// MemoryRule selects the valid function memory sizes.
type MemoryRule uint32

// Memory rules.
const (
	// MemoryRuleCurrent: 128..=10240 MB in 1 MB steps. The default.
	MemoryRuleCurrent MemoryRule = C.LSIM_MEMORY_RULE_CURRENT
	// MemoryRuleLegacy64: 128..=3008 MB in 64 MB steps (before December 2020).
	MemoryRuleLegacy64 MemoryRule = C.LSIM_MEMORY_RULE_LEGACY64
)

// StartKind says how an invocation started.
type StartKind uint32

// Start kinds.
const (
	// StartWarm: an idle on-demand environment was reused (no init).
	StartWarm StartKind = C.LSIM_START_KIND_WARM
	// StartProvisioned: an idle provisioned environment was used (no init).
	StartProvisioned StartKind = C.LSIM_START_KIND_PROVISIONED
	// StartPartialCold: a reset environment re-ran init first.
	StartPartialCold StartKind = C.LSIM_START_KIND_PARTIAL_COLD
	// StartFullCold: a new environment (create + init).
	StartFullCold StartKind = C.LSIM_START_KIND_FULL_COLD
)

// String returns "Warm", "Provisioned", "PartialCold" or "FullCold"
// (lsim_start_kind_str); "StartKind(N)" for an unknown value.
func (k StartKind) String() string {
	return name(C.lsim_start_kind_str(C.uint32_t(k)), "StartKind", uint32(k))
}

// ThrottleReason is AWS's reason for a throttle.
type ThrottleReason uint32

// Throttle reasons.
const (
	// ThrottleConcurrentInvocationLimitExceeded: the account's or the
	// unreserved pool's concurrency is exhausted.
	ThrottleConcurrentInvocationLimitExceeded ThrottleReason = C.LSIM_THROTTLE_CONCURRENT_INVOCATION_LIMIT_EXCEEDED
	// ThrottleReservedFunctionConcurrentInvocationLimitExceeded: the
	// function's reserved concurrency is exhausted (or is 0).
	ThrottleReservedFunctionConcurrentInvocationLimitExceeded ThrottleReason = C.LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED
	// ThrottleRequestRateExceeded: the account's synchronous request rate
	// is exhausted.
	ThrottleRequestRateExceeded ThrottleReason = C.LSIM_THROTTLE_REQUEST_RATE_EXCEEDED
	// ThrottleScalingRateExceeded: no scaling token for a new environment.
	ThrottleScalingRateExceeded ThrottleReason = C.LSIM_THROTTLE_SCALING_RATE_EXCEEDED
	// ThrottleFunctionInvocationRateLimitExceeded: the synchronous request
	// rate of a function with provisioned concurrency (10 × its allocated
	// provisioned concurrency per second) is exhausted.
	ThrottleFunctionInvocationRateLimitExceeded ThrottleReason = C.LSIM_THROTTLE_FUNCTION_INVOCATION_RATE_LIMIT_EXCEEDED
)

// String returns AWS's name, e.g. "ReservedFunctionConcurrentInvocationLimitExceeded"
// (lsim_throttle_reason_str); "ThrottleReason(N)" for an unknown value.
func (r ThrottleReason) String() string {
	return name(C.lsim_throttle_reason_str(C.uint32_t(r)), "ThrottleReason", uint32(r))
}

// Outcome is how an invocation ended.
type Outcome uint32

// Outcomes.
const (
	// OutcomeSuccess: the handler returned normally.
	OutcomeSuccess Outcome = C.LSIM_OUTCOME_SUCCESS
	// OutcomeFunctionError: the handler returned or threw an error; the
	// environment stays warm.
	OutcomeFunctionError Outcome = C.LSIM_OUTCOME_FUNCTION_ERROR
	// OutcomeTimeout: the invocation hit its timeout; the environment is reset.
	OutcomeTimeout Outcome = C.LSIM_OUTCOME_TIMEOUT
	// OutcomeCrash: the runtime crashed or ran out of memory; the
	// environment is reset.
	OutcomeCrash Outcome = C.LSIM_OUTCOME_CRASH
)

// String returns "Success", "FunctionError", "Timeout" or "Crash"
// (lsim_outcome_str; the names the conformance vectors use);
// "Outcome(N)" for an unknown value.
func (o Outcome) String() string {
	return name(C.lsim_outcome_str(C.uint32_t(o)), "Outcome", uint32(o))
}

// EnvState is the lifecycle state of an execution environment.
type EnvState uint32

// Environment states.
const (
	// EnvCreating: a new microVM is starting and the code is downloading.
	EnvCreating EnvState = C.LSIM_ENV_STATE_CREATING
	// EnvInitializing: extensions, runtime and static init are running.
	EnvInitializing EnvState = C.LSIM_ENV_STATE_INITIALIZING
	// EnvIdle: frozen after an invoke, reusable without init.
	EnvIdle EnvState = C.LSIM_ENV_STATE_IDLE
	// EnvBusy: running a handler.
	EnvBusy EnvState = C.LSIM_ENV_STATE_BUSY
	// EnvShuttingDown: being reclaimed.
	EnvShuttingDown EnvState = C.LSIM_ENV_STATE_SHUTTING_DOWN
	// EnvTerminated: gone (also reported for a handle the region no
	// longer knows).
	EnvTerminated EnvState = C.LSIM_ENV_STATE_TERMINATED
)

// String returns "Creating", "Initializing", "Idle", "Busy",
// "ShuttingDown" or "Terminated" (lsim_env_state_str); "EnvState(N)" for
// an unknown value.
func (s EnvState) String() string {
	return name(C.lsim_env_state_str(C.uint32_t(s)), "EnvState", uint32(s))
}

// ProvisionedStatus is the state of a function's provisioned concurrency.
type ProvisionedStatus uint32

// Provisioned statuses.
const (
	// ProvisionedNone: none configured.
	ProvisionedNone ProvisionedStatus = C.LSIM_PROVISIONED_STATUS_NONE
	// ProvisionedInProgress: allocation under way; new environments do not
	// serve yet.
	ProvisionedInProgress ProvisionedStatus = C.LSIM_PROVISIONED_STATUS_IN_PROGRESS
	// ProvisionedReady: every requested environment is initialized and serving.
	ProvisionedReady ProvisionedStatus = C.LSIM_PROVISIONED_STATUS_READY
	// ProvisionedFailed: an environment's init failed or exceeded its limit.
	ProvisionedFailed ProvisionedStatus = C.LSIM_PROVISIONED_STATUS_FAILED
)

// String returns AWS's name: "NONE", "IN_PROGRESS", "READY" or "FAILED"
// (lsim_provisioned_status_str); "ProvisionedStatus(N)" for an unknown value.
func (s ProvisionedStatus) String() string {
	return name(C.lsim_provisioned_status_str(C.uint32_t(s)), "ProvisionedStatus", uint32(s))
}

// ---- configuration -----------------------------------------------------------

// RegionConfig is a region's settings. Start from [DefaultRegionConfig]
// (today's AWS rules) and change fields. Durations are microseconds.
type RegionConfig struct {
	// AccountLimit is the account concurrency limit. Default 1000.
	AccountLimit uint32
	// UnreservedMin is the concurrency that must stay unreserved. Default 100.
	UnreservedMin uint32
	// ScalingRule is ScalingPerFunction (default) or ScalingLegacyAccount.
	ScalingRule ScalingRule
	// LegacyBurst is the legacy rule's initial account burst (used only with
	// ScalingLegacyAccount, must then be positive). Default 3000.
	LegacyBurst uint32
	// RequestRatePerLimit is synchronous requests per second per unit of
	// account limit; 0 turns the request-rate limit off. Default 10.
	RequestRatePerLimit uint32
	// IdleTimeoutUs is how long an idle environment is kept. Default 10 min.
	IdleTimeoutUs uint64
	// MaxLifetimeUs is the maximum environment lifetime before recycling;
	// 0 = never. Default 2 h.
	MaxLifetimeUs uint64
	// ShutdownUs is how long shutdown takes. Default 0.
	ShutdownUs uint64
	// WarmPick is WarmPickMRU (default) or WarmPickLRU.
	WarmPick WarmPick
	// MemoryRule is MemoryRuleCurrent (default) or MemoryRuleLegacy64.
	MemoryRule MemoryRule
	// ProvisionedDelayUs is the delay before a provisioned allocation starts
	// creating environments. Default 60 s.
	ProvisionedDelayUs uint64
	// ProvisionedPerMinute is the provisioned environments created per
	// minute per function (1..=60 000 000). Default 6000.
	ProvisionedPerMinute uint32
	// Granularity is how billed duration rounds up per invocation:
	// Granularity1ms (default) or Granularity100ms.
	Granularity Granularity
	// BillInit: an on-demand full cold start's init is billed (AWS since
	// 2025-08-01). Default true. A partial cold start's init runs inside
	// the invoke and is always billed.
	BillInit bool
	// EnvCapacity is the most environments (not yet terminated) the region
	// holds at once, 1..=[EnvCapacityMax]; a full table is
	// StatusCapacityExceeded. Memory follows use: the tables start small and
	// double up to this. Default [EnvCapacity] (16 384).
	EnvCapacity uint32
	// FunctionCapacity is the most functions at once,
	// 1..=[FunctionCapacityMax]. Default [FunctionCapacity] (256).
	FunctionCapacity uint32
}

// DefaultRegionConfig returns the default region settings, as filled by
// lsim_region_config_default.
func DefaultRegionConfig() RegionConfig {
	var c C.lsim_region_config
	if st := C.lsim_region_config_default(&c); Status(st) != StatusOK {
		panic("lambdasim: lsim_region_config_default failed: " + Status(st).String()) // cannot happen: &c is not NULL
	}
	return RegionConfig{
		AccountLimit:         uint32(c.account_limit),
		UnreservedMin:        uint32(c.unreserved_min),
		ScalingRule:          ScalingRule(c.scaling_rule),
		LegacyBurst:          uint32(c.legacy_burst),
		RequestRatePerLimit:  uint32(c.request_rate_per_limit),
		IdleTimeoutUs:        uint64(c.idle_timeout_us),
		MaxLifetimeUs:        uint64(c.max_lifetime_us),
		ShutdownUs:           uint64(c.shutdown_us),
		WarmPick:             WarmPick(c.warm_pick),
		MemoryRule:           MemoryRule(c.memory_rule),
		ProvisionedDelayUs:   uint64(c.provisioned_delay_us),
		ProvisionedPerMinute: uint32(c.provisioned_per_minute),
		Granularity:          Granularity(c.granularity),
		BillInit:             c.bill_init != 0,
		EnvCapacity:          uint32(c.env_capacity),
		FunctionCapacity:     uint32(c.function_capacity),
	}
}

func (c *RegionConfig) toC() C.lsim_region_config {
	return C.lsim_region_config{
		struct_size:            C.uint32_t(C.sizeof_lsim_region_config),
		account_limit:          C.uint32_t(c.AccountLimit),
		unreserved_min:         C.uint32_t(c.UnreservedMin),
		scaling_rule:           C.uint32_t(c.ScalingRule),
		legacy_burst:           C.uint32_t(c.LegacyBurst),
		request_rate_per_limit: C.uint32_t(c.RequestRatePerLimit),
		idle_timeout_us:        C.uint64_t(c.IdleTimeoutUs),
		max_lifetime_us:        C.uint64_t(c.MaxLifetimeUs),
		shutdown_us:            C.uint64_t(c.ShutdownUs),
		warm_pick:              C.uint32_t(c.WarmPick),
		memory_rule:            C.uint32_t(c.MemoryRule),
		provisioned_delay_us:   C.uint64_t(c.ProvisionedDelayUs),
		provisioned_per_minute: C.uint32_t(c.ProvisionedPerMinute),
		granularity:            C.uint32_t(c.Granularity),
		bill_init:              flag(c.BillInit),
		env_capacity:           C.uint32_t(c.EnvCapacity),
		function_capacity:      C.uint32_t(c.FunctionCapacity),
	}
}

// FunctionConfig is a function's configuration. Start from
// [DefaultFunctionConfig] and change fields. Durations are microseconds.
type FunctionConfig struct {
	// MemoryMB is the memory in MB (128..=10240; legacy rule 128..=3008 in
	// 64 MB steps). Default 128.
	MemoryMB uint32
	// TimeoutMs is the function timeout in ms, 1..=900 000. Default 3000.
	TimeoutMs uint32
	// Reserved is the reserved concurrency; nil (default) shares the
	// unreserved pool. Use [Uint32] to set it.
	Reserved *uint32
	// Provisioned is the provisioned concurrency. Default 0.
	Provisioned uint32
	// SandboxUs is the time to start the microVM sandbox. Default 125 000.
	SandboxUs uint64
	// DownloadUsPerMB is the time to download one MB of code. Default 1000.
	DownloadUsPerMB uint64
	// PackageMB is the code package size (at most 10 240). Default 5.
	PackageMB uint32
	// InitUs is extensions + runtime bootstrap + static init. Default 250 000.
	InitUs uint64
	// Architecture is ArchX86_64 (default) or ArchArm64: prices differ.
	Architecture Architecture
	// EphemeralMB is the /tmp size, 512..=10240. Default 512 (the free amount).
	EphemeralMB uint32
}

// Uint32 returns a pointer to v, for [FunctionConfig].Reserved and
// [Region.PutReserved].
func Uint32(v uint32) *uint32 { return &v }

// DefaultFunctionConfig returns the default function configuration (128 MB,
// 3 s, no reserved or provisioned concurrency, default cold-start
// profile), as filled by lsim_function_config_default.
func DefaultFunctionConfig() FunctionConfig {
	var c C.lsim_function_config
	if st := C.lsim_function_config_default(&c); Status(st) != StatusOK {
		panic("lambdasim: lsim_function_config_default failed: " + Status(st).String()) // cannot happen: &c is not NULL
	}
	return functionConfigFromC(&c)
}

func functionConfigFromC(c *C.lsim_function_config) FunctionConfig {
	var reserved *uint32
	if c.has_reserved != 0 {
		reserved = Uint32(uint32(c.reserved))
	}
	return FunctionConfig{
		MemoryMB:        uint32(c.memory_mb),
		TimeoutMs:       uint32(c.timeout_ms),
		Reserved:        reserved,
		Provisioned:     uint32(c.provisioned),
		SandboxUs:       uint64(c.sandbox_us),
		DownloadUsPerMB: uint64(c.download_us_per_mb),
		PackageMB:       uint32(c.package_mb),
		InitUs:          uint64(c.init_us),
		Architecture:    Architecture(c.architecture),
		EphemeralMB:     uint32(c.ephemeral_mb),
	}
}

func (c *FunctionConfig) toC() C.lsim_function_config {
	out := C.lsim_function_config{
		struct_size:        C.uint32_t(C.sizeof_lsim_function_config),
		memory_mb:          C.uint32_t(c.MemoryMB),
		timeout_ms:         C.uint32_t(c.TimeoutMs),
		provisioned:        C.uint32_t(c.Provisioned),
		sandbox_us:         C.uint64_t(c.SandboxUs),
		download_us_per_mb: C.uint64_t(c.DownloadUsPerMB),
		package_mb:         C.uint32_t(c.PackageMB),
		init_us:            C.uint64_t(c.InitUs),
		architecture:       C.uint32_t(c.Architecture),
		ephemeral_mb:       C.uint32_t(c.EphemeralMB),
	}
	if c.Reserved != nil {
		out.has_reserved = 1
		out.reserved = C.uint32_t(*c.Reserved)
	}
	return out
}

// ---- handles -------------------------------------------------------------------

// Function is a function of a region (a value handle). A deleted
// function's handle, or one of another region, is answered with
// [ErrUnknownFunction].
type Function struct {
	Index      uint32 // slot in the function table
	Generation uint32 // generation of the slot
	// RegionTag binds the handle to the region that made it (nonzero,
	// distinct for every region of the process): another region, or a
	// zero tag, answers [ErrUnknownFunction].
	RegionTag uint32
}

func (f Function) toC() C.lsim_function {
	return C.lsim_function{index: C.uint32_t(f.Index), generation: C.uint32_t(f.Generation), region_tag: C.uint32_t(f.RegionTag)}
}

func functionFromC(f C.lsim_function) Function {
	return Function{Index: uint32(f.index), Generation: uint32(f.generation), RegionTag: uint32(f.region_tag)}
}

// Env is an execution environment of a region (a value handle). One of
// another region is unknown there ([ErrUnknownEnv], or
// [EnvTerminated] from [Region.EnvState]).
type Env struct {
	Index      uint32 // slot in the environment table
	Generation uint32 // generation of the slot
	RegionTag  uint32 // the region that made it (as [Function.RegionTag])
}

func (e Env) toC() C.lsim_env {
	return C.lsim_env{index: C.uint32_t(e.Index), generation: C.uint32_t(e.Generation), region_tag: C.uint32_t(e.RegionTag)}
}

func envFromC(e C.lsim_env) Env {
	return Env{Index: uint32(e.index), Generation: uint32(e.generation), RegionTag: uint32(e.region_tag)}
}

// Invocation is a started invocation: its handle (Env and Seq, all that
// [Region.Finish] reads) and how it started.
type Invocation struct {
	// Env is the environment serving it.
	Env Env
	// Seq is the environment's invocation count when it started (from 1).
	Seq uint32
	// Function is the function invoked.
	Function Function
	// Start is how it started.
	Start StartKind
	// OnProvisioned: on a provisioned environment; false means on-demand
	// (spillover when the function has provisioned concurrency).
	OnProvisioned bool
	// InitUs is the time before the handler runs (create + init for a full
	// cold start, init for a partial one, 0 otherwise).
	InitUs uint64
	// ReadyAtUs is when the handler starts (now + InitUs).
	ReadyAtUs uint64
	// SuppressedInitUs: an on-demand init over 10 s is retried inside the
	// invoke; the handler first re-runs init for this long (0 otherwise).
	SuppressedInitUs uint64
}

func (i Invocation) toC() C.lsim_invocation {
	return C.lsim_invocation{env: i.Env.toC(), seq: C.uint32_t(i.Seq)}
}

// Handler is what a request's handler does once it runs, for an invoke whose
// end the region schedules itself ([Region.InvokeFor]): it runs for
// DurationUs, then the invocation ends with Outcome (the zero value is
// [OutcomeSuccess]) — or at the function's timeout, if that comes first or
// at the same instant.
type Handler struct {
	// DurationUs is how long the handler runs, from its start (after any
	// init), in microseconds.
	DurationUs uint64
	// Outcome is how the invocation ends if the handler finishes before its
	// timeout.
	Outcome Outcome
}

// Finished is the answer of [Region.Finish].
type Finished struct {
	// Function is the function invoked.
	Function Function
	// Env is the environment that served it.
	Env Env
	// DurationUs is the handler time from ReadyAtUs to the finish; 0 when
	// the invocation ended during its cold start.
	DurationUs uint64
	// EnvKept: the environment went on serving; false when it is shutting
	// down, re-initializing or was terminated.
	EnvKept bool
}

// ---- counts and stats ------------------------------------------------------------

// FunctionCounts are one function's environment counts at one instant.
type FunctionCounts struct {
	// Busy is the function's concurrency: environments with an invocation
	// attached (busy, or cold-starting for one).
	Busy uint32
	// BusyProvisioned is, of Busy, those on provisioned environments.
	BusyProvisioned uint32
	// Idle is the idle environments (on-demand and provisioned).
	Idle uint32
	// IdleProvisioned is the idle provisioned environments that serve now.
	IdleProvisioned uint32
	// Creating is the environments being created.
	Creating uint32
	// Initializing is the environments initializing.
	Initializing uint32
	// Live is creating + initializing + idle + handler-busy.
	Live uint32
	// ShuttingDown is the environments shutting down.
	ShuttingDown uint32
	// Provisioned is the configured provisioned concurrency.
	Provisioned uint32
	// ProvisionedAllocated is the provisioned environments allocated.
	ProvisionedAllocated uint32
	// ProvisionedStatus is the provisioned allocation's status.
	ProvisionedStatus ProvisionedStatus
	// Reserved is the reserved concurrency; nil when the function has none.
	Reserved *uint32
}

// Stats are counters since the region (or function) was created. They saturate.
type Stats struct {
	Requests          uint64 // requests made (started + throttled)
	Invocations       uint64 // invocations started
	WarmStarts        uint64 // warm starts
	ProvisionedStarts uint64 // starts on an idle provisioned environment
	PartialColdStarts uint64 // partial cold starts
	FullColdStarts    uint64 // full cold starts
	// Spillover is the invocations of a function with provisioned
	// concurrency that ran on on-demand environments.
	Spillover uint64
	// Throttles are the throttles by reason, indexed by ThrottleReason.
	Throttles      [ThrottleReasonCount]uint64
	Succeeded      uint64 // invocations that ended successfully
	Errors         uint64 // ended in error (function error, timeout, crash, failed init)
	Timeouts       uint64 // of Errors, the timeouts
	EnvsCreated    uint64 // environments created (on-demand and provisioned)
	EnvsTerminated uint64 // environments terminated
	InitFailures   uint64 // initializations that failed (an on-demand init over 10 s is retried in the invoke, not counted)
}

// ThrottlesTotal returns the throttles of every reason.
func (s *Stats) ThrottlesTotal() uint64 {
	var n uint64
	for _, t := range s.Throttles {
		n += t
	}
	return n
}

func statsFromC(c *C.lsim_stats) Stats {
	s := Stats{
		Requests:          uint64(c.requests),
		Invocations:       uint64(c.invocations),
		WarmStarts:        uint64(c.warm_starts),
		ProvisionedStarts: uint64(c.provisioned_starts),
		PartialColdStarts: uint64(c.partial_cold_starts),
		FullColdStarts:    uint64(c.full_cold_starts),
		Spillover:         uint64(c.spillover),
		Succeeded:         uint64(c.succeeded),
		Errors:            uint64(c.errors),
		Timeouts:          uint64(c.timeouts),
		EnvsCreated:       uint64(c.envs_created),
		EnvsTerminated:    uint64(c.envs_terminated),
		InitFailures:      uint64(c.init_failures),
	}
	for i := range s.Throttles {
		s.Throttles[i] = uint64(c.throttles[i])
	}
	return s
}

// RegionCounts are the account-wide concurrency counts at one instant.
type RegionCounts struct {
	// Busy is the busy environments in the account (ConcurrentExecutions).
	Busy uint64
	// Live is the live environments (not shutting down or terminated).
	Live uint64
	// UnreservedInUse is the busy on-demand environments of functions
	// without reserved concurrency (UnreservedConcurrentExecutions).
	UnreservedInUse uint64
	// UnreservedPool is account limit - sum of reserved - sum of
	// provisioned of functions without reserved concurrency.
	UnreservedPool uint64
	// Claimed is the claimed account concurrency (ClaimedAccountConcurrency).
	Claimed uint64
}

// Occupancy is live and busy environments integrated over time, with the
// busy peaks: what averages like avg_instances and CloudWatch's per-period
// maxima need ([Region.Occupancy], [Region.FunctionOccupancy]).
type Occupancy struct {
	// Live is the number of live environments now.
	Live uint32
	// Busy is the number of busy environments now (cold-starting ones included).
	Busy uint32
	// BusyPeak is the most busy environments ever.
	BusyPeak uint32
	// WindowPeak is the most busy environments since the window was last
	// taken ([Region.TakeBusyWindowPeak]).
	WindowPeak uint32
	// LiveEnvUs is the integral of live environments over time, in
	// environment·µs, up to SinceUs. It may exceed 64 bits.
	LiveEnvUs *big.Int
	// BusyEnvUs is the integral of busy environments over time, in
	// environment·µs, up to SinceUs. It may exceed 64 bits.
	BusyEnvUs *big.Int
	// SinceUs is the instant the integrals run up to (the region's clock).
	SinceUs uint64
	// AvgLive is the time-averaged live environments from 0 to SinceUs (0
	// when SinceUs is 0).
	AvgLive float64
	// AvgBusy is the time-averaged busy environments from 0 to SinceUs (0
	// when SinceUs is 0).
	AvgBusy float64
}

func occupancyFromC(c *C.lsim_occupancy) Occupancy {
	return Occupancy{
		Live:       uint32(c.live),
		Busy:       uint32(c.busy),
		BusyPeak:   uint32(c.busy_peak),
		WindowPeak: uint32(c.window_peak),
		LiveEnvUs:  u128(uint64(c.live_env_us.hi), uint64(c.live_env_us.lo)),
		BusyEnvUs:  u128(uint64(c.busy_env_us.hi), uint64(c.busy_env_us.lo)),
		SinceUs:    uint64(c.since_us),
		AvgLive:    float64(c.avg_live),
		AvgBusy:    float64(c.avg_busy),
	}
}
