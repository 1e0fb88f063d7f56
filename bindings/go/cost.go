package lambdasim

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#include <stdlib.h>
#include "lambdasim.h"
*/
import "C"

import (
	"fmt"
	"math/big"
	"unsafe"
)

// ---- enumerations of the cost model ------------------------------------------------

// Architecture is a function's instruction-set architecture (prices differ).
type Architecture uint32

// Architectures.
const (
	// ArchX86_64 is x86_64. The default.
	ArchX86_64 Architecture = C.LSIM_ARCH_X86_64
	// ArchArm64 is arm64 (Graviton).
	ArchArm64 Architecture = C.LSIM_ARCH_ARM64
	// ArchNone marks a [BillLine] that is not per architecture (requests,
	// ephemeral storage). Never accepted as an input.
	ArchNone Architecture = C.LSIM_ARCH_NONE
)

// String returns "x86_64", "arm64" or "none" (lsim_architecture_str);
// "Architecture(N)" for an unknown value.
func (a Architecture) String() string {
	return name(C.lsim_architecture_str(C.uint32_t(a)), "Architecture", uint32(a))
}

// Granularity is how billed duration rounds up per invocation.
type Granularity uint32

// Granularities.
const (
	// Granularity1ms rounds up to 1 ms (since December 2020). The default.
	Granularity1ms Granularity = C.LSIM_GRANULARITY_1MS
	// Granularity100ms rounds up to 100 ms (before December 2020).
	Granularity100ms Granularity = C.LSIM_GRANULARITY_100MS
)

// String returns "1ms" or "100ms"; "Granularity(N)" for an unknown value.
func (g Granularity) String() string {
	switch g {
	case Granularity1ms:
		return "1ms"
	case Granularity100ms:
		return "100ms"
	}
	return fmt.Sprintf("Granularity(%d)", uint32(g))
}

// UsageClass says whether usage ran on provisioned concurrency.
type UsageClass uint32

// Usage classes.
const (
	// UsageOnDemand is on-demand environments, including spillover. The default.
	UsageOnDemand UsageClass = C.LSIM_USAGE_ON_DEMAND
	// UsageProvisioned is provisioned environments (no free tier).
	UsageProvisioned UsageClass = C.LSIM_USAGE_PROVISIONED
)

// PriceBook selects a region's prices.
type PriceBook uint32

// Price books.
const (
	// PricesUSEast1 is us-east-1 today (docs/model.md §5, tiered duration). The default.
	PricesUSEast1 PriceBook = C.LSIM_PRICES_US_EAST_1
	// PricesUSEast1_2020 is the 100 ms era: x86_64 duration at a flat
	// 0.00001667 per GB-s, otherwise as PricesUSEast1.
	PricesUSEast1_2020 PriceBook = C.LSIM_PRICES_US_EAST_1_2020
)

// LineKind is what a bill line charges for.
type LineKind uint32

// Line kinds, in a bill's order.
const (
	// LineRequests: requests billed after the free tier.
	LineRequests LineKind = C.LSIM_LINE_REQUESTS
	// LineDuration: on-demand duration (MB·ms billed after the free tier).
	LineDuration LineKind = C.LSIM_LINE_DURATION
	// LineProvisionedConcurrency: provisioned concurrency allocated (MB·ms).
	LineProvisionedConcurrency LineKind = C.LSIM_LINE_PROVISIONED_CONCURRENCY
	// LineProvisionedDuration: duration on provisioned concurrency (MB·ms).
	LineProvisionedDuration LineKind = C.LSIM_LINE_PROVISIONED_DURATION
	// LineEphemeralStorage: ephemeral storage above 512 MB (MB·ms).
	LineEphemeralStorage LineKind = C.LSIM_LINE_EPHEMERAL_STORAGE
)

// String returns "Requests", "Duration", "Provisioned Concurrency",
// "Provisioned Duration" or "Ephemeral Storage" (lsim_line_kind_str);
// "LineKind(N)" for an unknown value.
func (k LineKind) String() string {
	return name(C.lsim_line_kind_str(C.uint32_t(k)), "LineKind", uint32(k))
}

