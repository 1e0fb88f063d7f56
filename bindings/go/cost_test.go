package lambdasim_test

import (
	"math/big"
	"slices"
	"testing"

	"lambdasim"
)

func usage(memoryMB uint32, requests, durationUs uint64) lambdasim.InvocationUsage {
	u := lambdasim.DefaultInvocationUsage()
	u.MemoryMB, u.Requests, u.DurationUs = memoryMB, requests, durationUs
	return u
}

func TestCostDefaultsAndNames(t *testing.T) {
	u := lambdasim.DefaultInvocationUsage()
	if u.Architecture != lambdasim.ArchX86_64 || u.MemoryMB != 128 || u.EphemeralMB != 512 ||
		u.Class != lambdasim.UsageOnDemand || u.Granularity != lambdasim.Granularity1ms || u.Requests != 0 {
		t.Errorf("DefaultInvocationUsage() = %+v", u)
	}
	if p := lambdasim.DefaultProvisionedUsage(); p.MemoryMB != 128 || p.Provisioned != 0 || p.EnabledUs != 0 {
		t.Errorf("DefaultProvisionedUsage() = %+v", p)
	}
	o := lambdasim.DefaultTuneOptions()
	if o.Strategy != lambdasim.StrategyCost || o.WeightPPM != 500_000 || o.ConfiguredTimeoutMs != 3000 ||
		o.MemoryList != lambdasim.MemoryListDefault || o.Prices != lambdasim.PricesUSEast1 {
		t.Errorf("DefaultTuneOptions() = %+v", o)
	}
	for _, c := range []struct{ got, want string }{
		{lambdasim.ArchX86_64.String(), "x86_64"},
		{lambdasim.ArchArm64.String(), "arm64"},
		{lambdasim.ArchNone.String(), "none"},
		{lambdasim.Architecture(7).String(), "Architecture(7)"},
		{lambdasim.Granularity1ms.String(), "1ms"},
		{lambdasim.Granularity100ms.String(), "100ms"},
		{lambdasim.Granularity(2).String(), "Granularity(2)"},
		{lambdasim.LineRequests.String(), "Requests"},
		{lambdasim.LineProvisionedConcurrency.String(), "Provisioned Concurrency"},
		{lambdasim.LineEphemeralStorage.String(), "Ephemeral Storage"},
		{lambdasim.LineKind(9).String(), "LineKind(9)"},
		{lambdasim.StatusOverflow.Name(), "Overflow"},
		{lambdasim.StatusTooFewSamples.String(), "LSIM_STATUS_TOO_FEW_SAMPLES"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestMoney(t *testing.T) {
	var zero lambdasim.Money
	if zero.String() != "0.0000000000" || zero.Dollars() != "0.00" || !zero.IsZero() || zero.Cents().Sign() != 0 {
		t.Errorf("zero money: %s %s", zero, zero.Dollars())
	}
	atom, ok := lambdasim.MoneyFromAtoms(big.NewInt(1))
	if !ok || atom.String() != "0.00000000000000009765625" || atom.Dollars() != "0.00" {
		t.Errorf("one atom: %s", atom)
	}
	half, _ := lambdasim.MoneyFromAtoms(big.NewInt(51_200_000_000_000)) // half a cent
	if half.Cents().Int64() != 1 || half.Dollars() != "0.01" {
		t.Errorf("half a cent rounds up: %s cents", half.Cents())
	}
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	m, ok := lambdasim.MoneyFromAtoms(max)
	if !ok || m.Atoms().Cmp(max) != 0 || m.Cents().BitLen() <= 64 {
		t.Errorf("2^128 - 1 atoms: %v, %s", ok, m.Atoms())
	}
	if _, ok := lambdasim.MoneyFromAtoms(new(big.Int).Lsh(big.NewInt(1), 128)); ok {
		t.Error("2^128 atoms accepted")
	}
	if _, ok := lambdasim.MoneyFromAtoms(big.NewInt(-1)); ok {
		t.Error("negative atoms accepted")
	}
	if atom.Cmp(half) != -1 || half.Cmp(atom) != 1 || half.Cmp(half) != 0 {
		t.Error("Cmp")
	}
}

func TestBillUsageSpecExamples(t *testing.T) {
	b, err := lambdasim.BillUsage([]lambdasim.InvocationUsage{usage(1536, 3_000_000, 120_000)}, nil, lambdasim.PricesUSEast1, true)
	if err != nil {
		t.Fatal(err)
	}
	if b.TotalCents != 273 || b.Exact.String() != "2.7333380000" || b.Exact.Dollars() != "2.73" || len(b.Lines) != 2 {
		t.Errorf("example 1: %+v", b)
	}
	if l := b.Lines[1]; l.Kind != lambdasim.LineDuration || l.Architecture != lambdasim.ArchX86_64 ||
		l.Quantity.Cmp(big.NewInt(140_000*1_024_000)) != 0 || l.Cents != 233 || l.Amount.Cents().Uint64() != 233 {
		t.Errorf("example 1 duration line: %+v", l)
	}
	if b.Lines[0].Architecture != lambdasim.ArchNone {
		t.Errorf("the requests line is not per architecture: %v", b.Lines[0].Architecture)
	}
	onPC := usage(1536, 500_000, 100_000)
	onPC.Class = lambdasim.UsageProvisioned
	pc := lambdasim.DefaultProvisionedUsage()
	pc.MemoryMB, pc.Provisioned, pc.EnabledUs = 1536, 100, 8*3_600_000_000
	b, err = lambdasim.BillUsage([]lambdasim.InvocationUsage{onPC, usage(1536, 2_500_000, 120_000)},
		[]lambdasim.ProvisionedUsage{pc}, lambdasim.PricesUSEast1, true)
	if err != nil || b.TotalCents != 1996 {
		t.Errorf("example 2: %v %+v", err, b)
	}
	old := usage(512, 3_000_000, 1_000_000)
	old.Granularity = lambdasim.Granularity100ms
	if b, err := lambdasim.BillUsage([]lambdasim.InvocationUsage{old}, nil, lambdasim.PricesUSEast1_2020, true); err != nil || b.TotalCents != 1874 {
		t.Errorf("example 4: %v %+v", err, b)
	}
	if b, err := lambdasim.BillUsage(nil, nil, lambdasim.PricesUSEast1, false); err != nil || len(b.Lines) != 0 || b.TotalCents != 0 {
		t.Errorf("no usage: %v %+v", err, b)
	}
}

func TestBillUsageErrors(t *testing.T) {
	ok := usage(128, 1, 1000)
	cases := []struct {
		name   string
		edit   func(*lambdasim.InvocationUsage)
		prices lambdasim.PriceBook
		want   error
	}{
		{"architecture 2", func(u *lambdasim.InvocationUsage) { u.Architecture = 2 }, lambdasim.PricesUSEast1, lambdasim.ErrInvalidArgument},
		{"ArchNone", func(u *lambdasim.InvocationUsage) { u.Architecture = lambdasim.ArchNone }, lambdasim.PricesUSEast1, lambdasim.ErrInvalidArgument},
		{"class 2", func(u *lambdasim.InvocationUsage) { u.Class = 2 }, lambdasim.PricesUSEast1, lambdasim.ErrInvalidArgument},
		{"granularity 2", func(u *lambdasim.InvocationUsage) { u.Granularity = 2 }, lambdasim.PricesUSEast1, lambdasim.ErrInvalidArgument},
		{"prices 2", func(*lambdasim.InvocationUsage) {}, 2, lambdasim.ErrInvalidArgument},
		{"memory 127", func(u *lambdasim.InvocationUsage) { u.MemoryMB = 127 }, lambdasim.PricesUSEast1, lambdasim.ErrMemoryBelowMinimum},
		{"memory 10241", func(u *lambdasim.InvocationUsage) { u.MemoryMB = 10241 }, lambdasim.PricesUSEast1, lambdasim.ErrMemoryAboveMaximum},
		{"ephemeral 511", func(u *lambdasim.InvocationUsage) { u.EphemeralMB = 511 }, lambdasim.PricesUSEast1, lambdasim.ErrEphemeralOutOfRange},
		{"overflow", func(u *lambdasim.InvocationUsage) {
			u.MemoryMB, u.Requests, u.DurationUs = 10240, ^uint64(0), ^uint64(0)
		}, lambdasim.PricesUSEast1, lambdasim.ErrOverflow},
	}
	for _, c := range cases {
		u := ok
		c.edit(&u)
		_, err := lambdasim.BillUsage([]lambdasim.InvocationUsage{ok, u}, nil, c.prices, false)
		wantErr(t, c.name, err, c.want)
	}
	span := lambdasim.DefaultProvisionedUsage()
	span.Architecture = 9
	_, err := lambdasim.BillUsage(nil, []lambdasim.ProvisionedUsage{span}, lambdasim.PricesUSEast1, false)
	wantErr(t, "span architecture", err, lambdasim.ErrInvalidArgument)
	// Huge but exact: a quantity past 64 bits.
	huge := usage(10240, 1_000_000_000_000, 900_000_000)
	b, err := lambdasim.BillUsage([]lambdasim.InvocationUsage{huge}, nil, lambdasim.PricesUSEast1, false)
	if err != nil || b.Lines[1].Quantity.String() != "9216000000000000000000" || b.TotalCents != 12_000_083_499_920 {
		t.Errorf("huge: %v %+v", err, b)
	}
}

func TestRegionBills(t *testing.T) {
	rc := lambdasim.DefaultRegionConfig()
	rc.Granularity = lambdasim.Granularity100ms
	rc.BillInit = false
	r, err := lambdasim.NewRegion(rc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cfg := lambdasim.DefaultFunctionConfig()
	cfg.Architecture = lambdasim.ArchArm64
	cfg.EphemeralMB = 1024
	cfg.MemoryMB = 1024
	f := mustCreate(t, r, 0, cfg)
	inv, err := r.Invoke(0, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Finish(inv.ReadyAtUs+150_000, inv, lambdasim.OutcomeSuccess); err != nil {
		t.Fatal(err)
	}
	b, err := r.Bill(lambdasim.PricesUSEast1, false)
	if err != nil {
		t.Fatal(err)
	}
	// Init not billed; 150 ms rounds up to 200 ms; arm64; 512 MB of /tmp above the free 512.
	if len(b.Lines) != 3 || b.Lines[1].Architecture != lambdasim.ArchArm64 ||
		b.Lines[1].Quantity.Int64() != 1024*200 || b.Lines[2].Quantity.Int64() != 512*200 {
		t.Errorf("region bill: %+v", b)
	}
	fb, err := r.FunctionBill(f, lambdasim.PricesUSEast1, false)
	if err != nil || fb.Exact != b.Exact || len(fb.Lines) != len(b.Lines) {
		t.Errorf("function bill: %v %+v", err, fb)
	}
	if free, err := r.Bill(lambdasim.PricesUSEast1, true); err != nil || len(free.Lines) != 1 {
		t.Errorf("free tier: %v %+v", err, free)
	}
	_, err = r.FunctionBill(lambdasim.Function{Index: 200, Generation: 1}, lambdasim.PricesUSEast1, false)
	wantErr(t, "unknown function", err, lambdasim.ErrUnknownFunction)
	_, err = r.Bill(7, false)
	wantErr(t, "unknown prices", err, lambdasim.ErrInvalidArgument)

	// Bad config values.
	bad := cfg
	bad.Architecture = 3
	_, err = r.CreateFunction(1_000_000, bad)
	wantErr(t, "architecture 3", err, lambdasim.ErrInvalidArgument)
	bad = cfg
	bad.EphemeralMB = 100
	_, err = r.CreateFunction(1_000_000, bad)
	wantErr(t, "ephemeral 100", err, lambdasim.ErrEphemeralOutOfRange)
	badRegion := lambdasim.DefaultRegionConfig()
	badRegion.Granularity = 5
	_, err = lambdasim.NewRegion(badRegion)
	wantErr(t, "granularity 5", err, lambdasim.ErrInvalidArgument)

	r.Close()
	_, err = r.Bill(lambdasim.PricesUSEast1, false)
	wantErr(t, "closed", err, lambdasim.ErrClosed)
	_, err = r.FunctionBill(f, lambdasim.PricesUSEast1, false)
	wantErr(t, "closed", err, lambdasim.ErrClosed)
}

func TestCPU(t *testing.T) {
	for _, c := range []struct{ mb, cores uint32 }{{128, 1}, {1769, 1}, {1770, 2}, {10240, 6}} {
		if got, err := lambdasim.VisibleCores(c.mb); err != nil || got != c.cores {
			t.Errorf("VisibleCores(%d) = %d, %v", c.mb, got, err)
		}
	}
	_, err := lambdasim.VisibleCores(127)
	wantErr(t, "127 MB", err, lambdasim.ErrMemoryBelowMinimum)
	p := lambdasim.DurationProfile{CPUUs: 1_000_000, Threads: 1}
	if d, err := lambdasim.DurationAt(p, 128); err != nil || d != 13_820_313 {
		t.Errorf("DurationAt(128) = %d, %v", d, err)
	}
	if d, err := lambdasim.DurationAt(lambdasim.DurationProfile{IOUs: 100_000, CPUUs: 6_000_000, Threads: 8}, 3538); err != nil || d != 3_100_000 {
		t.Errorf("DurationAt(3538) = %d, %v", d, err)
	}
	_, err = lambdasim.DurationAt(p, 10241)
	wantErr(t, "10241 MB", err, lambdasim.ErrMemoryAboveMaximum)
}

func TestTuneProfile(t *testing.T) {
	p := lambdasim.DurationProfile{CPUUs: 1_000_000, Threads: 1}
	opts := lambdasim.DefaultTuneOptions()
	opts.Strategy = lambdasim.StrategySpeed
	tuned, err := lambdasim.TuneProfile(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	mbs := make([]uint32, len(tuned.Candidates))
	for i, c := range tuned.Candidates {
		mbs[i] = c.MemoryMB
	}
	if !slices.Equal(mbs, []uint32{128, 256, 512, 1024, 1536, 3008}) {
		t.Errorf("default list: %v", mbs)
	}
	if tuned.Pick.MemoryMB != 3008 || tuned.Timeout.P99Us != 1_000_000 || tuned.Timeout.RecommendedMs != 2000 ||
		tuned.Timeout.CutsTail || tuned.Timeout.ExceedsMax || tuned.MaxDurationUs != 13_820_313 {
		t.Errorf("speed pick: %+v", tuned)
	}
	opts.MemoryList = lambdasim.MemoryListAll
	all, err := lambdasim.TuneProfile(p, opts)
	if err != nil || len(all.Candidates) != 10_113 || all.Pick.MemoryMB != 1769 {
		t.Errorf("every size: %v, %d candidates, pick %d", err, len(all.Candidates), all.Pick.MemoryMB)
	}
	// Speed ties go to the cheaper: every size from 1769 MB is as fast.
	opts.MemoryList, opts.Memories = lambdasim.MemoryListCustom, []uint32{3008, 10240, 1769, 2048}
	if got, err := lambdasim.TuneProfile(p, opts); err != nil || got.Pick.MemoryMB != 1769 {
		t.Errorf("speed tie: %v %+v", err, got.Pick)
	}
	// w = 0 is Speed and w = 1 is Cost.
	p = lambdasim.DurationProfile{IOUs: 40_000, CPUUs: 700_000, Threads: 3}
	opts.Memories = []uint32{128, 700, 1769, 3538, 5000, 10240}
	pick := func(s lambdasim.Strategy, w uint32) lambdasim.Candidate {
		o := opts
		o.Strategy, o.WeightPPM = s, w
		got, err := lambdasim.TuneProfile(p, o)
		if err != nil {
			t.Fatal(err)
		}
		return got.Pick
	}
	if pick(lambdasim.StrategyBalanced, 0) != pick(lambdasim.StrategySpeed, 0) {
		t.Error("w = 0 is not Speed")
	}
	if pick(lambdasim.StrategyBalanced, 1_000_000) != pick(lambdasim.StrategyCost, 0) {
		t.Error("w = 1 is not Cost")
	}
	errCases := []struct {
		name string
		edit func(*lambdasim.TuneOptions)
		want error
	}{
		{"weight", func(o *lambdasim.TuneOptions) { o.WeightPPM = 1_000_001 }, lambdasim.ErrInvalidArgument},
		{"strategy", func(o *lambdasim.TuneOptions) { o.Strategy = 3 }, lambdasim.ErrInvalidArgument},
		{"list", func(o *lambdasim.TuneOptions) { o.MemoryList = 3 }, lambdasim.ErrInvalidArgument},
		{"empty custom", func(o *lambdasim.TuneOptions) { o.Memories = nil }, lambdasim.ErrInvalidArgument},
		{"127 MB", func(o *lambdasim.TuneOptions) { o.Memories = []uint32{256, 127} }, lambdasim.ErrMemoryBelowMinimum},
		{"timeout", func(o *lambdasim.TuneOptions) { o.ConfiguredTimeoutMs = 0 }, lambdasim.ErrTimeoutOutOfRange},
		{"architecture", func(o *lambdasim.TuneOptions) { o.Architecture = lambdasim.ArchNone }, lambdasim.ErrInvalidArgument},
	}
	for _, c := range errCases {
		o := opts
		c.edit(&o)
		_, err := lambdasim.TuneProfile(p, o)
		wantErr(t, c.name, err, c.want)
	}
}

func TestTuneSamplesAndTieRules(t *testing.T) {
	opts := lambdasim.DefaultTuneOptions()
	opts.Granularity = lambdasim.Granularity100ms
	// Cost ties go to the faster: 150 ms and 110 ms both bill 200 ms at 128 MB.
	slow := []uint64{150_000, 150_000, 150_000, 150_000, 150_000}
	fast := []uint64{110_000, 110_000, 110_000, 110_000, 110_000}
	got, err := lambdasim.TuneSamples([]lambdasim.MemorySamples{{128, slow}, {128, fast}}, opts)
	if err != nil || got.Pick.DurationUs != 110_000 || got.Candidates[0].Cost != got.Candidates[1].Cost {
		t.Errorf("cost tie: %v %+v", err, got)
	}
	// Complete ties (0 ms bills only the request) go to the smaller memory.
	zero := make([]uint64, 5)
	for _, s := range []lambdasim.Strategy{lambdasim.StrategyCost, lambdasim.StrategySpeed, lambdasim.StrategyBalanced} {
		o := opts
		o.Strategy = s
		got, err := lambdasim.TuneSamples([]lambdasim.MemorySamples{{512, zero}, {256, zero}}, o)
		if err != nil || got.Pick.MemoryMB != 256 {
			t.Errorf("strategy %d, full tie: %v %+v", s, err, got.Pick)
		}
	}
	// Trimmed means, p99 from the pick's samples, and the caller's slice untouched.
	a := []uint64{900_000, 1_000, 1_000_000, 1_000_000, 1_000_000, 5_000_000, 1_000_000}
	before := slices.Clone(a)
	hundred := make([]uint64, 100)
	for i := range hundred {
		hundred[i] = uint64(i+1) * 1000
	}
	opts = lambdasim.DefaultTuneOptions()
	opts.Strategy = lambdasim.StrategySpeed
	got, err = lambdasim.TuneSamples([]lambdasim.MemorySamples{{512, a}, {4096, hundred}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, before) {
		t.Errorf("the samples were reordered: %v", a)
	}
	if got.Candidates[0].DurationUs != 980_000 || got.Pick.MemoryMB != 4096 || got.Timeout.P99Us != 99_000 {
		t.Errorf("samples: %+v", got)
	}
	_, err = lambdasim.TuneSamples([]lambdasim.MemorySamples{{512, a[:4]}}, opts)
	wantErr(t, "4 samples", err, lambdasim.ErrTooFewSamples)
	_, err = lambdasim.TuneSamples([]lambdasim.MemorySamples{{512, nil}}, opts)
	wantErr(t, "no samples", err, lambdasim.ErrTooFewSamples)
	_, err = lambdasim.TuneSamples(nil, opts)
	wantErr(t, "no sizes", err, lambdasim.ErrInvalidArgument)
	_, err = lambdasim.TuneSamples([]lambdasim.MemorySamples{{64, a}}, opts)
	wantErr(t, "64 MB", err, lambdasim.ErrMemoryBelowMinimum)
}
