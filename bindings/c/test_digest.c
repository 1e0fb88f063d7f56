/*
 * test_digest.c: the cross-language digest of tests/vectors/README.md
 * ("Digest") against the C ABI: a seeded operation sequence (SplitMix64)
 * whose outcomes are hashed (FNV-1a 64 over little-endian u64 values) and
 * compared with the digest stored in tests/vectors/digest/seeded-ops.json.
 * The Rust twin is tests/tests/digest.rs.
 *
 *   test_digest [SPEC]     SPEC defaults to ../../tests/vectors/digest/seeded-ops.json
 *
 * The last line is "N passed, M failed"; the exit status is non-zero on failure.
 */
#include "json.h"
#include "lambdasim.h"
#include "vector_config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* FNV-1a 64 over each value as 8 little-endian bytes. */
static void feed(uint64_t *h, const uint64_t *values, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (unsigned b = 0; b < 8; b++) {
            *h ^= (values[i] >> (8 * b)) & 0xFF;
            *h *= UINT64_C(0x100000001b3);
        }
}

#define FEED(h, ...)                                                         \
    do {                                                                     \
        const uint64_t feed_values_[] = {__VA_ARGS__};                       \
        feed((h), feed_values_, sizeof feed_values_ / sizeof feed_values_[0]); \
    } while (0)

static uint64_t invoke_error_code(lsim_status s) {
    switch (s) {
    case LSIM_STATUS_UNKNOWN_FUNCTION: return 1;
    case LSIM_STATUS_TIME_WENT_BACKWARDS: return 2;
    case LSIM_STATUS_CAPACITY_EXCEEDED: return 3;
    default: return 9;
    }
}

static uint64_t finish_error_code(lsim_status s) {
    switch (s) {
    case LSIM_STATUS_UNKNOWN_INVOCATION: return 1;
    case LSIM_STATUS_TIMED_OUT: return 2;
    case LSIM_STATUS_NOT_READY: return 3;
    default: return 9;
    }
}

/* (x >> 48) % 8: 0..=4 Success, 5 FunctionError, 6 Timeout, 7 Crash. */
static const uint32_t OUTCOMES[8] = {
    LSIM_OUTCOME_SUCCESS, LSIM_OUTCOME_SUCCESS,        LSIM_OUTCOME_SUCCESS, LSIM_OUTCOME_SUCCESS,
    LSIM_OUTCOME_SUCCESS, LSIM_OUTCOME_FUNCTION_ERROR, LSIM_OUTCOME_TIMEOUT, LSIM_OUTCOME_CRASH,
};

typedef struct open_invocation {
    lsim_invocation invocation;
    uint64_t ready_at_us;
} open_invocation;

#define MAX_FUNCTIONS 64

/* A failed C ABI call that must succeed: reports it and returns -1. */
static int call_failed(vc_error *err, const char *what, uint64_t step, lsim_status st) {
    return vc_fail(err, "step %" PRIu64 ": %s failed: %s", step, what, lsim_status_str(st));
}

static int region_ok(const lsim_region *region, uint64_t step, vc_error *err) {
    lsim_status st = lsim_region_check(region);
    if (st == LSIM_STATUS_OK) return 0;
    char msg[512] = "";
    size_t len = 0;
    if (lsim_region_check_message(region, msg, sizeof msg, &len) != LSIM_STATUS_OK) msg[0] = '\0';
    return vc_fail(err, "step %" PRIu64 ": invariant violated: %s %s", step, lsim_status_str(st), msg);
}

