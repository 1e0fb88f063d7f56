/*
 * vector_async.h: the asynchronous-invocation parts of the vector format
 * (tests/vectors/README.md): the region's `async_queue`, a
 * `put_async_config` step's settings, the names of event states and drop
 * reasons, and `check`'s `async` counters. Used by test_vectors.c.
 */
#ifndef LSIM_TEST_VECTOR_ASYNC_H
#define LSIM_TEST_VECTOR_ASYNC_H

#include "vector_config.h"

#include <stddef.h>

/* The region's `async_queue`: 1 with the slots in *slots, 0 when absent, -1 on error. */
int va_queue(const json_value *region, uint32_t *slots, vc_error *err);

/* A `put_async_config` step's settings (missing fields: Lambda's defaults). */
int va_config(const json_value *step, const char *ctx, lsim_async_config *out, vc_error *err);

/* The format's names of LSIM_ASYNC_STATE_* and LSIM_DROP_REASON_* ("?" when unknown). */
const char *va_state_name(uint32_t state);
const char *va_reason_name(uint32_t reason);

/* `check`'s `async` keys (NULL-terminated) and their offsets in lsim_async_stats. */
#define VA_STATS_COUNT 17
extern const char *const VA_STATS_KEYS[VA_STATS_COUNT + 1];
extern const size_t VA_STATS_OFFSETS[VA_STATS_COUNT];

#endif /* LSIM_TEST_VECTOR_ASYNC_H */
