'use strict';
// Errors, argument checking and lifecycle of the Node binding.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const lsim = require('..');
const { Region, LambdasimError, Status } = lsim;

const DISPOSE = Symbol.dispose ?? Symbol.for('nodejs.dispose');

/** Asserts `f` throws a LambdasimError with this status name. */
function throwsStatus(f, status, msg) {
  assert.throws(
    f,
    (e) => {
      assert.ok(e instanceof LambdasimError, `expected a LambdasimError, got ${e && e.stack}`);
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'LambdasimError');
      assert.equal(e.status, status);
      assert.equal(e.code, Status[status]);
      assert.equal(e.reason, `LSIM_STATUS_${status}`);
      assert.match(e.message, new RegExp(status));
      return true;
    },
    msg,
  );
}

/** A region with one default function `f` and its first (cold) invocation `a`. */
function setup(config) {
  const region = new Region(config);
  const f = region.createFunction(0);
  const a = region.invoke(0, f);
  return { region, f, a };
}

// ---------------------------------------------------------------------------
// Loading and versions.

test('the ABI version of the loaded library is the one this binding expects', () => {
  assert.equal(lsim.ABI_VERSION, 4);
  assert.equal(lsim.abiVersion(), lsim.ABI_VERSION);
  assert.match(lsim.version(), /^\d+\.\d+\.\d+/);
  assert.equal(lsim.koffiVersion, '3.3.4');
  assert.ok(path.isAbsolute(lsim.LIBRARY_PATH));
});

test('checkAbiVersion accepts the same version and names both versions and the path otherwise', () => {
  lsim.checkAbiVersion(1, 1, '/x/liblambdasim_ffi.so');
  lsim.checkAbiVersion(lsim.abiVersion());
  assert.throws(
    () => lsim.checkAbiVersion(2, 1, '/x/liblambdasim_ffi.so'),
    (e) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /ABI version mismatch/);
      assert.match(e.message, /\/x\/liblambdasim_ffi\.so/);
      assert.match(e.message, /ABI version 2/);
      assert.match(e.message, /expects ABI version 1/);
      return true;
    },
  );
  assert.throws(() => lsim.checkAbiVersion(0), new RegExp(lsim.LIBRARY_PATH.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('the library path: LAMBDASIM_LIB, else CARGO_TARGET_DIR, else the workspace target', () => {
  const fromEnv = lsim.resolveLibraryPath({ LAMBDASIM_LIB: '/opt/l/liblambdasim_ffi.so' });
  assert.equal(fromEnv.path, '/opt/l/liblambdasim_ffi.so');
  assert.equal(fromEnv.fromEnv, true);
  const fromTarget = lsim.resolveLibraryPath({ CARGO_TARGET_DIR: '/tmp/lsim-target-does-not-exist' }, 'linux');
  assert.equal(fromTarget.path, '/tmp/lsim-target-does-not-exist/release/liblambdasim_ffi.so');
  const mac = lsim.resolveLibraryPath({ CARGO_TARGET_DIR: '/tmp/lsim-target-does-not-exist' }, 'darwin');
  assert.equal(mac.path, '/tmp/lsim-target-does-not-exist/release/liblambdasim_ffi.dylib');
  const relative = lsim.resolveLibraryPath({ CARGO_TARGET_DIR: 'target-ci' }, 'linux');
  assert.equal(relative.candidates[0], path.resolve(__dirname, '..', '..', '..', 'target-ci', 'release', 'liblambdasim_ffi.so'));
  const workspace = lsim.resolveLibraryPath({}, 'linux');
  assert.equal(
    workspace.candidates[0],
    path.resolve(__dirname, '..', '..', '..', 'target', 'release', 'liblambdasim_ffi.so'),
  );
});

test('a missing library is a clear error naming the path and how to build it', () => {
  const missing = path.join(__dirname, 'no-such-dir', 'liblambdasim_ffi.so');
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(__dirname, '..'))})`], {
    env: { ...process.env, LAMBDASIM_LIB: missing },
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.ok(r.stderr.includes(`shared library not found at ${missing}`), r.stderr);
  assert.ok(r.stderr.includes('cargo build --release -p lambdasim-ffi'), r.stderr);
  assert.ok(r.stderr.includes('LAMBDASIM_LIB'), r.stderr);
});

test('a file that is not a library is a clear error naming the path', () => {
  const notLib = path.join(__dirname, '..', 'package.json');
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(__dirname, '..'))})`], {
    env: { ...process.env, LAMBDASIM_LIB: notLib },
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.ok(r.stderr.includes(`cannot load the shared library ${notLib}`), r.stderr);
});