// ---- money -----------------------------------------------------------------------------

// Money is an exact, non-negative amount of US dollars, counted in atoms of
// 1e-10 USD / 1 024 000 (so every price times every usage is an integer).
// The zero value is $0.
type Money struct {
	hi, lo uint64
}

// MoneyFromAtoms returns the amount of `atoms` atoms; false when atoms is
// negative or past 128 bits.
func MoneyFromAtoms(atoms *big.Int) (Money, bool) {
	if atoms.Sign() < 0 || atoms.BitLen() > 128 {
		return Money{}, false
	}
	lo := new(big.Int).And(atoms, new(big.Int).SetUint64(^uint64(0)))
	hi := new(big.Int).Rsh(atoms, 64)
	return Money{hi: hi.Uint64(), lo: lo.Uint64()}, true
}

func moneyFromC(m C.lsim_money) Money {
	return Money{hi: uint64(m.atoms.hi), lo: uint64(m.atoms.lo)}
}

func (m Money) toC() C.lsim_money {
	return C.lsim_money{atoms: C.lsim_u128{hi: C.uint64_t(m.hi), lo: C.uint64_t(m.lo)}}
}

// Atoms returns the amount in atoms (1e-10 USD / 1 024 000).
func (m Money) Atoms() *big.Int {
	return u128(m.hi, m.lo)
}

// IsZero reports whether the amount is $0.
func (m Money) IsZero() bool { return m.hi == 0 && m.lo == 0 }

// Cmp compares two amounts: -1, 0 or +1.
func (m Money) Cmp(o Money) int { return m.Atoms().Cmp(o.Atoms()) }

// atomsPerCent is 1 024 000 × 1e8.
var atomsPerCent = big.NewInt(102_400_000_000_000)

