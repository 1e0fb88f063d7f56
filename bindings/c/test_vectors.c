/*
 * test_vectors.c: runs every conformance vector of the top-level JSON files of tests/vectors/
 * (the format of tests/vectors/README.md) against the C ABI, with the
 * semantics of the Rust runner (tests/src/vectors.rs): strict keys, env
 * labels, error names as the Rust variant names, and lsim_region_check
 * after the setup and after every step.
 *
 *   test_vectors [DIR]     DIR defaults to ../../tests/vectors
 *
 * Prints one line per vector ("ok   name (...)" or "FAIL file: step i: what
 * differed"); the last line is "N passed, M failed" and the exit status is
 * non-zero on any failure (or when DIR holds no vector). A few built-in
 * vectors that must fail check first that the runner can fail at all.
 */
#define _POSIX_C_SOURCE 200809L

#include "json.h"
#include "lambdasim.h"
#include "vector_async.h"
#include "vector_config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- small helpers ---------------------------------------------------------- */

static void out_of_memory(void) {
    fputs("test_vectors: out of memory\n", stderr);
    exit(2);
}

/* Room for item `len` of an array of `*cap` items; exits when out of memory. */
static void *grow(void *items, size_t *cap, size_t len, size_t size) {
    if (len < *cap) return items;
    size_t n = *cap ? *cap * 2 : 8;
    void *q = n > SIZE_MAX / size ? NULL : realloc(items, n * size);
    if (q == NULL) out_of_memory();
    *cap = n;
    return q;
}

/* A growable NUL-terminated string. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
static void sb_vprintf(sbuf *b, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return;
    size_t need = b->len + (size_t)n + 1;
    if (need > b->cap) {
        size_t c = b->cap ? b->cap : 128;
        while (c < need) c *= 2;
        char *q = realloc(b->p, c);
        if (q == NULL) out_of_memory();
        b->p = q;
        b->cap = c;
    }
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    b->len += (size_t)n;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void sb_printf(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

/* ---- names ------------------------------------------------------------------- */

/* The Rust variant name of an error status (what vectors write in "error");
 * statuses only the C ABI has keep their C name, so they never match. */
static const char *error_name(lsim_status s) {
    switch (s) {
    case LSIM_STATUS_TIME_WENT_BACKWARDS: return "TimeWentBackwards";
    case LSIM_STATUS_CAPACITY_EXCEEDED: return "CapacityExceeded";
    case LSIM_STATUS_UNKNOWN_FUNCTION: return "UnknownFunction";
    case LSIM_STATUS_UNKNOWN_INVOCATION: return "UnknownInvocation";
    case LSIM_STATUS_NOT_READY: return "NotReady";
    case LSIM_STATUS_TIMED_OUT: return "TimedOut";
    case LSIM_STATUS_FUNCTION_BUSY: return "FunctionBusy";
    case LSIM_STATUS_MEMORY_BELOW_MINIMUM: return "MemoryBelowMinimum";
    case LSIM_STATUS_MEMORY_ABOVE_MAXIMUM: return "MemoryAboveMaximum";
    case LSIM_STATUS_MEMORY_NOT_ON_STEP: return "MemoryNotOnStep";
    case LSIM_STATUS_TIMEOUT_OUT_OF_RANGE: return "TimeoutOutOfRange";
    case LSIM_STATUS_PACKAGE_TOO_LARGE: return "PackageTooLarge";
    case LSIM_STATUS_UNRESERVED_BELOW_MINIMUM: return "UnreservedBelowMinimum";
    case LSIM_STATUS_PROVISIONED_EXCEEDS_RESERVED: return "ProvisionedExceedsReserved";
    case LSIM_STATUS_ACCOUNT_LIMIT_TOO_LOW: return "AccountLimitTooLow";
    case LSIM_STATUS_INVALID_SETTING: return "InvalidSetting";
    case LSIM_STATUS_INTERNAL: return "Internal";
    case LSIM_STATUS_EPHEMERAL_OUT_OF_RANGE: return "EphemeralOutOfRange";
    case LSIM_STATUS_OVERFLOW: return "Overflow";
    case LSIM_STATUS_QUEUE_FULL: return "QueueFull";
    case LSIM_STATUS_MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE: return "MaximumRetryAttemptsOutOfRange";
    case LSIM_STATUS_MAXIMUM_EVENT_AGE_OUT_OF_RANGE: return "MaximumEventAgeOutOfRange";
    default: return lsim_status_str(s);
    }
}

/* Code of a throttle reason / start kind by name; -1 when unknown. */
static int throttle_code(const char *name) {
    for (uint32_t r = 0; r < LSIM_THROTTLE_REASON_COUNT; r++)
        if (strcmp(lsim_throttle_reason_str(r), name) == 0) return (int)r;
    return -1;
}

static int start_code(const char *name) {
    for (uint32_t k = LSIM_START_KIND_WARM; k <= LSIM_START_KIND_FULL_COLD; k++)
        if (strcmp(lsim_start_kind_str(k), name) == 0) return (int)k;
    return -1;
}

static int outcome_code(const char *name) {
    static const char *const names[] = {"Success", "FunctionError", "Timeout", "Crash"};
    static const int codes[] = {LSIM_OUTCOME_SUCCESS, LSIM_OUTCOME_FUNCTION_ERROR, LSIM_OUTCOME_TIMEOUT,
                                LSIM_OUTCOME_CRASH};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(names[i], name) == 0) return codes[i];
    return -1;
}

/* Every key of `obj` is a throttle reason name. */
static int reason_keys(const json_value *obj, const char *ctx, vc_error *e) {
    for (size_t i = 0; i < obj->as.object.len; i++)
        if (throttle_code(obj->as.object.members[i].key) < 0)
            return vc_fail(e, "%s: unknown reason `%s`", ctx, obj->as.object.members[i].key);
    return 0;
}

/* ---- the runner -------------------------------------------------------------- */

typedef struct {
    const char *name;
    lsim_function f;
} fn_entry;

typedef struct {
    const char *id;
    lsim_invocation inv;
} inv_entry;

typedef struct {
    const char *function;
    lsim_invocation *items;
    size_t len, cap;
} many_entry;

typedef struct {
    const char *label;
    lsim_env env;
} label_entry;

typedef struct {
    const char *id;
    lsim_async_event event;
} event_entry;

typedef struct runner {
    lsim_region *region;
    fn_entry *fns;
    size_t n_fns, cap_fns;
    inv_entry *invs; /* invocations started with an `id` */
    size_t n_invs, cap_invs;
    many_entry *many; /* invocations started by invoke_many, by function */
    size_t n_many, cap_many;
    label_entry *labels;
    size_t n_labels, cap_labels;
    event_entry *events; /* asynchronous events put with an `id` */
    size_t n_events, cap_events;
    sbuf found;       /* this step's mismatches, "; "-separated */
    size_t compared;  /* values this step compared */
    size_t assertions;
    vc_error err; /* why the vector itself (or a call it needs) failed */
} runner;

/* A handle no function has: what a name never created stands for. */
static const lsim_function UNKNOWN_FUNCTION = {UINT32_MAX, 0, 0};

static const fn_entry *find_fn(const runner *r, const char *name) {
    for (size_t i = 0; i < r->n_fns; i++)
        if (strcmp(r->fns[i].name, name) == 0) return &r->fns[i];
    return NULL;
}

static lsim_function function_handle(const runner *r, const char *name) {
    const fn_entry *f = find_fn(r, name);
    return f != NULL ? f->f : UNKNOWN_FUNCTION;
}

static void add_fn(runner *r, const char *name, lsim_function f) {
    r->fns = grow(r->fns, &r->cap_fns, r->n_fns, sizeof *r->fns);
    r->fns[r->n_fns++] = (fn_entry){name, f};
}