/* Runs the generator of `spec` on `region`; 0 with *digest, or -1. */
static int run(lsim_region *region, const lsim_function *functions, size_t n_functions, uint64_t seed,
               uint64_t steps, uint64_t *digest, vc_error *err) {
    uint64_t state = seed, h = UINT64_C(0xcbf29ce484222325), now = 0;
    open_invocation *open = NULL;
    size_t n_open = 0, cap_open = 0;
    int rc = 0;
    for (uint64_t step = 0; step < steps && rc == 0; step++) {
        uint64_t x = splitmix64(&state);
        now += x % 50000;
        uint64_t kind = (x >> 20) % 10;
        if (kind <= 3) {
            lsim_invoke_result res;
            lsim_function f = functions[(x >> 32) % n_functions];
            lsim_status st = lsim_invoke(region, now, f, &res);
            if (st != LSIM_STATUS_OK) {
                FEED(&h, 9, invoke_error_code(st));
            } else if (res.throttled) {
                FEED(&h, 2, res.throttle_reason);
            } else {
                if (n_open == cap_open) {
                    size_t cap = cap_open ? cap_open * 2 : 64;
                    open_invocation *more = realloc(open, cap * sizeof *open);
                    if (more == NULL) {
                        rc = vc_fail(err, "out of memory");
                        break;
                    }
                    open = more;
                    cap_open = cap;
                }
                open[n_open++] = (open_invocation){res.invocation, res.ready_at_us};
                FEED(&h, 1, res.start_kind, res.env.index, res.init_us, res.ready_at_us, res.on_provisioned);
            }
        } else if (kind <= 8) {
            if (n_open == 0) {
                FEED(&h, 0);
            } else {
                size_t i = (size_t)((x >> 40) % n_open);
                if (now < open[i].ready_at_us) {
                    FEED(&h, 6); /* still cold-starting: leave it open */
                } else {
                    lsim_invocation inv = open[i].invocation;
                    open[i] = open[--n_open]; /* swap-remove */
                    lsim_finish_result fin;
                    lsim_status st = lsim_finish(region, now, inv, OUTCOMES[(x >> 48) % 8], &fin);
                    if (st == LSIM_STATUS_OK) FEED(&h, 3, fin.duration_us, fin.env_kept);
                    else FEED(&h, 8, finish_error_code(st));
                }
            }
        } else {
            uint32_t has = 0;
            uint64_t deadline = 0;
            lsim_status st = lsim_advance(region, now);
            if (st != LSIM_STATUS_OK) {
                rc = call_failed(err, "lsim_advance", step, st);
                break;
            }
            if ((st = lsim_next_deadline(region, &has, &deadline)) != LSIM_STATUS_OK) {
                rc = call_failed(err, "lsim_next_deadline", step, st);
                break;
            }
            FEED(&h, 4, has ? deadline : UINT64_MAX);
        }
        rc = region_ok(region, step, err);
    }
    free(open);
    if (rc != 0) return -1;
    lsim_region_counts counts;
    lsim_stats s;
    lsim_status st = lsim_region_get_counts(region, &counts);
    if (st != LSIM_STATUS_OK) return call_failed(err, "lsim_region_get_counts", steps, st);
    if ((st = lsim_region_stats(region, &s)) != LSIM_STATUS_OK) return call_failed(err, "lsim_region_stats", steps, st);
    uint64_t throttles = 0;
    for (size_t r = 0; r < LSIM_THROTTLE_REASON_COUNT; r++) throttles += s.throttles[r];
    FEED(&h, 5, counts.busy, counts.live, s.requests, s.invocations, throttles, s.full_cold_starts,
         s.partial_cold_starts, s.warm_starts, s.provisioned_starts, s.errors, s.timeouts, s.envs_created,
         s.envs_terminated);
    *digest = h;
    return 0;
}

static const char *const SPEC_KEYS[] = {"name", "description", "seed", "steps", "region", "functions", "digest", NULL};