test('status codes, names and the library strings agree', () => {
  for (const [name, code] of Object.entries(Status)) {
    assert.equal(lsim.libraryName('status', code), `LSIM_STATUS_${name}`);
    assert.equal(lsim.statusName(code), name);
    const e = new LambdasimError(code, 'op');
    assert.equal(e.status, name);
    assert.equal(e.reason, `LSIM_STATUS_${name}`);
  }
  assert.equal(lsim.libraryName('status', Object.keys(Status).length), 'unknown status');
  assert.equal(lsim.statusName(999), 'UNKNOWN');
  assert.equal(new LambdasimError(999).reason, 'unknown status');
  for (const [name, code] of Object.entries(lsim.ThrottleReason)) assert.equal(lsim.libraryName('throttleReason', code), name);
  for (const [name, code] of Object.entries(lsim.StartKind)) assert.equal(lsim.libraryName('startKind', code), name);
  for (const [name, code] of Object.entries(lsim.EnvState)) assert.equal(lsim.libraryName('envState', code), name);
  for (const [name, code] of Object.entries(lsim.ProvisionedStatus)) {
    assert.equal(lsim.libraryName('provisionedStatus', code), name);
  }
  assert.deepEqual(Object.keys(lsim.Outcome), ['Success', 'FunctionError', 'Timeout', 'Crash']);
  for (const [name, code] of Object.entries(lsim.Outcome)) {
    assert.equal(lsim.libraryName('outcome', code), name);
    assert.equal(lsim.outcomeName(code), name);
  }
  assert.equal(lsim.outcomeName(4), 'unknown');
});

test('defaults come from the C default fillers', () => {
  assert.deepEqual(lsim.defaultRegionConfig(), {
    accountLimit: 1000,
    unreservedMin: 100,
    scalingRule: 'perFunction',
    legacyBurst: 3000,
    requestRatePerLimit: 10,
    idleTimeoutUs: 600000000,
    maxLifetimeUs: 7200000000,
    shutdownUs: 0,
    warmPick: 'mru',
    memoryRule: 'current',
    provisionedDelayUs: 60000000,
    provisionedPerMinute: 6000,
    granularity: '1ms',
    billInit: true,
    envCapacity: 16384,
    functionCapacity: 256,
  });
  assert.deepEqual(lsim.defaultFunctionConfig(), {
    memoryMb: 128,
    timeoutMs: 3000,
    reserved: null,
    provisioned: 0,
    sandboxUs: 125000,
    downloadUsPerMb: 1000,
    packageMb: 5,
    initUs: 250000,
    architecture: 'x86_64',
    ephemeralMb: 512,
  });
  // A full default config round-trips through the constructors.
  const r = new Region(lsim.defaultRegionConfig());
  r.createFunction(0, lsim.defaultFunctionConfig());
  r.close();
});

test('capacities come from the region config', () => {
  const r = new Region({ envCapacity: 2, functionCapacity: 1 });
  const f = r.createFunction(0);
  throwsStatus(() => r.createFunction(0), 'CAPACITY_EXCEEDED');
  const handler = { durationUs: 1000000 };
  r.invokeFor(0, f, handler);
  r.invokeFor(0, f, handler);
  throwsStatus(() => r.invokeFor(0, f, handler), 'CAPACITY_EXCEEDED');
  r.close();
  throwsStatus(() => new Region({ envCapacity: 0 }), 'INVALID_ARGUMENT');
  throwsStatus(() => new Region({ functionCapacity: lsim.FUNCTION_CAPACITY_MAX + 1 }), 'INVALID_ARGUMENT');
  assert.equal(lsim.ENV_CAPACITY_MAX, 4194304);
});

