/*
 * test_sim.c: whole simulations through the C ABI (lsim_scenario_run and
 * the lsim_sim_result accessors).
 *
 *   test_sim [DIR]     DIR defaults to ../../tests/vectors/sim
 *
 * Runs every simulation vector of DIR (tests/vectors/README.md, "Simulation
 * vectors"): each scenario `<name>.toml` or `<name>.json` with the seed of
 * its `<name>.expected.json`, named by its file name, and checks that
 * lsim_sim_result_json returns exactly the bytes of the expected file and
 * that the struct accessors agree with that JSON. Then the error paths:
 * invalid scenarios and their messages, NULL, freed and stale handles,
 * bad options, small buffers.
 *
 * Every check is counted; the last line printed is "N passed, M failed" and
 * the exit status is non-zero when anything failed (or DIR holds no
 * vector). Runs clean under ASan, UBSan and valgrind (see the Makefile).
 */
#define _POSIX_C_SOURCE 200809L

#include "json.h"
#include "lambdasim.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned passed, failed;
static const char *current = "";

#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (cond) {                                                                               \
            passed++;                                                                             \
        } else {                                                                                  \
            failed++;                                                                             \
            fprintf(stderr, "%s:%d: [%s] CHECK failed: %s\n", __FILE__, __LINE__, current, #cond); \
        }                                                                                         \
    } while (0)

#define CHECK_STATUS(expr, want)                                                               \
    do {                                                                                       \
        lsim_status got_ = (expr);                                                             \
        lsim_status want_ = (want);                                                            \
        if (got_ == want_) {                                                                   \
            passed++;                                                                          \
        } else {                                                                               \
            failed++;                                                                          \
            fprintf(stderr, "%s:%d: [%s] %s\n    returned %s, want %s\n", __FILE__, __LINE__, \
                    current, #expr, lsim_status_str(got_), lsim_status_str(want_));            \
        }                                                                                      \
    } while (0)

#define CHECK_OK(expr) CHECK_STATUS(expr, LSIM_STATUS_OK)

/* ---- files and JSON ------------------------------------------------------- */

/* Reads a whole file into a malloc'd buffer (NUL-terminated, length in *len); NULL on error. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n + 1 >= cap) {
            char *q = realloc(buf, cap * 2);
            if (q == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = q;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* A path to `a` "/" `b` in a malloc'd string. */
static char *join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p != NULL) snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* A member by a path of keys ("total", "requests", NULL). */
static const json_value *get(const json_value *v, const char *const *keys) {
    for (; v != NULL && *keys != NULL; keys++) v = json_get(v, *keys);
    return v;
}

static uint64_t get_u64(const json_value *v, const char *const *keys) {
    v = get(v, keys);
    CHECK(v != NULL && v->type == JSON_NUMBER && v->as.number.fits_uint64);
    return v != NULL && v->type == JSON_NUMBER ? v->as.number.u : UINT64_MAX;
}

static double get_f64(const json_value *v, const char *const *keys) {
    v = get(v, keys);
    CHECK(v != NULL && v->type == JSON_NUMBER);
    return v != NULL && v->type == JSON_NUMBER ? v->as.number.real : -1.0;
}

/* "12.34" → 1234 cents; UINT64_MAX when it is not dollars and cents. */
static uint64_t cents_of(const json_value *v) {
    if (v == NULL || v->type != JSON_STRING) return UINT64_MAX;
    const char *s = v->as.string.chars;
    const char *dot = strchr(s, '.');
    if (dot == NULL || strlen(dot) != 3) return UINT64_MAX;
    uint64_t c = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (p == dot) continue;
        if (*p < '0' || *p > '9') return UINT64_MAX;
        c = c * 10 + (uint64_t)(*p - '0');
    }
    return c;
}

/* ---- result helpers -------------------------------------------------------------- */

/* lsim_sim_result_json into a malloc'd buffer (size query first); *len without the NUL. */
static char *result_json(const lsim_sim_result *r, size_t *len) {
    size_t need = 0;
    CHECK_STATUS(lsim_sim_result_json(r, NULL, 0, &need), LSIM_STATUS_BUFFER_TOO_SMALL);
    char *buf = need > 0 ? malloc(need) : NULL;
    if (buf == NULL) return NULL;
    size_t got = 0;
    CHECK_OK(lsim_sim_result_json(r, buf, need, &got));
    CHECK(got == need && buf[need - 1] == '\0');
    *len = need - 1;
    return buf;
}

