/*
 * example_cost.c: "what will it cost?" with lambdasim from C.
 *
 * (a) A month described directly: AWS's provisioned-concurrency example
 *     (docs/model.md §5): PC = 100 at 1536 MB for 8 hours, 500 000 requests
 *     of 100 ms on it, 2.5 M of 120 ms on-demand, with the free tier. AWS
 *     says $19.96; the bill prints each line exact and rounded.
 * (b) Which memory size? Power-tune a handler that waits 30 ms on I/O and
 *     needs 400 ms of CPU at one vCPU with 2 threads, over every size from
 *     128 to 10 240 MB: the cheapest, the fastest and a balanced pick, the
 *     timeout to configure, and what 3 M invocations a month cost at each.
 * (c) Measure instead of model: simulate an hour of traffic (20 requests/s,
 *     120 ms handlers) through a region on arm64 and on x86_64 and read
 *     both regions' bills (cold starts' init included).
 *
 * Money is exact (lsim_money counts 1e-10 USD / 1 024 000): print it with
 * lsim_money_format (exact) or lsim_money_format_cents (as AWS shows it).
 */
#include "lambdasim.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every call returns a status; stop with its name on the first failure. */
static void check(lsim_status status, const char *call, int line) {
    if (status != LSIM_STATUS_OK) {
        fprintf(stderr, "example_cost.c:%d: %s failed: %s\n", line, call, lsim_status_str(status));
        exit(1);
    }
}
#define CHECK(call) check((call), #call, __LINE__)

static void expect(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "example_cost.c: unexpected: %s\n", what);
        exit(1);
    }
}

/* The money as AWS shows it ("19.96") and exactly ("19.9626440000"). */
static const char *cents(lsim_money m, char *buf, size_t len) {
    size_t need = 0;
    CHECK(lsim_money_format_cents(m, buf, len, &need));
    return buf;
}

static const char *exact(lsim_money m, char *buf, size_t len) {
    size_t need = 0;
    CHECK(lsim_money_format(m, buf, len, &need));
    return buf;
}

static void print_bill(const lsim_bill *b) {
    char c[64], x[64];
    for (uint32_t i = 0; i < b->line_count; i++) {
        const lsim_bill_line *l = &b->lines[i];
        const char *arch = l->architecture == LSIM_ARCH_NONE ? "" : lsim_architecture_str(l->architecture);
        /* Quantities here fit 64 bits; MB-ms / 1 024 000 = GB-s. */
        if (l->kind == LSIM_LINE_REQUESTS)
            printf("    %-24s %-7s %14" PRIu64 " requests  $%9s  (exact %s)\n", lsim_line_kind_str(l->kind), arch,
                   l->quantity.lo, cents(l->amount, c, sizeof c), exact(l->amount, x, sizeof x));
        else
            printf("    %-24s %-7s %14.1f GB-s      $%9s  (exact %s)\n", lsim_line_kind_str(l->kind), arch,
                   (double)l->quantity.lo / 1024000.0, cents(l->amount, c, sizeof c), exact(l->amount, x, sizeof x));
    }
    printf("    total $%" PRIu64 ".%02" PRIu64 " (exact %s)\n", b->total_cents / 100, b->total_cents % 100,
           exact(b->exact_total, x, sizeof x));
}

/* ---- (a) a month described directly --------------------------------------------- */

static void month(void) {
    lsim_invocation_usage items[2];
    CHECK(lsim_invocation_usage_default(&items[0]));
    items[0].memory_mb = 1536;
    items[0].usage_class = LSIM_USAGE_PROVISIONED;
    items[0].requests = 500000;
    items[0].duration_us = 100000;
    CHECK(lsim_invocation_usage_default(&items[1]));
    items[1].memory_mb = 1536;
    items[1].requests = 2500000;
    items[1].duration_us = 120000;
    lsim_provisioned_usage pc;
    CHECK(lsim_provisioned_usage_default(&pc));
    pc.memory_mb = 1536;
    pc.provisioned = 100;
    pc.enabled_us = 8ull * 3600ull * 1000000ull;

    lsim_bill bill;
    CHECK(lsim_bill_usage(items, 2, &pc, 1, LSIM_PRICES_US_EAST_1, 1, &bill));
    printf("(a) AWS's provisioned-concurrency example, one month with the free tier:\n");
    print_bill(&bill);
    expect(bill.total_cents == 1996, "AWS's provisioned-concurrency example totals $19.96");
}

/* ---- (b) power tuning ------------------------------------------------------------------ */

/* What `requests` invocations of `duration_us` at `memory_mb` cost in a month (no free tier). */
static lsim_bill monthly(uint32_t memory_mb, uint64_t duration_us, uint64_t requests) {
    lsim_invocation_usage u;
    CHECK(lsim_invocation_usage_default(&u));
    u.memory_mb = memory_mb;
    u.requests = requests;
    u.duration_us = duration_us;
    lsim_bill b;
    CHECK(lsim_bill_usage(&u, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &b));
    return b;
}

