'use strict';
// Bills in the shared vectors (tests/vectors/README.md, "Pricing vectors"):
// the bill expectations of pricing vectors and of the region vectors'
// `bill` op, read strictly. Kept out of test/ so `node --test` does not run
// it as a test file.

const { VectorError, asObject, allowKeys, optUint, optStr, reqStr, variantName } = require('./vector-format');

const BILL_EXPECT_KEYS = ['lines', 'total_cents', 'exact_total', 'error'];
const LINE_KEYS = ['kind', 'architecture', 'quantity', 'cents', 'amount'];

/** Collects the mismatches of one step (or one pricing vector). */
class Mismatches {
  constructor() {
    this.found = [];
    this.compared = 0;
  }
  eq(what, got, want) {
    this.compared += 1;
    if (got !== want) this.found.push(`${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  fail(msg) {
    this.found.push(msg);
  }
}

/** Fails on any number past 2^53 − 1: JSON.parse has already rounded it. */
function jsSafe(v, ctx) {
  if (typeof v === 'number' && (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER)) {
    throw new VectorError(`${ctx}: ${v} is past 2^53 - 1 (write large quantities as strings)`);
  }
  if (Array.isArray(v)) v.forEach((x) => jsSafe(x, ctx));
  else if (v !== null && typeof v === 'object') Object.values(v).forEach((x) => jsSafe(x, ctx));
}

/** A quantity: a safe integer or a string of decimal digits, as a BigInt. */
function quantity(v, ctx) {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) {
    const q = BigInt(v);
    if (q >= 1n << 128n) throw new VectorError(`${ctx}: quantity "${v}" does not fit 128 bits`);
    return q;
  }
  throw new VectorError(`${ctx}: quantity must be an integer or a string of digits, found ${JSON.stringify(v)}`);
}

function parseLine(v, ctx) {
  const m = asObject(v, ctx);
  allowKeys(m, LINE_KEYS, ctx);
  for (const k of LINE_KEYS) if (!(k in m)) throw new VectorError(`${ctx}: missing \`${k}\``);
  const architecture = m.architecture === null ? null : reqStr(m, 'architecture', ctx);
  return {
    kind: reqStr(m, 'kind', ctx),
    architecture,
    quantity: quantity(m.quantity, ctx),
    cents: optUint(m, 'cents', ctx),
    amount: reqStr(m, 'amount', ctx),
  };
}

/**
 * Checks `r` (`{ ok: true, value: bill }` or `{ ok: false, error }` with a
 * LambdasimError) against a bill expectation `e`.
 */
function checkBill(r, e, mm, ctx) {
  allowKeys(e, BILL_EXPECT_KEYS, ctx);
  jsSafe(e, ctx);
  if (Object.keys(e).length === 0) throw new VectorError(`${ctx}: a bill expectation needs at least one key`);
  const wantError = optStr(e, 'error', ctx);
  if (wantError !== undefined && Object.keys(e).length > 1) throw new VectorError(`${ctx}: \`error\` excludes every other key`);
  let lines;
  if ('lines' in e) {
    if (!Array.isArray(e.lines)) throw new VectorError(`${ctx}: \`lines\` must be an array`);
    lines = e.lines.map((l, i) => parseLine(l, `${ctx}.lines[${i}]`));
  }
  if (!r.ok) {
    if (wantError !== undefined) mm.eq('error', variantName(r.error.status), wantError);
    else mm.fail(`bill failed with ${r.error.message}, expected a bill`);
    return;
  }
  const b = r.value;
  if (wantError !== undefined) {
    mm.fail(`bill succeeded (total ${b.totalCents} cents), expected error ${wantError}`);
    return;
  }
  if (lines !== undefined) {
    mm.eq('lines.length', b.lines.length, lines.length);
    for (let i = 0; i < Math.min(lines.length, b.lines.length); i++) {
      const g = b.lines[i];
      const w = lines[i];
      mm.eq(`lines[${i}].kind`, g.kind, w.kind);
      mm.eq(`lines[${i}].architecture`, g.architecture, w.architecture);
      mm.eq(`lines[${i}].quantity`, g.quantity.toString(), w.quantity.toString());
      mm.eq(`lines[${i}].cents`, String(g.cents), String(w.cents));
      mm.eq(`lines[${i}].amount`, g.amount.usd, w.amount);
    }
  }
  const total = optUint(e, 'total_cents', ctx);
  if (total !== undefined) mm.eq('total_cents', String(b.totalCents), String(total));
  const exact = optStr(e, 'exact_total', ctx);
  if (exact !== undefined) mm.eq('exact_total', b.exactTotal.usd, exact);
}

const PRICES = ['us-east-1', 'us-east-1-2020'];

/** A `bill` step's or pricing vector's `prices` (default us-east-1). */
function prices(m, ctx) {
  const p = optStr(m, 'prices', ctx) ?? 'us-east-1';
  if (!PRICES.includes(p)) throw new VectorError(`${ctx}: unknown prices "${p}" (expected "us-east-1" or "us-east-1-2020")`);
  return p;
}

module.exports = { BILL_EXPECT_KEYS, Mismatches, jsSafe, quantity, checkBill, prices };