// ---------------------------------------------------------------------------
// Closed regions.

test('every method of a closed region throws STALE_HANDLE; close twice is fine', () => {
  const { region, f, a } = setup();
  assert.equal(region.closed, false);
  region.close();
  assert.equal(region.closed, true);
  region.close();
  region[DISPOSE]();
  const calls = {
    createFunction: () => region.createFunction(1),
    updateFunction: () => region.updateFunction(1, f, {}),
    putReserved: () => region.putReserved(1, f, 5),
    putProvisioned: () => region.putProvisioned(1, f, 1),
    deleteFunction: () => region.deleteFunction(1, f),
    invoke: () => region.invoke(1, f),
    invokeWithInit: () => region.invokeWithInit(1, f, 5),
    invokeFor: () => region.invokeFor(1, f, { durationUs: 5 }),
    invokeForInto: () => region.invokeForInto(1, f, 5, 0, new lsim.InvokeResultView()),
    invokeInto: () => region.invokeInto(1, f, new lsim.InvokeResultView()),
    finish: () => region.finish(a.readyAtUs, a.invocation),
    advance: () => region.advance(1),
    nextDeadline: () => region.nextDeadline(),
    now: () => region.now(),
    functionCounts: () => region.functionCounts(f),
    functionStats: () => region.functionStats(f),
    regionStats: () => region.regionStats(),
    attachMetrics: () => region.attachMetrics(),
    metricDatapoint: () => region.metricDatapoint('Invocations', f, 0),
    metricStatistic: () => region.metricStatistic('Invocations', null, 'Sum', 0),
    metricLatency: () => region.metricLatency('Duration', f),
    metricStatistics: () => region.metricStatistics('Invocations', f, 'Sum', 0, 2),
    regionCounts: () => region.regionCounts(),
    envState: () => region.envState(a.env),
    check: () => region.check(),
    bill: () => region.bill(),
    functionBill: () => region.functionBill(f),
    setKeepAlive: () => region.setKeepAlive(1, f, null),
    prewarm: () => region.prewarm(1, f),
    occupancy: () => region.occupancy(),
    functionOccupancy: () => region.functionOccupancy(f),
    takeBusyWindowPeak: () => region.takeBusyWindowPeak(),
    functionBusy: () => region.functionBusy(f),
    envFunction: () => region.envFunction(a.env),
    functionConfig: () => region.functionConfig(f),
    attachAsyncQueue: () => region.attachAsyncQueue(4),
    putAsyncConfig: () => region.putAsyncConfig(f, {}),
    invokeAsync: () => region.invokeAsync(1, f, { durationUs: 5 }),
    asyncEventStatus: () => region.asyncEventStatus({ index: 0, generation: 1, regionTag: f.regionTag }),
    regionAsyncStats: () => region.regionAsyncStats(),
    functionAsyncStats: () => region.functionAsyncStats(f),
  };
  const methods = Object.getOwnPropertyNames(Region.prototype).filter(
    (m) => m !== 'constructor' && m !== 'close' && m !== 'closed' && typeof Region.prototype[m] === 'function',
  );
  assert.deepEqual(methods.sort(), Object.keys(calls).sort(), 'every method is covered');
  for (const [name, call] of Object.entries(calls)) {
    throwsStatus(call, 'STALE_HANDLE', name);
    assert.throws(call, /closed/, name);
  }
});

test('Symbol.dispose closes the region', () => {
  const r = new Region();
  assert.equal(typeof r[DISPOSE], 'function');
  r[DISPOSE]();
  assert.equal(r.closed, true);
  throwsStatus(() => r.now(), 'STALE_HANDLE');
  r[DISPOSE]();
});