static int same_env(lsim_env a, lsim_env b) {
    return a.index == b.index && a.generation == b.generation && a.region_tag == b.region_tag;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void mismatch(runner *r, const char *fmt, ...) {
    va_list ap;
    if (r->found.len > 0) sb_printf(&r->found, "; ");
    va_start(ap, fmt);
    sb_vprintf(&r->found, fmt, ap);
    va_end(ap);
}

static void eq_u64(runner *r, const char *what, uint64_t got, uint64_t want) {
    r->compared++;
    if (got != want) mismatch(r, "%s: got %" PRIu64 ", expected %" PRIu64, what, got, want);
}

static void eq_str(runner *r, const char *what, const char *got, const char *want) {
    r->compared++;
    if (strcmp(got, want) != 0) mismatch(r, "%s: got \"%s\", expected \"%s\"", what, got, want);
}

/* A 0/1 flag of the C ABI against a JSON boolean. */
static void eq_flag(runner *r, const char *what, uint32_t got, int want) {
    r->compared++;
    if (got != (uint32_t)want)
        mismatch(r, "%s: got %s%" PRIu32 ", expected %s", what, got > 1 ? "non-flag " : "", got,
                 want ? "true (1)" : "false (0)");
}

static void env_label(runner *r, const char *label, lsim_env env) {
    const label_entry *bound = NULL, *other = NULL;
    r->compared++;
    for (size_t i = 0; i < r->n_labels; i++) {
        if (strcmp(r->labels[i].label, label) == 0) bound = &r->labels[i];
        if (same_env(r->labels[i].env, env)) other = &r->labels[i];
    }
    if (bound != NULL && same_env(bound->env, env)) return;
    if (bound != NULL) {
        mismatch(r, "env: label `%s` is bound to environment %" PRIu32 "/%" PRIu32
                    ", but the request was served by %" PRIu32 "/%" PRIu32 "%s%s%s",
                 label, bound->env.index, bound->env.generation, env.index, env.generation,
                 other ? " (label `" : "", other ? other->label : "", other ? "`)" : "");
    } else if (other != NULL) {
        mismatch(r, "env: label `%s` is new, but environment %" PRIu32 "/%" PRIu32 " already has label `%s`", label,
                 env.index, env.generation, other->label);
    } else {
        r->labels = grow(r->labels, &r->cap_labels, r->n_labels, sizeof *r->labels);
        r->labels[r->n_labels++] = (label_entry){label, env};
    }
}

/* ---- ops --------------------------------------------------------------------- */

/* `invoke`, or `invoke_for` when `scheduled` (the handler's duration and outcome given: the region ends it). */
static int op_invoke(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx,
                     int scheduled) {
    vc_error *e = &r->err;
    const char *fname, *id = NULL, *want_error = NULL, *want_throttle = NULL, *want_start = NULL, *want_env = NULL;
    const char *oname = "Success";
    uint64_t init = 0, handler = 0, want_init = 0, want_ready = 0;
    int want_onp = 0;
    if (vc_req_str(s, "function", ctx, &fname, e) != 0) return -1;
    int has_id = vc_opt_str(s, "id", ctx, &id, e);
    int has_init = vc_opt_u64(s, "init_us", ctx, &init, e);
    if (has_id < 0 || has_init < 0) return -1;
    if (scheduled &&
        (vc_req_u64(s, "handler_us", ctx, &handler, e) != 0 || vc_opt_str(s, "outcome", ctx, &oname, e) < 0))
        return -1;
    int outcome = outcome_code(oname);
    if (outcome < 0) return vc_fail(e, "unknown outcome `%s`", oname);
    lsim_function f = function_handle(r, fname);
    lsim_invoke_result res;
    memset(&res, 0, sizeof res);
    lsim_status st;
    if (scheduled && has_init)
        st = lsim_invoke_for_with_init(r->region, at, f, handler, (uint32_t)outcome, init, &res);
    else if (scheduled)
        st = lsim_invoke_for(r->region, at, f, handler, (uint32_t)outcome, &res);
    else if (has_init)
        st = lsim_invoke_with_init(r->region, at, f, init, &res);
    else
        st = lsim_invoke(r->region, at, f, &res);
    if (st == LSIM_STATUS_OK && !res.throttled && has_id) {
        size_t i = 0; /* a reused id now names the new invocation */
        while (i < r->n_invs && strcmp(r->invs[i].id, id) != 0) i++;
        if (i == r->n_invs) r->invs = grow(r->invs, &r->cap_invs, r->n_invs++, sizeof *r->invs);
        r->invs[i] = (inv_entry){id, res.invocation};
    }
    if (ex == NULL) {
        if (st != LSIM_STATUS_OK) return vc_fail(e, "invoke %s failed: %s", fname, error_name(st));
        return 0;
    }
    char ectx[96];
    snprintf(ectx, sizeof ectx, "%s expect", ctx);
    int h_err = vc_opt_str(ex, "error", ectx, &want_error, e);
    int h_thr = vc_opt_str(ex, "throttle", ectx, &want_throttle, e);
    int h_start = vc_opt_str(ex, "start", ectx, &want_start, e);
    int h_env = vc_opt_str(ex, "env", ectx, &want_env, e);
    int h_onp = vc_opt_bool(ex, "on_provisioned", ectx, &want_onp, e);
    int h_init = vc_opt_u64(ex, "init_us", ectx, &want_init, e);
    int h_ready = vc_opt_u64(ex, "ready_at_us", ectx, &want_ready, e);
    if (h_err < 0 || h_thr < 0 || h_start < 0 || h_env < 0 || h_onp < 0 || h_init < 0 || h_ready < 0) return -1;
    int wants_start = h_start || h_env || h_onp || h_init || h_ready;
    if (wants_start + h_thr + h_err > 1) return vc_fail(e, "%s mixes a start, a throttle and an error", ectx);
    const char *wanted = h_err ? "an error" : h_thr ? "a throttle" : "a start";
    if (st != LSIM_STATUS_OK) {
        if (h_err) eq_str(r, "error", error_name(st), want_error);
        else mismatch(r, "invoke %s failed with %s, expected %s", fname, error_name(st), wanted);
    } else if (res.throttled) {
        const char *got = lsim_throttle_reason_str(res.throttle_reason);
        if (h_thr) {
            if (throttle_code(want_throttle) < 0) return vc_fail(e, "unknown throttle reason `%s`", want_throttle);
            eq_str(r, "throttle", got, want_throttle);
        } else {
            mismatch(r, "invoke %s was throttled (%s), expected %s", fname, got, wanted);
        }
    } else if (h_thr || h_err) {
        mismatch(r, "invoke %s started (%s on env %" PRIu32 "/%" PRIu32 "), expected %s", fname,
                 lsim_start_kind_str(res.start_kind), res.env.index, res.env.generation, wanted);
    } else {
        if (h_start) {
            if (start_code(want_start) < 0) return vc_fail(e, "unknown start kind `%s`", want_start);
            eq_str(r, "start", lsim_start_kind_str(res.start_kind), want_start);
        }
        if (h_env) env_label(r, want_env, res.env);
        if (h_onp) eq_flag(r, "on_provisioned", res.on_provisioned, want_onp);
        if (h_init) eq_u64(r, "init_us", res.init_us, want_init);
        if (h_ready) eq_u64(r, "ready_at_us", res.ready_at_us, want_ready);
    }
    return 0;
}

static int op_invoke_many(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *fname;
    uint64_t count, started = 0, throttled[LSIM_THROTTLE_REASON_COUNT] = {0};
    if (vc_req_str(s, "function", ctx, &fname, e) != 0 || vc_req_u64(s, "count", ctx, &count, e) != 0) return -1;
    lsim_function f = function_handle(r, fname);
    many_entry *list = NULL;
    for (size_t i = 0; i < r->n_many && list == NULL; i++)
        if (strcmp(r->many[i].function, fname) == 0) list = &r->many[i];
    for (uint64_t k = 0; k < count; k++) {
        lsim_invoke_result res;
        memset(&res, 0, sizeof res);
        lsim_status st = lsim_invoke(r->region, at, f, &res);
        if (st != LSIM_STATUS_OK)
            return vc_fail(e, "invoke %" PRIu64 " of %" PRIu64 " of %s failed: %s", k, count, fname, error_name(st));
        if (res.throttled) {
            if (res.throttle_reason >= LSIM_THROTTLE_REASON_COUNT)
                return vc_fail(e, "invoke %s: unknown throttle reason code %" PRIu32, fname, res.throttle_reason);
            throttled[res.throttle_reason]++;
            continue;
        }
        started++;
        if (list == NULL) {
            r->many = grow(r->many, &r->cap_many, r->n_many, sizeof *r->many);
            list = &r->many[r->n_many++];
            *list = (many_entry){fname, NULL, 0, 0};
        }
        list->items = grow(list->items, &list->cap, list->len, sizeof *list->items);
        list->items[list->len++] = res.invocation;
    }
    char ectx[96];
    uint64_t want;
    snprintf(ectx, sizeof ectx, "%s expect", ctx);
    int rc = vc_opt_u64(ex, "started", ectx, &want, e);
    if (rc < 0) return -1;
    if (rc == 1) eq_u64(r, "started", started, want);
    const json_value *t = json_get(ex, "throttled");
    if (t != NULL) {
        snprintf(ectx, sizeof ectx, "%s expect.throttled", ctx);
        if (vc_object(t, ectx, e) != 0 || reason_keys(t, ectx, e) != 0) return -1;
        for (uint32_t reason = 0; reason < LSIM_THROTTLE_REASON_COUNT; reason++) {
            const char *name = lsim_throttle_reason_str(reason);
            char what[96];
            want = 0;
            if (vc_opt_u64(t, name, ectx, &want, e) < 0) return -1;
            snprintf(what, sizeof what, "throttled.%s", name);
            eq_u64(r, what, throttled[reason], want);
        }
    }
    return 0;
}

static int op_finish(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *id, *oname = "Success", *want_error = NULL;
    uint64_t want_dur = 0;
    int want_kept = 0;
    if (vc_req_str(s, "id", ctx, &id, e) != 0 || vc_opt_str(s, "outcome", ctx, &oname, e) < 0) return -1;
    const inv_entry *inv = NULL;
    for (size_t i = 0; i < r->n_invs && inv == NULL; i++)
        if (strcmp(r->invs[i].id, id) == 0) inv = &r->invs[i];
    if (inv == NULL)
        return vc_fail(e, "no started invocation has id `%s` (an `invoke` with this id must start first)", id);
    int outcome = outcome_code(oname);
    if (outcome < 0) return vc_fail(e, "unknown outcome `%s`", oname);
    lsim_finish_result fin;
    memset(&fin, 0, sizeof fin);
    lsim_status st = lsim_finish(r->region, at, inv->inv, (uint32_t)outcome, &fin);
    if (ex == NULL) {
        if (st != LSIM_STATUS_OK) return vc_fail(e, "finish %s failed: %s", id, error_name(st));
        return 0;
    }
    char ectx[96];
    snprintf(ectx, sizeof ectx, "%s expect", ctx);
    int h_err = vc_opt_str(ex, "error", ectx, &want_error, e);
    int h_dur = vc_opt_u64(ex, "duration_us", ectx, &want_dur, e);
    int h_kept = vc_opt_bool(ex, "env_kept", ectx, &want_kept, e);
    if (h_err < 0 || h_dur < 0 || h_kept < 0) return -1;
    if (st != LSIM_STATUS_OK && h_err) {
        eq_str(r, "error", error_name(st), want_error);
    } else if (st != LSIM_STATUS_OK) {
        mismatch(r, "finish %s failed with %s, expected success", id, error_name(st));
    } else if (h_err) {
        mismatch(r, "finish %s succeeded (duration_us %" PRIu64 ", env_kept %" PRIu32 "), expected error %s", id,
                 fin.duration_us, fin.env_kept, want_error);
    } else {
        if (h_dur) eq_u64(r, "duration_us", fin.duration_us, want_dur);
        if (h_kept) eq_flag(r, "env_kept", fin.env_kept, want_kept);
    }
    return 0;
}

static int op_finish_all(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *fname;
    uint64_t finished = 0, want;
    if (vc_req_str(s, "function", ctx, &fname, e) != 0) return -1;
    many_entry list = {fname, NULL, 0, 0};
    for (size_t i = 0; i < r->n_many; i++) {
        if (strcmp(r->many[i].function, fname) == 0) {
            list = r->many[i];
            r->many[i] = r->many[--r->n_many];
            break;
        }
    }
    int rc = 0;
    for (size_t i = 0; i < list.len && rc == 0; i++) {
        lsim_finish_result fin;
        lsim_status st = lsim_finish(r->region, at, list.items[i], LSIM_OUTCOME_SUCCESS, &fin);
        if (st == LSIM_STATUS_OK) finished++;
        else if (st != LSIM_STATUS_TIMED_OUT) /* already ended by the region at its timeout */
            rc = vc_fail(e, "finish_all %s: finishing invocation %zu failed: %s", fname, i, error_name(st));
    }
    free(list.items);
    if (rc != 0) return -1;
    char ectx[96];
    snprintf(ectx, sizeof ectx, "%s expect", ctx);
    rc = vc_opt_u64(ex, "finished", ectx, &want, e);
    if (rc < 0) return -1;
    if (rc == 1) eq_u64(r, "finished", finished, want);
    return 0;
}

/* put_reserved, put_provisioned, create_function. */
static int op_configure(runner *r, const char *op, const json_value *s, uint64_t at, const json_value *ex,
                        const char *ctx) {
    vc_error *e = &r->err;
    const char *fname, *want_error = NULL;
    lsim_status st;
    if (strcmp(op, "create_function") == 0) {
        const json_value *v = json_get(s, "function");
        char fctx[96];
        lsim_function_config config;
        lsim_function f;
        if (v == NULL) return vc_fail(e, "%s: missing `function`", ctx);
        snprintf(fctx, sizeof fctx, "%s function", ctx);
        if (vc_function_config(v, fctx, &fname, &config, e) != 0) return -1;
        if (find_fn(r, fname) != NULL) return vc_fail(e, "%s: function `%s` already exists in this vector", ctx, fname);
        st = lsim_function_create(r->region, at, &config, &f);
        if (st == LSIM_STATUS_OK) add_fn(r, fname, f);
    } else {
        if (vc_req_str(s, "function", ctx, &fname, e) != 0) return -1;
        lsim_function f = function_handle(r, fname);
        if (strcmp(op, "put_reserved") == 0) {
            const json_value *v = json_get(s, "reserved");
            uint32_t reserved = 0;
            if (v == NULL) return vc_fail(e, "%s: missing `reserved`", ctx);
            if (v->type != JSON_NULL && vc_opt_u32(s, "reserved", ctx, &reserved, e) < 0) return -1;
            st = lsim_function_put_reserved(r->region, at, f, v->type != JSON_NULL, reserved);
        } else {
            uint32_t provisioned = 0;
            int rc = vc_opt_u32(s, "provisioned", ctx, &provisioned, e);
            if (rc == 0) return vc_fail(e, "%s: missing `provisioned`", ctx);
            if (rc < 0) return -1;
            st = lsim_function_put_provisioned(r->region, at, f, provisioned);
        }
    }
    char ectx[96];
    snprintf(ectx, sizeof ectx, "%s expect", ctx);
    int h_err = vc_opt_str(ex, "error", ectx, &want_error, e);
    if (h_err < 0) return -1;
    if (st == LSIM_STATUS_OK && h_err) mismatch(r, "%s succeeded, expected error %s", op, want_error);
    else if (st != LSIM_STATUS_OK && h_err) eq_str(r, "error", error_name(st), want_error);
    else if (st != LSIM_STATUS_OK) mismatch(r, "%s failed: %s", op, error_name(st));
    return 0;
}

static const char *const STATS_KEYS[] = {
    "requests", "invocations", "warm_starts", "provisioned_starts", "partial_cold_starts", "full_cold_starts",
    "spillover", "succeeded", "errors", "timeouts", "envs_created", "envs_terminated", "init_failures", "throttles",
    NULL,
};

static const size_t STATS_OFFSETS[] = {
    offsetof(lsim_stats, requests),     offsetof(lsim_stats, invocations),
    offsetof(lsim_stats, warm_starts),  offsetof(lsim_stats, provisioned_starts),
    offsetof(lsim_stats, partial_cold_starts), offsetof(lsim_stats, full_cold_starts),
    offsetof(lsim_stats, spillover),    offsetof(lsim_stats, succeeded),
    offsetof(lsim_stats, errors),       offsetof(lsim_stats, timeouts),
    offsetof(lsim_stats, envs_created), offsetof(lsim_stats, envs_terminated),
    offsetof(lsim_stats, init_failures),
};

static const char *const COUNT_KEYS[] = {
    "busy", "busy_provisioned", "idle", "idle_provisioned", "creating", "initializing", "live", "shutting_down",
    "provisioned", "provisioned_allocated", "provisioned_status", NULL,
};

static const size_t COUNT_OFFSETS[] = {
    offsetof(lsim_function_counts, busy),          offsetof(lsim_function_counts, busy_provisioned),
    offsetof(lsim_function_counts, idle),          offsetof(lsim_function_counts, idle_provisioned),
    offsetof(lsim_function_counts, creating),      offsetof(lsim_function_counts, initializing),
    offsetof(lsim_function_counts, live),          offsetof(lsim_function_counts, shutting_down),
    offsetof(lsim_function_counts, provisioned),   offsetof(lsim_function_counts, provisioned_allocated),
};

/* ---- asynchronous invocation --------------------------------------------------- */

static int op_put_async_config(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *fname, *want_error = NULL;
    lsim_async_config c;
    if (vc_req_str(s, "function", ctx, &fname, e) != 0 || va_config(s, ctx, &c, e) != 0) return -1;
    lsim_status st = lsim_advance(r->region, at);
    if (st != LSIM_STATUS_OK) return vc_fail(e, "advance failed: %s", error_name(st));
    st = lsim_function_put_async_config(r->region, function_handle(r, fname), &c);
    if (vc_opt_str(ex, "error", ctx, &want_error, e) < 0) return -1;
    if (st != LSIM_STATUS_OK && want_error != NULL) eq_str(r, "error", error_name(st), want_error);
    else if (st != LSIM_STATUS_OK) mismatch(r, "put_async_config failed: %s", error_name(st));
    else if (want_error != NULL) mismatch(r, "put_async_config succeeded, expected error %s", want_error);
    return 0;
}

/* An event's status against an expectation (`state`, `attempts`, `due_at_us`, `reason`). */
static int check_event(runner *r, lsim_async_event ev, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *want_s;
    uint64_t want;
    lsim_async_event_status st;
    lsim_status rc = lsim_async_event_get_status(r->region, ev, &st);
    if (rc != LSIM_STATUS_OK) return vc_fail(e, "lsim_async_event_get_status failed: %s", lsim_status_str(rc));
    int h;
    if ((h = vc_opt_str(ex, "state", ctx, &want_s, e)) < 0) return -1;
    if (h) eq_str(r, "state", va_state_name(st.state), want_s);
    if ((h = vc_opt_u64(ex, "attempts", ctx, &want, e)) < 0) return -1;
    if (h) eq_u64(r, "attempts", st.attempts, want);
    if ((h = vc_opt_u64(ex, "due_at_us", ctx, &want, e)) < 0) return -1;
    if (h && st.state != LSIM_ASYNC_STATE_QUEUED) mismatch(r, "due_at_us: the event is %s, not queued", va_state_name(st.state));
    else if (h) eq_u64(r, "due_at_us", st.due_at_us, want);
    if ((h = vc_opt_str(ex, "reason", ctx, &want_s, e)) < 0) return -1;
    if (h) eq_str(r, "reason", va_reason_name(st.reason), want_s);
    return 0;
}

static int op_invoke_async(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *fname, *oname = "Success", *id = NULL, *want_error = NULL;
    uint64_t handler_us = 0;
    uint32_t failing = 255;
    if (vc_req_str(s, "function", ctx, &fname, e) != 0 || vc_opt_u64(s, "handler_us", ctx, &handler_us, e) < 0 ||
        vc_opt_str(s, "outcome", ctx, &oname, e) < 0 || vc_opt_u32(s, "failing_attempts", ctx, &failing, e) < 0 ||
        vc_opt_str(s, "id", ctx, &id, e) < 0 || vc_opt_str(ex, "error", ctx, &want_error, e) < 0)
        return -1;
    int outcome = outcome_code(oname);
    if (outcome < 0) return vc_fail(e, "unknown outcome `%s`", oname);
    lsim_async_event ev;
    lsim_status st =
        lsim_invoke_async(r->region, at, function_handle(r, fname), handler_us, (uint32_t)outcome, failing, &ev);
    if (st != LSIM_STATUS_OK && want_error != NULL) eq_str(r, "error", error_name(st), want_error);
    else if (st != LSIM_STATUS_OK) mismatch(r, "invoke_async failed: %s", error_name(st));
    else if (want_error != NULL) mismatch(r, "invoke_async accepted the event, expected error %s", want_error);
    if (st != LSIM_STATUS_OK || want_error != NULL) return 0;
    if (id != NULL) {
        r->events = grow(r->events, &r->cap_events, r->n_events, sizeof *r->events);
        r->events[r->n_events++] = (event_entry){id, ev};
    }
    return ex != NULL ? check_event(r, ev, ex, ctx) : 0;
}

static int op_async_event(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *id;
    if (vc_req_str(s, "id", ctx, &id, e) != 0) return -1;
    lsim_status st = lsim_advance(r->region, at);
    if (st != LSIM_STATUS_OK) return vc_fail(e, "advance failed: %s", error_name(st));
    for (size_t i = 0; i < r->n_events; i++)
        if (strcmp(r->events[i].id, id) == 0) return check_event(r, r->events[i].event, ex, ctx);
    return vc_fail(e, "no event has id `%s`", id);
}

static int check_async(runner *r, const json_value *v) {
    vc_error *e = &r->err;
    const char *ctx = "check expect.async";
    lsim_async_stats s;
    char what[96];
    uint64_t want, got;
    if (vc_object(v, ctx, e) != 0 || vc_allow_keys(v, VA_STATS_KEYS, ctx, e) != 0) return -1;
    lsim_status st = lsim_region_async_stats(r->region, &s);
    if (st != LSIM_STATUS_OK) return vc_fail(e, "lsim_region_async_stats failed: %s", lsim_status_str(st));
    for (size_t i = 0; i < VA_STATS_COUNT; i++) {
        int rc = vc_opt_u64(v, VA_STATS_KEYS[i], ctx, &want, e);
        if (rc < 0) return -1;
        if (rc == 0) continue;
        memcpy(&got, (const char *)&s + VA_STATS_OFFSETS[i], sizeof got);
        snprintf(what, sizeof what, "async.%s", VA_STATS_KEYS[i]);
        eq_u64(r, what, got, want);
    }
    return 0;
}

static int check_stats(runner *r, const json_value *v) {
    vc_error *e = &r->err;
    const char *ctx = "check expect.stats";
    lsim_stats s;
    char what[96];
    uint64_t want, got;
    if (vc_object(v, ctx, e) != 0 || vc_allow_keys(v, STATS_KEYS, ctx, e) != 0) return -1;
    lsim_status st = lsim_region_stats(r->region, &s);
    if (st != LSIM_STATUS_OK) return vc_fail(e, "lsim_region_stats failed: %s", lsim_status_str(st));
    for (size_t i = 0; i < sizeof STATS_OFFSETS / sizeof STATS_OFFSETS[0]; i++) {
        int rc = vc_opt_u64(v, STATS_KEYS[i], ctx, &want, e);
        if (rc < 0) return -1;
        if (rc == 0) continue;
        memcpy(&got, (const char *)&s + STATS_OFFSETS[i], sizeof got);
        snprintf(what, sizeof what, "stats.%s", STATS_KEYS[i]);
        eq_u64(r, what, got, want);
    }
    const json_value *t = json_get(v, "throttles");
    if (t == NULL) return 0;
    if (vc_object(t, "check expect.stats.throttles", e) != 0 || reason_keys(t, "check expect.stats.throttles", e) != 0)
        return -1;
    for (uint32_t reason = 0; reason < LSIM_THROTTLE_REASON_COUNT; reason++) {
        const char *name = lsim_throttle_reason_str(reason);
        want = 0; /* reasons not listed must be zero */
        if (vc_opt_u64(t, name, "check expect.stats.throttles", &want, e) < 0) return -1;
        snprintf(what, sizeof what, "stats.throttles.%s", name);
        eq_u64(r, what, s.throttles[reason], want);
    }
    return 0;
}

static int check_functions(runner *r, const json_value *v) {
    vc_error *e = &r->err;
    if (vc_object(v, "check expect.functions", e) != 0) return -1;
    for (size_t i = 0; i < v->as.object.len; i++) {
        const json_member *m = &v->as.object.members[i];
        const fn_entry *f = strlen(m->key) == m->key_len ? find_fn(r, m->key) : NULL;
        char ctx[160], what[160];
        lsim_function_counts c;
        if (f == NULL) return vc_fail(e, "check: unknown function `%s`", m->key);
        lsim_status st = lsim_function_get_counts(r->region, f->f, &c);
        if (st == LSIM_STATUS_UNKNOWN_FUNCTION) return vc_fail(e, "check: function `%s` no longer exists", m->key);
        if (st != LSIM_STATUS_OK) return vc_fail(e, "lsim_function_get_counts(%s) failed: %s", m->key, lsim_status_str(st));
        snprintf(ctx, sizeof ctx, "check expect.functions.%s", m->key);
        if (vc_object(&m->value, ctx, e) != 0 || vc_allow_keys(&m->value, COUNT_KEYS, ctx, e) != 0) return -1;
        for (size_t k = 0; k < sizeof COUNT_OFFSETS / sizeof COUNT_OFFSETS[0]; k++) {
            uint32_t want, got;
            int rc = vc_opt_u32(&m->value, COUNT_KEYS[k], ctx, &want, e);
            if (rc < 0) return -1;
            if (rc == 0) continue;
            memcpy(&got, (const char *)&c + COUNT_OFFSETS[k], sizeof got);
            snprintf(what, sizeof what, "functions.%s.%s", m->key, COUNT_KEYS[k]);
            eq_u64(r, what, got, want);
        }
        const char *want_status;
        int rc = vc_opt_str(&m->value, "provisioned_status", ctx, &want_status, e);
        if (rc < 0) return -1;
        if (rc == 1) {
            snprintf(what, sizeof what, "functions.%s.provisioned_status", m->key);
            eq_str(r, what, lsim_provisioned_status_str(c.provisioned_status), want_status);
        }
    }
    return 0;
}

static int op_check(runner *r, uint64_t at, const json_value *ex) {
    static const char *const KEYS[] = {"busy", "live", "unreserved_in_use", "unreserved_pool", "claimed"};
    vc_error *e = &r->err;
    const char *ctx = "check expect";
    lsim_region_counts counts;
    if (ex == NULL) return vc_fail(e, "a `check` step needs an `expect`");
    lsim_status st = lsim_advance(r->region, at);
    if (st != LSIM_STATUS_OK) return vc_fail(e, "advance failed: %s", error_name(st));
    st = lsim_region_get_counts(r->region, &counts);
    if (st != LSIM_STATUS_OK) return vc_fail(e, "lsim_region_get_counts failed: %s", lsim_status_str(st));
    const uint64_t got[] = {counts.busy, counts.live, counts.unreserved_in_use, counts.unreserved_pool, counts.claimed};
    for (size_t i = 0; i < 5; i++) {
        uint64_t want;
        int rc = vc_opt_u64(ex, KEYS[i], ctx, &want, e);
        if (rc < 0) return -1;
        if (rc == 1) eq_u64(r, KEYS[i], got[i], want);
    }
    const json_value *v = json_get(ex, "next_deadline_us");
    if (v != NULL) {
        uint64_t want = 0, deadline = 0;
        uint32_t has = 0;
        if (v->type != JSON_NULL && (v->type != JSON_NUMBER || !v->as.number.fits_uint64))
            return vc_fail(e, "%s: `next_deadline_us` must be an integer or null", ctx);
        if (v->type != JSON_NULL) want = v->as.number.u;
        st = lsim_next_deadline(r->region, &has, &deadline);
        if (st != LSIM_STATUS_OK) return vc_fail(e, "lsim_next_deadline failed: %s", lsim_status_str(st));
        r->compared++;
        if (has > 1 || has != (v->type != JSON_NULL) || (has && deadline != want)) {
            char g[32], w[32];
            if (has) snprintf(g, sizeof g, "%" PRIu64, deadline);
            else snprintf(g, sizeof g, "null (has_deadline %" PRIu32 ")", has);
            if (v->type != JSON_NULL) snprintf(w, sizeof w, "%" PRIu64, want);
            else snprintf(w, sizeof w, "null");
            mismatch(r, "next_deadline_us: got %s, expected %s", g, w);
        }
    }
    if ((v = json_get(ex, "stats")) != NULL && check_stats(r, v) != 0) return -1;
    if ((v = json_get(ex, "functions")) != NULL && check_functions(r, v) != 0) return -1;
    if ((v = json_get(ex, "async")) != NULL && check_async(r, v) != 0) return -1;
    return 0;
}

typedef struct vector_result {
    const char *name; /* the vector's `name` (NULL when unreadable) */
    long step;        /* the failing step; -1 for the file or its setup */
    char *message;    /* why it failed (malloc'd); NULL when it passed */
    size_t steps, assertions;
} vector_result;

/* ---- bills: the `bill` op and the pricing vectors ------------------------------ */

static const char *const BILL_EXPECT_KEYS[] = {"lines", "total_cents", "exact_total", "error", NULL};
static const char *const LINE_KEYS[] = {"kind", "architecture", "quantity", "cents", "amount", NULL};

/* A quantity: an integer or a string of decimal digits (up to 2^128 - 1). */
static int parse_quantity(const json_value *v, const char *ctx, lsim_u128 *out, vc_error *e) {
    char d[80];
    if (v->type == JSON_NUMBER && v->as.number.fits_uint64) {
        out->hi = 0;
        out->lo = v->as.number.u;
        return 0;
    }
    if (v->type != JSON_STRING || v->as.string.len == 0)
        return vc_fail(e, "%s: quantity must be an integer or a string of digits, found %s", ctx,
                       vc_describe(v, d, sizeof d));
    uint64_t hi = 0, lo = 0;
    for (size_t i = 0; i < v->as.string.len; i++) {
        char c = v->as.string.chars[i];
        if (c < '0' || c > '9') return vc_fail(e, "%s: quantity \"%s\" is not a string of digits", ctx, v->as.string.chars);
        /* (hi, lo) = (hi, lo) * 10 + digit, in two 64-bit halves. */
        uint64_t a = lo >> 32, b = lo & 0xFFFFFFFFu;
        uint64_t carry = (a * 10 + ((b * 10) >> 32)) >> 32;
        if (hi > (UINT64_MAX - carry) / 10) return vc_fail(e, "%s: quantity \"%s\" does not fit 128 bits", ctx, v->as.string.chars);
        hi = hi * 10 + carry;
        uint64_t low = lo * 10, sum = low + (uint64_t)(c - '0');
        if (sum < low) {
            if (hi == UINT64_MAX) return vc_fail(e, "%s: quantity \"%s\" does not fit 128 bits", ctx, v->as.string.chars);
            hi++;
        }
        lo = sum;
    }
    out->hi = hi;
    out->lo = lo;
    return 0;
}

static void money_string(lsim_money m, char *buf, size_t len) {
    size_t need = 0;
    lsim_status st = lsim_money_format(m, buf, len, &need);
    if (st != LSIM_STATUS_OK) snprintf(buf, len, "(lsim_money_format: %s)", lsim_status_str(st));
}

/* Checks a bill (status `st`; `b` meaningful on OK) against a bill expectation. */
static int check_bill(runner *r, lsim_status st, const lsim_bill *b, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *want_error = NULL, *want_exact = NULL;
    uint64_t want_total = 0;
    char what[64], got_s[64];
    if (vc_object(ex, ctx, e) != 0 || vc_allow_keys(ex, BILL_EXPECT_KEYS, ctx, e) != 0 || vc_js_safe(ex, ctx, e) != 0)
        return -1;
    if (ex->as.object.len == 0) return vc_fail(e, "%s: a bill expectation needs at least one key", ctx);
    int h_err = vc_opt_str(ex, "error", ctx, &want_error, e);
    if (h_err < 0) return -1;
    if (h_err && ex->as.object.len > 1) return vc_fail(e, "%s: `error` excludes every other key", ctx);
    /* Validate every expected line before comparing anything. */
    const json_value *lines = json_get(ex, "lines");
    if (lines != NULL && lines->type != JSON_ARRAY) return vc_fail(e, "%s: `lines` must be an array", ctx);
    for (size_t i = 0; lines != NULL && i < lines->as.array.len; i++) {
        const json_value *w = &lines->as.array.items[i];
        char lctx[128];
        lsim_u128 q;
        uint64_t c;
        const char *s;
        snprintf(lctx, sizeof lctx, "%s.lines[%zu]", ctx, i);
        if (vc_object(w, lctx, e) != 0 || vc_allow_keys(w, LINE_KEYS, lctx, e) != 0) return -1;
        for (const char *const *k = LINE_KEYS; *k != NULL; k++)
            if (json_get(w, *k) == NULL) return vc_fail(e, "%s: missing `%s`", lctx, *k);
        const json_value *arch = json_get(w, "architecture");
        if (vc_req_str(w, "kind", lctx, &s, e) != 0 || vc_req_str(w, "amount", lctx, &s, e) != 0 ||
            vc_req_u64(w, "cents", lctx, &c, e) != 0 || parse_quantity(json_get(w, "quantity"), lctx, &q, e) != 0 ||
            (arch->type != JSON_NULL && vc_req_str(w, "architecture", lctx, &s, e) != 0))
            return -1;
    }
    if (st != LSIM_STATUS_OK) {
        if (h_err) eq_str(r, "error", error_name(st), want_error);
        else mismatch(r, "bill failed with %s, expected a bill", error_name(st));
        return 0;
    }
    if (h_err) {
        mismatch(r, "bill succeeded (total %" PRIu64 " cents), expected error %s", b->total_cents, want_error);
        return 0;
    }
    if (lines != NULL) {
        eq_u64(r, "lines.len", b->line_count, lines->as.array.len);
        for (size_t i = 0; i < lines->as.array.len && i < b->line_count && i < LSIM_BILL_MAX_LINES; i++) {
            const json_value *w = &lines->as.array.items[i];
            const lsim_bill_line *g = &b->lines[i];
            const char *kind, *amount, *arch = NULL;
            uint64_t cents;
            lsim_u128 q;
            vc_req_str(w, "kind", "line", &kind, e);
            vc_req_str(w, "amount", "line", &amount, e);
            vc_req_u64(w, "cents", "line", &cents, e);
            parse_quantity(json_get(w, "quantity"), "line", &q, e);
            if (json_get(w, "architecture")->type != JSON_NULL) vc_req_str(w, "architecture", "line", &arch, e);
            snprintf(what, sizeof what, "lines[%zu].kind", i);
            eq_str(r, what, lsim_line_kind_str(g->kind), kind);
            snprintf(what, sizeof what, "lines[%zu].architecture", i);
            eq_str(r, what, g->architecture == LSIM_ARCH_NONE ? "null" : lsim_architecture_str(g->architecture),
                   arch != NULL ? arch : "null");
            snprintf(what, sizeof what, "lines[%zu].quantity", i);
            r->compared++;
            if (g->quantity.hi != q.hi || g->quantity.lo != q.lo)
                mismatch(r, "%s: got (hi %" PRIu64 ", lo %" PRIu64 "), expected (hi %" PRIu64 ", lo %" PRIu64 ")", what,
                         g->quantity.hi, g->quantity.lo, q.hi, q.lo);
            snprintf(what, sizeof what, "lines[%zu].cents", i);
            eq_u64(r, what, g->cents, cents);
            snprintf(what, sizeof what, "lines[%zu].amount", i);
            money_string(g->amount, got_s, sizeof got_s);
            eq_str(r, what, got_s, amount);
        }
    }
    int rc = vc_opt_u64(ex, "total_cents", ctx, &want_total, e);
    if (rc < 0) return -1;
    if (rc == 1) eq_u64(r, "total_cents", b->total_cents, want_total);
    rc = vc_opt_str(ex, "exact_total", ctx, &want_exact, e);
    if (rc < 0) return -1;
    if (rc == 1) {
        money_string(b->exact_total, got_s, sizeof got_s);
        eq_str(r, "exact_total", got_s, want_exact);
    }
    return 0;
}

/* The `bill` op: advance to at_us, then the region's (or one function's) bill. */
static int op_bill(runner *r, const json_value *s, uint64_t at, const json_value *ex, const char *ctx) {
    vc_error *e = &r->err;
    const char *fname = NULL, *prices_name = "us-east-1";
    uint32_t prices = LSIM_PRICES_US_EAST_1;
    int free_tier = 0;
    int h_fn = vc_opt_str(s, "function", ctx, &fname, e);
    if (h_fn < 0 || vc_opt_str(s, "prices", ctx, &prices_name, e) < 0 || vc_opt_bool(s, "free_tier", ctx, &free_tier, e) < 0)
        return -1;
    if (vc_prices(prices_name, &prices) != 0) return vc_fail(e, "%s: unknown prices \"%s\"", ctx, prices_name);
    lsim_status st = lsim_advance(r->region, at);
    if (st != LSIM_STATUS_OK) return vc_fail(e, "advance failed: %s", error_name(st));
    lsim_bill b;
    memset(&b, 0, sizeof b);
    st = h_fn ? lsim_function_bill(r->region, function_handle(r, fname), prices, (uint32_t)free_tier, &b)
              : lsim_region_bill(r->region, prices, (uint32_t)free_tier, &b);
    if (ex == NULL) return st == LSIM_STATUS_OK ? 0 : vc_fail(e, "bill failed: %s", error_name(st));
    char ectx[96];
    snprintf(ectx, sizeof ectx, "%s expect", ctx);
    return check_bill(r, st, &b, ex, ectx);
}

static const char *const PRICING_TOP_KEYS[] = {"name", "spec", "description", "prices", "free_tier", "invocations",
                                               "provisioned", "expect", NULL};
static const char *const INVOCATION_KEYS[] = {"architecture", "memory_mb", "ephemeral_mb", "class",
                                              "granularity", "requests", "duration_us", NULL};
static const char *const PROVISIONED_KEYS[] = {"architecture", "memory_mb", "provisioned", "enabled_us", NULL};

/* The optional architecture of a usage object (x86_64 when missing). */
static int usage_arch(const json_value *o, const char *ctx, uint32_t *out, vc_error *e) {
    const char *s = NULL;
    int rc = vc_opt_str(o, "architecture", ctx, &s, e);
    if (rc < 0) return -1;
    if (rc == 1 && vc_architecture(s, out) != 0)
        return vc_fail(e, "%s.architecture: expected \"x86_64\" or \"arm64\", found \"%s\"", ctx, s);
    return 0;
}

/* The array `key` of a pricing vector (missing: empty). */
static int usage_array(const json_value *root, const char *key, const json_value **out, size_t *len, vc_error *e) {
    const json_value *v = json_get(root, key);
    *out = NULL;
    *len = 0;
    if (v == NULL) return 0;
    if (v->type != JSON_ARRAY) return vc_fail(e, "`%s` must be an array", key);
    *out = v->as.array.items;
    *len = v->as.array.len;
    return 0;
}

/* Runs one pricing vector (tests/vectors/README.md, "Pricing vectors") through lsim_bill_usage. */
static void run_pricing(const json_value *root, vector_result *out) {
    runner r;
    vc_error *e = &r.err;
    memset(&r, 0, sizeof r);
    memset(out, 0, sizeof *out);
    out->step = -1;
    lsim_invocation_usage *items = NULL;
    lsim_provisioned_usage *spans = NULL;
    const json_value *iv, *pv;
    size_t n_items = 0, n_spans = 0;
    const char *text = NULL, *prices_name = "us-east-1";
    uint32_t prices = LSIM_PRICES_US_EAST_1;
    int free_tier = 0;
    if (vc_object(root, "vector", e) != 0 || vc_allow_keys(root, PRICING_TOP_KEYS, "vector", e) != 0 ||
        vc_js_safe(root, "vector", e) != 0 || vc_req_str(root, "name", "vector", &out->name, e) != 0 ||
        vc_opt_str(root, "spec", "vector", &text, e) < 0 || vc_opt_str(root, "description", "vector", &text, e) < 0 ||
        vc_opt_str(root, "prices", "vector", &prices_name, e) < 0 ||
        vc_opt_bool(root, "free_tier", "vector", &free_tier, e) < 0 ||
        usage_array(root, "invocations", &iv, &n_items, e) != 0 || usage_array(root, "provisioned", &pv, &n_spans, e) != 0)
        goto failed;
    if (vc_prices(prices_name, &prices) != 0) {
        vc_fail(e, "unknown prices \"%s\"", prices_name);
        goto failed;
    }
    if (json_get(root, "expect") == NULL) {
        vc_fail(e, "missing `expect`");
        goto failed;
    }
    items = calloc(n_items ? n_items : 1, sizeof *items);
    spans = calloc(n_spans ? n_spans : 1, sizeof *spans);
    if (items == NULL || spans == NULL) out_of_memory();
    for (size_t i = 0; i < n_items; i++) {
        char ctx[48];
        const char *s = NULL;
        lsim_invocation_usage *u = &items[i];
        snprintf(ctx, sizeof ctx, "invocations[%zu]", i);
        lsim_invocation_usage_default(u);
        if (vc_object(&iv[i], ctx, e) != 0 || vc_allow_keys(&iv[i], INVOCATION_KEYS, ctx, e) != 0 ||
            usage_arch(&iv[i], ctx, &u->architecture, e) != 0 ||
            vc_opt_u32(&iv[i], "memory_mb", ctx, &u->memory_mb, e) < 0 ||
            vc_opt_u32(&iv[i], "ephemeral_mb", ctx, &u->ephemeral_mb, e) < 0 ||
            vc_req_u64(&iv[i], "requests", ctx, &u->requests, e) != 0 ||
            vc_req_u64(&iv[i], "duration_us", ctx, &u->duration_us, e) != 0)
            goto failed;
        int rc = vc_opt_str(&iv[i], "class", ctx, &s, e);
        if (rc < 0) goto failed;
        if (rc == 1 && strcmp(s, "on_demand") == 0) u->usage_class = LSIM_USAGE_ON_DEMAND;
        else if (rc == 1 && strcmp(s, "provisioned") == 0) u->usage_class = LSIM_USAGE_PROVISIONED;
        else if (rc == 1) {
            vc_fail(e, "%s.class: expected \"on_demand\" or \"provisioned\", found \"%s\"", ctx, s);
            goto failed;
        }
        rc = vc_opt_str(&iv[i], "granularity", ctx, &s, e);
        if (rc < 0) goto failed;
        if (rc == 1 && vc_granularity(s, &u->granularity) != 0) {
            vc_fail(e, "%s.granularity: expected \"1ms\" or \"100ms\", found \"%s\"", ctx, s);
            goto failed;
        }
    }
    for (size_t i = 0; i < n_spans; i++) {
        char ctx[48];
        lsim_provisioned_usage *p = &spans[i];
        snprintf(ctx, sizeof ctx, "provisioned[%zu]", i);
        lsim_provisioned_usage_default(p);
        uint64_t pc = 0;
        if (vc_object(&pv[i], ctx, e) != 0 || vc_allow_keys(&pv[i], PROVISIONED_KEYS, ctx, e) != 0 ||
            usage_arch(&pv[i], ctx, &p->architecture, e) != 0 ||
            vc_opt_u32(&pv[i], "memory_mb", ctx, &p->memory_mb, e) < 0 ||
            vc_req_u64(&pv[i], "provisioned", ctx, &pc, e) != 0 ||
            vc_req_u64(&pv[i], "enabled_us", ctx, &p->enabled_us, e) != 0)
            goto failed;
        if (pc > UINT32_MAX) {
            vc_fail(e, "%s: `provisioned` does not fit 32 bits", ctx);
            goto failed;
        }
        p->provisioned = (uint32_t)pc;
    }
    lsim_bill b;
    memset(&b, 0, sizeof b);
    lsim_status st = lsim_bill_usage(items, n_items, spans, n_spans, prices, (uint32_t)free_tier, &b);
    if (check_bill(&r, st, &b, json_get(root, "expect"), "expect") != 0) goto failed;
    if (r.found.len > 0) {
        vc_fail(e, "%s", r.found.p);
        goto failed;
    }
    out->steps = 1;
    out->assertions = r.compared;
    goto done;
failed:
    out->message = malloc(strlen(e->msg) + 1);
    if (out->message == NULL) out_of_memory();
    strcpy(out->message, e->msg);
done:
    free(items);
    free(spans);
    free(r.found.p);
}

/* ---- steps and vectors ------------------------------------------------------- */

typedef struct op_spec {
    const char *op;
    const char *const fields[10]; /* allowed step keys, NULL-terminated */
    const char *const expect[10]; /* allowed expect keys, NULL-terminated */
} op_spec;

#define STEP_KEYS "at_us", "op", "expect"
static const op_spec OPS[] = {
    {"invoke", {STEP_KEYS, "function", "id", "init_us", NULL},
     {"start", "env", "on_provisioned", "init_us", "ready_at_us", "throttle", "error", NULL}},
    {"invoke_for", {STEP_KEYS, "function", "id", "init_us", "handler_us", "outcome", NULL},
     {"start", "env", "on_provisioned", "init_us", "ready_at_us", "throttle", "error", NULL}},
    {"invoke_many", {STEP_KEYS, "function", "count", NULL}, {"started", "throttled", NULL}},
    {"finish", {STEP_KEYS, "id", "outcome", NULL}, {"error", "duration_us", "env_kept", NULL}},
    {"finish_all", {STEP_KEYS, "function", NULL}, {"finished", NULL}},
    {"advance", {STEP_KEYS, NULL}, {NULL}},
    {"put_reserved", {STEP_KEYS, "function", "reserved", NULL}, {"error", NULL}},
    {"put_provisioned", {STEP_KEYS, "function", "provisioned", NULL}, {"error", NULL}},
    {"create_function", {STEP_KEYS, "function", NULL}, {"error", NULL}},
    {"bill", {STEP_KEYS, "function", "prices", "free_tier", NULL},
     {"lines", "total_cents", "exact_total", "error", NULL}},
    {"check", {STEP_KEYS, NULL},
     {"busy", "live", "unreserved_in_use", "unreserved_pool", "claimed", "next_deadline_us", "stats", "functions",
      "async", NULL}},
    {"put_async_config",
     {STEP_KEYS, "function", "max_retry_attempts", "max_event_age_s", "dead_letter_queue", "on_failure", "on_success",
      NULL},
     {"error", NULL}},
    {"invoke_async", {STEP_KEYS, "function", "handler_us", "outcome", "failing_attempts", "id", NULL},
     {"state", "attempts", "due_at_us", "reason", "error", NULL}},
    {"async_event", {STEP_KEYS, "id", NULL}, {"state", "attempts", "due_at_us", "reason", "error", NULL}},
};

/* Runs one step: 0, or -1 with the reason in r->err. Mismatches go to r->found. */
static int step(runner *r, const json_value *s, uint64_t *last_at) {
    vc_error *e = &r->err;
    const char *op;
    uint64_t at;
    char ctx[64]; /* "`op` step": short, so "<ctx> expect.throttled" fits the 96-byte buffers */
    if (vc_object(s, "step", e) != 0 || vc_req_str(s, "op", "step", &op, e) != 0) return -1;
    snprintf(ctx, sizeof ctx, "`%.40s` step", op);
    if (vc_req_u64(s, "at_us", ctx, &at, e) != 0) return -1;
    if (at < *last_at)
        return vc_fail(e, "at_us %" PRIu64 " is before the previous step's %" PRIu64, at, *last_at);
    const op_spec *spec = NULL;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0] && spec == NULL; i++)
        if (strcmp(OPS[i].op, op) == 0) spec = &OPS[i];
    if (spec == NULL) return vc_fail(e, "unknown op `%s`", op);
    if (vc_allow_keys(s, spec->fields, ctx, e) != 0) return -1;
    const json_value *ex = json_get(s, "expect");
    char ectx[112];
    snprintf(ectx, sizeof ectx, "%s expect", ctx);
    if (ex != NULL && (vc_object(ex, ectx, e) != 0 || vc_allow_keys(ex, spec->expect, ectx, e) != 0)) return -1;
    int rc;
    if (strcmp(op, "invoke") == 0) rc = op_invoke(r, s, at, ex, ctx, 0);
    else if (strcmp(op, "invoke_for") == 0) rc = op_invoke(r, s, at, ex, ctx, 1);
    else if (strcmp(op, "invoke_many") == 0) rc = op_invoke_many(r, s, at, ex, ctx);
    else if (strcmp(op, "finish") == 0) rc = op_finish(r, s, at, ex, ctx);
    else if (strcmp(op, "finish_all") == 0) rc = op_finish_all(r, s, at, ex, ctx);
    else if (strcmp(op, "check") == 0) rc = op_check(r, at, ex);
    else if (strcmp(op, "bill") == 0) rc = op_bill(r, s, at, ex, ctx);
    else if (strcmp(op, "put_async_config") == 0) rc = op_put_async_config(r, s, at, ex, ctx);
    else if (strcmp(op, "invoke_async") == 0) rc = op_invoke_async(r, s, at, ex, ctx);
    else if (strcmp(op, "async_event") == 0) rc = op_async_event(r, s, at, ex, ctx);
    else if (strcmp(op, "advance") == 0) {
        lsim_status st = lsim_advance(r->region, at);
        rc = st == LSIM_STATUS_OK ? 0 : vc_fail(e, "advance failed: %s", error_name(st));
    } else rc = op_configure(r, op, s, at, ex, ctx);
    if (rc == 0) *last_at = at;
    return rc;
}