// Cents returns the amount rounded to whole cents, half a cent up (as AWS
// rounds each line). Any amount's cents fit in a *big.Int; a bill's do in
// a uint64 ([Bill].TotalCents).
func (m Money) Cents() *big.Int {
	q, r := new(big.Int).QuoRem(m.Atoms(), atomsPerCent, new(big.Int))
	if new(big.Int).Lsh(r, 1).Cmp(atomsPerCent) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// String returns the exact dollars, e.g. "2.7333380000": at least ten
// fractional digits, up to 23, trailing zeros past the tenth trimmed
// (lsim_money_format).
func (m Money) String() string {
	return formatMoney(m, false)
}

// Dollars returns the amount rounded to cents without a currency sign, e.g.
// "2.73" (lsim_money_format_cents).
func (m Money) Dollars() string {
	return formatMoney(m, true)
}

func formatMoney(m Money, cents bool) string {
	var buf [64]C.char
	var n C.size_t
	var st C.lsim_status
	if cents {
		st = C.lsim_money_format_cents(m.toC(), &buf[0], C.size_t(len(buf)), &n)
	} else {
		st = C.lsim_money_format(m.toC(), &buf[0], C.size_t(len(buf)), &n)
	}
	if Status(st) != StatusOK {
		return "Money(" + m.Atoms().String() + " atoms)" // cannot happen: 64 bytes hold any amount
	}
	return C.GoString(&buf[0])
}

func u128(hi, lo uint64) *big.Int {
	v := new(big.Int).SetUint64(hi)
	v.Lsh(v, 64)
	return v.Or(v, new(big.Int).SetUint64(lo))
}

// ---- bills ---------------------------------------------------------------------------------

// BillLine is one line of a [Bill].
type BillLine struct {
	// Kind is what the line charges for.
	Kind LineKind
	// Architecture is ArchX86_64 or ArchArm64 for per-architecture lines,
	// ArchNone for requests and ephemeral storage.
	Architecture Architecture
	// Quantity is requests, or MB·ms (divide by 1 024 000 for GB-s). It
	// may exceed 64 bits.
	Quantity *big.Int
	// Cents is the amount rounded to cents (half up), as AWS shows it.
	Cents uint64
	// Amount is the exact amount.
	Amount Money
}

// Bill is a month's bill: the lines with a non-zero quantity in a fixed
// order (requests; per architecture, x86_64 first: duration, provisioned
// concurrency, provisioned duration; ephemeral storage), the total as AWS
// shows it (the sum of the rounded lines) and the exact total.
type Bill struct {
	Lines      []BillLine
	TotalCents uint64
	Exact      Money
}

func billFromC(b *C.lsim_bill) Bill {
	out := Bill{TotalCents: uint64(b.total_cents), Exact: moneyFromC(b.exact_total)}
	n := int(b.line_count)
	if n > len(b.lines) {
		n = len(b.lines)
	}
	out.Lines = make([]BillLine, 0, n)
	for i := 0; i < n; i++ {
		l := &b.lines[i]
		out.Lines = append(out.Lines, BillLine{
			Kind:         LineKind(l.kind),
			Architecture: Architecture(l.architecture),
			Quantity:     u128(uint64(l.quantity.hi), uint64(l.quantity.lo)),
			Cents:        uint64(l.cents),
			Amount:       moneyFromC(l.amount),
		})
	}
	return out
}

// InvocationUsage is a batch of identical invocations for [BillUsage].
// Start from [DefaultInvocationUsage].
type InvocationUsage struct {
	// Architecture is ArchX86_64 (default) or ArchArm64.
	Architecture Architecture
	// MemoryMB is the memory, 128..=10240. Default 128.
	MemoryMB uint32
	// EphemeralMB is the /tmp size, 512..=10240. Default 512.
	EphemeralMB uint32
	// Class is UsageOnDemand (default) or UsageProvisioned.
	Class UsageClass
	// Granularity is Granularity1ms (default) or Granularity100ms.
	Granularity Granularity
	// Requests is the number of invocations.
	Requests uint64
	// DurationUs is each invocation's duration, billed per invocation
	// rounded up at the granularity.
	DurationUs uint64
}

// DefaultInvocationUsage returns the defaults of lsim_invocation_usage_default.
func DefaultInvocationUsage() InvocationUsage {
	var c C.lsim_invocation_usage
	C.lsim_invocation_usage_default(&c)
	return InvocationUsage{
		Architecture: Architecture(c.architecture),
		MemoryMB:     uint32(c.memory_mb),
		EphemeralMB:  uint32(c.ephemeral_mb),
		Class:        UsageClass(c.usage_class),
		Granularity:  Granularity(c.granularity),
		Requests:     uint64(c.requests),
		DurationUs:   uint64(c.duration_us),
	}
}

func (u *InvocationUsage) toC() C.lsim_invocation_usage {
	return C.lsim_invocation_usage{
		struct_size:  C.uint32_t(C.sizeof_lsim_invocation_usage),
		architecture: C.uint32_t(u.Architecture),
		memory_mb:    C.uint32_t(u.MemoryMB),
		ephemeral_mb: C.uint32_t(u.EphemeralMB),
		usage_class:  C.uint32_t(u.Class),
		granularity:  C.uint32_t(u.Granularity),
		requests:     C.uint64_t(u.Requests),
		duration_us:  C.uint64_t(u.DurationUs),
	}
}

// ProvisionedUsage is provisioned concurrency configured for a while, for
// [BillUsage]. Start from [DefaultProvisionedUsage].
type ProvisionedUsage struct {
	// Architecture is ArchX86_64 (default) or ArchArm64.
	Architecture Architecture
	// MemoryMB is the memory, 128..=10240. Default 128.
	MemoryMB uint32
	// Provisioned is the provisioned concurrency.
	Provisioned uint32
	// EnabledUs is the time from enable to disable, billed rounded up to 5 minutes.
	EnabledUs uint64
}

// DefaultProvisionedUsage returns the defaults of lsim_provisioned_usage_default.
func DefaultProvisionedUsage() ProvisionedUsage {
	var c C.lsim_provisioned_usage
	C.lsim_provisioned_usage_default(&c)
	return ProvisionedUsage{
		Architecture: Architecture(c.architecture),
		MemoryMB:     uint32(c.memory_mb),
		Provisioned:  uint32(c.provisioned),
		EnabledUs:    uint64(c.enabled_us),
	}
}

func (p *ProvisionedUsage) toC() C.lsim_provisioned_usage {
	return C.lsim_provisioned_usage{
		struct_size:  C.uint32_t(C.sizeof_lsim_provisioned_usage),
		architecture: C.uint32_t(p.Architecture),
		memory_mb:    C.uint32_t(p.MemoryMB),
		provisioned:  C.uint32_t(p.Provisioned),
		enabled_us:   C.uint64_t(p.EnabledUs),
	}
}

func flag(b bool) C.uint32_t {
	if b {
		return 1
	}
	return 0
}

// BillUsage bills a month of usage described directly: batches of
// invocations and provisioned-concurrency spans, at the given prices, with
// the free tier (1 M requests and 400 000 GB-s, never for usage on
// provisioned concurrency) when freeTier is true.
//
// Errors: [ErrInvalidArgument] (unknown enumeration value),
// [ErrMemoryBelowMinimum], [ErrMemoryAboveMaximum],
// [ErrEphemeralOutOfRange], [ErrOverflow] (a total too large to represent
// exactly, or one that does not fit 64-bit cents).
func BillUsage(items []InvocationUsage, spans []ProvisionedUsage, prices PriceBook, freeTier bool) (Bill, error) {
	ci := make([]C.lsim_invocation_usage, len(items))
	for i := range items {
		ci[i] = items[i].toC()
	}
	cs := make([]C.lsim_provisioned_usage, len(spans))
	for i := range spans {
		cs[i] = spans[i].toC()
	}
	var ip *C.lsim_invocation_usage
	if len(ci) > 0 {
		ip = &ci[0]
	}
	var sp *C.lsim_provisioned_usage
	if len(cs) > 0 {
		sp = &cs[0]
	}
	var out C.lsim_bill
	st := C.lsim_bill_usage(ip, C.size_t(len(ci)), sp, C.size_t(len(cs)), C.uint32_t(prices), flag(freeTier), &out)
	if err := statusError("BillUsage", st); err != nil {
		return Bill{}, err
	}
	return billFromC(&out), nil
}

// Bill returns the bill of everything the region metered so far, treated as
// one month: finished invocations (billed from their billable start,
// rounded per invocation at the region's Granularity, on provisioned or
// on-demand prices) and provisioned concurrency from enable to disable
// (open spans up to the region's clock), each span rounded up to 5 minutes.
//
// Errors: [ErrInvalidArgument], [ErrOverflow], [ErrClosed].
func (r *Region) Bill(prices PriceBook, freeTier bool) (Bill, error) {
	var out C.lsim_bill
	err := r.call("Bill", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_region_bill(h, C.uint32_t(prices), flag(freeTier), &out)
	})
	if err != nil {
		return Bill{}, err
	}
	return billFromC(&out), nil
}

