/*
 * test_sweep.c: sweeps through the C ABI (lsim_sweep_run, lsim_sweep_check
 * and the lsim_sweep_result accessors).
 *
 *   test_sweep [DIR]   DIR defaults to ../../tests/vectors/sweep
 *
 * Runs every sweep vector of DIR (tests/vectors/README.md, "Sweep
 * vectors"): each `<name>.sweep.json` names a scenario, its sets,
 * replications and pick, and the expected output of `lambdasim sweep` in
 * each format; lsim_sweep_result_output must return those bytes exactly,
 * with one thread and with several. Then the error paths: NULL, freed and
 * foreign handles, bad options, and lsim_sweep_check's messages.
 *
 * The last line printed is "N passed, M failed"; the exit status is
 * non-zero when anything failed (or DIR holds no vector).
 */
#define _POSIX_C_SOURCE 200809L

#include "json.h"
#include "lambdasim.h"

#include <dirent.h>
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

static char *join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p != NULL) snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* A sweep's output in a malloc'd buffer (size query first); *len without the NUL. */
static char *output(const lsim_sweep_result *r, size_t *len) {
    size_t need = 0;
    CHECK_STATUS(lsim_sweep_result_output(r, NULL, 0, &need), LSIM_STATUS_BUFFER_TOO_SMALL);
    char *buf = need > 0 ? malloc(need) : NULL;
    if (buf == NULL) return NULL;
    size_t got = 0;
    CHECK_STATUS(lsim_sweep_result_output(r, buf, need - 1, &got), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK_OK(lsim_sweep_result_output(r, buf, need, &got));
    CHECK(got == need && buf[need - 1] == '\0');
    *len = need - 1;
    return buf;
}

/* The options of a spec: sets joined by newlines into `sets` (malloc'd). */
static void options_of(const json_value *spec, lsim_sweep_options *o, char **sets, const char *name) {
    memset(o, 0xAB, sizeof *o);
    CHECK_OK(lsim_sweep_options_default(o));
    CHECK(o->struct_size == sizeof *o && o->output == LSIM_SWEEP_OUTPUT_TEXT && o->sets_len == 0);
    const json_value *list = json_get(spec, "sets");
    size_t n = 1;
    for (size_t i = 0; list != NULL && i < list->as.array.len; i++) n += list->as.array.items[i].as.string.len + 1;
    *sets = calloc(n, 1);
    for (size_t i = 0; *sets != NULL && list != NULL && i < list->as.array.len; i++) {
        strcat(*sets, list->as.array.items[i].as.string.chars);
        strcat(*sets, "\n");
    }
    o->sets = *sets;
    o->sets_len = *sets != NULL ? strlen(*sets) : 0;
    const json_value *reps = json_get(spec, "replications");
    if (reps != NULL && reps->type == JSON_NUMBER) o->replications = (uint32_t)reps->as.number.u;
    const json_value *pick = json_get(spec, "pick");
    if (pick != NULL && pick->type == JSON_STRING) {
        o->pick = pick->as.string.chars;
        o->pick_len = pick->as.string.len;
    }
    o->name = name;
    o->name_len = strlen(name);
}

static const struct {
    const char *key;
    uint32_t output;
} OUTPUTS[] = {{"text", LSIM_SWEEP_OUTPUT_TEXT}, {"csv", LSIM_SWEEP_OUTPUT_CSV}, {"json", LSIM_SWEEP_OUTPUT_JSON}};

/* Runs one vector; returns the outputs compared. */
static int run_vector(const char *dir, const char *spec_name) {
    current = spec_name;
    char *spec_path = join(dir, spec_name);
    char err[512] = "";
    json_value *spec = spec_path != NULL ? json_parse_file(spec_path, err, sizeof err) : NULL;
    free(spec_path);
    CHECK(spec != NULL);
    if (spec == NULL) {
        fprintf(stderr, "[%s] %s\n", spec_name, err);
        return 0;
    }
    const json_value *scenario = json_get(spec, "scenario");
    char *scenario_path = scenario != NULL ? join(dir, scenario->as.string.chars) : NULL;
    size_t text_len = 0;
    char *text = scenario_path != NULL ? read_file(scenario_path, &text_len) : NULL;
    free(scenario_path);
    CHECK(text != NULL);
    int compared = 0;
    for (size_t k = 0; text != NULL && k < sizeof OUTPUTS / sizeof OUTPUTS[0]; k++) {
        const json_value *file = json_get(json_get(spec, "expected"), OUTPUTS[k].key);
        if (file == NULL) continue;
        char *expected_path = join(dir, file->as.string.chars);
        size_t expected_len = 0;
        char *expected = expected_path != NULL ? read_file(expected_path, &expected_len) : NULL;
        free(expected_path);
        CHECK(expected != NULL);
        lsim_sweep_options o;
        char *sets = NULL;
        options_of(spec, &o, &sets, scenario->as.string.chars);
        o.output = OUTPUTS[k].output;
        for (uint32_t threads = 1; threads <= 3 && expected != NULL; threads += 2) {
            o.threads = threads;
            lsim_sweep_result *r = NULL;
            CHECK_OK(lsim_sweep_run(text, text_len, LSIM_SCENARIO_FORMAT_AUTO, &o, &r));
            size_t len = 0;
            char *got = r != NULL ? output(r, &len) : NULL;
            int same = got != NULL && len == expected_len && memcmp(got, expected, len) == 0;
            CHECK(same);
            if (!same) fprintf(stderr, "[%s] %s output differs (%zu vs %zu bytes)\n", spec_name, OUTPUTS[k].key, len, expected_len);
            compared += same;
            free(got);
            CHECK_OK(lsim_sweep_result_free(r));
            CHECK_STATUS(lsim_sweep_result_free(r), LSIM_STATUS_STALE_HANDLE);
            CHECK_STATUS(lsim_sweep_result_output(r, NULL, 0, &len), LSIM_STATUS_STALE_HANDLE);
        }
        size_t need = 0;
        char ok[4] = "xyz";
        CHECK_OK(lsim_sweep_check(text, text_len, LSIM_SCENARIO_FORMAT_AUTO, &o, ok, sizeof ok, &need));
        CHECK(need == 1 && ok[0] == '\0');
        free(sets);
        free(expected);
    }
    printf("%s %s\n", compared > 0 ? "ok  " : "FAIL", spec_name);
    free(text);
    json_free(spec);
    return compared;
}

static const char SMALL[] = "horizon_s = 30\n[[functions]]\nname = \"api\"\n"
                            "workload = { type = \"poisson\", rate_per_s = 5 }\nhandler = { type = \"fixed\", ms = 50 }\n";

static void test_errors(void) {
    current = "errors";
    lsim_sweep_options o;
    CHECK_OK(lsim_sweep_options_default(&o));
    lsim_sweep_result *r = NULL;
    /* No set: a sweep needs one. */
    CHECK_STATUS(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, &o, &r), LSIM_STATUS_INVALID_ARGUMENT);
    char msg[512];
    size_t need = 0;
    CHECK_STATUS(lsim_sweep_check(SMALL, sizeof SMALL - 1, 0, &o, msg, sizeof msg, &need), LSIM_STATUS_INVALID_SCENARIO);
    CHECK(strcmp(msg, "a sweep needs at least one --set PATH=VALUES") == 0);
    const char *bad = "functions[2].memory_mb=512";
    o.sets = bad;
    o.sets_len = strlen(bad);
    CHECK_STATUS(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, &o, &r), LSIM_STATUS_INVALID_SCENARIO);
    CHECK(r == NULL);
    CHECK_STATUS(lsim_sweep_check(SMALL, sizeof SMALL - 1, 0, &o, msg, sizeof msg, &need), LSIM_STATUS_INVALID_SCENARIO);
    const char *want = "(scenario): functions[2].memory_mb: [2]: the list has 1 entry, [0]";
    CHECK(strcmp(msg, want) == 0);
    if (strcmp(msg, want) != 0) fprintf(stderr, "  got: %s\n", msg);
    const char *good = "seed=1,2";
    o.sets = good;
    o.sets_len = strlen(good);
    o.output = 7;
    CHECK_STATUS(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, &o, &r), LSIM_STATUS_INVALID_ARGUMENT);
    o.output = LSIM_SWEEP_OUTPUT_CSV;
    o.struct_size = 4;
    CHECK_STATUS(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, &o, &r), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_OK(lsim_sweep_options_default(&o));
    o.sets = good;
    o.sets_len = strlen(good);
    o.shard_index = 3;
    o.shard_count = 2;
    CHECK_STATUS(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, &o, &r), LSIM_STATUS_INVALID_ARGUMENT);
    o.shard_count = 0;
    CHECK_STATUS(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, &o, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, NULL, &r), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sweep_run(NULL, 4, 0, &o, &r), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_sweep_options_default(NULL), LSIM_STATUS_NULL_POINTER);
    /* Made-up and foreign handles. */
    size_t len = 0;
    CHECK_STATUS(lsim_sweep_result_output((const lsim_sweep_result *)(uintptr_t)0x800001, NULL, 0, &len), LSIM_STATUS_STALE_HANDLE);
    CHECK_STATUS(lsim_sweep_result_output(NULL, NULL, 0, &len), LSIM_STATUS_NULL_POINTER);
    CHECK_OK(lsim_sweep_result_free(NULL));
    lsim_sim_result *sim = NULL;
    CHECK_OK(lsim_scenario_run(SMALL, sizeof SMALL - 1, 0, NULL, &sim));
    CHECK_STATUS(lsim_sweep_result_free((lsim_sweep_result *)(void *)sim), LSIM_STATUS_STALE_HANDLE);
    CHECK_OK(lsim_sim_result_free(sim));
    /* The smallest sweep runs. */
    CHECK_OK(lsim_sweep_run(SMALL, sizeof SMALL - 1, 0, &o, &r));
    CHECK_OK(lsim_sweep_result_free(r));
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "../../tests/vectors/sweep";
    int compared = 0;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n > 11 && strcmp(e->d_name + n - 11, ".sweep.json") == 0) compared += run_vector(dir, e->d_name);
        }
        closedir(d);
    }
    if (compared < 3) {
        fprintf(stderr, "test_sweep: only %d outputs compared from %s\n", compared, dir);
        failed++;
    }
    test_errors();
    printf("%d outputs; %u passed, %u failed\n", compared, passed, failed);
    return failed == 0 ? 0 : 1;
}