test('`using` closes the region at the end of the block (where supported)', (t) => {
  let usingBlock;
  try {
    // eslint-disable-next-line no-new-func
    usingBlock = new Function('Region', 'let kept; { using r = new Region(); kept = r; r.now(); } return kept;');
  } catch {
    t.skip(`this Node (${process.version}) has no \`using\` declarations`);
    return;
  }
  const r = usingBlock(Region);
  assert.equal(r.closed, true);
});

test('Region.create is new Region; liveCount follows create and close', () => {
  const before = Region.liveCount();
  const r = Region.create({ accountLimit: 500 });
  assert.ok(r instanceof Region);
  assert.equal(Region.liveCount(), before + 1);
  r.close();
  r.close();
  assert.equal(Region.liveCount(), before);
});

test('the FinalizationRegistry frees regions that were never closed', () => {
  const script = `
    const { Region } = require(${JSON.stringify(path.join(__dirname, '..'))});
    (function leak() { for (let i = 0; i < 50; i++) new Region().createFunction(0); })();
    if (Region.liveCount() !== 50) { console.error('live before GC: ' + Region.liveCount()); process.exit(2); }
    let tries = 0;
    (function poll() {
      globalThis.gc();
      if (Region.liveCount() === 0) { console.log('freed'); return; }
      if (++tries > 200) { console.error('still live: ' + Region.liveCount()); process.exit(3); }
      setTimeout(poll, 5);
    })();
  `;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'freed');
});

// ---------------------------------------------------------------------------
// Wrong types: TypeError.

test('wrong types throw TypeError', () => {
  const { region, f, a } = setup();
  try {
    assert.throws(() => region.invoke('1000', f), TypeError);
    assert.throws(() => region.invoke(true, f), TypeError);
    assert.throws(() => region.invoke(0, { index: 0, generation: 1, regionTag: '1' }), TypeError);
    assert.throws(() => region.invoke(undefined, f), TypeError);
    assert.throws(() => region.advance(null), TypeError);
    assert.throws(() => region.invoke(0, {}), TypeError);
    assert.throws(() => region.invoke(0, { name: 'f' }), TypeError);
    assert.throws(() => region.invoke(0, 'f'), TypeError);
    assert.throws(() => region.invoke(0, null), TypeError);
    assert.throws(() => region.invoke(0), TypeError);
    assert.throws(() => region.invoke(0, { index: -1, generation: 0 }), TypeError);
    assert.throws(() => region.invoke(0, a.invocation), TypeError);
    assert.throws(() => region.finish(a.readyAtUs, f), TypeError);
    assert.throws(() => region.finish(a.readyAtUs, {}), TypeError);
    assert.throws(() => region.finish(a.readyAtUs, a.invocation, true), TypeError);
    assert.throws(() => region.envState({}), TypeError);
    assert.throws(() => region.functionCounts([]), TypeError);
    assert.throws(() => region.createFunction(0, { memoryMb: '256' }), TypeError);
    assert.throws(() => region.createFunction(0, { reserved: '5' }), TypeError);
    assert.throws(() => region.createFunction(0, 'config'), TypeError);
    assert.throws(() => region.createFunction(0, { memory: 256 }), TypeError, 'unknown key');
    assert.throws(() => region.putReserved(0, f, undefined), TypeError);
    assert.throws(() => region.putReserved(0, f, '5'), TypeError);
    assert.throws(() => region.putProvisioned(0, f, null), TypeError);
    assert.throws(() => region.invokeWithInit(0, f, '5'), TypeError);
    assert.throws(() => new Region({ accountLimit: '1000' }), TypeError);
    assert.throws(() => new Region({ warmPick: true }), TypeError);
    assert.throws(() => new Region({ acountLimit: 1000 }), TypeError, 'unknown key');
    assert.throws(() => new Region(42), TypeError);
    // Nothing changed.
    assert.equal(region.regionStats().requests, 1);
    region.check();
  } finally {
    region.close();
  }
});

