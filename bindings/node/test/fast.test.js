'use strict';
// The fast calls (invokeForInto / invokeInto into a reused InvokeResultView)
// and the friendly calls now built on the same flat entry points.

const test = require('node:test');
const assert = require('node:assert/strict');

const { Region, InvokeResultView, LambdasimError, Status, Outcome } = require('..');

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

/** An answer with its handles' region tags set to 0 (to compare two regions). */
function untagged(a) {
  const env = (e) => ({ ...e, regionTag: 0 });
  return { ...a, env: env(a.env), invocation: { env: env(a.invocation.env), seq: a.invocation.seq } };
}

test('invokeForInto answers what invokeFor answers, call after call', (t) => {
  const a = newRegion(t);
  const b = newRegion(t);
  const fa = a.createFunction(0);
  const fb = b.createFunction(0);
  const out = new InvokeResultView();
  for (let step = 0; step < 6; step++) {
    const now = step * 1_000_000;
    const want = a.invokeFor(now, fa, { durationUs: 500_000, outcome: 'FunctionError' });
    assert.equal(b.invokeForInto(now, fb, 500_000, Outcome.FunctionError, out), out);
    assert.deepEqual(untagged(out.toObject()), untagged(want));
    assert.equal(out.throttled, false);
    assert.equal(out.start, want.start);
    assert.equal(out.startKind, want.startKind);
    assert.equal(out.readyAtUs, want.readyAtUs);
    assert.equal(out.initUs, want.initUs);
    assert.equal(out.env.regionTag, fb.regionTag);
    assert.ok(Object.isFrozen(out.invocation));
  }
  assert.equal(a.regionStats().requests, 6);
  assert.deepEqual(b.regionStats(), a.regionStats());
});

test('invokeInto + finish with the view\'s invocation; a second finish is refused', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0);
  const out = new InvokeResultView();
  region.invokeInto(0, f, out);
  assert.equal(out.start, 'FullCold');
  assert.equal(out.readyAtUs, COLD_US);
  const done = region.finish(COLD_US + 10, out.invocation, 'Success');
  assert.deepEqual(done, { function: f, env: out.env, durationUs: 10, envKept: true });
  throwsStatus(() => region.finish(COLD_US + 20, out.invocation), 'UNKNOWN_INVOCATION');
  region.invokeInto(COLD_US + 30, f, out);
  assert.equal(out.start, 'Warm');
  assert.equal(out.suppressedInitUs, 0);
  assert.equal(out.onProvisioned, false);
  assert.equal(out.reason, null);
});

test('a throttle fills the view with its reason', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0, { reserved: 0 });
  const out = new InvokeResultView();
  region.invokeForInto(0, f, 5, 'Success', out);
  assert.equal(out.throttled, true);
  assert.equal(out.reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
  assert.equal(out.reasonCode, 1);
  assert.deepEqual(out.toObject(), region.invokeFor(0, f, { durationUs: 5 }));
});

test('bad arguments throw before anything happens; a refused call leaves the view as it was', (t) => {
  const region = newRegion(t);
  const other = newRegion(t);
  const f = region.createFunction(0);
  const g = other.createFunction(0);
  const out = new InvokeResultView();
  region.invokeForInto(10, f, 5, 0, out);
  const before = out.toObject();
  assert.throws(() => region.invokeForInto(20, f, 5, 0, {}), TypeError);
  assert.throws(() => region.invokeForInto(20, f, 5, 0, new Uint32Array(18)), TypeError);
  assert.throws(() => region.invokeInto(20, f, null), TypeError);
  assert.throws(() => region.invokeForInto(20, f, -1, 0, out), RangeError);
  assert.throws(() => region.invokeForInto(20, f, 1.5, 0, out), RangeError);
  assert.throws(() => region.invokeForInto(-1, f, 5, 0, out), RangeError);
  assert.throws(() => region.invokeForInto(20, f, 5, 'Slow', out), RangeError);
  assert.throws(() => region.invokeForInto(20, f, 5, -1, out), RangeError);
  assert.throws(() => region.invokeForInto(20, { index: 0 }, 5, 0, out), TypeError);
  assert.throws(() => region.invokeForInto(20, f, 2n ** 64n, 0, out), RangeError);
  throwsStatus(() => region.invokeForInto(20, f, 5, 99, out), 'INVALID_ARGUMENT');
  throwsStatus(() => region.invokeForInto(20, g, 5, 0, out), 'UNKNOWN_FUNCTION');
  throwsStatus(() => region.invokeInto(20, { ...f, regionTag: 0 }, out), 'UNKNOWN_FUNCTION');
  throwsStatus(() => region.invokeForInto(5, f, 5, 0, out), 'TIME_WENT_BACKWARDS');
  assert.deepEqual(out.toObject(), before);
  assert.equal(region.now(), 10, 'a refused call moved the clock');
  assert.equal(region.regionStats().requests, 1);
  region.close();
  throwsStatus(() => region.invokeForInto(30, f, 5, 0, out), 'STALE_HANDLE');
  throwsStatus(() => region.invokeInto(30, f, out), 'STALE_HANDLE');
});

test('times past 2^53 come back as BigInt, from the view and the friendly calls alike', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0, { timeoutMs: 900_000 });
  const out = new InvokeResultView();
  const safe = Number.MAX_SAFE_INTEGER - COLD_US;
  region.invokeForInto(safe, f, 1, 0, out);
  assert.equal(out.readyAtUs, Number.MAX_SAFE_INTEGER, 'the largest safe integer is a number');
  const big = 2n ** 60n + 3n;
  region.invokeForInto(big, f, 1, 0, out);
  assert.equal(out.start, 'FullCold', 'the old environment is long gone');
  const ready = big + BigInt(COLD_US);
  assert.equal(out.readyAtUs, ready);
  assert.equal(typeof out.readyAtUs, 'bigint');
  assert.equal(out.initUs, COLD_US);
  const again = region.invokeFor(ready + 10n, f, { durationUs: 1 });
  assert.equal(again.start, 'Warm');
  assert.equal(again.readyAtUs, ready + 10n);
  const inv = region.invoke(ready + 20n, f);
  assert.equal(inv.readyAtUs, ready + 20n);
  const done = region.finish(ready + 30n, inv.invocation);
  assert.equal(done.durationUs, 10);
});

test('invokeFor keeps its old answers: handler outcome null is Success, options.initUs cold-starts with it', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0);
  const a = region.invokeFor(0, f, { durationUs: 5, outcome: null }, { initUs: 1_000 });
  assert.equal(a.start, 'FullCold');
  assert.equal(a.initUs, 125_000 + 5 * 1000 + 1_000);
  const b = region.invokeWithInit(10_000_000, f, 7);
  assert.equal(b.start, 'Warm');
  assert.ok(Object.isFrozen(b.env) && Object.isFrozen(b.invocation));
  assert.equal(b.invocation.env, b.env, 'one environment object when the handles agree');
});
