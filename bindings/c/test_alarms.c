/*
 * test_alarms.c: runs every alarm vector of every *.json file of tests/vectors/alarms (the
 * format of tests/vectors/README.md, "Alarm vectors") against the C ABI,
 * with the semantics of the Rust runner (tests/src/alarms.rs): strict keys,
 * the final state and every transition (time, from, to), or the name of
 * the refused field.
 *
 *   test_alarms [DIR]     DIR defaults to ../../tests/vectors/alarms
 *
 * Names become codes with the lsim_*_from_name entry points (a refused name
 * is the matching Unknown* error; a percentile refused with
 * LSIM_STATUS_INVALID_SETTING is PercentileOutOfRange); a definition
 * lsim_alarm_evaluate refuses is named by lsim_alarm_config_check and
 * lsim_alarm_error_str. Prints one line per file ("ok   name (N cases)" or
 * "FAIL file: case i: what differed"); the last line is "N passed, M
 * failed" and the exit status is non-zero on any failure (or when DIR holds
 * no vector). Built-in wrong vectors check first that the runner can fail.
 */
#define _POSIX_C_SOURCE 200809L

#include "json.h"
#include "lambdasim.h"
#include "vector_config.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An integer of the vector (the Rust runner reads them as i64). */
static int req_i64(const json_value *obj, const char *key, const char *ctx, int64_t *out, vc_error *err) {
    const json_value *v = json_get(obj, key);
    if (v == NULL) return vc_fail(err, "%s: missing `%s`", ctx, key);
    if (v->type != JSON_NUMBER || !v->as.number.is_integer || !v->as.number.fits_int64)
        return vc_fail(err, "%s: `%s` must be an integer", ctx, key);
    *out = v->as.number.i;
    return 0;
}

/* Parses `name` with a *_from_name entry point; on refusal, `refused` is the
 * error name and the result is 1. */
static int code_of(lsim_status (*parse)(const char *, uint32_t *), const char *name, uint32_t *out,
                   const char *error, const char **refused) {
    if (parse(name, out) == LSIM_STATUS_OK) return 0;
    *refused = error;
    return 1;
}

/* The C config of a case's `alarm`: 0, 1 with `*refused` naming a refused
 * name, or -1 for a malformed vector. */
static int parse_alarm(const json_value *a, const char *ctx, lsim_alarm_config *c, const char **refused,
                       vc_error *err) {
    static const char *const keys[] = {"metric",
                                       "statistic",
                                       "period_s",
                                       "threshold",
                                       "comparison",
                                       "evaluation_periods",
                                       "datapoints_to_alarm",
                                       "treat_missing_data",
                                       "initial_state",
                                       NULL};
    if (vc_object(a, ctx, err) < 0 || vc_allow_keys(a, keys, ctx, err) < 0) return -1;
    const char *metric = "Throttles", *statistic = "Sum", *comparison = NULL, *treat = "missing",
               *initial = "INSUFFICIENT_DATA";
    uint64_t period_s = 60;
    int64_t threshold = 0;
    if (vc_opt_str(a, "metric", ctx, &metric, err) < 0 || vc_opt_str(a, "statistic", ctx, &statistic, err) < 0 ||
        vc_req_str(a, "comparison", ctx, &comparison, err) < 0 ||
        vc_opt_str(a, "treat_missing_data", ctx, &treat, err) < 0 ||
        vc_opt_str(a, "initial_state", ctx, &initial, err) < 0 || vc_opt_u64(a, "period_s", ctx, &period_s, err) < 0 ||
        req_i64(a, "threshold", ctx, &threshold, err) < 0)
        return -1;
    if (lsim_alarm_config_default(c) != LSIM_STATUS_OK) return vc_fail(err, "lsim_alarm_config_default failed");
    static const char *const required[] = {"evaluation_periods", "datapoints_to_alarm"};
    uint32_t *fields[] = {&c->evaluation_periods, &c->datapoints_to_alarm};
    for (size_t i = 0; i < 2; i++) {
        int got = vc_opt_u32(a, required[i], ctx, fields[i], err);
        if (got < 0) return -1;
        if (got == 0) return vc_fail(err, "%s: missing `%s`", ctx, required[i]);
    }
    if (period_s > UINT32_MAX) return vc_fail(err, "%s: `period_s` too large", ctx);
    c->period_s = (uint32_t)period_s;
    c->threshold = (double)threshold;
    if (code_of(lsim_metric_from_name, metric, &c->metric, "UnknownMetric", refused)) return 1;
    lsim_status s = lsim_statistic_from_name(statistic, &c->statistic, &c->percentile_hundredths);
    if (s != LSIM_STATUS_OK) {
        *refused = s == LSIM_STATUS_INVALID_SETTING ? "PercentileOutOfRange" : "UnknownStatistic";
        return 1;
    }
    if (code_of(lsim_comparison_from_name, comparison, &c->comparison, "UnknownComparisonOperator", refused) ||
        code_of(lsim_treat_missing_from_name, treat, &c->treat_missing_data, "UnknownTreatMissingData", refused) ||
        code_of(lsim_alarm_state_from_name, initial, &c->initial_state, "UnknownState", refused))
        return 1;
    return 0;
}

