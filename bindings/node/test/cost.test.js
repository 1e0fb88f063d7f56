'use strict';
// Bills, money, memory → CPU and power tuning through the Node binding.

const test = require('node:test');
const assert = require('node:assert/strict');

const lsim = require('..');
const { Region, LambdasimError, Status, billUsage, money, visibleCores, durationAt, tuneProfile, tuneSamples } = lsim;

function throwsStatus(f, status, msg) {
  assert.throws(
    f,
    (e) => {
      assert.ok(e instanceof LambdasimError, `${msg ?? ''}: ${e}`);
      assert.equal(e.status, status, msg);
      assert.equal(e.code, Status[status]);
      return true;
    },
    msg,
  );
}

test('new statuses and names come from the library', () => {
  assert.equal(Status.EPHEMERAL_OUT_OF_RANGE, 25);
  assert.equal(Status.OVERFLOW, 26);
  assert.equal(Status.TOO_FEW_SAMPLES, 27);
  lsim.LINE_KINDS.forEach((name, code) => assert.equal(lsim.libraryName('lineKind', code), name));
  assert.equal(lsim.libraryName('lineKind', 5), 'unknown');
  lsim.ARCHITECTURES.forEach((name, code) => assert.equal(lsim.libraryName('architecture', code), name));
  assert.equal(lsim.libraryName('architecture', 255), 'none');
});

test('money is exact: atoms, cents and usd', () => {
  const m = money(27989381120000000n);
  assert.deepEqual({ ...m }, { atoms: 27989381120000000n, cents: 273, usd: '2.7333380000' });
  assert.equal(money(1n).usd, '0.00000000000000009765625');
  assert.equal(money(51200000000000n).cents, 1, 'half a cent rounds up');
  assert.equal(money(51200000000000n - 1n).cents, 0);
  const max = money((1n << 128n) - 1n);
  assert.equal(typeof max.cents, 'bigint', 'cents past 2^53 are a BigInt');
  assert.ok(max.usd.startsWith('33230699894622'));
  assert.throws(() => money(1n << 128n), RangeError);
  assert.throws(() => money(-1n), RangeError);
  assert.throws(() => money(5), TypeError);
});

test('docs/model.md §5 examples through billUsage', () => {
  const ex1 = billUsage([{ memoryMb: 1536, requests: 3000000, durationUs: 120000 }], [], { freeTier: true });
  assert.equal(ex1.totalCents, 273);
  assert.equal(ex1.exactTotal.usd, '2.7333380000');
  assert.deepEqual(
    ex1.lines.map((l) => [l.kind, l.architecture, l.quantity, l.cents, l.amount.usd]),
    [
      ['Requests', null, 2000000n, 40, '0.4000000000'],
      ['Duration', 'x86_64', 143360000000n, 233, '2.3333380000'],
    ],
  );
  const ex2 = billUsage(
    [
      { memoryMb: 1536, requests: 500000, durationUs: 100000, class: 'provisioned' },
      { memoryMb: 1536, requests: 2500000, durationUs: 120000 },
    ],
    [{ memoryMb: 1536, provisioned: 100, enabledUs: 8 * 3600e6 }],
    { prices: 'us-east-1', freeTier: true },
  );
  assert.equal(ex2.totalCents, 1996);
  assert.deepEqual(
    ex2.lines.map((l) => [l.kind, l.cents]),
    [
      ['Requests', 40],
      ['Duration', 83],
      ['Provisioned Concurrency', 1800],
      ['Provisioned Duration', 73],
    ],
  );
  const ex3 = (granularity) => billUsage([{ memoryMb: 1024, requests: 60e6, durationUs: 28000, granularity }]).totalCents;
  assert.equal(ex3('1ms'), 4000);
  assert.equal(ex3('100ms'), 11200);
  const ex4 = billUsage([{ memoryMb: 512, requests: 3e6, durationUs: 1e6, granularity: '100ms' }], [], {
    prices: 'us-east-1-2020',
    freeTier: true,
  });
  assert.equal(ex4.totalCents, 1874);
  assert.deepEqual(billUsage().lines, []);
});

