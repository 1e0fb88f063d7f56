#!/usr/bin/env python3
"""Writes the docs/model.md §5 pricing vectors and the region-bill vectors (python3, stdlib only).

An independent re-implementation of docs/model.md §5's billing rules in exact
integers (it shares no code with the Rust core), used to fill in the exact
amounts, quantities and cents of each vector. The headline figures are
asserted against the published (or hand-computed) numbers before anything
is written, so a mistake here fails loudly instead of writing a wrong vector:

- docs/model.md §5 worked examples: $2.73; $19.96 = $18.00 + $0.40 + $0.73 + $0.83;
  $40 (1 ms billing) and $112 (100 ms billing); $18.74 in the 2020 era.
- arm64 (by hand): 5 M invocations of 350 ms at 2048 MB with the free tier:
  3 500 000 GB-s - 400 000 = 3 100 000 x 0.0000133334 = $41.33354 -> $41.33,
  requests 4 M x $0.20/M = $0.80, total $42.13.
- ephemeral storage (by hand): 5 M invocations of 30 s at 1024 MB with
  10 240 MB of /tmp, no free tier: duration 150 000 000 GB-s x 0.0000166667
  = $2500.005 -> $2500.01 (half a cent rounds up); storage 9728 MB above the
  free 512 MB: 1 425 000 000 GB-s x 0.0000000309 = $44.0325 -> $44.03;
  requests $1.00; total $2545.04.

Units: one atom is 1e-10 USD / 1 024 000 (tests/vectors/README.md); a
duration charge is MB-ms x (1e-10 USD per GB-s), a request charge is
requests x price x 1 024 000.

Usage: python3 tests/vectors/gen/pricing_examples.py   (rewrites the files)
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.dirname(HERE)
PRICING = os.path.join(VECTORS, "pricing")

ATOMS_PER_UNIT = 1_024_000
ATOMS_PER_USD = ATOMS_PER_UNIT * 10_000_000_000
ATOMS_PER_CENT = ATOMS_PER_USD // 100
MB_MS_PER_GB_S = 1_024_000
FREE_EPHEMERAL_MB = 512
JS_SAFE = 2**53 - 1

# docs/model.md §5, us-east-1, in 1e-10 USD. Tier bounds are cumulative GB-s per month.
US_EAST_1 = {
    "x86_64": {"tiers": [(6_000_000_000, 166_667), (15_000_000_000, 150_000), (None, 133_334)],
               "pc": 41_667, "pc_duration": 97_222},
    "arm64": {"tiers": [(7_500_000_000, 133_334), (18_750_000_000, 120_001), (None, 106_667)],
              "pc": 33_334, "pc_duration": 77_778},
    "request": 2_000, "ephemeral": 309, "free_requests": 1_000_000, "free_gb_s": 400_000,
}
# The 100 ms era: x86 duration at a flat 0.00001667 per GB-s.
US_EAST_1_2020 = dict(US_EAST_1, x86_64=dict(US_EAST_1["x86_64"], tiers=[(None, 166_700)]))
BOOKS = {"us-east-1": US_EAST_1, "us-east-1-2020": US_EAST_1_2020}
ARCHS = ["x86_64", "arm64"]


def billed_ms(duration_us, granularity):
    ms = -(-duration_us // 1000)
    return ms if granularity == "1ms" else -(-ms // 100) * 100


def cents(atoms):
    whole, rest = divmod(atoms, ATOMS_PER_CENT)
    return whole + (1 if 2 * rest >= ATOMS_PER_CENT else 0)


def exact(atoms):
    """Dollars with at least 10 and at most 23 fractional digits, trailing zeros past the 10th trimmed."""
    dollars, rest = divmod(atoms, ATOMS_PER_USD)
    digits = ""
    while rest and len(digits) < 23:
        rest *= 10
        digits += str(rest // ATOMS_PER_USD)
        rest %= ATOMS_PER_USD
    assert rest == 0, "every amount terminates within 23 digits"
    digits = digits.ljust(10, "0")
    while len(digits) > 10 and digits.endswith("0"):
        digits = digits[:-1]
    return f"{dollars}.{digits}"


def int_or_string(n):
    """JSON integers stay below 2^53 (JavaScript reads them exactly); larger ones are strings."""
    return n if n <= JS_SAFE else str(n)


class Meter:
    def __init__(self):
        self.u = {a: {"req": 0, "req_pc": 0, "mb_ms": 0, "mb_ms_pc": 0, "pc_mb_ms": 0} for a in ARCHS}
        self.ephemeral_mb_ms = 0

    def invocations(self, arch, memory_mb, requests, duration_us, granularity="1ms", ephemeral_mb=512,
                    provisioned=False):
        ms = requests * billed_ms(duration_us, granularity)
        self.invocation_ms(arch, memory_mb, ms, requests, ephemeral_mb, provisioned)

    def invocation_ms(self, arch, memory_mb, ms, requests=1, ephemeral_mb=512, provisioned=False):
        u = self.u[arch]
        u["req_pc" if provisioned else "req"] += requests
        u["mb_ms_pc" if provisioned else "mb_ms"] += memory_mb * ms
        self.ephemeral_mb_ms += (ephemeral_mb - FREE_EPHEMERAL_MB) * ms

    def provisioned(self, arch, memory_mb, pc, enabled_us):
        ms = -(-(-(-enabled_us // 1000)) // 300_000) * 300_000
        self.u[arch]["pc_mb_ms"] += memory_mb * pc * ms

    def bill(self, book, free_tier):
        lines = []

        def line(kind, arch, quantity, atoms):
            if quantity:
                lines.append({"kind": kind, "architecture": arch, "quantity": quantity, "atoms": atoms})

        free_req = book["free_requests"] if free_tier else 0
        free_mb_ms = book["free_gb_s"] * MB_MS_PER_GB_S if free_tier else 0
        od = sum(self.u[a]["req"] for a in ARCHS)
        pc = sum(self.u[a]["req_pc"] for a in ARCHS)
        req = max(0, od - free_req) + pc
        line("Requests", None, req, req * book["request"] * ATOMS_PER_UNIT)
        for a in ARCHS:
            u, p = self.u[a], book[a]
            free = min(free_mb_ms, u["mb_ms"])
            free_mb_ms -= free
            billed = u["mb_ms"] - free
            atoms, floor = 0, 0
            for bound, price in p["tiers"]:
                ceiling = billed if bound is None else bound * MB_MS_PER_GB_S
                atoms += max(0, min(billed, ceiling) - floor) * price
                floor = max(floor, ceiling)
            line("Duration", a, billed, atoms)
            line("Provisioned Concurrency", a, u["pc_mb_ms"], u["pc_mb_ms"] * p["pc"])
            line("Provisioned Duration", a, u["mb_ms_pc"], u["mb_ms_pc"] * p["pc_duration"])
        line("Ephemeral Storage", None, self.ephemeral_mb_ms, self.ephemeral_mb_ms * book["ephemeral"])
        return lines


def expect_of(lines):
    """The `expect` object of a bill, and its total in cents."""
    total = sum(cents(l["atoms"]) for l in lines)
    exact_total = sum(l["atoms"] for l in lines)
    out = [{"kind": l["kind"], "architecture": l["architecture"], "quantity": int_or_string(l["quantity"]),
            "cents": cents(l["atoms"]), "amount": exact(l["atoms"])} for l in lines]
    for l in out:
        assert l["cents"] <= JS_SAFE
    return {"lines": out, "total_cents": total, "exact_total": exact(exact_total)}, total


def line_cents(lines, kind):
    return sum(cents(l["atoms"]) for l in lines if l["kind"] == kind)


def write(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


# ---- pricing vectors -------------------------------------------------------------------

def inv(requests, duration_us, memory_mb, arch="x86_64", **kw):
    d = {"architecture": arch, "memory_mb": memory_mb, "requests": requests, "duration_us": duration_us}
    d.update(kw)
    return d


def pricing_vector(name, spec, description, prices, free_tier, invocations, provisioned, check):
    m = Meter()
    for i in invocations:
        m.invocations(i["architecture"], i["memory_mb"], i["requests"], i["duration_us"],
                      i.get("granularity", "1ms"), i.get("ephemeral_mb", 512), i.get("class") == "provisioned")
    for p in provisioned:
        m.provisioned(p["architecture"], p["memory_mb"], p["provisioned"], p["enabled_us"])
    lines = m.bill(BOOKS[prices], free_tier)
    expect, total = expect_of(lines)
    check(lines, total)
    v = {"name": name, "spec": spec, "description": description, "prices": prices, "free_tier": free_tier}
    if invocations:
        v["invocations"] = invocations
    if provisioned:
        v["provisioned"] = provisioned
    v["expect"] = expect
    return v


def expect_totals(total_cents, **line_totals):
    names = {"requests": "Requests", "duration": "Duration", "pc": "Provisioned Concurrency",
             "pc_duration": "Provisioned Duration", "ephemeral": "Ephemeral Storage"}

    def check(lines, total):
        assert total == total_cents, (total, total_cents)
        for key, want in line_totals.items():
            got = line_cents(lines, names[key])
            assert got == want, (key, got, want)
    return check


HOUR_US = 3_600_000_000
PRICING_VECTORS = [
    pricing_vector(
        "spec-1-free-tier", "docs/model.md §5, worked example 1",
        "3 M requests of 120 ms at 1536 MB, x86_64, free tier: compute 540 000 GB-s - 400 000 free = 140 000 GB-s "
        "-> $2.33; requests 3 M - 1 M free -> $0.40; total $2.73.",
        "us-east-1", True, [inv(3_000_000, 120_000, 1536)], [],
        expect_totals(273, requests=40, duration=233)),
    pricing_vector(
        "spec-2-provisioned", "docs/model.md §5, worked example 2",
        "PC = 100 at 1536 MB x86_64 for 8 h (4 320 000 GB-s -> $18.00); 500 000 requests of 100 ms on PC (no free "
        "tier: 75 000 GB-s at the PC duration price -> $0.73); 2.5 M of 120 ms on-demand (450 000 - 400 000 free "
        "GB-s -> $0.83); requests: 2.5 M - 1 M free + 0.5 M on PC = 2 M -> $0.40; total $19.96.",
        "us-east-1", True,
        [inv(500_000, 100_000, 1536, **{"class": "provisioned"}), inv(2_500_000, 120_000, 1536)],
        [{"architecture": "x86_64", "memory_mb": 1536, "provisioned": 100, "enabled_us": 8 * HOUR_US}],
        expect_totals(1996, pc=1800, requests=40, pc_duration=73, duration=83)),
    pricing_vector(
        "spec-3-1ms", "docs/model.md §5, worked example 3 (1 ms billing)",
        "60 M requests of 28 ms at 1024 MB, no free tier, billed per 1 ms: 1 680 000 GB-s -> $28; requests $12; "
        "total $40.",
        "us-east-1", False, [inv(60_000_000, 28_000, 1024, granularity="1ms")], [],
        expect_totals(4000, requests=1200, duration=2800)),
    pricing_vector(
        "spec-3-100ms", "docs/model.md §5, worked example 3 (100 ms billing)",
        "The same 60 M requests of 28 ms at 1024 MB billed per 100 ms (before December 2020): 6 000 000 GB-s "
        "-> $100; requests $12; total $112.",
        "us-east-1", False, [inv(60_000_000, 28_000, 1024, granularity="100ms")], [],
        expect_totals(11200, requests=1200, duration=10000)),
    pricing_vector(
        "spec-4-2020", "docs/model.md §5, worked example 4",
        "The 100 ms era at the old flat price 0.00001667: 3 M requests of 1 s at 512 MB, free tier: "
        "1 500 000 - 400 000 = 1 100 000 GB-s -> $18.34; requests $0.40; total $18.74.",
        "us-east-1-2020", True, [inv(3_000_000, 1_000_000, 512, granularity="100ms")], [],
        expect_totals(1874, requests=40, duration=1834)),
    pricing_vector(
        "arm64-free-tier", "docs/model.md §5, arm64 prices (computed by hand)",
        "5 M requests of 350 ms at 2048 MB on arm64, free tier: 3 500 000 GB-s - 400 000 = 3 100 000 GB-s x "
        "0.0000133334 = $41.33354 -> $41.33; requests 4 M -> $0.80; total $42.13.",
        "us-east-1", True, [inv(5_000_000, 350_000, 2048, "arm64")], [],
        expect_totals(4213, requests=80, duration=4133)),
    pricing_vector(
        "arm64-tiers", "docs/model.md §5, graduated arm64 tiers (computed by hand)",
        "10 000 M requests of 800 ms at 1024 MB on arm64, no free tier: 8 000 000 000 GB-s, of which 7.5 B at "
        "0.0000133334 = $100 000.50 and 0.5 B at 0.0000120001 = $6000.05: $106 000.55; requests $2000; total "
        "$108 000.55.",
        "us-east-1", False, [inv(10_000_000_000, 800_000, 1024, "arm64")], [],
        expect_totals(10_800_055, requests=200_000, duration=10_600_055)),
    pricing_vector(
        "ephemeral-storage", "docs/model.md §5, ephemeral storage above 512 MB (computed by hand)",
        "5 M requests of 30 s at 1024 MB x86_64 with 10 240 MB of /tmp, no free tier: duration 150 000 000 GB-s "
        "x 0.0000166667 = $2500.005 -> $2500.01 (half a cent rounds up); storage (10 240 - 512) MB: 1 425 000 000 "
        "GB-s x 0.0000000309 = $44.0325 -> $44.03; requests $1.00; total $2545.04.",
        "us-east-1", False, [inv(5_000_000, 30_000_000, 1024, ephemeral_mb=10_240)], [],
        expect_totals(254_504, requests=100, duration=250_001, ephemeral=4403)),
    pricing_vector(
        "free-tier-x86-first", "docs/model.md §5, free tier across architectures (the library's order: x86_64 first)",
        "1 M requests of 300 ms at 1024 MB on each architecture, free tier: the 1 M free requests go first; "
        "the 400 000 free GB-s cover all 300 000 x86_64 GB-s, then 100 000 of the arm64 300 000: 200 000 x "
        "0.0000133334 = $2.66668 -> $2.67; requests 1 M -> $0.20; total $2.87.",
        "us-east-1", True, [inv(1_000_000, 300_000, 1024), inv(1_000_000, 300_000, 1024, "arm64")], [],
        expect_totals(287, requests=20, duration=267)),
    pricing_vector(
        "provisioned-rounding", "docs/model.md §5, PC billed rounded up to 5 minutes; no free tier on PC",
        "PC = 10 at 512 MB arm64 enabled 301 s, billed as 600 s: 3000 GB-s x 0.0000033334 = $0.0100002 -> $0.01; "
        "1 M arm64 requests of 10 ms on PC: 5000 GB-s x 0.0000077778 = $0.038889 -> $0.04, and their requests pay "
        "despite the free tier ($0.20); total $0.25.",
        "us-east-1", True, [inv(1_000_000, 10_000, 512, "arm64", **{"class": "provisioned"})],
        [{"architecture": "arm64", "memory_mb": 512, "provisioned": 10, "enabled_us": 301_000_000}],
        expect_totals(25, requests=20, pc=1, pc_duration=4)),
    pricing_vector(
        "huge-exact", "docs/model.md §5, money is exact: a total far past any real bill is still exact",
        "10^12 invocations of 900 s at 10 240 MB, no free tier: 9 216 000 000 000 000 000 000 MB-ms (past 64 "
        "bits: written as a string), through all three x86_64 tiers, billed exactly to the atom.",
        "us-east-1", False, [inv(1_000_000_000_000, 900_000_000, 10_240)], [],
        lambda lines, total: None),
]


def overflow_vector(name, description, count):
    big = inv(JS_SAFE, JS_SAFE, 10_240, **{"class": "provisioned"})
    return {"name": name, "spec": "docs/model.md §5: exact or an error, never a wrong number", "description": description,
            "prices": "us-east-1", "free_tier": False, "invocations": [big] * count,
            "expect": {"error": "Overflow"}}


def check_overflow_cases():
    per_item = 10_240 * JS_SAFE * billed_ms(JS_SAFE, "1ms")
    one = per_item * US_EAST_1["x86_64"]["pc_duration"]
    assert one < 2**128 and cents(one) > 2**64 - 1, "one item: exact, but its cents do not fit 64 bits"
    assert 5 * one >= 2**128, "five items: past 128 bits of atoms"


check_overflow_cases()
PRICING_VECTORS += [
    overflow_vector(
        "overflow-cents",
        "One batch of 2^53 - 1 invocations of 2^53 - 1 us each at 10 240 MB on PC: exact in 128 bits of atoms, "
        "but the total in cents does not fit 64 bits (the C ABI's uint64_t total_cents): Overflow.", 1),
    overflow_vector(
        "overflow-atoms",
        "Five such batches: the PC duration charge passes 128 bits of atoms: Overflow, nothing billed.", 5),
    {"name": "invalid-ephemeral", "spec": "docs/model.md §3: ephemeral storage 512..=10240 MB",
     "description": "511 MB of /tmp is rejected.", "prices": "us-east-1", "free_tier": False,
     "invocations": [inv(1, 1000, 128, ephemeral_mb=511)], "expect": {"error": "EphemeralOutOfRange"}},
    {"name": "invalid-memory", "spec": "docs/model.md §3: memory 128..=10240 MB",
     "description": "10 241 MB is rejected (as is 127 MB for PC).", "prices": "us-east-1", "free_tier": False,
     "invocations": [inv(1, 1000, 10_241)], "expect": {"error": "MemoryAboveMaximum"}},
    {"name": "invalid-memory-provisioned", "spec": "docs/model.md §3: memory 128..=10240 MB",
     "description": "127 MB of provisioned concurrency is rejected.", "prices": "us-east-1", "free_tier": False,
     "provisioned": [{"architecture": "x86_64", "memory_mb": 127, "provisioned": 1, "enabled_us": 1}],
     "expect": {"error": "MemoryBelowMinimum"}},
]


# ---- region-bill vectors --------------------------------------------------------------------

def region_bill_vector():
    """A region's metered usage: full cold (init billed), partial cold, warm, on PC and spillover.

    f: arm64, 1024 MB, 1024 MB of /tmp, create 100 ms (never billed) + init 200 ms.
      a: full cold at 0, ready at 300 ms, Crash at 350 ms: init 200 + handler 50 = 250 ms billed.
      b: partial cold at 1 s (init 200 ms inside the invoke), done at 1.2105 s: 210.5 -> 211 ms.
      c: warm at 2 s, done 1 us later: 1 ms.
    p: x86_64, 10 240 MB, PC 50 from t = 0 (Ready at 60 s + 49 x 10 ms + 380 ms = 60.87 s).
      50 on PC at 61 s, each 100 ms; one spillover at 61 s: full cold on an on-demand env, create
      130 ms, init 250 ms (billed) then handler 20 ms: 270 ms on-demand.
      The PC span is open at 62 s: 62 s rounds up to 5 min. PC set to 0 at 700 s closes it:
      700 s rounds up to 15 min.
    """
    f_ms = 250 + 211 + 1
    m_f = Meter()
    m_f.invocation_ms("arm64", 1024, f_ms, requests=3, ephemeral_mb=1024)
    m_p = Meter()
    m_p.invocation_ms("x86_64", 10_240, 100 * 50, requests=50, provisioned=True)
    m_p.invocation_ms("x86_64", 10_240, 270)
    m_p_open = Meter()
    m_p_open.__dict__ = json.loads(json.dumps(m_p.__dict__))
    m_p_open.provisioned("x86_64", 10_240, 50, 62_000_000)
    m_region = Meter()
    m_region.invocation_ms("arm64", 1024, f_ms, requests=3, ephemeral_mb=1024)
    m_region.invocation_ms("x86_64", 10_240, 100 * 50, requests=50, provisioned=True)
    m_region.invocation_ms("x86_64", 10_240, 270)
    m_region.provisioned("x86_64", 10_240, 50, 62_000_000)
    m_p_closed = Meter()
    m_p_closed.__dict__ = json.loads(json.dumps(m_p.__dict__))
    m_p_closed.provisioned("x86_64", 10_240, 50, 700_000_000)

    f_bill, _ = expect_of(m_f.bill(US_EAST_1, False))
    region_bill, region_total = expect_of(m_region.bill(US_EAST_1, False))
    region_free, _ = expect_of(m_region.bill(US_EAST_1, True))
    p_2020, _ = expect_of(m_p_open.bill(US_EAST_1_2020, False))
    p_closed, p_closed_total = expect_of(m_p_closed.bill(US_EAST_1, False))
    # By hand: PC 150 000 GB-s x 0.0000041667 = $0.625005 -> $0.63 while open at 62 s;
    # 450 000 GB-s -> $1.875015 -> $1.88 once closed at 700 s (15 min).
    assert line_cents(m_region.bill(US_EAST_1, False), "Provisioned Concurrency") == 63
    assert region_total == 63
    assert p_closed_total == 188
    assert [l["kind"] for l in region_free["lines"]] == [
        "Requests", "Provisioned Concurrency", "Provisioned Duration", "Ephemeral Storage"]
    assert region_free["lines"][0]["quantity"] == 50, "the free tier never covers requests on PC"

    steps = [
        {"at_us": 0, "op": "invoke", "function": "f", "id": "a",
         "expect": {"start": "FullCold", "env": "F", "init_us": 300_000, "ready_at_us": 300_000}},
        {"at_us": 0, "op": "bill", "expect": {"lines": [], "total_cents": 0, "exact_total": "0.0000000000"}},
        {"at_us": 350_000, "op": "finish", "id": "a", "outcome": "Crash",
         "expect": {"duration_us": 50_000, "env_kept": True}},
        {"at_us": 1_000_000, "op": "invoke", "function": "f", "id": "b",
         "expect": {"start": "PartialCold", "env": "F", "init_us": 200_000, "ready_at_us": 1_200_000}},
        {"at_us": 1_210_500, "op": "finish", "id": "b", "expect": {"env_kept": True}},
        {"at_us": 2_000_000, "op": "invoke", "function": "f", "id": "c", "expect": {"start": "Warm", "env": "F"}},
        {"at_us": 2_000_001, "op": "finish", "id": "c", "expect": {"duration_us": 1, "env_kept": True}},
        {"at_us": 2_000_001, "op": "bill", "function": "f", "expect": f_bill},
        {"at_us": 2_000_001, "op": "bill", "function": "f", "free_tier": True,
         "expect": {"lines": [l for l in f_bill["lines"] if l["kind"] == "Ephemeral Storage"]}},
        {"at_us": 61_000_000, "op": "check",
         "expect": {"functions": {"p": {"provisioned_status": "READY", "idle_provisioned": 50}}}},
        {"at_us": 61_000_000, "op": "invoke_many", "function": "p", "count": 50,
         "expect": {"started": 50, "throttled": {}}},
        {"at_us": 61_000_000, "op": "invoke", "function": "p", "id": "spill",
         "expect": {"start": "FullCold", "on_provisioned": False, "init_us": 380_000, "ready_at_us": 61_380_000}},
        {"at_us": 61_100_000, "op": "finish_all", "function": "p", "expect": {"finished": 50}},
        {"at_us": 61_400_000, "op": "finish", "id": "spill", "expect": {"duration_us": 20_000, "env_kept": True}},
        {"at_us": 61_400_000, "op": "check",
         "expect": {"stats": {"invocations": 54, "provisioned_starts": 50, "spillover": 1, "full_cold_starts": 2,
                              "partial_cold_starts": 1, "warm_starts": 1}}},
        {"at_us": 62_000_000, "op": "bill", "expect": region_bill},
        {"at_us": 62_000_000, "op": "bill", "prices": "us-east-1", "free_tier": True, "expect": region_free},
        {"at_us": 62_000_000, "op": "bill", "function": "p", "prices": "us-east-1-2020", "expect": p_2020},
        {"at_us": 700_000_000, "op": "put_provisioned", "function": "p", "provisioned": 0},
        {"at_us": 10_000_000_000, "op": "bill", "function": "p", "expect": p_closed},
        {"at_us": 10_000_000_000, "op": "bill", "function": "nope", "expect": {"error": "UnknownFunction"}},
    ]
    return {
        "name": "region-bill",
        "spec": "docs/model.md §5 (metering of a region: init billing, PC spans, on-PC and spillover prices, free tier)",
        "description": region_bill_vector.__doc__.strip().replace("\n    ", " ").replace("\n", " "),
        "functions": [
            {"name": "f", "memory_mb": 1024, "architecture": "arm64", "ephemeral_mb": 1024,
             "sandbox_us": 100_000, "download_us_per_mb": 0, "package_mb": 0, "init_us": 200_000},
            {"name": "p", "memory_mb": 10_240, "provisioned": 50},
        ],
        "steps": steps,
    }


def region_bill_100ms_vector():
    """The 100 ms era with init not billed: each invocation rounds up to 100 ms.

    g: x86_64, 128 MB, default cold start (create 130 ms, init 250 ms).
      a: full cold at 0, ready at 380 ms; reports Timeout at 480.001 ms: init not billed,
         handler 100.001 ms -> 101 ms -> 200 ms. The env is reset.
      b: partial cold at 1 s: init 250 ms runs inside the invoke (always billed), done at 1.3 s: 300 ms.
      c: warm at 2 s, 1 us: 1 ms -> 100 ms.
      d: warm at 3 s, never finished: the region ends it at its 3 s timeout (6 s): 3000 ms.
    """
    ms = 200 + 300 + 100 + 3000
    m = Meter()
    m.invocation_ms("x86_64", 128, ms, requests=4)
    bill, _ = expect_of(m.bill(US_EAST_1, False))
    steps = [
        {"at_us": 0, "op": "invoke", "function": "g", "id": "a",
         "expect": {"start": "FullCold", "env": "G", "ready_at_us": 380_000}},
        {"at_us": 480_001, "op": "finish", "id": "a", "outcome": "Timeout", "expect": {"env_kept": True}},
        {"at_us": 1_000_000, "op": "invoke", "function": "g", "id": "b",
         "expect": {"start": "PartialCold", "env": "G", "ready_at_us": 1_250_000}},
        {"at_us": 1_300_000, "op": "finish", "id": "b"},
        {"at_us": 1_300_000, "op": "bill",
         "expect": {"lines": [{"kind": "Requests", "architecture": None, "quantity": 2, "cents": 0,
                               "amount": exact(2 * 2000 * ATOMS_PER_UNIT)},
                              {"kind": "Duration", "architecture": "x86_64", "quantity": 128 * 500, "cents": 0,
                               "amount": exact(128 * 500 * 166_667)}]}},
        {"at_us": 2_000_000, "op": "invoke", "function": "g", "id": "c", "expect": {"start": "Warm", "env": "G"}},
        {"at_us": 2_000_001, "op": "finish", "id": "c"},
        {"at_us": 3_000_000, "op": "invoke", "function": "g", "id": "d", "expect": {"start": "Warm", "env": "G"}},
        {"at_us": 7_000_000, "op": "check", "expect": {"busy": 0, "stats": {"timeouts": 2, "errors": 2}}},
        {"at_us": 7_000_000, "op": "finish", "id": "d", "expect": {"error": "TimedOut"}},
        {"at_us": 7_000_000, "op": "bill", "expect": bill},
        {"at_us": 7_000_000, "op": "bill", "prices": "us-east-1-2020", "free_tier": True,
         "expect": {"lines": [], "total_cents": 0}},
    ]
    return {
        "name": "region-bill-100ms",
        "spec": "docs/model.md §5 (100 ms billing granularity; init billing off for full cold starts)",
        "description": region_bill_100ms_vector.__doc__.strip().replace("\n    ", " ").replace("\n", " "),
        "region": {"granularity": "100ms", "bill_init": False},
        "functions": [{"name": "g"}],
        "steps": steps,
    }


def main():
    os.makedirs(PRICING, exist_ok=True)
    for v in PRICING_VECTORS:
        write(os.path.join(PRICING, v["name"] + ".json"), v)
    write(os.path.join(VECTORS, "region-bill.json"), region_bill_vector())
    write(os.path.join(VECTORS, "region-bill-100ms.json"), region_bill_100ms_vector())
    print(f"wrote {len(PRICING_VECTORS)} pricing vectors and 2 region-bill vectors")


if __name__ == "__main__":
    main()