// FunctionBill is [Region.Bill] for one function's usage alone.
//
// Errors: as [Region.Bill], plus [ErrUnknownFunction].
func (r *Region) FunctionBill(fn Function, prices PriceBook, freeTier bool) (Bill, error) {
	var out C.lsim_bill
	err := r.call("FunctionBill", func(h *C.lsim_region) C.lsim_status {
		return C.lsim_function_bill(h, fn.toC(), C.uint32_t(prices), flag(freeTier), &out)
	})
	if err != nil {
		return Bill{}, err
	}
	return billFromC(&out), nil
}

// ---- memory and CPU --------------------------------------------------------------------------

// VisibleCores returns the vCPUs a function with memoryMB sees:
// min(6, ceil(mb / 1769)).
//
// Errors: [ErrMemoryBelowMinimum], [ErrMemoryAboveMaximum].
func VisibleCores(memoryMB uint32) (uint32, error) {
	var out C.uint32_t
	if err := statusError("VisibleCores", C.lsim_visible_cores(C.uint32_t(memoryMB), &out)); err != nil {
		return 0, err
	}
	return uint32(out), nil
}

// DurationProfile is a handler's work for the memory-to-CPU model (docs/model.md §3).
type DurationProfile struct {
	// IOUs is time spent waiting, unaffected by CPU, µs.
	IOUs uint64
	// CPUUs is the CPU time at one full vCPU, µs.
	CPUUs uint64
	// Threads is how many threads the CPU work can use (0 is treated as 1).
	Threads uint32
}