/* 0 when the region's invariants hold, else -1 with the violation in r->err. */
static int region_check(runner *r, const char *when) {
    lsim_status st = lsim_region_check(r->region);
    if (st == LSIM_STATUS_OK) return 0;
    char msg[512] = "";
    size_t len = 0;
    lsim_status st2 = lsim_region_check_message(r->region, msg, sizeof msg, &len);
    if (st2 != LSIM_STATUS_OK && st2 != LSIM_STATUS_BUFFER_TOO_SMALL) snprintf(msg, sizeof msg, "(no message: %s)", lsim_status_str(st2));
    return vc_fail(&r->err, "invariant violated %s: %s: %s", when, lsim_status_str(st), msg);
}

static const char *const TOP_KEYS[] = {"name", "spec", "description", "region", "functions", "steps", NULL};

static void run_vector(const json_value *root, vector_result *out) {
    runner r;
    vc_error *e = &r.err;
    memset(&r, 0, sizeof r);
    memset(out, 0, sizeof *out);
    out->step = -1;
    lsim_region_config rc;
    const char *text = NULL;
    if (vc_object(root, "vector", e) != 0 || vc_allow_keys(root, TOP_KEYS, "vector", e) != 0 ||
        vc_req_str(root, "name", "vector", &out->name, e) != 0 || vc_opt_str(root, "spec", "vector", &text, e) < 0 ||
        vc_opt_str(root, "description", "vector", &text, e) < 0 || vc_region_config(json_get(root, "region"), &rc, e) != 0)
        goto failed;
    lsim_status st = lsim_region_new(&rc, &r.region);
    if (st != LSIM_STATUS_OK) {
        vc_fail(e, "region rejected: %s", error_name(st));
        goto failed;
    }
    uint32_t slots = 0;
    int has_queue = va_queue(json_get(root, "region"), &slots, e);
    if (has_queue < 0) goto failed;
    if (has_queue && (st = lsim_region_attach_async_queue(r.region, slots)) != LSIM_STATUS_OK) {
        vc_fail(e, "lsim_region_attach_async_queue(%" PRIu32 ") failed: %s", slots, error_name(st));
        goto failed;
    }
    const json_value *fns = json_get(root, "functions");
    if (fns != NULL && fns->type != JSON_ARRAY) {
        vc_fail(e, "`functions` must be an array");
        goto failed;
    }
    for (size_t i = 0; fns != NULL && i < fns->as.array.len; i++) {
        char ctx[48];
        const char *name;
        lsim_function_config config;
        lsim_function f;
        snprintf(ctx, sizeof ctx, "functions[%zu]", i);
        if (vc_function_config(&fns->as.array.items[i], ctx, &name, &config, e) != 0) goto failed;
        if (find_fn(&r, name) != NULL) {
            vc_fail(e, "%s: duplicate function name `%s`", ctx, name);
            goto failed;
        }
        st = lsim_function_create(r.region, 0, &config, &f);
        if (st != LSIM_STATUS_OK) {
            vc_fail(e, "%s: create_function(%s) failed: %s", ctx, name, error_name(st));
            goto failed;
        }
        add_fn(&r, name, f);
    }
    if (region_check(&r, "after setup") != 0) goto failed;
    const json_value *steps = json_get(root, "steps");
    if (steps == NULL || steps->type != JSON_ARRAY) {
        vc_fail(e, "`steps` must be an array");
        goto failed;
    }
    if (steps->as.array.len == 0) {
        vc_fail(e, "no steps");
        goto failed;
    }
    uint64_t last_at = 0;
    for (size_t i = 0; i < steps->as.array.len; i++) {
        out->step = (long)i;
        r.found.len = 0;
        r.compared = 0;
        if (step(&r, &steps->as.array.items[i], &last_at) != 0) goto failed;
        r.assertions += r.compared;
        if (r.found.len > 0) {
            vc_fail(e, "%s", r.found.p);
            goto failed;
        }
        if (region_check(&r, "after the step") != 0) goto failed;
    }
    out->steps = steps->as.array.len;
    out->assertions = r.assertions;
    if (r.assertions == 0) {
        out->step = -1;
        vc_fail(e, "the vector asserts nothing");
        goto failed;
    }
    goto done;
failed:
    out->message = malloc(strlen(e->msg) + 1);
    if (out->message == NULL) out_of_memory();
    strcpy(out->message, e->msg);
done:
    st = lsim_region_free(r.region);
    if (st != LSIM_STATUS_OK) {
        fprintf(stderr, "lsim_region_free failed: %s\n", lsim_status_str(st));
        exit(2);
    }
    for (size_t i = 0; i < r.n_many; i++) free(r.many[i].items);
    free(r.many);
    free(r.fns);
    free(r.invs);
    free(r.labels);
    free(r.events);
    free(r.found.p);
}

