'use strict';
// Per-call cost of the Node binding: node bench/invoke.js [iterations]
//
// One region, one function, one warm environment, the request-rate limit
// off; each call steps the clock 10 µs and runs a 5 µs handler, so every
// invoke is a warm start (as bench/benches/ffi.rs and the Go benchmarks).
// Prints ns per call for each API, the best of 5 rounds after a warm-up.

const { Region, InvokeResultView } = require('..');

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = 5;

function setup() {
  const region = new Region({ requestRatePerLimit: 0 });
  const fn = region.createFunction(0, { timeoutMs: 900_000 });
  region.invokeFor(0, fn, { durationUs: 5 });
  return { region, fn, t: 10_000_000 };
}

/** Best ns per call of `body(i)` over ROUNDS rounds of N calls (after one warm-up round). */
function measure(name, body) {
  let best = Infinity;
  for (let round = 0; round <= ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) body();
    const ns = Number(process.hrtime.bigint() - start) / N;
    if (round > 0 && ns < best) best = ns;
  }
  console.log(`${name.padEnd(34)} ${best.toFixed(0).padStart(7)} ns/call`);
  return best;
}

function main() {
  {
    const s = setup();
    const handler = { durationUs: 5 };
    measure('invokeFor', () => {
      s.t += 10;
      const r = s.region.invokeFor(s.t, s.fn, handler);
      if (r.start !== 'Warm') throw new Error(`not warm: ${JSON.stringify(r)}`);
    });
    s.region.close();
  }
  {
    const s = setup();
    measure('invoke + finish', () => {
      s.t += 10;
      const r = s.region.invoke(s.t, s.fn);
      s.region.finish(s.t + 5, r.invocation);
    });
    s.region.close();
  }
  const s = setup();
  if (typeof s.region.invokeForInto === 'function') {
    // Older bindings have no fast calls: only the friendly ones are measured.
    const out = new InvokeResultView();
    measure('invokeForInto (reused out)', () => {
      s.t += 10;
      s.region.invokeForInto(s.t, s.fn, 5, 0, out);
      if (out.startKind !== 0) throw new Error('not warm');
    });
    measure('invokeInto + finish (reused out)', () => {
      s.t += 10;
      s.region.invokeInto(s.t, s.fn, out);
      s.region.finish(s.t + 5, out.invocation);
    });
  }
  s.region.close();
}

main();
