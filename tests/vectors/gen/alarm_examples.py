#!/usr/bin/env python3
"""Writes ../alarms/alarms.json: CloudWatch alarm vectors derived from the
rules of docs/model.md §7.2 by this independent reference implementation
(Python, not the Rust code under test). Run from anywhere."""
import json
import os
import random

STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")
OPS = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}
TREATMENTS = ("missing", "ignore", "breaching", "notBreaching")


def evaluate(alarm, values):
    n, m = alarm["evaluation_periods"], alarm["datapoints_to_alarm"]
    threshold, op = alarm["threshold"], OPS[alarm["comparison"]]
    treat = alarm.get("treat_missing_data", "missing")
    state = alarm.get("initial_state", "INSUFFICIENT_DATA")
    period = alarm.get("period_s", 60)
    transitions = []
    for i in range(len(values)):
        window = values[max(0, i + 1 - (n + 2)) : i + 1]  # evaluation range: N + 2
        real = [v for v in reversed(window) if v is not None][:n]  # newest first
        breaching = sum(1 for v in real if op(v, threshold))
        fills = n - len(real)
        if fills == 0:
            new = "ALARM" if breaching >= m else "OK"
        elif treat == "breaching":
            new = "ALARM" if breaching + fills >= m else "OK"
        elif treat == "notBreaching":
            new = "ALARM" if breaching >= m else "OK"
        elif not real:
            new = state if treat == "ignore" else "INSUFFICIENT_DATA"
        elif breaching >= m:
            new = "ALARM"
        elif breaching + fills < m:
            new = "OK"
        else:
            new = state
        if new != state:
            transitions.append({"time_s": (i + 1) * period, "from": state, "to": new})
            state = new
    return {"state": state, "transitions": transitions}


def pattern(text):
    return [1 if t == "X" else 0 if t == "0" else None for t in text.split()]


cases = []


def case(name, values, expect=None, **alarm):
    alarm.setdefault("comparison", "GreaterThanThreshold")
    alarm.setdefault("threshold", 0)
    alarm.setdefault("evaluation_periods", 3)
    alarm.setdefault("datapoints_to_alarm", alarm["evaluation_periods"])
    alarm.setdefault("treat_missing_data", "missing")
    c = {"name": name, "alarm": alarm, "values": values}
    c["expect"] = expect if expect is not None else evaluate(alarm, values)
    cases.append(c)


# The documented vector (N = 3, M = 3), period by period from INSUFFICIENT_DATA.
for row in ("0 - X - X", "0 - - - -", "- - - - -", "0 X X - X", "- - X - -"):
    for treat in TREATMENTS:
        case(f"documented '{row}' {treat}", pattern(row), treat_missing_data=treat)
# All missing keeps the state under ignore only.
for initial in STATES:
    for treat in TREATMENTS:
        case(f"all missing from {initial}, {treat}", pattern("- - - - -"), treat_missing_data=treat, initial_state=initial)
# A lone breaching datapoint among unknowns: no premature ALARM.
for initial in ("OK", "ALARM"):
    for treat in ("missing", "ignore"):
        case(f"lone X keeps {initial}, {treat}", pattern("- - X - -"), treat_missing_data=treat, initial_state=initial)
# Every comparison at, below and above the threshold (N = M = 1).
for op in OPS:
    for label, value in (("at", 5), ("below", 4), ("above", 6)):
        case(f"{op} {label} the threshold", [value], comparison=op, threshold=5, evaluation_periods=1)
# M of N, not necessarily consecutive.
for row in ("X 0 X 0 X", "X 0 X 0 0", "0 X X 0 0 X 0 0 0", "X X 0 0 0 X"):
    case(f"3 of 5 '{row}'", pattern(row), evaluation_periods=5, datapoints_to_alarm=3)
case("2 of 3 with a missing one", pattern("X - X 0 0 0"), evaluation_periods=3, datapoints_to_alarm=2)
# A metric that stops reporting is re-evaluated on its last datapoints.
for treat in TREATMENTS:
    case(f"throttles stop, {treat}", pattern("0 X - - - -"), evaluation_periods=1, treat_missing_data=treat)
# A longer period stamps transitions at its own ends.
case("5-minute periods", pattern("0 X X 0"), evaluation_periods=2, datapoints_to_alarm=2, period_s=300)
case("10-second periods", pattern("X X 0"), evaluation_periods=1, period_s=10)
# Seeded sequences over every treatment and several N, M.
rng = random.Random(20261203)
for i in range(24):
    n = rng.choice((1, 2, 3, 5, 8))
    m = rng.randint(1, n)
    values = [rng.choice((None, None, 0, 1, 2, 3)) for _ in range(rng.randint(5, 30))]
    op = rng.choice(list(OPS))
    case(f"seeded {i}", values, evaluation_periods=n, datapoints_to_alarm=m, comparison=op, threshold=rng.choice((1, 2)),
         treat_missing_data=TREATMENTS[i % 4], initial_state=rng.choice(STATES))
# Definitions CloudWatch rejects, each naming its field.
for name, err, alarm in (
    ("zero evaluation periods", "EvaluationPeriodsZero", {"evaluation_periods": 0, "datapoints_to_alarm": 0}),
    ("zero datapoints to alarm", "DatapointsToAlarmZero", {"datapoints_to_alarm": 0}),
    ("M above N", "DatapointsToAlarmAboveEvaluationPeriods", {"datapoints_to_alarm": 4}),
    ("45-second period", "InvalidPeriod", {"period_s": 45}),
    ("zero period", "InvalidPeriod", {"period_s": 0}),
    ("over a day of minutes", "EvaluationPeriodsTooMany", {"evaluation_periods": 1441, "datapoints_to_alarm": 1}),
    ("over a day of 5-minute periods", "EvaluationPeriodsTooMany", {"evaluation_periods": 289, "datapoints_to_alarm": 1, "period_s": 300}),
    ("percentile of a count", "PercentileOfNonDistribution", {"statistic": "p99"}),
    ("unknown comparison", "UnknownComparisonOperator", {"comparison": "GreaterThan"}),
    ("unknown treatment", "UnknownTreatMissingData", {"treat_missing_data": "NotBreaching"}),
    ("percentile with three decimals", "PercentileOutOfRange", {"metric": "Duration", "statistic": "p99.999"}),
):
    case(name, [1], expect={"error": err}, **alarm)

doc = {
    "name": "alarms",
    "spec": "docs/model.md §7.2",
    "description": "CloudWatch alarm evaluation: each case evaluates `values` (one per period, oldest first; null = missing) at the end of every period and expects the final state and every state change. Generated by tests/vectors/gen/alarm_examples.py from the rules.",
    "cases": cases,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "alarms", "alarms.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print(len(cases), "cases")
