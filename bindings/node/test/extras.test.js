'use strict';
// Keep-alive, pre-warm, occupancy and the lookups of the Node binding.

const test = require('node:test');
const assert = require('node:assert/strict');

const lsim = require('..');
const { Region, LambdasimError, Status } = lsim;

/** Create + download (5 MB) + init of the default cold-start profile, µs. */
const COLD_US = 125_000 + 5 * 1000 + 250_000;
/** The default idle timeout, µs. */
const IDLE_US = 600_000_000;

/** A region closed when the test ends. */
function newRegion(t, config) {
  const region = new Region(config);
  t.after(() => region.close());
  return region;
}

function throwsStatus(f, status) {
  assert.throws(f, (e) => e instanceof LambdasimError && e.status === status && e.code === Status[status]);
}

test('UNKNOWN_ENV is status 30 and outcomeName comes from the library', () => {
  assert.equal(Status.UNKNOWN_ENV, 30);
  assert.equal(lsim.statusName(30), 'UNKNOWN_ENV');
  assert.equal(lsim.libraryName('status', 30), 'LSIM_STATUS_UNKNOWN_ENV');
  assert.deepEqual([0, 1, 2, 3, 4].map(lsim.outcomeName), ['Success', 'FunctionError', 'Timeout', 'Crash', 'unknown']);
  assert.throws(() => lsim.outcomeName(-1), RangeError);
  assert.throws(() => lsim.outcomeName('Success'), TypeError);
});

test('prewarm: Creating, then Idle, then a warm start on that environment', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0);
  const env = region.prewarm(0, f);
  assert.ok(env !== null && Object.isFrozen(env));
  assert.equal(region.envState(env), 'Creating');
  assert.deepEqual(region.envFunction(env), f);
  assert.equal(region.functionBusy(f), 0, 'a pre-warmed environment is not concurrency');
  region.advance(COLD_US);
  assert.equal(region.envState(env), 'Idle');
  const a = region.invoke(COLD_US + 1000, f);
  assert.equal(a.start, 'Warm');
  assert.deepEqual(a.env, env);
  assert.equal(region.functionBusy(f), 1);
  region.check();
});

test('prewarm without a scaling token returns null', (t) => {
  const region = newRegion(t, { scalingRule: 'legacyAccount', legacyBurst: 1 });
  const f = region.createFunction(0);
  assert.notEqual(region.prewarm(0, f), null);
  assert.equal(region.prewarm(0, f), null);
  assert.equal(region.occupancy().live, 1);
});

test('setKeepAlive changes the idle expiry; null goes back to the region default', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0);
  const run = (at, keep) => {
    region.setKeepAlive(at, f, keep);
    const a = region.invoke(at, f);
    const end = a.readyAtUs + 1000;
    region.finish(end, a.invocation);
    return [end, region.nextDeadline()];
  };
  let [end, deadline] = run(0, 60_000_000);
  assert.equal(deadline, end + 60_000_000);
  [end, deadline] = run(end + 1, null);
  assert.equal(deadline, end + IDLE_US);
  [end, deadline] = run(end + 1, 1_000_000);
  assert.equal(deadline, end + 1_000_000);
  region.advance(deadline);
  assert.equal(region.occupancy().live, 0);
  assert.throws(() => region.setKeepAlive(deadline, f), TypeError, 'undefined is not null');
  assert.throws(() => region.setKeepAlive(deadline, f, -1), RangeError);
  throwsStatus(() => region.setKeepAlive(deadline - 1, f, null), 'TIME_WENT_BACKWARDS');
});

