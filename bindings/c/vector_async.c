/* vector_async.c: see vector_async.h. */
#include "vector_async.h"

#include <string.h>

int va_queue(const json_value *region, uint32_t *slots, vc_error *err) {
    if (region == NULL) return 0;
    return vc_opt_u32(region, "async_queue", "region", slots, err);
}

static int delivery(const json_value *step, const char *key, const char *ctx, uint32_t *out, vc_error *err) {
    const char *name = NULL;
    int rc = vc_opt_str(step, key, ctx, &name, err);
    if (rc <= 0) return rc;
    if (strcmp(name, "None") == 0) *out = LSIM_DELIVERY_NONE;
    else if (strcmp(name, "Available") == 0) *out = LSIM_DELIVERY_AVAILABLE;
    else if (strcmp(name, "Failing") == 0) *out = LSIM_DELIVERY_FAILING;
    else return vc_fail(err, "%s: `%s`: expected \"None\", \"Available\" or \"Failing\", found \"%s\"", ctx, key, name);
    return 1;
}

int va_config(const json_value *step, const char *ctx, lsim_async_config *c, vc_error *err) {
    lsim_status st = lsim_async_config_default(c);
    if (st != LSIM_STATUS_OK) return vc_fail(err, "lsim_async_config_default: %s", lsim_status_str(st));
    if (vc_opt_u32(step, "max_retry_attempts", ctx, &c->max_retry_attempts, err) < 0 ||
        vc_opt_u32(step, "max_event_age_s", ctx, &c->max_event_age_s, err) < 0 ||
        delivery(step, "dead_letter_queue", ctx, &c->dead_letter_queue, err) < 0 ||
        delivery(step, "on_failure", ctx, &c->on_failure, err) < 0 ||
        delivery(step, "on_success", ctx, &c->on_success, err) < 0)
        return -1;
    return 0;
}

const char *va_state_name(uint32_t state) {
    switch (state) {
    case LSIM_ASYNC_STATE_QUEUED: return "Queued";
    case LSIM_ASYNC_STATE_RUNNING: return "Running";
    case LSIM_ASYNC_STATE_SUCCEEDED: return "Succeeded";
    case LSIM_ASYNC_STATE_DROPPED: return "Dropped";
    default: return "?";
    }
}

const char *va_reason_name(uint32_t reason) {
    switch (reason) {
    case LSIM_DROP_REASON_RETRIES_EXHAUSTED: return "RetriesExhausted";
    case LSIM_DROP_REASON_EXPIRED: return "Expired";
    case LSIM_DROP_REASON_RESERVED_ZERO: return "ReservedZero";
    case LSIM_DROP_REASON_FUNCTION_DELETED: return "FunctionDeleted";
    default: return "?";
    }
}

const char *const VA_STATS_KEYS[VA_STATS_COUNT + 1] = {
    "received", "rejected", "queued", "running", "attempts", "requeued", "succeeded", "dropped",
    "retries_exhausted", "expired", "reserved_zero", "function_deleted", "dead_lettered", "dead_letter_errors",
    "sent_on_failure", "sent_on_success", "destination_delivery_failures", NULL,
};

const size_t VA_STATS_OFFSETS[VA_STATS_COUNT] = {
    offsetof(lsim_async_stats, received),          offsetof(lsim_async_stats, rejected),
    offsetof(lsim_async_stats, queued),            offsetof(lsim_async_stats, running),
    offsetof(lsim_async_stats, attempts),          offsetof(lsim_async_stats, requeued),
    offsetof(lsim_async_stats, succeeded),         offsetof(lsim_async_stats, dropped),
    offsetof(lsim_async_stats, retries_exhausted), offsetof(lsim_async_stats, expired),
    offsetof(lsim_async_stats, reserved_zero),     offsetof(lsim_async_stats, function_deleted),
    offsetof(lsim_async_stats, dead_lettered),     offsetof(lsim_async_stats, dead_letter_errors),
    offsetof(lsim_async_stats, sent_on_failure),   offsetof(lsim_async_stats, sent_on_success),
    offsetof(lsim_async_stats, destination_delivery_failures),
};