// ---------------------------------------------------------------------------
// Out-of-range numbers: RangeError (JS-side) or LambdasimError (C-side).

test('out-of-range numbers throw RangeError before reaching C', () => {
  const { region, f, a } = setup();
  try {
    for (const bad of [-1, 1.5, 2 ** 53, 2 ** 64, NaN, Infinity, -0.5]) {
      assert.throws(() => region.advance(bad), RangeError, String(bad));
      assert.throws(() => region.invoke(bad, f), RangeError, String(bad));
    }
    for (const bad of [-1n, 1n << 64n]) {
      assert.throws(() => region.advance(bad), RangeError, String(bad));
      assert.throws(() => region.invoke(bad, f), RangeError, String(bad));
    }
    assert.throws(() => region.invokeWithInit(0, f, -5), RangeError);
    assert.throws(() => region.createFunction(0, { memoryMb: 2 ** 32 }), RangeError);
    assert.throws(() => region.createFunction(0, { memoryMb: -128 }), RangeError);
    assert.throws(() => region.createFunction(0, { initUs: 2 ** 64 }), RangeError);
    assert.throws(() => region.putReserved(0, f, 2 ** 32), RangeError);
    assert.throws(() => region.putProvisioned(0, f, -1), RangeError);
    assert.throws(() => region.finish(a.readyAtUs, a.invocation, 'Sucess'), RangeError);
    assert.throws(() => region.finish(a.readyAtUs, a.invocation, -1), RangeError);
    assert.throws(() => new Region({ warmPick: 'fifo' }), RangeError);
    assert.throws(() => new Region({ idleTimeoutUs: 2 ** 64 }), RangeError);
    // Nothing changed: the clock is still 0 and a is still running.
    assert.equal(region.now(), 0);
    assert.equal(region.regionCounts().busy, 1);
    region.check();
  } finally {
    region.close();
  }
});

test('values C rejects come back as LambdasimError with their status', () => {
  const { region, f, a } = setup();
  try {
    throwsStatus(() => region.createFunction(0, { memoryMb: 127 }), 'MEMORY_BELOW_MINIMUM');
    throwsStatus(() => region.createFunction(0, { memoryMb: 10241 }), 'MEMORY_ABOVE_MAXIMUM');
    throwsStatus(() => region.createFunction(0, { timeoutMs: 0 }), 'TIMEOUT_OUT_OF_RANGE');
    throwsStatus(() => region.createFunction(0, { timeoutMs: 900001 }), 'TIMEOUT_OUT_OF_RANGE');
    throwsStatus(() => region.createFunction(0, { packageMb: 10241 }), 'PACKAGE_TOO_LARGE');
    throwsStatus(() => region.createFunction(0, { reserved: 2, provisioned: 3 }), 'PROVISIONED_EXCEEDS_RESERVED');
    throwsStatus(() => region.createFunction(0, { reserved: 901 }), 'UNRESERVED_BELOW_MINIMUM');
    throwsStatus(() => region.updateFunction(0, f, { memoryMb: 127 }), 'MEMORY_BELOW_MINIMUM');
    throwsStatus(() => region.putReserved(0, f, 901), 'UNRESERVED_BELOW_MINIMUM');
    throwsStatus(() => region.finish(a.readyAtUs, a.invocation, 99), 'INVALID_ARGUMENT');
    throwsStatus(() => region.finish(a.readyAtUs, a.invocation, 4), 'INVALID_ARGUMENT');
    throwsStatus(() => region.deleteFunction(0, f), 'FUNCTION_BUSY');
    throwsStatus(() => region.finish(a.readyAtUs - 1, a.invocation), 'NOT_READY');
    throwsStatus(() => new Region({ accountLimit: 0 }), 'ACCOUNT_LIMIT_TOO_LOW');
    throwsStatus(() => new Region({ accountLimit: 50 }), 'ACCOUNT_LIMIT_TOO_LOW');
    throwsStatus(() => new Region({ provisionedPerMinute: 0 }), 'INVALID_SETTING');
    throwsStatus(() => new Region({ scalingRule: 'legacyAccount', legacyBurst: 0 }), 'INVALID_SETTING');
    throwsStatus(() => new Region({ warmPick: 7 }), 'INVALID_ARGUMENT');
    throwsStatus(() => new Region({ scalingRule: 5 }), 'INVALID_ARGUMENT');
    // The invocation is still running after the rejected finishes.
    const done = region.finish(a.readyAtUs, a.invocation, 'FunctionError');
    assert.equal(done.envKept, true);
    assert.equal(region.regionStats().errors, 1);
    region.check();
  } finally {
    region.close();
  }
  const legacy = new Region({ memoryRule: 'legacy64' });
  try {
    throwsStatus(() => legacy.createFunction(0, { memoryMb: 200 }), 'MEMORY_NOT_ON_STEP');
    throwsStatus(() => legacy.createFunction(0, { memoryMb: 3072 }), 'MEMORY_ABOVE_MAXIMUM');
    legacy.createFunction(0, { memoryMb: 192 });
  } finally {
    legacy.close();
  }
});

