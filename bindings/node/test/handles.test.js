'use strict';
// Answers past Number.MAX_SAFE_INTEGER come back as BigInts (a call that took
// effect never throws), and handles are bound to their region by the library.

const test = require('node:test');
const assert = require('node:assert/strict');

const { Region, LambdasimError, Status } = require('..');

/** Create + download (5 MB) + init of the default cold-start profile, µs. */
const COLD_US = 125_000 + 5 * 1000 + 250_000;
/** A time whose cold start ends past 2^53 µs. */
const NEAR = Number.MAX_SAFE_INTEGER - 1000;

function throwsStatus(f, status, msg) {
  assert.throws(
    f,
    (e) => {
      assert.ok(e instanceof LambdasimError, `expected a LambdasimError, got ${e && e.stack}`);
      assert.equal(e.status, status);
      assert.equal(e.code, Status[status]);
      return true;
    },
    msg,
  );
}

test('an invoke whose readyAtUs passes 2^53 answers a BigInt, and the region stays usable', () => {
  const r = new Region();
  try {
    const f = r.createFunction(0);
    const a = r.invoke(NEAR, f);
    assert.equal(a.throttled, false);
    assert.equal(a.start, 'FullCold');
    assert.equal(a.initUs, COLD_US);
    assert.equal(typeof a.readyAtUs, 'bigint');
    assert.equal(a.readyAtUs, BigInt(NEAR) + BigInt(COLD_US));
    assert.equal(r.now(), NEAR, 'a safe clock is still a number');
    // The caller got its handle: the environment is busy with it, once.
    assert.equal(r.functionCounts(f).busy, 1);
    assert.equal(r.regionStats().requests, 1);
    r.check();
    // The deadline (the end of the cold start) is past 2^53 too, and can be passed back.
    const deadline = r.nextDeadline();
    assert.equal(typeof deadline, 'bigint');
    r.advance(deadline);
    assert.equal(r.now(), deadline);
    throwsStatus(() => r.finish(deadline - 1n, a.invocation), 'TIME_WENT_BACKWARDS');
    const done = r.finish(a.readyAtUs + 1000n, a.invocation);
    assert.equal(done.durationUs, 1000);
    assert.equal(done.envKept, true);
    assert.deepEqual(done.function, f);
    assert.equal(r.functionCounts(f).busy, 0);
    assert.equal(r.functionStats(f).succeeded, 1);
    assert.equal(r.occupancy().sinceUs, a.readyAtUs + 1000n);
    r.check();
  } finally {
    r.close();
  }
});

test('invokeFor past 2^53: a BigInt readyAtUs, and the region ends it on time', () => {
  const r = new Region();
  try {
    const f = r.createFunction(0);
    const a = r.invokeFor(NEAR, f, { durationUs: 5000 }, { initUs: 1 });
    assert.equal(typeof a.readyAtUs, 'bigint');
    let deadline = r.nextDeadline();
    // Apply every event up to the handler's end.
    while (deadline !== null && deadline <= a.readyAtUs + 5000n) {
      r.advance(deadline);
      deadline = r.nextDeadline();
    }
    assert.equal(r.functionCounts(f).busy, 0);
    const s = r.functionStats(f);
    assert.equal(s.succeeded, 1);
    assert.equal(s.throttlesTotal, 0);
    throwsStatus(() => r.finish(r.now(), a.invocation), 'UNKNOWN_INVOCATION');
    r.check();
  } finally {
    r.close();
  }
});

/** Every Region method taking a function handle, called with `fn` at `now`. */
function functionCalls(r, now, fn) {
  return {
    updateFunction: () => r.updateFunction(now, fn, {}),
    putReserved: () => r.putReserved(now, fn, 5),
    putProvisioned: () => r.putProvisioned(now, fn, 1),
    setKeepAlive: () => r.setKeepAlive(now, fn, 1000),
    prewarm: () => r.prewarm(now, fn),
    invoke: () => r.invoke(now, fn),
    invokeWithInit: () => r.invokeWithInit(now, fn, 1),
    invokeFor: () => r.invokeFor(now, fn, { durationUs: 1 }),
    invokeForInit: () => r.invokeFor(now, fn, { durationUs: 1 }, { initUs: 1 }),
    functionCounts: () => r.functionCounts(fn),
    functionStats: () => r.functionStats(fn),
    functionOccupancy: () => r.functionOccupancy(fn),
    functionBusy: () => r.functionBusy(fn),
    functionConfig: () => r.functionConfig(fn),
    functionBill: () => r.functionBill(fn),
    deleteFunction: () => r.deleteFunction(now, fn),
  };
}

test("another region's handles, even as plain copies, are refused by the library and change nothing", () => {
  const one = new Region();
  const two = new Region();
  try {
    const f1 = one.createFunction(0);
    const f2 = two.createFunction(0);
    assert.equal(f1.index, f2.index);
    assert.equal(f1.generation, f2.generation);
    assert.notEqual(f1.regionTag, f2.regionTag);
    const a1 = one.invoke(0, f1);
    const a2 = two.invoke(0, f2);
    // Plain copies (as after JSON), which no JS-side bookkeeping recognises.
    const copy = (v) => JSON.parse(JSON.stringify(v));
    const t = a2.readyAtUs + 1000;
    for (const fn of [f1, copy(f1)]) {
      for (const [name, call] of Object.entries(functionCalls(two, t, fn))) {
        throwsStatus(call, 'UNKNOWN_FUNCTION', name);
      }
    }
    for (const inv of [a1.invocation, copy(a1.invocation)]) {
      throwsStatus(() => two.finish(t, inv), 'UNKNOWN_INVOCATION');
    }
    for (const env of [a1.env, copy(a1.env)]) {
      throwsStatus(() => two.envFunction(env), 'UNKNOWN_ENV');
      assert.equal(two.envState(env), 'Terminated');
    }
    assert.equal(two.now(), 0, "two's clock did not move");
    assert.equal(two.regionStats().requests, 1);
    // Each region's own handles (and plain copies of them) still work.
    assert.deepEqual(two.envFunction(copy(a2.env)), f2);
    assert.deepEqual(two.finish(t, copy(a2.invocation)).function, f2);
    assert.deepEqual(one.finish(t, a1.invocation).function, f1);
    one.check();
    two.check();
  } finally {
    one.close();
    two.close();
  }
});
