'use strict';
// Target tracking of provisioned concurrency through lsim_target_tracking_decide.

const test = require('node:test');
const assert = require('node:assert/strict');

const { LambdasimError, decideTargetTracking } = require('..');

const policy = { targetPpm: 700000, min: 1, max: 100 };

test('three high minutes scale out by the formula; a burst or an allocation in progress does not', () => {
  const high = [1000000, 1000000, 1000000];
  assert.deepEqual(decideTargetTracking(policy, high, 10), { action: 'out', from: 10, to: 15, utilizationPpm: 1000000 });
  assert.deepEqual(decideTargetTracking(policy, high.slice(1), 10), { action: 'none', from: 10, to: 10, utilizationPpm: 0 });
  assert.equal(decideTargetTracking(policy, high, 10, true).action, 'none');
});

test('fifteen low minutes scale in by at most 10 %; a missing minute or no data does not', () => {
  const low = new Array(15).fill(100000);
  assert.deepEqual(decideTargetTracking(policy, low, 100), { action: 'in', from: 100, to: 90, utilizationPpm: 100000 });
  low[7] = null;
  assert.equal(decideTargetTracking(policy, low, 100).action, 'none');
  assert.equal(decideTargetTracking(policy, new Array(30).fill(null), 100).action, 'none');
});

test('bad arguments throw', () => {
  const invalid = (fn) => assert.throws(fn, (e) => e instanceof LambdasimError && e.status === 'INVALID_ARGUMENT');
  invalid(() => decideTargetTracking({ ...policy, targetPpm: 950000 }, [1], 1));
  invalid(() => decideTargetTracking({ ...policy, min: 0 }, [1], 1));
  invalid(() => decideTargetTracking({ ...policy, max: 0 }, [1], 1));
  invalid(() => decideTargetTracking(policy, [1000001], 1));
  assert.throws(() => decideTargetTracking(policy, [-1], 1), RangeError);
  assert.throws(() => decideTargetTracking(policy, 'x', 1), TypeError);
  assert.throws(() => decideTargetTracking({ ...policy, extra: 1 }, [1], 1), TypeError);
  assert.throws(() => decideTargetTracking(policy, [1], 1, 1), TypeError);
});