test('billUsage: BigInt inputs, huge usage, errors', () => {
  const huge = billUsage([{ memoryMb: 10240, requests: 10n ** 12n, durationUs: 900000000n }]);
  assert.equal(huge.lines[1].quantity, 9216000000000000000000n);
  assert.equal(huge.totalCents, 12000083499920);
  throwsStatus(() => billUsage([{ memoryMb: 10240, requests: (1n << 64n) - 1n, durationUs: (1n << 64n) - 1n }]), 'OVERFLOW');
  throwsStatus(() => billUsage([{ memoryMb: 127, requests: 1, durationUs: 1 }]), 'MEMORY_BELOW_MINIMUM');
  throwsStatus(() => billUsage([{ memoryMb: 10241, requests: 1, durationUs: 1 }]), 'MEMORY_ABOVE_MAXIMUM');
  throwsStatus(() => billUsage([{ ephemeralMb: 511, requests: 1, durationUs: 1 }]), 'EPHEMERAL_OUT_OF_RANGE');
  // Unknown codes reach the C side and are rejected there.
  throwsStatus(() => billUsage([{ architecture: 2, requests: 1, durationUs: 1 }]), 'INVALID_ARGUMENT');
  throwsStatus(() => billUsage([{ architecture: 255, requests: 1, durationUs: 1 }]), 'INVALID_ARGUMENT');
  throwsStatus(() => billUsage([{ class: 2, requests: 1, durationUs: 1 }]), 'INVALID_ARGUMENT');
  throwsStatus(() => billUsage([{ granularity: 2, requests: 1, durationUs: 1 }]), 'INVALID_ARGUMENT');
  throwsStatus(() => billUsage([], [{ architecture: 7, provisioned: 1, enabledUs: 1 }]), 'INVALID_ARGUMENT');
  throwsStatus(() => billUsage([], [], { prices: 2 }), 'INVALID_ARGUMENT');
  // Names and types are checked in JS.
  assert.throws(() => billUsage([{ architecture: 'arm', requests: 1, durationUs: 1 }]), RangeError);
  assert.throws(() => billUsage([{ requests: 1 }]), TypeError);
  assert.throws(() => billUsage([{ requests: 1, durationUs: 1, memory: 5 }]), TypeError);
  assert.throws(() => billUsage([{ requests: -1, durationUs: 1 }]), RangeError);
  assert.throws(() => billUsage([{ requests: 1n << 64n, durationUs: 1 }]), RangeError);
  assert.throws(() => billUsage([], [], { prices: 'eu-west-1' }), RangeError);
  assert.throws(() => billUsage([], [], { freeTier: 1 }), TypeError);
  assert.throws(() => billUsage([], [], { free: true }), TypeError);
  assert.throws(() => billUsage({}), TypeError);
});

test('region and function bills', () => {
  const r = new Region({ granularity: '100ms', billInit: false });
  try {
    const f = r.createFunction(0, { memoryMb: 1024, architecture: 'arm64', ephemeralMb: 1024 });
    const a = r.invoke(0, f);
    r.finish(a.readyAtUs + 150000, a.invocation);
    const b = r.bill();
    assert.deepEqual(
      b.lines.map((l) => [l.kind, l.architecture, l.quantity]),
      [
        ['Requests', null, 1n],
        ['Duration', 'arm64', 1024n * 200n],
        ['Ephemeral Storage', null, 512n * 200n],
      ],
    );
    assert.deepEqual(r.functionBill(f, { prices: 'us-east-1' }), b);
    assert.equal(r.bill({ freeTier: true }).lines.length, 1);
    throwsStatus(() => r.functionBill({ index: 200, generation: 1 }), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.bill({ prices: 9 }), 'INVALID_ARGUMENT');
    throwsStatus(() => r.createFunction(1e6, { architecture: 3 }), 'INVALID_ARGUMENT');
    throwsStatus(() => r.createFunction(1e6, { ephemeralMb: 100 }), 'EPHEMERAL_OUT_OF_RANGE');
    assert.throws(() => r.createFunction(1e6, { architecture: 'arm' }), RangeError);
  } finally {
    r.close();
  }
  throwsStatus(() => new Region({ granularity: 5 }), 'INVALID_ARGUMENT');
  assert.throws(() => new Region({ granularity: '10ms' }), RangeError);
  assert.throws(() => new Region({ billInit: 1 }), TypeError);
});

test('memory → CPU', () => {
  assert.deepEqual([128, 1769, 1770, 10240].map(visibleCores), [1, 1, 2, 6]);
  throwsStatus(() => visibleCores(127), 'MEMORY_BELOW_MINIMUM');
  assert.equal(durationAt({ cpuUs: 1e6 }, 128), 13820313);
  assert.equal(durationAt({ ioUs: 100000, cpuUs: 6e6, threads: 8 }, 3538), 3100000);
  throwsStatus(() => durationAt({ cpuUs: 1 }, 10241), 'MEMORY_ABOVE_MAXIMUM');
  assert.throws(() => durationAt({ cpu: 1 }, 128), TypeError);
});

