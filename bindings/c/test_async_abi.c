/*
 * test_async_abi.c: checks the asynchronous-invocation entry points of the C
 * ABI from C (lsim_region_attach_async_queue, lsim_async_config_default,
 * lsim_function_put_async_config, lsim_invoke_async,
 * lsim_async_event_get_status, lsim_region_async_stats,
 * lsim_function_async_stats): an event's retry times, a dead-letter queue,
 * NULL pointers, freed and foreign handles, unknown codes, values out of
 * range. In the style of test_abi.c.
 *
 * The last line printed is "N passed, M failed"; the exit status is
 * non-zero when anything failed.
 */
#include "lambdasim.h"

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

/* A region with one function that starts instantly (no create or init time), 900 s timeout. */
static lsim_region *region_with_function(lsim_function *f) {
    lsim_region_config rc;
    lsim_function_config fc;
    lsim_region *r = NULL;
    CHECK_OK(lsim_region_config_default(&rc));
    CHECK_OK(lsim_region_new(&rc, &r));
    CHECK_OK(lsim_function_config_default(&fc));
    fc.sandbox_us = 0;
    fc.package_mb = 0;
    fc.init_us = 0;
    fc.timeout_ms = 900000;
    CHECK_OK(lsim_function_create(r, 0, &fc, f));
    return r;
}

static lsim_async_event_status status_of(lsim_region *r, lsim_async_event e) {
    lsim_async_event_status s;
    memset(&s, 0xAB, sizeof s);
    CHECK_OK(lsim_async_event_get_status(r, e, &s));
    return s;
}

/* A failing event's attempts: at 10 s, 1 min after the first ends, 2 min after the second. */
static void test_retry_times(void) {
    lsim_function f;
    lsim_region *r = region_with_function(&f);
    lsim_async_config c;
    lsim_async_event e;
    lsim_async_stats s;
    CHECK_OK(lsim_region_attach_async_queue(r, 8));
    CHECK_OK(lsim_async_config_default(&c));
    CHECK(c.struct_size == sizeof c && c.max_retry_attempts == 2 && c.max_event_age_s == 21600);
    c.dead_letter_queue = LSIM_DELIVERY_AVAILABLE;
    CHECK_OK(lsim_function_put_async_config(r, f, &c));
    CHECK_OK(lsim_invoke_async(r, 10000000, f, 5000000, LSIM_OUTCOME_FUNCTION_ERROR, 255, &e));
    CHECK(status_of(r, e).state == LSIM_ASYNC_STATE_RUNNING);
    CHECK_OK(lsim_advance(r, 15000000));
    lsim_async_event_status q = status_of(r, e);
    CHECK(q.state == LSIM_ASYNC_STATE_QUEUED && q.attempts == 1 && q.due_at_us == 75000000);
    uint32_t has = 0;
    uint64_t next = 0;
    CHECK_OK(lsim_next_deadline(r, &has, &next));
    CHECK(has == 1 && next == 75000000);
    CHECK_OK(lsim_advance(r, 80000000));
    q = status_of(r, e);
    CHECK(q.state == LSIM_ASYNC_STATE_QUEUED && q.attempts == 2 && q.due_at_us == 200000000);
    CHECK_OK(lsim_advance(r, 205000000));
    q = status_of(r, e);
    CHECK(q.state == LSIM_ASYNC_STATE_DROPPED && q.attempts == 3 && q.reason == LSIM_DROP_REASON_RETRIES_EXHAUSTED);
    CHECK_OK(lsim_region_async_stats(r, &s));
    CHECK(s.received == 1 && s.attempts == 3 && s.dropped == 1 && s.dead_lettered == 1 && s.queued == 0);
    lsim_async_stats fs;
    CHECK_OK(lsim_function_async_stats(r, f, &fs));
    CHECK(memcmp(&fs, &s, sizeof s) == 0);
    lsim_stats st;
    CHECK_OK(lsim_region_stats(r, &st));
    CHECK(st.invocations == 3 && st.errors == 3);
    CHECK_OK(lsim_region_check(r));
    CHECK_OK(lsim_region_free(r));
}