test('time going backwards is TIME_WENT_BACKWARDS and changes nothing', () => {
  const r = new Region();
  try {
    const f = r.createFunction(1000);
    r.advance(5000);
    throwsStatus(() => r.advance(4999), 'TIME_WENT_BACKWARDS');
    throwsStatus(() => r.invoke(10, f), 'TIME_WENT_BACKWARDS');
    throwsStatus(() => r.createFunction(10), 'TIME_WENT_BACKWARDS');
    throwsStatus(() => r.putProvisioned(10, f, 1), 'TIME_WENT_BACKWARDS');
    throwsStatus(() => r.deleteFunction(10, f), 'TIME_WENT_BACKWARDS');
    assert.equal(r.now(), 5000);
    const a = r.invoke(5000, f);
    throwsStatus(() => r.finish(4000, a.invocation), 'TIME_WENT_BACKWARDS');
    r.advance(5000); // the same instant is fine
    r.check();
  } finally {
    r.close();
  }
});

// ---------------------------------------------------------------------------
// Stale handles.

test('a deleted function handle is UNKNOWN_FUNCTION everywhere', () => {
  const r = new Region();
  try {
    const f = r.createFunction(0);
    r.deleteFunction(0, f);
    r.check();
    throwsStatus(() => r.invoke(0, f), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.invokeWithInit(0, f, 5), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.deleteFunction(0, f), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.updateFunction(0, f, {}), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.putReserved(0, f, 5), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.putProvisioned(0, f, 1), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.functionCounts(f), 'UNKNOWN_FUNCTION');
    throwsStatus(() => r.functionStats(f), 'UNKNOWN_FUNCTION');
    // A new function in the same slot does not answer to the old handle.
    const g = r.createFunction(0);
    assert.equal(g.index, f.index);
    assert.notEqual(g.generation, f.generation);
    throwsStatus(() => r.invoke(0, f), 'UNKNOWN_FUNCTION');
    // A made-up handle (a plain object of the right shape) goes to C, which refuses it.
    throwsStatus(() => r.invoke(0, { index: 200, generation: 1 }), 'UNKNOWN_FUNCTION');
    // A copy of a live handle works; without its region tag it names nothing.
    assert.equal(r.invoke(0, { index: g.index, generation: g.generation, regionTag: g.regionTag }).throttled, false);
    throwsStatus(() => r.invoke(0, { index: g.index, generation: g.generation }), 'UNKNOWN_FUNCTION');
    r.check();
  } finally {
    r.close();
  }
});

test('a finished or made-up invocation handle is UNKNOWN_INVOCATION', () => {
  const { region, a } = setup();
  try {
    region.finish(a.readyAtUs + 1000, a.invocation);
    throwsStatus(() => region.finish(a.readyAtUs + 2000, a.invocation), 'UNKNOWN_INVOCATION');
    throwsStatus(() => region.finish(a.readyAtUs + 2000, { env: { index: 9999, generation: 1 }, seq: 1 }), 'UNKNOWN_INVOCATION');
    const wrongSeq = { env: a.invocation.env, seq: a.invocation.seq + 1 };
    throwsStatus(() => region.finish(a.readyAtUs + 2000, wrongSeq), 'UNKNOWN_INVOCATION');
    region.check();
  } finally {
    region.close();
  }
});