func (p *DurationProfile) toC() C.lsim_duration_profile {
	return C.lsim_duration_profile{
		struct_size: C.uint32_t(C.sizeof_lsim_duration_profile),
		io_us:       C.uint64_t(p.IOUs),
		cpu_us:      C.uint64_t(p.CPUUs),
		threads:     C.uint32_t(p.Threads),
	}
}

// DurationAt returns the profile's duration at memoryMB in µs:
// IOUs + CPUUs / min(Threads, cores, mb/1769), rounded up (saturating).
//
// Errors: [ErrMemoryBelowMinimum], [ErrMemoryAboveMaximum].
func DurationAt(p DurationProfile, memoryMB uint32) (uint64, error) {
	c := p.toC()
	var out C.uint64_t
	if err := statusError("DurationAt", C.lsim_duration_at(&c, C.uint32_t(memoryMB), &out)); err != nil {
		return 0, err
	}
	return uint64(out), nil
}

// ---- power tuning ------------------------------------------------------------------------------

// Strategy is how power tuning picks a memory size.
type Strategy uint32

// Strategies.
const (
	// StrategyCost picks the cheapest; ties go to the faster, then the
	// smaller memory. The default.
	StrategyCost Strategy = C.LSIM_STRATEGY_COST
	// StrategySpeed picks the fastest; ties go to the cheaper, then the
	// smaller memory.
	StrategySpeed Strategy = C.LSIM_STRATEGY_SPEED
	// StrategyBalanced minimizes w·cost/max_cost + (1−w)·duration/max_duration
	// with w = WeightPPM / 1 000 000, compared exactly.
	StrategyBalanced Strategy = C.LSIM_STRATEGY_BALANCED
)

// MemoryList selects the memory sizes a tuning run tries.
type MemoryList uint32

// Memory lists.
const (
	// MemoryListDefault is the power-tuning tool's [128, 256, 512, 1024,
	// 1536, 3008]. The default.
	MemoryListDefault MemoryList = C.LSIM_MEMORY_LIST_DEFAULT
	// MemoryListAll is every size, 128..=10240 MB (10 113 sizes).
	MemoryListAll MemoryList = C.LSIM_MEMORY_LIST_ALL
	// MemoryListCustom is [TuneOptions].Memories, in that order.
	MemoryListCustom MemoryList = C.LSIM_MEMORY_LIST_CUSTOM
)

// TuneOptions are the settings of a tuning run. Start from
// [DefaultTuneOptions].
type TuneOptions struct {
	// MemoryList selects the sizes ([TuneProfile] only).
	MemoryList MemoryList
	// Memories are the sizes of MemoryListCustom, MB.
	Memories []uint32
	// Strategy is StrategyCost (default), StrategySpeed or StrategyBalanced.
	Strategy Strategy
	// WeightPPM is the balanced weight w in millionths, 0..=1 000 000
	// (checked with every strategy). Default 500 000.
	WeightPPM uint32
	// Architecture is ArchX86_64 (default) or ArchArm64.
	Architecture Architecture
	// Prices is PricesUSEast1 (default) or PricesUSEast1_2020.
	Prices PriceBook
	// Granularity is Granularity1ms (default) or Granularity100ms.
	Granularity Granularity
	// ConfiguredTimeoutMs is the function's timeout (1..=900 000), for the
	// timeout advice. Default 3000.
	ConfiguredTimeoutMs uint32
}

// DefaultTuneOptions returns the defaults of lsim_tune_request_default.
func DefaultTuneOptions() TuneOptions {
	var c C.lsim_tune_request
	C.lsim_tune_request_default(&c)
	return TuneOptions{
		MemoryList:          MemoryList(c.memory_list),
		Strategy:            Strategy(c.strategy),
		WeightPPM:           uint32(c.weight_ppm),
		Architecture:        Architecture(c.architecture),
		Prices:              PriceBook(c.prices),
		Granularity:         Granularity(c.granularity),
		ConfiguredTimeoutMs: uint32(c.configured_timeout_ms),
	}
}