static void check_summary(const lsim_sim_summary *s, const json_value *j) {
    const char *const requests[] = {"requests", NULL};
    const char *const invocations[] = {"invocations", NULL};
    const char *const cold[] = {"cold_starts", NULL};
    const char *const full[] = {"full_cold_starts", NULL};
    const char *const partial[] = {"partial_cold_starts", NULL};
    const char *const warm[] = {"warm_starts", NULL};
    const char *const prov[] = {"provisioned_starts", NULL};
    const char *const spill[] = {"spillover", NULL};
    const char *const throttles[] = {"throttles", NULL};
    const char *const errors[] = {"errors", NULL};
    const char *const timeouts[] = {"timeouts", NULL};
    const char *const busy[] = {"avg_busy", NULL};
    const char *const inst[] = {"avg_instances", NULL};
    const char *const idle[] = {"avg_idle", NULL};
    const char *const util[] = {"utilization", NULL};
    const char *const csp[] = {"cold_start_probability", NULL};
    const char *const tp[] = {"throttle_probability", NULL};
    const char *const peak[] = {"peak_concurrency", NULL};
    const char *const total_usd[] = {"bill", "total_usd", NULL};
    CHECK(s->requests == get_u64(j, requests));
    CHECK(s->invocations == get_u64(j, invocations));
    CHECK(s->cold_starts == get_u64(j, cold));
    CHECK(s->full_cold_starts == get_u64(j, full));
    CHECK(s->partial_cold_starts == get_u64(j, partial));
    CHECK(s->warm_starts == get_u64(j, warm));
    CHECK(s->provisioned_starts == get_u64(j, prov));
    CHECK(s->spillover == get_u64(j, spill));
    CHECK(s->throttles == get_u64(j, throttles));
    CHECK(s->errors == get_u64(j, errors));
    CHECK(s->timeouts == get_u64(j, timeouts));
    CHECK(s->peak_concurrency == get_u64(j, peak));
    /* serde_json prints the shortest text that reads back as the same double. */
    CHECK(s->avg_busy == get_f64(j, busy));
    CHECK(s->avg_instances == get_f64(j, inst));
    CHECK(s->avg_idle == get_f64(j, idle));
    CHECK(s->utilization == get_f64(j, util));
    CHECK(s->cold_start_probability == get_f64(j, csp));
    CHECK(s->throttle_probability == get_f64(j, tp));
    CHECK(s->total_cents == cents_of(get(j, total_usd)));
    uint64_t sum = 0;
    for (uint32_t i = 0; i < LSIM_THROTTLE_REASON_COUNT; i++) {
        const char *const reason[] = {"throttles_by_reason", lsim_throttle_reason_str(i), NULL};
        CHECK(s->throttles_by_reason[i] == get_u64(j, reason));
        sum += s->throttles_by_reason[i];
    }
    CHECK(sum == s->throttles);
}

static void check_minute(const lsim_minute_point *m, const json_value *j) {
    const char *const minute[] = {"minute", NULL};
    const char *const busy_max[] = {"busy_max", NULL};
    const char *const busy_avg[] = {"busy_avg", NULL};
    const char *const live_avg[] = {"live_avg", NULL};
    const char *const live[] = {"live", NULL};
    const char *const inv[] = {"invocations", NULL};
    const char *const cold[] = {"cold_starts", NULL};
    const char *const thr[] = {"throttles", NULL};
    const char *const limit[] = {"account_limit", NULL};
    const char *const pool[] = {"unreserved_pool", NULL};
    const char *const claimed[] = {"claimed", NULL};
    CHECK(m->minute == get_u64(j, minute));
    CHECK(m->busy_max == get_u64(j, busy_max));
    CHECK(m->busy_avg == get_f64(j, busy_avg));
    CHECK(m->live_avg == get_f64(j, live_avg));
    CHECK(m->live == get_u64(j, live));
    CHECK(m->invocations == get_u64(j, inv));
    CHECK(m->cold_starts == get_u64(j, cold));
    CHECK(m->throttles == get_u64(j, thr));
    CHECK(m->account_limit == get_u64(j, limit));
    CHECK(m->unreserved_pool == get_u64(j, pool));
    CHECK(m->claimed == get_u64(j, claimed));
}