test('an invocation the region ended at its timeout is TIMED_OUT', () => {
  const { region, a } = setup();
  try {
    assert.equal(region.nextDeadline(), 130000);
    // Follow the region's own deadlines until it ends the invocation (3 s timeout).
    for (let i = 0; i < 10 && region.regionCounts().busy > 0; i++) region.advance(region.nextDeadline());
    assert.equal(region.regionCounts().busy, 0);
    const endedAt = region.now();
    assert.ok(endedAt >= 3000000 && endedAt <= a.readyAtUs + 3000000, `ended at ${endedAt}`);
    throwsStatus(() => region.finish(endedAt + 1, a.invocation), 'TIMED_OUT');
    assert.equal(region.regionStats().timeouts, 1);
    region.check();
  } finally {
    region.close();
  }
});

test("another region's handles are refused, not aliased", () => {
  const one = setup();
  const two = setup();
  try {
    throwsStatus(() => two.region.invoke(0, one.f), 'UNKNOWN_FUNCTION');
    throwsStatus(() => two.region.functionCounts(one.f), 'UNKNOWN_FUNCTION');
    throwsStatus(() => two.region.finish(one.a.readyAtUs, one.a.invocation), 'UNKNOWN_INVOCATION');
    assert.equal(two.region.envState(one.a.env), 'Terminated');
    assert.equal(two.region.envState(two.a.env), 'Creating');
    assert.equal(two.region.regionStats().requests, 1);
  } finally {
    one.region.close();
    two.region.close();
  }
});

// ---------------------------------------------------------------------------
// Answers.

test('handles are frozen plain objects', () => {
  const { region, f, a } = setup();
  try {
    assert.ok(Object.isFrozen(f));
    assert.ok(Object.isFrozen(a.invocation));
    assert.ok(Object.isFrozen(a.invocation.env));
    assert.ok(Object.isFrozen(a.env));
    assert.deepEqual(Object.keys(f).sort(), ['generation', 'index', 'regionTag']);
    assert.deepEqual(a.invocation.env, a.env);
    assert.deepEqual(JSON.parse(JSON.stringify(a.invocation)), { env: { ...a.env }, seq: 1 });
  } finally {
    region.close();
  }
});

test('a throttle is an answer with its reason, not an error', () => {
  const r = new Region();
  try {
    const f = r.createFunction(0, { reserved: 0 });
    const t = r.invoke(0, f);
    assert.deepEqual(t, {
      throttled: true,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      reasonCode: lsim.ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded,
    });
    const s = r.functionStats(f);
    assert.equal(s.requests, 1);
    assert.equal(s.invocations, 0);
    assert.equal(s.throttles.ReservedFunctionConcurrentInvocationLimitExceeded, 1);
    assert.equal(s.throttlesTotal, 1);
    assert.equal(r.functionCounts(f).reserved, 0);
    // Removing reserved concurrency lets it run.
    r.putReserved(0, f, null);
    assert.equal(r.functionCounts(f).reserved, null);
    const started = r.invoke(0, f);
    assert.equal(started.throttled, false);
    assert.equal(started.start, 'FullCold');
    r.check();

    // The account limit: 100 concurrent with an unreserved minimum of 100.
    const small = new Region({ accountLimit: 100 });
    try {
      const g = small.createFunction(0);
      for (let i = 0; i < 100; i++) assert.equal(small.invoke(0, g).throttled, false);
      const over = small.invoke(0, g);
      assert.equal(over.throttled, true);
      assert.equal(over.reason, 'ConcurrentInvocationLimitExceeded');
      assert.equal(over.reasonCode, 0);
      small.check();
    } finally {
      small.close();
    }
  } finally {
    r.close();
  }
});

