'use strict';
// The shared vector format of tests/vectors/README.md, read strictly: an
// unknown key or a value of the wrong type is an error of the vector, so a
// typo can never make a check silently vanish. Used by test/vectors.test.js
// and test/digest.test.js (kept out of test/ so `node --test` does not run it
// as a test file).

const path = require('node:path');

/** The shared vectors folder (tests/vectors/ of the workspace). */
const VECTOR_DIR = path.resolve(__dirname, '..', '..', '..', 'tests', 'vectors');

class VectorError extends Error {
  constructor(message) {
    super(message);
    this.name = 'VectorError';
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function asObject(v, ctx) {
  if (!isObject(v)) throw new VectorError(`${ctx}: expected an object, found ${JSON.stringify(v)}`);
  return v;
}

function allowKeys(m, allowed, ctx) {
  for (const k of Object.keys(m)) {
    if (!allowed.includes(k)) throw new VectorError(`${ctx}: unknown key \`${k}\` (allowed: ${allowed.join(', ')})`);
  }
}

const has = (m, k) => Object.prototype.hasOwnProperty.call(m, k);

/** A non-negative integer (JSON numbers in vectors are far below 2^53). */
function optUint(m, key, ctx, max = Number.MAX_SAFE_INTEGER) {
  if (!has(m, key)) return undefined;
  const v = m[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new VectorError(`${ctx}: \`${key}\` must be a non-negative integer, found ${JSON.stringify(v)}`);
  }
  if (v > max) throw new VectorError(`${ctx}: \`${key}\` = ${v} does not fit in 32 bits`);
  return v;
}
const optU32 = (m, key, ctx) => optUint(m, key, ctx, 0xffffffff);

function reqUint(m, key, ctx, max) {
  const v = optUint(m, key, ctx, max);
  if (v === undefined) throw new VectorError(`${ctx}: missing \`${key}\``);
  return v;
}

function optStr(m, key, ctx) {
  if (!has(m, key)) return undefined;
  if (typeof m[key] !== 'string') throw new VectorError(`${ctx}: \`${key}\` must be a string, found ${JSON.stringify(m[key])}`);
  return m[key];
}

function reqStr(m, key, ctx) {
  const v = optStr(m, key, ctx);
  if (v === undefined) throw new VectorError(`${ctx}: missing \`${key}\``);
  return v;
}

function optBool(m, key, ctx) {
  if (!has(m, key)) return undefined;
  if (typeof m[key] !== 'boolean') throw new VectorError(`${ctx}: \`${key}\` must be a boolean, found ${JSON.stringify(m[key])}`);
  return m[key];
}

/** Missing → undefined; null → null; an integer → the integer. */
function optNullableU32(m, key, ctx) {
  if (!has(m, key)) return undefined;
  if (m[key] === null) return null;
  return optU32(m, key, ctx);
}

const REGION_KEYS = [
  'account_limit',
  'unreserved_min',
  'scaling',
  'request_rate_per_limit',
  'idle_timeout_us',
  'max_lifetime_us',
  'shutdown_us',
  'warm_pick',
  'memory_rule',
  'provisioned_delay_us',
  'provisioned_per_minute',
  'granularity',
  'bill_init',
  'async_queue',
];

/** A vector's `region` object → a config for `new Region(config)`. */
function parseRegion(v) {
  const c = {};
  if (v === undefined) return c;
  const ctx = 'region';
  const m = asObject(v, ctx);
  allowKeys(m, REGION_KEYS, ctx);
  const u32s = [
    ['account_limit', 'accountLimit'],
    ['unreserved_min', 'unreservedMin'],
    ['request_rate_per_limit', 'requestRatePerLimit'],
    ['provisioned_per_minute', 'provisionedPerMinute'],
  ];
  for (const [key, to] of u32s) {
    const n = optU32(m, key, ctx);
    if (n !== undefined) c[to] = n;
  }
  const u64s = [
    ['idle_timeout_us', 'idleTimeoutUs'],
    ['max_lifetime_us', 'maxLifetimeUs'],
    ['shutdown_us', 'shutdownUs'],
    ['provisioned_delay_us', 'provisionedDelayUs'],
  ];
  for (const [key, to] of u64s) {
    const n = optUint(m, key, ctx);
    if (n !== undefined) c[to] = n;
  }
  if (has(m, 'scaling')) {
    const s = m.scaling;
    if (s === 'per_function') {
      c.scalingRule = 'perFunction';
    } else if (isObject(s)) {
      allowKeys(s, ['legacy_burst'], 'region.scaling');
      c.scalingRule = 'legacyAccount';
      c.legacyBurst = reqUint(s, 'legacy_burst', 'region.scaling', 0xffffffff);
    } else {
      throw new VectorError(`region.scaling: expected "per_function" or {"legacy_burst": N}, found ${JSON.stringify(s)}`);
    }
  }
  const wp = optStr(m, 'warm_pick', ctx);
  if (wp !== undefined) {
    if (wp !== 'mru' && wp !== 'lru') throw new VectorError(`region.warm_pick: expected "mru" or "lru", found "${wp}"`);
    c.warmPick = wp;
  }
  const mr = optStr(m, 'memory_rule', ctx);
  if (mr !== undefined) {
    if (mr !== 'current' && mr !== 'legacy64') {
      throw new VectorError(`region.memory_rule: expected "current" or "legacy64", found "${mr}"`);
    }
    c.memoryRule = mr;
  }
  const g = optStr(m, 'granularity', ctx);
  if (g !== undefined) {
    if (g !== '1ms' && g !== '100ms') throw new VectorError(`region.granularity: expected "1ms" or "100ms", found "${g}"`);
    c.granularity = g;
  }
  const billInit = optBool(m, 'bill_init', ctx);
  if (billInit !== undefined) c.billInit = billInit;
  return c;
}

const FUNCTION_KEYS = [
  'name',
  'memory_mb',
  'timeout_ms',
  'reserved',
  'provisioned',
  'sandbox_us',
  'download_us_per_mb',
  'package_mb',
  'init_us',
  'architecture',
  'ephemeral_mb',
];

/** A vector's function object → `{ name, config }` for `createFunction`. */
function parseFunction(v, ctx) {
  const m = asObject(v, ctx);
  allowKeys(m, FUNCTION_KEYS, ctx);
  const name = reqStr(m, 'name', ctx);
  const config = {};
  const u32s = [
    ['memory_mb', 'memoryMb'],
    ['timeout_ms', 'timeoutMs'],
    ['provisioned', 'provisioned'],
    ['package_mb', 'packageMb'],
    ['ephemeral_mb', 'ephemeralMb'],
  ];
  for (const [key, to] of u32s) {
    const n = optU32(m, key, ctx);
    if (n !== undefined) config[to] = n;
  }
  const u64s = [
    ['sandbox_us', 'sandboxUs'],
    ['download_us_per_mb', 'downloadUsPerMb'],
    ['init_us', 'initUs'],
  ];
  for (const [key, to] of u64s) {
    const n = optUint(m, key, ctx);
    if (n !== undefined) config[to] = n;
  }
  const rc = optNullableU32(m, 'reserved', ctx);
  if (rc !== undefined) config.reserved = rc;
  const arch = optStr(m, 'architecture', ctx);
  if (arch !== undefined) {
    if (arch !== 'x86_64' && arch !== 'arm64') {
      throw new VectorError(`${ctx}.architecture: expected "x86_64" or "arm64", found "${arch}"`);
    }
    config.architecture = arch;
  }
  return { name, config };
}

/** The Rust variant name of a status (`NOT_READY` → `NotReady`), as vectors write errors. */
function variantName(status) {
  return status
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

module.exports = {
  VECTOR_DIR,
  VectorError,
  asObject,
  allowKeys,
  optUint,
  optU32,
  reqUint,
  optStr,
  reqStr,
  optBool,
  optNullableU32,
  parseRegion,
  parseFunction,
  variantName,
};
