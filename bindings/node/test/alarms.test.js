'use strict';
// Runs every alarm vector (tests/vectors/alarms/*.json, format in
// tests/vectors/README.md, "Alarm vectors") through evaluateAlarm, strict
// like the Rust runner (tests/src/alarms.rs), and checks the alarm API's
// names and errors.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const lsim = require('..');
const { LambdasimError, evaluateAlarm, checkAlarm, defaultAlarmConfig } = lsim;
const { VECTOR_DIR, VectorError, asObject, allowKeys, optU32, reqUint, optStr, reqStr } = require('../support/vector-format');

const ALARM_DIR = path.join(VECTOR_DIR, 'alarms');
const ALARM_KEYS = [
  'metric',
  'statistic',
  'period_s',
  'threshold',
  'comparison',
  'evaluation_periods',
  'datapoints_to_alarm',
  'treat_missing_data',
  'initial_state',
];

/** The binding's config of a vector's `alarm` (names passed as they are). */
function toConfig(a, ctx) {
  asObject(a, ctx);
  allowKeys(a, ALARM_KEYS, ctx);
  if (!Number.isSafeInteger(a.threshold)) throw new VectorError(`${ctx}: \`threshold\` must be an integer`);
  const c = {
    comparison: reqStr(a, 'comparison', ctx),
    threshold: a.threshold,
    evaluationPeriods: reqUint(a, 'evaluation_periods', ctx, 0xffffffff),
    datapointsToAlarm: reqUint(a, 'datapoints_to_alarm', ctx, 0xffffffff),
  };
  const opt = { metric: optStr, statistic: optStr, treatMissingData: optStr, initialState: optStr, periodS: optU32 };
  const keys = {
    metric: 'metric',
    statistic: 'statistic',
    treatMissingData: 'treat_missing_data',
    initialState: 'initial_state',
    periodS: 'period_s',
  };
  for (const [k, read] of Object.entries(opt)) {
    const v = read(a, keys[k], ctx);
    if (v !== undefined) c[k] = v;
  }
  return c;
}

function values(v, ctx) {
  if (!Array.isArray(v)) throw new VectorError(`${ctx}: \`values\` must be an array`);
  for (const x of v) {
    if (x !== null && !Number.isSafeInteger(x)) throw new VectorError(`${ctx}: a value must be an integer or null, found ${x}`);
  }
  return v;
}

function checkError(expect, got, ctx) {
  allowKeys(expect, ['error'], `${ctx} (refused with ${got})`);
  const want = reqStr(expect, 'error', ctx);
  if (want !== got) throw new VectorError(`${ctx}: error: got ${got}, expected ${want}`);
}

function checkRun(expect, res, ctx) {
  allowKeys(expect, ['state', 'transitions'], ctx);
  const state = reqStr(expect, 'state', ctx);
  if (res.state !== state) throw new VectorError(`${ctx}: state: got ${res.state}, expected ${state}`);
  const want = expect.transitions;
  if (!Array.isArray(want)) throw new VectorError(`${ctx}: missing \`transitions\` array`);
  if (want.length !== res.transitions.length) {
    throw new VectorError(`${ctx}: transitions: got ${res.transitions.length} (${JSON.stringify(res.transitions)}), expected ${want.length}`);
  }
  want.forEach((w, i) => {
    const tctx = `${ctx}: transitions[${i}]`;
    asObject(w, tctx);
    allowKeys(w, ['time_s', 'from', 'to'], tctx);
    const g = res.transitions[i];
    const timeS = reqUint(w, 'time_s', tctx);
    if (g.timeUs !== timeS * 1e6 || g.from !== reqStr(w, 'from', tctx) || g.to !== reqStr(w, 'to', tctx)) {
      throw new VectorError(`${tctx}: got ${g.timeUs} us ${g.from} -> ${g.to}, expected ${JSON.stringify(w)}`);
    }
  });
}

function runCase(c) {
  asObject(c, 'case');
  allowKeys(c, ['name', 'alarm', 'values', 'expect'], 'case');
  const ctx = `case \`${reqStr(c, 'name', 'case')}\``;
  const expect = asObject(c.expect, `${ctx}: expect`);
  const config = toConfig(c.alarm, `${ctx}: alarm`);
  const vs = values(c.values, ctx);
  let res;
  try {
    res = evaluateAlarm(config, 0, vs);
  } catch (e) {
    if (!(e instanceof LambdasimError) || typeof e.problem !== 'string') throw e;
    return checkError(expect, e.problem, ctx);
  }
  return checkRun(expect, res, ctx);
}

