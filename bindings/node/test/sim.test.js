'use strict';
// Whole simulations through the Node binding: every simulation vector
// (tests/vectors/sim, tests/vectors/README.md "Simulation vectors") must give
// its expected JSON byte for byte, and the accessors must agree with that
// JSON. Then options, errors and closed results.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const lsim = require('..');
const { runScenario, checkScenario, SimResult, LambdasimError, Status } = lsim;

const SIM_DIR = path.resolve(__dirname, '..', '..', '..', 'tests', 'vectors', 'sim');
const DISPOSE = Symbol.dispose ?? Symbol.for('nodejs.dispose');

function throwsStatus(f, status) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof LambdasimError, `expected a LambdasimError, got ${e && e.stack}`);
    assert.equal(e.status, status);
    assert.equal(e.code, Status[status]);
    return true;
  });
}

/** "12.34" → 1234. */
function cents(usd) {
  assert.match(usd, /^\d+\.\d\d$/);
  return Number(usd.replace('.', ''));
}

function checkSummary(what, got, want) {
  const ints = [
    ['requests', 'requests'],
    ['invocations', 'invocations'],
    ['coldStarts', 'cold_starts'],
    ['fullColdStarts', 'full_cold_starts'],
    ['partialColdStarts', 'partial_cold_starts'],
    ['warmStarts', 'warm_starts'],
    ['provisionedStarts', 'provisioned_starts'],
    ['spillover', 'spillover'],
    ['throttles', 'throttles'],
    ['errors', 'errors'],
    ['timeouts', 'timeouts'],
    ['peakConcurrency', 'peak_concurrency'],
    // JSON.parse reads the shortest round-trip text back as the same double.
    ['coldStartProbability', 'cold_start_probability'],
    ['throttleProbability', 'throttle_probability'],
    ['avgInstances', 'avg_instances'],
    ['avgBusy', 'avg_busy'],
    ['avgIdle', 'avg_idle'],
    ['utilization', 'utilization'],
  ];
  for (const [js, json] of ints) assert.equal(got[js], want[json], `${what}: ${js}`);
  assert.deepEqual({ ...got.throttlesByReason }, want.throttles_by_reason, `${what}: throttlesByReason`);
  assert.equal(
    Object.values(got.throttlesByReason).reduce((a, b) => a + b, 0),
    got.throttles,
    `${what}: the reasons sum to throttles`,
  );
  assert.equal(got.totalCents, cents(want.bill.total_usd), `${what}: totalCents`);
  assert.equal(got.exactTotal.usd, want.bill.exact_usd, `${what}: exactTotal`);
}

function minuteOf(w) {
  return {
    minute: w.minute,
    busyMax: w.busy_max,
    busyAvg: w.busy_avg,
    liveAvg: w.live_avg,
    live: w.live,
    invocations: w.invocations,
    coldStarts: w.cold_starts,
    throttles: w.throttles,
    accountLimit: w.account_limit,
    unreservedPool: w.unreserved_pool,
    claimed: w.claimed,
  };
}

const expectedFiles = fs
  .readdirSync(SIM_DIR)
  .filter((f) => f.endsWith('.expected.json'))
  .sort();


/** A `Latency` in the JSON's field names, to compare with a vector. */
function latencyJson(l) {
  const p = (x) => ({ samples: x.samples, p50_us: x.p50Us, p90_us: x.p90Us, p99_us: x.p99Us, max_us: x.maxUs });
  return {
    handler_duration: p(l.handlerDuration),
    init_duration: p(l.initDuration),
    response_time: p(l.responseTime),
    cold_start_added_p99_us: l.coldStartAddedP99Us,
  };
}

test('there are simulation vectors', () => {
  assert.ok(expectedFiles.length >= 2, `only ${expectedFiles.length} in ${SIM_DIR}`);
});

