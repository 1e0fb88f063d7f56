#!/usr/bin/env python3
"""Writes the small sample traces the example scenarios replay.

Run from anywhere: `python3 examples/traces/generate.py`. Python 3 standard
library only, fixed seed: the output is the same on every run.

- azure-sample.csv: the Azure Functions 2019 trace format
  (`HashOwner,HashApp,HashFunction,Trigger,1,...,1440`: invocations per
  minute of one day, per function). Four made-up functions:
  http-api (diurnal HTTP traffic), timer-30min (a timer every 30 minutes),
  queue-worker (bursts of queue messages), rare-admin (a few calls a day).
  The hashes are SHA-256 of readable names, so scenarios can name them.
- invocations-sample.csv: one row per invocation,
  `timestamp_ms,function,duration_ms`, 30 minutes of two functions:
  thumbnail (Poisson, 1.5/s, log-normal durations) and report (a batch every
  5 minutes, some rows without a duration: the scenario's handler
  distribution fills those in).
"""

import hashlib
import math
import os
import random

SEED = 2019
HERE = os.path.dirname(os.path.abspath(__file__))


def h(name):
    return hashlib.sha256(name.encode()).hexdigest()


def poisson(rng, lam):
    """A Poisson draw (Knuth for small means, a normal approximation above 50)."""
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def azure(rng):
    owner, app = h("owner-1"), h("app-shop")
    rows = []
    # http-api: about 20 per minute at night, 120 at the afternoon peak.
    counts = []
    for m in range(1440):
        rate = 70 - 50 * math.cos(2 * math.pi * (m - 180) / 1440)
        counts.append(poisson(rng, rate))
    rows.append((owner, app, h("http-api"), "http", counts))
    # timer-30min: one invocation every 30 minutes.
    rows.append((owner, app, h("timer-30min"), "timer", [1 if m % 30 == 0 else 0 for m in range(1440)]))
    # queue-worker: mostly quiet, with bursts of a few hundred messages.
    counts = [0] * 1440
    m = 0
    while m < 1440:
        m += int(rng.expovariate(1 / 45)) + 1
        for k in range(rng.randint(1, 4)):
            if m + k < 1440:
                counts[m + k] += rng.randint(50, 400)
    rows.append((owner, app, h("queue-worker"), "queue", counts))
    # rare-admin: a handful of calls a day.
    counts = [0] * 1440
    for _ in range(6):
        counts[rng.randrange(1440)] += 1
    rows.append((owner, h("app-admin"), h("rare-admin"), "http", counts))
    path = os.path.join(HERE, "azure-sample.csv")
    with open(path, "w", newline="\n") as f:
        f.write("HashOwner,HashApp,HashFunction,Trigger," + ",".join(str(i) for i in range(1, 1441)) + "\n")
        for owner_, app_, fn, trigger, counts in rows:
            f.write(",".join([owner_, app_, fn, trigger] + [str(c) for c in counts]) + "\n")
    return path


def invocations(rng):
    events = []
    t = 0.0
    while True:
        t += rng.expovariate(1.5) * 1000
        if t >= 30 * 60 * 1000:
            break
        events.append((t, "thumbnail", f"{rng.lognormvariate(math.log(180), 0.5):.3f}"))
    for batch in range(6):
        start = batch * 5 * 60 * 1000 + 1000
        for i in range(40):
            duration = "" if i % 10 == 9 else f"{rng.uniform(800, 2500):.3f}"
            events.append((start + i * 25.0, "report", duration))
    events.sort(key=lambda e: e[0])
    path = os.path.join(HERE, "invocations-sample.csv")
    with open(path, "w", newline="\n") as f:
        f.write("timestamp_ms,function,duration_ms\n")
        for at, fn, d in events:
            f.write(f"{at:.3f},{fn},{d}\n")
    return path


def main():
    rng = random.Random(SEED)
    for p in (azure(rng), invocations(rng)):
        print("wrote", os.path.relpath(p))


if __name__ == "__main__":
    main()