static void test_bad_input(void) {
    lsim_function f;
    lsim_region *r = region_with_function(&f);
    lsim_region *other = region_with_function(&(lsim_function){0});
    lsim_async_config c;
    lsim_async_event e, untouched = {7, 7, 7};
    lsim_async_event_status st;
    lsim_async_stats s;
    e = untouched;
    CHECK_STATUS(lsim_invoke_async(r, 0, f, 0, LSIM_OUTCOME_SUCCESS, 0, &e), LSIM_STATUS_INVALID_ARGUMENT); /* no queue */
    CHECK(memcmp(&e, &untouched, sizeof e) == 0);
    CHECK_STATUS(lsim_region_attach_async_queue(r, 0), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_region_attach_async_queue(r, LSIM_ASYNC_QUEUE_MAX + 1), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_region_attach_async_queue(NULL, 1), LSIM_STATUS_NULL_POINTER);
    CHECK_OK(lsim_region_attach_async_queue(r, 1));
    CHECK_STATUS(lsim_region_attach_async_queue(r, 1), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_invoke_async(r, 0, f, 0, 99, 0, &e), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_invoke_async(r, 0, f, 0, LSIM_OUTCOME_SUCCESS, 256, &e), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_invoke_async(r, 0, f, 0, LSIM_OUTCOME_SUCCESS, 0, NULL), LSIM_STATUS_NULL_POINTER);
    lsim_function foreign = f;
    foreign.region_tag ^= 1;
    CHECK_STATUS(lsim_invoke_async(r, 0, foreign, 0, LSIM_OUTCOME_SUCCESS, 0, &e), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_OK(lsim_invoke_async(r, 0, f, 1000000, LSIM_OUTCOME_SUCCESS, 0, &e));
    lsim_async_event full = untouched;
    CHECK_STATUS(lsim_invoke_async(r, 0, f, 0, LSIM_OUTCOME_SUCCESS, 0, &full), LSIM_STATUS_QUEUE_FULL);
    CHECK(memcmp(&full, &untouched, sizeof full) == 0);
    CHECK_OK(lsim_region_async_stats(r, &s));
    CHECK(s.rejected == 1 && s.received == 1);
    CHECK_STATUS(lsim_async_event_get_status(other, e, &st), LSIM_STATUS_UNKNOWN_ASYNC_EVENT);
    CHECK_STATUS(lsim_async_event_get_status(r, e, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_OK(lsim_async_config_default(&c));
    c.max_retry_attempts = 3;
    CHECK_STATUS(lsim_function_put_async_config(r, f, &c), LSIM_STATUS_MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE);
    c.max_retry_attempts = 2;
    c.max_event_age_s = 59;
    CHECK_STATUS(lsim_function_put_async_config(r, f, &c), LSIM_STATUS_MAXIMUM_EVENT_AGE_OUT_OF_RANGE);
    c.max_event_age_s = 60;
    c.on_failure = 3;
    CHECK_STATUS(lsim_function_put_async_config(r, f, &c), LSIM_STATUS_INVALID_ARGUMENT);
    c.on_failure = LSIM_DELIVERY_FAILING;
    c.struct_size = 4;
    CHECK_STATUS(lsim_function_put_async_config(r, f, &c), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_function_put_async_config(r, f, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_function_async_stats(other, f, &s), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_async_config_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK(strcmp(lsim_status_str(LSIM_STATUS_QUEUE_FULL), "LSIM_STATUS_QUEUE_FULL") == 0);
    CHECK_OK(lsim_region_free(r));
    CHECK_OK(lsim_region_free(other));
    /* A freed region is a stale handle everywhere. */
    CHECK_STATUS(lsim_region_attach_async_queue(r, 1), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_invoke_async(r, 0, f, 0, LSIM_OUTCOME_SUCCESS, 0, &e), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_async_event_get_status(r, e, &st), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_region_async_stats(r, &s), LSIM_STATUS_STALE_HANDLE);
}

int main(void) {
    test_retry_times();
    test_bad_input();
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