function runAlarmVector(text) {
  const top = asObject(JSON.parse(text), 'vector');
  allowKeys(top, ['name', 'spec', 'description', 'cases'], 'vector');
  reqStr(top, 'name', 'vector');
  if (!Array.isArray(top.cases)) throw new VectorError('missing `cases` array');
  top.cases.forEach((c, i) => {
    try {
      runCase(c);
    } catch (e) {
      e.message = `case ${i}: ${e.message}`;
      throw e;
    }
  });
  return top.cases.length;
}

test('every alarm vector', () => {
  const files = fs.readdirSync(ALARM_DIR).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length > 0, `no alarm vectors in ${ALARM_DIR}`);
  let total = 0;
  for (const f of files) total += runAlarmVector(fs.readFileSync(path.join(ALARM_DIR, f), 'utf8'));
  assert.ok(total >= 90, `only ${total} alarm cases ran`);
});

test('the alarm runner fails wrong vectors', () => {
  const gt = '"comparison": "GreaterThanThreshold", "threshold": 0, "evaluation_periods": 1, "datapoints_to_alarm": 1';
  const one = (alarm, vs, expect) => `{"name": "x", "cases": [{"name": "c", "alarm": {${alarm}}, "values": ${vs}, "expect": ${expect}}]}`;
  const wrong = {
    'wrong state': one(gt, '[1]', '{"state": "OK", "transitions": []}'),
    'missing change': one(gt, '[1]', '{"state": "ALARM", "transitions": []}'),
    'wrong time': one(gt, '[1]', '{"state": "ALARM", "transitions": [{"time_s": 120, "from": "INSUFFICIENT_DATA", "to": "ALARM"}]}'),
    'wrong error': one(gt.replace('"datapoints_to_alarm": 1', '"datapoints_to_alarm": 2'), '[1]', '{"error": "DatapointsToAlarmZero"}'),
    'error not raised': one(gt, '[1]', '{"error": "InvalidPeriod"}'),
    'unknown key': one(`${gt}, "treshold": 1`, '[1]', '{"state": "ALARM", "transitions": []}'),
    'non-integer': one(gt, '[1.5]', '{"state": "ALARM", "transitions": []}'),
  };
  for (const [name, text] of Object.entries(wrong)) assert.throws(() => runAlarmVector(text), undefined, name);
  runAlarmVector(one(gt, '[1]', '{"state": "ALARM", "transitions": [{"time_s": 60, "from": "INSUFFICIENT_DATA", "to": "ALARM"}]}'));
});

test('alarm names agree with the library', () => {
  lsim.METRICS.forEach((name, code) => assert.equal(lsim.libraryName('metric', code), name));
  assert.equal(lsim.libraryName('metric', lsim.METRICS.length), 'unknown');
  lsim.COMPARISON_OPERATORS.forEach((name, code) => assert.equal(lsim.libraryName('comparison', code), name));
  lsim.TREAT_MISSING_DATA.forEach((name, code) => assert.equal(lsim.libraryName('treatMissingData', code), name));
  lsim.ALARM_STATES.forEach((name, code) => assert.equal(lsim.libraryName('alarmState', code), name));
  lsim.ALARM_PROBLEMS.forEach((name, code) => assert.equal(lsim.libraryName('alarmProblem', code), name));
  assert.equal(lsim.libraryName('alarmProblem', lsim.ALARM_PROBLEMS.length), 'unknown');
  // Every name is accepted, region-wide.
  for (const metric of lsim.METRICS) assert.equal(checkAlarm({ metric, statistic: 'Maximum' }), null, metric);
});