static void print_failure(const char *file, const vector_result *res) {
    if (res->step >= 0) printf("FAIL %s: step %ld: %s\n", file, res->step, res->message);
    else printf("FAIL %s: %s\n", file, res->message);
}

/* ---- self-checks: a runner that cannot fail proves nothing ----------------- */

typedef struct self_check {
    const char *file;
    const char *text;
    long step;          /* where it must fail */
    const char *needle; /* what the message must name */
} self_check;

/* With an asynchronous queue and a function that starts instantly. */
#define AHEAD                                                                                                  \
    "{\"name\": \"self\", \"spec\": \"-\", \"description\": \"-\", \"region\": {\"async_queue\": 2}, "             \
    "\"functions\": [{\"name\": \"f\", \"sandbox_us\": 0, \"package_mb\": 0, \"init_us\": 0}], \"steps\": ["
#define HEAD "{\"name\": \"self\", \"spec\": \"-\", \"description\": \"-\", \"functions\": [{\"name\": \"f\"}], \"steps\": ["
static const self_check SELF_CHECKS[] = {
    {"wrong-start.json",
     HEAD "{\"at_us\": 0, \"op\": \"invoke\", \"function\": \"f\", \"expect\": {\"start\": \"FullCold\"}},"
          "{\"at_us\": 0, \"op\": \"invoke\", \"function\": \"f\", \"expect\": {\"start\": \"Warm\"}}]}",
     1, "start"},
    {"typo.json", HEAD "{\"at_us\": 0, \"op\": \"check\", \"expect\": {\"bussy\": 0}}]}", 0, "bussy"},
    {"same-label.json",
     HEAD "{\"at_us\": 0, \"op\": \"invoke\", \"function\": \"f\", \"expect\": {\"env\": \"A\"}},"
          "{\"at_us\": 0, \"op\": \"invoke\", \"function\": \"f\", \"expect\": {\"env\": \"A\"}}]}",
     1, "env"},
    {"two-labels.json",
     HEAD "{\"at_us\": 0, \"op\": \"invoke\", \"function\": \"f\", \"id\": \"a\", \"expect\": {\"env\": \"A\"}},"
          "{\"at_us\": 1000000, \"op\": \"finish\", \"id\": \"a\"},"
          "{\"at_us\": 1000000, \"op\": \"invoke\", \"function\": \"f\", \"expect\": {\"env\": \"B\"}}]}",
     2, "env"},
    {"wrong-error.json",
     HEAD "{\"at_us\": 0, \"op\": \"invoke\", \"function\": \"g\", \"expect\": {\"error\": \"NotReady\"}}]}", 0,
     "UnknownFunction"},
    {"throttle-reason.json",
     HEAD "{\"at_us\": 0, \"op\": \"check\", \"expect\": {\"stats\": {\"throttles\": {\"Nope\": 1}}}}]}", 0, "Nope"},
    {"wrong-bill.json",
     HEAD "{\"at_us\": 0, \"op\": \"invoke\", \"function\": \"f\", \"id\": \"a\"},"
          "{\"at_us\": 1000000, \"op\": \"finish\", \"id\": \"a\"},"
          "{\"at_us\": 1000000, \"op\": \"bill\", \"expect\": {\"lines\": ["
          "{\"kind\": \"Requests\", \"architecture\": null, \"quantity\": 2, \"cents\": 0, \"amount\": \"0.0000002000\"}]}}]}",
     2, "quantity"},
    {"bill-typo.json", HEAD "{\"at_us\": 0, \"op\": \"bill\", \"free_teir\": true}]}", 0, "free_teir"},
    {"invoke-for-no-handler.json", HEAD "{\"at_us\": 0, \"op\": \"invoke_for\", \"function\": \"f\"}]}", 0,
     "handler_us"},
    {"invoke-for-outcome.json",
     HEAD "{\"at_us\": 0, \"op\": \"invoke_for\", \"function\": \"f\", \"handler_us\": 1, \"outcome\": \"Oops\"}]}",
     0, "Oops"},
    {"invoke-for-ends.json",
     HEAD "{\"at_us\": 0, \"op\": \"invoke_for\", \"function\": \"f\", \"handler_us\": 1000},"
          "{\"at_us\": 381000, \"op\": \"check\", \"expect\": {\"busy\": 1}}]}",
     1, "busy: got 0"},
    {"bill-unknown-function.json",
     HEAD "{\"at_us\": 0, \"op\": \"bill\", \"function\": \"g\", \"expect\": {\"total_cents\": 0}}]}", 0,
     "UnknownFunction"},
    {"async-due.json",
     AHEAD "{\"at_us\": 0, \"op\": \"invoke_async\", \"function\": \"f\", \"handler_us\": 1000000, "
           "\"outcome\": \"FunctionError\", \"id\": \"e\"},"
           "{\"at_us\": 1000000, \"op\": \"async_event\", \"id\": \"e\", \"expect\": {\"due_at_us\": 60000000}}]}",
     1, "due_at_us: got 61000000"},
    {"async-typo.json", AHEAD "{\"at_us\": 0, \"op\": \"check\", \"expect\": {\"async\": {\"queue\": 0}}}]}", 0,
     "queue"},
    {"async-state.json",
     AHEAD "{\"at_us\": 0, \"op\": \"invoke_async\", \"function\": \"f\", \"handler_us\": 1000000, "
           "\"expect\": {\"state\": \"Queued\"}}]}",
     0, "state"},
};