/* The expected error against `got`. */
static int check_error(const json_value *expect, const char *got, const char *ctx, vc_error *err) {
    static const char *const keys[] = {"error", NULL};
    const char *want = NULL;
    if (vc_allow_keys(expect, keys, ctx, err) < 0) {
        vc_error why = *err;
        return vc_fail(err, "%s (refused with %s)", why.msg, got);
    }
    if (vc_req_str(expect, "error", ctx, &want, err) < 0) return -1;
    if (strcmp(want, got) != 0) return vc_fail(err, "%s: error: got %s, expected %s", ctx, got, want);
    return 0;
}

/* The expected state and transitions against an evaluation. */
static int check_run(const json_value *expect, uint32_t state, const lsim_alarm_transition *got, size_t n,
                     const char *ctx, vc_error *err) {
    static const char *const keys[] = {"state", "transitions", NULL};
    static const char *const tkeys[] = {"time_s", "from", "to", NULL};
    const char *want_state = NULL;
    if (vc_allow_keys(expect, keys, ctx, err) < 0 || vc_req_str(expect, "state", ctx, &want_state, err) < 0) return -1;
    if (strcmp(lsim_alarm_state_str(state), want_state) != 0)
        return vc_fail(err, "%s: state: got %s, expected %s", ctx, lsim_alarm_state_str(state), want_state);
    const json_value *want = json_get(expect, "transitions");
    if (want == NULL || want->type != JSON_ARRAY) return vc_fail(err, "%s: missing `transitions` array", ctx);
    if (want->as.array.len != n)
        return vc_fail(err, "%s: transitions: got %zu, expected %zu", ctx, n, want->as.array.len);
    for (size_t i = 0; i < n; i++) {
        const json_value *w = &want->as.array.items[i];
        char tctx[600];
        snprintf(tctx, sizeof tctx, "%s: transitions[%zu]", ctx, i);
        uint64_t time_s = 0;
        const char *from = NULL, *to = NULL;
        if (vc_object(w, tctx, err) < 0 || vc_allow_keys(w, tkeys, tctx, err) < 0 ||
            vc_req_u64(w, "time_s", tctx, &time_s, err) < 0 || vc_req_str(w, "from", tctx, &from, err) < 0 ||
            vc_req_str(w, "to", tctx, &to, err) < 0)
            return -1;
        if (got[i].time_us != time_s * 1000000u || strcmp(lsim_alarm_state_str(got[i].from), from) != 0 ||
            strcmp(lsim_alarm_state_str(got[i].to), to) != 0)
            return vc_fail(err, "%s: got %" PRIu64 " us %s -> %s, expected %" PRIu64 " s %s -> %s", tctx,
                           got[i].time_us, lsim_alarm_state_str(got[i].from), lsim_alarm_state_str(got[i].to), time_s,
                           from, to);
    }
    return 0;
}