test('a warm reuse round trip through every query', () => {
  const { region: r, f, a } = setup();
  try {
    assert.deepEqual(
      { ...a, invocation: undefined, env: undefined },
      {
        throttled: false,
        invocation: undefined,
        env: undefined,
        start: 'FullCold',
        startKind: lsim.StartKind.FullCold,
        onProvisioned: false,
        initUs: 380000,
        readyAtUs: 380000,
        suppressedInitUs: 0,
      },
    );
    assert.equal(r.envState(a.env), 'Creating');
    assert.equal(r.nextDeadline(), 130000);
    r.advance(130000);
    assert.equal(r.envState(a.env), 'Initializing');
    assert.deepEqual(r.regionCounts(), { busy: 1, live: 1, unreservedInUse: 1, unreservedPool: 1000, claimed: 1 });
    const done = r.finish(a.readyAtUs + 100000, a.invocation);
    assert.deepEqual(done.function, f);
    assert.deepEqual(done.env, a.env);
    assert.equal(done.durationUs, 100000);
    assert.equal(done.envKept, true);
    assert.equal(r.envState(a.env), 'Idle');
    const b = r.invoke(2000000, f);
    assert.equal(b.start, 'Warm');
    assert.deepEqual(b.env, a.env);
    assert.equal(b.invocation.seq, 2);
    assert.equal(r.envState(b.env), 'Busy');
    const counts = r.functionCounts(f);
    assert.equal(counts.busy, 1);
    assert.equal(counts.live, 1);
    assert.equal(counts.provisionedStatus, 'NONE');
    r.finish(2100000, b.invocation, lsim.Outcome.Success);
    r.deleteFunction(2200000, f);
    assert.equal(r.envState(a.env), 'Terminated');
    assert.equal(r.now(), 2200000);
    assert.equal(r.nextDeadline(), null);
    const s = r.regionStats();
    assert.equal(s.requests, 2);
    assert.equal(s.warmStarts, 1);
    assert.equal(s.fullColdStarts, 1);
    assert.equal(s.succeeded, 2);
    r.check();
  } finally {
    r.close();
  }
});

test('invokeWithInit overrides the init duration of a cold start', () => {
  const r = new Region();
  try {
    const f = r.createFunction(0);
    const a = r.invokeWithInit(0, f, 1000000);
    assert.equal(a.start, 'FullCold');
    assert.equal(a.initUs, 130000 + 1000000);
    assert.equal(a.readyAtUs, 1130000);
    r.check();
  } finally {
    r.close();
  }
});

test('provisioned concurrency: READY, then provisioned starts and spillover', () => {
  const r = new Region();
  try {
    const f = r.createFunction(0, { reserved: 3, provisioned: 1 });
    let c = r.functionCounts(f);
    assert.equal(c.provisionedStatus, 'IN_PROGRESS');
    for (let i = 0; i < 100 && c.provisionedStatus === 'IN_PROGRESS'; i++) {
      r.advance(r.nextDeadline());
      r.check();
      c = r.functionCounts(f);
    }
    assert.equal(c.provisionedStatus, 'READY');
    assert.equal(c.idleProvisioned, 1);
    const at = r.now();
    assert.equal(at, 60000000 + 380000);
    const [a, b, d, e] = [0, 1, 2, 3].map(() => r.invoke(at, f));
    assert.equal(a.start, 'Provisioned');
    assert.equal(a.onProvisioned, true);
    assert.equal(b.start, 'FullCold');
    assert.equal(b.onProvisioned, false);
    assert.equal(d.onProvisioned, false);
    assert.equal(e.throttled, true);
    assert.equal(e.reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    const s = r.functionStats(f);
    assert.equal(s.provisionedStarts, 1);
    assert.equal(s.spillover, 2);
    r.putProvisioned(at, f, 0);
    r.updateFunction(at, f, { reserved: 3, memoryMb: 256 });
    r.check();
  } finally {
    r.close();
  }
});