// Candidate is one evaluated memory size.
type Candidate struct {
	// MemoryMB is the memory size.
	MemoryMB uint32
	// DurationUs is the duration at this size (profile, or trimmed mean of
	// the samples).
	DurationUs uint64
	// BilledMs is that duration's billed ms at the run's granularity.
	BilledMs uint64
	// Cost is one invocation's cost: the request plus tier-1 duration.
	Cost Money
}

func candidateFromC(c *C.lsim_tune_candidate) Candidate {
	return Candidate{
		MemoryMB:   uint32(c.memory_mb),
		DurationUs: uint64(c.duration_us),
		BilledMs:   uint64(c.billed_ms),
		Cost:       moneyFromC(c.cost),
	}
}

// TimeoutAdvice is a timeout recommendation for the picked size.
type TimeoutAdvice struct {
	// P99Us is the 99th-percentile duration at the pick: the pick's
	// duration for a profile, the nearest-rank p99 of its samples otherwise.
	P99Us uint64
	// RecommendedMs is p99 plus 50 %, rounded up to whole seconds, within 1..=900 s.
	RecommendedMs uint32
	// CutsTail: the configured timeout is below p99.
	CutsTail bool
	// ExceedsMax: even 900 s does not cover p99 plus the margin.
	ExceedsMax bool
}

// Tuned is the outcome of a tuning run.
type Tuned struct {
	// Candidates are every evaluated size, in list order.
	Candidates []Candidate
	// Pick is the chosen candidate.
	Pick Candidate
	// MaxCost and MaxDurationUs normalise the balanced score.
	MaxCost       Money
	MaxDurationUs uint64
	// Timeout is the timeout advice for the pick.
	Timeout TimeoutAdvice
}

func tunedFrom(cands []C.lsim_tune_candidate, r *C.lsim_tune_result) Tuned {
	t := Tuned{
		Candidates:    make([]Candidate, len(cands)),
		Pick:          candidateFromC(&r.pick),
		MaxCost:       moneyFromC(r.max_cost),
		MaxDurationUs: uint64(r.max_duration_us),
		Timeout: TimeoutAdvice{
			P99Us:         uint64(r.p99_us),
			RecommendedMs: uint32(r.recommended_timeout_ms),
			CutsTail:      r.cuts_tail != 0,
			ExceedsMax:    r.exceeds_max != 0,
		},
	}
	for i := range cands {
		t.Candidates[i] = candidateFromC(&cands[i])
	}
	return t
}

// cU32s copies values into C memory (nil for none): a C struct passed to C
// may hold no Go pointer. Free it with C.free.
func cU32s(values []uint32) *C.uint32_t {
	if len(values) == 0 {
		return nil
	}
	p := (*C.uint32_t)(C.malloc(C.size_t(len(values)) * C.size_t(unsafe.Sizeof(C.uint32_t(0)))))
	copy(unsafe.Slice(p, len(values)), *(*[]C.uint32_t)(unsafe.Pointer(&values)))
	return p
}

func cU64s(values []uint64) *C.uint64_t {
	if len(values) == 0 {
		return nil
	}
	p := (*C.uint64_t)(C.malloc(C.size_t(len(values)) * C.size_t(unsafe.Sizeof(C.uint64_t(0)))))
	copy(unsafe.Slice(p, len(values)), *(*[]C.uint64_t)(unsafe.Pointer(&values)))
	return p
}

// tune runs a tuning call twice: a size query, then into a buffer of that size.
func tune(op string, call func(out *C.lsim_tune_candidate, n C.size_t, count *C.size_t, res *C.lsim_tune_result) C.lsim_status) (Tuned, error) {
	var count C.size_t
	var res C.lsim_tune_result
	st := call(nil, 0, &count, &res)
	if Status(st) != StatusBufferTooSmall {
		if Status(st) == StatusOK {
			st = C.LSIM_STATUS_INTERNAL // no candidates cannot succeed
		}
		return Tuned{}, statusError(op, st)
	}
	cands := make([]C.lsim_tune_candidate, int(count))
	if err := statusError(op, call(&cands[0], count, &count, &res)); err != nil {
		return Tuned{}, err
	}
	return tunedFrom(cands[:int(count)], &res), nil
}