test('occupancy integrals (BigInt), averages and the window peak', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0, { timeoutMs: 60_000 });
  const g = region.createFunction(0, { timeoutMs: 60_000 });
  assert.deepEqual(region.occupancy(), {
    live: 0,
    busy: 0,
    busyPeak: 0,
    windowPeak: 0,
    liveEnvUs: 0n,
    busyEnvUs: 0n,
    sinceUs: 0,
    avgLive: 0,
    avgBusy: 0,
  });
  const a = region.invoke(0, f);
  const b = region.invoke(0, f);
  assert.equal(region.functionBusy(f), 2);
  assert.equal(region.functionBusy(g), 0);
  region.finish(10_000_000, a.invocation);
  region.finish(10_000_000, b.invocation);
  const want = {
    live: 2,
    busy: 0,
    busyPeak: 2,
    windowPeak: 2,
    liveEnvUs: 20_000_000n,
    busyEnvUs: 20_000_000n,
    sinceUs: 10_000_000,
    avgLive: 2,
    avgBusy: 2,
  };
  assert.deepEqual(region.occupancy(), want);
  assert.deepEqual(region.functionOccupancy(f), want);
  const og = region.functionOccupancy(g);
  assert.equal(og.live, 0);
  assert.equal(og.liveEnvUs, 0n);
  assert.equal(og.sinceUs, 10_000_000);
  region.advance(20_000_000);
  const o = region.occupancy();
  assert.equal(o.busyEnvUs, 20_000_000n);
  assert.equal(o.liveEnvUs, 40_000_000n);
  assert.equal(o.avgBusy, 1);
  assert.equal(o.avgLive, 2);
  assert.equal(region.takeBusyWindowPeak(), 2);
  assert.equal(region.takeBusyWindowPeak(), 0);
  assert.equal(region.invoke(20_000_000, g).start, 'FullCold');
  const o2 = region.occupancy();
  assert.deepEqual([o2.busy, o2.busyPeak, o2.windowPeak], [1, 2, 1]);
  assert.equal(region.functionOccupancy(f).windowPeak, 0, "functions' windows reset too");
  assert.equal(region.takeBusyWindowPeak(), 1);
  assert.equal(region.takeBusyWindowPeak(), 1);
});

test('functionConfig round-trips the configuration', (t) => {
  const region = newRegion(t);
  const config = {
    memoryMb: 1769,
    timeoutMs: 60_000,
    reserved: 10,
    provisioned: 2,
    sandboxUs: 1,
    downloadUsPerMb: 2,
    packageMb: 3,
    initUs: 4,
    architecture: 'arm64',
    ephemeralMb: 2048,
  };
  const f = region.createFunction(0, config);
  assert.deepEqual(region.functionConfig(f), config);
  region.putReserved(0, f, null);
  region.putProvisioned(0, f, 1);
  assert.deepEqual(region.functionConfig(f), { ...config, reserved: null, provisioned: 1 });
  region.updateFunction(0, f, {});
  assert.deepEqual(region.functionConfig(f), lsim.defaultFunctionConfig());
});

test('unknown environments are UNKNOWN_ENV, deleted functions UNKNOWN_FUNCTION', (t) => {
  const region = newRegion(t);
  const other = newRegion(t);
  const f = region.createFunction(0);
  const a = region.invoke(0, f);
  const end = a.readyAtUs + 1000;
  region.finish(end, a.invocation);
  assert.deepEqual(region.envFunction(a.env), f);
  throwsStatus(() => region.envFunction({ index: 9999, generation: 1 }), 'UNKNOWN_ENV');
  throwsStatus(() => other.envFunction(a.env), 'UNKNOWN_ENV');
  assert.throws(() => region.envFunction({ index: -1, generation: 0 }), TypeError);
  region.advance(end + IDLE_US);
  assert.equal(region.envState(a.env), 'Terminated');
  throwsStatus(() => region.envFunction(a.env), 'UNKNOWN_ENV');

  const now = end + IDLE_US;
  region.deleteFunction(now, f);
  throwsStatus(() => region.setKeepAlive(now, f, 5), 'UNKNOWN_FUNCTION');
  throwsStatus(() => region.prewarm(now, f), 'UNKNOWN_FUNCTION');
  throwsStatus(() => region.functionOccupancy(f), 'UNKNOWN_FUNCTION');
  throwsStatus(() => region.functionBusy(f), 'UNKNOWN_FUNCTION');
  throwsStatus(() => region.functionConfig(f), 'UNKNOWN_FUNCTION');
  const g = other.createFunction(0);
  throwsStatus(() => region.prewarm(now, g), 'UNKNOWN_FUNCTION');
  region.check();
});