/* One distribution of lsim_latency against the JSON's `latency`.`key`. */
static void check_percentiles(const lsim_percentiles *p, const json_value *latency, const char *key) {
    const json_value *j = json_get(latency, key);
    CHECK(j != NULL);
    CHECK(p->samples == get_u64(j, (const char *const[]){"samples", NULL}));
    CHECK(p->p50_us == get_u64(j, (const char *const[]){"p50_us", NULL}));
    CHECK(p->p90_us == get_u64(j, (const char *const[]){"p90_us", NULL}));
    CHECK(p->p99_us == get_u64(j, (const char *const[]){"p99_us", NULL}));
    CHECK(p->max_us == get_u64(j, (const char *const[]){"max_us", NULL}));
}

/* lsim_sim_result_latency of `function` agrees with the summary `j`'s `latency`. */
static void check_latency(const lsim_sim_result *r, uint32_t function, const json_value *j) {
    lsim_latency l;
    memset(&l, 0, sizeof l);
    CHECK_OK(lsim_sim_result_latency(r, function, &l));
    CHECK(l.struct_size == sizeof l);
    const json_value *latency = json_get(j, "latency");
    CHECK(latency != NULL);
    if (latency == NULL) return;
    check_percentiles(&l.handler_duration, latency, "handler_duration");
    check_percentiles(&l.init_duration, latency, "init_duration");
    check_percentiles(&l.response_time, latency, "response_time");
    CHECK(l.cold_start_added_p99_us == get_u64(latency, (const char *const[]){"cold_start_added_p99_us", NULL}));
    CHECK(l.handler_duration.samples == get_u64(j, (const char *const[]){"invocations", NULL}));
}