// TuneProfile power-tunes a duration profile (docs/model.md §6) over opts'
// memory list: each candidate's duration by the memory-to-CPU model, its
// cost as one invocation, the pick by opts.Strategy, and timeout advice.
//
// Errors: [ErrInvalidArgument] (unknown enumeration value, empty custom
// list, WeightPPM above 1 000 000), [ErrMemoryBelowMinimum],
// [ErrMemoryAboveMaximum], [ErrTimeoutOutOfRange], [ErrOverflow].
func TuneProfile(p DurationProfile, opts TuneOptions) (Tuned, error) {
	req := C.lsim_tune_request{
		struct_size:           C.uint32_t(C.sizeof_lsim_tune_request),
		profile:               p.toC(),
		memory_list:           C.uint32_t(opts.MemoryList),
		memory_count:          C.size_t(len(opts.Memories)),
		strategy:              C.uint32_t(opts.Strategy),
		weight_ppm:            C.uint32_t(opts.WeightPPM),
		architecture:          C.uint32_t(opts.Architecture),
		prices:                C.uint32_t(opts.Prices),
		granularity:           C.uint32_t(opts.Granularity),
		configured_timeout_ms: C.uint32_t(opts.ConfiguredTimeoutMs),
	}
	req.memories = cU32s(opts.Memories)
	defer C.free(unsafe.Pointer(req.memories))
	return tune("TuneProfile", func(out *C.lsim_tune_candidate, n C.size_t, count *C.size_t, res *C.lsim_tune_result) C.lsim_status {
		return C.lsim_tune_profile(&req, out, n, count, res)
	})
}

// MemorySamples are measured durations at one memory size.
type MemorySamples struct {
	// MemoryMB is the memory size.
	MemoryMB uint32
	// DurationsUs are the measured durations (at least 5), µs. They are
	// copied, never reordered.
	DurationsUs []uint64
}

// TuneSamples power-tunes measured samples (docs/model.md §6): each size's duration
// is the trimmed mean dropping the top and bottom 20 %; candidates and the
// pick as [TuneProfile] (opts.MemoryList and opts.Memories are not used),
// the timeout advice from the picked size's samples.
//
// Errors: as [TuneProfile], plus [ErrTooFewSamples] and
// [ErrInvalidArgument] for no sizes.
func TuneSamples(samples []MemorySamples, opts TuneOptions) (Tuned, error) {
	var sizes *C.lsim_memory_samples
	if len(samples) > 0 {
		sizes = (*C.lsim_memory_samples)(C.calloc(C.size_t(len(samples)), C.size_t(C.sizeof_lsim_memory_samples)))
		defer C.free(unsafe.Pointer(sizes))
	}
	entries := unsafe.Slice(sizes, len(samples))
	for i, s := range samples {
		entries[i] = C.lsim_memory_samples{
			memory_mb:    C.uint32_t(s.MemoryMB),
			durations_us: cU64s(s.DurationsUs),
			count:        C.size_t(len(s.DurationsUs)),
		}
		defer C.free(unsafe.Pointer(entries[i].durations_us))
	}
	req := C.lsim_tune_samples_request{
		struct_size:           C.uint32_t(C.sizeof_lsim_tune_samples_request),
		sizes:                 sizes,
		size_count:            C.size_t(len(samples)),
		strategy:              C.uint32_t(opts.Strategy),
		weight_ppm:            C.uint32_t(opts.WeightPPM),
		architecture:          C.uint32_t(opts.Architecture),
		prices:                C.uint32_t(opts.Prices),
		granularity:           C.uint32_t(opts.Granularity),
		configured_timeout_ms: C.uint32_t(opts.ConfiguredTimeoutMs),
	}
	return tune("TuneSamples", func(out *C.lsim_tune_candidate, n C.size_t, count *C.size_t, res *C.lsim_tune_result) C.lsim_status {
		return C.lsim_tune_samples(&req, out, n, count, res)
	})
}