test('tuneProfile: lists, picks, advice, errors', () => {
  const speed = tuneProfile({ cpuUs: 1e6, threads: 1 }, { strategy: 'speed' });
  assert.deepEqual(
    speed.candidates.map((c) => c.memoryMb),
    [128, 256, 512, 1024, 1536, 3008],
  );
  assert.equal(speed.pick.memoryMb, 3008);
  assert.deepEqual({ ...speed.timeout }, { p99Us: 1000000, recommendedTimeoutMs: 2000, cutsTail: false, exceedsMax: false });
  assert.equal(speed.maxDurationUs, 13820313);
  const all = tuneProfile({ cpuUs: 1e6 }, { memories: 'all', strategy: 'speed' });
  assert.equal(all.candidates.length, 10113);
  assert.equal(all.pick.memoryMb, 1769, 'speed ties go to the cheaper');
  const custom = tuneProfile({ cpuUs: 1e6 }, { memories: [3008, 10240, 1769, 2048], strategy: 'speed' });
  assert.equal(custom.pick.memoryMb, 1769);
  const p = { ioUs: 40000, cpuUs: 700000, threads: 3 };
  const memories = [128, 700, 1769, 3538, 5000, 10240];
  const pick = (strategy, weightPpm) => tuneProfile(p, { memories, strategy, weightPpm }).pick;
  assert.deepEqual(pick('balanced', 0), pick('speed'));
  assert.deepEqual(pick('balanced', 1000000), pick('cost'));
  assert.equal(tuneProfile(p, { configuredTimeoutMs: 100 }).timeout.cutsTail, true);
  throwsStatus(() => tuneProfile(p, { weightPpm: 1000001 }), 'INVALID_ARGUMENT');
  throwsStatus(() => tuneProfile(p, { strategy: 3 }), 'INVALID_ARGUMENT');
  throwsStatus(() => tuneProfile(p, { memories: [] }), 'INVALID_ARGUMENT');
  throwsStatus(() => tuneProfile(p, { memories: [256, 127] }), 'MEMORY_BELOW_MINIMUM');
  throwsStatus(() => tuneProfile(p, { configuredTimeoutMs: 0 }), 'TIMEOUT_OUT_OF_RANGE');
  throwsStatus(() => tuneProfile(p, { architecture: 255 }), 'INVALID_ARGUMENT');
  assert.throws(() => tuneProfile(p, { strategy: 'cheapest' }), RangeError);
  assert.throws(() => tuneProfile(p, { memories: 'some' }), TypeError);
  assert.throws(() => tuneProfile(p, { memory: [128] }), TypeError);
});

test('tuneSamples: trimmed means, tie rules, the caller arrays are not reordered', () => {
  const slow = [150000, 150000, 150000, 150000, 150000];
  const fast = [110000, 110000, 110000, 110000, 110000];
  const costTie = tuneSamples(
    [
      { memoryMb: 128, durationsUs: slow },
      { memoryMb: 128, durationsUs: fast },
    ],
    { granularity: '100ms' },
  );
  assert.equal(costTie.candidates[0].cost.atoms, costTie.candidates[1].cost.atoms);
  assert.equal(costTie.pick.durationUs, 110000, 'cost ties go to the faster');
  const zero = [0, 0, 0, 0, 0];
  for (const strategy of ['cost', 'speed', 'balanced']) {
    const r = tuneSamples(
      [
        { memoryMb: 512, durationsUs: zero },
        { memoryMb: 256, durationsUs: zero },
      ],
      { strategy },
    );
    assert.equal(r.pick.memoryMb, 256, `${strategy}: full ties go to the smaller memory`);
  }
  const a = [900000, 1000, 1000000, 1000000, 1000000, 5000000, 1000000];
  const before = [...a];
  const hundred = Array.from({ length: 100 }, (_, i) => BigInt(i + 1) * 1000n);
  const r = tuneSamples(
    [
      { memoryMb: 512, durationsUs: a },
      { memoryMb: 4096, durationsUs: hundred },
    ],
    { strategy: 'speed' },
  );
  assert.deepEqual(a, before);
  assert.equal(r.candidates[0].durationUs, 980000);
  assert.equal(r.pick.memoryMb, 4096);
  assert.equal(r.timeout.p99Us, 99000);
  throwsStatus(() => tuneSamples([{ memoryMb: 512, durationsUs: [1, 2, 3, 4] }]), 'TOO_FEW_SAMPLES');
  throwsStatus(() => tuneSamples([{ memoryMb: 512, durationsUs: [] }]), 'TOO_FEW_SAMPLES');
  throwsStatus(() => tuneSamples([]), 'INVALID_ARGUMENT');
  throwsStatus(() => tuneSamples([{ memoryMb: 64, durationsUs: zero }]), 'MEMORY_BELOW_MINIMUM');
  assert.throws(() => tuneSamples([{ memoryMb: 512, durationsUs: zero }], { memories: 'all' }), TypeError);
  assert.throws(() => tuneSamples([{ memoryMb: 512, durationsUs: 'fast' }]), TypeError);
});
