/*
 * example.c: driving lambdasim from C.
 *
 * (a) Little's law, as in the Lambda docs: 100 requests per second, each
 *     taking 0.5 s, need about 100 x 0.5 = 50 concurrent execution
 *     environments. Sixty seconds of simulated traffic, one request every
 *     10 ms, each finishing 500 ms after its handler starts.
 * (b) Reserved concurrency 20 with provisioned concurrency 10: once the
 *     provisioned environments are READY, a burst of 30 concurrent requests
 *     runs 10 on provisioned environments, spills 10 over to on-demand ones
 *     and throttles 10 with ReservedFunctionConcurrentInvocationLimitExceeded.
 *
 * The region never reads a clock: every call takes the simulated time, and
 * lsim_next_deadline says when the region next has something to do on its
 * own (a cold start phase ending, a timeout, an idle environment expiring),
 * so a driver calls lsim_advance exactly then.
 */
#include "lambdasim.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Every call returns a status; stop with its name on the first failure. */
static void check(lsim_status status, const char *call, int line) {
    if (status != LSIM_STATUS_OK) {
        fprintf(stderr, "example.c:%d: %s failed: %s\n", line, call, lsim_status_str(status));
        exit(1);
    }
}
#define CHECK(call) check((call), #call, __LINE__)

static double seconds(uint64_t us) {
    return (double)us / 1e6;
}

/* ---- (a) 100 requests/s x 0.5 s ------------------------------------------------ */

enum { MAX_PENDING = 1024 };

typedef struct {
    lsim_invocation invocation;
    uint64_t finish_at_us;
} pending_t;

