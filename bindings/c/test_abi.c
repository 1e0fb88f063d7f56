/*
 * test_abi.c: checks the C ABI of lambdasim from C.
 *
 * Every check is counted; the last line printed is "N passed, M failed" and
 * the exit status is non-zero when anything failed. Runs clean under ASan,
 * UBSan and valgrind (see the Makefile).
 */
#include "lambdasim.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned passed, failed;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            passed++;                                                               \
        } else {                                                                    \
            failed++;                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

#define CHECK_STATUS(expr, want)                                                          \
    do {                                                                                  \
        lsim_status got_ = (expr);                                                        \
        lsim_status want_ = (want);                                                       \
        if (got_ == want_) {                                                              \
            passed++;                                                                     \
        } else {                                                                          \
            failed++;                                                                     \
            fprintf(stderr, "%s:%d: %s\n    returned %s, want %s\n", __FILE__, __LINE__, \
                    #expr, lsim_status_str(got_), lsim_status_str(want_));                \
        }                                                                                 \
    } while (0)

#define CHECK_OK(expr) CHECK_STATUS(expr, LSIM_STATUS_OK)

/* The region's invariants hold. */
#define CHECK_REGION(r) CHECK_OK(lsim_region_check(r))

static lsim_region_config region_config(void) {
    lsim_region_config c;
    memset(&c, 0xAB, sizeof c);
    CHECK_OK(lsim_region_config_default(&c));
    return c;
}

static lsim_function_config function_config(void) {
    lsim_function_config c;
    memset(&c, 0xAB, sizeof c);
    CHECK_OK(lsim_function_config_default(&c));
    return c;
}

static lsim_region *new_region(void) {
    lsim_region_config c = region_config();
    lsim_region *r = NULL;
    CHECK_OK(lsim_region_new(&c, &r));
    CHECK(r != NULL);
    return r;
}

static lsim_function new_function(lsim_region *r, uint64_t now_us, const lsim_function_config *c) {
    lsim_function f = {0, 0, 0};
    CHECK_OK(lsim_function_create(r, now_us, c, &f));
    return f;
}

static int same_env(lsim_env a, lsim_env b) {
    return a.index == b.index && a.generation == b.generation && a.region_tag == b.region_tag;
}

/* ---- versions and names ------------------------------------------------ */

static void test_versions(void) {
    CHECK(lsim_abi_version() == LSIM_ABI_VERSION);
    CHECK(LSIM_ABI_VERSION == 4);
    CHECK(lsim_version() != NULL && strlen(lsim_version()) > 0);
}

static void test_status_strings(void) {
    static const char *const names[] = {
        "LSIM_STATUS_OK",
        "LSIM_STATUS_NULL_POINTER",
        "LSIM_STATUS_STALE_HANDLE",
        "LSIM_STATUS_POISONED",
        "LSIM_STATUS_PANIC",
        "LSIM_STATUS_INVALID_ARGUMENT",
        "LSIM_STATUS_BUFFER_TOO_SMALL",
        "LSIM_STATUS_TIME_WENT_BACKWARDS",
        "LSIM_STATUS_CAPACITY_EXCEEDED",
        "LSIM_STATUS_UNKNOWN_FUNCTION",
        "LSIM_STATUS_UNKNOWN_INVOCATION",
        "LSIM_STATUS_NOT_READY",
        "LSIM_STATUS_TIMED_OUT",
        "LSIM_STATUS_FUNCTION_BUSY",
        "LSIM_STATUS_MEMORY_BELOW_MINIMUM",
        "LSIM_STATUS_MEMORY_ABOVE_MAXIMUM",
        "LSIM_STATUS_MEMORY_NOT_ON_STEP",
        "LSIM_STATUS_TIMEOUT_OUT_OF_RANGE",
        "LSIM_STATUS_PACKAGE_TOO_LARGE",
        "LSIM_STATUS_UNRESERVED_BELOW_MINIMUM",
        "LSIM_STATUS_PROVISIONED_EXCEEDS_RESERVED",
        "LSIM_STATUS_ACCOUNT_LIMIT_TOO_LOW",
        "LSIM_STATUS_INVALID_SETTING",
        "LSIM_STATUS_INTERNAL",
        "LSIM_STATUS_INVARIANT_VIOLATED",
        "LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE",
        "LSIM_STATUS_OVERFLOW",
        "LSIM_STATUS_TOO_FEW_SAMPLES",
        "LSIM_STATUS_INVALID_SCENARIO",
        "LSIM_STATUS_SIMULATION_FAILED",
        "LSIM_STATUS_UNKNOWN_ENV",
        "LSIM_STATUS_QUEUE_FULL",
        "LSIM_STATUS_MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE",
        "LSIM_STATUS_MAXIMUM_EVENT_AGE_OUT_OF_RANGE",
        "LSIM_STATUS_UNKNOWN_ASYNC_EVENT",
    };
    uint32_t n = (uint32_t)(sizeof names / sizeof names[0]);
    for (uint32_t code = 0; code < n; code++) {
        const char *s = lsim_status_str(code);
        CHECK(s != NULL && strcmp(s, names[code]) == 0);
    }
    /* The header's enum matches the numbers. */
    CHECK(LSIM_STATUS_OK == 0 && LSIM_STATUS_NULL_POINTER == 1 && LSIM_STATUS_STALE_HANDLE == 2);
    CHECK(LSIM_STATUS_INVALID_ARGUMENT == 5 && LSIM_STATUS_BUFFER_TOO_SMALL == 6);
    CHECK(LSIM_STATUS_INTERNAL == 23 && LSIM_STATUS_INVARIANT_VIOLATED == 24);
    CHECK(LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE == 25 && LSIM_STATUS_OVERFLOW == 26 && LSIM_STATUS_TOO_FEW_SAMPLES == 27);
    CHECK(LSIM_STATUS_INVALID_SCENARIO == 28 && LSIM_STATUS_SIMULATION_FAILED == 29);
    CHECK(LSIM_STATUS_UNKNOWN_ENV == 30 && LSIM_STATUS_QUEUE_FULL == 31);
    CHECK(LSIM_STATUS_MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE == 32 && LSIM_STATUS_MAXIMUM_EVENT_AGE_OUT_OF_RANGE == 33);
    CHECK(LSIM_STATUS_UNKNOWN_ASYNC_EVENT == 34);
    CHECK(strcmp(lsim_status_str(n), "unknown status") == 0);
    CHECK(strcmp(lsim_status_str(UINT32_MAX), "unknown status") == 0);
}

static void test_enum_strings(void) {
    CHECK(strcmp(lsim_throttle_reason_str(LSIM_THROTTLE_CONCURRENT_INVOCATION_LIMIT_EXCEEDED),
                 "ConcurrentInvocationLimitExceeded") == 0);
    CHECK(strcmp(lsim_throttle_reason_str(LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED),
                 "ReservedFunctionConcurrentInvocationLimitExceeded") == 0);
    CHECK(strcmp(lsim_throttle_reason_str(LSIM_THROTTLE_REQUEST_RATE_EXCEEDED), "RequestRateExceeded") == 0);
    CHECK(strcmp(lsim_throttle_reason_str(LSIM_THROTTLE_SCALING_RATE_EXCEEDED), "ScalingRateExceeded") == 0);
    CHECK(strcmp(lsim_throttle_reason_str(LSIM_THROTTLE_FUNCTION_INVOCATION_RATE_LIMIT_EXCEEDED),
                 "FunctionInvocationRateLimitExceeded") == 0);
    CHECK(strcmp(lsim_throttle_reason_str(5), "unknown") == 0);
    CHECK(strcmp(lsim_start_kind_str(LSIM_START_KIND_WARM), "Warm") == 0);
    CHECK(strcmp(lsim_start_kind_str(LSIM_START_KIND_PROVISIONED), "Provisioned") == 0);
    CHECK(strcmp(lsim_start_kind_str(LSIM_START_KIND_PARTIAL_COLD), "PartialCold") == 0);
    CHECK(strcmp(lsim_start_kind_str(LSIM_START_KIND_FULL_COLD), "FullCold") == 0);
    CHECK(strcmp(lsim_start_kind_str(99), "unknown") == 0);
    CHECK(strcmp(lsim_env_state_str(LSIM_ENV_STATE_IDLE), "Idle") == 0);
    CHECK(strcmp(lsim_env_state_str(LSIM_ENV_STATE_TERMINATED), "Terminated") == 0);
    CHECK(strcmp(lsim_env_state_str(6), "unknown") == 0);
    CHECK(strcmp(lsim_provisioned_status_str(LSIM_PROVISIONED_STATUS_READY), "READY") == 0);
    CHECK(strcmp(lsim_provisioned_status_str(LSIM_PROVISIONED_STATUS_IN_PROGRESS), "IN_PROGRESS") == 0);
    CHECK(strcmp(lsim_provisioned_status_str(4), "unknown") == 0);
}

/* ---- configs ------------------------------------------------------------ */

static void test_defaults(void) {
    lsim_region_config rc = region_config();
    CHECK(rc.struct_size == sizeof(lsim_region_config));
    CHECK(rc.account_limit == 1000 && rc.unreserved_min == 100);
    CHECK(rc.scaling_rule == LSIM_SCALING_RULE_PER_FUNCTION);
    CHECK(rc.request_rate_per_limit == 10);
    CHECK(rc.idle_timeout_us == 600000000u && rc.max_lifetime_us == 7200000000u && rc.shutdown_us == 0);
    CHECK(rc.warm_pick == LSIM_WARM_PICK_MRU && rc.memory_rule == LSIM_MEMORY_RULE_CURRENT);
    CHECK(rc.provisioned_delay_us == 60000000u && rc.provisioned_per_minute == 6000);
    CHECK(rc.granularity == LSIM_GRANULARITY_1MS && rc.bill_init == 1);
    CHECK(rc.env_capacity == LSIM_ENV_CAPACITY && rc.function_capacity == LSIM_FUNCTION_CAPACITY);

    lsim_function_config fc = function_config();
    CHECK(fc.struct_size == sizeof(lsim_function_config));
    CHECK(fc.memory_mb == 128 && fc.timeout_ms == 3000);
    CHECK(fc.has_reserved == 0 && fc.provisioned == 0);
    CHECK(fc.sandbox_us == 125000 && fc.download_us_per_mb == 1000 && fc.package_mb == 5 && fc.init_us == 250000);
    CHECK(fc.architecture == LSIM_ARCH_X86_64 && fc.ephemeral_mb == 512);
}

/* ---- NULL pointers -------------------------------------------------------- */

static void test_null_pointers(void) {
    lsim_region_config rc = region_config();
    lsim_function_config fc = function_config();
    lsim_region *out_region = NULL;

    CHECK_STATUS(lsim_region_config_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_config_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_new(NULL, &out_region), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_new(&rc, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK(out_region == NULL);
    CHECK_OK(lsim_region_free(NULL));

    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_function f_out = {77, 77, 77};
    lsim_invoke_result ir;
    lsim_finish_result fr;
    lsim_invocation inv = {{0, 0, 0}, 0};
    lsim_env env = {0, 0, 0};
    lsim_function_counts fcounts;
    lsim_region_counts rcounts;
    lsim_stats stats;
    uint32_t has = 7, state = 7;
    uint64_t at = 7, now = 7;
    char buf[16];
    size_t len = 7;

    CHECK_STATUS(lsim_function_create(NULL, 0, &fc, &f_out), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_create(r, 0, NULL, &f_out), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_create(r, 0, &fc, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK(f_out.index == 77 && f_out.generation == 77);
    CHECK_STATUS(lsim_function_update(NULL, 0, f, &fc), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_update(r, 0, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_put_reserved(NULL, 0, f, 1, 5), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_put_provisioned(NULL, 0, f, 1), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_delete(NULL, 0, f), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke(NULL, 0, f, &ir), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke(r, 0, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_with_init(NULL, 0, f, 1000, &ir), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_with_init(r, 0, f, 1000, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_finish(NULL, 0, inv, LSIM_OUTCOME_SUCCESS, &fr), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_finish(r, 0, inv, LSIM_OUTCOME_SUCCESS, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_advance(NULL, 0), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_next_deadline(NULL, &has, &at), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_next_deadline(r, NULL, &at), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_next_deadline(r, &has, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK(has == 7 && at == 7);
    CHECK_STATUS(lsim_region_now(NULL, &now), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_now(r, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK(now == 7);
    CHECK_STATUS(lsim_function_get_counts(NULL, f, &fcounts), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_get_counts(r, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_stats(NULL, f, &stats), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_stats(r, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_stats(NULL, &stats), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_stats(r, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_get_counts(NULL, &rcounts), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_get_counts(r, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_env_state(NULL, env, &state), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_env_state(r, env, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK(state == 7);
    CHECK_STATUS(lsim_region_check(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_check_message(NULL, buf, sizeof buf, &len), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_check_message(r, buf, sizeof buf, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_check_message(r, NULL, sizeof buf, &len), LSIM_STATUS_NULL_POINTER);
    CHECK(len == 7);

    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

/* ---- handles --------------------------------------------------------------- */

static void test_freed_and_stale_region_handles(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_region *copy = r;

    CHECK_OK(lsim_region_free(r));
    CHECK_STATUS(lsim_region_free(r), LSIM_STATUS_STALE_HANDLE);    /* double free */
    CHECK_STATUS(lsim_region_free(copy), LSIM_STATUS_STALE_HANDLE); /* a copy too */

    lsim_invoke_result ir;
    lsim_stats stats;
    uint64_t now = 0;
    lsim_function f2;
    CHECK_STATUS(lsim_advance(r, 1), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_invoke(r, 1, f, &ir), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_function_create(r, 1, &fc, &f2), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_stats(r, &stats), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_now(r, &now), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_check(r), LSIM_STATUS_STALE_HANDLE);

    /* A new region may reuse the registry slot; the old handle stays stale. */
    lsim_region *r2 = new_region();
    CHECK(r2 != r);
    CHECK_STATUS(lsim_advance(r, 2), LSIM_STATUS_STALE_HANDLE);
    CHECK_OK(lsim_advance(r2, 2));

    /* Made-up handles are never dereferenced. */
    lsim_region *bogus_even = (lsim_region *)(uintptr_t)0x1000;
    lsim_region *bogus_odd = (lsim_region *)(uintptr_t)0x7ffff1;
    CHECK_STATUS(lsim_advance(bogus_even, 3), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_advance(bogus_odd, 3), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_free(bogus_even), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_free(bogus_odd), LSIM_STATUS_STALE_HANDLE);

    CHECK_OK(lsim_region_free(r2));
    CHECK_STATUS(lsim_region_free(r2), LSIM_STATUS_STALE_HANDLE);
}

static void test_stale_function_handle(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_invoke_result ir;
    lsim_function_counts counts;
    lsim_stats stats;

    CHECK_OK(lsim_function_delete(r, 0, f));
    CHECK_REGION(r);
    CHECK_STATUS(lsim_invoke(r, 0, f, &ir), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_invoke_with_init(r, 0, f, 5, &ir), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_delete(r, 0, f), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_update(r, 0, f, &fc), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_put_reserved(r, 0, f, 1, 5), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_put_provisioned(r, 0, f, 1), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_get_counts(r, f, &counts), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_stats(r, f, &stats), LSIM_STATUS_UNKNOWN_FUNCTION);

    /* A new function in the same slot does not answer to the old handle. */
    lsim_function g = new_function(r, 0, &fc);
    CHECK(g.index == f.index && g.generation != f.generation);
    CHECK_STATUS(lsim_invoke(r, 0, f, &ir), LSIM_STATUS_UNKNOWN_FUNCTION);
    lsim_function never = {200, 1, f.region_tag};
    CHECK_STATUS(lsim_invoke(r, 0, never, &ir), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_stale_invocation_handle(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_invoke_result ir;
    lsim_finish_result fr;

    CHECK_OK(lsim_invoke(r, 0, f, &ir));
    CHECK(ir.throttled == 0);
    CHECK_OK(lsim_finish(r, ir.ready_at_us + 1000, ir.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    memset(&fr, 0x5A, sizeof fr);
    CHECK_STATUS(lsim_finish(r, ir.ready_at_us + 2000, ir.invocation, LSIM_OUTCOME_SUCCESS, &fr),
                 LSIM_STATUS_UNKNOWN_INVOCATION);
    CHECK(fr.duration_us == 0x5A5A5A5A5A5A5A5Au); /* not written on error */
    lsim_invocation made_up = {{9999, 1, ir.env.region_tag}, 1};
    CHECK_STATUS(lsim_finish(r, ir.ready_at_us + 2000, made_up, LSIM_OUTCOME_SUCCESS, &fr),
                 LSIM_STATUS_UNKNOWN_INVOCATION);
    lsim_invocation wrong_seq = ir.invocation;
    wrong_seq.seq += 1;
    CHECK_STATUS(lsim_finish(r, ir.ready_at_us + 2000, wrong_seq, LSIM_OUTCOME_SUCCESS, &fr),
                 LSIM_STATUS_UNKNOWN_INVOCATION);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

/* ---- handles bound to their region -------------------------------------------- */

/* Every entry point taking a function handle, called on `r` with `f`: each
 * must answer `want`. */
static void check_function_calls(lsim_region *r, uint64_t t, lsim_function f, lsim_status want) {
    lsim_function_config fc = function_config();
    lsim_invoke_result ir;
    lsim_env e = {0, 0, 0};
    uint32_t started = 0, busy = 0;
    lsim_function_counts counts;
    lsim_stats stats;
    lsim_occupancy o;
    lsim_function_config got;
    lsim_bill b;
    CHECK_STATUS(lsim_function_update(r, t, f, &fc), want);
    CHECK_STATUS(lsim_function_put_reserved(r, t, f, 1, 5), want);
    CHECK_STATUS(lsim_function_put_provisioned(r, t, f, 1), want);
    CHECK_STATUS(lsim_function_set_keep_alive(r, t, f, 1, 1000), want);
    CHECK_STATUS(lsim_prewarm(r, t, f, &started, &e), want);
    CHECK_STATUS(lsim_invoke(r, t, f, &ir), want);
    CHECK_STATUS(lsim_invoke_with_init(r, t, f, 1, &ir), want);
    CHECK_STATUS(lsim_invoke_for(r, t, f, 1, LSIM_OUTCOME_SUCCESS, &ir), want);
    CHECK_STATUS(lsim_invoke_for_with_init(r, t, f, 1, LSIM_OUTCOME_SUCCESS, 1, &ir), want);
    CHECK_STATUS(lsim_function_get_counts(r, f, &counts), want);
    CHECK_STATUS(lsim_function_stats(r, f, &stats), want);
    CHECK_STATUS(lsim_function_occupancy(r, f, &o), want);
    CHECK_STATUS(lsim_function_busy(r, f, &busy), want);
    CHECK_STATUS(lsim_function_get_config(r, f, &got), want);
    CHECK_STATUS(lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, 0, &b), want);
    CHECK_STATUS(lsim_function_delete(r, t, f), want);
}

static void test_handles_of_another_region(void) {
    lsim_function_config fc = function_config();
    lsim_region *a = new_region();
    lsim_region *b = new_region();
    lsim_function fa = new_function(a, 0, &fc);
    lsim_function fb = new_function(b, 0, &fc);
    lsim_invoke_result ia, ib;
    lsim_finish_result fr;
    lsim_function g = {55, 55, 55};
    uint32_t state = 99;
    uint64_t now = 99;
    lsim_stats stats;

    /* Same slot and generation: only the region tag tells them apart. */
    CHECK(fa.index == fb.index && fa.generation == fb.generation);
    CHECK(fa.region_tag != 0 && fb.region_tag != 0 && fa.region_tag != fb.region_tag);
    CHECK_OK(lsim_invoke(a, 0, fa, &ia));
    CHECK_OK(lsim_invoke(b, 0, fb, &ib));
    CHECK(ia.env.index == ib.env.index && ia.env.generation == ib.env.generation);
    CHECK(ia.env.region_tag == fa.region_tag && same_env(ia.invocation.env, ia.env));

    /* A's handles on B: refused, and nothing happens to B. */
    uint64_t t = ib.ready_at_us + 1000;
    check_function_calls(b, t, fa, LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_finish(b, t, ia.invocation, LSIM_OUTCOME_SUCCESS, &fr), LSIM_STATUS_UNKNOWN_INVOCATION);
    CHECK_STATUS(lsim_env_function(b, ia.env, &g), LSIM_STATUS_UNKNOWN_ENV);
    CHECK(g.index == 55 && g.generation == 55 && g.region_tag == 55); /* not written on error */
    CHECK_OK(lsim_env_state(b, ia.env, &state));
    CHECK(state == LSIM_ENV_STATE_TERMINATED); /* never an environment of B */
    CHECK_OK(lsim_region_now(b, &now));
    CHECK(now == 0);
    CHECK_OK(lsim_region_stats(b, &stats));
    CHECK(stats.requests == 1);

    /* Each region's own handles still work, and what it hands out carries its tag. */
    CHECK_OK(lsim_env_function(b, ib.env, &g));
    CHECK(g.index == fb.index && g.generation == fb.generation && g.region_tag == fb.region_tag);
    CHECK_OK(lsim_finish(b, t, ib.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK(fr.function.region_tag == fb.region_tag && same_env(fr.env, ib.env));
    CHECK_OK(lsim_finish(a, t, ia.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK(fr.function.region_tag == fa.region_tag && same_env(fr.env, ia.env));
    CHECK_REGION(a);
    CHECK_REGION(b);
    CHECK_OK(lsim_region_free(a));

    /* A freed region's handles do not work on a region made after it. */
    lsim_region *c = new_region();
    lsim_function fc2 = new_function(c, 0, &fc);
    CHECK(fc2.region_tag != fa.region_tag && fc2.region_tag != fb.region_tag);
    check_function_calls(c, 0, fa, LSIM_STATUS_UNKNOWN_FUNCTION);
    /* A zero tag (a zeroed struct) names nothing either. */
    lsim_function zero = fc2;
    zero.region_tag = 0;
    check_function_calls(c, 0, zero, LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_OK(lsim_invoke(c, 0, fc2, &ia));
    CHECK(ia.throttled == 0);
    CHECK_OK(lsim_region_free(c));
    CHECK_OK(lsim_region_free(b));
}

/* Run first in the process: before region handles were randomized, the
 * first region of every process was 0x400001 (slot 0, generation 1), so
 * freeing that made-up value freed a live region. */
static void test_first_region_handle_is_not_guessable(void) {
    lsim_region *r = new_region();
    lsim_region *guess = (lsim_region *)(uintptr_t)0x400001u;
    CHECK(r != guess);
    if (r != guess) {
        CHECK_STATUS(lsim_region_free(guess), LSIM_STATUS_STALE_HANDLE);
        CHECK_STATUS(lsim_advance(guess, 0), LSIM_STATUS_STALE_HANDLE);
    }
    CHECK_OK(lsim_advance(r, 0));
    CHECK(((uintptr_t)r & 1) == 1);
#if UINTPTR_MAX == UINT64_MAX
    CHECK((uintptr_t)r < ((uintptr_t)1 << 38)); /* below Go's heap */
#endif
    CHECK_OK(lsim_region_free(r));
}

/* ---- invalid arguments ------------------------------------------------------- */

static lsim_status try_region(const lsim_region_config *c) {
    lsim_region *r = NULL;
    lsim_status s = lsim_region_new(c, &r);
    if (s == LSIM_STATUS_OK) {
        lsim_region_free(r);
    } else {
        CHECK(r == NULL); /* out not written on error */
    }
    return s;
}

static void test_unknown_enum_values(void) {
    lsim_region_config c;

    c = region_config();
    c.warm_pick = 7;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    c = region_config();
    c.scaling_rule = 5;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    c = region_config();
    c.memory_rule = 9;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    c = region_config();
    c.warm_pick = LSIM_WARM_PICK_LRU;
    c.scaling_rule = LSIM_SCALING_RULE_LEGACY_ACCOUNT;
    c.memory_rule = LSIM_MEMORY_RULE_LEGACY64;
    CHECK_OK(try_region(&c));

    lsim_region *r = new_region();
    lsim_function_config fc = function_config();
    lsim_function f = new_function(r, 0, &fc);
    lsim_function g;
    lsim_invoke_result ir;
    lsim_finish_result fr;

    fc.has_reserved = 2;
    CHECK_STATUS(lsim_function_create(r, 0, &fc, &g), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_function_update(r, 0, f, &fc), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_function_put_reserved(r, 0, f, 2, 5), LSIM_STATUS_INVALID_ARGUMENT);

    CHECK_OK(lsim_invoke(r, 0, f, &ir));
    CHECK_STATUS(lsim_finish(r, ir.ready_at_us, ir.invocation, 99, &fr), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_finish(r, ir.ready_at_us, ir.invocation, 4, &fr), LSIM_STATUS_INVALID_ARGUMENT);
    /* The invocation is still running after the rejected finishes. */
    CHECK_OK(lsim_finish(r, ir.ready_at_us, ir.invocation, LSIM_OUTCOME_FUNCTION_ERROR, &fr));
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static lsim_status try_function(lsim_region *r, const lsim_function_config *c) {
    lsim_function f = {77, 77, 77};
    lsim_status s = lsim_function_create(r, 0, c, &f);
    if (s == LSIM_STATUS_OK) {
        CHECK_OK(lsim_function_delete(r, 0, f));
    } else {
        CHECK(f.index == 77 && f.generation == 77);
    }
    return s;
}

static void test_out_of_range_numbers(void) {
    lsim_region_config c = region_config();
    c.account_limit = 0;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_ACCOUNT_LIMIT_TOO_LOW);
    c = region_config();
    c.account_limit = 50; /* below the unreserved minimum of 100 */
    CHECK_STATUS(try_region(&c), LSIM_STATUS_ACCOUNT_LIMIT_TOO_LOW);
    c = region_config();
    c.provisioned_per_minute = 0;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_SETTING);
    c = region_config();
    c.scaling_rule = LSIM_SCALING_RULE_LEGACY_ACCOUNT;
    c.legacy_burst = 0;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_SETTING);

    lsim_region *r = new_region();
    lsim_function_config fc;
    static const uint32_t below[] = {127, 0};
    for (size_t i = 0; i < sizeof below / sizeof below[0]; i++) {
        fc = function_config();
        fc.memory_mb = below[i];
        CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_MEMORY_BELOW_MINIMUM);
    }
    fc = function_config();
    fc.memory_mb = 10241;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_MEMORY_ABOVE_MAXIMUM);
    fc.memory_mb = 10240;
    CHECK_OK(try_function(r, &fc));
    fc = function_config();
    fc.timeout_ms = 0;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_TIMEOUT_OUT_OF_RANGE);
    fc.timeout_ms = 900001;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_TIMEOUT_OUT_OF_RANGE);
    fc.timeout_ms = 900000;
    CHECK_OK(try_function(r, &fc));
    fc = function_config();
    fc.package_mb = 10241;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_PACKAGE_TOO_LARGE);
    fc = function_config();
    fc.has_reserved = 1;
    fc.reserved = 2;
    fc.provisioned = 3;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_PROVISIONED_EXCEEDS_RESERVED);
    fc = function_config();
    fc.has_reserved = 1;
    fc.reserved = 901; /* leaves 99 < 100 unreserved */
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_UNRESERVED_BELOW_MINIMUM);
    fc.reserved = 900;
    CHECK_OK(try_function(r, &fc));
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));

    c = region_config();
    c.memory_rule = LSIM_MEMORY_RULE_LEGACY64;
    r = NULL;
    CHECK_OK(lsim_region_new(&c, &r));
    fc = function_config();
    fc.memory_mb = 200;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_MEMORY_NOT_ON_STEP);
    fc.memory_mb = 3072;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_MEMORY_ABOVE_MAXIMUM);
    fc.memory_mb = 192;
    CHECK_OK(try_function(r, &fc));
    CHECK_OK(lsim_region_free(r));
}

/* The capacities come from the config: 0 or above the maximum is refused,
 * and a full table is LSIM_STATUS_CAPACITY_EXCEEDED. */
static void test_capacities(void) {
    lsim_region_config c = region_config();
    c.env_capacity = 0;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    c = region_config();
    c.env_capacity = LSIM_ENV_CAPACITY_MAX + 1;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    c = region_config();
    c.function_capacity = 0;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    c = region_config();
    c.function_capacity = LSIM_FUNCTION_CAPACITY_MAX + 1;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);

    c = region_config();
    c.env_capacity = 2;
    c.function_capacity = 1;
    lsim_region *r = NULL;
    CHECK_OK(lsim_region_new(&c, &r));
    lsim_function_config fc = function_config();
    lsim_function f = new_function(r, 0, &fc);
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_CAPACITY_EXCEEDED);
    lsim_invoke_result ir;
    CHECK_OK(lsim_invoke_for(r, 0, f, 1000000, LSIM_OUTCOME_SUCCESS, &ir));
    CHECK_OK(lsim_invoke_for(r, 0, f, 1000000, LSIM_OUTCOME_SUCCESS, &ir));
    CHECK_STATUS(lsim_invoke_for(r, 0, f, 1000000, LSIM_OUTCOME_SUCCESS, &ir), LSIM_STATUS_CAPACITY_EXCEEDED);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_bad_struct_size(void) {
    static const uint32_t deltas[] = {0, 4, 8};
    lsim_region_config c;
    c = region_config();
    c.struct_size = 0;
    CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    for (size_t i = 1; i < sizeof deltas / sizeof deltas[0]; i++) {
        c = region_config();
        c.struct_size = (uint32_t)sizeof c - deltas[i]; /* an older, smaller struct */
        CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
        c.struct_size = (uint32_t)sizeof c + deltas[i]; /* a newer, larger struct */
        CHECK_STATUS(try_region(&c), LSIM_STATUS_INVALID_ARGUMENT);
    }

    lsim_region *r = new_region();
    lsim_function_config fc0 = function_config();
    lsim_function f = new_function(r, 0, &fc0);
    lsim_function_config fc = function_config();
    fc.struct_size = (uint32_t)sizeof fc - 8;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_function_update(r, 0, f, &fc), LSIM_STATUS_INVALID_ARGUMENT);
    fc.struct_size = (uint32_t)sizeof fc + 8;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_INVALID_ARGUMENT);
    fc.struct_size = 0;
    CHECK_STATUS(try_function(r, &fc), LSIM_STATUS_INVALID_ARGUMENT);

    /* An 8-byte "struct": only struct_size is read, so ASan stays quiet. */
    union {
        uint64_t align; /* as aligned as the real struct */
        uint32_t struct_size;
    } tiny;
    tiny.align = 0;
    tiny.struct_size = 4;
    lsim_function g;
    CHECK_STATUS(lsim_function_create(r, 0, (const lsim_function_config *)(const void *)&tiny, &g),
                 LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_OK(lsim_region_free(r));
}

static void test_time_went_backwards(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 1000, &fc);
    lsim_function g;
    lsim_invoke_result ir;
    lsim_finish_result fr;
    uint64_t now = 0;

    CHECK_OK(lsim_advance(r, 5000));
    CHECK_STATUS(lsim_advance(r, 4999), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_STATUS(lsim_invoke(r, 10, f, &ir), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_STATUS(lsim_function_create(r, 10, &fc, &g), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_STATUS(lsim_function_put_provisioned(r, 10, f, 1), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_STATUS(lsim_function_delete(r, 10, f), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_OK(lsim_region_now(r, &now));
    CHECK(now == 5000);

    CHECK_OK(lsim_invoke(r, 5000, f, &ir));
    CHECK_STATUS(lsim_finish(r, 4000, ir.invocation, LSIM_OUTCOME_SUCCESS, &fr), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_OK(lsim_advance(r, 5000)); /* the same instant is fine */
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_buffer_too_small(void) {
    lsim_region *r = new_region();
    char buf[8];
    size_t len = 0;

    CHECK_OK(lsim_region_check(r));
    /* Size query: NULL buffer of length 0. No violation: the empty string needs 1 byte. */
    CHECK_STATUS(lsim_region_check_message(r, NULL, 0, &len), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 1);
    memset(buf, 'x', sizeof buf);
    len = 0;
    CHECK_STATUS(lsim_region_check_message(r, buf, 0, &len), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 1 && buf[0] == 'x'); /* buffer untouched */
    CHECK_OK(lsim_region_check_message(r, buf, sizeof buf, &len));
    CHECK(len == 1 && buf[0] == '\0' && buf[1] == 'x');
    CHECK_OK(lsim_region_free(r));
}

/* ---- behaviour ---------------------------------------------------------------- */

static void test_reserved_zero_throttles(void) {
    lsim_region *r = new_region();
    lsim_function_config fc = function_config();
    fc.has_reserved = 1;
    fc.reserved = 0;
    lsim_function f = new_function(r, 0, &fc);
    lsim_invoke_result ir;
    lsim_stats stats;
    lsim_function_counts counts;

    CHECK_OK(lsim_invoke(r, 0, f, &ir));
    CHECK(ir.throttled == 1);
    CHECK(ir.throttle_reason == LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
    CHECK(strcmp(lsim_throttle_reason_str(ir.throttle_reason), "ReservedFunctionConcurrentInvocationLimitExceeded") ==
          0);
    CHECK_REGION(r);
    CHECK_OK(lsim_function_stats(r, f, &stats));
    CHECK(stats.requests == 1 && stats.invocations == 0);
    CHECK(stats.throttles[LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED] == 1);
    CHECK_OK(lsim_function_get_counts(r, f, &counts));
    CHECK(counts.has_reserved == 1 && counts.reserved == 0 && counts.busy == 0);

    /* Removing RC lets it run. */
    CHECK_OK(lsim_function_put_reserved(r, 0, f, 0, 0));
    CHECK_REGION(r);
    CHECK_OK(lsim_invoke(r, 0, f, &ir));
    CHECK(ir.throttled == 0 && ir.start_kind == LSIM_START_KIND_FULL_COLD);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_warm_reuse(void) {
    lsim_region *r = new_region();
    lsim_function_config fc = function_config();
    lsim_function f = new_function(r, 0, &fc);
    lsim_invoke_result first, second;
    lsim_finish_result fr;
    lsim_region_counts rc;
    lsim_stats stats;
    uint32_t has = 0, state = 99;
    uint64_t at = 0;

    CHECK_REGION(r);
    CHECK_OK(lsim_invoke(r, 0, f, &first));
    CHECK_REGION(r);
    CHECK(first.throttled == 0 && first.start_kind == LSIM_START_KIND_FULL_COLD && first.on_provisioned == 0);
    CHECK(first.init_us == 380000 && first.ready_at_us == 380000); /* 125 ms + 5 x 1 ms + 250 ms */
    CHECK(first.invocation.seq == 1 && same_env(first.invocation.env, first.env));

    CHECK_OK(lsim_env_state(r, first.env, &state));
    CHECK(state == LSIM_ENV_STATE_CREATING);
    CHECK_OK(lsim_next_deadline(r, &has, &at));
    CHECK(has == 1 && at == 130000); /* sandbox + download done */
    CHECK_OK(lsim_advance(r, at));
    CHECK_REGION(r);
    CHECK_OK(lsim_env_state(r, first.env, &state));
    CHECK(state == LSIM_ENV_STATE_INITIALIZING);
    CHECK_STATUS(lsim_finish(r, 200000, first.invocation, LSIM_OUTCOME_SUCCESS, &fr), LSIM_STATUS_NOT_READY);
    CHECK_OK(lsim_region_get_counts(r, &rc));
    CHECK(rc.busy == 1 && rc.live == 1 && rc.unreserved_in_use == 1 && rc.unreserved_pool == 1000);

    CHECK_OK(lsim_finish(r, first.ready_at_us + 100000, first.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_REGION(r);
    CHECK(fr.function.index == f.index && fr.function.generation == f.generation);
    CHECK(same_env(fr.env, first.env) && fr.duration_us == 100000 && fr.env_kept == 1);
    CHECK_OK(lsim_env_state(r, first.env, &state));
    CHECK(state == LSIM_ENV_STATE_IDLE);

    CHECK_OK(lsim_invoke(r, 2000000, f, &second));
    CHECK_REGION(r);
    CHECK(second.throttled == 0 && second.start_kind == LSIM_START_KIND_WARM);
    CHECK(same_env(second.env, first.env) && second.invocation.seq == 2);
    CHECK(second.init_us == 0 && second.ready_at_us == 2000000);
    CHECK_OK(lsim_env_state(r, second.env, &state));
    CHECK(state == LSIM_ENV_STATE_BUSY);
    CHECK_STATUS(lsim_function_delete(r, 2000000, f), LSIM_STATUS_FUNCTION_BUSY);

    /* Timeout: the region ends it at 3 s; a later finish says TIMED_OUT. */
    CHECK_OK(lsim_next_deadline(r, &has, &at));
    CHECK(has == 1 && at == 5000000);
    CHECK_OK(lsim_advance(r, at));
    CHECK_REGION(r);
    CHECK_STATUS(lsim_finish(r, at + 1, second.invocation, LSIM_OUTCOME_SUCCESS, &fr), LSIM_STATUS_TIMED_OUT);
    /* The timed-out environment was reset: the next start is a partial cold start on it. */
    lsim_invoke_result third;
    CHECK_OK(lsim_invoke(r, at + 2, f, &third));
    CHECK_REGION(r);
    CHECK(third.start_kind == LSIM_START_KIND_PARTIAL_COLD && same_env(third.env, first.env));
    CHECK_OK(lsim_finish(r, third.ready_at_us + 10, third.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_REGION(r);

    CHECK_OK(lsim_region_stats(r, &stats));
    CHECK(stats.requests == 3 && stats.invocations == 3);
    CHECK(stats.full_cold_starts == 1 && stats.warm_starts == 1 && stats.partial_cold_starts == 1);
    CHECK(stats.succeeded == 2 && stats.errors == 1 && stats.timeouts == 1 && stats.envs_created == 1);

    /* Deleting the function terminates its idle environment. */
    CHECK_OK(lsim_function_delete(r, third.ready_at_us + 20, f));
    CHECK_REGION(r);
    CHECK_OK(lsim_env_state(r, first.env, &state));
    CHECK(state == LSIM_ENV_STATE_TERMINATED);
    CHECK_OK(lsim_region_get_counts(r, &rc));
    CHECK(rc.busy == 0 && rc.live == 0);
    CHECK_OK(lsim_region_free(r));
}

static void test_provisioned_and_spillover(void) {
    lsim_region *r = new_region();
    lsim_function_config fc = function_config();
    fc.has_reserved = 1;
    fc.reserved = 3;
    fc.provisioned = 1;
    lsim_function f = new_function(r, 0, &fc);
    lsim_function_counts counts;
    uint32_t has = 0;
    uint64_t at = 0;

    CHECK_OK(lsim_function_get_counts(r, f, &counts));
    CHECK(counts.provisioned == 1 && counts.provisioned_status == LSIM_PROVISIONED_STATUS_IN_PROGRESS);
    for (int i = 0; i < 100 && counts.provisioned_status == LSIM_PROVISIONED_STATUS_IN_PROGRESS; i++) {
        CHECK_OK(lsim_next_deadline(r, &has, &at));
        CHECK(has == 1);
        CHECK_OK(lsim_advance(r, at));
        CHECK_REGION(r);
        CHECK_OK(lsim_function_get_counts(r, f, &counts));
    }
    CHECK(counts.provisioned_status == LSIM_PROVISIONED_STATUS_READY && counts.idle_provisioned == 1);
    CHECK(at == 60000000u + 380000u); /* 60 s delay, then create + init */

    lsim_invoke_result a, b, c, d;
    CHECK_OK(lsim_invoke(r, at, f, &a));
    CHECK_OK(lsim_invoke(r, at, f, &b));
    CHECK_OK(lsim_invoke(r, at, f, &c));
    CHECK_OK(lsim_invoke(r, at, f, &d));
    CHECK_REGION(r);
    CHECK(a.start_kind == LSIM_START_KIND_PROVISIONED && a.on_provisioned == 1);
    CHECK(b.start_kind == LSIM_START_KIND_FULL_COLD && b.on_provisioned == 0);
    CHECK(c.start_kind == LSIM_START_KIND_FULL_COLD && c.on_provisioned == 0);
    CHECK(d.throttled == 1 &&
          d.throttle_reason == LSIM_THROTTLE_RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
    lsim_stats stats;
    CHECK_OK(lsim_function_stats(r, f, &stats));
    CHECK(stats.provisioned_starts == 1 && stats.spillover == 2);
    CHECK_OK(lsim_region_free(r));
}

/* Advancing to the end of the clock returns promptly with provisioned
 * environments recycling every lifetime: before the fix an idle one's
 * deadline saturated at UINT64_MAX and fired forever, and even without that
 * the span held billions of recycles per environment (skipped exactly now). */
static void test_advance_to_the_end_of_the_clock(void) {
    lsim_region_config rc = region_config();
    rc.account_limit = 2000;
    lsim_region *r = NULL;
    CHECK_OK(lsim_region_new(&rc, &r));
    lsim_function_config fc = function_config();
    fc.provisioned = 1000;
    lsim_function f = new_function(r, 0, &fc);
    CHECK_OK(lsim_advance(r, UINT64_MAX));
    CHECK_REGION(r);
    lsim_function_counts counts;
    CHECK_OK(lsim_function_get_counts(r, f, &counts));
    CHECK(counts.provisioned_status == LSIM_PROVISIONED_STATUS_READY && counts.provisioned_allocated == 1000);
    CHECK(counts.live == 1000);
    CHECK_OK(lsim_advance(r, UINT64_MAX));
    lsim_invoke_result ir;
    CHECK_OK(lsim_invoke(r, UINT64_MAX, f, &ir));
    CHECK(ir.throttled == 0);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

/* ---- cost: config fields, bills, money, CPU, tuning ------------------------- */

static lsim_invocation_usage invocation_usage(uint32_t arch, uint32_t memory_mb, uint64_t requests,
                                              uint64_t duration_us) {
    lsim_invocation_usage u;
    memset(&u, 0xAB, sizeof u);
    CHECK_OK(lsim_invocation_usage_default(&u));
    u.architecture = arch;
    u.memory_mb = memory_mb;
    u.requests = requests;
    u.duration_us = duration_us;
    return u;
}

static lsim_provisioned_usage provisioned_usage(uint32_t arch, uint32_t memory_mb, uint32_t pc, uint64_t enabled_us) {
    lsim_provisioned_usage p;
    memset(&p, 0xAB, sizeof p);
    CHECK_OK(lsim_provisioned_usage_default(&p));
    p.architecture = arch;
    p.memory_mb = memory_mb;
    p.provisioned = pc;
    p.enabled_us = enabled_us;
    return p;
}

static uint64_t line_cents(const lsim_bill *b, uint32_t kind) {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < b->line_count; i++)
        if (b->lines[i].kind == kind) sum += b->lines[i].cents;
    return sum;
}

static int same_money(lsim_money a, lsim_money b) {
    return a.atoms.hi == b.atoms.hi && a.atoms.lo == b.atoms.lo;
}

/* Field by field: padding bytes of the structs are unspecified. */
static int same_bill(const lsim_bill *a, const lsim_bill *b) {
    if (a->line_count != b->line_count || a->total_cents != b->total_cents || !same_money(a->exact_total, b->exact_total))
        return 0;
    for (uint32_t i = 0; i < a->line_count && i < LSIM_BILL_MAX_LINES; i++) {
        const lsim_bill_line *x = &a->lines[i], *y = &b->lines[i];
        if (x->kind != y->kind || x->architecture != y->architecture || x->quantity.hi != y->quantity.hi ||
            x->quantity.lo != y->quantity.lo || x->cents != y->cents || !same_money(x->amount, y->amount))
            return 0;
    }
    return 1;
}

static int is_zero_money(lsim_money m) {
    return m.atoms.hi == 0 && m.atoms.lo == 0;
}

/* The exact text of `m` in `out` (at least 64 bytes). */
static void money_text(lsim_money m, char *out, size_t out_size) {
    size_t len = 0;
    CHECK_OK(lsim_money_format(m, out, out_size, &len));
    CHECK(len == strlen(out) + 1);
}

static int money_is(lsim_money m, const char *want) {
    char buf[64];
    money_text(m, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        fprintf(stderr, "    money: got %s, want %s\n", buf, want);
        return 0;
    }
    return 1;
}

static int cents_are(lsim_money m, const char *want) {
    char buf[64];
    size_t len = 0;
    CHECK_OK(lsim_money_format_cents(m, buf, sizeof buf, &len));
    return strcmp(buf, want) == 0;
}

static void test_cost_config_fields(void) {
    lsim_region_config rc = region_config();
    lsim_region *r = NULL;
    rc.granularity = 2;
    CHECK_STATUS(lsim_region_new(&rc, &r), LSIM_STATUS_INVALID_ARGUMENT);
    rc = region_config();
    rc.bill_init = 2;
    CHECK_STATUS(lsim_region_new(&rc, &r), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK(r == NULL);
    rc = region_config();
    rc.granularity = LSIM_GRANULARITY_100MS;
    rc.bill_init = 0;
    CHECK_OK(lsim_region_new(&rc, &r));

    lsim_function_config fc = function_config();
    lsim_function f = {77, 77, 77};
    fc.architecture = 2;
    CHECK_STATUS(lsim_function_create(r, 0, &fc, &f), LSIM_STATUS_INVALID_ARGUMENT);
    fc.architecture = LSIM_ARCH_NONE;
    CHECK_STATUS(lsim_function_create(r, 0, &fc, &f), LSIM_STATUS_INVALID_ARGUMENT);
    fc = function_config();
    fc.ephemeral_mb = 511;
    CHECK_STATUS(lsim_function_create(r, 0, &fc, &f), LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE);
    fc.ephemeral_mb = 10241;
    CHECK_STATUS(lsim_function_create(r, 0, &fc, &f), LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE);
    CHECK(f.index == 77 && f.generation == 77);
    fc.ephemeral_mb = 10240;
    fc.architecture = LSIM_ARCH_ARM64;
    f = new_function(r, 0, &fc);
    fc.ephemeral_mb = 100;
    CHECK_STATUS(lsim_function_update(r, 0, f, &fc), LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_cost_defaults_and_names(void) {
    lsim_invocation_usage u = invocation_usage(LSIM_ARCH_X86_64, 128, 0, 0);
    CHECK(u.struct_size == sizeof u && u.ephemeral_mb == 512 && u.usage_class == LSIM_USAGE_ON_DEMAND);
    CHECK(u.granularity == LSIM_GRANULARITY_1MS);
    lsim_provisioned_usage p = provisioned_usage(LSIM_ARCH_X86_64, 128, 0, 0);
    CHECK(p.struct_size == sizeof p);
    lsim_duration_profile d;
    memset(&d, 0xAB, sizeof d);
    CHECK_OK(lsim_duration_profile_default(&d));
    CHECK(d.struct_size == sizeof d && d.io_us == 0 && d.cpu_us == 0 && d.threads == 1);
    lsim_tune_request t;
    memset(&t, 0xAB, sizeof t);
    CHECK_OK(lsim_tune_request_default(&t));
    CHECK(t.struct_size == sizeof t && t.profile.struct_size == sizeof t.profile);
    CHECK(t.memory_list == LSIM_MEMORY_LIST_DEFAULT && t.memories == NULL && t.memory_count == 0);
    CHECK(t.strategy == LSIM_STRATEGY_COST && t.weight_ppm == 500000 && t.configured_timeout_ms == 3000);
    CHECK(t.architecture == LSIM_ARCH_X86_64 && t.prices == LSIM_PRICES_US_EAST_1);
    CHECK(t.granularity == LSIM_GRANULARITY_1MS);
    lsim_tune_samples_request s;
    memset(&s, 0xAB, sizeof s);
    CHECK_OK(lsim_tune_samples_request_default(&s));
    CHECK(s.struct_size == sizeof s && s.sizes == NULL && s.size_count == 0);

    CHECK(strcmp(lsim_line_kind_str(LSIM_LINE_REQUESTS), "Requests") == 0);
    CHECK(strcmp(lsim_line_kind_str(LSIM_LINE_DURATION), "Duration") == 0);
    CHECK(strcmp(lsim_line_kind_str(LSIM_LINE_PROVISIONED_CONCURRENCY), "Provisioned Concurrency") == 0);
    CHECK(strcmp(lsim_line_kind_str(LSIM_LINE_PROVISIONED_DURATION), "Provisioned Duration") == 0);
    CHECK(strcmp(lsim_line_kind_str(LSIM_LINE_EPHEMERAL_STORAGE), "Ephemeral Storage") == 0);
    CHECK(strcmp(lsim_line_kind_str(5), "unknown") == 0);
    CHECK(strcmp(lsim_architecture_str(LSIM_ARCH_X86_64), "x86_64") == 0);
    CHECK(strcmp(lsim_architecture_str(LSIM_ARCH_ARM64), "arm64") == 0);
    CHECK(strcmp(lsim_architecture_str(LSIM_ARCH_NONE), "none") == 0);
    CHECK(strcmp(lsim_architecture_str(7), "unknown") == 0);
}

static void test_cost_null_pointers(void) {
    lsim_invocation_usage u = invocation_usage(LSIM_ARCH_X86_64, 128, 1, 1000);
    lsim_bill bill;
    lsim_tune_request req;
    lsim_tune_samples_request sreq;
    lsim_tune_result result;
    lsim_duration_profile profile;
    size_t count = 7, len = 7;
    uint32_t cores = 7;
    uint64_t us = 7;
    lsim_money m = {{0, 0}};
    char buf[64];

    CHECK_OK(lsim_tune_request_default(&req));
    CHECK_OK(lsim_tune_samples_request_default(&sreq));
    CHECK_OK(lsim_duration_profile_default(&profile));
    CHECK_STATUS(lsim_invocation_usage_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_provisioned_usage_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_duration_profile_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_request_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_samples_request_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_bill_usage(&u, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 0, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_bill_usage(NULL, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &bill), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_bill_usage(&u, 1, NULL, 3, LSIM_PRICES_US_EAST_1, 0, &bill), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_money_format(m, buf, sizeof buf, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_money_format(m, NULL, sizeof buf, &len), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_money_format_cents(m, buf, sizeof buf, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_money_format_cents(m, NULL, sizeof buf, &len), LSIM_STATUS_NULL_POINTER);
    CHECK(len == 7);
    CHECK_STATUS(lsim_visible_cores(128, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_duration_at(NULL, 128, &us), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_duration_at(&profile, 128, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK(cores == 7 && us == 7);
    CHECK_STATUS(lsim_tune_profile(NULL, NULL, 0, &count, &result), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_profile(&req, NULL, 0, NULL, &result), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_profile(&req, NULL, 0, &count, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_profile(&req, NULL, 6, &count, &result), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_samples(NULL, NULL, 0, &count, &result), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_samples(&sreq, NULL, 0, NULL, &result), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_tune_samples(&sreq, NULL, 0, &count, NULL), LSIM_STATUS_NULL_POINTER);
    sreq.size_count = 2; /* sizes still NULL */
    CHECK_STATUS(lsim_tune_samples(&sreq, NULL, 0, &count, &result), LSIM_STATUS_NULL_POINTER);
    req.memory_list = LSIM_MEMORY_LIST_CUSTOM;
    req.memory_count = 3; /* memories still NULL */
    CHECK_STATUS(lsim_tune_profile(&req, NULL, 0, &count, &result), LSIM_STATUS_NULL_POINTER);
    CHECK(count == 7);

    lsim_region *r = new_region();
    lsim_function f = {0, 0, 0};
    CHECK_STATUS(lsim_region_bill(NULL, LSIM_PRICES_US_EAST_1, 0, &bill), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_bill(r, LSIM_PRICES_US_EAST_1, 0, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_bill(NULL, f, LSIM_PRICES_US_EAST_1, 0, &bill), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, 0, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_OK(lsim_region_free(r));
}

static void test_bill_usage_spec_examples(void) {
    lsim_bill b;

    /* 1. 3 M requests, 120 ms, 1536 MB, free tier: $2.33 + $0.40 = $2.73. */
    lsim_invocation_usage ex1 = invocation_usage(LSIM_ARCH_X86_64, 1536, 3000000, 120000);
    CHECK_OK(lsim_bill_usage(&ex1, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 1, &b));
    CHECK(b.line_count == 2 && b.total_cents == 273);
    CHECK(b.lines[0].kind == LSIM_LINE_REQUESTS && b.lines[0].architecture == LSIM_ARCH_NONE);
    CHECK(b.lines[0].quantity.hi == 0 && b.lines[0].quantity.lo == 2000000 && b.lines[0].cents == 40);
    CHECK(b.lines[1].kind == LSIM_LINE_DURATION && b.lines[1].architecture == LSIM_ARCH_X86_64);
    CHECK(b.lines[1].quantity.lo == 140000ull * 1024000ull && b.lines[1].cents == 233);
    CHECK(money_is(b.lines[1].amount, "2.3333380000"));
    CHECK(money_is(b.exact_total, "2.7333380000"));
    CHECK(cents_are(b.exact_total, "2.73"));
    CHECK(b.lines[2].kind == 0 && b.lines[2].cents == 0 && is_zero_money(b.lines[7].amount));

    /* 2. PC 100 x 1536 MB for 8 h, 0.5 M on PC of 100 ms, 2.5 M of 120 ms off PC: $19.96. */
    lsim_invocation_usage ex2[2] = {
        invocation_usage(LSIM_ARCH_X86_64, 1536, 500000, 100000),
        invocation_usage(LSIM_ARCH_X86_64, 1536, 2500000, 120000),
    };
    ex2[0].usage_class = LSIM_USAGE_PROVISIONED;
    lsim_provisioned_usage pc = provisioned_usage(LSIM_ARCH_X86_64, 1536, 100, 8ull * 3600ull * 1000000ull);
    CHECK_OK(lsim_bill_usage(ex2, 2, &pc, 1, LSIM_PRICES_US_EAST_1, 1, &b));
    CHECK(b.total_cents == 1996);
    CHECK(line_cents(&b, LSIM_LINE_PROVISIONED_CONCURRENCY) == 1800);
    CHECK(line_cents(&b, LSIM_LINE_REQUESTS) == 40);
    CHECK(line_cents(&b, LSIM_LINE_PROVISIONED_DURATION) == 73);
    CHECK(line_cents(&b, LSIM_LINE_DURATION) == 83);

    /* 3. 60 M x 28 ms at 1024 MB, no free tier: $40 billed per 1 ms, $112 per 100 ms. */
    lsim_invocation_usage ex3 = invocation_usage(LSIM_ARCH_X86_64, 1024, 60000000, 28000);
    CHECK_OK(lsim_bill_usage(&ex3, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &b));
    CHECK(b.total_cents == 4000 && line_cents(&b, LSIM_LINE_REQUESTS) == 1200);
    ex3.granularity = LSIM_GRANULARITY_100MS;
    CHECK_OK(lsim_bill_usage(&ex3, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &b));
    CHECK(b.total_cents == 11200);

    /* 4. The 100 ms era at 0.00001667: 3 M x 1 s at 512 MB, free tier: $18.74. */
    lsim_invocation_usage ex4 = invocation_usage(LSIM_ARCH_X86_64, 512, 3000000, 1000000);
    ex4.granularity = LSIM_GRANULARITY_100MS;
    CHECK_OK(lsim_bill_usage(&ex4, 1, NULL, 0, LSIM_PRICES_US_EAST_1_2020, 1, &b));
    CHECK(b.total_cents == 1874);

    /* Nothing: an empty bill. */
    memset(&b, 0xAB, sizeof b);
    CHECK_OK(lsim_bill_usage(NULL, 0, NULL, 0, LSIM_PRICES_US_EAST_1, 1, &b));
    CHECK(b.line_count == 0 && b.total_cents == 0 && is_zero_money(b.exact_total));
}

static void test_bill_usage_errors(void) {
    const lsim_invocation_usage ok = invocation_usage(LSIM_ARCH_X86_64, 128, 1, 1000);
    lsim_invocation_usage items[2] = {ok, ok};
    lsim_bill b;
    memset(&b, 0x5A, sizeof b);
    CHECK_STATUS(lsim_bill_usage(items, 2, NULL, 0, 2, 0, &b), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_bill_usage(items, 2, NULL, 0, LSIM_PRICES_US_EAST_1, 2, &b), LSIM_STATUS_INVALID_ARGUMENT);
#define BAD_ITEM(field, value, want)                                                     \
    do {                                                                                 \
        items[1] = ok;                                                                   \
        items[1].field = (value);                                                        \
        CHECK_STATUS(lsim_bill_usage(items, 2, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &b), want); \
    } while (0)
    BAD_ITEM(struct_size, 0, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_ITEM(struct_size, sizeof ok + 8, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_ITEM(architecture, 2, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_ITEM(architecture, LSIM_ARCH_NONE, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_ITEM(usage_class, 2, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_ITEM(granularity, 2, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_ITEM(memory_mb, 127, LSIM_STATUS_MEMORY_BELOW_MINIMUM);
    BAD_ITEM(memory_mb, 10241, LSIM_STATUS_MEMORY_ABOVE_MAXIMUM);
    BAD_ITEM(ephemeral_mb, 511, LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE);
    BAD_ITEM(ephemeral_mb, 10241, LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE);
#undef BAD_ITEM
    lsim_provisioned_usage span = provisioned_usage(LSIM_ARCH_ARM64, 128, 1, 1);
    span.architecture = 3;
    CHECK_STATUS(lsim_bill_usage(NULL, 0, &span, 1, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_INVALID_ARGUMENT);
    span.architecture = LSIM_ARCH_ARM64;
    span.memory_mb = 64;
    CHECK_STATUS(lsim_bill_usage(NULL, 0, &span, 1, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_MEMORY_BELOW_MINIMUM);
    span.memory_mb = 128;
    span.struct_size = 4;
    CHECK_STATUS(lsim_bill_usage(NULL, 0, &span, 1, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_INVALID_ARGUMENT);
    /* A caller whose struct is 4 bytes long: only struct_size is read. */
    uint32_t short_struct = 4;
    CHECK_STATUS(lsim_bill_usage((const lsim_invocation_usage *)(const void *)&short_struct, 1, NULL, 0,
                                 LSIM_PRICES_US_EAST_1, 0, &b),
                 LSIM_STATUS_INVALID_ARGUMENT);
    CHECK(b.total_cents == 0x5A5A5A5A5A5A5A5Aull && b.line_count == 0x5A5A5A5Au); /* never written */
}

static void test_bill_overflow(void) {
    lsim_bill b;
    /* 10^12 invocations at 10 GB for 900 s: exact. */
    lsim_invocation_usage huge = invocation_usage(LSIM_ARCH_X86_64, 10240, 1000000000000ull, 900000000ull);
    CHECK_OK(lsim_bill_usage(&huge, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &b));
    CHECK(b.total_cents > 1000000000000ull && b.lines[1].quantity.hi > 0); /* MB-ms past 64 bits */
    memset(&b, 0x5A, sizeof b);
    /* Exact in 128 bits but not in 64-bit cents. */
    lsim_invocation_usage max = invocation_usage(LSIM_ARCH_X86_64, 10240, UINT64_MAX, UINT64_MAX);
    CHECK_STATUS(lsim_bill_usage(&max, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_OVERFLOW);
    /* Three of 2^53 - 1 requests of 2^53 - 1 us: past the last duration tier's bound. */
    lsim_invocation_usage big = invocation_usage(LSIM_ARCH_X86_64, 10240, (1ull << 53) - 1, (1ull << 53) - 1);
    lsim_invocation_usage three[3] = {big, big, big};
    CHECK_STATUS(lsim_bill_usage(three, 3, NULL, 0, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_OVERFLOW);
    lsim_provisioned_usage s = provisioned_usage(LSIM_ARCH_ARM64, 10240, UINT32_MAX, UINT64_MAX);
    lsim_provisioned_usage spans[4] = {s, s, s, s};
    CHECK_STATUS(lsim_bill_usage(NULL, 0, spans, 4, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_OVERFLOW);
    CHECK(b.total_cents == 0x5A5A5A5A5A5A5A5Aull);
}

static void test_money_format(void) {
    lsim_bill b;
    lsim_invocation_usage ex1 = invocation_usage(LSIM_ARCH_X86_64, 1536, 3000000, 120000);
    CHECK_OK(lsim_bill_usage(&ex1, 1, NULL, 0, LSIM_PRICES_US_EAST_1, 1, &b));
    char buf[64];
    size_t len = 0;
    /* Size query, too small, then exactly right. */
    CHECK_STATUS(lsim_money_format(b.exact_total, NULL, 0, &len), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == strlen("2.7333380000") + 1);
    memset(buf, 'x', sizeof buf);
    CHECK_STATUS(lsim_money_format(b.exact_total, buf, len - 1, &len), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(buf[0] == 'x' && len == 13);
    CHECK_OK(lsim_money_format(b.exact_total, buf, len, &len));
    CHECK(strcmp(buf, "2.7333380000") == 0 && len == 13);
    CHECK_STATUS(lsim_money_format_cents(b.exact_total, buf, 4, &len), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 5);
    CHECK_OK(lsim_money_format_cents(b.exact_total, buf, 5, &len));
    CHECK(strcmp(buf, "2.73") == 0);
    /* One atom needs all 23 fractional digits; the largest amount fits 64 bytes. */
    lsim_money atom = {{0, 1}};
    CHECK(money_is(atom, "0.00000000000000009765625"));
    CHECK(cents_are(atom, "0.00"));
    lsim_money max = {{UINT64_MAX, UINT64_MAX}};
    CHECK_OK(lsim_money_format(max, buf, sizeof buf, &len));
    CHECK(len < sizeof buf && strncmp(buf, "33230699894622", 14) == 0);
    /* Half a cent rounds up: 1 024 000 x 1e8 / 2 atoms. */
    lsim_money half = {{0, 51200000000000ull}};
    CHECK(cents_are(half, "0.01"));
    half.atoms.lo -= 1;
    CHECK(cents_are(half, "0.00"));
}

static void run_one(lsim_region *r, lsim_function f, uint64_t at, uint64_t end, uint32_t outcome, uint32_t want_kind) {
    lsim_invoke_result ir;
    lsim_finish_result fr;
    CHECK_OK(lsim_invoke(r, at, f, &ir));
    CHECK(ir.throttled == 0 && ir.start_kind == want_kind);
    CHECK_OK(lsim_finish(r, end, ir.invocation, outcome, &fr));
    CHECK_REGION(r);
}

static void test_region_and_function_bills(void) {
    lsim_region *r = new_region();
    lsim_function_config fc = function_config();
    fc.memory_mb = 1024;
    fc.architecture = LSIM_ARCH_ARM64;
    fc.ephemeral_mb = 1024;
    fc.sandbox_us = 100000;
    fc.download_us_per_mb = 0;
    fc.package_mb = 0;
    fc.init_us = 200000;
    lsim_function f = new_function(r, 0, &fc);
    lsim_bill b;

    CHECK_OK(lsim_region_bill(r, LSIM_PRICES_US_EAST_1, 0, &b));
    CHECK(b.line_count == 0 && b.total_cents == 0);
    /* Full cold: create 100 ms (never billed) + init 200 ms (billed) + handler 50 ms. */
    run_one(r, f, 0, 350000, LSIM_OUTCOME_CRASH, LSIM_START_KIND_FULL_COLD);
    /* Partial cold: init 200 ms inside the invoke + 10.5 ms -> 211 ms. */
    run_one(r, f, 1000000, 1210500, LSIM_OUTCOME_SUCCESS, LSIM_START_KIND_PARTIAL_COLD);
    /* Warm: 1 us -> 1 ms. */
    run_one(r, f, 2000000, 2000001, LSIM_OUTCOME_SUCCESS, LSIM_START_KIND_WARM);
    CHECK_OK(lsim_region_bill(r, LSIM_PRICES_US_EAST_1, 0, &b));
    CHECK(b.line_count == 3);
    CHECK(b.lines[0].kind == LSIM_LINE_REQUESTS && b.lines[0].quantity.lo == 3);
    CHECK(b.lines[1].kind == LSIM_LINE_DURATION && b.lines[1].architecture == LSIM_ARCH_ARM64);
    CHECK(b.lines[1].quantity.lo == 1024u * (250u + 211u + 1u));
    CHECK(b.lines[2].kind == LSIM_LINE_EPHEMERAL_STORAGE && b.lines[2].quantity.lo == 512u * 462u);
    lsim_bill fb;
    CHECK_OK(lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, 0, &fb));
    CHECK(same_bill(&fb, &b));
    /* The free tier absorbs the requests and the duration. */
    CHECK_OK(lsim_region_bill(r, LSIM_PRICES_US_EAST_1, 1, &b));
    CHECK(b.line_count == 1 && b.lines[0].kind == LSIM_LINE_EPHEMERAL_STORAGE);

    /* Provisioned concurrency: on-PC invocation, spillover, and the open span. */
    lsim_function_config pcfg = function_config();
    pcfg.memory_mb = 2048;
    pcfg.provisioned = 1;
    lsim_function p = new_function(r, 2000001, &pcfg);
    CHECK_OK(lsim_advance(r, 64000000));
    lsim_invoke_result on_pc, spill;
    lsim_finish_result fr;
    CHECK_OK(lsim_invoke(r, 64000000, p, &on_pc));
    CHECK_OK(lsim_invoke(r, 64000000, p, &spill));
    CHECK(on_pc.on_provisioned == 1 && spill.on_provisioned == 0 && spill.start_kind == LSIM_START_KIND_FULL_COLD);
    CHECK_OK(lsim_finish(r, 64100000, on_pc.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_OK(lsim_finish(r, spill.ready_at_us + 20000, spill.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_OK(lsim_function_bill(r, p, LSIM_PRICES_US_EAST_1, 0, &b));
    CHECK(b.line_count == 4);
    CHECK(b.lines[0].kind == LSIM_LINE_REQUESTS && b.lines[0].quantity.lo == 2);
    /* Spillover: init 250 ms + handler 20 ms on on-demand prices. */
    CHECK(b.lines[1].kind == LSIM_LINE_DURATION && b.lines[1].quantity.lo == 2048u * 270u);
    CHECK(b.lines[2].kind == LSIM_LINE_PROVISIONED_CONCURRENCY && b.lines[2].quantity.lo == 2048u * 300000u);
    /* On PC: the invocation's 100 ms and the provisioned environment's 250 ms init. */
    CHECK(b.lines[3].kind == LSIM_LINE_PROVISIONED_DURATION && b.lines[3].quantity.lo == 2048u * (100u + 250u));
    /* 600 GB-s x 0.0000041667 */
    CHECK(b.lines[2].cents == 0 && money_is(b.lines[2].amount, "0.0025000200"));
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_region_bill_handles(void) {
    lsim_region *r = new_region();
    lsim_function_config fc = function_config();
    lsim_function f = new_function(r, 0, &fc);
    lsim_bill b;
    memset(&b, 0x5A, sizeof b);
    CHECK_STATUS(lsim_region_bill(r, 2, 0, &b), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_region_bill(r, LSIM_PRICES_US_EAST_1, 2, &b), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_function_bill(r, f, 2, 0, &b), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, 9, &b), LSIM_STATUS_INVALID_ARGUMENT);
    lsim_function never = {200, 1, f.region_tag};
    CHECK_STATUS(lsim_function_bill(r, never, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_OK(lsim_function_delete(r, 0, f));
    CHECK_STATUS(lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK(b.total_cents == 0x5A5A5A5A5A5A5A5Aull);
    CHECK_OK(lsim_region_free(r));
    CHECK_STATUS(lsim_region_bill(r, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_function_bill(r, f, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_STALE_HANDLE);
    lsim_region *bogus = (lsim_region *)(uintptr_t)0x7ffff1;
    CHECK_STATUS(lsim_region_bill(bogus, LSIM_PRICES_US_EAST_1, 0, &b), LSIM_STATUS_STALE_HANDLE);
}

static void test_cpu(void) {
    uint32_t cores = 0;
    CHECK_OK(lsim_visible_cores(128, &cores));
    CHECK(cores == 1);
    CHECK_OK(lsim_visible_cores(1769, &cores));
    CHECK(cores == 1);
    CHECK_OK(lsim_visible_cores(1770, &cores));
    CHECK(cores == 2);
    CHECK_OK(lsim_visible_cores(10240, &cores));
    CHECK(cores == 6);
    cores = 99;
    CHECK_STATUS(lsim_visible_cores(127, &cores), LSIM_STATUS_MEMORY_BELOW_MINIMUM);
    CHECK_STATUS(lsim_visible_cores(10241, &cores), LSIM_STATUS_MEMORY_ABOVE_MAXIMUM);
    CHECK(cores == 99);

    lsim_duration_profile p;
    CHECK_OK(lsim_duration_profile_default(&p));
    p.cpu_us = 1000000;
    uint64_t us = 0;
    CHECK_OK(lsim_duration_at(&p, 128, &us));
    CHECK(us == 13820313); /* 128/1769 of a vCPU */
    CHECK_OK(lsim_duration_at(&p, 1769, &us));
    CHECK(us == 1000000);
    CHECK_OK(lsim_duration_at(&p, 10240, &us));
    CHECK(us == 1000000); /* one thread */
    p.io_us = 100000;
    p.cpu_us = 6000000;
    p.threads = 8;
    CHECK_OK(lsim_duration_at(&p, 3538, &us));
    CHECK(us == 3100000); /* exactly 2 vCPUs */
    us = 7;
    CHECK_STATUS(lsim_duration_at(&p, 127, &us), LSIM_STATUS_MEMORY_BELOW_MINIMUM);
    p.struct_size = 8;
    CHECK_STATUS(lsim_duration_at(&p, 128, &us), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK(us == 7);
}

static void test_tune_profile(void) {
    lsim_tune_request req;
    lsim_tune_result res;
    lsim_tune_candidate cands[6];
    size_t count = 0;
    CHECK_OK(lsim_tune_request_default(&req));
    req.profile.cpu_us = 1000000;
    req.strategy = LSIM_STRATEGY_SPEED;

    /* Size query, too small, then enough. */
    memset(&res, 0x5A, sizeof res);
    CHECK_STATUS(lsim_tune_profile(&req, NULL, 0, &count, &res), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(count == LSIM_DEFAULT_MEMORY_LIST_LEN && res.count == (size_t)0x5A5A5A5A5A5A5A5Aull);
    memset(cands, 0x5A, sizeof cands);
    CHECK_STATUS(lsim_tune_profile(&req, cands, 5, &count, &res), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(count == 6 && cands[0].memory_mb == 0x5A5A5A5Au);
    CHECK_OK(lsim_tune_profile(&req, cands, 6, &count, &res));
    CHECK(count == 6 && res.count == 6);
    CHECK(cands[0].memory_mb == 128 && cands[5].memory_mb == 3008);
    CHECK(cands[0].duration_us == 13820313 && cands[0].billed_ms == 13821);
    CHECK(res.pick.memory_mb == 3008 && res.pick.duration_us == 1000000); /* fastest; ties to cheaper */
    CHECK(res.max_duration_us == 13820313);
    CHECK(res.p99_us == 1000000 && res.recommended_timeout_ms == 2000 && res.cuts_tail == 0 && res.exceeds_max == 0);
    req.configured_timeout_ms = 900;
    CHECK_OK(lsim_tune_profile(&req, cands, 6, &count, &res));
    CHECK(res.cuts_tail == 1);

    /* w = 0 is Speed and w = 1 is Cost. */
    lsim_tune_result speed, cost, w0, w1;
    req.configured_timeout_ms = 3000;
    req.profile.io_us = 30000;
    req.profile.threads = 2;
    CHECK_OK(lsim_tune_profile(&req, cands, 6, &count, &speed));
    req.strategy = LSIM_STRATEGY_COST;
    CHECK_OK(lsim_tune_profile(&req, cands, 6, &count, &cost));
    req.strategy = LSIM_STRATEGY_BALANCED;
    req.weight_ppm = 0;
    CHECK_OK(lsim_tune_profile(&req, cands, 6, &count, &w0));
    req.weight_ppm = 1000000;
    CHECK_OK(lsim_tune_profile(&req, cands, 6, &count, &w1));
    CHECK(w0.pick.memory_mb == speed.pick.memory_mb && w1.pick.memory_mb == cost.pick.memory_mb);
    CHECK(speed.pick.memory_mb != cost.pick.memory_mb);

    /* A custom list keeps its order; every size gives 10 113 candidates. */
    const uint32_t sizes[3] = {2048, 512, 1024};
    req.memory_list = LSIM_MEMORY_LIST_CUSTOM;
    req.memories = sizes;
    req.memory_count = 3;
    CHECK_OK(lsim_tune_profile(&req, cands, 6, &count, &res));
    CHECK(count == 3 && cands[0].memory_mb == 2048 && cands[1].memory_mb == 512 && cands[2].memory_mb == 1024);
    req.memory_list = LSIM_MEMORY_LIST_ALL;
    CHECK_STATUS(lsim_tune_profile(&req, NULL, 0, &count, &res), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(count == LSIM_ALL_MEMORY_LIST_LEN);
}

static void test_tune_profile_errors(void) {
    lsim_tune_request good, req;
    lsim_tune_result res;
    lsim_tune_candidate cands[8];
    size_t count = 7;
    CHECK_OK(lsim_tune_request_default(&good));
    good.profile.cpu_us = 100000;
#define BAD_REQ(stmt, want)                                                    \
    do {                                                                       \
        req = good;                                                            \
        stmt;                                                                  \
        CHECK_STATUS(lsim_tune_profile(&req, cands, 8, &count, &res), want);   \
    } while (0)
    BAD_REQ(req.struct_size = 0, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.profile.struct_size = 0, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.memory_list = 3, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.strategy = 3, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.weight_ppm = 1000001, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.architecture = 2, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.prices = 2, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.granularity = 2, LSIM_STATUS_INVALID_ARGUMENT);
    BAD_REQ(req.configured_timeout_ms = 0, LSIM_STATUS_TIMEOUT_OUT_OF_RANGE);
    BAD_REQ(req.configured_timeout_ms = 900001, LSIM_STATUS_TIMEOUT_OUT_OF_RANGE);
    BAD_REQ(req.memory_list = LSIM_MEMORY_LIST_CUSTOM, LSIM_STATUS_INVALID_ARGUMENT); /* empty */
    const uint32_t low[2] = {256, 127}, high[1] = {10241};
    BAD_REQ((req.memory_list = LSIM_MEMORY_LIST_CUSTOM, req.memories = low, req.memory_count = 2),
            LSIM_STATUS_MEMORY_BELOW_MINIMUM);
    BAD_REQ((req.memory_list = LSIM_MEMORY_LIST_CUSTOM, req.memories = high, req.memory_count = 1),
            LSIM_STATUS_MEMORY_ABOVE_MAXIMUM);
#undef BAD_REQ
    CHECK(count == 7);
}

static void test_tune_samples(void) {
    uint64_t a[7] = {900000, 1000, 1000000, 1000000, 1000000, 5000000, 1000000};
    uint64_t b[5] = {600000, 400000, 500000, 500000, 500000};
    uint64_t c[100];
    for (int i = 0; i < 100; i++) c[i] = (uint64_t)(i + 1) * 1000u;
    const uint64_t a0[7] = {900000, 1000, 1000000, 1000000, 1000000, 5000000, 1000000};
    lsim_memory_samples sizes[3] = {{512, a, 7}, {1024, b, 5}, {4096, c, 100}};
    lsim_tune_samples_request req;
    lsim_tune_result res;
    lsim_tune_candidate cands[3];
    size_t count = 0;
    CHECK_OK(lsim_tune_samples_request_default(&req));
    req.sizes = sizes;
    req.size_count = 3;
    req.strategy = LSIM_STRATEGY_SPEED;
    CHECK_OK(lsim_tune_samples(&req, cands, 3, &count, &res));
    CHECK(memcmp(a, a0, sizeof a) == 0); /* the caller's array was not sorted */
    CHECK(count == 3 && cands[0].duration_us == 980000 && cands[1].duration_us == 500000);
    CHECK(cands[2].duration_us == 50500);
    CHECK(res.pick.memory_mb == 4096 && res.p99_us == 99000 && res.recommended_timeout_ms == 1000);
    CHECK_STATUS(lsim_tune_samples(&req, cands, 2, &count, &res), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(count == 3);

    /* Errors: too few samples, a NULL array, memory, codes. */
    uint64_t four[4] = {1, 2, 3, 4};
    sizes[1].durations_us = four;
    sizes[1].count = 4;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_TOO_FEW_SAMPLES);
    sizes[1].durations_us = NULL;
    sizes[1].count = 5;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_NULL_POINTER);
    sizes[1].count = 0;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_TOO_FEW_SAMPLES);
    sizes[1].durations_us = b;
    sizes[1].count = 5;
    sizes[1].memory_mb = 100;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_MEMORY_BELOW_MINIMUM);
    sizes[1].memory_mb = 1024;
    req.strategy = 7;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_INVALID_ARGUMENT);
    req.strategy = LSIM_STRATEGY_BALANCED;
    req.weight_ppm = UINT32_MAX;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_INVALID_ARGUMENT);
    req.weight_ppm = 500000;
    req.configured_timeout_ms = 0;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_TIMEOUT_OUT_OF_RANGE);
    req.configured_timeout_ms = 3000;
    req.size_count = 0;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_INVALID_ARGUMENT);
    req.size_count = 3;
    req.struct_size = 0;
    CHECK_STATUS(lsim_tune_samples(&req, cands, 3, &count, &res), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK(count == 3);
}

/* ---- keep-alive, pre-warm, occupancy and lookups ------------------------------ */

/* Create + download (5 MB) + init of the default cold-start profile, us. */
#define COLD_US (125000u + 5u * 1000u + 250000u)
/* The default idle timeout, us. */
#define IDLE_US 600000000u

static uint64_t u128_value(lsim_u128 v) {
    CHECK(v.hi == 0);
    return v.lo;
}

static void test_extras_names(void) {
    CHECK(strcmp(lsim_outcome_str(LSIM_OUTCOME_SUCCESS), "Success") == 0);
    CHECK(strcmp(lsim_outcome_str(LSIM_OUTCOME_FUNCTION_ERROR), "FunctionError") == 0);
    CHECK(strcmp(lsim_outcome_str(LSIM_OUTCOME_TIMEOUT), "Timeout") == 0);
    CHECK(strcmp(lsim_outcome_str(LSIM_OUTCOME_CRASH), "Crash") == 0);
    CHECK(strcmp(lsim_outcome_str(4), "unknown") == 0);
    CHECK(strcmp(lsim_outcome_str(UINT32_MAX), "unknown") == 0);
    CHECK(strcmp(lsim_status_str(LSIM_STATUS_UNKNOWN_ENV), "LSIM_STATUS_UNKNOWN_ENV") == 0);
    CHECK(sizeof(lsim_occupancy) == 72);
}

static void test_extras_null_stale_unknown(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_env e = {0, 0, f.region_tag};
    lsim_occupancy o;
    lsim_function g;
    lsim_function_config got;
    uint32_t u = 0;

    /* NULL region and NULL out-parameters. */
    CHECK_STATUS(lsim_function_set_keep_alive(NULL, 0, f, 0, 0), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_prewarm(NULL, 0, f, &u, &e), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_prewarm(r, 0, f, NULL, &e), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_prewarm(r, 0, f, &u, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_occupancy(NULL, &o), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_occupancy(r, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_occupancy(NULL, f, &o), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_occupancy(r, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_take_busy_window_peak(NULL, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_take_busy_window_peak(r, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_busy(NULL, f, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_busy(r, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_env_function(NULL, e, &g), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_env_function(r, e, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_get_config(NULL, f, &got), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_get_config(r, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_OK(lsim_region_occupancy(r, &o));
    CHECK(o.live == 0); /* the rejected pre-warms started nothing */

    /* A bad flag. */
    CHECK_STATUS(lsim_function_set_keep_alive(r, 0, f, 2, 5), LSIM_STATUS_INVALID_ARGUMENT);

    /* Unknown environments: never created, out of range, terminated. */
    g.index = 55;
    g.generation = 55;
    CHECK_STATUS(lsim_env_function(r, e, &g), LSIM_STATUS_UNKNOWN_ENV);
    lsim_env far = {UINT32_MAX, UINT32_MAX, f.region_tag};
    CHECK_STATUS(lsim_env_function(r, far, &g), LSIM_STATUS_UNKNOWN_ENV);
    CHECK(g.index == 55 && g.generation == 55); /* not written on error */
    lsim_invoke_result ir;
    lsim_finish_result fr;
    CHECK_OK(lsim_invoke(r, 0, f, &ir));
    CHECK_OK(lsim_finish(r, ir.ready_at_us + 1000, ir.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_OK(lsim_env_function(r, ir.env, &g));
    CHECK(g.index == f.index && g.generation == f.generation);
    CHECK_OK(lsim_advance(r, ir.ready_at_us + 1000 + IDLE_US));
    uint32_t state = 99;
    CHECK_OK(lsim_env_state(r, ir.env, &state));
    CHECK(state == LSIM_ENV_STATE_TERMINATED);
    CHECK_STATUS(lsim_env_function(r, ir.env, &g), LSIM_STATUS_UNKNOWN_ENV);

    /* A deleted function. */
    uint64_t now = ir.ready_at_us + 1000 + IDLE_US;
    CHECK_OK(lsim_function_delete(r, now, f));
    memset(&o, 0x5A, sizeof o);
    u = 0x5A5A5A5Au;
    memset(&e, 0x5A, sizeof e);
    CHECK_STATUS(lsim_function_set_keep_alive(r, now, f, 1, 1000), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_prewarm(r, now, f, &u, &e), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_occupancy(r, f, &o), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_busy(r, f, &u), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_function_get_config(r, f, &got), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK(u == 0x5A5A5A5Au && e.index == 0x5A5A5A5Au && o.live == 0x5A5A5A5Au); /* not written on error */

    /* Time going backwards. */
    lsim_function h = new_function(r, now, &fc);
    CHECK_STATUS(lsim_function_set_keep_alive(r, now - 1, h, 0, 0), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_STATUS(lsim_prewarm(r, now - 1, h, &u, &e), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_REGION(r);

    /* A freed region. */
    CHECK_OK(lsim_region_free(r));
    CHECK_STATUS(lsim_function_set_keep_alive(r, now, h, 0, 0), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_prewarm(r, now, h, &u, &e), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_occupancy(r, &o), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_function_occupancy(r, h, &o), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_take_busy_window_peak(r, &u), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_function_busy(r, h, &u), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_env_function(r, ir.env, &g), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_function_get_config(r, h, &got), LSIM_STATUS_STALE_HANDLE);
}

static void test_prewarm(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    uint32_t started = 99, state = 99, busy = 99;
    lsim_env e = {0, 0, 0};
    lsim_function g = {0, 0, 0};

    CHECK_OK(lsim_prewarm(r, 0, f, &started, &e));
    CHECK(started == 1);
    CHECK_OK(lsim_env_state(r, e, &state));
    CHECK(state == LSIM_ENV_STATE_CREATING);
    CHECK_OK(lsim_env_function(r, e, &g));
    CHECK(g.index == f.index && g.generation == f.generation);
    CHECK_OK(lsim_function_busy(r, f, &busy));
    CHECK(busy == 0); /* a pre-warmed environment is not concurrency */
    CHECK_OK(lsim_advance(r, COLD_US));
    CHECK_OK(lsim_env_state(r, e, &state));
    CHECK(state == LSIM_ENV_STATE_IDLE);

    lsim_invoke_result ir;
    CHECK_OK(lsim_invoke(r, COLD_US + 1000, f, &ir));
    CHECK(ir.throttled == 0 && ir.start_kind == LSIM_START_KIND_WARM && same_env(ir.env, e));
    CHECK_OK(lsim_function_busy(r, f, &busy));
    CHECK(busy == 1);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));

    /* No scaling token: started = 0 and env untouched. */
    lsim_region_config c = region_config();
    c.scaling_rule = LSIM_SCALING_RULE_LEGACY_ACCOUNT;
    c.legacy_burst = 1;
    r = NULL;
    CHECK_OK(lsim_region_new(&c, &r));
    f = new_function(r, 0, &fc);
    CHECK_OK(lsim_prewarm(r, 0, f, &started, &e));
    CHECK(started == 1);
    lsim_env untouched = {777, 777, 777};
    started = 99;
    CHECK_OK(lsim_prewarm(r, 0, f, &started, &untouched));
    CHECK(started == 0 && untouched.index == 777 && untouched.generation == 777);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

/* Sets the keep-alive, runs one invocation from `at` and returns when it
 * ended; *deadline gets the next deadline (its idle expiry). */
static uint64_t run_and_deadline(lsim_region *r, lsim_function f, uint64_t at, uint32_t has, uint64_t keep,
                                 uint64_t *deadline) {
    lsim_invoke_result ir;
    lsim_finish_result fr;
    uint32_t has_deadline = 0;
    CHECK_OK(lsim_function_set_keep_alive(r, at, f, has, keep));
    CHECK_OK(lsim_invoke(r, at, f, &ir));
    uint64_t end = ir.ready_at_us + 1000;
    CHECK_OK(lsim_finish(r, end, ir.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_OK(lsim_next_deadline(r, &has_deadline, deadline));
    CHECK(has_deadline == 1);
    return end;
}

static void test_keep_alive(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    uint64_t deadline = 0;

    uint64_t end = run_and_deadline(r, f, 0, 1, 60000000u, &deadline);
    CHECK(deadline == end + 60000000u);
    end = run_and_deadline(r, f, end + 1, 0, 12345, &deadline); /* back to the region's idle timeout */
    CHECK(deadline == end + IDLE_US);
    end = run_and_deadline(r, f, end + 1, 1, 1000000u, &deadline);
    CHECK(deadline == end + 1000000u);
    CHECK_OK(lsim_advance(r, deadline));
    lsim_occupancy o;
    CHECK_OK(lsim_region_occupancy(r, &o));
    CHECK(o.live == 0); /* expired at the shorter keep-alive */
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_occupancy(void) {
    lsim_function_config fc = function_config();
    fc.timeout_ms = 60000;
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_function g = new_function(r, 0, &fc);
    lsim_occupancy o, of;
    lsim_invoke_result a, b, c;
    lsim_finish_result fr;
    uint32_t busy = 99, peak = 99;

    CHECK_OK(lsim_region_occupancy(r, &o));
    CHECK(o.live == 0 && o.busy == 0 && o.since_us == 0 && o.avg_live == 0.0 && o.avg_busy == 0.0);
    CHECK_OK(lsim_invoke(r, 0, f, &a));
    CHECK_OK(lsim_invoke(r, 0, f, &b));
    CHECK_OK(lsim_function_busy(r, f, &busy));
    CHECK(busy == 2);
    CHECK_OK(lsim_function_busy(r, g, &busy));
    CHECK(busy == 0);
    /* 2 busy for 10 s. */
    CHECK_OK(lsim_finish(r, 10000000u, a.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_OK(lsim_finish(r, 10000000u, b.invocation, LSIM_OUTCOME_SUCCESS, &fr));
    CHECK_OK(lsim_region_occupancy(r, &o));
    CHECK(o.live == 2 && o.busy == 0 && o.busy_peak == 2 && o.window_peak == 2);
    CHECK(u128_value(o.busy_env_us) == 20000000u && u128_value(o.live_env_us) == 20000000u);
    CHECK(o.since_us == 10000000u && o.avg_busy == 2.0 && o.avg_live == 2.0);
    CHECK_OK(lsim_function_occupancy(r, f, &of));
    CHECK(memcmp(&o, &of, sizeof o) == 0); /* f is the only busy function */
    CHECK_OK(lsim_function_occupancy(r, g, &of));
    CHECK(of.live == 0 && of.busy_peak == 0 && of.since_us == 10000000u && u128_value(of.live_env_us) == 0);
    CHECK_OK(lsim_advance(r, 20000000u));
    CHECK_OK(lsim_region_occupancy(r, &o));
    CHECK(u128_value(o.busy_env_us) == 20000000u && u128_value(o.live_env_us) == 40000000u);
    CHECK(o.avg_busy == 1.0 && o.avg_live == 2.0);

    /* The window peak resets to the busy count when taken. */
    CHECK_OK(lsim_region_take_busy_window_peak(r, &peak));
    CHECK(peak == 2);
    CHECK_OK(lsim_region_take_busy_window_peak(r, &peak));
    CHECK(peak == 0);
    CHECK_OK(lsim_invoke(r, 20000000u, g, &c));
    CHECK(c.throttled == 0 && c.start_kind == LSIM_START_KIND_FULL_COLD);
    CHECK_OK(lsim_region_occupancy(r, &o));
    CHECK(o.busy == 1 && o.busy_peak == 2 && o.window_peak == 1);
    CHECK_OK(lsim_function_occupancy(r, f, &of));
    CHECK(of.window_peak == 0 && of.busy_peak == 2); /* functions' windows reset too */
    CHECK_OK(lsim_region_take_busy_window_peak(r, &peak));
    CHECK(peak == 1);
    CHECK_OK(lsim_region_take_busy_window_peak(r, &peak));
    CHECK(peak == 1); /* still busy */
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static int same_function_config(const lsim_function_config *a, const lsim_function_config *b) {
    return a->struct_size == b->struct_size && a->memory_mb == b->memory_mb && a->timeout_ms == b->timeout_ms &&
           a->has_reserved == b->has_reserved && a->reserved == b->reserved && a->provisioned == b->provisioned &&
           a->sandbox_us == b->sandbox_us && a->download_us_per_mb == b->download_us_per_mb &&
           a->package_mb == b->package_mb && a->init_us == b->init_us && a->architecture == b->architecture &&
           a->ephemeral_mb == b->ephemeral_mb;
}

static void test_get_config(void) {
    lsim_function_config fc = function_config();
    fc.memory_mb = 1769;
    fc.timeout_ms = 60000;
    fc.has_reserved = 1;
    fc.reserved = 10;
    fc.provisioned = 2;
    fc.sandbox_us = 1;
    fc.download_us_per_mb = 2;
    fc.package_mb = 3;
    fc.init_us = 4;
    fc.architecture = LSIM_ARCH_ARM64;
    fc.ephemeral_mb = 2048;
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_function_config got;
    memset(&got, 0xAB, sizeof got);
    CHECK_OK(lsim_function_get_config(r, f, &got));
    CHECK(got.struct_size == sizeof got && same_function_config(&got, &fc));
    CHECK_OK(lsim_function_put_reserved(r, 0, f, 0, 0));
    CHECK_OK(lsim_function_put_provisioned(r, 0, f, 1));
    CHECK_OK(lsim_function_get_config(r, f, &got));
    CHECK(got.has_reserved == 0 && got.reserved == 0 && got.provisioned == 1 && got.memory_mb == 1769);
    lsim_function_config defaults = function_config();
    CHECK_OK(lsim_function_update(r, 0, f, &defaults));
    CHECK_OK(lsim_function_get_config(r, f, &got));
    CHECK(same_function_config(&got, &defaults));
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

/* ---- invoke_for: the region ends the invocation ------------------------------ */

static uint32_t busy_of(lsim_region *r, lsim_function f) {
    uint32_t busy = 99;
    CHECK_OK(lsim_function_busy(r, f, &busy));
    return busy;
}

static void test_invoke_for(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_invoke_result a, b, c;
    lsim_finish_result fr;
    lsim_stats stats;
    uint32_t has = 0, state = 0;
    uint64_t at = 0;

    /* A full cold start: the handler runs 100 ms from ready_at, then the region ends it. */
    CHECK_OK(lsim_invoke_for(r, 0, f, 100000, LSIM_OUTCOME_SUCCESS, &a));
    CHECK(a.throttled == 0 && a.start_kind == LSIM_START_KIND_FULL_COLD && a.ready_at_us == 380000);
    uint64_t end = a.ready_at_us + 100000;
    CHECK_OK(lsim_advance(r, end - 1));
    CHECK(busy_of(r, f) == 1);
    CHECK_OK(lsim_next_deadline(r, &has, &at));
    CHECK(has == 1 && at == end);
    CHECK_OK(lsim_advance(r, end));
    CHECK(busy_of(r, f) == 0);
    CHECK_OK(lsim_env_state(r, a.env, &state));
    CHECK(state == LSIM_ENV_STATE_IDLE);
    CHECK_STATUS(lsim_finish(r, end, a.invocation, LSIM_OUTCOME_SUCCESS, &fr), LSIM_STATUS_UNKNOWN_INVOCATION);

    /* Warm reuse with an init override (unused), finished early by the caller. */
    CHECK_OK(lsim_invoke_for_with_init(r, end + 1000, f, 500000, LSIM_OUTCOME_SUCCESS, 7000000, &b));
    CHECK(b.start_kind == LSIM_START_KIND_WARM && same_env(b.env, a.env) && b.ready_at_us == end + 1000);
    CHECK_OK(lsim_finish(r, end + 201000, b.invocation, LSIM_OUTCOME_FUNCTION_ERROR, &fr));
    CHECK(fr.duration_us == 200000 && fr.env_kept == 1);
    CHECK_OK(lsim_advance(r, end + 501000)); /* its scheduled end no longer exists */

    /* A handler as long as the timeout (3 s) ends as a timeout at the timeout. */
    uint64_t t = end + 600000;
    CHECK_OK(lsim_invoke_for(r, t, f, 3000000, LSIM_OUTCOME_SUCCESS, &c));
    CHECK(c.start_kind == LSIM_START_KIND_WARM);
    CHECK_OK(lsim_advance(r, t + 3000000));
    CHECK(busy_of(r, f) == 0);
    CHECK_STATUS(lsim_finish(r, t + 3000000, c.invocation, LSIM_OUTCOME_SUCCESS, &fr), LSIM_STATUS_TIMED_OUT);
    CHECK_OK(lsim_region_stats(r, &stats));
    CHECK(stats.invocations == 3 && stats.succeeded == 1 && stats.errors == 2 && stats.timeouts == 1);
    CHECK_REGION(r);
    CHECK_OK(lsim_region_free(r));
}

static void test_invoke_for_errors(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_invoke_result ir;
    lsim_stats stats;
    uint64_t now = 7;

    memset(&ir, 0x5A, sizeof ir);
    CHECK_STATUS(lsim_invoke_for(NULL, 0, f, 1000, LSIM_OUTCOME_SUCCESS, &ir), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for(r, 0, f, 1000, LSIM_OUTCOME_SUCCESS, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for_with_init(NULL, 0, f, 1000, LSIM_OUTCOME_SUCCESS, 5, &ir),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for_with_init(r, 0, f, 1000, LSIM_OUTCOME_SUCCESS, 5, NULL), LSIM_STATUS_NULL_POINTER);

    /* Unknown outcomes: rejected before anything happens (the clock stays put). */
    const uint32_t bad[] = {4, 99, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_STATUS(lsim_invoke_for(r, 1000, f, 1000, bad[i], &ir), LSIM_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(lsim_invoke_for_with_init(r, 1000, f, 1000, bad[i], 5, &ir), LSIM_STATUS_INVALID_ARGUMENT);
    }
    CHECK(ir.ready_at_us == 0x5A5A5A5A5A5A5A5Au); /* not written on error */
    CHECK_OK(lsim_region_now(r, &now));
    CHECK(now == 0);
    CHECK_OK(lsim_region_stats(r, &stats));
    CHECK(stats.requests == 0);

    /* Stale and unknown functions, time going backwards. */
    CHECK_OK(lsim_function_delete(r, 0, f));
    lsim_function never = {200, 1, f.region_tag};
    CHECK_STATUS(lsim_invoke_for(r, 0, f, 1000, LSIM_OUTCOME_SUCCESS, &ir), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_invoke_for_with_init(r, 0, never, 1000, LSIM_OUTCOME_SUCCESS, 5, &ir),
                 LSIM_STATUS_UNKNOWN_FUNCTION);
    lsim_function g = new_function(r, 0, &fc);
    CHECK_OK(lsim_advance(r, 1000));
    CHECK_STATUS(lsim_invoke_for(r, 999, g, 1000, LSIM_OUTCOME_SUCCESS, &ir), LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK_STATUS(lsim_invoke_for_with_init(r, 999, g, 1000, LSIM_OUTCOME_SUCCESS, 5, &ir),
                 LSIM_STATUS_TIME_WENT_BACKWARDS);
    CHECK(busy_of(r, g) == 0);
    CHECK(ir.ready_at_us == 0x5A5A5A5A5A5A5A5Au);
    CHECK_REGION(r);

    /* Freed and made-up regions. */
    CHECK_OK(lsim_region_free(r));
    CHECK_STATUS(lsim_invoke_for(r, 2000, g, 1000, LSIM_OUTCOME_SUCCESS, &ir), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_invoke_for_with_init(r, 2000, g, 1000, LSIM_OUTCOME_SUCCESS, 5, &ir),
                 LSIM_STATUS_STALE_HANDLE);
    lsim_region *bogus = (lsim_region *)(uintptr_t)0x7ffff1;
    CHECK_STATUS(lsim_invoke_for(bogus, 0, g, 1000, LSIM_OUTCOME_SUCCESS, &ir), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_invoke_for_with_init(bogus, 0, g, 1000, LSIM_OUTCOME_SUCCESS, 5, &ir),
                 LSIM_STATUS_STALE_HANDLE);
    CHECK(ir.ready_at_us == 0x5A5A5A5A5A5A5A5Au);
}

static void test_flat_calls(void);
static void test_flat_with_init_calls(void);

int main(void) {
    test_first_region_handle_is_not_guessable(); /* first: it needs the process's first region */
    test_versions();
    test_status_strings();
    test_enum_strings();
    test_defaults();
    test_null_pointers();
    test_freed_and_stale_region_handles();
    test_stale_function_handle();
    test_stale_invocation_handle();
    test_handles_of_another_region();
    test_unknown_enum_values();
    test_out_of_range_numbers();
    test_capacities();
    test_bad_struct_size();
    test_time_went_backwards();
    test_buffer_too_small();
    test_reserved_zero_throttles();
    test_warm_reuse();
    test_provisioned_and_spillover();
    test_advance_to_the_end_of_the_clock();
    test_cost_config_fields();
    test_cost_defaults_and_names();
    test_cost_null_pointers();
    test_bill_usage_spec_examples();
    test_bill_usage_errors();
    test_bill_overflow();
    test_money_format();
    test_region_and_function_bills();
    test_region_bill_handles();
    test_cpu();
    test_tune_profile();
    test_tune_profile_errors();
    test_tune_samples();
    test_extras_names();
    test_extras_null_stale_unknown();
    test_prewarm();
    test_keep_alive();
    test_occupancy();
    test_get_config();
    test_invoke_for();
    test_invoke_for_errors();
    test_flat_calls();
    test_flat_with_init_calls();
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

/* ---- flat invoke / finish (handles as their fields) --------------------- */

/* lsim_invoke_flat, lsim_invoke_for_flat and lsim_finish_flat answer what
 * lsim_invoke, lsim_invoke_for and lsim_finish answer, and refuse NULL,
 * freed, made-up and wrong-region handles before anything happens. */
static void test_flat_calls(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_region *other = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_function g = new_function(other, 0, &fc);
    lsim_invoke_result ir, ir2;
    lsim_finish_result fr;
    lsim_stats stats;
    uint64_t now = 7;

    /* A cold start, finished; then a warm invoke_for on the same environment. */
    CHECK_OK(lsim_invoke_flat(r, 0, f.index, f.generation, f.region_tag, &ir));
    CHECK(ir.throttled == 0 && ir.start_kind == LSIM_START_KIND_FULL_COLD && ir.ready_at_us == COLD_US);
    lsim_invocation inv = ir.invocation;
    CHECK_OK(lsim_finish_flat(r, COLD_US + 10, inv.env.index, inv.env.generation, inv.env.region_tag, inv.seq,
                              LSIM_OUTCOME_SUCCESS, &fr));
    CHECK(fr.duration_us == 10 && fr.env_kept == 1 && fr.function.index == f.index);
    CHECK(fr.function.region_tag == f.region_tag && same_env(fr.env, ir.env));
    CHECK_OK(lsim_invoke_for_flat(r, COLD_US + 20, f.index, f.generation, f.region_tag, 5, LSIM_OUTCOME_SUCCESS, &ir2));
    CHECK(ir2.start_kind == LSIM_START_KIND_WARM && same_env(ir2.env, ir.env) && ir2.ready_at_us == COLD_US + 20);
    CHECK_OK(lsim_advance(r, COLD_US + 25));
    CHECK(busy_of(r, f) == 0); /* ended by itself */

    /* NULL pointers. */
    memset(&ir, 0x5A, sizeof ir);
    memset(&fr, 0x5A, sizeof fr);
    CHECK_STATUS(lsim_invoke_flat(NULL, 100, f.index, f.generation, f.region_tag, &ir), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_flat(r, 100, f.index, f.generation, f.region_tag, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for_flat(NULL, 100, f.index, f.generation, f.region_tag, 1, 0, &ir),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for_flat(r, 100, f.index, f.generation, f.region_tag, 1, 0, NULL),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_finish_flat(NULL, 100, 0, 0, 0, 1, 0, &fr), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_finish_flat(r, 100, 0, 0, 0, 1, 0, NULL), LSIM_STATUS_NULL_POINTER);

    /* Unknown outcomes and handles of another region (or with no tag). */
    uint64_t t = COLD_US + 100;
    CHECK_STATUS(lsim_invoke_for_flat(r, t, f.index, f.generation, f.region_tag, 1, 4, &ir),
                 LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_finish_flat(r, t, inv.env.index, inv.env.generation, inv.env.region_tag, inv.seq, 99, &fr),
                 LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_invoke_flat(r, t, g.index, g.generation, g.region_tag, &ir), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_invoke_for_flat(r, t, f.index, f.generation, 0, 1, 0, &ir), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_finish_flat(r, t, inv.env.index, inv.env.generation, g.region_tag, ir2.invocation.seq, 0, &fr),
                 LSIM_STATUS_UNKNOWN_INVOCATION);
    CHECK(ir.ready_at_us == 0x5A5A5A5A5A5A5A5Au && fr.duration_us == 0x5A5A5A5A5A5A5A5Au); /* not written */
    CHECK_OK(lsim_region_now(r, &now));
    CHECK(now == COLD_US + 25); /* refused calls did not move the clock */
    CHECK_OK(lsim_region_stats(r, &stats));
    CHECK(stats.requests == 2);
    CHECK_REGION(r);

    /* Freed (after use on this thread), made-up and other-kind handles. */
    CHECK_OK(lsim_region_free(r));
    lsim_region *bogus = (lsim_region *)(uintptr_t)0x7ffff1;
    lsim_region *other_kind = (lsim_region *)(uintptr_t)((1u << 22) | (1u << 21) | 1u);
    lsim_region *bad[] = {r, bogus, other_kind};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_STATUS(lsim_invoke_flat(bad[i], t, f.index, f.generation, f.region_tag, &ir), LSIM_STATUS_STALE_HANDLE);
        CHECK_STATUS(lsim_invoke_for_flat(bad[i], t, f.index, f.generation, f.region_tag, 1, 0, &ir),
                     LSIM_STATUS_STALE_HANDLE);
        CHECK_STATUS(lsim_finish_flat(bad[i], t, inv.env.index, inv.env.generation, inv.env.region_tag, inv.seq, 0, &fr),
                     LSIM_STATUS_STALE_HANDLE);
    }
    CHECK(ir.ready_at_us == 0x5A5A5A5A5A5A5A5Au);
    CHECK_OK(lsim_region_free(other));
}

/* The _with_init_flat forms: the request's init duration on a cold start;
 * NULL, unknown outcomes, wrong-region, freed and made-up handles refused. */
static void test_flat_with_init_calls(void) {
    lsim_function_config fc = function_config();
    lsim_region *r = new_region();
    lsim_region *other = new_region();
    lsim_function f = new_function(r, 0, &fc);
    lsim_function g = new_function(other, 0, &fc);
    lsim_invoke_result ir;
    uint64_t create_us = COLD_US - 250000u; /* create + download, without init */

    CHECK_OK(lsim_invoke_with_init_flat(r, 0, f.index, f.generation, f.region_tag, 1000, &ir));
    CHECK(ir.start_kind == LSIM_START_KIND_FULL_COLD && ir.init_us == create_us + 1000);
    CHECK_OK(lsim_invoke_for_with_init_flat(r, 0, f.index, f.generation, f.region_tag, 5, LSIM_OUTCOME_SUCCESS, 2000,
                                            &ir));
    CHECK(ir.start_kind == LSIM_START_KIND_FULL_COLD && ir.init_us == create_us + 2000);

    memset(&ir, 0x5A, sizeof ir);
    CHECK_STATUS(lsim_invoke_with_init_flat(NULL, 1, f.index, f.generation, f.region_tag, 1, &ir),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_with_init_flat(r, 1, f.index, f.generation, f.region_tag, 1, NULL),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for_with_init_flat(NULL, 1, f.index, f.generation, f.region_tag, 1, 0, 1, &ir),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for_with_init_flat(r, 1, f.index, f.generation, f.region_tag, 1, 0, 1, NULL),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_invoke_for_with_init_flat(r, 1, f.index, f.generation, f.region_tag, 1, 4, 1, &ir),
                 LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_invoke_with_init_flat(r, 1, g.index, g.generation, g.region_tag, 1, &ir),
                 LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_invoke_for_with_init_flat(r, 1, f.index, f.generation, 0, 1, 0, 1, &ir),
                 LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_OK(lsim_region_free(r));
    lsim_region *bogus = (lsim_region *)(uintptr_t)0x7ffff1;
    CHECK_STATUS(lsim_invoke_with_init_flat(r, 1, f.index, f.generation, f.region_tag, 1, &ir),
                 LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_invoke_for_with_init_flat(bogus, 1, f.index, f.generation, f.region_tag, 1, 0, 1, &ir),
                 LSIM_STATUS_STALE_HANDLE);
    CHECK(ir.ready_at_us == 0x5A5A5A5A5A5A5A5Au); /* never written on error */
    CHECK_OK(lsim_region_free(other));
}
