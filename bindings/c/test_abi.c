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
    lsim_function f = {0, 0};
    CHECK_OK(lsim_function_create(r, now_us, c, &f));
    return f;
}

static int same_env(lsim_env a, lsim_env b) {
    return a.index == b.index && a.generation == b.generation;
}

/* ---- versions and names ------------------------------------------------ */

static void test_versions(void) {
    CHECK(lsim_abi_version() == LSIM_ABI_VERSION);
    CHECK(LSIM_ABI_VERSION == 1);
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
    CHECK(strcmp(lsim_throttle_reason_str(4), "unknown") == 0);
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

    lsim_function_config fc = function_config();
    CHECK(fc.struct_size == sizeof(lsim_function_config));
    CHECK(fc.memory_mb == 128 && fc.timeout_ms == 3000);
    CHECK(fc.has_reserved == 0 && fc.provisioned == 0);
    CHECK(fc.sandbox_us == 125000 && fc.download_us_per_mb == 1000 && fc.package_mb == 5 && fc.init_us == 250000);
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
    lsim_function f_out = {77, 77};
    lsim_invoke_result ir;
    lsim_finish_result fr;
    lsim_invocation inv = {{0, 0}, 0};
    lsim_env env = {0, 0};
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
    lsim_function never = {200, 1};
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
    lsim_invocation made_up = {{9999, 1}, 1};
    CHECK_STATUS(lsim_finish(r, ir.ready_at_us + 2000, made_up, LSIM_OUTCOME_SUCCESS, &fr),
                 LSIM_STATUS_UNKNOWN_INVOCATION);
    lsim_invocation wrong_seq = ir.invocation;
    wrong_seq.seq += 1;
    CHECK_STATUS(lsim_finish(r, ir.ready_at_us + 2000, wrong_seq, LSIM_OUTCOME_SUCCESS, &fr),
                 LSIM_STATUS_UNKNOWN_INVOCATION);
    CHECK_REGION(r);
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
    lsim_function f = {77, 77};
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

int main(void) {
    test_versions();
    test_status_strings();
    test_enum_strings();
    test_defaults();
    test_null_pointers();
    test_freed_and_stale_region_handles();
    test_stale_function_handle();
    test_stale_invocation_handle();
    test_unknown_enum_values();
    test_out_of_range_numbers();
    test_bad_struct_size();
    test_time_went_backwards();
    test_buffer_too_small();
    test_reserved_zero_throttles();
    test_warm_reuse();
    test_provisioned_and_spillover();
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
