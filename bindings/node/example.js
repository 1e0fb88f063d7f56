'use strict';
/**
 * example.js: Little's law with lambdasim, as in the Lambda docs: 100
 * requests per second, each taking 0.5 s, need about 100 x 0.5 = 50
 * concurrent execution environments.
 *
 * One request every 10 ms for `seconds` of simulated time; each handler runs
 * 0.5 s after it starts (after its cold start, for the first ones). The
 * region never reads a clock: the driver hands it every time, and calls
 * `advance` exactly when `nextDeadline()` says the region has something to
 * do on its own (a cold-start phase ending, an idle environment expiring).
 *
 *   node example.js            # 10 s of traffic
 *   node example.js 60         # 60 s, like bindings/c/example.c
 */

const { Region } = require('.');

function littleLaw({ ratePerSecond = 100, handlerUs = 500000, seconds = 10, steadyFromUs = 3000000 } = {}) {
  const intervalUs = Math.round(1e6 / ratePerSecond);
  const horizonUs = seconds * 1e6;
  const region = new Region();
  try {
    const fn = region.createFunction(0); // 128 MB, 3 s timeout, 380 ms full cold start
    const pending = []; // { invocation, finishAtUs }
    let nextArrivalUs = 0;
    let requests = 0;
    let throttled = 0;
    let peakBusy = 0;
    const steady = { sum: 0, samples: 0, min: Infinity, max: 0 };

    while (nextArrivalUs < horizonUs || pending.length > 0) {
      // The next thing the driver does: the earliest finish or the next arrival.
      let first = -1;
      for (let i = 0; i < pending.length; i++) {
        if (first < 0 || pending[i].finishAtUs < pending[first].finishAtUs) first = i;
      }
      const nextFinishUs = first >= 0 ? pending[first].finishAtUs : Infinity;
      const arrivalUs = nextArrivalUs < horizonUs ? nextArrivalUs : Infinity;

      // Anything the region does on its own before then happens at its own time.
      const deadline = region.nextDeadline();
      if (deadline !== null && deadline < Math.min(nextFinishUs, arrivalUs)) {
        region.advance(deadline);
        continue;
      }

      if (nextFinishUs <= arrivalUs) {
        region.finish(nextFinishUs, pending[first].invocation, 'Success');
        pending[first] = pending[pending.length - 1];
        pending.pop();
        continue;
      }

      const r = region.invoke(arrivalUs, fn);
      requests += 1;
      nextArrivalUs += intervalUs;
      if (r.throttled) {
        throttled += 1;
      } else {
        // The handler starts at readyAtUs (after any cold start) and runs handlerUs.
        pending.push({ invocation: r.invocation, finishAtUs: r.readyAtUs + handlerUs });
      }

      const { busy } = region.regionCounts();
      peakBusy = Math.max(peakBusy, busy);
      if (arrivalUs >= steadyFromUs) {
        steady.sum += busy;
        steady.samples += 1;
        steady.min = Math.min(steady.min, busy);
        steady.max = Math.max(steady.max, busy);
      }
    }

    region.check();
    const stats = region.regionStats();
    return {
      requests,
      throttled,
      peakBusy,
      steadyMean: steady.samples > 0 ? steady.sum / steady.samples : 0,
      steadyMin: steady.min,
      steadyMax: steady.max,
      fullColdStarts: stats.fullColdStarts,
      warmStarts: stats.warmStarts,
      envsCreated: stats.envsCreated,
      liveAtEnd: region.regionCounts().live,
    };
  } finally {
    region.close();
  }
}

module.exports = { littleLaw };

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 10);
  const r = littleLaw({ seconds });
  console.log(`100 requests/s, 0.5 s each, for ${seconds} s (Little's law: 100/s x 0.5 s = 50 environments)`);
  console.log(`  requests           ${r.requests} (${r.throttled} throttled)`);
  console.log(`  cold starts        ${r.fullColdStarts}; warm starts ${r.warmStarts}`);
  console.log(`  peak busy          ${r.peakBusy} (while the first environments cold-start)`);
  console.log(`  steady-state busy  mean ${r.steadyMean.toFixed(1)}, min ${r.steadyMin}, max ${r.steadyMax} (t >= 3 s)`);
  console.log(`  environments       ${r.envsCreated} created, ${r.liveAtEnd} still live (idle until the 10 min timeout)`);
}
