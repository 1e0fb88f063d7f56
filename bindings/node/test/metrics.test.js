'use strict';
// A region's CloudWatch metrics from Node: the model's provisioned example,
// missing datapoints, and bad inputs.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Region, LambdasimError } = require('..');

test("one request a minute lasting two minutes: minute 2 has 2 busy provisioned, 1 invocation", () => {
  const r = new Region({ functionCapacity: 2, provisionedDelayUs: 0 });
  r.attachMetrics();
  const f = r.createFunction(0, { provisioned: 3, timeoutMs: 900000 });
  for (let minute = 1; minute <= 4; minute++) r.invokeFor(minute * 60000000, f, { durationUs: 120000000 });
  r.advance(420000000);
  assert.equal(r.metricStatistic('ProvisionedConcurrentExecutions', f, 'Maximum', 2), 2);
  assert.equal(r.metricStatistic('ProvisionedConcurrencyInvocations', f, 'Sum', 2), 1);
  assert.equal(r.metricStatistic('Invocations', null, 'Sum', 2), 1);
  assert.equal(r.metricStatistic('Invocations', f, 'Sum', 0), null, 'minute 0 is missing, not zero');
  assert.deepEqual(r.metricDatapoint('Duration', f, 1), { sum: 120000000, sampleCount: 1, minimum: 120000000, maximum: 120000000 });
  const lat = r.metricLatency('Duration', f);
  assert.equal(lat.sampleCount, 4);
  assert.equal(lat.maximum, 120000000);
  assert.equal(r.metricStatistic('Duration', f, 'p99', 1), 120000000);
  assert.deepEqual(r.metricStatistics('Invocations', f, 'Sum', 0, 5), [null, 1, 1, 1, 1]);
  assert.deepEqual(r.metricStatistics('Invocations', f, 'Sum', 0, 0), []);
  r.close();
});

test('metric queries refuse bad input with a status', () => {
  const r = new Region();
  const status = (f, s) => assert.throws(f, (e) => e instanceof LambdasimError && e.status === s);
  status(() => r.metricDatapoint('Invocations', null, 0), 'INVALID_ARGUMENT'); // no store
  status(() => r.attachMetrics({ periodS: 45 }), 'INVALID_SETTING');
  status(() => r.attachMetrics({ periods: 0 }), 'INVALID_ARGUMENT');
  assert.throws(() => r.attachMetrics({ bogus: 1 }), TypeError);
  const small = new Region({ functionCapacity: 1 });
  small.attachMetrics({ periods: 4, histogramPeriods: 0 });
  const f = small.createFunction(0);
  status(() => small.metricDatapoint('NoSuchMetric', f, 0), 'INVALID_ARGUMENT');
  status(() => small.metricStatistic('Invocations', f, 'p101', 0), 'INVALID_SETTING');
  status(() => small.metricDatapoint('ClaimedAccountConcurrency', f, 0), 'INVALID_SETTING');
  assert.throws(() => small.metricDatapoint('Invocations', { nope: 1 }, 0), TypeError);
  r.close();
  small.close();
});