/* Reads the spec, builds the region and runs it; 0 when the digest matches. */
static int check_digest(const json_value *spec, vc_error *err) {
    const char *want, *text;
    uint64_t seed, steps, got = 0;
    lsim_region_config rc;
    if (vc_object(spec, "digest spec", err) != 0 || vc_allow_keys(spec, SPEC_KEYS, "digest spec", err) != 0 ||
        vc_opt_str(spec, "name", "digest spec", &text, err) < 0 ||
        vc_opt_str(spec, "description", "digest spec", &text, err) < 0 ||
        vc_req_u64(spec, "seed", "digest spec", &seed, err) != 0 ||
        vc_req_u64(spec, "steps", "digest spec", &steps, err) != 0 ||
        vc_req_str(spec, "digest", "digest spec", &want, err) != 0 ||
        vc_region_config(json_get(spec, "region"), &rc, err) != 0)
        return -1;
    const json_value *fns = json_get(spec, "functions");
    if (fns == NULL || fns->type != JSON_ARRAY || fns->as.array.len == 0 || fns->as.array.len > MAX_FUNCTIONS)
        return vc_fail(err, "digest spec: `functions` must be an array of 1..=%d functions", MAX_FUNCTIONS);
    lsim_region *region = NULL;
    lsim_status st = lsim_region_new(&rc, &region);
    if (st != LSIM_STATUS_OK) return vc_fail(err, "lsim_region_new failed: %s", lsim_status_str(st));
    lsim_function functions[MAX_FUNCTIONS];
    int result = 0;
    for (size_t i = 0; i < fns->as.array.len && result == 0; i++) {
        char ctx[48];
        const char *name;
        lsim_function_config config;
        snprintf(ctx, sizeof ctx, "functions[%zu]", i);
        result = vc_function_config(&fns->as.array.items[i], ctx, &name, &config, err);
        if (result == 0 && (st = lsim_function_create(region, 0, &config, &functions[i])) != LSIM_STATUS_OK)
            result = vc_fail(err, "%s: lsim_function_create(%s) failed: %s", ctx, name, lsim_status_str(st));
    }
    if (result == 0) result = run(region, functions, fns->as.array.len, seed, steps, &got, err);
    if ((st = lsim_region_free(region)) != LSIM_STATUS_OK && result == 0)
        result = vc_fail(err, "lsim_region_free failed: %s", lsim_status_str(st));
    if (result != 0) return -1;
    char hex[24];
    snprintf(hex, sizeof hex, "0x%016" PRIx64, got);
    if (strcmp(hex, want) != 0)
        return vc_fail(err, "digest %s after %" PRIu64 " steps of seed %" PRIu64 ", expected %s", hex, steps, seed, want);
    printf("ok   digest %s (seed %" PRIu64 ", %" PRIu64 " steps)\n", hex, seed, steps);
    return 0;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "../../tests/vectors/digest/seeded-ops.json";
    if (argc > 2) {
        fprintf(stderr, "usage: %s [SPEC_JSON]\n", argv[0]);
        return 2;
    }
    if (lsim_abi_version() != LSIM_ABI_VERSION) {
        fprintf(stderr, "ABI version mismatch: library %" PRIu32 ", header %d\n", lsim_abi_version(), LSIM_ABI_VERSION);
        return 1;
    }
    /* The generator's building blocks against known values (SplitMix64 from
     * seed 0; FNV-1a 64 of the value 0, eight zero bytes). */
    unsigned passed = 0, failed = 0;
    uint64_t state = 0, fnv_zero = UINT64_C(0xcbf29ce484222325);
    FEED(&fnv_zero, 0);
    if (splitmix64(&state) != UINT64_C(0xe220a8397b1dcdaf) || splitmix64(&state) != UINT64_C(0x6e789e6aa1b965f4) ||
        fnv_zero != UINT64_C(0xa8c7f832281a39c5)) {
        printf("FAIL the SplitMix64 / FNV-1a building blocks give wrong values\n");
        failed++;
    }
    vc_error err;
    char msg[512];
    json_value *spec = json_parse_file(path, msg, sizeof msg);
    if (spec == NULL) {
        printf("FAIL %s\n", msg);
        failed++;
    } else if (check_digest(spec, &err) != 0) {
        printf("FAIL %s: %s\n", path, err.msg);
        failed++;
    } else {
        passed++;
    }
    json_free(spec);
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