/* Evaluates `values` (null = missing) and compares; 0 or -1. */
static int evaluate_and_check(const lsim_alarm_config *c, const json_value *values, const json_value *expect,
                              const char *ctx, vc_error *err) {
    size_t n = values->as.array.len;
    double *v = calloc(n ? n : 1, sizeof *v);
    uint8_t *present = calloc(n ? n : 1, 1);
    lsim_alarm_transition *out = NULL;
    int rc = -1;
    if (v == NULL || present == NULL) {
        vc_fail(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const json_value *x = &values->as.array.items[i];
        if (x->type == JSON_NULL) continue;
        if (x->type != JSON_NUMBER || !x->as.number.is_integer || !x->as.number.fits_int64) {
            vc_fail(err, "%s: a value must be an integer or null", ctx);
            goto done;
        }
        v[i] = (double)x->as.number.i;
        present[i] = 1;
    }
    size_t len = 0;
    uint32_t state = 0;
    /* A size query first: the buffer convention, as a caller would use it. */
    lsim_status s = lsim_alarm_evaluate(c, 0, v, present, n, NULL, 0, &len, &state);
    if (s == LSIM_STATUS_INVALID_ARGUMENT || s == LSIM_STATUS_INVALID_SETTING) {
        uint32_t code = LSIM_ALARM_ERROR_NONE;
        if (lsim_alarm_config_check(c, &code) != LSIM_STATUS_OK || code == LSIM_ALARM_ERROR_NONE) {
            vc_fail(err, "%s: refused with %s but lsim_alarm_config_check names nothing", ctx, lsim_status_str(s));
            goto done;
        }
        rc = check_error(expect, lsim_alarm_error_str(code), ctx, err);
        goto done;
    }
    if (s == LSIM_STATUS_BUFFER_TOO_SMALL) {
        out = calloc(len, sizeof *out);
        if (out == NULL) {
            vc_fail(err, "out of memory");
            goto done;
        }
        s = lsim_alarm_evaluate(c, 0, v, present, n, out, len, &len, &state);
    }
    if (s != LSIM_STATUS_OK) {
        vc_fail(err, "%s: lsim_alarm_evaluate: %s", ctx, lsim_status_str(s));
        goto done;
    }
    rc = check_run(expect, state, out, len, ctx, err);
done:
    free(v);
    free(present);
    free(out);
    return rc;
}

static int run_case(const json_value *c, vc_error *err) {
    static const char *const keys[] = {"name", "alarm", "values", "expect", NULL};
    const char *name = NULL;
    if (vc_object(c, "case", err) < 0 || vc_allow_keys(c, keys, "case", err) < 0 ||
        vc_req_str(c, "name", "case", &name, err) < 0)
        return -1;
    char ctx[512];
    snprintf(ctx, sizeof ctx, "case `%s`", name);
    const json_value *values = json_get(c, "values"), *expect = json_get(c, "expect");
    if (values == NULL || values->type != JSON_ARRAY) return vc_fail(err, "%s: `values` must be an array", ctx);
    if (expect == NULL || vc_object(expect, ctx, err) < 0) return vc_fail(err, "%s: missing `expect` object", ctx);
    lsim_alarm_config config;
    const char *refused = NULL;
    int parsed = parse_alarm(json_get(c, "alarm"), ctx, &config, &refused, err);
    if (parsed < 0) return -1;
    if (parsed == 1) return check_error(expect, refused, ctx, err);
    return evaluate_and_check(&config, values, expect, ctx, err);
}

/* Runs one parsed file: 0 and the case count, or -1 with the failing case. */
static int run_doc(const json_value *root, size_t *cases_run, long *failed_case, vc_error *err) {
    static const char *const keys[] = {"name", "spec", "description", "cases", NULL};
    *failed_case = -1;
    if (vc_object(root, "vector", err) < 0 || vc_allow_keys(root, keys, "vector", err) < 0) return -1;
    const char *name = NULL;
    if (vc_req_str(root, "name", "vector", &name, err) < 0) return -1;
    const json_value *cases = json_get(root, "cases");
    if (cases == NULL || cases->type != JSON_ARRAY) return vc_fail(err, "missing `cases` array");
    for (size_t i = 0; i < cases->as.array.len; i++) {
        if (run_case(&cases->as.array.items[i], err) < 0) {
            *failed_case = (long)i;
            return -1;
        }
    }
    *cases_run = cases->as.array.len;
    return 0;
}

/* ---- self-checks: wrong vectors the runner must reject ------------------------- */

typedef struct self_check {
    const char *text;
    long failed_case;
    const char *needle;
} self_check;

#define CASE(alarm, values, expect) \
    "{\"name\":\"self\",\"cases\":[{\"name\":\"c\",\"alarm\":{" alarm "},\"values\":" values ",\"expect\":" expect "}]}"
#define GT "\"comparison\":\"GreaterThanThreshold\",\"threshold\":0,\"evaluation_periods\":1,\"datapoints_to_alarm\":1"

static const self_check SELF_CHECKS[] = {
    /* Wrong final state. */
    {CASE(GT, "[1]", "{\"state\":\"OK\",\"transitions\":[]}"), 0, "state: got ALARM"},
    /* A transition missing. */
    {CASE(GT, "[1]", "{\"state\":\"ALARM\",\"transitions\":[]}"), 0, "transitions: got 1"},
    /* Wrong transition time. */
    {CASE(GT, "[1]",
          "{\"state\":\"ALARM\",\"transitions\":[{\"time_s\":120,\"from\":\"INSUFFICIENT_DATA\",\"to\":\"ALARM\"}]}"),
     0, "expected 120 s"},
    /* Wrong error name. */
    {CASE("\"comparison\":\"GreaterThanThreshold\",\"threshold\":0,\"evaluation_periods\":1,\"datapoints_to_alarm\":2",
          "[1]", "{\"error\":\"DatapointsToAlarmZero\"}"),
     0, "got DatapointsToAlarmAboveEvaluationPeriods"},
    /* An unknown key. */
    {CASE(GT ",\"treshold\":1", "[1]", "{\"state\":\"ALARM\",\"transitions\":[]}"), 0, "treshold"},
};

static unsigned run_self_checks(void) {
    unsigned failed = 0;
    for (size_t i = 0; i < sizeof SELF_CHECKS / sizeof SELF_CHECKS[0]; i++) {
        const self_check *c = &SELF_CHECKS[i];
        char perr[256];
        vc_error err = {{0}};
        size_t n = 0;
        long at = -2;
        json_value *root = json_parse(c->text, strlen(c->text), perr, sizeof perr);
        int rc = root == NULL ? 0 : run_doc(root, &n, &at, &err);
        if (root == NULL || rc == 0 || at != c->failed_case || strstr(err.msg, c->needle) == NULL) {
            printf("FAIL self-check %zu: must fail at case %ld naming `%s`; got %s (case %ld)\n", i, c->failed_case,
                   c->needle, root == NULL ? perr : rc == 0 ? "a pass" : err.msg, at);
            failed++;
        }
        json_free(root);
    }
    return failed;
}

/* ---- files ------------------------------------------------------------------- */

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "../../tests/vectors/alarms";
    if (argc > 2) {
        fprintf(stderr, "usage: %s [ALARM_VECTOR_DIR]\n", argv[0]);
        return 2;
    }
    if (lsim_abi_version() != LSIM_ABI_VERSION) {
        fprintf(stderr, "ABI version mismatch: library %" PRIu32 ", header %d\n", lsim_abi_version(), LSIM_ABI_VERSION);
        return 1;
    }
    unsigned passed = 0, failed = run_self_checks();
    if (failed == 0)
        printf("ok   runner self-checks (%zu built-in wrong vectors fail as they must)\n",
               sizeof SELF_CHECKS / sizeof SELF_CHECKS[0]);
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("FAIL %s: cannot open the folder\n", dir);
        return 1;
    }
    char *names[256];
    size_t count = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && count < 256;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            names[count] = strdup(e->d_name);
            if (names[count] == NULL) return 2;
            count++;
        }
    }
    closedir(d);
    qsort(names, count, sizeof names[0], compare_names);
    for (size_t i = 0; i < count; i++) {
        char path[4096], perr[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        json_value *root = json_parse_file(path, perr, sizeof perr);
        vc_error err = {{0}};
        size_t cases = 0;
        long at = -1;
        if (root == NULL) {
            printf("FAIL %s: %s\n", names[i], perr);
            failed++;
        } else if (run_doc(root, &cases, &at, &err) < 0) {
            printf("FAIL %s: case %ld: %s\n", names[i], at, err.msg);
            failed++;
        } else {
            printf("ok   %s (%zu cases)\n", names[i], cases);
            passed++;
        }
        json_free(root);
        free(names[i]);
    }
    if (count == 0) {
        printf("FAIL %s: no alarm vector\n", dir);
        failed++;
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