for (const expectedFile of expectedFiles) {
  const stem = expectedFile.slice(0, -'.expected.json'.length);
  test(`simulation vector ${stem}: the JSON byte for byte, and the accessors agree with it`, () => {
    const expected = fs.readFileSync(path.join(SIM_DIR, expectedFile));
    const want = JSON.parse(expected.toString('utf8'));
    const file = ['.toml', '.json'].map((e) => stem + e).find((f) => fs.existsSync(path.join(SIM_DIR, f)));
    assert.ok(file, `no scenario for ${expectedFile}`);
    const text = fs.readFileSync(path.join(SIM_DIR, file), 'utf8');
    const r = runScenario(text, { seed: want.seed, name: file });
    try {
      const json = r.json();
      assert.ok(Buffer.from(json, 'utf8').equals(expected), `${file}: the JSON differs from ${expectedFile}`);
      assert.equal(r.seed, want.seed);
      const names = r.functions();
      assert.deepEqual([...names], want.functions.map((f) => f.name));
      names.forEach((name, i) => {
        const s = r.function(i);
        checkSummary(name, s, want.functions[i]);
        const b = r.bill(i);
        assert.equal(b.lines.length, want.functions[i].bill.lines.length, `${name}: bill lines`);
        assert.equal(b.totalCents, s.totalCents);
        assert.equal(b.exactTotal.usd, s.exactTotal.usd);
      });
      const total = r.total();
      checkSummary('total', total, want.total);
      assert.equal(r.bill().totalCents, total.totalCents);
      assert.equal(r.bill().lines.length, want.total.bill.lines.length);
      throwsStatus(() => r.function(names.length), 'UNKNOWN_FUNCTION');
      names.forEach((name, i) => {
        assert.deepEqual(latencyJson(r.latency(i)), want.functions[i].latency, `${name}: latency`);
      });
      assert.deepEqual(latencyJson(r.latency()), want.total.latency, 'total latency');
      assert.equal(r.latency().handlerDuration.samples, want.total.invocations);
      throwsStatus(() => r.latency(names.length), 'UNKNOWN_FUNCTION');
      throwsStatus(() => r.latency(-1), 'UNKNOWN_FUNCTION');
      const minutes = r.minutes();
      assert.equal(minutes.length, want.minutes.length);
      assert.ok(minutes.length > 0);
      for (const i of [0, Math.floor(minutes.length / 2), minutes.length - 1]) {
        assert.deepEqual({ ...minutes[i] }, minuteOf(want.minutes[i]), `minute ${i}`);
      }
      assert.equal(checkScenario(text), null);
    } finally {
      r.close();
    }
  });
}

const SMALL = `
seed = 5
horizon_s = 70
replications = 2

[[functions]]
name = "api"
workload = { type = "poisson", rate_per_s = 20 }
handler = { type = "exponential", mean_ms = 100 }
`;

test('a long run keeps a bounded series and gives its bucket width', () => {
  // 30 days of an idle function: 43 200 minutes in 8-minute buckets.
  const r = runScenario(
    'horizon_s = 2592000\n[[functions]]\nname = "f"\nworkload = { type = "idle" }\nhandler = { type = "fixed", ms = 1 }\n',
  );
  const short = runScenario(SMALL);
  try {
    const m = r.minutes();
    assert.equal(m.length, 5400);
    assert.ok(m.length <= lsim.MAX_MINUTE_POINTS);
    assert.equal(r.bucketMinutes, 8);
    assert.equal(m[1].minute, 8);
    assert.equal(JSON.parse(r.json()).bucket_s, 480);
    assert.equal(short.bucketMinutes, 1);
  } finally {
    r.close();
    short.close();
  }
});

test('options: seed, replication, horizon, format and name', () => {
  const base = runScenario(SMALL);
  const rep = runScenario(SMALL, { replication: 1, format: 'toml' });
  const seeded = runScenario(Buffer.from(SMALL), { seed: 6n, name: 'small.toml' });
  try {
    assert.equal(base.seed, 5);
    assert.equal(rep.seed, 6, 'replication r runs with seed + r');
    assert.equal(seeded.seed, 6);
    assert.deepEqual(rep.total(), seeded.total());
    assert.deepEqual(rep.minutes(), seeded.minutes());
    assert.notDeepEqual(base.total(), rep.total());
    assert.match(seeded.json(), /"scenario": "small\.toml"/);
    assert.match(base.json(), /"scenario": "\(scenario\)"/);
    assert.ok(base.json().endsWith('}\n'));
    const short = runScenario(SMALL, { horizonUs: 30_000_000 });
    assert.equal(short.minutes().length, 1);
    assert.equal(JSON.parse(short.json()).horizon_s, 30);
    short.close();
  } finally {
    base.close();
    rep.close();
    seeded.close();
  }
  throwsStatus(() => runScenario(SMALL, { horizonUs: 0 }), 'INVALID_ARGUMENT');
  throwsStatus(() => runScenario(SMALL, { horizonUs: 10n ** 18n }), 'INVALID_ARGUMENT');
  throwsStatus(() => runScenario(SMALL, { horizonUs: 31_622_400_000_001 }), 'INVALID_ARGUMENT');
  throwsStatus(() => runScenario(SMALL, { replication: 2 }), 'INVALID_ARGUMENT');
  throwsStatus(() => runScenario(SMALL, { format: 3 }), 'INVALID_ARGUMENT');
  assert.throws(() => runScenario(SMALL, { format: 'yaml' }), RangeError);
  assert.throws(() => runScenario(SMALL, { seeds: 1 }), TypeError);
  assert.throws(() => runScenario(SMALL, { seed: -1 }), RangeError);
  assert.throws(() => runScenario(SMALL, { name: 5 }), TypeError);
  assert.throws(() => runScenario(42), TypeError);
});