test('evaluateAlarm: the default alarm, missing data, NaN, the start time', () => {
  const d = defaultAlarmConfig();
  assert.deepEqual(d, {
    metric: 'Throttles',
    function: null,
    statistic: 'Sum',
    periodS: 60,
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'missing',
    initialState: 'INSUFFICIENT_DATA',
  });
  assert.equal(checkAlarm(d), null);
  assert.deepEqual(evaluateAlarm(d, 0, [0, 2, null, 0]), {
    state: 'OK',
    transitions: [
      { timeUs: 60e6, from: 'INSUFFICIENT_DATA', to: 'OK' },
      { timeUs: 120e6, from: 'OK', to: 'ALARM' },
      { timeUs: 240e6, from: 'ALARM', to: 'OK' },
    ],
  });
  assert.deepEqual(evaluateAlarm({}, 1000, [Number.NaN, undefined, 1]), {
    state: 'ALARM',
    transitions: [{ timeUs: 180e6 + 1000, from: 'INSUFFICIENT_DATA', to: 'ALARM' }],
  });
  assert.deepEqual(evaluateAlarm({ initialState: 'ALARM' }), { state: 'ALARM', transitions: [] });
  // Codes work as well as names; a function index is a dimension.
  const p999 = { metric: 'Duration', function: 3, statistic: 'p99.9', threshold: 1e6, comparison: 2, treatMissingData: 1 };
  assert.equal(checkAlarm(p999), null);
  assert.equal(evaluateAlarm(p999, 0, [5e5]).state, 'ALARM');
});

test('evaluateAlarm errors', () => {
  const refused = [
    [{ metric: 'throttles' }, 'INVALID_ARGUMENT', 'UnknownMetric'],
    [{ metric: 19 }, 'INVALID_ARGUMENT', 'UnknownMetric'],
    [{ statistic: 'Max' }, 'INVALID_ARGUMENT', 'UnknownStatistic'],
    [{ metric: 'Duration', statistic: 'p99.999' }, 'INVALID_SETTING', 'PercentileOutOfRange'],
    [{ statistic: 'p99' }, 'INVALID_SETTING', 'PercentileOfNonDistribution'],
    [{ comparison: 'GreaterThan' }, 'INVALID_ARGUMENT', 'UnknownComparisonOperator'],
    [{ comparison: 4 }, 'INVALID_ARGUMENT', 'UnknownComparisonOperator'],
    [{ treatMissingData: 'NotBreaching' }, 'INVALID_ARGUMENT', 'UnknownTreatMissingData'],
    [{ initialState: 'Ok' }, 'INVALID_ARGUMENT', 'UnknownState'],
    [{ initialState: 'OK\0' }, 'INVALID_ARGUMENT', 'UnknownState'],
    [{ periodS: 45 }, 'INVALID_SETTING', 'InvalidPeriod'],
    [{ evaluationPeriods: 0 }, 'INVALID_SETTING', 'EvaluationPeriodsZero'],
    [{ evaluationPeriods: 1441 }, 'INVALID_SETTING', 'EvaluationPeriodsTooMany'],
    [{ datapointsToAlarm: 0 }, 'INVALID_SETTING', 'DatapointsToAlarmZero'],
    [{ datapointsToAlarm: 2 }, 'INVALID_SETTING', 'DatapointsToAlarmAboveEvaluationPeriods'],
    [{ threshold: Number.NaN }, 'INVALID_SETTING', 'ThresholdNotFinite'],
    [{ metric: 'ClaimedAccountConcurrency', function: 0 }, 'INVALID_SETTING', 'RegionOnlyMetric'],
  ];
  for (const [config, status, problem] of refused) {
    assert.throws(
      () => evaluateAlarm(config, 0, [1]),
      (e) => e instanceof LambdasimError && e.status === status && e.problem === problem,
      JSON.stringify(config),
    );
  }
  // Wrong JS types and numbers out of range, before any call.
  assert.throws(() => evaluateAlarm({ threshold: '1' }), TypeError);
  assert.throws(() => evaluateAlarm({ statistic: 99 }), TypeError);
  assert.throws(() => evaluateAlarm({ metric: true }), TypeError);
  assert.throws(() => evaluateAlarm({ tresHold: 1 }), TypeError);
  assert.throws(() => evaluateAlarm({ periodS: -60 }), RangeError);
  assert.throws(() => evaluateAlarm({ function: 2 ** 32 }), RangeError);
  assert.throws(() => evaluateAlarm({}, -1, []), RangeError);
  assert.throws(() => evaluateAlarm({}, 0, 'nope'), TypeError);
  assert.throws(() => evaluateAlarm({}, 0, ['1']), TypeError);
  assert.throws(() => evaluateAlarm(null), TypeError);
  assert.equal(checkAlarm({ datapointsToAlarm: 2 }), 'DatapointsToAlarmAboveEvaluationPeriods');
});
