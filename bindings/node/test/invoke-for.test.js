'use strict';
// Region.invokeFor: the region ends the invocation by itself (lsim_invoke_for).

const test = require('node:test');
const assert = require('node:assert/strict');

const { Region, LambdasimError, Status } = require('..');

/** Create + download (5 MB) + init of the default cold-start profile, µs. */
const COLD_US = 125_000 + 5 * 1000 + 250_000;

function newRegion(t, config) {
  const region = new Region(config);
  t.after(() => region.close());
  return region;
}

function throwsStatus(f, status) {
  assert.throws(f, (e) => e instanceof LambdasimError && e.status === status && e.code === Status[status]);
}

test('invokeFor ends by itself at readyAtUs + durationUs; the environment is reused warm', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0);
  const a = region.invokeFor(0, f, { durationUs: 200_000, outcome: 'Success' });
  assert.equal(a.throttled, false);
  assert.equal(a.start, 'FullCold');
  assert.equal(a.readyAtUs, COLD_US);
  const end = COLD_US + 200_000;
  region.advance(end - 1);
  assert.equal(region.functionBusy(f), 1);
  assert.equal(region.nextDeadline(), end);
  region.advance(end);
  assert.equal(region.functionBusy(f), 0);
  assert.equal(region.envState(a.env), 'Idle');
  throwsStatus(() => region.finish(end, a.invocation), 'UNKNOWN_INVOCATION');

  // Warm, outcome by code, default 'Success' when left out.
  const b = region.invokeFor(end + 1000, f, { durationUs: 100_000, outcome: 1 });
  assert.equal(b.start, 'Warm');
  assert.deepEqual(b.env, a.env);
  region.advance(end + 101_000);
  const c = region.invokeFor(end + 200_000, f, { durationUs: 0 });
  assert.equal(c.start, 'Warm', 'a function error keeps the environment warm');
  assert.equal(region.functionBusy(f), 1, 'a zero handler ends at its own instant, applied by the next call');
  region.advance(end + 200_000);
  const s = region.regionStats();
  assert.deepEqual([s.succeeded, s.errors, s.timeouts, s.warmStarts], [2, 1, 0, 2]);
  region.check();
});

test('invokeFor: crash, timeout at the timeout, early finish, initUs', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0, { timeoutMs: 1000 });
  region.invokeFor(0, f, { durationUs: 10_000, outcome: 'Crash' });
  region.advance(COLD_US + 10_000);
  // The crash reset the environment: a partial cold start, with the init override.
  const p = region.invokeFor(1_000_000, f, { durationUs: 1_000_000 }, { initUs: 50_000 });
  assert.equal(p.start, 'PartialCold');
  assert.equal(p.initUs, 50_000);
  // Its timeout counts from the invoke (1 s) and comes before ready + 1 s.
  region.advance(1_999_999);
  assert.equal(region.functionBusy(f), 1);
  region.advance(2_000_000);
  assert.equal(region.functionBusy(f), 0);
  throwsStatus(() => region.finish(2_000_000, p.invocation), 'TIMED_OUT');
  // Warm with durationUs = the timeout: the timeout wins at the same instant.
  region.invokeFor(2_100_000, f, { durationUs: 500_000 }); // partial cold again: ready 2.35 s, ends at 2.85 s
  const q = region.invokeFor(3_000_000, f, { durationUs: 1_000_000 });
  assert.equal(q.start, 'Warm');
  region.advance(4_000_000);
  throwsStatus(() => region.finish(4_000_000, q.invocation), 'TIMED_OUT');
  // An early finish ends it; nothing happens at the scheduled end.
  const e = region.invokeFor(5_000_000, f, { durationUs: 500_000 }, { initUs: 0 });
  assert.equal(e.start, 'PartialCold');
  const done = region.finish(5_200_000, e.invocation, 'FunctionError');
  assert.deepEqual([done.durationUs, done.envKept], [200_000, true]);
  region.advance(5_500_000);
  const s = region.regionStats();
  assert.deepEqual([s.succeeded, s.errors, s.timeouts, s.partialColdStarts], [1, 4, 2, 3]);
  // A full cold start with initUs: ready after create + initUs.
  const g = region.createFunction(5_500_000);
  const gc = region.invokeFor(5_500_000, g, { durationUs: 1 }, { initUs: 1_000_000 });
  assert.deepEqual([gc.start, gc.readyAtUs], ['FullCold', 5_500_000 + 130_000 + 1_000_000]);
  region.check();
});

test('invokeFor: throttles are answers; bad arguments throw', (t) => {
  const region = newRegion(t);
  const z = region.createFunction(0, { reserved: 0 });
  for (const options of [undefined, { initUs: 5 }]) {
    const r = region.invokeFor(0, z, { durationUs: 1 }, options);
    assert.deepEqual(r, { throttled: true, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', reasonCode: 1 });
  }
  const f = region.createFunction(0);
  // Unknown outcome codes are the C ABI's INVALID_ARGUMENT; nothing happens.
  throwsStatus(() => region.invokeFor(1000, f, { durationUs: 1, outcome: 4 }), 'INVALID_ARGUMENT');
  throwsStatus(() => region.invokeFor(1000, f, { durationUs: 1, outcome: 99 }, { initUs: 1 }), 'INVALID_ARGUMENT');
  assert.equal(region.now(), 0);
  assert.throws(() => region.invokeFor(0, f, { durationUs: 1, outcome: 'Oops' }), RangeError);
  assert.throws(() => region.invokeFor(0, f, {}), TypeError);
  assert.throws(() => region.invokeFor(0, f), TypeError);
  assert.throws(() => region.invokeFor(0, f, 5), TypeError);
  assert.throws(() => region.invokeFor(0, f, { durationUs: -1 }), RangeError);
  assert.throws(() => region.invokeFor(0, f, { duration: 1 }), TypeError, 'unknown handler key');
  assert.throws(() => region.invokeFor(0, f, { durationUs: 1 }, { init: 5 }), TypeError, 'unknown option');
  assert.throws(() => region.invokeFor(0, f, { durationUs: 1 }, { initUs: 1.5 }), RangeError);
  assert.equal(region.regionStats().requests, 2, 'only the two throttles');
  region.deleteFunction(0, f);
  throwsStatus(() => region.invokeFor(0, f, { durationUs: 1 }), 'UNKNOWN_FUNCTION');
  region.advance(1000);
  throwsStatus(() => region.invokeFor(999, z, { durationUs: 1 }), 'TIME_WENT_BACKWARDS');
  const other = newRegion(t);
  throwsStatus(() => other.invokeFor(1000, z, { durationUs: 1 }), 'UNKNOWN_FUNCTION'); // another region's function
});