#define PHEAD "{\"name\": \"self\", \"free_tier\": true, "
static const self_check PRICING_SELF_CHECKS[] = {
    {"wrong-cent.json",
     PHEAD "\"invocations\": [{\"memory_mb\": 1536, \"requests\": 3000000, \"duration_us\": 120000}], "
           "\"expect\": {\"total_cents\": 274}}",
     -1, "total_cents: got 273, expected 274"},
    {"wrong-amount.json",
     PHEAD "\"invocations\": [{\"memory_mb\": 1536, \"requests\": 3000000, \"duration_us\": 120000}], "
           "\"expect\": {\"exact_total\": \"2.7333380001\"}}",
     -1, "exact_total"},
    {"pricing-typo.json", PHEAD "\"expect\": {\"total_cent\": 0}}", -1, "total_cent"},
    {"line-missing-key.json", PHEAD "\"expect\": {\"lines\": [{\"kind\": \"Requests\"}]}}", -1, "missing"},
    {"unsafe-integer.json", PHEAD "\"expect\": {\"total_cents\": 9007199254740992}}", -1, "2^53"},
    {"wrong-error.json",
     PHEAD "\"invocations\": [{\"memory_mb\": 127, \"requests\": 1, \"duration_us\": 1}], "
           "\"expect\": {\"error\": \"Overflow\"}}",
     -1, "MemoryBelowMinimum"},
};