static void tuning(void) {
    lsim_tune_request req;
    CHECK(lsim_tune_request_default(&req));
    req.profile.io_us = 30000;
    req.profile.cpu_us = 400000;
    req.profile.threads = 2;
    req.memory_list = LSIM_MEMORY_LIST_ALL;

    /* Ask how many candidates, then allocate. */
    size_t count = 0;
    lsim_tune_result result;
    lsim_status st = lsim_tune_profile(&req, NULL, 0, &count, &result);
    expect(st == LSIM_STATUS_BUFFER_TOO_SMALL && count == LSIM_ALL_MEMORY_LIST_LEN, "a size query");
    lsim_tune_candidate *cands = malloc(count * sizeof *cands);
    expect(cands != NULL, "memory");

    static const struct {
        uint32_t strategy, weight_ppm;
        const char *name;
    } picks[] = {
        {LSIM_STRATEGY_COST, 0, "cost"},
        {LSIM_STRATEGY_SPEED, 0, "speed"},
        {LSIM_STRATEGY_BALANCED, 500000, "balanced 0.5"},
    };
    printf("\n(b) Power tuning: 30 ms I/O + 400 ms of CPU on 2 threads, every size 128..10240 MB:\n");
    uint64_t fastest = UINT64_MAX;
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        char c[64], x[64];
        req.strategy = picks[i].strategy;
        req.weight_ppm = picks[i].weight_ppm;
        CHECK(lsim_tune_profile(&req, cands, count, &count, &result));
        lsim_bill b = monthly(result.pick.memory_mb, result.pick.duration_us, 3000000);
        printf("    %-13s %5" PRIu32 " MB  %7.1f ms  $%s each, $%s for 3 M a month; timeout %" PRIu32 " s\n",
               picks[i].name, result.pick.memory_mb, (double)result.pick.duration_us / 1000.0,
               exact(result.pick.cost, x, sizeof x), cents(b.exact_total, c, sizeof c),
               result.recommended_timeout_ms / 1000);
        if (picks[i].strategy == LSIM_STRATEGY_SPEED) fastest = result.pick.duration_us;
    }
    /* More memory never makes the profile slower; 2 threads are fully used from 3538 MB. */
    expect(fastest == 30000 + 200000, "the fastest pick runs the CPU part on 2 full vCPUs");
    free(cands);

    uint32_t cores = 0;
    uint64_t at_1769 = 0;
    CHECK(lsim_visible_cores(1769, &cores));
    CHECK(lsim_duration_at(&req.profile, 1769, &at_1769));
    printf("    at 1769 MB (one vCPU, %" PRIu32 " core visible) it takes %.1f ms\n", cores, (double)at_1769 / 1000.0);
    expect(cores == 1 && at_1769 == 430000, "one vCPU at 1769 MB");
}

/* ---- (c) an hour through a region ----------------------------------------------------- */

enum { MAX_PENDING = 64 };

static lsim_bill simulate_hour(uint32_t architecture) {
    lsim_region_config rc;
    CHECK(lsim_region_config_default(&rc));
    lsim_region *region = NULL;
    CHECK(lsim_region_new(&rc, &region));
    lsim_function_config fc;
    CHECK(lsim_function_config_default(&fc));
    fc.memory_mb = 1024;
    fc.architecture = architecture;
    lsim_function fn;
    CHECK(lsim_function_create(region, 0, &fc, &fn));

    /* One request every 50 ms, each handler 120 ms: about 3 busy at a time. */
    lsim_invocation pending[MAX_PENDING];
    uint64_t finish_at[MAX_PENDING];
    size_t n = 0;
    for (uint64_t t = 0; t < 3600ull * 1000000ull; t += 50000) {
        /* Finish whatever is done by now, earliest first (the clock never goes back). */
        for (;;) {
            size_t first = n;
            for (size_t i = 0; i < n; i++)
                if (finish_at[i] <= t && (first == n || finish_at[i] < finish_at[first])) first = i;
            if (first == n) break;
            lsim_finish_result fr;
            CHECK(lsim_finish(region, finish_at[first], pending[first], LSIM_OUTCOME_SUCCESS, &fr));
            pending[first] = pending[--n];
            finish_at[first] = finish_at[n];
        }
        lsim_invoke_result ir;
        CHECK(lsim_invoke(region, t, fn, &ir));
        expect(!ir.throttled && n < MAX_PENDING, "no throttles");
        pending[n] = ir.invocation;
        finish_at[n++] = ir.ready_at_us + 120000;
    }
    uint64_t end = 0;
    for (size_t i = 0; i < n; i++) end = finish_at[i] > end ? finish_at[i] : end;
    CHECK(lsim_advance(region, end));
    for (size_t i = 0; i < n; i++) {
        lsim_finish_result fr;
        CHECK(lsim_finish(region, end, pending[i], LSIM_OUTCOME_SUCCESS, &fr));
    }
    lsim_bill bill;
    CHECK(lsim_region_bill(region, LSIM_PRICES_US_EAST_1, 0, &bill));
    CHECK(lsim_region_check(region));
    CHECK(lsim_region_free(region));
    return bill;
}

static void hour(void) {
    printf("\n(c) One hour at 20 requests/s of 120 ms at 1024 MB through a region (no free tier):\n");
    lsim_bill arm = simulate_hour(LSIM_ARCH_ARM64);
    lsim_bill x86 = simulate_hour(LSIM_ARCH_X86_64);
    printf("  arm64:\n");
    print_bill(&arm);
    printf("  x86_64:\n");
    print_bill(&x86);
    expect(arm.line_count == 2 && arm.lines[0].quantity.lo == 72000, "72 000 requests");
    /* Same usage, lower arm64 price. */
    expect(arm.lines[1].quantity.lo == x86.lines[1].quantity.lo, "the same MB-ms on both");
    expect(arm.total_cents < x86.total_cents, "arm64 is cheaper");
}

int main(void) {
    if (lsim_abi_version() != LSIM_ABI_VERSION) {
        fprintf(stderr, "ABI version mismatch\n");
        return 1;
    }
    month();
    tuning();
    hour();
    return 0;
}
