'use strict';
// Runs every pricing vector (tests/vectors/pricing/*.json, format in
// tests/vectors/README.md, "Pricing vectors") through billUsage.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { billUsage, LambdasimError } = require('..');
const { VECTOR_DIR, VectorError, asObject, allowKeys, optU32, reqUint, optStr, optBool, reqStr } = require('../support/vector-format');
const { Mismatches, jsSafe, checkBill, prices } = require('../support/bill-format');

const PRICING_DIR = path.join(VECTOR_DIR, 'pricing');
const TOP_KEYS = ['name', 'spec', 'description', 'prices', 'free_tier', 'invocations', 'provisioned', 'expect'];
const INVOCATION_KEYS = ['architecture', 'memory_mb', 'ephemeral_mb', 'class', 'granularity', 'requests', 'duration_us'];
const PROVISIONED_KEYS = ['architecture', 'memory_mb', 'provisioned', 'enabled_us'];

function arrayOf(top, key) {
  if (!(key in top)) return [];
  if (!Array.isArray(top[key])) throw new VectorError(`\`${key}\` must be an array`);
  return top[key];
}

function arch(m, ctx) {
  const a = optStr(m, 'architecture', ctx);
  if (a !== undefined && a !== 'x86_64' && a !== 'arm64') throw new VectorError(`${ctx}.architecture: unknown "${a}"`);
  return a;
}

function parseInvocation(v, ctx) {
  const m = asObject(v, ctx);
  allowKeys(m, INVOCATION_KEYS, ctx);
  const u = { requests: reqUint(m, 'requests', ctx), durationUs: reqUint(m, 'duration_us', ctx) };
  const a = arch(m, ctx);
  if (a !== undefined) u.architecture = a;
  const memory = optU32(m, 'memory_mb', ctx);
  if (memory !== undefined) u.memoryMb = memory;
  const eph = optU32(m, 'ephemeral_mb', ctx);
  if (eph !== undefined) u.ephemeralMb = eph;
  const cls = optStr(m, 'class', ctx);
  if (cls !== undefined) {
    if (cls !== 'on_demand' && cls !== 'provisioned') throw new VectorError(`${ctx}.class: unknown "${cls}"`);
    u.class = cls === 'on_demand' ? 'onDemand' : 'provisioned';
  }
  const g = optStr(m, 'granularity', ctx);
  if (g !== undefined) {
    if (g !== '1ms' && g !== '100ms') throw new VectorError(`${ctx}.granularity: unknown "${g}"`);
    u.granularity = g;
  }
  return u;
}

function parseProvisioned(v, ctx) {
  const m = asObject(v, ctx);
  allowKeys(m, PROVISIONED_KEYS, ctx);
  const p = { provisioned: reqUint(m, 'provisioned', ctx, 0xffffffff), enabledUs: reqUint(m, 'enabled_us', ctx) };
  const a = arch(m, ctx);
  if (a !== undefined) p.architecture = a;
  const memory = optU32(m, 'memory_mb', ctx);
  if (memory !== undefined) p.memoryMb = memory;
  return p;
}

/** Runs one pricing vector; returns `{ name, compared }`, throws on a mismatch. */
function runPricing(vector) {
  const top = asObject(vector, 'vector');
  allowKeys(top, TOP_KEYS, 'vector');
  jsSafe(top, 'vector');
  const name = reqStr(top, 'name', 'vector');
  optStr(top, 'spec', 'vector');
  optStr(top, 'description', 'vector');
  const options = { prices: prices(top, 'vector'), freeTier: optBool(top, 'free_tier', 'vector') ?? false };
  const invocations = arrayOf(top, 'invocations').map((v, i) => parseInvocation(v, `invocations[${i}]`));
  const provisioned = arrayOf(top, 'provisioned').map((v, i) => parseProvisioned(v, `provisioned[${i}]`));
  if (!('expect' in top)) throw new VectorError('missing `expect`');
  let r;
  try {
    r = { ok: true, value: billUsage(invocations, provisioned, options) };
  } catch (e) {
    if (!(e instanceof LambdasimError)) throw e;
    r = { ok: false, error: e };
  }
  const mm = new Mismatches();
  checkBill(r, asObject(top.expect, 'expect'), mm, 'expect');
  if (mm.found.length > 0) assert.fail(mm.found.join('; '));
  return { name, compared: mm.compared };
}

const files = fs
  .readdirSync(PRICING_DIR, { withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith('.json'))
  .map((d) => d.name)
  .sort();

test('the pricing vectors folder has the docs/model.md §5 examples', () => {
  assert.ok(files.length >= 6, `found ${files.length} pricing vectors in ${PRICING_DIR}`);
  assert.ok(files.includes('spec-1-free-tier.json'));
});

for (const file of files) {
  test(`pricing vector ${file}`, () => {
    const { compared } = runPricing(JSON.parse(fs.readFileSync(path.join(PRICING_DIR, file), 'utf8')));
    assert.ok(compared > 0, `${file} asserts nothing`);
  });
}

test('the pricing runner fails wrong and malformed vectors', () => {
  const usage = { free_tier: true, invocations: [{ memory_mb: 1536, requests: 3000000, duration_us: 120000 }] };
  const bad = [
    [{ name: 'x', ...usage, expect: { total_cents: 274 } }, /total_cents/],
    [{ name: 'x', ...usage, expect: { exact_total: '2.7333380001' } }, /exact_total/],
    [{ name: 'x', ...usage, expect: { lines: [] } }, /lines.length/],
    [{ name: 'x', ...usage, expect: { total_cent: 273 } }, /total_cent/],
    [{ name: 'x', invocations: [{ requests: 1, duration_us: 1, memmory_mb: 1 }], expect: { total_cents: 0 } }, /memmory_mb/],
    [{ name: 'x', ...usage, expect: { lines: [{ kind: 'Requests' }] } }, /missing/],
    [{ name: 'x', expect: { total_cents: 2 ** 53 } }, /2\^53/],
    [{ name: 'x', expect: { error: 'Overflow', total_cents: 0 } }, /excludes/],
    [{ name: 'x', prices: 'eu-west-1', expect: { total_cents: 0 } }, /eu-west-1/],
    [{ name: 'x', invocations: [{ memory_mb: 127, requests: 1, duration_us: 1 }], expect: { error: 'Overflow' } }, /MemoryBelowMinimum/],
  ];
  for (const [vector, pattern] of bad) assert.throws(() => runPricing(vector), pattern, JSON.stringify(vector));
  assert.ok(runPricing({ name: 'x', ...usage, expect: { total_cents: 273 } }).compared === 1);
});
