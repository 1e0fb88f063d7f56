'use strict';
// Sweeps through the Node binding: every sweep vector (tests/vectors/sweep,
// tests/vectors/README.md "Sweep vectors") gives each expected output byte
// for byte, for any thread count; shards together are the whole; errors
// carry the command's message.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { runSweep, LambdasimError } = require('..');

const SWEEP_DIR = path.resolve(__dirname, '..', '..', '..', 'tests', 'vectors', 'sweep');
const SMALL =
  'horizon_s = 30\n[[functions]]\nname = "api"\nworkload = { type = "poisson", rate_per_s = 5 }\nhandler = { type = "fixed", ms = 50 }\n';

test('every sweep vector gives its expected outputs byte for byte', () => {
  const specs = fs.readdirSync(SWEEP_DIR).filter((f) => f.endsWith('.sweep.json'));
  assert.ok(specs.length > 0, `no sweep vector in ${SWEEP_DIR}`);
  for (const file of specs) {
    const spec = JSON.parse(fs.readFileSync(path.join(SWEEP_DIR, file), 'utf8'));
    const text = fs.readFileSync(path.join(SWEEP_DIR, spec.scenario));
    for (const [output, expectedFile] of Object.entries(spec.expected)) {
      const expected = fs.readFileSync(path.join(SWEEP_DIR, expectedFile), 'utf8');
      for (const threads of [1, 3]) {
        const got = runSweep(text, {
          sets: spec.sets,
          output,
          replications: spec.replications,
          pick: spec.pick,
          name: spec.scenario,
          threads,
        });
        assert.equal(got, expected, `${file}: ${output} with ${threads} threads`);
      }
    }
  }
});

test('shards together are the whole sweep', () => {
  const sets = ['seed=1..4', 'functions[0].memory_mb=128,256'];
  const whole = runSweep(SMALL, { sets, output: 'csv' }).trimEnd().split('\n').slice(1);
  const rows = [];
  for (let i = 0; i < 3; i++) {
    rows.push(...runSweep(SMALL, { sets, output: 'csv', shardIndex: i, shardCount: 3 }).trimEnd().split('\n').slice(1));
  }
  rows.sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]));
  assert.equal(whole.length, 8);
  assert.deepEqual(rows, whole);
});

test('errors carry the command message', () => {
  assert.throws(
    () => runSweep(SMALL, { sets: ['functions[2].memory_mb=512'] }),
    (e) =>
      e instanceof LambdasimError &&
      e.status === 'INVALID_SCENARIO' &&
      e.detail === '(scenario): functions[2].memory_mb: [2]: the list has 1 entry, [0]',
  );
  assert.throws(
    () => runSweep(SMALL, { sets: ['seed=1'], pick: 'cheapest' }),
    (e) => e instanceof LambdasimError && e.status === 'INVALID_ARGUMENT' && e.detail.includes('starts with min or max'),
  );
  assert.throws(() => runSweep(SMALL, { sets: [] }), (e) => e instanceof LambdasimError && e.status === 'INVALID_ARGUMENT');
  assert.throws(() => runSweep(SMALL, {}), TypeError);
  assert.throws(() => runSweep(SMALL, { sets: ['seed=1\nx=2'] }), TypeError);
  assert.throws(() => runSweep(SMALL, { sets: ['seed=1'], output: 'xml' }), RangeError);
  assert.throws(() => runSweep(SMALL, { sets: ['seed=1'], bogus: 1 }), TypeError);
});