static unsigned run_self_checks(void) {
    unsigned failed = 0;
    const size_t n_region = sizeof SELF_CHECKS / sizeof SELF_CHECKS[0];
    const size_t n_pricing = sizeof PRICING_SELF_CHECKS / sizeof PRICING_SELF_CHECKS[0];
    for (size_t i = 0; i < n_region + n_pricing; i++) {
        const self_check *c = i < n_region ? &SELF_CHECKS[i] : &PRICING_SELF_CHECKS[i - n_region];
        char err[256];
        json_value *root = json_parse(c->text, strlen(c->text), err, sizeof err);
        vector_result res = {NULL, -1, NULL, 0, 0};
        if (root != NULL && i < n_region) run_vector(root, &res);
        else if (root != NULL) run_pricing(root, &res);
        if (root == NULL || res.message == NULL || res.step != c->step || strstr(res.message, c->needle) == NULL) {
            printf("FAIL self-check %s: must fail at step %ld naming `%s`; got %s (step %ld)\n", c->file, c->step,
                   c->needle, root == NULL ? err : res.message ? res.message : "a pass", res.step);
            failed++;
        }
        free(res.message);
        json_free(root);
    }
    return failed;
}

/* ---- files ------------------------------------------------------------------- */

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted names of the regular *.json files of `dir`; -1 if unreadable. */
static int list_vectors(const char *dir, char ***names, size_t *count) {
    size_t cap = 0;
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "test_vectors: cannot open %s: %s\n", dir, strerror(errno));
        return -1;
    }
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (n <= 5 || strcmp(ent->d_name + n - 5, ".json") != 0) continue;
        sbuf path = {NULL, 0, 0};
        sb_printf(&path, "%s/%s", dir, ent->d_name);
        struct stat sb;
        int regular = stat(path.p, &sb) == 0 && S_ISREG(sb.st_mode);
        free(path.p);
        if (!regular) continue;
        *names = grow(*names, &cap, *count, sizeof **names);
        if (((*names)[*count] = strdup(ent->d_name)) == NULL) out_of_memory();
        (*count)++;
    }
    closedir(d);
    if (*count > 1) qsort(*names, *count, sizeof **names, compare_names);
    return 0;
}

