'use strict';
// Region.invokeAsync and friends: asynchronous invocation (lsim_invoke_async).

const test = require('node:test');
const assert = require('node:assert/strict');

const { Region, LambdasimError, Status } = require('..');

function newRegion(t) {
  const region = new Region();
  t.after(() => region.close());
  return region;
}

function throwsStatus(f, status) {
  assert.throws(f, (e) => e instanceof LambdasimError && e.status === status && e.code === Status[status]);
}

test('a failing event is retried 1 min, then 2 min after each failed attempt, then dead-lettered', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0, { sandboxUs: 0, packageMb: 0, initUs: 0, timeoutMs: 900_000 });
  const handler = { durationUs: 5_000_000, outcome: 'FunctionError' };
  throwsStatus(() => region.invokeAsync(0, f, handler), 'INVALID_ARGUMENT'); // no queue yet
  region.attachAsyncQueue(4);
  throwsStatus(() => region.putAsyncConfig(f, { maxRetryAttempts: 3 }), 'MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE');
  throwsStatus(() => region.putAsyncConfig(f, { maxEventAgeS: 59 }), 'MAXIMUM_EVENT_AGE_OUT_OF_RANGE');
  assert.throws(() => region.putAsyncConfig(f, { onSuccess: 'Sometimes' }), RangeError);
  assert.throws(() => region.putAsyncConfig(f, { retries: 1 }), TypeError);
  region.putAsyncConfig(f, { deadLetterQueue: 'Available' });
  const e = region.invokeAsync(10_000_000, f, handler);
  assert.equal(region.asyncEventStatus(e).state, 'Running');
  for (const [at, state, attempts, dueAtUs] of [
    [15_000_000, 'Queued', 1, 75_000_000],
    [75_000_000, 'Running', 2, 0],
    [80_000_000, 'Queued', 2, 200_000_000],
    [205_000_000, 'Dropped', 3, 0],
  ]) {
    region.advance(at);
    const s = region.asyncEventStatus(e);
    assert.deepEqual(s, { state, attempts, dueAtUs, reason: state === 'Dropped' ? 'RetriesExhausted' : 'None' });
  }
  const s = region.regionAsyncStats();
  assert.equal(s.received, 1);
  assert.equal(s.attempts, 3);
  assert.equal(s.deadLettered, 1);
  assert.deepEqual(region.functionAsyncStats(f), s);
  assert.equal(region.regionStats().invocations, 3);
  throwsStatus(() => region.asyncEventStatus({ ...e, generation: e.generation + 1 }), 'UNKNOWN_ASYNC_EVENT');
  region.check();
});

test('a full queue refuses and counts the event', (t) => {
  const region = newRegion(t);
  const f = region.createFunction(0);
  region.attachAsyncQueue(1);
  throwsStatus(() => region.attachAsyncQueue(1), 'INVALID_ARGUMENT');
  region.invokeAsync(0, f, { durationUs: 1_000_000 });
  throwsStatus(() => region.invokeAsync(0, f, { durationUs: 1_000_000 }), 'QUEUE_FULL');
  assert.equal(region.regionAsyncStats().rejected, 1);
  throwsStatus(() => region.invokeAsync(0, f, { durationUs: 0 }, 256), 'INVALID_ARGUMENT');
});