test('invalid scenarios: INVALID_SCENARIO with the line, column and field', () => {
  const bad = '[[functions]]\nname = "f"\nworkload = { type = "poison" }\nhandler = { type = "fixed", ms = 1 }\n';
  const want = '(scenario):3:21: functions[0].workload.type: unknown variant `poison`';
  assert.throws(
    () => runScenario(bad),
    (e) => {
      assert.ok(e instanceof LambdasimError);
      assert.equal(e.status, 'INVALID_SCENARIO');
      assert.equal(e.code, 28);
      assert.ok(e.detail.startsWith(want), e.detail);
      assert.ok(e.message.includes(want), e.message);
      return true;
    },
  );
  assert.ok(checkScenario(bad).startsWith(want));
  assert.equal(checkScenario(SMALL), null);
  assert.ok(checkScenario(SMALL, { format: 'json' }).startsWith('(scenario):2:1: expected value'));
  assert.equal(checkScenario(Buffer.from('seed = 1\n\xff\n', 'latin1')), '(scenario):2:1: the scenario is not valid UTF-8');
  assert.equal(checkScenario(''), '(scenario):1:1: missing field `functions`');
  const long = `[[functions]]\nname = "${'x'.repeat(3000)}"\nmemory_mb = 1\nworkload = { type = "idle" }\nhandler = { type = "fixed", ms = 1 }\n`;
  const msg = checkScenario(long);
  // A long input is quoted in at most 80 characters.
  assert.ok(msg.includes(`function "${'x'.repeat(80)}…"`) && msg.includes('memory_mb') && msg.length < 400, msg.slice(0, 300));
  throwsStatus(() => checkScenario(SMALL, { format: 7 }), 'INVALID_ARGUMENT');
  const capacity =
    'horizon_s = 2\n[region]\naccount_limit = 70000\nscaling = { legacy_burst = 70000 }\n[[functions]]\nname = "f"\n' +
    'workload = { type = "constant", rate_per_s = 70000 }\nhandler = { type = "fixed", ms = 5000 }\n';
  throwsStatus(() => runScenario(capacity), 'CAPACITY_EXCEEDED');
  assert.equal(Status.INVALID_SCENARIO, 28);
  assert.equal(Status.SIMULATION_FAILED, 29);
});

test('a closed result throws STALE_HANDLE; close is idempotent; dispose closes', () => {
  const before = SimResult.liveCount();
  const r = runScenario(SMALL);
  assert.equal(SimResult.liveCount(), before + 1);
  assert.equal(r.closed, false);
  r.close();
  r.close();
  assert.equal(r.closed, true);
  assert.equal(SimResult.liveCount(), before);
  for (const f of [
    () => r.json(),
    () => r.functions(),
    () => r.total(),
    () => r.function(0),
    () => r.bill(),
    () => r.bill(0),
    () => r.latency(),
    () => r.latency(0),
    () => r.minutes(),
    () => r.seed,
    () => r.bucketMinutes,
  ]) {
    throwsStatus(f, 'STALE_HANDLE');
  }
  const d = runScenario(SMALL);
  d[DISPOSE]();
  assert.equal(d.closed, true);
  assert.throws(() => new SimResult(null), TypeError);
  const open = runScenario(SMALL);
  throwsStatus(() => open.function(1), 'UNKNOWN_FUNCTION');
  throwsStatus(() => open.bill(-1), 'UNKNOWN_FUNCTION');
  assert.throws(() => open.function('0'), TypeError);
  open.close();
});
