'use strict';
// The example (example.js): 100 requests/s x 0.5 s ≈ 50 concurrent
// environments (Little's law), at a small scale, with the same numbers the C
// example (bindings/c/example.c) prints for 60 s.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { littleLaw } = require('../example');

test("100 requests/s x 0.5 s keeps about 50 environments busy (Little's law)", () => {
  const r = littleLaw({ seconds: 5 });
  assert.equal(r.requests, 500);
  assert.equal(r.throttled, 0);
  assert.ok(r.steadyMean >= 48 && r.steadyMean <= 52, `steady-state mean ${r.steadyMean}`);
  assert.ok(r.steadyMin >= 48 && r.steadyMax <= 52, `steady-state range ${r.steadyMin}..${r.steadyMax}`);
  // While the first environments cold-start (380 ms), more requests pile up.
  assert.ok(r.peakBusy > 50, `peak ${r.peakBusy}`);
  assert.equal(r.fullColdStarts, r.envsCreated);
  assert.equal(r.fullColdStarts + r.warmStarts, r.requests);
});

test('the arithmetic scales: 200 requests/s x 0.25 s is also about 50', () => {
  const r = littleLaw({ ratePerSecond: 200, handlerUs: 250000, seconds: 4 });
  assert.equal(r.throttled, 0);
  assert.ok(r.steadyMean >= 48 && r.steadyMean <= 52, `steady-state mean ${r.steadyMean}`);
});

test('example.js runs as a script', () => {
  const out = spawnSync(process.execPath, [path.join(__dirname, '..', 'example.js'), '4'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /steady-state busy\s+mean 50\.0/);
  assert.match(out.stdout, /requests\s+400 \(0 throttled\)/);
});