/* The accessors of a result agree with its expected JSON. */
static void check_accessors(const lsim_sim_result *r, const json_value *expected) {
    const char *const seed_key[] = {"seed", NULL};
    uint64_t seed = 0;
    CHECK_OK(lsim_sim_result_seed(r, &seed));
    CHECK(seed == get_u64(expected, seed_key));

    const json_value *functions = json_get(expected, "functions");
    CHECK(functions != NULL && functions->type == JSON_ARRAY);
    if (functions == NULL || functions->type != JSON_ARRAY) return;
    size_t count = 0;
    CHECK_OK(lsim_sim_result_function_count(r, &count));
    CHECK(count == functions->as.array.len);
    for (size_t i = 0; i < count && i < functions->as.array.len; i++) {
        const json_value *f = &functions->as.array.items[i];
        char name[256];
        size_t len = 0;
        CHECK_OK(lsim_sim_result_function_name(r, i, name, sizeof name, &len));
        const json_value *want = json_get(f, "name");
        CHECK(want != NULL && want->type == JSON_STRING && len == want->as.string.len + 1 &&
              memcmp(name, want->as.string.chars, len) == 0);
        lsim_sim_summary s;
        CHECK_OK(lsim_sim_result_summary(r, (uint32_t)i, &s));
        check_summary(&s, f);
        check_latency(r, (uint32_t)i, f);
        lsim_bill b;
        CHECK_OK(lsim_sim_result_bill(r, (uint32_t)i, &b));
        const json_value *lines = get(f, (const char *const[]){"bill", "lines", NULL});
        CHECK(lines != NULL && lines->type == JSON_ARRAY && b.line_count == lines->as.array.len);
        CHECK(b.total_cents == s.total_cents);
        CHECK(memcmp(&b.exact_total, &s.exact_total, sizeof b.exact_total) == 0);
    }
    lsim_sim_summary total;
    CHECK_OK(lsim_sim_result_summary(r, LSIM_SIM_TOTAL, &total));
    check_summary(&total, json_get(expected, "total"));
    check_latency(r, LSIM_SIM_TOTAL, json_get(expected, "total"));
    lsim_latency no_latency;
    CHECK_STATUS(lsim_sim_result_latency(r, (uint32_t)count, &no_latency), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_sim_result_latency(r, 0, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sim_result_latency(NULL, 0, &no_latency), LSIM_STATUS_NULL_POINTER);
    lsim_bill bill;
    CHECK_OK(lsim_sim_result_bill(r, LSIM_SIM_TOTAL, &bill));
    CHECK(bill.total_cents == total.total_cents);
    lsim_sim_summary none;
    CHECK_STATUS(lsim_sim_result_summary(r, (uint32_t)count, &none), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_STATUS(lsim_sim_result_bill(r, (uint32_t)count, &bill), LSIM_STATUS_UNKNOWN_FUNCTION);

    const json_value *minutes = json_get(expected, "minutes");
    CHECK(minutes != NULL && minutes->type == JSON_ARRAY && minutes->as.array.len > 0);
    if (minutes == NULL || minutes->type != JSON_ARRAY || minutes->as.array.len == 0) return;
    size_t n = 0;
    CHECK_STATUS(lsim_sim_result_minutes(r, NULL, 0, &n), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(n == minutes->as.array.len);
    lsim_minute_point *points = calloc(n, sizeof *points);
    if (points == NULL) return;
    size_t got = 0;
    CHECK_STATUS(lsim_sim_result_minutes(r, points, n - 1, &got), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(got == n);
    got = 0;
    CHECK_OK(lsim_sim_result_minutes(r, points, n, &got));
    CHECK(got == n);
    for (size_t i = 0; i < n && i < minutes->as.array.len; i++) check_minute(&points[i], &minutes->as.array.items[i]);
    free(points);
}

/* ---- the vectors ------------------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Runs one vector: `dir`/`stem`.expected.json. Returns 1 when it ran. */
static int run_vector(const char *dir, const char *stem) {
    char file[512], expected_name[512];
    snprintf(expected_name, sizeof expected_name, "%s.expected.json", stem);
    char *expected_path = join(dir, expected_name);
    char *scenario_path = NULL;
    char *text = NULL;
    size_t text_len = 0;
    for (int k = 0; k < 2 && text == NULL; k++) {
        snprintf(file, sizeof file, "%s.%s", stem, k == 0 ? "toml" : "json");
        free(scenario_path);
        scenario_path = join(dir, file);
        if (scenario_path != NULL) text = read_file(scenario_path, &text_len);
    }
    current = file;
    size_t expected_len = 0;
    char *expected = expected_path != NULL ? read_file(expected_path, &expected_len) : NULL;
    char err[512] = "";
    json_value *root = expected != NULL ? json_parse(expected, expected_len, err, sizeof err) : NULL;
    CHECK(text != NULL);
    CHECK(root != NULL);
    int ran = 0;
    if (text != NULL && root != NULL) {
        lsim_run_options o;
        memset(&o, 0xAB, sizeof o);
        CHECK_OK(lsim_run_options_default(&o));
        CHECK(o.struct_size == sizeof o && o.has_seed == 0 && o.has_horizon == 0 && o.replication == 0);
        o.has_seed = 1;
        o.seed = get_u64(root, (const char *const[]){"seed", NULL});
        o.name = file;
        o.name_len = strlen(file);
        /* The scenario text is not NUL-terminated as far as the library knows. */
        char *copy = malloc(text_len > 0 ? text_len : 1);
        if (copy != NULL) {
            memcpy(copy, text, text_len);
            lsim_sim_result *r = NULL;
            CHECK_OK(lsim_scenario_run(copy, text_len, LSIM_SCENARIO_FORMAT_AUTO, &o, &r));
            free(copy);
            if (r != NULL) {
                size_t len = 0;
                char *json = result_json(r, &len);
                CHECK(json != NULL && len == expected_len && memcmp(json, expected, len) == 0);
                if (json != NULL && (len != expected_len || memcmp(json, expected, len) != 0)) {
                    fprintf(stderr, "[%s] lsim_sim_result_json differs from %s (%zu vs %zu bytes)\n", file,
                            expected_name, len, expected_len);
                }
                free(json);
                check_accessors(r, root);
                CHECK_OK(lsim_sim_result_free(r));
                ran = 1;
            }
        }
        size_t need = 0;
        char ok[4] = "xyz";
        CHECK_OK(lsim_scenario_check(text, text_len, LSIM_SCENARIO_FORMAT_AUTO, ok, sizeof ok, &need));
        CHECK(need == 1 && ok[0] == '\0');
    } else {
        fprintf(stderr, "[%s] cannot read the vector: %s\n", stem, err);
    }
    printf("%s %s\n", ran ? "ok  " : "FAIL", file);
    json_free(root);
    free(expected);
    free(text);
    free(scenario_path);
    free(expected_path);
    current = "";
    return ran;
}

static int run_vectors(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "test_sim: cannot open %s\n", dir);
        return 0;
    }
    char *stems[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (!ends_with(e->d_name, ".expected.json")) continue;
        size_t len = strlen(e->d_name) - strlen(".expected.json");
        stems[n] = malloc(len + 1);
        if (stems[n] == NULL) break;
        memcpy(stems[n], e->d_name, len);
        stems[n][len] = '\0';
        n++;
    }
    closedir(d);
    int ran = 0;
    for (size_t i = 0; i < n; i++) {
        ran += run_vector(dir, stems[i]);
        free(stems[i]);
    }
    return ran;
}

/* ---- errors ------------------------------------------------------------------------ */

static const char SMALL[] =
    "seed = 5\n"
    "horizon_s = 70\n"
    "replications = 2\n"
    "[[functions]]\n"
    "name = \"api\"\n"
    "workload = { type = \"poisson\", rate_per_s = 20 }\n"
    "handler = { type = \"exponential\", mean_ms = 100 }\n";

static void test_invalid_scenarios(void) {
    current = "invalid scenarios";
    static const char bad[] =
        "[[functions]]\n"
        "name = \"f\"\n"
        "workload = { type = \"poison\" }\n"
        "handler = { type = \"fixed\", ms = 1 }\n";
    lsim_sim_result *r = (lsim_sim_result *)(uintptr_t)8;
    CHECK_STATUS(lsim_scenario_run(bad, sizeof bad - 1, LSIM_SCENARIO_FORMAT_AUTO, NULL, &r), LSIM_STATUS_INVALID_SCENARIO);
    CHECK(r == (lsim_sim_result *)(uintptr_t)8); /* not written on error */
    size_t need = 0;
    CHECK_STATUS(lsim_scenario_check(bad, sizeof bad - 1, LSIM_SCENARIO_FORMAT_AUTO, NULL, 0, &need),
                 LSIM_STATUS_BUFFER_TOO_SMALL);
    char *msg = malloc(need);
    if (msg != NULL) {
        size_t got = 0;
        CHECK_STATUS(lsim_scenario_check(bad, sizeof bad - 1, LSIM_SCENARIO_FORMAT_AUTO, msg, need, &got),
                     LSIM_STATUS_INVALID_SCENARIO);
        CHECK(got == need && strlen(msg) + 1 == need);
        const char *want = "(scenario):3:21: functions[0].workload.type: unknown variant `poison`";
        CHECK(strncmp(msg, want, strlen(want)) == 0);
        if (strncmp(msg, want, strlen(want)) != 0) fprintf(stderr, "    message: %s\n", msg);
        free(msg);
    }
    /* TOML read as JSON, and invalid UTF-8. */
    char buf[256];
    CHECK_STATUS(lsim_scenario_check(SMALL, sizeof SMALL - 1, LSIM_SCENARIO_FORMAT_JSON, buf, sizeof buf, &need),
                 LSIM_STATUS_INVALID_SCENARIO);
    CHECK(strncmp(buf, "(scenario):1:1: expected value", 30) == 0);
    static const char not_utf8[] = "seed = 1\n\xff\n";
    CHECK_STATUS(lsim_scenario_check(not_utf8, sizeof not_utf8 - 1, 0, buf, sizeof buf, &need),
                 LSIM_STATUS_INVALID_SCENARIO);
    CHECK(strcmp(buf, "(scenario):2:1: the scenario is not valid UTF-8") == 0);
    CHECK_STATUS(lsim_scenario_check(SMALL, sizeof SMALL - 1, 3, buf, sizeof buf, &need), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_scenario_run(SMALL, sizeof SMALL - 1, 3, NULL, &r), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_scenario_run(NULL, 0, 0, NULL, &r), LSIM_STATUS_INVALID_SCENARIO); /* empty text */
}

static void test_options(void) {
    current = "options";
    lsim_run_options o;
    CHECK_OK(lsim_run_options_default(&o));
    lsim_sim_result *r0 = NULL, *r1 = NULL, *r2 = NULL;
    CHECK_OK(lsim_scenario_run(SMALL, sizeof SMALL - 1, LSIM_SCENARIO_FORMAT_TOML, NULL, &r0));
    o.replication = 1;
    CHECK_OK(lsim_scenario_run(SMALL, sizeof SMALL - 1, LSIM_SCENARIO_FORMAT_TOML, &o, &r1));
    o.replication = 0;
    o.has_seed = 1;
    o.seed = 6;
    CHECK_OK(lsim_scenario_run(SMALL, sizeof SMALL - 1, LSIM_SCENARIO_FORMAT_TOML, &o, &r2));
    uint64_t s0 = 0, s1 = 0, s2 = 0;
    CHECK_OK(lsim_sim_result_seed(r0, &s0));
    CHECK_OK(lsim_sim_result_seed(r1, &s1));
    CHECK_OK(lsim_sim_result_seed(r2, &s2));
    CHECK(s0 == 5 && s1 == 6 && s2 == 6);
    lsim_sim_summary a, b, c;
    CHECK_OK(lsim_sim_result_summary(r0, LSIM_SIM_TOTAL, &a));
    CHECK_OK(lsim_sim_result_summary(r1, LSIM_SIM_TOTAL, &b));
    CHECK_OK(lsim_sim_result_summary(r2, 0, &c));
    CHECK(b.requests == c.requests && b.avg_busy == c.avg_busy && b.cold_starts == c.cold_starts);
    CHECK(a.requests != b.requests || a.avg_busy != b.avg_busy);
    CHECK_OK(lsim_sim_result_free(r0));
    CHECK_OK(lsim_sim_result_free(r1));
    CHECK_OK(lsim_sim_result_free(r2));

    lsim_sim_result *r = NULL;
    CHECK_OK(lsim_run_options_default(&o));
    o.has_horizon = 1;
    o.horizon_us = 30000000;
    CHECK_OK(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, &o, &r));
    size_t n = 0;
    CHECK_STATUS(lsim_sim_result_minutes(r, NULL, 0, &n), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(n == 1);
    CHECK_OK(lsim_sim_result_free(r));

    /* Bad options: nothing is written. */
    lsim_sim_result *untouched = (lsim_sim_result *)(uintptr_t)8;
    o.horizon_us = 0;
    CHECK_STATUS(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, &o, &untouched), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_OK(lsim_run_options_default(&o));
    o.struct_size = 8;
    CHECK_STATUS(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, &o, &untouched), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_OK(lsim_run_options_default(&o));
    o.has_seed = 2;
    CHECK_STATUS(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, &o, &untouched), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_OK(lsim_run_options_default(&o));
    o.replication = 2; /* of 2 */
    CHECK_STATUS(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, &o, &untouched), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_OK(lsim_run_options_default(&o));
    o.name_len = 4; /* name NULL */
    CHECK_STATUS(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, &o, &untouched), LSIM_STATUS_NULL_POINTER);
    CHECK(untouched == (lsim_sim_result *)(uintptr_t)8);
}

static void test_handles(void) {
    current = "handles";
    lsim_sim_result *r = NULL;
    CHECK_OK(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, NULL, &r));
    uint64_t seed = 0;
    size_t n = 0;
    char buf[8];
    lsim_sim_summary s;
    CHECK_STATUS(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, NULL, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sim_result_seed(NULL, &seed), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sim_result_seed(r, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sim_result_summary(r, 0, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sim_result_json(r, buf, sizeof buf, &n), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(n > sizeof buf);
    CHECK_STATUS(lsim_sim_result_function_name(r, 0, buf, 3, &n), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(n == 4);
    CHECK_OK(lsim_sim_result_function_name(r, 0, buf, sizeof buf, &n));
    CHECK(n == 4 && strcmp(buf, "api") == 0);
    CHECK_STATUS(lsim_sim_result_function_name(r, 1, buf, sizeof buf, &n), LSIM_STATUS_UNKNOWN_FUNCTION);
    CHECK_OK(lsim_sim_result_free(r));
    /* Freed: every call is STALE_HANDLE, a second free too; free(NULL) is OK. */
    CHECK_STATUS(lsim_sim_result_seed(r, &seed), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_sim_result_summary(r, LSIM_SIM_TOTAL, &s), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_sim_result_json(r, NULL, 0, &n), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_sim_result_free(r), LSIM_STATUS_STALE_HANDLE);
    CHECK_OK(lsim_sim_result_free(NULL));
    /* Made up, and a region handle. */
    CHECK_STATUS(lsim_sim_result_seed((const lsim_sim_result *)(uintptr_t)0x12345679u, &seed), LSIM_STATUS_STALE_HANDLE);
    lsim_region_config rc;
    CHECK_OK(lsim_region_config_default(&rc));
    lsim_region *region = NULL;
    CHECK_OK(lsim_region_new(&rc, &region));
    CHECK_STATUS(lsim_sim_result_seed((const lsim_sim_result *)(const void *)region, &seed), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_sim_result_free((lsim_sim_result *)(void *)region), LSIM_STATUS_STALE_HANDLE);
    CHECK_OK(lsim_region_free(region));
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "../../tests/vectors/sim";
    int ran = run_vectors(dir);
    if (ran < 2) {
        fprintf(stderr, "test_sim: only %d simulation vectors ran from %s\n", ran, dir);
        failed++;
    }
    test_invalid_scenarios();
    test_options();
    test_handles();
    printf("%d vectors; %u passed, %u failed\n", ran, passed, failed);
    return failed == 0 ? 0 : 1;
}