/* Runs every *.json of `dir` with `run`; counts into *passed / *failed. */
static void run_dir(const char *dir, void (*run)(const json_value *, vector_result *), unsigned *passed,
                    unsigned *failed) {
    char **names;
    size_t count;
    if (list_vectors(dir, &names, &count) != 0) {
        (*failed)++;
        return;
    }
    if (count == 0) {
        fprintf(stderr, "test_vectors: no *.json vectors in %s\n", dir);
        (*failed)++;
    }
    for (size_t i = 0; i < count; i++) {
        sbuf path = {NULL, 0, 0};
        char err[512];
        sb_printf(&path, "%s/%s", dir, names[i]);
        json_value *root = json_parse_file(path.p, err, sizeof err);
        if (root == NULL) {
            printf("FAIL %s: invalid JSON: %s\n", names[i], err);
            (*failed)++;
        } else {
            vector_result res;
            run(root, &res);
            if (res.message == NULL) {
                printf("ok   %s (%zu steps, %zu assertions)\n", res.name, res.steps, res.assertions);
                (*passed)++;
            } else {
                print_failure(names[i], &res);
                (*failed)++;
            }
            free(res.message);
            json_free(root);
        }
        free(path.p);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "../../tests/vectors";
    if (argc > 2) {
        fprintf(stderr, "usage: %s [VECTOR_DIR]\n", argv[0]);
        return 2;
    }
    if (lsim_abi_version() != LSIM_ABI_VERSION) {
        fprintf(stderr, "ABI version mismatch: library %" PRIu32 ", header %d\n", lsim_abi_version(), LSIM_ABI_VERSION);
        return 1;
    }
    unsigned passed = 0, failed = run_self_checks();
    if (failed == 0)
        printf("ok   runner self-checks (%zu built-in wrong vectors fail as they must)\n",
               sizeof SELF_CHECKS / sizeof SELF_CHECKS[0] + sizeof PRICING_SELF_CHECKS / sizeof PRICING_SELF_CHECKS[0]);
    run_dir(dir, run_vector, &passed, &failed);
    sbuf pricing = {NULL, 0, 0};
    sb_printf(&pricing, "%s/pricing", dir);
    run_dir(pricing.p, run_pricing, &passed, &failed);
    free(pricing.p);
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