static int little_law(void) {
    const uint64_t interval_us = 10000;    /* one request every 10 ms = 100/s */
    const uint64_t handler_us = 500000;    /* each handler runs 0.5 s */
    const uint64_t horizon_us = 60000000;  /* 60 s of arrivals */
    const uint64_t steady_from_us = 30000000;

    lsim_region_config rc;
    CHECK(lsim_region_config_default(&rc));
    lsim_region *region = NULL;
    CHECK(lsim_region_new(&rc, &region));

    lsim_function_config fc;
    CHECK(lsim_function_config_default(&fc)); /* 128 MB, 3 s timeout, 380 ms cold start */
    lsim_function fn;
    CHECK(lsim_function_create(region, 0, &fc, &fn));

    static pending_t pending[MAX_PENDING];
    size_t npending = 0;
    uint64_t next_arrival_us = 0;
    uint64_t requests = 0, throttled = 0;
    uint64_t peak_busy = 0, peak_at_us = 0;
    uint64_t steady_sum = 0, steady_samples = 0, steady_min = UINT64_MAX, steady_max = 0;

    while (next_arrival_us < horizon_us || npending > 0) {
        /* The next thing the driver does: the earliest finish or the next arrival. */
        size_t first = 0;
        for (size_t i = 1; i < npending; i++) {
            if (pending[i].finish_at_us < pending[first].finish_at_us) first = i;
        }
        uint64_t next_finish_us = npending > 0 ? pending[first].finish_at_us : UINT64_MAX;
        uint64_t arrival_us = next_arrival_us < horizon_us ? next_arrival_us : UINT64_MAX;
        uint64_t next_op_us = next_finish_us < arrival_us ? next_finish_us : arrival_us;

        /* Anything the region has to do on its own before then happens at its own time. */
        uint32_t has_deadline = 0;
        uint64_t deadline_us = 0;
        CHECK(lsim_next_deadline(region, &has_deadline, &deadline_us));
        if (has_deadline && deadline_us < next_op_us) {
            CHECK(lsim_advance(region, deadline_us));
            continue;
        }

        if (next_finish_us <= arrival_us) {
            lsim_finish_result done;
            CHECK(lsim_finish(region, next_finish_us, pending[first].invocation, LSIM_OUTCOME_SUCCESS, &done));
            pending[first] = pending[--npending];
            continue;
        }

        lsim_invoke_result r;
        CHECK(lsim_invoke(region, arrival_us, fn, &r));
        requests++;
        next_arrival_us += interval_us;
        if (r.throttled) {
            throttled++;
        } else {
            if (npending == MAX_PENDING) {
                fprintf(stderr, "example.c: more than %d requests in flight\n", MAX_PENDING);
                return 1;
            }
            /* The handler starts at ready_at_us (after any cold start) and runs 0.5 s. */
            pending[npending].invocation = r.invocation;
            pending[npending].finish_at_us = r.ready_at_us + handler_us;
            npending++;
        }

        lsim_region_counts counts;
        CHECK(lsim_region_get_counts(region, &counts));
        if (counts.busy > peak_busy) {
            peak_busy = counts.busy;
            peak_at_us = arrival_us;
        }
        if (arrival_us >= steady_from_us) {
            steady_sum += counts.busy;
            steady_samples++;
            if (counts.busy < steady_min) steady_min = counts.busy;
            if (counts.busy > steady_max) steady_max = counts.busy;
        }
    }

    lsim_stats stats;
    CHECK(lsim_region_stats(region, &stats));
    lsim_region_counts end;
    CHECK(lsim_region_get_counts(region, &end));
    CHECK(lsim_region_check(region));
    double steady_mean = steady_samples > 0 ? (double)steady_sum / (double)steady_samples : 0.0;

    printf("(a) 100 requests/s, 0.5 s each, for 60 s (Little's law: 100/s x 0.5 s = 50 environments)\n");
    printf("    requests            %" PRIu64 " (%" PRIu64 " throttled)\n", requests, throttled);
    printf("    cold starts         %" PRIu64 " (full %" PRIu64 ", partial %" PRIu64 "); warm starts %" PRIu64 "\n",
           stats.full_cold_starts + stats.partial_cold_starts, stats.full_cold_starts, stats.partial_cold_starts,
           stats.warm_starts);
    printf("    peak busy           %" PRIu64 " at t=%.3f s (while the first environments cold-start)\n", peak_busy,
           seconds(peak_at_us));
    printf("    steady-state busy   mean %.1f, min %" PRIu64 ", max %" PRIu64 " (t >= %.0f s)\n", steady_mean,
           steady_min, steady_max, seconds(steady_from_us));
    printf("    environments        %" PRIu64 " created, %" PRIu64 " still live (idle until the 10 min timeout)\n",
           stats.envs_created, end.live);

    CHECK(lsim_region_free(region));
    if (throttled != 0 || steady_mean < 48.0 || steady_mean > 52.0) {
        fprintf(stderr, "example.c: unexpected result for (a)\n");
        return 1;
    }
    return 0;
}

/* ---- (b) reserved 20, provisioned 10, burst of 30 ------------------------------- */

enum { BURST = 30 };

static int provisioned_burst(void) {
    lsim_region_config rc;
    CHECK(lsim_region_config_default(&rc));
    lsim_region *region = NULL;
    CHECK(lsim_region_new(&rc, &region));

    lsim_function_config fc;
    CHECK(lsim_function_config_default(&fc));
    fc.has_reserved = 1;
    fc.reserved = 20;
    fc.provisioned = 10;
    lsim_function fn;
    CHECK(lsim_function_create(region, 0, &fc, &fn));

    /* Provisioned concurrency is allocated after a preparation delay (60 s by
     * default), then 10 environments are created and initialized: follow the
     * region's deadlines until the allocation is READY. */
    lsim_function_counts counts;
    CHECK(lsim_function_get_counts(region, fn, &counts));
    while (counts.provisioned_status != LSIM_PROVISIONED_STATUS_READY) {
        uint32_t has_deadline = 0;
        uint64_t deadline_us = 0;
        if (counts.provisioned_status == LSIM_PROVISIONED_STATUS_FAILED) {
            fprintf(stderr, "example.c: provisioned allocation failed\n");
            return 1;
        }
        CHECK(lsim_next_deadline(region, &has_deadline, &deadline_us));
        if (!has_deadline) {
            fprintf(stderr, "example.c: allocation stuck in %s\n",
                    lsim_provisioned_status_str(counts.provisioned_status));
            return 1;
        }
        CHECK(lsim_advance(region, deadline_us));
        CHECK(lsim_function_get_counts(region, fn, &counts));
    }
    uint64_t now_us = 0;
    CHECK(lsim_region_now(region, &now_us));
    printf("\n(b) reserved concurrency 20, provisioned concurrency 10\n");
    printf("    provisioned concurrency %s at t=%.3f s: %u environments idle and initialized\n",
           lsim_provisioned_status_str(counts.provisioned_status), seconds(now_us), counts.idle_provisioned);

    /* 30 requests arrive at the same instant. */
    lsim_invoke_result results[BURST];
    unsigned on_provisioned = 0, spillover = 0, throttled_reserved = 0, other = 0;
    uint64_t spillover_ready_us = 0;
    uint32_t provisioned_kind = 0, spillover_kind = 0;
    for (int i = 0; i < BURST; i++) {
        CHECK(lsim_invoke(region, now_us, fn, &results[i]));
        const lsim_invoke_result *r = &results[i];
        if (r->throttled) {
            if (r->throttle_reason == LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED) {
                throttled_reserved++;
            } else {
                other++;
            }
        } else if (r->on_provisioned) {
            on_provisioned++;
            provisioned_kind = r->start_kind;
        } else {
            spillover++;
            spillover_kind = r->start_kind;
            spillover_ready_us = r->ready_at_us;
        }
    }
    CHECK(lsim_function_get_counts(region, fn, &counts));
    printf("    burst of %d concurrent requests at t=%.3f s:\n", BURST, seconds(now_us));
    printf("      %2u on provisioned environments (start %s, no cold start)\n", on_provisioned,
           lsim_start_kind_str(provisioned_kind));
    printf("      %2u spillover to on-demand (start %s, handler starts %.3f s later)\n", spillover,
           lsim_start_kind_str(spillover_kind), seconds(spillover_ready_us - now_us));
    printf("      %2u throttled: %s\n", throttled_reserved,
           lsim_throttle_reason_str(LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED));
    printf("    concurrency now %u of reserved %u (%u on provisioned)\n", counts.busy, counts.reserved,
           counts.busy_provisioned);
    CHECK(lsim_region_check(region));

    /* Each handler runs 100 ms. The clock only moves forward: finish the
     * provisioned ones (handlers started now) before the spillover ones
     * (handlers started after their cold start). */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < BURST; i++) {
            const lsim_invoke_result *r = &results[i];
            if (r->throttled || (pass == 0) != (r->on_provisioned == 1)) continue;
            lsim_finish_result done;
            CHECK(lsim_finish(region, r->ready_at_us + 100000, r->invocation, LSIM_OUTCOME_SUCCESS, &done));
        }
    }
    lsim_stats stats;
    CHECK(lsim_function_stats(region, fn, &stats));
    CHECK(lsim_function_get_counts(region, fn, &counts));
    CHECK(lsim_region_check(region));
    printf("    after the burst: %" PRIu64 " succeeded, busy %u, %u provisioned + %u on-demand environments idle\n",
           stats.succeeded, counts.busy, counts.idle_provisioned, counts.idle - counts.idle_provisioned);
    printf("    function stats: %" PRIu64 " requests, %" PRIu64 " provisioned starts, %" PRIu64
           " spillover, %" PRIu64 " throttled (reserved)\n",
           stats.requests, stats.provisioned_starts, stats.spillover,
           stats.throttles[LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED]);

    CHECK(lsim_region_free(region));
    if (on_provisioned != 10 || spillover != 10 || throttled_reserved != 10 || other != 0) {
        fprintf(stderr, "example.c: unexpected result for (b)\n");
        return 1;
    }
    return 0;
}

int main(void) {
    if (lsim_abi_version() != LSIM_ABI_VERSION) {
        fprintf(stderr, "lambdasim ABI %u, header %d\n", lsim_abi_version(), LSIM_ABI_VERSION);
        return 1;
    }
    printf("lambdasim %s (C ABI %u)\n\n", lsim_version(), lsim_abi_version());
    if (little_law() != 0) return 1;
    if (provisioned_burst() != 0) return 1;
    return 0;
}
